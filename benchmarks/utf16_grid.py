"""Count how many UTF-16 inputs of a fixed grid are read right.

The grid: three short stories (English, French, Russian) x byte order (little-, big-endian)
x byte order mark (with, without) x length (whole, cut by its last byte), each read four
ways: as a fetched text page whose Content-Type declares no charset, ``utf-16``,
``utf-16le`` or ``utf-16be`` (``ingest.read_bytes``), and as standard input (sniffed), plus
a JSON Lines feed of 20 such records (read whole) and one of 80 (over the size limit,
10,000 bytes for standard input, streamed) piped in. Right: the article's text is the story
(cut: the story without its last character, then U+FFFD), every record of the feed read
(cut: all but the last, the last line skipped). Then compact JSON Lines of Chinese and
Japanese (five records as ``JSON.stringify`` writes them, no space after ``:`` or ``,``) in
UTF-16 without a mark, each byte order, piped in: right, every record read, no skip. Then
two short CJK texts whose UTF-16 holds no NUL byte, each byte order without a mark,
fetched as text declaring no charset or its order (``utf-16le``, ``utf-16be``): right, the
text. Nothing is fitted.

With ``--scan DIR...``, the false positives instead: of the files under the folders (links
not followed) whose first 8 kB hold a NUL byte and which open with no UTF-16/32 byte order
mark, how many are taken for UTF-16 by where their NULs fall (``ingest._wide_codec``), and
each of those with what :func:`crossbrief.ingest.decode` makes of its first 64 kB::

    python benchmarks/utf16_grid.py               # prints the count, then each miss
    python benchmarks/utf16_grid.py --scan /usr   # files with NULs, those taken for UTF-16
"""

from __future__ import annotations

import argparse
import codecs
import io
import json
import os

from crossbrief.config import Settings, load_settings
from crossbrief.errors import InputError
from crossbrief.ingest import (
    _NUL_BYTES,
    _UTF16_32_BOMS,
    _wide_codec,
    decode,
    read_bytes,
    read_inputs,
)
from crossbrief.model import Article

STORIES = {
    "en": "The mayor said on Monday that the bridge would reopen in May, after repairs.",
    "fr": "Le maire a déclaré lundi que le pont rouvrirait en mai, après les réparations.",
    "ru": "Мэр заявил в понедельник, что мост вновь откроют в мае, после ремонта.",
}
# News in Chinese and Japanese, for the compact feeds (no space among its characters).
CJK = {
    "zh": "市政府周一表示，大桥将在五月重新开放，维修工作已经完成。市长说这是一个重要的日子。"
          * 3,
    "ja": "市長は月曜日、橋が五月に再開すると述べた。修理は完了した。" * 4,
}
# Short CJK news without a mark whose UTF-16 holds no NUL byte (kana, ideographs, CJK
# punctuation only), as plain text declared nothing or its order.
CJK_NUL_FREE = ("東京都の市長は月曜日、橋が五月に再開すると述べた。修理は完了した。",
                "北京天气晴朗气温适中适合出行")
ORDERS = {"le": (codecs.BOM_UTF16_LE, "utf-16-le"), "be": (codecs.BOM_UTF16_BE, "utf-16-be")}
DECLARED = (None, "utf-16", "utf-16le", "utf-16be")


def _expected(story: str, cut: bool) -> str:
    return story[:-1] + "\ufffd" if cut else story


def _text_of(read: list[object]) -> str | None:
    articles = [item for item in read if isinstance(item, Article)]
    return articles[0].text if len(articles) == 1 and len(read) == 1 else None


def _fetched(data: bytes, declared: str | None, settings: Settings) -> str | None:
    """The text of ``data`` read as a fetched text page declaring ``declared``, or its
    error."""
    try:
        return _text_of(list(read_bytes(data, "https://example.org/a.txt", settings,
                                        kind="text",
                                        meta={"charset": declared} if declared else None)))
    except InputError as exc:
        return f"[{exc.code}] {exc.detail}"


def main() -> None:
    settings = load_settings()
    small = load_settings(max_text_bytes=1_000)
    right, misses, total = 0, [], 0
    for language, story in STORIES.items():
        for order, (bom, codec) in ORDERS.items():
            for marked in (True, False):
                for cut in (False, True):
                    data = (bom if marked else b"") + story.encode(codec)
                    data = data[:-1] if cut else data
                    case = f"{language} {order} {'bom' if marked else 'no-bom'} " \
                           f"{'cut' if cut else 'whole'}"
                    expected = _expected(story, cut)
                    for declared in DECLARED:
                        total += 1
                        got = _fetched(data, declared, settings)
                        if got == expected:
                            right += 1
                        else:
                            misses.append(f"{case} declared {declared}: {got!r}"[:160])
                    total += 1
                    corpus = read_inputs(["-"], settings, stdin=io.BytesIO(data))
                    got = (corpus.articles[0].text if len(corpus.articles) == 1
                           else [(s.code, s.reason) for s in corpus.skipped])
                    if got == expected:
                        right += 1
                    else:
                        misses.append(f"{case} stdin: {got!r}"[:160])
                    for records in (20, 80):  # read whole, streamed
                        total += 1
                        feed = "".join(json.dumps({"text": f"Record {n}. {story}"},
                                                  ensure_ascii=False) + "\n"
                                       for n in range(records))
                        data = (bom if marked else b"") + feed.encode(codec)
                        data = data[:-1] if cut else data
                        corpus = read_inputs(["-"], small, stdin=io.BytesIO(data))
                        texts = [a.text for a in corpus.articles]
                        want = [f"Record {n}. {story}" for n in range(records - int(cut))]
                        if texts == want and len(corpus.skipped) == int(cut):
                            right += 1
                        else:
                            skipped = [(s.input, s.code, s.reason) for s in corpus.skipped]
                            misses.append(f"{case} feed of {records}: {len(texts)} read, "
                                          f"{skipped}"[:160])
    for language, body in CJK.items():
        feed = "".join(json.dumps({"title": f"{n}", "text": f"{n}. {body}",
                                   "url": f"https://example.com/a/{n}"},
                                  ensure_ascii=False, separators=(",", ":")) + "\n"
                       for n in range(5))
        for order, (_, codec) in ORDERS.items():
            total += 1
            corpus = read_inputs(["-"], settings, stdin=io.BytesIO(feed.encode(codec)))
            texts = [a.text for a in corpus.articles]
            if texts == [f"{n}. {body}" for n in range(5)] and not corpus.skipped:
                right += 1
            else:
                skipped = [(s.input, s.code, s.reason) for s in corpus.skipped]
                misses.append(f"{language} {order} compact feed: {len(texts)} read, "
                              f"{skipped}"[:160])
    for story in CJK_NUL_FREE:
        for order, (_, codec) in ORDERS.items():
            data = story.encode(codec)
            assert b"\x00" not in data
            for declared in (None, codec.replace("-16-", "-16")):
                total += 1
                got = _fetched(data, declared, settings)
                if got == story:
                    right += 1
                else:
                    misses.append(f"{story[:6]} {order} no NUL declared {declared}: "
                                  f"{got!r}"[:160])
    print(f"{right} of {total} read right")
    for miss in misses:
        print(miss)


def scan(roots: list[str]) -> None:
    """Print how many files under ``roots`` hold a NUL byte in their first 8 kB without a
    UTF-16/32 mark, then each one taken for UTF-16 by its NULs and what it decodes as."""
    with_nul, taken = 0, []
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(folder, name)
                try:
                    if os.path.islink(path) or not os.path.isfile(path):
                        continue
                    with open(path, "rb") as handle:
                        head = handle.read(65536)
                except OSError:
                    continue
                if b"\x00" not in head[:_NUL_BYTES] or head.startswith(_UTF16_32_BOMS):
                    continue
                with_nul += 1
                if _wide_codec(head[:_NUL_BYTES]) is not None:
                    try:
                        taken.append(f"{path}: read as {decode(head)[1]}")
                    except InputError as exc:
                        taken.append(f"{path}: taken for UTF-16, then [{exc.code}]")
    print(f"{with_nul} files with a NUL byte and no mark, {len(taken)} taken for UTF-16")
    for line in taken:
        print(line)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scan", nargs="+", metavar="DIR",
                        help="count the files under DIR taken for UTF-16 by their NULs")
    arguments = parser.parse_args()
    if arguments.scan:
        scan(arguments.scan)
    else:
        main()
