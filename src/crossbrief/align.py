"""Alignment across articles: near-copies and the quote matrix.

- **Near-copies.** Wire stories are reprinted with a new headline and a sentence added; such
  articles are not independent sources. Two articles are near-copies when most of the
  shorter one's word 5-grams (shingles) also occur in the other (``COPY_CONTAINMENT``).
  Groups of near-copies are listed on ``Corpus.near_copies`` (article ids, oldest first).
- **Quote matrix.** The same quotation carried by several articles, whole or in part, with
  the same words or slightly different ones. Quotes are matched on folded text (quotes,
  dashes and case ignored): a quote whose words lie inside another's is a *partial* of it
  ("journey of friendship" within "journey of friendship, cooperation and peace"); quotes
  whose words are nearly the same but not contained are flagged *reworded*. Each group on
  ``Corpus.quote_groups`` names its speaker and every article carrying it.

Tunable thresholds sit together below.
"""

from __future__ import annotations

import re
from collections import Counter

from rapidfuzz import fuzz

from .clean import fold
from .model import Article, Corpus, Quote, QuoteGroup, QuoteRef, content_hash

# Word n-gram length for near-copy shingles: long enough that shared stock phrases ("said
# on Tuesday that the") do not make two independent reports look copied.
SHINGLE_WORDS = 5
# Share of the shorter article's shingles found in the other for the two to be near-copies.
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


def _words(text: str) -> str:
    return " ".join(fold(text).split())


def _contains(longer: str, shorter: str) -> bool:
    return bool(re.search(rf"(?:^| ){re.escape(shorter)}(?: |$)", longer))


def match_quotes(corpus: Corpus) -> list[QuoteGroup]:
    """The quote matrix: each quotation with every article that carries it."""
    entries = [(article, quote, _words(article.text[quote.start:quote.end]))
               for article in corpus.articles for quote in article.quotes]
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


def align(corpus: Corpus) -> Corpus:
    """Set ``corpus.near_copies`` and ``corpus.quote_groups``."""
    corpus.near_copies = find_near_copies(corpus.articles)
    corpus.quote_groups = match_quotes(corpus)
    return corpus
