"""Dates: where the parse's verbless sentences are read as the end of a term.

    python benchmarks/term_roots.py

``dates._verb_read_as_noun`` reads a sentence root the parser tagged as a plural noun as a
present verb ("His lease/compound runs/NNS till Dec. 31, 2030"), so that its date is the end of
a term and not the story anchor. Read wrongly, a verbless heading or caption ("Company earnings
through Dec. 31, 2026") loses its date. Two counts, to be run on two commits (set PYTHONPATH to
each one's ``src``; the function has the same signature on both):

1. sentences: every paragraph of the text files under ``../shared/eval`` (the ``text`` field of
   JSON lines; tags of markup left out) that holds "till", "until", "through" or "thru", parsed
   with the configured spaCy pipeline; of the sentences whose root is tagged NNS, how many the
   function reads as a verb (each one printed);
2. stories: the stories of ``benchmarks/story_anchor.py`` (GVA dev, DUC 2004, TempEval-3) that
   hold such a word within 40 characters before a year or a numeric date, or "expir": their
   shipped anchors and the dates read as ends of terms, as a digest to compare between commits.

    python benchmarks/term_roots.py --grid [-v]

3. a grid of written sentences (``GRID_*``, from general usage, not from any evaluation set):
   subjects x verb forms x end prepositions x forms of the date, each "<subject> <verb>
   <preposition> <date>." with one explicit date; a present term should be read as one
   (``dates._term_by_parse``; so a clause with a name or a bare noun for subject, "Microsoft
   supports Windows 10 thru Dec. 31, 2030."), a past, perfect or future one should not, nor
   a verbless heading ("Election results thru Dec. 31, 2030."). Counts of misreadings per
   preposition and kind (``-v`` prints each).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "eval"
WORD = re.compile(r"(?i)\b(?:till|until|through|thru)\b")
REACH = re.compile(r"(?i)\b(?:till|until|through|thru)\b.{0,40}?(?:\b\d{4}\b|\d+/\d+)|expir",
                   re.S)


def paragraphs(root: Path = SHARED) -> list[str]:
    """The distinct paragraphs of the evaluation texts that hold one of the words, sorted."""
    found: set[str] = set()
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        try:
            raw = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for text in _texts(path, raw):
            for paragraph in re.split(r"\n", text):
                if WORD.search(paragraph) and len(paragraph) < 3000:
                    found.add(paragraph.strip())
    return sorted(found)


def _texts(path: Path, raw: str) -> Iterator[str]:
    if path.suffix != ".jsonl":
        yield re.sub(r"<[^>]+>", " ", raw)
        return
    for line in raw.splitlines():
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict):
            yield str(item.get("text", ""))


# "The schedule" and "The report" and the verbs of ``dates.NOT_TERM_ACTIVES`` ("shows the
# paintings", "lists games", "shows sales"): a running state, or a record's period, neither of
# which may anchor the story (review of 246c9b7, 2026-12-03)
GRID_SUBJECTS = ("The ban", "The office", "The exhibition", "His lease", "The road", "The sale",
                 "Parking", "The museum", "The schedule", "The report")
GRID_PRESENT = ("runs", "is open", "is closed", "are closed", "lasts", "stays open",
                "continues", "remains in force", "is suspended", "is valid", "is extended",
                "is banned", "remains closed", "is in effect", "shows the paintings",
                "lists games", "shows sales")
GRID_OTHER = ("ran", "was closed", "has been closed", "will run", "was open", "had been closed",
              "lasted", "remained closed")
GRID_HEADINGS = ("Election results", "Company earnings", "Quarterly sales", "Bank deposits",
                 "Weekly figures", "Vote counts", "Hospital admissions", "Road closures",
                 # plural nouns of ``dates.NAMED_TERM_VERBS``, read both ways (review of
                 # dat9, 2026-12-03)
                 "Trading halts", "Wage freezes", "Service pauses")
# Present clauses with a name or a bare noun for subject and a verb outside
# ``dates.TERM_VERBS``, most with an object ("Microsoft supports Windows 10 through …"): ends
# of terms, which the heading rule (``dates._noun_read_as_verb``) must leave alone (review B,
# 2026-12-03).
GRID_CLAUSE_SUBJECTS = ("Microsoft", "Congress", "Amtrak", "Construction", "Texas", "The city")
GRID_CLAUSE_VERBS = ("supports Windows 10", "funds the government", "suspends service",
                     "bans the sale", "covers the costs", "applies", "closes Main Street",
                     "holds rates steady")
GRID_PREPOSITIONS = ("till", "until", "through", "thru")
GRID_DATES = ("{p} Friday, Dec. 31, 2030", "{p} Dec. 31, 2030", "{p} 31 December 2030",
              "{p} Friday, 31 December 2030", "{p} next Friday, Dec. 31, 2030", "{p} 12/31/2030",
              "Monday {p} Friday, Dec. 31, 2030")


def grid(verbose: bool) -> int:
    """Misreadings of the written grid (3. above), per preposition and kind."""
    import itertools
    from collections import Counter

    import crossbrief
    from crossbrief import nlp
    from crossbrief.extract import dates

    model = nlp.load_spacy(crossbrief.load_settings().spacy_model)
    cases = [(f"{s} {v} {d.format(p=p)}.", p, "present" if v in GRID_PRESENT else "other")
             for s, v, p, d in itertools.product(GRID_SUBJECTS, GRID_PRESENT + GRID_OTHER,
                                                 GRID_PREPOSITIONS, GRID_DATES)]
    cases += [(f"{s} {v} {d.format(p=p)}.", p, "clause")
              for s, v, p, d in itertools.product(GRID_CLAUSE_SUBJECTS, GRID_CLAUSE_VERBS,
                                                  GRID_PREPOSITIONS, GRID_DATES)]
    cases += [(f"{h} {d.format(p=p)}.", p, "heading")
              for h, p, d in itertools.product(GRID_HEADINGS, GRID_PREPOSITIONS, GRID_DATES)]
    wrong: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    for (text, prep, kind), doc in zip(cases, model.pipe(c[0] for c in cases), strict=True):
        hits = [h for h in dates._find(text, None, None, "", only=dates._EXPLICIT_PATTERNS)
                if h.full]
        total[prep, kind] += 1
        term = bool(hits) and bool(dates._term_by_parse(doc, hits[0].start, hits[0].end))
        if term != (kind in ("present", "clause")):
            wrong[prep, kind] += 1
            if verbose:
                print(f"  {kind}: {text}")
    for key in sorted(total):
        print(f"{key[0]:8} {key[1]:8} misread {wrong[key]:4} of {total[key]}")
    print(f"all: misread {sum(wrong.values())} of {sum(total.values())}")
    return 0


def main() -> int:
    if "--grid" in sys.argv[1:]:
        return grid("-v" in sys.argv[1:])
    import crossbrief
    from crossbrief import nlp
    from crossbrief.extract import dates

    sys.path.insert(0, str(HERE))
    import story_anchor

    settings = crossbrief.load_settings()
    model = nlp.load_spacy(settings.spacy_model)
    texts = paragraphs()
    roots = read = 0
    for doc in model.pipe(texts, batch_size=64):
        for sentence in doc.sents:
            if sentence.root.tag_ != "NNS" or not WORD.search(sentence.text):
                continue
            roots += 1
            if dates._verb_read_as_noun(sentence.root):
                read += 1
                print(f"  read as a verb: {sentence.text[:120]!r}")
    print(f"paragraphs {len(texts)}, sentences rooted in a plural noun {roots}, "
          f"read as a verb {read}")

    loaders = (story_anchor.gva_stories, story_anchor.duc_stories,
               story_anchor.tempeval_stories)
    digest = hashlib.sha256()
    reached = terms = 0
    for loader in loaders:
        for name, articles, _truth in loader():
            if not any(REACH.search(text) for text in articles):
                continue
            reached += 1
            found = story_anchor.candidates(articles, settings)
            anchor = dates.story_anchor_of(found)
            ends = [(c.day.isoformat(), c.term) for c in found if c.term]
            terms += len(ends)
            digest.update(json.dumps([name, anchor and anchor.isoformat(), ends]).encode())
    print(f"stories reached {reached}, ends of terms {terms}, digest {digest.hexdigest()[:16]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
