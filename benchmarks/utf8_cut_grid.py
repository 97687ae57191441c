"""Count how many UTF-8 texts cut at every byte are read right by ``ingest.decode`` when
no charset is declared.

The grid: texts in ASCII, Latin (French), CJK (Chinese) and with emoji, each of several
lengths (a word, a sentence, a paragraph of it three times), cut after every byte (1 to
all of them), decoded with no charset declared. Right: every character whole before the
cut is read as it was, and a character the cut falls inside is one U+FFFD, with the
encoding ``utf-8`` (or ``ascii``); or, where ASCII is followed by a single byte only
(``caf\\xc3``), that byte read in Windows-1252, as for declared UTF-8 (a lone byte after
ASCII is no evidence of UTF-8: "café" in Latin-1 ends so). Nothing is fitted::

    python benchmarks/utf8_cut_grid.py       # prints the count, then each miss
"""

from __future__ import annotations

from crossbrief.errors import InputError
from crossbrief.ingest import decode

TEXTS = {
    "ascii": ("Hello", "The mayor said on Monday that the bridge would reopen in May."),
    "latin": ("café", "Le maire a déclaré lundi que le pont rouvrirait en mai, après réparation."),
    "cjk": ("大桥", "市政府周一表示，大桥将在五月重新开放。"),
    "emoji": ("ok 👏", "Bridge reopens 🎉 crowds cheer 👏 at dawn 🌅"),
}
# a word, a sentence, a paragraph (the sentence three times over)
LENGTHS = ((0, 1), (1, 1), (1, 3))


def expected(story: str, data: bytes) -> set[str]:
    """What reading the first bytes of ``story`` in UTF-8, ``data``, may rightly give."""
    whole = data.decode("utf-8", "ignore")
    kept = story[:len(whole)]
    if len(kept.encode()) == len(data):
        return {kept}
    answers = {kept + "\ufffd"}
    if kept.isascii() and len(data) - len(kept.encode()) == 1:
        answers.add(data.decode("cp1252", "replace"))
    return answers


def main() -> None:
    right, misses, total = 0, [], 0
    for name, texts in TEXTS.items():
        for which, times in LENGTHS:
            story = " ".join([texts[which]] * times)
            whole = story.encode()
            for end in range(1, len(whole) + 1):
                data = whole[:end]
                total += 1
                try:
                    got, encoding = decode(data)
                except InputError as exc:
                    got, encoding = f"[{exc.code}]", ""
                if got in expected(story, data) and (
                        encoding in ("utf-8", "ascii", "cp1252")):
                    right += 1
                else:
                    misses.append(f"{name} {len(story)} chars cut at {end}: "
                                  f"{got[-12:]!r} ({encoding})")
    print(f"{right} of {total} read right")
    for miss in misses:
        print(miss)


if __name__ == "__main__":
    main()
