"""Dates: the anchor of each undated article, against the article's real publication date.

    python benchmarks/article_anchor.py                  # all three sets, a table
    python benchmarks/article_anchor.py --sets duc2004 --limit 5 --json out.json

An undated article (no publication date, no date in its file name) is anchored on the story
anchor (``dates.story_anchor``), unless it speaks of an explicit day as lying ahead: then it
was written before that day, and it is anchored on the day before it when that is earlier
(``dates._future_bound``, called by ``dates.resolve_dates``). benchmarks/story_anchor.py
measures the story anchor only; this measures what ``_future_bound`` makes of it, article by
article. The stories are those of benchmarks/story_anchor.py (GVA dev stories of two or more
articles, DUC 2004 clusters with document ids, TempEval-3 documents), read the same way (no
publication dates, no file names; stages ``clean``, ``segment``); each article's truth is its
own publication date (GVA ``published``, the date in the DUC document id, the TempEval DCT).

Rules, over the same parse and the same story anchor: which explicit dates of the article
bound its anchor from above (the day before the earliest of them):

- ``story``: none (the article takes the story anchor);
- ``future``: dates the parse puts in the future tense, as ``_future_by_parse`` read them up
  to 2026-12-02 (``future_until_2026_12_02``: the future marker of the verb the date dates,
  "will start talks on March 21", "is scheduled for Friday"; without the two exceptions
  added since, a present plan verb with its own infinitive, 2026-12-03, and a dateline run
  into the sentence after it, 2026-12-03); the rule up to 2026-12-02;
- ``future+plan``: also dates of a plan word as a perfect, a participle or an adjective
  (``_plan_by_parse``: "a hearing has been set for March 21", "debentures due March 15");
- ``future+plan+term``: also the end of a term in the present tense (``_term_by_parse``:
  "his lease runs until Dec. 31, 2030");
- ``shipped``: ``_future_bound`` as the library calls it.

Figures per rule as in benchmarks/story_anchor.py: the share of articles whose anchor is the
truth (exact), within 1 and 7 days, after the truth, more than a year off, none; and, against
``future``, how many articles an exact anchor became a miss and a miss became exact.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import story_anchor  # noqa: E402

SETS = story_anchor.SETS
Story = tuple[str, list[str], list[datetime.date]]  # (name, article texts, each one's truth)


def gva_stories() -> Iterator[Story]:
    import gva_conflicts

    stories, _ = gva_conflicts.load(story_anchor.SHARED / "gva-stream")
    for name in sorted(stories):
        items = stories[name]
        yield (f"gva:{name}", [i["text"] for i in items],
               [datetime.date.fromisoformat(i["published"][:10]) for i in items])


def duc_stories() -> Iterator[Story]:
    for cluster in sorted((story_anchor.SHARED / "duc2004" / "clusters").iterdir()):
        files = sorted((cluster / "docs_with_ids").glob("*.txt"))
        days = [m for f in files if (m := story_anchor._DOC_ID.match(f.name))]
        if not files or len(days) != len(files):
            continue
        yield (f"duc2004:{cluster.name}", [f.read_text(encoding="utf-8") for f in files],
               [datetime.date(int(m[1]), int(m[2]), int(m[3])) for m in days])


def tempeval_stories() -> Iterator[Story]:
    for name, texts, truth in story_anchor.tempeval_stories():
        yield name, texts, [truth]


Ahead = Callable[[Any, int, int], Any]


def future_until_2026_12_02(doc: Any, start: int, end: int) -> str | None:
    """``dates._future_by_parse`` as it stood up to 2026-12-02 (commit b094378): the future
    marker of the verb the date dates, a dateline walked up as any date, and an active
    present plan verb with its own infinitive ("Investigators prepare to leave …, Sunday,
    Aug. 9, 2015") a future as any present plan. Kept here so that the ``future`` rule, and
    the "exact to miss" columns measured against it, stay that rule."""
    from crossbrief.extract import dates

    found = dates._dated_head(doc, start, end, dateline=False)
    if found is None:
        return None
    head, direct = found
    return dates.verb_future_marker(head, direct=direct)


def rules() -> dict[str, Ahead | None]:
    """Each rule's test of a date lying ahead (None: no bound; "shipped": the default)."""
    from crossbrief.extract import dates

    def plan(doc: Any, start: int, end: int) -> Any:
        return future_until_2026_12_02(doc, start, end) \
            or dates._plan_by_parse(doc, start, end)

    def term(doc: Any, start: int, end: int) -> Any:
        return plan(doc, start, end) or dates._term_by_parse(doc, start, end)

    return {"story": None, "future": future_until_2026_12_02, "future+plan": plan,
            "future+plan+term": term, "shipped": None}


def anchors(texts: list[str], settings: Any) -> dict[str, list[datetime.date | None]]:
    """Each rule's anchor of each article of the story, read with no date and no file name."""
    from crossbrief.extract import dates
    from crossbrief.model import Article, Brief
    from crossbrief.pipeline import run_stages

    corpus = Brief(articles=[Article(id=f"a{n}", source=f"outlet{n}", text=text, input=f"a{n}.txt")
                             for n, text in enumerate(texts)])
    corpus = run_stages(corpus, ("clean", "segment"), settings)
    story = dates.story_anchor(corpus)
    found: dict[str, list[datetime.date | None]] = {}
    kept = {article.id: article for article in corpus.articles}
    for rule, ahead in rules().items():
        found[rule] = []
        for n in range(len(texts)):
            article = kept.get(f"a{n}")
            if article is None:  # left out by the stages (no text): no anchor
                found[rule].append(None)
                continue
            article.dates = dates.extract_dates(article.text, story, article.doc,
                                                anchor_label=dates.STORY_ANCHOR)
            if rule == "story":
                bound = None
            elif rule == "shipped":
                bound = dates._future_bound(article, story)
            else:
                bound = dates._future_bound(article, story, ahead=ahead)
            found[rule].append(bound[0] if bound else story)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    parser.add_argument("--limit", type=int, default=0, help="at most this many stories a set")
    parser.add_argument("--json", type=Path, help="write the figures (and each article) here")
    args = parser.parse_args(argv)

    import crossbrief

    settings = crossbrief.load_settings()
    loaders = {"gva": gva_stories, "duc2004": duc_stories, "tempeval": tempeval_stories}
    names = list(rules())
    results: dict[str, dict[str, Any]] = {}
    started = time.perf_counter()
    for name in args.sets:
        pairs: dict[str, list[tuple[datetime.date | None, datetime.date]]] = {r: [] for r in names}
        articles = []
        for n, (story, texts, truths) in enumerate(loaders[name]()):
            if args.limit and n >= args.limit:
                break
            found = anchors(texts, settings)
            for k, truth in enumerate(truths):
                for r in names:
                    pairs[r].append((found[r][k], truth))
                articles.append({"name": story, "article": k, "truth": truth.isoformat(),
                                 **{r: (a.isoformat() if (a := found[r][k]) else None)
                                    for r in names}})
        scores = {r: story_anchor.score(p) for r, p in pairs.items()}
        for r in names:
            was = [a == t for a, t in pairs["future"]]
            now = [a == t for a, t in pairs[r]]
            scores[r]["exact to miss"] = sum(w and not x for w, x in zip(was, now, strict=True))
            scores[r]["miss to exact"] = sum(x and not w for w, x in zip(was, now, strict=True))
        results[name] = {"rules": scores, "articles": articles}
    elapsed = time.perf_counter() - started

    columns = ("exact", "within 1 day", "within 7 days", "after truth", "over a year off",
               "none")
    for name, result in results.items():
        print(f"\n### {name} ({len(result['articles'])} articles)\n")
        print("| rule | " + " | ".join(columns) + " | exact to miss | miss to exact |")
        print("|---|" + "---:|" * (len(columns) + 2))
        for rule, figures in result["rules"].items():
            print(f"| {rule} | " + " | ".join(f"{100 * figures[c]:.1f} %" for c in columns)
                  + f" | {figures['exact to miss']} | {figures['miss to exact']} |")
    print(f"\n{elapsed:.0f} s", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
