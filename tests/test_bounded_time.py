"""Pathological input in bounded time: a stage's work per quote or per name must not grow with
the sentence or the story it sits in. Each case was quadratic (the figures in its test); the
bounds here are generous, for a loaded two-core machine, and far under the old times. What is
computed is checked against the plain, slow way on the same input."""

from __future__ import annotations

import random
import time
from collections import Counter

from crossbrief.extract import quotes
from crossbrief.extract.entities import (
    Key,
    _KeyInfo,
    _merge_keys,
    _part_of_name,
    _possible_holders,
    _similar,
    _similar_pairs,
    name_key,
)
from crossbrief.model import Brief

from .conftest import story_of

SYLLABLES = ("ka lo mi ra ten vor sul bek dan ris tal mon gar pel nus fi do zan hel quin "
             "ber cho").split()


def _word(rng: random.Random, initial: str = "") -> str:
    return (initial + "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))).title()


def _info(forms: set[str]) -> dict[Key, _KeyInfo]:
    return {name_key(f): _KeyInfo(Counter({"PERSON": 1}), Counter({f: 1}), 1) for f in forms}


# --- quotes: the clause that introduces a quotation ----------------------------------------


def test_lead_clauses_of_a_run_on_sentence_cost_each_quote_its_clause() -> None:
    # "as the paper pointed out, “…”" 2,000 times with no full stop: the lead clause's verb
    # was looked for by building every token from the sentence's start, 46 s in the quotes
    # stage (0.6 s now).
    text = "as the paper pointed out, “We will rebuild the bridge”. and " * 1000
    article = story_of(text, stages=("clean", "segment", "entities", "sources")).articles[0]
    assert len(article.sentences) == 1
    started = time.perf_counter()
    found = quotes.quotes_of(article)
    assert time.perf_counter() - started < 5  # 11 s before
    assert len(found) == 1000
    assert {(q.speaker, q.cue) for q in found} == {("paper", "pointed")}


def test_the_lead_clause_verb_is_the_first_verb_headed_outside_it(
        seed_corpus: Brief) -> None:
    # The arrays give the token the walk over the clause's tokens gave, on every prefix of
    # every sentence of the seed articles.
    checked = 0
    for article in seed_corpus.articles:
        doc = article.doc
        for sentence in article.sentences:
            span = doc.char_span(sentence.start, sentence.end, alignment_mode="contract")
            for end in range(span.start + 1, span.end + 1):
                words = doc[span.start:end]
                walked = next((t for t in words if t.pos_ in ("VERB", "AUX")
                               and not words.start <= t.head.i < words.end), None)
                found = quotes._first_verb_headed_outside(words)
                assert (None if walked is None else walked.i) == \
                    (None if found is None else found.i)
                checked += walked is not None
    assert checked > 200


# --- entities: merging the story's names ---------------------------------------------------


def test_merging_thousands_of_names_of_the_same_initials_is_fast() -> None:
    # Every pair of keys of the same initials was compared for spellings, and every key with
    # every full name of its initials for a part of it: 52 s for 3,000 people's names all
    # written S… S… (1.2 s now).
    rng = random.Random(5)
    info = _info({_word(rng, "s") + " " + _word(rng, "s") for _ in range(3000)})
    started = time.perf_counter()
    groups, _ = _merge_keys(info)
    assert time.perf_counter() - started < 12
    assert len(info) - 100 < len(groups) < len(info)  # a few near-identical spellings merge


def test_merging_thousands_of_blends_is_fast() -> None:
    # Each name written with an inner capital ("McDanlo") was tried as a blend of every full
    # name of the story ("LiLo" of Lindsay Lohan): 22 s for 1,500 of each (0.4 s now).
    rng = random.Random(5)
    fulls = {_word(rng) + " " + _word(rng) for _ in range(1500)}
    info = _info(fulls | {"Mc" + _word(rng) for _ in range(1500)} | {"LiLo", "Lindsay Lohan"})
    started = time.perf_counter()
    groups, _ = _merge_keys(info)
    assert time.perf_counter() - started < 10
    assert [("lilo",), ("lindsay", "lohan")] in groups


def _random_keys(rng: random.Random) -> list[Key]:
    given = ["frederick", "fred", "william", "will", "w", "mark", "c", "alexander", "alex"]
    surnames = ["larue", "larve", "felt", "kovalenko", "kovalenka", "smith", "smyth",
                "hansbrough", "jinping", "sanders", "saunders", "xi"]
    keys = set()
    for _ in range(rng.randint(5, 60)):
        words = [rng.choice(given + surnames) for _ in range(rng.randint(1, 4))]
        if rng.random() < 0.2:
            words.append(rng.choice(["jr", "sr", "iii"]))
        keys.add(tuple(words))
    return sorted(keys)


def test_the_holders_looked_up_are_all_those_of_the_full_names() -> None:
    # The index of full names by word gives every full name _part_of_name accepts (typos,
    # short given names and "Jr." included), so the merge is the same as asking every one.
    rng = random.Random(11)
    for _ in range(300):
        keys = _random_keys(rng)
        fulls = [k for k in keys if len(k) > 1]
        may_hold = _possible_holders(fulls)
        for key in keys:
            assert {f for f in fulls if _part_of_name(key, f)} <= may_hold(key)


def test_the_similar_pairs_are_those_of_every_pair() -> None:
    # The pairs of near-identical spellings found through rapidfuzz's scores are those that
    # asking _similar of every pair finds, in the same order.
    rng = random.Random(12)
    for _ in range(300):
        keys = _random_keys(rng)
        for length in sorted({len(k) for k in keys}):
            bucket = [k for k in keys if len(k) == length]
            every = [(a, b) for i, a in enumerate(bucket) for b in bucket[i + 1:]
                     if _similar(a, b)]
            assert list(_similar_pairs(bucket)) == every
