"""Do ECB+ same-event sentence pairs help a same-claim pair scorer on DUC 2006 SCU? (issue 12)

    python benchmarks/scu_ecb.py --prepared /tmp/scu-prepared.pkl

ECB+ (``../shared/eval/ecbplus-dev``, topics 1-35; its README) links event mentions across
articles (``CROSS_DOC_COREF`` of ``ACTION_*`` mentions). A pair of its annotated sentences
of different articles of one topic is taken as positive when they mention one cross-document
event instance, negative when they share none (each topic holds two similar events: the
other event's sentences are hard negatives). Events are not facts: this measures whether
such pairs, added to the SCU training folds, help on SCU topics held out. Only features that
need no crossbrief extraction are compared (the soft word alignment of the two sentences,
``scu_wordalign.alignment_features``; the frozen MiniLM cosine; MiniLM BERTScore);
``--prepared`` is the pickle ``scu_wordalign.py --prepared`` writes.
"""

from __future__ import annotations

import argparse
import csv
import json
import pickle
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import scu_encoder  # noqa: E402
import scu_wordalign  # noqa: E402

ECB = HERE.parent.parent / "shared" / "eval" / "ecbplus-dev"


def sentences() -> dict[str, list[tuple[str, str, frozenset[str]]]]:
    """Topic -> (document, sentence text, cross-document event instances) of the annotated
    sentences."""
    selected: dict[str, set[int]] = {}
    with (ECB / "ECBplus_coreference_sentences.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            selected.setdefault(f"{row['Topic']}_{row['File']}", set()).add(
                int(row["Sentence Number"]))
    out: dict[str, list[tuple[str, str, frozenset[str]]]] = {}
    for path in sorted((ECB / "ECB+").glob("*/*.xml")):
        doc = path.stem
        if doc not in selected:
            continue
        root = ET.parse(path).getroot()
        sentence_of = {t.get("t_id"): int(t.get("sentence", "-1")) for t in root.iter("token")}
        words: dict[int, list[str]] = {}
        for t in root.iter("token"):
            words.setdefault(int(t.get("sentence", "-1")), []).append(t.text or "")
        anchors = {}
        markables = root.find("Markables")
        for markable in markables if markables is not None else []:
            if markable.tag.startswith("ACTION") or markable.tag.startswith("NEG_ACTION"):
                anchors[markable.get("m_id")] = {sentence_of[a.get("t_id")]
                                                 for a in markable.iter("token_anchor")}
        events: dict[int, set[str]] = {}
        for relation in root.iter("CROSS_DOC_COREF"):
            note = relation.get("note", "")
            if not note.startswith("ACT"):
                continue
            for source in relation.iter("source"):
                for s in anchors.get(source.get("m_id"), ()):
                    events.setdefault(s, set()).add(note)
        for number in sorted(selected[doc]):
            if number in words:
                text = re.sub(r" ([,.;:!?'])", r"\1", " ".join(words[number]))
                out.setdefault(doc.split("_")[0], []).append(
                    (doc, text, frozenset(events.get(number, ()))))
    return out


class Pairs:
    """The judged sentence pairs of one ECB+ topic, shaped like ``scu_encoder.Lines``."""

    def __init__(self, rows: list[tuple[str, str, frozenset[str]]]) -> None:
        import numpy as np

        self.texts = [text for _, text, _ in rows]
        pairs = [(i, j, bool(rows[i][2] & rows[j][2])) for i in range(len(rows))
                 for j in range(i + 1, len(rows)) if rows[i][0] != rows[j][0]]
        self.i = np.array([p[0] for p in pairs], dtype=np.int64)
        self.j = np.array([p[1] for p in pairs], dtype=np.int64)
        self.y = np.array([p[2] for p in pairs], dtype=bool)


def ecb_features(settings: Any) -> tuple[Any, Any]:
    """(x, y) over every ECB+ pair: the alignment features, MiniLM cosine, BERTScore."""
    import numpy as np

    from crossbrief.nlp import load_spacy

    nlp = load_spacy(settings.spacy_model)
    minilm = scu_encoder.load_minilm()
    xs, ys = [], []
    for topic, rows in sorted(sentences().items(), key=lambda kv: int(kv[0])):
        d = Pairs(rows)
        if not len(d.y):
            continue
        summaries = []
        for doc in nlp.pipe(d.texts):
            summaries.append(scu_wordalign.Summary([
                (t.lower_, t.lemma_.lower(), t.pos_, t.dep_, t.is_stop, t.is_alpha, t.like_num,
                 t.ent_type_, t.head.i) for t in doc]))
        words = {w for s in summaries for w in (*s.content, s.root, s.subject, s.object) if w}
        align = scu_wordalign.alignment_features(
            summaries, scu_wordalign.static_vectors(words, settings))
        vectors = scu_encoder.embed(minilm, d.texts)
        bert = scu_wordalign.bertscore_lines(minilm, d)  # type: ignore[arg-type]
        xs.append(np.hstack([np.stack([m[d.i, d.j] for m in align.values()], axis=1),
                             scu_encoder.cosines(vectors, d)[:, None],  # type: ignore[arg-type]
                             bert[:, None]]))
        ys.append(d.y)
        scu_encoder.log("ecb topic", topic, len(d.y), int(d.y.sum()))
    return np.concatenate(xs), np.concatenate(ys)


def run(prepared: Path, ecb_cache: Path | None) -> dict[str, Any]:
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    import crossbrief

    with prepared.open("rb") as f:
        data = pickle.load(f)
    if ecb_cache is not None and ecb_cache.exists():
        with ecb_cache.open("rb") as f:
            ecb_x, ecb_y = pickle.load(f)
    else:
        ecb_x, ecb_y = ecb_features(crossbrief.load_settings())
        if ecb_cache is not None:
            with ecb_cache.open("wb") as out:
                pickle.dump((ecb_x, ecb_y), out)
    names, folds, y = data["names"], data["folds"], data["y"]

    def x_of(n: str) -> Any:
        return np.hstack([data["line_align"][n], data["cos"][n], data["bert"][n][:, None]])

    results: dict[str, Any] = {"ecb_pairs": len(ecb_y), "ecb_positives": int(ecb_y.sum())}
    for label, ecb_weight in (("scu", 0.0), ("scu+ecb (weight 0.25)", 0.25),
                              ("scu+ecb (weight 1)", 1.0), ("ecb only", None)):
        held_s, held_y, linked = [], [], []
        for held in folds:
            train = [n for n in names if n not in held]
            x_scu = np.concatenate([x_of(n) for n in train])
            y_scu = np.concatenate([y[n] for n in train])
            if ecb_weight is None:
                x, yy, w = ecb_x, ecb_y, np.ones(len(ecb_y))
            else:
                x = np.vstack([x_scu, ecb_x]) if ecb_weight else x_scu
                yy = np.concatenate([y_scu, ecb_y]) if ecb_weight else y_scu
                w = np.concatenate([np.ones(len(y_scu)), np.full(len(ecb_y), ecb_weight)]) \
                    if ecb_weight else np.ones(len(y_scu))
            model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=3000))
            model.fit(x, yy, logisticregression__sample_weight=w)
            # Threshold on the SCU training topics (the target is SCU precision).
            t = scu_encoder.threshold_for(model.predict_proba(x_scu)[:, 1], y_scu)
            s = np.concatenate([model.predict_proba(x_of(n))[:, 1] for n in held])
            held_s.append(s)
            held_y.append(np.concatenate([y[n] for n in held]))
            linked.append(s >= t)
        s_all, y_all, l_all = map(np.concatenate, (held_s, held_y, linked))
        tp = int((l_all & y_all).sum())
        results[label] = {
            "precision": round(tp / max(1, int(l_all.sum())), 3),
            "recall": round(tp / int(y_all.sum()), 3),
            "auc": round(float(roc_auc_score(y_all, s_all)), 3),
            "recall_at_pooled": round(scu_wordalign.recall_at(s_all, y_all), 3),
            "fold_auc": round(float(np.mean([roc_auc_score(a, b) for a, b in
                                             zip(held_y, held_s, strict=True)])), 3)}
        scu_encoder.log(label, json.dumps(results[label]))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prepared", type=Path, required=True)
    parser.add_argument("--ecb-cache", type=Path)
    parser.add_argument("--log", type=Path, default=Path("scu_ecb.log"))
    args = parser.parse_args(argv)
    scu_encoder._LOG = args.log.open("a", encoding="utf-8")
    print(json.dumps(run(args.prepared, args.ecb_cache), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
