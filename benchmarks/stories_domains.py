"""The story grouping on streams from outside the news it was fitted on (issue 14).

The grouping's pair model is fitted on the GVA dev stream (local US reports of shootings,
``benchmarks/stories.py``). This checks it where nothing was fitted:

- **DUC 2004** (task 2 development clusters, ``../shared/eval/duc2004/``): 25 clusters of
  about ten wire articles each on 25 different world events, read and cleaned as
  ``crossbrief stories`` reads them; the gold story is the cluster.
- **ECB+** (topics 1-35, ``../shared/eval/ecbplus-dev/``): each topic holds articles on two
  *similar* events (its ``ecb`` and ``ecbplus`` halves: two earthquakes, two arrests of one
  kind), so it asks exactly "the same event, or a similar one?". The gold story is the event
  (topic and half). The articles carry no publication date.

Scored as ``benchmarks/stories.py`` scores GVA (pairwise and B-cubed precision, recall, F1 over
the articles), for crossbrief as shipped and the README's TF-IDF one-pass (threshold and
window as in ``benchmarks/stories.py``) in the same run. Run from another checkout's
``benchmarks/`` (a copy of this file) to measure its engine alike.

    python benchmarks/stories_domains.py            # prints the table
    python benchmarks/stories_domains.py --json F   # and writes the figures
    python benchmarks/stories_domains.py --cv       # the pair model fitted on several kinds
                                                    # of news, out of fold for each (~5 min)

``--cv`` (issue 14's fourth round, docs/stories.md): does fitting the pair model on more than
one kind of news help? Every figure is out of fold for its own domain. GVA: its 5 time folds
as ``benchmarks/stories.py --cv`` cuts them (each training fold's pairs found with the other
folds' background, ``short_stream=0``; the held-out fold's stream clustered as shipped,
scored pooled). DUC 2004 and ECB+: ``FOLDS`` topic folds (DUC's clusters, ECB+'s topics with
both their events, dealt in order); fold j's model is trained on the candidate pairs of the
stream of the other folds' topics (``short_stream=0``, no background) and then clusters the
*whole* stream as shipped runs it; only pairs and B-cubed terms of fold j's articles are
counted (every pair (a, b) with a in fold j, once per ordering), so the figure is read on the
same one stream as the table above but never on a topic the model saw. Fold j of all three
domains is held out together: the model of fold j never saw any of them. Decisions are
replayed on the engine's candidate pairs (``benchmarks/stories.py``'s ``replay``, which the
engine's own ``--cv`` checks against the clusterer). Join and merge are chosen on the
training pair sets as ``--fit`` chooses them (the mean objective over the sets).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import crossbrief  # noqa: E402
import stories as bench  # noqa: E402  (benchmarks/stories.py)
from crossbrief.model import Article, article_id  # noqa: E402
from crossbrief.stories import StreamArticle, cluster, order_key  # noqa: E402

DUC = HERE.parent.parent / "shared" / "eval" / "duc2004" / "clusters"


def duc_stream() -> tuple[list[StreamArticle], dict[str, str]]:
    articles: list[StreamArticle] = []
    gold: dict[str, str] = {}
    for folder in sorted(p for p in DUC.iterdir() if p.is_dir()):
        docs = sorted(str(p) for p in (folder / "docs").iterdir() if p.is_file())
        for article in crossbrief.analyze(docs, stages=["clean"]).articles:
            if article.id not in gold:
                gold[article.id] = folder.name
                articles.append(StreamArticle.from_article(article))
    return articles, gold


def ecb_stream() -> tuple[list[StreamArticle], dict[str, str]]:
    import ecb_entities

    articles: list[StreamArticle] = []
    gold: dict[str, str] = {}
    for story in ecb_entities.load(range(1, 36)):
        for document in story.documents:
            id = article_id(document.text)
            if id in gold:
                continue
            gold[id] = story.name
            articles.append(StreamArticle.from_article(Article(
                id=id, source=document.name, text=document.text, input=document.name)))
    return articles, gold


def figures(articles: list[StreamArticle], gold: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    started = time.perf_counter()
    groups = cluster(articles)
    found = {a.id: group.id for group in groups for a in group.articles}
    out["crossbrief"] = bench.score(found, gold) | {"seconds": time.perf_counter() - started}
    vectors, index = bench.tfidf_vectors(articles)
    out["TF-IDF one-pass (peer)"] = bench.score(bench.one_pass(
        articles, vectors, index, bench.TFIDF_PEER["threshold"],
        bench.TFIDF_PEER["window_days"]), gold)
    return out


# --- Several kinds of news in the fit (--cv) -----------------------------------------------

FOLDS = bench.FOLDS
Pairs = bench.Pairs
Model = tuple[tuple[float, ...], float]


def topic_folds(articles: list[StreamArticle], gold: dict[str, str], topic: Any,
                k: int = FOLDS) -> list[list[StreamArticle]]:
    """``k`` streams of whole topics (``topic(story)``), the sorted topics dealt in turn."""
    topics = sorted({topic(gold[a.id]) for a in articles})
    fold_of = {t: n % k for n, t in enumerate(topics)}
    streams: list[list[StreamArticle]] = [[] for _ in range(k)]
    for article in sorted(articles, key=order_key):
        streams[fold_of[topic(gold[article.id])]].append(article)
    return streams


def ecb_topic(story: str) -> str:
    """The ECB+ topic of a gold story ("ecb:<topic>ecb" or "ecb:<topic>ecbplus")."""
    found = re.match(r"ecb:(\d+)", story)
    if found is None:
        raise ValueError(f"not an ECB+ story: {story!r}")
    return found.group(1)


class Domains:
    """The three kinds of news, their folds and the candidate pairs the protocol needs."""

    def __init__(self, log: Any = print) -> None:
        g_articles, g_gold = bench.load()
        d_articles, d_gold = duc_stream()
        e_articles, e_gold = ecb_stream()
        self.gold = {**g_gold, **{k: "duc:" + v for k, v in d_gold.items()},
                     **{k: "ecb:" + v for k, v in e_gold.items()}}
        self.dated = {a.id: bool(a.published) for a in (*g_articles, *d_articles,
                                                         *e_articles)}
        self.articles = {"duc": d_articles, "ecb": e_articles}
        self.gva = bench.time_folds(g_articles, g_gold, FOLDS)
        # ECB+ stories are "<topic>ecb" and "<topic>ecbplus": a topic's two events together.
        self.folds = {"duc": topic_folds(d_articles, self.gold, lambda s: s),
                      "ecb": topic_folds(e_articles, self.gold,
                                         ecb_topic)}
        self.fold_of = {d: {a.id: n for n, s in enumerate(f) for a in s}
                        for d, f in self.folds.items()}
        background = bench.FoldBackgrounds(g_articles, self.gva)
        self.train: dict[tuple[str, int], list[Pairs]] = {}
        # ("gva", fold): that fold's held-out pairs; "duc" and "ecb": the whole set's.
        self.held: dict[tuple[str, int] | str, Any] = {}
        for held in range(FOLDS):
            self.train["gva", held] = [bench.candidate_pairs(
                self.gva[i], background=background.without(i, held), short_stream=0)
                for i in range(FOLDS) if i != held]
            self.held["gva", held] = bench.candidate_pairs(self.gva[held])
            for d, folds in self.folds.items():
                rest = [a for i, f in enumerate(folds) if i != held for a in f]
                self.train[d, held] = [bench.candidate_pairs(rest, short_stream=0)]
            log(f"fold {held}: candidate pairs found")
        for d in self.folds:
            self.held[d] = bench.candidate_pairs(self.articles[d])


def fit_model(sets: list[tuple[str, Pairs]], gold: dict[str, str], c: float,
              weight: dict[str, float]) -> Model:
    """As ``bench.fit_pair_model``, with the L2 strength ``c`` and a weight per domain."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from crossbrief import stories

    x, y, w = [], [], []
    for domain, pairs in sets:
        for aid, found in pairs:
            for bid, features in found:
                x.append(features)
                y.append(gold[aid] == gold[bid])
                w.append(weight.get(domain, 1.0))
    model = LogisticRegression(C=c, **bench.LR_SOLVER)
    model.fit(stories.expand(np.asarray(x)), np.asarray(y), sample_weight=np.asarray(w))
    return tuple(round(float(v), 4) for v in model.coef_[0]), round(float(model.intercept_[0]), 4)


def scored_by_regime(pairs: Pairs, dated: Model, undated: Model | None,
                     is_dated: dict[str, bool]) -> bench.Scored:
    """The pair probabilities: of ``undated`` for a pair with an undated article (when
    given), of ``dated`` otherwise."""
    from crossbrief import stories

    if undated is None:
        return bench.scored(pairs, *dated)
    out: bench.Scored = []
    for aid, found in pairs:
        rows = [f for _, f in found]
        p_dated = stories.pair_probabilities(rows, *dated) if rows else []
        p_undated = stories.pair_probabilities(rows, *undated) if rows else []
        out.append((aid, [(bid, float(p_dated[n] if is_dated[aid] and is_dated[bid]
                                      else p_undated[n]))
                          for n, (bid, _) in enumerate(found)]))
    return out


def score_held_out(found_by_fold: list[dict[str, str]], fold_of: dict[str, int],
                   gold: dict[str, str]) -> dict[str, float]:
    """Pairwise and B-cubed figures of the whole stream clustered by each fold's model,
    counting only the terms of that fold's articles (pairs (a, b) with a in the fold)."""
    from collections import Counter

    true = found_pairs = gold_pairs = 0
    b3_p = b3_r = 0.0
    n = 0
    for fold, found in enumerate(found_by_fold):
        size = Counter(found.values())
        joint = Counter((gold[i], found[i]) for i in found)
        gold_size = Counter(gold[i] for i in found)
        for aid, sid in found.items():
            if fold_of[aid] != fold:
                continue
            n += 1
            both = joint[gold[aid], sid]
            true += both - 1
            found_pairs += size[sid] - 1
            gold_pairs += gold_size[gold[aid]] - 1
            b3_p += both / size[sid]
            b3_r += both / gold_size[gold[aid]]
    p = true / found_pairs if found_pairs else 1.0
    r = true / gold_pairs if gold_pairs else 1.0
    return {"pair_p": p, "pair_r": r, "pair_f1": bench.f1(p, r), "b3_p": b3_p / n,
            "b3_r": b3_r / n, "b3_f1": bench.f1(b3_p / n, b3_r / n), "articles": n}


#: The variants of ``--cv``: the domains whose pairs fit the model, those the thresholds are
#: chosen on, the logistic regression's C, a weight per domain's pairs, and whether pairs
#: with an undated article get a model of their own, fitted on DUC 2004 and ECB+ (undated
#: as crossbrief reads them).
VARIANTS: dict[str, dict[str, Any]] = {
    "GVA only (as shipped)": {"fit": ("gva",)},
    "GVA + DUC + ECB+": {"fit": ("gva", "duc", "ecb")},
    "GVA + DUC + ECB+, thresholds on GVA": {"fit": ("gva", "duc", "ecb"),
                                            "thresholds": ("gva",)},
    "GVA + DUC + ECB+, C 3": {"fit": ("gva", "duc", "ecb"), "c": 3.0},
    "GVA + DUC + ECB+, their pairs weighed 0.1, thresholds on GVA": {
        "fit": ("gva", "duc", "ecb"), "thresholds": ("gva",),
        "weight": {"duc": 0.1, "ecb": 0.1}},
    "GVA + DUC": {"fit": ("gva", "duc")},
    "GVA + ECB+": {"fit": ("gva", "ecb")},
    "GVA for dated pairs; DUC + ECB+ for pairs with an undated article": {
        "fit": ("gva",), "undated": ("duc", "ecb")},
}


def domain_cv(domains: Domains, variant: dict[str, Any]) -> dict[str, Any]:
    """Out-of-fold figures of one variant, per domain."""
    gold = domains.gold
    found_gva: dict[str, str] = {}
    found_by_fold: dict[str, list[dict[str, str]]] = {d: [] for d in domains.folds}
    chosen = []
    for held in range(FOLDS):
        sets = [(d, p) for d in variant["fit"] for p in domains.train[d, held]]
        model = fit_model(sets, gold, variant.get("c", bench.LR_C), variant.get("weight", {}))
        on = variant.get("thresholds", variant["fit"])
        join, merge, _ = bench.choose_thresholds([p for d, p in sets if d in on], gold,
                                                 *model)
        undated = None
        if variant.get("undated"):
            undated = fit_model([(d, p) for d in variant["undated"]
                                 for p in domains.train[d, held]], gold, bench.LR_C, {})
        chosen.append((join, merge))
        replayed = bench.replay(scored_by_regime(domains.held["gva", held], model, undated,
                                                 domains.dated), join, merge)
        found_gva.update({k: f"{held}:{v}" for k, v in replayed.items()})
        for d in domains.folds:
            found_by_fold[d].append(bench.replay(scored_by_regime(
                domains.held[d], model, undated, domains.dated), join, merge))
    out: dict[str, Any] = {"GVA dev": bench.score(found_gva, gold)}
    for d, name in (("duc", "DUC 2004"), ("ecb", "ECB+ 1-35")):
        out[name] = score_held_out(found_by_fold[d], domains.fold_of[d], gold)
    out["thresholds"] = chosen
    return out


def shipped_figures(domains: Domains) -> dict[str, Any]:
    """The shipped constants on the same streams and terms (in sample on GVA)."""
    from crossbrief import stories

    model = (stories.PAIR_WEIGHTS, stories.PAIR_BIAS)
    found: dict[str, str] = {}
    for held in range(FOLDS):
        found.update({k: f"{held}:{v}" for k, v in bench.replay(bench.scored(
            domains.held["gva", held], *model), stories.JOIN, stories.MERGE).items()})
    out: dict[str, Any] = {"GVA dev": bench.score(found, domains.gold)}
    for d, name in (("duc", "DUC 2004"), ("ecb", "ECB+ 1-35")):
        whole = bench.replay(bench.scored(domains.held[d], *model), stories.JOIN,
                             stories.MERGE)
        out[name] = score_held_out([whole] * FOLDS, domains.fold_of[d], domains.gold)
    return out


def cross_validate_domains(log: Any = print) -> dict[str, Any]:
    domains = Domains(log)
    result = {"shipped constants (GVA in sample)": shipped_figures(domains)}
    for name, variant in VARIANTS.items():
        result[name] = domain_cv(domains, variant)
        log(f"{name}: done")
    print("| fitted on | GVA dev, pairwise / B-cubed F1 | DUC 2004 | ECB+ 1-35 |")
    print("|---|---|---|---|")
    for name, figures in result.items():
        print(f"| {name} | " + " | ".join(
            f"{figures[d]['pair_f1']:.3f} / {figures[d]['b3_f1']:.3f}"
            for d in ("GVA dev", "DUC 2004", "ECB+ 1-35")) + " |")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--cv", action="store_true",
                        help="the pair model fitted on several kinds of news, out of fold")
    args = parser.parse_args(argv)
    if args.cv:
        measured = cross_validate_domains(log=lambda line: print(line, file=sys.stderr))
        if args.json:
            args.json.write_text(json.dumps(measured, indent=1), "utf-8")
        return 0
    result: dict[str, dict[str, Any]] = {}
    for name, load in (("DUC 2004 clusters", duc_stream), ("ECB+ events, topics 1-35",
                                                            ecb_stream)):
        articles, gold = load()
        result[name] = {"articles": len(articles), "stories": len(set(gold.values())),
                        "systems": figures(articles, gold)}
    print("| stream | system | stories found | pairwise P | pairwise R | pairwise F1 "
          "| B-cubed P | B-cubed R | B-cubed F1 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, data in result.items():
        label = f"{name} ({data['articles']} articles, {data['stories']} stories)"
        for system, f in data["systems"].items():
            print(f"| {label} | {system} | {f['stories']} | {f['pair_p']:.3f} | "
                  f"{f['pair_r']:.3f} | {f['pair_f1']:.3f} | {f['b3_p']:.3f} | "
                  f"{f['b3_r']:.3f} | {f['b3_f1']:.3f} |")
            label = ""
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
