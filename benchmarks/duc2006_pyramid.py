"""The summary on stories it was never tuned on: DUC 2006, scored by the topics' pyramids.

The summary's constants were chosen on DUC 2004 (``benchmarks/duc2004_cv.py``). DUC 2006's
SCU-marked corpus (``../shared/eval/duc2006-scu``, 20 topics of 25 articles; its README) is
another year of news, never read while writing or tuning the summary, and it says, for every
sentence of every article, which Summary Content Units (SCUs) of the topic's *pyramid* it
expresses. A SCU's ``weight`` is how many of the 4 human summaries of the topic contain it.
So an extract can be scored as the pyramid method scores a summary, without human judges:

- a summary sentence (an article span) *covers* a line of the corpus when at least
  ``COVERED`` of the line's characters lie in it (lines are the corpus's sentences; a
  sentence cut by the byte budget covers only what it keeps);
- the summary's **pyramid weight** is the summed weight of the distinct SCUs of the lines it
  covers (a SCU said twice counts once), averaged over topics; also reported: the distinct
  SCUs, and the weight as a share of the best possible (``oracle``: the greedy extract of the
  same budget that maximises it, an upper bound to read the figures against, not a system);
- per topic, crossbrief against each peer: wins, ties, losses, and the paired difference
  with its standard error over topics.

Systems, in the same run, from the same sentences (crossbrief's segmentation) and the same
budget: crossbrief's summary (its whole brief, every stage, as shipped), sumy's LexRank and
TextRank, and Lead (the newest article's first sentences, DUC's baseline). Budgets: 665
bytes (DUC 2004's, the one the summary was tuned for) and 250 words (DUC 2006's own length).
Topic D0631 was marked twice (D0631d, D0631d2): its figure is the mean of the two markings,
so each of the 20 topics counts once.

    python benchmarks/duc2006_pyramid.py [--json out.json] [--topics N]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import duc2004  # noqa: E402
import duc2004_cv  # noqa: E402
import scu  # noqa: E402

# Share of a line's characters a summary span must hold for the line's SCUs to count.
COVERED = 0.5
BUDGETS = {"665 bytes": {"bytes": 665}, "250 words": {"words": 250},
           "5 sentences": {"sentences": 5}}
# The stages the summary reads (its sentences do not depend on the claims stage, which gives
# only their citations: benchmarks/duc2004_cv.py).
POOL_STAGES = ("segment", "entities", "sources", "quotes", "dates", "opinion", "align")
# A DUC 2006 topic is a subject followed over months or years, not one event, so the check on
# hand-made groups (the apart stage) sets some articles apart and the summary reads only the
# main story; the second crossbrief row is the brief of all 25 (as `crossbrief stories
# --brief` briefs a story: no apart stage).
EVERY_ARTICLE = "crossbrief, every article (no apart check)"
# The summary's concept floor in articles (synthesize.FLOOR_ARTICLES, set for the call):
# the values compared with --experiments, each beside the shipped summary and chosen by
# cross-validation over the topics (``floor_cv``); a floor of 1,000 articles is no cap.
FLOORS = (1000, 2, 3, 4, 5)
FOLDS = 5
PEERS = ("sumy LexRank", "sumy TextRank", "Lead")
_WEIGHT = re.compile(r'<scu uid="([^"]+)"[^>]*?weight="(\d+)"')

Spans = list[tuple[str, int, int]]  # (article id, start, end)


def weights(topic: scu.Topic) -> dict[str, int]:
    """Each SCU's pyramid weight, read from the topic's file."""
    raw = (scu.SCU_DIR / f"{topic.name}.scu").read_text("utf-8")
    return {uid: int(w) for uid, w in _WEIGHT.findall(raw)}


def covered(topic: scu.Topic, spans: Spans) -> set[str]:
    """The SCUs of the lines the spans cover."""
    found: set[str] = set()
    for doc in topic.documents:
        mine = [(s, e) for a, s, e in spans if a == doc.id]
        for line in doc.lines if mine else ():
            inside = sum(max(0, min(e, line.end) - max(s, line.start)) for s, e in mine)
            if line.scus and inside >= COVERED * (line.end - line.start):
                found |= line.scus
    return found


def fill(ranked: Iterable[tuple[str, int, int, str]], budget: dict[str, int]) -> Spans:
    """Sentences in rank order until the budget is used, the last one cut at the budget
    (bytes) or dropped at it (words: a sentence is whole or out, as crossbrief's are)."""
    spans: Spans = []
    used_bytes = used_words = 0
    for article, start, end, text in ranked:
        if "bytes" in budget:
            room = budget["bytes"] - used_bytes - (1 if spans else 0)
            if room <= 0:
                break
            kept = text.encode("utf-8")[:room].decode("utf-8", errors="ignore")
            spans.append((article, start, start + len(kept)))
            used_bytes += len(kept.encode("utf-8")) + (1 if len(spans) > 1 else 0)
        elif "sentences" in budget:
            if len(spans) == budget["sentences"]:
                break
            spans.append((article, start, end))
        else:
            words = len(text.split())
            if used_words + words > budget["words"]:
                continue
            spans.append((article, start, end))
            used_words += words
    return spans


def oracle(topic: scu.Topic, sentences: list[tuple[str, int, int, str]],
           weight: dict[str, int], budget: dict[str, int]) -> Spans:
    """A greedy extract maximising the pyramid weight: each step the sentence adding the most
    new weight per byte (or word); an upper bound to read the systems against."""
    chosen: list[tuple[str, int, int, str]] = []
    have: set[str] = set()
    def size(text: str) -> int:
        if "bytes" in budget:
            return len(text.encode("utf-8")) + 1
        return len(text.split()) if "words" in budget else 1

    limit = budget.get("bytes", budget.get("words", budget.get("sentences", 0)))
    used = 0
    gains = [(s, covered(topic, [s[:3]])) for s in sentences]
    while True:
        best, best_value = None, 0.0
        for s, scus in gains:
            new = sum(weight.get(u, 0) for u in scus - have)
            if new and used + size(s[3]) <= limit and new / size(s[3]) > best_value:
                best, best_value = (s, scus), new / size(s[3])
        if best is None:
            return [c[:3] for c in chosen]
        chosen.append(best[0])
        have |= best[1]
        used += size(best[0][3])


def lead(corpus: Any) -> list[tuple[str, int, int, str]]:
    """The newest article's sentences in order (ties of date: the last id)."""
    newest = max(corpus.articles, key=lambda a: (a.published or "", a.id))
    return [(newest.id, s.start, s.end, newest.text[s.start:s.end]) for s in newest.sentences]


Sentence = tuple[str, int, int, str]  # (article id, start, end, text)


def ranked_by(peer: str, sentences: list[Sentence]) -> list[Sentence]:
    """sumy's ranking of the sentences (best first), mapped back to their spans."""
    texts = [s[3] for s in sentences]
    at: dict[str, Sentence] = {}
    for s in sentences:
        at.setdefault(s[3].strip(), s)
    summary = duc2004.sumy_ranking(peer.removeprefix("sumy "), texts, limit=2_500)
    return [at[t] for t in summary if t in at]


def pools(topics: list[scu.Topic], cache: Path | None) -> dict[str, dict[str, Any]]:
    """Per marking: its sentence pool and near-copies as the summary stage sees them, for
    the story as shipped (the apart stage's articles held back) and for every article, from
    the cache folder (keyed by the package's source) or by running the stages."""
    import pickle

    import crossbrief
    from crossbrief.align import find_near_copies
    from crossbrief.apart import find_apart
    from crossbrief.pipeline import run_stages
    from crossbrief.synthesize import sentence_pool

    settings = crossbrief.load_settings()
    folder = cache / duc2004_cv.source_key() if cache else None
    found = {}
    started = time.perf_counter()
    for topic in topics:
        fresh = scu.corpus_of(topic)  # sets each document's id and each line's offsets
        path = folder / f"{topic.name}.pkl" if folder else None
        if path is not None and path.exists():
            found[topic.name] = pickle.loads(path.read_bytes())
            continue
        corpus = run_stages(fresh, POOL_STAGES, settings)
        apart = {a.article for a in find_apart(corpus.articles)}
        kept = [a for a in corpus.articles if a.id not in apart]
        pool = sentence_pool(corpus)
        newest = max(corpus.articles, key=lambda a: (a.published or "", a.id))
        found[topic.name] = data = {
            "pool": pool, "near_copies": corpus.near_copies,
            "shipped_pool": [c for c in pool if c.article not in apart],
            "shipped_near_copies": find_near_copies(kept), "apart": sorted(apart),
            "sentences": [(a.id, s.start, s.end, a.text[s.start:s.end])
                          for a in corpus.articles for s in a.sentences],
            "lead": [(newest.id, s.start, s.end, newest.text[s.start:s.end])
                     for s in newest.sentences]}
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".part")
            partial.write_bytes(pickle.dumps(data))
            partial.replace(path)
        print(f"{topic.name}: {len(apart)} set apart ({time.perf_counter() - started:.0f} s)",
              file=sys.stderr)
    return found


def crossbrief_spans(data: dict[str, Any], budget: dict[str, int], every: bool,
                     variant: dict[str, Any]) -> Spans:
    """The summary's sentences under ``variant`` (synthesize constants set for the call)."""
    from contextlib import ExitStack
    from unittest import mock

    from crossbrief import synthesize
    from crossbrief.synthesize import Budget, choose

    prefix = "" if every else "shipped_"
    with ExitStack() as stack:
        for name, value in variant.items():
            stack.enter_context(mock.patch.object(synthesize, name, value))
        chosen = choose(data[prefix + "pool"], data[prefix + "near_copies"],
                        Budget(**budget))
    return [(c.article, c.start, c.end) for c in chosen]


def floor_cv(topics: list[scu.Topic], data: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Per budget: each floor's pyramid weight over all topics, and the out-of-fold weight of
    choosing the floor on the other folds' topics (``FOLDS`` folds of topics in name order,
    topic k in fold k modulo ``FOLDS``; ties to the larger floor, the one closer to the
    summary as it was tuned)."""
    out: dict[str, Any] = {}
    for name, budget in BUDGETS.items():
        per: dict[int, dict[str, float]] = {}
        weight_of = {topic.name: weights(topic) for topic in topics}  # each file read once
        for floor in FLOORS:
            values: dict[str, list[float]] = {}
            for topic in topics:
                weight = weight_of[topic.name]
                spans = crossbrief_spans(data[topic.name], budget, False,
                                         {"FLOOR_ARTICLES": floor})
                values.setdefault(topic.group, []).append(
                    float(sum(weight.get(u, 0) for u in covered(topic, spans))))
            per[floor] = {g: statistics.mean(v) for g, v in values.items()}
        groups = sorted(per[FLOORS[0]])
        chosen, held_out = [], []
        for k in range(FOLDS):
            held = groups[k::FOLDS]
            train = [g for g in groups if g not in held]
            best = max(FLOORS, key=lambda f: (statistics.mean(per[f][g] for g in train), f))
            chosen.append(best)
            held_out += [per[best][g] for g in held]
        out[name] = {"by_floor": {str(f): statistics.mean(per[f].values()) for f in FLOORS},
                     "chosen": chosen, "out_of_fold": statistics.mean(held_out)}
    return out


def run(topics: list[scu.Topic], cache: Path | None = None,
        experiments: bool = False) -> dict[str, Any]:
    started = time.perf_counter()
    data = pools(topics, cache)
    rows: dict[str, dict[str, dict[str, list[Any]]]] = {b: {} for b in BUDGETS}
    for topic in topics:
        d = data[topic.name]
        weight = weights(topic)
        peers_ranked = {peer: ranked_by(peer, d["sentences"]) for peer in PEERS
                        if peer != "Lead"}
        peers_ranked["Lead"] = d["lead"]
        for name, budget in BUDGETS.items():
            systems = {"crossbrief": crossbrief_spans(d, budget, False, {}),
                       EVERY_ARTICLE: crossbrief_spans(d, budget, True, {})}
            for peer, ranked in peers_ranked.items():
                systems[peer] = fill(ranked, budget)
            systems["oracle"] = oracle(topic, d["sentences"], weight, budget)
            for system, spans in systems.items():
                scus = covered(topic, spans)
                row = rows[name].setdefault(system, {"weight": [], "scus": [], "topic": [],
                                                     "words": []})
                row["weight"].append(float(sum(weight.get(u, 0) for u in scus)))
                row["scus"].append(float(len(scus)))
                row["words"].append(float(sum(len(t[3].split()) for t in d["sentences"]
                                              for sp in spans if sp[0] == t[0]
                                              and sp[1] <= t[1] < sp[2])))
                row["topic"].append(topic.group)
    result = {"topics": len({t.group for t in topics}),
              "apart": {t.name: len(data[t.name]["apart"]) for t in topics},
              "budgets": {name: table(systems) for name, systems in rows.items()}}
    if experiments:
        result["floors"] = floor_cv(topics, data)
    result["seconds"] = time.perf_counter() - started
    return result


def per_topic(row: dict[str, list[Any]], key: str) -> dict[str, float]:
    """The figure per DUC topic (the mean of a topic's markings)."""
    values: dict[str, list[float]] = {}
    for group, value in zip(row["topic"], row[key], strict=True):
        values.setdefault(group, []).append(value)
    return {group: statistics.mean(v) for group, v in sorted(values.items())}


def table(systems: dict[str, dict[str, list[Any]]]) -> dict[str, Any]:
    best = per_topic(systems["oracle"], "weight")
    ours = per_topic(systems["crossbrief"], "weight")
    out: dict[str, Any] = {}
    for system, row in systems.items():
        weight = per_topic(row, "weight")
        entry: dict[str, Any] = {
            "weight": statistics.mean(weight.values()),
            "words": statistics.mean(per_topic(row, "words").values()),
            "scus": statistics.mean(per_topic(row, "scus").values()),
            "of_oracle": statistics.mean(weight[g] / best[g] for g in weight if best[g])}
        if system not in ("crossbrief", "oracle", EVERY_ARTICLE):
            diff = [ours[g] - weight[g] for g in weight]
            entry["crossbrief_minus"] = statistics.mean(diff)
            entry["se"] = statistics.stdev(diff) / math.sqrt(len(diff)) if len(diff) > 1 else 0.0
            entry["wins_ties_losses"] = [sum(d > 0 for d in diff), sum(d == 0 for d in diff),
                                         sum(d < 0 for d in diff)]
        out[system] = entry
    return out


def markdown(result: dict[str, Any]) -> str:
    lines = []
    for name, systems in result["budgets"].items():
        lines += [f"**{name}**", "",
                  "| system | pyramid weight | SCUs | words | share of the oracle's "
                  "| crossbrief minus it (± s.e.) | crossbrief wins / ties / losses |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        order = sorted(systems, key=lambda s: (s == "oracle", -systems[s]["weight"], s))
        for system in order:
            e = systems[system]
            versus = (f"{e['crossbrief_minus']:+.2f} ± {e['se']:.2f}",
                      " / ".join(map(str, e["wins_ties_losses"]))) \
                if "se" in e else ("", "")
            label = f"**{system}**" if system == "crossbrief" else system
            lines.append(f"| {label} | {e['weight']:.2f} | {e['scus']:.2f} | {e['words']:.0f} | "
                         f"{e['of_oracle']:.2f} | {versus[0]} | {versus[1]} |")
        lines.append("")
    for name, cv in result.get("floors", {}).items():
        lines.append(f"Concept floor ({name}): " + ", ".join(
            f"{floor} articles {value:.2f}" for floor, value in cv["by_floor"].items())
            + f"; chosen by {FOLDS}-fold cross-validation {cv['chosen']}, out of fold "
            f"{cv['out_of_fold']:.2f}.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    parser.add_argument("--topics", type=int, default=0, help="only the first N markings")
    parser.add_argument("--cache", type=Path, help="folder keeping each topic's sentence pool")
    parser.add_argument("--experiments", action="store_true",
                        help="also the concept floors of FLOORS, cross-validated")
    args = parser.parse_args(argv)
    topics = scu.load()
    if args.topics:
        topics = topics[:args.topics]
    result = run(topics, args.cache, args.experiments)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), "utf-8")
    print(markdown(result))
    print(f"{result['topics']} topics, {result['seconds']:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
