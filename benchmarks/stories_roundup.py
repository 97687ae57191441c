"""Story grouping: round-up articles kept from bridging stories, measured by replay
(docs/stories.md, "Tried in issue 14's eighth round"; not shipped).

    python benchmarks/stories_roundup.py        # about 3 minutes on the shared machine

The weakest folds of ``benchmarks/stories.py --cv`` lose on precision, and their largest
wrong stories are joined through **round-ups** ("5 Dead, 17 Wounded In Weekend Shootings"):
an article reporting several incidents of one city, close in words to each of them. A
round-up is told here by general English patterns, not by words of one article:

- ``title``: the title names incidents in the plural ("shootings", "homicides", "killings")
  or sums up a time or a place ("violent weekend", "overnight ... shot", "across the city",
  "citywide", "spate of", "string of", "rash of", "wave of");
- ``text``: the text (the engine's first ``stories.TEXT_CHARS`` characters) gives at least
  ``AGES`` distinct ages (``ArticleTerms.ages``) and names at least ``PLACES`` distinct street
  addresses ("the 1200 block of Main", "1200 Main Street", "Main Street and Elm").

Rules (``bench.Restraint``), each replayed by ``bench.replay`` (with the links by a person's
name):

- ``nomerge``: a round-up joins its best story as any article, but merges no other story into
  it (neither by the pair model's ``MERGE`` nor by a person's name);
- ``leaf``: ``nomerge``, and a later article does not count its pair with a round-up (a
  round-up can be joined to a story but pulls no later article into it);
- ``high t``: a round-up joins a story only when its best pair reaches t (else it starts its
  own), merging nothing; t 0.7, 0.8, 0.9, and t chosen per fold on the training folds'
  streams (``HIGH_GRID``, the objective of ``--cv``).

Protocol, out of fold as ``--cv`` cuts ``../shared/eval/gva-stream/dev.jsonl``: each held-out
fold's pair model and thresholds fitted on the other folds exactly as ``--cv`` fits them (the
replay without a rule gives ``--cv``'s figures), not refitted for the rule; the held-out
fold's candidate pairs replayed with the rule. The short-stream checks of ``--cv`` ((b) each
short story alone: split; (c) two mixed: joined, exact; same-city pairs: joined) replayed the
same way on their own candidate pairs (``stories_short.check_sets``), dated and undated.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stories as bench  # benchmarks/stories.py
import stories_short
from crossbrief import stories

K = bench.FOLDS
AGES = 3
PLACES = 2
HIGH_GRID = (0.7, 0.8, 0.9, 1.01)
TITLE = re.compile(
    r"\b(?:shootings|homicides|killings"
    r"|violent (?:weekend|night)|weekend of violence|bloody (?:weekend|night)"
    r"|(?:weekend|overnight|night)\b.{0,40}\b(?:shot|wounded|violence|gunfire)"
    r"|across the city|citywide|(?:spate|string|rash|wave) of)\b", re.I)
# Hand-written: a street address in running text; no library reads US addresses from prose
# without a model, and this needs only to count distinct ones.
PLACE = re.compile(
    r"\b(?:\d{1,5} block of [A-Z]\w+"
    r"|\d{1,5} [A-Z]\w+ (?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Place"
    r"|Court|Way)\b"
    r"|[A-Z]\w+ (?:Street|Avenue|Road|Boulevard|Drive) and [A-Z]\w+)")
Terms = dict[str, stories.ArticleTerms]


def by_title(article: stories.StreamArticle) -> bool:
    return bool(TITLE.search(article.title or ""))


def by_text(article: stories.StreamArticle, terms: stories.ArticleTerms) -> bool:
    text = (article.text or "")[:stories.TEXT_CHARS]
    return (len(set(terms.ages)) >= AGES
            and len({m.group(0) for m in PLACE.finditer(text)}) >= PLACES)


def checks(check: dict[tuple[str, str], list[bench.Pairs]], fitted: dict[str, Any],
           terms: dict[str, Terms], rule: bench.Restraint | None, gold: bench.Gold
           ) -> dict[tuple[str, str], Counter[str]]:
    """The short-stream checks of ``--cv``, replayed under ``rule``."""
    out: dict[tuple[str, str], Counter[str]] = {}
    for (kind, mode), sets in check.items():
        counts = out[kind, mode] = Counter()
        for pairs in sets:
            parts = bench.partition(bench.replay(
                bench.scored(pairs, fitted["weights"], fitted["bias"]), fitted["join"],
                fitted["merge"], terms[mode], rule))
            counts.update(bench.check_counts(parts, [a for a, _ in pairs], gold))
    return out


def main() -> int:
    articles, gold = bench.load()
    streams = bench.time_folds(articles, gold, K)
    background = bench.FoldBackgrounds(articles, streams)
    terms: Terms = dict(background.terms)
    undated = {a.id: stories.extract_terms(replace(a, published=None)) for a in articles}
    detectors: dict[str, Callable[[stories.StreamArticle], bool]] = {
        "title": by_title,
        "text": lambda a: by_text(a, terms[a.id]),
        "title or text": lambda a: by_title(a) or by_text(a, terms[a.id])}
    found_by = {name: {a.id for a in articles if is_roundup(a)}
                for name, is_roundup in detectors.items()}
    print("round-ups: " + "; ".join(f"{n} {len(s)}" for n, s in found_by.items()), flush=True)
    folds = []
    for held in range(K):
        sets = [bench.candidate_pairs(streams[i], background=background.without(i, held),
                                      short_stream=0) for i in range(K) if i != held]
        fitted = bench.fit(sets, gold, terms)
        train = [bench.scored(p, fitted["weights"], fitted["bias"]) for p in sets]
        pairs = bench.scored(bench.candidate_pairs(streams[held]), fitted["weights"],
                             fitted["bias"])
        folds.append((fitted, train, pairs, stories_short.check_sets(streams[held], gold)))
        print(f"fold {held} fitted: join {fitted['join']}, merge {fitted['merge']}",
              flush=True)
    # (detector, label, the rule's join threshold and leaf; None: chosen per fold)
    variants: list[tuple[str, str, tuple[float, bool] | None]] = [("", "none", (0.0, False))]
    for name in detectors:
        variants += [(name, "nomerge", (0.0, False)), (name, "leaf", (0.0, True)),
                     *((name, f"high {t}", (t, False)) for t in HIGH_GRID[:-1]),
                     (name, "high chosen", None)]
    for name, label, fixed in variants:
        roundups = frozenset(found_by.get(name, ()))
        found: dict[str, str] = {}
        totals: dict[tuple[str, str], Counter[str]] = {}
        per_fold, chosen = [], []
        for held, (fitted, train, pairs, check) in enumerate(folds):
            join, merge = fitted["join"], fitted["merge"]
            if fixed is None:
                fixed_now = (max((round(sum(bench.objective(bench.score(bench.replay(
                    p, join, merge, terms, bench.Restraint(roundups, t)), gold))
                    for p in train), 6), t) for t in HIGH_GRID)[1], False)
                chosen.append(fixed_now[0])
            else:
                fixed_now = fixed
            rule = bench.Restraint(roundups, *fixed_now) if name else None
            out = bench.replay(pairs, join, merge, terms, rule)
            found.update({aid: f"{held}:{sid}" for aid, sid in out.items()})
            figures = bench.score(out, gold)
            per_fold.append(f"{figures['b3_p']:.3f}/{figures['b3_f1']:.4f}")
            for key, counts in checks(check, fitted, {"dated": terms, "undated": undated},
                                      rule, gold).items():
                totals.setdefault(key, Counter()).update(counts)
        pooled = bench.score(found, gold)
        told = (name or "the engine") + (f", t {chosen}" if chosen else "")
        print(f"{label} ({told}): pairwise P/R/F1 "
              f"{pooled['pair_p']:.3f} / {pooled['pair_r']:.3f} / {pooled['pair_f1']:.4f}; "
              f"B-cubed P/R/F1 {pooled['b3_p']:.3f} / {pooled['b3_r']:.3f} / "
              f"{pooled['b3_f1']:.4f}; per fold B-cubed P/F1 {', '.join(per_fold)}; "
              + "; ".join(f"{kind} {mode}: split {c['split']}, joined {c['joined']}, "
                          f"exact {c['exact']} of {c['streams']}"
                          for (kind, mode), c in sorted(totals.items())), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
