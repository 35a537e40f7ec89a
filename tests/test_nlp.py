"""Lexeme-level normalisation: case, American spelling, lemma, acronyms."""

import pytest

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
