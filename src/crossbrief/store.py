"""The article library: a SQLite database of ingested articles, stories and their briefs.

Plain tables, documented in docs/database.md, readable with ``sqlite3`` or Datasette::

    articles        one row per article, keyed by its content-hash id, raw text as ingested
    articles_fts    FTS5 index over articles (title, text), kept in sync by triggers
    stories         a named group of articles (id: a hash of the name)
    story_articles  which articles a story holds, in order
    briefs          the last brief of each story, with the key it was computed for
    migrations      the schema migrations applied, in order

Every write is one ``BEGIN IMMEDIATE`` transaction, so concurrent writers (threads or
processes) queue on SQLite's lock (``busy_timeout``) instead of failing or interleaving, and a
process killed mid-write leaves the last committed state. The journal is in WAL mode: readers
never wait for the writer.

    >>> library = Library("library.db")
    >>> result = library.ingest(["articles/"])
    >>> story = library.create_story("xi-putin", result.ids)
    >>> brief = library.brief(story.id)          # a crossbrief.brief/1 dict, stored
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from .config import Settings, load_settings
from .errors import (
    DatabaseError,
    EmptyStoryError,
    LibraryNotFoundError,
    UnknownArticleError,
    UnknownStoryError,
)
from .model import SCHEMA, Article, Corpus, Skipped, content_hash

ENV_DB = "CROSSBRIEF_DB"
# Seconds a writer waits for another one to commit before giving up.
BUSY_TIMEOUT = 60.0
# The article columns stored, in order; everything else on an Article is analysis.
ARTICLE_COLUMNS = ("id", "source", "title", "url", "published", "author", "input", "encoding",
                   "text")
SEARCH_LIMIT = 20


def default_db_path() -> Path:
    """``$CROSSBRIEF_DB``, else ``library.db`` in the user's data directory (platformdirs)."""
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB])
    from platformdirs import user_data_dir

    return Path(user_data_dir("crossbrief")) / "library.db"


def now() -> str:
    """The current UTC time as ISO 8601, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


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
class Story:
    """A named group of stored articles, analysed together into one brief."""

    id: str
    name: str
    created: str
    articles: list[str]


@dataclass(frozen=True)
class SearchHit:
    """One article found by :meth:`Library.search`; ``snippet`` is plain text around a match."""

    id: str
    title: str | None
    source: str
    snippet: str


def story_id(name: str) -> str:
    """The id of a story: a hash of its name, so the same name always gets the same id."""
    return content_hash("story", name.strip())


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


@migration("0001_articles")
def _create_articles(db: Database) -> None:
    db["articles"].create(  # type: ignore[union-attr]
        {"id": str, "source": str, "title": str, "url": str, "published": str, "author": str,
         "input": str, "encoding": str, "text": str, "added": str},
        pk="id", not_null={"source", "text", "input", "added"},
    )
    db["articles"].create_index(["added"])  # type: ignore[union-attr]
    # The same table and triggers as sqlite-utils' enable_fts(["title", "text"],
    # create_triggers=True) makes (so sqlite-utils and Datasette detect the index), written
    # out because enable_fts runs executescript, which commits the open transaction: the
    # migration would no longer be atomic, and a concurrent writer could slip an article in
    # between the index and its triggers.
    for statement in (
        'CREATE VIRTUAL TABLE "articles_fts" USING FTS5 ("title", "text", content="articles")',
        'CREATE TRIGGER "articles_ai" AFTER INSERT ON "articles" BEGIN INSERT INTO '
        '"articles_fts" (rowid, "title", "text") VALUES (new.rowid, new."title", new."text"); '
        'END',
        'CREATE TRIGGER "articles_ad" AFTER DELETE ON "articles" BEGIN INSERT INTO '
        '"articles_fts" ("articles_fts", rowid, "title", "text") VALUES(\'delete\', '
        'old.rowid, old."title", old."text"); END',
        'CREATE TRIGGER "articles_au" AFTER UPDATE ON "articles" BEGIN INSERT INTO '
        '"articles_fts" ("articles_fts", rowid, "title", "text") VALUES(\'delete\', '
        'old.rowid, old."title", old."text"); INSERT INTO "articles_fts" (rowid, "title", '
        '"text") VALUES (new.rowid, new."title", new."text"); END',
        "INSERT INTO articles_fts(articles_fts) VALUES('rebuild')",
    ):
        db.execute(statement)


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
    def writing(self) -> Iterator[Database]:
        """One write transaction, taking SQLite's write lock at the start (``BEGIN
        IMMEDIATE``), so what is read inside it cannot be changed by another writer."""
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.conn.rollback()
            raise
        db.conn.commit()

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
        """Apply the migrations not applied yet, in order; returns the names applied now."""
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

    def migrations(self) -> list[str]:
        """Names of the migrations applied to this database, in order."""
        return [row["name"] for row in self.db.query(
            "select name from migrations order by name")]

    # -- articles --

    def ingest(
        self, inputs: Iterable[str], settings: Settings | None = None, **read: Any
    ) -> AddResult:
        """Read ``inputs`` (as ``crossbrief analyze`` does) and store their articles."""
        from .ingest import read_inputs

        corpus = read_inputs(inputs, settings, **read)
        result = self.add_articles(corpus.articles)
        return AddResult(result.added, result.existing, list(corpus.skipped))

    def add_articles(self, articles: Iterable[Article]) -> AddResult:
        """Store articles as ingested (raw text), in one transaction.

        An article whose id is already stored is left as it is: re-ingesting changes nothing.
        """
        unique = {a.id: a for a in articles}
        if not unique:
            return AddResult()
        added_at = now()
        with self.writing() as db:
            present = self._present(db, list(unique))
            new = [a for id, a in unique.items() if id not in present]
            db["articles"].insert_all(  # type: ignore[union-attr]
                ({**{c: getattr(a, c) for c in ARTICLE_COLUMNS}, "added": added_at}
                 for a in new),
                ignore=True,
            )
        return AddResult([a.id for a in new], [id for id in unique if id in present])

    @staticmethod
    def _present(db: Database, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        # SQLite caps the number of parameters of one statement.
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(r["id"] for r in db.query(
                f"select id from articles where id in ({marks})", chunk))
        return found

    def articles(self, ids: Sequence[str] | None = None, *, limit: int | None = None,
                 offset: int = 0) -> list[Article]:
        """Stored articles: those of ``ids`` in that order (raising UnknownArticleError for
        an id not stored), or all of them, newest first."""
        if ids is None:
            rows = self.db.query(
                f"select {', '.join(ARTICLE_COLUMNS)} from articles "
                "order by added desc, rowid desc limit ? offset ?",
                [-1 if limit is None else limit, offset])
            return [_article(row) for row in rows]
        found = {}
        for i in range(0, len(ids), 500):
            chunk = list(ids[i:i + 500])
            marks = ",".join("?" * len(chunk))
            for row in self.db.query(
                f"select {', '.join(ARTICLE_COLUMNS)} from articles where id in ({marks})",
                chunk,
            ):
                found[row["id"]] = _article(row)
        missing = [id for id in ids if id not in found]
        if missing:
            raise UnknownArticleError(f"no stored article has the id {', '.join(missing)}")
        return [found[id] for id in ids]

    def article(self, id: str) -> Article:
        """One stored article; UnknownArticleError when there is none with this id."""
        return self.articles([id])[0]

    def article_added(self, ids: Sequence[str]) -> dict[str, str]:
        """When each of ``ids`` was first stored (UTC ISO 8601)."""
        marks = ",".join("?" * len(ids))
        return {r["id"]: r["added"] for r in self.db.query(
            f"select id, added from articles where id in ({marks})", list(ids))}

    def count(self) -> int:
        """How many articles are stored."""
        return int(self.db.execute("select count(*) from articles").fetchone()[0])

    def search(self, query: str, limit: int = SEARCH_LIMIT) -> list[SearchHit]:
        """Articles matching ``query`` in their title or text, best first (FTS5, bm25).

        Every word of the query is quoted, so any text is a valid query (``"``, ``AND``,
        ``NEAR(``, ``*`` are searched for as words); all the words must appear.
        """
        # SQLite ends a string at NUL, which would leave the quoted query unterminated.
        quoted = self.db.quote_fts(query.replace("\x00", " "))
        if not quoted.strip('" '):
            return []
        rows = self.db.query(
            "select articles.id, articles.title, articles.source, "
            "snippet(articles_fts, -1, '', '', '…', 24) as snippet "
            "from articles_fts join articles on articles.rowid = articles_fts.rowid "
            "where articles_fts match ? order by articles_fts.rank limit ?",
            [quoted, max(0, limit)],
        )
        return [SearchHit(r["id"], r["title"], r["source"], r["snippet"]) for r in rows]

    # -- stories --

    def create_story(self, name: str, article_ids: Sequence[str]) -> Story:
        """Create the story ``name`` holding ``article_ids`` in order (or replace the articles
        of the story of that name). Raises UnknownArticleError for an id not stored."""
        name = name.strip()
        ids = list(dict.fromkeys(article_ids))
        if not name:
            raise EmptyStoryError("a story needs a name")
        if not ids:
            raise EmptyStoryError(f"story {name!r} needs at least one article")
        id = story_id(name)
        with self.writing() as db:
            missing = set(ids) - self._present(db, ids)
            if missing:
                raise UnknownArticleError(
                    "no stored article has the id "
                    f"{', '.join(i for i in ids if i in missing)}")
            row = db.execute("select created from stories where id = ?", [id]).fetchone()
            created = row[0] if row else now()
            if row is None:
                db["stories"].insert({"id": id, "name": name, "created": created})  # type: ignore[union-attr]
            db.execute("delete from story_articles where story = ?", [id])
            db["story_articles"].insert_all(  # type: ignore[union-attr]
                {"story": id, "article": a, "position": n} for n, a in enumerate(ids))
        return Story(id, name, created, ids)

    def story(self, key: str) -> Story:
        """The story with this id or name; UnknownStoryError when there is none."""
        row = self.db.execute(
            "select id, name, created from stories where id = ? or name = ?",
            [key, key.strip()],
        ).fetchone()
        if row is None:
            raise UnknownStoryError(f"no story has the id or name {key!r}")
        return Story(row[0], row[1], row[2], self._story_articles(row[0]))

    def stories(self) -> list[Story]:
        """Every story, newest first."""
        rows = self.db.execute(
            "select id, name, created from stories order by created desc, rowid desc").fetchall()
        return [Story(r[0], r[1], r[2], self._story_articles(r[0])) for r in rows]

    def _story_articles(self, id: str) -> list[str]:
        return [r[0] for r in self.db.execute(
            "select article from story_articles where story = ? order by position", [id])]

    # -- briefs --

    def brief(self, story: str, settings: Settings | None = None) -> dict[str, Any]:
        """The ``crossbrief.brief/1`` dict of a story (by id or name).

        Analyses the story's stored articles and stores the brief; while neither the articles,
        the settings nor the crossbrief version change, later calls return the stored brief
        without analysing. Two callers asking for the same story at once analyse it once: the
        second waits.
        """
        settings = settings or load_settings()
        found = self.story(story)
        key = brief_key(found.articles, settings)
        stored = self.stored_brief(found.id, key)
        if stored is not None:
            return stored
        with self._story_lock(found.id):
            stored = self.stored_brief(found.id, key)
            if stored is not None:
                return stored
            from .pipeline import DEFAULT_STAGES, run_stages

            corpus = Corpus(articles=self.articles(found.articles), stages=["ingest"])
            with _ANALYSIS:
                data = run_stages(corpus, DEFAULT_STAGES, settings).to_dict()
            with self.writing() as db:
                db["briefs"].upsert(  # type: ignore[union-attr]
                    {"story": found.id, "key": key, "schema": SCHEMA, "created": now(),
                     "json": json.dumps(data, ensure_ascii=False)},
                    pk="story",
                )
            return data

    def stored_brief(self, story_id: str, key: str | None = None) -> dict[str, Any] | None:
        """The stored brief of a story (only if computed for ``key``, when given)."""
        row = self.db.execute("select key, json from briefs where story = ?",
                              [story_id]).fetchone()
        if row is None or (key is not None and row[0] != key):
            return None
        data: dict[str, Any] = json.loads(row[1])
        return data

    def _story_lock(self, id: str) -> threading.Lock:
        with self._guard:
            return self._story_locks.setdefault(id, threading.Lock())


def brief_key(article_ids: Sequence[str], settings: Settings) -> str:
    """What a stored brief was computed from: the crossbrief version (a new release may
    analyse differently), the schema, the articles, every setting."""
    from . import __version__  # read at each call: the version of the code running now

    return content_hash(__version__, SCHEMA, *sorted(article_ids),  # briefs ignore order
                        json.dumps(settings.values, sort_keys=True, default=str))


def _article(row: dict[str, Any]) -> Article:
    return Article(**{c: row[c] for c in ARTICLE_COLUMNS})
