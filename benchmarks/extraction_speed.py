"""Extraction speed: crossbrief's whole per-article pipeline against bare spaCy parsing.

Reads the 250 DUC 2004 articles (``../shared/eval/duc2004``), then in the same run times

- bare spaCy: ``nlp.pipe`` over the texts with the same pinned pipeline, and
- crossbrief: ``crossbrief.analyze`` on the same files, one call per cluster (each cluster is
  one story) — reading, cleaning, segmentation, entities merged across the story,
  attributions and citations, quotes, dates and opinion,

and reports articles per second for both and their ratio (the cost of everything crossbrief
does beyond the parse). Models are loaded and warmed up before timing; each side is timed
``--repeat`` times and the best run is kept.

    python benchmarks/extraction_speed.py [--repeat 3] [--json out.json]
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


def duc_documents(data: Path = DUC) -> list[Path]:
    return sorted(p for p in data.glob("*/docs/*") if p.is_file())


def best_of(repeat: int, run: Any) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


# The per-article extraction stages; the cross-article ones (claims, conflicts, timeline,
# summary) are timed with the whole brief in duc2004.py.
EXTRACTION = ("clean", "segment", "entities", "sources", "quotes", "dates", "opinion")


def measure(paths: list[Path], repeat: int) -> dict[str, Any]:
    import spacy

    import crossbrief
    from crossbrief.config import load_settings

    settings = load_settings()
    texts = [p.read_text("utf-8", errors="replace") for p in paths]
    names = [str(p) for p in paths]
    bare = spacy.load(settings.spacy_model)
    list(bare.pipe(texts[:10]))
    crossbrief.analyze(names[:10], settings, stages=EXTRACTION)  # loads and warms the models

    clusters: dict[str, list[str]] = {}
    for path in paths:
        clusters.setdefault(path.parent.parent.name, []).append(str(path))

    def ours() -> list[crossbrief.Brief]:
        return [crossbrief.analyze(story, settings, stages=EXTRACTION)
                for story in clusters.values()]

    spacy_seconds = best_of(repeat, lambda: list(bare.pipe(texts, batch_size=32)))
    ours_seconds = best_of(repeat, ours)
    corpora = ours()
    return {
        "articles": len(paths),
        "spacy_seconds": spacy_seconds,
        "crossbrief_seconds": ours_seconds,
        "spacy_articles_per_second": len(paths) / spacy_seconds,
        "crossbrief_articles_per_second": len(paths) / ours_seconds,
        "ratio": spacy_seconds / ours_seconds,
        "stories": len(clusters),
        "quotes_found": sum(len(a.quotes) for c in corpora for a in c.articles),
        "skipped": sum(len(c.skipped) for c in corpora),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=DUC)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    paths = duc_documents(args.data)
    if not paths:
        print(f"DUC 2004 documents not found under {args.data}", file=sys.stderr)
        return 1
    result = measure(paths, args.repeat)
    print(f"{result['articles']} DUC 2004 articles, best of {args.repeat}")
    print(f"  bare spaCy nlp.pipe   {result['spacy_articles_per_second']:7.1f} articles/s")
    print(f"  crossbrief extraction {result['crossbrief_articles_per_second']:7.1f} articles/s")
    print(f"  ratio {result['ratio']:.2f}× of bare spaCy")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
