"""Tests of crossbrief.conflicts's own helpers (the stage's behaviour is tested on whole
briefs in test_brief.py and test_rejections.py)."""

from __future__ import annotations

import itertools
import random

import numpy as np

import crossbrief
from crossbrief.conflicts import SAME_FACT, _scored_pairs, ages
from crossbrief.model import Article, Brief
from crossbrief.pipeline import run_stages

from .conftest import story_of


def test_scored_pairs_are_those_of_a_loop_over_every_pair() -> None:
    # The pairs the conflicts stage looks at are picked out by NumPy: the same pairs, in the
    # same order, as the loop over itertools.combinations it replaced, with float32 scores
    # on either side of the floor, scores equal to it, and NaN (not under the floor).
    rng = random.Random(7)
    near = [float(np.float32(SAME_FACT)), float(np.nextafter(np.float32(SAME_FACT), 0)),
            float(np.nextafter(np.float32(SAME_FACT), 1)), SAME_FACT, float("nan")]
    for n in (0, 1, 2, 3, 17, 60):
        for dtype in (np.float32, np.float64):
            scores = np.array([[rng.choice([*near, rng.random()]) for _ in range(n)]
                               for _ in range(n)], dtype=dtype).reshape(n, n)
            loop = [[i, j] for i, j in itertools.combinations(range(n), 2)
                    if not float(scores[i, j]) < SAME_FACT]
            assert _scored_pairs(scores, n, SAME_FACT) == loop
    assert _scored_pairs(np.full((3, 3), np.nan), 3, SAME_FACT) == [[0, 1], [0, 2], [1, 2]]


def test_recall_candidates_are_differing_counts_of_two_articles() -> None:
    """benchmarks/gva_conflicts.py --recall: a story kind is a candidate when two articles
    count it differently (the dead, counted by neither, is none), and the brief's conflict on
    those two counts is a hit."""
    from .conftest import benchmark
    from .test_brief import _story

    gva = benchmark("gva_conflicts")
    story = _story(("2013-06-15", "Three people were injured at the night club early "
                                  "Saturday, police said."),
                   ("2013-06-15", "Four people were injured at the night club early Saturday, "
                                  "police said."))
    found = gva.candidates(story)
    assert set(found) == {"injured"}
    assert [[c["value"] for c in a["counts"]] for a in found["injured"]] == [["Three"],
                                                                           ["Four"]]
    said = gva.reported(story)
    assert not said["dead"] and [r["what"] for r in said["injured"]] == ["conflict"]
    item = {"articles": found["injured"], "reported": said["injured"]}
    assert gva.hit(item, "conflict") and not gva.hit(item, "update")


def _count(value: str, low: float, start: int = 0) -> dict[str, object]:
    return {"value": value, "clause": "", "start": start, "end": start + 40, "low": low,
            "high": low}


def test_a_recall_hit_is_a_conflict_on_the_labelled_counts() -> None:
    """A conflict of the same kind in the story, but between other counts (here a count the
    candidate does not hold, and two counts that agree), is not a hit."""
    from .conftest import benchmark

    gva = benchmark("gva_conflicts")
    articles = [{"article": "s:1", "counts": [_count("three", 3), _count("nine", 9, 100)]},
                {"article": "s:2", "counts": [_count("four", 4)]},
                {"article": "s:3", "counts": [_count("three", 3)]}]

    def conflict(*sides: tuple[str, str, int]) -> dict[str, object]:
        return {"what": "conflict", "sides": [{"article": a, "value": v, "start": at,
                                               "end": at + 10} for a, v, at in sides]}

    elsewhere = conflict(("s:1", "nine", 100), ("s:3", "twelve", 200))
    agreeing = conflict(("s:1", "three", 0), ("s:3", "three", 0))
    labelled = conflict(("s:1", "three", 0), ("s:2", "four", 0))
    for reported, expected in (([elsewhere, agreeing], False), ([labelled], True)):
        assert gva.hit({"articles": articles, "reported": reported}, "conflict") is expected


def test_a_labelled_disagreement_no_longer_a_candidate_is_a_miss() -> None:
    """A change that reads a labelled disagreement's counts alike takes it out of the
    candidates; it counts (and is printed) as a miss, not silently left out."""
    from .conftest import benchmark

    gva = benchmark("gva_conflicts")
    labels = {"1:dead": {"label": "disagree", "reason": "three against four"},
              "2:dead": {"label": "disagree", "reason": "five against six"},
              "3:dead": {"label": "update", "reason": "one died later"}}
    sample = {"1:dead": {"articles": [{"article": "1:1", "counts": [_count("three", 3)]},
                                      {"article": "1:2", "counts": [_count("four", 4)]}],
                         "reported": [{"what": "conflict", "sides": [
                             {"article": "1:1", "value": "three", "start": 0, "end": 9},
                             {"article": "1:2", "value": "four", "start": 0, "end": 9}]}]}}
    result = gva.score(sample, ["2:dead", "3:dead"], labels)
    assert result["figures"]["disagree"] == {"labelled": 2, "reported": 1, "recall": 0.5}
    assert result["figures"]["update"]["labelled"] == 1
    assert result["misses"] == ["2:dead (disagree, no longer a candidate): five against six",
                                "3:dead (update, no longer a candidate): one died later"]


def test_recall_labels_are_of_the_three_kinds() -> None:
    from .conftest import benchmark

    gva = benchmark("gva_conflicts")
    labels = gva.load_labels(gva.RECALL_LABELS)
    assert labels and all(k.rpartition(":")[2] in gva.CASUALTIES for k in labels)
    assert {v["label"] for v in labels.values()} <= {"disagree", "update", "other"}
    assert all(v["reason"] for v in labels.values())


# --- ages of named people ------------------------------------------------------------------

ALL_STAGES = ("clean", "segment", "entities", "sources", "quotes", "dates", "opinion",
              "align", "claims", "conflicts")


def _ages_story(*texts: str, published: tuple[str | None, ...] = ()) -> Brief:
    return story_of(*texts, stages=ALL_STAGES, published=published)


def _read_ages(corpus: Brief) -> dict[str, int]:
    """The ages the first article gives, by the name of the story's entity."""
    names = {e.id: e.name for e in corpus.entities}
    return {names[k]: v.value for k, v in ages(corpus.articles[0]).items()}


def _age_conflicts(corpus: Brief) -> list[tuple[str, list[str]]]:
    return [(c.about, sorted(s.value for s in c.sides)) for c in corpus.conflicts
            if c.about.startswith("how old")]


def test_ages_are_read_beside_a_full_name() -> None:
    corpus = _ages_story(
        "The victim, Jeremy Lewis, 27, of Fullerton, died at the scene. Courtney Aoki (20) "
        "was found in the house. Police named the driver as Melvin Edwards, a 69-year-old "
        "retiree. Witnesses saw 26-year-old construction worker Tom Baxter run. "
        "Twenty-six-year-old Franchelle Harris of Jennings was then shot in the back.")
    article = corpus.articles[0]
    read = _read_ages(corpus)
    assert read == {"Jeremy Lewis": 27, "Courtney Aoki": 20, "Melvin Edwards": 69,
                    "Tom Baxter": 26, "Franchelle Harris": 26}
    for age, start, end, name, _, _ in ages(article).values():
        assert article.text[start:end].lower() in (str(age), "twenty-six") \
            and name in article.text


def test_no_age_where_the_number_is_not_one() -> None:
    corpus = _ages_story(
        "The gunman shot Jeremy Lewis, 2013 was the worst year. The 20-year-old shot Tom "
        "Baxter in the arm. Courtney Aoki, 27 March, was the day of the trial. Lewis, 31, "
        "was his brother. Mary Stone's 40-year-old son was hurt.")
    assert _read_ages(corpus) == {}


def test_outlets_giving_one_person_two_ages_conflict() -> None:
    corpus = _ages_story(
        "The second victim, 26-year-old construction worker Jeremy Lewis of Fullerton, was "
        "killed at a store in Tustin.",
        "The deceased victim was identified as Jeremy Lewis, 27, of Fullerton, police said.",
        "Jeremy Lewis, 26, was shot in a parking lot in Tustin on Tuesday.",
        published=("2013-02-19", "2013-02-19", "2013-02-20"))
    assert _age_conflicts(corpus) == [("how old: Jeremy Lewis", ["26", "26", "27"])]
    conflict = next(c for c in corpus.conflicts if c.about.startswith("how old"))
    for side in conflict.sides:  # each side is the sentence giving the age
        text = corpus.article(side.article).text[side.start:side.end]
        assert side.value in text and "Lewis" in text


def test_ages_that_agree_or_may_both_be_right_do_not_conflict() -> None:
    same = _ages_story("Jeremy Lewis, 27, of Fullerton, was shot on Tuesday.",
                       "Police named the victim as 27-year-old Jeremy Lewis.")
    assert _age_conflicts(same) == []
    # A year apart in articles published months apart: a birthday may have passed.
    later = _ages_story("Jeremy Lewis, 26, of Fullerton, was shot on Tuesday.",
                        "The trial heard that Jeremy Lewis, 27, had been shot in Tustin.",
                        published=("2013-02-19", "2013-09-30"))
    assert _age_conflicts(later) == []
    # One article giving the person two ages is left out: it may speak of two people.
    unsure = _ages_story("Jeremy Lewis, 26, was shot. His father Jeremy Lewis, 58, spoke.",
                         "Jeremy Lewis, 27, of Fullerton, was shot on Tuesday.")
    assert _age_conflicts(unsure) == []


def test_one_outlet_giving_two_ages_is_no_conflict() -> None:
    corpus = Brief(articles=[
        Article(id=f"a{n}", source="outlet", text=text, input=f"a{n}.txt")
        for n, text in enumerate(("Jeremy Lewis, 26, of Fullerton, was shot on Tuesday.",
                                  "Jeremy Lewis, 27, of Fullerton, was shot on Tuesday."))])
    corpus = run_stages(corpus, ALL_STAGES, crossbrief.load_settings())
    assert _age_conflicts(corpus) == []


def test_namesakes_are_not_one_person_given_two_ages() -> None:
    # A father and a son of one name: the ages a generation apart.
    corpus = _ages_story("Police arrested 49-year-old John Ali Hoffman at the home.",
                         "They were identified as 5-year-old John Hoffman, the couple's son.")
    assert _age_conflicts(corpus) == []
    # Two names that cannot be one person's, even if the entities stage merged them.
    corpus = _ages_story("Zawahri shot his father, Samir Zawahri, 55, on Friday.",
                         "The gunman, John Zawahri, 53, was shot dead by police on Friday.")
    assert _age_conflicts(corpus) == []


def test_an_age_written_in_words_is_read_whole() -> None:
    corpus = _ages_story("Franchelle Harris, 26, was shot in the back on Friday night.",
                         "Twenty-six-year-old Franchelle Harris of Jennings was then shot in "
                         "the back.",
                         "Police said Franchelle Harris, 36, was shot in the back.")
    assert _age_conflicts(corpus) == [("how old: Franchelle Harris", ["26", "26", "36"])]


def test_numbers_beside_a_name_that_are_no_age_of_it() -> None:
    corpus = _ages_story(
        "Goals: Lionel Messi (23), Luis Suarez (67), Neymar da Silva (81). Tom Baxter, the "
        "20-year-old's friend, said he ran. Jane Carter, the 25-year-old suspect's "
        "girlfriend, was held. The victims, John and Mary Smith, 45 and 43, were found at "
        "home.")
    read = _read_ages(corpus)
    assert "Lionel Messi" not in read and "Tom Baxter" not in read
    assert "Jane Carter" not in read and read.get("John", 0) != 45
    assert not any(name.endswith("Smith") and age == 45 for name, age in read.items())


def test_an_age_conflict_and_a_count_conflict_of_one_sentence_are_two() -> None:
    from crossbrief.conflicts import _conflict, rejected
    from crossbrief.model import Rejection, Side, Span

    corpus = _ages_story("Jeremy Lewis, 27, was shot outside the store on Tuesday.",
                         "Jeremy Lewis, 26, was shot outside the store on Tuesday.")
    age = next(c for c in corpus.conflicts if c.about.startswith("how old"))
    for side in age.sides:  # the side is the name and the age
        assert corpus.article(side.article).text[side.start:side.end] == \
            f"Jeremy Lewis, {side.value}"
    # Sides starting where a clause's conflict's sides start: still two conflicts.
    sides = [Side("a0", "27", 0, 16), Side("a1", "26", 0, 16)]
    clause = [Side("a0", "three", 0, 60), Side("a1", "four", 0, 59)]
    of_age = _conflict("number", "how old: Jeremy Lewis", sides)
    count = _conflict("number", "how many: time", clause)
    assert of_age.id != count.id
    # Rejecting the ages leaves the count, and the other way round; spans alone reject both.
    spans = [Span(s.article, s.start, s.end) for s in sides]
    assert rejected(of_age, [Rejection.make("conflict", spans, about=of_age.about)])
    assert not rejected(count, [Rejection.make("conflict", spans, about=of_age.about)])
    wide = [Span(s.article, s.start, s.end) for s in clause]
    assert not rejected(of_age, [Rejection.make("conflict", wide, about=count.about)])
    assert rejected(count, [Rejection.make("conflict", wide, about=count.about)])
    assert rejected(of_age, [Rejection.make("conflict", wide)])


def test_an_age_conflict_is_named_as_its_sides_write_the_name() -> None:
    corpus = _ages_story("Jeremy Lewis Sr., 58, said his son was a plumber.",
                         "Jeremy Lewis, 26, was shot outside the store on Tuesday.",
                         "Jeremy Lewis, 27, was shot outside the store on Tuesday.")
    assert _age_conflicts(corpus) == [("how old: Jeremy Lewis", ["26", "27"])]


def test_a_later_report_giving_a_lower_age_still_conflicts() -> None:
    older_first = _ages_story("Jeremy Lewis, 27, of Fullerton, was shot on Tuesday.",
                              "The trial heard that Jeremy Lewis, 26, had been shot in Tustin.",
                              published=("2013-02-19", "2013-09-30"))
    assert _age_conflicts(older_first) == [("how old: Jeremy Lewis", ["26", "27"])]


def test_ages_kept_beside_a_possessive_further_on_or_a_second_bracket() -> None:
    corpus = _ages_story(
        "Jeremy Lewis, a 27-year-old plumber who's lived in Fullerton, was shot. Tom Baxter, "
        "a 30-year-old plumber from the county's north side, was hurt. Mary Stone (27) and "
        "Courtney Aoki (20) were shot.")
    read = _read_ages(corpus)
    assert read == {"Jeremy Lewis": 27, "Tom Baxter": 30, "Mary Stone": 27,
                    "Courtney Aoki": 20}


def test_an_upper_bound_agrees_with_any_count_up_to_it() -> None:
    corpus = _ages_story(
        "The sheriff confirmed up to four people were killed in the shooting on Thursday.",
        "The sheriff confirmed three people were killed in the shooting on Thursday.",
        "The sheriff confirmed six people were killed in the shooting on Thursday.")
    values = sorted(sorted(s.value for s in c.sides) for c in corpus.conflicts
                    if c.about == "how many: dead")
    assert ["four", "three"] not in values and ["four", "six"] in values
