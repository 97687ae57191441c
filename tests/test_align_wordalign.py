"""The soft word-alignment features measured for the claim scorer (``benchmarks/
scu_wordalign.py``, a negative result in BENCHMARKS.md) and the ECB+ pairs they were also
trained on (``benchmarks/scu_ecb.py``): what each feature measures on pairs small enough to
read, so that the table's rows mean what their labels say."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np
import pytest

from .conftest import SHARED, benchmark, need_shared


@pytest.fixture(scope="module")
def wordalign() -> ModuleType:
    return benchmark("scu_wordalign")


def clause(words: str, subject: int, obj: int, root: int = 1) -> list[Any]:
    """Tokens of a clause of three or four content words: ``root`` is the verb; ``subject``
    and ``obj`` hang on it."""
    tokens = []
    for n, word in enumerate(words.split()):
        dep = "ROOT" if n == root else "nsubj" if n == subject else "dobj" if n == obj \
            else "amod"
        tokens.append((word, word, "VERB" if n == root else "NOUN", dep, False, True, False,
                       "", n if n == root else root))
    return tokens


# Orthogonal vectors, one per word: only a word matches itself.
VECTORS = {w: np.eye(8)[k] for k, w in enumerate(
    ["dog", "bit", "man", "cat", "ate", "fish", "big", "red"])}


def features(wordalign: ModuleType, *clauses: list[Any]) -> dict[str, Any]:
    return wordalign.alignment_features(  # type: ignore[no-any-return]
        [wordalign.Summary(c) for c in clauses], VECTORS)


def test_the_same_words_align_fully_and_other_words_not_at_all(wordalign: ModuleType) -> None:
    f = features(wordalign, clause("dog bit man", 0, 2), clause("dog bit man", 0, 2),
                 clause("cat ate fish", 0, 2))
    assert f["soft_f"][0, 1] == pytest.approx(1.0)
    assert f["unmatched_max"][0, 1] == pytest.approx(0.0)
    assert f["soft_f"][0, 2] == pytest.approx(0.0)
    assert f["unmatched_min"][0, 2] == pytest.approx(1.0)


def test_what_one_clause_adds_is_unmatched_on_its_side_only(wordalign: ModuleType) -> None:
    f = features(wordalign, clause("dog bit man", 0, 2), clause("big dog bit man", 1, 3, 2))
    # Every word of the shorter is matched; one word of four of the longer is not.
    assert f["soft_max"][0, 1] == pytest.approx(1.0)
    assert f["unmatched_min"][0, 1] == pytest.approx(0.0)
    assert 0.0 < f["unmatched_max"][0, 1] < 0.5
    assert f["soft_min"][0, 1] < 1.0
    # Symmetric: a pair's features do not depend on which clause is first.
    for matrix in f.values():
        assert np.allclose(matrix, matrix.T)


def test_who_did_what_to_whom(wordalign: ModuleType) -> None:
    f = features(wordalign, clause("dog bit man", 0, 2), clause("man bit dog", 0, 2),
                 clause("dog bit man", 0, 2))
    # The same words: the bag of words cannot tell them apart, the roles can.
    assert f["soft_f"][0, 1] == pytest.approx(1.0)
    assert f["verb_similarity"][0, 1] == pytest.approx(1.0)
    assert f["subject_similarity"][0, 1] == pytest.approx(0.0)
    assert f["roles_swapped"][0, 1] == pytest.approx(1.0)
    assert f["subject_similarity"][0, 2] == pytest.approx(1.0)
    assert f["roles_swapped"][0, 2] == pytest.approx(0.0)


def test_recall_at_precision_is_the_best_recall_reaching_it(wordalign: ModuleType) -> None:
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5])
    labels = np.array([True, False, True, True, False])
    # Top 1: precision 1, recall 1/3; top 4: precision 3/4, recall 1; top 5: 3/5.
    assert wordalign.recall_at(scores, labels, 0.70) == pytest.approx(1.0)
    assert wordalign.recall_at(scores, labels, 0.80) == pytest.approx(1 / 3)


def test_ecb_pairs_share_an_event_across_articles() -> None:
    need_shared(SHARED / "eval" / "ecbplus-dev")
    ecb = benchmark("scu_ecb")
    topics = ecb.sentences()
    rows = topics["1"]
    pairs = ecb.Pairs(rows)
    assert len(pairs.y) and pairs.y.any() and not pairs.y.all()
    for i, j, y in zip(pairs.i, pairs.j, pairs.y, strict=True):
        assert rows[i][0] != rows[j][0]  # sentences of different articles only
        assert y == bool(rows[i][2] & rows[j][2])
    # Tara Reid's rehab (the first event) and Lindsay Lohan's (the other) are one topic, and
    # never one event.
    reid = next(k for k, r in enumerate(rows) if "Tara Reid" in r[1])
    lohan = next(k for k, r in enumerate(rows) if "Lohan" in r[1])
    assert not rows[reid][2] & rows[lohan][2]
