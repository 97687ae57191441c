"""A brief's tables for export: the claims x outlets matrix, quotes, conflicts, timeline and
articles of a ``crossbrief.brief/1`` dict, as rows for CSV and JSON.

    >>> table = brief_table(brief, "claims")
    >>> table.to_csv()                 # one line per claim, a column per article's outlet
    >>> table.to_dict()                # {"schema": "crossbrief.table/1", "columns", "rows"}

Every row keeps its citation: the article id and the character span (``start``, ``end``)
of the text it shows, so anything exported can be traced back to where an article says it.
CSV cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return) are written with a leading apostrophe: articles are third-party
text. The JSON keeps the text as it is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

TABLE_SCHEMA = "crossbrief.table/1"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_CLAIM_COLUMNS = ("claim", "status", "independent", "text")


@dataclass(frozen=True)
class Table:
    """One exported table: its name, its columns in order, and its rows (dicts by column)."""

    name: str
    columns: list[str]
    rows: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {"schema": TABLE_SCHEMA, "table": self.name, "columns": list(self.columns),
                "rows": self.rows}

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([_cell(c) for c in self.columns])
        for row in self.rows:
            writer.writerow([_cell(row.get(c)) for c in self.columns])
        return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def _outlet_columns(brief: dict[str, Any]) -> dict[str, str]:
    """A column name per article: its outlet, with the article id added where two
    articles share an outlet (articles in the brief's canonical order)."""
    sources = [a.get("source") or a["id"] for a in brief.get("articles", [])]
    return {a["id"]: (s if sources.count(s) == 1 and s not in _CLAIM_COLUMNS
                      else f"{s} ({a['id']})")
            for a, s in zip(brief.get("articles", []), sources, strict=True)}


def article_outlets(brief: dict[str, Any]) -> dict[str, str]:
    """The outlet of each article of a brief, by article id (the id where none is known)."""
    return {a["id"]: a.get("source") or a["id"] for a in brief.get("articles", [])}


def claims_table(brief: dict[str, Any]) -> Table:
    """The claims x outlets matrix: a row per claim (status, independent outlets, text), a
    column per article holding what that article says of the claim (its sentence, with
    ``[start-end]``), empty where it says nothing of it."""
    columns = _outlet_columns(brief)
    rows = []
    for claim in brief.get("claims", []):
        row: dict[str, Any] = {"claim": claim["id"], "status": claim.get("status"),
                               "independent": claim.get("independent"),
                               "text": claim.get("text")}
        for span in claim.get("support", []):
            column = columns.get(span["article"])
            if column is None:
                continue
            said = f"{span.get('text', '')} [{span['start']}-{span['end']}]"
            row[column] = f"{row[column]} | {said}" if column in row else said
        rows.append(row)
    return Table("claims", [*_CLAIM_COLUMNS, *columns.values()], rows)


def quotes_table(brief: dict[str, Any]) -> Table:
    """A row per quotation as an article carries it (grouped: the same words in several
    articles share ``group``)."""
    outlets = article_outlets(brief)
    rows = [{"group": g["id"], "speaker": g.get("speaker"), "quote": g.get("text"),
             "article": r["article"], "outlet": outlets.get(r["article"]),
             "start": r["start"], "end": r["end"], "reworded": r.get("reworded"),
             "partial": r.get("partial")}
            for g in brief.get("quote_groups", []) for r in g.get("refs", [])]
    return Table("quotes", ["group", "speaker", "quote", "article", "outlet", "start", "end",
                            "reworded", "partial"], rows)


def conflicts_table(brief: dict[str, Any]) -> Table:
    """A row per side of each conflict and update (``update`` says which)."""
    outlets = article_outlets(brief)
    rows = [{"conflict": c["id"], "update": update, "kind": c.get("kind"),
             "about": c.get("about"), "article": s["article"],
             "outlet": outlets.get(s["article"]), "value": s.get("value"),
             "text": s.get("text"), "start": s["start"], "end": s["end"]}
            for update, key in ((False, "conflicts"), (True, "updates"))
            for c in brief.get(key, []) for s in c.get("sides", [])]
    return Table("conflicts", ["conflict", "update", "kind", "about", "article", "outlet",
                               "value", "text", "start", "end"], rows)


def timeline_table(brief: dict[str, Any]) -> Table:
    """A row per dated event, cited by its first supporting span."""
    outlets = article_outlets(brief)
    rows = []
    for entry in brief.get("timeline", []):
        first = (entry.get("support") or [{}])[0]
        rows.append({"date": entry.get("date"), "text": entry.get("text"),
                     "outlets": sorted({outlets.get(a, a) for a in entry.get("articles", [])}),
                     "article": first.get("article"), "start": first.get("start"),
                     "end": first.get("end"), "conflict": entry.get("conflict")})
    return Table("timeline", ["date", "text", "outlets", "article", "start", "end",
                              "conflict"], rows)


def articles_table(brief: dict[str, Any]) -> Table:
    """A row per article of the brief (no text)."""
    columns = ["id", "source", "title", "published", "author", "url", "input", "words"]
    return Table("articles", columns, [{c: a.get(c) for c in columns}
                                       for a in brief.get("articles", [])])


TABLES: dict[str, Callable[[dict[str, Any]], Table]] = {
    "claims": claims_table, "quotes": quotes_table, "conflicts": conflicts_table,
    "timeline": timeline_table, "articles": articles_table,
}


def brief_table(brief: dict[str, Any], name: str) -> Table:
    """The table ``name`` (one of ``TABLES``) of a brief; KeyError for another name."""
    return TABLES[name](brief)
