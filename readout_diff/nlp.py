"""The spaCy side of readout_diff: building, caching and running one pipeline per language.

spaCy is imported here and in the matcher code only. Nothing happens at import time: the first
:func:`get_pipeline` call per language and process builds the pipeline, later calls reuse it.

**Normalisation at the lexeme level.** Matching must see "Discussed", "discusses" and
"discussed" as one word, and "defence" as "defense". Instead of a lemmatizer component, which
does a Python dictionary look-up for every token of every document, each *lexeme* (vocabulary
entry) gets its ``NORM`` set once, when spaCy first creates it: lower case, American spelling,
then the lemma from spacy-lookups-data's ``lemma_lookup`` table (followed to a fixed point, since
the table maps "meetings" → "meeting" → "meet"). The phrase and token matchers then run on
``NORM`` in spaCy's compiled code, and a word seen once costs nothing more. This also avoids the
table's case trap ("Discussed" is not in it; "discussed" is) and needs no ``nlp.initialize()``.

**Sentences** come from :func:`readout_diff.segment.split_sentences` and are stamped on the
``Doc`` as ``SENT_START`` (so ``doc.sents`` works) by the ``readout_sentences`` component.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Callable

import numpy as np

from .errors import ParameterError
from .segment import split_sentences
from .spelling import americanize

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["languages", "Parsed", "get_pipeline", "normalizer", "parse", "register_language"]

_BUILDERS: dict[str, Callable[[], "Language"]] = {}
_LOCK = threading.Lock()


def register_language(lang: str) -> Callable[[Callable[[], "Language"]], Callable[[], "Language"]]:
    """Register the function that builds the pipeline of ``lang`` (a small registry, no if/elif)."""

    def deco(builder: Callable[[], "Language"]) -> Callable[[], "Language"]:
        _BUILDERS[lang] = builder
        return builder

    return deco


def languages() -> tuple[str, ...]:
    """The languages that have a pipeline builder."""
    return tuple(sorted(_BUILDERS))


@lru_cache(maxsize=None)
def get_pipeline(lang: str = "en") -> "Language":
    """The pipeline for ``lang``, built once per process.

    >>> get_pipeline("en").pipe_names
    ['readout_sentences']
    """
    if lang not in _BUILDERS:
        raise ParameterError.invalid("lang", "get_pipeline", f"one of {languages()}", lang)
    from .bounded_tokenizer import bound_pipeline

    with _LOCK:
        return bound_pipeline(_BUILDERS[lang]())


@dataclass(frozen=True)
class Parsed:
    """A tokenized readout: the Doc, its sentence spans and per-token arrays the extractors use.

    ``doc`` holds no whitespace tokens: in hard-wrapped text spaCy makes the line break inside
    "mutual\\nrespect" a token of its own, and a phrase matcher cannot skip it. ``token_idx[i]``
    is the character offset of token ``i`` in ``text`` (the original string), ``token_sent[i]``
    its sentence (``-1`` between sentences, e.g. a bullet marker).
    """

    text: str
    doc: "Doc"
    sentences: tuple[tuple[int, int], ...]
    token_idx: np.ndarray
    token_sent: np.ndarray
    sent_tokens: tuple[tuple[int, int], ...]  # token range [start, end) of each sentence

    def token_end(self, i: int) -> int:
        """Character offset just after token ``i``."""
        return int(self.token_idx[i]) + len(self.doc[i].text)


def parse(text: str, lang: str = "en") -> Parsed:
    """Tokenize ``text`` with the pipeline of ``lang`` and split it into sentences."""
    doc = get_pipeline(lang)(text)
    return parsed_from_doc(doc)


def parsed_from_doc(doc: "Doc") -> Parsed:
    from spacy.attrs import IDX, IS_SPACE, ORTH
    from spacy.tokens import Doc

    spans = doc.user_data.get("readout_diff.sentences", ())
    text = doc.text
    if len(doc):
        arr = doc.to_array([IDX, IS_SPACE, ORTH])
        idx = arr[:, 0].astype(np.int64)
        space = arr[:, 1] == 1
        if space.any():
            keep = np.flatnonzero(~space)
            strings = doc.vocab.strings
            words = [strings[h] for h in arr[keep, 2].tolist()]
            doc = Doc(doc.vocab, words=words, spaces=[True] * len(words))
            idx = idx[keep]
    else:
        idx = np.zeros(0, np.int64)
    starts = np.array([s for s, _ in spans], dtype=np.int64)
    ends = np.array([e for _, e in spans], dtype=np.int64)
    sent = np.searchsorted(starts, idx, side="right") - 1
    inside = (sent >= 0) & (idx < ends[np.clip(sent, 0, None)] if len(spans) else False)
    token_sent = np.where(inside, sent, -1).astype(np.int64)
    lo = np.searchsorted(idx, starts, side="left")
    hi = np.searchsorted(idx, ends, side="left")
    return Parsed(text, doc, tuple(spans), idx, token_sent, tuple(zip(lo.tolist(), hi.tolist())))


# -- normalisation --------------------------------------------------------------------------------

_DOTTED = re.compile(r"^(?:[a-z]\.){2,}$")
_OVERRIDES = {"does": "do", "doesn't": "do", "'ll": "will", "wo": "will", "ca": "can",
              "n't": "not", "'s": "'s", "us": "us"}


# Invisible format characters that scraped pages leave inside words (soft hyphens, zero-width
# spaces and joiners, bidi marks, word joiners, BOMs): "Trade\u200b" must still be "trade".
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def normalizer(lemmas: Callable[[str], str | None]) -> Callable[[str], str]:
    """Return the lexeme-level normaliser: lower case, American spelling, lookup lemma.

    Acronyms keep their letters ("US" is the country, not the pronoun "us" → "we"; "U.S." → "us").
    """

    def lemma(w: str) -> str:
        for _ in range(3):  # "meetings" → "meeting" → "meet"
            nxt = lemmas(w)
            if nxt is None or nxt == w:
                break
            w = nxt
        return w

    def norm(word: str) -> str:
        w = _INVISIBLE.sub("", word) or word
        w = w.replace("’", "'").replace("‘", "'")
        low = w.lower()
        if _DOTTED.match(low) or (len(w) > 1 and w.isalpha() and w.isupper()):
            return low.replace(".", "")
        if low in _OVERRIDES:
            return _OVERRIDES[low]
        return lemma(americanize(low))

    return norm


def _install_norms(nlp: "Language", norm: Callable[[str], str]) -> None:
    from spacy.attrs import NORM

    nlp.vocab.lex_attr_getters[NORM] = norm
    for lex in list(nlp.vocab):  # lexemes made before the getter (tokenizer exceptions)
        lex.norm_ = norm(lex.orth_)


def _stamp_sentences(doc: "Doc", lang: str) -> "Doc":
    """Store sentence spans in ``doc.user_data`` and set SENT_START so ``doc.sents`` works."""
    from spacy.attrs import IDX, SENT_START

    spans = split_sentences(doc.text, lang)
    doc.user_data["readout_diff.sentences"] = spans
    if len(doc):
        idx = doc.to_array([IDX]).astype(np.int64).reshape(-1)
        flags = np.full(len(doc), -1, dtype=np.int64)
        first = np.searchsorted(idx, np.array([s for s, _ in spans], dtype=np.int64))
        first = first[first < len(doc)]
        flags[first] = 1
        flags[0] = 1
        doc.from_array([SENT_START], flags.reshape(-1, 1).astype("uint64"))
    return doc


def _sentences_en(doc: "Doc") -> "Doc":
    return _stamp_sentences(doc, "en")


@register_language("en")
def _build_english() -> "Language":
    import spacy
    from spacy.language import Language
    from spacy.lookups import load_lookups

    nlp = spacy.blank("en")
    table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    _install_norms(nlp, normalizer(table.get))
    if not Language.has_factory("readout_sentences_en"):
        Language.component("readout_sentences_en", func=_sentences_en)
    nlp.add_pipe("readout_sentences_en", name="readout_sentences")
    return nlp


def _sentences_zh(doc: "Doc") -> "Doc":
    return _stamp_sentences(doc, "zh")


@register_language("zh")
def _build_chinese() -> "Language":
    """Chinese: ``spacy.blank("zh")`` with readout_diff's segmenter and traditional → simplified
    ``NORM`` per lexeme (see :mod:`readout_diff.chinese`), so one pattern set serves both scripts."""
    import spacy
    from spacy.language import Language

    from .chinese import chinese_norm, make_tokenizer

    nlp = spacy.blank("zh")
    nlp.tokenizer = make_tokenizer(nlp.vocab)
    _install_norms(nlp, chinese_norm)
    if not Language.has_factory("readout_sentences_zh"):
        Language.component("readout_sentences_zh", func=_sentences_zh)
    nlp.add_pipe("readout_sentences_zh", name="readout_sentences")
    return nlp
