"""The HTML report read in a real headless Chromium, at desktop and phone sizes (issue 15,
"readable at a glance"): the claims matrix keeps its header row and claim column in view when
scrolled, its filters hide the rows that do not match, the charts fit a phone's width.

The report is the hand-made story of tests/test_html.py with its claims repeated to 64 rows, so
the matrix is taller and wider than a phone's screen. Skipped, saying so, without Chromium
(the fixtures are tests/test_browser.py's); screenshots go where that module says.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from crossbrief.model import Article, Brief, Claim, Span
from crossbrief.render import render

from .test_browser import driver, pytestmark, screenshots  # noqa: F401  (fixtures, skip mark)
from .test_html import rejected_story, story

DESKTOP, PHONE = (1280, 1000), (390, 844)


def tall_story() -> Brief:
    """The hand-made story with 16 copies of each claim and eight more articles, so the
    matrix has 64 rows and 12 columns."""
    corpus = story()
    extra = [replace(a, id=f"{a.id}{n}", source=f"{a.source} {n}")
             for n in (2, 3) for a in corpus.articles]
    claims = []
    for n in range(16):
        for claim in corpus.claims:
            support = [*claim.support, *(Span(a.id, s.start, s.end) for s in claim.support
                                         for a in extra if a.id[:-1] == s.article and n % 2)]
            claims.append(Claim(f"{claim.id}-{n}", f"{claim.text} ({n})", claim.status,
                                support, claim.independent, claim.merged))
    corpus.articles = [*corpus.articles, *extra]
    corpus.claims = claims
    return corpus


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Brief]]:
    corpus = tall_story()
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render(corpus, "html"), "utf-8")
    yield path.as_uri(), corpus


def rect(browser: Any, selector: str) -> dict[str, float]:
    found: dict[str, float] = browser.execute_script(
        "var r = document.querySelector(arguments[0]).getBoundingClientRect();"
        "return {top: r.top, left: r.left, width: r.width, height: r.height,"
        " bottom: r.bottom, right: r.right};", selector)
    return found


def open_at(browser: Any, url: str, size: tuple[int, int], section: str | None = None) -> None:
    """The page at ``size``, scrolled to ``section`` (an id) when given."""
    browser.set_window_size(*size)
    browser.get(url)
    # The window's outer size includes the browser's frame: the page must be narrow enough.
    assert browser.execute_script("return window.innerWidth") <= size[0]
    if section:
        browser.execute_script("document.getElementById(arguments[0]).scrollIntoView()",
                               section)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_matrix_header_and_claim_column_stay_in_view(
        driver: Any, screenshots: Path, report: tuple[str, Brief],  # noqa: F811
        size: tuple[int, int]) -> None:
    open_at(driver, report[0], size, "claims")
    box = rect(driver, ".matrix-box")
    # The matrix is taller and (on a phone) wider than its box: it scrolls inside it.
    assert driver.execute_script(
        "var b = document.querySelector('.matrix-box'); return b.scrollHeight > b.clientHeight")
    driver.execute_script("var b = document.querySelector('.matrix-box');"
                          "b.scrollTop = b.scrollHeight / 2; b.scrollLeft = b.scrollWidth;")
    header = rect(driver, "#matrix thead th.article-col")
    corner = rect(driver, "#matrix thead th.claim-col")
    assert abs(header["top"] - box["top"]) <= 2, (header, box)
    assert abs(corner["left"] - box["left"]) <= 2, (corner, box)
    # What is at the box's left edge, halfway down, is still a claim (or a status heading).
    assert driver.execute_script(
        "var b = document.querySelector('.matrix-box').getBoundingClientRect();"
        "var cell = document.elementFromPoint(b.left + 8, (b.top + b.bottom) / 2);"
        "return !!(cell && cell.closest('th.claim, tr.group th'))")
    claim = rect(driver, "#matrix tbody th.claim")
    assert claim["width"] >= 120, claim  # never collapsed to a letter a line
    assert driver.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth + 1"), \
        "the page itself scrolls sideways"
    driver.save_screenshot(str(screenshots / f"report-matrix-{size[0]}.png"))


def test_matrix_filters_by_status_and_outlet(
        driver: Any, screenshots: Path, report: tuple[str, Brief]) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    url, corpus = report
    open_at(driver, url, PHONE)

    def visible() -> list[Any]:
        return [r for r in driver.find_elements(By.CSS_SELECTOR, "#matrix tr[data-claim]")
                if r.is_displayed()]

    assert len(visible()) == len(corpus.claims)
    Select(driver.find_element(By.ID, "filter-status")).select_by_value("single")
    rows = visible()
    assert rows and len(rows) == sum(c.status == "single" for c in corpus.claims)
    assert {r.get_attribute("data-status") for r in rows} == {"single"}
    count = driver.find_element(By.ID, "filter-count").text
    assert count == f"{len(rows)} of {len(corpus.claims)} claims"
    # The other status groups' headings go with their rows.
    assert not driver.find_element(By.CSS_SELECTOR, "#matrix tbody.status-consensus") \
        .is_displayed()
    outlet: Article = corpus.articles[-1]
    Select(driver.find_element(By.ID, "filter-status")).select_by_value("")
    Select(driver.find_element(By.ID, "filter-outlet")).select_by_visible_text(outlet.source)
    rows = visible()
    stating = [c for c in corpus.claims if outlet.id in c.articles]
    assert rows and len(rows) == len(stating)
    assert {r.get_attribute("data-claim") for r in rows} == {c.id for c in stating}
    driver.save_screenshot(str(screenshots / "report-matrix-filtered.png"))
    Select(driver.find_element(By.ID, "filter-outlet")).select_by_value("")
    assert len(visible()) == len(corpus.claims)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_charts_fit_the_screen_with_readable_labels(
        driver: Any, screenshots: Path, report: tuple[str, Brief],  # noqa: F811
        size: tuple[int, int]) -> None:
    open_at(driver, report[0], size, "coverage")
    for chart in ("svg.coverage-chart", "svg.support-chart"):
        box = rect(driver, chart)
        assert 0 < box["width"] <= driver.execute_script("return window.innerWidth"), box
        # The smallest label as drawn: at least 9 CSS pixels tall on a phone too.
        smallest = driver.execute_script(
            "var h = Array.from(document.querySelectorAll(arguments[0] + ' text'))"
            ".map(function (t) { return t.getBoundingClientRect().height; });"
            "return Math.min.apply(null, h);", chart)
        assert smallest >= 9, (chart, smallest)
    driver.save_screenshot(str(screenshots / f"report-charts-{size[0]}.png"))


def test_rejections_on_a_phone_cite_their_passages(
        driver: Any, screenshots: Path, tmp_path: Path) -> None:  # noqa: F811
    """The 'Rejected by a person' section fits a phone, and its chips open the passage."""
    from selenium.webdriver.common.by import By

    corpus = rejected_story()
    path = tmp_path / "rejected.html"
    path.write_text(render(corpus, "html"), "utf-8")
    open_at(driver, path.as_uri(), PHONE, "rejected")
    assert driver.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth + 1"), \
        "the page itself scrolls sideways"
    chips = driver.find_elements(By.CSS_SELECTOR, "#rejected button.cite")
    assert len(chips) == 3  # the two of the link, one of the conflict (the other's is gone)
    link = next(r for r in corpus.rejections if r.kind == "link")
    chip = driver.find_element(By.CSS_SELECTOR, f"#rejection-{link.id} button.cite")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", chip)
    chip.click()
    panel = driver.find_element(By.ID, "source-panel")
    assert panel.is_displayed()
    first = link.spans[0]
    assert panel.find_element(By.CSS_SELECTOR, ".cited").text == \
        corpus.article(first.article).text[first.start:first.end]
    driver.save_screenshot(str(screenshots / "report-rejected-390.png"))
