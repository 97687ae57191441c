"""Run every benchmark and write the figures into BENCHMARKS.md.

    python benchmarks/run.py            # all of them (45 minutes on two cores shared with
                                        # other jobs, 2026-11-30)
    python benchmarks/run.py --quick    # one timing run instead of three

Each benchmark compares crossbrief with its peer in the same run, on the labelled data in
``../shared/eval``. The page records the machine, the command and the date with the figures.

The script writes only between the marks it leaves on the page (``BEGIN`` and ``END``: the
header's lines, and the part of each section it writes, under the section's heading); the
text around them, written by hand or by other scripts, stays byte for byte. A section whose
heading is on the page without its marks is printed, not written (exit status 1).

Two sections refit shipped data as they measure it (``scu``: ``src/crossbrief/data/claims.json``;
``checkthat``: ``src/crossbrief/data/opinion.json``): where the refit differs from the file, the
run leaves it changed (to commit or check out) and its stamps say "with uncommitted changes to
src/".
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import brief_speed  # noqa: E402
import checkthat  # noqa: E402
import duc2004  # noqa: E402
import ecb_entities  # noqa: E402
import extraction_speed  # noqa: E402
import gva_conflicts  # noqa: E402
import polnear  # noqa: E402
import scu  # noqa: E402
import stories as stories_bench  # noqa: E402  (benchmarks/stories.py)
import tempeval  # noqa: E402
from page_blocks import PageError, begin, end, put_section, replace_block  # noqa: E402


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB memory"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores{memory}, "
            f"Python {platform.python_version()}")


def versions() -> str:
    from spacy import about

    import crossbrief

    found = [f"crossbrief {crossbrief.__version__}", f"spaCy {about.__version__}"]
    from importlib import metadata

    for package in ("textacy", "sumy", "rouge-score", "sentence-transformers", "torch"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            found.append(f"{package} {metadata.version(package)}")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    if commit:
        # Figures measured on code that is not committed say so: the commit alone would
        # claim them for code that may never land.
        changed = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no",
                                  "--", "src"], cwd=ROOT, capture_output=True,
                                 text=True).stdout.strip()
        found.append(f"commit {commit}" + (" with uncommitted changes to src/" if changed
                                           else ""))
    return ", ".join(found)


def polnear_section() -> str:
    items = polnear.load("dev")
    ours, seconds = polnear.run_crossbrief(items)
    peer, raised = polnear.run_textacy(items)
    rows = [
        "## Quotes and attributions: PolNeAR dev",
        "",
        f"{len(items)} annotation files, {sum(sum(i.direct) for i in items)} gold direct quotes "
        "(`benchmarks/polnear.py`; definitions in its docstring). Peer: textacy "
        f"`direct_quotations`, same spaCy pipeline; it raised on {raised} of {len(items)} "
        "articles (unbalanced quotation marks), counted as finding nothing there. Each "
        "article runs through the entities, sources and quotes stages as its own story.",
        "",
        "Speaker accuracy two ways: `speaker_accuracy` (the first figure reported) counts "
        "only recalled quotes and asks whether the speaker span overlaps the gold Source; "
        "`speaker_accuracy_strict` (issue 13) counts every gold direct quote whose Source is "
        "a name or a description (517 on dev; left out: bare pronouns, \"who\" 3 times and "
        "the cue word \"said\" annotated as the Source 5 times), matched to the tool's quotes "
        "sharing 60 % of their content words, right only when the name shown shares a word "
        "with the gold Source or was resolved from its words, wrong when none matches or the "
        "speaker is missing. No number is fitted, but the rules are fitted to the data they "
        "were written from: train and dev misses (docs/quotes.md lists each step with its "
        "measured effect). Earlier figures, and the other splits, are in the text after the "
        "table.",
        "",
        "| metric | crossbrief | textacy |",
        "|---|---:|---:|",
    ]
    for key, value in ours.items():
        other = peer.get(key)
        rows.append(f"| {key} | {value:.3f} | {f'{other:.3f}' if other is not None else '—'} |")
    rows += ["", f"crossbrief's extraction took {seconds:.1f} s for the split.", ""]
    return "\n".join(rows)


def duc_section() -> str:
    clusters = sorted(p for p in duc2004.DUC.iterdir() if p.is_dir())
    result = duc2004.run(clusters)
    rows = [
        "## Summaries: DUC 2004 task 2",
        "",
        f"{result['clusters']} clusters (the development half), summaries cut at 665 bytes, "
        "ROUGE-1 and ROUGE-2 recall (`rouge-score`, Porter stemming, stop words kept), "
        "averaged over the four human summaries, then over clusters "
        "(`benchmarks/duc2004.py`). All systems are scored by the same scorer in the same run: "
        "the summary of crossbrief's whole brief, sumy's LexRank and "
        "TextRank run live on the same sentences, and the 13 published systems' summaries. "
        "The **crossbrief** row uses the summary's constants as shipped, chosen on these "
        "clusters (in-sample); the out-of-fold row summarises each cluster with the constants "
        "its cross-validation fold chose without it (`benchmarks/duc2004_cv.py`, 5 folds): "
        "the figure to expect on clusters never seen, but for what was chosen on these "
        "clusters outside the search (the lead weight: docs/summary.md).",
        "",
        "| system | ROUGE-1 | ROUGE-2 |",
        "|---|---:|---:|",
    ]
    for name, row in sorted(result["scores"].items(), key=lambda kv: -kv[1]["rouge2"]):
        label = f"**{name}**" if name == "crossbrief" else name
        rows.append(f"| {label} | {row['rouge1']:.2f} | {row['rouge2']:.2f} |")
    seconds = result["seconds"]
    ratios = [ours / max(peer, 1e-9) for ours, peer in zip(
        result["per_cluster"]["crossbrief"], result["per_cluster"]["LexRank"], strict=True)]
    import statistics

    rows += ["", "Speed, per cluster, same run, models already loaded: the whole brief "
             "(reading, cleaning, parsing, entities, quotes and attributions, dates, opinion, "
             "near-copies, quote matrix, claims, conflicts, timeline, summary) against sumy "
             "LexRank's ranking of the cluster's sentences.", "",
             "| | all 25 clusters | median per cluster |", "|---|---:|---:|",
             f"| crossbrief brief | {seconds['crossbrief']:.1f} s | "
             f"{statistics.median(result['per_cluster']['crossbrief']):.2f} s |",
             f"| sumy LexRank | {seconds['LexRank']:.1f} s | "
             f"{statistics.median(result['per_cluster']['LexRank']):.2f} s |",
             f"| sumy TextRank | {seconds['TextRank']:.1f} s | "
             f"{statistics.median(result['per_cluster']['TextRank']):.2f} s |",
             "", f"The brief takes **{statistics.median(ratios):.2f}×** LexRank's time per "
             "cluster (median; target at most 1.2×).", "",
             f"Conflicts the 25 briefs report (not updates; unlabelled, so read by hand, and "
             f"capped in `benchmarks/floors.json`): {len(result['conflicts'])}.", "",
             *(f"- {line}" for line in result["conflicts"]), ""]
    return "\n".join(rows)


def scu_section() -> str:
    """Claim alignment on DUC 2006 SCU-marked coverage: the scorer refitted and
    cross-validated by topic in this run, beside the MiniLM-threshold peer."""
    result = scu.run(fit=True)
    cv, peer = result["cv"]["pooled"], result["peer"]
    fitted = result["fitted"]
    rows = [
        "## Claim alignment: DUC 2006 SCU-marked coverage",
        "",
        f"{result['topics']} topic markings of 25 real articles each; pairs of annotated lines "
        "of different articles, positive when they share a Summary Content Unit; a system links "
        "two lines when one claim's support overlaps both; pooled over all topics "
        "(`benchmarks/scu.py`, definition in `../shared/eval/duc2006-scu/README.md`). "
        "crossbrief's claim scorer is refitted in this run (`--fit`) and its figures are "
        f"cross-validated: {len(result['cv']['folds'])} folds by DUC topic, each topic scored "
        "by a scorer and thresholds fitted on the other folds only (thresholds: best recall "
        f"at line-pair precision >= {scu_target():.2f} on the training topics). The peer, "
        "all-MiniLM-L6-v2 cosine between the lines, is given at fixed thresholds and at the "
        "threshold best on this very set (optimistic: chosen on the data it is scored on).",
        "",
        "| system | pair precision | pair recall | F1 |",
        "|---|---:|---:|---:|",
        f"| **crossbrief claims (cross-validated)** | {cv['precision']:.3f} | "
        f"{cv['recall']:.3f} | {cv['f1']:.3f} |",
    ]
    for key in ("0.6", "0.7", "0.8"):
        r = peer[key]
        rows.append(f"| MiniLM cosine >= {key} | {r['precision']:.3f} | {r['recall']:.3f} | "
                    f"{r['f1']:.3f} |")
    best = peer["best"]
    rows += [
        f"| MiniLM cosine >= {best['threshold']:.2f} (best F1 on this set) | "
        f"{best['precision']:.3f} | {best['recall']:.3f} | {best['f1']:.3f} |",
        "",
        f"Ranking quality of the scorer on unseen topics, before grouping: clause-pair ROC AUC "
        f"{result['cv']['pair_auc']:.3f}. \"N sources agree\": of the "
        f"{cv['agreement']['scus']} SCUs marked in two or more articles, "
        f"{cv['agreement']['covered']:.0%} are covered by a claim of several articles, and the "
        f"claim covering most of a SCU's lines counts the same number of independent articles "
        f"for {cv['agreement']['same_count']:.0%} of them (cross-validated).",
        "",
        f"Shipped scorer (`src/crossbrief/data/claims.json`, fitted on every topic, with the "
        f"negation veto and the veto of one verb given dates with no day in common: the "
        f"section \"Claim alignment: evidence rules\" below): "
        f"same_claim {fitted['same_claim']}, link_floor {fitted['link_floor']}; in-sample "
        f"precision {fitted['in_sample']['precision']:.3f}, recall "
        f"{fitted['in_sample']['recall']:.3f}. Extraction of the {result['topics']} topics took "
        f"{result['extraction_seconds']:.0f} s; claims for all of them "
        f"{result['claims_seconds']:.1f} s.",
        "",
    ]
    return "\n".join(rows)


def scu_target() -> float:
    import fit_claims

    return float(fit_claims.TARGET_PRECISION)


def conflicts_section() -> str:
    stories, records = gva_conflicts.load()
    result = gva_conflicts.run(stories, records)
    rows = [
        "## Conflicts and updates: GVA news stream, multi-article stories",
        "",
        f"The {result['stories']} stories of two or more articles in "
        "`../shared/eval/gva-stream/dev.jsonl` (local US reports of shootings), each briefed "
        "on its own (`benchmarks/gva_conflicts.py`; definitions in its docstring). Goals: "
        "(a) under 10 %, (b) at least 0.90.",
        "",
        "| measure | figure |",
        "|---|---:|",
        f"| (a) briefs stating a killed or injured count that differs from the GVA record | "
        f"**{100 * result['count_mismatch']:.1f} %** ({result['mismatched']} of "
        f"{result['with_counts']} stories where an article states one) |",
        f"| (b) precision of the reported conflicts, labelled by hand | "
        f"**{result['conflict_precision']:.2f}** ({result['labelled']} labelled of "
        f"{result['sampled']} sampled; {result['conflicts']} conflicts in all) |",
        f"| updates reported (not conflicts) | {result['updates']} |",
        "",
        "Briefs whose stated count differs from the record (story: stated; record), read by "
        "hand for the run of 2026-11-29: most are the outlets' own counts, from the first "
        "hours (one wounded victim died later) or made otherwise than GVA's (the attacker, an "
        "unborn child, a wound from flying glass), a few a part of the victims or another "
        "incident of a round-up.",
        "",
        *(f"- {m['story']}: {'; '.join(m['stated'])}; record "
          + ", ".join(f"{k} {v}" for k, v in m["record"].items())
          for m in result["mismatches"]),
        "",
    ]
    if result["false"]:
        rows += ["Conflicts labelled false:", "",
                 *(f"- {line}" for line in result["false"]), ""]
    if result["unlabelled"]:
        rows += ["Sampled conflicts not labelled yet (label them in "
                 "`benchmarks/gva_conflict_labels.json`):", "",
                 *(f"- {key}" for key in result["unlabelled"]), ""]
    return "\n".join(rows)


def checkthat_section() -> str:
    """Sentence opinion on CheckThat! 2025 subjectivity: the shipped model refitted in this
    run, the old cue heuristic and the TF-IDF peer, same data, same threshold procedure."""
    result = checkthat.run(fit=True)
    r = result["results"]
    organisers = checkthat.ORGANISERS
    rows = [
        "## Sentence opinion: CheckThat! 2025 subjectivity (English)",
        "",
        f"Macro-F1 over SUBJ and OBJ (`benchmarks/checkthat.py`, definitions in its docstring; "
        f"data `../shared/eval/checkthat-subjectivity/`, CC BY-NC-SA 4.0). Each sentence is "
        f"analysed alone by the stages before opinion, so quotes and attributed content are "
        f"masked as in a brief. Every fitted system: C by {checkthat.FOLDS}-fold stratified "
        f"cross-validation over train_en + dev_en ({result['pool']} sentences, "
        f"{result['pool_subj']:.0%} SUBJ), fitted on all of them, threshold tuned on "
        f"dev_test_en ({result['test']} sentences, {result['test_subj']:.0%} SUBJ, the share "
        "closest to real reporting). So the dev_test column is optimistic (threshold chosen on "
        "it); the next one tunes the threshold on one half of dev_test and scores the other, "
        "both ways round. Cross-validated: out-of-fold predictions over train + dev at the "
        "same threshold. crossbrief's model is refitted in this run (`--fit`).",
        "",
        "| system | dev_test | dev_test, threshold from the other half | cross-validated "
        "(train + dev) | threshold |",
        "|---|---:|---:|---:|---:|",
    ]
    for key in ("static", "transformer", "cues", "heuristic", "tfidf"):
        if key not in r:
            continue
        x = r[key]
        label = f"**{x['name']}**" if key == "static" else x["name"]
        rows.append(f"| {label} | {x['dev_test_f1']:.3f} | {x['dev_test_f1_halves']:.3f} | "
                    f"{x['cv_f1']:.3f} | {x['threshold']} |")
    rows += [
        f"| organisers' baseline (sentence embeddings + logistic regression; quoted from the "
        f"README) | {organisers['baseline_dev_test']:.2f} | — | — | — |",
        "",
        f"On the held-back official test set (not here), quoted from the README: organisers' "
        f"baseline {organisers['baseline_test']}, median of 22 teams about "
        f"{organisers['median_test']}, best {organisers['best_test']}. With about 300 test "
        "sentences, differences under about 0.05 are noise. The default pipeline uses the "
        "static backend (first row); the transformer row is the same model on the "
        "`encoder_backend = \"transformer\"` vectors, shipped for that setting. "
        f"Shipped model as the pipeline loads it, on dev_test: macro-F1 "
        f"{result['shipped']['dev_test_f1']:.3f} at threshold {result['shipped']['threshold']}. "
        f"The run took {result['seconds']:.0f} s ({result['analysis_seconds']:.0f} s analysing "
        "the sentences).",
        "",
    ]
    return "\n".join(rows)


def cold_section() -> str:
    result = brief_speed.measure(3)
    rows = [
        "## Cold start and memory: `crossbrief analyze` on the seed corpus",
        "",
        "A fresh process each time, five articles, the whole brief as JSON, median of 3 "
        "(`benchmarks/brief_speed.py`); peak resident memory of the process. Targets: at "
        "most 3 s, at most 1 GB.",
        "",
        "| encoder backend | seconds | peak memory |",
        "|---|---:|---:|",
    ]
    for backend, r in result.items():
        rows.append(f"| {backend} | {r['seconds']:.2f} | {r['peak_mib']:.0f} MiB |")
    rows += [""]
    return "\n".join(rows)


def speed_section(repeat: int) -> str:
    result = extraction_speed.measure(extraction_speed.duc_documents(), repeat)
    return "\n".join([
        "## Extraction speed: DUC 2004 articles",
        "",
        f"{result['articles']} articles in {result['stories']} stories "
        "(`benchmarks/extraction_speed.py`, best of "
        f"{repeat}). crossbrief runs its whole pipeline (reading, cleaning, segmentation, "
        "entities, attributions, quotes, dates, opinion) one story at a time; the peer is bare "
        "spaCy `nlp.pipe` with the same pipeline on the same texts.",
        "",
        "| | articles/s | seconds |",
        "|---|---:|---:|",
        f"| bare spaCy `nlp.pipe` | {result['spacy_articles_per_second']:.1f} | "
        f"{result['spacy_seconds']:.1f} |",
        f"| crossbrief extraction | {result['crossbrief_articles_per_second']:.1f} | "
        f"{result['crossbrief_seconds']:.1f} |",
        "",
        f"crossbrief runs at **{result['ratio']:.2f}×** the speed of the bare parse "
        "(target: at least 0.8×).",
        "",
    ])


SECTIONS: dict[str, Any] = {
    "polnear": lambda args: polnear_section(),
    "duc2004": lambda args: duc_section(),
    "scu": lambda args: scu_section(),
    "checkthat": lambda args: checkthat_section(),
    "cold": lambda args: cold_section(),
    "speed": lambda args: speed_section(1 if args.quick else 3),
    "conflicts": lambda args: conflicts_section(),
    "ecb_entities": lambda args: ecb_entities.section(),
    "tempeval": lambda args: tempeval.section(),
    "stories": lambda args: stories_bench.section(),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one timing run, not three")
    parser.add_argument("--only", default="",
                        help=f"comma-separated sections to run ({', '.join(SECTIONS)}); each "
                             "replaces its part of the page and says when and where it was "
                             "measured")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.only.split(",")] if args.only else list(SECTIONS)
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        raise SystemExit(f"unknown section(s): {', '.join(unknown)}")
    command = "python benchmarks/run.py" + (" --quick" if args.quick else "")
    # Every figure first, then the page as it is by then: another script may write its own
    # section while these run (a quarter of an hour), and that is kept.
    sections = {name: SECTIONS[name](args) for name in names}
    page = args.output.read_text("utf-8") if args.output.exists() else new_page(command)
    refused: list[str] = []
    if not args.only:
        try:
            page = replace_block(page, PAGE_BLOCK, header(command))
        except PageError as exc:
            refused.append(str(exc))
    for name, text in sections.items():
        section = stamped(text, f"python benchmarks/run.py --only {name}" if args.only
                          else command)
        print(section)
        try:
            page = put_section(page, name, section)
        except PageError as exc:
            refused.append(str(exc))
    args.output.write_text(page, "utf-8")
    for reason in refused:
        print(f"{args.output.name}: {reason}", file=sys.stderr)
    return 1 if refused else 0


# What this script writes of the page lies between two marks (HTML comments, which a rendered
# page does not show), each on a line of its own: the header's date, command, machine and
# software lines (block PAGE_BLOCK), and the part of each section its function writes (block
# the section's name in SECTIONS), right under its heading. Everything else, the text people
# write around the figures and the sections other scripts write, is kept byte for byte; a
# section whose heading is on the page without the marks is not written at all (its
# hand-written text would be lost), but printed, for a person to put in. The other scripts
# that write the page do it through the same module (benchmarks/page_blocks.py).
BEGIN = begin("{}")
END = end("{}")
PAGE_BLOCK = "page"


def new_page(command: str) -> str:
    """The page where there is none yet: its title, what writes it, and the header block."""
    return "\n".join([
        "# Benchmarks",
        "",
        "Written by `python benchmarks/run.py` between the marks it leaves, and by hand and",
        "other scripts around them. Quality floors that the tests enforce are in",
        "`benchmarks/floors.json`.",
        "",
        BEGIN.format(PAGE_BLOCK),
        header(command) + END.format(PAGE_BLOCK),
        "",
    ])


def header(command: str) -> str:
    """The header block: when, by which command, on what machine and software."""
    return "\n".join([f"- date: {datetime.date.today().isoformat()}",
                      f"- command: `{command}`",
                      f"- machine: {machine()}",
                      f"- software: {versions()}",
                      ""])


def stamped(section: str, command: str) -> str:
    """A section's Markdown, its heading first, with the line that says when and where its
    figures were measured right under the heading."""
    heading, rest = (section.rstrip() + "\n").split("\n", 1)
    body = rest.strip("\n")
    return (f"{heading}\n\n*This section: {datetime.date.today().isoformat()}, `{command}`, "
            f"{machine()}; {versions()}.*\n\n{body}\n")


if __name__ == "__main__":
    sys.exit(main())
