from __future__ import annotations

import ast
import copy
import logging
import re
from collections.abc import Iterable
from pathlib import Path

import pytest

import crossbrief
from crossbrief.errors import NoTextError, StageFailedError, StageOrderError
from crossbrief.ingest import read_inputs
from crossbrief.model import Article, Brief, Claim, Story
from crossbrief.pipeline import (
    ANNOTATIONS,
    DEFAULT_STAGES,
    STAGES,
    Stage,
    check_order,
    register_stage,
    run_stages,
)


def corpus_of(*texts: str) -> Brief:
    return Brief(
        articles=[Article(id=f"id{i}", source="s", text=t, input=f"in{i}.txt")
                  for i, t in enumerate(texts)],
        stages=["ingest"],
    )


@pytest.fixture
def temporary_stages():  # type: ignore[no-untyped-def]
    before = dict(STAGES)
    yield
    STAGES.clear()
    STAGES.update(before)


def test_order_is_checked_before_running() -> None:
    with pytest.raises(StageOrderError, match=r"\[E301\] stage 'segment' requires 'clean_text'"):
        check_order([STAGES["segment"], STAGES["clean"]])
    check_order([STAGES["clean"], STAGES["segment"]])


def test_crash_on_one_article_skips_only_that_article(temporary_stages: None) -> None:
    @register_stage("explode", requires=["raw_text"], assigns=["nothing"], per_article=True)
    def explode(article: Article, settings: object) -> Article:
        if article.id == "id1":
            raise ZeroDivisionError("boom")
        return article

    corpus = run_stages(corpus_of("fine", "bad", "also fine"), ["explode"],
                        crossbrief.load_settings())
    assert [a.id for a in corpus.articles] == ["id0", "id2"]
    [skipped] = corpus.skipped
    assert skipped.input == "in1.txt" and skipped.code == StageFailedError.code == "E302"
    assert skipped.reason.startswith(
        "stage 'explode' failed on this article: ZeroDivisionError: boom (at test_pipeline.py:")
    assert corpus.failures == [] and corpus.stages == ["ingest", "explode"]


def test_corpus_stage_crash_is_traced_to_the_article(temporary_stages: None) -> None:
    @register_stage("fragile", requires=["raw_text"], assigns=["entities"])
    def fragile(corpus: Brief, settings: object) -> Brief:
        for article in corpus.articles:
            if "bad" in article.text:
                raise ValueError("min() arg is an empty sequence")
        corpus.entities = []
        for article in corpus.articles:
            article.title = f"seen with {len(corpus.articles)}"
        return corpus

    corpus = run_stages(corpus_of("fine", "bad", "also fine"), ["fragile"],
                        crossbrief.load_settings())
    assert [a.id for a in corpus.articles] == ["id0", "id2"]
    assert [a.title for a in corpus.articles] == ["seen with 2", "seen with 2"]
    [skipped] = corpus.skipped
    assert (skipped.input, skipped.code) == ("in1.txt", "E302")
    assert "stage 'fragile' failed on this article: ValueError: min() arg" in skipped.reason
    assert corpus.failures == []


def test_story_wide_failure_empties_only_its_section(temporary_stages: None) -> None:
    @register_stage("fill", requires=["raw_text"], assigns=["claims"])
    def fill(corpus: Brief, settings: object) -> Brief:
        corpus.claims = [Claim("c1", "half built", "single", [], 1, [])]
        if len(corpus.articles) > 1:
            raise RuntimeError("needs a story of one")
        return corpus

    @register_stage("after", requires=["claims"], assigns=["near_copies"])
    def after(corpus: Brief, settings: object) -> Brief:
        corpus.near_copies = [["ran"]]
        return corpus

    corpus = run_stages(corpus_of("one", "two"), ["fill", "after"], crossbrief.load_settings())
    assert [a.id for a in corpus.articles] == ["id0", "id1"] and corpus.skipped == []
    assert corpus.claims == [] and corpus.near_copies == [["ran"]]
    [failure] = corpus.failures
    assert failure.stage == "fill" and failure.code == "E302"
    assert "RuntimeError: needs a story of one" in failure.reason
    assert Brief.from_dict(corpus.to_dict()).failures == corpus.failures


def test_stage_failing_on_every_article_blames_none(temporary_stages: None) -> None:
    @register_stage("broken", requires=["raw_text"], assigns=["entities"])
    def broken(corpus: Brief, settings: object) -> Brief:
        raise OSError("model file missing")

    corpus = run_stages(corpus_of("one", "two", "three"), ["broken"],
                        crossbrief.load_settings())
    assert len(corpus.articles) == 3 and corpus.skipped == []
    assert [f.stage for f in corpus.failures] == ["broken"]


def test_crash_traceback_goes_to_the_log(temporary_stages: None,
                                         caplog: pytest.LogCaptureFixture) -> None:
    @register_stage("explode", requires=["raw_text"], assigns=["nothing"], per_article=True)
    def explode(article: Article, settings: object) -> Article:
        raise KeyError("deep")

    with caplog.at_level(logging.DEBUG, logger="crossbrief"):
        corpus = run_stages(corpus_of("x"), ["explode"], crossbrief.load_settings())
    assert corpus.articles == [] and corpus.skipped[0].code == "E302"
    assert "Traceback" in caplog.text and "KeyError: 'deep'" in caplog.text


def test_input_problem_in_a_stage_skips_only_that_article() -> None:
    corpus = run_stages(corpus_of("Share this article\nAdvertisement",
                                  "A real sentence of news."),
                        ["clean"], crossbrief.load_settings())
    assert [a.id for a in corpus.articles] == ["id1"]
    assert [(s.input, s.code) for s in corpus.skipped] == [("in0.txt", NoTextError.code)]
    assert corpus.stages == ["ingest", "clean"]


def test_default_pipeline_on_nothing() -> None:
    corpus = crossbrief.analyze([])
    assert corpus.articles == [] and corpus.skipped == []


# --- the run's containers: Inputs (what reading gave), Story (what is briefed), Brief ------

def test_analyze_is_reading_then_briefing_one_story(tmp_path: Path) -> None:
    """``analyze`` is ``read_inputs`` then ``run_story`` on a ``Story`` of what was read:
    the same brief, with the unreadable inputs listed; the inputs' order changes nothing."""
    (tmp_path / "one.txt").write_text("The council voted on Monday to close the bridge.",
                                      "utf-8")
    (tmp_path / "two.txt").write_text("The bridge will close, the council decided Monday.",
                                      "utf-8")
    inputs = [str(tmp_path / "two.txt"), str(tmp_path / "missing.txt"),
              str(tmp_path / "one.txt")]
    settings = crossbrief.load_settings()
    stages = ("clean", "segment", "entities")
    found = crossbrief.read_inputs(inputs, settings)
    assert isinstance(found, crossbrief.Inputs)
    assert [s.input for s in found.skipped] == ["missing.txt"]
    story = Story(found.articles)
    by_hand = crossbrief.run_story(story, settings, stages=stages, skipped=found.skipped)
    whole = crossbrief.analyze(inputs, settings, stages=stages)
    again = crossbrief.analyze(list(reversed(inputs)), settings, stages=stages)
    assert isinstance(whole, Brief)
    assert by_hand.to_dict() == whole.to_dict() == again.to_dict()
    assert [s.input for s in whole.skipped] == ["missing.txt"]
    # The story's id is its articles', whatever their order.
    assert Story(list(reversed(found.articles))).id == story.id
    assert story.id != Story(found.articles[:1]).id


def test_a_story_brings_its_rejections_to_the_brief() -> None:
    from crossbrief.model import Rejection, Span

    articles = [Article(id="a", source="x", text="The mayor spoke on Monday.", input="a"),
                Article(id="b", source="y", text="The mayor spoke on Tuesday.", input="b")]
    rejection = Rejection.make("conflict", [Span("a", 20, 26), Span("b", 20, 27)])
    brief = crossbrief.run_story(Story(articles, id="s1", rejections=[rejection]),
                                 crossbrief.load_settings(), stages=())
    assert brief.rejections == [rejection] and brief.stages == ["ingest"]
    assert [a.id for a in brief.articles] == ["a", "b"]
    # The brief does not depend on the story's id: the library stores one brief for the
    # same articles whatever the story is called.
    other = crossbrief.run_story(Story(articles, id="s2", rejections=[rejection]),
                                 crossbrief.load_settings(), stages=())
    assert other.to_dict() == brief.to_dict()


def test_corpus_is_the_former_name_of_brief(temporary_stages: None) -> None:
    """Code written against the former names goes on working: ``Corpus``, stages run on
    what ``read_inputs`` gives, and a plugin's annotation placed on ``Corpus.``, emptied
    when its stage fails."""
    assert crossbrief.Corpus is Brief
    brief = run_stages(crossbrief.Inputs(corpus_of("one", "two").articles,
                                         [crossbrief.Skipped("gone.txt", "missing")]),
                       [], crossbrief.load_settings())
    assert isinstance(brief, Brief) and [s.input for s in brief.skipped] == ["gone.txt"]

    @register_stage("half", requires=["articles"], assigns=["halfway"])
    def half(corpus: Brief, settings: object) -> Brief:
        corpus.near_copies = [["built", "then"]]
        raise RuntimeError("failed halfway")

    ANNOTATIONS["halfway"] = ("Corpus.near_copies",)
    try:
        brief = run_stages(corpus_of("x", "y"), ["half"], crossbrief.load_settings())
    finally:
        del ANNOTATIONS["halfway"]
    assert brief.near_copies == [] and brief.failures


def test_a_story_is_made_once_from_what_it_is_given() -> None:
    from crossbrief.model import LazyArticles

    articles = corpus_of("one", "two").articles
    story = Story(a for a in articles)  # type: ignore[arg-type]
    assert [a.id for a in story.articles] == ["id0", "id1"]
    assert story.id == Story(articles).id
    with pytest.raises(ValueError, match="needs its id"):
        Story(LazyArticles(lambda keys: articles, [0, 1]))
    lazy = Story(LazyArticles(lambda keys: articles, [0, 1]), id="s")
    assert len(lazy.articles) == 2


# --- the stage contract: each built-in stage reads only what it requires and writes only what
# it assigns (docs/stages.md) -------------------------------------------------------------------

EXAMPLE = Path(crossbrief.__file__).parent / "examples" / "maravel-bridge"
# Every article's identity, which every stage may read: ``articles`` is ingestion's.
IDENTITY = ("Brief.articles", "Article.id", "Article.input")


def _places(names: Iterable[str]) -> set[str]:
    return {place for name in names for place in ANNOTATIONS[name]}


def _copy(corpus: Brief) -> Brief:
    """A deep copy sharing the parsed Docs (no stage changes a Doc; copying one is slow)."""
    return copy.deepcopy(corpus, {id(a.doc): a.doc for a in corpus.articles})


def _value(target: object, field: str) -> object:
    value = getattr(target, field)
    if field == "doc" and value is not None:  # the parse, token by token
        return [(t.idx, t.text, t.tag_, t.dep_, t.head.i, t.is_sent_start) for t in value]
    return value


def _state(corpus: Brief, places: set[str]) -> dict[str, object]:
    state: dict[str, object] = {"skipped": corpus.skipped, "failures": corpus.failures,
                                "articles": [a.id for a in corpus.articles]}
    for place in sorted(places):
        owner, field = place.split(".")
        if owner == "Brief":
            state[place] = _value(corpus, field)
        else:
            state[place] = {a.id: _value(a, field) for a in corpus.articles}
    return state


def _poison(corpus: Brief, allowed: set[str]) -> Brief:
    """``corpus`` with every annotation outside ``allowed`` emptied, and the text, where it
    is not allowed, replaced by as many x's (so that offsets still fit)."""
    for place in sorted(_places(ANNOTATIONS) - allowed - set(IDENTITY)):
        owner, field = place.split(".")
        for target in ([corpus] if owner == "Brief" else corpus.articles):
            value = getattr(target, field)
            if field == "text":
                setattr(target, field, re.sub(r"\w", "x", value))
            elif field == "source":
                setattr(target, field, "")
            else:
                setattr(target, field, [] if isinstance(value, list) else None)
    return corpus


def _run(stage: Stage, corpus: Brief) -> Brief:
    """The stage's own function on ``corpus`` (not the runner, which orders the articles by
    their metadata and catches what a stage raises)."""
    settings = crossbrief.load_settings()
    if stage.per_article:
        corpus.articles = [stage.func(a, settings) for a in corpus.articles]
        return corpus
    return stage.func(corpus, settings)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def before_each_stage() -> dict[str, Brief]:
    """The bundled example as each default stage finds it."""
    settings = crossbrief.load_settings()
    corpus = Brief.of(Story(read_inputs([str(EXAMPLE)], settings).articles))
    states = {}
    for name in DEFAULT_STAGES:
        states[name] = _copy(corpus)
        corpus = run_stages(corpus, [name], settings)
        # Whatever the engine makes of the example, the later stages here see all of it:
        # this is about what each stage reads and writes, not about the check.
        corpus.apart = []
    assert corpus.claims and corpus.conflicts and corpus.timeline and corpus.summary
    return states


@pytest.mark.parametrize("name", DEFAULT_STAGES)
def test_stage_reads_only_what_it_requires(name: str,
                                           before_each_stage: dict[str, Brief]) -> None:
    """Emptying everything a stage does not declare it requires changes nothing it assigns
    (so an undeclared read of something that matters on the example fails here)."""
    stage = STAGES[name]
    assigned = _places(stage.assigns)
    honest = _run(stage, _copy(before_each_stage[name]))
    poisoned = _run(stage, _poison(_copy(before_each_stage[name]),
                                   _places(stage.requires) | set(IDENTITY)))
    assert _state(poisoned, assigned) == _state(honest, assigned), (
        f"stage {name!r} reads something it does not declare in requires={stage.requires}")


@pytest.mark.parametrize("name", DEFAULT_STAGES)
def test_stage_writes_only_what_it_assigns(name: str,
                                           before_each_stage: dict[str, Brief]) -> None:
    stage = STAGES[name]
    before = before_each_stage[name]
    after = _run(stage, _copy(before))
    untouched = _places(ANNOTATIONS) - _places(stage.assigns) - set(IDENTITY) - {"Article.text"}
    assert _state(after, untouched) == _state(before, untouched)


def test_default_stages_are_in_order_and_documented() -> None:
    check_order([STAGES[name] for name in DEFAULT_STAGES])
    table = (Path(__file__).resolve().parent.parent / "docs" / "stages.md").read_text()
    for name in DEFAULT_STAGES:
        stage = STAGES[name]
        row = next((line for line in table.splitlines() if line.startswith(f"| `{name}` |")),
                   None)
        assert row is not None, f"stage {name!r} is not in docs/stages.md"
        cells = [c.strip() for c in row.split("|")[1:-1]]
        assert cells[2] == ", ".join(f"`{r}`" for r in stage.requires), row
        assert cells[3] == ", ".join(f"`{a}`" for a in stage.assigns), row
    for name in ANNOTATIONS:
        assert f"`{name}`" in table, f"annotation {name!r} is not in docs/stages.md"


def test_claims_and_conflicts_are_separate_stages() -> None:
    assert STAGES["claims"].assigns == ("claims",)
    assert STAGES["conflicts"].assigns == ("conflicts",)


def _import_graph() -> dict[str, set[str]]:
    """Which crossbrief module imports which, at the top or inside a function."""
    root = Path(crossbrief.__file__).parent
    modules = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                target = (".".join([*base, *([node.module] if node.module else [])])
                          if node.level else node.module or "")
                found.update(t for t in [target, *(f"{target}.{a.name}" for a in node.names)]
                             if t in modules)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name in modules)
        graph[name] = found - {name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module."""
    reach = {n: set() for n in graph}  # type: dict[str, set[str]]
    for start in graph:
        todo = list(graph[start])
        while todo:
            node = todo.pop()
            if node not in reach[start]:
                reach[start].add(node)
                todo.extend(graph[node])
    components = {frozenset({n, *(m for m in reach[n] if n in reach[m])}) for n in graph}
    return sorted(sorted(c) for c in components if len(c) > 1)


def test_no_import_cycles() -> None:
    """No module imports one that imports it back, at the top or inside a function: the
    pipeline imports every stage's module, so none of them imports the pipeline. A module
    importing its own package (``crossbrief.__version__``, ``render``'s helpers) is left
    out: a module's import always starts with its packages', so that is never half-built."""
    graph = {name: {d for d in deps if not name.startswith(f"{d}.")}
             for name, deps in _import_graph().items()}
    assert "crossbrief.extract.entities" in graph and "crossbrief.pipeline" in graph
    importers = sorted(n for n, deps in graph.items() if "crossbrief.pipeline" in deps)
    assert all(not n.startswith("crossbrief.extract") for n in importers), importers
    assert _cycles(graph) == []
