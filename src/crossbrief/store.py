"""The article library: a SQLite database of ingested articles, stories and their briefs.

Plain tables, documented in docs/database.md, readable with ``sqlite3`` or Datasette::

    articles        one row per article, keyed by its content-hash id, raw text as ingested
                    and the clean stage's text and title
    articles_fts    FTS5 index over articles (title, clean text), kept in sync by triggers
    stories         named stories (a person's group of articles, id: a hash of the name)
                    and automatic ones (the grouping of every article into stories)
    story_articles  which articles a story holds, in order; ``fixed`` marks a person's
                    placement that automatic grouping never undoes
    separation      a person's move of articles out of a story, one row per move
    separation_side its two sides: the articles moved (side 1) and those left in the story
                    they came out of (side 0); automatic grouping never merges a story
                    holding one side with one holding the other
    briefs          the last brief of each story, with the key it was computed for
    corrections     an article's outlet, title and date as first stored, kept when a person
                    corrects them (the articles row holds the corrected values)
    rejections      what a person rejected in a story's briefs (a wrong claim link or
                    conflict), respected by its later briefs until restored
    parses          the parse cache: each briefed article's spaCy Doc (crossbrief.parsecache)
    migrations      the schema migrations applied, in order

Every write is one ``BEGIN IMMEDIATE`` transaction, so concurrent writers (threads or
processes) queue on SQLite's lock (``busy_timeout``) instead of failing or interleaving, and a
process killed mid-write leaves the last committed state. The journal is in WAL mode: readers
never wait for the writer.

    >>> library = Library("library.db")
    >>> result = library.ingest(["articles/"])
    >>> story = library.create_story("xi-putin", result.ids)
    >>> brief = library.brief(story.id)          # a crossbrief.brief/1 dict, stored
    >>> grouped = library.story_list()           # the automatic stories, crossbrief.stories/1

Every article stored is assigned to one automatic story in the same transaction (the story
clustering of :mod:`crossbrief.stories`, seeded with the stored grouping), and a person can
move an article, merge and split automatic stories; those decisions hold when more articles
arrive.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import json
import logging
import os
import sqlite3
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, ParamSpec, TypeVar

from sqlite_utils import Database

from . import model
from .config import Settings, load_settings
from .errors import (
    DatabaseError,
    DuplicateInputError,
    EmptyStoryError,
    InputError,
    LibraryBusyError,
    LibraryNotFoundError,
    MalformedInputError,
    StoryEditError,
    UnknownArticleError,
    UnknownRejectionError,
    UnknownStoryError,
    describe_failure,
)
from .model import (
    REJECTION_KINDS,
    SCHEMA,
    Article,
    LazyArticles,
    Rejection,
    Skipped,
    Span,
    content_hash,
    rejection_id,
    topic_of,
)
from .sqlbatch import batches, marks

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from .stories import StoryClusterer, StreamArticle
    from .storylist import StoryList

ENV_DB = "CROSSBRIEF_DB"
# Seconds a writer waits for another one to commit before giving up.
BUSY_TIMEOUT = 60.0
# The article columns stored, in order; everything else on an Article is analysis.
ARTICLE_COLUMNS = ("id", "source", "title", "url", "published", "author", "input", "encoding",
                   "text")
SEARCH_LIMIT = 20
# The longest outlet, title and date a correction takes, story name a person gives and
# note a rejection keeps: a longer one is refused with 422 E105 (never cut: review R28), its
# length counted as shown (_shown_length). Ingest takes any length, and a stored longer value
# is kept as it is while a correction of something else, or the form sent back unchanged,
# leaves it alone.
OUTLET_MAX = 200
TITLE_MAX = 500
PUBLISHED_MAX = 100
NAME_MAX = 200
NOTE_MAX = 2000
# The largest integer SQLite binds: a LIMIT or OFFSET given beyond it (a query parameter, a
# command-line number) means "all" or "none" there, rather than an OverflowError.
SQL_INT_MAX = 2**63 - 1
# SQLite's primary result codes for a lock another connection holds (SQLITE_BUSY, _LOCKED).
_BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
# The other SQLite failures of a write that are the file's or the disk's, not a bug: each
# with what a person can do about it.
_WRITE_FAILURES = {
    sqlite3.SQLITE_READONLY: "the file is read-only (check the permissions of the file and of "
                             "its folder, where SQLite keeps its -wal and -shm files)",
    sqlite3.SQLITE_FULL: "the disk is full",
    sqlite3.SQLITE_IOERR: "the disk could not be read or written",
}
# Tries at grouping new articles with a clusterer prepared outside the write lock, before
# preparing it inside (another writer changed the grouping each time in between).
GROUPING_TRIES = 3
T = TypeVar("T")
P = ParamSpec("P")
StoryKind = Literal["auto", "named"]
AUTO: StoryKind = "auto"
NAMED: StoryKind = "named"


def default_db_path() -> Path:
    """``$CROSSBRIEF_DB``, else ``library.db`` in the user's data directory (platformdirs)."""
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB])
    from platformdirs import user_data_dir

    return Path(user_data_dir("crossbrief")) / "library.db"


def _sqlite_code(exc: BaseException) -> int:
    """SQLite's primary result code of a sqlite3 error (0 when it has none)."""
    return int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def now() -> str:
    """The current UTC time as ISO 8601, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _normal_source(source: str) -> str:
    """An outlet as a correction stores it: as a title (``_normal_title``), "" when empty.
    Never cut: a longer outlet than a correction takes is refused (OUTLET_MAX), and one
    ingest stored is compared whole (review R28)."""
    return _normal_title(source) or ""


def _normal_title(title: str | None) -> str | None:
    """A title as a correction stores it: composed Unicode (NFC: "Cafe" and a combining
    accent is "Café"), one line as ingest keeps it (``ingest.one_line``: controls and
    terminal escapes out, whitespace collapsed), None when empty. A title sent back in
    another Unicode form of the same letters (a paste from another system) is then no
    change (review R24). Never cut (TITLE_MAX, review R28)."""
    from .ingest import one_line  # (one line as ingest keeps it: no NUL, no colour)

    return one_line(unicodedata.normalize("NFC", title or ""))


# A character as shown may hold several code points (a letter and its accents, an emoji
# and its modifiers, a flag: up to seven in common use); a value holding more code points
# than this many per character of its limit is refused whatever it shows (review R30: a
# name of a million combining accents counted as one character).
CODE_POINTS_PER_CHARACTER = 8


def _shown_length(text: str) -> int:
    """The characters of ``text`` as a reader counts them, for the limits of what a person
    writes (OUTLET_MAX, TITLE_MAX, NAME_MAX, NOTE_MAX): the grapheme clusters (Unicode's
    user-perceived characters, the ``regex`` package's ``\\X``) of its composed form (NFC).
    A letter with its accents, U+0958 (a Devanagari letter with its nukta), a conjunct's
    syllable, an emoji with its skin tone or a family joined by zero-width joiners, a flag
    and ``\\r\\n`` each count once (review R28, R30)."""
    import regex  # installed with transformers and dateparser; declared in pyproject

    return len(regex.findall(r"\X", unicodedata.normalize("NFC", text)))


# What each Library method's argument is, in the words of a refusal (text_given).
_GIVEN = {
    "name": "a story's name", "note": "a rejection's note", "about": "a rejection's text",
    "source": "an outlet", "title": "a title", "published": "a date",
    "query": "a search query", "kind": "a rejection's kind", "claim": "a claim's id",
    "conflict": "a conflict's id", "rejection": "a rejection's id", "key": "a story's id or name",
    "id": "an article's id", "ids": "an article's id",
    "spans": "a span's article id",
}


def text_given_as(**labels: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """:func:`text_given`, with ``labels`` naming the arguments that mean something else
    in this method than _GIVEN says (``stored_brief``'s ``key`` is a brief's cache key)."""
    def decorate(method: Callable[P, T]) -> Callable[P, T]:
        return _refusing(method, {**_GIVEN, **labels})

    return decorate


def text_given(method: Callable[P, T]) -> Callable[P, T]:
    """A :class:`Library` method that refuses (MalformedInputError, E105, before anything
    is read or stored) a string argument holding a lone surrogate: a story's name, a
    correction, a note, a query, an id, or one in a list of them (JSON may escape one,
    "\\ud800", and the system gives a command's bytes that are not UTF-8 as ones; no UTF-8
    text, the library's included, can hold it: review R30, a 500 and a traceback). One rule
    for every caller (the CLI, the API, the web forms, a Python program), with
    :func:`crossbrief.ingest.refuse_lone_surrogate`; what an article's input holds is kept,
    each one made U+FFFD (:meth:`Library.add_articles`)."""
    return _refusing(method, _GIVEN)


def _refusing(method: Callable[P, T], given: dict[str, str]) -> Callable[P, T]:
    """``method``, refusing a string argument holding a lone surrogate, the argument named
    in the refusal as ``given`` says."""
    signature = inspect.signature(method)

    @functools.wraps(method)
    def checked(*args: P.args, **kwargs: P.kwargs) -> T:
        from .ingest import refuse_lone_surrogate

        for name, value in signature.bind(*args, **kwargs).arguments.items():
            what = given.get(name, "an article's id" if "article" in name
                              else "a story's id or name")
            for text in _strings(value):
                refuse_lone_surrogate(text, what)
        return method(*args, **kwargs)

    return checked


def _strings(value: Any) -> Iterator[str]:
    """The strings a method's argument gives: itself, those of a list or tuple, a span's
    article (never an iterator's: it would be consumed)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, Span):
        yield value.article


def _shows_nothing(text: str) -> bool:
    """True for text a reader sees nothing of: only spaces, combining marks, format and
    control characters (a story name of accents alone, or of zero-width spaces)."""
    return all(unicodedata.category(c) in _INVISIBLE for c in text)


_INVISIBLE = frozenset({"Mn", "Mc", "Me", "Zs", "Zl", "Zp", "Cc", "Cf"})


def _refuse_longer(value: str | None, what: str, limit: int) -> None:
    """MalformedInputError (422 E105) for a ``value`` longer than ``limit`` characters as
    shown (_shown_length), or holding more than CODE_POINTS_PER_CHARACTER code points per
    character of the limit: refused whole, never cut (review R28, R30). A lone surrogate
    was refused first (text_given)."""
    points = len(unicodedata.normalize("NFC", value or ""))
    if points > limit * CODE_POINTS_PER_CHARACTER:
        raise MalformedInputError(
            f"{what} is at most {limit:,} characters of at most "
            f"{limit * CODE_POINTS_PER_CHARACTER:,} code points in all, not {points:,} code "
            "points: shorten it (nothing was stored)")
    length = _shown_length(value or "")
    if length > limit:
        raise MalformedInputError(f"{what} is at most {limit:,} characters, not {length:,}: "
                                  "shorten it (nothing was stored)")


def _published_moment(published: str | None) -> tuple[str, str | None] | None:
    """What a publication date (as ``normalise_published`` writes it) says, for telling a
    correction from the same date sent again (review R28): its day as written (what the
    grouping, the conflicts and the report read: ``published[:10]``), and its instant. A
    date alone has no instant, nor has a midnight without an offset or at offset zero: a
    date sent through a datetime type (JavaScript's toISOString, a naive datetime's
    isoformat). Any other datetime with an offset has its UTC instant (``10:00+01:00`` and
    ``09:00Z`` on the same day are one), one without its wall time. A local midnight at
    another offset (``2024-03-01T00:00:00+01:00``) is a time someone wrote with its zone, not
    the day alone: sent for a date alone it is a change, stored as sent. Two dates are the
    same only when both day and instant are: a real correction is never dropped."""
    if published is None:
        return None
    try:
        moment = datetime.fromisoformat(published)
        day, offset = moment.date().isoformat(), moment.utcoffset()
        if moment.time() == datetime.min.time() and not offset:
            return (day, None)
        if offset is None:
            return (day, f"wall {moment.isoformat()}")
        return (day, moment.astimezone(UTC).isoformat())
    except (ValueError, OverflowError):  # a value stored before dates were normalised
        return (published, "text")


def _story_name(name: str) -> str:
    """A story's name as given (a lone surrogate refused already: text_given), without the
    spaces around it; EmptyStoryError when it shows nothing (review R30: a name of combining
    accents alone counted no character)."""
    name = name.strip()
    if _shows_nothing(name):
        raise EmptyStoryError("a story needs a name")
    return name


# An article's own fields besides its text, read from its input (a feed, a page, a file):
# each lone surrogate in one becomes U+FFFD, as in the text.
_ARTICLE_FIELDS = ("source", "title", "url", "published", "author", "encoding")


def _readable_article(article: Article) -> Article:
    """``article`` as the library stores it under the one rule for lone surrogates (see
    :meth:`Library.add_articles`): what it holds of its input is kept, each lone surrogate
    made U+FFFD (the input's name written with escapes, as ingest names a file), its id the
    hash of its text as then kept."""
    from .ingest import escaped_name, lone_surrogate, valid_unicode

    changes: dict[str, Any] = {}
    for name in _ARTICLE_FIELDS:
        value = getattr(article, name)
        if isinstance(value, str) and lone_surrogate(value) is not None:
            changes[name] = valid_unicode(value)
    if lone_surrogate(article.input) is not None:
        changes["input"] = escaped_name(article.input)
    if lone_surrogate(article.text) is not None:
        changes["text"] = valid_unicode(article.text)
    if "text" in changes or lone_surrogate(article.id) is not None:
        changes["id"] = model.article_id(changes.get("text", article.text))
    return replace(article, **changes) if changes else article


@dataclass(frozen=True)
class AddResult:
    """What :meth:`Library.add_articles` did: ids stored now, ids already there, in order."""

    added: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def ids(self) -> list[str]:
        """Every id read, new or not, in input order without repeats."""
        return list(dict.fromkeys(self.added + self.existing))


@dataclass(frozen=True)
class LibraryStory:
    """A story as the library stores it: a group of stored articles, analysed together
    into one brief; a named story (a person's group; an article may be in several) or an
    automatic one (``kind`` "auto": each article is in exactly one, ``title`` found by the
    grouping, ``name`` its id until a person names it). It holds article ids; what the
    pipeline briefs is a :class:`crossbrief.model.Story` of the articles themselves
    (:meth:`pipeline_story`)."""

    id: str
    name: str
    created: str
    articles: list[str]
    kind: StoryKind = NAMED
    title: str | None = None

    def pipeline_story(self, articles: Sequence[Article],
                       rejections: Iterable[Rejection] = ()) -> model.Story:
        """What the pipeline briefs of this story (:class:`crossbrief.model.Story`): its
        ``articles`` (read from the library), its id and the ``rejections`` in force."""
        return model.Story(articles, id=self.id, rejections=list(rejections))

    @property
    def display_title(self) -> str:
        """What a person sees: the name a person gave, else the automatic title."""
        if self.kind == AUTO and self.name == self.id:
            return self.title or self.id
        return self.name


# The name LibraryStory had until the pipeline got a Story type of its own
# (crossbrief.Story, the articles one brief is made of): kept for code that imports it.
Story = LibraryStory


@dataclass(frozen=True)
class BriefView:
    """A story's brief as a page shows it (:meth:`Library.brief_view`): ``state`` (``stored``,
    ``running`` or ``missing``, as :meth:`Library.brief_state`), ``brief``, the last brief
    stored (current or not; None when none is), ``changes`` (what the current brief says that
    the one it replaced did not, as :meth:`Library.brief_changes`) and the ``rejections`` in
    force."""

    state: Literal["stored", "running", "missing"]
    brief: dict[str, Any] | None
    changes: dict[str, Any] | None
    rejections: tuple[Rejection, ...]


@dataclass(frozen=True)
class SearchHit:
    """One article found by :meth:`Library.search`; ``snippet`` is plain text around a match."""

    id: str
    title: str | None
    source: str
    snippet: str


class _StaleGrouping(Exception):
    """Another writer changed the grouping after this process prepared its clusterer."""


def story_id(name: str) -> str:
    """The id of a named story: a hash of its name, so the same name always gets the same
    id (hashed apart from the automatic stories' ids, hashes of an article id: a story
    named by an article's id is not that article's story)."""
    return content_hash("named story", name.strip())


# --- migrations ----------------------------------------------------------------------------
# A dozen lines of our own rather than the sqlite-migrate plugin (an alpha release): each
# migration is applied once, in order, in the same transaction as the row recording it.

Migration = Callable[[Database], None]
MIGRATIONS: list[tuple[str, Migration]] = []


def migration(name: str) -> Callable[[Migration], Migration]:
    def register(func: Migration) -> Migration:
        MIGRATIONS.append((name, func))
        return func

    return register


_FTS_COLUMNS = ("title", "clean")


def _create_fts(db: Database, columns: Sequence[str]) -> None:
    """The full-text index over ``columns`` of ``articles`` and the triggers keeping it in
    sync: the same table and triggers as sqlite-utils' ``enable_fts(columns,
    create_triggers=True)`` makes (so sqlite-utils and Datasette detect the index), written
    out because enable_fts runs executescript, which commits the open transaction: the
    migration would no longer be atomic, and a concurrent writer could slip an article in
    between the index and its triggers."""
    names = ", ".join(f'"{c}"' for c in columns)
    new = ", ".join(f'new."{c}"' for c in columns)
    old = ", ".join(f'old."{c}"' for c in columns)
    for statement in (
        f'CREATE VIRTUAL TABLE "articles_fts" USING FTS5 ({names}, content="articles")',
        f'CREATE TRIGGER "articles_ai" AFTER INSERT ON "articles" BEGIN INSERT INTO '
        f'"articles_fts" (rowid, {names}) VALUES (new.rowid, {new}); END',
        f'CREATE TRIGGER "articles_ad" AFTER DELETE ON "articles" BEGIN INSERT INTO '
        f'"articles_fts" ("articles_fts", rowid, {names}) VALUES(\'delete\', old.rowid, '
        f'{old}); END',
        f'CREATE TRIGGER "articles_au" AFTER UPDATE ON "articles" BEGIN INSERT INTO '
        f'"articles_fts" ("articles_fts", rowid, {names}) VALUES(\'delete\', old.rowid, '
        f'{old}); INSERT INTO "articles_fts" (rowid, {names}) VALUES (new.rowid, {new}); END',
        "INSERT INTO articles_fts(articles_fts) VALUES('rebuild')",
    ):
        db.execute(statement)


@migration("0001_articles")
def _create_articles(db: Database) -> None:
    db["articles"].create(  # type: ignore[union-attr]
        {"id": str, "source": str, "title": str, "url": str, "published": str, "author": str,
         "input": str, "encoding": str, "text": str, "added": str},
        pk="id", not_null={"source", "text", "input", "added"},
    )
    db["articles"].create_index(["added"])  # type: ignore[union-attr]
    _create_fts(db, ("title", "text"))


@migration("0002_stories")
def _create_stories(db: Database) -> None:
    db["stories"].create(  # type: ignore[union-attr]
        {"id": str, "name": str, "created": str}, pk="id", not_null={"name", "created"},
    )
    db["stories"].create_index(["name"], unique=True)  # type: ignore[union-attr]
    db["story_articles"].create(  # type: ignore[union-attr]
        {"story": str, "article": str, "position": int}, pk=("story", "article"),
        foreign_keys=[("story", "stories", "id"), ("article", "articles", "id")],
        not_null={"position"},
    )
    db["story_articles"].create_index(["article"])  # type: ignore[union-attr]


@migration("0003_briefs")
def _create_briefs(db: Database) -> None:
    db["briefs"].create(  # type: ignore[union-attr]
        {"story": str, "key": str, "schema": str, "created": str, "json": str},
        pk="story", foreign_keys=[("story", "stories", "id")],
        not_null={"key", "schema", "created", "json"},
    )


@migration("0004_story_grouping")
def _story_grouping(db: Database) -> None:
    """The clean text and title of every article (search then finds what the article says,
    not the boilerplate around it), and automatic stories beside the named ones."""
    for trigger in ("articles_ai", "articles_ad", "articles_au"):
        db.execute(f'DROP TRIGGER IF EXISTS "{trigger}"')
    db.execute('DROP TABLE IF EXISTS "articles_fts"')
    db.execute('ALTER TABLE "articles" ADD COLUMN "clean" TEXT')
    rows = db.execute(
        f"select rowid, {', '.join(ARTICLE_COLUMNS)} from articles").fetchall()
    for row in rows:
        article = Article(**dict(zip(ARTICLE_COLUMNS, row[1:], strict=True)))
        clean, title = clean_article_text(article)
        db.execute("update articles set clean = ?, title = ? where rowid = ?",
                   [clean, title, row[0]])
    _create_fts(db, _FTS_COLUMNS)
    db.execute("ALTER TABLE \"stories\" ADD COLUMN \"kind\" TEXT NOT NULL DEFAULT 'named'")
    db.execute('ALTER TABLE "stories" ADD COLUMN "title" TEXT')
    db.execute('ALTER TABLE "story_articles" ADD COLUMN "fixed" INTEGER NOT NULL DEFAULT 0')
    db["stories"].create_index(["kind"])  # type: ignore[union-attr]


@migration("0005_grouping_version")
def _grouping_version(db: Database) -> None:
    """One row counting the changes to the automatic stories, and the version at which each
    article was grouped (see Library._group)."""
    db["grouping"].create({"id": int, "version": int}, pk="id", not_null={"version"})  # type: ignore[union-attr]
    db["grouping"].insert({"id": 1, "version": 0})  # type: ignore[union-attr]
    db.execute('ALTER TABLE "articles" ADD COLUMN "grouped" INTEGER')
    # The index follows the title and the clean text only (not ``grouped``, set at each
    # ingest): an update of other columns leaves it alone.
    db.execute('DROP TRIGGER "articles_au"')
    names = ", ".join(f'"{c}"' for c in _FTS_COLUMNS)
    db.execute(
        f'CREATE TRIGGER "articles_au" AFTER UPDATE OF {names} ON "articles" BEGIN INSERT INTO '
        f'"articles_fts" ("articles_fts", rowid, {names}) VALUES(\'delete\', old.rowid, '
        f'{", ".join(f"old.{c}" for c in _FTS_COLUMNS)}); INSERT INTO "articles_fts" (rowid, '
        f'{names}) VALUES (new.rowid, {", ".join(f"new.{c}" for c in _FTS_COLUMNS)}); END')


@migration("0006_corrections")
def _corrections(db: Database) -> None:
    """A person's corrections of an article's outlet, title and date: the articles row holds
    the corrected values (every reader, every later brief sees them), this table the values
    as first stored and when they were last corrected (nothing is lost, and the brief key
    changes)."""
    db["corrections"].create(  # type: ignore[union-attr]
        {"article": str, "source": str, "title": str, "published": str, "corrected": str},
        pk="article", foreign_keys=[("article", "articles", "id")], not_null={"corrected"},
    )


@migration("0007_previous_brief")
def _previous_brief(db: Database) -> None:
    """The brief a new one replaced, kept to say what changed since (crossbrief.changes)."""
    db.execute('ALTER TABLE "briefs" ADD COLUMN "previous" TEXT')
    db.execute('ALTER TABLE "briefs" ADD COLUMN "previous_created" TEXT')


@migration("0008_rejections")
def _rejections(db: Database) -> None:
    """What a person rejected in a story's briefs (``Library.reject``): kept per story, as
    the spans it names, until restored."""
    db["rejections"].create(  # type: ignore[union-attr]
        {"story": str, "id": str, "kind": str, "spans": str, "about": str, "note": str,
         "created": str},
        pk=("story", "id"), foreign_keys=[("story", "stories", "id")],
        not_null={"kind", "spans", "about", "note", "created"},
    )


@migration("0009_brief_tables")
def _brief_tables(db: Database) -> None:
    """The stored briefs' claims, quotes and conflicts as tables (crossbrief.brief_tables)."""
    from .brief_tables import MIGRATION_TABLES, create_brief_tables

    create_brief_tables(db, MIGRATION_TABLES["0009_brief_tables"])


@migration("0010_parses")
def _parses(db: Database) -> None:
    """The parse cache (crossbrief.parsecache): each briefed article's spaCy Doc, so that
    the next brief of its story reads it instead of parsing the article again."""
    db.execute('CREATE TABLE "parses" ("article" TEXT PRIMARY KEY REFERENCES "articles"("id") '
               'ON DELETE CASCADE, "key" TEXT NOT NULL, "created" TEXT NOT NULL, '
               '"data" BLOB NOT NULL)')


@migration("0011_timeline_tables")
def _timeline_tables(db: Database) -> None:
    """The stored briefs' timelines as tables (crossbrief.brief_tables)."""
    from .brief_tables import MIGRATION_TABLES, create_brief_tables

    create_brief_tables(db, MIGRATION_TABLES["0011_timeline_tables"])


@migration("0012_separation")
def _separation(db: Database) -> None:
    """A person's separations (``Library.move_articles``): one row per move out of a story,
    with its two sides, the articles moved (side 1, with the ``fixed`` value each had in the
    story it left) and the articles left in that story (side 0). The grouping never merges
    a story holding one side with one holding the other. Kept per article, not per story,
    so that it holds whatever the grouping later merges, while the articles stay where the
    person left them."""
    db.execute('CREATE TABLE "separation" ("id" INTEGER PRIMARY KEY, "created" TEXT NOT NULL)')
    db.execute('CREATE TABLE "separation_side" ("separation" INTEGER NOT NULL REFERENCES '
               '"separation"("id") ON DELETE CASCADE, "article" TEXT NOT NULL REFERENCES '
               '"articles"("id") ON DELETE CASCADE, "side" INTEGER NOT NULL, '
               '"fixed" INTEGER, PRIMARY KEY ("separation", "article"))')
    db.execute('CREATE INDEX "separation_side_article" ON "separation_side" ("article")')
    # A library that ran this migration under its unreleased first name (0012_apart) holds
    # that one's table of article pairs, unused since.
    db.execute('DROP TABLE IF EXISTS "apart"')


@migration("0013_rejection_words")
def _rejection_words(db: Database) -> None:
    """A rejection that no longer applies: a correction changed an article's clean text so
    that one of its spans no longer holds the words rejected, which occur there other than
    once (``Library.correct_article``). ``stale`` keeps those words (JSON, one per span)
    while it waits, stored, out of force; NULL for a rejection in force."""
    db.execute('ALTER TABLE "rejections" ADD COLUMN "stale" TEXT')


def clean_article_text(article: Article) -> tuple[str | None, str | None]:
    """The clean stage's text and title of an article as ingested: ``(None, title)`` when
    cleaning leaves nothing (such an article is never briefed, nor grouped)."""
    from .clean import clean_text

    text, _, title = clean_text(article)
    return (text if text.strip() else None), title


# --- the library ---------------------------------------------------------------------------

# The language models are shared by every thread of a process and are not documented as
# thread-safe, so a process analyses one story at a time.
_ANALYSIS = threading.Lock()


class Library:
    """A crossbrief library database; safe to share between the threads of one process.

    Each thread gets its own SQLite connection (SQLite connections must not be used by two
    threads at once). Opening applies any migration not yet applied. A missing file is
    created, unless ``create`` is false (for readers: a mistyped path is then an error,
    LibraryNotFoundError, rather than a new empty library).
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *,
                 create: bool = True) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._guard = threading.Lock()
        self._story_locks: dict[str, threading.Lock] = {}
        # (grouping version, the clusterer holding that grouping): see _keep.
        self._clusterer: tuple[int, StoryClusterer] | None = None
        if not create and not self.path.is_file():
            raise LibraryNotFoundError(
                f"no library at {self.path} (check the path; `crossbrief ingest` creates one)")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.migrate()
        except (sqlite3.DatabaseError, OSError) as exc:
            raise DatabaseError(f"cannot open the library {self.path}: {exc}") from None

    # -- connections and transactions --

    @property
    def db(self) -> Database:
        """This thread's connection, wrapped in sqlite-utils."""
        db: Database | None = getattr(self._local, "db", None)
        if db is None:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            db = Database(conn)
            if db.journal_mode != "wal":
                db.enable_wal()
            self._local.db = db
            with self._guard:
                self._connections.append(conn)
        return db

    @contextlib.contextmanager
    def writing(self, wait: float | None = None) -> Iterator[Database]:
        """One write transaction, taking SQLite's write lock at the start (``BEGIN
        IMMEDIATE``), so what is read inside it cannot be changed by another writer.

        Waits up to ``wait`` seconds for the lock (default ``BUSY_TIMEOUT``), then raises
        LibraryBusyError (E508); a read-only file or a full or failing disk raises
        DatabaseError (E504). Either way nothing of this transaction is written."""
        db = self.db
        held = 0
        if wait is not None:
            held = int(db.execute("PRAGMA busy_timeout").fetchone()[0])
            db.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            # Only taking the lock waits (busy_timeout): past the wait, a clear error (a
            # traceback, a 500 from the web app) rather than sqlite3's "database is locked".
            if _sqlite_code(exc) not in _BUSY_CODES:
                failure = self._write_failure(exc)
                if failure is None:
                    raise
                raise failure from None
            waited = wait if wait is not None else (  # the connection's own wait
                int(db.execute("PRAGMA busy_timeout").fetchone()[0]) / 1000)
            raise LibraryBusyError(
                f"the library {self.path} is busy: another writer has held it for over "
                f"{waited:g} s; this change was not written "
                "(anything stored before it stays): try again when it is done") from None
        finally:
            if wait is not None:
                db.execute(f"PRAGMA busy_timeout = {held}")
        try:
            yield db
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                db.conn.rollback()
            failure = self._write_failure(exc)
            if failure is not None:
                raise failure from None
            raise
        try:
            db.conn.commit()
        except sqlite3.Error as exc:
            failure = self._write_failure(exc)
            if failure is None:
                raise
            with contextlib.suppress(sqlite3.Error):
                db.conn.rollback()
            raise failure from None

    def _write_failure(self, exc: BaseException) -> DatabaseError | None:
        """The DatabaseError (E504) for a write that failed for the file or the disk (see
        _WRITE_FAILURES); None for any other exception."""
        reason = (_WRITE_FAILURES.get(_sqlite_code(exc))
                  if isinstance(exc, sqlite3.Error) else None)
        if reason is None:
            return None
        return DatabaseError(f"cannot write to the library {self.path}: {reason} ({exc}); "
                             "this change was not written (anything stored before it stays)")

    @contextlib.contextmanager
    def reading(self) -> Iterator[Database]:
        """One read transaction: every query inside sees the library as of one moment (WAL
        snapshot), whatever writers commit meanwhile."""
        db = self.db
        db.execute("BEGIN")
        try:
            yield db
        finally:
            db.conn.rollback()  # only read

    def close(self) -> None:
        """Close every connection this library opened."""
        with self._guard:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def migrate(self) -> list[str]:
        """Apply the migrations not applied yet, in order; returns the names applied now.

        A library already up to date is only read (no write lock): opening one to read it
        (``search``, the web app) never waits for a writer, such as a long ingest."""
        if not self._pending_migrations():
            return []
        applied_now = []
        with self.writing() as db:
            if not db["migrations"].exists():
                db["migrations"].create(  # type: ignore[union-attr]
                    {"name": str, "applied": str}, pk="name")
            done = {row["name"] for row in db["migrations"].rows}
            for name, func in MIGRATIONS:
                if name not in done:
                    func(db)
                    db["migrations"].insert({"name": name, "applied": now()})  # type: ignore[union-attr]
                    applied_now.append(name)
        return applied_now

    def _pending_migrations(self) -> bool:
        """Whether a migration is not yet applied, from a read (WAL: never waits)."""
        with self.reading() as db:
            if not db["migrations"].exists():
                return True
            done = {row[0] for row in db.execute("select name from migrations")}
        return any(name not in done for name, _ in MIGRATIONS)

    def migrations(self) -> list[str]:
        """Names of the migrations applied to this database, in order."""
        return [row["name"] for row in self.db.query(
            "select name from migrations order by name")]

    # -- articles --

    def ingest(
        self, inputs: Iterable[str], settings: Settings | None = None, **read: Any
    ) -> AddResult:
        """Read ``inputs`` (as ``crossbrief analyze`` does) and store their articles (the
        copies of one text as :meth:`add_articles` keeps them)."""
        from .ingest import iter_articles

        unread: list[Skipped] = []
        result = self.add_articles(list(iter_articles(inputs, settings, unread, **read)))
        skipped = sorted([*unread, *result.skipped],
                         key=lambda s: (s.input, s.code, s.reason))
        return AddResult(result.added, result.existing, skipped)

    def add_articles(self, articles: Iterable[Article]) -> AddResult:
        """Store articles as ingested (raw text, with the clean stage's text and title), and
        assign each new one to an automatic story, in one transaction.

        An article whose id is already stored is left as it is: re-ingesting changes nothing.
        Of the copies of one text (one id), one is kept as ``crossbrief analyze`` keeps it
        (:func:`crossbrief.ingest.copy_order`, in any order they come in) and each other is
        on ``skipped`` as a duplicate (E109) of the copy kept; for a text already stored, of
        the copy the library holds (whose input the reason names). An article the clean
        stage leaves nothing of is not stored (a brief would skip it): it is on the result's
        ``skipped``, with the reason.

        The one rule for lone surrogates (:func:`text_given`): what an article holds of
        its input (its text, title, outlet, author, date, URL) is kept, each lone surrogate
        made U+FFFD (its id the hash of that text, as ingest gives it).
        """
        unique, skipped = self._copies([_readable_article(a) for a in articles])
        if not unique:
            return AddResult(skipped=skipped)
        # Cleaning before the transaction keeps the write lock short.
        stored_before = self._present(self.db, list(unique))
        cleaned: dict[str, tuple[str, str | None]] = {}
        for id, article in unique.items():
            if id in stored_before:
                continue
            try:
                text, title = clean_article_text(article)
            except Exception as exc:  # a bug this article triggers: name it, store the rest
                code = exc.code if isinstance(exc, InputError) else "E302"
                skipped.append(Skipped(article.input, f"cleaning failed: "
                                                      f"{describe_failure(exc)}", code))
                continue
            if text is None:
                skipped.append(Skipped(article.input, "nothing left after removing "
                                                      "boilerplate", "E106"))
                continue
            cleaned[id] = (text, title)
        added_at = now()

        def store(db: Database) -> tuple[list[Article], set[str]]:
            present = self._present(db, list(unique))
            new = [unique[id] for id in cleaned if id not in present]
            db["articles"].insert_all(  # type: ignore[union-attr]
                ({**{c: getattr(a, c) for c in ARTICLE_COLUMNS}, "title": cleaned[a.id][1],
                  "clean": cleaned[a.id][0], "added": added_at} for a in new),
                ignore=True,
            )
            return new, present

        new, present = self._grouping_write(store, grouping=bool(cleaned))
        return AddResult([a.id for a in new], [id for id in unique if id in present], skipped)

    def _copies(self, articles: Iterable[Article]) -> tuple[dict[str, Article], list[Skipped]]:
        """The copy of each text kept, by id in the order the copies kept were read (as
        ``crossbrief analyze`` lists them), and a duplicate skipped (E109) for each other
        copy, in the order read (see :meth:`add_articles`)."""
        from .ingest import copy_order

        copies: dict[str, list[tuple[int, Article]]] = {}
        for position, article in enumerate(articles):
            found = copies.setdefault(article.id, [])
            if all(article != a for _, a in found):  # the same copy twice is one
                found.append((position, article))
        repeated = [id for id, found in copies.items() if len(found) > 1]
        held = {a.id: a for a in self.articles(sorted(self._present(self.db, repeated)))}
        kept: list[tuple[int, Article]] = []
        others: list[tuple[int, Skipped]] = []
        for id, found in copies.items():
            stored = held.get(id)
            if len(found) == 1:  # a lone copy is kept and skips nothing
                kept.append(found[0])
                continue
            # A stored text: the copy alike the library's (re-read) is the one kept.
            alike = copy_order(stored) if stored is not None else None
            orders = {n: copy_order(a) for n, a in found}
            best = min(found, key=lambda copy: (orders[copy[0]] != alike,
                                                orders[copy[0]], copy[1].input))
            kept.append(best)
            named = best[1].input if stored is None else stored.input
            others.extend((n, Skipped(a.input, f"duplicate of {named} (same text)",
                                          DuplicateInputError.code))
                          for n, a in found if n != best[0])
        return ({a.id: a for _, a in sorted(kept, key=lambda copy: copy[0])},
                [s for _, s in sorted(others, key=lambda other: other[0])])

    @staticmethod
    def _present(db: Database, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in batches(ids):
            found.update(r["id"] for r in db.query(
                f"select id from articles where id in ({marks(chunk)})", chunk))
        return found

    @text_given
    def articles(self, ids: Sequence[str] | None = None, *, limit: int | None = None,
                 offset: int = 0) -> list[Article]:
        """Stored articles: those of ``ids`` in that order (raising UnknownArticleError for
        an id not stored), or all of them, newest first."""
        if ids is None:
            rows = self.db.query(
                f"select {', '.join(ARTICLE_COLUMNS)} from articles "
                "order by added desc, rowid desc limit ? offset ?",
                [-1 if limit is None else _sql_count(limit), _sql_count(offset)])
            return [_article(row) for row in rows]
        found = {}
        for chunk in batches(ids):
            for row in self.db.query(
                f"select {', '.join(ARTICLE_COLUMNS)} from articles "
                f"where id in ({marks(chunk)})",
                chunk,
            ):
                found[row["id"]] = _article(row)
        missing = [id for id in ids if id not in found]
        if missing:
            raise UnknownArticleError(f"no stored article has the id {', '.join(missing)}")
        return [found[id] for id in ids]

    @text_given
    def article(self, id: str) -> Article:
        """One stored article; UnknownArticleError when there is none with this id."""
        return self.articles([id])[0]

    @text_given
    def article_added(self, ids: Sequence[str]) -> dict[str, str]:
        """When each of ``ids`` was first stored (UTC ISO 8601)."""
        marks = ",".join("?" * len(ids))
        return {r["id"]: r["added"] for r in self.db.query(
            f"select id, added from articles where id in ({marks})", list(ids))}

    @text_given
    def correct_article(self, id: str, *, source: str | None = None,
                        title: str | None = None, published: str | None = None) -> Article:
        """Correct a stored article's outlet, title or publication date (None: left as it
        is; an empty title or date: cleared). Stored in one transaction; the values as first
        stored are kept in ``corrections``. Every later brief of a story holding the article
        uses them (the brief key changes), and so does the grouping of later articles: a
        change counts one more ``grouping.version``, so a clusterer kept from an earlier
        ingest, which read the old values, is seeded again from the store (as another
        process would be). A change of the clean text (a title is cut from it) re-anchors
        the rejections with a span of the article (:func:`_anchor_rejections`): each span
        follows its words when they stay at its offsets or occur once in the new text; a
        rejection that cannot follow is kept but out of force (``stale``), never applied to
        other words. A value that says the same as the stored one (the same words;
        the same date in another spelling, see _published_moment) is no change. InputError
        (422) for a value that is not one, and for an outlet, title or date that changes to
        one longer than OUTLET_MAX, TITLE_MAX or PUBLISHED_MAX characters: refused whole,
        never cut."""
        from .ingest import normalise_published

        changes: dict[str, str | None] = {}
        if source is not None:
            if not source.strip():
                raise MalformedInputError("an article's outlet cannot be empty")
            changes["source"] = _normal_source(source)
        if title is not None:
            changes["title"] = _normal_title(title)
        if published is not None:
            # Counted as sent, before any parsing: a date is written in ASCII, where that
            # is the count as shown, and one with a combining mark is no date anyway.
            if len(published) > PUBLISHED_MAX:
                raise MalformedInputError(f"{published[:40]!r}... is not a date: a date is "
                                          f"at most {PUBLISHED_MAX} characters")
            changes["published"] = (normalise_published(published) if published.strip()
                                    else None)
            if published.strip() and changes["published"] is None:
                raise MalformedInputError(f"{published[:100]!r} is not a date (write it "
                                          "as 2024-05-06 or 2024-05-06T10:00:00+00:00)")
        with self.writing() as db:
            row = db.execute("select source, title, published from articles where id = ?",
                             [id]).fetchone()
            if row is None:
                raise UnknownArticleError(f"no stored article has the id {id}")
            # A value equal to the stored one once both are normalised alike (ingest stores
            # a title as given; the article page's form sends all three fields back) is no
            # change: no corrections row, no new grouping version. A date is compared by
            # what it says (_published_moment), so another spelling of it is no change.
            stored = {"source": _normal_source(row[0] or ""), "title": _normal_title(row[1]),
                      "published": normalise_published(row[2]) or row[2]}
            changes = {c: v for c, v in changes.items()
                       if (_published_moment(v) != _published_moment(stored[c])
                           if c == "published" else v != stored[c])}
            # Only a value that changes is held to the limits, so a longer one ingest
            # stored survives a correction of something else.
            for name, what, limit in (("source", "an outlet", OUTLET_MAX),
                                      ("title", "a title", TITLE_MAX)):
                if name in changes:
                    _refuse_longer(changes[name], what, limit)
            if changes:
                db.execute("insert or ignore into corrections (article, source, title, "
                           "published, corrected) values (?, ?, ?, ?, ?)", [id, *row, now()])
                db.execute("update corrections set corrected = ? where article = ?",
                           [now(), id])
                db.execute(f"update articles set {', '.join(f'{c} = ?' for c in changes)} "
                           "where id = ?", [*changes.values(), id])
                # The clean text depends on the title (cleaning cuts a line that repeats
                # it), so it is made again from the corrected article, as a brief and the
                # article page make it: search and the Rejected list read this column.
                fresh = db.execute(f"select {', '.join(ARTICLE_COLUMNS)} from articles "
                                   "where id = ?", [id]).fetchone()
                clean, _ = clean_article_text(
                    Article(**dict(zip(ARTICLE_COLUMNS, fresh, strict=True))))
                before = db.execute("select clean from articles where id = ?",
                                    [id]).fetchone()[0]
                db.execute("update articles set clean = ? where id = ? and clean is not ?",
                           [clean, id, clean])
                if clean != before:
                    _anchor_rejections(db, id, before, clean)
                db.execute("update grouping set version = version + 1")
        return self.article(id)

    @text_given
    def corrected(self, ids: Sequence[str]) -> dict[str, dict[str, str | None]]:
        """The articles of ``ids`` a person corrected: their values as first stored."""
        found: dict[str, dict[str, str | None]] = {}
        for chunk in batches(ids):
            for row in self.db.query(
                    "select article, source, title, published, corrected from corrections "
                    f"where article in ({marks(chunk)})", chunk):
                found[row["article"]] = {k: row[k] for k in
                                         ("source", "title", "published", "corrected")}
        return found

    def _corrections_key(self, ids: Sequence[str]) -> list[str]:
        """What the brief key needs of the corrected articles among ``ids``: their current
        outlet, title and date (nothing for an article never corrected, so the keys of
        uncorrected stories stay what they were)."""
        fixed = self.corrected(ids)
        if not fixed:
            return []
        return sorted(json.dumps([a.id, a.source, a.title, a.published])
                      for a in self.articles([i for i in ids if i in fixed]))

    def activity(self) -> dict[str, str]:
        """Each story's newest activity: when an article was last added to the library
        among the story's articles (UTC ISO 8601), by story id."""
        return {r[0]: r[1] for r in self.db.execute(
            "select sa.story, max(a.added) from story_articles sa join articles a "
            "on a.id = sa.article group by sa.story")}

    def activity_order(self) -> dict[str, int]:
        """Each story's place in the order of newest activity, by story id: the storage
        sequence of the article stored last among the story's articles (larger is newer).
        ``added`` is to the second, so two stories fed within one second would tie on it;
        the order in which the library stored their articles does not."""
        return {r[0]: r[1] for r in self.db.execute(
            "select sa.story, max(a.rowid) from story_articles sa join articles a "
            "on a.id = sa.article group by sa.story")}

    def recent_stories(self, kind: StoryKind | None = None, limit: int = 100
                       ) -> list[tuple[str, str]]:
        """(id, title a person sees) of the stories with the newest activity (an article
        stored last), at most ``limit``; one query, without the stories' articles."""
        rows = self.db.execute(
            "select s.id, s.name, s.title, s.kind, max(a.rowid) as latest from stories s "
            "left join story_articles sa on sa.story = s.id left join articles a "
            "on a.id = sa.article " + ("where s.kind = ? " if kind else "")
            + "group by s.id order by latest desc, s.id desc limit ?",
            [*([kind] if kind else []), _sql_count(limit)]).fetchall()
        return [(r[0], LibraryStory(r[0], r[1], "", [], r[3], r[2]).display_title) for r in rows]

    def current_brief(self, story: LibraryStory, settings: Settings | None = None
                      ) -> dict[str, Any] | None:
        """The stored brief of ``story`` if it was made from its articles as they are now
        (never computes one)."""
        settings = settings or load_settings()
        return self.stored_brief(story.id, self.brief_key(story, settings))

    def brief_key(self, story: LibraryStory, settings: Settings,
                  rejections: Sequence[Rejection] | None = None) -> str:
        """The key a brief of ``story`` is stored under: :func:`brief_key` of its articles,
        their corrections, the settings and the story's rejections in force (a rejection or
        a restore makes the next brief anew; ``rejections``: those, when already read)."""
        if rejections is None:
            rejections = self.active_rejections(story)
        return brief_key(story.articles, settings, self._corrections_key(story.articles),
                         [f"{r.id}:{r.created}:{r.note}" for r in rejections])

    def count(self) -> int:
        """How many articles are stored."""
        return int(self.db.execute("select count(*) from articles").fetchone()[0])

    @text_given
    def search(self, query: str, limit: int = SEARCH_LIMIT) -> list[SearchHit]:
        """Articles matching ``query`` in their title or text, best first (FTS5, bm25).

        Every word of the query is quoted, so any text is a valid query (``"``, ``AND``,
        ``NEAR(``, ``*`` are searched for as words); all the words must appear.
        """
        # Each word a string of FTS5's query syntax, its quotes doubled (sqlite-utils'
        # quote_fts leaves a quote inside a word as it is, and '0"<ESC>' broke the query);
        # SQLite ends a string at NUL, which would leave the quoted query unterminated.
        words = query.replace("\x00", " ").split()
        quoted = " ".join('"' + word.replace('"', '""') + '"' for word in words)
        if not any(c.isalnum() for c in query):
            return []
        rows = self.db.query(
            "select articles.id, articles.title, articles.source, "
            "snippet(articles_fts, -1, '', '', '…', 24) as snippet "
            "from articles_fts join articles on articles.rowid = articles_fts.rowid "
            "where articles_fts match ? order by articles_fts.rank limit ?",
            [quoted, _sql_count(limit)],
        )
        return [SearchHit(r["id"], r["title"], r["source"], r["snippet"]) for r in rows]

    # -- named stories --

    @text_given
    def create_story(self, name: str, article_ids: Sequence[str]) -> LibraryStory:
        """Create the story ``name`` holding ``article_ids`` in order (or replace the articles
        of the named story of that name). Raises UnknownArticleError for an id not stored,
        StoryEditError when an automatic story has that name."""
        name = _story_name(name)
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            raise EmptyStoryError(f"story {name!r} needs at least one article")
        with self.writing() as db:
            missing = set(ids) - self._present(db, ids)
            if missing:
                raise UnknownArticleError(
                    "no stored article has the id "
                    f"{', '.join(i for i in ids if i in missing)}")
            row = self._named_row(db, name)
            if row is None:
                id, created = self._free_story_id(db, name), now()
                db["stories"].insert({"id": id, "name": name, "created": created,  # type: ignore[union-attr]
                                      "kind": NAMED})
            else:
                id, created = row[0], row[1]
            db.execute("delete from story_articles where story = ?", [id])
            db["story_articles"].insert_all(  # type: ignore[union-attr]
                {"story": id, "article": a, "position": n} for n, a in enumerate(ids))
        return LibraryStory(id, name, created, ids)

    @text_given
    def check_story_name(self, name: str) -> None:
        """Refuse, before anything is stored, a name :meth:`create_story` would refuse
        (review R30: ``analyze --db … --story NAME`` stored the inputs, then refused a long
        name): EmptyStoryError, MalformedInputError (E105: a new name over NAME_MAX, a lone
        surrogate), StoryEditError (an automatic story's name)."""
        self._named_row(self.db, _story_name(name))

    @staticmethod
    def _named_row(db: Database, name: str) -> tuple[str, str] | None:
        """The id and creation time of the named story ``name`` (a name :func:`_story_name`
        gave), None when no story has it: a new name is then held to NAME_MAX, while a story
        named before the limit stays usable. StoryEditError for an automatic story's."""
        row = db.execute("select id, created, kind from stories where name = ?",
                         [name]).fetchone()
        if row is not None and row[2] == AUTO:
            raise StoryEditError(
                f"{name!r} is the name of an automatic story; its articles change with "
                "`crossbrief story move`, `merge` and `split`")
        if row is None:
            _refuse_longer(name, "a story's name", NAME_MAX)
            return None
        return row[0], row[1]

    @staticmethod
    def _free_story_id(db: Database, name: str) -> str:
        """The hash of the name, unless a story renamed since holds it."""
        id, n = story_id(name), 0
        while db.execute("select 1 from stories where id = ?", [id]).fetchone():
            n += 1
            id = content_hash("named story", name.strip(), str(n))
        return id

    @text_given
    def story(self, key: str) -> LibraryStory:
        """The story with this id or name; UnknownStoryError when there is none."""
        return self._story(self.db, key)

    def _story(self, db: Database, key: str) -> LibraryStory:
        row = db.execute(
            "select id, name, created, kind, title from stories where id = ? or name = ? "
            "order by id = ? desc limit 1", [key, key.strip(), key],
        ).fetchone()
        if row is None:
            raise UnknownStoryError(f"no story has the id or name {key!r}")
        return LibraryStory(row[0], row[1], row[2], self._story_articles(db, row[0]), row[3],
                            row[4])

    def stories(self, kind: StoryKind | None = None) -> list[LibraryStory]:
        """Every story (or every one of ``kind``), newest first."""
        rows = self.db.execute(
            "select id, name, created, kind, title from stories "
            + ("where kind = ? " if kind else "") + "order by created desc, rowid desc",
            [kind] if kind else []).fetchall()
        return [LibraryStory(r[0], r[1], r[2], self._story_articles(self.db, r[0]), r[3], r[4])
                for r in rows]

    def count_stories(self, kind: StoryKind | None = None) -> int:
        """How many stories there are (of ``kind``)."""
        return int(self.db.execute(
            "select count(*) from stories" + (" where kind = ?" if kind else ""),
            [kind] if kind else []).fetchone()[0])

    @staticmethod
    def _story_articles(db: Database, id: str) -> list[str]:
        return [r[0] for r in db.execute(
            "select article from story_articles where story = ? order by position", [id])]

    @text_given
    def rename_story(self, story: str, name: str) -> LibraryStory:
        """Give a story (named or automatic) a new name, which no other story has."""
        name = _story_name(name)
        with self.writing() as db:
            found = self._story(db, story)
            if name == found.name:  # the rename form sent back as it was: no change
                return found
            _refuse_longer(name, "a story's name", NAME_MAX)
            other = db.execute("select id from stories where (name = ? or id = ?) and id != ?",
                               [name, name, found.id]).fetchone()
            if other is not None:
                raise StoryEditError(f"another story ({other[0]}) has the name or id {name!r}")
            db.execute("update stories set name = ? where id = ?", [name, found.id])
            return self._story(db, found.id)

    # -- automatic stories --

    def _group(self, db: Database) -> tuple[list[str], tuple[int, StoryClusterer] | None]:
        """Assign each stored article that has a clean text and no automatic story to one:
        the story clusterer is seeded with the stored grouping (a person's placements as
        fixed ones, the articles a person kept apart as such), then given the new articles;
        the grouping it ends with is stored.
        Runs inside the caller's transaction. Returns the ids of the automatic stories that
        changed, and the grouping's new version with the clusterer holding it (for
        :meth:`_keep`, once committed).

        Every change to the automatic stories (and to an article's outlet, title or date:
        :meth:`correct_article`) counts one more ``grouping.version``: a clusterer kept
        from an earlier ingest is used only while the version it holds is the stored one."""
        pending = [dict(r) for r in db.query(
            f"select {_STREAM_COLUMNS} from articles a where a.clean is not null and a.id "
            "not in (select sa.article from story_articles sa join stories s "
            "on s.id = sa.story where s.kind = 'auto')")]
        if not pending:
            return [], None
        members: dict[str, set[str]] = {}
        fixed: dict[str, bool] = {}
        for story, article, is_fixed in db.execute(
                "select sa.story, sa.article, sa.fixed from story_articles sa join stories s "
                "on s.id = sa.story where s.kind = 'auto'"):
            members.setdefault(story, set()).add(article)
            fixed[article] = bool(is_fixed)
        version = int(db.execute("select version from grouping").fetchone()[0])
        with self._guard:  # the clusterer is changed below: no longer valid for anyone
            cached, self._clusterer = self._clusterer, None
        clusterer = (cached[1] if cached is not None and cached[0] == version
                     else self._seed(db))
        for row in sorted(pending, key=_stream_order):
            clusterer.add(_stream(row))
        for chunk in batches([row["id"] for row in pending]):
            db.execute(f"update articles set grouped = ? where id in ({marks(chunk)})",
                       [version + 1, *chunk])
        stored = {r[0]: (r[1], r[2]) for r in db.execute(
            "select id, name, title from stories where kind = 'auto'")}
        groups = clusterer.stories()
        kept = {g.id for g in groups}
        created = now()
        changed = []
        for group in groups:
            ids = [a.id for a in group.articles]
            if group.id not in stored:
                db["stories"].insert({"id": group.id, "name": group.id,  # type: ignore[union-attr]
                                      "created": created, "kind": AUTO, "title": group.title})
            elif stored[group.id][1] != group.title:
                db.execute("update stories set title = ? where id = ?",
                           [group.title, group.id])
            if members.get(group.id) != set(ids):
                changed.append(group.id)
                db.execute("delete from story_articles where story = ?", [group.id])
                db["story_articles"].insert_all(  # type: ignore[union-attr]
                    {"story": group.id, "article": a, "position": n,
                     "fixed": int(fixed.get(a, False))} for n, a in enumerate(ids))
        for gone in sorted(set(stored) - kept):
            name = stored[gone][0]
            self._delete_story(db, gone)
            if name != gone:  # a person named it: the name goes where its articles went
                heir = next((g for g in groups
                             if members.get(gone, set()) & {a.id for a in g.articles}), None)
                if heir is not None and stored.get(heir.id, (heir.id,))[0] == heir.id:
                    db.execute("update stories set name = ? where id = ?", [name, heir.id])
        db.execute("update grouping set version = ?", [version + 1])
        return changed, (version + 1, clusterer)

    @staticmethod
    def _seed(db: Database) -> StoryClusterer:
        """A story clusterer holding the stored grouping: the grouped articles in the order
        they were first grouped (batch by batch, each in stream order), each placed in its
        story. The clusterer then holds what one kept since the first ingest would (its
        statistics grow as the articles arrive), so the grouping never depends on which
        process ingests."""
        from .stories import StoryClusterer

        clusterer = StoryClusterer()
        seeded = [dict(r) for r in db.query(
            f"select sa.story, sa.fixed, a.grouped, {_STREAM_COLUMNS} from story_articles sa "
            "join stories s on s.id = sa.story join articles a on a.id = sa.article "
            "where s.kind = 'auto'")]
        for row in sorted(seeded, key=lambda r: (r["grouped"] or 0, *_stream_order(r))):
            clusterer.add(_stream(row), story=row["story"], fixed=bool(row["fixed"]))
        for separation, article, side in db.execute(
                "select separation, article, side from separation_side "
                "order by separation, article"):
            clusterer.separate(separation, article, side)
        return clusterer

    def _prepare_clusterer(self) -> None:
        """Seed a clusterer with the stored grouping before taking the write lock (from a
        read snapshot), unless the kept one holds it: the write transaction then only adds
        the new articles, and other writers wait seconds, not the minutes seeding a large
        library takes."""
        with self.reading() as db:
            version = int(db.execute("select version from grouping").fetchone()[0])
            with self._guard:
                if self._clusterer is not None and self._clusterer[0] == version:
                    return
            clusterer = self._seed(db)
        with self._guard:
            self._clusterer = (version, clusterer)

    def _grouping_write(self, write: Callable[[Database], T], grouping: bool) -> T:
        """``write(db)`` and the grouping of the articles it leaves without an automatic
        story, in one transaction. With ``grouping`` (new articles expected), the clusterer
        is prepared first, outside the lock; when another writer changed the grouping in
        between, the transaction is let go and it is prepared again (the last try seeds
        inside the transaction)."""
        tries = GROUPING_TRIES if grouping else 1
        for attempt in range(tries):
            if grouping:
                self._prepare_clusterer()
            try:
                with self.writing() as db:
                    if attempt < tries - 1 and not self._holds_grouping(db):
                        raise _StaleGrouping
                    result = write(db)
                    _, state = self._group(db)
            except _StaleGrouping:
                continue
            self._keep(state)
            return result
        raise AssertionError("unreachable: the last try never raises _StaleGrouping")

    def _holds_grouping(self, db: Database) -> bool:
        version = int(db.execute("select version from grouping").fetchone()[0])
        with self._guard:
            return self._clusterer is not None and self._clusterer[0] == version

    def _keep(self, state: tuple[int, StoryClusterer] | None) -> None:
        """After the grouping's transaction committed: keep its clusterer for the next
        ingest of this process, which then adds its articles to it instead of seeding a new
        one with every stored article (valid while no other writer changed the grouping)."""
        if state is not None:
            with self._guard:
                self._clusterer = state

    @staticmethod
    def _delete_story(db: Database, id: str, heir: str | None = None) -> None:
        """Delete a story; its rejections follow its articles: to ``heir`` when given (a
        merge, or a move that empties the story), else each to the automatic story now
        holding its first span's article (the grouping moved them)."""
        for rid, spans in db.execute("select id, spans from rejections where story = ?",
                                     [id]).fetchall():
            target = heir
            if target is None:
                first = json.loads(spans)[0]["article"]
                # Not the story being deleted: the grouping has put its articles in their
                # new stories but not yet taken them out of this one.
                target = Library._auto_story_of(db, first, besides=id)
            if target is not None and target != id:
                Library._hand_over(db, id, rid, target)
        db.execute("delete from rejections where story = ?", [id])
        db.execute("delete from briefs where story = ?", [id])
        db.execute("delete from story_articles where story = ?", [id])
        db.execute("delete from stories where id = ?", [id])

    @staticmethod
    def _hand_over(db: Database, story: str, rid: str, heir: str) -> None:
        """Move rejection ``rid`` of ``story`` to ``heir``. When ``heir`` holds that id too,
        the two are compared: the same rejection (kind, spans, topic, in or out of force) with
        no other note is a copy, left to be deleted with ``story``; any other (a note of its
        own, or one a correction re-anchored keeping its first id) moves under a free id
        (:meth:`_free_rejection_id`), so that nothing a person wrote is lost."""
        columns = "kind, spans, about, note, created, stale"
        mine = db.execute(f"select {columns} from rejections where story = ? and id = ?",
                          [story, rid]).fetchone()
        theirs = db.execute(f"select {columns} from rejections where story = ? and id = ?",
                            [heir, rid]).fetchone()
        new = rid
        if theirs is not None:
            if (_rejection_key(*mine[:3]), mine[5]) == (_rejection_key(*theirs[:3]), theirs[5]) \
                    and mine[3] in ("", theirs[3]):
                return
            new = Library._free_rejection_id(db, heir, _rejection(rid, *mine[:5]))
        db.execute("update rejections set story = ?, id = ? where story = ? and id = ?",
                   [heir, new, story, rid])

    def _auto(self, db: Database, key: str) -> LibraryStory:
        found = self._story(db, key)
        if found.kind != AUTO:
            raise StoryEditError(
                f"{found.name!r} is a named story: change its articles with "
                "`crossbrief analyze --db … --story NAME` or POST /api/stories")
        return found

    @staticmethod
    def _auto_story_of(db: Database, article: str, besides: str = "") -> str | None:
        """The automatic story holding ``article`` (other than ``besides``)."""
        row = db.execute(
            "select sa.story from story_articles sa join stories s on s.id = sa.story "
            "where s.kind = 'auto' and sa.article = ? and sa.story != ?",
            [article, besides]).fetchone()
        return None if row is None else str(row[0])

    @staticmethod
    def _place(db: Database, story: str, articles: Iterable[str]) -> None:
        """Put ``articles`` in ``story``, fixed (a person's decision), and number the story's
        articles in stream order again (a new grouping version: a kept clusterer no longer
        holds it)."""
        db.execute("update grouping set version = version + 1")
        for article in articles:
            db.execute("insert or replace into story_articles (story, article, position, "
                       "fixed) values (?, ?, 0, 1)", [story, article])
        rows = db.execute(
            "select sa.article from story_articles sa join articles a on a.id = sa.article "
            "where sa.story = ? order by coalesce(a.published, ''), a.id", [story]).fetchall()
        for n, (article,) in enumerate(rows):
            db.execute("update story_articles set position = ? where story = ? and "
                       "article = ?", [n, story, article])

    @text_given
    def move_articles(self, articles: Sequence[str], story: str) -> LibraryStory:
        """Move stored articles into the automatic story ``story`` (id or name), for good:
        later grouping keeps them there, and, while a moved article is in it, never merges
        the story holding it with the one holding an article left in the story it was taken
        out of (the person said it is not of that story: one separation per story moved
        out of, table ``separation_side``). Moving an article back into the story it was
        taken out of (or what that one was merged into: :meth:`_home_separations`) undoes
        that: it leaves the separation, takes back the ``fixed`` value it had before (0 if
        none), and records no separation against the story it leaves; moved on into any
        other story it stays fixed and apart from the story it leaves. Whatever else the
        move contradicts goes too: an article moved in among another side of a separation
        than its own leaves that separation. A story left empty is deleted. One
        transaction: all are moved, or none (UnknownArticleError, StoryEditError)."""
        ids = list(dict.fromkeys(articles))
        if not ids:
            raise StoryEditError("name at least one article to move")
        with self.writing() as db:
            target = self._auto(db, story)
            # Read before the move: an article moved in the same call is not the story the
            # moved article came from.
            home = self._home_separations(db, target.id, besides=set(ids))
            left: dict[str, list[tuple[str, int]]] = {}  # story moved out of -> moved, fixed
            for article in ids:
                current = self._auto_story_of(db, article)
                if current is None:
                    self._check_groupable(db, [article])
                elif current != target.id:
                    row = db.execute("select fixed from story_articles where story = ? and "
                                     "article = ?", [current, article]).fetchone()
                    db.execute("delete from story_articles where story = ? and article = ?",
                               [current, article])
                    left.setdefault(current, []).append((article, int(row[0] or 0)))
                    if not self._story_articles(db, current):
                        self._delete_story(db, current, heir=target.id)
                        del left[current]
            self._place(db, target.id, ids)
            restore = self._drop_contradicted(db, target.id, ids, home)
            for article, fixed in sorted(restore.items()):
                db.execute("update story_articles set fixed = ? where story = ? and "
                           "article = ?", [fixed, target.id, article])
            for source, moved in sorted(left.items()):
                kept = [(a, f) for a, f in moved if a not in restore]
                if kept:
                    self._record_separation(db, self._story_articles(db, source), kept)
            return self._story(db, target.id)

    @staticmethod
    def _record_separation(db: Database, remaining: Sequence[str],
                           moved: Sequence[tuple[str, int]]) -> None:
        """Store one separation: the articles ``moved`` (each with its earlier ``fixed``)
        on side 1, the articles ``remaining`` in the story they left on side 0."""
        separation = db.execute("insert into separation (created) values (?)",
                                [now()]).lastrowid
        db.conn.executemany(
            "insert into separation_side (separation, article, side, fixed) "
            "values (?, ?, ?, ?)",
            [*((separation, a, 0, None) for a in sorted(remaining)),
             *((separation, a, 1, f) for a, f in sorted(moved))])

    @staticmethod
    def _held_sides(db: Database, story: str) -> set[tuple[int, int]]:
        """The sides of separations (separation, side) the articles of ``story`` hold."""
        return {(int(r[0]), int(r[1])) for r in db.execute(
            "select distinct ss.separation, ss.side from separation_side ss "
            "join story_articles sa on sa.article = ss.article where sa.story = ?", [story])}

    @staticmethod
    def _drop_separations(db: Database, separations: Iterable[int]) -> None:
        """Delete the separations of ``separations`` left with a side empty."""
        for chunk in batches(sorted(set(separations))):
            db.execute(
                f"delete from separation where id in ({marks(chunk)}) and ("
                "not exists (select 1 from separation_side ss where ss.separation = "
                "separation.id and ss.side = 0) or not exists (select 1 from "
                "separation_side ss where ss.separation = separation.id and ss.side = 1))",
                chunk)

    @staticmethod
    def _home_separations(db: Database, story: str, besides: set[str]) -> set[int]:
        """The separations whose left side (0) ``story`` holds at home: through an article
        (not of ``besides``) that no person has moved since (on the moved side of no later
        separation). ``story`` is then the story that separation's articles were taken out
        of, or what the grouping or a person merged it into; a story holding only left
        articles a person moved there later is not."""
        return {int(separation) for separation, article in db.execute(
            "select ss.separation, ss.article from separation_side ss join story_articles sa "
            "on sa.article = ss.article where sa.story = ? and ss.side = 0 and not exists ("
            "select 1 from separation_side later where later.article = ss.article and "
            "later.side = 1 and later.separation > ss.separation)", [story])
            if article not in besides}

    def _drop_contradicted(self, db: Database, story: str, placed: Sequence[str],
                           home: set[int]) -> dict[str, int]:
        """A person has put the articles ``placed`` in ``story``: each that is on one side
        of a separation while the story now holds its other side (also through another
        article placed with it) leaves that separation (the person's new decision wins).
        Returns, for each on the moved side of a separation of ``home`` (it went back to
        the story it was taken out of: an undo), the ``fixed`` value it had before that
        move (of the earliest such separation)."""
        held = self._held_sides(db, story)
        dropped: list[tuple[int, str]] = []
        restore: dict[str, int] = {}
        for chunk in batches(list(placed)):
            for separation, article, side, fixed in db.execute(
                    "select separation, article, side, fixed from separation_side where "
                    f"article in ({marks(chunk)}) order by separation, article", chunk):
                if (separation, 1 - side) in held:
                    dropped.append((separation, article))
                    if side == 1 and separation in home:
                        restore.setdefault(article, int(fixed or 0))
        db.conn.executemany("delete from separation_side where separation = ? and "
                            "article = ?", dropped)
        self._drop_separations(db, (s for s, _ in dropped))
        return restore

    @text_given
    def merge_stories(self, into: str, others: Sequence[str]) -> LibraryStory:
        """Merge the automatic stories ``others`` into ``into``, for good: their articles
        stay together in later grouping (a separation whose two sides the merged story
        holds is dropped: the person has put them together)."""
        with self.writing() as db:
            target = self._auto(db, into)
            sources = [self._auto(db, other) for other in others]
            if not sources:
                raise StoryEditError("name at least one story to merge into another")
            moved: list[str] = list(target.articles)
            for source in sources:
                if source.id == target.id:
                    raise StoryEditError(f"cannot merge story {source.id} into itself")
                moved += source.articles
                self._delete_story(db, source.id, heir=target.id)
            self._place(db, target.id, moved)
            held = self._held_sides(db, target.id)
            both = sorted({sep for sep, side in held if (sep, 1 - side) in held})
            for chunk in batches(both):
                db.execute(f"delete from separation where id in ({marks(chunk)})", chunk)
            return self._story(db, target.id)

    @text_given
    def split_story(self, story: str, articles: Sequence[str],
                    name: str | None = None) -> LibraryStory:
        """Take ``articles`` out of the automatic story ``story`` into a new automatic story
        (named ``name`` when given), for good: later grouping keeps both apart."""
        ids = list(dict.fromkeys(articles))
        with self.writing() as db:
            source = self._auto(db, story)
            outside = [a for a in ids if a not in source.articles]
            if outside:
                raise StoryEditError(f"story {source.id} does not hold {', '.join(outside)}")
            if not ids or len(ids) == len(source.articles):
                raise StoryEditError("a split takes some of the story's articles, not none "
                                     "and not all")
            new = content_hash("split", *sorted(ids))
            label = new
            if name is not None:
                label = _story_name(name)
                _refuse_longer(label, "a story's name", NAME_MAX)
            if db.execute("select 1 from stories where id = ? or name = ? or name = ?",
                          [new, label, new]).fetchone():
                raise StoryEditError(f"a story already has the id or name {label!r}")
            db["stories"].insert({"id": new, "name": label, "created": now(),  # type: ignore[union-attr]
                                  "kind": AUTO, "title": _title_of(db, ids)})
            for article in ids:
                db.execute("delete from story_articles where story = ? and article = ?",
                           [source.id, article])
            # A rejection goes with the articles split off when they hold all its spans;
            # one on the articles of both stories stays (out of force: its spans are no
            # longer in one story).
            for rid, spans in db.execute("select id, spans from rejections where story = ?",
                                         [source.id]).fetchall():
                if {s["article"] for s in json.loads(spans)} <= set(ids):
                    db.execute("update rejections set story = ? where story = ? and id = ?",
                               [new, source.id, rid])
            self._place(db, new, ids)
            self._place(db, source.id, [a for a in source.articles if a not in ids])
            return self._story(db, new)

    @staticmethod
    def _check_groupable(db: Database, articles: Sequence[str]) -> None:
        for article in articles:
            row = db.execute("select clean is not null from articles where id = ?",
                             [article]).fetchone()
            if row is None:
                raise UnknownArticleError(f"no stored article has the id {article}")
            if not row[0]:
                raise StoryEditError(f"article {article} has no text left after cleaning; "
                                     "it is in no automatic story")

    def update_stories(self) -> list[str]:
        """Assign the stored articles that have no automatic story yet (stored by a
        crossbrief older than the grouping); returns the ids of the stories changed."""
        self._prepare_clusterer()
        with self.writing() as db:
            changed, state = self._group(db)
        self._keep(state)
        return changed

    def story_list(self, kind: StoryKind | None = None) -> StoryList:
        """The library's stories as a ``crossbrief.stories/1`` document: the automatic ones in
        stream order (first seen, then id), then the named ones, newest first (or only those
        of ``kind``). Articles not yet grouped are grouped first; stored articles that
        cleaning leaves nothing of are listed as skipped."""
        from .storylist import ArticleRef, StoryList, story_entry

        if self.db.execute(
                "select 1 from articles a where a.clean is not null and a.id not in (select "
                "sa.article from story_articles sa join stories s on s.id = sa.story where "
                "s.kind = 'auto') limit 1").fetchone():
            self.update_stories()
        with self.reading() as db:
            rows: dict[str, list[ArticleRef]] = {}
            for row in db.query(
                    "select sa.story, a.id, a.input, a.title, a.source, a.published "
                    "from story_articles sa join articles a on a.id = sa.article "
                    "order by sa.story, sa.position"):
                rows.setdefault(row["story"], []).append(ArticleRef(
                    row["id"], row["input"], row["title"], row["source"], row["published"]))
            entries = []
            for wanted in ((AUTO, NAMED) if kind is None else (kind,)):
                found = [story_entry(r[0], r[4] if wanted == AUTO and r[1] == r[0] else r[1],
                                     rows.get(r[0], []), kind=wanted,
                                     name=None if r[1] == r[0] else r[1], created=r[2])
                         for r in db.execute(
                             "select id, name, created, kind, title from stories where "
                             "kind = ? order by created desc, rowid desc", [wanted])]
                if wanted == AUTO:
                    found.sort(key=lambda e: (e.first_seen or "", e.id))
                entries += found
            skipped = [Skipped(r[0], "nothing left after removing boilerplate; in no "
                                     "automatic story", "E106")
                       for r in db.execute(
                           "select input from articles where clean is null order by input, id")]
        return StoryList(entries, skipped)

    # -- rejections --

    @text_given
    def reject(self, story: str, kind: str, spans: Iterable[Span], *, note: str = "",
               about: str = "") -> Rejection:
        """Reject a wrong claim link (``kind`` "link": the spans do not state the same fact)
        or a wrong conflict ("conflict": the spans do not disagree) in ``story`` (id or
        name): stored in one transaction, respected by the story's next brief (its key
        changes) until :meth:`unreject`. The spans must lie in the story's articles' clean
        text, in at least two articles (MalformedInputError, 422, otherwise). Rejecting
        what is already rejected (the same kind, topic and the spans it holds now) returns
        the stored rejection; its id is the hash of the kind, topic (``model.topic_of``:
        a conflict of a person's ages is one apart from the clause's on the same spans) and
        spans, unless a rejection a correction moved keeps that id
        (:meth:`_free_rejection_id`)."""
        if kind not in REJECTION_KINDS:
            raise MalformedInputError(f"a rejection's kind is one of {', '.join(REJECTION_KINDS)},"
                                      f" not {str(kind)[:40]!r}")
        # The note is held to NOTE_MAX and refused when longer; ``about`` (a conflict's text
        # as the brief showed it, not a person's) is kept whole: neither is ever cut.
        note = " ".join(note.split())
        _refuse_longer(note, "a rejection's note", NOTE_MAX)
        rejection = Rejection.make(kind, spans, about=" ".join(about.split()), note=note,
                                   created=now())
        if len({s.article for s in rejection.spans}) < 2:
            raise MalformedInputError("a rejection names spans of at least two articles")
        with self.writing() as db:
            found = self._story(db, story)
            lengths = {r[0]: r[1] for r in db.execute(
                "select id, length(coalesce(clean, '')) from articles where id in "
                f"({','.join('?' * len(found.articles))})", found.articles)}
            for span in rejection.spans:
                if span.article not in lengths:
                    raise MalformedInputError(f"story {found.id} holds no article "
                                              f"{span.article[:40]!r}")
                if not 0 <= span.start < span.end <= lengths[span.article]:
                    raise MalformedInputError(
                        f"{span.start}-{span.end} is not a span of article {span.article}'s "
                        f"text ({lengths[span.article]} characters)")
            spans_json = json.dumps([{"article": s.article, "start": s.start, "end": s.end}
                                     for s in rejection.spans])
            # The same rejection: the same kind, topic and spans as it holds now (not its
            # id: one a correction re-anchored keeps the id of its first spans, which may now
            # hold other words, and rejecting those is another rejection). A person's age
            # rejected on the spans of a rejected clause conflict is another rejection.
            key = _rejection_key(rejection.kind, spans_json, rejection.about)
            row = next((r for r in db.execute(
                "select id, kind, spans, about, note, created, stale from rejections where "
                "story = ? and kind = ? and spans = ? order by id",
                [found.id, rejection.kind, spans_json])
                if _rejection_key(*r[1:4]) == key), None)
            if row is not None and row[6] is not None:
                raise StoryEditError(
                    f"story {found.id} keeps rejection {row[0]} of these spans out of force "
                    "(a correction moved the words it rejected): restore it first to reject "
                    "what they hold now")
            if row is not None:
                return _rejection(*row[:6])
            rejection = replace(rejection, id=self._free_rejection_id(db, found.id, rejection))
            db["rejections"].insert(  # type: ignore[union-attr]
                {"story": found.id, "id": rejection.id, "kind": rejection.kind,
                 "spans": spans_json,
                 "about": rejection.about, "note": rejection.note,
                 "created": rejection.created})
        return rejection

    @staticmethod
    def _free_rejection_id(db: Database, story: str, rejection: Rejection) -> str:
        """The hash of the rejection's kind, topic and spans, unless a rejection of ``story`` a
        correction re-anchored (its id kept) holds it: then the same hash with "1", "2"...
        added, the first no rejection of the story holds."""
        id, n = rejection.id, 0
        while db.execute("select 1 from rejections where story = ? and id = ?",
                         [story, id]).fetchone():
            n += 1
            id = rejection_id(rejection.kind, rejection.spans, rejection.about, str(n))
        return id

    @text_given
    def reject_link(self, story: str, claim: str, article: str, *,
                    note: str = "") -> Rejection:
        """Reject ``article``'s support of ``claim`` in the story's last brief: the link
        between its span and the claim's wording (``support[0]``; for a claim of two
        articles, the representative's article names the one link there is)."""
        found, brief = self._last_brief(story)
        entry = next((c for c in brief.get("claims", []) if c["id"] == claim), None)
        if entry is None:
            raise UnknownRejectionError(f"story {found.id}'s brief has no claim {claim[:40]!r}")
        support = [Span(s["article"], s["start"], s["end"]) for s in entry["support"]]
        mine = next((s for s in support if s.article == article), None)
        if mine is None:
            raise UnknownRejectionError(f"article {article[:40]!r} does not support claim "
                                        f"{claim}")
        if len(support) < 2:  # a claim of one article: support[1] below was an IndexError
            raise MalformedInputError(f"claim {claim} is {article}'s alone: it links no other "
                                      "article, there is no link to reject")
        if mine == support[0] and len(support) > 2:
            raise MalformedInputError(
                f"article {article} gives claim {claim} its wording: reject the link of one "
                "of the other articles")
        anchor = support[1] if mine == support[0] else support[0]
        return self.reject(found.id, "link", [anchor, mine], note=note)

    @text_given
    def reject_conflict(self, story: str, conflict: str, *, note: str = "") -> Rejection:
        """Reject a conflict (or update) of the story's last brief: none whose sides fall
        on its sides' spans is reported again."""
        found, brief = self._last_brief(story)
        entry = next((c for key in ("conflicts", "updates") for c in brief.get(key, [])
                      if c["id"] == conflict), None)
        if entry is None:
            raise UnknownRejectionError(
                f"story {found.id}'s brief has no conflict {conflict[:40]!r}")
        return self.reject(found.id, "conflict",
                           [Span(s["article"], s["start"], s["end"]) for s in entry["sides"]],
                           note=note, about=entry.get("about", ""))

    def _last_brief(self, story: str) -> tuple[LibraryStory, dict[str, Any]]:
        """A story and its last stored brief, the one a person saw (StoryEditError, 409,
        when none is stored yet)."""
        found = self.story(story)
        brief = self.stored_brief(found.id)
        if brief is None:
            raise StoryEditError(f"story {found.id} has no brief yet: open it first")
        return found, brief

    @text_given
    def unreject(self, story: str, rejection: str) -> Rejection:
        """Restore what a rejection rejected: the story's next brief is made without it.
        Returns the rejection removed (UnknownRejectionError, 404, when the story has none
        with this id)."""
        with self.writing() as db:
            found = self._story(db, story)
            row = db.execute("select kind, spans, about, note, created from rejections "
                             "where story = ? and id = ?", [found.id, rejection]).fetchone()
            if row is None:
                raise UnknownRejectionError(
                    f"story {found.id} has no rejection {rejection[:40]!r}")
            db.execute("delete from rejections where story = ? and id = ?",
                       [found.id, rejection])
        return _rejection(rejection, *row)

    @text_given
    def rejections(self, story: str | LibraryStory) -> list[Rejection]:
        """Every rejection stored with a story (id, name or :class:`LibraryStory`), by id."""
        id = story.id if isinstance(story, LibraryStory) else self.story(story).id
        return [_rejection(*row) for row in self.db.execute(
            "select id, kind, spans, about, note, created from rejections where story = ? "
            "order by id", [id])]

    @text_given
    def rejected(self, story: str | LibraryStory) -> list[dict[str, Any]]:
        """The story's rejections as a brief lists them (``rejected``: each span with its
        text), each with ``active``: whether it is in force (its spans all in the story's
        articles, and not ``stale``) and so respected by the next brief, and ``stale``:
        whether a correction moved the words it rejected where it could not follow them
        (each span's ``text`` is then the words it rejected)."""
        found = story if isinstance(story, LibraryStory) else self.story(story)
        stored = self.rejections(found)
        stale = self._stale(found.id)
        ids = sorted({s.article for r in stored for s in r.spans})
        texts = {r[0]: r[1] or "" for r in self.db.execute(
            f"select id, clean from articles where id in ({','.join('?' * len(ids))})", ids)}
        held = set(found.articles)
        listed = []
        for r in stored:
            entry = {**r.to_dict(texts), "stale": r.id in stale,
                     "active": r.id not in stale and all(s.article in held for s in r.spans)}
            if r.id in stale:  # the words rejected, not those its offsets hold now
                entry["spans"] = [{**x, "text": w} for x, w in
                                  zip(entry["spans"], stale[r.id], strict=False)]
            listed.append(entry)
        return listed

    def _stale(self, story: str) -> dict[str, list[str]]:
        """The story's rejections out of force since a correction moved their words (see
        _anchor_rejections): the words each span rejected, by rejection id."""
        return {r[0]: json.loads(r[1]) for r in self.db.execute(
            "select id, stale from rejections where story = ? and stale is not null",
            [story])}

    def active_rejections(self, story: LibraryStory) -> list[Rejection]:
        """The story's rejections in force: those whose spans all lie in its articles (one
        left on an article moved out waits, stored, for it to come back) and still hold
        the words rejected (one a correction left elsewhere waits too, see
        :meth:`correct_article`)."""
        held = set(story.articles)
        stale = self._stale(story.id)
        return [r for r in self.rejections(story)
                if r.id not in stale and all(s.article in held for s in r.spans)]

    # -- briefs --

    @text_given
    def brief(self, story: str, settings: Settings | None = None) -> dict[str, Any]:
        """The ``crossbrief.brief/1`` dict of a story (by id or name).

        Analyses the story's stored articles and stores the brief; while neither the articles,
        the settings nor the crossbrief version change, later calls return the stored brief
        without analysing. Two callers asking for the same story at once analyse it once: the
        second waits. Each article's parse is kept (table ``parses``), so a brief made again
        parses only the articles not parsed before (:mod:`crossbrief.parsecache`). A library
        another writer holds past the wait (LibraryBusyError), or one that cannot be written
        (read-only, a full disk: DatabaseError), still gets the brief, unstored (a warning is
        logged); the parse cache waits only ``parsecache.CACHE_WAIT`` for it.
        """
        return self._brief(story, settings)[0]

    def _brief(self, story: str, settings: Settings | None = None
               ) -> tuple[dict[str, Any], bool]:
        """:meth:`brief`, and whether the brief returned is the one stored."""
        settings = settings or load_settings()
        found = self.story(story)
        rejections = self.active_rejections(found)
        key = self.brief_key(found, settings, rejections)
        stored = self.stored_brief(found.id, key)
        if stored is not None:
            return stored, True
        with self._story_lock(found.id):
            stored = self.stored_brief(found.id, key)
            if stored is not None:
                return stored, True
            from .parsecache import StoredParses
            from .pipeline import run_story

            with _ANALYSIS:
                data = run_story(found.pipeline_story(self.articles(found.articles), rejections),
                                 settings, stages=_stages_of(found),
                                 parses=StoredParses(self)).to_dict()
            return data, self._keep_brief(found.id, key, data)

    def _keep_brief(self, story_id: str, key: str, data: dict[str, Any]) -> bool:
        """Store a story's brief if the library can be written now; False (a warning
        logged) when another writer holds it past the wait (LibraryBusyError) or it cannot
        be written (DatabaseError: read-only, a full disk). A brief is derived data: made
        again next time, rather than thrown away after the analysis (a page or `crossbrief
        brief` during a long ingest, a library opened read-only)."""
        try:
            self._store_brief(story_id, key, data)
        except (LibraryBusyError, DatabaseError) as exc:
            log.warning("the brief of story %s is not stored: %s", story_id, exc)
            return False
        return True

    def _store_brief(self, story_id: str, key: str, data: dict[str, Any]) -> None:
        """Store a story's brief; the one it replaces (made for other articles, corrections
        or settings) is kept as ``previous``, to say what changed since."""
        with self.writing() as db:
            old = db.execute("select key, json, created, previous, previous_created from "
                             "briefs where story = ?", [story_id]).fetchone()
            previous = (None, None) if old is None else (
                (old[1], old[2]) if old[0] != key else (old[3], old[4]))
            db["briefs"].upsert(  # type: ignore[union-attr]
                {"story": story_id, "key": key, "schema": SCHEMA, "created": now(),
                 "json": json.dumps(data, ensure_ascii=False), "previous": previous[0],
                 "previous_created": previous[1]},
                pk="story",
            )
            from .brief_tables import write_brief_tables

            write_brief_tables(db, story_id, data)

    def brief_changes(self, story: LibraryStory, settings: Settings | None = None
                      ) -> dict[str, Any] | None:
        """What the story's current stored brief says that the one it replaced did not
        (:func:`crossbrief.changes.brief_changes`, with ``since``: when the replaced one was
        made); None when no current brief is stored or it replaced none."""
        settings = settings or load_settings()
        row = self.db.execute("select key, previous, previous_created, json from briefs "
                              "where story = ?", [story.id]).fetchone()
        if row is None or row[1] is None or row[0] != self.brief_key(story, settings):
            return None
        return self._changes(story.id, row[1], self._parsed(story.id, row[3]), row[2])

    def brief_view(self, story: LibraryStory, settings: Settings | None = None) -> BriefView:
        """What a page about ``story`` shows of its brief, from one read of its row: its
        state (:meth:`brief_state`), the last brief stored (current or not, as
        :meth:`stored_brief`), what changed (:meth:`brief_changes`) and the rejections in
        force, each read once (a story page asking for them one by one parsed a large
        brief's JSON three times)."""
        settings = settings or load_settings()
        rejections = self.active_rejections(story)
        key = self.brief_key(story, settings, rejections)
        row = self.db.execute("select key, json, previous, previous_created from briefs "
                              "where story = ?", [story.id]).fetchone()
        brief = None if row is None else self._parsed(story.id, row[1])
        current = brief is not None and row[0] == key
        changes = self._changes(story.id, row[2], brief, row[3]) \
            if current and row[2] is not None else None
        return BriefView("stored" if current else self._unstored_state(story.id), brief,
                         changes, tuple(rejections))

    def _changes(self, story_id: str, previous: str, current: dict[str, Any] | None,
                 since: str | None) -> dict[str, Any] | None:
        from .changes import brief_changes

        # A damaged brief kept as the one replaced is never made again: no changes, quietly.
        before = self._parsed(story_id, previous, level=logging.DEBUG)
        if before is None or current is None:
            return None
        return {**brief_changes(before, current), "since": since}

    @staticmethod
    def _parsed(story_id: str, text: str, level: int = logging.WARNING
                ) -> dict[str, Any] | None:
        """A stored brief's JSON read; None (and a warning) when it is damaged: the story
        is then briefed again when next asked for, rather than its pages failing."""
        try:
            data = json.loads(text)
        except (ValueError, TypeError) as exc:
            data, why = None, str(exc)
        else:
            why = f"a {type(data).__name__}, not a brief"
        if isinstance(data, dict):
            return data
        log.log(level, "the stored brief of story %s cannot be read (%s); it will be made "
                "again", story_id, why)
        return None

    def brief_state(self, story: LibraryStory, settings: Settings | None = None) -> str:
        """Where the story's brief is: ``stored`` (current), ``running`` (being made by this
        process now), or ``missing`` (made when first asked for)."""
        if self.current_brief(story, settings) is not None:
            return "stored"
        return self._unstored_state(story.id)

    def _unstored_state(self, story_id: str) -> Literal["running", "missing"]:
        with self._guard:
            lock = self._story_locks.get(story_id)
        return "running" if lock is not None and lock.locked() else "missing"

    @text_given
    def briefs(
        self,
        stories: Sequence[str],
        settings: Settings | None = None,
        *,
        client: Any = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> dict[str, dict[str, Any]]:
        """The briefs of several stories (ids or names), by story id: :meth:`iter_briefs`,
        all in memory."""
        return {story: brief for story, brief, _ in
                self.iter_briefs(stories, settings, client=client, progress=progress)}

    @text_given
    def iter_briefs(
        self,
        stories: Sequence[str],
        settings: Settings | None = None,
        *,
        client: Any = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Iterator[tuple[str, dict[str, Any], bool]]:
        """``(story id, brief, stored)`` for each of several stories (ids or names), as each
        is found or made, so that a caller may keep none of them in memory: a brief with
        ``stored`` true is the one stored (read it again with :meth:`stored_brief`), one
        with ``stored`` false could not be stored (another writer held the library past the
        wait, or it cannot be written: a warning is logged) and is the caller's to keep.

        A brief already stored for the same articles, settings and version is taken as it
        is; the others are made, on the cluster behind the Dask ``client`` when one is given
        (:mod:`crossbrief.distributed`, a few stories per task), else here, and each is stored as
        it arrives, in its own transaction, by this process alone: a run that is interrupted
        and started again makes only the briefs still missing. A story whose brief fails on
        the cluster is left out (and logged); ``progress(done, total)`` counts the stories as
        their briefs are found or made.
        """
        settings = settings or load_settings()
        found = [self.story(story) for story in dict.fromkeys(stories)]
        missing = []
        rejected: dict[str, list[Rejection]] = {}
        done = 0
        for story in found:
            rejections = self.active_rejections(story)
            key = self.brief_key(story, settings, rejections)
            stored = self.stored_brief(story.id, key)
            if stored is not None:
                done += 1
                yield story.id, stored, True
            else:
                missing.append((story, key))
                if rejections:
                    rejected[story.id] = rejections
        if progress is not None and done:
            progress(done, len(found))
        if client is None:
            for story, _ in missing:
                brief, kept = self._brief(story.id, settings)
                done += 1
                if progress is not None:
                    progress(done, len(found))
                yield story.id, brief, kept
            return
        from .distributed import StoryFailure, iter_briefs
        from .parsecache import StoredParses

        # Each story's articles (and their stored parses) are read from the file only when
        # its task is submitted, so this process holds the stories in flight, not every
        # story's articles at once; the parses a task makes come back and are stored here.
        for stages in dict.fromkeys(_stages_of(story) for story, _ in missing):
            part = [(story, key) for story, key in missing if _stages_of(story) == stages]
            jobs = [story.pipeline_story(LazyArticles(self.articles, story.articles),
                                   rejected.get(story.id, ()))
                    for story, _ in part]
            for position, made in iter_briefs(jobs, settings, client, stages=stages,
                                              parses=StoredParses(self)):
                story, key = part[position]
                done += 1
                if progress is not None:
                    progress(done, len(found))
                if isinstance(made, StoryFailure):
                    log.warning("the brief of story %s failed: %s", story.id, made.reason)
                else:
                    yield story.id, made, self._keep_brief(story.id, key, made)

    @text_given_as(story_id="a story's id", key="a brief's key")
    def stored_brief(self, story_id: str, key: str | None = None) -> dict[str, Any] | None:
        """The stored brief of a story (only if computed for ``key``, when given)."""
        row = self.db.execute("select key, json from briefs where story = ?",
                              [story_id]).fetchone()
        if row is None or (key is not None and row[0] != key):
            return None
        return self._parsed(story_id, row[1])

    def _story_lock(self, id: str) -> threading.Lock:
        with self._guard:
            return self._story_locks.setdefault(id, threading.Lock())


def _stages_of(story: LibraryStory) -> tuple[str, ...]:
    """The stages a story's brief runs: an automatic story is the clustering's (or a
    person's correction of it), so the check on hand-made groups is for named ones only."""
    from .pipeline import DEFAULT_STAGES, GROUPED_STAGES

    return GROUPED_STAGES if story.kind == AUTO else DEFAULT_STAGES


def brief_key(article_ids: Sequence[str], settings: Settings,
              corrections: Sequence[str] = (), rejections: Sequence[str] = ()) -> str:
    """What a stored brief was computed from: the crossbrief version (a new release may
    analyse differently), the schema, the articles, every setting, the corrected metadata
    of any article a person corrected and the story's rejections in force
    (``Library.brief_key``; a story with neither keeps the key it had before either
    existed)."""
    from . import __version__  # read at each call: the version of the code running now

    return content_hash(__version__, SCHEMA, *sorted(article_ids),  # briefs ignore order
                        json.dumps(settings.values, sort_keys=True, default=str),
                        *sorted(corrections),
                        *(f"rejection {r}" for r in sorted(rejections)))


def _anchor_rejections(db: Database, article: str, before: str | None,
                       after: str | None) -> None:
    """Re-anchor the rejections with a span of ``article``, whose clean text a correction
    changed from ``before`` to ``after``: each such span moves to where its words (the
    text it held, or the words a rejection out of force keeps) occur in ``after``, when
    they are still at its offsets or occur exactly once; the other articles' spans must
    still hold theirs. A rejection that cannot be so is kept, out of force, with its spans
    as they were and their words (``stale``), never dropped nor left to apply to other
    words; one out of force whose words are found again is back in force. Its id stays
    (the id it was given, which the API's URLs name)."""
    rows = db.execute(
        "select story, id, spans, stale from rejections where exists (select 1 from "
        "json_each(rejections.spans) where json_extract(value, '$.article') = ?)",
        [article]).fetchall()
    if not rows:
        return
    others = sorted({s["article"] for r in rows for s in json.loads(r[2])} - {article})
    texts: dict[str, str] = {r[0]: r[1] or "" for r in db.execute(
        f"select id, clean from articles where id in ({','.join('?' * len(others))})",
        others)}
    for story, rid, stored, stale in rows:
        spans = json.loads(stored)
        words = json.loads(stale) if stale else [
            (before or "" if s["article"] == article else texts.get(s["article"], ""))[
                s["start"]:s["end"]] for s in spans]
        found = [_anchored(s, w, after or "" if s["article"] == article
                           else texts.get(s["article"], ""))
                 for s, w in zip(spans, words, strict=True)]
        moved = [m for m in found if m is not None]
        if len(moved) == len(spans):
            pairs = sorted(zip(moved, words, strict=True),
                           key=lambda p: (p[0]["article"], p[0]["start"], p[0]["end"]))
            db.execute("update rejections set spans = ?, stale = null where story = ? "
                       "and id = ?", [json.dumps([p[0] for p in pairs]), story, rid])
        elif not stale:
            db.execute("update rejections set stale = ? where story = ? and id = ?",
                       [json.dumps(words, ensure_ascii=False), story, rid])


def _anchored(span: dict[str, Any], words: str, text: str) -> dict[str, Any] | None:
    """``span`` where ``words`` are in ``text``: as it is when they are at its offsets,
    else where they occur exactly once (None: nowhere, or more than once)."""
    start, end = span["start"], span["end"]
    if words and text[start:end] == words:
        return {"article": span["article"], "start": start, "end": end}
    found = text.find(words) if words else -1
    if found < 0 or text.find(words, found + 1) >= 0:
        return None
    return {"article": span["article"], "start": found, "end": found + len(words)}


def _rejection_key(kind: str, spans: str, about: str | None) -> tuple[str, str, tuple[str, ...]]:
    """What makes two stored rejections one: kind, spans (as stored, JSON) and topic."""
    return kind, spans, topic_of(about or "")


def _rejection(id: str, kind: str, spans: str, about: str, note: str,
               created: str) -> Rejection:
    """A rejection as stored (its spans a JSON list of {article, start, end})."""
    return Rejection(id, kind, tuple(Span(s["article"], s["start"], s["end"])
                                     for s in json.loads(spans)), about, note, created)


def _title_of(db: Database, ids: Sequence[str]) -> str:
    """A story's title as the clusterer makes it: the first title of its articles in stream
    order, else the first twelve words of the first text."""
    marks = ",".join("?" * len(ids))
    rows = db.execute(f"select title, clean, id from articles where id in ({marks}) "
                      "order by coalesce(published, ''), id", list(ids)).fetchall()
    title = next((r[0].strip() for r in rows if r[0] and r[0].strip()), "")
    if not title:
        text = next((r[1].strip() for r in rows if r[1] and r[1].strip()), "")
        title = " ".join(text.split()[:12]) or (rows[0][2] if rows else "")
    return title


_STREAM_COLUMNS = "a.id, a.input, a.title, a.source, a.published, a.clean"


def _stream(row: dict[str, Any]) -> StreamArticle:
    from .stories import StreamArticle

    return StreamArticle(id=row["id"], input=row["input"], title=row["title"],
                         source=row["source"], published=row["published"], text=row["clean"])


def _stream_order(row: dict[str, Any]) -> tuple[str, str]:
    """The stream order of the story clusterer: publication date (undated first), then id."""
    return (row["published"] or "", row["id"])


def _sql_count(number: int) -> int:
    """A LIMIT or OFFSET SQLite can bind: not below 0, not above SQL_INT_MAX."""
    return min(max(0, number), SQL_INT_MAX)


def _article(row: dict[str, Any]) -> Article:
    return Article(**{c: row[c] for c in ARTICLE_COLUMNS})
