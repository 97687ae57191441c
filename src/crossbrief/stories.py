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

Deterministic: scores are rounded before they are compared and ties are broken on ids, so the
same stream gives the same stories on any machine; :func:`cluster` sorts its input, so any
order of the same articles gives the same stories.
"""

from __future__ import annotations

import datetime
import json
import math
import re
import zlib
from collections.abc import Iterable, Sequence
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
# ``python benchmarks/stories.py --fit``).
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
#: From this many stored articles in one time bucket on, candidates come from an HNSW index
#: there, not exact search.
ANN_FROM = 20_000
#: The dense search keeps one index per this many days of publication dates.
BUCKET_DAYS = 180
#: ``stand_apart`` links two articles of a hand-made group at this pair probability or more:
#: lower than ``JOIN`` because the person who made the group said they belong together.
STAND_APART_LINK = 0.001
#: Only the first this many characters of the text are read (the lead carries the event;
#: the tail of a crawled page is often links and boilerplate).
TEXT_CHARS = 2_000
#: At most this many named days are kept per article.
MAX_DAYS = 12
#: Scores are rounded to this many decimals before they are compared (no float-noise ties).
ROUND = 6

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NAME_WORD = r"(?:[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)*|[A-Z]\.)"
_NAME = re.compile(rf"\b{_NAME_WORD}(?:\s+{_NAME_WORD})*")
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")
# Ages: "a 24-year-old man", "Marcus Tillery, 24,".
_AGE = re.compile(r"\b(\d{1,3})[- ]years?[- ]old\b|(?<=[a-z]), (\d{1,2}),")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(_MONTHS)}
# Days the text names: a weekday (the last one on or before publication) or a month and day.
_DAY_MENTION = re.compile(
    r"\b(?:(" + "|".join(_WEEKDAYS) + r")|(" + "|".join(m[:3] for m in _MONTHS)
    + r")[a-z]*\.? (\d{1,2})(?:st|nd|rd|th)?(?:,? (\d{4}))?)\b", re.I)
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

@dataclass
class _Features:
    day: int | None
    outlet: str
    # (term ids, weights) arrays: sublinear tf-idf of the words, idf of the names, numbers and
    # title words; each of unit length.
    words: tuple[Any, Any]
    names: tuple[Any, Any]
    name_idf: Any                  # the names' idf, not normalised: for the best shared name
    numbers: tuple[Any, Any]
    title: tuple[Any, Any]
    dense: Any                     # float32 vector of DENSE_DIM, unit length (or zero)
    ages: frozenset[int]
    event_days: frozenset[int]     # days the text names (ordinals), resolved on publication


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
    for match in _DAY_MENTION.finditer(text):
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


def _counts(items: Iterable[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for item in items:
        found[item] = found.get(item, 0) + 1
    return found


def article_terms(article: StreamArticle) -> tuple[dict[str, int], dict[str, int],
                                                    dict[str, int], dict[str, int]]:
    """Words, capitalised names, numbers and title words of an article, with their counts."""
    title = article.title or ""
    text = (article.text or "")[:TEXT_CHARS]
    body = f"{title}\n{text}"
    words = _counts(w for w in _WORD.findall(body.lower()) if w not in _STOP and len(w) > 1)
    names: list[str] = []
    for match in _NAME.finditer(body):
        parts = [p for p in match.group().split()
                 if p.lower().strip(".") not in _NAME_STOP and p.lower() not in _STOP]
        if not parts:
            continue
        if len(parts) > 1:
            names.append(" ".join(parts).lower())
        names.extend(p.lower() for p in parts if len(p) > 2)
    numbers = [n.replace(",", "") for n in _NUMBER.findall(body)]
    title_words = _counts(w for w in _WORD.findall(title.lower()) if w not in _STOP)
    return words, _counts(names), _counts(numbers), title_words


class _Vocabulary:
    """Term ids, document frequencies and stable hash buckets, counted over the stream."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.df = np.zeros(1024, dtype=np.int64)
        self.bucket = np.zeros(1024, dtype=np.int64)
        self.sign = np.zeros(1024, dtype=np.float64)
        self.documents = 0
        # Scratch space for pair products: the query article's weights by term id.
        self.scratch = np.zeros(1024, dtype=np.float64)

    def see(self, terms: Iterable[str]) -> Any:
        """Count one document's distinct terms; their ids, as an array."""
        ids = self.ids
        out = []
        for term in terms:
            index = ids.get(term)
            if index is None:
                index = ids[term] = len(ids)
                if index == len(self.df):
                    self._grow()
                crc = zlib.crc32(term.encode("utf-8"))
                self.bucket[index] = crc % DENSE_DIM
                self.sign[index] = 1.0 if crc & 0x80000000 else -1.0
            out.append(index)
        found = np.asarray(out, dtype=np.int64)
        self.df[found] += 1
        return found

    def _grow(self) -> None:
        size = 2 * len(self.df)
        for name in ("df", "bucket", "sign", "scratch"):
            old = getattr(self, name)
            new = np.zeros(size, dtype=old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)

    def idf(self, ids: Any) -> Any:
        return np.log((1 + self.documents) / (1 + self.df[ids])) + 1.0


def _unit(weights: Any) -> Any:
    norm = float(np.sqrt(np.dot(weights, weights)))
    return weights / norm if norm > 0 else weights


@dataclass
class _Terms:
    words: dict[str, int]
    word_ids: Any
    name_ids: Any
    number_ids: Any
    title: dict[str, int]


class _Featuriser:
    def __init__(self) -> None:
        self.words = _Vocabulary()
        self.names = _Vocabulary()
        self.numbers = _Vocabulary()

    def features(self, article: StreamArticle) -> _Features:
        """Count the article's terms into the stream's frequencies, then weigh them."""
        return self.vectorise(article, self.observe(article))

    def observe(self, article: StreamArticle) -> _Terms:
        words, names, numbers, title = article_terms(article)
        for vocab in (self.words, self.names, self.numbers):
            vocab.documents += 1
        return _Terms(words, self.words.see(words), self.names.see(names),
                      self.numbers.see(numbers), title)

    def vectorise(self, article: StreamArticle, terms: _Terms) -> _Features:
        counts = np.fromiter(terms.words.values(), dtype=np.float64, count=len(terms.words))
        word_w = _unit((1.0 + np.log(counts)) * self.words.idf(terms.word_ids))
        name_idf = self.names.idf(terms.name_ids)
        title_ids = np.asarray(sorted({self.words.ids[w] for w in terms.title
                                       if w in self.words.ids}), dtype=np.int64)
        dense = np.bincount(self.words.bucket[terms.word_ids],
                            weights=self.words.sign[terms.word_ids] * word_w,
                            minlength=DENSE_DIM).astype(np.float32)
        norm = float(np.linalg.norm(dense))
        if norm > 0:
            dense /= norm
        day = _day(article.published)
        text = (article.text or "")[:TEXT_CHARS]
        ages = frozenset(int(a or b) for a, b in _AGE.findall(text))
        return _Features(
            day=day, outlet=(article.source or "").lower(),
            words=(terms.word_ids, word_w), names=(terms.name_ids, _unit(name_idf)),
            name_idf=name_idf, numbers=(terms.number_ids,
                                        _unit(self.numbers.idf(terms.number_ids))),
            title=(title_ids, _unit(self.words.idf(title_ids))), dense=dense, ages=ages,
            event_days=mentioned_days(text, day))

    def pair_matrix(self, a: _Features, others: Sequence[_Features]) -> Any:
        """The pair features of ``a`` with each of ``others``: one row each, in the order of
        ``PAIR_FEATURES``."""
        m = len(others)
        out = np.zeros((m, len(PAIR_FEATURES)), dtype=np.float64)
        if m == 0:
            return out
        for column, vocab, name in ((0, self.words, "words"), (2, self.numbers, "numbers"),
                                    (3, self.words, "title")):
            ids, weights = getattr(a, name)
            out[:, column] = _products(vocab, ids, weights,
                                       [getattr(o, name) for o in others])
        ids, weights = a.names
        lengths = np.fromiter((len(o.names[0]) for o in others), dtype=np.int64, count=m)
        if len(ids) and lengths.sum():
            scratch = self.names.scratch
            all_ids = np.concatenate([o.names[0] for o in others])
            rows = np.repeat(np.arange(m), lengths)
            scratch[ids] = weights
            out[:, 1] = np.bincount(rows, weights=scratch[all_ids] * np.concatenate(
                [o.names[1] for o in others]), minlength=m)
            # The best shared name: the rarest name both mention, its idf scaled to the
            # stream (names not shared gather 0).
            scratch[ids] = a.name_idf
            starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
            filled = lengths > 0
            best = np.zeros(m)
            best[filled] = np.maximum.reduceat(scratch[all_ids], starts[filled])
            out[:, 4] = best / (math.log(1 + self.names.documents) + 1.0)
            scratch[ids] = 0.0
        for row, other in enumerate(others):
            gap = abs(a.day - other.day) if a.day is not None and other.day is not None else 0
            out[row, 5] = math.log1p(gap)
            out[row, 6] = 1.0 if a.outlet and a.outlet == other.outlet else 0.0
            out[row, 7] = _agreement(a.ages, other.ages)
            out[row, 8] = _agreement(a.event_days, other.event_days)
        return out


def _products(vocab: _Vocabulary, ids: Any, weights: Any, others: Sequence[tuple[Any, Any]]
              ) -> Any:
    """For each of ``others`` (ids, weights): the sum over shared ids of the products of the
    two weights."""
    if not len(ids):
        return np.zeros(len(others))
    scratch = vocab.scratch
    scratch[ids] = weights
    lengths = [len(o[0]) for o in others]
    result: Any
    if sum(lengths):
        all_ids = np.concatenate([o[0] for o in others])
        products = scratch[all_ids] * np.concatenate([o[1] for o in others])
        rows = np.repeat(np.arange(len(others)), lengths)
        result = np.bincount(rows, weights=products, minlength=len(others))
    else:
        result = np.zeros(len(others))
    scratch[ids] = 0.0
    return result


def _agreement(a: frozenset[int], b: frozenset[int]) -> float:
    """1 when the two share a value, -1 when both have values and share none, else 0."""
    if not a or not b:
        return 0.0
    return 1.0 if a & b else -1.0


def expand(features: Any) -> Any:
    """The pair model's inputs: the features, then every product of two of them (i <= j)."""
    x = np.atleast_2d(np.asarray(features, dtype=np.float64))
    n = x.shape[1]
    i, j = np.triu_indices(n)
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
        self.vectors = np.zeros((64, DENSE_DIM), dtype=np.float32)
        self.slots: list[int] = []
        self.index: Any = None

    def add(self, slot: int, vector: Any) -> None:
        count = len(self.slots)
        self.slots.append(slot)
        if self.index is not None:
            self.index.add(count, vector, threads=1)
            return
        if count == len(self.vectors):
            grown = np.zeros((2 * count, DENSE_DIM), dtype=np.float32)
            grown[:count] = self.vectors[:count]
            self.vectors = grown
        self.vectors[count] = vector
        if count + 1 >= self.ann_from:
            from usearch.index import Index

            self.index = Index(ndim=DENSE_DIM, metric="ip", dtype="f32", connectivity=16,
                               expansion_add=64, expansion_search=64)
            self.index.add(np.arange(count + 1, dtype=np.uint64), self.vectors[: count + 1],
                           threads=1)
            # From here on the index holds the vectors.
            self.vectors = np.zeros((0, DENSE_DIM), dtype=np.float32)

    def search(self, vector: Any, k: int) -> list[tuple[float, int]]:
        """Up to ``k`` (score, slot) pairs, scores rounded to 5 decimals."""
        count = len(self.slots)
        if count == 0:
            return []
        if self.index is None:
            # einsum rather than BLAS: one thread, a fixed order of summation, and no
            # contention with other processes' threads.
            scores = np.round(np.einsum("ij,j->i", self.vectors[:count], vector), 5)
            if count > k:
                kth = np.partition(-scores, k - 1)[k - 1]
                top = np.flatnonzero(-scores <= kth)
            else:
                top = np.arange(count)
            return [(float(scores[i]), self.slots[i]) for i in top]
        found = self.index.search(vector, min(k, count), threads=1)
        return [(round(1.0 - float(d), 5), self.slots[int(key)])
                for key, d in zip(found.keys, found.distances, strict=True)]


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

    def search(self, vector: Any, day: int | None, k: int) -> list[int]:
        """The ``k`` nearest slots (ties broken on the slot) in the buckets the window of
        ``day`` reaches."""
        if day is None:
            keys: list[int | None] = list(self.buckets)
        else:
            keys = [None, *range((day - self.window_days) // BUCKET_DAYS,
                                 (day + self.window_days) // BUCKET_DAYS + 1)]
        found: list[tuple[float, int]] = []
        for key in keys:
            bucket = self.buckets.get(key)
            if bucket is not None:
                found.extend(bucket.search(vector, k))
        found.sort(key=lambda item: (-item[0], item[1]))
        return [slot for _, slot in found[:k]]


# --- The clusterer ---------------------------------------------------------------------------

@dataclass
class _Story:
    id: str
    members: list[int] = field(default_factory=list)   # article slots
    fixed: bool = False                                 # holds an article a person placed
    first: tuple[str, str] = ("\uffff", "")            # order_key of its first article


class StoryClusterer:
    """Incremental: each added article joins an existing story or starts one; stories that
    turn out to be one are merged."""

    def __init__(self, *, join: float = JOIN, merge: float = MERGE,
                 weights: Sequence[float] = PAIR_WEIGHTS, bias: float = PAIR_BIAS,
                 ann_from: int = ANN_FROM, candidates: int = CANDIDATES,
                 window_days: int = WINDOW_DAYS) -> None:
        self.join, self.merge = join, merge
        self.weights, self.bias = tuple(weights), bias
        self.candidates, self.window_days = candidates, window_days
        self._featuriser = _Featuriser()
        self._search = _WindowSearch(window_days, ann_from)
        self._articles: list[StreamArticle] = []
        self._features: list[_Features] = []
        self._slot: dict[str, int] = {}          # article id -> slot
        self._story_of: list[str] = []           # slot -> story id (after merges: see _find)
        self._stories: dict[str, _Story] = {}

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
        features = self._featuriser.features(article)
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
        return target.id

    def _new_story(self, sid: str) -> _Story:
        made = self._stories[sid] = _Story(sid)
        return made

    def _links(self, features: _Features) -> list[tuple[float, str]]:
        """(best pair probability, story id) for each story a candidate is in, best first."""
        best: dict[str, float] = {}
        slots, pairs = self._candidates(features)
        if slots:
            for slot, probability in zip(slots, pair_probabilities(pairs, self.weights,
                                                                   self.bias), strict=True):
                sid = self._story_of[slot]
                if probability > best.get(sid, -1.0):
                    best[sid] = float(probability)
        return sorted(((p, s) for s, p in best.items()),
                      key=lambda item: (-item[0], self._first_key(item[1])))

    def _candidates(self, features: _Features) -> tuple[list[int], Any]:
        """The stored articles worth scoring against a new one, and the pair features."""
        day = features.day
        slots = []
        for slot in self._search.search(features.dense, day, self.candidates):
            other = self._features[slot].day
            if day is None or other is None or abs(day - other) <= self.window_days:
                slots.append(slot)
        pairs = self._featuriser.pair_matrix(features, [self._features[s] for s in slots])
        keep = pairs[:, 0] >= MIN_TEXT_COSINE
        return [s for s, k in zip(slots, keep, strict=True) if k], pairs[keep]

    def candidate_pairs(self, article: StreamArticle) -> list[tuple[str, tuple[float, ...]]]:
        """Add an article as a story of its own and return its candidates: (id of the earlier
        article, pair features). For fitting the pair model (benchmarks/stories.py)."""
        if article.id in self._slot:
            return []
        features = self._featuriser.features(article)
        slots, pairs = self._candidates(features)
        found = [(self._articles[slot].id, tuple(float(x) for x in row))
                 for slot, row in zip(slots, pairs, strict=True)]
        slot = self._store(article, features)
        made = self._new_story(story_id(article.id))
        made.members.append(slot)
        made.first = order_key(article)
        self._story_of.append(story_id(article.id))
        return found

    def _store(self, article: StreamArticle, features: _Features) -> int:
        slot = len(self._articles)
        self._articles.append(article)
        self._features.append(features)
        self._slot[article.id] = slot
        self._search.add(slot, features.day, features.dense)
        features.dense = None   # the search keeps its own copy; one is enough at scale
        return slot

    def _first_key(self, sid: str) -> tuple[str, str]:
        return self._stories[sid].first

    def _merge(self, keep: _Story, other: _Story | None) -> _Story:
        if other is None or other is keep or (keep.fixed and other.fixed):
            return keep
        # The story that began earlier keeps its id.
        if self._first_key(other.id) < self._first_key(keep.id):
            keep, other = other, keep
        keep.members.extend(other.members)
        keep.first = min(keep.first, other.first)
        keep.fixed = keep.fixed or other.fixed
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


def cluster(articles: Iterable[StreamArticle], **options: Any) -> list[StoryGroup]:
    """Cluster articles into stories, whatever their order: they are sorted by (published, id)
    and streamed through a :class:`StoryClusterer`; an id given twice is kept once."""
    clusterer = StoryClusterer(**options)
    for article in sorted({a.id: a for a in reversed(list(articles))}.values(), key=order_key):
        clusterer.add(article)
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
    terms = [featuriser.observe(a) for a in unique]
    features = [featuriser.vectorise(a, t) for a, t in zip(unique, terms, strict=True)]
    probability = np.zeros((n, n))
    for i in range(1, n):
        pairs = featuriser.pair_matrix(features[i], features[:i])
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


__all__ = ["StoryClusterer", "StoryGroup", "StreamArticle", "cluster", "order_key",
           "pair_probabilities", "stand_apart", "story_id"]


