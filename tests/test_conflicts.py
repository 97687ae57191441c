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
    count it differently (not when one article alone does, nor when the counts agree), and
    what the brief reports of it is read off its conflicts."""
    from .conftest import benchmark
    from .test_brief import _story

    gva = benchmark("gva_conflicts")
    story = _story(("2015-10-01", "A doctor at Mercy Medical Center said nine people were "
                                  "wounded. Two people died in the attack on the college."),
                   ("2015-10-01", "The sheriff told reporters that seven people were wounded "
                                  "at the college."))
    found = gva.candidates(story)
    assert set(found) == {"injured"}
    assert [[c["value"] for c in a["counts"]] for a in found["injured"]] == [["nine"], ["seven"]]
    assert gva.reported(story) == {"dead": set(), "injured": {"conflict"}}


def test_recall_labels_are_of_the_three_kinds() -> None:
    from .conftest import benchmark

    gva = benchmark("gva_conflicts")
    labels = gva.load_labels(gva.RECALL_LABELS)
    assert labels and all(k.rpartition(":")[2] in gva.CASUALTIES for k in labels)
    assert {v["label"] for v in labels.values()} <= {"disagree", "update", "other"}
    assert all(v["reason"] for v in labels.values())
