"""Renderers, looked up by name: ``term``, ``md``, ``json`` (and any a plugin registers).

A renderer takes a :class:`~crossbrief.model.Corpus` and :class:`RenderOptions` and returns
the text to write. Built-in renderers register themselves exactly as a plugin would::

    from crossbrief.render import register_renderer

    @register_renderer("csv")
    def render_csv(corpus, options):
        ...
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..errors import ConfigError
from ..model import Corpus


@dataclass(frozen=True)
class RenderOptions:
    width: int = 100
    color: bool = False


Renderer = Callable[[Corpus, RenderOptions], str]
RENDERERS: dict[str, Renderer] = {}


def register_renderer(name: str) -> Callable[[Renderer], Renderer]:
    def decorate(func: Renderer) -> Renderer:
        RENDERERS[name] = func
        return func

    return decorate


def get_renderer(name: str) -> Renderer:
    _load_builtins()
    try:
        return RENDERERS[name]
    except KeyError:
        known = ", ".join(sorted(RENDERERS))
        raise ConfigError(f"unknown output format {name!r} (known: {known})") from None


def render(corpus: Corpus, name: str, options: RenderOptions | None = None) -> str:
    return get_renderer(name)(corpus, options or RenderOptions())


def formats() -> list[str]:
    _load_builtins()
    return sorted(RENDERERS)


def _load_builtins() -> None:
    from . import json, markdown, terminal  # noqa: F401  (importing registers them)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def shorten(text: str, limit: int = 90) -> str:
    """One line of at most ``limit`` characters, for tables."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def article_rows(corpus: Corpus) -> list[dict[str, str]]:
    """The per-article overview both people-facing renderers show."""
    return [
        {
            "source": a.source,
            "title": a.title or "(no title)",
            "published": a.published or "—",
            "words": str(a.words),
            "sentences": str(len(a.sentences)),
            "paragraphs": str(len(a.paragraphs)),
            "removed": str(len(a.removed)),
            "id": a.id,
            "input": a.input,
        }
        for a in corpus.articles
    ]
