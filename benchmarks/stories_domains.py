"""The story grouping on streams from outside the news it was fitted on (issue 14).

The grouping's pair model is fitted on the GVA dev stream (local US reports of shootings,
``benchmarks/stories.py``). This checks it where nothing was fitted:

- **DUC 2004** (task 2 development clusters, ``../shared/eval/duc2004/``): 25 clusters of
  about ten wire articles each on 25 different world events, read and cleaned as
  ``crossbrief stories`` reads them; the gold story is the cluster.
- **ECB+** (topics 1-35, ``../shared/eval/ecbplus-dev/``): each topic holds articles on two
  *similar* events (its ``ecb`` and ``ecbplus`` halves: two earthquakes, two arrests of one
  kind), so it asks exactly "the same event, or a similar one?". The gold story is the event
  (topic and half). The articles carry no publication date.

Scored as ``benchmarks/stories.py`` scores GVA (pairwise and B-cubed precision, recall, F1 over
the articles), for crossbrief as shipped and the README's TF-IDF one-pass (threshold and
window as in ``benchmarks/stories.py``) in the same run. Run from another checkout's
``benchmarks/`` (a copy of this file) to measure its engine alike.

    python benchmarks/stories_domains.py            # prints the table
    python benchmarks/stories_domains.py --json F   # and writes the figures
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import crossbrief  # noqa: E402
import stories as bench  # noqa: E402  (benchmarks/stories.py)
from crossbrief.model import Article, article_id  # noqa: E402
from crossbrief.stories import StreamArticle, cluster  # noqa: E402

DUC = HERE.parent.parent / "shared" / "eval" / "duc2004" / "clusters"


def duc_stream() -> tuple[list[StreamArticle], dict[str, str]]:
    articles: list[StreamArticle] = []
    gold: dict[str, str] = {}
    for folder in sorted(p for p in DUC.iterdir() if p.is_dir()):
        docs = sorted(str(p) for p in (folder / "docs").iterdir() if p.is_file())
        for article in crossbrief.analyze(docs, stages=["clean"]).articles:
            if article.id not in gold:
                gold[article.id] = folder.name
                articles.append(StreamArticle.from_article(article))
    return articles, gold


def ecb_stream() -> tuple[list[StreamArticle], dict[str, str]]:
    import ecb_entities

    articles: list[StreamArticle] = []
    gold: dict[str, str] = {}
    for story in ecb_entities.load(range(1, 36)):
        for document in story.documents:
            id = article_id(document.text)
            if id in gold:
                continue
            gold[id] = story.name
            articles.append(StreamArticle.from_article(Article(
                id=id, source=document.name, text=document.text, input=document.name)))
    return articles, gold


def figures(articles: list[StreamArticle], gold: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    started = time.perf_counter()
    groups = cluster(articles)
    found = {a.id: group.id for group in groups for a in group.articles}
    out["crossbrief"] = bench.score(found, gold) | {"seconds": time.perf_counter() - started}
    vectors, index = bench.tfidf_vectors(articles)
    out["TF-IDF one-pass (peer)"] = bench.score(bench.one_pass(
        articles, vectors, index, bench.TFIDF_PEER["threshold"],
        bench.TFIDF_PEER["window_days"]), gold)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    result = {}
    for name, load in (("DUC 2004 clusters", duc_stream), ("ECB+ events, topics 1-35",
                                                            ecb_stream)):
        articles, gold = load()
        result[name] = {"articles": len(articles), "stories": len(set(gold.values())),
                        "systems": figures(articles, gold)}
    print("| stream | system | stories found | pairwise P | pairwise R | pairwise F1 "
          "| B-cubed P | B-cubed R | B-cubed F1 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, data in result.items():
        label = f"{name} ({data['articles']} articles, {data['stories']} stories)"
        for system, f in data["systems"].items():
            print(f"| {label} | {system} | {f['stories']} | {f['pair_p']:.3f} | "
                  f"{f['pair_r']:.3f} | {f['pair_f1']:.3f} | {f['b3_p']:.3f} | "
                  f"{f['b3_r']:.3f} | {f['b3_f1']:.3f} |")
            label = ""
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
