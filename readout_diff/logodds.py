"""Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008).

Two short texts always differ in how often they use each word; the question is which differences
are more than chance. Monroe et al. ("Fightin' Words", *Political Analysis* 16(4), 2008, §3.5)
estimate, for every term ``w``, the difference of its log-odds in the two texts under a Dirichlet
prior ``α``, and divide it by its approximate standard deviation::

    δ_w  = log((y_wa + α_w) / (n_a + α_0 − y_wa − α_w)) − log((y_wb + α_w) / (n_b + α_0 − y_wb − α_w))
    σ²_w ≈ 1/(y_wa + α_w) + 1/(n_a + α_0 − y_wa − α_w) + 1/(y_wb + α_w) + 1/(n_b + α_0 − y_wb − α_w)
    z_w  = δ_w / σ_w

``y_wa`` is the count of ``w`` in text a, ``n_a`` the total count of a, ``α_0 = Σ α_w``. The prior
is *informative* when it comes from a background corpus (earlier readouts): ``α_w = α_0 · p_w``
with ``p_w`` the background's smoothed relative frequency, so a word every readout uses ("China",
"relations") must differ a lot before it counts, and a rare one is shrunk toward its background
rate. Without a background the prior is *uninformative*: the same ``α_w`` for every term.

``α_0`` (how many words the prior is worth) defaults to ``n_a + n_b``: the prior weighs as much as
the two texts together, whatever their length. ``|z| ≥ 1.96`` is the usual reading of "more than
chance" (5 %, two-sided), with the caveat that many terms are tested at once.

>>> r = log_odds({"trade": 8, "taiwan": 1}, {"trade": 2, "taiwan": 7})
>>> r["trade"].delta > 0 > r["taiwan"].delta
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping  # (isinstance on typing.Mapping goes through its alias: slower)
from dataclasses import dataclass
from itertools import repeat

from .errors import ParameterError

__all__ = ["DEFAULT_Z", "LogOdds", "dirichlet_prior", "log_odds", "log_odds_arrays"]

#: |z| from which a difference is read as more than chance (two-sided 5 %).
DEFAULT_Z = 1.96

#: Pseudo-count added to every background count, so a term the background never saw keeps a
#: positive prior (the log-odds are undefined for α_w = 0).
_SMOOTH = 0.5


@dataclass(frozen=True)
class LogOdds:
    """The result for one term: counts, log-odds difference ``delta`` (a − b) and its z-score."""

    count_a: int
    count_b: int
    delta: float
    variance: float

    @property
    def z(self) -> float:
        return self.delta / math.sqrt(self.variance)

    def __iter__(self):  # ``delta, z = result[w]``
        yield self.delta
        yield self.z


def _counts(x: Mapping[str, int], name: str) -> dict[str, int]:
    if not isinstance(x, Mapping):
        raise ParameterError.invalid(name, "log_odds", "a mapping of term to count",
                                     type(x).__name__)
    values = x.values()
    # The common case (word counts: str keys, positive ints) checked in C, without a Python loop.
    if (set(map(type, x)) <= {str} and set(map(type, values)) <= {int}
            and (not values or min(values) > 0)):
        return dict(x)
    out = {}
    for k, v in x.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0 or v != v:
            raise ParameterError.invalid(name, "log_odds", "counts ≥ 0", {k: v})
        if v:
            out[str(k)] = v
    return out


def dirichlet_prior(vocabulary: set[str] | frozenset[str], prior: Mapping[str, float] | None,
                    alpha0: float) -> dict[str, float]:
    """``α_w`` for every term of ``vocabulary``: ``α_0`` spread by the prior's smoothed shares.

    ``prior`` maps terms to background counts (or any non-negative weights); terms it lacks get
    the smoothing pseudo-count only. ``None`` spreads ``α_0`` evenly (uninformative).

    >>> dirichlet_prior({"a", "b"}, None, 2.0)
    {'a': 1.0, 'b': 1.0}
    >>> dirichlet_prior({"a", "b"}, {"a": 1.5}, 5.0)
    {'a': 4.0, 'b': 1.0}
    """
    terms = sorted(vocabulary)
    if not terms:
        return {}
    if prior is None:
        return dict.fromkeys(terms, alpha0 / len(terms))
    weights = {w: float(prior.get(w, 0.0)) + _SMOOTH for w in terms}
    total = sum(weights.values())
    return {w: alpha0 * weights[w] / total for w in terms}


def log_odds(
    counts_a: Mapping[str, int],
    counts_b: Mapping[str, int],
    prior: Mapping[str, float] | None = None,
    *,
    alpha0: float | None = None,
) -> dict[str, LogOdds]:
    """Weighted log-odds ratio of every term of a and b, with its z-score (see the module doc).

    ``prior`` maps terms to background counts (``None``: uninformative). Its vocabulary is the
    union of a's and b's terms; background terms that neither text uses take their share of
    ``α_0`` but get no result. ``alpha0`` defaults to ``n_a + n_b``. Each result unpacks as
    ``delta, z``.

    >>> r = log_odds({"x": 3, "y": 1}, {"x": 1, "y": 3})
    >>> round(r["x"].delta, 4), round(r["x"].z, 4)
    (0.6729, 0.8127)
    """
    terms, ya, yb, delta, variance = log_odds_arrays(counts_a, counts_b, prior, alpha0=alpha0)
    return {w: LogOdds(int(x), int(y), d, v) for w, x, y, d, v in
            zip(terms, ya.tolist(), yb.tolist(), delta.tolist(), variance.tolist())}


def log_odds_arrays(
    counts_a: Mapping[str, int],
    counts_b: Mapping[str, int],
    prior: Mapping[str, float] | None = None,
    *,
    alpha0: float | None = None,
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`log_odds` as arrays over the sorted terms: (terms, count a, count b, delta,
    variance), for callers that keep a few of hundreds of terms (``z = delta / sqrt(variance)``).

    The arithmetic is :func:`log_odds`'s, operation for operation (``math.log`` per term, not
    NumPy's, whose last bit may differ), so the floats are the same.
    """
    import numpy as np

    a = _counts(counts_a, "counts_a")
    b = _counts(counts_b, "counts_b")
    if prior is not None:
        prior = _counts(prior, "prior")
    n_a, n_b = sum(a.values()), sum(b.values())
    if alpha0 is None:
        alpha0 = float(n_a + n_b)
    elif isinstance(alpha0, bool) or not isinstance(alpha0, (int, float)) or not alpha0 > 0:
        raise ParameterError.invalid("alpha0", "log_odds", "a number > 0", alpha0)
    terms = sorted(set(a) | set(b))
    if not terms:
        empty = np.zeros(0)
        return [], empty, empty, empty, empty
    alpha = dirichlet_prior(set(terms) | set(prior or ()), prior, alpha0)
    a0 = sum(alpha.values())
    ya = np.fromiter(map(a.get, terms, repeat(0)), dtype=np.float64, count=len(terms))
    yb = np.fromiter(map(b.get, terms, repeat(0)), dtype=np.float64, count=len(terms))
    aw = np.fromiter(map(alpha.__getitem__, terms), dtype=np.float64, count=len(terms))
    pa, qa = ya + aw, n_a + a0 - ya - aw
    pb, qb = yb + aw, n_b + a0 - yb - aw
    # A term that is the whole vocabulary (prior and counts) has undefined odds and the texts
    # cannot differ on it. No information: delta 0, infinite variance, z 0.
    ok = (qa > 0) & (qb > 0)
    log = math.log
    delta = np.zeros(len(terms))
    # math.log per term, then one array subtraction (IEEE: the same difference as per term).
    delta[ok] = (np.array(list(map(log, (pa[ok] / qa[ok]).tolist())))
                 - np.array(list(map(log, (pb[ok] / qb[ok]).tolist()))))
    variance = np.full(len(terms), math.inf)
    variance[ok] = 1 / pa[ok] + 1 / qa[ok] + 1 / pb[ok] + 1 / qb[ok]
    return terms, ya, yb, delta, variance
