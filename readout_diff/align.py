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
The weights were chosen on the annotated corpus (``benchmarks/accuracy.py``).

**Across languages** (a Chinese readout against an English one) words cannot be compared, so
sentences pair by what the analysis found in them, not by string similarity::

    score = 0.75 · weighted Jaccard(topics, frames, numbers) + 0.25 · [same speaker]

so a shared speaker alone never reaches the default threshold, but lifts a partial topic match
("Xi stressed trade" against "Xi raised tariffs and fentanyl"). Same-language pairs are scored
as above, unchanged.

**Scale.** Rows of side a are scored in blocks against all of side b, with sparse matrix products
for the cosine and the Jaccard terms. The fuzzy term is at most 0.20, so a pair whose other terms
cannot reach ``threshold - 0.20`` is pruned *exactly* before rapidfuzz runs; memory stays at one
block, and the links are the same as :func:`dense_scores`, the plain all-pairs reference kept
for tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from .arrays import in_sorted
from .errors import ParameterError
from .model import Alignment, Analysis, Link

__all__ = ["SentenceFeatures", "align", "align_features", "dense_scores", "features_for"]

W_COS, W_FUZZ, W_SEM, W_POS = 0.40, 0.20, 0.40, 0.0
W_CROSS_SEM, W_CROSS_SPEAKER = 0.75, 0.25  # readouts in two languages
DEFAULT_THRESHOLD = 0.30
DEFAULT_TOP_K = 3
_BLOCK_ROWS = 512
_HASH_DIM = 1 << 22
_FRAME_WEIGHT = 0.5
_OVERLAP = False


@dataclass(frozen=True)
class SentenceFeatures:
    """What the aligner needs of each sentence of one readout."""

    content: sparse.csr_matrix  # sentences × hashed content words (counts)
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
    from spacy.attrs import IS_PUNCT, IS_SPACE, IS_STOP, NORM

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
        arr = doc.to_array([NORM, IS_STOP, IS_PUNCT, IS_SPACE])
        norm = arr[:, 0].astype(np.uint64)
        mask = (arr[:, 1] == 0) & (arr[:, 2] == 0) & (arr[:, 3] == 0) & (parsed.token_sent >= 0)
    else:
        norm = np.zeros(0, np.uint64)
        mask = np.zeros(0, bool)
    rows = parsed.token_sent[mask]  # ascending: tokens and sentences are in text order
    hashes = norm[mask]
    cols = (hashes % np.uint64(_HASH_DIM)).astype(np.int64)
    content = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, _HASH_DIM))
    content.sum_duplicates()
    # Content words per sentence: each distinct word looked up once, joined per sentence.
    distinct, inverse = np.unique(hashes, return_inverse=True)
    strings_store = doc.vocab.strings
    words = np.array([strings_store[h] for h in distinct.tolist()] or [""], dtype=object)[inverse]
    bounds = np.searchsorted(rows, np.arange(n + 1)).tolist()
    strings = tuple(" ".join(words[bounds[i]:bounds[i + 1]]) for i in range(n))
    exact = tuple(" ".join(s.text.lower().split()) for s in analysis.sentences)
    descriptors, talk_nouns = _talk_words(analysis.lang, doc.vocab)
    described = ((np.bincount(rows[in_sorted(hashes, descriptors)], minlength=n) > 0)
                 & (np.bincount(rows[in_sorted(hashes, talk_nouns)], minlength=n) > 0)).tolist()
    anchors, topics, negated, frames = [], [], [], []
    for s, talks in zip(analysis.sentences, described):
        t, ng, f = frozenset(s.topics), frozenset(s.negated_topics), frozenset(s.frames)
        extra = {f"n:{x}" for x in _NUM.findall(s.text)}
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
    """Align two readouts from their features (blocked and pruned; see the module docstring)."""
    _check(threshold, top_k, "align")
    if fa.lang != fb.lang:
        scored = [(int(i), int(j), float(score[bi, j])) for rows, score in _cross_blocks(fa, fb)
                  for bi, i in enumerate(rows) for j in np.flatnonzero(score[bi] >= threshold)]
        return _select(scored, fa, fb, top_k)
    from rapidfuzz import fuzz

    scored: list[tuple[int, int, float]] = []
    for rows, cos, sem, pos in _blocks(fa, fb):
        ub = W_COS * cos + W_SEM * sem + W_POS * pos + W_FUZZ
        for bi, j in zip(*np.nonzero(ub >= threshold - 1e-12)):
            i = rows[bi]
            fz = _fuzz(fuzz, fa.strings[i], fb.strings[j])
            score = _combine(cos[bi, j], fz, sem[bi, j], pos[bi, j])
            if fa.exact[i] == fb.exact[j]:
                score = 1.0
            if score >= threshold:
                scored.append((int(i), int(j), score))
    # Identical sentences with no content words still pair up.
    index_b: dict[str, list[int]] = {}
    for j, e in enumerate(fb.exact):
        index_b.setdefault(e, []).append(j)
    seen = {(i, j) for i, j, _ in scored}
    for i, e in enumerate(fa.exact):
        for j in index_b.get(e, ()):
            if (i, j) not in seen:
                scored.append((i, j, 1.0))
    return _select(scored, fa, fb, top_k)


def _fuzz(fuzz: object, x: str, y: str) -> float:
    if not x or not y:
        return 0.0
    return fuzz.token_set_ratio(x, y) / 100.0  # type: ignore[attr-defined]


def _combine(cos: float, fz: float, sem: float, pos: float) -> float:
    return float(min(1.0, max(0.0, W_COS * cos + W_FUZZ * fz + W_SEM * sem + W_POS * pos)))


def _tfidf(fa: SentenceFeatures, fb: SentenceFeatures) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """TF-IDF over the pair's own sentences, on the columns they use (compact, symmetric in a/b).

    The arithmetic of scikit-learn's ``TfidfTransformer(sublinear_tf=True)`` (smooth idf, rows
    l2-normalised), written out on the matrix's arrays: fitting an estimator per pair, and
    converting a 2²²-column matrix to find the used columns, cost more than the alignment itself.
    Every operation is the one scikit-learn does, in the same order, so the values are equal to
    the last bit (``tests/test_align.py`` checks against scikit-learn when it is installed).
    """
    both = sparse.vstack([fa.content, fb.content], format="csr")
    both.sum_duplicates()  # canonical: sorted column indices per row (a no-op when already so)
    used, cols = np.unique(both.indices, return_inverse=True)
    if len(used) == 0:
        return (sparse.csr_matrix((fa.n, 1)), sparse.csr_matrix((fb.n, 1)))
    n = both.shape[0]
    data = np.log(both.data.astype(np.float64))  # sublinear tf: 1 + log(count)
    data += 1.0
    df = np.bincount(cols, minlength=len(used)).astype(np.float64)
    df += 1.0  # smooth idf: as if one more document held every word
    idf = np.full_like(df, n + 1)
    idf /= df
    np.log(idf, out=idf)
    idf += 1.0
    data *= idf[cols]
    indptr = both.indptr.astype(np.int64)
    norms = np.sqrt(_row_sums_of_squares(data, indptr))
    lengths = np.diff(indptr)
    per = np.repeat(norms, lengths)
    nz = per != 0.0  # empty rows are left alone, as scikit-learn does
    data[nz] /= per[nz]
    x = sparse.csr_matrix((data, cols.astype(np.int64), indptr), shape=(n, len(used)))
    return x[: fa.n], x[fa.n:]


def _row_sums_of_squares(data: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Per CSR row, the sum of squares added left to right (as scikit-learn's l2 normaliser does:
    NumPy's own reductions sum pairwise, which can differ in the last bit)."""
    lengths = np.diff(indptr)
    sums = np.zeros(len(lengths))
    if not len(lengths):
        return sums
    sq = data * data
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
    vocab = sorted(set().union(*fa.anchors, *fb.anchors)) if (fa.n or fb.n) else []
    col = {k: i for i, k in enumerate(vocab)}
    weight = np.array([_FRAME_WEIGHT if k.startswith("f:") else 1.0 for k in vocab])

    def build(anchors: tuple[frozenset[str], ...]) -> sparse.csr_matrix:
        rows = [i for i, s in enumerate(anchors) for _ in s]
        cols = [col[k] for s in anchors for k in sorted(s)]
        return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)),
                                 shape=(len(anchors), max(len(vocab), 1)))

    return build(fa.anchors), build(fb.anchors), (weight if len(vocab) else np.ones(1))


def _blocks(fa: SentenceFeatures, fb: SentenceFeatures, *, words: bool = True):
    """Yield (row indices, cosine, Jaccard and position blocks) for blocks of rows of side a.

    With ``words=False`` (readouts in two languages) the cosine block is ``None``.
    """
    if fa.n == 0 or fb.n == 0:
        return
    xa, xb = _tfidf(fa, fb) if words else (None, None)
    aa, ab, w = _anchor_matrices(fa, fb)
    aw = aa.multiply(w).tocsr()
    tot_a = np.asarray(aw.sum(axis=1)).ravel()
    tot_b = np.asarray(ab.multiply(w).sum(axis=1)).ravel()
    xbt, abt = (xb.T.tocsc() if words else None), ab.T.tocsc()
    for lo in range(0, fa.n, _BLOCK_ROWS):
        hi = min(fa.n, lo + _BLOCK_ROWS)
        cos = (xa[lo:hi] @ xbt).toarray() if words else None
        inter = (aw[lo:hi] @ abt).toarray()
        if _OVERLAP:
            # Overlap coefficient: a sentence listing trade, fentanyl and Ukraine answers each
            # of three sentences on the other side in full.
            union = np.minimum(tot_a[lo:hi, None], tot_b[None, :])
        else:
            union = tot_a[lo:hi, None] + tot_b[None, :] - inter
        with np.errstate(divide="ignore", invalid="ignore"):
            sem = np.where(union > 0, inter / union, 0.0)
        rel_a = np.arange(lo, hi) / max(fa.n - 1, 1)
        rel_b = np.arange(fb.n) / max(fb.n - 1, 1)
        pos = 1.0 - np.abs(rel_a[:, None] - rel_b[None, :])
        yield np.arange(lo, hi), (np.clip(cos, 0.0, 1.0) if words else None), sem, pos


def _cross_blocks(fa: SentenceFeatures, fb: SentenceFeatures):
    """Yield (row indices, score block) for two readouts in different languages."""
    speakers_b = np.array([s or "" for s in fb.speakers] or [""] * fb.n, dtype=object)
    for rows, _, sem, _pos in _blocks(fa, fb, words=False):
        spk = np.array([[bool(fa.speakers[i]) and fa.speakers[i] == sb for sb in speakers_b]
                        for i in rows], dtype=float).reshape(len(rows), fb.n)
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
                wa = {k: (_FRAME_WEIGHT if k.startswith("f:") else 1.0) for k in fa.anchors[i]}
                wb = {k: (_FRAME_WEIGHT if k.startswith("f:") else 1.0) for k in fb.anchors[j]}
                union = sum({**wa, **wb}.values())
                sem = sum(wa[k] for k in wa.keys() & wb.keys()) / union if union else 0.0
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
    scored = [(int(i), int(j), float(scores[i, j])) for i, j in zip(*np.nonzero(scores >= threshold))]
    return _select(scored, fa, fb, top_k)


def _select(scored: list[tuple[int, int, float]], fa: SentenceFeatures, fb: SentenceFeatures,
            top_k: int) -> Alignment:
    by_a: dict[int, list[tuple[float, int]]] = {}
    by_b: dict[int, list[tuple[float, int]]] = {}
    for i, j, s in scored:
        by_a.setdefault(i, []).append((-s, j))
        by_b.setdefault(j, []).append((-s, i))
    keep_a = {i: {j for _, j in sorted(v)[:top_k]} for i, v in by_a.items()}
    keep_b = {j: {i for _, i in sorted(v)[:top_k]} for j, v in by_b.items()}
    links = []
    for i, j, s in sorted(scored):
        if j in keep_a[i] or i in keep_b[j] or s >= 1.0:
            links.append(Link(i, j, round(s, 6), _relation(i, j, s, fa, fb)))
    linked_a = {link.a for link in links}
    linked_b = {link.b for link in links}
    return Alignment(tuple(links), tuple(i for i in range(fa.n) if i not in linked_a),
                     tuple(j for j in range(fb.n) if j not in linked_b))


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
