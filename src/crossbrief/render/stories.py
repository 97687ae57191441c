"""Renderers of a stream's stories (``crossbrief stories``), looked up by name like the brief's:
``term``, ``md``, ``json`` (the ``crossbrief.stories/1`` document), and any a plugin registers::

    from crossbrief.render.stories import register_stories_renderer

    @register_stories_renderer("csv")
    def render_csv(stories, options):
        ...

A story's brief, when the document carries one, is rendered after the story by the brief's
renderer of the same name.

The built-in renderers also give their output a story at a time (:func:`iter_render_stories`),
so that a stream's briefs, kept on disk by ``crossbrief stories``, are read back one at a time
and the output is written as it is made (docs/scale.md, "Memory"); a plugin's renderer is given
the whole list, every brief in memory.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.text import Text

from ..errors import ConfigError
from ..storylist import StoryEntry, StoryList
from . import RenderOptions, plural, render, shorten, terminal_console

StoriesRenderer = Callable[[StoryList, RenderOptions], str]
STORIES_RENDERERS: dict[str, StoriesRenderer] = {}
# The built-in renderers in pieces, with the whole-string renderer registered for each.
StoriesChunks = Callable[[StoryList, RenderOptions], Iterator[str]]
_CHUNKED: dict[str, tuple[StoriesRenderer, StoriesChunks]] = {}


def register_stories_renderer(name: str) -> Callable[[StoriesRenderer], StoriesRenderer]:
    def decorate(func: StoriesRenderer) -> StoriesRenderer:
        STORIES_RENDERERS[name] = func
        return func

    return decorate


def get_stories_renderer(name: str) -> StoriesRenderer:
    try:
        return STORIES_RENDERERS[name]
    except KeyError:
        known = ", ".join(sorted(STORIES_RENDERERS))
        raise ConfigError(f"unknown output format {name!r} for stories (known: {known})"
                          ) from None


def _register_chunked(name: str) -> Callable[[StoriesChunks], StoriesChunks]:
    """A built-in renderer, written as pieces (a story each)."""
    def decorate(chunks: StoriesChunks) -> StoriesChunks:
        def whole(stories: StoryList, options: RenderOptions) -> str:
            return "".join(chunks(stories, options))

        whole.__doc__ = chunks.__doc__
        _CHUNKED[name] = (register_stories_renderer(name)(whole), chunks)
        return chunks

    return decorate


def render_stories(stories: StoryList, name: str, options: RenderOptions | None = None) -> str:
    return "".join(iter_render_stories(stories, name, options))


def iter_render_stories(stories: StoryList, name: str,
                        options: RenderOptions | None = None) -> Iterator[str]:
    """The output of the renderer ``name``, in pieces whose concatenation is the whole: a
    story at a time for the built-in ones (each story's brief read, rendered and let go in
    turn), all at once for a plugin's (given every brief, in memory)."""
    renderer = get_stories_renderer(name)
    options = options or RenderOptions()
    chunked = _CHUNKED.get(name)
    if chunked is not None and chunked[0] is renderer:
        yield from chunked[1](stories, options)
    else:
        yield renderer(stories.materialized(), options)


def stories_formats() -> list[str]:
    return sorted(STORIES_RENDERERS)


def _span(story: StoryEntry) -> str:
    if story.first_seen is None:
        return "undated"
    if story.first_seen == story.last_seen:
        return story.first_seen
    return f"{story.first_seen} – {story.last_seen}"


def _heading(stories: StoryList) -> str:
    count = len(stories.stories)
    return (f"{count} {'story' if count == 1 else 'stories'} from "
            f"{plural(stories.article_count, 'article')}")


def _label(story: StoryEntry) -> str:
    return story.title or "(no title)"


@_register_chunked("json")
def render_stories_json(stories: StoryList, options: RenderOptions) -> Iterator[str]:
    yield from stories.iter_json()
    yield "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


@_register_chunked("md")
def render_stories_markdown(stories: StoryList, options: RenderOptions) -> Iterator[str]:
    out = [f"# crossbrief: {_heading(stories)}", ""]
    for number, story in enumerate(stories.iter_stories(), 1):
        out += [f"## {number}. {_cell(_label(story))}", ""]
        meta = [_span(story), plural(len(story.articles), "article"),
                "outlets: " + ", ".join(story.outlets)]
        if story.kind is not None:
            meta.append(f"{story.kind} story")
        out += [" · ".join(_cell(m) for m in meta) + f" · id `{story.id}`", ""]
        out += ["| # | Outlet | Published | Title | Input |", "|---|---|---|---|---|"]
        for n, article in enumerate(story.articles, 1):
            out.append(f"| {n} | {_cell(article.source or '—')} | {article.published or '—'} | "
                       f"{_cell(shorten(article.title or '(no title)', 80))} | "
                       f"{_cell(article.input)} |")
        out.append("")
        if story.brief is not None:
            brief = render(story.brief, "md", options)
            # The brief's headings sit under the story's.
            out += [f"### Brief of story {number}", ""]
            out += [("##" + line) if line.startswith("#") else line
                    for line in brief.rstrip("\n").split("\n")]
            out.append("")
        # Every line but the document's last ends in a line break: all but this piece's
        # last line are written, the last one starts the next piece.
        yield "\n".join(out[:-1]) + "\n"
        out = out[-1:]
    if stories.skipped:
        out += ["## Skipped", ""]
        out += [f"- `{_cell(s.input)}`: {_cell(s.reason)} [{s.code}]" for s in stories.skipped]
        out.append("")
    yield "\n".join(out)


def _line(text: str) -> str:
    """``text`` on one line: each line break, with the spaces around it, made one space (other
    spaces kept: a file name is shown as it is)."""
    return _BREAK.sub(" ", text)


_BREAK = re.compile(r"[ \t]*[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+[ \t]*")


def _indented(console: Console, text: Text, indent: int = 3, hanging: bool = False) -> None:
    """``text`` wrapped to the console's width and indented, wrapped lines too (``hanging``:
    all but the first), in one print (thousands of stories print fast). Wrapped by hand, not
    in a ``Padding``: that pads every line with spaces to the full width, and the terminal
    output is also what a pipe reads."""
    lines = text.wrap(console, max(1, console.width - indent))
    for line in lines:
        line.rstrip()
    console.print(Text("\n").join(
        line if (hanging and n == 0) or not line.plain else Text(" " * indent) + line
        for n, line in enumerate(lines)), soft_wrap=True)


@_register_chunked("term")
def render_stories_terminal(stories: StoryList, options: RenderOptions) -> Iterator[str]:
    """A heading and a line per article for each story: lines, not a table per story, so a
    stream of thousands of stories prints in seconds. Text, never markup: titles and names
    come from the articles ("[/bold]" is text)."""
    buffer = io.StringIO()
    console = terminal_console(buffer, width=options.width, color=options.color)
    console.print(Text(_heading(stories), style="bold"))
    for number, story in enumerate(stories.iter_stories(), 1):
        meta = [_span(story), plural(len(story.articles), "article"), ", ".join(story.outlets)]
        if story.kind is not None:
            meta.append(f"{story.kind} story")
        head = Text(_line(" · ".join([*meta, f"id {story.id}"])), style="dim")
        # (a title, an outlet or an input name holding line breaks stays on its article's line)
        lines = [Text.assemble((f"{n}. ", "dim"), f"{article.published or 'undated'}  ",
                               (_line(article.source or "—"), "bold cyan"), "  ",
                               _line(article.title or "(no title)"), "  ",
                               (_line(article.input), "dim"))
                 for n, article in enumerate(story.articles, 1)]
        console.print()
        _indented(console, Text(f"{number}. {_line(_label(story))}", style="bold"), hanging=True)
        _indented(console, Text("\n").join([head, *lines]))
        if story.brief is not None:
            console.print()
            console.print(Text(f"Brief of story {number}", style="bold underline"))
            buffer.write(render(story.brief, "term", options))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if stories.skipped:
        console.print()
        console.print(Text("Skipped", style="bold"))
        for item in stories.skipped:
            _indented(console, Text.assemble(
                (_line(item.input), "bold"), f": {_line(item.reason)} ", (f"[{item.code}]", "dim")))
    yield buffer.getvalue()
