from __future__ import annotations

import time
from pathlib import Path

import pytest

from crossbrief.clean import (
    REASONS,
    _standalone_reason,
    clean_article,
    fold,
    is_caption,
    normalise_text,
)
from crossbrief.errors import NoTextError
from crossbrief.model import Article, Brief

from .conftest import SEED, seed_article

# Boilerplate in the seed corpus: (article prefix, exact line, reason it must be removed for).
# The five articles themselves are read in place from ../shared.
SEED_REMOVE = {
    "000": [],
    "001": [
        ("Russia /", "breadcrumb"),
        ("*For corrections please email [email protected]*", "correction"),
    ],
    "002": [
        ("HomeWorldXi Jinping meets Vladimir Putin in Moscow", "breadcrumb-title"),
        ("Xi Jinping meets Vladimir Putin in Moscow", "repeated-title"),
        ("Related stories", "related"),
        ("Shark attack kills Russian citizen in Egyptian Red Sea", "related"),
        ("Illustrative image of a tiger shark. (Albert Kok,...", "related"),
        ("Ukraine breaks the stalemate on the battlefield: start of the counter-offensive?",
         "related"),
        ("Ukrainian soldiers deploy an APC on the front line...", "related"),
        ("US sanctions against Russian agents linked to the Moldovan-Israeli oligarch", "related"),
        ("Ilan Shor at a press conference on February 25,...", "related"),
        ("Rescue work ended after rail disaster in India that claimed more than 300 lives",
         "related"),
        ("Workers at the scene of a deadly train derailment...", "related"),
        ("Latest stories", "related"),
        ("Please enter your comment!", "comment-form"),
        ("Please enter your name here", "comment-form"),
    ],
    "003": [
        ("Vladimir+Putin+and+Xi+Jinping+during+their+3%2F20%2F23-3%2F21%2F23+summit+%28Courtesy"
         "+of+AP+News%29", "caption-encoded"),
    ],
    "004": [],
}
SEED_TITLES = {
    "000": None,
    "001": "Chinese President Xi Jinping Arrives in Moscow to Meet with President Vladimir Putin",
    "002": "Xi Jinping meets Vladimir Putin in Moscow",
    "003": "“Good old friend” – Xi Jinping and Vladimir Putin attend summit in Moscow",
    "004": "What Was Accomplished During China’s Most Recent Visit to Russia?",
}


@pytest.mark.parametrize("prefix", sorted(SEED_REMOVE))
def test_seed_boilerplate_is_removed_with_its_reason(seed_corpus: Brief, prefix: str) -> None:
    article = seed_article(seed_corpus, prefix)
    removed = {normalise_text(r.text): r.reason for r in article.removed}
    for line, reason in SEED_REMOVE[prefix]:
        assert removed.get(normalise_text(line)) == REASONS[reason], line
        paragraphs = [article.text[p.start:p.end] for p in article.paragraphs]
        assert normalise_text(line) not in paragraphs


@pytest.mark.parametrize("prefix", sorted(SEED_REMOVE))
def test_seed_every_body_line_is_kept(seed_corpus: Brief, prefix: str) -> None:
    """The other direction: every line of the file that is not boilerplate is in the text."""
    article = seed_article(seed_corpus, prefix)
    assert article.title == SEED_TITLES[prefix]
    boilerplate = {normalise_text(line) for line, _ in SEED_REMOVE[prefix]}
    paragraphs = {article.text[p.start:p.end] for p in article.paragraphs}
    raw = (SEED / Path(article.input).name).read_text(encoding="utf-8")
    checked = 0
    for line in normalise_text(raw).split("\n"):
        if not line or line in boilerplate or line == article.title:
            continue
        assert line in paragraphs, f"body line lost: {line[:80]!r}"
        checked += 1
    assert checked >= 4
    # Nothing was removed that the lists above do not name, but the title.
    unexpected = [r.text for r in article.removed
                  if normalise_text(r.text) not in boilerplate and r.text != article.title]
    assert unexpected == []


def test_seed_decoded_caption_stays(seed_corpus: Brief) -> None:
    article = seed_article(seed_corpus, "003")
    assert ("Vladimir Putin and Xi Jinping during their 3/20/23-3/21/23 summit "
            "(Courtesy of AP News)") in article.text


def test_seed_removed_positions_point_into_the_clean_text(seed_corpus: Brief) -> None:
    for article in seed_corpus.articles:
        for removal in article.removed:
            assert 0 <= removal.at <= len(article.text)


# News lines that open with a verb of a call to action, as a noun or a name (clean and summary
# tests).
NEWS_OPENING_WITH_A_CALL_VERB = [
    "Download speeds in rural areas fell by half last year.",
    "Download.com was hacked on Monday.",
    "Subscribe rates to the paid tier fell 10 percent in March.",
    "Subscribe Now, a Dutch startup, raised $4 million.",
    "Tap to pay was rolled out at all 40 stations.",
    "Read more than 300 pages of findings in the appendix before the hearing.",
    "Sign up for the draft begins in January.",
]


def _clean(text: str, **meta: str) -> Article:
    return clean_article(Article(id="x", source="test", text=text, input="test.txt", **meta))


def test_unicode_and_whitespace_are_normalised_quotes_kept() -> None:
    article = _clean("A\u00a0headline here\r\n\r\n“Quoted”\u200b words\t and   spaces.\r\n")
    assert article.text == "“Quoted” words and spaces."
    assert article.title == "A headline here"


def test_runs_of_marks_are_cut() -> None:
    # spaCy's tokenizer takes time quadratic in a run of marks: 8,000 "=" took 30 s, a
    # 200,000-character line of brackets never finished (benchmarks/fuzz.py).
    text = normalise_text("Results" + "=" * 100_000 + "below. " + "😀" * 70 + " [" * 3)
    assert text == "Results" + "=" * 64 + "below. " + "😀" * 64 + " [" * 3
    assert normalise_text("a ----- b !!! c") == "a ----- b !!! c"


def test_a_long_word_after_a_plus_sign_is_no_encoded_caption_and_quick() -> None:
    # The caption pattern split a run of letters every possible way before giving up on the
    # space after it: time exponential in the word's length (benchmarks/fuzz.py).
    import time

    started = time.perf_counter()
    line = "Co-operation+partnership-agreement-of-the-nineteen-nations was signed on Monday."
    article = clean_article(Article(id="x", source="s", text=line, input="x.txt"))
    assert time.perf_counter() - started < 2
    assert article.text == line and not article.removed


def test_typewriter_quotes_of_wire_copy_become_curly() -> None:
    article = _clean("The EU expressed its ``deep concern'' over the reports, officials said.")
    assert article.text == "The EU expressed its “deep concern” over the reports, officials said."
    # a quotation inside one opens with a single ` (it stayed a grave accent)
    article = _clean("``If you ask me, `Any solution?' the answer is no,'' Marker said.")
    assert article.text == "“If you ask me, ‘Any solution?' the answer is no,” Marker said."
    # Without the opening convention, '' is an inch mark or a ditto and stays.
    assert _clean("The wall is 5'11'' tall, the builder said.").text == \
        "The wall is 5'11'' tall, the builder said."


def test_share_cookie_advert_and_footer_lines() -> None:
    text = "\n".join([
        "We use cookies to improve your experience. By continuing you accept our policy.",
        "Share this article", "Advertisement",
        "The minister resigned on Friday after a week of pressure from her own party.",
        "Subscribe to our newsletter", "Follow us on Twitter",
        "She will stay on as a member of parliament.",
        "© 2024 Example Media. All rights reserved.",
    ])
    article = _clean(text, title="Minister resigns")
    assert article.text.split("\n\n") == [
        "The minister resigned on Friday after a week of pressure from her own party.",
        "She will stay on as a member of parliament.",
    ]
    reasons = [r.reason for r in article.removed]
    assert reasons == [REASONS[r] for r in ("cookie", "share", "advert", "share", "share",
                                            "footer")]


def test_byline_and_dateline_move_to_metadata() -> None:
    article = _clean("Storm closes port\nBy Ana Petrova\nPublished: 12 March 2024\n"
                     "The port closed at noon on Monday as winds reached 120 km/h.")
    assert article.author == "Ana Petrova"
    assert article.published == "2024-03-12"
    assert article.title == "Storm closes port"
    assert article.text == "The port closed at noon on Monday as winds reached 120 km/h."


def test_subheadings_and_short_body_lines_are_kept() -> None:
    text = ("Long first paragraph of the story, which reports what happened and when.\n"
            "Western criticism\n"
            "Critics said the plan lacked detail.")
    article = _clean(text, title="Plan unveiled")
    assert "Western criticism" in article.text


def test_a_paragraph_ending_inside_quotation_marks_is_no_headline() -> None:
    for text in ("“I take full responsibility for the accounts,” the mayor said. “It was "
                 "wrong.”", 'The mayor said the audit was "right."'):
        article = _clean(text)
        assert article.text == text
        assert article.title is None
    article = _clean("Xi calls trip a ‘journey of friendship’\nXi arrived in Moscow on Monday.")
    assert article.title == "Xi calls trip a ‘journey of friendship’"


def test_duplicated_paragraph_is_removed_once() -> None:
    line = "The bridge reopened to traffic on Sunday morning after repairs."
    article = _clean(f"{line}\n{line}\nAnother sentence follows here.", title="Bridge")
    assert article.text.count(line) == 1
    assert [r.reason for r in article.removed] == [REASONS["duplicate"]]


def test_encoded_caption_without_twin_is_decoded_in_place() -> None:
    article = _clean("Body sentence one is here.\nFirefighters+at+the+scene+%28Photo%3A+AP%29\n"
                     "Body sentence two is here.", title="Fire")
    assert "Firefighters at the scene (Photo: AP)" in article.text
    assert article.removed[0].reason == REASONS["caption-encoded"]


def test_breadcrumbs() -> None:
    for crumb in ("News / Ostria /", "Home › World › Europe", "Russia /"):
        article = _clean(f"{crumb}\nThe summit opened on Monday with a joint statement.",
                         title="Summit")
        assert article.removed[0].reason == REASONS["breadcrumb"], crumb


def test_title_with_site_name_matches_headline_line() -> None:
    article = _clean("Council votes to freeze fares\nThe vote was 9 to 4.",
                     title="Council votes to freeze fares | The Eastbay Ledger")
    assert article.text == "The vote was 9 to 4."


def test_all_boilerplate_raises() -> None:
    with pytest.raises(NoTextError):
        _clean("Share this article\nAdvertisement\nPlease enter your comment!")


def test_fold_is_a_matching_key() -> None:
    assert fold("“Journey of Friendship”") == fold('"journey of friendship"')


# Caption and credit lines in the forms of scraped local news pages (issue 13), made up here:
# each is a caption, which stays in the text (the summary leaves it out).
CAPTIONS = [
    "Officers gather outside the store on Main Street. (Photo: Jane Roe, The Daily Ledger)",
    "Buy Photo Mourners light candles on Friday. (Photo: John Doe / The Ledger)Buy Photo",
    "A vigil was held on Sunday night. (AP Photo/Jane Roe)",
    "Crime scene tape blocks the road. (Photo Source: WXYZ News 4)",
    "The suspect was arrested on Tuesday. (Source: WXYZ News 4)",  # a station's call sign
    "Jordan Smith, 19, was one of the victims. (Source: Facebook)",
    "Jordan Smith, 19, was charged. (Courtesy of the family)",
    "The victim, in an undated picture. (photo courtesy:WXYZ)",
    "Crime tape lies on a police cruiser. (File/KXYZ)",
    "Photo credit: Riverton Police Department",
    "Image 3 of 12 Investigators work the scene on Monday. Photo: Jane Roe, Riverton Herald",
    "Photo: Jane Roe, Riverton Herald Image 1 of / 12 Caption Close",
    "The man was taken to a hospital, police said. View Full Caption Riverton Police",
    "200 Oak Street in Riverton Photo by Jane Roe /Riverton Herald. enlarge photo",
    "Herald staff photos can be ordered by visiting our photo site.",
    "RIVERTON, IL - MAY 2: Police walk the block on May 2, 2015 in Riverton, Illinois. "
    "(Photo by Jane Roe/Getty Images)",
    "News 4's Jane Roe reports from the scene. (Published Friday, June 12, 2015)",
    "Jane Roe/for The Riverton Herald Police walk the block on Monday.",
    "Officers search the yard. (Jane Roe/Getty Images)",
    "THE HERALD/JANE ROE Enlarge | Buy This Photo Police on the scene at Oak Street.",
    # A bracketed credit opening the line, or standing after a sentence's end.
    "(AP Photo/Jane Roe). Investigators comb the woods on Sunday, March 22, 2015.",
    "Police gather at the scene on Wednesday. (Photo: Jane Roe, The Ledger) Story Highlights "
    "Shots rang out around 6 p.m.",
    "**Officers search the yard. (Photo: Jane Roe)**",
    "_Photo: Jane Roe, The Ledger_",  # markdown emphasis around the credit
    # A bare credit closing the line after its sentence: a station, a photographer and outlet.
    "A total of five people were shot near the corner of Oak and Elm streets on May 2, 2015. "
    "(CBS)",
    "The home where four people were found killed. (WXYZ-TV)",
    "Six teenagers were shot and wounded in the playground. (Jane Roe/Riverton Daily News)",
]


@pytest.mark.parametrize("caption", CAPTIONS)
def test_caption_and_credit_lines_are_captions_kept_in_the_text(caption: str) -> None:
    assert is_caption(caption)
    article = _clean(f"{caption}\nTwo men were shot on Oak Street.", title="Two shot")
    assert article.text.startswith(caption)


@pytest.mark.parametrize("line", [
    "Police released a photo of the suspect and asked for help finding him.",
    "The image was shared thousands of times, the family said.",
    "Officers found him after a tip (see photo of the car below).",
    "The department posted the video on Facebook (file number 2015-114).",
    "He took a photo by the river an hour before the shooting.",
    # A wire's credit closing its story, a station named inside a sentence, a source of data.
    "The ministry confirmed the deal on Monday. (Reuters)",
    "He was shot twice, a witness told WXYZ (Channel 4) on Monday.",
    "The rate fell to 4 percent. (Source: Bureau of Labor Statistics)",
    # A station's paragraph closed by its call sign, with a reporting verb or long; a byline
    # after a comma (only "Name/Outlet" credits a picture).
    "He was taken to Riverton Medical Center and is expected to survive, police said. (WKRN)",
    " ".join(["Officers searched the block and the yard behind the house for hours."] * 4)
    + " (WKRN)",
    "Two men were found dead in the apartment on Monday. (Jane Doe, Associated Press)",
    "Police respond at the scene of the shootings. (Jane Roe, Riverton Herald)",
])
def test_sentences_about_photos_are_no_captions(line: str) -> None:
    assert not is_caption(line)


def test_a_credit_inside_a_sentence_is_no_caption() -> None:
    assert not is_caption("Nine people died, police said. The bridge fell at noon (Photo: AP).")


def test_a_credit_inside_a_long_line_is_no_caption() -> None:
    # A page that glued a caption into its text: the credit neither opens nor closes the line.
    body = " ".join(f"Sentence {n} of the report says what happened on the night." for n in
                    range(4))
    assert not is_caption(f"{body} (Photos courtesy of Jane Roe) {body}")
    assert is_caption(f"{body} {body} (Photos courtesy of Jane Roe)")


@pytest.mark.parametrize("line", ["Just One More Thing...", "More Video...",
                                  "Read the complete story…", "Like this: Like Loading..."])
def test_a_widget_link_cut_off_with_an_ellipsis_is_a_link(line: str) -> None:
    article = _clean(f"{line}\nTwo men were shot on Oak Street.", title="Two shot")
    assert article.text == "Two men were shot on Oak Street."
    assert [r.reason for r in article.removed] == [REASONS["link"]]


def test_a_line_in_capitals_cut_off_with_an_ellipsis_stays() -> None:
    # A TV script, broken into short lines in capitals.
    article = _clean("TWO MEN WERE SHOT...\nON OAK STREET ON SUNDAY.", title="Two shot")
    assert article.text.startswith("TWO MEN WERE SHOT...")


def test_a_newsletter_sign_up_of_the_site_is_a_share_line() -> None:
    article = _clean("Sign up for one of our email newsletters.\nTwo men were shot.", title="Shot")
    assert [r.reason for r in article.removed] == [REASONS["share"]]


def test_a_sentence_retelling_the_title_is_the_lead_not_the_title() -> None:
    lead = "Riverton police are investigating a fatal shooting."
    article = _clean(f"{lead}\nA man died at the scene.",
                     title="Riverton police investigating fatal shooting")
    assert article.text.startswith(lead)
    # The headline itself, without a full stop, is still the title line.
    article = _clean("Riverton police investigating a fatal shooting\nA man died at the scene.",
                     title="Riverton police investigating fatal shooting")
    assert article.text == "A man died at the scene."


def test_a_copyright_notice_is_a_footer() -> None:
    notice = ("Copyright 2015 The Riverton Press. All rights reserved. This material may not be "
              "published, broadcast, rewritten or redistributed.")
    article = _clean(f"Two men were shot on Oak Street.\n{notice}", title="Two shot")
    assert article.text == "Two men were shot on Oak Street."
    assert [r.reason for r in article.removed] == [REASONS["footer"]]


@pytest.mark.parametrize("line", [
    "We have sent you a verification email.",
    "Click on the button below to set up your account or log in if you already have one.",
    "Whenever Jane Roe posts new content, you'll get an email delivered to your inbox.",
    "If you do not receive the verification message within a few minutes of signing up, please "
    "check your Spam or Junk folder.",
    "Sign in using your wsbtv profile",
    "You've now read the maximum number of stories available without a subscription.",
    "Get breaking news sent to your inbox — click here to sign up.",
    "Be the first to know about new stories from PowerPost. Sign up to follow, and we’ll e-mail "
    "you free updates as they’re published.",
    "Sign up for one of our email newsletters.",
])
def test_a_notice_of_the_reader_account_is_a_share_line(line: str) -> None:
    article = _clean(f"Two men were shot on Oak Street.\n{line}", title="Two shot")
    assert [r.reason for r in article.removed] == [REASONS["share"]]


def test_a_line_telling_readers_how_to_give_stays() -> None:
    # The reader and an account word ("sign up"), but not the site speaking: a news line.
    line = ("You can sign up to give at the Riverton credit union under the account name "
            "Jordan Smith.")
    article = _clean(f"Two men were shot on Oak Street.\n{line}", title="Two shot")
    assert line in article.text


# Review of issue 13's rules: each line below is text (a quotation, a news line, data), which
# no clutter rule may remove, and no caption rule may take for a caption.
NEWS_LINES = [
    '"If you get an email asking for your password, hang up and call us," police said.',
    '"You have to sign up in person at the county office," Smith said.',
    '"Your Social Security number is not your password," said FTC spokesperson Jane Doe.',
    "You can sign up for the vaccine lottery until Friday, the governor said.",
    "Hackers stole the profile data of 50 million users; if you use Facebook, change your "
    "password.",
    '"You\'re in my inbox every day," the victim told the stalker, according to court records.',
    "Residents can sign up for alerts at the county website if you live in the evacuation zone.",
    "Police say you should check your inbox for a message from the IRS.",
    "Sign up for the state newsletter was slow, officials said, with only 200 residents "
    "registered.",
    "Suspect still at large...",
    "Gunman remains at large...",
    "So, I dunno…",
    "Also ...",
    "Excluding the...",
    "Copyright lawyer Jane Roe said the band had all rights reserved under the 1998 contract.",
    # The second review: single quotation marks, a speaker's "Name:", a Q and A, a public
    # notice, reporting verbs past the first list, and "copyright" as a word of the story.
    "‘We will never ask for your password,’ the bank added.",
    "Bank: ‘We will never ask for your password’",
    "In a statement, the bank wrote: We will never ask for your password by email.",
    "Q: Did you give them your password? A: We did, and they emptied the account.",
    "We all reuse passwords. If you do, change your password today.",
    "Please check your inbox for a message from the county about the boil-water notice.",
    "Get your flu shot and sign up for text alerts from the health department.",
    "Download the app to report potholes, the mayor's office announced Monday.",
    "Subscribe to the county's emergency text alerts by texting FLOOD to 888777, the city "
    "announced.",
    "Listen to this story and you will understand why the jury wept, the prosecutor argued.",
    "Copyright law has not kept pace with artificial intelligence.",
    "Copyright infringement suits rose 20 percent last year.",
    "Copyright Office weighs in on AI art",
    "Copyright Royalty Board sets new rates for streaming",
    "The estate, not the museum, holds all rights reserved.",
    "(c) Subsection (a) does not apply:",
    "(c) The company, which holds all rights reserved to the film, declined comment.",
]


@pytest.mark.parametrize("line", NEWS_LINES)
def test_news_lines_and_quotations_are_no_clutter(line: str) -> None:
    article = _clean(f"Two men were shot on Oak Street.\n{line}", title="Two shot")
    assert line in article.text


def test_a_copyright_notice_takes_no_text_after_it() -> None:
    for line in ["Copyright 2015 The Riverton Press. All rights reserved. This material may not be "
                 "published. Police said Tuesday that three people were killed in a shooting.",
                 "Copyright 2013 KXYZ Broadcasting. All rights reserved. The Riverton Press "
                 "contributed to this report."]:
        article = _clean(f"Two men were shot on Oak Street.\n{line}", title="Two shot")
        assert line in article.text
    notice = "© 2013 by KXYZ.com. All rights reserved."
    article = _clean(f"Two men were shot on Oak Street.\n{notice}", title="Two shot")
    assert [r.reason for r in article.removed] == [REASONS["footer"]]


@pytest.mark.parametrize("line", [
    "The suspect fled (video: surveillance footage released by police) before officers arrived.",
    "Lawmakers passed the bill 52-48 (courtesy of a last-minute deal with moderates) on Friday "
    "night.",
    "Unemployment fell to 4.1 percent in March, the lowest rate since 2000. (Source: Bureau of "
    "Labor Statistics)",
    "The records (file: 2015-114) show the officer was disciplined twice.",
    "Jones, who writes/for The Atlantic, was not hurt.",
    "Three people were killed and five wounded when a gunman opened fire at a Denver mall on "
    "Tuesday, police said. " * 8 + "(AP Photo/Jane Roe)",
])
def test_news_lines_holding_a_credit_word_are_no_captions(line: str) -> None:
    assert not is_caption(line)


def test_is_caption_takes_linear_time() -> None:
    # 4,000 credits in a 44,000-character line: measuring each against the line's edges took
    # 2.3 s (quadratic); the first and the last are enough.
    line = "w " * 20 + "(Photo: a) " * 4000 + "w " * 20
    started = time.perf_counter()
    is_caption(line)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("line", [
    "Copyright (C) 2016 WFAA. All rights reserved.",
    "Copyright © The Outlet 2016",
    "© 2016 Orange County Register. All rights reserved.",
    "© 2016 Writers' Syndicate",
])
def test_copyright_footers_in_their_other_forms(line: str) -> None:
    assert _standalone_reason(line) == "footer"


def test_the_clutter_rules_take_linear_time() -> None:
    # A long line of capitals without a colon once made the speaker-opening guard ("Bank: …")
    # try every way of splitting it into words.
    for line in ["Q" * 30_000, "AB" * 15_000 + " x", "Ab " * 10_000, "©" + " a" * 15_000]:
        started = time.perf_counter()
        _standalone_reason(line)
        assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("line", [
    "Click here to watch the full interview with the coach.",
    "CLICK HERE for the latest on the Elm Street fire",
    "(Click here to see more pictures from the parade.)",
    "Tap to get our free Riverton News app!",
    ">> Download the Channel 9 News app for iPhone and Android",
    "Download the Riverton Herald app:",
    "Sign up for school closing text alerts and daily weather updates.",
    "Subscribe now for unlimited access to local news.",
    "Follow @RivertonHerald",
    "Close Get email notifications on Jane Roe daily!",
    "Get free real-time news alerts from the Riverton Gazette. Subscribe",
    "Read more articles by Jane Roe",
    "Already a subscriber?",
    "Want to become a premium subscriber?",
    "Already have an account?",
    "Not registered?",
    "Have an online subscription?",
    "Subscribe or Log In",
    "Download for iPhone Download for Android",
    "Sign up here to receive a daily email alert of obituaries",
    "Read more about the victims below.",
    ">> Read more",
    # a call as a label: its colon after the verb, the site's thing after it
    "DOWNLOAD: Riverton News app for Apple or Android",
    "SUBSCRIBE: rivertonnews.com email alerts",
    "Sign up: our morning newsletter",
    # the heading of a row of network buttons
    "Follow Riverton 9 News:",
    "Follow KRVT on Twitter: @KRVT",
    "Follow us and our reporters on Twitter | Like us on Facebook",
])
def test_a_call_to_action_on_its_own_line_is_removed(line: str) -> None:
    article = _clean(f"Two men were shot on Oak Street.\n{line}", title="Two shot")
    assert article.text == "Two men were shot on Oak Street."
    assert [r.reason for r in article.removed] == [REASONS["call"]]


@pytest.mark.parametrize("line", [
    # A news sentence closing with a link: the line opens with the news.
    "A fund has been set up for the family. Click here to give.",
    # A reporting word or a quotation: the story's own line.
    "Click here to read the report, police said.",
    "“Download the form and send it back by Friday,” the clerk said.",
    # A caption of a picture one may enlarge stays a caption.
    "Click to enlarge Jane Roe/Riverton Herald",
    # Not a call at all.
    "Downloads of the video passed a million on Monday.",
    "Subscribers to the water district will pay more from May.",
    "Did the gunman have a licence?",
    # The verbs of a call opening a news line as nouns or names.
    *NEWS_OPENING_WITH_A_CALL_VERB,
    # A short question with an account word, not about the reader's subscription: a security
    # story's subheads.
    "Is your password safe?",
    "Who has access to your profile?",
    "Can hackers read your email notifications?",
    # an account or a registration that is not the page's (review R3)
    "Are you registered to vote?",
    "Not registered to vote?",
    "Is your bank account safe?",
    "Need a bank account?",
    "Who has access to your account?",
    # the verb of a call with none of the site's things (an app, a newsletter, a page, a
    # channel, a network …): prose
    "Follow us on this journey.",
    "Subscribe to the idea?",
    "Subscribe to the theory that the gunman acted alone, and the timeline falls apart.",
    "Follow us into the courtroom as the trial opens.",
    # a subhead with a colon, and labels followed by no site's thing or by a reported line
    "Follow the money:",
    "Follow Up:",
    "Follow The Money:",
    "FOLLOW UP:",
    "Sign up: Volunteers for the free cleanup clinic can register at City Hall until Friday.",
    "Download: the full coroner's findings",
    "SIGN UP: “It's been the longest week,” the mayor said of the lines.",
])
def test_news_lines_that_look_like_calls_stay(line: str) -> None:
    article = _clean(f"Two men were shot on Oak Street.\n{line}", title="Two shot")
    assert line in article.text.split("\n\n")


def test_a_read_or_share_line_with_its_link_is_removed() -> None:
    article = _clean("Two men were shot on Oak Street.\n"
                     "Read or Share this story: http://riv.news/1aBcD2e", title="Two shot")
    assert article.text == "Two men were shot on Oak Street."
    assert [r.reason for r in article.removed] == [REASONS["share"]]


def test_the_rest_of_a_sign_up_widget_goes_with_it() -> None:
    widget = ["Close Get email notifications on Jane Roe daily!",
              "Your notification has been saved.",
              "Something went wrong with your notification.",
              "Whenever Jane Roe posts new content, you'll get an email delivered to your inbox.",
              "Email notifications go out each morning with the day's new items."]
    article = _clean("\n".join(["Two men were shot on Oak Street.", *widget]), title="Two shot")
    # The last line tells of the service, not to the reader, as a sentence: beside news, it
    # stays.
    assert article.text.split("\n\n") == ["Two men were shot on Oak Street.", widget[-1]]
    assert [r.reason for r in article.removed] == [REASONS[r]
                                                  for r in ("call", "share", "share", "share")]
    # A page of nothing but the widget has no text.
    with pytest.raises(NoTextError):
        _clean("\n".join(widget), title="Two shot")


def test_a_widget_reaches_two_lines_from_its_share_line() -> None:
    lines = ["Two men were shot on Oak Street.", "Your notification has been saved.",
             "There was a problem saving your notification.", "Your notifications are on.",
             "Close Get email notifications on Jane Roe daily!"]
    article = _clean("\n".join(lines), title="Two shot")
    assert article.text.split("\n\n") == lines[:2]


def test_a_news_story_about_accounts_beside_a_share_line_stays() -> None:
    news = ["The retailer said on Friday that hackers had stolen customer records.",
            "Customers must reset their password before logging in again.",
            "Login pages were offline for six hours on Saturday.",
            "Subscriber numbers and email addresses were exposed.",
            "Subscribe rates to the paid tier fell 10 percent in March."]
    for widget in ("Follow us on Twitter", "Share this article"):
        article = _clean("\n".join([*news, widget,
                                    "Residents can sign up for email alerts about outages."]),
                         title="Hackers steal data")
        assert article.text.split("\n\n") == [
            *news, "Residents can sign up for email alerts about outages."]
    # Without a line that speaks to the reader, a page of account lines is no widget.
    article = _clean("Share this article\nCustomers must reset their password before logging in "
                     "again.", title="Hackers steal data")
    assert article.text == "Customers must reset their password before logging in again."


def test_a_headline_beside_a_share_line_is_the_title() -> None:
    text = ("Retailer Resets Every Password After Breach\nShare this article\n"
            "The retailer said on Friday that hackers had stolen customer records.")
    article = _clean(text)
    assert article.title == "Retailer Resets Every Password After Breach"
    assert article.text == "The retailer said on Friday that hackers had stolen customer records."


def test_a_news_line_beside_a_widget_stays() -> None:
    # A notification of relatives is no account word; an account word with a reporting word
    # is the story's line.
    for line in ("The names were withheld pending notification of relatives.",
                 "Email notifications of the hearing went to the families, the court said."):
        article = _clean(f"Two men were shot on Oak Street.\nFollow @RivertonHerald\n{line}",
                         title="Two shot")
        assert article.text.split("\n\n") == ["Two men were shot on Oak Street.", line]
