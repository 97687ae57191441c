from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

import crossbrief.pipeline
from crossbrief.cli import example_path
from crossbrief.config import load_settings
from crossbrief.errors import (
    DatabaseError,
    EmptyStoryError,
    LibraryBusyError,
    LibraryNotFoundError,
    MalformedInputError,
    UnknownArticleError,
    UnknownStoryError,
)
from crossbrief.ingest import read_inputs
from crossbrief.model import Article, Span, article_id
from crossbrief.store import (
    ARTICLE_COLUMNS,
    MIGRATIONS,
    NAME_MAX,
    TITLE_MAX,
    Library,
    LibraryStory,
    brief_key,
    clean_article_text,
    default_db_path,
    story_id,
)

from .conftest import ROOT

HOSTILE_QUERIES = ['"', '""', '"unbalanced', "AND OR", "AND", "NOT", "*", "NEAR(", "NEAR(a b",
                   "a:b", "title:", "(", ")", "^", "-", "+", "'", "\\", "Xi AND", "* OR *",
                   "\x00", "Putin\"s", "{text}: x", "", "   "]


def example_texts() -> list[str]:
    """The bundled example's articles, as real text to build many distinct articles from."""
    return [a.text for a in read_inputs([str(example_path())]).articles]


def variant(texts: list[str], n: int) -> Article:
    """A distinct article (its own id) made of real text and a marker word of its own."""
    text = f"{texts[n % len(texts)]}\n\nUpdate {n}: marker{n} reported."
    return Article(id=article_id(text), source=f"outlet{n % 7}", text=text, input=f"v{n}.txt",
                   title=f"Variant {n}")


@pytest.fixture()
def library(tmp_path: Path) -> Library:
    return Library(tmp_path / "library.db")


@pytest.fixture(scope="module")
def seed_library(tmp_path_factory: pytest.TempPathFactory, seed_dir: Path) -> Library:
    """The seed corpus in a library, with the story "xi-putin" and its brief (once)."""
    library = Library(tmp_path_factory.mktemp("store") / "library.db")
    result = library.ingest([str(seed_dir)])
    library.create_story("xi-putin", result.ids)
    library.brief("xi-putin")
    return library


def test_migrations_are_recorded_and_applied_once(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    library = Library(path)
    names = [name for name, _ in MIGRATIONS]
    assert library.migrations() == names
    assert library.migrate() == []
    library.close()
    again = Library(path)
    assert again.migrate() == [] and again.migrations() == names
    tables = set(again.db.table_names())
    assert {"articles", "articles_fts", "stories", "story_articles", "briefs",
            "migrations"} <= tables
    assert again.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert again.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    # sqlite-utils (and so Datasette) recognise the full-text index
    assert again.db["articles"].detect_fts() == "articles_fts"


def test_a_library_that_ran_the_first_separation_migration_loses_its_table(
        tmp_path: Path) -> None:
    """Migration 0012 was first named 0012_apart and made a table ``apart``; a library that
    ran it gets the new tables, and the unused one is dropped."""
    path = tmp_path / "l.db"
    db = Database(path)
    db["migrations"].create({"name": str, "applied": str}, pk="name")
    for name, func in [(n, f) for n, f in MIGRATIONS if n < "0012"]:
        func(db)
        db["migrations"].insert({"name": name, "applied": "2026-01-01T00:00:00+00:00"})
    db.execute('CREATE TABLE "apart" ("a" TEXT NOT NULL, "b" TEXT NOT NULL)')
    db["migrations"].insert({"name": "0012_apart", "applied": "2026-01-01T00:00:00+00:00"})
    db.close()
    with Library(path) as library:
        tables = set(library.db.table_names())
        assert "apart" not in tables and {"separation", "separation_side"} <= tables


def test_a_library_story_is_not_the_pipeline_story(seed_library: Library) -> None:
    """The library's record of a story (ids) makes the pipeline's Story (articles); the
    record's old name, store.Story, still imports."""
    import crossbrief
    from crossbrief import store

    [first] = [s for s in seed_library.stories() if len(s.articles) > 1][:1]
    assert store.Story is LibraryStory and isinstance(first, LibraryStory)
    story = first.pipeline_story(seed_library.articles(first.articles))
    assert isinstance(story, crossbrief.Story) and story.id == first.id
    assert [a.id for a in story.articles] == first.articles


def test_search_finds_what_articles_say_not_their_boilerplate(seed_library: Library) -> None:
    """Issue 15: ingest stored no titles, and search matched the related-stories teaser that
    the clean stage removes ("shark attack" in a seed article's page furniture)."""
    assert seed_library.search("shark attack") == []
    titles = {a.title for a in seed_library.articles()}
    assert None not in {a.title for a in seed_library.articles() if "000_" not in a.input}
    assert "Xi Jinping meets Vladimir Putin in Moscow" in titles


def test_a_limit_or_offset_past_what_sqlite_binds_is_no_crash(seed_library: Library) -> None:
    # `crossbrief search -n 99999999999999999999999` and `GET /api/articles?offset=1e23`
    # crashed with "OverflowError: Python int too large to convert to SQLite INTEGER".
    huge = 10**23
    assert seed_library.search("Putin", huge) == seed_library.search("Putin", 1000)
    assert len(seed_library.articles(limit=huge)) == seed_library.count()
    assert seed_library.articles(limit=5, offset=huge) == []
    assert len(seed_library.recent_stories(limit=huge)) == seed_library.count_stories()


def test_an_older_library_is_brought_up_to_date(tmp_path: Path, seed_dir: Path) -> None:
    """A library made before the grouping (migrations 0001-0003, raw text only, no titles)
    gets clean text and titles when opened, and its articles their automatic stories."""
    path = tmp_path / "old.db"
    db = Database(path)
    db["migrations"].create({"name": str, "applied": str}, pk="name")
    articles = read_inputs([str(seed_dir)]).articles
    for name, func in MIGRATIONS[:3]:
        func(db)
        db["migrations"].insert({"name": name, "applied": "2025-01-01T00:00:00+00:00"})
    db["articles"].insert_all({**{c: getattr(a, c) for c in ARTICLE_COLUMNS},
                               "added": "2025-01-01T00:00:00+00:00"} for a in articles)
    db["stories"].insert({"id": story_id("old"), "name": "old", "created": "2025"})
    db["story_articles"].insert({"story": story_id("old"), "article": articles[0].id,
                                 "position": 0})
    assert db["articles"].detect_fts() and len(list(db.query(
        "select rowid from articles_fts where articles_fts match '\"shark\"'"))) == 1
    db.close()
    with Library(path) as library:
        assert library.migrations() == [name for name, _ in MIGRATIONS]
        assert library.search("shark attack") == [] and len(library.search("Putin")) == 5
        assert library.db["articles"].detect_fts() == "articles_fts"
        assert sum(a.title is not None for a in library.articles()) == 4
        assert library.story("old").articles == [articles[0].id]  # named stories keep working
        listed = library.story_list()
        grouped = [a.id for s in listed.stories if s.kind == "auto" for a in s.articles]
        assert sorted(grouped) == sorted(a.id for a in articles)
        assert [s.name for s in listed.stories if s.kind == "named"] == ["old"]


def test_grouping_is_the_same_whichever_process_ingests(tmp_path: Path, seed_dir: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A library keeps its clusterer between ingests (seeding a new one reads every stored
    article); one that re-seeds (another process, another writer in between) ends with the
    same stories."""
    import crossbrief.stories

    made: list[int] = []

    class Counting(crossbrief.stories.StoryClusterer):
        def __init__(self, **options: Any) -> None:
            made.append(1)
            super().__init__(**options)

    monkeypatch.setattr(crossbrief.stories, "StoryClusterer", Counting)
    articles = read_inputs([str(seed_dir), str(example_path())]).articles
    batches = [articles[0::3], articles[1::3], articles[2::3]]
    kept = Library(tmp_path / "kept.db")
    for batch in batches:
        kept.add_articles(batch)
    assert len(made) == 1
    for n, batch in enumerate(batches):
        with Library(tmp_path / "fresh.db") as fresh:  # a process of its own each time
            fresh.add_articles(batch)
        assert len(made) == 2 + n
    def grouping(library: Library) -> list[tuple[str, str | None, list[str]]]:
        return [(s.id, s.title, [a.id for a in s.articles]) for s in library.story_list().stories]

    with Library(tmp_path / "fresh.db") as fresh:
        assert grouping(fresh) == grouping(kept)
    with Library(tmp_path / "kept.db") as other:  # another writer changes the grouping
        other.add_articles([variant([articles[0].text], 1)])
    assert len(made) == 5
    kept.add_articles([variant([articles[1].text], 2)])  # so the kept clusterer is stale
    assert len(made) == 6
    kept.close()


def test_a_correction_reaches_the_grouping_whichever_process_ingests(tmp_path: Path) -> None:
    """A corrected date (title, outlet) is what the next ingest groups by, in the process
    that corrected it (whose kept clusterer read the old value) as in another: a report
    first stored as of 2020 and corrected to 2024-03-01 is joined by its follow-up of
    2024-03-02 either way (the kept clusterer once left it alone: 4 years apart)."""
    from .test_stories import HARLOW_1, HARLOW_2

    first, second = (Article(id=article_id(s.text), input=s.input, text=s.text, title=s.title,
                             source=s.source, published=published)
                     for s, published in ((HARLOW_1, "2020-01-01"), (HARLOW_2, "2024-03-02")))
    found = []
    for name in ("kept", "fresh"):
        library = Library(tmp_path / f"{name}.db")
        library.add_articles([first])
        version = library.db.execute("select version from grouping").fetchone()[0]
        library.correct_article(first.id, published="2020-01-01")  # no change: clusterer kept
        assert library.db.execute("select version from grouping").fetchone()[0] == version
        library.correct_article(first.id, published="2024-03-01")
        if name == "fresh":  # another process ingests next
            library.close()
            library = Library(tmp_path / f"{name}.db")
        library.add_articles([second])
        found.append([(s.id, s.title, [a.id for a in s.articles])
                      for s in library.story_list().stories])
        library.close()
    assert found[0] == found[1]
    assert [ids for _, _, ids in found[0]] == [[first.id, second.id]]


def test_a_correction_that_changes_nothing_is_no_correction(tmp_path: Path) -> None:
    """The article page's form sends all three fields back as shown: a title stored as
    ingested ("Man killed  in shooting\non Dunmore Street ") and sent back unchanged, which
    a correction would normalise to the same words, is no change (review R22: it wrote a
    corrections row and counted a new grouping version, seeding the clusterer again)."""
    from .test_stories import HARLOW_1

    article = Article(id=article_id(HARLOW_1.text), input=HARLOW_1.input, text=HARLOW_1.text,
                      title="Man killed  in shooting\non Dunmore Street ", source=" WDLV ",
                      published="2024-03-01")
    with Library(tmp_path / "x.db") as library:
        library.add_articles([article])
        version = library.db.execute("select version from grouping").fetchone()[0]
        stored = library.article(article.id)
        library.correct_article(article.id, source=stored.source, title=stored.title,
                                published=stored.published)
        library.correct_article(article.id, title="Man killed in shooting on Dunmore Street")
        assert library.db.execute("select version from grouping").fetchone()[0] == version
        assert library.corrected([article.id]) == {}
        assert library.article(article.id).title == stored.title
        library.correct_article(article.id, title="Man killed on Dunmore Street")
        assert library.db.execute("select version from grouping").fetchone()[0] == version + 1
        assert library.corrected([article.id])[article.id]["title"] == stored.title
        # the same letters in another Unicode form (a combining accent) are no change
        library.correct_article(article.id, title="Man killed at Café Rosa")
        assert library.db.execute("select version from grouping").fetchone()[0] == version + 2
        library.correct_article(article.id, title=unicodedata.normalize(
            "NFD", "Man killed at Café Rosa"))
        assert library.db.execute("select version from grouping").fetchone()[0] == version + 2
        assert library.article(article.id).title == "Man killed at Café Rosa"
        # a correction is one line as ingest keeps it: no NUL, no terminal colour
        library.correct_article(article.id, source="W\x00DLV",
                                title="Man killed at \x1b[31mCafé\x1b[0m Rosa\u2028today")
        stored = library.article(article.id)
        assert (stored.source, stored.title) == ("W DLV", "Man killed at Café Rosa today")


def test_a_correction_of_the_title_makes_the_clean_text_again(tmp_path: Path) -> None:
    """Cleaning cuts a first line that repeats the title; a corrected title no longer
    matches it, so the line is text again. The stored clean text (what search finds and the
    Rejected list quotes) is then the one a brief and the article page make (review R1 1)."""
    title = "Bridge to close for repairs"
    text = (f"{title}\n\nThe Maravel bridge will close on Monday after inspectors found "
            "cracks in the deck, officials said.\n\nRepairs will take six weeks.")
    article = Article(id=article_id(text), input="a.txt", text=text, title=title,
                      source="Harbour Courier")
    with Library(tmp_path / "x.db") as library:
        library.add_articles([article])

        def stored_clean() -> str:
            return str(library.db.execute("select clean from articles where id = ?",
                                          [article.id]).fetchone()[0])

        assert not stored_clean().startswith(title)
        library.correct_article(article.id, title="Something else entirely")
        assert stored_clean() == clean_article_text(library.article(article.id))[0]
        assert stored_clean().startswith(title)
        assert [h.id for h in library.search("close for repairs")] == [article.id]


def test_a_date_sent_again_in_another_spelling_is_no_correction(tmp_path: Path) -> None:
    """Review R28: the grouping reads a date's day, and a date alone, or one at midnight UTC
    or without an offset (a date sent through a datetime type: JavaScript's toISOString), is
    that day; any other datetime is its instant, whatever the offset it is written in. The
    same day or instant sent again in another spelling is no change (it wrote a corrections
    row and counted a new grouping version); a different day, time or instant still is."""
    from .test_stories import HARLOW_1

    def stored_as(published: str, n: int) -> Article:
        text = f"{HARLOW_1.text} ({n})"
        return Article(id=article_id(text), input=HARLOW_1.input, text=text,
                       title=HARLOW_1.title, source=HARLOW_1.source, published=published)

    same = {"2024-03-01": ["2024-03-01T00:00:00+00:00", "2024-03-01T00:00:00Z",
                           "2024-03-01T00:00:00.000Z", "2024-03-01T00:00:00", "March 1, 2024",
                           "Fri, 01 Mar 2024 00:00:00 +0000", " 2024-03-01 "],
            "2024-03-01T00:00:00+00:00": ["2024-03-01", "2024-03-01T00:00:00Z"],
            "2024-03-01T10:00:00+01:00": ["2024-03-01T09:00:00Z", "2024-03-01T09:00:00+00:00",
                                          "2024-03-01T04:00:00-05:00"]}
    articles = [stored_as(published, n) for n, published in enumerate(same)]
    with Library(tmp_path / "x.db") as library:
        library.add_articles(articles)
        version = library.db.execute("select version from grouping").fetchone()[0]
        for article, sent in zip(articles, same.values(), strict=True):
            for value in sent:
                library.correct_article(article.id, published=value)
            assert library.article(article.id).published == article.published
        assert library.db.execute("select version from grouping").fetchone()[0] == version
        assert library.corrected([a.id for a in articles]) == {}
        first = articles[0].id
        for value in ("2024-03-02", "2024-03-02T10:00:00+00:00", "2024-03-02T10:00:00+01:00",
                      "2024-03-02T00:00:00+05:00", "2024-03-02", ""):
            library.correct_article(first, published=value)
            assert library.article(first).published == (value or None)
            version += 1
            assert library.db.execute("select version from grouping").fetchone()[0] == version
        with pytest.raises(MalformedInputError, match="not a date"):
            library.correct_article(first, published="2024-03-01" + " " * 200)


def test_a_long_title_is_never_cut_by_a_correction(tmp_path: Path) -> None:
    """Review R28: a correction cut a title to 500 characters, so a person's edit past that
    point was silently no change and one before it lost the rest. A title (outlet) that
    changes to one longer than the limit is refused whole; a longer one ingest stored is
    left as it is by a correction of something else, or sent back unchanged."""
    from .test_stories import HARLOW_1

    title = "Word " * 150  # ingest takes any length
    article = Article(id=article_id(HARLOW_1.text), input=HARLOW_1.input, text=HARLOW_1.text,
                      title=title, source="S" * 300, published="2024-03-01")
    with Library(tmp_path / "x.db") as library:
        library.add_articles([article])
        version = library.db.execute("select version from grouping").fetchone()[0]
        library.correct_article(article.id, source="S" * 300, title=" ".join(title.split()))
        assert library.corrected([article.id]) == {}
        for edit, what in ((" ".join(title.split()) + " Extra", "a title"),
                           ("Changed " + title, "a title")):
            with pytest.raises(MalformedInputError, match=f"{what} is at most 500 characters"):
                library.correct_article(article.id, source="Other", title=edit)
        with pytest.raises(MalformedInputError, match="an outlet is at most 200 characters"):
            library.correct_article(article.id, source="T" * 201)
        assert library.db.execute("select version from grouping").fetchone()[0] == version
        assert (library.article(article.id).title, library.article(article.id).source) == (
            title, "S" * 300)
        library.correct_article(article.id, source="Other", title=title)  # the outlet only
        assert library.article(article.id).title == title
        assert library.article(article.id).source == "Other"
        library.correct_article(article.id, title="W" * TITLE_MAX)
        assert library.article(article.id).title == "W" * TITLE_MAX
        assert library.corrected([article.id])[article.id]["title"] == title


def test_a_date_on_another_written_day_is_a_correction(tmp_path: Path) -> None:
    """Review R28 of the date comparison: the grouping, the conflicts and the report read the
    day a date is written on (published[:10]), so two spellings of one instant that name
    different days are different dates, and a correction between them is stored (it was
    dropped: 200, nothing stored). A midnight at an offset other than zero is not the date
    alone (its instant is another; ``01:00+01:00``, midnight UTC, was taken for the day and
    ``00:00+01:00`` was not); a date sent again on the same day at the same instant still
    changes nothing."""
    changes = [("2024-02-29T19:00:00-05:00", "2024-03-01"),
               ("2024-03-01", "2024-02-29T19:00:00-05:00"),
               ("2024-03-02", "2024-03-01T23:00:00-01:00"),
               ("2024-03-01T00:30:00+01:00", "2024-02-29T23:30:00Z"),
               ("2024-03-01", "2024-03-01T01:00:00+01:00"),
               ("2024-03-01", "2024-03-01T00:00:00+01:00"),
               ("2024-03-01", "Fri, 01 Mar 2024 00:00:00 -0500"),
               ("2024-03-01T00:00:00+01:00", "2024-03-01"),
               ("2024-03-01T00:00:00-05:00", "2024-03-01T00:00:00+01:00"),
               ("2024-03-01T10:00:00", "2024-03-01T10:00:00+00:00")]
    same = [("2024-03-01T00:00:00-05:00", "Fri, 01 Mar 2024 00:00:00 -0500"),
            ("2024-03-01T10:00:00+01:00", "2024-03-01T04:00:00-05:00"),
            ("2024-03-01T00:00:00+00:00", "2024-03-01T00:00:00-00:00"),
            ("2024-03-01T10:00:00", "2024-03-01 10:00")]
    articles = [_harlow(n, stored) for n, (stored, _) in enumerate(changes + same)]
    with Library(tmp_path / "x.db") as library:
        library.add_articles(articles)
        version = library.db.execute("select version from grouping").fetchone()[0]
        for article, (stored, sent) in zip(articles, changes + same, strict=True):
            library.correct_article(article.id, published=sent)
            changed = (stored, sent) in changes
            assert (library.article(article.id).published != stored) == changed, sent
            assert (article.id in library.corrected([article.id])) == changed, sent
        assert library.db.execute("select version from grouping").fetchone()[0] == (
            version + len(changes))
        assert library.article(articles[0].id).published == "2024-03-01"
        assert library.article(articles[1].id).published == "2024-02-29T19:00:00-05:00"


def test_limits_count_characters_as_shown(tmp_path: Path) -> None:
    """Review R28: a correction's limits counted code points after NFC, so 500 letters of
    U+0958 (which NFC writes as two code points, the letter and its nukta) were refused as
    "not 1,000" characters. Characters are counted as a reader sees them: a combining mark
    with its letter, whether sent composed or not; the message gives that count."""
    article = _harlow(0)
    with Library(tmp_path / "x.db") as library:
        library.add_articles([article])
        library.correct_article(article.id, title="\u0958" * TITLE_MAX)
        assert library.article(article.id).title == "\u0915\u093c" * TITLE_MAX
        library.correct_article(article.id, source="Cafe\u0301 " * 40)  # 200 shown
        with pytest.raises(MalformedInputError, match="at most 500 characters, not 501:"):
            library.correct_article(article.id, title="e\u0301" * (TITLE_MAX + 1))
        with pytest.raises(MalformedInputError, match="at most 200 characters, not 201:"):
            library.correct_article(article.id, source="Cafe\u0301 " * 40 + "x")


def test_a_story_name_is_refused_when_too_long_never_cut(tmp_path: Path) -> None:
    """Review R28: the story page's name inputs cut a paste at 200 characters without a
    word (maxlength), and the web form's rename took any length the API refused. The store
    holds a person's story name to NAME_MAX, as shown, and refuses a longer one whole."""
    articles = [_harlow(0), _harlow(1)]
    with Library(tmp_path / "x.db") as library:
        library.add_articles(articles)
        long = "Harbour fire " * 16  # 208 characters
        with pytest.raises(MalformedInputError, match="a story's name is at most 200"):
            library.create_story(long, [articles[0].id])
        named = library.create_story(long[:NAME_MAX], [articles[0].id])
        with pytest.raises(MalformedInputError, match="a story's name is at most 200"):
            library.rename_story(named.id, long)
        assert library.story(named.id).name == long[:NAME_MAX].strip()
        auto = library.stories(kind="auto")[0]
        assert len(auto.articles) == 2
        with pytest.raises(MalformedInputError, match="a story's name is at most 200"):
            library.rename_story(auto.id, long)
        with pytest.raises(MalformedInputError, match="a story's name is at most 200"):
            library.split_story(auto.id, auto.articles[:1], long)
        assert library.story(auto.id).articles == auto.articles
        with library.writing() as db:  # a story named longer before the limit
            db.execute("update stories set name = ? where id = ?", [long.strip(), named.id])
        assert library.create_story(long, [articles[1].id]).articles == [articles[1].id]
        # review R30: renamed to the name it has (the rename form sends it back) it is no
        # change, as creating it again is, not refused
        assert library.rename_story(named.id, f" {long} ").name == long.strip()
        with pytest.raises(MalformedInputError, match="a story's name is at most 200"):
            library.rename_story(named.id, long + "!")


def test_limits_count_what_a_reader_sees_as_one_character(tmp_path: Path) -> None:
    """Review R30: a limit counted code points less combining marks, so a family emoji
    joined by zero-width joiners was 4 characters, a flag 2, an emoji with its skin tone 2,
    a Devanagari conjunct or a Thai syllable with its tone mark 2. Each is one (a grapheme
    cluster), and so is a letter with its accents."""
    [article] = articles = [_harlow(0)]
    with Library(tmp_path / "x.db") as library:
        library.add_articles(articles)
        for one in ("\U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466",  # family
                    "\U0001F1EB\U0001F1F7", "\U0001F44D\U0001F3FD",  # flag, skin tone
                    "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067"
                    "\U000E007F",  # England's flag, 7 code points
                    "\u0915\u094d\u0937", "\u0e17\u0e35\u0e48", "\u1100\u1161\u11a8",
                    "e\u0301\u0323"):
            assert library.create_story(one * NAME_MAX, [article.id]).name == one * NAME_MAX
            with pytest.raises(MalformedInputError, match="at most 200 characters, not 201:"):
                library.create_story(one * (NAME_MAX + 1), [article.id])


def test_combining_marks_do_not_carry_text_past_a_limit(tmp_path: Path) -> None:
    """Review R30: combining marks counted nothing and no other limit held, so a name of
    200 letters with 4,000 accents each (1.6 MB) was taken, a title of 3 million accents,
    and a name of accents alone, which shows nothing, passed "a story needs a name". A
    value may hold at most CODE_POINTS_PER_CHARACTER code points per character of its
    limit; a story's name must show something."""
    [article] = articles = [_harlow(0)]
    with Library(tmp_path / "x.db") as library:
        library.add_articles(articles)
        named = library.create_story("Harbour", [article.id])
        for name in (("n" + "\u0301" * 4000) * 2, "n" + "\u0301" * 1601):  # 1,601 in NFC
            with pytest.raises(MalformedInputError, match="code points"):
                library.create_story(name, [article.id])
            with pytest.raises(MalformedInputError, match="code points"):
                library.rename_story(named.id, name)
        with pytest.raises(MalformedInputError, match="at most 500 characters of at most "
                                                      "4,000 code points"):
            library.correct_article(article.id, title="T" + "\u0301" * 3_000_000)
        for nothing in ("\u0301" * 100_000, "\u0301", "\u200b\u200d", " \u0301 "):
            with pytest.raises(EmptyStoryError, match="a story needs a name"):
                library.rename_story(named.id, nothing)
            with pytest.raises(EmptyStoryError, match="a story needs a name"):
                library.create_story(nothing, [article.id])
        assert library.story(named.id).name == "Harbour"
        assert library.article(article.id).title == article.title
        library.rename_story(named.id, "n" + "\u0301" * 7)  # a letter with 7 marks is one
        assert library.corrected([article.id]) == {}


def test_a_lone_surrogate_is_refused_never_a_crash(tmp_path: Path) -> None:
    """Review R30: a lone surrogate (JSON may escape one, the system gives a command's
    bytes that are not UTF-8 as ones) reached SQLite: UnicodeEncodeError, a 500 from the
    API and a traceback from the CLI. The store refuses it (E105), whatever the text."""
    articles = [_harlow(0), _harlow(1)]
    bad = "b\udc00"
    with Library(tmp_path / "x.db") as library:
        library.add_articles(articles)
        named = library.create_story("Harbour", [articles[0].id])
        auto = library.stories(kind="auto")[0]
        for change in (lambda: library.correct_article(articles[0].id, title=bad),
                       lambda: library.correct_article(articles[0].id, source=bad),
                       lambda: library.correct_article(articles[0].id, published=bad),
                       lambda: library.create_story(bad, [articles[0].id]),
                       lambda: library.check_story_name(bad),
                       lambda: library.rename_story(named.id, bad),
                       lambda: library.split_story(auto.id, auto.articles[:1], bad),
                       # every public method, whatever the value (an id, a query, a list)
                       lambda: library.search(bad),
                       lambda: library.story(bad),
                       lambda: library.article(bad),
                       lambda: library.articles([articles[0].id, bad]),
                       lambda: library.move_articles([bad], auto.id),
                       lambda: library.merge_stories(auto.id, [bad]),
                       lambda: library.create_story("x", [bad]),
                       lambda: library.brief(bad),
                       lambda: library.unreject(named.id, bad),
                       lambda: library.reject_conflict(named.id, bad)):
            with pytest.raises(MalformedInputError, match="U\\+DC00, a lone surrogate"):
                change()
        assert library.corrected([articles[0].id]) == {}
        assert [s.name for s in library.stories(kind="named")] == ["Harbour"]
        # each refusal names what the argument is in that method (review R1 6)
        for refused, what in ((lambda: library.stored_brief(named.id, bad), "a brief's key"),
                              (lambda: library.stored_brief(bad), "a story's id "),
                              (lambda: library.story(bad), "a story's id or name"),
                              # a span's article, not a story (it said "a story's id or name")
                              (lambda: library.reject(named.id, "link",
                                                      [Span(bad, 0, 4),
                                                       Span(articles[0].id, 0, 4)]),
                               "a span's article id")):
            with pytest.raises(MalformedInputError, match=rf"^\[E105\] {what}"):
                refused()


def test_add_articles_keeps_what_an_input_holds_each_lone_surrogate_u_fffd(
        tmp_path: Path) -> None:
    """The one rule for lone surrogates, in a batch given to add_articles: an article's
    text, title, outlet, author holding one is stored with U+FFFD in its place (its id the
    hash of that text), its input's name written with escapes. Each crashed the whole batch
    (UnicodeEncodeError)."""
    text = f"{_harlow(0).text} \udc00 more."
    fixed = text.replace("\udc00", "\ufffd")
    batch = [replace(_harlow(0), id="given", text=text),
             replace(_harlow(1), title="b\udc00"), replace(_harlow(2), source="\ud800"),
             replace(_harlow(3), author="\udc80"), replace(_harlow(4), input="f\udcff.txt"),
             _harlow(5)]
    with Library(tmp_path / "x.db") as library:
        result = library.add_articles(batch)
        assert not result.skipped
        assert result.added == [article_id(fixed)] + [_harlow(n).id for n in range(1, 6)]
        assert library.article(article_id(fixed)).text == fixed
        assert library.article(_harlow(1).id).title == "b\ufffd"
        assert library.article(_harlow(2).id).source == "\ufffd"
        assert library.article(_harlow(3).id).author == "\ufffd"
        assert library.article(_harlow(4).id).input == "f\\xff.txt"
        assert library.count() == 6


def _harlow(n: int, published: str = "2024-03-01") -> Article:
    """An article of the Harlow story, its text made its own by ``n``."""
    from .test_stories import HARLOW_1

    text = f"{HARLOW_1.text} ({n})"
    return Article(id=article_id(text), input=HARLOW_1.input, text=text,
                   title=HARLOW_1.title, source=HARLOW_1.source, published=published)


def test_the_order_of_inputs_changes_no_story(tmp_path: Path, seed_dir: Path) -> None:
    inputs = sorted(str(p) for p in [*seed_dir.iterdir(), *example_path().iterdir()]
                    if p.suffix in (".txt", ".html"))
    found = []
    for name, order in (("a", inputs), ("b", inputs[::-1])):
        with Library(tmp_path / f"{name}.db") as library:
            library.ingest(order)
            found.append([(s.id, s.title, [a.id for a in s.articles])
                          for s in library.story_list().stories])
    assert found[0] == found[1] and sum(len(s[2]) for s in found[0]) == 11


def test_another_writer_between_preparing_and_writing(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The clusterer is prepared before the write lock is taken; when another writer
    changes the grouping in between, it is prepared again, and nothing is lost."""
    articles = read_inputs([str(example_path())]).articles
    path = tmp_path / "library.db"
    library = Library(path)
    library.add_articles(articles[:2])
    prepare = Library._prepare_clusterer
    prepared: list[int] = []

    def interleaved(self: Library) -> None:
        prepare(self)
        if self is library:
            prepared.append(1)
            if len(prepared) == 1:
                with Library(path) as other:
                    other.add_articles(articles[2:4])

    monkeypatch.setattr(Library, "_prepare_clusterer", interleaved)
    result = library.add_articles(articles[4:])
    assert len(prepared) == 2 and len(result.added) == 2
    grouped = [a.id for s in library.story_list().stories for a in s.articles]
    assert sorted(grouped) == sorted(a.id for a in articles)
    library.close()


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are notes, not a database\n" * 100, "utf-8")
    with pytest.raises(DatabaseError, match=r"\[E504\] cannot open the library"):
        Library(path)


def test_a_reader_does_not_create_a_library(tmp_path: Path) -> None:
    path = tmp_path / "typo.db"
    with pytest.raises(LibraryNotFoundError, match=r"^\[E505\] no library at .*typo\.db"):
        Library(path, create=False)
    assert not path.exists()
    Library(path).close()  # a writer creates it; then readers open it
    with Library(path, create=False) as library:
        assert library.count() == 0


def test_default_path_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CROSSBRIEF_DB", str(tmp_path / "env.db"))
    assert default_db_path() == tmp_path / "env.db"
    assert Library().path == tmp_path / "env.db"
    monkeypatch.delenv("CROSSBRIEF_DB")
    assert default_db_path().name == "library.db"


def test_reingesting_changes_nothing(library: Library) -> None:
    first = library.ingest([str(example_path())])
    assert len(first.added) == 6 and first.existing == [] and first.skipped == []
    rows = list(library.db["articles"].rows)
    second = library.ingest([str(example_path())])
    assert second.added == [] and second.existing == first.added
    assert list(library.db["articles"].rows) == rows


def test_stored_articles_are_the_ingested_ones(library: Library) -> None:
    corpus = read_inputs([str(example_path())])
    library.add_articles(corpus.articles)
    for ingested, stored in zip(corpus.articles, library.articles([a.id for a in corpus.articles]),
                                strict=True):
        # as ingested, with the clean stage's title
        assert stored == replace(ingested, title=clean_article_text(ingested)[1])
    with pytest.raises(UnknownArticleError, match=r"\[E501\].*nope"):
        library.articles([corpus.articles[0].id, "nope"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(min_size=1).filter(str.strip),
       title=st.none() | st.text(), url=st.none() | st.text())
def test_store_round_trip(text: str, title: str | None, url: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp, Library(Path(tmp) / "l.db") as library:
        article = Article(id=article_id(text), source="s", text=text, input="in", title=title,
                          url=url)
        result = library.add_articles([article, article])
        clean, clean_title = clean_article_text(article)
        if clean is None:  # nothing but boilerplate: not stored, and said so
            assert result.added == [] and [s.code for s in result.skipped] == ["E106"]
            assert library.count() == 0
            return
        assert result.added == [article.id] and result.skipped == []
        assert library.article(article.id) == replace(article, title=clean_title)


def test_search_finds_the_seed_articles(seed_library: Library) -> None:
    hits = seed_library.search("Putin")
    assert len(hits) == 5
    hits = seed_library.search("Xi Jinping Moscow", limit=2)
    assert len(hits) == 2 and all(h.snippet for h in hits)
    assert seed_library.search("zzzzunknownword") == []


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_search_takes_any_text(seed_library: Library, query: str) -> None:
    assert isinstance(seed_library.search(query), list)


@settings(max_examples=200, deadline=None)
@given(query=st.text())
def test_search_never_raises(query: str) -> None:
    with tempfile.TemporaryDirectory() as tmp, Library(Path(tmp) / "l.db") as library:
        library.add_articles([variant(["Xi met Putin in Moscow."], 1)])
        assert isinstance(library.search(query), list)


def test_stories(library: Library) -> None:
    ids = library.ingest([str(example_path())]).ids
    story = library.create_story("  bridge ", ids[:3])
    assert story.id == story_id("bridge") and story.name == "bridge"
    assert library.story("bridge") == library.story(story.id) == story
    replaced = library.create_story("bridge", ids[3:])
    assert replaced.id == story.id and replaced.created == story.created
    assert library.story("bridge").articles == ids[3:]
    assert [s.name for s in library.stories("named")] == ["bridge"]
    with pytest.raises(UnknownArticleError, match=r"\[E501\].*missing1, missing2"):
        library.create_story("other", [ids[0], "missing1", "missing2"])
    with pytest.raises(UnknownStoryError, match=r"\[E502\]"):
        library.story("other")  # the failed create left nothing behind
    with pytest.raises(EmptyStoryError, match=r"\[E503\]"):
        library.create_story("empty", [])
    with pytest.raises(EmptyStoryError, match=r"\[E503\]"):
        library.create_story(" ", ids)


def test_stories_made_in_one_second_list_newest_first(library: Library,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import crossbrief.store

    monkeypatch.setattr(crossbrief.store, "now", lambda: "2026-01-01T00:00:00+00:00")
    ids = library.ingest([str(example_path())]).ids
    for name in ("b first", "a second", "c third"):
        library.create_story(name, ids[:1])
    assert [s.name for s in library.stories("named")] == ["c third", "a second", "b first"]


def test_brief_is_stored_and_reused(seed_library: Library,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    story = seed_library.story("xi-putin")
    stored = seed_library.stored_brief(story.id, brief_key(story.articles, load_settings()))
    assert stored is not None and stored["schema"] == "crossbrief.brief/1"
    assert sorted(a["id"] for a in stored["articles"]) == sorted(story.articles)

    def no_analysis(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the stored brief should have been reused")

    monkeypatch.setattr(crossbrief.pipeline, "run_stages", no_analysis)
    assert seed_library.brief(story.id) == stored
    # another setting, or other articles, and the stored brief no longer applies
    other = load_settings(summary_sentences=2)
    assert seed_library.stored_brief(story.id, brief_key(story.articles, other)) is None
    assert seed_library.stored_brief(story.id, brief_key(story.articles[:4],
                                                         load_settings())) is None


def test_a_new_crossbrief_version_analyses_again(library: Library,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    text = "The harbour reopened on Monday, the mayor said."
    library.add_articles([Article(id=article_id(text), source="Wire", text=text,
                                  input="a.txt")])
    story = library.create_story("harbour", [article_id(text)])
    runs: list[str] = []

    def run_stages(corpus: Any, *args: Any, **kwargs: Any) -> Any:
        runs.append(crossbrief.__version__)
        return corpus

    monkeypatch.setattr(crossbrief.pipeline, "run_stages", run_stages)
    first = library.brief("harbour")
    assert library.brief("harbour") == first and len(runs) == 1  # reused
    key = brief_key(story.articles, load_settings())
    monkeypatch.setattr(crossbrief, "__version__", "99.0.0")
    assert brief_key(story.articles, load_settings()) != key
    assert library.stored_brief(story.id, brief_key(story.articles, load_settings())) is None
    library.brief("harbour")
    library.brief("harbour")
    assert runs[1:] == ["99.0.0"]  # analysed again once, then reused


# --- crashes and concurrency ---------------------------------------------------------------

WRITER = """
import json, sys
from crossbrief.store import Library
from tests.test_store import example_texts, variant
path, start, count, batch = sys.argv[1], *map(int, sys.argv[2:5])
texts = example_texts()
library = Library(path)
added = []
for first in range(start, start + count, batch):
    result = library.add_articles(variant(texts, n) for n in range(first, first + batch))
    added += result.added
    print(len(added), flush=True)
print(json.dumps(added), flush=True)
"""


def writer(path: Path, start: int, count: int, batch: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(start), str(count), str(batch)],
        stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)


def check_consistent(path: Path) -> int:
    """Open the database as a reader would; articles and the full-text index agree."""
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")
    count = int(conn.execute("select count(*) from articles").fetchone()[0])
    for (text,) in conn.execute("select text from articles"):
        marker = text.rsplit("marker", 1)[1].split()[0]
        found = conn.execute("select count(*) from articles_fts where articles_fts match ?",
                             [f'"marker{marker}"']).fetchone()[0]
        assert found == 1
    conn.close()
    return count


def test_killed_writer_leaves_the_library_consistent(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    Library(path).close()
    process = writer(path, 0, 5000, 10)
    assert process.stdout is not None
    committed = 0
    deadline = time.monotonic() + 60
    while committed < 200 and time.monotonic() < deadline:
        committed = int(process.stdout.readline())
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    count = check_consistent(path)
    # whole batches only: a batch is one transaction
    assert count >= committed and count % 10 == 0 and count < 5000
    library = Library(path)
    assert library.count() == count and len(library.search("marker0")) == 1


def test_concurrent_writers_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    path = tmp_path / "library.db"
    Library(path).close()
    # four processes, each overlapping half of its neighbour's articles
    processes = [writer(path, start, 60, 3) for start in (0, 30, 60, 90)]
    added: list[str] = []
    for process in processes:
        out, _ = process.communicate(timeout=120)
        assert process.returncode == 0
        added += json.loads(out.strip().splitlines()[-1])
    texts = example_texts()
    expected = {variant(texts, n).id for n in range(150)}
    assert len(added) == len(set(added)) == 150  # each article reported new exactly once
    assert set(added) == expected
    assert check_consistent(path) == 150


def test_newest_activity_orders_stories_stored_within_one_second(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``added`` is to the second: two stories fed within one second tie on it, so the
    order of newest activity (the home page, the story choices) follows the order in which
    the library stored their articles, newest first, whatever their publication dates."""
    import crossbrief.store

    monkeypatch.setattr(crossbrief.store, "now", lambda: "2026-01-01T00:00:00+00:00")
    texts = [("The lighthouse on Gull Point was relit on Sunday after repairs.", "2019-03-03"),
             ("The harbour budget passed the council by seven votes to two.", "2024-05-07"),
             ("Snow closed the mountain pass for the third day running.", "2021-01-10")]
    with Library(tmp_path / "lib.db") as library:
        for text, published in texts:  # one at a time: the last stored is the newest
            library.add_articles([Article(id=article_id(text), source="Outlet", text=text,
                                          input="x.txt", published=published)])
        stories = {a: s.id for s in library.stories("auto") for a in s.articles}
        order = library.activity_order()
        ranked = sorted(stories.values(), key=lambda s: order[s], reverse=True)
        assert ranked == [stories[article_id(t)] for t, _ in reversed(texts)]
        assert [id for id, _ in library.recent_stories("auto")] == ranked
        assert set(library.activity().values()) == {"2026-01-01T00:00:00+00:00"}


def _copies_of_one_text() -> tuple[Article, Article]:
    """One text from two outlets: the earlier published copy is the one kept."""
    text = ("The council voted on Tuesday to close the Maravel bridge for repairs, "
            "officials said. ") * 5
    early = Article(id=article_id(text), source="Alpha", text=text, input="feed.jsonl:2",
                    url="https://a.example/x", published="2024-03-01")
    late = Article(id=article_id(text), source="Zeta", text=text, input="feed.jsonl:1",
                   url="https://z.example/x", published="2024-03-05")
    return early, late


def test_copies_of_one_text_keep_the_copy_analyze_keeps_in_any_order(tmp_path: Path) -> None:
    # Review R42: the web API stored the last copy sent (by id, last wins), where analyze
    # and the library's ingest keep the copy chosen on its metadata, and said nothing.
    early, late = _copies_of_one_text()
    for n, order in enumerate(([early, late], [late, early])):
        with Library(tmp_path / f"{n}.db") as library:
            result = library.add_articles(order)
            assert result.added == [early.id]
            assert [(s.input, s.reason, s.code) for s in result.skipped] == [
                ("feed.jsonl:1", "duplicate of feed.jsonl:2 (same text)", "E109")]
            assert library.article(early.id).source == "Alpha"


def test_a_copy_of_a_stored_text_is_a_duplicate_of_the_stored_copy(library: Library) -> None:
    # Review R42: across ingests the stored copy stays; the duplicate named the copy chosen
    # in the second read, which the library does not hold.
    early, late = _copies_of_one_text()
    stored = replace(late, input="late.jsonl:1")
    library.add_articles([stored])
    result = library.add_articles([early, late])
    assert result.added == [] and result.existing == [early.id]
    assert [(s.input, s.reason, s.code) for s in result.skipped] == [
        ("feed.jsonl:2", "duplicate of late.jsonl:1 (same text)", "E109")]
    assert library.article(early.id).input == "late.jsonl:1"
    again = library.add_articles([stored])  # the stored copy itself: nothing to say
    assert again.existing == [early.id] and again.skipped == []


def test_opening_a_library_to_read_never_waits_for_a_writer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A library already migrated is opened with a read (WAL), not a write transaction: a
    search or the web app started during a long ingest reads at once (it waited for the
    write lock, then failed E504 "database is locked")."""
    import crossbrief.store

    path = tmp_path / "library.db"
    with Library(path) as library:
        library.add_articles([variant(example_texts(), 1)])
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
    monkeypatch.setattr(crossbrief.store, "BUSY_TIMEOUT", 0.1)  # fail fast, not in 60 s
    try:
        with Library(path, create=False) as reader:
            assert reader.count() == 1 and len(reader.search("marker1")) == 1
    finally:
        writer.rollback()
        writer.close()


def _report(published: str, title: str, text: str) -> Article:
    return Article(id=article_id(text), source=f"Outlet {published}", title=title, text=text,
                   input=title, published=published)


def shooting_reports() -> tuple[Article, list[Article], Article]:
    """A report naming a victim, two naming the street, and a later one naming both, which
    links the two stories strongly enough for the grouping to merge them."""
    named = _report("2016-06-01", "Teen shot near Larkfield school",
                    "Jaylen Ostrowski, 16, was shot near Larkfield Middle School on Tuesday "
                    "evening and is in critical condition at Saint Brennan Hospital.")
    street = [_report("2016-06-02", "Shots fired on Pellam Road in Corvey",
                      "Gunfire rang out on Pellam Road in Corvey on Tuesday evening; witnesses "
                      "heard five shots near the corner of Pellam Road and Hatch Lane."),
              _report("2016-06-02", "Five shots on Pellam Road, Corvey",
                      "Witnesses heard five shots near the corner of Pellam Road and Hatch Lane "
                      "in Corvey on Tuesday evening, as gunfire rang out on Pellam Road.")]
    bridge = _report("2016-06-03", "Shots fired on Pellam Road in Corvey: teen shot near "
                     "Larkfield school identified",
                     street[0].text + " " + named.text)
    return named, street, bridge


def test_a_rejection_follows_its_articles_when_the_grouping_merges_their_story(
        tmp_path: Path) -> None:
    """The grouping merges two stories when a bridging report arrives; the story dissolved
    keeps its rejections in the story its articles went to (they were deleted: the story
    was found still holding its own articles, and a rejection was never moved onto the
    story it came from)."""
    named, street, bridge = shooting_reports()
    with Library(tmp_path / "l.db") as library:
        library.add_articles([named])
        library.add_articles(street)
        stories = {a: s.id for s in library.stories("auto") for a in s.articles}
        assert stories[street[0].id] == stories[street[1].id] != stories[named.id]
        rejection = library.reject(stories[street[0].id], "link",
                                   [Span(street[0].id, 0, 7), Span(street[1].id, 0, 9)])
        library.add_articles([bridge])
        [merged] = library.stories("auto")
        assert merged.id == stories[named.id]  # the earlier story's id survives
        assert library.rejections(merged.id) == [rejection]
        assert library.active_rejections(merged) == [rejection]


def test_a_move_holds_when_an_article_links_the_two_stories(tmp_path: Path) -> None:
    """A person moves an article out of its story into another; a later article linking
    the two stories does not merge them back (the story moved out of was left unfixed, so
    the grouping merged it into the one holding the moved article: the move undone)."""
    named, street, bridge = shooting_reports()
    with Library(tmp_path / "l.db") as library:
        library.add_articles([named])
        library.add_articles(street)
        stories = {a: s.id for s in library.stories("auto") for a in s.articles}
        library.move_articles([street[1].id], stories[named.id])
        library.add_articles([bridge])
        after = {a: s.id for s in library.stories("auto") for a in s.articles}
        assert after[street[1].id] == after[named.id] == stories[named.id]
        assert after[street[0].id] == stories[street[0].id] != after[street[1].id]



def fire_reports() -> list[Article]:
    """Two reports of a warehouse fire, a story of their own beside shooting_reports'."""
    return [_report("2016-06-01", "Warehouse fire in Dunmore",
                    "A fire destroyed a warehouse on Quarry Street in Dunmore on Monday night; "
                    "firefighters from three stations fought the blaze for six hours."),
            _report("2016-06-02", "Dunmore warehouse blaze",
                    "Firefighters from three stations fought the blaze at the Quarry Street "
                    "warehouse in Dunmore for six hours on Monday night, after a fire "
                    "destroyed it.")]


def _story_of(library: Library) -> dict[str, str]:
    """Each stored article's automatic story."""
    return {a: s.id for s in library.stories("auto") for a in s.articles}


def _apart_count(library: Library) -> int:
    return int(library.db.execute("select count(*) from separation").fetchone()[0])


def _move_across(library: Library, named: Article, street: list[Article]) -> dict[str, str]:
    """Store shooting_reports' first two stories and move the second street report into the
    named one (one separation); returns each article's story before the move."""
    for batch in ([named], street):
        library.add_articles(batch)
    stories = _story_of(library)
    library.move_articles([street[1].id], stories[named.id])
    assert _apart_count(library) == 1
    return stories


def test_a_move_undone_at_once_leaves_the_stories_free(tmp_path: Path) -> None:
    """A move made by mistake and moved straight back records no separation: a later
    article linking the two stories merges them, as had there been no move (the story moved
    out of was frozen for good: review R41)."""
    named, street, bridge = shooting_reports()
    with Library(tmp_path / "l.db") as library:
        stories = _move_across(library, named, street)
        library.move_articles([street[1].id], stories[street[0].id])
        assert _apart_count(library) == 0
        library.add_articles([bridge])
        after = _story_of(library)
        assert after[named.id] == after[street[0].id] == after[street[1].id]


def _with_a_correction(library: Library) -> tuple[
        Article, list[Article], Article, list[Article], dict[str, str]]:
    """Store shooting_reports' first two stories and fire_reports', then move the second
    fire report into the named story (a person's correction); returns the articles
    (named, street, bridge, fire) and each article's story before the move."""
    named, street, bridge = shooting_reports()
    fire = fire_reports()
    for batch in ([named], street, fire):
        library.add_articles(batch)
    stories = _story_of(library)
    library.move_articles([fire[1].id], stories[named.id])
    return named, street, bridge, fire, stories


def test_a_move_keeps_apart_only_the_stories_it_separates(tmp_path: Path) -> None:
    """Moving an article out of a story keeps that story apart from the one it went to,
    not from every story a person touched: a third story still merges with it (review
    R41: the whole story moved out of was frozen)."""
    with Library(tmp_path / "l.db") as library:
        named, street, bridge, fire, stories = _with_a_correction(library)
        library.move_articles([street[1].id], stories[fire[0].id])
        library.add_articles([bridge])
        after = _story_of(library)
        assert after[street[0].id] == after[named.id] == after[bridge.id]
        assert after[street[1].id] == after[fire[0].id] != after[named.id]


def test_a_merge_by_a_person_drops_the_separations_between_its_stories(
        tmp_path: Path) -> None:
    """A person merging two stories a move kept apart puts them together: the separation
    between them goes (else it would hold inside one story and outlive it)."""
    named, street, _ = shooting_reports()
    with Library(tmp_path / "l.db") as library:
        stories = _move_across(library, named, street)
        library.merge_stories(stories[named.id], [stories[street[0].id]])
        assert _apart_count(library) == 0


def _sides(library: Library, names: dict[str, str]) -> list[tuple[list[str], list[str]]]:
    """Each separation as (its side 0, its side 1), by the articles' names, sorted."""
    found: dict[int, tuple[list[str], list[str]]] = {}
    for separation, article, side in library.db.execute(
            "select separation, article, side from separation_side"):
        found.setdefault(separation, ([], []))[side].append(names[article])
    return sorted((sorted(left), sorted(moved)) for left, moved in found.values())


def test_separations_do_not_depend_on_how_the_moves_were_batched(tmp_path: Path) -> None:
    """Two articles moved out of one story in one call or one at a time keep the same
    separations: the second move puts the article with the first, so it leaves the side
    left behind, and is not taken for an undo (review R44, 2: the second was then free to
    go back to its old story once the first was split off)."""
    named, street, bridge = shooting_reports()
    third = _report("2016-06-02", "Shots fired on Pellam Road, Corvey",
                    street[1].text + " Police said nobody was hurt.")
    street = [*street, third]
    names = {named.id: "named", street[0].id: "s0", street[1].id: "s1", third.id: "s2"}
    for together in (True, False):
        with Library(tmp_path / f"{together}.db") as library:
            library.add_articles([named])
            library.add_articles(street)
            stories = _story_of(library)
            if together:
                library.move_articles([street[1].id, third.id], stories[named.id])
            else:
                library.move_articles([third.id], stories[named.id])
                library.move_articles([street[1].id], stories[named.id])
            assert _sides(library, names) == ([(["s0"], ["s1", "s2"])] if together else
                                              [(["s0"], ["s1"]), (["s0"], ["s2"])])
            library.split_story(stories[named.id], [third.id])
            library.add_articles([bridge])
            after = _story_of(library)
            assert after[street[1].id] == after[named.id] != after[street[0].id], together


def test_an_undone_move_gives_the_article_back_its_fixed_value(tmp_path: Path) -> None:
    """A move undone at once leaves the article unfixed, as it was: the story it returns to
    may merge again with one a person placed articles in (review R44, 3: it stayed fixed,
    and the both-fixed rule kept the two stories apart for good)."""
    with Library(tmp_path / "l.db") as library:
        named, street, bridge, fire, stories = _with_a_correction(library)
        library.move_articles([street[1].id], stories[named.id])  # by mistake ...
        library.move_articles([street[1].id], stories[street[0].id])  # ... undone at once
        fixed = {a for (a,) in library.db.execute(
            "select article from story_articles where fixed = 1")}
        assert fixed == {fire[1].id}
        library.add_articles([bridge])
        after = _story_of(library)
        assert after[street[0].id] == after[street[1].id] == after[named.id]


def test_a_move_on_into_a_third_story_is_no_undo(tmp_path: Path) -> None:
    """An article moved out of a story, then on into a third one that holds (or gets in the
    same call) an article left behind in the first, has not gone back where it came from:
    it stays fixed and apart from the story it leaves, and a later article linking that
    story with the third does not merge them (review R45: it was taken for an undo, got
    fixed 0, no separation was recorded, and the shooting and fire stories merged)."""
    named, street, bridge = shooting_reports()
    third = _report("2016-06-02", "Shots fired on Pellam Road, Corvey",
                    street[1].text + " Police said nobody was hurt.")
    street = [*street, third]
    fire = fire_reports()
    for together in (True, False):
        with Library(tmp_path / f"{together}.db") as library:
            for batch in ([named], street, fire):
                library.add_articles(batch)
            stories = _story_of(library)
            library.move_articles([street[1].id], stories[named.id])
            if together:
                library.move_articles([street[1].id, street[0].id], stories[fire[0].id])
            else:
                library.move_articles([street[0].id], stories[fire[0].id])
                library.move_articles([street[1].id], stories[fire[0].id])
            fixed = {a for (a,) in library.db.execute(
                "select article from story_articles where fixed = 1")}
            assert fixed == {street[0].id, street[1].id}, together
            library.add_articles([bridge])
            after = _story_of(library)
            assert after[street[1].id] == after[fire[0].id] != after[named.id], together


def test_a_move_back_into_the_story_merged_with_its_own_is_an_undo(tmp_path: Path) -> None:
    """The story an article was taken out of, merged by a person into another, is still
    where it came from: moving it back there undoes the move (no separation left, the
    article unfixed again)."""
    named, street, _ = shooting_reports()
    fire = fire_reports()
    with Library(tmp_path / "l.db") as library:
        for batch in ([named], street, fire):
            library.add_articles(batch)
        stories = _story_of(library)
        library.move_articles([street[1].id], stories[named.id])
        library.merge_stories(stories[fire[0].id], [stories[street[0].id]])
        library.move_articles([street[1].id], stories[fire[0].id])
        assert _apart_count(library) == 0
        fixed = {a for (a,) in library.db.execute(
            "select article from story_articles where fixed = 1")}
        assert street[1].id not in fixed


def test_a_move_records_one_row_per_article_not_per_pair(tmp_path: Path) -> None:
    """Moving k articles out of a story of n records one separation of n rows (k moved, n - k
    left), not k * (n - k) pairs (review R44, 4: 999,000 rows for 1,000 of 1,999)."""
    texts = example_texts()
    with Library(tmp_path / "l.db") as library:
        library.add_articles([variant(texts, n) for n in range(12)])
        stories = library.stories("auto")
        big = max(stories, key=lambda s: len(s.articles))
        if len(stories) > 1:
            library.merge_stories(big.id, [s.id for s in stories if s.id != big.id])
        [one] = library.stories("auto")
        other = library.split_story(one.id, [one.articles[0]])
        [one] = [s for s in library.stories("auto") if s.id != other.id]
        library.move_articles(one.articles[:5], other.id)
        assert library.db.execute("select count(*) from separation").fetchone()[0] == 1
        assert library.db.execute("select side, count(*) from separation_side group by side "
                                  "order by side").fetchall() == [(0, 6), (1, 5)]


@pytest.fixture()
def held_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A library another connection holds the write lock of, and writers that wait 0.1 s."""
    import crossbrief.store

    path = tmp_path / "library.db"
    Library(path).close()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process in the middle of a long write
    monkeypatch.setattr(crossbrief.store, "BUSY_TIMEOUT", 0.1)
    yield path
    writer.rollback()
    writer.close()


def test_a_writer_waiting_past_the_timeout_gets_a_clear_error(held_library: Path,
                                                              tmp_path: Path) -> None:
    """Past the wait, a writer gets LibraryBusyError (E508) and writes nothing, and the
    command line says so (it was sqlite3's "database is locked" and a traceback)."""
    from click.testing import CliRunner

    from crossbrief.cli import cli

    article = variant(example_texts(), 2)
    with Library(held_library) as library, pytest.raises(
            LibraryBusyError, match=r"busy: another writer .* this change was not written "
                                    r"\(anything stored before it stays\)"):
        library.add_articles([article])
    (tmp_path / "a.txt").write_text(article.text, "utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "a.txt"), "--db",
                                      str(held_library)])
    assert result.exit_code == 1 and "[E508]" in result.stderr, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    with Library(held_library) as library:
        assert library.count() == 0


def _harbour_library(path: Path, monkeypatch: pytest.MonkeyPatch) -> LibraryStory:
    """A library of one article in the named story "harbour", whose brief runs no stages."""
    text = "The harbour reopened on Monday, the mayor said."
    with Library(path) as library:
        library.add_articles([Article(id=article_id(text), source="Wire", text=text,
                                      input="a.txt")])
        story = library.create_story("harbour", [article_id(text)])
    monkeypatch.setattr(crossbrief.pipeline, "run_stages", lambda corpus, *a, **k: corpus)
    return story


def test_a_brief_made_while_another_writer_holds_the_library_is_returned_unstored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """A brief is derived data: made while another writer holds the library past the wait,
    it is returned (not stored, a warning logged) instead of thrown away with E508 after
    the analysis (review R41: a page during a long ingest waited twice, then 503)."""
    import crossbrief.store

    path = tmp_path / "library.db"
    story = _harbour_library(path, monkeypatch)
    monkeypatch.setattr(crossbrief.store, "BUSY_TIMEOUT", 0.1)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        with Library(path) as library:
            brief = library.brief("harbour")
            assert brief["schema"] == "crossbrief.brief/1"
            key = brief_key(story.articles, load_settings())
            assert library.stored_brief(story.id, key) is None
    finally:
        writer.rollback()
        writer.close()
    assert any("is not stored" in r.getMessage() and "[E508]" in r.getMessage()
               for r in caplog.records)


def test_a_brief_of_a_read_only_library_is_returned_unstored(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """A library that cannot be written (read-only, a full disk) still gets its brief, with
    a warning, as a busy one does: not E504 after the whole analysis (review R44, 5)."""
    import crossbrief.store

    path = tmp_path / "library.db"
    story = _harbour_library(path, monkeypatch)
    real = sqlite3.connect
    monkeypatch.setattr(crossbrief.store.sqlite3, "connect", lambda where, *a, **k: real(
        f"file:{where}?mode=ro", *a, uri=True, **k))
    with Library(path) as library:
        assert library.brief("harbour")["schema"] == "crossbrief.brief/1"
        [(found, brief, stored)] = library.iter_briefs(["harbour"])
        assert (found, brief["schema"], stored) == (story.id, "crossbrief.brief/1", False)
        assert library.stored_brief(story.id) is None
    assert any("is not stored" in r.getMessage() and "[E504]" in r.getMessage()
               for r in caplog.records)


def test_the_parse_cache_waits_only_briefly_for_a_busy_library(
        held_library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parse cache is optional: saving it waits CACHE_WAIT for the write lock, not a
    writer's whole BUSY_TIMEOUT (the brief waiting on it during a long ingest)."""
    import crossbrief.parsecache
    import crossbrief.store
    from crossbrief.parsecache import StoredParses

    monkeypatch.setattr(crossbrief.store, "BUSY_TIMEOUT", 5.0)
    monkeypatch.setattr(crossbrief.parsecache, "CACHE_WAIT", 0.1)
    with Library(held_library) as library:
        started = time.monotonic()
        with pytest.raises(LibraryBusyError, match=r"for over 0\.1 s"):
            StoredParses(library).save([("a1", "key", b"data")])
        assert time.monotonic() - started < 2.5
        # The connection's own wait is back for the writes that follow.
        assert library.db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


def test_a_read_only_library_or_a_full_disk_is_a_clear_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write the file or the disk refuses (read-only: SQLITE_READONLY; full:
    SQLITE_FULL, here a page limit) is DatabaseError (E504) with the reason, and exit 1 on
    the command line, rather than sqlite3's traceback (a 500 E599 from the web app)."""
    from click.testing import CliRunner

    import crossbrief.store
    from crossbrief.cli import cli

    path = tmp_path / "library.db"
    Library(path).close()
    article = variant(example_texts(), 2)
    with Library(path) as library:
        pages = library.db.execute("PRAGMA page_count").fetchone()[0]
        library.db.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(DatabaseError, match=r"\[E504\].*the disk is full.*this change "
                                                r"was not written"):
            library.add_articles([article] + [variant(example_texts(), n)
                                              for n in range(3, 40)])
        assert library.count() == 0
    real = sqlite3.connect
    monkeypatch.setattr(crossbrief.store.sqlite3, "connect", lambda where, *a, **k: real(
        f"file:{where}?mode=ro", *a, uri=True, **k))
    with Library(path) as library, pytest.raises(DatabaseError, match="read-only"):
        library.add_articles([article])
    (tmp_path / "a.txt").write_text(article.text, "utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path / "a.txt"), "--db", str(path)])
    assert result.exit_code == 1 and "[E504]" in result.stderr, result.output
    assert "read-only" in result.stderr
