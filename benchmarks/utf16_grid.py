"""Count how many UTF-16 inputs of a fixed grid are read right.

The grid: three short stories (English, French, Russian) x byte order (little-, big-endian)
x byte order mark (with, without) x length (whole, cut by its last byte), each read four
ways: as a fetched text page whose Content-Type declares no charset, ``utf-16``,
``utf-16le`` or ``utf-16be`` (``ingest.read_bytes``), and as standard input (sniffed), plus
a JSON Lines feed of 20 such records (read whole) and one of 80 (over the size limit,
8,000 bytes, streamed) piped in. Right: the
article's text is the story (cut: the story without its last character, then U+FFFD), the
feed's 30 records read (cut: the first 29, the last line skipped). Nothing is fitted::

    python benchmarks/utf16_grid.py          # prints the count, then each miss
"""

from __future__ import annotations

import codecs
import io
import json

from crossbrief.config import load_settings
from crossbrief.errors import InputError
from crossbrief.ingest import read_bytes, read_inputs
from crossbrief.model import Article

STORIES = {
    "en": "The mayor said on Monday that the bridge would reopen in May, after repairs.",
    "fr": "Le maire a déclaré lundi que le pont rouvrirait en mai, après les réparations.",
    "ru": "Мэр заявил в понедельник, что мост вновь откроют в мае, после ремонта.",
}
ORDERS = {"le": (codecs.BOM_UTF16_LE, "utf-16-le"), "be": (codecs.BOM_UTF16_BE, "utf-16-be")}
DECLARED = (None, "utf-16", "utf-16le", "utf-16be")


def _expected(story: str, cut: bool) -> str:
    return story[:-1] + "\ufffd" if cut else story


def _text_of(read: list[object]) -> str | None:
    articles = [item for item in read if isinstance(item, Article)]
    return articles[0].text if len(articles) == 1 and len(read) == 1 else None


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
                        try:
                            got = _text_of(list(read_bytes(
                                data, "https://example.org/a.txt", settings, kind="text",
                                meta={"charset": declared} if declared else None)))
                        except InputError as exc:
                            got = f"[{exc.code}] {exc.detail}"
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
    print(f"{right} of {total} read right")
    for miss in misses:
        print(miss)


if __name__ == "__main__":
    main()
