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
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from crossbrief import distributed
from crossbrief.cli import EXIT_PARTIAL, EXIT_USAGE, cli, example_path
from crossbrief.config import load_settings
from crossbrief.distributed import (
    StoryFailure,
    brief_of,
    brief_stories,
    connect,
    start_loading_models,
)
from crossbrief.errors import ConfigError, ModelLoadError
from crossbrief.ingest import read_inputs
from crossbrief.model import Story

from .conftest import benchmark
from .test_stories_cli import crossbrief_command, write_stream

pytest.importorskip("distributed")


def canonical(brief: Any) -> str:
    return json.dumps(brief, sort_keys=True, ensure_ascii=False)


@pytest.fixture(scope="module")
def settings() -> Any:
    return load_settings()


@pytest.fixture(scope="module")
def stories(settings: Any) -> list[Story]:
    articles = read_inputs([str(example_path())], settings).articles
    assert len(articles) == 6
    # Four stories, two sharing articles: an article briefed twice must give the same
    # annotations both times.
    return [Story(articles[:2], id="first"), Story(articles[2:4], id="second"),
            Story(articles[4:], id="third"), Story(articles[1:3], id="overlap")]


@pytest.fixture(scope="module")
def expected(stories: list[Story], settings: Any) -> list[str]:
    before = copy.deepcopy(stories)
    briefs = [canonical(brief_of(story, settings)) for story in stories]
    # brief_of works on copies: the ingested articles are left as they were.
    assert [[a.to_dict() for a in s.articles] for s in stories] == \
        [[a.to_dict() for a in s.articles] for s in before]
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


def _spacy_loads() -> int:
    from crossbrief.nlp import load_spacy

    return int(load_spacy.cache_info().misses)


def test_workers_start_loading_the_models_before_the_first_brief(stories: Any, settings: Any,
                                                                 expected: list[str]) -> None:
    with connect(workers=1) as client:
        assert set(client.run(_spacy_loads).values()) == {0}
        start_loading_models(client, settings)  # returns at once; the worker loads
        deadline = time.monotonic() + 300
        while set(client.run(_spacy_loads).values()) != {1}:
            assert time.monotonic() < deadline, "the worker never loaded the models"
            time.sleep(0.2)
        briefs = brief_stories(stories, settings, client)
        # The plugin, registered by the briefs, found them loaded: loaded once.
        assert set(client.run(_spacy_loads).values()) == {1}
    assert [canonical(b) for b in briefs] == expected


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

        # One story a task, so that some are still running when the first brief arrives.
        briefs = brief_stories(many, settings, client, progress=kill_one, batch_articles=1)
    assert killed
    assert not any(isinstance(b, StoryFailure) for b in briefs)
    assert [canonical(b) for b in briefs] == expected * 2


def test_stories_briefed_several_a_task_give_the_same_briefs(
        stories: Any, settings: Any, expected: list[str], two_workers: Any) -> None:
    """Tasks of several stories (their articles parsed in one batch) or of one each: the
    same briefs, in the order of the stories."""
    for size in (1, 4, 100):
        briefs = brief_stories(stories, settings, two_workers, batch_articles=size)
        assert [canonical(b) for b in briefs] == expected


def test_a_story_failing_in_a_task_of_several_fails_alone(
        stories: Any, settings: Any, expected: list[str]) -> None:
    """A story whose brief raises, in the same task as others: it is named, theirs kept."""
    from crossbrief.distributed import brief_batch

    broken = [stories[0], Story(["not an article"], id="broken"), stories[2]]  # type: ignore[list-item]
    results = brief_batch(broken, settings)
    assert [canonical(results[0]), canonical(results[2])] == [expected[0], expected[2]]
    assert isinstance(results[1], StoryFailure) and results[1].story == "broken"


def test_a_model_that_cannot_be_loaded_stops_the_batch(
        stories: Any, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A model that cannot be loaded is no story's doing: raised, as `analyze` raises it,
    not a StoryFailure for every story (each said "ModelLoadError: [E400] …")."""
    from crossbrief import nlp
    from crossbrief.distributed import brief_batch

    def missing(name: str) -> None:
        raise ModelLoadError(f"cannot load spaCy pipeline {name!r}")

    monkeypatch.setattr(nlp, "load_spacy", missing)
    for batch in (stories[:1], stories[:2]):  # a story alone, several parsed together
        with pytest.raises(ModelLoadError, match=r"^\[E400\] cannot load spaCy pipeline"):
            brief_batch(batch, settings)


def test_an_error_crosses_between_processes_as_it_was() -> None:
    # Pickled by its args, as an exception is, an error a worker sent back said
    # "[E400] [E400] …". In a process of its own: importing Dask changes how exceptions
    # pickle (tblib), so the test's own process would not tell.
    import subprocess
    import sys

    script = """if True:
        import pickle, sys
        from crossbrief.errors import InputError, ModelLoadError, RequestError
        for error in (ModelLoadError("no model"), InputError("bad", input="a.txt"),
                      RequestError("bad request", data={"skipped": [1]})):
            again = pickle.loads(pickle.dumps(error))
            assert type(again) is type(error), again
            assert str(again) == str(error), again
            assert again.__dict__ == error.__dict__, again.__dict__
        assert "distributed" not in sys.modules
    """
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1]
                                                                 / "src")}, timeout=120)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("window", [1, 3])
def test_articles_are_cleaned_on_the_cluster_in_the_order_read(settings: Any, two_workers: Any,
                                                              window: int) -> None:
    """Cleaning (per-article work) runs on the workers, a batch a task; the results come back
    in the order the articles were read, equal to cleaning here, failures skipped alike."""
    from distributed import get_task_stream

    from crossbrief.distributed import clean_batch, iter_cleaned

    articles = read_inputs([str(example_path())], settings).articles
    empty = copy.deepcopy(articles[0])
    empty.id, empty.input, empty.text = "x" * 16, "menu.txt", "Subscribe\nShare this\n"
    given = [*articles, empty]
    with get_task_stream(two_workers) as tasks:
        there = list(iter_cleaned(iter(given), settings, two_workers, window=window, batch=2))
    assert [article.input for article, _ in there] == [a.input for a in given]
    here = [clean_batch([article], settings)[0] for article in given]
    assert [([a.to_dict() for a in kept], failed) for _, (kept, failed) in there] == \
        [([a.to_dict() for a in kept], failed) for kept, failed in here]
    assert sum(1 for task in tasks.data if task["key"].startswith("clean-")) == 4


def test_two_runs_on_one_scheduler_never_share_a_task(settings: Any, two_workers: Any) -> None:
    """Keys are global on a scheduler: two runs cleaning the same articles in batches of
    other sizes at once each get their own results (a key named by the batch alone handed
    the second run the first one's batch)."""
    from crossbrief.distributed import clean_batch, iter_cleaned

    given = read_inputs([str(example_path())], settings).articles
    first = iter_cleaned(iter(given), settings, two_workers, window=10, batch=2)
    second = iter_cleaned(iter(given), settings, two_workers, window=10, batch=3)
    results = [[next(first)], [next(second)]]
    results[0].extend(first)
    results[1].extend(second)
    expected = [clean_batch([a], settings)[0] for a in given]
    for run in results:
        assert [a.input for a, _ in run] == [a.input for a in given]
        assert [[k.to_dict() for k in kept] for _, (kept, _) in run] == \
            [[k.to_dict() for k in kept] for kept, _ in expected]


def _worker_settings() -> tuple[str | None, bool, str, str, str | None]:
    import dask

    return (os.environ.get("MALLOC_TRIM_THRESHOLD_"),
            bool(dask.config.get("distributed.worker.profile.enabled")),
            str(dask.config.get("distributed.admin.tick.interval")),
            str(dask.config.get("distributed.worker.memory.monitor-interval")),
            os.environ.get("OMP_NUM_THREADS"))


def test_the_cluster_leaves_out_what_costs_the_briefs_cpu(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Dask's defaults cost a brief 20-30 % more CPU on a worker (distributed.cluster_config):
    # the nanny's MALLOC_TRIM_THRESHOLD_, the sampling profiler, the fast tick and monitors;
    # one thread per worker. A worker the nanny restarts gets the same.
    import dask

    # Nothing of the caller's: a variable set where the tests run wins over Dask's
    # configuration (docs/scale.md), and the workers get Dask's 1 when there is none.
    for key in ("MALLOC_TRIM_THRESHOLD_", "OMP_NUM_THREADS", "PYTHONHASHSEED"):
        monkeypatch.delenv(key, raising=False)
    # A keeper of its own, as in a process with no other cluster open: the one shared with
    # this module's clusters (two_workers, still open) puts back the environment as it was
    # before the first of them, so the caller's OMP_NUM_THREADS deleted above, not this
    # test's environment (test_clusters_closed_in_any_order_put_the_environment_back).
    monkeypatch.setattr(distributed, "_ENVIRON", distributed._EnvironKeeper())
    quiet = {(None, False, "1s", "1s", "1")}
    profile = dask.config.get("distributed.worker.profile.enabled")
    with connect(workers=1) as client:
        [pid] = client.run(os.getpid).values()
        assert set(client.run(_worker_settings).values()) == quiet
        # Dask's own settings in this process are as they were once the cluster is up.
        assert dask.config.get("distributed.worker.profile.enabled") == profile
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 60
        while True:
            assert time.monotonic() < deadline, "the nanny did not restart its worker"
            try:
                if set(client.run(os.getpid).values()) not in (set(), {pid}):
                    break
            except OSError:  # the killed worker's connection, while the nanny restarts it
                pass
            time.sleep(0.2)
        assert set(client.run(_worker_settings).values()) == quiet
    # The nanny wrote its workers' environment into this process's: put back.
    assert "OMP_NUM_THREADS" not in os.environ
    assert "PYTHONHASHSEED" not in os.environ


def test_clusters_closed_in_any_order_put_the_environment_back(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """What the nannies of two clusters wrote into this process's environment is put back
    as it was before the first, whichever closes first."""
    config = distributed.cluster_config()
    keeper = distributed._EnvironKeeper()
    monkeypatch.setenv("OMP_NUM_THREADS", "7")
    monkeypatch.delenv("PYTHONHASHSEED", raising=False)
    keeper.hold(config)  # the first cluster
    os.environ.update({"OMP_NUM_THREADS": "1", "PYTHONHASHSEED": "6640"})  # its nanny's
    keeper.hold(config)  # the second, started while they are there
    keeper.release()  # the first closes
    assert os.environ["OMP_NUM_THREADS"] == "7" and "PYTHONHASHSEED" not in os.environ
    os.environ.update({"OMP_NUM_THREADS": "1", "PYTHONHASHSEED": "6640"})  # a restart's
    keeper.release()  # the second closes
    assert os.environ["OMP_NUM_THREADS"] == "7" and "PYTHONHASHSEED" not in os.environ
    keeper.hold(config)  # a third, after both: what is there now
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    keeper.release()
    assert os.environ["OMP_NUM_THREADS"] == "7"


def test_workers_must_be_positive() -> None:
    with pytest.raises(ConfigError, match="workers"), connect(workers=0):
        pass


# --- `crossbrief stories --brief --workers N`, the installed command -----------------------


@pytest.fixture(scope="module")
def stream(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("stream")
    return folder, write_stream(folder)


def test_workers_brief_the_stories_as_one_process_does(stream: tuple[Path, list[str]]) -> None:
    folder, inputs = stream
    here = crossbrief_command("stories", *inputs, "--brief", "-f", "json", cwd=folder)
    there = crossbrief_command("stories", *inputs, "--brief", "--workers", "2", "-f", "json",
                               cwd=folder)
    # The stream holds one bad JSON line: named, the rest grouped and briefed.
    assert here.returncode == there.returncode == EXIT_PARTIAL, there.stderr
    assert json.loads(there.stdout) == json.loads(here.stdout)  # stdout: the document alone
    document = json.loads(here.stdout)
    assert any("brief" in story for story in document["stories"])


@pytest.mark.parametrize("library", [False, True])
def test_a_model_missing_on_the_workers_stops_the_run_once(
        stream: tuple[Path, list[str]], tmp_path: Path, library: bool) -> None:
    """As `analyze` stops: exit code 1, one line on stderr, nothing written to -o; each
    story was named as failed ("its brief failed: ModelLoadError …"), or the workers'
    tracebacks filled stderr."""
    folder, inputs = stream
    given: tuple[str, ...] = tuple(inputs)
    if library:
        db = str(tmp_path / "lib.db")
        assert crossbrief_command("ingest", *inputs, "--db", db, cwd=folder).returncode == 2
        given = ("--db", db)
    out = tmp_path / "out.json"
    result = crossbrief_command("stories", *given, "--brief", "--workers", "1", "-q",
                                "--spacy-model", "no_such_pipeline", "-f", "json",
                                "-o", str(out), cwd=folder)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("crossbrief: error: [E400] cannot load spaCy pipeline "
                                    "'no_such_pipeline'"), result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.count("[E400]") == 1
    assert not out.exists()


def test_library_briefs_are_made_once_and_kept(stream: tuple[Path, list[str]],
                                               tmp_path: Path) -> None:
    folder, inputs = stream
    db = str(tmp_path / "lib.db")
    crossbrief_command("ingest", *inputs, "--db", db, cwd=folder)
    first = crossbrief_command("stories", "--db", db, "--brief", "--workers", "1", "-f",
                               "json", cwd=folder)
    assert first.returncode == 0, first.stderr
    assert "Dask dashboard at http" in first.stderr
    with sqlite3.connect(db) as connection:
        made = connection.execute("select story, created from briefs order by story").fetchall()
    assert made  # a story of two or more articles was briefed and stored
    # Started again (as after an interruption): the stored briefs are taken, none is made
    # again, and the document is the same.
    again = crossbrief_command("stories", "--db", db, "--brief", "--workers", "1", "-f",
                               "json", cwd=folder)
    with sqlite3.connect(db) as connection:
        assert connection.execute(
            "select story, created from briefs order by story").fetchall() == made
    assert json.loads(again.stdout) == json.loads(first.stdout)


def test_workers_without_brief_group_the_stream_as_one_process_does(
        stream: tuple[Path, list[str]]) -> None:
    """Without --brief, --workers N only lends the grouping N processes (for streams of
    5,000 articles or more): no cluster is started, and the stories are the same."""
    folder, inputs = stream
    here = crossbrief_command("stories", *inputs, "-f", "json", cwd=folder)
    there = crossbrief_command("stories", *inputs, "--workers", "2", "-f", "json", cwd=folder)
    assert here.returncode == there.returncode == EXIT_PARTIAL, there.stderr
    assert json.loads(there.stdout) == json.loads(here.stdout)
    assert "Dask" not in there.stderr


@pytest.mark.parametrize("args", [["--scheduler", "tcp://127.0.0.1:1"],
                                  ["--brief", "--workers", "1", "--scheduler", "tcp://x:1"],
                                  ["--brief", "--workers", "0"]])
def test_cluster_options_need_brief_and_one_cluster(args: list[str],
                                                    stream: tuple[Path, list[str]]) -> None:
    _, inputs = stream
    result = CliRunner().invoke(cli, ["stories", *inputs, *args])
    assert result.exit_code == EXIT_USAGE, result.output


def test_the_check_on_hand_made_groups_runs_on_hand_made_groups_only(tmp_path: Path) -> None:
    """A story the clustering made (or a person corrected) is not checked again by the apart
    stage; a named story (a group a person put together) is."""
    from crossbrief.store import Library

    with Library(tmp_path / "lib.db") as library:
        library.ingest([str(example_path())])
        auto = max(library.story_list("auto").stories, key=lambda s: len(s.articles))
        assert len(auto.articles) >= 2
        named = library.create_story("bridge", [a.id for a in auto.articles])
        made = library.briefs([auto.id, named.id])
    assert "apart" not in made[auto.id]["stages"]
    assert "apart" in made[named.id]["stages"]
    assert made[auto.id]["claims"] == made[named.id]["claims"]  # nothing set apart here


def test_the_larger_stream_interleaves_the_shared_sets(tmp_path: Path) -> None:
    """benchmarks/scale.py --stream larger: the GVA dev stream and the other shared sets'
    articles, each moved into the GVA period, in publication order, built the same twice,
    in the directory given (never in the repository)."""
    import datetime

    scale = benchmark("scale")
    if not scale.STREAM.exists():
        pytest.skip(f"{scale.STREAM} is absent (the shared evaluation sets)")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = scale.larger(tmp_path / "a"), scale.larger(tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    assert first.parent == tmp_path / "a"
    records = [json.loads(line) for line in first.read_text("utf-8").splitlines()]
    gva = sum(1 for _ in scale.STREAM.open(encoding="utf-8"))
    assert len(records) > gva * 1.3
    assert [(r["published"], r["id"]) for r in records] == \
        sorted((r["published"], r["id"]) for r in records)
    last = scale.GVA_FIRST + datetime.timedelta(days=scale.GVA_DAYS + 60)
    sets = {r["story"].split("-", 1)[0] for r in records if "/" in r["id"]}
    assert sets <= {"duc2004", "duc2006", "ecb", "polnear"} and len(sets) >= 2
    for record in records:
        if "/" in record["id"]:  # another set's: moved into the GVA period
            assert scale.GVA_FIRST.isoformat() <= record["published"] <= last.isoformat()
            assert record["text"].strip()


def test_a_story_with_rejections_is_briefed_on_the_cluster_as_here(
        settings: Any, two_workers: Any, tmp_path: Path) -> None:
    """A library story whose brief a person corrected (a rejected conflict) is briefed by
    the cluster's tasks, its rejections carried with it, to the brief made in process."""
    from crossbrief.pipeline import run_story
    from crossbrief.store import Library

    with Library(tmp_path / "library.db") as library:
        result = library.ingest([str(example_path())])
        library.create_story("bridge", result.ids)
        first = library.brief("bridge", settings)
        conflict = first["conflicts"][0]["id"]
        library.reject_conflict("bridge", conflict)
        story = library.story("bridge")
        here = run_story(story.pipeline_story(library.articles(story.articles),
                                        library.active_rejections(story)), settings).to_dict()
        made = library.briefs(["bridge"], settings, client=two_workers)[story.id]
        assert conflict not in {c["id"] for c in made["conflicts"]} and made["rejected"]
        assert canonical(made) == canonical(here)
        assert library.stored_brief(story.id) == made
