"""Write docs/report.html: the HTML report of the bundled example (``crossbrief demo -f html``).

The output depends only on the example and the code (no timestamps, no checkout paths), so
running this twice gives the same file; tests/test_html.py checks the committed one is current.

    python scripts/build_docs_report.py
"""

from __future__ import annotations

from pathlib import Path

from crossbrief.cli import EXAMPLE, example_path
from crossbrief.pipeline import analyze
from crossbrief.render import render

REPORT = Path(__file__).resolve().parent.parent / "docs" / "report.html"


def build_report() -> str:
    """The example's HTML report, with inputs named relative to the examples folder."""
    corpus = analyze([str(example_path())])
    for article in corpus.articles:
        article.input = f"{EXAMPLE}/{Path(article.input).name}"
    corpus.skipped = [type(s)(f"{EXAMPLE}/{Path(s.input).name}", s.reason, s.code)
                      for s in corpus.skipped]
    return render(corpus, "html")


def main() -> None:
    REPORT.write_text(build_report(), "utf-8")
    print(f"wrote {REPORT}")


if __name__ == "__main__":
    main()
