"""The brief: claims, conflicts, updates, timeline, summary, and the crossbrief.brief/1
contract, on the bundled example (hand-labelled in golden/maravel_expected.json) and the
seed corpus (the must-holds its issue names)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from crossbrief.cli import example_path
from crossbrief.model import Brief, Claim, Conflict
from crossbrief.pipeline import DEFAULT_STAGES, analyze

from .conftest import GOLDEN, story_of

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "docs" / "brief.schema.json")
                    .read_text("utf-8"))
EXPECTED = json.loads((GOLDEN / "maravel_expected.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def example() -> Brief:
    return analyze([str(example_path())])


def by_name(corpus: Brief) -> dict[str, str]:
    """article id -> input file name"""
    return {a.id: Path(a.input).name for a in corpus.articles}


def by_prefix(corpus: Brief) -> dict[str, str]:
    """article id -> seed file number ("001")"""
    return {a.id: Path(a.input).name[:3] for a in corpus.articles}


def claims_with(corpus: Brief, *words: str) -> list[Claim]:
    return [c for c in corpus.claims
            if any(all(w.lower() in corpus.article(s.article).text[s.start:s.end].lower()
                       for w in words) for s in c.support)]


def conflicts_of(corpus: Brief, kind: str, update: bool = False) -> list[Conflict]:
    return [c for c in corpus.conflicts if c.kind == kind and c.update == update]


# --- the contract --------------------------------------------------------------------------


def test_example_brief_validates_against_the_schema(example: Brief) -> None:
    data = json.loads(json.dumps(example.to_dict()))
    jsonschema.validate(data, SCHEMA)
    assert data["schema"] == "crossbrief.brief/1"
    for key in ("claims", "conflicts", "timeline", "summary", "quotes", "citations"):
        assert data[key], f"the example's brief has no {key}"


def test_seed_brief_validates_against_the_schema(seed_corpus_extracted: Brief) -> None:
    jsonschema.validate(json.loads(json.dumps(seed_corpus_extracted.to_dict())), SCHEMA)


def test_every_span_in_the_brief_is_its_article_text(example: Brief) -> None:
    data = example.to_dict()
    texts = {a["id"]: a["text"] for a in data["articles"]}
    spans = [s for c in data["claims"] for s in c["support"]]
    spans += [s for key in ("conflicts", "updates") for c in data[key] for s in c["sides"]]
    spans += [s for t in data["timeline"] for s in t["support"]]
    spans += data["summary"] + data["quotes"] + data["citations"]
    assert spans
    for span in spans:
        assert texts[span["article"]][span["start"]:span["end"]] == span["text"], span


def test_brief_round_trips(example: Brief) -> None:
    data = json.loads(json.dumps(example.to_dict()))
    assert Brief.from_dict(data).to_dict() == data


# --- the bundled example -------------------------------------------------------------------


@pytest.mark.xfail(reason="issue 12: the claim scorer fitted on DUC 2006 SCU coverage links "
                   "precision first (cross-validated P 0.70, R 0.10); two of the example's "
                   "consensus facts fall under its same_claim threshold", strict=False)
def test_example_consensus_facts(example: Brief) -> None:
    names = by_name(example)

    def on_evidence(claim: Claim, fact: dict[str, object]) -> set[str]:
        """Articles whose supporting span lies in that article's evidence sentence."""
        evidence: dict[str, str] = fact["evidence"]  # type: ignore[assignment]
        return {names[s.article] for s in claim.support
                if names[s.article] in evidence and example.article(s.article).text[
                    s.start:s.end] in evidence[names[s.article]]}

    found = [fact["fact"] for fact in EXPECTED["consensus"]
             if any(c.status != "single" and len(on_evidence(c, fact)) >= 3
                    for c in example.claims)]
    # Most hand-labelled consensus facts come out as one claim citing the labelled sentence
    # of at least three of their articles.
    assert len(found) >= len(EXPECTED["consensus"]) - 1, found


def test_example_near_copies_count_once(example: Brief) -> None:
    names = by_name(example)
    claim = claims_with(example, "last inspected in March 2023")[0]
    assert {"cpa-wire.txt", "maravel-daily.txt"} <= {names[a] for a in claim.articles}
    assert claim.independent == len(claim.articles) - 1
    assert [sorted(names[i] for i in g) for g in claim.merged] == [
        ["cpa-wire.txt", "maravel-daily.txt"]]


def test_example_conflicts(example: Brief) -> None:
    names = by_name(example)
    got = {(c.kind, frozenset((names[s.article], s.value) for s in c.sides))
           for c in example.conflicts if not c.update}
    for conflict in EXPECTED["conflicts"]:
        sides = {names_value for names_value in
                 ((s["article"], s["value"]) for s in conflict["sides"])}
        match = [g for g in got if g[0] == conflict["kind"]
                 and {a for a, _ in g[1]} == {a for a, _ in sides}]
        assert match, f"missing {conflict['kind']} conflict: {conflict['about']}"


def test_example_has_no_false_conflicts(example: Brief) -> None:
    # Precision first: the three labelled conflicts and nothing else.
    assert len([c for c in example.conflicts if not c.update]) == len(EXPECTED["conflicts"])


def test_example_single_source_facts(example: Brief) -> None:
    names = by_name(example)
    singles = [c for c in example.claims if c.status == "single"]
    hits = 0
    for fact in EXPECTED["single_source"]:
        head = fact["text"][:50]
        if any(head in c.text or c.text[:50] in fact["text"] for c in singles
               if fact["article"] in {names[a] for a in c.articles}):
            hits += 1
    assert hits >= len(EXPECTED["single_source"]) // 2, hits


def test_example_omissions_are_consensus_claims_an_article_lacks(example: Brief) -> None:
    for article in example.articles:
        for claim in example.omissions(article.id):
            assert claim.status == "consensus" and article.id not in claim.articles


def test_example_timeline(example: Brief) -> None:
    names = by_name(example)
    dates = {t.date for t in example.timeline}
    assert {"1974", "2021", "2023-03", "2025-10-14", "2025-10-15"} <= dates
    collapse = [t for t in example.timeline if t.date == "2025-10-14"
                and len(t.articles) >= 3]
    assert collapse, "the collapse is one event reported by several articles"
    inspected = {t.date: t for t in example.timeline if "last inspected" in t.text}
    assert inspected["2021"].conflict and inspected["2023-03"].conflict
    assert {names[a] for a in inspected["2023-03"].articles} == {"cpa-wire.txt",
                                                                  "maravel-daily.txt"}


def test_example_summary_cites_every_supporting_article(example: Brief) -> None:
    assert 1 <= len(example.summary) <= 5
    assert any(len(s.sources) >= 3 for s in example.summary)
    for sentence in example.summary:
        assert sentence.sources[0] == sentence.article
        article = example.article(sentence.article)
        assert article.text[sentence.start:sentence.end] == sentence.text
        # Every other source, with where it says so: a clause of a claim the sentence states.
        assert [s.article for s in sentence.support] == list(sentence.sources[1:])
        for span in sentence.support:
            assert any(span in claim.support and any(
                o.article == sentence.article and o.start < sentence.end and sentence.start < o.end
                for o in claim.support) for claim in example.claims)
    data = example.to_dict()["summary"]
    assert all(len(d["support"]) == len(d["sources"]) - 1 for d in data)
    assert Brief.from_dict(example.to_dict()).summary == example.summary


# --- the seed corpus -----------------------------------------------------------------------


@pytest.mark.shared
def test_seed_icc_warrant_is_consensus(seed_corpus_extracted: Brief) -> None:
    claims = [c for c in claims_with(seed_corpus_extracted, "warrant") if c.status == "consensus"]
    assert claims and max(c.independent for c in claims) >= 3


@pytest.mark.shared
@pytest.mark.xfail(reason="issue 12: the DUC-fitted scorer links two of the three articles "
                   "stating China's peace plan (recall first needs a stronger model)",
                   strict=False)
def test_seed_peace_plan_has_three_sources(seed_corpus_extracted: Brief) -> None:
    claims = claims_with(seed_corpus_extracted, "12-point")
    assert claims and max(c.independent for c in claims) >= 3


@pytest.mark.shared
def test_seed_date_conflicts(seed_corpus_extracted: Brief) -> None:
    prefix = by_prefix(seed_corpus_extracted)
    dates = {frozenset((prefix[s.article], s.value) for s in c.sides)
             for c in conflicts_of(seed_corpus_extracted, "date")}
    assert frozenset({("003", "2023-03-20/2023-03-21"), ("004", "2023-03-20/2023-03-22")}) in dates
    assert frozenset({("001", "2023-03-20"), ("002", "2023-03-21")}) in dates


@pytest.mark.shared
@pytest.mark.parametrize(("article", "words"), [
    ("001", "40 occasions"), ("004", "190bn"), ("002", "arms exports")])
def test_seed_single_source_facts(seed_corpus_extracted: Brief, article: str,
                                  words: str) -> None:
    prefix = by_prefix(seed_corpus_extracted)
    claims = claims_with(seed_corpus_extracted, words)
    assert claims, f"no claim holds {words!r}"
    assert all(c.status == "single" for c in claims), [c.status for c in claims]
    assert {prefix[a] for c in claims for a in c.articles} == {article}


@pytest.mark.shared
def test_seed_has_no_number_or_name_conflicts(seed_corpus_extracted: Brief) -> None:
    # The five articles disagree on dates only; anything else would be a false alarm.
    assert not [c for c in seed_corpus_extracted.conflicts if c.kind != "date"]


# What else the two articles say: different facts, so that the sentences under test are
# compared within a story, as the claims scorer does.
ONE_STORY = tuple(name for name in DEFAULT_STAGES if name != "apart")
CONTEXT = [
    "Ferry fares will stay at last year's level until May. The harbour master retired after "
    "forty years in the post. A new crane arrived from Rotterdam in the spring.",
    "Storms closed the northern pier for three days in March. Tourist numbers doubled over "
    "the summer season. The fish market moved to a larger hall near the station.",
]


def _story(*articles: tuple[str, str]) -> Brief:
    """A story of (published, text) articles, through the whole pipeline but the apart check
    (the unrelated filler sentences make two articles read as two stories, which would keep
    the facts under test from ever being compared)."""
    return story_of(*(f"{text}\n\n{CONTEXT[n]}" for n, (_, text) in enumerate(articles)),
                    stages=ONE_STORY, published=tuple(day for day, _ in articles))


@pytest.mark.parametrize(("first", "second", "values"), [
    ("The city council approved the harbour budget on Tuesday after a long debate.",
     "The city council rejected the harbour budget on Tuesday after a long debate.",
     {"approved", "rejected"}),
    ("Norland recognized the court's ruling on the border dispute, its foreign ministry said.",
     "Norland did not recognize the court's ruling on the border dispute, its foreign "
     "ministry said.", {"recognized", "did not recognize"}),
])
def test_plain_contradiction(first: str, second: str, values: set[str]) -> None:
    story = _story(("2024-05-02", first), ("2024-05-02", second))
    found = [c for c in story.conflicts if c.kind == "contradiction"]
    assert len(found) == 1 and not found[0].update
    assert {s.value for s in found[0].sides} == values
    assert {s.article for s in found[0].sides} == {"a0", "a1"}


def test_a_later_report_that_it_happened_is_an_update_not_a_contradiction() -> None:
    story = _story(("2024-05-01", "The dockers' union has not signed the new wage agreement "
                                  "with the port authority, officials said."),
                   ("2024-05-03", "The dockers' union signed the new wage agreement with the "
                                  "port authority, officials said."))
    found = [c for c in story.conflicts if c.kind == "contradiction"]
    assert len(found) == 1 and found[0].update


@pytest.mark.parametrize(("first", "second"), [
    # Pronouns may be two people.
    ("He did not attend the harbour council meeting on Tuesday evening.",
     "He attended the harbour council meeting on Tuesday evening."),
    # Different objects: two facts.
    ("The city council approved the harbour budget on Tuesday after a long debate.",
     "The city council rejected the ferry timetable on Tuesday after a long debate."),
    # Different subjects: two facts.
    ("The city council did not approve the harbour budget on Tuesday after a long debate.",
     "The port board approved the harbour budget on Tuesday after a long debate."),
])
def test_no_contradiction_without_the_same_subject_and_object(first: str, second: str) -> None:
    story = _story(("2024-05-02", first), ("2024-05-02", second))
    assert not [c for c in story.conflicts if c.kind == "contradiction"]


def test_example_death_toll_is_an_update(example: Brief) -> None:
    # "At least nine people died" (14 October), "the death toll … rose to 12" (16 October):
    # the count grew, a later report, never a conflict.
    names = by_name(example)
    updates = [c for c in conflicts_of(example, "number", update=True) if "dead" in c.about]
    assert updates
    assert {(names[s.article], s.value) for s in updates[0].sides} >= {
        ("radio-esterline.html", "12")}
    assert not [c for c in conflicts_of(example, "number") if "dead" in c.about]


@pytest.mark.parametrize(("sentence", "counted"), [
    ("At least nine people died when the bridge collapsed.", "dead"),
    ("The collapse killed at least nine people during the rush hour.", "dead"),
    ("Twelve people are dead after the collapse of the bridge.", "dead"),
    ("The death toll from the collapse rose to 12 on Wednesday.", "dead"),
    ("Nine dead as the bridge gives way in the rush hour.", "dead"),
    ("Four people were injured when the bus overturned.", "injured"),
    ("At least nine people died and 23 were taken to hospital.", "dead"),
    ("Some 40 people were rescued from the river by divers.", None),
])
def test_casualty_counts_are_counted_as_such(sentence: str, counted: str | None) -> None:
    from crossbrief.conflicts import _quantities

    units = _units_of(sentence)
    found = {k for u in units for k in _quantities(u)}
    assert ("dead" in found or "injured" in found) == (counted is not None)
    if counted:
        assert counted in found
    assert "23" not in {v.text for u in units
                        for k, v in _quantities(u).items() if k in ("dead", "injured")}


def _units_of(sentence: str) -> list[Any]:
    from crossbrief.align import split_units

    return split_units(story_of(sentence).articles[0])


def _quantities_of(sentence: str) -> dict[str, tuple[str, ...]]:
    from crossbrief.conflicts import _quantities

    return {f"{noun} {value.text}": value.of for u in _units_of(sentence)
            for noun, value in _quantities(u).items()}


def test_quantities_conflict_only_when_they_measure_the_same_thing() -> None:
    # The example's conflict: both measure the span.
    section = _quantities_of("A 40-metre section of the bridge's central span fell into the "
                             "river at rush hour.")
    metres = _quantities_of("About 60 metres of the bridge's central span gave way at rush "
                            "hour.")
    assert list(section.values()) == list(metres.values()) == [("of", "span")]
    # Size against attendance; one council against another.
    size = _quantities_of("The 124-member Palestinian Central Council voted on Thursday.")
    present = _quantities_of("On Thursday, 98 members of the council met in Gaza to vote.")
    other = _quantities_of("The nearly 600-member Palestinian National Council will meet.")
    assert len({*size.values(), *present.values(), *other.values()}) == 3


@pytest.mark.parametrize("sentence", [
    # A photo gallery's numbering: 11 counts the images, not the man.
    "Image 6 of 11 A man died Thursday morning after being shot inside a home.",
    # The rest of something told before: a part, never a total to set against another's.
    "Four other people were wounded in the shooting on Main Street.",
    "Two more people, a 24-year-old man and a 20-year-old woman, died at the hospital.",
    "A drive-by shooting in Brooklyn on Monday night injured four other people, police said.",
    "Nine others were wounded in the shooting on Main Street.",
    # A breakdown: neither number is the total.
    "One man was shot in the chest, one man was shot in the leg.",
    "Two victims were taken to Mercy Hospital, one was taken to St. Luke's Hospital.",
    # Tallies over several incidents, whose scope each outlet sets.
    "Thirteen people were wounded in separate shootings across the city since Tuesday.",
    "Three people were killed in Monday shootings on the North and West sides.",
    # Those who died in one place: a part of the toll.
    "Two people died at the scene.",
    "One victim, 23, was pronounced dead on the scene.",
    # A pronoun.
    "This one hurt, a lot.",
])
def test_numbers_that_count_no_total_are_not_read(sentence: str) -> None:
    assert _quantities_of(sentence) == {}


def test_a_count_that_outlets_make_either_way_is_widened_by_one() -> None:
    from crossbrief.conflicts import _quantities

    def dead(sentence: str) -> tuple[float, float]:
        [value] = [v for u in _units_of(sentence) for k, v in _quantities(u).items()
                   if k == "dead"]
        return float(value.low), float(value.high)

    assert dead("The shooting killed three people, including the gunman.") == (2, 4)
    assert dead("The gunman killed two people before killing himself.") == (1, 3)
    assert dead("The shooter killed three victims before taking his own life.") == (2, 4)
    assert dead("Two victims were killed in the shooting at the mall.") == (2, 2)
    assert set(_quantities_of("Two victims were taken to Mercy Hospital.")) == {"victim Two"}


def test_an_article_counting_one_thing_twice_is_unsure_of_it() -> None:
    """A live report's "three officers are injured" and, later, "five officers were taken
    to hospitals": the article is left out of that count's conflicts."""
    from crossbrief.align import split_units
    from crossbrief.conflicts import _quantities, _unsure

    [article] = story_of("Three officers were injured, police said at noon. Five officers "
                         "were taken to hospitals with gunshot wounds.").articles
    assert _unsure([_quantities(u) for u in split_units(article)]) == {("officer", ())}
    [article] = story_of("Five officers were injured, police said at noon. The five "
                         "officers were taken to hospitals with gunshot wounds.").articles
    assert _unsure([_quantities(u) for u in split_units(article)]) == set()


@pytest.mark.parametrize(("first", "second", "published", "same"), [
    ("On Nov. 5, 2009, a gunman opened fire at the base, killing 13 people.",
     "On April 2, 2014, a gunman opened fire at the base, killing three people.",
     ("2014-04-03", "2014-04-03"), False),
    ("Nine people were killed in the collapse on Tuesday.",
     "The death toll rose to 12 on Thursday.", ("2024-05-01", "2024-05-03"), True),
    # History the article recalls, against the story's news.
    ("In August 1982, eight people were killed at a welding shop in Miami.",
     "Police are investigating a shooting that left two people dead.",
     ("2014-06-24", "2014-06-25"), False),
    ("Eight people were killed at a welding shop in Miami on Sunday.",
     "Police are investigating a shooting that left two people dead.",
     ("2014-06-24", "2014-06-25"), True),
])
def test_clauses_of_different_times_tell_of_two_events(
        first: str, second: str, published: tuple[str, str], same: bool) -> None:
    from crossbrief.align import split_units
    from crossbrief.conflicts import _same_time

    corpus = story_of(first, second, stages=("clean", "segment", "entities", "dates"),
                      published=published)
    a, b = (split_units(article)[0] for article in corpus.articles)
    assert _same_time(a, b) is same


@pytest.mark.parametrize(("first", "conflict"), [
    ("Three people were injured at the night club early Saturday, police said.", True),
    # This outlet counts the dead apart; the other's injured may include them.
    ("One person was killed and three people were injured at the night club early Saturday, "
     "police said.", False),
])
def test_injured_may_include_those_who_died(first: str, conflict: bool) -> None:
    story = _story(("2013-06-15", first),
                   ("2013-06-15", "Four people were injured at the night club early Saturday, "
                                  "police said."))
    found = [c for c in story.conflicts if c.kind == "number" and not c.update]
    assert bool(found) is conflict


def test_counts_about_different_people_are_two_facts() -> None:
    from crossbrief.conflicts import _other_people

    (a, _), (b, _), (c, _) = _units_and_roots(
        "Police said John Yates faces four counts of malicious wounding.",
        "Prosecutors said Devon Fields pleaded guilty to one count of malicious wounding.",
        "Prosecutors said Yates faces one count of malicious wounding.")
    assert _other_people(a, b) and not _other_people(a, c)


def test_a_number_counts_the_noun_it_belongs_to() -> None:
    assert set(_quantities_of("Nine people were killed and five of the victims were "
                              "children.")) == {"dead Nine", "victim five"}
    assert set(_quantities_of("Police recovered 59 bodies from the river on Monday.")) == {
        "body 59"}


def _units_and_roots(*texts: str) -> list[tuple[Any, Any]]:
    from crossbrief.align import split_units
    from crossbrief.conflicts import _root

    corpus = story_of(*texts)
    return [(u, _root(u)) for a in corpus.articles for u in split_units(a)[:1]]


@pytest.mark.parametrize(("first", "second"), [
    # Reporters' tag lines: each is one of many staff writers.
    ("Jane Halloran is a staff writer for the Tribune-Review.",
     "Matthew Okafor is a staff writer for the Tribune-Review."),
    # One mayor, by his first name in one article and in full in the other.
    ("Charleston Mayor Joseph P. Riley called the shooting a heartbreaking tragedy.",
     "Mayor Joe Riley called the shooting an unspeakable and heartbreaking tragedy."),
])
def test_no_name_conflict_between_one_of_many_or_one_person(first: str, second: str) -> None:
    from crossbrief.conflicts import _name_conflict

    (a, verb_a), (b, verb_b) = _units_and_roots(first, second)
    assert _name_conflict(a, b, verb_a, verb_b) is None


def test_a_name_conflict_still_found() -> None:
    from crossbrief.conflicts import _name_conflict

    (a, verb_a), (b, verb_b) = _units_and_roots(
        "Prime Minister Tomas Reinholt ordered the inquiry on Wednesday morning.",
        "Transport Minister Andrij Kovalenko ordered the inquiry on Wednesday morning.")
    assert _name_conflict(a, b, verb_a, verb_b) is not None


def test_an_event_happens_once_only_by_an_adverb_on_it() -> None:
    from crossbrief.conflicts import _once

    [(inspected, _), (saw, _)] = _units_and_roots(
        "The bridge was last inspected in March 2023, according to a report.",
        "Neighbors said they saw the first police cars arrive at the home Saturday night.")
    assert _once(inspected) and not _once(saw)


def test_an_outlet_never_conflicts_with_itself() -> None:
    """Two reports of one outlet differing (a count revised the same day, a gallery
    renumbered) are no disagreement between outlets."""
    import crossbrief
    from crossbrief.pipeline import run_stages

    texts = ("Nine people were killed when the footbridge collapsed on Tuesday evening.",
             "Twelve people were killed when the footbridge collapsed on Tuesday evening.")
    before = ONE_STORY[:ONE_STORY.index("claims")]
    found = {}
    for same in (False, True):
        corpus = story_of(*(f"{t}\n\n{CONTEXT[n]}" for n, t in enumerate(texts)),
                          stages=before, published=("2024-05-02", "2024-05-02"))
        if same:
            corpus.articles[1].source = corpus.articles[0].source
        corpus = run_stages(corpus, ("claims", "conflicts"), crossbrief.load_settings())
        found[same] = [c for c in corpus.conflicts if c.kind == "number" and not c.update]
    assert found[False] and not found[True]


def test_a_date_resting_on_the_story_anchor_conflicts_only_nearby() -> None:
    from crossbrief.conflicts import _trusted

    assert _trusted(False, False, "2023-03-20", "2023-03-21")
    assert _trusted(False, True, "2023-03-20", "2023-03-21")  # the seed's Monday / Tuesday
    assert not _trusted(True, True, "2023-03-20", "2023-03-21")
    assert not _trusted(False, True, "1998-12-14", "1999-05-03")  # a wrong anchor
    assert not _trusted(True, False, "2023-03", "2023-03-21")


def test_every_link_carries_its_evidence(example: Brief) -> None:
    """Each support span after the claim's wording says why it was linked: the scorer's
    probability, the encoder similarity, and what the two share, in the JSON and the page."""
    from crossbrief.render import render

    linked = [c for c in example.claims if len(c.support) > 1]
    assert linked
    for claim in linked:
        assert len(claim.evidence) == len(claim.support) - 1
        for evidence in claim.evidence:
            assert 0.0 <= evidence.score <= 1.0 and -1.0 <= evidence.similarity <= 1.0
    data = json.loads(render(example, "json"))
    for claim in data["claims"]:
        assert "evidence" not in claim["support"][0]
        for span in claim["support"][1:]:
            assert set(span["evidence"]) == {"score", "similarity", "entities", "numbers",
                                             "dates", "words"}
    page = render(example, "html")
    first = linked[0].evidence[0]
    assert f"linked: score {first.score:.2f} · similarity {first.similarity:.2f}" in page


def test_evidence_names_what_the_two_share() -> None:
    corpus = story_of(
        "Flooding in Valdoria killed 14 people on Monday, officials in Port Ardell said. "
        "Rescue teams worked through the night.",
        "Officials in Port Ardell said 14 people were killed by flooding in Valdoria on "
        "Monday. Schools stayed closed.",
        stages=("clean", "segment", "entities", "sources", "quotes", "dates", "opinion",
                "align", "claims"))
    [claim] = [c for c in corpus.claims if len(c.support) == 2]
    [evidence] = claim.evidence
    assert "14" in evidence.numbers
    assert {"Valdoria", "Port Ardell"} <= set(evidence.entities)
    assert "flooding" in evidence.words or "flood" in evidence.words
