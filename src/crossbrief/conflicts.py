"""Conflicts: specifics on which articles disagree, and later reports that update earlier ones.

Precision comes first: a false conflict destroys a reader's trust, so each check compares
only things that are plainly about the same event, and from independent articles
(near-copies never conflict with each other):

- **dates of one event.** Each clause naming a gathering ("summit", "meeting", "talks", …)
  with one calendar day, or a span ("3/20/23-3/21/23"; "started on March 20 … ended on
  March 22"), gives that event a date in its article. Two articles conflict when a day falls
  outside the other's span, or when both give spans with different ends. An article giving
  one kind of event two different dates is left out (it speaks of several such events).
- **dates, numbers and names within one fact.** For two clauses that the claims scorer
  reads as one claim once their specifics are set aside (``align.scores_from`` with
  ``specifics=False``, at least ``SAME_FACT``) and with the same main verb: a
  date of different value ("last inspected in March 2023" / "in 2021"), a quantity of the
  same thing with a different value ("40-metre section" / "about 60 metres"), or a
  different person as the subject ("Prime Minister Reinholt ordered the inquiry" /
  "Transport Minister Kovalenko ordered an independent inquiry"). Two quantities must
  measure the same thing (``_measured``: what they are of, the noun they describe, or their
  role with the same verb and subject); casualties are counted as dead or injured however
  they are put.
- **ages of named people.** A person named in full ("Jeremy Lewis, 27, of Fullerton",
  "26-year-old construction worker Jeremy Lewis") given different ages by two outlets'
  articles (``ages``, ``_ages``): one conflict per person, about "how old: <name>", each
  side the name and the age. Not a disagreement: a year more in an article published over
  ``BIRTHDAY_DAYS`` later, articles over ``HISTORY_DAYS`` apart, ages a generation apart
  (``NAMESAKE_YEARS``: a father and a son of one name), names as written that cannot be one
  person's, and an article giving the person two ages.
- **plain contradiction.** For two such clauses with the same subject and objects: one says
  the verb did not happen ("China did not recognize the warrant" / "China recognized the
  warrant"), or the verbs are antonyms (``ANTONYMS``: "accepted" / "rejected"). Pronoun
  subjects are never compared: "he" in two articles may be two people.

A date resting on the story's anchor (an undated article's "Monday") is a guess: two guesses
never conflict, and a guess conflicts with a dated side only within ``GUESS_WINDOW`` days.

Conflicts are between outlets: two reports of one outlet never conflict. Numbers and names
are compared only between clauses of one time (``_same_time``), numbers only between
clauses naming the same people, if any. A count that is no total is not read (the rest,
a breakdown, a tally over several incidents, the dead in one place: ``_quantities``); an
article that counts one thing differently in two places is left out of its conflicts
(``_unsure``); a count of the dead in an article that counts the attacker or an unborn
child either way may be one more or less (``either_way_in``), and the injured of an article
that counts its dead apart may be as many more (``_as_compared``).

A disagreement where every article giving one value was published before every article
giving the other, and the count only grew ("at least nine dead" on Tuesday, "12" on
Thursday), is an **update**, not a conflict (``Conflict.update``); so is an earlier "has not
signed" that a later article reports signed.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from .align import REPORTING, WORD_NUMBERS, KeptPairs, kept_scores, read_number, split_units
from .clean import fold
from .config import Settings
from .extract.dates import guessed_anchor
from .model import (
    AGES_ABOUT,
    Article,
    Brief,
    Conflict,
    Rejection,
    Side,
    Span,
    content_hash,
    of_ages,
    topic_of,
)

# --- constants and word lists, with their provenance --------------------------------------
#
# None of these was chosen by a search. Each was written from general news usage (the word
# lists) or from reading the briefs of the GVA news stream's dev stories (the casualty lists,
# HISTORY_DAYS); none for a sentence of the bundled example or the seed articles. What each
# does on real coverage is measured by ``benchmarks/gva_ablation.py`` (one at a time changed
# or emptied, 842 GVA stories; table in BENCHMARKS.md, "Conflicts: what each hand-set constant
# does"). "GVA effect" below quotes that run: (a) is the share of briefs stating a casualty
# count that differs from the record (baseline 8.2 %, 22 of 269), conflicts the number
# reported (baseline 4, all labelled true). Lists with no GVA effect serve events that
# shootings coverage does not exercise (summits, votes, visits); they are general English,
# kept short, and each entry is a common word of its kind.

# Kinds of event whose dates are compared across articles: lemma -> kind. GVA effect: none
# (emptied: same (a), same conflicts).
EVENTS = {
    "summit": "meeting", "meeting": "meeting", "talk": "talks", "talks": "talks",
    "negotiation": "talks", "visit": "visit", "trip": "visit", "dinner": "dinner",
    "vote": "vote", "election": "election", "collapse": "collapse", "attack": "attack",
    "explosion": "explosion", "crash": "crash", "earthquake": "earthquake",
}
START_VERBS = frozenset({"start", "begin", "open", "kick"})
END_VERBS = frozenset({"end", "finish", "close", "conclude", "wrap"})
# Two clauses are compared for conflicts when the claim scorer gives them at least this
# probability of stating one fact once their specifics are set aside (numbers, dates and
# negation: align.scores_from with specifics=False). GVA effect: 0.2 gives 6 conflicts (5
# labelled true, 1 unlabelled) and 12 updates; 0.45 gives 2 conflicts and 4 updates; (a)
# unchanged either way. 0.3 keeps every labelled true conflict with no false one.
SAME_FACT = 0.3
# Dates within one fact are compared only for an event that happens once ("last inspected",
# "first reported"): "divers searched on Tuesday" and "on Wednesday" are two searches. GVA
# effect: none.
ONCE = frozenset({"last", "first", "latest", "final", "only"})
# Counted nouns too generic to tie two numbers to one fact without the same verb. GVA
# effect: none (casualty counts are tied by what happened to them, not by the noun).
GENERIC_COUNTS = frozenset({"people", "person", "time", "year", "day", "month", "week",
                            "percent", "hour", "minute"})
# Verbs that say opposite things of the same subject and object (lemma pairs): common
# antonyms of news verbs. GVA effect: none (no contradiction by verb in shootings coverage).
ANTONYMS = frozenset(frozenset(p) for p in (
    ("accept", "reject"), ("approve", "reject"), ("confirm", "deny"), ("admit", "deny"),
    ("win", "lose"), ("rise", "fall"), ("increase", "decrease"), ("support", "oppose"),
    ("agree", "refuse"), ("allow", "ban"), ("allow", "forbid"), ("open", "close"),
    ("acquit", "convict"), ("pass", "fail"), ("include", "exclude"), ("resume", "suspend"),
    ("lift", "impose"), ("raise", "cut"), ("arrive", "leave"), ("attend", "skip"),
    ("recognize", "reject"), ("back", "oppose"),
))
# Days within which a date resting on the story's anchor may conflict with another (a wrong
# anchor moves a date by days to weeks; a week is the span of "Tuesday" read from the wrong
# week). GVA effect: none at 0 or 30 days (GVA records carry publication dates).
GUESS_WINDOW = 7
# Dependencies by which a counted noun describes the noun above it ("40-metre section").
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "npadvmod"})
# Casualties: counted by what happened to them, whatever noun carries the number.
CASUALTY_VERBS = {"die": "dead", "kill": "dead", "perish": "dead", "drown": "dead",
                  "injure": "injured", "wound": "injured", "hurt": "injured"}
CASUALTY_WORDS = {"dead": "dead", "killed": "dead", "injured": "injured",
                  "wounded": "injured", "hurt": "injured"}
# Words by which a number counts only the rest of something: "four other people". GVA effect
# (in-sample): emptied, (a) 8.5 % (24 of 284).
REMAINDER = frozenset({"other", "more", "additional", "further"})
# Incidents: a clause about several of them ("in separate shootings", "a spate of three
# shootings") gives a tally whose scope (hours, district) each outlet sets differently. GVA
# effect (in-sample): emptied, (a) 9.1 % (25 of 275).
INCIDENTS = frozenset({"shooting", "attack", "incident", "crash", "accident", "explosion",
                       "bombing", "stabbing", "homicide", "murder", "killing", "robbery"})
SEVERAL = frozenset({"separate", "several", "multiple", "different", "various", "unrelated"})
SERIES = frozenset({"series", "spate", "string", "wave", "rash", "number", "round"})
# Places where a part of the casualties died or were treated: "two died at the scene". GVA
# effect (in-sample): emptied, (a) 8.9 % (24 of 271).
PLACES = frozenset({"scene", "hospital"})
# One whom some outlets count among the dead and others leave out: the attacker ("three dead,
# including the gunman" / "killed two before killing himself"), an unborn child. GVA effect
# (in-sample): emptied, (a) 8.6 % and one false conflict (5 conflicts, 1 labelled false).
COUNTED_EITHER_WAY = frozenset({"gunman", "shooter", "suspect", "attacker", "assailant",
                                "killer", "bomber", "perpetrator", "unborn", "fetus"})
# Days before its article's publication from which a dated clause is history (an earlier
# event the article recalls), compared only with a clause giving the same date. GVA effect
# (in-sample): no history at all, (a) 8.9 %; 30 days, 8.3 % (22 of 265).
HISTORY_DAYS = 365
# Two quantities differ when the larger exceeds the smaller by more than this share. GVA
# effect: none at 0 or 0.25 (casualty counts are small exact numbers).
NUMBER_TOLERANCE = 0.1
CALENDAR = re.compile(r"\d{4}(-\d{2}){0,2}(/\d{4}(-\d{2}){0,2})?")
LOWER_BOUND = re.compile(r"\b(?:at least|more than|over|upwards of)\b", re.I)
# An upper bound ("up to four dead", "as many as 20 injured"): any count up to it agrees.
# General usage, none chosen by a search; GVA dev story 511436's "up to 4 people were dead"
# had been set against "killed three people" (the gunman counted apart): BENCHMARKS.md,
# "Conflicts and updates".
UPPER_BOUND = re.compile(r"\b(?:up to|as many as|no more than|at most)\b", re.I)
# Ages of named people (``ages``, ``_ages``): the forms are general news usage ("Name, 27,",
# "Name (27)", "Name, a 27-year-old", "27-year-old plumber Name"), none chosen by a search;
# what they read on the GVA dev stories, against the incidents' records of each victim's and
# suspect's age, is in BENCHMARKS.md ("Ages of named people"). MAX_AGE bounds a human age;
# AGE_ROLE_WORDS bounds the words between "27-year-old" and the name ("construction
# worker"); BIRTHDAY_DAYS: two articles this far apart may both be right a year apart.
MAX_AGE = 120
AGE_ROLE_WORDS = 4
BIRTHDAY_DAYS = 30
NAMESAKE_YEARS = 15
TENS = {w: 10 * n for n, w in enumerate(
    "twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)}
_AGE_WORD = r"(?<![\w-])(\d{1,3}|(?:" + "|".join(TENS) + r")(?:-(?:" + "|".join(
    w for w, n in WORD_NUMBERS.items() if 0 < n < 10) + r"))?|" + "|".join(
    sorted(WORD_NUMBERS, key=len, reverse=True)) + ")"
# After the name: "Name, 27," (not "John and Mary Smith, 45 and 43": the first number of a
# pair is not the last name's), "Name (27)", "Name, a 27-year-old plumber" (not "Name, the
# 20-year-old's friend" nor "Name, the 25-year-old suspect's girlfriend": another's age).
# Words that end the noun phrase after "a 27-year-old": a possessive after one of them is no
# longer the phrase's ("a 27-year-old plumber from the county's north side", "who's lived").
AGE_PHRASE_ENDS = frozenset({"a", "an", "and", "at", "by", "for", "from", "he", "in", "it",
                             "of", "on", "she", "that", "the", "to", "what", "which", "who",
                             "whose", "with"})
AGE_AFTER = re.compile(
    r",\s*(?:aged\s+)?(\d{1,3})(?=\s*(?:[,;)]|\.(?!\d)|$|\s+(?:of|from)\b|\s+and\b(?!\s+\d)))"
    r"|\s*\((?:aged\s+)?(\d{1,3})\)"
    r"|,\s*(?:an?|the)\s+" + _AGE_WORD + r"[- ]years?[- ]old\b(?![\'\u2019])"
    r"(?!(?:\s+(?!(?:" + "|".join(sorted(AGE_PHRASE_ENDS)) + r")\b)[a-z]+){0,3}?"
    r"\s+(?!(?:" + "|".join(sorted(AGE_PHRASE_ENDS)) + r")\b)[a-z]+[\'\u2019]s\b)", re.I)
# Three numbers in brackets in the sentence: a list of results ("Messi (23), Suarez (67),
# Neymar (81)": minutes, runs, strokes), where a number in brackets after a name is no age;
# two are a pair of people ("Jeremy Lewis (27) and Courtney Aoki (20)").
RESULTS_LIST = 3
BRACKETED_NUMBER = re.compile(r"\(\s*\d{1,3}\s*\)")
AGE_BEFORE = re.compile(_AGE_WORD + r"[- ]years?[- ]old$", re.I)


@dataclass(frozen=True)
class _Value:
    """A date or a quantity as one side states it."""

    text: str
    start: int
    end: int
    low: float | str
    high: float | str
    lower_bound: bool = False
    # What the quantity measures (``_measured``): two quantities of one counted noun
    # disagree only when they measure the same thing.
    of: tuple[str, ...] = ()


def detect_conflicts(corpus: Brief, settings: Settings) -> list[Conflict]:
    """The conflicts and updates among the story's articles (the conflicts stage): its
    whole clauses, paired by the claims scorer with their specifics set aside."""
    from .nlp import encode

    units = [u for article in corpus.articles for u in split_units(article)]
    if not units:
        return []
    # Scored with the embedded clauses, as the claims stage scores them: the scorer's
    # rarity weights count every unit. Only the pairs at least SAME_FACT are kept (a sparse
    # set, scored a block of rows at a time): the only ones read.
    related, _ = kept_scores(units, encode([u.context for u in units], settings), SAME_FACT,
                             specifics=False)
    clauses = [k for k, u in enumerate(units) if not u.embedded]
    return find_conflicts(corpus, [units[k] for k in clauses], related.take(clauses))


def find_conflicts(corpus: Brief, units: list[Any], scores: Any) -> list[Conflict]:
    """Conflicts and updates among the clauses ``units`` scored by the claims scorer."""
    same_fact = SAME_FACT
    group_of = {a: n for n, g in enumerate(corpus.near_copies) for a in g}
    found: list[Conflict | None] = []
    found.extend(_event_dates(corpus, units, group_of))
    found.extend(_ages(corpus, group_of))
    # What each clause needs is worked out once, on first use: most clauses pair with none.
    roots: dict[int, Any] = {}
    quantities: dict[int, dict[str, _Value]] = {}
    once: dict[int, bool] = {}
    of_article: dict[str, list[int]] = defaultdict(list)
    for k, unit in enumerate(units):
        of_article[unit.article.id].append(k)
    unsure: dict[str, set[tuple[str, tuple[str, ...]]]] = {}
    either_way: set[str] = set()
    dead: dict[str, float] = {}
    for i, j in _scored_pairs(scores, len(units), same_fact):
        a, b = units[i], units[j]
        if _copies(a.article, b.article, group_of):
            continue
        for k in (i, j):
            if k not in roots:
                roots[k] = _root(units[k])
                once[k] = _once(units[k])
        for article in (a.article.id, b.article.id):
            if article not in unsure:
                for k in of_article[article]:
                    if k not in quantities:
                        quantities[k] = _quantities(units[k])
                unsure[article] = _unsure([quantities[k] for k in of_article[article]])
                if either_way_in([units[k] for k in of_article[article]]):
                    either_way.add(article)
                dead[article] = next((float(quantities[k]["dead"].low)
                                      for k in of_article[article] if "dead" in quantities[k]
                                      and ("dead", ()) not in unsure[article]), 0.0)
        verb_a, verb_b = roots[i], roots[j]
        same_verb = verb_a is not None and verb_b is not None and verb_a.lemma_ == verb_b.lemma_
        same_time = _same_time(a, b)
        if same_time and not _other_people(a, b):
            qa, qb = ({n: _as_compared(n, v, units[k].article.id in either_way,
                                       dead[units[k].article.id])
                       for n, v in quantities[k].items()
                       if _thing(n, v) not in unsure[units[k].article.id]} for k in (i, j))
            found.append(_number_conflict(corpus, a, b, qa, qb, same_verb))
        found.append(_contradiction(a, b, verb_a, verb_b))
        if same_verb:
            if same_time:
                found.append(_name_conflict(a, b, verb_a, verb_b))
            if once[i] and once[j]:
                found.append(_date_conflict(a, b, verb_a))
    # Conflicts are between outlets: an outlet's reports differing from one another (a count
    # revised, a photo gallery renumbered, its reporters' bylines) are at most an update.
    source = {a.id: a.source for a in corpus.articles}
    kept = [c for c in found if c is not None
            and (c.update or len({source[s.article] for s in c.sides}) > 1)
            and not rejected(c, corpus.rejections)]
    unique: dict[tuple[str, ...], Conflict] = {}
    for conflict in _add_copies(corpus, kept):
        key = (conflict.kind, *topic_of(conflict.about),
               *sorted(f"{s.article}:{s.start}" for s in conflict.sides))
        unique.setdefault(key, conflict)
    return list(unique.values())


def _scored_pairs(scores: Any, n: int, floor: float) -> list[list[int]]:
    """The pairs (i, j), i < j < n, whose score is not under ``floor``, in the order of
    ``itertools.combinations(range(n), 2)``: picked out by NumPy, a block of rows at a time
    (about 4 MB of float64 a block, whatever the story's size: the scores themselves are
    not copied), not by a Python loop over every pair (a story has tens of thousands, and
    few pass). Compared in float64, as ``float(scores[i, j]) < floor`` compares; a NaN score
    is not under the floor. ``scores`` may be kept pairs (``align.kept_scores``, kept at a
    floor not above this one): the pairs it holds are looked at, in the same order."""
    import numpy as np

    if isinstance(scores, KeptPairs):
        if scores.floor > floor:
            raise ValueError(f"scores kept at {scores.floor}, read at {floor}")
        rows, columns, values = scores.upper()
        kept = ~(values.astype(np.float64) < floor)
        pairs: list[list[int]] = np.stack([rows[kept], columns[kept]], axis=1).tolist()
        return pairs
    matrix = np.asarray(scores).reshape(n, n)
    rows_a_block = max(1, (1 << 19) // max(n, 1))
    pairs = []
    for first in range(0, n, rows_a_block):
        block = np.asarray(matrix[first:first + rows_a_block], dtype=np.float64)
        rows, columns = np.nonzero(~(block < floor))  # row by row, columns ascending
        rows = rows + first
        upper = columns > rows
        pairs.extend(np.stack([rows[upper], columns[upper]], axis=1).tolist())
    return pairs


def _copies(a: Article, b: Article, group_of: dict[str, int]) -> bool:
    return a.id == b.id or (a.id in group_of and group_of.get(b.id) == group_of[a.id])


def _root(unit: Any) -> Any:
    doc = unit.article.doc
    span = doc.char_span(unit.start, unit.end, alignment_mode="expand") if doc else None
    if span is None:
        return None
    root = span.root
    if root.lemma_ in REPORTING:
        root = next((c for c in root.children if c.dep_ in ("ccomp", "xcomp")), None)
    return root if root is not None and root.pos_ in ("VERB", "AUX") else None


def _same_time(a: Any, b: Any) -> bool:
    """Whether two clauses may tell of one event by their dates: the dates they give are
    within ``GUESS_WINDOW`` days ("on Nov. 5, 2009" and "on April 2", 2014, are two
    shootings; "nine died on Tuesday" and "the toll rose to 12 on Thursday" are one), and a
    clause dated over ``HISTORY_DAYS`` before its article was published (an earlier event
    the article recalls: "August 1982: eight people killed") meets only a dated clause."""
    da, db = _calendar(a), _calendar(b)
    if da and db:
        return any(_near(x, y) for x in da for y in db)
    return not any(dates and _history(unit, dates) for unit, dates in ((a, da), (b, db)))


def _near(a: str, b: str) -> bool:
    if contains(a, b) or contains(b, a):
        return True
    try:
        days = [datetime.date.fromisoformat(v.partition("/")[0]) for v in (a, b)]
    except ValueError:  # a month or a year
        return False
    return abs((days[0] - days[1]).days) <= GUESS_WINDOW


def _calendar(unit: Any) -> list[str]:
    return [d.value for d in _day_values(unit) if CALENDAR.fullmatch(d.value)]


def _history(unit: Any, dates: list[str]) -> bool:
    published = unit.article.published
    if not published:
        return False
    try:
        day = datetime.date.fromisoformat(published[:10])
    except ValueError:
        return False
    last = max(d.rpartition("/")[2] for d in dates)
    # A year or a month counts from its end: "in 2014" is not history on 1 January 2015.
    end = {4: "-12-31", 7: "-28"}.get(len(last), "")
    try:
        return (day - datetime.date.fromisoformat(last + end)).days > HISTORY_DAYS
    except ValueError:
        return False


def _other_people(a: Any, b: Any) -> bool:
    """Whether both clauses name people and none in common: "four counts" against Yates and
    "one count" against Fields are two facts."""
    pa, pb = _people(a), _people(b)
    return bool(pa and pb and not pa & pb)


def _people(unit: Any) -> set[str]:
    return {m.entity for m in unit.article.mentions if m.label == "PERSON" and m.entity
            and m.start >= unit.start and m.end <= unit.end}


# --- dates ---------------------------------------------------------------------------------


def _day_values(unit: Any) -> list[Any]:
    return [d for d in unit.article.dates
            if d.value and d.start >= unit.start and d.end <= unit.end]


def _span_of(unit: Any) -> tuple[str, str, int, int] | None:
    """(first day, last day, start, end) of the one day or span the clause gives, if any."""
    days = [d for d in _day_values(unit)
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}(/\d{4}-\d{2}-\d{2})?", d.value)]
    if len(days) == 1:
        low, _, high = days[0].value.partition("/")
        return low, high or low, days[0].start, days[0].end
    if len(days) == 2 and all("/" not in d.value for d in days):
        lemmas = {t.lemma_ for t in _tokens(unit)}
        if lemmas & START_VERBS and lemmas & END_VERBS:
            low, high = sorted((days[0].value, days[1].value))
            return low, high, days[0].start, days[1].end
    return None


def _tokens(unit: Any) -> list[Any]:
    """The clause's tokens (none without a parse), read once per clause: the dates, the
    numbers and the counts either way each read them (callers never change the list)."""
    if unit.tokens is None:
        doc = unit.article.doc
        span = doc.char_span(unit.start, unit.end, alignment_mode="expand") if doc else None
        unit.tokens = list(span) if span is not None else []
    return unit.tokens  # type: ignore[no-any-return]


def _event_dates(corpus: Brief, units: list[Any],
                 group_of: dict[str, int]) -> list[Conflict]:
    dated: dict[str, dict[str, tuple[Any, tuple[str, str, int, int]]]] = defaultdict(dict)
    ambiguous: set[tuple[str, str]] = set()
    for unit in units:
        when = _span_of(unit)
        if when is None:
            continue
        kinds = {EVENTS[t.lemma_.lower()] for t in _tokens(unit)
                 if t.pos_ == "NOUN" and t.lemma_.lower() in EVENTS}
        for kind in kinds:
            previous = dated[kind].get(unit.article.id)
            if previous and previous[1][:2] != when[:2]:
                ambiguous.add((kind, unit.article.id))
            dated[kind].setdefault(unit.article.id, (unit, when))
    pairs: dict[tuple[int, int], tuple[list[str], list[Side]]] = {}
    for kind, by_article in sorted(dated.items()):
        items = [(aid, v) for aid, v in by_article.items() if (kind, aid) not in ambiguous]
        for (_, (ua, wa)), (_, (ub, wb)) in itertools.combinations(items, 2):
            if _copies(ua.article, ub.article, group_of) or not _dates_disagree(wa, wb) \
                    or not _trusted(_guessed(ua, wa), _guessed(ub, wb), wa[0], wb[0]):
                continue
            entry = pairs.setdefault((id(ua), id(ub)), ([], [_side(ua, wa), _side(ub, wb)]))
            entry[0].append(kind)
    return [_conflict("date", f"when the {' and '.join(kinds)} took place", sides)
            for kinds, sides in pairs.values()]


def _dates_disagree(a: tuple[str, str, int, int], b: tuple[str, str, int, int]) -> bool:
    a_span, b_span = a[0] != a[1], b[0] != b[1]
    if a_span and b_span:
        return a[:2] != b[:2]
    if a_span:
        return not a[0] <= b[0] <= a[1]
    if b_span:
        return not b[0] <= a[0] <= b[1]
    return a[0] != b[0]


def _guessed(unit: Any, when: tuple[str, str, int, int]) -> bool:
    """Whether the date rests on the story's anchor rather than on the article: an undated
    article's "Monday" or "Dec. 14", resolved against the latest date anywhere in the story.
    Two such dates never make a conflict on their own: a wrong anchor moves both."""
    return any(guessed_anchor(d.reason) for d in unit.article.dates
               if d.value and d.start >= when[2] and d.end <= when[3])


def _trusted(guessed_a: bool, guessed_b: bool, day_a: str, day_b: str) -> bool:
    """Whether two dates may make a conflict: not both guessed, and a guessed one no more
    than ``GUESS_WINDOW`` days from the other (a wrong anchor moves a date by weeks; two
    outlets disagreeing on one event's date differ by days)."""
    if guessed_a and guessed_b:
        return False
    if not (guessed_a or guessed_b):
        return True
    try:
        apart = abs(datetime.date.fromisoformat(day_a[:10]) - datetime.date.fromisoformat(
            day_b[:10])).days
    except ValueError:  # a month or a year: too coarse to check against a guess
        return False
    return apart <= GUESS_WINDOW


def _side(unit: Any, when: tuple[str, str, int, int]) -> Side:
    value = when[0] if when[0] == when[1] else f"{when[0]}/{when[1]}"
    return Side(unit.article.id, value, unit.start, unit.end)


def _once(unit: Any) -> bool:
    """Whether the clause tells of an event that happens once: "last inspected", "first
    reported" (an adverb on a verb; "saw the first police cars arrive" is not one)."""
    return any(t.lower_ in ONCE and t.dep_ == "advmod" for t in _tokens(unit))


def _date_conflict(a: Any, b: Any, verb: Any) -> Conflict | None:
    da, db = _day_values(a), _day_values(b)
    if len(da) != 1 or len(db) != 1 or da[0].value == db[0].value \
            or not _trusted(guessed_anchor(da[0].reason), guessed_anchor(db[0].reason),
                            da[0].value, db[0].value):
        return None
    va, vb = da[0].value, db[0].value
    if contains(va, vb) or contains(vb, va):
        return None  # "March 2023" and "14 March 2023" agree
    return _conflict("date", f"when: {verb.lemma_}",
                     [Side(a.article.id, va, a.start, a.end),
                      Side(b.article.id, vb, b.start, b.end)])


def contains(outer: str, inner: str) -> bool:
    """Whether date value ``inner`` lies within ``outer`` (a year, month, day or span)."""
    low, _, high = outer.partition("/")
    high = high or low
    ilow, _, ihigh = inner.partition("/")
    ihigh = ihigh or ilow
    return low <= ilow[:len(low)] and ihigh[:len(high)] <= high


# --- numbers -------------------------------------------------------------------------------


def _quantities(unit: Any) -> dict[str, _Value]:
    """Quantities in the clause by what they count (the noun after the number).

    Left out: a tally over several incidents (``_tally``), a number counting the rest of
    something (``_remainder``), and a thing counted twice in the clause ("one man was shot
    in the chest, one man was shot in the leg", "two victims were taken to one hospital, one
    to another": a breakdown, neither is the total). A clause
    that counts the attacker or an unborn child in or out (``COUNTED_EITHER_WAY``) widens
    its counts by one either way."""
    article = unit.article
    doc = article.doc
    tokens = _tokens(unit)
    if doc is None or _tally(tokens):
        return {}
    either_way = _either_way(tokens)
    found: dict[str, _Value] = {}
    times: dict[str, int] = defaultdict(int)
    # (role, verb) of each number standing for its noun: "…, one was taken to …".
    bare = [(t.dep_, t.head.lemma_.lower()) for t in tokens
            if (t.like_num or t.lower_ in WORD_NUMBERS) and t.dep_ in ("nsubj", "nsubjpass")]
    for mention in article.mentions:
        if mention.label not in ("CARDINAL", "QUANTITY", "MONEY", "PERCENT") \
                or mention.start < unit.start or mention.end > unit.end:
            continue
        value = read_number(article.text[mention.start:mention.end])
        if value is None:
            continue
        # What is counted: a unit inside the mention ("40-metre", "60 metres"), else the
        # noun right after it that the number belongs to ("nine people", "five of the
        # victims"; not "Image 6 of 11 A man died": a caption's numbering).
        inside = doc.char_span(mention.start, mention.end, alignment_mode="expand") or []
        after = doc.char_span(mention.end, unit.end, alignment_mode="expand") or []
        if not inside:
            continue
        casualty = _casualty(inside)
        noun = casualty or next((t.lemma_.lower() for t in [*inside, *(
            t for t in list(after)[:3] if _counts(inside[-1], t))]
            if t.is_alpha and t.pos_ == "NOUN"), None)
        if noun is None:
            continue
        times[noun] += 1
        if _remainder(inside) or (casualty and _in_part(inside[-1])):
            continue
        before = article.text[max(unit.start, mention.start - 20):mention.start]
        approx = bool(re.search(r"\b(about|around|some|nearly|almost|roughly)\s*$",
                                before + article.text[mention.start:mention.end][:7], re.I))
        low, high = (value * (1 - NUMBER_TOLERANCE), value * (1 + NUMBER_TOLERANCE)) \
            if approx else (value, value)
        if UPPER_BOUND.search(before[-14:] + article.text[mention.start:mention.end]):
            low = 0.0  # "up to 4 people were dead", "as many as 20 injured": at most
        if either_way:
            low, high = low - 1, high + 1
        found.setdefault(noun, _Value(article.text[mention.start:mention.end], mention.start,
                                      mention.end, low, high,
                                      bool(LOWER_BOUND.search(before[-12:] + article.text[
                                          mention.start:mention.end])),
                                      () if casualty else _measured(inside)))
    # "Two victims were taken to Stroger Hospital, one was taken to Northwestern": the bare
    # "one" counts victims too.
    for noun, count in found.items():
        times[noun] += sum(1 for role in bare if role == count.of[:2])
    return {noun: count for noun, count in found.items() if times[noun] == 1}


def _tally(tokens: list[Any]) -> bool:
    """Whether the clause counts over several incidents: "in separate shootings", "a
    spate of three shootings", "more than two dozen shootings", "in Monday shootings on the
    North, West and South sides" (incidents without an article: not "the shootings" of one
    event)."""
    for token in tokens:
        if token.tag_ != "NNS" or token.lemma_.lower() not in INCIDENTS:
            continue
        if any(c.lower_ in SEVERAL or c.like_num or c.dep_ == "nummod"
               for c in token.children) or (
                token.head.lower_ == "of" and token.head.head.lemma_.lower() in SERIES) \
                or not any(c.dep_ in ("det", "poss") for c in token.children):
            return True
    return False


def _in_part(number: Any) -> bool:
    """Whether a casualty count is of those hurt or dead in one place ("two people died at
    the scene", "one victim died in the hospital two days later"): a part of the toll."""
    verb = number
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    return any(c.dep_ == "prep" and any(g.dep_ == "pobj" and g.lemma_.lower() in PLACES
                                        for g in c.children) for c in verb.children)


def either_way_in(units: list[Any]) -> bool:
    """Whether an article (its clauses ``units``) counts the attacker or an unborn child in
    or out somewhere ("six killed, including an unborn child"): then its every count of the
    dead may be one more or one less than another outlet's, and it is widened so."""
    return any(_either_way(_tokens(unit)) for unit in units)


def _either_way(tokens: list[Any]) -> bool:
    """Whether the clause counts one whom outlets count either way, or tells that the
    attacker died: "three people, including the gunman", "before killing himself", "took
    his own life", "a murder-suicide", "the shooter was killed by police", "including an
    unborn child"."""
    for token in tokens:
        word = token.lower_
        if word in ("himself", "herself") and token.head.lemma_.lower() in (
                "kill", "shoot", "turn"):
            return True
        if "suicide" in word or (word == "inflicted" and token.i >= 2
                                 and token.doc[token.i - 2].lower_ == "self") or (
                word == "life" and any(c.lower_ == "own" for c in token.children)):
            return True  # "a murder-suicide", "a self-inflicted wound", "took his own life"
        if word in COUNTED_EITHER_WAY and (
                (token.dep_ == "nsubjpass" and token.head.lemma_.lower() == "kill")
                or (token.dep_ == "nsubj" and token.head.lemma_.lower() == "die")):
            return True  # "the shooter was killed by police", "the suspect died"
        if word in COUNTED_EITHER_WAY and any(t.lemma_.lower() == "include"
                                              for t in token.ancestors):
            return True
    return False


def _unsure(counts: list[dict[str, _Value]]) -> set[tuple[str, tuple[str, ...]]]:
    """What one article counts differently in two places ((noun, what it measures)): a
    figure that moved while the article was written (a live report's "four officers" then
    "five officers"), or several things of one name. Such an article is left out of that
    number's conflicts, as an article giving one event two dates is."""
    seen: dict[tuple[str, tuple[str, ...]], list[_Value]] = defaultdict(list)
    for found in counts:
        for noun, value in found.items():
            seen[_thing(noun, value)].append(value)
    return {key for key, values in seen.items()
            if any(_differ(x, y) for x, y in itertools.combinations(values, 2))}


def _thing(noun: str, value: _Value) -> tuple[str, tuple[str, ...]]:
    """What a count counts, for telling whether an article counts one thing twice: the noun
    and what it is of or describes, whatever its role ("three officers are injured" in a
    live report's first lines, "five officers were transported to hospitals" in its last)."""
    return noun, value.of if len(value.of) == 2 else ()


def _widened(value: _Value) -> _Value:
    return replace(value, low=float(value.low) - 1, high=float(value.high) + 1)


def _as_compared(noun: str, value: _Value, either_way: bool, dead: float) -> _Value:
    """A count as it is compared with another article's: a toll one more or less in an
    article that counts the attacker either way (``either_way_in``), and the injured of an
    article that counts ``dead`` apart ("one killed and three injured") as many more, since
    another outlet's injured may include those who died later ("four people were injured;
    one of the men later died")."""
    if noun == "dead" and either_way:
        return _widened(value)
    if noun == "injured" and dead:
        return replace(value, high=float(value.high) + dead)
    return value


def _differ(a: _Value, b: _Value) -> bool:
    """Whether two counts of one thing disagree: their ranges do not meet, and neither is a
    lower bound the other meets ("at least nine" and "twelve" agree)."""
    if float(a.high) >= float(b.low) and float(b.high) >= float(a.low):
        return False
    return not ((a.lower_bound and float(b.low) > float(a.low))
                or (b.lower_bound and float(a.low) > float(b.low)))


def _counts(number: Any, noun: Any) -> bool:
    """Whether ``noun``, after the ``number`` token, is what the number counts: the noun it
    modifies ("nine people", "5 million people") or the object of a preposition on it ("five
    of the victims")."""
    head = number.head
    return noun.i == head.i or (head.like_num and noun.i == head.head.i) \
        or (noun.head.dep_ == "prep" and noun.head.head.i in (number.i, head.i))


def _remainder(number: Any) -> bool:
    """Whether the number counts the rest of something told before ("four other people were
    wounded", "two more people died", "nine others", "ten additional officers"): a part,
    not a total, so never set against another article's total."""
    token = list(number)[-1]
    counted = token.head if token.dep_ == "nummod" else token
    return counted.lemma_.lower() in REMAINDER or any(
        c.lower_ in REMAINDER and c.dep_ in ("amod", "advmod")
        for t in {token, counted} for c in t.children)


def _measured(number: Any) -> tuple[str, ...]:
    """What a quantity measures, from its place in the parse: the thing it is *of* ("60 metres
    of the span", "a 40-metre section of the span": both ("of", "span")), the thing it
    describes ("the 124-member Central Council": ("attribute", "central council")), or its
    role in its clause with the clause's verb and subject ("police recovered 59 bodies":
    ("dobj", "recover", "police")). "98 members of the council" and "the 124-member council"
    measure different things (attendance, size); so do "22 of the bodies" and "recovered 59
    bodies", and "a mass of 1 million pounds" of the station and of two of its pieces."""
    tokens = list(number)
    if not tokens:
        return ()
    head = tokens[-1]
    counted = head.head if head.dep_ == "nummod" else head
    phrase = counted
    while phrase.dep_ in MODIFIER_DEPS and phrase.head.i != phrase.i \
            and phrase.head.pos_ in ("NOUN", "PROPN"):
        phrase = phrase.head
    for child in phrase.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            objects = [g for g in child.children if g.dep_ == "pobj"]
            if objects:
                return ("of", _name(objects[0]))
    if phrase.i != counted.i:
        return ("attribute", _name(phrase))
    verb = phrase.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    subject = next((_name(c) for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), "")
    return (phrase.dep_, verb.lemma_.lower(), subject)


def _name(noun: Any) -> str:
    """A noun with the words that name it ("Central Council", "station pieces"), lemmatised."""
    parts = [c for c in noun.children if c.dep_ == "compound"
             or (c.dep_ == "amod" and c.pos_ == "PROPN")]
    return " ".join(t.lemma_.lower() for t in sorted([*parts, noun], key=lambda t: t.i))


def _casualty(number: Any) -> str | None:
    """"dead" or "injured" when the number counts casualties, however it is put: "nine people
    were killed", "killed at least nine people", "Twelve people are dead", "nine dead", "the
    death toll rose to 12"."""
    tokens = list(number)
    if not tokens:
        return None
    token = tokens[-1]
    if any(c.dep_ == "det" for c in token.children):
        return None  # "this one hurt", "the two killed": a pronoun, not a count
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if following is not None and following.lower_ in CASUALTY_WORDS:
        return CASUALTY_WORDS[following.lower_]
    if token.dep_ != "nummod":
        # A bare number: only as what a death toll rose to, reached or stood at.
        verb = token.head.head if token.head.pos_ == "ADP" else token.head
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        return "dead" if subjects and subjects[0].lemma_.lower() == "toll" else None
    counted = token.head
    if counted.lemma_.lower() not in ("people", "person", "victim"):
        return None
    verb = counted.head
    words = [verb, *(c for c in verb.children if c.dep_ in ("acomp", "attr", "xcomp", "oprd"))]
    for word in words:
        if word.lemma_.lower() in CASUALTY_VERBS:
            return CASUALTY_VERBS[word.lemma_.lower()]
        if word.i != verb.i and word.lower_ in CASUALTY_WORDS:
            return CASUALTY_WORDS[word.lower_]
    return None


def _number_conflict(corpus: Brief, a: Any, b: Any, qa: dict[str, _Value],
                     qb: dict[str, _Value], same_verb: bool) -> Conflict | None:
    for noun in sorted(set(qa) & set(qb)):
        if noun in GENERIC_COUNTS and not same_verb:
            continue
        va, vb = qa[noun], qb[noun]
        if va.of != vb.of:
            continue  # "64 of the 122 seats" and "the 122-seat assembly": different things
        if float(va.high) >= float(vb.low) and float(vb.high) >= float(va.low):
            continue  # the ranges meet
        sides = [Side(a.article.id, va.text, a.start, a.end),
                 Side(b.article.id, vb.text, b.start, b.end)]
        update = _is_update(corpus, (a.article, float(va.low)), (b.article, float(vb.low)))
        if not update and not _differ(va, vb):
            continue  # "at least nine" and "twelve" agree
        return _conflict("number", f"how many: {noun}", sides, update=update)
    return None


def _is_update(corpus: Brief, a: tuple[Article, float], b: tuple[Article, float]) -> bool:
    """The later article gives the larger count: a report that grew, not a disagreement."""
    (early, low), (late, high) = sorted((a, b), key=lambda s: s[0].published or "")
    if not early.published or not late.published:
        return False
    return early.published[:10] < late.published[:10] and high > low


# --- names ---------------------------------------------------------------------------------


def _subject_person(unit: Any, verb: Any) -> tuple[str, int, int, str] | None:
    """(entity id, start, end, name) of the named person who is the verb's subject: the
    subject's span and the person's name as written in it."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects:
        return None
    subject = subjects[0]
    lo, hi = subject.left_edge.idx, subject.right_edge.idx + len(subject.right_edge.text)
    for mention in unit.article.mentions:
        if mention.label == "PERSON" and mention.entity and lo <= mention.start < hi:
            return mention.entity, lo, hi, unit.article.text[mention.start:mention.end]
    return None


def _name_conflict(a: Any, b: Any, verb_a: Any, verb_b: Any) -> Conflict | None:
    pa, pb = _subject_person(a, verb_a), _subject_person(b, verb_b)
    if pa is None or pb is None or pa[0] == pb[0]:
        return None
    names = [set(fold(u.article.text[p[1]:p[2]]).split()) for u, p in ((a, pa), (b, pb))]
    if names[0] <= names[1] or names[1] <= names[0]:
        return None  # "Mahathir" and "Prime Minister Mahathir Mohamad": one person
    if fold(pa[3]).split()[-1:] == fold(pb[3]).split()[-1:]:
        return None  # "Joseph P. Riley" and "Joe Riley": one person, by first name or in full
    if any(_indefinite(c) for verb in (verb_a, verb_b) for c in verb.children
           if c.dep_ == "attr"):
        return None  # "X is a staff writer", "Y is a staff writer": one of many, both true
    objects_a = {c.lemma_ for c in verb_a.children if c.dep_ in ("dobj", "attr")}
    objects_b = {c.lemma_ for c in verb_b.children if c.dep_ in ("dobj", "attr")}
    if objects_a != objects_b or not objects_a:
        return None  # "X ordered the inquiry" and "Y ordered flags lowered" are two facts
    about = f"who {verb_a.text} the {sorted(objects_a)[0]}"
    return _conflict("name", about, [
        Side(a.article.id, a.article.text[pa[1]:pa[2]], a.start, a.end),
        Side(b.article.id, b.article.text[pb[1]:pb[2]], b.start, b.end)])


def _indefinite(noun: Any) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in noun.children)


# --- ages ----------------------------------------------------------------------------------


class Age(NamedTuple):
    """An age given beside a person's name: ``value``; ``start``-``end``, the words giving
    it; ``name``, the name as written there; ``span_start``-``span_end``, the name and the
    age together ("Jeremy Lewis, 27", "26-year-old plumber Jeremy Lewis"): a side of a
    conflict of ages."""

    value: int
    start: int
    end: int
    name: str
    span_start: int
    span_end: int


def ages(article: Article) -> dict[str, Age]:
    """The age each named person is given in ``article``, by entity id. Read next to a full
    name (two words or more: a surname alone may be a relative's): "Jeremy Lewis, 27, of
    Fullerton", "Courtney Aoki (20)" (the sentence's one number in brackets: not a list of
    results), "Lewis, a 26-year-old plumber", "26-year-old construction worker Jeremy Lewis"
    (only nouns and adjectives between the age and the name, and the age describing the
    name's phrase in the parse: not "the 20-year-old shot Jeremy Lewis"). A person given two
    different ages in one article is left out: the article may speak of two people of one
    name (a father and a son), or correct itself."""
    found: dict[str, set[Age]] = defaultdict(set)
    text = article.text
    for mention in article.mentions:
        if mention.label != "PERSON" or not mention.entity:
            continue
        name = text[mention.start:mention.end]
        if len(_name_words(name)) < 2:
            continue
        if not re.search(r"['\u2019]s?$", name):
            after = AGE_AFTER.match(text, mention.end)
            if after:
                group = next(g for g in range(1, 4) if after.group(g))
                value = _age(after.group(group))
                if value is not None and (group != 2 or _one_bracketed(article, mention.end)):
                    found[mention.entity].add(Age(value, after.start(group), after.end(group),
                                                  name, mention.start, after.end(group)))
                    continue
        before = _age_before(article, mention.start)
        if before is not None:
            found[mention.entity].add(Age(*before, name, before[1], mention.end))
    return {entity: min(values) for entity, values in sorted(found.items())
            if len({v.value for v in values}) == 1}


def _one_bracketed(article: Article, at: int) -> bool:
    """Whether the sentence at ``at`` holds fewer than ``RESULTS_LIST`` numbers in brackets
    (more are a list of results, not ages)."""
    sentence = next((s for s in article.sentences if s.start <= at < s.end), None)
    lo, hi = (sentence.start, sentence.end) if sentence else (at, at + 8)
    return len(BRACKETED_NUMBER.findall(article.text, lo, hi)) < RESULTS_LIST


def _name_words(name: str) -> list[str]:
    """A person's name's words, folded, without titles, initials and nicknames in quotes:
    'Mark "Cornbread" Cormier' -> ["mark", "cormier"]."""
    name = re.sub(r"[\"\u201c\u201d][^\"\u201c\u201d]*[\"\u201c\u201d]", " ", name)
    return [w for w in fold(name).replace("\u2019", "'").split()
            if len(w.strip(".")) > 1 and not w.endswith(".") and w[:1].isalpha()]


def _same_name(wa: list[str], wb: list[str]) -> bool:
    """Whether two names as written (their ``_name_words``) can be one person's: one's words
    all in the other ("Edgar Sanchez", "Edgar Sanchez Rios"), or the same first and last
    word. The entities stage may merge a father and a son on their surname; their full names
    tell them apart."""
    if not wa or not wb:
        return False
    return set(wa) <= set(wb) or set(wb) <= set(wa) or (wa[0], wa[-1]) == (wb[0], wb[-1])


def _age(word: str) -> int | None:
    """An age as written: "27", "seven", "Twenty-six"."""
    tens, _, units = word.lower().partition("-")
    value = int(word) if word.isdigit() else (TENS[tens] + WORD_NUMBERS.get(units, 0)) \
        if tens in TENS else WORD_NUMBERS.get(word.lower())
    return value if value is not None and 0 < value <= MAX_AGE else None


def _age_before(article: Article, start: int) -> tuple[int, int, int] | None:
    """"26-year-old construction worker Jeremy Lewis": the age before the name, with at most
    ``AGE_ROLE_WORDS`` nouns or adjectives between them."""
    doc = article.doc
    if doc is None:
        return None
    first = doc.char_span(start, start + 1, alignment_mode="expand")
    if first is None or not len(first):
        return None
    i = first[0].i
    words = 0
    while i > 0 and words <= AGE_ROLE_WORDS:
        token = doc[i - 1]
        if token.lower_ == "old":
            break
        if token.pos_ not in ("NOUN", "ADJ", "PROPN") or not token.is_alpha:
            return None
        words += 1
        i -= 1
    else:
        return None
    old = doc[i - 1]
    found = AGE_BEFORE.search(article.text, max(0, old.idx - 32), old.idx + len(old))
    if found is None or found.end() != old.idx + len(old):
        return None
    # The age must describe the name's phrase in the parse ("old" -> "worker" -> "Lewis"),
    # not be the subject of a verb the tagger took for a noun ("the 20-year-old shot Tom").
    token, steps = old, 0
    while token.i < first[0].i and steps <= AGE_ROLE_WORDS + 1:
        if token.head.i == token.i or token.head.i < old.i:
            return None
        token, steps = token.head, steps + 1
    if token.i < first[0].i:
        return None
    value = _age(found.group(1))
    return None if value is None else (value, found.start(1), found.end(1))


def _ages(corpus: Brief, group_of: dict[str, int]) -> list[Conflict]:
    """Named people given different ages by articles of different outlets: one conflict per
    person, about "how old: <the name as most sides write it>", each article's age a side
    (its span the name and the age). Not a disagreement: a year more in an article published
    over ``BIRTHDAY_DAYS`` after the other (a birthday may have passed), any difference
    between articles more than ``HISTORY_DAYS`` apart, names as written that cannot be one
    person's (``_same_name``), and ages ``NAMESAKE_YEARS`` or more apart (a parent and a
    child of one name, "John Hoffman, 49" and "5-year-old John Hoffman")."""
    given: dict[str, list[tuple[Article, Age, list[str]]]] = defaultdict(list)
    for article in corpus.articles:
        for entity, age in ages(article).items():
            given[entity].append((article, age, _name_words(age.name)))
    conflicts = []
    for _, items in sorted(given.items()):
        involved = {k for (i, (a, x, m)), (j, (b, y, n))
                    in itertools.combinations(enumerate(items), 2)
                    if a.source != b.source and not _copies(a, b, group_of)
                    and 0 < abs(x.value - y.value) < NAMESAKE_YEARS and _same_name(m, n)
                    and not _aged_since((a, x.value), (b, y.value)) for k in (i, j)}
        if not involved:
            continue
        # The articles that agree with a side are sides too (the same age, one person's name).
        involved |= {k for k, (_, x, m) in enumerate(items) if any(
            x.value == items[i][1].value and _same_name(m, items[i][2]) for i in involved)}
        sides = [Side(items[k][0].id, str(items[k][1].value), items[k][1].span_start,
                      items[k][1].span_end) for k in sorted(involved)]
        written = Counter(items[k][1].name for k in involved)
        name = min(written, key=lambda n: (-written[n], n))
        conflicts.append(_conflict("number", f"{AGES_ABOUT}{name}", sides))
    return conflicts


def _aged_since(a: tuple[Article, int], b: tuple[Article, int]) -> bool:
    """Whether two ages (article, age) may both be right: the articles published more than
    ``HISTORY_DAYS`` apart, or the later one a year older and more than ``BIRTHDAY_DAYS``
    later (not younger: no birthday explains that)."""
    (early, young), (late, old) = sorted((a, b), key=lambda x: (x[0].published or "")[:10])
    try:
        apart = (datetime.date.fromisoformat((late.published or "")[:10])
                 - datetime.date.fromisoformat((early.published or "")[:10])).days
    except ValueError:
        return False  # undated: nothing says time has passed
    return apart > HISTORY_DAYS or (old - young == 1 and apart > BIRTHDAY_DAYS)


# --- contradiction -------------------------------------------------------------------------


def _negated(verb: Any) -> bool:
    """Whether the verb is negated: "did not recognize", "never signed", "has yet to sign"."""
    return any(c.dep_ == "neg" or c.lower_ == "never" for c in verb.children) or \
        (verb.head.lemma_ == "yet" and verb.head.head.lemma_ == "have")


def _arguments(verb: Any) -> tuple[str, frozenset[str]] | None:
    """The verb's subject (head lemma) and its objects (lemmas of direct and prepositional
    objects), or None without a subject."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects or subjects[0].pos_ == "PRON":  # "he" in two articles: maybe two people
        return None
    objects = {c.lemma_.lower() for c in verb.children if c.dep_ in ("dobj", "attr", "oprd")}
    objects |= {g.lemma_.lower() for c in verb.children if c.dep_ in ("prep", "dative")
                for g in c.children if g.dep_ == "pobj"}
    return subjects[0].lemma_.lower(), frozenset(objects)


def _contradiction(a: Any, b: Any, verb_a: Any, verb_b: Any) -> Conflict | None:
    """One article says the other's fact did not happen: the same verb with one side negated
    ("China recognized the warrant" / "China did not recognize the warrant"), or antonymous
    verbs ("accepted" / "rejected"), with the same subject and the same objects.

    An earlier "not yet" that a later report says happened ("has not signed" on Monday,
    "signed" on Tuesday) is an update."""
    if verb_a is None or verb_b is None:
        return None
    negated_a, negated_b = _negated(verb_a), _negated(verb_b)
    pair = frozenset((verb_a.lemma_.lower(), verb_b.lemma_.lower()))
    if len(pair) == 1:
        if negated_a == negated_b:
            return None
    elif pair not in ANTONYMS or negated_a != negated_b:
        return None
    args_a, args_b = _arguments(verb_a), _arguments(verb_b)
    if args_a is None or args_a != args_b or (len(pair) == 1 and not args_a[1]):
        return None
    sides = [Side(u.article.id, _verb_phrase(verb), u.start, u.end)
             for u, verb in ((a, verb_a), (b, verb_b))]
    update = False
    if len(pair) == 1:
        (early, early_negated), (late, _) = sorted(
            ((a.article, negated_a), (b.article, negated_b)),
            key=lambda s: s[0].published or "")
        update = bool(early.published and late.published
                      and early.published[:10] < late.published[:10] and early_negated)
    positive = verb_b if negated_a else verb_a
    subject = next(c for c in positive.children if c.dep_ in ("nsubj", "nsubjpass"))
    objects = [c for c in positive.children if c.dep_ in ("dobj", "attr", "oprd")]
    about = " ".join(["whether", *(t.text for t in subject.subtree if t.dep_ in (
        "compound", "amod") or t == subject), positive.text,
        *(t.text for t in objects[0].subtree if t.dep_ == "compound" or t == objects[0])
        ] if objects else ["whether", subject.text, positive.text])
    return _conflict("contradiction", about, sides, update=update)


def _verb_phrase(verb: Any) -> str:
    """The verb with its auxiliaries and negation ("did not recognize")."""
    parts = [c for c in verb.children if c.dep_ in ("aux", "auxpass", "neg")
             or c.lower_ == "never"] + [verb]
    return " ".join(t.text for t in sorted(parts, key=lambda t: t.i))


def rejected(conflict: Conflict, rejections: Iterable[Rejection]) -> bool:
    """Whether a person rejected ``conflict``: each of its sides overlaps a span of one
    rejected conflict in the same article. Read before the near-copies are added as sides, so
    a reprint arriving later does not bring a rejected conflict back. A person's age and what
    a clause says are different things: a rejected conflict of ages (by its ``about``)
    rejects no conflict of the clause it sits in, nor the other way round; a rejection made
    of spans alone (no ``about``) rejects any conflict on them."""
    sides = [Span(s.article, s.start, s.end) for s in conflict.sides]
    return any(r.kind == "conflict" and r.covers(sides)
               and (not r.about or of_ages(r.about) == of_ages(conflict.about))
               for r in rejections)


# --- assembling ----------------------------------------------------------------------------


def _conflict(kind: str, about: str, sides: list[Side], update: bool = False) -> Conflict:
    sides = sorted(sides, key=lambda s: (s.value, s.article))
    # A conflict of ages is hashed apart: its sides may start where a clause's conflict's do
    # ("Jeremy Lewis, 27, was shot three times" / "…, 26, was shot four times": two conflicts).
    return Conflict(content_hash("conflict", kind, *topic_of(about),
                                 *(f"{s.article}:{s.start}" for s in sides)),
                    kind, about, sides, None, update)


def _add_copies(corpus: Brief, conflicts: list[Conflict]) -> list[Conflict]:
    """Each side's near-copies say the same: add them as sides of their own."""
    by_id = {a.id: a for a in corpus.articles}
    for conflict in conflicts:
        extra = []
        for side in conflict.sides:
            for group in corpus.near_copies:
                if side.article not in group:
                    continue
                text = by_id[side.article].text[side.start:side.end]
                for other in group:
                    at = by_id[other].text.find(text) if other != side.article else -1
                    if at >= 0 and all(s.article != other for s in conflict.sides):
                        extra.append(Side(other, side.value, at, at + len(text)))
        conflict.sides.extend(extra)
        conflict.sides.sort(key=lambda s: (s.value, s.article))
    return conflicts
