"""Two versions of one readout (readout_diff.versions and `readout-diff versions`)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from readout_diff import diff_versions, render
from readout_diff.cli import app
from readout_diff.errors import InputError, ParameterError
from readout_diff.versions import VersionDiff

OLD = ("President Biden spoke with President Xi today. The leaders discussed trade and the "
       "one-China policy. Biden raised human rights. They agreed to keep open lines of "
       "communication.")
NEW = ("President Biden spoke with President Xi today. They agreed to keep open lines of "
       "communication. The leaders discussed trade, fentanyl and the one-China principle. "
       "Biden raised concerns about Taiwan.")


def kinds(d: VersionDiff) -> list[tuple[str, int | None, int | None]]:
    return [(c.kind, c.old, c.new) for c in d.changes]


def test_identical_versions_have_no_changes():
    d = diff_versions(OLD, OLD)
    assert d.changes == () and d.unchanged == 4
    assert d.topics.only_a == d.topics.only_b == ()
    assert d.formulas.altered == ()


def test_added_removed_and_changed_sentences():
    d = diff_versions(OLD, NEW)
    # The opening and the "open lines" sentences keep their relative order: unchanged.
    assert d.unchanged == 2
    assert kinds(d) == [("changed", 1, 2), ("removed", 2, None), ("added", None, 3)]
    changed, = d.changed
    assert changed.topics_added == ("fentanyl",)
    assert 0.6 <= changed.similarity < 1
    removed, = d.removed
    assert removed.topics_removed == ("human_rights",)
    assert d.added[0].topics_added == ("taiwan",)


def test_readout_level_topic_and_formula_changes():
    d = diff_versions(OLD, NEW)
    assert d.topics.only_b == ("fentanyl",)
    assert d.topics.only_a == ("human_rights",)
    assert "trade" in d.topics.shared
    assert d.formulas.altered == (("one_china", ("policy",), ("principle",)),)
    assert d.formulas.shared == ("open_channels",)


def test_a_sentence_out_of_order_is_moved():
    d = diff_versions("Trade came up. Taiwan came up. Fentanyl came up.",
                      "Fentanyl came up. Trade came up. Taiwan came up.")
    assert d.unchanged == 2
    assert kinds(d) == [("moved", 2, 0)]
    assert d.topics.only_a == d.topics.only_b == ()


def test_similarity_threshold_turns_an_edit_into_remove_plus_add():
    d = diff_versions(OLD, NEW, similarity=0.99)
    assert not d.changed
    assert {c.kind for c in d.changes} == {"removed", "added"}
    with pytest.raises(ParameterError, match="similarity"):
        diff_versions(OLD, NEW, similarity=0)


def test_labels_default_to_old_and_new_and_json_round_trips():
    d = diff_versions(OLD, NEW)
    assert (d.old.label, d.new.label) == ("old", "new")
    data = d.to_dict()
    assert data["schema"] == "readout-diff-versions/1"
    assert set(data["sentences"]) == {"unchanged", "added", "removed", "changed", "moved"}
    back = VersionDiff.from_dict(json.loads(json.dumps(data)))
    assert back.to_dict() == data
    assert kinds(back) == kinds(d)
    with pytest.raises(InputError, match="schema"):
        VersionDiff.from_dict({"schema": "readout-diff/1"})


def test_reports():
    d = diff_versions(OLD, NEW)
    text = render(d, "text")
    assert "2 unchanged, 1 changed, 1 added, 1 removed, 0 moved" in text
    assert "one_china (old: policy → new: principle)" in text
    assert "+ Biden raised concerns about Taiwan." in text
    md = render(d, "markdown")
    assert md.startswith("# Versions: old → new")
    assert "| removed | Biden raised human rights. |  | {-human_rights} |" in md
    assert json.loads(render(d, "json"))["topics"]["added"] == ["fentanyl"]
    with pytest.raises(ParameterError, match="fmt"):
        render(d, "html")


def test_cli_versions(tmp_path):
    old, new = tmp_path / "v1.txt", tmp_path / "v2.txt"
    old.write_text(OLD, encoding="utf-8")
    new.write_text(NEW, encoding="utf-8")
    result = CliRunner().invoke(app, ["versions", str(old), str(new), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["old"]["label"] == "v1" and data["new"]["label"] == "v2"
    assert len(data["sentences"]["changed"]) == 1


def test_versions_honours_max_bytes(tmp_path):
    import subprocess
    import sys

    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text("The leaders discussed trade. " * 100, encoding="utf-8")  # 2,900 bytes
    new.write_text("The leaders discussed trade.", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "readout_diff", "versions", str(old), str(new),
                        "--max-bytes", "1000"], capture_output=True, text=True)
    assert r.returncode == 1 and "larger than the limit" in r.stderr
