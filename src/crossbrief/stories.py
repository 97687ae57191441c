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
import math
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from .model import content_hash

if TYPE_CHECKING:
    from .model import Article

# --- Tuned constants (provenance: docs/stories.md, "Constants") -------------------------------

#: The logistic pair model: weights of the pair features (``PAIR_FEATURES``) and its bias.
PAIR_FEATURES = ("text", "names", "numbers", "title", "best_name", "log_gap", "same_outlet")
PAIR_WEIGHTS = (9.0, 4.0, 1.5, 1.5, 1.0, -0.5, -0.5)
PAIR_BIAS = -4.5
#: An article joins the story of its best-scoring candidate at this pair probability or more.
JOIN = 0.5
#: Another story the article links to at this probability or more is merged into that story.
MERGE = 0.8
#: Candidates: the dense search returns this many nearest earlier articles.
CANDIDATES = 30
#: Candidates further apart in publication date than this are never linked.
WINDOW_DAYS = 180
#: Pairs whose word cosine is under this are not scored (they never reach ``JOIN``).
MIN_TEXT_COSINE = 0.05
#: Width of the hashed dense projection of the word vector used to find candidates.
DENSE_DIM = 256
#: From this many stored articles on, candidates come from the HNSW index, not exact search.
ANN_FROM = 20_000
#: ``stand_apart`` links two articles of a hand-made group at this pair probability or more:
#: lower than ``JOIN`` because the person who made the group said they belong together.
STAND_APART_LINK = 0.05
#: Scores are rounded to this many decimals before they are compared (no float-noise ties).
ROUND = 6

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_NAME_WORD = r"(?:[A-Z][a-z]+(?:['’-][A-Z]?[a-z]+)*|[A-Z]\.)"
_NAME = re.compile(rf"\b{_NAME_WORD}(?:\s+{_NAME_WORD})*")
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")
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
    words: dict[int, float]        # term id -> sublinear tf-idf, unit length
    names: dict[int, float]        # name id -> idf, unit length
    name_idf: dict[int, float]     # name id -> idf (raw), for the best shared name
    numbers: dict[int, float]
    title: dict[int, float]
    dense: Any                     # float32 vector of DENSE_DIM, unit length (or zero)


def _day(published: str | None) -> int | None:
    if not published:
        return None
    try:
        return datetime.date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


def _counts(items: Iterable[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for item in items:
        found[item] = found.get(item, 0) + 1
    return found


def article_terms(article: StreamArticle) -> tuple[dict[str, int], dict[str, int],
                                                    dict[str, int], dict[str, int]]:
    """Words, capitalised names, numbers and title words of an article, with their counts."""
    title = article.title or ""
    text = article.text or ""
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
        self.df: list[int] = []
        self.bucket: list[int] = []
        self.sign: list[float] = []
        self.documents = 0

    def see(self, terms: Iterable[str]) -> list[int]:
        out = []
        for term in terms:
            index = self.ids.get(term)
            if index is None:
                index = self.ids[term] = len(self.df)
                self.df.append(0)
                crc = zlib.crc32(term.encode("utf-8"))
                self.bucket.append(crc % DENSE_DIM)
                self.sign.append(1.0 if crc & 0x80000000 else -1.0)
            self.df[index] += 1
            out.append(index)
        return out

    def idf(self, index: int) -> float:
        return math.log((1 + self.documents) / (1 + self.df[index])) + 1.0


def _unit(weights: dict[int, float]) -> dict[int, float]:
    norm = math.sqrt(sum(w * w for w in weights.values()))
    if norm == 0:
        return {}
    return {k: w / norm for k, w in weights.items()}


def _dot(a: dict[int, float], b: dict[int, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[k] for k, w in a.items() if k in b)


@dataclass
class _Terms:
    words: dict[str, int]
    word_ids: list[int]
    name_ids: list[int]
    number_ids: list[int]
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
        words, word_ids, name_ids, number_ids, title = (
            terms.words, terms.word_ids, terms.name_ids, terms.number_ids, terms.title)
        word_w = {i: (1.0 + math.log(c)) * self.words.idf(i)
                  for i, c in zip(word_ids, words.values(), strict=True)}
        name_idf = {i: self.names.idf(i) for i in name_ids}
        number_w = {i: self.numbers.idf(i) for i in number_ids}
        title_w = {self.words.ids[w]: self.words.idf(self.words.ids[w])
                   for w in title if w in self.words.ids}
        unit_words = _unit(word_w)
        dense = np.zeros(DENSE_DIM, dtype=np.float32)
        for i, w in unit_words.items():
            dense[self.words.bucket[i]] += self.words.sign[i] * w
        norm = float(np.linalg.norm(dense))
        if norm > 0:
            dense /= norm
        return _Features(day=_day(article.published), outlet=(article.source or "").lower(),
                         words=unit_words, names=_unit(name_idf), name_idf=name_idf,
                         numbers=_unit(number_w), title=_unit(title_w), dense=dense)


def pair_features(a: _Features, b: _Features, documents: int) -> tuple[float, ...]:
    """The pair features, in the order of ``PAIR_FEATURES``."""
    shared = [a.name_idf[k] for k in a.name_idf if k in b.name_idf]
    best = max(shared, default=0.0) / (math.log(1 + documents) + 1.0)
    gap = abs(a.day - b.day) if a.day is not None and b.day is not None else 0
    return (_dot(a.words, b.words), _dot(a.names, b.names), _dot(a.numbers, b.numbers),
            _dot(a.title, b.title), best, math.log1p(gap),
            1.0 if a.outlet and a.outlet == b.outlet else 0.0)


def pair_probability(features: Sequence[float], weights: Sequence[float] = PAIR_WEIGHTS,
                     bias: float = PAIR_BIAS) -> float:
    """The logistic pair model: probability that two articles report the same event."""
    z = bias + sum(w * f for w, f in zip(weights, features, strict=True))
    return round(1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z)))), ROUND)


# --- Candidate search ------------------------------------------------------------------------

class _DenseSearch:
    """Nearest stored articles by the dense projection: exact below ``ann_from``, HNSW above."""

    def __init__(self, ann_from: int = ANN_FROM) -> None:
        self.ann_from = ann_from
        self.vectors = np.zeros((1024, DENSE_DIM), dtype=np.float32)
        self.count = 0
        self.index: Any = None

    def add(self, vector: Any) -> int:
        if self.count == len(self.vectors):
            grown = np.zeros((2 * len(self.vectors), DENSE_DIM), dtype=np.float32)
            grown[: self.count] = self.vectors[: self.count]
            self.vectors = grown
        key = self.count
        self.vectors[key] = vector
        self.count += 1
        if self.index is not None:
            self.index.add(key, vector, threads=1)
        elif self.count >= self.ann_from:
            self._build_index()
        return key

    def _build_index(self) -> None:
        from usearch.index import Index

        self.index = Index(ndim=DENSE_DIM, metric="ip", dtype="f32", connectivity=16,
                           expansion_add=64, expansion_search=64)
        self.index.add(np.arange(self.count, dtype=np.uint64), self.vectors[: self.count],
                       threads=1)

    def search(self, vector: Any, k: int) -> list[int]:
        if self.count == 0:
            return []
        if self.index is None:
            # einsum rather than BLAS: one thread, a fixed order of summation, and no
            # contention with other processes' threads. Rounded, and ties broken on the
            # slot: the same candidates on any machine.
            scores = np.round(np.einsum("ij,j->i", self.vectors[: self.count], vector), 5)
            if self.count > k:
                kth = np.partition(-scores, k - 1)[k - 1]
                top = np.flatnonzero(-scores <= kth)
            else:
                top = np.arange(self.count)
            ranked = sorted((-float(scores[i]), int(i)) for i in top)
            return [i for _, i in ranked[:k]]
        found = self.index.search(vector, min(k, self.count), threads=1)
        return [int(key) for key in found.keys]


# --- The clusterer ---------------------------------------------------------------------------

@dataclass
class _Story:
    id: str
    members: list[int] = field(default_factory=list)   # article slots
    fixed: bool = False                                 # holds an article a person placed


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
        self._search = _DenseSearch(ann_from)
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
        links = self._links(features) if story is None or not fixed else []
        slot = self._store(article, features, fixed)
        if story is not None:
            target = self._stories.get(story) or self._new_story(story)
        elif links and links[0][0] >= self.join:
            target = self._stories[links[0][1]]
        else:
            target = self._new_story(story_id(article.id))
        target.members.append(slot)
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
        for slot, pair in self._candidates(features):
            probability = pair_probability(pair, self.weights, self.bias)
            sid = self._story_of[slot]
            if probability > best.get(sid, -1.0):
                best[sid] = probability
        return sorted(((p, s) for s, p in best.items()),
                      key=lambda item: (-item[0], self._first_key(item[1])))

    def _candidates(self, features: _Features) -> list[tuple[int, tuple[float, ...]]]:
        """The stored articles worth scoring against a new one, with the pair features."""
        found = []
        documents = self._featuriser.words.documents
        for slot in self._search.search(features.dense, self.candidates):
            other = self._features[slot]
            if (features.day is not None and other.day is not None
                    and abs(features.day - other.day) > self.window_days):
                continue
            pair = pair_features(features, other, documents)
            if pair[0] >= MIN_TEXT_COSINE:
                found.append((slot, pair))
        return found

    def candidate_pairs(self, article: StreamArticle) -> list[tuple[str, tuple[float, ...]]]:
        """Add an article as a story of its own and return its candidates: (id of the earlier
        article, pair features). For fitting the pair model (benchmarks/stories.py)."""
        if article.id in self._slot:
            return []
        features = self._featuriser.features(article)
        found = [(self._articles[slot].id, pair) for slot, pair in self._candidates(features)]
        self._store(article, features, False)
        self._new_story(story_id(article.id)).members.append(len(self._articles) - 1)
        self._story_of.append(story_id(article.id))
        return found

    def _store(self, article: StreamArticle, features: _Features, fixed: bool) -> int:
        slot = len(self._articles)
        self._articles.append(article)
        self._features.append(features)
        self._slot[article.id] = slot
        self._search.add(features.dense)
        return slot

    def _first_key(self, sid: str) -> tuple[str, str]:
        story = self._stories[sid]
        return min(order_key(self._articles[s]) for s in story.members)

    def _merge(self, keep: _Story, other: _Story | None) -> _Story:
        if other is None or other is keep or (keep.fixed and other.fixed):
            return keep
        # The story that began earlier keeps its id.
        if self._first_key(other.id) < self._first_key(keep.id):
            keep, other = other, keep
        keep.members.extend(other.members)
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

    The group is linked by every pair whose probability reaches ``STAND_APART_LINK``; the
    articles outside the largest connected part (ties broken on the smallest article id)
    stand apart.
    """
    unique = sorted({a.id: a for a in articles}.values(), key=order_key)
    if len(unique) < 2:
        return []
    featuriser = _Featuriser()
    # Document frequencies over the whole group first, so that every pair is weighed alike.
    terms = [featuriser.observe(a) for a in unique]
    features = [featuriser.vectorise(a, t) for a, t in zip(unique, terms, strict=True)]
    parent = list(range(len(unique)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    documents = featuriser.words.documents
    for i in range(len(unique)):
        for j in range(i):
            probability = pair_probability(pair_features(features[i], features[j], documents))
            if probability >= STAND_APART_LINK:
                parent[find(i)] = find(j)
    parts: dict[int, list[str]] = {}
    for i, article in enumerate(unique):
        parts.setdefault(find(i), []).append(article.id)
    largest = min(parts.values(), key=lambda ids: (-len(ids), min(ids)))
    keep = set(largest)
    return sorted(a.id for a in unique if a.id not in keep)


__all__ = ["StoryClusterer", "StoryGroup", "StreamArticle", "cluster", "order_key",
           "pair_probability", "stand_apart", "story_id"]


