"""Segmentation: paragraphs and sentences as exact character offsets into the clean text.

Paragraphs are the blank-line-separated blocks of the clean text. Sentences come from the
spaCy pipeline's parser (setting ``spacy_model``), with paragraph starts forced as sentence
starts, then repaired where news text trips it up:

- a piece that is only punctuation or a closing quote mark joins the sentence before it;
- a piece that starts in lower case ("…,” said Putin.") continues the sentence before it;
- every sentence is trimmed of surrounding whitespace and never crosses a paragraph.

Unbalanced quotation marks are never paired here, so a missing mark cannot swallow text.
The parsed Doc stays on the article for the extraction stages, so the text is parsed once.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from .model import Article, Paragraph, Sentence

_ONLY_PUNCT = re.compile(r"""^[\s"'“”‘’«»„‚()\[\].,;:!?…–—-]*$""")
_CONTINUATION = re.compile(r"""^[\s"'”’)\]]*[a-z]""")


def find_paragraphs(text: str) -> list[Paragraph]:
    """Blank-line-separated blocks, trimmed."""
    paragraphs = []
    for match in re.finditer(r"[^\n](?:.|\n(?!\s*\n))*", text):
        start, end = match.span()
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        if end > start:
            paragraphs.append(Paragraph(start, end))
    return paragraphs


def sentence_spans(text: str, doc: Any, paragraphs: list[Paragraph]) -> list[Sentence]:
    """Sentences of a parsed ``doc`` of ``text``, repaired and placed in their paragraphs."""
    starts = [p.start for p in paragraphs]
    pieces: list[tuple[int, int]] = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        # Cut at paragraph breaks the parser may still have bridged.
        for cut in _breaks_within(paragraphs, start, end):
            pieces.append((start, cut))
            start = cut
        pieces.append((start, end))

    sentences: list[Sentence] = []
    for start, end in pieces:
        start, end = _trim(text, start, end)
        if start >= end:
            continue
        paragraph = max(0, bisect.bisect_right(starts, start) - 1)
        piece = text[start:end]
        if sentences and sentences[-1].paragraph == paragraph and (
            _ONLY_PUNCT.match(piece) or _CONTINUATION.match(piece)
        ):
            previous = sentences.pop()
            sentences.append(Sentence(previous.start, end, paragraph))
            continue
        sentences.append(Sentence(start, end, paragraph))
    return sentences


def _breaks_within(paragraphs: list[Paragraph], start: int, end: int) -> list[int]:
    return [p.start for p in paragraphs if start < p.start < end]


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
