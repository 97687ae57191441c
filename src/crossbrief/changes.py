"""What changed between two briefs of one story: ``brief_changes(before, after)``.

When a story gains (or loses) articles, or an article is corrected, its brief is made again;
the library keeps the brief it replaced (``briefs.previous``), and the story's page says what
is new since then. Claims and conflicts are matched by what they cite, not by their ids (an id
hashes the claim's wording and sources, which a new article changes): two claims are the same
when they share a cited span (article and character offsets), two conflicts when they share a
side. Every list is in a total order on content.

    >>> changes = brief_changes(old_brief, new_brief)
    >>> changes["new_claims"], changes["gained"], changes["new_conflicts"]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

CHANGES_SCHEMA = "crossbrief.changes/1"


def _spans(items: Iterable[dict[str, Any]]) -> set[tuple[str, int, int]]:
    return {(s["article"], int(s["start"]), int(s["end"])) for s in items}


def _match(item_spans: set[tuple[str, int, int]],
           others: list[tuple[dict[str, Any], set[tuple[str, int, int]]]]
           ) -> dict[str, Any] | None:
    """The first of ``others`` (in their order) that shares a span, else None."""
    return next((other for other, spans in others if spans & item_spans), None)


def _claim(claim: dict[str, Any]) -> dict[str, Any]:
    first = (claim.get("support") or [{}])[0]
    return {"id": claim["id"], "text": claim.get("text"), "status": claim.get("status"),
            "independent": claim.get("independent"), "article": first.get("article"),
            "start": first.get("start"), "end": first.get("end")}


def _conflict(conflict: dict[str, Any]) -> dict[str, Any]:
    return {"id": conflict["id"], "about": conflict.get("about"), "kind": conflict.get("kind"),
            "values": sorted({str(s.get("value") or "") for s in conflict.get("sides", [])})}


def brief_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What ``after`` says that ``before`` did not: articles added and removed, new claims,
    claims that gained or lost independent outlets, claims no longer made, and new conflicts
    and updates (``crossbrief.changes/1``)."""
    old_articles = {a["id"]: a for a in before.get("articles", [])}
    new_articles = {a["id"]: a for a in after.get("articles", [])}
    old_claims = [(c, _spans(c.get("support", []))) for c in before.get("claims", [])]
    new_claims = [(c, _spans(c.get("support", []))) for c in after.get("claims", [])]
    added: list[dict[str, Any]] = []
    gained: list[dict[str, Any]] = []
    lost: list[dict[str, Any]] = []
    for claim, spans in new_claims:
        old = _match(spans, old_claims)
        if old is None:
            added.append(_claim(claim))
            continue
        was, now = int(old.get("independent") or 0), int(claim.get("independent") or 0)
        if now != was:
            (gained if now > was else lost).append({**_claim(claim), "before": was,
                                                    "status_before": old.get("status")})
    dropped = [_claim(c) for c, spans in old_claims if _match(spans, new_claims) is None]

    def fresh(key: str) -> list[dict[str, Any]]:
        old = [(c, _spans(c.get("sides", []))) for c in before.get(key, [])]
        return [_conflict(c) for c in after.get(key, [])
                if _match(_spans(c.get("sides", [])), old) is None]

    def order(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(items, key=lambda c: (-int(c.get("independent") or 0),
                                            c.get("text") or "", c["id"]))

    return {
        "schema": CHANGES_SCHEMA,
        "articles_added": sorted(
            ({"id": i, "source": a.get("source"), "title": a.get("title")}
             for i, a in new_articles.items() if i not in old_articles),
            key=lambda a: (a["source"] or "", a["title"] or "", a["id"])),
        "articles_removed": sorted(i for i in old_articles if i not in new_articles),
        "new_claims": order(added),
        "gained": order(gained),
        "lost": order(lost),
        "dropped_claims": order(dropped),
        "new_conflicts": sorted(fresh("conflicts"), key=lambda c: (c["about"] or "", c["id"])),
        "new_updates": sorted(fresh("updates"), key=lambda c: (c["about"] or "", c["id"])),
    }


def has_changes(changes: dict[str, Any]) -> bool:
    """Whether anything changed at all."""
    return any(v for k, v in changes.items() if k != "schema")
