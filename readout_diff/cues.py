"""Closed-class cue words per language: negation, discussion, future and modality, reporting verbs.

These are grammar, not subject matter, so they live in code rather than in the user's codebook.
All English entries are *normalised* forms (lower case, American spelling, lemma — see
:mod:`readout_diff.nlp`), so "discussed", "Discusses" and "discussion" need one entry each at
most. A language registers one :class:`Cues` value; :mod:`readout_diff.extract` does the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

__all__ = ["CUES", "Cues"]


@dataclass(frozen=True)
class Cues:
    """The cue words of one language (all normalised)."""

    #: Words that negate a report of discussion: "did *not* discuss", "*nothing* was said".
    negation: frozenset[str]
    #: Predicates of discussing: a topic is negated only when a negation goes with one of these.
    discussion: frozenset[str]
    #: Words that end a clause inside a sentence (negation and future cues do not cross them).
    clause_breaks: frozenset[str]
    #: Future or modal cues before a hit, mapped to the commitment modality they express.
    modality: Mapping[str, str]
    #: Time expressions after a hit that make it future on their own ("early next year").
    time_after: frozenset[str]
    #: Verbs that credit a statement to the actor before them ("Xi *stressed*").
    reporting: frozenset[str]
    #: Pronouns that continue the previous sentence's speaker.
    pronouns: frozenset[str]
    #: Adjectives describing talks ("candid and constructive") and the nouns for talks: a
    #: sentence with both describes the talks, which the aligner links across readouts.
    descriptors: frozenset[str] = field(default_factory=frozenset)
    talk_nouns: frozenset[str] = field(default_factory=frozenset)
    #: Capitalised words that are not names (for specificity counts).
    generic_titles: frozenset[str] = field(default_factory=frozenset)
    #: Max distance, in tokens, between a negation and its discussion predicate.
    negation_window: int = 10
    #: Max distance, in tokens, between a future cue and the hit it licenses.
    future_window: int = 10


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


_EN_MODALITY = {
    **dict.fromkeys(["agree", "agreement", "consensus", "decide", "commit", "pledge", "vow"],
                    "agreed"),
    **dict.fromkeys(["will", "shall", "would", "plan", "schedule", "intend", "upcoming",
                     "forthcoming", "soon", "next", "future", "prepare", "arrange",
                     "expect"], "will"),
    **dict.fromkeys(["invite", "invitation"], "invited"),
    **dict.fromkeys(["propose", "proposal", "suggest", "should", "must", "need", "urge"],
                    "proposed"),
    **dict.fromkeys(["hope", "wish", "forward", "like", "ready", "want", "eager",
                     "desire", "look", "seek", "aim", "could", "may", "might"], "hopes"),
}

CUES: dict[str, Cues] = {
    "en": Cues(
        negation=_words("not no never nothing neither nor none without nobody avoid decline "
                        "refuse fail absent omit lack"),
        discussion=_words("discuss discussion raise mention address touch talk come bring agenda "
                          "cover feature broach tackle say comment focus topic subject table "
                          "include figure arise up reference refer"),
        clause_breaks=_words("; : but while whereas although though however yet instead rather "
                             "— – meanwhile separately"),
        modality=_EN_MODALITY,
        time_after=_words("next coming later upcoming soon future appropriate near early "
                          "forthcoming will shall"),
        reporting=_words(
            "say stress note emphasize underscore underline point express welcome urge call "
            "reaffirm reiterate raise agree discuss hope invite add indicate state highlight "
            "explain affirm warn ask tell propose suggest convey share look thank congratulate "
            "recall praise condemn oppose support believe think insist demand request accept "
            "acknowledge recognize encourage commit pledge vow announce declare confirm outline "
            "describe elaborate review exchange voice reject deny criticize object assure promise "
            "respond reply observe remark comment wish want seek hail applaud appreciate value "
            "maintain expect reaffirmed agreed noted stressed said told underscored "
            "expressed welcomed urged pressed cite caution deplore lament regret"
        ),
        pronouns=_words("he she"),
        descriptors=_words("candid constructive frank in-depth substantive pragmatic productive "
                           "fruitful positive direct tough open honest businesslike cordial "
                           "friendly wide-ranging extensive thorough detailed good great "
                           "useful respectful sincere deep"),
        talk_nouns=_words("talk talks discussion discussions conversation call exchange "
                          "exchanges meeting dialogue communication consultation "
                          "consultations negotiation negotiations"),
        generic_titles=_words(
            "president secretary minister premier vice general director advisor adviser "
            "ambassador chairman spokesperson state department government official leader "
            "side the a an in on at this that these both"
        ),
    ),
}
