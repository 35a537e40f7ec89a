"""Sentence spans: abbreviations, hard wraps, bullets, headlines, Chinese punctuation."""

import pytest

from readout_diff.segment import split_sentences


def sents(text, lang="en"):
    return [text[s:e] for s, e in split_sentences(text, lang)]


@pytest.mark.parametrize("abbr", ["Amb.", "Gen.", "Mr.", "Dr.", "Sen.", "Adm.", "Lt. Gen."])
def test_titles_never_end_a_sentence(abbr):
    assert sents(f"{abbr} Smith met the delegation. They discussed trade.") == [
        f"{abbr} Smith met the delegation.", "They discussed trade."]


def test_us_abbreviation_mid_sentence_and_at_the_end():
    assert sents("The U.S. President spoke. He met the U.S. The talks ended.") == [
        "The U.S. President spoke.", "He met the U.S.", "The talks ended."]


def test_initials_and_jr():
    t = "President Joseph R. Biden, Jr. met Xi. They talked."
    assert sents(t) == ["President Joseph R. Biden, Jr. met Xi.", "They talked."]


def test_hard_wrapped_paragraph_is_joined():
    t = ("Secretary of State Antony J. Blinken and National Security Advisor\n"
         "Jake Sullivan met Director Yang Jiechi in Anchorage, where the two\n"
         "sides discussed trade.\n\nA second paragraph.")
    out = sents(t)
    assert len(out) == 2 and out[0].startswith("Secretary") and out[0].endswith("trade.")


def test_headline_line_is_its_own_sentence():
    t = ("Readout of President Biden's Call with President Xi Jinping\n"
         "President Biden spoke today with President Xi Jinping of the People's Republic of "
         "China about trade.")
    assert sents(t)[0] == "Readout of President Biden's Call with President Xi Jinping"
    assert len(sents(t)) == 2


def test_bullets_are_sentences_without_their_markers():
    t = "The leaders agreed on the following:\n- trade talks\n- fentanyl cooperation\n* climate"
    assert sents(t) == ["The leaders agreed on the following:", "trade talks",
                        "fentanyl cooperation", "climate"]


def test_markdown_heading_and_end_markers():
    assert sents("# Readout\nThe leaders met.\n\n\\###") == ["Readout", "The leaders met."]


def test_chinese_punctuation_and_lines():
    t = "習近平指出，中美應該相互尊重。雙方同意保持溝通；美方表示歡迎！\n新華社"
    assert sents(t, "zh") == ["習近平指出，中美應該相互尊重。", "雙方同意保持溝通；", "美方表示歡迎！", "新華社"]


def test_spans_are_offsets_into_the_text():
    t = "  First one.   Second one!  "
    for s, e in split_sentences(t):
        assert t[s:e] == t[s:e].strip() and t[s:e]


def test_no_punctuation_at_all():
    assert sents("trade talks fentanyl no punctuation") == ["trade talks fentanyl no punctuation"]
