"""Synthesis: the cited summary of a story.

:func:`summarize` picks sentences for **centrality** (how much of the story a sentence says:
its mean similarity to every other sentence, from the sentence encoder), **position** (news
puts the facts first) and **non-redundancy** (maximal marginal relevance: a sentence close to
one already chosen is passed over), within a length budget of sentences, words or bytes. The
byte budget never cuts a sentence: one that does not fit is skipped for a shorter one. Each
summary sentence cites the article and span it comes from and every article with a sentence
that says the same (``sources``).

The constants below are the tunable parts; benchmarks/duc2004.py measures them on DUC 2004.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .config import Settings
from .model import Corpus, SummarySentence

# A sentence shorter than this many words is a heading or a fragment, not summary material.
MIN_WORDS = 6
# Weight of the lead-position prior against centrality (0: centrality only).
POSITION_WEIGHT = 0.3
# Maximal marginal relevance: 1 ranks by relevance only, 0 by novelty only.
MMR_LAMBDA = 0.7
# Similarity from which another article's sentence counts as saying the same (a source),
# when the claims stage has not run.
SAME_SENTENCE = 0.75
# Weight of coverage: the share of the story's independent articles that support the
# sentence's best-supported claim (claims stage). A fact most outlets report belongs in the
# brief.
COVERAGE_WEIGHT = 0.3
# Weight against editorialising (the opinion stage's sentence score, 0-1).
OPINION_WEIGHT = 0.3


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


def summarize(corpus: Corpus, budget: Budget, settings: Settings) -> list[SummarySentence]:
    """The summary of the corpus's story within ``budget``, in the order of the story."""
    import numpy as np

    from .nlp import encode

    units = []
    for article in corpus.articles:
        for rank, sentence in enumerate(article.sentences):
            text = article.text[sentence.start:sentence.end]
            if len(text.split()) >= MIN_WORDS:
                units.append((article, sentence.start, sentence.end, text, rank))
    if not units:
        return []
    vectors = encode([u[3] for u in units], settings)
    similarity = vectors @ vectors.T
    n = len(units)
    centrality = (similarity.sum(axis=1) - 1.0) / max(1, n - 1)
    position = np.array([1.0 / (1.0 + u[4]) for u in units])
    relevance = (1 - POSITION_WEIGHT) * _normalise(centrality) + POSITION_WEIGHT * position
    relevance = relevance + COVERAGE_WEIGHT * _coverage(corpus, units) \
        - OPINION_WEIGHT * np.array([_opinion(u[0], u[4]) for u in units])

    chosen: list[int] = []
    texts: list[str] = []
    candidates = set(range(n))
    while candidates:
        def gain(k: int) -> float:
            redundancy = max((similarity[k, c] for c in chosen), default=0.0)
            return float(MMR_LAMBDA * relevance[k] - (1 - MMR_LAMBDA) * redundancy)

        best = max(candidates, key=lambda k: (gain(k), -k))
        candidates.discard(best)
        if budget.fits(texts, units[best][3]):
            chosen.append(best)
            texts.append(units[best][3])
        elif budget.sentences is not None and len(texts) >= budget.sentences:
            break
    # In the story's order: by article, then by position in it.
    article_order = {a.id: i for i, a in enumerate(corpus.articles)}
    chosen.sort(key=lambda k: (article_order[units[k][0].id], units[k][1]))
    summary = []
    for k in chosen:
        article, start, end, text, _ = units[k]
        if corpus.claims:  # the articles supporting the claims the sentence states
            others = {o.article for c in corpus.claims if len(c.support) > 1
                      if any(s.article == article.id and start <= s.start < end
                             for s in c.support) for o in c.support} - {article.id}
        else:
            others = {units[j][0].id for j in range(n)
                      if units[j][0].id != article.id and similarity[k, j] >= SAME_SENTENCE}
        summary.append(SummarySentence(text, article.id, start, end, (
            article.id, *sorted(others, key=lambda i: article_order[i]))))
    return summary


def _coverage(corpus: Corpus, units: list[Any]) -> Any:
    """Per unit: the best support share of the claims stated in it (0 without claims)."""
    import numpy as np

    total = max(1, corpus.independent_count([a.id for a in corpus.articles]))
    best: dict[tuple[str, int], float] = {}
    for claim in corpus.claims:
        for span in claim.support:
            key = (span.article, span.start)
            best[key] = max(best.get(key, 0.0), claim.independent / total)
    values = []
    for article, start, end, _, _ in units:
        values.append(max((v for (a, s), v in best.items()
                           if a == article.id and start <= s < end), default=0.0))
    return np.array(values)


def _opinion(article: Any, rank: int) -> float:
    scores = article.sentence_opinion
    return float(scores[rank]) if rank < len(scores) else 0.0


def _normalise(values: Any) -> Any:
    low, high = float(values.min()), float(values.max())
    return (values - low) / (high - low) if high > low else values * 0.0
