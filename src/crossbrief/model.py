"""The document model: plain dataclasses whose annotations are character offsets.

An :class:`Article` owns its clean ``text``; every annotation on it (paragraphs, sentences, and
the later entities, quotes, claims) is a ``(start, end)`` pair of character offsets into that
text, so anything shown to a person can be traced back to the exact characters it came from.
Three containers, one per role:

- :class:`Inputs`: what reading the inputs gave, the articles read and the inputs skipped
  (with the reason);
- :class:`Story`: the articles of one story (a hand-made group, a story the clustering made,
  a story of the library) with its id and what a person rejected in its briefs: what the
  pipeline briefs;
- :class:`Brief`: what the stages found about one story: its articles as annotated, the
  inputs and articles skipped, and the cross-article findings (claims, conflicts, timeline,
  summary). ``Corpus`` is its former name, kept as an alias.

A brief round-trips through :meth:`Brief.to_dict` / :meth:`Brief.from_dict` (and so JSON)
without loss; a property test checks it.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Generic, TypeVar, overload

SCHEMA = "crossbrief.brief/1"

T = TypeVar("T")

_WORD = re.compile(r"\w+(?:[’'\-]\w+)*")
_SPACES = re.compile(r"\s+")


def span_lookup(spans: list[tuple[int, int]]) -> Callable[[int], bool]:
    """Whether an offset falls inside any of ``spans`` (character offsets, ``[start, end)``,
    overlapping or not), in log time: a long text with many quotes or mentions would
    otherwise cost its tokens × its spans."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        elif start < end:
            merged.append([start, end])
    starts = [start for start, _ in merged]

    def inside(offset: int) -> bool:
        i = bisect.bisect_right(starts, offset) - 1
        return i >= 0 and offset < merged[i][1]

    return inside


def overlap_counter(spans: list[tuple[int, int]]) -> Callable[[int, int], int]:
    """The number of characters of ``[start, end)`` inside each of ``spans``, summed (a
    character inside two spans counts twice), in log time (a sentence's or a claim unit's
    quoted characters were summed over every quote of its article: quadratic on a page of
    thousands of quotes). The sum is F(end) - F(start), F(x) the characters of all spans
    before ``x``: for each span, x - s if it starts before ``x``, less x - e if it also ends
    before ``x``."""
    kept = [(s, e) for s, e in spans if e > s]
    starts = sorted(s for s, _ in kept)
    ends = sorted(e for _, e in kept)
    start_sums = [0, *itertools.accumulate(starts)]
    end_sums = [0, *itertools.accumulate(ends)]

    def before(x: int) -> int:
        n = bisect.bisect_left(starts, x)
        m = bisect.bisect_left(ends, x)
        return x * n - start_sums[n] - (x * m - end_sums[m])

    def overlap(start: int, end: int) -> int:
        return before(end) - before(start) if end > start else 0

    return overlap


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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Skipped:
        """One entry of a brief's ``skipped`` list."""
        return cls(data["input"], data["reason"], data.get("code", "E100"))


@dataclass(frozen=True)
class Failure:
    """A story-wide step that could not be built: its section of the brief is left empty,
    and this says why (``stage``, the reason, the error code)."""

    stage: str
    reason: str
    code: str = "E302"


@dataclass(frozen=True)
class Apart:
    """An article given with the others that does not look like the same story (the apart
    stage). It keeps its own analysis (sentences, quotes, dates, …) but takes no part in
    what is built across the story (near-copies, claims, conflicts, timeline, summary).
    ``story`` is every article standing apart that reads as one story with it, itself
    included, in canonical order."""

    article: str
    reason: str
    story: tuple[str, ...] = ()


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
    ("2025-W43") or a range of two of them joined by "/" (a quarter, a season, a decade); None
    when the expression is no place on the calendar. ``reason`` says how it was resolved
    ("explicit", "weekday before the anchor 2023-03-22", …). ``timex`` is its TimeML (TIMEX3)
    value ("2023-03-21", "1989-Q3", "2012-SU", "199", "PRESENT_REF", "P3D", "XXXX-WXX-1"),
    None when it has none, and ``timex_type`` its TimeML type: DATE, TIME, DURATION or SET.
    """

    start: int
    end: int
    value: str | None
    reason: str
    timex: str | None = None
    timex_type: str = "DATE"


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


@dataclass(frozen=True)
class Span:
    """A stretch of one article's text: ``article``'s text[start:end]."""

    article: str
    start: int
    end: int


@dataclass(frozen=True)
class Evidence:
    """Why a clause was read as stating a claim: the scorer's ``score`` (the probability that
    the two state the same fact), the encoder similarity, and what the two share: entities
    (their names), numbers, dates and the rarest content words."""

    score: float
    similarity: float
    entities: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    words: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "similarity": self.similarity,
                "entities": list(self.entities), "numbers": list(self.numbers),
                "dates": list(self.dates), "words": list(self.words)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        return cls(data["score"], data["similarity"], tuple(data.get("entities", [])),
                   tuple(data.get("numbers", [])), tuple(data.get("dates", [])),
                   tuple(data.get("words", [])))

    def describe(self) -> str:
        """One line for a person: "score 0.83 · similarity 0.71 · shares Kovalenko, 12"."""
        shared = [*self.entities, *self.numbers, *self.dates, *self.words]
        return (f"score {self.score:.2f} · similarity {self.similarity:.2f}"
                + (f" · shares {', '.join(shared)}" if shared else " · shares no specifics"))


@dataclass
class Claim:
    """One fact as the articles state it, grouped across articles (the claims stage).

    ``text`` is the representative wording (``support[0]``'s span); ``support`` is every
    span stating it, at most one per article. ``independent`` counts the supporting articles
    with near-copies counted once; ``merged`` lists the near-copy groups so counted.
    ``status``: ``consensus`` (independent >= 2 and at least half the story's independent
    articles), ``corroborated`` (>= 2) or ``single``.
    """

    id: str
    text: str
    status: str
    support: list[Span] = field(default_factory=list)
    independent: int = 1
    merged: list[list[str]] = field(default_factory=list)
    # Why each span after the first supports the claim: ``evidence[i]`` is ``support[i + 1]``
    # against the representative ``support[0]``.
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def articles(self) -> list[str]:
        return [s.article for s in self.support]


@dataclass(frozen=True)
class Side:
    """One side of a conflict: what ``article`` says (``value``) and where."""

    article: str
    value: str
    start: int
    end: int


@dataclass
class Conflict:
    """Articles disagreeing on one specific: a date, a number, a name, or a plain
    contradiction. ``about`` says what the disagreement is on; ``claim`` is the claim group
    it was found in, if any. ``update`` marks a later report superseding an earlier one
    (the later articles were published after the earlier ones): shown, but not a conflict."""

    id: str
    kind: str
    about: str
    sides: list[Side] = field(default_factory=list)
    claim: str | None = None
    update: bool = False


@dataclass
class TimelineEntry:
    """A dated event: ``date`` (ISO, as the dates stage resolved it), a representative
    ``text`` and every span reporting it."""

    date: str
    text: str
    support: list[Span] = field(default_factory=list)
    conflict: str | None = None

    @property
    def articles(self) -> list[str]:
        return list(dict.fromkeys(s.article for s in self.support))


@dataclass(frozen=True)
class SummarySentence:
    """One sentence of the brief: ``text`` is ``article``'s text[start:end]; ``sources``
    are the ids of every article that says the same, the quoted one first; ``support`` is
    where each of the other sources says it (one span per other source, in their order)."""

    text: str
    article: str
    start: int
    end: int
    sources: tuple[str, ...]
    support: tuple[Span, ...] = ()


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
    # ``sentences``, the indices of the sentences counted as editorialising, and the
    # article's score; None until the opinion stage has run.
    sentence_opinion: list[float] = field(default_factory=list)
    opinionated_sentences: list[int] = field(default_factory=list)
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
            "opinionated_sentences": list(self.opinionated_sentences),
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
            opinionated_sentences=list(data.get("opinionated_sentences", [])),
            opinion=data.get("opinion"),
        )


def canonical_order(articles: list[Article]) -> list[Article]:
    """The articles in the order every brief uses, whatever order they arrived in: dated ones
    oldest first, then undated ones, each by content id (and, for the same text given twice,
    by input name). A total order on content, so the brief never depends on input order."""
    return sorted(articles, key=lambda a: (a.published is None, a.published or "", a.id,
                                           a.input))


@dataclass(frozen=True)
class Rejection:
    """What a person rejected in a story's briefs, stored in the library and respected by its
    next brief. ``kind`` ``link``: the spans do not state the same fact (the claims stage never
    puts them in one claim); ``conflict``: the spans do not disagree (the conflicts stage does
    not report a conflict whose sides fall on them). ``spans`` are in canonical order (article,
    start, end); ``id`` hashes kind, topic and spans, so the same rejection always has the
    same id (a stored one keeps it when a correction of an article's text moves its spans to
    follow its words: ``Library.correct_article``). The topic (:func:`topic_of`) tells a
    rejected conflict of a person's age from one of the clause it sits in (the same spans may
    hold both): two rejections, each in force for its own conflict.
    ``about`` is what a rejected conflict was on, as shown then; ``created`` is when (UTC, ISO
    8601)."""

    id: str
    kind: str
    spans: tuple[Span, ...]
    about: str = ""
    note: str = ""
    created: str = ""

    @classmethod
    def make(cls, kind: str, spans: Iterable[Span], about: str = "", note: str = "",
             created: str = "") -> Rejection:
        """A rejection with its spans put in canonical order and its content-hash id."""
        ordered = tuple(sorted(set(spans), key=lambda s: (s.article, s.start, s.end)))
        return cls(rejection_id(kind, ordered, about), kind, ordered, about, note, created)

    def covers(self, spans: Iterable[Span]) -> bool:
        """Whether each of ``spans`` overlaps one of this rejection's spans in the same
        article (what the conflicts stage holds a conflict's sides to)."""
        return all(any(s.article == x.article and s.start < x.end and x.start < s.end
                       for x in self.spans) for s in spans)

    def to_dict(self, texts: Mapping[str, str]) -> dict[str, Any]:
        """The ``rejected`` entry of a brief; ``texts``: the articles' texts by id (a span of
        an article not there has no text)."""
        return {"id": self.id, "kind": self.kind,
                "spans": [{"article": s.article, "start": s.start, "end": s.end,
                           "text": texts.get(s.article, "")[s.start:s.end]}
                          for s in self.spans],
                "about": self.about, "note": self.note, "created": self.created}


REJECTION_KINDS = ("link", "conflict")


# What a conflict of a person's age is about: "how old: <name>" (the conflicts stage's ``_ages``).
AGES_ABOUT = "how old: "


def of_ages(about: str) -> bool:
    """Whether a conflict (by what it is ``about``) is one of a person's ages."""
    return about.startswith(AGES_ABOUT)


def topic_of(about: str) -> tuple[str, ...]:
    """What a conflict, or a rejection of one, is of beyond its kind and spans, from its
    ``about``: ("ages",) for a conflict of a person's ages, () for any other (so the ids of
    all other conflicts and rejections are the hash of kind and spans alone, as before ages
    had a topic)."""
    return ("ages",) if of_ages(about) else ()


def rejection_id(kind: str, spans: Iterable[Span], about: str = "", *more: str) -> str:
    """The id of a rejection: a hash of its kind, its topic (:func:`topic_of` of its
    ``about``) and its spans in canonical order (then ``more``: ``Library.reject``'s
    counter when a moved rejection holds that hash)."""
    ordered = sorted(set(spans), key=lambda s: (s.article, s.start, s.end))
    return content_hash("rejection", kind, *topic_of(about),
                        *(f"{s.article}:{s.start}:{s.end}" for s in ordered), *more)


Key = TypeVar("Key")


class LazyArticles(Sequence[Article], Generic[Key]):
    """A story's articles held by reference: read by ``load`` (from the library, or from a
    run's spill file) each time they are iterated, so that a list of stories holds no
    article text until a brief needs it; their number is known without reading them.
    ``load(keys)`` returns the articles of ``keys`` in that order."""

    def __init__(self, load: Callable[[list[Key]], list[Article]], keys: Sequence[Key]) -> None:
        self.load, self.keys = load, list(keys)

    def __len__(self) -> int:
        return len(self.keys)

    def __iter__(self) -> Iterator[Article]:
        return iter(self.load(self.keys))

    @overload
    def __getitem__(self, index: int) -> Article: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Article]: ...
    def __getitem__(self, index: int | slice) -> Article | Sequence[Article]:
        if isinstance(index, slice):
            return self.load(self.keys[index])
        return self.load([self.keys[index]])[0]


@dataclass
class Inputs:
    """What reading the inputs gave: the articles read, in the order read, duplicates left
    out, and the inputs that could not be read (or were duplicates), with the reason."""

    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def skip(self, input: str, reason: str, code: str = "E100") -> None:
        self.skipped.append(Skipped(input, reason, code))


def group_id(article_ids: Iterable[str]) -> str:
    """The id of a group of articles given without one (``analyze``'s, a :class:`Story`
    made from articles alone): a hash of their ids, whatever their order."""
    return content_hash("group", *sorted(set(article_ids)))


@dataclass
class Story:
    """The articles of one story, what the pipeline briefs (:func:`crossbrief.pipeline.
    run_story`). ``id``: the story's id where it has one (the story clustering's, the
    library's), else :func:`group_id` of its articles (derived when the story is made:
    give a story other articles with a new ``Story``, not ``dataclasses.replace``);
    ``rejections``: what a person rejected in its briefs (the library's stories only),
    respected by the claims and conflicts stages. Not the library's record of a story
    (:class:`crossbrief.store.LibraryStory`, whose ``pipeline_story`` makes one of these)."""

    # A sequence (any other iterable is made a list), or the articles held by reference
    # (:class:`LazyArticles`, read when the story is briefed: such a story needs its id).
    articles: Sequence[Article] = field(default_factory=list)
    id: str = ""
    rejections: list[Rejection] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not isinstance(self.articles, Sequence):  # a generator is read once, here
            self.articles = list(self.articles)
        if not self.id:
            if isinstance(self.articles, LazyArticles):
                raise ValueError("a story of articles held by reference needs its id")
            self.id = group_id(a.id for a in self.articles)


@dataclass
class Brief:
    """What the stages found about one story: its articles as annotated, the inputs and
    articles that were skipped, the stages already run, and what the cross-article stages
    found (claims, conflicts, timeline, summary). Stages read and write it; renderers show
    it; :meth:`to_dict` is the ``crossbrief.brief/1`` document. A brief depends on the
    story's articles and rejections, never on its id or name: two stories of the same
    articles get the same brief, and renaming a story keeps it."""

    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    stages: list[str] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    # Groups of article ids that are near-copies of one another (wire reprints).
    near_copies: list[list[str]] = field(default_factory=list)
    quote_groups: list[QuoteGroup] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    # Conflicts and updates (``Conflict.update``) alike; the brief lists them apart.
    conflicts: list[Conflict] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    summary: list[SummarySentence] = field(default_factory=list)
    # Story-wide steps that failed: their sections are empty, and this says why.
    failures: list[Failure] = field(default_factory=list)
    # Articles that do not look like the same story as the others (the apart stage): the
    # story-wide stages leave them out.
    apart: list[Apart] = field(default_factory=list)
    # What a person rejected in this story's briefs (an input of the claims and conflicts
    # stages, given by the library; empty outside it).
    rejections: list[Rejection] = field(default_factory=list)

    def skip(self, input: str, reason: str, code: str = "E100") -> None:
        self.skipped.append(Skipped(input, reason, code))

    @classmethod
    def of(cls, story: Story, *, skipped: Iterable[Skipped] = (),
           stages: Iterable[str] = ("ingest",)) -> Brief:
        """The brief of ``story`` before any stage has run on it (``stages``: what its
        articles already went through)."""
        return cls(articles=list(story.articles), skipped=list(skipped), stages=list(stages),
                   rejections=list(story.rejections))

    def article(self, id: str) -> Article:
        for article in self.articles:
            if article.id == id:
                return article
        raise KeyError(id)

    def standing_apart(self) -> set[str]:
        """The ids of the articles standing apart from the story (``apart``)."""
        return {a.article for a in self.apart}

    def stories(self) -> list[list[Article]]:
        """The articles grouped by story, in canonical order: the story the brief is about
        first (every article not standing apart), then each story set apart."""
        apart = {a.article: a.story or (a.article,) for a in self.apart}
        main: list[Article] = []
        others: dict[tuple[str, ...], list[Article]] = {}
        for article in self.articles:
            if article.id in apart:
                others.setdefault(apart[article.id], []).append(article)
            else:
                main.append(article)
        return [main, *others.values()]

    def independent_count(self, article_ids: list[str]) -> int:
        """How many of ``article_ids`` are independent: near-copies count once."""
        seen: set[str] = set()
        for id in article_ids:
            group = next((g for g in self.near_copies if id in g), [id])
            seen.add(group[0])
        return len(seen)

    def single_source(self, article_id: str) -> list[Claim]:
        """The claims only this article (and its near-copies) reports."""
        return [c for c in self.claims if c.status == "single" and article_id in c.articles]

    def omissions(self, article_id: str) -> list[Claim]:
        """The consensus claims this article leaves out (none for an article standing apart:
        it is no part of the story the claims are about)."""
        if article_id in self.standing_apart():
            return []
        return [c for c in self.claims
                if c.status == "consensus" and article_id not in c.articles]

    def to_dict(self) -> dict[str, Any]:
        """The ``crossbrief.brief/1`` document (docs/json.md, docs/brief.schema.json)."""
        articles = {a.id: a for a in self.articles}

        def span(s: Span) -> dict[str, Any]:
            text = articles[s.article].span(s.start, s.end) if s.article in articles else ""
            return {"article": s.article, "start": s.start, "end": s.end, "text": text}

        carried: dict[str, list[str]] = {}
        for group in self.quote_groups:
            carriers = list(dict.fromkeys(r.article for r in group.refs))
            for ref in group.refs:
                carried[ref.quote] = carriers
        article_dicts = []
        for a in self.articles:
            data = a.to_dict()
            data["cites"] = list(dict.fromkeys(c.outlet for c in a.citations))
            data["single_source"] = [c.id for c in self.single_source(a.id)]
            data["omissions"] = [c.id for c in self.omissions(a.id)]
            article_dicts.append(data)
        return {
            "schema": SCHEMA,
            "stages": list(self.stages),
            "articles": article_dicts,
            "skipped": [
                {"input": s.input, "reason": s.reason, "code": s.code} for s in self.skipped
            ],
            "failures": [to_data(f) for f in self.failures],
            "apart": [to_data(a) for a in self.apart],
            "rejected": [r.to_dict({a.id: a.text for a in self.articles})
                         for r in sorted(self.rejections, key=lambda r: r.id)],
            "entities": [to_data(e) for e in self.entities],
            "quotes": [
                {"id": q.id, "article": a.id, "start": q.start, "end": q.end,
                 "text": a.span(q.start, q.end), "speaker": q.speaker, "cue": q.cue,
                 "fragment": q.fragment, "carried_by": carried.get(q.id, [a.id])}
                for a in self.articles for q in a.quotes
            ],
            "citations": [
                {"article": a.id, "outlet": c.outlet, "start": c.start, "end": c.end,
                 "kind": c.kind, "text": a.span(c.start, c.end)}
                for a in self.articles for c in a.citations
            ],
            "claims": [
                {"id": c.id, "text": c.text, "status": c.status,
                 "independent": c.independent, "merged": [list(g) for g in c.merged],
                 "support": [span(s) | ({"evidence": c.evidence[n - 1].to_dict()}
                                        if 0 < n <= len(c.evidence) else {})
                             for n, s in enumerate(c.support)]}
                for c in self.claims
            ],
            "conflicts": [_conflict_dict(c, span) for c in self.conflicts if not c.update],
            "updates": [_conflict_dict(c, span) for c in self.conflicts if c.update],
            "timeline": [
                {"date": t.date, "text": t.text, "articles": t.articles,
                 "conflict": t.conflict, "support": [span(s) for s in t.support]}
                for t in self.timeline
            ],
            "summary": [
                {"text": s.text, "article": s.article, "start": s.start, "end": s.end,
                 "sources": list(s.sources), "support": [span(x) for x in s.support]}
                for s in self.summary
            ],
            "near_copies": [list(group) for group in self.near_copies],
            "quote_groups": [g.to_dict() for g in self.quote_groups],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Brief:
        def spans(items: list[dict[str, Any]]) -> list[Span]:
            return [Span(i["article"], i["start"], i["end"]) for i in items]

        conflicts = [
            Conflict(c["id"], c["kind"], c["about"],
                     [Side(s["article"], s["value"], s["start"], s["end"]) for s in c["sides"]],
                     c.get("claim"), update)
            for key, update in (("conflicts", False), ("updates", True))
            for c in data.get(key, [])
        ]
        return cls(
            articles=[Article.from_dict(a) for a in data.get("articles", [])],
            skipped=[Skipped.from_dict(s) for s in data.get("skipped", [])],
            stages=list(data.get("stages", [])),
            failures=[from_data(Failure, f) for f in data.get("failures", [])],
            apart=[Apart(a["article"], a["reason"], tuple(a.get("story", [])))
                   for a in data.get("apart", [])],
            rejections=[Rejection(r["id"], r["kind"], tuple(spans(r["spans"])),
                                  r.get("about", ""), r.get("note", ""), r.get("created", ""))
                        for r in data.get("rejected", [])],
            entities=[from_data(Entity, e) for e in data.get("entities", [])],
            near_copies=[list(g) for g in data.get("near_copies", [])],
            quote_groups=[QuoteGroup.from_dict(g) for g in data.get("quote_groups", [])],
            claims=[Claim(c["id"], c["text"], c["status"], spans(c["support"]),
                          c.get("independent", 1), [list(g) for g in c.get("merged", [])],
                          [Evidence.from_dict(s["evidence"]) for s in c["support"][1:]
                           if "evidence" in s])
                    for c in data.get("claims", [])],
            conflicts=conflicts,
            timeline=[TimelineEntry(t["date"], t["text"], spans(t.get("support", [])),
                                    t.get("conflict"))
                      for t in data.get("timeline", [])],
            summary=[SummarySentence(s["text"], s["article"], s["start"], s["end"],
                                     tuple(s["sources"]), tuple(spans(s.get("support", []))))
                     for s in data.get("summary", [])],
        )


# The former name of :class:`Brief`, from when one class held a run's inputs, its story and
# its brief; kept so that code written against it goes on working.
Corpus = Brief


def _conflict_dict(conflict: Conflict, span: Any) -> dict[str, Any]:
    return {
        "id": conflict.id, "kind": conflict.kind, "about": conflict.about,
        "claim": conflict.claim,
        "sides": [{**span(Span(s.article, s.start, s.end)), "value": s.value}
                  for s in conflict.sides],
    }
