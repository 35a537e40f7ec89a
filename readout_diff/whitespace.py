"""Tokenizing a text without its white-space tokens, at the cost of tokenizing it.

spaCy makes every white-space run other than one plain space a token ("\\n" in hard-wrapped
text, the second of two spaces), and phrase matchers cannot skip them, so :mod:`readout_diff.nlp`
needs documents without them. Rebuilding a ``Doc`` from its remaining words costs per-token
Python; instead :func:`single_spaced` makes each such run one space (its tokenizer cuts text
at white space and tokenizes the pieces between on their own, so the tokens are the same, minus
the white-space ones) and gives the way back to the original offsets.

One thing can tell the two apart: the special cases that spaCy's tokenizer matches over tokens
(emoticons such as ``":)"``). :func:`suspect_gaps` finds, in the text, where that may happen
(``"included:\\nPresident"`` holds the pieces of ``":P"``), :func:`crosses_special_case`
judges those suspects on the tokens, and :func:`readout_diff.nlp.parse` tokenizes the few texts
where a case really spans a gap (a line ending in ``":"`` and a list numbered ``"1."``) the
plain way.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

import numpy as np

from .arrays import in_sorted, unique_sorted

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokenizer import Tokenizer
    from spacy.tokens import Doc

__all__ = ["crosses_special_case", "single_spaced", "suspect_gaps"]


def single_spaced(text: str) -> tuple[str, tuple[np.ndarray, np.ndarray] | None]:
    """``text`` with each white-space run that would be a token made one space (dropped at the
    start), and the way back: (start of each piece in the new text, characters removed before it).
    ``None`` when there is nothing to change.

    spaCy's tokenizer makes a token of every white-space run (``str.isspace``) except a single
    plain space after a word: a run of two or more characters, one that is not a plain space,
    or any run at the very start. The runs are found on the text's code points, in arrays.
    """
    if not text:
        return text, None
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    table = _space_table()
    space = table[np.minimum(points, len(table) - 1)]
    # +1 where a run starts, -1 just after it ends: the differences of the flags padded with a
    # 0 on either side (written out: np.diff's prepend/append cost more than the arithmetic).
    flags = space.view(np.int8)
    edges = np.zeros(len(flags) + 1, np.int8)
    edges[:-1] = flags
    edges[1:] -= flags
    # The changes alternate, a start first: starts and ends are every other one.
    changes = edges.nonzero()[0]
    starts, ends = changes[0::2], changes[1::2]
    odd = (ends - starts >= 2) | (points[starts] != 32) | (starts == 0)
    starts, ends = starts[odd], ends[odd]
    if not len(starts):
        return text, None
    # Each run becomes one space (the leading one goes); the piece after it starts at end - removed.
    removed = np.where(starts == 0, ends, ends - starts - 1).cumsum()
    keep = _mask(len(points), starts, ends)
    out = points.copy()
    out[starts[starts > 0]] = 32
    spaced = out[keep].tobytes().decode("utf-32-le", "surrogatepass")
    return spaced, (np.concatenate([[0], ends - removed]).astype(np.int64),
                    np.concatenate([[0], removed]).astype(np.int64))


def _mask(n: int, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Characters kept: all but each run after its first character (all of a leading run)."""
    dropped_from = np.bincount(starts + (starts > 0), minlength=n + 1)
    return (dropped_from[:-1] - np.bincount(ends, minlength=n + 1)[:-1]).cumsum() == 0


_SPACE_TABLE: np.ndarray | None = None


def _space_table() -> np.ndarray:
    """``str.isspace`` of every code point up to U+3000, the last white-space character."""
    global _SPACE_TABLE
    if _SPACE_TABLE is None:
        _SPACE_TABLE = np.array([chr(c).isspace() for c in range(0x3002)], dtype=bool)
    return _SPACE_TABLE


def suspect_gaps(tokenizer: "Tokenizer", spaced: str, gaps: np.ndarray) -> np.ndarray | None:
    """The ``gaps`` of ``spaced`` (offsets just after a single space that stands for a
    white-space token of the original) over which a special case of ``tokenizer`` may match,
    judged from the text; ``None`` when no single-spacing is safe.

    spaCy's tokenizer runs a matcher for the special cases with affixes or spaces (see
    ``Tokenizer.add_special_case``) over the affix pieces of the text (``":"``, ``")"``), also
    over single spaces; a match spanning a space is never applied but can shadow an overlapping
    one that is. In the original text a white-space token stood in the way. Such a match needs
    the pieces of a case before and after the gap, each next to the other or one space apart:
    the test looks for that in the text (a superset of the token matches, so a gap it clears is
    safe), first by the characters on either side of each gap, in one array operation.
    :func:`crosses_special_case` then judges the suspects on the tokens.
    """
    cases = _special_cases(tokenizer)
    if cases is None:
        return None
    keys, splits, reach = cases
    gaps = gaps[(gaps >= 2) & (gaps < len(spaced))]
    if not len(gaps) or not len(keys):
        return gaps[:0]
    points = np.frombuffer(spaced.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    points = points.astype(np.uint64)
    near = gaps[in_sorted(_char_keys(points[gaps - 2], points[gaps]), keys)]
    suspects = []
    for g in near.tolist():
        before, after = spaced[max(0, g - 1 - reach):g - 1], spaced[g:g + reach]
        if any(left.search(before) and right.match(after)
               for left, right in _patterns(splits, (ord(spaced[g - 2]), ord(spaced[g])))):
            suspects.append(g)
    return np.array(suspects, dtype=np.int64)


def crosses_special_case(tokenizer: "Tokenizer", doc: "Doc", orth: np.ndarray, idx: np.ndarray,
                         gaps: np.ndarray) -> bool:
    """Whether a special case may match over one of the ``gaps`` (offsets in the text of
    ``doc``, the single-spaced one) judged on its tokens: then :func:`readout_diff.nlp.parse`
    tokenizes the original text instead.

    The case's pieces must be the tokens on both sides of the gap, token for token (``"included:
    President"`` holds the pieces of ``":P"`` as text, not as tokens). Where a case was applied
    next to the gap its tokens are not the pieces the matcher saw: the pieces at its ends are
    tried too, and a case applied inside the window answers yes, to be safe. A match over the
    gap changes nothing by itself (its text has a space: no case applies to it); it matters only
    by shadowing an overlapping case that would apply, whose pieces then lie side by side
    (``":\\n1."`` matches ``":1"`` over the gap, but no case overlaps it).
    """
    cases = _token_cases(tokenizer, doc.vocab)
    if cases is None:
        return True
    patterns, pieces_matcher, outputs, ends = cases
    right = idx.searchsorted(gaps, side="left")
    right = right[(right > 0) & (right < len(orth))]
    if not len(right):
        return False
    made = np.zeros(len(orth), dtype=bool)
    before: dict[int, set[int]] = defaultdict(set)  # gap token -> last piece of a case before it
    after: dict[int, set[int]] = defaultdict(set)
    if outputs is not None:
        strings = doc.vocab.strings
        for key, s, e in outputs(doc):
            made[s:e] = True
            first, last = ends[strings[key]]
            before[e].add(last)
            after[s].add(first)
    tokens = orth.tolist()
    cases_at: list[tuple[int, int]] | None = None
    for r in right.tolist():
        for left in before.get(r, set()) | {tokens[r - 1]}:
            for right_piece in after.get(r, set()) | {tokens[r]}:
                for pieces, k in patterns.get((left, right_piece), ()):
                    lo, hi = r - k, r - k + len(pieces)
                    if lo < 0 or hi > len(tokens):
                        continue
                    if made[lo:hi].any():
                        return True
                    if tuple(tokens[lo:hi]) != pieces:
                        continue
                    # A match over the gap is harmless unless a case it could shadow (one whose
                    # pieces lie next to each other, without a space) overlaps it.
                    if cases_at is None:
                        cases_at = _contiguous_cases(doc, pieces_matcher)
                    if any(s < hi and lo < e for s, e in cases_at):
                        return True
    return False


def _contiguous_cases(doc: "Doc", matcher) -> list[tuple[int, int]]:
    """Token spans of ``doc`` holding the pieces of a special case with no space between them."""
    from spacy.attrs import SPACY

    spaced_after = doc.to_array([SPACY]).reshape(-1).astype(bool)
    return [(s, e) for _, s, e in matcher(doc) if not spaced_after[s:e - 1].any()]


_TOKEN_CASES: dict[int, tuple[int, object]] = {}


def _token_cases(tokenizer: "Tokenizer", vocab):
    """The matched special cases as token hashes, for :func:`crosses_special_case` (built when
    a text first needs it, cached per tokenizer): ({(piece, next piece): [(pieces, k)]}, a
    PhraseMatcher on ORTH finding the cases' pieces, another finding what the cases that change
    their pieces make, and each such case's first and last piece); ``None`` as in
    :func:`_special_cases`."""
    from spacy.attrs import ORTH
    from spacy.matcher import PhraseMatcher
    from spacy.tokens import Doc

    rules = tokenizer.rules
    cached = _TOKEN_CASES.get(id(tokenizer))
    if cached is not None and cached[0] == len(rules):
        return cached[1]
    strings = vocab.strings
    patterns: dict[tuple[int, int], list[tuple[tuple[int, ...], int]]] = defaultdict(list)
    outputs = PhraseMatcher(vocab, attr="ORTH")
    pieces_matcher = PhraseMatcher(vocab, attr="ORTH")
    ends: dict[str, tuple[int, int]] = {}
    result = None
    plain = _plain(tokenizer)
    for string, substrings in rules.items():
        if not _in_matcher(tokenizer, string):
            continue
        pieces = plain(string)
        if any(x.is_space for x in pieces):
            if len(pieces) == 1:
                continue
            break
        orths = tuple(strings.add(x.text) for x in pieces)
        words = [a[ORTH] if ORTH in a else a["ORTH"] for a in substrings]
        if tuple(strings.add(w) for w in words) != orths:
            outputs.add(string, [Doc(vocab, words=words)])
            ends[string] = (orths[0], orths[-1])
        pieces_matcher.add(string, [Doc(vocab, words=[x.text for x in pieces])])
        for k in range(1, len(orths)):
            patterns[(orths[k - 1], orths[k])].append((orths, k))
    else:
        result = (dict(patterns), pieces_matcher, outputs if len(outputs) else None, ends)
    _TOKEN_CASES[id(tokenizer)] = (len(rules), result)
    return result


def _patterns(splits: dict, key: tuple[int, int]) -> list[tuple[re.Pattern, re.Pattern]]:
    """The regexes of the case splits meeting at ``key``, compiled on first use (most never are)."""
    found = splits[key]
    if found and not isinstance(found[0][0], re.Pattern):
        found[:] = [(re.compile(" ?".join(map(re.escape, left)) + r"\Z"),
                     re.compile(" ?".join(map(re.escape, right)))) for left, right in found]
    return found


def _char_keys(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    return left * np.uint64(0x110000) + right


_SPECIAL_CASES: dict[int, tuple[int, object]] = {}


def _special_cases(tokenizer: "Tokenizer"):
    """For each pair of characters that can meet at a gap, the ways a case's pieces can lie
    across it: (sorted char-pair keys, {(last char, first char): [(pieces before the gap, pieces
    after it)]} (regexes once :func:`_patterns` has needed them), the most characters a case
    spans), or ``None`` when a case has a white-space piece among others (then no
    single-spacing is safe). Cached per tokenizer."""
    rules = tokenizer.rules
    cached = _SPECIAL_CASES.get(id(tokenizer))
    if cached is not None and cached[0] == len(rules):
        return cached[1]
    plain = _plain(tokenizer)
    splits: dict[tuple[int, int], list] = {}
    result = None
    reach = 0
    for string in rules:
        if not _in_matcher(tokenizer, string):
            continue
        pieces = [x.text for x in plain(string)]
        if len(pieces) < 2:
            continue  # cannot span a gap (a lone white-space case matches dropped tokens only)
        if any(p.isspace() for p in pieces):
            break
        reach = max(reach, len(string) + len(pieces))
        for k in range(1, len(pieces)):
            key = (ord(pieces[k - 1][-1]), ord(pieces[k][0]))
            splits.setdefault(key, []).append((pieces[:k], pieces[k:]))  # compiled by _patterns
    else:
        keys = unique_sorted(_char_keys(np.array([a for a, _ in splits], dtype=np.uint64),
                                    np.array([b for _, b in splits], dtype=np.uint64)))
        result = (keys, splits, reach)
    _SPECIAL_CASES[id(tokenizer)] = (len(rules), result)
    return result


def _plain(tokenizer: "Tokenizer") -> "Tokenizer":
    """The tokenizer without special cases: how its matcher sees a case (its pieces). A
    vocabulary of its own: the pieces' words need no lexemes (NORM, lemmas) in the pipeline's."""
    from spacy.tokenizer import Tokenizer
    from spacy.vocab import Vocab

    t = tokenizer
    return Tokenizer(Vocab(), rules={}, prefix_search=t.prefix_search,
                     suffix_search=t.suffix_search, infix_finditer=t.infix_finditer,
                     token_match=t.token_match, url_match=t.url_match,
                     faster_heuristics=t.faster_heuristics)


def _in_matcher(t: "Tokenizer", string: str) -> bool:
    """Whether the tokenizer matches ``string`` over tokens (the test of add_special_case)."""
    return bool(not t.faster_heuristics or t.find_prefix(string) or t.find_infix(string)
                or t.find_suffix(string) or " " in string)
