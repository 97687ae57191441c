"""crossbrief: what many outlets say about one story, with a citation for every line.

The library does the work; the command line and web app are thin shells over it::

    import crossbrief

    corpus = crossbrief.analyze(["articles/"])
    for article in corpus.articles:
        print(article.source, article.title, len(article.sentences))
    for skipped in corpus.skipped:
        print("skipped", skipped.input, skipped.reason)
"""

from __future__ import annotations

__version__ = "0.1.0"

from .config import Settings, load_settings
from .errors import CrossbriefError, InputError
from .model import Article, Corpus, Paragraph, Removal, Sentence, Skipped
from .pipeline import analyze, run_stages
from .render import render

__all__ = [
    "Article",
    "Corpus",
    "CrossbriefError",
    "InputError",
    "Paragraph",
    "Removal",
    "Sentence",
    "Settings",
    "Skipped",
    "__version__",
    "analyze",
    "load_settings",
    "render",
    "run_stages",
]
