"""The library browsed with Datasette: the briefs' claims, quotes and conflicts are tables
with foreign keys to the stories and articles (crossbrief.brief_tables, docs/database.md)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from crossbrief.brief_tables import MIGRATION_TABLES, TABLE_NAMES, brief_rows
from crossbrief.cli import example_path
from crossbrief.store import MIGRATIONS, Library

datasette_app = pytest.importorskip(
    "datasette.app", reason="datasette is not installed (pip install -e '.[datasette]')")


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """The bundled example as a named story of a library, with its brief stored."""
    library = Library(tmp_path_factory.mktemp("datasette") / "library.db")
    result = library.ingest([str(example_path())])
    library.create_story("maravel", result.ids)
    library.brief("maravel")
    return library


def rows(library: Library, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    return [dict(r) for r in library.db.query(sql, params)]


def datasette_get(path: Path, *urls: str) -> list[Any]:
    """GET each url from Datasette serving the library file (in process), as JSON."""

    async def fetch() -> list[Any]:
        ds = datasette_app.Datasette([str(path)])
        await ds.invoke_startup()
        found = []
        for url in urls:
            response = await ds.client.get(url)
            assert response.status_code == 200, (url, response.text[:500])
            found.append(response.json())
        return found

    return asyncio.run(fetch())


def test_datasette_reads_the_claims_and_follows_their_links(library: Library) -> None:
    story = library.story("maravel")
    brief = library.brief("maravel")
    db = library.path.stem
    claims, support = datasette_get(
        library.path,
        f"/{db}/claims.json?_shape=array&_size=max&_sort=position&story={story.id}",
        f"/{db}/claim_support.json?_shape=array&_size=max&_labels=on",
    )
    assert [c["claim"] for c in claims] == [c["id"] for c in brief["claims"]]
    assert [c["text"] for c in claims] == [c["text"] for c in brief["claims"]]
    assert [c["status"] for c in claims] == [c["status"] for c in brief["claims"]]
    assert all(c["story"] == story.id for c in claims)
    first = brief["claims"][0]["support"][0]
    [row] = [s for s in support if s["claim"]["value"] == claims[0]["id"]
             and s["position"] == 0]
    article = library.article(first["article"])
    # The links Datasette shows: the article by its title, the story by its name.
    assert row["article"] == {"value": article.id, "label": article.title}
    assert row["story"] == {"value": story.id, "label": "maravel"}
    assert (row["start"], row["end"], row["text"]) == (first["start"], first["end"],
                                                       first["text"])
    assert article.title and first["text"] in (library.db.execute(
        "select clean from articles where id = ?", [article.id]).fetchone()[0])
    assert len(support) == sum(len(c["support"]) for c in brief["claims"])


def test_every_link_is_a_foreign_key_datasette_follows(library: Library) -> None:
    """Single-column keys only: Datasette ignores compound foreign keys."""
    expected = {
        "claims": {("story", "stories", "id")},
        "claim_support": {("claim", "claims", "id"), ("story", "stories", "id"),
                          ("article", "articles", "id")},
        "quotes": {("story", "stories", "id"), ("article", "articles", "id")},
        "conflicts": {("story", "stories", "id"), ("claim", "claims", "id")},
        "conflict_sides": {("conflict", "conflicts", "id"), ("story", "stories", "id"),
                           ("article", "articles", "id")},
        "timeline": {("story", "stories", "id"), ("conflict", "conflicts", "id")},
        "timeline_support": {("entry", "timeline", "id"), ("story", "stories", "id"),
                             ("article", "articles", "id")},
    }
    for table, keys in expected.items():
        found = {(fk.column, fk.other_table, fk.other_column)
                 for fk in library.db[table].foreign_keys}
        assert found == keys, table
    [tables] = datasette_get(library.path, f"/{library.path.stem}.json")
    listed = {t["name"]: t for t in tables["tables"]}
    assert {"claims", "quotes", "conflicts", "conflict_sides", "claim_support"} <= set(listed)
    incoming = {fk["other_table"] for fk in listed["articles"]["foreign_keys"]["incoming"]}
    assert {"claim_support", "quotes", "conflict_sides", "timeline_support"} <= incoming


def test_the_tables_hold_the_whole_brief(library: Library) -> None:
    story = library.story("maravel")
    brief = library.brief("maravel")
    quotes = rows(library, "select * from quotes where story = ? order by position",
                  [story.id])
    assert [(q["quote"], q["article"], q["start"], q["end"], q["text"], q["speaker"])
            for q in quotes] == [(q["id"], q["article"], q["start"], q["end"], q["text"],
                                  q.get("speaker")) for q in brief["quotes"]]
    assert [json.loads(q["carried_by"]) for q in quotes] == [q["carried_by"]
                                                            for q in brief["quotes"]]
    found = brief["conflicts"] + brief["updates"]
    assert found, "the example has conflicts and updates"
    conflicts = rows(library, "select * from conflicts where story = ? order by position",
                     [story.id])
    assert [(c["conflict"], c["kind"], c["about"], bool(c["update"])) for c in conflicts] == \
        [(c["id"], c["kind"], c["about"], c in brief["updates"]) for c in found]
    sides = rows(library, "select c.conflict, s.article, s.value, s.start, s.end, s.outlet "
                          "from conflict_sides s join conflicts c on c.id = s.conflict "
                          "order by c.position, s.position")
    outlets = {a["id"]: a["source"] for a in brief["articles"]}
    assert sides == [{"conflict": c["id"], "article": s["article"], "value": s["value"],
                      "start": s["start"], "end": s["end"], "outlet": outlets[s["article"]]}
                     for c in found for s in c["sides"]]
    # the timeline, entry by entry, each span cited, a date in conflict linked to it
    timeline = rows(library, "select * from timeline where story = ? order by position",
                    [story.id])
    assert len(timeline) == len(brief["timeline"]) > 0
    conflict_row = {c["conflict"]: c["id"] for c in conflicts}
    assert [(t["date"], t["text"], t["articles"], t["conflict"]) for t in timeline] == \
        [(t["date"], t["text"], len(t["articles"]), conflict_row.get(t["conflict"] or ""))
         for t in brief["timeline"]]
    assert any(t["conflict"] for t in timeline), "the example dates a conflict"
    support = rows(library, "select t.position as entry, s.article, s.start, s.end, s.text, "
                            "s.outlet from timeline_support s join timeline t "
                            "on t.id = s.entry order by t.position, s.position")
    assert support == [{"entry": n, "article": s["article"], "start": s["start"],
                        "end": s["end"], "text": s["text"], "outlet": outlets[s["article"]]}
                       for n, t in enumerate(brief["timeline"]) for s in t["support"]]
    # a claim's support count is of distinct articles
    for claim in rows(library, "select * from claims where story = ?", [story.id]):
        [same] = [c for c in brief["claims"] if c["id"] == claim["claim"]]
        assert claim["articles"] == len({s["article"] for s in same["support"]})


def test_a_new_brief_replaces_the_story_rows_in_its_transaction(tmp_path: Path) -> None:
    """Storing a story's brief replaces its rows (not another story's); a story deleted by a
    merge takes its rows with it; ids are unique across stories that share a claim."""
    library = Library(tmp_path / "library.db")
    ids = library.ingest([str(example_path())]).ids
    one, two = library.create_story("one", ids), library.create_story("two", ids)
    brief = library.brief("one")
    library._store_brief(two.id, "key", brief)  # the same claims in two stories
    count = len(brief["claims"])
    assert library.db["claims"].count == 2 * count
    smaller = {**brief, "claims": brief["claims"][:2], "quotes": [], "conflicts": [],
               "updates": []}
    library._store_brief(two.id, "key2", smaller)
    by_story = dict(library.db.execute(
        "select story, count(*) from claims group by story").fetchall())
    assert by_story == {one.id: count, two.id: 2}
    assert library.db.execute("select count(*) from quotes where story = ?",
                              [two.id]).fetchone()[0] == 0
    # A storing that fails leaves the previous rows (same transaction as the brief).
    broken = {**brief, "claims": [{"text": "no id"}]}
    with pytest.raises(KeyError):
        library._store_brief(two.id, "key3", broken)
    assert library.db.execute("select count(*) from claims where story = ?",
                              [two.id]).fetchone()[0] == 2
    assert json.loads(library.db.execute("select json from briefs where story = ?",
                                         [two.id]).fetchone()[0]) == smaller
    # Deleting a story (here by the cascade of its foreign keys) removes its rows.
    with library.writing() as db:
        library._delete_story(db, two.id)
    for table in TABLE_NAMES:
        assert library.db.execute(f'select count(*) from "{table}" where story = ?',
                                  [two.id]).fetchone()[0] == 0
    assert library.db["claims"].count == count


def test_a_conflict_about_a_claim_links_to_its_row(tmp_path: Path) -> None:
    """Rows are written parents first: a conflict naming its claim (and a date naming its
    conflict) store in one transaction with the rows they name."""
    library = Library(tmp_path / "library.db")
    story = library.create_story("one", library.ingest([str(example_path())]).ids)
    brief = library.brief("one")
    claim = brief["claims"][0]["id"]
    dated = next(t for t in brief["timeline"] if t["conflict"])
    conflicts = [{**c, "claim": claim} if c["id"] == dated["conflict"] else c
                 for c in brief["conflicts"]]
    library._store_brief(story.id, "key", {**brief, "conflicts": conflicts})
    [conflict] = rows(library, "select id, claim from conflicts where conflict = ?",
                      [dated["conflict"]])
    [claim_row] = rows(library, "select id from claims where claim = ?", [claim])
    assert conflict["claim"] == claim_row["id"]
    assert conflict["id"] in {r["conflict"] for r in rows(library, "select * from timeline")}


def test_a_span_of_an_article_not_in_the_library_is_left_out(tmp_path: Path) -> None:
    library = Library(tmp_path / "library.db")
    ids = library.ingest([str(example_path())]).ids
    story = library.create_story("one", ids)
    brief = library.brief("one")
    stranger = {**brief["claims"][0], "support": [
        *brief["claims"][0]["support"],
        {"article": "0000000000000000", "start": 0, "end": 4, "text": "Gone"}]}
    library._store_brief(story.id, "key", {**brief, "claims": [stranger]})
    assert [r["article"] for r in rows(library, "select article from claim_support")] == \
        [s["article"] for s in brief["claims"][0]["support"]]


@pytest.mark.parametrize("missing", [("0009_brief_tables", "0011_timeline_tables"),
                                     ("0011_timeline_tables",)])
def test_an_older_library_gets_the_tables_of_its_stored_briefs(
        tmp_path: Path, library: Library, missing: tuple[str, ...]) -> None:
    """Migrations 0009 and 0011 fill the tables they add from the briefs stored before
    them: a library made before both, and one made before the timeline's tables."""
    path = tmp_path / "old.db"
    source = sqlite3.connect(library.path)
    target = sqlite3.connect(path)
    source.backup(target)
    source.close()
    dropped = [t for t in TABLE_NAMES if any(t in MIGRATION_TABLES[m] for m in missing)]
    for table in dropped:
        target.execute(f'drop table "{table}"')
    target.execute(f"delete from migrations where name in ({','.join('?' * len(missing))})",
                   missing)
    # a story whose stored brief is damaged, and two whose briefs lack what a row needs
    for name, text in (("damaged", "{not json"), ("odd", json.dumps({"claims": [{}]})),
                       ("undated", json.dumps({"timeline": [{"text": "no date"}]}))):
        target.execute("insert into stories (id, name, created, kind) values (?, ?, '', "
                       "'named')", [name, name])
        target.execute("insert into briefs (story, key, schema, created, json) values "
                       "(?, 'k', 'crossbrief.brief/1', '', ?)", [name, text])
    target.commit()
    target.close()
    assert "timeline" not in Database(path).table_names()
    with Library(path) as old:
        assert old.migrations() == [name for name, _ in MIGRATIONS]
        story = old.story("maravel")
        expected = brief_rows(story.id, library.brief("maravel"))
        for table in TABLE_NAMES:
            assert old.db[table].count == len(expected[table]) > 0, table
        for table, order in (("claims", "id"), ("timeline", "id"),
                             ("timeline_support", "entry, position")):
            assert rows(old, f"select * from {table} order by {order}") == \
                rows(library, f"select * from {table} order by {order}")


def test_the_timeline_migration_names_only_conflicts_that_are_there(
        tmp_path: Path, library: Library) -> None:
    """A library whose conflicts rows no longer match its stored brief (a crossbrief older
    than the brief tables briefed it again) still opens: the timeline's dates name no
    conflict whose row is missing."""
    path = tmp_path / "old.db"
    source = sqlite3.connect(library.path)
    target = sqlite3.connect(path)
    source.backup(target)
    source.close()
    for table in MIGRATION_TABLES["0011_timeline_tables"]:
        target.execute(f'drop table "{table}"')
    target.execute("delete from migrations where name = '0011_timeline_tables'")
    target.execute("delete from conflict_sides")
    target.execute("delete from conflicts")
    target.commit()
    target.close()
    with Library(path) as old:
        story = old.story("maravel")
        expected = brief_rows(story.id, library.brief("maravel"))["timeline"]
        assert any(row["conflict"] for row in expected)
        found = rows(old, "select * from timeline order by position")
        assert found == [{**row, "conflict": None} for row in expected]


def test_brief_rows_follow_the_brief_not_the_settings() -> None:
    """Row ids are content hashes of the story and the brief's own ids."""
    brief = json.loads((Path(__file__).parent / "golden" / "maravel-bridge.brief.json")
                       .read_text("utf-8"))
    first, again = brief_rows("s1", brief), brief_rows("s1", json.loads(json.dumps(brief)))
    other = brief_rows("s2", brief)
    assert first == again
    assert {r["id"] for r in first["claims"]}.isdisjoint(r["id"] for r in other["claims"])
    assert [r["claim"] for r in first["claims"]] == [r["claim"] for r in other["claims"]]
