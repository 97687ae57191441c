"""Story grouping: the links by a person's name, their two constants (docs/stories.md, "A
person's name across a story"; issue 14's sixth round).

    python benchmarks/stories_people.py        # about 4 minutes

``stories.PEOPLE_LINK`` (the least pair probability with the other story) and
``stories.PEOPLE_STORIES`` (the most stories that may mention the name) on
``../shared/eval/gva-stream/dev.jsonl``, out of fold as ``benchmarks/stories.py --cv`` cuts
it: each fold's pair model and thresholds fitted on the other folds' candidate pairs as
``--cv`` fits them but without the links (so every row shares them), the held-out fold's
candidate pairs replayed as the engine decides (``replay`` with each article's terms, which
``--cv`` checks against the engine), pooled. ``--cv`` itself measures the shipped constants
with the thresholds chosen with the links. Printed: one row per setting, and "off" (no
links: the engine before them).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stories as bench
from crossbrief import stories

LINKS = (0.1, 0.15, 0.2, 0.3)
STORIES = (1, 2)


def main() -> int:
    if not bench.GVA.exists():
        print(f"GVA stream not found at {bench.GVA}", file=sys.stderr)
        return 1
    articles, gold = bench.load()
    k = bench.FOLDS
    streams = bench.time_folds(articles, gold, k)
    background = bench.FoldBackgrounds(articles, streams)
    terms = dict(background.terms)
    held_out = []
    for held in range(k):
        fitted = bench.fit([bench.candidate_pairs(streams[i],
                                                  background=background.without(i, held),
                                                  short_stream=0)
                            for i in range(k) if i != held], gold)
        held_out.append((bench.scored(bench.candidate_pairs(streams[held]), fitted["weights"],
                                      fitted["bias"]), fitted["join"], fitted["merge"]))
    settings: list[tuple[float, int] | None] = [None, *((link, most) for most in STORIES
                                                       for link in LINKS)]
    for setting in settings:
        found: dict[str, str] = {}
        for held, (pairs, join, merge) in enumerate(held_out):
            if setting is None:
                replayed = bench.replay(pairs, join, merge)
            else:
                stories.PEOPLE_LINK, stories.PEOPLE_STORIES = setting
                replayed = bench.replay(pairs, join, merge, terms)
            found.update({aid: f"{held}:{sid}" for aid, sid in replayed.items()})
        pooled = bench.score(found, gold)
        name = "off" if setting is None else (f"PEOPLE_LINK {setting[0]}, "
                                              f"PEOPLE_STORIES {setting[1]}")
        print(f"{name}: pairwise P/R/F1 {pooled['pair_p']:.3f} / {pooled['pair_r']:.3f} / "
              f"{pooled['pair_f1']:.4f}; B-cubed P/R/F1 {pooled['b3_p']:.3f} / "
              f"{pooled['b3_r']:.3f} / {pooled['b3_f1']:.4f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
