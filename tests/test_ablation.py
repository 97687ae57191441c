"""The ablation of the conflicts stage's hand-set constants (``benchmarks/gva_ablation.py``):
every variant names a constant that exists, a variant is undone after it ran, and on a few
real GVA stories the baseline gives the same result before and after all the variants (the
table would mean nothing if a stage kept state from one variant to the next)."""

from __future__ import annotations

import importlib
import sys

import pytest

from .conftest import SHARED, benchmark, need_shared


def test_every_variant_changes_a_constant_that_exists_and_is_undone() -> None:
    ablation = benchmark("gva_ablation")
    names = [name for name, _, _ in ablation.VARIANTS]
    assert names[0] == "baseline" and len(set(names)) == len(names)
    for _, _, changes in ablation.VARIANTS:
        before = {}
        for dotted, value in changes.items():
            module_name, attribute = dotted.rsplit(".", 1)
            module = importlib.import_module(f"crossbrief.{module_name}")
            before[dotted] = getattr(module, attribute)
            assert type(value) is type(before[dotted]) or isinstance(value, (int, float))
        with ablation.patched(changes):
            for dotted, value in changes.items():
                module_name, attribute = dotted.rsplit(".", 1)
                module = importlib.import_module(f"crossbrief.{module_name}")
                assert getattr(module, attribute) == value
        for dotted, value in before.items():
            module_name, attribute = dotted.rsplit(".", 1)
            assert getattr(importlib.import_module(f"crossbrief.{module_name}"),
                           attribute) is value


def test_patching_a_missing_constant_is_an_error() -> None:
    ablation = benchmark("gva_ablation")
    with pytest.raises(AttributeError), ablation.patched({"conflicts.NO_SUCH_THING": 1}):
        pass


@pytest.mark.shared
def test_the_baseline_is_the_same_before_and_after_the_variants() -> None:
    need_shared(SHARED / "eval" / "gva-stream" / "dev.jsonl")
    ablation = benchmark("gva_ablation")
    gva = sys.modules["gva_conflicts"]
    stories, records = gva.load()
    chosen = dict(sorted(stories.items())[:2])
    result = ablation.run(chosen, records)  # raises if the baseline changed
    rows = {row["variant"]: row for row in result["rows"]}
    assert set(rows) == {name for name, _, _ in ablation.VARIANTS}
    assert rows["baseline"]["counted"] <= 2 and rows["baseline"]["conflicts"] >= 0
    text = "\n".join(ablation.markdown(result))
    assert "**baseline**" in text and "COPY_CONTAINMENT 0.8" in text
