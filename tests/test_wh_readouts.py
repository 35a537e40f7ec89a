"""Real White House readouts from ../shared: every one analyses without error (skips if absent)."""

import random

import pytest

from readout_diff import analyze, compare, load_readout


@pytest.mark.shared
def test_a_sample_of_real_readouts_analyses_cleanly(wh_readouts):
    files = sorted(wh_readouts.rglob("*.md"))
    assert len(files) > 1000
    rng = random.Random(7)
    sample = rng.sample(files, 60)
    for f in sample:
        a = analyze(load_readout(f))
        assert a.n_sentences > 0, f
        for s in a.sentences:
            assert 0 <= s.start < s.end


@pytest.mark.shared
def test_real_readouts_compare(wh_readouts):
    files = sorted(wh_readouts.rglob("*.md"))[:20]
    for x, y in zip(files[::2], files[1::2]):
        c = compare(load_readout(x), load_readout(y))
        assert 0.0 <= c.scores.gap_score <= 1.0
