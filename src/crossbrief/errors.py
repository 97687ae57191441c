"""The exceptions crossbrief raises.

Every message starts with a stable code in brackets, so users and tests can grep for it::

    CrossbriefError            base class, never raised itself
    ├── InputError             [E1xx] one input could not be read; it is skipped, the run goes on
    │   ├── EmptyInputError        [E101]
    │   ├── BinaryInputError       [E102]
    │   ├── EncodingError          [E103]
    │   ├── OversizedInputError    [E104]
    │   ├── MalformedInputError    [E105]  invalid JSON, unusable HTML, missing fields
    │   ├── NoTextError            [E106]  nothing readable was left (after extraction or cleaning)
    │   ├── FetchError             [E107]  a URL could not be fetched
    │   ├── InputNotFoundError     [E108]
    │   └── DuplicateInputError    [E109]  standard input given again, or a text another input has
    ├── ConfigError            [E2xx] a setting or config file is wrong; stops the run
    ├── PipelineError          [E3xx] stages out of order, or a stage crashed; stops the run
    ├── ModelLoadError         [E4xx] a language model could not be loaded; stops the run
    ├── StoreError             [E50x] the article library (``store``) cannot do what was asked
    │   ├── UnknownArticleError    [E501]  no stored article has this id
    │   ├── UnknownStoryError      [E502]  no story has this id or name
    │   ├── EmptyStoryError        [E503]  a story needs a name and at least one article
    │   ├── DatabaseError          [E504]  the file cannot be opened or written as a library
    │   ├── LibraryNotFoundError   [E505]  a command that only reads was given no library file
    │   ├── StoryEditError         [E506]  a change to the stories that cannot be made
    │   ├── UnknownRejectionError  [E507]  no such claim, conflict or rejection in the story
    │   └── LibraryBusyError       [E508]  another writer held the library past the wait
    ├── RequestError           [E51x] a bad HTTP request to ``crossbrief serve``
    │   ├── RequestTooLargeError       [E511]  413: body over the setting max_request_bytes
    │   ├── UnsupportedMediaTypeError  [E512]  415: a content type the route does not take
    │   ├── InvalidRequestError        [E513]  422: malformed JSON, a missing or wrong field
    │   ├── RouteNotFoundError         [E514]  404 / 405: no such route or method
    │   ├── CrossSiteRequestError      [E515]  403: a change sent by another site's page
    │   ├── FormEncodingError          [E516]  422: a form's field that is not text in its
    │   │                                      charset (UTF-8 unless one is declared)
    │   └── InternalServerError        [E599]  500: a bug; the server log has the traceback
    ├── ServeError             [E520] ``crossbrief serve`` cannot listen where it was asked to
    │   └── PortInUseError         [E521]  another program listens on the port
    └── OutputError            [E600] the output (``-o FILE`` or standard output) cannot be
                                      written: a folder that cannot be made or written to,
                                      a full disk

Per-input problems (``InputError``) are recorded on ``Inputs.skipped`` (then on the brief's
``skipped``) and never stop a run; the others mean the run cannot produce a trustworthy
result and are raised to the caller.
The HTTP API (``serve``) answers every error, whatever its class, in one JSON shape carrying
the code (docs/api.md).
"""

from __future__ import annotations

import contextlib
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Article


class CrossbriefError(Exception):
    """Base class of every error crossbrief raises on purpose."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")
        self.detail = message

    def __reduce__(self) -> tuple[Any, ...]:
        # Made again from the message without its code, with the attributes a subclass adds
        # (an input, a request's data): pickled by its args, as an exception is, the error a
        # Dask worker sent back said "[E400] [E400] …".
        return type(self), (self.detail,), self.__dict__


class InputError(CrossbriefError):
    """One input (file, URL, JSON record) could not be turned into an article."""

    code = "E100"

    def __init__(self, message: str, input: str | None = None) -> None:
        super().__init__(message)
        self.input = input


class EmptyInputError(InputError):
    code = "E101"


class BinaryInputError(InputError):
    code = "E102"


class EncodingError(InputError):
    code = "E103"


class OversizedInputError(InputError):
    code = "E104"


class MalformedInputError(InputError):
    code = "E105"


class NoTextError(InputError):
    code = "E106"


class FetchError(InputError):
    code = "E107"


class InputNotFoundError(InputError):
    code = "E108"


class DuplicateInputError(InputError):
    """An input given again: standard input a second time (it is read once), or an article
    whose text an earlier input has (the copy whose name sorts first is kept)."""

    code = "E109"


class ConfigError(CrossbriefError):
    """A setting has a wrong value or a config file cannot be read."""

    code = "E200"


class PipelineError(CrossbriefError):
    """The stages are declared in an impossible order, or one crashed."""

    code = "E300"


class StageOrderError(PipelineError):
    code = "E301"


class StageFailedError(PipelineError):
    code = "E302"


class ModelLoadError(CrossbriefError):
    """A language model named in the settings could not be loaded."""

    code = "E400"


class StoreError(CrossbriefError):
    """The article library cannot do what was asked (unknown id, unusable database)."""

    code = "E500"


class UnknownArticleError(StoreError):
    code = "E501"


class UnknownStoryError(StoreError):
    code = "E502"


class EmptyStoryError(StoreError):
    code = "E503"


class DatabaseError(StoreError):
    code = "E504"


class LibraryNotFoundError(StoreError):
    code = "E505"


class StoryEditError(StoreError):
    """A change to the stories that cannot be made: moving, merging or splitting a named
    story (those are edited by naming their articles), a name another story has, a split
    that would take every article."""

    code = "E506"


class UnknownRejectionError(StoreError):
    """What a rejection names is not there: a claim or conflict the story's brief does not
    have, an article that does not support the claim, a rejection the story does not have."""

    code = "E507"


class LibraryBusyError(StoreError):
    """Another writer (a process or a thread) held the library's write lock for longer than
    a writer waits (``store.BUSY_TIMEOUT``): this change was not written (anything stored
    before it stays); try again when it is done."""

    code = "E508"


# Errors no article or story causes: a model that cannot be loaded, a bad setting. They stop
# the run (the CLI's "crossbrief: error: [E400] …", exit 1; the API's 500 E4xx), wherever they
# are raised (a stage, a Dask worker's task), rather than skip every article or story, one
# stderr line each, as a crash it triggered.
STOPS_THE_RUN = (ModelLoadError, ConfigError)


class RequestError(CrossbriefError):
    """A bad HTTP request; ``status`` is the HTTP status it is answered with, ``data`` any
    details the answer carries (e.g. the inputs that were skipped)."""

    code = "E510"
    status = 400

    def __init__(self, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.data = data


class RequestTooLargeError(RequestError):
    code = "E511"
    status = 413


class UnsupportedMediaTypeError(RequestError):
    code = "E512"
    status = 415


class InvalidRequestError(RequestError):
    code = "E513"
    status = 422


class CrossSiteRequestError(RequestError):
    """A request that changes the library, sent by another site's page (a form or script of
    a page the user opened elsewhere posting to the local server)."""

    code = "E515"
    status = 403


class FormEncodingError(RequestError):
    """A form's field (its value or its name) whose bytes do not decode in the charset the
    client declared (a multipart part's ``Content-Type``, else the request's), UTF-8 when it
    declared none, or a charset ``charsets.codec_for`` does not read (the WHATWG Encoding
    Standard's labels; in a URL-encoded form, one that reads ASCII as ASCII), or UTF-16
    without a byte order mark declared ``utf-16``: refused rather than read with U+FFFD or
    as Latin-1, which would store a person's text changed without a word."""

    code = "E516"
    status = 422


class RouteNotFoundError(RequestError):
    code = "E514"
    status = 404


class InternalServerError(RequestError):
    code = "E599"
    status = 500


class ServeError(CrossbriefError):
    """The server cannot start: the address cannot be listened on."""

    code = "E520"


class PortInUseError(ServeError):
    code = "E521"


class OutputError(CrossbriefError):
    """The output cannot be written where it was asked to go (``-o FILE``, stdout)."""

    code = "E600"


# --- naming a failure ------------------------------------------------------------------------
# Here rather than in the pipeline, so that a stage's module (extract/entities.py) and
# ingestion can use them without importing the pipeline that imports them.

_RUNNER = Path(__file__).resolve().with_name("pipeline.py")


@contextlib.contextmanager
def on_article(stage: str, article: Article) -> Iterator[None]:
    """Turn a crash inside ``stage`` on ``article`` into an error naming both."""
    try:
        yield
    except InputError:
        raise
    except Exception as exc:
        raise StageFailedError(
            f"stage {stage!r} failed on article {article.id} ({article.input}): "
            f"{type(exc).__name__}: {exc}"
        ) from exc


def describe_failure(exc: BaseException) -> str:
    """The exception's type and message, and where in crossbrief it was raised."""
    if isinstance(exc, StageFailedError) and exc.__cause__ is not None:
        exc = exc.__cause__
    # Where: the innermost frame in crossbrief's own code (or a plugin stage's), not the
    # runner's, and not a library's that crossbrief called.
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if Path(f.filename).resolve() not in (_RUNNER, Path(__file__).resolve())]
    installed = tuple(str(Path(p).resolve()) for p in {sys.prefix, sys.base_prefix})
    ours = [f for f in frames if "crossbrief" in Path(f.filename).parts
            or not str(Path(f.filename).resolve()).startswith(installed)]
    where = f" (at {Path(ours[-1].filename).name}:{ours[-1].lineno})" if ours else ""
    message = _shortened(str(exc).strip().splitlines()[0]) if str(exc).strip() else ""
    return f"{type(exc).__name__}{': ' + message if message else ''}{where}"


# The longest message a failure's reason keeps (one line on stderr, one row in the brief).
REASON_CHARS = 300


def _shortened(message: str) -> str:
    """``message`` up to REASON_CHARS, cut at a word's end with "…" (not inside a word:
    "spacy_mode" read as "spacy_mo")."""
    if len(message) <= REASON_CHARS:
        return message
    head = message[:REASON_CHARS - 1]
    cut = head.rsplit(None, 1)[0] if " " in head[REASON_CHARS // 2:] else head
    return cut.rstrip() + "…"
