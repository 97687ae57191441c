"""Issue 13's speaker rules, each measured on PolNeAR train and dev (docs/quotes.md)."""

from __future__ import annotations

from crossbrief.extract.quotes import QuoteSpan, _words_at_cue, direct_quotes

from .test_quotes import analyzed, quote_starting, spans


def test_words_before_a_cue_the_parse_left_without_a_subject() -> None:
    text = ("“Yes, I support Ted Cruz,” Brent Bozell III, founder of the Media Research "
            "Center, tells Breitbart News.")
    cue = text.index("tells")
    speaker = _words_at_cue(text, QuoteSpan(1, text.index("”")), (cue, cue + 5))
    assert speaker is not None
    assert text[speaker.start:speaker.end] == "Brent Bozell III"


def test_words_after_an_inverted_cue() -> None:
    text = "“We should oppose that,” said Jim Bopp, a conservative member of the committee."
    cue = text.index("said")
    speaker = _words_at_cue(text, QuoteSpan(1, text.index("”")), (cue, cue + 4))
    assert speaker is not None
    assert text[speaker.start:speaker.end] == "Jim Bopp"
    # A quote that does not hand over (ends on a full stop) keeps no such speaker.
    text = "“We should oppose that.” Said Jim Bopp, a member."
    assert _words_at_cue(text, QuoteSpan(1, text.index("”")), (25, 29)) is None


def test_a_role_no_one_in_the_story_holds_is_shown_in_its_words() -> None:
    article = analyzed('Sooner or later, the New Jersey governor told reporters, '
                       '"it starts to pay off."')
    assert quote_starting(article, "it starts").speaker == "New Jersey governor"


def test_a_clause_and_a_comma_introduce_a_full_quote() -> None:
    article = analyzed("After a rival criticized her husband during a debate, Hillary Clinton "
                       "shot back, “I suppose I could have chosen to stay home and bake "
                       "cookies.”")
    quote = quote_starting(article, "I suppose")
    assert not quote.fragment
    assert quote.speaker == "Hillary Clinton"


def test_an_organisation_or_document_speaks_through_its_verb() -> None:
    article = analyzed("The election was close. Instead, the statement talked about giving "
                       "voters the right to “determine who they want as president.”")
    assert quote_starting(article, "determine").speaker == "statement"


def test_a_pronoun_points_back_to_the_subject_before_the_nearest_name() -> None:
    article = analyzed("John Smith criticized David Jones at the hearing on Monday. “The money "
                       "speaks for itself,” he said.")
    assert quote_starting(article, "The money").speaker == "John Smith"


def test_the_owner_of_a_noun_of_saying_is_the_speaker() -> None:
    article = analyzed("Marcus Delane's assertion that “thousands” of people celebrated was "
                       "never borne out.")
    assert quote_starting(article, "thousands").speaker == "Marcus Delane"


def test_markup_attribute_values_are_not_quotes() -> None:
    text = ('<tweet id="756642903469031424" author="@cspan">Rudy wears a hat.</tweet> '
            'She said "we will win."')
    assert spans(text) == ["we will win."]


def test_the_title_of_a_programme_is_not_a_quote() -> None:
    article = analyzed("“We will win,” Marcus Delane told ABC’s “Good Morning America” on "
                       "Sunday.")
    assert [article.text[q.start:q.end] for q in direct_quotes(article.quotes)] == [
        "We will win,"]


def test_a_verb_of_characterising_speaks_for_a_title_in_capitals() -> None:
    article = analyzed("Marcus Delane referred to the governor as “Chris.”")
    assert quote_starting(article, "Chris").speaker == "Marcus Delane"


def test_a_partial_quote_left_open_does_not_run_on_into_the_next_paragraph() -> None:
    text = ("Grayson said Murphy’s support of the idea is “really an amorphous position to "
            "have.\n\n“What we do here is fine,” he said.")
    assert spans(text) == ["really an amorphous position to have.", "What we do here is fine,"]
    # After a cue and a few words, the quotation opening there runs on.
    text = "Grayson said on Monday: “We will win.\n\n“We always do.”"
    assert spans(text) == ["We will win.\n\n“We always do."]


def test_the_subject_nearest_the_cue_is_the_source() -> None:
    article = analyzed("It was a rally in Nevada. No wonder Trump said, and I quote, “We love "
                       "the poorly educated.”")
    assert "Trump" in (quote_starting(article, "We love").speaker or "")


def test_an_object_pronoun_after_a_cue_is_not_its_subject() -> None:
    from crossbrief.config import load_settings
    from crossbrief.extract.speech import inverted_subject
    from crossbrief.nlp import load_spacy

    doc = load_spacy(load_settings().spacy_model)(
        "He appeared on the show, calling it a “no-brainer” to prosecute.")
    calling = next(t for t in doc if t.lower_ == "calling")
    assert inverted_subject(calling) is None


def test_the_verb_of_a_lead_clause_is_found_past_its_conjunction() -> None:
    article = analyzed("The returns stayed secret. But as The Hill pointed out, “Still, the "
                       "candidate has so far declined to release any tax returns.”")
    assert "Hill" in (quote_starting(article, "Still").speaker or "")


def test_a_no_break_space_before_an_inverted_cue() -> None:
    text = "“We faced serial delays,”\xa0added Gowdy."
    cue = text.index("added")
    speaker = _words_at_cue(text, QuoteSpan(1, text.index("”")), (cue, cue + 5))
    assert speaker is not None
    assert text[speaker.start:speaker.end] == "Gowdy"


def test_the_name_that_ends_a_short_colon_lead() -> None:
    article = analyzed("The state leans one way. More from Jeffrey Jones: “The partisanship of "
                       "the state population is a starting point.”")
    assert quote_starting(article, "The partisanship").speaker == "Jeffrey Jones"
