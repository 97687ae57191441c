"""Fuzzing campaign: every article of ``../shared/eval`` and thousands of broken variants of
them through :func:`crossbrief.pipeline.analyze`, alone and in random groups.

    python benchmarks/fuzz.py                  # the full campaign (about 25 min on two cores)
    python benchmarks/fuzz.py --quick          # a sample of 300 inputs, a few minutes
    python benchmarks/fuzz.py --n 2000 --seed 7 --workers 2 --no-write

Inputs: the articles of every labelled set (DUC 2004, DUC 2006, PolNeAR, CheckThat!
sentences, the GVA news stream, TempEval-3, ECB+), read in place or converted to text in a
temporary directory, and mutations of them (truncation at a random byte, byte flips, UTF-16,
Latin-1, cp1252 and mixed encodings, NUL bytes, zero-width and bidi characters, emoji,
unbalanced quotation marks, HTML wrappers nested 5,000 deep or holding only scripts, JSON and
JSON Lines with malformed lines and wrong field types, a 5 MB article, one 200,000-character
line, run-on sentences of cues or quotations, thousands of people's names in one article).
The generator is seeded: the same seed gives the same inputs.

Each call of ``analyze`` runs in a worker process (``--worker``, models loaded once) under a
time bound of ``ARTICLE_SECONDS`` per article it holds (one article per record, and per
started 10,000 words and marks), so a hang is caught and the worker restarted (the inputs of
a call that hung are then run alone, to name the one that hangs). Figures: inputs
tried, crashes (an exception escaping ``analyze``, or a worker that died), hangs, inputs
unaccounted for (neither among the articles, by ``Article.input``, nor among
``corpus.skipped``), articles skipped because a stage failed (internal bugs, listed with the
error), and the workers' peak resident memory. A sample also goes through the installed
``crossbrief analyze … -f json`` command: its exit code must be 0, 1 or 2 and its standard
output one JSON document. ``tests/test_fuzz.py`` runs a small sample of the same generator.

A full campaign (neither ``--n`` nor ``--quick``) writes its section of BENCHMARKS.md
(``--output``) between the marks it left there, in two blocks (:data:`BLOCK`,
:data:`BLOCK_LISTINGS`); the paragraphs written by hand around them stay byte for byte
(``benchmarks/page_blocks.py``).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import html
import itertools
import json
import math
import os
import random
import re
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EVAL = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(HERE))

from page_blocks import Part, joined, write_parts  # noqa: E402  (benchmarks/page_blocks.py)

# The time bound: a call of analyze may take this many seconds per article it holds, models
# loaded, counting one article per record and per started TOKENS_PER_ARTICLE words and marks
# (what the parser's time grows with: a normal 50 kB article holds about 9,000).
ARTICLE_SECONDS = 20.0
TOKENS_PER_ARTICLE = 10_000
_WORD_OR_MARK = re.compile(r"\w+|[^\w\s]")
SECTION = "## Robustness: fuzzing"


@dataclass
class Input:
    """One input given to ``analyze``: a path (or name), where it came from, and what its
    articles or skips must be named."""

    path: str
    origin: str
    # The records of a JSON Lines file or JSON list we wrote (":1", "#2"): each one must be
    # accounted for under the file's name. None: the name itself or any record of it will do.
    records: list[str] | None = None
    # The files a glob pattern stands for, each accounted for under its own name.
    members: list[str] | None = None
    # How many articles it counts as for the time bound; None: worked out from the file.
    known_units: int | None = None

    @property
    def units(self) -> int:
        if self.known_units is None:
            data = Path(self.path).read_bytes() if os.path.isfile(self.path) else b""
            self.known_units = _units(data, markup=_is_markup(self.path))
        return self.known_units

    def accounted(self, names: set[str]) -> bool:
        if self.members is not None:
            return all(_named(shown(m), names) for m in self.members)
        base = shown(self.path)
        if self.records is not None:
            return all(base + r in names for r in self.records)
        return _named(base, names)


def _named(base: str, names: set[str]) -> bool:
    return base in names or any(n.startswith((base + ":", base + "#", base + "/"))
                                for n in names)


def shown(path: str) -> str:
    """The name crossbrief gives ``path`` in its output, run from ``/`` as the workers are
    (so every file has a name of its own)."""
    try:
        from crossbrief.ingest import display_name
    except ImportError:
        return path
    with contextlib.chdir("/"):
        return str(display_name(path))


@dataclass
class Report:
    calls: int = 0
    inputs: int = 0
    distinct: set[str] = field(default_factory=set)
    origins: Counter[str] = field(default_factory=Counter)
    articles: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    crashes: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    hung_calls: list[list[Input]] = field(default_factory=list)
    unaccounted: list[str] = field(default_factory=list)
    bugs: list[str] = field(default_factory=list)
    stage_failures: list[str] = field(default_factory=list)
    peak_kib: int = 0
    seconds: float = 0.0
    slowest: list[tuple[float, str]] = field(default_factory=list)
    cli_calls: int = 0
    cli_failures: list[str] = field(default_factory=list)

    def ok(self) -> bool:
        return not (self.crashes or self.hangs or self.unaccounted or self.bugs
                    or self.cli_failures)


# --- the articles of the labelled sets -----------------------------------------------------


def _write(tmp: Path, name: str, data: bytes | str) -> str:
    path = tmp / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return str(path)


def _units(data: bytes | str, markup: bool = False) -> int:
    """How many articles ``data`` counts as for the time bound (see ARTICLE_SECONDS); only
    the text between the tags of an HTML page counts."""
    if len(data) <= TOKENS_PER_ARTICLE:  # it cannot hold more words and marks than bytes
        return 1
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    if markup:
        text = _TAG.sub(" ", text)
    tokens = sum(1 for _ in _WORD_OR_MARK.finditer(text))
    return max(1, math.ceil(tokens / TOKENS_PER_ARTICLE))


def _is_markup(path: str) -> bool:
    return Path(path).suffix.lower() in (".html", ".htm")


def _file_input(path: str | Path, origin: str) -> Input:
    return Input(str(path), origin)


def originals(tmp: Path) -> list[Input]:
    """Every article of ``../shared/eval``: files read in place where they are articles
    already, else converted to a text or JSON file under ``tmp``."""
    found: list[Input] = []
    found += _duc2004()
    found += _duc2006(tmp)
    found += _polnear()
    found += _checkthat(tmp)
    found += _gva(tmp)
    found += _tempeval(tmp)
    found += _ecbplus(tmp)
    return found


def _duc2004() -> list[Input]:
    root = EVAL / "duc2004" / "clusters"
    paths = sorted(root.glob("*/docs/C*")) + sorted(root.glob("*/docs_with_ids/*.txt"))
    return [_file_input(p, "duc2004") for p in paths]


_DOCUMENT = re.compile(r'<document name="([^"]+)">(.*?)</document>', re.S)
_LINE = re.compile(r"<line>(.*?)</line>", re.S)
_ANNOTATION = re.compile(r"<annotation\b.*?</annotation>", re.S)
_TAG = re.compile(r"<[^>]+>")


def _duc2006(tmp: Path) -> list[Input]:
    found = []
    for scu in sorted((EVAL / "duc2006-scu").glob("*.scu")):
        raw = scu.read_text("utf-8", "replace")
        for name, body in _DOCUMENT.findall(raw):
            lines = [html.unescape(_ANNOTATION.sub("", line)).strip()
                     for line in _LINE.findall(body)]
            text = "\n\n".join(line for line in lines if line)
            found.append(_file_input(_write(tmp, f"duc2006/{scu.stem}/{name}.txt", text),
                                     "duc2006"))
        # The marked file itself: XML on one line, read as text.
        found.append(_file_input(scu, "duc2006-xml"))
    return found


def _polnear() -> list[Input]:
    root = EVAL / "polnear"
    return [_file_input(p, "polnear")
            for split in ("train", "dev", "annotator-training")
            for p in sorted((root / split / "text").glob("*.txt"))]


def _checkthat(tmp: Path) -> list[Input]:
    """Each sentence alone, and the sentences in groups of 5 to 20 as one article."""
    root = EVAL / "checkthat-subjectivity"
    sentences: list[str] = []
    for tsv in sorted(root.glob("*.tsv")):
        with tsv.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
        sentences += [row[1] for row in rows[1:] if len(row) > 1]
    found = [_file_input(_write(tmp, f"checkthat/s{n:04d}.txt", s), "checkthat-sentence")
             for n, s in enumerate(sentences)]
    rng = random.Random(len(sentences))
    n, start = 0, 0
    while start < len(sentences):
        size = rng.randint(5, 20)
        text = " ".join(sentences[start:start + size])
        found.append(_file_input(_write(tmp, f"checkthat/g{n:03d}.txt", text), "checkthat-group"))
        start += size
        n += 1
    found += [_file_input(p, "checkthat-tsv") for p in sorted(root.glob("*.tsv"))]
    return found


# Other spellings of the fields (docs/inputs.md), so every reader path is taken.
_ALIASES = {
    "text": ("text", "content", "body", "maintext", "article", "full_text", "raw_text"),
    "title": ("title", "headline"),
    "url": ("url", "link", "source_url", "canonical_url"),
    "outlet": ("source", "domain", "sitename", "site_name", "source_domain", "outlet",
               "publisher", "hostname"),
    "published": ("published", "date", "date_publish", "published_at", "publishedAt",
                  "publish_date", "pubdate", "datePublished", "date_published"),
}


def _renamed(record: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in record.items():
        names = _ALIASES.get(key)
        name = rng.choice(names) if names else key
        if key == "outlet" and rng.random() < 0.2:
            value = {"id": None, "name": value}  # NewsAPI's source object
        out[name] = value
    return out


def _gva(tmp: Path) -> list[Input]:
    """Each record of the stream as a JSON file (field names varied); each multi-article
    story also as one JSON Lines file and as one JSON list."""
    path = EVAL / "gva-stream" / "dev.jsonl"
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    rng = random.Random(len(records))
    found = []
    stories: dict[str, list[dict[str, Any]]] = {}
    for n, record in enumerate(records):
        record = {k: v for k, v in record.items() if k not in ("low_quality",)}
        stories.setdefault(str(record.get("story")), []).append(record)
        name = _write(tmp, f"gva/r{n:04d}.json", json.dumps(_renamed(record, rng)))
        found.append(Input(name, "gva-stream", known_units=1))
    for n, (_, members) in enumerate(sorted(stories.items())):
        if len(members) < 2:
            continue
        if n % 2:
            lines = [json.dumps(_renamed(r, rng)) for r in members]
            name = _write(tmp, f"gva/story-{n:04d}.jsonl", "\n".join(lines) + "\n")
            found.append(Input(name, "gva-story-jsonl",
                               [f":{i}" for i in range(1, len(lines) + 1)],
                               known_units=len(lines)))
        else:
            name = _write(tmp, f"gva/story-{n:04d}.json",
                          json.dumps({"articles": [_renamed(r, rng) for r in members]}))
            found.append(Input(name, "gva-story-json",
                               [f"#{i}" for i in range(1, len(members) + 1)],
                               known_units=len(members)))
    incidents = EVAL / "gva-stream" / "dev-incidents.jsonl"
    if incidents.exists():  # records without any text: every line a skip
        found.append(_file_input(incidents, "gva-incidents"))
    return found


_DCT = re.compile(r'<TIMEX3[^>]*value="([^"]+)"[^>]*functionInDocument="CREATION_TIME"')
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.S)


def _tempeval(tmp: Path) -> list[Input]:
    """Each TimeML document's text with its creation date as front matter, and one in four
    of the documents as they are (XML read as text)."""
    found = []
    for n, tml in enumerate(sorted((EVAL / "tempeval3").rglob("*.tml"))):
        raw = tml.read_text("utf-8", "replace")
        body = _TEXT.search(raw)
        dct = _DCT.search(raw)
        text = html.unescape(_TAG.sub("", body.group(1))).strip() if body else raw
        front = f"---\ntitle: {tml.stem}\npublished: {dct.group(1) if dct else ''}\n---\n"
        found.append(_file_input(_write(tmp, f"tempeval/{tml.parent.name}/{tml.stem}.txt",
                                        front + text), "tempeval3"))
        if n % 4 == 0:
            found.append(_file_input(tml, "tempeval3-tml"))
    return found


_TOKEN = re.compile(r'<token t_id="\d+" sentence="(\d+)" number="\d+">(.*?)</token>')
_NO_SPACE_BEFORE = re.compile(r" ([.,;:!?%)\]}]|'s|n't)")


def _ecbplus(tmp: Path) -> list[Input]:
    """Each ECB+ document's tokens joined back into text (a sentence a line), and one in
    eight of the token XML files as they are."""
    found = []
    files = sorted((EVAL / "ecbplus-dev" / "ECB+").glob("*/*.xml"))
    for n, xml in enumerate(files):
        raw = xml.read_text("utf-8", "replace")
        sentences: dict[int, list[str]] = {}
        for number, token in _TOKEN.findall(raw):
            sentences.setdefault(int(number), []).append(html.unescape(token))
        text = "\n".join(_NO_SPACE_BEFORE.sub(r"\1", " ".join(words))
                         for _, words in sorted(sentences.items()))
        found.append(_file_input(_write(tmp, f"ecbplus/{xml.parent.name}/{xml.stem}.txt", text),
                                 "ecbplus"))
        if n % 8 == 0:
            found.append(_file_input(xml, "ecbplus-xml"))
    return found


# --- mutations -----------------------------------------------------------------------------

ZERO_WIDTH_AND_BIDI = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e",
                       "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066",
                       "\u2067", "\u2068", "\u2069", "\u061c"]
EMOJI = ["😀", "🔥", "👍🏽", "👨‍👩‍👧‍👦", "🇺🇦", "🇨🇳", "❤️", "🏳️‍🌈", "1️⃣", "🧑🏿‍🚀", "\U0001fae0",
         "☢", "🙏", "💥"]
QUOTES = ['"', "“", "”", "‘", "’", "'", "«", "»", "„", "‹", "›", "「", "」", "``", "''"]


def _text_of(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _insert(rng: random.Random, text: str, pieces: list[str], share: float) -> str:
    if not text:
        return "".join(rng.choice(pieces) for _ in range(10))
    count = max(1, int(len(text) * share))
    positions = sorted(rng.randrange(len(text) + 1) for _ in range(count))
    out, last = [], 0
    for pos in positions:
        out.append(text[last:pos])
        out.append(rng.choice(pieces))
        last = pos
    out.append(text[last:])
    return "".join(out)


def m_truncate(rng: random.Random, data: bytes) -> bytes:
    return data[:rng.randrange(max(1, len(data)))]


def m_flip(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data or b"x")
    for _ in range(rng.choice([1, 3, 10, 50, max(1, len(buf) // 20)])):
        i = rng.randrange(len(buf))
        buf[i] = rng.randrange(256) if rng.random() < 0.5 else buf[i] ^ (1 << rng.randrange(8))
    return bytes(buf)


def m_utf16(rng: random.Random, data: bytes) -> bytes:
    codec = rng.choice(["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
    return _text_of(data).encode(codec)


def m_latin1(rng: random.Random, data: bytes) -> bytes:
    return _text_of(data).encode("latin-1", "replace")


def m_cp1252(rng: random.Random, data: bytes) -> bytes:
    return _text_of(data).encode("cp1252", "replace")


def m_mixed(rng: random.Random, data: bytes) -> bytes:
    """Paragraphs in different encodings, as pages pasted together from several sources."""
    parts = re.split(r"(\n+)", _text_of(data))
    out = []
    for part in parts:
        codec = rng.choice(["utf-8", "utf-8", "cp1252", "latin-1", "koi8-r", "shift_jis"])
        out.append(part.encode(codec, "replace"))
    return b"".join(out)


def m_nul(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    spots = [rng.randrange(len(buf) + 1) for _ in range(rng.choice([1, 2, 20]))]
    if len(buf) > 9000 and rng.random() < 0.5:
        spots = [rng.randrange(8200, len(buf))]  # beyond the first 8 kB only
    for pos in sorted(spots, reverse=True):
        buf[pos:pos] = b"\x00" * rng.choice([1, 1, 4])
    return bytes(buf)


def m_invisible(rng: random.Random, data: bytes) -> bytes:
    return _insert(rng, _text_of(data), ZERO_WIDTH_AND_BIDI,
                   rng.choice([0.001, 0.02, 0.2])).encode("utf-8")


def m_emoji(rng: random.Random, data: bytes) -> bytes:
    return _insert(rng, _text_of(data), EMOJI, rng.choice([0.001, 0.02, 0.1])).encode("utf-8")


def m_quotes(rng: random.Random, data: bytes) -> bytes:
    runs = [q * rng.randint(1, 5) for q in QUOTES]
    return _insert(rng, _text_of(data), runs, rng.choice([0.002, 0.02, 0.1])).encode("utf-8")


def m_crlf(rng: random.Random, data: bytes) -> bytes:
    newline = rng.choice([b"\r\n", b"\r", "\u2028".encode(), b"\f"])
    return data.replace(b"\n", newline)


def m_no_newlines(rng: random.Random, data: bytes) -> bytes:
    return re.sub(rb"\s+", b" ", data)


MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "truncate": m_truncate, "flip": m_flip, "utf16": m_utf16, "latin1": m_latin1,
    "cp1252": m_cp1252, "mixed-encodings": m_mixed, "nul": m_nul, "invisible": m_invisible,
    "emoji": m_emoji, "quotes": m_quotes, "newlines": m_crlf, "one-line": m_no_newlines,
}


# --- inputs made from scratch (around real text) ---------------------------------------------


def _sentences(rng: random.Random, pool: list[str], chars: int) -> str:
    out, size = [], 0
    while size < chars:
        piece = rng.choice(pool)
        out.append(piece)
        size += len(piece) + 1
    return " ".join(out)


def _html_page(title: str, body: str) -> str:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>\n" for p in body.split("\n") if p.strip())
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
            "</title></head><body><nav>Home / World</nav><article><h1>"
            f"{html.escape(title)}</h1>{paragraphs}</article><footer>© 2024 Example News. "
            "Share this article</footer></body></html>")


def s_nested_html(rng: random.Random, text: str) -> tuple[str, bytes]:
    depth = 5000
    tag = rng.choice(["div", "span", "b", "section", "blockquote", "li"])
    closed = rng.random() < 0.5
    page = ("<html><body>" + f"<{tag}>" * depth + "".join(
        f"<p>{html.escape(p)}</p>" for p in text.split("\n")[:30] if p.strip())
        + (f"</{tag}>" * depth if closed else "") + "</body></html>")
    return ".html", page.encode()


def s_script_html(rng: random.Random, text: str) -> tuple[str, bytes]:
    scripts = "".join(f"<script>var s{i} = {json.dumps(text[:500])};</script>"
                      for i in range(rng.randint(1, 50)))
    style = "<style>p { color: red }</style>" if rng.random() < 0.5 else ""
    noscript = "<noscript>Enable JavaScript</noscript>" if rng.random() < 0.3 else ""
    return ".html", f"<html><head>{scripts}{style}</head><body>{scripts}{noscript}</body></html>" \
        .encode()


def s_html_page(rng: random.Random, text: str) -> tuple[str, bytes]:
    page = _html_page(text.split("\n", 1)[0][:80], text)
    if rng.random() < 0.3:  # a charset the bytes do not have
        lie = rng.choice(["utf-16", "shift_jis", "x-bogus", "latin-1"])
        page = page.replace("charset='utf-8'", f"charset='{lie}'")
    if rng.random() < 0.3:
        page = page[:rng.randrange(len(page))]
    return ".html", page.encode("utf-8")


def s_broken_markup(rng: random.Random, text: str) -> tuple[str, bytes]:
    junk = ["<", ">", "</", "<p", "<!--", "-->", "<![CDATA[", "]]>", "&", "&#", "&#x;", "&amp",
            "<script>", "<table><tr><td>", "<?xml ?>", "<br/>", "\"", "'", "="]
    body = _insert(rng, text[:20000], junk, 0.05)
    return ".html", ("<html><body><article>" + body).encode()


def s_text_in_json_html(rng: random.Random, text: str) -> tuple[str, bytes]:
    return ".json", json.dumps({"title": "t", "content": _html_page("t", text)}).encode()


_WRONG_VALUES: list[Any] = [None, 0, -1, 1e308, -1e308, 10**30, True, False, "", " ", [], {},
                            ["a", None, 3], {"name": 5}, {"name": None}, {"x": {"y": []}},
                            "NaN", "not a date", "9999-99-99", "0000-00-00", "1e400", "\x00",
                            [[["deep"]]], "2024-02-30T25:61:00Z", "2024-01-01T00:00:00+99:00",
                            "Tue, 99 Foo 2024", -62135596800, 253402300800, 1.5e10]


def s_wrong_types(rng: random.Random, text: str) -> tuple[str, bytes]:
    """A record whose fields hold the wrong kinds of value."""
    record: dict[str, Any] = {}
    for names in _ALIASES.values():
        name = rng.choice(names)
        record[name] = rng.choice(_WRONG_VALUES) if rng.random() < 0.6 else text[:3000]
    if rng.random() < 0.5:
        record[rng.choice(_ALIASES["text"])] = text[:3000]
    record[rng.choice(["author", "authors", "byline"])] = rng.choice(_WRONG_VALUES)
    data = json.dumps(record, allow_nan=True)
    if rng.random() < 0.2:
        data = data.replace("1e+308", "Infinity")
    return ".json", data.encode()


def s_bad_json(rng: random.Random, text: str) -> tuple[str, bytes]:
    good = json.dumps({"title": "t", "text": text[:2000]})
    choices = [
        good[:rng.randrange(len(good))],
        good.replace('"text"', "'text'"),
        good[:-1] + ",}",
        "[" + good + "," + good + ",]",
        "[" * 100_000 + "]" * 100_000,
        "{\"articles\": " + "[" * 50_000 + "]" * 50_000 + "}",
        "{" * 30_000,
        "42", "null", "true", '"just a string"', "[]", "{}", '{"articles": []}',
        '{"articles": "none"}', '{"articles": [1, "x", null, []]}',
        "[" + ", ".join(rng.choice(['1', '"x"', 'null', '[]', good, '{"text": 5}'])
                        for _ in range(rng.randint(1, 8))) + "]",
        '{"text": NaN}', '{"text": "' + text[:500] + '\\ud800"}',
        good + "\n" + good,
        "\ufeff" + good,
        '{"text": "a", "text": "' + text[:500].replace('"', "'") + '"}',
    ]
    return ".json", rng.choice(choices).encode("utf-8", "surrogatepass")


def s_bad_jsonl(rng: random.Random, text: str) -> tuple[str, bytes]:
    pieces = []
    for n in range(rng.randint(1, 12)):
        kind = rng.random()
        if kind < 0.4:
            pieces.append(json.dumps({"text": text[n * 300:(n + 1) * 300] or "x",
                                      "title": f"t{n}"}))
        elif kind < 0.55:
            pieces.append("")
        elif kind < 0.7:
            pieces.append(json.dumps({"text": text[:200]})[:rng.randint(1, 30)])
        elif kind < 0.8:
            pieces.append(rng.choice(["1", "null", "[]", '"x"', "[{}]", "{}"]))
        elif kind < 0.9:
            _, raw = s_wrong_types(rng, text)
            pieces.append(raw.decode())
        else:
            pieces.append("   \t ")
    sep = rng.choice(["\n", "\r\n", "\n\n"])
    data = sep.join(pieces)
    if rng.random() < 0.2:
        data = "\ufeff" + data
    return ".jsonl", data.encode()


def s_front_matter(rng: random.Random, text: str) -> tuple[str, bytes]:
    keys = ["title", "source", "url", "published", "author", "date", "x"]
    values = ["", "x", "2024-13-45", "1e400", "\u202e", "---", text[:50]]
    lines = [f"{rng.choice(keys)}: {rng.choice(values)}" for _ in range(rng.randint(0, 8))]
    closed = "---\n" if rng.random() < 0.7 else ""
    return rng.choice([".txt", ".md"]), ("---\n" + "\n".join(lines) + "\n" + closed + text) \
        .encode()


def s_markdown(rng: random.Random, text: str) -> tuple[str, bytes]:
    marks = ["*", "**", "_", "__", "[", "](", ")", "![", "#", "`", "> ", "- ", "\\"]
    return ".md", _insert(rng, text[:50_000], marks, rng.choice([0.01, 0.1, 0.3])).encode()


def s_long_line(rng: random.Random, text: str) -> tuple[str, bytes]:
    """One line of 200,000 characters: sentences, or one unbroken word, or markup runs."""
    kind = rng.choice(["sentences", "sentences", "word", "underscores", "brackets", "quotes"])
    pool = [s for s in re.split(r"(?<=[.!?])\s+", text) if s] or ["word"]
    if kind == "sentences":
        line = _sentences(rng, pool, 200_000)
    elif kind == "word":
        line = "".join(rng.choice("abcdefghij") for _ in range(200_000))
    elif kind == "underscores":
        line = "_a *b [c " * 22_223
    elif kind == "brackets":
        line = "[" * 100_000 + "(" * 100_000
    else:
        line = "“" * 100_000 + "\"" * 100_000
    return rng.choice([".txt", ".md", ".txt"]), line[:200_000].encode()


def s_unbalanced_quotes(rng: random.Random, text: str) -> tuple[str, bytes]:
    words = text.split()[:3000] or ["said"]
    out = []
    for word in words:
        if rng.random() < 0.3:
            out.append(rng.choice(QUOTES) * rng.randint(1, 3))
        out.append(word)
    return ".txt", " ".join(out).encode()


def s_run_on(rng: random.Random, text: str) -> tuple[str, bytes]:
    """One "sentence" of thousands of cues or quotations with no full stop: the stages' work
    per cue or per quotation must not grow with the sentence's length (2,000 words of "said"
    took 200 s before the sources stage skipped run-on sentences; 1,000 pairs of quotations
    a minute, in the quotes and claims stages; quotes and frames in sentences the segmenter
    joins, half a minute in the quotes stage; 2,000 quotations each after a clause and a
    comma, 46 s in the quotes stage, each looking for its clause's verb from the sentence's
    start; 2,000 quotations after "the mayor said,", 28 s in the sources stage and 39 s in the
    quotes stage, each reading every "mayor" of the article for the person it describes)."""
    line = rng.choice(["said " * 2000, "he said “yes” and she said “no” and " * 1000,
                       "the mayor said, “Quite” " * 1200,
                       "as the paper pointed out, “We will rebuild the bridge”. and " * 2000,
                       "the mayor said, “We will rebuild the bridge”. and " * 2000,
                       # sentences the segmenter joins (each piece opens in lower case)
                       "the “plan” is bad. and Bob said the tax is high. " * 1000])
    return ".txt", line.encode()


_SYLLABLES = "ka lo mi ra ten vor sul bek dan ris tal mon gar pel nus fi do zan hel quin".split()


def s_many_names(rng: random.Random, text: str) -> tuple[str, bytes]:
    """Thousands of people's distinct names in one article (a roll of victims, a list of
    candidates): merging the story's names compared each with every other name of its
    initials, 20 s for 3,000 names, a minute when they share their initials, 20 s for 1,500
    names written with an inner capital ("McDanlo", tried as blends like "LiLo")."""
    kind = rng.choice(["names", "same-initials", "inner-capitals"])
    initial = "s" if kind == "same-initials" else ""

    def word() -> str:
        return (initial + "".join(rng.choice(_SYLLABLES)
                                  for _ in range(rng.randint(2, 3)))).title()

    # (1,200 fit the test's sample of inputs of one article's length)
    names = [f"{word()} {word()}" for _ in range(rng.choice([1200, 3000]))]
    if kind == "inner-capitals":
        names[1::2] = ["Mc" + word() for _ in names[1::2]]
    verbs = ["met", "called", "thanked", "praised", "visited"]
    return ".txt", " ".join(f"{a} {rng.choice(verbs)} {b} on Monday."
                            for a, b in zip(names[::2], names[1::2], strict=True)).encode()


def s_tiny(rng: random.Random, text: str) -> tuple[str, bytes]:
    return ".txt", rng.choice([
        b"", b" ", b"\n\n\n", b"\xef\xbb\xbf", b"\xff\xfe", b".", b"\"", b"a", b"\xe2\x80",
        "“".encode(), "😀".encode(), b"\t\x0b\x0c", b"1 2 3", b"---\n---\n", b"Related stories",
        "\u202e".encode(), b"\x00", b"\x80\x81\x82", b"<html></html>", b"<", b"{", b"[",
    ])


SPECIALS: dict[str, Callable[[random.Random, str], tuple[str, bytes]]] = {
    "nested-html": s_nested_html, "script-only-html": s_script_html, "html-page": s_html_page,
    "broken-markup": s_broken_markup, "html-in-json": s_text_in_json_html,
    "wrong-field-types": s_wrong_types, "malformed-json": s_bad_json,
    "malformed-jsonl": s_bad_jsonl, "front-matter": s_front_matter, "markdown": s_markdown,
    "long-line": s_long_line, "unbalanced-quotes": s_unbalanced_quotes, "tiny": s_tiny,
    "run-on": s_run_on, "many-names": s_many_names,
}


def big_articles(rng: random.Random, tmp: Path, texts: list[str]) -> list[Input]:
    """A 5 MB article (just under the 5 MB limit), one just over, and a 1 MB HTML page."""
    pool = [t for t in texts if len(t) > 2000]
    found = []
    for name, size in (("big-4.9MB.txt", 4_900_000), ("big-5.1MB.txt", 5_100_000)):
        parts, total = [], 0
        while total < size:
            piece = rng.choice(pool)
            parts.append(piece)
            total += len(piece.encode()) + 2
        body = "\n\n".join(parts).encode()[:size]
        found.append(Input(_write(tmp, f"special/{name}", body), "5MB-article",
                           known_units=_units(body)))
    page = _html_page("A very long page", "\n".join(
        rng.choice(pool) for _ in range(300)))[:1_000_000]
    found.append(Input(_write(tmp, "special/big.html", page), "1MB-html",
                       known_units=_units(page, markup=True)))
    return found


def odd_names(rng: random.Random, tmp: Path, texts: list[str]) -> list[Input]:
    """Paths that are not plain files: missing, empty folders, globs, odd file names."""
    found = [Input(str(tmp / "no-such-file.txt"), "missing"),
             Input(str(tmp / "no-such-*.txt"), "missing")]
    empty = tmp / "special" / "empty-dir"
    empty.mkdir(parents=True, exist_ok=True)
    (empty / "notes.pdf").write_bytes(b"%PDF-1.4")
    found.append(Input(str(empty), "empty-dir"))
    for n, name in enumerate(["with space.txt", "ünïcödé.txt", "[brackets].txt", "a#1.txt",
                              "x.jsonl:3", "UPPER.TXT", "noext", "dots...md", "README.txt"]):
        path = _write(tmp, f"special/names/{n}/{name}", rng.choice(texts)[:3000])
        found.append(Input(path, "odd-name"))
    folder = tmp / "special" / "glob"
    files = [_write(tmp, f"special/glob/g{n}.txt", rng.choice(texts)[:2000]) for n in range(3)]
    found.append(Input(str(folder / "*.txt"), "glob", members=sorted(files), known_units=3))
    return found


# --- the plan --------------------------------------------------------------------------------


# Generators whose inputs take long (200,000-character lines): at most this many of each in
# the full campaign, one in a sample.
CAPS = {"long-line": 10}


def build_plan(seed: int, tmp: Path, n: int | None = None, *, mutants: int = 2600,
               max_units: int | None = None) -> list[list[Input]]:
    """The calls of the campaign: lists of inputs, each list one call of ``analyze``.

    Every original and every generated input appears once, alone or in a random group of
    2 to 12; originals of one story (a DUC cluster, an ECB+ topic) also go in together. The
    full campaign adds the 5 MB articles. ``n`` draws a sample of about ``n`` inputs instead,
    a few of each set and of each generator; ``max_units`` leaves out inputs that count as
    more articles than that (see ARTICLE_SECONDS).
    """
    rng = random.Random(seed)
    pool = originals(tmp)
    texts_for: dict[str, str] = {}

    def text_of(item: Input) -> str:
        if item.path not in texts_for:
            with open(item.path, "rb") as handle:
                texts_for[item.path] = _text_of(handle.read(60_000))
        return texts_for[item.path]

    readable = [i for i in pool if not i.origin.endswith(("-xml", "-tml", "-tsv", "incidents"))]
    if n is not None:  # a sample: a few of each set, then a few of each generator
        by_origin: dict[str, list[Input]] = {}
        for item in pool:
            by_origin.setdefault(item.origin, []).append(item)
        per = max(1, n // (3 * len(by_origin)))
        pool = []
        for items in by_origin.values():
            fitting = (x for x in rng.sample(items, len(items))
                       if max_units is None or x.units <= max_units)
            pool += itertools.islice(fitting, per)
        mutants = max(len(MUTATIONS) + len(SPECIALS), n - len(pool) - 13)
    generated: list[Input] = []
    kinds = [("m", k) for k in MUTATIONS] + [("s", k) for k in SPECIALS]
    made: Counter[str] = Counter()
    tries: Counter[str] = Counter()
    number = 0
    while len(generated) < mutants:
        # Every generator first (a few tries each, for those that can overshoot max_units).
        missing = [k for k in kinds if not made[k[1]] and tries[k[1]] < 50]
        family, kind = missing[0] if missing else rng.choice(kinds)
        tries[kind] += 1
        number += 1
        if made[kind] >= (CAPS.get(kind, mutants) if n is None else 1 if kind in CAPS
                          else mutants):
            continue
        source = rng.choice(readable)
        if family == "m":
            with open(source.path, "rb") as handle:
                data = MUTATIONS[kind](rng, handle.read())
            suffix = Path(source.path).suffix or ".txt"
            if kind in ("utf16", "latin1", "cp1252", "mixed-encodings") and rng.random() < 0.3:
                suffix = rng.choice([".txt", ".html", ".json", ".md", ".jsonl", ""])
        else:
            suffix, data = SPECIALS[kind](rng, text_of(source))
        units = _units(data, markup=suffix in (".html", ".htm"))
        if max_units is not None and units > max_units:
            continue
        made[kind] += 1
        path = _write(tmp, f"gen/{number // 500:02d}/{number:05d}-{kind}{suffix}", data)
        generated.append(Input(path, kind, known_units=units))
    generated += odd_names(rng, tmp, [text_of(i) for i in rng.sample(readable, 20)])
    if n is None:
        generated += big_articles(rng, tmp, [text_of(i) for i in rng.sample(readable, 200)])
    items = pool + generated
    rng.shuffle(items)
    calls: list[list[Input]] = []
    i = 0
    while i < len(items):
        size = 1 if rng.random() < 0.35 else rng.randint(2, 12)
        group = items[i:i + size]
        if rng.random() < 0.05 and len(group) > 1:
            group.append(group[0])  # the same input twice in one call: a duplicate
        calls.append(group)
        i += size
    if n is None:  # whole stories together, as users give them
        stories: dict[str, list[Input]] = {}
        for item in pool:
            if item.origin in ("duc2004", "ecbplus"):
                stories.setdefault(str(Path(item.path).parent), []).append(item)
        for members in stories.values():
            if rng.random() < 0.5:
                calls.append(rng.sample(members, min(len(members), 12)))
    rng.shuffle(calls)
    return calls


# --- running ---------------------------------------------------------------------------------


def _memory_kib() -> tuple[int, int]:
    """(peak, current) resident memory of this process, in KiB (Linux /proc)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0, 0
    def field_(name: str) -> int:
        match = re.search(rf"{name}:\s+(\d+)", status)
        return int(match.group(1)) if match else 0
    return field_("VmHWM"), field_("VmRSS")


def worker_main() -> int:
    """Serve calls of ``analyze``: one JSON task a line on stdin, one JSON result a line out."""
    out = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)  # whatever the library prints goes to stderr, never into the results
    sys.stdout = sys.stderr
    import crossbrief
    from crossbrief.pipeline import analyze

    settings = crossbrief.load_settings()
    with tempfile.TemporaryDirectory() as warm:  # load the models before any clock runs
        path = Path(warm) / "warm.txt"
        path.write_text("Officials said on Monday that the bridge would reopen. "
                        "“It is safe,” the mayor told Reuters.\n", "utf-8")
        analyze([str(path)], settings)
    out.write(json.dumps({"ready": True}) + "\n")
    for line in sys.stdin:
        task = json.loads(line)
        started = time.perf_counter()
        result: dict[str, Any] = {"id": task["id"]}
        try:
            corpus = analyze(task["inputs"], settings)
        except Exception:
            result["error"] = traceback.format_exc(limit=12)
        else:
            result["articles"] = [a.input for a in corpus.articles]
            result["skipped"] = [[s.input, s.reason, s.code] for s in corpus.skipped]
            # Story-wide stages that failed (their section left empty, with the reason).
            result["failures"] = [f"{f.stage}: [{f.code}] {f.reason}"
                                  for f in getattr(corpus, "failures", [])]
        result["seconds"] = time.perf_counter() - started
        result["peak_kib"], result["rss_kib"] = _memory_kib()
        out.write(json.dumps(result) + "\n")
    return 0


class Worker:
    """A ``fuzz.py --worker`` child process, restarted after a hang or a death."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.proc: subprocess.Popen[str] | None = None
        self.task: dict[str, Any] | None = None
        self.deadline = 0.0
        self.started = 0.0
        self.peak_kib = 0

    def start(self) -> None:
        with self.log.open("a") as err:
            self.proc = subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), "--worker"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True,
                encoding="utf-8", bufsize=1, start_new_session=True, cwd="/")
        assert self.proc.stdout is not None
        ready = self._readline(600)
        if not ready or "ready" not in ready:
            raise RuntimeError(f"fuzz worker did not start; see {self.log}")

    def _readline(self, timeout: float) -> str | None:
        assert self.proc is not None and self.proc.stdout is not None
        with selectors.DefaultSelector() as sel:
            sel.register(self.proc.stdout, selectors.EVENT_READ)
            if not sel.select(timeout):
                return None
        return self.proc.stdout.readline()

    def submit(self, task: dict[str, Any], bound: float) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        self.task = task
        self.started = time.monotonic()
        self.deadline = self.started + bound
        self.proc.stdin.write(json.dumps(task) + "\n")
        self.proc.stdin.flush()

    def stop(self) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                if stream:
                    stream.close()
        self.proc = None

    def close(self) -> None:
        if self.proc is not None and self.proc.stdin is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.stop()
        self.proc = None


def call_bound(call: list[Input]) -> float:
    return ARTICLE_SECONDS * max(1, sum(item.units for item in call))


def run_calls(calls: list[list[Input]], workers: int = 2, log_dir: Path | None = None,
              progress: bool = False, log: Path | None = None) -> Report:
    """Run every call in ``workers`` worker processes and check each result; ``log`` gets
    one JSON line per call."""
    report = Report()
    log_file = log.open("w", encoding="utf-8") if log else None

    def note(call: list[Input], outcome: str, result: dict[str, Any] | None = None) -> None:
        if log_file is not None:
            result = result or {}
            log_file.write(json.dumps({
                "inputs": [i.path for i in call], "origins": [i.origin for i in call],
                "units": sum(i.units for i in call), "outcome": outcome,
                "seconds": result.get("seconds"), "rss_kib": result.get("rss_kib"),
                "articles": len(result.get("articles", [])),
                "skipped": result.get("skipped", []), "error": result.get("error"),
                "failures": result.get("failures")}) + "\n")
            log_file.flush()

    log_dir = log_dir or Path(tempfile.mkdtemp(prefix="fuzz-logs-"))
    pool = [Worker(log_dir / f"worker{n}.log") for n in range(workers)]
    for worker in pool:
        worker.start()
    queue = list(enumerate(calls))[::-1]
    busy: dict[int, Worker] = {}
    started = time.monotonic()
    last_note = started
    try:
        while queue or busy:
            for worker in pool:
                if worker.task is None and queue:
                    number, call = queue.pop()
                    worker.submit({"id": number, "inputs": [i.path for i in call]},
                                  call_bound(call))
                    busy[number] = worker
            with selectors.DefaultSelector() as sel:
                for worker in busy.values():
                    assert worker.proc is not None and worker.proc.stdout is not None
                    sel.register(worker.proc.stdout, selectors.EVENT_READ, worker)
                wait = max(0.0, min(w.deadline for w in busy.values()) - time.monotonic())
                ready = sel.select(wait + 0.05)
            for key, _ in ready:
                worker = key.data
                assert worker.task is not None and worker.proc is not None
                line = worker.proc.stdout.readline() if worker.proc.stdout else ""
                task, worker.task = worker.task, None
                del busy[task["id"]]
                call = calls[task["id"]]
                if not line:
                    code = worker.proc.wait()
                    report.crashes.append(f"worker died ({_signal_name(code)}) on "
                                          f"{_names(call)}")
                    note(call, "died")
                    worker.stop()
                    worker.start()
                    _count(report, call)
                    continue
                result = json.loads(line)
                check(call, result, report)
                note(call, "error" if "error" in result else "ok", result)
                worker.peak_kib = max(worker.peak_kib, result.get("peak_kib", 0))
            now = time.monotonic()
            for number, worker in list(busy.items()):
                if now > worker.deadline:
                    call = calls[number]
                    report.hangs.append(f"over {call_bound(call):.0f} s: {_names(call)}")
                    report.hung_calls.append(call)
                    note(call, "hang")
                    _count(report, call)
                    worker.task = None
                    del busy[number]
                    worker.stop()
                    worker.start()
            if progress and now - last_note > 60:
                last_note = now
                print(f"  {report.calls}/{len(calls)} calls, {report.inputs} inputs, "
                      f"{now - started:.0f} s", file=sys.stderr, flush=True)
    finally:
        for worker in pool:
            worker.close()
        if log_file is not None:
            log_file.close()
    report.seconds = time.monotonic() - started
    report.peak_kib = max([report.peak_kib, *(w.peak_kib for w in pool)])
    return report


def diagnose_hangs(report: Report, workers: int, log_dir: Path) -> None:
    """Run each input of a call that hung alone, and say which of them hang by themselves."""
    for number, call in enumerate(report.hung_calls):
        if len(call) < 2:
            continue
        alone = run_calls([[item] for item in call], workers, log_dir)
        culprits = [h.split(": ", 1)[1] for h in alone.hangs]
        report.hangs[number] += (f"; alone, {', '.join(culprits)} hang" if culprits
                                 else "; no input hangs alone")


def _signal_name(code: int | None) -> str:
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return signal.Signals(-code).name
    return f"exit {code}"


def _names(call: list[Input]) -> str:
    shown = ", ".join(f"{i.path} ({i.origin})" for i in call[:4])
    return shown + (f" and {len(call) - 4} more" if len(call) > 4 else "")


def _count(report: Report, call: list[Input]) -> None:
    report.calls += 1
    report.inputs += len(call)
    for item in call:
        report.distinct.add(item.path)
        report.origins[item.origin] += 1


def check(call: list[Input], result: dict[str, Any], report: Report) -> None:
    """Fold one call's result into ``report``: crash, unaccounted inputs, internal skips."""
    _count(report, call)
    report.peak_kib = max(report.peak_kib, result.get("peak_kib", 0))
    units = sum(i.units for i in call)
    report.slowest.append((result.get("seconds", 0.0) / max(1, units), _names(call)))
    report.slowest = sorted(report.slowest, reverse=True)[:5]
    if "error" in result:
        last = result["error"].strip().splitlines()[-1]
        report.crashes.append(f"{last} on {_names(call)}")
        return
    names = set(result["articles"]) | {s[0] for s in result["skipped"]}
    for item in call:
        if not item.accounted(names):
            report.unaccounted.append(f"{item.path} ({item.origin})")
    report.articles += len(result["articles"])
    for name, reason, code in result["skipped"]:
        report.skipped[code] += 1
        if not code.startswith("E1"):  # E1xx: the input's fault; anything else: ours
            report.bugs.append(f"{name}: [{code}] {reason}")
    report.stage_failures += [f"{f} ({_names(call)})" for f in result.get("failures", [])]


def cli_sample(calls: list[list[Input]], count: int, rng: random.Random,
               report: Report) -> None:
    """Run ``count`` small calls through the installed command, ``-f json``."""
    exe = shutil.which("crossbrief") or str(Path(sys.executable).parent / "crossbrief")
    small = [c for c in calls if sum(i.units for i in c) <= 6]
    for call in rng.sample(small, min(count, len(small))):
        report.cli_calls += 1
        args = [exe, "analyze", *[i.path for i in call], "-f", "json", "-q"]
        try:
            done = subprocess.run(args, capture_output=True, text=True, encoding="utf-8",
                                  errors="replace", timeout=60 + call_bound(call), cwd="/")
        except subprocess.TimeoutExpired:
            report.cli_failures.append(f"timed out: {_names(call)}")
            continue
        problem = None
        if done.returncode not in (0, 1, 2):
            problem = f"exit {done.returncode}"
        elif "Traceback" in done.stderr or "[E3" in done.stderr:
            problem = "a traceback or stage error on stderr"
        elif done.returncode != 1 or done.stdout.strip():
            try:
                brief = json.loads(done.stdout)
            except ValueError:
                problem = f"stdout is not one JSON document (exit {done.returncode})"
            else:
                names = ({a["input"] for a in brief.get("articles", [])}
                         | {s["input"] for s in brief.get("skipped", [])})
                missing = [i.path for i in call if not i.accounted(names)]
                if missing:
                    problem = f"unaccounted in the JSON: {missing[:3]}"
                elif brief.get("failures"):
                    problem = f"a story-wide stage failed: {brief['failures'][0]}"
        if problem:
            tail = done.stderr.strip().splitlines()[-1:] or [""]
            report.cli_failures.append(f"{problem}: {_names(call)} {tail[0][:200]}")


# --- the report ------------------------------------------------------------------------------


def summary(report: Report, seed: int, workers: int) -> list[str]:
    skipped = ", ".join(f"{code} {n}" for code, n in sorted(report.skipped.items()))
    minutes = report.seconds / 60
    rows = [
        "| | |",
        "|---|---:|",
        f"| inputs tried (paths given to `analyze`; {len(report.distinct):,} distinct) | "
        f"{report.inputs:,} |",
        f"| calls of `analyze` ({workers} worker processes, seed {seed}) | {report.calls:,} |",
        f"| articles analysed | {report.articles:,} |",
        f"| inputs and records skipped, by code | {skipped or '0'} |",
        f"| **crashes** (exception out of `analyze`, worker died) | {len(report.crashes)} |",
        f"| **hangs** (over {ARTICLE_SECONDS:g} s per article) | {len(report.hangs)} |",
        f"| **inputs unaccounted for** | {len(report.unaccounted)} |",
        f"| articles skipped because a stage failed (bugs) | {len(report.bugs)} |",
        f"| story-wide stages that failed | {len(report.stage_failures)} |",
        f"| `crossbrief analyze -f json` runs, failures | {report.cli_calls}, "
        f"{len(report.cli_failures)} |",
        f"| peak resident memory of a worker | {report.peak_kib / 1024:,.0f} MiB |",
        f"| wall time | {minutes:.1f} min |",
    ]
    return rows


def listing(title: str, items: list[str], limit: int = 20) -> list[str]:
    if not items:
        return []
    counted = Counter(items)
    lines = [f"{title}:", ""]
    for item, n in counted.most_common(limit):
        lines.append(f"- {item[:300]}" + (f" (×{n})" if n > 1 else ""))
    if len(counted) > limit:
        lines.append(f"- … and {len(counted) - limit} more")
    return [*lines, ""]


# The blocks of BENCHMARKS.md this script writes under SECTION (benchmarks/page_blocks.py):
# the campaign's description and figures, then its listings (crashes, hangs, the slowest
# calls...). Between the two, and after the second, the page holds paragraphs written by hand
# (on generators added since the campaign), which a rerun keeps.
BLOCK, BLOCK_LISTINGS = "fuzz", "fuzz listings"


def section(report: Report, seed: int, workers: int, command: str) -> str:
    """The section as one text (its heading first), as printed."""
    return joined(SECTION, section_parts(report, seed, workers, command))


def section_parts(report: Report, seed: int, workers: int, command: str) -> list[Part]:
    """The section's blocks (:data:`BLOCK`, :data:`BLOCK_LISTINGS`), its heading left out."""
    sys.path.insert(0, str(HERE))
    from run import machine, versions

    origins = ", ".join(f"{name} {n:,}" for name, n in report.origins.most_common())
    lines = [
        f"*This section: {datetime.date.today().isoformat()}, `{command}`, {machine()}; "
        f"{versions()}.*",
        "",
        "Every article of `../shared/eval` (DUC 2004 and 2006, PolNeAR, CheckThat! sentences "
        "alone and grouped, the GVA stream as JSON and JSON Lines with varied field names, "
        "TempEval-3, ECB+), some of the raw XML and TSV files as they are, and mutations of "
        "them (truncation, byte flips, UTF-16/32, Latin-1, cp1252 and mixed encodings, NUL "
        "bytes, zero-width and bidi characters, emoji, unbalanced quotation marks, HTML nested "
        "5,000 deep or holding only scripts, malformed JSON and JSON Lines, wrong field types, "
        "200,000-character lines, a 5 MB article), alone or in random groups of 2 to 12, "
        "through `crossbrief.pipeline.analyze` in worker processes (`benchmarks/fuzz.py`; the "
        "seed is a flag, `tests/test_fuzz.py` runs a sample). The time bound: "
        f"{ARTICLE_SECONDS:g} s per article a call holds, models loaded, counting each record "
        f"and each started {TOKENS_PER_ARTICLE:,} words and marks as an article; past it the "
        "call counts as a hang. An input is accounted for when it is among the analysed "
        "articles (`Article.input`, `file.jsonl:LINE`, `file.json#N`) or in `skipped` with a "
        "reason; skips whose code is not an input problem (E1xx) are bugs.",
        "",
        *summary(report, seed, workers),
        "",
        f"Inputs by origin: {origins}.",
    ]
    listings: list[str] = []
    listings += listing("Crashes", report.crashes)
    listings += listing("Hangs", report.hangs)
    listings += listing("Unaccounted inputs", report.unaccounted)
    listings += listing("Articles skipped because a stage failed", report.bugs)
    listings += listing("Story-wide stages that failed", report.stage_failures)
    listings += listing("Command-line failures", report.cli_failures)
    slow = [f"{seconds:.2f} s per article: {names}" for seconds, names in report.slowest[:3]]
    listings += listing("Slowest calls, per article", slow)
    return [(BLOCK, "\n".join(lines)), (BLOCK_LISTINGS, "\n".join(listings))]


def write_section(parts: list[Part], path: Path = ROOT / "BENCHMARKS.md") -> int:
    """Put the section's blocks into the page at ``path``, every other character as it was
    (page_blocks.write_parts): 0, or 1 where the page lacks the blocks' marks (nothing
    written, the reason on stderr)."""
    return write_parts(path, SECTION, parts, "benchmarks/fuzz.py")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2024, help="random seed (default 2024)")
    parser.add_argument("--n", type=int, default=None, help="a sample of about N inputs")
    parser.add_argument("--quick", action="store_true", help="a sample of 300 inputs")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cli", type=int, default=None,
                        help="calls run through the crossbrief command (default 40, quick 4)")
    parser.add_argument("--no-write", action="store_true", help="leave BENCHMARKS.md alone")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md",
                        help="the page to write (its blocks between marks: page_blocks.py)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="write the generated inputs here and keep them (default: a "
                             "temporary directory, removed at the end)")
    parser.add_argument("--log", type=Path, default=None,
                        help="write one JSON line per call (inputs, seconds, outcome) here")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker_main()
    if not EVAL.exists():
        print(f"the labelled data is not at {EVAL}", file=sys.stderr)
        return 1
    n = 300 if args.quick and args.n is None else args.n
    with contextlib.ExitStack() as stack:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            tmp = str(args.keep.resolve())
        else:
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="crossbrief-fuzz-"))
        made = time.monotonic()
        calls = build_plan(args.seed, Path(tmp), n)
        print(f"{sum(len(c) for c in calls):,} inputs in {len(calls):,} calls, generated in "
              f"{time.monotonic() - made:.0f} s", file=sys.stderr, flush=True)
        report = run_calls(calls, args.workers, Path(tmp), progress=True, log=args.log)
        diagnose_hangs(report, args.workers, Path(tmp))
        cli_sample(calls, args.cli if args.cli is not None else (4 if n else 40),
                   random.Random(args.seed), report)
    command = "python benchmarks/fuzz.py" + (" --quick" if args.quick else "") \
        + (f" --n {args.n}" if args.n else "") + (f" --seed {args.seed}" if args.seed != 2024
                                                   else "")
    parts = section_parts(report, args.seed, args.workers, command)
    print(joined(SECTION, parts))
    written = 0
    if not args.no_write and n is None:
        written = write_section(parts, args.output)
    return 0 if report.ok() and not written else 1


if __name__ == "__main__":
    sys.exit(main())
