"""Lexeme-level normalisation: case, American spelling, lemma, acronyms."""

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from readout_diff.nlp import get_pipeline, parse
from readout_diff.spelling import americanize


@pytest.mark.parametrize("uk,us", [("defence", "defense"), ("organised", "organized"),
                                   ("favourable", "favorable"), ("travelling", "traveling"),
                                   ("programme", "program"), ("centre", "center"),
                                   ("emphasise", "emphasize"), ("labour", "labor")])
def test_british_spellings(uk, us):
    assert americanize(uk) == us


@pytest.mark.parametrize("word", ["promise", "exercise", "premise", "four", "hour", "raise",
                                  "otherwise", "enterprise", "compromise", "dialogue"])
def test_words_that_only_look_british(word):
    assert americanize(word) == word


def norms(text):
    return [t.norm_ for t in parse(text).doc]


def test_norm_is_lower_case_lemma():
    assert norms("Discussed tariffs meetings") == ["discuss", "tariff", "meet"]


def test_norm_of_acronyms_and_us():
    assert norms("U.S. US PRC") == ["us", "us", "prc"]


def test_pipeline_is_cached():
    assert get_pipeline("en") is get_pipeline("en")


def test_hard_wrap_does_not_block_phrases():
    p = parse("the spirit of mutual\nrespect")
    assert [t.text for t in p.doc] == ["the", "spirit", "of", "mutual", "respect"]
    assert p.text[int(p.token_idx[4]):p.token_end(4)] == "respect"


def test_doc_sents_follow_the_readout_splitter():
    doc = get_pipeline("en")("Amb. Burns met Gen. Li. They talked.")
    assert [s.text for s in doc.sents] == ["Amb. Burns met Gen. Li.", "They talked."]


# Pieces that stress the single-spaced tokenization of parse(): line breaks, double spaces,
# tabs, and the tokenizer's special cases (abbreviations, contractions, emoticons matched over
# tokens such as ":" ")" or ")-:").
_PIECES = ["trade", "x", "=", "[", "D=", "Jan.", "don't", "Mr.", "U.S.", ":", ")", "(", "-", "1", "8", "D", ".", "°",
           "C.", "’s", "'s", ";", "*", "<", "1a.m.", ":)", ")-:", "8-D", " ", "  ", "\n", "\n\n",
           "\t", "\u00a0", " \n"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
@example("x:)\n:)x")  # single-spaced, ") :" would be matched over the gap and shadow ":)"
@example("x:\n(=x")  # ":(" matched over the gap shadows the overlapping "(="
def test_parse_equals_the_pipeline_without_white_space_tokens(text):
    """parse() tokenizes a single-spaced copy; it must equal the pipeline's doc minus its
    white-space tokens: same words, offsets, NORM and sentences."""
    import numpy as np
    from spacy.attrs import NORM, ORTH

    from readout_diff.nlp import parsed_from_doc

    fast, plain = parse(text), parsed_from_doc(get_pipeline("en")(text))
    assert fast.sentences == plain.sentences and fast.sent_tokens == plain.sent_tokens
    assert np.array_equal(fast.token_idx, plain.token_idx)
    assert np.array_equal(fast.token_sent, plain.token_sent)
    assert np.array_equal(fast.doc.to_array([ORTH, NORM]), plain.doc.to_array([ORTH, NORM]))


def test_cached_lemma_table_equals_spacys(tmp_path, monkeypatch):
    """The lemma table read directly and through the marshal cache looks up as spaCy's does."""
    import random

    from spacy.lookups import load_lookups

    from readout_diff.nlp import _lemma_lookup

    monkeypatch.setenv("READOUT_DIFF_CACHE_DIR", str(tmp_path))
    table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
    fresh = _lemma_lookup("en")  # reads the JSON, writes the cache
    assert fresh is not None and list(tmp_path.glob("lemma_lookup-en-*.marshal"))
    cached = _lemma_lookup("en")  # reads the cache
    words = random.Random(3).sample(sorted(fresh.__self__), 500)
    for w in words + ["Discussed", "discussed", "meetings", "xyzzy", ""]:
        assert fresh(w) == cached(w) == table.get(w)


def test_damaged_lemma_cache_is_rebuilt(tmp_path, monkeypatch):
    from readout_diff.nlp import _lemma_lookup

    monkeypatch.setenv("READOUT_DIFF_CACHE_DIR", str(tmp_path))
    _lemma_lookup("en")
    (path,) = tmp_path.glob("lemma_lookup-en-*.marshal")
    path.write_bytes(b"not marshal data")
    assert _lemma_lookup("en")("meetings") == "meeting"
    assert len(path.read_bytes()) > 1000


def test_english_takes_the_single_spaced_path_through_the_bounded_tokenizer(monkeypatch):
    """The hardening wrapper must not send every English text down the plain (slow) path."""
    import readout_diff.nlp as nlp_mod
    from readout_diff.bounded_tokenizer import BoundedTokenizer

    assert isinstance(nlp_mod.get_pipeline("en").tokenizer, BoundedTokenizer)
    calls = []
    real = nlp_mod.single_spaced

    def spy(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(nlp_mod, "single_spaced", spy)
    parsed = nlp_mod.parse("The leaders\n\n   discussed trade.\nThey agreed to talk.", "en")
    assert calls and [parsed.text[a:b] for a, b in parsed.sentences][-1] == "They agreed to talk."
