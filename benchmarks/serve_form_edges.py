"""The web forms' edge cases of review A (2026-12-03), counted over a fixed matrix.

- multipart requests answered 500: ``charset=undefined``, ``charset=punycode`` and
  ``charset=utf-8; charset=undefined`` (the MIME parser reads the first, Starlette the
  last) on every route that reads a form (the API's and the web page's), a part with and
  without a file: 54 requests;
- uploaded files' names shown as sent: ``filename*`` with raw bytes beyond ASCII, RFC 2231
  continuations, WHATWG's ``%22``;
- a URL-encoded body opening with UTF-8's byte order mark (201 when read);
- E516's byte and offset after UTF-8's byte order mark (``caf\\xe9``: 0xe9 at byte 6).

    python benchmarks/serve_form_edges.py      # a few seconds
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi.testclient import TestClient

from crossbrief.serve import create_app

TEXT = "The harbour council approved the budget on Monday after a long debate. " * 3
ROUTES = ("/api/articles", "/articles", "/stories", "/articles/x",
          *(f"/stories/x/{action}"
            for action in ("rename", "move", "merge", "reject", "restore")))
CHARSETS = ("; charset=undefined", "; charset=punycode", "; charset=utf-8; charset=undefined")
NAMES = ((b"filename*=UTF-8''caf\xc3\xa9.txt", "café.txt"),
         (b"filename*=UTF-8''caf\xe9.txt", "caf\\xe9.txt"),
         (b"filename*0*=UTF-8''caf%C3%A9.txt", "café.txt"),
         (b'filename*0="caf"; filename*1="e.txt"', "cafe.txt"),
         (b"filename*1*=%C3%A9.txt; filename*0*=utf-8''caf", "café.txt"),
         (b'filename="a%22b.txt"', 'a"b.txt'))


def multipart(disposition: bytes, data: bytes, charset: str = "") -> tuple[
        bytes, dict[str, str]]:
    """A body of one part, and its headers."""
    return (b"--XX\r\nContent-Disposition: " + disposition + b"\r\n\r\n" + data
            + b"\r\n--XX--\r\n",
            {"content-type": f"multipart/form-data; boundary=XX{charset}"})


def main() -> None:
    client = TestClient(create_app(Path(tempfile.mkdtemp()) / "library.db"),
                        raise_server_exceptions=False)
    answered_500 = total = 0
    for charset in CHARSETS:
        for disposition in (b'form-data; name="text"',
                            b'form-data; name="files"; filename="a.txt"'):
            body, headers = multipart(disposition, TEXT.encode(), charset)
            for route in ROUTES:
                total += 1
                answered_500 += client.post(route, content=body,
                                            headers=headers).status_code == 500
    print(f"form requests answered 500: {answered_500}/{total}")
    shown = 0
    for n, (parameters, name) in enumerate(NAMES):
        body, headers = multipart(b'form-data; name="files"; ' + parameters,
                                  f"{TEXT}{n}".encode())
        posted = client.post("/api/articles", content=body, headers=headers)
        shown += posted.status_code == 201 and client.get(
            f"/api/articles/{posted.json()['ids'][0]}").json()["input"] == name
    print(f"upload names shown as sent: {shown}/{len(NAMES)}")
    posted = client.post("/api/articles", content=b"\xef\xbb\xbftext=" + TEXT.encode(),
                         headers={"content-type": "application/x-www-form-urlencoded"})
    print(f"URL-encoded body opening with a byte order mark: {posted.status_code}")
    body, headers = multipart(b'form-data; name="text"', b"\xef\xbb\xbfcaf\xe9 " + TEXT.encode())
    message = client.post("/api/articles", content=body, headers=headers).json()
    print(f"E516 after a byte order mark: {message['error']['message']}")


if __name__ == "__main__":
    main()
