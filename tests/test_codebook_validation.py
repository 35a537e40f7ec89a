"""Codebooks from users: every problem is a CodebookError (or a CodebookWarning) that names the
file, the line where the TOML says it, the entry and what is wrong; loading one never runs code."""

from __future__ import annotations

import re
import warnings

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from readout_diff import Codebook, CodebookError, analyze
from readout_diff.codebook import CodebookWarning

HEAD = '[topics.trade]\nlabel = "Trade"\n[topics.trade.en]\n'  # rules start on line 4


def load(tmp_path, text: str | bytes, name: str = "mine.toml") -> Codebook:
    p = tmp_path / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return Codebook.load(p)


def fails(tmp_path, text, *needles: str) -> str:
    with pytest.raises(CodebookError) as err:
        load(tmp_path, text)
    message = str(err.value)
    assert "\n" not in message and message.startswith(str(tmp_path / "mine.toml"))
    for needle in needles:
        assert needle in message, message
    return message


# -- malformed TOML: tomllib's line and column ---------------------------------------------------

@pytest.mark.parametrize("text,line", [
    ("[topics.trade\nlabel = 'x'\n", 1),
    (HEAD + 'phrases = ["x"\n', None),
    (HEAD + "phrases = x\n", 4),
    (HEAD + 'phrases = ["x"]\nphrases = ["y"]\n', 5),
    ('[topics.trade]\nlabel = "a"\nlabel = "b"\n', 3),
])
def test_malformed_toml_names_the_line(tmp_path, text, line):
    message = fails(tmp_path, text, "invalid TOML")
    if line:
        assert f"line {line}" in message


def test_not_utf8(tmp_path):
    message = fails(tmp_path, HEAD.encode() + b'phrases = ["\xff"]\n', "not UTF-8",
                    f"byte {len(HEAD) + 12}")
    assert message.startswith(f"{tmp_path / 'mine.toml'}:4: ")


def test_a_folder_or_a_missing_file(tmp_path):
    with pytest.raises(CodebookError, match="no such codebook file"):
        Codebook.load(tmp_path / "none.toml")
    with pytest.raises(CodebookError, match="cannot be read"):
        Codebook.load(tmp_path)


# -- duplicate ids ----------------------------------------------------------------------------------

def test_the_same_table_twice_is_a_toml_error_with_its_line(tmp_path):
    text = HEAD + 'phrases = ["x"]\n\n[topics."trade"]\nlabel = "Again"\n'
    fails(tmp_path, text, "invalid TOML", "Cannot declare ('topics', 'trade') twice", "line 6")


def test_a_topic_id_used_again_as_a_frame_names_both_lines(tmp_path):
    text = (HEAD + 'phrases = ["x"]\n\n[frames.trade]\nlabel = "T"\n[frames.trade.en]\n'
            'phrases = ["y"]\n')
    with pytest.warns(CodebookWarning, match="not in TAXONOMY"):  # 'trade' is no frame id
        message = fails(tmp_path, text, "[frames.trade]", "already used by [topics.trade] on line 1",
                        "ids must be unique")
    assert message.startswith(f"{tmp_path / 'mine.toml'}:6:")


def test_ids_that_differ_only_in_case_are_duplicates(tmp_path):
    text = HEAD + 'phrases = ["x"]\n[topics.Trade]\nlabel = "T"\n[topics.Trade.en]\nphrases = ["y"]\n'
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CodebookWarning)
        message = fails(tmp_path, text, "[topics.Trade]", "already used by [topics.trade]")
    assert ":5:" in message


# -- unknown keys, at every level, with the key's own line -----------------------------------------

@pytest.mark.parametrize("text,line,needles", [
    ('[topic.trade]\nlabel = "T"\n', None, ["top level", "unknown section(s) ['topic']"]),
    ('[topics.trade]\nlabel = "T"\nlable = "x"\n[topics.trade.en]\nphrases = ["x"]\n', 3,
     ["[topics.trade]", "unknown key(s) ['lable']"]),
    (HEAD + 'phrases = ["x"]\nphrasez = ["y"]\n', 5, ["[topics.trade.en]", "['phrasez']"]),
    (HEAD + 'phrases = ["x"]\n[actors."Xi Jinping"]\nside = "cn"\nrank = 1\n', 7,
     ['[actors."Xi Jinping"]', "['rank']"]),
    (HEAD + 'phrases = ["x"]\n[actors."Xi Jinping"]\nside = "cn"\n[actors."Xi Jinping".en]\n'
     'namez = ["Xi"]\n', 8, ['[actors."Xi Jinping".en]', "['namez']"]),
    ('[topics]\ntrade = {label = "T", en = {phrases = ["x"], phrasez = ["y"]}}\n', 2,
     ["[topics.trade.en]", "['phrasez']"]),
])
def test_unknown_keys_name_entry_key_and_line(tmp_path, text, line, needles):
    message = fails(tmp_path, text, *needles)
    if line:
        assert message.startswith(f"{tmp_path / 'mine.toml'}:{line}: "), message


# -- entries and phrases ----------------------------------------------------------------------------

@pytest.mark.parametrize("rules,needles", [
    ('phrases = [""]', ["empty phrase ''"]),
    ('phrases = ["trade", "   "]', ["empty phrase '   '"]),
    ('phrases = ["- . !"]', ["phrase '- . !' with no letter or digit"]),
    ('phrases = ["…", "trade"]', ["phrase '…' with no letter or digit"]),
    ('phrases = ["trade", 5]', ["'phrases' must be a list of strings; item 1 is 5"]),
    ('phrases = "trade"', ["'phrases' must be a list of strings, got str"]),
    ("patterns = []", ["can never match"]),
    ("", ["can never match"]),
    ('contextual = ["meet"]', ["'contextual' phrases but no 'context'"]),
    ('phrases = ["x"]\nwindow = 0', ["'window' must be a whole number from 1 to 50, got 0"]),
    ('phrases = ["x"]\nwindow = true', ["'window'", "got True"]),
])
def test_rules_that_can_never_match_or_are_malformed(tmp_path, rules, needles):
    message = fails(tmp_path, HEAD + rules + "\n", "[topics.trade.en]", *needles)
    assert re.match(rf"{re.escape(str(tmp_path / 'mine.toml'))}:[3-5]: ", message), message


@pytest.mark.parametrize("text,needles", [
    ('[topics.trade]\n[topics.trade.en]\nphrases = ["x"]\n', ["needs a non-empty 'label'"]),
    ('[topics.trade]\nlabel = "T"\n', ["has no language table"]),
    ('[topics.trade]\nlabel = "T"\nfuture = "yes"\n[topics.trade.en]\nphrases = ["x"]\n',
     ["'future' must be true or false"]),
    ('[topics.trade]\nlabel = "T"\ncommitment = "dinner"\n[topics.trade.en]\nphrases = ["x"]\n',
     ["'commitment' must be one of"]),
    ('[topics."semi conductors"]\nlabel = "T"\n[topics."semi conductors".en]\nphrases = ["x"]\n',
     ["id 'semi conductors' must be letters, digits, '_' or '-'"]),
    ("[codebook]\nname = 'x'\n", ["defines no [topics.*] or [frames.*] entries"]),
    ("topics = 5\n", ["[topics]: must be a table, got int"]),
])
def test_entry_problems(tmp_path, text, needles):
    fails(tmp_path, text, *needles)


# -- token patterns: checked when loaded, and by spaCy when compiled -------------------------------

@pytest.mark.parametrize("pattern,needles", [
    ("[[]]", ["patterns[0]", "non-empty list of token tables"]),
    ("[[{}]]", ["patterns[0]", "non-empty table"]),
    ('[[{OP = "+"}]]', ["only wildcard tokens"]),
    ('[[{FOO = "x"}]]', ["unknown token attribute(s) ['FOO']"]),
    ('[[{NORM = "trade"}], [{NORM = ""}]]', ["patterns[1]", "NORM value '' is empty"]),
    ('[[{LOWER = "Trade"}]]', ["LOWER value 'Trade' has upper-case letters", "can never match"]),
    ('[[{NORM = "trade deal"}]]', ["white space in it (one table per word)"]),
    ('[[{NORM = {IN = ["trade", ""]}}]]', ["NORM value '' is empty"]),
    ('"x"', ["'patterns' must be a list of token patterns"]),
])
def test_patterns_rejected_when_loaded(tmp_path, pattern, needles):
    fails(tmp_path, HEAD + f'phrases = ["x"]\npatterns = {pattern}\n', "[topics.trade.en]",
          *needles)


@pytest.mark.parametrize("pattern,needle", [
    ('{NORM = 5}', "NORM"),
    ('{NORM = {IN = "tariff"}}', "IN"),
    ('{NORM = {REGEX = "("}}', "unterminated subpattern"),
    ('{LENGTH = -1}', "E154"),
    ('{IS_DIGIT = "yes"}', "IS_DIGIT"),
    ('{LENGTH = {">=" = "x"}}', "LENGTH"),
    ('{NORM = {FOO = ["a"]}}', "FOO"),
    ('{NORM = "trade", OP = "{2,1}"}', "Unknown operator"),
    ('{NORM = "trade", OP = "x"}', "OP"),
])
def test_patterns_spacy_rejects_become_codebook_errors_when_compiled(tmp_path, pattern, needle):
    cb = load(tmp_path, HEAD + f'phrases = ["x"]\npatterns = [[{{NORM = "tariff"}}], [{pattern}]]\n')
    with pytest.raises(CodebookError) as err:
        analyze("Tariffs on trade were discussed.", codebook=cb)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"{tmp_path / 'mine.toml'}: [topics.trade.en] patterns[1]: "
                              "spaCy's Matcher rejects it: ")
    assert needle in message


def test_a_good_pattern_still_matches(tmp_path):
    cb = load(tmp_path, HEAD + 'phrases = ["x"]\npatterns = [[{NORM = "tariffs"}, {IS_DIGIT = true}]]\n')
    assert "trade" in analyze("Tariffs 2025 were raised.", codebook=cb).topics


# -- ids outside TAXONOMY.md: allowed, with a warning naming file, line and entry ------------------

def test_an_id_not_in_the_taxonomy_loads_with_a_warning(tmp_path):
    text = HEAD + 'phrases = ["trade"]\n\n[topics.semis]\nlabel = "Chips"\n[topics.semis.en]\nphrases = ["chip"]\n'
    with pytest.warns(CodebookWarning) as caught:
        cb = load(tmp_path, text)
    (w,) = [w for w in caught if "semis" in str(w.message)]
    assert str(w.message).startswith(f"{tmp_path / 'mine.toml'}:6: [topics.semis]: id 'semis' "
                                     "is not in TAXONOMY.md")
    assert set(analyze("Chips and trade.", codebook=cb).topics) == {"semis", "trade"}


# -- loading never runs code ------------------------------------------------------------------------

def test_loading_never_executes_code(tmp_path):
    marker = tmp_path / "pwned"
    payloads = [f"__import__('os').system('touch {marker}')", f"!!python/object/apply:os.system ['touch {marker}']",
                "{{ cycler.__init__.__globals__.os.popen('id') }}", f"$(touch {marker})"]
    text = ('[codebook]\nname = "evil"\n[topics.trade]\nlabel = "' + payloads[0].replace('"', "'")
            + '"\ndescription = """' + "\n".join(payloads[1:]) + '"""\n[topics.trade.en]\n'
            'phrases = ["trade"]\n')
    cb = load(tmp_path, text)
    assert cb.entry("trade").label == payloads[0]
    assert payloads[1] in cb.entry("trade").description
    analyze("The trade talks went well.", codebook=cb)
    assert not marker.exists()


# -- fuzzing: any TOML-like text and any table give a Codebook or a CodebookError -------------------

_fragments = st.sampled_from([
    "[topics.trade]", "[topics.trade.en]", "[frames.stability]", "[frames.stability.en]",
    '[actors."Xi"]', '[actors."Xi".en]', "[codebook]", 'label = "T"', 'phrases = ["trade"]',
    'phrases = [""]', "patterns = [[{NORM = 5}]]", 'patterns = [[{OP = "+"}]]',
    'patterns = [[{LOWER = "Trade"}]]', 'contextual = ["meet"]', 'context = ["leaders"]',
    "window = 99", "future = true", 'commitment = "visit"', 'names = ["Xi"]', 'side = "cn"',
    'titles = ["President"]', "[topics.Trade]", "[topics.x]", "x = 1", "[[topics]]", "= =", "[",
])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_fragments, st.text(max_size=20)), max_size=14).map("\n".join))
@example('[topics.trade]\nlabel = "T"\n[topics.trade.en]\nphrases = ["trade"]\n'
         'patterns = [[{NORM = {IN = [1]}}]]')
def test_any_toml_gives_a_codebook_or_a_codebook_error(text):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CodebookWarning)
        try:
            cb = Codebook.from_toml(text, source="fuzz.toml")
            analyze("The leaders discussed trade and stability; Xi said so.", codebook=cb)
        except CodebookError as exc:
            assert str(exc).startswith("fuzz.toml") and "\n" not in str(exc)


_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10)),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), inner,
                                            max_size=3)),
    max_leaves=10,
)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(["topics", "frames", "actors", "codebook", "x"]), _values,
                       max_size=4))
@example({"topics": {1: {"label": "T", "en": {"phrases": ["x"]}}}})
@example({"topics": {"trade": {"label": "T", "en": {"phrases": ["x"], 2: []}}}})
def test_any_table_gives_a_codebook_or_a_codebook_error(doc):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CodebookWarning)
        try:
            Codebook.from_dict(doc, source="dict")
        except CodebookError as exc:
            assert str(exc).startswith("dict: ")
