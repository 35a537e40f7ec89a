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
  actor's);
- a **title** alone ("The *Deputy Secretary* said") is the one person it was written before
  ("Deputy Secretary of State Wendy Sherman"), when it has two words or more.

Each becomes an actor match whose id is the full name as written, an ``official`` to the
speaker rules (:func:`readout_diff.extract._speakers`). Names overlapping a codebook actor or
title are the codebook's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np

from .arrays import in_sorted
from .matching import ACTOR, Match
from .nlp import hash_string, sorted_hashes, string_hashes

if TYPE_CHECKING:  # pragma: no cover
    from .nlp import Parsed


__all__ = ["CALENDAR", "TITLE_WORDS", "in_office_title", "unlisted_people"]



#: Words of titles and offices, never part of a person's name.
TITLE_WORDS = frozenset("""
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
post journal association member officer coordinator services development housing labor
transportation interior veterans environmental protection management budget intelligence war
resources relations engagement policy strategy operations implementation infrastructure
mr mrs ms dr amb gen adm sen rep doctor professor
""".split())
# The words a title ends in: a name right after one of them is a person.
_PERSON_TITLES = frozenset("""
president premier secretary minister director general ambassador envoy representative adviser
advisor counselor councilor chairman chair chief spokesperson spokesman spokeswoman commander
admiral colonel governor mayor senator speaker mr mrs ms dr amb gen adm sen rep doctor
professor officer coordinator
""".split())
# Abbreviated titles and honorifics: before a name only, never a noun after a comma.
_HONORIFICS = frozenset("mr mrs ms dr amb gen adm sen rep".split())
#: Capitalised words that are dates, never names.
CALENDAR = frozenset("monday tuesday wednesday thursday friday saturday sunday january february "
                      "march april may june july august september october november december".split())
_CONNECTORS = frozenset({"of", "for", "and", "the", "&"})  # inside a title (a comma ends one)
_TITLE_LOOKBACK = 8  # tokens back over a title's words ("Deputy Secretary of State ...")


def unlisted_people(parsed: "Parsed", reporting: Sequence[bool], taken: list[Match], *,
                    people: frozenset[str] = frozenset(),
                    skippable: frozenset[str] = frozenset(),
                    reporting_window: int = 3) -> list[Match]:
    """Actor matches for the people a parsed readout names who are not among ``taken`` (the
    codebook's actor and title matches), as the module docstring describes; ``reporting[i]``
    says whether token ``i`` is a reporting verb, and ``skippable`` words may stand between a
    name and it (``Cues.before_reporting``). ``people`` are the ids of codebook actors who are
    persons: a bare surname of one named in full ("Li Chenggang ... *Li* said") is theirs
    too."""
    doc = parsed.doc
    n = len(doc)
    if not n:
        return []
    all_words = _name_words(parsed)
    words = all_words.copy()
    taken_tok = [False] * (n + 1)
    for m in taken:
        words[m.start:m.end] = False
        taken_tok[m.start:m.end] = [True] * (m.end - m.start)
    name_tok = words.tolist()
    initial = _initials(parsed)
    # Token tests on the parse's columns (hashes and flags as Python lists): a look at
    # doc[i] costs more than the test itself.
    lower = parsed.column("LOWER").tolist()
    norm = parsed.column("NORM").tolist()
    title_case = parsed.column("IS_TITLE").tolist()
    capital = (parsed.column("IS_TITLE") | parsed.column("IS_UPPER")).tolist()
    lower_case = parsed.column("IS_LOWER").tolist()
    starts = {s for s, _ in parsed.sent_tokens}
    h = _hashes()
    skip = string_hashes(skippable)

    def before_taken(end: int) -> bool:
        """Whether a codebook actor follows (after an initial, maybe): "Pete" in "Pete
        Hegseth", "Janet" in "Janet L. Yellen" are that actor's given names."""
        j = end + 1 if end < n and initial[end] else end
        return taken_tok[j]

    def reported(end: int) -> bool:
        """A reporting verb right after: "Xie Feng *said*" (in lower case: "New York *State*"
        is no statement)."""
        j = end
        while j < n and lower[j] in skip:
            j += 1
        return j < n and j - end <= reporting_window and reporting[j] and lower_case[j]

    def title_before(start: int) -> tuple[int, int] | None:
        """The title of office right before, in the same sentence, as a token span from its
        first word to its last title noun: "*Deputy Secretary* of State Wendy Sherman",
        "*Vice Minister* of Commerce Li Chenggang" (not across a comma: "Director, Monroe
        County" names no one); None when there is none."""
        i, last = start - 1, None
        while i >= 0 and start - i <= _TITLE_LOOKBACK and i + 1 not in starts:
            word = lower[i]
            # Before the title noun, capitalised words of the office ("Secretary of *State*");
            # past it, title words only ("*Deputy* Secretary", not "Admiral *Paparo* and
            # General"). A title noun in lower case counts right before the name
            # ("ministry *spokesperson* Zhang Xiaogang").
            if not (word in h.title_words or word in h.connectors
                    or (last is None and title_case[i] and norm[i] not in h.verbs)):
                break  # (nor across a verb: "Paparo *Holds* Video Teleconference")
            if last is None and word in h.person_titles and (capital[i] or i == start - 1):
                last = i
            i -= 1
        if last is None:
            return None
        first = i + 1
        while first < last and lower[first] in h.connectors:
            first += 1  # "the Vice Minister": the title starts at "Vice"
        return first, last + 1

    def title_after(end: int) -> bool:
        """A comma and then a title of office: "Li Chenggang, *Vice Minister* of Commerce",
        "He Yadong, *spokesperson* for the Ministry of Commerce" (a title noun may be in lower
        case; an abbreviation, "Gen.", may not)."""
        if end >= n or lower[end] != h.comma:
            return False
        for i in range(end + 1, min(n, end + 1 + _TITLE_LOOKBACK)):
            word = lower[i]
            if word in h.person_titles and (capital[i] or word in h.person_nouns):
                return True
            if not (word in h.title_words or word in h.connectors or title_case[i]):
                return False
        return False

    # Runs of name words, split at sentence starts (a name does not run across sentences); a
    # middle initial joins a run ("Samuel *J.* Paparo") but neither opens nor ends one.
    runs: list[tuple[int, int]] = []
    end = -1
    for i in words.nonzero()[0].tolist():
        if i not in starts and runs and (i == end or (i == end + 1 and initial[end])):
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
        end = i + 1
    full: dict[str, str] = {}  # surname or given name -> full name (first written wins)
    for m in taken:
        if m.role == ACTOR and m.id in people and m.end - m.start >= 2:
            parts = m.id.split()
            full.setdefault(parts[0], m.id)
            full.setdefault(parts[-1], m.id)
    found: list[Match] = []
    singles: list[tuple[int, int]] = []
    titles: dict[tuple[str, ...], set[str]] = {}  # a title written before a name -> the names
    for start, end in runs:
        if before_taken(end):
            continue  # a codebook actor's given name
        if end - start == 1:
            singles.append((start, end))
            continue
        if not 2 <= end - start - sum(initial[start:end]) <= 3:
            continue
        span = title_before(start)
        if span is not None and span[0] >= 2 and lower[span[0] - 1] == h.comma \
                and name_tok[span[0] - 2] and span[0] - 2 not in starts:
            continue  # "Serina Floyd, *Chief Medical Officer*, ...": a title after a name
            # (not after a sentence's first word: "Later, Secretary Ana Ruiz posted")
        titled = span is not None
        if start > 0 and (lower[start - 1] == h.the or (title_case[start - 1] and not titled)):
            continue  # "the White House said", "People's Liberation Army": an institution
        if end < n and title_case[end] and lower[end] in h.title_words_exact:
            continue  # "White House *Gender Policy* Council": inside an institution's name
        after_comma = start > 0 and lower[start - 1] == h.comma
        if not (titled or reported(end) or (title_after(end) and not after_comma)):
            continue  # ("Flanagan, *Outreach Specialist*, Boston Mayor's ...": a title itself)
        if titled and end - start == 3 and lower[start - 1] in h.of_for:
            start += 1  # "Secretary of Transportation Pete Buttigieg": the office's last word
        name = " ".join(doc[k].text for k in range(start, end) if not initial[k])
        # The match covers the title too, as a codebook name "Secretary Blinken" does.
        found.append(Match(ACTOR, "actor", name, span[0] if span else start, end))
        for part in (doc[start].text, doc[end - 1].text):
            full.setdefault(part, name)
        if span is not None and span[1] - span[0] >= 2:
            titles.setdefault(tuple(doc[k].lower_ for k in range(*span)), set()).add(name)
    surnames = {hash_string(part.lower()) for part in full}  # a cheap test before doc[i]
    for start, end in singles:
        if lower[start] not in surnames:
            continue
        name = full.get(doc[start].text)
        if name is None:
            continue
        span = title_before(start)
        if span is not None or reported(end):
            found.append(Match(ACTOR, "actor", name, span[0] if span else start, end))
    if titles:
        found += _title_references(parsed, titles, taken + found, all_words)
    return sorted(found, key=lambda m: m.start)


def _title_references(parsed: "Parsed", titles: dict[tuple[str, ...], set[str]],
                      taken: list[Match], name_words: np.ndarray) -> list[Match]:
    """"The *Deputy Secretary* said": a title of two words or more, not followed by a name,
    is the one person it was written before. Codebook *titles* it overlaps give way (the
    caller drops them); actors (the codebook's, and names with their titles) do not.

    One pass over the tokens that start some title; at most ``_MAX_TITLES`` titles are looked
    for, so a text of thousands of titled names costs linear time, not titles × tokens.
    """
    doc = parsed.doc
    n = len(doc)
    by_first: dict[int, list[tuple[tuple[int, ...], str]]] = {}
    for key, names in list(titles.items())[:_MAX_TITLES]:
        if len(names) == 1:  # two people under one title: which is meant is not known
            hashes = tuple(hash_string(w) for w in key)
            by_first.setdefault(hashes[0], []).append((hashes, next(iter(names))))
    if not by_first:
        return []
    actor = np.zeros(n, dtype=bool)
    for m in taken:
        if m.role == ACTOR:
            actor[m.start:m.end] = True
    name_tok = (name_words & ~actor).tolist()
    lower_col = parsed.column("LOWER")
    firsts = np.array(sorted(by_first), dtype=np.uint64)
    at = in_sorted(lower_col, firsts) & (parsed.column("IS_TITLE") == 1)
    lower = lower_col.tolist()
    out: list[Match] = []
    for i in at.nonzero()[0].tolist():
        for hashes, name in by_first[lower[i]]:
            k = len(hashes)
            if (i + k <= n and tuple(lower[i:i + k]) == hashes and not actor[i:i + k].any()
                    and not (i + k < n and name_tok[i + k])):
                out.append(Match(ACTOR, "actor", name, i, i + k))
                break
    return out


_MAX_TITLES = 64  # titles of unlisted people looked for again in one text


def _initials(parsed: "Parsed") -> list[bool]:
    """Which tokens are initials ("J.", "Q."): a capital and a full stop."""
    doc = parsed.doc
    short = ((parsed.column("LENGTH") == 2) & (parsed.column("IS_ALPHA") == 0)).nonzero()[0]
    out = [False] * len(doc)
    for i in short.tolist():
        text = doc[i].text
        out[i] = text[0].isupper() and text[1] == "."
    return out


def _name_words(parsed: "Parsed") -> np.ndarray:
    """Which tokens are capitalised words that can be part of a person's name (a fresh,
    writable array)."""
    col = parsed.column
    ok = ((col("IS_ALPHA") == 1) & (col("IS_TITLE") == 1) & (col("IS_STOP") == 0)
          & (col("LENGTH") > 1))
    ok &= (~in_sorted(col("LOWER"), sorted_hashes(TITLE_WORDS | CALENDAR))
           & ~in_sorted(col("NORM"), sorted_hashes(_HEADLINE_VERBS)))
    # Surnames that are also English function words ("*He* Yadong", "*An* Fengshan"): a name
    # word when a name word follows; "He said" and "An American official" stay what they are.
    surname = ((col("IS_TITLE") == 1)
               & in_sorted(col("LOWER"), sorted_hashes(_STOPWORD_SURNAMES)))
    ok[:-1] |= surname[:-1] & ok[1:] & (col("IS_STOP")[1:] == 0)
    return ok


@dataclass(frozen=True)
class _Hashes:
    """spaCy string hashes of the word lists above, for tests on the LOWER and NORM columns
    (a word with a full stop too: "Gen." is "gen")."""

    title_words: frozenset[int]
    title_words_exact: frozenset[int]
    person_titles: frozenset[int]
    person_nouns: frozenset[int]  # person_titles that are words, not abbreviations
    connectors: frozenset[int]
    verbs: frozenset[int]
    of_for: frozenset[int]
    comma: int
    the: int


@lru_cache(maxsize=1)
def _hashes() -> _Hashes:
    def dotted(words: Iterable[str]) -> frozenset[int]:
        return frozenset(hash_string(v) for w in words for v in (w, w + "."))

    return _Hashes(dotted(TITLE_WORDS), string_hashes(TITLE_WORDS), dotted(_PERSON_TITLES),
                   string_hashes(_PERSON_TITLES - _HONORIFICS),
                   dotted(_CONNECTORS), string_hashes(_HEADLINE_VERBS),
                   string_hashes(frozenset({"of", "for"})), hash_string(","), hash_string("the"))


#: Chinese surnames spelt like English stop words ("He", "An"): _name_words lets them start a name.
_STOPWORD_SURNAMES = frozenset({"he", "an"})

#: Verbs a headline capitalises ("Secretary Hegseth *Meets* With ..."): never a name.
_HEADLINE_VERBS = frozenset("meet hold speak talk call visit host receive welcome join attend "
                            "discuss say hail urge".split())



def in_office_title(doc, start: int, end: int) -> bool:
    """Whether tokens ``[start, end)`` name the portfolio in a person's title of office: "Deputy
    Assistant Secretary of Defense for China, *Taiwan* and Mongolia", "Special Envoy for
    *Climate*" (TAXONOMY.md: a topic word inside a title does not count). The words must be
    capitalised, reached from "for" or "of" over a list of capitalised words, after a title
    that ends in a person's title noun, all in one sentence."""
    if not all(doc[k].text[:1].isupper() for k in range(start, end)):
        return False
    i = start - 1
    while i >= 0 and start - i <= _TITLE_LOOKBACK and not doc[i + 1].is_sent_start:
        word = doc[i].lower_
        if word in ("for", "of"):
            return _title_noun_before(doc, i)
        if not (doc[i].text[:1].isupper() or word in (",", "and", "&")):
            return False
        i -= 1
    return False


def _title_noun_before(doc, prep: int) -> bool:
    """Whether a person's title noun comes before ``prep`` over title words only ("Deputy
    Assistant *Secretary* of Defense" before "for"; in lower case too: "the senior *director*
    for China and Taiwan")."""
    i = prep - 1
    while i >= 0 and prep - i <= _TITLE_LOOKBACK and not doc[i + 1].is_sent_start:
        word = doc[i].lower_.rstrip(".")
        if word in _PERSON_TITLES:
            return True
        if not ((word in TITLE_WORDS and doc[i].text[:1].isupper()) or word in _CONNECTORS):
            return False
        i -= 1
    return False
