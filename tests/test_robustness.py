"""Whatever text comes in, the whole pipeline runs and every span stays inside its article.

Real scraped text is full of stray quotation marks, broken markup and odd characters; this
throws generated text of that kind at every stage.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import crossbrief
from crossbrief.extract.quotes import find_quote_spans
from crossbrief.model import Article, Brief

PIECES = st.sampled_from([
    "“", "”", '"', "‘", "’", "'", "«", "»", "\n", "\n\n", " ", ".", ",", ":", "—", "…",
    "said", "Putin", "Xi", "according to", "Reuters", "per", "the", "on Tuesday", "March 21",
    "3/20/23", "he", "she", "told", "“Dear friend,”", "Related stories", "Share this article",
    "<p>", "</p>", "&amp;", "\u00a0", "\u200b", "Ukraine", "40", "last month", "?", "!",
])
TEXTS = st.lists(st.one_of(PIECES, st.text(max_size=8)), min_size=1, max_size=60).map("".join)


@given(TEXTS)
@settings(max_examples=200, deadline=None)
def test_quote_pairing_never_fails_and_stays_in_bounds(text: str) -> None:
    for span in find_quote_spans(text):
        assert 0 <= span.start <= span.end <= len(text)


@given(st.lists(TEXTS, min_size=1, max_size=3))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_pipeline_never_crashes_on_messy_text(texts: list[str]) -> None:
    corpus = Brief(
        articles=[Article(id=f"a{i}", source=f"s{i}", text=t, input=f"in{i}.txt")
                  for i, t in enumerate(texts)],
        stages=["ingest"],
    )
    corpus = crossbrief.run_stages(corpus, crossbrief.pipeline.DEFAULT_STAGES,
                                   crossbrief.load_settings())
    assert len(corpus.articles) + len(corpus.skipped) == len(texts)
    for article in corpus.articles:
        n = len(article.text)
        spans = [(s.start, s.end) for s in article.sentences]
        spans += [(q.start, q.end) for q in article.quotes]
        spans += [(m.start, m.end) for m in article.mentions]
        spans += [(c.start, c.end) for c in article.citations]
        spans += [(d.start, d.end) for d in article.dates]
        spans += [(a.content_start, a.content_end) for a in article.attributions]
        for start, end in spans:
            assert 0 <= start <= end <= n
        assert article.opinion is not None and 0.0 <= article.opinion <= 1.0
        assert len(article.sentence_opinion) == len(article.sentences)


def test_rich_markup_in_articles_is_shown_as_written(tmp_path: Path) -> None:
    """Titles, outlets and sentences holding rich's markup ("[/i]", "[red]") are text: the
    terminal report shows them as written instead of raising MarkupError or styling."""
    from crossbrief.render import RenderOptions, render

    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        '{"title": "Breaking [/bold] news [red]x", "source": "A", "text": "The council voted '
        'on Monday to close the bridge. [/bold] The mayor said it was unsafe."}\n'
        '{"title": "Other [b]", "source": "B [/i]", "text": "The council voted on Monday to '
        'close the bridge [link=x]. The mayor said it was unsafe."}\n', "utf-8")
    corpus = crossbrief.analyze([str(feed)])
    assert len(corpus.articles) == 2
    for fmt in ("md", "html", "json"):
        assert render(corpus, fmt, RenderOptions(width=120))
    term = render(corpus, "term", RenderOptions(width=120, color=False))
    assert "Breaking [/bold] news [red]x" in term
    assert "B [/i]" in term


def test_a_long_failure_reason_is_cut_at_a_word() -> None:
    """A failure's reason was cut at 300 characters inside a word ("spacy_mo")."""
    from crossbrief.errors import REASON_CHARS, describe_failure

    words = " ".join(["spacy_mode"] * 60)
    reason = describe_failure(ValueError(words))
    message = reason.removeprefix("ValueError: ")
    assert message.endswith("spacy_mode…") and len(message) <= REASON_CHARS
    assert describe_failure(ValueError("x" * 400)).removeprefix("ValueError: ") == \
        "x" * (REASON_CHARS - 1) + "…"
    assert describe_failure(ValueError("short")) == "ValueError: short"
