"""Text, Markdown and JSON renderers."""

import json

import pytest

from readout_diff import ParameterError, analyze, compare, render


@pytest.fixture(scope="module")
def comparison():
    return compare("Xi stressed mutual respect. The two sides discussed trade.",
                   "The leaders discussed trade and fentanyl. They agreed to meet at APEC.",
                   label_a="cn", label_b="us")


def test_text_report(comparison):
    out = render(comparison, "text")
    assert "readout-diff: cn vs us" in out
    assert "only us" in out and "fentanyl" in out
    assert "gap_score" in out and "equality_respect" in out


def test_markdown_report(comparison):
    out = render(comparison, "markdown")
    assert out.startswith("# cn vs us")
    assert "| only us | fentanyl, leader_meeting |" in out


def test_json_report_is_the_contract(comparison):
    d = json.loads(render(comparison, "json"))
    assert d == comparison.to_dict()


def test_identical_readouts_say_so():
    out = render(compare("Trade was discussed.", "Trade was discussed."), "text")
    assert "the two readouts say the same things" in out


def test_analysis_renders():
    a = analyze("The leaders discussed trade. Ukraine did not come up.")
    assert "negated  : ukraine" in render(a, "text")
    assert json.loads(render(a, "json"))["negated_topics"] == ["ukraine"]


def test_unknown_format():
    with pytest.raises(ParameterError, match="'fmt' parameter of render must be one of"):
        render(compare("a.", "b."), "pdf")
