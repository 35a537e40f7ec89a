"""The learned linker: its features, its file format, its training, and its place in compare()."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from readout_diff import compare
from readout_diff.align import _blocks, align_features, dense_scores, pair_components
from readout_diff.errors import LinkerError, ParameterError
from readout_diff.linker import (FEATURES, MIRROR, Linker, _ranks, default_linker, link_features,
                                 load_linker, pair_features, resolve_linker)
from readout_diff.linker_training import examples_from_corpus, train_linker
from readout_diff.pipeline import _analyze
from readout_diff.readers import Readout

from .conftest import CORPORA, ROOT

CN = ("Xi Jinping spoke with Joe Biden by telephone on Friday. Xi said the two sides should "
      "respect each other's core interests. On Taiwan, Xi said China will never allow separatism. "
      "The two sides discussed climate change and agreed to keep in touch. Xi said trade "
      "frictions should be settled through consultation on an equal footing.")
US = ("President Biden spoke today with President Xi Jinping. They discussed climate change and "
      "agreed that their teams would stay in touch. President Biden raised concerns about unfair "
      "trade practices. On Taiwan, President Biden said U.S. policy has not changed. "
      "The call lasted ninety minutes.")


def _features(text: str, label: str):
    return _analyze(Readout(text, label=label), None, "auto", 10_000, None)[1]


@pytest.fixture(scope="module")
def pair():
    return _features(CN, "cn"), _features(US, "us")


def test_pair_components_are_the_score_terms_of_the_blocked_aligner(pair):
    fa, fb = pair
    i, j = (x.ravel() for x in np.meshgrid(np.arange(fa.n), np.arange(fb.n), indexing="ij"))
    cos, fz, sem, pos = pair_components(fa, fb, i, j)
    block_cos, block_sem, block_pos = (np.zeros((fa.n, fb.n)) for _ in range(3))
    for rows, c, s, p in _blocks(fa, fb):
        block_cos[rows], block_sem[rows], block_pos[rows] = c, s, p
    assert np.allclose(cos, block_cos.ravel(), atol=1e-12)
    assert np.array_equal(sem, block_sem.ravel()) and np.allclose(pos, block_pos.ravel())
    same = np.array([fa.exact[x] == fb.exact[y] for x, y in zip(i, j)])
    combined = np.clip(0.30 * cos + 0.20 * fz + 0.35 * sem + 0.15 * pos, 0, 1)
    assert np.allclose(np.where(same, 1.0, combined), dense_scores(fa, fb).ravel(), atol=1e-12)


@pytest.mark.parametrize("path", ["all pairs", "pruned", "bounded"])
def test_candidate_pairs_are_the_rule_links_with_their_terms(pair, path, monkeypatch):
    import readout_diff.align as align_mod

    if path != "all pairs":  # short readouts score every pair; force the pruned paths
        monkeypatch.setattr(align_mod, "_DENSE_UPTO", 0)
    if path == "bounded":  # the long-readout path (per-pair fuzzy bounds, witnesses)
        monkeypatch.setattr(align_mod, "_BOUND_FROM", 1)
    fa, fb = pair
    i, j, s, *terms = align_mod.candidate_pairs(fa, fb, threshold=0.2, top_k=2)
    links = align_features(fa, fb, threshold=0.2, top_k=2).links
    assert [(x.a, x.b, x.score) for x in links] == list(zip(i.tolist(), j.tolist(),
                                                            np.round(s, 6).tolist()))
    for mine, ref in zip(terms, pair_components(fa, fb, i, j)):
        assert np.allclose(mine, ref, atol=1e-12)


def test_ranks_count_better_candidates_and_ignore_input_order():
    group = np.array([0, 0, 0, 1, 1, 0, 0, 0])
    score = np.array([0.5, 0.7, 0.5, 0.2, 0.2, 0.1, 0.05, 0.01])
    assert _ranks(group, score).tolist() == [1, 0, 1, 0, 0, 3, 3, 3]  # capped at 3
    order = np.array([7, 2, 4, 0, 6, 1, 3, 5])
    assert _ranks(group[order], score[order]).tolist() == _ranks(group, score)[order].tolist()


def test_mirror_swaps_the_sides_of_every_feature():
    assert [MIRROR[m] for m in MIRROR] == list(range(len(FEATURES)))
    names = {FEATURES[k]: FEATURES[m] for k, m in enumerate(MIRROR)}
    assert names["row_rank"] == "column_rank" and names["first_a"] == "first_b"
    assert names["shared_topics"] == "shared_topics"


def test_features_mirror_when_the_readouts_swap(pair):
    fa, fb = pair
    lk = default_linker()
    al = align_features(fa, fb, threshold=lk.candidate_threshold, top_k=lk.candidate_top_k)
    i = np.array([x.a for x in al.links])
    j = np.array([x.b for x in al.links])
    s = np.array([x.score for x in al.links])
    x = pair_features(fa, fb, i, j, s)
    x_swapped = pair_features(fb, fa, j, i, s)
    assert np.allclose(x[:, MIRROR], x_swapped, atol=1e-12)
    assert np.array_equal(lk.probabilities(x), lk.probabilities(x[:, MIRROR]))


def test_a_linker_round_trips_through_its_file(tmp_path):
    lk = default_linker()
    path = tmp_path / "linker.json"
    lk.save(path)
    again = load_linker(path)
    assert again == lk and again.provenance == lk.provenance


@pytest.mark.parametrize("content, message", [
    ("{not json", "unreadable linker"),
    ("[1, 2]", "holds a JSON object"),
    ('{"format": "other"}', "not a readout-diff-linker/1 file"),
])
def test_a_bad_linker_file_is_one_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(LinkerError, match=message) as err:
        load_linker(path)
    assert str(path) in str(err.value)


def test_a_linker_trained_on_other_features_is_refused(tmp_path):
    d = default_linker().to_dict()
    d["features"] = d["features"][:-1] + ["an_old_feature"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(d))
    with pytest.raises(LinkerError, match="retrain it"):
        load_linker(path)
    with pytest.raises(LinkerError, match="no such linker"):
        load_linker(tmp_path / "missing.json")


def test_resolve_linker_names():
    assert resolve_linker(None) is None
    assert resolve_linker("default") is default_linker()
    with pytest.raises(ParameterError):
        resolve_linker(3)


def test_the_shipped_linker_was_not_trained_on_the_held_out_set():
    info = default_linker().provenance
    assert "heldout" in info["exclude"]
    assert info["examples"] and not any("heldout" in name for name in info["examples"])


def test_the_shipped_linker_is_what_training_on_the_corpus_gives():
    """A stale model (features or pipeline changed, model not retrained) fails here; retrain with
    ``readout-diff train-linker corpora/en corpora/zh -o readout_diff/linkers/default.json``."""
    shipped = default_linker()
    examples = examples_from_corpus([CORPORA / "en", CORPORA / "zh"])
    fresh, report = train_linker(examples, candidate_threshold=shipped.candidate_threshold,
                                 candidate_top_k=shipped.candidate_top_k)
    # Tolerances for another scikit-learn or BLAS; a stale model differs by far more.
    assert np.allclose(fresh.weights, shipped.weights, atol=1e-4)
    assert abs(fresh.cutoff - shipped.cutoff) <= 0.025 + 1e-9
    shipped_f1 = shipped.provenance["report"]["cross_validated"]["f1"]
    assert abs(report.cross_validated.f1 - shipped_f1) <= 0.005


def _write_pair(root, name, a, b, alignment):
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "cn.txt").write_text(a)
    (folder / "us.txt").write_text(b)
    (folder / "gold.json").write_text(json.dumps({
        "a": "cn", "b": "us", "alignment": alignment,
        "sides": {"cn": {"topics": []}, "us": {"topics": []}}}))


def test_training_on_a_small_corpus_reports_consistent_counts(tmp_path):
    _write_pair(tmp_path, "p1", CN, US, [[0, 0], [2, 3], [3, 1], [4, 2]])
    _write_pair(tmp_path, "p2",
                "The ministers met in Geneva. They discussed tariffs and fentanyl. They agreed "
                "to meet again next month.",
                "The delegations met in Geneva for two days. Tariffs were the main subject. "
                "Fentanyl was also raised. The teams will meet again in a month.",
                [[0, 0], [1, 1], [1, 2], [2, 3]])
    _write_pair(tmp_path, "p3",
                "Wang Yi met Antony Blinken. Wang said Taiwan is a red line. Both sides agreed "
                "to resume military talks.",
                "Secretary Blinken met Director Wang Yi. They agreed to restore military "
                "channels. Blinken raised human rights.",
                [[0, 0], [2, 1]])
    _write_pair(tmp_path, "p4", "One sentence. Two sentences.", "Only one.", [[0, 0]])
    gold = json.loads((tmp_path / "p4" / "gold.json").read_text())
    gold["sides"]["cn"]["n_sentences"] = 5  # not how the readout splits
    (tmp_path / "p4" / "gold.json").write_text(json.dumps(gold))
    with pytest.warns(UserWarning, match="p4: the readouts split into other sentence counts"):
        examples = examples_from_corpus([tmp_path])
    assert [e.name for e in examples] == ["p1", "p2", "p3"]
    linker, report = train_linker(examples)
    cv = report.cross_validated
    assert report.pairs == 3 and report.gold_links == 10
    assert cv.tp + cv.fn == 10 and report.gold_in_candidates <= report.candidates
    assert list(report.by_kind) == ["one language"] and not linker.two_languages
    assert 0.0 < linker.cutoff < 1.0 and linker.features == FEATURES
    with pytest.raises(LinkerError, match="at least two"):
        train_linker(examples[:1])


def test_long_texts_keep_the_rule(pair):
    fa, fb = pair
    small = replace(default_linker(), max_pairs=fa.n * fb.n - 1)
    assert link_features(fa, fb, linker=small) == align_features(fa, fb)
    at_limit = replace(default_linker(), max_pairs=fa.n * fb.n)
    assert link_features(fa, fb, linker=at_limit) == link_features(fa, fb,
                                                                   linker=default_linker())


def test_compare_uses_the_linker_and_none_keeps_the_rule():
    learned = compare(CN, US)
    rule = compare(CN, US, linker=None)
    fa, fb = _features(CN, "a"), _features(US, "b")
    assert rule.alignment == align_features(fa, fb)
    assert learned.alignment == link_features(fa, fb, linker=default_linker())
    # Identical sentences are linked whatever the model says.
    same = compare("Trade was discussed. The call was long.", "Trade was discussed.")
    assert [(x.a, x.b) for x in same.alignment.links] == [(0, 0)]


def test_readouts_in_two_languages_use_the_linker_only_if_it_learned_from_such_pairs():
    zh = ("习近平同拜登通电话。双方讨论了气候变化。习近平强调，台湾问题是中国核心利益。"
          "双方同意保持联系。")
    en = ("Xi Jinping spoke with Joe Biden. They discussed climate change. On Taiwan, Xi said "
          "it is a core interest. The two leaders agreed to stay in touch.")
    fa, fb = _features(zh, "cn"), _features(en, "us")
    assert (fa.lang, fb.lang) == ("zh", "en") and default_linker().two_languages
    assert compare(zh, en).alignment == link_features(fa, fb, linker=default_linker())
    one_language = replace(default_linker(), two_languages=False)
    assert link_features(fa, fb, linker=one_language) == align_features(fa, fb)
    assert compare(zh, en, linker=one_language).alignment == compare(zh, en, linker=None).alignment


def run(*args):
    return subprocess.run([sys.executable, "-m", "readout_diff", *args], capture_output=True,
                          text=True, cwd=ROOT)


def test_cli_trains_a_linker_and_compares_with_it(tmp_path):
    out = tmp_path / "linker.json"
    r = run("train-linker", str(CORPORA / "en"), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "leave-one-pair-out" in r.stdout and out.exists()
    pair = CORPORA / "en" / "2025-09-19_xi-trump-call"
    with_file = run("compare", str(pair / "cn.txt"), str(pair / "us.txt"), "-f", "json",
                    "--linker", str(out))
    rule = run("compare", str(pair / "cn.txt"), str(pair / "us.txt"), "-f", "json",
               "--rule-aligner")
    assert with_file.returncode == 0 and rule.returncode == 0
    assert json.loads(with_file.stdout)["alignment"] and json.loads(rule.stdout)["alignment"]
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    r = run("compare", str(pair / "cn.txt"), str(pair / "us.txt"), "--linker", str(bad))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert str(bad) in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_a_comparison_says_what_linked_its_sentences(pair):
    from readout_diff.model import Comparison
    from readout_diff.report import render

    learned = compare(CN, US)
    assert learned.aligner["kind"] == "linker"
    assert learned.aligner["trained_on"] == ["corpora/en", "corpora/zh"]
    assert 0 < learned.aligner["cross_validated_f1"] < 1
    rule = compare(CN, US, linker=None, threshold=0.4, top_k=2)
    assert dict(rule.aligner) == {"kind": "rule", "threshold": 0.4, "top_k": 2}
    d = json.loads(learned.to_json())
    assert d["aligner"]["kind"] == "linker"
    assert Comparison.from_dict(d).to_dict() == d  # the key round-trips
    assert "(linked by the learned linker trained on corpora/en" in render(learned, "text")
    assert "Linked by the rule: score ≥ 0.4, top 2 per sentence." in render(rule, "markdown")
    fa, fb = pair
    small = replace(default_linker(), max_pairs=1)
    from readout_diff.linker import describe_aligner

    said = describe_aligner(fa, fb, small, threshold=0.3, top_k=1)
    assert said["kind"] == "rule" and "max_pairs" in said["why"]


def test_a_linker_file_is_read_once_per_version(tmp_path, monkeypatch):
    import readout_diff.linker as linker_mod

    path = tmp_path / "l.json"
    default_linker().save(path)
    reads = []
    real = linker_mod.load_linker
    monkeypatch.setattr(linker_mod, "load_linker", lambda p: reads.append(p) or real(p))
    for _ in range(3):
        assert resolve_linker(str(path)) == default_linker()
    assert len(reads) == 1
    replace(default_linker(), cutoff=0.5).save(path)  # a new version of the file is read again
    assert resolve_linker(path).cutoff == 0.5 and len(reads) == 2
