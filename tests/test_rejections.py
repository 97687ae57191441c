"""Rejections: a person's "this claim link / this conflict is wrong", stored in the library,
respected by the story's next brief, shown in it as ``rejected``, and reversible."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from crossbrief.model import Corpus, Rejection, Span, rejection_id

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "docs" / "brief.schema.json")
                    .read_text("utf-8"))


# --- the model -----------------------------------------------------------------------------


def test_a_rejection_has_a_content_id_whatever_the_order_of_its_spans() -> None:
    a, b = Span("bbb", 5, 9), Span("aaa", 10, 20)
    one = Rejection.make("link", [a, b])
    other = Rejection.make("link", [b, a, b])
    assert one == other
    assert one.spans == (b, a)  # canonical order: article, start, end
    assert one.id == rejection_id("link", [a, b])
    assert Rejection.make("conflict", [a, b]).id != one.id


def test_rejected_round_trips_sorted_by_id_and_validates() -> None:
    corpus = Corpus()
    assert corpus.to_dict()["rejected"] == []
    spans = [Span("x", 0, 3), Span("y", 4, 8)]
    corpus.rejections = [Rejection.make("conflict", spans, about="date", note="same day",
                                        created="2026-11-29T16:00:00Z"),
                         Rejection.make("link", spans)]
    data = json.loads(json.dumps(corpus.to_dict()))
    jsonschema.validate(data, SCHEMA)
    assert [r["id"] for r in data["rejected"]] == sorted(r.id for r in corpus.rejections)
    assert list(data).index("rejected") == list(data).index("apart") + 1
    again = Corpus.from_dict(data)
    assert sorted(again.rejections, key=lambda r: r.id) == sorted(corpus.rejections,
                                                                   key=lambda r: r.id)
