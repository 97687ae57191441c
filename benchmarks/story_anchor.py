"""Dates: the story anchor of undated stories, against the stories' real publication dates.

    python benchmarks/story_anchor.py                  # all three sets, a table
    python benchmarks/story_anchor.py --sets duc2004 --limit 5 --json out.json

An undated story (no publication date, no date in its file names) is anchored on the latest
explicit day-month-year date its articles mention (``dates.story_anchor``). This measures that
anchor where the truth is known: each story is read with its publication dates and file names
taken away, run through the stages the anchor reads (``clean``, ``segment``: the text and the
parse of ``crossbrief.nlp``), and its anchor compared with the story's latest real publication
date. Sets:

- ``gva``: the stories of two or more articles of ``../shared/eval/gva-stream/dev.jsonl``,
  grouped by the gold ``story`` field (an article id occurring twice read once), each article's
  truth its ``published``;
- ``duc2004``: the clusters of ``../shared/eval/duc2004/clusters/*/docs_with_ids``, each
  article's truth the date in its DUC document id (``APW19981016.0240``: 1998-10-16; d30006t
  has no such folder and is left out); the texts carry no dateline;
- ``tempeval``: each TempEval-3 document (TimeBank, AQUAINT) a story of one article, its truth
  the document creation time.

Rules, compared in the same run over the same candidates (``dates.anchor_candidates``):

- ``capped``: the rule up to 2026-12-02: the latest date not in a future-tense clause by the
  parse, capped at the real today (so the result depends on the day it runs);
- ``oracle``: the same capped at the truth itself, as if each story were briefed on the day of
  its last article (not available to the tool: the best the cap could ever do);
- ``uncapped``: the same, no cap;
- ``clause``: no cap, and a date without a verb in the parse falls back to the clause-level
  future test (``FUTURE_CLAUSE``), as the resolver does;
- ``past``: no cap, the latest date that dates a verb in the past tense by the parse, else
  the uncapped rule;
- ``present``: no cap, leaving out too a date that dates a verb in the present tense by the
  parse ("when he returns to court Feb. 4, 2016");
- ``plan``: no cap, leaving out too a date of a plan word (``AnchorCandidate.plan``: "has been
  scheduled for Feb. 8, 2017", "debentures due March 15, 2007");
- ``present+plan``: both;
- ``plan+term``: ``plan``, leaving out too the end of a term in the present tense
  (``AnchorCandidate.term``: "His lease runs until Dec. 31, 2030", "the permit expires June
  30, 2031");
- ``lone-N``: no cap, the latest date left out while it stands more than N days after every
  other candidate date of the story (repeated);
- ``shipped``: the rule of ``dates.story_anchor`` (``story_anchor_of``; ``plan+term`` since
  2026-12-02).

Figures per rule: the share of stories whose anchor is the truth (exact), within 1 and 7
days, **after** the truth (the worst error: relative dates land in the future), more than a
year off, and with no anchor at all. The share is over the stories where the truth is known.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = ROOT.parent / "shared" / "eval"
SETS = ("gva", "duc2004", "tempeval")
LONE_DAYS = (30, 90, 365)
_DOC_ID = re.compile(r"^[A-Z]+(\d{4})(\d{2})(\d{2})\.")

Story = tuple[str, list[str], datetime.date]  # (name, article texts, truth)


def gva_stories(shared: Path = SHARED) -> Iterator[Story]:
    """The GVA dev stories of two or more articles, as the conflicts benchmark reads them."""
    sys.path.insert(0, str(HERE))
    import gva_conflicts

    stories, _ = gva_conflicts.load(shared / "gva-stream")
    for name in sorted(stories):
        items = stories[name]
        truth = max(datetime.date.fromisoformat(i["published"][:10]) for i in items)
        yield f"gva:{name}", [i["text"] for i in items], truth


def duc_stories(shared: Path = SHARED) -> Iterator[Story]:
    for cluster in sorted((shared / "duc2004" / "clusters").iterdir()):
        files = sorted((cluster / "docs_with_ids").glob("*.txt"))
        days = [m for f in files if (m := _DOC_ID.match(f.name))]
        if not files or len(days) != len(files):
            continue
        truth = max(datetime.date(int(m[1]), int(m[2]), int(m[3])) for m in days)
        yield f"duc2004:{cluster.name}", [f.read_text(encoding="utf-8") for f in files], truth


def tempeval_stories() -> Iterator[Story]:
    sys.path.insert(0, str(HERE))
    import tempeval
    from crossbrief.extract.dates import publication_date

    for document in tempeval.load():
        truth = publication_date(document.dct)
        if truth is not None:
            yield f"tempeval:{document.name}", [document.text], truth


def candidates(texts: list[str], settings: Any) -> list[Any]:
    """The story's anchor candidates, its articles read with no date and no file name."""
    from crossbrief.extract.dates import anchor_candidates
    from crossbrief.model import Article, Brief
    from crossbrief.pipeline import run_stages

    corpus = Brief(articles=[Article(id=f"a{n}", source=f"outlet{n}", text=text, input=f"a{n}.txt")
                             for n, text in enumerate(texts)])
    found: list[Any] = anchor_candidates(run_stages(corpus, ("clean", "segment"), settings),
                                         detail=True)
    return found


Rule = Callable[[list[Any], datetime.date], "datetime.date | None"]


def _latest(days: Iterable[datetime.date]) -> datetime.date | None:
    return max(days, default=None)


def _lone(days: list[datetime.date], gap: int) -> datetime.date | None:
    ordered = sorted(set(days))
    while len(ordered) >= 2 and (ordered[-1] - ordered[-2]).days > gap:
        ordered.pop()
    return ordered[-1] if ordered else None


def rules() -> dict[str, Rule]:
    from crossbrief.extract.dates import story_anchor_of

    today = datetime.date.today()
    found: dict[str, Rule] = {
        "capped": lambda c, t: _latest(x.day for x in c if not x.future and x.day <= today),
        "oracle": lambda c, t: _latest(x.day for x in c if not x.future and x.day <= t),
        "uncapped": lambda c, t: _latest(x.day for x in c if not x.future),
        "clause": lambda c, t: _latest(
            x.day for x in c if not (x.future or (x.future is None and x.clause_future))),
        "past": lambda c, t: (_latest(x.day for x in c if not x.future and x.tense == "past")
                              or _latest(x.day for x in c if not x.future)),
    }
    found["present"] = lambda c, t: _latest(x.day for x in c
                                            if not x.future and x.tense != "present")
    found["plan"] = lambda c, t: _latest(x.day for x in c if not x.future and not x.plan)
    found["present+plan"] = lambda c, t: _latest(
        x.day for x in c if not x.future and not x.plan and x.tense != "present")
    found["plan+term"] = lambda c, t: _latest(
        x.day for x in c if not x.future and not x.plan and not x.term)
    for gap in LONE_DAYS:
        found[f"lone-{gap}"] = (lambda g: lambda c, t: _lone([x.day for x in c if not x.future],
                                                              g))(gap)
    found["shipped"] = lambda c, t: story_anchor_of(c)
    return found


def score(pairs: list[tuple[datetime.date | None, datetime.date]]) -> dict[str, float]:
    n = len(pairs) or 1
    off = [(a - t).days for a, t in pairs if a is not None]
    return {
        "stories": len(pairs),
        "exact": sum(d == 0 for d in off) / n,
        "within 1 day": sum(abs(d) <= 1 for d in off) / n,
        "within 7 days": sum(abs(d) <= 7 for d in off) / n,
        "after truth": sum(d > 0 for d in off) / n,
        "over a year off": sum(abs(d) > 365 for d in off) / n,
        "none": sum(a is None for a, _ in pairs) / n,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    parser.add_argument("--limit", type=int, default=0, help="at most this many stories a set")
    parser.add_argument("--json", type=Path, help="write the figures (and each story) here")
    args = parser.parse_args(argv)

    import crossbrief

    settings = crossbrief.load_settings()
    loaders = {"gva": gva_stories, "duc2004": duc_stories, "tempeval": tempeval_stories}
    chosen = rules()
    results: dict[str, dict[str, Any]] = {}
    started = time.perf_counter()
    for name in args.sets:
        pairs: dict[str, list[tuple[datetime.date | None, datetime.date]]] = {r: [] for r in chosen}
        stories = []
        for n, (story, texts, truth) in enumerate(loaders[name]()):
            if args.limit and n >= args.limit:
                break
            found = candidates(texts, settings)
            anchors = {r: rule(found, truth) for r, rule in chosen.items()}
            for r, anchor in anchors.items():
                pairs[r].append((anchor, truth))
            stories.append({"story": story, "truth": truth.isoformat(),
                            **{r: a.isoformat() if a else None for r, a in anchors.items()}})
        results[name] = {"rules": {r: score(p) for r, p in pairs.items()}, "stories": stories}
    elapsed = time.perf_counter() - started

    columns = ("exact", "within 1 day", "within 7 days", "after truth", "over a year off",
               "none")
    for name, result in results.items():
        count = len(result["stories"])
        print(f"\n### {name} ({count} stories)\n")
        print("| rule | " + " | ".join(columns) + " |")
        print("|---|" + "---:|" * len(columns))
        for rule, figures in result["rules"].items():
            print(f"| {rule} | " + " | ".join(f"{100 * figures[c]:.1f} %" for c in columns)
                  + " |")
    print(f"\n{elapsed:.0f} s", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, sort_keys=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
