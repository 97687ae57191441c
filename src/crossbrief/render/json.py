"""JSON output: the corpus exactly as the library holds it (see docs/json.md)."""

from __future__ import annotations

import json

from ..model import Corpus
from . import RenderOptions, register_renderer


@register_renderer("json")
def render_json(corpus: Corpus, options: RenderOptions) -> str:
    return json.dumps(corpus.to_dict(), ensure_ascii=False, indent=2) + "\n"
