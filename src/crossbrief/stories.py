"""Story clustering: group a stream of articles into stories (*the same event*), as they arrive.

The stage between ingestion and the per-story pipeline. It reads, of each article, only what
``StreamArticle`` holds (id, input, title, outlet, publication date, clean text) and writes
the grouping: ``StoryGroup`` lists. No parsing: features are cheap to compute (about a
millisecond an article) so that a library's whole stream can be clustered.

How it works (docs/stories.md has the details and each constant's provenance):

1. Each article becomes three sparse vectors, weighted by an inverse document frequency
   counted over the stream so far: its words (title and text, sublinear TF-IDF), the
   capitalised names it mentions (people, streets, places: *who* and *where*), and the numbers
   it mentions (ages, counts, house numbers, times). A hashed dense projection of the word
   vector finds candidates: exact search over the stored vectors, or an HNSW index (usearch)
   once the stream is large.
2. Each candidate earlier article is scored as a pair by a logistic model over the cosines of
   the three vectors, the title's, the best shared name, the days between the two and whether
   one outlet wrote both; the constants were fitted on the GVA stream's dev file with folds
   split by time.
3. The article joins the story of its best candidate when the pair's score reaches
   ``JOIN``; otherwise it starts a story. Other stories it also links to (score at least
   ``MERGE``) are merged into that story, unless a person's decisions keep them apart.
4. Stories that share a person's name (one the stream gives an age for, rare in the stream)
   with the article are merged with its story when it resembles them at least a little
   (``PEOPLE_LINK``): a follow-up that names the suspect finds the story that named him.

Deterministic: scores are rounded before they are compared and ties are broken on ids, so the
same stream gives the same stories on any machine; :func:`cluster` sorts its input, so any
order of the same articles gives the same stories.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime
import json
import math
import os
import re
import zlib
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

import numpy as np

from .model import content_hash

if TYPE_CHECKING:
    from .model import Article

# --- Tuned constants (provenance: docs/stories.md, "Constants") -------------------------------

#: The pair features, in order; the pair model is a logistic regression over these and every
#: product of two of them (``expand``).
PAIR_FEATURES = ("text", "names", "numbers", "title", "best_name", "log_gap", "same_outlet",
                 "ages", "event_day")


def _load_model() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (resources.files("crossbrief") / "data" / "stories.json").read_text("utf-8"))
    if tuple(data["features"]) != PAIR_FEATURES:
        raise RuntimeError("data/stories.json was fitted on other pair features")
    return data


# The fitted pair model and thresholds, with their provenance: data/stories.json (written by
# ``python benchmarks/stories.py --fit``; the shipped weights are its older L-BFGS fit, which
# its provenance says: a --fit now solves to the optimum and writes other weights).
_MODEL = _load_model()
#: The pair model's weights (features, then their products) and bias.
PAIR_WEIGHTS: tuple[float, ...] = tuple(_MODEL["weights"])
PAIR_BIAS: float = _MODEL["bias"]
#: An article joins the story of its best-scoring candidate at this pair probability or more.
JOIN: float = _MODEL["join"]
#: Another story the article links to at this probability or more is merged into that story.
MERGE: float = _MODEL["merge"]
#: Candidates: the dense search returns this many nearest earlier articles.
CANDIDATES = 40
#: Candidates further apart in publication date than this are never linked.
WINDOW_DAYS = 730
#: Pairs whose word cosine is under this are not scored (they never reach ``JOIN``).
MIN_TEXT_COSINE = 0.05
#: Width of the hashed dense projection of the word vector used to find candidates.
DENSE_DIM = 1024
#: The dense vectors are rounded to multiples of 1 / DENSE_SCALE, so that the candidate
#: search's dot products are exact (see ``quantise``): 2**11 is the finest step for which they
#: are, for unit vectors in float32.
DENSE_SCALE = 2 ** 11
#: From this many stored articles in one time bucket on, candidates come from an HNSW index
#: there, not exact search.
ANN_FROM = 20_000
#: The dense search keeps one index per this many days of publication dates.
BUCKET_DAYS = 180
#: ``stand_apart`` links two articles of a hand-made group at this pair probability or more:
#: lower than ``JOIN`` because the person who made the group said they belong together.
STAND_APART_LINK = 0.001
#: The hash buckets of a ``Background``.
BACKGROUND_BUCKETS = 1 << 18
#: Only the first this many characters of the text are read (the lead carries the event;
#: the tail of a crawled page is often links and boilerplate).
TEXT_CHARS = 2_000
#: At most this many named days are kept per article.
MAX_DAYS = 12
#: Scores are rounded to this many decimals before they are compared (no float-noise ties).
ROUND = 6
#: A short stream (fewer articles so far than this): the name of a person a text gives an age
#: for counts, as the best shared name, as rare as it would be in a stream of
#: ``PEOPLE_AS_IF`` articles (``_Featuriser._short_stream_names``; docs/stories.md, "People's
#: names in a short stream").
SHORT_STREAM = 20
PEOPLE_AS_IF = 100
#: A person's name shared with an earlier story (``StoryClusterer._people_links``): a name of
#: two words or more that the stream has given an age for ("Marcus Tillery, 24,"), mentioned
#: by articles of at most ``PEOPLE_STORIES`` stories so far, links the article's story with
#: an earlier one that mentions it when the article's best pair probability with that story
#: is at least ``PEOPLE_LINK`` (docs/stories.md, "A person's name across a story").
PEOPLE_LINK = 0.15
PEOPLE_STORIES = 2
#: ``extend`` and ``cluster`` with ``workers`` > 1: worker processes extract the terms of
#: this many articles at a time, and only from this many articles on (starting the processes
#: costs about a second).
EXTRACT_CHUNK = 256
PARALLEL_FROM = 5_000
#: The worker processes run this much nicer than the clustering process (see
#: ``_yield_to_clustering``).
WORKER_NICENESS = 5

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NAME_WORD = r"(?:[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)*|[A-Z]\.)"
# (The look-aheads below only skip, faster, positions that cannot match.)
_NAME = re.compile(rf"\b(?=[A-Z]){_NAME_WORD}(?:\s+{_NAME_WORD})*")
# A digit not after a word character or a point, then digits, commas and decimals (the
# look-behind after the first digit: the search skips to digits, several times faster).
_NUMBER = re.compile(r"\d(?<![\w.]\d)[\d,]*(?:\.\d+)?")
# Ages: "a 24-year-old man", "Marcus Tillery, 24,".
_AGE_PATTERNS = (re.compile(r"\b(\d{1,3})[- ]years?[- ]old\b"), re.compile(r"[a-z], (\d{1,2}),"))
# A name with an age: right after it ("Marcus Tillery, 24,") or right before it ("a
# 24-year-old Marcus Tillery"): a private person's, as news names a public figure without.
_AGE_AFTER_NAME = re.compile(r", \d{1,2},")
_AGE_BEFORE_NAME = re.compile(r"\d-year-old\s$")
# ... but not a place or an institution that describes a person ("a 24-year-old Kansas City
# man", "a 17-year-old Yates High School student": a review found such towns taken for people
# and two shootings in one town joined): the name followed by a noun for a person.
_DESCRIBES_PERSON = re.compile(
    r"[ \t]+(?:man|men|woman|women|boy|boys|girl|girls|teen|teens|teenager|teenagers|youth|"
    r"resident|residents|native|student|students|couple|mother|father|son|daughter|child|"
    r"toddler|infant|baby|driver|motorist|officer|deputy|employee|worker|victim|suspect)\b")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(_MONTHS)}
# Days the text names: a weekday (the last one on or before publication) or a month and day.
_DAY_MENTION = re.compile(
    r"\b(?=[adfjmnostw])(?:(" + "|".join(_WEEKDAYS) + r")|(" + "|".join(m[:3] for m in _MONTHS)
    + r")[a-z]*\.? (\d{1,2})(?:st|nd|rd|th)?(?:,? (\d{4}))?)\b")   # on lower-case text
_STOP = frozenset("""
a about above after again against all also am an and any are around as at be because been
before being below between both but by can could did do does doing down during each few for
from further had has have having he her here hers herself him himself his how i if in into is
it its itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them themselves
then there these they this those through to too under until up very was we were what when
where which while who whom why will with would you your yours yourself yourselves s t said says
say one two three told according news also us mr mrs ms
""".split())
# Capitalised words that open sentences or name days and months: not evidence of one event.
_NAME_STOP = frozenset("""
the a an he she they it we i his her their its this that these those there when where what who
but and or if in on at as after before while police officers officer authorities monday tuesday
wednesday thursday friday saturday sunday january february march april may june july august
september october november december mr mrs ms dr st
""".split())


# --- Data ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StreamArticle:
    """What clustering needs of one article."""

    id: str
    input: str
    title: str | None
    source: str | None
    published: str | None
    text: str

    @classmethod
    def from_article(cls, article: Article) -> StreamArticle:
        """The clustering view of a crossbrief :class:`~crossbrief.model.Article`."""
        return cls(id=article.id, input=article.input, title=article.title,
                   source=article.source, published=article.published, text=article.text)


@dataclass
class StoryGroup:
    """One story: its articles sorted by (published, id), with its span and outlets."""

    id: str
    title: str
    first_seen: str | None
    last_seen: str | None
    outlets: list[str]
    articles: list[StreamArticle]


def order_key(article: StreamArticle) -> tuple[str, str]:
    """The stream order: publication date (undated first), then id."""
    return (article.published or "", article.id)


def story_id(first_article_id: str) -> str:
    """The id of a story started by the article with this id."""
    return content_hash("story", first_article_id)


# --- Features --------------------------------------------------------------------------------

def _day(published: str | None) -> int | None:
    if not published:
        return None
    try:
        return datetime.date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


def mentioned_days(text: str, published: int | None) -> frozenset[int]:
    """The days (ordinals) that ``text`` names by weekday or by month and day, resolved
    against the publication day: the latest such day on or before it. Empty when undated."""
    if published is None:
        return frozenset()
    found: set[int] = set()
    today = datetime.date.fromordinal(published)
    for match in _DAY_MENTION.finditer(text.lower()):
        weekday, month, day, year = match.groups()
        if weekday:
            back = (today.weekday() - _WEEKDAYS.index(weekday.lower())) % 7
            found.add(published - back)
        elif month and day:
            number = _MONTH_ABBR.get(month[:3].lower())
            if number is None:
                continue
            years = (int(year),) if year else (today.year, today.year - 1)
            for guess in years:
                try:
                    candidate = datetime.date(guess, number, int(day)).toordinal()
                except ValueError:
                    break
                if candidate <= published or year:
                    found.add(candidate)
                    break
        if len(found) >= MAX_DAYS:
            break
    return frozenset(found)


def article_terms(article: StreamArticle) -> tuple[dict[str, int], dict[str, int],
                                                    dict[str, int], dict[str, int]]:
    """Words, capitalised names, numbers and title words of an article, with their counts
    (each in the order of first mention)."""
    return _terms_of(article.title or "", (article.text or "")[:TEXT_CHARS])[:4]


def _terms_of(title: str, text: str) -> tuple[dict[str, int], dict[str, int],
                                              dict[str, int], dict[str, int], list[str]]:
    body = f"{title}\n{text}"
    words = dict(Counter(w for w in _WORD.findall(body.lower())
                         if w not in _STOP and len(w) > 1))
    names: list[str] = []
    # Names given with an age, in full: a surname alone ("Johnson") is shared by different
    # people in different events, so it never counts as a person's name.
    people: list[str] = []
    for match in _NAME.finditer(body):
        parts = [p for p in match.group().split()
                 if p.lower().strip(".") not in _NAME_STOP and p.lower() not in _STOP]
        if not parts:
            continue
        if len(parts) > 1:
            names.append(" ".join(parts).lower())
            start = match.start()
            if (_AGE_AFTER_NAME.match(body, match.end())
                    or (_AGE_BEFORE_NAME.search(body, max(0, start - 13), start)
                        and not _DESCRIBES_PERSON.match(body, match.end()))):
                people.append(names[-1])
        names.extend(p.lower() for p in parts if len(p) > 2)
    numbers = dict(Counter(n.replace(",", "") for n in _NUMBER.findall(body)))
    title_words = dict(Counter(w for w in _WORD.findall(title.lower()) if w not in _STOP))
    return words, dict(Counter(names)), numbers, title_words, people


# Not frozen: pickle restores a frozen dataclass in Python, several times slower, and these
# come back from worker processes by the hundred thousand.
@dataclass(slots=True)
class ArticleTerms:
    """What clustering reads off one article by itself, before any statistics of the stream:
    pure, so it can be computed in worker processes and merged in stream order."""

    words: dict[str, int]          # words of title and text, with counts (first mention first)
    names: dict[str, int]          # capitalised names, with counts
    numbers: dict[str, int]        # numbers, with counts
    title: tuple[str, ...]         # distinct title words
    day: int | None                # publication day (ordinal)
    outlet: str                    # lower case; "" when unknown
    ages: tuple[int, ...]          # ages the text gives, sorted
    event_days: tuple[int, ...]    # days the text names, resolved on publication, sorted
    people: tuple[str, ...]        # names given with an age (in full), sorted


def extract_terms(article: StreamArticle) -> ArticleTerms:
    """The terms of one article (see :class:`ArticleTerms`)."""
    return _extract((article.title, (article.text or "")[:TEXT_CHARS], article.published,
                     article.source))


_Item = tuple[str | None, str, str | None, str | None]


def _item(article: StreamArticle) -> _Item:
    """What extraction reads of an article (all a worker process is sent)."""
    return (article.title, (article.text or "")[:TEXT_CHARS], article.published,
            article.source)


def _extract(item: _Item) -> ArticleTerms:
    title, text, published, source = item
    words, names, numbers, title_words, people = _terms_of(title or "", text)
    day = _day(published)
    return ArticleTerms(
        words=words, names=names, numbers=numbers, title=tuple(title_words), day=day,
        outlet=(source or "").lower(),
        ages=tuple(sorted({int(age) for pattern in _AGE_PATTERNS
                           for age in pattern.findall(text)})),
        event_days=tuple(sorted(mentioned_days(text, day))), people=tuple(sorted(set(people))))


def _extract_chunk(items: list[_Item]) -> list[ArticleTerms]:
    return [_extract(item) for item in items]


def _yield_to_clustering() -> None:
    """A worker process's start: lower its priority, so that on a busy machine the one
    process that clusters (the run's bottleneck) gets the cores first; the workers only
    need to stay a few chunks ahead of it."""
    # No os.nice on Windows; a sandbox may not allow it: then the workers run as they are.
    with contextlib.suppress(AttributeError, OSError):
        os.nice(WORKER_NICENESS)


def extract_all(articles: Sequence[StreamArticle], workers: int = 1, *,
                parallel_from: int = PARALLEL_FROM, chunk: int = EXTRACT_CHUNK
                ) -> Iterator[ArticleTerms]:
    """The terms of each article, in order. With ``workers`` > 1 and at least
    ``parallel_from`` articles, ``workers`` processes extract them, ``chunk`` articles at a
    time, a few chunks ahead of the consumer (so memory stays bounded); the result is the
    same. The processes are spawned: a script that calls this needs the usual
    ``if __name__ == "__main__":`` guard."""
    if workers <= 1 or len(articles) < parallel_from:
        yield from (extract_terms(a) for a in articles)
        return
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    done = 0
    try:
        # spawn, not fork: the caller may hold threads (a web server, usearch) and locks.
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                                 initializer=_yield_to_clustering) as pool:
            pending: deque[Future[list[ArticleTerms]]] = deque()
            starts = iter(range(0, len(articles), chunk))
            for start in starts:
                pending.append(pool.submit(_extract_chunk, [
                    _item(a) for a in articles[start:start + chunk]]))
                if len(pending) >= 2 * workers:
                    break
            while pending:
                batch = pending.popleft().result()
                following = next(starts, None)
                if following is not None:
                    pending.append(pool.submit(_extract_chunk, [
                        _item(a) for a in articles[following:following + chunk]]))
                for terms in batch:
                    done += 1
                    yield terms
    except (OSError, BrokenProcessPool):
        # No worker processes here (a sandbox without them, a worker killed): extraction is
        # pure, so the rest is extracted in this process, with the same result.
        yield from (extract_terms(a) for a in articles[done:])


@dataclass(frozen=True)
class Background:
    """Document frequencies of earlier news (``documents`` articles), added to the stream's own
    for the words and the numbers: their rarity then does not hang on how long the stream is
    (in a folder of five reports of one shooting, "shooting" would otherwise weigh as much as
    the street it happened in). Hashed: ``words`` and ``numbers`` hold, per bucket (the CRC-32
    of the term modulo their length), how many of the articles hold a term of that bucket; no
    term itself is kept. Names get none: a town's name is as rare in any background as its
    victim's, and only the stream tells them apart (docs/stories.md, "Short streams").

    The shipped pair model was fitted with the GVA stream's background (benchmarks/stories.py
    --fit), which steadies the words' weights while it learns; the clusterer runs without one
    unless given one (``StoryClusterer(background=...)``): a background of one kind of news
    makes its words count less and every other word more, which joined different events of
    other news (docs/stories.md, "Background")."""

    documents: int
    words: Any      # int32 array, one count per bucket
    numbers: Any

    @classmethod
    def count(cls, terms: Iterable[ArticleTerms], buckets: int = BACKGROUND_BUCKETS
              ) -> Background:
        """The background of these articles' terms."""
        arrays = [np.zeros(buckets, dtype=np.int32) for _ in range(2)]
        documents = 0
        for article in terms:
            documents += 1
            for array, kind in zip(arrays, (article.words, article.numbers), strict=True):
                hashed = {zlib.crc32(term.encode("utf-8")) % buckets for term in kind}
                array[np.fromiter(hashed, dtype=np.int64, count=len(hashed))] += 1
        return cls(documents, *arrays)

    def save(self, path: Any) -> None:
        """Write to ``path`` (.npz; the buckets that hold terms, and their counts)."""
        arrays: dict[str, Any] = {"documents": np.asarray(self.documents, dtype=np.int64),
                                  "buckets": np.asarray(len(self.words), dtype=np.int64)}
        for name in ("words", "numbers"):
            counts = getattr(self, name)
            where = np.flatnonzero(counts)
            arrays[f"{name}_at"] = where.astype(np.int32)
            arrays[f"{name}_df"] = counts[where].astype(np.int32)
        np.savez_compressed(path, **arrays)

    @classmethod
    def load(cls, source: Any) -> Background:
        """Read what :meth:`save` wrote (a path or a binary file)."""
        with np.load(source) as data:
            buckets = int(data["buckets"])
            arrays = []
            for name in ("words", "numbers"):
                counts = np.zeros(buckets, dtype=np.int32)
                counts[data[f"{name}_at"]] = data[f"{name}_df"]
                arrays.append(counts)
            return cls(int(data["documents"]), *arrays)


class _Vocabulary:
    """Term ids, document frequencies and stable hash buckets, counted over the stream (plus,
    with a ``background``, the document frequencies of earlier news: see ``Background``)."""

    def __init__(self, background: Any = None, background_documents: int = 0) -> None:
        # background: document frequencies by hash bucket (see ``Background``), or None
        self.ids: dict[str, int] = {}
        self.df = np.zeros(1024, dtype=np.int64)
        self.bucket = np.zeros(1024, dtype=np.int64)
        self.sign = np.zeros(1024, dtype=np.float64)
        self.documents = 0
        self.background = background
        self.background_documents = background_documents
        self.bdf = np.zeros(1024, dtype=np.int64)

    def see(self, terms: Iterable[str]) -> Any:
        """Count one document's distinct terms; their ids, as an array (new terms get the
        next ids, in the order given)."""
        ids = self.ids
        terms = list(terms)
        out = [ids.get(term, -1) for term in terms]
        if -1 in out:
            for n, term in enumerate(terms):
                if out[n] >= 0:
                    continue
                index = ids[term] = len(ids)
                if index == len(self.df):
                    self._grow()
                crc = zlib.crc32(term.encode("utf-8"))
                self.bucket[index] = crc % DENSE_DIM
                self.sign[index] = 1.0 if crc & 0x80000000 else -1.0
                if self.background is not None:
                    self.bdf[index] = self.background[crc % len(self.background)]
                out[n] = index
        found = np.asarray(out, dtype=np.int64)
        self.df[found] += 1
        return found

    def _grow(self) -> None:
        size = 2 * len(self.df)
        for name in ("df", "bucket", "sign", "bdf"):
            old = getattr(self, name)
            new = np.zeros(size, dtype=old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)

    def idf(self, ids: Any) -> Any:
        if self.background is None:
            return np.log((1 + self.documents) / (1 + self.df[ids])) + 1.0
        return np.log((1 + self.documents + self.background_documents)
                      / (1 + self.df[ids] + self.bdf[ids])) + 1.0


def _unit(weights: Any) -> Any:
    norm = float(np.sqrt(np.dot(weights, weights)))
    return weights / norm if norm > 0 else weights


def quantise(vector: Any) -> Any:
    """A unit vector rounded to multiples of ``1 / DENSE_SCALE`` (float32). Dot products of
    two such vectors are exact in float32 whatever the order of summation (every partial sum
    is a multiple of 1/DENSE_SCALE**2 under 2 in size), so any BLAS on any machine gives the
    same candidates."""
    return (np.rint(np.asarray(vector, dtype=np.float64) * DENSE_SCALE) / DENSE_SCALE
            ).astype(np.float32)


@dataclass
class _Terms:
    words: dict[str, int]
    word_ids: Any
    name_ids: Any
    number_ids: Any
    title: tuple[str, ...]


# The blocks of an article's row of keyed weights (``_Features``): a key is a term's id in its
# vocabulary times ``_BLOCKS`` plus its block, so one scratch array holds a query's weights of
# every block, and one pass over the candidates' rows gives every sum. Eight blocks (two
# unused): a power of two, so the block is ``key & 7``.
_NAMES, _WORDS, _NUMBERS, _TITLE, _AGES, _DAYS = range(6)
_BLOCKS = 8
_BLOCK_BITS = 3


@dataclass
class _Features:
    day: int | None
    outlet: int                    # outlet id (-1: none)
    # The row: keys (term id * _BLOCKS + block) and weights: idf of the names, sublinear
    # tf-idf of the words, idf of the numbers and title words (each block of unit length), 1
    # for the ages and named days; block by block, in that order (the names first: the best
    # shared name reads only them).
    keys: Any
    weights: Any
    name_keys: Any                 # the names' keys and rarity (idf scaled to its stream,
    name_rarity: Any               # see ``_Featuriser.vectorise``): for the best shared name
    has: tuple[bool, bool]         # whether the article gives ages, named days
    dense: Any                     # quantised float32 vector of DENSE_DIM, unit length (or 0)


class _Ragged:
    """Rows of varying length (columns of keys and weights) in flat arrays that grow by
    doubling: one article's row each, with no Python object per article."""

    def __init__(self) -> None:
        self.keys = np.zeros(4096, dtype=np.int32)
        self.weights = np.zeros(4096, dtype=np.float64)
        self.offsets = np.zeros(1025, dtype=np.int64)
        self.rows = 0

    def append(self, keys: Any, weights: Any) -> None:
        start = int(self.offsets[self.rows])
        end = start + len(keys)
        if len(keys) and int(keys.max()) > np.iinfo(self.keys.dtype).max:
            self.keys = self.keys.astype(np.int64)    # over 268 million distinct terms
        if end > len(self.keys):
            size = max(2 * len(self.keys), end)
            for name in ("keys", "weights"):
                old = getattr(self, name)
                new = np.zeros(size, dtype=old.dtype)
                new[:start] = old[:start]
                setattr(self, name, new)
        if self.rows + 2 > len(self.offsets):
            grown = np.zeros(2 * len(self.offsets), dtype=np.int64)
            grown[: self.rows + 1] = self.offsets[: self.rows + 1]
            self.offsets = grown
        self.keys[start:end] = keys
        self.weights[start:end] = weights
        self.rows += 1
        self.offsets[self.rows] = end

    def gather(self, slots: Any) -> tuple[Any, Any]:
        """For rows ``slots``: the row number (0 ..) of each of their entries, and the
        entries' positions in the columns."""
        starts = self.offsets[slots]
        lengths = self.offsets[slots + 1] - starts
        rows = np.repeat(np.arange(len(slots)), lengths)
        shift = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        return rows, np.arange(len(rows)) + shift


NO_DAY = -1


class _Table:
    """The stored articles' features, by slot."""

    def __init__(self) -> None:
        self.rows = _Ragged()
        self.day = np.zeros(1024, dtype=np.int64)       # ordinal; NO_DAY when undated
        self.outlet = np.zeros(1024, dtype=np.int64)
        self.names = np.zeros(1024, dtype=np.int64)     # how many names the row starts with
        self.ages = np.zeros(1024, dtype=np.bool_)      # whether it gives ages
        self.days = np.zeros(1024, dtype=np.bool_)      # whether it names days
        self.size = 0

    def append(self, f: _Features) -> None:
        if self.size == len(self.day):
            for name in ("day", "outlet", "names", "ages", "days"):
                old = getattr(self, name)
                new = np.zeros(2 * len(old), dtype=old.dtype)
                new[: len(old)] = old
                setattr(self, name, new)
        self.day[self.size] = NO_DAY if f.day is None else f.day
        self.outlet[self.size] = f.outlet
        self.names[self.size] = len(f.name_keys)
        self.ages[self.size], self.days[self.size] = f.has
        self.size += 1
        self.rows.append(f.keys, f.weights)


class _Featuriser:
    def __init__(self, background: Background | None = None,
                 short_stream: int = SHORT_STREAM) -> None:
        self.short_stream = short_stream
        if background is None:
            self.words, self.numbers = _Vocabulary(), _Vocabulary()
        else:
            self.words = _Vocabulary(background.words, background.documents)
            self.numbers = _Vocabulary(background.numbers, background.documents)
        self.names = _Vocabulary()
        self.outlets: dict[str, int] = {}
        self.ages: dict[int, int] = {}
        # Names the stream gives an age for, while it is short (``_short_stream_names``).
        self.people: set[str] = set()
        self.days: dict[int, int] = {}
        # A query's weights by block and term id (block-major: the terms of a block lie
        # together, the frequent ones first, which keeps the lookups in cache), and its
        # names' idf by name id; zero elsewhere.
        self.width = 1024
        self.scratch = np.zeros(_BLOCKS * self.width, dtype=np.float64)
        self.scratch_idf = np.zeros(self.width, dtype=np.float64)

    def features(self, terms: ArticleTerms) -> _Features:
        """Count the article's terms into the stream's frequencies, then weigh them."""
        return self.vectorise(terms, self.observe(terms))

    def observe(self, terms: ArticleTerms) -> _Terms:
        for vocab in (self.words, self.names, self.numbers):
            vocab.documents += 1
        return _Terms(terms.words, self.words.see(terms.words), self.names.see(terms.names),
                      self.numbers.see(terms.numbers), terms.title)

    def vectorise(self, article: ArticleTerms, terms: _Terms) -> _Features:
        counts = np.fromiter(terms.words.values(), dtype=np.float64, count=len(terms.words))
        word_w = _unit((1.0 + np.log(counts)) * self.words.idf(terms.word_ids))
        name_idf = self.names.idf(terms.name_ids)
        # Each name's rarity: its idf scaled by the largest idf the stream allows.
        name_rarity = name_idf / (math.log(1 + self.names.documents) + 1.0)
        if self.names.documents < self.short_stream:
            self.people.update(article.people)
            if len(name_idf) and self.people:
                name_rarity = self._short_stream_names(article, terms, name_rarity)
        known = self.words.ids
        title_ids = np.asarray(sorted({known[w] for w in terms.title if w in known}),
                               dtype=np.int64)
        dense: Any = np.bincount(self.words.bucket[terms.word_ids],
                                 weights=self.words.sign[terms.word_ids] * word_w,
                                 minlength=DENSE_DIM)
        norm = float(np.linalg.norm(dense))
        if norm > 0:
            dense = dense / norm
        outlet = -1
        if article.outlet:
            outlet = self.outlets.setdefault(article.outlet, len(self.outlets))
        age_ids = np.asarray([self.ages.setdefault(a, len(self.ages)) for a in article.ages],
                             dtype=np.int64)
        day_ids = np.asarray([self.days.setdefault(d, len(self.days))
                              for d in article.event_days], dtype=np.int64)
        needed = max(len(self.words.ids), len(self.names.ids), len(self.numbers.ids),
                     len(self.ages), len(self.days))
        if needed > self.width:
            self.width = max(2 * self.width, needed)
            self.scratch = np.zeros(_BLOCKS * self.width, dtype=np.float64)
            self.scratch_idf = np.zeros(self.width, dtype=np.float64)
        name_keys = terms.name_ids * _BLOCKS + _NAMES
        return _Features(
            day=article.day, outlet=outlet,
            keys=np.concatenate([name_keys, terms.word_ids * _BLOCKS + _WORDS,
                                 terms.number_ids * _BLOCKS + _NUMBERS,
                                 title_ids * _BLOCKS + _TITLE, age_ids * _BLOCKS + _AGES,
                                 day_ids * _BLOCKS + _DAYS]),
            weights=np.concatenate([_unit(name_idf), word_w,
                                    _unit(self.numbers.idf(terms.number_ids)),
                                    _unit(self.words.idf(title_ids)),
                                    np.ones(len(age_ids) + len(day_ids))]),
            name_keys=name_keys, name_rarity=name_rarity,
            has=(bool(len(age_ids)), bool(len(day_ids))), dense=quantise(dense))

    def _short_stream_names(self, article: ArticleTerms, terms: _Terms, rarity: Any) -> Any:
        """In a short stream every name's idf is low (a victim named in all five reports of
        one shooting weighs as little as the town). The rarity of a person's name the stream
        gives an age for (``ArticleTerms.people``: a private person, as news names a public
        figure without one) is that of a name with its document frequency in a stream of
        ``PEOPLE_AS_IF`` articles; a town, a hospital or a street keeps the stream's, so two
        events in one town stay apart. (The names' cosine keeps the stream's weights.)"""
        people = self.people
        person = np.fromiter((name in people for name in article.names), dtype=np.bool_,
                             count=len(article.names))
        if person.any():
            rarity = rarity.copy()
            rarity[person] = (np.log((1 + PEOPLE_AS_IF)
                                     / (1 + self.names.df[terms.name_ids[person]])) + 1.0
                              ) / (math.log(1 + PEOPLE_AS_IF) + 1.0)
        return rarity

    def pair_matrix(self, a: _Features, table: _Table, slots: Any) -> Any:
        """The pair features of ``a`` with each stored article of ``slots`` (an int array):
        one row each, in the order of ``PAIR_FEATURES``; all candidates at once."""
        m = len(slots)
        out = np.zeros((m, len(PAIR_FEATURES)), dtype=np.float64)
        if m == 0:
            return out
        rows, positions = table.rows.gather(slots)
        keys = table.rows.keys[positions]
        blocks = keys & (_BLOCKS - 1)
        scratch = self.scratch
        mine = (a.keys & (_BLOCKS - 1)) * self.width + (a.keys >> _BLOCK_BITS)
        scratch[mine] = a.weights
        # Per candidate and block: the sum of the products of the two articles' weights
        # (cosines of unit blocks; shared ages and days counted), in the stored order.
        products = scratch[blocks * self.width + (keys >> _BLOCK_BITS)]
        sums = np.bincount(rows * _BLOCKS + blocks,
                           weights=products * table.rows.weights[positions],
                           minlength=m * _BLOCKS).reshape(m, _BLOCKS)
        scratch[mine] = 0.0
        out[:, 0] = sums[:, _WORDS]
        out[:, 1] = sums[:, _NAMES]
        out[:, 2] = sums[:, _NUMBERS]
        out[:, 3] = sums[:, _TITLE]
        if len(a.name_keys):
            # The best shared name: the largest rarity of a name both mention (other names
            # gather 0). Names open each row.
            names = table.names[slots]
            filled = names > 0
            if filled.any():
                starts = table.rows.offsets[slots]
                shift = np.repeat(starts - (np.cumsum(names) - names), names)
                name_ids = table.rows.keys[np.arange(len(shift)) + shift] >> _BLOCK_BITS
                self.scratch_idf[a.name_keys >> _BLOCK_BITS] = a.name_rarity
                best = np.zeros(m)
                best[filled] = np.maximum.reduceat(self.scratch_idf[name_ids],
                                                   (np.cumsum(names) - names)[filled])
                self.scratch_idf[a.name_keys >> _BLOCK_BITS] = 0.0
                out[:, 4] = best
        if a.day is not None:
            days = table.day[slots]
            out[:, 5] = np.log1p(np.where(days == NO_DAY, 0, np.abs(days - a.day)))
        if a.outlet >= 0:
            out[:, 6] = table.outlet[slots] == a.outlet
        # 1 when the two share a value, -1 when both give values and share none.
        if a.has[0]:
            out[:, 7] = np.where(table.ages[slots], np.where(sums[:, _AGES] > 0, 1.0, -1.0),
                                 0.0)
        if a.has[1]:
            out[:, 8] = np.where(table.days[slots], np.where(sums[:, _DAYS] > 0, 1.0, -1.0),
                                 0.0)
        return out


_EXPANSION: dict[int, tuple[Any, Any]] = {}


def expand(features: Any) -> Any:
    """The pair model's inputs: the features, then every product of two of them (i <= j)."""
    x = np.atleast_2d(np.asarray(features, dtype=np.float64))
    n = x.shape[1]
    if n not in _EXPANSION:
        _EXPANSION[n] = np.triu_indices(n)
    i, j = _EXPANSION[n]
    return np.hstack([x, x[:, i] * x[:, j]])


def pair_probabilities(features: Any, weights: Sequence[float] = PAIR_WEIGHTS,
                       bias: float = PAIR_BIAS) -> Any:
    """The pair model: for each row of pair features, the probability that the two articles
    report the same event (rounded to ``ROUND`` decimals)."""
    z = expand(features) @ np.asarray(weights, dtype=np.float64) + bias
    return np.round(1.0 / (1.0 + np.exp(-np.clip(z, -50.0, 50.0))), ROUND)


# --- Candidate search ------------------------------------------------------------------------

class _DenseSearch:
    """Nearest stored articles by the dense projection: exact below ``ann_from`` articles,
    HNSW (usearch) from there on."""

    def __init__(self, ann_from: int = ANN_FROM) -> None:
        self.ann_from = ann_from
        # Stored transposed (one row per dimension): a query has only as many nonzero
        # dimensions as words (a few hundred of DENSE_DIM), and the exact search reads only
        # those rows, a fraction of the memory.
        self.columns = np.zeros((DENSE_DIM, 64), dtype=np.float32)
        self.slots = np.zeros(64, dtype=np.int64)
        self.count = 0
        self.index: Any = None

    def add(self, slot: int, vector: Any) -> None:
        count = self.count
        if count == len(self.slots):
            grown = np.zeros(2 * count, dtype=np.int64)
            grown[:count] = self.slots
            self.slots = grown
        self.slots[count] = slot
        self.count += 1
        if self.index is not None:
            self.index.add(count, vector, threads=1)
            return
        if count == self.columns.shape[1]:
            columns = np.zeros((DENSE_DIM, 2 * count), dtype=np.float32)
            columns[:, :count] = self.columns[:, :count]
            self.columns = columns
        self.columns[:, count] = vector
        if count + 1 >= self.ann_from:
            from usearch.index import Index

            self.index = Index(ndim=DENSE_DIM, metric="ip", dtype="f32", connectivity=16,
                               expansion_add=64, expansion_search=64)
            self.index.add(np.arange(count + 1, dtype=np.uint64),
                           np.ascontiguousarray(self.columns[:, : count + 1].T), threads=1)
            # From here on the index holds the vectors.
            self.columns = np.zeros((DENSE_DIM, 0), dtype=np.float32)

    def search(self, vector: Any, k: int, nonzero: Any) -> tuple[Any, Any]:
        """Scores and slots: of every stored article (exact, see ``quantise``; ``nonzero``:
        the dimensions where ``vector`` is not 0), or of HNSW's ``k`` nearest (rounded to 5
        decimals)."""
        count = self.count
        if self.index is None:
            return vector[nonzero] @ self.columns[nonzero, :count], self.slots[:count]
        found = self.index.search(vector, min(k, count), threads=1)
        return (np.round(1.0 - np.asarray(found.distances, dtype=np.float64), 5),
                self.slots[np.asarray(found.keys, dtype=np.int64)])


class _WindowSearch:
    """Candidates from the time window only: one dense search per ``BUCKET_DAYS`` of
    publication dates (undated articles in one of their own, searched always), so the cost of
    a search grows with the stream's density, not its length."""

    def __init__(self, window_days: int, ann_from: int = ANN_FROM) -> None:
        self.window_days, self.ann_from = window_days, ann_from
        self.buckets: dict[int | None, _DenseSearch] = {}

    def add(self, slot: int, day: int | None, vector: Any) -> None:
        key = None if day is None else day // BUCKET_DAYS
        if key not in self.buckets:
            self.buckets[key] = _DenseSearch(self.ann_from)
        self.buckets[key].add(slot, vector)

    def search(self, vector: Any, day: int | None, k: int) -> Any:
        """The ``k`` nearest slots (ties broken on the slot) in the buckets the window of
        ``day`` reaches, nearest first."""
        if day is None:
            keys: list[int | None] = list(self.buckets)
        else:
            keys = [None, *range((day - self.window_days) // BUCKET_DAYS,
                                 (day + self.window_days) // BUCKET_DAYS + 1)]
        nonzero = np.flatnonzero(vector)
        found = [self.buckets[key].search(vector, k, nonzero) for key in keys
                 if key in self.buckets]
        if not found:
            return np.zeros(0, dtype=np.int64)
        scores = np.concatenate([s for s, _ in found]).astype(np.float64)
        slots = np.concatenate([s for _, s in found])
        if len(scores) > k:
            # The k best and any tied with the k-th, then ordered (ties: the earlier slot).
            keep = scores >= np.partition(scores, len(scores) - k)[len(scores) - k]
            scores, slots = scores[keep], slots[keep]
        return slots[np.lexsort((slots, -scores))[:k]]


# --- The clusterer ---------------------------------------------------------------------------

@dataclass
class _Story:
    id: str
    members: list[int] = field(default_factory=list)   # article slots
    fixed: bool = False                                 # holds an article a person placed
    # The sides of a person's separations its articles hold: (separation, side), ``separate``.
    sides: set[tuple[int, int]] = field(default_factory=set)
    first: tuple[str, str] = ("\uffff", "")            # order_key of its first article


@dataclass
class _Mentions:
    """The articles of one story that mention a name: their slots, and their days sorted (for
    the window, by bisection), with whether any is undated."""

    slots: list[int] = field(default_factory=list)
    days: list[int] = field(default_factory=list)
    undated: bool = False

    def add(self, slot: int, day: int) -> None:
        self.slots.append(slot)
        if day == NO_DAY:
            self.undated = True
        else:
            bisect.insort(self.days, day)

    def absorb(self, other: _Mentions) -> None:
        self.slots.extend(other.slots)
        self.days = sorted(self.days + other.days)
        self.undated = self.undated or other.undated

    def near(self, day: int | None, window: int) -> bool:
        """Whether an article of these is within ``window`` days of ``day`` (or undated)."""
        if day is None or self.undated:
            return bool(self.slots)
        at = bisect.bisect_left(self.days, day - window)
        return at < len(self.days) and self.days[at] <= day + window


class StoryClusterer:
    """Incremental: each added article joins an existing story or starts one; stories that
    turn out to be one are merged."""

    def __init__(self, *, join: float = JOIN, merge: float = MERGE,
                 weights: Sequence[float] = PAIR_WEIGHTS, bias: float = PAIR_BIAS,
                 ann_from: int = ANN_FROM, candidates: int = CANDIDATES,
                 window_days: int = WINDOW_DAYS,
                 background: Background | None = None,
                 short_stream: int = SHORT_STREAM) -> None:
        self.join, self.merge = join, merge
        self.weights, self.bias = tuple(weights), bias
        self.candidates, self.window_days = candidates, window_days
        # background: document frequencies of earlier news added to the stream's (see
        # ``Background``); None, the default: the stream's alone (docs/stories.md,
        # "Background": the pair model was fitted with one, and runs better without it on
        # news unlike GVA's).
        # short_stream: see SHORT_STREAM (0: the stream's weights from the first article on,
        # as the pair model's training pairs are found: benchmarks/stories.py).
        self._featuriser = _Featuriser(background, short_stream)
        self._search = _WindowSearch(window_days, ann_from)
        self._table = _Table()
        self._articles: list[StreamArticle] = []
        self._slot: dict[str, int] = {}          # article id -> slot
        self._story_of: list[str] = []           # slot -> story id (after merges: see _find)
        self._stories: dict[str, _Story] = {}
        # Names the stream has given an age for (``_people_links``).
        self._people: set[str] = set()
        # name -> the story its mentions were in when stored -> the mentions (re-keyed when
        # read after a merge): a look-up of the few stories a person is named in, not a scan
        # of every article naming them (quadratic in a story's size).
        self._named: dict[str, dict[str, _Mentions]] = {}

    def __len__(self) -> int:
        return len(self._articles)

    def add(self, article: StreamArticle, *, story: str | None = None,
            fixed: bool = False) -> str:
        """Add an article; return the id of the story it is in after adding.

        With ``story``, the article is placed in that story (created if new), as when seeding
        from the library; ``fixed=True`` marks a person's decision, which automatic merges
        never undo. An id already added is kept once: its story is returned.
        """
        if article.id in self._slot:
            return self.story_of(article.id)
        return self._add(article, extract_terms(article), story, fixed)

    def extend(self, articles: Iterable[StreamArticle], *, workers: int = 1) -> list[str]:
        """Add articles in the order given (as :meth:`add` does, one by one); the id of the
        story of each. With ``workers`` > 1, that many worker processes extract the articles'
        terms ahead of the clustering (the same stories, sooner on several cores)."""
        items = [a for a in articles]
        return [self.story_of(article.id) if article.id in self._slot
                else self._add(article, terms, None, False)
                for article, terms in zip(items, extract_all(items, workers), strict=True)]

    def _add(self, article: StreamArticle, terms: ArticleTerms, story: str | None,
             fixed: bool) -> str:
        features = self._featuriser.features(terms)
        # Links decide where an article goes only when no story is given (seeding from the
        # library gives one): scoring them there would cost most of a large library's seeding.
        links = self._links(features) if story is None else []
        slot = self._store(article, features)
        if story is not None:
            target = self._stories.get(story) or self._new_story(story)
        elif links and links[0][0] >= self.join:
            target = self._stories[links[0][1]]
        else:
            target = self._new_story(story_id(article.id))
        target.members.append(slot)
        target.first = min(target.first, order_key(article))
        target.fixed = target.fixed or fixed
        self._story_of.append(target.id)
        # Other stories this article links to as strongly are one story with it.
        if story is None:
            for probability, other in links:
                if probability < self.merge:
                    break
                target = self._merge(target, self._stories.get(other))
        self._people.update(terms.people)
        named = [name for name in terms.names if " " in name]
        if story is None:
            for other in self._people_links(named, features.day, target.id, links):
                target = self._merge(target, self._stories.get(other))
        day = NO_DAY if features.day is None else features.day
        for name in named:
            mentions = self._named.setdefault(name, {})
            entry = mentions.get(target.id)
            if entry is not None and self._story_of[entry.slots[0]] != target.id:
                # (a story id given again after its story was merged away: the entry stored
                # under it belongs to the story it went to)
                self._rekey(mentions, target.id)
                entry = mentions.get(target.id)
            if entry is None:
                entry = mentions[target.id] = _Mentions()
            entry.add(slot, day)
        return target.id

    def _rekey(self, mentions: dict[str, _Mentions], stored: str) -> str:
        """Move the entry stored under ``stored`` to the story its articles are in now
        (merged with any entry there); return that story's id."""
        entry = mentions.pop(stored)
        now = self._story_of[entry.slots[0]]
        if now in mentions:
            mentions[now].absorb(entry)
        else:
            mentions[now] = entry
        return now

    def _people_links(self, named: list[str], day: int | None, own: str,
                      links: list[tuple[float, str]]) -> list[str]:
        """The stories (other than ``own``) that share a person's name with the article:
        a name of two words or more (``named``) that some article of the stream has given
        an age for (a victim's, a suspect's: a follow-up names the suspect its story's first
        report named), mentioned by articles of at most ``PEOPLE_STORIES`` stories so far (a
        private person's, not a town's), by an article within the window; each only when the
        article's best pair probability with it is at least ``PEOPLE_LINK`` (the pair model
        saw some resemblance besides the name). The likeliest first (the order in which
        they are merged: of two stories a person kept apart, the likelier gets the article),
        ties by the story's first article."""
        best = {sid: probability for probability, sid in links}
        found: set[str] = set()
        for name in named:
            mentions = self._named.get(name)
            if not mentions or name not in self._people:
                continue
            # The stories naming it now: each entry re-keyed to the story its articles are
            # in after merges (a story's articles are merged together, never apart), stopping
            # as soon as there are too many to be a private person's.
            holding: set[str] = set()
            for stored in list(mentions):
                holding.add(self._rekey(mentions, stored))
                if len(holding) > PEOPLE_STORIES:
                    break
            if len(holding) > PEOPLE_STORIES:
                continue
            for other in holding:
                if (other != own and best.get(other, 0.0) >= PEOPLE_LINK
                        and mentions[other].near(day, self.window_days)):
                    found.add(other)
        return sorted(found, key=lambda sid: (-best[sid], self._first_key(sid)))

    def _new_story(self, sid: str) -> _Story:
        made = self._stories[sid] = _Story(sid)
        return made

    def _links(self, features: _Features) -> list[tuple[float, str]]:
        """(best pair probability, story id) for each story a candidate is in, best first."""
        best: dict[str, float] = {}
        slots, pairs = self._candidates(features)
        if len(slots):
            story_of = self._story_of
            for slot, probability in zip(slots.tolist(), pair_probabilities(
                    pairs, self.weights, self.bias).tolist(), strict=True):
                sid = story_of[slot]
                if probability > best.get(sid, -1.0):
                    best[sid] = probability
        return sorted(((p, s) for s, p in best.items()),
                      key=lambda item: (-item[0], self._first_key(item[1])))

    def _candidates(self, features: _Features) -> tuple[Any, Any]:
        """The stored articles worth scoring against a new one (slots, nearest first), and
        the pair features."""
        day = features.day
        slots = self._search.search(features.dense, day, self.candidates)
        if day is not None and len(slots):
            other = self._table.day[slots]
            slots = slots[(other == NO_DAY) | (np.abs(other - day) <= self.window_days)]
        pairs = self._featuriser.pair_matrix(features, self._table, slots)
        keep = pairs[:, 0] >= MIN_TEXT_COSINE
        return slots[keep], pairs[keep]

    def candidate_pairs(self, article: StreamArticle) -> list[tuple[str, tuple[float, ...]]]:
        """Add an article as a story of its own and return its candidates: (id of the earlier
        article, pair features). For fitting the pair model (benchmarks/stories.py)."""
        if article.id in self._slot:
            return []
        features = self._featuriser.features(extract_terms(article))
        slots, pairs = self._candidates(features)
        found = [(self._articles[slot].id, tuple(float(x) for x in row))
                 for slot, row in zip(slots.tolist(), pairs, strict=True)]
        slot = self._store(article, features)
        made = self._new_story(story_id(article.id))
        made.members.append(slot)
        made.first = order_key(article)
        self._story_of.append(story_id(article.id))
        return found

    def _store(self, article: StreamArticle, features: _Features) -> int:
        slot = len(self._articles)
        self._articles.append(article)
        self._slot[article.id] = slot
        self._table.append(features)
        self._search.add(slot, features.day, features.dense)
        return slot

    def _first_key(self, sid: str) -> tuple[str, str]:
        return self._stories[sid].first

    def separate(self, separation: int, article: str, side: int) -> None:
        """The article ``article`` is on side ``side`` (0 or 1) of a person's separation
        ``separation`` (a move, when seeding from the library): never merge a story holding
        one side of a separation with one holding its other side, whatever either is merged
        with meanwhile; an id never added is ignored."""
        if article in self._slot:
            self._stories[self._story_of[self._slot[article]]].sides.add((separation, side))

    def _merge(self, keep: _Story, other: _Story | None) -> _Story:
        # Two stories a person placed articles in, or holding the two sides of one of a
        # person's separations, stay apart.
        if (other is None or other is keep or (keep.fixed and other.fixed)
                or any((separation, 1 - side) in other.sides
                       for separation, side in keep.sides)):
            return keep
        # The story that began earlier keeps its id.
        if self._first_key(other.id) < self._first_key(keep.id):
            keep, other = other, keep
        keep.members.extend(other.members)
        keep.first = min(keep.first, other.first)
        keep.fixed = keep.fixed or other.fixed
        keep.sides |= other.sides
        for slot in other.members:
            self._story_of[slot] = keep.id
        del self._stories[other.id]
        return keep

    def story_of(self, article_id: str) -> str:
        """The id of the story the article with this id is in (KeyError when never added)."""
        return self._story_of[self._slot[article_id]]

    def stories(self) -> list[StoryGroup]:
        """The stories, sorted by (first_seen, id)."""
        groups = [self._group(story) for story in self._stories.values()]
        return sorted(groups, key=lambda g: (g.first_seen or "", g.id))

    def _group(self, story: _Story) -> StoryGroup:
        articles = sorted((self._articles[s] for s in story.members), key=order_key)
        dates = [a.published for a in articles if a.published]
        title = next((a.title.strip() for a in articles if a.title and a.title.strip()), "")
        if not title:
            text = next((a.text.strip() for a in articles if a.text and a.text.strip()), "")
            title = " ".join(text.split()[:12]) or articles[0].id
        return StoryGroup(id=story.id, title=title, first_seen=min(dates, default=None),
                          last_seen=max(dates, default=None),
                          outlets=sorted({a.source for a in articles if a.source}),
                          articles=articles)


def cluster(articles: Iterable[StreamArticle], *, workers: int = 1, **options: Any
            ) -> list[StoryGroup]:
    """Cluster articles into stories, whatever their order: they are sorted by (published, id)
    and streamed through a :class:`StoryClusterer` (``options`` are its own); an id given
    twice is kept once. ``workers`` > 1: that many processes extract the articles' terms
    (:meth:`StoryClusterer.extend`), the same stories sooner."""
    clusterer = StoryClusterer(**options)
    clusterer.extend(sorted({a.id: a for a in reversed(list(articles))}.values(),
                            key=order_key), workers=workers)
    return clusterer.stories()


def stand_apart(articles: Sequence[StreamArticle]) -> list[str]:
    """For a hand-made group given to ``analyze``: ids of the articles that do not look like
    the same story as the rest, sorted; empty when they all belong together or there are
    fewer than two.

    Every pair of the group is scored by the pair model; groups of articles are merged,
    closest first, while the mean probability over the pairs between two groups reaches
    ``STAND_APART_LINK`` (average linkage: one chance resemblance does not tie two stories
    together, and a story whose reports differ stays whole). The articles outside the
    largest group (ties broken on the smallest article id) stand apart.
    """
    unique = sorted({a.id: a for a in articles}.values(), key=order_key)
    n = len(unique)
    if n < 2:
        return []
    featuriser = _Featuriser()
    # Document frequencies over the whole group first, so that every pair is weighed alike.
    extracted = [extract_terms(a) for a in unique]
    if n < SHORT_STREAM:
        # The people the group gives ages for, known to every pair of it.
        featuriser.people.update(p for a in extracted for p in a.people)
    terms = [featuriser.observe(a) for a in extracted]
    features = [featuriser.vectorise(a, t) for a, t in zip(extracted, terms, strict=True)]
    table = _Table()
    for f in features:
        table.append(f)
    probability = np.zeros((n, n))
    for i in range(1, n):
        pairs = featuriser.pair_matrix(features[i], table, np.arange(i))
        # As in the stream: a pair with almost no words in common is never linked.
        probability[i, :i] = np.where(pairs[:, 0] >= MIN_TEXT_COSINE,
                                      pair_probabilities(pairs), 0.0)
    probability += probability.T
    groups = [[i] for i in range(n)]
    while len(groups) > 1:
        best: tuple[float, int, int] | None = None
        for x in range(len(groups)):
            for y in range(x + 1, len(groups)):
                mean = round(float(probability[np.ix_(groups[x], groups[y])].mean()), ROUND)
                if best is None or mean > best[0]:
                    best = (mean, x, y)
        if best is None or best[0] < STAND_APART_LINK:
            break
        _, x, y = best
        groups[x] = sorted(groups[x] + groups[y])
        del groups[y]
    largest = min(groups, key=lambda g: (-len(g), min(unique[i].id for i in g)))
    keep = set(largest)
    return sorted(unique[i].id for i in range(n) if i not in keep)


__all__ = ["ArticleTerms", "Background", "StoryClusterer", "StoryGroup", "StreamArticle",
           "cluster", "extract_all", "extract_terms", "order_key", "pair_probabilities",
           "stand_apart", "story_id"]


