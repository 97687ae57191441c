from __future__ import annotations

import pytest

import crossbrief
from crossbrief.model import Corpus
from crossbrief.synthesize import Budget, summarize

from .conftest import seed_article


@pytest.fixture(scope="module")
def seed(seed_dir: object) -> Corpus:
    return crossbrief.analyze([str(seed_dir)], stages=("clean", "segment", "entities"))


def test_every_summary_sentence_is_an_exact_span(seed: Corpus) -> None:
    summary = summarize(seed, Budget(sentences=5), crossbrief.load_settings())
    assert len(summary) == 5
    for sentence in summary:
        article = seed.article(sentence.article)
        assert article.text[sentence.start:sentence.end] == sentence.text
        assert sentence.sources[0] == sentence.article
        assert len(set(sentence.sources)) == len(sentence.sources)


@pytest.mark.parametrize("limit", [200, 665, 1000])
def test_byte_budget_is_never_exceeded_and_never_cuts(seed: Corpus, limit: int) -> None:
    summary = summarize(seed, Budget(bytes=limit), crossbrief.load_settings())
    text = " ".join(s.text for s in summary)
    assert 0 < len(text.encode("utf-8")) <= limit
    every_sentence = {a.text[s.start:s.end] for a in seed.articles for s in a.sentences}
    assert all(s.text in every_sentence for s in summary)


def test_word_budget(seed: Corpus) -> None:
    summary = summarize(seed, Budget(words=60), crossbrief.load_settings())
    assert 0 < sum(len(s.text.split()) for s in summary) <= 60


def test_no_two_summary_sentences_repeat_each_other(seed: Corpus) -> None:
    summary = summarize(seed, Budget(sentences=6), crossbrief.load_settings())
    assert len({s.text for s in summary}) == len(summary)


def test_summary_is_deterministic_and_in_story_order(seed: Corpus) -> None:
    settings = crossbrief.load_settings()
    first = summarize(seed, Budget(sentences=5), settings)
    assert first == summarize(seed, Budget(sentences=5), settings)
    order = {a.id: i for i, a in enumerate(seed.articles)}
    keys = [(order[s.article], s.start) for s in first]
    assert keys == sorted(keys)


def test_some_summary_sentences_cite_several_outlets(seed: Corpus) -> None:
    summary = summarize(seed, Budget(sentences=8), crossbrief.load_settings())
    assert any(len(s.sources) >= 2 for s in summary)
    assert seed_article(seed, "000").id in {a for s in summary for a in s.sources}


def test_empty_story() -> None:
    assert summarize(Corpus(), Budget(sentences=3), crossbrief.load_settings()) == []
