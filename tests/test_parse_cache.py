"""The parse cache (crossbrief.parsecache): a brief made from cached Docs is byte-identical
to one made from fresh parses (seed articles, bundled example, GVA dev stories), the test
notices when an attribute the stages read is not kept, a damaged or foreign entry is parsed
again and replaced, a new crossbrief or pipeline never reads an old entry, and the table is
bounded by the library's articles."""

from __future__ import annotations

import collections
import json
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import crossbrief
import crossbrief.segment
from crossbrief import parsecache
from crossbrief.cli import example_path
from crossbrief.errors import LibraryBusyError
from crossbrief.model import Article, Story, article_id
from crossbrief.nlp import load_spacy
from crossbrief.pipeline import DEFAULT_STAGES, run_story
from crossbrief.segment import PARSE_CHUNK_CHARS, parse_texts
from crossbrief.store import Library

from .conftest import SHARED, need_shared

GVA = SHARED / "eval" / "gva-stream" / "dev.jsonl"
# Token attributes compared between a fresh Doc and its round trip: the stored ones and
# what spaCy derives from them (lexical attributes come from the shared vocab).
COMPARED = ("ORTH", "NORM", "LOWER", "SHAPE", "PREFIX", "SUFFIX", "IS_ALPHA", "IS_STOP",
            "LIKE_NUM", "IS_PUNCT", "TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "ENT_IOB",
            "ENT_TYPE", "ENT_KB_ID", "ENT_ID", "SENT_START", "SPACY")


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_spacy(crossbrief.load_settings().spacy_model)


def same_doc(fresh: Any, back: Any) -> bool:
    from spacy.attrs import intify_attr

    attrs = [intify_attr(a) for a in COMPARED]
    return bool(fresh.text == back.text
                and np.array_equal(fresh.to_array(attrs), back.to_array(attrs))
                and [(e.start, e.end, e.label_) for e in fresh.ents]
                == [(e.start, e.end, e.label_) for e in back.ents]
                and [(s.start, s.end) for s in fresh.sents]
                == [(s.start, s.end) for s in back.sents]
                and [(c.start, c.end) for c in fresh.noun_chunks]
                == [(c.start, c.end) for c in back.noun_chunks]
                and all(fresh.has_annotation(a) == back.has_annotation(a)
                        for a in ("TAG", "POS", "MORPH", "LEMMA", "DEP", "ENT_IOB",
                                  "SENT_START")))


def test_a_doc_round_trip_keeps_every_annotation(nlp: Any) -> None:
    example = [a.text for a in crossbrief.analyze([str(example_path())], stages=("clean",))
               .articles]
    # A text over the chunk size, parsed in pieces joined into one Doc (segment.parse_texts).
    long = "\n\n".join(example * (PARSE_CHUNK_CHARS // sum(map(len, example)) + 1))
    assert len(long) > PARSE_CHUNK_CHARS
    texts = [*example, long]
    for text, fresh in zip(texts, parse_texts(nlp, texts), strict=True):
        back = parsecache.decode_doc(parsecache.encode_doc(fresh), nlp.vocab, text)
        assert back is not None and same_doc(fresh, back)
    # what it does not keep: the memo of later stages, and the tok2vec tensor (read by none)
    fresh.user_data["crossbrief_text"] = fresh.text
    back = parsecache.decode_doc(parsecache.encode_doc(fresh), nlp.vocab, long)
    assert back is not None and back.user_data == {} and back.tensor.size == 0


def test_undecodable_or_foreign_data_is_refused(nlp: Any) -> None:
    doc = next(parse_texts(nlp, ["The bridge reopened on Monday."]))
    data = parsecache.encode_doc(doc)
    assert parsecache.decode_doc(data, nlp.vocab, doc.text) is not None
    for bad in (b"", b"garbage", data[:-7], data[:20] + bytes(20) + data[40:],
                bytes(b ^ 0x55 for b in data)):
        assert parsecache.decode_doc(bad, nlp.vocab, doc.text) is None
    assert parsecache.decode_doc(data, nlp.vocab, "Another text.") is None
    from spacy.tokens import DocBin

    two = DocBin(attrs=parsecache.STORED_ATTRS, docs=[doc, doc]).to_bytes()
    fewer = DocBin(attrs=("ORTH", "TAG"), docs=[doc]).to_bytes()
    assert parsecache.decode_doc(two, nlp.vocab, doc.text) is None
    assert parsecache.decode_doc(fewer, nlp.vocab, doc.text) is None


# --- briefs from cached Docs ---------------------------------------------------------------


def stored_json(library: Library, story: str) -> str:
    row = library.db.execute("select json from briefs where story = ?",
                             [library.story(story).id]).fetchone()
    return str(row[0])


def forget_briefs(library: Library) -> None:
    """Delete the stored briefs, so that the next ``brief`` analyses again."""
    with library.writing() as db:
        db.execute("delete from briefs")


@pytest.fixture()
def no_parsing(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the texts parsed (segment.parse_texts, which the cache calls for its misses)."""
    parsed: list[int] = []
    real = crossbrief.segment.parse_texts

    def counting(nlp: Any, texts: Sequence[str], batch_size: int = 32) -> Iterator[Any]:
        parsed.append(len(texts))
        return real(nlp, texts, batch_size=batch_size)

    monkeypatch.setattr(crossbrief.segment, "parse_texts", counting)
    return parsed


def cold_and_warm(tmp_path: Path, inputs: list[str], parsed: list[int]
                  ) -> tuple[Library, str, str]:
    """The stored JSON of a named story's brief made with an empty cache, then again from
    the cache alone (nothing parsed)."""
    library = Library(tmp_path / "library.db")
    ids = library.ingest(inputs).ids
    library.create_story("story", ids)
    library.brief("story")
    cold = stored_json(library, "story")
    assert library.db.execute("select count(*) from parses").fetchone()[0] == len(ids)
    forget_briefs(library)
    parsed.clear()
    library.brief("story")
    assert sum(parsed) == 0, "the warm brief parsed again"
    return library, cold, stored_json(library, "story")


@pytest.mark.parametrize("where", ["seed", "example"])
def test_a_brief_from_cached_docs_is_byte_identical(where: str, tmp_path: Path,
                                                    no_parsing: list[int]) -> None:
    source = need_shared(SHARED / "corpus" / "xi-putin-moscow-2023") if where == "seed" \
        else example_path()
    library, cold, warm = cold_and_warm(tmp_path, [str(source)], no_parsing)
    assert warm == cold
    # and both are the brief made without a cache at all
    story = library.story("story")
    fresh = run_story(story.pipeline_story(library.articles(story.articles)),
                      crossbrief.load_settings(), stages=DEFAULT_STAGES).to_dict()
    assert json.dumps(fresh, ensure_ascii=False) == cold


@pytest.mark.shared
@pytest.mark.parametrize("dropped", ["LEMMA", "ENT_TYPE", "DEP"])
def test_a_lost_attribute_would_be_caught(dropped: str, tmp_path: Path, no_parsing: list[int],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The byte-identity check above sees a Doc that comes back without an attribute the
    stages read (here dropped on purpose from what is stored)."""
    seed = need_shared(SHARED / "corpus" / "xi-putin-moscow-2023")
    monkeypatch.setattr(parsecache, "STORED_ATTRS",
                        tuple(a for a in parsecache.STORED_ATTRS if a != dropped))
    _, cold, warm = cold_and_warm(tmp_path, [str(seed)], no_parsing)
    assert warm != cold


def gva_stories(count: int = 20) -> dict[str, list[dict[str, Any]]]:
    """``count`` gold stories of the GVA dev stream with two or more articles, spread over
    its length (every n-th in order of first appearance)."""
    stories: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    seen: set[str] = set()
    with need_shared(GVA).open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row["id"] not in seen:
                seen.add(row["id"])
                stories[row["story"]].append(row)
    several = [s for s, rows in stories.items() if len(rows) >= 2]
    step = len(several) // count
    return {s: stories[s] for s in several[::step][:count]}


@pytest.mark.shared
def test_gva_briefs_from_cached_docs_are_byte_identical(tmp_path: Path,
                                                        no_parsing: list[int]) -> None:
    stories = gva_stories()
    assert len(stories) == 20
    stream = tmp_path / "stories.jsonl"  # the chosen stories' lines, outside the repository
    stream.write_text("".join(json.dumps(row) + "\n" for rows in stories.values()
                              for row in rows), encoding="utf-8")
    library = Library(tmp_path / "library.db")
    added = library.ingest([str(stream)])
    by_url = {a.url: a.id for a in library.articles(added.ids)}
    names = []
    for story, rows in stories.items():
        ids = [by_url[r["url"]] for r in rows if r["url"] in by_url]
        if len(ids) >= 2:
            library.create_story(f"gva {story}", ids)
            names.append(f"gva {story}")
    assert len(names) >= 18
    briefs = library.briefs(names)
    assert len(briefs) == len(names)
    cold = {name: stored_json(library, name) for name in names}
    forget_briefs(library)
    no_parsing.clear()
    library.briefs(names)  # the library path that briefs many stories
    assert sum(no_parsing) == 0
    assert {name: stored_json(library, name) for name in names} == cold


# --- damaged, foreign and old entries --------------------------------------------------------


@pytest.fixture()
def seeded(tmp_path: Path) -> Library:
    """The bundled example in a library, briefed once (its parses cached)."""
    library = Library(tmp_path / "library.db")
    library.create_story("story", library.ingest([str(example_path())]).ids)
    library.brief("story")
    return library


def entries(library: Library) -> dict[str, tuple[str, bytes]]:
    return {row[0]: (row[1], bytes(row[2])) for row in
            library.db.execute("select article, key, data from parses")}


def test_a_damaged_entry_is_parsed_again_and_replaced(seeded: Library, no_parsing: list[int],
                                                      caplog: pytest.LogCaptureFixture) -> None:
    cold = stored_json(seeded, "story")
    before = entries(seeded)
    first, second, third, fourth = sorted(before)[:4]
    with seeded.writing() as db:
        db.execute("update parses set data = ? where article = ?", [b"\x00garbage", first])
        db.execute("update parses set data = ? where article = ?",  # another text's Doc
                   [before[third][1], second])
        db.execute("update parses set data = ? where article = ?", ["text, not a blob",
                                                                    fourth])
    forget_briefs(seeded)
    no_parsing.clear()
    with caplog.at_level(logging.WARNING, logger="crossbrief"):
        seeded.brief("story")
    assert stored_json(seeded, "story") == cold
    assert no_parsing == [3]  # those three only, in one batch
    assert "damaged" in caplog.text
    assert entries(seeded) == before  # replaced by what a fresh parse stores


def test_a_new_crossbrief_never_reads_an_old_entry(seeded: Library, no_parsing: list[int],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    cold = stored_json(seeded, "story")
    before = entries(seeded)
    monkeypatch.setattr(crossbrief, "__version__", "99.0.0")
    no_parsing.clear()
    seeded.brief("story")  # a new version: a new brief key, and new parse keys
    assert sum(no_parsing) == len(before)
    after = entries(seeded)
    assert set(after) == set(before)  # one row per article: replaced, not added
    assert all(after[id][0] != before[id][0] for id in before)
    assert all(after[id][1] == before[id][1] for id in before)  # the same Doc
    assert stored_json(seeded, "story") == cold


def test_the_key_names_the_pipeline_and_the_text(nlp: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    settings = crossbrief.load_settings()
    pipeline = parsecache.pipeline_key(nlp, settings.spacy_model)
    key = parsecache.parse_key(pipeline, "A text.")
    assert key == parsecache.parse_key(parsecache.pipeline_key(nlp, settings.spacy_model),
                                       "A text.")
    assert key != parsecache.parse_key(pipeline, "A text!")
    assert parsecache.pipeline_key(nlp, "another_model") != pipeline
    monkeypatch.setattr(crossbrief, "__version__", "99.0.0")
    assert parsecache.pipeline_key(nlp, settings.spacy_model) != pipeline
    monkeypatch.undo()
    monkeypatch.setattr(nlp, "_meta", {**nlp.meta, "version": "0.0.1"})  # another release
    assert parsecache.pipeline_key(nlp, settings.spacy_model) != pipeline
    monkeypatch.undo()
    assert parsecache.pipeline_key(nlp, settings.spacy_model) == pipeline


def test_the_key_follows_a_change_made_after_it_was_worked_out(
        nlp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """No memo outlives what it was made of: the stored attributes changed for one test
    (test_a_lost_attribute_would_be_caught) once stayed in this process's keys after it, so
    that the next test's parses, made here, were stored under keys a Dask worker never
    computes (test_briefs_on_a_cluster_read_and_fill_the_library_cache failed after it in
    one process); and a component added to a loaded pipeline changes its parses."""
    import spacy

    model = crossbrief.load_settings().spacy_model
    pipeline = parsecache.pipeline_key(nlp, model)
    monkeypatch.setattr(parsecache, "STORED_ATTRS", parsecache.STORED_ATTRS[:-1])
    fewer = parsecache.pipeline_key(nlp, model)
    assert fewer != pipeline
    monkeypatch.undo()
    assert parsecache.pipeline_key(nlp, model) == pipeline
    monkeypatch.setattr(parsecache, "STORED_ATTRS", parsecache.STORED_ATTRS[:-1])
    assert parsecache.pipeline_key(nlp, model) == fewer
    monkeypatch.undo()
    blank = spacy.blank("en")
    bare = parsecache.pipeline_key(blank, "en")
    blank.add_pipe("sentencizer")
    one = parsecache.pipeline_key(blank, "en")
    assert one != bare
    # The same name, another component and config (review R12): not the memo of the first.
    blank.replace_pipe("sentencizer", "sentencizer", config={"punct_chars": ["|"]})
    assert parsecache.pipeline_key(blank, "en") != one


def test_the_key_is_the_same_in_another_process(nlp: Any) -> None:
    """The cache is for later runs: a key that changed from one process to the next (an
    address or a time in the pipeline's config) would never be found again."""
    import subprocess
    import sys

    code = ("import crossbrief; from crossbrief.nlp import load_spacy; "
            "from crossbrief.parsecache import pipeline_key; s = crossbrief.load_settings(); "
            "print(pipeline_key(load_spacy(s.spacy_model), s.spacy_model))")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout.strip()
    model = crossbrief.load_settings().spacy_model
    parsecache._code.cache_clear()  # the parse code as it is now, as the other process read it
    assert other == parsecache.pipeline_key(nlp, model)


class FailingCache:
    def __init__(self, error: type[Exception]) -> None:
        self.error = error

    def load(self, ids: Sequence[str]) -> dict[str, tuple[str, bytes]]:
        raise self.error("database is locked")

    def save(self, rows: Sequence[tuple[str, str, bytes]]) -> None:
        raise self.error("disk I/O error")


# LibraryBusyError: the library's write lock held past the wait (the library's parse cache
# raised it through the brief, which then failed).
@pytest.mark.parametrize("error", [sqlite3.OperationalError, LibraryBusyError])
def test_a_cache_that_fails_changes_no_brief(caplog: pytest.LogCaptureFixture,
                                             error: type[Exception]) -> None:
    settings = crossbrief.load_settings()
    articles = crossbrief.analyze([str(example_path())], stages=()).articles
    plain = run_story(Story(articles), settings).to_dict()
    again = crossbrief.analyze([str(example_path())], stages=()).articles
    with caplog.at_level(logging.WARNING, logger="crossbrief"):
        cached = run_story(Story(again), settings, parses=FailingCache(error)).to_dict()
    assert cached == plain
    assert "cannot be read" in caplog.text and "cannot be written" in caplog.text


def test_the_table_holds_at_most_one_row_per_stored_article(seeded: Library) -> None:
    ids = [a.id for a in seeded.articles()]
    assert sorted(entries(seeded)) == sorted(ids)
    # a parse for an article the library does not hold is not kept
    parsecache.StoredParses(seeded).save([("not-an-article", "key", b"data")])
    assert sorted(entries(seeded)) == sorted(ids)
    # an article's row goes with it (articles are never deleted, but the row is the article's)
    text = "The harbour reopened on Monday, the mayor said."
    added = seeded.add_articles([Article(id=article_id(text), source="Wire", text=text,
                                         input="a.txt")]).ids
    parsecache.StoredParses(seeded).save([(added[0], "key", b"data")])
    assert sorted(entries(seeded)) == sorted([*ids, *added])
    with seeded.writing() as db:
        db.execute("delete from story_articles where article = ?", added)
        db.execute("delete from articles where id = ?", added)
    assert sorted(entries(seeded)) == sorted(ids)


def test_only_the_library_caches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``analyze`` and ``run_story`` without a cache parse as before and store nothing."""
    called: list[Any] = []
    monkeypatch.setattr(parsecache, "parse_articles",
                        lambda *args, **kwargs: called.append(args))
    corpus = crossbrief.analyze([str(example_path())], stages=("clean", "segment"))
    assert corpus.articles and all(a.doc is not None for a in corpus.articles)
    assert called == []


def test_segment_stage_gives_the_same_articles_from_the_cache() -> None:
    """Paragraphs and sentences set from a cached Doc are those of a new parse."""

    class Memory:
        def __init__(self) -> None:
            self.rows: dict[str, tuple[str, bytes]] = {}

        def load(self, ids: Sequence[str]) -> dict[str, tuple[str, bytes]]:
            return {id: self.rows[id] for id in ids if id in self.rows}

        def save(self, rows: Sequence[tuple[str, str, bytes]]) -> None:
            self.rows.update((id, (key, data)) for id, key, data in rows)

    settings = crossbrief.load_settings()
    memory = Memory()
    runs = []
    for _ in range(3):  # no cache, an empty one, a full one
        corpus = crossbrief.analyze([str(example_path())], stages=("clean",))
        corpus = crossbrief.run_stages(corpus, ["segment"], settings,
                                       parses=memory if runs else None)
        runs.append([(a.id, a.paragraphs, a.sentences) for a in corpus.articles])
    assert runs[0] == runs[1] == runs[2] and len(memory.rows) == len(runs[0])


def test_an_entry_of_another_text_is_never_read() -> None:
    """An article whose id has an entry for another text (an id given by hand) is parsed,
    never given the other text's Doc."""
    settings = crossbrief.load_settings()
    rows: dict[str, tuple[str, bytes]] = {}

    class Memory:
        def load(self, ids: Sequence[str]) -> dict[str, tuple[str, bytes]]:
            return {id: rows[id] for id in ids if id in rows}

        def save(self, new: Sequence[tuple[str, str, bytes]]) -> None:
            rows.update((id, (key, data)) for id, key, data in new)

    first = run_story(Story([Article(id="a", source="x", text="The mayor spoke on Monday.",
                                     input="a")]), settings, stages=("clean", "segment"),
                      parses=Memory())
    second = run_story(Story([Article(id="a", source="x",
                                      text="Rain fell all week in the city.", input="a")]),
                       settings, stages=("clean", "segment"), parses=Memory())
    assert first.articles[0].doc.text == "The mayor spoke on Monday."
    assert second.articles[0].doc.text == "Rain fell all week in the city."


def test_analyze_with_a_library_caches_and_reuses_the_parses(tmp_path: Path,
                                                            no_parsing: list[int]) -> None:
    """``crossbrief analyze --db … --story …`` briefs through the library: a second story of
    the same articles parses nothing."""
    from click.testing import CliRunner

    from crossbrief.cli import cli

    db = str(tmp_path / "library.db")
    first = CliRunner().invoke(cli, ["analyze", str(example_path()), "--db", db, "--story",
                                     "one", "-f", "json"], catch_exceptions=False)
    assert first.exit_code == 0 and sum(no_parsing) > 0
    no_parsing.clear()
    second = CliRunner().invoke(cli, ["analyze", str(example_path()), "--db", db, "--story",
                                      "two", "-f", "json"], catch_exceptions=False)
    assert second.exit_code == 0 and sum(no_parsing) == 0
    assert json.loads(second.stdout)["claims"] == json.loads(first.stdout)["claims"]
    with Library(db) as library:
        assert library.db.execute("select count(*) from parses").fetchone()[0] == len(
            library.articles())


def test_briefs_on_a_cluster_read_and_fill_the_library_cache(tmp_path: Path) -> None:
    """`stories --db --brief --workers N`: each task is sent the library's stored parses of
    its articles and parses only the others; the parses it makes come back and are stored by
    the library's one writer. A stored parse is what the worker reads: one altered on
    purpose (its entities removed, under its valid key) shows in the brief made there, as in
    the brief made here."""
    pytest.importorskip("distributed")
    from crossbrief.distributed import connect

    library = Library(tmp_path / "library.db")
    ids = library.ingest([str(example_path())]).ids
    library.create_story("story", ids)
    story = library.story("story").id
    here = Library(tmp_path / "here.db")
    here.create_story("story", here.ingest([str(example_path())]).ids)
    expected = here.brief("story")
    with connect(workers=1) as client:
        (made,) = [(s, b) for s, b, _ in library.iter_briefs(["story"], client=client)]
        assert made == (story, expected)
        assert entries(library) == entries(here)  # the worker's parses, stored here
        altered = sorted(ids)[0]
        data = entries(library)[altered][1]
        nlp = load_spacy(crossbrief.load_settings().spacy_model)
        text = next(a["text"] for a in expected["articles"] if a["id"] == altered)
        doc = parsecache.decode_doc(data, nlp.vocab, text)
        assert doc is not None and doc.ents
        doc.ents = []
        with library.writing() as db:
            db.execute("update parses set data = ? where article = ?",
                       [parsecache.encode_doc(doc), altered])
        forget_briefs(library)
        (remade,) = [(s, b) for s, b, _ in library.iter_briefs(["story"], client=client)]
    assert remade[1] != expected
    forget_briefs(library)
    assert library.brief("story") == remade[1]  # here, from the same altered entry
