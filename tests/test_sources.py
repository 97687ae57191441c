from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import crossbrief
from crossbrief.cli import cli, example_path
from crossbrief.extract.quotes import resolve_speaker
from crossbrief.extract.sources import canonical_outlet
from crossbrief.model import Article, Brief

from .conftest import GOLDEN, seed_article, story_of

EXPECTED = json.loads((GOLDEN / "maravel_expected.json").read_text("utf-8"))


def analyzed(text: str, source: str = "Test Gazette", title: str | None = None,
             url: str | None = None) -> Article:
    corpus = crossbrief.run_stages(
        Brief(articles=[Article(id="t", source=source, text=text, input="t.txt", title=title,
                                url=url)],
               stages=["ingest"]),
        crossbrief.pipeline.DEFAULT_STAGES, crossbrief.load_settings())
    return corpus.articles[0]


def contents(text: str) -> list[str]:
    """What was said in each frame of ``text`` analyzed alone."""
    return [content for _, _, content in frames(analyzed(text))]


def frames(article: Article) -> list[tuple[str | None, str, str]]:
    t = article.text
    return [(t[a.source_start:a.source_end] if a.source_start is not None else None,
             t[a.cue_start:a.cue_end], t[a.content_start:a.content_end])
            for a in article.attributions]


def test_offsets_inside_quotations_are_looked_up_not_scanned() -> None:
    # A cue inside a quotation is content; checking each token against every quotation was
    # tokens × quotations (19 s on a 200,000-character article; benchmarks/fuzz.py).
    from crossbrief.model import span_lookup

    inside = span_lookup([(10, 20), (15, 30), (40, 41), (5, 5)])
    assert [o for o in range(45) if inside(o)] == [*range(10, 30), 40]
    assert not span_lookup([])(0)


def test_a_run_on_sentence_is_not_read_for_frames(monkeypatch: pytest.MonkeyPatch) -> None:
    # A frame's work grows with its sentence's length times its verbs: 2,000 words of "said"
    # with no full stop took 200 s. A "sentence" over MAX_FRAME_TOKENS is no prose and is not
    # read for frames; the sentences around it are.
    from crossbrief.extract import sources

    calls: list[int] = []
    frame = sources._verb_frame

    def counting(doc: object, token: object, *args: object) -> object:
        calls.append(1)
        return frame(doc, token, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(sources, "_verb_frame", counting)
    run_on = "the mayor said " * (sources.MAX_FRAME_TOKENS // 3 + 10)
    article = analyzed(f"Officials said the bridge was closed. {run_on.strip()}. "
                       "The minister said repairs would take a year.")
    assert ("Officials", "said", "the bridge was closed") in frames(article)
    assert ("The minister", "said", "repairs would take a year") in frames(article)
    assert len(calls) < 10
    short = "the mayor said " * (sources.MAX_FRAME_TOKENS // 3 - 10)
    calls.clear()
    analyzed(f"{short.strip()}.")
    assert len(calls) > 50  # under the limit, every cue is still read


def test_citations_never_overlap_and_are_looked_up_not_scanned() -> None:
    # Each citation was checked against every one kept before it: quadratic on a page of
    # thousands of citing phrases. Kept spans are bisected; the first of two overlapping
    # candidates is kept, as before.
    text = "According to Reuters, per AP, the road is shut. " * 400
    article = analyzed(text)
    spans = sorted((c.start, c.end) for c in article.citations)
    assert len(spans) == 800
    assert all(b <= c for (_, b), (c, _) in itertools.pairwise(spans))
    assert {c.outlet for c in article.citations} == {"Reuters", "AP"}


def test_quotes_near_a_cue_are_looked_up_not_scanned() -> None:
    # Every cue verb scanned every quotation of the article: an hour for a 5 MB article
    # (benchmarks/fuzz.py). The scan it replaced is the reference here.
    from crossbrief.extract.quotes import find_quote_spans
    from crossbrief.extract.sources import _Quotes

    text = " ".join(f"“Line {n},” she said. He ‘noted’ “it”" for n in range(300))
    quotes = _Quotes(find_quote_spans(text))
    assert len(quotes) > 600
    for start in range(0, len(text), 13):
        end = start + 9
        scanned = [q for q in quotes if not q.single
                   and (start - 5 <= q.end <= start or end <= q.start <= end + 5)]
        assert quotes.near(start, end, reach=5) == scanned
        assert quotes.covers(start) == any(q.start <= start < q.end for q in quotes)


def test_a_dash_the_tagger_takes_for_a_verb_is_no_cue() -> None:
    # spaCy tags the bar in "” ― Jacklyn Ashley" as the sentence's root verb; taken for a cue
    # it gave a frame without cue words, and min() of nothing stopped the stage (PolNeAR dev,
    # huff-post_2016-09-27_latinos-share-their-most-honest-).
    corpus = story_of(
        "“He makes blanket statements about people he knows or cares nothing about.”"
        "― Pamela Padilla\n\n“I’m so ashamed to be an American. How did we get this low?” "
        "― Jacklyn Ashley", stages=("clean", "segment", "entities", "sources", "quotes"))
    assert not corpus.skipped and not corpus.failures
    (article,) = corpus.articles
    assert any(t.text == "―" and t.pos_ == "VERB" for t in article.doc)  # still so tagged
    assert "Jacklyn Ashley" in {q.speaker for q in article.quotes}
    assert all(a.cue_end > a.cue_start for a in article.attributions)


@pytest.mark.parametrize("words,outlet", [
    ("CNN News", "CNN"), ("NPR News", "NPR"),
    ("the Wall Street Journal", "The Wall Street Journal"),
    ("AP News", "AP"), ("the Associated Press", "AP"), ("ABC News", "ABC News"), ("MSN", "MSN"),
    ("Wikipedia", "Wikipedia"), ("TASS", "TASS"), ("Xinhua", "Xinhua"), ("the BBC", "BBC"),
    ("Fox News", "Fox News"), ("the Harbour Courier", "Harbour Courier"),
    ("Radio Esterline", "Radio Esterline"), ("the foreign ministry", None), ("Putin", None),
])
def test_canonical_outlets(words: str, outlet: str | None) -> None:
    assert canonical_outlet(words) == outlet


def test_attribution_frames() -> None:
    article = analyzed(
        "The minister said that the bridge would reopen in May. "
        "According to Reuters, talks will resume next week. "
        "The port will close, the harbour master warned. "
        "Clinton was taken to hospital, The Post has learned.")
    assert frames(article) == [
        ("The minister", "said", "that the bridge would reopen in May"),
        ("Reuters", "According to", "talks will resume next week"),
        ("the harbour master", "warned", "The port will close"),
        ("The Post", "has learned", "Clinton was taken to hospital"),
    ]
    assert [a.direct for a in article.attributions] == [False] * 4


def test_an_adverbial_set_off_after_the_cue_is_not_what_was_said() -> None:
    # spaCy tags "when" opening an adverbial clause "advmod", not "mark", and parses "said,
    # when asked, that …" with the adverbial as the cue's complement and what was said
    # inside it: the complement test read only "mark", so "when asked" was said.
    article = analyzed("The mayor said, when asked, that the plan would go ahead.")
    assert frames(article) == [("The mayor", "said", "that the plan would go ahead")]


@pytest.mark.parametrize("text,said", [
    # Right after its cue, a clause opened by "when" is what was said, an indirect question,
    # though spaCy parses it as it parses an adverbial ("when" an advmod of the clause).
    ("The owner said when the store would reopen.", "when the store would reopen"),
    ("The spokesman wouldn't say when the body was found.", "when the body was found"),
    # An adverb after its clause's verb opens nothing ("before" an advmod of "witnessed").
    ("The uncle said the family had witnessed his violent behavior before.",
     "the family had witnessed his violent behavior before"),
])
def test_a_when_clause_right_after_the_cue_is_what_was_said(text: str, said: str) -> None:
    assert [content for _, _, content in frames(analyzed(text))] == [said]


@pytest.mark.parametrize("text,said", [
    # A set-off "when" clause with nothing after it to replace it is what was said, an
    # indirect question: the set-off test dropped it, and the sentence lost its frame or
    # took a piece of it.
    ("Officials would not say, however, when the store would reopen.",
     "when the store would reopen"),
    ("The hospital would not say, Tuesday, when the victim would be released.",
     "when the victim would be released"),
])
def test_a_set_off_when_clause_with_nothing_after_it_is_what_was_said(
        text: str, said: str) -> None:
    assert [content for _, _, content in frames(analyzed(text))] == [said]


@pytest.mark.parametrize("text,said", [
    # The adverbial inside the that-clause ("when asked" a child of "rise"): the content
    # starts at "that".
    ("The governor said, when asked, that taxes would rise.", "that taxes would rise"),
    # (review C) A condition set off before the "that" is said: "if elected" kept.
    ("The mayor said, if elected, that she would cut taxes.",
     "if elected, that she would cut taxes"),
    # The adverbial hung on the cue, what was said on the adverbial after its comma.
    ("Her lawyer said, when asked, that she was innocent.", "that she was innocent"),
    # Closing punctuation other than a comma, as on the opening side.
    ("The chief said (when asked) that the suspect had surrendered.",
     "that the suspect had surrendered"),
    ("The chief said – when asked – that the suspect had surrendered.",
     "that the suspect had surrendered"),
    # An infinitive complement inside the adverbial, as a that-clause.
    ("The mayor said, when asked, to expect delays.", "to expect delays"),
])
def test_what_was_said_after_a_set_off_adverbial_however_it_is_parsed(
        text: str, said: str) -> None:
    assert [content for _, _, content in frames(analyzed(text))] == [said]


@pytest.mark.parametrize("text,said", [
    # Guards: no adverbial before "that", or "that" first, keeps the whole clause.
    ("The sheriff said that when he arrived the door was open.",
     "that when he arrived the door was open"),
    ("The minister said that the bridge would reopen in May.",
     "that the bridge would reopen in May"),
    # An adverbial clause of the cue before it hands nothing over.
    ("When asked, the chief said the suspect had surrendered.",
     "the suspect had surrendered"),
])
def test_a_clause_with_nothing_set_off_before_its_that_is_kept_whole(
        text: str, said: str) -> None:
    assert [content for _, _, content in frames(analyzed(text))] == [said]


@pytest.mark.parametrize("text,said", [
    # An adverbial set off on both sides between the cue and what was said interrupts the
    # report, whatever word opens what was said: it hung on the complement, which kept it.
    ("X did not say, when pressed, when the plant would reopen.",
     "when the plant would reopen"),
    ("The spokesman declined to say, when pressed, how many workers were laid off.",
     "how many workers were laid off"),
    ("He said, when asked, the door was open.", "the door was open"),
    # A participle set off so, its "that" parsed as an object or the complement hung on it.
    ("The minister said, citing a study, that taxes would rise.", "that taxes would rise"),
    ("The police said, citing witnesses, that the gunman fled on foot.",
     "that the gunman fled on foot"),
    ("Officials said, referring to the audit, that the plant had closed in May.",
     "that the plant had closed in May"),
])
def test_an_interposed_adverbial_is_not_what_was_said(text: str, said: str) -> None:
    assert [content for _, _, content in frames(analyzed(text))] == [said]


@pytest.mark.parametrize("text,said", [
    # Guards: an adverbial that opens what was said, not set off from the cue, is said; so
    # is one that opens a clause said before its cue.
    ("The sheriff said when he arrived, the door was open.",
     "when he arrived, the door was open"),
    ("When officers arrived, they found four men with gunshot wounds, authorities said.",
     "When officers arrived, they found four men with gunshot wounds"),
    # (review s2) A colon or a semicolon opens what was said: its adverbial is said.
    ("The statement said: If the levy fails, the city will cut police.",
     "If the levy fails, the city will cut police"),
    ("The company wrote: As of Monday, all stores are closed.",
     "As of Monday, all stores are closed"),
    # (review s2) A condition or a time set off after the cue, with no "that" after it, is
    # part of the claim, not an interruption of the cue.
    ("She said, if elected, she would cut taxes.", "if elected, she would cut taxes"),
    ("The official said, unless Congress acts, the program will end next year.",
     "unless Congress acts, the program will end next year"),
    ("The senator said, at least for now, the bill would stall.",
     "at least for now, the bill would stall"),
])
def test_an_adverbial_not_set_off_after_the_cue_is_what_was_said(text: str, said: str) -> None:
    assert [content for _, _, content in frames(analyzed(text))] == [said]


@pytest.mark.parametrize("text", [
    # A cue with nothing it reports in its own clause takes nothing: the rest of the
    # sentence is another clause's (the main clause after a "when" clause, a clause with
    # its own subject joined by "and"). ("When asked, he said nothing about the plant
    # closing, and the mayor left." passes since src4: "said nothing" reports nothing,
    # test_being_asked_to_say_something_is_no_frame.)
    "When he told reporters at the plant on Monday, the workers cheered and the union "
    "celebrated.",
    "When she wrote to the board last year, the plant had already closed its doors for good.",
])
@pytest.mark.xfail(strict=True, reason="known wrong: the bound of a cue's own clause cost "
                   "PolNeAR dev attribution figures and cut \"As X said, …\" frames and a "
                   "second thing said after \", and\"; taken out (BENCHMARKS, 2026-12-03)")
def test_a_cue_reports_nothing_outside_its_own_clause(text: str) -> None:
    assert frames(analyzed(text)) == []



def test_asked_to_know_is_one_frame_the_asking() -> None:
    assert frames(analyzed("The union asked to know why the plant closed.")) == [
        ("The union", "asked", "to know why the plant closed")]
    # Guard: a weak cue whose "to know" is the frame keeps it.
    assert frames(analyzed("He wanted to know why the plant closed.")) == [
        ("He", "to know", "why the plant closed")]


def test_a_cue_in_a_contrasting_when_clause_does_not_report_the_clause_before() -> None:
    # "when" tagged "advmod" opens the cue's clause, as "after" tagged "mark" does: the cue
    # reports no clause it is joined to (the test read only "mark", and the frame took the
    # whole sentence).
    assert frames(analyzed("The store was closed for a week, when the owner said so.")) == []
    assert frames(analyzed("The store was closed for a week, the owner said.")) == [
        ("the owner", "said", "The store was closed for a week")]


def test_cues_inside_a_quotation_are_content() -> None:
    article = analyzed("“I think we said enough,” the senator said.")
    assert frames(article) == [("the senator", "said", "I think we said enough")]
    assert article.attributions[0].direct is False  # the content is inside the marks
    assert article.quotes[0].speaker == "senator"


def test_citations_are_canonical_and_skip_the_own_outlet() -> None:
    article = analyzed(
        "According to CNN News, the talks failed. The Test Gazette reported the vote first. "
        "The figures were confirmed by the Associated Press, per the BBC. "
        "Nine people died (Photo: AP News).", source="Test Gazette")
    cited = [(c.outlet, c.kind, article.text[c.start:c.end]) for c in article.citations]
    assert ("CNN", "outlet", "CNN News") in cited
    assert ("BBC", "outlet", "BBC") in cited or ("BBC", "outlet", "the BBC") in cited
    assert ("AP", "credit", "AP News") in cited
    assert all(outlet != "Test Gazette" for outlet, _, _ in cited)


SEED_CITES = {
    "000": {"CNN", "NPR", "Reuters", "The Wall Street Journal"},
    "001": {"Fox News", "BBC"},
    "002": set(),
    "003": {"AP"},
    "004": {"ABC News", "Wikipedia", "BBC", "MSN"},
}


@pytest.mark.parametrize("prefix", sorted(SEED_CITES))
def test_seed_cited_outlets(seed_corpus_extracted: Brief, prefix: str) -> None:
    article = seed_article(seed_corpus_extracted, prefix)
    assert {c.outlet for c in article.citations} == SEED_CITES[prefix]
    for citation in article.citations:
        assert canonical_outlet(article.text[citation.start:citation.end]) in (
            citation.outlet, None)


def test_seed_photo_credit_is_a_credit(seed_corpus_extracted: Brief) -> None:
    (credit,) = seed_article(seed_corpus_extracted, "003").citations
    assert credit.kind == "credit"


@pytest.fixture(scope="module")
def example() -> Brief:
    return crossbrief.analyze([str(example_path())])


@pytest.mark.parametrize("name", sorted(EXPECTED["articles"]))
def test_example_cites(example: Brief, name: str) -> None:
    article = next(a for a in example.articles if Path(a.input).name == name)
    cited = {c.outlet for c in article.citations if c.kind != "credit"}
    assert cited == set(EXPECTED["articles"][name]["cites"])


def test_cues_are_looked_for_only_where_a_frame_can_start() -> None:
    # The tokens read as arrays are exactly "according", "per" (in any case) and the verbs
    # and auxiliaries: every other token fails every test of a cue.
    from crossbrief.extract.sources import _maybe_cues

    article = analyzed("ACCORDING TO the mayor, nine people died. Per Reuters, the toll "
                       "rose. “It is over,” the chief SAID. The police Said it was over.")
    assert frames(article) == [
        ("the mayor", "ACCORDING TO", "nine people died"),
        ("Reuters", "Per", "the toll rose"),
        ("the chief", "SAID", "It is over"),
        ("The police", "Said", "it was over"),
    ]
    for one in [article, *crossbrief.analyze([str(example_path())],
                                             stages=("clean", "segment")).articles]:
        assert _maybe_cues(one.doc) == [t.i for t in one.doc
                                        if t.lower_ in ("according", "per")
                                        or t.pos_ in ("VERB", "AUX")]


def cites(article: Article) -> list[tuple[str, str]]:
    return [(c.outlet, article.text[c.start:c.end]) for c in article.citations]


@pytest.mark.parametrize("words,outlet", [
    ("Daily News Wednesday", "Daily News"), ("the Harbour Courier Monday", "Harbour Courier"),
    ("Tehran Times Oct", "Tehran Times"), ("the English-language Egyptian Gazette",
                                           "Egyptian Gazette"),
    ("the Times-Herald", "Times-Herald"), ("Chicago Sun-Times", "Chicago Sun-Times"),
    ("Fire Media Affairs", None), ("Police News Affairs Officer", None),
])
def test_outlet_names_without_time_describing_or_office_words(
        words: str, outlet: str | None) -> None:
    assert canonical_outlet(words) == outlet


def test_a_time_word_after_an_outlet_is_no_part_of_its_name() -> None:
    article = analyzed("“He was a great dad,” his brother-in-law Jeff Osborn told the Harbour "
                       "Courier Wednesday. The family asked for privacy.")
    assert cites(article) == [("Harbour Courier", "Harbour Courier")]


def test_a_short_form_of_a_name_cited_in_full_is_that_source() -> None:
    article = analyzed(
        "The gunman killed three people, the Los Angeles Times reports. Police found a woman "
        "who had been shot. The relationship is unclear, but the L.A. Times reported they were "
        "not related. Later the Times reported that the victims were neighbours.")
    assert {outlet for outlet, _ in cites(article)} == {"Los Angeles Times"}
    assert len(article.citations) == 3


def test_a_name_does_not_end_before_a_hyphen() -> None:
    article = analyzed("Four of the victims were critically injured.\n\n(Source: Sun-Times "
                       "Media Wire © Chicago Sun-Times 2013. All Rights Reserved.)")
    assert cites(article) == [("Sun-Times Media Wire", "Sun-Times Media Wire"),
                              ("Chicago Sun-Times", "Chicago Sun-Times")]


def test_the_own_outlet_is_known_by_its_web_address() -> None:
    text = "“We are still trying to figure it out,” a spokeswoman told the Daily News."
    assert cites(analyzed(text, source="nydailynews.com")) == []
    assert cites(analyzed(text, source="example.com")) == [("Daily News", "Daily News")]


@pytest.mark.parametrize("url,source,host", [
    # (GVA dev: 1,384 of 3,160 URLs carry a port, "http://www.wlbt.com:80/story/…"; the
    # address was read by a pattern that took none with a port, user info or brackets)
    ("http://www.wlbt.com:80/story/1", "WLBT", "www.wlbt.com"),
    ("https://editor:secret@www.khou.com/story/1", "KHOU", "www.khou.com"),
    ("HTTPS://WWW.CNN.COM:443/2016/01/01/story", "CNN", "www.cnn.com"),
    ("http://[2001:db8::1]:80/story", "nydailynews.com", "nydailynews.com"),
    ("http://[::1/story", "Test Gazette", ""),  # (an unclosed bracket: no host, no crash)
    ("http://192.168.0.1/story", "", ""),
    ("not a web address", "Test Gazette", ""),
    (None, "nydailynews.com", "nydailynews.com"),
    (None, "www.wlbt.com:80", "www.wlbt.com"),
    (None, "Test Gazette", ""),
    # A fully qualified host's closing dot; a protocol-relative address.
    ("http://www.cnn.com./story", "CNN", "www.cnn.com"),
    ("//www.cnn.com/story", "CNN", "www.cnn.com"),
    # An e-mail address or another scheme names no web page: the source is read next.
    ("mailto:desk@cnn.com", "Test Gazette", ""),
    ("mailto:desk@cnn.com", "nydailynews.com", "nydailynews.com"),
    ("ftp://files.cnn.com/story", "Test Gazette", ""),
    (None, "desk@cnn.com", ""),
])
def test_the_own_web_address_is_read_without_port_user_or_case(
        url: str | None, source: str, host: str) -> None:
    from crossbrief.extract.sources import _own_address

    article = Article(id="t", source=source, text="x", input="t.txt", url=url)
    assert _own_address(article) == host


def test_a_stations_own_letters_on_an_address_with_a_port_are_its_own() -> None:
    text = "The victim was 22. “I ducked,” a neighbour told KHOU 11."
    assert cites(analyzed(text, url="http://www.khou.com:80/story/1")) == []
    assert cites(analyzed(text, url="http://www.kiro7.com:80/story/1")) == [
        ("KHOU", "KHOU")]


def test_a_press_office_is_no_outlet() -> None:
    article = analyzed("Three were taken to Stroger Hospital, according to Fire Media Affairs. "
                       "The cars fled south, said Police News Affairs Officer Daniel O'Brien.")
    assert cites(article) == []


def test_a_place_or_a_description_before_an_outlet_is_no_part_of_its_name() -> None:
    article = analyzed(
        "Egypt's Middle East News Agency quoted Moussa as saying that the talks would go on. "
        "The English-language Egyptian Gazette said in an editorial on Sunday that Syria "
        "was right.")
    assert cites(article) == [("Middle East News Agency", "Middle East News Agency"),
                              ("Egyptian Gazette", "Egyptian Gazette")]


def test_a_bare_outlet_word_names_an_outlet_only_after_the() -> None:
    article = analyzed("Raduchel has been working closely with AOL, according to Sun "
                       "executives. The Sun executives say there is potential for an "
                       "end-run around Microsoft.")
    assert cites(article) == []
    assert cites(analyzed("The minister resigned on Friday, the Sun reported.")) == [
        ("Sun", "Sun")]


def test_capitalised_words_before_a_common_noun_are_no_documents_author() -> None:
    article = analyzed("A similar survey of North Korean children found that 65 percent are "
                       "stunted. A report by the Ostrian Roads Authority found that the "
                       "bridge was unsafe.")
    assert cites(article) == [("Ostrian Roads Authority", "Ostrian Roads Authority")]


def test_a_name_the_article_calls_an_outlet_is_cited_as_one() -> None:
    article = analyzed(
        "Turkey has sent troops to its border, newspapers reported Thursday. The daily Milliyet "
        "quoted eyewitnesses as saying they saw convoys; the daily Cumhuriyet said around "
        "10,000 troops were being deployed. The leaders called for talks, said Syria's "
        "official news agency, SANA.")
    assert cites(article) == [("Milliyet", "Milliyet"), ("Cumhuriyet", "Cumhuriyet"),
                              ("SANA", "SANA")]


def test_the_affiliate_is_cited_not_its_network() -> None:
    article = analyzed("The home is a known narcotics house, police say, according to CBS "
                       "affiliate KUTV.\n\nKUTV reports a man walked into the home and opened "
                       "fire.", source="example.com")
    assert cites(article) == [("KUTV", "KUTV"), ("KUTV", "KUTV")]


def test_a_name_after_told_the_newspaper_is_no_outlet() -> None:
    article = analyzed("The mayor told the newspaper Obama had called him. Obama said the "
                       "city would get help.")
    assert cites(article) == []


def story_citations(*texts: str) -> list[list[str]]:
    corpus = crossbrief.run_stages(
        Brief(articles=[Article(id=f"a{n}", source=f"Outlet {n}", text=t, input=f"{n}.txt")
                        for n, t in enumerate(texts)], stages=["ingest"]),
        crossbrief.pipeline.DEFAULT_STAGES, crossbrief.load_settings())
    by_id = {a.id: [c.outlet for c in a.citations] for a in corpus.articles}
    return [by_id[f"a{n}"] for n in range(len(texts))]


def test_a_bare_outlet_word_is_the_one_full_name_the_story_cites() -> None:
    one = "The bridge was closed on Monday, the Harbour Courier reported."
    other = "The bridge will reopen in May, the Courier reported."
    assert story_citations(one, other) == [["Harbour Courier"], ["Harbour Courier"]]
    two = "The bridge is unsafe, the Evening Courier reported."
    assert story_citations(one, other, two) == [
        ["Harbour Courier"], ["Courier"], ["Evening Courier"]]


def test_an_adverb_may_stand_between_published_and_by() -> None:
    article = analyzed("Chang made the remarks in an interview published recently by the "
                       "Chosun Shinbo, a newspaper run by Korean residents in Japan.")
    assert cites(article) == [("Chosun Shinbo", "Chosun Shinbo")]


def test_words_after_an_outlet_word_that_belong_to_the_name() -> None:
    article = analyzed(
        "He was a short-lived officer there, according to the Knoxville News Sentinel. "
        "They were in critical condition, the Redding Record-Searchlight reported. “The "
        "gun was stored unloaded,” stated the report by Everytown for Gun Safety. The plant "
        "closed, told the Daily News On January 15. Prices fell, the Montgomery County "
        "Dispatch Center reported.")
    assert [outlet for outlet, _ in cites(article)] == [
        "Knoxville News Sentinel", "Redding Record-Searchlight", "Everytown", "Daily News"]


def test_a_hyphened_station_name_ends_the_name_and_office_words_cut_called_ones() -> None:
    article = analyzed(
        "Deputies surrounded the house, according to KHOU-TV Harris County reporters.\n\n"
        "The News Tribune of Tacoma reports the teen pleaded not guilty.\n\n"
        "The adults were in another room, CBS affiliate KIDK Police say.\n\n"
        "(Credit: Brian Slodysko/Sun-Times Media)", source="example.com")
    cited = [outlet for outlet, _ in cites(article)]
    assert cited[:2] == ["KHOU-TV", "News Tribune"]
    assert "KIDK Police" not in cited and not any("/" in c for c in cited)


def test_a_time_word_before_the_outlet_word_is_part_of_the_name() -> None:
    # (review 2: "Morning" and "Evening" cut the name before its outlet word, and nothing
    # was cited)
    article = analyzed(
        "The bridge was closed, the Sydney Morning Herald reported. It will reopen in May, "
        "according to the Manchester Evening News. Two were hurt, the Yorkshire Evening Post "
        "reported Monday. The toll rose, the weekly Evening Standard Tuesday said.")
    assert [outlet for outlet, _ in cites(article)] == [
        "Sydney Morning Herald", "Manchester Evening News", "Yorkshire Evening Post",
        "Evening Standard"]


def test_a_person_after_broadcaster_is_no_outlet() -> None:
    # (review 2: "broadcaster" before a person's name made the person an outlet)
    article = analyzed("“The reef is dying,” said veteran broadcaster David Attenborough. "
                       "It could recover, according to broadcaster David Attenborough.",
                       source="example.com")
    assert cites(article) == []
    assert cites(analyzed("The talks failed, according to CBS affiliate KUTV.",
                          source="example.com")) == [("KUTV", "KUTV")]
    # (call letters the tagger takes for a person stay a station: GVA dev)
    assert cites(analyzed("Deputies asked the suspects to turn themselves in, reports CBS "
                          "affiliate WTSP.", source="example.com")) == [("WTSP", "WTSP")]


def test_the_initials_of_a_short_form_are_the_first_letters_of_the_fuller_name() -> None:
    # (review 2: the initials were dropped, so "the L.A. Times" was The New York Times after
    # it, "the N.Y. Post" The Washington Post, and alone it was not cited at all)
    assert cites(analyzed("The gunman fled, the New York Times reported. The victims were not "
                          "related, the L.A. Times reported.")) == [
        ("The New York Times", "the New York Times"), ("L.A. Times", "L.A. Times")]
    assert cites(analyzed("The gunman fled, the Washington Post reported. The victims were "
                          "not related, the N.Y. Post reported.")) == [
        ("The Washington Post", "the Washington Post"), ("N.Y. Post", "N.Y. Post")]
    assert cites(analyzed("The victims were not related, the L.A. Times reported.")) == [
        ("L.A. Times", "L.A. Times")]
    assert cites(analyzed("The victims were not related, the L.A. Times reported. The gunman "
                          "fled, the Los Angeles Times reported.")) == [
        ("Los Angeles Times", "L.A. Times"), ("Los Angeles Times", "Los Angeles Times")]


def sourced_citations(*texts_and_sources: tuple[str, str]) -> list[list[str]]:
    corpus = crossbrief.run_stages(
        Brief(articles=[Article(id=f"a{n}", source=s, text=t, input=f"{n}.txt")
                        for n, (t, s) in enumerate(texts_and_sources)], stages=["ingest"]),
        crossbrief.pipeline.DEFAULT_STAGES, crossbrief.load_settings())
    by_id = {a.id: [c.outlet for c in a.citations] for a in corpus.articles}
    return [by_id[f"a{n}"] for n in range(len(texts_and_sources))]


def test_a_short_form_of_the_own_outlet_is_the_articles_own() -> None:
    # (review 2: an outlet's "told the Tribune" was credited to the Chicago Tribune cited by
    # another article or earlier in the same one)
    chicago = "The gunman fled, the Chicago Tribune reported."
    own = "“He was kind,” his sister told the Tribune."
    assert sourced_citations((chicago, "Outlet A"), (own, "The Salt Lake Tribune")) == [
        ["Chicago Tribune"], []]
    assert sourced_citations((chicago + " " + own, "The Salt Lake Tribune")) == [
        ["Chicago Tribune"]]
    assert sourced_citations(
        ("The gunman fled, the Harbour Courier reported.", "Outlet A"),
        ("“He was kind,” his sister told the Courier.", "Evening Courier")) == [
        ["Harbour Courier"], []]
    nyt = "The gunman fled, the New York Times reported. “He was kind,” his sister told The Times."
    assert sourced_citations((nyt, "Los Angeles Times"), (nyt, "latimes.com")) == [
        ["The New York Times"], ["The New York Times"]]
    assert sourced_citations((nyt, "Outlet A")) == [["The New York Times"] * 2]


def test_a_station_is_cited_by_its_call_letters() -> None:
    # US and Canadian stations go by their call letters (K or W and two or three letters, C
    # and three), "-TV" or a channel number after them: cited where a citing phrase points
    # at them (GVA dev: "told KNBC", "according to KTLA 5", "(Photo: KTVB)").
    # (letters with no such sign next to them are a station's where the article writes them
    # so elsewhere: "NBC station KNBC", "CFTO News")
    article = analyzed("The man was shot twice, KNBC reported. He was 22, according to KTLA 5. "
                       "Police told WABC-TV the suspect fled. “I ducked,” a neighbour told "
                       "KIRO 7 on Monday. The fire was out by noon, CFTO reported. NBC station "
                       "KNBC and CFTO News first aired the video.",
                       source="example.com")
    assert cites(article) == [("KNBC", "KNBC"), ("KTLA", "KTLA"), ("WABC-TV", "WABC-TV"),
                              ("KIRO", "KIRO"), ("CFTO", "CFTO")]


@pytest.mark.parametrize("text", [
    "The man was 22, KCPD said.",  # a department's letters (…PD, …SO, …SP, …FD)
    "According to KCSO, two men fled.",
    "KSP says detectives found the gun.",
    "According to CMPD, the victim was 19.",  # C and other letters than a Canadian call's
    "WE SPOKE WITH HIS MOTHER WHO SAYS SHE IS OVERCOME.",  # a run of capitals
    "The WHO said the outbreak was over.",  # after "the": an organisation's letters
    "The World Health Organization (WHO) met. WHO said the outbreak was over.",  # spelled out
    "The WHO met in Geneva.",  # no citing phrase
    # (review R1: an organisation's initials, written as call letters are, with no station's
    # word, suffix or channel number next to them anywhere in the article)
    "The risk to the public is low, WHO said on Tuesday.",
    "Two athletes tested positive, according to WADA.",
    "Profits fell 10 percent, KPMG said in a report.",
    "The fine was $5 million, CFPB said.",
    "The World Health Organization warned on Monday. The risk is low, WHO said.",
])
def test_letters_that_are_no_station_are_not_cited(text: str) -> None:
    assert cites(analyzed(text, source="example.com")) == []


def test_letters_are_a_station_where_the_article_writes_them_as_ones() -> None:
    # A station's word or a network next to them, a suffix or a channel number, anywhere in
    # the article; a credit's letters or any on a station's site; but initials of a known
    # organisation ("WHO") only with a station's word ("NBC affiliate WHO", PolNeAR dev).
    assert cites(analyzed("Two men died, NBC affiliate WHO reported. The fire was out by noon, "
                          "WHO said.", source="example.com")) == [("WHO", "WHO"), ("WHO", "WHO")]
    assert cites(analyzed("The man fled, WFAA-TV reported. “I ducked,” a neighbour told WFAA.",
                          source="example.com")) == [("WFAA-TV", "WFAA-TV"), ("WFAA", "WFAA")]
    assert cites(analyzed("The man fled. (Photo: KTVB) Two were hurt, KCEN reported.",
                          source="example.com")) == [("KTVB", "KTVB")]
    assert cites(analyzed("Two were hurt, KCEN reported. The risk is low, WHO said.",
                          source="khou.com")) == [("KCEN", "KCEN")]


def test_a_stations_own_letters_on_its_web_address_are_its_own() -> None:
    text = "The victim was 22. (Photo: KHOU) “I ducked,” a neighbour told KHOU 11."
    assert cites(analyzed(text, source="khou.com")) == []
    assert cites(analyzed(text, source="kiro7.com")) == [("KHOU", "KHOU"), ("KHOU", "KHOU")]
    # a page's title names its site after a dash or a bar ("… - CBS 5 - KPHO", GVA dev's
    # cbs5az.com), and a station's letters with a suffix are that station's ("KHOU-TV")
    text = "The victim was 22. (Source: KPHO/KTVK) Police told KHOU-TV the man fled."
    assert cites(analyzed(text, source="cbs5az.com", title="Man shot - CBS 5 - KPHO")) == [
        ("KHOU-TV", "KHOU-TV")]
    assert cites(analyzed(text, source="khou.com", title="Man shot | Houston")) == [
        ("KPHO", "KPHO")]


@pytest.mark.parametrize("text", [
    "“We are watching closely,” White House Press Secretary Karine Jean-Pierre told reporters.",
    "The plan failed, according to White House Press Secretary Karine Jean-Pierre.",
    "According to Radio Director Omar Hale, the station was shut.",
    "The vote was close, according to Senior Correspondent John Roberts.",
    "The vote was close, Chief White House Correspondent Peter Alexander reported.",
])
def test_a_name_after_a_title_is_a_person_not_an_outlet(text: str) -> None:
    # (a press secretary, an editor, a director: the person speaks; the outlet word before the
    # title ("Press", "News", "Radio") does not make the name an outlet's)
    assert cites(analyzed(text, source="example.com")) == []


def test_the_center_square_is_an_outlet() -> None:
    # (a news outlet whose name is ordinary words: curated, as written, with its "The")
    article = analyzed("The bill passed 50-49, The Center Square reported. Two men were hurt, "
                       "according to Center Square Fire Company.", source="example.com")
    assert cites(article) == [("The Center Square", "The Center Square")]


def test_an_outlet_known_by_its_whole_web_address_is_the_articles_own() -> None:
    # A host that spells an outlet's name whole ("cnn.com", "ibtimes.com") is that outlet's;
    # an outlet word inside a name written as one word ("IBTimes") is no word of its name, so
    # a bare "the Times" on ibtimes.com is another Times (as "the Times" on latimes.com, "the
    # Post" on washingtonpost.com are the article's own).
    nyt = ("The gunman fled, the New York Times reported. The victims were not related, the "
           "Times said.")
    assert cites(analyzed(nyt, source="ibtimes.com")) == [
        ("The New York Times", "the New York Times"), ("The New York Times", "the Times")]
    assert cites(analyzed("The victims were not related, the Times reported.",
                          source="ibtimes.com")) == [("The New York Times", "the Times")]
    assert cites(analyzed("The victims were not related, IBTimes reported. The gunman fled, "
                          "CNN reported.", source="ibtimes.com")) == [("CNN", "CNN")]
    assert cites(analyzed("The gunman fled, CNN reported.", source="cnn.com")) == []
    assert cites(analyzed("The victims were not related, the Times reported.",
                          source="latimes.com")) == []
    assert cites(analyzed("The victims were not related, the Post reported.",
                          source="washingtonpost.com")) == []


def test_a_station_its_copyright_line_names_is_the_articles_own() -> None:
    # (GVA dev: "(Source: WOIO)" on cleveland19.com, "Copyright 2016 WOIO. All rights
    # reserved."; the publisher a copyright line names is the article's own station)
    text = ("The man was found guilty. (Source: WOIO) Police told WKYC he fled.\n\n"
            "Copyright 2016 WOIO. All rights reserved.")
    assert cites(analyzed(text, source="cleveland19.com")) == [("WKYC", "WKYC")]
    text = ("One man died. (Source: KPHO/KTVK) Police told KPNX 12 he fled.\n\n"
            "© 2015 KPHO/KTVK (KPHO Broadcasting Corporation). All rights reserved.")
    assert cites(analyzed(text, source="azfamily.com")) == [("KPNX", "KPNX")]


@pytest.mark.parametrize("text", [
    "The man fled.\n\n(Photo: © Getty Images) A witness told KNBC 4 he heard shots.",
    "The man fled. © 2016 Getty Images. A neighbour told KNBC 4 he heard shots at night.",
    "Copyright 2016 by the author. Police told KNBC 4 the man fled.",
])
def test_a_copyright_notice_names_only_its_holder_on_a_line_of_its_own(text: str) -> None:
    # (review R1: a "©" in a photo's credit, or the sentence after a notice, named the station
    # the next sentence cites as the article's own publisher)
    assert cites(analyzed(text, source="example.com")) == [("KNBC", "KNBC")]


def test_a_copyright_sign_in_a_photo_credit_is_a_credit() -> None:
    article = analyzed("(Photo: © KHOU) The man fled, police said.", source="kiro7.com")
    assert [(c.outlet, c.kind) for c in article.citations] == [("KHOU", "credit")]


def test_a_headlines_last_part_names_no_site() -> None:
    # (review R1: the title's part after its last dash was always taken for the site's name,
    # so the station a headline cites was the article's own)
    text = "A witness told KNBC 4 he heard shots."
    assert cites(analyzed(text, source="example.com",
                          title="Man shot in Hollywood - witness told KNBC")) == [("KNBC", "KNBC")]
    assert cites(analyzed(text, source="example.com",
                          title="Man shot in Hollywood - KNBC Southern California News")) == []


@pytest.mark.parametrize(("text", "outlet"), [
    # (review R1: a title word dropped the outlet named before it, though a curated outlet
    # was cited so, "Washington Post Editor Marty Baron"; and cut a name it is a word of)
    ("The figures were wrong, Daily News Editor Jane Hale said.", "Daily News"),
    ("The ruling was appealed, according to the Daily Herald Managing Editor Jim Slusher.",
     "Daily Herald"),
    ("Two were hurt, according to Premier Christian Radio.", "Premier Christian Radio"),
    ("The film flopped, The Hollywood Reporter reported.", "Hollywood Reporter"),
])
def test_a_title_cuts_the_outlets_name_before_it(text: str, outlet: str) -> None:
    assert [c.outlet for c in analyzed(text, source="example.com").citations] == [outlet]


def test_letters_spelled_out_in_brackets_are_read_by_the_entities_stages_rule() -> None:
    # (initials of the capitalised words before the brackets, "of", "the" between them free)
    from crossbrief.extract.sources import _spelled_out

    assert _spelled_out("The World Health Organization (WHO) met the Kansas City Police "
                        "Department (KCPD), the Workers of the Kentucky Union (WKU), KHOU 11 "
                        "(KHOU) and Kevin Smith (KWSX).") == {"WHO", "KCPD", "WKU"}


def test_every_address_of_an_outlet_written_as_one_word_reads_alike() -> None:
    # (review R1: "the Post" was HuffPost's own on huffingtonpost.com, another's on huffpost.com)
    text = "The victims were not related, the Post reported."
    assert cites(analyzed(text, source="huffingtonpost.com")) == cites(
        analyzed(text, source="huffpost.com")) == [("Post", "Post")]


def test_a_channel_number_may_be_joined_to_the_call_letters() -> None:
    article = analyzed("“I ducked,” a neighbour told KNBC4. Two were hurt, WHAS11 reported.",
                       source="example.com")
    assert cites(article) == [("KNBC", "KNBC"), ("WHAS", "WHAS")]


def test_a_demand_is_a_frame_of_its_own() -> None:
    # "demand" reports what someone said must happen (2026-12-02); it was no cue lemma.
    article = analyzed("The union demanded that the mayor resign by Friday.")
    assert ("The union", "demanded", "that the mayor resign by Friday") in frames(article)
    # (guard) a demand of a thing reports no words
    assert frames(analyzed("Voters demanded answers.")) == []


def test_a_demand_to_know_is_the_frame_of_knowing_alone() -> None:
    # "demand" asks for a thing as "want" does (sources.WEAK_CUES): "demanded to know why …"
    # was two frames, "demanded" and "to know", where "wanted to know" is one.
    assert frames(analyzed("Ruiz demanded to know why the bridge was closed.")) == \
        frames(analyzed("Ruiz wanted to know why the bridge was closed.")) == \
        [("Ruiz", "to know", "why the bridge was closed")]
    # (guard) a demand with a clause or a quotation keeps its frame
    assert ("The union", "demanded", "that the mayor resign") in \
        frames(analyzed("The union demanded that the mayor resign."))


@pytest.mark.parametrize("text,frame", [
    # (srcfix) The words after a cue (``_rest_after``) left out its own phrase ("at the time")
    # word by word, and a name's first word with it: "Hale Ruiz" was "Ruiz".
    ("The mayor said at the time Hale Ruiz would resign by the end of the month.",
     ("The mayor", "said", "Hale Ruiz would resign by the end of the month")),
    ("The senator responded to Mr. Trump's claim that the plan would cost nothing.",
     ("The senator", "responded", "Mr. Trump's claim that the plan would cost nothing")),
    # A content ends on no full stop, however the parse hangs it, nor on a conjunction whose
    # conjunct is not in it (the second thing is hers, not what she urges).
    ("Police told the station Marlon was shot, and another teen was grazed.",
     ("Police", "told", "Marlon was shot, and another teen was grazed")),
    ("She then urges her husband to come out of the car and repeatedly says, \"Don't you do "
     "it.\"", ("She", "urges", "to come out of the car")),
    # (a citing phrase's side of the clause alike)
    ("The mayor's remarks have upset the council so much that it has cut his budget and, "
     "according to two aides, is weighing a vote of no confidence.",
     ("two aides", "according to",
      "The mayor's remarks have upset the council so much that it has cut his budget")),
])
def test_what_was_said_ends_cleanly_and_keeps_its_names(
        text: str, frame: tuple[str, str, str]) -> None:
    assert frame in frames(analyzed(text))


@pytest.mark.parametrize("text,abbreviated", [
    ("Police said that Marlon was shot, and another teen was grazed.", None),
    ("Police said Marlon was shot near the park, and another teen was grazed by a bullet.",
     None),
    ("The mayor said at the time Hale would resign next week.", None),
    # (srcfix, review) The full stop of an abbreviation the tokenizer splits off is the
    # abbreviation's too: it stays ("etc" and "Elm Ave" had lost it).
    ("The cuts, the mayor said, would hit parks, pools, libraries, etc.", "libraries, etc."),
    ("The mayor said at the time Hale would cut parks, pools, libraries, etc.",
     "libraries, etc."),
    ("The bus, police said, crashed on Elm Ave.", "on Elm Ave."),
    ("The mayor said at the time Hale would move to 12 Elm Ave.", "12 Elm Ave."),
    ("The mayor said at the time Hale would move to Austin, Tex.", "Austin, Tex."),
])
def test_no_content_ends_on_a_full_stop_or_a_dangling_conjunction(
        text: str, abbreviated: str | None) -> None:
    # (guards: the whole coordinated thing said, or the first conjunct alone, never ", and")
    found = frames(analyzed(text))
    assert found
    for _, _, content in found:
        assert not content.endswith((",", " and", " but", " or"))
        if abbreviated is None:
            assert not content.endswith(".")
        else:
            assert content.endswith(abbreviated)


def test_an_aside_tagged_a_past_tense_between_the_cue_and_its_that_clause() -> None:
    # (srcfix) "asked", parsed as the cue's complement and tagged VBD, kept the aside in
    # what was said and gave a second frame of its own.
    assert frames(analyzed("The minister said, asked about it, that the talks would resume.")) \
        == [("The minister", "said", "that the talks would resume")]
    # (srcfix, review s9) the aside parsed as an adverbial of a cue with an object or a
    # phrase of its own hands it over too: it had given the cue "asked about the delay, …"
    # and a second frame of "asked"
    for text in ("The minister told reporters, asked about the delay, that the talks would "
                 "resume.",
                 "The minister said on Monday, asked about the delay, that the talks would "
                 "resume."):
        assert [(cue, content) for _, cue, content in frames(analyzed(text))] == [
            (text.split()[2], "that the talks would resume")]
    # (review s9) an aside with a content of its own besides the one it hands over keeps its
    # frame: "whether he would run" is the asking's (it had been dropped)
    found = frames(analyzed("The governor warned, asked whether he would run, that he had "
                            "not decided."))
    assert ("The governor", "warned", "that he had not decided") in found
    assert [content for _, cue, content in found if cue == "asked"] == ["whether he would run"]
    # (guard) a complement with its own subject is what was said
    assert frames(analyzed("The minister said he asked about it, and the talks would resume.")
                  )[0][2].startswith("he asked about it")


def test_an_asking_that_is_a_bare_participle_gives_no_frame_to_its_infinitive_of_learning(
) -> None:
    # (review of srcfix) Being asked to find out is a request, not speech: the branch had
    # given "to find out" a frame of its own ("the mayor | to find out | who was
    # responsible"). The bare asking is no frame and its infinitive of learning none either,
    # as before the branch.
    for text in ("Asked to find out who was responsible, the mayor hired an auditor.",
                 "Asked to find out why the bridge closed, the mayor said nothing.",
                 "Asked to know why the plant closed, the union filed a request."):
        assert frames(analyzed(text)) == []
    # (guard) an asking that is a frame holds its "to know", one frame
    assert frames(analyzed("The union asked to know why the plant closed.")) == [
        ("The union", "asked", "to know why the plant closed")]


@pytest.mark.parametrize("text,said", [
    # (review C) Set off after the cue, a condition or a time of the claim is said: a
    # participle opened by "once", of a verb that is no situation of the speaker's
    # ("starting", "assuming", "depending", "given", "adjusted", "compared"), or one whose
    # implied subject is the claim's ("when finished": the stadium; "when questioned": the
    # suspect). The aside rule had left them all out.
    ("The mayor said, once approved, the plan would cut costs by half.",
     "once approved, the plan would cut costs by half"),
    ("The company said, starting Monday, customers will need masks.",
     "starting Monday, customers will need masks"),
    ("The mayor said, when finished, the stadium would seat 60,000 fans.",
     "when finished, the stadium would seat 60,000 fans"),
    ("Police said, when questioned, the suspect gave a false name.",
     "when questioned, the suspect gave a false name"),
    ("The official said, assuming the bill passes, the agency would hire 200 inspectors.",
     "assuming the bill passes, the agency would hire 200 inspectors"),
    ("The forecaster said, depending on the storm's track, the rain could reach the coast.",
     "depending on the storm's track, the rain could reach the coast"),
    ("She said, given the deficit, the city could not afford the plan.",
     "given the deficit, the city could not afford the plan"),
    ("The company said, adjusted for inflation, wages fell 2 percent.",
     "adjusted for inflation, wages fell 2 percent"),
    ("The agency said, compared with last year, sales fell 2 percent.",
     "compared with last year, sales fell 2 percent"),
    # (review C) Past the cue's object too.
    ("She told CNN, once approved, the plan would cut costs.",
     "once approved, the plan would cut costs"),
    # (review C) Before a "that", a condition is said too.
    ("She said, if elected, that she would cut taxes.", "if elected, that she would cut taxes"),
    # (review C) A colon opens what was said: its aside is said.
    ("The statement said: when completed, the bridge will carry 50,000 cars a day.",
     "when completed, the bridge will carry 50,000 cars a day"),
    ("The notice said: when contacted, the agency will reply within a day.",
     "when contacted, the agency will reply within a day"),
])
def test_a_condition_or_time_set_off_after_the_cue_is_what_was_said(
        text: str, said: str) -> None:
    assert [content for _, _, content in frames(analyzed(text))] == [said]


@pytest.mark.parametrize("text,said", [
    # (review C) The speaker's situation, set off, interrupts the cue: "when" hung on the
    # claim between dashes; an aside after the cue's object ("told reporters, …").
    ("The mayor said — when asked — taxes would rise.", "taxes would rise"),
    ("The spokesman told reporters, speaking on condition of anonymity, the talks had "
     "stalled.", "the talks had stalled"),
    # A participle the parse tags a past tense and takes for what was said.
    ("The mayor said, asked about the delay, the bridge would open in June.",
     "the bridge would open in June"),
    # A parenthesis is an aside whoever the claim names (it kept "when asked)" in a version
    # that read the person for it).
    ("The chief said (when asked) the suspect had surrendered.", "the suspect had surrendered"),
    # (guards) the asides left out before
    ("The official said, speaking on condition of anonymity, the talks had stalled.",
     "the talks had stalled"),
    ("The mayor said, when asked, the plan would go ahead.", "the plan would go ahead"),
    ("The police said, citing witnesses, the gunman fled on foot.", "the gunman fled on foot"),
])
def test_the_speakers_situation_set_off_after_the_cue_is_not_what_was_said(
        text: str, said: str) -> None:
    assert [content for _, _, content in frames(analyzed(text))] == [said]


@pytest.mark.parametrize("text,expected", [
    # (review C) A participle that is a cue keeps its that-clause; the cue's content stands
    # before it.
    ("The plant will close in June, the company said, adding, however, that some jobs "
     "would stay.", [("the company", "said", "The plant will close in June"),
                     ("the company", "adding", "that some jobs would stay")]),
    ("Talks will resume Monday, the mediator said, noting, though, that no deal was near.",
     [("the mediator", "said", "Talks will resume Monday"),
      ("the mediator", "noting", "that no deal was near")]),
    # (review C) With an object of its own, it hands the that-clause to the cue: one frame.
    ("Officials said, noting the delay, that the bridge would open in June.",
     [("Officials", "said", "that the bridge would open in June")]),
    # (review of srcrev) A set-off participle with a that-clause of its own, and a second
    # after the comma closing the aside: the second is the cue's, however the parse hangs
    # it (on the participle, or on its first clause). The cue had no frame ("said, noting
    # …": only noting | that sales had fallen) or the participle took both clauses
    # ("adding | that talks would resume, that the ceasefire held").
    ("The CEO said, noting that sales had fallen, that the firm would cut jobs.",
     [("The CEO", "said", "that the firm would cut jobs"),
      ("The CEO", "noting", "that sales had fallen")]),
    ("The CEO said, insisting that the firm was healthy, that no jobs would be cut.",
     [("The CEO", "said", "that no jobs would be cut"),
      ("The CEO", "insisting", "that the firm was healthy")]),
    ("He said, adding that he was tired, that he would resign.",
     [("He", "said", "that he would resign"), ("He", "adding", "that he was tired")]),
    ("The lawyer argued, claiming that the evidence was tainted, that the case should be "
     "dismissed.",
     [("The lawyer", "argued", "that the case should be dismissed"),
      ("The lawyer", "claiming", "that the evidence was tainted")]),
    ("The minister said, adding that talks would resume, that the ceasefire held.",
     [("The minister", "said", "that the ceasefire held"),
      ("The minister", "adding", "that talks would resume")]),
])
def test_a_participle_that_is_a_cue_keeps_its_that_clause(
        text: str, expected: list[tuple[str, str, str]]) -> None:
    assert frames(analyzed(text)) == expected


def test_an_infinitive_of_learning_with_a_quotation_of_its_own_keeps_its_frame() -> None:
    # (review C) Folded into the asking, the quotation lost its frame.
    assert frames(analyzed("The union asked to know: “Why did the plant close?”")) == [
        ("The union", "asked", "to know"), ("The union", "to know", "Why did the plant close?")]
    # (guard) a quotation before the asking is the asking's alone
    assert frames(analyzed("“Why did the plant close?” the union asked to know.")) == [
        ("the union", "asked", "Why did the plant close?")]


@pytest.mark.parametrize("text", [
    # (review of 76d76b6) An aside after the cue that runs to the sentence's end left no words
    # after it: _char_span([]) raised an IndexError and the article was skipped (E302).
    "The official told reporters, speaking on condition of anonymity,\n\nthe talks had "
    "stalled and would resume next week.",
    "The mayor told reporters (speaking on condition of anonymity)",
    "The mayor told reporters (speaking on condition of anonymity).",
    "The senator told CNN, speaking through an interpreter,\n\nShe would not run again.",
    # (guard: passed before too)
    "Her lawyer told the court, when asked,\n\nThe hearing was adjourned until Friday.",
])
def test_an_aside_running_to_the_sentences_end_after_the_cue_is_no_content(text: str) -> None:
    article = analyzed("City officials said the bridge over the Elm River will close in June."
                       "\n\n" + text)
    assert article.text.endswith(text)  # (not cleaned away)
    # (nothing of the aside, nor its closing mark, is what was said: the cue after the
    # first sentence gives no frame; the exact frames, so that the test fails on a wrong
    # content as well as on the crash, review of srcrev)
    assert frames(article) == [
        ("City officials", "said", "the bridge over the Elm River will close in June")]


def test_an_aside_running_to_the_sentences_end_skips_no_article(tmp_path: Path) -> None:
    # (review of 76d76b6) analyze on two files kept one: the other was skipped with E302.
    (tmp_path / "a.txt").write_text(
        "City officials said the bridge over the Elm River will close for repairs in June.\n\n"
        "The official told reporters, speaking on condition of anonymity,\n\nthe talks had "
        "stalled and would resume next week.\n", "utf-8")
    (tmp_path / "b.txt").write_text(
        "The bridge over the Elm River will close for repairs in June, the mayor said on "
        "Monday.\n\nRepairs will cost $4 million, the mayor said.\n", "utf-8")
    result = CliRunner().invoke(cli, ["analyze", str(tmp_path), "-f", "json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["skipped"] == [] and len(data["articles"]) == 2


@pytest.mark.parametrize("text,said", [
    # (review of 76d76b6) An active participle, or a past one opened by nothing, tells the
    # speaker's situation whoever the claim names: it stayed in what was said when the
    # claim's subject was a person.
    ("The spokesman said, speaking on condition of anonymity, the suspect had fled the "
     "country.", "the suspect had fled the country"),
    ("Police said, responding to questions, the gunman had acted alone.",
     "the gunman had acted alone"),
    ("The official said, speaking to reporters, the victim had died overnight.",
     "the victim had died overnight"),
    ("The sheriff said, reached by phone, the suspect was in custody.",
     "the suspect was in custody"),
    ("The mayor said, addressing the crowd, the residents would be safe.",
     "the residents would be safe"),
    ("The minister said, speaking through an interpreter, the soldiers had withdrawn.",
     "the soldiers had withdrawn"),
    ("The lawyer said, speaking for the family, the boy had been innocent.",
     "the boy had been innocent"),
    ("Trump said, speaking at a rally, Clinton was a liar.", "Clinton was a liar"),
    # (guards) a past participle opened by "when" may be the claim's person's: said
    ("Police said, when questioned, the suspect gave a false name.",
     "when questioned, the suspect gave a false name"),
    ("Police said, while being questioned, the suspect gave a false name.",
     "while being questioned, the suspect gave a false name"),
])
def test_an_active_participle_of_the_speakers_situation_is_no_content_whoever_the_claim_names(
        text: str, said: str) -> None:
    assert contents(text) == [said]


@pytest.mark.parametrize("text,expected", [
    # (review of 76d76b6) A verb of the speaker's situation that is a cue too hands its
    # that-clause to the cue: one frame, without the aside (it gave said | testifying before
    # Congress, that … and a second frame, testifying | that …).
    ("The governor said, testifying before Congress, that the state needed help.",
     [("The governor", "said", "that the state needed help")]),
    ("The spokeswoman said, writing in an email, that the company had no comment.",
     [("The spokeswoman", "said", "that the company had no comment")]),
    ("The chief said, responding to critics, that the force was understaffed.",
     [("The chief", "said", "that the force was understaffed")]),
    # A participle whose that-clause follows the comma closing its own words hands it to
    # the cue, as "said, adding, that …" does: the saying's content is not the aside with
    # it (said | arguing for the bill, that it would create jobs, before review of 76d76b6)
    # nor is the that-clause the participle's (arguing | that it would create jobs, with no
    # frame of "said", before src9; "that taxes would fall", parsed with the clause on
    # "said", gave said | that taxes would fall: one construction, two readings)
    ("The senator said, arguing for the bill, that it would create jobs.",
     [("The senator", "said", "that it would create jobs")]),
    ("The senator said, arguing for the bill, that taxes would fall.",
     [("The senator", "said", "that taxes would fall")]),
    # after the cue's own phrases too (review of srcrev, src9); "said as much in an
    # interview, arguing that …" keeps the cue's frame (the test below)
    ("The senator said in a statement, arguing for the bill, that it would create jobs.",
     [("The senator", "said", "that it would create jobs")]),
    # (src9) a second that-clause after ", and" is the cue's too, as one after "," is
    # (below): it was the participle's conjunct, and "said" had no frame
    ("The mayor said, noting that the budget was short, and that taxes would rise.",
     [("The mayor", "said", "that taxes would rise"),
      ("The mayor", "noting", "that the budget was short")]),
    ("The minister said, adding that talks would resume, and that the ceasefire held.",
     [("The minister", "said", "that the ceasefire held"),
      ("The minister", "adding", "that talks would resume")]),
    # (guard) not after a cue whose content stands before the participle
    ("The company said prices would rise, adding that wages would not, and that jobs "
     "would go.", [("The company", "said", "prices would rise"),
                   ("The company", "adding", "that wages would not, and that jobs would go")]),
    # (guards: these passed before too)
    ("The witness said, replying to the judge, that she had seen the car.",
     [("The witness", "said", "that she had seen the car")]),
    ("Officials said, commenting on the report, that it was flawed.",
     [("Officials", "said", "that it was flawed")]),
    ("The mayor said, answering a question, that taxes would rise.",
     [("The mayor", "said", "that taxes would rise")]),
])
def test_an_aside_between_a_cue_and_its_that_is_never_content(
        text: str, expected: list[tuple[str, str, str]]) -> None:
    assert frames(analyzed(text)) == expected


@pytest.mark.parametrize("text,expected", [
    # (src4) A participle cue set off on both sides with no words of its own ("adding,")
    # is an aside of the cue, as "when asked," is: its that-clause is the cue's, one frame.
    # It had given two, the cue's content "adding, that …" and a frame of "adding".
    ("The company said, adding, that prices would rise.",
     [("The company", "said", "that prices would rise")]),
    ("The ministry said, adding, that talks would resume in May.",
     [("The ministry", "said", "that talks would resume in May")]),
    ("Officials told reporters, adding, that the bridge would open.",
     [("Officials", "told", "that the bridge would open")]),
    ("The mayor said, adding, however, that the plan would go ahead.",
     [("The mayor", "said", "that the plan would go ahead")]),
    # (guards) with the cue's content before it, or the that-clause its own, it keeps it
    ("The plant will close in June, the company said, adding, however, that some jobs "
     "would stay.", [("the company", "said", "The plant will close in June"),
                     ("the company", "adding", "that some jobs would stay")]),
    ("The company said prices would rise, adding that wages would not.",
     [("The company", "said", "prices would rise"),
      ("The company", "adding", "that wages would not")]),
])
def test_a_bare_participle_cue_set_off_hands_its_clause_to_the_cue(
        text: str, expected: list[tuple[str, str, str]]) -> None:
    assert frames(analyzed(text)) == expected


@pytest.mark.parametrize("text,said", [
    # (review of 76d76b6) An abbreviation's full stop, which is the sentence's too, is kept
    # however the parse places the stop (it was kept only inside the clause's subtree).
    ("The mayor said the cuts would hit parks, pools, libraries, etc.",
     "the cuts would hit parks, pools, libraries, etc."),
    ("Police said the bus crashed on Elm Ave.", "the bus crashed on Elm Ave."),
    ("She said she had driven to Dallas from Austin, Tex.",
     "she had driven to Dallas from Austin, Tex."),
    # (guards, passing before too) a state's after a place, the firm's, a name's suffix, a
    # street's, a word's own stops
    ("The report said the plant moved to Little Rock, Ark.",
     "the plant moved to Little Rock, Ark."),
    ("The paper said the firm was Acme Inc.", "the firm was Acme Inc."),
    ("The lawyer said the plaintiff was John Smith Jr.", "the plaintiff was John Smith Jr."),
    ("Officials said the march would start on Main St.", "the march would start on Main St."),
    ("She said the sanctions were imposed by the U.S.",
     "the sanctions were imposed by the U.S."),
    # (review of srcrev) "Dr" (Drive) and the other street words keep their stop: a title
    # never ends a content ("Dr" had lost it: GVA dev's "… N. Shadybrook Dr"); a state's
    # after a place whose name holds an apostrophe too ("O'Fallon, Mo" had lost it).
    ("Police said the man was found dead in a home on Ocean Dr.",
     "the man was found dead in a home on Ocean Dr."),
    ("Police said the shooting happened near Chandler Park Dr. and Outer Dr.",
     "the shooting happened near Chandler Park Dr. and Outer Dr."),
    ("Police said the man lived on Maple Ct.", "the man lived on Maple Ct."),
    ("Police said the car was found on Cedar Ln.", "the car was found on Cedar Ln."),
    ("Police said the suspect was arrested in O'Fallon, Mo.",
     "the suspect was arrested in O'Fallon, Mo."),
    ("The company said it would open a store in Land O'Lakes, Fla.",
     "it would open a store in Land O'Lakes, Fla."),
    # (review of 76d76b6) A word that is an abbreviation only elsewhere (a state's after a
    # place, a title before a name, "No" before a number) ends on the sentence's stop, which
    # is no part of what was said.
    ("The priest said the bishop would celebrate Mass.", "the bishop would celebrate Mass"),
    ("The guide said the museum had built a replica of Noah's Ark.",
     "the museum had built a replica of Noah's Ark"),
    ("The coach said the team would miss Gen.", "the team would miss Gen"),
    ("He said the new coach was from Wash.", "the new coach was from Wash"),
    ("He said the answer was No.", "the answer was No"),  # (guard: passed before)
])
def test_a_content_keeps_an_abbreviations_full_stop_and_no_words(text: str, said: str) -> None:
    assert contents(text) == [said]


@pytest.mark.parametrize("text,said", [
    # (src9) mid-text the tokenizer keeps the abbreviation with its stop and the parse takes
    # it for the sentence's stop, hung on the cue: the content lost it and its own words
    # ("he was shot on"); only the text's last one had kept it
    ("Police said he was shot on Ocean Dr. The victim died.", "he was shot on Ocean Dr."),
    ("Police said the victim was a man from Hope, Ind. He was 34.",
     "the victim was a man from Hope, Ind."),
    ("Police said the shooting happened near Chandler Park Dr. The victim died.",
     "the shooting happened near Chandler Park Dr."),
    # a word that is an abbreviation only elsewhere is taken back without the stop
    ("He said the new coach was from Wash. The team agreed.", "the new coach was from Wash"),
    # (guards) a sentence's stop after an ordinary word, a split-off stop, a street word
    # the parse keeps in the clause
    ("Police said the car was found on Cedar Ln. Nobody was hurt.",
     "the car was found on Cedar Ln."),
    ("Police said he was shot near the river. The victim died.",
     "he was shot near the river"),
    ("Police said the bus crashed on Elm Ave. The driver fled.",
     "the bus crashed on Elm Ave."),
])
def test_an_abbreviation_ending_a_sentence_mid_text_is_kept_with_its_stop(
        text: str, said: str) -> None:
    assert contents(text) == [said]


@pytest.mark.parametrize("text,source", [
    # (src9) the same after an inverted cue: "a neighbor who lives on" before
    ("“We were scared,” said a neighbor who lives on Ocean Dr. The victim died.",
     "a neighbor who lives on Ocean Dr."),
    ("The victim died, said a neighbor who lives on Elm Ave. Police arrived.",
     "a neighbor who lives on Elm Ave."),
    ("The victim died, said a neighbor. Police arrived.", "a neighbor"),  # (guard)
])
def test_an_abbreviation_ending_a_sentence_mid_text_stays_in_the_source(
        text: str, source: str) -> None:
    assert [s for s, _, _ in frames(analyzed(text))] == [source]


def test_a_participle_after_the_cues_own_phrases_leaves_the_cue_its_frame() -> None:
    # (guard) Not an aside between the cue and its "that": the cue's frame stays, as before
    # (a first version left "said" no frame: PolNeAR dev's "Robby Mook said as much in an
    # interview earlier Thursday morning, arguing that …").
    assert "said" in [cue for _, cue, _ in frames(analyzed(
        "The mayor said as much in an interview on Monday morning, arguing that the plan "
        "would fail."))]


@pytest.mark.parametrize("text", [
    # (src4) What someone was asked to explain is a request, not speech: "to explain" had
    # a frame, the mayor its source, though the mayor said nothing. "The mayor was asked to
    # explain …" gives none (a passive's subject); a bare participle is a passive without
    # its auxiliary. "said nothing", "declined to comment", "would not say" report nothing.
    "Asked to explain why the budget failed, the mayor said nothing.",
    "When asked to explain why the budget failed, the mayor declined to comment.",
    "Pressed to explain why the plant closed, the owner would not say.",
    "Asked to describe what happened, the witness said nothing.",
    "The mayor was asked to explain why the budget failed.",
    # (guards: these passed before src4 too)
    "Hale said nothing.",
    "The senator, pressed on the vote, said little.",
    # (was an expected failure of test_a_cue_reports_nothing_outside_its_own_clause)
    "When asked, he said nothing about the plant closing, and the mayor left.",
])
def test_being_asked_to_say_something_is_no_frame(text: str) -> None:
    assert frames(analyzed(text)) == []


@pytest.mark.parametrize("ending", ["said nothing.", "declined to comment.", "would not say."])
def test_a_participle_set_off_after_its_subject_is_asked_of_it(ending: str) -> None:
    # (src4) "The mayor, asked to explain …," is parsed with the mayor the asking's subject:
    # the mayor asked, the mayor explained, and "said nothing" reported the asking. The
    # asking is someone's the sentence does not name; its request is no frame.
    found = frames(analyzed("The mayor, asked to explain why the budget failed, " + ending))
    assert found == [(None, "asked", "to explain why the budget failed")]


@pytest.mark.parametrize("text,source,said", [
    # (review of src4) A clause whose subject is set off by an apposition or a relative
    # clause, before an inverted cue, was read as a participle set off after its subject
    # and lost its frame (it gave none).
    ("The victim, a 25-year-old man, died at the scene, said police.", "police",
     "The victim, a 25-year-old man, died at the scene"),
    ("The boy, 12, was in stable condition, said Officer Jane Doe.", "Officer Jane Doe",
     "The boy, 12, was in stable condition"),
    ("Hale, a Democrat, won the race, said county officials.", "county officials",
     "Hale, a Democrat, won the race"),
    ("The man, who was not identified, died at the hospital, said police spokesman John "
     "Smith.", "police spokesman John Smith",
     "The man, who was not identified, died at the hospital"),
    ("The company, based in Ohio, lost money last year, said the report.", "the report",
     "The company, based in Ohio, lost money last year"),
])
def test_a_clause_with_its_subject_set_off_before_an_inverted_cue_keeps_its_frame(
        text: str, source: str, said: str) -> None:
    assert frames(analyzed(text)) == [(source, "said", said)]


def test_a_clause_with_its_subject_set_off_before_a_titled_speaker_keeps_its_content() -> None:
    # (review of src4) it gave no frame
    assert contents("The suspect, 19, fled on foot, said Sgt. Mike Smith.") == [
        "The suspect, 19, fled on foot"]


@pytest.mark.parametrize("title", ["Sgt.", "Det.", "Gov.", "Lt.", "Dr.", "Det. Insp."])
def test_a_name_after_a_title_after_an_inverted_cue_is_the_source(title: str) -> None:
    # (src9) the parse ended the sentence at the stop of "Sgt." and "Det." ("… said Sgt." |
    # "Mike Smith."): the source was "Sgt", its name "Sgt"; "Gov.", "Lt.", "Dr." passed
    article = analyzed(f"The suspect fled on foot, said {title} Mike Smith.")
    assert frames(article) == [(f"{title} Mike Smith", "said", "The suspect fled on foot")]
    assert [a.source for a in article.attributions] == ["Mike Smith"]


def test_a_quote_before_a_title_and_a_name_is_the_names() -> None:
    # (src9) the quote's speaker was "Sgt"
    article = analyzed("“He fled on foot,” said Sgt. Mike Smith.")
    assert [q.speaker for q in article.quotes] == ["Mike Smith"]


@pytest.mark.parametrize("text,source", [
    # (review of src9) the name took the day or the date after it: "Sgt. Mike Smith Tuesday"
    ("“He fled,” said Sgt. Mike Smith Tuesday.", "Sgt. Mike Smith"),
    ("“He fled,” said Sgt. Mike Smith Sept. 3.", "Sgt. Mike Smith"),
    ("“He fled,” said Sgt. Smith Monday.", "Sgt. Smith"),
    # (guard) a month that opens the name is a first name
    ("The suspect fled on foot, said Sgt. June Smith.", "Sgt. June Smith"),
    # (review of src9) a month's whole name with no day after it is a surname
    ("“He ran toward the river,” said Det. Sarah May.", "Det. Sarah May"),
    ("“He fled,” said Det. Theresa May of the county police.", "Det. Theresa May"),
    ("“He fled,” said Sgt. Mike Smith May 3.", "Sgt. Mike Smith"),
])
def test_a_name_after_a_title_stops_at_a_day_or_a_month(text: str, source: str) -> None:
    assert [found for found, _, _ in frames(analyzed(text))] == [source]


@pytest.mark.parametrize("text,source,name", [
    # (review of src9) the span went over the split title, but the name was the title's
    # ("Sgt", "Det"), or the span stopped at a hyphen or a particle of the name
    ("“He fled,” said Sgt. Gulliver.", "Sgt. Gulliver", "Gulliver"),
    ("“He fled,” said Det. Jones.", "Det. Jones", "Jones"),
    ("The suspect fled on foot, said Det. Jones.", "Det. Jones", "Jones"),
    ("“He fled,” said Sgt. Ana Garcia-Lopez.", "Sgt. Ana Garcia-Lopez", "Ana Garcia-Lopez"),
    # (review of src9) the recogniser's mention of part of the name ("Chris") named it
    ("“It was a tragedy,” said Sgt. Chris Estes of the DeLand Police Department.",
     "Sgt. Chris Estes", "Chris Estes"),
    ("“He fled,” said Sgt. Maria de la Cruz.", "Sgt. Maria de la Cruz", "Maria de la Cruz"),
])
def test_a_split_title_names_the_words_after_it(text: str, source: str, name: str) -> None:
    article = analyzed(text)
    assert [(found, a.source) for (found, _, _), a in zip(
        frames(article), article.attributions, strict=True)] == [(source, name)]
    assert [q.speaker for q in article.quotes] == ([name] if "“" in text else [])


@pytest.mark.parametrize(("text", "name"), [
    # (final review of 2026-12-03) the "titles all the way" check threw away a name whose
    # last word read is a title's abbreviation ("St.")
    ("“We are looking,” said Det. Insp. Mary Ann St. Pierre.", "Mary Ann St. Pierre"),
    ("“We are looking,” said Lt. Col. Mary Beth St. Clair.", "Mary Beth St. Clair"),
])
def test_a_name_after_titles_ending_on_a_titles_word_is_read(text: str, name: str) -> None:
    assert [q.speaker for q in analyzed(text).quotes] == [name]


@pytest.mark.parametrize("text,wrong", [
    # (final review of 2026-12-03) a possessive glued to the name after a split title: the
    # words are the possessed's (the attorney's, the husband's), never the possessor's (the
    # title is left unresolved, as before the split-title reading)
    ("“He was a good man,” said Det. John Smith’s attorney, Bob Hill.", "John Smith"),
    ("“He was a good man,” said Sgt. Ann Lee's husband.", "Ann Lee"),
    # titles all the way: no title is read as the name after them (the speaker was "Det",
    # "Lt"; the first title is left unresolved, as before)
    ("“We are looking,” said Insp. Sgt. Det. Ann Lee.", "Det"),
    ("“We are looking,” said Sgt. Lt.", "Lt"),
])
def test_no_name_is_read_after_a_split_title_for_a_possessor_or_a_title(
        text: str, wrong: str) -> None:
    article = analyzed(text)
    named = [q.speaker for q in article.quotes] + [a.source for a in article.attributions]
    assert named and wrong not in named, named


@pytest.mark.parametrize("text,name", [
    # (review of src9) a split title after a first person named the second one
    ("“He fled,” said Lt. Mike Smith and Sgt. Ann Lee.", "Mike Smith"),
    ("“He ran toward the river,” said Mayor John Smith and Sgt. Mike Jones.", "John Smith"),
    # (guard) a place's or a force's words before the title name nobody
    ("“He fled,” said Auburn Det. Francesca Nix.", "Francesca Nix"),
    ("“He fled,” said Detroit police Sgt. Mike Jones.", "Mike Jones"),
])
def test_a_split_title_after_another_person_keeps_the_first(text: str, name: str) -> None:
    assert [q.speaker for q in analyzed(text).quotes] == [name]


@pytest.mark.xfail(strict=True, reason=(
    "known limit (review of src9; on main too): a street's abbreviation ending a source or a "
    "content is kept only where the parse ends its sentence there; before a next sentence "
    "opening on a word the parse runs on into ('Officers', 'Police', 'Smith'), the source "
    "or content swallows it or the cue loses its source (docs/quotes.md)"))
@pytest.mark.parametrize("text,expected", [
    ("The victim died, said a neighbor who lives on Ocean Dr. Officers arrived later.",
     [("a neighbor who lives on Ocean Dr.", "said", "The victim died")]),
    ("The victim died, said a neighbor who lives on Elm St. Police arrived.",
     [("a neighbor who lives on Elm St.", "said", "The victim died")]),
    ("Police said he was shot on Main St. Smith said he was scared.",
     [("Police", "said", "he was shot on Main St."), ("Smith", "said", "he was scared")]),
])
def test_a_street_before_a_sentence_run_on_by_the_parse(
        text: str, expected: list[tuple[str, str, str]]) -> None:
    assert frames(analyzed(text)) == expected


def test_a_run_of_titles_before_a_name_is_read_with_a_bound() -> None:
    # (review of src9) one call for each title: 4,500 titles ran past Python's recursion
    # limit and the article was dropped; 400 gave a source of 2,005 characters
    article = analyzed("“He fled,” said " + "Sgt. " * 5000 + "Smith. Police searched the area.")
    found = frames(article)
    assert found and all(source is not None and len(source) <= 40 for source, _, _ in found)


def test_resolve_speaker_reads_a_run_of_split_titles_with_a_bound() -> None:
    # (review of src9) resolve_speaker called itself once for each split title: 1,500
    # "Det." ran past Python's recursion limit when it was called directly
    article = analyzed("“He fled,” " + "Det. " * 1500 + "Smith said.")
    start = article.text.index("Det.")
    resolve_speaker(article, start, article.text.index("Smith") + len("Smith"))


def test_a_title_with_no_name_after_it_stays_the_source() -> None:
    # (guard) a capitalised function word after the title opens a sentence
    assert frames(analyzed("The suspect fled on foot, said Sgt. The officer left.")) == [
        ("Sgt", "said", "The suspect fled on foot")]


@pytest.mark.parametrize("text,content", [
    # (review of src6) a participle set off after a subject that holds a comma was read as
    # the subject's own verb: the belief was credited to "The identity of the deceased
    # male, 24" and to "The man, a father of two" (no source before src6)
    ("The identity of the deceased male, 24, believed to be one of two suspects in this "
     "case, is pending verification.", "to be one of two suspects in this case"),
    ("The man, a father of two, believed to have fired first, died at the scene.",
     "to have fired first"),
])
def test_a_participle_after_a_subject_with_a_comma_has_no_source(
        text: str, content: str) -> None:
    assert frames(analyzed(text)) == [(None, "believed", content)]


def test_a_verb_after_a_subject_set_off_by_an_apposition_keeps_its_source() -> None:
    # (review of src4) "insisted" had no source: read as a participle set off after Hale
    found = frames(analyzed("Hale, a Democrat, insisted the plan would work, argued that "
                            "costs would fall and said voters agreed."))
    assert ("Hale, a Democrat", "insisted", "the plan would work") in found


def test_saying_nothing_with_a_clause_after_it_keeps_its_frame() -> None:
    # (review of src4) "says nothing like it has ever occurred … and he is conducting a
    # review" says something: the frame was dropped for its "nothing" (it had one before)
    found = frames(analyzed(
        "CHICAGO (STMW) — The owner of a South Side nightclub where seven people were injured "
        "early Thursday when gunfire erupted inside during a rap video release party says "
        "nothing like it has ever occurred at the club and he is conducting a review of all "
        "security measures."))
    assert [cue for _, cue, _ in found] == ["says"]
    assert found[0][2].endswith("he is conducting a review of all security measures")


def test_refusing_to_say_reports_nothing_but_saying_little_happened_does() -> None:
    # (guard) "little" as the subject of what was said is no refusal
    assert frames(analyzed("The mayor said little had changed.")) == [
        ("The mayor", "said", "little had changed")]


@pytest.mark.parametrize("text", [
    # (review of src6) a clause of time, cause or condition after "said nothing", or a
    # relative clause on its "nothing", says when or why, not what: each gave a frame
    # ("Hale", "said", "because the case was still open"); none before src6
    "Hale said nothing, because the case was still open.",
    "Hale said nothing when asked about the case.",
    "Hale said nothing after the verdict was read.",
    "The mayor said little, although the council pressed him for details.",
    "Hale said nothing while the jury deliberated.",
    "Hale said nothing to reporters when he left the courthouse.",
    "Hale said nothing that would help the defense.",
])
def test_saying_nothing_with_a_subordinate_clause_reports_nothing(text: str) -> None:
    assert frames(analyzed(text)) == []


@pytest.mark.parametrize("text,said", [
    # (src9) a that-clause let out of "nothing" or "little" by "except", "other than",
    # "more than" is what was said, that much: the first two gave no frame (the clause hangs
    # on the preposition under "nothing"; "other than" as an adverbial clause of it)
    ("Hale said nothing except that the case was still open.",
     "that the case was still open"),
    ("Hale said nothing other than that the case was still open.",
     "that the case was still open"),
    ("The mayor said little except that the budget would be cut.",
     "that the budget would be cut"),
    # (guard: passed before, by the words after the cue)
    ("Hale said little more than that the case was still open.",
     "that the case was still open"),
    # (review of src9) the first verb's clause, "that when police arrived", "that if the
    # suspect returned", was taken for all of it
    ("Hale said nothing except that when police arrived the man had fled.",
     "that when police arrived the man had fled"),
    ("Hale said nothing except that if the suspect returned, officers would arrest him.",
     "that if the suspect returned, officers would arrest him"),
    # (review of src9) a second that-clause after ", and" hangs on the cue: it was lost
    ("She said nothing other than that she was sorry, and that she would return.",
     "that she was sorry, and that she would return"),
    # (guard: the parse hangs this one on the first clause)
    ("Hale said nothing except that the case was still open and that he would return.",
     "that the case was still open and that he would return"),
])
def test_saying_nothing_except_a_clause_reports_the_clause(text: str, said: str) -> None:
    assert [(cue, content) for _, cue, content in frames(analyzed(text))] == [("said", said)]


@pytest.mark.xfail(strict=True, reason=(
    "known limit (review of src9): _excepted_clause reads only the no-word's own phrase; "
    "an excepting word the parse hangs on the cue, after a comma, or the clause read as "
    "the cue's complement with the no-word in it, is not reached (docs/quotes.md)"))
@pytest.mark.parametrize("text,said", [
    ("Officials said nothing besides that the victim was a man.", "that the victim was a man"),
    ("Officials would say nothing more than that the victim was a man.",
     "that the victim was a man"),
    ("Hale said nothing, except that he was tired.", "that he was tired"),
    ("Officials said little beyond that the victim was a man.", "that the victim was a man"),
])
def test_saying_nothing_except_a_clause_in_other_parses(text: str, said: str) -> None:
    assert contents(text) == [said]


@pytest.mark.parametrize("text", ["Hale said nothing except that.", "Hale said nothing.",
                                  "Hale said nothing but the truth."])
def test_saying_nothing_except_no_clause_reports_nothing(text: str) -> None:
    # (guard) no clause after the excepting word: nothing said
    assert frames(analyzed(text)) == []


@pytest.mark.parametrize("text", [
    # (review of src9) "that" a pronoun, no conjunction opening what was said: these gave
    # frames with the contents "that was" and "that which was in the statement"
    "Hale said nothing more than that was needed.",
    "The spokesman said nothing other than that which was in the statement.",
    "Hale said nothing except that which he had said before.",
])
def test_saying_nothing_but_a_pronoun_that_reports_nothing(text: str) -> None:
    assert frames(analyzed(text)) == []


@pytest.mark.parametrize("text,said", [
    # (guards) "nothing" or "little" the subject of what was said
    ("Hale said nothing had changed.", "nothing had changed"),
    ("Hale said little was known.", "little was known"),
])
def test_saying_that_nothing_happened_reports_it(text: str, said: str) -> None:
    assert frames(analyzed(text)) == [("Hale", "said", said)]


@pytest.mark.parametrize("text,said", [
    # (src4) The person told, parsed as a word of the clause's subject, is not what was
    # told: it had given "reporters Hale would resign". The frame has no field for them.
    ("The aide told reporters Hale would resign.", "Hale would resign"),
    ("The aide told state officials tax rates would rise.", "tax rates would rise"),
    ("The spokesman informed investors profits would rise.", "profits would rise"),
    ("The aide told CNN Hale would resign.", "Hale would resign"),
    ("The aide told the Associated Press Hale would resign.", "Hale would resign"),
    ("The aide told NBC News Jo Hale would resign.", "Jo Hale would resign"),
    # (review of src4) the cut at the last word that could end an addressee fell inside the
    # subject ("Democrats would vote …"): the first one, never before a group's word
    ("The aide told reporters House Democrats would vote against the bill.",
     "House Democrats would vote against the bill"),
    ("McConnell told reporters Senate Republicans had the votes.",
     "Senate Republicans had the votes"),
    ("The aide told lawmakers Senate Republicans would block the bill.",
     "Senate Republicans would block the bill"),
    # (review of src6) the skip of a group's word blocked the only cut when that word was
    # the subject's head: it gave "lawmakers Democrats would block the bill"
    ("The governor told lawmakers Democrats would block the bill.",
     "Democrats would block the bill"),
    ("The aide told reporters Americans deserve answers.", "Americans deserve answers"),
    # (guards) parsed as the cue's object, or no addressee at all
    ("The aide told the committee Hale would resign.", "Hale would resign"),
    ("The minister warned residents floods could return.", "floods could return"),
    ("The aide told reporters budget director Hale would resign.",
     "budget director Hale would resign"),
])
def test_the_person_told_is_not_what_was_told(text: str, said: str) -> None:
    assert [content for _, _, content in frames(analyzed(text))] == [said]


@pytest.mark.parametrize("text,said", [
    # (review of src4) a possessive "her" read as the person told: it gave "daughter's death
    # 'falls on her shoulders'"
    ("Although police consider the death accidental, the Missouri girl's grief-stricken "
     "mother Jennifer Doerr told KOAM-TV her daughter's death 'falls on her shoulders'.",
     "her daughter's death 'falls on her shoulders'"),
    ("The mother told KOAM-TV her daughter's death was an accident.",
     "her daughter's death was an accident"),
    # (guards) "her" the person told
    ("The aide told her Hale would resign.", "Hale would resign"),
])
def test_a_possessive_is_not_the_person_told(text: str, said: str) -> None:
    assert contents(text) == [said]


def test_a_group_named_after_the_person_told_stays_whole() -> None:
    # (review of src4) it gave "union leaders would strike"
    [said] = contents("The aide told the board teachers union leaders would strike.")
    assert said.endswith("teachers union leaders would strike")
    assert not said.startswith("union")


@pytest.mark.xfail(strict=True, reason=(
    "known limit: an addressee ending in a singular common noun ('the board') is read as "
    "the subject's first words and stays in the content (docs/quotes.md)"))
def test_the_person_told_before_a_group_is_cut_off() -> None:
    # (review of src6) split from the test above, which accepted "the board teachers union
    # leaders would strike"
    assert contents("The aide told the board teachers union leaders would strike.") == [
        "teachers union leaders would strike"]


@pytest.mark.parametrize("text,cue,asked", [
    # (src4) Set off after a cue, "asked …" is asked of the cue's subject by someone the
    # sentence does not name: its frame, kept for what was asked (review s9), has no source,
    # never the cue's subject. Parsed as the cue's open complement, it had the mayor asking.
    # (the governor's "warned, asked whether he would run, …" is tested in
    # test_an_aside_tagged_a_past_tense_between_the_cue_and_its_that_clause)
    ("The mayor said, asked to explain the delay, that the bridge would open in June.", "said",
     "to explain the delay"),
])
def test_an_asking_set_off_after_a_cue_is_not_the_speakers(
        text: str, cue: str, asked: str) -> None:
    found = frames(analyzed(text))
    subject = text.split(",")[0].rsplit(" ", 1)[0]
    assert [f for f in found if f[1] == "asked"] == [(None, "asked", asked)]
    assert [f[0] for f in found if f[1] == cue] == [subject]
    assert not any(f[0] == subject and asked in f[2] for f in found)


@pytest.mark.parametrize(("text", "source"), [
    # A relative "who" as a frame's source is named for whom it stands, as a quote's speaker
    # is (docs/quotes.md): never "who" or the clause it opens, nor the subject of the verb
    # the clause follows ("Police")
    ("Police searched the store of the 45-year-old, who said he was innocent.", "45-year-old"),
    ("Police questioned Maria Lopez, who said she was innocent.", "Maria Lopez"),
    # "Who" capitalised inside a sentence is a name, not a relative pronoun
    ("Dr. Who said the machine was broken.", "Who"),
])
def test_a_relative_who_as_a_source_is_named_for_whom_it_stands(text: str, source: str) -> None:
    assert [a.source for a in analyzed(text).attributions] == [source]
