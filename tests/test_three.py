"""Three witnesses: original, translation, other side (readout_diff.triangulate)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from readout_diff import compare_three, render
from readout_diff.cli import app
from readout_diff.errors import InputError, ParameterError
from readout_diff.triangulate import Triangulation

ORIGINAL = ("Xi stressed the one-China principle. The two sides discussed trade and fentanyl. "
            "The talks were candid and in-depth.")
# The translation drops fentanyl and renders "principle" as "policy".
TRANSLATION = ("Xi stressed the one-China policy. The two sides discussed trade. "
               "The talks were candid and in-depth.")
OTHER_SIDE = ("Biden noted the one-China principle. The leaders discussed trade, fentanyl and "
              "Ukraine. The talks were candid and constructive.")


@pytest.fixture(scope="module")
def three() -> Triangulation:
    return compare_three(ORIGINAL, TRANSLATION, OTHER_SIDE, labels=("zh", "en", "us"))


def test_two_comparisons_share_the_middle_readout(three):
    assert (three.a.label, three.b.label, three.c.label) == ("zh", "en", "us")
    assert three.drift.b is three.disagreement.a  # analysed once
    assert three.drift.gaps.only_a == ("fentanyl",)


def test_differences_explained_by_drift_or_disagreement(three):
    s = three.summary
    # fentanyl: us has it, en lacks it, but the original has it -> lost in translation.
    # one_china: en says "policy", us "principle", and the original "principle" -> drift.
    assert s.explained["topics"] == ("fentanyl",)
    assert s.explained["formulas"] == ("one_china",)
    # ukraine and the descriptors differ between the sides whatever the translation says.
    assert s.disagreement["topics"] == ("ukraine",)
    assert s.disagreement["descriptors"] == ("constructive", "in-depth")
    assert s.lost_in_translation == ("fentanyl",) and s.added_in_translation == ()
    assert s.verdict == "mixed"
    assert 0 < s.drift_score < s.disagreement_score


@pytest.mark.parametrize("c, verdict", [
    (TRANSLATION, "agreement"),
    (ORIGINAL, "drift"),
    ("Biden raised Ukraine and the one-China policy. The two sides discussed trade. "
     "The talks were candid and in-depth.", "disagreement"),
])
def test_verdicts(c, verdict):
    assert compare_three(ORIGINAL, TRANSLATION, c).summary.verdict == verdict


def test_json_round_trip_and_reports(three):
    d = three.to_dict()
    assert d["schema"] == "readout-diff-three/1" and d["labels"] == ["zh", "en", "us"]
    assert d["summary"]["explained_by_drift"]["topics"] == ["fentanyl"]
    assert d["drift"]["schema"] == "readout-diff/1"
    back = Triangulation.from_dict(json.loads(json.dumps(d)))
    assert back.to_dict() == d
    with pytest.raises(InputError, match="schema"):
        Triangulation.from_dict(d["drift"])
    text = render(three, "text")
    assert "verdict: mixed" in text and "=== Translation drift ===" in text
    md = render(three, "markdown")
    assert "## Translation drift" in md and "### Signals" in md


def test_default_labels_and_validation():
    t = compare_three(ORIGINAL, TRANSLATION, OTHER_SIDE)
    assert (t.a.label, t.b.label, t.c.label) == ("a", "b", "c")
    with pytest.raises(ParameterError, match="labels"):
        compare_three(ORIGINAL, TRANSLATION, OTHER_SIDE, labels=("x", "y"))


def test_cli_three_readouts(tmp_path):
    paths = []
    for name, text in (("zh", ORIGINAL), ("en", TRANSLATION), ("us", OTHER_SIDE)):
        p = tmp_path / f"{name}.txt"
        p.write_text(text, encoding="utf-8")
        paths.append(str(p))
    result = CliRunner().invoke(app, ["compare", *paths, "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["labels"] == ["zh", "en", "us"]
    assert data["summary"]["verdict"] == "mixed"
    two = CliRunner().invoke(app, ["compare", paths[0], paths[2], "-f", "json",
                                   "--background", str(tmp_path)])
    assert two.exit_code == 0, two.output
    emphasis = json.loads(two.stdout)["signals"]["emphasis"]
    # The background folder holds the two inputs (left out) and the translation.
    assert emphasis["prior"] == "background" and emphasis["background"]["documents"] == 1


def test_compare_three_honours_the_character_limit():
    from readout_diff.errors import LimitError
    from readout_diff.triangulate import compare_three

    text = "The leaders discussed trade. " * 10
    with pytest.raises(LimitError, match="more than the limit"):
        compare_three(text, text, text, max_chars=100)
    assert compare_three(text, text, text, max_chars=len(text)).summary.verdict
