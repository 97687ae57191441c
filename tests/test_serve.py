from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import lxml.html
import pytest
from fastapi.testclient import TestClient

from crossbrief.cli import example_path
from crossbrief.config import load_settings
from crossbrief.render import formats
from crossbrief.serve import CSP, create_app

from .conftest import FIXTURES, ROOT

HOSTILE = FIXTURES / "hostile" / "hostile.json"
STORIES_SCHEMA = json.loads((ROOT / "docs" / "stories.schema.json").read_text("utf-8"))
ERROR_KEYS = {"status", "code", "message", "detail"}
# The web page's routes: their errors are HTML pages for a person, not the API's JSON.
PAGES = re.compile(r"/|/articles|/stories|/articles/[^/]+|/stories/[^/]+")


def check_response(response: httpx.Response) -> None:
    """Every response carries the security headers; every error has the one shape (on the
    page routes, an HTML page with the same status and code)."""
    response.read()
    assert response.headers["content-security-policy"] in (CSP,) or \
        response.request.url.path == "/docs"
    assert response.headers["x-content-type-options"] == "nosniff"
    if response.status_code >= 400 and PAGES.fullmatch(response.request.url.path):
        check_error_page(response)
    elif response.status_code >= 400:
        assert response.headers["content-type"] == "application/json"
        body = response.json()
        assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS, body
        error = body["error"]
        assert error["status"] == response.status_code
        assert re.fullmatch(r"E\d{3}", error["code"]) and isinstance(error["message"], str)
        assert error["message"]


def check_error_page(response: httpx.Response) -> None:
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = lxml.html.document_fromstring(response.text)
    assert page.findtext(".//h1").startswith(f"{response.status_code} ")
    assert re.search(r"\[E\d{3}\]$", page.get_element_by_id("error").text_content())
    assert page.get_element_by_id("back").get("href") == "/"
    assert "<style>" in response.text and response.text.startswith("<!doctype html>")


def page_error(response: httpx.Response, status: int, code: str) -> str:
    """The message of an error page (its status and code checked)."""
    assert response.status_code == status, response.text
    message = lxml.html.document_fromstring(response.text).get_element_by_id("error")
    text: str = message.text_content()
    assert text.endswith(f"[{code}]"), text
    return text


def client_for(app: Any) -> TestClient:
    client = TestClient(app, raise_server_exceptions=False)
    client.event_hooks["response"] = [check_response]
    return client


def error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()["error"]
    assert body["code"] == code, body
    return body


def seed_records(seed_dir: Path) -> list[dict[str, str]]:
    return [{"text": p.read_text("utf-8"), "source": p.stem, "title": f"Seed {p.stem[:3]}"}
            for p in sorted(seed_dir.glob("*.txt"))]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_app(tmp_path_factory.mktemp("serve") / "library.db")
    with client_for(app) as client:
        yield client


@pytest.fixture(scope="module")
def seed_story(client: TestClient, seed_dir: Path) -> dict[str, Any]:
    """The seed corpus posted as JSON, grouped into a story, its brief fetched (once)."""
    response = client.post("/api/articles", json=seed_records(seed_dir))
    assert response.status_code == 201
    story = client.post("/api/stories", json={"name": "Xi in Moscow",
                                              "articles": response.json()["ids"]})
    assert story.status_code == 201
    brief = client.get(f"/api/stories/{story.json()['id']}")
    assert brief.status_code == 200
    return {"story": story.json(), "brief": brief.json(), "ids": response.json()["ids"]}


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_post_json_articles(client: TestClient, seed_story: dict[str, Any],
                            seed_dir: Path) -> None:
    again = client.post("/api/articles", json=seed_records(seed_dir))
    assert again.status_code == 201
    assert again.json()["added"] == [] and again.json()["existing"] == seed_story["ids"]
    # one object, the field names of news APIs, and a bad record skipped with its reason
    response = client.post("/api/articles", json={"articles": [
        {"content": "The harbour opened on Monday, the mayor said.", "headline": "Harbour",
         "publishedAt": "2024-05-06T10:00:00Z", "source": {"name": "Harbour Times"}},
        {"title": "no text here"},
    ]})
    assert response.status_code == 201
    body = response.json()
    assert len(body["added"]) == 1
    assert body["skipped"] == [{"input": "request#2", "code": "E105", "reason": (
        "article has no text (expected a field: text, content, body, maintext, article, "
        "full_text, raw_text)")}]
    article = client.get(f"/api/articles/{body['added'][0]}").json()
    assert (article["source"], article["title"], article["published"]) == (
        "Harbour Times", "Harbour", "2024-05-06T10:00:00+00:00")


def test_upload_files(client: TestClient) -> None:
    paths = sorted(p for p in example_path().iterdir() if p.suffix in (".html", ".txt"))
    files = [("files", (p.name, p.read_bytes())) for p in paths]
    files.append(("files", ("notes.pdf", b"%PDF-1.4")))
    response = client.post("/api/articles", files=files)
    assert response.status_code == 201, response.text
    body = response.json()
    assert len(body["ids"]) == 6
    assert [s["input"] for s in body["skipped"]] == ["notes.pdf"]
    assert body["skipped"][0]["code"] == "E105"
    sources = {client.get(f"/api/articles/{i}").json()["source"] for i in body["ids"]}
    assert "The Maravel Daily" in sources or len(sources) == 6


def test_uploads_store_titles_and_skip_boilerplate(client: TestClient) -> None:
    """Issue 15: the web upload stored no titles (the library listed "(no title)"). The
    clean stage's title is stored; an article of boilerplate alone is skipped with its
    reason, as a brief would skip it."""
    text = ("Harbour reopens after the storm\n\nThe harbour of Tallport reopened on Monday "
            "after three days of storms, the port authority said. Ferries resumed at noon.")
    uploaded = client.post("/articles", files=[("files", ("harbour.txt", text.encode()))])
    assert uploaded.status_code == 201
    found = client.get("/api/articles", params={"q": "Tallport harbour"}).json()["articles"]
    assert [a["title"] for a in found] == ["Harbour reopens after the storm"]
    assert "Harbour reopens after the storm" in client.get("/").text
    posted = client.post("/api/articles", json=[{"text": "Advertisement"}, {"text": text}])
    assert posted.status_code == 201
    assert [(s["input"], s["code"]) for s in posted.json()["skipped"]] == [("request#1",
                                                                             "E106")]
    error(client.post("/api/articles", json={"text": "Advertisement"}), 422, "E513")


def test_list_search_and_get(client: TestClient, seed_story: dict[str, Any]) -> None:
    listed = client.get("/api/articles", params={"limit": 1000}).json()["articles"]
    assert set(seed_story["ids"]) <= {a["id"] for a in listed}
    assert "text" not in listed[0]
    found = client.get("/api/articles", params={"q": "Putin Xi"}).json()["articles"]
    assert set(seed_story["ids"]) <= {a["id"] for a in found}
    assert all(a["snippet"] for a in found)
    for query in ['"', "AND OR", "*", "NEAR(", "\x00"]:
        assert client.get("/api/articles", params={"q": query}).status_code == 200
    first = client.get(f"/api/articles/{seed_story['ids'][0]}").json()
    assert first["text"].strip() and first["added"]


def test_stories(client: TestClient, seed_story: dict[str, Any]) -> None:
    story = seed_story["story"]
    assert story["articles"] == seed_story["ids"] and story["name"] == "Xi in Moscow"
    names = [s["name"] for s in client.get("/api/stories").json()["stories"]]
    assert "Xi in Moscow" in names
    brief = seed_story["brief"]
    assert brief["schema"] == "crossbrief.brief/1"
    # The brief lists them in its canonical order (publication date, then id).
    assert sorted(a["id"] for a in brief["articles"]) == sorted(seed_story["ids"])
    started = time.monotonic()
    assert client.get(f"/api/stories/{story['id']}").json() == brief  # the stored brief
    assert client.get("/api/stories/Xi in Moscow").json() == brief  # by name too
    assert time.monotonic() - started < 2


def test_api_stories(client: TestClient, seed_story: dict[str, Any]) -> None:
    """The automatic stories (every stored article in exactly one) and the named ones, in
    the crossbrief.stories/1 shape; bad parameters are 422, never 500."""
    data = client.get("/api/stories").json()
    jsonschema.validate(data, STORIES_SCHEMA)
    auto = [s for s in data["stories"] if s["kind"] == "auto"]
    named = [s for s in data["stories"] if s["kind"] == "named"]
    grouped = [a["id"] for s in auto for a in s["articles"]]
    assert len(grouped) == len(set(grouped)) and set(seed_story["ids"]) <= set(grouped)
    assert data["stories"] == auto + named and data["total"] == len(data["stories"])
    story = next(s for s in named if s["name"] == "Xi in Moscow")
    assert {a["id"] for a in story["articles"]} == set(seed_story["ids"])
    assert story["links"] == {"brief": f"/api/stories/{story['id']}",
                              "report": f"/stories/{story['id']}"}
    assert all(a["title"] and a["title"].startswith("Seed ") for a in story["articles"])
    only_auto = client.get("/api/stories", params={"kind": "auto", "limit": 1, "offset": 1})
    assert only_auto.json()["stories"] == auto[1:2]
    assert only_auto.json()["total"] == len(auto)
    for params in ({"kind": "bogus"}, {"limit": 0}, {"limit": 1001}, {"offset": -1},
                   {"limit": "many"}):
        error(client.get("/api/stories", params=params), 422, "E513")
    # an automatic story's brief is served like a named one's
    smallest = min(auto, key=lambda s: (len(s["articles"]), s["id"]))
    brief = client.get(smallest["links"]["brief"]).json()
    assert sorted(a["id"] for a in brief["articles"]) == sorted(
        a["id"] for a in smallest["articles"])


def test_correcting_automatic_stories(client: TestClient, seed_story: dict[str, Any]) -> None:
    """Move, split, merge and rename through the API; what cannot be done is 4xx."""
    auto = client.get("/api/stories", params={"kind": "auto"}).json()["stories"]
    assert len(auto) >= 2
    first, second = auto[0], auto[1]
    article = second["articles"][0]["id"]
    moved = client.post(f"/api/stories/{first['id']}/articles", json={"articles": [article]})
    assert moved.status_code == 200 and article in moved.json()["articles"]
    split = client.post(f"/api/stories/{first['id']}/split",
                        json={"articles": [article], "name": "moved out"})
    assert split.status_code == 201 and split.json()["articles"] == [article]
    assert split.json()["title"] == "moved out" and split.json()["kind"] == "auto"
    merged = client.post(f"/api/stories/{first['id']}/merge", json={"stories": ["moved out"]})
    assert merged.status_code == 200 and article in merged.json()["articles"]
    renamed = client.patch(f"/api/stories/{first['id']}", json={"name": "first, renamed"})
    assert renamed.json()["name"] == renamed.json()["title"] == "first, renamed"
    listed = client.get("/api/stories", params={"kind": "auto"}).json()["stories"]
    story = next(s for s in listed if s["id"] == first["id"])
    assert story["name"] == "first, renamed" and article in {a["id"] for a in story["articles"]}
    named = seed_story["story"]["id"]
    error(client.post(f"/api/stories/{named}/articles", json={"articles": [article]}),
          409, "E506")
    error(client.post(f"/api/stories/{first['id']}/merge", json={"stories": [first["id"]]}),
          409, "E506")
    error(client.patch(f"/api/stories/{first['id']}", json={"name": "Xi in Moscow"}),
          409, "E506")
    error(client.post("/api/stories/nothing-here/articles", json={"articles": [article]}),
          404, "E502")
    error(client.post(f"/api/stories/{first['id']}/articles", json={"articles": ["nope"]}),
          404, "E501")
    for body in ({}, {"articles": []}, {"articles": "abc"}, ["x"]):
        error(client.post(f"/api/stories/{first['id']}/split", json=body), 422, "E513")
    error(client.patch(f"/api/stories/{first['id']}", json={"name": ""}), 422, "E513")
    error(client.post(f"/api/stories/{first['id']}/merge", content=b"stories=x",
                      headers={"content-type": "application/x-www-form-urlencoded"}),
          415, "E512")


def test_report(client: TestClient, seed_story: dict[str, Any]) -> None:
    if "html" not in formats():
        pytest.skip("html renderer not merged yet")
    response = client.get(f"/stories/{seed_story['story']['id']}")
    assert response.status_code == 200 and response.headers["content-type"].startswith(
        "text/html")
    assert "Content-Security-Policy" in response.text


def test_web_page_flow(client: TestClient, seed_story: dict[str, Any]) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "Xi in Moscow" in page.text
    for id in seed_story["ids"]:
        assert f'value="{id}"' in page.text
    added = client.post("/articles", data={
        "text": "The ferry resumed service on Friday, the operator said.",
        "title": "Ferry", "source": "Port News", "url": "https://example.com/ferry"},
        files=[("files", ("", b""))])
    assert added.status_code == 201 and "1 added, 0 already in the library" in added.text
    assert 'href="https://example.com/ferry"' in added.text
    searched = client.get("/", params={"q": "ferry operator"})
    assert "Ferry" in searched.text and "Port News" in searched.text
    made = client.post("/stories", data={"name": "seed again", "articles": seed_story["ids"]},
                       follow_redirects=False)
    assert made.status_code == 303
    newest = client.get("/api/stories", params={"kind": "named"}).json()["stories"][0]
    assert newest["name"] == "seed again"
    assert made.headers["location"] == newest["links"]["report"]


def test_hostile_article_is_escaped(client: TestClient) -> None:
    record = json.loads(HOSTILE.read_text("utf-8"))
    response = client.post("/api/articles", json=record)
    assert response.status_code == 201
    id = response.json()["ids"][0]
    for page in (client.get("/").text, client.get(f"/articles/{id}").text,
                 client.get("/", params={"q": "harbour plan"}).text):
        assert "window.__pwned" in page  # shown, as text
        assert "<script>window" not in page and "</script><script>" not in page
        assert "<img src=x" not in page and "<img" not in page
        assert "<iframe" not in page and "<style>body" not in page
        assert 'id="injected-by-payload"' not in page
        assert 'href="javascript:' not in page.lower()
        assert "&lt;script&gt;window.__pwned" in page
    stored = client.get(f"/api/articles/{id}")
    assert stored.headers["content-type"] == "application/json"
    assert stored.json()["text"] == record["text"]
    assert stored.json()["url"] == record["url"]  # kept as data, never made a link


def test_error_paths(client: TestClient) -> None:
    error(client.get("/api/articles/0000000000000000"), 404, "E501")
    error(client.get("/api/stories/nothing-here"), 404, "E502")
    page_error(client.get("/stories/nothing-here"), 404, "E502")
    error(client.get("/no/such/route"), 404, "E514")
    error(client.delete("/api/articles"), 405, "E514")
    error(client.post("/api/articles", content=b"{oops",
                      headers={"content-type": "application/json"}), 422, "E513")
    error(client.post("/api/articles", json=[]), 422, "E513")
    error(client.post("/api/articles", json=[{"title": "no text"}]), 422, "E513")
    error(client.post("/api/articles", content=b"text", headers={"content-type": "text/plain"}),
          415, "E512")
    error(client.post("/api/articles", content=b"text"), 415, "E512")
    error(client.post("/api/articles", data={"title": "nothing else"}), 422, "E513")
    error(client.post("/api/stories", content=b"{oops",
                      headers={"content-type": "application/json"}), 422, "E513")
    missing = error(client.post("/api/stories", json={"name": "x"}), 422, "E513")
    assert missing["detail"][0]["loc"] == ["articles"]
    error(client.post("/api/stories", json={"name": "x", "articles": "abc"}), 422, "E513")
    error(client.post("/api/stories", json=["x"]), 422, "E513")
    error(client.post("/api/stories", json={"name": "x", "articles": []}), 422, "E513")
    unknown = error(client.post("/api/stories", json={"name": "x", "articles": ["nope"]}),
                    404, "E501")
    assert "nope" in unknown["message"]
    error(client.post("/api/stories", content=b"name=x",
                      headers={"content-type": "application/x-www-form-urlencoded"}),
          415, "E512")
    error(client.get("/api/articles", params={"limit": 0}), 422, "E513")
    error(client.get("/api/articles", params={"limit": "many"}), 422, "E513")
    page_error(client.post("/stories", data={"name": "y"}), 422, "E503")
    page_error(client.post("/stories", content=b"{}",
                           headers={"content-type": "application/json"}), 415, "E512")


def test_form_mistakes_are_pages_a_person_can_read(client: TestClient) -> None:
    nothing = page_error(client.post("/articles", data={"title": "only a title"},
                                     files=[("files", ("", b""))]), 422, "E513")
    assert nothing.startswith("nothing to add: paste an article's text or upload files")
    unreadable = page_error(client.post("/articles", files=[("files", ("a.pdf", b"%PDF"))]),
                            422, "E513")
    assert "a.pdf: unsupported file type '.pdf'" in unreadable
    unticked = page_error(client.post("/stories", data={"name": "nothing ticked"}),
                          422, "E503")
    assert unticked.startswith("story 'nothing ticked' needs at least one article")
    page_error(client.post("/stories", data={"name": "x", "articles": ["0000"]}), 404, "E501")
    page_error(client.get("/articles/0000000000000000"), 404, "E501")
    page_error(client.put("/stories"), 405, "E514")
    page_error(client.get("/", params={"q": "x" * 1001}), 422, "E513")
    hostile = page_error(client.post("/stories", data={"name": "<b>x</b>"}), 422, "E503")
    assert "<b>x</b>" in hostile  # shown as text, escaped in the page


def test_an_upload_over_the_limit_is_a_page_too(tmp_path: Path) -> None:
    app = create_app(tmp_path / "library.db", load_settings(max_request_bytes=1000))
    with client_for(app) as client:
        message = page_error(client.post("/articles", files=[("files", ("big.txt", b"x" * 5000))]),
                             413, "E511")
        assert "max_request_bytes" in message
        error(client.post("/api/articles", files=[("files", ("big.txt", b"x" * 5000))]),
              413, "E511")


def test_request_size_limit(tmp_path: Path) -> None:
    app = create_app(tmp_path / "library.db", load_settings(max_request_bytes=1000))
    with client_for(app) as client:
        body = json.dumps({"text": "word " * 400}).encode()
        declared = error(client.post("/api/articles", content=body,
                                     headers={"content-type": "application/json"}),
                         413, "E511")
        assert "max_request_bytes" in declared["message"]

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
            for _ in range(10):
                yield b'{"text": "' + b"a" * 200

        error(client.post("/api/articles", content=chunks(),
                          headers={"content-type": "application/json"}), 413, "E511")
        error(client.post("/api/articles", files=[("files", ("big.txt", b"x" * 5000))]),
              413, "E511")
        small = client.post("/api/articles", json={"text": "A short article."})
        assert small.status_code == 201


def test_unexpected_errors_have_the_shape_too(tmp_path: Path) -> None:
    app = create_app(tmp_path / "library.db")

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    with client_for(app) as client:
        body = error(client.get("/boom"), 500, "E599")
        assert "a bug" not in body["message"]


def test_openapi_docs(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/api/articles", "/api/articles/{article_id}", "/api/stories",
            "/api/stories/{story_id}", "/stories/{story_id}", "/healthz"} <= set(schema["paths"])
    docs = client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()


# --- a real server -------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``crossbrief serve`` on a free port of 127.0.0.1; returns the process and base URL."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    log = db.with_suffix(".log").open("wb")  # a file, not a pipe nobody drains
    process = subprocess.Popen(
        [sys.executable, "-m", "crossbrief", "serve", "--port", str(port), "--db", str(db)],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {db.with_suffix('.log').read_text()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not start within 60 s")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    db = tmp_path_factory.mktemp("server") / "library.db"
    process, base = start_server(db)
    try:
        yield base, db
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_fifty_concurrent_clients(server: tuple[str, Path]) -> None:
    base, db = server
    texts = [p.read_text("utf-8") for p in sorted(example_path().glob("*.txt"))]

    def article(n: int) -> dict[str, str]:
        return {"text": f"{texts[n % len(texts)]}\n\nUpdate {n}: marker{n}.",
                "source": f"outlet {n % 9}", "title": f"Update {n}"}

    def post(client_number: int) -> dict[str, Any]:
        # its own two articles, and two shared with other clients
        records = [article(1000 + 2 * client_number), article(1001 + 2 * client_number),
                   article(client_number % 10), article((client_number + 3) % 10)]
        with httpx.Client(base_url=base, timeout=60) as http:
            response = http.post("/api/articles", json=records)
            assert response.status_code == 201, response.text
            body: dict[str, Any] = response.json()
            return body

    with ThreadPoolExecutor(50) as pool:
        results = list(pool.map(post, range(50)))
    added = [id for r in results for id in r["added"]]
    expected = 100 + 10
    assert len(added) == len(set(added)) == expected  # each reported new exactly once
    assert all(len(r["ids"]) == 4 for r in results)
    listed = httpx.get(f"{base}/api/articles", params={"limit": 1000}).json()["articles"]
    assert len(listed) == len({a["id"] for a in listed}) == expected
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from articles").fetchone()[0] == expected
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_healthz_answers_during_an_analysis(server: tuple[str, Path], seed_dir: Path) -> None:
    base, _ = server
    with httpx.Client(base_url=base, timeout=120) as http:
        ids = http.post("/api/articles", json=seed_records(seed_dir)).json()["ids"]
        story = http.post("/api/stories", json={"name": "seed", "articles": ids}).json()
        results: list[httpx.Response] = []

        def get_brief() -> None:
            with httpx.Client(base_url=base, timeout=120) as other:
                results.append(other.get(f"/api/stories/{story['id']}"))

        threads = [threading.Thread(target=get_brief) for _ in range(3)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        slowest = 0.0
        while any(t.is_alive() for t in threads):
            started = time.monotonic()
            assert http.get("/healthz", timeout=5).status_code == 200
            slowest = max(slowest, time.monotonic() - started)
            time.sleep(0.2)
        for thread in threads:
            thread.join()
        assert slowest < 2
        assert [r.status_code for r in results] == [200, 200, 200]
        assert results[0].json() == results[1].json() == results[2].json()
        started = time.monotonic()
        assert http.get(f"/api/stories/{story['id']}").json() == results[0].json()
        assert time.monotonic() - started < 2
