"""Briefs of many stories at once, on a Dask cluster: the ``--workers``/``--scheduler`` path.

The unit of work is a few stories: a task gets the articles of consecutive stories (up to
``BATCH_ARTICLES`` together), parses them in one spaCy batch when parsing is the first stage
to run, and runs every stage on each story's articles (cleaning, parsing, extraction,
embeddings, then the story-wide stages), so an article's parse never travels between
processes (a spaCy ``Doc`` pickles at several times the size of its text). Before that,
``crossbrief stories --brief`` cleans the stream's articles on the cluster too, a batch a task
(:func:`iter_cleaned`), as they are read; grouping the cleaned stream into stories
(:mod:`crossbrief.stories`) is cheap and runs where the articles are read, and so does the
reading itself (decoding, and the HTML extraction of pages).

- **Models load once per worker**: :class:`ModelsPlugin`, registered on the cluster, loads the
  spaCy pipeline and the encoder when a worker starts (and when a replacement worker joins);
  tasks then find them in the process-wide caches of :mod:`crossbrief.nlp`.
- **Same result whatever the workers**: each brief is a pure function of its story's articles
  and the settings, and :func:`brief_stories` returns the briefs in the order of the stories it
  was given, never in the order tasks finish.
- **Faults**: a task whose worker dies is run again by the scheduler on another worker (Dask
  retries tasks of lost workers, up to ``distributed.scheduler.allowed-failures`` times); as
  tasks are pure, a retry gives the same brief, and no story is lost or counted twice. A story
  whose brief raises anyway is returned as a :class:`StoryFailure` naming the error: the other
  stories' briefs are kept. An error that stops the run (``errors.STOPS_THE_RUN``: a model
  that cannot be loaded, a bad setting) is no story's doing: it is raised to the caller, as
  :func:`crossbrief.pipeline.analyze` raises it, not repeated for every story.
- **Bounded memory**: at most ``window`` tasks are in flight at once (submitted and not yet
  collected), so neither the scheduler nor a worker ever holds the whole stream.

Why Dask rather than :mod:`concurrent.futures` or :mod:`multiprocessing`: the same code runs on
one laptop (a ``LocalCluster`` of processes) and on many machines (``dask scheduler`` and
``dask worker``), with retries of lost workers, a dashboard and worker plugins built in.
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import logging
import os
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .config import Settings
from .errors import STOPS_THE_RUN, ConfigError
from .model import Article, Brief, Skipped, Story
from .parsecache import CACHE_ERRORS

if TYPE_CHECKING:
    from .parsecache import ParseCache

log = logging.getLogger(__name__)

# Tasks in flight per worker thread: enough that a worker never waits for the scheduler
# between two tasks, few enough that memory stays bounded by the window, not the stream.
IN_FLIGHT_PER_THREAD = 4
# Articles per task: a task briefs consecutive stories (largest first) up to this many
# articles, parsing them in one spaCy batch. spaCy parsed 203 GVA dev articles 13 % faster
# (CPU, three alternating runs) in batches of 32 than one story (2.5 articles) at a time, and
# a parse is the same whatever else is in its batch (tests/test_segment.py).
BATCH_ARTICLES = 32


@dataclass(frozen=True)
class StoryFailure:
    """A story whose brief could not be made: the stage errors are in the brief itself, so
    this is a failure outside the stages (a worker that died too often, a bug)."""

    story: str
    reason: str


Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class _Stopped:
    """An error that stops the run (``errors.STOPS_THE_RUN``), met by a task: returned, not
    raised, so that the worker does not log it as a failed task (a traceback on stderr for
    each task), and raised again where the results are collected."""

    error: Exception


def _run_task(function: Callable[..., Any], *arguments: Any) -> Any:
    """``function(*arguments)`` on a worker, an error that stops the run as a :class:`_Stopped`."""
    try:
        return function(*arguments)
    except STOPS_THE_RUN as exc:
        return _Stopped(exc)


def _outcome(future: Any) -> Any:
    """A task's result (:func:`_run_task`): an error that stops the run is raised here."""
    result = future.result()
    if isinstance(result, _Stopped):
        raise result.error
    return result


def brief_of(story: Story, settings: Settings,
             done: Sequence[str] = ("ingest",),
             stages: Sequence[str] | None = None) -> dict[str, Any]:
    """The ``crossbrief.brief/1`` document of one story (a task): the pipeline's
    stages not in ``done`` run on them (``("ingest",)``: articles as read;
    ``("ingest", "clean")``: already cleaned, as ``crossbrief stories`` groups them).

    The stages annotate articles in place, so they run on copies: the articles given are left
    as they were (an article may be briefed again, in another story or another run).
    ``stages``: the pipeline's (default ``pipeline.DEFAULT_STAGES``), of which those not in
    ``done`` run.
    """
    from .pipeline import DEFAULT_STAGES, run_story

    return run_story(_copied(story), settings, done=done,
                     stages=stages or DEFAULT_STAGES).to_dict()


def _copied(story: Story) -> Story:
    """``story`` with copies of its articles (the stages annotate articles in place)."""
    return replace(story, articles=copy.deepcopy(list(story.articles)))


def brief_batch(stories: Sequence[Story], settings: Settings,
                done: Sequence[str] = ("ingest",),
                stages: Sequence[str] | None = None,
                parses: ParseCache | None = None,
                ) -> list[dict[str, Any] | StoryFailure]:
    """The briefs of several stories (one task), each as :func:`brief_of` makes it
    (respecting what a person rejected in its briefs, ``Story.rejections``), or a
    :class:`StoryFailure` naming why it could not be made. When parsing is the
    first stage to run, every story's articles are parsed in one spaCy batch first (faster
    than a story at a time; the same parses); if that raises, each story runs on its own, so
    that its own pipeline names the article at fault. ``parses``: a parse cache the
    parsing reads and fills (:func:`brief_batch_shipped`)."""
    from .pipeline import DEFAULT_STAGES, run_story

    stages = tuple(stages or DEFAULT_STAGES)
    copies = [_copied(story) for story in stories]
    parsed = False
    if len(stories) > 1 and [n for n in stages if n not in done][:1] == ["segment"]:
        try:
            _segment_together([a for story in copies for a in story.articles], settings,
                              parses)
            parsed = True
        except STOPS_THE_RUN:
            raise
        except Exception as exc:  # the story's own run finds and skips the article
            log.debug("parsing %d stories together failed", len(stories), exc_info=exc)
            copies = [_copied(story) for story in stories]
    results: list[dict[str, Any] | StoryFailure] = []
    for story in copies:
        try:
            results.append(run_story(story, settings, stages=stages,
                                     done=(*done, "segment") if parsed else tuple(done),
                                     parses=parses).to_dict())
        except STOPS_THE_RUN:
            raise
        except Exception as exc:  # a story's failure is named; the others are kept
            log.debug("brief of story %s failed", story.id, exc_info=exc)
            results.append(StoryFailure(story.id, f"{type(exc).__name__}: {exc}"))
    return results


def _segment_together(articles: list[Article], settings: Settings,
                      parses: ParseCache | None = None) -> None:
    """The segment stage on ``articles`` of several stories at once: one spaCy batch."""
    from .pipeline import segment_stage

    segment_stage(Brief(articles=articles), settings, parses=parses)


class ShippedParses:
    """A parse cache that travels with a task: the library's stored entries of the task's
    articles, sent by the one process that reads the library, and the entries the task
    parses anew (``made``), sent back for that process to store (one writer)."""

    def __init__(self, stored: Mapping[str, tuple[str, bytes]]) -> None:
        self.stored = dict(stored)
        self.made: list[tuple[str, str, bytes]] = []

    def load(self, ids: Sequence[str]) -> dict[str, tuple[str, bytes]]:
        return {id: self.stored[id] for id in ids if id in self.stored}

    def save(self, rows: Sequence[tuple[str, str, bytes]]) -> None:
        self.made.extend(rows)


def brief_batch_shipped(stories: Sequence[Story], settings: Settings,
                        done: Sequence[str], stages: Sequence[str] | None,
                        stored: Mapping[str, tuple[str, bytes]],
                        ) -> tuple[list[dict[str, Any] | StoryFailure],
                                   list[tuple[str, str, bytes]]]:
    """:func:`brief_batch` reading the parses ``stored`` (by article id: the library's
    entries, as :class:`crossbrief.parsecache.ParseCache` gives them) instead of parsing
    those articles again: the briefs, and the entries of the articles it parsed."""
    parses = ShippedParses(stored)
    return brief_batch(stories, settings, done, stages, parses), parses.made


def load_models(settings: Settings) -> None:
    """Load what every brief needs into this process's caches (a worker's start)."""
    from .nlp import load_encoder, load_spacy, load_static_encoder

    load_spacy(settings.spacy_model)
    if settings.encoder_backend == "static":
        load_static_encoder(settings.encoder_model)
    else:
        load_encoder(settings.encoder_model)


def start_loading_models(client: Any, settings: Settings) -> None:
    """Have every worker of ``client``'s cluster start loading the models now, without waiting
    for them: called as the stream starts to be read, the workers load while this process
    reads and groups it, so the briefs (whose :func:`iter_briefs` registers the
    :class:`ModelsPlugin` and waits for it) find the models loaded instead of waiting about 3
    CPU seconds a worker. A worker that fails here fails the plugin's own load later, where it
    is reported; a worker that joins later loads through the plugin."""
    try:
        client.run(_load_models_now, settings, wait=False)
    except Exception as exc:  # only a head start: the plugin loads them anyway
        log.debug("could not start loading the models on the workers", exc_info=exc)


async def _load_models_now(settings: Settings) -> None:
    """:func:`load_models` on a worker (Dask runs only coroutines without waiting for them);
    in the worker's event loop, so the plugin's load, queued behind it, finds them loaded.
    A failure is left for the briefs to report (nobody waits for this one: raised, it was a
    traceback on stderr, "Task exception was never retrieved")."""
    try:
        load_models(settings)
    except Exception as exc:
        log.debug("the models could not be loaded ahead", exc_info=exc)


def _plugin_class() -> type:
    from distributed.diagnostics.plugin import WorkerPlugin

    class ModelsPlugin(WorkerPlugin):
        """Loads the models once when a worker starts, not once per task."""

        name = "crossbrief-models"

        def __init__(self, settings: Settings) -> None:
            self.settings = settings

        def setup(self, worker: Any) -> None:
            # A model that cannot be loaded is left for the first task to raise (it loads
            # again: a failed load is not cached), which stops the run with that one error;
            # raised here, it was also a worker's traceback on stderr.
            with contextlib.suppress(*STOPS_THE_RUN):
                load_models(self.settings)

    return ModelsPlugin


# Dask's defaults that cost a brief task's CPU, changed for the LocalCluster that connect()
# starts (not for a cluster of the user's own: docs/scale.md says what to set there). Measured
# with benchmarks/worker_overhead.py, the same brief tasks on a worker of a 1-worker
# LocalCluster under each setting, interleaved (BENCHMARKS.md, "Scale: a Dask worker's CPU
# overhead"):
# - the nanny starts its workers with MALLOC_TRIM_THRESHOLD_=65536, which also turns off
#   glibc's sliding mmap threshold, so every allocation of 128 kB or more (spaCy's and
#   NumPy's arrays) is mapped and unmapped afresh: about 4,000 page faults an article
#   instead of 400-700, and 19-28 ms of system CPU an article instead of 2-8 (a brief is
#   about 130 ms). Kept: the nanny's OMP/MKL/OpenBLAS threads set to 1 (a worker per core).
#   A MALLOC_TRIM_THRESHOLD_ in this process's own environment still reaches the workers,
#   as every variable does (docs/scale.md).
# - the sampling profiler (a callback on the worker's event loop that reads the task's
#   stack every 10 ms, for the dashboard's profile page), and
# - the event loops' health tick (every 20 ms), the system monitor (every 0.5 s) and the
#   memory monitor (every 0.1 s), in the workers and in this process, which runs the
#   scheduler and the nannies: together 10-21 ms an article in a worker's other threads
#   (2-4 with both changed) and 8-15 in this process (2-4). The memory limit is then
#   checked every second rather than every 0.1 s (docs/scale.md).
QUIET_INTERVALS = {
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}


def cluster_config() -> dict[str, Any]:
    """The Dask settings :func:`connect` starts its ``LocalCluster`` with (see above)."""
    import dask

    environ = {k: v for k, v in dask.config.get("distributed.nanny.pre-spawn-environ").items()
               if k != "MALLOC_TRIM_THRESHOLD_"}
    return {"distributed.nanny.pre-spawn-environ": environ,
            "distributed.worker.profile.enabled": False, **QUIET_INTERVALS}


@contextlib.contextmanager
def connect(workers: int | None = None, scheduler: str | None = None,
            threads_per_worker: int = 1) -> Iterator[Any]:
    """A Dask client: on the cluster whose scheduler listens at ``scheduler``, or on a new
    ``LocalCluster`` of ``workers`` processes (closed again on exit)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise ConfigError(f"running on a cluster needs dask.distributed: {exc}") from exc
    if scheduler is not None:
        try:
            client = Client(scheduler)  # type: ignore[no-untyped-call]
        except (ValueError, TypeError) as exc:  # an address Dask cannot read ("foo://x",
            # ""): a setting that is wrong, one line, rather than Dask's traceback
            raise ConfigError(f"the scheduler's address is not one Dask reads (write it "
                              f"tcp://HOST:8786): {exc}") from None
        except OSError as exc:  # nothing listening there, a host that does not resolve:
            # Dask's "Timed out trying to connect" (TimeoutError is an OSError) after
            # distributed.comm.timeouts.connect, one line too
            raise ConfigError(f"cannot reach the scheduler at {scheduler}: {exc}") from None
        with client:
            yield client
        return
    if workers is None or workers < 1:
        raise ConfigError(f"workers must be 1 or more, got {workers!r}")
    # Processes, not threads: spaCy and the encoder hold the GIL for much of their work. No
    # dashboard port is fixed, so two runs on one machine never collide.
    import dask

    config = cluster_config()
    _ENVIRON.hold(config)
    try:
        # One cluster starts at a time: dask.config.set changes the process's configuration
        # (and puts back what it replaced on exit), so two starting at once in two threads
        # could leave each other's settings behind.
        with _STARTING, dask.config.set(config):
            # Each nanny is given the whole configuration as it is now, which it hands to
            # every worker it starts, a worker it restarts (after a crash, or at its memory
            # limit) included: the nanny's own copy would otherwise share the process's
            # "distributed" settings, which are Dask's defaults again once this block ends.
            cluster = LocalCluster(  # type: ignore[no-untyped-call]
                n_workers=workers, threads_per_worker=threads_per_worker, processes=True,
                dashboard_address=":0", silence_logs=logging.ERROR,
                config=copy.deepcopy(dask.config.config))
        with cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
            yield client
    finally:
        _ENVIRON.release()


class _EnvironKeeper:
    """This process's environment as it was before the first of the clusters :func:`connect`
    runs at once: a nanny writes its workers' variables into this process's own environment
    (os.environ) as it starts one, and leaves them there, so each cluster puts back on close
    what was there before the first (processes this one starts later, bare spaCy's in
    benchmarks/scale.py, must not inherit them). Harmless to a cluster still running: its
    nanny writes them again before it starts a worker. Clusters may close in any order."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._saved: dict[str, str | None] = {}

    def hold(self, config: Mapping[str, Any]) -> None:
        with self._lock:
            keys = (*config["distributed.nanny.pre-spawn-environ"], "PYTHONHASHSEED")
            for key in keys:
                if self._users == 0 or key not in self._saved:
                    self._saved[key] = os.environ.get(key)
            self._users += 1

    def release(self) -> None:
        with self._lock:
            set_environ(self._saved)
            self._users -= 1
            if self._users == 0:
                self._saved.clear()


_STARTING = threading.Lock()
_ENVIRON = _EnvironKeeper()


def set_environ(values: Mapping[str, str | None]) -> None:
    """Set these variables of this process's environment (remove those given None)."""
    for key, value in values.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def _threads(client: Any) -> int:
    """The cluster's worker threads (at least one): the unit of ``IN_FLIGHT_PER_THREAD``."""
    return sum(client.nthreads().values()) or 1


def dashboard(client: Any) -> str | None:
    """The address of the cluster's dashboard, when it has one."""
    link = getattr(client, "dashboard_link", None)
    return str(link) if link else None


def iter_briefs(
    stories: Sequence[Story],
    settings: Settings,
    client: Any,
    *,
    done: Sequence[str] = ("ingest",),
    stages: Sequence[str] | None = None,
    window: int | None = None,
    batch_articles: int | None = None,
    parses: ParseCache | None = None,
) -> Iterator[tuple[int, dict[str, Any] | StoryFailure]]:
    """``(position, brief)`` for each story of ``stories``, made on the
    cluster behind ``client``, as each arrives (module docstring: models, retries, bounded
    memory); :func:`brief_stories` puts them in order. ``done`` and ``stages`` as in
    :func:`brief_of`. A story's articles may be held by reference
    (:class:`~crossbrief.model.LazyArticles`): they are read when its task is sent. A task
    briefs consecutive stories of up to ``batch_articles`` articles (:func:`brief_batch`; by
    default ``BATCH_ARTICLES``, fewer when the stream is too short to give every worker
    thread a window of tasks that size: a task of 32 articles
    on a stream of 40 would leave the second worker idle); a task that fails outside the
    stories' briefs (a worker that died too often) is sent again one story a task, so that
    only the story at fault fails. With ``parses`` (the library's parse cache), a task is
    sent the stored parses of its articles, read when it is submitted, and parses only the
    others; their parses come back with the briefs and are stored here."""
    from distributed import as_completed

    client.register_plugin(_plugin_class()(settings), name="crossbrief-models")
    threads = _threads(client)
    window = window or max(2, IN_FLIGHT_PER_THREAD * threads)
    if batch_articles is None:
        total = sum(len(story.articles) for story in stories)
        batch_articles = max(1, min(BATCH_ARTICLES,
                                    total // (IN_FLIGHT_PER_THREAD * threads)))
    # Largest stories first (the longest tasks), so that the run does not end with one
    # worker busy on a big story while the others wait; ties in the given order.
    pending = iter(sorted(enumerate(stories),
                          key=lambda item: (-len(item[1].articles), item[0])))
    ahead: list[tuple[int, Story]] = []
    alone: list[int] = []  # positions of a failed batch, to be sent one a task
    positions_of: dict[str, list[int]] = {}
    run = uuid.uuid4().hex[:12]  # this run's keys (see iter_cleaned)

    def next_batch() -> list[tuple[int, Story]]:
        if alone:
            position = alone.pop(0)
            return [(position, stories[position])]
        batch: list[tuple[int, Story]] = []
        size = 0
        while True:
            if not ahead:
                following = next(pending, None)
                if following is None:
                    return batch
                ahead.append(following)
            count = len(ahead[0][1].articles)
            if batch and size + count > batch_articles:
                return batch
            batch.append(ahead.pop(0))
            size += count

    def submit() -> Any | None:
        batch = next_batch()
        if not batch:
            return None
        # The key names the run and the first story, so the dashboard shows which; pure=False
        # as the same story may legitimately be briefed twice in one session.
        position, story = batch[0]
        sent = [replace(s, articles=list(s.articles)) for _, s in batch]
        arguments: tuple[Any, ...] = (sent, settings, tuple(done),
                                      tuple(stages) if stages else None)
        task: Callable[..., Any] = brief_batch
        if parses is not None:
            task, arguments = brief_batch_shipped, (*arguments, _stored(parses, sent))
        future = client.submit(_run_task, task, *arguments, pure=False,
                               key=f"brief-{run}-{story.id}-{position}-{len(batch)}"
                                   f"{'-alone' if len(batch) == 1 else ''}")
        positions_of[future.key] = [p for p, _ in batch]
        return future

    queue = as_completed(  # type: ignore[no-untyped-call]
        [f for f in (submit() for _ in range(window)) if f is not None])
    for future in queue:
        positions = positions_of.pop(future.key)
        results: list[dict[str, Any] | StoryFailure] = []
        try:
            if parses is None:
                results = _outcome(future)
            else:
                results, made = _outcome(future)
                _keep_parses(parses, made)
        except STOPS_THE_RUN:  # a model missing on the workers: no story's doing
            raise
        except Exception as exc:
            if len(positions) > 1:  # each story again on its own: only the culprit fails
                log.debug("a task of %d stories failed", len(positions), exc_info=exc)
                alone.extend(positions)
            else:
                failed = stories[positions[0]].id
                log.debug("brief of story %s failed", failed, exc_info=exc)
                results = [StoryFailure(failed, f"{type(exc).__name__}: {exc}")]
        future.release()
        for _ in range(1 if results else len(positions)):
            following = submit()
            if following is not None:
                queue.add(following)  # type: ignore[no-untyped-call]
        if results:
            yield from zip(positions, results, strict=True)


# Articles per cleaning task: cleaning takes about 3 ms an article, so a task of fewer would
# spend as long being scheduled (a few ms a task) as being done.
CLEAN_BATCH = 64
Cleaned = tuple[list[Article], list[Skipped]]


def clean_batch(articles: Sequence[Article], settings: Settings) -> list[Cleaned]:
    """The clean stage on each article alone (as the pipeline runs it: a failure skips the
    article with its reason): for each, the cleaned article (none when skipped) and what was
    skipped. A task of :func:`iter_cleaned`."""
    from .pipeline import run_stages

    results: list[Cleaned] = []
    for article in articles:
        corpus = run_stages(Brief([article], stages=["ingest"]), ["clean"], settings)
        results.append((corpus.articles, corpus.skipped))
    return results


def iter_cleaned(articles: Iterable[Article], settings: Settings, client: Any, *,
                 window: int | None = None,
                 batch: int = CLEAN_BATCH) -> Iterator[tuple[Article, Cleaned]]:
    """``(article, (cleaned, skipped))`` for each of ``articles`` as :func:`clean_batch`
    makes it, cleaned on the cluster behind ``client`` a batch a task, in the order given
    (whatever order the tasks finish in). At most ``window`` tasks are in flight, so the
    articles are read as fast as the cluster cleans them and never held all at once. A task
    that fails outside the stage (a worker that died too often) is cleaned here instead."""
    window = window or max(2, IN_FLIGHT_PER_THREAD * _threads(client))
    flight: deque[tuple[list[Article], Any]] = deque()
    # Keys are global on a scheduler that other runs share: this run's own (with pure=False
    # an explicit key is still reused, and would hand back another run's result).
    run = uuid.uuid4().hex[:12]

    def collect() -> Iterator[tuple[Article, Cleaned]]:
        sent, future = flight.popleft()
        try:
            results = _outcome(future)
        except STOPS_THE_RUN:
            raise
        except Exception as exc:
            log.debug("a cleaning task of %d articles failed", len(sent), exc_info=exc)
            results = clean_batch(sent, settings)
        future.release()
        yield from zip(sent, results, strict=True)

    stream = iter(articles)
    count = 0
    while sent := list(itertools.islice(stream, batch)):
        count += 1
        flight.append((sent, client.submit(_run_task, clean_batch, sent, settings,
                                           pure=False, key=f"clean-{run}-{count}")))
        if len(flight) >= window:
            yield from collect()
    while flight:
        yield from collect()


def _stored(parses: ParseCache, stories: Sequence[Story]) -> dict[str, tuple[str, bytes]]:
    """What ``parses`` holds for the articles of ``stories`` (nothing when it cannot be read:
    the task then parses them, as a brief made here would)."""
    try:
        return parses.load(sorted({a.id for story in stories for a in story.articles}))
    except CACHE_ERRORS as exc:
        log.warning("the parse cache cannot be read (%s); the task parses every article", exc)
        return {}


def _keep_parses(parses: ParseCache, made: Sequence[tuple[str, str, bytes]]) -> None:
    try:
        parses.save(sorted(made))
    except CACHE_ERRORS as exc:
        log.warning("the parse cache cannot be written (%s)", exc)


def brief_stories(
    stories: Sequence[Story],
    settings: Settings,
    client: Any,
    *,
    done: Sequence[str] = ("ingest",),
    stages: Sequence[str] | None = None,
    progress: Progress | None = None,
    window: int | None = None,
    batch_articles: int | None = None,
) -> list[dict[str, Any] | StoryFailure]:
    """The brief of each story, in the order given, whatever order the
    tasks finish in (:func:`iter_briefs`). ``progress(done, total)`` is called as each
    brief arrives."""
    results: list[dict[str, Any] | StoryFailure | None] = [None] * len(stories)
    for count, (position, result) in enumerate(
            iter_briefs(stories, settings, client, done=done, stages=stages,
                        window=window, batch_articles=batch_articles), 1):
        results[position] = result
        if progress is not None:
            progress(count, len(stories))
    return [r for r in results if r is not None]
