"""Cold start and peak memory of ``crossbrief analyze`` on the seed corpus.

Each run is a fresh process (``python -m crossbrief analyze SEED -f json``), so it pays for
every import and model load, as a user's first command does; the static embeddings are
already prepared (``crossbrief prepare``, part of the install). Peak memory is the child's
high-water resident set size (``VmHWM`` in /proc, Linux; ``ru_maxrss`` would carry over the
parent's across exec).

    python benchmarks/brief_speed.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "corpus" / "xi-putin-moscow-2023"


def cold_run(backend: str, inputs: list[str]) -> tuple[float, float]:
    """(wall seconds, peak resident MiB) of one fresh ``crossbrief analyze``."""
    code = ("import sys, runpy; sys.argv = sys.argv[1:]; "
            "rc = 0\ntry:\n    runpy.run_module('crossbrief', run_name='__main__')\n"
            "except SystemExit as e:\n    rc = e.code or 0\n"
            "status = open('/proc/self/status').read()\n"
            "print(status.split('VmHWM:')[1].split()[0], file=sys.stderr)\n"
            "sys.exit(rc)")
    config = ROOT / "benchmarks" / f".{backend}.toml"
    config.write_text(f'encoder_backend = "{backend}"\n', "utf-8")
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code, "crossbrief", "analyze", *inputs, "-f", "json", "-q",
         "-c", str(config)], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    config.unlink()
    if result.returncode not in (0, 2):
        raise RuntimeError(result.stderr[-2000:])
    peak_kib = int(result.stderr.strip().splitlines()[-1])
    json.loads(result.stdout)  # a whole brief came out
    return wall, peak_kib / 1024


def measure(repeat: int = 3, inputs: list[str] | None = None) -> dict[str, Any]:
    inputs = inputs or [str(SEED)]
    out: dict[str, Any] = {}
    for backend in ("static", "transformer"):
        runs = [cold_run(backend, inputs) for _ in range(repeat)]
        out[backend] = {"seconds": statistics.median(r[0] for r in runs),
                        "peak_mib": max(r[1] for r in runs)}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    if not SEED.exists():
        print(f"seed corpus not found at {SEED}", file=sys.stderr)
        return 1
    print(json.dumps(measure(args.repeat), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
