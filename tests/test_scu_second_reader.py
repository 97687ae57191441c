"""The second and third readers of the SCU labels (``benchmarks/scu_second_reader.py`` and its
labels, ``benchmarks/scu_second_reader.json`` and ``scu_third_reader.json``; BENCHMARKS.md,
"What bounds this metric"): the sample is drawn from the strata it names, the figures and the
readers' agreement are computed as documented and add up, and the labels files keep ids and the
readers' words only, never the publishers' text."""

from __future__ import annotations

import json
import math
import random
import re
from types import ModuleType
from typing import Any

import pytest

from .conftest import ROOT, SHARED, benchmark, need_shared


@pytest.fixture(scope="module")
def reader() -> ModuleType:
    return benchmark("scu_second_reader")


def saved(name: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((ROOT / "benchmarks" / name).read_text("utf-8"))
    return found


@pytest.fixture(scope="module", params=["scu_second_reader.json", "scu_third_reader.json"])
def labels(request: pytest.FixtureRequest) -> dict[str, Any]:
    return saved(request.param)


def ranking(n: int = 4000) -> list[tuple[str, float, bool]]:
    """A made-up ranking: every third pair positive, scores falling with the rank."""
    return [(f"T/d{k}/0|T/e{k}/0", 1.0 - k / n, k % 3 == 0) for k in range(n)]


def test_draw_takes_each_stratum_from_its_ranks(reader: ModuleType) -> None:
    pairs = ranking()
    sample = reader.draw(pairs)
    assert len(sample) == reader.NEG_TOP + reader.NEG_MID + reader.POS_TOP
    assert len({r["pair"] for r in sample}) == len(sample)
    for r in sample:
        if r["stratum"] == "negative, top 300":
            assert not r["gold"] and r["rank"] < reader.TOP
        elif r["stratum"] == "negative, ranks 300-3000":
            assert not r["gold"] and reader.TOP <= r["rank"] < reader.MID
        else:
            assert r["gold"] and r["rank"] < reader.TOP
    assert sample == reader.draw(pairs)  # the seed is fixed


def test_score_counts_per_stratum_and_checks_the_keys(reader: ModuleType) -> None:
    pairs = ranking()
    sample = reader.draw(pairs)
    # Every positive read as the same fact, a third of the negatives of the top too.
    top_neg = [r["pair"] for r in sample if r["stratum"] == "negative, top 300"]
    same = {r["pair"] for r in sample if r["gold"]} | set(top_neg[:20])
    made: dict[str, Any] = {"pairs": {
        r["pair"]: {"label": "same" if r["pair"] in same else "related"} for r in sample}}
    made["pairs"][top_neg[0]]["borderline"] = True
    result = reader.score(pairs, made)
    top = result["strata"]["negative, top 300"]
    assert (top["n"], top["same"], top["related"]) == (60, 20, 40)
    assert (top["strict_same"], top["lenient_same"]) == (19, 20)
    assert result["strata"]["positive, top 300"]["share_same"] == 1.0
    assert result["strata"]["negative, ranks 300-3000"]["same"] == 0
    # 100 positives and 200 negatives in the top 300: 100 / (100 + 200 / 3).
    assert result["implied"]["perfect_linker_top"]["precision"] == pytest.approx(0.6)
    del made["pairs"][top_neg[0]]
    with pytest.raises(SystemExit, match="do not match"):
        reader.score(pairs, made)


def test_linker_precision_and_interval(reader: ModuleType) -> None:
    assert reader.linker_precision(200, 100, 1.0, 0.0) == 1.0
    assert reader.linker_precision(200, 100, 1.0, 0.5) == pytest.approx(0.8)
    low, high = reader.wilson(25, 40)
    assert (round(low, 3), round(high, 3)) == (0.47, 0.758)


def test_labels_are_complete(reader: ModuleType, labels: dict[str, Any]) -> None:
    assert len(labels["pairs"]) == reader.NEG_TOP + reader.NEG_MID + reader.POS_TOP
    for pair, entry in labels["pairs"].items():
        assert re.fullmatch(r"D\d{4}\w+/[A-Z]+\d{8}\.\d{4}/\d+\|D\d{4}\w+/[A-Z]+\d{8}\.\d{4}/\d+",
                            pair), pair
        assert entry["label"] in reader.KINDS
        assert entry["reason"].strip()


@pytest.mark.shared
def test_labels_name_judged_pairs_and_copy_no_text(reader: ModuleType,
                                                   labels: dict[str, Any]) -> None:
    """Each labelled pair is two annotated lines of different documents of one marking, and
    no reason repeats six words in a row of either line (the DUC text stays in ../shared)."""
    need_shared(SHARED / "eval" / "duc2006-scu" / "README.md")
    topics = {t.name: t for t in reader.scu.load()}

    def line(ident: str) -> Any:
        marking, document, number = ident.split("/")
        doc = next(d for d in topics[marking].documents if d.name == document)
        return doc.lines[int(number)]

    def words(text: str) -> list[str]:
        return re.findall(r"\w+", text.lower())

    for pair, entry in labels["pairs"].items():
        a, b = pair.split("|")
        assert a.split("/")[0] == b.split("/")[0] and a.split("/")[1] != b.split("/")[1]
        assert line(a).scus and line(b).scus
        reason = " ".join(words(entry["reason"]))
        for text in (line(a).text, line(b).text):
            w = words(text)
            runs = {" ".join(w[k:k + 6]) for k in range(len(w) - 5)}
            assert not any(run in reason for run in runs), pair


def test_the_readers_label_the_same_pairs() -> None:
    assert set(saved("scu_second_reader.json")["pairs"]) == set(
        saved("scu_third_reader.json")["pairs"])


def test_kappa_is_sklearns_and_undefined_for_a_constant_reader(reader: ModuleType) -> None:
    from sklearn.metrics import cohen_kappa_score

    rng = random.Random(3)
    a = [rng.random() < 0.3 for _ in range(60)]
    b = [x if rng.random() < 0.8 else not x for x in a]
    assert float(reader.kappa(a, b)) == pytest.approx(cohen_kappa_score(a, b))
    assert math.isnan(float(reader.kappa([True] * 5, [True] * 5)))
    assert float(reader.kappa([True] * 5, [True, False, True, True, True])) == 0.0
    ci = reader.kappa_interval(a, b, ["s"] * 60)["ci95"]
    assert ci[0] < cohen_kappa_score(a, b) < ci[1]
    assert ci == reader.kappa_interval(a, b, ["s"] * 60)["ci95"]  # seeded


def made_readings(reader: ModuleType) -> tuple[list[Any], dict[str, Any], dict[str, Any]]:
    """A made-up ranking read twice: the second reader reads 20 negatives of the top and every
    positive as the same fact, the third 10 of those 20, 5 other negatives of the top, and every
    positive but one."""
    pairs = ranking()
    sample = reader.draw(pairs)
    top_neg = [r["pair"] for r in sample if r["stratum"] == "negative, top 300"]
    positives = [r["pair"] for r in sample if r["gold"]]
    second_same = set(positives) | set(top_neg[:20])
    third_same = set(positives[1:]) | set(top_neg[10:25])
    second = {"pairs": {r["pair"]: {"label": "same" if r["pair"] in second_same else "related"}
                        for r in sample}}
    third = {"pairs": {r["pair"]: {"label": "same" if r["pair"] in third_same else "unrelated"}
                       for r in sample}}
    return pairs, second, third


def test_agreement_counts_and_fails_on_other_ids(reader: ModuleType) -> None:
    pairs, second, third = made_readings(reader)
    result = reader.agreement(pairs, second, third)
    top = result["strata"]["negative, top 300"]
    assert (top["second_same"], top["third_same"], top["both_same"], top["either_same"]) == (
        20, 15, 10, 25)
    assert (top["agree"], top["same_label"]) == (60 - 15, 10)  # related vs unrelated differ
    pos = result["strata"]["positive, top 300"]
    assert (pos["agree"], pos["kappa"]) == (29, 0.0)  # the second reader is constant there
    assert result["strata"]["all"]["n"] == 120
    assert result["strata"]["negatives"]["agree"] == top["agree"] + 30
    # "both": 10 of 60 negatives and 29 of 30 positives; 100 positives, 200 negatives on top.
    both = result["implied"]["both"]["perfect_linker_top"]["precision"]
    assert both == pytest.approx(100 * 29 / 30 / (100 * 29 / 30 + 200 * 10 / 60))
    assert result["readings"]["agreed"]["negative, top 300"] == (10, 45)
    moved = dict(third["pairs"])
    key = next(iter(moved))
    moved[key[::-1]] = moved.pop(key)
    with pytest.raises(SystemExit, match="third reader's labels do not match"):
        reader.agreement(pairs, second, {"pairs": moved})
