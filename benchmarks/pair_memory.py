"""Peak memory and time of ``crossbrief analyze`` on one big story, stage by stage.

A person who analyses a few hundred articles of one event gives the claims and conflicts
stages thousands of clauses. This builds such stories from shared real news text (the 250
DUC 2004 documents, cluster after cluster, then GVA dev articles, longest first: they need
not be one event), writes each as one JSON Lines file, and runs ``crossbrief analyze`` on it
in a fresh process (every import and model load paid, one BLAS thread). For each stage it
prints the seconds and the peak resident set size while the stage ran (``VmHWM`` reset
through ``/proc/self/clear_refs`` before each call, Linux), and the whole run's peak
(``ru_maxrss``). With ``--keep DIR`` the JSON brief of each size is kept there (to compare
the briefs of two versions byte for byte). With ``--one-story`` no article is set apart
(the apart stage does nothing: the mixed topics of the bigger sizes would otherwise be
briefed as several stories), so the pair stages see every article of the size at once.

    nice -n 10 python benchmarks/pair_memory.py 50 100 200 400 [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"

# Run in the child: every stage's function wrapped to time it and read its peak.
CHILD = r"""
import dataclasses, json, resource, runpy, sys, time
from crossbrief import cli, pipeline  # noqa: F401  (imports register every stage)

seen = {}

def hwm():
    return int(open('/proc/self/status').read().split('VmHWM:')[1].split()[0]) / 1024

def wrap(name, func):
    def run(*args, **kwargs):
        open('/proc/self/clear_refs', 'w').write('5')
        started = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            took, peak = seen.get(name, (0.0, 0.0))
            seen[name] = (took + time.perf_counter() - started, max(peak, hwm()))
    return run

if sys.argv[1] == "--one-story":  # no article set apart: every article in the one story
    del sys.argv[1]

    def none_apart(brief, settings):
        brief.apart = []
        return brief

    pipeline.STAGES["apart"] = dataclasses.replace(pipeline.STAGES["apart"], func=none_apart)
for name, stage in list(pipeline.STAGES.items()):
    pipeline.STAGES[name] = dataclasses.replace(stage, func=wrap(name, stage.func))
sys.argv = sys.argv[1:]
started = time.perf_counter()
code = 0
try:
    runpy.run_module('crossbrief', run_name='__main__')
except SystemExit as exc:
    code = exc.code or 0
print(json.dumps({'seconds': time.perf_counter() - started, 'stages': seen,
                  'maxrss_mib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}),
      file=sys.stderr)
sys.exit(code)
"""


def articles() -> list[dict[str, Any]]:
    """DUC 2004's documents in cluster order, then GVA dev's articles, longest first."""
    found = []
    for cluster in sorted((SHARED / "duc2004" / "clusters").iterdir()):
        for doc in sorted((cluster / "docs").iterdir()):
            text = " ".join(doc.read_text("utf-8", errors="replace").split())
            found.append({"id": f"{cluster.name}-{doc.name}", "outlet": f"duc-{doc.name}",
                          "title": " ".join(text.split()[:10]), "text": text})
    with open(SHARED / "gva-stream" / "dev.jsonl", encoding="utf-8") as lines:
        gva = [json.loads(line) for line in lines]
    gva.sort(key=lambda r: (-len(r.get("text", "")), r["id"]))
    return found + gva


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", type=int, nargs="+")
    parser.add_argument("--keep", type=Path, help="folder for each size's JSON brief")
    parser.add_argument("--one-story", action="store_true",
                        help="set no article apart (the apart stage does nothing), so that "
                             "the claims and conflicts stages see every article at once")
    args = parser.parse_args()
    pool = articles()
    env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "OPENBLAS_NUM_THREADS": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            story = Path(tmp) / f"story{size}.jsonl"
            story.write_text("".join(json.dumps(r) + "\n" for r in pool[:size]), "utf-8")
            out = (args.keep / f"brief{size}.json") if args.keep else Path(tmp) / "brief.json"
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
            result = subprocess.run([sys.executable, "-c", CHILD,
                                     *(["--one-story"] if args.one_story else []),
                                     "crossbrief", "analyze",
                                     str(story), "-f", "json", "-q", "-o", str(out)],
                                    capture_output=True, text=True, env=env, check=False)
            lines = result.stderr.strip().splitlines()
            try:
                figures = json.loads(lines[-1])
            except (IndexError, json.JSONDecodeError):
                print(f"{size} articles: failed (rc {result.returncode}): "
                      f"{result.stderr[-2000:]}")
                continue
            stages = figures["stages"]
            print(f"{size} articles: {figures['seconds']:.1f} s, peak "
                  f"{figures['maxrss_mib']:.0f} MiB (rc {result.returncode})")
            for name, (took, peak) in stages.items():
                print(f"  {name:10s} {took:8.1f} s  peak {peak:7.0f} MiB")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
