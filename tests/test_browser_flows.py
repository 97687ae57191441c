"""The story page's management flows in a real headless Chromium, against a real server
(issue 15): split a story and merge it back, move an article to another story and add it
back, the "what changed since the last brief" block once a story gains an article, the
export links (each table as CSV and JSON), and the error page a wrongly filled form answers.

Each flow is driven through the page's own forms and links at phone width (390 px), the
cheap ones at desktop width too, and checked through the JSON API as well as on the page.
One server and library serve the module: the seed articles and a few short articles written
here, so the briefs are small. Skipped, saying so, without Chromium or the shared corpus (the
fixtures are tests/test_browser.py's); screenshots go where that module says.
"""

from __future__ import annotations

import csv
import io
import re
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from . import test_browser
from .test_browser import DESKTOP, PHONE, assert_nothing_ran, record, use_size, wait_for

# tests/test_browser.py's fixtures and skip mark (pytest finds fixtures by name here): one
# server and library, one Chromium, for this module
pytestmark = test_browser.pytestmark
server, driver, sized, screenshots = (test_browser.server, test_browser.driver,
                                      test_browser.sized, test_browser.screenshots)

# Two short reports of one event (they form one automatic story of their own) and a third
# report of a second event that shares their facts: its story gains that article in
# test_what_changed_after_a_story_gains_an_article.
HARBOUR = [
    {"source": "Elm Gazette", "title": "Harbour bridge closed after ship strike",
     "published": "2026-03-02",
     "text": "Harbour bridge closed after ship strike\n\nThe Harbour Bridge in Port Elm was "
             "closed on Monday after a cargo ship struck one of its piers, the city council "
             "said. Engineers will inspect the pier on Tuesday. \"We will reopen it when it is "
             "safe,\" said mayor Ana Ruiz."},
    {"source": "Coast Herald", "title": "Ship hits Port Elm bridge", "published": "2026-03-02",
     "text": "Ship hits Port Elm bridge\n\nA cargo ship hit a pier of the Harbour Bridge in "
             "Port Elm on Monday, and the bridge was closed, the city council said. Mayor Ana "
             "Ruiz said engineers would inspect the pier on Wednesday."},
]
FIRE = [
    {"source": "Valley Times", "title": "Fire destroys Northgate library",
     "published": "2026-04-10",
     "text": "Fire destroys Northgate library\n\nA fire destroyed the Northgate public library "
             "on Friday night, the fire service said. About 40,000 books were lost. Nobody "
             "was hurt, said fire chief Omar Haddad. The cause of the fire is not yet known."},
    {"source": "North Star", "title": "Northgate library burns down",
     "published": "2026-04-10",
     "text": "Northgate library burns down\n\nThe Northgate public library burned down on "
             "Friday night, the fire service said. Fire chief Omar Haddad said nobody was "
             "hurt. The library held about 40,000 books."},
    {"source": "Daily Ledger", "title": "Library fire: 40,000 books lost",
     "published": "2026-04-11",
     "text": "Library fire: 40,000 books lost\n\nAbout 40,000 books were lost when a fire "
             "destroyed the Northgate public library on Friday night, the fire service said. "
             "Fire chief Omar Haddad said nobody was hurt. The city will rebuild the library, "
             "mayor Lena Brandt said on Saturday."},
]


def post(server: str, records: list[dict[str, str]]) -> list[str]:
    response = httpx.post(f"{server}/api/articles", json=records, timeout=60)
    assert response.status_code == 201, response.text
    ids: list[str] = response.json()["ids"]
    return ids


def auto_stories(server: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{server}/api/stories", params={"kind": "auto"}, timeout=120)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["stories"]
    return found


def story_holding(server: str, article: str) -> dict[str, Any]:
    """The automatic story that holds ``article`` (through the API)."""
    return next(s for s in auto_stories(server) if article in ids_of(s))


def ids_of(story: dict[str, Any]) -> set[str]:
    return {a["id"] for a in story["articles"]}


def story_of_exactly(server: str, articles: list[str]) -> dict[str, Any]:
    """The automatic story holding ``articles`` and no other, made so through the API where
    the grouping put them otherwise (a set-up step: the page's forms are what is tested)."""
    story = story_holding(server, articles[0])
    if not set(articles) <= ids_of(story):
        moved = httpx.post(f"{server}/api/stories/{story['id']}/articles",
                           json={"articles": articles}, timeout=60)
        assert moved.status_code == 200, moved.text
        story = story_holding(server, articles[0])
    if ids_of(story) != set(articles):
        split = httpx.post(f"{server}/api/stories/{story['id']}/split",
                           json={"articles": articles}, timeout=60)
        assert split.status_code == 201, split.text
        story = story_holding(server, articles[0])
    assert ids_of(story) == set(articles), story
    return story


def submit(driver: Any, button: Any) -> None:
    """Click a form's submit button; return once the page it leads to has loaded (the form
    posts, the server answers 303 to the story page, which may be the same URL).

    The old page is marked with a window property that a newly loaded document does not
    have. (Waiting for the old <html> element to go stale raced the navigation: Chromium
    can answer a look at the element mid-unload with "Node with given id does not belong
    to the document", a WebDriverException rather than a stale reference; seen in CI.)
    Any WebDriverException while the page changes counts as "not loaded yet"."""
    from selenium.common.exceptions import WebDriverException

    driver.execute_script("window.__crossbriefBefore = true")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()

    def loaded(d: Any) -> bool:
        try:
            return bool(d.execute_script(
                "return window.__crossbriefBefore !== true"
                " && document.readyState === 'complete'"))
        except WebDriverException:
            return False

    wait_for(driver, loaded)


def shown_articles(driver: Any) -> set[str]:
    """The ids of the articles the story page lists (its tick boxes)."""
    from selenium.webdriver.common.by import By

    return {box.get_attribute("value") for box in driver.find_elements(
        By.CSS_SELECTOR, "#story-articles input[name=articles]")}


def fits(driver: Any) -> bool:
    return bool(driver.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth + 1"))


@pytest.fixture(scope="module")
def seed_ids(server: str, seed_dir: Path) -> list[str]:
    return record(seed_dir, server)


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_split_a_story_and_merge_it_back(server: str, sized: Any, screenshots: Path,
                                         seed_ids: list[str], size: tuple[int, int]) -> None:
    """Tick half of a story's articles and split them out into a new story (named here),
    then merge that story back from the first one's page: each step shown on the page and
    stored (the API lists the stories as the page does)."""
    from selenium.webdriver.common.by import By

    driver = sized
    name = "phone" if size == PHONE else "desktop"
    story = story_holding(server, seed_ids[0])
    articles = sorted(ids_of(story))
    assert len(articles) >= 2, story  # the seed articles: one story of two or more
    out, stay = articles[:len(articles) // 2], articles[len(articles) // 2:]
    use_size(driver, size)
    driver.get(f"{server}/stories/{story['id']}")
    assert shown_articles(driver) == set(articles) and fits(driver)
    for article in out:
        driver.find_element(By.ID, f"tick-{article}").click()
    driver.find_element(By.ID, "split-name").send_keys(f"Split <i>out</i> {name}")
    driver.save_screenshot(str(screenshots / f"split-ticked-{name}.png"))
    submit(driver, driver.find_element(By.ID, "split"))
    assert driver.current_url.split("#")[0] == f"{server}/stories/{story['id']}"
    assert shown_articles(driver) == set(stay) and fits(driver)
    assert driver.find_element(By.ID, "story-meta").text.startswith(
        f"Automatic story · {len(stay)} article{'' if len(stay) == 1 else 's'} · ")
    driver.save_screenshot(str(screenshots / f"split-{name}.png"))
    split = next(s for s in auto_stories(server) if s["name"] == f"Split <i>out</i> {name}")
    assert ids_of(split) == set(out)
    assert ids_of(story_holding(server, stay[0])) == set(stay)

    # the new story has its own page, named as typed (escaped, not markup)
    driver.get(f"{server}/stories/{split['id']}")
    assert driver.find_element(By.ID, "story-name").text == f"Split <i>out</i> {name}"
    assert shown_articles(driver) == set(out)
    driver.save_screenshot(str(screenshots / f"split-new-story-{name}.png"))

    driver.get(f"{server}/stories/{story['id']}")
    driver.find_element(By.ID, "merge-story").send_keys(f"Split <i>out</i> {name}")
    submit(driver, driver.find_element(By.ID, "merge"))
    assert driver.current_url.split("#")[0] == f"{server}/stories/{story['id']}"
    assert shown_articles(driver) == set(articles) and fits(driver)
    driver.save_screenshot(str(screenshots / f"merged-{name}.png"))
    assert ids_of(story_holding(server, seed_ids[0])) == set(articles)
    assert httpx.get(f"{server}/api/stories/{split['id']}", timeout=60).status_code == 404
    assert all(s["name"] != f"Split <i>out</i> {name}" for s in auto_stories(server))
    assert_nothing_ran(driver)


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_move_an_article_and_add_it_back(server: str, sized: Any, screenshots: Path,
                                         seed_ids: list[str], size: tuple[int, int]) -> None:
    """Move a ticked article into another story (named by id in the move field), then add
    it back to its first story by pasting its id into that story's add field."""
    from selenium.webdriver.common.by import By

    driver = sized
    name = "phone" if size == PHONE else "desktop"
    harbour = post(server, HARBOUR)
    home = story_of_exactly(server, harbour)
    other = story_holding(server, seed_ids[0])
    assert other["id"] != home["id"]
    moved = harbour[1]
    use_size(driver, size)
    driver.get(f"{server}/stories/{home['id']}")
    driver.find_element(By.ID, f"tick-{moved}").click()
    driver.find_element(By.ID, "move-to").send_keys(other["id"])
    driver.save_screenshot(str(screenshots / f"move-ticked-{name}.png"))
    submit(driver, driver.find_element(By.ID, "move"))
    assert driver.current_url.split("#")[0] == f"{server}/stories/{home['id']}"
    assert shown_articles(driver) == {harbour[0]} and fits(driver)
    driver.save_screenshot(str(screenshots / f"moved-{name}.png"))
    assert ids_of(story_holding(server, moved)) == ids_of(other) | {moved}
    assert ids_of(story_holding(server, harbour[0])) == {harbour[0]}
    driver.get(f"{server}/stories/{other['id']}")
    assert moved in shown_articles(driver)

    driver.get(f"{server}/stories/{home['id']}")
    driver.find_element(By.ID, "add-articles").send_keys(moved)
    submit(driver, driver.find_element(By.ID, "add-to-story"))
    assert driver.current_url.split("#")[0] == f"{server}/stories/{home['id']}"
    assert shown_articles(driver) == set(harbour) and fits(driver)
    driver.save_screenshot(str(screenshots / f"added-{name}.png"))
    assert ids_of(story_holding(server, moved)) == set(harbour)
    assert ids_of(story_holding(server, seed_ids[0])) == ids_of(other)
    assert_nothing_ran(driver)


def test_what_changed_after_a_story_gains_an_article(
        server: str, sized: Any, screenshots: Path) -> None:
    """A story whose brief is stored gains an article through the page's add field: once the
    new brief is made (the page follows it), the page says what changed since the last
    brief, as the API does: the new article, and the claims new or with more support."""
    from selenium.webdriver.common.by import By

    driver = sized
    fire = post(server, FIRE)
    story = story_of_exactly(server, fire[:2])  # the third report in another story
    before = httpx.get(f"{server}/api/stories/{story['id']}", timeout=300).json()
    assert {a["id"] for a in before["articles"]} == set(fire[:2])
    use_size(driver, PHONE)
    driver.get(f"{server}/stories/{story['id']}")
    assert not driver.find_elements(By.ID, "changes")  # nothing to compare yet
    driver.find_element(By.ID, "add-articles").send_keys(fire[2])
    submit(driver, driver.find_element(By.ID, "add-to-story"))
    assert shown_articles(driver) == set(fire)
    wait_for(driver, lambda d: d.find_element(By.ID, "brief-state").get_attribute(
        "data-state") == "stored")
    # the block is drawn with the page, from the stored briefs: the line following the
    # brief offers to draw the page again once the new brief is ready
    driver.find_element(By.ID, "brief-reload").click()
    block = wait_for(driver, lambda d: d.find_elements(By.ID, "changes"))[0]
    driver.execute_script("arguments[0].scrollIntoView()", block)
    driver.save_screenshot(str(screenshots / "what-changed-phone.png"))
    assert fits(driver)
    changes = httpx.get(f"{server}/api/stories/{story['id']}/changes",
                        timeout=60).json()["changes"]
    assert changes is not None
    assert [a["id"] for a in changes["articles_added"]] == [fire[2]]
    assert changes["articles_removed"] == []
    text = block.text
    assert "New articles: Daily Ledger (Library fire: 40,000 books lost)" in text, text
    assert changes["gained"], changes  # the third report states what the two did
    for key in ("new_claims", "gained", "lost", "dropped_claims"):
        items = driver.find_elements(By.CSS_SELECTOR, f"#changes-{key} > li")
        if not changes[key]:
            assert items == [], key
            continue
        assert len(items) == min(len(changes[key]), 20) + (len(changes[key]) > 20), key
        for item, claim in zip(items, changes[key], strict=False):
            assert item.text.startswith(claim["text"]), (item.text, claim)
            outlets = "outlet" if claim["independent"] == 1 else "outlets"
            assert f"{claim['independent']} {outlets})" in item.text
    for claim in changes["gained"]:
        assert claim["independent"] > claim["before"], claim
    assert_nothing_ran(driver)


def downloaded(folder: Path, seconds: float = 60) -> Path:
    """The one file Chromium has finished downloading into ``folder``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if not p.name.endswith(".crdownload")]
        if done and len(done) == len(list(folder.iterdir())):
            assert len(done) == 1, done
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"nothing downloaded into {folder} within {seconds} s")


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_export_links_give_the_story_tables(server: str, sized: Any, screenshots: Path,
                                            seed_ids: list[str], tmp_path: Path,
                                            size: tuple[int, int]) -> None:
    """The story page's export links: each table's CSV link gives that table of the story's
    brief (text/csv, a header row, then its rows; one per claim for the claims matrix, a
    column per outlet), its JSON link the same table as crossbrief.table/1; clicking the
    claims CSV link downloads that file."""
    from selenium.webdriver.common.by import By

    driver = sized
    name = "phone" if size == PHONE else "desktop"
    story = story_holding(server, seed_ids[0])
    brief = httpx.get(f"{server}/api/stories/{story['id']}", timeout=300).json()
    use_size(driver, size)
    driver.get(f"{server}/stories/{story['id']}")
    exports = driver.find_element(By.ID, "exports")
    driver.execute_script("arguments[0].scrollIntoView()", exports)
    driver.save_screenshot(str(screenshots / f"exports-{name}.png"))
    assert fits(driver)
    links: dict[str, Any] = {}
    for item in exports.find_elements(By.CSS_SELECTOR, "li"):
        label = item.text.split(":", 1)[0]
        links.update({f"{label}.{a.text.lower()}": a
                      for a in item.find_elements(By.TAG_NAME, "a")})
    csvs: dict[str, str] = {}
    for table in ("claims", "quotes", "conflicts", "timeline", "articles"):
        base = f"{server}/api/stories/{story['id']}/{table}"
        hrefs = [links[f"{table}.{fmt}"].get_attribute("href") for fmt in ("csv", "json")]
        assert hrefs == [f"{base}.csv", f"{base}.json"]
        response = httpx.get(hrefs[0], timeout=120)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert "attachment" in response.headers["content-disposition"]
        csvs[table] = response.text
        rows = list(csv.reader(io.StringIO(response.text)))
        as_json = httpx.get(hrefs[1], timeout=120)
        assert as_json.headers["content-type"] == "application/json"
        shown = as_json.json()
        assert (shown["schema"], shown["table"], shown["story"]) == (
            "crossbrief.table/1", table, story["id"])
        assert rows[0] == shown["columns"] and len(rows) == len(shown["rows"]) + 1, table
        for cells, row in zip(rows[1:], shown["rows"], strict=True):
            # each CSV row cites the same claim, article and span as its JSON row
            for column in ("claim", "conflict", "group", "article", "start", "end", "id"):
                if column in row:
                    want = "" if row[column] is None else str(row[column])
                    assert cells[rows[0].index(column)] == want, (table, column)
    claims = list(csv.reader(io.StringIO(csvs["claims"])))
    assert brief["claims"], "the seed story has claims to export"
    assert len(claims) == len(brief["claims"]) + 1  # a header row, one row per claim
    assert claims[0][:4] == ["claim", "status", "independent", "text"]
    assert claims[0][4:] == [a["source"] for a in brief["articles"]]  # a column per outlet
    assert [(r[0], r[2]) for r in claims[1:]] == [
        (c["id"], str(c["independent"])) for c in brief["claims"]]
    articles = list(csv.reader(io.StringIO(csvs["articles"])))
    assert [r[0] for r in articles[1:]] == [a["id"] for a in brief["articles"]]

    # the link itself, clicked: the browser saves the same CSV under the story's name
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(tmp_path)})
    try:
        link = links["claims.csv"]
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
        link.click()
        saved = downloaded(tmp_path)
    finally:
        driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "default"})
    assert saved.name.endswith("-claims.csv"), saved.name
    assert saved.read_bytes().decode("utf-8") == csvs["claims"]
    assert driver.current_url == f"{server}/stories/{story['id']}"  # no page left
    assert_nothing_ran(driver)


def test_wrong_story_edits_show_an_error_page(server: str, sized: Any,
                                              screenshots: Path) -> None:
    """A story form filled in wrongly (nothing ticked, every article ticked, a story merged
    into itself, an unknown article added, a move to no story) answers an HTML page in the
    site's look with the reason and its code, a 4xx (never a 500), and changes nothing."""
    from selenium.webdriver.common.by import By

    driver = sized
    harbour = post(server, HARBOUR)
    story = story_of_exactly(server, harbour)
    page = f"{server}/stories/{story['id']}"
    use_size(driver, PHONE)

    def tick(*articles: str) -> None:
        for article in articles:
            driver.find_element(By.ID, f"tick-{article}").click()

    def fill(field: str, text: str) -> None:
        driver.find_element(By.ID, field).send_keys(text)

    cases = [
        ("split-none", lambda: None, "split", "4", "tick at least one"),
        ("split-all", lambda: tick(*harbour), "split", "409", "not none and not all"),
        ("merge-self", lambda: fill("merge-story", story["id"]), "merge", "409",
         "into itself"),
        ("add-unknown", lambda: fill("add-articles", "0123456789abcdef"), "add-to-story",
         "404", "0123456789abcdef"),
        ("move-nowhere", lambda: (tick(harbour[0]), fill("move-to", "no such story <b>")),
         "move", "404", "no such story <b>"),
    ]
    for name, act, button, status, says in cases:
        driver.get(page)
        act()
        submit(driver, driver.find_element(By.ID, button))
        heading = driver.find_element(By.TAG_NAME, "h1").text
        message = driver.find_element(By.ID, "error").text
        driver.save_screenshot(str(screenshots / f"error-{name}-phone.png"))
        assert heading.startswith(status) and heading[0] == "4", (name, heading)
        assert says in message and re.search(r"\[E\d{3}\]$", message), (name, message)
        assert driver.find_element(By.ID, "back").get_attribute("href") == f"{server}/"
        # back to the story the form was on, unless what is missing may be that story
        back = driver.find_elements(By.ID, "back-page")
        if status == "404":
            assert back == [], name
        else:
            assert back and back[0].get_attribute("href") == page, name
        assert fits(driver), name
        assert_nothing_ran(driver)
        assert ids_of(story_holding(server, harbour[0])) == set(harbour), name
    assert httpx.get(f"{server}/api/articles/0123456789abcdef",
                     timeout=60).status_code == 404
