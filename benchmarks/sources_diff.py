"""Cited outlets before and after a change to the sources stage, on GVA dev articles.

Runs each article of ``../shared/eval/gva-stream/dev.jsonl`` (one per distinct id, by id) as
its own story through clean, segment, entities and sources, once with the code of a "before"
checkout and once with this checkout's, and prints the citations added, removed and renamed
(each with its article's id, address and the text around it, to read and label by hand), and
the call letters of stations cited (distinct) before and after.

    python benchmarks/sources_diff.py --before /path/to/old/checkout          # 200 articles
    python benchmarks/sources_diff.py --before /path/to/old/checkout --wide   # 1,111 articles
    ... --out DIR   # keep each side's citations (before.json, after.json) in DIR

The articles: by default 200 (those with a person's title after an outlet word, "News
Director", "Press Secretary", then those holding K/W/C capitals, by id); with ``--wide`` every
article a change to citations of stations, titles, or web addresses could touch (a title
after an outlet word, a call sign after a citing phrase or before a reporting verb, a host of
a curated outlet or a station). Each side runs in a child process with that checkout's
``src`` first on its path (``OMP_NUM_THREADS=1``).

With ``--frames``, attribution frames and quote speakers instead of citations, on every text
of PolNeAR dev and train (``benchmarks/polnear.py``'s ``load``, one per text) and every
distinct id of GVA dev, each article alone through segment, entities, sources and quotes (no
clean stage, the texts as stored; parsed by ``nlp.pipe``): prints the number of frames and
quotes on each side, then every article whose frames (source | cue | content) or quotes
(span and speaker) differ, both sides' lines, to read and label by hand.

    python benchmarks/sources_diff.py --before /path/to/old/checkout --frames   # ~12 min

With ``--hosts``, the article's own web address (``sources._own_address``) of every GVA dev
record ``ingest.read_record`` reads, before and after: prints how many changed, and each
change (before → after, with how many records).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "eval" / "gva-stream" / "dev.jsonl"
TITLED = re.compile(r"\b(?:Press|News|Media|Times|Post|Radio)\s+(?:Secretary|Officer|Director|"
                    r"Editor|Spokes\w+|Chief|Manager|Aide|Coordinator|Liaison)\b")
CALL = re.compile(r"\b[KWC][A-Z]{2,3}\b")
HOSTS = re.compile(
    r"//(?:www\.)?(?:(?!www\.)[\w-]+\.)*(?!www\.)(?:cnn|ibtimes|abcnews|cbsnews|nbcnews|"
    r"foxnews|npr|bbc|reuters|apnews|ap|politico|axios|thehill|newsweek|huffpost|"
    r"huffingtonpost|breitbart|msnbc|usatoday|bloomberg|aljazeera|euronews|rt|ft|wsj|nyt|"
    r"[kw][a-z]{2,3}(?:tv|fm|am)?\d{0,2}|c[bfhijk][a-z]{2}(?:tv)?\d{0,2})\.")
CITE = re.compile(r"(?:told|according to|per|reported|reports|says|said|Photo:|Source:|"
                  r"Credit:|courtesy)\W+(?:[KW][A-Z]{2,3}|C[BFHIJK][A-Z]{2})\b|"
                  r"\b(?:[KW][A-Z]{2,3}|C[BFHIJK][A-Z]{2})(?:-[A-Z]{2})?(?: ?\d+)? "
                  r"(?:reported|reports|says|said)")
STATION = re.compile(r"(?:[KW][A-Z]{2,3}|C[BFHIJK][A-Z]{2})(?:-[A-Z]{2})?")


def chosen(wide: bool) -> list[dict]:
    items, seen = [], set()
    for line in DEV.open(encoding="utf-8"):
        item = json.loads(line)
        if item["id"] not in seen:
            seen.add(item["id"])
            items.append(item)
    items.sort(key=lambda it: it["id"])
    if wide:
        return [it for it in items if TITLED.search(it["text"]) or HOSTS.search(it["url"] or "")
                or CITE.search(it["text"])]
    first = [it for it in items if TITLED.search(it["text"])]
    second = [it for it in items if CALL.search(it["text"]) and it not in first]
    return (first + second)[:200]


def measure(out: Path, wide: bool) -> None:
    """Write every chosen article's citations (this process's crossbrief) to ``out``."""
    import crossbrief
    from crossbrief.ingest import read_record
    from crossbrief.model import Article, Brief

    settings = crossbrief.load_settings()
    found = {}
    for n, item in enumerate(chosen(wide)):
        read = read_record(item, f"s{n}:1", settings)
        if not isinstance(read, Article):
            continue
        corpus = crossbrief.run_stages(Brief(articles=[read], stages=["ingest"]),
                                       ("clean", "segment", "entities", "sources"), settings)
        a = corpus.articles[0]
        found[item["id"]] = {"url": item["url"], "cites": [
            [c.outlet, a.text[c.start:c.end], c.kind, c.start,
             a.text[max(0, c.start - 80):c.end + 60].replace("\n", " ")] for c in a.citations]}
    out.write_text(json.dumps(found, indent=0), encoding="utf-8")


def frame_texts() -> list[tuple[str, str]]:
    """(name, text) of every PolNeAR dev and train text, then every distinct GVA dev id."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from polnear import load

    texts, seen = [], set()
    for split in ("dev", "train"):
        for item in load(split):
            name = f"polnear-{split}/{item.name}"
            if name not in seen:
                seen.add(name)
                texts.append((name, item.text))
    for line in DEV.open(encoding="utf-8"):
        record = json.loads(line)
        if record["id"] not in seen:
            seen.add(record["id"])
            texts.append((record["id"], record["text"]))
    return texts


def measure_frames(out: Path) -> None:
    """Write every text's attribution frames and quote speakers (this process's crossbrief)."""
    from crossbrief.config import load_settings
    from crossbrief.extract.entities import EntityIndex, extract_entities
    from crossbrief.extract.quotes import quotes_of
    from crossbrief.extract.sources import find_attributions
    from crossbrief.model import Article, Brief
    from crossbrief.nlp import load_spacy
    from crossbrief.segment import segment_article

    texts = frame_texts()
    nlp = load_spacy(load_settings().spacy_model)
    found = {}
    docs = nlp.pipe([t for _, t in texts], batch_size=16)
    for (name, text), doc in zip(texts, docs, strict=True):
        article = Article(id="x", source="t", text=text, input=name)
        segment_article(article, doc)
        corpus = Brief(articles=[article])
        extract_entities(corpus, nlp)
        index = EntityIndex(corpus)
        article.attributions = find_attributions(article, index)
        article.quotes = quotes_of(article, index)
        t = article.text
        found[name] = {
            "frames": [" | ".join([t[x.source_start:x.source_end]
                                   if x.source_start is not None else "-",
                                   t[x.cue_start:x.cue_end], t[x.content_start:x.content_end]])
                       for x in article.attributions],
            "quotes": [f"{q.start}-{q.end} {t[q.start:q.end][:60]!r} -> {q.speaker}"
                       for q in article.quotes]}
    out.write_text(json.dumps(found, indent=0), encoding="utf-8")


def report_frames(before: dict, after: dict) -> None:
    for what in ("frames", "quotes"):
        counts = [sum(len(v[what]) for v in side.values()) for side in (before, after)]
        changed = sum(before.get(k, {}).get(what) != after.get(k, {}).get(what)
                      for k in set(before) | set(after))
        print(f"{what}: {counts[0]} -> {counts[1]}; articles changed {changed}")
    print(f"articles {len(before)} {len(after)}")
    for key in sorted(set(before) | set(after)):
        was, now = before.get(key, {}), after.get(key, {})
        for what in ("frames", "quotes"):
            old, new = was.get(what, []), now.get(what, [])
            if old != new:
                print(f"== {key} {what}")
                for line in old:
                    if line not in new:
                        print("  -", line)
                for line in new:
                    if line not in old:
                        print("  +", line)


def measure_hosts(out: Path) -> None:
    """Write every GVA dev record's own web address (this process's crossbrief) to ``out``."""
    import crossbrief
    from crossbrief.extract.sources import _own_address
    from crossbrief.ingest import read_record
    from crossbrief.model import Article

    settings = crossbrief.load_settings()
    found = {}
    for n, line in enumerate(DEV.open(encoding="utf-8")):
        read = read_record(json.loads(line), f"s{n}:1", settings)
        if isinstance(read, Article):
            found[f"{n}"] = _own_address(read)
    out.write_text(json.dumps(found, indent=0), encoding="utf-8")


def report_hosts(before: dict, after: dict) -> None:
    changes: dict[tuple[str, str], int] = {}
    for key in sorted(set(before) | set(after)):
        was, now = before.get(key, ""), after.get(key, "")
        if was != now:
            changes[(was, now)] = changes.get((was, now), 0) + 1
    print(f"records {len(before)} {len(after)}; own address changed {sum(changes.values())}")
    for (was, now), count in sorted(changes.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {count:5d}  {was or '-'} -> {now or '-'}")


def run_side(checkout: Path, out: Path, wide: bool, mode: str = "") -> None:
    env = {**os.environ, "PYTHONPATH": str(checkout / "src"), "OMP_NUM_THREADS": "1"}
    command = [sys.executable, str(Path(__file__).resolve()), "--measure", str(out)]
    subprocess.run(command + (["--wide"] if wide else []) + ([mode] if mode else []),
                   env=env, check=True)


def report(before: dict, after: dict) -> None:
    counts = [0, 0]
    rows: dict[str, list[str]] = {"ADDED": [], "REMOVED": [], "RENAMED": []}
    for key in sorted(set(before) | set(after)):
        was = {c[3]: c for c in before.get(key, {"cites": []})["cites"]}
        now = {c[3]: c for c in after.get(key, {"cites": []})["cites"]}
        counts[0] += len(was)
        counts[1] += len(now)
        url = (after.get(key) or before[key])["url"][:60]
        for start in sorted(set(was) | set(now)):
            x, y = was.get(start), now.get(start)
            if x and not y:
                rows["REMOVED"].append(f"{key[:8]} {url} | {x[:3]} | {x[4]}")
            elif y and not x:
                rows["ADDED"].append(f"{key[:8]} {url} | {y[:3]} | {y[4]}")
            elif x and y and x[:3] != y[:3]:
                rows["RENAMED"].append(f"{key[:8]} {url} | {x[:3]} -> {y[:3]} | {y[4]}")
    print(f"articles {len(before)} {len(after)}  citations {counts[0]} -> {counts[1]}")
    for side, data in (("before", before), ("after", after)):
        stations = {c[0] for v in data.values() for c in v["cites"] if STATION.fullmatch(c[0])}
        print(f"stations cited ({side}): {len(stations)} distinct")
    for name, lines in rows.items():
        print(f"== {name} {len(lines)}")
        for line in lines:
            print("  ", line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", type=Path, help="the checkout to compare with")
    parser.add_argument("--wide", action="store_true", help="every article a change could touch")
    parser.add_argument("--out", type=Path, help="keep before.json and after.json here")
    parser.add_argument("--frames", action="store_true",
                        help="attribution frames and quote speakers, not citations")
    parser.add_argument("--hosts", action="store_true",
                        help="each GVA dev record's own web address, not citations")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        if args.frames:
            measure_frames(args.measure)
        elif args.hosts:
            measure_hosts(args.measure)
        else:
            measure(args.measure, args.wide)
        return
    if args.before is None:
        parser.error("--before is required")
    with tempfile.TemporaryDirectory() as scratch:
        where = args.out or Path(scratch)
        where.mkdir(parents=True, exist_ok=True)
        mode = "--frames" if args.frames else "--hosts" if args.hosts else ""
        run_side(args.before.resolve(), where / "before.json", args.wide, mode)
        run_side(ROOT, where / "after.json", args.wide, mode)
        (report_frames if args.frames else report_hosts if args.hosts else report)(
            json.loads((where / "before.json").read_text("utf-8")),
            json.loads((where / "after.json").read_text("utf-8")))


if __name__ == "__main__":
    main()
