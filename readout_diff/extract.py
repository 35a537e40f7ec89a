"""From matcher hits to findings: topics and frames per sentence, negation, commitments, speakers.

The matchers (:mod:`readout_diff.matching`) say *where* codebook phrases occur; this module
decides what each occurrence means, with closed-class cues (:mod:`readout_diff.cues`):

- **Exclusions and context.** A hit inside an ``exclude`` phrase of its entry is dropped ("Trade
  Representative"); a ``contextual`` hit needs a ``context`` phrase within ``window`` tokens and
  no ``block`` phrase nearer ("the two *presidents* agreed to *meet*" vs "their *teams* will
  *meet*").
- **Negation** (topics only). A hit is negated when its clause has a negation and a discussion
  predicate close together ("did not discuss", "nothing was said", "no mention of") and the
  negation governs it: the negation comes before the hit ("did not discuss Ukraine", "neither
  Ukraine nor Iran came up"), or the hit is the subject before "not ... discussed" ("Ukraine was
  not discussed"). Clauses end at ``;``, ``but``, ``while``, ..., so "discussed trade but not
  Ukraine" negates Ukraine only. A topic is *negated* for the readout only if every hit of it is.
- **Future entries** (meetings, visits, talks) need a future or modal cue before the hit in its
  clause ("agreed to", "will", "invited ... to") or a time expression after it ("next year"); the
  cue gives the commitment's modality.
- **Attribution.** A sentence is credited to the first actor that a reporting verb follows
  ("Xi *stressed*", "the two sides *agreed*"); "the President" resolves to the first actor holding
  that title in the readout, "he"/"she" to the previous sentence's speaker.

Everything per token is done on NumPy arrays of normalised-word hashes; Python runs per hit.

**Other languages** set what differs in their :class:`~readout_diff.cues.Cues`: cues of several
tokens are matched as phrases (Chinese cut into characters: "并未", "保持沟通"), a cue inside a
longer non-cue does not count ("未" in "未来"); windows may count characters instead of words;
Chinese also bounds context look-ups at commas, drops a future entry next to an occasion word
("此次会晤", "会晤时"), credits a sentence-initial subject whose verb comes late ("两国元首就……
交换了意见"), and lets a paragraph's sentences continue its speaker. English defaults leave the
behaviour above unchanged.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, fields
from functools import lru_cache

import numpy as np

from .arrays import in_sorted, lookup_sorted
from .cues import CUES, Cues
from .matching import (ACTOR, BLOCK, CONTEXT, CONTEXTUAL, EXCLUDE, FORWARD, HIT, TITLE,
                       CompiledCodebook, Match)
from .model import Commitment, Mention
from .nlp import Parsed, hash_string, string_hashes
from .people import CALENDAR, TITLE_WORDS, in_office_title, unlisted_people
from .posts import DASHES, FIRST_PERSON, INTRODUCING_VERBS, authorship, quoted_first_person

__all__ = ["Findings", "extract"]

_MODALITIES = ("agreed", "will", "invited", "proposed", "hopes")


@dataclass(frozen=True)
class Findings:
    """What :func:`extract` finds in one readout, per sentence."""

    mentions: tuple[tuple[Mention, ...], ...]
    speakers: tuple[str | None, ...]
    specifics: tuple[int, ...]
    commitments: tuple[Commitment, ...]
    actors: tuple[tuple[str, ...], ...] = ()  # people named in each sentence, sorted


@dataclass(frozen=True)
class _CueArrays:
    neg: np.ndarray
    disc: np.ndarray
    brk: np.ndarray
    modality: np.ndarray  # index into _MODALITIES + 1, 0 for none
    time_after: np.ndarray
    reporting: np.ndarray
    pronoun: np.ndarray
    neg_determiner: np.ndarray  # "no": a negation that goes with the noun right after it
    limiter: np.ndarray  # "only", "just": "not only" is not a negation
    specific: np.ndarray
    context_break: np.ndarray  # bounds context/block look-ups (Chinese "，")
    occasion_before: np.ndarray  # "此次" before a hit: the present occasion
    occasion_after: np.ndarray  # "时", "期间" after a hit: the occasion or a past event
    occasion_determiner: np.ndarray  # "their" in "at their meeting in Busan"
    condition: np.ndarray  # "if", "whether": a condition or an open question
    relative: np.ndarray  # "which", "who"
    purpose: np.ndarray  # "so that", "in order"
    participants: np.ndarray  # "between" after a meeting hit
    norm: np.ndarray  # NORM hash of every token
    according: tuple[int, ...] = ()  # NORM hashes of the words crediting the actor after them
    reporting_window: int = 3


_FLAG_CATEGORIES = ("neg", "disc", "brk", "time", "rep", "pron", "limiter", "generic", "ctxbrk",
                    "occ_b", "occ_a", "negdet", "occ_det", "cond", "rel", "purp", "part")
_FLAG_SHIFTS = np.arange(len(_FLAG_CATEGORIES), dtype=np.int64)
# Categories whose multi-token cues mark only their first token (a clause break, a pronoun or a
# word right after a hit is one position); the others mark every token they cover.
_FIRST_TOKEN_ONLY = frozenset({"brk", "pron", "ctxbrk", "occ_a"})


@dataclass(frozen=True)
class _CueTable:
    """The cues of one language compiled for one pipeline: hashes of one-token cues (one sorted
    table, a bit per category, so a document needs one look-up), a PhraseMatcher for cues of
    several tokens and for non-cues (None when there are none)."""

    keys: np.ndarray  # every one-token cue, sorted ...
    bits: np.ndarray  # ... with a bit per category of _FLAG_CATEGORIES
    mod_keys: np.ndarray  # sorted hashes of one-token modality cues
    mod_vals: np.ndarray  # their index into _MODALITIES + 1
    matcher: object | None

    def flags(self, norm: np.ndarray) -> dict[str, np.ndarray]:
        """For each category, which tokens (by NORM hash) are one of its one-token cues."""
        found = lookup_sorted(norm, self.keys, self.bits)
        bits = (found[None, :] >> _FLAG_SHIFTS[:, None]) & 1  # one row per category
        return dict(zip(_FLAG_CATEGORIES, bits.astype(bool)))


@lru_cache(maxsize=16)
def _cue_table(lang: str, nlp: object) -> _CueTable:
    from spacy.matcher import PhraseMatcher

    cues = CUES[lang]
    words = {"neg": cues.negation, "disc": cues.discussion, "brk": cues.clause_breaks,
             "time": cues.time_after, "rep": cues.reporting, "pron": cues.pronouns,
             "limiter": cues.limiters, "generic": cues.generic_titles,
             "ctxbrk": cues.context_breaks, "occ_b": cues.occasion_before,
             "occ_a": cues.occasion_after, "negdet": cues.negation_determiners,
             "occ_det": cues.occasion_determiners, "cond": cues.conditions,
             "rel": cues.relatives, "purp": cues.purposes, "part": cues.participants}
    matcher = PhraseMatcher(nlp.vocab, attr="NORM")  # type: ignore[attr-defined]
    single: dict[str, set[int]] = {k: set() for k in words}
    mods: dict[int, int] = {}

    def add(key: str, w: str) -> set[int] | None:
        """Add a multi-token cue to the matcher; return the hashes of a one-token cue."""
        doc = nlp.make_doc(w)  # type: ignore[attr-defined]
        if len(doc) > 1:
            matcher.add(key, [doc])
            return None
        # A cue is normalised like the text ("agenda" → "agendum", "said" → "say"), so the
        # lists can be written in plain words.
        return {doc[0].norm} if len(doc) else None

    for cat, ws in words.items():
        for w in sorted(ws):
            hashes = add(cat, w)
            if hashes:
                single[cat] |= hashes
    for w in sorted(cues.modality):
        value = _MODALITIES.index(cues.modality[w]) + 1
        hashes = add(f"mod|{value}", w)
        for x in hashes or ():
            mods.setdefault(x, value)
    for w in sorted(cues.non_cues):
        doc = nlp.make_doc(w)  # type: ignore[attr-defined]
        if len(doc):
            matcher.add("non", [doc])
    keys = np.array(sorted(mods), dtype=np.uint64)
    bits: dict[int, int] = defaultdict(int)
    for b, cat in enumerate(_FLAG_CATEGORIES):
        for h in single[cat]:
            bits[h] |= 1 << b
    all_keys = np.array(sorted(bits), dtype=np.uint64)
    return _CueTable(
        keys=all_keys, bits=np.array([bits[h] for h in all_keys.tolist()], dtype=np.int64),
        mod_keys=keys, mod_vals=np.array([mods[k] for k in keys.tolist()], dtype=np.int64),
        matcher=matcher if len(matcher) else None,
    )


def _arrays(parsed: Parsed, lang: str, nlp: object) -> _CueArrays:
    doc = parsed.doc
    if not len(doc):
        empty = np.zeros(0, dtype=bool)
        flags = {f.name: empty for f in fields(_CueArrays) if f.name not in ("according",
                                                                              "reporting_window")}
        return _CueArrays(**{**flags, "modality": np.zeros(0, np.int64),
                             "norm": np.zeros(0, np.uint64)})
    norm = parsed.column("NORM")
    table = _cue_table(lang, nlp)
    flags = table.flags(norm)
    modality = lookup_sorted(norm, table.mod_keys, table.mod_vals)
    if table.matcher is not None:
        _phrase_cues(doc, table.matcher, flags, modality)
    if CUES[lang].case_names:
        sent_first = np.zeros(len(doc), dtype=bool)
        for s, _ in parsed.sent_tokens:
            if s < len(doc):
                sent_first[s] = True
        specific = (parsed.column("LIKE_NUM") == 1) | (
            (parsed.column("IS_TITLE") == 1) & (parsed.column("IS_STOP") == 0) & ~sent_first
            & ~flags["generic"])
    else:
        specific = _number_tokens(parsed)
    return _CueArrays(
        neg=flags["neg"], disc=flags["disc"], brk=flags["brk"], modality=modality,
        time_after=flags["time"], reporting=flags["rep"], pronoun=flags["pron"],
        neg_determiner=flags["negdet"], limiter=flags["limiter"], specific=specific,
        context_break=flags["ctxbrk"],
        occasion_before=flags["occ_b"], occasion_after=flags["occ_a"],
        occasion_determiner=flags["occ_det"], condition=flags["cond"], relative=flags["rel"],
        purpose=flags["purp"], participants=flags["part"], norm=norm,
        according=tuple(int(doc.vocab.strings.add(w)) for w in CUES[lang].according),
        reporting_window=CUES[lang].reporting_window,
    )


def _phrase_cues(doc, matcher, flags: dict[str, np.ndarray], modality: np.ndarray) -> None:
    """Mark cues of several tokens, and unmark cues inside a longer non-cue ("未" in "未来")."""
    strings = doc.vocab.strings
    found = [(strings[k], s, e) for k, s, e in matcher(doc)]
    non = [(s, e) for key, s, e in found if key == "non"]

    def shadowed(s: int, e: int) -> bool:
        return any(ns <= s and e <= ne and ne - ns > e - s for ns, ne in non)

    for ns, ne in non:
        if ne - ns > 1:  # one-token cues strictly inside a non-cue
            for cat in flags:
                flags[cat][ns:ne] = False
            modality[ns:ne] = 0
    for key, s, e in found:
        if key == "non" or shadowed(s, e):
            continue
        if key.startswith("mod|"):
            if not modality[s]:
                modality[s] = int(key[4:])
        elif key in _FIRST_TOKEN_ONLY:
            flags[key][s] = True
        else:
            flags[key][s:e] = True


# Arabic digits, or Chinese numerals before a date or measure word: the "specifics" of a
# language whose names carry no capital letters.
_NUMBERS = re.compile(r"[0-9０-９]+|[〇零一二三四五六七八九十百千万亿两]+(?=[年月日号周岁亿万%％])")


def _number_tokens(parsed: Parsed) -> np.ndarray:
    starts = np.array([m.start() for m in _NUMBERS.finditer(parsed.text)], dtype=np.int64)
    return np.isin(parsed.token_idx, starts)


def extract(parsed: Parsed, compiled: CompiledCodebook, lang: str, *,
            author: str | None = None) -> Findings:
    """Interpret the codebook matches of one parsed readout (see the module docstring).

    ``author`` is who the readout's metadata says wrote it (:mod:`readout_diff.posts`): the
    "I" of a first-person readout.
    """
    cues = CUES[lang]
    cue = _arrays(parsed, lang, compiled.nlp)
    clause = cue.brk.cumsum() if len(cue.brk) else cue.brk.astype(np.int64)
    n_sent = len(parsed.sentences)
    matches = compiled(parsed)
    ctx = _Context(parsed, cue, clause, cues)
    sent_of = ctx.sent

    # (role, id, sentence) -> matches: every match lies in one sentence, and exclusions,
    # context and blocks count in the hit's sentence only (so long texts stay linear).
    spans: dict[tuple[str, str, int], list[Match]] = defaultdict(list)
    hits: list[Match] = []
    actors: list[Match] = []
    for m in matches:
        if m.role in (HIT, CONTEXTUAL, FORWARD):
            hits.append(m)
        elif m.role in (ACTOR, TITLE):
            actors.append(m)
        else:
            spans[(m.role, m.id, sent_of[m.start])].append(m)

    kept: dict[tuple[int, str], list[Match]] = defaultdict(list)  # (sentence, id) -> hits
    title_case = parsed.column("IS_TITLE").tolist() if cues.case_names else []
    mentions: list[list[Mention]] = [[] for _ in range(n_sent)]
    commitments: list[Commitment] = []
    for m in hits:
        entry = compiled.entries[m.id]
        s = sent_of[m.start]
        if any(x.start <= m.start and m.end <= x.end for x in spans.get((EXCLUDE, m.id, s), ())):
            continue
        if (entry.kind == "topic" and cues.case_names and title_case[m.start]
                and in_office_title(parsed.doc, m.start, m.end)):
            continue  # "Assistant Secretary of Defense for China, *Taiwan* and Mongolia"
        if m.role == CONTEXTUAL and not ctx.licensed(m, spans.get((CONTEXT, m.id, s), []),
                                                       spans.get((BLOCK, m.id, s), []),
                                                       compiled.windows.get(m.id, 8)):
            continue
        if any(_overlaps(m, k) for k in kept[(s, m.id)]):
            continue  # one mention per stretch of text, whichever phrase matched it
        negated = entry.kind == "topic" and ctx.negated(m)
        modality, cue_start = None, m.start
        if entry.future and negated and m.role != FORWARD and ctx.denied_at(m):
            continue  # "Taiwan never came up *in the talks*": the talks are the occasion
        if entry.future and not negated:
            # A denied meeting needs no cue ("no discussion of an in-person visit"); an
            # asserted one does, or it is the occasion of the present one.
            if m.role == FORWARD:
                modality = "will"
            else:
                found = ctx.future(m)
                if found is None:
                    continue
                modality, cue_start = found
        elif entry.realized and (ctx.hoped_for(m) or ctx.negated(m) or ctx.denied(m)
                                 or ctx.purpose(m)):
            continue  # "looks forward to the resumption", "did not touch on restoring",
            # "*no* breakthrough yet", "did *not* reach agreement"
        kept[(s, m.id)].append(m)
        start_char = int(parsed.token_idx[m.start])
        end_char = parsed.token_end(m.end - 1)
        mentions[s].append(Mention(m.id, entry.kind, start_char, end_char, negated))
        if entry.commitment and modality and not negated:
            kind = _commitment_kind(entry.commitment, parsed, m, cues)
            c_start = int(parsed.token_idx[cue_start])
            commitments.append(Commitment(kind, modality, s, None, c_start, end_char,
                                          parsed.text[c_start:end_char]))

    chosen = _chosen_actors(actors)
    if cues.case_names:
        chosen = [m for m in chosen if not _inside_other_name(parsed.doc, m)
                  and not quoted_first_person(parsed, m)]
    extra_roles: dict[str, str] = {}
    if cues.case_names:  # names are spotted by their capitals
        unlisted = unlisted_people(parsed, cue.reporting.tolist(), chosen,
                                   people=compiled.person_ids,
                                   skippable=cues.before_reporting,
                                   reporting_window=cues.reporting_window)
        extra_roles = {m.id: "official" for m in unlisted}
        # A title that names an unlisted person ("the Deputy Secretary") replaces a codebook
        # title or side inside it ("Secretary"), and a codebook title right before an
        # unlisted name is that person's ("Deputy *Secretary* Sherman").
        claimed = np.zeros(len(parsed.doc) + _TITLE_GAP + 1, dtype=bool)
        for u in unlisted:  # the name's tokens, and the gap before it a title may end in
            claimed[max(u.start - _TITLE_GAP, 0):u.end] = True
        kept = [m for m in chosen
                if not (m.role == TITLE or compiled.actor_roles.get(m.id) == "side")
                or not claimed[m.start:m.end + 1].any()]
        chosen_for_speakers = sorted(kept + unlisted, key=lambda m: m.start)
        posts = authorship(parsed, chosen_for_speakers, compiled=compiled, roles=extra_roles,
                           declared=author)
        if posts is not None:  # the first person is the author, not the codebook's "I"
            extra_roles.update(dict.fromkeys(posts.authors - compiled.actor_roles.keys(),
                                             "official"))
            chosen_for_speakers = posts.as_authors(parsed, chosen_for_speakers)
    else:
        chosen_for_speakers = chosen
        posts = None
    speakers = _speakers(parsed, cue, chosen_for_speakers, compiled, extra_roles)
    if posts is not None:
        speakers = posts.credit(parsed, speakers, sides=frozenset(_SIDE_NAMES.values()))
    named: list[set[str]] = [set() for _ in range(n_sent)]
    for m in chosen:
        if m.role == ACTOR and compiled.actor_roles.get(m.id) in ("leader", "official"):
            named[sent_of[m.start]].add(m.id)
    commitments = _dedupe_commitments(commitments, speakers)
    # Specific tokens per sentence (tokens between sentences count for none).
    counted = parsed.token_sent[(parsed.token_sent >= 0) & cue.specific]
    specifics = np.bincount(counted, minlength=n_sent).astype(np.int64)
    if not cues.case_names:  # no capital letters to spot names by: count the actors named
        for m in chosen:
            if m.role == ACTOR and sent_of[m.start] >= 0:
                specifics[sent_of[m.start]] += 1
    return Findings(
        mentions=tuple(tuple(sorted(ms, key=lambda x: (x.start, x.id))) for ms in mentions),
        speakers=tuple(speakers),
        specifics=tuple(int(x) for x in specifics),
        commitments=tuple(commitments),
        actors=tuple(tuple(sorted(x)) for x in named),
    )


def _overlaps(a: Match, b: Match) -> bool:
    return a.start < b.end and b.start < a.end


def _commitment_kind(kind: str, parsed: Parsed, m: Match, cues: Cues) -> str:
    if kind == "talks":
        norms = [t.norm_ for t in parsed.doc[m.start:m.end]]
        if set(norms) & cues.call_words:
            return "call"
        if cues.window_unit == "char":  # a call word may be several tokens ("电话")
            joined = "".join(norms)
            if any(w in joined for w in cues.call_words):
                return "call"
    return kind


def _dedupe_commitments(items: list[Commitment], speakers: list[str | None]) -> tuple[Commitment, ...]:
    seen: set[tuple[int, str]] = set()
    out = []
    for c in sorted(items, key=lambda c: (c.sentence, c.start)):
        if (c.sentence, c.kind) in seen:
            continue
        seen.add((c.sentence, c.kind))
        out.append(Commitment(c.kind, c.modality, c.sentence, speakers[c.sentence], c.start,
                              c.end, c.text))
    return tuple(out)


class _Context:
    """Look-ups around one hit: same sentence, same clause, cue positions."""

    def __init__(self, parsed: Parsed, cue: _CueArrays, clause: np.ndarray, cues: Cues) -> None:
        self.parsed = parsed
        self.cue = cue
        self.cues = cues
        n = len(parsed.doc)
        # Per-token look-ups below run a few times per hit, on single positions: Python lists
        # and sorted position lists (bisect) cost less there than NumPy's per-call overhead.
        # Where each token is, in the unit windows are measured in; pos[n] is the end.
        if cues.window_unit == "char":
            self.pos = parsed.token_idx.tolist() + [len(parsed.text)]
        else:
            self.pos = list(range(n + 1))
        self.sent = parsed.token_sent.tolist()
        self.clause_of = clause.tolist()
        # Clause ids grow monotonically, so clause c is the one run [first[c], stop[c]).
        ids = np.arange(int(clause[-1]) + 1 if n else 0)
        self.clause_first = clause.searchsorted(ids, side="left").tolist()
        self.clause_stop = clause.searchsorted(ids, side="right").tolist()
        self.neg_at = cue.neg.nonzero()[0].tolist()  # ascending
        self.disc_at = cue.disc.nonzero()[0].tolist()
        self.limiter_at = frozenset(cue.limiter.nonzero()[0].tolist())
        self.reporting_at = frozenset(cue.reporting.nonzero()[0].tolist())
        self.determiner_at = frozenset(cue.neg_determiner.nonzero()[0].tolist())
        self.occasion_prepositions = string_hashes(cues.occasion_prepositions)
        self.held_prepositions = string_hashes(cues.held_prepositions)
        self.comma = hash_string(",")
        self.joiners = string_hashes(_NEW_STATEMENT)

    def gap(self, i: int, j: int) -> int:
        """Distance from position ``i`` to position ``j`` (tokens or characters)."""
        return self.pos[j] - self.pos[i]

    def _clause_range(self, m: Match) -> tuple[int, int]:
        lo, hi = self.parsed.sent_tokens[self.sent[m.start]]
        c = self.clause_of[m.start]
        # The clause's run inside the sentence (it holds m.start, so it is not empty).
        start, end = max(lo, self.clause_first[c]), min(hi, self.clause_stop[c])
        # A break token belongs to the clause it opens; keep the hit's own span in any case.
        return min(start, m.start), max(end, m.end)

    def licensed(self, m: Match, context: list[Match], block: list[Match], window: int) -> bool:
        s = self.sent[m.start]

        def dist(x: Match) -> int:
            if _overlaps(x, m):
                return 0 if (x.start, x.end) != (m.start, m.end) else 10**9
            return self.gap(m.end, x.start) if x.start >= m.end else self.gap(x.end, m.start)

        def near(x: Match) -> bool:
            if self.sent[x.start] != s:
                return False
            if not self.cues.context_breaks:
                return True
            first, last = min(x.start, m.start), max(x.end, m.end) - 1
            # A break token opens its stretch: x and m share one when none lies between them.
            return not self.cue.context_break[first + 1:last + 1].any() and \
                not self.cue.brk[first + 1:last + 1].any()

        ctx = [x for x in context if near(x) and dist(x) < 10**9]
        blk = [x for x in block if near(x)]
        dc = min((dist(x) for x in ctx), default=None)
        if dc is None or dc > window:
            return False
        # A block phrase before the hit with no context between them is the subject ("*Secretary*
        # Blinken will travel to China ... the leaders' discussions"): it wins. A pronoun between
        # them does not count as context: it refers back to that subject ("*Secretary* Yellen
        # said *she* hopes to travel to China" is the secretary's trip).
        before_b = [x for x in blk if x.end <= m.start]
        if (m.end < len(self.cue.norm) and self.cue.participants[m.end]
                and any(m.end < x.start <= m.end + 3 for x in ctx)):
            return True  # "the meeting *between President Biden* and President Xi" names who meets
        if before_b:
            nearest_b = max(x.end for x in before_b)
            named = [x for x in ctx if not self._pronoun(x)]
            if not any(nearest_b <= x.start and x.end <= m.start for x in named):
                near_ctx_before = [x for x in named if x.end <= m.start]
                if not near_ctx_before or max(x.end for x in near_ctx_before) < nearest_b:
                    return False
        db = min((dist(x) for x in blk), default=None)
        return db is None or dc < db

    def _pronoun(self, x: Match) -> bool:
        """Whether a context match is a lone personal pronoun ("he", "she")."""
        return x.end - x.start == 1 and bool(self.cue.pronoun[x.start])

    def negated(self, m: Match) -> bool:
        lo, hi = self._clause_range(m)
        negs = [i for i in _between(self.neg_at, lo, hi)
                if not (i + 1 < hi and i + 1 in self.limiter_at) and not (m.start <= i < m.end)]
        if not negs:
            return False
        discs = [i for i in _between(self.disc_at, lo, hi) if not (m.start <= i < m.end)]
        w = self.cues.negation_window
        for n in negs:
            # The negation comes first and its predicate follows: "did not discuss", "nothing
            # was said", "no mention of", "was not on the agenda". ("Xi *said* the US does
            # *not* seek ..." has the predicate before the negation and is not a denial.)
            # A determiner negates its own noun: "no (further) discussion of X" denies talk of X,
            # "X is no justification for raising tariffs" does not.
            reach = self.cues.determiner_reach if n in self.determiner_at else w
            for d in discs:
                if not (n < d and self.gap(n, d) <= reach):
                    continue
                if n < m.start:
                    if self._open_question(n, m.start):
                        continue  # "declined to say *whether* the President would meet Xi"
                    return True  # "did not discuss X", "no mention of X", "neither X nor Y"
                if (m.end <= n and self.gap(m.end, n) - self._aside(m.end, n) <= w
                        and self.gap(n, d) <= w // 2
                        # ("the call was direct, and he *said* they did not discuss ..."
                        and not any(m.end <= i < n and self.cue.norm[i + 1] != self.comma
                                    for i in self.reporting_at)  # (", Xi said," is an aside)
                        and not any(x < m.start and x not in self.reporting_at
                                    for x in discs)):
                    return True  # "X was not discussed", "X did not come up"
        return False

    def _open_question(self, n: int, start: int) -> bool:
        """Whether, between a negation and the hit, the words turn to an open question
        ("declined to say *whether* ...") or to a new statement ("Ukraine did not come up*, and
        Xi said* talks would continue"): the hit is then not what was denied."""
        norm = self.cue.norm
        for i in range(n + 1, start):
            if self.cue.condition[i]:
                return True
            if (norm[i] == self.comma and i + 1 < start and norm[i + 1] in self.joiners
                    and any(j in self.reporting_at for j in range(i + 2, min(i + 5, start)))):
                return True
        return False

    def _aside(self, lo: int, hi: int) -> int:
        """Tokens between ``lo`` and ``hi`` inside a clause set off by commas that opens with
        "which" or "who" ("Trade matters*, which remain the responsibility of ...,* were not
        discussed"): they do not part a subject from its predicate."""
        norm = self.cue.norm
        comma = self.comma
        skipped, i = 0, lo
        while i < hi:
            if norm[i] == comma and i + 1 < hi and self.cue.relative[i + 1]:
                close = next((k for k in range(i + 2, hi) if norm[k] == comma), None)
                if close is None:
                    break
                skipped += close + 1 - i
                i = close + 1
                continue
            i += 1
        return skipped

    def purpose(self, m: Match) -> bool:
        """Whether the hit is in a purpose clause ("... *so that* it yields positive outcomes",
        "*in order to* reach agreement"): an aim, not something achieved."""
        lo, _ = self._clause_range(m)
        return bool(self.cue.purpose[max(lo, m.start - _PURPOSE_REACH):m.start].any())

    def denied(self, m: Match) -> bool:
        """Whether a negation stands right before the hit in its clause ("*no* breakthrough",
        "did *not* reach an agreement", "*not* productive"): what did not happen."""
        lo, _ = self._clause_range(m)
        return any(m.start - n <= _DENIAL_REACH and n + 1 not in self.limiter_at
                   for n in _between(self.neg_at, lo, m.start))  # "not only" denies nothing

    def denied_at(self, m: Match) -> bool:
        """Whether a preposition of place or time just before the hit makes it where something
        else was denied ("never came up *in the* talks"), or an occasion word its occasion."""
        lo, hi = self._clause_range(m)
        if self._occasion(m, lo, hi):
            return True
        norm = self.cue.norm
        for i in range(m.start - 1, lo - 1, -1):
            if self.gap(i, m.start) > self.cues.occasion_window + 1:
                break
            if norm[i] in self.occasion_prepositions:
                return True
        return False

    def _occasion(self, m: Match, lo: int, hi: int) -> bool:
        """Whether an occasion word next to the hit makes it the present or a past event."""
        w = self.cues.occasion_window
        cue = self.cue
        for i in range(m.start - 1, lo - 1, -1):
            if self.gap(i, m.start) > w:
                break
            if cue.occasion_before[i]:
                return True
        for i in range(m.end, hi):
            if self.gap(m.end, i) >= w:
                break
            if cue.occasion_after[i]:
                return True
        return False

    def _held_at(self, m: Match, lo: int) -> bool:
        """Whether the hit is where something else happened: an occasion preposition before
        it, with at most a determiner between ("the consensus reached *at their* meeting in
        Busan", "*during the* summit"); "at their *next* meeting" is still ahead."""
        norm = self.cue.norm
        i = m.start - 1
        if i >= lo and self.cue.occasion_determiner[i]:
            i -= 1
        return i >= lo and norm[i] in self.held_prepositions

    def hoped_for(self, m: Match) -> bool:
        """Whether a will/hope/proposal cue governs the hit (an agreement does not: "agreed to
        resume" is an outcome)."""
        lo, _ = self._clause_range(m)
        for i in range(m.start - 1, lo - 1, -1):
            if self.gap(i, m.start) > self.cues.future_window:
                break
            if self.cue.modality[i]:
                return _MODALITIES[self.cue.modality[i] - 1] in ("will", "hopes", "proposed")
        return False

    def future(self, m: Match) -> tuple[str, int] | None:
        """The modality and token where the future cue starts, or None when there is none.

        The cue may be inside the hit ("*invited* him to come") or before it in its clause
        ("*agreed to* meet"); after the hit only time words count ("... early *next* year").
        """
        lo, hi = self._clause_range(m)
        cue = self.cue
        if self._occasion(m, lo, hi) or self._held_at(m, lo):
            return None
        if cue.condition[max(lo, m.start - self.cues.future_window):m.start].any():
            return None  # "declined to say *whether* the President would meet Xi"
        for i in range(m.end - 1, lo - 1, -1):  # inside the hit ("invited ... to come"), then before
            if i < m.start and self.gap(i, m.start) > self.cues.future_window:
                break
            if cue.modality[i]:
                return _MODALITIES[cue.modality[i] - 1], min(i, m.start)
        if self._past(m):
            return None  # "met ... a year ago": no time word after a past verb makes it future
        for i in range(m.end, min(hi, m.end + _MODAL_AFTER)):  # "talks *would* continue"
            if cue.modality[i] and _MODALITIES[cue.modality[i] - 1] == "will":
                return "will", m.start
        for i in range(m.end, hi):  # after it, only time words ("... early next year")
            if self.gap(m.end, i) >= self.cues.future_after_window:
                break
            if cue.time_after[i]:
                return "will", m.start
        return None

    def _past(self, m: Match) -> bool:
        """Whether the hit opens with a verb in the past tense ("*met* at Woodside")."""
        word = self.parsed.doc[m.start].lower_
        return word in self.cues.past_forms or (
            self.cues.past_suffix != "" and word.endswith(self.cues.past_suffix)
            and len(word) > len(self.cues.past_suffix) + 2)


# After a comma, these open a new statement that ends a denial: "Ukraine did not come up*, and*
# Xi said talks would continue".
_NEW_STATEMENT = frozenset({"and", "but"})
_DENIAL_REACH = 3  # tokens from a negation to the hit it denies ("did not yet reach")
_PURPOSE_REACH = 8  # tokens back from a realized hit to "so that" / "in order to"
_MODAL_AFTER = 5  # a "will" right after a future entry's hit: "talks at the staff level *would*"


def _between(positions: list[int], lo: int, hi: int) -> list[int]:
    """The items of the ascending ``positions`` in [lo, hi)."""
    return positions[bisect_left(positions, lo):bisect_left(positions, hi)]


def _chosen_actors(actors: list[Match]) -> list[Match]:
    """Actor and title matches without overlaps: the longest wins ("Xi Jinping" over "Xi")."""
    chosen: list[Match] = []
    for m in sorted(actors, key=lambda m: (m.start, -(m.end - m.start))):
        if chosen and chosen[-1].end > m.start:
            last = chosen[-1]
            if last.id == m.id and m.end > last.end:  # "President Xi" + "Xi Jinping"
                chosen[-1] = Match(last.role, last.kind, last.id, last.start, m.end)
            continue
        chosen.append(m)
    return chosen




def _inside_other_name(doc, m: Match) -> bool:
    """A one-word actor name followed by another capitalised name is someone else's full name:
    "Yang" in "Yang Tao" is not Yang Jiechi, "Wang" in "Wang Huning" not Wang Yi ("Xi Jinping",
    a name of the actor itself, is matched whole and wins before this)."""
    if m.role != ACTOR or m.end - m.start != 1 or m.end >= len(doc):
        return False
    nxt = doc[m.end]
    return nxt.is_title and nxt.is_alpha and nxt.lower_ not in CALENDAR and not nxt.is_sent_start


_PREPOSITIONS = frozenset("with to of for by from on at against between toward towards about into "
                          "in over under than like among upon".split())
_EVENT_VERBS = frozenset("meet hold have speak talk call host welcome receive visit greet join "
                         "accompany".split())
_SIDE_NAMES = {"cn": "Chinese side", "us": "US side"}
_PROPOSED = _MODALITIES.index("proposed") + 1
_AND = frozenset({"and", ",", "，", "、", "和", "与", "同"})
_CONJUNCTIONS = _AND - {",", "，"}  # "、" is the Chinese list comma, a joiner of its own
_NARRATION_VERBS = _EVENT_VERBS | {"attend", "travel", "lead", "participate", "take", "present"}
# Verbs that narrate the meeting whatever follows: "X *attended* the talks", "the delegation
# *was led by* X", "X also *took part*", "X traveled to Tianjin for talks".
_TAKING_PART = frozenset({"attend", "join", "accompany", "travel", "participate"})
# What "hold" and "have" narrate: the meeting itself ("held talks", "had a video call").
_MEETING_NOUNS = frozenset("talk call meeting conversation consultation teleconference "
                           "videoconference summit".split())
_MEETING_FILLERS = frozenset("a an the phone telephone video virtual first new round of".split())
_DASHES = DASHES - {"-"}  # (a wire dateline's dash; a hyphen joins "US-China")
# A spokesperson introducing the readout itself: "provided the following readout", "issued a
# statement" ("Xi gave the following instructions" is Xi speaking).
_RELEASE_VERBS = frozenset({"provide", "issue", "release"})
_RELEASED = frozenset({"readout", "statement"})


def _narrates(doc, j: int, hi: int, later: list) -> bool:
    """Does the verb at ``j`` narrate the meeting itself: "met with X", "welcomed X",
    "attended the meeting", "was joined by X"?"""
    if j >= hi:
        return False
    passive = doc[j].norm_ == "be"
    if doc[j].norm_ in ("be", "'s") and j + 1 < hi:
        j += 1  # "was joined by", "was accompanied by"; "Blinken's Meeting with" (a headline)
        if doc[j - 1].norm_ == "'s" and doc[j].norm_ not in _NARRATION_VERBS and j + 1 < hi \
                and doc[j].is_title and doc[j + 1].norm_ in _NARRATION_VERBS:
            j += 1  # "Yellen's Video *Call* with"
    verb = doc[j].norm_
    if verb in _RELEASE_VERBS:  # "Press Secretary X provided the following readout:"
        return any(doc[i].norm_ in _RELEASED for i in range(j + 1, min(hi, j + 4)))
    if verb in INTRODUCING_VERBS and doc[hi - 1].text in (":", "："):
        return True  # "Later, President Trump posted on Truth Social:" (the post follows)
    if verb not in _NARRATION_VERBS:
        return False
    if verb == "take":  # "took part": "took note" and "took the view" are statements
        return j + 1 < hi and doc[j + 1].norm_ == "part"
    if verb in ("lead", "present"):  # "the delegation *was led by* X", "X *were present*";
        return passive  # "X will lead for China" is a plan, "X presented" a statement
    if verb in _TAKING_PART:
        return True  # "X traveled to Tianjin for talks": the trip is the meeting
    if doc[j].is_title:
        return True  # a headline: "China and the US *Hold* First Meeting of ..."
    if verb in ("hold", "have"):
        # "held talks", "had a phone call"; "held candid and productive talks" characterises
        # them, which both sides do
        i = j + 1
        while i < hi and doc[i].norm_ in _MEETING_FILLERS:
            i += 1
        if i < hi and doc[i].norm_ in _MEETING_NOUNS:
            return True
    starts = [c[0] for c in later]
    for i in range(j + 1, min(hi, j + _WITH_AFTER)):
        if i in starts and i <= j + 2:
            return True  # a direct object that is an actor
        norm = doc[i].norm_
        # "met with [US Secretary of State] Antony Blinken"; "held a welcoming ceremony for
        # Trump" (not "called for": a "for" right after the verb is its own phrase)
        if (norm == "with" or (norm == "for" and i > j + 1)) and \
                _titled_object(doc, i + 1, hi, starts):
            return True
    return False


def _titled_object(doc, i: int, hi: int, starts: list[int]) -> bool:
    """Whether an actor starts at ``i`` or after a title only ("with *Director of the Office of
    the Central Foreign Affairs Commission and Foreign Minister* Wang Yi", "with *visiting US
    Treasury Secretary* Janet Yellen", "with *his counterpart*", "with *President-elect*
    Trump"); "with the press and urged Biden" is no meeting with Biden."""
    titled = False  # a capitalised word seen: "of", "and" may join the title's parts
    loose = _LOWER_BEFORE_TITLE  # lower-case words allowed before the title starts
    for k in range(i, min(hi, i + _WITH_REACH + 1)):
        if k in starts:
            return True
        tok = doc[k]
        if tok.is_title or tok.is_upper:
            titled = True
        elif tok.text == "-" or (k > i and doc[k - 1].text == "-" and tok.is_alpha):
            continue  # "President-elect"
        elif tok.lower_ == "the" or (titled and tok.lower_ in _APPOSITION_WORDS):
            continue
        elif not titled and loose and tok.is_alpha:
            loose -= 1
        else:
            return False
    return False


# "spoke today for more than two hours *with*": how far after the verb "with" may come, and how
# long the title between "with" and the actor may be (:func:`_titled_object`).
_WITH_AFTER = 11
_WITH_REACH = 16
_LOWER_BEFORE_TITLE = 2
_TITLE_GAP = 3  # tokens between a title and the name it belongs to ("Secretary of State X")
_APPOSITION_WORDS = TITLE_WORDS | frozenset("of the and for to & 's".split())
_SUFFIXES = frozenset({"jr.", "jr", "sr.", "sr"})


def _past_apposition(doc, j: int, hi: int) -> int:
    """Where the verb is when a title in commas follows the subject: "Wang Yi*, Member of the
    Political Bureau ... Commission,* held talks": the token after the closing comma (or ``j``
    when there is no such apposition)."""
    if j >= hi or doc[j].text not in (",", "，"):
        return j
    if j + 1 < hi and doc[j + 1].lower_ in _SUFFIXES:
        return j + 2  # "Charles Q. Brown*, Jr.* held"
    if j + 1 < hi and doc[j + 1].lower_ in _APPOSITION_OPENERS:
        # "He Lifeng*, who is also the Chinese lead person for ... affairs,* held talks",
        # "Wang Yi*, also a member of the Political Bureau ...,* met"
        close = next((k for k in range(j + 2, min(hi, j + _CLAUSE_REACH))
                      if doc[k].text in (",", "，")), None)
        return j if close is None else close + 1
    i = j + 1
    while i < hi:
        tok = doc[i]
        if tok.text in (",", "，"):
            return i + 1 if i > j + 1 else j
        if tok.text in ("-", "–") and i > j + 1:  # "U.S. Indo*-*Pacific Command"
            i += 1
            continue
        if tok.text == "(":  # "Trade Representative *(minister level)* and Vice Minister"
            close = next((k for k in range(i + 1, min(hi, i + _PAREN_REACH)) if doc[k].text == ")"),
                         None)
            if close is None:
                return j
            i = close + 1
            continue
        if not (tok.is_title or tok.is_upper or tok.lower_ in _APPOSITION_WORDS):
            return j
        i += 1
    return j


_PAREN_REACH = 8  # tokens inside a parenthesis of a title
# Words that open an apposition of any wording, up to its closing comma (at most _CLAUSE_REACH).
_APPOSITION_OPENERS = frozenset({"who", "also", "a", "an"})
_CLAUSE_REACH = 32


def _after_dateline(doc, lo: int, hi: int) -> int:
    """Where a sentence begins after a wire dateline ("BEIJING, Feb. 10 (Xinhua) --"): its
    place name is no speaker. ``lo`` itself when the sentence has none."""
    if not (doc[lo].is_upper and doc[lo].is_alpha and len(doc[lo]) > 1):
        return lo
    for k in range(lo + 1, min(hi, lo + _DATELINE_REACH)):
        tok = doc[k]
        if tok.text in _DASHES:
            return k + 1
        if tok.is_alpha and tok.is_lower:
            return lo  # prose, not a dateline
    return lo


_DATELINE_REACH = 12


def _have_event(doc, j: int, hi: int) -> bool:
    """Whether "have" at ``j`` is the main verb of an event ("*had* a phone call", "*had* talks
    with") rather than an auxiliary ("had stressed")."""
    return (j + 1 < hi and doc[j].norm_ == "have"
            and doc[j + 1].norm_ in _HAVE_OBJECTS)


_ADVERBS = frozenset("just also today then later earlier recently again".split())
# After a main-verb "have": an article or a word for talks (the meeting nouns and the talk
# itself: "had discussions", "had an exchange").
_HAVE_OBJECTS = (frozenset({"a", "an", "the", "discussion", "exchange", "dialogue"})
                 | _MEETING_NOUNS)


def _bullet(parsed: Parsed, s: int) -> bool:
    """Whether sentence ``s`` is a list item: only a bullet or a number before it on its line."""
    start = parsed.sentences[s][0]
    line = parsed.text[parsed.text.rfind("\n", 0, start) + 1:start]
    return bool(_BULLET.fullmatch(line))


_BULLET = re.compile(r"[ \t]*(?:[-•*▪◦–—]|\d{1,2}[.)])[ \t]*")


def _vocative(doc, start: int, end: int, hi: int) -> bool:
    """Whether an actor at ``start:end`` is addressed: right after a comma (a title between at
    most) and right before the sentence's closing mark ("Thank you, President Xi!")."""
    if not (end < hi and doc[end].text in ("!", ".", "?") and end + 1 >= hi):
        return False
    k = start - 1
    while k >= 0 and start - k <= 3 and doc[k].is_title:
        k -= 1
    return k >= 0 and doc[k].norm_ == ","



def _subordinate(doc, cue: _CueArrays, lo: int, start: int) -> bool:
    """Whether the token at ``start`` is in a condition ("*if the US side insists* on ...") or
    a relative clause ("export controls*, which the President has said* are not on the
    table"): a condition word, or a comma and a relative pronoun, before it in the sentence
    with no comma between."""
    for k in range(start - 1, lo - 1, -1):
        if doc[k].norm_ in (",", "，", ";"):
            return False
        if cue.condition[k] or (cue.relative[k] and k > lo and doc[k - 1].norm_ in (",", "，")):
            return True
    return False


_BLANK_LINE = re.compile(r"\n[ \t]*\n")  # between two paragraphs
_EVENT_NORMS = ("meet", "hold", "attend", "join", "accompany")


def _speakers(parsed: Parsed, cue: _CueArrays, chosen: list[Match],
              compiled: CompiledCodebook,
              extra_roles: dict[str, str] | None = None) -> list[str | None]:
    """Who each sentence is credited to, by these rules in order:

    1. an actor or pronoun directly followed by a reporting verb ("Xi *stressed*", "..., *he
       said*", "Biden also *noted*"), or "according to X";
    2. the sentence's subject: an actor opening the sentence (or its main clause after a
       comma), unless the sentence narrates the meeting itself ("Biden *spoke with* Xi");
       "Blinken and Sullivan" of one side give that side, of both sides "both sides";
    3. within a paragraph, a sentence with no actor, or whose subject is the side of the
       person speaking before it ("China stands ready..." in Xi's paragraph), continues that
       person's speech.

    "The President" resolves to the first holder of that title named in the readout; "he" and
    "she" to the last person speaking; "they" to the last group speaking, else both sides.
    ``extra_roles`` gives the roles of actors the codebook does not list
    (:func:`readout_diff.people.unlisted_people`).
    """
    n_sent = len(parsed.sentences)
    first_seen: dict[str, int] = {}
    for m in chosen:
        if m.role == ACTOR:
            first_seen.setdefault(m.id, m.start)
    by_sent: dict[int, list[Match]] = defaultdict(list)
    for m in chosen:
        by_sent[int(parsed.token_sent[m.start])].append(m)
    doc = parsed.doc
    roles = {**compiled.actor_roles, **extra_roles} if extra_roles else compiled.actor_roles
    sides = compiled.actor_sides
    # Per-token tests as arrays, once per readout (the loop below visits candidates only).
    norm = cue.norm
    strings = doc.vocab.strings
    pronouns = (cue.pronoun | (norm == strings["they"])).nonzero()[0]
    bounds = np.array(parsed.sent_tokens, dtype=np.int64).reshape(-1, 2)
    first_pron = pronouns.searchsorted(bounds[:, 0]).tolist()
    end_pron = pronouns.searchsorted(bounds[:, 1]).tolist()
    pronoun_list = pronouns.tolist()
    clause_words = cue.condition | cue.relative
    event_flags: list[np.ndarray] = []  # tokens that are event verbs, when rule 3 first asks

    def has_event(lo: int, hi: int) -> bool:
        if not event_flags:
            keys = np.array(sorted(strings[w] for w in _EVENT_NORMS), dtype=np.uint64)
            event_flags.append(in_sorted(norm, keys))
        return bool(event_flags[0][lo:hi].any())

    def resolve(m: Match) -> str | None:
        if m.role == ACTOR:
            return m.id
        holders = [h for h in compiled.title_holders.get(m.id, ()) if h in first_seen]
        return min(holders, key=lambda h: first_seen[h]) if holders else None

    def is_person(name: str | None) -> bool:
        return name is not None and roles.get(name) in ("leader", "official")

    skippable = CUES[compiled.lang].before_reporting

    def next_content(i: int, hi: int) -> int:
        while i < hi and (doc[i].norm_ in skippable or doc[i].text.endswith("ly")):
            i += 1
        return i

    def joint(cands: list, x: int, hi: int) -> int | None:
        """The candidate joined after candidate x by "and" or a comma, past x's apposition
        ("Xie Feng*, Ambassador to the United States,* and Hua Chunying"; actors inside the
        apposition belong to its title), or None."""
        at = _past_apposition(doc, cands[x][1], hi)
        if at >= hi or doc[at].norm_ not in _AND:
            return None
        return next((y for y in range(x + 1, len(cands)) if cands[y][0] == at + 1), None)

    def chain_before(cands: list, k: int, hi: int) -> list[int]:
        """Candidate k and the candidates joined to it before, in order."""
        chain = [k]
        while True:
            prev = next((x for x in range(chain[0] - 1, -1, -1)
                         if joint(cands, x, hi) == chain[0]), None)
            if prev is None:
                return chain
            chain.insert(0, prev)

    def coordinated(cands: list, k: int, hi: int) -> str | None:
        """The speaker of candidate k, merged with actors joined to it by "and": one side's
        officials give that side, the two leaders "both sides"."""
        chain = chain_before(cands, k, hi)
        # Commas alone join nothing ("a red line for China, Yang said"): a list has its "and".
        if not any(doc[_past_apposition(doc, cands[x][1], hi)].norm_ in _CONJUNCTIONS
                   for x in chain[:-1]):
            chain = [k]
        names = [cands[x][2] for x in chain]
        if len(names) == 1 or not all(names):
            return cands[k][2]
        side_set = {sides.get(x) for x in names}
        if len(side_set) == 1:
            only = side_set.pop()
            return _SIDE_NAMES.get(only, cands[k][2]) if only in _SIDE_NAMES else cands[k][2]
        return "both sides"

    speakers: list[str | None] = []
    lead_in: str | None = None  # who a list's lead-in ("... discussed:") credits its items to
    person: str | None = None  # last person speaking in this paragraph
    last_person: str | None = None  # last person speaking: "he" may refer back a paragraph
    group: str | None = None  # last group speaking
    prev_end = 0
    for s in range(n_sent):
        lo, hi = parsed.sent_tokens[s]
        # A wire story's lede ("BEIJING, Feb. 10 (Xinhua) -- X held talks with Y ...") tells
        # the event: only an explicit reporting verb credits it (rule 1).
        opening = _after_dateline(doc, lo, hi) if hi > lo else lo
        lede, lo = opening > lo, opening
        start_char = parsed.sentences[s][0]
        same_par = s > 0 and not _BLANK_LINE.search(parsed.text, prev_end, start_char)
        prev_end = parsed.sentences[s][1]
        if not same_par:
            person = None
        cands: list[tuple[int, int, str | None, str]] = []  # start, end, name, kind
        for m in by_sent.get(s, []):
            cands.append((m.start, m.end, resolve(m), "actor"))
        for i in pronoun_list[first_pron[s]:end_pron[s]]:
            pron = doc[i].norm_
            name = last_person if pron in ("he", "she") else (group or "both sides")
            cands.append((i, i + 1, name, "pronoun"))
        # Nobody speaks in a dateline, a condition ("*If the US side insists* on ..., China
        # will ..."), a relative clause ("..., *which President Trump announced* in April"),
        # or when addressed ("Thank you*, President Xi*!"): the main clause has the speaker.
        clauses = bool(clause_words[lo:hi].any())  # (most sentences have no if/which/who)
        cands = sorted((c for c in cands if c[0] >= lo
                        and not (clauses and _subordinate(doc, cue, lo, c[0]))
                        and not _vocative(doc, c[0], c[1], hi)),
                       key=lambda c: c[0])
        found: str | None = None
        narration = False
        narrated: str | None = None  # the subject of a narrated event ("Han Zheng also met ...")
        # 1. explicit reporting; a closing ", X said." credits the whole sentence before
        # anyone in it ("China firmly opposes ..., *he said*.")
        order = list(enumerate(cands))
        if cands:
            k, (start, end, name, _) = order[-1]
            j = next_content(end, hi)
            if (name and start > lo and doc[start - 1].norm_ in (",", "，") and j < hi
                    and cue.reporting[j] and (j + 1 >= hi or doc[j + 1].is_punct)):
                order = [order[-1]]
        for k, (start, end, name, _) in order:
            # "He Yadong*, spokesperson for the Ministry of Commerce,* said"
            after = _past_apposition(doc, end, hi)
            j = next_content(after, hi)
            n_acc = len(cue.according)
            head = start  # "according to [White House Press] Secretary Jen Psaki"
            while head > lo and doc[head - 1].is_title and start - head < _TITLE_GAP:
                head -= 1
            according = (n_acc and head >= n_acc
                         and tuple(norm[head - n_acc:head].tolist()) == cue.according)
            if name and (according or (j < hi and j - after <= cue.reporting_window
                                       and cue.reporting[j])):
                found = coordinated(cands, k, hi)
                break
        # 2. the subject
        if found is None and cands and not lede:
            start, end, name, _ = cands[0]
            # Opening the sentence or a clause after a comma; "the" or an honorific or
            # title word may come first ("*Mr.* Sullivan set out ...").
            opens = start == lo or doc[start - 1].norm_ in (",", "，") or all(
                doc[k].norm_ in ("the", "of") or doc[k].lower_.rstrip(".") in TITLE_WORDS
                or doc[k].is_title for k in range(lo, start))  # "... Janet L. Yellen"
            possessive = end < hi and doc[end].norm_ == "'s"  # "Xi's upcoming visit is ..."
            if opens and not possessive and not (start > lo
                                                 and doc[start - 1].norm_ in _PREPOSITIONS):
                last = 0  # the last actor of the subject ("Blinken and Sullivan")
                while (nxt := joint(cands, last, hi)) is not None:
                    last = nxt
                j = _past_apposition(doc, cands[last][1], hi)
                while j < hi and (doc[j].norm_ in _ADVERBS or doc[j].text.endswith("ly")):
                    j += 1  # "just had a call with"
                if not _have_event(doc, j, hi):  # "had a phone call with": a verb, no auxiliary
                    j = next_content(j, hi)
                # A post's "I had a great call with President Xi" is the author's statement.
                if doc[start].lower_ not in FIRST_PERSON and _narrates(doc, j, hi,
                                                                       cands[last + 1:]):
                    narration = True  # "Biden spoke with Xi", "Xi welcomed Biden to ..."
                    narrated = cands[0][2]
                else:
                    found = coordinated(cands, last, hi)
                    # "should", "must", 应, 要: a demand, whatever the language
                    demand = j < hi and cue.modality[j] == _PROPOSED
                    if (person and same_par and not is_person(found)
                            and (found != "both sides" or demand)):
                        # A side as subject inside a leader's remarks is the leader speaking
                        # ("China stands ready ...", "The US side must ...").
                        found = person
        # 3. continuation of a person's speech in the paragraph (not narration of the meeting)
        if (found is None and not narration and same_par and person
                and not any(is_person(c[2]) and not (c[1] < hi and doc[c[1]].norm_ == "'s")
                            for c in cands)  # ("Xi's upcoming visit" is not Xi speaking)
                and not cue.disc[lo:hi].any() and not has_event(lo, hi)):
            found = person
        # Items of a list after a lead-in ("The two sides discussed:" + bullets) are the
        # lead-in's, when no one else speaks in them.
        if _bullet(parsed, s):
            # (a list of names and titles, "Connecticut Gov. Ned Lamont", states nothing)
            if found is None and not narration and any(
                    doc[i].is_lower and doc[i].is_alpha and len(doc[i]) > 3 for i in range(lo, hi)):
                found = lead_in
        else:
            # A lead-in that reports or discusses ("discussed:", "highlighted the following:",
            # "reached agreement on the following:"); not a list of participants or figures.
            lead_in = found if (hi > lo and doc[hi - 1].text in (":", "：") and (
                cue.reporting[lo:hi].any() or cue.disc[lo:hi].any()
                or cue.modality[lo:hi].any())) else None
        speakers.append(found)
        if is_person(found):
            person = last_person = found
        elif is_person(narrated):
            last_person = narrated  # "Han Zheng also met with ... He said that ..."
        elif found:
            group = found
    return speakers
