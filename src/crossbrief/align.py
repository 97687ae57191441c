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
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from .clean import fold
from .config import Settings
from .model import Article, Claim, Corpus, Quote, QuoteGroup, QuoteRef, Span, content_hash

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
# Pair score = weighted encoder cosine + content-word overlap + shared rare words, minus a
# penalty when one side states a number the other lacks ("met 40 times" is not "met").
# Fitted on the bundled example's labelled consensus evidence (benchmarks/claims.py).
# The fit favours precision: a false link merges two facts into one claim.
W_COSINE = 0.6
W_WORDS = 0.2
# Shared rare words count on their own, however long the sentences ("12-point plan" in
# two long sentences): 1 - exp(-(summed rarity of the shared words) / SHARED_SCALE).
W_SHARED = 0.4
SHARED_SCALE = 8.0
NUMBER_PENALTY = 0.05
# Pair scores are rounded to this many decimals before any decision (pair_scores).
SCORE_DECIMALS = 3
SAME_CLAIM = 0.5
LINK_FLOOR = 0.2
SUPPORT = 0.44
# ... or that scores as a same-claim pair with one of the group's clauses and at least this
# on average with all of them (the medoid of a group of two is either of its clauses).
SUPPORT_MEAN = 0.4
# A single-source claim must be specific (name a number, a date or an entity) and reported
# rather than editorialised (sentence opinion below this) to be listed as a fact.
FACT_MAX_OPINION = 0.5
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
    # A proposition embedded in a noun phrase ("the plan that Xi proposed last month" inside
    # "Putin praised the plan that Xi proposed last month"): it may only support a claim other
    # articles state, never make one or a conflict of its own.
    embedded: bool = False

    @property
    def text(self) -> str:
        return self.article.text[self.start:self.end]


def split_units(article: Article) -> list[Unit]:
    """The clauses of ``article``'s sentences (needs the parsed ``doc``)."""
    doc = article.doc
    units: list[Unit] = []
    for number, sentence in enumerate(article.sentences):
        text = article.text[sentence.start:sentence.end]
        if len(text.split()) < MIN_SENTENCE_WORDS:
            continue
        span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand") \
            if doc is not None else None
        pieces = _clauses(span) if span is not None else \
            [(sentence.start, sentence.end, "")]
        for start, end, prefix in pieces:
            units.append(Unit(article, start, end, number,
                              f"{prefix} {article.text[start:end]}".strip()))
        for start, end in _embedded(span) if span is not None else ():
            units.append(Unit(article, start, end, number, article.text[start:end],
                              embedded=True))
    _describe(article, units)
    return units


def _clauses(sent: Any) -> list[tuple[int, int, str]]:
    """(start, end, context prefix) of each clause of a spaCy sentence span."""
    doc = sent.doc
    cuts: dict[int, str] = {}
    last = sent.end - 1
    while last > sent.start and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    for token in sent:
        if token.text == ";" and token.i + 1 < sent.end:
            cuts[token.i + 1] = ""
        elif (token.dep_ == "conj" and token.pos_ in ("VERB", "AUX")
              and token.head.dep_ == "ROOT"
              and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in token.children)):
            cuts[token.left_edge.i] = ""
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
                          or tokens[0].dep_ == "cc"):
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
            subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
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
    for unit in units:
        inside = [m for m in mentions if m.start >= unit.start and m.end <= unit.end]
        entities = frozenset(m.entity for m in inside if m.entity)
        covered = [(m.start, m.end) for m in inside if m.entity]
        words: set[str] = set()
        if doc is not None:
            for token in doc.char_span(unit.start, unit.end, alignment_mode="expand") or []:
                if token.is_stop or token.pos_ not in CONTENT_POS or (not token.is_alpha \
                        and not token.like_num):
                    continue
                if any(s <= token.idx < e for s, e in covered):
                    continue
                words.add(token.lemma_.lower())
        unit.words = frozenset(words | {f"@{e}" for e in entities})
        unit.entities = entities
        unit.numbers = sum(1 for m in inside if m.label in NUMBER_LABELS)
        unit.dates = sum(1 for d in article.dates
                         if d.value and d.start >= unit.start and d.end <= unit.end)


def pair_scores(units: list[Unit], vectors: Any) -> Any:
    """Matrix of pair scores between units (0 within one article).

    Both halves discount what the whole story shares: the vectors are centred on the story's
    mean (every sentence of a Xi–Putin story is "about Russia, China and Ukraine"), and words
    are weighted by their rarity among the story's clauses.
    """
    import math

    import numpy as np

    n = len(units)
    centred = vectors - vectors.mean(axis=0, keepdims=True)
    norms = np.linalg.norm(centred, axis=1, keepdims=True)
    centred = centred / np.where(norms == 0, 1.0, norms)
    cosine = centred @ centred.T
    frequency = Counter(w for u in units for w in u.words)
    weight = {w: math.log((1 + n) / (1 + f)) + 1.0 for w, f in frequency.items()}
    scores = np.zeros((n, n), dtype=np.float32)
    for i in range(n):
        a = units[i]
        for j in range(i + 1, n):
            b = units[j]
            if a.article.id == b.article.id:
                continue
            shared = sum(weight[w] for w in a.words & b.words)
            score = W_COSINE * float(cosine[i, j]) \
                + W_WORDS * _overlap(a.words, b.words, weight) \
                + W_SHARED * (1.0 - math.exp(-shared / SHARED_SCALE))
            if bool(a.numbers) != bool(b.numbers):
                score -= NUMBER_PENALTY
            scores[i, j] = scores[j, i] = score
    # Rounded, so that no decision (a threshold, which pair links first, which clause stands
    # for a claim) turns on float noise: the static embeddings are distilled on each machine,
    # and their last bits differ with the CPU. Equal scores are then ordered by content.
    return np.round(scores, SCORE_DECIMALS)


def _overlap(a: frozenset[str], b: frozenset[str], weight: dict[str, float]) -> float:
    """Weighted overlap coefficient: the weight of the shared items over the smaller side's
    (0 when either is empty)."""
    if not a or not b:
        return 0.0

    def total(items: frozenset[str]) -> float:
        return sum(weight.get(i, 1.0) for i in items)

    return total(a & b) / min(total(a), total(b))


def group_units(units: list[Unit], scores: Any, threshold: float = SAME_CLAIM,
                floor: float | None = None) -> list[list[int]]:
    """Average-linkage groups of units scoring at least ``threshold``, one unit per article,
    in which no pair scores below ``floor`` (no chaining of loosely related clauses)."""
    floor = LINK_FLOOR if floor is None else floor
    import numpy as np

    cluster = list(range(len(units)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(units))}
    pairs = np.argwhere(np.triu(scores, 1) >= threshold)
    order = sorted(((float(scores[i, j]), int(i), int(j)) for i, j in pairs), reverse=True)
    for _, i, j in order:
        a, b = cluster[i], cluster[j]
        if a == b:
            continue
        articles_a = {units[k].article.id for k in members[a]}
        if any(units[k].article.id in articles_a for k in members[b]):
            continue
        block = scores[np.ix_(members[a], members[b])]
        if float(block.mean()) < threshold or float(block.min()) < floor:
            continue
        for k in members[b]:
            cluster[k] = a
        members[a].extend(members.pop(b))
    groups = [sorted(m) for m in members.values()]
    return _extend_support(units, scores, groups)


def _extend_support(units: list[Unit], scores: Any, groups: list[list[int]]) -> list[list[int]]:
    """Let a group of several articles take in a clause of another article that scores at
    least ``SUPPORT`` with the group's representative (its medoid) and is in no other group
    of several: a clause that states the fact in other words, or as part of a longer one,
    supports it without matching every wording of it. A clause that scores as a same claim
    with one of the group's clauses and at least ``SUPPORT_MEAN`` on average with all of them
    supports it too."""
    size = {k: len(g) for g in groups for k in g}
    extended = []
    for group in sorted(groups, key=len, reverse=True):
        if len(group) < 2:
            extended.append(group)
            continue
        medoid = max(group, key=lambda k: float(scores[k, group].sum()))
        articles = {units[k].article.id for k in group}
        best: dict[str, tuple[float, int]] = {}
        for k, unit in enumerate(units):
            if size.get(k, 1) > 1 or unit.article.id in articles:
                continue
            score = float(scores[medoid, k])
            row = scores[k, group]
            if score < SUPPORT and (float(row.max()) < SAME_CLAIM
                                    or float(row.mean()) < SUPPORT_MEAN):
                continue
            score = max(score, float(row.mean()))
            if score > best.get(unit.article.id, (0.0, -1))[0]:
                best[unit.article.id] = (score, k)
        for _, k in best.values():
            size[k] = 2
        extended.append(sorted(group + [k for _, k in best.values()]))
    taken = {k for g in extended if len(g) > 1 for k in g}
    return [g for g in extended if len(g) > 1 or g[0] not in taken]


def build_claims(corpus: Corpus, settings: Settings) -> list[Claim]:
    """Group the clauses of all articles into claims with statuses; find the conflicts
    among them (``corpus.conflicts``)."""
    import numpy as np

    from .conflicts import find_conflicts
    from .nlp import encode

    units = [u for article in corpus.articles for u in split_units(article)]
    if not units:
        corpus.conflicts = []
        return []
    vectors = encode([u.context for u in units], settings)
    scores = pair_scores(units, vectors)
    clauses = [k for k, u in enumerate(units) if not u.embedded]
    corpus.conflicts = find_conflicts(corpus, [units[k] for k in clauses],
                                      scores[np.ix_(clauses, clauses)])
    total = corpus.independent_count([a.id for a in corpus.articles])
    claims = []
    for group in group_units(units, scores):
        ids = [units[k].article.id for k in group]
        if len(set(ids)) < 2 and units[group[0]].embedded:
            continue
        independent = corpus.independent_count(ids)
        if independent >= 2:
            status = "consensus" if independent * 2 >= total else "corroborated"
        else:
            if not _is_fact(units[group[0]]):
                continue
            status = "single"
        # The representative: a whole clause closest to all the others, then the earliest.
        best = max(group, key=lambda k: (not units[k].embedded, float(scores[k, group].sum()),
                                         -units[k].sentence))
        order = [best, *sorted((k for k in group if k != best),
                               key=lambda k: (-float(scores[best, k]), units[k].article.id))]
        support = [Span(units[k].article.id, units[k].start, units[k].end) for k in order]
        merged = [g for g in corpus.near_copies if len(set(g) & set(ids)) > 1]
        text = units[best].text
        claims.append(Claim(content_hash("claim", *sorted(f"{s.article}:{s.start}"
                                                          for s in support)),
                            text, status, support, independent, merged))
    rank = {"consensus": 0, "corroborated": 1, "single": 2}
    # The articles are in canonical order (pipeline.run_stages), so position is content too.
    position = {a.id: n for n, a in enumerate(corpus.articles)}
    claims.sort(key=lambda c: (rank[c.status], -c.independent, -len(c.support),
                               position.get(c.support[0].article, 0), c.support[0].start,
                               c.id))
    return claims


def _is_fact(unit: Unit) -> bool:
    """Specific and reported: names a number, a date or an entity, is not opinion, and is
    not mostly a quotation (quotes are listed under who said what)."""
    article = unit.article
    opinion = article.sentence_opinion[unit.sentence] \
        if unit.sentence < len(article.sentence_opinion) else 0.0
    quoted = sum(max(0, min(q.end, unit.end) - max(q.start, unit.start))
                 for q in article.quotes)
    return (bool(unit.numbers or unit.dates or unit.entities) and opinion < FACT_MAX_OPINION
            and quoted * 2 < unit.end - unit.start
            and len(unit.text.split()) >= MIN_SENTENCE_WORDS)
