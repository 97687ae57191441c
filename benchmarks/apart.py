"""The check on hand-made groups (the ``apart`` stage) on real coverage.

Every group handed to ``analyze`` runs through the check, so what matters is how often it
sets apart articles of a real story (a false alarm takes them out of the claims, conflicts,
timeline and summary) and how often it finds a second story mixed in. Measured on data the
check was never tuned on here (the engine's own constants are fitted on the GVA dev stream,
docs/stories.md, so the GVA figures are in-sample for the engine):

- **one story** (false alarms): each gold story of ``../shared/eval/gva-stream/dev.jsonl``
  with two or more articles, and each DUC 2004 development cluster (``../shared/eval/duc2004``:
  ten articles NIST put together on one topic), handed over alone. Reported: the share of
  groups where something is set apart, and the share of articles set apart.
- **two stories** (detection): each GVA story of two or more articles mixed with the next
  story in time that also has two or more (usually another shooting days later: the hard
  case), and each DUC cluster mixed with the next one. A mix is *found* when the articles
  set apart are exactly one of the two stories; *partly* when some are set apart but not
  exactly one story; *missed* when nothing is.

Peer, in the same run: the same rule (articles linked by single linkage; everything outside
the largest linked part stands apart) over TF-IDF cosine >= 0.25, the GVA README's one-pass
peer (title + text, sublinear tf, English stop words, min_df 2, fitted on the whole GVA
file; on DUC, on the DUC clusters).

Articles are read as ``crossbrief analyze`` reads them (a JSON record, a DUC file) and
cleaned by the clean stage; nothing is parsed.

    python benchmarks/apart.py            # prints the table (a minute or two on two cores)
"""

from __future__ import annotations

import itertools
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
GVA = SHARED / "gva-stream" / "dev.jsonl"
DUC = SHARED / "duc2004" / "clusters"
PEER_COSINE = 0.25  # the GVA README's TF-IDF one-pass threshold

Group = list[Any]  # StreamArticle
Check = Callable[[Sequence[Any]], list[str]]


def gva_stories() -> list[Group]:
    """The gold stories of two or more articles, each in publication order, the stories in
    the order of their first article; an id given twice is read once."""
    import crossbrief
    from crossbrief.ingest import read_record
    from crossbrief.model import Article
    from crossbrief.pipeline import run_stages
    from crossbrief.stories import StreamArticle

    settings = crossbrief.load_settings()
    stories: dict[str, list[Any]] = {}
    seen: set[str] = set()
    for number, line in enumerate(GVA.read_text("utf-8").splitlines(), 1):
        item = json.loads(line)
        if item["id"] in seen:
            continue
        seen.add(item["id"])
        stories.setdefault(str(item["story"]), []).append((item, f"dev.jsonl:{number}"))
    groups = []
    for items in stories.values():
        if len(items) < 2:
            continue
        articles = [a for a in (read_record(i, label, settings) for i, label in items)
                    if isinstance(a, Article)]
        corpus = run_stages(crossbrief.Brief(articles=articles), ["clean"], settings)
        if len(corpus.articles) >= 2:
            groups.append([StreamArticle.from_article(a) for a in corpus.articles])
    return groups


def duc_clusters() -> list[Group]:
    import crossbrief
    from crossbrief.stories import StreamArticle

    groups = []
    for cluster in sorted(p for p in DUC.iterdir() if p.is_dir()):
        docs = sorted(str(p) for p in (cluster / "docs").iterdir() if p.is_file())
        corpus = crossbrief.analyze(docs, stages=["clean"])
        groups.append([StreamArticle.from_article(a) for a in corpus.articles])
    return groups


def tfidf_check(groups: list[Group]) -> Check:
    """The peer: TF-IDF cosine >= PEER_COSINE links two articles (vectoriser fitted on every
    article of ``groups``)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = {a.id: f"{a.title or ''}\n{a.text}" for g in groups for a in g}
    vectoriser = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=2)
    matrix = vectoriser.fit_transform(list(texts.values()))
    row = {id: n for n, id in enumerate(texts)}

    def check(articles: Sequence[Any]) -> list[str]:
        ids = sorted({a.id for a in articles})
        vectors = matrix[[row[i] for i in ids]]
        similar = (vectors @ vectors.T).toarray()
        links = [(i, j) for i in range(len(ids)) for j in range(i)
                 if similar[i, j] >= PEER_COSINE]
        return outside_largest(ids, links)

    return check


def outside_largest(ids: list[str], links: list[tuple[int, int]]) -> list[str]:
    """The ids outside the largest linked part (ties: the part holding the smallest id)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    rows, cols = zip(*links, strict=True) if links else ((), ())
    graph = coo_matrix(([1] * len(links), (rows, cols)), shape=(len(ids), len(ids)))
    _, label = connected_components(graph, directed=False)
    parts: dict[int, list[str]] = {}
    for id, part in zip(ids, label, strict=True):
        parts.setdefault(int(part), []).append(id)
    # Two steps: inside set(), mypy would type the parts as any iterable, without len().
    biggest = min(parts.values(), key=lambda p: (-len(p), min(p)))
    largest = set(biggest)
    return sorted(i for i in ids if i not in largest)


def score(groups: list[Group], check: Check) -> dict[str, Any]:
    """False alarms on each group alone; detection on each group mixed with the next."""
    alarms = flagged = articles = 0
    for group in groups:
        apart = check(group)
        alarms += bool(apart)
        flagged += len(apart)
        articles += len(group)
    found = partly = 0
    for first, second in itertools.pairwise(groups):
        mixed = set(check([*first, *second]))
        if mixed in ({a.id for a in first}, {a.id for a in second}):
            found += 1
        elif mixed:
            partly += 1
    mixes = max(1, len(groups) - 1)
    return {"groups": len(groups), "articles": articles,
            "alarm_groups": alarms / max(1, len(groups)),
            "alarm_articles": flagged / max(1, articles),
            "mixes": len(groups) - 1, "found": found / mixes, "partly": partly / mixes,
            "missed": 1 - (found + partly) / mixes}


def run() -> dict[str, Any]:
    from crossbrief.stories import stand_apart

    result: dict[str, Any] = {}
    for name, load in (("GVA dev stories", gva_stories), ("DUC 2004 dev clusters", duc_clusters)):
        started = time.perf_counter()
        groups = load()
        read = time.perf_counter() - started
        result[name] = {}
        for system, check in (("crossbrief (stories.stand_apart)", stand_apart),
                              (f"TF-IDF cosine >= {PEER_COSINE} (peer)", tfidf_check(groups))):
            started = time.perf_counter()
            result[name][system] = {**score(groups, check),
                                    "seconds": round(time.perf_counter() - started, 1)}
        result[name]["read_seconds"] = round(read, 1)
    return result


def table(result: dict[str, Any]) -> str:
    lines = ["| data | system | groups | false alarm: groups | articles set apart | "
             "mixes | found | partly | missed |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for data, systems in result.items():
        for system, s in systems.items():
            if not isinstance(s, dict):
                continue
            lines.append(f"| {data} | {system} | {s['groups']} | {s['alarm_groups']:.3f} | "
                         f"{s['alarm_articles']:.3f} | {s['mixes']} | {s['found']:.3f} | "
                         f"{s['partly']:.3f} | {s['missed']:.3f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    if not GVA.exists() or not DUC.exists():
        print(f"{GVA} or {DUC} is absent", file=sys.stderr)
        return 1
    result = run()
    print(table(result))
    print(json.dumps(result, indent=1), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
