"""Story grouping: why gold stories split, out of fold (docs/stories.md, "Issue 14's ninth
round: why stories split").

    python benchmarks/stories_splits.py             # the classed table, about 4 minutes
    python benchmarks/stories_splits.py --read 30   # and the 30 largest losses, to read
    python benchmarks/stories_splits.py --windows 730 1095 --fit-window 730   # the window,
                                    # by replay (about 1.5 minutes a window, after the fits)
    ... --fits FILE    # keep each fold's fitted constants in FILE (pickle) and reuse them

Protocol, out of fold as ``benchmarks/stories.py --cv`` cuts and fits
``../shared/eval/gva-stream/dev.jsonl``: each held-out fold's pair model and thresholds fitted
on the other four exactly as ``--cv`` fits them; the held-out fold's stream found by the
shipped engine's candidate search (``Witness``, which also records, for each article, its pair
features with *every* earlier article of its gold story, their rank in the dense search and
their days apart) and its decisions replayed (``bench.replay``, with the links by a person's
name: ``--cv``'s figures to the last digit).

A gold story that ends in several found stories is cut into **pieces** (its articles in one
found story). Its B-cubed recall loss, ``sum_p n_p (1 - n_p / N)`` over its pieces (``N`` its
articles) divided by the articles of the stream, is ``(2 / N) sum_{p < q} n_p n_q``: each
piece after the first (by its first article in stream order) is charged ``(2 / N) n_q`` times
the articles of the pieces before it, so the charges add up to the whole recall loss
(``1 - B-cubed recall``). Each such piece is classed by what its first article, on arrival,
found of the earlier articles of its gold story (``CLASSES``, first match):

- ``joined elsewhere``: one of them among its candidates at ``join`` or more, but a candidate of
  another event scored higher (and the two stories were not merged);
- ``under join, joined elsewhere`` / ``under join, alone``: the best of them among its
  candidates under ``join``; the article joined another event / started a story;
- ``not found: outside the window``: all of them more than ``WINDOW_DAYS`` away;
- ``not found: no shared words``: none within the window at a word cosine of
  ``MIN_TEXT_COSINE`` or more;
- ``not found: beyond the nearest``: one at that cosine within the window, but none among the
  ``CANDIDATES`` nearest by the dense vector;
- ``not found: under the cosine``: one among the nearest, under ``MIN_TEXT_COSINE``.

``--windows``: each held-out fold's candidates (and those of the short-stream checks of
``--cv``, ``stories_short.check_sets``) found with each window (``StoryClusterer(window_days=)``,
and the links by a person's name with it), the constants as ``--cv`` fits them with the
engine's window or ``--fit-window``'s (not refitted per window), the decisions replayed:
pooled figures, per fold, and the checks; and the whole dev stream clustered by the shipped
engine with the window (in sample: the README's stream as a user's feed is, dense in other
stories' older articles, which a fold's stream of the stories that began in its block is
not). Issue 14's ninth round:
``--windows 730 1095 1460 2190 --fit-window 730``.

Each class is also split by whether the piece's first article or its best-scored earlier
article has a text under ``SHORT_PAGE`` characters (paywalls, cookie notices, empty crawls).
"""

from __future__ import annotations

import argparse
import math
import pickle
import sys
import textwrap
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stories as bench  # benchmarks/stories.py
import stories_short
from crossbrief import stories
from crossbrief.stories import StoryClusterer, StreamArticle, extract_terms, order_key

K = bench.FOLDS
#: A page this short is read as boilerplate (a paywall, a cookie notice), not a report.
SHORT_PAGE = 400
CLASSES = ("joined elsewhere", "under join, joined elsewhere", "under join, alone",
           "not found: outside the window", "not found: no shared words",
           "not found: beyond the nearest", "not found: under the cosine")


@dataclass(frozen=True)
class Earlier:
    """An earlier article of the new article's gold story, as the engine saw the pair."""

    id: str
    features: tuple[float, ...]
    rank: int | None          # in the dense search over the window's buckets (0 nearest)
    days: int | None          # publication days apart


class Witness(StoryClusterer):
    """The engine's candidate search (``candidate_pairs``), recording also each article's pair
    features with every earlier article of its gold story (``earlier``)."""

    def __init__(self, gold: bench.Gold, **options: Any) -> None:
        super().__init__(**options)
        self.gold = gold
        self.by_story: dict[str, list[int]] = defaultdict(list)
        self.earlier: dict[str, list[Earlier]] = {}

    def candidate_pairs(self, article: StreamArticle) -> list[tuple[str, tuple[float, ...]]]:
        features = self._featuriser.features(extract_terms(article))
        slots, pairs = self._candidates(features)
        found = [(self._articles[slot].id, tuple(float(x) for x in row))
                 for slot, row in zip(slots.tolist(), pairs, strict=True)]
        mine = self.by_story[self.gold[article.id]]
        if mine:
            ranked = self._search.search(features.dense, features.day, len(self._articles))
            rank = {slot: i for i, slot in enumerate(ranked.tolist())}
            matrix = self._featuriser.pair_matrix(features, self._table, np.asarray(mine))
            self.earlier[article.id] = [
                Earlier(self._articles[slot].id, tuple(float(x) for x in row), rank.get(slot),
                        None if features.day is None or self._table.day[slot] == stories.NO_DAY
                        else abs(int(self._table.day[slot]) - features.day))
                for slot, row in zip(mine, matrix, strict=True)]
        slot = self._store(article, features)
        mine.append(slot)
        made = self._new_story(stories.story_id(article.id))
        made.members.append(slot)
        made.first = order_key(article)
        self._story_of.append(made.id)
        return found


def fold_fits(articles: list[StreamArticle], gold: bench.Gold,
              streams: list[list[StreamArticle]], terms: bench.Terms,
              cache: Path | None, window: int | None = None) -> list[dict[str, Any]]:
    """Each held-out fold's constants, fitted on the other folds as ``--cv`` fits them (the
    training pairs found with ``window`` days, by default the engine's)."""
    if cache is not None and cache.exists():
        with cache.open("rb") as handle:
            cached: list[dict[str, Any]] = pickle.load(handle)
            return cached
    background = bench.FoldBackgrounds(articles, streams)
    fits = []
    options = {} if window is None else {"window_days": window}
    engine = stories.WINDOW_DAYS
    stories.WINDOW_DAYS = window or engine   # the replay's links by a person's name
    for held in range(K):
        fits.append(bench.fit([bench.candidate_pairs(streams[i],
                                                     background=background.without(i, held),
                                                     short_stream=0, **options)
                               for i in range(K) if i != held], gold, terms))
        print(f"fold {held} fitted: join {fits[-1]['join']}, merge {fits[-1]['merge']}",
              file=sys.stderr, flush=True)
    stories.WINDOW_DAYS = engine
    if cache is not None:
        with cache.open("wb") as handle:
            pickle.dump(fits, handle)
    return fits


@dataclass
class Piece:
    fold: int
    story: str
    size: int                 # articles of the gold story
    articles: list[str]       # of this piece, in stream order
    found: str                # the found story it is in
    loss: float               # its charge of the B-cubed recall loss (of the pooled articles)
    cls: str = ""
    short: bool = False
    best: Earlier | None = None        # the best-scored earlier article of its gold story
    best_p: float | None = None
    reach: float = 0.0        # the pair model's best probability with any earlier article
    won: tuple[str, float] | None = None   # the best candidate overall, and its probability


def pieces(fold: int, stream: list[StreamArticle], found: dict[str, str], gold: bench.Gold,
           total: int) -> list[Piece]:
    """The pieces after the first of each split gold story of the stream, charged."""
    by_story: dict[str, list[str]] = defaultdict(list)
    for article in sorted(stream, key=order_key):
        by_story[gold[article.id]].append(article.id)
    out = []
    for story, ids in by_story.items():
        parts: dict[str, list[str]] = {}
        for aid in ids:
            parts.setdefault(found[aid], []).append(aid)
        before = 0
        for sid, members in parts.items():     # in order of their first article
            if before:
                out.append(Piece(fold, story, len(ids), members, sid,
                                 2 * len(members) * before / len(ids) / total))
            before += len(members)
    return out


def classify(piece: Piece, earlier: list[Earlier], candidates: list[tuple[str, float]],
             fitted: dict[str, Any], articles: dict[str, StreamArticle]) -> None:
    """Why the piece's first article did not join its gold story's earlier articles."""
    first = piece.articles[0]
    join = fitted["join"]
    piece.reach = float(stories.pair_probabilities([e.features for e in earlier],
                                                   fitted["weights"], fitted["bias"]).max())
    mine = {e.id for e in earlier}
    probability = dict(candidates)
    found = [e for e in earlier if e.id in probability]
    piece.won = max(candidates, key=lambda c: (c[1], c[0])) if candidates else None
    if found:
        piece.best = max(found, key=lambda e: (probability[e.id], e.id))
        piece.best_p = probability[piece.best.id]
        if piece.best_p >= join:
            piece.cls = "joined elsewhere"
        elif piece.won is not None and piece.won[1] >= join and piece.won[0] not in mine:
            piece.cls = "under join, joined elsewhere"
        else:
            piece.cls = "under join, alone"
    else:
        within = [e for e in earlier if e.days is None or e.days <= stories.WINDOW_DAYS]
        worded = [e for e in within if e.features[0] >= stories.MIN_TEXT_COSINE]
        near = [e for e in within if e.rank is not None and e.rank < stories.CANDIDATES]
        pool = worded or within or earlier
        piece.best = max(pool, key=lambda e: (e.features[0], e.id))
        if not within:
            piece.cls = "not found: outside the window"
        elif near and not worded:
            piece.cls = "not found: under the cosine"
        elif not worded:
            piece.cls = "not found: no shared words"
        else:
            piece.cls = "not found: beyond the nearest"
    piece.short = (len(articles[first].text or "") < SHORT_PAGE
                   or len(articles[piece.best.id].text or "") < SHORT_PAGE)


def table(rows: list[Piece], title: str, joins: list[float]) -> str:
    total = sum(p.loss for p in rows)
    lines = [f"{title}: {len(rows)} pieces, {sum(len(p.articles) for p in rows)} articles, "
             f"B-cubed recall loss {total:.4f}",
             "| class | pieces (short page) | articles | recall loss (share) | pieces whose "
             "best pair with an earlier article of the story, found or not, reaches 0.15; "
             "0.3; join |",
             "|---|---|---|---|---|"]
    for cls in CLASSES:
        mine = [p for p in rows if p.cls == cls]
        loss = sum(p.loss for p in mine)
        lines.append(f"| {cls} | {len(mine)} ({sum(p.short for p in mine)}) | "
                     f"{sum(len(p.articles) for p in mine)} | {loss:.4f} "
                     f"({loss / total if total else 0:.0%}) | "
                     f"{sum(p.reach >= 0.15 for p in mine)}; {sum(p.reach >= 0.3 for p in mine)}; "
                     f"{sum(p.reach >= join for p, join in ((p, joins[p.fold]) for p in mine))} |")
    return "\n".join(lines)


def describe(article: StreamArticle, width: int = 160) -> str:
    text = " ".join((article.text or "").split())[:width]
    return (f"{article.published} {article.source} [{len(article.text or '')} chars] "
            f"{article.title!r}\n      {text}")


def older(pairs: bench.Pairs, gold: bench.Gold, days: int, name: str) -> Counter[str]:
    """How many candidate pairs are more than ``days`` apart (``name``), and of those how many
    of one gold story (``name`` + " same")."""
    gap = stories.PAIR_FEATURES.index("log_gap")
    counts = Counter[str]()
    for aid, found in pairs:
        for bid, features in found:
            if math.expm1(features[gap]) > days + 0.5:
                counts[name] += 1
                counts[name + " same"] += gold[aid] == gold[bid]
    return counts


def windows(articles: list[StreamArticle], gold: bench.Gold,
            streams: list[list[StreamArticle]], terms: bench.Terms,
            fits: list[dict[str, Any]], days: list[int]) -> None:
    """Print the replayed figures of each window in ``days`` (see ``--windows``)."""
    from dataclasses import replace

    undated = {a.id: extract_terms(replace(a, published=None)) for a in articles}
    engine = stories.WINDOW_DAYS
    original = bench.candidate_pairs
    try:
        for window in days:
            # The replay's links by a person's name read the module's window.
            stories.WINDOW_DAYS = window

            def with_window(stream: Any, window: int = window, **options: Any) -> bench.Pairs:
                return original(stream, **{"window_days": window, **options})

            bench.candidate_pairs = with_window
            found: dict[str, str] = {}
            totals: dict[tuple[str, str], Counter[str]] = {}
            per_fold = []
            old = Counter[str]()
            for held, fitted in enumerate(fits):
                pairs = with_window(streams[held])
                old.update(older(pairs, gold, engine, "folds"))
                out = bench.replay(bench.scored(pairs, fitted["weights"], fitted["bias"]),
                                   fitted["join"], fitted["merge"], terms)
                found.update({aid: f"{held}:{sid}" for aid, sid in out.items()})
                per_fold.append(f"{bench.score(out, gold)['b3_f1']:.4f}")
                for (kind, mode), sets in stories_short.check_sets(streams[held], gold).items():
                    counts = totals.setdefault((kind, mode), Counter())
                    for pairs in sets:
                        parts = bench.partition(bench.replay(
                            bench.scored(pairs, fitted["weights"], fitted["bias"]),
                            fitted["join"], fitted["merge"],
                            terms if mode == "dated" else undated))
                        counts.update(bench.check_counts(parts, [a for a, _ in pairs], gold))
            p = bench.score(found, gold)
            whole = StoryClusterer(window_days=window)
            whole.extend(sorted(articles, key=order_key))
            w = bench.score({a.id: g.id for g in whole.stories() for a in g.articles}, gold)
            old.update(older(with_window(articles), gold, engine, "whole"))
            print(f"window {window}: candidate pairs more than {engine} days apart (of one "
                  f"gold story): the fold streams {old['folds']} ({old['folds same']}), the "
                  f"whole stream {old['whole']} ({old['whole same']})", flush=True)
            print(f"window {window}, the whole stream (the shipped constants, in sample): "
                  f"pairwise P/R/F1 {w['pair_p']:.3f} / {w['pair_r']:.3f} / {w['pair_f1']:.4f}; "
                  f"B-cubed P/R/F1 {w['b3_p']:.3f} / {w['b3_r']:.3f} / {w['b3_f1']:.4f}; "
                  f"{int(w['stories'])} stories", flush=True)
            print(f"window {window}: pairwise P/R/F1 {p['pair_p']:.3f} / {p['pair_r']:.3f} / "
                  f"{p['pair_f1']:.4f}; B-cubed P/R/F1 {p['b3_p']:.3f} / {p['b3_r']:.3f} / "
                  f"{p['b3_f1']:.4f}; per fold {', '.join(per_fold)}; " + "; ".join(
                      f"{kind} {mode}: split {c['split']}, joined {c['joined']}, "
                      f"exact {c['exact']} of {c['streams']}"
                      for (kind, mode), c in sorted(totals.items())), flush=True)
    finally:
        stories.WINDOW_DAYS = engine
        bench.candidate_pairs = original


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--read", type=int, default=0, help="print the N largest losses")
    parser.add_argument("--fits", type=Path, help="cache of the folds' fitted constants")
    parser.add_argument("--windows", type=int, nargs="+", metavar="DAYS",
                        help="only the replay of these windows (days)")
    parser.add_argument("--fit-window", type=int, metavar="DAYS",
                        help="the folds' constants fitted on pairs found with this window "
                             "(default: the engine's)")
    args = parser.parse_args(argv)
    articles, gold = bench.load()
    by_id = {a.id: a for a in articles}
    streams = bench.time_folds(articles, gold, K)
    terms: bench.Terms = {a.id: extract_terms(a) for a in articles}
    fits = fold_fits(articles, gold, streams, terms, args.fits, args.fit_window)
    if args.windows:
        windows(articles, gold, streams, terms, fits, args.windows)
        return 0
    found: dict[str, str] = {}
    rows: list[Piece] = []
    for held, fitted in enumerate(fits):
        witness = Witness(gold)
        pairs = [(a.id, witness.candidate_pairs(a)) for a in sorted(streams[held],
                                                                    key=order_key)]
        probabilities = dict(bench.scored(pairs, fitted["weights"], fitted["bias"]))
        out = bench.replay(bench.scored(pairs, fitted["weights"], fitted["bias"]),
                           fitted["join"], fitted["merge"], terms)
        found.update({aid: f"{held}:{sid}" for aid, sid in out.items()})
        figures = bench.score(out, gold)
        mine = pieces(held, streams[held], out, gold, len(articles))
        for piece in mine:
            first = piece.articles[0]
            classify(piece, witness.earlier[first], probabilities[first], fitted, by_id)
        rows += mine
        print(f"fold {held} (from {streams[held][0].published}): B-cubed P/R/F1 "
              f"{figures['b3_p']:.3f} / {figures['b3_r']:.3f} / {figures['b3_f1']:.4f}, "
              f"join {fitted['join']}, merge {fitted['merge']}")
        print(table(mine, f"fold {held}", [f["join"] for f in fits]))
    pooled = bench.score(found, gold)
    print(f"pooled: pairwise P/R/F1 {pooled['pair_p']:.3f} / {pooled['pair_r']:.3f} / "
          f"{pooled['pair_f1']:.4f}, B-cubed P/R/F1 {pooled['b3_p']:.4f} / "
          f"{pooled['b3_r']:.4f} / {pooled['b3_f1']:.4f} (1 - recall "
          f"{1 - pooled['b3_r']:.4f}, charged {sum(p.loss for p in rows):.4f}); "
          f"{int(pooled['stories'])} stories")
    print(table(rows, "all folds", [f["join"] for f in fits]))
    joined_by = Counter(p.cls for p in rows if p.best_p is not None)
    print("probability of the best earlier article, found ones: " + "; ".join(
        f"{lo}-{hi}: {sum(1 for p in rows if p.best_p is not None and lo <= p.best_p < hi)}"
        for lo, hi in ((0, 0.05), (0.05, 0.15), (0.15, 0.3), (0.3, 0.45), (0.45, 1.01)))
        + f" ({dict(joined_by)})")
    alone = [p for p in rows if p.cls == "under join, alone" and p.won is not None]
    first_is_own = sum(p.best is not None and p.won is not None and p.won[0] == p.best.id
                       for p in alone)
    print(f"under join, alone: the best candidate is an earlier article of the story in "
          f"{first_is_own} of {len(alone)}")
    if args.read:
        names = stories.PAIR_FEATURES
        by_story: dict[tuple[int, str], list[Piece]] = defaultdict(list)
        for piece in rows:
            by_story[piece.fold, piece.story].append(piece)
        ranked = sorted(by_story.items(), key=lambda item: -sum(p.loss for p in item[1]))
        for (fold, story), mine in ranked[:args.read]:
            print(f"\n=== fold {fold}, gold story {story} ({mine[0].size} articles; "
                  f"loss {sum(p.loss for p in mine):.5f}; city {bench.city_of(story)})")
            for piece in mine:
                opening = by_id[piece.articles[0]]
                holds = Counter(gold[a] for a, s in found.items()
                                if s == f"{fold}:{piece.found}").most_common(3)
                print(f"  piece of {len(piece.articles)} ({piece.cls}; short {piece.short}) "
                      f"found story holds gold {holds}")
                print("    first: " + describe(opening))
                if piece.best is not None:
                    best = piece.best
                    print(f"    best earlier (p {piece.best_p}, reach {piece.reach:.3f}, "
                          f"rank {best.rank}, "
                          f"{best.days} days): " + describe(by_id[best.id]))
                    print("      features: " + ", ".join(
                        f"{n} {v:.2f}" for n, v in zip(names, best.features, strict=True)))
                if piece.won is not None and gold[piece.won[0]] != story:
                    print(f"    won (p {piece.won[1]}): " + describe(by_id[piece.won[0]]))
                for other in piece.articles[1:4]:
                    print("    then: " + textwrap.shorten(
                        f"{by_id[other].published} {by_id[other].title!r}", 140))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
