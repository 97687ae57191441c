"""The bundled example against its hand-made expected analysis (tests/golden)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import crossbrief
from crossbrief.clean import normalise_text
from crossbrief.cli import example_path
from crossbrief.model import Article, Brief

from .conftest import GOLDEN

EXPECTED = json.loads((GOLDEN / "maravel_expected.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def example() -> Brief:
    return crossbrief.analyze([str(example_path())])


def by_file(corpus: Brief, name: str) -> Article:
    return next(a for a in corpus.articles if Path(a.input).name == name)


def test_every_example_file_is_an_article(example: Brief) -> None:
    assert example.skipped == []
    assert sorted(Path(a.input).name for a in example.articles) == sorted(EXPECTED["articles"])


@pytest.mark.parametrize("name", sorted(EXPECTED["articles"]))
def test_metadata(example: Brief, name: str) -> None:
    article, expected = by_file(example, name), EXPECTED["articles"][name]
    assert (article.source, article.title, article.published) == (
        expected["source"], expected["title"], expected["published"])


@pytest.mark.parametrize("name", sorted(EXPECTED["articles"]))
def test_boilerplate_goes_and_body_stays(example: Brief, name: str) -> None:
    article, expected = by_file(example, name), EXPECTED["articles"][name]
    paragraphs = [article.text[p.start:p.end] for p in article.paragraphs]
    keep = [normalise_text(line) for line in expected["must_keep"]]
    may_keep = [normalise_text(line) for line in expected.get("may_keep") or []]
    assert [p for p in paragraphs if p not in may_keep] == keep
    for line in expected["must_remove"]:
        assert normalise_text(line) not in paragraphs, line
