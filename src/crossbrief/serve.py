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

import errno
import html
import json
import logging
import os
import re
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from email.message import Message as MimeHeader
from http import HTTPStatus
from pathlib import Path
from typing import Any, Literal, TypeVar
from urllib.parse import quote, urlparse

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import __version__
from .config import Settings, load_settings
from .errors import (
    CrossbriefError,
    EmptyStoryError,
    InputError,
    InternalServerError,
    InvalidRequestError,
    PortInUseError,
    RequestError,
    RequestTooLargeError,
    RouteNotFoundError,
    ServeError,
    StoryEditError,
    UnknownArticleError,
    UnknownStoryError,
    UnsupportedMediaTypeError,
)
from .ingest import read_record, read_upload
from .model import Article, Corpus, Skipped
from .store import AddResult, Library, Story

log = logging.getLogger("crossbrief.serve")

# Nothing remote, no plugins, no framing; inline style and script are allowed because the
# report and the page are single self-contained documents.
CSP = ("default-src 'none'; style-src 'self' 'unsafe-inline'; "
       "script-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
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
STATUS_CODES = {404: RouteNotFoundError.code, 405: RouteNotFoundError.code,
                413: RequestTooLargeError.code, 415: UnsupportedMediaTypeError.code,
                422: InvalidRequestError.code, 500: InternalServerError.code}
PAGE_ARTICLES = 200
# The web page's routes, whose errors are answered as an HTML page (by path, whatever the
# method, so a wrong method or an oversized upload there gets a page too).
PAGE_ROUTES = re.compile(r"/|/(?:articles|stories)(?:/[^/]+)?")
PASTE_FIELDS = ("text", "title", "source", "url", "published", "author")


class StoryRequest(BaseModel):
    """The body of ``POST /api/stories``."""

    name: str = Field(min_length=1, max_length=200, description="The story's name (unique).")
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
    name: str | None = Field(None, min_length=1, max_length=200,
                             description="A name for the new story.")


class RenameRequest(BaseModel):
    """The body of ``PATCH /api/stories/{id}``."""

    name: str = Field(min_length=1, max_length=200, description="The story's new name.")


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


def error_page(status: int, code: str, message: str) -> HTMLResponse:
    """An error answered to a person using the web page: the site's look, the message and
    its code, a link back to the library; the same status as the API would answer."""
    try:
        title = f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        title = str(status)
    body = (f'<p><a href="/">← library</a></p><h1>{_e(title)}</h1>'
            f'<p class="error" id="error">{_e(message)} <span class="muted">[{_e(code)}]'
            f'</span></p><p><a href="/" id="back">Back to the library</a></p>')
    return HTMLResponse(_page(f"{title} · crossbrief", body), status_code=status,
                        headers=SECURITY_HEADERS)


def _error(path: str, status: int, code: str, message: str, detail: Any = None) -> Response:
    if is_page_route(path):
        return error_page(status, code, message)
    return error_response(status, code, message, detail)


def status_of(exc: CrossbriefError) -> int:
    """The HTTP status a crossbrief error is answered with."""
    if isinstance(exc, RequestError):
        return exc.status
    if isinstance(exc, UnknownArticleError | UnknownStoryError):
        return 404
    if isinstance(exc, StoryEditError):
        return 409
    if isinstance(exc, EmptyStoryError | InputError):
        return 422
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
    where = ".".join(str(p) for p in first["loc"])
    message = f"{where}: {first['msg']}" if where else str(first["msg"])
    return _error(request.url.path, 422, InvalidRequestError.code, message, problems)


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
        csp = DOCS_CSP if scope.get("path") in ("/docs", "/redoc") else CSP

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != b"content-security-policy"]
                for name, value in {**SECURITY_HEADERS,
                                    "Content-Security-Policy": csp}.items():
                    if name != "Content-Security-Policy" and any(
                            k.lower() == name.lower().encode() for k, _ in headers):
                        continue
                    headers.append((name.lower().encode(), value.encode()))
                message["headers"] = headers
            await send(message)

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
        articles, skipped = await _read_articles(request, settings)
        result = await run_in_threadpool(_store, library, articles, skipped)
        return JSONResponse({
            "ids": result.ids, "added": result.added, "existing": result.existing,
            "skipped": [_skipped(s) for s in result.skipped],
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
        """One stored article, with its raw text as ingested."""
        article = await run_in_threadpool(library.article, article_id)
        added = await run_in_threadpool(library.article_added, [article_id])
        return {**_article_summary(article), "added": added.get(article_id),
                "text": article.text}

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

    @app.get("/stories/{story_id}", response_class=HTMLResponse, tags=["pages"])
    async def story_report(story_id: str) -> HTMLResponse:
        """The story's brief as a self-contained HTML report."""
        return HTMLResponse(await run_in_threadpool(_report, library, story_id, settings))

    @app.get("/", response_class=HTMLResponse, tags=["pages"])
    async def home(q: str | None = Query(None, max_length=1000)) -> HTMLResponse:
        """The web page: add articles, pick them, group them into a story."""
        return HTMLResponse(await run_in_threadpool(_home, library, q, None))

    @app.post("/articles", response_class=HTMLResponse, tags=["pages"])
    async def add_articles_form(request: Request) -> HTMLResponse:
        """The page's article form: stores what was pasted or uploaded, shows the page."""
        articles, skipped = await _read_articles(request, settings)
        result = await run_in_threadpool(_store, library, articles, skipped)
        notice = (f"{len(result.added)} added, {len(result.existing)} already in the library"
                  + "".join(f"; skipped {s.input}: {s.reason} [{s.code}]"
                            for s in result.skipped))
        return HTMLResponse(await run_in_threadpool(_home, library, None, notice),
                            status_code=201)

    @app.post("/stories", tags=["pages"])
    async def create_story_form(request: Request) -> RedirectResponse:
        """The page's story form: creates the story, then opens its report."""
        form = await _read_form(request, settings)
        name = form.get("name")
        ids = [v for v in form.getlist("articles") if isinstance(v, str)]
        story = await run_in_threadpool(
            library.create_story, name if isinstance(name, str) else "", ids)
        return RedirectResponse(f"/stories/{quote(story.id)}", status_code=303)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, tags=["pages"])
    async def article_page(article_id: str) -> HTMLResponse:
        """One stored article as a page."""
        article = await run_in_threadpool(library.article, article_id)
        return HTMLResponse(_article_page(article))

    return app


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on ``host``:``port``, for the server to take over: bound before
    anything starts, so a port in use is a clear error (PortInUseError) rather than a line in
    the server's log."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if os.name != "nt":  # as uvicorn does; on Windows it would let two servers share a port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", errno.EADDRINUSE)):
            raise PortInUseError(f"port {port} is in use; choose another with --port") from None
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


# --- reading requests ----------------------------------------------------------------------


def _media_type(request: Request) -> str:
    message = MimeHeader()
    message["content-type"] = request.headers.get("content-type", "")
    return message.get_content_type() if request.headers.get("content-type") else ""


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
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidRequestError(f"body is not valid JSON: {exc}") from None


async def _read_form(request: Request, settings: Settings) -> Any:
    media = _media_type(request)
    if media not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raise UnsupportedMediaTypeError(
            f"send multipart/form-data or application/x-www-form-urlencoded, not "
            f"{media or 'a body without Content-Type'}")
    return await request.form(max_part_size=settings.max_request_bytes)


async def _read_articles(request: Request, settings: Settings) -> tuple[
        list[Article], list[Skipped]]:
    """Articles from a JSON body or a form (uploaded files and a pasted article), read by
    the same code as ``crossbrief analyze``; 422 when none could be read."""
    found: list[Article | Skipped] = []
    if _is_json(_media_type(request)):
        body = await request.body()
        found = await run_in_threadpool(read_upload, body, "request", settings, kind="json")
    else:
        form = await _read_form(request, settings)
        for value in form.getlist("files"):
            if isinstance(value, UploadFile):
                data = await value.read()
                if not value.filename and not data:
                    continue  # a browser's file field left empty
                found += await run_in_threadpool(read_upload, data,
                                                 value.filename or "upload", settings)
        pasted = {f: form.get(f) for f in PASTE_FIELDS if isinstance(form.get(f), str)}
        if (pasted.get("text") or "").strip():
            found.append(await run_in_threadpool(read_record, pasted, "pasted", settings))
        elif not found:
            raise InvalidRequestError("nothing to add: paste an article's text or upload files")
    articles = [a for a in found if isinstance(a, Article)]
    skipped = [s for s in found if isinstance(s, Skipped)]
    if not articles:
        reasons = "; ".join(f"{s.input}: {s.reason} [{s.code}]" for s in skipped)
        raise InvalidRequestError(f"no article could be read ({reasons})",
                       {"skipped": [_skipped(s) for s in skipped]})
    return articles, skipped


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


async def _correct(request: Request, model: type[Body], change: Callable[[Body], Story],
                   status: int = 200) -> JSONResponse:
    """A correction of the stories: the JSON body read as ``model``, the change made (one
    transaction, in a worker thread), the story it leaves answered."""
    body = model.model_validate(await _read_json(request))
    story = await run_in_threadpool(change, body)
    return JSONResponse(_story(story), status_code=status)


def _skipped(skipped: Skipped) -> dict[str, str]:
    return {"input": skipped.input, "reason": skipped.reason, "code": skipped.code}


def _article_summary(article: Article) -> dict[str, Any]:
    return {"id": article.id, "source": article.source, "title": article.title,
            "url": article.url, "published": article.published, "author": article.author,
            "input": article.input, "encoding": article.encoding, "words": article.words}


def _story(story: Story) -> dict[str, Any]:
    return {"id": story.id, "name": story.name, "created": story.created,
            "kind": story.kind, "title": story.display_title,
            "articles": story.articles, "brief": f"/api/stories/{story.id}",
            "report": f"/stories/{story.id}"}


def _report(library: Library, story_id: str, settings: Settings) -> str:
    from .render import render

    return render(Corpus.from_dict(library.brief(story_id, settings)), "html")


# --- pages ---------------------------------------------------------------------------------

STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;table-layout:fixed}
td,th{border-bottom:1px solid #ddd;padding:.3rem .4rem;text-align:left;vertical-align:top;
overflow-wrap:anywhere;word-break:break-word}
th.pick,td.pick{width:2rem}th.src{width:12rem}th.when{width:11rem}
textarea{width:100%;min-height:8rem;box-sizing:border-box}
input[type=text],input[type=url],input[type=search]{width:100%;box-sizing:border-box}
.row{display:grid;grid-template-columns:repeat(3,1fr);gap:.5rem;margin:.5rem 0}
.notice{background:#eef6ee;border:1px solid #9c9;padding:.5rem;overflow-wrap:anywhere}
.error{background:#fbeeee;border:1px solid #c99;padding:.5rem;overflow-wrap:anywhere}
pre{white-space:pre-wrap;overflow-wrap:anywhere;max-width:100%}
.muted{color:#666}
"""


def _page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f'<meta http-equiv="Content-Security-Policy" content="{html.escape(CSP)}">'
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head>"
            f"<body>{body}</body></html>")


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _link(url: str | None, label: str) -> str:
    """An <a> only for http(s) URLs; anything else (javascript:, data:) is plain text."""
    if url and urlparse(url).scheme.lower() in ("http", "https"):
        return f'<a href="{_e(url)}" rel="noopener noreferrer nofollow">{_e(label)}</a>'
    return _e(label)


def _home(library: Library, query: str | None, notice: str | None) -> str:
    if query:
        hits = library.search(query, PAGE_ARTICLES)
        articles = library.articles([h.id for h in hits])
        snippets = {h.id: h.snippet for h in hits}
    else:
        articles = library.articles(limit=PAGE_ARTICLES)
        snippets = {}
    added = library.article_added([a.id for a in articles]) if articles else {}
    rows = "".join(
        f'<tr><td class="pick"><input type="checkbox" name="articles" value="{_e(a.id)}" '
        f'id="pick-{_e(a.id)}" form="story-form"></td>'
        f"<td>{_e(a.source)}</td>"
        f'<td><a href="/articles/{_e(quote(a.id))}">{_e(a.title or "(no title)")}</a>'
        + (f' <span class="muted">{_e(snippets[a.id])}</span>' if a.id in snippets else "")
        + (f" · {_link(a.url, 'original')}" if a.url else "")
        + f"</td><td>{_e(added.get(a.id, ''))}</td></tr>"
        for a in articles
    )
    stories = "".join(
        f'<li><a href="/stories/{_e(quote(s.id))}">{_e(s.name)}</a> '
        f'<span class="muted">{len(s.articles)} articles · '
        f'<a href="/api/stories/{_e(quote(s.id))}">JSON</a></span></li>'
        for s in library.stories("named")
    )
    total = library.count()
    auto = library.count_stories("auto")
    body = f"""
<h1>crossbrief library</h1>
{f'<p class="notice" id="notice">{_e(notice)}</p>' if notice else ''}
<h2>Add articles</h2>
<form id="add-form" method="post" action="/articles" enctype="multipart/form-data">
<p><label>Upload files (.txt, .md, .html, .json, .jsonl)
<input type="file" name="files" id="files" multiple
 accept=".txt,.text,.md,.markdown,.html,.htm,.xhtml,.json,.jsonl,.ndjson"></label></p>
<p><label for="text">or paste an article's text</label>
<textarea name="text" id="text"></textarea></p>
<div class="row"><input type="text" name="title" placeholder="title">
<input type="text" name="source" placeholder="outlet">
<input type="url" name="url" placeholder="https://…"></div>
<p><button type="submit" id="add">Add to the library</button></p>
</form>
<h2>Articles <span class="muted">({total} stored)</span></h2>
<form method="get" action="/"><input type="search" name="q" value="{_e(query or '')}"
 placeholder="search titles and text"></form>
<form id="story-form" method="post" action="/stories" enctype="multipart/form-data">
<p><label>Story name <input type="text" name="name" id="story-name" required></label>
<button type="submit" id="make-story">Group the ticked articles into a story</button></p>
</form>
<table id="articles"><thead><tr><th class="pick"></th><th class="src">outlet</th>
<th>title</th><th class="when">added (UTC)</th></tr></thead><tbody>{rows}</tbody></table>
<h2>Stories</h2><ul id="stories">{stories}</ul>
<p class="muted" id="auto-stories">{_e(auto)} automatic stories group the stored articles:
<a href="/api/stories?kind=auto">JSON</a> · <code>crossbrief stories --db</code></p>
<p class="muted">API: <a href="/docs">/docs</a> (loads Swagger UI from a CDN)</p>
"""
    return _page("crossbrief library", body)


def _article_page(article: Article) -> str:
    meta = " · ".join(_e(v) for v in (article.source, article.published, article.author) if v)
    body = (f'<p><a href="/">← library</a></p><h1>{_e(article.title or "(no title)")}</h1>'
            f'<p class="muted">{meta}'
            + (f" · {_link(article.url, article.url or '')}" if article.url else "")
            + f'</p><pre id="text">{_e(article.text)}</pre>')
    return _page(article.title or article.id, body)
