"""The HTML report: one self-contained page (no network) with a citation for every line.

This module works out what the page shows (which claims in which order, where each chip
points, where each chart's dots go); the Jinja2 templates in ``crossbrief/templates/report``
lay it out, with autoescape on, so everything from the articles is written as escaped text.
Web addresses become links only when they are http(s), and the data the script needs travels
as JSON in a ``<script type="application/json">`` with ``<``, ``>``, ``&`` and the JavaScript
line separators escaped. The script and style sheet are the package's own files, inlined, and
the Content-Security-Policy allows exactly them (by hash) and nothing else. See docs/report.md.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import itertools
import json
import re
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from .. import __version__
from ..model import (
    SCHEMA,
    Article,
    Brief,
    Citation,
    Claim,
    Conflict,
    Paragraph,
    Removal,
    Side,
    Span,
)
from . import (
    APART_NOTE,
    REJECTED_HEADING,
    RenderOptions,
    apart_lines,
    near_copy_names,
    opinion_label,
    plural,
    quote_carriers,
    register_renderer,
    rejections_shown,
    single_source_ranked,
)

STATUSES = ("consensus", "corroborated", "single")
STATUS_HELP = {
    "consensus": "stated by at least two independent outlets and half of all the independent ones",
    "corroborated": "stated by at least two independent outlets",
    "single": "stated by one outlet (or one outlet and its near-copies)",
}
_WORD = re.compile(r"\w+")
_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
# Escapes that keep JSON inert inside <script>: no "</script>", "<!--", or "&" entity, and
# no U+2028/U+2029, which older JavaScript parsers took for line ends.
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                 "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _keep_cr(value: Any) -> Any:
    """Jinja2's ``finalize``: text holding a CR gets it as a character reference, so the HTML
    parser does not fold it into a line feed (the chips' offsets count it). Autoescape then
    leaves the already escaped text alone; everything else it escapes as usual."""
    if isinstance(value, str) and not isinstance(value, Markup) and "\r" in value:
        return Markup(str(escape(value)).replace("\r", "&#13;"))
    return value


@functools.cache
def templates() -> Environment:
    """The report's Jinja2 environment: autoescape on, undefined names are errors."""
    env = Environment(loader=PackageLoader("crossbrief", "templates/report"),
                      autoescape=True, undefined=StrictUndefined, finalize=_keep_cr,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["plural"] = plural
    return env


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


@dataclass(frozen=True)
class Chip:
    """A citation chip: the outlet's name, and the span it opens (``valid`` when the span
    lies in an article of the corpus; else the name is shown as plain text)."""

    label: str
    article: str
    start: int
    end: int
    valid: bool
    dot: bool = False


@dataclass
class _Report:
    """The corpus being written, and the spans cited so far (highlighted in the articles)."""

    corpus: Brief
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

    def chip(self, span: Span, dot: bool = False) -> Chip:
        """A chip citing ``span``, which the articles section then highlights."""
        valid = self.valid(span)
        if valid:
            self.cited.setdefault(span.article, []).append((span.start, span.end))
        return Chip(self.source(span.article), span.article, span.start, span.end, valid, dot)

    def chips(self, spans: list[Span]) -> list[Chip]:
        return [self.chip(s) for s in spans]


@dataclass(frozen=True)
class _Section:
    """A section of the page: its anchor, heading, what it shows, and the template laying
    that out (templates/report/sections/, named after the anchor unless given)."""

    key: str
    title: str
    data: Any
    template: str = ""


@register_renderer("html")
def render_html(corpus: Brief, options: RenderOptions) -> str:
    """The whole report as one HTML document (see docs/report.md)."""
    report = _Report(corpus)
    sections = [
        _Section("brief", "Brief", _brief(report)),
        _Section("coverage", "Coverage at a glance", _coverage(report)),
        _Section("claims", "Claims by source", _claims(report)),
        _Section("conflicts", "Conflicts", _conflicts(report, update=False)),
        _Section("updates", "Updated, not disputed", _conflicts(report, update=True),
                 "conflicts"),
        *([_Section("rejected", REJECTED_HEADING, _rejected(report))]
          if corpus.rejections else []),
        _Section("quotes", "Quotes", _quotes(report)),
        _Section("timeline", "Timeline", _timeline(report)),
        _Section("sources", "Sources", _sources(report)),
        # Last: it highlights every span the sections above cite.
        _Section("articles", "Articles in full", _articles(report)),
    ]
    css, js = _asset("report.css"), _asset("report.js")
    csp = (f"default-src 'none'; style-src {csp_hash(css)}; script-src {csp_hash(js)}; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    data = {"schema": SCHEMA, "articles": {
        a.id: {"source": a.source, "title": a.title, "published": a.published,
               "author": a.author, "text": a.text,
               "paragraphs": [[p.start, p.end] for p in _paragraphs(a)]}
        for a in corpus.articles}}
    if options.article_link:
        data["article_link"] = options.article_link
    return templates().get_template("page.html").render(
        version=__version__, schema=SCHEMA, csp=Markup(csp), title=options.title,
        headline=_headline(corpus), lede=_lede(corpus), failures=corpus.failures,
        apart=apart_lines(corpus), apart_note=APART_NOTE, sections=sections,
        stages=", ".join(corpus.stages) or "none",
        # Markup (written as is): the policy and the package's own files, and the JSON made
        # inert above; never text from an article.
        css=Markup(css), js=Markup(js), data=Markup(script_json(data)))


def _headline(corpus: Brief) -> str:
    first = min(corpus.articles, key=lambda a: a.published or "9999", default=None)
    return (first.title or first.source) if first else "no articles"


def _lede(corpus: Brief) -> str:
    dates = sorted(a.published for a in corpus.articles if a.published)
    span = f", published {dates[0]} to {dates[-1]}" if len(set(dates)) > 1 else \
        f", published {dates[0]}" if dates else ""
    outlets = ", ".join(dict.fromkeys(a.source for a in corpus.articles))
    return (f"{plural(len(corpus.articles), 'article')}{span}: {outlets}."
            f" {plural(len(corpus.claims), 'claim')}, "
            f"{plural(sum(not c.update for c in corpus.conflicts), 'conflict')}, "
            f"{plural(sum(c.update for c in corpus.conflicts), 'update')}.")


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


def _brief(report: _Report) -> list[tuple[str, list[Chip]]]:
    """(sentence, its chips) for each summary sentence: the quoted article's, then the
    others saying the same."""
    items = []
    for sentence in report.corpus.summary:
        here = Span(sentence.article, sentence.start, sentence.end)
        spans = [here, *sentence.support] if sentence.support else \
            [here] + [span for source in sentence.sources if source != sentence.article
                      and (span := _matching_span(report, here, sentence.text, source))]
        items.append((sentence.text, report.chips(spans)))
    return items


def _side_span(side: Side) -> Span:
    return Span(side.article, side.start, side.end)


def _touching(report: _Report, claim: Claim) -> list[Conflict]:
    """Conflicts and updates found in ``claim`` or about the words it groups."""
    return [c for c in report.corpus.conflicts
            if c.claim == claim.id
            or any(_overlaps(_side_span(side), s) for side in c.sides for s in claim.support)]


def _status_rank(claim: Claim) -> int:
    return STATUSES.index(claim.status) if claim.status in STATUSES else len(STATUSES)


def _claims(report: _Report) -> dict[str, Any] | None:
    """The matrix: its column heads, filters, and a group of rows per status."""
    corpus = report.corpus
    if not corpus.claims:
        return None
    groups = []
    for status in (*STATUSES, None):
        claims = single_source_ranked(corpus) if status == "single" else \
            [c for c in corpus.claims
             if (c.status == status if status else _status_rank(c) == len(STATUSES))]
        if not claims:
            continue
        label = status or "other"
        groups.append({"label": label, "help": STATUS_HELP.get(label, ""),
                       "rows": [_claim_row(report, claim) for claim in claims]})
    return {"articles": corpus.articles, "columns": len(corpus.articles) + 1,
            "groups": groups, "filters": _matrix_filters(report)}


def _matrix_filters(report: _Report) -> dict[str, Any]:
    """The matrix's filters (by status, by outlet), shown only when the script runs: the
    script hides the rows that do not match, so without it every row stays visible."""
    corpus = report.corpus
    present = [s for s in (*STATUSES, "other")
               if any((c.status if c.status in STATUSES else "other") == s
                      for c in corpus.claims)]
    statuses = [("", "every status")] + [(s, s) for s in present]
    if any(_touching(report, c) for c in corpus.claims):
        statuses.append(("disputed", "disputed or updated"))
    outlets: dict[str, list[str]] = {}
    for article in corpus.articles:
        outlets.setdefault(article.source, []).append(article.id)
    options = [("", "any outlet")]
    options += [(" ".join(ids), source)
                for source, ids in sorted(outlets.items(), key=lambda kv: kv[0].casefold())]
    return {"statuses": statuses, "outlets": options, "total": len(corpus.claims)}


def _claim_row(report: _Report, claim: Claim) -> dict[str, Any]:
    touching = _touching(report, claim)
    disputed = {side.article: side.value for c in touching if not c.update for side in c.sides}
    flags = [("update" if c.update else "conflict", c.id,
              f'{"↻ updated" if c.update else "⚠ disputed"}: {c.about}') for c in touching]
    merged = [" = ".join(report.source(i) for i in group) for group in claim.merged]
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
        cells.append({"classes": classes, "title": "; ".join(notes),
                      "chip": report.chip(span, dot=True) if span else None})
    return {"claim": claim, "articles": " ".join(dict.fromkeys(s.article for s in claim.support)),
            "touched": bool(touching), "disputed": bool(disputed), "flags": flags,
            "merged": merged, "cells": cells}


def _sentence_around(article: Article, start: int, end: int) -> tuple[int, int]:
    for sentence in article.sentences:
        if sentence.start <= start < sentence.end:
            return sentence.start, max(sentence.end, min(end, len(article.text)))
    return start, end


def _with_value(article: Article, side: Side) -> tuple[str, str, str]:
    """The sentence holding ``side`` as (before, value, after), the disputed value marked:
    inside the side's span when it is there, else anywhere in the sentence, else nothing
    (the whole sentence in ``before``)."""
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
        return text, "", ""
    return text[:at], text[at:stop], text[stop:]


def _conflicts(report: _Report, update: bool) -> dict[str, Any]:
    """The conflicts (or the updates), each with its sides: an update's earliest first."""
    cards = []
    for conflict in (c for c in report.corpus.conflicts if c.update == update):
        sides = conflict.sides
        if update:  # earliest report first, so the page reads as the story moved on
            sides = sorted(sides, key=lambda s: report.articles[s.article].published or ""
                           if s.article in report.articles else "")
        parts = []
        for side in sides:
            article = report.articles.get(side.article)
            parts.append({"source": report.source(side.article),
                          "when": (article.published or "") if article else "",
                          "value": side.value,
                          "sentence": _with_value(article, side) if article else ("", "", ""),
                          "chip": report.chip(_side_span(side))})
        cards.append({"conflict": conflict, "sides": parts})
    return {"is_update": update, "cards": cards}


def _rejected(report: _Report) -> list[dict[str, Any]]:
    """What a person rejected, oldest first, each span with a chip citing it."""
    return [{"shown": shown, "chips": [report.chip(s.span) for s in shown.spans]}
            for shown in rejections_shown(report.corpus)]


def _quotes(report: _Report) -> list[tuple[str, list[dict[str, Any]]]]:
    """(speaker, their quotations) with each outlet's copy and whether it is full."""
    speakers: dict[str, list[dict[str, Any]]] = {}
    for group in report.corpus.quote_groups:
        carriers = [(report.chip(Span(ref.article, ref.start, ref.end)), kind)
                    for ref, kind in quote_carriers(group)]
        speakers.setdefault(group.speaker or "(unattributed)", []).append(
            {"text": group.text, "carriers": carriers})
    return list(speakers.items())


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


def _timeline(report: _Report) -> dict[str, Any] | None:
    """The axis and the rows of events in date order: the entries one conflict dates
    differently stand in one row."""
    entries = report.corpus.timeline
    if not entries:
        return None
    rows: dict[str, list[Any]] = {}
    for number, entry in enumerate(entries):
        rows.setdefault(entry.conflict or f"#{number}", []).append(entry)

    def first(row: list[Any]) -> tuple[date, str]:
        keys = [(date_key(e.date) or date.max, e.date) for e in row]
        return min(keys)

    ordered = sorted(rows.items(), key=lambda kv: first(kv[1]))
    items = [{"conflict": None if key.startswith("#") else key,
              "events": [(e.date, e.text, report.chips(e.support)) for e in row]}
             for key, row in ordered]
    return {"axis": _axis(entries), "rows": items}


def _axis(entries: list[Any]) -> dict[str, Any] | None:
    """A dot per dated event on an axis spaced by date, and the date labels that fit."""
    dated = [(k, e) for e in entries if (k := date_key(e.date))]
    if not dated:
        return None
    low, high = min(k for k, _ in dated), max(k for k, _ in dated)
    days = (high - low).days

    def x(day: date) -> float:
        return 500.0 if not days else 40 + 920 * (day - low).days / days

    dots, labels, last = [], [], -1000.0
    for day, entry in sorted(dated, key=lambda d: (d[0], d[1].date)):
        dots.append({"x": f"{x(day):.1f}", "conflicting": bool(entry.conflict),
                     "title": f"{entry.date}: {entry.text[:200]}"})
        if x(day) - last >= 90:
            labels.append((f"{x(day):.1f}", entry.date))
            last = x(day)
    return {"count": len(dated), "low": low, "high": high, "dots": dots, "labels": labels}


# The charts are inline SVG drawn here (no script, no remote library), sized in a viewBox
# about a phone's width so their 12-pixel labels stay readable there and the style sheet
# caps how far they grow on a desktop. Colours come from the style sheet (light and dark).
CHART_WIDTH = 400
CHART_LABEL = 130  # the left column of labels (outlets, "N outlets")
CHART_ROW = 22


def _label(text: str, limit: int = 20) -> str:
    """``text`` in at most ``limit`` characters, cut in the middle: outlets often differ
    only at the end ("… Agency 2")."""
    return text if len(text) <= limit else \
        text[:limit - 8].rstrip() + "…" + text[-7:].lstrip()


def _coverage(report: _Report) -> list[dict[str, Any]]:
    return [c for c in (_coverage_chart(report), _support_chart(report)) if c]


def _chart(kind: str, height: float, title: str, desc: str, caption: str,
           **drawing: Any) -> dict[str, Any]:
    """An accessible chart: role img, labelled by its <title>, described by its <desc>."""
    return {"kind": kind, "width": CHART_WIDTH, "height": f"{height:.0f}", "title": title,
            "desc": desc, "caption": caption, "label_x": CHART_LABEL, **drawing}


def _coverage_chart(report: _Report) -> dict[str, Any] | None:
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
        return None
    outlets = sorted(days, key=lambda o: (min(days[o]), o.casefold(), o))
    low = min(min(d) for d in days.values())
    high = max(max(d) for d in days.values())
    span = (high - low).days
    left, right = CHART_LABEL + 10, CHART_WIDTH - 14

    def x(day: date) -> str:
        at = (left + right) / 2 if not span else left + (right - left) * (day - low).days / span
        return f"{at:.1f}"

    rows = []
    for n, outlet in enumerate(outlets):
        dots = [{"x": x(day), "r": f"{min(9.0, 4 + 1.5 * (count - 1)):.1f}",
                 "title": f"{outlet}: {plural(count, 'article')} on {day}"}
                for day, count in sorted(days[outlet].items())]
        rows.append({"y": 14 + n * CHART_ROW, "label": _label(outlet), "dots": dots})
    axis_y = 14 + len(outlets) * CHART_ROW
    ticks = [(x(low), "middle", low)] if not span else \
        [(x(low), "start", low), (x(high), "end", high)]
    total = sum(sum(d.values()) for d in days.values())
    title = f"Coverage over time: {plural(total, 'article')} by {plural(len(outlets), 'outlet')}"
    desc = "; ".join(f"{o}: " + ", ".join(f"{day} ({count})" for day, count
                                          in sorted(days[o].items())) for o in outlets)
    note = f" {plural(undated, 'undated article')} not shown." if undated else ""
    caption = (f"Articles per day by outlet, {low} to {high}; a larger dot is more articles "
               f"that day.{note}")
    return _chart("coverage-chart", axis_y + 12, title, desc, caption, rows=rows,
                  left=left, right=right, axis_y=axis_y + 4, ticks=ticks)


def _support_chart(report: _Report) -> dict[str, Any] | None:
    """How many independent outlets state each claim: a bar per count of outlets."""
    claims = report.corpus.claims
    if not claims:
        return None
    counts: dict[int, list[Claim]] = {}
    for claim in claims:
        counts.setdefault(max(1, claim.independent), []).append(claim)
    most = max(len(c) for c in counts.values())
    left, right = CHART_LABEL + 10, CHART_WIDTH - 40
    bars = []
    for n, (outlets, group) in enumerate(sorted(counts.items(), reverse=True)):
        width = max(2.0, (right - left) * len(group) / most)
        bars.append({"y": 6 + n * CHART_ROW, "outlets": outlets, "claims": len(group),
                     "kind": "single" if outlets == 1 else "shared",
                     "width": f"{width:.1f}", "count_x": f"{left + width + 4:.1f}"})
    height = 6 + len(counts) * CHART_ROW
    title = f"Support: how many independent outlets state each of {plural(len(claims), 'claim')}"
    desc = "; ".join(f"{plural(len(g), 'claim')} stated by {plural(o, 'outlet')}"
                     for o, g in sorted(counts.items(), reverse=True))
    caption = ("Claims by how many independent outlets state them (near-copies count once); "
               "the longer the top bars, the more the outlets agree.")
    return _chart("support-chart", height, title, desc, caption, bars=bars, left=left)


def _claim_list(report: _Report, claims: list[Claim], article: str | None
                ) -> list[tuple[str, Chip | None]]:
    """(claim, chip) for each claim: the chip cites ``article``'s span when it states it."""
    items = []
    for claim in claims:
        span = next((s for s in claim.support if s.article == article), None) \
            or (claim.support[0] if claim.support else None)
        items.append((claim.text, report.chip(span) if span else None))
    return items


def _cites(report: _Report, article: Article) -> list[tuple[str, str | None, Chip]]:
    """(outlet or document, the article's words naming it where they say it otherwise, a
    chip) for each the article cites, at its first citation, in the order first cited."""
    first: dict[str, Citation] = {}
    for citation in article.citations:
        first.setdefault(citation.outlet, citation)
    items = []
    for outlet, citation in first.items():
        words = article.text[citation.start:citation.end]
        items.append((outlet, None if words.casefold() == outlet.casefold() else words,
                      report.chip(Span(article.id, citation.start, citation.end))))
    return items


def _sources(report: _Report) -> dict[str, Any]:
    """A profile per article, then the near-copies and the skipped inputs."""
    corpus = report.corpus
    profiles = []
    for a in corpus.articles:
        profiles.append({
            "article": a,
            "copies": [", ".join(report.source(i) for i in g if i != a.id)
                       for g in corpus.near_copies if a.id in g],
            "opinion": None if a.opinion is None else {
                "width": f"{max(0.0, min(1.0, a.opinion)) * 100:.1f}",
                "label": opinion_label(a.opinion)},
            "cites": _cites(report, a),
            "editorialising": [(a.text[s.start:s.end], report.chip(Span(a.id, s.start, s.end)))
                               for s in (a.sentences[i] for i in a.opinionated_sentences
                                         if 0 <= i < len(a.sentences))],
            "only": _claim_list(report, single_source_ranked(corpus, corpus.single_source(a.id)),
                                a.id),
            "missing": _claim_list(report, corpus.omissions(a.id), None),
        })
    return {"profiles": profiles, "copies": [" = ".join(g) for g in near_copy_names(corpus)],
            "skipped": corpus.skipped}


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


@dataclass(frozen=True)
class BodyBlock:
    """One block of an article's full text: a paragraph (``start``/``end``, its ``pieces``
    in order: ("text" | "cited", words) or ("removed", Removal)), or removed boilerplate
    that stood between paragraphs (``removal``)."""

    start: int = 0
    end: int = 0
    pieces: tuple[tuple[str, Any], ...] = ()
    removal: Removal | None = None


def article_body(article: Article, cited: list[tuple[int, int]]) -> list[BodyBlock]:
    """The article's clean text as paragraphs, each holding exactly ``text[start:end]`` (so
    the script can find any offset), with the ``cited`` spans marked and the removed
    boilerplate in place (templates/report/article_body.html writes them)."""
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
            out.append(BodyBlock(removal=blocks.pop(0)))
        cuts = sorted({p.start, p.end} | {at for at in inline if p.start < at < p.end}
                      | {x for span in spans for x in span if p.start < x < p.end})
        pieces: list[tuple[str, Any]] = []
        for start, end in itertools.pairwise(cuts):
            pieces += [("removed", r) for r in inline.get(start, [])]
            cited_here = any(s <= start and end <= e for s, e in spans)
            pieces.append(("cited" if cited_here else "text", article.text[start:end]))
        out.append(BodyBlock(p.start, p.end, tuple(pieces)))
    out += [BodyBlock(removal=r) for r in blocks]
    return out


def _articles(report: _Report) -> list[dict[str, Any]]:
    """Each article's heading, details and full text, with every cited span marked."""
    return [{"article": a, "url": safe_url(a.url),
             "body": article_body(a, report.cited.get(a.id, []))}
            for a in report.corpus.articles]
