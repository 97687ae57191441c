"""Briefs of many stories at once, on a Dask cluster: the ``--workers``/``--scheduler`` path.

The unit of work is one story: a task gets the ingested articles of one story and runs every
stage on them (cleaning, parsing, extraction, embeddings, then the story-wide stages), so an
article's parse never travels between processes (a spaCy ``Doc`` pickles at several times the
size of its text). Grouping the stream into stories (:mod:`crossbrief.stories`) is cheap and
runs where the articles are read.

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
  stories' briefs are kept.
- **Bounded memory**: at most ``window`` stories are in flight at once (submitted and not yet
  collected), so neither the scheduler nor a worker ever holds the whole stream.

Why Dask rather than :mod:`concurrent.futures` or :mod:`multiprocessing`: the same code runs on
one laptop (a ``LocalCluster`` of processes) and on many machines (``dask scheduler`` and
``dask worker``), with retries of lost workers, a dashboard and worker plugins built in.
"""

from __future__ import annotations

import contextlib
import copy
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .config import Settings
from .errors import ConfigError
from .model import Article

log = logging.getLogger(__name__)

# Stories in flight per worker thread: enough that a worker never waits for the scheduler
# between two stories, few enough that memory stays bounded by the window, not the stream.
IN_FLIGHT_PER_THREAD = 4


@dataclass(frozen=True)
class StoryFailure:
    """A story whose brief could not be made: the stage errors are in the brief itself, so
    this is a failure outside the stages (a worker that died too often, a bug)."""

    story: str
    reason: str


Progress = Callable[[int, int], None]


def brief_of(articles: Sequence[Article], settings: Settings,
             done: Sequence[str] = ("ingest",),
             stages: Sequence[str] | None = None) -> dict[str, Any]:
    """The ``crossbrief.brief/1`` document of one story's articles (a task): the pipeline's
    stages not in ``done`` run on them (``("ingest",)``: articles as read;
    ``("ingest", "clean")``: already cleaned, as ``crossbrief stories`` groups them).

    The stages annotate articles in place, so they run on copies: the articles given are left
    as they were (an article may be briefed again, in another story or another run).
    ``stages``: the pipeline's (default ``pipeline.DEFAULT_STAGES``), of which those not in
    ``done`` run.
    """
    from .pipeline import DEFAULT_STAGES, run_story

    return run_story(copy.deepcopy(list(articles)), settings, done=done,
                     stages=stages or DEFAULT_STAGES).to_dict()


def load_models(settings: Settings) -> None:
    """Load what every brief needs into this process's caches (a worker's start)."""
    from .nlp import load_encoder, load_spacy, load_static_encoder

    load_spacy(settings.spacy_model)
    if settings.encoder_backend == "static":
        load_static_encoder(settings.encoder_model)
    else:
        load_encoder(settings.encoder_model)


def _plugin_class() -> type:
    from distributed.diagnostics.plugin import WorkerPlugin

    class ModelsPlugin(WorkerPlugin):
        """Loads the models once when a worker starts, not once per task."""

        name = "crossbrief-models"

        def __init__(self, settings: Settings) -> None:
            self.settings = settings

        def setup(self, worker: Any) -> None:
            load_models(self.settings)

    return ModelsPlugin


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
        with Client(scheduler) as client:  # type: ignore[no-untyped-call]
            yield client
        return
    if workers is None or workers < 1:
        raise ConfigError(f"workers must be 1 or more, got {workers!r}")
    # Processes, not threads: spaCy and the encoder hold the GIL for much of their work. No
    # dashboard port is fixed, so two runs on one machine never collide.
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=workers, threads_per_worker=threads_per_worker, processes=True,
        dashboard_address=":0", silence_logs=logging.ERROR)
    with cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
        yield client


def dashboard(client: Any) -> str | None:
    """The address of the cluster's dashboard, when it has one."""
    link = getattr(client, "dashboard_link", None)
    return str(link) if link else None


def iter_briefs(
    stories: Sequence[tuple[str, Sequence[Article]]],
    settings: Settings,
    client: Any,
    *,
    done: Sequence[str] = ("ingest",),
    stages: Sequence[str] | None = None,
    window: int | None = None,
) -> Iterator[tuple[int, dict[str, Any] | StoryFailure]]:
    """``(position, brief)`` for each ``(story id, articles)`` of ``stories``, made on the
    cluster behind ``client``, as each arrives (module docstring: models, retries, bounded
    memory); :func:`brief_stories` puts them in order. ``done`` and ``stages`` as in
    :func:`brief_of`."""
    from distributed import as_completed

    client.register_plugin(_plugin_class()(settings), name="crossbrief-models")
    if window is None:
        threads = sum(client.nthreads().values()) or 1
        window = max(2, IN_FLIGHT_PER_THREAD * threads)
    # Largest stories first (the longest tasks), so that the run does not end with one
    # worker busy on a big story while the others wait; ties in the given order.
    pending = iter(sorted(enumerate(stories), key=lambda item: (-len(item[1][1]), item[0])))
    index_of: dict[str, int] = {}

    def submit() -> Any | None:
        for position, (story, articles) in pending:
            # The key names the story, so the dashboard shows which one runs; pure=False as
            # the same story may legitimately be briefed twice in one session.
            future = client.submit(brief_of, list(articles), settings, tuple(done),
                                   tuple(stages) if stages else None,
                                   pure=False, key=f"brief-{story}-{position}")
            index_of[future.key] = position
            return future
        return None

    queue = as_completed(  # type: ignore[no-untyped-call]
        [f for f in (submit() for _ in range(window)) if f is not None])
    for future in queue:
        position = index_of.pop(future.key)
        story = stories[position][0]
        result: dict[str, Any] | StoryFailure
        try:
            result = future.result()
        except Exception as exc:  # a story's failure is named; the others are kept
            log.debug("brief of story %s failed", story, exc_info=exc)
            result = StoryFailure(story, f"{type(exc).__name__}: {exc}")
        future.release()
        following = submit()
        if following is not None:
            queue.add(following)  # type: ignore[no-untyped-call]
        yield position, result


def brief_stories(
    stories: Sequence[tuple[str, Sequence[Article]]],
    settings: Settings,
    client: Any,
    *,
    done: Sequence[str] = ("ingest",),
    stages: Sequence[str] | None = None,
    progress: Progress | None = None,
    window: int | None = None,
) -> list[dict[str, Any] | StoryFailure]:
    """The brief of each ``(story id, articles)``, in the order given, whatever order the
    tasks finish in (:func:`iter_briefs`). ``progress(done, total)`` is called as each
    brief arrives."""
    results: list[dict[str, Any] | StoryFailure | None] = [None] * len(stories)
    for count, (position, result) in enumerate(
            iter_briefs(stories, settings, client, done=done, stages=stages,
                        window=window), 1):
        results[position] = result
        if progress is not None:
            progress(count, len(stories))
    return [r for r in results if r is not None]
