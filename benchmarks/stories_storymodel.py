"""Story grouping: a story-level model, measured by replay (docs/stories.md, "Tried in issue
14's seventh round"; not shipped).

    python benchmarks/stories_storymodel.py                       # the engine's decisions
    python benchmarks/stories_storymodel.py --variant story --products --gate 20 --dated
    python benchmarks/stories_storymodel.py --variant story --products --domains

About 2 minutes for the candidate pairs, then 1 to 15 minutes a variant on the shared
machine (the threshold grid is replayed on every training fold).

The pair model scores an article against one earlier article at a time, and the article joins
the story of its best pair. Here a second logistic regression scores the article against a
*story*: its row is (new article, a story one of its candidates is in), with features
aggregated over the story's articles among the candidates (``STORY_FEATURES``: the best pair
probability as a logit, the second best, the sum of the probabilities, how many reach 0.3, how
many candidates and how large the story, their share, the best of each pair feature over
them (the smallest day gap), the days since the story's last article, whether the story
mentions a person the article names (a name of two words or more the stream has given an
age for), and the story's best probability less the article's best over all stories); label:
at least half the story's articles are of the article's gold story. With ``--products``, the
features and every product of two of them (``stories.expand``), standardised.

Protocol, out of fold as ``benchmarks/stories.py --cv`` cuts ``../shared/eval/gva-stream/
dev.jsonl``: for each held-out time fold, the pair model and its thresholds fitted on the
other folds' candidate pairs exactly as ``--cv`` fits them (the replay of the engine's
decisions gives ``--cv``'s figures); the story model's rows collected on those training folds
with the stories as the engine makes them there (or, ``--oracle``, as the gold makes them);
its join and merge thresholds chosen on the training folds for ``--cv``'s objective (the mean
of pairwise and B-cubed F1) on a grid; the held-out fold's candidate pairs then replayed with
the story score in place of the best pair probability (the links by a person's name as the
engine makes them, on the best pair probability). ``--variant rescue``: the engine's decisions
kept, and an article that would start a story joins the story the story model scores best
when that score reaches a threshold chosen likewise (``--rescue-rows``: the model fitted on
such articles' rows only). ``--gate N``: the first N articles of a stream decided by the pair
model (short streams); ``--dated``: an undated article too. The short-stream checks of
``--cv`` ((b) and (c)) replayed the same way on their own candidate pairs. ``--domains``: the
story model fitted on the five fold streams' candidate pairs with the shipped pair model and
thresholds (in sample), then DUC 2004 and ECB+ 1-35 (``benchmarks/stories_domains.py``'s
streams) replayed with and without it.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stories as bench  # benchmarks/stories.py
import stories_short
from crossbrief import stories

K = bench.FOLDS
STORY_FEATURES = ("logit_best", "second_best", "log_sum", "log_over_03", "log_candidates",
                  "log_size", "share", *(f"best_{n}" for n in stories.PAIR_FEATURES),
                  "log_days_since_last", "person", "below_best")
JOIN_GRID = (0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65)
MERGE_GRID = (0.9, 1.01)
RESCUE_GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
Terms = dict[str, stories.ArticleTerms]
Row = tuple[list[float], bool]


def logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def story_row(ps: list[float], features: Any, size: int, days_since: float, person: bool,
              overall_best: float) -> list[float]:
    """The story features (``STORY_FEATURES``) of one (article, story): ``ps`` the pair
    probabilities of the story's candidates, best first, ``features`` their pair features."""
    best = features.max(axis=0)
    best[5] = features[:, 5].min()          # the smallest gap in days (a log)
    return [logit(ps[0]), ps[1] if len(ps) > 1 else 0.0, math.log1p(sum(ps)),
            math.log1p(sum(p >= 0.3 for p in ps)), math.log1p(len(ps)), math.log1p(size),
            len(ps) / size, *best.tolist(), days_since, float(person), ps[0] - overall_best]


@dataclass
class StoryModel:
    """A logistic regression over standardised story features (and their products)."""

    weights: Any
    bias: float
    mean: Any
    scale: Any
    products: bool

    def __call__(self, rows: Sequence[list[float]]) -> Any:
        x = np.asarray(rows, dtype=np.float64)
        if self.products:
            x = stories.expand(x)
        z = ((x - self.mean) / self.scale) @ self.weights + self.bias
        return np.round(1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0))), stories.ROUND)


def fit_story_model(rows: Sequence[Row], products: bool) -> StoryModel:
    from sklearn.linear_model import LogisticRegression

    x = np.asarray([r[0] for r in rows], dtype=np.float64)
    y = np.asarray([r[1] for r in rows])
    if products:
        x = stories.expand(x)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=bench.LR_C, **bench.LR_SOLVER).fit((x - mean) / scale, y)
    return StoryModel(model.coef_[0], float(model.intercept_[0]), mean, scale, products)


@dataclass
class Options:
    model: StoryModel | None = None
    rescue: float | None = None      # --variant rescue: the story score that rescues
    gate: int = 0                    # the first this many articles: pair decisions
    dated: bool = False              # undated articles: pair decisions
    rescue_rows: bool = False        # collect only rows of articles under the join
    oracle: bool = False             # the stories as the gold makes them (collecting rows)


def replay(pairs: bench.Pairs, weights: Sequence[float], bias: float, join: float,
           merge: float, terms: Terms, gold: bench.Gold, options: Options,
           collect: list[Row] | None = None) -> dict[str, str]:
    """``bench.replay`` (the engine's decisions, with the links by a person's name) with the
    story model's score of each story in place of its best pair probability (``options``);
    with ``collect``, each (article, story) row and its label appended there."""
    order = {aid: i for i, (aid, _) in enumerate(pairs)}
    parent: dict[str, str] = {}
    size: dict[str, int] = {}
    last: dict[str, int | None] = {}
    members: dict[str, list[str]] = {}
    named: dict[str, list[str]] = {}
    people: set[str] = set()
    first_of_gold: dict[str, str] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(one: str, other: str) -> str:
        a, b = sorted((find(one), find(other)), key=order.__getitem__)
        if a == b:
            return a
        parent[b] = a
        size[a] += size[b]
        members[a] += members[b]
        days = [d for d in (last[a], last[b]) if d is not None]
        last[a] = max(days) if days else None
        return a

    model = options.model
    for aid, found in pairs:
        mine = terms[aid]
        people.update(mine.people)
        names = [n for n in mine.names if " " in n]
        best: dict[str, float] = {}
        groups: dict[str, list[int]] = {}
        story_score: dict[str, float] = {}
        if found:
            features = np.asarray([f for _, f in found])
            probability = stories.pair_probabilities(features, weights, bias)
            for j, (bid, _) in enumerate(found):
                root = find(bid)
                groups.setdefault(root, []).append(j)
                best[root] = max(best.get(root, -1.0), float(probability[j]))
            use = (model is not None and order[aid] >= options.gate
                   and not (options.dated and mine.day is None))
            if use or collect is not None:
                overall = max(best.values())
                shared = {find(x) for n in names if n in people for x in named.get(n, ())}
                roots = sorted(groups, key=order.__getitem__)
                rows = []
                for root in roots:
                    index = sorted(groups[root], key=lambda j: -probability[j])
                    latest = last[root]
                    since = (0.0 if mine.day is None or latest is None
                             else math.log1p(abs(mine.day - latest)))
                    rows.append(story_row([float(probability[j]) for j in index],
                                          features[index], size[root], since,
                                          root in shared, overall))
                if collect is not None and (not options.rescue_rows or overall < join):
                    for root, row in zip(roots, rows, strict=True):
                        same = sum(gold[m] == gold[aid] for m in members[root])
                        collect.append((row, 2 * same >= len(members[root])))
                if use:
                    assert model is not None
                    story_score = dict(zip(roots, model(rows).tolist(), strict=True))
        parent[aid], size[aid], last[aid], members[aid] = aid, 1, mine.day, [aid]
        if options.oracle:
            earlier = first_of_gold.setdefault(gold[aid], aid)
            if earlier != aid:
                union(earlier, aid)
            for n in names:
                named.setdefault(n, []).append(aid)
            continue
        score = best if not story_score or options.rescue is not None else story_score
        links = sorted(score.items(), key=lambda item: (-item[1], order[item[0]]))
        if links and links[0][1] >= join:
            target = union(links[0][0], aid)
            for root, p in links[1:]:
                if p < merge:
                    break
                target = union(target, root)
        elif story_score and options.rescue is not None:
            top = min(story_score.items(), key=lambda item: (-item[1], order[item[0]]))
            if top[1] >= options.rescue:
                union(top[0], aid)
        for root in bench.people_links(aid, terms, best, people, named, find, order):
            union(aid, root)
        for n in names:
            named.setdefault(n, []).append(aid)
    return {aid: find(aid) for aid, _ in pairs}


def choose(sets: Sequence[bench.Pairs], weights: Sequence[float], bias: float,
           terms: Terms, gold: bench.Gold, options: Options) -> tuple[float, float]:
    """The story model's (join, merge) with the best mean objective over ``sets``; ties to
    the higher thresholds."""
    best = (-1.0, 0.0, 0.0)
    for join in JOIN_GRID:
        for merge in MERGE_GRID:
            value = sum(bench.objective(bench.score(replay(
                p, weights, bias, join, merge, terms, gold, options), gold))
                for p in sets) / len(sets)
            best = max(best, (round(value, 6), join, merge))
    return best[1], best[2]


def check_counts(check: dict[tuple[str, str], list[bench.Pairs]], weights: Sequence[float],
                 bias: float, join: float, merge: float, terms: dict[str, Terms],
                 gold: bench.Gold, options: Options) -> dict[tuple[str, str], Counter[str]]:
    """The short-stream checks of ``--cv``, replayed."""
    out: dict[tuple[str, str], Counter[str]] = {}
    for (kind, mode), sets in check.items():
        counts = out[kind, mode] = Counter()
        for pairs in sets:
            parts = bench.partition(replay(pairs, weights, bias, join, merge, terms[mode],
                                           gold, options))
            counts.update(bench.check_counts(parts, [a for a, _ in pairs], gold))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", choices=("engine", "story", "rescue"), default="engine")
    parser.add_argument("--products", action="store_true")
    parser.add_argument("--oracle", action="store_true")
    parser.add_argument("--rescue-rows", action="store_true")
    parser.add_argument("--gate", type=int, default=0)
    parser.add_argument("--dated", action="store_true")
    parser.add_argument("--domains", action="store_true")
    args = parser.parse_args(argv)
    articles, gold = bench.load()
    streams = bench.time_folds(articles, gold, K)
    background = bench.FoldBackgrounds(articles, streams)
    terms: Terms = dict(background.terms)
    options = Options(gate=args.gate, dated=args.dated, rescue_rows=args.rescue_rows)
    if args.domains:
        return domains(streams, gold, terms, options, args.products)
    undated = {a.id: stories.extract_terms(replace(a, published=None)) for a in articles}
    found: dict[str, str] = {}
    totals: dict[tuple[str, str], Counter[str]] = {}
    for held in range(K):
        sets = [bench.candidate_pairs(streams[i], background=background.without(i, held),
                                      short_stream=0) for i in range(K) if i != held]
        fitted = bench.fit(sets, gold, terms)
        weights, bias = fitted["weights"], fitted["bias"]
        join, merge = fitted["join"], fitted["merge"]
        run = replace(options)
        if args.variant != "engine":
            rows: list[Row] = []
            for pairs in sets:
                replay(pairs, weights, bias, join, merge, terms, gold,
                       replace(options, oracle=args.oracle), collect=rows)
            run.model = fit_story_model(rows, args.products)
            if args.variant == "rescue":
                run.rescue = max((round(sum(bench.objective(bench.score(replay(
                    p, weights, bias, join, merge, terms, gold, replace(run, rescue=t)),
                    gold)) for p in sets), 6), t) for t in RESCUE_GRID)[1]
            else:
                join, merge = choose(sets, weights, bias, terms, gold, run)
        pairs = bench.candidate_pairs(streams[held])
        out = replay(pairs, weights, bias, join, merge, terms, gold, run)
        found.update({aid: f"{held}:{sid}" for aid, sid in out.items()})
        figures = bench.score(out, gold)
        print(f"fold {held}: join {join}, merge {merge}, rescue {run.rescue}: pairwise F1 "
              f"{figures['pair_f1']:.4f}, B-cubed F1 {figures['b3_f1']:.4f}", flush=True)
        for key, counts in check_counts(stories_short.check_sets(streams[held], gold),
                                        weights, bias,
                                        join, merge, {"dated": terms, "undated": undated},
                                        gold, run).items():
            totals.setdefault(key, Counter()).update(counts)
    pooled = bench.score(found, gold)
    print(f"out of fold: pairwise P/R/F1 {pooled['pair_p']:.3f} / {pooled['pair_r']:.3f} / "
          f"{pooled['pair_f1']:.4f}; B-cubed P/R/F1 {pooled['b3_p']:.3f} / "
          f"{pooled['b3_r']:.3f} / {pooled['b3_f1']:.4f}")
    print("short streams: " + "; ".join(
        f"{kind} {mode}: split {c['split']}, joined {c['joined']}, exact {c['exact']} of "
        f"{c['streams']}" for (kind, mode), c in sorted(totals.items())))
    return 0


def domains(streams: Sequence[Sequence[stories.StreamArticle]], gold: bench.Gold,
            terms: Terms, options: Options, products: bool) -> int:
    """DUC 2004 and ECB+ 1-35 replayed with the shipped pair model, with and without a story
    model fitted on the fold streams (in sample on GVA)."""
    import stories_domains as dom

    weights, bias = stories.PAIR_WEIGHTS, stories.PAIR_BIAS
    pair_sets = [bench.candidate_pairs(s) for s in streams]
    rows: list[Row] = []
    for pairs in pair_sets:
        replay(pairs, weights, bias, stories.JOIN, stories.MERGE, terms, gold, options,
               collect=rows)
    run = replace(options, model=fit_story_model(rows, products))
    join, merge = choose(pair_sets, weights, bias, terms, gold, run)
    print(f"story model's thresholds on GVA: join {join}, merge {merge}")
    for name, loader in (("DUC 2004", dom.duc_stream), ("ECB+ 1-35", dom.ecb_stream)):
        other, other_gold = loader()
        other_terms = {a.id: stories.extract_terms(a) for a in other}
        pairs = bench.candidate_pairs(other)
        for label, how, j, m in (("engine", options, stories.JOIN, stories.MERGE),
                                 ("story model", run, join, merge)):
            figures = bench.score(replay(pairs, weights, bias, j, m, other_terms,
                                         other_gold, how), other_gold)
            print(f"{name}, {label}: pairwise / B-cubed F1 {figures['pair_f1']:.3f} / "
                  f"{figures['b3_f1']:.3f}, {figures['stories']} stories")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
