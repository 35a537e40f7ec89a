"""Hostile input never crashes the library: fuzzing analyze, compare, the readers and the tokenizer.

The only exception allowed out of the public functions is ReadoutDiffError (with a message); every
result keeps its invariants (offsets into the text, ids from the codebook, scores in [0, 1], JSON
that encodes as UTF-8). Examples are bounded so the normal test run stays fast;
``benchmarks/fuzz.py`` runs the same properties much longer.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from readout_diff import (Codebook, ParameterError, Readout, ReadoutDiffError, analyze,
                          compare, render)
from readout_diff.bounded_tokenizer import MAX_TOKEN_CHARS, BoundedTokenizer
from readout_diff.model import Analysis, Comparison
from readout_diff.readers import decode_bytes, load_readout, load_readouts, repair_strings
from readout_diff.segment import MAX_SENTENCE_CHARS, split_sentences

from .strategies import hostile_bytes, hostile_text, readout_text

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
_SURROGATE = re.compile("[\ud800-\udfff]")
SUFFIXES = [".txt", ".md", ".html", ".json", ".jsonl", ".dat", ""]


def _quiet(fn, *args, **kwargs):
    """Call ``fn``; warnings (repaired bytes, a guessed encoding) are fine, so keep them quiet."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def _allowed(exc: BaseException) -> None:
    """The one way out of the library: a ReadoutDiffError that says what was wrong."""
    assert isinstance(exc, ReadoutDiffError), f"{type(exc).__name__}: {exc}"
    assert str(exc).strip(), "an error without a message"


def check_analysis(an: Analysis, text: str) -> None:
    """Invariants of any analysis of ``text``."""
    cb = Codebook.default()
    clean = repair_strings(text)
    last_end = 0
    for i, s in enumerate(an.sentences):
        assert s.index == i
        assert last_end <= s.start < s.end <= len(text), (s.start, s.end, len(text))
        assert s.end - s.start <= MAX_SENTENCE_CHARS
        assert s.text == " ".join(clean[s.start:s.end].split()) and s.text
        for m in s.mentions:
            assert 0 <= m.start < m.end <= len(text)
        last_end = s.end
    assert set(an.topics) <= set(cb.topic_ids) and set(an.frames) <= set(cb.frame_ids)
    assert not set(an.topics) & set(an.negated_topics)
    for stat in an.topics.values():
        assert 0.0 <= stat.share <= 1.0
        assert all(0 <= k < an.n_sentences for k in stat.sentences)
    for c in an.commitments:
        assert 0 <= c.sentence < an.n_sentences
    data = json.dumps(an.to_dict(), ensure_ascii=False).encode("utf-8")  # no lone surrogates
    assert json.loads(data)["n_sentences"] == an.n_sentences


def check_comparison(c: Comparison) -> None:
    for value in c.scores.to_dict().values():
        assert 0.0 <= value <= 1.0
    links = c.alignment.links
    assert all(0 <= x.a < c.a.n_sentences and 0 <= x.b < c.b.n_sentences for x in links)
    assert all(0.0 <= x.score <= 1.0 for x in links)
    assert set(c.alignment.unaligned_a) == set(range(c.a.n_sentences)) - {x.a for x in links}
    assert set(c.alignment.unaligned_b) == set(range(c.b.n_sentences)) - {x.b for x in links}
    d = c.to_dict()
    json.dumps(d, ensure_ascii=False).encode("utf-8")
    assert Comparison.from_dict(d).to_dict() == d


# -- analyze and compare ---------------------------------------------------------------------------

@FUZZ
@given(hostile_text)
@example("")
@example("\ud800 trade \udfff")
@example("trade " * 400)  # one line, no sentence punctuation
@example("(" * 3000 + " trade " + "🎉" * 500)
@example("a" * 5000)
@example("The leaders did not discuss Taiwan\u202e. \u200bTrade\u0301 was discussed.")
def test_analyze_never_crashes(text):
    try:
        an = _quiet(analyze, text)
    except Exception as exc:  # noqa: BLE001 - the property is about which exceptions escape
        _allowed(exc)
        return
    check_analysis(an, text)


@FUZZ
@given(hostile_text, hostile_text)
def test_compare_never_crashes(a, b):
    try:
        c = _quiet(compare, a, b)
    except Exception as exc:  # noqa: BLE001
        _allowed(exc)
        return
    check_analysis(c.a, a)
    check_analysis(c.b, b)
    check_comparison(c)


@FUZZ
@given(st.one_of(hostile_text, readout_text))
def test_a_text_compared_with_itself_has_no_gaps(text):
    try:
        c = _quiet(compare, text, text)
    except ReadoutDiffError:
        return
    assert c.gaps.only_a == c.gaps.only_b == ()
    assert c.scores.gap_score == 0.0
    assert c.a.to_dict()["sentences"] == c.b.to_dict()["sentences"]


@FUZZ
@given(st.one_of(hostile_text, readout_text), st.one_of(hostile_text, readout_text))
def test_swapping_a_and_b_swaps_the_gaps(a, b):
    try:
        ab, ba = _quiet(compare, a, b), _quiet(compare, b, a)
    except ReadoutDiffError:
        return
    assert (ab.gaps.only_a, ab.gaps.only_b) == (ba.gaps.only_b, ba.gaps.only_a)
    assert ab.gaps.shared == ba.gaps.shared
    assert ab.scores.topic_jaccard == ba.scores.topic_jaccard


@FUZZ
@given(hostile_text)
def test_analysis_is_the_same_twice(text):
    try:
        first = _quiet(analyze, text).to_dict()
    except ReadoutDiffError:
        return
    assert _quiet(analyze, text).to_dict() == first


# -- readers -----------------------------------------------------------------------------------------

@FUZZ
@given(hostile_bytes)
@example(b"\x00" * 10)
@example("trade".encode("utf-16-le"))
@example(b"\xff\xfe\x00\xd8")  # UTF-16 BOM and a lone surrogate
@example(b"\xef\xbb\xbf")  # a BOM and nothing else
def test_decode_bytes_gives_clean_text_or_input_error(data):
    try:
        text = _quiet(decode_bytes, data)
    except Exception as exc:  # noqa: BLE001
        _allowed(exc)
        return
    assert "\x00" not in text and "\r" not in text
    assert not _SURROGATE.search(text)


@pytest.fixture(scope="module")
def scratch():
    with tempfile.TemporaryDirectory() as d:
        yield Path(d)


def _check_readout(r) -> None:
    assert r.text.strip()
    for s in (r.text, r.label, r.source, json.dumps(dict(r.meta), default=str, ensure_ascii=False)):
        assert not _SURROGATE.search(s), s


@FUZZ
@given(data=hostile_bytes, suffix=st.sampled_from(SUFFIXES))
def test_load_readout_gives_a_readout_or_input_error(scratch, data, suffix):
    path = scratch / f"readout{suffix}"
    path.write_bytes(data)
    try:
        readouts = _quiet(load_readouts, path)
    except Exception as exc:  # noqa: BLE001
        _allowed(exc)
        return
    assert readouts
    for r in readouts:
        _check_readout(r)


def _front_matter(meta: str, body: str) -> str:
    return f"---\n{meta}\n---\n{body}"


yaml_ish = st.lists(st.one_of(
    st.sampled_from(["date: 2025-13-45", "date: 2025-09-19", "a: &a [x, x]", "b: [*a, *a]",
                     "c: *nope", "!!python/object:os.system x", "- list", "key: {a: [1, 2",
                     "x: '\\ud800'", 'y: "\\ud800"', "? [a, b]\n: c", "[[[[[[[[[[", "title: >",
                     "label: 5", "label: [cn]", "lang: 7", "tab:\tvalue", "n: 1e999"]),
    hostile_text.map(lambda t: t.replace("---", "- -")),
), max_size=6).map("\n".join)


@FUZZ
@given(meta=yaml_ish, body=st.one_of(hostile_text, readout_text))
def test_markdown_front_matter_never_crashes(scratch, meta, body):
    path = scratch / "fm.md"
    path.write_text(_front_matter(meta, body), encoding="utf-8", errors="surrogatepass")
    try:
        r = _quiet(load_readout, path)
    except Exception as exc:  # noqa: BLE001
        _allowed(exc)
        return
    _check_readout(r)


json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), hostile_text),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(hostile_text, inner, max_size=3)),
    max_leaves=8,
)


@FUZZ
@given(obj=st.one_of(
    json_value,
    st.fixed_dictionaries({"text": hostile_text},
                          optional={"label": json_value, "lang": json_value, "date": json_value,
                                    "title": json_value, "source": json_value})))
def test_json_readouts_never_crash(scratch, obj):
    path = scratch / "obj.json"
    path.write_text(json.dumps(obj), encoding="utf-8")  # ASCII: lone surrogates as \ud800 escapes
    try:
        r = _quiet(load_readout, path)
        an = _quiet(analyze, r)
    except Exception as exc:  # noqa: BLE001
        _allowed(exc)
        return
    _check_readout(r)
    json.dumps(an.to_dict(), ensure_ascii=False).encode("utf-8")


# -- the pieces that bound the work ----------------------------------------------------------------

@FUZZ
@given(hostile_text)
@example("x" * 250 + "(" * 40 + " " + "，".join(["中美关系"] * 60))
@example("foo " + "=" * 10 + " bar  " + "a" * 300 + " \n" + "!" * 7)
def test_bounded_tokenizer_keeps_the_text_and_its_offsets(text):
    check_tokens(text)


def check_tokens(text: str) -> None:
    from readout_diff.nlp import get_pipeline

    text = repair_strings(text)  # the pipeline repairs surrogates before spaCy sees a text
    tok = get_pipeline("en").tokenizer
    assert isinstance(tok, BoundedTokenizer)
    doc = tok(text)
    assert doc.text == text
    for t in doc:
        assert text[t.idx:t.idx + len(t.text)] == t.text
        # A token is a piece of at most MAX_TOKEN_CHARS, or one the wrapped tokenizer made whole.
        assert len(t.text) <= MAX_TOKEN_CHARS or not re.search(r"[^\w\s]{6}", t.text)


@FUZZ
@given(hostile_text, st.sampled_from(["en", "zh"]))
@example("word " * 1000, "en")
@example("中" * 5000, "zh")
@example("." * 5000 + " A", "en")
def test_sentence_spans_are_ordered_stripped_and_bounded(text, lang):
    check_spans(text, lang)


def check_spans(text: str, lang: str) -> None:
    spans = split_sentences(text, lang)
    last = 0
    for start, end in spans:
        assert last <= start < end <= len(text)
        assert end - start <= MAX_SENTENCE_CHARS
        assert not text[start].isspace() and not text[end - 1].isspace()
        assert re.search(r"[^\W_]", text[start:end])
        last = end


# -- determinism across processes ------------------------------------------------------------------

def test_json_is_byte_identical_across_hash_seeds(tmp_path, example_pair):
    """Set order and string hashing differ per process unless PYTHONHASHSEED is fixed; the JSON
    must not depend on them."""
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(example_pair[0].read_text(encoding="utf-8") + "\n\n"
                       + "Trade\u200b and fentanyl were discussed. " * 3 + "(" * 300 + "\n\n"
                       "The two sides did not discuss Taiwan; both stressed mutual respect. "
                       + "word " * 600 + "\n- Iran\n- climate change\n", encoding="utf-8")
    outputs = set()
    for seed in ("0", "1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-m", "readout_diff", "compare", str(hostile),
                              str(example_pair[1]), "--format", "json"], capture_output=True,
                             env=env, check=True)
        outputs.add(run.stdout)
    assert len(outputs) == 1
    (out,) = outputs
    assert json.loads(out)["a"]["n_sentences"] > 10
    # This process has analysed many other texts by now (its vocabulary and caches have grown):
    # the same comparison here gives the same bytes.
    here = render(compare(load_readout(hostile), load_readout(example_pair[1])), "json")
    assert here.encode("utf-8") == out


@pytest.mark.parametrize("bad", [Readout(text=None), Readout(text=b"trade"), Readout("x", label=5)])
def test_a_readout_that_is_not_text_is_a_parameter_error(bad):
    with pytest.raises(ParameterError, match="'readout' parameter of analyze"):
        analyze(bad)
