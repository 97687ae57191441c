"""Synthesis: the cited summary of a story.

:func:`summarize` treats the summary as a budgeted coverage problem, the concept model of
multi-document summarisation (Gillick and Favre, "A Scalable Global Model for Summarization",
2009): the story's **concepts** are the content words and word pairs (lemmas) of its
sentences; a concept is worth the number of independent articles that use it (near-copies
count once), and only concepts that at least :data:`CONCEPT_SHARE` of the articles share count
at all. The summary is the set of sentences, within the length budget, whose concepts are worth
the most together. That one objective carries what a brief needs:

- **coverage of the consensus**: what most outlets say is worth most;
- **centrality**: a sentence is chosen for how much of the shared story it says;
- **non-redundancy**: a concept counts once, so a second sentence saying the same adds nothing;
- **reporting, not opinion**: an editorialising sentence is worth less (:data:`OPINION_WEIGHT`).

It is solved exactly, as an integer program (scipy's HiGHS solver), not greedily: on DUC 2004
the exact solution is worth about two ROUGE-1 points over the greedy one (benchmarks/duc2004.py).
The greedy solution is kept as the fallback for a solver that runs out of time. The byte budget
never cuts a sentence: the program chooses whole sentences. Each summary sentence cites the
article and span it comes from and every article that supports a claim it states
(``sources``).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from .config import Settings
from .model import Article, Corpus, SummarySentence

# A sentence shorter than this many words is a heading or a fragment, not summary material.
MIN_WORDS = 6
# A sentence more than this share quoted, with no speaker or speech verb of its own, is left
# out: a quotation continued from the sentence before makes no sense alone.
QUOTED_SHARE = 0.5
# A concept counts when at least this share of the story's independent articles use it
# (and at least two of them): three of ten, two of five.
CONCEPT_SHARE = 0.3
# How much less a sentence is worth per point of its opinion score (0-1): at 0.1 a fully
# editorial sentence's concepts are worth 10 % less.
OPINION_WEIGHT = 0.1
# Among sentences worth the same, the earlier in its article wins (news states the facts
# first), by this small fraction of a concept's weight; it also keeps sentences that add
# nothing out of the summary.
POSITION_TIEBREAK = 1e-3
# The solver's time limit (seconds); the greedy solution stands in beyond it.
SOLVER_SECONDS = 10.0
# Above this many candidate sentences, only the best by worth per byte are given to the
# solver (a story of hundreds of articles).
MAX_CANDIDATES = 1500
# Similarity from which another article's sentence counts as saying the same (a source),
# when the claims stage has not run.
SAME_SENTENCE = 0.75

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


@dataclass
class Candidate:
    """A sentence that may enter the summary, with its concepts."""

    article: Article
    rank: int  # the sentence's position in its article
    start: int
    end: int
    text: str
    concepts: frozenset[Concept]
    opinion: float = 0.0

    @property
    def bytes(self) -> int:
        return len(self.text.encode("utf-8"))

    @property
    def words(self) -> int:
        return len(self.text.split())


def summarize(corpus: Corpus, budget: Budget, settings: Settings) -> list[SummarySentence]:
    """The summary of the corpus's story within ``budget``, in the order of the story."""
    candidates = candidate_sentences(corpus)
    if not candidates:
        return []
    weights = concept_weights(corpus, candidates)
    value = [_sentence_value(c, weights) for c in candidates]
    if len(candidates) > MAX_CANDIDATES:
        keep = sorted(range(len(candidates)),
                      key=lambda k: (-value[k] / candidates[k].bytes, k))[:MAX_CANDIDATES]
        candidates = [candidates[k] for k in sorted(keep)]
    chosen = _solve(candidates, weights, budget)
    article_order = {a.id: i for i, a in enumerate(corpus.articles)}
    chosen.sort(key=lambda k: (article_order[candidates[k].article.id], candidates[k].start))
    picked = [candidates[k] for k in chosen]
    sources = _sources(corpus, picked, candidates, settings)
    return [SummarySentence(c.text, c.article.id, c.start, c.end, (
        c.article.id, *sorted(others, key=lambda i: article_order[i])))
        for c, others in zip(picked, sources, strict=True)]


def candidate_sentences(corpus: Corpus) -> list[Candidate]:
    """Every sentence of at least :data:`MIN_WORDS` words, with its concepts (needs each
    article's parsed ``doc``)."""
    candidates = []
    for article in corpus.articles:
        doc = article.doc
        for rank, sentence in enumerate(article.sentences):
            text = article.text[sentence.start:sentence.end]
            if len(text.split()) < MIN_WORDS or _unattributed_quote(article, sentence):
                continue
            span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand") \
                if doc is not None else None
            opinion = article.sentence_opinion[rank] \
                if rank < len(article.sentence_opinion) else 0.0
            candidates.append(Candidate(article, rank, sentence.start, sentence.end, text,
                                        _concepts(span) if span is not None else frozenset(),
                                        float(opinion)))
    return candidates


def _unattributed_quote(article: Article, sentence: Any) -> bool:
    """Whether the sentence is mostly quoted words and names no one who says them (a quote
    continuing from the previous sentence): out of context in a summary."""
    quoted, attributed = 0, False
    for quote in article.quotes:
        overlap = min(quote.end, sentence.end) - max(quote.start, sentence.start)
        if overlap <= 0:
            continue
        quoted += overlap
        attributed = attributed or any(
            at is not None and sentence.start <= at < sentence.end
            for at in (quote.speaker_start, quote.cue_start))
    return quoted > QUOTED_SHARE * (sentence.end - sentence.start) and not attributed


def _concepts(span: Any) -> frozenset[Concept]:
    """Content lemmas and the word pairs (lemma bigrams) that are not two stop words."""
    words = [(t.lemma_.lower(), t.is_stop, t.pos_ in CONTENT_POS)
             for t in span if not t.is_punct and not t.is_space]
    concepts: set[Concept] = {(w,) for w, stop, content in words if content and not stop}
    concepts.update((a[0], b[0]) for a, b in pairwise(words) if not (a[1] and b[1]))
    return frozenset(concepts)


def concept_weights(corpus: Corpus, candidates: list[Candidate]) -> dict[Concept, float]:
    """Each concept shared widely enough, worth the number of independent articles using it.

    Near-copies count once. A story of one article (or of copies of one) weighs every
    concept by the number of its sentences using it instead."""
    group = {}
    for members in corpus.near_copies:
        for member in members:
            group[member] = members[0]
    units: dict[str, set[Concept]] = {}
    for c in candidates:
        units.setdefault(group.get(c.article.id, c.article.id), set()).update(c.concepts)
    if len(units) >= 2:
        counts = Counter(concept for concepts in units.values() for concept in concepts)
        floor = max(2, math.ceil(CONCEPT_SHARE * len(units) - 1e-9))
    else:
        counts = Counter(concept for c in candidates for concept in c.concepts)
        floor = 1
    # Unrelated articles may share nothing: then every concept counts.
    while floor > 1 and not any(n >= floor for n in counts.values()):
        floor -= 1
    return {concept: float(n) for concept, n in counts.items() if n >= floor}


def _sentence_value(candidate: Candidate, weights: dict[Concept, float]) -> float:
    return sum(weights.get(concept, 0.0) for concept in candidate.concepts)


def _bonus(candidate: Candidate, weights: dict[Concept, float]) -> float:
    """What a sentence is worth besides the concepts it covers: less for opinion, a little
    less the further down its article it stands."""
    return -OPINION_WEIGHT * candidate.opinion * _sentence_value(candidate, weights) \
        - POSITION_TIEBREAK * (1.0 - 1.0 / (1.0 + candidate.rank))


def _solve(candidates: list[Candidate], weights: dict[Concept, float],
           budget: Budget) -> list[int]:
    """The indices of the candidates that cover the most concept weight within ``budget``:
    the exact solution of the integer program, or the greedy one where the solver fails."""
    greedy = _greedy(candidates, weights, budget)
    try:
        exact = _integer_program(candidates, weights, budget)
    except Exception:  # pragma: no cover - a solver failure must never lose the summary
        exact = None
    if exact is None:
        return greedy
    return exact if _objective(exact, candidates, weights) >= \
        _objective(greedy, candidates, weights) - 1e-9 else greedy


def _objective(chosen: list[int], candidates: list[Candidate],
               weights: dict[Concept, float]) -> float:
    covered = set().union(*(candidates[k].concepts for k in chosen)) if chosen else set()
    return sum(weights.get(c, 0.0) for c in covered) + \
        sum(_bonus(candidates[k], weights) for k in chosen)


def _integer_program(candidates: list[Candidate], weights: dict[Concept, float],
                     budget: Budget) -> list[int] | None:
    """maximise sum(w_c z_c) + sum(b_s x_s) subject to z_c <= sum of the x_s of the sentences
    containing c, the budget's rows, and x, z in {0, 1}."""
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix, vstack

    concepts = sorted({c for cand in candidates for c in cand.concepts if c in weights})
    index = {c: i for i, c in enumerate(concepts)}
    n, m = len(candidates), len(concepts)
    rows, cols = [], []
    for k, cand in enumerate(candidates):
        for c in cand.concepts:
            if c in index:
                rows.append(index[c])
                cols.append(k)
    # z_c - sum(x_s : s contains c) <= 0
    cover = coo_matrix((np.concatenate([-np.ones(len(rows)), np.ones(m)]),
                        (np.concatenate([rows, np.arange(m)]),
                         np.concatenate([cols, n + np.arange(m)]))), shape=(m, n + m))
    limits: list[tuple[Any, float]] = []
    if budget.bytes is not None:  # sentences are joined by one space
        limits.append((np.array([c.bytes + 1 for c in candidates]), budget.bytes + 1))
    if budget.words is not None:
        limits.append((np.array([c.words for c in candidates]), budget.words))
    if budget.sentences is not None:
        limits.append((np.ones(n), budget.sentences))
    matrix = vstack([cover, *(coo_matrix(np.concatenate([row, np.zeros(m)]))
                              for row, _ in limits)]).tocsr()
    upper = np.concatenate([np.zeros(m), [limit for _, limit in limits]])
    objective = -np.concatenate([[_bonus(c, weights) for c in candidates],
                                 [weights[c] for c in concepts]])
    result = milp(objective, constraints=LinearConstraint(matrix, -np.inf, upper),
                  integrality=np.concatenate([np.ones(n), np.zeros(m)]),
                  bounds=Bounds(0, 1), options={"time_limit": SOLVER_SECONDS})
    if result.x is None:
        return None
    return [k for k in range(n) if result.x[k] > 0.5]


def _greedy(candidates: list[Candidate], weights: dict[Concept, float],
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
                continue
            gain = sum(weights.get(c, 0.0) for c in cand.concepts - covered) \
                + _bonus(cand, weights)
            if gain / cand.bytes > best_gain:
                best, best_gain = k, gain / cand.bytes
        if best is None:
            break
        left.discard(best)
        chosen.append(best)
        texts.append(candidates[best].text)
        covered |= candidates[best].concepts
    return chosen


def _sources(corpus: Corpus, picked: list[Candidate], candidates: list[Candidate],
             settings: Settings) -> list[set[str]]:
    """Per chosen sentence, the other articles that say the same: those supporting a claim it
    states, or without the claims stage those with a sentence at least :data:`SAME_SENTENCE`
    similar to it."""
    if corpus.claims:
        return [{o.article for claim in corpus.claims if len(claim.support) > 1
                 if any(s.article == c.article.id and c.start <= s.start < c.end
                        for s in claim.support)
                 for o in claim.support} - {c.article.id} for c in picked]
    if not picked:
        return []
    from .nlp import encode

    vectors = encode([c.text for c in picked] + [c.text for c in candidates], settings)
    similarity = vectors[:len(picked)] @ vectors[len(picked):].T
    return [{candidates[j].article.id for j in range(len(candidates))
             if similarity[k, j] >= SAME_SENTENCE} - {c.article.id}
            for k, c in enumerate(picked)]
