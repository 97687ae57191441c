"""A run's articles and briefs on disk instead of in memory: ``crossbrief stories INPUT...``.

A :class:`Spill` is a SQLite file in a temporary directory of its own, removed when the spill
is closed (at the end of the run, also on an error or Ctrl-C). ``crossbrief stories`` writes
each article there as soon as it is read and cleaned, and each story's brief as soon as it is
made, and keeps in memory only what grouping and the output's order need; a story's articles
are read back when its brief is made (:func:`spilled_articles`, one task's stories at a time
on a cluster), its brief when the output reaches it (docs/scale.md, "Memory").

Nothing here outlives the run or is shared with another process: the file is private to the
run (its directory is created readable by its owner alone), so articles are kept as pickles
(exact, and the fastest to read back) and briefs as the JSON documents they are.
"""

from __future__ import annotations

import contextlib
import json
import pickle
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from .errors import DatabaseError
from .model import Article, LazyArticles
from .sqlbatch import batches, marks


@contextlib.contextmanager
def _named(directory: Path | str | None) -> Iterator[None]:
    """A failure of the file itself (a full disk, an unwritable temporary directory) is a
    crossbrief error that says where, not a traceback."""
    try:
        yield
    except (sqlite3.Error, OSError) as exc:
        where = directory or tempfile.gettempdir()
        raise DatabaseError(f"the run's temporary file in {where} failed: {exc} (set TMPDIR "
                            "to a directory with room)") from exc


class Spill:
    """Articles (by position in the order read) and briefs (by story position) of one run, in
    a temporary SQLite file. Not thread-safe: one run, one thread (SQLite's own check)."""

    def __init__(self, directory: str | Path | None = None) -> None:
        with _named(directory):
            self.directory = Path(tempfile.mkdtemp(prefix="crossbrief-spill-", dir=directory))
        try:
            with _named(self.directory):
                self.db = sqlite3.connect(self.directory / "spill.db", isolation_level=None)
                # A scratch file: nothing to recover after a crash: no journal, no syncs.
                self.db.execute("pragma journal_mode = off")
                self.db.execute("pragma synchronous = off")
                self.db.execute("create table articles (seq integer primary key, "
                                "data blob not null)")
                self.db.execute("create table briefs (position integer primary key, "
                                "data text not null)")
        except BaseException:
            shutil.rmtree(self.directory, ignore_errors=True)
            raise
        self.closed = False

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Remove the file and its directory (again: nothing)."""
        if self.closed:
            return
        self.closed = True
        try:
            self.db.close()
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)

    def put_article(self, seq: int, article: Article) -> None:
        """Keep ``article`` (as read and cleaned; no parse) under its position ``seq``."""
        with _named(self.directory):
            self.db.execute("insert into articles (seq, data) values (?, ?)",
                            [seq, pickle.dumps(article, pickle.HIGHEST_PROTOCOL)])

    def articles(self, seqs: Sequence[int]) -> list[Article]:
        """The articles kept under ``seqs``, in that order (KeyError for one never kept)."""
        found: dict[int, Article] = {}
        for chunk in batches(seqs):
            with _named(self.directory):
                rows = self.db.execute(
                    f"select seq, data from articles where seq in ({marks(chunk)})",
                    chunk).fetchall()
            for seq, data in rows:
                found[seq] = pickle.loads(data)  # this run's own file (module docstring)
        return [found[seq] for seq in seqs]

    def put_brief(self, position: int, brief: dict[str, Any]) -> None:
        """Keep the ``crossbrief.brief/1`` document of the story at ``position``."""
        with _named(self.directory):
            self.db.execute("insert or replace into briefs (position, data) values (?, ?)",
                            [position, json.dumps(brief, ensure_ascii=False)])

    def brief(self, position: int) -> dict[str, Any] | None:
        """The brief kept for the story at ``position``, if any."""
        with _named(self.directory):
            row = self.db.execute("select data from briefs where position = ?",
                                  [position]).fetchone()
        if row is None:
            return None
        data: dict[str, Any] = json.loads(row[0])
        return data


def spilled_articles(spill: Spill, seqs: Sequence[int]) -> LazyArticles[int]:
    """A story's articles, read from the spill each time they are iterated (a cluster task
    reads them when it is submitted); their number is known without reading them."""
    return LazyArticles(spill.articles, seqs)
