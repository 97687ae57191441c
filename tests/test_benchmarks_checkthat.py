"""benchmarks/checkthat.py's ``--lexicons`` option (issue 13): each model measured with the
lexicons' scores of the own-voice text beside its features, and a lexicon whose package is not
installed skipped with a message, so the repository needs neither package. With stand-in
lexicons and a stand-in ``evaluate`` (what it is given is what is checked): no data, no fit."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from .conftest import benchmark


@dataclass(frozen=True)
class Voiced:
    """A stand-in model input: only its own-voice text is read by a lexicon."""

    own_voice: str


def stand_in(checkthat: ModuleType, monkeypatch: pytest.MonkeyPatch,
             installed: set[str]) -> list[dict[str, Any]]:
    """Lexicons that score a text by its length (one column each time a field is asked for),
    only those ``installed``; and ``evaluate`` recording what it is given."""
    def scorer(name: str) -> Any:
        if name not in installed:
            return None
        fields = checkthat.LEXICONS[name][1]
        return lambda text: [float(len(text)) + k for k in range(len(fields))]

    calls: list[dict[str, Any]] = []

    def evaluate(name: str, pool: Any, test: Any, x_pool: Any, x_test: Any) -> dict[str, Any]:
        calls.append({"name": name, "x_pool": x_pool, "x_test": x_test})
        return {"name": name}

    monkeypatch.setattr(checkthat, "lexicon_scorer", scorer)
    monkeypatch.setattr(checkthat, "evaluate", evaluate)
    return calls


def splits(checkthat: ModuleType) -> tuple[Any, Any, dict[str, tuple[str, Any, Any]]]:
    pool = checkthat.Split("pool", ["full text one", "full text two"], np.array([0, 1]),
                           [Voiced("a"), Voiced("bbb …")])
    test = checkthat.Split("test", ["full text three"], np.array([1]), [Voiced("cc")])
    base = {"static": ("static + cues", np.zeros((2, 3)), np.zeros((1, 3)))}
    return pool, test, base


def test_each_variant_reads_the_lexicons_of_the_own_voice(
        monkeypatch: pytest.MonkeyPatch) -> None:
    checkthat = benchmark("checkthat")
    calls = stand_in(checkthat, monkeypatch, {"textblob", "vader"})
    pool, test, base = splits(checkthat)
    results, cost = checkthat.lexicon_variants(pool, test, base)
    assert set(results) == {"static+textblob", "static+vader", "static+textblob+vader"}
    assert set(cost) == {"textblob", "vader"} and all(ms >= 0 for ms in cost.values())
    # In LEXICON_VARIANTS' order: TextBlob's 2 scores, VADER's 4, both.
    assert [c["x_pool"].shape[1] - 3 for c in calls] == [2, 4, 6]
    assert [c["x_test"].shape[1] - 3 for c in calls] == [2, 4, 6]
    for call in calls:
        # The base features first, then the lexicons' scores of the own voice (its length
        # here: "bbb …" is 5 characters), not of the whole sentence.
        assert call["x_pool"][:, :3].tolist() == [[0.0] * 3] * 2
        assert call["x_pool"][:, 3].tolist() == [1.0, 5.0]
        assert call["x_test"][:, 3].tolist() == [2.0]


def test_a_lexicon_not_installed_is_skipped_with_a_message(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    checkthat = benchmark("checkthat")
    calls = stand_in(checkthat, monkeypatch, {"vader"})
    pool, test, base = splits(checkthat)
    results, cost = checkthat.lexicon_variants(pool, test, base)
    assert set(results) == {"static+vader"} and set(cost) == {"vader"}
    assert [c["x_pool"].shape[1] for c in calls] == [3 + 4]
    assert "textblob is not installed" in capsys.readouterr().err

