"""Renderers of a stream's stories (``crossbrief stories``), looked up by name like the brief's:
``term``, ``md``, ``json`` (the ``crossbrief.stories/1`` document), and any a plugin registers::

    from crossbrief.render.stories import register_stories_renderer

    @register_stories_renderer("csv")
    def render_csv(stories, options):
        ...

A story's brief, when the document carries one, is rendered after the story by the brief's
renderer of the same name.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..errors import ConfigError
from ..storylist import StoryEntry, StoryList
from . import RenderOptions, plural, render, shorten

StoriesRenderer = Callable[[StoryList, RenderOptions], str]
STORIES_RENDERERS: dict[str, StoriesRenderer] = {}


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


def render_stories(stories: StoryList, name: str, options: RenderOptions | None = None) -> str:
    return get_stories_renderer(name)(stories, options or RenderOptions())


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


@register_stories_renderer("json")
def render_stories_json(stories: StoryList, options: RenderOptions) -> str:
    return json.dumps(stories.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


@register_stories_renderer("md")
def render_stories_markdown(stories: StoryList, options: RenderOptions) -> str:
    out = [f"# crossbrief: {_heading(stories)}", ""]
    for number, story in enumerate(stories.stories, 1):
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
    if stories.skipped:
        out += ["## Skipped", ""]
        out += [f"- `{_cell(s.input)}`: {_cell(s.reason)} [{s.code}]" for s in stories.skipped]
        out.append("")
    return "\n".join(out)


@register_stories_renderer("term")
def render_stories_terminal(stories: StoryList, options: RenderOptions) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=options.width, force_terminal=options.color,
                      no_color=not options.color, highlight=False, emoji=False)
    console.print(Text(_heading(stories), style="bold"))
    for number, story in enumerate(stories.stories, 1):
        meta = [_span(story), plural(len(story.articles), "article")]
        if story.kind is not None:
            meta.append(f"{story.kind} story")
        # Text, never markup: titles and names come from the articles ("[/bold]" is text).
        table = Table(title=Text(f"{number}. {_label(story)}", style="bold"),
                      title_justify="left", caption=Text(" · ".join([*meta, f"id {story.id}"])),
                      caption_justify="left", expand=False)
        table.add_column("#", justify="right", style="dim")
        table.add_column("Outlet", style="bold cyan", overflow="fold")
        table.add_column("Published", no_wrap=True)
        table.add_column("Title", overflow="fold", ratio=3)
        table.add_column("Input", overflow="fold", style="dim")
        for n, article in enumerate(story.articles, 1):
            table.add_row(*map(Text, (str(n), article.source or "—", article.published or "—",
                                      article.title or "(no title)", article.input)))
        console.print()
        console.print(table)
        if story.brief is not None:
            console.print(Text(f"Brief of story {number}", style="bold"))
            buffer.write(render(story.brief, "term", options))
    if stories.skipped:
        console.print()
        skipped = Table(title="Skipped", title_justify="left", expand=False)
        skipped.add_column("Input", overflow="fold")
        skipped.add_column("Reason", overflow="fold", ratio=3)
        skipped.add_column("Code", no_wrap=True)
        for item in stories.skipped:
            skipped.add_row(Text(item.input), Text(item.reason), Text(item.code))
        console.print(skipped)
    return buffer.getvalue()
