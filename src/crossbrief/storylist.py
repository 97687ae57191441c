"""A stream of articles grouped into stories: the ``crossbrief.stories/1`` document.

:func:`group_inputs` is what ``crossbrief stories INPUT...`` runs: it reads the inputs as
``analyze`` does, cleans each article (the clean stage; nothing is parsed), groups the articles
into stories with :func:`crossbrief.stories.cluster`, and, when asked, runs the rest of the
pipeline on each story of two or more articles to add its brief. The library builds the same
document from its stored grouping (:meth:`crossbrief.store.Library.story_list`).

    >>> stories = group_inputs(["feed.jsonl", "saved-pages/"])
    >>> [(s.title, len(s.articles)) for s in stories.stories]
    >>> stories.to_dict()                   # {"schema": "crossbrief.stories/1", ...}

The document (docs/stories.schema.json)::

    {"schema": "crossbrief.stories/1",
     "stories": [{"id", "title", "first_seen", "last_seen", "outlets",
                  "articles": [{"id", "input", "title", "source", "published"}],
                  "kind", "name", "created",          # the library's stories only
                  "brief"}],                          # with --brief, 2 articles or more
     "skipped": [{"input", "reason", "code"}]}
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from .config import Settings, load_settings
from .model import Article, Corpus, Skipped

if TYPE_CHECKING:
    import httpx

    from .stories import StoryGroup

STORIES_SCHEMA = "crossbrief.stories/1"
# A brief compares outlets: a story of one article has none to compare.
BRIEF_MIN_ARTICLES = 2


@dataclass(frozen=True)
class ArticleRef:
    """An article of a story, as the stories document names it (no text)."""

    id: str
    input: str
    title: str | None
    source: str | None
    published: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "input": self.input, "title": self.title,
                "source": self.source, "published": self.published}


@dataclass
class StoryEntry:
    """One story of the document. ``kind`` ("auto" or "named") and ``name`` (a name a person
    gave) are set for the library's stories only; ``brief`` when briefs were asked for and
    the story has two or more articles."""

    id: str
    title: str | None
    first_seen: str | None
    last_seen: str | None
    outlets: list[str]
    articles: list[ArticleRef]
    kind: str | None = None
    name: str | None = None
    created: str | None = None
    brief: Corpus | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id, "title": self.title, "first_seen": self.first_seen,
            "last_seen": self.last_seen, "outlets": list(self.outlets),
            "articles": [a.to_dict() for a in self.articles],
        }
        if self.kind is not None:
            data["kind"] = self.kind
            data["name"] = self.name
            data["created"] = self.created
        if self.brief is not None:
            data["brief"] = self.brief.to_dict()
        return data


@dataclass
class StoryList:
    """The stories of a stream and the inputs that could not be read (``skipped``)."""

    stories: list[StoryEntry] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def article_count(self) -> int:
        return sum(len(s.articles) for s in self.stories)

    @property
    def briefs(self) -> list[Corpus]:
        return [s.brief for s in self.stories if s.brief is not None]

    def to_dict(self) -> dict[str, Any]:
        """The ``crossbrief.stories/1`` document (docs/stories.schema.json)."""
        return {
            "schema": STORIES_SCHEMA,
            "stories": [s.to_dict() for s in self.stories],
            "skipped": [{"input": s.input, "reason": s.reason, "code": s.code}
                        for s in self.skipped],
        }


def story_entry(id: str, title: str | None, articles: Sequence[ArticleRef], *,
                kind: str | None = None, name: str | None = None,
                created: str | None = None) -> StoryEntry:
    """A story of the given articles: them in stream order (publication date, then id),
    first and last publication dates, outlets in alphabetical order, and the title given,
    else the title of the first article that has one."""
    ordered = sorted(articles, key=lambda a: (a.published or "", a.id))
    dates = sorted(a.published for a in ordered if a.published)
    return StoryEntry(
        id=id,
        title=title or next((a.title for a in ordered if a.title), None),
        first_seen=dates[0] if dates else None,
        last_seen=dates[-1] if dates else None,
        outlets=sorted({a.source for a in ordered if a.source}),
        articles=ordered,
        kind=kind,
        name=name,
        created=created,
    )


def entry_of(group: StoryGroup) -> StoryEntry:
    """The document's story for a group the clusterer found."""
    return StoryEntry(
        id=group.id, title=group.title, first_seen=group.first_seen,
        last_seen=group.last_seen, outlets=list(group.outlets),
        articles=[ArticleRef(a.id, a.input, a.title, a.source, a.published)
                  for a in group.articles],
    )


def read_stream(
    inputs: Iterable[str],
    settings: Settings | None = None,
    *,
    client: httpx.Client | None = None,
    stdin: IO[bytes] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Corpus:
    """Read ``inputs`` as ``analyze`` does and clean each article: all the grouping needs
    (an article the clean stage rejects is skipped with the reason, as in a brief)."""
    from .ingest import read_inputs
    from .pipeline import run_stages

    settings = settings or load_settings()
    corpus = read_inputs(inputs, settings, client=client, stdin=stdin, progress=progress)
    return run_stages(corpus, ["clean"], settings)


def group_articles(corpus: Corpus, *, workers: int = 1) -> StoryList:
    """The stories of the (cleaned) articles of ``corpus``, whatever their order (``workers``:
    processes extracting the articles' terms, see :func:`crossbrief.stories.cluster`)."""
    from .stories import StreamArticle, cluster

    groups = cluster((StreamArticle.from_article(a) for a in corpus.articles), workers=workers)
    return StoryList([entry_of(g) for g in groups],
                     sorted(corpus.skipped, key=lambda s: (s.input, s.code, s.reason)))


BriefProgress = Callable[[int, int], None]


def add_briefs(stories: StoryList, articles: Iterable[Article], settings: Settings,
               done: Sequence[str] = ("ingest", "clean"), *, client: Any = None,
               progress: BriefProgress | None = None) -> StoryList:
    """Brief each story of two or more articles: the pipeline's remaining stages run on the
    story's articles as already read and cleaned (``done``), never reading an input again.
    The stories are the clustering's own, so the check on hand-made groups (``apart``) does
    not run (``pipeline.GROUPED_STAGES``).

    With a Dask ``client`` (:func:`crossbrief.distributed.connect`) the briefs are made on
    its cluster, one task per story; the result is the same. ``progress(done, total)`` is
    called after each story's brief.
    """
    from .pipeline import GROUPED_STAGES, run_story

    by_id = {a.id: a for a in articles}
    wanted = [s for s in stories.stories if len(s.articles) >= BRIEF_MIN_ARTICLES]
    if not wanted:
        return stories
    if client is not None:
        from .distributed import StoryFailure, iter_briefs

        jobs = [(s.id, [by_id[a.id] for a in s.articles]) for s in wanted]
        for count, (position, brief) in enumerate(
                iter_briefs(jobs, settings, client, done=done, stages=GROUPED_STAGES), 1):
            if isinstance(brief, StoryFailure):  # the story is listed without its brief
                stories.skipped.append(Skipped(f"story {brief.story}",
                                               f"its brief failed: {brief.reason}", "E302"))
            else:
                wanted[position].brief = Corpus.from_dict(brief)
            if progress is not None:
                progress(count, len(wanted))
        stories.skipped.sort(key=lambda s: (s.input, s.code, s.reason))
        return stories
    from .nlp import prefetch_encoder

    prefetch_encoder(settings)
    for count, story in enumerate(wanted, 1):
        story.brief = run_story([by_id[a.id] for a in story.articles], settings, done=done,
                                stages=GROUPED_STAGES)
        if progress is not None:
            progress(count, len(wanted))
    return stories


def group_inputs(
    inputs: Iterable[str],
    settings: Settings | None = None,
    *,
    briefs: bool = False,
    client: httpx.Client | None = None,
    stdin: IO[bytes] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    cluster: Any = None,
    brief_progress: BriefProgress | None = None,
    workers: int = 1,
) -> StoryList:
    """Read ``inputs`` and group their articles into stories (with each story's brief when
    ``briefs``, made on the Dask ``cluster`` client when given): the library side of
    ``crossbrief stories``. Unreadable inputs never raise: they are on the result's
    ``skipped``. ``workers``: processes extracting the articles' terms for the grouping."""
    settings = settings or load_settings()
    corpus = read_stream(inputs, settings, client=client, stdin=stdin, progress=progress)
    stories = group_articles(corpus, workers=workers)
    if briefs:
        add_briefs(stories, corpus.articles, settings, corpus.stages, client=cluster,
                   progress=brief_progress)
    return stories
