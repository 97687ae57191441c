"""crossbrief: what many outlets say about one story, with a citation for every line.

The library does the work; the command line and web app are thin shells over it::

    import crossbrief

    brief = crossbrief.analyze(["articles/"])
    for article in brief.articles:
        print(article.source, article.title, len(article.sentences))
    for skipped in brief.skipped:
        print("skipped", skipped.input, skipped.reason)
    for claim in brief.claims:
        print(claim.status, claim.independent, claim.text)

The parts of ``analyze``: :func:`read_inputs` gives the articles read and the inputs
skipped (:class:`Inputs`); :func:`run_story` briefs a :class:`Story` of articles (a
:class:`Brief`). A stream of several stories: :func:`crossbrief.storylist.stream_stories`
reads, groups and briefs it, as ``crossbrief stories`` does.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .config import Settings, load_settings
from .errors import CrossbriefError, InputError
from .ingest import read_inputs
from .model import Article, Brief, Corpus, Inputs, Paragraph, Removal, Sentence, Skipped, Story
from .pipeline import analyze, run_stages, run_story
from .render import render

__all__ = [
    "Article",
    "Brief",
    "Corpus",
    "CrossbriefError",
    "InputError",
    "Inputs",
    "Paragraph",
    "Removal",
    "Sentence",
    "Settings",
    "Skipped",
    "Story",
    "__version__",
    "analyze",
    "load_settings",
    "read_inputs",
    "render",
    "run_stages",
    "run_story",
]
