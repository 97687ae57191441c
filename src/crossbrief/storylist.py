"""A stream of articles grouped into stories: the ``crossbrief.stories/1`` document.

:func:`stream_stories` is what ``crossbrief stories INPUT...`` runs: it reads the inputs as
``analyze`` does, cleans each article (the clean stage; nothing is parsed), groups the articles
into stories with :func:`crossbrief.stories.cluster`, and, when asked, runs the rest of the
pipeline on each story of two or more articles to add its brief, keeping the articles and the
briefs in a temporary file rather than in memory (:mod:`crossbrief.spill`; docs/scale.md,
"Memory"). :func:`group_inputs` gives the same list with the briefs in memory. The library
builds the same document from its stored grouping (:meth:`crossbrief.store.Library.story_list`).

    >>> stories = group_inputs(["feed.jsonl", "saved-pages/"])
    >>> [(s.title, len(s.articles)) for s in stories.stories]
    >>> stories.to_dict()                   # {"schema": "crossbrief.stories/1", ...}
    >>> with stream_stories(["feed.jsonl"], briefs=True) as found:
    ...     for chunk in found.iter_json():  # one story's brief in memory at a time
    ...         out.write(chunk)

The document (docs/stories.schema.json)::

    {"schema": "crossbrief.stories/1",
     "stories": [{"id", "title", "first_seen", "last_seen", "outlets",
                  "articles": [{"id", "input", "title", "source", "published"}],
                  "kind", "name", "created",          # the library's stories only
                  "brief"}],                          # with --brief, 2 articles or more
     "skipped": [{"input", "reason", "code"}]}
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import IO, TYPE_CHECKING, Any, Protocol

from .config import Settings, load_settings
from .model import Article, Brief, Failure, Skipped, Story, from_data
from .spill import Spill, spilled_articles

if TYPE_CHECKING:
    import httpx

    from .stories import StoryGroup, StreamArticle

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
    brief: Brief | None = None

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


class BriefSource(Protocol):
    """Where the briefs of a :class:`StoryList` wait until they are written out: the brief
    of the story at ``position``, or None (a :class:`~crossbrief.spill.Spill`, or the
    library's stored briefs)."""

    def brief(self, position: int) -> dict[str, Any] | None: ...


@dataclass(frozen=True)
class BriefNotes:
    """What the command reports of a story's brief besides the brief: the articles its stages
    skipped and the story-wide steps that failed (kept while the brief itself waits on disk)."""

    skipped: tuple[Skipped, ...]
    failures: tuple[Failure, ...]

    @classmethod
    def of(cls, brief: dict[str, Any]) -> BriefNotes:
        """The notes of a ``crossbrief.brief/1`` document (read without the rest of it)."""
        return cls(tuple(Skipped.from_dict(s) for s in brief.get("skipped", [])),
                   tuple(from_data(Failure, f) for f in brief.get("failures", [])))


@dataclass
class StoryList:
    """The stories of a stream and the inputs that could not be read (``skipped``).

    The briefs of a list from :func:`stream_stories` wait in its run's spill file (those of
    the library's stories, in the library: ``crossbrief stories --db --brief``) rather than on
    ``stories`` (whose ``brief`` is then None): :meth:`iter_stories` gives each story with its
    brief, one at a time; the renderers and :meth:`to_dict` read them so."""

    stories: list[StoryEntry] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    # Where the briefs wait (the run's spill, or the library), and the notes of each story
    # (by position) that has one there.
    spill: BriefSource | None = field(default=None, repr=False, compare=False)
    notes: dict[int, BriefNotes] = field(default_factory=dict, repr=False, compare=False)

    @property
    def article_count(self) -> int:
        return sum(len(s.articles) for s in self.stories)

    @property
    def briefs(self) -> list[Brief]:
        """Every brief, in the stories' order (all in memory at once: see
        :meth:`iter_stories` and :meth:`brief_notes` for a list of many)."""
        return [s.brief for s in self.iter_stories() if s.brief is not None]

    def iter_stories(self) -> Iterator[StoryEntry]:
        """The stories in order, each with its brief (read from the spill, when there, as the
        iteration reaches it, so only one is in memory at a time)."""
        for position, story in enumerate(self.stories):
            data = (self.spill.brief(position)
                    if self.spill is not None and position in self.notes else None)
            yield story if data is None else replace(story, brief=Brief.from_dict(data))

    def brief_notes(self) -> Iterator[BriefNotes]:
        """The notes of each brief, in the stories' order, without reading the briefs back
        from the spill."""
        if self.spill is not None:
            yield from (self.notes[n] for n in sorted(self.notes))
        else:
            yield from (BriefNotes(tuple(s.brief.skipped), tuple(s.brief.failures))
                        for s in self.stories if s.brief is not None)

    def materialized(self) -> StoryList:
        """The same list with every brief on its story, in memory (no spill needed)."""
        return StoryList(list(self.iter_stories()), list(self.skipped))

    def to_dict(self) -> dict[str, Any]:
        """The ``crossbrief.stories/1`` document (docs/stories.schema.json)."""
        return {
            "schema": STORIES_SCHEMA,
            "stories": [s.to_dict() for s in self.iter_stories()],
            "skipped": self._skipped_dicts(),
        }

    def iter_json(self) -> Iterator[str]:
        """The document as ``json.dumps(self.to_dict(), ensure_ascii=False, indent=2)``
        writes it, in pieces of one story each: only one story's brief is in memory (as an
        object or as text) at a time."""
        def nested(value: Any, level: int) -> str:
            # JSON text holds no raw line break but its own: indenting every line is safe.
            return json.dumps(value, ensure_ascii=False, indent=2).replace(
                "\n", "\n" + "  " * level)

        yield '{\n  "schema": ' + json.dumps(STORIES_SCHEMA) + ',\n  "stories": '
        first = True
        for story in self.iter_stories():
            yield ("[\n    " if first else ",\n    ") + nested(story.to_dict(), 2)
            first = False
        yield ("[]" if first else "\n  ]") + ',\n  "skipped": ' + \
            nested(self._skipped_dicts(), 1) + "\n}"

    def _skipped_dicts(self) -> list[dict[str, str]]:
        return [{"input": s.input, "reason": s.reason, "code": s.code} for s in self.skipped]


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


BriefProgress = Callable[[int, int], None]
# The stages the grouping has run on every article, when its stories are briefed.
GROUPED_DONE = ("ingest", "clean")


@contextlib.contextmanager
def stream_stories(
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
) -> Iterator[StoryList]:
    """Read ``inputs`` and group their articles into stories (with each story's brief when
    ``briefs``): the library side of ``crossbrief stories``, in memory bounded by the
    grouping's needs rather than by the stream's text (docs/scale.md, "Memory").

    Each article is cleaned as it is read (on the cluster, when given) and kept in a
    temporary file (:mod:`.spill`),
    the grouping gets the leads of the texts (what it reads), a story's articles are read
    back when its brief is made (one task at a time on the Dask ``cluster`` client, when
    given), and each brief goes to the file as it arrives. The list yielded reads the briefs
    back one at a time (:meth:`StoryList.iter_stories`); the file is removed when the block
    ends. Unreadable inputs never raise: they are on the list's ``skipped``. ``progress``
    is called after each input is read; ``workers``: processes extracting the articles'
    terms for the grouping; ``brief_progress(done, total)`` after each story's brief."""
    settings = settings or load_settings()
    with Spill() as spill:
        stories, seqs = _group_spilled(spill, inputs, settings, client=client, stdin=stdin,
                                       progress=progress, workers=workers, keep=briefs,
                                       cluster=cluster)
        if briefs:
            _brief_spilled(spill, stories, seqs, settings, cluster=cluster, progress=brief_progress)
        yield stories


def group_inputs(inputs: Iterable[str], settings: Settings | None = None,
                 **options: Any) -> StoryList:
    """:func:`stream_stories`, with every brief read back onto its story: the list is
    usable after the run's file is gone, at the cost of holding every brief in memory."""
    with stream_stories(inputs, settings, **options) as found:
        return found.materialized()


def lead_of(article: Article) -> StreamArticle:
    """What the grouping reads of a cleaned article: its metadata and the lead of its text
    (the first ``stories.TEXT_CHARS`` characters, and at least the first twelve words, from
    which a story without a title takes one), so the whole text need not stay in memory.
    The grouping of the leads is the grouping of the whole texts (tests/test_streaming.py)."""
    from .stories import TEXT_CHARS, StreamArticle

    text = article.text
    end = TEXT_CHARS
    if len(text) > end:
        words = _FIRST_WORDS.match(text)
        end = max(end, words.end() if words else 0)
    return StreamArticle(id=article.id, input=article.input, title=article.title,
                         source=article.source, published=article.published, text=text[:end])


# The first twelve words (as str.split() finds them) of a text, with what precedes them.
_FIRST_WORDS = re.compile(r"\s*(?:\S+\s+){0,11}\S+")


def _group_spilled(spill: Spill, inputs: Iterable[str], settings: Settings, *,
                   client: httpx.Client | None, stdin: IO[bytes] | None,
                   progress: Callable[[str, int, int], None] | None, workers: int,
                   keep: bool, cluster: Any = None) -> tuple[StoryList, dict[str, int]]:
    """Read and clean the articles one at a time (cleaned on the Dask ``cluster`` client when
    given), spilling each (when ``keep``: the briefs read them back); group them. Returns the
    stories and the spill position of each grouped article (by id)."""
    from .ingest import copy_order, deduplicate, iter_articles
    from .stories import cluster as group

    skipped: list[Skipped] = []
    read: list[tuple[str, str, tuple[Any, ...]]] = []  # (id, input, copy order), as read
    leads: dict[int, StreamArticle] = {}      # by position read, the cleaned ones
    rejected: dict[int, list[Skipped]] = {}   # by position read, what cleaning skipped
    articles = iter_articles(inputs, settings, skipped, client=client, stdin=stdin,
                             progress=progress)
    # The clean stage as the pipeline runs it (its failures skipped with their reason), one
    # article at a time (it reads nothing but the article): on the cluster when there is one,
    # a batch of articles a task, the results in the order read.
    if cluster is not None:
        from .distributed import iter_cleaned, start_loading_models

        if keep:  # the workers load the models while the stream is read and grouped
            start_loading_models(cluster, settings)
        cleaning = iter_cleaned(articles, settings, cluster)
    else:
        from .distributed import clean_batch

        cleaning = ((article, clean_batch([article], settings)[0]) for article in articles)
    for seq, (article, (cleaned, failed)) in enumerate(cleaning):
        read.append((article.id, article.input, copy_order(article)))
        for kept in cleaned:
            if keep:
                spill.put_article(seq, kept)
            leads[seq] = lead_of(kept)
        if failed:
            rejected[seq] = failed
    # Which copy of a text given twice is kept is known once every input is read.
    kept_seqs, duplicates = deduplicate(read)
    skipped.extend(duplicates)
    for seq in kept_seqs:
        skipped.extend(rejected.get(seq, ()))
    seqs = {leads[seq].id: seq for seq in kept_seqs if seq in leads}
    groups = group((leads[seq] for seq in kept_seqs if seq in leads), workers=workers)
    return (StoryList([entry_of(g) for g in groups],
                      sorted(skipped, key=lambda s: (s.input, s.code, s.reason)), spill),
            seqs)


def _brief_spilled(spill: Spill, stories: StoryList, seqs: dict[str, int],
                   settings: Settings, *, cluster: Any, progress: BriefProgress | None) -> None:
    """Brief each story of two or more articles: the pipeline's remaining stages run on the
    story's articles as already read and cleaned, read back from the spill, never reading an
    input again; each brief goes to the spill as it is made. The stories are the
    clustering's own, so the check on hand-made groups (``apart``) does not run
    (``pipeline.GROUPED_STAGES``).

    With a Dask ``cluster`` client (:func:`crossbrief.distributed.connect`) the briefs are
    made on its cluster, a few stories a task; the result is the same."""
    from .pipeline import GROUPED_STAGES, run_story

    wanted = [n for n, s in enumerate(stories.stories) if len(s.articles) >= BRIEF_MIN_ARTICLES]
    if not wanted:
        return
    jobs = [Story(spilled_articles(spill, [seqs[a.id] for a in stories.stories[n].articles]),
                  id=stories.stories[n].id)
            for n in wanted]

    def keep(position: int, data: dict[str, Any], count: int) -> None:
        spill.put_brief(wanted[position], data)
        stories.notes[wanted[position]] = BriefNotes.of(data)
        if progress is not None:
            progress(count, len(wanted))

    if cluster is not None:
        from .distributed import StoryFailure, iter_briefs

        for count, (position, made) in enumerate(
                iter_briefs(jobs, settings, cluster, done=GROUPED_DONE, stages=GROUPED_STAGES),
                1):
            if not isinstance(made, StoryFailure):
                keep(position, made, count)
                continue
            # The story is listed without its brief.
            stories.skipped.append(Skipped(f"story {made.story}",
                                           f"its brief failed: {made.reason}", "E302"))
            if progress is not None:
                progress(count, len(wanted))
        stories.skipped.sort(key=lambda s: (s.input, s.code, s.reason))
        return
    from .nlp import encoder_loading

    with encoder_loading(settings):
        for position, story in enumerate(jobs):
            brief = run_story(story, settings, done=GROUPED_DONE, stages=GROUPED_STAGES)
            keep(position, brief.to_dict(), position + 1)
