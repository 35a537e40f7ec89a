"""Tokenizing hostile text in bounded time: long runs and symbol runs never reach spaCy whole.

spaCy's rule tokenizer peels prefixes and suffixes off a white-space-free chunk one character at
a time, searching the rest of the chunk with Python regular expressions at every step. On a
chunk of punctuation or symbols this costs time quadratic in the chunk's length (20,000 ``(`` in
a row take about a minute; a 2 MB line of them would take days), and every distinct long chunk
stays in the vocabulary for the life of the process. Scraped readouts do contain such chunks:
rows of ``=====``, runs of emoji, base64 blobs, a URL-encoded query glued to a sentence.

:class:`BoundedTokenizer` wraps a pipeline's tokenizer. Text without such chunks (every real
readout) goes to the wrapped tokenizer unchanged, so nothing about normal tokenization changes.
Otherwise the text is cut into pieces first:

- a run of :data:`MAX_SYMBOL_RUN` or more characters that are neither letters, digits nor white
  space becomes one token per character (made directly, without the tokenizer);
- a white-space-free chunk longer than :data:`MAX_TOKEN_CHARS` is cut after its last symbol
  before the limit (a hard cut when it has none), and each piece is tokenized on its own;
- the text between such places is tokenized as usual.

The tokens are then put together into one ``Doc`` whose text is exactly the input text, so every
token's character offset stays valid. The wrapper applies to every language's pipeline
(:func:`readout_diff.nlp.get_pipeline`): a Chinese paragraph of several hundred characters
without white space is cut at its punctuation, which is where its segmenter would cut anyway.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["MAX_SYMBOL_RUN", "MAX_TOKEN_CHARS", "BoundedTokenizer", "bound_pipeline"]

#: Longest white-space-free chunk handed to the wrapped tokenizer in one piece.
MAX_TOKEN_CHARS = 100
#: Runs of this many symbols (not letters, digits or white space) or more become one token each.
MAX_SYMBOL_RUN = 6

_LONG_CHUNK = re.compile(r"(?<!\S)\S{%d,}" % (MAX_TOKEN_CHARS + 1))
# (No look-behind needed: scanning left to right, a match starts at the first symbol of a run
# and takes all of it, so matches are whole runs; without one the engine skips to symbols.)
_SYMBOL_RUN = re.compile(r"[^\w\s]{%d,}" % MAX_SYMBOL_RUN)
_SYMBOL = re.compile(r"[^\w\s]")
# Any match of _SYMBOL_RUN or _LONG_CHUNK contains a match of this (nearly every real readout
# has none, and needs no cutting). _may_need_cutting answers the same, faster (tests check).
_MAY_NEED_CUTTING = re.compile(r"[^\w\s]{%d}|\S{%d}" % (MAX_SYMBOL_RUN, MAX_TOKEN_CHARS + 1))
_SHORT_SYMBOL_RUN = re.compile(r"[^\w\s]{%d}" % MAX_SYMBOL_RUN)


def _may_need_cutting(text: str) -> bool:
    """Whether ``_MAY_NEED_CUTTING`` matches in ``text``, chunk by white-space-free chunk.

    Both its parts lie inside one chunk (``str.split`` and the pattern agree on white space),
    and the regular expression is slow on whole texts (it restarts at every character): a
    chunk needs a look only when it is long, or has a symbol (a chunk of word characters only
    is ``isalnum``, underscores aside). About a third of the search's time on readouts.
    """
    for chunk in text.split():
        if len(chunk) >= MAX_SYMBOL_RUN and (
                len(chunk) > MAX_TOKEN_CHARS
                or (not chunk.isalnum() and _SHORT_SYMBOL_RUN.search(chunk))):
            return True
    return False


class BoundedTokenizer:
    """A tokenizer that cuts long chunks and symbol runs before the wrapped one sees them.

    >>> import spacy
    >>> tok = BoundedTokenizer(spacy.blank("en").tokenizer)
    >>> doc = tok("Talks went well " + "=" * 8 + " today.")
    >>> doc.text == "Talks went well " + "=" * 8 + " today.", len(doc)
    (True, 13)
    """

    def __init__(self, inner: Callable[[str], "Doc"]) -> None:
        self.inner = inner

    @property
    def vocab(self) -> Any:
        return self.inner.vocab  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> Any:
        # Rule sets, caches and serialisation of the wrapped tokenizer stay reachable.
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)

    def __call__(self, text: str) -> "Doc":
        pieces = _pieces(text)
        if pieces is None:
            return self.inner(text)
        from spacy.attrs import ORTH, SPACY
        from spacy.tokens import Doc

        strings = self.vocab.strings
        words: list[str] = []
        spaces: list[bool] = []
        for start, end, direct in pieces:
            if words and not spaces[-1] and text.startswith(" ", start):
                spaces[-1] = True  # the space after a piece belongs to its last token
                start += 1
            if start >= end:
                continue
            if direct:
                words.extend(text[start:end])
                spaces.extend([False] * (end - start))
                continue
            # Each token's text and trailing space from two arrays, not from a Token object
            # per token (a cut text is long: a page with a URL in it).
            piece = self.inner(text[start:end])
            arr = piece.to_array([ORTH, SPACY]).reshape(len(piece), 2)
            words.extend(map(strings.__getitem__, arr[:, 0].tolist()))
            spaces.extend((arr[:, 1] != 0).tolist())
        return Doc(self.vocab, words=words, spaces=spaces)


def _pieces(text: str) -> list[tuple[int, int, bool]] | None:
    """``(start, end, direct)`` pieces covering ``text``, or None when it needs no cutting.

    ``direct`` pieces are symbol runs, one token per character; the others go to the tokenizer.
    """
    if not _may_need_cutting(text):
        return None
    symbol_runs = [m.span() for m in _SYMBOL_RUN.finditer(text)]
    long_chunks = [m.span() for m in _LONG_CHUNK.finditer(text)]
    if not symbol_runs and not long_chunks:
        return None
    cuts = {0, len(text)}
    for start, end in symbol_runs:
        cuts.update((start, end))
    for start, end in long_chunks:
        cuts.update(_chunk_cuts(text, start, end))
    direct_starts = {start for start, _ in symbol_runs}
    direct_ends = {end for _, end in symbol_runs}
    ordered = sorted(cuts)
    pieces = []
    inside = False
    for start, end in zip(ordered, ordered[1:]):
        if start in direct_starts:
            inside = True
        pieces.append((start, end, inside))
        if end in direct_ends:
            inside = False
    return pieces


def _chunk_cuts(text: str, start: int, end: int) -> list[int]:
    """Cut points inside a long chunk, each piece at most MAX_TOKEN_CHARS long."""
    cuts = []
    pos = start
    while end - pos > MAX_TOKEN_CHARS:
        limit = pos + MAX_TOKEN_CHARS
        cut = limit
        # Prefer cutting after a symbol in the second half of the window (a Chinese comma, a
        # slash of a URL): the pieces are then closer to what the tokenizer would have made.
        for m in _SYMBOL.finditer(text, pos + MAX_TOKEN_CHARS // 2, limit):
            cut = m.end()
        cuts.append(cut)
        pos = cut
    return cuts


def bound_pipeline(nlp: "Language") -> "Language":
    """Install :class:`BoundedTokenizer` on ``nlp`` and lift spaCy's ``max_length`` guard.

    ``max_length`` protects the memory of spaCy's parser and entity recogniser, which these
    pipelines do not have; readout_diff's own limits (``max_chars`` of :func:`readout_diff.analyze`,
    ``max_bytes`` of the readers) bound the input instead.
    """
    if not isinstance(nlp.tokenizer, BoundedTokenizer):
        nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)
    nlp.max_length = sys.maxsize
    return nlp
