"""JSON output: the corpus exactly as the library holds it (see docs/json.md), and the story's
name (``story``, right after ``stages``) when it has one."""

from __future__ import annotations

import json
from typing import Any

from ..model import Brief
from . import RenderOptions, register_renderer


@register_renderer("json")
def render_json(corpus: Brief, options: RenderOptions) -> str:
    data = corpus.to_dict()
    if options.title:
        # The name is not part of the analysis (the stored brief is the same whatever the
        # story is called), so it is added here, where the brief is shown, not in to_dict.
        named: dict[str, Any] = {}
        for key, value in data.items():
            named[key] = value
            if key == "stages":
                named["story"] = options.title
        data = named
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
