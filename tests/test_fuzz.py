"""A fast sample of the fuzzing campaign (``benchmarks/fuzz.py``): real articles of every
labelled set and broken variants of them (every generator at least once) through
``analyze`` in a worker process with a time bound. Nothing may crash, hang, go unaccounted
for, or be skipped because a stage failed. The whole campaign runs with
``python benchmarks/fuzz.py`` (figures in BENCHMARKS.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import SHARED, benchmark, need_shared


@pytest.mark.shared
def test_a_sample_of_the_fuzzing_campaign(tmp_path: Path) -> None:
    need_shared(SHARED / "eval")
    fuzz = benchmark("fuzz")
    # Inputs that count as one article each (10,000 words and marks at most), so the sample
    # stays within a minute.
    calls = fuzz.build_plan(11, tmp_path, n=60, max_units=1)
    kinds = {item.origin for call in calls for item in call}
    assert set(fuzz.MUTATIONS) | set(fuzz.SPECIALS) <= kinds
    report = fuzz.run_calls(calls, workers=1, log_dir=tmp_path)
    assert report.inputs >= 40
    assert report.crashes == []
    assert report.hangs == []
    assert report.unaccounted == []
    assert report.bugs == [], "articles skipped because a stage failed"
    assert report.stage_failures == []
    assert report.articles > 0 and sum(report.skipped.values()) > 0
