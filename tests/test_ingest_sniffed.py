"""Inputs whose name gives no kind (``C1``, ``page``, ``APW19981016.0240``): read by their
content, as standard input is, wherever they come from (a folder, a pattern, a name, an
upload), and refused by what they look like when they are no text."""

from __future__ import annotations

import codecs
import dataclasses
import gzip
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import pytest

from crossbrief.config import load_settings
from crossbrief.errors import BinaryInputError
from crossbrief.ingest import (
    binary_format,
    read_by_content,
    read_bytes,
    read_inputs,
    read_upload,
    sniff,
)
from crossbrief.model import Article, Inputs, Skipped
from crossbrief.store import Library
from crossbrief.storylist import stream_stories

from .conftest import ROOT

STORY = ("Officials said on Monday that the harbour would stay closed until the storm "
         "had passed, and that ferries would not run before Wednesday.")
PAGE = ("<!DOCTYPE html><html><head><title>Storm closes harbour</title></head><body>"
        f"<article><h1>Storm closes harbour</h1><p>{STORY}</p></article></body></html>")
# the first bytes of the files a folder of downloads holds that are no article
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
DOCX = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml"


def read(*inputs: str | Path, **kwargs: object) -> Inputs:
    settings = kwargs.pop("settings", None) or load_settings()
    return read_inputs([str(i) for i in inputs], settings, **kwargs)  # type: ignore[arg-type]


def skips(corpus: Inputs) -> list[tuple[str, str, str]]:
    return [(Path(s.input).name, s.code, s.reason) for s in corpus.skipped]


def write_downloads(folder: Path) -> None:
    """A folder as scrapers and ``curl -o`` leave it: files without an extension."""
    (folder / "C1").write_text("   " + STORY + "\n", "utf-8")
    (folder / "page").write_text(PAGE, "utf-8")
    (folder / "fragment").write_text(  # a dump of the page's article alone
        f'<meta charset="utf-8">\n<h1>Ferries resume</h1>\n<p>{STORY.replace("Monday", "Friday")}'
        "</p>", "utf-8")
    (folder / "record").write_text(json.dumps(
        {"title": "Tram vote", "source": "Metro Daily", "text": STORY.replace("harbour", "bay")}),
        "utf-8")
    (folder / "feed").write_text("\n".join(json.dumps({"text": f"Line {n}: {STORY}"})
                                           for n in range(2)) + "\n", "utf-8")
    (folder / "APW19981016.0240").write_text(STORY.replace("storm", "gale"), "utf-8")
    (folder / "wire").write_text("[Reuters] " + STORY.replace("Monday", "Sunday"), "utf-8")
    (folder / "latin").write_bytes(("Le maire a déclaré lundi que le port resterait fermé "
                                    "jusqu'à mercredi.").encode("cp1252"))


def test_a_folder_of_files_without_an_extension_is_read_by_their_content(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each was skipped, "unsupported file type '(none)'" [E105], though named one by one or
    # matched by a pattern the same files were read.
    write_downloads(tmp_path)
    (tmp_path / "scan.pdf").write_bytes(PDF)      # a known type that is no article: refused
    (tmp_path / "notes.csv").write_text("a,b\n", "utf-8")  # by its extension, as before
    (tmp_path / "story.txt").write_text(STORY.replace("ferries", "buses"), "utf-8")
    monkeypatch.chdir(tmp_path)
    corpus = read(".")
    found = {a.input: a for a in corpus.articles}
    assert sorted(found) == ["APW19981016.0240", "C1", "feed:1", "feed:2", "fragment",
                             "latin", "page", "record", "story.txt", "wire"]
    assert found["page"].title == "Storm closes harbour" and "<p>" not in found["page"].text
    assert found["fragment"].title == "Ferries resume" and "Friday" in found["fragment"].text
    assert (found["record"].title, found["record"].source) == ("Tram vote", "Metro Daily")
    assert found["C1"].text.strip() == STORY
    assert found["wire"].text.startswith("[Reuters] Officials")
    assert found["latin"].encoding == "cp1252" and "déclaré" in found["latin"].text
    # a suffix that is no extension stays in the name of the file's outlet
    assert found["APW19981016.0240"].source == "APW19981016.0240"
    assert found["C1"].source == "C1" and found["story.txt"].source == "story"
    assert [(n, c) for n, c, _ in skips(corpus)] == [("notes.csv", "E105"), ("scan.pdf", "E105")]
    # as a pattern: the same articles (a file a pattern matches is read whatever its
    # suffix, as a file named is: the .csv too, as before)
    assert [a for a in read("*").articles if a.input != "notes.csv"] == corpus.articles


@pytest.mark.parametrize("data,code,reason", [
    (PNG, "E102", "input is binary (it looks like a PNG image), not text"),
    (PDF, "E102", "input is binary (it looks like a PDF document), not text"),
    (DOCX, "E102", "input is binary (it looks like a ZIP archive, as a .docx, .xlsx, .odt or "
                   ".epub is), not text"),
    # curl -o without --compressed keeps the body as the server sent it
    (gzip.compress(PAGE.encode(), mtime=0), "E102",
     "input is binary (it looks like gzip-compressed data, to decompress first), not text"),
    (b"\x7fELF\x02\x01\x01\x00", "E102", "input is binary (it looks like an executable program),"
                                          " not text"),
    (b"{\\rtf1\\ansi\\deff0 {\\fonttbl} Storm closes harbour.}", "E105",
     "unsupported: it looks like an RTF document, not an article (save it as text or HTML)"),
    # no known format: refused as any input is
    (b"MZ\x90\x00\x03\x00", "E102", "input is binary (it contains NUL bytes), not text"),
    (bytes(range(1, 32)) * 40, "E102",
     "input looks binary (too many control characters), not text"),
    (b"", "E101", "input is empty"),
])
def test_a_file_without_an_extension_that_is_no_text_is_refused_by_what_it_looks_like(
        tmp_path: Path, data: bytes, code: str, reason: str) -> None:
    (tmp_path / "download").write_bytes(data)
    (tmp_path / "story").write_text(STORY, "utf-8")
    corpus = read(tmp_path)
    assert [Path(a.input).name for a in corpus.articles] == ["story"]
    assert skips(corpus) == [("download", code, reason)]
    # the same from standard input, and named on its own
    assert skips(read("-", stdin=io.BytesIO(data))) == [("-", code, reason)]
    assert skips(read(tmp_path / "download")) == [("download", code, reason)]


def test_a_large_file_without_an_extension_is_read_as_standard_input_is(
        tmp_path: Path) -> None:
    # Over the size limit of one input, a feed (opening with an object) is streamed as JSON
    # Lines; a binary file is refused by what it is, from its first bytes alone; other text
    # is too large.
    settings = load_settings(max_text_bytes=1_000, html_markup_factor=1)
    lines = [json.dumps({"text": f"Record {n}: {STORY}"}) for n in range(12)]
    (tmp_path / "feed").write_text("\n".join(lines) + "\n", "utf-8")
    (tmp_path / "movie").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 5000)
    (tmp_path / "essay").write_text(STORY * 10, "utf-8")
    assert len(STORY) * 10 == 1_360
    corpus = read(tmp_path, settings=settings)
    assert len(corpus.articles) == 12 and corpus.articles[0].input.endswith("feed:1")
    assert skips(corpus) == [
        ("essay", "E104", "1,360 bytes is over the limit of 1,000 bytes (setting max_text_bytes)"),
        ("movie", "E102", "input is binary (it looks like an MP4 or QuickTime video, or other "
                          "ISO media), not text")]


def test_an_upload_without_an_extension_is_read_by_its_content() -> None:
    # It was refused, "unsupported file type '(none)'", as a folder's file was.
    [article] = read_upload(PAGE.encode(), "page", load_settings())
    assert isinstance(article, Article) and article.title == "Storm closes harbour"
    [skipped] = read_upload(PDF, "scan.pdf", load_settings())
    assert isinstance(skipped, Skipped)
    assert skipped.reason.startswith("unsupported file type '.pdf'")
    [skipped] = read_upload(PDF, "scan", load_settings())
    assert isinstance(skipped, Skipped)
    assert skipped.reason == "input is binary (it looks like a PDF document), not text"


def test_the_library_and_the_stories_read_such_a_folder_the_same_way(tmp_path: Path) -> None:
    # `crossbrief ingest --db` and `crossbrief stories` read their inputs as analyze does.
    folder = tmp_path / "downloads"
    folder.mkdir()
    write_downloads(folder)
    (folder / "photo").write_bytes(PNG)
    expected = read(folder)
    result = Library(tmp_path / "library.db").ingest([str(folder)], load_settings())
    assert len(result.added) == len(expected.articles) == 9
    assert [(s.input, s.code) for s in result.skipped] == [
        (s.input, s.code) for s in expected.skipped] == [(expected.skipped[0].input, "E102")]
    with stream_stories([str(folder)], load_settings()) as found:
        grouped = {a.input for story in found.stories for a in story.articles}
        assert grouped == {a.input for a in expected.articles}
        assert [s.code for s in found.skipped] == ["E102"]


@pytest.mark.parametrize("name,by_content", [
    ("C1", True), ("page", True), ("APW19981016.0240", True), ("story.2024-03-01", True),
    ("Mr. Smith goes to Washington", True), ("report.", True),
    ("story.txt", False), ("scan.pdf", False), ("notes.csv", False), ("clip.mp4", False),
    ("index.php", False),
])
def test_which_names_are_read_by_their_content(name: str, by_content: bool) -> None:
    assert read_by_content(name) is by_content


@pytest.mark.parametrize("text,kind", [
    # a bracket that opens no JSON opens text: a wire's tag, a footnote, wiki markup
    ("[Reuters] MOSCOW - Talks ended.", "text"), ("[1] A note on sources.", "text"),
    ("{{Infobox person}} John Smith", "text"), ("[Updated 3pm]\nThe storm passed.", "text"),
    ("[1, 2]", "json"), ('[\n  {"text": "x"}\n]', "json"), ("[]", "json"), ("{}", "json"),
    ('{"text": "x"}\n{"text": "y"}', "jsonl"), ('{"a": 1 "b": 2}\n{"a": 2}', "jsonl"),
    # a page's part, as a scraper dumps it, opens with one of its tags
    ('<meta charset="utf-8"><title>T</title>', "html"), ("<h1>Storm</h1>", "html"),
    ("<section><p>Hi</p></section>", "html"), ("<!-- saved --><html>", "html"),
    ("<DOC> wire story", "text"), ("<3 from the team", "text"),
])
def test_sniff_by_the_opening(text: str, kind: str) -> None:
    assert sniff(text) == kind


@pytest.mark.parametrize("head", [
    b"Big new WAVE of storms hits the coast", b"BZh is no word", b"ID3 tags are metadata.",
    b"OggS", b"GIF89a was a format", b"%PDF", b"  %PDF-1.4 quoted in a text",
])
def test_a_text_that_opens_like_a_format_is_no_format(head: bytes) -> None:
    # A mark of letters alone, or one further in, is taken only with a control byte near.
    assert binary_format(head) is None


def test_analyze_a_folder_of_files_without_an_extension_prints_only_the_brief(
        tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for n, day in enumerate(("Monday", "Tuesday", "Wednesday"), 1):
        (folder / f"C{n}").write_text(
            f"   Officials said on {day} that the harbour would stay closed until the storm "
            f"had passed. ``We will not risk the crews,'' the harbour master said.\n", "utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    env.pop("CROSSBRIEF_DB", None)
    result = subprocess.run([sys.executable, "-m", "crossbrief", "analyze", "docs", "-f", "json"],
                            cwd=tmp_path, env=env, capture_output=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    brief = json.loads(result.stdout)  # stdout is the brief and nothing else
    assert sorted(a["input"] for a in brief["articles"]) == ["docs/C1", "docs/C2", "docs/C3"]
    assert brief["skipped"] == [] and b"E105" not in result.stderr


@pytest.mark.parametrize("given", ["-", "feed.jsonl"])
def test_analyze_a_utf16_feed_without_a_mark_cut_by_a_byte_prints_only_the_brief(
        given: str, tmp_path: Path) -> None:
    """A JSON Lines feed in UTF-16BE without a byte order mark, cut by its last byte, from
    standard input and from a file, through the command in a process of its own: it was
    refused whole as binary (E102, exit code 1, no brief). Its records are read in the
    order its NUL bytes say; the last, its byte left over U+FFFD, is skipped (E105): the
    brief of the others on stdout and nothing else, the skip one line on stderr, exit 2."""
    records = [json.dumps({"title": f"Harbour closed ({day})", "text":
                           f"Officials said on {day} that the harbour would stay closed until "
                           "the storm had passed. Ferries will not run before Wednesday."})
               for day in ("Monday", "Tuesday", "Sunday")]
    data = ("\n".join(records) + "\n").encode("utf-16-be")[:-1]
    (tmp_path / "feed.jsonl").write_bytes(data)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    env.pop("CROSSBRIEF_DB", None)
    result = subprocess.run([sys.executable, "-m", "crossbrief", "analyze", given, "-f", "json"],
                            input=data if given == "-" else None, cwd=tmp_path, env=env,
                            capture_output=True, timeout=300, check=False)
    assert result.returncode == 2, result.stderr
    brief = json.loads(result.stdout)  # stdout is the brief and nothing else
    assert sorted(a["input"] for a in brief["articles"]) == [f"{given}:1", f"{given}:2"]
    assert {a["encoding"] for a in brief["articles"]} == {"utf-16-be"}
    assert [(s["input"], s["code"]) for s in brief["skipped"]] == [(f"{given}:3", "E105")]
    assert result.stderr.decode().count(f"{given}:3") == 1


def _bad_line_feed(codec: str) -> bytes:
    """Five records in UTF-16 (``codec``: "utf-16", its mark little-endian, or
    "utf-16-be", without a mark), a lone high surrogate in the third: under the size limit
    of an input."""
    records = [json.dumps({"title": f"Harbour closed ({day})", "text":
                           f"Officials said on {day} that the harbour would stay closed until "
                           "the storm had passed. Ferries will not run before Wednesday."})
               for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")]
    lines = [(line + "\n").encode("utf-16-le" if codec == "utf-16" else codec)
             for line in records]
    lone = "\ud800".encode("utf-16-le" if codec == "utf-16" else codec, "surrogatepass")
    lines[2] = lines[2][:40] + lone + lines[2][40:]
    return (codecs.BOM_UTF16_LE if codec == "utf-16" else b"") + b"".join(lines)


def _read_by(where: str, data: bytes, tmp_path: Path
             ) -> tuple[str, list[Article], list[Skipped]]:
    """``data`` read from standard input ("stdin"), a file named ``where`` or an upload
    ("upload NAME"): the name its inputs are called by, its articles and its skips."""
    name = where.removeprefix("upload ")
    if where == "stdin":
        corpus = read("-", stdin=io.BytesIO(data))
        return "-", corpus.articles, corpus.skipped
    if where.startswith("upload"):
        uploaded = read_upload(data, name, load_settings())
        return (name, [a for a in uploaded if isinstance(a, Article)],
                [s for s in uploaded if isinstance(s, Skipped)])
    (tmp_path / where).write_bytes(data)
    corpus = read(tmp_path / where)
    return name, corpus.articles, corpus.skipped


def _utf16(text: str, codec: str) -> bytes:
    """``text`` in ``codec``: "utf-16", little-endian behind its mark, or a byte order
    without one; a lone surrogate in it written as it is."""
    order = "utf-16-le" if codec == "utf-16" else codec
    return (codecs.BOM_UTF16_LE if codec == "utf-16" else b"") + text.encode(
        order, "surrogatepass")


ROUTES = ["stdin", "feed", "feed.jsonl", "upload feed.jsonl", "upload feed"]


def _noise_feed(codec: str) -> bytes:
    """A good record, then a line of 10 lone surrogates, in ``codec`` (:func:`_utf16`)."""
    good = json.dumps({"title": "Harbour closed", "text": STORY})
    return _utf16(good + '\n{"title": "Bad", "text": "xx' + "\udc00" * 10 + '"}\n', codec)


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
@pytest.mark.parametrize("where", ROUTES)
def test_a_small_utf16_feed_with_a_noise_line_reads_its_records(
        where: str, codec: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A UTF-16 feed under the size limit of an input: a good record, then a line holding
    10 lone surrogates (more than a line, or the whole text, may hold). From standard
    input, a file without a suffix or an upload, the whole-text rule was applied before the
    feed was sniffed: one E103 for the input, its good record lost (``analyze -`` exit 1,
    no brief; the web app 422), where a ``.jsonl`` read the record and skipped the line.
    Every route now reads the record and skips the noise line, E103, naming it."""
    name, articles, skipped = _read_by(where, _noise_feed(codec), tmp_path)
    assert [(a.input, a.title, a.encoding) for a in articles] == [
        (f"{name}:1", "Harbour closed", codec)]
    assert [(s.input, s.code, s.reason) for s in skipped] == [
        (f"{name}:2", "E103", f"line is not valid {codec.upper()} (too many code units "
         "that are no character): corrupt or binary")]
    assert [r for r in caplog.records if r.levelname == "WARNING"] == []


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
@pytest.mark.parametrize("where", ROUTES)
def test_a_small_utf16_feed_with_bad_units_in_every_line_reads_every_line(
        where: str, codec: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Five short records in UTF-16 holding three lone surrogates each: 15, too many for
    the whole text (one in 50 of its some 500 characters), few enough for each line.
    Refused whole, E103, from standard input, a file without a suffix or an upload; read
    from a ``.jsonl``. Every route reads the five, each bad unit U+FFFD, with a warning
    naming each line."""
    feed = "".join(json.dumps({"title": f"Story {n}", "text": f"Story {n}: the mayor said "
                               "on Monday that the bridge would reopen."}).replace(
        "Story", "Story" + "\udc00" * 3, 1) + "\n" for n in range(5))
    name, articles, skipped = _read_by(where, _utf16(feed, codec), tmp_path)
    assert [(a.input, a.title) for a in articles] == [
        (f"{name}:{n + 1}", f"Story\ufffd\ufffd\ufffd {n}") for n in range(5)]
    assert skipped == []
    said = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert said == [f"{name}:{n}: 3 code units not valid {codec.upper()} (a byte lost or "
                    "changed, or the text cut short) read as U+FFFD" for n in range(1, 6)]


@pytest.mark.parametrize("where", ROUTES)
def test_a_utf16_feed_without_a_mark_holding_c1_controls_reads_its_records(
        where: str, tmp_path: Path) -> None:
    """A UTF-16-LE feed without a mark, its 31st record holding mojibake rich in C1
    controls (UTF-8's "’" read as Latin-1, 250 times; after the first 8 KB, which tell its
    byte order): read whole, its text looks binary, and from standard input, a file
    without a suffix or an upload the feed was refused whole, E102 "it contains NUL bytes"
    (the NULs are UTF-16's). Sniffed as a feed first, every route reads every record (the
    mojibake one as it is)."""
    records = [{"title": f"Story {n}", "text": f"{n}: {STORY}"} for n in range(32)]
    records[30]["text"] = "Caf\u00e2\u0080\u0099s " * 250
    feed = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    assert len(feed[:feed.index("\u0080")].encode("utf-16-le")) > 8192
    name, articles, skipped = _read_by(where, _utf16(feed, "utf-16-le"), tmp_path)
    assert [a.input for a in articles] == [f"{name}:{n}" for n in range(1, 33)]
    assert {a.encoding for a in articles} == {"utf-16-le"} and skipped == []


def test_a_utf16_text_that_looks_binary_is_refused_for_that() -> None:
    """Text in UTF-16-LE without a mark, by its NUL bytes, that looks binary when read so
    (C1 controls): E102, saying so; it was "it contains NUL bytes", the NULs UTF-16's own."""
    data = _utf16(STORY * 60 + "Caf\u00e2\u0080\u0099s latte. " * 250, "utf-16-le")
    with pytest.raises(BinaryInputError) as raised:
        list(read_bytes(data, "x", load_settings()))
    assert raised.value.detail == ("input looks binary when read as UTF-16-LE, the order "
                                   "its NUL bytes say (too many control characters), not text")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
@pytest.mark.parametrize("where", ROUTES)
def test_a_small_utf16_feed_with_a_bad_unit_reads_that_line_with_a_warning(
        where: str, codec: str, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A UTF-16 feed under the size limit of an input, one line holding a lone surrogate:
    it was decoded whole, and the surrogate made the whole input E103 (every record lost;
    an upload of it "no article", 422); then, read a line at a time, that line was skipped,
    E103, where a whole text holding one is read. By the rule of a whole text, the line is
    read, the bad code unit U+FFFD, and a warning names the line; the others read."""
    name, articles, skipped = _read_by(where, _bad_line_feed(codec), tmp_path)
    assert [a.title for a in articles] == [
        f"Harbour {day}" for day in ("closed (Monday)", "closed (Tuesday)",
                                       "c\ufffdlosed (Wednesday)", "closed (Thursday)",
                                       "closed (Friday)")]
    assert {a.encoding for a in articles} == {codec}
    assert skipped == []
    said = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert said == [f"{name}:3: 1 code unit not valid {codec.upper()} (a byte lost or "
                    "changed, or the text cut short) read as U+FFFD"]


@pytest.mark.parametrize("given", ["-", "feed.jsonl", "feed"])
def test_the_command_reads_a_small_utf16_feed_with_a_bad_line(given: str,
                                                               tmp_path: Path) -> None:
    """The same feed through the command in a process of its own, ``ingest --db`` and
    ``analyze``, from standard input and from a file: it added nothing ("0 added") and gave
    no brief, then four (the bad line one skip, E103, on stderr). Five articles are added
    and briefed; the bad line is one warning on stderr."""
    data = _bad_line_feed("utf-16")
    if given != "-":
        (tmp_path / given).write_bytes(data)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    env.pop("CROSSBRIEF_DB", None)
    for args in (["ingest", "--db", "lib.db", given], ["analyze", given, "-f", "json"]):
        result = subprocess.run([sys.executable, "-m", "crossbrief", *args],
                                input=data if given == "-" else None, cwd=tmp_path, env=env,
                                capture_output=True, timeout=300, check=False)
        assert result.returncode == 0, result.stderr
        assert result.stderr.decode().count(f"{given}:3") == 1
        assert "read as U+FFFD" in result.stderr.decode()
        if args[0] == "ingest":
            assert result.stdout.decode().startswith("5 added"), result.stdout
        else:
            brief = json.loads(result.stdout)
            assert sorted(a["input"] for a in brief["articles"]) == [
                f"{given}:{n}" for n in (1, 2, 3, 4, 5)]


@pytest.mark.parametrize("kind", ["jsonl", None])
def test_a_fetched_utf16_feed_reads_as_its_utf8_self(kind: str | None) -> None:
    """Guard: a fetched feed in UTF-16, read a line at a time, keeps what the fetch says of
    it (its URL) in each record, as the same feed in UTF-8, read whole, does."""
    feed = "".join(json.dumps({"text": f"Story {n}: {STORY}"}) + "\n" for n in range(3))
    meta = {"url": "https://news.example/feed", "charset": "utf-16"}
    read = [list(read_bytes(data, "https://news.example/feed", load_settings(), kind=kind,
                            meta=meta))
            for data in (feed.encode(), codecs.BOM_UTF16_LE + feed.encode("utf-16-le"))]
    utf8, utf16 = ([dataclasses.replace(a, encoding=None) for a in r if isinstance(a, Article)]
                   for r in read)
    assert utf8 == utf16 and len(utf8) == 3 and all(len(r) == 3 for r in read)
    assert {a.url for a in utf16} == {"https://news.example/feed"}


@pytest.mark.parametrize("noise", [False, True])
def test_a_web_upload_of_a_small_utf16_feed_with_a_bad_line(noise: bool) -> None:
    """The same feed uploaded to the web interface: it was refused, 422 (no article in
    it), then four of its records stored, the bad line skipped, E103. All five are stored,
    201, the bad code unit U+FFFD. A good record and a line of 10 lone surrogates
    (``noise``) uploaded without a suffix was refused whole, 422 (E103), where
    ``feed.jsonl`` stored the record: both store it, 201, the noise line skipped, E103."""
    from fastapi.testclient import TestClient

    from crossbrief.serve import create_app

    data = _noise_feed("utf-16") if noise else _bad_line_feed("utf-16")
    with tempfile.TemporaryDirectory() as folder, TestClient(
            create_app(Path(folder) / "library.db"), raise_server_exceptions=False) as client:
        for name in ("feed.jsonl", "feed"):
            response = client.post("/api/articles", files=[("files", (name, data))])
            assert response.status_code == 201, response.text
            body = response.json()
            assert len(body["ids"]) == (1 if noise else 5)
            assert [(s["input"], s["code"]) for s in body["skipped"]] == (
                [(f"{name}:2", "E103")] if noise else [])


_FEED = b"".join(json.dumps({"text": f"Story {n}: {STORY}"}).encode() + b"\n" for n in range(40))
_MP4 = ("E102", "input is binary (it looks like an MP4 or QuickTime video, or other ISO media), "
                "not text")
_OVER = "over the limit of 1,000 bytes (setting max_text_bytes)"
# Inputs of no known kind, each read from standard input and as a file without a suffix, the
# size limit of one input 10,000 bytes (max_text_bytes 1,000, html_markup_factor 10): how
# many articles each gives and its skips (code, reason), the same either way but where a
# file's size is known (the reason a file over the limit gives is the second list).
SNIFFED_INPUTS: dict[str, tuple[bytes, int, list[tuple[str, str]], list[tuple[str, str]]]] = {
    "feed": (_FEED, 40, [], []),
    "feed behind 9,000 spaces": (b" " * 9000 + _FEED, 40, [], []),  # 15,350 bytes
    "feed with a BOM": (codecs.BOM_UTF8 + _FEED, 40, [], []),
    # in UTF-16 (known by its byte order mark): refused as too large, read from a .jsonl
    "UTF-16LE feed": (codecs.BOM_UTF16_LE + _FEED.decode().encode("utf-16-le"), 40, [], []),
    "UTF-16BE feed": (codecs.BOM_UTF16_BE + _FEED.decode().encode("utf-16-be"), 40, [], []),
    "feed behind a mark and 9,000 spaces": (codecs.BOM_UTF8 + b" " * 9000 + _FEED, 40, [], []),
    # UTF-8's mark is its three bytes once, not any of them: stripped as a set of bytes,
    # what opens with b"\xbb{", a lone b"\xef" or the mark twice was streamed as a feed
    "a stray byte of the mark, then a feed": (
        b"\xbb" + _FEED * 2, 0, [("E104", "input is over 10,000 bytes (setting max_text_bytes)")],
        [("E104", "12,701 bytes is over the limit of 10,000 bytes (setting max_text_bytes)")]),
    "a lone first byte of the mark, then a feed": (
        b"\xef" + _FEED * 2, 0, [("E104", "input is over 10,000 bytes (setting max_text_bytes)")],
        [("E104", "12,701 bytes is over the limit of 10,000 bytes (setting max_text_bytes)")]),
    "the mark twice, then a feed": (
        codecs.BOM_UTF8 * 2 + _FEED * 2, 0,
        [("E104", "input is over 10,000 bytes (setting max_text_bytes)")],
        [("E104", "12,706 bytes is over the limit of 10,000 bytes (setting max_text_bytes)")]),
    # in UTF-16 without a mark, its order where its NUL bytes fall: refused as binary (E102)
    "UTF-16LE feed without a mark": (_FEED.decode().encode("utf-16-le"), 40, [], []),
    "UTF-16BE feed without a mark": (_FEED.decode().encode("utf-16-be"), 40, [], []),
    # cut by a byte: that byte U+FFFD, so the last line is no JSON (the whole feed was E102)
    "UTF-16BE feed without a mark, cut by a byte": (
        _FEED.decode().encode("utf-16-be")[:-1], 39,
        [("E105", "invalid JSON on line 40: Extra data (column 159)")], []),
    "feed behind 12,000 spaces": (  # no "{" in the first 10,001 bytes
        b" " * 12000 + _FEED, 0,
        [("E104", "input is over 10,000 bytes (setting max_text_bytes)")],
        [("E104", "18,350 bytes is over the limit of 10,000 bytes (setting max_text_bytes)")]),
    "text": (b"The council met. " * 200, 0, [("E104", f"text is 3,400 bytes, {_OVER}")], []),
    "MP4 head": (b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 3000, 0, [_MP4], []),
    "MP4 head, 12 KB": (b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 12000, 0, [_MP4], []),
    "control bytes": (b"\x01\x02\x03" * 1000, 0,
                      [("E102", "input looks binary (too many control characters), not text")],
                      []),
    "small text": (STORY.encode(), 1, [], []),
    "Latin-1 text": ("Le café. ".encode("latin-1") * 300, 0,
                     [("E104", f"text is 3,000 bytes, {_OVER}")], []),
    "empty": (b"", 0, [("E101", "input is empty")], []),
    "white space only": (b" \n" * 2000, 0, [("E101", "input is empty")], []),
    "a JSON array of numbers": (b"[" + b"1," * 20 + b"1]", 0,
                                [("E105", "expected an article object, got int")] * 21, []),
    "NUL, then a feed": (b"\x00" + _FEED, 0,
                         [("E102", "input is binary (it contains NUL bytes), not text")], []),
}


@pytest.mark.parametrize("name", list(SNIFFED_INPUTS))
def test_standard_input_and_a_file_without_a_suffix_read_the_same(
        name: str, tmp_path: Path) -> None:
    """The same bytes give the same articles and skips from standard input as from a file
    whose name gives no kind (ingest._read_stdin, _read_sniffed_file: one rule,
    _refuse_unless_jsonl, for what is over the size limit). A feed behind 9,000 spaces was
    refused as too large from a file (its first 8,192 bytes looked at) and read from
    standard input (its first 10,001): a file's head now skips white space as far
    (ingest._file_head)."""
    data, articles, from_stdin, from_file = SNIFFED_INPUTS[name]
    settings = load_settings(max_text_bytes=1_000)
    (tmp_path / "input").write_bytes(data)
    stdin = read("-", stdin=io.BytesIO(data), settings=settings)
    file = read(tmp_path / "input", settings=settings)
    assert len(stdin.articles) == len(file.articles) == articles
    assert [(a.id, a.text) for a in stdin.articles] == [(a.id, a.text) for a in file.articles]
    assert [(s.code, s.reason) for s in stdin.skipped] == from_stdin
    assert [(s.code, s.reason) for s in file.skipped] == (from_file or from_stdin)


class _Endless(io.RawIOBase):
    """A raw stream that gives ``total`` bytes, 64 kB a read, whatever it measured (a FIFO,
    a device, a file still growing)."""

    def __init__(self, total: int) -> None:
        self.left = total

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = min(len(buffer), self.left, 1 << 16)
        buffer[:n] = b"x" * n
        self.left -= n
        return n


@pytest.mark.parametrize(("measured", "gives"), [(0, 8 << 20), (4 << 20, 9 << 20)])
def test_a_file_that_gives_more_than_it_measures_is_not_held_twice(
        measured: int, gives: int) -> None:
    """What a FIFO, a device or a growing file gives past what it measured was gathered in a
    bytearray and copied to bytes at the end (``bytes(grown)``), so the peak was twice the
    size limit, 2.1 and 2.6 times here (a list of pieces joined once is 2.0). The bytes
    read are held once, with what their buffer grows by. Peak of Python's allocations
    (tracemalloc), against what is returned. Guard: no more than ``most`` bytes come back."""
    import tracemalloc

    from crossbrief.ingest import _CHUNK, _read_at_most

    most = 8 << 20
    handle = io.BufferedReader(_Endless(gives), _CHUNK)
    tracemalloc.start()
    try:
        data = _read_at_most(handle, most, measured)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert data == b"x" * most
    assert peak < 1.5 * most, peak / most


def _fifo(path: Path, data: bytes, written: list[int] | None = None) -> threading.Thread:
    """A FIFO at ``path`` that a thread fills with ``data`` (st_size 0, as a device's), 64
    KiB at a time, counting in ``written`` what the reader took before it closed."""
    os.mkfifo(path)

    def write() -> None:
        sent = 0
        try:
            with open(path, "wb") as writer:
                for start in range(0, len(data), 1 << 16):
                    writer.write(data[start:start + (1 << 16)])
                    sent = start + len(data[start:start + (1 << 16)])
        except BrokenPipeError:  # the reader stopped early, as it should
            pass
        if written is not None:
            written.append(sent)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_file_that_gives_more_than_it_measures_is_read_no_further_than_the_limit(
        tmp_path: Path) -> None:
    """A file whose size says it fits (a FIFO, /dev/zero: 0 bytes; a file still growing)
    was read whole, unbounded: /dev/zero was a MemoryError, a 20 MB FIFO was read whole.
    No more than the limit + 1 bytes are read; more than the limit is read on as standard
    input is: a feed streamed as JSON Lines, other text refused as too large, binary as
    binary. Guard: one that fits is read."""
    settings = load_settings(max_text_bytes=1_000, html_markup_factor=1)
    lines = [json.dumps({"text": f"Record {n}: {STORY}"}) for n in range(12)]
    cases = {"feed": ("\n".join(lines) + "\n").encode(),
             "feed16": codecs.BOM_UTF16_LE + "".join(
                 json.dumps({"text": f"UTF-16 record {n}: {STORY}"}) + "\n"
                 for n in range(12)).encode("utf-16-le"),
             "essay": (STORY * 10).encode(),
             "zeros": b"\x00" * 50_000, "small": STORY.encode(),
             "page.html": (PAGE * 20).encode()}
    threads = [_fifo(tmp_path / name, data) for name, data in cases.items()]
    written: list[int] = []
    threads.append(_fifo(tmp_path / "endless", STORY.encode() * 150_000, written))  # 20 MB
    corpus = read(*(tmp_path / name for name in (*cases, "endless")), settings=settings)
    for thread in threads:
        thread.join(timeout=10)
    assert [a.input for a in corpus.articles] == [f"feed:{n}" for n in range(1, 13)] + [
        f"feed16:{n}" for n in range(1, 13)] + ["small"]
    assert {a.encoding for a in corpus.articles if a.input.startswith("feed16")} == {"utf-16"}
    assert [(s.input, s.code) for s in corpus.skipped] == [
        ("essay", "E104"), ("zeros", "E102"), ("page.html", "E104"), ("endless", "E104")]
    assert "1,000 bytes" in corpus.skipped[0].reason
    assert written and written[0] < 1_000_000, written  # what a pipe holds, not 20 MB
    if os.path.exists("/dev/zero"):  # endless: refused from its first bytes
        (skipped,) = read("/dev/zero", settings=settings).skipped
        assert skipped.code == "E102"


def _peak_reading(*inputs: str | Path, stdin: io.IOBase | None = None) -> tuple[Inputs, int]:
    """What ``read`` gives and the most memory it held at once (tracemalloc, in bytes)."""
    import tracemalloc

    tracemalloc.start()
    try:
        corpus = read(*inputs, stdin=stdin) if stdin is not None else read(*inputs)
        return corpus, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_short_input_costs_its_size_not_the_size_limit(tmp_path: Path) -> None:
    """Standard input was read with ``read(limit + 1)``, for which CPython allocates the
    whole limit before it reads (50 MB by default, ``max_text_bytes`` times
    ``html_markup_factor``): a 35 kB article piped in held 50 MB at the peak (a file was
    fixed so, ``ingest._read_at_most``, and is checked here too). Both cost about their
    size now."""
    data = ("The harbour council approved the budget on Monday after a long debate. "
            * 500).encode()
    assert load_settings().max_text_bytes * load_settings().html_markup_factor > 20_000_000
    read_fd, write_fd = os.pipe()

    def write() -> None:
        with open(write_fd, "wb") as writer:
            writer.write(data)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    with open(read_fd, "rb") as pipe:
        piped, peak = _peak_reading("-", stdin=pipe)
    thread.join(timeout=10)
    assert len(piped.articles) == 1 and peak < 5_000_000, peak
    (tmp_path / "input").write_bytes(data)
    from_file, peak = _peak_reading(tmp_path / "input")
    assert [a.text for a in from_file.articles] == [a.text for a in piped.articles]
    assert peak < 5_000_000, peak


@pytest.mark.parametrize("where", ["stdin", "file", "file.jsonl"])
def test_a_utf16_feed_with_a_bad_line_loses_nothing_else(where: str, tmp_path: Path) -> None:
    """A UTF-16 feed over the size limit is decoded as a stream; bytes that did not decode
    (a lone surrogate, an odd last byte) raised from the first read: every record was lost,
    "reading failed" (E302). The line holding a lone surrogate is read, U+FFFD, as a whole
    text is (it was skipped, E103); an odd last byte is U+FFFD, as in a feed read whole, so
    its line (that alone) is no JSON, E105. A line holding as many bad code units as random
    bytes do is no text: skipped, E103, naming it."""
    settings = load_settings(max_text_bytes=1_000)
    lines = [json.dumps({"text": f"Story {n}: {STORY}"}).encode("utf-16-le") + b"\n\x00"
             for n in range(40)]
    lines[15] = lines[15][:20] + b"\x00\xd8" + lines[15][20:]  # a lone high surrogate
    lines[20] = lines[20][:20] + b"\x00\xd8a\x00" * 10 + lines[20][20:]  # noise: too many
    data = codecs.BOM_UTF16_LE + b"".join(lines) + b"x"         # and an odd last byte
    if where == "stdin":
        corpus = read("-", stdin=io.BytesIO(data), settings=settings)
    else:
        (tmp_path / where).write_bytes(data)
        corpus = read(tmp_path / where, settings=settings)
    name = "-" if where == "stdin" else where
    assert len(corpus.articles) == 39
    assert [(s.input, s.code) for s in corpus.skipped] == [(f"{name}:21", "E103"),
                                                           (f"{name}:41", "E105")]
    assert corpus.skipped[0].reason.startswith("line is not valid UTF-16 (too many")
    [bad] = [a for a in corpus.articles if a.input.endswith(f"{name}:16")]
    assert bad.text.count("\ufffd") == 1


def _wide_story(codec: str, lines: bool, ending: str) -> bytes:
    """One record in UTF-16 or UTF-32 (``codec``: "utf-16" or "utf-32", its mark
    little-endian, "utf-16-le"/"utf-16-be" without one, or "utf-16-be+bom"/"utf-32-be+bom",
    big-endian with its mark) as a JSON document (``lines`` False), or two as JSON Lines,
    each ending in ``ending``: a line break, a U+0000 terminator, or the two."""
    records = [json.dumps({"title": f"Harbour closed ({day})", "text":
                           f"Officials said on {day} that the harbour would stay closed until "
                           "the storm had passed. Ferries will not run before Wednesday."})
               for day in (("Monday", "Tuesday") if lines else ("Monday",))]
    text = "\n".join(records) + ending
    if codec.endswith("+bom"):
        unit = codec.removesuffix("+bom")
        mark = codecs.BOM_UTF16_BE if unit == "utf-16-be" else codecs.BOM_UTF32_BE
        return mark + text.encode(unit)
    return text.encode(codec)


@pytest.mark.parametrize("ending", ["\n", "\n\x00", "\x00"])
@pytest.mark.parametrize("lines", [False, True])
@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-16-be+bom",
                                   "utf-32", "utf-32-be+bom"])
def test_a_utf16_json_or_feed_reads_alike_by_every_route(
        codec: str, lines: bool, ending: str, tmp_path: Path) -> None:
    """UTF-16 or UTF-32 JSON or JSON Lines, with its mark or without, ending in a U+0000
    terminator (after a line break or not) or not, gives the same articles and no skip from
    a file (named by its kind, or without a suffix), standard input and an upload, under
    the size limit or over it (streamed). A JSON document ending in the terminator was
    sniffed from bytes read again with the terminator kept, as JSON Lines, the terminator
    its second line: the article and an E105 "invalid JSON on line 2"; a feed ending in it
    was E105 at its last line (the last record lost, when no line break came before it)."""
    data = _wide_story(codec, lines, ending)
    named = "story.jsonl" if lines else "story.json"
    (tmp_path / named).write_bytes(data)
    (tmp_path / "story").write_bytes(data)
    small = load_settings(max_text_bytes=200, html_markup_factor=1)
    routes: dict[str, list[Article | Skipped]] = {}
    for where in (named, "story"):
        corpus = read(tmp_path / where)
        routes[where] = [*corpus.articles, *corpus.skipped]
    corpus = read("-", stdin=io.BytesIO(data))
    routes["-"] = [*corpus.articles, *corpus.skipped]
    corpus = read("-", stdin=io.BytesIO(data), settings=small)  # streamed: over the limit
    routes["- streamed"] = [*corpus.articles, *corpus.skipped]
    for name in (named, "story"):
        routes[f"upload {name}"] = read_upload(data, name, load_settings())
    expected = [f"Harbour closed ({day})" for day in ("Monday", "Tuesday")[:1 + lines]]
    for where, read_so in routes.items():
        assert [r.title for r in read_so if isinstance(r, Article)] == expected, where
        assert [r for r in read_so if isinstance(r, Skipped)] == [], where


def _count_utf16_order(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the bytes ``ingest._utf16_order`` is called on, from now on."""
    from crossbrief import ingest

    calls: list[int] = []
    counted = ingest._utf16_order

    def counting(data: bytes, spaced: bool = False, whole: bool = False) -> str | None:
        calls.append(len(data))
        return counted(data, spaced=spaced, whole=whole)

    monkeypatch.setattr(ingest, "_utf16_order", counting)
    return calls


@pytest.mark.parametrize("lines", [False, True])
def test_utf16_is_told_by_its_nul_bytes_once_per_input(
        lines: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the NUL bytes of UTF-16 without a mark fall is looked at once per input, for
    refusing binary, sniffing, decoding and streaming alike (it was up to four times over
    the same bytes, each a chance to disagree)."""
    calls = _count_utf16_order(monkeypatch)
    read_so = list(read_bytes(_wide_story("utf-16-le", lines, "\n\x00"), "story", load_settings()))
    assert len([r for r in read_so if isinstance(r, Article)]) == 1 + lines
    assert len(calls) == 1


def test_a_utf16_file_without_a_suffix_over_the_limit_is_told_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A UTF-16 feed without a mark in a file without a suffix, over the size limit of an
    input: where its NUL bytes fall was looked at for refusing it, then again when it was
    read on as a JSON Lines file; once now, and streamed from the bytes already read."""
    calls = _count_utf16_order(monkeypatch)
    (tmp_path / "feed").write_bytes(_FEED.decode().encode("utf-16-le"))
    corpus = read(tmp_path / "feed", settings=load_settings(max_text_bytes=1_000,
                                                            html_markup_factor=10))
    assert [a.input for a in corpus.articles] == [f"feed:{n}" for n in range(1, 41)]
    assert {a.encoding for a in corpus.articles} == {"utf-16-le"}
    assert corpus.skipped == [] and len(calls) == 1


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_a_bad_code_unit_is_one_rule_for_a_text_and_a_line(
        codec: str, caplog: pytest.LogCaptureFixture) -> None:
    """A code unit that is no character (a lone surrogate) in UTF-16 or UTF-32: a whole text
    holding one was read, U+FFFD, and nothing said; a line of a feed holding one was
    skipped, E103. Both are read, U+FFFD, with a warning naming the input or the line;
    both are skipped, E103 naming it, when they hold as many as random bytes do."""
    unit = codec.removesuffix("-be") + ("-be" if codec.endswith("-be") else "-le")
    mark = b"" if codec.endswith("-be") else {"utf-16": codecs.BOM_UTF16_LE,
                                              "utf-32": codecs.BOM_UTF32_LE}[codec]
    lone = "\ud800".encode(unit, "surrogatepass")
    story = STORY.encode(unit)
    record = json.dumps({"text": STORY}).encode(unit)
    newline = "\n".encode(unit)
    one_bad = story[:40] + lone + story[40:]
    noise = story[:40] + (lone + "a".encode(unit)) * 10 + story[40:80]
    shown = codec.upper() if mark else unit.upper()
    settings = load_settings()
    for data, name, inputs, code in (
            (mark + one_bad, "story", ["story"], None),
            (mark + noise, "story", ["story"], "E103"),
            (mark + record + newline + record[:40] + lone + record[40:] + newline,
             "feed.jsonl", ["feed.jsonl:1", "feed.jsonl:2"], None),
            (mark + record + newline + record[:40] + (lone + "a".encode(unit)) * 10
             + record[40:] + newline, "feed.jsonl", ["feed.jsonl:1"], "E103")):
        caplog.clear()
        read_so = read_upload(data, name, settings)
        bad = inputs[-1] if code is None else f"{name}:2" if name.endswith("jsonl") else name
        assert [a.input for a in read_so if isinstance(a, Article)] == (
            inputs if code is None or name.endswith("jsonl") else [])
        assert [(s.input, s.code) for s in read_so if isinstance(s, Skipped)] == (
            [] if code is None else [(bad, code)])
        said = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
        assert said == ([] if code else [f"{bad}: 1 code unit not valid {shown} (a byte "
                                         "lost or changed, or the text cut short) read as "
                                         "U+FFFD"])
