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
from dataclasses import dataclass, field
from typing import Any

SCHEMA = "crossbrief.corpus/1"

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
        )


@dataclass
class Corpus:
    """The articles of one run, the inputs that were skipped, and the stages already run."""

    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)

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
        )
