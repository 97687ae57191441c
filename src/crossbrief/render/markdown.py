"""Markdown output, for reading and pasting into notes or tickets."""

from __future__ import annotations

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
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


@register_renderer("md")
def render_markdown(corpus: Brief, options: RenderOptions) -> str:
    out = [f"# crossbrief: {plural(len(corpus.articles), 'article')}", ""]
    if options.title:
        out = [f"# {_cell(' '.join(options.title.split()))}", "",
               f"crossbrief: {plural(len(corpus.articles), 'article')}", ""]
    if corpus.articles:
        out += [
            "| # | Source | Title | Published | Words | Sentences | Quotes | Opinion | Removed |",
            "|---|---|---|---|---:|---:|---:|---:|---:|",
        ]
        for number, row in enumerate(article_rows(corpus), 1):
            out.append(
                f"| {number} | {_cell(row['source'])} | {_cell(shorten(row['title'], 70))} | "
                f"{row['published']} | {row['words']} | {row['sentences']} | {row['quotes']} | "
                f"{row['opinion']} | {row['removed']} |"
            )
        out.append("")
    if corpus.failures:
        out += ["## Not built", ""]
        out += [f"- **{f.stage}**: {f.reason} [{f.code}] (its section is empty)"
                for f in corpus.failures]
        out.append("")
    apart = apart_lines(corpus)
    if apart:
        out += ["## Set apart: not the same story", ""]
        out += [f"- {_cell(who)}: {reason}" for who, reason in apart]
        out += ["", f"As not the same story, {APART_NOTE}.", ""]
    out += _brief(corpus)
    if corpus.entities:
        out += ["## Who and what", ""]
        for entity in corpus.entities[:15]:
            aliases = ", ".join(a for a in entity.aliases if a != entity.name)
            also = f" (also: {_cell(aliases)})" if aliases else ""
            count = plural(len(entity.articles), "article")
            out.append(f"- **{entity.name}** {entity.type}, {count}{also}")
        out.append("")
    matrix = quote_matrix(corpus)
    if matrix:
        out += ["## Who said what: quotes carried by several outlets", ""]
        for speaker, words, carriers in matrix:
            out.append(f"- **{speaker}**: “{_cell(shorten(words, 160))}” — {', '.join(carriers)}")
        out.append("")
    copies = near_copy_names(corpus)
    if copies:
        out += ["## Near-copies", ""]
        out += [f"- {' = '.join(group)} (counted as one source)" for group in copies]
        out.append("")
    for number, article in enumerate(corpus.articles, 1):
        out.append(f"## {number}. {article.source}: {article.title or '(no title)'}")
        out.append("")
        out.append(f"- id `{article.id}`, from `{article.input}`")
        if article.url:
            out.append(f"- url <{article.url}>")
        if article.author:
            out.append(f"- by {article.author}")
        out.append(
            f"- {article.words} words, {len(article.paragraphs)} paragraphs, "
            f"{len(article.sentences)} sentences"
        )
        if article.opinion is not None:
            out.append(f"- opinion score {article.opinion:.2f} (0 reports, 1 editorialises)")
        names = article_entities(corpus, article)
        if names:
            out.append(f"- mentions {', '.join(names)}")
        outlets = article_outlets(article)
        if outlets:
            out.append(f"- cites {', '.join(outlets)}")
        quotes = article_quotes(article)
        if quotes:
            out += ["", "Quotes:", ""]
            out += [f"- **{speaker}**: “{_cell(shorten(words, 160))}”"
                    + (" *(fragment)*" if fragment else "")
                    for speaker, words, fragment in quotes]
        dates = article_dates(article)
        if dates:
            out += ["", "Dates: " + "; ".join(f"{_cell(e)} → {v}" for e, v in dates)]
        if article.removed:
            out += ["", "Removed by cleaning:", ""]
            out += [f"- *{r.reason}*: {_cell(shorten(r.text))}" for r in article.removed]
        out.append("")
    if corpus.skipped:
        out += ["## Skipped inputs", ""]
        out += [f"- `{s.input}`: {s.reason} [{s.code}]" for s in corpus.skipped]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _brief(corpus: Brief) -> list[str]:
    """The cross-source sections: summary, agreed facts, disputes, single-source facts,
    timeline, per-article profile. Numbers in brackets are the articles of the table above."""
    out: list[str] = []
    if corpus.summary:
        out += ["## Brief", ""]
        out += [f"- {_cell(s.text.strip())} {cite(corpus, s.sources)}" for s in corpus.summary]
        out.append("")
    shared = [c for c in corpus.claims if c.status != "single"]
    if shared:
        out += ["## What the sources agree on", ""]
        for claim in shared:
            merged = "".join(f"; {' = '.join(cite(corpus, g)[1:-1].split(', '))} counted once"
                             for g in claim.merged)
            out.append(f"- **{claim.status}** ({claim.independent} independent{merged}): "
                       f"{_cell(shorten(claim.text, 200))} "
                       f"{cite(corpus, [s.article for s in claim.support])}")
        out.append("")
    for update, title in ((False, "Disputed"), (True, "Updated, not disputed")):
        rows = conflict_lines(corpus, update)
        if rows:
            out += [f"## {title}", ""]
            for kind, about, sides in rows:
                out.append(f"- **{kind}**: {_cell(about)}")
                out += [f"  - {_cell(side)}" for side in sides]
            out.append("")
    out += _rejected(corpus)
    singles = single_source_ranked(corpus)
    if singles:
        out += ["## Only in one source", ""]
        out += [f"- {_cell(shorten(c.text, 200))} {cite(corpus, c.articles)}" for c in singles]
        out.append("")
    sources = cited_sources(corpus)
    if sources:
        out += ["## Sources cited", ""]
        out += [f"- {_cell(outlet)} {cite(corpus, ids)}" for outlet, ids in sources]
        out.append("")
    if corpus.timeline:
        out += ["## Timeline", ""]
        for entry in corpus.timeline:
            flag = " **(dates disagree)**" if entry.conflict else ""
            out.append(f"- {entry.date}: {_cell(shorten(entry.text, 160))} "
                       f"{cite(corpus, entry.articles)}{flag}")
        out.append("")
    if corpus.claims:
        out += ["## Per-article profile", "",
                "| # | Source | Words | Opinion | Only here | Omits | Cites |",
                "|---|---|---:|---:|---:|---:|---|"]
        out += [f"| {r['n']} | {_cell(r['source'])} | {r['words']} | {r['opinion']} | "
                f"{r['single']} | {r['omits']} | {_cell(r['cites'])} |"
                for r in profile_rows(corpus)]
        out.append("")
    return out


def _rejected(corpus: Brief) -> list[str]:
    """What a person rejected, each span cited by outlet, article number and characters."""
    shown = rejections_shown(corpus)
    if not shown:
        return []
    out = [f"## {REJECTED_HEADING}", ""]
    for item in shown:
        about = f" ({_cell(item.rejection.about)})" if item.rejection.about else ""
        note = f": “{_cell(item.rejection.note)}”" if item.rejection.note else ""
        out.append(f"- **{item.what}**{about}, {item.when or '(no date)'}{note}")
        for span in item.spans:
            where = f"characters {span.span.start}–{span.span.end}"
            if span.number is None:
                out.append(f"  - article `{span.source}` (no longer in this story), {where}")
            else:
                out.append(f"  - {_cell(span.source)} [{span.number}], {where}: "
                           f"{_cell(shorten(span.text, 200))}")
    return [*out, ""]
