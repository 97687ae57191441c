"""Story grouping in short streams: would a pair model of their own help? (docs/stories.md,
"Tried in issue 14's sixth round"; not shipped.)

    python benchmarks/stories_short.py          # about 10 minutes on the shared machine
    python benchmarks/stories_short.py --background   # the same pairs found with a background
                                                       # of words, numbers and names (5 min)

A person's folder of a few articles is a stream too, and there every weight is an idf over a
handful of articles, off the distribution the pair model was fitted on (long streams). This
fits a **short-stream pair model** (the nine ``stories.PAIR_FEATURES`` and their products,
scikit-learn's logistic regression as ``benchmarks/stories.py`` runs it) on candidate pairs
found the way a short stream finds them (a ``StoryClusterer`` per short stream, as shipped:
people's names weighed as in ``SHORT_STREAM``), built from the *training* time folds only
(``benchmarks/stories.py``'s 5 folds), dated and with the dates removed:

- **alone**: each gold story of 2 to 19 articles as a stream of its own (one story);
- **next**: each gold story of at most 8 articles mixed with the next such story in time;
- **city**: the same with the next such story in the same city (its GVA record's): "two
  shootings in one town".

Each model is measured out of fold on the held-out fold's short-stream checks of
``benchmarks/stories.py --cv`` ((b) each story of 3-8 articles alone: how many split; (c) two
such stories mixed: how many joined, how many found exactly; same-city pairs: how many
joined), with the clusterer's decisions replayed on the candidate pairs (``bench.replay``:
in a stream of fewer than ``SHORT_STREAM`` articles every decision would be the short
model's). Printed: each variant's figures at a range of join thresholds (no merging), and for
some the thresholds chosen on the training folds' short streams. The reference is the
shipped pair model (fitted on every fold's long stream, so a little in sample here; ``--cv``'s
per-fold models give 204 / 193 split, 1 / 0 joined, 5 same-city at the shipped thresholds).

``--background``: every short stream's candidate pairs found with a background
(``stories.Background``) of the words, the numbers *and the names* of the folds that are
neither the held-out one nor (for a training stream) its own, so that a name's rarity does not
hang on the short stream; the shipped model and a short model fitted on such pairs, as above.
(The best shared name is then a name's idf over the stream and the background scaled by the
stream's largest idf alone, so it exceeds 1: out of the shipped model's range, which the short
model is fitted on.)
"""

from __future__ import annotations

import argparse
import itertools
import sys
import zlib
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stories as bench  # benchmarks/stories.py
from crossbrief import stories
from crossbrief.stories import StreamArticle, order_key

K = bench.FOLDS
#: The training streams' sizes: stories alone up to the short stream's length, mixed stories
#: of at most 8 articles each (as the checks).
ALONE_MAX = stories.SHORT_STREAM - 1
MIXED_MAX = bench.SHORT_STORY[1]
#: Join thresholds of the printed curves (merge off: 1.01).
CURVE = (0.5, 0.7, 0.8, 0.9, 0.95, 0.98)
Sets = dict[tuple[str, str], list[bench.Pairs]]
Model = tuple[tuple[float, ...], float]


def stories_of(stream: Sequence[StreamArticle], gold: bench.Gold) -> list[list[StreamArticle]]:
    """The gold stories of ``stream``, in the order they began."""
    by_story: dict[str, list[StreamArticle]] = {}
    for article in stream:
        by_story.setdefault(gold[article.id], []).append(article)
    return sorted(by_story.values(), key=lambda group: min(map(order_key, group)))


def training_streams(stream: Sequence[StreamArticle], gold: bench.Gold
                     ) -> dict[str, list[list[StreamArticle]]]:
    """The short training streams of one fold (see the docstring)."""
    groups = stories_of(stream, gold)
    small = [g for g in groups if len(g) <= MIXED_MAX]
    by_city: dict[tuple[str, str], list[list[StreamArticle]]] = {}
    for group in small:
        city = bench.city_of(gold[group[0].id])
        if city is not None:
            by_city.setdefault(city, []).append(group)
    return {"alone": [g for g in groups if 2 <= len(g) <= ALONE_MAX],
            "next": [a + b for a, b in itertools.pairwise(small)],
            "city": [a + b for c in sorted(by_city)
                     for a, b in itertools.pairwise(by_city[c])]}


def undated(group: list[StreamArticle]) -> list[StreamArticle]:
    return [replace(a, published=None) for a in group]


def build(articles: Sequence[StreamArticle], gold: bench.Gold
          ) -> tuple[list[Sets], list[Sets]]:
    """Per fold: the training short streams' candidate pairs, and the checks'."""
    train: list[Sets] = []
    check: list[Sets] = []
    for stream in bench.time_folds(articles, gold, K):
        made: Sets = {}
        for kind, groups in training_streams(stream, gold).items():
            for mode in ("dated", "undated"):
                made[kind, mode] = [bench.candidate_pairs(g if mode == "dated" else undated(g))
                                    for g in groups]
        train.append(made)
        check.append(check_sets(stream, gold))
    return train, check


def check_sets(stream: Sequence[StreamArticle], gold: bench.Gold) -> Sets:
    """The candidate pairs of the short-stream checks of ``benchmarks/stories.py --cv`` on
    one fold's stream: its short stories alone and mixed, dated and undated, and its
    same-city pairs."""
    checks: Sets = {}
    for mode in ("dated", "undated"):
        alone, mixed = bench.short_sets(stream, gold, dated=mode == "dated")
        checks["alone", mode] = [bench.candidate_pairs(g) for g in alone]
        checks["mixed", mode] = [bench.candidate_pairs(g) for g in mixed]
    checks["city", "dated"] = [bench.candidate_pairs(g)
                               for g in bench.same_city_pairs(stream, gold)]
    return checks


def fit_short(pair_sets: Sequence[bench.Pairs], gold: bench.Gold, *, per_stream: bool = False,
              offset: Model | None = None, c: float = bench.LR_C) -> Model:
    """A pair model on these pairs; ``per_stream``: each stream weighs alike; ``offset``: fitted
    as a correction of that model (its logit a further input, the other weights shrunk by
    ``c`` towards it), folded back into one set of weights."""
    from sklearn.linear_model import LogisticRegression

    x, y, w = [], [], []
    for pairs in pair_sets:
        rows = [(f, gold[a] == gold[b]) for a, found in pairs for b, f in found]
        for features, same in rows:
            x.append(features)
            y.append(same)
            w.append(1.0 / len(rows) if per_stream else 1.0)
    inputs = stories.expand(np.asarray(x))
    weights = np.asarray(w) / np.mean(w)
    model = LogisticRegression(C=c, **bench.LR_SOLVER)
    if offset is None:
        model.fit(inputs, np.asarray(y), sample_weight=weights)
        return tuple(float(v) for v in model.coef_[0]), float(model.intercept_[0])
    base = np.asarray(offset[0])
    logit = inputs @ base + offset[1]
    model.fit(np.hstack([inputs, logit[:, None]]), np.asarray(y), sample_weight=weights)
    coef = model.coef_[0]
    return (tuple(float(v) for v in coef[:-1] + coef[-1] * base),
            float(model.intercept_[0] + coef[-1] * offset[1]))


def outcome(pairs: bench.Pairs, gold: bench.Gold, model: Model, join: float, merge: float
            ) -> dict[str, str]:
    return bench.replay(bench.scored(pairs, *model), join, merge)


def joins_two(found: dict[str, str], gold: bench.Gold) -> bool:
    stories_found: dict[str, set[str]] = {}
    for aid, sid in found.items():
        stories_found.setdefault(sid, set()).add(gold[aid])
    return any(len(s) > 1 for s in stories_found.values())


def checks(check: Sets, gold: bench.Gold, model: Model, join: float, merge: float
           ) -> dict[str, int]:
    """The (b) and (c) counts of one held-out fold."""
    out: dict[str, int] = {}
    for mode in ("dated", "undated"):
        out[f"split {mode}"] = sum(len(set(outcome(p, gold, model, join, merge).values())) > 1
                                   for p in check["alone", mode])
        mixed = [(outcome(p, gold, model, join, merge), p) for p in check["mixed", mode]]
        out[f"joined {mode}"] = sum(joins_two(f, gold) for f, _ in mixed)
        out[f"exact {mode}"] = sum(bench.partition(f) == bench.partition(
            {a: gold[a] for a, _ in p}) for f, p in mixed)
    out["same city"] = sum(joins_two(outcome(p, gold, model, join, merge), gold)
                           for p in check["city", "dated"])
    return out


def line(rows: Sequence[dict[str, int]]) -> str:
    t = {k: sum(r[k] for r in rows) for k in rows[0]}
    return (f"split {t['split dated']} / {t['split undated']}, mixed joined "
            f"{t['joined dated']} / {t['joined undated']} (exact {t['exact dated']} / "
            f"{t['exact undated']}), same city joined {t['same city']}")


def choose(train: Sets, gold: bench.Gold, model: Model) -> tuple[float, float]:
    """Join and merge with the best mean objective (``bench.objective`` per stream, averaged
    per kind and mode, then over them) on training short streams."""
    scored = {k: [bench.scored(p, *model) for p in v] for k, v in train.items() if v}
    best = (-1.0, 0.0, 0.0)
    for join in bench.JOIN_GRID:
        for merge in bench.MERGE_GRID:
            if merge < join:
                continue
            value = sum(sum(bench.objective(bench.score(bench.replay(p, join, merge), gold))
                            for p in sets) / len(sets) for sets in scored.values())
            best = max(best, (round(value / len(scored), 6), join, merge))
    return best[1], best[2]


def pooled(train: list[Sets], held: int, kinds: Sequence[str] = ("alone", "next", "city"),
           repeat: dict[str, int] | None = None) -> Sets:
    out: Sets = {}
    for i, sets in enumerate(train):
        if i == held:
            continue
        for (kind, mode), pairs in sets.items():
            if kind in kinds:
                out.setdefault((kind, mode), []).extend(pairs * (repeat or {}).get(kind, 1))
    return out


class NamesBackgrounds:
    """The background of the stream's articles outside some folds, names included (the
    engine's ``Background`` counts words and numbers; the names are counted alike here)."""

    def __init__(self, articles: Sequence[StreamArticle],
                 streams: Sequence[Sequence[StreamArticle]]) -> None:
        self.terms = [(a.id, stories.extract_terms(a)) for a in articles]
        self.streams = streams
        self.made: dict[tuple[int, ...], tuple[stories.Background, Any]] = {}

    def without(self, *folds: int) -> tuple[stories.Background, Any]:
        key = tuple(sorted(set(folds)))
        if key not in self.made:
            out = {a.id for i in key for a in self.streams[i]}
            kept = [t for aid, t in self.terms if aid not in out]
            names = np.zeros(stories.BACKGROUND_BUCKETS, dtype=np.int32)
            for terms in kept:
                hashed = {zlib.crc32(n.encode("utf-8")) % len(names) for n in terms.names}
                names[np.fromiter(hashed, dtype=np.int64, count=len(hashed))] += 1
            self.made[key] = (stories.Background.count(kept), names)
        return self.made[key]


def pairs_with(group: Sequence[StreamArticle], background: tuple[stories.Background, Any]
               ) -> bench.Pairs:
    """``bench.candidate_pairs`` with a background of the names too (a scratch change of the
    clusterer's name vocabulary: the engine has no such option)."""
    words, names = background
    clusterer = stories.StoryClusterer(background=words)
    clusterer._featuriser.names = stories._Vocabulary(names, words.documents)
    return [(a.id, clusterer.candidate_pairs(a)) for a in sorted(group, key=order_key)]


def build_background(articles: Sequence[StreamArticle], gold: bench.Gold
                     ) -> tuple[dict[tuple[int, int], Sets], list[Sets]]:
    """As ``build``, each held-out fold's checks with the background of the other folds,
    each training fold's streams with that of the folds that are neither."""
    streams = bench.time_folds(articles, gold, K)
    backgrounds = NamesBackgrounds(articles, streams)
    train: dict[tuple[int, int], Sets] = {}
    check: list[Sets] = []
    for held in range(K):
        mine = backgrounds.without(held)
        checks: Sets = {}
        for mode in ("dated", "undated"):
            alone, mixed = bench.short_sets(streams[held], gold, dated=mode == "dated")
            checks["alone", mode] = [pairs_with(g, mine) for g in alone]
            checks["mixed", mode] = [pairs_with(g, mine) for g in mixed]
        checks["city", "dated"] = [pairs_with(g, mine)
                                   for g in bench.same_city_pairs(streams[held], gold)]
        check.append(checks)
        for i in range(K):
            if i == held:
                continue
            theirs = backgrounds.without(i, held)
            train[held, i] = {
                (kind, mode): [pairs_with(g if mode == "dated" else undated(g), theirs)
                               for g in groups]
                for kind, groups in training_streams(streams[i], gold).items()
                for mode in ("dated", "undated")}
    return train, check


def background_run(articles: Sequence[StreamArticle], gold: bench.Gold) -> None:
    train, check = build_background(articles, gold)
    shipped: Model = (stories.PAIR_WEIGHTS, stories.PAIR_BIAS)
    print("with a background of words, numbers and names; shipped pair model, shipped "
          "thresholds:", line([checks(check[h], gold, shipped, stories.JOIN, stories.MERGE)
                               for h in range(K)]))
    models = [fit_short([p for i in range(K) if i != h for v in train[h, i].values()
                         for p in v], gold) for h in range(K)]
    print("short model on those pairs", flush=True)
    for join in CURVE:
        print(f"  join {join}:", line([checks(check[h], gold, models[h], join, 1.01)
                                       for h in range(K)]), flush=True)


def long_stream_splits(articles: Sequence[StreamArticle], gold: bench.Gold) -> dict[str, int]:
    """For scale: the stories of check (b) inside their fold's long stream (the shipped model
    and thresholds, so in sample): how many are split, and how many share a found story with
    another gold story."""
    out = {"stories": 0, "split": 0, "joined": 0}
    shipped: Model = (stories.PAIR_WEIGHTS, stories.PAIR_BIAS)
    for stream in bench.time_folds(articles, gold, K):
        found = outcome(bench.candidate_pairs(stream), gold, shipped, stories.JOIN,
                        stories.MERGE)
        members: dict[str, set[str]] = {}
        for aid, sid in found.items():
            members.setdefault(sid, set()).add(gold[aid])
        for group in bench.short_story_groups(stream, gold):
            mine = {found[a.id] for a in group}
            out["stories"] += 1
            out["split"] += len(mine) > 1
            out["joined"] += any(len(members[sid]) > 1 for sid in mine)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--background", action="store_true",
                        help="short streams with a background of words, numbers and names")
    args = parser.parse_args(argv)
    articles, gold = bench.load()
    if args.background:
        background_run(articles, gold)
        return 0
    print("the check's short stories inside their fold's long stream (in sample):",
          long_stream_splits(articles, gold), flush=True)
    train, check = build(articles, gold)
    shipped: Model = (stories.PAIR_WEIGHTS, stories.PAIR_BIAS)
    print("shipped pair model, shipped thresholds:", line(
        [checks(check[h], gold, shipped, stories.JOIN, stories.MERGE) for h in range(K)]))
    for join in (0.3, 0.4, 0.5, 0.6, 0.7):
        print(f"  join {join}:", line([checks(check[h], gold, shipped, join, 1.01)
                                       for h in range(K)]))
    chosen = [choose(pooled(train, h), gold, shipped) for h in range(K)]
    print(f"  join and merge chosen per fold {chosen}:", line(
        [checks(check[h], gold, shipped, *chosen[h]) for h in range(K)]), flush=True)
    variants: dict[str, Callable[[int], Model]] = {
        "short model, all kinds": lambda h: fit_short(
            [p for v in pooled(train, h).values() for p in v], gold),
        "... each stream weighed alike": lambda h: fit_short(
            [p for v in pooled(train, h).values() for p in v], gold, per_stream=True),
        "... same-city streams 5 times": lambda h: fit_short(
            [p for v in pooled(train, h, repeat={"city": 5}).values() for p in v], gold),
        "... alone and same city only": lambda h: fit_short(
            [p for v in pooled(train, h, ("alone", "city")).values() for p in v], gold),
        "... a correction of the shipped model, C 0.03": lambda h: fit_short(
            [p for v in pooled(train, h).values() for p in v], gold, offset=shipped, c=0.03),
    }
    for name, fitter in variants.items():
        models = [fitter(h) for h in range(K)]
        print(name, flush=True)
        for join in CURVE:
            print(f"  join {join}:", line([checks(check[h], gold, models[h], join, 1.01)
                                           for h in range(K)]), flush=True)
        if name == "short model, all kinds":
            chosen = [choose(pooled(train, h), gold, models[h]) for h in range(K)]
            print(f"  join and merge chosen per fold {chosen}:", line(
                [checks(check[h], gold, models[h], *chosen[h]) for h in range(K)]), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
