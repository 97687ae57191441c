"""Conflicts and updates on real coverage: the multi-article stories of the GVA news stream.

    python benchmarks/gva_conflicts.py [--stories N | --story ID … | --suite] [--json out.json]
                                       [--show-sample]

``../shared/eval/gva-stream/dev.jsonl`` holds local US reports of shootings, each under its
gold story (the Gun Violence Archive incident citing it; the story id *is* the incident id
of ``dev-incidents.jsonl``, which gives the number killed and injured). For every story with
two or more articles (an article id occurring twice is read once), crossbrief builds the
brief from the JSON records (the stages through ``conflicts``, which assigns the conflicts
and updates; the timeline and summary after it change none of them), and two
figures are measured:

(a) **count mismatch**: among the stories where some article states a killed or injured
    count, the share whose brief *states* one that differs from the GVA record. What the
    brief states: a count in an agreed claim (consensus or corroborated: its representative
    clause, ``support[0]``) and, for an update of a count, its later side. "States a count"
    is read by the conflicts stage's own reader (``conflicts._quantities``: the ``dead`` and
    ``injured`` quantities; none from a clause it reads as history, ``conflicts._history``)
    over the clauses of the claims stage (``align.split_units``). A count agrees with the
    record when the record lies in its range or above it when it is a lower bound ("at least
    two"), read as the conflicts stage compares counts: "about" widens it by
    ``NUMBER_TOLERANCE``, and a count of the dead in an article that counts the attacker
    either way ("three dead, including the gunman", "before killing himself") by one.
(b) **conflict precision**: the reported conflicts (not updates), each keyed
    ``<story>:<conflict id>``, are sampled (``SAMPLE`` of them, all if fewer): the keys with
    the smallest SHA-256 of ``SEED`` + key, so that a change of the analysis that adds or
    drops conflicts leaves the rest of the sample in place. Each sampled conflict is labelled
    by hand in ``benchmarks/gva_conflict_labels.json`` (``true``: the outlets really disagree
    about the same thing; ``false``: counts of different things, two incidents, an update
    read as a conflict, a misreading; with a one-line reason). Precision is over the
    labelled sampled conflicts; sampled ones without a label are listed, to be labelled.

Goals (issue 12): (a) under 10 %, (b) at least 0.90.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GVA = ROOT.parent / "shared" / "eval" / "gva-stream"
LABELS = HERE / "gva_conflict_labels.json"
SAMPLE = 100
SEED = "gva-conflicts-12"
SUITE_STEP = 10
CASUALTIES = ("dead", "injured")
RECORD_FIELD = {"dead": "num_killed", "injured": "num_injured"}


@dataclass
class Clause:
    """A span of an article, as the conflicts stage's readers take it (``tokens``: where the
    stage keeps the span's tokens once read, as on ``align.Clause``)."""

    article: Any
    start: int
    end: int
    tokens: list[Any] | None = field(default=None, repr=False, compare=False)


def load(directory: Path = GVA) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """The stories with two or more articles (story id -> records, in publication order) and
    the GVA record of each incident that has its counts (incident id -> record)."""
    stories: dict[str, list[dict[str, Any]]] = {}
    seen: set[str] = set()
    with (directory / "dev.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            item = json.loads(line)
            if item["id"] in seen:
                continue
            seen.add(item["id"])
            stories.setdefault(str(item["story"]), []).append(item)
    records = {}
    with (directory / "dev-incidents.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            # 74 incidents have no metadata (no counts): their stories have no record.
            if all(record.get(f) is not None for f in RECORD_FIELD.values()):
                records[str(record["incident_id"])] = record
    return {s: items for s, items in stories.items() if len(items) >= 2}, records


def brief(items: list[dict[str, Any]], settings: Any, through: str = "conflicts") -> Any:
    """The story's corpus through the conflicts stage (or the stage ``through``), read from its
    JSON records as ``crossbrief analyze`` reads a JSON Lines file."""
    from crossbrief.ingest import read_record
    from crossbrief.model import Article, Brief, Skipped
    from crossbrief.pipeline import DEFAULT_STAGES, run_stages

    articles, skipped = [], []
    for n, item in enumerate(items):
        read = read_record(item, f"{item['story']}:{n + 1}", settings)
        if isinstance(read, Article):
            articles.append(read)
        else:
            assert isinstance(read, Skipped)
            skipped.append(read)
    corpus = Brief(articles=articles, skipped=skipped, stages=["ingest"])
    stages = DEFAULT_STAGES[:DEFAULT_STAGES.index(through) + 1]
    return run_stages(corpus, stages, settings)


def counts_in(article: Any, start: int, end: int) -> dict[str, Any]:
    """The casualty counts (``dead``, ``injured``) the clause states of the story's event, as
    the conflicts stage reads them: none from a clause dated as history (an earlier event
    the article recalls, "the 2009 shooting that killed 13")."""
    from crossbrief.conflicts import _calendar, _history, _quantities

    clause = Clause(article, start, end)
    dates = _calendar(clause)
    if dates and _history(clause, dates):
        return {}
    return {k: v for k, v in _quantities(clause).items() if k in CASUALTIES}


def read_as(corpus: Any, kind: str, value: Any, article: str) -> Any:
    """A count as the conflicts stage compares it: a count of the dead one more or less in
    an article that counts the attacker either way (``conflicts.either_way_in``)."""
    from crossbrief.align import split_units
    from crossbrief.conflicts import _widened, either_way_in

    if kind == "dead" and either_way_in(split_units(corpus.article(article))):
        return _widened(value)
    return value


def agrees(value: Any, record: int) -> bool:
    if value.lower_bound:
        return record >= float(value.low)
    return float(value.low) <= record <= float(value.high)


def stated(corpus: Any) -> list[tuple[str, str, str, int, int]]:
    """What the brief states about casualties: (kind, value text, article id, start, end)
    of each count in an agreed claim's representative and in an update's later side."""
    by_id = {a.id: a for a in corpus.articles}
    found = []
    for claim in corpus.claims:
        if claim.status not in ("consensus", "corroborated"):
            continue
        span = claim.support[0]
        for kind, value in counts_in(by_id[span.article], span.start, span.end).items():
            found.append((kind, value.text, span.article, span.start, span.end))
    for update in corpus.conflicts:
        if not update.update or update.kind != "number":
            continue
        kind = update.about.removeprefix("how many: ")
        if kind not in CASUALTIES:
            continue
        latest = max(by_id[s.article].published or "" for s in update.sides)
        for side in update.sides:
            if (by_id[side.article].published or "") != latest:
                continue
            value = counts_in(by_id[side.article], side.start, side.end).get(kind)
            if value is not None:
                found.append((kind, value.text, side.article, side.start, side.end))
    return found


def states_any(corpus: Any) -> bool:
    """Whether some clause of some article states a killed or injured count."""
    from crossbrief.align import split_units

    return any(counts_in(u.article, u.start, u.end)
               for article in corpus.articles for u in split_units(article))


def sample_keys(keys: Iterable[str], size: int = SAMPLE) -> list[str]:
    """The ``size`` keys with the smallest seeded hash: a random sample that stays put when
    keys come and go."""
    def rank(key: str) -> str:
        return hashlib.sha256(f"{SEED}:{key}".encode()).hexdigest()

    return sorted(sorted(set(keys), key=rank)[:size])


def suite(stories: dict[str, list[dict[str, Any]]],
          labels: dict[str, dict[str, Any]] | None = None) -> dict[str, list[dict[str, Any]]]:
    """The quality gate's fixed subset (tests/test_quality.py): every ``SUITE_STEP``-th
    story by id (``spread``), and every story holding a labelled conflict, so that each
    labelled conflict is checked again (a true one may go, a false one must not come back
    unnoticed)."""
    labels = load_labels() if labels is None else labels
    chosen = set(spread(stories)) | {key.split(":")[0] for key in labels}
    return {story: stories[story] for story in sorted(chosen) if story in stories}


def spread(stories: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Every ``SUITE_STEP``-th story by id: the suite's stories for figure (a), which the
    stories chosen for their labelled conflicts would bias."""
    return sorted(stories)[::SUITE_STEP]


def count_mismatch(result: dict[str, Any], stories: Iterable[str]) -> tuple[int, int]:
    """(mismatched, stating a count) over ``stories`` of a run's result."""
    chosen = set(stories)
    return (sum(1 for m in result["mismatches"] if m["story"] in chosen),
            sum(1 for story in result["counted"] if story in chosen))


def load_labels(path: Path = LABELS) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    data = json.loads(path.read_text("utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def run(stories: dict[str, list[dict[str, Any]]], records: dict[str, Any],
        labels: dict[str, dict[str, Any]] | None = None,
        progress: bool = False) -> dict[str, Any]:
    """Both measurements over ``stories`` (story id -> its articles' records)."""
    import crossbrief

    settings = crossbrief.load_settings()
    labels = load_labels() if labels is None else labels
    counted: list[str] = []
    mismatches: list[dict[str, Any]] = []
    conflicts: dict[str, dict[str, Any]] = {}
    updates = 0
    started = time.perf_counter()
    for n, (story, items) in enumerate(sorted(stories.items())):
        if progress and n % 25 == 0:
            print(f"  {n}/{len(stories)} stories, {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
        corpus = brief(items, settings)
        by_id = {a.id: a for a in corpus.articles}
        record = records.get(story)
        if record is not None and states_any(corpus):
            counted.append(story)
            wrong = [(kind, text, a, s, e) for kind, text, a, s, e in stated(corpus)
                     if not agrees(read_as(corpus, kind, counts_in(by_id[a], s, e)[kind], a),
                                   int(record[RECORD_FIELD[kind]]))]
            if wrong:
                mismatches.append({
                    "story": story,
                    "stated": [f"{kind} {text}" for kind, text, *_ in wrong],
                    "record": {k: int(record[RECORD_FIELD[k]]) for k in CASUALTIES},
                    "clauses": [by_id[a].text[s:e] for *_, a, s, e in wrong]})
        for conflict in corpus.conflicts:
            if conflict.update:
                updates += 1
                continue
            key = f"{story}:{conflict.id}"
            conflicts[key] = {
                "kind": conflict.kind, "about": conflict.about,
                "sides": [{"source": by_id[s.article].source,
                           "published": by_id[s.article].published, "value": s.value,
                           "text": by_id[s.article].text[s.start:s.end]}
                          for s in conflict.sides]}
    sample = sample_keys(conflicts)
    judged = [k for k in sample if k in labels]
    right = sum(1 for k in judged if labels[k]["label"])
    return {
        "stories": len(stories), "with_counts": len(counted), "counted": counted,
        "mismatched": len(mismatches),
        "count_mismatch": len(mismatches) / len(counted) if counted else 0.0,
        "mismatches": mismatches, "updates": updates, "conflicts": len(conflicts),
        "sampled": len(sample), "labelled": len(judged),
        "conflict_precision": right / len(judged) if judged else 1.0,
        "unlabelled": [k for k in sample if k not in labels],
        "false": [f"{k}: {labels[k]['reason']}" for k in judged if not labels[k]["label"]],
        "sample": {k: conflicts[k] for k in sample}, "found": conflicts,
        "seconds": time.perf_counter() - started}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=GVA)
    parser.add_argument("--stories", type=int, help="only the first N stories (by id)")
    parser.add_argument("--story", action="append", help="only this story (repeatable)")
    parser.add_argument("--suite", action="store_true",
                        help="only the quality gate's subset (see suite())")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--show-sample", action="store_true",
                        help="print each sampled conflict with both sides, for labelling")
    args = parser.parse_args(argv)
    if not (args.data / "dev.jsonl").exists():
        print(f"GVA stream not found under {args.data}", file=sys.stderr)
        return 1
    stories, records = load(args.data)
    if args.story:
        stories = {s: stories[s] for s in args.story if s in stories}
    if args.suite:
        stories = suite(stories)
    if args.stories:
        stories = dict(sorted(stories.items())[:args.stories])
    result = run(stories, records, progress=True)
    print(f"GVA stream dev, {result['stories']} stories of 2+ articles, "
          f"{result['seconds']:.0f} s")
    print(f"(a) briefs stating a casualty count that differs from the GVA record: "
          f"{result['mismatched']} of {result['with_counts']} stories where an article states "
          f"one ({100 * result['count_mismatch']:.1f} %)")
    for m in result["mismatches"]:
        record = ", ".join(f"{k} {v}" for k, v in m["record"].items())
        print(f"  {m['story']}: states {'; '.join(m['stated'])}; record {record}")
        for clause in m["clauses"]:
            print(f"      | {clause}")
    print(f"(b) conflicts reported: {result['conflicts']} (and {result['updates']} updates); "
          f"sampled {result['sampled']}, labelled {result['labelled']}, precision "
          f"{result['conflict_precision']:.3f}")
    for line in result["false"]:
        print(f"  false: {line}")
    for key in result["unlabelled"]:
        print(f"  unlabelled: {key}")
    if args.show_sample:
        for key, conflict in result["sample"].items():
            print(f"\n== {key} [{conflict['kind']}] {conflict['about']}")
            for side in conflict["sides"]:
                print(f"  - {side['source']} {side['published']}: {side['value']!r}")
                print(f"      | {side['text']}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
