"""Membership and look-up of hashes in sorted key arrays: ``np.isin`` without its overhead.

``np.isin`` sorts or hashes its arguments on every call (≈100 µs even for a few hundred
tokens); the extractors test token hashes against small tables built once per pipeline, so
they keep the tables sorted and use one ``searchsorted``. And :func:`unique_sorted`, because
NumPy 2's plain ``np.unique`` first asks ``np.ma`` whether the array is masked, which imports
``numpy.ma`` (~75 ms at start-up) in a process that has no other use for it.

The per-readout code (here and in the extractors, signals, aligner and linker) calls NumPy's
array methods (``a.searchsorted(v)``, ``mask.nonzero()[0]``, ``a.cumsum()``) rather than the
functions (``np.searchsorted``, ``np.flatnonzero``, ``np.cumsum``): the same results on 1-d
arrays, without the functions' Python wrappers, which on a readout's few hundred tokens cost
about as much as the work (a compare() makes about a hundred such calls).
"""

from __future__ import annotations

import numpy as np

__all__ = ["in_sorted", "lookup_sorted", "unique_counts", "unique_inverse", "unique_sorted"]


def in_sorted(values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """``np.isin(values, keys)`` for ``keys`` sorted ascending (same dtype as ``values``).

    >>> in_sorted(np.array([3, 1, 7], np.uint64), np.array([1, 3, 5], np.uint64)).tolist()
    [True, True, False]
    """
    if not len(keys):
        return np.zeros(values.shape, dtype=bool)
    pos = keys.searchsorted(values)
    np.minimum(pos, len(keys) - 1, out=pos)
    return keys[pos] == values


def lookup_sorted(values: np.ndarray, keys: np.ndarray, table: np.ndarray,
                  default: int = 0) -> np.ndarray:
    """``table[i]`` where ``values`` equals ``keys[i]`` (``keys`` sorted), else ``default``.

    >>> lookup_sorted(np.array([5, 2], np.uint64), np.array([2, 5], np.uint64),
    ...               np.array([10, 20])).tolist()
    [20, 10]
    """
    if not len(keys):
        return np.full(values.shape, default, dtype=table.dtype)
    pos = keys.searchsorted(values)
    np.minimum(pos, len(keys) - 1, out=pos)
    return np.where(keys[pos] == values, table[pos], default)


def unique_sorted(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` (sorted distinct values) for a 1-d array.

    >>> unique_sorted(np.array([3, 1, 3, 2], np.uint64)).tolist()
    [1, 2, 3]
    """
    s = np.sort(values, kind="stable")
    if len(s) < 2:
        return s
    return s[_run_starts(s)]


def _run_starts(s: np.ndarray) -> np.ndarray:
    """Where each run of equal values of the sorted, non-empty ``s`` starts (a boolean mask)."""
    starts = np.empty(len(s), dtype=bool)
    starts[0] = True
    np.not_equal(s[1:], s[:-1], out=starts[1:])
    return starts


def unique_inverse(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)`` for a 1-d array: the sorted distinct values and
    where each value is among them.

    >>> [x.tolist() for x in unique_inverse(np.array([30, 10, 30], np.uint64))]
    [[10, 30], [1, 0, 1]]
    """
    distinct = unique_sorted(values)
    return distinct, distinct.searchsorted(values)


def unique_counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_counts=True)`` for a 1-d array: the sorted distinct values and
    how often each occurs.

    >>> [x.tolist() for x in unique_counts(np.array([3, 1, 3], np.int64))]
    [[1, 3], [1, 2]]
    """
    s = np.sort(values, kind="stable")
    if not len(s):
        return s, np.zeros(0, np.intp)
    first = _run_starts(s).nonzero()[0]
    counts = np.empty(len(first), dtype=np.intp)
    counts[:-1] = first[1:] - first[:-1]
    counts[-1] = len(s) - first[-1]
    return s[first], counts
