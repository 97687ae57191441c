"""Count how many UTF-16 and UTF-32 inputs holding one bad code unit are read right.

A bad code unit: a lone surrogate (a byte lost or changed). The grid, nothing fitted:

- feeds: JSON Lines of 5 records (under the size limit of an input) or 60 (over it,
  ``max_text_bytes`` 1,000: streamed), the third holding the lone surrogate, in UTF-16LE
  and UTF-16BE with a byte order mark, UTF-16LE and UTF-16BE without one, and UTF-32 with
  one, each read 5 ways (a ``.jsonl`` file, a file without a suffix, standard input, an
  upload named ``feed.jsonl`` and one named ``feed``, but over the limit: an upload of no
  known kind over it is refused, ``E104``, in UTF-8 too). Right: every record read, the
  third with U+FFFD where the bad unit was, and one warning naming that line (``feed:3``),
  as a whole text is read (until 2026-12-03 right was the third skipped alone, ``E103``:
  a line and a text had two rules).
- texts: one story with the lone surrogate in it, in the same 5 encodings, read 3 ways
  (a ``.txt`` file, standard input, an upload). Right: the story read, U+FFFD where the
  bad unit was, and one warning naming the input (no warning was asked before
  2026-12-03: the character was lost silently).
- mislabelled pages: English text in UTF-8 with one stray NUL byte, declared ``utf-16``,
  ``utf-16le`` or ``utf-16be`` (a server's Content-Type), as text and as HTML
  (``read_bytes``). Right: refused as binary (``E102``) or read as the English text; wrong:
  anything else (CJK mojibake).

::

    python benchmarks/utf16_bad_unit.py      # prints the counts, then each miss
"""

from __future__ import annotations

import codecs
import io
import json
import logging
import tempfile
from pathlib import Path

from crossbrief.config import Settings, load_settings
from crossbrief.errors import InputError
from crossbrief.ingest import read_bytes, read_inputs, read_upload
from crossbrief.model import Article, Skipped

STORY = "Le maire a déclaré lundi que le pont rouvrirait en mai, après les réparations."
ENCODINGS = {  # name: (mark, codec)
    "utf-16le+bom": (codecs.BOM_UTF16_LE, "utf-16-le"),
    "utf-16be+bom": (codecs.BOM_UTF16_BE, "utf-16-be"),
    "utf-16le": (b"", "utf-16-le"),
    "utf-16be": (b"", "utf-16-be"),
    "utf-32le+bom": (codecs.BOM_UTF32_LE, "utf-32-le"),
}


def _encoded(text: str, mark: bytes, codec: str) -> bytes:
    return mark + text.encode(codec, "surrogatepass")


def _read(data: bytes, way: str, settings: Settings, folder: Path) -> list[Article | Skipped]:
    if way.startswith("upload "):
        return read_upload(data, way.removeprefix("upload "), settings)
    if way == "stdin":
        corpus = read_inputs(["-"], settings, stdin=io.BytesIO(data))
    else:
        (folder / way).write_bytes(data)
        corpus = read_inputs([str(folder / way)], settings)
    return [*corpus.articles, *corpus.skipped]


class _Said(logging.Handler):
    """The warnings crossbrief logs (what the command prints on stderr)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.said: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.said.append(record.getMessage())


def main() -> None:
    counts: dict[str, list[int]] = {"feeds": [0, 0], "texts": [0, 0], "pages": [0, 0]}
    misses: list[str] = []
    said = _Said()
    logging.getLogger("crossbrief").addHandler(said)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for size, records, settings in (("under", 5, load_settings()),
                                        ("over", 60, load_settings(max_text_bytes=1_000))):
            for encoding, (mark, codec) in ENCODINGS.items():
                lines = [json.dumps({"text": f"Story {n}: {STORY}"}, ensure_ascii=False)
                         for n in range(records)]
                lines[2] = lines[2][:20] + "\ud800" + lines[2][20:]
                data = _encoded("\n".join(lines) + "\n", mark, codec)
                for way in ("feed.jsonl", "feed", "stdin", "upload feed.jsonl", "upload feed"):
                    if size == "over" and way == "upload feed":
                        continue  # over the limit, refused (E104) whatever its encoding
                    said.said.clear()
                    read = _read(data, way, settings, folder)
                    good = [item for item in read if isinstance(item, Article)]
                    bad = [item.code for item in read if isinstance(item, Skipped)]
                    replaced = [item.input.rsplit(":", 1)[-1] for item in good
                                if "\ufffd" in item.text]
                    warned = [line.split(": ", 1)[0].rsplit(":", 1)[-1] for line in said.said]
                    counts["feeds"][1] += 1
                    if len(good) == records and not bad and replaced == warned == ["3"]:
                        counts["feeds"][0] += 1
                    else:
                        misses.append(f"feed {size} {encoding} {way}: {len(good)} read, "
                                      f"{bad}, U+FFFD in {replaced}, warned of {warned}")
        for encoding, (mark, codec) in ENCODINGS.items():
            data = _encoded(STORY[:20] + "\ud800" + STORY[20:], mark, codec)
            for way in ("story.txt", "stdin", "upload story.txt"):
                said.said.clear()
                read = _read(data, way, load_settings(), folder)
                counts["texts"][1] += 1
                texts = [item.text for item in read if isinstance(item, Article)]
                if (texts == [STORY[:20] + "\ufffd" + STORY[20:]] and len(read) == 1
                        and len(said.said) == 1 and said.said[0].split(": ", 1)[0]
                        .endswith("-" if way == "stdin" else "story.txt")):
                    counts["texts"][0] += 1
                else:
                    misses.append(f"text {encoding} {way}: "
                                  f"{[getattr(i, 'code', 'article') for i in read]}")
    english = "The harbour council voted on Monday to freeze ferry fares, the mayor said. " * 3
    for kind, page in (("text", english), ("html", f"<html><body><p>{english}</p></body></html>")):
        for charset in ("utf-16", "utf-16le", "utf-16be"):
            counts["pages"][1] += 1
            try:
                got = list(read_bytes(page.encode() + b"\x00\n", "https://news.example/a",
                                      load_settings(), kind=kind, meta={"charset": charset}))
            except InputError as exc:
                right = exc.code == "E102"
                outcome = exc.code
            else:
                right = len(got) == 1 and isinstance(got[0], Article) \
                    and got[0].text.startswith("The harbour council")
                outcome = repr(getattr(got[0], "text", "")[:20]) if got else "nothing"
            counts["pages"][0] += right
            if not right:
                misses.append(f"page {kind} {charset}: {outcome}")
    for what, (right, total) in counts.items():
        print(f"{what}: {right} of {total} read right")
    for miss in misses:
        print("  miss:", miss)


if __name__ == "__main__":
    main()
