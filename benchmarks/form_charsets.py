"""The web app's forms in other encodings than UTF-8: what is stored, or refused, per case.

    python benchmarks/form_charsets.py             # a Markdown table, then the timing
    PYTHONPATH=OTHER/src python benchmarks/form_charsets.py    # another checkout's (OTHER)

Each case is one raw body posted to ``POST /api/articles`` on a fresh library (a pasted article
in the field ``text``: a made-up French sentence with "é" and "è", three times): the status,
and for a 201 whether the stored text is the text sent, character for character, or the
error's code. Then the time of 20 posts of a 1 MB form field (``POST /stories``, whose name is
refused as too long once the form is read: the form's reading, not the library's work).
"""

from __future__ import annotations

import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote_plus

warnings.simplefilter("ignore")

from fastapi.testclient import TestClient  # noqa: E402

from crossbrief.serve import create_app  # noqa: E402

TEXT = "Le conseil du port a voté le budget du café lundi, après un long débat. " * 3
# made-up Japanese ("the city council at the port passed the budget on Monday"), and the same
# with a character only Microsoft's Shift_JIS (cp932, WHATWG's Shift_JIS) has: "①"
JAPANESE = "港の市議会は月曜日、長い議論の末に予算を可決した。" * 3
JAPANESE_CP932 = JAPANESE.replace("予算を", "予算①を", 1)
# Latin-1 text in curly quotes, which iso-8859-1 has not and windows-1252 has
QUOTED = f"“{TEXT}”"
URLENCODED = "application/x-www-form-urlencoded"


def multipart(data: bytes, content_type: str | None = None) -> tuple[bytes, str]:
    headers = 'Content-Disposition: form-data; name="text"\r\n' + (
        f"Content-Type: {content_type}\r\n" if content_type else "")
    return (b"--XX\r\n" + headers.encode() + b"\r\n" + data + b"\r\n--XX--\r\n",
            "multipart/form-data; boundary=XX")


CASES = {
    "URL-encoded, `%FF` at the end": (b"text=" + quote_plus(TEXT).encode() + b"%FF", URLENCODED),
    "URL-encoded, Latin-1 %-escaped (`%E9`)":
        (b"text=" + quote_plus(TEXT, encoding="latin-1").encode(), URLENCODED),
    "URL-encoded, UTF-8 unescaped (`curl -d`)": (b"text=" + TEXT.encode(), URLENCODED),
    "URL-encoded, UTF-8 %-escaped (a browser)": (b"text=" + quote_plus(TEXT).encode(), URLENCODED),
    "URL-encoded, Latin-1 %-escaped, `charset=iso-8859-1`":
        (b"text=" + quote_plus(TEXT, encoding="latin-1").encode(),
         f"{URLENCODED}; charset=iso-8859-1"),
    "multipart, Latin-1 part, no charset": multipart(TEXT.encode("latin-1")),
    "multipart, Latin-1 part, `charset=utf-8`":
        multipart(TEXT.encode("latin-1"), "text/plain; charset=utf-8"),
    "multipart, Latin-1 part, `charset=iso-8859-1`":
        multipart(TEXT.encode("latin-1"), "text/plain; charset=iso-8859-1"),
    "multipart, UTF-16 part, `charset=utf-16`":
        multipart(TEXT.encode("utf-16"), "text/plain; charset=utf-16"),
    "multipart, UTF-8 part (a browser)": multipart(TEXT.encode()),
    # the review of 2026-12-02 (BENCHMARKS.md, "Web forms: the review's fixes")
    "multipart, UTF-16 part without a BOM (big-endian), `charset=utf-16`":
        multipart(TEXT.encode("utf-16-be"), "text/plain; charset=utf-16"),
    "multipart, Latin-1 part, `charset = latin-1` (spaces)":
        multipart(TEXT.encode("latin-1"), "text/plain; charset = latin-1"),
    "multipart, Shift_JIS part, `charset=shift_jis`":
        multipart(JAPANESE.encode("shift_jis"), "text/plain; charset=shift_jis"),
    "multipart, `charset=punycode`": multipart(TEXT.encode(), "text/plain; charset=punycode"),
    "multipart, `charset=unicode_escape`":
        multipart(TEXT.encode(), "text/plain; charset=unicode_escape"),
    "multipart, `charset=utf-7`": multipart(TEXT.encode(), "text/plain; charset=utf-7"),
    "multipart, a NUL byte in the charset": multipart(TEXT.encode(),
                                                      'text/plain; charset="utf\x00-8"'),
    "URL-encoded, `charset=utf-16`": (b"text=" + quote_plus(TEXT).encode(),
                                      f"{URLENCODED}; charset=utf-16"),
    # the second review (BENCHMARKS.md, "Web forms: the review's fixes", webfix2)
    "multipart, `charset*=idna''abc` (RFC 2231)":
        multipart(TEXT.encode(), "text/plain; charset*=idna''abc"),
    "URL-encoded, `charset*=undefined''x` (RFC 2231)":
        (b"text=" + quote_plus(TEXT).encode(), f"{URLENCODED}; charset*=undefined''x"),
    "multipart, Shift_JIS part with `①` (cp932), `charset=Shift_JIS`":
        multipart(JAPANESE_CP932.encode("cp932"), "text/plain; charset=Shift_JIS"),
    "multipart, windows-1252 quotes, `charset=iso-8859-1`":
        multipart(QUOTED.encode("cp1252"), "text/plain; charset=iso-8859-1"),
}


@contextmanager
def client() -> Iterator[TestClient]:
    """A client of the app on a fresh library in a folder removed afterwards, the app's
    lifespan run and closed (``with``)."""
    with tempfile.TemporaryDirectory() as folder, TestClient(
            create_app(Path(folder) / "library.db"), raise_server_exceptions=False) as app:
        yield app


def main() -> None:
    print("| case | answer |\n|---|---|")
    for name, (body, content_type) in CASES.items():
        expected = (JAPANESE_CP932 if "①" in name else JAPANESE if "Shift_JIS" in name
                    else QUOTED if "quotes" in name else TEXT)
        with client() as app:
            posted = app.post("/api/articles", content=body,
                              headers={"content-type": content_type})
            if posted.status_code == 201:
                text = app.get(f"/api/articles/{posted.json()['ids'][0]}").json()["text"]
                at = next((i for i, (a, b) in enumerate(zip(text, expected, strict=False))
                           if a != b),
                          min(len(text), len(expected)))
                got = ("stored as sent" if text == expected
                       else f"stored changed: `{text[max(at - 3, 0):at + 5]!r}`")
            elif posted.headers.get("content-type", "").startswith("application/json"):
                got = posted.json()["error"]["code"]
            else:  # a 500: the server's own plain-text answer
                got = "(no error code)"
        print(f"| {name} | {posted.status_code} {got} |")
    big = "word " * 200_000
    with client() as app:
        for name, (body, content_type) in (
                ("multipart", multipart(big.encode())),
                ("URL-encoded", (b"text=" + quote_plus(big).encode(), URLENCODED))):
            body = body.replace(b'name="text"', b'name="name"').replace(b"text=", b"name=", 1)
            start = time.perf_counter()
            for _ in range(20):
                app.post("/stories", content=body, headers={"content-type": content_type})
            print(f"{name}: {(time.perf_counter() - start) / 20 * 1000:.1f} ms per 1 MB form")


if __name__ == "__main__":
    main()
