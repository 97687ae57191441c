"""Dates: every date expression in an article, normalised to a calendar value when it can be.

Expressions are found by the patterns below (explicit dates in words and numbers, weekdays,
"yesterday", "last month", "three weeks ago", decades, years after a preposition, durations)
and by the DATE entities of the spaCy Doc, which add bare years and the vague phrases no
pattern covers ("recent years"). Each becomes a :class:`~crossbrief.model.DateMention` with
exact offsets into the clean text, an ISO 8601 value (day, month, year, ISO week, or a range
"A/B"), or None, and the reason it was resolved that way.

Relative expressions are resolved against an anchor: the article's publication date, or when
it has none the latest explicit date in the whole story (:func:`story_anchor`). Unmarked and
past expressions never land after the anchor (a bare "Tuesday" is the nearest Tuesday on or
before it); only an explicit future marker ("next week", "tomorrow", "will … on Friday")
moves forward, and the reason says so. See docs/dates.md.
"""

from __future__ import annotations

import bisect
import datetime
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..model import Article, Corpus, DateMention
from ..nlp import doc_text

# --- constants and patterns: the whole heuristic's tunable parts, in one place ---------------

MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}
NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100,
}
# Two-digit years below the pivot are 20xx ("14/10/25"), the rest 19xx ("3/4/98").
TWO_DIGIT_PIVOT = 70
# "early/mid/late" cut a decade or century into these parts (offsets from its start, as a
# fraction of its length): a deliberately loose reading, flagged "approximate" in the reason.
PARTS_OF_PERIOD: dict[str, tuple[float, float]] = {
    "early": (0.0, 0.3), "mid": (0.3, 0.7), "late": (0.7, 1.0),
}
# Auxiliaries that put a verb in the future ("will hold … on Tuesday"); "would" counts because
# news reports future plans in reported speech ("said flags would fly until Sunday").
FUTURE_AUX = frozenset({"will", "wo", "shall", "would", "'ll", "’ll"})
# How the reasons name the anchor of an undated article (conflicts.py reads it: such a date
# is a guess).
STORY_ANCHOR = "latest explicit date in the story"
# Heads of an infinitive that make it a plan ("is due to take place", "are expected to sign"),
# a threat or a promise ("threatening to declare independence on May 4, 1999").
FUTURE_HEADS = frozenset({"due", "schedule", "set", "expect", "plan", "intend", "prepare",
                          "threaten", "vow", "promise", "pledge"})
PERFECT_AUX = frozenset({"have", "has", "had", "'ve", "’ve"})
# Without a parse, a future marker earlier in the same clause stands in for the verb's tense.
FUTURE_CLAUSE = re.compile(
    r"\b(?:will|shall|won[’']t|wo\s*n[’']t|would(?!\s+have\b)|going\s+to|due\s+to|set\s+to"
    r"|scheduled\s+to|expected\s+to|plans?\s+to|(?:is|are)\s+to\s+be)\b|[’']ll\b",
    re.IGNORECASE,
)
CLAUSE_BREAK = re.compile(r"[.!?;:,—–(\n]")
# A clause is searched for a future marker at most this far back from the date (an
# unpunctuated run of text is no clause, and scanning it for every date is quadratic).
MAX_CLAUSE_CHARS = 400
# Dependency steps from a date up to the verb it modifies; deeper is a parse gone astray.
MAX_HEAD_STEPS = 8

_MONTH_FULL = ("January|February|March|April|May|June|July|August|September|October|November"
               "|December")
_MONTH_ABBR = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_WEEKDAY = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
_PART = r"(?P<part>morning|afternoon|evening|night)\b"
_YEAR = r"(?P<year>1\d{3}|20\d\d)(?!\d)"
# Prepositions kept in the span of a weekday or a month without a day ("until Sunday").
_PREPS = "on|in|from|until|till|by|since|before|after|through|during|over"
_NUMWORDS = "|".join(k for k in NUMBER_WORDS if k not in ("a", "an"))
_QTY = (rf"\d[\d,.]*|{_NUMWORDS}|an?|half|few|several|many|couple(?:\s+of)?|dozen"
        r"|dozens(?:\s+of)?|hundreds(?:\s+of)?")
# Things counted in years that are not years ("in 1500 homes").
_COUNTED = (r"years?|days?|people|persons|men|women|children|troops|soldiers|homes|houses"
            r"|vehicles|cars|km|kilometres|kilometers|miles|metres|meters|feet|tons|tonnes"
            r"|dollars|euros|pounds|votes|%|per\s?cent")
_NUMERIC = (r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})"
            r"|\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2}))")
_NUMERIC_PARTS = re.compile(
    r"(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})|(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})"
    r"(?P=sep)(?P<y>\d{4}|\d{2})"
)


def _month(name: str = "month") -> str:
    # Not "Mar-a-Lago"; an undotted abbreviation before a capitalised word is a name ("Jan Roos").
    return (rf"(?P<{name}>(?:{_MONTH_FULL})\b(?!-\w)"
            rf"|(?:{_MONTH_ABBR})\b(?:\.|(?!-\w|\s+(?-i:[A-Z][a-z]))))")


def _day(name: str = "day") -> str:
    return rf"(?<![\d,.])(?P<{name}>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d|,\d)"


# In priority order: among candidates of the same length the earlier pattern wins; otherwise
# the longest candidate wins ("Monday, March 20th" over "on Monday").
# Every expression starts a word: the leading (?<!\w)(?=\w) lets the engine skip all other
# positions at once, which halves the time these alternations take on long articles.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rf"(?<!\w)(?=\w)(?:{pattern})", re.IGNORECASE)) for name, pattern in (
        ("numeric_range", rf"(?<![\d/.])(?P<first>{_NUMERIC})\s*(?:[-–—]|to|until)\s*"
                          rf"(?P<second>{_NUMERIC})(?![\d/]|[.-]\d)"),
        ("numeric", rf"(?<![\d/.])(?P<date>{_NUMERIC})(?![\d/]|[.-]\d)"),
        ("month_day_range", rf"(?:{_WEEKDAY},?\s+)?{_month()}\s+{_day('d1')}\s*(?:[-–]|to)\s*"
                            rf"{_day('d2')}(?:,?\s+{_YEAR})?"),
        ("day_month_range", rf"{_day('d1')}\s*(?:[-–]|to)\s*{_day('d2')}\s+(?:of\s+)?{_month()}"
                            rf"(?:,?\s+{_YEAR})?"),
        ("month_day", rf"(?:{_WEEKDAY},?\s+)?{_month()}\s+(?:the\s+)?{_day()}"
                      rf"(?:,?\s+{_YEAR})?(?!:)"),
        ("day_month", rf"(?:{_WEEKDAY},?\s+)?(?:the\s+)?{_day()}\s+(?:of\s+)?{_month()}"
                      rf"(?:,?\s+{_YEAR})?"),
        ("month_year", rf"(?:\b(?:{_PREPS})\s+)?(?:\b(?P<early>early|mid|late)[-\s]+)?"
                       rf"{_month()},?\s+{_YEAR}"),
        ("month_only", rf"\b(?P<lead>(?:(?:{_PREPS}|last|next|this|early|mid|late)[-\s]+)+)"
                       rf"{_month()}(?!\s*\d)"),
        ("weekday", rf"(?:\b(?:{_PREPS})\s+)?(?:\b(?P<rel>this\s+coming|this\s+past|last|next"
                    rf"|this|coming|past|every|each)\s+)?\b{_WEEKDAY}(?:\s+{_PART})?"),
        ("day_offset", r"\b(?:the\s+)?day\s+(?P<offset>before\s+yesterday|after\s+tomorrow)\b"),
        ("day_word", rf"\b(?:(?:earlier|later)\s+)?(?<!USA\s)\b"
                     rf"(?P<word>today|tonight|yesterday|tomorrow)\b(?:\s+{_PART})?"),
        ("part_of_day", rf"\b(?P<rel>this|last)\s+{_PART}"),
        ("relative", r"(?<!\bthe\s)\b(?:(?:earlier|later)\s+)?(?P<rel>last|this|next)\s+"
                     r"(?P<unit>week|month|year|weekend)\b(?!\s+of\b)"),
        ("ago", rf"\b(?P<n>\d+|{_NUMWORDS}|an?|a\s+few|a\s+couple\s+of|several|some|many)\s+"
                r"(?P<unit>day|week|month|year|decade)s?\s+ago\b"),
        ("period", rf"\bthe\s+(?:last|past|previous)\s+(?:(?P<n>\d+|{_NUMWORDS}|few|several)\s+)?"
                   r"(?P<unit>decades?|years|centur(?:y|ies))\b"),
        ("century", r"(?:\bthe\s+)?(?:\b(?P<part>early|mid|late)[-\s]?)?\b(?P<n>\d{1,2})"
                    r"(?:st|nd|rd|th)[-\s]century\b"),
        ("decade", r"(?:\bthe\s+)?(?:\b(?P<part>early|mid|late)[-\s]?)?(?<!\d)"
                   r"(?:(?P<full>1\d\d0|20\d0)s|['’](?P<short>\d0)s)\b"),
        ("year_range", r"(?:\b(?:from|between)\s+(?P<x>(?P<y1>1\d{3}|20\d\d)\s+(?:to|and|until)\s+"
                       r"(?P<y2>1\d{3}|20\d\d))(?!\d)|(?<![\d/.-])(?P<z>(?P<y3>1\d{3}|20\d\d)\s*"
                       r"[-–]\s*(?P<y4>\d{4}|\d\d))(?![\d/]|[.-]\d))"),
        ("year_prep", r"\b(?:in|since|until|till|by|from|before|after|during|around|circa|c\."
                      r"|throughout|through|early|late|mid)[-\s]+(?P<x>1\d{3}|20\d\d)"
                      rf"(?![\d,.]\d|\s*(?:{_COUNTED})\b)"),
        ("duration", rf"(?<![\w-])(?:(?P<every>every|each|once|twice|thrice"
                     rf"|(?:\d+|{_NUMWORDS}|several|many)\s+times)\s+)?(?P<qty>(?:(?:{_QTY})[\s-]+)+)"
                     r"(?P<unit>day|week|fortnight|month|year|decade|centur(?:y|ie)"
                     r"|millenni(?:um|a))s?\b(?![-\s]+old\b)"),
    )
)

# spaCy entity text: what makes a leftover DATE entity an age, a count, a duration or vague.
_ENTITY_YEAR = re.compile(rf"(?<![\d,.])(?:1\d{{3}}|20\d\d)(?![\d,.]\d|s\b|\s*(?:{_COUNTED})\b)")
_AGE = re.compile(r"years?[-\s]old\b|\baged?\b", re.IGNORECASE)
_UNIT = re.compile(r"\b(?:day|week|fortnight|month|year|decade|centur(?:y|ie)"
                   r"|millenni(?:um|a))s?\b", re.IGNORECASE)
_NUMBERISH = re.compile(rf"\d|\b(?:{_NUMWORDS}|half|few|several|dozens?|hundreds?)\b",
                        re.IGNORECASE)
_RECURRING = re.compile(r"\b(?:every|each|once|twice|thrice|times|annual(?:ly)?|yearly|monthly"
                        r"|weekly|daily|(?:mon|tues|wednes|thurs|fri|satur|sun)days)\b",
                        re.IGNORECASE)
_VAGUE = re.compile(r"\b(?:recent|the|this|that|these|those|same|past|coming|last|next"
                    r"|previous|following|first|final)\b", re.IGNORECASE)
_RATE_BEFORE = re.compile(r"(?:\b(?:once|twice|thrice|times|per)|\d[\d,.]*\s+\w+s)\s+$",
                          re.IGNORECASE)


# The patterns that can find an explicit day-month-year date: all the story anchor needs.
_EXPLICIT_PATTERNS = frozenset({"numeric_range", "numeric", "month_day_range",
                                "day_month_range", "month_day", "day_month"})


# --- the public functions ---------------------------------------------------------------------


def resolve_dates(corpus: Corpus) -> None:
    """Set article.dates on every article: each date expression with its normalised value.

    The anchor is the article's publication date; an article without one is anchored on the
    latest explicit date in the whole story (:func:`story_anchor`), and its reasons say so.
    """
    story: datetime.date | None = None
    story_done = False
    for article in corpus.articles:
        anchor = publication_date(article.published)
        label = "publication date"
        if anchor is None:
            if not story_done:  # computed once, and only when some article needs it
                story, story_done = story_anchor(corpus), True
            anchor, label = story, STORY_ANCHOR
            article.dates = extract_dates(article.text, anchor, article.doc, anchor_label=label)
            earlier = _future_bound(article, anchor)
            if earlier is None:
                continue
            anchor, label = earlier
        article.dates = extract_dates(article.text, anchor, article.doc, anchor_label=label)


def _future_bound(article: Article,
                  anchor: datetime.date | None) -> tuple[datetime.date, str] | None:
    """An undated article that speaks of a day in the future tense ("will start talks on
    March 21") was written before that day: (the day before, the reason) when that is
    earlier than ``anchor``."""
    if anchor is None or article.doc is None:
        return None
    bound: tuple[datetime.date, str] | None = None
    for mention in article.dates:
        value = mention.value or ""
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) \
                or not mention.reason.startswith("explicit"):
            continue
        if not _future_by_parse(article.doc, mention.start, mention.end):
            continue
        day = datetime.date.fromisoformat(value) - datetime.timedelta(days=1)
        if day < anchor and (bound is None or day < bound[0]):
            text = article.text[mention.start:mention.end]
            bound = (day, f"the day before {text!r}, which the article speaks of in the "
                          "future tense")
    return bound


def extract_dates(
    text: str,
    anchor: datetime.date | None,
    doc: Any | None = None,
    *,
    anchor_label: str = "",
) -> list[DateMention]:
    """Date expressions in text (using doc's DATE entities when given, plus patterns), resolved
    against anchor.

    ``doc`` is the spaCy Doc of exactly ``text`` (ignored otherwise: its offsets would not
    fit); it adds the dates only a tagger sees (bare years, "recent years") and its parse
    decides whether a weekday sits in a future-tense clause. ``anchor_label`` names where the
    anchor came from, for the reasons ("publication date"). The result is sorted by start,
    with no two mentions overlapping.
    """
    return [hit.mention() for hit in _find(text, anchor, doc, anchor_label)]


def story_anchor(
    corpus: Corpus, *, today: datetime.date | None = None
) -> datetime.date | None:
    """The latest explicit (full, year-bearing) date mentioned anywhere in the story, capped at
    today.

    Only dates written out with day, month and year count ("3/20/23", "14 October 2025"; the
    end of a range). Dates after ``today`` (default: the real today) are left out, since an
    article cannot have been written after it, and so are dates the article speaks of in the
    future tense where it is parsed ("will vote on 4 May 2026", "threatening to declare
    independence on May 4, 1999"): a deadline says nothing of when the story was written.
    None when the story has no such date.
    """
    today = today or datetime.date.today()
    latest: datetime.date | None = None
    for article in corpus.articles:
        for hit in _find(article.text, None, None, "", only=_EXPLICIT_PATTERNS):
            if not hit.full or hit.value is None:
                continue
            if article.doc is not None and _future_by_parse(article.doc, hit.start, hit.end):
                continue
            for part in hit.value.split("/"):
                day = datetime.date.fromisoformat(part)
                if day <= today and (latest is None or day > latest):
                    latest = day
    return latest


def publication_date(published: str | None) -> datetime.date | None:
    """The calendar day of a publication date string (ISO date or date-time), or None."""
    if not published:
        return None
    try:
        return datetime.date.fromisoformat(published.strip()[:10])
    except ValueError:
        pass
    # Not ISO ("Oct 14, 2025"): the first full explicit date the patterns find in it.
    for hit in _find(published, None, None, ""):
        if hit.full and hit.value:
            return datetime.date.fromisoformat(hit.value.split("/")[0])
    return None


# --- finding and choosing ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Hit:
    """A candidate mention; ``full`` marks an explicit day-month-year date (for the anchor)."""

    start: int
    end: int
    value: str | None
    reason: str
    full: bool = False

    def mention(self) -> DateMention:
        return DateMention(self.start, self.end, self.value, self.reason)


@dataclass(frozen=True)
class _Context:
    text: str
    anchor: datetime.date | None
    label: str
    doc: Any

    def anchored(self) -> str:
        """How the anchor is named in reasons: "anchor 2023-03-21 (publication date)"."""
        assert self.anchor is not None
        label = f" ({self.label})" if self.label else ""
        return f"anchor {self.anchor.isoformat()}{label}"

    def future_marker(self, start: int, end: int) -> str | None:
        """The word that puts the expression at ``start:end`` in the future, if any."""
        if self.doc is not None:
            found = _future_by_parse(self.doc, start, end)
            if found is not None:
                return found or None
        breaks = _clause_starts(self.text)
        last = bisect.bisect_right(breaks, start) - 1
        clause_start = max(breaks[last] if last >= 0 else 0, start - MAX_CLAUSE_CHARS)
        marker = None
        for found_marker in FUTURE_CLAUSE.finditer(self.text, clause_start, start):
            marker = found_marker.group()
        return marker


def _find(
    text: str, anchor: datetime.date | None, doc: Any, label: str,
    only: frozenset[str] | None = None,
) -> list[_Hit]:
    if doc is not None and doc_text(doc) != text:
        doc = None
    ctx = _Context(text, anchor, label, doc)
    candidates: list[tuple[int, int, _Hit]] = []
    for rank, (name, pattern) in enumerate(_PATTERNS):
        if only is not None and name not in only:
            continue
        resolver = _RESOLVERS[name]
        for match in pattern.finditer(text):
            hit = resolver(match, ctx)
            if hit is not None and hit.end > hit.start:
                candidates.append((-(hit.end - hit.start), rank, hit))
    candidates.sort(key=lambda c: (c[0], c[2].start, c[1]))
    chosen = _Disjoint()
    for _, _, hit in candidates:
        chosen.add(hit)
    if doc is not None:
        for hit in _entity_hits(ctx):
            chosen.add(hit)
    return chosen.hits


@functools.lru_cache(maxsize=4)
def _clause_starts(text: str) -> list[int]:
    """Where a clause may start in ``text``: right after each clause break, in order (looked
    up by bisection, not found again from the top of the text for every date)."""
    return [m.end() for m in CLAUSE_BREAK.finditer(text)]


class _Disjoint:
    """Hits that do not overlap, in text order; a hit overlapping one already there is not
    added. Checked against its neighbours only (by bisection): checking every hit chosen so
    far took time quadratic in the length of the article."""

    def __init__(self) -> None:
        self.hits: list[_Hit] = []
        self._starts: list[int] = []

    def add(self, hit: _Hit) -> None:
        at = bisect.bisect_left(self._starts, hit.start)
        # Disjoint and sorted: only the hits either side of ``at`` can overlap it.
        if any(_overlaps(hit, self.hits[i]) for i in (at - 1, at) if 0 <= i < len(self.hits)):
            return
        self.hits.insert(at, hit)
        self._starts.insert(at, hit.start)


def _overlaps(a: _Hit, b: _Hit) -> bool:
    return a.start < b.end and b.start < a.end


def _entity_hits(ctx: _Context) -> list[_Hit]:
    """DATE entities the patterns did not cover: bare years, vague phrases, durations."""
    hits: list[_Hit] = []
    for ent in ctx.doc.ents:
        # TIME entities are clock times and parts of day ("7pm", "the night"); any that carry
        # a date ("Wednesday night", "tonight") the patterns have already found.
        if ent.label_ != "DATE":
            continue
        start, end, words = ent.start_char, ent.end_char, ent.text
        years = list(_ENTITY_YEAR.finditer(words))
        if years:
            hits.extend(_Hit(start + y.start(), start + y.end(), y.group(), "explicit year")
                        for y in years)
            continue
        reason = _classify_entity(ctx.text, start, words)
        if reason is not None:
            hits.append(_Hit(start, end, None, reason))
    return hits


def _classify_entity(text: str, start: int, words: str) -> str | None:
    """Why a DATE entity with no calendar value is listed, or None to drop it (not a date)."""
    if _AGE.search(words) or _AGE.match(text, start + len(words)):
        return None
    if _RECURRING.search(words):
        return "recurring, not a date"
    if not _UNIT.search(words):
        # "34", "40 occasions": spaCy's DATE on a plain number or count.
        if _NUMBERISH.search(words):
            return None
        return "no rule resolves this expression"
    if words.lower().startswith(("a ", "an ", "per ")) and _is_rate(text, start):
        return None
    if _VAGUE.search(words) and not _NUMBERISH.search(words):
        return "vague, no calendar date"
    return "duration, not a date"


def _is_rate(text: str, start: int) -> bool:
    """ "30,000 vehicles a day", "twice a year": a rate, not a duration or a date."""
    return _RATE_BEFORE.search(text, max(0, start - 40), start) is not None


def _future_by_parse(doc: Any, start: int, end: int) -> str | None:
    """The future marker on the verb the expression modifies: the marker, "" when that verb
    is not future, None when no verb is found (the caller falls back to the clause)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token = span.root
    for _ in range(MAX_HEAD_STEPS):
        if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("aux", "auxpass"):
            return _verb_future_marker(token)
        if token.head.i == token.i:
            return None
        token = token.head
    return None


def _verb_future_marker(verb: Any) -> str:
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.lower_ in PERFECT_AUX for a in auxes):
        return ""  # "would have been on Tuesday" looks back, not forward
    for aux in auxes:
        if aux.lower_ in FUTURE_AUX:
            return str(aux.text)
    if any(a.lower_ == "to" for a in auxes) and verb.head.i != verb.i:
        head = verb.head
        if head.lemma_ in FUTURE_HEADS or head.lower_ == "going" or head.lemma_ == "be":
            return f"{head.text} to"
        for aux in head.children:
            if aux.dep_ in ("aux", "auxpass") and aux.lower_ in FUTURE_AUX:
                return str(aux.text)
    return ""


# --- calendar helpers -------------------------------------------------------------------------


def _month_number(match: re.Match[str], group: str = "month") -> int | None:
    """The month of a matched name; None for a lower-case "may" or "march" (verbs, not dates)."""
    word = match.group(group)
    if not word or not word[0].isupper():
        return None
    return MONTHS[word.rstrip(".").lower()]


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _two_digit_year(digits: str) -> int:
    year = int(digits)
    if len(digits) == 4:
        return year
    return 2000 + year if year < TWO_DIGIT_PIVOT else 1900 + year


def _iso_week(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def _nearest_year(month: int, day: int, anchor: datetime.date) -> datetime.date | None:
    """The month-day in the year that puts it nearest the anchor (ties go to the past)."""
    options = [d for y in (anchor.year - 1, anchor.year, anchor.year + 1)
               if (d := _date(y, month, day)) is not None]
    if not options:
        return None
    return min(options, key=lambda d: (abs((d - anchor).days), d > anchor))


def _after(value: datetime.date, anchor: datetime.date) -> str:
    return ", after the anchor" if value > anchor else ""


def _span(match: re.Match[str], group: str | int = 0) -> tuple[int, int]:
    return match.start(group), match.end(group)


def _unanchored(match: re.Match[str], what: str) -> _Hit:
    return _Hit(match.start(), match.end(), None,
                f"{what}, but no anchor date (no publication date, no explicit date in the story)")


# --- resolvers, one per pattern ---------------------------------------------------------------


def _resolve_numeric(match: re.Match[str], ctx: _Context) -> _Hit | None:
    parsed = _parse_numeric(match.group("date"), None)
    if parsed is None:
        return None
    day, how = parsed
    start, end = _span(match, "date")
    return _Hit(start, end, day.isoformat(), f"explicit, {how}", full=True)


def _resolve_numeric_range(match: re.Match[str], ctx: _Context) -> _Hit | None:
    first, second = match.group("first"), match.group("second")
    # Both ends are read the same way: a day over 12 at either end fixes the order for both.
    order = _numeric_order(first) or _numeric_order(second)
    one, two = _parse_numeric(first, order), _parse_numeric(second, order)
    if one is None or two is None or two[0] < one[0]:
        return None
    value = f"{one[0].isoformat()}/{two[0].isoformat()}"
    return _Hit(match.start(), match.end(), value, f"explicit range, {one[1]}", full=True)


def _numeric_order(text: str) -> str | None:
    parts = _NUMERIC_PARTS.fullmatch(text)
    if parts is None or parts.group("a") is None:
        return None
    if parts.group("sep") == "." or int(parts.group("a")) > 12:
        return "dmy"
    if int(parts.group("b")) > 12:
        return "mdy"
    return None


def _parse_numeric(text: str, order: str | None) -> tuple[datetime.date, str] | None:
    """A numeric date and how it was read; US month-first unless the numbers rule it out."""
    parts = _NUMERIC_PARTS.fullmatch(text)
    if parts is None:
        return None
    if parts.group("iy") is not None:
        day = _date(int(parts.group("iy")), int(parts.group("im")), int(parts.group("id")))
        return (day, "ISO 8601") if day else None
    a, b = int(parts.group("a")), int(parts.group("b"))
    year = _two_digit_year(parts.group("y"))
    order = order or _numeric_order(text) or "mdy"
    if order == "dmy":
        day = _date(year, b, a)
        how = ("numeric day/month/year (dots)" if parts.group("sep") == "."
               else "numeric day/month/year (the first number cannot be a month)")
    else:
        day = _date(year, a, b)
        how = "numeric month/day/year (US order)"
    return (day, how) if day else None


def _month_day_hit(
    match: re.Match[str], ctx: _Context, month: int, ranged: bool
) -> _Hit | None:
    """A month-day (or month-day range), with its year explicit or taken from the anchor."""
    d1 = int(match.group("d1") if ranged else match.group("day"))
    d2 = int(match.group("d2")) if ranged else d1
    year_text = match.group("year")
    if year_text:
        one, two = _date(int(year_text), month, d1), _date(int(year_text), month, d2)
        if one is None or two is None or two < one:
            return None
        value = one.isoformat() if one == two else f"{one.isoformat()}/{two.isoformat()}"
        reason = "explicit" if one == two else "explicit range"
        return _Hit(match.start(), match.end(), value, reason, full=True)
    if _date(2000, month, d1) is None or _date(2000, month, d2) is None or d2 < d1:
        return None  # 2000 is a leap year, so only impossible days (April 31) fail here
    if ctx.anchor is None:
        return _unanchored(match, "month and day without a year")
    one = _nearest_year(month, d1, ctx.anchor)
    if one is None:
        return None
    two = _date(one.year, month, d2)
    if two is None:
        return None
    value = one.isoformat() if one == two else f"{one.isoformat()}/{two.isoformat()}"
    what = "month and days" if ranged else "month and day"
    reason = f"explicit {what}, year from {ctx.anchored()}{_after(two, ctx.anchor)}"
    weekday = match.group("weekday") if "weekday" in match.re.groupindex else None
    if weekday and WEEKDAYS[weekday.lower()] != one.weekday():
        reason += f"; but {one.isoformat()} is a {one.strftime('%A')}, not a {weekday.title()}"
    return _Hit(match.start(), match.end(), value, reason)


def _resolve_month_day(match: re.Match[str], ctx: _Context) -> _Hit | None:
    month = _month_number(match)
    return None if month is None else _month_day_hit(match, ctx, month, False)


def _resolve_month_day_range(match: re.Match[str], ctx: _Context) -> _Hit | None:
    month = _month_number(match)
    return None if month is None else _month_day_hit(match, ctx, month, True)


def _resolve_month_year(match: re.Match[str], ctx: _Context) -> _Hit | None:
    month = _month_number(match)
    if month is None:
        return None
    early = match.group("early")
    reason = f"explicit month ({early.lower()})" if early else "explicit month"
    return _Hit(match.start(), match.end(), f"{int(match.group('year')):04d}-{month:02d}", reason)


def _resolve_month_only(match: re.Match[str], ctx: _Context) -> _Hit | None:
    month = _month_number(match)
    if month is None:
        return None
    lead = match.group("lead").lower().split()
    if ctx.anchor is None:
        return _unanchored(match, "month without a year")
    here = ctx.anchor.year * 12 + ctx.anchor.month - 1
    latest_before = max(i for i in range(here - 12, here + 1) if i % 12 == month - 1)
    if "next" in lead:
        index = latest_before + 12
        reason = f"next month-name, the first after {ctx.anchored()}, after the anchor"
    elif "last" in lead:
        index = latest_before if latest_before < here else latest_before - 12
        reason = f"last month-name, the latest before {ctx.anchored()}"
    else:
        marker = ctx.future_marker(match.start(), match.end())
        if marker:
            index = latest_before if latest_before == here else latest_before + 12
            reason = (f"month in a future-tense clause ('{marker}'), the first on or after "
                      f"{ctx.anchored()}")
            if index > here:
                reason += ", after the anchor"
        else:
            index = latest_before
            reason = f"month without a year, the latest on or before {ctx.anchored()}"
    return _Hit(match.start(), match.end(), f"{index // 12:04d}-{index % 12 + 1:02d}", reason)


def _resolve_weekday(match: re.Match[str], ctx: _Context) -> _Hit | None:
    if ctx.anchor is None:
        return _unanchored(match, "weekday")
    anchor = ctx.anchor
    target = WEEKDAYS[match.group("weekday").lower()]
    back = (anchor.weekday() - target) % 7  # days back to the nearest one on or before
    rel = " ".join((match.group("rel") or "").lower().split())
    if rel in ("every", "each"):
        return _Hit(match.start(), match.end(), None, "recurring, not a date")
    if rel in ("next", "coming", "this coming"):
        day = anchor + datetime.timedelta(days=(target - anchor.weekday() - 1) % 7 + 1)
        reason = f"{rel} weekday, the first after {ctx.anchored()}, after the anchor"
    elif rel in ("last", "past", "this past"):
        day = anchor - datetime.timedelta(days=back or 7)
        reason = f"{rel} weekday, the latest before {ctx.anchored()}"
    else:
        marker = ctx.future_marker(match.start(), match.end())
        if marker:
            day = anchor + datetime.timedelta(days=(target - anchor.weekday()) % 7)
            reason = (f"weekday in a future-tense clause ('{marker}'), nearest on or after "
                      f"{ctx.anchored()}{_after(day, anchor)}")
        else:
            day = anchor - datetime.timedelta(days=back)
            reason = f"weekday, nearest on or before {ctx.anchored()}"
    return _Hit(match.start(), match.end(), day.isoformat(), reason)


_DAY_WORDS: dict[str, tuple[int, str]] = {
    "today": (0, "the same day"), "tonight": (0, "the same day"),
    "yesterday": (-1, "the day before"), "tomorrow": (1, "the day after"),
    "before yesterday": (-2, "two days before"), "after tomorrow": (2, "two days after"),
}


def _day_relative(match: re.Match[str], ctx: _Context, key: str) -> _Hit:
    if ctx.anchor is None:
        return _unanchored(match, "relative day")
    offset, how = _DAY_WORDS[key]
    day = ctx.anchor + datetime.timedelta(days=offset)
    return _Hit(match.start(), match.end(), day.isoformat(),
                f"relative to {ctx.anchored()}: {how}{_after(day, ctx.anchor)}")


def _resolve_day_word(match: re.Match[str], ctx: _Context) -> _Hit | None:
    return _day_relative(match, ctx, match.group("word").lower())


def _resolve_day_offset(match: re.Match[str], ctx: _Context) -> _Hit | None:
    return _day_relative(match, ctx, " ".join(match.group("offset").lower().split()))


def _resolve_part_of_day(match: re.Match[str], ctx: _Context) -> _Hit | None:
    rel, part = match.group("rel").lower(), match.group("part").lower()
    if rel == "last" and part != "night":
        return None  # "last evening" is rare; "last morning of the trip" is not a date
    return _day_relative(match, ctx, "yesterday" if rel == "last" else "today")


def _resolve_relative(match: re.Match[str], ctx: _Context) -> _Hit | None:
    if ctx.anchor is None:
        return _unanchored(match, "relative period")
    anchor, rel, unit = ctx.anchor, match.group("rel").lower(), match.group("unit").lower()
    step = {"last": -1, "this": 0, "next": 1}[rel]
    how = {-1: f"the {unit} before", 0: f"the anchor's {unit}", 1: f"the {unit} after"}[step]
    if unit == "week":
        value = _iso_week(anchor + datetime.timedelta(weeks=step))
        how = how.replace("week", "ISO week")
    elif unit == "month":
        year, month = _add_months(anchor.year, anchor.month, step)
        value = f"{year:04d}-{month:02d}"
    elif unit == "year":
        value = f"{anchor.year + step:04d}"
    else:  # weekend: the Saturday and Sunday before or after the anchor's own weekend
        if step == 0:
            return None  # "this weekend" may lie either side of the anchor: no safe reading
        if step < 0:
            saturday = anchor - datetime.timedelta(days=(anchor.weekday() - 5) % 7)
            if anchor.weekday() >= 5:  # said at the weekend, "last weekend" is the one before
                saturday -= datetime.timedelta(days=7)
        else:
            saturday = anchor + datetime.timedelta(days=(5 - anchor.weekday()) % 7 or 7)
        value = f"{saturday.isoformat()}/{(saturday + datetime.timedelta(days=1)).isoformat()}"
    future = ", after the anchor" if step > 0 else ""
    return _Hit(match.start(), match.end(), value, f"relative to {ctx.anchored()}: {how}{future}")


def _resolve_ago(match: re.Match[str], ctx: _Context) -> _Hit | None:
    count_text = " ".join(match.group("n").lower().split())
    unit = match.group("unit").lower()
    count = int(count_text) if count_text.isdigit() else NUMBER_WORDS.get(count_text)
    if count is None:
        return _Hit(match.start(), match.end(), None, "vague, no calendar date")
    if ctx.anchor is None:
        return _unanchored(match, "time ago")
    anchor = ctx.anchor
    if unit == "day":
        value = (anchor - datetime.timedelta(days=count)).isoformat()
    elif unit == "week":
        value = _iso_week(anchor - datetime.timedelta(weeks=count))
    elif unit == "month":
        year, month = _add_months(anchor.year, anchor.month, -count)
        value = f"{year:04d}-{month:02d}"
    else:
        value = f"{anchor.year - count * (10 if unit == 'decade' else 1):04d}"
    plural = "s" if count != 1 else ""
    return _Hit(match.start(), match.end(), value,
                f"{count} {unit}{plural} before {ctx.anchored()}")


def _resolve_period(match: re.Match[str], ctx: _Context) -> _Hit | None:
    unit, count_text = match.group("unit").lower(), (match.group("n") or "").lower()
    count = int(count_text) if count_text.isdigit() else NUMBER_WORDS.get(count_text)
    if count is None and not count_text and not unit.endswith("s"):
        count = 1  # "the last decade": one of them
    if count is None:
        return _Hit(match.start(), match.end(), None, "vague, no calendar date")
    years = count * (100 if unit.startswith("centur") else 10 if unit.startswith("decade") else 1)
    if ctx.anchor is None:
        return _unanchored(match, "period up to the present")
    value = f"{ctx.anchor.year - years:04d}/{ctx.anchor.year:04d}"
    return _Hit(match.start(), match.end(), value, f"the {years} years up to {ctx.anchored()}")


def _period_hit(match: re.Match[str], first: int, length: int, name: str) -> _Hit:
    """A decade or century ``name`` ("the 1990s"), or its early, middle or late part."""
    kind = "century" if length == 100 else "decade"
    part = (match.group("part") or "").lower()
    if not part:
        return _Hit(match.start(), match.end(), f"{first:04d}/{first + length - 1:04d}",
                    f"explicit {kind}, {name}")
    low, high = PARTS_OF_PERIOD[part]
    start = first + round(low * length)
    end = first + min(length - 1, round(high * length))
    where = {"early": "early part", "mid": "middle", "late": "late part"}[part]
    return _Hit(match.start(), match.end(), f"{start:04d}/{end:04d}",
                f"approximate: the {where} of {name} ({kind})")


def _resolve_decade(match: re.Match[str], ctx: _Context) -> _Hit | None:
    if match.group("full"):
        first = int(match.group("full"))
    else:
        first = _two_digit_year(match.group("short"))
    # "the 1900s" is the century; "the 2000s" is usually the decade.
    if first % 100 == 0 and first != 2000:
        return _period_hit(match, first, 100, f"the {first}s")
    return _period_hit(match, first, 10, f"the {first}s")


def _resolve_century(match: re.Match[str], ctx: _Context) -> _Hit | None:
    number = int(match.group("n"))
    if not 1 <= number <= 21:
        return None
    # Popular usage: the 20th century is 1900–1999, the years written "19xx".
    first = (number - 1) * 100
    return _period_hit(match, first, 100, f"the {first}s")


def _resolve_year_range(match: re.Match[str], ctx: _Context) -> _Hit | None:
    group = "x" if match.group("x") else "z"
    first = int(match.group("y1") or match.group("y3"))
    second_text = match.group("y2") or match.group("y4")
    if len(second_text) == 2:
        second = first // 100 * 100 + int(second_text)
        if second != first + 1:
            return None  # "2022-23" is a season; "1800-55" is more likely a phone number
    else:
        second = int(second_text)
        if not first < second <= first + 200:
            return None
    start, end = _span(match, group)
    return _Hit(start, end, f"{first:04d}/{second:04d}", "explicit range of years")


def _resolve_year_prep(match: re.Match[str], ctx: _Context) -> _Hit | None:
    start, end = _span(match, "x")
    return _Hit(start, end, match.group("x"), "explicit year")


def _resolve_duration(match: re.Match[str], ctx: _Context) -> _Hit | None:
    if match.group("every"):
        return _Hit(match.start(), match.end(), None, "recurring, not a date")
    qty = match.group("qty").strip(" -").lower()
    if qty in ("a", "an") and _is_rate(ctx.text, match.start()):
        return None
    return _Hit(match.start(), match.end(), None, "duration, not a date")


_RESOLVERS: dict[str, Callable[[re.Match[str], _Context], _Hit | None]] = {
    "numeric_range": _resolve_numeric_range,
    "numeric": _resolve_numeric,
    "month_day_range": _resolve_month_day_range,
    "day_month_range": _resolve_month_day_range,
    "month_day": _resolve_month_day,
    "day_month": _resolve_month_day,
    "month_year": _resolve_month_year,
    "month_only": _resolve_month_only,
    "weekday": _resolve_weekday,
    "day_offset": _resolve_day_offset,
    "day_word": _resolve_day_word,
    "part_of_day": _resolve_part_of_day,
    "relative": _resolve_relative,
    "ago": _resolve_ago,
    "period": _resolve_period,
    "century": _resolve_century,
    "decade": _resolve_decade,
    "year_range": _resolve_year_range,
    "year_prep": _resolve_year_prep,
    "duration": _resolve_duration,
}
