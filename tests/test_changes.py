"""What changed between two briefs of a story (crossbrief.changes), on briefs built by hand."""

from __future__ import annotations

from typing import Any

from crossbrief.changes import brief_changes, has_changes


def span(article: str, start: int, text: str = "x") -> dict[str, Any]:
    return {"article": article, "start": start, "end": start + 10, "text": text}


def claim(id: str, text: str, independent: int, *spans: dict[str, Any]) -> dict[str, Any]:
    return {"id": id, "text": text, "independent": independent,
            "status": "single" if independent < 2 else "corroborated", "support": list(spans)}


BEFORE = {
    "articles": [{"id": "a", "source": "A"}, {"id": "b", "source": "B"}],
    "claims": [claim("c1", "nine dead", 2, span("a", 0), span("b", 5)),
               claim("c2", "bridge opened in 1974", 1, span("a", 40)),
               claim("c3", "a crack was heard", 1, span("b", 80))],
    "conflicts": [{"id": "k1", "about": "how many: dead", "kind": "number",
                   "sides": [span("a", 0), span("b", 5)]}],
    "updates": [],
}
AFTER = {
    "articles": [{"id": "a", "source": "A"}, {"id": "b", "source": "B"},
                 {"id": "c", "source": "C", "title": "Toll rises"}],
    # c1 reworded (a new id) and supported by the new article: the same claim, gained
    "claims": [claim("c1b", "at least nine dead", 3, span("a", 0), span("b", 5),
                     span("c", 0)),
               claim("c2", "bridge opened in 1974", 1, span("a", 40)),
               claim("c4", "twelve dead by Wednesday", 1, span("c", 30))],
    "conflicts": [{"id": "k1b", "about": "how many: dead", "kind": "number",
                   "sides": [span("a", 0), span("b", 5), span("c", 30)]}],
    "updates": [{"id": "u1", "about": "toll", "kind": "number",
                 "sides": [{**span("c", 30), "value": "12"}, {**span("a", 0), "value": "9"}]}],
}


def test_what_changed() -> None:
    changes = brief_changes(BEFORE, AFTER)
    assert changes["articles_added"] == [{"id": "c", "source": "C", "title": "Toll rises"}]
    assert changes["articles_removed"] == []
    assert [c["id"] for c in changes["new_claims"]] == ["c4"]
    assert [(c["id"], c["before"], c["independent"]) for c in changes["gained"]] == [
        ("c1b", 2, 3)]
    assert changes["lost"] == []
    assert [c["id"] for c in changes["dropped_claims"]] == ["c3"]
    assert changes["new_conflicts"] == []  # the same conflict, with one more side
    assert [(u["id"], u["values"]) for u in changes["new_updates"]] == [("u1", ["12", "9"])]
    assert has_changes(changes)


def test_the_other_way_round_and_no_change() -> None:
    back = brief_changes(AFTER, BEFORE)
    assert back["articles_removed"] == ["c"]
    assert [(c["id"], c["before"], c["independent"]) for c in back["lost"]] == [("c1", 3, 2)]
    assert [c["id"] for c in back["new_claims"]] == ["c3"]
    same = brief_changes(AFTER, AFTER)
    assert not has_changes(same)


def test_order_of_the_briefs_lists_changes_nothing() -> None:
    shuffled = {**AFTER, "claims": AFTER["claims"][::-1], "articles": AFTER["articles"][::-1]}
    assert brief_changes(BEFORE, shuffled) == brief_changes(BEFORE, AFTER)
