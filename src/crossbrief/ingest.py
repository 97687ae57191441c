"""Ingestion: turn files, directories, globs, stdin and URLs into articles.

Supported inputs:

- ``.txt`` / ``.md``: plain text, optionally opened by a ``---`` front-matter block
  (``title:``, ``source:``, ``url:``, ``published:``, ``author:``);
- ``.html`` / ``.htm``: main text and metadata (title, date, site name, url, author) through
  trafilatura;
- ``.json``: one article object or a list of them; ``.jsonl`` / ``.ndjson``: one per line.
  The common field names of scrapers and news APIs are accepted (see ``FIELD_NAMES``);
- ``-``: standard input, and a file whose name gives no kind (``C1``, ``page``,
  ``APW19981016.0240``: :func:`read_by_content`): the kind is sniffed from the content;
- ``http://`` / ``https://``: fetched through an injected ``httpx.Client``.

An input that cannot be read never stops the run: it is recorded on ``Inputs.skipped`` with
its name and reason, and the others are still read. A JSON Lines file with some bad lines
still yields its good lines; each bad one is skipped with its line number. A file is named
(on the article, in ``skipped``, in every output) by its path relative to the current
directory when it lies under it, else by its file name alone (``display_name``).
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import fnmatch
import io
import itertools
import json
import logging
import os
import re
import stat
import sys
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, tzinfo
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlparse

import httpx

from .charsets import UTF16_CODECS, codec_for
from .config import Settings
from .errors import (
    BinaryInputError,
    DuplicateInputError,
    EmptyInputError,
    EncodingError,
    FetchError,
    InputError,
    InputNotFoundError,
    MalformedInputError,
    NoTextError,
    OversizedInputError,
    describe_failure,
)
from .model import Article, Inputs, Skipped, article_id, content_hash
from .segment import LIST_MARK

log = logging.getLogger("crossbrief")

KINDS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}

# Field names accepted in JSON records, most specific first. They cover common scraper and
# news-API outputs: news-please (maintext, date_publish, source_domain), NewsAPI (content,
# publishedAt, source.name), trafilatura's JSON (raw_text, sitename, date), and plain dumps.
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "maintext", "article", "full_text", "raw_text"),
    "title": ("title", "headline"),
    "url": ("url", "link", "source_url", "canonical_url"),
    "source": ("source", "domain", "sitename", "site_name", "source_domain", "outlet",
               "publisher", "hostname"),
    "published": ("published", "date", "date_publish", "published_at", "publishedAt",
                  "publish_date", "pubdate", "datePublished", "date_published"),
    "author": ("author", "authors", "byline"),
}

# Files a folder of articles often carries that are not articles; skipped when a directory
# is expanded (naming one explicitly still reads it).
NOT_ARTICLES = {"README", "LICENSE", "LICENCE", "CHANGELOG", "NOTICE", "CONTRIBUTING",
                "COPYING", "AUTHORS", "MAKEFILE", "DOCKERFILE"}

PREFERRED_ENCODINGS = ("cp1252", "iso8859_15", "latin_1")

_GLOB_CHARS = re.compile(r"[*?\[]")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)
_FRONT_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
# A page's tags, one of which an HTML input opens with (after a byte order mark, white space,
# an XML declaration or a comment, in its first 1,024 characters): the document's own, and
# those a scraper's dump of a page's part or a fragment opens with.
_HTML_SNIFF = re.compile(r"<(?:!doctype\s+html|html|head|body|article|main|section|header"
                         r"|nav|title|meta|link|script|style|h[1-6]|p|div|span|table|ul|ol"
                         r"|figure|img|a)\b", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.I)
# Markdown. No span may hold its own delimiter ("[" in link text, "*" in "*…*"; a link
# target one pair of parentheses): each mark then only looks ahead to the next one, where
# ".+?" looked to the end of the line from every mark, time quadratic in a long line of them.
_MD_TARGET = r"\((?:[^()\n]|\([^()\n]*\))*\)"
_MD_IMAGE = re.compile(r"!\[([^\[\]\n]*)\]" + _MD_TARGET)
_MD_LINK = re.compile(r"\[([^\[\]\n]+)\]" + _MD_TARGET)
_MD_EMPHASIS = re.compile(r"(\*\*?)(?=[^\s*])([^*\n]+?)(?<=[^\s*])\1"
                          r"|(__?)(?=[^\s_])([^_\n]+?)(?<=[^\s_])\3")
_MD_HEADING = re.compile(r"^#{1,6}\s+", re.M)

Reader = Callable[[str, str, Settings, "Meta"], Iterator["Article | Skipped"]]
Meta = dict[str, Any]


def read_inputs(
    inputs: Iterable[str],
    settings: Settings | None = None,
    *,
    client: httpx.Client | None = None,
    stdin: IO[bytes] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Inputs:
    """Read every input: the articles read and, in ``skipped``, the inputs that could not be
    read, with the reason (a :class:`~crossbrief.model.Inputs`).

    ``client`` fetches ``http(s)://`` inputs (one is created, and closed, when needed and
    none is given). ``progress(name, done, total)`` is called after each input is read.
    Articles whose text is identical to an earlier one are skipped as duplicates.
    """
    found = Inputs()
    read = list(iter_articles(inputs, settings, found.skipped, client=client, stdin=stdin,
                              progress=progress))
    copies = Counter(a.id for a in read)  # a lone copy is kept: no order (a hash) computed
    kept, duplicates = deduplicate([(a.id, a.input, copy_order(a) if copies[a.id] > 1 else ())
                                    for a in read])
    found.articles.extend(read[n] for n in kept)
    found.skipped.extend(duplicates)
    return found


def iter_articles(
    inputs: Iterable[str],
    settings: Settings | None,
    skipped: list[Skipped],
    *,
    client: httpx.Client | None = None,
    stdin: IO[bytes] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Iterator[Article]:
    """The articles of ``inputs`` one at a time, as they are read (duplicates included: see
    :func:`deduplicate`), appending what cannot be read to ``skipped``. An input is held in
    memory only while its articles are read. Arguments as for :func:`read_inputs`."""
    from .config import load_settings

    settings = settings or load_settings()
    own_client = None
    holder = Inputs(skipped=skipped)
    try:
        names = expand_inputs(inputs, holder)
        for done, name in enumerate(names, 1):
            if is_url(name) and client is None:
                client = own_client = httpx.Client(follow_redirects=True)
            try:
                for item in read_one(name, settings, client=client, stdin=stdin):
                    if isinstance(item, Skipped):
                        skipped.append(item)
                    else:
                        yield item
            except Exception as exc:  # a bug this input triggers: name it, read the others
                log.debug("reading %s failed", name, exc_info=exc)
                holder.skip(display_name(name), f"reading failed: {describe_failure(exc)}",
                            "E302")
            if progress is not None:
                progress(name, done, len(names))
    finally:
        if own_client is not None:
            own_client.close()


def copy_order(article: Article) -> tuple[Any, ...]:
    """What decides which of two copies of one text is kept (the smaller): what the copy
    says of itself, the earliest published first (:func:`published_order`; an undated one
    last), then its outlet (for an input that names none, its file's name: see
    :func:`source_label`), URL, title, author, encoding and a hash of the text as given (the
    id reads the text with its spaces and unicode form normalised; a hash, so that a
    stream's reader holds no text). Never where it came in: a JSON Lines record's name holds
    its line number, so the copy kept must not depend on it (the same records in another
    order, the same brief)."""
    return (*published_order(article.published), article.source, article.url or "",
            article.title or "", article.author or "", article.encoding or "",
            content_hash(article.text))


def published_order(published: str | None) -> tuple[bool, str, str]:
    """The order of publication dates (as :func:`normalise_published` writes them), the
    earliest first, a missing one last. A date with a time and an offset is placed by its
    instant in UTC (``2024-03-01T10:00:00+05:00`` before ``2024-03-01T06:00:00Z``); a time
    without an offset is taken as written, as if in UTC, and a date alone as its midnight
    in UTC: before every time of that day, after every time of the day before. Dates at one
    moment are ordered by the date as written (``2024-03-01`` before
    ``2024-03-01T00:00:00+00:00``), and a date no datetime reads (one stored before dates
    were normalised) by its text. Instants are compared as text, never a zoned datetime
    with a naive one."""
    if published is None:
        return (True, "", "")
    try:
        moment = datetime.fromisoformat(published)
        if moment.utcoffset() is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        return (False, published, published)
    return (False, moment.isoformat(timespec="microseconds"), published)


def deduplicate(read: Sequence[tuple[str, str, tuple[Any, ...]]]
                ) -> tuple[list[int], list[Skipped]]:
    """Of the ``(article id, input, copy order)`` of the articles read, in the order read
    (the copy order: :func:`copy_order`): the positions of those kept, and a duplicate
    skipped for each other. The same text given twice is one article: the copy kept is the
    first by its copy order, then (copies alike in all of it) the one whose name sorts
    first, whatever order the inputs came in."""
    first: dict[str, tuple[tuple[Any, ...], str]] = {}
    for id, name, order in read:  # the least (copy order, name) of each id: no sort
        if id not in first or (order, name) < first[id]:
            first[id] = (order, name)
    seen = {id: name for id, (_, name) in first.items()}
    kept: list[int] = []
    done: set[str] = set()
    duplicates: list[Skipped] = []
    for position, (id, name, _) in enumerate(read):
        if seen[id] == name and id not in done:
            done.add(id)
            kept.append(position)
        else:
            duplicates.append(Skipped(name, f"duplicate of {seen[id]} (same text)",
                                      DuplicateInputError.code))
    return kept, duplicates


def expand_inputs(inputs: Iterable[str], read: Inputs) -> list[str]:
    """Directories become their supported files and their files without an extension
    (:func:`read_by_content`; sorted, recursive), globs their matches.

    Names that match nothing are recorded as skipped on ``read`` and left out, and so are
    the files of a directory whose type is not supported (``notes.pdf``). Hidden files and
    ``NOT_ARTICLES`` are left out of a directory without a word.
    """
    names: list[str] = []
    for raw in inputs:
        if raw == "-" and "-" in names:  # read once: the second time it is empty
            read.skip("-", "standard input given again (it is read once)",
                      DuplicateInputError.code)
            continue
        if raw == "-" or is_url(raw):
            names.append(raw)
            continue
        path = Path(raw)
        if os.path.isdir(path):  # not Path.is_dir: it raises where a folder has no x right
            found: list[Path] = []
            unsupported: list[Path] = []
            entries, unopened = _folder_entries(path, read)
            for p in entries:
                if (p.stem.upper() in NOT_ARTICLES
                        or any(part.startswith(".") for part in p.relative_to(path).parts)):
                    continue
                if _named_unread(p, read):
                    continue
                (found if p.suffix.lower() in KINDS or read_by_content(p.name)
                 else unsupported).append(p)
            for p in unsupported:
                read.skip(display_name(str(p)), unsupported_reason(p.name),
                          MalformedInputError.code)
            if not found and not unsupported and not unopened:
                read.skip(display_name(raw), "directory holds no supported files "
                               f"({', '.join(sorted(KINDS))})", InputNotFoundError.code)
            names.extend(str(p) for p in found)
        elif _present(raw):
            names.append(raw)
        elif _GLOB_CHARS.search(raw):
            walked, named = _pattern_matches(raw, read)
            hits = [p for p in _one_path_each(walked) if os.path.normpath(p) not in named]
            matches = [p for p in hits if not _named_unread(Path(p), read)]
            if not hits and not named:
                read.skip(display_name(raw), "pattern matches no files",
                          InputNotFoundError.code)
            names.extend(matches)
        else:
            read.skip(display_name(raw), "no such file or directory", InputNotFoundError.code)
    return names


def _present(name: str) -> bool:
    """Whether there may be a file or folder ``name``: there is one, or looking it up
    failed for a reason other than its absence (a folder without the right (x) hides it;
    ``story.txt/``: not a directory; a name too long): reading it says why it cannot be
    read (all were 'no such file or directory'). Not a pattern so failing (``ronly/*.txt``,
    ``story.txt/*``): that one is walked, its folder listed if it may be."""
    try:
        os.stat(name)
    except ValueError:
        return False
    except OSError as exc:
        return exc.errno != errno.ENOENT and not _GLOB_CHARS.search(name)
    return True


def _one_path_each(paths: Iterable[str]) -> list[str]:
    """``paths`` sorted, each file once, folders left out: ``glob``'s ``**`` follows links
    to folders, so a link back up (``sub/loop -> ..``) gave the same file again at each
    depth, ~40 times (a duplicate named for each, the article named by a 40-level path). A
    file is known by its device and inode and the path its links lead to; of the paths to
    one, the kept one is not a link where one is not, then the shortest, then the first in
    name order. Hard links (one inode, two real paths) are both kept, to be named as
    duplicates ([E109]) as they are among a folder's files: keyed by inode alone, the second
    vanished without a word.

    A path to nothing (a broken link) is kept, to be named as not found, once: known by the
    link's own device and inode and its real place (:func:`_link_key`; keyed by the path it
    pointed to, two broken links were one, and the second vanished; by its path, one under
    a link loop was named at each depth, ~40 times; by its inode alone, two hard links to
    one broken link were one). A link that leads somewhere by a shorter path is left out
    where the longer path cannot be followed: the link of a loop, at the depth where the
    path has too many links (it was named as a broken link). A path that cannot be looked
    up at all (a file in a folder without the right (x) to step through it) is kept, to be
    named as it cannot be read, once: known by its folders' real place (round a loop it
    was kept at each depth).

    Each path is looked up once (``lstat``; a link also followed), and the real place of
    each folder found once (:class:`_RealFolders`): ``os.path.realpath`` of every path
    looked up each of its folders again, a tree D folders deep cost D^2 look-ups."""
    kept: dict[tuple[int, int, str], str] = {}
    followed: set[tuple[int, int, str]] = set()  # links that lead somewhere
    unresolved: dict[str, str] = {}  # by its real place: round a loop it is one
    places = _RealFolders()
    links: dict[str, os.stat_result | None] = {}
    for path in paths:
        try:
            links[path] = os.lstat(path)
        except (OSError, ValueError):
            links[path] = None

    def preference(path: str) -> tuple[bool, int, str]:
        link = links[path]
        return link is not None and stat.S_ISLNK(link.st_mode), _parts(path), path

    for path in sorted(links, key=preference):
        link = links[path]
        if link is None:
            unresolved.setdefault(places.real_place(path), path)
            continue
        if stat.S_ISLNK(link.st_mode):
            try:
                found = os.stat(path)
                real = os.path.realpath(path)
            except (OSError, ValueError):
                key = _link_key(path, link, places)
                if key not in followed:
                    kept.setdefault(key, path)
                continue
            followed.add(_link_key(path, link, places))
        else:  # not a link: itself, where its folders lead
            found, real = link, places.real_place(path)
        if not stat.S_ISDIR(found.st_mode):
            kept.setdefault((found.st_dev, found.st_ino, real), path)
    return sorted({*kept.values(), *unresolved.values()})


def _link_key(path: str, link: os.stat_result,
              places: _RealFolders) -> tuple[int, int, str]:
    """A link known by its own device and inode and where it lies, the links above it
    followed (the same link reached round a loop at every depth is one)."""
    return link.st_dev, link.st_ino, places.real_place(path)


class _RealFolders:
    """Where paths lie, the links of their folders followed, each folder's real place
    found once: ``os.path.realpath`` of a folder, made from its parent's where its last
    part is a plain name and no link (one ``lstat``)."""

    def __init__(self) -> None:
        self._real: dict[str, str] = {}

    def real_place(self, path: str) -> str:
        """``path`` with the links of its folders followed (not its last part's): what
        ``os.path.join(os.path.realpath(folder), name)`` gives."""
        folder, name = os.path.split(path)
        return os.path.join(self.real_folder(folder or os.curdir), name)

    def real_folder(self, folder: str) -> str:
        """``os.path.realpath(folder)``, from the nearest folder above already found."""
        pending: list[tuple[str, str]] = []  # (folder, its last part), innermost first
        while folder not in self._real:
            parent, name = os.path.split(folder)
            if not parent or name in ("", os.curdir, os.pardir) or _is_link(folder):
                self._real[folder] = os.path.realpath(folder)
                break
            pending.append((folder, name))
            folder = parent
        real = self._real[folder]
        for inner, name in reversed(pending):
            real = self._real[inner] = os.path.join(real, name)
        return real


def _is_link(path: str) -> bool:
    """Whether ``path`` is a link, or cannot be looked up (left to ``os.path.realpath``)."""
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except (OSError, ValueError):
        return True


def _parts(path: str) -> int:
    """How many parts ``path`` has, as ``len(Path(path).parts)`` counts them."""
    return len(Path(path).parts)


def _folder_entries(folder: Path, read: Inputs) -> tuple[list[Path], bool]:
    """The files under ``folder`` (what is not a folder, as its folder's listing says),
    sorted, hidden folders left unopened, and whether a folder could not be opened: each is
    skipped on ``read`` with the reason (``Path.rglob`` left it out without a word). Links
    to folders are not followed, as ``rglob`` did not. A folder is known by the listing,
    not by ``os.path.isdir``: that is False for one that cannot be looked up (inside a
    folder without the right (x) to step through it), which was also named an unsupported
    file ([E105], type '(none)') beside its 'cannot read the folder' ([E108])."""
    entries: list[Path] = []
    failures: list[OSError] = []

    def failed(exc: OSError) -> None:
        failures.append(exc)
        _skip_unopened(exc, folder, read)

    for root, dirs, files in _walk(str(folder), failed):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))  # sorted: failures in order
        entries.extend(Path(root) / name for name in files)
    return sorted(entries), bool(failures)


def _walk(top: str, onerror: Callable[[OSError], None]) -> Iterator[tuple[str, list[str],
                                                                          list[str]]]:
    """``os.walk(top, onerror=onerror)``, top down, links to folders not followed: the same
    folders in the same order (each ``dirs`` may be changed, as there, before its folders
    are walked), with a stack of the folders still to walk, not a generator a level
    (Python 3.11's), which a tree over 990 or so folders deep took past the interpreter's
    recursion limit (a traceback)."""
    stack = [top]
    while stack:
        folder = stack.pop()
        dirs: list[str] = []
        files: list[str] = []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        is_folder = entry.is_dir()
                    except OSError:
                        is_folder = False
                    (dirs if is_folder else files).append(entry.name)
        except OSError as exc:  # opening the folder, or reading it: left, as os.walk does
            onerror(exc)
            continue
        yield folder, dirs, files
        below = (os.path.join(folder, name) for name in reversed(dirs))
        stack.extend(path for path in below if not os.path.islink(path))


def _pattern_matches(pattern: str, read: Inputs) -> tuple[list[str], set[str]]:
    """The paths the glob ``pattern`` matches, as ``glob.glob(pattern, recursive=True)``
    finds them, in one walk that also skips on ``read``, with the reason, each folder it
    would list but cannot (``glob`` passes over it without a word); and the paths so named
    (none is also a file that cannot be read: a folder inside one without the right to
    step through it, ``ronly/sub``, is a path that cannot be looked up). Walked once: a
    walk to check the folders, then ``glob``'s own, listed each folder twice as often
    (:class:`_PatternWalker`)."""
    walk = _PatternWalker()
    found = list(walk.matches(pattern))
    for folder, exc in walk.failures.items():
        _skip_unopened(exc, Path(folder), read)
    return found, set(walk.failures)  # each kept by the name it is skipped by


class _PatternWalker:
    """The steps of ``glob.glob(pattern, recursive=True)`` (Python 3.11's), the same paths
    found (``**`` follows links to folders, round a loop until the path is too long to
    open, as ``glob`` does: :func:`_one_path_each` takes each file once), keeping in
    ``failures`` the folders it could not list. A folder's names are taken in name order,
    and ``**`` does not try to list a file, nor yields a folder that is not there (3.13's
    ``glob`` gives nothing for ``missing/**``; 3.11's gave ``missing/``).

    Named in ``failures``, once however often visited (``**/**``): a folder that a part with
    wildcards lists, or ``**`` walks, and cannot; a folder that a plain part must step
    through (mode 0311 allows that, ``/home/*/public_html/*.html``) and cannot. Not named:
    a folder that ``**`` reached through a link, nor one found below it by the pattern's
    later parts (each path of the walk carries whether it went through such a link: a link
    loop was named again at each depth, ~40 times)."""

    def __init__(self) -> None:
        self.failures: dict[str, OSError] = {}

    def matches(self, pattern: str) -> Iterator[str]:
        found = self._iglob(pattern, dironly=False, last=True)
        if pattern[:2] == "**":  # glob leaves out the empty match of a leading "**"
            first = next(found, None)
            if first and first[0]:
                yield first[0]
        yield from (path for path, _ in found)

    def _iglob(self, pathname: str, dironly: bool, *,
               last: bool = False) -> Iterator[tuple[str, bool]]:
        """The paths, each with whether ``**`` reached it through a link; ``last``: the
        pattern's last part ends ``pathname`` (a trailing ``/`` aside), looked up, not
        stepped through.

        The folders that a ``**`` part gives are all found before the next part is tried
        in any (``glob`` goes on from each as it is found): a folder that cannot be listed
        is named as such, not by the path a later part tried to step through it."""
        dirname, basename = os.path.split(pathname)
        if not _GLOB_CHARS.search(pathname):
            if os.path.lexists(pathname) if basename else os.path.isdir(dirname):
                yield pathname, False
            return
        if not dirname:
            yield from (self._glob2 if basename == "**" else self._glob1)("", basename,
                                                                           dironly, True)
            return
        dirs: Iterable[tuple[str, bool]] = (
            [(dirname, False)] if dirname == pathname or not _GLOB_CHARS.search(dirname)
            else self._iglob(dirname, dironly=True, last=last and not basename))
        if os.path.basename(dirname) == "**":
            dirs = list(dirs)
        plain = not _GLOB_CHARS.search(basename)
        within = self._glob0 if plain else self._glob2 if basename == "**" else self._glob1
        for folder, via_link in dirs:
            checked = not via_link and not (plain and last)
            for name, deeper_link in within(folder, basename, dironly, checked):
                yield os.path.join(folder, name), via_link or deeper_link

    def _glob0(self, folder: str, basename: str, dironly: bool,
               checked: bool) -> list[tuple[str, bool]]:
        """A plain part: looked up, never listed."""
        if not basename:
            return [(basename, False)] if os.path.isdir(folder) else []
        # A folder to step through: one without the right (x) is named, by the path looked
        # up (as the error names it), unless the folder is named already, as one that
        # cannot be listed ('**/sub/**' named d/locked, then d/locked/sub, which nobody
        # could know is there).
        if dironly:
            path = Path(folder or os.curdir)
            try:
                os.stat(path / basename)
            except PermissionError as exc:
                if checked and os.path.normpath(path) not in self.failures:
                    self._failed(exc, path / basename)
            except (OSError, ValueError):
                pass
        return [(basename, False)] if os.path.lexists(os.path.join(folder, basename)) else []

    def _glob1(self, folder: str, pattern: str, dironly: bool,
               checked: bool) -> list[tuple[str, bool]]:
        """A part with wildcards (not ``**``): the matching names of the folder."""
        names = [name for name, _, _ in self._listed(folder, dironly, checked=checked)]
        if not pattern.startswith("."):
            names = [name for name in names if not name.startswith(".")]
        return [(name, False) for name in fnmatch.filter(names, pattern)]

    def _glob2(self, folder: str, pattern: str, dironly: bool,
               checked: bool) -> Iterator[tuple[str, bool]]:
        """``**``: the folder itself (``""``), then every name under it. A folder that
        cannot be looked up (inside one without the right (x) to step through it) is named
        when ``checked``, as one that cannot be listed (``os.path.isdir`` is False for it:
        the pattern was said to match no files)."""
        path = Path(folder or os.curdir)
        try:
            is_folder = stat.S_ISDIR(os.stat(path).st_mode)
        except OSError as exc:
            self._failed(exc, path, checked=checked)
            is_folder = False
        except ValueError:
            is_folder = False
        if is_folder:
            names = self._listed(folder, dironly, checked=checked)
            yield "", False
            yield from self._below(folder, names, dironly, via_link=not checked)

    def _below(self, folder: str, names: list[tuple[str, bool, bool]], dironly: bool, *,
               via_link: bool) -> Iterator[tuple[str, bool]]:
        """Every name under ``folder`` (``names``, its own) that is not hidden, at every
        depth (folders only with ``dironly``), each with whether it is a link or reached
        through one (``via_link``: ``folder`` was); a folder reached through a link is not
        checked. A folder is listed before it is given to the pattern's next part, so a
        folder that cannot be listed is named as such, not by the path the next part tried
        to step through it.

        A stack of the folders being walked, not a generator a level: each name passed up
        through one generator a level above it cost a tree D folders deep D^2 steps, and
        past 990 or so levels, the interpreter's recursion limit (a traceback)."""
        # (the folder's path below ``folder``, its names not yet walked, whether ``**``
        # reached it through a link)
        stack = [("", iter(names), via_link)]
        while stack:
            below, rest, above_link = stack[-1]
            for name, link, folder_too in rest:
                if name.startswith("."):
                    continue
                relative, through = os.path.join(below, name), above_link or link
                if not folder_too:
                    yield relative, through
                    continue
                deeper = self._listed(os.path.join(folder, relative), dironly,
                                      checked=not through)
                yield relative, through
                stack.append((relative, iter(deeper), through))
                break
            else:
                stack.pop()

    def _listed(self, folder: str, dironly: bool, *,
                checked: bool) -> list[tuple[str, bool, bool]]:
        """The names in ``folder`` (only its folders, links to folders included, with
        ``dironly``), in name order, each with whether it is a link and a folder; none
        when it cannot be listed (a folder there but without the right is kept in
        ``failures`` when ``checked``; no folder there, or a path round a link loop, is
        not)."""
        path = Path(folder or os.curdir)
        found: list[tuple[str, bool, bool]] = []
        try:
            with os.scandir(path) as entries:
                for entry in entries:
                    try:  # a link round a loop (ELOOP) is no folder, yet a name
                        is_folder, link = entry.is_dir(), entry.is_symlink()
                    except OSError:
                        is_folder, link = False, True
                    if is_folder or not dironly:
                        found.append((entry.name, link, is_folder))
        except OSError as exc:
            self._failed(exc, path, checked=checked)
            return []
        return sorted(found)

    def _failed(self, exc: OSError, path: Path, *, checked: bool | None = None) -> None:
        """Keep the failure ``exc`` to list or step through ``path``, by the name it reports
        (that is how it is named): keyed by the folder looked into, one folder was named
        twice, once by each (``dir/**/x/*.txt`` with ``dir/nox`` not to be entered). With
        ``checked`` given, only a folder there that may be checked (not one reached through
        a link) and not a path with no folder there (:data:`_NO_FOLDER_THERE`)."""
        if checked is not None and (not checked or exc.errno in _NO_FOLDER_THERE):
            return
        name = os.fsdecode(exc.filename) if exc.filename is not None else str(path)
        self.failures.setdefault(os.path.normpath(name), exc)


# Why a folder cannot be listed when there is none to list (not "cannot read the folder"):
# not there, not a folder, round a link loop, its path too long. Decided by the error, not
# by os.path.isdir, which is False too for a folder inside one without the right (x) to
# step through it: that one is named.
_NO_FOLDER_THERE = frozenset({errno.ENOENT, errno.ENOTDIR, errno.ELOOP, errno.ENAMETOOLONG})


def _skip_unopened(exc: OSError, folder: Path, read: Inputs) -> None:
    read.skip(display_name(str(exc.filename or folder)),
              f"cannot read the folder: {exc.strerror or exc}", InputNotFoundError.code)


def _named_unread(path: Path, read: Inputs) -> bool:
    """Whether the file ``path`` of a folder or a pattern cannot be read, and if so, skip it
    on ``read`` with the reason: a link to nothing, or no regular file (a named pipe, which
    would wait for a writer for ever, a socket, a device)."""
    if not os.path.exists(path):  # os.path's: pathlib's raise where a folder has no x right
        if os.path.islink(path):
            read.skip(display_name(str(path)), "broken link: it points to nothing",
                      InputNotFoundError.code)
            return True
        return False  # gone since it was listed: reading it will say so
    if not os.path.isfile(path):
        read.skip(display_name(str(path)), "not a regular file (a named pipe, a socket or "
                  "a device)", MalformedInputError.code)
        return True
    return False


def read_by_content(name: str) -> bool:
    """Whether a file of this name is read as its content says (:func:`sniff`), as standard
    input is: its name has no extension, which would name its type. A suffix without a
    letter (a wire story's number, ``APW19981016.0240``; a date, ``story.2024-03-01``) or
    with a space (``Mr. Smith goes``) is part of the name, not an extension. A file with
    any other suffix that is none of ``KINDS`` (``.pdf``, ``.csv``, ``.docx``) is no
    article and is not read from a folder (:func:`unsupported_reason`)."""
    suffix = Path(name).suffix
    return not any(ch.isalpha() for ch in suffix) or any(ch.isspace() for ch in suffix)


def unsupported_reason(name: str) -> str:
    """Why a file of this name is not read: its suffix is none of ``KINDS``."""
    return (f"unsupported file type {valid_unicode(Path(name).suffix) or '(none)'!r} "
            f"(supported: {', '.join(sorted(KINDS))})")


def display_name(name: str) -> str:
    """How an input is named in reports, on stderr and in the library: a file under the
    current directory by its path relative to it, any other file by its name alone, so no
    output gives away where the user keeps files. URLs and ``-`` are left as they are.

    The name is then :func:`escaped_name`: valid UTF-8 on one line, and two names that differ
    stay two (the outlet of a file without one is its name); the file is still opened by its
    own name."""
    return escaped_name(_relative_name(name))


def escaped_name(name: str) -> str:
    """``name`` as valid UTF-8 on one line, and as distinct as the name itself. A name's
    bytes that are not UTF-8 (a Latin-1 file name ``caf\\xe9.txt`` comes from the system as
    lone surrogates, which no UTF-8 output or library can hold) are each written ``\\xe9``;
    a C0 control character as Python writes it (``\\n``, ``\\t``, ``\\x1b``): a line break
    would split the one line on stderr that names a skipped input, an escape sequence
    would reach the terminal; a C1 one (U+0085) as ``\\u0085``, not to be the byte 0x85,
    and so a line or paragraph separator (U+2028, U+2029) and a bidirectional control
    (U+202A-U+202E, U+2066-U+2069), which break or reorder a terminal's line.
    Where a backslash is no path separator (not on Windows), a backslash of the name itself
    is written ``\\\\``, so that ``r\\xe9.txt`` typed so is not the byte 0xE9."""
    if os.sep == "/" and os.altsep is None:
        name = name.replace("\\", "\\\\")
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that stands for no byte ("\\ud800")
        raw = name.encode("utf-8", "backslashreplace")
    return _CONTROL.sub(_control_escape, raw.decode("utf-8", "backslashreplace"))


def _control_escape(match: re.Match[str]) -> str:
    char = match.group()
    if ord(char) >= 0x80:  # C1 and above: "\\x85" is what an invalid byte 0x85 is written
        return f"\\u{ord(char):04x}"
    return _CONTROL_ESCAPES.get(char) or f"\\x{ord(char):02x}"


# C0 and C1 control characters and DEL, the line and paragraph separators (U+2028, U+2029:
# a line break to some terminals and editors) and the bidirectional embeddings, overrides
# and isolates (U+202A-U+202E, U+2066-U+2069: they reorder the rest of a terminal's line):
# none belongs in a name shown on a line.
_LINE_CONTROLS = "\x00-\x1f\x7f-\x9f\u2028\u2029"
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[{_LINE_CONTROLS}{_BIDI_CONTROLS}]")
_CONTROL_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _relative_name(name: str) -> str:
    if name == "-" or is_url(name):
        return name
    path = Path(name)
    try:
        here = Path.cwd()
    except OSError:  # the current directory was removed
        return path.name or name
    # Lexically first (keeps the user's symlinked folders), then with links resolved.
    for inner, outer in ((Path(os.path.abspath(path)), here), (path.resolve(), here.resolve())):
        if inner.is_relative_to(outer):
            return inner.relative_to(outer).as_posix()
    return path.name or name


def is_url(name: str) -> bool:
    return name.startswith(("http://", "https://"))


def read_one(
    name: str,
    settings: Settings,
    *,
    client: httpx.Client | None = None,
    stdin: IO[bytes] | None = None,
) -> Iterator[Article | Skipped]:
    """Articles from one input, or one ``Skipped`` (per bad record for JSON Lines); each is
    named by :func:`display_name` of the input."""
    label = display_name(name)
    try:
        if name == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _read_stdin(stream, name, settings)
        elif is_url(name):
            assert client is not None
            data, kind, meta = fetch(name, client, settings)
            yield from read_bytes(data, label, settings, kind=kind, meta=meta)
        else:
            kind = KINDS.get(Path(name).suffix.lower())
            if kind == "jsonl":
                yield from _read_jsonl_file(name, label, settings)
                return
            if kind is None:
                yield from _read_sniffed_file(name, label, settings)
                return
            size = os.path.getsize(name)
            if kind != "jsonl" and size > _file_limit(settings, kind):
                raise OversizedInputError(
                    f"{_mb(size)} is over the limit of {_mb(_file_limit(settings, kind))} "
                    "(setting max_text_bytes)"
                )
            with open(name, "rb") as handle:  # no more than measured (a FIFO, /dev/zero)
                data = _read_at_most(handle, _file_limit(settings, kind) + 1, size)
            if len(data) > _file_limit(settings, kind):
                raise OversizedInputError(f"input is over {_mb(_file_limit(settings, kind))} "
                                          "(setting max_text_bytes)")
            yield from read_bytes(data, label, settings, kind=kind)
    except InputError as exc:
        yield Skipped(exc.input or label, exc.detail, exc.code)
    except OSError as exc:
        yield Skipped(label, f"cannot read: {exc.strerror or exc}", InputNotFoundError.code)


# --- JSON Lines, streamed ----------------------------------------------------------------
# A stream's JSON Lines file (or stdin) may be larger than memory: its lines are read and
# decoded one at a time, so only one record is held. Lines end at "\n", "\r\n" or "\r" (and
# the ASCII separators str.splitlines knows, none of which JSON allows raw in a string); the
# Unicode separators U+0085, U+2028 and U+2029, which JSON does allow raw inside a string,
# split nothing, so a record holding one is read whole and the lines after it keep their
# numbers as an editor shows them.
_LINE_BREAK = r"\r\n?|[\n\x0b\x0c\x1c\x1d\x1e]"
_LINE_BREAKS = re.compile(_LINE_BREAK.encode("ascii"))
_TEXT_LINE_BREAKS = re.compile(_LINE_BREAK)
_CHUNK = 1 << 20
# The byte order marks of UTF-32 and UTF-16, with their codecs: UTF-32's first, as its
# little-endian mark (FF FE 00 00) starts with UTF-16's (FF FE).
_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
              (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_UTF16_32_BOMS = tuple(bom for bom, _ in _WIDE_BOMS)


def _line_limit(settings: Settings) -> int:
    """The longest JSON Lines line read: a record may carry a whole HTML page and its
    metadata. A longer line is skipped (E104) without being held."""
    return 2 * _file_limit(settings, "html")


def _read_jsonl_file(path: str, label: str, settings: Settings) -> Iterator[Article | Skipped]:
    """The records of a JSON Lines file, streamed when it is UTF-8 (checked in a first pass,
    which holds one chunk at a time). A file in another encoding up to the size of one input
    (``max_text_bytes`` times ``html_markup_factor``) is read whole, as every other kind of
    file is, so that its encoding is guessed from all of it; a larger one is streamed too,
    in the encoding guessed from its first ``_GUESS_BYTES`` (:func:`_foreign_jsonl`)."""
    with open(path, "rb") as handle:
        if _streamable_utf8(handle):
            handle.seek(0)
            yield from _jsonl_records(handle, label, settings)
            return
        size = os.fstat(handle.fileno()).st_size
        handle.seek(0)
        if size <= _file_limit(settings, None):
            yield from read_bytes(handle.read(), label, settings, kind="jsonl")
            return
        yield from _foreign_jsonl(handle, label, settings)


# How much of a large JSON Lines file in another encoding than UTF-8 its encoding is guessed
# from: enough lines for charset-normalizer to tell the usual code pages apart, little
# enough to hold (it reads the sample several times over).
_GUESS_BYTES = 256 << 10


def _foreign_jsonl(handle: IO[bytes], name: str, settings: Settings
                   ) -> Iterator[Article | Skipped]:
    """A JSON Lines file too large to be read whole, in another encoding than UTF-8: its
    encoding is guessed once (:func:`decode`) from its first lines (up to ``_GUESS_BYTES``,
    cut at a line break), and its records are read a line at a time in it. UTF-16 and
    UTF-32, whose line breaks are not single bytes, are decoded as a stream and the lines
    split after (UTF-16 without a mark too, its order where its NUL bytes fall). Every
    article names the encoding, as when the file is read whole."""
    head = handle.read(_GUESS_BYTES)
    handle.seek(0)
    wide = _wide_codec(head)
    if wide is not None:
        stream = io.BufferedReader(_Transcoded(handle, wide), _CHUNK)
        yield from _jsonl_records(stream, name, settings, encoding=wide, transcoded=True)
    else:
        cut = max(head.rfind(b"\n"), head.rfind(b"\r"))
        _, encoding = decode(head[:cut] if cut > 0 else head)
        yield from _jsonl_records(handle, name, settings, encoding=encoding)


def _wide_codec(head: bytes, whole: bool = False) -> str | None:
    """The codec of UTF-32 or UTF-16 when ``head`` opens with its byte order mark, else of
    UTF-16 in the byte order its NUL bytes say (:func:`_utf16_order`; ``whole``: ``head``
    is all the input, not a stream's head), else None."""
    marked = next((codec for bom, codec in _WIDE_BOMS if head.startswith(bom)), None)
    if marked is None and b"\x00" in head[:_NUL_BYTES]:
        return _utf16_order(head, whole=whole)
    return marked


# How many of the first bytes are looked at for NUL bytes, and for where they fall.
_NUL_BYTES = 8192


def _utf16_order(data: bytes, spaced: bool = False, whole: bool = False) -> str | None:
    """The codec of UTF-16 in the byte order where the NUL bytes of ``data`` (without a
    byte order mark) fall, when they fall as they do in UTF-16 text: at the high byte of
    each character below U+0100 (a space, a line break, a digit, ASCII and Latin-1
    letters), so in the odd positions of little-endian, the even ones of big-endian. Taken
    when, in the first ``_NUL_BYTES``, one parity holds 8 NULs or more, at one code unit
    in 8 or more (Russian or Greek text holds one at each space and punctuation mark, some
    15 to 20 in 100) and at least four times as many as the other (text in CJK, whose
    U+xx00 characters, as "一", hold a NUL in the low byte: some 2 in 100 characters of
    Chinese, more only in a short title, which 8 NULs leave out), no code unit is two NULs
    (no text holds U+0000 but the run ending it, terminators, left out of the count when
    ``data`` is all there is: UTF-32, a binary file, as a program's header
    ``MZ\\x90\\x00\\x03\\x00\\x00\\x00``), at most one in 50 of the characters below U+0100
    is a control character other than white space (a table of small numbers in binary,
    ``\\x01\\x00\\x02\\x00``, holds NULs at one parity too), and one in 20 of them at least
    is a space, tab or line break or a quote, colon, comma or semicolon, ``":,;``, which
    separate the fields of JSON and CSV (Latin text holds a space in some 6 characters;
    compact JSON, as ``JSON.stringify`` writes it, no space after ``:`` or ``,``, of Chinese
    or Japanese, holds few characters below U+0100 but its keys, quotes and URLs: it was
    refused, E102), or, when ``spaced``, a space, tab or line break alone (the evidence
    that outweighs a declared order, :func:`_decoded`). Not brackets or braces: CJK text
    laid out with U+3000, the ideographic space, read in the wrong order pairs its NULs
    with 0x30 ("0") and its U+7D00, U+7B00, U+5B00 ("紀", "笀", "嬀") with "}", "{",
    "[", which the rule counted: a table of "紀元前" rows was read backwards, mojibake,
    even where a charset declared its order); None otherwise (too few NULs to tell, or
    binary). Before, UTF-16 without a mark
    was refused as binary, and read little-endian when a charset declared it without its
    order (big-endian text became CJK mojibake). The pairs of NULs ending ``data`` are left
    out when it is all the input (``whole``, or no longer than ``_NUL_BYTES``: a stream's
    head is longer), however long their run."""
    end = len(data)
    if (whole or end <= _NUL_BYTES) and end % 2 == 0 and data.endswith(b"\x00\x00"):
        # the U+0000 terminators ending the text, the pairs of NULs ending it, cut once (one
        # was dropped: two refused it, E102; _wide_text drops them); padding past
        # _NUL_BYTES too (a short text zero-padded to 16 KiB was refused, E102: review of
        # f339b92)
        end -= (end - len(data.rstrip(b"\x00"))) // 2 * 2
    units = min(end, _NUL_BYTES) // 2
    sample = data[:2 * units]
    even, odd = sample[0::2], sample[1::2]
    high, low = even.count(0), odd.count(0)  # NULs where a big- or a little-endian puts them
    most, least = max(high, low), min(high, low)
    if most < 8 or most * 8 < units or most < 4 * least:
        return None
    codes, zeros = (odd, even) if high > low else (even, odd)  # each unit's low, high byte
    latin = bytes(code for code, zero in zip(codes, zeros, strict=True) if zero == 0)
    if 0 in latin or len(_LATIN_CONTROLS.findall(latin)) * 50 > len(latin):
        return None
    separators = _LATIN_SPACES if spaced else _LATIN_SEPARATORS
    # With spaced=True, runs of ASCII letters paired with NULs (JSON keys, words) are
    # evidence of the NULs' order too: compact JSON holds no white space, and its keys read
    # in the other order are CJK ("{"title":…}" big-endian read as UTF-16-LE was mojibake
    # when declared utf-16le; review of 2aa6fea). CJK read backwards pairs NULs with
    # punctuation and digits, seldom with three letters in a row.
    if len(separators.findall(latin)) * 20 < len(latin) and not (
            spaced and len(_LATIN_WORDS.findall(latin)) * 40 >= len(latin)):
        return None
    return "utf-16-be" if high > low else "utf-16-le"


# The control characters below U+0100 (C0 but white space, DEL and C1), as bytes.
_LATIN_CONTROLS = re.compile(rb"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# The white space that separates words and lines of text, and the punctuation that
# separates the fields of JSON and CSV, as bytes: one in 20 of the characters below U+0100
# at least (Latin text holds one space in some 6 characters, Russian and Greek text more,
# those being mostly spaces and punctuation; compact JSON of CJK text, a quote, colon or
# comma in some 3 of its ASCII characters). Not "{}[": the low bytes of common CJK
# characters, U+7D00 "紀", U+7B00, U+5B00, read in the other byte order (_utf16_order).
_LATIN_SEPARATORS = re.compile(rb"[ \t\n\r\":,;]")
_LATIN_SPACES = re.compile(rb"[ \t\n\r]")
_LATIN_WORDS = re.compile(rb"[A-Za-z]{3,}")


def _streamed_records(head: bytes, rest: IO[bytes], name: str, settings: Settings,
                      wide: str | None, meta: Meta | None = None
                      ) -> Iterator[Article | Skipped]:
    """The records of a JSON Lines stream of which ``head`` was read ahead and ``rest`` is
    the rest (standard input, a FIFO, a file that grew): in ``wide``, UTF-16 or UTF-32,
    when the caller found it (:func:`_wide_codec` of ``head``, looked for once per input;
    decoded as a stream, as :func:`_foreign_jsonl` reads a file), else each line as
    :func:`_jsonl_records` reads it; ``meta``, what a fetch says of the input (its URL),
    goes with every record."""
    stream = io.BufferedReader(_Prefixed(head, rest), _CHUNK)
    if wide is None:
        return _jsonl_records(stream, name, settings, meta=meta)
    return _jsonl_records(io.BufferedReader(_Transcoded(stream, wide), _CHUNK), name,
                          settings, encoding=wide, transcoded=True, meta=meta)


def _unreadable(exc: UnicodeError) -> tuple[str, int]:
    """A codec error handler: a code unit that is no character (a lone surrogate: a byte
    lost or changed) or a last one cut short becomes ``_BAD_UNIT``, a lone surrogate no
    decoded text holds, so that each is counted where it falls, in a whole text
    (:func:`_wide_text`) or in a line of a stream (:class:`_Transcoded`), and the text or
    line read or skipped by one rule (:func:`_bad_units_replaced`)."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return _BAD_UNIT, exc.end


_BAD_UNIT = "\udcff"
codecs.register_error("crossbrief.unreadable", _unreadable)


def _bad_units_replaced(text: str) -> tuple[str, int] | None:
    """``text`` (a whole UTF-16 or UTF-32 text, or one line of a feed in it) with each bad
    code unit (``_BAD_UNIT``) U+FFFD, and how many there were; None when they are more than
    :func:`_check_not_binary` allows control characters (8, or one in 50 characters): bytes
    that are no text (random bytes hold one lone surrogate in some 32 code units). One rule
    for a text and a line: a line holding one was skipped (E103) where a text holding one
    was read, U+FFFD."""
    bad = text.count(_BAD_UNIT)
    if _too_many_for_text(bad, len(text)):
        return None
    return text.replace(_BAD_UNIT, "\ufffd"), bad


_NOTING = threading.local()


def _warn(message: str, *args: object) -> None:
    """Log a warning about an input (on stderr from the command line), and give it to the
    thread's :func:`warnings_noted` when one is open."""
    log.warning(message, *args)
    noted: list[str] | None = getattr(_NOTING, "noted", None)
    if noted is not None:
        noted.append(message % args)


@contextlib.contextmanager
def warnings_noted() -> Iterator[list[str]]:
    """The warnings reading inputs gives in this thread while the block runs (an input read
    with U+FFFD for bytes lost, a publication date it cannot read), in the order given: for
    a caller whose user reads no log, such as a web request, which answers with them. They
    are logged as well; another thread's (a concurrent request's) are not taken. Kept per
    thread, not by a handler on the logger: a handler added and removed for each request
    would change the logger's handlers while other threads log through them."""
    previous = getattr(_NOTING, "noted", None)
    noted: list[str] = []
    _NOTING.noted = noted
    try:
        yield noted
    finally:
        _NOTING.noted = previous


def _warn_bad_units(name: str, bad: int, encoding: str) -> None:
    """Say that ``bad`` code units of input (or line) ``name`` were read as U+FFFD: the text
    is read, but characters of it are lost, which a user is told of (on stderr)."""
    if bad:
        _warn("%s: %d code unit%s not valid %s (a byte lost or changed, or the text cut "
              "short) read as U+FFFD", name, bad, "" if bad == 1 else "s", encoding.upper())


class _Transcoded(io.RawIOBase):
    """A byte stream in ``encoding`` (UTF-16 or UTF-32, with its BOM, or UTF-16 in a byte
    order) as UTF-8, decoded a chunk at a time. Bytes that do not decode (a lone surrogate,
    an odd last byte) become ``_BAD_UNIT``, written with ``surrogatepass``, which the line
    they are in is read by as a whole text is (:func:`_jsonl_records`): they raised
    UnicodeDecodeError from the first read, which lost every record of the stream
    ("reading failed", E302)."""

    def __init__(self, raw: IO[bytes], encoding: str) -> None:
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder(encoding)("crossbrief.unreadable")
        self._pending = b""
        # The U+0000 ending the stream are dropped, as _wide_text drops them from a whole
        # text (one was a last line of its own, E105 invalid JSON; of two, one was
        # dropped). Those ending what was decoded are counted, not kept, until what follows
        # says whether they end it (_held), then passed on if they do not (_owed), a buffer
        # at a time: a run of any length costs no memory.
        self._held = 0
        self._owed = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        # (NULs owed come with text pending: the loop waits for both to be read out; those
        # held when the stream ends are its terminators, never passed on)
        while not self._pending and not self._done:
            chunk = self._raw.read(_CHUNK)
            self._done = not chunk
            text = self._decoder.decode(chunk, final=self._done)
            kept = text.rstrip("\x00")
            if kept:  # the NULs held come before text: the text's own
                self._owed, self._held = self._held, len(text) - len(kept)
                self._pending = kept.encode("utf-8", "surrogatepass")
            else:
                self._held += len(text)
        if self._owed:
            size = min(self._owed, len(buffer))
            buffer[:size] = b"\x00" * size
            self._owed -= size
            return size
        data, self._pending = self._pending[:len(buffer)], self._pending[len(buffer):]
        buffer[:len(data)] = data
        return len(data)


def _streamable_utf8(handle: IO[bytes]) -> bool:
    """Whether the whole of ``handle`` is UTF-8 text (with or without BOM) that
    :func:`decode` would take as such: no UTF-16/32 BOM, no NUL near the start, not binary."""
    head = handle.read(_CHUNK)
    if head.startswith(_UTF16_32_BOMS) or b"\x00" in head[:_NUL_BYTES]:
        return False
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        text = decoder.decode(head)
        try:
            _check_not_binary(text[:20000])
        except BinaryInputError:
            return False
        while chunk := handle.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _read_stdin(stream: IO[bytes], name: str, settings: Settings) -> Iterator[Article | Skipped]:
    """Standard input: read whole, as a file of its sniffed kind, up to the size limit of an
    input; a larger one is streamed as JSON Lines when it opens with an object (a feed piped
    in), and refused otherwise (binary, :func:`refuse_binary`; else too large)."""
    limit = _file_limit(settings, None)
    data = _read_at_most(stream, limit + 1, 0)  # not read(limit + 1): its size, not the limit
    if len(data) <= limit:
        yield from read_bytes(data, name, settings, kind=None)
        return
    # (its first line need not fit in what was read ahead, nor end at "\n")
    wide = _wide_codec(data)
    _refuse_unless_jsonl(data, wide, f"input is over {_mb(limit)} (setting max_text_bytes)",
                         name)
    yield from _streamed_records(data, stream, name, settings, wide)


def _read_at_most(handle: IO[bytes], most: int, size: int) -> bytes:
    """At most ``most`` bytes of ``handle``, whose file measured ``size`` (0 when it cannot
    be measured: standard input). Not one ``read(most)``: CPython's FileIO and
    BufferedReader allocate the ``most`` bytes asked for before they read, so a 40 kB
    article would cost the whole size limit at the peak. What the file measured (and one
    byte more, to see a file that grew) is read at once, then what a device, a pipe, a FIFO
    or a growing file still gives, in pieces."""
    data = handle.read(min(most, size + 1))
    if len(data) < min(most, size + 1):
        return data
    # io.BytesIO, not a bytearray (bytes(grown) copied it: twice the limit at the peak) nor
    # pieces joined once (the join holds them and their copy): CPython's BytesIO takes the
    # bytes it starts with without a copy when it holds the only reference, grows them in
    # place, and getvalue() hands them over, so what was read is held once.
    grown = io.BytesIO(data)
    del data
    grown.seek(0, io.SEEK_END)
    while (got := grown.tell()) < most:
        piece = handle.read(min(most - got, _CHUNK))
        if not piece:
            break
        grown.write(piece)
    return grown.getvalue()


def _read_sniffed_file(path: str, label: str, settings: Settings
                       ) -> Iterator[Article | Skipped]:
    """A file whose name gives no kind, read as standard input is (:func:`_read_stdin`):
    whole and sniffed up to the size limit of an input; a larger one streamed as JSON Lines
    when it opens with an object (:func:`_read_jsonl_file`; in UTF-16 or UTF-32, on from the
    bytes already read, :func:`_streamed_records`), else refused, as binary when
    its first bytes say so (:func:`refuse_binary`, without reading further), else as too
    large."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        limit = _file_limit(settings, None)
        if size <= limit:
            # st_size is not what a read returns for a device (/dev/zero: 0), a FIFO or a
            # file still growing: no more than limit + 1 bytes are read, and when more than
            # the limit comes, the rest is read on as standard input's is (:func:`_read_stdin`)
            data = _read_at_most(handle, limit + 1, size)
            if len(data) > limit:
                wide = _wide_codec(data)
                _refuse_unless_jsonl(data, wide, f"input is over {_mb(limit)} "
                                     f"(setting max_text_bytes)")
                yield from _streamed_records(data, handle, label, settings, wide)
                return
        else:
            head = _file_head(handle, limit)
            wide = _wide_codec(head)
            _refuse_unless_jsonl(head, wide, f"{_mb(size)} is over the limit "
                                 f"of {_mb(limit)} (setting max_text_bytes)")
            if wide is not None:
                # UTF-16 or UTF-32: streamed in it from here, as standard input is, not
                # looked for again (_foreign_jsonl did, as for a .jsonl). ``head`` is all
                # that was read: _file_head drops only pieces of ASCII white space, which
                # such a head, its mark or a NUL in its first bytes, never opens with.
                yield from _streamed_records(head, handle, label, settings, wide)
                return
            data = b""
    if size > limit:
        yield from _read_jsonl_file(path, label, settings)
        return
    yield from read_bytes(data, label, settings, kind=None)


def _refuse_unless_jsonl(head: bytes, wide: str | None, too_large: str,
                         name: str | None = None) -> None:
    """The rule of an input of no known kind (standard input, a file without a suffix) over
    the size limit of an input: only JSON Lines can be read then, so what opens with a JSON
    object (``head``, its first bytes) is streamed as JSON Lines by the caller; anything else
    is refused, as binary when its first bytes say so (:func:`refuse_binary`), else as too
    large (``too_large``, OversizedInputError naming ``name``). Standard input can be
    neither measured nor read twice, so :func:`_read_stdin` reads up to the limit ahead and
    passes that; a file is measured, and :func:`_read_sniffed_file` passes its first
    ``_SNIFF_BYTES`` and reads it again as a JSON Lines file (:func:`_read_jsonl_file`),
    or, in UTF-16 or UTF-32, reads on from them.
    ``wide``: :func:`_wide_codec` of ``head``."""
    refuse_binary(head[:_SNIFF_BYTES], wide)
    if not _opens_object(head, wide):
        raise OversizedInputError(too_large, name)


_OPENING_SPACE = b" \t\r\n"  # what may come before a feed's first "{" (after its mark)


def _wide_head(data: bytes, wide: str) -> str:
    """The first ``_SNIFF_BYTES`` of ``data`` read in ``wide`` (UTF-16 or UTF-32), what is
    no character U+FFFD, a character cut at the end left out."""
    return codecs.getincrementaldecoder(wide)("replace").decode(data[:_SNIFF_BYTES])


def _opens_object(data: bytes, wide: str | None) -> bool:
    """Whether bytes open with a JSON object (after a byte order mark or white space): in
    ``wide``, UTF-16 or UTF-32, when they open with its mark or read as UTF-16 by their NUL
    bytes (:func:`_wide_codec` of ``data``, which the caller looked for; a feed in UTF-16 was
    refused as too large from standard input or a file without a suffix, and read from a
    ``.jsonl``)."""
    if wide is not None:
        return _wide_head(data, wide).lstrip(" \t\r\n").startswith("{")
    # (the mark's three bytes once, not any of them, as ``lstrip`` of them did: b"\xbb{" or
    # a lone b"\xef" passed for a mark)
    return data.removeprefix(codecs.BOM_UTF8).lstrip(_OPENING_SPACE).startswith(b"{")


def _file_head(handle: IO[bytes], limit: int) -> bytes:
    """A file's first ``_SNIFF_BYTES`` and, when they are all white space, the first of its
    next pieces that is not, within its first ``limit + 1`` bytes: what ``_opens_object``
    sees of standard input (:func:`_read_stdin` reads that much ahead), so that a feed
    behind 9,000 spaces is read from a file as from standard input (it was refused as too
    large), without keeping the spaces."""
    head = handle.read(_SNIFF_BYTES)
    seen, piece, last = len(head), head.removeprefix(codecs.BOM_UTF8), b""
    while piece and not piece.lstrip(_OPENING_SPACE) and seen <= limit:
        piece = last = handle.read(min(_SNIFF_BYTES, limit + 1 - seen))
        seen += len(piece)
    return head + last


class _Prefixed(io.RawIOBase):
    """What was already read from a stream, then the rest of it, as one readable stream."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head: io.BytesIO | None = io.BytesIO(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._head.read(len(buffer)) if self._head is not None else b""
        if not data:
            self._head = None  # read: let it go
            data = self._rest.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


class _Lines:
    """The lines of a byte stream, split as :data:`_LINE_BREAKS` says, read a chunk at a time;
    None stands for a line over ``limit`` bytes, skipped without being held. ``printing``
    says whether any byte read so far is other than ASCII white space (as ``bytes.strip``
    sees it)."""

    def __init__(self, handle: IO[bytes], limit: int) -> None:
        self.reader = handle
        self.limit = limit
        self.printing = False

    def __iter__(self) -> Iterator[bytes | None]:
        parts: list[bytes] = []  # the line being read, a chunk's piece at a time
        size = 0
        skipping = False         # within a line over the limit (what was read of it dropped)
        carried = b""            # a chunk's last "\r": perhaps the first half of "\r\n"
        while True:
            read = self.reader.read(_CHUNK)
            self.printing = self.printing or bool(read.strip())
            chunk = carried + read
            carried = b""
            if read and chunk.endswith(b"\r"):
                chunk, carried = chunk[:-1], b"\r"
            *ended, tail = _LINE_BREAKS.split(chunk)
            for piece in ended:
                if skipping or size + len(piece) > self.limit:
                    yield None
                else:
                    yield b"".join([*parts, piece])
                parts, size, skipping = [], 0, False
            if not skipping:
                parts.append(tail)
                size += len(tail)
                if size > self.limit:
                    parts, size, skipping = [], 0, True
            if not read:
                if skipping:
                    yield None
                elif size:
                    yield b"".join(parts)
                return


def _jsonl_records(handle: IO[bytes], name: str, settings: Settings, *,
                   encoding: str | None = None,
                   transcoded: bool = False,
                   meta: Meta | None = None) -> Iterator[Article | Skipped]:
    """Each line of a JSON Lines stream as an article or a Skipped, as :func:`read_jsonl`
    reads a whole text. A line that is not UTF-8 is decoded as :func:`decode` decodes a
    file (its article then names its encoding). With ``encoding`` (the file's, guessed from
    its first lines: :func:`_foreign_jsonl`) every line is decoded in it, and its article
    names it; ``transcoded``: the stream was already decoded from it into UTF-8."""
    found = False
    lines = _Lines(handle, _line_limit(settings))
    for number, raw in enumerate(lines, 1):
        label = f"{name}:{number}"
        if raw is None:
            found = True
            yield _over_long(label, lines.limit)
            continue
        if number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        fields: Meta = dict(meta or {})
        if encoding is not None and encoding not in ("utf-8", "ascii"):
            fields["encoding"] = encoding
        bad = 0
        if transcoded:
            # Bytes of the line that are not text in the stream's encoding (_BAD_UNIT, each
            # a code unit) by the rule of a whole text (_wide_text): a few U+FFFD and a
            # warning naming the line when it is read, more skipped (the line was E103 for
            # one, where a whole text holding one was read)
            read = _bad_units_replaced(raw.decode("utf-8", "surrogatepass"))
            if read is None:
                found = True
                yield Skipped(label, f"line is not valid {(encoding or '').upper()} (too many "
                              "code units that are no character): corrupt or binary",
                              EncodingError.code)
                continue
            line, bad = read
        else:
            try:
                line = raw.decode("utf-8" if encoding is None else encoding)
            except UnicodeDecodeError:
                try:
                    # with how many code units it read as U+FFFD (a UTF-16 line behind its
                    # mark, a cut last character), for the warning a UTF-16 feed's line has:
                    # decode() dropped the count, and the line was read without a word
                    line, fields["encoding"], bad = _decoded(raw, None, _wide_codec(raw))
                except InputError as exc:
                    yield Skipped(label, exc.detail, exc.code)
                    continue
        if line.strip():
            found = True
            record = _jsonl_line(line, name, number, settings, fields)
            if bad and isinstance(record, Article):  # else its skip names the line
                _warn_bad_units(label, bad, fields.get("encoding") or "")
            yield record
    if not found:
        raise EmptyInputError("input holds only whitespace" if lines.printing
                              else "input is empty")


def read_upload(
    data: bytes, name: str, settings: Settings, *, kind: str | None = None
) -> list[Article | Skipped]:
    """Articles from the content of an uploaded file called ``name`` (its kind from the file
    name's suffix unless given), as :func:`read_one` reads a file; problems become Skipped."""
    sniffed = kind is None and read_by_content(name)
    kind = kind or KINDS.get(Path(name).suffix.lower())
    try:
        if kind is None and not sniffed:
            raise MalformedInputError(unsupported_reason(name))
        if kind != "jsonl" and len(data) > _file_limit(settings, kind):
            raise OversizedInputError(
                f"{_mb(len(data))} is over the limit of {_mb(_file_limit(settings, kind))} "
                "(setting max_text_bytes)")
        return list(read_bytes(data, name, settings, kind=kind))
    except InputError as exc:
        return [Skipped(exc.input or name, exc.detail, exc.code)]


def read_bytes(
    data: bytes,
    name: str,
    settings: Settings,
    *,
    kind: str | None = None,
    meta: Meta | None = None,
) -> Iterator[Article | Skipped]:
    """Articles from the raw bytes of one input of the given kind (sniffed when None: a
    known binary format is refused by its name, :func:`refuse_binary`)."""
    if not data.strip():
        raise EmptyInputError("input is empty")
    # UTF-16 or UTF-32, looked for once (it was up to four times) for refusing, decoding,
    # sniffing and streaming alike
    wide = _wide_codec(data, whole=True)
    if kind is None:
        refuse_binary(data[:_SNIFF_BYTES], wide)
    if wide is not None and (kind == "jsonl" or (kind is None and _wide_feed(data, wide))):
        # as a feed over the size limit is streamed (:func:`_streamed_records`), a line at
        # a time: the whole input was E103 for one lone surrogate, every record lost. Sniffed
        # before the whole-text rules (:func:`_decoded`): they refused a feed whole, E103
        # for its bad code units or E102 for its control characters, that a line at a time
        # reads (as from a ``.jsonl``) but for the lines that hold them
        yield from _streamed_records(data, io.BytesIO(), name, settings, wide, meta)
        return
    declared = None
    if kind == "html" or kind is None:
        match = _META_CHARSET.search(data[:4096])
        declared = match.group(1).decode("ascii", "replace") if match else None
        if codec_for(declared) in UTF16_CODECS:  # as HTML reads a <meta> naming UTF-16:
            declared = "utf-8"  # UTF-8 (a <meta> found in ASCII is in no UTF-16)
    if meta and meta.get("charset"):
        declared = meta["charset"]
    text, encoding, bad = _decoded(data, declared, wide)
    if not text.strip():
        raise EmptyInputError("input holds only whitespace")
    kind = kind or sniff(text)
    meta = dict(meta or {})
    if encoding not in ("utf-8", "ascii"):
        meta["encoding"] = encoding
    reader = READERS[kind]
    for read in reader(text, name, settings, meta):
        if bad and isinstance(read, Article):  # said once, when the text is read
            _warn_bad_units(name, bad, encoding)
            bad = 0
        yield read


def _wide_feed(data: bytes, wide: str) -> bool:
    """Whether ``data``, in UTF-16 or UTF-32 (``wide``: :func:`_wide_codec` of it), sniffs
    as JSON Lines (:func:`sniff`) when read leniently: each code unit that is no character
    U+FFFD, as :func:`_wide_text` reads it, and its U+0000 terminator dropped (sniffed with
    it, a JSON document ending in one was JSON Lines, the terminator its second line,
    E105). Decoded whole only when its first characters open as JSON does (or are all
    white space): text and HTML are not read twice."""
    opening = _LEADING_SPACE.sub("", _wide_head(data, wide), count=1)  # as sniff passes over it
    if opening and not opening.startswith(("{", "[")):
        return False
    return sniff(data.decode(wide, "replace").rstrip("\x00")) == "jsonl"


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16/32 (BOM), UTF-16 without a BOM
    (in the order its NUL bytes say, :func:`_utf16_order`, then a declared one), the
    declared encoding, then the most likely of the usual encodings; raise when none fits or
    it looks binary. UTF-16 or UTF-32 cut short (an odd last byte), and UTF-8 cut inside its
    last character (:func:`_utf8_cut_short`), end in U+FFFD."""
    text, encoding, _ = _decoded(data, declared, _wide_codec(data, whole=True))
    return text, encoding


def _decoded(data: bytes, declared: str | None, wide: str | None) -> tuple[str, str, int]:
    """:func:`decode`, given :func:`_wide_codec` of ``data`` (``wide``), which
    :func:`read_bytes` looks for once per input, and how many code units of UTF-16 or
    UTF-32 it read as U+FFFD (:func:`_wide_text`), or how many bytes of UTF-8's cut last
    character it dropped (:func:`_utf8_cut_short`), for :func:`read_bytes` to warn of."""
    if data.startswith(_UTF16_32_BOMS):
        assert wide is not None  # _wide_codec reads the same marks in the same order
        read = _wide_text(data, wide)
        if read is None:  # was "binary (NUL bytes)": UTF-16's every other byte
            raise EncodingError(
                f"opens with the byte order mark of {wide.upper()} but is not "
                f"valid {wide.upper()} (too many code units that are no "
                "character): corrupt or binary")
        return read[0], wide, read[1]
    named = codec_for(declared)
    utf8_said = named == "utf-8" or data.startswith(codecs.BOM_UTF8)
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig"), "utf-8", 0
        except UnicodeDecodeError:
            if (cut := _utf8_cut_short(data[len(codecs.BOM_UTF8):], said=True)) is not None:
                _check_not_binary(cut[0])
                return cut[0], "utf-8", cut[1]
            # UTF-8 with a stray byte of another code page: the rest is read below
            # (the declared charset, else guessed), the mark not with it: it was read
            # as text in the guess ("ï»¿" opening the article, offsets 3 off)
            data = data[len(codecs.BOM_UTF8):]
            wide = _utf16_order(data, whole=True)  # other bytes: NULs at other positions
    if b"\x00" in data[:_NUL_BYTES]:
        # No byte order mark, and NUL bytes: UTF-16 when they fall as in UTF-16 text, read
        # in the byte order they say (_utf16_order), else binary. A declared UTF-16 is read
        # when they are too few to tell, in the declared order (WHATWG's, little-endian,
        # for "utf-16"); where they say the other order, the bytes win, as a mark does (a
        # page served "charset=utf-16le" in big-endian was CJK mojibake). Without any NUL a
        # declared UTF-16 is read as before (UTF-8 first: a UTF-8 page a server mislabels
        # UTF-16 would decode as UTF-16 to other text, CJK letters)
        # When the order the NULs say does not read (too many lone surrogates, or control
        # characters), a declared one is tried before the input is refused: text laid out
        # with U+3000 holds NULs too, in the order _utf16_order passes over.
        said = wide  # no mark: _wide_codec's is _utf16_order's
        said_read = None
        order = ("utf-16-le" if named == "utf-16" else named) if named in UTF16_CODECS \
            else None
        if (said is not None and order is not None and order != said
                and _utf16_order(data, spaced=True) is None):
            # A declared order that differs from the one the NULs say, when the NULs pair
            # with no white space of text (punctuation alone, or letters: CJK read in the
            # wrong order pairs them with "0" and "}"), is read first, if it reads: the
            # bytes win over a declaration only when they look like text in their order.
            read = _wide_text(data, order)
            if read is not None and not _looks_binary(read[0]):
                return read[0], order, read[1]
        if said is not None:
            said_read = _wide_text(data, said)
            if said_read is not None and not _looks_binary(said_read[0]):
                return said_read[0], said, said_read[1]
        if order is not None and order != said and not _is_utf8(data):
            read = _wide_text(data, order)
            if read is not None and not _looks_binary(read[0]):
                return read[0], order, read[1]
        if said is not None and said_read is None:
            # as with a byte order mark: UTF-16 by its NULs, too corrupt to read (E103)
            raise EncodingError(
                f"reads as {said.upper()} by where its NUL bytes fall but is not valid "
                f"{said.upper()} (too many code units that are no character): corrupt or "
                "binary")
        if said is not None:
            # the NULs are UTF-16's own: what is binary is the text they make
            raise BinaryInputError(
                f"input looks binary when read as {said.upper()}, the order its NUL bytes "
                "say (too many control characters), not text")
        raise BinaryInputError("input is binary (it contains NUL bytes), not text")
    # Undeclared bytes that are hardly UTF-16 or UTF-32 (no NUL byte: only CJK text, which
    # ASCII before a last byte or two is not; or an odd number of them): ASCII ending in
    # one byte above 0x7F is read as declared UTF-8's is, below, and
    # ASCII cut inside its last character after 2 or 3 bytes of it is U+FFFD only where
    # those bytes, read in Windows-1252, are no Western word's end (_cut_is_mojibake: "â€",
    # "ðŸ"): the guess read "caf\xe2\x80" as cp1125 "cafтА", "ok \xf0\x9f" as gb18030 "ok
    # 馃". "caf\xe9\x85", "café…" in Windows-1252, is still guessed (the rules of declared
    # UTF-8 made it "caf\ufffd": review of b3e5776).
    no_nul = b"\x00" not in data  # (one past the _NUL_BYTES read above may be here)
    utf8_rules = utf8_said or (named is None and (no_nul or len(data) % 2 == 1))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        if (cut := _utf8_cut_short(data, said=utf8_said, tells=utf8_rules)) is not None:
            _check_not_binary(cut[0])
            return cut[0], "utf-8", cut[1]
    else:
        _check_not_binary(text)
        return text, "utf-8", 0
    # The declared charset, when it names one text is written in (crossbrief.charsets: a
    # WHATWG label, read as WHATWG reads it, or Python's name for one's codec); any other
    # name ("undefined" raised UnicodeError; "unicode_escape" rewrote "\\n" in the text) is
    # passed over, as is one the bytes do not decode in, and the text is guessed.
    # A declared UTF-16 is not decoded here, the bytes holding no NUL (read above when they
    # do): text in UTF-16 holds one wherever it holds an ASCII or Latin-1 character, so
    # these are mostly text in an ASCII-based encoding that only claims UTF-16 (a server's
    # charset=utf-16), which any even number of bytes decodes as, into CJK letters. UTF-16
    # text without a NUL, CJK without a space or an ASCII character, is left to the guess
    # below, which keeps a UTF-16 reading there only where it is all CJK (_all_cjk), in
    # the byte order declared if one is.
    if named and named not in UTF16_CODECS:
        try:
            text = data.decode(named)
        except UnicodeError:
            pass
        else:
            _check_not_binary(text)
            return text, codecs.lookup(named).name, 0
    if utf8_rules and data[:-1].isascii():
        # Declared UTF-8 (or behind its mark, or undeclared and no UTF-16: utf8_rules),
        # ASCII ending in one byte above 0x7F: the guess has that one byte to go by and
        # scored dozens of code pages alike, reading "caf\xe9" as cp1006 "cafﻠ" or UTF-16
        # "捡曩" (review of 553f638). Read it in windows-1252, the legacy encoding WHATWG
        # reads an undeclared Western page in, the first of PREFERRED_ENCODINGS (a page
        # whose "utf-8" is wrong is mostly one).
        # A byte windows-1252 leaves undefined is read in windows-1250, its Central European
        # sibling, where it is a letter (0x8D "Ť", 0x8F "Ź", 0x9D "ť": "urobi\x9d" is
        # Slovak "urobiť"); one neither defines (0x81, 0x90) is no character: U+FFFD,
        # counted for the warning, as a byte of UTF-8's cut last character is (it went to
        # the guess: "hello\x81" UTF-16-BE "桥汬澁", declared UTF-8 cp1125 "helloБ")
        for codec in (PREFERRED_ENCODINGS[0], "cp1250"):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            _check_not_binary(text)
            return text, codec, 0
        text = data[:-1].decode("ascii") + "\ufffd"
        _check_not_binary(text)
        return text, "utf-8", 1
    # charset-normalizer rather than a hand-written guess: it scores every usual encoding
    # by how plausible the decoded text is, and returns nothing for binary noise.
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if utf8_said or no_nul:
        # Text declared UTF-8, or behind its mark, is no UTF-16 or UTF-32: ASCII ending in a
        # stray byte was guessed UTF-16-BE, CJK mojibake ("caf\xe9" declared utf-8 read
        # "捡曩"; review of 553f638). Nor, mostly, are bytes without a NUL (UTF-16 holds one
        # at each ASCII or Latin-1 character, read above), except CJK text without one
        # (kana, ideographs, full-width forms: "東京都" in UTF-16 holds no NUL), kept where
        # the reading is all such characters (review of f339b92: it was refused or read as
        # cp932 mojibake), in the byte order declared if one is. A declared UTF-16 alone
        # keeps none: Western text a server labels UTF-16 read as it ("Ça va bien" in
        # Windows-1252 "읡⁶愠扩敮"; review of 0525f46).
        matches = [m for m in matches if not m.encoding.startswith(("utf_16", "utf_32"))
                   or (not utf8_said and _all_cjk(str(m))
                       and (named not in ("utf-16-le", "utf-16-be")
                            or codecs.lookup(m.encoding).name == named))]
    # A declared byte order is read in that order when it reads as CJK and the guess's best
    # is no other CJK code page: the guess scored the other order or Johab higher
    # ("のテキストを読み" declared utf-16le was UTF-16-BE mojibake; review of 0525f46), but
    # Shift_JIS mislabelled utf-16be is right as cp932 ("日本経済新聞"; final review).
    if named in ("utf-16-le", "utf-16-be") and no_nul:
        with contextlib.suppress(UnicodeDecodeError):
            text = data.decode(named)
            # (Korean declared so is kept: a short one reads as Big5 or CP949 CJK too,
            # "시장은월" declared utf-16be was "蹤ルエば"; final review of 2026-12-03)
            if _all_cjk(text) and (any("\uac00" <= ch <= "\ud7a3" for ch in text) or not (
                    matches and not matches[0].encoding.startswith("utf_16")
                    and _all_cjk(str(matches[0])))):
                _check_not_binary(text)
                return text, named, 0
    if not matches or matches[0].chaos > 0.25:
        raise EncodingError("not valid UTF-8, and no usual encoding fits (binary or corrupt?)")
    # Short Western texts fit several code pages equally well; among near-ties prefer the
    # encodings that mis-declared English web pages actually use.
    near = [m for m in matches if m.chaos <= matches[0].chaos + 0.02]
    best = min(near, key=lambda m: (PREFERRED_ENCODINGS.index(m.encoding)
                                    if m.encoding in PREFERRED_ENCODINGS else 99))
    text = str(best)
    _check_not_binary(text)
    if best.encoding.startswith(("utf_16", "utf_32")):
        # named as the UTF-16 read by its NULs or mark is ("utf-16-le", not "utf_16_le")
        return text, codecs.lookup(best.encoding).name, 0
    return text, best.encoding, 0


def _all_cjk(text: str) -> bool:
    """Whether ``text`` is 4 characters or more, all CJK ones whose UTF-16 code units hold
    no NUL byte: CJK punctuation and kana (U+3000-30FF), unified ideographs (U+4E00-9FFF),
    Hangul syllables (U+AC00-D7A3: the reviewer's grid 104 -> 108 of 112), full-width forms
    (U+FF00-FFEF). A UTF-16 guess of other bytes without a NUL reads letters of many
    scripts mixed (ASCII ending in a stray byte: "捡曩" is 2). Its Hangul syllables are
    the 2,350 common ones of KS X 1001 (those EUC-KR writes in two bytes): Cyrillic in
    KOI8-R or Windows-1251 and GBK or EUC-KR text read as UTF-16 give syllables mostly
    outside them, their letters' bytes (0xAC-0xD7) being Hangul's high bytes (review of
    0525f46: KOI8-R "как дела" read "쯁쬠쓅쳁", GB18030 "abc 中文" "慢挠훐컄"; 3 of 4 and 6
    of 7 such syllables are outside the set). An earlier rule refusing a syllable whose low
    byte is a space's refused common syllables (선 U+C120, 될 U+B420) and Korean written
    without spaces (final review of 2026-12-03: a grid of Korean sentences without spaces
    52 -> 88 of 88 read right)."""
    return len(text) >= 4 and all(
        "\u3000" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"
        or ("\uac00" <= ch <= "\ud7a3" and len(ch.encode("euc-kr")) == 2) for ch in text)


def _utf8_cut_short(data: bytes, said: bool = False,
                    tells: bool = False) -> tuple[str, int] | None:
    """``data`` as UTF-8 cut inside its last character (a download or a copy cut short):
    the text before it and U+FFFD, and how many bytes were dropped for it (1 to 3), when
    all but its last 1 to 3 bytes are UTF-8, those open a character that the end of the
    data cuts, and the text before holds a character outside ASCII (UTF-8's own evidence:
    text in another code page is hardly ever valid UTF-8); else None. ASCII ending in one
    byte above 0x7F, "café" in Latin-1, is no evidence of UTF-8 and is left to
    :func:`_decoded` (Windows-1252 where UTF-8 is declared, behind its mark, or nothing is
    declared for bytes that cannot be UTF-16; else the declared charset or the guess), even
    where UTF-8 is declared (a page whose ``<meta charset="utf-8">`` is wrong) or behind a
    UTF-8 byte order mark: it read "caf\ufffd" there. Such text cut short fell through to
    the guess, which read it as other text, EBCDIC (cp037) mojibake even when declared
    UTF-8, where UTF-16 so cut reads as UTF-16 with U+FFFD. Where UTF-8 is ``said``
    (declared, or its byte order mark), ASCII cut inside its last character is read so
    too when 2 or 3 bytes were dropped: a lead byte and a continuation byte ending ASCII
    ("\xe2\x80") are hardly Latin-1 text, and the guess read them as UTF-16 (review of
    553f638); only a single lead byte after ASCII is left to the code page. Where nothing
    is declared (``tells``: bytes that cannot be UTF-16, :func:`_decoded`), only when those
    2 or 3 bytes read in Windows-1252 are no end of a Western word
    (:func:`_cut_is_mojibake`): "caf\xe9\x85" is "café…" there, and is left to the guess."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason != "unexpected end of data" or exc.end != len(data):
            return None
        head = data[:exc.start].decode("utf-8")  # all before the first error is UTF-8
        cut = data[exc.start:]
        if not head.isascii() or (len(cut) >= 2 and (
                said or (tells and _cut_is_mojibake(cut)))):
            return head + "\ufffd", len(cut)
    return None


# What follows an accented letter (a lead byte of UTF-8 read in Windows-1252) at the end of
# a Western text: punctuation, a space, a sign (° ™ ²); never a letter, a currency sign or
# a spacing accent.
_NO_WORD_END = frozenset(("Lu", "Ll", "Lt", "Lm", "Lo", "Sc", "Sk"))
# Letters of 0x80-0x9F in Windows-1252 that end words after an accented letter: Czech and
# Slovak "-íš", "-áš", "-éž" ("nevíš", in Windows-1250 too), French "-œ" (review of f339b92:
# "nevíš" read "nev\ufffd"); not after "â" (0xE2, the lead byte of ✓ ✅ ⚠ ➡, "âœ" "âš"
# "âž": "Done ✓" cut after 2 bytes was cp932 "Done 笨"; review of 0525f46).
_WORD_END_LETTERS = frozenset("ŠšŽžŒœ")


def _cut_is_mojibake(cut: bytes) -> bool:
    """Whether the 2 or 3 bytes of a UTF-8 character cut short (``cut``: its lead byte and
    continuation bytes), read in Windows-1252, are no end of a Western word: a byte
    Windows-1252 leaves undefined, or a letter, a currency sign or a spacing accent after
    the lead byte's letter, but for Š š Ž ž Œ œ (Czech "nevíš"). "â€" (every ’ ” – — …
    cut after 2 bytes) and "ðŸ" (an emoji cut) are so; "é…", "á’", "ã»", "íš" end words
    in Windows-1252 ("café…"). Big5 or GBK text
    ending in a character whose bytes so read is taken for UTF-8 cut short: a rule on the
    bytes alone cannot tell them apart, and those of punctuation are left to the guess."""
    return any(0x80 <= byte <= 0x9F and (
        (ch := bytes((byte,)).decode(PREFERRED_ENCODINGS[0], "replace")) == "\ufffd"
        or (unicodedata.category(ch) in _NO_WORD_END
            and (ch not in _WORD_END_LETTERS or cut[0] == 0xE2)))
        for byte in cut[1:])


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _wide_text(data: bytes, codec: str) -> tuple[str, int] | None:
    """``data`` decoded in UTF-16 or UTF-32 (``codec``), each code unit that is no character
    (a lone surrogate: a byte lost or changed) and a last one cut short U+FFFD, as a stray
    byte in UTF-8 text costs only its character (:func:`decode` reads the rest in a guessed
    code page) and as a lone surrogate escaped in JSON is read (:func:`valid_unicode`), with
    how many they were; None when they are too many to be text (:func:`_bad_units_replaced`,
    the rule a line of a feed is read by too). One lone surrogate made the whole input E103
    before. The U+0000 ending the text, terminators, are dropped, however many."""
    text = data.decode(codec, "crossbrief.unreadable")
    # the U+0000 ending the text: the terminator a C string or a Windows tool leaves, or
    # two (it was kept behind a mark, and refused as binary, E102, without one; of two,
    # one was kept). The text's own NULs, inside it, are not touched.
    text = text.rstrip("\x00")
    return _bad_units_replaced(text)


def _check_not_binary(text: str) -> None:
    if _looks_binary(text):
        raise BinaryInputError("input looks binary (too many control characters), not text")


def _looks_binary(text: str) -> bool:
    """Whether the start of ``text`` holds too many control characters for text."""
    sample = text[:20000]
    control = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    return _too_many_for_text(control, len(sample))


def _too_many_for_text(count: int, length: int) -> bool:
    """Whether ``count`` control characters or bad code units are too many for ``length``
    characters of text: more than 8 and more than one in 50 (one rule for the binary check
    and for UTF-16/32 code units that are no character)."""
    return count > max(8, length // 50)


# How much of an input without a telling name is looked at for what binary format it is in.
_SNIFF_BYTES = 8192
# The first bytes ("magic numbers", as file(1) reads them) of the formats an input without a
# telling name is most often in when it is no text: a document, an archive or a compressed
# download (curl -o without --compressed keeps a gzip body), an image, audio or video, a
# program. Each with what it is called in the message that refuses it, and at which offset
# its mark stands. The mark of a text format that is no article (RTF, PostScript) is
# refused as unsupported, [E105]; every other as binary, [E102].
_FORMATS: tuple[tuple[int, bytes, str], ...] = (
    (0, b"%PDF-", "a PDF document"),
    (0, b"PK\x03\x04", "a ZIP archive, as a .docx, .xlsx, .odt or .epub is"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Word, Excel or PowerPoint file of before 2007"),
    (0, b"{\\rtf", "an RTF document"),
    (0, b"%!PS", "a PostScript document"),
    (0, b"\x1f\x8b", "gzip-compressed data, to decompress first"),
    (0, b"BZh", "bzip2-compressed data, to decompress first"),
    (0, b"\xfd7zXZ\x00", "xz-compressed data, to decompress first"),
    (0, b"(\xb5/\xfd", "zstd-compressed data, to decompress first"),
    (0, b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (0, b"Rar!\x1a\x07", "a RAR archive"),
    (0, b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (0, b"\xff\xd8\xff", "a JPEG image"),
    (0, b"GIF87a", "a GIF image"),
    (0, b"GIF89a", "a GIF image"),
    (8, b"WEBP", "a WebP image"),
    (0, b"II*\x00", "a TIFF image"),
    (0, b"MM\x00*", "a TIFF image"),
    (4, b"ftyp", "an MP4 or QuickTime video, or other ISO media"),
    (0, b"\x1a\x45\xdf\xa3", "a Matroska or WebM video"),
    (8, b"WAVE", "a WAV audio file"),
    (8, b"AVI ", "an AVI video"),
    (0, b"ID3", "an MP3 audio file"),
    (0, b"OggS", "an Ogg audio or video file"),
    (0, b"fLaC", "a FLAC audio file"),
    (0, b"\x7fELF", "an executable program"),
    (0, b"SQLite format 3\x00", "an SQLite database"),
)
# A mark of letters alone ("BZh", "ID3", "OggS", "GIF89a") or one further in ("ftyp",
# "WAVE") may open a text as well ("Big new WAVE of …"): it is taken only with a control
# byte, which no text holds, in the first 64 bytes. The marks of punctuation and letters
# ("%PDF-", "{\\rtf") open nothing but their format.
_TEXT_FORMATS = frozenset({b"{\\rtf", b"%!PS"})
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def binary_format(head: bytes) -> str | None:
    """What the first bytes of an input say it is, when a format file(1) would name: ``'a
    PDF document'``; None for anything else (text, or binary of no known format)."""
    for offset, mark, name in _FORMATS:
        if head.startswith(mark, offset):
            if (offset or mark.isalnum()) and not _CONTROL_BYTES.search(head[:64]):
                continue
            return name
    return None


def refuse_binary(head: bytes, wide: str | None) -> None:
    """Refuse an input without a telling name by its first bytes: a known format by its
    name (:func:`binary_format`; BinaryInputError, E102, or for a text format that is no
    article, MalformedInputError, E105), and NUL bytes outside UTF-16 or UTF-32 (``wide``,
    known by its byte order mark, or UTF-16 by where they fall: :func:`_wide_codec` of the
    input, which the caller looked for) as binary; anything else is left to decoding
    (:func:`decode`)."""
    name = binary_format(head)
    if name is not None:
        if any(head.startswith(mark) for mark in _TEXT_FORMATS):
            raise MalformedInputError(f"unsupported: it looks like {name}, not an article "
                                      "(save it as text or HTML)")
        raise BinaryInputError(f"input is binary (it looks like {name}), not text")
    if b"\x00" in head and wide is None:
        raise BinaryInputError("input is binary (it contains NUL bytes), not text")


def sniff(text: str) -> str:
    """Guess the kind of content that came without a telling file name: JSON or JSON Lines
    when it opens as JSON does (:func:`_opens_json`), HTML when it opens with a tag of a page
    (``_HTML_SNIFF``), else plain text."""
    start = _LEADING_SPACE.match(text).end()  # type: ignore[union-attr]
    if _opens_json(text, start):
        # The whole first line: a feed's records are often longer than any fixed head.
        end = text.find("\n", start)
        line = text[start:end if end >= 0 else len(text)]
        more = _NOT_SPACE.search(text, end) if end >= 0 else None
        record_follows = more is not None and text.startswith(("{", "["), more.start())
        try:
            json.loads(line)
        except json.JSONDecodeError as exc:
            # A pretty-printed document's first line ends too soon ("{", '{"a": [');
            # a feed's first record may be broken within it, and the next one follows.
            return "jsonl" if record_follows and exc.pos < len(line.rstrip()) else "json"
        except (ValueError, RecursionError):
            # a whole value Python will not read (a number too long, nesting too deep)
            return "jsonl" if record_follows else "json"
        return "jsonl" if more else "json"
    head = text[start:start + 1024]
    if _HTML_SNIFF.search(head) and head.startswith("<"):
        return "html"
    return "text"


def _opens_json(text: str, start: int) -> bool:
    """Whether ``text`` opens, at ``start``, as a JSON document or a JSON Lines feed: its
    first line parses, or it opens as an object with a key (``{"``, ``{}``) or as a list of
    values (``[{``, ``[[``, ``["``, ``[]``), the only openings a record or a list of them has.
    Text that opens with a bracket otherwise (``[Reuters] MOSCOW -``, ``[1] A note``,
    ``{{Infobox``) is text."""
    if not text.startswith(("{", "["), start):
        return False
    if _JSON_OPENING.match(text, start):
        return True
    end = text.find("\n", start)
    try:
        json.loads(text[start:end if end >= 0 else len(text)])
    except (ValueError, RecursionError):
        return False
    return True


_LEADING_SPACE = re.compile(r"[\ufeff\s]*")
_JSON_OPENING = re.compile(r'\{\s*["}]|\[\s*[\[{"\]]')
_NOT_SPACE = re.compile(r"\S")


# --- readers -------------------------------------------------------------------------------


def read_text(text: str, name: str, settings: Settings, meta: Meta) -> Iterator[Article | Skipped]:
    front, body = split_front_matter(text)
    fields = {**meta, **front, "wrapped": _looks_hard_wrapped(body)}
    yield make_article(body, name, settings, fields)


def read_markdown(
    text: str, name: str, settings: Settings, meta: Meta
) -> Iterator[Article | Skipped]:
    front, body = split_front_matter(text)
    body = _MD_IMAGE.sub("", body)
    body = _MD_LINK.sub(r"\1", body)
    body = _MD_EMPHASIS.sub(lambda m: m.group(2) or m.group(4), body)
    body = _MD_HEADING.sub("", body)
    yield make_article(body, name, settings, {**meta, **front, "wrapped": True})


def read_html(text: str, name: str, settings: Settings, meta: Meta) -> Iterator[Article | Skipped]:
    if len(text.encode("utf-8")) > _file_limit(settings, "html"):
        raise OversizedInputError(
            f"HTML page is over {_mb(_file_limit(settings, 'html'))} (setting max_text_bytes)"
        )
    fields = dict(meta)
    fields.update(extract_html(text, url=meta.get("url")))
    yield make_article(fields.pop("text"), name, settings, fields)


def extract_html(html: str, url: str | None = None) -> dict[str, Any]:
    """Main text and metadata of an HTML page, through trafilatura.

    Falls back to trafilatura's baseline extractor for pages its main extractor rejects
    (truncated or invalid markup), and raises NoTextError when neither finds text.
    """
    import trafilatura

    try:
        doc: Any = trafilatura.bare_extraction(
            html, url=url, favor_recall=True, include_comments=False, include_tables=True,
            with_metadata=True, deduplicate=False,
        )
    except Exception as exc:  # trafilatura raises assorted lxml/parser errors on bad markup
        raise MalformedInputError(f"HTML could not be parsed: {exc}") from None
    fields: dict[str, Any] = {}
    text = (doc.text or "") if doc is not None else ""
    if doc is not None:
        fields = {
            "title": doc.title, "author": doc.author, "url": doc.url or url,
            "source": doc.sitename or outlet_in_page_title(html, doc.title),
            "published": doc.date,
        }
    if not text.strip():
        try:
            _, text, _ = trafilatura.baseline(html)
        except Exception:  # same as above: a broken page is an input problem, not a crash
            text = ""
    if not text.strip():
        raise NoTextError("no article text found in the HTML (truncated or not an article?)")
    fields["text"] = text
    return {k: v for k, v in fields.items() if v}


# The page's first <title> element, found in linear time: the opening tag, then the first
# closing tag after it (one lazy pattern from every "<title" to the next "</title>" took a
# minute on 200 kB of "<title>" with none closed).
_TITLE_OPEN = re.compile(r"<title\b[^<>]{0,500}>", re.I)
_TITLE_CLOSE = re.compile(r"</title\s*>", re.I)
# What sets a site's name apart from the headline in a page's <title>: a bar, bullet or
# guillemet, a dash between spaces ("Xi-Putin talks" is one headline), a colon and a space.
_TITLE_SEPARATOR = re.compile(r"\s*[|·•»]\s*|\s+[-–—]\s+|:\s+")
# Section names pages put where the site's name goes: not an outlet.
_NOT_OUTLETS = {"home", "news", "latest", "latest news", "breaking news", "world", "local",
                "local news", "video", "videos", "opinion", "politics", "sport", "sports",
                "business", "article", "story"}


def outlet_in_page_title(html: str, headline: str | None) -> str | None:
    """The site's name a page gives only in its ``<title>``, around the headline
    (``Storm closes harbour - Coast Gazette``, ``Coast Gazette | Storm closes harbour``):
    the part on the far side of the last (first) separator, when it is a short name (up to
    six words, shorter than the headline, capitalised, no sentence's end, not a section's
    such as ``News``) or a host name. None otherwise."""
    if not headline:
        return None
    head = html[:200_000]
    opened = _TITLE_OPEN.search(head)
    closed = _TITLE_CLOSE.search(head, opened.end()) if opened else None
    if opened is None or closed is None or closed.start() - opened.end() > 2000:
        return None
    from html import unescape

    page = " ".join(unescape(head[opened.end():closed.start()]).split())
    headline = " ".join(headline.split())
    if page.startswith(headline):
        parts = _TITLE_SEPARATOR.split(page[len(headline):])
        candidate = parts[-1] if len(parts) > 1 and not parts[0] else ""
    elif page.endswith(headline):
        parts = _TITLE_SEPARATOR.split(page[:len(page) - len(headline)])
        candidate = parts[0] if len(parts) > 1 and not parts[-1] else ""
    else:
        return None
    candidate = candidate.strip()
    # A site's name is shorter than a headline; where it is not, the headline taken may be
    # the site's name (trafilatura takes the first part of "Coast Gazette | Storm closes
    # harbour" when the page says nothing else), and the other part no outlet.
    if (not candidate or len(candidate) >= len(headline) or len(candidate) > 60
            or len(candidate.split()) > 6):
        return None
    if _HOST_NAME.fullmatch(candidate):
        return outlet_from_host(candidate)
    # A name is capitalised ("The Harbour Times", "BBC News"); "five dead" is the headline's.
    if (not (candidate[0].isupper() or candidate[0].isdigit()) or candidate[-1] in ".!?"
            or candidate.casefold() in _NOT_OUTLETS):
        return None
    return candidate


NESTED_TOO_DEEP = "JSON nested too deeply to be an article (over about 1,000 levels)"


def number_too_long() -> str:
    """Why JSON holding a very long integer was not read. Python reads no integer of more
    digits than ``sys.get_int_max_str_digits()`` (4,300 unless set otherwise; a guard
    against slow conversions): a ValueError that is no JSONDecodeError, which crashed the
    reader."""
    return f"invalid JSON: a number of more than {sys.get_int_max_str_digits():,} digits"


def read_json(text: str, name: str, settings: Settings, meta: Meta) -> Iterator[Article | Skipped]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedInputError(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except ValueError:
        raise MalformedInputError(number_too_long()) from None
    except RecursionError:  # Python's parser recurses once per level of nesting
        raise MalformedInputError(NESTED_TOO_DEEP) from None
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]  # {"articles": [...]} as news APIs answer
    if isinstance(data, dict):
        yield read_record(data, name, settings, meta)
    elif isinstance(data, list):
        if not data:
            raise EmptyInputError("JSON list holds no articles")
        for number, item in enumerate(data, 1):
            yield read_record(item, f"{name}#{number}", settings, meta)
    else:
        raise MalformedInputError(
            f"JSON must be an article object or a list of them, not {type(data).__name__}"
        )


def read_jsonl(text: str, name: str, settings: Settings, meta: Meta) -> Iterator[Article | Skipped]:
    """The records of a JSON Lines text, each named ``name:LINE`` (counting from 1)."""
    found = False
    limit = _line_limit(settings)
    for number, line in enumerate(_TEXT_LINE_BREAKS.split(text), 1):
        if line.strip():
            found = True
            if len(line) > limit // 4 and len(line.encode("utf-8")) > limit:
                yield _over_long(f"{name}:{number}", limit)
            else:
                yield _jsonl_line(line, name, number, settings, meta)
    if not found:
        raise EmptyInputError("JSON Lines file holds no lines")


def _over_long(label: str, limit: int) -> Skipped:
    return Skipped(label, f"line is over {_mb(limit)} (setting max_text_bytes)",
                   OversizedInputError.code)


def _jsonl_line(line: str, name: str, number: int, settings: Settings,
                meta: Meta) -> Article | Skipped:
    label = f"{name}:{number}"
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return Skipped(label, f"invalid JSON on line {number}: {exc.msg} "
                              f"(column {exc.colno})", MalformedInputError.code)
    except ValueError:
        return Skipped(label, number_too_long(), MalformedInputError.code)
    except RecursionError:
        return Skipped(label, NESTED_TOO_DEEP, MalformedInputError.code)
    return read_record(item, label, settings, meta)


READERS: dict[str, Reader] = {
    "text": read_text,
    "markdown": read_markdown,
    "html": read_html,
    "json": read_json,
    "jsonl": read_jsonl,
}


def read_record(
    item: Any, label: str, settings: Settings, meta: Meta | None = None
) -> Article | Skipped:
    """An article from one JSON-like record (any of FIELD_NAMES), or why it is skipped."""
    meta = meta or {}
    try:
        if not isinstance(item, dict):
            raise MalformedInputError(f"expected an article object, got {type(item).__name__}")
        fields = {**meta, **record_fields(item)}
        text = fields.pop("text", None)
        if text is not None and not isinstance(text, str):
            raise MalformedInputError(f"article text is {_json_kind(text)}: expected a string, "
                                      "or a list of strings (one a paragraph)")
        if not isinstance(text, str) or not text.strip():
            names = ", ".join(FIELD_NAMES["text"])
            raise MalformedInputError(f"article has no text (expected a field: {names})")
        if _HTML_SNIFF.search(text[:1024]) and text.lstrip().startswith("<"):
            extracted = extract_html(text, url=fields.get("url"))
            text = extracted.pop("text")
            fields = {**extracted, **fields}
        return make_article(text, label, settings, fields)
    except InputError as exc:
        return Skipped(label, exc.detail, exc.code)


def _json_kind(value: Any) -> str:
    """What a JSON value is, in words: "a number", "a list"…"""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list of other things than strings"
    return type(value).__name__


def _metadata_text(value: Any) -> str | None:
    """A metadata field's value as text: a string or a number as written, an object by its
    name or title (NewsAPI's "source": {"id": …, "name": …}, an author {"name": …}), a list
    as its items' texts joined ("authors": ["A", {"name": "B"}]); anything else none (a
    nested list's or an object's Python spelling was taken for a title or an author)."""
    if isinstance(value, list):
        return ", ".join(t for t in map(_metadata_item, value) if t and not is_blank(t)) or None
    return _metadata_item(value)


def _metadata_item(value: Any) -> str | None:
    """One value's text; none for a blank string (``"author": " "`` is no author, and the
    next accepted name is read) and for an object whose name and title are both blank."""
    if isinstance(value, dict):
        names = (value.get(key) for key in ("name", "title"))
        return next(filter(None, (_metadata_item(n) for n in names if not isinstance(n, dict))),
                    None)
    if isinstance(value, str):
        return None if is_blank(value) else value
    if _is_number(value):
        return str(value)
    return None


def is_blank(text: str) -> bool:
    """Whether ``text`` shows nothing: only white space, separators (Unicode's Z*) and
    format characters (Cf: a byte order mark, zero-width spaces and joiners). A text of
    only "\\ufeff" or "\\u200b \\u200b" hid the body behind it, as " " did."""
    return all(ch.isspace() or unicodedata.category(ch)[0] == "Z"
               or (unicodedata.category(ch) == "Cf" and ch not in _PREPENDED_MARKS)
               for ch in text)


# Unicode's Prepended_Concatenation_Mark set (PropList.txt): format characters (Cf) that are
# drawn (the Arabic number sign U+0600, the end of ayah U+06DD), so a text of them is not blank.
_PREPENDED_MARKS = frozenset(
    "\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2"
    "\U000110bd\U000110cd")


def record_fields(item: dict[str, Any]) -> dict[str, Any]:
    """Map a JSON record's field names onto ours (see FIELD_NAMES)."""
    fields: dict[str, Any] = {}
    for ours, theirs in FIELD_NAMES.items():
        for key in theirs:
            value = item.get(key)
            if ours != "text":
                value = _metadata_text(value)
            elif isinstance(value, dict):
                value = value.get("name") or value.get("title")
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                # a scraper's paragraphs (["First.", "Second."]): one a paragraph
                value = "\n\n".join(v.strip() for v in value if not is_blank(v))
            if ours == "text" and isinstance(value, str) and is_blank(value):
                value = None  # a blank text (" ") is none, as [" "] is: the body is read
            if value not in (None, ""):
                if _is_number(value) and ours == "published":
                    pass  # a Unix time, read as one by normalise_published (review R30)
                elif ours != "text" or isinstance(value, str):
                    # what the input holds, kept: each lone surrogate U+FFFD (the one rule:
                    # refuse_lone_surrogate)
                    value = valid_unicode(str(value))
                fields[ours] = value
                break
    return fields


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def valid_unicode(text: str) -> str:
    """JSON may escape a lone surrogate ("\\ud800"), and the system gives a name's bytes that
    are not UTF-8 as lone surrogates (a file name, a command-line argument): no UTF-8 output
    can hold one (the article id, the JSON, the library all encode the text), so each in
    what an article's input holds (its text, title, outlet, author, date, URL) becomes
    U+FFFD (a value a person gives holding one is refused: refuse_lone_surrogate)."""
    return _SURROGATE.sub("\ufffd", text)


def lone_surrogate(text: str) -> str | None:
    """The first lone surrogate in ``text`` (see valid_unicode), None when it holds none."""
    found = _SURROGATE.search(text)
    return found.group() if found else None


def refuse_lone_surrogate(value: str | None, what: str) -> None:
    """MalformedInputError (E105) for a value a person gives (a story's name, a correction,
    a note, a query, an id) holding a lone surrogate. The one rule: what an article's input
    holds (its text and metadata, from a feed, a page, a file) is kept, each lone surrogate
    made U+FFFD (valid_unicode: one broken character lost, never the article); a value a
    person gives is refused whole, never changed behind their back: they can send it
    again."""
    found = lone_surrogate(value or "")
    if found is not None:
        raise MalformedInputError(f"{what} holds U+{ord(found):04X}, a lone surrogate, which "
                                  "is not text: send it as UTF-8")


def split_front_matter(text: str) -> tuple[Meta, str]:
    """``---`` / ``key: value`` / ``---`` at the very top of a text file, as metadata."""
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if not match:
        return {}, text
    front: Meta = {}
    for line in match.group(1).splitlines():
        kv = _FRONT_KEY.match(line)
        if kv:
            front[kv.group(1).lower()] = kv.group(2).strip().strip("\"'")
    aliases = {k: ours for ours, theirs in FIELD_NAMES.items() for k in theirs}
    mapped = {aliases.get(k, k): v for k, v in front.items() if v}
    return mapped, text[match.end():]


def make_article(text: str, name: str, settings: Settings, fields: Meta) -> Article:
    """Build an Article from text and metadata; checks size and emptiness."""
    size = len(text.encode("utf-8"))
    if size > settings.max_text_bytes:
        raise OversizedInputError(
            f"text is {_mb(size)}, over the limit of {_mb(settings.max_text_bytes)} "
            "(setting max_text_bytes)"
        )
    if fields.get("wrapped"):
        text = unwrap_lines(text)
    if not text.strip():
        raise EmptyInputError("article text is empty")
    url = fields.get("url") or None
    return Article(
        id=article_id(text),
        source=source_label(one_line(fields.get("source")), url, name),
        text=text,
        input=name,
        title=one_line(fields.get("title")),
        url=url,
        published=_published(fields.get("published"), name),
        author=one_line(fields.get("author")),
        encoding=fields.get("encoding"),
    )


def one_line(value: str | None) -> str | None:
    """A title, an outlet or an author as one line of text: a terminal's escape sequences
    (``\x1b[31m``) taken out, every other control character (NUL, a line or paragraph
    separator) and run of white space made one space; None when nothing is left. Such
    characters in a feed's metadata are junk, and in a title they reach the terminal, the
    Markdown table and the page: a NUL, a colour, a line break inside a table row."""
    if value is None:
        return None
    text = _BIDI_CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", str(value)))
    text = _WHITE_RUN.sub(" ", _LINE_CONTROL.sub(" ", text)).strip()
    return text or None


# A terminal escape sequence: CSI ("\x1b[31m") or OSC ("\x1b]8;;url\x07"), or ESC and one
# character.
_ESCAPE_SEQUENCE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|.)?",
                              re.DOTALL)
_WHITE_RUN = re.compile(r"\s+")
# C0 and C1 controls, DEL, the line and paragraph separators: a space; the directional
# embeddings, overrides and isolates (which reorder what a reader sees): nothing.
_LINE_CONTROL = re.compile(f"[{_LINE_CONTROLS}]")
_BIDI_CONTROL = re.compile(f"[{_BIDI_CONTROLS}]")


def _published(value: Any, name: str) -> str | None:
    """The publication date of input ``name``: one it cannot read is dropped with a warning
    (the article is still stored, without a date)."""
    published = normalise_published(value)
    if published is None and value not in (None, ""):
        _warn("%s: %s is not a date it can read; the article is stored without one", name,
              repr(value)[:60])
    return published


def source_label(source: str | None, url: str | None, name: str) -> str:
    """Who published it: the metadata's name, else the site of the url, else the file name.

    A host name, given as the outlet or taken from the url, is made readable and the same
    for every page of a site: ``www.theguardian.com`` and ``m.theguardian.com`` are both
    ``theguardian.com`` (:func:`outlet_from_host`).
    """
    if source and source.strip():
        source = " ".join(source.split())
        return outlet_from_host(source) if _HOST_NAME.fullmatch(source) else source
    for candidate in (url, name if is_url(name) else None):
        if candidate:
            try:
                host = urlparse(candidate).hostname or ""
            except ValueError:  # a malformed url ("http://[::1") names no site
                host = ""
            if host:
                return outlet_from_host(host)
    base = re.split(r"[:#]\d+$", name)[0]
    if base == "-":  # standard input, or a record of it ("-:3", "-#2")
        return "stdin"
    # The file's name without its extension; a suffix that is no extension (a wire story's
    # number, APW19981016.0240: read_by_content) stays, so that each such file is its own.
    path = Path(base)
    return (path.name if read_by_content(path.name) else path.stem) or base


# A host name (not an outlet's written name): dot-separated labels, a final one of letters.
_HOST_NAME = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
                        r"(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})\.?")
# The labels a site puts before its name for its web server, its mobile or its AMP pages:
# they name the same outlet as the bare domain (the GVA stream has both m.wsbtv.com and
# wsbtv.com). A subdomain that is a section or an edition of its own (chicago.suntimes.com,
# news.bbc.co.uk) is kept: nothing but the public suffix list, a download, would tell a
# site's own name from a shared suffix in every case.
_SERVER_LABEL = re.compile(r"(?:www\d{0,3}|m|mobile|amp)\.", re.I)


def outlet_from_host(host: str) -> str:
    """An outlet name from a host: lower case, without a leading ``www.``, ``m.``,
    ``mobile.`` or ``amp.`` (while a dot is left), internationalised names in their own
    letters (``xn--…`` decoded)."""
    host = host.strip().rstrip(".").lower()
    while True:
        match = _SERVER_LABEL.match(host)
        if match is None or "." not in host[match.end():]:
            break
        host = host[match.end():]
    if "xn--" in host:
        with contextlib.suppress(UnicodeError):  # not valid punycode: kept as written
            host = host.encode("ascii").decode("idna")
    return host


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# A Unix time as a feed writes it: a number, or a string of 10 digits (seconds: 2001 to 2286)
# or 13 (milliseconds, JavaScript's Date.now()); other lengths are dates written without
# separators (8 digits 20240301, 12 digits 202403011200, 14 digits 20240301120000) or nothing.
# From UNIX_MILLISECONDS on a number counts milliseconds (1e11 seconds would be the year 5138).
_UNIX_TIME = re.compile(r"(?:\d{10}|\d{13})(?:\.\d+)?")
UNIX_MILLISECONDS = 1e11
# The zone names a date may end with that are read as their offset, the same on every
# machine (review R30: dateutil gave a name the machine's own zone has the machine's offset,
# so the same feed stored another date in Paris than in London). E-mail's names (RFC 822,
# as the e-mail spelling reads them) and common ones that name one zone; any other name
# ('IST': India, Ireland or Israel) gives the time without an offset, as written.
ZONE_HOURS: dict[str, int] = {
    "UT": 0, "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 1, "CET": 1, "CEST": 2,
    "EET": 2, "EEST": 3, "MSK": 3, "JST": 9, "KST": 9, "HKT": 8, "SGT": 8, "AEST": 10,
    "AEDT": 11, "NZST": 12, "NZDT": 13, "AST": -4, "ADT": -3, "EST": -5, "EDT": -4,
    "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9,
    "AKDT": -8, "HST": -10,
}


def _zone(name: str | None, offset: int | None) -> tzinfo | None:
    """dateutil's zone for a date's zone ``name`` or numeric ``offset`` (seconds): never the
    machine's own zone (see ZONE_HOURS)."""
    from dateutil import tz

    if offset is None:
        hours = ZONE_HOURS.get((name or "").upper())
        if hours is None:
            return None
        offset = hours * 3600
    zone: tzinfo = tz.UTC if offset == 0 else tz.tzoffset(name, offset)
    return zone


def normalise_published(value: Any) -> str | None:
    """An ISO 8601 date (or date-time, when a time is given) from the usual date spellings;
    a Unix time (a number, or a string of 10 or 13 digits; milliseconds from
    UNIX_MILLISECONDS on) is its day in UTC."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if _is_number(value) or _UNIX_TIME.fullmatch(text):
        try:
            seconds = float(value)
            if abs(seconds) >= UNIX_MILLISECONDS:
                seconds /= 1000
            # A Unix time is a moment: its day is the day in UTC, so that every machine,
            # whatever its time zone, stores the same date.
            return datetime.fromtimestamp(seconds, UTC).date().isoformat()
        except (ValueError, OverflowError, OSError):  # NaN, infinity, past year 9999
            return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    else:
        # No time written (2024-03-01, 20240301, 2024-W09-5): the day alone (review R30);
        # ISO 8601 writes a time after a T (or a space).
        if not re.search(r"[Tt ]", text):
            return parsed.date().isoformat()
        return parsed.isoformat()
    try:
        return parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    from dateutil import parser as dateparser

    try:
        parsed = dateparser.parse(text, default=datetime(1, 1, 1), tzinfos=_zone)
    except (ValueError, OverflowError):
        return None
    if parsed.year == 1:
        return None
    try:
        # dateutil takes any offset ('-9999', '+24:00'); a datetime holds one under a day,
        # so a larger one is no date (review R28: isoformat raised, a 500 from the API).
        offset = parsed.utcoffset()
    except ValueError:
        return None
    # dateutil gives a date without a time as midnight: that is the day alone, as is a
    # midnight at offset zero; a midnight at another offset is a time in its zone, kept as
    # the ISO and e-mail spellings of it are (review R28: its offset was dropped).
    if parsed.hour == parsed.minute == parsed.second == 0 and not offset:
        return date(parsed.year, parsed.month, parsed.day).isoformat()
    return str(parsed.isoformat())


_SENTENCE_END = re.compile(r"""[.!?:;"”’)\]]\s*$""")


def _looks_hard_wrapped(text: str) -> bool:
    """Plain text wrapped at a fixed width (as wire services and e-mail send it).

    True when most lines inside blank-line-separated blocks run on without ending a sentence
    and none is much longer than a terminal line.
    """
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) < 6 or max(len(ln) for ln in lines) > 100:
        return False
    inner = [ln for ln, nxt in itertools.pairwise(lines) if nxt.strip()]
    running_on = sum(1 for ln in inner if not _SENTENCE_END.search(ln) and len(ln) > 40)
    return running_on > len(inner) * 0.5


_ITEM = re.compile(LIST_MARK + r"\s")
_NUMBERED = re.compile(r"\d")


def _continues(before: str, line: str) -> bool:
    """Whether ``line`` of a hard-wrapped block runs on from the text ``before`` it."""
    if not _ITEM.match(line):
        return True
    if not _NUMBERED.match(line):
        return False
    return not (_SENTENCE_END.search(before) or _ITEM.match(before))


def unwrap_lines(text: str) -> str:
    """Join the lines of each blank-line-separated block into one paragraph line.

    Lines that look like list items are kept on their own. A numbered one ("10. The …") only
    after a line that ends a sentence or a colon, or another list item: else its number is
    the wrapped end of the sentence before ("announced at about\n10. The opposition …").
    """
    blocks = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n"))
    out = []
    for block in blocks:
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        joined: list[str] = []
        for line in lines:
            if joined and _continues(joined[-1], line):
                joined[-1] += " " + line
            else:
                joined.append(line)
        out.append("\n".join(joined))
    return "\n\n".join(out)


# --- fetching ------------------------------------------------------------------------------

_CONTENT_KINDS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "text/plain": "text",
    "text/markdown": "markdown",
}


def fetch(url: str, client: httpx.Client, settings: Settings) -> tuple[bytes, str | None, Meta]:
    """GET a URL through ``client``; returns (body, kind, metadata), raising FetchError."""
    limit = _file_limit(settings, "html")
    try:
        with client.stream(
            "GET", url, timeout=settings.fetch_timeout, follow_redirects=True,
            headers={"User-Agent": settings.user_agent},
        ) as response:
            if response.status_code >= 400:
                raise FetchError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise OversizedInputError(f"response is over {_mb(limit)}")
                chunks.append(chunk)
            ctype = response.headers.get("content-type", "")
            final_url = str(response.url)
    except httpx.TimeoutException:
        raise FetchError(f"timed out after {settings.fetch_timeout:g} s") from None
    except httpx.ConnectError as exc:
        raise FetchError(f"could not connect (no network, or host unreachable): {exc}") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"request failed: {exc}") from None
    except (httpx.InvalidURL, UnicodeError) as exc:  # neither is an HTTPError
        # "http://[::1", a host name over 63 letters a label: bad input, not a crash
        raise FetchError(f"not a valid web address: {exc}") from None
    mime, _, params = ctype.partition(";")
    mime = mime.strip().lower()
    kind = _CONTENT_KINDS.get(mime)
    if mime and kind is None and not mime.startswith("text/"):
        raise MalformedInputError(f"unsupported content type {mime!r}")
    charset = re.search(r"charset=([\w.:-]+)", params)
    meta: Meta = {"url": final_url}
    if charset:
        meta["charset"] = charset.group(1)
    return b"".join(chunks), kind or ("text" if mime else None), meta


def _file_limit(settings: Settings, kind: str | None) -> int:
    limit: int = settings.max_text_bytes
    if kind in ("html", None):
        return limit * int(settings.html_markup_factor)
    return limit


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size:,} bytes"
