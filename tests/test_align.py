"""Alignment: many-to-many links, unaligned sentences, fast path equal to the dense reference."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import readout_diff.align as align_mod
from readout_diff import analyze
from readout_diff.align import align, dense_scores, features_for, links_from_dense

from .strategies import readout_text, sentence


def test_one_sentence_answers_several():
    a = analyze("The two sides discussed trade, fentanyl and Ukraine.")
    b = analyze("They discussed trade. They discussed fentanyl. They discussed Ukraine. "
                "The weather was fine.")
    al = align(a, b)
    assert {(l.a, l.b) for l in al.links} == {(0, 0), (0, 1), (0, 2)}
    assert al.unaligned_b == (3,)
    assert all(l.relation == "a_more_specific" for l in al.links)


def test_contradiction_when_one_side_denies():
    a = analyze("The leaders discussed Taiwan at length.")
    b = analyze("Taiwan did not come up.")
    assert [l.relation for l in align(a, b).links] == ["contradictory"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(readout_text, readout_text, st.sampled_from([1, 2, 3]))
def test_blocked_fast_path_equals_dense_reference(x, y, block_rows):
    fa, fb = features_for(analyze(x)), features_for(analyze(y))
    dense = links_from_dense(dense_scores(fa, fb), fa, fb)
    assert align_mod.align_features(fa, fb) == dense  # short readouts: every pair at once
    old = align_mod._BLOCK_ROWS, align_mod._DENSE_UPTO
    # Force the pruned path, in several blocks, on small inputs.
    align_mod._BLOCK_ROWS, align_mod._DENSE_UPTO = block_rows, 0
    try:
        fast = align_mod.align_features(fa, fb)
    finally:
        align_mod._BLOCK_ROWS, align_mod._DENSE_UPTO = old
    assert fast == dense


def test_medium_case_fast_equals_dense():
    base = ["The leaders discussed trade and tariffs.", "Xi stressed mutual respect.",
            "They agreed to meet at APEC.", "Fentanyl cooperation was reviewed.",
            "The sides exchanged views on Taiwan.", "Nothing was said about Iran."]
    x = " ".join(base[i % 6] for i in range(60))
    y = " ".join(base[(i * 5) % 6] for i in range(45))
    fa, fb = features_for(analyze(x)), features_for(analyze(y))
    reference = links_from_dense(dense_scores(fa, fb), fa, fb)
    assert align_mod.align_features(fa, fb) == reference
    old = align_mod._DENSE_UPTO
    align_mod._DENSE_UPTO = 0  # the pruned path on the same case
    try:
        assert align_mod.align_features(fa, fb) == reference
    finally:
        align_mod._DENSE_UPTO = old


def test_tfidf_equals_scikit_learn_to_the_last_bit():
    """The hand-written TF-IDF repeats TfidfTransformer(sublinear_tf=True) exactly."""
    import numpy as np
    import pytest
    from scipy import sparse

    text = pytest.importorskip("sklearn.feature_extraction.text")
    rng = np.random.default_rng(7)

    def content(n, width):
        rows = [i for i in range(n) for _ in range(int(rng.integers(0, 30)))]
        cols = rng.integers(0, width, len(rows))
        m = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, align_mod._HASH_DIM))
        m.sum_duplicates()
        return m

    for trial in range(40):
        width = 40 if trial % 2 else align_mod._HASH_DIM  # repeated words, or nearly none
        ca, cb = content(int(rng.integers(1, 25)), width), content(int(rng.integers(1, 25)), width)
        fa = align_mod.SentenceFeatures(ca, ("",) * ca.shape[0], (), (), (), (), (), ())
        fb = align_mod.SentenceFeatures(cb, ("",) * cb.shape[0], (), (), (), (), (), ())
        xa, xb = align_mod._tfidf(fa, fb)
        both = sparse.vstack([ca, cb]).tocsc()
        compact = both[:, np.flatnonzero(np.diff(both.indptr))].tocsr()
        ref = text.TfidfTransformer(sublinear_tf=True).fit_transform(compact).tocsr()
        got = sparse.vstack([xa, xb]).tocsr()
        assert got.shape == ref.shape
        assert (got.indptr == ref.indptr).all() and (got.indices == ref.indices).all()
        assert (got.data == ref.data).all()


def test_dense_cosine_blocks_equal_scipys_product_to_the_last_bit(monkeypatch):
    """Small pairs take the cosines from dense products summed in column order; long ones
    from scipy's sparse product: the two give the same floats."""
    import numpy as np

    texts = ["The leaders discussed trade, tariffs and export controls on chips.",
             "Xi stressed mutual respect and peaceful coexistence in trade.",
             "They agreed to keep talking about fentanyl and trade.",
             "Biden raised human rights, Taiwan and the South China Sea."]
    x = " ".join(texts[i % 4] for i in range(12))
    y = " ".join(texts[(i * 3) % 4] for i in range(9))
    fa, fb = features_for(analyze(x)), features_for(analyze(y))
    dense = align_mod._Cosine(fa, fb)
    assert dense.dense
    monkeypatch.setattr(align_mod, "_BLOCK_CELLS", 1)
    scipy_path = align_mod._Cosine(fa, fb)
    assert not scipy_path.dense
    for lo, hi in ((0, fa.n), (0, 5), (5, fa.n)):
        assert np.array_equal(dense.block(lo, hi), scipy_path.block(lo, hi))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(readout_text, readout_text, st.sampled_from([1, 2, 3]), st.sampled_from([1, 2, 3]))
def test_top_k_pruning_changes_no_link(x, y, block_rows, top_k):
    """Long readouts bound the fuzzy term per pair and score witnesses first, to drop pairs
    that cannot be links before rapidfuzz; forced here on small ones (several blocks): the
    links equal the dense reference's."""
    fa, fb = features_for(analyze(x)), features_for(analyze(y))
    old = align_mod._BLOCK_ROWS, align_mod._BOUND_FROM, align_mod._DENSE_UPTO
    align_mod._BLOCK_ROWS, align_mod._BOUND_FROM, align_mod._DENSE_UPTO = block_rows, 0, 0
    try:
        fast = align_mod.align_features(fa, fb, top_k=top_k)
    finally:
        align_mod._BLOCK_ROWS, align_mod._BOUND_FROM, align_mod._DENSE_UPTO = old
    assert fast == links_from_dense(dense_scores(fa, fb), fa, fb, top_k=top_k)


def test_top_k_pruning_on_a_medium_case(monkeypatch):
    base = ["The leaders discussed trade and tariffs.", "Xi stressed mutual respect.",
            "They agreed to meet at APEC.", "Fentanyl cooperation was reviewed.",
            "The sides exchanged views on Taiwan and trade.", "Nothing was said about Iran.",
            "Both sides discussed trade, tariffs and fentanyl at length."]
    x = " ".join(base[i % 7] for i in range(70))
    y = " ".join(base[(i * 5) % 7] for i in range(50))
    fa, fb = features_for(analyze(x)), features_for(analyze(y))
    dense = links_from_dense(dense_scores(fa, fb), fa, fb, top_k=1)
    monkeypatch.setattr(align_mod, "_BOUND_FROM", 0)
    monkeypatch.setattr(align_mod, "_DENSE_UPTO", 0)
    monkeypatch.setattr(align_mod, "_BLOCK_ROWS", 8)
    assert align_mod.align_features(fa, fb, top_k=1) == dense


_BOUND_WORDS = ["trade", "trades", "tariff", "tariffs", "talks", "Taiwan", "fentanyl", "chips",
                "a", "ab", "ba", "xi", "习近平", "中美", "é", "e\u0301", "APEC", "rare", "earths",
                "Ukraine", "peace", "peaceful", "war", "ward", "drawer", "reward"]
_word_list = st.lists(st.sampled_from(_BOUND_WORDS), max_size=9).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(_word_list, min_size=1, max_size=6), st.lists(_word_list, min_size=1, max_size=6))
def test_fuzz_bound_is_above_rapidfuzz(xs, ys):
    """The per-pair bound of token_set_ratio (lengths, shared words, character counts) is never
    below rapidfuzz's value: the pruning that relies on it is exact."""
    import numpy as np
    from rapidfuzz import fuzz

    def feats(strings):
        return align_mod.SentenceFeatures(None, tuple(strings), (), (), (), (), (), ())

    bound = align_mod._FuzzBound(feats(xs), feats(ys))
    i, j = (g.ravel() for g in np.meshgrid(np.arange(len(xs)), np.arange(len(ys)), indexing="ij"))
    shared = np.concatenate([bound.shared_block(r, r + 1)[0] for r in range(len(xs))])
    real = np.array([fuzz.token_set_ratio(xs[a], ys[b]) / 100 if xs[a] and ys[b] else 0.0
                     for a, b in zip(i, j)])
    for chars in (False, True):
        assert (bound.bound(i, j, shared, chars=chars) >= real).all()
    # rapidfuzz is given each sentence's words sorted and once: the same values.
    sets = bound.sets_a + bound.sets_b
    assert all(fuzz.token_set_ratio(x, y) == fuzz.token_set_ratio(sx, sy)
               for x, sx in zip(xs + ys, sets) for y, sy in zip(xs + ys, sets))


def test_sparse_jaccard_blocks_equal_the_dense_ones(monkeypatch):
    """Long readouts' anchor products are sparse and divided where they have values only: the
    same floats as the dense blocks of short ones."""
    import numpy as np

    texts = ["The leaders discussed trade and tariffs in 2025.", "Xi stressed mutual respect.",
             "Biden raised Taiwan, fentanyl and 25 students.", "They agreed to meet at APEC.",
             "Both sides described the talks as candid and constructive."]
    x = " ".join(texts[i % 5] for i in range(23))
    y = " ".join(texts[(i * 3) % 5] for i in range(17))
    fa, fb = features_for(analyze(x)), features_for(analyze(y))
    dense = np.vstack([sem for _, _, sem, _ in align_mod._blocks(fa, fb)])
    monkeypatch.setattr(align_mod, "_BLOCK_CELLS", 1)  # sparse anchors, one row per block
    blocks = list(align_mod._blocks(fa, fb, shared_at=True))
    assert all(at is not None for *_, at in blocks)
    assert np.array_equal(np.vstack([b[2] for b in blocks]), dense)
    assert dense.any()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(sentence, min_size=10, max_size=45).map(" ".join),
       st.lists(sentence, min_size=10, max_size=45).map(" ".join),
       st.sampled_from([1, 2, 3, 7]), st.sampled_from([1, 2, 3]),
       st.sampled_from([0.0, 0.15, 0.3]))
def test_bounded_path_equals_dense_on_medium_cases(x, y, block_rows, top_k, w_pos):
    """The long-readout path (fuzzy bounds, witnesses, character counts), forced on medium
    readouts with several blocks, top_k 1 to 3 and position weights 0 to 0.3: the same links
    as the plain all-pairs reference."""
    fa, fb = features_for(analyze(x)), features_for(analyze(y))
    old = align_mod._BLOCK_ROWS, align_mod._BOUND_FROM, align_mod.W_POS, align_mod._DENSE_UPTO
    align_mod._BLOCK_ROWS, align_mod._BOUND_FROM, align_mod.W_POS, align_mod._DENSE_UPTO = (
        block_rows, 0, w_pos, 0)
    try:
        fast = align_mod.align_features(fa, fb, top_k=top_k)
        dense = links_from_dense(dense_scores(fa, fb), fa, fb, top_k=top_k)
    finally:
        align_mod._BLOCK_ROWS, align_mod._BOUND_FROM, align_mod.W_POS, align_mod._DENSE_UPTO = old
    assert fast == dense
