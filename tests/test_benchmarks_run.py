"""benchmarks/run.py writes BENCHMARKS.md only between the marks it leaves: the text written by
hand around its figures, and the sections other scripts write, stay byte for byte, whether it
rewrites one section (``--only``) or all of them; a section of the page without the marks is
printed, not written. On a small page and on a copy of the real one, with the benchmarks replaced
by stand-ins."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

from .conftest import benchmark
from .test_benchmarks_writers import blocks, outside

TODAY = datetime.date(2026, 12, 1)
B = "<!-- benchmarks/run.py writes from here: {} -->"
E = "<!-- benchmarks/run.py writes up to here: {} -->"

PAGE = f"""# Benchmarks

An introduction written by hand.

{B.format("page")}
- date: 2000-01-01
- command: `an old command`
- machine: an old machine
- software: old software
{E.format("page")}

## Cold start: a stand-in

{B.format("cold")}

*This section: an old stamp.*

old cold figures

{E.format("cold")}

A paragraph written by hand under the figures, which a rewrite of the section once lost.

## Robustness: fuzzing

Written by benchmarks/fuzz.py, which a whole run once dropped unless listed.

## Stories: a stand-in

*This section: an old stamp.*

figures and hand-written sentences mixed, no marks

## Notes written by hand

The end.
"""


def stand_in(heading: str, figures: str) -> Any:
    return lambda args: f"{heading}\n\n{figures}\n"


@pytest.fixture()
def run(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """benchmarks/run.py with stand-ins for its benchmarks, machine, software and date."""
    module = benchmark("run")
    monkeypatch.setattr(module, "SECTIONS", {
        "cold": stand_in("## Cold start: a stand-in", "new cold figures"),
        "stories": stand_in("## Stories: a stand-in", "new stories figures"),
        "speed": stand_in("## Speed: a section not on the page yet", "new speed figures"),
    })
    monkeypatch.setattr(module, "machine", lambda: "MACHINE")
    monkeypatch.setattr(module, "versions", lambda: "SOFTWARE")
    monkeypatch.setattr(module, "datetime",
                        SimpleNamespace(date=SimpleNamespace(today=lambda: TODAY)))
    return module


def block(command: str, figures: str) -> str:
    """What a section's block holds after a run of ``command``."""
    return f"\n*This section: {TODAY}, `{command}`, MACHINE; SOFTWARE.*\n\n{figures}\n\n"


OLD_COLD = "\n*This section: an old stamp.*\n\nold cold figures\n\n"


def page_at(tmp_path: Path) -> Path:
    path = tmp_path / "BENCHMARKS.md"
    path.write_text(PAGE, "utf-8")
    return path


def test_only_rewrites_between_the_sections_marks(run: ModuleType, tmp_path: Path) -> None:
    path = page_at(tmp_path)
    assert run.main(["--only", "cold", "--output", str(path)]) == 0
    assert PAGE.count(OLD_COLD) == 1
    expected = PAGE.replace(OLD_COLD, block("python benchmarks/run.py --only cold",
                                            "new cold figures"))
    assert path.read_text("utf-8") == expected
    assert run.main(["--only", "cold", "--output", str(path)]) == 0  # again: the same page
    assert path.read_text("utf-8") == expected


def test_a_section_without_marks_is_printed_not_written(
        run: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = page_at(tmp_path)
    assert run.main(["--only", "stories,cold", "--output", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "new stories figures" in out and "new cold figures" in out
    assert "section stories" in err and B.format("stories") in err
    # the section with marks is written all the same; the other is as it was
    assert path.read_text("utf-8") == PAGE.replace(
        OLD_COLD, block("python benchmarks/run.py --only cold", "new cold figures"))


def test_a_whole_run_keeps_every_other_section_and_paragraph(run: ModuleType,
                                                              tmp_path: Path) -> None:
    path = page_at(tmp_path)
    assert run.main(["--output", str(path)]) == 1  # the stories section has no marks
    old_header = ("- date: 2000-01-01\n- command: `an old command`\n- machine: an old machine\n"
                  "- software: old software\n")
    header = (f"- date: {TODAY}\n- command: `python benchmarks/run.py`\n- machine: MACHINE\n"
              "- software: SOFTWARE\n")
    expected = (PAGE.replace(old_header, header)
                .replace(OLD_COLD, block("python benchmarks/run.py", "new cold figures"))
                + "\n## Speed: a section not on the page yet\n" + B.format("speed") + "\n"
                + block("python benchmarks/run.py", "new speed figures") + E.format("speed")
                + "\n")
    assert path.read_text("utf-8") == expected


@pytest.mark.parametrize("damage", [
    lambda page: page.replace(E.format("cold") + "\n", ""),  # no end
    lambda page: page.replace("old cold figures", "old cold figures\n" + B.format("cold")),
    lambda page: page.replace(B.format("cold"), "x " + B.format("cold")),  # not on its line
    lambda page: page.replace("## Cold start: a stand-in", "## Another heading"),
    lambda page: page.replace("old cold figures", "old\n\n## A heading\n\nfigures"),
])
def test_marks_out_of_place_write_nothing(run: ModuleType, tmp_path: Path, damage: Any) -> None:
    path = tmp_path / "BENCHMARKS.md"
    page = damage(PAGE)
    assert page != PAGE
    path.write_text(page, "utf-8")
    assert run.main(["--only", "cold", "--output", str(path)]) == 1
    assert path.read_text("utf-8") == page


def test_a_new_page_is_written_with_its_marks(run: ModuleType, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "BENCHMARKS.md"
    assert run.main(["--only", "cold,speed", "--output", str(path)]) == 0
    first = path.read_text("utf-8")
    assert first.startswith("# Benchmarks\n") and first.count(B.format("page")) == 1
    monkeypatch.setitem(run.SECTIONS, "cold",
                        stand_in("## Cold start: a stand-in", "newer cold figures"))
    assert run.main(["--only", "cold,speed", "--output", str(path)]) == 0
    assert path.read_text("utf-8") == first.replace("new cold figures", "newer cold figures")


def real_page(run: ModuleType) -> str:
    return (Path(run.ROOT) / "BENCHMARKS.md").read_text("utf-8")


def heading_above(page: str, mark: str) -> str:
    """The last heading of ``page`` above ``mark``."""
    return re.findall(r"(?m)^## .*$", page[:page.index(mark)])[-1]


def test_every_section_run_writes_has_its_marks_on_the_page() -> None:
    """BENCHMARKS.md has the marks of each section run.py measures (a section without them is
    printed, not written, and the whole run exits 1), each once, under the heading its
    benchmark writes (a heading the code spells otherwise would be refused too)."""
    run = benchmark("run")  # its own SECTIONS, not the fixture's stand-ins
    page = real_page(run)
    sources = "".join(path.read_text("utf-8")
                      for path in sorted((Path(run.ROOT) / "benchmarks").glob("*.py")))
    assert run.replace_block(page, run.PAGE_BLOCK, "x").count(run.BEGIN.format("page")) == 1
    for name in run.SECTIONS:
        assert page.count(run.BEGIN.format(name)) == 1, name
        assert page.count(run.END.format(name)) == 1, name
        heading = heading_above(page, run.BEGIN.format(name))
        assert f'"{heading}"' in sources, (name, heading)
        assert heading_above(page, run.END.format(name)) == heading, name


def test_a_whole_run_on_the_real_page_writes_only_between_its_marks(
        run: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every section run.py measures, with stand-in figures under the page's own headings:
    the run succeeds, each block holds its new figures, and every character outside the
    blocks is as it was; a second run gives the same page."""
    page = real_page(run)
    sections = {name: stand_in(heading_above(page, run.BEGIN.format(name)),
                               f"stand-in figures of {name}") for name in benchmark("run").SECTIONS}
    monkeypatch.setattr(run, "SECTIONS", sections)
    path = tmp_path / "BENCHMARKS.md"
    path.write_text(page, "utf-8")
    assert run.main(["--output", str(path)]) == 0
    first = path.read_text("utf-8")
    assert outside(first) == outside(page)
    held = blocks(first)
    for name in sections:
        assert held[name] == block("python benchmarks/run.py", f"stand-in figures of {name}")
    assert run.main(["--output", str(path)]) == 0
    assert path.read_text("utf-8") == first
