"""What the claims stage's candidate rules drop (align.sentence_kind): captions, fragments and
headings.

Reads real coverage in place (never the bundled example or the seed articles): the GVA dev
stream's gold stories of two or more articles (the first ``--stories``, in file order) and the
DUC 2004 development clusters (the first ``--clusters``). Each article is cleaned and
segmented; every sentence long enough to be a candidate (align.MIN_SENTENCE_WORDS) is
classified. Prints the counts per rule and the dropped sentences, so each rule's precision can
be read off by a person (nothing here is fitted).

    python benchmarks/claim_candidates.py --stories 60 --clusters 5 [--show 30]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from crossbrief.model import Brief

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"
GVA = SHARED / "gva-stream" / "dev.jsonl"
DUC = SHARED / "duc2004" / "clusters"


def gva_corpora(limit: int) -> list[Brief]:
    import crossbrief
    from crossbrief.ingest import read_record
    from crossbrief.model import Article

    settings = crossbrief.load_settings()
    stories: dict[str, list[tuple[dict[str, object], str]]] = {}
    seen: set[str] = set()
    for number, line in enumerate(GVA.read_text("utf-8").splitlines(), 1):
        item = json.loads(line)
        if item["id"] not in seen:
            seen.add(item["id"])
            stories.setdefault(str(item["story"]), []).append((item, f"dev.jsonl:{number}"))
    chosen = [items for items in stories.values() if len(items) >= 2][:limit]
    corpora: list[Brief] = []
    for items in chosen:
        articles = [a for a in (read_record(i, label, settings) for i, label in items)
                    if isinstance(a, Article)]
        corpora.append(crossbrief.run_stages(crossbrief.Brief(articles=articles),
                                             ["clean", "segment"], settings))
    return corpora


def duc_corpora(limit: int) -> list[Brief]:
    import crossbrief

    clusters = sorted(p for p in DUC.iterdir() if p.is_dir())[:limit]
    return [crossbrief.analyze(sorted(str(p) for p in (c / "docs").iterdir() if p.is_file()),
                               stages=["clean", "segment"]) for c in clusters]


def classify(corpora: list[Brief]) -> tuple[Counter[str], dict[str, list[str]]]:
    from crossbrief.align import MIN_SENTENCE_WORDS, sentence_kind

    counts: Counter[str] = Counter()
    dropped: dict[str, list[str]] = {}
    for corpus in corpora:
        for article in corpus.articles:
            for number, sentence in enumerate(article.sentences):
                text = article.text[sentence.start:sentence.end]
                if len(text.split()) < MIN_SENTENCE_WORDS:
                    continue
                kind = sentence_kind(article, number) or "kept"
                counts[kind] += 1
                if kind != "kept":
                    dropped.setdefault(kind, []).append(" ".join(text.split())[:160])
    return counts, dropped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=60)
    parser.add_argument("--clusters", type=int, default=5)
    parser.add_argument("--show", type=int, default=30)
    args = parser.parse_args(argv)
    for name, corpora in (("GVA dev stories", gva_corpora(args.stories)),
                          ("DUC 2004 clusters", duc_corpora(args.clusters))):
        counts, dropped = classify(corpora)
        total = sum(counts.values())
        print(f"## {name}: {len(corpora)} stories, {total} candidate sentences")
        for kind in ("caption", "fragment", "heading", "credit"):
            print(f"- {kind}: {counts[kind]} ({100 * counts[kind] / max(1, total):.1f} %)")
        for kind, texts in sorted(dropped.items()):
            print(f"\n{kind}, first {min(args.show, len(texts))}:")
            for text in texts[:args.show]:
                print(f"  | {text}")
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
