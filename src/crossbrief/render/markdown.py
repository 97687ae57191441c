"""Markdown output, for reading and pasting into notes or tickets."""

from __future__ import annotations

from ..model import Corpus
from . import RenderOptions, article_rows, plural, register_renderer, shorten


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


@register_renderer("md")
def render_markdown(corpus: Corpus, options: RenderOptions) -> str:
    out = [f"# crossbrief: {plural(len(corpus.articles), 'article')}", ""]
    if corpus.articles:
        out += [
            "| # | Source | Title | Published | Words | Sentences | Removed |",
            "|---|---|---|---|---:|---:|---:|",
        ]
        for number, row in enumerate(article_rows(corpus), 1):
            out.append(
                f"| {number} | {_cell(row['source'])} | {_cell(shorten(row['title'], 70))} | "
                f"{row['published']} | {row['words']} | {row['sentences']} | {row['removed']} |"
            )
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
        if article.removed:
            out += ["", "Removed by cleaning:", ""]
            out += [f"- *{r.reason}*: {_cell(shorten(r.text))}" for r in article.removed]
        out.append("")
    if corpus.skipped:
        out += ["## Skipped inputs", ""]
        out += [f"- `{s.input}`: {s.reason} [{s.code}]" for s in corpus.skipped]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
