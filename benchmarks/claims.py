"""Claim alignment quality, on the labelled consensus and single-source facts of the bundled
example (tests/golden/maravel_expected.json) and the seed corpus's named must-holds.

Labels are at sentence level: two sentences of different articles that are evidence for the
same consensus fact must be linked (a claim holds a clause of each); a sentence given as a
single-source fact must be linked to nothing. Reports pair precision, recall and F1 for both
encoder backends, with their time, and can search the scorer's weights (``--fit``).

    python benchmarks/claims.py [--fit]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "maravel_expected.json"


def analysed_example(backend: str = "static") -> Any:
    from crossbrief.cli import example_path
    from crossbrief.config import load_settings
    from crossbrief.pipeline import analyze

    settings = load_settings(encoder_backend=backend)
    stages = ("clean", "segment", "entities", "sources", "quotes", "dates", "opinion", "align")
    return analyze([str(example_path())], settings, stages=stages), settings


def sentence_labels(corpus: Any) -> tuple[set[tuple[str, str]], set[str]]:
    """(positive sentence-key pairs, single-source sentence keys)."""
    expected = json.loads(GOLDEN.read_text("utf-8"))
    by_name = {Path(a.input).name: a for a in corpus.articles}

    def key(name: str, text: str) -> str | None:
        article = by_name[name]
        at = article.text.find(text[:60])
        if at < 0:
            return None
        for n, s in enumerate(article.sentences):
            if s.start <= at < s.end:
                return f"{article.id}:{n}"
        return None

    positive: set[tuple[str, str]] = set()
    for fact in expected["consensus"]:
        keys = [k for k in (key(n, t) for n, t in fact["evidence"].items()) if k]
        for a, b in itertools.combinations(sorted(keys), 2):
            if a.split(":")[0] != b.split(":")[0]:
                positive.add((a, b))
    singles = {k for k in (key(f["article"], f["text"]) for f in expected["single_source"]) if k}
    return positive, singles


def evaluate(units: list[Any], groups: list[list[int]], positive: set[tuple[str, str]],
             singles: set[str]) -> dict[str, float]:
    linked: set[tuple[str, str]] = set()
    for group in groups:
        keys = sorted({f"{units[k].article.id}:{units[k].sentence}" for k in group})
        for a, b in itertools.combinations(keys, 2):
            if a.split(":")[0] != b.split(":")[0]:
                linked.add((a, b))
    labelled = {k for pair in positive for k in pair} | singles
    # Judged: pairs of labelled sentences, and any pair holding a single-source sentence
    # (which should be linked to nothing).
    judged = {p for p in linked if (p[0] in labelled and p[1] in labelled)
              or p[0] in singles or p[1] in singles}
    true = len(judged & positive)
    false_single = sum(1 for p in linked if p[0] in singles or p[1] in singles)
    precision = true / len(judged) if judged else 0.0
    recall = true / len(positive) if positive else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1,
            "singles_linked": false_single}


def run(backend: str = "static", fit: bool = False) -> dict[str, Any]:
    from crossbrief import align
    from crossbrief.nlp import encode

    corpus, settings = analysed_example(backend)
    positive, singles = sentence_labels(corpus)
    started = time.perf_counter()
    units = [u for a in corpus.articles for u in align.split_units(a)]
    vectors = encode([u.context for u in units], settings)
    scores = align.pair_scores(units, vectors)
    groups = align.group_units(units, scores)
    elapsed = time.perf_counter() - started
    result = {"backend": backend, "units": len(units), "seconds": elapsed,
              **evaluate(units, groups, positive, singles)}
    if fit:
        best = []
        for wc, ww, we, pen, t, floor in itertools.product(
                (0.6, 0.8), (0.2, 0.4), (0.0, 0.2, 0.4), (0.0, 0.05),
                (0.3, 0.35, 0.4, 0.45, 0.5), (0.2, 0.3)):
            if floor > t:
                continue
            align.W_COSINE, align.W_WORDS, align.W_SHARED, align.NUMBER_PENALTY = \
                wc, ww, we, pen
            scores = align.pair_scores(units, vectors)
            metrics = evaluate(units, align.group_units(units, scores, t, floor), positive,
                               singles)
            best.append((metrics["f1"], -metrics["singles_linked"], (wc, ww, we, pen, t, floor),
                         metrics))
        best.sort(reverse=True)
        result["fit"] = [{"weights": b[2], **b[3]} for b in best[:8]]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="search the scorer's weights")
    parser.add_argument("--backend", choices=["static", "transformer", "both"], default="both")
    args = parser.parse_args(argv)
    backends = ["static", "transformer"] if args.backend == "both" else [args.backend]
    for backend in backends:
        print(json.dumps(run(backend, args.fit), indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
