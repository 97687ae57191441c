"""The library's briefs as tables: claims, their support, quotes, conflicts and their sides,
the timeline and its support.

A stored brief is one JSON document (``briefs.json``). These tables hold the same claims,
quotes, conflicts and timeline as rows with foreign keys to ``stories`` and ``articles``, so
the whole library can be browsed, filtered, joined and exported with SQL or Datasette
(``datasette library.db``): every claim of every story, which outlets support it, every quote
of a speaker across stories, every dated event. They are written in the same transaction
as the brief they come from, replacing that story's rows (:func:`write_brief_tables`), and
filled from the briefs already stored when a library is first opened by a crossbrief that
has them (migrations ``0009_brief_tables`` and ``0011_timeline_tables``,
:func:`create_brief_tables`). docs/database.md describes each column.

A claim's or a conflict's id in a brief is a hash of its content, so the same claim may
appear in two stories' briefs: each row's ``id`` is a hash of the story and that id, and the
brief's own id is kept beside it (``claim``, ``quote``, ``conflict``: the ids of the JSON
and of the CSV exports of crossbrief.tables). A timeline entry has no id in the brief: its
row's is a hash of the story, its date, its text and its spans.

Every row that shows words keeps its citation: ``article``, ``start`` and ``end`` index
that article's clean text, as in the brief.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from .model import content_hash
from .sqlbatch import batches, marks
from .tables import article_outlets

log = logging.getLogger("crossbrief")

# Child tables first: the order rows are deleted in (and the reverse of creation and of
# writing, so that a row's parent is always written before it: a timeline entry names a
# conflict, a conflict its claim).
TABLE_NAMES = ("timeline_support", "timeline", "conflict_sides", "conflicts", "claim_support",
               "claims", "quotes")
# The tables each migration created (a library made before 0011 has only the first five).
MIGRATION_TABLES = {
    "0009_brief_tables": ("claim_support", "claims", "conflict_sides", "conflicts", "quotes"),
    "0011_timeline_tables": ("timeline_support", "timeline"),
}

# Written out rather than through sqlite-utils' create(foreign_keys=...), which cannot say
# ON DELETE CASCADE: a story deleted by a merge or a move then takes its rows with it (the
# library enforces foreign keys), as it takes its brief. Datasette reads the same REFERENCES.
_STORY = 'REFERENCES "stories"("id") ON DELETE CASCADE'
# The columns of a row that cites an article's words (a claim's support, a quote, a side).
_CITED = f'''"story" TEXT NOT NULL {_STORY},
        "article" TEXT NOT NULL REFERENCES "articles"("id") ON DELETE CASCADE,
        "outlet" TEXT,
        "start" INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        "text" TEXT'''
_SCHEMA = {
    "claims": f"""CREATE TABLE "claims" (
        "id" TEXT PRIMARY KEY,
        "story" TEXT NOT NULL {_STORY},
        "claim" TEXT NOT NULL,
        "position" INTEGER NOT NULL,
        "text" TEXT,
        "status" TEXT,
        "independent" INTEGER,
        "articles" INTEGER NOT NULL
    )""",
    "claim_support": f"""CREATE TABLE "claim_support" (
        "claim" TEXT NOT NULL REFERENCES "claims"("id") ON DELETE CASCADE,
        "position" INTEGER NOT NULL,
        {_CITED},
        "score" REAL,
        PRIMARY KEY ("claim", "position")
    )""",
    "quotes": f"""CREATE TABLE "quotes" (
        "id" TEXT PRIMARY KEY,
        "quote" TEXT NOT NULL,
        "position" INTEGER NOT NULL,
        {_CITED},
        "speaker" TEXT,
        "cue" TEXT,
        "fragment" INTEGER,
        "carried_by" TEXT
    )""",
    "conflicts": f"""CREATE TABLE "conflicts" (
        "id" TEXT PRIMARY KEY,
        "story" TEXT NOT NULL {_STORY},
        "conflict" TEXT NOT NULL,
        "position" INTEGER NOT NULL,
        "update" INTEGER NOT NULL,
        "kind" TEXT,
        "about" TEXT,
        "claim" TEXT REFERENCES "claims"("id") ON DELETE SET NULL
    )""",
    "conflict_sides": f"""CREATE TABLE "conflict_sides" (
        "conflict" TEXT NOT NULL REFERENCES "conflicts"("id") ON DELETE CASCADE,
        "position" INTEGER NOT NULL,
        {_CITED},
        "value" TEXT,
        PRIMARY KEY ("conflict", "position")
    )""",
    "timeline": f"""CREATE TABLE "timeline" (
        "id" TEXT PRIMARY KEY,
        "story" TEXT NOT NULL {_STORY},
        "position" INTEGER NOT NULL,
        "date" TEXT NOT NULL,
        "text" TEXT,
        "articles" INTEGER NOT NULL,
        "conflict" TEXT REFERENCES "conflicts"("id") ON DELETE SET NULL
    )""",
    "timeline_support": f"""CREATE TABLE "timeline_support" (
        "entry" TEXT NOT NULL REFERENCES "timeline"("id") ON DELETE CASCADE,
        "position" INTEGER NOT NULL,
        {_CITED},
        PRIMARY KEY ("entry", "position")
    )""",
}
# The links a row may lack (ON DELETE SET NULL): (table, column, the table it names).
_OPTIONAL_LINKS = (("conflicts", "claim", "claims"), ("timeline", "conflict", "conflicts"))
# Every foreign key column is indexed: a story's rows are found (and deleted) by ``story``,
# an article's by ``article``, and a cascade looks up the child rows of the parent it deletes.
_INDEXES = {
    "claims": (("story", "position"),),
    "claim_support": (("story",), ("article",)),
    "quotes": (("story", "position"), ("article",), ("speaker",)),
    "conflicts": (("story", "position"), ("claim",)),
    "conflict_sides": (("story",), ("article",)),
    "timeline": (("story", "position"), ("conflict",)),
    "timeline_support": (("story",), ("article",)),
}


def create_brief_tables(db: Database, tables: Iterable[str] = TABLE_NAMES) -> None:
    """Create ``tables`` (in the caller's transaction) and fill them from every stored
    brief: migrations ``0009_brief_tables`` and ``0011_timeline_tables``, each with the
    tables it adds (:data:`MIGRATION_TABLES`)."""
    wanted = set(tables)
    tables = tuple(t for t in TABLE_NAMES if t in wanted)  # parents created first
    for table in reversed(tables):
        db.execute(_SCHEMA[table])
    for table in tables:
        for columns in _INDEXES[table]:
            db.execute(f'CREATE INDEX "idx_{table}_{"_".join(columns)}" ON "{table}" '
                       f'({", ".join(_quoted(columns))})')
    for story, text in db.execute("select story, json from briefs order by story").fetchall():
        # A stored brief this cannot read (damaged, of a shape no crossbrief wrote, or
        # citing rows that are not there) leaves its story's rows empty until the story's
        # next brief, rather than the library unopenable: the savepoint undoes what part of
        # it was written.
        db.execute("SAVEPOINT brief_rows")
        try:
            write_brief_tables(db, story, json.loads(text), tables)
        except (ValueError, KeyError, TypeError, AttributeError,
                sqlite3.IntegrityError) as exc:
            db.execute("ROLLBACK TO brief_rows")
            log.warning("the stored brief of story %s cannot be read (%s: %s); its rows "
                        "are left out until its next brief", story, type(exc).__name__, exc)
        db.execute("RELEASE brief_rows")


def write_brief_tables(db: Database, story: str, brief: dict[str, Any],
                       tables: Iterable[str] = TABLE_NAMES) -> None:
    """Replace the story's rows with those of ``brief`` (a ``crossbrief.brief/1`` dict), in
    the caller's transaction (the one storing the brief); ``tables``: only those (a
    migration filling the tables it adds).

    A span of an article the library does not hold (none, for a brief the library made) is
    left out, and logged: the tables' foreign keys hold, and the brief's JSON keeps it.
    """
    wanted = set(tables)
    tables = tuple(t for t in TABLE_NAMES if t in wanted)
    for table in tables:
        db.execute(f'DELETE FROM "{table}" WHERE "story" = ?', [story])
    outlets = article_outlets(brief)
    known = _stored_articles(db, outlets)
    rows = brief_rows(story, brief, outlets)
    for table, column, parent in _OPTIONAL_LINKS:
        if table in tables and parent not in tables:
            # The parent's rows were written earlier (a migration filling the tables it
            # adds), perhaps by a crossbrief that wrote a later brief's: a row names its
            # parent only where that row is there.
            there = {r[0] for r in db.execute(f'SELECT "id" FROM "{parent}" WHERE "story" = ?',
                                              [story])}
            for row in rows[table]:
                if row[column] not in there:
                    row[column] = None
    dropped = 0
    for table in reversed(tables):
        kept = [r for r in rows[table] if "article" not in r or r["article"] in known]
        dropped += len(rows[table]) - len(kept)
        if kept:
            # A brief names each claim, quote and conflict once; should one come twice, the
            # first row stands (same id, same content) rather than the brief failing to store.
            # Plain executemany: sqlite-utils' insert_all reads the table's schema on every
            # call, which made filling the tables from 700 stored briefs of the bundled
            # example take 16.5 s rather than 8.9 s (a third of that parsing the JSON).
            columns = list(kept[0])
            db.conn.executemany(
                f'INSERT OR IGNORE INTO "{table}" ({", ".join(_quoted(columns))}) '
                f'VALUES ({", ".join("?" * len(columns))})',
                [[row[c] for c in columns] for row in kept])
    if dropped:
        log.warning("story %s: %d rows of its brief cite articles not in the library; "
                    "left out of its tables", story, dropped)


def brief_rows(story: str, brief: dict[str, Any],
               outlets: dict[str, str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """The rows of each table for one story's brief, in the brief's order."""
    outlets = article_outlets(brief) if outlets is None else outlets
    claims: list[dict[str, Any]] = []
    support: list[dict[str, Any]] = []
    claim_rows: dict[str, str] = {}
    for position, claim in enumerate(brief.get("claims", [])):
        row_id = _row_id("claim", story, claim["id"])
        claim_rows[claim["id"]] = row_id
        spans = claim.get("support", [])
        claims.append({"id": row_id, "story": story, "claim": claim["id"],
                       "position": position, "text": claim.get("text"),
                       "status": claim.get("status"), "independent": claim.get("independent"),
                       "articles": len({s["article"] for s in spans})})
        support.extend(
            {"claim": row_id, "position": n, "story": story, **_span(span, outlets),
             "score": (span.get("evidence") or {}).get("score")}
            for n, span in enumerate(spans))
    quotes = [
        {"id": _row_id("quote", story, quote["id"], quote["article"], str(quote["start"])),
         "story": story, "quote": quote["id"], "position": position,
         **_span(quote, outlets), "speaker": quote.get("speaker"), "cue": quote.get("cue"),
         "fragment": quote.get("fragment"),
         "carried_by": json.dumps(quote.get("carried_by") or [])}
        for position, quote in enumerate(brief.get("quotes", []))]
    conflicts: list[dict[str, Any]] = []
    sides: list[dict[str, Any]] = []
    found = [(False, c) for c in brief.get("conflicts", [])]
    found += [(True, c) for c in brief.get("updates", [])]
    conflict_rows: dict[str, str] = {}
    for position, (update, conflict) in enumerate(found):
        row_id = _row_id("update" if update else "conflict", story, conflict["id"])
        conflict_rows.setdefault(conflict["id"], row_id)
        conflicts.append({"id": row_id, "story": story, "conflict": conflict["id"],
                          "position": position, "update": update,
                          "kind": conflict.get("kind"), "about": conflict.get("about"),
                          "claim": claim_rows.get(conflict.get("claim") or "")})
        sides.extend({"conflict": row_id, "position": n, "story": story,
                      **_span(side, outlets), "value": side.get("value")}
                     for n, side in enumerate(conflict.get("sides", [])))
    timeline: list[dict[str, Any]] = []
    timeline_support: list[dict[str, Any]] = []
    for position, entry in enumerate(brief.get("timeline", [])):
        spans = entry.get("support", [])
        # An entry has no id of its own in the brief: its date, its words and where it is
        # said make it (two entries alike in all three are one row).
        row_id = _row_id("timeline", story, entry["date"], entry.get("text") or "",
                         *(f"{s['article']}:{s['start']}:{s['end']}" for s in spans))
        timeline.append({"id": row_id, "story": story, "position": position,
                         "date": entry["date"], "text": entry.get("text"),
                         "articles": len({s["article"] for s in spans}),
                         "conflict": conflict_rows.get(entry.get("conflict") or "")})
        timeline_support.extend({"entry": row_id, "position": n, "story": story,
                                 **_span(span, outlets)} for n, span in enumerate(spans))
    return {"claims": claims, "claim_support": support, "quotes": quotes,
            "conflicts": conflicts, "conflict_sides": sides, "timeline": timeline,
            "timeline_support": timeline_support}


def _quoted(columns: Iterable[str]) -> list[str]:
    return ['"' + c + '"' for c in columns]


def _row_id(kind: str, story: str, *parts: str) -> str:
    return content_hash(f"brief table {kind}", story, *parts)


def _span(span: dict[str, Any], outlets: dict[str, str]) -> dict[str, Any]:
    return {"article": span["article"], "outlet": outlets.get(span["article"]),
            "start": span["start"], "end": span["end"], "text": span.get("text")}


def _stored_articles(db: Database, ids: Iterable[str]) -> set[str]:
    wanted = list(ids)
    found: set[str] = set()
    for part in batches(wanted):
        found.update(r[0] for r in db.execute(
            f"select id from articles where id in ({marks(part)})", part))
    return found
