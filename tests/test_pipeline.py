from __future__ import annotations

import logging

import pytest

import crossbrief
from crossbrief.errors import NoTextError, StageFailedError, StageOrderError
from crossbrief.model import Article, Claim, Corpus
from crossbrief.pipeline import STAGES, check_order, register_stage, run_stages


def corpus_of(*texts: str) -> Corpus:
    return Corpus(
        articles=[Article(id=f"id{i}", source="s", text=t, input=f"in{i}.txt")
                  for i, t in enumerate(texts)],
        stages=["ingest"],
    )


@pytest.fixture
def temporary_stages():  # type: ignore[no-untyped-def]
    before = dict(STAGES)
    yield
    STAGES.clear()
    STAGES.update(before)


def test_order_is_checked_before_running() -> None:
    with pytest.raises(StageOrderError, match=r"\[E301\] stage 'segment' requires 'clean_text'"):
        check_order([STAGES["segment"], STAGES["clean"]])
    check_order([STAGES["clean"], STAGES["segment"]])


def test_crash_on_one_article_skips_only_that_article(temporary_stages: None) -> None:
    @register_stage("explode", requires=["raw_text"], assigns=["nothing"], per_article=True)
    def explode(article: Article, settings: object) -> Article:
        if article.id == "id1":
            raise ZeroDivisionError("boom")
        return article

    corpus = run_stages(corpus_of("fine", "bad", "also fine"), ["explode"],
                        crossbrief.load_settings())
    assert [a.id for a in corpus.articles] == ["id0", "id2"]
    [skipped] = corpus.skipped
    assert skipped.input == "in1.txt" and skipped.code == StageFailedError.code == "E302"
    assert skipped.reason.startswith(
        "stage 'explode' failed on this article: ZeroDivisionError: boom (at test_pipeline.py:")
    assert corpus.failures == [] and corpus.stages == ["ingest", "explode"]


def test_corpus_stage_crash_is_traced_to_the_article(temporary_stages: None) -> None:
    @register_stage("fragile", requires=["raw_text"], assigns=["entities"])
    def fragile(corpus: Corpus, settings: object) -> Corpus:
        for article in corpus.articles:
            if "bad" in article.text:
                raise ValueError("min() arg is an empty sequence")
        corpus.entities = []
        for article in corpus.articles:
            article.title = f"seen with {len(corpus.articles)}"
        return corpus

    corpus = run_stages(corpus_of("fine", "bad", "also fine"), ["fragile"],
                        crossbrief.load_settings())
    assert [a.id for a in corpus.articles] == ["id0", "id2"]
    assert [a.title for a in corpus.articles] == ["seen with 2", "seen with 2"]
    [skipped] = corpus.skipped
    assert (skipped.input, skipped.code) == ("in1.txt", "E302")
    assert "stage 'fragile' failed on this article: ValueError: min() arg" in skipped.reason
    assert corpus.failures == []


def test_story_wide_failure_empties_only_its_section(temporary_stages: None) -> None:
    @register_stage("fill", requires=["raw_text"], assigns=["claims"])
    def fill(corpus: Corpus, settings: object) -> Corpus:
        corpus.claims = [Claim("c1", "half built", "single", [], 1, [])]
        if len(corpus.articles) > 1:
            raise RuntimeError("needs a story of one")
        return corpus

    @register_stage("after", requires=["claims"], assigns=["near_copies"])
    def after(corpus: Corpus, settings: object) -> Corpus:
        corpus.near_copies = [["ran"]]
        return corpus

    corpus = run_stages(corpus_of("one", "two"), ["fill", "after"], crossbrief.load_settings())
    assert [a.id for a in corpus.articles] == ["id0", "id1"] and corpus.skipped == []
    assert corpus.claims == [] and corpus.near_copies == [["ran"]]
    [failure] = corpus.failures
    assert failure.stage == "fill" and failure.code == "E302"
    assert "RuntimeError: needs a story of one" in failure.reason
    assert Corpus.from_dict(corpus.to_dict()).failures == corpus.failures


def test_stage_failing_on_every_article_blames_none(temporary_stages: None) -> None:
    @register_stage("broken", requires=["raw_text"], assigns=["entities"])
    def broken(corpus: Corpus, settings: object) -> Corpus:
        raise OSError("model file missing")

    corpus = run_stages(corpus_of("one", "two", "three"), ["broken"],
                        crossbrief.load_settings())
    assert len(corpus.articles) == 3 and corpus.skipped == []
    assert [f.stage for f in corpus.failures] == ["broken"]


def test_crash_traceback_goes_to_the_log(temporary_stages: None,
                                         caplog: pytest.LogCaptureFixture) -> None:
    @register_stage("explode", requires=["raw_text"], assigns=["nothing"], per_article=True)
    def explode(article: Article, settings: object) -> Article:
        raise KeyError("deep")

    with caplog.at_level(logging.DEBUG, logger="crossbrief"):
        corpus = run_stages(corpus_of("x"), ["explode"], crossbrief.load_settings())
    assert corpus.articles == [] and corpus.skipped[0].code == "E302"
    assert "Traceback" in caplog.text and "KeyError: 'deep'" in caplog.text


def test_input_problem_in_a_stage_skips_only_that_article() -> None:
    corpus = run_stages(corpus_of("Share this article\nAdvertisement",
                                  "A real sentence of news."),
                        ["clean"], crossbrief.load_settings())
    assert [a.id for a in corpus.articles] == ["id1"]
    assert [(s.input, s.code) for s in corpus.skipped] == [("in0.txt", NoTextError.code)]
    assert corpus.stages == ["ingest", "clean"]


def test_default_pipeline_on_nothing() -> None:
    corpus = crossbrief.analyze([])
    assert corpus.articles == [] and corpus.skipped == []
