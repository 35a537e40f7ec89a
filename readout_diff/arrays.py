"""Membership and look-up of hashes in sorted key arrays: ``np.isin`` without its overhead.

``np.isin`` sorts or hashes its arguments on every call (≈100 µs even for a few hundred
tokens); the extractors test token hashes against small tables built once per pipeline, so
they keep the tables sorted and use one ``searchsorted``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["in_sorted", "lookup_sorted"]


def in_sorted(values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """``np.isin(values, keys)`` for ``keys`` sorted ascending (same dtype as ``values``).

    >>> in_sorted(np.array([3, 1, 7], np.uint64), np.array([1, 3, 5], np.uint64)).tolist()
    [True, True, False]
    """
    if not len(keys):
        return np.zeros(values.shape, dtype=bool)
    pos = np.searchsorted(keys, values)
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
    pos = np.searchsorted(keys, values)
    np.minimum(pos, len(keys) - 1, out=pos)
    return np.where(keys[pos] == values, table[pos], default)
