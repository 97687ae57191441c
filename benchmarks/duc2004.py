"""DUC 2004 task 2: crossbrief's 665-byte summary against published systems and sumy.

For each of the 25 clusters in ``../shared/eval/duc2004`` (10 news articles, 4 human
summaries), scores in the same run, with the same scorer:

- crossbrief's summary: the summary of its whole brief (every stage: claims, conflicts,
  timeline, quotes, …) with a 665-byte budget, timed per cluster. Its constants were chosen
  on these clusters (``benchmarks/duc2004_cv.py``), so this figure is in-sample;
- crossbrief out of fold: the same brief's summary with the constants chosen by the
  cross-validation fold that held the cluster out (``synthesize.PROVENANCE["folds"]``), the
  figure that says how the summary does on stories it was not tuned on,
- sumy's LexRank and TextRank run live on the same sentences,
- the summaries of the 13 published systems shipped with the data,

all cut at 665 bytes, with ROUGE-1 and ROUGE-2 recall (the ``rouge-score`` package, Porter
stemming on, stop words kept), averaged over the four human summaries, then over clusters.

    python benchmarks/duc2004.py [--json out.json] [--clusters N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DUC = ROOT.parent / "shared" / "eval" / "duc2004" / "clusters"
LIMIT = 665
OUT_OF_FOLD = "crossbrief, out of fold (5-fold CV)"


def cut(text: str, limit: int = LIMIT) -> str:
    """The first ``limit`` bytes of a summary, as DUC 2004 scored them."""
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


class _Sentences:
    """A sumy tokenizer over crossbrief's own sentences (one per paragraph), so the peers see
    the same sentences and sumy needs no NLTK data download."""

    def to_sentences(self, paragraph: str) -> list[str]:
        return [paragraph.strip()] if paragraph.strip() else []

    def to_words(self, sentence: str) -> list[str]:
        import re

        return re.findall(r"\w+(?:['’]\w+)?", sentence)


def sumy_summary(name: str, sentences: list[str]) -> str:
    return " ".join(sumy_ranking(name, sentences))


def sumy_ranking(name: str, sentences: list[str], limit: int = LIMIT) -> list[str]:
    """sumy's best sentences, best first (sumy's own order: rating, then the document's),
    until they hold ``limit`` bytes."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    document = PlaintextParser.from_string("\n\n".join(sentences), _Sentences()).document
    summarizer = (LexRankSummarizer if name == "LexRank" else TextRankSummarizer)(
        Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    # sumy rates every sentence, then returns the best k in document order; its ratings are
    # read once here (what it passes to _get_best_sentences), which ranks the sentences as
    # growing k one at a time would, in one pass instead of one per k.
    ratings: dict[Any, float] = {}

    def keep(_sentences: Any, _count: Any, rated: Any, *_args: Any) -> tuple[()]:
        ratings.update(rated)
        return ()

    summarizer._get_best_sentences = keep
    summarizer(document, 1)
    order = sorted(range(len(document.sentences)),
                   key=lambda i: -ratings[document.sentences[i]])
    ranked: list[str] = []
    seen: set[str] = set()
    for i in order:
        sentence = str(document.sentences[i])
        if sentence not in seen:
            seen.add(sentence)
            ranked.append(sentence)
            if len(" ".join(ranked).encode("utf-8")) >= limit:
                break
    return ranked


def run(clusters: list[Path], peers: bool = True) -> dict[str, Any]:
    """Scores per system; with ``peers=False`` only crossbrief's (for the quality gate)."""
    from rouge_score import rouge_scorer

    import crossbrief
    from crossbrief.config import load_settings
    from crossbrief.synthesize import PROVENANCE, Budget, Knobs, summarize

    held_out = {name: Knobs(**fold["knobs"]) for fold in PROVENANCE["folds"]
                for name in fold["held_out"]}
    settings = load_settings(summary_sentences=0, summary_bytes=LIMIT)
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    totals: dict[str, list[tuple[float, float]]] = {}
    seconds: dict[str, float] = {"crossbrief": 0.0, "LexRank": 0.0, "TextRank": 0.0}
    per_cluster: dict[str, list[float]] = {"crossbrief": [], "LexRank": [], "TextRank": []}
    # The conflicts the briefs report (not updates): unlabelled, read by hand; a false one
    # destroys a reader's trust, so their number is watched (benchmarks/floors.json).
    conflicts: list[str] = []
    # Models load once per process (benchmarks/brief_speed.py measures that cold start):
    # warm them so each cluster's time is the brief's own.
    if clusters:
        warm = sorted(p for p in (clusters[0] / "docs").iterdir() if p.is_file())[:2]
        crossbrief.analyze([str(p) for p in warm], settings)
    for cluster in clusters:
        docs = sorted(p for p in (cluster / "docs").iterdir() if p.is_file())
        references = [p.read_text("utf-8") for p in sorted((cluster / "references").iterdir())]
        started = time.perf_counter()
        # The whole brief (claims, conflicts, timeline, quotes…), of which the summary is part.
        corpus = crossbrief.analyze([str(p) for p in docs], settings)
        summary = " ".join(s.text for s in corpus.summary)
        per_cluster["crossbrief"].append(time.perf_counter() - started)
        conflicts.extend(f"{cluster.name}: {c.kind}: {c.about}: "
                         + " / ".join(s.value for s in c.sides)
                         for c in corpus.conflicts if not c.update)
        seconds["crossbrief"] += per_cluster["crossbrief"][-1]
        candidates = {"crossbrief": summary}
        if cluster.name in held_out:
            candidates[OUT_OF_FOLD] = " ".join(s.text for s in summarize(
                corpus, Budget(bytes=LIMIT), settings, held_out[cluster.name]))
        sentences = [a.text[s.start:s.end] for a in corpus.articles for s in a.sentences]
        for peer in ("LexRank", "TextRank") if peers else ():
            started = time.perf_counter()
            candidates[f"sumy {peer}"] = sumy_summary(peer, sentences)
            per_cluster[peer].append(time.perf_counter() - started)
            seconds[peer] += per_cluster[peer][-1]
        for system in sorted((cluster / "systems").iterdir()) if peers else ():
            candidates[system.name] = system.read_text("utf-8", errors="replace")
        for name, text in candidates.items():
            text = cut(text)
            scores = [scorer.score(ref, text) for ref in references]
            r1 = sum(s["rouge1"].recall for s in scores) / len(scores)
            r2 = sum(s["rouge2"].recall for s in scores) / len(scores)
            totals.setdefault(name, []).append((r1, r2))
    table = {name: {"rouge1": 100 * sum(r[0] for r in rows) / len(rows),
                    "rouge2": 100 * sum(r[1] for r in rows) / len(rows),
                    "clusters": len(rows)}
             for name, rows in totals.items()}
    table["crossbrief"]["conflicts"] = len(conflicts)
    if OUT_OF_FOLD in table:
        table["crossbrief"]["rouge1_out_of_fold"] = table[OUT_OF_FOLD]["rouge1"]
        table["crossbrief"]["rouge2_out_of_fold"] = table[OUT_OF_FOLD]["rouge2"]
    return {"clusters": len(clusters), "scores": table, "seconds": seconds,
            "per_cluster": per_cluster, "conflicts": conflicts}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DUC)
    parser.add_argument("--clusters", type=int, help="only the first N clusters")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    clusters = sorted(p for p in args.data.iterdir() if p.is_dir()) if args.data.exists() else []
    if not clusters:
        print(f"DUC 2004 clusters not found under {args.data}", file=sys.stderr)
        return 1
    result = run(clusters[: args.clusters] if args.clusters else clusters)
    print(f"DUC 2004, {result['clusters']} clusters, 665 bytes, ROUGE recall (stemmed)")
    print(f"{'system':36} {'R-1':>6} {'R-2':>6}")
    for name, row in sorted(result["scores"].items(), key=lambda kv: -kv[1]["rouge2"]):
        print(f"{name:36} {row['rouge1']:6.2f} {row['rouge2']:6.2f}")
    print(f"conflicts reported by crossbrief's briefs: {len(result['conflicts'])}")
    for line in result["conflicts"]:
        print(f"  {line}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
