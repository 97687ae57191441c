"""Write the JSON briefs of a fixed sample of stories, to compare two versions byte for byte.

The sample: the bundled example, the seed corpus, each DUC 2004 cluster (10 documents) and
the GVA dev stories of at least ``--gva-min`` articles (each story's articles in file
order). Run it with each version on ``PYTHONPATH`` into its own folder, then compare the
folders (``diff -r``, or ``cmp`` file by file)::

    PYTHONPATH=OLD/src python benchmarks/brief_identity.py /tmp/before
    PYTHONPATH=NEW/src python benchmarks/brief_identity.py /tmp/after
    diff -r /tmp/before /tmp/after && echo identical
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from collections import defaultdict
from pathlib import Path

import crossbrief
from crossbrief.cli import example_path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--gva-min", type=int, default=5)
    parser.add_argument("--only", default="", help="only the samples named with this prefix")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    # The example by its name in its folder: each version's copy is read under one name.
    os.chdir(example_path().parent)
    samples: dict[str, list[str]] = {
        "example": [example_path().name],
        "seeds": [str(SHARED / "corpus" / "xi-putin-moscow-2023")],
    }
    stories: dict[str, list[str]] = defaultdict(list)
    with open(SHARED / "eval" / "gva-stream" / "dev.jsonl", encoding="utf-8") as lines:
        for line in lines:
            stories[json.loads(line)["story"]].append(line)
    with tempfile.TemporaryDirectory() as tmp:
        # DUC's documents have no file type: each cluster as JSON Lines, one record a document.
        for cluster in sorted((SHARED / "eval" / "duc2004" / "clusters").iterdir()):
            path = Path(tmp) / f"{cluster.name}.jsonl"
            path.write_text("".join(json.dumps({
                "id": doc.name, "outlet": f"duc-{doc.name}",
                "text": " ".join(doc.read_text("utf-8", errors="replace").split())}) + "\n"
                for doc in sorted((cluster / "docs").iterdir())), "utf-8")
            samples[f"duc2004-{cluster.name}"] = [str(path)]
        for story, records in sorted(stories.items()):
            if len(records) >= args.gva_min:
                path = Path(tmp) / f"{story}.jsonl"
                path.write_text("".join(records), "utf-8")
                samples[f"gva-{story}"] = [str(path)]
        for name, inputs in samples.items():
            if not name.startswith(args.only):
                continue
            brief = crossbrief.analyze(inputs)
            (args.out / f"{name}.json").write_text(crossbrief.render(brief, "json"), "utf-8")
            print(name, len(brief.claims), len(brief.conflicts), flush=True)


if __name__ == "__main__":
    main()
