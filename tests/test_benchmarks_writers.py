"""The scripts other than benchmarks/run.py that write BENCHMARKS.md (fuzz.py, gva_ablation.py,
scale.py, scu_encoder.py) write it through benchmarks/page_blocks.py, as run.py does: only
between the marks they leave under their sections' headings, so a rerun keeps the paragraphs
written by hand among and after their figures byte for byte (before, each replaced its whole
section). On stand-in pages in a temporary directory, with stand-in figures; never the long
benchmarks, never the real page (read only, for its marks)."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .conftest import ROOT, benchmark

B = "<!-- benchmarks/{} writes from here: {} -->"
E = "<!-- benchmarks/{} writes up to here: {} -->"
MARK = re.compile(r"(?m)^<!-- (benchmarks/\S+) writes from here: (.+) -->\n(?:.*\n)*?"
                  r"<!-- \1 writes up to here: \2 -->$")


def outside(page: str) -> str:
    """``page`` with what lies between each block's marks left out: what a writer keeps."""
    return MARK.sub(lambda m: m.group(0).split("\n", 1)[0] + "\n" + m.group(0).rsplit(
        "\n", 1)[1], page)


def blocks(page: str) -> dict[str, str]:
    """Each block's name and what it holds."""
    return {m.group(2): m.group(0).split("\n", 1)[1].rsplit("\n", 1)[0] + "\n"
            for m in MARK.finditer(page)}


def held(text: str) -> str:
    """What a block holds for a part's ``text``."""
    return "\n" + text.strip("\n") + "\n\n" if text.strip() else "\n"


def written(tmp_path: Path, page: str) -> Path:
    path = tmp_path / "BENCHMARKS.md"
    path.write_text(page, "utf-8")
    return path


# --- benchmarks/page_blocks.py: sections of several blocks ------------------------------------

BLOCKS_PAGE = f"""# Benchmarks

## A section of two blocks
{B.format("x.py", "a")}

old figures

{E.format("x.py", "a")}

A paragraph written by hand between the figures.

{B.format("x.py", "a notes")}

old notes

{E.format("x.py", "a notes")}

A paragraph written by hand after them.

## Written by hand

The end.
"""


def test_blocks_are_written_in_place_and_nothing_else() -> None:
    pb = benchmark("page_blocks")
    new = pb.put_parts(BLOCKS_PAGE, "## A section of two blocks",
                       [("a", "new figures\n"), ("a notes", "")], "benchmarks/x.py")
    assert new == BLOCKS_PAGE.replace("\nold figures\n\n", "\nnew figures\n\n").replace(
        "\nold notes\n\n", "\n")
    assert pb.put_parts(new, "## A section of two blocks",
                        [("a", "new figures"), ("a notes", "")], "benchmarks/x.py") == new


def test_a_section_missing_a_mark_or_its_marks_is_not_written() -> None:
    pb = benchmark("page_blocks")
    with pytest.raises(pb.PageError):  # one block of the two lost its marks
        pb.put_parts(BLOCKS_PAGE.replace(B.format("x.py", "a notes") + "\n", ""),
                     "## A section of two blocks", [("a", "x"), ("a notes", "y")],
                     "benchmarks/x.py")
    with pytest.raises(pb.PageError, match="no marks"):
        pb.put_parts(BLOCKS_PAGE, "## Written by hand", [("hand", "x")], "benchmarks/x.py")
    with pytest.raises(pb.PageError):  # the marks under another heading
        pb.put_parts(BLOCKS_PAGE, "## Another", [("a", "x"), ("a notes", "y")],
                     "benchmarks/x.py")


def test_a_new_section_is_added_with_its_marks_at_the_end_or_after_a_section() -> None:
    pb = benchmark("page_blocks")
    parts = [("n", "new figures"), ("n notes", "new notes")]
    section = (f"## New\n{B.format('y.py', 'n')}\n\nnew figures\n\n{E.format('y.py', 'n')}\n\n"
               f"{B.format('y.py', 'n notes')}\n\nnew notes\n\n{E.format('y.py', 'n notes')}\n")
    assert pb.put_parts(BLOCKS_PAGE, "## New", parts, "benchmarks/y.py") == \
        BLOCKS_PAGE + "\n" + section
    after = pb.put_parts(BLOCKS_PAGE, "## New", parts, "benchmarks/y.py",
                         after="## A section of two blocks")
    assert after == BLOCKS_PAGE.replace("## Written by hand", section + "\n## Written by hand")
    assert pb.put_parts(after, "## New", parts, "benchmarks/y.py") == after


# --- benchmarks/fuzz.py -----------------------------------------------------------------------

FUZZ_PAGE = f"""# Benchmarks

## Robustness: fuzzing
{B.format("fuzz.py", "fuzz")}

*This section: an old campaign.*

| | |
|---|---:|
| inputs tried | 12 |

{E.format("fuzz.py", "fuzz")}

Run-on sentences (written by hand, under the campaign's figures).

Lead clauses (written by hand too).

{B.format("fuzz.py", "fuzz listings")}

Slowest calls, per article:

- 5.24 s per article: an old input

{E.format("fuzz.py", "fuzz listings")}

A last paragraph written by hand.

## Entities: another section

Its text.
"""


def test_fuzz_rewrites_its_two_blocks_and_keeps_the_paragraphs_between(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fuzz = benchmark("fuzz")
    run = benchmark("run")
    monkeypatch.setitem(sys.modules, "run", run)
    monkeypatch.setattr(run, "machine", lambda: "MACHINE")
    monkeypatch.setattr(run, "versions", lambda: "SOFTWARE")
    report = fuzz.Report(calls=3, inputs=7, distinct={"a", "b"}, origins=Counter(gva=7),
                         articles=9, crashes=["x.txt: boom"], slowest=[(1.5, "y.txt (tiny)")])
    parts = fuzz.section_parts(report, 2024, 2, "python benchmarks/fuzz.py")
    assert [name for name, _ in parts] == [fuzz.BLOCK, fuzz.BLOCK_LISTINGS]
    path = written(tmp_path, FUZZ_PAGE)
    assert fuzz.write_section(parts, path) == 0
    page = path.read_text("utf-8")
    assert outside(page) == outside(FUZZ_PAGE)
    assert blocks(page) == {name: held(text) for name, text in parts}
    assert "| **crashes** (exception out of `analyze`, worker died) | 1 |" in blocks(page)["fuzz"]
    assert "- x.txt: boom" in blocks(page)["fuzz listings"]
    assert fuzz.write_section(parts, path) == 0  # again: the same page
    assert path.read_text("utf-8") == page
    assert fuzz.section(report, 2024, 2, "c").startswith("## Robustness: fuzzing\n\n*This")


def test_fuzz_writes_nothing_where_its_section_has_no_marks(tmp_path: Path) -> None:
    fuzz = benchmark("fuzz")
    unmarked = re.sub(r"(?m)^<!--.*-->\n", "", FUZZ_PAGE)
    path = written(tmp_path, unmarked)
    assert fuzz.write_section([(fuzz.BLOCK, "new"), (fuzz.BLOCK_LISTINGS, "")], path) == 1
    assert path.read_text("utf-8") == unmarked


# --- benchmarks/gva_ablation.py ---------------------------------------------------------------

ABLATION_PAGE = f"""# Benchmarks

## Conflicts: what each hand-set constant does (GVA stream)
{B.format("gva_ablation.py", "gva_ablation")}

*This section: an old run.*

| old | table |

{E.format("gva_ablation.py", "gva_ablation")}

A paragraph written by hand under the table.

## Sentence opinion: another section
"""

ABLATION_RESULT: dict[str, Any] = {
    "stories": 2, "measured": "2000-01-01, MACHINE; SOFTWARE",
    "rows": [{"variant": "baseline", "meaning": "as shipped", "mismatch": 0.5, "wrong": 1,
              "counted": 2, "conflicts": 3, "true": 2, "false": 1, "unlabelled": [],
              "updates": 4, "copies": 5}]}


@pytest.fixture()
def ablation() -> ModuleType:
    return benchmark("gva_ablation")


def test_gva_ablation_rewrites_its_block_and_keeps_the_rest(ablation: ModuleType,
                                                            tmp_path: Path) -> None:
    result = tmp_path / "result.json"
    result.write_text(json.dumps(ABLATION_RESULT), "utf-8")
    path = written(tmp_path, ABLATION_PAGE)
    argv = ["--from-json", str(result), "--write", "--output", str(path)]
    assert ablation.main(argv) == 0
    page = path.read_text("utf-8")
    assert outside(page) == outside(ABLATION_PAGE)
    text = ablation.section(ABLATION_RESULT, "python benchmarks/gva_ablation.py --write")
    assert blocks(page) == {"gva_ablation": held(text.split("\n", 1)[1])}
    assert "| **baseline** | as shipped | 50.0 % (1/2) | 3 | 2 / 1 | 0 | 4 | 5 |" in page
    assert ablation.main(argv) == 0
    assert path.read_text("utf-8") == page


def test_gva_ablation_writes_nothing_where_its_section_has_no_marks(
        ablation: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = tmp_path / "result.json"
    result.write_text(json.dumps(ABLATION_RESULT), "utf-8")
    unmarked = re.sub(r"(?m)^<!--.*-->\n", "", ABLATION_PAGE)
    path = written(tmp_path, unmarked)
    assert ablation.main(["--from-json", str(result), "--write", "--output", str(path)]) == 1
    assert path.read_text("utf-8") == unmarked
    assert "no marks" in capsys.readouterr().err


# --- benchmarks/scale.py ----------------------------------------------------------------------

RUN = {"seconds": 10.0, "cluster_start_seconds": 1.0, "read_and_cluster_seconds": 2.0,
       "brief_seconds": 7.0, "worker_peak_mib": [600.0], "stories": 30, "articles": 60,
       "briefed_stories": 10, "briefed_articles": 40, "load_average": [1.0, 1.0, 1.0]}
SCALE_RESULT: dict[str, Any] = {
    "stream": "first 60 articles of dev.jsonl", "stream_name": "gva", "limit": 60,
    "one": RUN, "two": {**RUN, "seconds": 5.5, "worker_peak_mib": [500.0, 510.0]},
    "speedup": 1.82, "brief_speedup": 1.9, "identical": True,
    "spacy_articles_per_second": 10.0, "crossbrief_articles_per_second": 9.0,
    "core_seconds_per_article": 0.2}
MEMORY_RESULT: dict[str, Any] = {
    "limit": 0, "stream_name": "larger", "articles": 100, "stream": "the larger stream",
    "before": {"parent_peak_mib": 900.0, "worker_peak_mib": [700.0], "output_bytes": 2e6,
               "seconds": 80.0, "output_sha256": "s"},
    "after": {"parent_peak_mib": 200.0, "worker_peak_mib": [690.0], "output_bytes": 2e6,
              "seconds": 70.0, "output_sha256": "s"},
    "after_source": None, "before_commit": "aaaaaaa", "after_commit": "bbbbbbb"}


def scale_page(scale: ModuleType) -> str:
    """A page with the three sections scale.py writes, each with hand text among its blocks
    (as the real page has them)."""
    lines = ["# Benchmarks", ""]
    for heading, parts in (scale.section(SCALE_RESULT),
                           scale.section({**SCALE_RESULT, "stream_name": "larger"}),
                           scale.memory_section(MEMORY_RESULT)):
        lines.append(heading)
        for n, (name, _) in enumerate(parts):
            lines += [f"<!-- benchmarks/scale.py writes from here: {name} -->", "",
                      f"old {name}", "", f"<!-- benchmarks/scale.py writes up to here: {name} -->",
                      "", f"Written by hand after {name} ({n}).", ""]
    return "\n".join([*lines, "## Written by hand", "", "The end."]) + "\n"


def test_scale_rewrites_its_blocks_and_keeps_the_paragraphs_among_them(tmp_path: Path) -> None:
    scale = benchmark("scale")
    old = scale_page(scale)
    path = written(tmp_path, old)
    for result, memory in ((SCALE_RESULT, False), ({**SCALE_RESULT, "stream_name": "larger"},
                                                   False), (MEMORY_RESULT, True)):
        saved = tmp_path / "figures.json"
        saved.write_text(json.dumps(result), "utf-8")
        argv = [*(["--memory"] if memory else []), "--from-json", str(saved), "--write",
                "--output", str(path)]
        assert scale.main(argv) == 0
        _, parts = (scale.memory_section if memory else scale.section)(result)
        page = path.read_text("utf-8")
        for name, text in parts:
            assert blocks(page)[name] == held(text)
        assert scale.main(argv) == 0  # again: the same page
        assert path.read_text("utf-8") == page
    assert outside(page) == outside(old)
    assert not [v for v in blocks(page).values() if v.startswith("\nold ")]
    assert "**1.82x** end to end" in blocks(page)["scale figures"]
    assert "Outputs byte-identical: **yes**." in blocks(page)["scale-memory"]


def test_scale_writes_nothing_where_its_section_has_no_marks(tmp_path: Path) -> None:
    scale = benchmark("scale")
    unmarked = re.sub(r"(?m)^<!--.*-->\n", "", scale_page(scale))
    path = written(tmp_path, unmarked)
    heading, parts = scale.section(SCALE_RESULT)
    assert scale.write(heading, parts, path) == 1
    assert path.read_text("utf-8") == unmarked


# --- benchmarks/scu_encoder.py ----------------------------------------------------------------

SCU = "## Claim alignment: DUC 2006 SCU-marked coverage"
ENCODER_PAGE = f"""# Benchmarks

{SCU}

The SCU figures, and a paragraph written by hand.

## Claim alignment: trained pair representations (DUC 2006 SCU)
{B.format("scu_encoder.py", "scu_encoder")}

old comparison

{E.format("scu_encoder.py", "scu_encoder")}

A paragraph written by hand under the comparison.

## Claim alignment: soft word alignment (DUC 2006 SCU)

Its text.
"""


def test_scu_encoder_rewrites_its_block_or_adds_its_section_after_the_scu_one(
        tmp_path: Path) -> None:
    encoder = benchmark("scu_encoder")
    saved = ROOT / "benchmarks" / "scu_encoder.json"
    summary = json.loads(saved.read_text("utf-8"))
    body = encoder.section(summary, summary["command"]).split("\n", 1)[1]
    path = written(tmp_path, ENCODER_PAGE)
    argv = ["--from-json", str(saved), "--write", "--output", str(path)]
    assert encoder.main(argv) == 0
    page = path.read_text("utf-8")
    assert page == ENCODER_PAGE.replace("\nold comparison\n\n", held(body))
    assert encoder.main(argv) == 0
    assert path.read_text("utf-8") == page
    # no such section yet: added, with its marks, right after the SCU section
    without = ENCODER_PAGE.split("## Claim alignment: trained")[0] + \
        "## Claim alignment: soft" + ENCODER_PAGE.split("## Claim alignment: soft")[1]
    path.write_text(without, "utf-8")
    assert encoder.main(argv) == 0
    assert path.read_text("utf-8") == page.replace(
        "A paragraph written by hand under the comparison.\n\n", "")


# --- the real page ------------------------------------------------------------------------------

HAND = ("Run-on sentences (2026-11-30", "Lead clauses and many names", "Role speakers (2026",
        "Before (one line each)", "**Both goals are met", "Before (commit aaee076",
        "**Again at c214d52**")


def test_the_real_page_has_every_writers_blocks_with_the_hand_text_outside() -> None:
    fuzz, ablation, scale, encoder = (benchmark(name) for name in (
        "fuzz", "gva_ablation", "scale", "scu_encoder"))
    page = (ROOT / "BENCHMARKS.md").read_text("utf-8")
    writers = [
        ("benchmarks/fuzz.py", fuzz.SECTION, [fuzz.BLOCK, fuzz.BLOCK_LISTINGS]),
        ("benchmarks/gva_ablation.py", ablation.SECTION, [ablation.BLOCK]),
        ("benchmarks/scu_encoder.py", encoder.SECTION, [encoder.BLOCK]),
        *((scale.SCRIPT, heading, [name for name, _ in parts]) for heading, parts in (
            scale.section(SCALE_RESULT), scale.section({**SCALE_RESULT, "stream_name": "larger"}),
            scale.memory_section(MEMORY_RESULT))),
    ]
    for script, heading, names in writers:
        changed = benchmark("page_blocks").put_parts(
            page, heading, [(name, "X") for name in names], script)
        assert outside(changed) == outside(page)
        assert all(blocks(changed)[name] == "\nX\n\n" for name in names)
    kept = outside(page)
    for start in HAND:
        assert page.count(start) == 1 and start in kept, start


# --- benchmarks/stories.py --write ------------------------------------------------------------

STORIES_PAGE = f"""# Benchmarks

## Stories from a stream: GVA news stream
{B.format("run.py", "stories")}

*This section: an old run.*

| old | table |

{E.format("run.py", "stories")}

After the clustering was made faster, a paragraph written by hand.

## Stories from other news: another section
"""


def test_stories_write_keeps_the_paragraphs_after_its_figures(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``stories.py --write`` put the whole section in place of the old one (review R12: the
    hand-written paragraphs after the figures and the marks went with it)."""
    stories = benchmark("stories")
    run = benchmark("run")
    monkeypatch.setitem(sys.modules, "run", run)
    monkeypatch.setattr(run, "machine", lambda: "MACHINE")
    monkeypatch.setattr(run, "versions", lambda: "SOFTWARE")
    monkeypatch.setattr(stories, "section_from", lambda figures: (
        "## Stories from a stream: GVA news stream\n\n| new | " + figures["f"] + " |\n"))
    figures = tmp_path / "figures.json"
    figures.write_text(json.dumps({"f": "0.93"}), "utf-8")
    path = written(tmp_path, STORIES_PAGE)
    assert stories.write_section([figures], path) == 0
    page = path.read_text("utf-8")
    assert outside(page) == outside(STORIES_PAGE)
    assert "| new | 0.93 |" in blocks(page)["stories"] and "old" not in blocks(page)["stories"]
    assert "MACHINE; SOFTWARE" in blocks(page)["stories"]
    assert stories.write_section([figures], path) == 0  # again: the same page
    assert path.read_text("utf-8") == page
    unmarked = written(tmp_path, re.sub(r"(?m)^<!--.*-->\n", "", STORIES_PAGE))
    assert stories.write_section([figures], unmarked) == 1
