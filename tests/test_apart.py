"""The check on hand-made groups (the ``apart`` stage): articles handed over as one story that
do not look like it are named, in a warning and in the brief, and take no part in what is
built across the story. Behaviour tests on the seed articles and the bundled example (never
tuned on: the clustering engine is fitted on the shared GVA stream, docs/stories.md)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

import crossbrief
from crossbrief.cli import example_path
from crossbrief.model import Article, Brief
from crossbrief.render import render

EXAMPLE = example_path()


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def _seed_names(seed_dir: Path) -> set[str]:
    return {p.name for p in seed_dir.iterdir()}


@pytest.fixture(scope="module")
def mixed_run(seed_dir: Path) -> tuple[dict[str, Any], list[str]]:
    """The seed articles (one story) and the bundled example (another) handed over as one,
    with the engine's verdict fixed to the seed articles (the engine's own verdict on this
    mix is tested apart, below): the brief, and the warnings logged."""
    import crossbrief.stories

    seeds = _seed_names(seed_dir)
    warnings = _Warnings()
    logger = logging.getLogger("crossbrief")
    logger.addHandler(warnings)
    try:
        with pytest.MonkeyPatch.context() as patch:
            # As the engine: the seed articles stand apart from the rest, and among
            # themselves are one story.
            patch.setattr(crossbrief.stories, "stand_apart", lambda articles: sorted(
                a.id for a in articles if Path(a.input).name in seeds)
                if any(Path(a.input).name not in seeds for a in articles) else [])
            corpus = crossbrief.analyze([str(seed_dir), str(EXAMPLE)])
    finally:
        logger.removeHandler(warnings)
    return corpus.to_dict(), warnings.lines


@pytest.fixture(scope="module")
def mixed(mixed_run: tuple[dict[str, Any], list[str]]) -> dict[str, Any]:
    return mixed_run[0]


def groups(brief: dict[str, Any], seed_dir: Path) -> tuple[set[str], set[str]]:
    """(the seed articles' ids, the example's)."""
    names = _seed_names(seed_dir)
    seeds = {a["id"] for a in brief["articles"] if Path(a["input"]).name in names}
    return seeds, {a["id"] for a in brief["articles"]} - seeds


def test_the_engine_sets_the_smaller_story_apart(seed_dir: Path) -> None:
    """The engine's own verdict on the mix: the five seed articles stand apart from the six
    of the example, and each reason says so."""
    corpus = crossbrief.analyze([str(seed_dir), str(EXAMPLE)], stages=("clean", "apart"))
    seeds, example = groups(corpus.to_dict(), seed_dir)
    assert len(seeds) == 5 and len(example) == 6
    assert {a.article for a in corpus.apart} == seeds
    for item in corpus.apart:  # and they read as one story among themselves
        assert item.reason == ("does not look like the same story as the other 6 articles; "
                               "it reads as one story with 4 other articles set apart")
        assert set(item.story) == seeds


def test_the_command_names_them_on_stderr(seed_dir: Path) -> None:
    """The installed command, as a user runs it: the warnings on stderr, the report on
    stdout, exit code 0 (a group set apart is no failure)."""
    from .test_stdout import crossbrief as command

    result = command("analyze", str(seed_dir), str(EXAMPLE), "-f", "md")
    assert result.returncode == 0, result.stderr.decode()
    stderr, stdout = result.stderr.decode(), result.stdout.decode()
    for name in sorted(_seed_names(seed_dir)):
        assert f"set apart {Path(seed_dir, name)}:" in stderr or f"set apart {name}:" in stderr
        assert name in stdout.split("## Set apart: not the same story")[1].split("\n## ")[0]
    assert "set apart" not in stdout.split("## Set apart")[0]


def test_one_story_sets_nothing_apart(seed_dir: Path) -> None:
    for story, count in ((seed_dir, 5), (EXAMPLE, 6)):
        corpus = crossbrief.analyze([str(story)], stages=("clean", "apart"))
        assert len(corpus.articles) == count and corpus.apart == [], story


def test_the_brief_lists_each_article_set_apart(mixed: dict[str, Any], seed_dir: Path) -> None:
    seeds, _ = groups(mixed, seed_dir)
    assert {a["article"] for a in mixed["apart"]} == seeds
    for item in mixed["apart"]:
        assert "does not look like the same story as the other 6 articles" in item["reason"]
        assert item["article"] in item["story"]


def test_a_warning_names_each_article_set_apart(
        mixed_run: tuple[dict[str, Any], list[str]], seed_dir: Path) -> None:
    """On the ``crossbrief`` logger, which the command line shows on stderr."""
    brief, warnings = mixed_run
    seeds, _ = groups(brief, seed_dir)
    for article in brief["articles"]:
        named = any(w.startswith(f"set apart {article['input']}:") for w in warnings)
        assert named == (article["id"] in seeds), warnings


def test_nothing_links_the_two_stories(mixed: dict[str, Any], seed_dir: Path) -> None:
    """No claim, conflict, update, timeline entry, summary sentence, near-copy group or
    carried quote joins articles of the two stories: the set-apart articles are in none."""
    seeds, example = groups(mixed, seed_dir)
    linked: list[set[str]] = [
        *({s["article"] for s in c["support"]} for c in mixed["claims"]),
        *({s["article"] for s in c["sides"]} for c in mixed["conflicts"] + mixed["updates"]),
        *(set(t["articles"]) for t in mixed["timeline"]),
        *({s["article"], *s["sources"]} for s in mixed["summary"]),
        *(set(g) for g in mixed["near_copies"]),
        *({r["article"] for r in g["refs"]} for g in mixed["quote_groups"]),
    ]
    assert linked and all(ids <= example for ids in linked)
    assert all(a["omissions"] == [] and a["single_source"] == []
               for a in mixed["articles"] if a["id"] in seeds)
    # ... while the articles set apart keep their own analysis.
    kept = [a for a in mixed["articles"] if a["id"] in seeds]
    assert all(a["sentences"] and a["dates"] and a["mentions"] for a in kept)
    assert sum(len(a["quotes"]) for a in kept) > 0


def test_dates_are_anchored_on_their_own_story(mixed: dict[str, Any],
                                               seed_corpus_extracted: Brief,
                                               seed_dir: Path) -> None:
    """An undated seed article's "this afternoon" is dated as in the seed story alone, not
    from the bridge collapse's dates (2025)."""
    alone = {a.id: a for a in seed_corpus_extracted.articles}
    seeds, _ = groups(mixed, seed_dir)
    afternoons = 0
    for article in (a for a in mixed["articles"] if a["id"] in seeds):
        own = alone[article["id"]]
        for date in article["dates"]:
            assert not (date["value"] or "").startswith("2025"), date
            if date["text"].lower() == "this afternoon":
                afternoons += 1
                [same] = [d for d in own.dates if d.start == date["start"]]
                assert date["value"] == same.value and date["value"].startswith("2023")
    assert afternoons


def test_each_report_shows_the_articles_set_apart(mixed: dict[str, Any]) -> None:
    corpus = Brief.from_dict(mixed)
    assert corpus.apart and Brief.from_dict(corpus.to_dict()).apart == corpus.apart
    inputs = [corpus.article(a.article).input for a in corpus.apart]
    for fmt in ("md", "term", "html"):
        text = render(corpus, fmt)
        assert "Set apart" in text and "not the same story" in text, fmt
        assert all(Path(i).name in text for i in inputs), fmt


def test_story_stages_never_see_an_article_standing_apart(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the engine flags, the runner holds it back from the story-wide stages (and
    puts it back after them, in canonical order)."""
    import crossbrief.stories
    from crossbrief.pipeline import STAGES, run_stages

    monkeypatch.setattr(crossbrief.stories, "stand_apart",
                        lambda articles: sorted(a.id for a in articles if "goat" in a.text))
    seen: dict[str, list[str]] = {}
    for name in ("align", "claims", "conflicts", "timeline", "summary"):
        stage = STAGES[name]
        monkeypatch.setitem(STAGES, name, stage.__class__(
            name, lambda corpus, settings, n=name: (seen.setdefault(n, [
                a.id for a in corpus.articles]), corpus)[1],
            (), stage.assigns, stage.per_article, stage.help, stage.story))
    corpus = Brief(articles=[
        Article(id=f"a{n}", source=f"outlet{n}", text=text, input=f"a{n}.txt")
        for n, text in enumerate(["The council voted to close the bridge on Monday.",
                                  "A goat won the county fair on Sunday.",
                                  "Council members voted on Monday to close the bridge."])])
    corpus = run_stages(corpus, ("clean", "apart", "align", "claims", "conflicts", "timeline",
                                 "summary"), crossbrief.load_settings())
    assert [a.article for a in corpus.apart] == ["a1"]
    assert seen and all(ids == ["a0", "a2"] for ids in seen.values())
    assert [a.id for a in corpus.articles] == ["a0", "a1", "a2"]
