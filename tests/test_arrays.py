"""The array helpers equal the NumPy functions they stand in for, and the parse's attribute
columns equal ``Doc.to_array`` (the speed-ups of issue #7 must not change a value)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from readout_diff.arrays import (in_sorted, lookup_sorted, unique_counts, unique_inverse,
                                 unique_sorted)

_ints = st.lists(st.integers(0, 40), max_size=60)


def _same(x: np.ndarray, y: np.ndarray) -> bool:
    return x.dtype == y.dtype and x.shape == y.shape and np.array_equal(x, y)


@settings(max_examples=200, deadline=None)
@given(_ints, st.sampled_from([np.int64, np.uint64]))
def test_unique_helpers_equal_np_unique(values, dtype):
    x = np.array(values, dtype=dtype)
    assert _same(unique_sorted(x), np.unique(x))
    for mine, numpy_s in ((unique_inverse(x), np.unique(x, return_inverse=True)),
                          (unique_counts(x), np.unique(x, return_counts=True))):
        assert all(_same(a, b) for a, b in zip(mine, numpy_s))


@settings(max_examples=200, deadline=None)
@given(_ints, _ints)
def test_sorted_lookups_equal_isin(values, keys):
    x = np.array(values, dtype=np.uint64)
    k = np.array(sorted(set(keys)), dtype=np.uint64)
    assert in_sorted(x, k).tolist() == np.isin(x, k).tolist()
    table = np.arange(len(k)) + 100
    want = [int(table[k.tolist().index(v)]) if v in k else -1 for v in x.tolist()]
    assert lookup_sorted(x, k, table, default=-1).tolist() == want


def test_parse_columns_equal_to_array_and_are_read_only():
    import pytest

    from readout_diff.nlp import _COLUMNS, parse

    p = parse("The two leaders discussed trade, Taiwan and 25 other questions.\n\nXi said so.")
    for name in _COLUMNS + ("ORTH",):  # ORTH is not prefetched: fetched on its own
        col = p.column(name)
        assert col.dtype == np.uint64
        assert col.tolist() == p.doc.to_array([name]).reshape(-1).tolist()
        with pytest.raises(ValueError):
            col[0] = 1  # shared by every reader of the parse
    assert parse("").column("NORM").tolist() == []


_CHARS = "ab1_ \n\t\u00a0\u3000.,=!?-—()#/:'’😀中é"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(list(_CHARS)),
                          st.integers(95, 110).map(lambda n: "x" * n)), max_size=30).map("".join))
def test_cutting_precheck_equals_the_regex(text):
    """The chunk-by-chunk precheck answers as the one regular expression it replaced."""
    from readout_diff.bounded_tokenizer import _MAY_NEED_CUTTING, _may_need_cutting

    assert _may_need_cutting(text) == (_MAY_NEED_CUTTING.search(text) is not None)
