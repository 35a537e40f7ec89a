"""Sentence boundaries for readouts, as character spans of the original text.

spaCy's rule ``sentencizer`` splits after every period, so "Amb. Burns" or "Gen. Milley" end a
sentence, and it keeps a headline glued to the paragraph under it. Readouts need more: lines
hard-wrapped inside a paragraph (the White House archive wraps at ~70 columns), bullet lists,
headline lines without a period, Markdown headings, and Chinese punctuation. The rules here run
on the raw string with compiled regular expressions (no per-token Python), and return spans that
the spaCy pipeline then stamps on its ``Doc`` (see :mod:`readout_diff.nlp`).

Rules, in order:

1. A blank line ends a sentence (a paragraph break).
2. A single line break ends a sentence when the next line starts a bullet item (``-``, ``*``,
   ``•``, ``1.``, ``a)``), or the line before is a heading: a Markdown ``#`` line, an all-caps
   line, or a short title-case line without final punctuation that does not end in a function
   word. Other line breaks are wrapping and are joined.
3. ``.``, ``!``, ``?`` (and an ellipsis), with closing quotes or brackets, followed by white space
   and an upper-case letter, a digit, a quote, a bracket or a bullet, end a sentence — unless the
   word before the period is a title or initial that never ends one (``Mr.``, ``Amb.``, ``Gen.``,
   ``J.``), or an abbreviation such as ``U.S.`` not followed by a common sentence opener.
4. In Chinese, ``。！？；`` (full or half width) end a sentence, and every line break does.
5. A span longer than :data:`MAX_SENTENCE_CHARS` (a scraped page whose punctuation was lost, a
   list pasted as one line) is cut at its last white space before the limit (else after its last
   symbol, else at the limit), so no sentence is unboundedly long.

Spans are stripped of white space and of a leading bullet marker; spans with no letter or digit
(``###``, ``* * *``) are dropped.
"""

from __future__ import annotations

import re

__all__ = ["MAX_SENTENCE_CHARS", "split_sentences"]

# Titles and initials: a period after these never ends a sentence.
_NEVER_SPLIT = frozenset(
    """mr mrs ms dr prof gen lt col maj capt cmdr cdr adm sgt cpl amb sen rep gov hon rev fr st
    mt no nos vol art fig dept jan feb apr jun jul aug sep sept oct nov dec pres sec asst supt
    ft approx cf vs v messrs mme mlle""".split()
)
# Abbreviations that may end a sentence: split only before a common sentence opener.
_MAYBE_SPLIT = frozenset("u.s u.k u.n e.u p.r.c d.c jr sr inc ltd co corp etc a.m p.m".split())
_OPENERS = frozenset(
    """the this that these those they he she it we i both in on at during after before while as
    but and however also there such his her their our its a an
    according following earlier later meanwhile separately further furthermore""".split()
)
_FUNCTION_WORDS = frozenset(
    """a an the of and or but to for with by in on at from as that which who whose whom into onto
    upon about over under than then its their his her our your this these those is are was were
    be been has have had will would shall should can could may might must not no nor so also
    including between among against toward towards during""".split()
)

_BULLET = re.compile(r"[ \t]*(?:[-*•·▪◦‣–—+]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)])[ \t]+(?=\S)")
_PARA = re.compile(r"\n[ \t\u00a0\u3000]*\n\s*")
# Possessive quantifiers and the look-behind keep this linear on hostile text (a line of 2 MB
# of "." or of spaces): giving characters back could never let the look-ahead match anyway.
# Every alternative opens with a literal character (a run of [.!?] not preceded by one is
# written per first character, its look-behind after it), so the regex engine skips ahead to
# the candidate characters instead of trying each position: five times faster on readouts.
_EN_END = re.compile(
    r"""(?:\.\.\.|…|\.(?<![.!?]\.)[.!?]*+|!(?<![.!?]!)[.!?]*+|\?(?<![.!?]\?)[.!?]*+)"""
    r"""["'”’»)\]]*+"""
    r"""(?=\s[\s"'“‘«(\[•*\-–—]*+[A-Z0-9À-ÖØ-Þ\u4e00-\u9fff])"""
)
_ZH_END = re.compile(r"[。！？；!?;]+[”’」』）)]*")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
_HAS_WORD = re.compile(r"[^\W_]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SPACE = re.compile(r"\s")
_SYMBOL = re.compile(r"[^\w\s]")
# Compiled once (these run per sentence or per line; re's own cache costs a look-up a call).
_NEXT_WORD = re.compile(r"\s+[\"'“‘(\[]*([A-Za-z]+)")  # the word after an abbreviation
_INNER_END = re.compile(r"[.!?][\"'”’)]*\s+[A-Z]")  # a sentence ends inside a line
_HEADING_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_HEADING_MARK = re.compile(r"#{1,6}[ \t]+\s*")  # "# \u3000Title" too

#: Longest sentence (characters); longer spans are cut (rule 5), so that a 2 MB line without
#: sentence punctuation costs what 1,000 ordinary sentences cost, not one huge one.
MAX_SENTENCE_CHARS = 2000


def split_sentences(text: str, lang: str = "en") -> list[tuple[int, int]]:
    """Return ``(start, end)`` character spans of the sentences of ``text``, in order.

    >>> t = "Amb. Burns met Gen. Li. They discussed trade."
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['Amb. Burns met Gen. Li.', 'They discussed trade.']
    """
    cuts: set[int] = {0, len(text)}
    cuts.update(m.start() for m in _PARA.finditer(text))
    if lang == "zh":
        cuts.update(m.end() for m in _ZH_END.finditer(text))
        cuts.update(m.start() for m in re.finditer(r"\n", text))
        # Mixed text: English sentences inside a Chinese readout still end at ". X".
        cuts.update(_english_ends(text))
    else:
        cuts.update(_line_breaks(text))
        cuts.update(_english_ends(text))
        if _CJK.search(text):
            cuts.update(m.end() for m in _ZH_END.finditer(text))
    return _spans(text, sorted(cuts))


def _english_ends(text: str) -> list[int]:
    ends = []
    for m in _EN_END.finditer(text):
        punct_start = m.start()
        if text[punct_start] == "." and not text.startswith("...", punct_start):
            word = _WORD_BEFORE.search(text, max(0, punct_start - 40), punct_start + 1)
            if word:
                w = word.group(1).lower()
                if word.group(1)[0].isupper() and (w in _NEVER_SPLIT or len(w) == 1):
                    continue  # "Amb. Burns", "Joseph R. Biden" (but "the answer was no.")
                if w in _MAYBE_SPLIT or "." in w:
                    nxt = _NEXT_WORD.match(text[m.end():m.end() + 40])
                    if not nxt or nxt.group(1).lower() not in _OPENERS:
                        continue
        ends.append(m.end())
    return ends


def _line_breaks(text: str) -> list[int]:
    """Single line breaks that end a sentence (rule 2); the rest are hard wrapping."""
    cuts = []
    pos = 0
    lines = text.split("\n")
    for i, line in enumerate(lines[:-1]):
        pos += len(line) + 1  # start of the next line
        nxt = lines[i + 1]
        if not line.strip() or not nxt.strip():
            continue  # paragraph breaks are handled by _PARA
        if _BULLET.match(nxt):
            cuts.append(pos)
        elif (i == 0 or not lines[i - 1].strip()) and _is_heading(line, lines, i + 1):
            cuts.append(pos)
    return cuts


def _wrap_width(lines: list[str], first: int) -> int:
    """The longest line of the paragraph that starts at ``lines[first]``."""
    width = 0
    for line in lines[first:first + 40]:
        if not line.strip():
            break
        width = max(width, len(line.rstrip()))
    return width


def _is_heading(line: str, lines: list[str], first: int) -> bool:
    """A headline opening its paragraph: "#", ALL CAPS, or a short title-case line.

    A hard-wrapped first line of a paragraph full of names and titles ("Secretary of State
    Antony J. Blinken and National Security Advisor") looks like a title too; what tells them
    apart is that a headline is clearly shorter than the wrapped lines under it, has no comma
    or sentence end inside it and does not end on a function word. (The width of the
    paragraph under it, ``lines[first:]``, is measured last: most lines fail a test before.)
    """
    s = line.strip()
    if s.startswith("#"):
        return True
    if not s[:1].isupper() or s[-1:] in ".,;:!?-–—(\"'“‘" or "," in s:
        return False
    if _INNER_END.search(s):
        return False
    words = _HEADING_WORD.findall(s)
    if not words or len(words) > 20 or words[-1].lower() in _FUNCTION_WORDS:
        return False
    letters = [c for c in s if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters):
        return True
    content = [w for w in words if len(w) >= 4 and w.lower() not in _FUNCTION_WORDS]
    if not content or sum(1 for w in content if w[0].isupper()) / len(content) < 0.8:
        return False
    width = _wrap_width(lines, first)
    return len(s) < 0.85 * width or width < 60


def _spans(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    spans = []
    for start, end in zip(cuts, cuts[1:]):
        chunk = text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        start += lead
        bullet = _BULLET.match(text, start, end)
        if bullet:
            start = bullet.end()
        heading = _HEADING_MARK.match(text[start:end])
        if heading:
            start += heading.end()
        end = start + len(text[start:end].rstrip())
        if end > start and _HAS_WORD.search(text, start, end):
            spans.extend(_bounded(text, start, end))
    return spans


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Rule 5: cut a span longer than MAX_SENTENCE_CHARS into pieces no longer than that."""
    if end - start <= MAX_SENTENCE_CHARS:
        return [(start, end)]
    pieces = []
    while start < end:
        cut = end
        if end - start > MAX_SENTENCE_CHARS:
            window = (start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
            space = _last(_SPACE, text, *window)
            cut = space if space is not None else (_last(_SYMBOL, text, *window) or window[1])
        piece_end = start + len(text[start:cut].rstrip())
        if piece_end > start and _HAS_WORD.search(text, start, piece_end):
            pieces.append((start, piece_end))
        start = cut + len(text[cut:end]) - len(text[cut:end].lstrip())
    return pieces


def _last(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> int | None:
    """End of the last match of ``pattern`` in ``text[lo:hi]``, or None."""
    found = None
    for m in pattern.finditer(text, lo, hi):
        found = m.end()
    return found
