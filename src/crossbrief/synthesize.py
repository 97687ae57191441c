"""Synthesis: the cited summary of a story.

:func:`summarize` treats the summary as a budgeted coverage problem, the concept model of
multi-document summarisation (Gillick and Favre, "A Scalable Global Model for Summarization",
2009): the story's **concepts** are the content words and word pairs (lemmas) of its
sentences; a concept is worth the number of independent articles that use it (near-copies
count once), one more for each of them whose lead uses it, and only concepts that at least
``Knobs.concept_share`` of the articles share count at all. The summary is the set of
sentences, within the length budget, whose concepts are worth the most together. That one
objective carries what a brief needs:

- **coverage of the consensus**: what most outlets say is worth most;
- **what the outlets lead with**: an article's lead (its first candidate sentence) is its
  own summary of the story (``LEAD_WEIGHT``);
- **centrality**: a sentence is chosen for how much of the shared story it says;
- **non-redundancy**: a concept counts once, so a second sentence saying the same adds nothing;
- **the outlets' own reporting**: direct speech may be left to the quotes
  (``Knobs.quoted_share``; off as shipped, as cross-validation chose);
- **readable alone**: no headings, captions or sentences answering the one before, and plain
  words preferred to long ones (``Knobs.plain_words``).

It is solved exactly, as an integer program (the HiGHS solver), not greedily: on DUC 2004
the exact solution is worth about two ROUGE-1 points over the greedy one (benchmarks/duc2004.py).
The greedy solution is kept as the fallback for a solver that runs out of time. The byte budget
never cuts a sentence: the program chooses whole sentences. Each summary sentence cites the
article and span it comes from and every article that supports a claim it states
(``sources``).
"""

from __future__ import annotations

import bisect
import contextlib
import logging
import math
import os
import re
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from .clean import is_call_to_action, is_caption
from .config import Settings
from .model import Article, Brief, Span, SummarySentence, overlap_counter
from .segment import DATELINE_PARAGRAPHS

log = logging.getLogger("crossbrief.synthesize")

# The summary's tuned constants are the fields of :class:`Knobs`; :data:`PROVENANCE` says for
# each what it was chosen on, how, and what it is worth. The constants below are not tuned.

# Bytes a word takes in news, the space after it included: measured, 6.20 on the sentences of
# the 25 DUC 2004 development clusters (the plain-words bonus is counted from it).
BYTES_PER_WORD = 6.2

# The lead: a concept is worth this much more for each independent article whose first
# candidate sentence (its lead) uses it. News states what matters most first, and an
# article's lead is its own summary of the story: what many leads say is the core of it.
# Its value is not searched (one lead counts as one more article), but the idea, and its form
# (the first candidate sentence, not the first 3 or 5, not a decay), were chosen on the same
# 25 DUC 2004 clusters its figures are measured on. At the same knobs it is worth +0.77 +-
# 0.42 ROUGE-1 and +0.23 +- 0.25 ROUGE-2 there (PROVENANCE["rules"]).
LEAD_WEIGHT = 1.0

# Among sentences worth the same, the earlier in its article wins (news states the facts
# first), by this small fraction of a concept's weight; it also keeps sentences that add
# nothing out of the summary. A tie-break, not a tuned weight.
POSITION_TIEBREAK = 1e-3
# The solver's budget, counted in branch-and-bound nodes, not seconds, so that where it stops
# never depends on the machine or its load (same articles, same summary on every machine).
# Not tuned: on the 25 DUC 2004 development clusters every solve ends at the root node (0 or
# 1 node, 0.03-0.25 s on 2 cores; 2026-11-29), so this is a ceiling far above real use. Past
# it the best solution found stands (at least as good as the greedy start).
SOLVER_NODES = 10_000
# A guard against a pathological model only, far beyond any solve seen: if it is ever
# reached, the summary could differ between machines, and a warning says so.
SOLVER_GUARD_SECONDS = 300.0
# The solver stops within this relative gap of the optimum.
SOLVER_GAP = 1e-4
# The solver is given the best this many candidate sentences by worth per unit of each limit
# of the budget (per byte, per word, per sentence): on DUC 2004 the best summary is always
# among them, and the search is several times faster.
MAX_CANDIDATES = 150
# The concept floor's cap: a concept counts once at least this many independent articles
# share it, whatever share of the story that is (at least 2; in a story of fewer than 10
# articles ``Knobs.concept_share``'s 30 % is the lower floor). The share was chosen on DUC
# 2004's 10-article clusters, where it means 3 articles. In a story of many articles (a big
# story's 25 outlets, a subject followed for months) 30 % asks for 8 and more, and what that
# many share is the story's most general words ("year", "family", "government"): the
# summary then took short sentences holding one of them each. Chosen among none, 2, 3, 4 and 5
# on DUC 2006's 20 topics of 25 articles, scored by their pyramids
# (benchmarks/duc2006_pyramid.py; PROVENANCE["rules"]); no effect on DUC 2004.
FLOOR_ARTICLES = 3
# Similarity from which another article's sentence counts as saying the same (a source),
# when the claims stage has not run.
SAME_SENTENCE = 0.75

# A wire dateline opening a sentence ("MARAVEL, Ostria, Oct 15 (CPA) - ", "BRUSSELS, Belgium
# (AP) _ "): the summary quotes the sentence after it.
WIRE_DATELINE = re.compile(
    r"[A-Z][A-Z .'-]+(?:, [A-Z][\w.'-]*(?: [A-Z\d][\w.'-]*)*)* \([A-Z][\w.]*\) ?[-_–—]+ ")
# A dateline without an agency ("WASHINGTON — ", "ST. LOUIS, Mo. -- ", "SÃO PAULO - "): a
# place in capitals and a dash before a capital or a digit. Only at the start of one of the
# article's first DATELINE_PARAGRAPHS paragraphs (a caption or credit line may come first),
# only a place of at least DATELINE_LETTERS letters ("EU — UK talks", "U.S. — Chinese
# relations" are subjects, not places), and not when the dash opens a parenthesis
# (``_city_dateline``). Not tuned: the shortest common datelines ("ROME", "LIMA", "OSLO")
# have four letters. A longer name in capitals before a dash ("OPEC - Oil ministers …") is
# read as a place; Latin-1 capitals only.
_CAPITAL = "A-ZÀ-ÖØ-Þ"
CITY_DATELINE = re.compile(
    rf"[{_CAPITAL}][{_CAPITAL}.'’-]*(?: [{_CAPITAL}][{_CAPITAL}.'’-]*)*"
    r"(?:, [A-Z][\w.'’-]*(?: [A-Z\d][\w.'’-]*)*)*"
    rf" (—|–|--|-|_) ?(?=[{_CAPITAL}\d\"“‘'])")
DATELINE_LETTERS = 4
# How a sentence ends: a full stop, question or exclamation mark, maybe inside closing quotes
# or brackets. A "sentence" ending otherwise is a heading, a caption or a fragment.
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s*$")
# A sentence opening with one of these answers the sentence before it ("However, one country
# has kept a close tie: China."): alone, it answers nothing.
ANSWERS_BEFORE = re.compile(
    r"(?:However|Regardless|But|Still|Yet|Nevertheless|Nonetheless|Instead|And|Also|Even so|"
    r"Even then)\b")
# The parts of speech whose lemmas are concepts on their own; a word pair is a concept unless
# both its words are stop words.
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM", "ADV"})

Concept = tuple[str, ...]


@dataclass(frozen=True)
class Budget:
    """How long the summary may be; any combination, the tightest binds."""

    sentences: int | None = None
    words: int | None = None
    bytes: int | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Budget:
        """The budget the summary_* settings describe (0 means no limit)."""
        return cls(settings.summary_sentences or None, settings.summary_words or None,
                   settings.summary_bytes or None)

    def fits(self, chosen: list[str], candidate: str) -> bool:
        texts = [*chosen, candidate]
        if self.sentences is not None and len(texts) > self.sentences:
            return False
        if self.words is not None and sum(len(t.split()) for t in texts) > self.words:
            return False
        return self.bytes is None or len(" ".join(texts).encode("utf-8")) <= self.bytes


@dataclass(frozen=True)
class Knobs:
    """The summary's tuned constants (what each is worth: :data:`PROVENANCE`)."""

    # A sentence more than this share quoted is left out, to leave direct speech to the
    # quotes section (who said what); a story with nothing else to say is then summarised
    # from such sentences, never from a quotation continued from the sentence before with no
    # speaker or speech verb of its own. Cross-validation switched it off (1.0): no fold of
    # DUC 2004 turns it on (PROVENANCE); it stays a knob for a summary without direct speech.
    quoted_share: float = 1.0
    # A concept counts when at least this share of the story's independent articles use it
    # (and at least two of them): three of ten, two of five.
    concept_share: float = 0.3
    # Plain words: a sentence is worth this share of an average concept more for each word
    # it says beyond what its bytes hold at :data:`BYTES_PER_WORD` (and less for each word
    # short of it). Between sentences saying as much, the one in shorter, plainer words wins
    # (the characters-per-word term of readability formulas such as the Automated
    # Readability Index); a summary with a byte budget then says more in it.
    plain_words: float = 0.6


# The value at which each knob does nothing: the ablations of PROVENANCE set one knob to it.
NEUTRAL = Knobs(quoted_share=1.0, concept_share=0.0, plain_words=0.0)
KNOBS = Knobs()
# Where each knob's value comes from (benchmarks/duc2004_cv.py; figures ROUGE-1 / ROUGE-2
# recall in points, as benchmarks/duc2004.py scores them). "ablation": out of fold, every
# fold's choice with that knob at its NEUTRAL value, minus the out-of-fold figure, with the
# paired standard error over the 25 clusters.
PROVENANCE: dict[str, Any] = {
    "data": "DUC 2004 task 2, the 25 development clusters of ../shared/eval/duc2004 (10 "
            "articles and 4 human summaries each; 665 bytes); the held-back half never used",
    "method": "5-fold cross-validation by cluster (fold k: the clusters at position k modulo "
              "5 in name order); per fold, block coordinate grid search from the previous "
              "values maximising ROUGE-1 + ROUGE-2 on the other 20 clusters; shipped: each "
              "knob's median over the folds (here also the choice on all 25)",
    "grid": {"quoted_share": [0.1, 0.2, 0.3, 0.5, 1.0], "concept_share": [0.0, 0.3, 0.4, 0.5],
             "plain_words": [0.0, 0.3, 0.6, 0.9, 1.2]},
    "measured": "2026-11-30, at commit cf59d8b (LEAD_WEIGHT, the wire-copy and dateline "
                "rules); at 29207bb, with the lead weight alone, 41.52 / 10.24",
    "command": "python benchmarks/duc2004_cv.py",
    "out_of_fold": {"rouge1": 41.52, "rouge2": 10.19},
    "in_fold": {"rouge1": 41.52, "rouge2": 10.19},
    "shipped_in_sample": {"rouge1": 41.52, "rouge2": 10.19},
    "before_lead": {"out_of_fold": {"rouge1": 40.21, "rouge2": 9.79},
                    "shipped_in_sample": {"rouge1": 40.75, "rouge2": 9.99},
                    "measured": "2026-11-29, at commit fe53735"},
    "folds": [
        {"held_out": ["d30001t", "d30017t", "d30034t", "d30048t", "d31009t"],
         "knobs": {"quoted_share": 1.0, "concept_share": 0.3, "plain_words": 0.6},
         "out_of_fold": {"rouge1": 41.11, "rouge2": 11.64}},
        {"held_out": ["d30003t", "d30022t", "d30037t", "d30050t", "d31022t"],
         "knobs": {"quoted_share": 1.0, "concept_share": 0.3, "plain_words": 0.6},
         "out_of_fold": {"rouge1": 41.14, "rouge2": 9.86}},
        {"held_out": ["d30006t", "d30026t", "d30040t", "d30053t", "d31031t"],
         "knobs": {"quoted_share": 1.0, "concept_share": 0.3, "plain_words": 0.6},
         "out_of_fold": {"rouge1": 42.01, "rouge2": 8.92}},
        {"held_out": ["d30008t", "d30028t", "d30044t", "d30056t", "d31033t"],
         "knobs": {"quoted_share": 1.0, "concept_share": 0.3, "plain_words": 0.6},
         "out_of_fold": {"rouge1": 39.94, "rouge2": 9.70}},
        {"held_out": ["d30011t", "d30031t", "d30046t", "d31001t", "d31043t"],
         "knobs": {"quoted_share": 1.0, "concept_share": 0.3, "plain_words": 0.6},
         "out_of_fold": {"rouge1": 43.41, "rouge2": 10.82}},
    ],
    "knobs": {
        "quoted_share": "5 of 5 folds chose 1.0 (off; before the lead weight, 3 of 5); "
                        "ablation 0.00: it ships off, leaving direct speech in the summary",
        "concept_share": "5 of 5 folds chose 0.3 (3 of 10 articles); ablation -1.40 +- 0.44 / "
                         "-0.31 +- 0.31 (the document-frequency cut of Gillick and Favre 2009)",
        "plain_words": "5 of 5 folds chose 0.6; ablation -1.69 +- 0.42 / -0.27 +- 0.32",
    },
    "rules": {
        "LEAD_WEIGHT": "value not searched (an article's lead counts as one more article), "
                       "but the idea came from an error analysis of these 25 clusters and its "
                       "form was chosen on them: the figures below are not those of clusters "
                       "never seen. Its own effect, at the same knobs (the ablation, "
                       "reproducible with the command): -0.77 +- 0.42 / -0.23 +- 0.25 without "
                       "it, the ROUGE-2 part within one standard error. Against the previous "
                       "shipped run (fe53735, 40.21 / 9.79 out of fold, whose search turned the "
                       "quote rule on in two folds), at 29207bb: +1.31 +- 0.38 / +0.45 +- 0.26, "
                       "paired over the clusters, part of it that run's knob choice; the "
                       "wire-copy and dateline rules since cost 0.05 ROUGE-2 (folds 0 and 3). "
                       "Forms tried on the same clusters (scripts outside the repository): a "
                       "harmonic decay of the "
                       "article's first use (1 + 1 / (1 + sentence index)) as good (41.50 / "
                       "10.34), halving by sentence index worse (41.04 / 9.98), the first 3 or "
                       "5 sentences as the lead worse (in sample -0.58 / -0.67 ROUGE-1); the "
                       "lead alone is the simplest",
        "FLOOR_ARTICLES": "chosen among none, 2, 3, 4 and 5 articles on DUC 2006's 20 topics "
                          "of 25 articles (benchmarks/duc2006_pyramid.py --experiments, "
                          "pyramid weight of the covered units, 2026-11-30): none 5.10 / 6.65 / "
                          "6.75 at 665 bytes / 250 words / 5 sentences, 3 articles 6.30 / 9.25 "
                          "/ 9.60; the choice cross-validated over the topics (5 folds) 6.25 / "
                          "8.85 / 8.75 out of fold. No effect on DUC 2004 (10 articles: 30 % is "
                          "3)",
        "SENTENCE_END": "ablation +0.00 +- 0.22 / +0.02 +- 0.03: no ROUGE effect; kept, a "
                        "heading or caption reads badly in a summary",
        "ANSWERS_BEFORE": "ablation -0.15 +- 0.22 / -0.05 +- 0.13: no ROUGE effect; kept, a "
                          "sentence answering the one before means nothing alone",
        "word pairs as concepts": "words only: -1.86 +- 0.82 / -1.44 +- 0.51; word pairs "
                                  "only: -1.92 +- 0.67 / -0.74 +- 0.37",
    },
    "tried": "issue 13, none kept (docs/summary.md has the figures): weights times idf against "
             "the other clusters, named entities and numbers as concepts, unigrams at half "
             "weight, a minimum sentence length, cutting a trailing attribution, and leaving out "
             "sentences with unbalanced quotation marks or without a verb",
    "removed": "by the same cross-validation with them in the grid (out of fold 40.11 / 9.60, "
               "in fold 40.94 / 10.26): MIN_WORDS (folds chose 4, 6, 6, 8 and 10; ablation "
               "+0.14 +- 0.15 / +0.03 +- 0.11), OPINION_WEIGHT (4 of 5 folds chose 0; "
               "ablation -0.04 +- 0.08 / +0.01 +- 0.13) and a tuned BYTES_PER_WORD (ablation "
               "-0.06 +- 0.06 / 0.00), all within the noise",
}


@dataclass(frozen=True)
class Candidate:
    """A sentence that may enter the summary, with its concepts and what the choice of
    candidates reads (its share of direct speech, whether it ends as a sentence ends …)."""

    article: str  # the article's id
    rank: int  # the sentence's position in its article
    start: int
    end: int
    text: str
    concepts: frozenset[Concept]
    quoted: float = 0.0  # the share of the sentence that is direct speech
    attributed: bool = False  # it names who says its quotation
    ends: bool = True  # it ends as a sentence ends (SENTENCE_END)
    answers: bool = False  # it opens answering the sentence before (ANSWERS_BEFORE)
    caption: bool = False  # it lies in a photo or video caption (clean.is_caption)
    call: bool = False  # it asks the reader to act (clean.is_call_to_action): it reports nothing

    @property
    def bytes(self) -> int:
        return len(self.text.encode("utf-8"))

    @property
    def words(self) -> int:
        return len(self.text.split())


def summarize(corpus: Brief, budget: Budget, settings: Settings,
              knobs: Knobs = KNOBS) -> list[SummarySentence]:
    """The summary of the corpus's story within ``budget``, in the order of the story."""
    candidates = candidate_sentences(corpus, knobs)
    picked = choose(candidates, corpus.near_copies, budget, knobs, selected=True)
    article_order = {a.id: i for i, a in enumerate(corpus.articles)}
    summary = []
    for c, others in zip(picked, _sources(corpus, picked, candidates, settings), strict=True):
        order = sorted(others, key=lambda i: article_order[i])
        summary.append(SummarySentence(c.text, c.article, c.start, c.end,
                                       (c.article, *order), tuple(others[i] for i in order)))
    return summary


def choose(pool: list[Candidate], near_copies: list[list[str]], budget: Budget,
           knobs: Knobs = KNOBS, *, selected: bool = False) -> list[Candidate]:
    """The summary sentences of a story whose sentences are ``pool`` (:func:`sentence_pool`,
    in story order), in story order. ``selected``: the pool is already
    :func:`select_candidates`'s choice."""
    candidates = pool if selected else select_candidates(pool, knobs)
    if not candidates:
        return []
    weights = concept_weights(candidates, near_copies, knobs)
    candidates = _shortlist(_unique(candidates), weights, budget)
    chosen = _solve(candidates, weights, bonuses(candidates, weights, knobs), budget)
    return [candidates[k] for k in sorted(chosen)]


def candidate_sentences(corpus: Brief, knobs: Knobs = KNOBS) -> list[Candidate]:
    """The sentences that may enter the summary, with their concepts (needs each article's
    parsed ``doc``): :func:`select_candidates` of the story's :func:`sentence_pool`."""
    return select_candidates(sentence_pool(corpus), knobs)


def select_candidates(pool: list[Candidate], knobs: Knobs = KNOBS) -> list[Candidate]:
    """The sentences of ``pool`` at most ``knobs.quoted_share`` direct speech, ending as a
    sentence ends (:data:`SENTENCE_END`: no headings or fragments), outside photo captions
    (``clean.is_caption``: a caption of a web page is often the first sentence ending in a
    full stop, and would be taken for the lead) and not opening with an answer to the
    sentence before (:data:`ANSWERS_BEFORE`). A story with no such sentence falls back to
    every sentence but quotations continued from before. A call to action of the page
    ("Click here for more details.", ``clean.is_call_to_action``), which the clean stage leaves
    in a paragraph of news, reports nothing and is never a candidate, not even in the
    fallback: a story of nothing else has no summary."""
    pool = [c for c in pool if not c.call]
    return [c for c in pool if c.quoted <= knobs.quoted_share and c.ends and not c.answers
            and not c.caption] \
        or [c for c in pool if c.quoted <= knobs.quoted_share or c.attributed]


def _unique(candidates: list[Candidate]) -> list[Candidate]:
    """The candidates less a sentence printed word for word before it in story order (by
    another article, or repeated by its own): a second one adds no concept but its
    plain-words bonus, and the summary would say it twice. The first in story order is kept
    (its article is the one cited first). Its concepts were counted: a wire copy's sentences
    are its own."""
    seen: set[str] = set()
    unique = []
    for c in candidates:
        key = " ".join(c.text.split())
        if key not in seen:
            seen.add(key)
            unique.append(c)
    return unique


def _city_dateline(text: str) -> Any:
    """:data:`CITY_DATELINE` at the start of ``text``, where it is a dateline: a place of at
    least :data:`DATELINE_LETTERS` letters, and not the opening of a parenthesis (an odd
    number of the same dash after it: "NASA — The agency that … — is cutting"; an aside
    after a dateline comes in pairs: "WASHINGTON — The Senate passed a bill — the first in
    a decade — on Tuesday")."""
    match = CITY_DATELINE.match(text)
    place = match.group(0).split(",")[0] if match else ""
    if match is None or sum(ch.isalpha() for ch in place) < DATELINE_LETTERS or \
            text[match.end():].count(f" {match.group(1)} ") % 2:
        return None
    return match


def sentence_pool(corpus: Brief) -> list[Candidate]:
    """Every sentence of the story (in story order) with its concepts and what
    :func:`select_candidates` reads; a wire dateline opening a sentence ("MARAVEL, Oct 15
    (CPA) - ") is no part of it, nor is a dateline without an agency opening one of the
    article's first paragraphs (:data:`CITY_DATELINE`); the sentences of a paragraph that is
    a photo caption (``clean.is_caption``) are marked ``caption``, a call to action
    (``clean.is_call_to_action``) ``call``."""
    pool = []
    for article in corpus.articles:
        doc = article.doc
        words = _words(doc) if doc is not None else []
        captions = {n for n, p in enumerate(article.paragraphs)
                    if is_caption(article.text[p.start:p.end])}
        quotes = _Quoted(article)
        paragraphs, last = 0, None
        for rank, sentence in enumerate(article.sentences):
            text = article.text[sentence.start:sentence.end]
            start = sentence.start
            # It opens a paragraph (the segment stage's paragraphs).
            opens = sentence.paragraph != last
            paragraphs, last = paragraphs + opens, sentence.paragraph
            dateline = WIRE_DATELINE.match(text) or (
                _city_dateline(text) if opens and paragraphs <= DATELINE_PARAGRAPHS else None)
            if dateline and text[dateline.end():].split():
                start += dateline.end()
                text = text[dateline.end():]
            if not text.split():
                continue
            quoted, attributed = quotes.of(sentence)
            span = doc.char_span(start, sentence.end, alignment_mode="expand") \
                if doc is not None else None
            pool.append(Candidate(article.id, rank, start, sentence.end, text,
                                  _concepts(words[span.start:span.end])
                                  if span is not None else frozenset(),
                                  quoted, attributed,
                                  SENTENCE_END.search(text) is not None,
                                  ANSWERS_BEFORE.match(text) is not None,
                                  sentence.paragraph in captions,
                                  call=is_call_to_action(text)))
    return pool


class _Quoted:
    """An article's quotes (partial and scare quotes in the reporter's own sentence left out),
    indexed once for :meth:`of`: every sentence read every quote, quadratic on a page of
    thousands of quotes."""

    def __init__(self, article: Article) -> None:
        self.quotes = [q for q in article.quotes if not q.fragment]
        self.chars = overlap_counter([(q.start, q.end) for q in self.quotes])
        # Where each quote names who says it (its speaker, its speech verb), in text order.
        self.anchors = sorted((at, n) for n, q in enumerate(self.quotes)
                              for at in (q.speaker_start, q.cue_start) if at is not None)
        self.at = [at for at, _ in self.anchors]

    def of(self, sentence: Any) -> tuple[float, bool]:
        """The share of the sentence that is direct speech, and whether the sentence names who
        says it (a speaker or speech verb of its own, not a quote continued from before)."""
        start, end = sentence.start, sentence.end
        inside = self.anchors[bisect.bisect_left(self.at, start):bisect.bisect_left(self.at, end)]
        attributed = any(min(self.quotes[n].end, end) > max(self.quotes[n].start, start)
                         for _, n in inside)
        return self.chars(start, end) / max(1, end - start), attributed


_Word = tuple[str, bool, bool] | None


def _words(doc: Any) -> list[_Word]:
    """Per token of ``doc``, what :func:`_concepts` reads of it: its lemma in lower case,
    whether it is a stop word and whether its part of speech is one of
    :data:`CONTENT_POS`; None for punctuation and space. Read as arrays, once per article:
    asking every token of every sentence for them cost more than the rest of the pool."""
    from spacy.attrs import IS_PUNCT, IS_SPACE, IS_STOP, LEMMA, POS
    from spacy.parts_of_speech import IDS

    content = {IDS[tag] for tag in CONTENT_POS}
    strings = doc.vocab.strings
    lowered: dict[int, str] = {}
    words: list[_Word] = []
    for lemma, stop, pos, punct, space in doc.to_array(
            [LEMMA, IS_STOP, POS, IS_PUNCT, IS_SPACE]).reshape(-1, 5).tolist():
        if punct or space:
            words.append(None)
            continue
        if lemma not in lowered:
            lowered[lemma] = strings[lemma].lower()
        words.append((lowered[lemma], bool(stop), pos in content))
    return words


def _concepts(tokens: list[_Word]) -> frozenset[Concept]:
    """Content lemmas and the word pairs (lemma bigrams) that are not two stop words, of
    a sentence's ``tokens`` (:func:`_words`)."""
    words = [t for t in tokens if t is not None]
    concepts: set[Concept] = {(w,) for w, stop, content in words if content and not stop}
    concepts.update((a[0], b[0]) for a, b in pairwise(words) if not (a[1] and b[1]))
    return frozenset(concepts)


def concept_weights(candidates: list[Candidate], near_copies: list[list[str]],
                    knobs: Knobs = KNOBS) -> dict[Concept, float]:
    """Each concept shared widely enough (``knobs.concept_share``), worth the number of
    independent articles using it, plus :data:`LEAD_WEIGHT` for each of them whose lead (its
    first candidate sentence) uses it.

    Near-copies (groups of article ids) count once, and so do their leads (what any of them
    leads with). A story of one article (or of copies of one) weighs every concept by the
    number of its sentences using it instead (with copies, in the copy using it most), and
    one more if its lead does."""
    group = {}
    for members in near_copies:
        for member in members:
            group[member] = members[0]
    first: dict[str, int] = {}  # each article's lead: its first candidate sentence
    for c in candidates:
        first[c.article] = min(c.rank, first.get(c.article, c.rank))
    # A unit (an article, or a group of near-copies) counts once, and so does its lead: what
    # any of its members leads with (a set, so the same whatever order the articles come in).
    units: dict[str, set[Concept]] = {}
    leads: dict[str, set[Concept]] = {}
    for c in candidates:
        unit = group.get(c.article, c.article)
        units.setdefault(unit, set()).update(c.concepts)
        if c.rank == first[c.article]:
            leads.setdefault(unit, set()).update(c.concepts)
    if len(units) >= 2:
        counts = Counter(concept for concepts in units.values() for concept in concepts)
        floor = max(2, min(FLOOR_ARTICLES,
                           math.ceil(knobs.concept_share * len(units) - 1e-9)))
    else:
        # One unit: a concept counts the sentences using it in the member that uses it most,
        # so that a copy does not count them again while the lead's bonus stays single (it
        # would outweigh the lead), and a longer version's own concepts still count.
        by_member: dict[str, Counter[Concept]] = {}
        for c in candidates:
            by_member.setdefault(c.article, Counter()).update(c.concepts)
        counts = Counter()
        for used in by_member.values():
            counts |= used
        floor = 1
    in_leads = Counter(concept for concepts in leads.values() for concept in concepts)
    # Unrelated articles may share nothing: then every concept counts.
    while floor > 1 and not any(n >= floor for n in counts.values()):
        floor -= 1
    return {concept: n + LEAD_WEIGHT * in_leads[concept] for concept, n in counts.items()
            if n >= floor}


def _shortlist(candidates: list[Candidate], weights: dict[Concept, float],
               budget: Budget) -> list[Candidate]:
    """The candidates worth giving the solver: for each limit of the budget, the
    :data:`MAX_CANDIDATES` best by worth per unit of that limit (per byte, per word, or per
    sentence). Sentences worth nothing are dropped."""
    value = [_sentence_value(c, weights) for c in candidates]
    costs: list[Any] = [lambda c: c.bytes] if budget.bytes is not None else []
    if budget.words is not None:
        costs.append(lambda c: c.words)
    if budget.sentences is not None:
        costs.append(lambda c: 1)
    if not costs:  # no limit: every sentence that adds something may be needed
        return [c for c, v in zip(candidates, value, strict=True) if v > 0]
    keep: set[int] = set()
    for cost in costs:
        ranked = sorted((k for k in range(len(candidates)) if value[k] > 0),
                        key=lambda k: (-value[k] / cost(candidates[k]), k))
        keep.update(ranked[:MAX_CANDIDATES])
    return [candidates[k] for k in sorted(keep)]


def _sentence_value(candidate: Candidate, weights: dict[Concept, float]) -> float:
    return sum(weights.get(concept, 0.0) for concept in candidate.concepts)


def bonuses(candidates: list[Candidate], weights: dict[Concept, float],
            knobs: Knobs = KNOBS) -> list[float]:
    """What each sentence is worth besides the concepts it covers: more for plain words
    (``knobs.plain_words``), a little less the further down its article it stands."""
    unit = sum(weights.values()) / len(weights) if weights else 1.0
    return [knobs.plain_words * unit * (c.words - c.bytes / BYTES_PER_WORD)
            - POSITION_TIEBREAK * (1.0 - 1.0 / (1.0 + c.rank)) for c in candidates]


def _solve(candidates: list[Candidate], weights: dict[Concept, float], bonus: list[float],
           budget: Budget) -> list[int]:
    """The indices of the candidates worth the most within ``budget`` (concept weight
    covered plus their ``bonus``): the exact solution of the integer program, or the greedy
    one where the solver fails."""
    greedy = _greedy(candidates, weights, bonus, budget)
    try:
        exact = _integer_program(candidates, weights, bonus, budget, greedy)
    except Exception:  # pragma: no cover - a solver failure must never lose the summary
        exact = None
    if exact is None:
        return greedy
    return exact if _objective(exact, candidates, weights, bonus) >= \
        _objective(greedy, candidates, weights, bonus) - 1e-9 else greedy


def _objective(chosen: list[int], candidates: list[Candidate],
               weights: dict[Concept, float], bonus: list[float]) -> float:
    covered = set().union(*(candidates[k].concepts for k in chosen)) if chosen else set()
    return sum(weights.get(c, 0.0) for c in covered) + sum(bonus[k] for k in chosen)


def _integer_program(candidates: list[Candidate], weights: dict[Concept, float],
                     bonus: list[float], budget: Budget,
                     start: list[int] | None = None) -> list[int] | None:
    """maximise sum(w_c z_c) + sum(b_s x_s) subject to z_c <= sum of the x_s of the sentences
    containing c, the budget's rows, x in {0, 1} and 0 <= z <= 1 (the z are integral at the
    optimum). None when the solver finds no solution in time.

    Solved by HiGHS through its own bindings (highspy): importing scipy.optimize for the same
    solver takes longer than a whole cold brief can spare."""
    import highspy
    import numpy as np

    concepts = sorted({c for cand in candidates for c in cand.concepts if c in weights})
    index = {c: i for i, c in enumerate(concepts)}
    n, m = len(candidates), len(concepts)
    budget_rows: list[tuple[list[float], float]] = []
    if budget.bytes is not None:  # sentences are joined by one space
        budget_rows.append(([c.bytes + 1.0 for c in candidates], budget.bytes + 1.0))
    if budget.words is not None:
        budget_rows.append(([float(c.words) for c in candidates], float(budget.words)))
    if budget.sentences is not None:
        budget_rows.append(([1.0] * n, float(budget.sentences)))
    # Rows: one per concept (z_c - sum x_s <= 0), then the budget's. Columns: x, then z.
    starts, rows, values = [0], [], []
    for k, cand in enumerate(candidates):
        for row in sorted(index[c] for c in cand.concepts if c in index):
            rows.append(row)
            values.append(-1.0)
        for r, (coefficients, _) in enumerate(budget_rows):
            rows.append(m + r)
            values.append(coefficients[k])
        starts.append(len(rows))
    for i in range(m):
        rows.append(i)
        values.append(1.0)
        starts.append(len(rows))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n + m, m + len(budget_rows)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = np.array(list(bonus) + [weights[c] for c in concepts])
    lp.col_lower_, lp.col_upper_ = np.zeros(n + m), np.ones(n + m)
    lp.row_lower_ = np.full(lp.num_row_, -highspy.kHighsInf)
    lp.row_upper_ = np.array([0.0] * m + [limit for _, limit in budget_rows])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = lp.num_col_, lp.num_row_
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(rows, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(values)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n + \
        [highspy.HighsVarType.kContinuous] * m
    solver = _solver()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("mip_max_nodes", SOLVER_NODES)
    solver.setOptionValue("time_limit", SOLVER_GUARD_SECONDS)
    solver.setOptionValue("threads", 1)
    solver.setOptionValue("mip_rel_gap", SOLVER_GAP)
    solver.passModel(lp)
    if start is not None:  # the greedy solution: a good first bound prunes most of the search
        chosen = set(start)
        covered = {index[c] for k in chosen for c in candidates[k].concepts if c in index}
        initial = highspy.HighsSolution()
        initial.col_value = [1.0 if k in chosen else 0.0 for k in range(n)] + \
            [1.0 if i in covered else 0.0 for i in range(m)]
        initial.value_valid = True
        solver.setSolution(initial)
    solver.run()
    if solver.getModelStatus() == highspy.HighsModelStatus.kTimeLimit:
        log.warning("the summary's solver stopped at its %.0f s guard: this summary may differ "
                    "on another machine", SOLVER_GUARD_SECONDS)
    if solver.getInfo().primal_solution_status != highspy.kSolutionStatusFeasible:
        return None
    x = solver.getSolution().col_value
    return [k for k in range(n) if x[k] > 0.5]


_SOLVERS = threading.local()


def _solver() -> Any:
    """This thread's HiGHS solver, emptied for a new model. Built once per thread: HiGHS
    prints its banner on standard output when one is built, before any option can silence
    it, so it is built with file descriptor 1 pointed at the null device (a library never
    writes to its caller's stdout)."""
    import highspy

    solver = getattr(_SOLVERS, "solver", None)
    if solver is None:
        with _descriptor_to_null(1):
            solver = highspy.Highs()  # type: ignore[no-untyped-call]
        solver.setOptionValue("output_flag", False)
        _SOLVERS.solver = solver
    else:
        solver.clearModel()
        solver.clearSolver()
    return solver


@contextlib.contextmanager
def _descriptor_to_null(fd: int) -> Iterator[None]:
    """Whatever C code writes to descriptor ``fd`` inside the block is discarded."""
    sys.stdout.flush()
    try:
        saved = os.dup(fd)
    except OSError:  # no such descriptor: nothing can reach it anyway
        yield
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, fd)
        yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)
        os.close(null)


def _greedy(candidates: list[Candidate], weights: dict[Concept, float], bonus: list[float],
            budget: Budget) -> list[int]:
    """Add the sentence with the best gain per byte that fits, until none fits or gains."""
    chosen: list[int] = []
    texts: list[str] = []
    covered: set[Concept] = set()
    left = set(range(len(candidates)))
    while left:
        best, best_gain = None, 0.0
        for k in sorted(left):
            cand = candidates[k]
            if not budget.fits(texts, cand.text):
                # Budget.fits only grows stricter as sentences are added: never again.
                left.discard(k)
                continue
            gain = sum(weights.get(c, 0.0) for c in cand.concepts - covered) \
                + bonus[k]
            if gain / cand.bytes > best_gain:
                best, best_gain = k, gain / cand.bytes
        if best is None:
            break
        left.discard(best)
        chosen.append(best)
        texts.append(candidates[best].text)
        covered |= candidates[best].concepts
    return chosen


def _sources(corpus: Brief, picked: list[Candidate], candidates: list[Candidate],
             settings: Settings) -> list[dict[str, Span]]:
    """Per chosen sentence, the other articles that say the same, each with where it says
    it: the clause of each article supporting a claim the sentence states (the best-supported
    claim first), or without the claims stage each article's sentence most similar to it, at
    least :data:`SAME_SENTENCE`."""
    if corpus.claims:
        found: list[dict[str, Span]] = []
        for c in picked:
            others: dict[str, Span] = {}
            for claim in corpus.claims:  # consensus first: the claims stage's order
                if len(claim.support) > 1 and any(
                        s.article == c.article and s.start < c.end and c.start < s.end
                        for s in claim.support):
                    for span in claim.support:
                        if span.article != c.article:
                            others.setdefault(span.article, span)
            found.append(others)
        return found
    if not picked:
        return []
    import numpy as np

    from .align import SCORE_DECIMALS
    from .nlp import encode

    vectors = encode([c.text for c in picked] + [c.text for c in candidates], settings)
    # Rounded as the claims' scores are: of an article's sentences as similar once
    # rounded, the first in the articles' order is the source, whatever the
    # product's last bits (they differ with the CPU and the BLAS threads). The threshold
    # stays one edge, moved, not removed: a similarity on the rounding's edge under
    # SAME_SENTENCE (0.7495) still turns on its last bits, as one at 0.75 did unrounded.
    similarity = np.round(vectors[:len(picked)] @ vectors[len(picked):].T, SCORE_DECIMALS)
    found = []
    for k, c in enumerate(picked):
        best: dict[str, tuple[float, Span]] = {}
        for j, other in enumerate(candidates):
            score = float(similarity[k, j])
            held = best[other.article][0] if other.article in best else 0.0
            if other.article != c.article and score >= SAME_SENTENCE and score > held:
                best[other.article] = (score, Span(other.article, other.start, other.end))
        found.append({article: span for article, (_, span) in best.items()})
    return found
