"""The timeline: one event per dated sentence, the same sentence in several articles once."""

from __future__ import annotations

import itertools

import pytest

from crossbrief.model import Span, TimelineEntry
from crossbrief.timeline import build_timeline, merge_copies

from .conftest import story_of

SHARED = "Divers resumed the search at first light on Thursday, working from pontoons."


def entry(date: str, text: str, article: str, conflict: str | None = None) -> TimelineEntry:
    return TimelineEntry(date, text, [Span(article, 0, len(text))], conflict)


def test_the_same_sentence_in_two_articles_is_one_event_citing_both() -> None:
    corpus = story_of(
        f"The bridge fell on Tuesday, 14 October 2025. {SHARED}",
        f"{SHARED.replace('Divers', 'Police divers')} The inquiry opens on Friday.",
        f"The minister spoke on Wednesday. {SHARED}",
        stages=("clean", "segment", "entities", "dates"),
        published=("2025-10-15", "2025-10-15", "2025-10-15"))
    timeline = build_timeline(corpus)
    search = [e for e in timeline if "resumed the search" in e.text]
    assert len(search) == 1, [(e.date, e.text) for e in search]
    assert search[0].articles == ["a1", "a0", "a2"]  # the longest wording stands for it
    assert search[0].text.startswith("Police divers")
    for span in search[0].support:
        text = corpus.article(span.article).text[span.start:span.end]
        assert "resumed the search at first light" in text
    # Different sentences of one date stay apart: each dated sentence is there once.
    assert sorted(e.text.split()[1] for e in timeline) == ["bridge", "divers", "inquiry",
                                                           "minister"]


def test_near_copies_merge_different_sentences_do_not() -> None:
    text = "Police said the gunman fired at least 12 shots at the crowd on Tuesday night."
    entries = [
        entry("2025-10-14", text, "a"),
        entry("2025-10-14", text.replace("Police said", "Police said that"), "b"),
        entry("2025-10-14", "The gunman fired at least 12 shots at the crowd", "c", "x-date"),
        entry("2025-10-14", "Police said the gunman fired at least 15 shots at a bus.", "d"),
        # 97 % alike, but other numbers: another event.
        entry("2025-10-14", text.replace("12", "13"), "h"),
        entry("2025-10-15", text, "e"),  # another date: another event
        entry("2025-10-14", "Mayor Berg spoke.", "f"),
        entry("2025-10-14", "Mayor Lund spoke.", "g"),  # short and different: not merged
    ]
    merged = merge_copies(entries)
    texts = sorted((e.date, tuple(e.articles), e.conflict) for e in merged)
    assert texts == [("2025-10-14", ("b", "a", "c"), "x-date"),
                     ("2025-10-14", ("d",), None), ("2025-10-14", ("f",), None),
                     ("2025-10-14", ("g",), None), ("2025-10-14", ("h",), None),
                     ("2025-10-15", ("e",), None)]
    # The same events whatever order the entries come in.
    for order in itertools.islice(itertools.permutations(entries), 0, 200, 7):
        again = merge_copies(list(order))
        assert sorted((e.date, e.text, tuple(e.articles)) for e in again) == \
            sorted((e.date, e.text, tuple(e.articles)) for e in merged)


TIMELINE_STAGES = ("clean", "apart", "segment", "entities", "sources", "quotes", "dates",
                   "opinion", "align", "claims", "conflicts", "timeline")


def dated(corpus: object) -> list[tuple[str, str]]:
    return sorted((e.date, e.text) for e in corpus.timeline)  # type: ignore[attr-defined]


@pytest.mark.parametrize("sentence", [
    "Critics of the 2019 law gathered outside the court house on the hill.",
    "Farmers blamed a 1990s policy for the long drought in the Orrin valley.",
    "Critics of the March budget said the permit for the square was denied.",
    "Atherton is a Stoneham native and a 2011 graduate of Stoneham High School.",
])
def test_a_year_decade_or_month_naming_a_thing_dates_no_event(sentence: str) -> None:
    corpus = story_of(sentence + " The vote was held on Tuesday, 14 October 2025.",
                      stages=TIMELINE_STAGES, published=("2025-10-15",))
    assert dated(corpus) == [("2025-10-14", "The vote was held on Tuesday, 14 October 2025.")]


@pytest.mark.parametrize("sentence,date", [
    ("The council passed the law in 2019 after a long and bitter debate.", "2019"),
    ("In 2019 law enforcement officers arrested four men near the harbour.", "2019"),
    ("The Oct. 3 shooting left two people dead near the Orrin quay.", "2025-10-03"),
    # a noun of an event: the date is the event's (review R2)
    ("The 2019 attack killed five people near the Orrin quay.", "2019"),
    ("Veterans of the 1982 war gathered at the memorial in Orrin.", "1982"),
    # a year the tagger takes for a count (CARDINAL): the dates stage reads it all the same,
    # and the rule above decides
    ("The 2024 protests drew crowds of thousands to the Orrin quay.", "2024"),
])
def test_a_date_of_an_event_stays_on_the_timeline(sentence: str, date: str) -> None:
    corpus = story_of(sentence, stages=TIMELINE_STAGES, published=("2025-10-15",))
    assert dated(corpus) == [(date, sentence)]


@pytest.mark.parametrize("line", ["Updated: March 3, 2025", "By Ines Dubrow, March 3, 2025",
                                  "Ferry passengers on the Orrin quay, March 3, 2025."])
def test_a_sentence_without_a_verb_dates_no_event(line: str) -> None:
    # (last in the article: the clean stage moves a dateline or byline at the top to the
    # metadata)
    corpus = story_of(f"The ferry sank on Tuesday, 14 October 2025, off the cape.\n\n{line}",
                      stages=TIMELINE_STAGES, published=("2025-10-15",))
    assert dated(corpus) == [("2025-10-14",
                              "The ferry sank on Tuesday, 14 October 2025, off the cape.")]


def test_a_caption_that_is_one_side_of_a_date_conflict_stays() -> None:
    # The conflicts stage reads every sentence: a caption's date may contradict another
    # article's, and the timeline shows both sides of the conflict.
    caption = "Ministers Halvorsen and Okafor during their 3/20/25-3/21/25 summit (Photo: CPA)"
    corpus = story_of(
        "Harbour ministers Halvorsen and Okafor met in Orrin to sign a fisheries pact.\n\n"
        f"{caption}\n\nThe two ministers signed the pact after long talks.",
        "The fisheries summit of ministers Halvorsen and Okafor started on March 20 and ended "
        "on March 22, officials in Orrin said.\n\nThe pact covers cod and herring quotas.",
        stages=TIMELINE_STAGES, published=("2025-03-22", "2025-03-23"))
    [conflict] = [c.id for c in corpus.conflicts if c.kind == "date"]
    assert [(e.date, e.conflict) for e in corpus.timeline if e.text == caption] == \
        [("2025-03-20/2025-03-21", conflict)]
