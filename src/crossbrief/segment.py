"""Segmentation: paragraphs and sentences as exact character offsets into the clean text.

Paragraphs are the blank-line-separated blocks of the clean text. Sentences come from the
spaCy pipeline's parser (setting ``spacy_model``), with paragraph starts forced as sentence
starts, then repaired where news text trips it up:

- a piece that is only punctuation or a closing quote mark joins the sentence before it;
- a piece that starts in lower case ("…,” said Putin.") continues the sentence before it;
- an abbreviated title (``TITLE_ABBREVIATIONS``: "Sgt.", "Det. Insp.", "St.") ends no sentence
  when a name follows it: the name continues the sentence ("… said Sgt. Alvar Brenning");
  one that a capitalised function word follows does end one, even where the parser kept
  the two together ("… backed by Mark Sen. Then it rained.": a surname, no title), except
  where the title opens its sentence or a capitalised name word follows the function word:
  then it opens a name ("Dr. Who said", "Sen. Then Thanh Binh said");
- every sentence is trimmed of surrounding whitespace and never crosses a paragraph;
- a list item's marker ("- ", "* ", "+ ", "• ", "1. ", "2) ") opening a paragraph is in no
  sentence: the item's first sentence starts after it (else "- “Yes.”" read as a quote inside
  a sentence, a fragment, and "-" or "1." stood as sentences of their own).

Unbalanced quotation marks are never paired here, so a missing mark cannot swallow text.
The parsed Doc stays on the article for the extraction stages, so the text is parsed once.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from typing import Any

from .model import Article, Paragraph, Sentence

# Texts are parsed in pieces of at most this many characters, cut at paragraph breaks where
# there are any, and joined back into one Doc: spaCy refuses a text over ``nlp.max_length``
# (a million characters, under the 5 MB an article may have), and its pipeline slows down
# more than linearly on one very long text (80,000 tokens take six times what 20,000 do).
PARSE_CHUNK_CHARS = 50_000
_CUTS = ("\n\n", "\n", ". ", " ")

_ONLY_PUNCT = re.compile(r"""^[\s"'“”‘’«»„‚()\[\].,;:!?…–—-]*$""")
_CONTINUATION = re.compile(r"""^[\s"'”’)\]]*[a-z]""")
# A list item's marker: a bullet or a number of one to three digits with "." or ")". A line
# opening with one and a space is kept on its own line by ``ingest.unwrap_lines`` (a number
# only after a sentence's end, a colon or another item: else it is a wrapped "… at about\n10.").
LIST_MARK = r"(?:[-*+•]|\d{1,3}[.)])"
# A list item's marker at a paragraph's start, with the item's words after it on its line.
LIST_MARKER = re.compile(LIST_MARK + r"[^\S\n]+(?=[^\s*+•–—-])")
# Markers taken off one list item at most ("1. 1. 1. …" is text after these: bounded time).
MAX_LIST_MARKERS = 3
# Titles abbreviated with a full stop before a name. The parser ends a sentence after those its
# tokenizer does not know ("Sgt", "Cpl", "Det", "Insp", "Supt", "Cmdr": a token and a full
# stop), and keeps one it knows ("Sen.") in its sentence whatever follows. "Jr." and "Sr." come
# after a name, so they may end a sentence and are not here.
TITLE_ABBREVIATIONS = frozenset({
    "Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "Rev", "Fr", "Hon", "St", "Sen", "Sens", "Rep", "Reps",
    "Gov", "Pres", "Atty", "Gen", "Col", "Lt", "Maj", "Capt", "Cmdr", "Adm", "Sgt", "Cpl", "Pvt",
    "Det", "Insp", "Supt",
})
# Part-of-speech tags of the words that are never a name: capitalised after a title, they start
# a new sentence ("… Mark Sen. Then it rained."). Any other capitalised word is read as a name,
# whatever its tag (the tagger calls a rare first name a verb: "Cmdr. Tove Aslund").
FUNCTION_TAGS = frozenset({"PRP", "PRP$", "DT", "PDT", "IN", "CC", "RB", "WDT", "WP", "WP$",
                           "WRB", "EX", "MD", "TO"})


def parse_texts(nlp: Any, texts: Sequence[str], batch_size: int = 32) -> Iterator[Any]:
    """One spaCy Doc per text, as ``nlp.pipe`` gives, with long texts parsed in pieces of at
    most ``PARSE_CHUNK_CHARS`` (each Doc's text is still exactly its text)."""
    pieces: list[str] = []
    owners: list[int] = []
    for number, text in enumerate(texts):
        for piece in _chunks(text, PARSE_CHUNK_CHARS):
            pieces.append(piece)
            owners.append(number)
    parts: list[Any] = []
    for n, doc in enumerate(nlp.pipe(pieces, batch_size=batch_size)):
        parts.append(doc)
        if n + 1 == len(owners) or owners[n + 1] != owners[n]:
            yield parts[0] if len(parts) == 1 else _joined(parts)
            parts = []


def _chunks(text: str, size: int) -> list[str]:
    """``text`` in consecutive pieces of at most ``size`` characters, each cut after a
    paragraph break, else a line break, a sentence end or a space, where one is near."""
    pieces = []
    start = 0
    while len(text) - start > size:
        end = start + size
        for mark in _CUTS:
            cut = text.rfind(mark, start + size // 2, end)
            if cut >= 0:
                end = cut + len(mark)
                break
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces


def _joined(docs: list[Any]) -> Any:
    from spacy.tokens import Doc

    return Doc.from_docs(docs, ensure_whitespace=False)


# A paragraph: a block of lines up to a blank line (``find_paragraphs`` trims it).
PARAGRAPH = re.compile(r"[^\n](?:.|\n(?!\s*\n))*")
# A dateline opens one of the article's first DATELINE_PARAGRAPHS paragraphs (a caption or a
# credit line may come first): synthesize's city datelines, the dates stage's dated ones.
DATELINE_PARAGRAPHS = 2


def find_paragraphs(text: str) -> list[Paragraph]:
    """Blank-line-separated blocks, trimmed."""
    paragraphs = []
    for match in PARAGRAPH.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        if end > start:
            paragraphs.append(Paragraph(start, end))
    return paragraphs


def paragraph_starts(text: str, limit: int = DATELINE_PARAGRAPHS) -> list[int]:
    """Where the first ``limit`` paragraphs of ``text`` (as ``find_paragraphs`` finds them)
    begin, before their trim: what :func:`opening_paragraph` compares a start with. Reads
    only those paragraphs."""
    starts: list[int] = []
    for match in PARAGRAPH.finditer(text):
        if len(starts) >= limit:
            break
        if match.group().strip():  # as find_paragraphs, a block of spaces is none
            starts.append(match.start())
    return starts


def opening_paragraph(text: str, start: int, limit: int = DATELINE_PARAGRAPHS,
                      starts: Sequence[int] | None = None) -> int | None:
    """The index of the paragraph of ``text`` (as ``find_paragraphs`` finds them) that the
    text at ``start`` opens, where it is one of the first ``limit``; None where ``start``
    opens no paragraph or a later one. ``starts``: ``paragraph_starts(text, n)`` for an
    ``n`` of ``limit`` or more, computed once for many starts (each call would otherwise
    read the first paragraphs again, however long they are)."""
    gap = start
    while gap > 0 and text[gap - 1].isspace():
        gap -= 1
    if gap > 0 and text.count("\n", gap, start) < 2:
        return None  # inside a paragraph, after a line break at most
    if starts is None:
        starts = paragraph_starts(text, limit)
    # The paragraphs before ``start`` are those that begin before its gap: a paragraph ends
    # at a blank line, and the gap holds one.
    count = bisect.bisect_left(starts, gap, 0, min(limit, len(starts)))
    return None if count >= limit else count


def sentence_spans(text: str, doc: Any, paragraphs: list[Paragraph]) -> list[Sentence]:
    """Sentences of a parsed ``doc`` of ``text``, repaired and placed in their paragraphs."""
    starts = [p.start for p in paragraphs]
    cuts, joins = _title_breaks(doc)
    breaks = sorted({*starts, *cuts})
    pieces: list[tuple[int, int]] = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        # Cut at paragraph breaks the parser may still have bridged, and before a capitalised
        # function word after a title (_title_breaks).
        for cut in _breaks_within(breaks, start, end):
            pieces.append((start, cut))
            start = cut
        pieces.append((start, end))
    sentences: list[Sentence] = []
    # (where each paragraph's text starts past its list markers: once a paragraph)
    item_starts = [list_item_start(text, p.start) for p in paragraphs]
    for start, end in pieces:
        start, end = _trim(text, start, end)
        if start >= end:
            continue
        paragraph = max(0, bisect.bisect_right(starts, start) - 1)
        if paragraphs and start < paragraphs[paragraph].end and item_starts[paragraph] > start:
            start, end = _trim(text, item_starts[paragraph], end)
            if start >= end:
                continue
        piece = text[start:end]
        if sentences and sentences[-1].paragraph == paragraph and (
            _ONLY_PUNCT.match(piece) or _CONTINUATION.match(piece) or start in joins
        ):
            previous = sentences.pop()
            sentences.append(Sentence(previous.start, end, paragraph))
            continue
        sentences.append(Sentence(start, end, paragraph))
    return sentences


def _title_breaks(doc: Any) -> tuple[list[int], set[int]]:
    """Where a word follows an abbreviated title and its full stop on its line: (sorted
    offsets of the capitalised function words there, which start a sentence; offsets of the
    capitalised other words, names, which continue the sentence before them)."""
    cuts: list[int] = []
    joins: set[int] = set()
    tokens = list(doc)
    for n, token in enumerate(tokens[:-1]):
        word = token.text
        if word.endswith(".") and word[:-1] in TITLE_ABBREVIATIONS:
            after = n + 1
        elif word in TITLE_ABBREVIATIONS and tokens[n + 1].text == "." \
                and not token.whitespace_:
            after = n + 2
        else:
            continue
        if after >= len(tokens):
            continue
        following = tokens[after]  # (a line break is a token of its own: never capitalised)
        if not following.text[:1].isupper():
            continue
        if following.tag_ in FUNCTION_TAGS and not _opens_a_name(tokens, n, after):
            cuts.append(following.idx)
        else:
            joins.add(following.idx)
    return cuts, joins


def _opens_a_name(tokens: Sequence[Any], n: int, after: int) -> bool:
    """Whether the capitalised function word at token ``after``, after the title at token
    ``n``, is a name's first word: the title opens its sentence (the text's or a line's
    first word, or after a sentence's closing mark, a quote mark or a dash: no surname
    ends a sentence there, "Dr. Who said …"), or a capitalised word that is no function
    word follows it on its line ("said Sen. Then Thanh Binh": a name goes on). Within a
    sentence no name opens when the title follows a capitalised word (it ends a street or a
    surname: "on Oak St. The White House said", "backed by Mark Sen. Then it rained"), when
    the function word is a determiner (no name's first word: "He thanked Supt. The hall
    emptied."), or after "St." (a saint's name never starts with a function word; "St." there
    ends a place: "the island of St. Then Mary moved")."""
    before = tokens[n - 1] if n > 0 else None
    if before is None or "\n" in before.text or before.text in (".", "!", "?") or \
            before.text in ("“", "”", '"', "‘", "«", "»", "(", "—", "–"):
        return True
    if before.text[:1].isupper() or tokens[after].tag_ in ("DT", "PDT") or \
            tokens[n].text.rstrip(".") == "St":
        return False
    if after + 1 >= len(tokens) or not tokens[after].whitespace_:
        return False
    following = tokens[after + 1]
    return following.text[:1].isupper() and following.tag_ not in FUNCTION_TAGS


def list_item_start(text: str, paragraph_start: int) -> int:
    """Where the words of a paragraph starting at ``paragraph_start`` begin: after its list
    marker (or markers, "- 1. Item"; at most ``MAX_LIST_MARKERS``) when it is a list item
    ("- “Yes.”", "2. Hale: “…”"), else at its start."""
    start = paragraph_start
    for _ in range(MAX_LIST_MARKERS):  # nested: "- 1. Item"
        marker = LIST_MARKER.match(text, start)
        if marker is None:
            break
        start = marker.end()
    return start


def _breaks_within(starts: list[int], start: int, end: int) -> list[int]:
    """The offsets of ``starts`` (sorted: paragraph starts, title cuts) strictly inside
    ``start``–``end``."""
    first = bisect.bisect_right(starts, start)
    return starts[first:bisect.bisect_left(starts, end, lo=first)]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def segment_article(article: Article, doc: Any) -> Article:
    """Set paragraphs, sentences and the parsed doc of one article from its parsed ``doc``."""
    article.paragraphs = find_paragraphs(article.text)
    article.sentences = sentence_spans(article.text, doc, article.paragraphs)
    article.doc = doc
    return article
