"""The codebook matchers: token patterns run around their anchors find what the full Matcher finds."""

import warnings

from hypothesis import given, settings
from hypothesis import strategies as st

from readout_diff import Codebook
from readout_diff.matching import compile_codebook
from readout_diff.nlp import parse

# Words that make the default codebook's token patterns match, and almost match, in any order.
_WORDS = ["manage", "their", "the", "two", "militaries", "differences", "responsibly", "see",
          "each", "other", "again", "invited", "him", "to", "visit", "China", "urged", "Japan",
          "stop", "release", "detained", "Americans", "reach", "a", "deal", "benefit", "world",
          "exchanges", "between", "our", "peoples", "competition", "treatment", "of", "firms",
          ".", ",", "\n", "\n\n"]


def _both(compiled, parsed):
    anchors = compiled.anchors
    fast = compiled(parsed)
    compiled.anchors = None  # the plain way: the Matcher over the whole document
    try:
        full = compiled(parsed)
    finally:
        compiled.anchors = anchors
    return fast, full


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=40).map(" ".join))
def test_windowed_token_patterns_equal_the_full_matcher(text):
    compiled = compile_codebook(Codebook.default(), "en")
    assert compiled.anchors is not None
    fast, full = _both(compiled, parse(text))
    assert fast == full


def test_windowed_matches_on_known_sentences():
    compiled = compile_codebook(Codebook.default(), "en")
    text = ("The two sides agreed to manage their differences. Their two militaries will talk. "
            "Xi invited him to visit China. They hope to see each other again soon.")
    fast, full = _both(compiled, parse(text))
    assert fast == full
    assert {m.id for m in fast if m.role == "hit"} >= {"military_channels", "state_visit"}


def test_patterns_without_an_anchor_use_the_whole_document():
    toml = ('[topics.trade]\nlabel = "T"\n[topics.trade.en]\n'
            'patterns = [[{OP = "?"}, {NORM = "tariff"}], [{IS_DIGIT = true}, {OP = "*"}]]\n')
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cb = Codebook.from_toml(toml)
    compiled = compile_codebook(cb, "en")
    assert compiled.anchors is None
    assert [m.id for m in compiled(parse("New tariffs."))] == ["trade", "trade"]
