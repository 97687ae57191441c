"""`crossbrief stories INPUT... --brief` in bounded memory (issue 16, docs/scale.md "Memory"):
the articles and briefs wait in a temporary file (crossbrief.spill), the grouping reads the
leads of the texts, the output is written a story at a time; and none of it changes a byte
of the output."""

from __future__ import annotations

import json
import random
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

import crossbrief.nlp
import crossbrief.pipeline
from crossbrief.config import load_settings
from crossbrief.errors import DatabaseError
from crossbrief.ingest import read_inputs
from crossbrief.model import Article, Brief, Skipped, Story
from crossbrief.pipeline import run_story
from crossbrief.render import RenderOptions
from crossbrief.render.stories import iter_render_stories, render_stories
from crossbrief.spill import Spill, spilled_articles
from crossbrief.stories import TEXT_CHARS, StreamArticle, cluster
from crossbrief.storylist import (
    BriefNotes,
    StoryList,
    group_inputs,
    lead_of,
    stream_stories,
)

from .conftest import SHARED, need_shared
from .test_stories_cli import hand_made, run, write_stream

GVA = SHARED / "eval" / "gva-stream" / "dev.jsonl"


def prose(seed: int, chars: int, topic: int | None = None) -> str:
    """Paragraphs of sentences (so that cleaning keeps them), ``chars`` long, all different;
    texts of the same ``topic`` (default: the seed) share their words."""
    words = random.Random(f"topic {seed if topic is None else topic}")
    vocabulary = ["".join(words.choice("bcdfglmnprstv") + words.choice("aeiou")
                          for _ in range(3)) for _ in range(40)]
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < chars:
        sentence = " ".join(rng.choice(vocabulary) for _ in range(12)).capitalize() + \
            f" number {rng.randrange(10**6)}."
        out.append(sentence + ("\n\n" if len(out) % 5 == 4 else " "))
        size += len(out[-1])
    return "".join(out)


def test_the_lead_is_what_grouping_reads() -> None:
    long_words = " ".join("x" * 400 for _ in range(20))  # twelve words end past TEXT_CHARS
    for text in [prose(1, 10_000), prose(2, 500), long_words, "  \n" + long_words,
                 " " * 5000, "word " * 3]:
        article = Article(id="a", source="s", text=text, input="a.txt")
        lead = lead_of(article).text
        assert text.startswith(lead)
        assert lead[:TEXT_CHARS] == text[:TEXT_CHARS]
        assert lead.split()[:12] == text.split()[:12]
        assert bool(lead.strip()) == bool(text.strip())
        assert len(lead) <= max(TEXT_CHARS, len(" ".join(text.split()[:12])) + 3)


@pytest.mark.shared
def test_grouping_the_leads_is_grouping_the_texts() -> None:
    """The stories of a real stream are the same from the leads as from the whole texts
    (and so the command's, as before it kept only the leads)."""
    need_shared(GVA)
    settings = load_settings()
    cleaned = run_story(Story(read_inputs([str(GVA)], settings).articles), settings,
                        stages=["clean"])
    articles = cleaned.articles[:600]
    whole = cluster(StreamArticle.from_article(a) for a in articles)
    leads = cluster(lead_of(a) for a in articles)
    assert sum(len(a.text) > TEXT_CHARS for a in articles) > 100  # the leads are shorter
    assert [(g.id, g.title, [a.id for a in g.articles]) for g in leads] == \
        [(g.id, g.title, [a.id for a in g.articles]) for g in whole]


def test_json_in_pieces_is_the_document() -> None:
    brief = Brief(articles=[Article(id="a1", source="Ünïcode “Wire”", text="Text\nwith a line.",
                                     input="a.txt")], skipped=[Skipped("x", "why", "E100")])
    full = hand_made()
    full.stories[1].brief = brief
    for stories in [full, StoryList(), StoryList(skipped=[Skipped("x", "y")]),
                    StoryList(full.stories[:1])]:
        expected = json.dumps(stories.to_dict(), ensure_ascii=False, indent=2)
        assert "".join(stories.iter_json()) == expected
        # A piece a story, and the head and tail around them.
        assert len(list(iter_render_stories(stories, "json"))) == len(stories.stories) + 3
        for fmt in ("term", "md"):
            assert len(list(iter_render_stories(stories, fmt))) == len(stories.stories) + 1


def test_a_plugin_renderer_gets_every_brief(monkeypatch: pytest.MonkeyPatch) -> None:
    from crossbrief.render import stories as renderers

    seen: list[int] = []

    def count(stories: StoryList, options: RenderOptions) -> str:
        seen.append(len(stories.briefs))
        return "counted\n"

    monkeypatch.setitem(renderers.STORIES_RENDERERS, "count", count)
    with Spill() as spill:
        listed = hand_made()
        listed.spill = spill
        spill.put_brief(0, Brief(stages=["clean"]).to_dict())
        listed.notes[0] = BriefNotes((), ())
        assert render_stories(listed, "count") == "counted\n" and seen == [1]
        assert listed.stories[0].brief is None  # the list itself still holds none


def test_spill_keeps_articles_and_briefs_and_removes_its_file(tmp_path: Path) -> None:
    articles = [Article(id=f"a{n}", source="s", text=prose(n, 300), input=f"{n}.txt",
                        title=f"T{n}") for n in range(3)]
    with Spill(tmp_path) as spill:
        for seq, article in enumerate(articles):
            spill.put_article(seq * 2, article)
        lazy = spilled_articles(spill, [4, 0])
        assert len(lazy) == 2
        assert list(lazy) == [articles[2], articles[0]]
        assert lazy[1] == articles[0] and list(lazy[:1]) == [articles[2]]
        assert list(lazy) is not list(lazy)  # read again each time: nothing held
        with pytest.raises(KeyError):
            spill.articles([1])
        spill.put_brief(3, {"schema": "x", "n": [1.5, None, "é"]})
        assert spill.brief(3) == {"schema": "x", "n": [1.5, None, "é"]}
        assert spill.brief(2) is None
        assert list(tmp_path.iterdir()) == [spill.directory]
    assert list(tmp_path.iterdir()) == []


def test_a_temporary_file_that_fails_is_named(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match=r"\[E504\] the run's temporary file in .*missing"):
        Spill(tmp_path / "missing")
    with Spill(tmp_path) as spill:
        spill.db.close()  # as a disk that fails under it
        with pytest.raises(DatabaseError, match="TMPDIR"):
            spill.put_brief(0, {})
    assert list(tmp_path.iterdir()) == []


def test_the_file_is_removed_on_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    write_stream(tmp_path)
    monkeypatch.chdir(tmp_path)
    made: list[Path] = []
    real = Spill.__init__

    def recording(self: Spill, directory: Any = None) -> None:
        real(self, directory)
        made.append(self.directory)

    monkeypatch.setattr(Spill, "__init__", recording)
    with pytest.raises(KeyboardInterrupt), \
            stream_stories(["wire.json", "feed.jsonl", "pages"]) as found:
        assert found.stories and made[0].exists()
        raise KeyboardInterrupt
    assert made and not made[0].exists()


ARTICLES, ARTICLE_CHARS = 80, 40_000


def peak_bytes(func: Any) -> int:
    """The peak of Python's allocations (numpy's included) while ``func`` runs."""
    tracemalloc.start()
    try:
        func()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture(scope="module")
def big_stream(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, int]:
    """Eighty different articles of 40 kB each, one file each, two telling
    one story; the text's size, and the peak of grouping their leads alone."""
    folder = tmp_path_factory.mktemp("big")
    total = 0
    for n in range(ARTICLES):
        text = prose(n, ARTICLE_CHARS, topic=0 if n < 2 else None)
        total += len(text)
        title = "Ferry fire off Tallport" if n < 2 else f"Report number {n}"
        (folder / f"{n:03d}.md").write_text(
            f"---\ntitle: {title}\nsource: Outlet {n % 7}\npublished: 2024-05-0{1 + n % 9}\n"
            f"---\n{text}\n", "utf-8")
    settings = load_settings()
    leads = [lead_of(a) for a in run_story(Story(read_inputs([str(folder)], settings).articles),
                                           settings, stages=["clean"]).articles]
    return folder, total, peak_bytes(lambda: cluster(leads))


def fake_brief(story: Story, settings: Any, **options: Any) -> Brief:
    """A brief without models: the story's articles as they are (its size is theirs)."""
    return Brief(articles=list(story.articles), stages=["ingest", "clean"])


def test_the_reading_process_holds_no_stream_of_texts(big_stream: tuple[Path, int, int],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Grouping and briefing a stream of 3.2 MB of text needs, at its peak (Python's
    allocations, tracemalloc), what grouping the leads alone needs (the clusterer's own
    features, a few kB an article) and little more: an input at a time, one story's articles
    and brief, one story's output. Keeping every article, brief or the whole output in
    memory, as before, adds 3.2 MB each (reading and cleaning one 40 kB article alone peaks
    at about 0.6 MB)."""
    folder, total, grouping = big_stream
    monkeypatch.setattr(crossbrief.pipeline, "run_story", fake_brief)
    monkeypatch.setattr(crossbrief.nlp, "prefetch_encoder", lambda settings: None)
    settings = load_settings()
    sizes: dict[str, int] = {}

    def whole_run(inputs: list[str]) -> None:
        sizes.clear()
        with stream_stories(inputs, settings, briefs=True) as found:
            assert all(s.brief is None for s in found.stories)
            for chunk in iter_render_stories(found, "json"):
                sizes["out"] = sizes.get("out", 0) + len(chunk)
            sizes["briefs"] = len(found.notes)

    # Once first, on two articles: what is imported and cached once is not the stream's.
    whole_run([str(folder / "000.md"), str(folder / "001.md")])
    peak = peak_bytes(lambda: whole_run([str(folder)]))
    # The story of two is briefed, and its brief (with their texts) is in the output.
    assert sizes["briefs"] == 1 and sizes["out"] > 2 * ARTICLE_CHARS
    assert peak < grouping + total / 4, \
        f"peak {peak / 1e6:.1f} MB: grouping {grouping / 1e6:.1f} MB, text {total / 1e6:.1f} MB"


def test_the_old_way_would_fail_the_bound(big_stream: tuple[Path, int, int]) -> None:
    """The bound above can fail: the stream read and grouped in memory at once passes it."""
    folder, total, grouping = big_stream
    settings = load_settings()

    def old_way() -> None:
        cleaned = run_story(Story(read_inputs([str(folder)], settings).articles), settings,
                            stages=["clean"])
        cluster(StreamArticle.from_article(a) for a in cleaned.articles)

    assert peak_bytes(old_way) > grouping + total / 4


def test_briefs_reach_the_output_in_order(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Each story's brief is made from its articles read back from the file, kept there, and
    read back onto its story for the output, in the stories' order; group_inputs gives the
    same list in memory."""
    write_stream(tmp_path)
    monkeypatch.chdir(tmp_path)
    given: list[list[str]] = []

    def brief(story: Story, settings: Any, **options: Any) -> Brief:
        given.append([a.id for a in story.articles])
        return Brief(articles=list(story.articles), stages=["ingest", "clean", "fake"],
                      skipped=[Skipped(f"note {len(given)}", "a note")])

    monkeypatch.setattr(crossbrief.pipeline, "run_story", brief)
    monkeypatch.setattr(crossbrief.nlp, "prefetch_encoder", lambda settings: None)
    inputs = ["wire.json", "feed.jsonl", "pages"]
    with stream_stories(inputs, briefs=True) as found:
        wanted = [s for s in found.stories if len(s.articles) >= 2]
        assert len(wanted) == 2 and len(found.notes) == 2
        assert [[a.id for a in s.articles] for s in wanted] == given
        told = [[n.input for n in notes.skipped] for notes in found.brief_notes()]
        assert told == [["note 1"], ["note 2"]]
        stories = list(found.iter_stories())
        assert [s.brief.stages[-1] if s.brief else None for s in stories] == \
            ["fake" if len(s.articles) >= 2 else None for s in found.stories]
        document = found.to_dict()
    given.clear()
    assert group_inputs(inputs, briefs=True).to_dict() == document


def test_the_command_writes_what_the_library_makes(tmp_path: Path) -> None:
    """stdout and -o carry the same document, pieces joined."""
    write_stream(tmp_path)
    inputs = [str(tmp_path / n) for n in ("wire.json", "feed.jsonl", "pages")]
    for fmt in ("json", "md", "term"):
        printed = run("stories", *inputs, "-f", fmt, "--width", "100")
        written = run("stories", *inputs, "-f", fmt, "--width", "100", "-o",
                      str(tmp_path / f"out.{fmt}"))
        assert printed.exit_code == written.exit_code == 2
        assert (tmp_path / f"out.{fmt}").read_text("utf-8") == printed.stdout
        assert written.stdout == ""
        with stream_stories(inputs) as found:
            assert printed.stdout == render_stories(
                found, fmt, RenderOptions(width=100, color=False))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]


def test_library_stories_with_briefs_hold_one_brief_at_a_time(tmp_path: Path,
                                                              monkeypatch: Any) -> None:
    """`stories --db --brief` writes the briefs the library stores, read back one story at a
    time as the output is written: the list the command builds holds none of them, and the
    document carries each story's stored brief (the same as `Library.brief` gives)."""
    import contextlib

    from crossbrief.cli import _library_stories
    from crossbrief.store import Library

    folder = tmp_path / "stream"
    folder.mkdir()
    inputs = [str(folder / name) for name in write_stream(folder)]
    db = str(tmp_path / "lib.db")
    settings = load_settings()
    read = read_inputs(inputs, settings)
    with Library(db) as library:
        library.add_articles(read.articles)
    made: list[str] = []
    real = crossbrief.pipeline.run_story

    def counted(*args: Any, **kwargs: Any) -> Brief:
        made.append("brief")
        return real(*args, **kwargs)

    monkeypatch.setattr(crossbrief.pipeline, "run_story", counted)
    with contextlib.ExitStack() as held:
        found = _library_stories(db, None, True, settings, None, None, held)
        assert found.notes and all(s.brief is None for s in found.stories)
        document = found.to_dict()
        briefed = [s for s in document["stories"] if "brief" in s]
        assert len(briefed) == len(found.notes) == len(made) >= 1
    with Library(db, create=False) as library:
        for story in briefed:
            assert story["brief"] == library.brief(story["id"], settings)
    assert len(made) == len(briefed)  # the stored briefs were taken, none made again
    result = run("stories", "--db", db, "--brief", "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == document
