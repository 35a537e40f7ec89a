"""Weighted log-odds with a Dirichlet prior (readout_diff.logodds), checked against hand computation."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readout_diff.errors import ParameterError
from readout_diff.logodds import dirichlet_prior, log_odds


def test_uninformative_prior_hand_computed():
    # n_a = n_b = 4, alpha0 defaults to n_a + n_b = 8, spread evenly: alpha_x = alpha_y = 4.
    # x: (3+4)/(4+8-3-4) = 7/5 in a, (1+4)/(4+8-1-4) = 5/7 in b  ->  delta = ln(7/5) - ln(5/7)
    # variance = 1/7 + 1/5 + 1/5 + 1/7 = 0.685714...
    r = log_odds({"x": 3, "y": 1}, {"x": 1, "y": 3})
    assert r["x"].delta == pytest.approx(0.6729444732, abs=1e-9)
    assert r["x"].variance == pytest.approx(0.6857142857, abs=1e-9)
    assert r["x"].z == pytest.approx(0.8126576576, abs=1e-9)
    assert r["y"].delta == pytest.approx(-0.6729444732, abs=1e-9)
    assert (r["x"].count_a, r["x"].count_b) == (3, 1)


def test_informative_prior_hand_computed():
    # Background weights x: 7.5 + 0.5, y: 1.5 + 0.5 -> shares 0.8, 0.2; alpha0 = 10 -> 8 and 2.
    # x: a (2+8)/(4+10-2-8) = 10/4, b (4+8)/(4+10-4-8) = 12/2 -> delta = ln 2.5 - ln 6
    # variance = 1/10 + 1/4 + 1/12 + 1/2
    r = log_odds({"x": 2, "y": 2}, {"x": 4}, {"x": 7.5, "y": 1.5}, alpha0=10)
    assert r["x"].delta == pytest.approx(math.log(2.5) - math.log(6), abs=1e-12)
    assert r["x"].delta == pytest.approx(-0.8754687374, abs=1e-9)
    assert r["x"].z == pytest.approx(-0.9061962359, abs=1e-9)
    assert r["y"].delta == pytest.approx(0.8754687374, abs=1e-9)


def test_result_unpacks_as_delta_and_z():
    delta, z = log_odds({"a": 5}, {"b": 5})["a"]
    assert delta > 0 and z > 0


def test_a_difference_weighs_less_for_a_term_the_background_expects_often():
    filler = {f"w{i}": 5 for i in range(20)}
    a, b = {**filler, "x": 6}, {**filler, "x": 2}
    background = {f"w{i}": 100 for i in range(20)}
    common = log_odds(a, b, {**background, "x": 100})  # x as frequent as any word
    rare = log_odds(a, b, {**background, "x": 1})
    assert 0 < common["x"].z < rare["x"].z


def test_a_single_term_vocabulary_carries_no_information():
    r = log_odds({}, {"a": 1})
    assert r["a"].delta == 0 and r["a"].z == 0


def test_prior_only_terms_get_no_result_but_take_prior_mass():
    r = log_odds({"x": 2}, {"x": 1}, {"x": 1, "unused": 100}, alpha0=3)
    assert set(r) == {"x"}


def test_identical_counts_have_zero_log_odds():
    r = log_odds({"a": 3, "b": 1}, {"a": 3, "b": 1})
    assert all(x.delta == 0 and x.z == 0 for x in r.values())


def test_empty_input_gives_empty_result():
    assert log_odds({}, {}) == {}
    assert log_odds({"a": 0}, {}) == {}


def test_dirichlet_prior_spreads_alpha0():
    assert dirichlet_prior({"a", "b"}, None, 2.0) == {"a": 1.0, "b": 1.0}
    alpha = dirichlet_prior({"a", "b", "c"}, {"a": 9}, 12.0)
    assert sum(alpha.values()) == pytest.approx(12.0)
    assert alpha["b"] == alpha["c"] < alpha["a"]


@pytest.mark.parametrize("bad", [{"a": -1}, {"a": float("nan")}, {"a": True}, ["a"]])
def test_invalid_counts_are_rejected(bad):
    with pytest.raises(ParameterError, match="counts_a"):
        log_odds(bad, {"a": 1})


@pytest.mark.parametrize("alpha0", [0, -1.0, True, "1"])
def test_invalid_alpha0_is_rejected(alpha0):
    with pytest.raises(ParameterError, match="alpha0"):
        log_odds({"a": 1}, {"a": 2}, alpha0=alpha0)


counts = st.dictionaries(st.sampled_from("abcdef"), st.integers(0, 20), max_size=6)


@given(counts, counts)
def test_swapping_the_texts_negates_delta_and_z(a, b):
    forward, backward = log_odds(a, b), log_odds(b, a)
    assert set(forward) == set(backward)
    for w, r in forward.items():
        assert backward[w].delta == pytest.approx(-r.delta, abs=1e-9)
        assert backward[w].z == pytest.approx(-r.z, abs=1e-9)
        assert r.variance > 0
