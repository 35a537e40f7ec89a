"""The scoring code of the accuracy benchmark, on hand-made cases with known numbers."""

import json

import pytest

from readout_diff.evaluation import PRF, Tally, evaluate_corpus, prf


def test_prf_known_values():
    p = prf({"trade", "taiwan", "tiktok"}, {"trade", "tiktok", "fentanyl", "ukraine"})
    assert (p.tp, p.fp, p.fn) == (2, 1, 2)
    assert p.precision == pytest.approx(2 / 3)
    assert p.recall == pytest.approx(0.5)
    assert p.f1 == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))


def test_prf_empty_cases():
    assert prf(set(), set()).f1 == 1.0
    assert prf({"x"}, set()).f1 == 0.0
    assert prf(set(), {"x"}).f1 == 0.0


def test_tally_micro_and_macro():
    t = Tally()
    t.add({"a", "b"}, {"a"})  # a: tp, b: fp
    t.add({"a"}, {"a", "c"})  # a: tp, c: fn
    assert (t.micro().tp, t.micro().fp, t.micro().fn) == (2, 1, 1)
    assert t.of("a").f1 == 1.0 and t.of("b").f1 == 0.0 and t.of("c").f1 == 0.0
    assert t.macro_f1() == pytest.approx(1 / 3)


def test_evaluate_corpus_on_a_tiny_gold_pair(tmp_path):
    pair = tmp_path / "2025-01-01_test"
    pair.mkdir()
    (pair / "cn.txt").write_text("The two sides discussed trade. Ukraine did not come up.")
    (pair / "us.txt").write_text("The leaders discussed trade and fentanyl.")
    gold = {"a": "cn", "b": "us", "sides": {
        "cn": {"n_sentences": 2, "topics": ["trade"], "negated_topics": ["ukraine"], "frames": []},
        "us": {"n_sentences": 1, "topics": ["fentanyl", "trade"], "negated_topics": [], "frames": []}},
        "alignment": [[0, 0]]}
    (pair / "gold.json").write_text(json.dumps(gold))
    r = evaluate_corpus(tmp_path)["all"]
    assert r["pairs"] == 1
    assert r["topics"]["micro"]["f1"] == 1.0
    assert r["negation"]["f1"] == 1.0
    assert r["alignment"]["f1"] == 1.0
    assert r["gaps_exact"] == 1.0
