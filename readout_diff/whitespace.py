"""Tokenizing a text without its white-space tokens, at the cost of tokenizing it.

spaCy makes every white-space run other than one plain space a token ("\\n" in hard-wrapped
text, the second of two spaces), and phrase matchers cannot skip them, so :mod:`readout_diff.nlp`
needs documents without them. Rebuilding a ``Doc`` from its remaining words costs per-token
Python; instead :func:`single_spaced` makes each such run one space (its tokenizer cuts text
at white space and tokenizes the pieces between on their own, so the tokens are the same, minus
the white-space ones) and gives the way back to the original offsets.

One thing can tell the two apart: the special cases that spaCy's tokenizer matches over tokens
(emoticons such as ``":)"``). :func:`crosses_special_case` finds the texts where that may happen
(about 4 % of real readouts, where a line ending in ``")"`` or ``":"`` is followed by a list
item): :func:`readout_diff.nlp.parse` tokenizes those the plain way.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

__all__ = ["crosses_special_case", "single_spaced"]

# White space that spaCy's tokenizer makes a token of: a run of two or more characters, or one
# that is not a plain space (a lone space at the very start is one too: see single_spaced).
_ODD_SPACE = re.compile(r"\s{2,}|[^\S ]")


def single_spaced(text: str) -> tuple[str, tuple[np.ndarray, np.ndarray] | None]:
    """``text`` with each white-space run that would be a token made one space (dropped at the
    start), and the way back: (start of each piece in the new text, characters removed before it).
    ``None`` when there is nothing to change."""
    runs = [(m.start(), m.end()) for m in _ODD_SPACE.finditer(text)]
    if text[:1].isspace() and (not runs or runs[0][0] != 0):
        runs.insert(0, (0, 1))
    if not runs:
        return text, None
    parts: list[str] = []
    starts, removed_before = [0], [0]
    pos = removed = 0
    for s, e in runs:
        parts.append(text[pos:s])
        if s == 0:
            removed += e  # leading white space goes
        else:
            parts.append(" ")
            removed += e - s - 1
        pos = e
        starts.append(e - removed)
        removed_before.append(removed)
    parts.append(text[pos:])
    return "".join(parts), (np.array(starts, np.int64), np.array(removed_before, np.int64))


_PAIR_MUL = np.uint64(0x9E3779B97F4A7C15)


def _pair_keys(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return left * _PAIR_MUL + right


@dataclass(frozen=True)
class _SpecialCases:
    """The special cases a tokenizer matches over tokens, as :func:`crosses_special_case`
    needs them (ORTH hashes throughout)."""

    keys: np.ndarray  # _pair_keys of the adjacent piece pairs of the cases
    patterns: dict[tuple[int, int], list[tuple[tuple[int, ...], int]]]  # pair -> (pieces, k)
    made: np.ndarray  # tokens these cases make that are not their pieces (":)" of ":", ")")
    outputs: object  # PhraseMatcher on ORTH finding what such cases make, or None
    ends: dict[str, tuple[int, int]]  # case -> its first and last piece


def crosses_special_case(tokenizer: object, doc: "Doc", orth: np.ndarray, idx: np.ndarray, gaps: np.ndarray) -> bool:
    """Whether a special case of the tokenizer may match over one of the ``gaps`` (offsets of the
    text after a white-space run that was a token), so the single-spaced text might not
    tokenize as the original: then :func:`readout_diff.nlp.parse` takes the plain way.

    spaCy's tokenizer runs a matcher for the special cases with affixes or spaces (see
    ``Tokenizer.add_special_case``) over the affix pieces of the text (``":"``, ``")"``), also
    over spaces; a match spanning a space is not applied but can shadow an overlapping match
    that would be. In the original text a white-space token stood in the way. The test: the
    pieces of such a case lie token for token across the gap; where a case was applied near the
    gap (its tokens are not the pieces the matcher saw) the answer is yes, to be safe.
    """
    cases = _special_cases(doc.vocab, tokenizer)
    if cases is None:
        return True
    right = np.searchsorted(idx, gaps, side="left")
    right = right[(right > 0) & (right < len(orth))]
    left_orth, right_orth = orth[right - 1], orth[right]
    flagged = np.isin(_pair_keys(left_orth, right_orth), cases.keys)
    near_made = np.isin(left_orth, cases.made) | np.isin(right_orth, cases.made)
    check = right[flagged | near_made]
    if not len(check):
        return False
    # Tokens a case made, and the pieces the tokenizer's matcher saw at the ends of each.
    made = np.zeros(len(orth), dtype=bool)
    seen_before: dict[int, set[int]] = defaultdict(set)  # gap token -> last piece before it
    seen_after: dict[int, set[int]] = defaultdict(set)
    if cases.outputs is not None:
        strings = doc.vocab.strings
        for key, s, e in cases.outputs(doc):  # type: ignore[operator]
            made[s:e] = True
            first, last = cases.ends[strings[key]]
            seen_before[e].add(last)
            seen_after[s].add(first)
    tokens = orth.tolist()
    for r in check.tolist():
        for left in seen_before.get(r, set()) | {tokens[r - 1]}:
            for right in seen_after.get(r, set()) | {tokens[r]}:
                for pieces, k in cases.patterns.get((left, right), ()):
                    lo, hi = r - k, r - k + len(pieces)
                    if lo < 0 or hi > len(tokens):
                        continue
                    if made[lo:hi].any() or tuple(tokens[lo:hi]) == pieces:
                        return True
    return False


_SPECIAL_CASES: dict[int, tuple[int, _SpecialCases | None]] = {}


def _orth(attrs: dict) -> str:
    from spacy.attrs import ORTH

    return attrs[ORTH] if ORTH in attrs else attrs["ORTH"]


def _special_cases(vocab, tokenizer) -> _SpecialCases | None:
    """The matched special cases of ``tokenizer`` as pieces, cached per tokenizer; ``None`` when
    one has a white-space piece among others (then no single-spacing is safe)."""
    from spacy.matcher import PhraseMatcher
    from spacy.tokenizer import Tokenizer
    from spacy.tokens import Doc

    rules = tokenizer.rules  # type: ignore[attr-defined]
    cached = _SPECIAL_CASES.get(id(tokenizer))
    if cached is not None and cached[0] == len(rules):
        return cached[1]
    t = tokenizer
    plain = Tokenizer(vocab, rules={}, prefix_search=t.prefix_search, suffix_search=t.suffix_search,
                      infix_finditer=t.infix_finditer, token_match=t.token_match,
                      url_match=t.url_match, faster_heuristics=t.faster_heuristics)
    strings = vocab.strings
    patterns: dict[tuple[int, int], list[tuple[tuple[int, ...], int]]] = defaultdict(list)
    made: set[int] = set()
    outputs = PhraseMatcher(vocab, attr="ORTH")
    ends: dict[str, tuple[int, int]] = {}
    result: _SpecialCases | None = None
    for string, substrings in rules.items():
        if not (not t.faster_heuristics or t.find_prefix(string) or t.find_infix(string)
                or t.find_suffix(string) or " " in string):
            continue  # not in the tokenizer's matcher (the test of Tokenizer.add_special_case)
        pieces = plain(string)
        if any(x.is_space for x in pieces):
            if len(pieces) == 1:
                continue  # matches a white-space token only ("\n"): those are dropped anyway
            break
        orths = tuple(x.orth for x in pieces)
        words = [_orth(a) for a in substrings]
        if tuple(strings.add(w) for w in words) != orths:
            made.update(strings.add(w) for w in words)
            outputs.add(string, [Doc(vocab, words=words)])
            ends[string] = (orths[0], orths[-1])
        for k in range(1, len(orths)):
            patterns[(orths[k - 1], orths[k])].append((orths, k))
    else:
        pairs = list(patterns)
        keys = _pair_keys(np.array([x for x, _ in pairs], dtype=np.uint64),
                          np.array([y for _, y in pairs], dtype=np.uint64))
        result = _SpecialCases(np.unique(keys), dict(patterns),
                               np.array(sorted(made), dtype=np.uint64),
                               outputs if len(outputs) else None, ends)
    _SPECIAL_CASES[id(tokenizer)] = (len(rules), result)
    return result
