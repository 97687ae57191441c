"""The parse cache: each article's spaCy Doc kept across runs, so a brief parses only the
articles it has not parsed before.

Parsing is most of a brief's CPU time, and a story's brief is made again whenever it gains an
article, a person corrects or rejects something, or the settings change: every other article
would be parsed again, to the same Doc. The segment stage takes a :class:`ParseCache` (the
library passes one, :class:`StoredParses`; nothing outside the library does): before parsing
it reads the stored Doc of each article, and parses, batched as without a cache, only those
it finds none for, then stores theirs.

A stored Doc is a spaCy ``DocBin`` of that one Doc with every token attribute a DocBin can
hold (``STORED_ATTRS``: orth, norm, tag, pos, morph, lemma, head, dep, entity IOB, type and
ids, sentence starts, spaces) and its span groups and cats; not its ``user_data`` (the later
stages memoise there, and start from nothing either way) nor ``tensor`` (the tok2vec output,
which no stage reads). It is used only under its ``key``: a hash of the clean text, the
spaCy pipeline (setting ``spacy_model``, its name, version, components and config), the
spaCy and thinc versions, the crossbrief version, the source of the modules that build the
parse (``nlp.py``, ``segment.py``) and the stored attributes. A Doc made by another
crossbrief, spaCy or pipeline, or for another text, is never read: the article is parsed
again and its entry replaced. So is an entry that cannot be decoded, or decodes to a Doc of
another text: a damaged cache changes no brief (tests/test_parse_cache.py).

The cache is an optimisation only: when it cannot be read or written (a locked or damaged
file), the articles are parsed as without it, and the failure is logged.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlite_utils import Database

from .errors import DatabaseError, LibraryBusyError
from .sqlbatch import batches, marks

log = logging.getLogger("crossbrief")

# The layout of a stored entry; a change of it must change every key.
FORMAT = "crossbrief.parse/1"
# spaCy's DocBin attributes (``spacy.tokens.doc.DOCBIN_ALL_ATTRS`` in spaCy 3.8): every
# token annotation a Doc carries, so the later stages read the same Doc either way.
STORED_ATTRS = ("ORTH", "NORM", "TAG", "HEAD", "DEP", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID",
                "ENT_ID", "LEMMA", "MORPH", "POS", "SENT_START")
# The crossbrief modules whose code decides what a text parses to (the pipeline's own
# components, the paragraph marks, the chunking of long texts): their source is in the key,
# so that a changed parse never meets an entry of the old one, even within one version.
PARSE_MODULES = ("nlp.py", "segment.py")


# What a cache that cannot be read or written raises (the library's write lock held past the
# wait is LibraryBusyError; a read-only file or a full disk, DatabaseError): the brief is then
# made by parsing, as without a cache.
CACHE_ERRORS = (sqlite3.Error, OSError, LibraryBusyError, DatabaseError)
# Seconds a save waits for the library's write lock: the cache is derived data (parsed again
# when missing), so a brief made during a long ingest is not held up for store.BUSY_TIMEOUT.
CACHE_WAIT = 1.0


class ParseCache(Protocol):
    """Where parsed Docs are kept between runs, by article id: ``load`` gives the stored
    ``(key, data)`` of those it holds, ``save`` stores ``(article id, key, data)`` rows,
    replacing an article's entry. Either may raise one of CACHE_ERRORS."""

    def load(self, ids: Sequence[str]) -> dict[str, tuple[str, bytes]]: ...

    def save(self, rows: Sequence[tuple[str, str, bytes]]) -> None: ...


def parse_articles(nlp: Any, model: str, articles: Sequence[tuple[str, str]],
                   cache: ParseCache, batch_size: int = 32) -> list[Any]:
    """The parsed Doc of each ``(article id, clean text)``, in order: the cached one where
    ``cache`` holds one for this text and pipeline (``model``: the setting spacy_model that
    loaded ``nlp``), else a new parse (``segment.parse_texts``), which is then cached."""
    from .segment import parse_texts

    pipeline = pipeline_key(nlp, model)
    keys = [parse_key(pipeline, text) for _, text in articles]
    try:
        stored = cache.load(sorted({id for id, _ in articles}))
    except CACHE_ERRORS as exc:
        log.warning("the parse cache cannot be read (%s); parsing every article", exc)
        stored = {}
    docs: list[Any] = [None] * len(articles)
    for n, ((id, text), key) in enumerate(zip(articles, keys, strict=True)):
        entry = stored.get(id)
        if entry is not None and entry[0] == key:
            docs[n] = decode_doc(entry[1], nlp.vocab, text)
            if docs[n] is None:
                log.warning("the cached parse of article %s is damaged; parsing it again", id)
    missing = [n for n, doc in enumerate(docs) if doc is None]
    if not missing:
        return docs
    parsed = parse_texts(nlp, [articles[n][1] for n in missing], batch_size=batch_size)
    rows: dict[str, tuple[str, str, bytes]] = {}
    for n, doc in zip(missing, parsed, strict=True):
        docs[n] = doc
        rows[articles[n][0]] = (articles[n][0], keys[n], encode_doc(doc))
    try:
        cache.save([rows[id] for id in sorted(rows)])
    except CACHE_ERRORS as exc:
        log.warning("the parse cache cannot be written (%s)", exc)
    return docs


def encode_doc(doc: Any) -> bytes:
    """A Doc as stored: a DocBin of it alone (compressed msgpack), without ``user_data``."""
    from spacy.tokens import DocBin

    return bytes(DocBin(attrs=STORED_ATTRS, store_user_data=False, docs=[doc]).to_bytes())


def decode_doc(data: bytes, vocab: Any, text: str) -> Any | None:
    """The Doc stored in ``data``, on ``vocab`` (the pipeline's, as a new parse's is); None
    when ``data`` is not a DocBin of exactly one Doc with these attributes whose text is
    ``text``."""
    from spacy.attrs import intify_attr
    from spacy.tokens import DocBin

    try:
        stored = DocBin().from_bytes(bytes(data))
        if len(stored) != 1 or set(stored.attrs) != {intify_attr(a) for a in STORED_ATTRS}:
            return None
        doc = next(stored.get_docs(vocab))
    except Exception:  # damaged bytes fail in zlib, msgpack, numpy or spaCy, in many ways
        return None
    return doc if doc.text == text else None


def parse_key(pipeline: str, text: str) -> str:
    """The key of the parse of ``text`` by the pipeline of key ``pipeline``."""
    digest = hashlib.sha256(pipeline.encode("ascii"))
    digest.update(b"\x1f")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def pipeline_key(nlp: Any, model: str) -> str:
    """What decides the parse besides the text, read at each call: the crossbrief version,
    the pipeline's language, name, version and components, and the stored attributes (any
    of which may change within a process: a memo of them once outlived a change, so that
    this process stored entries under keys that no other process computes); and what cannot
    change without its components changing (the config, remembered for these very component
    objects, so that one replaced under the same name is seen), or not at all, worked out
    once (``_config_hash``, ``_versions``, ``_code``)."""
    from . import __version__

    meta = nlp.meta
    pipes = tuple(nlp.pipe_names)
    return hashlib.sha256("\x1f".join((
        FORMAT, __version__, model, _versions(), str(meta.get("lang")),
        str(meta.get("name")), str(meta.get("version")), ",".join(pipes),
        _config_hash(nlp, pipes, _Same(proc for _, proc in nlp.pipeline)), _code(),
        ",".join(STORED_ATTRS))).encode()).hexdigest()


class _Same(tuple[Any, ...]):
    """Objects compared and hashed by identity (a component need not be hashable, and two
    equal configs of different objects must not share a memo). The memo holding it keeps the
    objects alive, so no id is reused while it is there."""

    def __hash__(self) -> int:
        return hash(tuple(map(id, self)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and len(self) == len(other) \
            and all(a is b for a, b in zip(self, other, strict=True))


@functools.lru_cache(maxsize=8)
def _config_hash(nlp: Any, pipes: tuple[str, ...], components: _Same) -> str:
    """A hash of the pipeline's config (3 ms to write out, once a story without this memo),
    remembered for this pipeline with these component objects under these names (``pipes``,
    ``components``): its config names them, and a component replaced under the same name,
    with another config, is another object."""
    return hashlib.sha256(nlp.config.to_str().encode()).hexdigest()


@functools.lru_cache(maxsize=1)
def _versions() -> str:
    """The installed spaCy and thinc versions (1.3 ms to read, once a story without this
    memo)."""
    from importlib.metadata import version

    return "\x1f".join((version("spacy"), version("thinc")))


@functools.lru_cache(maxsize=1)
def _code() -> str:
    """A hash of the source of ``PARSE_MODULES`` (of the crossbrief running); "" where the
    package was installed without its sources (the version in the key then stands alone)."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    try:
        for name in PARSE_MODULES:
            digest.update(name.encode())
            digest.update((here / name).read_bytes())
    except OSError:
        return ""
    return digest.hexdigest()


class LibraryDatabase(Protocol):
    """What :class:`StoredParses` uses of a ``store.Library`` (named by what it does, not
    imported: the store imports this module)."""

    @property
    def db(self) -> Database: ...

    def writing(self, wait: float | None = None
                ) -> contextlib.AbstractContextManager[Database]: ...


class StoredParses:
    """The parse cache of a library: its table ``parses``, one row per article (the Doc of
    its clean text by the pipeline that last briefed it; docs/database.md). An article's row
    is replaced when it is parsed under another key, and deleted with the article, so the
    table never holds more rows than the library holds articles."""

    def __init__(self, library: LibraryDatabase) -> None:
        self.library = library

    def load(self, ids: Sequence[str]) -> dict[str, tuple[str, bytes]]:
        found: dict[str, tuple[str, bytes]] = {}
        db = self.library.db
        for part in batches(ids):
            for id, key, data in db.execute(
                    f"select article, key, data from parses where article in ({marks(part)})",
                    part):
                if isinstance(key, str) and isinstance(data, bytes):  # else: damaged, a miss
                    found[id] = (key, data)
        return found

    def save(self, rows: Sequence[tuple[str, str, bytes]]) -> None:
        if not rows:
            return
        created = datetime.now(UTC).replace(microsecond=0).isoformat()
        # Optional (parsed again when missing): a short wait, not the brief's whole one.
        with self.library.writing(wait=CACHE_WAIT) as db:
            for id, key, data in rows:
                # A row belongs to a stored article (the foreign key): none for another.
                db.execute(
                    "insert into parses (article, key, created, data) select ?, ?, ?, ? "
                    "where exists (select 1 from articles where id = ?) on conflict(article) "
                    "do update set key = excluded.key, created = excluded.created, "
                    "data = excluded.data", [id, key, created, data, id])
