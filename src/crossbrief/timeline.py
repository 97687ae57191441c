"""The timeline: dated events merged across articles.

Each resolved date expression (the dates stage) dates the clause it sits in. Clauses with the
same date that belong to one claim (the claims stage: the same fact in several articles) are
one event, with every article reporting it; otherwise each is an event of its own. An event
that is one side of a date conflict names the conflict, so the conflicting dates of one event
stand side by side in the timeline. Events are in calendar order (a month sorts before its
days, a span by its first day).
"""

from __future__ import annotations

from .conflicts import contains
from .model import Corpus, Span, TimelineEntry


def build_timeline(corpus: Corpus) -> list[TimelineEntry]:
    claim_at: dict[tuple[str, int], tuple[str, Span]] = {}
    for claim in corpus.claims:
        for span in claim.support:
            claim_at[(span.article, span.start)] = (claim.id, span)
    conflict_at = {(side.article, side.start): (c.id, side.value) for c in corpus.conflicts
                   if not c.update and c.kind == "date" for side in c.sides}
    entries: dict[tuple[str, str], TimelineEntry] = {}
    for article in corpus.articles:
        for mention in article.dates:
            if not mention.value or mention.value[0] not in "0123456789":
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
    return sorted(entries.values(), key=lambda e: (e.date.split("/")[0], len(e.date), e.text))


def _clause(corpus: Corpus, article_id: str, offset: int,
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
