"""Scale: a stream's stories briefed on a Dask cluster, 1 worker against 2 (issue 16).

    python benchmarks/scale.py                  # the GVA dev stream, first 600 articles
    python benchmarks/scale.py --limit 0        # the whole stream (about an hour on 2 cores)
    python benchmarks/scale.py --write          # and put the section into BENCHMARKS.md
                                                # (between its marks: page_blocks.py)
    python benchmarks/scale.py --stream larger --limit 0   # GVA dev + DUC 2004, DUC 2006,
                                                # ECB+ and PolNeAR articles, interleaved
    python benchmarks/scale.py --stage-cpu 150  # CPU per stage in one process, 150 stories
    python benchmarks/scale.py --stage-cpu 150 --save-briefs /tmp/briefs   # and the briefs
    python benchmarks/scale.py --memory --stream larger --limit 0 --before /tmp/old/src
                                                # peak memory of the command itself, against
                                                # an earlier checkout's (command_memory)

End to end, as `crossbrief stories --brief --workers N` runs it: read the stream (JSON Lines,
in publication order), clean it, group it into stories (crossbrief.stories), then brief every
story of two or more articles on a LocalCluster of N worker processes
(crossbrief.distributed). Measured in the same run:

- seconds and articles per second for 1 and 2 workers, the speed-up (goal: at least 1.7x on
  this 2-core machine; issue 16 sets 1.6x on the held-back stream), and whether the two runs
  give byte-identical briefs;
- bare spaCy ``nlp.pipe(n_process=2)`` (the same pipeline crossbrief loads) on the texts of
  the briefed articles: the parse alone, the floor under any pipeline built on spaCy;
- peak resident memory of each worker process;
- a projection, with its assumptions stated, for 1 million articles on 16 machines.

The sample is the first articles of the stream in publication order, so its stories are cut
where the sample ends, as a feed read up to that moment would be.

``--stream larger`` builds, in a temporary directory (never in the repository: the sets belong
to their publishers), a stream of the GVA dev articles and the articles of the other shared sets
(DUC 2004 and DUC 2006 clusters, ECB+ topics, PolNeAR dev), each given a publication date in
the GVA period so that they interleave with it (:func:`larger`).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EVAL = ROOT.parent / "shared" / "eval"
STREAM = EVAL / "gva-stream" / "dev.jsonl"
HEADING = "## Scale: a stream's stories briefed on Dask"
HEADING_LARGER = "## Scale: a larger stream (GVA dev and the other shared sets) briefed on Dask"
HEADING_MEMORY = "## Scale: memory of `crossbrief stories INPUT --brief --workers 2`"
LIMIT = 600
sys.path.insert(0, str(HERE))

from page_blocks import Part, joined, write_parts  # noqa: E402  (benchmarks/page_blocks.py)


def sample(limit: int, directory: Path, stream: str = "gva") -> Path:
    """The first ``limit`` articles of the stream (all with 0), as a JSON Lines file;
    ``stream``: "gva" (the GVA dev stream) or "larger" (:func:`larger`)."""
    whole = larger(directory) if stream == "larger" else STREAM
    if not limit:
        return whole
    target = directory / "stream.jsonl"
    with whole.open(encoding="utf-8") as source, target.open("w", encoding="utf-8") as out:
        for n, line in enumerate(source):
            if n >= limit:
                break
            out.write(line)
    return target


# The GVA dev stream's period, into which the other sets' articles are moved.
GVA_FIRST = datetime.date(2013, 1, 1)
GVA_DAYS = 1277  # to 2016-06-30: the dev stories all begin by then (README)


def _day(*key: str) -> int:
    """A day of the GVA period drawn from ``key`` (a hash: the same on every machine)."""
    digest = hashlib.sha256("\x1f".join(key).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % GVA_DAYS


def _moved(group: str, dates: list[datetime.date | None]) -> list[str]:
    """Publication dates in the GVA period for the articles of one topic of another set:
    the topic starts on a day drawn from its name and keeps its articles' spacing where they
    have dates (DUC's wire dates); undated articles (ECB+, a topic without ids) fall on the
    topic's first three days."""
    known = [d for d in dates if d is not None]
    first = min(known) if known else None
    start = GVA_FIRST + datetime.timedelta(days=_day(group))
    out = []
    for n, date in enumerate(dates):
        offset = (date - first).days if date is not None and first is not None \
            else _day(group, str(n)) % 3
        out.append((start + datetime.timedelta(days=min(offset, 60))).isoformat())
    return out


def _wire_date(name: str) -> datetime.date | None:
    """APW19981016.0240 -> 1998-10-16 (DUC document ids)."""
    import re

    found = re.match(r"[A-Z]+(\d{4})(\d{2})(\d{2})", name)
    return datetime.date(*map(int, found.groups())) if found else None


def other_sets() -> list[dict[str, Any]]:
    """The articles of DUC 2004, DUC 2006, ECB+ and PolNeAR dev as stream records (outlet,
    title, text, a publication date moved into the GVA period), each set that is present."""
    sys.path.insert(0, str(HERE))
    records: list[dict[str, Any]] = []

    def add(group: str, outlet: str, items: list[tuple[str, str, datetime.date | None]],
            titles: list[str | None] | None = None) -> None:
        dates = _moved(group, [date for _, _, date in items])
        for n, ((name, text, _), published) in enumerate(zip(items, dates, strict=True)):
            if text.strip():
                records.append({"id": f"{group}/{name}", "published": published,
                                "outlet": outlet, "title": titles[n] if titles else None,
                                "text": text, "story": group})

    duc = EVAL / "duc2004" / "clusters"
    for cluster in sorted(duc.iterdir()) if duc.is_dir() else []:
        named = cluster / "docs_with_ids"
        folder = named if named.is_dir() and any(named.iterdir()) else cluster / "docs"
        paths = sorted(p for p in folder.iterdir() if p.is_file())
        add(f"duc2004-{cluster.name}", "DUC 2004",
            [(p.stem, p.read_text("utf-8", errors="replace"), _wire_date(p.stem))
             for p in paths])
    if (EVAL / "duc2006-scu").is_dir():
        import scu

        seen: set[str] = set()
        for topic in scu.load():
            if topic.group in seen:  # a second marking of the same documents
                continue
            seen.add(topic.group)
            add(f"duc2006-{topic.group}", "DUC 2006",
                [(d.name, "\n\n".join(line.text for line in d.lines), _wire_date(d.name))
                 for d in topic.documents])
    if (EVAL / "ecbplus-dev" / "ECB+").is_dir():
        import ecb_entities

        for story in ecb_entities.load():
            add(f"ecb-{story.name}", "ECB+",
                [(d.name, d.text, None) for d in story.documents])
    polnear = EVAL / "polnear"
    if (polnear / "metadata.tsv").exists():
        import csv

        with (polnear / "metadata.tsv").open(encoding="utf-8") as handle:
            meta = {row["filename"]: row for row in csv.DictReader(handle, delimiter="\t")
                    if row["compartment"] == "dev"}
        for path in sorted((polnear / "dev" / "text").glob("*.txt")):
            row = meta.get(path.stem, {})
            # Each a topic of its own (PolNeAR groups no articles into stories); its own
            # date (autumn 2016) lies after the GVA period, so it is drawn like the others.
            add(f"polnear-{path.stem}", row.get("publisher") or "PolNeAR",
                [(path.stem, path.read_text("utf-8"), None)], [row.get("title")])
    return records


def larger(directory: Path) -> Path:
    """The larger stream, as a JSON Lines file in ``directory``: the GVA dev stream and the
    other sets' articles (:func:`other_sets`), in publication order (ties by id)."""
    records = [json.loads(line) for line in STREAM.read_text("utf-8").splitlines()
               if line.strip()]
    records.extend(other_sets())
    records.sort(key=lambda r: (r["published"], r["id"]))
    target = directory / "larger.jsonl"
    with target.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return target


def worker_peak_mib() -> float:
    """Peak resident memory of the calling process (run on each worker)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def end_to_end(path: Path, workers: int) -> dict[str, Any]:
    from crossbrief.config import load_settings
    from crossbrief.distributed import brief_stories, connect, start_loading_models
    from crossbrief.ingest import read_inputs
    from crossbrief.model import Story
    from crossbrief.pipeline import GROUPED_STAGES, run_stages
    from crossbrief.stories import StreamArticle, cluster

    settings = load_settings()
    start = time.perf_counter()
    with connect(workers=workers) as client:
        ready = time.perf_counter()
        # As the command does: the workers load the models while the stream is read.
        start_loading_models(client, settings)
        corpus = read_inputs([str(path)], settings)
        read = len(corpus.articles)
        cleaned = run_stages(corpus, ["clean"], settings)
        by_id = {a.id: a for a in cleaned.articles}
        stories = cluster(StreamArticle.from_article(a) for a in cleaned.articles)
        clustered = time.perf_counter()
        # CPU of every process during the briefs (the workers, and this one sending the tasks
        # and taking the briefs back): a figure the machine's other load moves far less than
        # the wall time. Asked after `clustered`: a worker still loading its models answers
        # when done, so the wait is in the briefs' seconds, the loading's CPU is not (as bare
        # spaCy's model is loaded before its clock starts).
        workers_cpu = client.run(time.process_time)
        main_cpu = time.process_time()
        jobs = [Story([by_id[a.id] for a in s.articles], id=s.id) for s in stories
                if len(s.articles) >= 2]
        # As `crossbrief stories --brief` runs them: the cleaned articles, the stages of a
        # story the clustering made (storylist._brief_spilled).
        briefs = brief_stories(jobs, settings, client, done=("ingest", "clean"),
                               stages=GROUPED_STAGES)
        end = time.perf_counter()
        main_cpu = time.process_time() - main_cpu
        after = client.run(time.process_time)
        worker_cpu = sum(after[w] - workers_cpu[w] for w in after if w in workers_cpu)
        peaks = sorted(client.run(worker_peak_mib).values())
    return {
        "workers": workers,
        "articles": read,
        "stories": len(stories),
        "briefed_stories": len(jobs),
        "briefed_articles": sum(len(s.articles) for s in jobs),
        "cluster_start_seconds": ready - start,
        "read_and_cluster_seconds": clustered - ready,
        "brief_seconds": end - clustered,
        "seconds": end - start,
        "brief_worker_cpu_seconds": worker_cpu,
        "brief_main_cpu_seconds": main_cpu,
        "load_average": os.getloadavg(),
        "worker_peak_mib": peaks,
        "briefs": [json.dumps(b if isinstance(b, dict) else repr(b), sort_keys=True)
                   for b in briefs],
        "texts": [a.text for s in jobs for a in s.articles],
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bare_spacy(texts: list[str]) -> tuple[float, float]:
    """Seconds bare spaCy takes to parse ``texts`` with two processes: the pipeline as
    ``spacy.load`` gives it, without what crossbrief changes in it (``nlp.load_spacy``: its
    paragraph component, and spaCy's attribute ruler replaced by a faster equivalent); and
    the CPU seconds of this process and of the two it starts (joined when done)."""
    import spacy

    from crossbrief.config import load_settings

    nlp = spacy.load(load_settings().spacy_model)
    start, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    for _ in nlp.pipe(texts, n_process=2, batch_size=32):
        pass
    return (time.perf_counter() - start,
            time.process_time() - cpu + _children_cpu() - children)


def measure(limit: int = LIMIT, stream: str = "gva",
            save_briefs: Path | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        path = sample(limit, Path(tmp), stream)
        one = end_to_end(path, 1)
        two = end_to_end(path, 2)
    texts = two.pop("texts")
    one.pop("texts")
    name = ("the larger stream (GVA dev, DUC 2004, DUC 2006, ECB+, PolNeAR dev)"
            if stream == "larger" else STREAM.name)
    raw = name if not limit else f"first {limit} articles of {name}"
    load_before = os.getloadavg()
    spacy_seconds, spacy_cpu = bare_spacy(texts)
    load_after = os.getloadavg()
    briefs = two.pop("briefs")
    identical = one.pop("briefs") == briefs
    if save_briefs is not None:
        save_briefs.mkdir(parents=True, exist_ok=True)
        for n, text in enumerate(briefs):
            (save_briefs / f"{n:03d}.json").write_text(text + "\n", "utf-8")
    cpu = two["brief_worker_cpu_seconds"] + two["brief_main_cpu_seconds"]
    per_article = two["brief_seconds"] / max(two["briefed_articles"], 1)
    return {
        "limit": limit,
        "stream": raw,
        "stream_name": stream,
        "one": one,
        "two": two,
        "identical": identical,
        "speedup": one["seconds"] / two["seconds"],
        "brief_speedup": one["brief_seconds"] / two["brief_seconds"],
        "spacy_seconds": spacy_seconds,
        "spacy_articles_per_second": len(texts) / spacy_seconds,
        "spacy_cpu_seconds": spacy_cpu,
        "spacy_articles_per_cpu_second": len(texts) / spacy_cpu,
        "spacy_load_average": [load_before, load_after],
        "crossbrief_articles_per_cpu_second": two["briefed_articles"] / cpu,
        "crossbrief_articles_per_second": two["briefed_articles"] / two["brief_seconds"],
        "core_seconds_per_article": per_article * 2,
    }


# Grouping into stories runs in the one process that reads the stream, with worker processes
# extracting the terms: 979 articles/s on a 100,000-article stream on 2 cores
# (benchmarks/stories_100k.json, `benchmarks/stories.py --scale-only --100k`, idle
# machine), the rate the projection uses for it.
CLUSTER_ARTICLES_PER_SECOND = 979.0


def projection(result: dict[str, Any], machines: int = 16, cores: int = 8,
               articles: int = 1_000_000) -> dict[str, float]:
    """Hours for ``articles`` on ``machines`` machines of ``cores`` cores, from this run."""
    two = result["two"]
    share = two["briefed_articles"] / max(two["articles"], 1)
    core_seconds = articles * share * result["core_seconds_per_article"]
    briefing = core_seconds / (machines * cores) / 3600
    grouping = articles / CLUSTER_ARTICLES_PER_SECOND / 3600
    return {"machines": machines, "cores": cores, "articles": articles, "share": share,
            "hours": briefing, "grouping_hours": grouping, "total_hours": briefing + grouping}


# The blocks of BENCHMARKS.md this script writes (benchmarks/page_blocks.py), each between
# marks under its section's heading. The end-to-end sections (HEADING, HEADING_LARGER): the
# line that says when and where, the figures, the projection (keys "scale" and
# "scale-larger": blocks "KEY stamp", "KEY figures", "KEY projection"); the memory section
# (HEADING_MEMORY): its figures, then the note on the change measured (block "scale-memory
# note", empty without --before). Between them the page holds paragraphs written by hand (an
# earlier run, what the figures mean), which a rerun keeps byte for byte.
SCRIPT = "benchmarks/scale.py"


def section(result: dict[str, Any]) -> tuple[str, list[Part]]:
    """The end-to-end section's heading and blocks."""
    one, two = result["one"], result["two"]
    plan = projection(result)
    larger = result.get("stream_name") == "larger"
    key = "scale-larger" if larger else "scale"
    stamp = (
        f"*This section: {datetime.date.today().isoformat()}, `python benchmarks/scale.py "
        f"{'--stream larger ' if result.get('stream_name') == 'larger' else ''}"
        f"--limit {result.get('limit', LIMIT)} --write`, {platform.system()} "
        f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, commit {_commit()}.*")
    rows = [
        f"{result['stream'][:1].upper()}{result['stream'][1:]}: read, cleaned and grouped "
        f"into stories ({two['stories']} "
        f"stories of {two['articles']} articles), then every story of two or more articles "
        f"({two['briefed_stories']} stories, {two['briefed_articles']} articles) briefed on a "
        "Dask LocalCluster of worker processes, one thread each (`benchmarks/scale.py`).",
        "",
        "| | 1 worker | 2 workers |",
        "|---|---:|---:|",
        f"| end to end, seconds | {one['seconds']:.1f} | {two['seconds']:.1f} |",
        f"| of which starting the cluster | {one['cluster_start_seconds']:.1f} | "
        f"{two['cluster_start_seconds']:.1f} |",
        f"| of which reading and clustering | {one['read_and_cluster_seconds']:.1f} | "
        f"{two['read_and_cluster_seconds']:.1f} |",
        f"| of which briefing | {one['brief_seconds']:.1f} | {two['brief_seconds']:.1f} |",
        f"| peak memory per worker, MiB | {', '.join(f'{m:.0f}' for m in one['worker_peak_mib'])}"
        f" | {', '.join(f'{m:.0f}' for m in two['worker_peak_mib'])} |",
        "",
        f"Speed-up of 2 workers over 1: **{result['speedup']:.2f}x** end to end, "
        f"{result['brief_speedup']:.2f}x for the briefs alone (goal 1.7x). Briefs of the two "
        f"runs byte-identical: **{'yes' if result['identical'] else 'NO'}**.",
        "",
        f"Bare spaCy `nlp.pipe(n_process=2)` parses the briefed articles' texts at "
        f"{result['spacy_articles_per_second']:.1f} articles/s; crossbrief's 2 workers brief "
        f"them (parse, extraction, claims, conflicts, timeline, summary) at "
        f"{result['crossbrief_articles_per_second']:.1f} articles/s, "
        f"**{result['crossbrief_articles_per_second'] / result['spacy_articles_per_second']:.2f}x**"
        " the bare parse (goal 0.8x).",
        *([] if "spacy_articles_per_cpu_second" not in result else [
            "",
            "In CPU time, which the machine's other load moves far less than the wall time "
            "(every process of each side: crossbrief's 2 workers and the process that runs the "
            "scheduler and collects the briefs, from the first task to the last brief; bare "
            "spaCy's process and the 2 it starts): crossbrief "
            f"{result['crossbrief_articles_per_cpu_second']:.2f} articles per CPU second "
            f"({two['brief_worker_cpu_seconds']:.1f} s on the workers, "
            f"{two['brief_main_cpu_seconds']:.1f} s in the main process), bare spaCy "
            f"{result['spacy_articles_per_cpu_second']:.2f} "
            f"({result['spacy_cpu_seconds']:.1f} s): **"
            f"{_cpu_ratio(result):.2f}x**"
            ". Load average (1, 5, 15 min) at the end of the 1-worker run "
            f"{_load(one)}, of the 2-worker run {_load(two)}, before and after bare spaCy "
            f"{' and '.join(_load({'load_average': x}) for x in result['spacy_load_average'])}."]),
    ]
    plan_rows = [
        f"Projection for {plan['articles']:,} articles on {plan['machines']} machines of "
        f"{plan['cores']} cores, one worker per core: {plan['hours']:.1f} hours of briefing, "
        f"but grouping the stream into stories, in the one process that reads it, takes "
        f"{plan['grouping_hours']:.1f} hours at {CLUSTER_ARTICLES_PER_SECOND:.0f} articles/s "
        f"(the stories section's 100,000-article figure), and the briefs start once the "
        f"stream is grouped (an article read later may still join a story), so the run "
        f"takes about **{plan['total_hours']:.1f} hours**, "
        f"{plan['grouping_hours'] / plan['total_hours']:.0%} of it the grouping (on the "
        "grouping machine's cores alone): partitioned grouping, or briefing stories as they "
        "close, is what would shorten a million-article run next. "
        f"Assumptions: the share of articles in stories of two or more is this stream's "
        f"({plan['share']:.0%}; single-article stories get no brief); "
        f"{result['core_seconds_per_article']:.2f} core-seconds per briefed article as "
        "measured here (2 workers on 2 cores), stories of this stream's sizes; the scheduler "
        "and the network are not the bottleneck (one task per few stories, a few kB of text "
        "an article in, the briefs out).",
    ]
    return (HEADING_LARGER if larger else HEADING,
            [(f"{key} stamp", stamp), (f"{key} figures", "\n".join(rows)),
             (f"{key} projection", "\n".join(plan_rows))])


def _cpu_ratio(result: dict[str, Any]) -> float:
    return float(result["crossbrief_articles_per_cpu_second"]
                 / result["spacy_articles_per_cpu_second"])


def _load(run: dict[str, Any]) -> str:
    return "/".join(f"{x:.1f}" for x in run["load_average"])


def _commit(checkout: Path = ROOT) -> str:
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=checkout,
                          capture_output=True, text=True).stdout.strip() or "unknown"


def write(heading: str, parts: list[Part], path: Path = ROOT / "BENCHMARKS.md") -> int:
    """Put a section's blocks into the page at ``path``, every other character as it was:
    0, or 1 where the page lacks their marks (nothing written, the reason on stderr)."""
    return write_parts(path, heading, parts, SCRIPT)


def stage_cpu(stories: int = 150, every: int = 4,
              save_briefs: Path | None = None) -> dict[str, Any]:
    """CPU seconds of each stage, in this one process, briefing a sample of the GVA dev
    stream's stories of two or more articles (every ``every``-th, up to ``stories``) as a
    cluster task does (largest first, tasks of up to ``distributed.BATCH_ARTICLES`` articles,
    ``distributed.brief_batch``), and of bare spaCy (``spacy.load``, ``nlp.pipe``, one
    process) on each task's texts right after the task, so that both meet the same load on a
    shared machine. CPU time (``time.process_time``), not wall time. ``brief_sha256``: of the
    briefs, in the stories' order, to check that a change leaves them byte-identical; with
    ``save_briefs``, each brief is also written there (``NNN.json``, the stories' order), to
    compare two checkouts' briefs file by file (``diff -r``)."""
    import hashlib

    import spacy

    from crossbrief import distributed, pipeline
    from crossbrief.config import load_settings
    from crossbrief.ingest import read_inputs
    from crossbrief.model import Story
    from crossbrief.stories import StreamArticle, cluster

    settings = load_settings()
    corpus = pipeline.run_stages(read_inputs([str(STREAM)], settings), ["clean"], settings)
    by_id = {a.id: a for a in corpus.articles}
    groups = cluster(StreamArticle.from_article(a) for a in corpus.articles)
    jobs = [Story([by_id[a.id] for a in g.articles], id=g.id) for g in groups
            if len(g.articles) >= 2][::every][:stories]
    distributed.load_models(settings)
    bare = spacy.load(settings.spacy_model)
    seconds: dict[str, float] = {}

    def timed(name: str, func: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return func(*args, **kwargs)
            finally:
                seconds[name] = seconds.get(name, 0.0) + time.process_time() - start
        return run

    saved = dict(pipeline.STAGES), distributed._segment_together
    for name, stage in saved[0].items():
        pipeline.STAGES[name] = pipeline.Stage(stage.name, timed(name, stage.func),
                                               stage.requires, stage.assigns,
                                               stage.per_article, stage.help, stage.story)
    distributed._segment_together = timed("segment", saved[1])
    done = ("ingest", "clean")
    try:
        distributed.brief_batch(jobs[:1], settings, done, pipeline.GROUPED_STAGES)  # warm
        list(bare.pipe([a.text for a in jobs[0].articles]))
        seconds.clear()
        order = sorted(range(len(jobs)), key=lambda n: (-len(jobs[n].articles), n))
        tasks: list[list[int]] = [[]]
        for n in order:
            if tasks[-1] and sum(len(jobs[k].articles) for k in tasks[-1]) + \
                    len(jobs[n].articles) > \
                    distributed.BATCH_ARTICLES:
                tasks.append([])
            tasks[-1].append(n)
        briefs: dict[int, str] = {}
        ours = theirs = 0.0
        for task in tasks:
            start = time.process_time()
            made = distributed.brief_batch([jobs[n] for n in task], settings, done,
                                           pipeline.GROUPED_STAGES)
            ours += time.process_time() - start
            briefs.update((n, json.dumps(b if isinstance(b, dict) else repr(b),
                                         sort_keys=True))
                          for n, b in zip(task, made, strict=True))
            start = time.process_time()
            for _ in bare.pipe([a.text for n in task for a in jobs[n].articles], batch_size=32):
                pass
            theirs += time.process_time() - start
    finally:
        pipeline.STAGES.update(saved[0])
        distributed._segment_together = saved[1]
    if save_briefs is not None:
        save_briefs.mkdir(parents=True, exist_ok=True)
        for n, text in briefs.items():
            (save_briefs / f"{n:03d}.json").write_text(text + "\n", "utf-8")
    articles = sum(len(s.articles) for s in jobs)
    digest = hashlib.sha256("\n".join(briefs[n] for n in range(len(jobs))).encode())
    return {"stories": len(jobs), "articles": articles, "crossbrief_cpu_seconds": ours,
            "spacy_cpu_seconds": theirs, "ratio": theirs / ours,
            "crossbrief_articles_per_cpu_second": articles / ours,
            "spacy_articles_per_cpu_second": articles / theirs,
            "stage_cpu_ms_per_article": {k: 1000 * v / articles for k, v in
                                         sorted(seconds.items(), key=lambda kv: -kv[1])},
            "brief_sha256": digest.hexdigest()}


# Runs the command in this process and writes its own peak resident memory (kB) to argv[1]
# at exit, whatever the exit: the kernel's figure for the process, not a sample.
_PEAK_WRAPPER = """
import resource, sys
out = sys.argv.pop(1)
sys.argv[0] = "crossbrief"
try:
    from crossbrief.cli import main
    main()
finally:
    with open(out, "w") as handle:
        handle.write(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""


def _high_water_kib(pid: int) -> int | None:
    """The kernel's peak resident memory of a live process (VmHWM), in KiB."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def command_memory(path: Path, source: Path | None = None, workers: int = 2) -> dict[str, Any]:
    """Peak resident memory of ``crossbrief stories PATH --brief --workers N -f json -o F``
    run in a process of its own (with ``source`` first on the path: an earlier checkout's
    ``src`` to compare with): of the process that reads the stream, exact (its own
    ``ru_maxrss`` at exit), and of each process it starts (Dask's workers, term extraction),
    their ``VmHWM`` read every 0.2 s while they live. The output's SHA-256 tells whether two
    checkouts wrote the same bytes."""
    import psutil

    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    env["PYTHONPATH"] = os.pathsep.join(
        [str(source or ROOT / "src"), *filter(None, [env.get("PYTHONPATH")])])
    with tempfile.TemporaryDirectory() as tmp:
        out, peak = Path(tmp) / "stories.json", Path(tmp) / "peak"
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", _PEAK_WRAPPER, str(peak), "stories", str(path), "--brief",
             "--workers", str(workers), "-q", "-f", "json", "-o", str(out)],
            env=env, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        children: dict[int, tuple[str, int]] = {}
        parent = psutil.Process(process.pid)
        while process.poll() is None:
            try:
                for child in parent.children(recursive=True):
                    kib = _high_water_kib(child.pid)
                    if kib is not None:
                        name = " ".join(child.cmdline())
                        children[child.pid] = (name, max(kib, children.get(child.pid,
                                                                             ("", 0))[1]))
            except psutil.Error:
                pass
            time.sleep(0.2)
        stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
        seconds = time.perf_counter() - start
        digest = hashlib.sha256(out.read_bytes()).hexdigest() if out.exists() else None
        size = out.stat().st_size if out.exists() else 0
        parent_kib = int(peak.read_text()) if peak.exists() else None
    # multiprocessing's resource tracker (a few MiB, nothing of crossbrief's) is left out.
    workers_mib = sorted(kib / 1024 for name, kib in children.values()
                         if "resource_tracker" not in name)
    return {"source": str(source or ROOT / "src"), "exit": process.returncode,
            "seconds": seconds, "parent_peak_mib": parent_kib / 1024 if parent_kib else None,
            "children_peak_mib": sorted(kib / 1024 for _, kib in children.values()),
            "worker_peak_mib": workers_mib, "output_bytes": size, "output_sha256": digest,
            "stderr_tail": stderr[-2000:]}


def memory(limit: int, stream: str, before: Path | None,
           after: Path | None = None) -> dict[str, Any]:
    """:func:`command_memory` on the sample, for this checkout (or the ``src`` of another,
    ``after``) and, with ``before``, an earlier one (run first)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = sample(limit, Path(tmp), stream)
        articles = sum(1 for line in path.open(encoding="utf-8") if line.strip())
        runs = [command_memory(path, before)] if before else []
        runs.append(command_memory(path, after))
    name = ("the larger stream (GVA dev, DUC 2004, DUC 2006, ECB+, PolNeAR dev)"
            if stream == "larger" else STREAM.name)
    return {"limit": limit, "stream_name": stream, "articles": articles,
            "stream": name if not limit else f"first {limit} articles of {name}",
            "before": runs[0] if before else None, "after": runs[-1],
            "after_source": str(after) if after else None,
            "before_commit": _commit(before.parent) if before else None,
            "after_commit": _commit(after.parent if after else ROOT)}


def memory_section(result: dict[str, Any]) -> tuple[str, list[Part]]:
    """The memory section's heading and blocks."""
    before, after = result["before"], result["after"]

    def peaks(run: dict[str, Any] | None, key: str) -> str:
        if run is None:
            return "—"
        if key == "parent_peak_mib":
            return f"{run[key]:.0f}" if run[key] else "?"
        return ", ".join(f"{m:.0f}" for m in run[key]) or "—"

    rows = [
        f"*This section: {datetime.date.today().isoformat()}, `python benchmarks/scale.py "
        f"--memory{' --stream larger' if result['stream_name'] == 'larger' else ''} "
        f"--limit {result['limit']}{' --before OLD/src' if before else ''}"
        f"{' --after NEW/src' if result.get('after_source') else ''} --write`, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores (shared with "
        f"other work: memory is measured, not time), Python {platform.python_version()}; "
        f"after: commit {result['after_commit']}"
        f"{', before: commit ' + result['before_commit'] if before else ''}.*", "",
        f"{result['stream'][:1].upper()}{result['stream'][1:]} ({result['articles']} records),"
        " `crossbrief stories STREAM --brief --workers 2 -f json -o FILE` in a process of its "
        "own: the peak resident memory of that process (the one that reads the stream, "
        "groups it, runs the Dask scheduler and writes the output; its own `ru_maxrss`) and "
        "of each process it starts (the Dask workers; `VmHWM`, read every 0.2 s).", "",
        "| | before | after |", "|---|---:|---:|",
        f"| reading process, peak MiB | {peaks(before, 'parent_peak_mib')} | "
        f"{peaks(after, 'parent_peak_mib')} |",
        f"| each process it started, peak MiB | {peaks(before, 'worker_peak_mib')} | "
        f"{peaks(after, 'worker_peak_mib')} |",
        f"| output, MB | {before['output_bytes'] / 1e6 if before else 0:.1f} | "
        f"{after['output_bytes'] / 1e6:.1f} |",
        f"| seconds (loaded machine) | {before['seconds'] if before else 0:.0f} | "
        f"{after['seconds']:.0f} |",
        "",
    ]
    note = ""
    if before:
        same = before["output_sha256"] == after["output_sha256"]
        rows += [f"Outputs byte-identical: **{'yes' if same else 'NO'}**."]
        note = ("Before (commit 655de53 and earlier), the reading process held every cleaned "
                "article while it grouped and briefed them, every brief as it arrived, and at "
                "the end the whole document as a dict and then as text; after, the articles "
                "and briefs wait in a temporary file and the output is written a story at a "
                "time, so it holds the grouping's needs, the tasks in flight and one story "
                "(docs/scale.md, \"Memory\"). The workers hold what they did.")
    return HEADING_MEMORY, [("scale-memory", "\n".join(rows)), ("scale-memory note", note)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=LIMIT,
                        help="articles from the start of the stream (0: all)")
    parser.add_argument("--stream", choices=("gva", "larger"), default="gva",
                        help="the GVA dev stream, or it with the other shared sets' articles "
                             "interleaved (built in a temporary directory)")
    parser.add_argument("--write", action="store_true",
                        help="update BENCHMARKS.md (its blocks between marks)")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md",
                        help="the page --write writes")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--from-json", type=Path,
                        help="write the section from figures saved with --json (no run)")
    parser.add_argument("--stage-cpu", type=int, metavar="STORIES",
                        help="instead: CPU per stage in one process on this many GVA dev "
                             "stories (every fourth of two or more articles) against bare "
                             "spaCy on the same texts, as JSON (stage_cpu)")
    parser.add_argument("--save-briefs", type=Path, metavar="DIR",
                        help="with --stage-cpu, or end to end (the 2 workers' briefs): also "
                             "write each brief to DIR/NNN.json, to compare two checkouts' "
                             "briefs file by file")
    parser.add_argument("--memory", action="store_true",
                        help="instead: peak memory of `crossbrief stories --brief --workers 2`"
                             " in a process of its own (command_memory)")
    parser.add_argument("--before", type=Path, metavar="SRC",
                        help="with --memory: also run an earlier checkout's src, first")
    parser.add_argument("--after", type=Path, metavar="SRC",
                        help="with --memory: run this checkout's src instead of this one's")
    args = parser.parse_args(argv)
    if not STREAM.exists() and not args.from_json:
        print(f"{STREAM} is absent", file=sys.stderr)
        return 2
    if args.stage_cpu:
        figures = stage_cpu(args.stage_cpu, save_briefs=args.save_briefs)
        print(json.dumps(figures, indent=2))
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2), "utf-8")
        return 0
    if args.memory:
        result = (json.loads(args.from_json.read_text("utf-8")) if args.from_json
                  else memory(args.limit, args.stream, args.before, args.after))
        heading, parts = memory_section(result)
    else:
        result = (json.loads(args.from_json.read_text("utf-8")) if args.from_json
                  else measure(args.limit, args.stream, args.save_briefs))
        heading, parts = section(result)
    print(joined(heading, parts))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), "utf-8")
    return write(heading, parts, args.output) if args.write else 0


if __name__ == "__main__":
    sys.exit(main())
