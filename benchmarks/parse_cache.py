"""Re-brief time of a library story after it gains one article, with and without the parse
cache (crossbrief.parsecache), and the cache's size per article.

The stories: the GVA dev stream's gold stories of 10 or more articles (four, of 10 to 17).
For each, a library holds all its articles but the last (in stream order) in a named story,
briefed once (which loads the models and caches those articles' parses); then the last
article is stored and a story of all of them is briefed, timed, three ways:

- **warm**: the parse cache as the first brief left it: only the new article is parsed;
- **cold**: the cache emptied first: every article is parsed (and its parse stored);
- **no cache**: ``pipeline.run_story`` on the same articles, as a library did before the
  cache (every article parsed, nothing stored): the peer, in the same process.

And **unchanged**: the same story briefed again with nothing new (its stored brief deleted,
as a rejection or correction makes it stale): every parse read from the cache. Each
measurement is the median of ``--repeat`` runs, the ways taken in turn; every brief of a
story is checked byte-identical to the no-cache one.

    python benchmarks/parse_cache.py [--repeat 3] [--json FILE]
"""

from __future__ import annotations

import argparse
import collections
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import crossbrief
from crossbrief.model import Story
from crossbrief.pipeline import DEFAULT_STAGES, run_story
from crossbrief.store import Library

ROOT = Path(__file__).resolve().parent.parent
GVA = ROOT.parent / "shared" / "eval" / "gva-stream" / "dev.jsonl"
MIN_ARTICLES = 10


def load_stories(path: Path = GVA) -> dict[str, list[dict[str, Any]]]:
    """The gold stories of ``MIN_ARTICLES`` or more articles, each in stream order (the
    first line of an id that occurs twice)."""
    stories: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    seen: set[str] = set()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row["id"] not in seen:
                seen.add(row["id"])
                stories[row["story"]].append(row)
    return {s: rows for s, rows in stories.items() if len(rows) >= MIN_ARTICLES}


def ingest(library: Library, rows: list[dict[str, Any]], where: Path) -> list[str]:
    where.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return library.ingest([str(where)]).ids


def timed_brief(library: Library, name: str, ids: list[str]) -> tuple[float, str]:
    story = library.create_story(name, ids)
    started = time.perf_counter()
    library.brief(story.id)
    seconds = time.perf_counter() - started
    row = library.db.execute("select json from briefs where story = ?", [story.id]).fetchone()
    return seconds, str(row[0])


def forget(library: Library, sql: str, args: list[str] | None = None) -> None:
    with library.writing() as db:
        db.execute(sql, args or [])


def measure_story(rows: list[dict[str, Any]], repeat: int, tmp: Path) -> dict[str, Any]:
    settings = crossbrief.load_settings()
    library = Library(tmp / "library.db")
    earlier = ingest(library, rows[:-1], tmp / "earlier.jsonl")
    library.create_story("before", earlier)
    library.brief("before")  # loads the models; caches the earlier articles' parses
    new = ingest(library, rows[-1:], tmp / "new.jsonl")
    ids = [*earlier, *new]
    times: dict[str, list[float]] = {"warm": [], "cold": [], "no cache": [], "unchanged": []}
    briefs: dict[str, set[str]] = collections.defaultdict(set)
    for n in range(repeat):
        # warm: the new article is not cached yet, the others are
        forget(library, "delete from parses where article = ?", new)
        seconds, brief = timed_brief(library, f"warm {n}", ids)
        times["warm"].append(seconds)
        briefs["warm"].add(brief)
        # unchanged: the same story again, its brief stale: everything from the cache
        forget(library, "delete from briefs where story = ?", [library.story(f"warm {n}").id])
        started = time.perf_counter()
        library.brief(f"warm {n}")
        times["unchanged"].append(time.perf_counter() - started)
        # cold: nothing cached
        forget(library, "delete from parses")
        seconds, brief = timed_brief(library, f"cold {n}", ids)
        times["cold"].append(seconds)
        briefs["cold"].add(brief)
        # the peer: the pipeline alone, as the library ran it before the cache
        articles = library.articles(ids)
        started = time.perf_counter()
        plain = run_story(Story(articles), settings, stages=DEFAULT_STAGES).to_dict()
        times["no cache"].append(time.perf_counter() - started)
        briefs["no cache"].add(json.dumps(plain, ensure_ascii=False))
    sizes = library.db.execute("select count(*), sum(length(data)) from parses").fetchone()
    clean = library.db.execute(
        f"select sum(length(clean)) from articles where id in ({','.join('?' * len(ids))})",
        ids).fetchone()[0]
    library.close()
    identical = len(set().union(*briefs.values())) == 1
    return {"articles": len(ids), "seconds": {k: statistics.median(v) for k, v in times.items()},
            "identical": identical, "cached_rows": sizes[0], "cached_bytes": sizes[1],
            "clean_chars": clean}


def measure(repeat: int = 3) -> dict[str, Any]:
    stories = load_stories()
    result: dict[str, Any] = {"stories": {}}
    for story, rows in sorted(stories.items(), key=lambda s: (len(s[1]), s[0])):
        with tempfile.TemporaryDirectory() as tmp:
            result["stories"][story] = measure_story(rows, repeat, Path(tmp))
        print(f"story {story}: {result['stories'][story]}", file=sys.stderr)
    result["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                      capture_output=True, text=True).stdout.strip()
    result["date"] = time.strftime("%Y-%m-%d", time.gmtime())
    result["machine"] = f"{platform.system()} {platform.machine()}, Python " \
                        f"{platform.python_version()}"
    return result


def markdown(result: dict[str, Any]) -> list[str]:
    lines = ["| GVA story | articles | no cache, s | cold cache, s | warm cache, s | "
             "unchanged, s | warm / no cache | identical |",
             "|---|---:|---:|---:|---:|---:|---:|---|"]
    for story, r in result["stories"].items():
        s = r["seconds"]
        lines.append(f"| {story} | {r['articles']} | {s['no cache']:.2f} | {s['cold']:.2f} | "
                     f"{s['warm']:.2f} | {s['unchanged']:.2f} | "
                     f"{s['warm'] / s['no cache']:.2f} | {'yes' if r['identical'] else 'NO'} |")
    rows = sum(r["cached_rows"] for r in result["stories"].values())
    size = sum(r["cached_bytes"] for r in result["stories"].values())
    chars = sum(r["clean_chars"] for r in result["stories"].values())
    lines.append("")
    lines.append(f"Stored parse: {size / rows / 1024:.1f} KiB an article on average "
                 f"({rows} articles, {size / chars:.1f} bytes per character of clean text).")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not GVA.exists():
        print(f"GVA dev stream not found at {GVA}", file=sys.stderr)
        return 1
    result = measure(args.repeat)
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1), encoding="utf-8")
    print("\n".join(markdown(result)))
    return 0 if all(r["identical"] for r in result["stories"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
