"""`crossbrief stories`: a stream grouped into stories (files, folders, JSONL, stdin, the
library), the crossbrief.stories/1 document and its schema, its renderers (golden files:
regenerate after a deliberate change with ``CROSSBRIEF_REGENERATE=1 python -m pytest
tests/test_stories_cli.py`` and review the diff), `--brief`, and a person's corrections of
the library's automatic stories (`crossbrief story ...`) surviving later ingests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import click.testing
import jsonschema
import pytest
from click.testing import CliRunner

import crossbrief.ingest
from crossbrief.cli import cli, example_path
from crossbrief.errors import ConfigError
from crossbrief.ingest import read_inputs
from crossbrief.model import Skipped, article_id
from crossbrief.render import RenderOptions
from crossbrief.render.stories import render_stories, stories_formats
from crossbrief.store import Library
from crossbrief.storylist import ArticleRef, StoryList, group_inputs, story_entry

from .conftest import GOLDEN, ROOT

DOCS = ROOT / "docs"
SCHEMA = json.loads((DOCS / "stories.schema.json").read_text("utf-8"))
BRIEF_SCHEMA = json.loads((DOCS / "brief.schema.json").read_text("utf-8"))

# Two events of our own, told by several outlets each.
FERRY = [
    {"title": "Fire on the Tallport ferry Northern Star forces 212 passengers to evacuate",
     "source": "Tallport Herald", "published": "2024-05-02",
     "text": "A fire broke out in the engine room of the ferry Northern Star on Thursday "
             "morning as it crossed from Tallport to Skerry Island, forcing all 212 "
             "passengers into lifeboats. Captain Ines Varga said the crew contained the "
             "fire within forty minutes. The Tallport coastguard towed the ferry back to "
             "harbour, and four passengers were treated for smoke inhalation."},
    {"title": "Northern Star ferry fire: coastguard praises Captain Varga",
     "source": "Coastal Wire", "published": "2024-05-02",
     "text": "The Tallport coastguard praised Captain Ines Varga after a fire in the engine "
             "room of the ferry Northern Star on Thursday. All 212 passengers on the "
             "crossing to Skerry Island reached the lifeboats, and four were treated for "
             "smoke inhalation. The ferry was towed back to Tallport harbour."},
    {"title": "Inquiry opens into Northern Star engine-room fire",
     "source": "Island Radio", "published": "2024-05-03",
     "text": "Investigators opened an inquiry on Friday into the engine-room fire that "
             "forced the evacuation of 212 passengers from the ferry Northern Star off "
             "Tallport. Captain Ines Varga and her crew had put out the fire within forty "
             "minutes, the coastguard said. Sailings to Skerry Island are suspended."},
]
TRAM = [
    {"title": "Eastvale council approves the Riverside tram line by 31 votes to 12",
     "source": "Eastvale Post", "published": "2024-06-10",
     "text": "Eastvale city council approved the Riverside tram line on Monday night by 31 "
             "votes to 12. Mayor Tomas Okafor said construction of the 9-kilometre line "
             "would begin next spring and cost 480 million euros. Opponents on the council "
             "said the budget for the tram was unrealistic."},
    {"title": "Riverside tram wins council vote after long debate",
     "source": "Metro Daily", "published": "2024-06-11",
     "text": "After a seven-hour debate, Eastvale councillors voted 31 to 12 for the "
             "Riverside tram line, a 9-kilometre route costing 480 million euros. Mayor "
             "Tomas Okafor called the vote historic; construction starts next spring."},
]


def write_stream(folder: Path) -> list[str]:
    """The stream in every shape an input comes in: a JSON list, a JSON Lines file with a
    broken line, and a folder of text files. Returns the inputs, relative to ``folder``."""
    (folder / "wire.json").write_text(json.dumps(FERRY[:2]), "utf-8")
    lines = [json.dumps(TRAM[0]), "{this line is not JSON", json.dumps(TRAM[1])]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    (folder / "pages").mkdir()
    ferry = FERRY[2]
    (folder / "pages" / "island-radio.txt").write_text(
        f"---\ntitle: {ferry['title']}\nsource: {ferry['source']}\n"
        f"published: {ferry['published']}\n---\n{ferry['text']}\n", "utf-8")
    return ["wire.json", "feed.jsonl", "pages"]


def crossbrief_command(*args: str, cwd: Path, stdin: str | None = None
                       ) -> subprocess.CompletedProcess[str]:
    """The installed command, in a process of its own (stdout as a pipe, not a terminal)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    env.pop("CROSSBRIEF_DB", None)
    return subprocess.run([sys.executable, "-m", "crossbrief", *args], cwd=cwd, env=env,
                          input=stdin, capture_output=True, text=True, timeout=300)


def run(*args: str, input: str | None = None) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def ids_of(story: dict[str, Any]) -> set[str]:
    return {a["id"] for a in story["articles"]}


@pytest.fixture(scope="module")
def stream(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stream")
    write_stream(folder)
    return folder


@pytest.fixture(scope="module")
def grouped(stream: Path) -> subprocess.CompletedProcess[str]:
    """`crossbrief stories` on the stream, as JSON (once)."""
    return crossbrief_command("stories", "wire.json", "feed.jsonl", "pages", "-f", "json",
                              cwd=stream)


def test_stream_document(grouped: subprocess.CompletedProcess[str]) -> None:
    """Every article read is in exactly one story, named as the brief names its input; the
    bad line is named with its reason; stdout holds the document and nothing else."""
    assert grouped.returncode == 2, grouped.stderr  # one line of the feed was skipped
    data = json.loads(grouped.stdout)
    jsonschema.validate(data, SCHEMA)
    inputs = [(a["id"], a["input"]) for s in data["stories"] for a in s["articles"]]
    assert sorted(inputs) == sorted([
        (article_id(FERRY[0]["text"]), "wire.json#1"),
        (article_id(FERRY[1]["text"]), "wire.json#2"),
        (article_id(FERRY[2]["text"]), os.path.join("pages", "island-radio.txt")),
        (article_id(TRAM[0]["text"]), "feed.jsonl:1"),
        (article_id(TRAM[1]["text"]), "feed.jsonl:3")])
    for story in data["stories"]:
        dates = [a["published"] for a in story["articles"]]
        assert dates == sorted(dates)
        assert (story["first_seen"], story["last_seen"]) == (dates[0], dates[-1])
        assert story["outlets"] == sorted({a["source"] for a in story["articles"]})
    assert [s["first_seen"] for s in data["stories"]] == sorted(
        s["first_seen"] for s in data["stories"])
    assert [(s["input"], s["code"]) for s in data["skipped"]] == [("feed.jsonl:2", "E105")]
    assert "crossbrief: skipped feed.jsonl:2: invalid JSON on line 2" in grouped.stderr


def test_stream_grouped_into_its_two_events(grouped: subprocess.CompletedProcess[str]) -> None:
    data = json.loads(grouped.stdout)
    ferry = {article_id(r["text"]) for r in FERRY}
    tram = {article_id(r["text"]) for r in TRAM}
    assert sorted(map(ids_of, data["stories"]), key=len) == [tram, ferry], [
        (s["title"], len(s["articles"])) for s in data["stories"]]
    story = next(s for s in data["stories"] if ids_of(s) == ferry)
    assert story["first_seen"] == "2024-05-02" and story["last_seen"] == "2024-05-03"
    assert story["outlets"] == ["Coastal Wire", "Island Radio", "Tallport Herald"]
    assert story["title"] in (FERRY[0]["title"], FERRY[1]["title"])


def test_the_order_of_inputs_changes_nothing(stream: Path,
                                             grouped: subprocess.CompletedProcess[str]) -> None:
    backwards = crossbrief_command("stories", "pages", "feed.jsonl", "wire.json", "-f", "json",
                                   cwd=stream)
    assert backwards.returncode == 2 and backwards.stdout == grouped.stdout


def test_stdin_and_output_file(stream: Path, tmp_path: Path) -> None:
    lines = "".join(json.dumps(r) + "\n" for r in [*TRAM, FERRY[0]])
    out = tmp_path / "stories.json"
    result = crossbrief_command("stories", "-", "-f", "json", "-o", str(out), cwd=stream,
                                stdin=lines)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    data = json.loads(out.read_text("utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert sorted(a["input"] for s in data["stories"] for a in s["articles"]) == [
        "-:1", "-:2", "-:3"]
    assert data["skipped"] == []


@pytest.mark.parametrize("fmt,markers", [
    ("md", ["# crossbrief: ", " from 5 articles", "## 1. ", "| Coastal Wire |",
            "## Skipped", "`feed.jsonl:2`"]),
    ("term", [" from 5 articles", "Coastal Wire", "feed.jsonl:2", "Skipped"]),
])
def test_people_formats(stream: Path, monkeypatch: pytest.MonkeyPatch, fmt: str,
                        markers: list[str]) -> None:
    monkeypatch.chdir(stream)
    result = run("stories", "wire.json", "feed.jsonl", "pages", "-f", fmt, "--width", "160")
    assert result.exit_code == 2
    for marker in markers:
        assert marker in result.stdout, marker
    assert "feed.jsonl:2" in result.stderr


def hand_made() -> StoryList:
    """A document built by hand, so the renderers' golden files never follow the clusterer."""
    def ref(n: int, record: dict[str, str], input: str) -> ArticleRef:
        return ArticleRef(article_id(record["text"]), input, record["title"], record["source"],
                          record["published"])

    return StoryList(
        [story_entry("5d0b0c3b1f8a2e47", None, [ref(n, r, f"wire.json#{n + 1}")
                                                for n, r in enumerate(FERRY)]),
         story_entry("0c9d8e7f6a5b4c3d", "Tram vote | Eastvale", [
             ref(0, TRAM[0], "feed.jsonl:1"), ref(1, TRAM[1], "feed.jsonl:3")],
             kind="auto", name="Tram vote | Eastvale", created="2024-06-12T08:00:00+00:00")],
        [Skipped("feed.jsonl:2", "invalid JSON on line 2", "E105")])


@pytest.mark.parametrize("fmt,suffix", [("term", "txt"), ("md", "md"), ("json", "json")])
def test_golden(fmt: str, suffix: str) -> None:
    out = render_stories(hand_made(), fmt, RenderOptions(width=100, color=False))
    golden = GOLDEN / f"stories.{fmt}.{suffix}"
    if os.environ.get("CROSSBRIEF_REGENERATE"):
        golden.write_text(out, "utf-8")
    assert out == golden.read_text("utf-8")
    if fmt == "json":
        jsonschema.validate(json.loads(out), SCHEMA)


def test_renderers_by_name_and_width() -> None:
    assert {"term", "md", "json"} <= set(stories_formats())
    with pytest.raises(ConfigError, match="unknown output format 'html' for stories"):
        render_stories(hand_made(), "html")
    narrow = render_stories(hand_made(), "term", RenderOptions(width=60))
    assert max(len(line) for line in narrow.splitlines()) <= 60
    assert "\x1b[" in render_stories(hand_made(), "term", RenderOptions(color=True))


def test_hostile_titles_are_text(tmp_path: Path) -> None:
    """Titles and outlets are the articles' own words: rich markup in them is shown as text,
    never read (an unmatched closing tag used to stop the terminal output)."""
    record = {"title": "Broken [/bold] markup [red]x | pipe", "source": "[link=http://e]E[/link]",
              "text": "The harbour of Tallport reopened on Monday after the storms [/], the "
                      "port authority said."}
    (tmp_path / "hostile.jsonl").write_text(json.dumps(record) + "\n", "utf-8")
    for fmt in ("term", "md"):
        result = run("stories", str(tmp_path / "hostile.jsonl"), "-f", fmt, "--width", "200")
        assert result.exit_code == 0, result.stderr
        assert "Broken [/bold] markup [red]x" in result.stdout
        assert "[link=http://e]E[/link]" in result.stdout


def test_grouping_parses_nothing(stream: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Plain `stories` reads and cleans, and loads no language model (thousands of articles
    must take seconds); a brief is what parses."""
    import crossbrief.nlp

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("stories without --brief loaded a model")

    for name in ("load_spacy", "load_static_encoder", "prefetch_encoder", "_import_spacy"):
        monkeypatch.setattr(crossbrief.nlp, name, refuse)
    monkeypatch.chdir(stream)
    result = run("stories", "wire.json", "feed.jsonl", "pages", "-f", "json")
    assert result.exit_code == 2 and len(json.loads(result.stdout)["stories"]) >= 2


def test_nothing_readable_exits_1(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text("{", "utf-8")
    result = run("stories", str(tmp_path / "broken.json"), str(tmp_path / "missing.txt"),
                 "-f", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["stories"] == []
    assert result.stderr.count("crossbrief: skipped") == 2


def test_usage_errors_exit_64(tmp_path: Path) -> None:
    assert run("stories", "x.txt", "--db", str(tmp_path / "l.db")).exit_code == 64
    assert run("stories", "x.txt", "-f", "html").exit_code == 64
    assert run("stories", "x.txt", "--kind", "auto").exit_code == 64


@pytest.fixture(scope="module")
def mixed(seed_dir: Path) -> Any:
    """The seed articles and the bundled example given as one stream (once)."""
    return group_inputs([str(seed_dir), str(example_path())])


@pytest.mark.xfail(strict=True, reason=(
    "issue 14's behaviour test, not met yet by the engine: the five undated seed articles "
    "come out as three stories (3 + 1 + 1; five of one with the GVA background, which the "
    "engine no longer uses), the example's six as one; strict, so this fails the day the "
    "engine gets it right and the mark must go"))
def test_two_events_mixed_give_two_stories(mixed: Any, seed_dir: Path) -> None:
    data = mixed.to_dict()
    jsonschema.validate(data, SCHEMA)
    assert len(data["stories"]) == 2, [(s["title"], len(s["articles"])) for s in data["stories"]]
    seed = {a.id for a in read_inputs([str(seed_dir)]).articles}
    example = {a.id for a in read_inputs([str(example_path())]).articles}
    assert sorted(map(ids_of, data["stories"]), key=len) == [seed, example]


def test_brief_of_a_two_article_story(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A wire story and its reprint with a line added: one story by any measure.
    reprint = {**TRAM[0], "source": "Regional Wire",
               "text": TRAM[0]["text"] + " The first trams are due to run in 2028."}
    (tmp_path / "stream.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in [TRAM[0], reprint, FERRY[0]]), "utf-8")
    monkeypatch.chdir(tmp_path)
    reads: list[str] = []
    read_one = crossbrief.ingest.read_one

    def counting(name: str, *args: Any, **kwargs: Any) -> Any:
        reads.append(name)
        return read_one(name, *args, **kwargs)

    monkeypatch.setattr(crossbrief.ingest, "read_one", counting)
    result = run("stories", "stream.jsonl", "--brief", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert reads == ["stream.jsonl"]  # the briefs reuse what was read
    data = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    tram = next(s for s in data["stories"] if len(s["articles"]) == 2)
    alone = next(s for s in data["stories"] if len(s["articles"]) == 1)
    assert "brief" not in alone  # one article: nothing to compare
    brief = tram["brief"]
    jsonschema.validate(brief, BRIEF_SCHEMA)
    assert sorted(a["id"] for a in brief["articles"]) == sorted(ids_of(tram))
    assert {a["input"] for a in brief["articles"]} == {"stream.jsonl:1", "stream.jsonl:2"}
    assert "claims" in brief["stages"] and brief["claims"]
    markdown = run("stories", "stream.jsonl", "--brief", "-f", "md")
    assert "### Brief of story" in markdown.stdout


# --- the library ---------------------------------------------------------------------------


def library_stories(db: Path, *args: str) -> dict[str, Any]:
    result = run("stories", "--db", str(db), "-f", "json", *args)
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    jsonschema.validate(data, SCHEMA)
    return data


def auto_story_of(data: dict[str, Any], article: str) -> dict[str, Any]:
    found = [s for s in data["stories"] if s["kind"] == "auto" and article in ids_of(s)]
    assert len(found) == 1, article  # every article in exactly one automatic story
    return found[0]


def test_ingest_assigns_stories_and_corrections_stick(stream: Path, tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    ingested = run("ingest", str(stream / "wire.json"), str(stream / "feed.jsonl"),
                   "--db", str(db))
    assert ingested.exit_code == 2 and "4 added" in ingested.stdout  # the bad line skipped
    ferry = [article_id(r["text"]) for r in FERRY]
    tram = [article_id(r["text"]) for r in TRAM]
    data = library_stories(db)
    assert all(s["kind"] == "auto" and s["name"] is None for s in data["stories"])
    assert data["skipped"] == []
    tram_story = auto_story_of(data, tram[0])["id"]
    ferry_story = auto_story_of(data, ferry[0])["id"]
    assert tram_story != ferry_story

    # A person puts both tram articles and a ferry article together, then splits the second
    # tram article out and names it, and names the ferry story; then the third ferry article
    # arrives, close to all the ferry articles: the corrections hold.
    for article in (tram[1], ferry[1]):
        moved = run("story", "move", article, tram_story, "--db", str(db))
        assert moved.exit_code == 0 and moved.stdout.startswith(tram_story + "\t")
    split = run("story", "split", tram_story, tram[1], "--name", "tram vote, day two",
                "--db", str(db))
    assert split.exit_code == 0, split.stderr
    new_story = split.stdout.split("\t")[0]
    renamed = run("story", "rename", ferry_story, "ferry fire", "--db", str(db))
    assert renamed.exit_code == 0 and "\tferry fire\t" in renamed.stdout
    assert run("ingest", str(stream / "pages"), "--db", str(db)).exit_code == 0
    data = library_stories(db)
    assert {tram[0], ferry[1]} <= ids_of(auto_story_of(data, ferry[1]))
    assert tram[1] not in ids_of(auto_story_of(data, ferry[1]))
    assert ids_of(auto_story_of(data, tram[1])) == {tram[1]}
    assert auto_story_of(data, tram[1])["id"] == new_story
    assert auto_story_of(data, tram[1])["title"] == "tram vote, day two"
    # the name stays with the story's articles, wherever the grouping took them
    assert auto_story_of(data, ferry[0])["name"] == "ferry fire"

    # Merging is for good too.
    merged = run("story", "merge", "ferry fire", new_story, "--db", str(db))
    assert merged.exit_code == 0, merged.stderr
    (folder := tmp_path / "more").mkdir()
    (folder / "later.json").write_text(json.dumps(
        {**FERRY[2], "text": FERRY[2]["text"] + " The ferry company apologised on Saturday.",
         "published": "2024-05-04"}), "utf-8")
    assert run("ingest", str(folder), "--db", str(db)).exit_code == 0
    data = library_stories(db)
    assert {ferry[0], tram[1]} <= ids_of(auto_story_of(data, ferry[0]))
    assert sum(len(s["articles"]) for s in data["stories"]) == 6
    assert library_stories(db, "--kind", "named")["stories"] == []


def test_story_corrections_refuse_what_cannot_be(tmp_path: Path, stream: Path) -> None:
    db = tmp_path / "library.db"
    assert run("ingest", str(stream / "wire.json"), "--db", str(db)).exit_code == 0
    data = library_stories(db)
    story = data["stories"][0]
    first = sorted(ids_of(story))[0]
    with Library(db) as library:
        library.create_story("hand", sorted(ids_of(story)))
    for args, code in [
        (["move", first, "no-such-story"], "E502"),
        (["move", "no-such-article", story["id"]], "E501"),
        (["move", first, "hand"], "E506"),  # a named story is edited by naming its articles
        (["merge", story["id"], story["id"]], "E506"),
        (["split", story["id"], *ids_of(story)], "E506"),  # not every article
        (["split", story["id"], "not-in-it"], "E506"),
        (["rename", story["id"], "hand"], "E506"),  # another story's name
    ]:
        result = run("story", *args, "--db", str(db))
        assert result.exit_code == 1, (args, result.stdout)
        assert f"[{code}]" in result.stderr, (args, result.stderr)
    assert run("story", "move", first, story["id"], "--db", str(tmp_path / "typo.db")
               ).exit_code == 1
    assert not (tmp_path / "typo.db").exists()
    data_after = library_stories(db)
    assert [s for s in data_after["stories"] if s["kind"] == "auto"] == data["stories"]
    named = [s for s in data_after["stories"] if s["kind"] == "named"]
    assert [(s["name"], s["title"]) for s in named] == [("hand", "hand")]


def test_stories_db_brief_shows_the_brief_it_made_while_the_library_is_busy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`stories --db --brief` while another writer holds the library: each brief made but
    not stored is shown as made, not the stale one stored before nor none (review R44, 1)."""
    import sqlite3

    import crossbrief.pipeline
    import crossbrief.store
    from crossbrief.model import Article

    monkeypatch.setattr(crossbrief.pipeline, "run_stages", lambda corpus, *a, **k: corpus)
    texts = ["The harbour reopened on Monday, the mayor said.",
             "Ships returned to the harbour on Monday after it reopened, the mayor said."]
    ids = [article_id(t) for t in texts]
    path = tmp_path / "library.db"
    with Library(path) as library:
        library.add_articles([Article(id=i, source="Wire", text=t, title=f"Old title {n}",
                                      input="a.txt")
                              for n, (i, t) in enumerate(zip(ids, texts, strict=True))])
        library.create_story("harbour", ids)
        library.brief("harbour")  # stored for the old titles
        library.correct_article(ids[0], title="Corrected title")
    monkeypatch.setattr(crossbrief.store, "BUSY_TIMEOUT", 0.1)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        result = CliRunner().invoke(cli, ["stories", "--db", str(path), "--brief", "--kind",
                                          "named", "--format", "json"])
    finally:
        writer.rollback()
        writer.close()
    assert result.exit_code == 0, result.output
    assert "is not stored" in result.stderr and "[E508]" in result.stderr
    [story] = json.loads(result.stdout)["stories"]
    assert sorted(a["title"] for a in story["brief"]["articles"]) == ["Corrected title",
                                                                      "Old title 1"]
