"""Story grouping: the words of an article's URL as text (issue 14's tenth round, not shipped;
docs/stories.md, "Tried in issue 14's tenth round").

    python benchmarks/stories_urls.py --stats                 # slugs on dev, and their cost
    python benchmarks/stories_urls.py --cv thin               # --cv with the slug, refitted
    python benchmarks/stories_urls.py --cv all --letters      # ... numbers of the slug out
    python benchmarks/stories_urls.py --fixed off thin all    # replayed, not refitted
    python benchmarks/stories_urls.py --whole words           # the whole stream, in sample
    ... --repeat     # a slug word the article already has is counted again (else added once)
    ... --fits FILE  # (--fixed) keep each fold's constants in FILE (pickle) and reuse them

The engine never reads an article's URL; news URLs usually carry the headline as a slug
("/news/local/13-people-injured-club-shooting/nnpmX/"), which a page with no report on it (a
paywall or sign-in notice, an empty crawl, a title "en") does not otherwise give. Every article
of ``../shared/eval/gva-stream/dev.jsonl`` has a URL.

**The slug** (``url_words``, general: any feed's URLs): of the URL path's segments (the host,
the query and the fragment never read; a file extension cut), the one with the most words of
letters, split on ``-``, ``_`` and ``+``, when it has at least ``SLUG_WORDS`` (fewer: a
section, "local-news"; ties: the later segment); its words of letters (of two letters or more)
and numbers of one to three digits (``--letters``: none), lower case, the engine's stop words
and words of a page's kind ("article", "story", "news", ``SLUG_STOP``) out; words mixing
letters and digits (ids, hashes) and longer numbers (ids, dates) out.

**Where it goes** (``MODES``), by wrapping ``stories.extract_terms`` (the engine's only reader
of an article: the clusterer, the candidate pairs of the fit and the folds' backgrounds all
call it; the engine itself is unchanged): ``all``, the slug's words added to the article's
words (a word it already has: unchanged, or with ``--repeat`` counted once more) and to its
title words, for every article; ``words``, to the words only; ``thin`` and ``thinwords``, the
same only where the text is under ``THIN_TEXT`` characters (the ninth round's "short page");
``thindrop``, a thin page read as its title and slug alone (its text dropped); ``off``, none;
``title``, no slug but the title's words counted once more in the words (what ``--repeat``
does where the slug repeats the headline).

``--cv MODE``: ``benchmarks/stories.py --cv`` exactly (its ``cross_validate``: each fold's pair
model and thresholds refitted on the other folds' pairs found *with the slug*, the held-out
fold clustered by the engine with it, the short-stream checks with it); ``off`` gives
``--cv``'s figures to the last digit. ``--fixed MODE...``: the constants ``--cv`` fits without
the slug (``stories_splits.fold_fits``), each held-out fold's candidates found with the slug
and its decisions replayed (``bench.replay``, with the links by a person's name): the slug's
effect on the pairs without the refit's choice of thresholds.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import unquote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stories as bench  # benchmarks/stories.py
import stories_splits
from crossbrief import stories
from crossbrief.stories import ArticleTerms, StreamArticle

MODES = ("off", "all", "words", "thin", "thinwords", "thindrop", "title")
#: A segment of the URL path is a slug from this many words of letters on.
SLUG_WORDS = 3
#: Words of a URL that name the page's kind, not its event.
SLUG_STOP = frozenset("article articles story stories news index amp print".split())
#: ``thin`` modes: a text under this many characters (stories_splits.SHORT_PAGE).
THIN_TEXT = 400
_SEPARATOR = re.compile(r"[-_+]+")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,6}$")
_NUMBER = re.compile(r"\d{1,3}")


def url_words(url: str | None, numbers: bool = True) -> tuple[str, ...]:
    """The words of a news URL's slug (see the module's docstring); empty when no segment of
    its path has ``SLUG_WORDS`` words of letters."""
    if not url:
        return ()
    try:
        path = urlsplit(url).path
    except ValueError:
        return ()
    best: list[str] = []
    most = 0
    for segment in unquote(path).split("/"):
        parts = _SEPARATOR.split(_EXTENSION.sub("", segment).lower())
        letters = sum(1 for part in parts if part.isascii() and part.isalpha())
        if letters >= SLUG_WORDS and letters >= most:     # ties: the later segment
            best, most = parts, letters
    return tuple(part for part in best
                 if ((part.isascii() and part.isalpha() and len(part) > 1)
                     or (numbers and _NUMBER.fullmatch(part)))
                 and part not in stories._STOP and part not in SLUG_STOP)


def urls(path: Path = bench.GVA) -> dict[str, str]:
    """Each distinct article id's URL (the first of a duplicate id, as ``bench.load``)."""
    out: dict[str, str] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            out.setdefault(row["id"], row.get("url") or "")
    return out


def thin(article: StreamArticle) -> bool:
    return len((article.text or "").strip()) < THIN_TEXT


def with_slug(terms: ArticleTerms, slug: tuple[str, ...], title: bool, repeat: bool
              ) -> ArticleTerms:
    """The terms with the slug's words added (to the words, and to the title words)."""
    words = dict(terms.words)
    for word in slug:
        words[word] = words.get(word, 0) + 1 if repeat else words.get(word, 1)
    titles = terms.title
    if title:
        titles = tuple(dict.fromkeys(terms.title + slug))
    return replace(terms, words=words, title=titles)


def extractor(mode: str, by_id: dict[str, str], numbers: bool, repeat: bool
              ) -> Callable[[StreamArticle], ArticleTerms]:
    """``stories.extract_terms`` with the slug of ``mode``."""
    plain = stories.extract_terms

    def extract(article: StreamArticle) -> ArticleTerms:
        if mode == "off" or (mode.startswith("thin") and not thin(article)):
            return plain(article)
        if mode == "title":
            # No slug: the title's words counted once more in the words (what --repeat does
            # where the slug repeats the headline).
            terms = plain(article)
            words = dict(terms.words)
            for word in terms.title:
                if word in words:
                    words[word] += 1
            return replace(terms, words=words)
        slug = url_words(by_id.get(article.id), numbers)
        if mode == "thindrop":
            article = replace(article, text="")
        terms = plain(article)
        if not slug:
            return terms
        return with_slug(terms, slug, title=mode in ("all", "thin", "thindrop"),
                         repeat=repeat)

    return extract


def reading(extract: Callable[[StreamArticle], ArticleTerms]) -> Any:
    """A context in which the engine reads articles with ``extract`` (its only reader of an
    article is ``stories.extract_terms``, looked up at each call)."""
    return mock.patch.object(stories, "extract_terms", extract)


def stats(articles: list[StreamArticle], by_id: dict[str, str], numbers: bool) -> None:
    """How many articles have a slug, how many slugs add words to the title, to the title
    and text, and to a thin page's; and what the slug costs."""
    counts = dict.fromkeys(("articles", "slug", "new to title", "new to title and text",
                            "thin", "thin: new to title and text"), 0)
    for article in articles:
        slug = url_words(by_id.get(article.id), numbers)
        title = set(stories._WORD.findall((article.title or "").lower()))
        read = set(stories._WORD.findall(
            f"{article.title or ''}\n{(article.text or '')[:stories.TEXT_CHARS]}".lower()))
        counts["articles"] += 1
        counts["slug"] += bool(slug)
        counts["new to title"] += any(w not in title for w in slug)
        new = any(w not in read for w in slug)
        counts["new to title and text"] += new
        counts["thin"] += thin(article)
        counts["thin: new to title and text"] += thin(article) and new
    print(json.dumps(counts))
    plain = stories.extract_terms
    slugged = extractor("all", by_id, numbers, repeat=False)
    for name, run in (("url_words", lambda a: url_words(by_id.get(a.id), numbers)),
                      ("extract_terms", plain), ("extract_terms with the slug", slugged)):
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            for article in articles:
                run(article)
            best = min(best, time.perf_counter() - start)
        print(f"{name}: {1e6 * best / len(articles):.1f} µs an article (best of 3)")


def fixed(articles: list[StreamArticle], gold: bench.Gold, by_id: dict[str, str],
          modes: list[str], numbers: bool, repeat: bool, cache: Path | None) -> None:
    """Each mode replayed with the constants fitted without the slug (see the docstring)."""
    streams = bench.time_folds(articles, gold)
    plain = stories.extract_terms
    fits = stories_splits.fold_fits(articles, gold, streams,
                                    {a.id: plain(a) for a in articles}, cache)
    for mode in modes:
        with reading(extractor(mode, by_id, numbers, repeat)):
            terms = {a.id: stories.extract_terms(a) for a in articles}
            found: dict[str, str] = {}
            per_fold = []
            for held, fitted in enumerate(fits):
                out = bench.replay(bench.scored(bench.candidate_pairs(streams[held]),
                                                fitted["weights"], fitted["bias"]),
                                   fitted["join"], fitted["merge"], terms)
                found.update({aid: f"{held}:{sid}" for aid, sid in out.items()})
                per_fold.append(f"{bench.score(out, gold)['b3_f1']:.4f}")
        p = bench.score(found, gold)
        print(f"{mode}: pairwise P/R/F1 {p['pair_p']:.3f} / {p['pair_r']:.3f} / "
              f"{p['pair_f1']:.4f}, B-cubed P/R/F1 {p['b3_p']:.4f} / {p['b3_r']:.4f} / "
              f"{p['b3_f1']:.4f}; per fold B-cubed F1 {', '.join(per_fold)}; "
              f"{int(p['stories'])} stories")


def whole(articles: list[StreamArticle], gold: bench.Gold, by_id: dict[str, str], mode: str,
          numbers: bool, repeat: bool) -> None:
    """The whole dev stream in sample, as a user's feed: the constants fitted on all of it as
    ``--fit`` fits them (``bench.fit_all``) with the slug of ``mode``, then the stream
    clustered by the engine with them and the slug."""
    with reading(extractor(mode, by_id, numbers, repeat)):
        fitted = bench.fit_all(articles, gold)
        found = {a.id: g.id for g in stories.cluster(
            articles, **{name: fitted[name] for name in ("weights", "bias", "join", "merge")})
            for a in g.articles}
    p = bench.score(found, gold)
    print(f"whole stream ({mode}; join {fitted['join']}, merge {fitted['merge']}): pairwise "
          f"P/R/F1 {p['pair_p']:.3f} / {p['pair_r']:.3f} / {p['pair_f1']:.4f}, B-cubed "
          f"P/R/F1 {p['b3_p']:.4f} / {p['b3_r']:.4f} / {p['b3_f1']:.4f}; "
          f"{int(p['stories'])} stories")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stats", action="store_true", help="slug counts and cost on dev")
    parser.add_argument("--cv", choices=MODES, help="--cv's protocol with the slug (refitted)")
    parser.add_argument("--fixed", choices=MODES, nargs="+",
                        help="replayed with the constants fitted without the slug")
    parser.add_argument("--whole", choices=MODES,
                        help="the whole dev stream in sample, the constants fitted with it")
    parser.add_argument("--letters", action="store_true", help="the slug's numbers out")
    parser.add_argument("--repeat", action="store_true",
                        help="a slug word the article has counted once more")
    parser.add_argument("--fits", type=Path, help="(--fixed) cache of the folds' constants")
    parser.add_argument("--json", type=Path, help="(--cv) write the figures here")
    args = parser.parse_args(argv)
    articles, gold = bench.load()
    by_id = urls()
    numbers = not args.letters
    if args.stats:
        stats(articles, by_id, numbers)
    if args.fixed:
        fixed(articles, gold, by_id, args.fixed, numbers, args.repeat, args.fits)
    if args.whole:
        whole(articles, gold, by_id, args.whole, numbers, args.repeat)
    if args.cv:
        with reading(extractor(args.cv, by_id, numbers, args.repeat)):
            cv = bench.cross_validate(articles, gold)
        if args.json:
            args.json.write_text(json.dumps({"cv": cv}, indent=1), "utf-8")
        p = cv["pooled"]
        print(f"out of fold ({args.cv}): pairwise P/R/F1 {p['pair_p']:.3f} / "
              f"{p['pair_r']:.3f} / {p['pair_f1']:.4f}, B-cubed P/R/F1 {p['b3_p']:.4f} / "
              f"{p['b3_r']:.4f} / {p['b3_f1']:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
