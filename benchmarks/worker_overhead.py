"""Where a Dask worker's extra CPU goes: the same ``distributed.brief_batch`` tasks run in
several places, CPU measured inside each (issue 16).

    OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 nice -n 10 python benchmarks/worker_overhead.py \
        --rounds 2 --modes process,thread,dask,dask-quiet

The tasks are those ``crossbrief stories --brief`` sends for the first ``--limit`` articles of
the GVA dev stream (read, cleaned, grouped into stories; every ``--every``-th story of two or
more articles; tasks of up to ``distributed.BATCH_ARTICLES`` articles, largest stories first).
Each mode runs every task once, after one warm-up task (models loaded, first brief made) that
is not counted; the modes are interleaved round after round, in the same order each round
(not rotated), so that they meet about the same load on a shared machine. Inside the process
that runs a task, around ``brief_batch`` alone:

- ``thread``: CPU of the thread that ran the task (``RUSAGE_THREAD``, user and system);
- ``process``: CPU of its whole process over the same interval (``RUSAGE_SELF``): the
  difference is what the process's other threads (Dask's event loop, a monitor) spent meanwhile;
- page faults and context switches of the thread.

And over the whole series, the process's CPU from before the first counted task to after the
last one (what a worker costs between tasks too), and for Dask the CPU of this process, which
runs the scheduler and the client.

Modes: ``process``: a spawned process (``multiprocessing``, as ``--stage-cpu`` runs in one
process), the task in its main thread; ``thread``: the same, the task in a
``ThreadPoolExecutor`` thread; ``dask``: a ``LocalCluster`` of one worker process with one
thread, with Dask's default settings (as ``distributed.connect`` made it before it set its
own); ``dask-*``: the same with settings changed
(``VARIANTS``); ``connect``: the cluster ``distributed.connect(workers=1)`` starts, with the
settings crossbrief gives it (``distributed.cluster_config``). Prints the figures as JSON
(``--json F`` also writes them).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import hashlib
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale import sample  # noqa: E402

DONE = ("ingest", "clean")

# Dask settings of the variants (dask.config keys), and environment variables of the worker
# process (set through the nanny's pre-spawn-environ, or the spawned process's environment).
VARIANTS: dict[str, dict[str, Any]] = {
    "dask": {},
    # The worker's periodic callbacks and timers, all far apart.
    "dask-quiet": {"config": {
        "distributed.admin.tick.interval": "10s",
        "distributed.admin.system-monitor.interval": "10s",
        "distributed.worker.memory.monitor-interval": "10s",
        "distributed.worker.profile.enabled": False,
        "distributed.worker.profile.interval": "10s",
        "distributed.worker.profile.cycle": "100s",
    }},
    "dask-noprofile": {"config": {"distributed.worker.profile.enabled": False}},
    "dask-tick": {"config": {"distributed.admin.tick.interval": "10s"}},
    "dask-monitors": {"config": {
        "distributed.admin.tick.interval": "10s",
        "distributed.admin.system-monitor.interval": "10s",
        "distributed.worker.memory.monitor-interval": "10s",
    }},
    "dask-notrim": {"environ": {"MALLOC_TRIM_THRESHOLD_": None}},
    "dask-fix": {"environ": {"MALLOC_TRIM_THRESHOLD_": None}, "config": {
        "distributed.admin.tick.interval": "10s",
        "distributed.admin.system-monitor.interval": "10s",
        "distributed.worker.memory.monitor-interval": "10s",
        "distributed.worker.profile.enabled": False,
    }},
    "process-trim": {"environ": {"MALLOC_TRIM_THRESHOLD_": "65536"}},
    "dask-arena": {"environ": {"MALLOC_ARENA_MAX": "1"}},
    "thread-arena": {"environ": {"MALLOC_ARENA_MAX": "1"}},
}


def tasks(limit: int, every: int) -> list[list[Any]]:
    """The brief tasks of the sample: up to ``distributed.BATCH_ARTICLES`` articles each,
    largest stories first (``distributed.iter_briefs`` cuts a small stream's tasks smaller,
    to keep every worker busy; the same tasks in every mode is what matters here)."""
    from crossbrief import distributed
    from crossbrief.config import load_settings
    from crossbrief.ingest import read_inputs
    from crossbrief.model import Story
    from crossbrief.pipeline import run_stages
    from crossbrief.stories import StreamArticle, cluster

    settings = load_settings()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = read_inputs([str(sample(limit, Path(tmp)))], settings)
    cleaned = run_stages(corpus, ["clean"], settings)
    by_id = {a.id: a for a in cleaned.articles}
    groups = cluster(StreamArticle.from_article(a) for a in cleaned.articles)
    jobs = [Story([by_id[a.id] for a in g.articles], id=g.id) for g in groups
            if len(g.articles) >= 2][::every]
    jobs.sort(key=lambda s: -len(s.articles))
    batches: list[list[Any]] = [[]]
    for story in jobs:
        if batches[-1] and sum(len(s.articles) for s in batches[-1]) + len(story.articles) \
                > distributed.BATCH_ARTICLES:
            batches.append([])
        batches[-1].append(story)
    return batches


def _usage(who: int) -> dict[str, float]:
    u = resource.getrusage(who)
    return {"user": u.ru_utime, "sys": u.ru_stime, "minflt": u.ru_minflt,
            "majflt": u.ru_majflt, "nvcsw": u.ru_nvcsw, "nivcsw": u.ru_nivcsw}


def _minus(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
    return {k: a[k] - b[k] for k in a}


def measured_batch(batch: list[Any], settings: Any) -> tuple[str, dict[str, Any]]:
    """``distributed.brief_batch`` on ``batch``, with the CPU of this thread and of this
    process around it: (a hash of the briefs, the figures)."""
    from crossbrief.distributed import brief_batch
    from crossbrief.pipeline import GROUPED_STAGES

    wall = time.perf_counter()
    thread, process = _usage(resource.RUSAGE_THREAD), _usage(resource.RUSAGE_SELF)
    briefs = brief_batch(batch, settings, DONE, GROUPED_STAGES)
    thread = _minus(_usage(resource.RUSAGE_THREAD), thread)
    process = _minus(_usage(resource.RUSAGE_SELF), process)
    text = json.dumps([b if isinstance(b, dict) else repr(b) for b in briefs], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest(), {
        "articles": sum(len(s.articles) for s in batch),
        "wall": time.perf_counter() - wall, "thread": thread, "process": process,
        "main_thread": threading.current_thread() is threading.main_thread(),
        "threads": len(os.listdir("/proc/self/task")),
    }


def process_usage() -> dict[str, float]:
    """The calling process's CPU so far (run on a worker)."""
    return _usage(resource.RUSAGE_SELF)


def _series(batches: list[list[Any]], settings: Any,
            in_thread: bool) -> dict[str, Any]:
    """In a spawned process: load the models, warm up on the first task, then every task,
    in this process's main thread or in a ThreadPoolExecutor thread."""
    from crossbrief.distributed import load_models

    load_models(settings)
    pool = concurrent.futures.ThreadPoolExecutor(1) if in_thread else None

    def run(batch: list[Any]) -> tuple[str, dict[str, Any]]:
        if pool is None:
            return measured_batch(batch, settings)
        return pool.submit(measured_batch, batch, settings).result()

    run(batches[0])
    before = process_usage()
    results = [run(b) for b in batches]
    return {"results": results, "series": _minus(process_usage(), before)}


@contextlib.contextmanager
def _environ(changes: dict[str, str | None]) -> Iterator[None]:
    from crossbrief.distributed import set_environ

    saved = {k: os.environ.get(k) for k in changes}
    try:
        set_environ(changes)
        yield
    finally:
        set_environ(saved)


def run_process(batches: list[list[Any]], settings: Any, in_thread: bool,
                environ: dict[str, str | None]) -> dict[str, Any]:
    with _environ(environ):
        context = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
            out = pool.submit(_series, batches, settings, in_thread).result()
    out["main"] = None
    return out


def run_dask(batches: list[list[Any]], settings: Any, config: dict[str, Any],
             environ: dict[str, str | None], use_connect: bool = False) -> dict[str, Any]:
    import dask
    from distributed import Client, LocalCluster, wait

    from crossbrief.distributed import connect, load_models

    spawn = dict(dask.config.get("distributed.nanny.pre-spawn-environ"))
    for k, v in environ.items():
        if v is None:
            spawn.pop(k, None)
        else:
            spawn[k] = v
    # The nanny, in this process, sets its pre-spawn-environ in this process's own
    # environment too (and leaves it there): restored after, or the next mode's processes
    # inherit it.
    with _environ({k: os.environ.get(k) for k in {*spawn, *environ, "PYTHONHASHSEED"}}), \
            dask.config.set({**config, "distributed.nanny.pre-spawn-environ": spawn}):
        made: contextlib.AbstractContextManager[Any]
        if use_connect:  # as crossbrief itself starts its cluster
            cluster: Any = contextlib.nullcontext()
            made = connect(workers=1)
        else:
            # distributed's LocalCluster, Client and wait are unannotated (as in
            # crossbrief.distributed.connect).
            cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0",
                silence_logs=40)
            made = Client(cluster)  # type: ignore[no-untyped-call]
        with cluster, made as client:
            client.run(load_models, settings)
            client.submit(measured_batch, batches[0], settings, pure=False).result()
            before, main = client.run(process_usage), _usage(resource.RUSAGE_SELF)
            futures = [client.submit(measured_batch, b, settings, pure=False,
                                     key=f"measured-{n}") for n, b in enumerate(batches)]
            wait(futures)  # type: ignore[no-untyped-call]
            results = [f.result() for f in futures]
            after, main = client.run(process_usage), _minus(_usage(resource.RUSAGE_SELF), main)
    (worker,) = after
    return {"results": results, "series": _minus(after[worker], before[worker]),
            "main": main}


def summary(run: dict[str, Any]) -> dict[str, Any]:
    """Per-article figures (ms) of one mode's run."""
    figures = [r for _, r in run["results"]]
    articles: int = sum(f["articles"] for f in figures)

    def ms(seconds: float) -> float:
        return round(1000 * seconds / articles, 2)

    def total(part: str, key: str) -> float:
        return float(sum(f[part][key] for f in figures))

    out = {
        "articles": articles,
        "wall": ms(sum(f["wall"] for f in figures)),
        "thread_user": ms(total("thread", "user")), "thread_sys": ms(total("thread", "sys")),
        "process_user": ms(total("process", "user")),
        "process_sys": ms(total("process", "sys")),
        "series_cpu": ms(run["series"]["user"] + run["series"]["sys"]),
        "thread_minflt": round(total("thread", "minflt") / articles, 1),
        "thread_nivcsw": round(total("thread", "nivcsw") / articles, 1),
        "thread_nvcsw": round(total("thread", "nvcsw") / articles, 1),
        "threads": max(f["threads"] for f in figures),
        "main_thread": figures[0]["main_thread"],
        "briefs": hashlib.sha256("".join(h for h, _ in run["results"]).encode()).hexdigest()[:12],
    }
    if run.get("main"):
        out["client_scheduler_cpu"] = ms(run["main"]["user"] + run["main"]["sys"])
    return out


def run_mode(mode: str, batches: list[list[Any]], settings: Any) -> dict[str, Any]:
    variant = VARIANTS.get(mode, {})
    environ = variant.get("environ", {})
    if mode.startswith("dask") or mode == "connect":
        return run_dask(batches, settings, variant.get("config", {}), environ,
                        use_connect=mode == "connect")
    return run_process(batches, settings, mode.startswith("thread"), environ)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=600,
                        help="articles from the start of the GVA dev stream")
    parser.add_argument("--every", type=int, default=2,
                        help="every this-many-th story of two or more articles")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--modes", default="process,dask,connect",
                        help="comma-separated: process, thread, dask, connect, "
                             + ", ".join(VARIANTS))
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    from crossbrief.config import load_settings

    settings = load_settings()
    batches = tasks(args.limit, args.every)
    print(f"{len(batches)} tasks, {sum(len(s.articles) for b in batches for s in b)} "
          "articles", file=sys.stderr)
    rows = []
    for round_ in range(args.rounds):
        for mode in args.modes.split(","):
            load = os.getloadavg()
            row = {"round": round_, "mode": mode, **summary(run_mode(mode, batches, settings)),
                   "load": [round(x, 2) for x in (*load, *os.getloadavg())]}
            print(json.dumps(row), file=sys.stderr, flush=True)
            rows.append(row)
    print(json.dumps(rows, indent=1))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
