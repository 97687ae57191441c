"""The timeline: one event per dated sentence, the same sentence in several articles once."""

from __future__ import annotations

import itertools

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
