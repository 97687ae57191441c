from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from crossbrief.model import (
    Article,
    Brief,
    Claim,
    Conflict,
    Paragraph,
    Removal,
    Sentence,
    Side,
    Skipped,
    Span,
    SummarySentence,
    TimelineEntry,
    article_id,
    content_hash,
)

text = st.text(min_size=1, max_size=200)
maybe = st.none() | st.text(max_size=40)
offset = st.integers(min_value=0, max_value=10_000)

articles = st.builds(
    Article,
    id=st.text(alphabet="0123456789abcdef", min_size=16, max_size=16),
    source=st.text(min_size=1, max_size=40),
    text=text,
    input=st.text(min_size=1, max_size=60),
    title=maybe,
    url=maybe,
    published=st.none() | st.dates().map(lambda d: d.isoformat()),
    author=maybe,
    encoding=st.none() | st.sampled_from(["cp1252", "utf-16"]),
    removed=st.lists(st.builds(Removal, text=text, reason=text, at=offset), max_size=4),
    paragraphs=st.lists(st.builds(Paragraph, start=offset, end=offset), max_size=4),
    sentences=st.lists(st.builds(Sentence, start=offset, end=offset,
                                 paragraph=st.integers(0, 50)), max_size=4),
)
spans = st.builds(Span, article=text, start=offset, end=offset)
corpora = st.builds(
    Brief,
    articles=st.lists(articles, max_size=3),
    skipped=st.lists(st.builds(Skipped, input=text, reason=text,
                               code=st.sampled_from(["E101", "E105"])), max_size=3),
    stages=st.lists(st.sampled_from(["ingest", "clean", "segment"]), max_size=3),
    claims=st.lists(st.builds(
        Claim, id=text, text=text, status=st.sampled_from(["consensus", "single"]),
        support=st.lists(spans, max_size=3), independent=st.integers(1, 5),
        merged=st.lists(st.lists(text, max_size=2), max_size=2)), max_size=2),
    conflicts=st.lists(st.builds(
        Conflict, id=text, kind=st.sampled_from(["date", "number"]), about=text,
        sides=st.lists(st.builds(Side, article=text, value=text, start=offset, end=offset),
                       max_size=3),
        claim=maybe, update=st.booleans()), max_size=2),
    timeline=st.lists(st.builds(TimelineEntry, date=text, text=text,
                                support=st.lists(spans, max_size=2), conflict=maybe),
                      max_size=2),
    summary=st.lists(st.builds(SummarySentence, text=text, article=text, start=offset,
                               end=offset, sources=st.lists(text, max_size=2).map(tuple)),
                     max_size=2),
)


@given(corpora)
def test_corpus_round_trips_through_json(corpus: Brief) -> None:
    data = json.loads(json.dumps(corpus.to_dict()))
    back = Brief.from_dict(data)
    # Updates are listed apart from conflicts in the document; the order within each is kept.
    corpus.conflicts.sort(key=lambda c: c.update)
    assert back == corpus
    assert data["schema"] == "crossbrief.brief/1"


def test_ids_are_stable_and_content_derived() -> None:
    assert article_id("Some  text\n here ") == article_id("Some text here")
    assert article_id("Some text") != article_id("Other text")
    assert len(content_hash("a", "b")) == 16
    assert content_hash("a", "b") != content_hash("ab")


def test_words_counts_words() -> None:
    article = Article(id="x", source="s", text="Xi’s visit — a “journey of friendship”, 2023.",
                      input="i")
    assert article.words == 7
