"""The document model: plain dataclasses whose annotations are character offsets.

An :class:`Article` owns its clean ``text``; every annotation on it (paragraphs, sentences, and
the later entities, quotes, claims) is a ``(start, end)`` pair of character offsets into that
text, so anything shown to a person can be traced back to the exact characters it came from.
A :class:`Corpus` is the articles of one run plus the inputs that were skipped, with the reason.

Everything round-trips through :meth:`Corpus.to_dict` / :meth:`Corpus.from_dict` (and so JSON)
without loss; a property test checks it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar

SCHEMA = "crossbrief.corpus/1"

T = TypeVar("T")

_WORD = re.compile(r"\w+(?:[’'\-]\w+)*")
_SPACES = re.compile(r"\s+")


def content_hash(*parts: str, length: int = 16) -> str:
    """A stable hex id derived from content: the same content always gets the same id."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()[:length]


def article_id(text: str) -> str:
    """Id of an article: a hash of its text with unicode form and whitespace normalised.

    Computed on the text as ingested (before cleaning), so the id does not change when the
    cleaning rules improve, and re-ingesting the same article always gives the same id.
    """
    normal = _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return content_hash(normal)


def to_data(value: Any) -> dict[str, Any]:
    """A flat annotation dataclass as a JSON-ready dict (its fields, in order)."""
    return {f.name: _copy(getattr(value, f.name)) for f in fields(value)}


def from_data(cls: type[T], data: dict[str, Any]) -> T:
    """The inverse of :func:`to_data`; unknown keys are ignored, missing ones defaulted."""
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: _copy(v) for k, v in data.items() if k in names})


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, (list, tuple)) else value


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of an article's clean text: ``text[start:end]``."""

    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """A sentence: ``text[start:end]``, inside paragraph number ``paragraph``."""

    start: int
    end: int
    paragraph: int


@dataclass(frozen=True)
class Removal:
    """Something cleaning took out of the article, and why.

    ``at`` is the offset in the clean text where the removed text stood (the end of the text
    kept before it), so a reader can show it in place, struck through, next to what was kept.
    """

    text: str
    reason: str
    at: int


@dataclass(frozen=True)
class Skipped:
    """An input that produced no article: its name, the reason, and the error code."""

    input: str
    reason: str
    code: str = "E100"


@dataclass(frozen=True)
class Mention:
    """A named-entity mention in one article: ``text[start:end]`` with spaCy's label.

    ``entity`` is the id of the story-wide :class:`Entity` it was merged into (set by the
    entities stage); ``label`` is the label after repair (a person tagged PRODUCT is PERSON).
    """

    start: int
    end: int
    label: str
    entity: str | None = None


@dataclass(frozen=True)
class Quote:
    """A direct quotation: ``text[start:end]`` is the quoted words, inside the marks.

    ``speaker`` is the canonical name of the entity who said it (None when the text names
    nobody); ``speaker_start``/``speaker_end`` locate the words naming the speaker in this
    article (a name, a description, or a pronoun). ``fragment`` marks a partial or scare
    quote embedded in the reporter's own sentence. ``open_mark``/``close_mark`` say whether
    the opening and closing quotation marks were present (a missing one is recovered).
    """

    id: str
    start: int
    end: int
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    fragment: bool = False
    open_mark: bool = True
    close_mark: bool = True


@dataclass(frozen=True)
class Attribution:
    """Who is cited for what, in the PolNeAR scheme: source, cue and content spans.

    Direct quotes and paraphrase alike ("X said that …", "according to X, …"). ``source_*`` may
    be None when the text gives no source (a passive "it was reported"). ``direct`` is True
    when the content holds quotation marks.
    """

    id: str
    cue_start: int
    cue_end: int
    content_start: int
    content_end: int
    source_start: int | None = None
    source_end: int | None = None
    source: str | None = None
    direct: bool = False


@dataclass(frozen=True)
class Citation:
    """An outlet, agency or document the article leans on ("according to Reuters").

    ``outlet`` is the canonical name; ``text[start:end]`` is how the article names it.
    ``kind`` is "outlet" (news media and agencies), "document" (a report, a statement, an
    encyclopedia) or "credit" (a photo credit).
    """

    outlet: str
    start: int
    end: int
    kind: str = "outlet"


@dataclass(frozen=True)
class DateMention:
    """A date expression: ``text[start:end]`` normalised to ``value`` when it can be.

    ``value`` is an ISO 8601 date ("2023-03-21"), a month ("2023-03"), a year ("2023"), a week
    ("2025-W43") or a range of two of them joined by "/"; None when unresolvable. ``reason``
    says how it was resolved ("explicit", "weekday before the anchor 2023-03-22", …).
    """

    start: int
    end: int
    value: str | None
    reason: str


@dataclass(frozen=True)
class QuoteRef:
    """One article's copy of a quotation: its quote, span, and how it differs from the full
    version (``partial``: only part of the words; ``reworded``: nearly the same words)."""

    article: str
    quote: str
    start: int
    end: int
    partial: bool = False
    reworded: bool = False


@dataclass
class QuoteGroup:
    """A quotation carried by several articles: the quote matrix's row."""

    id: str
    text: str
    speaker: str | None
    refs: list[QuoteRef] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "speaker": self.speaker,
                "refs": [to_data(r) for r in self.refs]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QuoteGroup:
        return cls(data["id"], data["text"], data.get("speaker"),
                   [from_data(QuoteRef, r) for r in data.get("refs", [])])


@dataclass
class Entity:
    """One person, organisation or place across the whole story, all spellings merged."""

    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    mentions: int = 0


@dataclass
class Article:
    """One article. Stages fill in the annotations; ``text`` is the clean text after cleaning."""

    id: str
    source: str
    text: str
    input: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    author: str | None = None
    encoding: str | None = None
    removed: list[Removal] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    # How much each sentence editorialises rather than reports (0–1), parallel to
    # ``sentences``, and the article's score; None until the opinion stage has run.
    sentence_opinion: list[float] = field(default_factory=list)
    opinion: float | None = None
    # The parsed spaCy Doc of ``text``, kept between stages so the text is parsed once.
    # Transient: never serialised, rebuilt on demand by the segment stage.
    doc: Any = field(default=None, repr=False, compare=False)

    @property
    def words(self) -> int:
        return count_words(self.text)

    def span(self, start: int, end: int) -> str:
        return self.text[start:end]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "title": self.title,
            "url": self.url,
            "published": self.published,
            "author": self.author,
            "input": self.input,
            "encoding": self.encoding,
            "text": self.text,
            "words": self.words,
            "removed": [
                {"text": r.text, "reason": r.reason, "at": r.at} for r in self.removed
            ],
            "paragraphs": [[p.start, p.end] for p in self.paragraphs],
            "sentences": [[s.start, s.end, s.paragraph] for s in self.sentences],
            "mentions": [to_data(m) for m in self.mentions],
            # The spans' words ride along for readers of the JSON; from_dict ignores them.
            "quotes": [{**to_data(q), "text": self.span(q.start, q.end)} for q in self.quotes],
            "attributions": [to_data(a) for a in self.attributions],
            "citations": [{**to_data(c), "text": self.span(c.start, c.end)}
                          for c in self.citations],
            "dates": [{**to_data(d), "text": self.span(d.start, d.end)} for d in self.dates],
            "sentence_opinion": list(self.sentence_opinion),
            "opinion": self.opinion,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        return cls(
            id=data["id"],
            source=data["source"],
            text=data["text"],
            input=data["input"],
            title=data.get("title"),
            url=data.get("url"),
            published=data.get("published"),
            author=data.get("author"),
            encoding=data.get("encoding"),
            removed=[Removal(r["text"], r["reason"], r["at"]) for r in data.get("removed", [])],
            paragraphs=[Paragraph(p[0], p[1]) for p in data.get("paragraphs", [])],
            sentences=[Sentence(s[0], s[1], s[2]) for s in data.get("sentences", [])],
            mentions=[from_data(Mention, m) for m in data.get("mentions", [])],
            quotes=[from_data(Quote, q) for q in data.get("quotes", [])],
            attributions=[from_data(Attribution, a) for a in data.get("attributions", [])],
            citations=[from_data(Citation, c) for c in data.get("citations", [])],
            dates=[from_data(DateMention, d) for d in data.get("dates", [])],
            sentence_opinion=list(data.get("sentence_opinion", [])),
            opinion=data.get("opinion"),
        )


@dataclass
class Corpus:
    """The articles of one run, the inputs that were skipped, and the stages already run."""

    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    # Groups of article ids that are near-copies of one another (wire reprints).
    near_copies: list[list[str]] = field(default_factory=list)
    quote_groups: list[QuoteGroup] = field(default_factory=list)

    def skip(self, input: str, reason: str, code: str = "E100") -> None:
        self.skipped.append(Skipped(input, reason, code))

    def article(self, id: str) -> Article:
        for article in self.articles:
            if article.id == id:
                return article
        raise KeyError(id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "stages": list(self.stages),
            "articles": [a.to_dict() for a in self.articles],
            "entities": [to_data(e) for e in self.entities],
            "near_copies": [list(group) for group in self.near_copies],
            "quote_groups": [g.to_dict() for g in self.quote_groups],
            "skipped": [
                {"input": s.input, "reason": s.reason, "code": s.code} for s in self.skipped
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Corpus:
        return cls(
            articles=[Article.from_dict(a) for a in data.get("articles", [])],
            skipped=[
                Skipped(s["input"], s["reason"], s.get("code", "E100"))
                for s in data.get("skipped", [])
            ],
            stages=list(data.get("stages", [])),
            entities=[from_data(Entity, e) for e in data.get("entities", [])],
            near_copies=[list(g) for g in data.get("near_copies", [])],
            quote_groups=[QuoteGroup.from_dict(g) for g in data.get("quote_groups", [])],
        )
