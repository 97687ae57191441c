"""The quality gate: crossbrief's scores on labelled data must not fall below the floors
pinned in benchmarks/floors.json (the benchmarks in benchmarks/ measure the same way)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import ROOT, SHARED, benchmark, need_shared

FLOORS = json.loads((ROOT / "benchmarks" / "floors.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def polnear_dev() -> dict[str, float]:
    need_shared(SHARED / "eval" / "polnear" / "dev")
    polnear = benchmark("polnear")
    scores, _ = polnear.run_crossbrief(polnear.load("dev"))
    return scores  # type: ignore[no-any-return]


def metrics(name: str) -> list[str]:
    """The floors of one benchmark (keys starting with _ are notes on them)."""
    return sorted(k for k in FLOORS[name] if not k.startswith("_"))


def assert_floor(figures: dict[str, Any], floors: str, metric: str, label: str,
                 rerun: str = "") -> None:
    """``figures[metric]`` is at least its floor in ``FLOORS[floors]``; the message names the
    benchmark (``label``) and how to look into a fall (``rerun``)."""
    floor = FLOORS[floors][metric]
    assert figures[metric] >= floor, (
        f"{label}{metric} fell to {figures[metric]:.3f}, below its floor {floor} "
        f"(benchmarks/floors.json){': ' + rerun if rerun else ''}")


@pytest.mark.parametrize("metric", metrics("polnear_dev"))
def test_polnear_dev_floor(polnear_dev: dict[str, float], metric: str) -> None:
    assert_floor(polnear_dev, "polnear_dev", metric, "")


def test_polnear_dev_targets(polnear_dev: dict[str, float]) -> None:
    """The targets: direct-quote F1 and speaker accuracy of at least 0.90 on dev."""
    assert polnear_dev["quote_f1"] >= 0.90
    assert polnear_dev["speaker_accuracy"] >= 0.90


@pytest.fixture(scope="module")
def duc() -> dict[str, float]:
    clusters_dir = need_shared(SHARED / "eval" / "duc2004" / "clusters")
    duc2004 = benchmark("duc2004")
    clusters = sorted(p for p in clusters_dir.iterdir() if p.is_dir())
    return duc2004.run(clusters, peers=False)["scores"]["crossbrief"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("metric", metrics("duc2004"))
def test_duc2004_floor(duc: dict[str, float], metric: str) -> None:
    if metric == "conflicts_max":
        assert duc["conflicts"] <= FLOORS["duc2004"][metric], (
            f"{duc['conflicts']} conflicts reported across the DUC 2004 clusters, more than "
            f"{FLOORS['duc2004'][metric]} (benchmarks/floors.json): check them for false ones")
        return
    # rouge1/rouge2: the shipped constants (chosen on these clusters); *_out_of_fold: each
    # cluster summarised with the constants its cross-validation fold chose without it.
    assert_floor(duc, "duc2004", metric, "DUC 2004 ",
                 "python benchmarks/duc2004.py; the constants: benchmarks/duc2004_cv.py")


@pytest.fixture(scope="module")
def scu_suite() -> dict[str, float]:
    """The shipped claim scorer on a fixed subset of the DUC 2006 SCU-marked topics (in-sample:
    a regression check; the cross-validated figures are in BENCHMARKS.md)."""
    need_shared(SHARED / "eval" / "duc2006-scu")
    scu = benchmark("scu")
    topics = [t for t in scu.load() if t.name in scu.SUITE_TOPICS]
    return scu.shipped(topics)  # type: ignore[no-any-return]


@pytest.mark.parametrize("metric", metrics("scu_suite"))
def test_claim_alignment_floor(scu_suite: dict[str, float], metric: str) -> None:
    assert_floor(scu_suite, "scu_suite", metric, "claim alignment on the suite's SCU topics: ")


@pytest.fixture(scope="module")
def gva_suite() -> dict[str, Any]:
    """Conflicts and stated casualty counts on a fixed subset of the GVA stream's
    multi-article stories (``gva_conflicts.suite``: every tenth story and every story
    holding a labelled conflict; about two minutes on two cores). The whole run's figures
    are in BENCHMARKS.md."""
    need_shared(SHARED / "eval" / "gva-stream")
    gva = benchmark("gva_conflicts")
    stories, records = gva.load()
    result: dict[str, Any] = gva.run(gva.suite(stories), records)
    # Figure (a) over the evenly spread stories only: those chosen for their labelled
    # conflicts are the ones whose counts the outlets disagree on.
    spread = set(gva.spread(stories))
    result["mismatches"] = [m for m in result["mismatches"] if m["story"] in spread]
    result["mismatched"], result["with_counts"] = gva.count_mismatch(result, spread)
    result["count_mismatch"] = result["mismatched"] / max(1, result["with_counts"])
    return result


def test_gva_conflicts_are_labelled(gva_suite: dict[str, Any]) -> None:
    """Every conflict the suite's briefs report has a hand label, or precision means
    nothing: a change of the analysis that brings new ones must label them."""
    assert not gva_suite["unlabelled"], (
        "conflicts without a label: read both sides (python benchmarks/gva_conflicts.py "
        "--suite --show-sample) and label them in benchmarks/gva_conflict_labels.json: "
        + ", ".join(gva_suite["unlabelled"]))


@pytest.mark.parametrize("metric", metrics("gva_conflicts"))
def test_gva_conflicts_floor(gva_suite: dict[str, Any], metric: str) -> None:
    floor = FLOORS["gva_conflicts"][metric]
    if metric == "count_mismatch_max":
        assert gva_suite["count_mismatch"] <= floor, (
            f"{gva_suite['mismatched']} of {gva_suite['with_counts']} briefs state a casualty "
            f"count that differs from the GVA record, over the cap {floor} "
            "(benchmarks/floors.json): " + ", ".join(m["story"] for m in gva_suite["mismatches"]))
        return
    assert gva_suite[metric] >= floor, (
        f"{metric} fell to {gva_suite[metric]:.3f}, below its floor {floor} "
        f"(benchmarks/floors.json); false: {gva_suite['false']}")


@pytest.fixture(scope="module")
def tempeval_suite() -> dict[str, Any]:
    """The dates stage on a fixed quarter of TempEval-3 (``tempeval.suite``: every fourth
    document of TimeBank and of AQUAINT, pooled; about half a minute on two cores). The
    whole run's figures, with the peers', are in BENCHMARKS.md."""
    need_shared(SHARED / "eval" / "tempeval3" / "TimeBank")
    tempeval = benchmark("tempeval")
    documents = tempeval.suite(tempeval.load())
    found, _ = tempeval.run_crossbrief(documents)
    return tempeval.evaluate(documents, found)["pooled"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("metric", metrics("tempeval_suite"))
def test_tempeval_floor(tempeval_suite: dict[str, Any], metric: str) -> None:
    assert_floor(tempeval_suite, "tempeval_suite", metric, "TempEval-3 ",
                 "python benchmarks/tempeval.py --suite --errors 50")


@pytest.fixture(scope="module")
def ecb_suite() -> dict[str, float]:
    """The entities stage on three ECB+ topics (``ecb_entities.SUITE_TOPICS``, about twenty
    seconds on two cores); topics 1-35 and the peers are in BENCHMARKS.md."""
    need_shared(SHARED / "eval" / "ecbplus-dev" / "ECB+")
    return benchmark("ecb_entities").suite()  # type: ignore[no-any-return]


@pytest.mark.parametrize("metric", metrics("ecb_entities_suite"))
def test_ecb_entities_floor(ecb_suite: dict[str, float], metric: str) -> None:
    assert_floor(ecb_suite, "ecb_entities_suite", metric, "ECB+ ",
                 "python benchmarks/ecb_entities.py --topics 1,28,31 --misses misses.txt")


@pytest.fixture(scope="module")
def checkthat_suite() -> dict[str, float]:
    """The shipped opinion model on every fourth sentence of CheckThat! 2025 dev_test_en
    (``checkthat.suite``, about fifteen seconds on two cores); the whole split, the
    cross-validated figures and the peers are in BENCHMARKS.md."""
    need_shared(SHARED / "eval" / "checkthat-subjectivity")
    return benchmark("checkthat").suite()  # type: ignore[no-any-return]


@pytest.mark.parametrize("metric", metrics("checkthat_suite"))
def test_checkthat_opinion_floor(checkthat_suite: dict[str, float], metric: str) -> None:
    assert_floor(checkthat_suite, "checkthat_suite", metric, "CheckThat! subjectivity ",
                 "python benchmarks/checkthat.py")


@pytest.fixture(scope="module")
def stories_suite() -> dict[str, float]:
    """Story clustering with the shipped constants on the GVA dev stream's five time folds
    (``benchmarks/stories.py``'s ``suite``; about 15 seconds)."""
    need_shared(SHARED / "eval" / "gva-stream")
    bench = benchmark("stories")
    articles, gold = bench.load()
    return bench.suite(articles, gold)  # type: ignore[no-any-return]


@pytest.mark.parametrize("metric", metrics("stories_gva"))
def test_stories_floor(stories_suite: dict[str, float], metric: str) -> None:
    assert_floor(stories_suite, "stories_gva", metric, "story clustering on the GVA stream: ",
                 "python benchmarks/stories.py")
