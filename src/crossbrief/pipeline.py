"""The pipeline: a straight line of registered stages, and :func:`analyze`, the main entry.

A stage declares what it ``requires`` and what it ``assigns`` (names of annotations such as
``"clean_text"`` or ``"sentences"``). The runner checks the order once before running, runs
each stage, and when one fails names the stage and the article it was working on.

Two kinds of stage:

- per-article (``per_article=True``): ``func(article, settings) -> article``.
- cross-article: ``func(brief, settings) -> brief``, for work across articles or batching
  (``brief`` a :class:`~crossbrief.model.Brief`).

One article never sinks the story. An :class:`~crossbrief.errors.InputError`, or any other
exception, raised while a stage works on one article skips that article (recorded on
``brief.skipped`` with the stage and the error, code E302 for a crash; the traceback goes to
the ``crossbrief`` logger at DEBUG level) and the rest go on. When a cross-article stage raises,
the runner finds the article that triggers it by running the stage on each article alone,
skips it and runs the stage again on the others; a failure no single article explains leaves
that stage's annotations empty and is recorded on ``brief.failures`` (the brief shows the
section as not built, with the reason), and the later stages still run.
A model that cannot be loaded or a bad setting (``STOPS_THE_RUN``) is no article's doing:
it is raised to the caller.

Before any stage runs, the articles are put in a canonical order (publication date, then
content id), so the brief does not depend on the order the inputs were given in.

A stage registered with ``story=True`` works across the articles of one story (near-copies,
claims, conflicts, timeline, summary): the articles the ``apart`` stage found not to look like
the same story (``brief.apart``) are held back while it runs, so they corroborate and
contradict nothing.

Adding a stage: write the function in its own module, register it with :func:`register_stage`,
and add its name to ``DEFAULT_STAGES`` where its requirements are met (docs/stages.md).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import MISSING, dataclass, fields, replace
from functools import partial
from typing import IO, TYPE_CHECKING, Any

import httpx

from .config import Settings, load_settings
from .errors import STOPS_THE_RUN as STOPS_THE_RUN  # re-exported: it lives in errors.py
from .errors import InputError, StageFailedError, StageOrderError
from .errors import describe_failure as describe_failure  # re-exported: it lives in errors.py
from .ingest import read_inputs
from .model import Article, Brief, Failure, Inputs, Skipped, Story, canonical_order

if TYPE_CHECKING:
    from .parsecache import ParseCache

log = logging.getLogger("crossbrief")

# What a story's brief holds before any stage runs: its articles as read (ingestion), and
# from the story (``Brief.of``) its ``rejections`` (what a person rejected in its briefs;
# empty outside the library) and an empty ``apart``: the articles as given are one story
# until the apart stage says otherwise.
INGESTED = ("articles", "raw_text", "metadata", "apart", "rejections")

# Where each annotation a stage requires or assigns lives: fields of the Article or the
# Brief. A stage reads only the fields of what it requires (tests/test_pipeline.py runs each
# built-in stage with every other annotation emptied) and writes only those of what it assigns.
ANNOTATIONS: dict[str, tuple[str, ...]] = {
    "articles": ("Brief.articles",),
    "raw_text": ("Article.text", "Article.encoding"),
    "metadata": ("Article.source", "Article.title", "Article.url", "Article.published",
                 "Article.author"),
    "apart": ("Brief.apart",),
    "rejections": ("Brief.rejections",),
    "clean_text": ("Article.text",),
    "removed": ("Article.removed",),
    "title": ("Article.title",),
    "paragraphs": ("Article.paragraphs",),
    "sentences": ("Article.sentences",),
    "doc": ("Article.doc",),
    "mentions": ("Article.mentions",),
    "entities": ("Brief.entities",),
    "attributions": ("Article.attributions",),
    "citations": ("Article.citations",),
    "quotes": ("Article.quotes",),
    "dates": ("Article.dates",),
    "opinion": ("Article.sentence_opinion", "Article.opinionated_sentences", "Article.opinion"),
    "near_copies": ("Brief.near_copies",),
    "quote_groups": ("Brief.quote_groups",),
    "claims": ("Brief.claims",),
    "conflicts": ("Brief.conflicts",),
    "timeline": ("Brief.timeline",),
    "summary": ("Brief.summary",),
}


@dataclass(frozen=True)
class Stage:
    name: str
    func: Callable[..., Any]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    per_article: bool
    help: str
    # Works across the articles of one story: runs on the articles the apart stage keeps
    # together, never on those standing apart.
    story: bool = False
    # Takes the run's parse cache, when it is given one, as the keyword argument ``parses``
    # (the segment stage: crossbrief.parsecache).
    parses: bool = False


STAGES: dict[str, Stage] = {}


def register_stage(
    name: str,
    *,
    requires: Sequence[str],
    assigns: Sequence[str],
    per_article: bool = False,
    story: bool = False,
    parses: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator registering a stage function under ``name``. ``story=True`` marks a stage
    that works across the articles of one story (it never sees an article standing apart);
    ``parses=True`` one that takes the run's parse cache (keyword ``parses``, None when the
    run has none)."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        doc = (func.__doc__ or "").strip().splitlines()
        STAGES[name] = Stage(name, func, tuple(requires), tuple(assigns), per_article,
                             doc[0] if doc else "", story, parses)
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


def run_stages(
    brief: Brief | Inputs,
    names: Sequence[str],
    settings: Settings,
    *,
    parses: ParseCache | None = None,
) -> Brief:
    """Run the named stages on ``brief`` in order, isolating failures (module docstring).
    With ``parses`` (the library's parse cache), the segment stage reads the articles it
    parsed before from it instead of parsing them again, and stores the others' parses.
    Given what reading gave (``read_inputs``), the stages run on its articles as one story
    (as :func:`run_story` on a :class:`~crossbrief.model.Story` of them), its skipped
    inputs listed in the brief."""
    if isinstance(brief, Inputs):
        brief = Brief.of(Story(brief.articles), skipped=brief.skipped)
    stages = [replace(STAGES[name], func=partial(STAGES[name].func, parses=parses))
              if STAGES[name].parses and parses is not None else STAGES[name]
              for name in names]
    provided = set(INGESTED)
    for done in brief.stages:
        if done in STAGES:
            provided.update(STAGES[done].assigns)
    check_order(stages, provided)
    brief.articles = canonical_order(brief.articles)
    for stage in stages:
        if stage.per_article:
            kept = []
            for article in brief.articles:
                try:
                    kept.append(stage.func(article, settings))
                except STOPS_THE_RUN:
                    raise
                except Exception as exc:
                    _skip_article(brief, stage.name, article, exc)
            brief.articles = kept
        elif stage.story and brief.apart:
            brief = _run_story_stage(stage, brief, settings)
        else:
            brief = _run_brief_stage(stage, brief, settings)
        brief.stages.append(stage.name)
    brief.skipped.sort(key=lambda s: (s.input, s.code, s.reason))
    return brief


def _skip_article(brief: Brief, stage: str, article: Article, exc: Exception) -> None:
    """Record ``article`` as skipped because ``stage`` raised ``exc`` on it."""
    if isinstance(exc, InputError):
        brief.skip(exc.input or article.input, exc.detail, exc.code)
        return
    log.debug("stage %r failed on article %s (%s)", stage, article.id, article.input,
              exc_info=exc)
    brief.skip(article.input, f"stage {stage!r} failed on this article: {describe_failure(exc)}",
                StageFailedError.code)


def _run_brief_stage(stage: Stage, brief: Brief, settings: Settings) -> Brief:
    """Run a cross-article stage; when it raises, skip the articles that make it fail alone and
    run it again on the rest; a failure no single article explains is recorded on
    ``brief.failures`` with the stage's annotations left empty."""
    try:
        return stage.func(brief, settings)  # type: ignore[no-any-return]
    except STOPS_THE_RUN:
        raise
    except Exception as exc:
        first = exc
    culprits: list[tuple[Article, Exception]] = []
    if len(brief.articles) > 1:
        for article in brief.articles:
            try:
                stage.func(_alone(brief, article), settings)
            except STOPS_THE_RUN:
                raise
            except Exception as alone_exc:
                culprits.append((article, alone_exc))
    if len(culprits) == len(brief.articles):  # not one article's doing: the stage's own
        culprits = []
    if culprits:
        bad = {id(article) for article, _ in culprits}
        for article, error in culprits:
            _skip_article(brief, stage.name, article, error)
        brief.articles = [a for a in brief.articles if id(a) not in bad]
        try:
            return stage.func(brief, settings)  # type: ignore[no-any-return]
        except STOPS_THE_RUN:
            raise
        except Exception as exc:
            first = exc
    elif len(brief.articles) == 1:
        _skip_article(brief, stage.name, brief.articles[0], first)
        brief.articles = []
        _reset(stage, brief)
        return brief
    log.debug("stage %r failed on the story", stage.name, exc_info=first)
    _reset(stage, brief)
    brief.failures.append(Failure(stage.name, f"stage {stage.name!r} failed: "
                                               f"{describe_failure(first)}", StageFailedError.code))
    return brief


def _run_story_stage(stage: Stage, brief: Brief, settings: Settings) -> Brief:
    """Run a story-wide stage on the story's articles alone: those standing apart are held
    back while it runs, so that nothing it builds across articles involves them."""
    apart = brief.standing_apart()
    held = [a for a in brief.articles if a.id in apart]
    brief.articles = [a for a in brief.articles if a.id not in apart]
    try:
        brief = _run_brief_stage(stage, brief, settings)
    finally:
        brief.articles = canonical_order([*brief.articles, *held])
    return brief


def _alone(brief: Brief, article: Article) -> Brief:
    """A brief of ``article`` alone that keeps what earlier stages built across the story
    (the merged entities, say), in lists of its own, so that nothing done to it reaches
    ``brief``."""
    copy = replace(brief, articles=[article], skipped=[], failures=[])
    for f in fields(copy):
        value = getattr(copy, f.name)
        if isinstance(value, list) and f.name not in ("articles", "skipped", "failures"):
            setattr(copy, f.name, list(value))
    return copy


def _reset(stage: Stage, brief: Brief) -> None:
    """Empty what ``stage`` assigns, on the brief and on every article, so that a stage
    that failed halfway leaves nothing half-built behind."""
    assigned = {place.replace("Corpus.", "Brief.")  # the Brief's former name, as plugins
                for name in stage.assigns           # may still write it
                for place in ANNOTATIONS.get(name, (f"Article.{name}", f"Brief.{name}"))}
    targets: list[Brief | Article] = [brief, *brief.articles]
    for target in targets:
        owner = type(target).__name__
        for f in fields(target):
            if f"{owner}.{f.name}" not in assigned or f.name in ("articles", "text"):
                continue
            if f.default_factory is not MISSING:
                setattr(target, f.name, f.default_factory())
            elif f.default is not MISSING:
                setattr(target, f.name, f.default)


# --- the built-in stages -------------------------------------------------------------------
# Each declares every annotation its code reads (``requires``) and writes (``assigns``);
# docs/stages.md has the table, and tests/test_pipeline.py holds each stage to it.


@register_stage("clean", requires=["raw_text", "metadata"],
                assigns=["clean_text", "removed", "title", "metadata"], per_article=True)
def clean_stage(article: Article, settings: Settings) -> Article:
    """Remove web boilerplate; record what was removed and why."""
    from .clean import clean_article

    return clean_article(article)


@register_stage("apart", requires=["clean_text", "title", "metadata"], assigns=["apart"])
def apart_stage(brief: Brief, settings: Settings) -> Brief:
    """Find the articles that do not look like the same story as the others."""
    from .apart import find_apart

    brief.apart = find_apart(brief.articles)
    return brief


@register_stage("segment", requires=["clean_text"], assigns=["paragraphs", "sentences", "doc"],
                parses=True)
def segment_stage(brief: Brief, settings: Settings,
                  parses: ParseCache | None = None) -> Brief:
    """Split each article into paragraphs and sentences (character offsets)."""
    from .nlp import load_spacy
    from .segment import parse_texts, segment_article

    if not brief.articles:
        return brief
    nlp = load_spacy(settings.spacy_model)
    if parses is None:
        docs = parse_texts(nlp, [a.text for a in brief.articles], batch_size=32)
    else:  # the same Docs, those parsed in an earlier run read back (parsecache)
        from .parsecache import parse_articles

        docs = iter(parse_articles(nlp, settings.spacy_model,
                                   [(a.id, a.text) for a in brief.articles], parses,
                                   batch_size=32))
    for article, doc in zip(brief.articles, docs, strict=True):
        segment_article(article, doc)
    return brief


@register_stage("entities", requires=["clean_text", "sentences", "doc"],
                assigns=["mentions", "entities"])
def entities_stage(brief: Brief, settings: Settings) -> Brief:
    """Find people, organisations, places, dates and numbers; merge them across articles."""
    from .extract.entities import extract_entities
    from .nlp import load_spacy

    extract_entities(brief, load_spacy(settings.spacy_model) if brief.articles else None)
    return brief


@register_stage("sources", requires=["clean_text", "metadata", "sentences", "doc", "mentions",
                                     "entities"],
                assigns=["attributions", "citations"])
def sources_stage(brief: Brief, settings: Settings) -> Brief:
    """Find attributions (source, cue, content) and the outlets and documents cited."""
    from .extract.sources import extract_sources

    extract_sources(brief)
    return brief


@register_stage("quotes", requires=["clean_text", "sentences", "doc", "mentions", "entities",
                                    "attributions"], assigns=["quotes"])
def quotes_stage(brief: Brief, settings: Settings) -> Brief:
    """Find direct quotations and who said them."""
    from .extract.quotes import extract_quotes

    extract_quotes(brief)
    return brief


@register_stage("dates", requires=["clean_text", "doc", "metadata", "apart"], assigns=["dates"])
def dates_stage(brief: Brief, settings: Settings) -> Brief:
    """Normalise date expressions to calendar dates, anchored on publication dates (an
    undated article on the latest date its own story gives)."""
    from .extract.dates import resolve_dates

    for story in brief.stories():
        resolve_dates(replace(brief, articles=story))
    return brief


@register_stage("opinion", requires=["clean_text", "sentences", "doc", "quotes", "attributions"],
                assigns=["opinion"], per_article=True)
def opinion_stage(article: Article, settings: Settings) -> Article:
    """Score how much each sentence and article editorialises rather than reports."""
    from .extract.opinion import score_opinion

    return score_opinion(article, settings)


@register_stage("align", requires=["clean_text", "metadata", "quotes"],
                assigns=["near_copies", "quote_groups"], story=True)
def align_stage(brief: Brief, settings: Settings) -> Brief:
    """Find near-copies among the articles and the quotes several of them carry."""
    from .align import align

    return align(brief)


@register_stage("claims", requires=["clean_text", "sentences", "doc", "mentions", "entities",
                                    "dates", "quotes", "opinion", "near_copies", "rejections"],
                assigns=["claims"], story=True)
def claims_stage(brief: Brief, settings: Settings) -> Brief:
    """Group the clauses that state the same fact into claims."""
    from .align import build_claims

    brief.claims = build_claims(brief, settings)
    return brief


@register_stage("conflicts", requires=["clean_text", "metadata", "sentences", "doc", "mentions",
                                       "dates", "near_copies", "rejections"],
                assigns=["conflicts"], story=True)
def conflicts_stage(brief: Brief, settings: Settings) -> Brief:
    """Find the specifics articles disagree on, and later reports that update earlier ones."""
    from .conflicts import detect_conflicts

    brief.conflicts = detect_conflicts(brief, settings)
    return brief


@register_stage("timeline", requires=["clean_text", "sentences", "doc", "dates", "claims",
                                      "conflicts"], assigns=["timeline"], story=True)
def timeline_stage(brief: Brief, settings: Settings) -> Brief:
    """Merge the dated events of all articles into one timeline."""
    from .timeline import build_timeline

    brief.timeline = build_timeline(brief)
    return brief


@register_stage("summary", requires=["clean_text", "sentences", "doc", "quotes", "near_copies",
                                     "claims"], assigns=["summary"], story=True)
def summary_stage(brief: Brief, settings: Settings) -> Brief:
    """Pick the brief's summary sentences within the configured length."""
    from .synthesize import Budget, summarize

    brief.summary = summarize(brief, Budget.from_settings(settings), settings)
    return brief


# ``apart`` (the check on hand-made groups) sets apart no article of the DUC 2004 development
# clusters and 2.9 % of the articles of the GVA dev stream's gold stories (benchmarks/apart.py,
# docs/stages.md): rare enough to run on every brief.
DEFAULT_STAGES: tuple[str, ...] = ("clean", "apart", "segment", "entities", "sources", "quotes",
                                   "dates", "opinion", "align", "claims", "conflicts",
                                   "timeline", "summary")
# The stages of a story the story clustering made (``crossbrief stories --brief``, the
# library's automatic stories): ``apart`` checks groups a person put together, and asking
# the engine again, on the group alone, would second-guess its own grouping (or a person's
# move and merge) with less evidence than it grouped them with.
GROUPED_STAGES: tuple[str, ...] = tuple(name for name in DEFAULT_STAGES if name != "apart")


def run_story(story: Story, settings: Settings, *,
              done: Sequence[str] = ("ingest",),
              stages: Sequence[str] = DEFAULT_STAGES,
              skipped: Iterable[Skipped] = (),
              parses: ParseCache | None = None) -> Brief:
    """The brief of one story: the ``stages`` not in ``done`` (what its articles already went
    through) run on its articles, in place, respecting what a person rejected in its briefs
    (``story.rejections``), reading and keeping the articles' parses in ``parses`` when given
    (the library's). ``skipped``: the inputs already skipped on the way (listed in the brief).
    What ``analyze``, ``crossbrief stories --brief``, the library and the cluster's tasks
    each run per story."""
    brief = Brief.of(story, skipped=skipped, stages=done)
    return run_stages(brief, [name for name in stages if name not in done], settings,
                      parses=parses)


def analyze(
    inputs: Iterable[str],
    settings: Settings | None = None,
    *,
    client: httpx.Client | None = None,
    stdin: IO[bytes] | None = None,
    stages: Sequence[str] = DEFAULT_STAGES,
    progress: Callable[[str, int, int], None] | None = None,
) -> Brief:
    """Read ``inputs`` and brief them as one story: the library's main entry point.

    Unreadable inputs never raise: they are listed on the brief's ``skipped``.
    """
    settings = settings or load_settings()
    found = read_inputs(inputs, settings, client=client, stdin=stdin, progress=progress)
    from .nlp import encoder_loading

    # The encoder loads while the articles are parsed (nlp.prefetch_encoder); not before
    # reading, so that a run whose inputs were all skipped exits at once.
    with encoder_loading(settings, wanted=bool(found.articles) and bool(
            {"claims", "conflicts", "summary"} & set(stages))):
        return run_story(Story(found.articles), settings, stages=stages,
                         skipped=found.skipped)
