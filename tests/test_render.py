"""Golden outputs: each renderer on a small real page, compared exactly.

Regenerate after a deliberate change with ``CROSSBRIEF_REGENERATE=1 python -m pytest
tests/test_render.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

import crossbrief
from crossbrief.errors import ConfigError
from crossbrief.render import RenderOptions, formats, get_renderer, render, terminal_console

from .conftest import FIXTURES, GOLDEN, ROOT
from .test_html import rejected_story, story

PAGE = FIXTURES / "pages" / "council-vote.html"


def _corpus() -> crossbrief.Brief:
    corpus = crossbrief.analyze([str(PAGE), str(FIXTURES / "pages" / "missing.html")])
    for article in corpus.articles:  # golden files must not depend on the checkout's path
        article.input = PAGE.name
    corpus.skipped = [type(s)("missing.html", s.reason, s.code) for s in corpus.skipped]
    return corpus


@pytest.mark.parametrize("fmt,suffix", [("term", "txt"), ("md", "md"), ("json", "json")])
def test_golden(fmt: str, suffix: str) -> None:
    out = render(_corpus(), fmt, RenderOptions(width=100, color=False))
    golden = GOLDEN / f"council-vote.{fmt}.{suffix}"
    if os.environ.get("CROSSBRIEF_REGENERATE"):
        golden.write_text(out, "utf-8")
    assert out == golden.read_text("utf-8")


def test_json_output_round_trips() -> None:
    corpus = _corpus()
    again = crossbrief.Brief.from_dict(json.loads(render(corpus, "json")))
    assert again == corpus


def test_colour_only_when_asked() -> None:
    corpus = _corpus()
    assert "\x1b[" not in render(corpus, "term", RenderOptions(color=False))
    assert "\x1b[" in render(corpus, "term", RenderOptions(color=True))


def test_console_colour_follows_no_color_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    # no-color.org: NO_COLOR set to the empty string counts as unset
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert not terminal_console().no_color
    monkeypatch.setenv("NO_COLOR", "")
    assert not terminal_console().no_color
    monkeypatch.setenv("NO_COLOR", "1")
    assert terminal_console().no_color and terminal_console(stderr=True).no_color
    assert not terminal_console(color=True).no_color  # the renderers' colour is the CLI's say
    console = terminal_console(width=50, color=False)
    assert console.width == 50 and not console.is_terminal


def test_terminal_lines_end_without_spaces() -> None:
    # rich pads a table's title to the table's width and keeps the space a line wrapped at:
    # noise in a pipe or a file, with colour codes or without.
    import re

    for color in (False, True):
        out = render(_corpus(), "term", RenderOptions(width=80, color=color))
        assert not re.search(r"[ \t]+(?:\x1b\[[0-9;]*m)*$", out, re.M), color


def test_renderers_by_name() -> None:
    assert {"term", "md", "json"} <= set(formats())
    with pytest.raises(ConfigError, match="unknown output format 'pdf'"):
        get_renderer("pdf")


def test_terminal_output_fits_its_width() -> None:
    out = render(_corpus(), "term", RenderOptions(width=60))
    assert max(len(line) for line in out.splitlines()) <= 60


def test_the_story_name_in_json_right_after_the_stages() -> None:
    corpus = _corpus()
    named = json.loads(render(corpus, "json", RenderOptions(title="xi-moscow")))
    keys = list(named)
    assert keys[keys.index("stages") + 1] == "story" and named["story"] == "xi-moscow"
    plain = json.loads(render(corpus, "json"))
    assert "story" not in plain
    assert {k: v for k, v in named.items() if k != "story"} == plain
    jsonschema.validate(named, json.loads((ROOT / "docs" / "brief.schema.json").read_text()))


def test_a_library_story_is_named_in_its_json_brief(tmp_path: Path) -> None:
    """Through the installed command, as a user runs it: stored, then read back named."""
    db = str(tmp_path / "lib.db")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}

    def crossbrief(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "crossbrief", *args], env=env,
                              capture_output=True, text=True, timeout=300, check=False)

    stored = crossbrief("analyze", str(PAGE), "--db", db, "--story", "xi-moscow", "-f", "md")
    assert stored.returncode == 0, stored.stderr
    assert stored.stdout.splitlines()[0] == "# xi-moscow"
    again = crossbrief("analyze", "--db", db, "--story", "xi-moscow", "-f", "json")
    assert again.returncode == 0, again.stderr
    brief = json.loads(again.stdout)  # stdout is the brief and nothing else
    assert brief["story"] == "xi-moscow" and list(brief)[:3] == ["schema", "stages", "story"]
    term = crossbrief("analyze", "--db", db, "--story", "xi-moscow", "-f", "term")
    assert term.returncode == 0 and term.stdout.splitlines()[0] == "xi-moscow"


def test_rejections_in_markdown_and_terminal() -> None:
    corpus = rejected_story()
    md = render(corpus, "md")
    section = md[md.index("## Rejected by a person"):md.index("## Only in one source")]
    assert section.splitlines()[2:] == [
        "- **Conflict rejected: they do not disagree** (the day of the collapse), "
        "2026-11-28 09:00 UTC",
        "  - article `gone` (no longer in this story), characters 3–9",
        "  - Harbour Courier [1], characters 65–75: 14 October",
        "- **Claim link rejected: they do not state the same fact**, 2026-11-29 16:03 UTC: "
        "“counts differ <b>later</b>”",
        "  - Continental Press Agency [2], characters 55–88: At least nine people were killed.",
        "  - Harbour Courier [1], characters 77–103: At least nine people died.",
        ""]
    term = render(corpus, "term", RenderOptions(width=120))
    lines = term[term.index("Rejected by a person"):term.index("Only in one source")]
    assert lines.splitlines()[1:] == [
        "  Conflict rejected: they do not disagree (the day of the collapse), "
        "2026-11-28 09:00 UTC",
        "    article gone (no longer in this story), chars 3–9",
        "    Harbour Courier [1] chars 65–75: 14 October",
        "  Claim link rejected: they do not state the same fact, 2026-11-29 16:03 UTC: "
        "“counts differ <b>later</b>”",
        "    Continental Press Agency [2] chars 55–88: At least nine people were killed.",
        "    Harbour Courier [1] chars 77–103: At least nine people died.",
        ""]
    for fmt in ("md", "term"):
        assert "Rejected by a person" not in render(story(), fmt)
