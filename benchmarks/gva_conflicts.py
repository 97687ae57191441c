"""Conflicts and updates on real coverage: the multi-article stories of the GVA news stream.

    python benchmarks/gva_conflicts.py [--stories N | --story ID … | --suite] [--json out.json]
                                       [--show-sample]
    python benchmarks/gva_conflicts.py --recall [--show-sample] [--json out.json]

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

(c) **recall** (``--recall``, its own run): the *candidate disagreements* are the stories and
    casualty kinds (``<story>:dead``, ``<story>:injured``) where two articles of the story each
    state a count of that kind, read as (a) reads them (``counts_in``), whose ranges do not
    meet ("two" and "three"; not "about ten" and "eleven"). ``RECALL_SAMPLE`` of them are
    sampled as (b) samples (the keys with the smallest SHA-256 of ``SEED`` + key; found by
    walking every story's two keys in that order and briefing a story only when its turn
    comes, until that many are candidates: the same sample as ranking all, without briefing
    all 842). Each is labelled by hand in ``benchmarks/gva_recall_labels.json``: ``disagree``
    (the outlets give different counts of the same thing at the same time), ``update`` (a
    later count: a victim died, more were found), ``other`` (different things: the attacker
    counted, a part of the victims, another incident, a misreading), with a one-line reason.
    Recall of conflicts: the ``disagree`` candidates whose brief reports a conflict (not an
    update) of that count (``how many: dead`` / ``injured``) between two of the candidate's
    own counts that do not meet (each side the same article, value and clause; ``hit``), over
    the ``disagree`` ones; of updates, likewise the ``update`` candidates whose brief reports
    an update of them. A labelled ``disagree`` or ``update`` key walked but no longer a
    candidate (the stage now reads its counts alike) is a miss, and printed as one.

(d) **ages read** (in the same run as (a) and (b)): every age the conflicts stage reads
    beside a named person (``conflicts.ages``) whose name matches a participant of the
    incident's record (the same first and last word, accents and case folded), against the
    participant's age there: the same, one year apart, or otherwise. The record is GVA's,
    compiled from some of the same reports: a figure of agreement, not of truth.

Goals (issue 12): (a) under 10 %, (b) at least 0.90.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
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
RECALL_LABELS = HERE / "gva_recall_labels.json"
SAMPLE = 100
RECALL_SAMPLE = 60
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


def rank(key: str) -> str:
    """A key's place in the seeded random order the samples are drawn in."""
    return hashlib.sha256(f"{SEED}:{key}".encode()).hexdigest()


def candidates(corpus: Any) -> dict[str, list[dict[str, Any]]]:
    """The casualty kinds on which two articles of the story disagree (recall's candidates,
    module docstring (c)): kind -> each article's counts of that kind (source, published,
    value, clause, where, range), in publication order."""
    from crossbrief.align import split_units

    stated: dict[str, dict[str, list[dict[str, Any]]]] = {k: {} for k in CASUALTIES}
    for article in corpus.articles:
        for unit in split_units(article):
            for kind, value in counts_in(article, unit.start, unit.end).items():
                stated[kind].setdefault(article.id, []).append(
                    {"value": value.text, "clause": article.text[unit.start:unit.end],
                     "start": unit.start, "end": unit.end,
                     "low": float(value.low), "high": float(value.high)})
    by_id = {a.id: a for a in corpus.articles}
    found = {}
    for kind, of_article in stated.items():
        if any(_differ(x, y) for a, b in itertools.combinations(sorted(of_article), 2)
               for x in of_article[a] for y in of_article[b]):
            found[kind] = [
                {"article": a, "source": by_id[a].source, "published": by_id[a].published,
                 "counts": of_article[a]}
                for a in sorted(of_article, key=lambda a: (by_id[a].published or "", a))]
    return found


def _differ(x: dict[str, Any], y: dict[str, Any]) -> bool:
    """Whether two counts' ranges do not meet."""
    return bool(x["high"] < y["low"] or y["high"] < x["low"])


def reported(corpus: Any) -> dict[str, list[dict[str, Any]]]:
    """Casualty kind -> the brief's number conflicts and updates of it: what ("conflict",
    "update") and its sides (article, value, start, end)."""
    found: dict[str, list[dict[str, Any]]] = {k: [] for k in CASUALTIES}
    for conflict in corpus.conflicts:
        kind = conflict.about.removeprefix("how many: ")
        if conflict.kind == "number" and kind in found:
            found[kind].append({
                "what": "update" if conflict.update else "conflict",
                "sides": [{"article": s.article, "value": s.value, "start": s.start,
                           "end": s.end} for s in conflict.sides]})
    return found


def hit(item: dict[str, Any], what: str) -> bool:
    """Whether the brief reports the candidate's disagreement as ``what`` ("conflict",
    "update"): a reported one of its kind with two sides, each a count the candidate holds
    (the same article, value and clause), from two articles, whose ranges do not meet; not
    merely some conflict of that kind elsewhere in the story."""
    held = {a["article"]: a["counts"] for a in item["articles"]}

    def count_of(side: dict[str, Any]) -> list[dict[str, Any]]:
        return [c for c in held.get(side["article"], [])
                if c["value"] == side["value"] and c["start"] < side["end"]
                and side["start"] < c["end"]]

    for found in item["reported"]:
        if found["what"] != what:
            continue
        for a, b in itertools.combinations(found["sides"], 2):
            if a["article"] != b["article"] and any(
                    _differ(x, y) for x in count_of(a) for y in count_of(b)):
                return True
    return False


def score(sample: dict[str, dict[str, Any]], dropped: list[str],
          labels: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Recall's figures from the sampled candidates (key -> ``articles``, ``reported``) and
    the walked keys that are no candidate now (``dropped``): a labelled ``disagree`` or
    ``update`` key that is no longer a candidate (its counts read alike, or no longer read)
    is a miss, never left out."""
    judged = {k: labels[k]["label"] for k in sorted(set(sample) | set(dropped))
              if k in labels}
    figures: dict[str, Any] = {}
    misses: list[str] = []
    for label, what in (("disagree", "conflict"), ("update", "update")):
        chosen = [k for k, v in judged.items() if v == label]
        hits = [k for k in chosen if k in sample and hit(sample[k], what)]
        figures[label] = {"labelled": len(chosen), "reported": len(hits),
                          "recall": len(hits) / len(chosen) if chosen else None}
        misses += [f"{k} ({label}{'' if k in sample else ', no longer a candidate'}): "
                   f"{labels[k]['reason']}" for k in chosen if k not in hits]
    return {"labelled": len(judged), "figures": figures, "misses": sorted(misses),
            "other": sum(1 for v in judged.values() if v == "other"),
            "unlabelled": [k for k in sorted(sample) if k not in labels]}


def recall(stories: dict[str, list[dict[str, Any]]], size: int = RECALL_SAMPLE,
           labels: dict[str, dict[str, Any]] | None = None,
           progress: bool = False) -> dict[str, Any]:
    """Recall of conflicts and of updates on the sampled candidates (module docstring (c))."""
    import crossbrief

    settings = crossbrief.load_settings()
    labels = load_labels(RECALL_LABELS) if labels is None else labels
    started = time.perf_counter()
    keys = sorted((f"{story}:{kind}" for story in stories for kind in CASUALTIES), key=rank)
    briefed: dict[str, tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]] = {}
    sample: dict[str, dict[str, Any]] = {}
    dropped: list[str] = []
    walked = 0
    for key in keys:
        if len(sample) >= size:
            break
        walked += 1
        story, _, kind = key.partition(":")
        if story not in briefed:
            if progress and len(briefed) % 25 == 0:
                print(f"  {len(briefed)} stories briefed, {len(sample)} candidates, "
                      f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
            corpus = brief(stories[story], settings)
            briefed[story] = candidates(corpus), reported(corpus)
        found, said = briefed[story]
        if kind in found:
            sample[key] = {"articles": found[kind], "reported": said[kind]}
        else:
            dropped.append(key)
    return {"walked": walked, "briefed": len(briefed), "sampled": len(sample),
            **score(sample, dropped, labels), "sample": sample,
            "seconds": time.perf_counter() - started}


def sample_keys(keys: Iterable[str], size: int = SAMPLE) -> list[str]:
    """The ``size`` keys with the smallest seeded hash: a random sample that stays put when
    keys come and go."""
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


def _person_words(name: str) -> list[str]:
    from crossbrief.clean import fold
    return [w for w in fold(name).replace(".", " ").split() if len(w) > 1]


def ages_read(corpus: Any, record: dict[str, Any] | None) -> list[dict[str, Any]]:
    """(d): each age the conflicts stage reads beside a named person who is a participant of
    the incident's record, with the record's age and the verdict."""
    from crossbrief.conflicts import ages

    people = [(_person_words(p.get("Name") or ""), (p.get("Age") or "").strip())
              for p in (record or {}).get("participants", [])]
    found = []
    for article in corpus.articles:
        for age, start, _, name, _, _ in ages(article).values():
            words = _person_words(name)
            given = {a for w, a in people if a.isdigit() and w and words
                     and (w[0], w[-1]) == (words[0], words[-1])}
            if not given:
                continue
            verdict = "same" if str(age) in given else "one year apart" if any(
                abs(int(a) - age) == 1 for a in given) else "other"
            found.append({"name": name, "age": age, "record": sorted(given),
                          "verdict": verdict, "source": article.source,
                          "text": article.text[max(0, start - 60):start + 30]})
    return found


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
    read_ages: list[dict[str, Any]] = []
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
        read_ages.extend({"story": story, **a} for a in ages_read(corpus, record))
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
        "ages": read_ages, "seconds": time.perf_counter() - started}


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
    parser.add_argument("--recall", action="store_true",
                        help="measure recall on sampled candidate disagreements (c) instead")
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
    if args.recall:
        return show_recall(recall(stories, progress=True), args.show_sample, args.json)
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
    verdicts = {v: sum(1 for a in result["ages"] if a["verdict"] == v)
                for v in ("same", "one year apart", "other")}
    aged = sum(1 for c in result["found"].values() if c["about"].startswith("how old"))
    print(f"(d) ages read beside a person of the record: {len(result['ages'])}; "
          + ", ".join(f"{v} {n}" for v, n in verdicts.items())
          + f"; age conflicts reported {aged}")
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


def show_recall(result: dict[str, Any], show_sample: bool, out: Path | None) -> int:
    print(f"GVA stream dev: {result['sampled']} candidate disagreements sampled "
          f"({result['walked']} story-kinds walked, {result['briefed']} stories briefed, "
          f"{result['seconds']:.0f} s); labelled {result['labelled']}, "
          f"{result['other']} other")
    for label, what in (("disagree", "conflicts"), ("update", "updates")):
        f = result["figures"][label]
        figure = "n/a" if f["recall"] is None else f"{f['recall']:.2f}"
        print(f"(c) recall of {what}: {f['reported']} reported of {f['labelled']} "
              f"labelled {label} ({figure})")
    for line in result["misses"]:
        print(f"  missed: {line}")
    for key in result["unlabelled"]:
        print(f"  unlabelled: {key}")
    if show_sample:
        for key, item in result["sample"].items():
            said = sorted({r["what"] for r in item["reported"]})
            print(f"\n== {key} reported: {', '.join(said) or 'nothing'}")
            for article in item["articles"]:
                print(f"  - {article['source']} {article['published']} {article['article']}")
                for count in article["counts"]:
                    print(f"      {count['value']!r} | {count['clause']}")
    if out:
        out.write_text(json.dumps(result, indent=2, default=sorted) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
