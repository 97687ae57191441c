"""The HTTP API and web page over an article library: ``create_app(db_path)``.

A thin shell over :mod:`crossbrief.store` (docs/api.md lists every route)::

    POST /api/articles        store articles (JSON records or uploaded files)
    GET  /api/articles        list them, or search them with ?q=
    GET  /api/articles/{id}   one article, raw text as ingested
    POST /api/stories         group stored articles into a named story
    POST /api/stories/{id}/articles, /merge, /split, PATCH /api/stories/{id}
                              correct the automatic stories (move, merge, split, rename)
    GET  /api/stories         every story, crossbrief.stories/1: automatic ones and named ones
    GET  /api/stories/{id}    the story's brief (crossbrief.brief/1), analysed once and stored
    GET  /stories/{id}        the brief as an HTML report
    GET  /                    a web page to add articles, pick them, and open a story's report
    GET  /healthz             liveness

Every error, whatever raised it, is answered in one JSON shape::

    {"error": {"status": 404, "code": "E502", "message": "...", "detail": null}}

except on the routes of the web page (``PAGE_ROUTES``: ``/``, the form posts ``/articles``
and ``/stories``, and the pages under them), where a person reads the answer: there it is an
HTML page with the same status, the message and its code, and a link back.

Articles are hostile third-party text: everything taken from them is escaped, and every
response carries a Content-Security-Policy that forbids anything remote.
"""

from __future__ import annotations

import codecs
import errno
import json
import logging
import os
import re
import socket
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Sequence
from contextlib import aclosing, asynccontextmanager
from dataclasses import dataclass, replace
from datetime import date
from email.message import Message as MimeHeader
from functools import lru_cache
from http import HTTPStatus
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import quote, unquote, unquote_to_bytes, urlencode, urlparse

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from python_multipart.multipart import _parseparam, parse_options_header
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, Headers, MutableHeaders, UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import __version__
from .changes import has_changes
from .charsets import UTF16_CODECS, codec_for
from .config import Settings, load_settings
from .errors import (
    CrossbriefError,
    CrossSiteRequestError,
    EmptyStoryError,
    FormEncodingError,
    InputError,
    InternalServerError,
    InvalidRequestError,
    LibraryBusyError,
    MalformedInputError,
    PortInUseError,
    RequestError,
    RequestTooLargeError,
    RouteNotFoundError,
    ServeError,
    StoryEditError,
    UnknownArticleError,
    UnknownRejectionError,
    UnknownStoryError,
    UnsupportedMediaTypeError,
)
from .ingest import (
    escaped_name,
    number_too_long,
    read_record,
    read_upload,
    refuse_lone_surrogate,
    warnings_noted,
)
from .model import Article, Brief, Rejection, Skipped, Span, content_hash
from .store import (
    NAME_MAX,
    NOTE_MAX,
    OUTLET_MAX,
    TITLE_MAX,
    AddResult,
    Library,
    LibraryStory,
    clean_article_text,
)
from .storylist import StoryEntry
from .tables import TABLES, brief_table

log = logging.getLogger("crossbrief.serve")

# Nothing remote, no plugins, no framing; inline style and script are allowed because the
# report and the page are single self-contained documents.
CSP = ("default-src 'none'; style-src 'self' 'unsafe-inline'; "
       "script-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'")
# A story's report may be framed by its story page (the same origin), by nothing else.
REPORT_CSP = CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
REPORT_PATH = re.compile(r"/stories/[^/]+/report")
# FastAPI's /docs page loads Swagger UI's script and style from a CDN (jsdelivr): the one
# page allowed to, and only from there.
DOCS_CSP = ("default-src 'none'; style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "img-src 'self' data: https://fastapi.tiangolo.com; connect-src 'self'; "
            "frame-ancestors 'none'; base-uri 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
# Error codes of HTTP statuses raised by the framework itself (unknown route, bad method).
STATUS_CODES = {403: CrossSiteRequestError.code, 404: RouteNotFoundError.code,
                405: RouteNotFoundError.code,
                413: RequestTooLargeError.code, 415: UnsupportedMediaTypeError.code,
                422: InvalidRequestError.code, 500: InternalServerError.code}
PAGE_ARTICLES = 200
# The web page's routes, whose errors are answered as an HTML page (by path, whatever the
# method, so a wrong method or an oversized upload there gets a page too).
PAGE_ROUTES = re.compile(
    r"/|/(?:articles|stories)(?:/[^/]+)?"
    r"|/stories/[^/]+/(?:report|rename|move|merge|reject|restore)")
PASTE_FIELDS = ("text", "title", "source", "url", "published", "author")


class StoryRequest(BaseModel):
    """The body of ``POST /api/stories``."""

    name: str = Field(min_length=1, description=f"The story's name (unique; at most "
                                                f"{NAME_MAX} characters).")
    articles: list[str] = Field(min_length=1, description="Ids of stored articles, in order.")


class MoveRequest(BaseModel):
    """The body of ``POST /api/stories/{id}/articles``."""

    articles: list[str] = Field(min_length=1, description="Ids of stored articles to move.")


class MergeRequest(BaseModel):
    """The body of ``POST /api/stories/{id}/merge``."""

    stories: list[str] = Field(min_length=1, description="Automatic stories (ids or names) "
                                                         "to merge into this one.")


class SplitRequest(BaseModel):
    """The body of ``POST /api/stories/{id}/split``."""

    articles: list[str] = Field(min_length=1, description="Ids of the story's articles to "
                                                          "take out into a new story.")
    name: str | None = Field(None, min_length=1, description=f"A name for the new story "
                                                              f"(at most {NAME_MAX} characters).")


class CorrectionRequest(BaseModel):
    """The body of ``PATCH /api/articles/{id}``: the fields to correct (absent: left as
    they are; an empty title or date: cleared)."""

    # The outlet's and title's limits are the store's (OUTLET_MAX, TITLE_MAX), held only
    # to a value that changes: a longer one ingest stored may be sent back as it is.
    source: str | None = Field(None, min_length=1,
                               description=f"Outlet (at most {OUTLET_MAX} characters when "
                                           "it changes).")
    title: str | None = Field(None, description=f"Headline (at most {TITLE_MAX} characters "
                                                "when it changes).")
    # The date's limit too is the store's (PUBLISHED_MAX): 422 E105 there, as the form's.
    published: str | None = Field(None, description="Publication date, ISO 8601 or a usual "
                                                    "spelling of a date.")


class SpanField(BaseModel):
    """A span of an article's clean text: ``article``'s text[start:end]."""

    model_config = ConfigDict(extra="forbid")
    article: str = Field(min_length=1, max_length=100)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str | None = Field(None, description="Ignored (a brief's span may be sent as is).")


class RejectionRequest(BaseModel):
    """The body of ``POST /api/stories/{id}/rejections``: a wrong link (``kind`` "link")
    named by ``claim`` and ``article`` (this article's support of that claim in the story's
    brief), a wrong conflict named by ``conflict``, or either named by its ``spans``."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["link", "conflict"]
    claim: str | None = Field(None, min_length=1, max_length=100,
                              description="A claim id of the story's brief (kind link).")
    article: str | None = Field(None, min_length=1, max_length=100,
                                description="An article supporting the claim (kind link).")
    conflict: str | None = Field(None, min_length=1, max_length=100,
                                 description="A conflict or update id of the story's brief "
                                             "(kind conflict).")
    spans: list[SpanField] | None = Field(None, min_length=2, max_length=50,
                                          description="The spans, in two or more articles.")
    note: str = Field("", description=f"Why (shown with the rejection; at most {NOTE_MAX:,} "
                                      "characters).")


class RenameRequest(BaseModel):
    """The body of ``PATCH /api/stories/{id}``."""

    name: str = Field(min_length=1, description=f"The story's new name (at most {NAME_MAX} "
                                                "characters).")


# --- errors --------------------------------------------------------------------------------


def error_response(status: int, code: str, message: str, detail: Any = None) -> JSONResponse:
    """The one error shape of the API (docs/api.md)."""
    return JSONResponse(
        {"error": {"status": status, "code": code, "message": message, "detail": detail}},
        status_code=status, headers=SECURITY_HEADERS,
    )


def is_page_route(path: str) -> bool:
    """Whether ``path`` is one of the web page's routes (its errors are HTML pages)."""
    return PAGE_ROUTES.fullmatch(path) is not None


def error_page(status: int, code: str, message: str, back: str | None = None) -> HTMLResponse:
    """An error answered to a person using the web page: the site's look, the message and
    its code, a link back to the page the form was on (``back``, a story's or an article's
    page) and to the library; the same status as the API would answer."""
    try:
        title = f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        title = str(status)
    return HTMLResponse(render_page("error.html", heading=title, message=message, code=code,
                                    back=back),
                        status_code=status, headers=SECURITY_HEADERS)


# A form's page, from the path it posts to: /stories/{id}/merge -> /stories/{id}.
FORM_PAGE = re.compile(r"/(?:stories|articles)/[^/]+(?=/[^/]+$)")


def _error(path: str, status: int, code: str, message: str, detail: Any = None) -> Response:
    if is_page_route(path):
        page = FORM_PAGE.match(path)
        return error_page(status, code, message, page.group() if page and status != 404
                          else None)
    return error_response(status, code, message, detail)


def status_of(exc: CrossbriefError) -> int:
    """The HTTP status a crossbrief error is answered with."""
    if isinstance(exc, RequestError):
        return exc.status
    if isinstance(exc, UnknownArticleError | UnknownStoryError | UnknownRejectionError):
        return 404
    if isinstance(exc, StoryEditError):
        return 409
    if isinstance(exc, EmptyStoryError | InputError):
        return 422
    if isinstance(exc, LibraryBusyError):
        return 503
    return 500


async def _crossbrief_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, CrossbriefError)
    status = status_of(exc)
    if status >= 500:
        log.error("%s %s failed: %s", request.method, request.url.path, exc)
    return _error(request.url.path, status, exc.code, exc.detail, getattr(exc, "data", None))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = STATUS_CODES.get(exc.status_code, RequestError.code)
    message = exc.detail if isinstance(exc.detail, str) else "request failed"
    return _error(request.url.path, exc.status_code, code, message)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError | ValidationError)
    # The offending input is left out: it can be large, and it is the client's own anyway.
    problems = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type")}
                for e in exc.errors()]
    first = problems[0] if problems else {"loc": [], "msg": "invalid request"}
    code = InvalidRequestError.code
    unwritable = next((p for p in problems if p["type"] == "string_unicode"), None)
    if unwritable is not None:
        # pydantic's "unable to parse raw data as a unicode string": a value holding a lone
        # surrogate, refused as the library refuses one (the one rule: E105)
        first, code = {**unwritable, "msg": "holds a lone surrogate, which is not text: "
                                            "send it as UTF-8"}, MalformedInputError.code
    where = ".".join(str(p) for p in first["loc"])
    message = f"{where}: {first['msg']}" if where else str(first["msg"])
    return _error(request.url.path, 422, code, message, problems)


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("%s %s crashed", request.method, request.url.path, exc_info=exc)
    return _error(request.url.path, 500, InternalServerError.code,
                  "internal error (the server log has the details)")


# --- the guard: body size limit and security headers ---------------------------------------

class Guard:
    """ASGI middleware: refuses bodies over ``limit`` bytes before they are read whole (the
    declared Content-Length first, then the bytes as they arrive), and adds the security
    headers to every response.

    Our own rather than the framework's body limit, which answers 413 in plain text where
    every error of this API must have the one JSON shape.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        # HEAD is answered as GET is, without the body: FastAPI's routes take GET alone, so
        # a link checker's or a monitor's HEAD (curl -I) was a 405.
        head = scope.get("method") == "HEAD"
        if head:
            scope = {**scope, "method": "GET"}
        csp = (DOCS_CSP if path in ("/docs", "/redoc")
               else REPORT_CSP if REPORT_PATH.fullmatch(path) else CSP)
        secured = {**SECURITY_HEADERS, "Content-Security-Policy": csp}
        if csp == REPORT_CSP:
            secured["X-Frame-Options"] = "SAMEORIGIN"

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in (b"content-security-policy",
                                                b"x-frame-options")]
                for name, value in secured.items():
                    if name != "Content-Security-Policy" and any(
                            k.lower() == name.lower().encode() for k, _ in headers):
                        continue
                    headers.append((name.lower().encode(), value.encode()))
                message["headers"] = headers
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        if _cross_site(scope):
            response = _error(path, 403, CrossSiteRequestError.code,
                              "a request that changes the library must come from this "
                              "server's own pages or a client that is not a browser page "
                              "of another site")
            await response(scope, receive, send_secured)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.limit:
            response = _error(scope.get("path", ""), 413, RequestTooLargeError.code,
                              self._message(declared))
            await response(scope, receive, send_secured)
            return
        received = 0

        async def receive_limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    # An HTTPException, which the framework re-raises from its body parsing
                    # untouched; the handler answers it in the error shape.
                    raise HTTPException(413, self._message(received, partial=True))
            return message

        await self.app(scope, receive_limited, send_secured)

    def _message(self, size: int, partial: bool = False) -> str:
        over = "over " if partial else ""
        return (f"request body is {over}{size:,} bytes, more than the limit of "
                f"{self.limit:,} (setting max_request_bytes)")


# --- story names holding "/" ----------------------------------------------------------------

# The formats of a story's table exports (/api/stories/{id}/{table}.{fmt}).
EXPORT_FORMATS = ("csv", "json")

# The prefixes of the routes that name a story by its id or name.
STORY_PREFIXES = ("/api/stories/", "/stories/")


class StoryNameRouter:
    """ASGI middleware: a story route reaches a story whose name holds "/" ("a/b"), which
    the router alone cannot (it splits the path at every "/", ``%2F`` decoded as one: "a/b"
    was a 404 or another route, ``/api/stories/x%2Fstate`` the state of "x"). The name is
    looked up and the request routed by the story's id. A name sent as one segment
    (``a%2Fb``) is that name: one no story has is 404 E502. A name sent with its "/" as is
    (``/stories/a/b/report``) is the shortest key a story has (its id or exact name) before
    a route's own ending for the request's method, else before one for another method (then
    answered 405); when none is, the path is routed as it is. A write follows the same rule:
    with stories "harbour" and "harbour/state", ``PATCH /api/stories/harbour/state`` renames
    "harbour/state" ("harbour"'s ending "state" is a route only for GET)."""

    def __init__(self, app: ASGIApp, library: Library, routes: Sequence[Any],
                 limit: int) -> None:
        self.app = app
        self.library = library
        self.routes = routes  # the app's, read at each request (routes are added later)
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            found = await self._story_path(scope)
            if found is not None:
                raw, answer = found
                # The path the app (and the guard) reads: the story's id, or its name kept
                # one segment ("x%2Fstate" reaches no route of "x").
                prefix = _story_prefix(raw) or ""
                first, _, rest = raw[len(prefix):].partition("/")
                path = prefix + first + ("/" + unquote(rest) if rest else "")
                scope = {**scope, "path": path, "raw_path": raw.encode("latin-1")}
                if answer is not None:  # answered as the app's own errors are
                    await Guard(answer, self.limit)(scope, receive, send)
                    return
        await self.app(scope, receive, send)

    async def _story_path(self, scope: Scope) -> tuple[str, Response | None] | None:
        """The path to route instead (raw, by the story's id; or the name as one segment
        with the E502 answer), None: routed as it is."""
        text = (scope.get("raw_path") or scope.get("path", "").encode("utf-8")
                ).decode("latin-1")
        prefix = _story_prefix(text)
        if prefix is None:
            return None
        segments = text[len(prefix):].split("/")
        names = [unquote(s) for s in segments]
        if "/" in names[0]:  # one segment: the name, unambiguous
            key, rest = names[0], segments[1:]
            if self._routed(scope, prefix, rest) == Match.NONE:  # no story route: E514, not the
                return text, None  # route its decoded "/" would reach (x%2Frejections/r1)
            try:
                story = await run_in_threadpool(self.library.story, key)
            except UnknownStoryError as exc:
                return text, _error(text, 404, exc.code, exc.detail)
            return self._path(prefix, story.id, rest), None
        if len(segments) == 1:  # one segment: no longer name competes with it
            return None
        # Only the cuts that leave no more segments after the name than a story route has
        # (trying every cut of a long path was quadratic in its segments, on the event loop).
        # The shortest key first: a story's own route (found by its id or exact name, the
        # first segment included) wins over a longer name that ends like that route
        # ("x/report" is the report of "x"; the story named "x/report" is /stories/x%2Freport
        # or its id), so naming a story never takes over another story's page.
        # A key whose ending is a route for the request's method wins over a shorter one whose
        # ending is a route only for another ("a/rejections/state": the GET state of the story
        # "a/rejections", not the DELETE of "a"'s rejection "state"); failing any, the first
        # of those is taken (answered 405, as for its id). Writes too: PATCH
        # "harbour/state" renames the story "harbour/state", not a 405 via "harbour".
        after = self._most_after(prefix)
        lowest = 1 if after is None else max(1, len(segments) - after)
        other: str | None = None
        for cut in range(lowest, len(segments) + 1):
            key, rest = "/".join(names[:cut]), segments[cut:]
            match = self._routed(scope, prefix, rest) if key.strip() else Match.NONE
            if match == Match.NONE or (match == Match.PARTIAL and other is not None):
                continue
            try:
                story = await run_in_threadpool(self.library.story, key)
            except UnknownStoryError:
                continue
            if match == Match.FULL:
                return self._path(prefix, story.id, rest), None
            other = self._path(prefix, story.id, rest)
        return None if other is None else (other, None)

    def _most_after(self, prefix: str) -> int | None:
        """The most segments a route under ``prefix`` has after the story's id (2 for
        ``/api/stories/{id}/rejections/{rid}``), None when a route takes any number (a
        ``{...:path}`` parameter)."""
        most = 0
        for route in self.routes:
            path = getattr(route, "path", "")
            if not isinstance(path, str) or not path.startswith(prefix):
                continue
            if ":path}" in path:
                return None
            most = max(most, path[len(prefix):].count("/"))
        return most

    @staticmethod
    def _path(prefix: str, story: str, rest: Sequence[str]) -> str:
        return prefix + "/".join([quote(story, safe=""), *rest])

    def _routed(self, scope: Scope, prefix: str, rest: Sequence[str]) -> Match:
        """How a route takes a story's id followed by ``rest``: FULL, one does for the
        request's method; PARTIAL, only for another method; NONE, no route does. An export's
        only with a table and a format it gives ("v1.2" is no route of a story, so a name
        "x/v1.2" is not taken for an export of "x")."""
        probe = {**scope, "path": unquote(self._path(prefix, "0", rest))}
        if probe.get("method") == "HEAD":  # answered as GET (Guard, inside this middleware)
            probe["method"] = "GET"
        best = Match.NONE
        for route in self.routes:
            match, child = route.matches(probe)
            params = child.get("path_params", {}) if match != Match.NONE else None
            if params is not None and ("table" not in params or (
                    params["table"] in TABLES and params.get("fmt") in EXPORT_FORMATS)):
                if match == Match.FULL:
                    return Match.FULL
                best = Match.PARTIAL
        return best


def _story_prefix(path: str) -> str | None:
    """The prefix of the story routes ``path`` starts with, None for another path."""
    return next((p for p in STORY_PREFIXES if path.startswith(p)), None)


# Methods that change nothing; every other one is checked for where it comes from.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _cross_site(scope: Scope) -> bool:
    """Whether an unsafe request (a POST, PATCH, DELETE...) comes from another site's page.

    The server has no accounts, so a cookie-bound CSRF token would protect nothing: what
    must not happen is a page the user has open elsewhere posting to the local server
    (merging stories, rejecting claims). Browsers say where a request comes from: the
    ``Sec-Fetch-Site`` header (``cross-site``), else ``Origin``, which must then name this
    server's host. Clients that are not browsers (curl, httpx, scripts) send neither and
    pass, as does a browser's own same-origin form.
    """
    if scope.get("method", "GET") in SAFE_METHODS:
        return False
    headers = {k.lower(): v for k, v in scope.get("headers", [])}
    fetch_site = headers.get(b"sec-fetch-site", b"").decode("latin-1").strip().lower()
    if fetch_site == "cross-site":
        return True
    if fetch_site in ("same-origin", "none"):  # the browser's own judgement (behind a proxy too)
        return False
    # same-site (another port of this host is another origin) or an older browser: Origin
    origin = headers.get(b"origin")
    if origin is None:
        return False
    host = headers.get(b"host", b"").decode("latin-1").strip().lower()
    text = origin.decode("latin-1").strip().lower()
    if text == "null":  # a sandboxed frame, a file:// page, a redirect across sites
        return True
    netloc = text.split("://", 1)[-1].rstrip("/")
    return not host or netloc != host


def _content_length(scope: Scope) -> int | None:
    for key, value in scope.get("headers", []):
        if key.lower() == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


# --- the app -------------------------------------------------------------------------------


def create_app(db_path: str | Path | None = None, settings: Settings | None = None) -> FastAPI:
    """The FastAPI app serving the library at ``db_path`` (the default library when None)."""
    settings = settings or load_settings()
    library = Library(db_path)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        library.close()

    app = FastAPI(
        title="crossbrief", version=__version__, lifespan=lifespan,
        description="Store news articles, group them into stories, and get each story's "
                    "cited brief. Errors: one JSON shape, see docs/api.md.",
    )
    app.state.library = library
    app.state.settings = settings
    app.add_middleware(Guard, limit=settings.max_request_bytes)
    # Outside the guard, which then sees the path by the story's id (a report's headers).
    app.add_middleware(StoryNameRouter, library=library, routes=app.router.routes,
                       limit=settings.max_request_bytes)
    app.add_exception_handler(CrossbriefError, _crossbrief_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected_error)

    @app.get("/healthz", tags=["meta"])
    async def healthz() -> dict[str, str]:
        """Liveness: answers at once, even while a story is being analysed."""
        return {"status": "ok", "version": __version__}

    @app.post("/api/articles", status_code=201, tags=["articles"],
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": {"type": ["object", "array"]}},
                  "multipart/form-data": {"schema": {"type": "object", "properties": {
                      "files": {"type": "array",
                                "items": {"type": "string", "format": "binary"}},
                      **{f: {"type": "string"} for f in PASTE_FIELDS}}}},
              }}})
    async def add_articles(request: Request) -> JSONResponse:
        """Store articles: a JSON article object, a list of them, or ``{"articles": [...]}``
        (the field names ``crossbrief analyze`` accepts), or uploaded files (multipart)."""
        articles, skipped, warnings = await _read_articles(request, settings)
        result = await run_in_threadpool(_store, library, articles, skipped)
        return JSONResponse({
            "ids": result.ids, "added": result.added, "existing": result.existing,
            "skipped": [_skipped(s) for s in result.skipped], "warnings": warnings,
        }, status_code=201)

    @app.get("/api/articles", tags=["articles"])
    async def list_articles(
        q: str | None = Query(None, max_length=1000, description="Full-text search."),
        limit: int = Query(50, ge=1, le=1000), offset: int = Query(0, ge=0),
    ) -> dict[str, Any]:
        """Stored articles, newest first (without their text), or those matching ``q``."""
        if q:
            hits = await run_in_threadpool(library.search, q, limit)
            return {"query": q, "articles": [
                {"id": h.id, "title": h.title, "source": h.source, "snippet": h.snippet}
                for h in hits]}
        found = await run_in_threadpool(library.articles, None, limit=limit, offset=offset)
        return {"articles": [_article_summary(a) for a in found]}

    @app.get("/api/articles/{article_id}", tags=["articles"])
    async def get_article(article_id: str) -> dict[str, Any]:
        """One stored article, with its raw text as ingested (``text``) and its clean text
        (``clean``: the text a brief's offsets count in, as a brief's analysis makes it from
        the article as stored now, its corrections included; null when cleaning leaves
        nothing)."""
        article = await run_in_threadpool(library.article, article_id)
        added = await run_in_threadpool(library.article_added, [article_id])
        clean = await run_in_threadpool(_clean_now, article)
        return {**_article_summary(article), "added": added.get(article_id),
                "text": article.text, "clean": clean}

    @app.post("/api/stories", status_code=201, tags=["stories"],
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": StoryRequest.model_json_schema()}}}})
    async def create_story(request: Request) -> JSONResponse:
        """Group stored articles into a story (replacing the articles of a story of the same
        name). The brief is computed when first asked for."""
        body = StoryRequest.model_validate(await _read_json(request))
        story = await run_in_threadpool(library.create_story, body.name, body.articles)
        return JSONResponse(_story(story), status_code=201)

    @app.get("/api/stories", tags=["stories"])
    async def list_stories(
        kind: Literal["auto", "named"] | None = Query(
            None, description="Only the automatic stories, or only the named ones."),
        limit: int = Query(100, ge=1, le=1000), offset: int = Query(0, ge=0),
    ) -> dict[str, Any]:
        """The library's stories, ``crossbrief.stories/1``: the automatic grouping of every
        article (oldest first), then the named stories (newest first); ``kind`` says which
        each is, ``total`` how many there are before ``limit`` and ``offset``."""
        found = await run_in_threadpool(library.story_list, kind)
        data = found.to_dict()
        data["total"] = len(data["stories"])
        data["stories"] = [{**story, "links": {"brief": f"/api/stories/{quote(story['id'])}",
                                               "report": f"/stories/{quote(story['id'])}"}}
                           for story in data["stories"][offset:offset + limit]]
        return data

    def json_body(model: type[BaseModel]) -> dict[str, Any]:
        return {"requestBody": {"required": True, "content": {
            "application/json": {"schema": model.model_json_schema()}}}}

    @app.post("/api/stories/{story_id}/articles", tags=["stories"],
              openapi_extra=json_body(MoveRequest))
    async def move_articles(story_id: str, request: Request) -> JSONResponse:
        """Move stored articles into an automatic story, for good (later grouping keeps
        them there); a story left empty is deleted."""
        return await _correct(request, MoveRequest,
                              lambda body: library.move_articles(body.articles, story_id))

    @app.post("/api/stories/{story_id}/merge", tags=["stories"],
              openapi_extra=json_body(MergeRequest))
    async def merge_stories(story_id: str, request: Request) -> JSONResponse:
        """Merge automatic stories into this one, for good."""
        return await _correct(request, MergeRequest,
                              lambda body: library.merge_stories(story_id, body.stories))

    @app.post("/api/stories/{story_id}/split", status_code=201, tags=["stories"],
              openapi_extra=json_body(SplitRequest))
    async def split_story(story_id: str, request: Request) -> JSONResponse:
        """Take articles out of an automatic story into a new one, for good."""
        return await _correct(request, SplitRequest, lambda body: library.split_story(
            story_id, body.articles, body.name), status=201)

    @app.patch("/api/stories/{story_id}", tags=["stories"],
               openapi_extra=json_body(RenameRequest))
    async def rename_story(story_id: str, request: Request) -> JSONResponse:
        """Rename a story (automatic or named)."""
        return await _correct(request, RenameRequest,
                              lambda body: library.rename_story(story_id, body.name))

    @app.get("/api/stories/{story_id}", tags=["stories"])
    async def get_brief(story_id: str) -> JSONResponse:
        """The story's brief, ``crossbrief.brief/1`` (analysed on first request, then
        served from the library until its articles or the settings change)."""
        return JSONResponse(await run_in_threadpool(library.brief, story_id, settings))

    @app.get("/api/stories/{story_id}/state", tags=["stories"])
    async def brief_state(story_id: str) -> dict[str, Any]:
        """Where the story's brief is: ``stored`` (current), ``running`` (being made now),
        ``missing`` (made when the brief or report is first asked for)."""
        story = await run_in_threadpool(library.story, story_id)
        state = await run_in_threadpool(library.brief_state, story, settings)
        return {"story": story.id, "state": state, "brief": f"/api/stories/{quote(story.id)}"}

    @app.get("/api/stories/{story_id}/changes", tags=["stories"])
    async def brief_changes(story_id: str) -> dict[str, Any]:
        """What the story's current brief says that the brief it replaced did not
        (``crossbrief.changes/1``); ``changes`` is null when there is nothing to compare."""
        story = await run_in_threadpool(library.story, story_id)
        changes = await run_in_threadpool(library.brief_changes, story, settings)
        return {"story": story.id, "changes": changes}

    @app.post("/api/stories/{story_id}/rejections", status_code=201, tags=["stories"],
              openapi_extra=json_body(RejectionRequest))
    async def reject(story_id: str, request: Request) -> JSONResponse:
        """Reject a wrong claim link or conflict of the story's brief: stored, respected by
        the next brief (made anew), listed in its ``rejected``; DELETE it to restore."""
        body = RejectionRequest.model_validate(await _read_json(request))
        story, rejection = await run_in_threadpool(_reject, library, story_id, body)
        found = await run_in_threadpool(library.rejected, story)
        return JSONResponse({**next(r for r in found if r["id"] == rejection),
                             "story": story.id}, status_code=201)

    @app.get("/api/stories/{story_id}/rejections", tags=["stories"])
    async def list_rejections(story_id: str) -> dict[str, Any]:
        """The story's rejections, by id; ``active``: in force (its spans all in the
        story's articles, and not stale); ``stale``: a correction moved the words it
        rejected where its spans could not follow (kept, out of force; each span's
        ``text`` is then the words rejected)."""
        story = await run_in_threadpool(library.story, story_id)
        return {"story": story.id,
                "rejections": await run_in_threadpool(library.rejected, story)}

    @app.delete("/api/stories/{story_id}/rejections/{rejection_id}", tags=["stories"])
    async def restore(story_id: str, rejection_id: str) -> dict[str, Any]:
        """Restore what a rejection rejected: the next brief is made without it."""
        story = await run_in_threadpool(library.story, story_id)
        removed = await run_in_threadpool(library.unreject, story.id, rejection_id)
        return {"story": story.id, "restored": removed.id}

    @app.get("/api/stories/{story_id}/{table}.{fmt}", tags=["stories"])
    async def export_table(story_id: str, table: str, fmt: str) -> Response:
        """A table of the story's brief for export: ``claims`` (the claims x outlets
        matrix), ``quotes``, ``conflicts``, ``timeline`` or ``articles``, as ``csv`` or
        ``json`` (crossbrief.table/1); every row cites its article and character span."""
        if table not in TABLES or fmt not in EXPORT_FORMATS:
            raise RouteNotFoundError(
                f"no export {table}.{fmt}: tables {', '.join(TABLES)}; formats csv, json")
        story = await run_in_threadpool(library.story, story_id)
        brief = await run_in_threadpool(library.brief, story.id, settings)
        found = brief_table(brief, table)
        name = f"{_slug(story.display_title)}-{table}.{fmt}"
        disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
        if fmt == "json":
            return JSONResponse({**found.to_dict(), "story": story.id}, headers=disposition)
        return Response(found.to_csv(), media_type="text/csv; charset=utf-8",
                        headers=disposition)

    @app.get("/stories/{story_id}", response_class=HTMLResponse, tags=["pages"])
    async def story_page(story_id: str) -> HTMLResponse:
        """The story's page: its articles, forms to rename, move, merge and split, exports,
        and its report (below, in a frame: made when first asked for)."""
        return HTMLResponse(await run_in_threadpool(_story_page, library, story_id,
                                                    settings, None))

    @app.get("/stories/{story_id}/report", response_class=HTMLResponse, tags=["pages"])
    async def story_report(story_id: str) -> HTMLResponse:
        """The story's brief as a self-contained HTML report."""
        return HTMLResponse(await run_in_threadpool(_report, library, story_id, settings))

    @app.post("/stories/{story_id}/rename", tags=["pages"])
    async def rename_form(story_id: str, request: Request) -> RedirectResponse:
        """The story page's rename form; back to the story."""
        form = await _read_form(request, settings)
        story = await run_in_threadpool(library.rename_story, story_id,
                                        _field(form, "name"))
        return _back_to(story)

    @app.post("/stories/{story_id}/move", tags=["pages"])
    async def move_form(story_id: str, request: Request) -> RedirectResponse:
        """The story page's article forms: move the ticked articles to another story,
        split them out into a new one, or add stored articles to this one."""
        form = await _read_form(request, settings)
        action = _field(form, "action") or "move"
        ticked = [v for v in form.getlist("articles") if isinstance(v, str) and v]
        source = await run_in_threadpool(library.story, story_id)
        if source.kind != "auto":
            raise StoryEditError(
                f"{source.name!r} is a named story: change its articles with "
                "`crossbrief analyze --db … --story NAME` or POST /api/stories")
        if action == "add":
            ids = [i for i in re.split(r"[\s,]+", _field(form, "add")) if i]
            if not ids:
                raise InvalidRequestError("add: give the ids of stored articles to add")
            story = await run_in_threadpool(library.move_articles, ids, story_id)
            return _back_to(story)
        if not ticked:
            raise InvalidRequestError("articles: tick at least one of the story's articles")
        if action == "split":
            name = _field(form, "name").strip() or None
            await run_in_threadpool(library.split_story, story_id, ticked, name)
            return _back_to(await run_in_threadpool(library.story, story_id))
        if action != "move":
            raise InvalidRequestError(f"action: {action[:40]!r} is not move, split or add")
        target = _field(form, "to").strip()
        if not target:
            raise InvalidRequestError("to: name the story to move the articles to")
        moved = await run_in_threadpool(library.move_articles, ticked, target)
        try:
            return _back_to(await run_in_threadpool(library.story, story_id))
        except UnknownStoryError:  # every article moved out: the story is gone
            return _back_to(moved)

    @app.post("/stories/{story_id}/merge", tags=["pages"])
    async def merge_form(story_id: str, request: Request) -> RedirectResponse:
        """The story page's merge form: another story merged into this one."""
        form = await _read_form(request, settings)
        other = _required(form, "story", "name the story to merge into this one")
        return _back_to(await run_in_threadpool(library.merge_stories, story_id, [other]))

    @app.post("/stories/{story_id}/reject", tags=["pages"])
    async def reject_form(story_id: str, request: Request) -> RedirectResponse:
        """The story page's Reject buttons (a claim's link to one article, or a conflict);
        back to the story."""
        form = await _read_form(request, settings)
        fields = {f: _field(form, f).strip() or None for f in ("claim", "article", "conflict")}
        try:
            body = RejectionRequest.model_validate(
                {"kind": _field(form, "kind"), "note": _field(form, "note"), **fields})
        except ValidationError as exc:
            raise InvalidRequestError("; ".join(
                f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())) from None
        story, _ = await run_in_threadpool(_reject, library, story_id, body)
        return _back_to(story, "review")

    @app.post("/stories/{story_id}/restore", tags=["pages"])
    async def restore_form(story_id: str, request: Request) -> RedirectResponse:
        """The story page's Restore buttons; back to the story."""
        form = await _read_form(request, settings)
        rejection = _required(form, "rejection", "name the rejection to restore")
        story = await run_in_threadpool(library.story, story_id)
        await run_in_threadpool(library.unreject, story.id, rejection)
        return _back_to(story, "rejected")

    @app.get("/", response_class=HTMLResponse, tags=["pages"])
    async def home(
        q: str | None = Query(None, max_length=1000, description="Search the stories."),
        outlet: str | None = Query(None, max_length=500),
        since: str | None = Query(None, max_length=40, description="YYYY-MM-DD"),
        until: str | None = Query(None, max_length=40, description="YYYY-MM-DD"),
        conflicts: Literal["", "0", "1"] = Query("", description="1: only stories "
                                                 "whose stored brief has conflicts"),
        page: int = Query(1, ge=1, le=100_000),
    ) -> HTMLResponse:
        """The stories, newest activity first, with search and filters."""
        filters = StoryFilters(q=(q or "").strip(), outlet=(outlet or "").strip(),
                               since=_day(since, "since"), until=_day(until, "until"),
                               conflicts=conflicts == "1", page=page)
        return HTMLResponse(await run_in_threadpool(_home, library, settings, filters))

    @app.get("/articles", response_class=HTMLResponse, tags=["pages"])
    async def articles_page(q: str | None = Query(None, max_length=1000)) -> HTMLResponse:
        """The articles: add them, search them, group the ticked ones into a story."""
        return HTMLResponse(await run_in_threadpool(_articles_page, library, q, None))

    @app.post("/articles", response_class=HTMLResponse, tags=["pages"])
    async def add_articles_form(request: Request) -> HTMLResponse:
        """The page's article form: stores what was pasted or uploaded, shows the page."""
        articles, skipped, warnings = await _read_articles(request, settings)
        result = await run_in_threadpool(_store, library, articles, skipped)
        notice = (f"{len(result.added)} added, {len(result.existing)} already in the library"
                  + "".join(f"; skipped {s.input}: {s.reason} [{s.code}]"
                            for s in result.skipped)
                  + "".join(f"; {warning}" for warning in warnings))
        return HTMLResponse(await run_in_threadpool(_articles_page, library, None, notice),
                            status_code=201)

    @app.post("/stories", tags=["pages"])
    async def create_story_form(request: Request) -> RedirectResponse:
        """The page's story form: creates the story, then opens its page."""
        form = await _read_form(request, settings)
        ids = [v for v in form.getlist("articles") if isinstance(v, str)]
        story = await run_in_threadpool(library.create_story, _field(form, "name"), ids)
        return _back_to(story)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, tags=["pages"])
    async def article_page(article_id: str,
                           back: str | None = Query(None, max_length=300),
                           start: int | None = Query(None, ge=0),
                           end: int | None = Query(None, ge=0)) -> HTMLResponse:
        """One stored article as a page: its clean text (what a brief's offsets count), the
        span ``start``-``end`` of it marked when given, the text as received, and a form to
        correct its outlet, title, date."""
        return HTMLResponse(await run_in_threadpool(_article_page, library, article_id, back,
                                                    start, end))

    @app.post("/articles/{article_id}", tags=["pages"])
    async def correct_article_form(article_id: str, request: Request) -> RedirectResponse:
        """The article page's correction form; back to the story it was opened from, else
        to the article."""
        form = await _read_form(request, settings)
        values = {f: form.get(f) for f in ("source", "title", "published")}
        await run_in_threadpool(lambda: library.correct_article(article_id, **{
            k: v for k, v in values.items() if isinstance(v, str)}))
        back = _field(form, "back")
        if _BACK.fullmatch(back):
            return RedirectResponse(back, status_code=303)
        return RedirectResponse(f"/articles/{quote(article_id)}", status_code=303)

    @app.patch("/api/articles/{article_id}", tags=["articles"],
               openapi_extra=json_body(CorrectionRequest))
    async def correct_article(article_id: str, request: Request) -> dict[str, Any]:
        """Correct an article's outlet, title or publication date (stored; every later
        brief of a story holding it uses the correction)."""
        body = CorrectionRequest.model_validate(await _read_json(request))
        article = await run_in_threadpool(lambda: library.correct_article(
            article_id, source=body.source, title=body.title, published=body.published))
        corrected = await run_in_threadpool(library.corrected, [article_id])
        return {**_article_summary(article), "original": corrected.get(article_id)}

    return app


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host``:``port``, for the server to take over: bound before
    anything starts, so a port in use is a clear error (PortInUseError) rather than a line in
    the server's log."""
    if not host.strip():
        # bind("") listens on every interface: an unset variable (--host "$HOST") must not
        # open the library, which has no accounts, to the network
        raise ServeError("no address to listen on: an empty host would listen on every "
                         "interface (give 0.0.0.0 to mean that)")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if os.name != "nt":  # as uvicorn does; on Windows it would let two servers share a port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except (TypeError, ValueError, UnicodeError) as exc:
        # A host that is no text the system can name (bytes that are not UTF-8, "\xff";
        # a NUL): the socket module's "encoding of hostname failed", not a traceback.
        sock.close()
        raise ServeError(f"cannot listen on {escaped_name(host)}:{port}: not a host name "
                         f"({exc})") from None
    except OSError as exc:
        sock.close()
        if exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", errno.EADDRINUSE)):
            raise PortInUseError(f"port {port} is in use; choose another with --port") from None
        raise ServeError(f"cannot listen on {escaped_name(host)}:{port}: "
                         f"{exc.strerror or exc}") from None
    return sock


# --- reading requests ----------------------------------------------------------------------


def _mime_header(value: bytes | str | None) -> MimeHeader | None:
    """A Content-Type header read by the standard library's MIME parser (None when there is
    none): parameter names case-insensitive, spaces around "=" allowed (``charset =
    latin-1``), quotes undone. A part's header (bytes) is read as Latin-1, byte for byte."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not value:
        return None
    message = MimeHeader()
    message["content-type"] = value
    return message


def _content_type(value: bytes | str | None) -> tuple[str, str | None]:
    """The media type a Content-Type header names ("" when there is none) and the
    ``charset`` it declares (None when none; RFC 2231's ``charset*=utf-8''latin-1`` undone).
    A charset's name is ASCII, so an RFC 2231 value is not decoded in the charset the client
    names for it (``collapse_rfc2231_value`` would run any Python codec on it: "idna",
    "undefined", "punycode" raise or take super-linear time); it is kept as sent (%-escapes
    undone, each byte a character), which ``codec_for`` refuses when it is not ASCII."""
    message = _mime_header(value)
    if message is None:
        return "", None
    charset = message.get_param("charset")
    if isinstance(charset, tuple):  # (its charset, its language, its value): the value
        charset = charset[2]
    return message.get_content_type(), (charset.strip() or None) if charset else None


def _media_type(request: Request) -> str:
    """The media type a request's Content-Type names ("" when none); its charset is not
    looked at."""
    message = _mime_header(request.headers.get("content-type"))
    return message.get_content_type() if message is not None else ""


def _is_json(media: str) -> bool:
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json"))


async def _read_json(request: Request) -> Any:
    media = _media_type(request)
    if not _is_json(media):
        raise UnsupportedMediaTypeError(
            f"send application/json, not {media or 'a body without Content-Type'}")
    body = await request.body()
    try:
        return _refuse_surrogate_keys(json.loads(body))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidRequestError(f"body is not valid JSON: {exc}") from None
    except ValueError:  # an integer longer than Python reads (number_too_long)
        raise InvalidRequestError(
            "body is not valid JSON: " + number_too_long().removeprefix("invalid JSON: ")
        ) from None
    except RecursionError:
        raise InvalidRequestError("body is nested too deeply") from None


def _refuse_surrogate_keys(value: Any) -> Any:
    """``value`` as sent, a field's name holding a lone surrogate ("\\ud800", which JSON may
    escape but no UTF-8 text holds) refused (422 E105): the name of a field no request
    has would be quoted in the answer, which could not be written. A value holding one is
    refused by the library or by its field's check (text_given, _validation_error)."""
    if isinstance(value, list):
        for item in value:
            _refuse_surrogate_keys(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            refuse_lone_surrogate(key, "a field's name")
            _refuse_surrogate_keys(item)
    return value


async def _read_form(request: Request, settings: Settings, *,
                     keep_files: bool = False) -> FormData:
    """The form posted, each text field decoded strictly (``_StrictFormParser``,
    ``_StrictMultiPartParser``): 422 E516 naming the field whose bytes are not text.
    Its uploaded files' temporary files are closed before it is returned (only text fields
    are wanted) unless ``keep_files``: the caller then closes them (``await form.close()``
    in a ``finally``). Nothing else would: Starlette closes them only when parsing fails,
    or when ``request.form()`` made them, which its parsers cannot be handed to; they were
    left to the garbage collector, a file descriptor each once over 1 MB (spooled to disk)."""
    media = _media_type(request)
    if media not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raise UnsupportedMediaTypeError(
            f"send multipart/form-data or application/x-www-form-urlencoded, not "
            f"{media or 'a body without Content-Type'}")
    # What request.form() does (Starlette's Request._get_form), with Starlette's parsers
    # subclassed: it names its parser classes, so they cannot be handed to it.
    parser = _StrictMultiPartParser if media == "multipart/form-data" else _StrictFormParser
    try:
        async with aclosing(request.stream()) as stream:
            # (on any error while parsing, Starlette closes the files it made)
            form = await parser(request.headers, stream,
                                max_part_size=settings.max_request_bytes).parse()
    except MultiPartException as exc:  # a broken body: 400, as request.form() answers it
        raise HTTPException(status_code=400, detail=exc.message) from None
    if not keep_files:
        await form.close()
    return form


# --- a form's text, strictly -----------------------------------------------------------------
# Starlette reads a form's bytes leniently: in a URL-encoded form, %-escapes that are not
# UTF-8 become U+FFFD ("t%FF" is "t\ufffd") and raw bytes are read as Latin-1 (UTF-8's "é"
# sent unescaped, as curl -d sends it, is "Ã©"); in a multipart form, a text part that does
# not decode in the request's charset is read as Latin-1 ("t\xff" is "tÿ"), and a part's own
# Content-Type charset is not looked at. Either way a person's text would be stored changed
# without a word. Its parsers are kept (their limits, their 400s) and each field Starlette
# has read is read again from the bytes python-multipart handed it, in the charset the
# client declared (one crossbrief.charsets reads), UTF-8 when none, and refused (FormEncodingError)
# when it does not decode or its charset is not one of them.
# Uploaded files are bytes, left to ingest to sniff; only their field's name is read here.

FIELD_NAME_SHOWN = 100  # the most of a field's name an error quotes

# The charsets a form's text may declare: the WHATWG Encoding Standard's labels (the
# encodings a browser sends a form in), read as WHATWG reads them, and Python's other names
# for their codecs (crossbrief.charsets.codec_for). Python counts any codec as a charset:
# "punycode" (a decoder super-linear in its input, which would hold the event loop),
# "unicode_escape", "raw_unicode_escape", "utf-7", "idna", "undefined", "rot13"... none a
# form is sent in; they are refused, E516.
# A URL-encoded form's syntax ("&", "=", "%", "+") is ASCII: a charset that does not read
# those bytes as themselves (UTF-16: the HTML standard sends a form in UTF-8 when its page
# is UTF-16) cannot be the charset of the bytes they separate.
FORM_SYNTAX = b"&=%+"


def _codec(charset: str | None, what: str, *, ascii_syntax: bool) -> str:
    """The codec to read ``what`` in: UTF-8 when ``charset`` is None, else its codec when
    that is a charset a form is read in (``codec_for``; and, where ``ascii_syntax``, one
    that reads the form's ASCII syntax as ASCII); 422 E516 naming the charset (its start)
    otherwise."""
    if charset is None:
        return "utf-8"
    codec = codec_for(charset)
    if codec is None:
        raise FormEncodingError(
            f"the charset {charset[:40]!r} declared for {what} is not a text encoding a form "
            f"is read in (UTF-8, or one of the WHATWG Encoding Standard's): send it as UTF-8")
    if ascii_syntax and FORM_SYNTAX.decode(codec, "replace") != FORM_SYNTAX.decode("ascii"):
        raise FormEncodingError(
            f"the charset {charset[:40]!r} declared for {what} cannot be read: a form's "
            f"field names and separators are ASCII, and {codec} does not read ASCII as "
            f"ASCII; send it as UTF-8")
    return codec


class _NoByteOrderMark(UnicodeError):
    """UTF-16 declared without its byte order and sent without a byte order mark."""


def _decode(raw: bytes, codec: str, *, value: bool = True) -> str:
    """``raw`` decoded strictly in ``codec``. UTF-16 declared without its byte order
    ("utf-16", not "utf-16le"/"utf-16be") is read by its byte order mark; without one it is
    refused (UnicodeError), not guessed: RFC 2781 4.3 reads it big-endian, WHATWG
    little-endian, Python in the machine's order.
    A field's ``value`` that opens with the byte order mark of its encoding (UTF-8's, or
    either of UTF-16's when UTF-16 is declared in any order: the mark then says the order,
    as WHATWG's decode and Python's "utf-16" read it) is read without it, as
    ``ingest.decode`` reads a file ("utf-8-sig"): the mark is no character of the text
    (U+FEFF kept at the start changed the article's id and every offset by one). A field's
    name is read as sent."""
    if codec in UTF16_CODECS and raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return raw.decode("utf-16") if value else raw.decode(codec)
    if codec == "utf-16" and raw:
        raise _NoByteOrderMark("UTF-16 without a byte order mark")
    if codec == "utf-8" and value:
        # not "utf-8-sig", whose errors count their offset after the mark: the message
        # named the wrong byte, at the wrong offset (E516)
        return raw.decode("utf-8").removeprefix("\ufeff")
    return raw.decode(codec)


def _form_text(raw: bytes, charset: str | None, field: str | None, *,
               ascii_syntax: bool = False) -> str:
    """``raw`` decoded in ``charset`` (UTF-8 when None), strictly; 422 E516 naming the
    field (``field``; None: the bytes are a field's name) and the problem otherwise.
    ``ascii_syntax``: ``raw`` was cut out of ASCII syntax (a URL-encoded form, a field's name
    in a part's header), which ``charset`` must then read as ASCII (``_codec``)."""
    what = (f"the field {field[:FIELD_NAME_SHOWN]!r}" if field is not None
            else "a field's name")
    codec = _codec(charset, what, ascii_syntax=ascii_syntax or field is None)
    try:
        return _decode(raw, codec, value=field is not None)
    except _NoByteOrderMark:
        raise FormEncodingError(
            f"{what} is declared {(charset or '')[:40]!r} (UTF-16) without a byte order mark, so "
            f"its byte order is not known: send a byte order mark or declare utf-16le or "
            f"utf-16be (or send it as UTF-8)") from None
    except UnicodeError as exc:
        where = (f" (byte 0x{raw[exc.start]:02x} at byte {exc.start})"
                 if isinstance(exc, UnicodeDecodeError) and exc.start < len(raw) else "")
        declared = f"{charset[:40]}, the charset declared" if charset else "UTF-8"
        raise FormEncodingError(
            f"{what} is not valid {declared}{where}: its text would be changed if it were "
            f"read; send it as UTF-8{' or declare its charset' if not charset else ''}"
        ) from None


class _StrictFormParser(FormParser):
    """Starlette's URL-encoded form parser, each field's name and value %-decoded to bytes
    and decoded strictly in the request's charset (UTF-8 unless its Content-Type names one,
    which must read ASCII as ASCII)."""

    def __init__(self, headers: Headers, stream: AsyncGenerator[bytes, None],
                 **limits: Any) -> None:  # Starlette's (max_fields, max_part_size)
        super().__init__(headers, self._noting_head(stream), **limits)
        self._request_charset = _content_type(headers.get("content-type"))[1]
        self._head = b""  # the body's first bytes (up to a byte order mark's length)

    async def _noting_head(self, stream: AsyncGenerator[bytes, None]) -> AsyncGenerator[
            bytes, None]:
        """``stream``'s chunks, its first bytes noted (``_head``) before the parser reads
        them."""
        async for chunk in stream:
            if len(self._head) < len(codecs.BOM_UTF8):
                self._head += chunk[:len(codecs.BOM_UTF8) - len(self._head)]
            yield chunk

    def on_field_end(self) -> None:
        super().on_field_end()  # counts the field (max_fields) and appends its reading
        charset = self._request_charset
        raw_name = bytes(self._field_name)
        name = _form_text(unquote_to_bytes(raw_name.replace(b"+", b" ")), charset, None)
        if (self._current_fields == 1 and self._head == codecs.BOM_UTF8
                and name.startswith("\ufeff")):
            # A body saved with UTF-8's byte order mark (curl --data-binary @form.txt): the
            # mark is the body's, no character of its first field's name ("\ufefftext"
            # matched no field: E513). Only when the body's first bytes are the mark (the
            # first field to end then opens the body), and only where the charset reads
            # them as the mark (UTF-8: U+FEFF).
            name = name[1:]
        value = _form_text(unquote_to_bytes(bytes(self._field_value).replace(b"+", b" ")),
                           charset, name, ascii_syntax=True)
        self._items[-1] = (name, value)


# An uploaded file's name. Starlette reads a part's ``filename`` in the request's charset and,
# when it does not decode so, as Latin-1 (a Windows-1252 "caf\xe9.txt" was shown "café.txt",
# a Shift_JIS name as mojibake, without a word), and python-multipart drops ``filename*``
# and RFC 2231's continuations of it (``filename*0*=``, ``filename*1=``; RFC 7578 4.2 forbids
# senders them, but requests' urllib3 before 2.0 sent a non-ASCII name only as
# ``filename*``, and mail-minded clients split a long one so): such a file was read as a
# text field, and the upload answered "nothing to add".
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
# ``filename*`` (RFC 8187, whole), ``filename*N`` (a piece as sent) and ``filename*N*`` (a
# piece %-escaped), RFC 2231 3 and 4. A piece's number has at most 6 digits: int() of a
# longer one could raise (Python's limit on digits), and no header holds a million pieces.
_FILENAME_STAR = re.compile(r"filename\*(?:([0-9]{1,6})(\*?))?", re.ASCII)
# What WHATWG's multipart/form-data encoding (browsers; curl since 7.81, urllib3 2) writes
# for '"', CR and LF in a file's name, exactly so (upper case).
_WHATWG_ESCAPES = re.compile(rb"%(?:22|0D|0A)")
# ISO-2022-JP's runs of JIS X 0208 (two bytes a letter): each shift into it (ESC $ @,
# ESC $ B) to the next escape sequence (a shift back to one byte a letter, ESC ( B or
# ESC ( J; or another shift, whose run is matched on its own), or the end.
_JIS_RUN = re.compile(rb"(\x1b\$[@B])(.*?)(?=\x1b|\Z)", re.S)


def _whatwg_unescaped(raw: bytes) -> bytes:
    """``raw`` with WHATWG's escapes of '"', CR and LF undone."""
    return _WHATWG_ESCAPES.sub(lambda m: unquote_to_bytes(m.group()), raw)


@lru_cache(maxsize=4096)  # 94 x 94 cells a shift; a bounded cache of odd bytes
def _is_jis_cell(shift: bytes, cell: bytes) -> bool:
    """Whether ``cell`` (two bytes) is a letter of JIS X 0208 after ``shift`` (ESC $ @ or
    ESC $ B), as Python's iso-2022-jp codec reads it."""
    try:
        (shift + cell + b"\x1b(B").decode("iso2022_jp")
    except UnicodeError:
        return False
    return True


def _jis_run_unescaped(shift: bytes, body: bytes) -> bytes:
    """A JIS X 0208 run's ``body`` (after ``shift``) with each ``%22`` read as WHATWG's
    escape of a byte 0x22 where the two-byte cell it makes is a JIS letter, walked cell by
    cell: ``%2`` is also the first half of ゲ (``ゲ会`` is ``%22q``, and '"q' is no letter,
    so it reads ゲ 会). A dynamic programme over positions finds the reading with the
    fewest cells that are not letters; of readings equally good, at each cell the one that
    unescapes (``ゲ押``, ``%22!``, reads ◆, whose cell ``"!`` is a letter too: the stated
    trade-off). ``%0D``/``%0A`` are JIS bytes here, never escapes (WHATWG's encoder shifts
    to ASCII before CR and LF)."""
    size = len(body)
    # best[i]: (cells that are not letters from position i on, bytes consumed, cell read).
    best: list[tuple[int, int, bytes]] = [(0, 0, b"")] * (size + 1)
    for i in range(size - 1, -1, -1):
        options: list[tuple[bytes, int]] = []  # the readings that unescape first
        if body.startswith(b"%22%22", i):
            options.append((b'""', 6))
        if body.startswith(b"%22", i) and i + 4 <= size:
            options.append((b'"' + body[i + 3:i + 4], 4))
        if body.startswith(b"%22", i + 1):
            options.append((body[i:i + 1] + b'"', 4))
        options.append((body[i:i + 2], min(2, size - i)))
        choice: tuple[int, int, bytes] | None = None
        for cell, used in options:
            bad = (len(cell) != 2 or not _is_jis_cell(shift, cell)) + best[i + used][0]
            if choice is None or bad < choice[0]:
                choice = (bad, used, cell)
        assert choice is not None  # the plain cell is always an option
        best[i] = choice
    cells: list[bytes] = []
    i = 0
    while i < size:
        cells.append(best[i][2])
        i += best[i][1]
    return b"".join(cells)


def _jis_unescaped(raw: bytes) -> bytes:
    """ISO-2022-JP ``raw`` with WHATWG's escapes undone where a browser writes them: each
    byte 0x22 is escaped after encoding, and every JIS cell with a 0x22 byte holds one
    (あ ア 、 are ``$"`` ``%"`` ``!"``, row 2's symbols ◆ ※ 〒 → ``"!`` ``"(`` ``")``
    ``"*``, a kanji of a 0x22 cell, 唖, ``0"``), so ``%22`` is undone in a JIS X 0208
    run too, cell by cell where the cell it makes is a letter (``_jis_run_unescaped``);
    but WHATWG's ISO-2022-JP encoder shifts back to ASCII (ESC ( B) before any ASCII
    letter, CR and LF included, so in a run ``%0D``/``%0A`` are JIS bytes, never an
    escape (グ is ``%0``: "バグ調査" is ``%P%0D4::``). Outside runs all three are undone."""
    pieces: list[bytes] = []
    end = 0
    for run in _JIS_RUN.finditer(raw):
        pieces += (_whatwg_unescaped(raw[end:run.start()]), run.group(1),
                   _jis_run_unescaped(run.group(1), run.group(2)))
        end = run.end()
    return b"".join((*pieces, _whatwg_unescaped(raw[end:])))


def _unquoted(value: str) -> str:
    """A parameter's value, a quoted string's quotes and backslash escapes undone, as
    ``parse_options_header`` undoes those of ``filename``."""
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace("\\\\", "\\").replace('\\"', '"')
    return value


def _filename_star(disposition: bytes) -> tuple[str | None, bytes] | None:
    """The name a part's Content-Disposition gives in RFC 2231's syntax: ``filename*``
    (RFC 8187), else its continuations ``filename*0*``, ``filename*1``... joined in the
    order of their numbers (RFC 2231 3; a number sent twice: its first piece), each
    ``*``-marked piece %-unescaped (4). None when there is neither; else the charset
    declared (``UTF-8''...``, in the first piece only; None when none is: a piece
    numbered first that is not %-escaped, or a value without its two "'") and the name's
    bytes. The header is split as ``parse_options_header`` splits it (its ``_parseparam``,
    private to python-multipart, which drops the starred keys it splits): a ";" within a
    quoted value (``name="a; filename*=..."``) separates nothing. Its bytes are read as
    Latin-1, byte for byte, and so written back: an unescaped byte that is not ASCII is
    that byte (``unquote_to_bytes`` of the str would have written it as UTF-8, "é" as
    "Ã©")."""
    whole: str | None = None
    pieces: dict[int, tuple[str, bool]] = {}
    for segment in _parseparam(disposition.decode("latin-1"))[1:]:
        key, _, value = segment.partition("=")
        match = _FILENAME_STAR.fullmatch(key.strip().lower())
        if match is None:
            continue
        value = _unquoted(value.strip())
        if match.group(1) is None:
            whole = value if whole is None else whole
        else:
            pieces.setdefault(int(match.group(1)), (value, bool(match.group(2))))
    if whole is not None:
        pieces = {0: (whole, True)}
    elif not pieces:
        return None
    ordered = [pieces[n] for n in sorted(pieces)]
    declared: str | None = None
    first, escaped = ordered[0]
    if escaped and first.count("'") >= 2:  # charset'language'value, before %-escapes
        declared, _language, value = first.split("'", 2)
        ordered[0] = value, escaped
    return declared, b"".join(unquote_to_bytes(value.encode("latin-1")) if escaped
                              else value.encode("latin-1") for value, escaped in ordered)


def _upload_name(disposition: bytes, charset: str | None) -> str:
    """The name of an uploaded file as its client sent it, from its part's
    Content-Disposition: RFC 8187's ``filename*`` (``UTF-8''caf%C3%A9.txt``) or RFC 2231's
    continuations of it when there are, else ``filename``'s bytes read in the request's
    charset (UTF-8 when none is declared; HTML sends a form's file names in the form's
    charset), as RFC 7578 4.2 says (a ``filename*`` that declares no charset is read so
    too, when there is no ``filename``, its %-escapes undone once, as RFC 2231 says). A
    ``filename`` that is ASCII and whose %-escapes make UTF-8 text that is not ASCII
    (``caf%C3%A9.txt``: 4.2's percent-encoding) is read so; else WHATWG's escapes of '"',
    CR and LF (``%22``, ``%0D``, ``%0A``) are undone and any other %-escape is kept as sent
    (a browser does not escape "%", so ``100%25.txt`` may be the name itself); under
    ISO-2022-JP, a ``filename`` holding ESC (its shift out of ASCII) is never read as
    RFC 7578's UTF-8, its WHATWG escapes undone where WHATWG's encoder writes them
    (``_jis_unescaped``: outside its JIS runs always, inside them cell by cell).
    Bytes that are not text in their charset are never guessed
    (Latin-1): each is shown as ``\\xe9``, as the command line shows a file name that is
    not UTF-8 (``ingest.escaped_name``, which also escapes control characters: a CR or LF
    is shown ``\\r``, ``\\n``), and the file is read."""
    star = _filename_star(disposition)
    plain = parse_options_header(disposition)[1].get(b"filename", b"")
    if star is not None and star[0] is not None:
        raw, codec = star[1], codec_for(star[0]) or "utf-8"
    else:
        # A filename* that declares no charset: its bytes as _filename_star wrote them, its
        # %-escapes (RFC 2231's) undone there, once ("a%2522.txt" is "a%22.txt").
        starred = star is not None and not plain
        raw = star[1] if star is not None and starred else plain
        codec = codec_for(charset) or "utf-8"
        if codec in UTF16_CODECS:
            # A header is written in ASCII-based bytes, never in UTF-16: read in it, an
            # ASCII name of an even length came out as CJK letters ("a%C3" -> "╡㍃") and one
            # of an odd length as itself. A form sent in UTF-16 names its files in UTF-8.
            codec = "utf-8"
        # The %-escapes below are undone only in a plain filename (a charset-less
        # filename*'s were undone once, above).
        if not starred:
            # Under ISO-2022-JP (7-bit and stateful; a browser sends a Japanese page's form
            # in it) ESC shifts out of ASCII, and the letters after it are pairs of ASCII
            # bytes: "%C3%A9" there would be JIS letters, not RFC 7578's UTF-8. A name
            # holding ESC under another charset (where ESC is a control character) is
            # read as any other.
            shifted = codec == "iso2022_jp" and b"\x1b" in raw
            if not shifted and raw.isascii() and _PERCENT.search(raw.decode("ascii")):
                unescaped = unquote_to_bytes(raw)
                try:
                    if not unescaped.isascii():
                        return escaped_name(unescaped.decode("utf-8"))
                except UnicodeDecodeError:
                    pass
            # Shown unescaped: a browser (WHATWG's encoding), curl and urllib3 send a name
            # holding '"', CR or LF only so, and a name that holds "%22" itself is rarer
            # than one holding a quote (which macOS and Linux allow); the same trade RFC
            # 7578's escapes of UTF-8 make above. A CR or LF is then shown escaped
            # (escaped_name).
            # A client that declares charset=iso-2022-jp and escapes as WHATWG does (a
            # browser declares no charset, as HTML says, and serve reads no _charset_
            # field) escapes each byte 0x22 after encoding: undone in JIS runs too, where
            # the cell it makes is a letter (_jis_unescaped). A JIS name whose own bytes
            # read "%22" as a letter both ways (ゲ, "%2", before a kanji of row 0x32:
            # "ゲ押" is "\x1b$B%22!\x1b(B") is read with the quote: the trade-off ("ゲ押"
            # read "◆").
            raw = _jis_unescaped(raw) if codec == "iso2022_jp" else _whatwg_unescaped(raw)
    try:
        name = raw.decode(codec)
    except UnicodeError:  # each byte that is not text a lone surrogate, shown \xNN
        try:
            name = raw.decode(codec, "surrogateescape")
        except UnicodeError:  # an ASCII byte that is not text in it (UTF-16's odd byte)
            name = raw.decode("utf-8", "surrogateescape")
    return escaped_name(name)


class _StrictMultiPartParser(MultiPartParser):
    """Starlette's multipart parser, each part's field name decoded strictly in the
    request's charset and each text part (no ``filename``) in its own Content-Type's
    charset, else the request's (UTF-8 when neither names one). A file part is kept as
    Starlette reads it, its name read as sent (``_upload_name``)."""

    def __init__(self, headers: Headers, stream: AsyncGenerator[bytes, None],
                 **limits: Any) -> None:  # Starlette's (max_files, max_fields, max_part_size)
        # The request's charset, as crossbrief reads it (the MIME parser: of
        # ``charset=utf-8; charset=undefined`` the first). Starlette is handed a
        # Content-Type of the boundary alone: it looks a charset up itself (its own parse,
        # the last of two), with codecs.lookup, which raises ValueError on a NUL
        # (``charset=x\x00``: a 500), and decodes the names in it catching only
        # UnicodeDecodeError ("undefined", "punycode" raise a plain UnicodeError: a 500).
        # It then reads them as UTF-8, else Latin-1, which cannot fail; every name it
        # reads is read again here, strictly (on_headers_finished, on_part_end).
        self._request_charset = _content_type(headers.get("content-type"))[1]
        boundary = parse_options_header(headers.get("content-type", "")
                                        )[1].get(b"boundary")
        own = MutableHeaders(raw=list(headers.raw))
        quoted = (boundary or b"").decode("latin-1").replace("\\", "\\\\").replace('"', '\\"')
        own["content-type"] = ("multipart/form-data" if boundary is None
                               else f'multipart/form-data; boundary="{quoted}"')
        super().__init__(own, stream, **limits)

    def on_headers_finished(self) -> None:
        charset = self._request_charset
        # Refused before Starlette reads the part (and before a file of it is spooled to a
        # temporary file), as on_part_end would refuse it.
        _codec(charset, "a field's name", ascii_syntax=True)
        part = self._current_part
        disposition = part.content_disposition or b""  # None: no such header (400 below)
        if (_filename_star(disposition) is not None
                and b"filename" not in parse_options_header(disposition)[1]):
            part.content_disposition = disposition + b'; filename=""'  # else a text field
        super().on_headers_finished()  # makes an UploadFile of a part with a filename
        if part.file is not None:
            part.file.filename = _upload_name(part.content_disposition or b"", charset)

    def on_part_end(self) -> None:
        super().on_part_end()  # appends Starlette's reading of the part
        part = self._current_part
        charset = self._request_charset
        _, options = parse_options_header(part.content_disposition)
        name = _form_text(options[b"name"], charset, None)  # there (on_headers_finished)
        if part.file is not None:
            self.items[-1] = (name, part.file)
            return
        own = _content_type(dict(part.item_headers).get(b"content-type"))[1]  # lowercased
        self.items[-1] = (name, _form_text(bytes(part.data), own or charset, name))


Read = TypeVar("Read")


def _noting(read: Callable[..., Read], *args: Any, **kwargs: Any) -> tuple[Read, list[str]]:
    """What ``read`` returns, and the warnings it logged (:func:`warnings_noted`): run in a
    worker thread, so that the warnings are this request's alone."""
    with warnings_noted() as noted:
        return read(*args, **kwargs), noted


async def _read_articles(request: Request, settings: Settings) -> tuple[
        list[Article], list[Skipped], list[str]]:
    """Articles from a JSON body or a form (uploaded files and a pasted article), read by
    the same code as ``crossbrief analyze``, and the warnings reading them gave (a text read
    with U+FFFD for bytes lost, a date that cannot be read), which the answer repeats: the
    person who sent them reads no server log; 422 when none could be read."""
    found: list[Article | Skipped] = []
    warnings: list[str] = []
    if _is_json(_media_type(request)):
        body = await request.body()
        found, warnings = await run_in_threadpool(_noting, read_upload, body, "request",
                                                  settings, kind="json")
    else:
        form = await _read_form(request, settings, keep_files=True)
        try:
            for value in form.getlist("files"):
                if isinstance(value, UploadFile):
                    data = await value.read()
                    await value.close()  # read: its temporary file is not needed again
                    if not value.filename and not data:
                        continue  # a browser's file field left empty
                    read, noted = await run_in_threadpool(_noting, read_upload, data,
                                                          value.filename or "upload", settings)
                    found += read
                    warnings += noted
        finally:  # every file, also those of other fields and on an error
            await form.close()
        pasted = {f: _field(form, f) for f in PASTE_FIELDS if isinstance(form.get(f), str)}
        if (pasted.get("text") or "").strip():
            record, noted = await run_in_threadpool(_noting, read_record, pasted, "pasted",
                                                    settings)
            found.append(record)
            warnings += noted
        elif not found:
            raise InvalidRequestError("nothing to add: paste an article's text or upload files")
    articles = [a for a in found if isinstance(a, Article)]
    skipped = [s for s in found if isinstance(s, Skipped)]
    if not articles:
        reasons = "; ".join(f"{s.input}: {s.reason} [{s.code}]" for s in skipped)
        raise InvalidRequestError(f"no article could be read ({reasons})",
                       {"skipped": [_skipped(s) for s in skipped]})
    return articles, skipped, warnings


def _store(library: Library, articles: list[Article], skipped: list[Skipped]) -> AddResult:
    """Store what was read; 422 when the clean stage leaves nothing of any of it."""
    result = library.add_articles(articles)
    every = [*skipped, *result.skipped]
    if not result.ids:
        reasons = "; ".join(f"{s.input}: {s.reason} [{s.code}]" for s in every)
        raise InvalidRequestError(f"no article could be read ({reasons})",
                                  {"skipped": [_skipped(s) for s in every]})
    return AddResult(result.added, result.existing, every)


Body = TypeVar("Body", bound=BaseModel)


async def _correct(request: Request, model: type[Body], change: Callable[[Body], LibraryStory],
                   status: int = 200) -> JSONResponse:
    """A correction of the stories: the JSON body read as ``model``, the change made (one
    transaction, in a worker thread), the story it leaves answered."""
    body = model.model_validate(await _read_json(request))
    story = await run_in_threadpool(change, body)
    return JSONResponse(_story(story), status_code=status)


def _field(form: Any, name: str) -> str:
    """A text field of a form ('' when absent or a file)."""
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _required(form: Any, name: str, why: str) -> str:
    """A form's text field that must not be blank, stripped (422 saying ``why`` if it is)."""
    value = _field(form, name).strip()
    if not value:
        raise InvalidRequestError(f"{name}: {why}")
    return value


def _back_to(story: LibraryStory, section: str | None = None) -> RedirectResponse:
    """After a form: the story's page (at ``section``; 303, so reloading it does not post
    again)."""
    return RedirectResponse(f"/stories/{quote(story.id)}" + (f"#{section}" if section else ""),
                            status_code=303)


def _reject(library: Library, story_id: str, body: RejectionRequest) -> tuple[LibraryStory, str]:
    """The rejection a request names, stored: by its spans, else by the claim and article
    or the conflict of the story's brief. Returns the story and the rejection's id."""
    story = library.story(story_id)
    named = {"spans": body.spans is not None, "claim": body.claim is not None,
             "article": body.article is not None, "conflict": body.conflict is not None}
    wanted = ({"spans"}, {"claim", "article"}) if body.kind == "link" else (
        {"spans"}, {"conflict"})
    given = {k for k, v in named.items() if v}
    if given not in wanted:
        raise InvalidRequestError(
            f"a {body.kind} rejection names "
            + " or ".join(" and ".join(sorted(w)) for w in wanted)
            + f", not {' and '.join(sorted(given)) or 'nothing'}")
    if body.spans is not None:
        rejection = library.reject(story.id, body.kind,
                                   [Span(s.article, s.start, s.end) for s in body.spans],
                                   note=body.note)
    elif body.kind == "link":
        assert body.claim is not None and body.article is not None
        rejection = library.reject_link(story.id, body.claim, body.article, note=body.note)
    else:
        assert body.conflict is not None
        rejection = library.reject_conflict(story.id, body.conflict, note=body.note)
    return story, rejection.id


def _slug(text: str) -> str:
    """A file name's stem from a title: ASCII letters, digits and hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "story"


def _skipped(skipped: Skipped) -> dict[str, str]:
    return {"input": skipped.input, "reason": skipped.reason, "code": skipped.code}


def _article_summary(article: Article) -> dict[str, Any]:
    return {"id": article.id, "source": article.source, "title": article.title,
            "url": article.url, "published": article.published, "author": article.author,
            "input": article.input, "encoding": article.encoding, "words": article.words}


def _story(story: LibraryStory) -> dict[str, Any]:
    return {"id": story.id, "name": story.name, "created": story.created,
            "kind": story.kind, "title": story.display_title,
            "articles": story.articles, "brief": f"/api/stories/{story.id}",
            "report": f"/stories/{story.id}"}


def _report(library: Library, story_id: str, settings: Settings) -> str:
    from .render import RenderOptions, render

    story = library.story(story_id)
    link = ("/articles/{article}?start={start}&end={end}"
            f"&back=/stories/{quote(story.id, safe='')}#cited")
    return render(Brief.from_dict(library.brief(story_id, settings)), "html",
                  RenderOptions(title=story.display_title, article_link=link))


# --- pages ---------------------------------------------------------------------------------
# The pages are Jinja2 templates shipped in the package (crossbrief/templates), autoescaped:
# everything from the articles is escaped by the template engine, never by hand.

STORIES_PER_PAGE = 50
# Claims and conflicts shown under each story of the home page (from its stored brief).
TOP_CLAIMS = 3
TOP_CONFLICTS = 2
# Stories offered as targets of a move or merge on a story page (newest activity first).
STORY_CHOICES = 300
COLOURS = 8
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_BACK = re.compile(r"/stories/[^/?#]+")


@lru_cache(maxsize=1)
def templates() -> Environment:
    """The Jinja2 environment of the pages (autoescape on, undefined names are errors)."""
    env = Environment(loader=PackageLoader("crossbrief", "templates"),
                      autoescape=select_autoescape(["html"], default=True),
                      undefined=StrictUndefined, trim_blocks=False)
    env.filters["link"] = _link
    return env


def render_page(template: str, **values: Any) -> str:
    """A page from its template, with the Content-Security-Policy it declares."""
    return templates().get_template(template).render(csp=CSP, **values)


def _link(url: str | None, label: str) -> Markup:
    """An <a> only for http(s) URLs; anything else (javascript:, data:) is plain text."""
    if url and urlparse(url).scheme.lower() in ("http", "https"):
        return Markup('<a href="{}" rel="noopener noreferrer nofollow">{}</a>').format(
            url, label)
    return Markup("{}").format(label)


def _colour(name: str) -> int:
    """A stable colour per outlet name (the same outlet, the same colour on every page)."""
    return int(content_hash("outlet colour", name), 16) % COLOURS


def _coverage(sources: list[str | None]) -> list[dict[str, Any]]:
    """Articles per outlet, most first (then by name), with each one's share in percent."""
    counts: dict[str, int] = {}
    for source in sources:
        counts[source or "(unknown)"] = counts.get(source or "(unknown)", 0) + 1
    total = max(1, len(sources))
    return [{"name": name, "count": n, "percent": round(100 * n / total, 2),
             "colour": _colour(name)}
            for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _brief_digest(brief: dict[str, Any]) -> dict[str, Any]:
    """What the home page shows of a stored brief: the most widely agreed claims (each
    with ``wording``, the span its text is cited from, and ``link``: False until
    :func:`_link_digests` checks it) and the open conflicts."""
    agreed = sorted((c for c in brief.get("claims", [])
                     if c.get("status") in ("consensus", "corroborated")),
                    key=lambda c: (-int(c.get("independent") or 0), c.get("text") or "",
                                   c["id"]))
    conflicts = brief.get("conflicts", [])
    claims = [{**c, "wording": c["support"][0], "link": False}
              for c in agreed[:TOP_CLAIMS] if c.get("support")]
    return {"claims": claims, "conflict_count": len(conflicts),
            "conflicts": [c.get("about") or c.get("kind") or c["id"]
                          for c in conflicts[:TOP_CONFLICTS]]}


@dataclass(frozen=True)
class StoryFilters:
    """The home page's filters, from its GET parameters."""

    q: str = ""
    outlet: str = ""
    since: str = ""
    until: str = ""
    conflicts: bool = False
    page: int = 1

    def params(self, page: int) -> str:
        values = {"q": self.q, "outlet": self.outlet, "since": self.since,
                  "until": self.until, "conflicts": "1" if self.conflicts else "",
                  "page": str(page) if page > 1 else ""}
        return "/?" + urlencode({k: v for k, v in values.items() if v})


def _day(value: str | None, name: str) -> str:
    """A YYYY-MM-DD date parameter ('' when not given); 422 when it is not a date."""
    value = (value or "").strip()
    if not value:
        return ""
    if not _DAY.fullmatch(value):
        raise InvalidRequestError(f"{name}: {value[:40]!r} is not a date (YYYY-MM-DD)")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise InvalidRequestError(f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None
    return value


def _home(library: Library, settings: Settings, filters: StoryFilters) -> str:
    """The stories, newest activity first, filtered; a page of them."""
    if filters.since and filters.until and filters.since > filters.until:
        raise InvalidRequestError(f"the date range ends ({filters.until}) before it starts "
                                  f"({filters.since})")
    listing = library.story_list()
    activity = library.activity()
    every = listing.stories
    outlets = sorted({o for s in every for o in s.outlets}, key=lambda o: (o.casefold(), o))
    found = every
    if filters.q:
        words = filters.q.casefold().split()
        hits = {h.id for h in library.search(filters.q, 500)}

        def matches(entry: StoryEntry) -> bool:
            seen = " ".join([entry.title or "", entry.name or "", *entry.outlets]).casefold()
            return all(w in seen for w in words) or any(a.id in hits for a in entry.articles)

        found = [s for s in found if matches(s)]
    if filters.outlet:
        # An outlet typed in full (as the field suggests it) picks that outlet alone; any
        # other text picks every outlet holding it, ignoring case ("cbslocal").
        wanted = filters.outlet.casefold()
        exact = [s for s in found if any(o.casefold() == wanted for o in s.outlets)]
        found = exact or [s for s in found if any(wanted in o.casefold() for o in s.outlets)]
    if filters.since:
        found = [s for s in found if s.last_seen and s.last_seen[:10] >= filters.since]
    if filters.until:
        found = [s for s in found if s.first_seen and s.first_seen[:10] <= filters.until]
    order = library.activity_order()
    found.sort(key=lambda s: (order.get(s.id, 0), s.last_seen or "", s.id), reverse=True)
    briefs: dict[str, dict[str, Any]] = {}

    def brief_of(entry: StoryEntry) -> dict[str, Any] | None:
        if entry.id not in briefs:
            story = LibraryStory(entry.id, entry.name or entry.id, entry.created or "",
                          [a.id for a in entry.articles], entry.kind or "auto")  # type: ignore[arg-type]
            brief = library.current_brief(story, settings)
            briefs[entry.id] = {} if brief is None else brief
        return briefs[entry.id] or None

    if filters.conflicts:
        found = [s for s in found if (brief_of(s) or {}).get("conflicts")]
    pages = max(1, -(-len(found) // STORIES_PER_PAGE))
    if filters.page > pages:
        raise InvalidRequestError(f"page: there are {pages} pages of stories, not "
                                  f"{filters.page}")
    shown = found[(filters.page - 1) * STORIES_PER_PAGE:filters.page * STORIES_PER_PAGE]
    rows: list[dict[str, Any]] = []
    for entry in shown:
        brief = brief_of(entry)
        rows.append({
            "id": entry.id, "title": entry.name or entry.title or entry.id, "kind": entry.kind,
            "count": len(entry.articles), "first_seen": entry.first_seen,
            "last_seen": entry.last_seen, "activity": activity.get(entry.id),
            "outlets": _coverage([a.source for a in entry.articles]),
            "brief": _brief_digest(brief) if brief else None,
        })
    _link_digests(library, [r["brief"] for r in rows if r["brief"]])
    return render_page(
        "home.html", stories=rows, total=len(found), all_stories=len(every),
        articles=library.count(), outlets=outlets, filters=filters,
        prev_page=filters.params(filters.page - 1) if filters.page > 1 else None,
        next_page=filters.params(filters.page + 1) if filters.page < pages else None)


def _link_digests(library: Library, digests: Sequence[dict[str, Any]]) -> None:
    """Mark each claim of the home page's ``digests`` a link (``link``) only when its
    wording's span holds its words in the article's clean text as the article page makes
    it now, as the story page's links (:func:`_linkable`): the articles cited are read
    once, together."""
    claims = [c for d in digests for c in d["claims"]]
    wanted = sorted({c["wording"]["article"] for c in claims})
    try:
        known = library.articles(wanted) if wanted else []
    except UnknownArticleError:  # one no longer stored: _linkable reads each, unlinked
        known = []
    linkable = _linkable(library, known)
    for claim in claims:
        span = claim["wording"]
        claim["link"] = linkable(span["article"], span.get("start"), span.get("end"),
                                 claim.get("text"))


def _articles_page(library: Library, query: str | None, notice: str | None) -> str:
    if query:
        hits = library.search(query, PAGE_ARTICLES)
        articles = library.articles([h.id for h in hits])
        snippets = {h.id: h.snippet for h in hits}
    else:
        articles = library.articles(limit=PAGE_ARTICLES)
        snippets = {}
    added = library.article_added([a.id for a in articles]) if articles else {}
    rows = [{"id": a.id, "source": a.source, "title": a.title, "url": a.url,
             "snippet": snippets.get(a.id), "added": added.get(a.id, "")} for a in articles]
    return render_page("articles.html", rows=rows, query=query or "", notice=notice,
                       total=library.count(), named=library.stories("named"),
                       auto=library.count_stories("auto"))


def _article_page(library: Library, article_id: str, back: str | None,
                  start: int | None = None, end: int | None = None) -> str:
    article = library.article(article_id)
    meta = [v for v in (article.source, article.published, article.author) if v]
    clean = _clean_now(article)
    return render_page("article.html", article=article, meta=meta, clean=clean,
                       parts=_cited_parts(clean or "", start, end),
                       original=library.corrected([article.id]).get(article.id),
                       back=back if back and _BACK.fullmatch(back) else None)


def _clean_now(article: Article) -> str | None:
    """The clean text as a brief's analysis makes it from the article as stored now (its
    corrections included): the text every span of a brief, and so every citation link,
    counts. Cleaning a copy leaves the stored values (shown in the correction form) as they
    are."""
    return clean_article_text(replace(article))[0]


def _cited_parts(text: str, start: int | None, end: int | None) -> tuple[str, str, str]:
    """``text`` as (before, cited, after) around the span ``start``-``end`` (offsets in code
    points, as a brief's); all of it before when no span is given. A span that is not one
    of the text (one end alone, empty, reversed, past the end) is MalformedInputError."""
    if start is None and end is None:
        return text, "", ""
    if start is None or end is None or not 0 <= start < end <= len(text):
        raise MalformedInputError(
            f"start={start} end={end} is no span of the article's clean text "
            f"(give both, 0 <= start < end <= {len(text)})")
    return text[:start], text[start:end], text[end:]


def _story_page(library: Library, story_id: str, settings: Settings,
                notice: str | None) -> str:
    story = library.story(story_id)
    articles = sorted(library.articles(story.articles),
                      key=lambda a: (a.published or "", a.id))
    dates = sorted(a.published for a in articles if a.published)
    choices = [(id, title) for id, title in library.recent_stories("auto", STORY_CHOICES + 1)
               if id != story.id][:STORY_CHOICES]
    view = library.brief_view(story, settings)
    changes = view.changes
    source_of = {a.id: a.source for a in articles}
    linkable = _linkable(library, articles)
    review = _review(view.brief, source_of, view.rejections, linkable)
    if changes is not None:
        # A change's claim carries the spans of the brief it comes from, which may be an
        # older one than the article page's text (dropped_claims always is).
        changes = {k: [{**c, "link": bool(c.get("article"))
                        and linkable(c["article"], c.get("start"), c.get("end"), c.get("text"))}
                       for c in v] if k in _CHANGED_CLAIMS else v
                   for k, v in changes.items()}
    return render_page(
        "story.html", story=story, title=story.display_title, notice=notice,
        state=view.state,
        changes=changes if changes is not None and has_changes(changes) else None,
        articles=articles, outlets=_coverage([a.source for a in articles]),
        first_seen=dates[0] if dates else None, last_seen=dates[-1] if dates else None,
        corrected=set(library.corrected(story.articles)),
        choices=[{"id": id, "title": title} for id, title in choices],
        tables=list(TABLES), review=review,
        rejected=[{**r, "spans": [{**x, "outlet": source_of.get(x["article"], x["article"]),
                                   "link": linkable(x["article"], x["start"], x["end"],
                                                    x.get("text"))}
                                  for x in r["spans"]]} for r in library.rejected(story)])


# The lists of a story's changes whose entries are claims, each citing one span.
_CHANGED_CLAIMS = ("new_claims", "gained", "lost", "dropped_claims")

Linkable = Callable[[str, Any, Any, Any], bool]


def _linkable(library: Library, articles: Sequence[Article]) -> Linkable:
    """Whether a span shown on the story page (article, start, end, the words shown) may link
    to the article page: only when the article's clean text as that page makes it now holds
    exactly those words there. A span comes from a stored brief or rejection, made from the
    text as it was then; a correction (a title no longer cut from the text) or another
    release's cleaning moves the words, and the link would mark others (or none)."""
    known = {a.id: a for a in articles}
    texts: dict[str, str | None] = {}

    def text(article_id: str) -> str | None:
        if article_id not in texts:
            article = known.get(article_id)
            if article is None:
                try:
                    article = library.article(article_id)
                except UnknownArticleError:
                    texts[article_id] = None
                    return None
            texts[article_id] = _clean_now(article)
        return texts[article_id]

    def linkable(article_id: str, start: Any, end: Any, shown: Any) -> bool:
        clean = text(article_id)
        return (clean is not None and isinstance(start, int) and isinstance(end, int)
                and 0 <= start < end <= len(clean) and clean[start:end] == shown)

    return linkable


def _review(brief: dict[str, Any] | None, outlets: dict[str, str],
            rejections: Sequence[Rejection], linkable: Linkable) -> dict[str, Any] | None:
    """What the story page offers to reject, from the story's last brief (None when none is
    stored): its conflicts and updates, and each claim's links (every supporting span after
    the claim's wording; the one link of a claim of two articles). Each says whether one of
    ``rejections`` already rejects it (the brief shown was made before it), and each passage
    whether it links to the article page (``linkable``)."""
    if brief is None:
        return None
    texts = {a["id"]: a.get("text", "") for a in brief.get("articles", [])}

    def done(kind: str, *spans: dict[str, Any]) -> bool:
        found = [Span(s["article"], s["start"], s["end"]) for s in spans]
        return any(r.kind == kind and r.covers(found) for r in rejections)

    def side(span: dict[str, Any]) -> dict[str, Any]:
        shown = texts.get(span["article"], "")[span["start"]:span["end"]]
        return {"article": span["article"], "start": span["start"], "end": span["end"],
                "outlet": outlets.get(span["article"], span["article"]), "text": shown,
                "link": linkable(span["article"], span["start"], span["end"], shown),
                "value": span.get("value"), "rejected": False}

    conflicts = [{"id": c["id"], "kind": c["kind"], "about": c.get("about") or c["kind"],
                  "is_update": key == "updates", "sides": [side(x) for x in c["sides"]],
                  "rejected": done("conflict", *c["sides"])}
                 for key in ("conflicts", "updates") for c in brief.get(key, [])]
    claims = [{"id": c["id"], "text": c["text"], "status": c["status"],
               "wording": side(c["support"][0]),
               "links": [{**side(x), "rejected": done("link", c["support"][0], x)}
                         for x in c["support"][1:]]}
              for c in brief.get("claims", []) if len(c["support"]) > 1]
    return {"conflicts": conflicts, "claims": claims,
            "links": sum(len(c["links"]) for c in claims)}
