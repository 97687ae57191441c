"""The HTML report: one self-contained page (no network) with a citation for every line.

Everything from the articles is third-party text: it is escaped wherever it is written, web
addresses become links only when they are http(s), and the data the script needs travels as
JSON in a ``<script type="application/json">`` with ``<``, ``>``, ``&`` and the JavaScript line
separators escaped. The script and style sheet are the package's own files, inlined, and the
Content-Security-Policy allows exactly them (by hash) and nothing else. See docs/report.md.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from html import escape
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from .. import __version__
from ..model import SCHEMA, Article, Claim, Conflict, Corpus, Paragraph, Removal, Side, Span
from . import (
    APART_NOTE,
    RenderOptions,
    apart_lines,
    article_outlets,
    near_copy_names,
    opinion_label,
    plural,
    quote_carriers,
    register_renderer,
    single_source_ranked,
)

STATUSES = ("consensus", "corroborated", "single")
STATUS_HELP = {
    "consensus": "stated by at least two independent outlets and half of all the independent ones",
    "corroborated": "stated by at least two independent outlets",
    "single": "stated by one outlet (or one outlet and its near-copies)",
}
_HAS_CONFLICT = ' class="has-conflict"'
_WORD = re.compile(r"\w+")
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
# Escapes that keep JSON inert inside <script>: no "</script>", "<!--", or "&" entity, and
# no U+2028/U+2029, which older JavaScript parsers took for line ends.
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                 "\u2028": "\\u2028", "\u2029": "\\u2029"}


def esc(value: object) -> str:
    """``value`` as HTML text or attribute value: ``& < > " '`` escaped, and CR kept as a
    reference so the parser does not fold it (offsets count it)."""
    return escape(str(value), quote=True).replace("\r", "&#13;")


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) address, else None (no javascript:, data:, …)."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def script_json(data: Any) -> str:
    """``data`` as JSON that cannot end the ``<script>`` element it is embedded in."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)


def csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _asset(name: str) -> str:
    return (resources.files("crossbrief.render") / "assets" / name).read_text("utf-8")


@dataclass
class _Report:
    """The corpus being written, and the spans cited so far (highlighted in the articles)."""

    corpus: Corpus
    articles: dict[str, Article] = field(init=False)
    cited: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.articles = {a.id: a for a in self.corpus.articles}

    def source(self, article_id: str) -> str:
        article = self.articles.get(article_id)
        return article.source if article else article_id

    def valid(self, span: Span) -> bool:
        article = self.articles.get(span.article)
        return article is not None and 0 <= span.start < span.end <= len(article.text)

    def chip(self, span: Span, dot: bool = False) -> str:
        """A citation chip: a button that opens the cited words in the source panel."""
        label = esc(self.source(span.article))
        if not self.valid(span):
            return f'<span class="meta">{label}</span>'
        self.cited.setdefault(span.article, []).append((span.start, span.end))
        inner = f'<span class="vh">{label}</span>' if dot else label
        return (f'<button type="button" class="cite{" dot" if dot else ""}" '
                f'data-article="{esc(span.article)}" data-start="{span.start}" '
                f'data-end="{span.end}" title="Show where {label} says this">{inner}</button>')

    def chips(self, spans: Iterable[Span]) -> str:
        return '<span class="chips">' + "".join(self.chip(s) for s in spans) + "</span>"


@register_renderer("html")
def render_html(corpus: Corpus, options: RenderOptions) -> str:
    """The whole report as one HTML document (see docs/report.md)."""
    report = _Report(corpus)
    sections = [
        ("brief", "Brief", _brief(report)),
        ("coverage", "Coverage at a glance", _coverage(report)),
        ("claims", "Claims by source", _claims(report)),
        ("conflicts", "Conflicts", _conflicts(report, update=False)),
        ("updates", "Updated, not disputed", _conflicts(report, update=True)),
        ("quotes", "Quotes", _quotes(report)),
        ("timeline", "Timeline", _timeline(report)),
        ("sources", "Sources", _sources(report)),
        # Last: it highlights every span the sections above cite.
        ("articles", "Articles in full", _articles(report)),
    ]
    css, js = _asset("report.css"), _asset("report.js")
    csp = (f"default-src 'none'; style-src {csp_hash(css)}; script-src {csp_hash(js)}; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    data = {"schema": SCHEMA, "articles": {
        a.id: {"source": a.source, "title": a.title, "published": a.published,
               "author": a.author, "text": a.text,
               "paragraphs": [[p.start, p.end] for p in _paragraphs(a)]}
        for a in corpus.articles}}
    toc = "".join(f'<li><a href="#{key}">{title}</a></li>' for key, title, _ in sections)
    body = "\n".join(f'<section id="{key}" aria-labelledby="{key}-h">'
                     f'<h2 id="{key}-h">{title}</h2>\n{html}</section>'
                     for key, title, html in sections)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="crossbrief {esc(__version__)}">
<title>crossbrief: {esc(options.title or _headline(corpus))}</title>
<style>{css}</style>
</head>
<body>
<main>
<header>
{_heading(options)}
<p class="lede">{_lede(report)}</p>
{_failures(corpus)}{_apart(corpus)}<nav class="toc" aria-label="Contents"><ul>{toc}</ul></nav>
</header>
{body}
<footer>Made by crossbrief {esc(__version__)} ({SCHEMA}); stages run:
{esc(", ".join(corpus.stages) or "none")}.</footer>
</main>
<aside id="source-panel" hidden tabindex="-1" role="dialog" aria-labelledby="panel-outlet">
<div id="panel-body"></div>
<div class="panel-actions">
<button type="button" id="panel-goto">Show in the article</button>
<button type="button" id="panel-close">Close <span class="meta">(Esc)</span></button>
</div>
</aside>
<script type="application/json" id="brief-data">{script_json(data)}</script>
<script>{js}</script>
</body>
</html>
"""


def _heading(options: RenderOptions) -> str:
    """The page's heading: the story's name when it has one."""
    if not options.title:
        return "<h1>Cross-source brief</h1>"
    return (f'<p class="kicker">Cross-source brief</p><h1 class="story-title">'
            f"{esc(options.title)}</h1>")


def _headline(corpus: Corpus) -> str:
    first = min(corpus.articles, key=lambda a: a.published or "9999", default=None)
    return (first.title or first.source) if first else "no articles"


def _lede(report: _Report) -> str:
    corpus = report.corpus
    dates = sorted(a.published for a in corpus.articles if a.published)
    span = f", published {dates[0]} to {dates[-1]}" if len(set(dates)) > 1 else \
        f", published {dates[0]}" if dates else ""
    outlets = ", ".join(dict.fromkeys(a.source for a in corpus.articles))
    return (esc(f"{plural(len(corpus.articles), 'article')}{span}: {outlets}.")
            + f" {plural(len(corpus.claims), 'claim')}, "
            f"{plural(sum(not c.update for c in corpus.conflicts), 'conflict')}, "
            f"{plural(sum(c.update for c in corpus.conflicts), 'update')}.")


def _empty(text: str) -> str:
    return f'<p class="empty">{text}</p>'


def _overlaps(a: Span, b: Span) -> bool:
    return a.article == b.article and a.start < b.end and b.start < a.end


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _matching_span(report: _Report, here: Span, text: str, target: str) -> Span | None:
    """Where ``target`` says what ``here`` says: its span in a claim grouped with ``here``,
    else its sentence sharing the most words with ``text``."""
    for claim in report.corpus.claims:
        if any(_overlaps(s, here) for s in claim.support):
            for s in claim.support:
                if s.article == target:
                    return s
    article = report.articles.get(target)
    if article is None or not article.sentences:
        return None
    words = _words(text)

    def overlap(start: int, end: int) -> float:
        other = _words(article.text[start:end])
        return len(words & other) / (len(words | other) or 1)

    best = max(article.sentences, key=lambda s: overlap(s.start, s.end))
    return Span(target, best.start, best.end)


def _failures(corpus: Corpus) -> str:
    """The story-wide steps that could not be built, and why: their sections are empty."""
    if not corpus.failures:
        return ""
    items = "".join(f"<li><strong>{esc(f.stage)}</strong>: {esc(f.reason)} [{esc(f.code)}]</li>"
                    for f in corpus.failures)
    return (f'<div class="failures" role="alert"><p>Not built, so their sections below are '
            f"empty:</p><ul>{items}</ul></div>\n")


def _apart(corpus: Corpus) -> str:
    """The articles standing apart from the story, and why."""
    apart = apart_lines(corpus)
    if not apart:
        return ""
    items = "".join(f"<li><strong>{esc(who)}</strong>: {esc(reason)}</li>"
                    for who, reason in apart)
    return (f'<div class="apart" role="alert"><p>Set apart, as not the same story '
            f"({esc(APART_NOTE)}):</p><ul>{items}</ul></div>\n")


def _brief(report: _Report) -> str:
    if not report.corpus.summary:
        return _empty("No summary: the summary stage has not run or found no sentences.")
    items = []
    for sentence in report.corpus.summary:
        here = Span(sentence.article, sentence.start, sentence.end)
        spans = [here, *sentence.support] if sentence.support else \
            [here] + [span for source in sentence.sources if source != sentence.article
                      and (span := _matching_span(report, here, sentence.text, source))]
        items.append(f"<li><span>{esc(sentence.text)}</span> {report.chips(spans)}</li>")
    return ('<p class="meta">Each sentence is quoted from one article; the chips name every '
            "outlet that says the same. Select one to read it in its source.</p>\n"
            f'<ol class="brief">{"".join(items)}</ol>')


def _side_span(side: Side) -> Span:
    return Span(side.article, side.start, side.end)


def _touching(report: _Report, claim: Claim) -> list[Conflict]:
    """Conflicts and updates found in ``claim`` or about the words it groups."""
    return [c for c in report.corpus.conflicts
            if c.claim == claim.id
            or any(_overlaps(_side_span(side), s) for side in c.sides for s in claim.support)]


def _status_rank(claim: Claim) -> int:
    return STATUSES.index(claim.status) if claim.status in STATUSES else len(STATUSES)


def _claims(report: _Report) -> str:
    corpus = report.corpus
    if not corpus.claims:
        return _empty("No claims grouped: the claims stage has not run or found none.")
    heads = "".join(
        f'<th class="article-col" data-article="{esc(a.id)}" scope="col">{esc(a.source)}'
        f'<br><span class="meta">{esc(a.published or "")}</span></th>'
        for a in corpus.articles)
    columns = len(corpus.articles) + 1
    bodies = []
    for status in (*STATUSES, None):
        claims = single_source_ranked(corpus) if status == "single" else \
            [c for c in corpus.claims
             if (c.status == status if status else _status_rank(c) == len(STATUSES))]
        if not claims:
            continue
        label = status or "other"
        rows = [f'<tr class="group"><th colspan="{columns}" scope="rowgroup">{esc(label)} '
                f'({len(claims)})<span class="meta"> — {STATUS_HELP.get(label, "")}</span>'
                "</th></tr>"]
        rows += [_claim_row(report, claim) for claim in claims]
        bodies.append(f'<tbody class="status-{esc(label)}">{"".join(rows)}</tbody>')
    return ('<p class="meta">Each row is one fact as the articles state it; a dot marks an '
            "article that states it (select it to read the sentence). Rows with a red edge "
            "are disputed; disputing articles are shaded.</p>\n"
            + _matrix_filters(report)
            + '<div class="scroll matrix-box" role="region" aria-label="Claims by source" '
            'tabindex="0">'
            f'<table id="matrix"><thead><tr><th scope="col" class="claim-col">Claim</th>'
            f'{heads}</tr></thead>{"".join(bodies)}</table></div>')


def _matrix_filters(report: _Report) -> str:
    """The matrix's filters (by status, by outlet), shown only when the script runs: the
    script hides the rows that do not match, so without it every row stays visible."""
    corpus = report.corpus
    present = [s for s in (*STATUSES, "other")
               if any((c.status if c.status in STATUSES else "other") == s
                      for c in corpus.claims)]
    statuses = ['<option value="">every status</option>']
    statuses += [f'<option value="{esc(s)}">{esc(s)}</option>' for s in present]
    if any(_touching(report, c) for c in corpus.claims):
        statuses.append('<option value="disputed">disputed or updated</option>')
    outlets: dict[str, list[str]] = {}
    for article in corpus.articles:
        outlets.setdefault(article.source, []).append(article.id)
    options = ['<option value="">any outlet</option>']
    options += [f'<option value="{esc(" ".join(ids))}">{esc(source)}</option>'
                for source, ids in sorted(outlets.items(), key=lambda kv: kv[0].casefold())]
    total = len(corpus.claims)
    return ('<div class="filters" role="group" aria-label="Filter the claims">'
            '<label>Status <select id="filter-status" data-filter="status">'
            f'{"".join(statuses)}</select></label>'
            '<label>Stated by <select id="filter-outlet" data-filter="outlet">'
            f'{"".join(options)}</select></label>'
            f'<output id="filter-count" aria-live="polite">{plural(total, "claim")}</output>'
            "</div>")


def _claim_row(report: _Report, claim: Claim) -> str:
    touching = _touching(report, claim)
    disputed = {side.article: side.value for c in touching if not c.update for side in c.sides}
    flags = "".join(
        f' <a class="flag" href="#{"update" if c.update else "conflict"}-{esc(c.id)}">'
        f'{"↻ updated" if c.update else "⚠ disputed"}: {esc(c.about)}</a>' for c in touching)
    merged = "".join(f'<br><span class="meta">near-copies counted once: '
                     f'{esc(" = ".join(report.source(i) for i in group))}</span>'
                     for group in claim.merged)
    why = {s.article: e.describe() for s, e in zip(claim.support[1:], claim.evidence,
                                                   strict=False)}
    cells = []
    for article in report.corpus.articles:
        span = next((s for s in claim.support if s.article == article.id), None)
        classes = "cell" if span else "cell no"
        notes = []
        if span is not None and article.id in why:
            notes.append(f"linked: {why[article.id]}")
        elif span is not None and len(claim.support) > 1:
            notes.append("the claim's wording")
        if article.id in disputed:
            classes += " side"
            notes.append(f"says {disputed[article.id]}")
        title = f' title="{esc("; ".join(notes))}"' if notes else ""
        content = report.chip(span, dot=True) if span else \
            '<span aria-hidden="true">·</span><span class="vh">not stated</span>'
        cells.append(f'<td class="{classes}"{title}>{content}</td>')
    articles = " ".join(dict.fromkeys(s.article for s in claim.support))
    return (f'<tr data-status="{esc(claim.status)}" data-claim="{esc(claim.id)}"'
            f' data-articles="{esc(articles)}"'
            f'{" data-touched" if touching else ""}{_HAS_CONFLICT if disputed else ""}>'
            f'<th scope="row" class="claim">{esc(claim.text)} '
            f'<span class="badge {esc(claim.status)}">{esc(claim.status)}</span> '
            f'<span class="meta">{plural(claim.independent, "independent source")}</span>'
            f'{flags}{merged}</th>{"".join(cells)}</tr>')


def _sentence_around(article: Article, start: int, end: int) -> tuple[int, int]:
    for sentence in article.sentences:
        if sentence.start <= start < sentence.end:
            return sentence.start, max(sentence.end, min(end, len(article.text)))
    return start, end


def _with_value(article: Article, side: Side) -> str:
    """The sentence holding ``side``, with the disputed value marked: inside the side's span
    when it is there, else anywhere in the sentence, else the whole span."""
    start, end = _sentence_around(article, side.start, side.end)
    text = article.text[start:end]
    at, stop = side.start - start, side.end - start
    if not 0 <= at < stop <= len(text):
        at = stop = 0
    pattern = re.compile(re.escape(side.value), re.IGNORECASE) if side.value else None
    found = pattern and (pattern.search(text, at, stop) or pattern.search(text))
    if found:
        at, stop = found.span()
    if at >= stop:
        return esc(text)
    return (f'{esc(text[:at])}<mark class="value">{esc(text[at:stop])}</mark>'
            f"{esc(text[stop:])}")


def _conflicts(report: _Report, update: bool) -> str:
    chosen = [c for c in report.corpus.conflicts if c.update == update]
    if not chosen:
        return _empty("No updates: no later report changed an earlier one's figures." if update
                      else "No conflicts: the articles do not disagree on a date, number or "
                      "name (or the conflicts stage has not run).")
    cards = []
    for conflict in chosen:
        sides = conflict.sides
        if update:  # earliest report first, so the page reads as the story moved on
            sides = sorted(sides, key=lambda s: report.articles[s.article].published or ""
                           if s.article in report.articles else "")
        parts = []
        for number, side in enumerate(sides):
            article = report.articles.get(side.article)
            sentence = _with_value(article, side) if article else ""
            when = esc(article.published or "") if article else ""
            then = '<span class="arrow">then</span> ' if update and number else ""
            parts.append(f'<div class="side"><div class="meta">{then}'
                         f"{esc(report.source(side.article))}"
                         f' {when}</div><div class="value">{esc(side.value)}</div>'
                         f"<p>{sentence}</p>{report.chip(_side_span(side))}</div>")
        kind = "updated, not disputed" if update else conflict.kind
        key, badge = ("update", "updated") if update else ("conflict", "disputed")
        cards.append(f'<div class="conflict{" update" if update else ""}" '
                     f'id="{key}-{esc(conflict.id)}"><h3>{esc(conflict.about)} '
                     f'<span class="badge {badge}">{esc(kind)}</span></h3>'
                     f'<div class="sides">{"".join(parts)}</div></div>')
    note = ("A later report superseded an earlier one: the figures changed as the story "
            "moved on, so these are not counted as conflicts." if update
            else "Articles that state the same thing differently, side by side.")
    return f'<p class="meta">{note}</p>\n' + "\n".join(cards)


def _quotes(report: _Report) -> str:
    groups = report.corpus.quote_groups
    if not groups:
        return _empty("No quotation is carried by more than one article.")
    speakers: dict[str, list[str]] = {}
    for group in groups:
        carriers = "".join(
            f'<li>{report.chip(Span(ref.article, ref.start, ref.end))} '
            f'<span class="badge {kind}">{kind}</span></li>'
            for ref, kind in quote_carriers(group))
        speakers.setdefault(group.speaker or "(unattributed)", []).append(
            f'<blockquote>“{esc(group.text)}”</blockquote><ul class="carriers" '
            f'aria-label="Carried by">{carriers}</ul>')
    return ('<p class="meta">Quotations carried by several outlets, by speaker; each copy is '
            "full, partial (only some of the words) or reworded.</p>\n"
            + "\n".join(f'<div class="speaker"><h3>{esc(name)}</h3>{"".join(items)}</div>'
                        for name, items in speakers.items()))


def date_key(value: str) -> date | None:
    """The first day of an ISO date, month, year, week or range ("a/b": its start)."""
    first = value.split("/")[0]
    try:
        if match := _ISO.fullmatch(first):
            year, month, day = match.groups()
            return date(int(year), int(month or 1), int(day or 1))
        if match := _WEEK.fullmatch(first):
            return date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None
    return None


def _timeline(report: _Report) -> str:
    entries = report.corpus.timeline
    if not entries:
        return _empty("No dated events: the timeline stage has not run or found none.")
    rows: dict[str, list[Any]] = {}
    for number, entry in enumerate(entries):
        rows.setdefault(entry.conflict or f"#{number}", []).append(entry)

    def first(row: list[Any]) -> tuple[date, str]:
        keys = [(date_key(e.date) or date.max, e.date) for e in row]
        return min(keys)

    ordered = sorted(rows.items(), key=lambda kv: first(kv[1]))
    items = []
    for key, row in ordered:
        events = "".join(
            f'<div><div class="event-date">{esc(e.date)}</div><p>{esc(e.text)}</p>'
            f"{report.chips(e.support)}</div>" for e in row)
        if key.startswith("#"):
            items.append(f'<li><div class="events">{events}</div></li>')
        else:
            items.append(f'<li class="conflicting"><a class="flag" href="#conflict-{esc(key)}">'
                         f'⚠ the articles date this differently</a><div class="events">{events}'
                         "</div></li>")
    return _axis(entries) + f'\n<ol class="timeline">{"".join(items)}</ol>'


def _axis(entries: list[Any]) -> str:
    """An inline SVG axis with a dot per dated event, spaced by date."""
    dated = [(k, e) for e in entries if (k := date_key(e.date))]
    if not dated:
        return ""
    low, high = min(k for k, _ in dated), max(k for k, _ in dated)
    days = (high - low).days

    def x(day: date) -> float:
        return 500.0 if not days else 40 + 920 * (day - low).days / days

    dots, labels, last = [], [], -1000.0
    for day, entry in sorted(dated, key=lambda d: (d[0], d[1].date)):
        cls = ' class="conflicting"' if entry.conflict else ""
        dots.append(f'<circle cx="{x(day):.1f}" cy="22" r="6"{cls}><title>{esc(entry.date)}: '
                    f"{esc(entry.text[:200])}</title></circle>")
        if x(day) - last >= 90:
            labels.append(f'<text x="{x(day):.1f}" y="50" text-anchor="middle">'
                          f"{esc(entry.date)}</text>")
            last = x(day)
    return (f'<figure class="axis"><svg viewBox="0 0 1000 60" role="img" '
            f'aria-label="{len(dated)} dated events from {low} to {high}">'
            f'<line x1="20" y1="22" x2="980" y2="22"/>{"".join(dots)}{"".join(labels)}</svg>'
            "<figcaption class=\"meta\">Events on a time axis; red dots are dates the "
            "articles disagree on.</figcaption></figure>")


# The charts are inline SVG drawn here (no script, no remote library), sized in a viewBox
# about a phone's width so their 12-pixel labels stay readable there and the style sheet
# caps how far they grow on a desktop. Colours come from the style sheet (light and dark).
CHART_WIDTH = 400
CHART_LABEL = 130  # the left column of labels (outlets, "N outlets")
CHART_ROW = 22


def _svg(kind: str, height: float, title: str, desc: str, body: str) -> str:
    """An accessible chart: role img, labelled by its <title> and described by its <desc>."""
    return (f'<svg class="chart {kind}" viewBox="0 0 {CHART_WIDTH} {height:.0f}" role="img" '
            f'aria-labelledby="{kind}-title {kind}-desc"><title id="{kind}-title">'
            f'{esc(title)}</title><desc id="{kind}-desc">{esc(desc)}</desc>{body}</svg>')


def _label(text: str, limit: int = 20) -> str:
    """``text`` in at most ``limit`` characters, cut in the middle: outlets often differ
    only at the end ("… Agency 2")."""
    return text if len(text) <= limit else \
        text[:limit - 8].rstrip() + "…" + text[-7:].lstrip()


def _coverage(report: _Report) -> str:
    charts = [c for c in (_coverage_chart(report), _support_chart(report)) if c]
    if not charts:
        return _empty("Nothing to chart: no dated article and no claim.")
    return f'<div class="charts">{"".join(charts)}</div>'


def _coverage_chart(report: _Report) -> str:
    """Articles per day by outlet: a row per outlet (first to publish on top), a dot on each
    day it published (larger for more articles), on one time axis."""
    days: dict[str, dict[date, int]] = {}
    undated = 0
    for article in report.corpus.articles:
        day = date_key(article.published[:10]) if article.published else None
        if day is None:
            undated += 1
            continue
        per = days.setdefault(article.source, {})
        per[day] = per.get(day, 0) + 1
    if not days:
        return ""
    outlets = sorted(days, key=lambda o: (min(days[o]), o.casefold(), o))
    low = min(min(d) for d in days.values())
    high = max(max(d) for d in days.values())
    span = (high - low).days
    left, right = CHART_LABEL + 10, CHART_WIDTH - 14

    def x(day: date) -> float:
        return (left + right) / 2 if not span else left + (right - left) * (day - low).days / span

    rows = []
    for n, outlet in enumerate(outlets):
        y = 14 + n * CHART_ROW
        dots = "".join(
            f'<circle cx="{x(day):.1f}" cy="{y}" r="{min(9.0, 4 + 1.5 * (count - 1)):.1f}">'
            f"<title>{esc(outlet)}: {plural(count, 'article')} on {day}</title></circle>"
            for day, count in sorted(days[outlet].items()))
        rows.append(f'<text class="label" x="{CHART_LABEL}" y="{y + 4}" text-anchor="end">'
                    f'{esc(_label(outlet))}</text><line class="row" x1="{left}" y1="{y}" '
                    f'x2="{right}" y2="{y}"/>{dots}')
    axis_y = 14 + len(outlets) * CHART_ROW
    ticks = [low] if not span else [low, high]
    labels = "".join(f'<text class="tick" x="{x(day):.1f}" y="{axis_y + 4}" text-anchor='
                     f'"{"middle" if not span else "start" if day == low else "end"}">'
                     f"{day}</text>" for day in ticks)
    total = sum(sum(d.values()) for d in days.values())
    title = f"Coverage over time: {plural(total, 'article')} by {plural(len(outlets), 'outlet')}"
    desc = "; ".join(f"{o}: " + ", ".join(f"{day} ({count})" for day, count
                                          in sorted(days[o].items())) for o in outlets)
    note = f" {plural(undated, 'undated article')} not shown." if undated else ""
    svg = _svg("coverage-chart", axis_y + 12, title, desc, "".join(rows) + labels)
    return (f'<figure class="chart-box">{svg}<figcaption class="meta">Articles per day by '
            f"outlet, {low} to {high}; a larger dot is more articles that day.{note}"
            "</figcaption></figure>")


def _support_chart(report: _Report) -> str:
    """How many independent outlets state each claim: a bar per count of outlets."""
    claims = report.corpus.claims
    if not claims:
        return ""
    counts: dict[int, list[Claim]] = {}
    for claim in claims:
        counts.setdefault(max(1, claim.independent), []).append(claim)
    most = max(len(c) for c in counts.values())
    left, right = CHART_LABEL + 10, CHART_WIDTH - 40
    bars = []
    for n, (outlets, group) in enumerate(sorted(counts.items(), reverse=True)):
        y = 6 + n * CHART_ROW
        width = max(2.0, (right - left) * len(group) / most)
        kind = "single" if outlets == 1 else "shared"
        bars.append(f'<text class="label" x="{CHART_LABEL}" y="{y + 12}" text-anchor="end">'
                    f"{esc(plural(outlets, 'outlet'))}</text>"
                    f'<rect class="{kind}" x="{left}" y="{y}" width="{width:.1f}" height="16">'
                    f"<title>{plural(len(group), 'claim')} stated by "
                    f"{plural(outlets, 'independent outlet')}</title></rect>"
                    f'<text class="count" x="{left + width + 4:.1f}" y="{y + 12}">'
                    f"{len(group)}</text>")
    height = 6 + len(counts) * CHART_ROW
    title = f"Support: how many independent outlets state each of {plural(len(claims), 'claim')}"
    desc = "; ".join(f"{plural(len(g), 'claim')} stated by {plural(o, 'outlet')}"
                     for o, g in sorted(counts.items(), reverse=True))
    return (f'<figure class="chart-box">{_svg("support-chart", height, title, desc, "".join(bars))}'
            '<figcaption class="meta">Claims by how many independent outlets state them '
            "(near-copies count once); the longer the top bars, the more the outlets agree."
            "</figcaption></figure>")


def _bar(score: float | None) -> str:
    if score is None:
        return "—"
    width = max(0.0, min(1.0, score)) * 100
    return (f'<svg class="bar" viewBox="0 0 100 8" aria-hidden="true">'
            f'<rect class="track" width="100" height="8"/>'
            f'<rect class="fill" width="{width:.1f}" height="8"/></svg> '
            f"{opinion_label(score)}")


def _claim_list(report: _Report, claims: list[Claim], article: str | None) -> str:
    items = []
    for claim in claims:
        span = next((s for s in claim.support if s.article == article), None) \
            or (claim.support[0] if claim.support else None)
        items.append(f"<li>{esc(claim.text)} {report.chip(span) if span else ''}</li>")
    return f'<ul>{"".join(items)}</ul>'


def _sources(report: _Report) -> str:
    corpus = report.corpus
    cards = []
    for a in corpus.articles:
        copies = [g for g in corpus.near_copies if a.id in g]
        copy_note = "".join(
            '<p class="meta">Near-copy of '
            f'{esc(", ".join(report.source(i) for i in g if i != a.id))}'
            ": counted as one source.</p>" for g in copies)
        only = single_source_ranked(corpus, corpus.single_source(a.id))
        missing = corpus.omissions(a.id)
        cites = article_outlets(a)
        cards.append(
            f'<article class="profile" id="profile-{esc(a.id)}"><h3>{esc(a.source)}</h3>'
            f'<p class="meta">{esc(a.title or "(no title)")}</p><dl>'
            f'<dt>Published</dt><dd>{esc(a.published or "—")}</dd>'
            f"<dt>Words</dt><dd>{a.words}</dd>"
            f"<dt>Opinion</dt><dd>{_bar(a.opinion)}</dd>"
            f"<dt>Quotes</dt><dd>{len(a.quotes)}</dd>"
            f"<dt>Cites</dt><dd>{esc(', '.join(cites)) if cites else 'no outlet'}</dd>"
            f"<dt>Removed</dt><dd>{plural(len(a.removed), 'passage')} of boilerplate</dd>"
            f"</dl>{copy_note}"
            + (f"<h4>Only here ({len(only)})</h4>{_claim_list(report, only, a.id)}"
               if only else "")
            + (f"<h4>Leaves out ({len(missing)})</h4>{_claim_list(report, missing, None)}"
               if missing else "")
            + f'<p><a href="#article-{esc(a.id)}">Read the article</a></p></article>')
    out = ['<p class="meta">Opinion runs from 0 (reports) to 1 (editorialises), not counting '
           "what the article quotes. “Only here” lists facts no other independent outlet "
           "states; “Leaves out”, consensus facts the article does not state.</p>",
           f'<div class="profiles">{"".join(cards)}</div>']
    copies = near_copy_names(corpus)
    out.append("<h3>Near-copies</h3>" + (
        "<ul>" + "".join(f"<li>{esc(' = '.join(g))}: counted as one source</li>"
                         for g in copies) + "</ul>"
        if copies else _empty("None: every article was written independently.")))
    out.append("<h3>Skipped inputs</h3>" + (
        "<ul>" + "".join(f"<li><code>{esc(s.input)}</code>: {esc(s.reason)} [{esc(s.code)}]</li>"
                         for s in corpus.skipped) + "</ul>"
        if corpus.skipped else _empty("None: every input was read.")))
    return "\n".join(out)


def _paragraphs(article: Article) -> list[Paragraph]:
    if article.paragraphs:
        return article.paragraphs
    return [Paragraph(0, len(article.text))] if article.text else []


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _removed(removal: Removal, block: bool) -> str:
    struck = (f'<del class="removed" data-reason="{esc(removal.reason)}">'
              f"{esc(removal.text)}</del>")
    return f'<p class="removed-block">{struck}</p>' if block else struck


def article_body(article: Article, cited: list[tuple[int, int]]) -> str:
    """The article's clean text as paragraphs, each ``<p data-start data-end>`` holding
    exactly ``text[start:end]`` (so the script can find any offset), with the ``cited``
    spans marked and the removed boilerplate in place as ``<del class="removed">``."""
    spans = _merge(cited)
    paragraphs = _paragraphs(article)
    inline: dict[int, list[Removal]] = {}
    blocks: list[Removal] = []
    for removal in article.removed:
        if any(p.start < removal.at < p.end for p in paragraphs):
            inline.setdefault(removal.at, []).append(removal)
        else:
            blocks.append(removal)
    blocks.sort(key=lambda r: r.at)
    out = []
    for p in paragraphs:
        while blocks and blocks[0].at <= p.start:
            out.append(_removed(blocks.pop(0), block=True))
        cuts = sorted({p.start, p.end} | {at for at in inline if p.start < at < p.end}
                      | {x for span in spans for x in span if p.start < x < p.end})
        parts = []
        for start, end in itertools.pairwise(cuts):
            parts += [_removed(r, block=False) for r in inline.get(start, [])]
            piece = esc(article.text[start:end])
            cited_here = any(s <= start and end <= e for s, e in spans)
            parts.append(f'<mark class="cited-span">{piece}</mark>' if cited_here else piece)
        out.append(f'<p data-start="{p.start}" data-end="{p.end}">{"".join(parts)}</p>')
    out += [_removed(r, block=True) for r in blocks]
    return "".join(out)


def _articles(report: _Report) -> str:
    toolbar = ('<div class="toolbar" role="group" aria-label="Article display">'
               '<button type="button" class="toggle" data-toggle="open-all" '
               'aria-pressed="false">Open every article</button>'
               '<button type="button" class="toggle" data-toggle="show-removed" '
               'aria-pressed="false">Show removed boilerplate</button>'
               '<button type="button" class="toggle" data-toggle="show-cited" '
               'aria-pressed="false">Highlight cited passages</button></div>')
    out = [toolbar]
    for a in report.corpus.articles:
        url = safe_url(a.url)
        meta = [esc(a.published or "undated")]
        if a.author:
            meta.append("by " + esc(a.author))
        if url:
            meta.append(f'<a href="{esc(url)}" rel="noopener noreferrer nofollow">{esc(url)}</a>')
        elif a.url:
            meta.append(esc(a.url))
        meta.append(f"from <code>{esc(a.input)}</code>")
        out.append(
            f'<article class="source-article" id="article-{esc(a.id)}"><header>'
            f'<h3>{esc(a.source)}: {esc(a.title or "(no title)")}</h3>'
            f'<p class="meta">{" · ".join(meta)}</p>'
            f'<button type="button" class="expand" aria-expanded="false" '
            f'aria-controls="body-{esc(a.id)}">Full text ({a.words} words)</button></header>'
            f'<div class="article-body" id="body-{esc(a.id)}" data-article="{esc(a.id)}">'
            f"{article_body(a, report.cited.get(a.id, []))}</div></article>")
    return "\n".join(out)
