"""Briefs on a real Dask ``LocalCluster`` of worker processes (crossbrief.distributed).

Small on purpose (the bundled example's six articles as a few stories), so the suite stays
fast on two cores: what is checked is that the cluster changes nothing, not its speed
(benchmarks/scale.py measures that).
"""

from __future__ import annotations

import copy
import json
import os
import signal
from typing import Any

import pytest

from crossbrief.cli import example_path
from crossbrief.config import load_settings
from crossbrief.distributed import StoryFailure, brief_of, brief_stories, connect
from crossbrief.errors import ConfigError
from crossbrief.ingest import read_inputs
from crossbrief.model import Article

pytest.importorskip("distributed")


def canonical(brief: Any) -> str:
    return json.dumps(brief, sort_keys=True, ensure_ascii=False)


@pytest.fixture(scope="module")
def settings() -> Any:
    return load_settings()


@pytest.fixture(scope="module")
def stories(settings: Any) -> list[tuple[str, list[Article]]]:
    articles = read_inputs([str(example_path())], settings).articles
    assert len(articles) == 6
    # Four stories, two sharing articles: an article briefed twice must give the same
    # annotations both times.
    return [("first", articles[:2]), ("second", articles[2:4]), ("third", articles[4:]),
            ("overlap", articles[1:3])]


@pytest.fixture(scope="module")
def expected(stories: list[tuple[str, list[Article]]], settings: Any) -> list[str]:
    before = copy.deepcopy(stories)
    briefs = [canonical(brief_of(articles, settings)) for _, articles in stories]
    # brief_of works on copies: the ingested articles are left as they were.
    assert [[a.to_dict() for a in arts] for _, arts in stories] == \
        [[a.to_dict() for a in arts] for _, arts in before]
    return briefs


@pytest.fixture(scope="module")
def two_workers() -> Any:
    with connect(workers=2) as client:
        yield client


def test_one_and_two_workers_give_the_same_briefs(stories: Any, settings: Any,
                                                  expected: list[str], two_workers: Any) -> None:
    with connect(workers=1) as client:
        one = brief_stories(stories, settings, client)
    seen: list[tuple[int, int]] = []
    two = brief_stories(stories, settings, two_workers,
                        progress=lambda done, total: seen.append((done, total)))
    assert [canonical(b) for b in one] == expected
    assert [canonical(b) for b in two] == expected
    assert seen == [(n, 4) for n in range(1, 5)]


def test_models_load_once_per_worker(stories: Any, settings: Any, two_workers: Any) -> None:
    brief_stories(stories, settings, two_workers)

    def loads() -> int:
        from crossbrief.nlp import load_spacy

        return int(load_spacy.cache_info().misses)

    # The plugin loaded the pipeline when the worker started; every task since was a hit.
    assert set(two_workers.run(loads).values()) == {1}


def test_a_window_of_one_keeps_the_order_of_the_stories(stories: Any, settings: Any,
                                                        expected: list[str],
                                                        two_workers: Any) -> None:
    briefs = brief_stories(list(reversed(stories)), settings, two_workers, window=1)
    assert [canonical(b) for b in briefs] == list(reversed(expected))


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(
        stories: Any, settings: Any, expected: list[str]) -> None:
    many = stories * 2  # eight stories, so some are still running when a worker dies
    killed: list[int] = []
    with connect(workers=2) as client:
        pids = client.run(os.getpid)

        def kill_one(done: int, total: int) -> None:
            if killed:
                return
            busy = [address for address, keys in client.processing().items() if keys]
            assert busy, "every story finished before a worker could be killed"
            killed.append(pids[busy[0]])
            os.kill(pids[busy[0]], signal.SIGKILL)

        briefs = brief_stories(many, settings, client, progress=kill_one)
    assert killed
    assert not any(isinstance(b, StoryFailure) for b in briefs)
    assert [canonical(b) for b in briefs] == expected * 2


def test_workers_must_be_positive() -> None:
    with pytest.raises(ConfigError, match="workers"), connect(workers=0):
        pass
