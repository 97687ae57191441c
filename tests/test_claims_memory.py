"""The story-wide pair work of the claims and conflicts stages in bounded memory: scored a
block of rows at a time and only the pairs over the floors kept (``align.kept_scores``),
with the same scores, groups and conflict pairs as the full n x n matrices."""

from __future__ import annotations

import tracemalloc
import zlib
from typing import Any

import numpy as np
import pytest

import crossbrief
from crossbrief import align
from crossbrief.align import (
    Unit,
    claim_model,
    group_units,
    kept_scores,
    pair_features,
    pair_scores,
    split_units,
)
from crossbrief.cli import example_path
from crossbrief.conflicts import SAME_FACT, _scored_pairs
from crossbrief.model import Article, Brief, Story


@pytest.fixture(scope="module")
def example_units() -> tuple[list[Unit], Any]:
    from crossbrief.nlp import encode

    brief = crossbrief.analyze([str(example_path())])
    units = [u for a in brief.articles for u in split_units(a, claims=True)]
    return units, encode([u.context for u in units], crossbrief.load_settings())


@pytest.mark.parametrize("specifics", [True, False])
def test_kept_scores_are_the_full_matrix_over_the_floor(
        example_units: tuple[list[Unit], Any], specifics: bool,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Blocks of 7 rows (the example's clauses are one block in a run): every kept score is
    # the full matrix's, bit for bit, and every pair the full matrix has over the floor is kept.
    units, vectors = example_units
    n = len(units)
    full = pair_scores(units, vectors, specifics=specifics)
    cosine = pair_features(units, vectors)["cosine"]
    monkeypatch.setattr(align, "PAIR_BLOCK_CELLS", 7 * n)
    floor = claim_model().link_floor if specifics else SAME_FACT
    kept, similar = kept_scores(units, vectors, floor, specifics=specifics, cosine=True)
    over = ~(full.astype(np.float64) < floor)
    assert over.sum() > 20  # the example has pairs to keep
    assert len(kept.values) == over.sum()
    assert kept.values.dtype == full.dtype
    assert np.array_equal(kept.toarray(), np.where(over, full, 0))
    assert similar is not None
    assert np.allclose(similar.toarray(), np.where(over, cosine, 0), rtol=0, atol=1e-12)
    # Exactly symmetric, as the whole matrix's product is, though blocks of an odd number of
    # rows may differ from it in the last bit of a cosine (review r9): (i, j) is row i's.
    for pairs in (kept, similar):
        assert np.array_equal(pairs.toarray(), pairs.toarray().T)
    clauses = list(range(0, n, 3))
    assert np.array_equal(kept.take(clauses).toarray(), kept.toarray()[np.ix_(clauses, clauses)])
    if specifics:
        assert group_units(units, kept) == group_units(units, full)
    else:
        assert _scored_pairs(kept, n, SAME_FACT) == _scored_pairs(full, n, SAME_FACT)


def test_a_story_of_one_block_scores_as_the_full_matrix(
        example_units: tuple[list[Unit], Any]) -> None:
    # A story of up to PAIR_BLOCK_CELLS pairs (nearly all) is one block: its cosines are the
    # full product's to the last bit, as before.
    units, vectors = example_units
    assert len(units) ** 2 <= align.PAIR_BLOCK_CELLS
    _, similar = kept_scores(units, vectors, 0.3, cosine=True)
    assert similar is not None and len(similar.values) > 20
    cosine = pair_features(units, vectors)["cosine"]
    assert np.array_equal(similar.values, cosine.flat[similar.keys])


# A hand-made story: ARTICLES outlets, each SENTENCES sentences drawn from a few templates of
# a few facts, so that clauses of different outlets share words and some pairs score high.
ARTICLES, SENTENCES = 30, 50
_WORDS = ("bridge collapse river city council mayor inquiry engineer inspection traffic "
          "police rescue divers injured dead hospital minister funding repair ferry port "
          "storm flood school closure union strike contract budget election vote").split()


def _story() -> tuple[Brief, dict[str, list[Unit]]]:
    rng = np.random.default_rng(7)
    articles, units = [], {}
    for a in range(ARTICLES):
        sentences = []
        for _ in range(SENTENCES):
            picked = rng.choice(len(_WORDS), size=5, replace=False)
            sentences.append(" ".join(_WORDS[k] for k in sorted(picked)).capitalize() + ".")
        text = " ".join(sentences)
        article = Article(f"a{a:03d}", f"outlet{a}", text, f"a{a}.txt")
        articles.append(article)
        found, start = [], 0
        for k, sentence in enumerate(sentences):
            end = start + len(sentence)
            words = frozenset(w.strip(".").lower() for w in sentence.split())
            found.append(Unit(article, start, end, k, sentence, words=words,
                              root=sorted(words)[0]))
            start = end + 1
        units[article.id] = found
    return Brief.of(Story(articles)), units


def _vectors(texts: list[str], settings: Any = None) -> Any:
    """A bag of seeded word vectors: clauses sharing words are near (no encoder needed)."""
    out = np.zeros((len(texts), 64))
    for n, text in enumerate(texts):
        for word in text.lower().strip(".").split():
            out[n] += np.random.default_rng(zlib.crc32(word.encode())).standard_normal(64)
    return out


def test_claims_of_a_big_story_in_bounded_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    # 1,500 clauses: the full matrices held 16 features of 1,500 x 1,500 float64 (288 MB)
    # and more: 440 MB at the peak (before kept_scores); scored a block at a time and only
    # the pairs over the floor kept, 67 MB.
    import crossbrief.nlp

    brief, units = _story()
    monkeypatch.setattr(align, "split_units", lambda article, claims=False: units[article.id])
    monkeypatch.setattr(crossbrief.nlp, "encode", _vectors)
    tracemalloc.start()
    try:
        claims = align.build_claims(brief, crossbrief.load_settings())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sum(len(c.support) > 1 for c in claims) > 10  # the story has claims of several
    assert peak < 150 * 2**20, peak / 2**20


def test_kept_pairs_refuse_a_lower_floor_than_they_were_kept_at(
        example_units: tuple[list[Unit], Any]) -> None:
    # A pair dropped under the kept floor reads 0: read at a lower floor, it would decide
    # what the full scores decide otherwise, so the readers refuse (review r9).
    units, vectors = example_units
    kept, _ = kept_scores(units, vectors, 0.5)
    assert kept.floor == 0.5 and kept.take([0, 1, 2]).floor == 0.5
    with pytest.raises(ValueError, match=r"kept at 0\.5"):
        group_units(units, kept, 0.5, 0.3)
    with pytest.raises(ValueError, match=r"kept at 0\.5"):
        _scored_pairs(kept, len(units), 0.3)
    assert group_units(units, kept, 0.6, 0.5) == group_units(
        units, pair_scores(units, vectors), 0.6, 0.5)
