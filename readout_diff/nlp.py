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
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Callable

import numpy as np

from .arrays import unique_sorted
from .errors import ParameterError
from .segment import split_sentences
from .spelling import americanize
from .whitespace import crosses_special_case, single_spaced, suspect_gaps

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["languages", "Parsed", "get_pipeline", "hash_string", "normalizer", "parse",
           "register_language", "sorted_hashes", "string_hashes"]

_BUILDERS: dict[str, Callable[[], "Language"]] = {}
_LOCK = threading.Lock()
# spaCy refuses texts over 1,000,000 characters by default, a guard for its parser and NER,
# which need ~1 GB per 100,000 characters; these pipelines only tokenize, and a 5,000-sentence
# transcript is longer than that. The limit on readouts is max_sentences (pipeline.py).
_MAX_LENGTH = 100_000_000
_SENTENCES = "readout_diff.sentences"  # key of the sentence spans in Doc.user_data


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
    _columns: dict[str, np.ndarray] = field(default_factory=dict, init=False, repr=False,
                                            compare=False)

    def token_end(self, i: int) -> int:
        """Character offset just after token ``i``."""
        return int(self.token_idx[i]) + len(self.doc[i].text)

    def column(self, name: str) -> np.ndarray:
        """Token attribute ``name`` (a spaCy attribute name: ``"NORM"``, ``"IS_STOP"``, ...) of
        every token, as a read-only ``uint64`` array.

        The extractors, the signals and the aligner each read a few attributes of the same
        tokens (NORM was fetched five times per readout); one ``Doc.to_array`` call fetches
        all of :data:`_COLUMNS` the first time any is asked for, and they are kept here: the
        document does not change once parsed. Other attributes are fetched on their own.
        """
        if name not in self._columns:
            n = len(self.doc)
            if name in _COLUMNS and n:
                # NORM is the token's (a tokenizer exception may set it); the others belong to
                # the lexeme, so they are looked up by ORTH in the vocabulary's table.
                arr = self.doc.to_array(["ORTH", "NORM"]).reshape(n, 2)
                self._keep("NORM", arr[:, 1])
                for key, col in zip(_LEXEME_COLUMNS, _lexeme_columns(self.doc.vocab, arr[:, 0])):
                    self._keep(key, col)
            else:
                names = _COLUMNS if name in _COLUMNS else (name,)
                arr = (self.doc.to_array(list(names)).reshape(n, len(names)) if n
                       else np.zeros((0, len(names)), np.uint64))
                for k, key in enumerate(names):
                    self._keep(key, arr[:, k])
        return self._columns[name]

    def _keep(self, name: str, values: np.ndarray) -> None:
        col = np.ascontiguousarray(values, dtype=np.uint64)
        col.flags.writeable = False  # shared by every reader of this parse
        self._columns[name] = col


#: The token attributes :meth:`Parsed.column` fetches together.
_COLUMNS = ("NORM", "LOWER", "IS_STOP", "IS_PUNCT", "IS_SPACE", "IS_TITLE", "LIKE_NUM", "LENGTH",
            "IS_ALPHA", "IS_UPPER", "IS_LOWER")
#: Those that are the lexeme's: the same for every token of one word (ORTH).
_LEXEME_COLUMNS = _COLUMNS[1:]
# vocabulary id -> (the vocabulary, its sorted ORTH hashes, their _LEXEME_COLUMNS as rows)
_LEXEME_TABLES: dict[int, tuple[object, np.ndarray, np.ndarray]] = {}


def _lexeme_columns(vocab, orth: np.ndarray) -> np.ndarray:
    """The :data:`_LEXEME_COLUMNS` of tokens with these ORTH hashes, one row per attribute.

    ``Doc.to_array`` reads each attribute of each token in turn (eleven of them cost eight
    times two); a lexeme's attributes are fixed when spaCy creates it, so a table per
    vocabulary, sorted by ORTH, gives them to a readout's tokens in one look-up. Words not in
    it yet (a readout brings a few) get theirs from ``to_array`` on a document of those words,
    as the readout's tokens would, and join it.
    """
    entry = _LEXEME_TABLES.get(id(vocab))
    if entry is None or entry[0] is not vocab:
        entry = (vocab, np.zeros(0, np.uint64), np.zeros((len(_LEXEME_COLUMNS), 0), np.uint64))
    _, keys, rows = entry
    pos = keys.searchsorted(orth)
    known = pos < len(keys)
    known[known] = keys[pos[known]] == orth[known]
    if not known.all():
        from spacy.tokens import Doc

        new = unique_sorted(orth[~known])
        strings = vocab.strings
        words = Doc(vocab, words=[strings[h] for h in new.tolist()])
        new_rows = words.to_array(list(_LEXEME_COLUMNS)).reshape(len(new), -1).T
        at = keys.searchsorted(new)
        keys = np.insert(keys, at, new)
        rows = np.insert(rows, at, new_rows, axis=1)
        _LEXEME_TABLES[id(vocab)] = (vocab, keys, rows)  # one assignment: readers see either
        pos = keys.searchsorted(orth)
    return rows[:, pos]


def hash_string(word: str) -> int:
    """spaCy's hash of a string: what the ``NORM`` and ``LOWER`` columns of a parse hold, and
    what ``vocab.strings.add`` returns, without a vocabulary."""
    from spacy.strings import hash_string as spacy_hash

    return int(spacy_hash(word))


@lru_cache(maxsize=64)
def string_hashes(words: frozenset[str]) -> frozenset[int]:
    """The hashes of a fixed word list (cached: cue and title lists do not change)."""
    return frozenset(hash_string(w) for w in words)


@lru_cache(maxsize=64)
def sorted_hashes(words: frozenset[str]) -> np.ndarray:
    """The same hashes as a sorted array, to test a whole column at once with
    :func:`readout_diff.arrays.in_sorted`."""
    return np.array(sorted(string_hashes(words)), dtype=np.uint64)


def parse(text: str, lang: str = "en") -> Parsed:
    """Tokenize ``text`` with the pipeline of ``lang`` and split it into sentences.

    The result is that of ``parsed_from_doc(get_pipeline(lang)(text))``, made without per-token
    Python: spaCy's tokenizer cuts text at white space and tokenizes the pieces between on their
    own, so tokenizing a copy whose white-space runs are single spaces gives the same tokens
    minus the white-space ones, at offsets mapped back with one array operation (no ``Doc`` to
    rebuild from a list of words, no ``doc.text`` joined token by token).
    """
    nlp = get_pipeline(lang)
    spans = split_sentences(text, lang)
    doc, idx = _tokenize(nlp, text)
    doc.user_data[_SENTENCES] = spans
    _set_sent_starts(doc, idx, spans)
    for name, proc in nlp.pipeline:
        if name != "readout_sentences":  # stamped above, from the original text
            doc = proc(doc)
    return _parsed(text, doc, spans, idx)


def parsed_from_doc(doc: "Doc", text: str | None = None) -> Parsed:
    """The :class:`Parsed` of a document the pipeline made (``text`` is ``doc.text``, if known)."""
    from spacy.attrs import IDX, IS_SPACE, ORTH
    from spacy.tokens import Doc

    spans = doc.user_data.get(_SENTENCES, ())
    text = doc.text if text is None else text
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
    return _parsed(text, doc, tuple(spans), idx)


def _parsed(text: str, doc: "Doc", spans, idx: np.ndarray) -> Parsed:
    starts = np.array([s for s, _ in spans], dtype=np.int64)
    ends = np.array([e for _, e in spans], dtype=np.int64)
    sent = starts.searchsorted(idx, side="right") - 1
    inside = (sent >= 0) & (idx < ends[np.maximum(sent, 0)] if len(spans) else False)
    token_sent = np.where(inside, sent, -1).astype(np.int64)
    lo = idx.searchsorted(starts, side="left")
    hi = idx.searchsorted(ends, side="left")
    return Parsed(text, doc, tuple(spans), idx, token_sent, tuple(zip(lo.tolist(), hi.tolist())))


def _tokenize(nlp: "Language", text: str) -> tuple["Doc", np.ndarray]:
    """The pipeline's tokens of ``text`` without white-space tokens, and their offsets in it."""
    from spacy.attrs import IDX, NORM, ORTH
    from spacy.tokenizer import Tokenizer

    # The rules live in spaCy's Tokenizer, which BoundedTokenizer wraps (nlp.make_doc still goes
    # through the wrapper, so hostile chunks stay bounded on the single-spaced copy too).
    tokenizer = getattr(nlp.tokenizer, "inner", nlp.tokenizer)
    if not isinstance(tokenizer, Tokenizer):  # another tokenizer (Chinese): the plain way
        p = parsed_from_doc(nlp.make_doc(text), text)
        return p.doc, p.token_idx
    spaced, back = single_spaced(text)
    suspects = suspect_gaps(tokenizer, spaced, back[0][1:]) if back is not None else None
    if back is not None and suspects is None:
        p = parsed_from_doc(nlp.make_doc(text), text)  # no single-spacing is safe
        return p.doc, p.token_idx
    doc = nlp.make_doc(spaced)
    arr = doc.to_array([IDX, ORTH]).reshape(-1, 2)
    idx = arr[:, 0].astype(np.int64)
    if back is None or not len(doc):
        return doc, idx
    if len(suspects) and crosses_special_case(tokenizer, doc, arr[:, 1].astype(np.uint64), idx,
                                              suspects):
        p = parsed_from_doc(nlp.make_doc(text), text)  # rare: see crosses_special_case
        return p.doc, p.token_idx
    starts, removed = back
    idx = idx + removed[starts.searchsorted(idx, side="right") - 1]
    # Such a text used to be rebuilt from its words, which keeps the lexemes' NORM only; the
    # tokenizer's exceptions set some per token ("Jan." → "January"). NORM 0 on a token means
    # "the lexeme's": results stay what they were.
    doc.from_array([NORM], np.zeros((len(doc), 1), dtype=np.uint64))
    return doc, idx


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
    from spacy.attrs import IDX

    spans = split_sentences(doc.text, lang)
    doc.user_data[_SENTENCES] = spans
    if len(doc):
        _set_sent_starts(doc, doc.to_array([IDX]).astype(np.int64).reshape(-1), spans)
    return doc


def _set_sent_starts(doc: "Doc", idx: np.ndarray, spans) -> None:
    """SENT_START on the first token of each span (``idx``: token offsets in the spans' text)."""
    from spacy.attrs import SENT_START

    if not len(doc):
        return
    flags = np.full(len(doc), -1, dtype=np.int64)
    first = idx.searchsorted(np.array([s for s, _ in spans], dtype=np.int64))
    first = first[first < len(doc)]
    flags[first] = 1
    flags[0] = 1
    doc.from_array([SENT_START], flags.reshape(-1, 1).astype("uint64"))


def _sentences_en(doc: "Doc") -> "Doc":
    return _stamp_sentences(doc, "en")


@register_language("en")
def _build_english() -> "Language":
    import spacy
    from spacy.language import Language
    from spacy.lookups import load_lookups

    nlp = spacy.blank("en")
    nlp.max_length = _MAX_LENGTH
    lemmas = _lemma_lookup("en")
    if lemmas is None:  # no cache and no direct read: spaCy's own loader (and its errors)
        lemmas = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup").get
    _install_norms(nlp, normalizer(lemmas))
    if not Language.has_factory("readout_sentences_en"):
        Language.component("readout_sentences_en", func=_sentences_en)
    nlp.add_pipe("readout_sentences_en", name="readout_sentences")
    return nlp


def _lemma_lookup(lang: str) -> Callable[[str], str | None] | None:
    """``get`` of spacy-lookups-data's ``lemma_lookup`` table for ``lang``, as a plain dict.

    spaCy's ``load_lookups`` reads the gzipped JSON through its registry and rehashes every key
    (about 0.1 s per process, a third of building the pipeline). The same table is kept as a
    ``marshal`` file (data only: loading it runs no code) in the per-user cache folder of
    :func:`readout_diff.chinese.jieba_cache_dir`, named by the data package's and Python's
    versions, written atomically; any failure (no writable folder, a damaged file) falls back
    to reading the JSON, and that to ``None`` (the caller uses spaCy's loader). Look-ups are the
    table's: its keys are the same strings, hashed.
    """
    import marshal
    import sys

    try:
        import spacy_lookups_data

        source = getattr(spacy_lookups_data, lang)["lemma_lookup"]
        version = spacy_lookups_data.__version__
    except (ImportError, AttributeError, KeyError, TypeError):
        return None
    from .chinese import jieba_cache_dir

    folder = jieba_cache_dir()
    name = f"lemma_lookup-{lang}-{version}-py{sys.version_info[0]}{sys.version_info[1]}.marshal"
    if folder is not None:
        try:
            with open(folder / name, "rb") as f:
                data = marshal.load(f)
            if isinstance(data, dict):
                return data.get
        except (OSError, EOFError, ValueError, TypeError):
            pass  # not written yet, or damaged: rebuilt below
    try:
        from spacy.util import load_language_data

        data = load_language_data(source)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        return None
    if folder is not None:
        import os
        import tempfile

        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".lemma-")
            with os.fdopen(fd, "wb") as f:
                marshal.dump(data, f)
            os.replace(tmp, folder / name)
        except OSError:  # read-only or full: run without the cache
            if tmp is not None and os.path.exists(tmp):
                os.unlink(tmp)
    return data.get


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
    nlp.max_length = _MAX_LENGTH
    nlp.tokenizer = make_tokenizer(nlp.vocab)
    _install_norms(nlp, chinese_norm)
    if not Language.has_factory("readout_sentences_zh"):
        Language.component("readout_sentences_zh", func=_sentences_zh)
    nlp.add_pipe("readout_sentences_zh", name="readout_sentences")
    return nlp
