"""The HTML report: its DOM contract, self-containment, and hostile input.

The claims, conflicts, updates, timeline and summary come from a small hand-made corpus whose
spans are offsets into its own articles' text, so every section has something to show.
No golden file: the page's structure is checked instead.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from click.testing import CliRunner

from crossbrief.cli import cli
from crossbrief.model import (
    Article,
    Brief,
    Citation,
    Claim,
    Conflict,
    DateMention,
    Mention,
    Paragraph,
    Quote,
    QuoteGroup,
    QuoteRef,
    Rejection,
    Removal,
    Sentence,
    Side,
    Span,
    SummarySentence,
    TimelineEntry,
)
from crossbrief.render import RenderOptions, render
from crossbrief.render.html import safe_url, script_json

from .conftest import FIXTURES, script

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "src" / "crossbrief" / "render" / "assets"


def make_article(id: str, source: str, published: str, paragraphs: list[list[str]],
                 **extra: object) -> Article:
    """An article whose text is its sentences joined by spaces, paragraphs by blank lines."""
    text, paras, sentences = "", [], []
    for number, paragraph in enumerate(paragraphs):
        if text:
            text += "\n\n"
        start = len(text)
        for sentence in paragraph:
            if len(text) > start:
                text += " "
            sentences.append(Sentence(len(text), len(text) + len(sentence), number))
            text += sentence
        paras.append(Paragraph(start, len(text)))
    return Article(id=id, source=source, text=text, input=f"{id}.txt", published=published,
                   paragraphs=paras, sentences=sentences, **extra)


def span(article: Article, words: str) -> Span:
    start = article.text.index(words)
    return Span(article.id, start, start + len(words))


def side(article: Article, value: str, words: str | None = None) -> Side:
    found = span(article, words or value)
    return Side(article.id, value, found.start, found.end)


def story() -> Brief:
    hc = make_article("hc", "Harbour Courier", "2025-10-14", [
        ["A section of the Lindqvist Bridge gave way at 5.40pm on Tuesday, 14 October.",
         "At least nine people died."],
        ["The bridge was last inspected in March 2023.",
         "“This was a failure of maintenance, not of design,” said Andriy Kovalenko."],
    ], url="https://www.harbourcourier.example/bridge", author="Sofie Lindahl")
    hc.removed = [Removal("News / Ostria /", "breadcrumb navigation", 0),
                  Removal("Advertisement", "advertisement", 40),
                  Removal("Share this article", "share line", hc.paragraphs[0].end)]
    cpa = make_article("cpa", "Continental Press Agency", "2025-10-15", [
        ["The Lindqvist Bridge collapsed on Tuesday, 14 October.",
         "At least nine people were killed.", "Ostria ordered an inquiry on Wednesday."],
        ["“This was a failure of maintenance, not of design,” Kovalenko said, "
         "according to the Harbour Courier."],
    ], opinion=0.0)
    md = make_article("md", "Maravel Daily", "2025-10-15", [
        ["The Lindqvist Bridge collapsed on Tuesday, 14 October.",
         "At least nine people were killed.", "Ostria ordered an inquiry on Wednesday."],
    ], opinion=0.05)
    re_ = make_article("re", "Radio Esterline", "2025-10-16", [
        ["The bridge collapsed on Monday, 13 October.", "The death toll rose to 12.",
         "Kovalenko called it “a failure of maintenance”."],
    ], opinion=0.62)
    cpa.citations.append(Citation("Harbour Courier", *_offsets(cpa, "the Harbour Courier")))
    collapse = Claim("c-collapse", "The Lindqvist Bridge collapsed on Tuesday.", "consensus",
                     [span(cpa, "The Lindqvist Bridge collapsed on Tuesday, 14 October."),
                      span(hc, "A section of the Lindqvist Bridge gave way"),
                      span(md, "The Lindqvist Bridge collapsed on Tuesday, 14 October."),
                      span(re_, "The bridge collapsed on Monday, 13 October.")], 3,
                     [["cpa", "md"]])
    toll = Claim("c-toll", "At least nine people died.", "corroborated",
                 [span(hc, "At least nine people died."),
                  span(cpa, "At least nine people were killed.")], 2)
    inspected = Claim("c-inspected", "The bridge was last inspected in March 2023.", "single",
                      [span(hc, "The bridge was last inspected in March 2023.")])
    inquiry = Claim("c-inquiry", "Ostria ordered an inquiry on Wednesday.", "single",
                    [span(cpa, "Ostria ordered an inquiry on Wednesday."),
                     span(md, "Ostria ordered an inquiry on Wednesday.")], 1, [["cpa", "md"]])
    return Brief(
        articles=[hc, cpa, md, re_],
        stages=["ingest", "clean", "segment"],
        near_copies=[["cpa", "md"]],
        claims=[inspected, collapse, inquiry, toll],  # out of order: the report sorts them
        conflicts=[
            Conflict("x-date", "date", "the day of the collapse",
                     [side(hc, "14 October"), side(re_, "13 October")], "c-collapse"),
            Conflict("x-toll", "number", "the death toll",
                     [side(re_, "12"), side(cpa, "nine", "nine people were killed")],
                     None, update=True),
        ],
        timeline=[
            TimelineEntry("2025-10-15", "Ostria ordered an inquiry.",
                          [span(cpa, "Ostria ordered an inquiry on Wednesday.")]),
            TimelineEntry("2025-10-14", "The bridge collapsed.",
                          [span(hc, "A section of the Lindqvist Bridge gave way"),
                           span(cpa, "The Lindqvist Bridge collapsed on Tuesday, 14 October.")],
                          "x-date"),
            TimelineEntry("2025-10-13", "The bridge collapsed.",
                          [span(re_, "The bridge collapsed on Monday, 13 October.")], "x-date"),
        ],
        summary=[
            SummarySentence("The Lindqvist Bridge collapsed on Tuesday, 14 October.", "cpa",
                            *_offsets(cpa, "The Lindqvist Bridge collapsed on Tuesday, 14 "
                                      "October."), ("cpa", "hc", "md")),
            SummarySentence("The death toll rose to 12.", "re",
                            *_offsets(re_, "The death toll rose to 12."), ("re",)),
        ],
        quote_groups=[QuoteGroup("q1", "This was a failure of maintenance, not of design",
                                 "Andriy Kovalenko", [
                                     _ref(hc, "This was a failure of maintenance, not of design"),
                                     _ref(cpa, "This was a failure of maintenance, not of "
                                          "design"),
                                     _ref(re_, "a failure of maintenance", partial=True)])],
    )


def _offsets(article: Article, words: str) -> tuple[int, int]:
    found = span(article, words)
    return found.start, found.end


def _ref(article: Article, words: str, partial: bool = False) -> QuoteRef:
    return QuoteRef(article.id, f"{article.id}-q", *_offsets(article, words), partial=partial)


@pytest.fixture(scope="module")
def corpus() -> Brief:
    return story()


@pytest.fixture(scope="module")
def page(corpus: Brief) -> str:
    return render(corpus, "html")


@pytest.fixture(scope="module")
def tree(page: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(page)


def text_without_removed(element: lxml.html.HtmlElement) -> str:
    """The element's text as a browser's DOM holds it, less the removed boilerplate."""
    parts = [element.text or ""]
    for child in element:
        if "removed" not in (child.get("class") or "").split():
            parts.append(text_without_removed(child))
        parts.append(child.tail or "")
    return "".join(parts)


def brief_data(tree: lxml.html.HtmlElement) -> dict[str, Any]:
    (script,) = tree.xpath('//script[@id="brief-data"]')
    assert script.get("type") == "application/json"
    data: dict[str, Any] = json.loads(script.text)
    return data


# --- DOM contract -------------------------------------------------------------------------

def test_every_chip_is_a_button_citing_a_valid_span(corpus: Brief,
                                                    tree: lxml.html.HtmlElement) -> None:
    articles = {a.id: a for a in corpus.articles}
    data = brief_data(tree)
    chips = tree.xpath('//*[contains(concat(" ", @class, " "), " cite ")]')
    assert len(chips) > 20
    for chip in chips:
        assert chip.tag == "button" and chip.get("type") == "button"
        article = articles[chip.get("data-article")]
        start, end = int(chip.get("data-start")), int(chip.get("data-end"))
        assert 0 <= start < end <= len(article.text)
        assert chip.text_content() == article.source
        # The panel shows the JSON's text[start:end]: the same characters.
        assert data["articles"][article.id]["text"][start:end] == article.text[start:end]


def test_brief_cites_every_source_of_each_sentence(corpus: Brief,
                                                   tree: lxml.html.HtmlElement) -> None:
    items = tree.xpath('//ol[@class="brief"]/li')
    assert len(items) == len(corpus.summary)
    for item, sentence in zip(items, corpus.summary, strict=True):
        chips = item.xpath('.//button[contains(@class, "cite")]')
        assert [c.get("data-article") for c in chips] == list(sentence.sources)
        first = chips[0]
        assert (int(first.get("data-start")), int(first.get("data-end"))) == \
            (sentence.start, sentence.end)
    # Maravel Daily's supporting sentence is found through the claim both are grouped in.
    md = corpus.article("md")
    chip = items[0].xpath('.//button[@data-article="md"]')[0]
    assert md.text[int(chip.get("data-start")):int(chip.get("data-end"))] == \
        "The Lindqvist Bridge collapsed on Tuesday, 14 October."


def test_source_panel_is_hidden_until_a_chip_is_chosen(tree: lxml.html.HtmlElement) -> None:
    (panel,) = tree.xpath('//*[@id="source-panel"]')
    assert panel.get("hidden") is not None
    assert panel.xpath('.//button[@id="panel-close"]')
    assert not tree.xpath('//*[contains(concat(" ", @class, " "), " cited ")]')


def test_matrix_has_a_column_per_article_and_consensus_first(
        corpus: Brief, tree: lxml.html.HtmlElement) -> None:
    (matrix,) = tree.xpath('//table[@id="matrix"]')
    header = matrix.xpath(".//thead/tr")[0]
    columns = header.xpath('./th[@class="article-col"]')
    assert [c.get("data-article") for c in columns] == [a.id for a in corpus.articles]
    rows = matrix.xpath(".//tr[@data-status]")
    assert [r.get("data-claim") for r in rows] == \
        ["c-collapse", "c-toll", "c-inspected", "c-inquiry"]
    assert [r.get("data-status") for r in rows] == \
        ["consensus", "corroborated", "single", "single"]
    collapse = rows[0]
    assert "has-conflict" in collapse.get("class")
    assert collapse.xpath('.//a[@href="#conflict-x-date"]')
    cells = collapse.xpath('./td')
    assert len(cells) == len(corpus.articles)
    disputing = [a.id for a, cell in zip(corpus.articles, cells, strict=True)
                 if "side" in cell.get("class")]
    assert disputing == ["hc", "re"]
    # A cell holds a chip exactly where the article states the claim.
    toll = rows[1].xpath("./td")
    assert [bool(c.xpath(".//button")) for c in toll] == [True, True, False, False]


def test_matrix_scrolls_in_its_box_with_filters_for_the_script(
        corpus: Brief, tree: lxml.html.HtmlElement) -> None:
    (box,) = tree.xpath('//div[contains(@class, "matrix-box")]')
    assert box.xpath('./table[@id="matrix"]/thead/tr/th[@class="claim-col"]')
    css = (ASSETS / "report.css").read_text("utf-8")
    assert re.search(r"#matrix thead th \{[^}]*position: sticky; top: 0", css)
    assert re.search(r"#matrix th\.claim, #matrix thead th\.claim-col \{[^}]*position: sticky;"
                     r"\s*left: 0", css)
    # Each row says which articles state it and whether a conflict touches it.
    rows = {r.get("data-claim"): r for r in tree.xpath('//tr[@data-claim]')}
    assert rows["c-collapse"].get("data-articles") == "cpa hc md re"
    assert rows["c-collapse"].get("data-touched") is not None
    assert rows["c-inspected"].get("data-touched") is None
    (filters,) = tree.xpath('//div[@class="filters"]')
    statuses = filters.xpath('.//select[@id="filter-status"]/option/@value')
    assert statuses == ["", "consensus", "corroborated", "single", "disputed"]
    outlets = filters.xpath('.//select[@id="filter-outlet"]/option')
    assert [(o.get("value"), o.text) for o in outlets] == [
        ("", "any outlet"), ("cpa", "Continental Press Agency"), ("hc", "Harbour Courier"),
        ("md", "Maravel Daily"), ("re", "Radio Esterline")]
    assert filters.xpath('.//output[@id="filter-count"]')[0].text == "4 claims"


def test_conflicts_side_by_side_and_updates_apart(tree: lxml.html.HtmlElement) -> None:
    (conflict,) = tree.xpath('//section[@id="conflicts"]//*[@id="conflict-x-date"]')
    sides = conflict.xpath('.//div[@class="side"]')
    assert [s.xpath('.//mark[@class="value"]')[0].text_content() for s in sides] == \
        ["14 October", "13 October"]
    assert [s.xpath(".//button")[0].text_content() for s in sides] == \
        ["Harbour Courier", "Radio Esterline"]
    assert not tree.xpath('//section[@id="conflicts"]//*[@id="conflict-x-toll"]')
    (update,) = tree.xpath('//section[@id="updates"]//*[@id="update-x-toll"]')
    assert "updated, not disputed" in update.text_content()
    # Earliest report first: the agency's nine, then the radio's twelve.
    assert [v.text_content() for v in update.xpath('.//div[@class="value"]')] == ["nine", "12"]
    # The value is marked inside its sentence, even where the side's span is longer.
    assert [m.text_content() for m in update.xpath('.//mark[@class="value"]')] == ["nine", "12"]


def test_quotes_by_speaker_with_each_copy(tree: lxml.html.HtmlElement) -> None:
    (speaker,) = tree.xpath('//section[@id="quotes"]//div[@class="speaker"]')
    assert speaker.xpath("./h3")[0].text_content() == "Andriy Kovalenko"
    carriers = [(li.xpath(".//button")[0].text_content(),
                 li.xpath('.//span[contains(@class, "badge")]')[0].text_content())
                for li in speaker.xpath('.//ul[@class="carriers"]/li')]
    assert carriers == [("Harbour Courier", "full"), ("Continental Press Agency", "full"),
                        ("Radio Esterline", "partial")]


def test_timeline_in_date_order_with_conflicting_dates_side_by_side(
        tree: lxml.html.HtmlElement) -> None:
    rows = tree.xpath('//ol[@class="timeline"]/li')
    dates = [[d.text_content() for d in row.xpath('.//div[@class="event-date"]')]
             for row in rows]
    assert dates == [["2025-10-14", "2025-10-13"], ["2025-10-15"]]
    assert rows[0].get("class") == "conflicting"
    assert len(tree.xpath('//figure[@class="axis"]//*[local-name()="circle"]')) == 3


def test_profiles(corpus: Brief, tree: lxml.html.HtmlElement) -> None:
    hc = tree.xpath('//*[@id="profile-hc"]')[0].text_content()
    assert "The bridge was last inspected in March 2023." in hc  # only here
    cpa = tree.xpath('//*[@id="profile-cpa"]')[0].text_content()
    assert "Harbour Courier" in cpa and "Near-copy of Maravel Daily" in cpa
    sources = tree.xpath('//section[@id="sources"]')[0].text_content()
    assert "Continental Press Agency = Maravel Daily: counted as one source" in sources
    assert tree.xpath('//*[@id="profile-re"]//*[local-name()="rect"][@class="fill"]')


def ranked_story() -> Brief:
    """One article, four facts only it states: general, a number, a date and a name, a
    number and a name and an attributed quotation; the claims in the article's order."""
    sentences = ["The scene was chaotic.", "Officers fired 12 shots.",
                 "Ana Ruiz was arrested on 3 May.",
                 "Chief Lee said “we fired 12 shots” at the scene."]
    article = make_article("a", "Outlet", "2025-05-04", [sentences])

    def at(words: str) -> tuple[int, int]:
        start = article.text.index(words)
        return start, start + len(words)

    article.mentions = [Mention(*at("12"), "CARDINAL"), Mention(*at("Ana Ruiz"), "PERSON"),
                        Mention(*at("Chief Lee"), "PERSON"),
                        Mention(article.text.rindex("12"), article.text.rindex("12") + 2,
                                "CARDINAL")]
    article.dates = [DateMention(*at("3 May"), "2025-05-03", "explicit")]
    article.quotes = [Quote("q", *at("we fired 12 shots"), speaker="Chief Lee")]
    claims = [Claim(f"c{n}", text, "single", [span(article, text)])
              for n, text in enumerate(sentences)]
    return Brief(articles=[article], claims=claims)


def test_single_source_facts_most_specific_first_in_every_format() -> None:
    from crossbrief.render import single_source_ranked, specifics

    corpus = ranked_story()
    assert [specifics(corpus, c) for c in corpus.claims] == [(0, 0), (1, 1), (2, 2), (3, 3)]
    ranked = [c.text for c in single_source_ranked(corpus)]
    assert ranked == ["Chief Lee said “we fired 12 shots” at the scene.",
                      "Ana Ruiz was arrested on 3 May.", "Officers fired 12 shots.",
                      "The scene was chaotic."]
    tree = lxml.html.document_fromstring(render(corpus, "html"))
    rows = tree.xpath('//table[@id="matrix"]//tr[@data-status="single"]/th')
    assert [r.text for r in rows] == [f"{t} " for t in ranked]
    only = tree.xpath('//*[@id="profile-a"]//ul/li')
    assert [li.text for li in only] == [f"{t} " for t in ranked]
    markdown = render(corpus, "md")
    section = markdown.split("## Only in one source")[1]
    assert [section.index(t) for t in ranked] == sorted(section.index(t) for t in ranked)
    terminal = render(corpus, "term")
    section = terminal.split("Only in one source")[1]
    assert [section.index(t[:20]) for t in ranked] == sorted(section.index(t[:20])
                                                             for t in ranked)


def test_charts_are_inline_svg_with_title_and_description(
        corpus: Brief, tree: lxml.html.HtmlElement) -> None:
    (section,) = tree.xpath('//section[@id="coverage"]')
    charts = section.xpath('.//*[local-name()="svg"]')
    assert [c.get("class") for c in charts] == ["chart coverage-chart", "chart support-chart"]
    for chart in charts:
        assert chart.get("role") == "img"
        title, desc = chart.get("aria-labelledby").split()
        assert chart.xpath(f'./*[local-name()="title"][@id="{title}"]')[0].text
        assert chart.xpath(f'./*[local-name()="desc"][@id="{desc}"]')[0].text
        assert not chart.xpath('.//*[@href or @src or @style]')  # nothing fetched or inline
    coverage, support = charts
    # A row per outlet, first to publish on top (a long name shortened to fit the phone's
    # width; whole in the dot's title); a dot per day it published.
    labels = [t.text for t in coverage.xpath('.//*[local-name()="text"][@class="label"]')]
    assert labels == ["Harbour Courier", "Continental…Agency", "Maravel Daily",
                      "Radio Esterline"]
    dots = [d.xpath('./*[local-name()="title"]')[0].text
            for d in coverage.xpath('.//*[local-name()="circle"]')]
    assert dots == ["Harbour Courier: 1 article on 2025-10-14",
                    "Continental Press Agency: 1 article on 2025-10-15",
                    "Maravel Daily: 1 article on 2025-10-15",
                    "Radio Esterline: 1 article on 2025-10-16"]
    xs = [float(d.get("cx")) for d in coverage.xpath('.//*[local-name()="circle"]')]
    assert xs[0] < xs[1] == xs[2] < xs[3]
    # A bar per number of independent outlets: 3 (the collapse), 2 (the toll), 1 (two).
    bars = [(t.text, int(c.text)) for t, c in zip(
        support.xpath('.//*[local-name()="text"][@class="label"]'),
        support.xpath('.//*[local-name()="text"][@class="count"]'), strict=True)]
    assert bars == [("3 outlets", 1), ("2 outlets", 1), ("1 outlet", 2)]
    widths = [float(r.get("width")) for r in support.xpath('.//*[local-name()="rect"]')]
    assert widths[0] == widths[1] < widths[2]
    assert "4 claims" in support.xpath('./*[local-name()="title"]')[0].text


def test_article_paragraphs_hold_exactly_the_clean_text(corpus: Brief,
                                                        tree: lxml.html.HtmlElement) -> None:
    for article in corpus.articles:
        (body,) = tree.xpath(f'//div[@class="article-body"][@data-article="{article.id}"]')
        for p in body.xpath("./p[@data-start]"):
            start, end = int(p.get("data-start")), int(p.get("data-end"))
            assert text_without_removed(p) == article.text[start:end]
    # Cited spans are marked for the "highlight cited passages" toggle.
    marks = tree.xpath('//*[@id="body-hc"]//mark[@class="cited-span"]')
    assert "The bridge was last inspected in March 2023." in [m.text_content() for m in marks]


def test_removed_boilerplate_in_place_and_hidden_by_default(
        corpus: Brief, tree: lxml.html.HtmlElement, page: str) -> None:
    body = tree.xpath('//*[@id="body-hc"]')[0]
    removed = body.xpath('.//del[@class="removed"]')
    assert [d.text_content() for d in removed] == [r.text for r in corpus.article("hc").removed]
    # Before the first paragraph, inside it (at offset 40), and between paragraphs.
    assert removed[0].getparent().get("class") == "removed-block"
    assert removed[1].getparent().get("data-start") == "0"
    assert removed[2].getparent().get("class") == "removed-block"
    assert removed[1].get("data-reason") == "advertisement"
    css = tree.xpath("//style")[0].text
    assert re.search(r"del\.removed \{ display: none;", css)
    assert ".show-removed del.removed { display: inline; }" in css
    (toggle,) = tree.xpath('//button[@data-toggle="show-removed"]')
    assert toggle.get("aria-pressed") == "false"


def test_print_and_keyboard_styles(tree: lxml.html.HtmlElement) -> None:
    css = tree.xpath("//style")[0].text
    printing = css[css.index("@media print"):]
    assert "#source-panel" in printing and "display: none" in printing
    assert ".article-body { display: block !important; }" in printing
    assert 'a[href^="http"]::after' in printing
    assert ":focus-visible" in css and "overflow-wrap: anywhere" in css
    js = tree.xpath("//script[not(@type)]")[0].text
    assert '"Escape"' in js and "innerHTML" not in js


def rejected_story() -> Brief:
    """The hand-made story with two rejections, as a library brief has them: a claim link (with
    a note holding markup) and a conflict, one of whose spans is in an article the story no
    longer holds."""
    corpus = story()
    hc, cpa = corpus.article("hc"), corpus.article("cpa")
    corpus.rejections = [
        Rejection.make("link", [span(hc, "At least nine people died."),
                                span(cpa, "At least nine people were killed.")],
                       note="counts differ <b>later</b>", created="2026-11-29T16:03:31+00:00"),
        Rejection.make("conflict", [span(hc, "14 October"), Span("gone", 3, 9)],
                       about="the day of the collapse", created="2026-11-28T09:00:00+00:00"),
    ]
    return corpus


def test_rejections_shown_with_their_passages_cited() -> None:
    corpus = rejected_story()
    tree = lxml.html.document_fromstring(render(corpus, "html"))
    assert tree.xpath('//nav[@class="toc"]//a[@href="#rejected"]')[0].text == \
        "Rejected by a person"
    cards = tree.xpath('//section[@id="rejected"]//div[@class="rejection"]')
    link, conflict = sorted(corpus.rejections, key=lambda r: r.kind == "conflict")
    # Oldest first: the conflict was rejected the day before the link.
    assert [c.get("id") for c in cards] == [f"rejection-{conflict.id}", f"rejection-{link.id}"]
    assert [c.get("data-kind") for c in cards] == ["conflict", "link"]
    assert "the day of the collapse" in cards[0].xpath("./h3")[0].text_content()
    assert "Rejected 2026-11-29 16:03 UTC" in cards[1].text_content()
    assert cards[1].xpath('.//q[@class="note"]')[0].text == "counts differ <b>later</b>"
    chips = cards[1].xpath('.//button[contains(@class, "cite")]')
    assert [(c.get("data-article"), c.text_content()) for c in chips] == \
        [("cpa", "Continental Press Agency"), ("hc", "Harbour Courier")]
    for chip, rejected in zip(chips, link.spans, strict=True):
        assert (int(chip.get("data-start")), int(chip.get("data-end"))) == \
            (rejected.start, rejected.end)
        assert chip.getparent().xpath("./p")[0].text == \
            corpus.article(rejected.article).text[rejected.start:rejected.end]
    # A span of an article the story no longer holds is named, with no chip and no words.
    gone = cards[0].xpath('.//div[@class="side"]')[0]  # spans in canonical order
    assert gone.text_content() == "article goneNo longer in this story."
    assert not gone.xpath(".//button")
    # Nothing rejected, no section.
    assert not lxml.html.document_fromstring(render(story(), "html")).xpath(
        '//section[@id="rejected"]')


# --- self-containment and security ---------------------------------------------------------

def test_self_contained(page: str, tree: lxml.html.HtmlElement) -> None:
    assert not tree.xpath("//link | //img | //iframe | //object | //embed | //base | //form")
    assert not tree.xpath("//*[@src]")
    for style in tree.xpath("//style"):
        assert "@import" not in style.text and "url(" not in style.text
    links = tree.xpath("//a/@href")
    assert all(h.startswith("#") or h.startswith("https://") for h in links)
    assert "https://www.harbourcourier.example/bridge" in links


def test_content_security_policy_allows_only_the_inline_script_and_style(
        tree: lxml.html.HtmlElement) -> None:
    (meta,) = tree.xpath('//meta[@http-equiv="Content-Security-Policy"]')
    policy = dict(p.strip().split(" ", 1) for p in meta.get("content").split(";"))
    assert policy["default-src"] == "'none'"
    assert policy["base-uri"] == "'none'" and policy["form-action"] == "'none'"
    assert policy["img-src"] == "data:"
    script = tree.xpath("//script[not(@type)]")[0].text
    style = tree.xpath("//style")[0].text
    for source, directive in ((script, "script-src"), (style, "style-src")):
        digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
        assert policy[directive] == f"'sha256-{digest}'"
    assert script == (ASSETS / "report.js").read_text("utf-8")


HOSTILE = "<script>window.__pwned=1</script>"
BREAKOUT = "</script><script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LONG = "x" * 20_000


def hostile_corpus() -> Brief:
    corpus = story()
    bad = make_article('"><img src=x onerror=alert(2)>', HOSTILE, "2025-10-16", [
        [f"Before {HOSTILE} then {IMG} and {BREAKOUT} after.", "Line\u2028separator 😀 here."],
        [LONG],
    ], title=BREAKOUT, url="javascript:alert(1)", author=f'"{IMG}',
        removed=[Removal(BREAKOUT, IMG, 5)])
    bad.citations.append(Citation(IMG, *_offsets(bad, IMG)))
    corpus.articles.append(bad)
    corpus.claims.append(Claim("evil", BREAKOUT, "single", [span(bad, BREAKOUT)]))
    corpus.conflicts.append(Conflict("evil", IMG, HOSTILE, [side(bad, BREAKOUT)], "evil"))
    corpus.timeline.append(TimelineEntry(BREAKOUT, HOSTILE, [span(bad, LONG)]))
    corpus.summary.append(SummarySentence(HOSTILE, bad.id, *_offsets(bad, HOSTILE),
                                          (bad.id, "hc")))
    corpus.quote_groups.append(QuoteGroup(IMG, BREAKOUT, HOSTILE,
                                          [QuoteRef(bad.id, "q", *_offsets(bad, IMG))]))
    corpus.near_copies.append([bad.id, "re"])
    corpus.skip(BREAKOUT, IMG)
    return corpus


class _Scanner(HTMLParser):
    """Every element and attribute as Python's tokenizer (like a browser's) sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.script_text.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_text[-1] += data


def test_hostile_input_renders_no_executable_markup() -> None:
    corpus = hostile_corpus()
    page = render(corpus, "html")
    scanner = _Scanner()
    scanner.feed(page)
    scripts = [attrs for tag, attrs in scanner.tags if tag == "script"]
    assert scripts == [{"type": "application/json", "id": "brief-data"}, {}]
    assert scanner.script_text[1] == (ASSETS / "report.js").read_text("utf-8")
    for tag, attrs in scanner.tags:
        assert tag not in {"img", "iframe", "object", "embed", "base", "form", "svg:script"}
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in {"href", "src", "action", "formaction", "xlink:href"}:
                assert not (value or "").strip().lower().startswith("javascript:"), (tag, value)
    assert "javascript:" not in " ".join(a.get("href") or "" for _, a in scanner.tags)
    # The article data reaches the script intact, and nothing in it can close the element.
    raw = scanner.script_text[0]
    assert "<" not in raw and ">" not in raw and "\u2028" not in raw
    data = json.loads(raw)
    bad = corpus.articles[-1]
    assert data["articles"][bad.id]["text"] == bad.text
    assert data["articles"][bad.id]["title"] == BREAKOUT
    # Shown as text, with chips whose offsets are still exact.
    tree = lxml.html.document_fromstring(page)
    assert HOSTILE in tree.xpath('//ol[@class="brief"]')[0].text_content()
    body = tree.xpath('//div[@class="article-body"]')[-1]
    for p in body.xpath("./p[@data-start]"):
        assert text_without_removed(p) == bad.text[int(p.get("data-start")):
                                                   int(p.get("data-end"))]
    for chip in tree.xpath('//button[@data-article=$id]', id=bad.id):
        assert chip.text_content() == HOSTILE
        assert 0 <= int(chip.get("data-start")) < int(chip.get("data-end")) <= len(bad.text)
    assert LONG in page  # wrapped by the style sheet's overflow-wrap, not cut


TEMPLATE_SYNTAX = "{{ 7*7 }} {% if true %}yes{% endif %} {# c #}"


def test_template_syntax_and_script_ends_in_the_input_render_literally() -> None:
    """The report is a Jinja2 template: text from an article that looks like template syntax
    or ends a script is written as text, never evaluated, never markup."""
    corpus = story()
    hostile = f"{TEMPLATE_SYNTAX} </script><script>alert(1)</script>"
    article = corpus.articles[0]
    article.source = article.title = hostile
    corpus.claims[0].text = hostile
    page = render(corpus, "html", RenderOptions(title=hostile))
    scanner = _Scanner()
    scanner.feed(page)
    assert [tag for tag, _ in scanner.tags if tag == "script"] == ["script", "script"]
    assert "<script>alert(1)" not in page and TEMPLATE_SYNTAX in page  # as written
    tree = lxml.html.document_fromstring(page)
    assert tree.xpath("//title")[0].text == f"crossbrief: {hostile}"
    assert tree.xpath("//h1")[0].text_content() == hostile
    claim = tree.xpath(f'//tr[@data-claim="{corpus.claims[0].id}"]/th')[0]
    assert claim.text == hostile + " "
    assert tree.xpath('//th[@data-article="hc"]')[0].text == hostile
    assert tree.xpath('//*[@id="profile-hc"]/h3')[0].text == hostile
    assert all(chip.text_content() == hostile
               for chip in tree.xpath('//button[@data-article="hc"]'))
    assert brief_data(tree)["articles"]["hc"]["source"] == hostile


def test_carriage_returns_survive_so_offsets_hold() -> None:
    """An HTML parser folds a raw CR into a line feed; written as &#13; it stays a CR, so a
    paragraph still holds exactly text[start:end] and a chip's offsets still count it."""
    corpus = story()
    odd = make_article("cr", "Carriage\rReturn", "2025-10-16",
                       [["A line\r\nbroken by CR LF.", "Then\rone more."]], title="Title\rhere")
    corpus.articles.append(odd)
    corpus.claims.append(Claim("cr-claim", "A line\r\nbroken.", "single",
                               [span(odd, "Then\rone more.")]))
    tree = lxml.html.document_fromstring(render(corpus, "html"))
    (body,) = tree.xpath('//div[@class="article-body"][@data-article="cr"]')
    (paragraph,) = body.xpath("./p[@data-start]")
    assert text_without_removed(paragraph) == odd.text
    assert tree.xpath('//tr[@data-claim="cr-claim"]/th')[0].text == "A line\r\nbroken. "
    assert tree.xpath('//th[@data-article="cr"]')[0].text == "Carriage\rReturn"
    assert "Title\rhere" in tree.xpath('//*[@id="article-cr"]//h3')[0].text_content()


def test_only_http_urls_become_links() -> None:
    assert safe_url("https://example.com/a?b=1") == "https://example.com/a?b=1"
    assert safe_url("HTTP://EXAMPLE.COM") == "HTTP://EXAMPLE.COM"
    for bad in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x",
                "vbscript:x", "//evil.example", "/relative", "", None, "http://[::1"):
        assert safe_url(bad) is None, bad


def test_script_json_cannot_break_out() -> None:
    text = script_json({"t": "</script><!-- & \u2028\u2029 ok"})
    assert not re.search("[<>&\u2028\u2029]", text)
    assert json.loads(text) == {"t": "</script><!-- & \u2028\u2029 ok"}


def test_same_corpus_same_page() -> None:
    assert render(story(), "html") == render(story(), "html")


def test_empty_corpus_still_renders() -> None:
    tree = lxml.html.document_fromstring(render(Brief(), "html"))
    assert tree.xpath('//table[@id="matrix"]') == []
    assert "No claims grouped" in tree.xpath('//section[@id="claims"]')[0].text_content()


def test_cli_writes_html(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["analyze", str(FIXTURES / "pages" / "council-vote.html"),
                                      "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    tree = lxml.html.document_fromstring(out.read_text("utf-8"))
    assert len(tree.xpath('//article[@class="source-article"]')) == 1


# --- the committed example report ----------------------------------------------------------

def test_docs_report_is_current() -> None:
    module = script(ROOT / "scripts" / "build_docs_report.py", "build_docs_report")
    committed = (ROOT / "docs" / "report.html").read_text("utf-8")
    assert module.build_report() == committed, (
        "docs/report.html is out of date: regenerate it with "
        "`python scripts/build_docs_report.py` and commit the result")


def test_a_library_story_is_named_in_its_report(tmp_path: Path) -> None:
    db, out = tmp_path / "lib.db", tmp_path / "s.html"
    page = str(FIXTURES / "pages" / "council-vote.html")
    result = CliRunner().invoke(cli, ["analyze", page, "--db", str(db), "--story", "xi-moscow",
                                      "-f", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    tree = lxml.html.document_fromstring(out.read_text("utf-8"))
    assert tree.xpath("//title")[0].text == "crossbrief: xi-moscow"
    assert tree.xpath("//h1")[0].text_content() == "xi-moscow"
    # Read back from the library, in the other formats too.
    for fmt, first in (("md", "# xi-moscow"), ("term", "xi-moscow")):
        result = CliRunner().invoke(cli, ["analyze", "--db", str(db), "--story", "xi-moscow",
                                          "-f", fmt])
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[0] == first
    # A hostile name is text, never markup.
    named = render(story(), "html", RenderOptions(title="<img src=x onerror=alert(1)>"))
    assert "<img" not in named and "&lt;img src=x" in named


# --- every line shown is traceable ---------------------------------------------------------

def _shown(text: str) -> str:
    return " ".join(text.split())


def test_every_line_of_the_example_report_cites_the_words_it_shows() -> None:
    """The bundled example's report (from its golden brief): every brief line, conflict or
    update side, quote, claim, timeline event and profile line carries a chip; every chip
    names an article of the brief and a span of its clean text; and that span's text is what
    the line shows (a conflict side shows the sentence around it; a quote's group drops the
    punctuation ending it; a partial copy is some of its words)."""
    from .conftest import GOLDEN

    corpus = Brief.from_dict(json.loads((GOLDEN / "maravel-bridge.brief.json")
                                        .read_text("utf-8")))
    tree = lxml.html.document_fromstring(render(corpus, "html"))
    data = json.loads(tree.get_element_by_id("brief-data").text)
    texts = {id: a["text"] for id, a in data["articles"].items()}
    assert texts == {a.id: a.text for a in corpus.articles}
    assert "article_link" not in data  # a report standing alone links to no server

    def cited(element: lxml.html.HtmlElement) -> list[str]:
        chips = element.xpath('.//button[contains(concat(" ", @class, " "), " cite ")]')
        assert chips, lxml.html.tostring(element, encoding="unicode")
        spans = []
        for chip in chips:
            text = texts[chip.get("data-article")]
            start, end = int(chip.get("data-start")), int(chip.get("data-end"))
            assert 0 <= start < end <= len(text)
            spans.append(_shown(text[start:end]))
        return spans

    checked: dict[str, int] = {}

    def check(kind: str, ok: bool) -> None:
        assert ok, kind
        checked[kind] = checked.get(kind, 0) + 1

    for line in tree.xpath('//ol[@class="brief"]/li'):
        check("brief", cited(line)[0] == _shown(line.find("span").text_content()))
    for side in tree.xpath('//div[@class="sides"]/div[@class="side"]'):
        check("side", cited(side)[0] in _shown(side.find("p").text_content()))
    for quote in tree.xpath("//blockquote"):
        words = _shown(quote.text_content()).strip("“”")
        for carrier in quote.getnext().findall("li"):
            kind = carrier.xpath('.//span[contains(@class, "badge")]')[0].text
            span = cited(carrier)[0]
            check(f"quote {kind}", span.rstrip(",.;:!?") == words if kind == "full"
                  else span.casefold() in words.casefold() if kind == "partial"
                  else bool(span))
    for row in tree.xpath('//table[@id="matrix"]//tr[@data-claim]'):
        check("claim", _shown(row.find("th").text) in cited(row))
    for event in tree.xpath('//ol[@class="timeline"]//div[@class="events"]/div'):
        check("event", _shown(event.find("p").text_content()) in cited(event))
    for profile in tree.xpath('//article[@class="profile"]'):
        for line in profile.xpath(".//li"):
            check("profile line", cited(line)[0] == _shown(line.text))
        for name in profile.xpath('.//span[@class="cited-name"]'):
            words = name.find("q")
            shown = _shown(words.text if words is not None else name.text).casefold()
            check("cites", cited(name)[0].casefold() == shown)
    # every kind of line the example has was checked, editorialising sentences included
    assert {"brief", "side", "quote full", "claim", "event", "profile line",
            "cites"} <= set(checked), checked
    # each outlet or document an article cites, and each sentence its opinion score counts
    for article in corpus.articles:
        profile = tree.get_element_by_id(f"profile-{article.id}")
        assert len(profile.xpath('.//span[@class="cited-name"]')) == len(
            {c.outlet for c in article.citations})
        assert len(profile.xpath('.//details[@class="editorialising"]//li')) == len(
            article.opinionated_sentences)
    assert any(a.opinionated_sentences for a in corpus.articles)
