"""The pipeline: a straight line of registered stages, and :func:`analyze`, the main entry.

A stage declares what it ``requires`` and what it ``assigns`` (names of annotations such as
``"clean_text"`` or ``"sentences"``). The runner checks the order once before running, runs
each stage, and when one fails names the stage and the article it was working on.

Two kinds of stage:

- per-article (``per_article=True``): ``func(article, settings) -> article``. An
  :class:`~crossbrief.errors.InputError` raised for one article skips that article (recorded
  on ``corpus.skipped``); any other exception stops the run, naming stage and article.
- corpus-wide: ``func(corpus, settings) -> corpus``, for work across articles or batching.

Adding a stage: write the function in its own module, register it with :func:`register_stage`,
and add its name to ``DEFAULT_STAGES`` where its requirements are met (docs/stages.md).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

import httpx

from .config import Settings, load_settings
from .errors import InputError, StageFailedError, StageOrderError
from .ingest import read_inputs
from .model import Article, Corpus

# What ingestion provides before any stage runs.
INGESTED = ("articles", "raw_text", "metadata")


@dataclass(frozen=True)
class Stage:
    name: str
    func: Callable[..., Any]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    per_article: bool
    help: str


STAGES: dict[str, Stage] = {}


def register_stage(
    name: str,
    *,
    requires: Sequence[str],
    assigns: Sequence[str],
    per_article: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator registering a stage function under ``name``."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        doc = (func.__doc__ or "").strip().splitlines()
        STAGES[name] = Stage(name, func, tuple(requires), tuple(assigns), per_article,
                             doc[0] if doc else "")
        return func

    return decorate


def check_order(stages: Sequence[Stage], provided: Iterable[str] = INGESTED) -> None:
    """Raise StageOrderError if a stage requires something no earlier stage assigns."""
    available = set(provided)
    for stage in stages:
        missing = [r for r in stage.requires if r not in available]
        if missing:
            raise StageOrderError(
                f"stage {stage.name!r} requires {', '.join(map(repr, missing))}, "
                "which no earlier stage assigns"
            )
        available.update(stage.assigns)


@contextlib.contextmanager
def on_article(stage: str, article: Article) -> Iterator[None]:
    """Turn a crash inside ``stage`` on ``article`` into an error naming both."""
    try:
        yield
    except InputError:
        raise
    except Exception as exc:
        raise StageFailedError(
            f"stage {stage!r} failed on article {article.id} ({article.input}): "
            f"{type(exc).__name__}: {exc}"
        ) from exc


def run_stages(
    corpus: Corpus,
    names: Sequence[str],
    settings: Settings,
) -> Corpus:
    """Run the named stages on ``corpus`` in order."""
    stages = [STAGES[name] for name in names]
    provided = set(INGESTED)
    for done in corpus.stages:
        if done in STAGES:
            provided.update(STAGES[done].assigns)
    check_order(stages, provided)
    for stage in stages:
        if stage.per_article:
            kept = []
            for article in corpus.articles:
                try:
                    with on_article(stage.name, article):
                        kept.append(stage.func(article, settings))
                except InputError as exc:
                    corpus.skip(exc.input or article.input, exc.detail, exc.code)
            corpus.articles = kept
        else:
            corpus = stage.func(corpus, settings)
        corpus.stages.append(stage.name)
    return corpus


# --- the built-in stages -------------------------------------------------------------------


@register_stage("clean", requires=["raw_text"], assigns=["clean_text", "removed", "title"],
                per_article=True)
def clean_stage(article: Article, settings: Settings) -> Article:
    """Remove web boilerplate; record what was removed and why."""
    from .clean import clean_article

    return clean_article(article)


@register_stage("segment", requires=["clean_text"], assigns=["paragraphs", "sentences", "doc"])
def segment_stage(corpus: Corpus, settings: Settings) -> Corpus:
    """Split each article into paragraphs and sentences (character offsets)."""
    from .nlp import load_spacy
    from .segment import segment_article

    if not corpus.articles:
        return corpus
    nlp = load_spacy(settings.spacy_model)
    try:
        docs = list(nlp.pipe([a.text for a in corpus.articles], batch_size=32))
    except Exception:  # find the article that breaks the parser, and name it
        docs = []
        for article in corpus.articles:
            with on_article("segment", article):
                docs.append(nlp(article.text))
    for article, doc in zip(corpus.articles, docs, strict=True):
        with on_article("segment", article):
            segment_article(article, doc)
    return corpus


@register_stage("entities", requires=["doc"], assigns=["mentions", "entities"])
def entities_stage(corpus: Corpus, settings: Settings) -> Corpus:
    """Find people, organisations, places, dates and numbers; merge them across articles."""
    from .extract.entities import extract_entities

    extract_entities(corpus)
    return corpus


@register_stage("sources", requires=["doc", "entities"], assigns=["attributions", "citations"])
def sources_stage(corpus: Corpus, settings: Settings) -> Corpus:
    """Find attributions (source, cue, content) and the outlets and documents cited."""
    from .extract.sources import extract_sources

    extract_sources(corpus)
    return corpus


@register_stage("quotes", requires=["doc", "entities", "attributions"], assigns=["quotes"])
def quotes_stage(corpus: Corpus, settings: Settings) -> Corpus:
    """Find direct quotations and who said them."""
    from .extract.quotes import extract_quotes

    extract_quotes(corpus)
    return corpus


@register_stage("dates", requires=["doc"], assigns=["dates"])
def dates_stage(corpus: Corpus, settings: Settings) -> Corpus:
    """Normalise date expressions to calendar dates, anchored on publication dates."""
    from .extract.dates import resolve_dates

    resolve_dates(corpus)
    return corpus


@register_stage("opinion", requires=["sentences", "quotes", "attributions"],
                assigns=["opinion"], per_article=True)
def opinion_stage(article: Article, settings: Settings) -> Article:
    """Score how much each sentence and article editorialises rather than reports."""
    from .extract.opinion import score_opinion

    return score_opinion(article)


@register_stage("align", requires=["quotes"], assigns=["near_copies", "quote_groups"])
def align_stage(corpus: Corpus, settings: Settings) -> Corpus:
    """Find near-copies among the articles and the quotes several of them carry."""
    from .align import align

    return align(corpus)


@register_stage("claims", requires=["doc", "mentions", "dates", "opinion", "near_copies"],
                assigns=["claims", "conflicts"])
def claims_stage(corpus: Corpus, settings: Settings) -> Corpus:
    """Group the clauses that state the same fact into claims; find conflicts and updates."""
    from .align import build_claims

    corpus.claims = build_claims(corpus, settings)
    return corpus


@register_stage("timeline", requires=["dates", "claims"], assigns=["timeline"])
def timeline_stage(corpus: Corpus, settings: Settings) -> Corpus:
    """Merge the dated events of all articles into one timeline."""
    from .timeline import build_timeline

    corpus.timeline = build_timeline(corpus)
    return corpus


@register_stage("summary", requires=["doc", "sentences"], assigns=["summary"])
def summary_stage(corpus: Corpus, settings: Settings) -> Corpus:
    """Pick the brief's summary sentences within the configured length."""
    from .synthesize import Budget, summarize

    corpus.summary = summarize(corpus, Budget.from_settings(settings), settings)
    return corpus


DEFAULT_STAGES: tuple[str, ...] = ("clean", "segment", "entities", "sources", "quotes", "dates",
                                   "opinion", "align", "claims", "timeline", "summary")


def analyze(
    inputs: Iterable[str],
    settings: Settings | None = None,
    *,
    client: httpx.Client | None = None,
    stdin: IO[bytes] | None = None,
    stages: Sequence[str] = DEFAULT_STAGES,
    progress: Callable[[str, int, int], None] | None = None,
) -> Corpus:
    """Read ``inputs`` and run the pipeline on them: the library's main entry point.

    Unreadable inputs never raise: they are listed on the result's ``skipped``.
    """
    settings = settings or load_settings()
    if "claims" in stages or "summary" in stages:
        from .nlp import prefetch_encoder

        prefetch_encoder(settings)
    corpus = read_inputs(inputs, settings, client=client, stdin=stdin, progress=progress)
    return run_stages(corpus, stages, settings)
