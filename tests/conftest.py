"""Shared fixtures. Tests that need ../shared (the seed corpus and labelled data) read it in
place and are skipped, with the reason, only where it is absent (a user's clone)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, settings

import crossbrief
from crossbrief.model import Brief

# Property tests check what is computed, never how fast: Hypothesis's default 200 ms deadline
# per example fails them at random on a loaded two-core CI machine (seen under ``-n 2``).
settings.register_profile("crossbrief", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("crossbrief")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "corpus" / "xi-putin-moscow-2023"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"


def need_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared corpus and labelled data sit beside the "
                    "repository in CI and development checkouts, not in a user's clone")
    return path


def benchmark(name: str) -> ModuleType:
    """``benchmarks/<name>.py`` imported as a module (the scripts are not a package)."""
    return script(ROOT / "benchmarks" / f"{name}.py", f"benchmark_{name}")


def script(path: Path, name: str) -> ModuleType:
    """The script at ``path`` (in ``benchmarks/`` or ``scripts/``) imported as module
    ``name``, run afresh at each call."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    return need_shared(SEED)


@pytest.fixture(scope="session")
def seed_corpus(seed_dir: Path) -> Brief:
    """The five seed articles, cleaned and segmented (parsed once per test session)."""
    return crossbrief.analyze([str(seed_dir)], stages=("clean", "segment"))


@pytest.fixture(scope="session")
def seed_corpus_extracted(seed_dir: Path) -> Brief:
    """The five seed articles through the whole default pipeline (once per test session)."""
    return crossbrief.analyze([str(seed_dir)])


def story_of(*texts: str, stages: tuple[str, ...] = ("clean", "segment", "entities"),
             published: tuple[str | None, ...] = ()) -> Brief:
    """A small story written in a test: article ``a<n>`` from ``outlet<n>`` for each text
    (published on the matching day, if given), run through ``stages``."""
    from crossbrief.model import Article
    from crossbrief.pipeline import run_stages

    corpus = Brief(articles=[
        Article(id=f"a{n}", source=f"outlet{n}", text=text, input=f"a{n}.txt",
                published=published[n] if n < len(published) else None)
        for n, text in enumerate(texts)])
    return run_stages(corpus, stages, crossbrief.load_settings())


def seed_article(corpus: Brief, prefix: str) -> crossbrief.Article:
    """The seed article whose file name starts with ``prefix`` ("000" … "004")."""
    for article in corpus.articles:
        if Path(article.input).name.startswith(prefix):
            return article
    raise KeyError(prefix)
