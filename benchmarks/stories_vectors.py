"""Story grouping: would the text's meaning help as a pair feature? (docs/stories.md,
"Tried in issue 14's fifth round"; not shipped.)

    python benchmarks/stories_vectors.py        # about 2 minutes

A tenth pair feature, the cosine of the two articles' sentence vectors (the pipeline's encoder
as the settings configure it, by default the static backend: ``crossbrief.nlp.encode``, over
the title and the first ``stories.TEXT_CHARS`` characters), beside the nine shipped ones, on
``../shared/eval/gva-stream/dev.jsonl``. Both are measured the way ``benchmarks/stories.py
--cv`` measures the shipped model: the same time folds, each fold's model and thresholds fitted
on the other folds' candidate pairs (found with the background of the folds that are neither it
nor the held-out one), the held-out fold's candidate pairs (found as the engine finds them)
replayed as the engine decides (``stories.replay``, which ``--cv`` checks against the engine
fold by fold; here the nine features' row gave ``--cv``'s figures, 0.8109 / 0.9263, when it was
run on 2026-11-30).
Printed: the pooled out-of-fold pairwise and B-cubed figures of both, and each fold's.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stories as bench
from crossbrief import stories
from crossbrief.config import load_settings
from crossbrief.nlp import encode


def with_cosine(pairs: bench.Pairs, vectors: Any, index: dict[str, int]) -> bench.Pairs:
    """The candidate pairs with the cosine of the two articles' vectors as a tenth feature."""
    return [(aid, [(bid, (*features, round(float(vectors[index[aid]] @ vectors[index[bid]]),
                                           stories.ROUND)))
                   for bid, features in found])
            for aid, found in pairs]


def main() -> int:
    if not bench.GVA.exists():
        print(f"GVA stream not found at {bench.GVA}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    articles, gold = bench.load()
    texts = [f"{a.title or ''}\n{(a.text or '')[:stories.TEXT_CHARS]}" for a in articles]
    vectors = np.asarray(encode(texts, load_settings()), dtype=np.float64)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    index = {a.id: i for i, a in enumerate(articles)}
    print(f"encoded {len(texts)} articles in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    k = bench.FOLDS
    streams = bench.time_folds(articles, gold, k)
    background = bench.FoldBackgrounds(articles, streams)
    held_out = [bench.candidate_pairs(s) for s in streams]
    training = {(i, held): bench.candidate_pairs(streams[i],
                                                 background=background.without(i, held),
                                                 short_stream=0)
                for held in range(k) for i in range(k) if i != held}
    for name, extend in (("the nine shipped features", lambda p: p),
                         ("the nine + the vectors' cosine",
                          lambda p: with_cosine(p, vectors, index))):
        found: dict[str, str] = {}
        for held in range(k):
            fitted = bench.fit([extend(training[i, held]) for i in range(k) if i != held],
                               gold)
            replayed = bench.replay(bench.scored(extend(held_out[held]), fitted["weights"],
                                                 fitted["bias"]),
                                    fitted["join"], fitted["merge"])
            found.update({aid: f"{held}:{sid}" for aid, sid in replayed.items()})
            figures = bench.score(replayed, gold)
            print(f"  {name}, fold {held}: pairwise F1 {figures['pair_f1']:.4f}, B-cubed F1 "
                  f"{figures['b3_f1']:.4f} (join {fitted['join']}, merge {fitted['merge']})")
        pooled = bench.score(found, gold)
        print(f"{name}, out of fold: pairwise P/R/F1 {pooled['pair_p']:.3f} / "
              f"{pooled['pair_r']:.3f} / {pooled['pair_f1']:.4f}; B-cubed P/R/F1 "
              f"{pooled['b3_p']:.3f} / {pooled['b3_r']:.3f} / {pooled['b3_f1']:.4f}; "
              f"{pooled['stories']} stories")
    print(f"{time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
