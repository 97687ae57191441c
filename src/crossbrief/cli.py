"""The ``crossbrief`` command: parses flags, calls the library, writes the output.

Exit codes: 0 every input was read; 2 some inputs were skipped (each is named on stderr);
1 no input could be read, or the run failed (bad config, model missing); 64 bad usage.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import json
import logging
import os
import re
import secrets
import shutil
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import click

from . import __version__
from .config import SETTINGS_BY_NAME, Settings, load_settings
from .errors import CrossbriefError, OutputError
from .ingest import escaped_name, refuse_lone_surrogate
from .model import Brief, Skipped
from .pipeline import analyze
from .render import RenderOptions, formats, no_color_requested, plural, render, terminal_console
from .render.stories import iter_render_stories, stories_formats
from .storylist import BRIEF_MIN_ARTICLES, BriefNotes, StoryList, stream_stories

if TYPE_CHECKING:
    from .store import Library, LibraryStory

EXIT_OK, EXIT_FAILED, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2, 64
T = TypeVar("T")

EXAMPLE = "maravel-bridge"


class _Text(click.ParamType):  # type: ignore[type-arg]  # generic only from click 8.2
    """A command-line word that is text, not a path (a query, a story's name, an id, a note):
    one holding bytes that are not UTF-8, which the system hands over as lone surrogates
    that no library or output can hold, is refused as the library refuses it (E105, exit
    code 1, before any work; a path keeps them, to open the file)."""

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if isinstance(value, str):
            what = param.get_error_hint(ctx) if param is not None and ctx is not None else ""
            refuse_lone_surrogate(value, what or "a word of the command")
        return value


TEXT = _Text()


def example_path(name: str = EXAMPLE) -> Path:
    """Directory of a bundled example story."""
    return Path(str(resources.files("crossbrief") / "examples" / name))


# Width of help text when standard output is not a terminal.
_PIPED_HELP_WIDTH = 80


class _Group(click.Group):
    """Maps errors onto the documented exit codes (click alone uses 2 for usage errors), and
    wraps help text to a fixed width when standard output is not a terminal."""

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        # click wraps help to $COLUMNS (or the terminal's width) even in a pipe, so that
        # `crossbrief --help | cat` differed from one machine to the next; commands inherit
        # the width from this context.
        if not sys.stdout.isatty():
            extra.setdefault("terminal_width", _PIPED_HELP_WIDTH)
        return super().make_context(info_name, args, parent, **extra)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            result = super().main(*args, **kwargs)
        except click.UsageError as exc:
            exc.show()
            sys.exit(EXIT_USAGE)
        except click.ClickException as exc:
            exc.show()
            sys.exit(EXIT_FAILED)
        except click.exceptions.Abort:
            click.echo("Aborted.", err=True)
            sys.exit(EXIT_FAILED)
        except CrossbriefError as exc:
            click.echo(f"crossbrief: error: {exc}", err=True)
            sys.exit(EXIT_FAILED)
        sys.exit(result if isinstance(result, int) else EXIT_OK)


def _output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    return _output_options_for(formats())(func)


def _output_options_for(
        choices: Sequence[str]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The output options of ``analyze``, with ``choices`` for ``-f``."""
    return lambda func: _add_output_options(func, choices)


def _writable_output(ctx: click.Context, param: click.Parameter,
                     value: str | None) -> str | None:
    """``-o FILE`` checked before any work is done: a run of minutes must not end in a
    folder it cannot write to (``[E600]``, exit code 1). An empty FILE (``-o ''``, a script's
    unset variable) names no file: refused, not taken for standard output."""
    if value == "":
        raise OutputError("cannot write '': an empty path names no file (leave -o out to "
                          "write to standard output)")
    if value:
        problem = output_problem(Path(value))
        if problem:
            raise OutputError(f"cannot write {value}: {problem}")
    return value


def _add_output_options(func: Callable[..., Any], choices: Sequence[str]) -> Callable[..., Any]:
    options = [
        click.option("-f", "--format", "fmt", type=click.Choice(list(choices)), default="term",
                     show_default=True, help="Output format."),
        click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True),
                     callback=_writable_output,
                     help="Write the output to FILE (atomically) instead of stdout."),
        click.option("--width", type=click.IntRange(40, 400), default=None,
                     help="Width of terminal output (default: the terminal's)."),
        click.option("-c", "--config", type=click.Path(exists=True, dir_okay=False),
                     help="TOML file of settings (see docs/configuration.md)."),
        click.option("--max-text-bytes", type=click.IntRange(1), default=None,
                     help=SETTINGS_BY_NAME["max_text_bytes"].help),
        click.option("--spacy-model", default=None, help=SETTINGS_BY_NAME["spacy_model"].help),
        click.option("--summary-sentences", type=click.IntRange(0), default=None,
                     help=SETTINGS_BY_NAME["summary_sentences"].help),
        click.option("--summary-words", type=click.IntRange(0), default=None,
                     help=SETTINGS_BY_NAME["summary_words"].help),
        click.option("--summary-bytes", type=click.IntRange(0), default=None,
                     help=SETTINGS_BY_NAME["summary_bytes"].help),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar."),
        click.option("-v", "--verbose", is_flag=True,
                     help="On stderr, the traceback of each failure inside a stage."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="crossbrief")
def cli() -> None:
    """crossbrief: what many outlets say about one story, with a citation for every line.

    Run `crossbrief demo` to see it on the bundled example, or
    `crossbrief analyze ARTICLES...` on your own files, folders, globs, URLs or - (stdin).
    """


_DB_HELP = ("Library database (default: $CROSSBRIEF_DB, else library.db in the user data "
            "directory).")


def _db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", type=click.Path(dir_okay=False), default=None,
                        help=_DB_HELP)(func)


@cli.command("analyze")
@click.argument("inputs", nargs=-1)
@_output_options
@_db_option
@click.option("--story", default=None, type=TEXT,
              help="With --db: the story to store the inputs under (replacing its articles), "
                   "or, without inputs, the stored story to analyse.")
def analyze_command(inputs: Sequence[str], db: str | None, story: str | None,
                    **options: Any) -> int:
    """Analyse the articles in INPUTS (files, directories, globs, http(s) URLs, or -).

    Supported: .txt, .md, .html/.htm, .json (an article or a list), .jsonl (one per line).
    Inputs that cannot be read are named on stderr and skipped; the rest are analysed.
    With --db and --story, the articles and the brief are kept in a library.
    """
    if story is None and db is None:
        if not inputs:
            raise click.UsageError("give INPUT... (or --db with --story)")
        return _run(list(inputs), **options)
    if story is None:
        raise click.UsageError("--db needs --story NAME (the story to analyse or store)")
    return _run_story(list(inputs), db, story, **options)


@cli.command("prepare")
def prepare_command() -> int:
    """Build the static sentence embeddings from the bundled encoder (once per machine).

    Part of the install command; without it, the first analysis does it (one to two minutes).
    """
    from .nlp import prepare_static

    settings = load_settings()
    with stdout_to_stderr():
        path = prepare_static(settings.encoder_model, log=lambda m: click.echo(m, err=True))
    echo(f"static embeddings ready: {path}")
    return EXIT_OK


@cli.command("demo")
@_output_options
def demo_command(**options: Any) -> int:
    """Analyse the bundled example story (six fictional outlets on one event)."""
    return _run([str(example_path())], **options)


def _run(
    inputs: list[str],
    *,
    fmt: str,
    output: str | None,
    width: int | None,
    config: str | None,
    max_text_bytes: int | None,
    spacy_model: str | None,
    quiet: bool,
    verbose: bool = False,
    summary_sentences: int | None = None,
    summary_words: int | None = None,
    summary_bytes: int | None = None,
) -> int:
    settings = load_settings(config, max_text_bytes=max_text_bytes, spacy_model=spacy_model,
                             summary_sentences=summary_sentences, summary_words=summary_words,
                             summary_bytes=summary_bytes)
    _log_failures(verbose)
    with stdout_to_stderr():
        corpus = _analyze_with_progress(inputs, settings, quiet=quiet)
    _echo_skipped(corpus.skipped)
    _echo_failures(corpus)
    _write(corpus, fmt=fmt, output=output, width=width)
    return exit_code(corpus)


def _run_story(inputs: list[str], db: str | None, story: str, *, config: str | None,
               max_text_bytes: int | None, spacy_model: str | None, quiet: bool,
               verbose: bool = False, summary_sentences: int | None = None,
               summary_words: int | None = None, summary_bytes: int | None = None,
               **output: Any) -> int:
    from .store import Library

    settings = load_settings(config, max_text_bytes=max_text_bytes, spacy_model=spacy_model,
                             summary_sentences=summary_sentences, summary_words=summary_words,
                             summary_bytes=summary_bytes)
    _log_failures(verbose)
    # Only storing inputs may create the library: reading a story from a mistyped path is
    # an error, not a new empty library.
    with stdout_to_stderr(), Library(db, create=bool(inputs)) as library:
        skipped = []
        if inputs:
            # A name the new story cannot have is refused before the inputs are stored
            # (review R30: they were stored, then the name refused).
            library.check_story_name(story)
            result = library.ingest(inputs, settings)
            skipped = result.skipped
            _echo_skipped(skipped)
            if not result.ids:
                return EXIT_FAILED
            library.create_story(story, result.ids)
        corpus = Brief.from_dict(library.brief(story, settings))
    corpus.skipped = [*skipped, *corpus.skipped]
    _echo_failures(corpus)
    _write(corpus, title=story, **output)
    return exit_code(corpus)


def _echo_failures(corpus: Brief) -> None:
    for failure in corpus.failures:
        click.echo(f"crossbrief: {failure.stage} not built: {failure.reason} [{failure.code}]",
                   err=True)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes each record to ``sys.stderr`` as it is when the record comes (a test runner
    swaps it between commands), as ``crossbrief: MESSAGE``."""

    def __init__(self) -> None:
        super().__init__()
        self.setFormatter(logging.Formatter("crossbrief: %(message)s"))

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


_STDERR = _StderrHandler()


def _log_failures(verbose: bool) -> None:
    """The library's warnings (articles set apart from the story) go to stderr, and with
    --verbose its debug log too (tracebacks of failures inside stages)."""
    logger = logging.getLogger("crossbrief")
    if _STDERR not in logger.handlers:
        logger.addHandler(_STDERR)
    _STDERR.setLevel(logging.DEBUG if verbose else logging.WARNING)
    if verbose:
        logger.setLevel(logging.DEBUG)


@contextlib.contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """While the library works, whatever is written to stdout goes to stderr instead: a C
    library's banner on file descriptor 1 (the summary's solver prints one), a stray print.
    Stdout then carries only the output that was asked for, written after this block."""
    sys.stdout.flush()
    try:
        saved = os.dup(1)
        os.dup2(2, 1)
    except OSError:  # no usable descriptor 1 or 2: nothing to protect, or nowhere to send it
        yield
        return
    real = sys.stdout
    sys.stdout = sys.stderr
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
        sys.stdout = real
        os.dup2(saved, 1)
        os.close(saved)


def _echo_skipped(skipped: Sequence[Skipped]) -> None:
    for item in skipped:
        click.echo(f"crossbrief: skipped {item.input}: {item.reason} [{item.code}]", err=True)


def _write(corpus: Brief, *, fmt: str, output: str | None, width: int | None,
           title: str | None = None) -> None:
    _emit(lambda options: render(corpus, fmt, options), fmt=fmt, output=output, width=width,
          title=title)


def _emit(make: Callable[[RenderOptions], str], *, fmt: str, output: str | None,
          width: int | None, title: str | None = None) -> None:
    """Render with options fitting where the output goes, then write it there."""
    _emit_chunks(lambda options: [make(options)], fmt=fmt, output=output, width=width,
                 title=title)


def _emit_chunks(make: Callable[[RenderOptions], Iterable[str]], *, fmt: str,
                 output: str | None, width: int | None, title: str | None = None) -> None:
    """As :func:`_emit`, for output made in pieces: each is written as it is made."""
    to_terminal = output is None and sys.stdout.isatty()
    chunks = make(RenderOptions(
        width=width or (shutil.get_terminal_size().columns if to_terminal else 100),
        color=to_terminal and fmt == "term" and not no_color_requested(),
        title=title,
    ))
    if output is not None:
        write_atomic_chunks(Path(output), chunks)
    else:
        # one for the run (a BOM, utf-16, once, not per chunk); terminal text only
        encoder = None if fmt in _UTF8_FORMATS else _terminal_encoder()
        for chunk in chunks:
            echo_output(chunk, fmt, encoder)


# Formats written as UTF-8 on any standard output: file formats conventionally UTF-8 (JSON
# by its standard, the HTML page by its <meta charset="utf-8">, Markdown as CommonMark and
# GitHub read it). Terminal text is a view for the terminal, in its own encoding.
_UTF8_FORMATS = frozenset({"json", "html", "md"})


def echo_output(text: str, fmt: str,
                encoder: codecs.IncrementalEncoder | None = None) -> None:
    """Rendered output of format ``fmt`` on standard output, whatever its encoding.

    JSON, HTML and Markdown are written as UTF-8 bytes under any locale: an escape written
    for a character the encoding cannot hold made invalid JSON (``\\U0001f600``) and a
    literal ``\\u2014`` in a page. Terminal text is written in the stream's encoding, with
    the stream's own error handler (``PYTHONIOENCODING=ascii:replace``), or ``replace`` when
    that is strict: the renderer's own dashes, arrows and rules could never be written under
    ``latin-1`` or ``ascii`` otherwise; the lossless output is ``-f json``/``md``/``html``
    or ``-o``. Output written in pieces shares one ``encoder`` (:func:`_terminal_encoder`),
    so that a stateful encoding (``utf-16``) writes its byte order mark once. A failure to
    write (a full disk) is an OutputError (``[E600]``)."""
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:  # a stream of text only (an embedding program's): it takes str
        echo(text, nl=False)
        return
    if fmt in _UTF8_FORMATS:
        data = text.encode("utf-8", "backslashreplace")  # a lone surrogate
    else:
        data = (encoder or _terminal_encoder()).encode(text)
    with _stdout_errors():
        sys.stdout.flush()
        binary.write(data)
        binary.flush()


def _terminal_encoder() -> codecs.IncrementalEncoder:
    """An encoder to standard output's encoding, with its error handler where that is not
    strict, else (or where the handler cannot hold a character either, as
    ``surrogateescape`` cannot) with ``replace``; UTF-8 with escapes for an encoding or
    handler Python does not know."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    errors = getattr(sys.stdout, "errors", None) or "strict"
    try:
        make = codecs.getincrementalencoder(encoding)
        handler = codecs.lookup_error(errors)
    except LookupError:
        return codecs.getincrementalencoder("utf-8")("backslashreplace")
    name = f"crossbrief.terminal.{errors}"
    try:
        codecs.lookup_error(name)
    except LookupError:
        codecs.register_error(name, _or_replace(handler))
    return make("replace" if errors == "strict" else name)


def _or_replace(handler: Callable[[UnicodeError], tuple[str | bytes, int]]
                ) -> Callable[[UnicodeError], tuple[str | bytes, int]]:
    """``handler``, or ``replace`` where it cannot hold the character either."""
    def handle(exc: UnicodeError) -> tuple[str | bytes, int]:
        try:
            return handler(exc)
        except UnicodeError:
            return codecs.replace_errors(exc)
    return handle


def echo(text: str, *, nl: bool = True) -> None:
    """``text`` (a short message: a summary line, names) on standard output; one that
    cannot take it (a full disk) is an OutputError (``[E600]``), not a traceback. A
    character that its encoding cannot hold (a lone surrogate, anything under
    ``PYTHONIOENCODING=ascii``) is written as an escape; rendered output goes through
    :func:`echo_output` instead."""
    with _stdout_errors():
        try:
            click.echo(text, nl=nl)
        except UnicodeEncodeError:  # an encoding that cannot hold the text (ascii, strict)
            encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
            click.echo(text.encode(encoding, "backslashreplace").decode(encoding), nl=nl)


@contextlib.contextmanager
def _stdout_errors() -> Iterator[None]:
    """A failure to write standard output (a full disk) as an OutputError (``[E600]``)."""
    try:
        yield
    except OSError as exc:
        if exc.errno == errno.EPIPE:  # a reader that stopped (`| head`): click's own case
            raise
        raise OutputError(f"cannot write to standard output: {exc.strerror or exc}") from None


@cli.command("ingest")
@click.argument("inputs", nargs=-1, required=True)
@_db_option
@click.option("-c", "--config", type=click.Path(exists=True, dir_okay=False),
              help="TOML file of settings (see docs/configuration.md).")
def ingest_command(inputs: Sequence[str], db: str | None, config: str | None) -> int:
    """Store the articles in INPUTS in the library (as `analyze` reads them).

    Articles already stored (same text) are left as they are. Prints how many were added
    and already present, and each input skipped with the reason.
    """
    from .store import Library

    settings = load_settings(config)
    with Library(db) as library:
        with stdout_to_stderr():
            result = library.ingest(list(inputs), settings)
        _echo_skipped(result.skipped)
        stories = library.count_stories("auto")
        echo(f"{len(result.added)} added, {len(result.existing)} already present "
             f"({plural(library.count(), 'article')} in {stories} automatic "
             f"{'story' if stories == 1 else 'stories'}, in {escaped_name(str(library.path))})")
    if not result.ids:
        return EXIT_FAILED
    return EXIT_PARTIAL if result.skipped else EXIT_OK


@cli.command("search")
@click.argument("query", type=TEXT)
@_db_option
@click.option("-n", "--limit", type=click.IntRange(1), default=20, show_default=True,
              help="Most articles to list.")
def search_command(query: str, db: str | None, limit: int) -> int:
    """Full-text search of the library's articles (title and text), best match first.

    Every word must appear; punctuation and operators are searched for as words.
    """
    from .store import Library

    with stdout_to_stderr(), Library(db, create=False) as library:
        hits = library.search(query, limit)
    if sys.stdout.isatty():
        from rich.table import Table
        from rich.text import Text

        table = Table("id", "source", "title", "snippet", show_lines=True)
        for hit in hits:  # Text, never markup: these are the articles' own words
            table.add_row(*map(Text, (hit.id, hit.source, hit.title or "", hit.snippet)))
        terminal_console().print(table)
    else:
        for hit in hits:
            echo("\t".join((hit.id, hit.source, hit.title or "",
                             " ".join(hit.snippet.split()))))
    return EXIT_OK


@cli.command("stories")
@click.argument("inputs", nargs=-1)
@_output_options_for(stories_formats())
@_db_option
@click.option("--brief", "briefs", is_flag=True,
              help="Add each story's brief (stories of two or more articles): the whole "
                   "pipeline runs on each, so this takes as long as `analyze` on them.")
@click.option("--kind", type=click.Choice(["auto", "named"]), default=None,
              help="With --db: only the automatic stories, or only the named ones.")
@click.option("--workers", type=click.IntRange(1), default=None, metavar="N",
              help="Group the stream with N processes extracting the articles' terms "
                   "(streams of 5,000 articles or more; docs/stories.md) and, with --brief, "
                   "make the briefs on a Dask cluster of N worker processes on this "
                   "machine (docs/scale.md). The stories are the same for any N.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="With --brief: make the briefs on the Dask cluster whose scheduler "
                   "listens at ADDRESS, e.g. tcp://HOST:8786 (docs/scale.md).")
def stories_command(inputs: Sequence[str], db: str | None, briefs: bool, kind: str | None,
                    workers: int | None, scheduler: str | None, **options: Any) -> int:
    """Group the articles in INPUTS (as `analyze` reads them) into stories; without
    INPUTS, list the library's stories (--db, else the default library).

    Each story is one event: its articles, outlets, first and last publication dates.
    Inputs that cannot be read are named on stderr and skipped; the rest are grouped.
    """
    if inputs and db is not None:
        raise click.UsageError("give INPUT... or --db, not both (`crossbrief ingest` adds "
                               "articles to the library, which groups them)")
    if kind is not None and inputs:
        raise click.UsageError("--kind lists the library's stories: give it without INPUT")
    if scheduler is not None and not briefs:
        raise click.UsageError("--scheduler makes the briefs: give --brief too")
    if workers is not None and scheduler is not None:
        raise click.UsageError("give --workers (a cluster on this machine) or --scheduler "
                               "(an existing cluster), not both")
    output = {k: options.pop(k) for k in ("fmt", "output", "width")}
    quiet, verbose = options.pop("quiet"), options.pop("verbose")
    settings = load_settings(options.pop("config"), **options)
    _log_failures(verbose)
    # The run's temporary file (articles and briefs: crossbrief.spill), or the library whose
    # stored briefs are listed, stays open until the output, read from it a story at a time,
    # is written.
    with contextlib.ExitStack() as spilled:
        with stdout_to_stderr(), _cluster(workers if briefs else None, scheduler,
                                          quiet=quiet) as cluster, \
                _brief_progress(quiet=quiet or not briefs) as brief_progress:
            if not inputs:
                found = _library_stories(db, kind, briefs, settings, cluster, brief_progress,
                                         spilled)
            else:
                found = _with_progress(
                    list(inputs), settings, quiet=quiet,
                    run=lambda progress: spilled.enter_context(stream_stories(
                        inputs, settings, briefs=briefs, progress=progress, cluster=cluster,
                        brief_progress=brief_progress, workers=workers or 1)))
        _echo_skipped(found.skipped)
        partial = bool(found.skipped)
        for notes in found.brief_notes():
            _echo_skipped(notes.skipped)
            _echo_failures(Brief(failures=list(notes.failures)))
            partial = partial or bool(notes.skipped or notes.failures)
        _emit_chunks(lambda opts: iter_render_stories(found, output["fmt"], opts), **output)
    if not found.stories and inputs:
        return EXIT_FAILED
    return EXIT_PARTIAL if partial else EXIT_OK


def _library_stories(db: str | None, kind: str | None, briefs: bool, settings: Settings,
                     cluster: Any, brief_progress: Callable[[int, int], None] | None,
                     held: contextlib.ExitStack) -> StoryList:
    """The library's stories (``stories`` without INPUT), with their briefs if asked: each
    brief stays in the library until the output reads it (the library stays open in
    ``held``), so that this process holds one brief at a time."""
    from .store import Library

    library = held.enter_context(Library(db, create=False))
    found = library.story_list("auto" if kind == "auto" else
                               "named" if kind == "named" else None)
    if briefs:
        position = {s.id: n for n, s in enumerate(found.stories)}
        wanted = [s for s in found.stories if len(s.articles) >= BRIEF_MIN_ARTICLES]
        spill = _StoredBriefs(library, [s.id for s in found.stories])
        for story_id, data, stored in library.iter_briefs(
                [s.id for s in wanted], settings, client=cluster, progress=brief_progress):
            found.notes[position[story_id]] = BriefNotes.of(data)
            if not stored:  # the library is busy or read-only: this one stays in memory
                spill.unstored[position[story_id]] = data
        for story in wanted:
            if position[story.id] not in found.notes:
                found.skipped.append(Skipped(f"story {story.id}",
                                             "its brief failed (see above)", "E302"))
        found.spill = spill
    return found


class _StoredBriefs:
    """The briefs of a story list's stories, by the position of their story in it: those
    the library stored (read back when shown), and those made but not stored (kept here)."""

    def __init__(self, library: Any, story_ids: list[str]) -> None:
        self.library, self.story_ids = library, story_ids
        self.unstored: dict[int, dict[str, Any]] = {}

    def brief(self, position: int) -> dict[str, Any] | None:
        if position in self.unstored:
            return self.unstored[position]
        found: dict[str, Any] | None = self.library.stored_brief(self.story_ids[position])
        return found


@contextlib.contextmanager
def _cluster(workers: int | None, scheduler: str | None, *, quiet: bool) -> Iterator[Any]:
    """A Dask client for ``--workers``/``--scheduler`` (None without them); its dashboard's
    address goes to stderr."""
    if workers is None and scheduler is None:
        yield None
        return
    from .distributed import connect, dashboard

    with connect(workers=workers, scheduler=scheduler) as client:
        link = dashboard(client)
        if link and not quiet:
            click.echo(f"crossbrief: Dask dashboard at {link}", err=True)
        yield client


@contextlib.contextmanager
def _brief_progress(*, quiet: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr for the stories briefed, when stderr is a terminal."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    progress = Progress(TextColumn("briefing stories"), BarColumn(), MofNCompleteColumn(),
                        console=terminal_console(stderr=True), transient=True)
    task = progress.add_task("", total=None)

    def advance(done: int, total: int) -> None:
        if not progress.live.is_started:
            progress.start()
        progress.update(task, completed=done, total=total)

    try:
        yield advance
    finally:
        progress.stop()


def _library_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", type=click.Path(dir_okay=False), default=None,
                        help=_DB_HELP + " It must exist.")(func)


@cli.group("story")
def story_group() -> None:
    """Correct the library's stories: move an article, merge, split, rename; reject a
    wrong claim link or conflict of a story's brief, and restore it.

    A correction is a person's decision: later ingests never undo it.
    """


def _in_library(db: str | None, change: Callable[[Library], T],
                line: Callable[[T], str]) -> int:
    """Make one change to an existing library; print ``line`` of what it returns."""
    from .store import Library

    with stdout_to_stderr(), Library(db, create=False) as library:
        done = change(library)
    echo(line(done))
    return EXIT_OK


def _correct(db: str | None, change: Callable[[Library], LibraryStory]) -> int:
    """Make one correction to an existing library; print the story it leaves."""
    return _in_library(db, change, lambda story: f"{story.id}\t{story.display_title}\t"
                                                 f"{plural(len(story.articles), 'article')}")


@story_group.command("move")
@click.argument("article", type=TEXT)
@click.argument("story", type=TEXT)
@_library_option
def story_move_command(article: str, story: str, db: str | None) -> int:
    """Move ARTICLE (an id) into the automatic story STORY (id or name)."""
    return _correct(db, lambda library: library.move_articles([article], story))


@story_group.command("merge")
@click.argument("into", type=TEXT)
@click.argument("others", nargs=-1, required=True, type=TEXT)
@_library_option
def story_merge_command(into: str, others: Sequence[str], db: str | None) -> int:
    """Merge the automatic stories OTHERS into INTO (ids or names)."""
    return _correct(db, lambda library: library.merge_stories(into, list(others)))


@story_group.command("split")
@click.argument("story", type=TEXT)
@click.argument("articles", nargs=-1, required=True, type=TEXT)
@_library_option
@click.option("--name", default=None, type=TEXT, help="A name for the new story.")
def story_split_command(story: str, articles: Sequence[str], db: str | None,
                        name: str | None) -> int:
    """Take ARTICLES (ids) out of the automatic story STORY into a new story."""
    return _correct(db, lambda library: library.split_story(story, list(articles), name))


@story_group.command("rename")
@click.argument("story", type=TEXT)
@click.argument("name", type=TEXT)
@_library_option
def story_rename_command(story: str, name: str, db: str | None) -> int:
    """Give STORY (id or name; automatic or named) the name NAME."""
    return _correct(db, lambda library: library.rename_story(story, name))


@story_group.command("reject")
@click.argument("story", type=TEXT)
@click.option("--claim", default=None, type=TEXT,
              help="A claim id of the story's brief: with --article, that article's support "
                   "of the claim is wrong.")
@click.option("--article", default=None, type=TEXT,
              help="With --claim: the article whose link is wrong.")
@click.option("--conflict", default=None, type=TEXT,
              help="A conflict (or update) id of the story's brief that is no conflict.")
@click.option("--note", default="", type=TEXT, help="Why (kept with the rejection).")
@_library_option
def story_reject_command(story: str, claim: str | None, article: str | None,
                         conflict: str | None, note: str, db: str | None) -> int:
    """Reject a wrong claim link (--claim ID --article ID) or conflict (--conflict ID) of
    STORY's last brief: its next brief is made without it. Prints the rejection's id."""
    if (conflict is None) == (claim is None) or (claim is None) != (article is None):
        raise click.UsageError("give --claim ID --article ID, or --conflict ID")
    return _in_library(
        db, lambda library: (library.reject_conflict(story, conflict, note=note) if conflict
                             else library.reject_link(story, str(claim), str(article),
                                                      note=note)),
        lambda rejection: f"{rejection.id}\t{rejection.kind}\t{rejection.about}")


@story_group.command("restore")
@click.argument("story", type=TEXT)
@click.argument("rejection", type=TEXT)
@_library_option
def story_restore_command(story: str, rejection: str, db: str | None) -> int:
    """Restore what REJECTION (an id) rejected in STORY: its next brief is made as before."""
    return _in_library(db, lambda library: library.unreject(story, rejection),
                       lambda removed: f"{removed.id}\t{removed.kind}\trestored")


@story_group.command("rejections")
@click.argument("story", type=TEXT)
@click.option("--json", "as_json", is_flag=True, help="The rejections as JSON (as the API "
                                                      "lists them).")
@_library_option
def story_rejections_command(story: str, as_json: bool, db: str | None) -> int:
    """List STORY's rejections: id, kind, whether in force, what, when, why."""
    from .store import Library

    with stdout_to_stderr(), Library(db, create=False) as library:
        found = library.rejected(story)
    if as_json:
        echo_output(json.dumps(found, ensure_ascii=False, indent=1) + "\n", "json")
        return EXIT_OK
    for r in found:
        what = r["about"] or " / ".join(" ".join(s["text"].split())[:60] for s in r["spans"])
        state = "stale" if r.get("stale") else "active" if r["active"] else "inactive"
        echo("\t".join([r["id"], r["kind"], state,
                         what, r["created"], r["note"]]))
    return EXIT_OK


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on.")
@_db_option
@click.option("-c", "--config", type=click.Path(exists=True, dir_okay=False),
              help="TOML file of settings (see docs/configuration.md).")
def serve_command(host: str, port: int, db: str | None, config: str | None) -> int:
    """Serve the library: the HTTP API (docs/api.md) and a web page at /."""
    import uvicorn

    from .serve import create_app, listen

    settings = load_settings(config)
    # Bound here, not by uvicorn: a port in use is then our error (exit 1, one clear line)
    # instead of uvicorn's log line and its own exit code 3.
    with listen(host, port) as sock:
        app = create_app(db, settings)
        click.echo(f"crossbrief: serving {app.state.library.path} on "
                   f"http://{host}:{sock.getsockname()[1]}/", err=True)
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning"))
        server.run(sockets=[sock])
    return EXIT_OK if server.started else EXIT_FAILED


def exit_code(corpus: Brief) -> int:
    if not corpus.articles:
        return EXIT_FAILED
    return EXIT_PARTIAL if corpus.skipped or corpus.failures else EXIT_OK


def _analyze_with_progress(inputs: list[str], settings: Settings, *, quiet: bool) -> Brief:
    return _with_progress(inputs, settings, quiet=quiet,
                          run=lambda progress: analyze(inputs, settings, progress=progress))


def _with_progress(inputs: list[str], settings: Settings, *, quiet: bool,
                   run: Callable[[Callable[[str, int, int], None] | None], T]) -> T:
    """``run(progress)``, with a progress bar on stderr while the inputs are read when there
    are many of them (or a folder) and stderr is a terminal."""
    show = not quiet and sys.stderr.isatty() and (
        len(inputs) > settings.progress_threshold
        or any(Path(i).is_dir() for i in inputs if not i.startswith(("http:", "https:")))
    )
    if not show:
        return run(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    progress = Progress(TextColumn("reading"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("{task.description}"), console=terminal_console(stderr=True),
                        transient=True)
    task = progress.add_task("", total=None)
    state = {"shown": False}

    def advance(name: str, done: int, total: int) -> None:
        if total <= settings.progress_threshold:
            return
        if not state["shown"]:
            progress.start()
            state["shown"] = True
        progress.update(task, completed=done, total=total, description=Path(name).name)

    try:
        return run(advance)
    finally:
        progress.stop()


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: never half a file."""
    write_atomic_chunks(path, [text])


def write_atomic_chunks(path: Path, chunks: Iterable[str]) -> None:
    """Write the pieces of a text to ``path`` as they come, through a temporary file and a
    rename: never half a file (a piece that fails to come leaves ``path`` as it was).

    A link is written through (the file it points to is replaced, the link kept). A path
    that is no regular file (``/dev/null``, ``/dev/stdout``, a named pipe) is written
    straight into: a rename would put a plain file in a device's place. A folder that cannot
    be made or written to, or a full disk, is an :class:`OutputError` (``[E600]``)."""
    descriptor = _open_descriptor(path)
    if descriptor is not None:
        with contextlib.suppress(Exception):
            (sys.stdout if descriptor == 1 else sys.stderr).flush()
        with _writing(path):
            handle = os.fdopen(os.dup(descriptor), "w", encoding="utf-8")
        _write_all(handle, chunks, path)
        return
    if _is_special(path):
        with _writing(path):
            handle = open(path, "w", encoding="utf-8")  # noqa: SIM115 (closed by _write_all)
        _write_all(handle, chunks, path)
        return
    target = Path(os.path.realpath(path))
    with _writing(path):
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _create_temporary(target)
    try:
        _write_all(os.fdopen(fd, "w", encoding="utf-8"), chunks, path, sync=True)
        with _writing(path):
            os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _write_all(handle: IO[str], chunks: Iterable[str], path: Path, *,
               sync: bool = False) -> None:
    """Every piece written to ``handle`` and flushed (to the disk too with ``sync``), then
    ``handle`` closed; a failure to write (not one to make a piece) is an OutputError."""
    try:
        for chunk in chunks:
            with _writing(path):
                handle.write(chunk)
        with _writing(path):
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
    finally:
        with contextlib.suppress(OSError):  # after a failed flush, closing fails the same way
            handle.close()


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    """A failure of the system to write the output to ``path`` (an OSError in the block) as an
    OutputError (``[E600]``) naming ``path``."""
    try:
        yield
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def _is_special(path: Path) -> bool:
    """Whether ``path`` is there and neither a regular file nor a folder (a device, a pipe)."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


_DESCRIPTOR_PATH = re.compile(r"/dev/(?:std(in|out|err)|fd/([0-9]+))|/proc/self/fd/([0-9]+)")
_STD_DESCRIPTORS = {"in": 0, "out": 1, "err": 2}


def _descriptor_named(path: Path) -> int | None:
    """The descriptor that ``path`` or a link on its way names (``/dev/stdin``, ``/dev/fd/N``,
    ``/proc/self/fd/N``, or a link to one of them): such a path is that descriptor, not the
    file it leads to (``-o /dev/stdin < in.txt`` replaced the input file)."""
    current = str(path)
    for _ in range(40):  # the kernel's own limit on links followed
        match = _DESCRIPTOR_PATH.fullmatch(current)
        if match:
            std, *numbers = match.groups()
            if std:
                return _STD_DESCRIPTORS[std]
            number = next(n for n in numbers if n)
            return int(number) if len(number) < 10 else -1  # -1: no such descriptor
        try:
            target = os.readlink(current)
        except (OSError, ValueError):
            return None
        current = os.path.normpath(os.path.join(os.path.dirname(current), target))
    return None


def _open_descriptor(path: Path) -> int | None:
    """The open descriptor that ``path`` names, when it names one: ``/dev/stdin``,
    ``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N``, ``/proc/self/fd/N``, a link to one of
    these, or the very file standard output or error goes to. Written through that
    descriptor, the output keeps its place (after what a script wrote before, at the end of
    a file opened to append): opened anew by its name, the file would be emptied, or
    renamed over."""
    named = _descriptor_named(path)
    if named is not None:
        return named
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return None
    for descriptor in (1, 2):
        try:
            if os.path.samestat(found, os.fstat(descriptor)):
                return descriptor
        except OSError:
            continue
    return None


def output_problem(path: Path) -> str | None:
    """Why the output cannot be written to ``path`` (None when it can, as far as can be told
    before writing): a folder, no right to write, a file where a folder would have to be."""
    descriptor = _open_descriptor(path)
    if descriptor is not None:
        try:
            os.fstat(descriptor)
        except OSError as exc:
            return exc.strerror or str(exc)
        return _descriptor_read_only(descriptor)
    if _is_standard_input(path):
        return "the output is the file standard input reads"
    if _is_special(path):
        return None if os.access(path, os.W_OK) else "permission denied"
    try:
        target = Path(os.path.realpath(path, strict=True))
    except OSError as exc:  # a new file (ENOENT), or one behind a broken link: as named
        if exc.errno == errno.ELOOP:  # renamed over, the loop's link was replaced
            return "too many levels of symbolic links"
        target = Path(os.path.realpath(path))
    if target.is_dir():
        return "it is a folder"
    if target.exists():
        if not os.access(target, os.W_OK):
            return "permission denied"
        if not os.access(target.parent, os.W_OK | os.X_OK):
            return "permission denied (the folder is not writable)"
        return None
    folder = target.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        return f"{folder.name or folder} is not a folder"
    if not os.access(folder, os.W_OK | os.X_OK):
        return "permission denied (the folder is not writable)"
    return None


def _is_standard_input(path: Path) -> bool:
    """Whether ``path`` (its links followed) is the regular file standard input reads, by
    whatever name (``in.txt``, ``/proc/thread-self/fd/0``, a link to ``/proc/self/fd``):
    written, it would replace the input (``-o fdlink/0 < in.txt``)."""
    try:
        found = os.stat(path)
        standard_input = os.fstat(0)
    except (OSError, ValueError):
        return False
    return stat.S_ISREG(standard_input.st_mode) and os.path.samestat(found, standard_input)


def _descriptor_read_only(descriptor: int) -> str | None:
    """Why the open ``descriptor`` cannot take the output: open for reading only
    (``-o /dev/fd/0 < file``), which writing would find only after the analysis."""
    try:
        import fcntl  # POSIX only: elsewhere a write that fails says so
        flags = fcntl.fcntl(descriptor, fcntl.F_GETFL)
    except (ImportError, OSError):
        return None
    return "it is open for reading only" if flags & os.O_ACCMODE == os.O_RDONLY else None


def _create_temporary(path: Path) -> tuple[int, str]:
    """A new file beside ``path``, open for writing, with the mode any new file of the user's
    gets (0666 less the umask): ``tempfile.mkstemp`` makes it 0600, which the rename would
    carry over to the output."""
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            return os.open(tmp, flags, 0o666), str(tmp)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary file name beside {path}")


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
