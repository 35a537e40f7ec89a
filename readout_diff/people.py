"""People a readout names whom the codebook does not know, so statements can be credited to them.

The codebook lists the principals (leaders, ministers, advisers), but readouts quote many more
people: vice ministers, deputy secretaries, ambassadors, negotiators ("Xie Feng said ...",
"Vice Minister of Commerce Li Chenggang ... Li said ..."). Without a statistical tagger (the
pipelines are blank), a name is recognised by where it stands, in languages that capitalise
names:

- a **full name** is a run of two or three capitalised words that are not title, office or
  calendar words, either directly followed by a reporting verb ("*Wendy Sherman* said"), or
  after a title of office ("Vice Foreign Minister *Xie Feng*", "Deputy Secretary of State
  *Wendy Sherman*"), or followed by one after a comma ("*Li Chenggang*, China International
  Trade Representative"); not after "the" or another capitalised word ("the *White House*
  said", "People's *Liberation Army*" are no one);
- a **surname** alone ("*Li* said", "Deputy Secretary *Sherman* set out") is that person when
  the readout gives one full name with it as its first or last word (theirs or a codebook
  actor's).

Each becomes an actor match whose id is the full name as written, an ``official`` to the
speaker rules (:func:`readout_diff.extract._speakers`). Names overlapping a codebook actor or
title are the codebook's.
"""

from __future__ import annotations

from typing import Iterable

from .matching import ACTOR, Match

__all__ = ["unlisted_people"]

# Capitalised words of titles and offices, never part of a person's name.
_TITLE_WORDS = frozenset("""
president vice premier secretary deputy assistant under minister ministry director general
ambassador envoy special representative adviser advisor counselor councilor chairman chair
chief senior spokesperson spokesman spokeswoman commander admiral colonel lieutenant major
governor mayor senator congressman congresswoman speaker member head lead first executive
state defense defence commerce treasury foreign affairs trade security national homeland
political bureau central committee commission office department council house embassy
administration government agency joint staff chiefs military economic finance financial
science technology education health justice energy agriculture public international
presidential people's republic party communist cpc ccp
army navy force forces guard corps liberation academy university institute times news daily
post journal association
mr mrs ms dr amb gen adm sen rep doctor professor
""".split())
# The words a title ends in: a name right after one of them is a person.
_PERSON_TITLES = frozenset("""
president premier secretary minister director general ambassador envoy representative adviser
advisor counselor councilor chairman chair chief spokesperson spokesman spokeswoman commander
admiral colonel governor mayor senator speaker mr mrs ms dr amb gen adm sen rep doctor
professor
""".split())
_CALENDAR = frozenset("monday tuesday wednesday thursday friday saturday sunday january february "
                      "march april may june july august september october november december".split())
_CONNECTORS = frozenset({"of", "for", "and", "the", "&"})  # inside a title (a comma ends one)
_TITLE_LOOKBACK = 8  # tokens back over a title's words ("Deputy Secretary of State ...")
_SKIPPABLE = frozenset({"also", "further", "again", "then", "once", "repeatedly", "firmly",
                        "clearly", "strongly"})


def unlisted_people(doc, reporting: Iterable[bool], taken: list[Match], *,
                    people: frozenset[str] = frozenset(),
                    reporting_window: int = 3) -> list[Match]:
    """Actor matches for the people ``doc`` names who are not among ``taken`` (the codebook's
    actor and title matches), as the module docstring describes; ``reporting[i]`` says whether
    token ``i`` is a reporting verb. ``people`` are the ids of codebook actors who are persons:
    a bare surname of one named in full ("Li Chenggang ... *Li* said") is theirs too."""
    n = len(doc)
    reporting = list(reporting)
    blocked = [False] * n
    for m in taken:
        for i in range(m.start, min(m.end, n)):
            blocked[i] = True
    name_tok = [not blocked[i] and _name_word(doc[i]) for i in range(n)]

    def reported(end: int) -> bool:
        """A reporting verb right after: "Xie Feng *said*" (in lower case: "New York *State*"
        is no statement)."""
        j = end
        while j < n and doc[j].lower_ in _SKIPPABLE:
            j += 1
        return (j < n and j - end <= reporting_window and reporting[j]
                and doc[j].text[:1].islower())

    def after_title(start: int) -> bool:
        """A title of office right before, in the same sentence: "Vice Minister of Commerce
        *Li Chenggang*" (not across a comma: "Director, Monroe County" names no one)."""
        i = start - 1
        while i >= 0 and start - i <= _TITLE_LOOKBACK and not doc[i + 1].is_sent_start:
            word = doc[i].lower_.rstrip(".")
            if word in _PERSON_TITLES and doc[i].text[:1].isupper():
                return True
            if not (word in _TITLE_WORDS or word in _CONNECTORS or doc[i].is_title):
                return False
            i -= 1
        return False

    def title_after(end: int) -> bool:
        """A comma and then a title of office: "Li Chenggang, *Vice Minister* of Commerce"."""
        if end >= n or doc[end].text != ",":
            return False
        for i in range(end + 1, min(n, end + 1 + _TITLE_LOOKBACK)):
            word = doc[i].lower_.rstrip(".")
            if word in _PERSON_TITLES and doc[i].text[:1].isupper():
                return True
            if not (word in _TITLE_WORDS or word in _CONNECTORS or doc[i].is_title):
                return False
        return False

    # Runs of name words, split at sentence starts (a name does not run across sentences).
    runs: list[tuple[int, int]] = []
    i = 0
    while i < n:
        if not name_tok[i]:
            i += 1
            continue
        j = i + 1
        while j < n and name_tok[j] and not doc[j].is_sent_start:
            j += 1
        runs.append((i, j))
        i = j
    full: dict[str, str] = {}  # surname or given name -> full name (first written wins)
    for m in taken:
        if m.role == ACTOR and m.id in people and m.end - m.start >= 2:
            parts = m.id.split()
            full.setdefault(parts[0], m.id)
            full.setdefault(parts[-1], m.id)
    found: list[Match] = []
    singles: list[tuple[int, int]] = []
    for start, end in runs:
        if end - start == 1:
            singles.append((start, end))
            continue
        if not 2 <= end - start <= 3:
            continue
        titled = after_title(start)
        if start > 0 and (doc[start - 1].lower_ == "the" or (doc[start - 1].is_title
                                                           and not titled)):
            continue  # "the White House said", "People's Liberation Army": an institution
        if end < n and doc[end].is_title and doc[end].lower_ in _TITLE_WORDS:
            continue  # "White House *Gender Policy* Council": inside an institution's name
        after_comma = start > 0 and doc[start - 1].text == ","
        if not (titled or reported(end) or (title_after(end) and not after_comma)):
            continue  # ("Flanagan, *Outreach Specialist*, Boston Mayor's ...": a title itself)
        if titled and end - start == 3 and doc[start - 1].lower_ in ("of", "for"):
            start += 1  # "Secretary of Transportation Pete Buttigieg": the office's last word
        name = " ".join(doc[k].text for k in range(start, end))
        found.append(Match(ACTOR, "actor", name, start, end))
        for part in (doc[start].text, doc[end - 1].text):
            full.setdefault(part, name)
    for start, end in singles:
        name = full.get(doc[start].text)
        if name is not None and (reported(end) or after_title(start)):
            found.append(Match(ACTOR, "actor", name, start, end))
    return sorted(found, key=lambda m: m.start)


def _name_word(token) -> bool:
    """A capitalised word that can be part of a person's name."""
    text = token.text
    return (token.is_alpha and token.is_title and len(text) > 1 and not token.is_stop
            and text.lower() not in _TITLE_WORDS and text.lower() not in _CALENDAR)
