"""Leads on web pages: each article's lead as the summary sees it, and what reaches the summary.

    python benchmarks/leads.py                 # the figures: labelled leads, stories' summaries
    python benchmarks/leads.py --print         # every GVA dev article's lead (id, outlet, lead)
    python benchmarks/leads.py --print --duc   # the same for the DUC 2004 development articles
    python benchmarks/leads.py --sample        # the labelled sample: id, label, lead now
    python benchmarks/leads.py --summaries     # every sentence of the GVA stories' summaries
    ... --parses FILE   # keep the parses in a SQLite file between runs (a first run parses
                        # the 3,148 articles: about 7 minutes on 2 busy cores)

The summary gives a concept more weight when an article's **lead**, its first candidate
sentence (``synthesize.concept_weights``), uses it. On scraped web pages the first sentence
ending in a full stop may be a photo caption, a credit or a boilerplate line. This script runs
each article of ``../shared/eval/gva-stream/dev.jsonl`` (3,148 distinct ids, the first of a
duplicate kept; real scraped local news) through the pipeline as far as the summary reads it
(ingest as a JSON record, clean, segment) and takes its lead as ``synthesize`` does: the first
of ``select_candidates(sentence_pool(...))`` for the article alone.

**The labelled sample**: ``SAMPLE`` articles drawn with ``random.Random(SEED)`` from the
articles that had a lead at commit 2e8b0f4 (``draw_sample``), labelled by hand in
``leads_labels.json`` (article ids, labels and the first words of the sentence labelled, no
more of the outlets' text): ``lead`` when the sentence is the article's real lead (a news
sentence saying what happened, a dateline allowed) and otherwise what it is: ``caption`` (a
photo or video caption or credit), ``boilerplate`` (site furniture: sign-up, ordering photos,
a video player …), ``other`` (a sentence that is not the article's lead: a heading, another
story's lead, headlines glued before it). The labels were given to the leads *before* the
change (captions out of the summary's candidates, page furniture out of the text; three
labels corrected on reading their whole line); ``--sample`` shows
the lead the code gives now beside them, and the figures count a lead as real when it is the
sentence labelled ``lead``, or a sentence read after the change and labelled there
(``relabelled``); a lead nobody has read is counted as unread.

**The stories' summaries**: every gold story of the dev stream with two or more articles is
summarised as the pipeline does (the ``apart`` stage holds back articles that do not look like
the story, near-copies count once, the default budget of ``summary_sentences``; the claims
stage is not run: it changes the summary's citations, not its sentences); the summary
sentences that carry a caption, credit or page-furniture word (``CAPTION_NET``, a wide net
meant for a person to read the hits, not a rule of the pipeline) are counted with the labels
read by hand (``summaries`` in ``leads_labels.json``: ``news``, ``caption``,
``boilerplate``).

**The control**: the articles of DUC 2004's 25 development clusters (clean newswire; 234 once
the copies within a cluster are skipped), whose leads the change must leave alone: ``--print
--duc`` before and after, compared with ``diff``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlite_utils import Database

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))

from crossbrief.align import find_near_copies  # noqa: E402
from crossbrief.apart import find_apart  # noqa: E402
from crossbrief.clean import clean_article  # noqa: E402
from crossbrief.config import Settings, load_settings  # noqa: E402
from crossbrief.errors import InputError  # noqa: E402
from crossbrief.ingest import read_inputs, read_record  # noqa: E402
from crossbrief.model import Article, Brief, canonical_order  # noqa: E402
from crossbrief.nlp import load_spacy  # noqa: E402
from crossbrief.parsecache import parse_articles  # noqa: E402
from crossbrief.segment import segment_article  # noqa: E402
from crossbrief.synthesize import (  # noqa: E402
    Budget,
    Candidate,
    choose,
    select_candidates,
    sentence_pool,
)

EVAL = ROOT.parent / "shared" / "eval"
GVA = EVAL / "gva-stream" / "dev.jsonl"
DUC = EVAL / "duc2004" / "clusters"
LABELS = HERE / "leads_labels.json"
SAMPLE = 100
SEED = 13
# A wide net for reading the summaries by hand: words that captions, credits and page
# furniture carry. Not a rule of the pipeline: every hit is read and judged.
CAPTION_NET = re.compile(
    r"\b(?:photos?|caption|image|courtesy|credit|getty|file|enlarge|click|video|javascript"
    r"|subscribe|newsletter|sign up|copyright|smugmug|gallery|slideshow)\b|\(AP\)|/\s?[A-Z]",
    re.I)


def gva_rows() -> list[dict[str, Any]]:
    """The dev stream's records, the first of a duplicate id kept."""
    rows: dict[str, dict[str, Any]] = {}
    with GVA.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            rows.setdefault(row["id"], row)
    return list(rows.values())


class FileParses:
    """A parse cache (``parsecache.ParseCache``) in one SQLite file, ``--parses``: a second
    run parses only the articles whose clean text changed (parsing the 3,148 articles takes
    minutes). The library's own cache lives in its database, beside its articles."""

    def __init__(self, path: Path) -> None:
        self.table = Database(path).table("parses")

    def load(self, ids: Sequence[str]) -> dict[str, tuple[str, bytes]]:
        if not self.table.exists():
            return {}
        wanted = set(ids)
        return {row["id"]: (row["key"], row["data"]) for row in self.table.rows
                if row["id"] in wanted}

    def save(self, rows: Sequence[tuple[str, str, bytes]]) -> None:
        self.table.upsert_all(({"id": id, "key": key, "data": data} for id, key, data in rows),
                              pk="id")


def prepared(articles: Iterable[Article], settings: Settings,
             parses: Path | None = None) -> list[Article]:
    """``articles`` cleaned and segmented as the pipeline does (those left empty dropped);
    ``parses``: a file to keep their parses in between runs."""
    kept = []
    for article in articles:
        try:
            kept.append(clean_article(article))
        except InputError:
            continue
    nlp = load_spacy(settings.spacy_model)
    cache = FileParses(parses) if parses is not None else _NoParses()
    docs = parse_articles(nlp, settings.spacy_model, [(a.id, a.text) for a in kept], cache)
    for article, doc in zip(kept, docs, strict=True):
        segment_article(article, doc)
    return kept


class _NoParses:
    """No cache: every article parsed."""

    def load(self, ids: Sequence[str]) -> dict[str, tuple[str, bytes]]:
        return {}

    def save(self, rows: Sequence[tuple[str, str, bytes]]) -> None:
        return None


def gva_articles(settings: Settings, parses: Path | None = None
                 ) -> tuple[list[Article], dict[str, dict[str, Any]]]:
    """The dev stream's articles, prepared, each with its record (by the record's id)."""
    rows = gva_rows()
    articles = []
    for row in rows:
        article = read_record(row, row["id"], settings)
        if isinstance(article, Article):
            article.input = row["id"]  # the dataset's id names it in every output
            articles.append(article)
    return prepared(articles, settings, parses), {row["id"]: row for row in rows}


def duc_articles(settings: Settings, parses: Path | None = None) -> list[Article]:
    """The DUC 2004 development clusters' articles, prepared, named cluster/document."""
    articles = []
    for cluster in sorted(DUC.iterdir()):
        docs = sorted(str(p) for p in (cluster / "docs").iterdir() if p.is_file())
        for article in read_inputs(docs, settings).articles:
            article.input = f"{cluster.name}/{Path(article.input).name}"
            articles.append(article)
    return prepared(articles, settings, parses)


def lead(article: Article) -> Candidate | None:
    """The article's lead as the summary takes it: its first candidate sentence."""
    candidates = select_candidates(sentence_pool(Brief(articles=[article])))
    return candidates[0] if candidates else None


def one_line(text: str) -> str:
    return " ".join(text.split())


def sample_ids(leads: dict[str, Candidate | None], labels: dict[str, Any]) -> list[str]:
    """The labelled sample: the ids of ``leads_labels.json``, drawn once with
    ``random.Random(SEED)`` as :func:`draw_sample` does; with no labels, a new draw."""
    return list(labels["leads"]) if labels.get("leads") else draw_sample(leads)


def draw_sample(leads: dict[str, Candidate | None]) -> list[str]:
    """SAMPLE article ids drawn with SEED from the sorted ids of the articles with a lead
    (the labelled sample was drawn at commit 2e8b0f4, from 3,079 such articles: the articles
    with a lead change with the cleaning)."""
    having = sorted(name for name, c in leads.items() if c is not None)
    return random.Random(SEED).sample(having, SAMPLE)


def load_labels() -> dict[str, Any]:
    return json.loads(LABELS.read_text("utf-8")) if LABELS.exists() else {}


def is_real(name: str, now: Candidate | None, labels: dict[str, Any]) -> bool | None:
    """Whether the lead the code gives now for article ``name`` is its real lead: the
    labelled sentence (by its start) when that was labelled ``lead``, else a sentence read
    after the change (``relabelled``); None when nobody has read it yet."""
    entry = labels.get("leads", {}).get(name)
    if entry is None or now is None:
        return None if entry is None else False
    if entry["label"] == "lead" and now.text.startswith(entry["opens"]):
        return True
    again = labels.get("relabelled", {}).get(name)
    if again is not None and now.text.startswith(again["opens"]):
        return bool(again["label"] == "lead")
    if entry["label"] != "lead" and now.text.startswith(entry["opens"]):
        return False
    return None


def summaries(articles: list[Article], rows: dict[str, dict[str, Any]],
              settings: Settings) -> Iterator[tuple[str, list[Candidate]]]:
    """Each gold story of two or more articles, with its summary as the pipeline picks it."""
    stories: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        stories[rows[article.input]["story"]].append(article)
    budget = Budget.from_settings(settings)
    for story, members in sorted(stories.items()):
        if len(members) < 2:
            continue
        members = canonical_order(members)
        apart = {a.article for a in find_apart(members)}
        main = [a for a in members if a.id not in apart]
        pool = sentence_pool(Brief(articles=main))
        yield story, choose(pool, find_near_copies(main), budget)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--print", action="store_true", help="every article's lead")
    parser.add_argument("--duc", action="store_true", help="DUC 2004 instead of GVA (--print)")
    parser.add_argument("--sample", action="store_true", help="the labelled sample's leads")
    parser.add_argument("--summaries", action="store_true",
                        help="every summary sentence of the GVA stories")
    parser.add_argument("--parses", type=Path, metavar="FILE",
                        help="keep the parses in this SQLite file between runs")
    args = parser.parse_args(argv)
    settings = load_settings()
    if args.duc:
        for article in duc_articles(settings, args.parses):
            found = lead(article)
            print(f"{article.input}\t{one_line(found.text) if found else '-'}")
        return 0
    articles, rows = gva_articles(settings, args.parses)
    by_name = {a.input: a for a in articles}
    leads = {name: lead(article) for name, article in by_name.items()}
    if args.print:
        for name, found in leads.items():
            print(f"{name}\t{rows[name]['outlet']}\t{one_line(found.text) if found else '-'}")
        return 0
    labels = load_labels()
    chosen = sample_ids(leads, labels)
    if args.sample:
        for name in chosen:
            entry = labels.get("leads", {}).get(name, {})
            found = leads.get(name)
            print(f"{name}\t{entry.get('label', '?')}\t{is_real(name, found, labels)}\t"
                  f"{rows[name]['outlet']}\t{one_line(found.text)[:200] if found else '-'}")
        return 0
    stories = list(summaries(articles, rows, settings))
    if args.summaries:
        for story, picked in stories:
            for c in picked:
                flag = "NET" if CAPTION_NET.search(c.text) else ""
                print(f"{story}\t{c.article[:12]}\t{c.rank}\t{flag}\t{one_line(c.text)}")
        return 0
    real = Counter(is_real(name, leads.get(name), labels) for name in chosen)
    sentences = [(story, c) for story, picked in stories for c in picked]
    caught = [(story, c) for story, c in sentences if CAPTION_NET.search(c.text)]
    read = Counter(summary_label(story, c, labels) for story, c in caught)
    print(f"GVA dev articles with a lead: {sum(1 for c in leads.values() if c)} of "
          f"{len(leads)}")
    print(f"labelled sample ({SAMPLE}, seed {SEED}): real leads {real[True]}, not {real[False]}, "
          f"unread {real[None]}")
    labelled = Counter(labels.get("leads", {}).get(n, {}).get("label", "?") for n in chosen)
    print("labels given before the change: " + ", ".join(f"{k} {v}" for k, v in
                                                          sorted(labelled.items())))
    print(f"stories of 2+ articles: {len(stories)}, summary sentences: {len(sentences)}, "
          f"caught by the reading net: {len(caught)} (read by hand: " +
          ", ".join(f"{k} {v}" for k, v in sorted(read.items())) + ")")
    return 0


def summary_label(story: str, sentence: Candidate, labels: dict[str, Any]) -> str:
    """The hand label of a summary sentence the reading net caught (``summaries`` in the
    labels: story, article id, the sentence's first words), or "unread"."""
    for entry in labels.get("summaries", []):
        if entry["story"] == story and sentence.article.startswith(entry["article"]) and \
                sentence.text.startswith(entry["opens"]):
            return str(entry["label"])
    return "unread"


if __name__ == "__main__":
    sys.exit(main())
