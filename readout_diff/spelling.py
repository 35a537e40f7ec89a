"""British → American spelling, so one English pattern matches both ("defence", "organised").

General rules with exception lists rather than a word list tuned to any corpus: ``-ise`` verbs
and ``-isation`` nouns, ``-our`` words, ``-ence`` nouns of the licence/defence group, ``-tre``
nouns, doubled ``l`` before an ending, and a handful of irregular forms.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["americanize"]

_IRREGULAR = {
    "defence": "defense", "defences": "defenses", "offence": "offense", "offences": "offenses",
    "licence": "license", "licences": "licenses", "pretence": "pretense",
    "programme": "program", "programmes": "programs", "judgement": "judgment",
    "judgements": "judgments", "ageing": "aging", "manoeuvre": "maneuver",
    "manoeuvres": "maneuvers", "whilst": "while", "amongst": "among", "learnt": "learned",
    "catalogue": "catalog", "analyse": "analyze", "analysed": "analyzed", "analyses": "analyzes",
    "analysing": "analyzing", "paralyse": "paralyze", "enrolment": "enrollment",
    "fulfil": "fulfill", "fulfils": "fulfills", "fulfilment": "fulfillment", "skilful": "skillful",
    "wilful": "willful", "instil": "instill", "grey": "gray", "cheque": "check",
    "sceptical": "skeptical", "scepticism": "skepticism", "storey": "story", "tyre": "tire",
    "aluminium": "aluminum", "mould": "mold", "plough": "plow", "draught": "draft",
}
_DOUBLE_L = re.compile(
    r"^(travel|cancel|counsel|fuel|label|model|signal|channel|level|marshal|total|equal|dial|"
    r"duel|jewel|label|libel|panel|pencil|quarrel|rival|shovel|tunnel|unravel|funnel|grovel)"
    r"l(ed|ing|er|ers)$"
)
# -ise words that are not British spellings of -ize words.
_ISE_KEEP = frozenset(
    """advise arise chastise comprise compromise demise despise devise disguise enterprise excise
    exercise franchise improvise incise merchandise precise premise promise revise supervise
    surmise surprise televise wise otherwise likewise clockwise expertise concise raise praise
    rise noise poise cruise bruise paradise treatise reprise mortise anise valise guise
    circumcise apprise appraise braise chaise sunrise uprise streetwise
    counterwise moonrise""".split()
)
_OUR_KEEP = frozenset(
    "our four hour your tour pour sour flour devour contour detour velour troubadour paramour"
    " amour dour scour".split()
)
_TRE = re.compile(r"^(cen|thea|me|li|fib|cali|sabre|spec|lus|mea|sombre|ochre)tre(s?)$")
_ISE = re.compile(r"^([a-z]{3,}?)is(e|es|ed|ing|ation|ations|er|ers)$")
_OUR = re.compile(r"^([a-z]{2,}?)our(s|ed|ing|able|ably|ite|ites|er|ers|less)?$")


@lru_cache(maxsize=65536)
def americanize(word: str) -> str:
    """Return the American spelling of a lower-case word (unchanged when it has none).

    >>> [americanize(w) for w in ["defence", "organised", "favourable", "travelling", "promise"]]
    ['defense', 'organized', 'favorable', 'traveling', 'promise']
    """
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    m = _DOUBLE_L.match(word)
    if m:
        return f"{m.group(1)}{m.group(2)}"
    m = _TRE.match(word)
    if m:
        return f"{m.group(1)}ter{m.group(2)}"
    m = _ISE.match(word)
    if m:
        stem, ending = m.groups()
        base = stem + "ise"
        if base not in _ISE_KEEP:
            return f"{stem}iz{ending}"
        return word
    m = _OUR.match(word)
    if m and len(word) >= 6:
        stem, ending = m.group(1), m.group(2) or ""
        if stem + "our" not in _OUR_KEEP and not (stem + "our").endswith(("hour", "four", "pour")):
            return f"{stem}or{ending}"
    return word
