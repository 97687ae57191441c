from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

import crossbrief
from crossbrief.align import find_near_copies
from crossbrief.clean import fold
from crossbrief.cli import example_path
from crossbrief.model import Article, Brief, QuoteGroup

from .conftest import GOLDEN, benchmark, seed_article, story_of

EXPECTED = json.loads((GOLDEN / "maravel_expected.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def example() -> Brief:
    return crossbrief.analyze([str(example_path())])


def names(corpus: Brief) -> dict[str, str]:
    return {a.id: Path(a.input).name for a in corpus.articles}


def group_with(corpus: Brief, words: str) -> QuoteGroup:
    """The group whose text holds ``words`` (or, for a reworded anchor, its first words)."""
    for group in corpus.quote_groups:
        if fold(words) in fold(group.text):
            return group
    head = " ".join(fold(words).split()[:5])
    for group in corpus.quote_groups:
        if head in fold(group.text):
            return group
    raise AssertionError(f"no quote group holds {words!r}")


def test_near_copies_in_the_example(example: Brief) -> None:
    by_id = names(example)
    assert [sorted(by_id[i] for i in group) for group in example.near_copies] == [
        sorted(pair) for pair in EXPECTED["near_copies"]]


def test_no_near_copies_among_independent_reports(seed_corpus_extracted: Brief) -> None:
    assert seed_corpus_extracted.near_copies == []


def test_near_copy_needs_most_of_the_text() -> None:
    body = " ".join(f"word{i}" for i in range(60))
    a = Article(id="a", source="A", text=body, input="a")
    b = Article(id="b", source="B", text=body + " plus a closing line of its own.", input="b")
    c = Article(id="c", source="C", text=" ".join(f"other{i}" for i in range(60)), input="c")
    assert find_near_copies([a, b, c]) == [["a", "b"]]


def test_seed_quote_matrix(seed_corpus_extracted: Brief) -> None:
    c = seed_corpus_extracted
    journey = group_with(c, "journey of friendship, cooperation and peace")
    carried = {r.article: r.partial for r in journey.refs}
    assert carried[seed_article(c, "002").id] is False
    assert carried[seed_article(c, "001").id] is True
    readiness = group_with(c, "such readiness from their side")
    carried = {r.article: r.partial for r in readiness.refs}
    assert carried == {seed_article(c, "000").id: False, seed_article(c, "004").id: True}
    assert readiness.speaker == "Vladimir Putin"


@pytest.mark.parametrize(
    "expected",
    [q for q in EXPECTED["quotes"]
     if len(q["articles"]) + len(q.get("partial_in", [])) + len(q.get("reworded_in", [])) > 1
     and len(q["text"].split()) > 2],
    ids=lambda q: q["text"][:30],
)
def test_example_quote_matrix(example: Brief, expected: dict[str, object]) -> None:
    parts = expected.get("text_parts") or [expected["text"]]
    group = group_with(example, str(parts[0]))  # type: ignore[index]
    by_id = names(example)
    carried = {by_id[r.article]: r for r in group.refs}
    for name in expected["articles"]:  # type: ignore[attr-defined]
        assert name in carried and not carried[name].partial
    for name in expected.get("partial_in") or []:  # type: ignore[attr-defined]
        assert carried[name].partial
    for name in expected.get("reworded_in") or []:  # type: ignore[attr-defined]
        assert carried[name].reworded
    assert group.speaker == expected["speaker"]


def test_every_ref_points_at_its_quote(example: Brief) -> None:
    articles = {a.id: a for a in example.articles}
    for group in example.quote_groups:
        for ref in group.refs:
            quote = next(q for q in articles[ref.article].quotes if q.id == ref.quote)
            assert (quote.start, quote.end) == (ref.start, ref.end)


@pytest.mark.parametrize(("sentence", "embedded"), [
    ("Putin spoke warmly about the peace plan that President Xi proposed last month.",
     ["the peace plan that President Xi proposed last month"]),
    ("Putin said many provisions of the peace plan put forward by China were sound.",
     ["the peace plan put forward by China"]),
    # The relative pronoun is the subject: the clause describes, it states no new actor.
    ("China has proposed a 12-point peace plan that would call for a ceasefire.", []),
    # Non-restrictive: already a clause unit of its own.
    ("Putin praised the plan, which Xi proposed in February, at the Kremlin dinner.", []),
])
def test_facts_embedded_in_noun_phrases_are_units(sentence: str, embedded: list[str]) -> None:
    from crossbrief.align import split_units

    units = split_units(story_of(sentence).articles[0])
    assert [u.text for u in units if u.embedded] == embedded
    assert any(not u.embedded and u.text.startswith(sentence[:20]) for u in units)


class _CountingDoc:
    """A spaCy Doc that counts how often its text is built."""

    def __init__(self, doc: object) -> None:
        self._doc = doc
        self.text_reads = 0

    @property
    def text(self) -> str:
        self.text_reads += 1
        return str(self._doc.text)  # type: ignore[attr-defined]

    def __getitem__(self, key: object) -> object:
        return self._doc[key]  # type: ignore[index]

    def __getattr__(self, name: str) -> object:
        return getattr(self._doc, name)


class _SentenceOf:
    """A sentence span whose ``doc`` is the counting one."""

    def __init__(self, sent: object, doc: _CountingDoc) -> None:
        self._sent, self.doc = sent, doc

    def __iter__(self) -> object:
        return iter(self._sent)  # type: ignore[call-overload]

    def __getattr__(self, name: str) -> object:
        return getattr(self._sent, name)


def test_clauses_build_the_doc_text_once_not_once_per_sentence() -> None:
    # spaCy joins every token again on each read of doc.text: read once per sentence, claims
    # took time quadratic in the article's length (9 s of a 200,000-character article;
    # benchmarks/fuzz.py).
    from crossbrief.align import _clauses

    text = " ".join(f"The council met on day {n} in the hall; the mayor said that item {n} "
                    "would pass." for n in range(12))
    doc = story_of(text, stages=("clean", "segment")).articles[0].doc
    counting = _CountingDoc(doc)
    pieces = [_clauses(_SentenceOf(sent, counting)) for sent in doc.sents]
    assert sum(len(p) > 1 for p in pieces) >= 10
    assert counting.text_reads <= 1


def test_claims_take_a_bounded_number_of_clauses_per_article(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Every pair of clauses in the story is scored: a 5 MB article's 40,000 clauses would
    # need tens of GB (benchmarks/fuzz.py). Its first MAX_ARTICLE_UNITS are taken.
    from crossbrief import align

    text = " ".join(f"The council met on day {n} in the hall with Mayor Anna Berg." for n in
                    range(30))
    article = story_of(text, stages=("clean", "segment", "entities", "dates")).articles[0]
    whole = align.split_units(article)
    assert len(whole) >= 30
    for unit in whole:  # mentions and dates inside each clause, as a plain scan finds them
        inside = [m for m in article.mentions if m.start >= unit.start and m.end <= unit.end]
        assert unit.entities == frozenset(m.entity for m in inside if m.entity)
        assert unit.numbers == len([m for m in inside if m.label in align.NUMBER_LABELS])
    monkeypatch.setattr(align, "MAX_ARTICLE_UNITS", 10)
    capped = align.split_units(article)
    assert 10 <= len(capped) < len(whole)
    assert [u.start for u in capped] == [u.start for u in whole[:len(capped)]]


def test_quotes_are_matched_by_whole_words_and_a_bounded_number_per_article(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Each quote is compared with every group found before it: an article's first
    # MAX_ARTICLE_QUOTES are taken (a 5 MB article has thousands; benchmarks/fuzz.py).
    from crossbrief import align

    assert align._contains("the bridge was safe", "bridge was")
    assert not align._contains("the bridge was safe", "ridge was")
    assert align._contains("safe", "safe") and not align._contains("unsafe", "safe")
    said = ["The harbour stays closed until spring", "Nobody was hurt in the blaze",
            "Our schools reopen on Monday morning", "Taxes will not rise again this year",
            "The new ferry line starts in June", "Three suspects were arrested overnight",
            "Water from the tap is safe to drink", "The museum doubles its opening hours"]
    texts = [" ".join(f"“{words},” the mayor said." for words in said)] * 2
    corpus = story_of(*texts, stages=("clean", "segment", "entities", "sources", "quotes"))
    assert len(align.match_quotes(corpus)) == 8
    monkeypatch.setattr(align, "MAX_ARTICLE_QUOTES", 3)
    assert len(align.match_quotes(corpus)) == 3


# --- candidate sentences: captions and fragments are no claims ------------------------------

@pytest.mark.parametrize(("sentence", "kind"), [
    # Captions: a photo credit in the sentence, whatever else it says.
    ("Police officers walk down Main Street on March 13 in Herkimer. (Photo: Brett Carlsen)",
     "caption"),
    ("Mourners gather outside the school on Friday (AP Photo/Jane Doe)", "caption"),
    ("Photo by Scott Olson of the crowd outside the courthouse.", "caption"),
    # A bare credit in brackets as the next sentence of its paragraph (clean.is_caption).
    ("Five people were shot near the corner of Oak and Elm streets on May 2, 2015. (CBS)",
     "caption"),
    # Not a station's paragraph closed by its call sign after a reporting verb.
    ("He was taken to Riverton Medical Center and is expected to survive, police said. (WKRN)",
     None),
    # Fragments: no finite verb (datelines, contact lines, headlines run into the text).
    ("KUTV (CBS) SALT LAKE CITY - ", "fragment"),
    ("Contact Jessica Parks at 610-313-8117 or on Twitter.", "fragment"),
    ("Okla. twins killed in apartment shooting on Sunday night", "fragment"),
    # Headings: the last sentence of a paragraph with no mark to close it (a bullet point
    # above the story, a picture's caption with its label, a video's title).
    ("Ambushed: Jane Roe, of Riverton, was robbed and shot dead early on Tuesday near the mall",
     "heading"),
    ("Slain clerk was married with two children", "heading"),
    ("May 2, 2024 - Riverton Shooting: 2 dead, 1 wounded at home, police say", "heading"),
    ("“We have a lot of unanswered questions”", "heading"),
    # Credits of the reporters.
    ("Staff Writer Jane Roe contributed to this article.", "credit"),
    ("Tribune reporter Jane Roe contributed.", "credit"),
    ("The Associated Press contributed to this report.", "credit"),
    ("Many factors in the town's decline contributed.", None),
    ("Chicago Tribune's Jane Roe contributed.", "credit"),
    ("Jane Roe and John Doe contributed reporting.", "credit"),
    # A name alone before "contributed" is no reporter's credit.
    ("Both Apple and Google contributed.", None),
    ("The fund raised $2 million, of which the Gates Foundation contributed.", None),
    # An ellipsis closes a sentence as a full stop does.
    ("The gunman fled north on foot and was never found by the officers…", None),
    ("The gunman fled north on foot and was never found by the officers […]", None),
    # A reference's footnote marks after the full stop close the sentence.
    ("Zawahri died of multiple gunshot wounds at the scene.[31]", None),
    # Statements of fact, including a present plural the tagger reads as a base form.
    ("The exiles stand daily outside the clinic holding up photographs.", None),
    ("Police said the gunman had fired at least 12 shots.", None),
    ("The photographer was among the 23 people taken to hospital.", None),
])
def test_captions_and_fragments_are_not_candidate_claims(sentence: str,
                                                          kind: str | None) -> None:
    from crossbrief.align import sentence_kind, split_units
    from crossbrief.nlp import load_spacy
    from crossbrief.segment import segment_article

    # Parsed as it stands: the clean stage would take a lone credit line for boilerplate.
    article = Article(id="a", source="outlet", text=sentence, input="a.txt")
    segment_article(article, load_spacy(crossbrief.load_settings().spacy_model)(sentence))
    assert sentence_kind(article, 0) == kind
    assert bool(split_units(article, claims=True)) == (kind is None)
    assert split_units(article)  # the conflicts stage still reads it


def _units(text: str, *, claims: bool = True) -> list[str]:
    """The clauses of ``text`` that may word a claim (with ``claims``), or all of them."""
    from crossbrief.align import split_units
    from crossbrief.nlp import load_spacy
    from crossbrief.segment import segment_article

    article = Article(id="a", source="outlet", text=text, input="a.txt")
    segment_article(article, load_spacy(crossbrief.load_settings().spacy_model)(text))
    return [u.text for u in split_units(article, claims=claims) if not u.quoted]


# (with finite verbs: a fragment is no candidate anyway)
CHANTS = "“They will not close the Orrin ferry!” “Our harbour is not for sale!”"
MARCH = ("“We want our ferry back and we want it this summer”; hundreds of dockworkers "
         "marched to the Orrin town hall on Friday.")


def test_a_sentence_of_quotations_only_words_no_claim() -> None:
    # A list of chants: every word inside quotation marks, none of the reporter's own.
    assert _units(CHANTS) == []
    assert _units(CHANTS, claims=False)  # the conflicts stage still reads it
    # With a reporting clause outside the quotation, it may.
    said = "“Save our harbour jobs,” the dockworkers chanted outside the town hall."
    assert _units(said) == [said.lstrip("“")]
    assert _units(MARCH, claims=False)[0].startswith("We want")  # two clauses
    assert _units(MARCH) == ["hundreds of dockworkers marched to the Orrin town hall on Friday."]


def test_quotations_only_make_no_claim_and_a_claim_is_worded_outside_them() -> None:
    corpus = story_of(*(f"{CHANTS}\n\n{MARCH}\n\n{filler}" for filler in _FILLER),
                      stages=("clean", "apart", "segment", "entities", "sources", "quotes",
                              "dates", "opinion", "align", "claims"))
    texts = [claim.text for claim in corpus.claims]
    assert "hundreds of dockworkers marched to the Orrin town hall on Friday." in texts
    assert not [t for t in texts if "ferry!" in t or "for sale" in t or "We want" in t], texts


def test_a_semicolon_parts_only_clauses_that_state_something() -> None:
    # A list whose items are no clauses: one claim, not "Omar P. Jarman, 35".
    names = ("Anna B. Berg, 35; Karl N. Lund, 34; and Ida B. Moss, 26, died in the "
             "shooting on Tuesday.")
    assert _units(names) == [names]
    famine = ("Red Cross officials saw the ravages of the famine: electricity supplied to "
              "half the capital at a time; the elderly looking swollen; a generation of "
              "children stunted.")
    assert _units(famine) == [famine]
    # Two clauses with their own verbs are two units, as before.
    two = ("One of the injured deputies was taken to a hospital in New Orleans; the other was "
           "taken to a Lafayette hospital.")
    assert _units(two) == ["One of the injured deputies was taken to a hospital in New Orleans",
                           "the other was taken to a Lafayette hospital."]


def test_a_clause_after_nor_keeps_its_nor() -> None:
    # Cut off, "have officials released the names …" said the opposite of the sentence.
    units = _units("Police have not named the victims, nor have officials released the names "
                   "of the two wounded deputies.")
    assert units == ["Police have not named the victims",
                     "nor have officials released the names of the two wounded deputies."]


@pytest.mark.parametrize(("text", "alone"), [
    ("30 percent of whom were acutely malnourished.", False),
    ("most of which burned down before dawn.", False),
    ("two of whom died at the scene.", False),
    ("which killed nine people.", False),
    # A clause after a semicolon opening with a noun and its relative clause reads alone.
    ("the house in which the family lived was destroyed on Monday.", True),
    ("the man to whom the gun belonged was arrested.", True),
])
def test_only_a_relative_pronoun_or_a_quantity_of_whom_opens_a_cut_clause(
        text: str, alone: bool) -> None:
    from crossbrief.align import Unit, _reads_alone

    unit = Unit(Article("a", "a", text, "a"), 0, len(text), 0, text)
    assert _reads_alone(unit) is alone


def test_a_claim_is_worded_by_a_clause_that_reads_alone() -> None:
    from crossbrief.align import Unit, representative
    from crossbrief.model import Sentence

    # A relative clause cut from its noun is closest to the others, yet the claim is worded
    # by a whole clause.
    relative = Unit(Article("a", "a", "x" * 100, "a"), 0, 10, 0, "Noun xxxxxxxxxx")
    whole = [Unit(Article(n, n, "x" * 100, n), 0, 10, 0, "x" * 10) for n in "bc"]
    scores = _rounded([[0, 900, 900], [900, 0, 100], [900, 100, 0]])
    assert representative([0, 1, 2], [relative, *whole], scores) == 1
    # So is one the parse cut as a coordinated clause, with no noun for its context.
    text = "30 percent of whom were acutely malnourished."
    cut = Unit(Article("a", "a", text, "a"), 0, len(text), 0, text)
    assert representative([0, 1, 2], [cut, *whole], scores) == 1
    # A sentence opening with a capital is none ("… the seriousness with which …").
    text = "In an indication of the seriousness with which experts view it, the toll rose."
    sentence = Unit(Article("a", "a", text, "a"), 0, len(text), 0, text)
    assert representative([0, 1, 2], [sentence, *whole], scores) == 0
    # A clause after a semicolon ("the other was taken …") gives way to one that opens its
    # sentence.
    text = "One was taken to a hospital; the other was taken to a Lafayette hospital."
    after = Article("a", "a", text, "a", sentences=[Sentence(0, len(text), 0)])
    other = "Both deputies were taken to a Lafayette hospital."
    opening = Article("b", "b", other, "b", sentences=[Sentence(0, len(other), 0)])
    start = text.index("the other")
    units = [Unit(after, start, len(text), 0, text[start:]),
             Unit(opening, 0, len(other), 0, other)]
    scores = _rounded([[0, 800], [800, 0]])
    assert representative([0, 1], units, scores) == 1
    assert representative([1, 0], units, scores) == 1


def test_a_relative_clause_alone_is_no_single_source_fact() -> None:
    from crossbrief.align import _is_fact, split_units
    from crossbrief.model import overlap_counter

    article = story_of("The ferry crew rescued Anna Berg, who pulled at least 15 survivors "
                       "from the river on Tuesday.").articles[0]
    article.dates = []
    units = split_units(article)
    relative = [u for u in units if u.text.startswith("who")]
    assert relative and relative[0].context.startswith("Anna Berg who pulled")
    quoted = {article.id: overlap_counter([])}
    assert not _is_fact(relative[0], {article.id: frozenset()}, quoted)
    assert _is_fact(units[0], {article.id: frozenset()}, quoted)


def test_quoted_characters_are_looked_up_not_scanned() -> None:
    # A unit's quoted characters were summed over every quote of its article: a minute on a
    # page of 6,000 quotations. The scan it replaced is the reference.
    from crossbrief.model import overlap_counter

    spans = [(s, s + (s * 7) % 23 + 1) for s in range(0, 2000, 11)] + [(300, 900), (5, 5)]
    overlap = overlap_counter(spans)
    for start in range(0, 2100, 17):
        for end in (start, start + 5, start + 40, start + 700):
            assert overlap(start, end) == sum(max(0, min(e, end) - max(s, start))
                                              for s, e in spans)
    assert overlap_counter([])(0, 10) == 0


def _shared_by_coordinates(sets: list[frozenset[str]], weight: dict[str, float] | None,
                           ) -> tuple[object, object]:
    """align._shared as it was first written (a sparse product of matrices built from
    coordinates): the order its sums were added in is the one the briefs were made with."""
    import numpy as np
    from scipy import sparse

    vocabulary: dict[str, int] = {}
    rows, cols, values = [], [], []
    for i, items in enumerate(sets):
        for item in sorted(items):
            rows.append(i)
            cols.append(vocabulary.setdefault(item, len(vocabulary)))
            values.append(1.0 if weight is None else weight[item])
    shape = (len(sets), max(1, len(vocabulary)))
    weighted = sparse.csr_matrix((values, (rows, cols)), shape=shape, dtype=np.float64)
    binary = sparse.csr_matrix(([1.0] * len(rows), (rows, cols)), shape=shape,
                               dtype=np.float64)
    return (np.asarray((weighted @ binary.T).todense()),
            np.asarray(weighted.sum(axis=1)).ravel())


@pytest.mark.parametrize("dense_cells", [0, 250_000])
def test_shared_weights_are_those_of_the_coordinate_product_bit_for_bit(
        dense_cells: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """align._shared (canonical sparse matrices built directly; counts by a dense product
    where small) gives the same matrices, to the last bit, as the coordinate-built sparse
    product it replaced: weights that are not sums of powers of two (rarity logs), words
    met in every order, empty sets, no items at all, and both paths for counts."""
    import math
    import random

    from crossbrief import align

    monkeypatch.setattr(align, "DENSE_SHARED_CELLS", dense_cells)
    draw = random.Random(16)
    words = [f"w{n}" for n in range(60)]
    weight = {w: math.log((1 + 97) / (1 + draw.randint(1, 90))) + 1.0 for w in words}
    cases = [[frozenset(draw.sample(words, draw.randint(0, 12))) for _ in range(n)]
             for n in (1, 2, 7, 40, 130) for _ in range(3)]
    cases += [[frozenset(), frozenset()], [], [frozenset({"w1"})] * 5]
    checked = 0
    for sets in cases:
        for given in (None, weight):
            ours = align._shared(sets, given)
            theirs = _shared_by_coordinates(sets, given)
            for mine, reference in zip(ours, theirs, strict=True):
                assert mine.dtype == reference.dtype and mine.shape == reference.shape
                assert mine.tobytes() == reference.tobytes()
            checked += given is not None and len(sets) > 2 and \
                len(set(ours[0].ravel().tolist())) > 10
    assert checked >= 6  # sums of many distinct weights, not only zeros and ones


def test_clause_features_kept_on_the_doc_are_those_read_afresh(example: Brief) -> None:
    # The claims and conflicts stages describe the same clauses; the second reads what the
    # first kept on the Doc, and gets the same words (in the same order), negation and root.
    from crossbrief.align import split_units

    def described(article: Article) -> list[tuple[object, ...]]:
        return [(u.start, u.end, list(u.words), u.negated, u.root, u.entities, u.numbers)
                for u in split_units(article)]

    for article in example.articles:
        split_units(article, claims=True)
        kept = described(article)
        article.doc.user_data.pop("crossbrief_unit_features")
        assert described(article) == kept


def _pair_score(first: str, second: str, *,
                stages: tuple[str, ...] = ("clean", "segment", "entities"),
                **rules: Any) -> tuple[float, float]:
    """(shipped score, plain logistic probability) of the first clauses of two one-sentence
    articles of different outlets, run through ``stages``; ``rules``: evidence rules set on
    the shipped model."""
    import math

    from crossbrief.align import claim_model, pair_features, scores_from, split_units
    from crossbrief.nlp import encode

    # Among other news: the features are relative to the story (centred vectors, rarity).
    story = story_of(f"{first} {_FILLER[0]}", f"{second} {_FILLER[1]}", stages=stages)
    units = [u for a in story.articles for u in split_units(a)]
    i, j = (next(k for k, u in enumerate(units)
                 if u.article.id == f"a{n}" and u.text.startswith(t[:20]))
            for n, t in enumerate((first, second)))
    features = pair_features(units, encode([u.context for u in units],
                                           crossbrief.load_settings()))
    model = dataclasses.replace(claim_model(), **rules)
    logit = model.intercept + sum(model.weights[f] * (float(m[i, j]) - model.mean[f])
                                  / model.scale[f] for f, m in features.items())
    return (float(scores_from(features, units, model=model)[i, j]),
            1.0 / (1.0 + math.exp(-logit)))


_FILLER = ("The weather stayed mild across the region all week. Local schools reopened after "
           "the long winter holiday. A travelling circus set up its tents near the river.",
           "A new bakery opened on the main street last month. The football club won its "
           "third match in a row. Tickets for the summer festival sold out within an hour.")


def test_a_negated_statement_does_not_support_the_plain_one() -> None:
    # Issue 12: the other side of a claim is not support ("Ukraine did not condemn Xi for
    # the visit" backed "Xi's visit strengthens Putin"). Measured on DUC 2006 SCU
    # (BENCHMARKS.md, evidence rules): the veto, out-of-fold precision 0.692 -> 0.682 at
    # recall 0.099 -> 0.106, within the noise; shipped for the definition it states.
    score, logistic = _pair_score("The harbour council approved the ferry budget on Monday.",
                                  "The harbour council did not approve the ferry budget.")
    assert logistic > 0.2 and score == 0.0
    same, _ = _pair_score("The harbour council approved the ferry budget on Monday.",
                          "The harbour council approved the ferry budget.")
    assert same > 0.2


def test_the_rule_of_shared_specifics_when_set() -> None:
    # Measured and not shipped (BENCHMARKS.md, evidence rules: at least 2 shared specifics,
    # each number or date once, cost a third of the recall on DUC 2006 SCU for no
    # precision), but ClaimModel.min_shared is kept for measuring it: related sentences, or
    # the other side, with one name in common score 0 under it.
    from crossbrief.align import claim_model, shared_specifics, split_units

    assert claim_model().min_shared == 0
    for first, second in (("The senator criticised the trade deal with Mexico.",
                           "Mexico's president defended the pact in a speech."),
                          ("The storm flooded hundreds of homes in Galveston.",
                           "Galveston officials opened three new shelters.")):
        units = [split_units(a)[0] for a in story_of(first, second).articles]
        assert shared_specifics(units)[0, 1] == 1
        score, logistic = _pair_score(first, second, min_shared=2)
        assert logistic > 0.15 and score == 0.0
    # Two shared specifics are enough.
    score, _ = _pair_score("The mayor resigned after the audit.",
                           "The mayor stepped down following the audit.", min_shared=2)
    assert score > 0.5


def test_a_number_or_a_date_is_one_shared_specific() -> None:
    # "March 20, 2023" was counted as the date and again as "march", "20" and "2023" (and
    # the month of two different dates as shared): two reports of different events on one
    # day passed the rule of two shared specifics (a review of issue 12's rules).
    from crossbrief.align import shared_specifics, split_units

    stages = ("clean", "segment", "entities", "dates")
    for first, second, shared in (
            ("The summit opened in Moscow on March 20, 2023.",
             "Protests broke out in Paris on March 20, 2023.", 1),
            ("The meetings started in Moscow on March 20, 2023.",
             "The talks will start in Moscow on March 21, 2023.", 2),  # start, Moscow
            ("Officials said 217 people were on board the plane.",
             "All 217 people on board the plane died.", 4),  # 217, people, board, plane
            # (a second review: the words of "$4.5 million" and "Hundreds" were still counted
            # beside the number, as "4.5" and "hundred")
            ("The company paid $4.5 million for a warehouse in Lyon.",
             "Rebels seized $4.5 million from a bank vault.", 1),
            ("Hundreds of people attended the funeral in Lyon.",
             "Hundreds of miners went on strike.", 1)):
        units = [split_units(a)[0] for a in story_of(first, second, stages=stages).articles]
        assert shared_specifics(units)[0, 1] == shared, (first, second)


def test_embedded_propositions_alone_make_no_claim(monkeypatch: pytest.MonkeyPatch) -> None:
    # "a peace deal brokered by China" and "the peace plan put forward by China" (the seeds)
    # made a corroborated claim of two noun phrases: an embedded proposition only supports
    # what a whole clause of another article states.
    import numpy as np

    from crossbrief import align

    def embedded_alike(features: object, units: list[align.Unit], **_: object) -> object:
        flags = np.array([u.embedded for u in units])
        scores = np.where(np.logical_and.outer(flags, flags), 0.9, 0.0).astype(np.float32)
        article = np.array([u.article.id for u in units], dtype=object)
        scores[article[:, None] == article[None, :]] = 0.0
        return scores

    monkeypatch.setattr(align, "scores_from", embedded_alike)
    story = story_of("Kyiv will not entertain a peace deal brokered by China this spring.",
                     "Putin praised the peace plan put forward by China at the dinner.",
                     stages=("clean", "segment", "entities", "sources", "quotes", "dates",
                             "opinion", "align", "claims"))
    units = [u for a in story.articles for u in align.split_units(a, claims=True)]
    assert sum(u.embedded for u in units) == 2  # the two noun phrases are units
    assert not [c for c in story.claims if len({s.article for s in c.support}) > 1]


_DATED = ("clean", "segment", "entities", "dates")


def test_one_verb_given_different_dates_is_no_support() -> None:
    # Issue 12: the other side of a disagreement is not support. On the seeds, "The meetings
    # started on Monday, March 20th, and ended on March 22nd." was backed by "… whose nations
    # will start official talks on March 21." (0.504, on "start" and the month). The rule:
    # the same verb, dates attached to it in both, no day in common.
    from crossbrief.align import claim_model

    assert "date" in claim_model().verb_veto
    first = "The trade talks between the two ministers started in Geneva on March 20, 2023."
    score, logistic = _pair_score(
        first, "The trade talks between the two ministers will start in Geneva on March 21, "
        "2023.", stages=_DATED)
    assert logistic > 0.2 and score == 0.0
    # A date that has the day in common (a month, a span) is compatible; so is none.
    for second in ("The trade talks between the two ministers started in Geneva in March "
                   "2023.",
                   "The trade talks between the two ministers started in Geneva on Monday, "
                   "March 20, 2023.",
                   "The trade talks between the two ministers started in Geneva."):
        score, _ = _pair_score(first, second, stages=_DATED)
        assert score > 0.2, second


def test_which_pairs_give_one_verb_different_specifics() -> None:
    from crossbrief.align import split_units, verb_disagreements

    def disagree(first: str, second: str, kinds: tuple[str, ...] = ("date",),
                 direct: bool = False) -> bool:
        units = [split_units(a)[0] for a in story_of(first, second, stages=_DATED).articles]
        return bool(verb_disagreements(units, kinds, direct)[0, 1])

    assert disagree("The bridge collapsed on May 3, 2021.", "The bridge collapsed on May 4, "
                    "2021.")
    # Different verbs: two events of one story ("started" / "ended"), not a disagreement.
    assert not disagree("The strike started on May 3, 2021.", "The strike ended on May 9, "
                        "2021.")
    # A day in common: a month, a week, a span.
    assert not disagree("The bridge collapsed in May 2021.", "The bridge collapsed on May 4, "
                        "2021.")
    assert not disagree("The festival ran from May 3 to May 9, 2021.",
                        "The festival ran on May 4, 2021.")
    # When it was said is not what was said.
    assert not disagree("Police said on May 3, 2021 that the bridge was unsafe.",
                        "Police said on May 4, 2021 that the bridge was unsafe.")
    # Numbers, when asked for: as written or as a value.
    assert disagree("The crash killed 217 people.", "The crash killed 200 people.", ("number",))
    assert not disagree("The crash killed 217 people.", "The crash killed 217 passengers.",
                        ("number",))
    assert not disagree("The crash killed nine people.", "The crash killed 9 people.",
                        ("number",))
    # Only the verb's own arguments, when asked for: "217 people" is the object's number.
    assert not disagree("The crash killed 217 people.", "The crash killed 200 people.",
                        ("number",), direct=True)


def _disagree(first: str, second: str, published: tuple[str | None, ...] = (),
              direct: bool = True) -> bool:
    from crossbrief.align import split_units, verb_disagreements

    story = story_of(first, second, stages=_DATED, published=published)
    units = [split_units(a)[0] for a in story.articles]
    return bool(verb_disagreements(units, ("date",), direct)[0, 1])


def test_a_year_taken_from_the_story_anchor_is_a_guess() -> None:
    # Review r6: "March 20" in an undated article takes its year from the latest date
    # anywhere in the story (here another sentence's 2022): a guess, however the day is
    # written, so not compared with the dated article's 2023-03-20.
    assert not _disagree("The ship sank on March 20. It was built on May 5, 2022.",
                         "The ship sank on March 20.", (None, "2023-03-22"))
    # Written in full on both sides, the days are compared.
    assert _disagree("The ship sank on March 20, 2023.", "The ship sank on March 25, 2023.")


def test_both_ends_of_a_range_are_the_verbs_own() -> None:
    # Review r6: the second end's walk up the heads passes through the first end ("between
    # May 3 and May 9": "May 9" is a conjunct of "May 3"); that is no noun of the verb's.
    assert not _disagree("The festival ran between May 3, 2021 and May 9, 2021.",
                         "The festival ran on May 5, 2021.")
    assert not _disagree("The festival ran between May 3 and May 9, 2021.",
                         "The festival ran on May 5, 2021.")
    assert not _disagree("The drought lasted between 2019 and 2021.",
                         "The drought lasted in 2020.")
    assert _disagree("The festival ran between May 3, 2021 and May 9, 2021.",
                     "The festival ran on May 15, 2021.")


def test_an_open_period_is_not_a_closed_one() -> None:
    # Review r6: "by", "until", "after" ... give one end of a period; the other is open.
    assert not _disagree("The plant will close by March 2024.",
                         "The plant will close on February 20, 2024.")
    assert not _disagree("The drought lasted until 2021.", "The drought lasted in 2019.")
    assert not _disagree("The plant will close after May 2024.",
                         "The plant will close in June 2024.")
    assert not _disagree("The drought has lasted since 2019.", "The drought lasted in 2021.")
    # The open side is still bounded by the written end.
    assert _disagree("The plant will close by March 2024.",
                     "The plant will close in June 2024.")
    # A "from" whose other end is written is a closed period.
    assert _disagree("The festival ran from May 3, 2021 until May 9, 2021.",
                     "The festival ran on May 15, 2021.")


def test_a_part_of_day_gives_a_day_of_slack() -> None:
    # Review r6: "late Sunday" in one time zone is "early Monday" in another.
    published = ("2023-03-20", "2023-03-20")
    assert not _disagree("The earthquake struck the capital late Sunday, officials said.",
                         "The earthquake struck the capital early Monday, officials said.",
                         published)
    # Without a part-of-day word, or two days apart, the days are compared.
    assert _disagree("The earthquake struck the capital on Sunday, officials said.",
                     "The earthquake struck the capital on Monday, officials said.",
                     published)
    assert _disagree("The earthquake struck the capital late Friday, officials said.",
                     "The earthquake struck the capital early Monday, officials said.",
                     published)


def test_a_number_with_no_verb_is_anchored_to_none() -> None:
    # Up the heads from "40,000" there is no verb: the walk stops at the root (it once
    # looped there for ever, comparing spaCy tokens by identity).
    from crossbrief.align import split_units

    story = story_of("Record crowds of 40,000 fans in Lyon on May 3, 2021.",
                     "The crowd of 40,000 fans sang in Lyon on May 3, 2021.", stages=_DATED)
    first, second = (split_units(a)[0] for a in story.articles)
    assert not first.anchored
    assert ("sing", "number", "40 000", False) in second.anchored  # (folded)


def test_seed_meetings_are_not_backed_by_talks_on_another_day(
        seed_corpus_extracted: Brief) -> None:
    # A behaviour check on the seeds (never tuned on): "The meetings started on Monday,
    # March 20th, and ended on March 22nd." was a corroborated claim backed by "… whose
    # nations will start official talks on March 21." (issue 12). The seeds are undated,
    # so the two days take their year from the story's anchor: written days whose years are
    # guessed alike are still compared by month and day (``align._date_value``).
    for claim in seed_corpus_extracted.claims:
        texts = [seed_corpus_extracted.article(s.article).text[s.start:s.end]
                 for s in claim.support]
        assert not (any("started on Monday, March 20th" in t for t in texts)
                    and any("start official talks on March 21" in t for t in texts)), texts


def test_written_days_with_guessed_years_compare_by_month_and_day() -> None:
    # An undated story: every "March 20" takes its year from the story's anchor (by tense,
    # so not always the same year); two written days differ whatever the year, and a
    # guessed year never decides against a year that was read.
    from crossbrief.align import YEAR_GUESSED, _date_value, _days_meet

    reason = ("explicit month and day, year from anchor 2023-03-22 (latest explicit date "
              "in the story), the first on or after it (future tense)")
    started = _date_value(reason.replace("first on or after", "latest on or before"),
                          "2023-03-20")
    talks = _date_value(reason, "2024-03-21")
    assert started == YEAR_GUESSED + "2000-03-20" and talks == YEAR_GUESSED + "2000-03-21"
    assert not _days_meet({started}, {talks})
    assert _days_meet({started}, {_date_value(reason, "2024-03-20")})
    assert _days_meet({started}, {"2023-03-21"})  # a guessed year against a read one
    assert _date_value("weekday, anchor 2023-03-22 (latest explicit date in the story)",
                       "2023-03-20") == "?"
    # An undated article anchored on the day before a day it speaks of in the future tense
    # guesses its years too; a dated one does not.
    bound = ("explicit month and day, year from anchor 2023-03-20 (the day before 'March "
             "21', which the article speaks of in the future tense)")
    assert _date_value(bound, "2023-03-21") == YEAR_GUESSED + "2000-03-21"
    assert _date_value(bound.replace("the day before 'March 21', which the article speaks "
                                     "of in the future tense", "publication date"),
                       "2023-03-21") == "2023-03-21"


def test_open_ends_and_guessed_years_never_shut_out_a_day() -> None:
    # Review r7: another date closes an open end only from its own side; a guessed year
    # with an open end or a day of slack decides nothing.
    from crossbrief.align import _days_meet

    assert _days_meet({"<2023-03-20", "2023-03-25"}, {"2023-03-10"})
    assert _days_meet({"<2023-03-10", ">2023-03-25"}, {"2023-03-30"})
    assert _days_meet({"<*2000-03-20"}, {"*2000-04-01"})
    assert _days_meet({"~*2000-12-31"}, {"*2000-01-01"})
    # Still vetoed: a closed period ("from May 3 until May 9") against a day outside it.
    assert not _days_meet({">2021-05-03", "<2021-05-09"}, {"2021-05-20"})
    assert not _days_meet({"2023-03-19"}, {"2023-03-21"})


def test_late_on_a_written_date_gives_a_day_of_slack() -> None:
    # Review r7: "late" hangs on the verb, before the date's preposition.
    assert not _disagree("The ship sank late on March 19, 2023.",
                         "The ship sank early on March 20, 2023.")
    assert _disagree("The ship sank on March 19, 2023.", "The ship sank on March 21, 2023.")


# --- decisions on rounded scores, never on float noise (the determinism hunt) ---------------


def _clause(article: str, sentence: int) -> Any:
    from crossbrief.align import Unit

    return Unit(Article(article, article, "x" * 100, article), 0, 10, sentence, "")


def _rounded(thousandths: list[list[int]]) -> Any:
    """A score matrix as the scorer gives it: rounded to SCORE_DECIMALS, in float32."""
    import numpy as np

    return np.round(np.array(thousandths) / 1000, 3).astype(np.float32)


def test_a_group_at_exactly_the_threshold_on_average_is_joined() -> None:
    # 0.756, 0.39 and 0.354 average to 0.5 (the same-claim threshold); in float32 their
    # mean is 0.49999997, which refused the join on the last bit.
    from crossbrief.align import group_units

    units = [_clause("a", 0), _clause("b", 0), _clause("c", 0), _clause("d", 0)]
    scores = _rounded([[0, 900, 900, 756], [900, 0, 900, 390],
                       [900, 900, 0, 354], [756, 390, 354, 0]])
    assert float(scores[[0, 1, 2], 3].mean()) < 0.5
    assert group_units(units, scores, 0.5, 0.3) == [[0, 1, 2, 3]]


def test_the_representative_of_a_tie_is_the_earliest_clause() -> None:
    # Units 0 and 1 are as close to the others, 2.626 each (0.98 + 0.951 + 0.695 and
    # 0.98 + 0.851 + 0.795), and unit 0 is its article's earlier sentence: it stands for
    # the claim. Summed in float32, unit 1's total came out larger in the last bit.
    from crossbrief.align import representative

    units = [_clause("a", 1), _clause("b", 4), _clause("c", 0), _clause("d", 0)]
    scores = _rounded([[0, 980, 951, 695], [980, 0, 851, 795],
                       [951, 851, 0, 110], [695, 795, 110, 0]])
    assert float(scores[1].sum()) > float(scores[0].sum())
    assert representative([0, 1, 2, 3], units, scores) == 0
    assert representative([3, 2, 1, 0], units, scores) == 0


def test_a_nan_score_reads_0() -> None:
    # Review R42: exact sums (score_sum) raised on a NaN score; the float32 mean had
    # compared a NaN mean as not under the threshold, and joined. A NaN is no score: 0.
    import numpy as np

    from crossbrief.align import group_units, representative, score_sum

    units = [_clause("a", 0), _clause("b", 0), _clause("c", 0)]
    scores = _rounded([[0, 900, 0], [900, 0, 800], [0, 800, 0]])
    scores[0, 2] = scores[2, 0] = np.nan
    assert score_sum(scores) == 2 * (900 + 800)
    assert group_units(units, scores, 0.4, 0.3) == [[0, 1], [2]]
    assert representative([0, 1, 2], units, scores) == 1


def _subject_only(first: str, second: str) -> bool:
    from crossbrief.align import split_units, subject_only

    story = story_of(first, second)
    units = [split_units(a)[0] for a in story.articles]
    return bool(subject_only(units)[0, 1])


def test_which_pairs_share_only_their_subject() -> None:
    # Issue 12, read on ten real stories (BENCHMARKS.md, "Support lines read on ten real
    # stories: causes"): "“We're halfway home,” Cabana said." backed by "“Let's go do
    # this,” said commander Robert Cabana."; "Albright lauded the launching team" by
    # "Albright and other dignitaries … had gathered … to see Endeavour off". One actor (or
    # speaker), two doings: what they share is the subject (with a verb of saying) alone.
    # Measured on DUC 2006 SCU (BENCHMARKS.md, same section): no judged link lost.
    assert _subject_only("“We are halfway home,” Commander Dana Ruiz said.",
                         "“Let us go and do this,” said Commander Dana Ruiz.")
    assert _subject_only("Senator Ann Lee praised the rescue crews at the harbour.",
                         "Senator Ann Lee and other guests gathered in the rain to watch.")
    # Something shared outside the subject: the same doing.
    assert not _subject_only("Senator Ann Lee praised the rescue crews at the harbour.",
                             "Senator Ann Lee praised the rescue crews on Friday.")
    assert not _subject_only("“The crew repaired the damaged antenna,” Commander Dana Ruiz "
                             "said.", "“The crew repaired the antenna,” said Commander Dana "
                             "Ruiz.")
    # The name a subject in one and an object in the other: not one actor twice.
    assert not _subject_only("Police arrested Dana Ruiz at the harbour on Friday.",
                             "Dana Ruiz was charged with arson by the prosecutors.")
    # Not only a name: two things said of one description are two facts.
    assert _subject_only("The young men from the estate were wounded badly in the street.",
                         "The young men from the estate died at the hospital later.")
    # Nothing shared at all is not this rule's (the scorer weighs it).
    assert not _subject_only("The young men from the estate were wounded badly in the "
                             "street.", "The council met at the hospital later.")


def test_what_a_subject_states_is_not_only_who_acts() -> None:
    # Review of the subject veto on the 16 GVA dev stories of 4-10 articles not among the
    # ten it was designed on (BENCHMARKS.md, "Support lines read on ten real stories:
    # causes"): right support lines lost where the subject carries the shared meaning.
    # An age or a count in the subject is part of the claim; the verbs differ in wording
    # only ("Edgar Sanchez Rios, 16, and Melanie Virgen, 13 – died at the scene" /
    # "Melanie Virgen, 13, and Edgar Sanchez, 15, died in the shooting").
    for first, second in (
            ("Officer James Carter, 34, died at the hospital.",
             "Officer James Carter, 34, was pronounced dead."),
            ("John Doe, 35, was arrested.", "John Doe, 35, was taken into custody."),
            ("The gunman, a 24-year-old local man, killed himself.",
             "The gunman, a 24-year-old local man, took his own life."),
            ("Two other men, aged 26 and 39, were shot but survived.",
             "Two other men, aged 26 and 39, suffered nonfatal gunshot wounds."),
            ("Four young men were wounded badly in the street.",
             "Four young men were hurt badly in the street.")):
        assert not _subject_only(first, second), (first, second)
    # A passive verb of saying: its subject is what was said, not who said it.
    assert not _subject_only("At least 12 deaths from the virus have been confirmed.",
                             "At least 12 deaths from the virus were reported.")
    # A clause that states nothing outside its subject and verb of saying (a quotation of
    # stop words only) gives no second doing to tell apart.
    assert not _subject_only("“We will be back,” Mayor Tom Hale said.",
                             "“We will be back,” said Mayor Tom Hale.")


def _moods_differ(first: str, second: str) -> bool:
    from crossbrief.align import moods_differ, split_units

    story = story_of(first, second)
    units = [split_units(a)[0] for a in story.articles]
    return bool(moods_differ(units)[0, 1])


def test_a_plan_and_the_report_of_its_act_differ_in_mood() -> None:
    # Read on ten real stories (BENCHMARKS.md, "Support lines read on ten real stories:
    # causes", "the event foretold"): a preview's "Colonel Currie is to reach out with the
    # robot arm and pull the Russian module into position over Unity" backed "Currie
    # positioned the solar-winged Zarya … above Unity". A plan or a prediction and a report
    # that it happened are two facts, whatever words they share.
    for plan, done in (
            ("Commander Dana Ruiz is to reach out with the robot arm and pull the module "
             "into position over the hub.", "Commander Dana Ruiz positioned the module above "
             "the hub."),
            ("The bridge will close on Monday.", "The bridge closed on Monday."),
            ("The talks are expected to resume in Geneva.", "The talks resumed in Geneva."),
            ("The mayor plans to visit the harbour.", "The mayor visited the harbour."),
            # Reported speech in the past of a future foretells, as the future does: the
            # later report that it happened is another fact.
            ("Officials said the bridge would close on Monday.",
             "The bridge closed on Monday."),
            # So does the clause of any verb that takes one, not only a verb of saying.
            ("The mayor warned that the bridge would close on Monday.",
             "The bridge closed on Monday."),
            # A perfect reports an act done.
            ("The bridge will close for repairs on Monday.",
             "The bridge has closed for repairs on Monday.")):
        assert _moods_differ(plan, done), (plan, done)
        assert _moods_differ(done, plan), (done, plan)


def test_two_plans_or_two_reports_are_not_told_apart_by_mood() -> None:
    # Guards: the same mood on both sides, or a mood the parse does not tell.
    for first, second in (
            ("The bridge will close on Monday.",
             "Officials said the bridge would close on Monday."),
            ("The bridge closed on Monday.", "Officials said the bridge closed on Monday."),
            ("“We will close the bridge on Monday,” the mayor said.",
             "The bridge will close on Monday."),
            # A plan of the past ("was expected to", "was to") may have been kept or not: read
            # as unknown, told apart neither from a plan nor from a report (each paired with
            # a plan here, which a past plan misread as done would differ from);
            # "could" is a past ability as often as a prediction.
            ("The launch was expected to take place on Friday.",
             "The launch will take place on Friday."),
            ("The launch was expected to take place on Friday.",
             "The launch took place on Friday."),
            ("The shuttle was to lift off on Thursday.", "The shuttle will lift off on Thursday."),
            ("The shuttle was to lift off on Thursday.", "The shuttle lifted off on Thursday."),
            ("The storm could hit the coast.", "The storm hit the coast."),
            # A modal states a request or a possibility, not a plan (read on the 16 GVA dev
            # stories: "Anyone with information … should call …" / "… is encouraged to
            # call …", one request).
            ("Anyone with information about the man should call the police at 555-0100.",
             "Anyone with information about the man is encouraged to call the police at "
             "555-0100."),
            ("The death toll from the storm may rise.", "The death toll from the storm rose."),
            # A simple present states a schedule as often as a fact: unknown.
            ("The murder trial of John Doe begins in Orange County court on Monday.",
             "The murder trial of John Doe will begin in Orange County court on Monday."),
            ("The Senate votes on the spending bill on Thursday.",
             "The Senate will vote on the spending bill on Thursday."),
            # "would" in a main clause refuses or supposes; it foretells nothing.
            ("The company would not comment on the lawsuit filed by the workers.",
             "The company declined to comment on the lawsuit filed by the workers."),
            ("If the river rises further, the bridge would close to traffic.",
             "The bridge closed to traffic on Monday."),
            # A name the parser may take for "will" (read on the 16 GVA dev stories).
            ("Detectives Will Brown and Frank Galilei charged John Doe with five counts of "
             "reckless endangerment.", "John Doe was charged with five counts of reckless "
             "endangerment.")):
        assert not _moods_differ(first, second), (first, second)
    from crossbrief.align import split_units

    for past_plan in ("The launch was expected to take place on Friday.",
                      "The shuttle was to lift off on Thursday."):
        (article,) = story_of(past_plan).articles
        assert split_units(article)[0].mood == "", past_plan


def test_one_actor_doing_two_things_is_no_support() -> None:
    from crossbrief.align import claim_model

    assert claim_model().subject_veto
    score, logistic = _pair_score(
        "At the spaceport, Secretary of State Ann Lee lauded the launch team and the new "
        "venture.", "Secretary of State Ann Lee and other dignitaries had gathered in the "
        "drizzle to see the crew off.")
    assert logistic > claim_model().link_floor and score == 0.0
    same, _ = _pair_score("Senator Ann Lee praised the rescue crews at the harbour.",
                          "Senator Ann Lee praised the rescue crews on Friday.")
    assert same > 0.2


def test_the_shipped_provenance_is_what_a_refit_writes() -> None:
    # Review R2 of the subject veto: a refit (benchmarks/fit_claims.py, fit_all) wrote the
    # provenance afresh and dropped the shipped note on the subject veto, and the shipped
    # ``method`` lacked the wording a refit writes.
    from crossbrief.align import claim_model

    fit = benchmark("fit_claims")
    provenance = claim_model().provenance
    assert provenance["method"] == fit.method()
    assert claim_model().subject_veto
    assert provenance["subject_veto"] == fit.RULE_NOTES["subject_veto"]
