"""Support lines of agreed claims with a claims-model flag off and on, and the lines that differ.

Each story is briefed twice (``crossbrief.analyze``) with the shipped claims model but the
boolean field FLAG of ``align.ClaimModel`` (``rules`` in ``claims.json``: ``mood_veto``,
``subject_veto``, ...) set to False, then True. For every consensus or corroborated claim its
support lines after the first are listed; a line in one brief and not the other is printed
with its claim and, for the other brief, the claim where that line sits there (or "not a
claim line"), so each difference can be read. The last line totals: support lines off/on,
agreed claims off/on, lines removed, lines added.

Stories: ``ten`` are the ten read while designing the support rules (DUC 2004 clusters,
their ``docs/`` as files; GVA dev stories by gold ``story``, their records of
``dev.jsonl`` as one JSON Lines input), ``other`` sixteen more GVA dev stories, ``all``
both. In sample: nothing is fitted; the lines are read, not scored.

Usage (from the repository root, ``PYTHONPATH=src``, ``OMP_NUM_THREADS=1``)::

    python benchmarks/support_lines.py mood_veto all
"""
from __future__ import annotations

import dataclasses
import json
import sys
import tempfile
from pathlib import Path

from crossbrief import align
from crossbrief.pipeline import analyze

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
TEN_DUC = ["d30017t", "d30022t", "d30026t", "d30028t", "d30031t"]
TEN_GVA = ["479561", "479592", "480311", "480344", "480358"]
OTHER = ["525767", "577157", "324644", "405133", "483049", "566168", "336622", "357164",
         "451495", "490627", "530076", "559237", "479363", "482801", "281039", "433498"]


def gva_file(story: str, folder: Path) -> str:
    """The story's GVA dev records (first of each id) as one JSON Lines file in ``folder``."""
    path = folder / f"{story}.jsonl"
    seen, lines = set(), []
    for line in (SHARED / "gva-stream/dev.jsonl").open(encoding="utf-8"):
        item = json.loads(line)
        if str(item["story"]) == story and item["id"] not in seen:
            seen.add(item["id"])
            lines.append(line.rstrip("\n"))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def lines(inputs: list[str], flag: str, value: bool
          ) -> tuple[list[tuple[str, str, str]], int, dict[tuple[str, str], str]]:
    """(support lines after the first of each agreed claim as (claim, article, line), the
    number of claims not single, where each support line sits: its claim's status and text)."""
    align._MODEL = None
    align._MODEL = dataclasses.replace(align.claim_model(), **{flag: value})
    try:
        brief = analyze(inputs)
    finally:
        align._MODEL = None
    text = {a.id: a.text for a in brief.articles}
    out = []
    where = {}
    for claim in brief.claims:
        for span in claim.support:
            where[(span.article, text[span.article][span.start:span.end])] = \
                f"{claim.status}: {claim.text[:90]}"
    for claim in brief.claims:
        if claim.status not in ("consensus", "corroborated"):
            continue
        for span in claim.support[1:]:
            out.append((claim.text, span.article, text[span.article][span.start:span.end]))
    return out, sum(c.status != "single" for c in brief.claims), where


def main() -> None:
    if len(sys.argv) != 3 or sys.argv[2] not in ("ten", "other", "all"):
        sys.exit("usage: support_lines.py FLAG ten|other|all")
    flag, which = sys.argv[1], sys.argv[2]
    if not isinstance(getattr(align.claim_model(), flag, None), bool):
        sys.exit(f"support_lines.py: {flag!r} is no boolean field of the claims model")
    stories = {"ten": [("duc", s) for s in TEN_DUC] + [("gva", s) for s in TEN_GVA],
               "other": [("gva", s) for s in OTHER]}
    chosen = stories["ten"] + stories["other"] if which == "all" else stories[which]
    totals = [0, 0, 0, 0, 0, 0]
    with tempfile.TemporaryDirectory() as folder:
        for kind, story in chosen:
            inputs = [str(SHARED / "duc2004/clusters" / story / "docs")] if kind == "duc" \
                else [gva_file(story, Path(folder))]
            off, agreed_off, where_off = lines(inputs, flag, False)
            on, agreed_on, where_on = lines(inputs, flag, True)
            removed = [x for x in off if x not in on]
            added = [x for x in on if x not in off]
            totals = [t + v for t, v in zip(totals, (len(off), len(on), agreed_off, agreed_on,
                                                     len(removed), len(added)), strict=True)]
            print(f"=== {story}: support lines {len(off)} -> {len(on)}, agreed claims "
                  f"{agreed_off} -> {agreed_on}, removed {len(removed)}, added {len(added)}",
                  flush=True)
            for sign, items, other in (("-", removed, where_on), ("+", added, where_off)):
                for claim, article, line in items:
                    print(f"{sign} CLAIM: {claim}\n  LINE [{article}]: {line}\n  OTHER BRIEF: "
                          f"{other.get((article, line), 'not a claim line')}", flush=True)
    print("TOTAL lines off/on, agreed off/on, removed, added:", totals)


if __name__ == "__main__":
    main()
