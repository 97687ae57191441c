from __future__ import annotations

import pytest

import crossbrief
from crossbrief.errors import NoTextError, StageFailedError, StageOrderError
from crossbrief.model import Article, Corpus
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


def test_crash_names_stage_and_article(temporary_stages: None) -> None:
    @register_stage("explode", requires=["raw_text"], assigns=["nothing"], per_article=True)
    def explode(article: Article, settings: object) -> Article:
        if article.id == "id1":
            raise ZeroDivisionError("boom")
        return article

    with pytest.raises(StageFailedError) as info:
        run_stages(corpus_of("fine", "bad"), ["explode"], crossbrief.load_settings())
    assert "stage 'explode' failed on article id1 (in1.txt): ZeroDivisionError: boom" in str(
        info.value)


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
