"""Gap lists and scores."""

import pytest

from readout_diff import analyze
from readout_diff.align import align
from readout_diff.score import gaps, jensen_shannon, scores


def test_jensen_shannon_bounds():
    assert jensen_shannon({}, {}) == 0.0
    assert jensen_shannon({"a": 2}, {}) == 1.0
    assert jensen_shannon({"a": 1, "b": 1}, {"a": 1, "b": 1}) == 0.0
    assert jensen_shannon({"a": 1}, {"b": 1}) == 1.0
    assert 0 < jensen_shannon({"a": 3, "b": 1}, {"a": 1, "b": 3}) < 1


def test_gaps_and_disputed():
    a = analyze("The leaders discussed trade and Taiwan.")
    b = analyze("They discussed trade and fentanyl. Taiwan did not come up.")
    g = gaps(a, b)
    assert g.shared == ("trade",) and g.only_a == ("taiwan",) and g.only_b == ("fentanyl",)
    assert g.negated_b == ("taiwan",) and g.disputed == ("taiwan",)


def test_scores_formula():
    a = analyze("The leaders discussed trade.")
    b = analyze("The leaders discussed fentanyl.")
    sc = scores(a, b, align(a, b))
    assert sc.topic_jaccard == 0.0 and sc.emphasis_divergence == 1.0
    expected = 0.4 * 1 + 0.2 * (1 - sc.frame_jaccard) + 0.2 * 1 + 0.2 * (1 - sc.alignment_coverage)
    assert sc.gap_score == pytest.approx(expected)
