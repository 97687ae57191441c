"""Renderers, looked up by name: ``term``, ``md``, ``json``, ``html`` (and any a plugin registers).

A renderer takes a :class:`~crossbrief.model.Brief` and :class:`RenderOptions` and returns
the text to write. Built-in renderers register themselves exactly as a plugin would::

    from crossbrief.render import register_renderer

    @register_renderer("csv")
    def render_csv(corpus, options):
        ...
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING

from ..errors import ConfigError
from ..model import Article, Brief, Claim, QuoteGroup, QuoteRef, Rejection, Span

if TYPE_CHECKING:
    from rich.console import Console


@dataclass(frozen=True)
class RenderOptions:
    """How to render: the terminal's ``width`` and ``color``; ``title``, the story's name
    when it has one (a library story), shown at the top of every format; ``article_link``,
    where a server shows an article with a span of it marked (a path holding ``{article}``,
    ``{start}`` and ``{end}``): the HTML report's source panel then links there (None: a
    report standing alone links nowhere)."""

    width: int = 100
    color: bool = False
    title: str | None = None
    article_link: str | None = None


Renderer = Callable[[Brief, RenderOptions], str]
RENDERERS: dict[str, Renderer] = {}


def register_renderer(name: str) -> Callable[[Renderer], Renderer]:
    def decorate(func: Renderer) -> Renderer:
        RENDERERS[name] = func
        return func

    return decorate


def get_renderer(name: str) -> Renderer:
    _load_builtins()
    try:
        return RENDERERS[name]
    except KeyError:
        known = ", ".join(sorted(RENDERERS))
        raise ConfigError(f"unknown output format {name!r} (known: {known})") from None


def render(corpus: Brief, name: str, options: RenderOptions | None = None) -> str:
    return get_renderer(name)(corpus, options or RenderOptions())


def formats() -> list[str]:
    _load_builtins()
    return sorted(RENDERERS)


def _load_builtins() -> None:
    from . import html, json, markdown, terminal  # noqa: F401  (importing registers them)


def no_color_requested() -> bool:
    """Whether the environment asks for no colour: ``NO_COLOR`` set to anything but the empty
    string (no-color.org: an empty value counts as unset)."""
    return os.environ.get("NO_COLOR", "") != ""


def terminal_console(file: IO[str] | None = None, *, width: int | None = None,
                     color: bool | None = None, stderr: bool = False) -> Console:
    """The rich console that crossbrief's terminal text is printed through: the articles'
    words and numbers as they are (no highlighting, no ``:emoji:`` codes). ``color`` True or
    False turns colour on or off whatever ``file`` is; None leaves it to the console: colour
    on a terminal, unless :func:`no_color_requested`. ``width`` None: the terminal's."""
    from rich.console import Console

    return Console(file=file, width=width, stderr=stderr, force_terminal=color,
                   no_color=no_color_requested() if color is None else not color,
                   highlight=False, emoji=False)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def shorten(text: str, limit: int = 90) -> str:
    """One line of at most ``limit`` characters, for tables."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def article_rows(corpus: Brief) -> list[dict[str, str]]:
    """The per-article overview both people-facing renderers show."""
    return [
        {
            "source": a.source,
            "title": a.title or "(no title)",
            "published": a.published or "—",
            "words": str(a.words),
            "sentences": str(len(a.sentences)),
            "paragraphs": str(len(a.paragraphs)),
            "removed": str(len(a.removed)),
            "quotes": str(len(a.quotes)),
            "opinion": opinion_label(a.opinion),
            "id": a.id,
            "input": a.input,
        }
        for a in corpus.articles
    ]


def article_entities(corpus: Brief, article: Article, limit: int = 8) -> list[str]:
    """Names of the story-wide entities this article mentions, most mentioned first."""
    counts: dict[str, int] = {}
    for mention in article.mentions:
        if mention.entity:
            counts[mention.entity] = counts.get(mention.entity, 0) + 1
    names = {e.id: e.name for e in corpus.entities}
    ranked = sorted(counts, key=lambda i: (-counts[i], names.get(i, i)))
    return [names[i] for i in ranked if i in names][:limit]


def article_quotes(article: Article) -> list[tuple[str, str, bool]]:
    """(speaker or "(unattributed)", quoted words, fragment) for each quote of an article."""
    return [(q.speaker or "(unattributed)", article.text[q.start:q.end], q.fragment)
            for q in article.quotes]


def article_outlets(article: Article) -> list[str]:
    """Distinct outlets and documents the article cites, in order of first citation."""
    seen: list[str] = []
    for citation in article.citations:
        if citation.outlet not in seen:
            seen.append(citation.outlet)
    return seen


def article_dates(article: Article) -> list[tuple[str, str]]:
    """(expression, normalised value) for each resolved date expression."""
    return [(article.text[d.start:d.end], d.value) for d in article.dates if d.value]


def opinion_label(score: float | None) -> str:
    if score is None:
        return "—"
    return f"{score:.2f}"


def quote_carriers(group: QuoteGroup) -> list[tuple[QuoteRef, str]]:
    """Each article's fullest copy of a quotation, as (ref, "full" | "reworded" | "partial"),
    full copies first. An article may carry a quote twice (in a standfirst and in the body):
    its fullest copy stands for it."""
    ranks = {"full": 0, "reworded": 1, "partial": 2}
    best: dict[str, tuple[QuoteRef, str]] = {}
    for ref in group.refs:
        kind = "partial" if ref.partial else "reworded" if ref.reworded else "full"
        if ref.article not in best or ranks[kind] < ranks[best[ref.article][1]]:
            best[ref.article] = (ref, kind)
    return sorted(best.values(), key=lambda pair: ranks[pair[1]])


def quote_matrix(corpus: Brief) -> list[tuple[str, str, list[str]]]:
    """(speaker, quoted words, ["Outlet", "Outlet (partial)", …]) per quote group."""
    sources = {a.id: a.source for a in corpus.articles}
    return [
        (group.speaker or "(unattributed)", group.text,
         [sources.get(ref.article, ref.article) + ("" if kind == "full" else f" ({kind})")
          for ref, kind in quote_carriers(group)])
        for group in corpus.quote_groups
    ]


# Entity labels that name someone or something specific (spaCy's scheme); dates and numbers
# are counted from the dates stage and the number labels.
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT",
                         "LAW", "WORK_OF_ART"})
NUMBER_LABELS = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL"})


def specifics(corpus: Brief, claim: Claim) -> tuple[int, int]:
    """(kinds, count) of the specifics a claim's wording (``support[0]``) states: the kinds
    among a number, a calendar date, a name and a quotation attributed to someone, and how
    many of them in all. A claim stating none is general ("The scene was chaotic")."""
    if not claim.support:
        return 0, 0
    span = claim.support[0]
    try:
        article = corpus.article(span.article)
    except KeyError:
        return 0, 0

    def inside(start: int, end: int) -> bool:
        return span.start <= start and end <= span.end

    numbers = sum(inside(m.start, m.end) for m in article.mentions if m.label in NUMBER_LABELS)
    names = sum(inside(m.start, m.end) for m in article.mentions if m.label in NAME_LABELS)
    dates = sum(inside(d.start, d.end) for d in article.dates if d.value)
    quotes = sum(inside(q.start, q.end) for q in article.quotes if q.speaker)
    found = (numbers, dates, names, quotes)
    return sum(1 for n in found if n), sum(found)


def single_source_ranked(corpus: Brief, claims: list[Claim] | None = None) -> list[Claim]:
    """The single-source claims (of ``claims``, else of the corpus), the most specific first:
    more kinds of specifics (number, date, name, attributed quotation), then more of them;
    equal ones keep the claims stage's order (a total order on content)."""
    chosen = [c for c in (corpus.claims if claims is None else claims) if c.status == "single"]
    rank = {c.id: specifics(corpus, c) for c in chosen}
    return sorted(chosen, key=lambda c: (-rank[c.id][0], -rank[c.id][1]))


def near_copy_names(corpus: Brief) -> list[list[str]]:
    """Sources of each group of near-copied articles."""
    sources = {a.id: a.source for a in corpus.articles}
    return [[sources.get(i, i) for i in group] for group in corpus.near_copies]


def article_numbers(corpus: Brief) -> dict[str, int]:
    """Each article's number in the overview (1-based), for citations like [2]."""
    return {a.id: n for n, a in enumerate(corpus.articles, 1)}


# Said after the list of articles standing apart, in every report.
APART_NOTE = "they take no part in the near-copies, claims, conflicts, timeline or summary"


def apart_lines(corpus: Brief) -> list[tuple[str, str]]:
    """("[3] Outlet (input)", reason) for each article standing apart from the story."""
    numbers = article_numbers(corpus)
    by_id = {a.id: a for a in corpus.articles}
    return [(f"[{numbers[a.article]}] {by_id[a.article].source} ({by_id[a.article].input})",
             a.reason) for a in corpus.apart if a.article in by_id]


def cite(corpus: Brief, article_ids: list[str] | tuple[str, ...]) -> str:
    """"[1, 3]": the overview numbers of the cited articles."""
    numbers = article_numbers(corpus)
    return "[" + ", ".join(str(numbers[i]) for i in article_ids if i in numbers) + "]"


def span_text(corpus: Brief, article_id: str, start: int, end: int) -> str:
    return corpus.article(article_id).text[start:end]


def profile_rows(corpus: Brief) -> list[dict[str, str]]:
    """The per-article profile: words, opinion, single-source facts, omissions, outlets."""
    return [
        {
            "n": str(n),
            "source": a.source,
            "words": str(a.words),
            "opinion": opinion_label(a.opinion),
            "single": str(len(corpus.single_source(a.id))),
            "omits": str(len(corpus.omissions(a.id))),
            "cites": ", ".join(article_outlets(a)) or "—",
        }
        for n, a in enumerate(corpus.articles, 1)
    ]


def conflict_lines(corpus: Brief, update: bool) -> list[tuple[str, str, list[str]]]:
    """(kind, about, ["Outlet [n]: value — sentence", …]) per conflict (or update)."""
    numbers = article_numbers(corpus)
    rows = []
    for conflict in corpus.conflicts:
        if conflict.update != update:
            continue
        sides = [f"{corpus.article(s.article).source} [{numbers.get(s.article, '?')}]: "
                 f"{s.value} — {shorten(span_text(corpus, s.article, s.start, s.end), 120)}"
                 for s in conflict.sides]
        rows.append((conflict.kind, conflict.about, sides))
    return rows


def cited_sources(corpus: Brief) -> list[tuple[str, list[str]]]:
    """(outlet or document, ids of the articles citing it), most cited first."""
    by_outlet: dict[str, list[str]] = {}
    for article in corpus.articles:
        for outlet in article_outlets(article):
            by_outlet.setdefault(outlet, []).append(article.id)
    return sorted(by_outlet.items(), key=lambda kv: (-len(kv[1]), kv[0]))


# The heading every format gives what a person rejected in the story's briefs, and what each
# kind of rejection says about its spans.
REJECTED_HEADING = "Rejected by a person"
REJECTED_AS = {"link": "Claim link rejected: they do not state the same fact",
               "conflict": "Conflict rejected: they do not disagree"}


@dataclass(frozen=True)
class RejectedSpan:
    """One span of a rejection as shown: its outlet and overview number and its words; an
    article the story no longer holds is named by its id, without words or number."""

    span: Span
    source: str
    number: int | None
    published: str
    text: str


@dataclass(frozen=True)
class RejectionShown:
    """A rejection as every format shows it: what was rejected, when, why, and its spans."""

    rejection: Rejection
    what: str
    when: str
    spans: tuple[RejectedSpan, ...]


def rejected_when(created: str) -> str:
    """"2026-11-29 16:03 UTC" for an ISO 8601 time (``created`` as given when it is only a
    date or unreadable)."""
    if len(created) <= len("2026-11-29"):
        return created
    try:
        moment = datetime.fromisoformat(created)
    except ValueError:
        return created
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M") + (" UTC" if moment.tzinfo is not None else "")


def rejections_shown(corpus: Brief) -> list[RejectionShown]:
    """The story's rejections, oldest first (then by id: a total order on content), each
    span with its outlet and words, so every format can cite them."""
    numbers = article_numbers(corpus)
    by_id = {a.id: a for a in corpus.articles}
    shown = []
    for rejection in sorted(corpus.rejections, key=lambda r: (r.created, r.id)):
        spans = []
        for span in rejection.spans:
            article = by_id.get(span.article)
            spans.append(RejectedSpan(
                span, article.source if article else span.article,
                numbers.get(span.article), (article.published or "") if article else "",
                article.text[span.start:span.end] if article else ""))
        what = REJECTED_AS.get(rejection.kind, f"{rejection.kind.capitalize()} rejected")
        shown.append(RejectionShown(rejection, what, rejected_when(rejection.created),
                                    tuple(spans)))
    return shown
