"""The timeline: dated events merged across articles.

Each resolved date expression (the dates stage) dates the clause it sits in. Clauses with the
same date that belong to one claim (the claims stage: the same fact in several articles) are
one event, with every article reporting it; otherwise each is an event of its own. An event
that is one side of a date conflict names the conflict, so the conflicting dates of one event
stand side by side in the timeline. Events are in calendar order (a month sorts before its
days, a span by its first day).

The same sentence in several articles (a wire story reprinted, a paragraph shared) is one
event even where the claims stage did not group it (it groups clauses, and leaves out
sentences that are no claim): events of one date whose words are the same, or nearly
(``NEAR_COPY_RATIO``, with the same numbers), or all inside the other's, are merged, citing
every article. On the first 25 GVA dev gold stories of three or more articles (the whole
pipeline), 17 of 495 events were such repeats, in 3 stories: paragraphs shared by reprints
("The total number of murders in the city has only once exceeded 500 victims since 2004"), a
"(Published Tuesday, Feb. 19, 2013)" line, a quotation given whole and cut short; the number
rule kept apart three weather alerts the ratio alone had merged.

Two kinds of date expression date no event, and put nothing on the timeline:

- one in a sentence that states no claim (``align.sentence_kind``: a caption, or a fragment
  without a finite verb: a dateline, a byline, "Updated: March 3, 2023"), unless the
  sentence is one side of a date conflict, which the timeline shows;
- a year, a decade or a month (no day) that modifies a noun after it, as the name of a thing:
  "the 2019 law", "a 1990s policy", "the March budget" (:func:`names_a_thing`), unless the
  noun names an event (``EVENT_NOUNS``: "the 2019 attack", "the March protests", "its 1982
  war" are dated). "The March 3 law" is still dated: a day names when the thing happened.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import Any

from rapidfuzz import fuzz

from .align import sentence_kind
from .clean import fold
from .conflicts import contains
from .model import Article, Brief, DateMention, Span, TimelineEntry, span_lookup

# Similarity (rapidfuzz ratio, 0-100, on folded words) from which two events of one date are
# one sentence copied: a reprint with its punctuation, quotes or a word changed ("on Tuesday"
# / "Tuesday"). Not fitted: the quote matrix's REWORDED_RATIO is 85 for quotations; a timeline
# entry is a whole sentence, so a little stricter. Shorter texts need the words contained.
NEAR_COPY_RATIO = 90
# Texts of fewer words than this are merged only when the same or contained, never by ratio
# (two short sentences differing in one name would pass 90).
MIN_RATIO_WORDS = 8
# A value with no day (a year, a month, a year range or a decade): it may name a thing.
UNDAY_VALUE = re.compile(r"\d{4}(?:-\d{2})?(?:/\d{4}(?:-\d{2})?)?")
# How a date modifies a noun after it in the parse ("the 2019 law": nummod; "a 1990s
# policy", "the March budget": compound).
MODIFIER_DEPS = frozenset({"nummod", "compound", "nmod", "amod"})
# Nouns (lemmas) of an event: a year, decade or month before one dates that event ("the 2019
# attack killed five", "the March protests", "its 1982 war"), as "in 2019" would. A general
# list of English event words, not fitted on any data (review R2: the rule had left "The
# 2019 attack killed five people." and "The March protests drew 10,000." undated).
EVENT_NOUNS = frozenset({
    "accident", "arrest", "arrival", "assassination", "attack", "ban", "battle", "blast",
    "blaze", "bombing", "ceasefire", "ceremony", "clash", "collapse", "collision", "conference",
    "conflict", "coup", "crash", "crisis", "crackdown", "death", "demonstration", "derailment",
    "disaster", "drought", "earthquake", "election", "epidemic", "eruption", "evacuation",
    "execution", "explosion", "festival", "fire", "flood", "flooding", "funeral", "game",
    "heatwave", "hearing", "hurricane", "incident", "inauguration", "invasion", "killing",
    "landslide", "launch", "lockout", "march", "massacre", "match", "meeting", "murder",
    "offensive", "outbreak", "pandemic", "primary", "protest", "quake", "raid", "rally",
    "recession", "referendum", "release", "revolt", "revolution", "riot", "robbery", "season",
    "shooting", "shutdown", "siege", "stabbing", "storm", "strike", "summit", "talks", "tornado",
    "tour", "tournament", "trial", "trip", "tsunami", "typhoon", "uprising", "victory", "visit",
    "vote", "war", "wedding", "wildfire",
})


def build_timeline(corpus: Brief) -> list[TimelineEntry]:
    claim_at: dict[tuple[str, int], tuple[str, Span]] = {}
    for claim in corpus.claims:
        for span in claim.support:
            claim_at[(span.article, span.start)] = (claim.id, span)
    date_sides = [(c.id, side) for c in corpus.conflicts if not c.update and c.kind == "date"
                  for side in c.sides]
    conflict_at = {(side.article, side.start): (id, side.value) for id, side in date_sides}
    entries: dict[tuple[str, str], TimelineEntry] = {}
    for article in corpus.articles:
        in_side = span_lookup([(side.start, side.end) for _, side in date_sides
                               if side.article == article.id])
        in_no_claim = _no_claim_reader(article)
        for mention in article.dates:
            if not mention.value or mention.value[0] not in "0123456789":
                continue
            if names_a_thing(article.doc, mention) or (
                    not in_side(mention.start) and in_no_claim(mention.start)):
                continue
            where = _clause(corpus, article.id, mention.start, claim_at)
            if where is None:
                continue
            key_id, span = where
            entry = entries.setdefault((mention.value, key_id), TimelineEntry(
                mention.value, article.text[span.start:span.end].strip()))
            if all(s.article != article.id for s in entry.support):
                entry.support.append(span)
            conflict = conflict_at.get((article.id, span.start))
            if conflict and (contains(conflict[1], mention.value)
                             or contains(mention.value, conflict[1])):
                entry.conflict = conflict[0]
    return sorted(merge_copies(list(entries.values())),
                  key=lambda e: (e.date.split("/")[0], len(e.date), e.text))


def names_a_thing(doc: Any, mention: DateMention) -> bool:
    """Whether ``mention`` is a year, decade or month (no day) written before a noun it
    modifies ("the 2019 law", "a 1990s policy", "the March budget"): the name of a thing,
    not the date of an event. Never after a preposition ("In 2019 law enforcement …", which
    the parser may read so), nor before a noun of an event (``EVENT_NOUNS``: "the 2019
    attack"). False without a parse."""
    if doc is None or not mention.value or not UNDAY_VALUE.fullmatch(mention.value):
        return False
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    root = span.root
    head = root.head
    if root.dep_ not in MODIFIER_DEPS or head.i < span.end or head.pos_ not in ("NOUN", "PROPN"):
        return False
    if head.lemma_.lower() in EVENT_NOUNS or head.text.lower() in EVENT_NOUNS:
        return False  # the date of the event the noun names
    return bool(span.start == 0 or doc[span.start - 1].tag_ != "IN")


def _no_claim_reader(article: Article) -> Callable[[int], bool]:
    """Whether an offset of ``article`` lies in a sentence that states no claim (a caption or
    a fragment, ``align.sentence_kind``), each sentence judged once."""
    starts = [sentence.start for sentence in article.sentences]
    kinds: dict[int, bool] = {}

    def in_no_claim(offset: int) -> bool:
        number = bisect.bisect_right(starts, offset) - 1
        if number < 0 or offset >= article.sentences[number].end:
            return False
        if number not in kinds:
            kinds[number] = sentence_kind(article, number) is not None
        return kinds[number]

    return in_no_claim


def _same_sentence(a: str, b: str) -> bool:
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    if shorter and f" {shorter} " in f" {longer} ":
        return True
    # Near-copies state the same numbers: "issued May 8 at 6:20pm" and "issued May 8 at
    # 6:48pm" are two weather alerts 97 % alike (seen on GVA dev pages), not one.
    return min(len(a.split()), len(b.split())) >= MIN_RATIO_WORDS and \
        _numbers(a) == _numbers(b) and fuzz.ratio(a, b) >= NEAR_COPY_RATIO


def _numbers(words: str) -> list[str]:
    return sorted(w for w in words.split() if any(c.isdigit() for c in w))


def merge_copies(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """``entries`` with those of one date that say the same words merged into one: the text
    of the one most articles report (then the longest, then the first by text), every
    article's span once, the conflict of any. Order-free: entries are compared in order of
    date and text, whatever order they come in."""
    ordered = sorted(entries, key=lambda e: (e.date, e.text, [(s.article, s.start)
                                                               for s in e.support]))
    by_date: dict[str, list[tuple[str, list[TimelineEntry]]]] = {}
    for entry in ordered:
        folded = " ".join(fold(entry.text).split())
        groups = by_date.setdefault(entry.date, [])
        for words, group in groups:
            if _same_sentence(words, folded):
                group.append(entry)
                break
        else:
            groups.append((folded, [entry]))
    merged = []
    for group in (g for groups in by_date.values() for _, g in groups):
        if len(group) == 1:
            merged.append(group[0])
            continue
        best = min(group, key=lambda e: (-len(e.articles), -len(e.text), e.text))
        support: list[Span] = []
        for entry in [best, *(e for e in group if e is not best)]:
            support += [s for s in entry.support if all(s.article != t.article for t in support)]
        conflicts = sorted(e.conflict for e in group if e.conflict)
        merged.append(TimelineEntry(best.date, best.text, support,
                                    conflicts[0] if conflicts else None))
    return merged


def _clause(corpus: Brief, article_id: str, offset: int,
            claim_at: dict[tuple[str, int], tuple[str, Span]]) -> tuple[str, Span] | None:
    """(grouping key, span) of the claim clause or sentence holding ``offset``."""
    for (aid, _), (claim, span) in claim_at.items():
        if aid == article_id and span.start <= offset < span.end:
            return claim, span
    article = corpus.article(article_id)
    for n, sentence in enumerate(article.sentences):
        if sentence.start <= offset < sentence.end:
            return f"{article_id}:{n}", Span(article_id, sentence.start, sentence.end)
    return None
