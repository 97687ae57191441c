"""DUC 2004 task 2: the summary's constants chosen by cross-validation, and what each is worth.

The summary's tuned constants (``crossbrief.synthesize.Knobs``) are chosen by 5-fold
cross-validation over the 25 development clusters of ``../shared/eval/duc2004`` (fold ``k``
holds the clusters whose position in name order is ``k`` modulo 5): for each fold, a block
coordinate grid search (``GRID``, starting from ``START``, one block of knobs at a
time, until no block changes) chooses the constants that maximise ROUGE-1 + ROUGE-2 on the
other 20 clusters, and the held-out 5 are summarised with them. Reported:

- the out-of-fold ROUGE-1/2, pooled over the 25 clusters (each scored by the constants chosen
  without it), beside the in-fold figure (the training clusters' own, averaged over folds);
- the constants each fold chose, and their median (what ships);
- each knob's ablation out of fold: every fold's choice with that knob set to its neutral
  value (``synthesize.NEUTRAL``), scored on the held-out clusters; the effect's standard
  error is the paired one over the 25 clusters;
- the same ablation for each untuned rule or constant of ``VARIANTS`` (the lead weight, the
  sentence-end and answers-before rules, the word and word-pair concepts), switched off with
  every fold's knobs kept;
- the shipped constants in-sample on all 25.

Scoring as ``benchmarks/duc2004.py``: 665 bytes, ROUGE-1 and ROUGE-2 recall (``rouge-score``,
Porter stemming, stop words kept), averaged over the four human summaries, then over clusters.

The pipeline runs once per cluster up to the summary (the stages the summary reads:
sentences, parse, quotes, opinion, near-copies; the claims stage changes only the summary's
citations, not its sentences): each cluster's sentence pool is cached on disk (``--cache``,
keyed by the package's source), so every grid point runs only the summary's choice.

    python benchmarks/duc2004_cv.py [--json out.json] [--cache DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import pickle
import statistics
import sys
import time
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import duc2004  # noqa: E402

FOLDS = 5
# At most this many rounds of the coordinate search (each block once per round).
ROUNDS = 3
# The coarse grid of each knob: a few values around the shipped one, with the neutral value
# (the knob switched off). Knobs in one tuple would be searched jointly.
GRID: dict[tuple[str, ...], dict[str, tuple[float, ...]]] = {
    ("quoted_share",): {"quoted_share": (0.1, 0.2, 0.3, 0.5, 1.0)},
    # Floors of 2, 3, 4 and 5 articles of 10.
    ("concept_share",): {"concept_share": (0.0, 0.3, 0.4, 0.5)},
    ("plain_words",): {"plain_words": (0.0, 0.3, 0.6, 0.9, 1.2)},
}
# Where every fold's search starts: the hand-set values before cross-validation (a fixed
# point, so a rerun on the same pools repeats the recorded choice).
START = {"quoted_share": 0.3, "concept_share": 0.3, "plain_words": 0.6}
STAGES = ("clean", "segment", "entities", "sources", "quotes", "opinion", "align")


def source_key() -> str:
    """A hash of the package's source and data: a cached pool is stale when it changes."""
    digest = hashlib.sha256()
    package = ROOT / "src" / "crossbrief"
    for path in sorted(package.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".json", ".txt"} \
                and "examples" not in path.parts:
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def pools(clusters: list[Path], folder: Path) -> dict[str, dict[str, Any]]:
    """Per cluster: its sentence pool, near-copies and human summaries, from the cache
    ``folder`` or by running the pipeline up to the summary."""
    import crossbrief
    from crossbrief.config import load_settings
    from crossbrief.synthesize import sentence_pool

    folder.mkdir(parents=True, exist_ok=True)
    settings = load_settings(summary_sentences=0, summary_bytes=duc2004.LIMIT)
    found = {}
    for cluster in clusters:
        path = folder / f"{cluster.name}.pkl"
        if not path.exists():
            docs = sorted(p for p in (cluster / "docs").iterdir() if p.is_file())
            corpus = crossbrief.analyze([str(p) for p in docs], settings, stages=STAGES)
            data = {"pool": sentence_pool(corpus), "near_copies": corpus.near_copies}
            partial = path.with_suffix(".part")
            partial.write_bytes(pickle.dumps(data))
            partial.replace(path)
        found[cluster.name] = pickle.loads(path.read_bytes())
        found[cluster.name]["references"] = [
            p.read_text("utf-8") for p in sorted((cluster / "references").iterdir())]
    return found


class Evaluator:
    """ROUGE-1/2 of one cluster's summary under given knobs, each computed once."""

    def __init__(self, data: dict[str, dict[str, Any]], workers: int = 1,
                 memo: Path | None = None) -> None:
        from rouge_score import rouge_scorer

        self.data = data
        self.workers = workers
        self.file = memo
        self.scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
        self.memo: dict[tuple[str, Any], tuple[float, float]] = {}
        self.texts: dict[tuple[str, str], tuple[float, float]] = {}
        self.solves = 0
        self.seconds = 0.0
        if memo is not None and memo.exists():
            self.memo, self.texts = pickle.loads(memo.read_bytes())

    def __call__(self, cluster: str, knobs: Any, variant: str = "") -> tuple[float, float]:
        key = (cluster, (knobs, variant))
        if key not in self.memo:
            started = time.perf_counter()
            self.memo[key] = self.score(cluster, knobs, variant)[0]
            self.solves += 1
            self.seconds += time.perf_counter() - started
        return self.memo[key]

    def score(self, cluster: str, knobs: Any, variant: str) -> tuple[tuple[float, float], str]:
        from crossbrief.synthesize import Budget, choose

        data = self.data[cluster]
        pool = VARIANTS[variant](data["pool"]) if variant else data["pool"]
        with _constants(VARIANTS[variant] if variant else None):
            chosen = choose(pool, data["near_copies"], Budget(bytes=duc2004.LIMIT), knobs)
        text = duc2004.cut(" ".join(c.text for c in chosen))
        if (cluster, text) not in self.texts:
            scores = [self.scorer.score(ref, text) for ref in data["references"]]
            self.texts[cluster, text] = (
                100 * sum(s["rouge1"].recall for s in scores) / len(scores),
                100 * sum(s["rouge2"].recall for s in scores) / len(scores))
        return self.texts[cluster, text], text

    def prefetch(self, pairs: list[tuple[str, Any]], variant: str = "") -> None:
        """Summarise and score the (cluster, knobs) pairs not yet known, on ``workers``
        processes (the solver is single-threaded)."""
        todo = sorted({p for p in pairs if (p[0], (p[1], variant)) not in self.memo},
                      key=repr)
        if self.workers > 1 and len(todo) > 1:
            import multiprocessing

            global _EVALUATOR
            _EVALUATOR = self
            started = time.perf_counter()
            with multiprocessing.get_context("fork").Pool(self.workers) as pool:
                results = pool.starmap(_evaluate, [(c, k, variant) for c, k in todo])
            self.seconds += time.perf_counter() - started
            self.solves += len(todo)
            for (cluster, knobs), (result, text) in zip(todo, results, strict=True):
                self.memo[cluster, (knobs, variant)] = result
                self.texts[cluster, text] = result
        for cluster, knobs in todo:
            self(cluster, knobs, variant)
        if todo and self.file is not None:
            partial = self.file.with_suffix(".part")
            partial.write_bytes(pickle.dumps((self.memo, self.texts)))
            partial.replace(self.file)

    def mean(self, clusters: list[str], knobs: Any, variant: str = "") -> tuple[float, float]:
        rows = [self(c, knobs, variant) for c in clusters]
        return (sum(r[0] for r in rows) / len(rows), sum(r[1] for r in rows) / len(rows))


_EVALUATOR: Evaluator | None = None


def _evaluate(cluster: str, knobs: Any, variant: str) -> tuple[tuple[float, float], str]:
    assert _EVALUATOR is not None  # set by Evaluator.prefetch before the workers fork
    return _EVALUATOR.score(cluster, knobs, variant)


def _ends_anyhow(pool: list[Any]) -> list[Any]:
    return [replace(c, ends=True) for c in pool]


def _answers_nothing(pool: list[Any]) -> list[Any]:
    return [replace(c, answers=False) for c in pool]


def _unigrams(pool: list[Any]) -> list[Any]:
    return [replace(c, concepts=frozenset(k for k in c.concepts if len(k) == 1)) for c in pool]


def _bigrams(pool: list[Any]) -> list[Any]:
    return [replace(c, concepts=frozenset(k for k in c.concepts if len(k) == 2)) for c in pool]


class _Constant:
    """A variant that sets one untuned constant of ``crossbrief.synthesize`` while the
    summary is chosen (the pool is left as it is)."""

    def __init__(self, name: str, value: float) -> None:
        self.name, self.value = name, value

    def __call__(self, pool: list[Any]) -> list[Any]:
        return pool


def _constants(variant: Any) -> contextlib.AbstractContextManager[Any]:
    """A block inside which ``variant``'s constant (a :class:`_Constant`) is set."""
    from crossbrief import synthesize

    if not isinstance(variant, _Constant):
        return contextlib.nullcontext()
    return mock.patch.object(synthesize, variant.name, variant.value)


# The untuned rules and constants (LEAD_WEIGHT), each switched off on the cached pools for its
# ablation (every fold's knobs kept).
VARIANTS: dict[str, Any] = {
    "no lead weight (LEAD_WEIGHT 0)": _Constant("LEAD_WEIGHT", 0.0),
    "no SENTENCE_END (headings, captions allowed)": _ends_anyhow,
    "no ANSWERS_BEFORE": _answers_nothing,
    "concepts: words only": _unigrams,
    "concepts: word pairs only": _bigrams,
}


def search(evaluate: Evaluator, train: list[str], start: Any) -> Any:
    """Block coordinate ascent over GRID on ``train`` from ``start``: each block in turn
    takes its best grid value (the others held), until a whole round changes nothing. Ties go
    to the value listed first, so the result is a total order on the grid, not float noise."""
    def objective(knobs: Any) -> float:
        r1, r2 = evaluate.mean(train, knobs)
        return round(r1 + r2, 9)

    knobs = start
    for _ in range(ROUNDS):
        changed = False
        for block, values in GRID.items():
            combos: list[dict[str, float]] = [{}]
            for name in block:
                combos = [{**c, name: v} for c in combos for v in values[name]]
            evaluate.prefetch([(c, replace(knobs, **combo)) for c in train for combo in combos])
            best, score = knobs, objective(knobs)
            for combo in combos:
                point = replace(knobs, **combo)
                if objective(point) > score:
                    best, score = point, objective(point)
            if best != knobs:
                knobs, changed = best, True
        if not changed:
            break
    return knobs


def median_knobs(chosen: list[Any]) -> Any:
    """Each knob's median over the folds' choices (the lower middle value on an even count,
    so the result is always a grid value)."""
    values = {f.name: statistics.median_low([getattr(k, f.name) for k in chosen])
              for f in fields(chosen[0])}
    return type(chosen[0])(**values)


def paired_se(a: list[float], b: list[float]) -> float:
    diffs = [x - y for x, y in zip(a, b, strict=True)]
    return statistics.stdev(diffs) / len(diffs) ** 0.5 if len(diffs) > 1 else 0.0


def run(clusters: list[Path], cache: Path, workers: int = 1) -> dict[str, Any]:
    from crossbrief.synthesize import KNOBS, NEUTRAL, Knobs

    started = time.perf_counter()
    folder = cache / source_key()
    data = pools(clusters, folder)
    prepared = time.perf_counter() - started
    names = sorted(data)
    folds = [[n for i, n in enumerate(names) if i % FOLDS == k] for k in range(FOLDS)]
    # Summaries already scored from the same pools by the same summary code (a run stopped
    # half way resumes).
    digest = hashlib.sha256(b"".join((folder / f"{n}.pkl").read_bytes() for n in names))
    digest.update((ROOT / "src" / "crossbrief" / "synthesize.py").read_bytes())
    evaluate = Evaluator(data, workers, cache / f"scores-{digest.hexdigest()[:16]}.pkl")
    chosen, in_fold, held = [], [], {}
    for test in folds:
        train = [n for n in names if n not in test]
        knobs = search(evaluate, train, Knobs(**START))
        chosen.append(knobs)
        in_fold.append(evaluate.mean(train, knobs))
        for name in test:
            held[name] = (knobs, evaluate(name, knobs))
    oof = {n: held[n][1] for n in names}

    def pooled(rows: dict[str, tuple[float, float]]) -> dict[str, float]:
        return {"rouge1": sum(r[0] for r in rows.values()) / len(rows),
                "rouge2": sum(r[1] for r in rows.values()) / len(rows)}

    ablations = {}
    knob_names = [f.name for f in fields(KNOBS)]
    evaluate.prefetch([(n, replace(held[n][0], **{name: getattr(NEUTRAL, name)}))
                       for n in names for name in knob_names])
    for variant in VARIANTS:
        evaluate.prefetch([(n, held[n][0]) for n in names], variant)
    for name in [*knob_names, *VARIANTS]:
        rows = {}
        for n in names:
            knobs = held[n][0]
            if name in knob_names:
                rows[n] = evaluate(n, replace(knobs, **{name: getattr(NEUTRAL, name)}))
            else:
                rows[n] = evaluate(n, knobs, name)
        figures = pooled(rows)
        ablations[name] = {
            **figures,
            "delta_rouge1": figures["rouge1"] - pooled(oof)["rouge1"],
            "delta_rouge2": figures["rouge2"] - pooled(oof)["rouge2"],
            "se_rouge1": paired_se([rows[n][0] for n in names], [oof[n][0] for n in names]),
            "se_rouge2": paired_se([rows[n][1] for n in names], [oof[n][1] for n in names]),
        }
    shipped = median_knobs(chosen)
    everything = search(evaluate, names, Knobs(**START))
    evaluate.prefetch([(n, k) for n in names for k in (shipped, KNOBS)])
    return {
        "clusters": len(names),
        "folds": [{"test": test, "knobs": asdict(k), "in_fold": {"rouge1": f[0], "rouge2": f[1]},
                   "out_of_fold": pooled({n: oof[n] for n in test})}
                  for test, k, f in zip(folds, chosen, in_fold, strict=True)],
        "out_of_fold": pooled(oof),
        "in_fold": {"rouge1": statistics.fmean(f[0] for f in in_fold),
                    "rouge2": statistics.fmean(f[1] for f in in_fold)},
        "ablations": ablations,
        "median": asdict(shipped),
        "median_in_sample": pooled({n: evaluate(n, shipped) for n in names}),
        "current": asdict(KNOBS),
        "current_in_sample": pooled({n: evaluate(n, KNOBS) for n in names}),
        "chosen_on_all": asdict(everything),
        "chosen_on_all_in_sample": pooled({n: evaluate(n, everything) for n in names}),
        "per_cluster_out_of_fold": oof,
        "seconds": {"pipeline": prepared, "summaries": evaluate.seconds,
                    "summaries_run": evaluate.solves},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=duc2004.DUC)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/crossbrief-duc2004-cv"))
    parser.add_argument("--json", type=Path)
    parser.add_argument("--workers", type=int, default=1,
                        help="processes solving summaries at once (default 1)")
    args = parser.parse_args(argv)
    clusters = sorted(p for p in args.data.iterdir() if p.is_dir()) if args.data.exists() else []
    if not clusters:
        print(f"DUC 2004 clusters not found under {args.data}", file=sys.stderr)
        return 1
    result = run(clusters, args.cache, args.workers)
    print(f"DUC 2004, {result['clusters']} clusters, {FOLDS}-fold cross-validation")
    print(f"out of fold: R-1 {result['out_of_fold']['rouge1']:.2f} "
          f"R-2 {result['out_of_fold']['rouge2']:.2f}; in fold: "
          f"R-1 {result['in_fold']['rouge1']:.2f} R-2 {result['in_fold']['rouge2']:.2f}")
    for k, fold in enumerate(result["folds"]):
        print(f"fold {k}: {fold['knobs']}  out {fold['out_of_fold']['rouge1']:.2f}/"
              f"{fold['out_of_fold']['rouge2']:.2f}")
    for name, row in result["ablations"].items():
        print(f"without {name}: {row['rouge1']:.2f} ({row['delta_rouge1']:+.2f} ± "
              f"{row['se_rouge1']:.2f}) / {row['rouge2']:.2f} ({row['delta_rouge2']:+.2f} ± "
              f"{row['se_rouge2']:.2f})")
    for key in ("median", "median_in_sample", "current_in_sample", "chosen_on_all",
                "chosen_on_all_in_sample", "seconds"):
        print(f"{key}: {result[key]}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
