"""Aligning the sentences of two readouts: many-to-many links, unaligned sentences kept.

Two sides' summaries of one call do not follow the same order, and one sentence listing trade,
fentanyl and Ukraine answers three sentences on the other side, so the alignment is neither
monotone nor one-to-one. Every pair of sentences gets a score in [0, 1]::

    score = W_COS  · cosine(TF-IDF of content words)          (scikit-learn)
          + W_FUZZ · token_set_ratio(content words) / 100     (rapidfuzz)
          + W_SEM  · weighted Jaccard of anchors
          + W_POS  · (1 − |relative position in a − relative position in b|)

Anchors are what two sides' summaries share even in other words or another language: topics
(negated ones too), frames, numbers, the people a sentence names when it names two or more
(the opening "Xi spoke with Biden"), and "the talks were described" ("candid and constructive").
(The score is 1.0 for two sentences with the same normalised text.) A pair is linked when its
score reaches ``threshold`` and it is among the ``top_k`` best of its row or of its column.
The weights, threshold and ``top_k`` were chosen by a grid search on the annotated corpus
(link F1 0.59 → 0.69); the optimum is flat (many nearby settings within 0.01), and the position
term is in all the best ones: two sides' summaries of one call mostly open and close alike.
``top_k=1`` still links many to many: a sentence is linked to its best partner *and* to every
sentence whose best partner it is, so a sentence listing three topics answers three.

**Across languages** (a Chinese readout against an English one) words cannot be compared, so
sentences pair by what the analysis found in them, not by string similarity::

    score = 0.75 · weighted Jaccard(topics, frames, numbers) + 0.25 · [same speaker]

so a shared speaker alone never reaches the default threshold, but lifts a partial topic match
("Xi stressed trade" against "Xi raised tariffs and fentanyl"). Same-language pairs are scored
as above, unchanged.

**Scale.** Rows of side a are scored in blocks against all of side b, with sparse matrix products
for the cosine and the Jaccard terms; memory stays at one block. Rapidfuzz, the costly term, runs
only on pairs that can still be links (:class:`_Pruned`): a pair is dropped when an exact upper
bound of its score (the other terms plus an exact bound of the fuzzy term, :class:`_FuzzBound`)
is below the threshold, or below the ``top_k``-th best lower bound of its row and of its column
(lower bounds: the score without its fuzzy term, or real scores of "witness" pairs scored first).
The links are the same as :func:`dense_scores`, the plain all-pairs reference kept for tests.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .arrays import in_sorted, unique_counts, unique_inverse, unique_sorted
from .errors import ParameterError
from .model import Alignment, Analysis, Link

if TYPE_CHECKING:  # pragma: no cover
    from scipy import sparse

__all__ = ["SentenceFeatures", "align", "align_features", "dense_scores", "features_for"]

W_COS, W_FUZZ, W_SEM, W_POS = 0.30, 0.20, 0.35, 0.15
W_CROSS_SEM, W_CROSS_SPEAKER = 0.75, 0.25  # readouts in two languages
DEFAULT_THRESHOLD = 0.30
DEFAULT_TOP_K = 1
_BLOCK_ROWS = 512
_BLOCK_CELLS = 1 << 20  # pairs scored per block at most (8 MB per float array)
_HASH_DIM = 1 << 22
_FRAME_WEIGHT = 0.5


@dataclass(frozen=True, eq=False)
class Counts:
    """Sentences × hashed content words, counts in canonical CSR arrays (sorted column indices,
    no duplicates), without scipy: the aligner computes on the arrays and needs scipy only for
    long readouts. :meth:`tocsr` gives the ``scipy.sparse.csr_matrix``."""

    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    shape: tuple[int, int]

    @property
    def nnz(self) -> int:
        return len(self.data)

    def tocsr(self) -> "sparse.csr_matrix":
        from scipy import sparse

        return sparse.csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)

    def toarray(self) -> np.ndarray:
        return self.tocsr().toarray()


@dataclass(frozen=True)
class SentenceFeatures:
    """What the aligner needs of each sentence of one readout."""

    content: "Counts | sparse.csr_matrix"  # sentences × hashed content words (counts)
    strings: tuple[str, ...]  # content words, for rapidfuzz
    exact: tuple[str, ...]  # the whole sentence normalised, for identity
    anchors: tuple[frozenset[str], ...]  # "t:trade", "f:stability", "n:25"
    topics: tuple[frozenset[str], ...]
    negated: tuple[frozenset[str], ...]
    frames: tuple[frozenset[str], ...]
    specifics: tuple[int, ...]
    lang: str = "en"
    speakers: tuple[str | None, ...] = ()

    @property
    def n(self) -> int:
        return len(self.strings)


_NUM = re.compile(r"\d+(?:[.,]\d+)*")


def features_for(analysis: Analysis, parsed: "object | None" = None) -> SentenceFeatures:
    """Features of an analysed readout; ``parsed`` (its :class:`~readout_diff.nlp.Parsed`) saves
    re-tokenizing the text when the caller still has it."""
    from .nlp import Parsed, get_pipeline, parsed_from_doc

    if parsed is None:
        # Rebuild a document from the analysed sentences (the readout's text is not stored).
        nlp = get_pipeline(analysis.lang)
        text = "\n\n".join(s.text for s in analysis.sentences)
        doc = nlp.make_doc(text)
        spans, pos = [], 0
        for s in analysis.sentences:
            spans.append((pos, pos + len(s.text)))
            pos += len(s.text) + 2
        doc.user_data["readout_diff.sentences"] = spans
        parsed = parsed_from_doc(doc)
    assert isinstance(parsed, Parsed)
    doc = parsed.doc
    n = len(parsed.sentences)
    if len(doc):
        norm = parsed.column("NORM")
        mask = ((parsed.column("IS_STOP") == 0) & (parsed.column("IS_PUNCT") == 0)
                & (parsed.column("IS_SPACE") == 0) & (parsed.token_sent >= 0))
    else:
        norm = np.zeros(0, np.uint64)
        mask = np.zeros(0, bool)
    rows = parsed.token_sent[mask]  # ascending: tokens and sentences are in text order
    hashes = norm[mask]
    # Counts per (sentence, hashed word), built in canonical CSR form directly (sorted,
    # duplicates summed), as COO → CSR → sum_duplicates made it.
    cells, counts = unique_counts(rows * _HASH_DIM
                                  + (hashes % np.uint64(_HASH_DIM)).astype(np.int64))
    index = _index_dtype(len(cells))  # scipy's own choice, made here so it need not check
    content = Counts(counts.astype(np.float64), (cells % _HASH_DIM).astype(index),
                     (cells // _HASH_DIM).searchsorted(np.arange(n + 1)).astype(index),
                     (n, _HASH_DIM))
    # Content words per sentence: each distinct word looked up once, joined per sentence.
    hash_list = hashes.tolist()
    strings_store = doc.vocab.strings
    text_of = {h: strings_store[h] for h in set(hash_list)}
    words = [text_of[h] for h in hash_list]
    bounds = rows.searchsorted(np.arange(n + 1)).tolist()
    strings = tuple(" ".join(words[bounds[i]:bounds[i + 1]]) for i in range(n))
    # A sentence's text is already single-spaced, and lower case makes no white space of a
    # character that is none (nor the reverse): its lower case is its normal form.
    exact = tuple(s.text.lower() for s in analysis.sentences)
    descriptors, talk_nouns = _talk_words(analysis.lang, doc.vocab)
    described = ((np.bincount(rows[in_sorted(hashes, descriptors)], minlength=n) > 0)
                 & (np.bincount(rows[in_sorted(hashes, talk_nouns)], minlength=n) > 0)).tolist()
    # Numbers of every sentence from one search of their texts joined by line breaks (no
    # number spans one, so each sentence gets what a search of its own text finds).
    numbers: list[set[str]] = [set() for _ in analysis.sentences]
    joined = "\n".join(s.text for s in analysis.sentences)
    if _NUM.search(joined):
        starts = list(itertools.accumulate((len(s.text) + 1 for s in analysis.sentences),
                                           initial=0))
        for m in _NUM.finditer(joined):
            numbers[bisect_right(starts, m.start()) - 1].add(f"n:{m.group()}")
    anchors, topics, negated, frames = [], [], [], []
    for s, talks, extra in zip(analysis.sentences, described, numbers):
        t, ng, f = frozenset(s.topics), frozenset(s.negated_topics), frozenset(s.frames)
        if len(s.actors) >= 2:
            extra.add("p:" + "|".join(s.actors))
        if talks:
            extra.add("d:talks")
        anchors.append(frozenset({f"t:{x}" for x in t | ng} | {f"f:{x}" for x in f} | extra))
        topics.append(t)
        negated.append(ng)
        frames.append(f)
    return SentenceFeatures(content, strings, exact, tuple(anchors), tuple(topics),
                            tuple(negated), tuple(frames),
                            tuple(s.specifics for s in analysis.sentences),
                            lang=analysis.lang,
                            speakers=tuple(s.speaker for s in analysis.sentences))


def _talk_words(lang: str, vocab: object) -> tuple[np.ndarray, np.ndarray]:
    """NORM hashes (sorted) of the language's talk descriptors and talk nouns, for "d:talks"."""
    key = (lang, id(vocab))
    if key not in _TALK_WORDS:
        from .cues import CUES

        cues = CUES.get(lang)
        words = (cues.descriptors, cues.talk_nouns) if cues is not None else ((), ())
        _TALK_WORDS[key] = tuple(  # type: ignore[assignment]
            np.array(sorted({vocab[w].norm for w in ws}), dtype=np.uint64)  # type: ignore[index]
            for ws in words)
    return _TALK_WORDS[key]


_TALK_WORDS: dict[tuple[str, int], tuple[np.ndarray, np.ndarray]] = {}


def align(a: Analysis, b: Analysis, *, threshold: float = DEFAULT_THRESHOLD,
          top_k: int = DEFAULT_TOP_K) -> Alignment:
    """Align the sentences of two analysed readouts.

    >>> from readout_diff import analyze
    >>> x = analyze("Both sides discussed trade. Ukraine did not come up.")
    >>> y = analyze("The leaders discussed trade and tariffs.")
    >>> [(l.a, l.b) for l in align(x, y).links]
    [(0, 0)]
    """
    return align_features(features_for(a), features_for(b), threshold=threshold, top_k=top_k)


def _check(threshold: float, top_k: int, func: str) -> None:
    if not isinstance(threshold, (int, float)) or not 0.0 < threshold <= 1.0:
        raise ParameterError.invalid("threshold", func, "a float in (0, 1]", threshold)
    if isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1:
        raise ParameterError.invalid("top_k", func, "a positive int", top_k)


def align_features(fa: SentenceFeatures, fb: SentenceFeatures, *,
                   threshold: float = DEFAULT_THRESHOLD, top_k: int = DEFAULT_TOP_K) -> Alignment:
    """Align two readouts from their features (blocked and pruned; see the module docstring).

    Per block, the pairs that can still be links are kept as arrays; rapidfuzz's ``cpdist``
    scores them with the same arithmetic as :func:`_combine`, element-wise (so the same
    floats), and the links are chosen on arrays; Python works per link, not per pair.
    """
    _check(threshold, top_k, "align")
    if fa.lang != fb.lang:
        return _select(*_cross_scored(fa, fb, threshold), fa, fb, top_k)
    if fa.n * fb.n <= _DENSE_UPTO:
        return _select(*_dense_scored(fa, fb, threshold)[:3], fa, fb, top_k)
    return _select(*_Pruned(fa, fb, threshold, top_k).scored(), fa, fb, top_k)


#: Up to this many sentence pairs (n × m), every pair is scored at once (one block, one
#: rapidfuzz ``cdist``): cheaper than pruning's bookkeeping on readouts of a few dozen
#: sentences (0.49 vs 0.76 ms at 10 × 10, 50 vs 65 ms at 100 × 100; even near 20,000).
_DENSE_UPTO = 10_000


def _dense_scored(fa: SentenceFeatures, fb: SentenceFeatures,
                  threshold: float) -> tuple[np.ndarray, ...]:
    """Every pair of two short readouts scored (the arithmetic of :func:`dense_scores`, on
    arrays): (i, j, score, cosine, fuzzy, Jaccard, position) of the pairs reaching
    ``threshold``; identical sentences score 1.0."""
    from rapidfuzz import fuzz, process

    empty = np.zeros(0)
    if fa.n == 0 or fb.n == 0:
        return (np.zeros(0, np.int64), np.zeros(0, np.int64)) + (empty,) * 5
    blocks = list(_blocks(fa, fb))  # one block, unless a side is long and the other short
    if len(blocks) == 1:
        _, cos, sem, pos = blocks[0]
    else:
        cos, sem, pos = (np.vstack([np.asarray(b[k]) for b in blocks]) for k in (1, 2, 3))
    fz = process.cdist(list(fa.strings), list(fb.strings), scorer=fuzz.token_set_ratio,
                       dtype=np.float64)
    fz /= 100.0
    if not all(fa.strings):
        fz[np.array([not x for x in fa.strings], dtype=bool), :] = 0.0  # no content words: 0
    if not all(fb.strings):
        fz[:, np.array([not x for x in fb.strings], dtype=bool)] = 0.0
    if pos.shape != cos.shape:  # (a view of zeros when W_POS is 0)
        pos = np.broadcast_to(pos, cos.shape)
    score = _score(cos, fz, sem, pos)
    if not set(fa.exact).isdisjoint(fb.exact):  # (rare: an identical sentence on both sides)
        ids_a, ids_b = _exact_ids(fa, fb)
        score[ids_a[:, None] == ids_b[None, :]] = 1.0
    i, j = np.nonzero(score >= threshold)
    return (i.astype(np.int64), j.astype(np.int64), score[i, j], cos[i, j], fz[i, j],
            sem[i, j], pos[i, j])


def _cross_scored(fa: SentenceFeatures, fb: SentenceFeatures,
                  threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, score) of the pairs of two readouts in two languages that reach ``threshold``."""
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for rows, score in _cross_blocks(fa, fb):
        bi, j = np.nonzero(score >= threshold)
        parts.append((rows[bi], j, score[bi, j]))
    i, j, s = _concat(parts)
    return np.asarray(i, np.int64), np.asarray(j, np.int64), np.asarray(s, np.float64)


def candidate_pairs(fa: SentenceFeatures, fb: SentenceFeatures, *, threshold: float,
                    top_k: int) -> tuple[np.ndarray, ...]:
    """The pairs :func:`align_features` links, as arrays with their score terms: (i, j, score,
    cosine, fuzzy, Jaccard, position), in (a, b) order. The learned linker's candidates."""
    _check(threshold, top_k, "candidate_pairs")
    if fa.lang != fb.lang:
        i, j, s = _cross_scored(fa, fb, threshold)
        order = _selected(i, j, s, top_k)
        i, j, s = i[order], j[order], s[order]
        return (i, j, s, *pair_components(fa, fb, i, j))
    if fa.n * fb.n <= _DENSE_UPTO:
        i, j, s, *terms = _dense_scored(fa, fb, threshold)
        order = _selected(i, j, s, top_k)
        return (i[order], j[order], s[order], *(t[order] for t in terms))
    i, j, s, *terms = _Pruned(fa, fb, threshold, top_k, terms=True).scored_terms()
    i, j = i.astype(np.int64), j.astype(np.int64)
    order = _selected(i, j, s, top_k)
    i, j, s = i[order], j[order], s[order]
    terms = [t[order] for t in terms]
    missing = np.isnan(terms[0])  # identical pairs: their terms computed here (few)
    if missing.any():
        for t, filled in zip(terms, pair_components(fa, fb, i[missing], j[missing])):
            t[missing] = filled
    return (i, j, s, *terms)


_EPS = 1e-12  # margin for bounds summed in another order than the score
_BOUND_FROM = 20_000  # pairs (n × m) from which the fuzzy term is bounded per pair
_WITNESS_ROUNDS = 2  # rounds of witnesses by the finest bounds (each costs a pass on arrays)
_AHEAD = True  # long readouts: the next block made in a worker thread


def _score(c, fz, s, p):
    """The score of :func:`_combine`, element-wise: the same floats, and monotone in each term,
    so a bound on ``fz`` gives a bound on the score."""
    return np.minimum(1.0, np.maximum(0.0, W_COS * c + W_FUZZ * fz + W_SEM * s + W_POS * p))


class _Pruned:
    """Same-language scoring that runs rapidfuzz only on pairs that can still be links.

    A pair is linked when it scores 1.0 or is among the ``top_k`` of its row or of its column.
    So a pair whose score is below ``top_k`` *other* pairs' scores in its row and ``top_k`` in
    its column, and below 1.0, is no link, and dropping it changes no link: each row's and
    column's ``top_k`` are links and stay, and rank above anything the dropped pair ranked
    above. Scores are compared through bounds: a pair's *lower* bound is its score with the
    fuzzy term at 0 (or its real score once rapidfuzz scored it, or 1.0 for identical
    sentences); its *upper* bound puts an exact upper bound of the fuzzy term in its place
    (:class:`_FuzzBound`; 1 for small readouts). A pair is dropped when its upper bound is below
    the threshold, or below the ``top_k``-th best lower bound of its row and of its column (a
    column's bar grows as blocks come, so the bar in use is always one the end will reach).

    Long readouts first score, per block, each row's best pair by lower bound and its best by
    upper bound ("witnesses": real scores make high bars), then after the blocks each column's,
    then refine the upper bounds of what is left with character counts, score witnesses again,
    and score the rest. Every scored pair is kept for :func:`_select`, so dropping only ever
    removes pairs that are no link.
    """

    def __init__(self, fa: SentenceFeatures, fb: SentenceFeatures, threshold: float,
                 top_k: int, *, terms: bool = False) -> None:
        self.fa, self.fb, self.threshold, self.k = fa, fb, threshold, top_k
        # With ``terms``, the four score terms of every scored pair are kept beside ``done``
        # (NaN for identical pairs, which are not scored term by term): the learned linker
        # reads them instead of computing them again.
        self.terms: list[tuple[np.ndarray, ...]] | None = [] if terms else None
        self.ids_a, self.ids_b = _exact_ids(fa, fb)
        self.bound = _FuzzBound(fa, fb) if fa.n * fb.n >= _BOUND_FROM else None
        # token_set_ratio depends on the word sets only: rapidfuzz gets them sorted and once.
        self.strings = tuple(np.array(x, dtype=object) for x in (
            (fa.strings, fb.strings) if self.bound is None
            else (self.bound.sets_a, self.bound.sets_b)))
        # Lower bounds kept in separate multisets (a pair counted once in each), the bar being
        # the larger of their k-th bests: row and column k-th best score-without-fuzz, and the
        # k-th best real score (identical pairs: 1.0) per row and per column.
        self.row_lb = np.full(fa.n, -np.inf)
        self.col_lb = _ColumnBest(fb.n, top_k)
        self.row_real = _ColumnBest(fa.n, top_k)
        self.col_real = _ColumnBest(fb.n, top_k)
        self.done: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.same = _same_pairs(self.ids_a, self.ids_b)  # by row
        self._record(*self.same, np.ones(len(self.same[0])))

    def _record(self, i: np.ndarray, j: np.ndarray, score: np.ndarray,
                terms: tuple[np.ndarray, ...] | None = None) -> None:
        self.done.append((i, j, score))
        if self.terms is not None:
            self.terms.append(terms if terms is not None else (np.full(len(i), np.nan),) * 4)
        self.row_real.update(i, score)
        self.col_real.update(j, score)

    def _bars(self) -> tuple[np.ndarray, np.ndarray]:
        return (np.maximum(self.row_lb, self.row_real.kth()),
                np.maximum(self.col_lb.kth(), self.col_real.kth()))

    def _may_be_links(self, i: np.ndarray, j: np.ndarray, ub: np.ndarray) -> np.ndarray:
        row_bar, col_bar = self._bars()
        return ((ub >= self.threshold - _EPS)
                & ((ub >= row_bar[i] - _EPS) | (ub >= col_bar[j] - _EPS)))

    def _score_at(self, i: np.ndarray, j: np.ndarray, c: np.ndarray, s: np.ndarray,
                  p: np.ndarray) -> None:
        """Score pairs with rapidfuzz and record them."""
        fz = _fuzz_pairs(*self.strings, i, j)
        self._record(i, j, _score(c, fz, s, p), (c, fz, s, p) if self.terms is not None else None)

    def scored(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(i, j, score) of every pair that scored at least the threshold and may be a link."""
        i, j, s = self._score_all()
        ok = s >= self.threshold
        return i[ok], j[ok], s[ok]

    def scored_terms(self) -> tuple[np.ndarray, ...]:
        """:meth:`scored` (made with ``terms=True``) and the four terms of each pair: (i, j,
        score, cosine, fuzzy, Jaccard, position)."""
        i, j, s = self._score_all()
        assert self.terms is not None
        ok = s >= self.threshold
        terms = [np.concatenate([t[k] for t in self.terms])[ok] if self.terms else np.zeros(0)
                 for k in range(4)]
        return (i[ok], j[ok], s[ok], *terms)

    def _score_all(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Run the blocks; (i, j, score) of every pair scored, in the order of ``done``."""
        fb, k = self.fb, self.k
        pending = []
        blocks = self._lower_blocks()
        if self.bound is not None and _AHEAD:
            # The sparse products hold the GIL, the array work does not: the next block is
            # made in a worker thread while this one's arrays are compared.
            blocks = _ahead(blocks)
        for rows, cos, sem, lb, shared_block in blocks:
            self.row_lb[rows] = _kth_rows(lb, k)
            self.col_lb.update_block(lb)
            if self.bound is not None:
                self._first_witnesses(rows, cos, sem, lb)
            # Cells whose bound with the fuzzy term at 1 reaches min(row bar, column bar) and
            # the threshold: a row test or a column test, compared on booleans.
            row_bar, col_bar = self._bars()
            margin = W_FUZZ + _EPS
            near = lb >= (np.maximum(row_bar[rows], self.threshold) - margin)[:, None]
            near |= lb >= (np.maximum(col_bar, self.threshold) - margin)[None, :]
            at = np.flatnonzero(near)  # flat indices: gathers on flat views are faster
            bi, j = np.divmod(at, fb.n)
            i = rows[bi]
            other = self.ids_a[i] != self.ids_b[j]  # identical sentences are scored 1.0 already
            at, bi, i, j = at[other], bi[other], i[other], j[other]
            # Upper bounds (the sum in another order: compared with the _EPS margin).
            ub = lb.ravel()[at]
            if self.bound is None:
                ub += W_FUZZ
                keep = self._may_be_links(i, j, ub)
            else:
                shared = shared_block.ravel()[at]
                ub += W_FUZZ * self.bound.bound(i, j, shared)
                w = _top_in_groups(bi, ub, k)  # each row's witnesses, scored now
                self._score_at(i[w], j[w], cos.ravel()[at[w]], sem.ravel()[at[w]],
                               self._pos(i[w], j[w]))
                keep = self._may_be_links(i, j, ub)
                keep[w] = False
            idx = np.flatnonzero(keep)
            at, i, j = at[idx], i[idx], j[idx]
            cand = {"i": i, "j": j, "ub": ub[idx], "c": cos.ravel()[at], "s": sem.ravel()[at],
                    "p": self._pos(i, j)}
            if self.bound is not None:
                cand["shared"] = shared[idx]
            pending.append(cand)
        if pending:
            cand = {key: np.concatenate([c[key] for c in pending]) for key in pending[0]}
            if self.bound is not None:
                cand = self._refine(cand)
            self._score_at(*(cand[key] for key in "ijcsp"))
        return _concat(self.done)

    def _first_witnesses(self, rows: np.ndarray, cos: np.ndarray, sem: np.ndarray,
                         lb: np.ndarray) -> None:
        """Score each row's best pair by lower bound before the block's cells are picked (its
        real score makes a higher bar), unless the row has an identical partner; the scored
        cells' lower bounds become -inf, so they are not picked again."""
        best = lb.argmax(axis=1)
        r = np.flatnonzero(lb[np.arange(len(rows)), best] < 1.0)
        at = r * lb.shape[1] + best[r]
        i, j = rows[r], best[r]
        self._score_at(i, j, cos.ravel()[at], sem.ravel()[at], self._pos(i, j))
        lb.ravel()[at] = -np.inf

    def _lower_blocks(self):
        """Per block of rows: (rows, cosines, Jaccards, lower bounds, ``S + 1`` or None), the
        lower bound being the score without its fuzzy term (1.0 for identical sentences)."""
        for rows, cos, sem, pos, at in _blocks(self.fa, self.fb, shared_at=True):
            lo, hi = int(rows[0]), int(rows[-1]) + 1
            lb = W_COS * cos  # + W_POS * pos + W_SEM * sem: another order, the _EPS margin
            if W_POS:
                np.multiply(pos, W_POS, out=pos)  # pos is this block's own array
                lb += pos
            if at is None:
                lb += W_SEM * sem
            else:  # few pairs share an anchor
                lb.ravel()[at] += W_SEM * sem.ravel()[at]
            si, sj = self._same_in(lo, hi)
            lb[si - lo, sj] = 1.0
            shared = self.bound.shared_block(lo, hi) if self.bound is not None else None
            yield rows, cos, sem, lb, shared

    def _pos(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """The position term of pairs: the arithmetic of :func:`_blocks`, element-wise."""
        rel_a = i / max(self.fa.n - 1, 1)
        rel_b = j / max(self.fb.n - 1, 1)
        return 1.0 - np.abs(rel_a - rel_b)

    def _refine(self, cand: dict) -> dict:
        """Long readouts, after the blocks: columns' witnesses, bounds from character counts,
        then rows' and columns' witnesses again by the finer bounds."""
        cand = _take(cand, self._may_be_links(cand["i"], cand["j"], cand["ub"]))
        cand = self._witnesses(cand, "j")
        fz = self.bound.bound(cand["i"], cand["j"], cand["shared"], chars=True)
        cand["ub"] = _score(cand["c"], fz, cand["s"], cand["p"])
        for _ in range(_WITNESS_ROUNDS):
            cand = self._witnesses(self._witnesses(cand, "i"), "j")
        return cand

    def _witnesses(self, cand: dict, side: str) -> dict:
        """Score the ``top_k`` best candidates by upper bound of each row (``side="i"``) or
        column (``"j"``), and keep of the rest those that may still be links."""
        group, ub = cand[side], cand["ub"]
        # Rows come sorted; columns are sorted here (as 16-bit keys when they fit, which
        # NumPy sorts by radix, stable, in linear time).
        order = None if side == "i" else np.argsort(
            group.astype(np.uint16) if self.fb.n <= 1 << 16 else group, kind="stable")
        w = (_top_in_groups(group, ub, self.k) if order is None
             else order[_top_in_groups(group[order], ub[order], self.k)])
        self._score_at(*(cand[key][w] for key in "ijcsp"))
        keep = self._may_be_links(cand["i"], cand["j"], ub)
        keep[w] = False
        return _take(cand, keep)

    def _same_in(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """The identical pairs whose row is in [lo, hi)."""
        i, j = self.same
        a, b = np.searchsorted(i, [lo, hi])
        return i[a:b], j[a:b]


def _ahead(items):
    """Iterate ``items`` one item ahead, made in a worker thread."""
    from concurrent.futures import ThreadPoolExecutor

    it, end = iter(items), object()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="readout-diff-blocks") as pool:
        coming = pool.submit(next, it, end)
        while (item := coming.result()) is not end:
            coming = pool.submit(next, it, end)
            yield item


def _take(cand: dict, which: np.ndarray) -> dict:
    """The candidates ``which`` (a mask or indices) of a dict of parallel arrays."""
    return {key: v[which] for key, v in cand.items()}


def _kth_rows(x: np.ndarray, k: int) -> np.ndarray:
    """Per row of a 2-D block, its k-th largest value (the smallest when it has fewer)."""
    kk = min(k, x.shape[1])
    return x.max(axis=1) if kk == 1 else np.partition(x, -kk, axis=1)[:, -kk]


def _top_in_groups(group: np.ndarray, value: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest values of each group (``group`` ascending; ties: first)."""
    if not len(group):
        return np.zeros(0, np.int64)
    starts = np.flatnonzero(np.concatenate([[True], group[1:] != group[:-1]]))
    sizes = np.diff(np.append(starts, len(group)))
    v = value.astype(np.float64, copy=True)
    chosen = []
    for _ in range(k):
        best = np.repeat(np.maximum.reduceat(v, starts), sizes)
        hit = np.flatnonzero((v == best) & (v > -np.inf))
        if not len(hit):
            break
        first = hit[np.concatenate([[True], group[hit[1:]] != group[hit[:-1]]])]
        chosen.append(first)
        v[first] = -np.inf
    return np.concatenate(chosen) if chosen else np.zeros(0, np.int64)


class _ColumnBest:
    """The ``k`` largest lower bounds seen so far in each of ``m`` rows or columns."""

    def __init__(self, m: int, k: int) -> None:
        self.best = np.full((m, k), -np.inf)
        self.k = k

    def update(self, j: np.ndarray, value: np.ndarray) -> None:
        if len(j):
            order = np.lexsort((-value, j))
            g, v = j[order], value[order]
            rank = np.arange(len(g)) - np.searchsorted(g, g, side="left")
            top = rank < self.k
            fresh = np.full(self.best.shape, -np.inf)
            fresh[g[top], rank[top]] = v[top]
            self._merge(fresh)

    def update_block(self, block: np.ndarray) -> None:
        """Add every value of a block (rows × these columns)."""
        if self.k == 1:
            np.maximum(self.best[:, 0], block.max(axis=0), out=self.best[:, 0])
            return
        kk = min(self.k, block.shape[0])
        top = np.partition(block, -kk, axis=0)[-kk:] if block.shape[0] > kk else block
        fresh = np.full(self.best.shape, -np.inf)
        fresh[:, :kk] = top.T
        self._merge(fresh)

    def _merge(self, fresh: np.ndarray) -> None:
        both = np.concatenate([self.best, fresh], axis=1)
        both.sort(axis=1)
        self.best = both[:, -self.k:]

    def kth(self) -> np.ndarray:
        return self.best[:, 0]  # the k-th largest (ascending order)


class _FuzzBound:
    """Exact upper bounds of the fuzzy term (rapidfuzz's ``token_set_ratio / 100``) per pair.

    ``token_set_ratio`` splits both strings at white space into word sets and, with ``S`` the
    length of their common words joined by spaces, ``La`` and ``Lb`` the lengths of each whole
    set joined (so ``S + 1 + |a-only words joined|`` is ``La`` when both sides have words of
    their own), returns the largest of three ratios:

    - the Indel similarity of the two sides' own words, normalised by ``La + Lb``: at most
      ``2·M / (La + Lb)``, ``M`` the characters both joined sets have in common (counted per
      character; an Indel alignment keeps at most that many, and the common words take the
      same characters out of both sides), itself at most ``min(La, Lb)``;
    - common words against common plus each side's own: ``2S / (S + La)`` and
      ``2S / (S + Lb)``, so at most ``2S / (S + min(La, Lb))`` (also 100 when one set holds the
      other: then ``S = min(La, Lb)``);
    - 0 when a side has no word.

    ``S + 1`` is a sparse product (each common word counts its length plus one), made per
    block like the cosines; ``M`` sums per-character minimums, computed only for the few pairs
    left at the end. The bound returned is a hair above (1e-9) for rapidfuzz's rounding.
    """

    _CHAR_BUCKETS = 40  # the most frequent characters a column each, the rare ones, the space

    def __init__(self, fa: SentenceFeatures, fb: SentenceFeatures) -> None:
        from scipy import sparse

        split = [text.split() for text in fa.strings + fb.strings]  # rapidfuzz's word split
        vocab: dict[str, int] = {}
        ids = np.array([vocab.setdefault(w, len(vocab)) for ws in split for w in ws], np.int64)
        n = fa.n + fb.n
        width = max(len(vocab), 1)
        rows = np.repeat(np.arange(n), [len(ws) for ws in split])
        cells = unique_sorted(rows * width + ids)  # each sentence's word set, by row
        self.rows, self.cols = cells // width, cells % width
        self.words = list(vocab)  # in id order
        size = np.fromiter(map(len, self.words), np.float64, len(self.words))[self.cols] + 1.0
        indptr = np.searchsorted(self.rows, np.arange(n + 1))
        # The length of a sentence's word set joined by spaces (0 without words).
        joined = np.maximum(np.bincount(self.rows, weights=size, minlength=n) - 1.0, 0.0)
        self.la, self.lb = joined[:fa.n], joined[fa.n:]
        split_at = int(indptr[fa.n])
        self.words_a = sparse.csr_matrix((size[:split_at], self.cols[:split_at], indptr[:fa.n + 1]),
                                         shape=(fa.n, width))
        self.words_bt = sparse.csr_matrix(
            (np.ones(len(cells) - split_at), self.cols[split_at:], indptr[fa.n:] - split_at),
            shape=(fb.n, width)).T.tocsr()
        self.n_a = fa.n
        # Each sentence's words sorted, once each: what rapidfuzz's token_set_ratio works on,
        # so it gives the same values on these, faster (sorted already, and shorter).
        sets = [" ".join(sorted(set(ws))) for ws in split]
        self.sets_a, self.sets_b = tuple(sets[:fa.n]), tuple(sets[fa.n:])
        self.hist: tuple[np.ndarray, np.ndarray] | None = None

    def shared_block(self, lo: int, hi: int) -> np.ndarray:
        """``S + 1`` (0 when nothing is shared) for rows [lo, hi) of a against all of b."""
        return (self.words_a[lo:hi] @ self.words_bt).toarray()

    def bound(self, i: np.ndarray, j: np.ndarray, shared: np.ndarray, *,
              chars: bool = False) -> np.ndarray:
        la, lb = self.la[i], self.lb[j]
        short = np.minimum(la, lb)
        common = self._common(i, j) if chars else short
        s = np.maximum(shared - 1.0, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.maximum(2.0 * common / (la + lb), 2.0 * s / (s + short))
        out[short == 0] = 0.0  # a side without words: token_set_ratio is 0
        return np.minimum(out, 1.0) + 1e-9

    def _common(self, i: np.ndarray, j: np.ndarray) -> np.ndarray:
        """``M``: per pair, the characters both joined word sets have in common."""
        if self.hist is None:
            self.hist = self._histograms()
        ha, hb = self.hist
        out = np.empty(len(i))
        step = 1 << 16
        for lo in range(0, len(i), step):
            out[lo:lo + step] = np.minimum(ha[i[lo:lo + step]], hb[j[lo:lo + step]]).sum(axis=1)
        return out

    def _histograms(self) -> tuple[np.ndarray, np.ndarray]:
        """Per sentence, its joined word set's characters counted per bucket: each word's
        counts summed over the set, plus the spaces between its words."""
        from scipy import sparse

        nb = self._CHAR_BUCKETS
        codes = np.frombuffer("".join(self.words).encode("utf-32-le"), dtype=np.uint32)
        freq = np.bincount(codes) if len(codes) else np.zeros(1, np.int64)
        rank = np.empty(len(freq), np.int64)
        rank[np.argsort(-freq, kind="stable")] = np.arange(len(freq))
        # Rare characters share a bucket (that only adds to the minimums: still a bound); the
        # last bucket is the space, which no word holds.
        bucket = np.minimum(rank, nb - 2)[codes]
        owner = np.repeat(np.arange(len(self.words)), [len(w) for w in self.words])
        per_word = np.bincount(owner * nb + bucket, minlength=max(len(self.words), 1) * nb)
        per_word = per_word.reshape(-1, nb).astype(np.float64)
        n = len(self.la) + len(self.lb)
        member = sparse.csr_matrix((np.ones(len(self.rows)), (self.rows, self.cols)),
                                   shape=(n, per_word.shape[0]))
        hist = np.asarray(member @ per_word)
        hist[:, nb - 1] = np.maximum(np.bincount(self.rows, minlength=n) - 1, 0)
        hist = hist.astype(np.int32)
        return hist[:self.n_a], hist[self.n_a:]


def _concat(parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]]):
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    return tuple(np.concatenate([p[k] for p in parts]) for k in range(3))


def _exact_ids(fa: SentenceFeatures, fb: SentenceFeatures) -> tuple[np.ndarray, np.ndarray]:
    """An id per normalised sentence, equal on both sides for equal sentences."""
    ids: dict[str, int] = {}
    a = np.array([ids.setdefault(e, len(ids)) for e in fa.exact], dtype=np.int64)
    b = np.array([ids.setdefault(e, len(ids)) for e in fb.exact], dtype=np.int64)
    return a, b


def _same_pairs(ids_a: np.ndarray, ids_b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every (i, j) whose sentences are identical."""
    order_b = np.argsort(ids_b, kind="stable")
    sorted_b = ids_b[order_b]
    lo = np.searchsorted(sorted_b, ids_a, side="left")
    hi = np.searchsorted(sorted_b, ids_a, side="right")
    count = hi - lo
    i = np.repeat(np.arange(len(ids_a)), count)
    offsets = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    return i, order_b[np.repeat(lo, count) + offsets]


_THREADED_PAIRS = 4_000  # from here on rapidfuzz runs in threads (and beside the main one)


def _fuzz_pairs(strings_a: tuple[str, ...], strings_b: tuple[str, ...], i: np.ndarray,
                j: np.ndarray) -> np.ndarray:
    """``token_set_ratio / 100`` of the content words of each pair (i, j), 0 where a sentence
    has none, in one rapidfuzz call (threads for large batches)."""
    from rapidfuzz import fuzz, process

    out = np.zeros(len(i))
    if not len(i):
        return out
    xa = np.asarray(strings_a, dtype=object)[i]  # no copy when given object arrays
    xb = np.asarray(strings_b, dtype=object)[j]
    both = ((np.fromiter(map(len, xa), np.int64, len(xa)) > 0)
            & (np.fromiter(map(len, xb), np.int64, len(xb)) > 0))
    if both.any():
        ratio = process.cpdist(xa[both].tolist(), xb[both].tolist(), scorer=fuzz.token_set_ratio,
                               dtype=np.float64, workers=-1 if both.sum() >= _THREADED_PAIRS else 1)
        out[both] = ratio / 100.0
    return out


def _combine(cos: float, fz: float, sem: float, pos: float) -> float:
    return float(min(1.0, max(0.0, W_COS * cos + W_FUZZ * fz + W_SEM * sem + W_POS * pos)))


def _tfidf(fa: SentenceFeatures, fb: SentenceFeatures,
           arrays: tuple | None = None) -> "tuple[sparse.csr_matrix, sparse.csr_matrix]":
    """The TF-IDF rows of both sides (:func:`_tfidf_arrays`, or ``arrays`` already made) as
    scipy CSR matrices."""
    from scipy import sparse

    data, cols, indptr, width = arrays if arrays is not None else _tfidf_arrays(fa, fb)
    if width == 0:
        return (sparse.csr_matrix((fa.n, 1)), sparse.csr_matrix((fb.n, 1)))
    index = _index_dtype(len(cols))
    cols = cols.astype(index)
    split = int(indptr[fa.n])  # the two sides' rows, as two matrices over the same columns
    xa = sparse.csr_matrix((data[:split], cols[:split], indptr[:fa.n + 1].astype(index)),
                           shape=(fa.n, width))
    xb = sparse.csr_matrix((data[split:], cols[split:], (indptr[fa.n:] - split).astype(index)),
                           shape=(fb.n, width))
    return xa, xb


def _tfidf_arrays(fa: SentenceFeatures, fb: SentenceFeatures):
    """TF-IDF over the pair's own sentences, on the columns they use (compact, symmetric in a/b):
    CSR arrays (data, columns, row pointers) of a's rows then b's, and the number of columns.

    The arithmetic of scikit-learn's ``TfidfTransformer(sublinear_tf=True)`` (smooth idf, rows
    l2-normalised), written out on the matrix's arrays: fitting an estimator per pair, and
    converting a 2²²-column matrix to find the used columns, cost more than the alignment itself.
    Every operation is the one scikit-learn does, in the same order, so the values are equal to
    the last bit (``tests/test_align.py`` checks against scikit-learn when it is installed).
    """
    ca, cb = fa.content, fb.content  # canonical CSR: sorted column indices per row
    indptr = np.concatenate([ca.indptr[:-1], cb.indptr + ca.indptr[-1]]).astype(np.int64)
    used, cols = unique_inverse(np.concatenate([ca.indices, cb.indices]))
    n = fa.n + fb.n
    data = np.log(np.concatenate([ca.data, cb.data]).astype(np.float64))  # 1 + log(count)
    data += 1.0
    df = np.bincount(cols, minlength=len(used)).astype(np.float64)
    df += 1.0  # smooth idf: as if one more document held every word
    idf = np.float64(n + 1) / df  # (what filling with n + 1, then dividing in place, gives)
    np.log(idf, out=idf)
    idf += 1.0
    data *= idf[cols]
    norms = np.sqrt(_row_sums_of_squares(data, indptr))
    per = np.repeat(norms, indptr[1:] - indptr[:-1])  # (np.diff: the same, with a wrapper)
    nz = per != 0.0  # empty rows are left alone, as scikit-learn does
    data[nz] /= per[nz]
    return data, cols.astype(np.int64), indptr, len(used)


def _index_dtype(nnz: int) -> type:
    """int32 indices while they fit (columns < 2**22 here), as scipy would pick after a scan."""
    return np.int32 if nnz < 2**31 - 1 else np.int64


def _row_sums_of_squares(data: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Per CSR row, the sum of squares added left to right (as scikit-learn's l2 normaliser does:
    NumPy's own reductions sum pairwise, which can differ in the last bit)."""
    lengths = indptr[1:] - indptr[:-1]
    sums = np.zeros(len(lengths))
    if not len(lengths):
        return sums
    sq = data * data
    width = int(lengths.max())
    if len(lengths) * width <= _BLOCK_CELLS:
        # One padded rows × longest-row array, summed along rows by ``cumsum`` (strictly left to
        # right; the padding adds exact zeros after each row's own squares, which are >= 0):
        # a NumPy call per column position below cost more than the sums on readouts' rows.
        padded = np.zeros((len(lengths), width))
        rows = np.repeat(np.arange(len(lengths)), lengths)
        padded[rows, np.arange(len(sq)) - np.repeat(indptr[:-1], lengths)] = sq
        return np.cumsum(padded, axis=1)[:, -1] if width else sums
    order = np.argsort(-lengths, kind="stable")
    neg_len = -lengths[order]
    starts = indptr[:-1][order]
    acc = np.zeros(len(order))
    for k in range(int(-neg_len[0])):
        m = int(np.searchsorted(neg_len, -k, side="left"))  # rows longer than k
        acc[:m] += sq[starts[:m] + k]
    sums[order] = acc
    return sums


def _anchor_matrices(fa: SentenceFeatures, fb: SentenceFeatures):
    """Anchor indicator matrices of both sides and the anchors' weights; dense arrays when they
    are small (a pair of readouts), sparse otherwise. Either way the Jaccard sums are exact:
    every term is 0, 0.5 or 1."""
    vocab = sorted(set().union(*fa.anchors, *fb.anchors)) if (fa.n or fb.n) else []
    col = {k: i for i, k in enumerate(vocab)}
    weight = np.array([_anchor_weight(k) for k in vocab])
    width = max(len(vocab), 1)
    dense = max(fa.n, fb.n) * width <= _BLOCK_CELLS

    def build(anchors: tuple[frozenset[str], ...]):
        rows = [i for i, s in enumerate(anchors) for _ in s]
        cols = [col[k] for s in anchors for k in sorted(s)]
        if dense:
            m = np.zeros((len(anchors), width))
            m[rows, cols] = 1.0
            return m
        from scipy import sparse

        return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(anchors), width))

    return build(fa.anchors), build(fb.anchors), (weight if len(vocab) else np.ones(1))


def _block_rows(m: int) -> int:
    """Rows of side a per block: at most _BLOCK_ROWS, and about _BLOCK_CELLS scores a block."""
    return max(1, min(_BLOCK_ROWS, _BLOCK_CELLS // max(m, 1)))


def _blocks(fa: SentenceFeatures, fb: SentenceFeatures, *, words: bool = True,
            shared_at: bool = False):
    """Yield (row indices, cosine, Jaccard and position blocks) for blocks of rows of side a.

    With ``words=False`` (readouts in two languages) the cosine block is ``None``. With
    ``shared_at``, a fifth item: the flat indices in the block of the pairs sharing an anchor
    (where the Jaccard may be above 0), or None when the block was computed densely. A block
    holds about _BLOCK_CELLS pairs whatever the sizes, so memory stays bounded.
    """
    if fa.n == 0 or fb.n == 0:
        return
    cosine = _Cosine(fa, fb) if words else None
    aa, ab, w = _anchor_matrices(fa, fb)
    if isinstance(aa, np.ndarray):
        aw = aa * w
        tot_a, tot_b = aw.sum(axis=1), (ab * w).sum(axis=1)
        abt = ab.T
    else:
        aw = aa.multiply(w).tocsr()
        tot_a = np.asarray(aw.sum(axis=1)).ravel()
        tot_b = np.asarray(ab.multiply(w).sum(axis=1)).ravel()
        abt = ab.T.tocsr()
    step = _block_rows(fb.n)
    rel_b = np.arange(fb.n) / max(fb.n - 1, 1)
    for lo in range(0, fa.n, step):
        hi = min(fa.n, lo + step)
        cos = cosine.block(lo, hi) if cosine is not None else None
        inter = aw[lo:hi] @ abt
        at = (None if isinstance(inter, np.ndarray)
              else inter.indices + np.repeat(np.arange(hi - lo) * fb.n, np.diff(inter.indptr)))
        sem = _jaccard(inter, tot_a[lo:hi], tot_b)
        if W_POS:
            rel_a = np.arange(lo, hi) / max(fa.n - 1, 1)
            pos = 1.0 - np.abs(rel_a[:, None] - rel_b[None, :])
        else:  # weight 0: W_POS * pos is 0.0 whatever pos is; a view of zeros, not a block
            pos = np.broadcast_to(np.float64(0.0), (hi - lo, fb.n))
        block = np.arange(lo, hi), (_unit_clip(cos) if words else None), sem, pos
        yield (*block, at) if shared_at else block


def _unit_clip(x: np.ndarray) -> np.ndarray:
    """``np.clip(x, 0.0, 1.0)`` of cosines, in place, without ``np.clip``'s Python wrapper: the
    same floats (the two differ on signed zeros only, and a cosine here is a sum of products of
    positive weights, never -0.0)."""
    np.maximum(x, 0.0, out=x)
    return np.minimum(x, 1.0, out=x)


def _jaccard(inter, tot_a: np.ndarray, tot_b: np.ndarray) -> np.ndarray:
    """The weighted Jaccard block from the weights shared and each side's total. A sparse block
    is divided where it has values only: elsewhere the result is 0 either way, and where it has
    them the arithmetic is the same."""
    if not isinstance(inter, np.ndarray):
        coo = inter.tocoo()
        union = tot_a[coo.row] + tot_b[coo.col] - coo.data
        out = np.zeros(coo.shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[coo.row, coo.col] = np.where(union > 0, coo.data / union, 0.0)
        return out
    union = tot_a[:, None] + tot_b[None, :] - inter
    # Divided where the union is positive, 0 elsewhere (np.where's result, with no division to
    # silence and no errstate to enter).
    return np.divide(inter, union, out=np.zeros(union.shape), where=union > 0)


class _Cosine:
    """Cosines of TF-IDF rows, block by block: what ``csr @ csr.T`` gives, to the last bit.

    scipy's sparse product adds, for each pair of rows, the products of their shared columns
    left to right from 0. Columns that only one side uses add exact zeros, and every value is
    positive, so the same sums come from the dense products over the columns both sides use,
    accumulated along that axis (``cumsum``, strictly in order). That needs no scipy, for
    blocks up to _BLOCK_CELLS products; longer readouts use scipy's product.
    """

    def __init__(self, fa: SentenceFeatures, fb: SentenceFeatures) -> None:
        self.fa, self.fb = fa, fb
        arrays = data, cols, indptr, width = _tfidf_arrays(fa, fb)
        split = int(indptr[fa.n])
        # ``cols`` index the pair's used columns (0 .. width-1): which each side uses, by flags.
        in_a, in_b = np.zeros(width, bool), np.zeros(width, bool)
        in_a[cols[:split]] = True
        in_b[cols[split:]] = True
        in_a &= in_b
        shared = in_a.nonzero()[0]  # ascending, as scipy adds them
        self.dense = _block_rows(fb.n) * fb.n * max(len(shared), 1) <= _BLOCK_CELLS
        if self.dense:
            rows = np.repeat(np.arange(fa.n + fb.n), indptr[1:] - indptr[:-1])
            where = np.full(width, -1, np.int64)  # column -> its place among the shared
            where[shared] = np.arange(len(shared))
            pos = where[cols]
            keep = pos >= 0
            x = np.zeros((fa.n + fb.n, len(shared)))
            x[rows[keep], pos[keep]] = data[keep]
            self.xa, self.xb = x[:fa.n], x[fa.n:]
        else:
            xa, xb = _tfidf(fa, fb, arrays)
            self.xa, self.xbt = xa, xb.T.tocsr()  # what scipy makes of a CSC operand anyway

    def block(self, lo: int, hi: int) -> np.ndarray:
        if self.dense:
            if not self.xa.shape[1]:
                return np.zeros((hi - lo, self.fb.n))
            products = self.xa[lo:hi, None, :] * self.xb[None, :, :]
            return products.cumsum(axis=2)[:, :, -1]
        rows = self.xa if (lo, hi) == (0, self.fa.n) else self.xa[lo:hi]
        return (rows @ self.xbt).toarray()


def _cross_blocks(fa: SentenceFeatures, fb: SentenceFeatures):
    """Yield (row indices, score block) for two readouts in different languages."""
    codes: dict[str, int] = {}
    # A sentence with no speaker never shares one: -1 on side a, -2 on side b.
    sa = np.array([codes.setdefault(x, len(codes)) if x else -1
                   for x in (fa.speakers or (None,) * fa.n)], dtype=np.int64)
    sb = np.array([codes.setdefault(x, len(codes)) if x else -2
                   for x in (fb.speakers or (None,) * fb.n)], dtype=np.int64)
    for rows, _, sem, _pos in _blocks(fa, fb, words=False):
        spk = (sa[rows][:, None] == sb[None, :]).astype(float)
        yield rows, np.clip(W_CROSS_SEM * sem + W_CROSS_SPEAKER * spk, 0.0, 1.0)


def dense_scores(fa: SentenceFeatures, fb: SentenceFeatures) -> np.ndarray:
    """The full n×m score matrix, computed plainly (rapidfuzz ``cdist``): the reference for tests."""
    from rapidfuzz import fuzz, process

    out = np.zeros((fa.n, fb.n))
    if fa.n == 0 or fb.n == 0:
        return out
    if fa.lang != fb.lang:
        for i in range(fa.n):
            for j in range(fb.n):
                sem = _anchor_jaccard(fa.anchors[i], fb.anchors[j])
                same = bool(fa.speakers[i]) and fa.speakers[i] == fb.speakers[j]
                out[i, j] = min(1.0, W_CROSS_SEM * sem + W_CROSS_SPEAKER * same)
        return out
    fz = process.cdist(list(fa.strings), list(fb.strings), scorer=fuzz.token_set_ratio,
                       dtype=np.float64) / 100.0
    for i in range(fa.n):
        for j in range(fb.n):
            if not fa.strings[i] or not fb.strings[j]:
                fz[i, j] = 0.0
    for rows, cos, sem, pos in _blocks(fa, fb):
        for bi, i in enumerate(rows):
            for j in range(fb.n):
                out[i, j] = (1.0 if fa.exact[i] == fb.exact[j]
                             else _combine(cos[bi, j], fz[i, j], sem[bi, j], pos[bi, j]))
    return out


def links_from_dense(scores: np.ndarray, fa: SentenceFeatures, fb: SentenceFeatures, *,
                     threshold: float = DEFAULT_THRESHOLD, top_k: int = DEFAULT_TOP_K) -> Alignment:
    """Select links from a dense score matrix with the same rule as :func:`align_features`."""
    i, j = np.nonzero(scores >= threshold)
    return _select(i, j, scores[i, j], fa, fb, top_k)


def _selected(i: np.ndarray, j: np.ndarray, s: np.ndarray, top_k: int) -> np.ndarray:
    """Indices of the scored pairs that are links, in (a, b) order: among the ``top_k`` best of
    their row or of their column (ties: the lower index first), or scoring 1.0."""
    keep = (s >= 1.0) | _top_k(i, j, -s, top_k) | _top_k(j, i, -s, top_k)
    order = np.lexsort((s, j, i))
    return order[keep[order]]


def _anchor_weight(anchor: str) -> float:
    """Frames weigh half: they say how a readout speaks, topics what it speaks of."""
    return _FRAME_WEIGHT if anchor.startswith("f:") else 1.0


def _anchor_jaccard(x: frozenset[str], y: frozenset[str]) -> float:
    """The weighted Jaccard of two sentences' anchors (what the blocks compute in arrays)."""
    union = sum(_anchor_weight(k) for k in x | y)
    return sum(_anchor_weight(k) for k in x & y) / union if union else 0.0


def _select(i: np.ndarray, j: np.ndarray, s: np.ndarray, fa: SentenceFeatures,
            fb: SentenceFeatures, top_k: int) -> Alignment:
    """The :class:`Alignment` of the scored pairs :func:`_selected` keeps."""
    i, j, s = np.asarray(i, np.int64), np.asarray(j, np.int64), np.asarray(s, np.float64)
    order = _selected(i, j, s, top_k)
    return alignment_of(i[order], j[order], s[order], fa, fb)


def alignment_of(i: np.ndarray, j: np.ndarray, s: np.ndarray, fa: SentenceFeatures,
                 fb: SentenceFeatures) -> Alignment:
    """The :class:`Alignment` of chosen links (i, j, score), in the order given: each link with
    its relation, and the sentences of each side in no link."""
    links = tuple(Link(a, b, round(x, 6), _relation(a, b, x, fa, fb))
                  for a, b, x in zip(i.tolist(), j.tolist(), s.tolist()))
    linked_a, linked_b = set(i.tolist()), set(j.tolist())
    return Alignment(links, tuple(x for x in range(fa.n) if x not in linked_a),
                     tuple(x for x in range(fb.n) if x not in linked_b))


def _top_k(group: np.ndarray, other: np.ndarray, key: np.ndarray, k: int) -> np.ndarray:
    """Whether each item is among the first ``k`` of its group ordered by (key, other)."""
    order = np.lexsort((other, key, group))
    g = group[order]
    rank = np.arange(len(g)) - g.searchsorted(g, side="left")
    out = np.zeros(len(g), dtype=bool)
    out[order] = rank < k
    return out


def _relation(i: int, j: int, score: float, fa: SentenceFeatures, fb: SentenceFeatures) -> str:
    ta, tb = fa.topics[i], fb.topics[j]
    if (ta & fb.negated[j]) or (tb & fa.negated[i]):
        return "contradictory"
    fra, frb = fa.frames[i], fb.frames[j]
    if (ta & tb) and (("deliverables" in fra and "grievance" in frb and "deliverables" not in frb)
                      or ("deliverables" in frb and "grievance" in fra and "deliverables" not in fra)):
        return "contradictory"
    if score >= 0.999 or fa.exact[i] == fb.exact[j]:
        return "equivalent"
    la, lb = ta | fra, tb | frb
    if la > lb:
        return "a_more_specific"
    if lb > la:
        return "b_more_specific"
    if la == lb:
        if score >= 0.85:
            return "equivalent"
        diff = fa.specifics[i] - fb.specifics[j]
        if diff >= 2:
            return "a_more_specific"
        if diff <= -2:
            return "b_more_specific"
    return "related"


def pair_components(fa: SentenceFeatures, fb: SentenceFeatures, i: np.ndarray,
                    j: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The four terms of the score (cosine, fuzzy, anchors, position) of the pairs (i[k], j[k])
    only, for the learned linker: arrays over the pairs, no block of the whole readouts.

    The cosine sums the products of each pair's shared TF-IDF columns (found by sorted look-up,
    in NumPy), so it equals the blocked cosine up to rounding in the last bits.
    """
    i = np.asarray(i, np.int64)
    j = np.asarray(j, np.int64)
    k = len(i)
    if not k:
        empty = np.zeros(0)
        return empty, empty, empty, empty
    # Cosine: every TF-IDF entry of b's sentence j looked up among a's sentence i's entries.
    data, cols, indptr, width = _tfidf_arrays(fa, fb)
    split = int(indptr[fa.n])
    a_keys = np.repeat(np.arange(fa.n, dtype=np.int64), np.diff(indptr[:fa.n + 1])) * (width + 1) \
        + cols[:split]  # ascending: rows in order, columns sorted within a row
    b_start, b_len = indptr[fa.n + j], np.diff(indptr)[fa.n + j]
    owner = np.repeat(np.arange(k), b_len)
    entry = np.repeat(b_start - np.cumsum(b_len) + b_len, b_len) + np.arange(int(b_len.sum()))
    want = i[owner] * (width + 1) + cols[entry]
    at = np.searchsorted(a_keys, want)
    hit = at < len(a_keys)
    hit[hit] = a_keys[at[hit]] == want[hit]
    cos = np.bincount(owner[hit], weights=data[at[hit]] * data[entry[hit]], minlength=k)
    cos = np.clip(cos, 0.0, 1.0)
    fz = _fuzz_pairs(fa.strings, fb.strings, i, j)
    sem = np.array([_anchor_jaccard(fa.anchors[x], fb.anchors[y])
                    for x, y in zip(i.tolist(), j.tolist())], dtype=np.float64)
    pos = 1.0 - np.abs(i / max(fa.n - 1, 1) - j / max(fb.n - 1, 1))
    return cos, fz, sem, pos
