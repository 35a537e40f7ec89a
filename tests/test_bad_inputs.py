"""The nasty inputs of tests/data/bad (one row of its README each), and inputs at the size limits.

Each file either fails with an InputError whose message names it, or is read (with the warning
it deserves) and analysed; the huge inputs are made here rather than committed.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import pytest

from readout_diff import InputError, analyze, compare, load_readout
from readout_diff.errors import LimitError
from readout_diff.pipeline import DEFAULT_MAX_CHARS
from readout_diff.readers import DEFAULT_MAX_BYTES, ReadoutWarning
from readout_diff.segment import MAX_SENTENCE_CHARS

BAD = Path(__file__).parent / "data" / "bad"

# file -> the error's message, or (the warning, topics, negated topics) of a file that is read.
ERRORS = {
    "empty.txt": "has no text",
    "whitespace.txt": "has no text",
    "bom-only.txt": "has no text",
    "nul-bytes.txt": "looks binary",
    "binary.png": "looks binary",
    "scripts-only.html": "has no text",
    "unclosed-front-matter.md": "front matter opened with '---' on line 1 never closes",
    "yaml-bomb.md": "on line 3: the alias *a (aliases are not allowed)",
    "impossible-date.md": "front matter has an impossible value",
    "deeply-nested.json": "JSON nested too deeply",
}
READ = {
    "invalid-utf8.txt": ("invalid UTF-8 at byte 32", {"trade", "fentanyl"}, set()),
    "utf16-le-no-bom.txt": ("decoded as UTF-16-LE without a byte-order mark",
                            {"trade", "fentanyl", "continued_talks"}, {"taiwan"}),
    "utf16-be-no-bom.txt": ("decoded as UTF-16-BE without a byte-order mark",
                            {"trade", "fentanyl", "continued_talks"}, {"taiwan"}),
    "lone-surrogate.json": (None, {"trade", "fentanyl"}, set()),
    "control-chars.txt": (None, {"trade", "fentanyl", "continued_talks"}, {"taiwan"}),
    "no-punctuation.txt": (None, {"trade", "fentanyl"}, set()),
}


def test_the_readme_the_folder_and_this_test_list_the_same_files():
    readme = (BAD / "README.md").read_text(encoding="utf-8")
    in_table = set(re.findall(r"^\| `([^`]+)` \|", readme, flags=re.M))
    in_folder = {p.name for p in BAD.iterdir() if p.name not in ("README.md", ".gitattributes")}
    assert in_table == in_folder == set(ERRORS) | set(READ)


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_bad_files_are_input_errors_naming_the_file(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a refused file warns about nothing
        with pytest.raises(InputError) as err:
            load_readout(BAD / name)
    assert str(err.value).startswith(str(BAD / name) + ": ")
    assert ERRORS[name] in str(err.value)


@pytest.mark.parametrize("name", sorted(READ))
def test_repairable_files_are_read_and_analysed(name):
    warning, topics, negated = READ[name]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        readout = load_readout(BAD / name)
    messages = [str(w.message) for w in caught if issubclass(w.category, ReadoutWarning)]
    if warning:
        assert len(messages) == 1 and warning in messages[0] and str(BAD / name) in messages[0]
    else:
        assert messages == []
    an = analyze(readout)
    assert set(an.topics) == topics and set(an.negated_topics) == negated
    assert all(s.end - s.start <= MAX_SENTENCE_CHARS for s in an.sentences)
    json.dumps(an.to_dict(), ensure_ascii=False).encode("utf-8")  # writable as UTF-8


def test_lone_surrogates_become_replacement_characters():
    r = load_readout(BAD / "lone-surrogate.json")
    assert r.label == "cn\ufffd" and r.meta["title"] == "Readout \ufffd"
    assert "trade \ufffd and" in r.text


# -- the size limits --------------------------------------------------------------------------------

def test_a_file_of_exactly_the_limit_is_read_and_one_byte_more_is_refused(tmp_path):
    p = tmp_path / "edge.txt"
    p.write_bytes(b"trade " * 166 + b"talks")  # 1,001 bytes
    assert load_readout(p, max_bytes=1001).text.endswith("talks")
    with pytest.raises(LimitError, match=r"edge.txt: is larger than the limit of 1,000 bytes"):
        load_readout(p, max_bytes=1000)


def test_a_10_gb_file_is_refused_after_reading_the_limit(tmp_path):
    p = tmp_path / "huge.txt"
    with p.open("wb") as fh:  # sparse: no disk is used, and no more than the limit is read
        fh.truncate(10 * 1024**3)
    with pytest.raises(LimitError, match=f"larger than the limit of {DEFAULT_MAX_BYTES:,} bytes"):
        load_readout(p)


def test_a_text_over_max_chars_is_refused_before_any_work():
    with pytest.raises(LimitError, match=r"has 1,001 characters, more than the limit of 1,000 "
                                         r"\(max_chars\)"):
        analyze("a" * 1001, max_chars=1000)
    with pytest.raises(LimitError, match="max_chars"):
        compare("trade", "b" * (DEFAULT_MAX_CHARS + 1))


def test_more_sentences_than_max_sentences_is_a_limit_error():
    with pytest.raises(LimitError, match=r"has 30 sentences, more than the limit of 20"):
        analyze("Trade.\n\n" * 30, max_sentences=20)


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "10"])
def test_limits_must_be_positive_ints(bad):
    from readout_diff import ParameterError

    with pytest.raises(ParameterError, match="max_chars"):
        analyze("trade", max_chars=bad)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["one line of words", "one repeated character"])
def test_two_megabytes_on_one_line_without_sentence_punctuation(tmp_path, kind):
    """The splitter cuts it into sentences of at most MAX_SENTENCE_CHARS; the tokenizer cuts a
    chunk without white space into pieces; the file at the default limit is read and analysed."""
    words = "the leaders discussed trade and tariffs at length in the capital".split()
    text = (" ".join(words[i % len(words)] for i in range(DEFAULT_MAX_BYTES // 5))
            if kind == "one line of words" else "a" * DEFAULT_MAX_BYTES)[:DEFAULT_MAX_BYTES]
    p = tmp_path / "line.txt"
    p.write_text(text, encoding="ascii")
    an = analyze(load_readout(p))
    assert an.n_sentences >= DEFAULT_MAX_BYTES // MAX_SENTENCE_CHARS
    assert all(s.end - s.start <= MAX_SENTENCE_CHARS for s in an.sentences)
    assert an.sentences[-1].end <= len(text)
    assert ("trade" in an.topics) == (kind == "one line of words")
