"""Count how many UTF-8 texts cut at every byte are read right by ``ingest.decode`` when
no charset is declared.

The grid: texts in ASCII, Latin (French), CJK (Chinese) and with emoji, each of several
lengths (a word, a sentence, a paragraph of it three times), cut after every byte (1 to
all of them), decoded with no charset declared. Right: every character whole before the
cut is read as it was, and a character the cut falls inside is one U+FFFD, with the
encoding ``utf-8`` (or ``ascii``); or, where ASCII is followed by a single byte only
(``caf\\xc3``), that byte read in Windows-1252, as for declared UTF-8 (a lone byte after
ASCII is no evidence of UTF-8: "café" in Latin-1 ends so). Then legitimate texts in a
single- or double-byte code page whose last bytes open a UTF-8 character (ASCII ending in
an accented letter and punctuation in Windows-1252, "café…", or in one Big5 character):
right, the text as written. Nothing is fitted::

    python benchmarks/utf8_cut_grid.py       # prints the count, then each miss
    python benchmarks/utf8_cut_grid.py --cjk # ASCII and one last double-byte character

With ``--cjk``, the price: "New iPhone 15 launch event " and one character of Big5,
GB18030, Shift_JIS or EUC-KR whose two bytes open a UTF-8 character (lead 0xE0 to 0xF4,
trail 0x80 to 0xBF), every one; per code page, how many read as written and how many as
UTF-8 cut short.
"""

from __future__ import annotations

import sys

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
# whole texts in a code page that end in bytes opening a UTF-8 character: an accented
# letter and punctuation in Windows-1252 (a lead byte and a continuation byte), one Big5
# character (its lead byte 0xE1 or 0xE5, its trail byte 0xA1 to 0xBF)
LEGACY = (
    [(f"{head}{letter}{mark}", "cp1252")
     for head in ("Meet me at the caf", "We flew to Bogot", "He called it a clich")
     for letter in "éáà" for mark in "…’”"]
    + [(f"New iPhone 15 launch event {bytes((lead, trail)).decode('big5')}", "big5")
       for lead in (0xE1, 0xE5) for trail in range(0xA1, 0xC0, 2)])


def expected(story: str, data: bytes) -> dict[str, set[str]]:
    """What reading the first bytes of ``story`` in UTF-8, ``data``, may rightly give, each
    answer with the encodings it is right in (a Windows-1252 reading said to be UTF-8 is
    not)."""
    whole = data.decode("utf-8", "ignore")
    kept = story[:len(whole)]
    if len(kept.encode()) == len(data):
        return {kept: {"utf-8", "ascii"}}
    answers = {kept + "\ufffd": {"utf-8"}}
    if kept.isascii() and len(data) - len(kept.encode()) == 1:
        answers[data.decode("cp1252", "replace")] = {"cp1252"}
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
                if encoding in expected(story, data).get(got, set()):
                    right += 1
                else:
                    misses.append(f"{name} {len(story)} chars cut at {end}: "
                                  f"{got[-12:]!r} ({encoding})")
    for story, codec in LEGACY:
        data = story.encode(codec)
        total += 1
        try:
            got, encoding = decode(data)
        except InputError as exc:
            got, encoding = f"[{exc.code}]", ""
        if got == story and data.decode(encoding) == story:
            right += 1
        else:
            misses.append(f"{codec} {story[-12:]!r}: {got[-12:]!r} ({encoding})")
    print(f"{right} of {total} read right")
    for miss in misses:
        print(miss)


def cjk() -> None:
    """Print, per double-byte code page, how many texts of ASCII and one last character
    whose bytes open a UTF-8 character read as written, and how many as UTF-8 cut short."""
    for codec in ("big5", "gb18030", "shift_jis", "euc-kr"):
        right = total = cut = 0
        for lead in range(0xE0, 0xF5):
            for trail in range(0x80, 0xC0):
                try:
                    char = bytes((lead, trail)).decode(codec)
                except UnicodeDecodeError:
                    continue
                if len(char) != 1:
                    continue
                story = "New iPhone 15 launch event " + char
                total += 1
                try:
                    got, encoding = decode(story.encode(codec))
                except InputError:
                    continue
                right += got == story
                cut += encoding == "utf-8"
        print(f"{codec}: {right} of {total} read as written, {cut} as UTF-8 cut short")


if __name__ == "__main__":
    cjk() if sys.argv[1:] == ["--cjk"] else main()
