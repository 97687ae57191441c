"""Terminal output through rich: tables that fit the terminal's width."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..model import Corpus
from . import RenderOptions, article_rows, plural, register_renderer, shorten


@register_renderer("term")
def render_terminal(corpus: Corpus, options: RenderOptions) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=options.width, force_terminal=options.color,
        no_color=not options.color, highlight=False, emoji=False,
    )
    table = Table(title=plural(len(corpus.articles), "article"), title_justify="left", expand=False)
    table.add_column("#", justify="right", style="dim")
    table.add_column("Source", style="bold cyan", overflow="fold")
    table.add_column("Title", overflow="fold", ratio=3)
    table.add_column("Published", no_wrap=True)
    table.add_column("Words", justify="right")
    table.add_column("Sent.", justify="right")
    table.add_column("Removed", justify="right")
    for number, row in enumerate(article_rows(corpus), 1):
        table.add_row(str(number), row["source"], row["title"], row["published"], row["words"],
                      row["sentences"], row["removed"])
    console.print(table)
    for number, article in enumerate(corpus.articles, 1):
        if not article.removed:
            continue
        console.print()
        console.print(Text(f"{number}. {article.source}: removed by cleaning", style="bold"))
        for removal in article.removed:
            line = Text("  ")
            line.append(f"{removal.reason}: ", style="yellow")
            line.append(shorten(removal.text, max(20, options.width - len(removal.reason) - 6)),
                        style="strike dim")
            console.print(line, overflow="ellipsis", no_wrap=True)
    if corpus.skipped:
        console.print()
        console.print(Text(f"Skipped {plural(len(corpus.skipped), 'input')}", style="bold red"))
        for skipped in corpus.skipped:
            console.print(Text(f"  {skipped.input}: {skipped.reason} [{skipped.code}]"))
    return buffer.getvalue()
