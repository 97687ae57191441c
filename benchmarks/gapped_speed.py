"""The cost of the speaker rules on many gapped clauses (docs/quotes.md, "Eighth pass"):
``quotes_of`` alone, timed on an article the pipeline has parsed.

    OMP_NUM_THREADS=1 python benchmarks/gapped_speed.py 4500
    OMP_NUM_THREADS=1 python benchmarks/gapped_speed.py 300 --one-sentence

The article is N paragraphs "HaleI called it “a win,” and RuizI “a loss.”" (each a gapped
clause, whose speaker rule looks back to the sentence's start), or with ``--one-sentence``
one sentence of N gapped clauses ("Hale called it “a win,” and Ruiz0 “a loss0,” and Ruiz1
…"), the worst case for a look back over the sentence. Prints N, the quotes found and the
seconds ``quotes_of`` took (the parse, which the pipeline does first, is not counted).
Sentences of our own: no data is read.
"""

from __future__ import annotations

import argparse
import time

import crossbrief
from crossbrief.extract.quotes import quotes_of
from crossbrief.model import Article, Brief


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="gapped clauses (paragraphs, or clauses of one "
                        "sentence with --one-sentence)")
    parser.add_argument("--one-sentence", action="store_true",
                        help="one sentence of N gapped clauses instead of N paragraphs")
    args = parser.parse_args()
    if args.one_sentence:
        text = "Hale called it “a win,” " + " ".join(
            f"and Ruiz{i} “a loss{i},”" for i in range(args.n)) + " he said."
    else:
        text = "\n\n".join(f"Hale{i} called it “a win,” and Ruiz{i} “a loss.”"
                           for i in range(args.n))
    brief = Brief(articles=[Article(id="t", source="t", text=text, input="t.txt")],
                  stages=["ingest"])
    corpus = crossbrief.run_stages(brief, crossbrief.pipeline.DEFAULT_STAGES,
                                   crossbrief.load_settings())
    article = corpus.articles[0]
    began = time.perf_counter()
    quotes = quotes_of(article)
    print(f"{args.n} clauses, {len(quotes)} quotes, quotes_of {time.perf_counter() - began:.2f} s")


if __name__ == "__main__":
    main()
