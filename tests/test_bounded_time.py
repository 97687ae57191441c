"""Pathological input in bounded time: a stage's work per quote or per name must not grow with
the sentence or the story it sits in. Each case was quadratic (the figures in its test); the
bounds here are generous, for a loaded two-core machine, and far under the old times. What is
computed is checked against the plain, slow way on the same input."""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from typing import Any

from crossbrief.extract import quotes
from crossbrief.extract.entities import (
    EntityIndex,
    Key,
    _casing,
    _headline_name_end,
    _KeyInfo,
    _merge_keys,
    _part_of_name,
    _possible_holders,
    _similar,
    _similar_pairs,
    _words_alone,
    _WordsAlone,
    name_key,
)
from crossbrief.extract.quotes import extract_quotes
from crossbrief.extract.sources import extract_sources
from crossbrief.model import Article, Brief

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


def test_the_relative_clause_of_each_quote_of_a_run_on_sentence_is_read_within_its_reach(
) -> None:
    # "the “plan” and the “deal” and " 1,000 times with no full stop: the relative clause a
    # quote ends (quotes._antecedent_of_its_relative) was looked for by scanning the sentence
    # from its start for each quote (3.3 CPU s for its 2,000 quotes), and climbing all of the
    # parse above the quote was as slow (1.4 s: the words chain a thousand deep); the clauses
    # above each token found once per document (quotes._relative_clauses_above), 0.02 s.
    text = "the “plan” and the “deal” and " * 1000
    article = story_of(text, stages=("clean", "segment", "entities", "sources")).articles[0]
    spans = quotes.find_quote_spans(article.text)
    assert len(article.sentences) == 1 and len(spans) == 2000
    started = time.process_time()
    found = [quotes._antecedent_of_its_relative(article, span) for span in spans]
    assert time.process_time() - started < 0.5
    assert found == [None] * 2000


def test_dash_credits_after_a_long_run_of_list_markers_read_three_markers_each() -> None:
    # "1. " 3,000 times, then 3,000 "“Yes” — Jo Hale": every quote's line took off all the
    # line's markers again (list_item_start's loop), 4.2 s in find_attributions (0.03 s now).
    from crossbrief.extract.sources import find_attributions
    from crossbrief.segment import list_item_start

    assert list_item_start("1. 1. 1. 1. “Yes”", 0) == 9
    n = 3000
    text = "Mayor Jo Hale spoke on Monday.\n\n" + "1. " * n + "“Yes” — Jo Hale " * n + "end."
    article = story_of(text, stages=("clean", "segment", "entities")).articles[0]
    started = time.perf_counter()
    found = find_attributions(article)
    assert time.perf_counter() - started < 2  # 4.2 s before
    assert len(found) == n
    assert {a.source for a in found} == {"Jo Hale"}


def test_the_one_cue_before_each_quote_of_a_run_on_sentence_is_read_within_its_reach(
        monkeypatch: Any) -> None:
    # "Kravitz, a Hale ally, called Ohio’s standards “strong,”" 2,000 times with no full
    # stop: every quote reaches rule 8 (quotes._the_one_cue_before), which reads the words
    # before the quote for its one cue within ONE_CUE_REACH characters; read from the
    # sentence's start instead, 52 s on a loaded machine (2.1 s now).
    text = "Kravitz, a Hale ally, called Ohio’s standards “strong,” " * 2000
    article = story_of(text, stages=("clean", "segment", "entities", "sources")).articles[0]
    reached: list[Any] = []
    one_cue_before = quotes._the_one_cue_before

    def counted(*args: Any) -> Any:
        reached.append(one_cue_before(*args))
        return reached[-1]

    monkeypatch.setattr(quotes, "_the_one_cue_before", counted)
    started = time.perf_counter()
    found = quotes.quotes_of(article)
    assert time.perf_counter() - started < 12
    assert len(found) == len(reached) == 2000
    # Two cues within reach of every quote but the first: no speaker (a wrong one is worse).
    assert [q.speaker for q in found[:2]] == ["Kravitz", None]


def test_the_gapped_subjects_verb_is_read_within_its_reach() -> None:
    # "Said Lee, “…,” and " 3,000 times with no full stop: every quote's gapped subject
    # (quotes._gapped_subject) looked for its verb from the sentence's start, 22 s on a
    # loaded machine (4 s now, within ONE_CUE_REACH characters). Timed in this process's CPU
    # seconds, which a loaded machine does not stretch as it does the wall clock (it took
    # 22-25 s of both before; 4.3 CPU s now, and over 12 s of wall time under a load of 6).
    text = "Ann Lee spoke. " + "Said Lee, “We will rebuild the bridge,” and " * 3000 + "end."
    article = story_of(text, stages=("clean", "segment", "entities", "sources")).articles[0]
    started = time.process_time()
    found = quotes.quotes_of(article)
    assert time.process_time() - started < 12
    assert len(found) == 3000


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


def test_role_speakers_of_a_run_on_sentence_find_their_person_once() -> None:
    # "the mayor said, “…”" 1,500 times after "Mayor Karen Bass": each quote whose speaker is
    # a role noun rescanned every "mayor" of the article for the person it describes, in the
    # sources and the quotes stage alike (28 s and 39 s for 2,000 of them).
    text = "Mayor Karen Bass visited the site. " + \
        "the mayor said, “We will rebuild the bridge”. and " * 1500
    story = story_of(text, stages=("clean", "segment", "entities"))
    started = time.perf_counter()
    extract_sources(story)
    assert time.perf_counter() - started < 4  # 17.7 s before, 0.3 s now
    started = time.perf_counter()
    extract_quotes(story)
    assert time.perf_counter() - started < 4  # 16.6 s before, 0.5 s now
    found = story.articles[0].quotes
    assert len(found) == 1500
    assert {(q.speaker, q.cue) for q in found} == {("Karen Bass", "said")}


def test_role_speakers_among_many_titled_people_find_their_person_once() -> None:
    # 1,600 sentences naming a new senator and governor every four, each with a role quote
    # ("the mayor said", "Lawyers for …", "Asked about …, the spokesman said"): the people
    # each title names, and the mentions of each, were looked up afresh per quote, in the
    # sources and the quotes stage alike (review R8: for 2,000 such sentences the pipeline
    # took 112 s, 50 s of it in ``_titled``; 27 s now, parsing included).
    rng = random.Random(1)
    first = ("Ada Ben Carl Dana Eve Frank Grace Hugo Iris Jack Kate Leo Mia Ned Olga Paul Rosa "
             "Sam Tina Victor").split()
    last = ("Hale Kerr Ruiz Lee Novak Patel Smith Okafor Berg Costa Duval Moreno Quinn Varga "
            "Walsh Young Zhou Ibsen Lund Marsh").split()
    sentences = []
    for i in range(400):
        one = f"{rng.choice(first)} {rng.choice(last)}"
        other = f"{rng.choice(first)} {rng.choice(last)}"
        sentences += [f"Sen. {one} met Gov. {other} on Monday.",
                      f"“We will win round {i},” the mayor said.",
                      f"Lawyers for {other} said the ruling was “unfair to everyone.”",
                      f"Asked about {one}, the spokesman said, “It is fine.”"]
    story = story_of(" ".join(sentences), stages=("clean", "segment", "entities"))
    started = time.perf_counter()
    extract_sources(story)
    extract_quotes(story)
    assert time.perf_counter() - started < 3.5  # 6 s before, 0.6 s now
    found = story.articles[0].quotes
    assert len(found) == 1200
    assert {q.speaker for q in found if q.cue == "said" and
            story.articles[0].text[q.start:q.end].startswith("It is")} == {"spokesman"}


def _described_by_scanning(article: Article, before: int, head: Any, index: EntityIndex,
                           ) -> str | None:
    """The person a description names, the plain way: every token of the role asked."""
    role = head.lemma_.lower()
    wanted = {t.lower_ for t in head.lefts if t.dep_ in ("compound", "amod")}
    found: list[tuple[int, str]] = []
    for token in article.doc:
        if token.i == head.i or \
                quotes._TITLE_WORDS.get(token.lower_, token.lemma_.lower()) != role:
            continue
        if token.dep_ in ("appos", "compound") and token.head.pos_ == "PROPN":
            name = token.head
        else:
            name = next((c for c in token.children if c.dep_ == "appos" and c.pos_ == "PROPN"),
                        None)
        if name is None:
            continue
        nearby = {t.lower_ for t in token.doc[max(0, token.i - 4):token.i + 1]}
        if not wanted <= nearby | {t.lower_ for t in token.subtree}:
            continue
        while name.dep_ == "compound" and name.head.pos_ == "PROPN":
            name = name.head
        first = min((t for t in name.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"),
                    key=lambda t: t.i, default=name)
        entity = index.at(article, first.idx, name.idx + len(name.text), types=("PERSON",))
        if entity is not None:
            found.append((token.idx, str(entity.name)))
    earlier = [f for f in found if f[0] < before]
    if earlier:
        return earlier[-1][1]
    return found[0][1] if found else None


DESCRIBED_PEOPLE = (
    "Indiana Governor Mike Pence spoke on Monday. The Ohio governor, John Kasich, disagreed. "
    "“We will see,” the governor said. Sen. Elizabeth Warren, the Massachusetts senator, "
    "objected. “No,” the senator said. Mayor Karen Bass met the Chicago mayor, Brandon "
    "Johnson. “Yes,” the Chicago mayor said. “Maybe,” the mayor said. Gov. Gavin Newsom, "
    "the California governor, joined them. “Later,” the Indiana governor said. The "
    "president, Joe Biden, called Senator Bernie Sanders. “Soon,” the president said, and "
    "the Vermont senator agreed. Governor Kathy Hochul said the governors would meet.")


def test_the_person_a_description_names_is_the_one_scanning_finds(
        seed_corpus_extracted: Brief) -> None:
    # The lists built once per document and bisected give the person the scan of every token
    # gave, for every role noun of the seed articles and a story of many titled people, read
    # as a speaker at every role noun's offset (and before and after all of them).
    named: Counter[str] = Counter()
    answers: set[tuple[int, str]] = set()  # (head, person): a head's answer varies with before
    for story in (seed_corpus_extracted, story_of(DESCRIBED_PEOPLE)):
        index = EntityIndex(story)
        for article in story.articles:
            heads = [t for t in article.doc if t.lemma_.lower() in quotes.ROLE_NOUNS
                     or t.lower_ in quotes._TITLE_WORDS]
            offsets = sorted({0, len(article.text)} | {t.idx + d for t in heads for d in (0, 1)})
            for head in heads:
                for before in offsets:
                    expected = _described_by_scanning(article, before, head, index)
                    assert quotes._person_by_description(article, before, head, index) == \
                        expected
                    if expected is not None:
                        named[expected] += 1
                        answers.add((head.i, expected))
    assert len(named) >= 6, named
    assert len(answers) > len({head for head, _ in answers})


# --- entities: merging the story's names ---------------------------------------------------


def test_the_headline_cut_of_a_thousand_title_lines_counts_the_words_alone_once() -> None:
    # Each unnamed word of each three-word name on a title line was looked for alone in the
    # whole text with a regex of its own: 38 s for 1,000 title-case lines (each its own title
    # here, so that every line is cut). The counts of words written alone are built once.
    rng = random.Random(7)
    lines = [f"{_word(rng)} {_word(rng)} {_word(rng)} Dies At Home After Long Illness In Town"
             for _ in range(1000)]
    lines += [f"{line.split()[rng.randint(0, 2)]} said." for line in lines[::3]]
    text = "\n".join(lines)
    casing = _casing([text])
    alone = _WordsAlone(text)
    spans = []
    position = 0
    for line in lines[:1000]:
        spans.append((position, position + len(" ".join(line.split()[:5]))))
        position += len(line) + 1
    started = time.perf_counter()
    cuts = [_headline_name_end(text, s, e, casing, text[s:text.index("\n", s)], alone)
            for s, e in spans]
    assert time.perf_counter() - started < 5
    # "Dies At" cut off
    assert sum(cut < end for cut, (_, end) in zip(cuts, spans, strict=True)) > 300
    # the counts answer as the plain search for the word alone off its line does
    for start, end in spans[:100]:
        line_start, line_end = start, text.index("\n", start)
        on_line = _words_alone(text, line_start, line_end)
        for word in text[start:end].split():
            plain = re.compile(rf"\b{re.escape(word)}\b(?![ \t]+[A-Z])")
            assert alone.outside(word, on_line) == bool(
                plain.search(text, 0, line_start) or plain.search(text, line_end)), word


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


def test_a_role_held_for_a_person_finds_its_pairings_once() -> None:
    # "“…,” his spokesman said" in 800 paragraphs: each quote rescanned every "spokesman" of
    # the article for the one paired with "his" (review R13: 12 s for 800, 0.1 s then); and
    # with the pairing made again in every paragraph, each quote read the holder of every
    # pairing before it (review R14: 25 s before R13's fix, 2.9 s after it, 0.3 s now).
    paragraphs = ["Dan Ruiz attacked the plan on Monday. His spokesman, Jo Hale, called it a "
                  "mistake."] + [
        f"Ruiz spoke again on day {i + 1} about the spokesman and the lawyer. His spokesman, "
        f"Jo Hale, called item {i} a mistake. “He is busy with item {i},” his spokesman "
        f"said. His lawyer said nothing." for i in range(800)]
    story = story_of("\n\n".join(paragraphs),
                     stages=("clean", "apart", "segment", "entities", "sources"))
    started = time.perf_counter()
    extract_quotes(story)
    assert time.perf_counter() - started < 2
    found = story.articles[0].quotes
    assert len(found) == 800 and found[-1].speaker == "Jo Hale"


# --- sources: the short forms of cited names -----------------------------------------------


def test_settling_the_short_forms_of_thousands_of_cited_sources_is_fast() -> None:
    # Each short form ("the Times") scanned every distinct fuller name the article cites
    # (review 2: 11.3 s for 4,000 "X Times" and 4,000 "the Times"; 0.1 s now). The nearest
    # fuller name before each is the plain way's: the last "X Times", through the short
    # forms settled before it.
    from crossbrief.extract.sources import _settle
    from crossbrief.model import Citation

    rng = random.Random(7)
    names = sorted({_word(rng) + _word(rng) for _ in range(4000)})
    parts: list[str] = []
    citations: list[Citation] = []
    at = 0
    for name in names:
        citations.append(Citation(f"{name} Times", at + 4, at + 4 + len(name) + 6, "outlet"))
        parts.append(f"the {name} Times said. ")
        at += len(parts[-1])
    for _ in names:
        citations.append(Citation("The New York Times", at + 4, at + 9, "outlet"))
        parts.append("the Times said. ")
        at += len(parts[-1])
    article = Article(id="x", source="x", text="".join(parts), input="x")
    started = time.perf_counter()
    settled = _settle(article, citations)
    assert time.perf_counter() - started < 2
    assert [c.outlet for c in settled] == [f"{n} Times" for n in names] + [
        f"{names[-1]} Times"] * len(names)


def test_call_signs_by_the_thousand_are_read_in_one_pass() -> None:
    # Whether the article spells a station's letters out ("(WHO)" after World Health
    # Organization) is read once for the article, not by a scan of the whole text for each
    # call sign: 20,000 "told WXYZ." were 20,000 scans of 300,000 characters.
    from crossbrief.extract.sources import _stations_in

    text = "Police told WXYZ. " * 20000 + "The World Health Organization (WHO) met. WXYZ News."
    article = Article(id="x", source="example.com", text=text, input="x")
    started = time.perf_counter()
    found = _stations_in(article)
    assert time.perf_counter() - started < 3
    assert len(found) == 20000


def test_the_own_station_check_of_thousands_of_call_signs_is_linear() -> None:
    # Each call sign was looked for in the whole joined text of the article's copyright
    # holders (review R1: 111 s for 800,000 characters of notices and citations; 21.6 s for
    # the 424,000 here before, 0.2 s now): the owners' call letters are read once, a set.
    from crossbrief.extract.sources import _settle
    from crossbrief.model import Citation

    unit = "© 2016 Getty Images\nPolice told KNBC 4 the man fled.\n© 2016 WOIO\n"
    at = unit.index("KNBC")
    citations = [Citation("KNBC", n * len(unit) + at, n * len(unit) + at + 4, "outlet")
                 for n in range(8000)]
    citations.append(Citation("WOIO", len(unit) * 8000 + 12, len(unit) * 8000 + 16, "outlet"))
    article = Article(id="x", source="example.com", text=unit * 8000 + "Police told WOIO.",
                      input="x")
    started = time.perf_counter()
    settled = _settle(article, citations)
    assert time.perf_counter() - started < 3
    assert [c.outlet for c in settled] == ["KNBC"] * 8000


# --- dates: datelines ------------------------------------------------------------------------


def test_the_dateline_check_of_each_date_of_a_run_on_sentence_looks_a_few_tokens_back() -> None:
    # "Results: Nov. 1, 2000 -- 0, Nov. 2, 2001 -- 1, …" in one sentence: each date's dateline
    # check listed the sentence's tokens before it (review B: 30.3 s for 1,500 dates; the
    # bound here is far under that and generous for a loaded machine).
    from crossbrief.extract.dates import anchor_candidates

    text = "Results: " + ", ".join(f"Nov. {d % 28 + 1}, {2000 + d % 25} -- {d}"
                                   for d in range(1500)) + "."
    article = story_of(text, stages=("clean", "segment")).articles[0]
    assert max(s.end - s.start for s in article.sentences) > 10000  # parsed in pieces
    started = time.perf_counter()
    found = anchor_candidates(Brief(articles=[article]))
    assert time.perf_counter() - started < 8
    assert len(found) == 1500


def test_the_dateline_check_of_dates_opening_paragraphs_reads_the_first_paragraphs_once() -> None:
    # A long first paragraph, then 1,200 paragraphs that each open with a dated line: each
    # date's dateline check read the first paragraphs again to count them, up to three times a
    # date (review of 76d76b6: 33.7 s for 1,500 such dates; the bound is generous for a loaded
    # machine). They open no first or second paragraph: items of a timeline, no datelines.
    from crossbrief.extract.dates import anchor_candidates
    from crossbrief.segment import opening_paragraph

    first = "The council met on the budget and talked at length. " * 1200
    items = [f"Nov. {d % 28 + 1}, {2000 + d % 25} — Rain fell in district {d}."
             for d in range(1200)]
    article = story_of(first + "\n\n" + "\n\n".join(items), stages=("clean", "segment")).articles[0]
    started = time.perf_counter()
    found = anchor_candidates(Brief(articles=[article]))
    assert time.perf_counter() - started < 5
    assert len(found) == 1200
    # The paragraph counted from the starts found once is the one counted from the text.
    from crossbrief.segment import paragraph_starts

    text = article.text
    starts = paragraph_starts(text)
    for at in (0, text.index("Nov. 1,"), text.index("Nov. 2,"), text.index("Rain")):
        assert opening_paragraph(text, at, starts=starts) == opening_paragraph(text, at)
