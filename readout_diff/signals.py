"""Reading the diplomatic signals of a readout: formulas, who asked, format, descriptors, voice.

Analysts comparing readouts by hand look past the topics: which set formulas appear ("the
one-China *policy*" or "*principle*"), who requested the call, the adjectives for the talks
("candid and constructive" against "candid and in-depth"), which side's voice fills the text.
This module finds them with the lexicon of :mod:`readout_diff.formulas`; :func:`readout_signals`
runs inside :func:`readout_diff.analyze` and :func:`compare_signals` inside
:func:`readout_diff.compare`.

**Matching units.** The readout's tokens (already normalised by the pipeline, see
:mod:`readout_diff.nlp`) are turned into *units*: normalised words without punctuation,
articles and possessives, accents folded — or, for scripts written without spaces (Chinese), the
single characters of the normalised text, so matching does not depend on how a segmenter cut the
words. Lexicon phrases become units the same way, and one index of all phrases (units as string
hashes, windows compared by rolling hash in array operations: what a ``PhraseMatcher`` on a
``Doc`` of units finds) gives every phrase of every kind in one pass.

Rules (``docs/signals.md`` has the examples):

- a **formula** variant is found by one of its phrases, or by one phrase of each of its groups
  within ``window`` units of one sentence; earlier variants win where two overlap;
- a **descriptor** counts when a chain of descriptors and fillers joins it to a talk noun
  ("a candid and in-depth *exchange of views*", "the *call* was very productive");
- the **initiator** is the side of the first codebook actor in the slot of the first initiative
  template found in the opening sentences ("at the request of {actor}", "应约{actor}");
- the **format** comes from the first opening sentence with a format cue, ties broken by the
  lexicon's order (a "video call" is video);
- **voice share** counts the words of sentences credited to each side's actors.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, NamedTuple

import numpy as np

from .arrays import in_sorted, unique_sorted
from .codebook import Codebook
from .formulas import Lexicon
from .nlp import Parsed, get_pipeline
from .signal_types import (
    ComparisonSignals,
    Emphasis,
    EventFormat,
    FormulaDiff,
    Initiative,
    Occurrences,
    OrderDiff,
    ReadoutSignals,
    SetDiff,
    ValuePair,
    VoiceShare,
)

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

    from .model import Analysis

__all__ = ["SignalMatcher", "compare_signals", "count_words", "readout_signals", "topic_order",
           "voice_share"]

#: Languages written without spaces between words: matched character by character.
CHARACTER_LANGS = frozenset({"zh", "ja"})
#: Lexicon windows count words; in those languages a word is about two characters.
CHARS_PER_WORD = 2

#: Words left out of matching units (English): articles, demonstratives, possessives.
_DROP_EN = ("the", "a", "an", "this", "that", "these", "those", "its", "their", "our", "his",
            "her", "your", "my", "'s", "’s", "'")

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")

# Match-id roles.
_F, _D, _N, _L, _W, _IP, _IS, _A, _R, _M, _MG, _X = (
    "F", "D", "N", "L", "W", "IP", "IS", "A", "R", "M", "MG", "X")


@lru_cache(maxsize=65536)
def _fold(s: str) -> str:
    """Lower case, compatibility forms (full-width letters), accents removed."""
    if s.isascii():
        return s.lower()
    s = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", s).lower())
    return "".join(ch for ch in s if not unicodedata.combining(ch))


@dataclass(frozen=True)
class _Units:
    """A readout (or a phrase) as matching units, with the way back to the text."""

    hashes: np.ndarray  # the unit strings' hashes in the vocabulary's StringStore (ORTH)
    start: np.ndarray  # character offset of each unit in the text
    end: np.ndarray
    sent: np.ndarray  # sentence of each unit (-1 outside sentences)


def _units(doc: "Doc", parsed: Parsed | None, chars: bool, drop: frozenset[str],
           known: dict[int, object] | None = None) -> _Units:
    """Units of ``doc``; with ``parsed`` (the readout's parse) offsets are into its text.

    Folding runs once per normalised word not seen before, selection on NumPy arrays: Python
    work grows with the new words of the readout, not with its length (character mode aside).
    ``known`` caches, across the readouts of one :class:`SignalMatcher`, the unit of each NORM
    hash: under the key ``None`` sorted arrays of NORM hashes, unit hashes and whether the word
    is a unit at all; in character mode, per NORM hash, the folded word.
    """
    from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, NORM

    if not len(doc):
        empty = np.zeros(0, np.int64)
        return _Units(np.zeros(0, np.uint64), empty, empty, empty)
    if parsed is not None and parsed.doc is doc:  # the readout: its parse has the attributes
        norms = parsed.column("NORM")
        length = parsed.column("LENGTH").astype(np.int64)
        keep = (parsed.column("IS_PUNCT") == 0) & (parsed.column("IS_SPACE") == 0)
    else:
        arr = doc.to_array([NORM, IS_PUNCT, IS_SPACE, LENGTH]).reshape(len(doc), 4)
        norms = arr[:, 0].copy()
        length = arr[:, 3].astype(np.int64)
        keep = (arr[:, 1] == 0) & (arr[:, 2] == 0)
    if parsed is not None:
        idx, sent = parsed.token_idx, parsed.token_sent
    else:
        idx, sent = doc.to_array([IDX]).astype(np.int64).reshape(-1), np.zeros(len(doc), np.int64)
    strings = doc.vocab.strings
    known = {} if known is None else known
    if not chars:
        # The cache as sorted arrays (NORM hash, unit hash, is a unit), kept in ``known`` under
        # the key None: a readout's tokens are looked up in one array operation, and only the
        # words not seen before are folded one by one.
        table = known.get(None)
        if table is None:
            table = (np.zeros(0, np.uint64), np.zeros(0, np.uint64), np.zeros(0, bool))
        keys, units, good = table
        pos = keys.searchsorted(norms)
        found = pos < len(keys)
        found[found] = keys[pos[found]] == norms[found]
        missing = keep & ~found
        if missing.any():
            new = unique_sorted(norms[missing])
            new_units = np.zeros(len(new), np.uint64)
            new_good = np.zeros(len(new), bool)
            for k, h in enumerate(new.tolist()):
                f = _fold(strings[h])
                if f and f not in drop and any(ch.isalnum() for ch in f):
                    new_units[k], new_good[k] = strings.add(f), True
            at = keys.searchsorted(new)
            keys, units, good = (np.insert(keys, at, new), np.insert(units, at, new_units),
                                 np.insert(good, at, new_good))
            known[None] = (keys, units, good)  # one assignment: other threads see either
            pos = keys.searchsorted(norms)
            found = pos < len(keys)
            found[found] = keys[pos[found]] == norms[found]
        np.minimum(pos, max(len(keys) - 1, 0), out=pos)
        sel = (keep & found & good[pos] if len(keys) else keep & found).nonzero()[0]
        return _Units(units[pos[sel]], idx[sel].astype(np.int64),
                      (idx[sel] + length[sel]).astype(np.int64), sent[sel].astype(np.int64))
    for h in unique_sorted(norms[keep]).tolist():
        if h not in known:
            known[h] = _fold(strings[h])
    words: list[int] = []
    start: list[int] = []
    end: list[int] = []
    sents: list[int] = []
    for i in np.flatnonzero(keep).tolist():
        at, n, s = int(idx[i]), int(length[i]), int(sent[i])
        for k, ch in enumerate(known[int(norms[i])] or ""):  # type: ignore[arg-type]
            if ch.isalnum():
                words.append(strings.add(ch))
                start.append(at + min(k, n - 1))
                end.append(at + min(k + 1, n))
                sents.append(s)
    return _Units(np.array(words, np.uint64), np.array(start, np.int64), np.array(end, np.int64),
                  np.array(sents, np.int64))


class _PhraseIndex:
    """Every occurrence of every phrase (a sequence of unit hashes) in a readout's units: what
    spaCy's ``PhraseMatcher`` on ``ORTH`` finds, without building a ``Doc`` of the units for
    each readout. Windows of each phrase length get a rolling hash in one array operation per
    length; the few that equal a phrase's are compared exactly."""

    _MUL = 0x100000001B3

    def __init__(self) -> None:
        self._keys: dict[tuple[int, ...], list[str]] = {}  # phrase -> its keys, each once
        self._by_len: dict[int, tuple[np.ndarray, dict[int, list[tuple[int, ...]]]]] | None = None

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, key: str, phrases: Iterable[np.ndarray]) -> None:
        for p in phrases:
            keys = self._keys.setdefault(tuple(p.tolist()), [])
            if key not in keys:
                keys.append(key)
        self._by_len = None

    @classmethod
    def _roll(cls, seq: tuple[int, ...]) -> int:
        acc = 0
        for x in seq:
            acc = (acc * cls._MUL + x) & 0xFFFFFFFFFFFFFFFF
        return acc

    def __call__(self, units: np.ndarray) -> list[tuple[str, int, int]]:
        """(key, start, end) of every occurrence, as the PhraseMatcher would give them."""
        if self._by_len is None:
            by_len: dict[int, dict[int, list[tuple[int, ...]]]] = defaultdict(dict)
            for seq in self._keys:
                by_len[len(seq)].setdefault(self._roll(seq), []).append(seq)
            self._by_len = {n: (np.array(sorted(d), dtype=np.uint64), d) for n, d in by_len.items()}
        out: list[tuple[str, int, int]] = []
        n = len(units)
        acc = np.zeros(n + 1, dtype=np.uint64)
        mul = np.uint64(self._MUL)
        # (Unsigned overflow in array arithmetic wraps without a warning: no errstate needed.)
        for length in range(1, max(self._by_len, default=0) + 1):
            if length > n:
                break
            acc = acc[:n - length + 1] * mul + units[length - 1:]
            if length not in self._by_len:
                continue
            keys, table = self._by_len[length]
            found = in_sorted(acc, keys).nonzero()[0]
            for i, key in zip(found.tolist(), acc[found].tolist()):
                window = (key,) if length == 1 else tuple(units[i:i + length].tolist())
                for seq in table[key]:
                    if seq == window:  # (one unit: its hash is the key itself)
                        for k in self._keys[seq]:
                            out.append((k, i, i + length))
        return out


class _Hit(NamedTuple):  # a NamedTuple: dozens per readout, made faster than a dataclass
    role: str
    key: str
    start: int  # unit range [start, end)
    end: int
    sent: int


class SignalMatcher:
    """The lexicon and the codebook's actor names compiled for one pipeline (one language).

    Build with :meth:`for_language` (cached on the lexicon); call on a :class:`Parsed` readout.
    """

    def __init__(self, lexicon: Lexicon, codebook: Codebook, nlp: "Language", lang: str) -> None:
        self.lexicon = lexicon
        self.lang = lang
        self.nlp = nlp
        self.chars = lang in CHARACTER_LANGS
        self.scale = CHARS_PER_WORD if self.chars else 1  # units per lexicon "word"
        self.drop = frozenset() if self.chars else frozenset(
            _fold(t.norm_) for w in _DROP_EN for t in nlp.make_doc(w))
        self.matcher = _PhraseIndex()
        self._known: dict[int, object] = {}  # NORM hash -> unit (see _units)
        self._keys: dict[str, tuple[str, str]] = {}  # match key -> (role, key)
        self.actor_side = {a.name: a.side for a in codebook.actors}
        self.group_count: dict[str, int] = {}
        self.templates = lexicon.initiative.get(lang, ())
        for formula in lexicon.formulas:
            for vi, v in enumerate(formula.variants):
                self._add(f"{_F}|{formula.id}|{vi}|P", v.phrases.get(lang, ()))
                for ti, t in enumerate(v.together):
                    groups = t.groups.get(lang, ())
                    for gi, group in enumerate(groups):
                        self._add(f"{_F}|{formula.id}|{vi}|T{ti}G{gi}", group)
                    self.group_count[f"{formula.id}|{vi}|{ti}"] = len(groups)
        for word, phrases in lexicon.descriptors.get(lang, {}).items():
            self._add(f"{_D}|{word}", phrases)
        self._add(f"{_N}|", lexicon.talk_nouns.get(lang, ()))
        self._add(f"{_L}|", lexicon.talk_fillers.get(lang, ()))
        self._add(f"{_W}|", lexicon.talk_wishes.get(lang, ()))
        for ti, t in enumerate(self.templates):
            self._add(f"{_IP}|{ti}", [t.prefix])
            if t.suffix:
                self._add(f"{_IS}|{ti}", [t.suffix])
        for actor in codebook.actors:
            self._add(f"{_A}|{actor.name}", actor.names.get(lang, ()))
        for which, phrases in lexicon.references.get(lang, {}).items():
            self._add(f"{_R}|{which}", phrases)
        generic = set(lexicon.format_generic.get(lang, ()))
        for fmt, phrases in lexicon.formats.get(lang, {}).items():
            self._add(f"{_M}|{fmt}", [p for p in phrases if p not in generic])
            self._add(f"{_MG}|{fmt}", [p for p in phrases if p in generic])
        self._add(f"{_X}|", lexicon.format_exclude.get(lang, ()))

    @classmethod
    def for_language(cls, lexicon: Lexicon, codebook: Codebook, lang: str) -> "SignalMatcher":
        """The matcher of ``lexicon`` + ``codebook`` for ``lang``, built once per trio."""
        key = (lang, id(codebook))
        nlp = get_pipeline(lang)
        cached = lexicon._compiled.get(key)
        if cached is None or cached[0] is not codebook or cached[1].nlp is not nlp:
            cached = (codebook, cls(lexicon, codebook, nlp, lang))
            lexicon._compiled[key] = cached
        return cached[1]

    def units(self, doc: "Doc", parsed: Parsed | None = None) -> _Units:
        return _units(doc, parsed, self.chars, self.drop, self._known)

    def _add(self, key: str, phrases: Iterable[str]) -> None:
        units = [self.units(self.nlp.make_doc(p)).hashes for p in phrases]
        self.matcher.add(key, [u for u in units if len(u)])

    def hits(self, parsed: Parsed) -> tuple[_Units, list[_Hit]]:
        """Units of the readout and every lexicon hit inside one sentence, in text order."""
        units = self.units(parsed.doc, parsed)
        if not len(units.hashes):
            return units, []
        keys = self._keys
        sent_of = units.sent.tolist()  # indexed per hit: a list is cheaper than NumPy scalars
        out = []
        for match_key, s, e in self.matcher(units.hashes):
            sent = sent_of[s]
            if sent < 0 or sent_of[e - 1] != sent:
                continue
            role_key = keys.get(match_key)
            if role_key is None:
                role_key = keys[match_key] = tuple(match_key.split("|", 1))
            out.append(_Hit(*role_key, s, e, sent))
        out.sort(key=lambda h: (h.start, -h.end, h.role, h.key))
        return units, out


# -- per readout -------------------------------------------------------------------------------

def readout_signals(parsed: Parsed, analysis: "Analysis", *, lang: str,
                    codebook: Codebook | None = None,
                    lexicon: Lexicon | None = None) -> ReadoutSignals:
    """The signals of one analysed readout (``parsed`` is its parse, ``analysis`` its findings).

    >>> from readout_diff import analyze
    >>> s = analyze("At the request of the US side, Xi spoke with Biden by phone. The two "
    ...             "leaders had a candid and constructive exchange of views. Biden said the US "
    ...             "remains committed to the one-China policy.").signals
    >>> s.initiator.side, s.format.value, sorted(s.descriptors), s.formulas["one_china"].variant
    ('us', 'phone', ['candid', 'constructive'], 'policy')
    """
    codebook = codebook or Codebook.default()
    lexicon = lexicon or Lexicon.default()
    matcher = SignalMatcher.for_language(lexicon, codebook, lang)
    units, hits = matcher.hits(parsed)
    by_role: dict[str, list[_Hit]] = defaultdict(list)
    for h in hits:
        by_role[h.role].append(h)
    return ReadoutSignals(
        formulas=_formulas(lexicon, by_role[_F], units, matcher),
        initiator=_initiative(lexicon, by_role, units, matcher, parsed.text),
        format=_format(lexicon, by_role, units, parsed.text),
        descriptors=_descriptors(by_role, units, lexicon.wish_window * matcher.scale),
        topic_order=topic_order(analysis),
        voice=voice_share(analysis, codebook=codebook),
    )


def _span(units: _Units, start: int, end: int) -> tuple[int, int]:
    return int(units.start[start]), int(units.end[end - 1])


def _occurrences(found: list[tuple[int, int, int, str | None]], units: _Units) -> Occurrences:
    """(sentence, unit start, unit end, variant) → Occurrences, variants in text order."""
    found = sorted(found, key=lambda x: (x[1], x[2]))
    variants: list[str] = []
    for *_, v in found:
        if v is not None and v not in variants:
            variants.append(v)
    return Occurrences(tuple(sorted({s for s, *_ in found})),
                       tuple(_span(units, s, e) for _, s, e, _ in found), tuple(variants))


def _windows(groups: list[list[_Hit]], window: int) -> list[tuple[int, int]]:
    """Unit spans holding one hit of every group within ``window`` units (one sentence)."""
    starts = sorted({h.start for g in groups for h in g})
    out: list[tuple[int, int]] = []
    for s in starts:
        if out and s < out[-1][1]:
            continue
        ends = []
        for g in groups:
            cand = [h.end for h in g if h.start >= s]
            if not cand:
                break
            ends.append(min(cand))
        else:
            if max(ends) - s <= window:
                out.append((s, max(ends)))
    return out


def _formulas(lexicon: Lexicon, hits: list[_Hit], units: _Units,
              matcher: SignalMatcher) -> dict[str, Occurrences]:
    by_key: dict[tuple[str, int, str, int], list[_Hit]] = defaultdict(list)
    sentences: dict[str, set[int]] = defaultdict(set)
    for h in hits:
        fid, vi, part = h.key.split("|")
        by_key[(fid, int(vi), part, h.sent)].append(h)
        sentences[fid].add(h.sent)
    out = {}
    for formula in lexicon.formulas:
        hit_sentences = sorted(sentences.get(formula.id, ()))
        if not hit_sentences:
            continue  # no phrase of the formula in the readout (most formulas)
        found: list[tuple[int, int, int, str | None]] = []
        for vi, variant in enumerate(formula.variants):
            for sent in hit_sentences:
                spans = [(h.start, h.end) for h in by_key.get((formula.id, vi, "P", sent), ())]
                for ti, together in enumerate(variant.together):
                    n_groups = matcher.group_count.get(f"{formula.id}|{vi}|{ti}", 0)
                    groups = [by_key.get((formula.id, vi, f"T{ti}G{g}", sent), [])
                              for g in range(n_groups)]
                    if groups and all(groups):
                        spans += _windows(groups, together.window * matcher.scale)
                for s, e in sorted(spans):
                    if any(s < fe and fs < e for _, fs, fe, _ in found):
                        continue  # one formula per stretch of text, whichever variant found it
                    found.append((sent, s, e, variant.name))
        if found:
            out[formula.id] = _occurrences(found, units)
    return out


def _descriptors(by_role: dict[str, list[_Hit]], units: _Units,
                 wish_window: int) -> dict[str, Occurrences]:
    """Descriptors chained to a talk noun by descriptors and fillers only (module docstring)."""
    elements = sorted(by_role[_D] + by_role[_N] + by_role[_L], key=lambda h: (h.sent, h.start))
    wish_ends: dict[int, list[int]] = defaultdict(list)
    for w in by_role[_W]:
        wish_ends[w.sent].append(w.end)
    found: dict[str, list[tuple[int, int, int, None]]] = defaultdict(list)
    chain: list[_Hit] = []
    reach = -1

    def wished(first: _Hit) -> bool:
        return any(0 <= first.start - e < wish_window for e in wish_ends.get(first.sent, ()))

    def close() -> None:
        if any(h.role == _N for h in chain) and not wished(chain[0]):
            for h in chain:
                if h.role == _D:
                    found[h.key].append((h.sent, h.start, h.end, None))

    for h in elements:
        if chain and (h.sent != chain[-1].sent or h.start > reach):
            close()
            chain, reach = [], -1
        chain.append(h)
        reach = max(reach, h.end)
    close()
    out = {}
    for word, items in found.items():
        # A descriptor phrase can also be a filler or overlap a noun: keep one hit per span.
        out[word] = _occurrences(sorted(set(items)), units)
    return out


def _initiative(lexicon: Lexicon, by_role: dict[str, list[_Hit]], units: _Units,
                matcher: SignalMatcher, text: str) -> Initiative | None:
    scope, window = lexicon.initiative_scope, lexicon.initiative_window * matcher.scale
    actors = [h for h in by_role[_A] if h.sent < scope]
    candidates = []
    for p in by_role[_IP]:
        if p.sent >= scope:
            continue
        t = matcher.templates[int(p.key)]
        ref = next((r for r in by_role[_R] if r.sent == p.sent and r.start == p.end), None)
        if t.suffix:
            closing = [s for s in by_role[_IS] if s.key == p.key and s.sent == p.sent
                       and p.end <= s.start <= p.end + window]
            if not closing:
                continue
            suffix = min(closing, key=lambda s: s.start)
            inside = [a for a in actors if a.sent == p.sent and p.end <= a.start
                      and a.end <= suffix.start]
            # An empty slot held a possessive (left out of the units): "at *her* request" is
            # the person named before, as "the latter" is.
            empty = suffix.start == p.end
            if not inside and not empty and not (ref is not None and ref.end <= suffix.start):
                continue
            actor, cue_end = (inside[0] if inside else None), suffix.end
            if empty:
                before = [a for a in actors if a.sent == p.sent and a.end <= p.start]
                actor = before[-1] if before else None
        else:
            inside = [a for a in actors if a.sent == p.sent and p.end <= a.start < p.end + window]
            actor = min(inside, key=lambda a: (a.start, -a.end)) if inside else None
            cue_end = actor.end if actor else p.end
        if ref is not None and (actor is None or actor.start >= ref.end):
            # "at the request of the latter", "at her request": an actor named before the cue
            before = [a for a in actors if a.sent == p.sent and a.end <= p.start]
            if before:
                actor = before[-1] if ref.key == "latter" else before[0]
                cue_end = max(cue_end, ref.end)
        candidates.append((p.start, -p.end, t.text, p.sent, actor, cue_end))
    if not candidates:
        return None
    start, _, cue, sent, actor, cue_end = min(candidates, key=lambda c: c[:2])
    side = matcher.actor_side.get(actor.key) if actor else None
    char_start, char_end = _span(units, start, cue_end)
    return Initiative(side=side if side and side != "both" else None,
                      actor=actor.key if actor else None, cue=cue, sentence=sent,
                      start=char_start, end=char_end, text=" ".join(text[char_start:char_end].split()))


def _format(lexicon: Lexicon, by_role: dict[str, list[_Hit]], units: _Units,
            text: str) -> EventFormat | None:
    excluded = by_role[_X]
    cues = [h for h in by_role[_M] + by_role[_MG] if h.sent < lexicon.format_scope
            and not any(x.start <= h.start and h.end <= x.end for x in excluded)]
    if not cues:
        return None
    first = min(h.sent for h in cues)
    order = {f: i for i, f in enumerate(lexicon.format_order)}
    # In the first sentence with a cue: a specific cue ("by telephone", "summit") before a
    # generic one ("spoke", "met"), then the lexicon's order ("a video call" is video).
    best = min((h for h in cues if h.sent == first),
               key=lambda h: (h.role == _MG, order.get(h.key, len(order)), h.start))
    start, end = _span(units, best.start, best.end)
    return EventFormat(best.key, text[start:end], best.sent)


def topic_order(analysis: "Analysis") -> tuple[str, ...]:
    """The readout's topics in the order they first come up (ties by id)."""
    return tuple(sorted(analysis.topics, key=lambda t: (analysis.topics[t].first, t)))


def count_words(text: str, lang: str) -> int:
    """Words of ``text``; in Chinese each Han character counts as one word (Latin words as one)."""
    if lang in CHARACTER_LANGS:
        return len(_CJK.findall(text)) + len(_LATIN_WORD.findall(_CJK.sub(" ", text)))
    return len(_LATIN_WORD.findall(text))


def voice_share(analysis: "Analysis", *, codebook: Codebook | None = None) -> VoiceShare:
    """Words of the readout credited to each side: speakers mapped to their codebook ``side``."""
    codebook = codebook or Codebook.default()
    side = {a.name: a.side or "unknown" for a in codebook.actors}
    texts: dict[str | None, list[str]] = {}  # side (None: no speaker) -> its sentences
    for s in analysis.sentences:
        texts.setdefault(None if s.speaker is None else side.get(s.speaker, "unknown"),
                         []).append(s.text)
    # No word spans a line break, so a side's sentences joined by one are counted at once:
    # the sum of their counts, in one regex call instead of one per sentence.
    counts = {k: count_words("\n".join(v), analysis.lang) for k, v in texts.items()}
    return VoiceShare({k: n for k, n in counts.items() if k is not None}, sum(counts.values()))


# -- comparison --------------------------------------------------------------------------------

def _set_diff(a: Iterable[str], b: Iterable[str]) -> SetDiff:
    x, y = set(a), set(b)
    return SetDiff(tuple(sorted(x & y)), tuple(sorted(x - y)), tuple(sorted(y - x)))


def formula_diff(a: ReadoutSignals, b: ReadoutSignals) -> FormulaDiff:
    """Formulas shared with the same variants, altered (other variants), or on one side only."""
    d = _set_diff(a.formulas, b.formulas)
    shared, altered = [], []
    for fid in d.shared:
        va, vb = a.formulas[fid].variants, b.formulas[fid].variants
        if set(va) == set(vb):
            shared.append(fid)
        else:
            altered.append((fid, va, vb))
    return FormulaDiff(tuple(shared), d.only_a, d.only_b, tuple(altered))


def order_diff(a: ReadoutSignals, b: ReadoutSignals, analysis_a: "Analysis",
               analysis_b: "Analysis") -> OrderDiff:
    """First topics and rank agreement (Kendall's tau-b) of the topics both readouts have."""
    in_b = set(b.topic_order)
    shared = [t for t in a.topic_order if t in in_b]
    rank_a = {t: i for i, t in enumerate(a.topic_order)}
    rank_b = {t: i for i, t in enumerate(b.topic_order)}
    tau = None
    if len(shared) >= 2:
        tau = _kendall_tau_b([analysis_a.topics[t].first for t in shared],
                             [analysis_b.topics[t].first for t in shared])
    return OrderDiff(a.topic_order[0] if a.topic_order else None,
                     b.topic_order[0] if b.topic_order else None, tuple(shared), rank_a, rank_b,
                     tau)


def _kendall_tau_b(x: list[int], y: list[int]) -> float | None:
    """Kendall's tau-b (ties in either ranking allowed); ``None`` when one ranking is all ties."""
    conc = disc = tx = ty = 0
    n = len(x)
    for i in range(n):
        for j in range(i + 1, n):
            dx, dy = x[i] - x[j], y[i] - y[j]
            if dx == 0 and dy == 0:
                continue
            if dx == 0:
                tx += 1
            elif dy == 0:
                ty += 1
            elif (dx > 0) == (dy > 0):
                conc += 1
            else:
                disc += 1
    denom = ((conc + disc + tx) * (conc + disc + ty)) ** 0.5
    return None if denom == 0 else (conc - disc) / denom


def compare_signals(analysis_a: "Analysis", analysis_b: "Analysis", *,
                    emphasis: Emphasis) -> ComparisonSignals:
    """How the signals of two analysed readouts differ; ``emphasis`` from
    :func:`readout_diff.emphasis.emphasis`."""
    a = analysis_a.signals or ReadoutSignals()
    b = analysis_b.signals or ReadoutSignals()
    return ComparisonSignals(
        formulas=formula_diff(a, b),
        initiator=ValuePair(a.initiator.side if a.initiator else None,
                            b.initiator.side if b.initiator else None),
        format=ValuePair(a.format.value if a.format else None,
                         b.format.value if b.format else None),
        descriptors=_set_diff(a.descriptors, b.descriptors),
        topic_order=order_diff(a, b, analysis_a, analysis_b),
        emphasis=emphasis,
    )
