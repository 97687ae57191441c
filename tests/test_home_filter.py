"""The home page's outlet filter: a text field suggesting every outlet (a news stream has
hundreds, too many for a drop-down), no script; bad values are 4xx pages as before."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from fastapi.testclient import TestClient

from crossbrief.model import Article, article_id, content_hash
from crossbrief.serve import create_app
from crossbrief.store import Library

from .test_serve import client_for, page_error, start_server

OUTLETS = 120
HOSTILE_OUTLET = '"><script>alert(1)</script><option value="x'
LETTERS = str.maketrans("0123456789", "ghijklmnop")
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def articles() -> list[Article]:
    """One short article per outlet (each its own story), and one from a hostile name."""
    found = []
    for n in range(OUTLETS):
        # Words of their own (hashes spelt in letters), so no two articles make one story.
        words = [content_hash("word", str(n), str(k), length=8).translate(LETTERS)
                 for k in range(12)]
        text = f"{' '.join(words[:6]).capitalize()} opened. {' '.join(words[6:])} said."
        found.append(Article(id=article_id(text), source=f"Outlet {n:03d} News", text=text,
                             input=f"a{n}.txt", title=f"Fair {n} opens",
                             published="2024-05-04"))
    text = "The pier reopened on Sunday after storm repairs, the harbour office said."
    found.append(Article(id=article_id(text), source=HOSTILE_OUTLET, text=text,
                         input="hostile.txt", title="Pier reopens", published="2024-05-05"))
    return found


@pytest.fixture(scope="module")
def library_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("home-filter") / "library.db"
    with Library(path) as library:
        library.add_articles(articles())
    return path


@pytest.fixture(scope="module")
def client(library_path: Path) -> Iterator[TestClient]:
    with client_for(create_app(library_path)) as client:
        yield client


def titles(html: str) -> list[str]:
    page = lxml.html.document_fromstring(html)
    return [a.text_content() for a in page.xpath('.//a[@class="story-title"]')]


def test_the_outlet_field_suggests_every_outlet(client: TestClient) -> None:
    answer = client.get("/")
    assert answer.status_code == 200
    page = lxml.html.document_fromstring(answer.text)
    field = page.get_element_by_id("outlet")
    assert field.tag == "input" and field.get("name") == "outlet"
    assert field.get("list") == "outlets" and field.get("value") == ""
    suggestions = [o.get("value") for o in page.get_element_by_id("outlets").iter("option")]
    expected = sorted([f"Outlet {n:03d} News" for n in range(OUTLETS)] + [HOSTILE_OUTLET],
                      key=lambda o: (o.casefold(), o))
    assert suggestions == expected
    assert not page.xpath('//select[@name="outlet"]')
    # third-party names stay text: no script of theirs, and none from elsewhere
    assert "<script>alert(1)" not in answer.text
    assert not page.xpath("//script[@src]") and not page.xpath("//script")


def test_a_typed_outlet_filters_and_stays_in_the_field(client: TestClient) -> None:
    answer = client.get("/", params={"outlet": "Outlet 007 News"})
    assert answer.status_code == 200
    assert titles(answer.text) == ["Fair 7 opens"]
    page = lxml.html.document_fromstring(answer.text)
    assert page.get_element_by_id("outlet").get("value") == "Outlet 007 News"
    hostile = client.get("/", params={"outlet": HOSTILE_OUTLET})
    assert titles(hostile.text) == ["Pier reopens"]
    assert lxml.html.document_fromstring(hostile.text).get_element_by_id(
        "outlet").get("value") == HOSTILE_OUTLET
    # an outlet the library does not have: no story, said so
    none = client.get("/", params={"outlet": "No Such Outlet"})
    assert none.status_code == 200 and titles(none.text) == []
    assert "No story matches" in none.text


def test_part_of_an_outlet_name_filters_by_substring(client: TestClient) -> None:
    """Text that is no outlet's whole name picks the outlets holding it, ignoring case; a
    whole name picks that outlet alone even where it is part of another's."""
    answer = client.get("/", params={"outlet": "outlet 01"})
    assert answer.status_code == 200
    assert sorted(titles(answer.text)) == sorted(f"Fair {n} opens" for n in range(10, 20))
    assert titles(client.get("/", params={"outlet": "OUTLET 007 news"}).text) == [
        "Fair 7 opens"]


def test_bad_outlet_values_are_error_pages(client: TestClient) -> None:
    page_error(client.get("/", params={"outlet": "x" * 501}), 422, "E513")


@pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                    reason="browser tests need /usr/bin/chromium and /usr/bin/chromedriver "
                           "(apt-get install chromium chromium-driver)")
def test_the_outlet_field_on_a_phone(library_path: Path,
                                     tmp_path_factory: pytest.TempPathFactory) -> None:
    """At 390 px the field is as wide as the form, nothing scrolls sideways, and typing an
    outlet and pressing Enter filters the stories."""
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    process, base = start_server(library_path)
    profile = tempfile.mkdtemp(prefix="crossbrief-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--no-first-run",
                 "--disable-component-update", "--disable-sync",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver: Any = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    out = os.environ.get("CROSSBRIEF_TEST_OUTPUT")
    shots = Path(out) / "screenshots" if out else tmp_path_factory.mktemp("screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    try:
        driver.set_page_load_timeout(120)
        driver.set_window_size(390, 844)
        driver.get(f"{base}/")
        width = driver.execute_script("return window.innerWidth")
        assert abs(width - 390) <= 20, f"window is {width}px wide, not 390"
        assert driver.execute_script(  # no sideways scroll
            "return document.documentElement.scrollWidth <= window.innerWidth + 1")
        field = driver.find_element(By.ID, "outlet")
        box = field.rect
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        assert box["width"] >= width * 0.6  # the form stacks: one full-width field a line
        field.send_keys("Outlet 042 News", Keys.ENTER)
        WebDriverWait(driver, 60).until(lambda d: "outlet=" in d.current_url)
        shown = [a.text for a in driver.find_elements(By.CSS_SELECTOR, "a.story-title")]
        assert shown == ["Fair 42 opens"]
        driver.save_screenshot(str(shots / "home-outlet-filter-390.png"))
        print(f"\nscreenshot: {shots / 'home-outlet-filter-390.png'}")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
        process.terminate()
        process.wait(timeout=20)
