"""SCU line links with a claims-model flag off and on (shipped weights, in sample).

``benchmarks/scu.py``'s pieces in one process (``analysed``, ``build_claims``,
``linked_by_claims``, ``score_links``, ``agreement``), the boolean field FLAG of
``align.ClaimModel`` set to False, then True: precision, recall and links of the line pairs
the claims link, the "N sources agree" figures, the judged links lost and gained (how many of
them positive), all judged line pairs (positive). With ``mood_veto`` also the judged line pairs
of which a clause pair differs in mood (``align.moods_differ``; positive).

Usage (from the repository root, ``PYTHONPATH=src``, ``OMP_NUM_THREADS=1``)::

    python benchmarks/scu_flag.py mood_veto
"""
from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import crossbrief
import scu
from crossbrief import align


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: scu_flag.py FLAG")
    flag = sys.argv[1]
    if not isinstance(getattr(align.claim_model(), flag, None), bool):
        sys.exit(f"scu_flag.py: {flag!r} is no boolean field of the claims model")
    topics = scu.load()
    settings = crossbrief.load_settings()
    corpora = scu.analysed(topics, settings)
    out = {}
    for value in (False, True):
        align._MODEL = None
        align._MODEL = dataclasses.replace(align.claim_model(), **{flag: value})
        claims = {t.name: align.build_claims(corpora[t.name], settings) for t in topics}
        out[value] = {t.name: scu.linked_by_claims(t, claims[t.name]) for t in topics}
        print(value, scu.score_links(topics, out[value]), scu.agreement(topics, claims, corpora),
              flush=True)
    align._MODEL = None
    lost = gained = lost_pos = gained_pos = judged = judged_pos = 0
    for t in topics:
        pairs = scu.judged_pairs(t)
        judged += len(pairs)
        judged_pos += sum(pairs.values())
        for pair in out[False][t.name] - out[True][t.name]:
            if pair in pairs:
                lost += 1
                lost_pos += pairs[pair]
        for pair in out[True][t.name] - out[False][t.name]:
            if pair in pairs:
                gained += 1
                gained_pos += pairs[pair]
    print(f"judged links lost {lost} ({lost_pos} positive), gained {gained} ({gained_pos} "
          f"positive); judged line pairs {judged} ({judged_pos} positive)")
    if flag != "mood_veto":
        return
    touched = touched_pos = 0
    for t in topics:
        units = [u for a in corpora[t.name].articles for u in align.split_units(a, claims=True)]
        differ = align.moods_differ(units)
        pairs = scu.judged_pairs(t)
        keys = [scu.lines_under(t, u.article.id, u.start, u.end) for u in units]
        seen = {}
        for i in range(len(units)):
            for j in range(i + 1, len(units)):
                if not differ[i, j]:
                    continue
                for a in keys[i]:
                    for b in keys[j]:
                        pair = (a, b) if (a, b) in pairs else (b, a)
                        if pair in pairs:
                            seen[pair] = pairs[pair]
        touched += len(seen)
        touched_pos += sum(seen.values())
    print(f"judged line pairs with a clause pair of different moods: {touched} "
          f"({touched_pos} positive)")


if __name__ == "__main__":
    main()
