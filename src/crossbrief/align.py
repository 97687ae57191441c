"""Alignment across articles: near-copies and the quote matrix.

- **Near-copies.** Wire stories are reprinted with a new headline and a sentence added; such
  articles are not independent sources. Two articles are near-copies when most of the
  shorter one's word 5-grams (shingles) also occur in the other (``COPY_CONTAINMENT``).
  Groups of near-copies are listed on ``Brief.near_copies`` (article ids, oldest first).
- **Quote matrix.** The same quotation carried by several articles, whole or in part, with
  the same words or slightly different ones. Quotes are matched on folded text (quotes,
  dashes and case ignored): a quote whose words lie inside another's is a *partial* of it
  ("journey of friendship" within "journey of friendship, cooperation and peace"); quotes
  whose words are nearly the same but not contained are flagged *reworded*. Each group on
  ``Brief.quote_groups`` names its speaker and every article carrying it.

Tunable thresholds sit together below.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from .clean import fold, is_caption
from .config import Settings
from .extract.dates import DONE, PLAN, guessed_anchor, verb_mood
from .extract.speech import FINITE_TAGS
from .model import (
    Article,
    Brief,
    Claim,
    Evidence,
    Quote,
    QuoteGroup,
    QuoteRef,
    Rejection,
    Span,
    content_hash,
    overlap_counter,
    span_lookup,
)

# Reporting verbs: the fact is in their complement ("…, the fire service said").
REPORTING = frozenset({"say", "tell", "report", "announce", "add", "state", "confirm",
                       "claim", "write", "note"})
# Numbers written as words and scale words, read by ``read_number`` (here and in conflicts,
# which imports this module: kept here so that neither imports the other back).
WORD_NUMBERS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
SCALES = {"thousand": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9,
          "trillion": 1e12, "tn": 1e12}


# Word n-gram length for near-copy shingles: long enough that shared stock phrases ("said
# on Tuesday that the") do not make two independent reports look copied.
SHINGLE_WORDS = 5
# Share of the shorter article's shingles found in the other for the two to be near-copies.
# Not fitted. GVA effect (benchmarks/gva_ablation.py, 842 stories): 42 stories with near
# copies at 0.6, 54 at 0.4, 37 at 0.8, with no change in the stated casualty counts or the
# conflicts; 0.6 sits between a rewrite of wire copy (kept apart) and a reprint with a new
# top paragraph (merged).
COPY_CONTAINMENT = 0.6
# A quote shorter than this many words is matched only when identical (scare quotes such as
# "fair" would otherwise join every quote containing the word).
MIN_PARTIAL_WORDS = 3
# Similarity (rapidfuzz ratio on folded words) from which two quotes are one, reworded.
REWORDED_RATIO = 85


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[tuple[str, ...]]:
    words = fold(text).split()
    return {tuple(words[i:i + size]) for i in range(max(0, len(words) - size + 1))}


def find_near_copies(articles: list[Article]) -> list[list[str]]:
    """Groups of article ids whose texts are near-copies of each other."""
    sets = {a.id: shingles(a.text) for a in articles}
    parent = {a.id: a.id for a in articles}

    def root(i: str) -> str:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    ids = [a.id for a in articles]
    for n, first in enumerate(ids):
        for second in ids[n + 1:]:
            a, b = sets[first], sets[second]
            if not a or not b:
                continue
            if len(a & b) / min(len(a), len(b)) >= COPY_CONTAINMENT:
                parent[root(second)] = root(first)
    groups: dict[str, list[str]] = {}
    for article in sorted(articles, key=lambda a: (a.published or "", a.id)):
        groups.setdefault(root(article.id), []).append(article.id)
    return [g for g in groups.values() if len(g) > 1]


# Quotes of one article taken into the quote matrix, from its start: each is compared with
# every group found so far (quadratic); a news article has a few dozen.
MAX_ARTICLE_QUOTES = 300


def _words(text: str) -> str:
    return " ".join(fold(text).split())


def _contains(longer: str, shorter: str) -> bool:
    """Whether ``shorter`` is a run of whole words of ``longer`` (both folded by _words)."""
    return f" {shorter} " in f" {longer} "


def match_quotes(corpus: Brief) -> list[QuoteGroup]:
    """The quote matrix: each quotation with every article that carries it."""
    entries = [(article, quote, _words(article.text[quote.start:quote.end]))
               for article in corpus.articles for quote in article.quotes[:MAX_ARTICLE_QUOTES]]
    entries = [e for e in entries if e[2]]
    # Longest first, so each group is anchored on its fullest version.
    entries.sort(key=lambda e: (-len(e[2]), e[0].id, e[1].start))
    groups: list[list[tuple[Article, Quote, str, bool, bool]]] = []
    for article, quote, words in entries:
        placed = False
        for group in groups:
            anchor = group[0][2]
            if words == anchor or (len(words.split()) >= MIN_PARTIAL_WORDS
                                   and _contains(anchor, words)):
                group.append((article, quote, words, words != anchor, False))
                placed = True
                break
            if len(words.split()) >= MIN_PARTIAL_WORDS and \
                    fuzz.ratio(words, anchor) >= REWORDED_RATIO:
                group.append((article, quote, words, False, True))
                placed = True
                break
        if not placed:
            groups.append([(article, quote, words, False, False)])
    result = []
    for group in groups:
        if len({article.id for article, *_ in group}) < 2:
            continue  # the matrix is about what several outlets carry
        # The wording most articles carry is the quote; the others are partial or reworded.
        counts = Counter(words for _, _, words, partial, _ in group if not partial)
        canonical = max(counts, key=lambda w: (counts[w], len(w)))
        anchor_article, anchor_quote, *_ = next(e for e in group if e[2] == canonical)
        text = anchor_article.text[anchor_quote.start:anchor_quote.end]
        speakers = Counter(q.speaker for _, q, *_ in group if q.speaker)
        refs = []
        for a, q, words, _, _ in group:
            partial = words != canonical and any(
                _contains(other, words) for _, _, other, *_ in group if other != words)
            reworded = words != canonical and not _contains(canonical, words)
            refs.append(QuoteRef(article=a.id, quote=q.id, start=q.start, end=q.end,
                                 partial=partial, reworded=reworded and not partial))
        result.append(QuoteGroup(
            id=content_hash("quote-group", _words(text)),
            text=text.strip(" ,.;:"),
            speaker=speakers.most_common(1)[0][0] if speakers else None,
            refs=sorted(refs, key=lambda r: (r.partial, r.reworded, r.article, r.start)),
        ))
    result.sort(key=lambda g: (-len({r.article for r in g.refs}), g.text))
    return result


def align(corpus: Brief) -> Brief:
    """Set ``corpus.near_copies`` and ``corpus.quote_groups``."""
    corpus.near_copies = find_near_copies(corpus.articles)
    corpus.quote_groups = match_quotes(corpus)
    return corpus


# --- claims --------------------------------------------------------------------------------
#
# A *unit* is one clause of one sentence: sentences carrying several facts are split at
# semicolons, at coordinated clauses with their own subject ("X met Y, and Z said …") and
# before a closing non-restrictive relative clause (", which killed nine people …", read
# with the noun it describes). Units of different articles are scored pairwise and grouped by
# average linkage, at most one unit per article in a group; each group is a claim.

# A unit shorter than this many words stays part of its neighbour (no one-word claims).
MIN_UNIT_WORDS = 4
# Sentences shorter than this are headings, captions or datelines, not claims.
MIN_SENTENCE_WORDS = 5
# Longer sentences that are still no claim (``sentence_kind``). Not fitted: rules, each read
# against what it drops (benchmarks/claim_candidates.py prints it) on real coverage, 2026-11-29:
# of the candidate sentences of the first 60 GVA dev gold stories of two or more articles
# (3,785), 43 captions (1.1 %: all 43 read are captions) and 184 fragments (4.9 %) go; of the
# first 50 fragments read, 43 state no fact (datelines, credits, contact and share lines,
# quotations cut short) and 7 do, as headlines run into the text ("Four shot at the Spartan
# Landing Apartments in Tulsa, Feb. 21, 2013") or with a typo. Of the first 5 DUC 2004
# clusters (1,177, agency copy): no caption, 5 fragments (0.4 %), 4 of them real sentences the
# tagger misread. The claim scorer's SCU suite and the GVA conflicts suite (tests/test_quality)
# stay above their floors with the rules (checked with them applied to conflicts too; conflicts
# now read every sentence, as before).
# - a *caption*: a photo or video credit in it ("(Photo: CPA)", "AP Photo/Jane Doe", "Photo by
#   …", "Getty Images"). Captions describe a picture the reader cannot see, often with the
#   day it was taken, and outlets sharing wire photos share them word for word: kept, they made
#   corroborated "claims" and timeline events out of picture credits.
# - a *fragment*: no finite verb ("KUTV (CBS) SALT LAKE CITY -", "February 7, 2013 5:40 PM",
#   "Contact Jessica Parks at 610-313-8117", a headline run into the text). A statement of
#   fact needs a tensed verb; what has none is a dateline, a byline, a contact line, a list of
#   names or a heading. The cost is the tagger's misreadings: a real sentence whose verb it
#   tags as a noun or adjective ("Mahathir, 72, underwent heart bypass surgery") is lost.
# - a *heading*: the last sentence of its paragraph with no full stop, question or exclamation
#   mark to close it (nor one before its closing quotation marks or brackets): a headline, a
#   list of bullet points above the story ("Slain officer was married with two children"), a
#   picture's caption with its label ("Ambushed: Jeremy Lewis, of Fullerton, was carjacked and
#   shot dead early on Tuesday in California"), a video's title ("Feb. 12, 2013 - Utah House
#   Shooting: 3 dead, 1 wounded at home in Salt Lake suburb, police say"), a widget's line
#   ("Also on HuffPost:"). A news paragraph closes with its sentence's mark; pages that drop
#   it drop it on their furniture. Read on ten real stories (2026-12-02, BENCHMARKS.md
#   "Summary and claims read on ten more real stories") and measured with
#   benchmarks/claim_candidates.py (docs/brief.md).
#   A mark followed by a reference's footnote marks closes a sentence too ("… were injured in
#   the incident.[1][2][6]", "….[31]", "….[dead link]").
#   An ellipsis ("…", U+2026, or "[…]") closes one as its full stop does ("… and he was never
#   seen again…"; review of 2026-12-02). Headings have no cap on their length: of the 125
#   headings of the benchmark below, 62 have over 15 words, 42 of them with a label's colon
#   (the Daily Mail's "Label: caption", weather alerts, "Posted:" lines) and about 11 of the
#   62 text that lost its full stop, so a cap would make far more furniture candidates than
#   it would recover text.
# - a *credit* of the reporters: "Staff Writer Irma Widjojo contributed to this article.",
#   "Tribune reporter Naomi Nix contributed.", "The Associated Press contributed to this
#   report." (88 such lines on the GVA dev stream's pages, none in DUC 2004): who wrote, not
#   what happened. "contributed to this report / article / story", "contributed reporting", or
#   a bare "contributed" after a reporter's word (staff, writer, reporter, photographer …) or
#   a news outlet's ("Associated Press", "Chicago Tribune's Jasper Craven contributed."). A
#   name alone before it is no sign: "Both Apple and Google contributed.", "…, of which the
#   Gates Foundation contributed." (review of 2026-12-02); of the GVA dev stream's 18 short
#   lines closing with a bare "contributed", 17 keep their credit, not "Jessica Masulli Reyes
#   contributed.".
CREDIT = re.compile(
    r"(?:\bcontributed\s+(?:reporting\s+)?to\s+(?:this|the)\s+(?:report|article|story|coverage)"
    r"|\bcontributed\s+reporting"
    r"|(?:\b(?i:staff|writers?|reporters?|correspondents?|photographers?|editors?"
    r"|journalists?|producers?|interns?|wire services?)\b|\b(?:Associated Press|AP|Reuters|AFP"
    r"|Tribune|Times|Post|Press|News|Herald|Journal|Wire)\b)[^.!?]*\bcontributed)\W*$")
# Credits are short: a longer sentence ending so tells what someone gave.
CREDIT_MAX_WORDS = 25
_TERMINATED = re.compile(r"[.!?…][\"'”’)\]]*(?:\[[^\[\]]{1,20}\])*\s*$")
CAPTION = re.compile(
    r"\((?:photo|image|picture|video|credit)s?\b[^)]*\)"
    r"|^\W*(?:file\s+)?(?:photo|image|picture|video)s?\s*(?::|by\b)"
    r"|\b(?:AP|AFP|EPA|Reuters|Getty)\s*(?:/\s*)?(?:Photo|Images)\b"
    r"|\b(?:photo|image|picture)s?\s+(?:by|courtesy of|credit)\b",
    re.IGNORECASE)
# A word of a clause, for whether it is all quoted (``_all_quoted``).
_WORD = re.compile(r"[^\W_]+")
# Clauses of one article taken into claims, from its start: every pair of clauses in the
# story is scored (n² time; the memory is bounded, ``kept_scores``), and a news article has a
# few hundred at most; a 5 MB text, some 40,000, would take hours.
MAX_ARTICLE_UNITS = 1000
# Which pairs of clauses state the same claim is decided by a logistic scorer fitted on real
# coverage labelled by others (the DUC 2006 SCU-marked corpus; benchmarks/scu.py --fit), with
# its thresholds: its weights, the data, the method and the cross-validated effect are in
# data/claims.json (``claim_model``). Scores are probabilities, rounded to SCORE_DECIMALS
# before any decision.
SCORE_DECIMALS = 3
# A single-source claim must be specific (name a number, a date or an entity) and reported
# rather than editorialised (not among the article's ``opinionated_sentences``: the opinion
# stage's own decision, at its fitted threshold, the one the reader sees) to be listed as a fact.
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
NUMBER_LABELS = frozenset({"CARDINAL", "MONEY", "QUANTITY", "PERCENT"})


@dataclass
class Unit:
    """A clause of one article, with what the scorer compares."""

    article: Article
    start: int
    end: int
    sentence: int
    context: str  # the words the encoder reads: the clause, plus its noun for a relative
    words: frozenset[str] = frozenset()
    entities: frozenset[str] = frozenset()
    numbers: int = 0
    dates: int = 0
    # The specifics, normalised: number words as written (folded), calendar dates.
    number_values: frozenset[str] = frozenset()
    date_values: frozenset[str] = frozenset()
    # ``words`` less the words of its numbers and dates, which count once, as the number or
    # the date (``shared_specifics``); None until described.
    specific_words: frozenset[str] | None = None
    negated: bool = False
    root: str = ""  # lemma of the clause's main word
    # Each number and date the clause states with the verb it belongs to: (the verb's
    # lemma, "number" or "date", the value, whether it is the verb's own argument, directly
    # or through a preposition, rather than a noun's that the verb governs). A date resting
    # on the story's anchor is a guess, its value UNKNOWN_DAY (``_guessed_day``); a date's
    # value may carry marks: one end of an open period, a part of the day (``_anchored``).
    anchored: frozenset[tuple[str, str, str, bool]] = frozenset()
    # A proposition embedded in a noun phrase ("the plan that Xi proposed last month" inside
    # "Putin praised the plan that Xi proposed last month"): it may only support a claim other
    # articles state, never make one or a conflict of its own.
    embedded: bool = False
    # Every word of it inside quotation marks (``_all_quoted``; marked for the claims only):
    # it is in the scoring and the grouping, as every clause, but no claim's wording or
    # support.
    quoted: bool = False
    # The specifics (``_specific_items``) it states only inside its main word's subject, or
    # in its main word when that is a verb of saying with an active subject ("Cabana" and
    # "say" in "“…,” Cabana said"), less numbers, dates and numeric words (``_subject_items``):
    # two clauses sharing these and nothing else say two things of one actor
    # (``subject_only``).
    subject_items: frozenset[str] = frozenset()
    # The mood of its main word (``extract.dates.verb_mood``: "plan", "done" or "" for
    # unknown), with a verb of saying that of what is said ("NASA said Currie would reach
    # the module": a plan): a plan and a report that it happened are two facts
    # (``moods_differ``).
    mood: str = ""
    # Its spaCy tokens, once a stage has read them (conflicts._tokens): kept for the stage's
    # other reads of the same clause.
    tokens: list[Any] | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        return self.article.text[self.start:self.end]


def split_units(article: Article, *, claims: bool = False) -> list[Unit]:
    """The clauses of ``article``'s sentences (needs the parsed ``doc``). With ``claims``,
    only of the sentences that can state a claim: no caption or fragment (``sentence_kind``),
    and those clauses all of whose words are inside quotation marks marked ``quoted``.
    The conflicts stage reads every sentence: a caption's date may still contradict another
    article's (the seed story's "during their 3/20/23-3/21/23 summit" photo caption)."""
    doc = article.doc
    units: list[Unit] = []
    quoted = _all_quoted(article) if claims else _quoted_never
    for number, sentence in enumerate(article.sentences):
        if len(units) >= MAX_ARTICLE_UNITS:
            break
        text = article.text[sentence.start:sentence.end]
        if len(text.split()) < MIN_SENTENCE_WORDS:
            continue
        span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand") \
            if doc is not None else None
        if claims and sentence_kind(article, number, span) is not None:
            continue
        pieces, embedded = _sentence_parts(span) if span is not None else \
            ([(sentence.start, sentence.end, "")], [])
        for start, end, prefix in pieces:
            units.append(Unit(article, start, end, number,
                              f"{prefix} {article.text[start:end]}".strip(),
                              quoted=quoted(start, end)))
        for start, end in embedded:
            units.append(Unit(article, start, end, number, article.text[start:end],
                              embedded=True, quoted=quoted(start, end)))
    _describe(article, units)
    return units


def _quoted_never(start: int, end: int) -> bool:
    """No clause marked ``quoted`` (outside the claims, the mark is not read)."""
    return False


def _all_quoted(article: Article) -> Callable[[int, int], bool]:
    """Whether every word of ``article.text[start:end]`` is between an opening and a
    closing double quotation mark (the quotes stage's pairing, ``find_quote_spans``): a
    clause or sentence of quoted words only, none of the reporter's own (a list of chants,
    “No justice, no peace!” “Hands up!”, or a quotation's first sentences before its cue),
    states no claim of the outlet's. A sentence with a clause outside its quotation keeps
    that clause: the claim is worded from it."""
    from .extract.quotes import find_quote_spans

    # Quotations between two double marks only: a single mark is also an apostrophe, and a
    # quotation missing a mark ends where the pairing guesses; either read wrong takes a
    # reporter's sentence for a quotation (a DUC 2004 wire's "“But we would … honor his
    # contract.' Russ Granik, NBA deputy commissioner, said …").
    inside = overlap_counter([(q.start, q.end) for q in find_quote_spans(article.text)
                              if q.open_mark and q.close_mark and not q.single])

    def all_quoted(start: int, end: int) -> bool:
        words = [w.span() for w in _WORD.finditer(article.text, start, end)]
        return bool(words) and all(inside(a, b) >= b - a for a, b in words)

    return all_quoted


def _sentence_parts(span: Any) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]]]:
    """``_clauses`` and ``_embedded`` of a sentence's span, kept on its Doc: the claims and
    conflicts stages split the same sentences, and both depend on the parse alone."""
    kept = span.doc.user_data.setdefault("crossbrief_clauses", {})
    key = (span.start, span.end)
    if key not in kept:
        kept[key] = (_clauses(span), _embedded(span))
    return kept[key]  # type: ignore[no-any-return]


def sentence_kind(article: Article, number: int, sent: Any = None) -> str | None:
    """"caption", "fragment", "heading" or "credit" when sentence ``number`` of ``article``
    is no candidate claim (see :data:`CAPTION`, :data:`FINITE_TAGS`, :data:`_TERMINATED` and
    :data:`CREDIT`), else None. ``sent`` is its spaCy span
    (found in ``article.doc`` when not given; without a parse only captions are found). A
    bracketed credit as the next sentence of its paragraph ("… in Herkimer. (Photo: Brett
    Carlsen)", or a bare one the summary reads as a caption's, ``clean.is_caption``: "… in
    Vallejo on February 11, 2013. (CBS)") makes it a caption too."""
    sentence = article.sentences[number]
    text = article.text[sentence.start:sentence.end]
    after = article.sentences[number + 1] if number + 1 < len(article.sentences) else None
    ends_paragraph = after is None or after.paragraph != sentence.paragraph
    following = article.text[after.start:after.end].lstrip() \
        if after is not None and not ends_paragraph else ""
    if CAPTION.search(text) or (following.startswith("(") and (
            CAPTION.match(following) or is_caption(f"{text} {following}"))):
        return "caption"
    if sent is None and article.doc is not None:
        sent = article.doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
    if sent is not None and not any(_finite(t) for t in sent):
        return "fragment"
    if ends_paragraph and not _TERMINATED.search(text):
        return "heading"
    if len(text.split()) <= CREDIT_MAX_WORDS and CREDIT.search(text):
        return "credit"
    return None


def _finite(token: Any) -> bool:
    """Whether ``token`` is a finite verb; a base form with its own subject counts too: the
    tagger reads some present plurals as base forms ("The exiles stand daily outside …")."""
    return (token.tag_ in FINITE_TAGS or "Fin" in token.morph.get("VerbForm")
            or (token.tag_ == "VB" and any(c.dep_ in ("nsubj", "nsubjpass")
                                           for c in token.children)))


def _clauses(sent: Any) -> list[tuple[int, int, str]]:
    """(start, end, context prefix) of each clause of a spaCy sentence span."""
    doc = sent.doc
    cuts: dict[int, str] = {}
    last = sent.end - 1
    while last > sent.start and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    # A semicolon parts two clauses only when each side states one, with a finite verb of
    # its own: in a list ("Omar P. Jarman, 35; Shontay N. Young, 34; and Danielle B. Lucero,
    # 26, died in the shooting."; "… the famine: electricity supplied to half the capital; the
    # elderly looking swollen; a generation of children stunted.") the items are no claims.
    semicolons = [t.i for t in sent if t.text == ";" and t.i + 1 < sent.end]
    stretches = list(zip([sent.start, *(i + 1 for i in semicolons)], [*semicolons, sent.end],
                         strict=True))
    stated = [any(_finite(t) for t in doc[a:b]) for a, b in stretches]
    for n, i in enumerate(semicolons):
        if stated[n] and stated[n + 1]:
            cuts[i + 1] = ""
    for token in sent:
        if token.text == ";":
            continue
        elif (token.dep_ == "conj" and token.pos_ in ("VERB", "AUX")
              and token.head.dep_ == "ROOT"
              and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in token.children)):
            # "…, nor have officials released the names": the clause keeps its "nor", the
            # negation it states ("have officials released the names" says the opposite).
            first = token.left_edge.i
            cuts[first - 1 if first - 1 > sent.start and doc[first - 1].lower_ == "nor"
                 else first] = ""
        elif (token.dep_ == "relcl" and token.left_edge.i > sent.start + 1
              and doc[token.left_edge.i - 1].text == "," and token.right_edge.i >= last):
            head = token.head
            cuts[token.left_edge.i] = doc[head.left_edge.i:head.i + 1].text \
                if head.left_edge.i < token.left_edge.i else head.text
    bounds = sorted(i for i in cuts if sent.start < i < sent.end)
    pieces: list[tuple[int, int, str]] = []
    starts = [sent.start, *bounds]
    for n, first in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else sent.end
        tokens = [t for t in doc[first:stop]]
        while tokens and (tokens[0].is_punct or tokens[0].is_space
                          or (tokens[0].dep_ == "cc" and tokens[0].lower_ != "nor")):
            tokens.pop(0)
        while tokens and (tokens[-1].is_space or tokens[-1].text in {",", ";", "and", "but"}):
            tokens.pop()
        if not tokens:
            continue
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        words = sum(1 for t in tokens if not t.is_punct)
        if pieces and words < MIN_UNIT_WORDS:
            pieces[-1] = (pieces[-1][0], end, pieces[-1][2])
            continue
        pieces.append((start, end, cuts.get(first, "")))
    from .nlp import doc_text  # doc.text joins every token again: once per sentence is n²

    if len(pieces) > 1 and len(doc_text(doc)[pieces[0][0]:pieces[0][1]].split()) \
            < MIN_UNIT_WORDS:
        pieces[1] = (pieces[0][0], pieces[1][1], pieces[0][2])
        pieces.pop(0)
    return pieces or [(sent.start_char, sent.end_char, "")]


def _embedded(sent: Any) -> list[tuple[int, int]]:
    """(start, end) of the noun phrases of a sentence that carry a fact of their own: a noun
    with a restrictive relative clause that has its own subject ("the peace plan that
    President Jinping proposed last month") or a passive participle with its agent ("the peace
    plan put forward by China")."""
    found = []
    for token in sent:
        head = token.head
        if head.pos_ not in ("NOUN", "PROPN") or token.i <= head.i:
            continue
        if token.dep_ == "relcl":
            subjects = [c for c in token.children if c.dep_ in SUBJECT_DEPS]
            if not subjects or any(c.tag_ in ("WDT", "WP") or c.lower_ == "that"
                                   for c in subjects):
                continue
            if sent.doc[token.left_edge.i - 1].text == ",":  # non-restrictive: a clause already
                continue
        elif not (token.dep_ == "acl" and token.tag_ == "VBN"
                  and any(c.dep_ == "agent" for c in token.children)):
            continue
        first, last = head.left_edge, token.right_edge
        while last.i > first.i and (last.is_punct or last.is_space):
            last = sent.doc[last.i - 1]
        if last.i - first.i + 1 >= MIN_UNIT_WORDS:
            found.append((first.idx, last.idx + len(last.text)))
    return found


def _describe(article: Article, units: list[Unit]) -> None:
    """Fill each unit's content words, entities and counts of numbers and dates."""
    doc = article.doc
    mentions = sorted(article.mentions, key=lambda m: m.start)
    starts = [m.start for m in mentions]
    dated = sorted((d for d in article.dates if d.value), key=lambda d: d.start)
    date_starts = [d.start for d in dated]
    for unit in units:
        # The mentions starting inside the unit, by bisection (a scan of all of them for
        # every unit was quadratic in the article's length).
        inside = [m for m in mentions[bisect.bisect_left(starts, unit.start):
                                      bisect.bisect_left(starts, unit.end)]
                  if m.end <= unit.end]
        named = [m for m in inside if m.entity]
        entities = frozenset(m.entity for m in named if m.entity)  # (typed: not None)
        covered = tuple((m.start, m.end) for m in named)
        words, unit.negated, unit.root = _parse_features(doc, unit.start, unit.end, covered) \
            if doc is not None else (set(), False, "")
        # Built as a set, then frozen, as before: a set's iteration order depends on how it
        # was built, and sums over these words must add in the same order.
        unit.words = frozenset(words | {f"@{e}" for e in entities})
        unit.entities = entities
        numbers = [m for m in inside if m.label in NUMBER_LABELS]
        unit.numbers = len(numbers)
        unit.number_values = frozenset(fold(article.text[m.start:m.end]) for m in numbers)
        in_dates = [d for d in dated[bisect.bisect_left(date_starts, unit.start):
                                     bisect.bisect_left(date_starts, unit.end)]
                    if d.value and d.end <= unit.end]
        dates = [d.value for d in in_dates if d.value]
        unit.dates = len(dates)
        unit.date_values = frozenset(dates)
        unit.specific_words = _words_outside(
            doc, unit, covered + tuple((m.start, m.end) for m in numbers)
            + tuple((d.start, d.end) for d in in_dates), entities)
        if doc is not None:
            unit.subject_items = _subject_items(doc, unit, named,
                                                numbers, in_dates)
            unit.mood = _mood(doc, unit)
            date_tokens = frozenset(
                t.i for d in in_dates
                if (s := doc.char_span(d.start, d.end, alignment_mode="expand")) is not None
                for t in s)
            unit.anchored = frozenset(
                [a for m in numbers
                 if (a := _anchored(doc, m.start, m.end, "number",
                                    fold(article.text[m.start:m.end]))) is not None]
                + [a for d in in_dates if d.value
                   and (a := _anchored(doc, d.start, d.end, "date",
                                       _date_value(d.reason, d.value),
                                       date_tokens)) is not None])


# The dependency labels of a clause's subject (spaCy's English scheme): nominal subjects,
# active and passive.
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


def _subject_items(doc: Any, unit: Unit, named: list[Any], numbers: list[Any],
                   in_dates: list[Any]) -> frozenset[str]:
    """The unit's specifics (words, entities, numbers, dates) that occur only inside the
    subject of its main word (with the main word itself when it is a verb of saying,
    :data:`REPORTING`, with an active subject), read from the parse, less its numbers, dates
    and numeric words (an age or a count in the subject is part of what is stated: "Officer
    James Carter, 34, died" / "…, 34, was pronounced dead"); empty when the main word has no
    nominal subject or the unit states nothing outside it ("“We will be back,” Mayor Tom
    Hale said": no doing of its own to tell apart from another's)."""
    span = doc.char_span(unit.start, unit.end, alignment_mode="expand")
    if span is None or not len(span):
        return frozenset()
    heads = [child for child in span.root.children if child.dep_ in SUBJECT_DEPS]
    subject = [t for child in heads for t in child.subtree]
    if not subject:
        return frozenset()
    # A verb of saying goes with its subject: "Cabana said" is who said it, not what. Not a
    # passive one: "12 deaths were reported" says the deaths, not who reported them.
    if span.root.lemma_.lower() in REPORTING and any(c.dep_ == "nsubj" for c in heads):
        subject.append(span.root)
    inside = span_lookup(sorted({(t.idx, t.idx + len(t)) for t in subject}))
    outside: set[str] = {f"@{m.entity}" for m in named if not inside(m.start)}
    outside |= {_number_item(fold(unit.article.text[m.start:m.end])) for m in numbers
                if not inside(m.start)}
    outside |= {_date_item(d.value) for d in in_dates if not inside(d.start)}
    skip = span_lookup([(m.start, m.end) for m in named + numbers]
                       + [(d.start, d.end) for d in in_dates])
    outside |= {t.lemma_.lower() for t in span
                if not inside(t.idx) and not skip(t.idx) and _content_token(t)}
    if not outside:
        return frozenset()
    return frozenset(item for item in _specific_items([unit])[0] - outside
                     if not item.startswith((NUMBER_ITEM, DATE_ITEM))
                     and (item.startswith("@") or not _numeric_word(item)))


def _mood(doc: Any, unit: Unit) -> str:
    """The mood of the unit's main word (``verb_mood``); when that word is a verb with a
    clause as its complement (ccomp: what is said, warned, believed), that clause's:
    "officials said the bridge would close" and "the mayor warned that the bridge would
    close" foretell the closing, as "the bridge will close" does; "officials said the
    bridge closed" reports it."""
    span = doc.char_span(unit.start, unit.end, alignment_mode="expand")
    if span is None or not len(span):
        return ""
    verb = span.root
    said = [c for c in verb.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")
            and unit.start <= c.idx < unit.end]
    if said:
        verb = said[0]
    return verb_mood(verb)


# Marks on a date's value in ``Unit.anchored`` (``_anchored``, read by ``_days_meet``): a day
# that is a guess (meets any day); one end of an open period ("by March": every day up to
# its end; "since 2019": every day from its start); a day a part-of-day word qualifies ("late
# Sunday" in one time zone is "early Monday" in another: a day of slack).
UNKNOWN_DAY = "?"
UP_TO, FROM_ON, PART_OF_DAY = "<", ">", "~"
# A written month and day whose year is the story anchor's guess (``_date_value``).
YEAR_GUESSED = "*"
# Prepositions that give a date as one end of an open period: a clause stating only that end
# says nothing of the days on the other side ("will close by March 2024" meets "on February
# 20, 2024"). A lone "from" opens a period too; its "to" end, when written, closes it (the
# clause's dates on one verb read as a span).
OPEN_BEFORE = frozenset({"by", "before", "until", "till", "til", "through", "thru"})
OPEN_AFTER = frozenset({"after", "since", "from"})
# Words that place an event in part of a day: the day it is reported on depends on the
# reporter's time zone, so two such dates a day apart may be one moment.
PART_OF_DAY_WORDS = frozenset({"late", "early", "night", "overnight", "morning", "evening",
                               "midnight", "tonight", "afternoon"})


def _date_value(reason: str, value: str) -> str:
    """A date's value as the veto compares it: :data:`UNKNOWN_DAY` for a guess
    (``_guessed_day``), except a day whose month and day are written and whose year alone
    rests on the story's anchor ("March 20th" in an undated article): its month and day are
    known, so it is kept, marked :data:`YEAR_GUESSED` with the year set to a leap year, and
    compared only with days marked alike (``_days_meet``): two written days differ whatever
    year they are in, and "March 20" guessed in 2022 meets "March 20" read in 2023."""
    if not _guessed_day(reason):
        return value
    if reason.startswith(("explicit month and day, year from",
                          "explicit month and days, year from")) \
            and re.fullmatch(r"\d{4}-\d{2}-\d{2}(?:/\d{4}-\d{2}-\d{2})?", value):
        return YEAR_GUESSED + "/".join(f"2000{part[4:]}" for part in value.split("/"))
    return UNKNOWN_DAY


def _guessed_day(reason: str) -> bool:
    """Whether a date rests on an undated article's anchor (its "Monday", or its "March 20"
    whose year is taken from the latest date anywhere in the story, or from the day before
    a day it speaks of in the future tense: ``dates._future_bound``): a guess (the day may
    be written, the year is not). Only an anchor that is the article's publication date is
    known."""
    return guessed_anchor(reason) or (
        _ANCHOR.search(reason) is not None and "(publication date)" not in reason)


# How a date's reason names its anchor (``dates._Context.anchored``: "anchor 2023-03-21 (…)").
_ANCHOR = re.compile(r"\banchor \d{4}-\d{2}-\d{2}")


def _anchored(doc: Any, start: int, end: int, kind: str, value: str,
              dates: frozenset[int] = frozenset()) -> tuple[str, str, str, bool] | None:
    """(lemma of the verb a number or a date at ``start:end`` belongs to, ``kind``,
    ``value``, whether it is the verb's own argument): the first verb up its syntactic
    heads; None when none is (a number in a verbless heading). The walk passes through
    prepositions and through the tokens of other dates (``dates``: the first end of "between
    May 3 and May 9") without leaving the verb's own arguments. A date's value is marked
    (:data:`UP_TO`, :data:`FROM_ON`) when the first preposition on the walk opens a period,
    and (:data:`PART_OF_DAY`) when a part-of-day word is next to it or modifies it."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    token, direct, preposition = span.root, True, None
    while token.pos_ not in ("VERB", "AUX"):
        if token.head.i == token.i:  # (a Token is made afresh on each access: no ``is``)
            return None
        if token.pos_ in ("ADP", "SCONJ") and preposition is None:
            preposition = token.lower_
        if token.i not in range(span.start, span.end) and token.pos_ not in ("ADP", "SCONJ") \
                and token.i not in dates:
            direct = False  # through a noun: "killing 217 people", "talks on March 21"
        token = token.head
    if kind == "date" and value != UNKNOWN_DAY:
        if preposition in OPEN_BEFORE:
            value = UP_TO + value
        elif preposition in OPEN_AFTER:
            value = FROM_ON + value
        # The words around the date, and the word before its preposition ("late on March
        # 19": "late" hangs on the verb).
        before = (span.start - 1, span.start - 2) if span.start >= 1 \
            and doc[span.start - 1].pos_ == "ADP" else (span.start - 1,)
        near = [*span, *span.root.children,
                *(doc[i] for i in (*before, span.end) if 0 <= i < len(doc))]
        if any(t.lower_ in PART_OF_DAY_WORDS for t in near):
            value = PART_OF_DAY + value
    return token.lemma_.lower(), kind, value, direct


def _parse_features(doc: Any, start: int, end: int, covered: tuple[tuple[int, int], ...]
                    ) -> tuple[set[str], bool, str]:
    """A clause's content lemmas outside the ``covered`` entity mentions, whether it is
    negated, and its main word's lemma: read from the parse alone, so kept on the Doc (the
    claims and conflicts stages describe the same clauses one after the other). The words
    are a set never changed after it is kept (callers copy it)."""
    kept = doc.user_data.setdefault("crossbrief_unit_features", {})
    key = (start, end, covered)
    found = kept.get(key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    words: set[str] = set()
    negated, root = False, ""
    span = doc.char_span(start, end, alignment_mode="expand")
    # (looked up, not scanned: the clause's tokens times the mentions was quadratic on a
    # page of thousands of names)
    inside = span_lookup(list(covered))
    for token in span or []:
        if _content_token(token) and not inside(token.idx):
            words.add(token.lemma_.lower())
    if span is not None and len(span):
        negated = any(t.dep_ == "neg" for t in span)
        root = span.root.lemma_.lower()
    kept[key] = found = (words, negated, root)
    return found


# The features of a pair of clauses the claim scorer weighs (``pair_features``), in the
# order of the weights in data/claims.json.
FEATURES = (
    "cosine_centred",   # encoder cosine, vectors centred on the story's mean
    "cosine",           # encoder cosine
    "word_overlap",     # rarity-weighted overlap coefficient of content lemmas and entities
    "word_jaccard",     # the same, as a weighted Jaccard index
    "shared_rare",      # 1 - exp(-summed rarity of the shared words / SHARED_SCALE)
    "entities_shared",  # log(1 + number of story entities both name)
    "entity_jaccard",   # Jaccard index of the entities named
    "numbers_agree",    # both state a number, and one of them is the same
    "numbers_differ",   # both state numbers, none the same
    "number_one_side",  # only one states a number
    "dates_agree",      # both state a calendar date, and one is the same
    "dates_differ",     # both state dates, none the same
    "negation_differs",  # one is negated, the other not
    "same_root",        # the same main word (lemma)
    "length_ratio",     # words of the shorter / words of the longer
    "shorter_words",    # log of the shorter clause's words: short clauses say little
)
# The features that say whether two clauses agree on the specifics. Conflicts are looked for
# among pairs that would be one claim if their specifics agreed: scored with these at 0.
SPECIFICS = frozenset({"numbers_differ", "number_one_side", "dates_differ",
                       "negation_differs"})
SHARED_SCALE = 8.0


def pair_features(units: list[Unit], vectors: Any) -> dict[str, Any]:
    """Each feature of :data:`FEATURES` for every pair of units, as an n x n matrix (what
    the scorer's fitting reads; the stages score a block of rows at a time: ``kept_scores``).

    Both the encoder and the word features discount what the whole story shares: the vectors
    are centred on the story's mean (every sentence of a Xi-Putin story is "about Russia,
    China and Ukraine"), and words are weighted by their rarity among the story's clauses.
    """
    return _Pairs(units, vectors).features(slice(0, len(units)))


# Pairs scored at once by ``kept_scores``: a block of rows x n columns of about this many
# cells (2 MB a float64 matrix; the features, the logit and the rules hold some 25 of them,
# about 50 MB whatever the story's size). Not tuned: a story of up to 512 clauses (nearly
# every story) is one block, and the blocks of a bigger one cost no measurable time
# (BENCHMARKS.md, "Claims and conflicts in bounded memory").
PAIR_BLOCK_CELLS = 1 << 18


class _Pairs:
    """What scoring a block of pairs needs, worked out once over the whole story: the
    centred vectors, the rarity weights and each set's incidence matrix (story-wide, so a
    block's features are the full matrix's rows)."""

    def __init__(self, units: list[Unit], vectors: Any = None) -> None:
        import numpy as np

        n = self.n = len(units)
        self.units = units
        self.article = np.array([u.article.id for u in units], dtype=object)
        self.content_words = np.array([len(u.words) for u in units])
        self._specifics: _Incidence | None = None
        self._subjects: _Incidence | None = None
        self.mood = np.array([u.mood for u in units], dtype=object)
        self._verbs: dict[tuple[tuple[str, ...], bool], tuple[Any, Any]] = {}
        if vectors is None:  # scoring given features (``scores_from``) needs none of these
            return
        vectors = np.asarray(vectors, dtype=np.float64)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        self.raw = raw = vectors / np.where(norms == 0, 1.0, norms)
        centred = raw - raw.mean(axis=0, keepdims=True)
        norms = np.linalg.norm(centred, axis=1, keepdims=True)
        self.centred = centred / np.where(norms == 0, 1.0, norms)
        frequency = Counter(w for u in units for w in u.words)
        weight = {w: math.log((1 + n) / (1 + f)) + 1.0 for w, f in frequency.items()}
        self.words = _Incidence([u.words for u in units], weight)
        self.entities = _Incidence([u.entities for u in units])
        self.numbers = _Incidence([u.number_values for u in units])
        self.dates = _Incidence([u.date_values for u in units])
        self.roots = _Incidence([frozenset({u.root}) if u.root else frozenset()
                                 for u in units])
        self.has_number, self.has_date = self.numbers.total > 0, self.dates.total > 0
        self.negated = np.array([u.negated for u in units])
        self.length = np.array([max(1, len(u.text.split())) for u in units], dtype=np.float64)

    def product(self, vectors: Any, rows: slice) -> Any:
        # The whole matrix as one product, as it always was computed (NumPy's A @ A.T);
        # a block's rows as a product of its own (BLAS may add a row's terms in another
        # order: the last bits may differ, never a rounded score on the samples compared).
        return vectors @ vectors.T if self._whole(rows) else vectors[rows] @ vectors.T

    def _whole(self, rows: slice) -> bool:
        return (rows.start or 0) == 0 and (rows.stop is None or rows.stop >= self.n)

    def features(self, rows: slice) -> dict[str, Any]:
        """The features of the pairs of ``rows`` (a slice of the units) with every unit:
        each an (rows x n) matrix, the rows of the full n x n one, element for element."""
        import numpy as np

        shared_weight = self.words.shared(rows)
        total = self.words.total
        smaller = np.minimum.outer(total[rows], total)
        union = np.add.outer(total[rows], total) - shared_weight
        entities = self.entities.shared(rows)
        entity_count = self.entities.total
        entity_union = np.add.outer(entity_count[rows], entity_count) - entities
        numbers = self.numbers.shared(rows)
        dates = self.dates.shared(rows)
        roots = self.roots.shared(rows)
        has_number, has_date = self.has_number, self.has_date
        negated, length = self.negated, self.length
        with np.errstate(divide="ignore", invalid="ignore"):
            features = {
                "cosine_centred": self.product(self.centred, rows),
                "cosine": self.product(self.raw, rows),
                "word_overlap": np.where(smaller > 0, shared_weight / smaller, 0.0),
                "word_jaccard": np.where(union > 0, shared_weight / union, 0.0),
                "shared_rare": 1.0 - np.exp(-shared_weight / SHARED_SCALE),
                "entities_shared": np.log1p(entities),
                "entity_jaccard": np.where(entity_union > 0, entities / entity_union, 0.0),
                "numbers_agree": (numbers > 0).astype(np.float64),
                "numbers_differ": (np.logical_and.outer(has_number[rows], has_number)
                                   & (numbers == 0)).astype(np.float64),
                "number_one_side": np.logical_xor.outer(has_number[rows], has_number
                                                        ).astype(np.float64),
                "dates_agree": (dates > 0).astype(np.float64),
                "dates_differ": (np.logical_and.outer(has_date[rows], has_date)
                                 & (dates == 0)).astype(np.float64),
                "negation_differs": np.logical_xor.outer(negated[rows], negated
                                                         ).astype(np.float64),
                "same_root": (roots > 0).astype(np.float64),
                "length_ratio": np.minimum.outer(length[rows], length)
                / np.maximum.outer(length[rows], length),
                "shorter_words": np.log(np.minimum.outer(length[rows], length)),
            }
        shape = (len(range(self.n)[rows]), self.n)
        assert tuple(features) == FEATURES and all(f.shape == shape for f in features.values())
        return features

    def specifics(self, rows: slice) -> Any:
        """Rows of :func:`shared_specifics`."""
        if self._specifics is None:
            self._specifics = _Incidence(_specific_items(self.units))
        return self._specifics.shared(rows)

    def verbs(self, rows: slice, kinds: tuple[str, ...], direct: bool) -> Any:
        """Rows of :func:`verb_disagreements`, from its pairs (found once)."""
        import numpy as np

        key = (kinds, direct)
        if key not in self._verbs:
            # Both directions of each pair, sorted by row once: a block reads its range.
            first, second = _verb_pairs(self.units, kinds, direct)
            i, j = np.concatenate([first, second]), np.concatenate([second, first])
            order = np.argsort(i, kind="stable")
            self._verbs[key] = (i[order], j[order])
        i, j = self._verbs[key]
        start, stop, _ = rows.indices(self.n)
        found = np.zeros((stop - start, self.n), dtype=bool)
        low, high = np.searchsorted(i, [start, stop])
        found[i[low:high] - start, j[low:high]] = True
        return found

    def scores(self, rows: slice, *, specifics: bool = True, model: ClaimModel | None = None,
               features: dict[str, Any] | None = None) -> Any:
        """Same-claim probabilities of the pairs of ``rows`` with every unit (those of
        :func:`scores_from`, element for element)."""
        import numpy as np

        model = model or claim_model()
        features = self.features(rows) if features is None else features
        logit = np.full(features["cosine"].shape, model.intercept)
        for name, matrix in features.items():
            value = matrix if specifics or name not in SPECIFICS else np.zeros_like(matrix)
            logit += model.weights[name] * (value - model.mean[name]) / model.scale[name]
        scores = 1.0 / (1.0 + np.exp(-logit))
        if specifics:
            # The evidence rules and the calibration are the claims' (the conflicts stage,
            # specifics set aside, reads the plain logistic at its own threshold).
            scores = self._apply_rules(scores, features, rows, model)
        scores[self.article[rows][:, None] == self.article[None, :]] = 0.0
        # Rounded, so that no decision (a threshold, which pair links first, which clause
        # stands for a claim) turns on float noise: the static embeddings are distilled on
        # each machine, and their last bits differ with the CPU. Equal scores are then
        # ordered by content.
        return np.round(scores, SCORE_DECIMALS).astype(np.float32)

    def _apply_rules(self, scores: Any, features: dict[str, Any], rows: slice,
                     model: ClaimModel) -> Any:
        """The model's calibration, then its evidence rules: a pair that fails one scores 0."""
        import numpy as np

        if model.calibration is not None:
            xs, ys = model.calibration
            scores = np.interp(scores, xs, ys)
        if model.min_shared:
            scores = np.where(self.specifics(rows) < model.min_shared, 0.0, scores)
        if model.min_words:
            words = self.content_words
            scores = np.where(np.minimum.outer(words[rows], words) < model.min_words, 0.0,
                              scores)
        if model.negation_veto:
            scores = np.where(features["negation_differs"] > 0, 0.0, scores)
        if model.differ_veto:
            scores = np.where((features["numbers_differ"] > 0) | (features["dates_differ"] > 0),
                              0.0, scores)
        if model.verb_veto:
            scores = np.where(self.verbs(rows, model.verb_veto, model.verb_veto_direct),
                              0.0, scores)
        if model.subject_veto:
            scores = np.where(self.subject_only(rows), 0.0, scores)
        if model.mood_veto:
            scores = np.where(self.moods_differ(rows), 0.0, scores)
        return scores

    def moods_differ(self, rows: slice) -> Any:
        """Rows of :func:`moods_differ`."""
        plan, done = self.mood == PLAN, self.mood == DONE
        return (plan[rows][:, None] & done[None, :]) | (done[rows][:, None] & plan[None, :])

    def subject_only(self, rows: slice) -> Any:
        """Rows of :func:`subject_only`."""
        if self._subjects is None:
            self._subjects = _Incidence([u.subject_items for u in self.units])
        shared = self.specifics(rows)
        return (shared > 0) & (self._subjects.shared(rows) == shared)

    def kept(self, floor: float, *, specifics: bool = True, cosine: bool = False
             ) -> tuple[KeptPairs, KeptPairs | None]:
        """(the scores not under ``floor``, their pairs' cosines when asked, else None), each
        holding only those pairs (:class:`KeptPairs`); scored a block of rows at a time
        (``PAIR_BLOCK_CELLS``), so memory grows with the story's units times a block, plus
        the pairs kept, not with its pairs times the features. A score is kept unless it is
        under the floor compared in float64 (as ``float(score) < floor`` compares: a NaN is
        kept)."""
        import numpy as np

        n = self.n
        step = max(1, PAIR_BLOCK_CELLS // max(n, 1))
        firsts, seconds, values, cosines = [], [], [], []
        for start in range(0, n, step):
            rows = slice(start, min(n, start + step))
            features = self.features(rows)
            block = self.scores(rows, specifics=specifics, features=features)
            # Pair (i, j) is read from row i's block only, for j >= i, and mirrored below:
            # a block's product (BLAS gemm) may differ from another block's in the last bit
            # of (j, i), where the whole matrix's (syrk) is mirrored, so exactly symmetric.
            keep = ~(block.astype(np.float64) < floor)
            keep &= np.arange(n)[None, :] >= np.arange(start, rows.stop)[:, None]
            where = np.nonzero(keep)
            firsts.append(where[0].astype(np.int64) + start)
            seconds.append(where[1].astype(np.int64))
            values.append(block[where])
            if cosine:
                cosines.append(features["cosine"][where])
            del features, block
        i = np.concatenate(firsts) if firsts else np.zeros(0, dtype=np.int64)
        j = np.concatenate(seconds) if seconds else np.zeros(0, dtype=np.int64)
        off = i != j
        keys = np.concatenate([i * n + j, j[off] * n + i[off]])
        order = np.argsort(keys, kind="stable")

        def mirrored(parts: list[Any], dtype: Any) -> Any:
            found = np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)
            return np.concatenate([found, found[off]])[order]

        scores = KeptPairs(n, keys[order], mirrored(values, np.float32), floor)
        similar = KeptPairs(n, keys[order], mirrored(cosines, np.float64), floor) \
            if cosine else None
        return scores, similar


@dataclass(frozen=True)
class KeptPairs:
    """The values of some pairs of n units (the pairs a stage keeps of a story's n x n,
    ``kept_scores``); a pair not held reads 0. ``keys`` are i * n + j for both (i, j) and
    (j, i), ascending, ``values`` theirs. (Hand-written, not a SciPy sparse matrix: reading
    a group's block of scores from one took 0.6 ms, a binary search of the keys some µs.)"""

    n: int
    keys: Any
    values: Any
    floor: float = -math.inf  # the pairs not held score under it (checked by their readers)

    def block(self, rows: list[int], columns: list[int]) -> Any:
        """The dense (rows x columns) matrix of the values, of their dtype."""
        import numpy as np

        wanted = (np.asarray(rows, dtype=np.int64)[:, None] * self.n
                  + np.asarray(columns, dtype=np.int64)[None, :])
        at = np.minimum(np.searchsorted(self.keys, wanted), max(0, len(self.keys) - 1))
        if not len(self.keys):
            return np.zeros(wanted.shape, dtype=self.values.dtype)
        return np.where(self.keys[at] == wanted, self.values[at],
                        np.zeros((), dtype=self.values.dtype))

    def upper(self) -> tuple[Any, Any, Any]:
        """(i, j, value) of the pairs held, i < j, in the order of (i, j)."""
        rows, columns = self.keys // self.n, self.keys % self.n
        upper = rows < columns
        return rows[upper], columns[upper], self.values[upper]

    def take(self, indices: list[int]) -> KeptPairs:
        """The pairs among the units ``indices`` (ascending), numbered by their place there."""
        import numpy as np

        place = np.full(self.n, -1, dtype=np.int64)
        place[np.asarray(indices, dtype=np.int64)] = np.arange(len(indices))
        rows, columns = place[self.keys // self.n], place[self.keys % self.n]
        inside = (rows >= 0) & (columns >= 0)
        # An ascending renumbering keeps the keys ascending.
        return KeptPairs(len(indices), rows[inside] * len(indices) + columns[inside],
                         self.values[inside], self.floor)

    def toarray(self) -> Any:
        import numpy as np

        dense = np.zeros((self.n, self.n), dtype=self.values.dtype)
        dense.flat[self.keys] = self.values
        return dense


def kept_scores(units: list[Unit], vectors: Any, floor: float, *, specifics: bool = True,
                cosine: bool = False) -> tuple[KeptPairs, KeptPairs | None]:
    """The same-claim scores of ``units`` (those of :func:`pair_scores`) not under
    ``floor`` (:class:`KeptPairs`), and with ``cosine`` the encoder cosine of the same
    pairs: what the claims and conflicts stages keep of the n x n pairs of a story, scored
    a block of rows at a time (``_Pairs.kept``). A pair not kept reads 0 (under any floor
    above 0, as its score is)."""
    return _Pairs(units, vectors).kept(floor, specifics=specifics, cosine=cosine)


class _Incidence:
    """The items of n sets as an incidence matrix (sets x items), for the summed weight of
    the items each pair of sets shares (``shared``: a block of rows of the n x n matrix).

    Unweighted (weight 1 an item), the sums are counts, exact in floating point whatever
    order they are added in, so a dense product of the incidence matrix does where it is
    small (most sets here: a clause's entities, numbers, dates, main word). Weighted, the
    order of the additions decides the last bits, so the sparse product adds each pair's
    shared weights in the order it always has: by item, in the order items are first met
    (sets sorted); a block of rows is the same rows' sums, added in the same order (SciPy's
    product runs a row at a time). Its matrices are built in SciPy's canonical form
    directly: building them from coordinates, then sorting, was two thirds of this time.
    Together: 3.4 ms -> about 0.9 ms of CPU an article on ``benchmarks/scale.py
    --stage-cpu 150``, the same matrices bit for bit (tests/test_align.py)."""

    def __init__(self, sets: list[frozenset[str]], weight: dict[str, float] | None = None
                 ) -> None:
        import numpy as np

        vocabulary: dict[str, int] = {}
        rows: list[list[tuple[int, str]]] = [
            sorted((vocabulary.setdefault(item, len(vocabulary)), item)
                   for item in sorted(items))
            for items in sets]
        shape = (len(sets), max(1, len(vocabulary)))
        self.dense: Any = None
        if weight is None and shape[0] * shape[1] <= DENSE_SHARED_CELLS:
            self.dense = np.zeros(shape, dtype=np.float64)
            self.dense[[i for i, row in enumerate(rows) for _ in row],
                       [k for row in rows for k, _ in row]] = 1.0
            self.total = self.dense.sum(axis=1)
            return
        from scipy import sparse

        indptr = np.zeros(len(rows) + 1, dtype=np.int32)
        indptr[1:] = np.cumsum([len(row) for row in rows])
        indices = np.array([k for row in rows for k, _ in row], dtype=np.int32)
        values = np.array([1.0 if weight is None else weight[item] for row in rows
                           for _, item in row], dtype=np.float64)
        self.weighted = sparse.csr_matrix((values, indices, indptr), shape=shape)
        self.binary = sparse.csr_matrix((np.ones(len(indices)), indices, indptr), shape=shape)
        self.total = np.asarray(self.weighted.sum(axis=1)).ravel()

    def shared(self, rows: slice) -> Any:
        if self.dense is not None:
            return self.dense[rows] @ self.dense.T  # counts: exact in any order
        return (self.weighted[rows] @ self.binary.T).toarray()


# The largest incidence matrix (clauses x items) _Incidence multiplies densely: 2 MB.
DENSE_SHARED_CELLS = 250_000


def _shared(sets: list[frozenset[str]], weight: dict[str, float] | None = None
            ) -> tuple[Any, Any]:
    """(n x n summed weight of the items each pair of sets shares, each set's total weight);
    weight 1 per item when ``weight`` is None (:class:`_Incidence`)."""
    incidence = _Incidence(sets, weight)
    return incidence.shared(slice(0, len(sets))), incidence.total


def pair_scores(units: list[Unit], vectors: Any, *, specifics: bool = True) -> Any:
    """Matrix of same-claim probabilities between units (0 within one article), from the
    logistic scorer fitted on real coverage (``data/claims.json``)."""
    return scores_from(pair_features(units, vectors), units, specifics=specifics)


def scores_from(features: dict[str, Any], units: list[Unit], *, specifics: bool = True,
                model: ClaimModel | None = None) -> Any:
    """Same-claim probabilities from :func:`pair_features`. With ``specifics`` False, the
    features of disagreeing specifics are set to 0: how likely the two would be one claim
    if their numbers, dates and negation agreed (what conflicts are looked for among)."""
    return _Pairs(units).scores(slice(0, len(units)), specifics=specifics, model=model,
                        features=features)


def shared_specifics(units: list[Unit]) -> Any:
    """n x n count of the specifics two clauses share: content lemmas, entities, numbers
    and dates, each counted once: the words of a number or a date count only as that number
    or date ("March 20, 2023" is one date, not also "march", "20" and "2023"; the month of
    two different dates is not shared)."""
    shared, _ = _shared(_specific_items(units))
    return shared


def subject_only(units: list[Unit]) -> Any:
    """n x n booleans: the pairs of clauses that share specifics, all of them inside the
    subject of each one's main word (``Unit.subject_items``: with the main word when it is a
    verb of saying): one actor (or speaker) and two doings (or sayings) that share no word
    ("“We're halfway home,” Cabana said" / "“Let's go do this,” said commander Robert
    Cabana"; "Albright lauded the launching team" / "Albright and other dignitaries …
    gathered … to see Endeavour off"). Such a pair states two facts, not one claim
    (``subject_veto``)."""
    return _Pairs(units).subject_only(slice(0, len(units)))


def moods_differ(units: list[Unit]) -> Any:
    """n x n booleans: the pairs of clauses of which one states a plan or a prediction and
    the other an act as done (``Unit.mood``): "Currie is to reach out with the robot arm and
    pull the module into position" foretells "Currie positioned the module"; it does not
    report it. Such a pair states two facts, not one claim (``mood_veto``). Two plans, two
    reports, or a clause whose mood the parse does not tell are not read."""
    return _Pairs(units).moods_differ(slice(0, len(units)))


def _specific_items(units: list[Unit]) -> list[frozenset[str]]:
    return [_specific_words(u) | {_number_item(v) for v in u.number_values}
            | {_date_item(v) for v in u.date_values} for u in units]


# The prefixes that mark a number's and a date's value among a clause's specifics
# (``_specific_items``), apart from its words.
NUMBER_ITEM, DATE_ITEM = "#n ", "#d "


def _number_item(value: str) -> str:
    return NUMBER_ITEM + value


def _date_item(value: str) -> str:
    return DATE_ITEM + value


def _numeric_word(word: str) -> bool:
    """Whether a lemma reads as a number ("four", "dozen", "twelfth")."""
    from spacy.lang.en.lex_attrs import like_num

    return bool(like_num(word))  # type: ignore[no-untyped-call]


def _content_token(token: Any) -> bool:
    """Whether a token is a content word of a clause: no stop word, a content part of
    speech, letters or a number (``_parse_features``, ``_subject_items``)."""
    return (not token.is_stop and token.pos_ in CONTENT_POS
            and (token.is_alpha or token.like_num))


def _specific_words(unit: Unit) -> frozenset[str]:
    """The unit's words less those of its numbers and dates, by position ("$4.5 million" is
    the number, not also the word "4.5"; "march" the verb stays beside "March 20"): kept by
    :func:`_describe`; a unit not described has only its words."""
    return unit.words if unit.specific_words is None else unit.specific_words


def _words_outside(doc: Any, unit: Unit, covered: tuple[tuple[int, int], ...],
                   entities: frozenset[str]) -> frozenset[str]:
    words = _parse_features(doc, unit.start, unit.end, covered)[0] if doc is not None else set()
    return frozenset(words | {f"@{e}" for e in entities})


def verb_disagreements(units: list[Unit], kinds: Iterable[str] = ("date",),
                       direct: bool = False) -> Any:
    """n x n booleans: the pairs of clauses that give one verb (the same lemma, not a verb
    of saying) different specifics of ``kinds``: each attaches dates (or numbers) to it,
    and none of one clause's meets one of the other's ("started on March 20" / "will start
    talks on March 21"; a date meets another when they have a day in common: "March" meets
    "March 21"). With ``direct``, only the verb's own arguments count (``Unit.anchored``).
    Such a pair states two sides of a disagreement, not one claim."""
    import numpy as np

    found = np.zeros((len(units), len(units)), dtype=bool)
    first, second = _verb_pairs(units, tuple(kinds), direct)
    found[first, second] = found[second, first] = True
    return found


def _verb_pairs(units: list[Unit], kinds: tuple[str, ...], direct: bool) -> tuple[Any, Any]:
    """The pairs (i, j), i < j, of :func:`verb_disagreements`, as two arrays of indices
    (a story's pairs are too many for an n x n matrix; these are few)."""
    from array import array

    import numpy as np

    wanted = frozenset(kinds)
    by_verb: dict[tuple[str, str], dict[int, set[str]]] = {}
    for k, unit in enumerate(units):
        for lemma, kind, value, own in unit.anchored:
            if kind in wanted and lemma not in REPORTING and (own or not direct):
                by_verb.setdefault((lemma, kind), {}).setdefault(k, set()).add(value)
    # (array, not a list of tuples: a verb many clauses date has many pairs)
    first, second = array("q"), array("q")
    for (_, kind), values in sorted(by_verb.items()):
        meet = _days_meet if kind == "date" else _same_number
        members = sorted(values)
        for n, i in enumerate(members):
            for j in members[n + 1:]:
                if units[i].article.id != units[j].article.id \
                        and not meet(values[i], values[j]):
                    first.append(i)
                    second.append(j)
    return np.frombuffer(first, dtype=np.int64), np.frombuffer(second, dtype=np.int64)


def _days_meet(first: set[str], second: set[str]) -> bool:
    """Whether the dates one clause attaches to a verb have a day in common with those the
    other attaches to it, each clause's dates read as the span from the first day to the
    last ("ran from May 3 to May 9" meets "ran on May 4"; "March 2023" meets "March 21,
    2023"); a value of unknown form or a guess meets anything; one end of an open period
    ("until 2021") reaches as far as it likes on its open side unless the clause writes
    that side; a part-of-day word on either side gives a day of slack (time zones)."""
    import datetime

    guessed = [any(YEAR_GUESSED in v for v in values) for values in (first, second)]
    if any(guessed) and not (all(guessed) and all(
            YEAR_GUESSED in v for values in (first, second) for v in values)):
        return True  # a guessed year against a known one: no telling
    if any(guessed) and any(mark in v for v in (*first, *second)
                            for mark in (UP_TO, FROM_ON, PART_OF_DAY)):
        # An open end or a day of slack may reach into another year than the one guessed.
        return True
    spans = []
    for values in (first, second):
        lows, highs, up_to, from_on = [], [], [], []
        for value in values:
            bounds = _day_bounds(value.lstrip(UP_TO + FROM_ON + PART_OF_DAY + YEAR_GUESSED))
            if bounds is None:
                return True
            if UP_TO in value:
                up_to.append(bounds[1])
            else:
                lows.append(bounds[0])
            if FROM_ON in value:
                from_on.append(bounds[0])
            else:
                highs.append(bounds[1])
        low, high = min(lows, default="0001-01-01"), max(highs, default="9999-12-31")
        # Another date closes an open end only from its own side ("from May 3 until May 9";
        # not "by March 20 or on March 25", whose days before March 20 stay open).
        if up_to and low > min(up_to):
            low = "0001-01-01"
        if from_on and high < max(from_on):
            high = "9999-12-31"
        if low > high:
            return True
        spans.append((low, high))
    (low_a, high_a), (low_b, high_b) = spans
    if any(PART_OF_DAY in v for v in (*first, *second)):
        def shift(day: str, by: int) -> str:
            try:
                return (datetime.date.fromisoformat(day) + datetime.timedelta(days=by)
                        ).isoformat()
            except (ValueError, OverflowError):  # an open end: 0001-01-01 or 9999-12-31
                return day
        low_a, high_a = shift(low_a, -1), shift(high_a, 1)
    return low_a <= high_b and low_b <= high_a


def _same_number(first: set[str], second: set[str]) -> bool:
    """Whether two clauses attach one number to a verb, as written (folded) or as a value
    ("nine" and "9"); a number that cannot be read as a value is the same as any."""
    if first & second:
        return True
    read = [[read_number(v) for v in values] for values in (first, second)]
    return any(x is None or y is None or x == y for x in read[0] for y in read[1])


def read_number(text: str) -> float | None:
    """The value of a number as written ("1,200", "3.5m", "nine", "two million"); None when
    none can be read. (Hand-written: the few forms news uses, no parser library needed.)"""
    words = text.lower().replace(",", "").split()
    total = None
    for word in words:
        word = word.strip("$€£%")
        match = re.match(r"(\d+(?:\.\d+)?)([a-z]*)", word)
        if match:
            total = float(match.group(1)) * SCALES.get(match.group(2), 1.0)
        elif word in WORD_NUMBERS:
            total = float(WORD_NUMBERS[word])
        elif word in SCALES and total is not None:
            total *= SCALES[word]
    return total


def _day_bounds(value: str) -> tuple[str, str] | None:
    """The first and last day (ISO) of a date value: a day, a month, a year, an ISO week or
    a range of two of them; None for a value of another form."""
    import calendar
    import datetime

    days = []
    for part in value.split("/")[:2]:
        found = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", part)
        week = re.fullmatch(r"(\d{4})-W(\d{2})", part)
        try:
            if found and found[3]:
                days.append((part, part))
            elif found and found[2]:
                last = calendar.monthrange(int(found[1]), int(found[2]))[1]
                days.append((f"{part}-01", f"{part}-{last:02d}"))
            elif found:
                days.append((f"{part}-01-01", f"{part}-12-31"))
            elif week:
                monday = datetime.date.fromisocalendar(int(week[1]), int(week[2]), 1)
                days.append((monday.isoformat(),
                             (monday + datetime.timedelta(days=6)).isoformat()))
            else:
                return None
        except ValueError:  # no such month or week
            return None
    return (days[0][0], days[-1][1]) if days else None


@dataclass(frozen=True)
class ClaimModel:
    """The fitted claim scorer: a logistic regression over standardised :data:`FEATURES`,
    and the thresholds chosen with it. ``provenance`` says what it was fitted on and how.

    Evidence rules on top (each measured by ``benchmarks/scu.py --rules``): ``calibration``
    maps the logistic probability monotonely (points of an isotonic fit, interpolated);
    ``min_shared``: a pair sharing fewer specifics (``shared_specifics``) scores 0;
    ``min_words``: so does a pair whose shorter clause has fewer content words and entities;
    ``negation_veto``: so does a pair of which one clause is negated and the other not;
    ``differ_veto``: so does a pair that both state numbers (or dates) and share none;
    ``verb_veto``: so does a pair that gives one verb different specifics of these kinds
    ("date", "number": :func:`verb_disagreements`), with ``verb_veto_direct`` only the verb's
    own arguments; ``subject_veto``: so does a pair whose shared specifics all lie in both
    clauses' subjects (:func:`subject_only`); ``mood_veto``: so does a pair of a plan or a
    prediction and a report of an act (:func:`moods_differ`)."""

    intercept: float
    weights: dict[str, float]
    mean: dict[str, float]
    scale: dict[str, float]
    same_claim: float
    link_floor: float
    provenance: dict[str, Any]
    min_shared: int = 0
    min_words: int = 0
    negation_veto: bool = False
    differ_veto: bool = False
    calibration: tuple[tuple[float, ...], tuple[float, ...]] | None = None
    verb_veto: tuple[str, ...] = ()
    verb_veto_direct: bool = False
    subject_veto: bool = False
    mood_veto: bool = False


def claim_model() -> ClaimModel:
    """The scorer shipped in ``crossbrief/data/claims.json`` (read once)."""
    global _MODEL
    if _MODEL is None:
        import json
        from importlib import resources

        data = json.loads((resources.files("crossbrief") / "data" / "claims.json")
                          .read_text("utf-8"))
        rules = data.get("rules", {})
        calibration = rules.get("calibration")
        _MODEL = ClaimModel(data["intercept"], data["weights"], data["mean"], data["scale"],
                            data["same_claim"], data["link_floor"], data["provenance"],
                            rules.get("min_shared", 0), rules.get("min_words", 0),
                            rules.get("negation_veto", False), rules.get("differ_veto", False),
                            None if calibration is None else
                            (tuple(calibration["x"]), tuple(calibration["y"])),
                            tuple(rules.get("verb_veto", ())),
                            rules.get("verb_veto_direct", False),
                            rules.get("subject_veto", False),
                            rules.get("mood_veto", False))
    return _MODEL


_MODEL: ClaimModel | None = None


def group_units(units: list[Unit], scores: Any, threshold: float | None = None,
                floor: float | None = None,
                apart: Iterable[tuple[int, int]] = ()) -> list[list[int]]:
    """Average-linkage groups of units scoring at least ``threshold`` (the scorer's
    ``same_claim``), one unit per article, in which no pair scores below ``floor`` (its
    ``link_floor``: no chaining of loosely related clauses) and no pair is in ``apart``
    (cannot-link pairs of unit indices: the links a person rejected). Pairs are joined best
    first; equal scores in the order of the units (the articles' canonical order). ``scores``
    is dense or kept (``kept_scores``: a pair it does not hold reads 0), its scores rounded
    to ``SCORE_DECIMALS`` as the scorer writes them (a group's mean is summed exactly on
    that rounding: :func:`score_sum`). A NaN score is no score: it reads 0 (a pair scoring
    NaN is never joined, and a group holding one is under any floor above 0)."""
    import numpy as np

    model = claim_model()
    threshold = model.same_claim if threshold is None else threshold
    floor = model.link_floor if floor is None else floor
    if isinstance(scores, KeptPairs) and scores.floor > min(floor, float(np.float32(threshold))):
        # A pair dropped under the kept floor reads 0: grouped at a lower floor or
        # threshold, it would decide a link or merge the full scores decide otherwise.
        raise ValueError(f"scores kept at {scores.floor}, grouped at floor {floor} and "
                         f"threshold {threshold}")
    cluster = list(range(len(units)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(units))}
    cannot: dict[int, set[int]] = {}
    for i, j in apart:
        cannot.setdefault(i, set()).add(j)
        cannot.setdefault(j, set()).add(i)
    order = sorted((-value, i, j) for value, i, j in _pairs_at_least(scores, threshold))
    for _, i, j in order:
        a, b = cluster[i], cluster[j]
        if a == b:
            continue
        articles_a = {units[k].article.id for k in members[a]}
        if any(units[k].article.id in articles_a for k in members[b]):
            continue
        if cannot and any(cannot.get(k, set()) & set(members[a]) for k in members[b]):
            continue
        block = dense_block(scores, members[a], members[b])
        block = np.where(np.isnan(block), np.float32(0), block)
        # The mean of the rounded scores, exact (their float32 sum may miss a mean of
        # exactly the threshold by the last bit: 0.756, 0.39 and 0.354 average to 0.5).
        mean = score_sum(block) / (block.size * 10 ** SCORE_DECIMALS)
        if mean < threshold or float(block.min()) < floor:
            continue
        for k in members[b]:
            cluster[k] = a
        members[a].extend(members.pop(b))
    return [sorted(m) for m in members.values()]


def representative(group: list[int], units: list[Unit], scores: Any) -> int:
    """The unit of ``group`` that stands for its claim, its wording: a whole clause that
    reads alone, closest to all the others (the greatest sum of its scores with them, summed
    exactly: :func:`score_sum`; the scores rounded to ``SCORE_DECIMALS``, a NaN read as 0),
    then the earliest in its article, then the first of the group. A clause reads alone when
    it is not a relative clause cut from its noun ("which Russia launched into orbit from
    Kazakhstan on Nov. 20.", "30 percent of whom were acutely malnourished.": the encoder
    read it with its noun, the reader would not) and, better, when it opens its sentence
    (not "the other was taken to a Lafayette hospital.", the clause after a semicolon or a
    coordinated clause, whose subject leans on the clause before). Only the wording and the
    order of the support change: the group is the same."""
    return max(group, key=lambda k: (not units[k].embedded,
                                     _reads_alone(units[k]),
                                     _opens_sentence(units[k]),
                                     score_sum(dense_block(scores, [k], group)),
                                     -units[k].sentence))


# A clause opening with a relative pronoun, or with a quantity or a number the pronoun's "of"
# follows ("30 percent of whom were acutely malnourished", "most of which", "some of whom",
# "two of whom", "a third of which"): the parse may take it for a coordinated clause and cut
# it with no noun for its context. Not any few words before a preposition and the pronoun: "the
# house in which the family lived was destroyed" (a clause after a semicolon) reads alone
# (review of 2026-12-02). In lower case or a number only: a sentence opens with a capital ("In
# an indication of the seriousness with which demographers view the situation, the Census
# Bureau …", "Which schools close …").
_QUANTITY = (r"(?:(?:about|nearly|almost|roughly|only|just|at least|more than|fewer than"
             r"|less than|over|under|all but) )?"
             r"(?:all|most|many|much|some|several|few|none|each|both|either|neither|any|half"
             r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty"
             r"|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozens?|hundreds|thousands"
             r"|millions|\d[\d,.]*%?"
             r"|(?:a|the) (?:majority|minority|rest|bulk|remainder|third|quarter|fraction"
             r"|handful|number|portion|share|part|half|most|last|first))"
             r"(?: (?:percent|per cent))?")
_RELATIVE_OPENING = re.compile(
    rf"^(?:who|whom|whose|which)\b|^{_QUANTITY} of (?:whom|which)\b")


def _reads_alone(unit: Unit) -> bool:
    """Whether ``unit`` reads without the sentence around it: not a relative clause cut from
    its noun (its context carries the noun, or it opens with a relative pronoun)."""
    return unit.context == unit.text and not _RELATIVE_OPENING.match(unit.text)


def _opens_sentence(unit: Unit) -> bool:
    """Whether ``unit`` starts where its sentence does (past any opening marks), or with a
    capital or a digit as a sentence does: a clause after a semicolon or a conjunction
    starts in lower case ("the other was taken …")."""
    sentences = unit.article.sentences
    head = unit.article.text[sentences[unit.sentence].start:unit.start] \
        if unit.sentence < len(sentences) else "?"
    return not re.search(r"\w", head) or unit.text[:1].isupper() or unit.text[:1].isdigit()


def score_sum(scores: Any) -> int:
    """The sum of scores rounded to ``SCORE_DECIMALS`` in units of their last decimal: an
    integer, so that two sums equal in decimal arithmetic are equal, whatever the order the
    float32 scores would be added in (a tie is then broken on content). The scores must be
    rounded so already (as the scorer writes them): each is taken to its nearest unit, so
    an unrounded one is rounded first (0.5004 and 0.4995 sum to 1.000). A NaN (no score)
    counts as 0."""
    import numpy as np

    values = np.asarray(scores, dtype=np.float64)
    return int(np.rint(np.where(np.isnan(values), 0.0, values) * 10 ** SCORE_DECIMALS).sum())


def _pairs_at_least(scores: Any, threshold: float) -> list[tuple[float, int, int]]:
    """(score, i, j) of the pairs i < j of a dense or kept (:class:`KeptPairs`) score
    matrix scoring at least ``threshold`` (compared as NumPy compares the scores' float32)."""
    import numpy as np

    if isinstance(scores, KeptPairs):
        rows, columns, values = scores.upper()
        at_least = values >= threshold
        return list(zip(values[at_least].astype(np.float64).tolist(),
                        rows[at_least].tolist(), columns[at_least].tolist(), strict=True))
    scores = np.asarray(scores)
    return [(float(scores[i, j]), int(i), int(j))
            for i, j in np.argwhere(np.triu(scores, 1) >= threshold)]


def dense_block(scores: Any, rows: list[int], columns: list[int]) -> Any:
    """``scores[np.ix_(rows, columns)]`` of a dense or kept (:class:`KeptPairs`) matrix."""
    import numpy as np

    if isinstance(scores, KeptPairs):
        return scores.block(rows, columns)
    return np.asarray(scores)[np.ix_(rows, columns)]


def build_claims(corpus: Brief, settings: Settings) -> list[Claim]:
    """Group the clauses of all articles into claims with statuses (the conflicts among
    them are the next stage's: ``conflicts.detect_conflicts``)."""
    import numpy as np

    from .nlp import encode

    units = [u for article in corpus.articles for u in split_units(article, claims=True)]
    if not units:
        return []
    vectors = encode([u.context for u in units], settings)
    # Only the pairs scoring at least the link floor (or the same-claim threshold, were it
    # lower) are kept: the grouping links none under the threshold and merges no groups with
    # a pair under the floor, so a pair not kept (read as 0, also under both) decides
    # nothing it would not have decided with its own score; a group's pairs are all kept.
    model = claim_model()
    scores, cosine = kept_scores(units, vectors, min(model.link_floor,
                                                     float(np.float32(model.same_claim))),
                                 cosine=True)
    assert cosine is not None
    apart = rejected_links(units, corpus.rejections)
    total = corpus.independent_count([a.id for a in corpus.articles])
    names = {e.id: e.name for e in corpus.entities}
    opinionated = {a.id: frozenset(a.opinionated_sentences) for a in corpus.articles}
    quoted = {a.id: overlap_counter([(q.start, q.end) for q in a.quotes])
              for a in corpus.articles}
    frequency = Counter(w for u in units for w in u.words)
    rarity = {w: math.log((1 + len(units)) / (1 + f)) for w, f in frequency.items()}
    claims = []
    for grouped in group_units(units, scores, apart=apart):
        # A clause of quoted words only is the speaker's, not the outlet's: it is no claim's
        # wording or support (it was scored and grouped as every clause, so the rest of the
        # claims are what they would be without this rule).
        group = [k for k in grouped if not units[k].quoted]
        if not group:
            continue
        ids = [units[k].article.id for k in group]
        # A proposition embedded in a noun phrase only supports what a whole clause states:
        # two of them ("a peace deal brokered by China", "the peace plan put forward by
        # China") make no claim of their own.
        if all(units[k].embedded for k in group):
            continue
        independent = corpus.independent_count(ids)
        if independent >= 2:
            status = "consensus" if independent * 2 >= total else "corroborated"
        else:
            if not _is_fact(units[group[0]], opinionated, quoted):
                continue
            status = "single"
        best = representative(group, units, scores)
        row = dict(zip(group, dense_block(scores, [best], group)[0].tolist(), strict=True))
        similar = dict(zip(group, cosine.block([best], group)[0].tolist(), strict=True))
        order = [best, *sorted((k for k in group if k != best),
                               key=lambda k: (-row[k], units[k].article.id))]
        support = [Span(units[k].article.id, units[k].start, units[k].end) for k in order]
        merged = [g for g in corpus.near_copies if len(set(g) & set(ids)) > 1]
        text = units[best].text
        evidence = [_evidence(units[best], units[k], row[k], similar[k], names, rarity)
                    for k in order[1:]]
        claims.append(Claim(content_hash("claim", *sorted(f"{s.article}:{s.start}"
                                                          for s in support)),
                            text, status, support, independent, merged, evidence))
    rank = {"consensus": 0, "corroborated": 1, "single": 2}
    # The articles are in canonical order (pipeline.run_stages), so position is content too.
    position = {a.id: n for n, a in enumerate(corpus.articles)}
    claims.sort(key=lambda c: (rank[c.status], -c.independent, -len(c.support),
                               position.get(c.support[0].article, 0), c.support[0].start,
                               c.id))
    return claims


def rejected_links(units: list[Unit], rejections: Iterable[Rejection]) -> list[tuple[int, int]]:
    """The cannot-link pairs of ``units`` a person's rejected links make: for each rejected
    link, every unit overlapping one of its spans against every unit of another article
    overlapping another of its spans (a span need not match a unit exactly: the clauses may
    have been cut differently since it was rejected). Sorted, so the grouping stays a
    function of content."""
    pairs: set[tuple[int, int]] = set()
    for rejection in rejections:
        if rejection.kind != "link":
            continue
        hits = [[k for k, u in enumerate(units) if u.article.id == s.article
                 and u.start < s.end and s.start < u.end] for s in rejection.spans]
        for n, first in enumerate(hits):
            for second in hits[n + 1:]:
                pairs.update((min(i, j), max(i, j)) for i in first for j in second
                             if units[i].article.id != units[j].article.id)
    return sorted(pairs)


# Shared content words shown as evidence of a link, rarest first.
EVIDENCE_WORDS = 5


def _evidence(a: Unit, b: Unit, score: float, similarity: float, names: dict[str, str],
              rarity: dict[str, float]) -> Evidence:
    """Why ``b`` was read as stating ``a``'s claim: what a reader needs to judge the match."""
    words = sorted((w for w in _specific_words(a) & _specific_words(b) if not w.startswith("@")),
                   key=lambda w: (-rarity.get(w, 0.0), w))[:EVIDENCE_WORDS]
    return Evidence(round(score, SCORE_DECIMALS), round(similarity, SCORE_DECIMALS),
                    tuple(sorted(names.get(e, e) for e in a.entities & b.entities)),
                    tuple(sorted(a.number_values & b.number_values)),
                    tuple(sorted(a.date_values & b.date_values)), tuple(words))


def _is_fact(unit: Unit, opinionated: dict[str, frozenset[int]],
             quoted: dict[str, Callable[[int, int], int]]) -> bool:
    """Specific and reported: names a number, a date or an entity, is not opinion, and is
    not mostly a quotation (quotes are listed under who said what). Nor a relative clause
    cut from its noun (its context carries the noun, its text does not, or its text opens
    with a relative pronoun, ``_reads_alone``): "who pulled 15
    survivors from the river" read alone does not say who (such clauses of several articles
    still make a claim: the grouping read them with their nouns)."""
    if not _reads_alone(unit):
        return False
    article = unit.article
    return (bool(unit.numbers or unit.dates or unit.entities)
            and unit.sentence not in opinionated[article.id]
            and quoted[article.id](unit.start, unit.end) * 2 < unit.end - unit.start
            and len(unit.text.split()) >= MIN_SENTENCE_WORDS)
