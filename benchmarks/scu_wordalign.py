"""Soft word alignment between two clauses as claim-scorer features (DUC 2006 SCU, issue 12).

    python benchmarks/scu_wordalign.py --cache /tmp/scu.pkl --tokens /tmp/scu-tokens.pkl \
        --prepared /tmp/scu-prepared.pkl --out benchmarks/scu_wordalign.json

Would aligning the words of two clauses, the way BERTScore and word mover's similarity do,
find more same-fact pairs than the claim scorer's features (``crossbrief.align.FEATURES``)?
Scored like ``scu_encoder.py``: the judged line pairs of the DUC 2006 SCU-marked corpus,
5 folds by DUC topic, logistic models fitted on the training topics and thresholded where
precision reaches 0.70 there. The features (``alignment_features``), from the default
backend's static word vectors, content words weighted by idf over the story's clauses:
greedy soft precision and recall (each word's best cosine in the other clause), the idf
share of words with no match above ``UNMATCHED_BELOW`` (what one clause says that the other
does not), the cosines of the main verbs, subjects and objects and of subject against object
(roles swapped); ``specifics_features``: numbers and entities stated on one side only. For
comparison, ``bertscore_lines``: BERTScore with the frozen MiniLM's contextual vectors.

Candidates: the current scorer (clause pairs, a line pair scored by its best one) with and
without the new features (the form ``align.py`` would ship), and line-level logistic models
(the current features at their maximum over the clause pairs, the alignment of the two whole
lines, MiniLM cosine, BERTScore), and boosted trees over all of them. Besides the figures at
the out-of-fold thresholds, ``recall_at`` gives each ranking's best recall at precision 0.70
over the pooled held-out scores. ``--cache`` and ``--tokens`` keep the extraction (about ten
minutes) between runs; ``--prepared`` pickles every feature for ``scu_ecb.py``. Result, in
BENCHMARKS.md: a negative one, nothing is shipped.
"""

from __future__ import annotations

import math
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import scu  # noqa: E402
import scu_encoder  # noqa: E402
from crossbrief.align import CONTENT_POS  # noqa: E402  (the claim scorer's content words)

# (lower, lemma, pos, dep, is_stop, is_alpha, like_num, ent_type, head offset in the unit)
Token = tuple[str, str, str, str, bool, bool, bool, str, int]


def unit_tokens(unit: Any) -> list[Token]:
    span = unit.article.doc.char_span(unit.start, unit.end, alignment_mode="expand")
    if span is None:
        return []
    first = span.start
    return [(t.lower_, t.lemma_.lower(), t.pos_, t.dep_, t.is_stop, t.is_alpha, t.like_num,
             t.ent_type_, t.head.i - first if span.start <= t.head.i < span.end else -1)
            for t in span]


def extracted(cache: Path, tokens_path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """scu_encoder's extraction (same pickle), plus each unit's tokens read from the parse."""
    if cache.exists() and tokens_path.exists():
        with cache.open("rb") as f, tokens_path.open("rb") as g:
            return pickle.load(f), pickle.load(g)
    import crossbrief
    from crossbrief import align

    settings = crossbrief.load_settings()
    out, toks = {}, {}
    for topic in scu.load():
        corpus = scu.analysed([topic], settings)[topic.name]
        units = [u for a in corpus.articles for u in align.split_units(a)]
        toks[topic.name] = [unit_tokens(u) for u in units]
        for article in corpus.articles:
            article.doc = None
        for u in units:
            u.tokens = None
        out[topic.name] = (topic, corpus, units)
        scu_encoder.log("extracted", topic.name, len(units))
    with cache.open("wb") as f, tokens_path.open("wb") as g:
        pickle.dump(out, f)
        pickle.dump(toks, g)
    return out, toks


# --- the word-alignment features -----------------------------------------------------------

SUBJECTS = frozenset({"nsubj", "nsubjpass"})
OBJECTS = frozenset({"dobj", "obj", "attr", "dative"})
# Cosine of static word vectors under which a word counts as unmatched in the other clause.
# Not tuned: a round value between inflections and near synonyms (0.65 to 0.85 with the
# distilled vectors: kill / killed / killing, killed / died) and unrelated words (-0.1 to 0.3:
# injured / kill, crash / plane); the logistic weighs the result. Names of days are 0.86
# alike (Monday / Tuesday): the soft match does not see specifics, the dates features do.
UNMATCHED_BELOW = 0.5


class Summary:
    """What the alignment reads of a clause: content words, and its verb, subject, object."""

    def __init__(self, tokens: list[Token]) -> None:
        self.content = [t[0] for t in tokens
                        if not t[4] and t[2] in CONTENT_POS and (t[5] or t[6])]
        root = next((n for n, t in enumerate(tokens) if t[8] in (n, -1)), None)
        self.root = tokens[root][0] if root is not None else ""
        self.subject = self._child(tokens, root, SUBJECTS)
        self.object = self._child(tokens, root, OBJECTS)

    @staticmethod
    def _child(tokens: list[Token], root: int | None, deps: frozenset[str]) -> str:
        if root is None:
            return ""
        found = [t[0] for t in tokens if t[8] == root and t[3] in deps]
        return found[0] if found else ""


def alignment_features(summaries: list[Summary], vector_of: dict[str, Any]) -> dict[str, Any]:
    """n x n matrices: soft (greedy, idf-weighted) word alignment of each pair of clauses."""
    import numpy as np

    n = len(summaries)
    vocabulary = sorted({w for s in summaries for w in s.content}
                        | {w for s in summaries for w in (s.root, s.subject, s.object) if w})
    index = {w: k for k, w in enumerate(vocabulary)}
    dim = len(next(iter(vector_of.values())))
    vectors = np.array([vector_of.get(w, np.zeros(dim)) for w in vocabulary], dtype=np.float32)
    similar = vectors @ vectors.T if len(vocabulary) else np.zeros((0, 0), dtype=np.float32)
    np.fill_diagonal(similar, 1.0)
    # idf over the story's clauses (a word in every clause says nothing of which two match).
    frequency = np.zeros(len(vocabulary))
    for s in summaries:
        for w in set(s.content):
            frequency[index[w]] += 1
    idf = np.log((1 + n) / (1 + frequency)) + 1.0
    weights = np.zeros((n, len(vocabulary)), dtype=np.float32)  # clause x word idf (once)
    best = np.zeros((len(vocabulary), n), dtype=np.float32)  # word -> best cosine in clause
    for j, s in enumerate(summaries):
        ids = sorted({index[w] for w in s.content})
        weights[j, ids] = idf[ids]
        if ids:
            best[:, j] = similar[:, ids].max(axis=1)
    total = weights.sum(axis=1)
    safe = np.where(total > 0, total, 1.0)[:, None]
    precision = (weights @ best) / safe  # [i, j]: share of i's words matched in j
    unmatched = (weights @ (best < UNMATCHED_BELOW).astype(np.float32)) / safe
    empty = total == 0
    precision[empty, :] = 0.0
    unmatched[empty, :] = 1.0
    p, r = precision, precision.T
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.where(p + r > 0, 2 * p * r / (p + r), 0.0)

    def role(words: list[str]) -> tuple[Any, Any]:
        ids = np.array([index.get(w, -1) for w in words])
        has = ids >= 0
        sim = similar[np.ix_(np.where(has, ids, 0), np.where(has, ids, 0))]
        both = np.logical_and.outer(has, has)
        return np.where(both, sim, 0.0), both.astype(np.float64)

    verb, _ = role([s.root for s in summaries])
    subject, has_subject = role([s.subject for s in summaries])
    obj, has_object = role([s.object for s in summaries])
    ids_s = np.array([index.get(s.subject, -1) for s in summaries])
    ids_o = np.array([index.get(s.object, -1) for s in summaries])
    cross = np.zeros((n, n))
    ok = (ids_s[:, None] >= 0) & (ids_o[None, :] >= 0)
    cross[ok] = similar[np.maximum(ids_s, 0)[:, None].repeat(n, 1)[ok],
                        np.maximum(ids_o, 0)[None, :].repeat(n, 0)[ok]]
    swapped = np.maximum(cross, cross.T)
    return {
        "soft_f": f,
        "soft_min": np.minimum(p, r),
        "soft_max": np.maximum(p, r),
        "unmatched_max": np.maximum(unmatched, unmatched.T),
        "unmatched_min": np.minimum(unmatched, unmatched.T),
        "verb_similarity": verb,
        "subject_similarity": subject,
        "subject_both": has_subject,
        "object_similarity": obj,
        "object_both": has_object,
        "roles_swapped": swapped,
    }


def specifics_features(units: list[Any]) -> dict[str, Any]:
    """Numbers and named entities one clause states and the other does not."""
    import numpy as np

    from crossbrief.align import _shared

    def one_side(sets: list[frozenset[str]]) -> Any:
        shared, count = _shared(sets)
        return count[:, None] - shared  # [i, j]: items of i not in j

    numbers = one_side([u.number_values for u in units])
    entities = one_side([u.entities for u in units])
    return {
        "numbers_unmatched": np.log1p(np.maximum(numbers, numbers.T)),
        "entities_unmatched_max": np.log1p(np.maximum(entities, entities.T)),
        "entities_unmatched_min": np.log1p(np.minimum(entities, entities.T)),
    }


# --- contextual tokens: BERTScore between two lines ----------------------------------------

def bertscore_lines(model: Any, d: scu_encoder.Lines) -> Any:
    """idf-weighted greedy BERTScore F between the two lines of each judged pair, with the
    frozen MiniLM's contextual token vectors (word pieces; [CLS], [SEP], stop words and
    punctuation left out; idf over the topic's annotated lines)."""
    import numpy as np
    from spacy.lang.en.stop_words import STOP_WORDS

    tokenizer = model.tokenizer
    out = model.encode(d.texts, output_value="token_embeddings", batch_size=64,
                       show_progress_bar=False)
    pieces, vecs = [], []
    for text, tokens in zip(d.texts, out, strict=True):
        ids = tokenizer(text, truncation=True, max_length=model.max_seq_length)["input_ids"]
        words = tokenizer.convert_ids_to_tokens(ids)
        keep = [k for k, w in enumerate(words) if w not in ("[CLS]", "[SEP]")
                and w.strip("#").isalnum() and w not in STOP_WORDS]
        t = np.asarray(tokens.cpu().numpy() if hasattr(tokens, "cpu") else tokens,
                       dtype=np.float32)[:len(words)]
        t = t / np.linalg.norm(t, axis=1, keepdims=True)
        pieces.append([words[k] for k in keep])
        vecs.append(t[keep])
    n = len(d.texts)
    df: dict[str, int] = {}
    for p in pieces:
        for w in set(p):
            df[w] = df.get(w, 0) + 1
    idf = [np.array([math.log((1 + n) / (1 + df[w])) + 1.0 for w in p]) for p in pieces]
    f = np.zeros(len(d.y))
    for k, (i, j) in enumerate(zip(d.i, d.j, strict=True)):
        if not len(pieces[i]) or not len(pieces[j]):
            continue
        sim = vecs[i] @ vecs[j].T
        precision = float((sim.max(axis=1) * idf[i]).sum() / idf[i].sum())
        recall = float((sim.max(axis=0) * idf[j]).sum() / idf[j].sum())
        total = precision + recall
        f[k] = 2 * precision * recall / total if total > 0 else 0.0
    return f


def line_alignment(data: Any, tokens: list[list[Token]], d: scu_encoder.Lines,
                   settings: Any) -> Any:
    """The alignment features between the two lines of each judged pair, read over whole
    lines (the tokens of their clauses, embedded noun phrases left out: they repeat words of
    their clause); idf over the topic's annotated lines."""
    import numpy as np

    topic, _, units = data
    index = {k: n for n, k in enumerate(d.keys)}
    parts: list[list[Summary]] = [[] for _ in d.keys]
    for unit, toks in zip(units, tokens, strict=True):
        keys = scu.lines_under(topic, unit.article.id, unit.start, unit.end)
        if keys and keys[0] in index and not unit.embedded:
            parts[index[keys[0]]].append(Summary(toks))
    # A line's verb, subject and object: its first clause's; its words: all its clauses'.
    summaries = [p[0] if p else Summary([]) for p in parts]
    for summary, p in zip(summaries, parts, strict=True):
        summary.content = [w for s in p for w in s.content]
    words = {w for s in summaries for w in (*s.content, s.root, s.subject, s.object) if w}
    features = alignment_features(summaries, static_vectors(words, settings))
    return np.stack([m[d.i, d.j] for m in features.values()], axis=1)


# --- the experiment ------------------------------------------------------------------------

def static_vectors(words: set[str], settings: Any) -> dict[str, Any]:
    from crossbrief.nlp import load_static_encoder

    ordered = sorted(words)
    vectors = load_static_encoder(settings.encoder_model).encode(ordered)
    return dict(zip(ordered, vectors, strict=True))


def run(cache: Path, tokens_path: Path, log_path: Path, prepared: Path | None = None
        ) -> dict[str, Any]:
    import json

    import numpy as np
    import torch

    import crossbrief
    from crossbrief.align import FEATURES

    torch.set_num_threads(1)
    scu_encoder._LOG = log_path.open("a", encoding="utf-8")
    log = scu_encoder.log
    topics_data, tokens = extracted(cache, tokens_path)
    names = sorted(topics_data)
    lines = {n: scu_encoder.Lines(topics_data[n][0]) for n in names}
    folds = scu.folds([topics_data[n][0] for n in names])
    settings = crossbrief.load_settings()
    minilm = scu_encoder.load_minilm()
    frozen = {n: scu_encoder.embed(minilm, lines[n].texts) for n in names}
    bert = {n: bertscore_lines(minilm, lines[n]) for n in names}
    log("minilm ready")
    base_names = list(FEATURES)  # pair_features' matrices, in this order
    extra_names: list[str] = []
    clause: dict[str, Any] = {}
    for n in names:
        topic, corpus, units = topics_data[n]
        summaries = [Summary(t) for t in tokens[n]]
        words = {w for s in summaries for w in (*s.content, s.root, s.subject, s.object) if w}
        extra = alignment_features(summaries, static_vectors(words, settings))
        extra.update(specifics_features(units))
        clause[n] = scu_encoder.clause_features(topic, corpus, units, lines[n], extra)
        extra_names = list(extra)
        log("features", n, clause[n][0].shape)
    nb = len(base_names)

    def cos(n: str) -> Any:
        return scu_encoder.cosines(frozen[n], lines[n])[:, None]

    line_feats = {n: scu_encoder.max_by_owner(clause[n][0], clause[n][1], len(lines[n].y))
                  for n in names}
    line_align = {n: line_alignment(topics_data[n], tokens[n], lines[n], settings)
                  for n in names}
    if prepared is not None:
        with prepared.open("wb") as f:
            pickle.dump({"names": names, "folds": folds, "y": {n: lines[n].y for n in names},
                         "clause": clause, "line_feats": line_feats, "line_align": line_align,
                         "bert": bert, "cos": {n: cos(n) for n in names},
                         "features": base_names + extra_names}, f)

    # candidate -> (clause level?, columns builder)
    la = line_align
    line_inputs: dict[str, Callable[[str], Any]] = {
        "features-line": lambda n: line_feats[n][:, :nb],
        "features-line+minilm": lambda n: np.hstack([line_feats[n][:, :nb], cos(n)]),
        "features-line+align": lambda n: np.hstack([line_feats[n][:, :nb], la[n]]),
        "features-line+align+minilm": lambda n: np.hstack([line_feats[n][:, :nb], la[n],
                                                           cos(n)]),
        "features-line+minilm+bertscore": lambda n: np.hstack(
            [line_feats[n][:, :nb], cos(n), bert[n][:, None]]),
        "features-line+align+minilm+bertscore": lambda n: np.hstack(
            [line_feats[n][:, :nb], la[n], cos(n), bert[n][:, None]]),
    }
    held_out = scu_encoder.HeldOut(lines, folds)
    scores, thresholds = held_out.scores, held_out.thresholds
    coefficients: dict[str, list[list[float]]] = {}

    for k, held in enumerate(folds):
        train = [n for n in names if n not in held]
        held_out("minilm", k, lambda n: scu_encoder.cosines(frozen[n], lines[n]), train)
        held_out("bertscore", k, lambda n: bert[n], train)
        held_out("soft-f", k, lambda n: la[n][:, 0], train)
        y_clause = np.concatenate([lines[n].y[clause[n][1]] for n in train])
        for candidate, columns in (("features", slice(0, nb)),
                                   ("features+align", slice(None))):
            model = scu_encoder.logistic(
                np.concatenate([clause[n][0][:, columns] for n in train]), y_clause)
            coefficients.setdefault(candidate, []).append(
                [round(float(c), 3) for c in model[-1].coef_[0]])

            def best_clause(n: str, m: Any = model, c: Any = columns) -> Any:
                p = m.predict_proba(clause[n][0][:, c])[:, 1]
                return scu_encoder.max_by_owner(p, clause[n][1], len(lines[n].y))

            held_out(candidate, k, best_clause, train)
        y_lines = np.concatenate([lines[n].y for n in train])
        for candidate, inputs in line_inputs.items():
            model = scu_encoder.logistic(np.concatenate([inputs(n) for n in train]), y_lines)
            coefficients.setdefault(candidate, []).append(
                [round(float(c), 3) for c in model[-1].coef_[0]])
            held_out(candidate, k, lambda n, m=model, f=inputs: m.predict_proba(f(n))[:, 1],
                     train)
        from sklearn.ensemble import HistGradientBoostingClassifier

        inputs = line_inputs["features-line+align+minilm+bertscore"]
        boost = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05,
                                               max_leaf_nodes=15, random_state=0)
        boost.fit(np.concatenate([inputs(n) for n in train]), y_lines)
        held_out("boosted-all", k, lambda n, m=boost, f=inputs: m.predict_proba(f(n))[:, 1],
                 train)
    summary: dict[str, Any] = {"pairs": int(sum(len(d.y) for d in lines.values())),
               "positives": int(sum(int(d.y.sum()) for d in lines.values())),
               "folds": folds, "features": base_names + extra_names,
               "coefficients": coefficients,
               "candidates": scu_encoder.summarise(scores, thresholds, lines, names, folds)}
    for candidate, by_topic in scores.items():
        summary["candidates"][candidate]["recall_at_pooled"] = round(recall_at(
            np.concatenate([by_topic[n][0] for n in names]),
            np.concatenate([lines[n].y for n in names])), 3)
    log("summary", json.dumps(summary["candidates"]))
    return summary


def recall_at(scores: Any, labels: Any, target: float = scu_encoder.TARGET_PRECISION
              ) -> float:
    """The best recall at precision ``target`` over pooled held-out scores: the ranking's
    best operating point (its threshold is chosen on the data scored, so it only compares
    rankings, beside the out-of-fold thresholds of the main figures)."""
    import numpy as np

    order = np.argsort(-scores, kind="stable")
    y = labels[order]
    precision = np.cumsum(y) / np.arange(1, len(y) + 1)
    good = np.nonzero(precision >= target)[0]
    return float(y[:good[-1] + 1].sum() / y.sum()) if len(good) else 0.0


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--tokens", type=Path, required=True)
    parser.add_argument("--log", type=Path, default=Path("scu_wordalign.log"))
    parser.add_argument("--out", type=Path)
    parser.add_argument("--prepared", type=Path, help="pickle the features here")
    args = parser.parse_args(argv)
    summary = run(args.cache, args.tokens, args.log, args.prepared)
    text = json.dumps(summary, indent=1)
    if args.out:
        args.out.write_text(text + "\n", "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
