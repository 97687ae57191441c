"""Speech verbs and who they attribute to: the vocabulary and the subject finding that the
sources stage (attributions, ``sources.py``) and the quotes stage (a quotation's speaker,
``quotes.py``) share. Its own module so that neither of those imports the other's helpers
both ways (sources reads quotations; quotes never reads sources)."""

from __future__ import annotations

from typing import Any

# Lemmas of verbs that attribute speech, writing or a mental state. Tuned on PolNeAR train.
CUE_LEMMAS = frozenset("""
say tell report state write add claim note argue insist explain announce warn declare assert
acknowledge admit confirm deny suggest reply respond recall ask urge describe tweet post
testify allege predict promise vow pledge contend maintain emphasize emphasise stress comment
remark observe complain concede boast accuse criticize criticise condemn praise hail learn
reveal indicate estimate quip joke mutter shout chant sing agree disagree question counter
retort caution concede inform reiterate repeat recount recite rule conclude find show believe
think hope fear expect want feel worry know doubt wonder call characterize characterise dub
label term continue share read welcome
""".split())
# Subject words that make a verb a report rather than speech ("the report said").
DOCUMENT_NOUNS = frozenset("""
statement report plan letter article study survey poll memo document filing complaint ruling
verdict order proposal paper communique communiqué readout transcript tweet post release notice
message email e-mail
""".split())

# Verbs that send words to the people addressed ("emailed supporters saying …", "wrote
# donors saying …"), through which "saying" hung on that object is the subject's. Not verbs
# that speak to someone about another's words ("reminded a heckler insisting the vote was
# “rigged” that …": the heckler's word).
ADDRESSING_VERBS = frozenset("""
email e-mail text message write
""".split())

# Verbs of giving voice whose participle names its speaker by the noun it hangs on
# ("protesters shouting “…”", "a crowd chanting “…”"). Not "saying" or "reading", which a
# thing does as well ("signs saying “…”", "a shirt reading “…”").
VOICING_VERBS = frozenset("""
shout chant yell scream sing cry cheer boo jeer heckle whisper mutter holler roar
""".split())


def subject_of(verb: Any) -> Any | None:
    """The subject of a cue verb, climbing from "…, saying" / "responded by saying" / "and
    said" to the clause that has one."""
    current = verb
    for level in range(4):
        # The subject nearest the verb: "No wonder Trump said" has two, and the parse's
        # first is "wonder".
        subjects = [c for c in current.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        if subjects:
            return min(subjects, key=lambda c: abs(c.i - current.i))
        if level and current.lemma_.lower() in CUE_LEMMAS:
            # "“…,” said Skelly, explaining …": the governing cue's inverted subject.
            inverted = inverted_subject(current)
            if inverted is not None:
                return inverted
        if current.dep_ == "acl" and current.tag_ == "VBG" and current.lemma_.lower() == "say" \
                and current.head.dep_ == "dobj" \
                and current.head.head.lemma_.lower() in ADDRESSING_VERBS:
            # "emailed supporters saying …": the parse hangs the cue on the people addressed;
            # whoever addressed them speaks.
            current = current.head.head
            continue
        if current.dep_ == "acl" and current.tag_ == "VBG" and \
                current.lemma_.lower() in VOICING_VERBS and current.head.pos_ in ("NOUN", "PROPN"):
            # "The officer told protesters shouting “…”": the people shouting, not whoever
            # spoke to them.
            return current.head
        through_document = current.dep_ in ("dobj", "pobj", "nsubj") and \
            current.lemma_.lower() in DOCUMENT_NOUNS
        if (current.dep_ not in ("advcl", "xcomp", "conj", "pcomp", "prep", "acl")
                and not through_document) or current.head is current:
            return None
        current = current.head  # "issued a statement saying …": whoever issued it
    return None


def inverted_subject(verb: Any) -> Any | None:
    """“…,” said the woman: a noun phrase right after the verb, whatever the parse called it."""
    for child in verb.children:
        if child.i > verb.i and child.dep_ in ("dobj", "attr", "npadvmod", "oprd", "nsubj",
                                               "advmod", "appos") \
                and (child.pos_ in ("PROPN", "NOUN", "PRON") or child.text[:1].isupper()):
            # "calling it a “no-brainer”": an object pronoun there, so no inverted subject.
            if child.pos_ == "PRON" and child.lower_ not in SPEAKING_PRONOUNS:
                return None
            return child
    return None


# The pronouns that can follow a cue as its subject ("“…,” said he"); "calling it a “…”"
# has an object there. Any other pronoun is no subject either: "“…,” said someone" (or
# "others", "many") gives no speaker, which loses a speaker rather than mislabelling one.
SPEAKING_PRONOUNS = frozenset({"he", "she", "they", "we", "i"})
