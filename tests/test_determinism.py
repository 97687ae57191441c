"""Same inputs, same brief: whatever order the articles come in, on any machine, every run.

- The bundled example's whole JSON brief is compared with a committed golden file, so CI on a
  fresh machine (where the static embeddings are distilled anew) catches any drift.
  Regenerate after a deliberate change with ``CROSSBRIEF_REGENERATE=1 python -m pytest
  tests/test_determinism.py`` and review the diff.
- Shuffling the inputs changes nothing but the order they were named in.
- The library (which lists a story's articles newest first) gives the command's brief.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

import pytest

import crossbrief
from crossbrief.cli import example_path
from crossbrief.ingest import NOT_ARTICLES
from crossbrief.render import render

from .conftest import GOLDEN, SEED, need_shared

EXAMPLE = example_path()
# The example's articles, as ``crossbrief analyze`` on its folder reads them (its README is
# not an article: ingest.NOT_ARTICLES), each named so that the order can be shuffled.
EXAMPLE_FILES = sorted(str(p) for p in EXAMPLE.iterdir()
                       if p.is_file() and p.stem.upper() not in NOT_ARTICLES)
GOLDEN_BRIEF = GOLDEN / "maravel-bridge.brief.json"


def brief(inputs: list[str]) -> dict[str, Any]:
    """The JSON brief, with each article's input reduced to its file name (the one thing
    that may differ between checkouts)."""
    data: dict[str, Any] = json.loads(render(crossbrief.analyze(inputs), "json"))
    for article in data["articles"]:
        article["input"] = Path(article["input"]).name
    return data


@pytest.fixture(scope="module")
def example_brief() -> dict[str, Any]:
    return brief(EXAMPLE_FILES)


@pytest.fixture(scope="module")
def seed_files() -> list[str]:
    return sorted(str(p) for p in need_shared(SEED).iterdir() if p.is_file())


@pytest.fixture(scope="module")
def seed_brief(seed_files: list[str]) -> dict[str, Any]:
    return brief(seed_files)


def test_example_brief_matches_the_golden_file(example_brief: dict[str, Any]) -> None:
    text = json.dumps(example_brief, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if os.environ.get("CROSSBRIEF_REGENERATE"):
        GOLDEN_BRIEF.write_text(text, "utf-8")
    golden = json.loads(GOLDEN_BRIEF.read_text("utf-8"))
    for key in sorted(set(golden) | set(example_brief)):  # the first section that drifted
        assert example_brief.get(key) == golden.get(key), f"{key} differs from {GOLDEN_BRIEF}"


def shuffled(files: list[str], how: int) -> list[str]:
    """``files`` reversed (how 0), or shuffled by a seeded generator: never as given."""
    if how == 0:
        return files[::-1]
    order = files[:]
    while order == files:
        random.Random(how).shuffle(order)
    return order


@pytest.mark.parametrize("how", [0, 1, 2])
def test_example_brief_ignores_input_order(how: int, example_brief: dict[str, Any]) -> None:
    assert brief(shuffled(EXAMPLE_FILES, how)) == example_brief


@pytest.mark.shared
@pytest.mark.parametrize("how", [0, 1, 2])
def test_seed_brief_ignores_input_order(how: int, seed_files: list[str],
                                        seed_brief: dict[str, Any]) -> None:
    again = brief(shuffled(seed_files, how))
    for section in ("claims", "conflicts", "updates", "summary", "timeline", "articles"):
        assert again[section] == seed_brief[section], section
    assert again == seed_brief


def test_every_list_is_in_a_content_order(example_brief: dict[str, Any]) -> None:
    """Articles oldest first by publication date, then by id; skipped by input."""
    keys = [(a["published"] is None, a["published"] or "", a["id"])
            for a in example_brief["articles"]]
    assert keys == sorted(keys)


def test_library_brief_is_the_command_brief(tmp_path: Path,
                                            example_brief: dict[str, Any]) -> None:
    """The library lists a story's articles newest first; the brief is the same."""
    from crossbrief.store import Library

    with Library(tmp_path / "library.db") as library:
        ids = library.ingest(list(reversed(EXAMPLE_FILES))).ids
        library.create_story("bridge", ids)
        stored = library.brief("bridge")
    for section in ("claims", "conflicts", "updates", "summary", "timeline", "quote_groups"):
        assert stored[section] == example_brief[section], section
    assert [a["id"] for a in stored["articles"]] == \
        [a["id"] for a in example_brief["articles"]]
