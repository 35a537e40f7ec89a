"""compare(): the example pair's gaps, and properties that must hold for any readouts."""

from hypothesis import HealthCheck, given, settings

from readout_diff import Comparison, compare, load_readout

from .strategies import readout_text

PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_example_pair_gaps(example_pair):
    cn, us = example_pair
    c = compare(load_readout(cn), load_readout(us))
    assert (c.a.label, c.b.label) == ("cn", "us")
    g = c.gaps
    assert {"tiktok", "trade"} <= set(g.shared)
    assert {"fentanyl", "ukraine", "leader_meeting", "state_visit"} <= set(g.only_b)
    assert "investment" in g.only_a
    assert {"shared_history", "equality_respect", "shared_prosperity"} <= set(g.frames_only_a)
    assert 0 < c.scores.gap_score < 1
    kinds = {x.kind for x in c.b.commitments}
    assert {"meeting", "visit", "call"} <= kinds


def test_round_trip_through_dict(example_pair):
    c = compare(load_readout(example_pair[0]), load_readout(example_pair[1]))
    d = c.to_dict()
    assert d["schema"] == "readout-diff/1"
    assert Comparison.from_dict(d) == c
    assert Comparison.from_dict(d).to_dict() == d
    for side in ("a", "b"):
        for s in d[side]["sentences"]:
            assert set(s) >= {"start", "end", "text", "topics", "speaker"}


def test_contract_keys(example_pair):
    d = compare(load_readout(example_pair[0]), load_readout(example_pair[1])).to_dict()
    assert set(d) >= {"schema", "a", "b", "gaps", "alignment", "scores"}
    assert set(d["a"]) >= {"label", "lang", "n_sentences", "sentences", "topics",
                           "negated_topics", "frames"}
    assert set(d["gaps"]) >= {"shared", "only_a", "only_b"}
    assert {"topic_jaccard", "gap_score"} <= set(d["scores"])
    for t in d["a"]["topics"].values():
        assert set(t) >= {"mentions", "share", "sentences"}


def test_labels_default_for_strings():
    c = compare("Trade.", "Tariffs.")
    assert (c.a.label, c.b.label) == ("a", "b")


@PROPS
@given(readout_text)
def test_identical_readouts_have_no_gaps(text):
    c = compare(text, text)
    assert c.gaps.only_a == () and c.gaps.only_b == ()
    assert c.gaps.frames_only_a == () and c.gaps.frames_only_b == ()
    assert c.scores.gap_score == 0.0
    twins = {(link.a, link.b): link.relation for link in c.alignment.links}
    for i in range(c.a.n_sentences):
        assert twins.get((i, i)) == "equivalent"


@PROPS
@given(readout_text, readout_text)
def test_swapping_sides_swaps_gaps_and_mirrors_links(x, y):
    ab, ba = compare(x, y), compare(y, x)
    assert ab.gaps.only_a == ba.gaps.only_b and ab.gaps.only_b == ba.gaps.only_a
    assert ab.gaps.frames_only_a == ba.gaps.frames_only_b
    mirror = {"a_more_specific": "b_more_specific", "b_more_specific": "a_more_specific"}
    links_ab = {(l.a, l.b, l.score, mirror.get(l.relation, l.relation)) for l in ab.alignment.links}
    links_ba = {(l.b, l.a, l.score, l.relation) for l in ba.alignment.links}
    assert links_ab == links_ba
    assert ab.scores.gap_score == ba.scores.gap_score


@PROPS
@given(readout_text, readout_text)
def test_every_score_is_in_unit_interval(x, y):
    c = compare(x, y)
    for v in c.scores.to_dict().values():
        assert 0.0 <= v <= 1.0
    for link in c.alignment.links:
        assert 0.0 <= link.score <= 1.0
