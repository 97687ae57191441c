"""Write BENCHMARKS.md only between the marks a script leaves: everything else stays byte for byte.

Every script that puts figures on the page (``benchmarks/run.py``, ``fuzz.py``,
``gva_ablation.py``, ``scale.py``, ``scu_encoder.py``) writes through this module. What a
script writes of a section lies in one or more blocks under the section's heading, each between
two marks (HTML comments, which a rendered page does not show) on lines of their own::

    <!-- benchmarks/fuzz.py writes from here: fuzz -->
    ...generated text...
    <!-- benchmarks/fuzz.py writes up to here: fuzz -->

A section may hold several blocks, with text written by hand between them (a note under a
table, a paragraph on an earlier run), and any text after the last one: a rerun replaces what
lies between each block's marks and nothing else. A section whose heading is on the page
without its marks is not written (the text written by hand in it would be lost) but refused
(:class:`PageError`), for a person to put the marks in; a section not on the page yet is added
with its marks.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

RUN = "benchmarks/run.py"
MARK_BEGIN = "<!-- {script} writes from here: {name} -->"
MARK_END = "<!-- {script} writes up to here: {name} -->"

# One block of a section: its name (unique on the page) and the text it holds.
Part = tuple[str, str]


class PageError(Exception):
    """A block of the page that cannot be written without touching text around it."""


def begin(name: str, script: str = RUN) -> str:
    return MARK_BEGIN.format(script=script, name=name)


def end(name: str, script: str = RUN) -> str:
    return MARK_END.format(script=script, name=name)


def inner(text: str) -> str:
    """What a block holds for ``text``: a blank line, the text, a blank line (or one blank
    line where there is no text)."""
    body = text.strip("\n")
    return "\n" + body + "\n\n" if body else "\n"


def put_section(page: str, name: str, section: str, script: str = RUN,
                after: str | None = None) -> str:
    """``page`` with block ``name`` holding ``section`` less its heading (its first line):
    :func:`put_parts` with one part."""
    heading, body = (section + "\n").split("\n", 1)
    return put_parts(page, heading, [(name, body)], script, after)


def put_parts(page: str, heading: str, parts: Sequence[Part], script: str = RUN,
              after: str | None = None) -> str:
    """``page`` with each block of ``parts`` holding its text, under the section ``heading``:
    in place where the page has that section with every block's marks; as a new section, its
    blocks one after the other, where the page has no section of that heading (at the end, or
    right after the section headed ``after`` where there is one). PageError otherwise (some
    marks missing or out of place): then nothing is written anywhere in the section."""
    marked = [name for name, _ in parts
              if begin(name, script) in page or end(name, script) in page]
    if marked:
        for name, text in parts:
            page = replace_block(page, name, inner(text), heading, script)
        return page
    if any(line.strip() == heading.strip() for line in page.splitlines()):
        marks = ", ".join(f"{begin(name, script)!r} and {end(name, script)!r}"
                          for name, _ in parts)
        names = ", ".join(name for name, _ in parts)
        raise PageError(f"section {names} ({heading.strip()!r}) has no marks {marks} around what "
                        f"{script} writes of it: not written, since the text written by hand "
                        "there would be lost")
    new = heading + "\n" + "\n".join(begin(name, script) + "\n" + inner(text)
                                     + end(name, script) + "\n" for name, text in parts)
    if after is not None:
        anchor = re.search(f"(?m)^{re.escape(after.strip())}[ \t]*$", page)
        following = re.compile(r"(?m)^## ").search(page, anchor.end()) if anchor else None
        if following is not None:
            return page[:following.start()] + new + "\n" + page[following.start():]
    return page.rstrip("\n") + "\n\n" + new


def replace_block(page: str, name: str, text: str, heading: str | None = None,
                  script: str = RUN) -> str:
    """``page`` with what lies between the marks of block ``name`` replaced by ``text``, every
    other character as it was. PageError unless each mark is there once, on a line of its
    own, the end after the beginning, with no heading between them, and (``heading``) in the
    section of that heading."""
    first, last = begin(name, script), end(name, script)
    starts = list(re.finditer(f"(?m)^{re.escape(first)}$\n", page))
    ends = list(re.finditer(f"(?m)^{re.escape(last)}$", page))
    if (len(starts) != 1 or len(ends) != 1 or page.count(first) != 1 or page.count(last) != 1
            or ends[0].start() < starts[0].end()):
        raise PageError(f"block {name}: the marks {first!r} and {last!r} are not there once "
                        "each, on lines of their own, in that order; nothing written there")
    start, stop = starts[0].end(), ends[0].start()
    if re.search(r"(?m)^## ", page[start:stop]):
        raise PageError(f"block {name}: a heading lies between its marks; nothing written "
                        "there")
    if heading is not None:
        above = re.findall(r"(?m)^## .*$", page[:start])
        if not above or above[-1].strip() != heading.strip():
            raise PageError(f"block {name}: its marks are not under {heading.strip()!r}; "
                            "nothing written there")
    return page[:start] + text + page[stop:]


def write_parts(path: Path, heading: str, parts: Sequence[Part], script: str,
                after: str | None = None) -> int:
    """Put ``parts`` into the page at ``path`` (:func:`put_parts`) and write it: 0; or, where
    the page refuses them, write nothing, say why on stderr and return 1."""
    page = path.read_text("utf-8") if path.exists() else "# Benchmarks\n"
    try:
        page = put_parts(page, heading, parts, script, after)
    except PageError as exc:
        print(f"{path.name}: {exc}", file=sys.stderr)
        return 1
    path.write_text(page, "utf-8")
    return 0


def joined(heading: str, parts: Sequence[Part]) -> str:
    """The section as one text, to print: its heading and its parts' texts."""
    return "\n\n".join([heading, *(t.strip("\n") for _, t in parts if t.strip())]) + "\n"
