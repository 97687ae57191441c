"""Terminal output through rich: tables that fit the terminal's width."""

from __future__ import annotations

import io
import re

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..model import Brief
from . import (
    APART_NOTE,
    REJECTED_HEADING,
    RenderOptions,
    apart_lines,
    article_dates,
    article_entities,
    article_outlets,
    article_quotes,
    article_rows,
    cite,
    cited_sources,
    conflict_lines,
    near_copy_names,
    plural,
    profile_rows,
    quote_matrix,
    register_renderer,
    rejections_shown,
    shorten,
    single_source_ranked,
    terminal_console,
)


@register_renderer("term")
def render_terminal(corpus: Brief, options: RenderOptions) -> str:
    buffer = io.StringIO()
    console = terminal_console(buffer, width=options.width, color=options.color)
    if options.title:
        console.print(Text(" ".join(options.title.split()), style="bold"))
    table = Table(title=plural(len(corpus.articles), "article"), title_justify="left",
                  expand=False)
    table.add_column("#", justify="right", style="dim")
    table.add_column("Source", style="bold cyan", overflow="fold")
    table.add_column("Title", overflow="fold", ratio=3)
    table.add_column("Published", no_wrap=True)
    table.add_column("Words", justify="right")
    table.add_column("Quotes", justify="right")
    table.add_column("Opinion", justify="right")
    table.add_column("Removed", justify="right")
    for number, row in enumerate(article_rows(corpus), 1):
        _add_row(table, str(number), row["source"], row["title"], row["published"], row["words"],
                 row["quotes"], row["opinion"], row["removed"])
    console.print(table)
    width = options.width
    _brief(console, corpus, width)
    matrix = quote_matrix(corpus)
    if matrix:
        quotes = Table(title="Who said what: quotes carried by several outlets",
                       title_justify="left",
                       expand=False)
        quotes.add_column("Speaker", style="bold", overflow="fold")
        quotes.add_column("Quote", overflow="fold", ratio=3)
        quotes.add_column("Carried by", overflow="fold", ratio=2)
        for speaker, words, carriers in matrix:
            _add_row(quotes, speaker, f"“{shorten(words, 200)}”", ", ".join(carriers))
        console.print()
        console.print(quotes)
    for group in near_copy_names(corpus):
        console.print(_labelled("near-copies", " = ".join(group) + " (counted as one source)",
                                width))
    for number, article in enumerate(corpus.articles, 1):
        console.print()
        console.print(Text(f"{number}. {article.source}", style="bold cyan"))
        names = article_entities(corpus, article)
        if names:
            console.print(_labelled("mentions", ", ".join(names), width))
        outlets = article_outlets(article)
        if outlets:
            console.print(_labelled("cites", ", ".join(outlets), width))
        dates = article_dates(article)
        if dates:
            console.print(_labelled("dates", "; ".join(f"{e} → {v}" for e, v in dates), width))
        for speaker, words, fragment in article_quotes(article):
            line = Text("  ")
            line.append(f"{speaker}: ", style="bold")
            line.append(f"“{shorten(words, max(20, width - len(speaker) - 20))}”",
                        style="italic" if fragment else "")
            if fragment:
                line.append(" (fragment)", style="dim")
            console.print(line, overflow="ellipsis", no_wrap=True)
        if article.removed:
            # The terminal summarises; -f md and -f json list every removed line.
            reasons: dict[str, int] = {}
            for removal in article.removed:
                reasons[removal.reason] = reasons.get(removal.reason, 0) + 1
            summary = ", ".join(f"{reason} ×{n}" if n > 1 else reason
                                for reason, n in reasons.items())
            line = _labelled(f"removed {len(article.removed)}", summary, width)
            line.stylize("yellow", 2, 2 + len(f"removed {len(article.removed)}"))
            console.print(line)
    if corpus.skipped:
        console.print()
        console.print(Text(f"Skipped {plural(len(corpus.skipped), 'input')}", style="bold red"))
        for skipped in corpus.skipped:
            console.print(Text(f"  {skipped.input}: {skipped.reason} [{skipped.code}]"))
    return _TRAILING.sub("", buffer.getvalue())


# Spaces at a line's end, before any colour codes that close it: rich pads a table's title
# to the table's width and leaves the space a line was wrapped at; noise in a pipe or a file.
# (Possessive, after no space: a run of spaces inside a line is not rescanned from each of its
# positions, which was quadratic in the run's length.)
_TRAILING = re.compile(r"(?<![ \t])[ \t]++(?=(?:\x1b\[[0-9;]*m)*$)", re.M)


def _add_row(table: Table, *cells: str | Text) -> None:
    """A row whose cells are shown as written: a plain string given to rich is read as
    markup, and an article's text or title holding "[/b]" would raise (or style) there."""
    table.add_row(*(Text(cell) if isinstance(cell, str) else cell for cell in cells))


def _labelled(label: str, value: str, width: int) -> Text:
    line = Text("  ")
    line.append(f"{label}: ", style="dim")
    line.append(shorten(value, max(20, width - len(label) - 6)))
    return line


def _brief(console: Console, corpus: Brief, width: int) -> None:
    """The cross-source sections; numbers in brackets are the articles of the first table."""
    if corpus.failures:
        console.print()
        console.print(Text("Not built (their sections are empty)", style="bold red"))
        for failure in corpus.failures:
            console.print(Text(f"  {failure.stage}: {failure.reason} [{failure.code}]"))
    apart = apart_lines(corpus)
    if apart:
        console.print()
        console.print(Text(f"Set apart, as not the same story ({APART_NOTE})",
                           style="bold yellow"))
        for who, reason in apart:
            console.print(Text(f"  {who}: {reason}"))
    if corpus.summary:
        console.print()
        console.print(Text("Brief", style="bold"))
        for sentence in corpus.summary:
            line = Text("  • " + " ".join(sentence.text.split()) + " ")
            line.append(cite(corpus, sentence.sources), style="cyan")
            console.print(line)
    shared = [c for c in corpus.claims if c.status != "single"]
    if shared:
        table = Table(title="What the sources agree on", title_justify="left", expand=False)
        table.add_column("Status", no_wrap=True)
        table.add_column("Claim", overflow="fold", ratio=4)
        table.add_column("Sources", overflow="fold")
        for claim in shared:
            style = "green" if claim.status == "consensus" else "yellow"
            _add_row(table, Text(f"{claim.status} ({claim.independent})", style=style),
                     shorten(claim.text, 240), cite(corpus, [s.article for s in claim.support]))
        console.print()
        console.print(table)
    for update, title in ((False, "Disputed"), (True, "Updated, not disputed")):
        rows = conflict_lines(corpus, update)
        if not rows:
            continue
        console.print()
        console.print(Text(title, style="bold red" if not update else "bold"))
        for kind, about, sides in rows:
            console.print(Text(f"  {kind}: {about}", style="bold"))
            for side in sides:
                console.print(Text(f"    {shorten(side, width - 6)}"))
    _rejected(console, corpus, width)
    singles = single_source_ranked(corpus)
    if singles:
        console.print()
        console.print(Text("Only in one source", style="bold"))
        for claim in singles:
            line = Text(f"  • {shorten(claim.text, max(20, width - 12))} ")
            line.append(cite(corpus, claim.articles), style="cyan")
            console.print(line)
    sources = cited_sources(corpus)
    if sources:
        console.print()
        console.print(Text("Sources cited", style="bold"))
        for outlet, ids in sources:
            line = Text(f"  • {outlet} ")
            line.append(cite(corpus, ids), style="cyan")
            console.print(line)
    if corpus.timeline:
        table = Table(title="Timeline", title_justify="left", expand=False)
        table.add_column("Date", no_wrap=True)
        table.add_column("Event", overflow="fold", ratio=4)
        table.add_column("Sources", overflow="fold")
        for entry in corpus.timeline:
            date = Text(entry.date, style="red" if entry.conflict else "")
            _add_row(table, date, shorten(entry.text, 200)
                     + (" (dates disagree)" if entry.conflict else ""),
                     cite(corpus, entry.articles))
        console.print()
        console.print(table)
    if corpus.claims:
        table = Table(title="Per-article profile", title_justify="left", expand=False)
        for name, justify in (("#", "right"), ("Source", "left"), ("Words", "right"),
                              ("Opinion", "right"), ("Only here", "right"),
                              ("Omits", "right"), ("Cites", "left")):
            table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
        for row in profile_rows(corpus):
            _add_row(table, row["n"], row["source"], row["words"], row["opinion"],
                     row["single"], row["omits"], row["cites"])
        console.print()
        console.print(table)


def _rejected(console: Console, corpus: Brief, width: int) -> None:
    """What a person rejected, each span cited by outlet, article number and characters."""
    shown = rejections_shown(corpus)
    if not shown:
        return
    console.print()
    console.print(Text(REJECTED_HEADING, style="bold"))
    for item in shown:
        line = Text(f"  {item.what}", style="bold")
        if item.rejection.about:
            line.append(f" ({item.rejection.about})")
        line.append(f", {item.when or '(no date)'}", style="dim")
        if item.rejection.note:
            line.append(f": “{item.rejection.note}”")
        console.print(line)
        for span in item.spans:
            where = f"chars {span.span.start}–{span.span.end}"
            if span.number is None:
                console.print(Text(f"    article {span.source} (no longer in this story), "
                                   f"{where}", style="dim"))
                continue
            head = f"    {span.source} [{span.number}] {where}: "
            line = Text(head)
            line.append(shorten(span.text, max(20, width - len(head))))
            console.print(line)
