"""Gaps and scores between two analysed readouts.

Formulas (README.md, "Scores", says the same):

- ``topic_jaccard`` = |T_a ∩ T_b| / |T_a ∪ T_b| over the topics each readout *has* (1 when both
  have none); ``frame_jaccard`` likewise over frames.
- ``emphasis_divergence``: the Jensen–Shannon divergence (base 2, so in [0, 1]) between the two
  readouts' distributions of topic mentions (0 when both have none, 1 when only one has any).
- ``alignment_coverage``: the share of all sentences, of both readouts, that are in some link.
- ``breadth_balance`` = min(|T_a|, |T_b|) / max(|T_a|, |T_b|) (1 when both are 0).
- ``specificity_balance`` = min / max of the two readouts' specifics per sentence (1 when both 0).
- ``gap_score`` = 0.40·(1 − topic_jaccard) + 0.20·(1 − frame_jaccard)
  + 0.20·emphasis_divergence + 0.20·(1 − alignment_coverage).

Two readouts that say the same things score 0; the score grows toward 1 as they diverge.
"""

from __future__ import annotations

import math

from .model import Alignment, Analysis, Gaps, Scores

__all__ = ["GAP_WEIGHTS", "gaps", "jensen_shannon", "scores"]

GAP_WEIGHTS = {"topics": 0.40, "frames": 0.20, "emphasis": 0.20, "alignment": 0.20}


def gaps(a: Analysis, b: Analysis) -> Gaps:
    """Topics and frames shared and one-sided; negated and disputed topics."""
    ta, tb = set(a.topics), set(b.topics)
    fa, fb = set(a.frames), set(b.frames)
    na, nb = set(a.negated_topics), set(b.negated_topics)
    return Gaps(
        shared=tuple(sorted(ta & tb)), only_a=tuple(sorted(ta - tb)), only_b=tuple(sorted(tb - ta)),
        frames_shared=tuple(sorted(fa & fb)), frames_only_a=tuple(sorted(fa - fb)),
        frames_only_b=tuple(sorted(fb - fa)), negated_a=tuple(sorted(na)),
        negated_b=tuple(sorted(nb)), disputed=tuple(sorted((ta & nb) | (tb & na))),
    )


def _jaccard(x: set[str], y: set[str]) -> float:
    return 1.0 if not (x or y) else len(x & y) / len(x | y)


def _balance(x: float, y: float) -> float:
    hi = max(x, y)
    return 1.0 if hi == 0 else min(x, y) / hi


def jensen_shannon(p: dict[str, float], q: dict[str, float]) -> float:
    """Jensen–Shannon divergence (base 2) of two distributions given as unnormalised weights.

    >>> jensen_shannon({"trade": 1}, {"trade": 3}), jensen_shannon({"a": 1}, {"b": 1})
    (0.0, 1.0)
    """
    sp, sq = sum(p.values()), sum(q.values())
    if sp == 0 and sq == 0:
        return 0.0
    if sp == 0 or sq == 0:
        return 1.0
    js = 0.0
    for k in sorted(set(p) | set(q)):
        pk, qk = p.get(k, 0.0) / sp, q.get(k, 0.0) / sq
        mk = (pk + qk) / 2
        if pk:
            js += 0.5 * pk * math.log2(pk / mk)
        if qk:
            js += 0.5 * qk * math.log2(qk / mk)
    return min(1.0, max(0.0, js))


def scores(a: Analysis, b: Analysis, alignment: Alignment) -> Scores:
    """All scores of a comparison (see the module docstring for the formulas)."""
    tj = _jaccard(set(a.topics), set(b.topics))
    fj = _jaccard(set(a.frames), set(b.frames))
    emph = jensen_shannon({k: v.mentions for k, v in a.topics.items()},
                          {k: v.mentions for k, v in b.topics.items()})
    total = a.n_sentences + b.n_sentences
    linked = total - len(alignment.unaligned_a) - len(alignment.unaligned_b)
    coverage = 1.0 if total == 0 else linked / total
    gap = (GAP_WEIGHTS["topics"] * (1 - tj) + GAP_WEIGHTS["frames"] * (1 - fj)
           + GAP_WEIGHTS["emphasis"] * emph + GAP_WEIGHTS["alignment"] * (1 - coverage))
    # Rounded once here, so a result read back from JSON equals the one computed.
    return Scores(
        topic_jaccard=round(tj, 6), frame_jaccard=round(fj, 6),
        emphasis_divergence=round(emph, 6), alignment_coverage=round(coverage, 6),
        breadth_balance=round(_balance(a.breadth, b.breadth), 6),
        specificity_balance=round(_balance(a.specificity, b.specificity), 6),
        gap_score=round(min(1.0, max(0.0, gap)), 6),
    )
