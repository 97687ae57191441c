"""What each hand-set constant and word list of the conflicts stage does on real coverage.

    python benchmarks/gva_ablation.py [--stories N] [--json out.json] [--write]
    python benchmarks/gva_ablation.py --from-json out.json --write   # section from a saved run

The conflicts stage (``crossbrief/conflicts.py``) and the near-copy test of the align stage
(``align.COPY_CONTAINMENT``) hold constants and word lists that no fit chose: they were set
by reading news, and their effect is measured here, on the multi-article stories of the GVA
news stream (``benchmarks/gva_conflicts.py``: local US reports of shootings, with the record
of each incident). Each story is read and annotated once, through the ``opinion`` stage;
then the ``align`` and ``claims`` stages (which find the near copies, the claims, the
conflicts and the updates) run again for every variant below, each a change of one constant
or the removal of one word list. For each variant:

- **(a)** the share of stories (among those where an article states a killed or injured
  count) whose brief states a count that differs from the record (as in gva_conflicts.py);
- the conflicts and the updates reported, and of the conflicts, how many carry a hand label
  in ``benchmarks/gva_conflict_labels.json`` as true and as false, and how many are
  unlabelled (new: read them with ``gva_conflicts.py --story ID --show-sample``);
- the stories with near copies.

The baseline is run first and again last: the two must be identical, or a stage kept state
from one run to the next and the table means nothing (the run then stops with an error).
With ``--write`` the table goes into BENCHMARKS.md (``--output``), between the marks this
script left under its own section's heading (``benchmarks/page_blocks.py``: text written by
hand around them stays byte for byte; the whole run takes about half an hour on two cores),
and each constant's comment in its module cites it.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gva_conflicts  # noqa: E402  (sibling scripts, not a package)
from page_blocks import write_parts  # noqa: E402

# Each variant: (name, what it changes, {"module.ATTRIBUTE": new value}).
VARIANTS: list[tuple[str, str, dict[str, Any]]] = [
    ("baseline", "as shipped", {}),
    ("SAME_FACT 0.2", "pairs compared for conflicts from a lower claim score",
     {"conflicts.SAME_FACT": 0.2}),
    ("SAME_FACT 0.45", "… from a higher one", {"conflicts.SAME_FACT": 0.45}),
    ("NUMBER_TOLERANCE 0", "“about 10” is exactly 10", {"conflicts.NUMBER_TOLERANCE": 0.0}),
    ("NUMBER_TOLERANCE 0.25", "“about 10” is 7.5 to 12.5",
     {"conflicts.NUMBER_TOLERANCE": 0.25}),
    ("GUESS_WINDOW 0", "a date guessed from the story's anchor never conflicts",
     {"conflicts.GUESS_WINDOW": 0}),
    ("GUESS_WINDOW 30", "… conflicts within 30 days", {"conflicts.GUESS_WINDOW": 30}),
    ("HISTORY_DAYS 30", "a clause dated a month back is history",
     {"conflicts.HISTORY_DAYS": 30}),
    ("HISTORY_DAYS ∞", "no clause is history", {"conflicts.HISTORY_DAYS": 10 ** 6}),
    ("no ONCE", "dates compared for any event, not only “last”, “first” …",
     {"conflicts.ONCE": frozenset()}),
    ("no EVENTS", "no event nouns whose dates are compared", {"conflicts.EVENTS": {}}),
    ("no ANTONYMS", "no contradiction by opposite verbs", {"conflicts.ANTONYMS": frozenset()}),
    ("no REMAINDER", "“four other people” counted as the whole",
     {"conflicts.REMAINDER": frozenset()}),
    ("no INCIDENTS", "round-ups of several incidents not recognised",
     {"conflicts.INCIDENTS": frozenset()}),
    ("no PLACES", "“two died at the scene” counted as the whole",
     {"conflicts.PLACES": frozenset()}),
    ("no COUNTED_EITHER_WAY", "the attacker never counted either way",
     {"conflicts.COUNTED_EITHER_WAY": frozenset()}),
    ("no GENERIC_COUNTS", "generic counted nouns tie numbers without the same verb",
     {"conflicts.GENERIC_COUNTS": frozenset()}),
    ("COPY_CONTAINMENT 0.4", "near copies from 40 % shared 5-grams",
     {"align.COPY_CONTAINMENT": 0.4}),
    ("COPY_CONTAINMENT 0.8", "near copies from 80 % shared 5-grams",
     {"align.COPY_CONTAINMENT": 0.8}),
]


@contextmanager
def patched(changes: dict[str, Any]) -> Iterator[None]:
    """Module attributes of crossbrief set to other values for the duration."""
    import importlib

    saved = []
    for dotted, value in changes.items():
        module_name, attribute = dotted.rsplit(".", 1)
        module = importlib.import_module(f"crossbrief.{module_name}")
        if not hasattr(module, attribute):
            raise AttributeError(f"crossbrief.{dotted} does not exist")
        saved.append((module, attribute, getattr(module, attribute)))
        setattr(module, attribute, value)
    try:
        yield
    finally:
        for module, attribute, value in reversed(saved):
            setattr(module, attribute, value)


def claimed(corpus: Any, settings: Any) -> Any:
    """A copy of ``corpus`` through ``align``, ``claims`` and ``conflicts`` (the articles are
    shared: those stages read them and assign only the corpus's fields)."""
    from crossbrief.pipeline import run_stages

    copy = dataclasses.replace(corpus, stages=list(corpus.stages),
                               skipped=list(corpus.skipped), failures=list(corpus.failures))
    return run_stages(copy, ["align", "claims", "conflicts"], settings)


def outcome(story: str, corpus: Any, record: dict[str, Any] | None) -> dict[str, Any]:
    """What figure (a) and the conflict counts read from one story's brief."""
    by_id = {a.id: a for a in corpus.articles}
    counted = wrong = False
    if record is not None and gva_conflicts.states_any(corpus):
        counted = True
        wrong = any(
            not gva_conflicts.agrees(
                gva_conflicts.read_as(corpus, kind,
                                      gva_conflicts.counts_in(by_id[a], s, e)[kind], a),
                int(record[gva_conflicts.RECORD_FIELD[kind]]))
            for kind, _, a, s, e in gva_conflicts.stated(corpus))
    return {
        "counted": counted, "wrong": wrong,
        "conflicts": sorted(f"{story}:{c.id}" for c in corpus.conflicts if not c.update),
        "updates": sum(1 for c in corpus.conflicts if c.update),
        "copies": bool(corpus.near_copies),
    }


def run(stories: dict[str, list[dict[str, Any]]], records: dict[str, Any],
        progress: bool = False) -> dict[str, Any]:
    import crossbrief

    settings = crossbrief.load_settings()
    labels = gva_conflicts.load_labels()
    names = [name for name, _, _ in VARIANTS] + ["baseline again"]
    changes = {name: change for name, _, change in VARIANTS}
    changes["baseline again"] = {}
    per: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    started = time.perf_counter()
    for n, (story, items) in enumerate(sorted(stories.items())):
        if progress and n % 25 == 0:
            print(f"  {n}/{len(stories)} stories, {time.perf_counter() - started:.0f} s",
                  file=sys.stderr)
        corpus = gva_conflicts.brief(items, settings, through="opinion")
        for name in names:
            with patched(changes[name]):
                per[name].append(outcome(story, claimed(corpus, settings),
                                         records.get(story)))
    if per["baseline"] != per["baseline again"]:
        raise RuntimeError("the baseline changed between its two runs: the variants are "
                           "not independent")
    rows = []
    for name, meaning, _ in VARIANTS:
        results = per[name]
        counted = sum(r["counted"] for r in results)
        wrong = sum(r["wrong"] for r in results)
        found = [key for r in results for key in r["conflicts"]]
        rows.append({
            "variant": name, "meaning": meaning, "counted": counted, "wrong": wrong,
            "mismatch": wrong / counted if counted else 0.0,
            "conflicts": len(found),
            "true": sum(1 for k in found if k in labels and labels[k]["label"]),
            "false": sum(1 for k in found if k in labels and not labels[k]["label"]),
            "unlabelled": sorted(k for k in found if k not in labels),
            "updates": sum(r["updates"] for r in results),
            "copies": sum(r["copies"] for r in results),
        })
    return {"stories": len(stories), "rows": rows, "measured": measured_on(),
            "seconds": time.perf_counter() - started}


SECTION = "## Conflicts: what each hand-set constant does (GVA stream)"
BLOCK = "gva_ablation"  # the block of BENCHMARKS.md under SECTION this script writes


def measured_on() -> str:
    """Date, machine and software of a run, recorded with its result (a section written
    later from the saved result says where the figures came from, not where it was written)."""
    from run import machine, versions

    return f"{datetime.date.today().isoformat()}, {machine()}; {versions()}"


def section(result: dict[str, Any], command: str) -> str:
    return "\n".join([
        SECTION,
        "",
        f"*This section: `{command}`, {result.get('measured') or measured_on()}.*",
        "",
        f"The {result['stories']} stories of two or more articles of the GVA stream (as in "
        "the section on conflicts above), each read once and then claimed again under each "
        "variant: one constant of the conflicts stage changed, or one of its word lists "
        "emptied (`benchmarks/gva_ablation.py`, definitions in its docstring). No search chose "
        "any of them; the casualty word lists (REMAINDER, INCIDENTS, PLACES, "
        "COUNTED_EITHER_WAY) and HISTORY_DAYS were written from reading these very briefs, so "
        "their effect here is in-sample. A conflict labelled true or "
        "false is one of `benchmarks/gva_conflict_labels.json`; unlabelled ones are new "
        "conflicts a variant finds (listed there by the script).",
        "",
        *markdown(result),
        "",
    ])


def markdown(result: dict[str, Any]) -> list[str]:
    lines = [
        "| variant | what changes | (a) count differs | conflicts | labelled true / false "
        "| unlabelled | updates | stories with near copies |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["rows"]:
        name = f"**{row['variant']}**" if row["variant"] == "baseline" else row["variant"]
        lines.append(
            f"| {name} | {row['meaning']} | {100 * row['mismatch']:.1f} % "
            f"({row['wrong']}/{row['counted']}) | {row['conflicts']} | {row['true']} / "
            f"{row['false']} | {len(row['unlabelled'])} | {row['updates']} | {row['copies']} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=gva_conflicts.GVA)
    parser.add_argument("--stories", type=int, help="only the first N stories (by id)")
    parser.add_argument("--json", type=Path, help="save the result here")
    parser.add_argument("--from-json", type=Path, help="read a saved result, run nothing")
    parser.add_argument("--write", action="store_true",
                        help="put the table into BENCHMARKS.md")
    parser.add_argument("--output", type=Path, default=HERE.parent / "BENCHMARKS.md",
                        help="the page --write writes (its block between marks)")
    args = parser.parse_args(argv)
    if args.from_json:
        result = json.loads(args.from_json.read_text("utf-8"))
        print("\n".join(markdown(result)))
        return write(result, args.output) if args.write else 0
    if not (args.data / "dev.jsonl").exists():
        print(f"GVA stream not found under {args.data}", file=sys.stderr)
        return 1
    stories, records = gva_conflicts.load(args.data)
    if args.stories:
        stories = dict(sorted(stories.items())[:args.stories])
    result = run(stories, records, progress=True)
    print(f"GVA stream dev, {result['stories']} stories of 2+ articles, "
          f"{len(VARIANTS)} variants, {result['seconds']:.0f} s")
    print("\n".join(markdown(result)))
    for row in result["rows"]:
        for key in row["unlabelled"]:
            print(f"  {row['variant']}: unlabelled {key}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return write(result, args.output) if args.write and not args.stories else 0


def write(result: dict[str, Any], path: Path) -> int:
    """Put the section's block into the page at ``path``, every other character as it was:
    0, or 1 where the page lacks the block's marks (nothing written, the reason on stderr)."""
    _, body = section(result, "python benchmarks/gva_ablation.py --write").split("\n", 1)
    return write_parts(path, SECTION, [(BLOCK, body)], "benchmarks/gva_ablation.py")


if __name__ == "__main__":
    sys.exit(main())
