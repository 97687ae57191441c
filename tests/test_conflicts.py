"""Tests of crossbrief.conflicts's own helpers (the stage's behaviour is tested on whole
briefs in test_brief.py and test_rejections.py)."""

from __future__ import annotations

import itertools
import random

import numpy as np

from crossbrief.conflicts import SAME_FACT, _scored_pairs


def test_scored_pairs_are_those_of_a_loop_over_every_pair() -> None:
    # The pairs the conflicts stage looks at are picked out by NumPy: the same pairs, in the
    # same order, as the loop over itertools.combinations it replaced, with float32 scores
    # on either side of the floor, scores equal to it, and NaN (not under the floor).
    rng = random.Random(7)
    near = [float(np.float32(SAME_FACT)), float(np.nextafter(np.float32(SAME_FACT), 0)),
            float(np.nextafter(np.float32(SAME_FACT), 1)), SAME_FACT, float("nan")]
    for n in (0, 1, 2, 3, 17, 60):
        for dtype in (np.float32, np.float64):
            scores = np.array([[rng.choice([*near, rng.random()]) for _ in range(n)]
                               for _ in range(n)], dtype=dtype).reshape(n, n)
            loop = [[i, j] for i, j in itertools.combinations(range(n), 2)
                    if not float(scores[i, j]) < SAME_FACT]
            assert _scored_pairs(scores, n, SAME_FACT) == loop
    assert _scored_pairs(np.full((3, 3), np.nan), 3, SAME_FACT) == [[0, 1], [0, 2], [1, 2]]


def test_recall_candidates_are_differing_counts_of_two_articles() -> None:
    """benchmarks/gva_conflicts.py --recall: a story kind is a candidate when two articles
    count it differently (the dead, counted by neither, is none), and the brief's conflict on
    those two counts is a hit."""
    from .conftest import benchmark
    from .test_brief import _story

    gva = benchmark("gva_conflicts")
    story = _story(("2013-06-15", "Three people were injured at the night club early "
                                  "Saturday, police said."),
                   ("2013-06-15", "Four people were injured at the night club early Saturday, "
                                  "police said."))
    found = gva.candidates(story)
    assert set(found) == {"injured"}
    assert [[c["value"] for c in a["counts"]] for a in found["injured"]] == [["Three"],
                                                                           ["Four"]]
    said = gva.reported(story)
    assert not said["dead"] and [r["what"] for r in said["injured"]] == ["conflict"]
    item = {"articles": found["injured"], "reported": said["injured"]}
    assert gva.hit(item, "conflict") and not gva.hit(item, "update")


def _count(value: str, low: float, start: int = 0) -> dict[str, object]:
    return {"value": value, "clause": "", "start": start, "end": start + 40, "low": low,
            "high": low}


def test_a_recall_hit_is_a_conflict_on_the_labelled_counts() -> None:
    """A conflict of the same kind in the story, but between other counts (here a count the
    candidate does not hold, and two counts that agree), is not a hit."""
    from .conftest import benchmark

    gva = benchmark("gva_conflicts")
    articles = [{"article": "s:1", "counts": [_count("three", 3), _count("nine", 9, 100)]},
                {"article": "s:2", "counts": [_count("four", 4)]},
                {"article": "s:3", "counts": [_count("three", 3)]}]

    def conflict(*sides: tuple[str, str, int]) -> dict[str, object]:
        return {"what": "conflict", "sides": [{"article": a, "value": v, "start": at,
                                               "end": at + 10} for a, v, at in sides]}

    elsewhere = conflict(("s:1", "nine", 100), ("s:3", "twelve", 200))
    agreeing = conflict(("s:1", "three", 0), ("s:3", "three", 0))
    labelled = conflict(("s:1", "three", 0), ("s:2", "four", 0))
    for reported, expected in (([elsewhere, agreeing], False), ([labelled], True)):
        assert gva.hit({"articles": articles, "reported": reported}, "conflict") is expected


def test_a_labelled_disagreement_no_longer_a_candidate_is_a_miss() -> None:
    """A change that reads a labelled disagreement's counts alike takes it out of the
    candidates; it counts (and is printed) as a miss, not silently left out."""
    from .conftest import benchmark

    gva = benchmark("gva_conflicts")
    labels = {"1:dead": {"label": "disagree", "reason": "three against four"},
              "2:dead": {"label": "disagree", "reason": "five against six"},
              "3:dead": {"label": "update", "reason": "one died later"}}
    sample = {"1:dead": {"articles": [{"article": "1:1", "counts": [_count("three", 3)]},
                                      {"article": "1:2", "counts": [_count("four", 4)]}],
                         "reported": [{"what": "conflict", "sides": [
                             {"article": "1:1", "value": "three", "start": 0, "end": 9},
                             {"article": "1:2", "value": "four", "start": 0, "end": 9}]}]}}
    result = gva.score(sample, ["2:dead", "3:dead"], labels)
    assert result["figures"]["disagree"] == {"labelled": 2, "reported": 1, "recall": 0.5}
    assert result["figures"]["update"]["labelled"] == 1
    assert result["misses"] == ["2:dead (disagree, no longer a candidate): five against six",
                                "3:dead (update, no longer a candidate): one died later"]


def test_recall_labels_are_of_the_three_kinds() -> None:
    from .conftest import benchmark

    gva = benchmark("gva_conflicts")
    labels = gva.load_labels(gva.RECALL_LABELS)
    assert labels and all(k.rpartition(":")[2] in gva.CASUALTIES for k in labels)
    assert {v["label"] for v in labels.values()} <= {"disagree", "update", "other"}
    assert all(v["reason"] for v in labels.values())
