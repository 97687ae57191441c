"""Requests that change the library, sent by another site's page, are refused (403, E515):
the server has no accounts, so what it must refuse is a page the user has open elsewhere
posting to it. Browsers say where a request comes from (``Sec-Fetch-Site``, ``Origin``);
clients that are not browsers send neither and pass, as do the server's own pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crossbrief.model import Article, article_id
from crossbrief.serve import create_app
from crossbrief.store import Library

from .test_serve import client_for, error, page_error

HOST = "testserver"  # the Host header of Starlette's test client


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    path = tmp_path / "library.db"
    texts = ["The ferry resumed service on Monday, the port authority said.",
             "Ferry service resumed Monday after repairs, the port said."]
    with Library(path) as library:
        library.add_articles([Article(id=article_id(t), source=f"Outlet {n}", text=t,
                                      input=f"{n}.txt", published="2024-03-04")
                              for n, t in enumerate(texts)])
        library.create_story("ferry", [article_id(t) for t in texts])
    with client_for(create_app(path)) as client:
        yield client


def story_name(client: TestClient) -> str:
    """The name of the library's one named story."""
    stories = client.get("/api/stories", params={"kind": "named"}).json()["stories"]
    assert len(stories) == 1
    return str(stories[0]["name"])


@pytest.mark.parametrize("headers", [
    {"Origin": "https://news.example"},
    {"Origin": "http://127.0.0.1:8001"},  # another port is another origin
    {"Origin": "null"},  # a sandboxed frame or a file:// page
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "cross-site", "Origin": f"http://{HOST}"},
    {"Sec-Fetch-Site": "same-site", "Origin": "http://other.testserver"},
])
def test_another_sites_page_changes_nothing(client: TestClient,
                                            headers: dict[str, str]) -> None:
    api = client.patch("/api/stories/ferry", json={"name": "renamed"}, headers=headers)
    assert error(api, 403, "E515")["message"].startswith("a request that changes")
    form = client.post("/stories/ferry/rename", data={"name": "renamed"}, headers=headers,
                       follow_redirects=False)
    page_error(form, 403, "E515")
    assert story_name(client) == "ferry"
    # reading is never refused: a link from elsewhere opens the page
    assert client.get("/", headers=headers).status_code == 200
    assert client.get("/api/stories", headers=headers).status_code == 200


@pytest.mark.parametrize("headers", [
    {},  # curl, httpx, scripts
    {"Origin": f"http://{HOST}"},  # this server's own page, an older browser
    {"Sec-Fetch-Site": "same-origin", "Origin": f"http://{HOST}"},
    {"Sec-Fetch-Site": "same-origin", "Origin": "https://proxy.example"},  # behind a proxy
    {"Sec-Fetch-Site": "none"},  # typed by the user
])
def test_own_pages_and_other_clients_pass(client: TestClient,
                                          headers: dict[str, str]) -> None:
    answer = client.post("/stories/ferry/rename", data={"name": "ferry crossing"},
                         headers=headers, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert story_name(client) == "ferry crossing"
