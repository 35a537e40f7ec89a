"""The shipped codebook covers the taxonomy; user codebooks are validated."""

import pytest

from readout_diff import Codebook, CodebookError, analyze
from readout_diff.codebook import FRAME_IDS, TOPIC_IDS, CodebookWarning


def test_default_codebook_has_every_taxonomy_id():
    cb = Codebook.default()
    assert set(cb.topic_ids) == set(TOPIC_IDS)
    assert set(cb.frame_ids) == set(FRAME_IDS)
    for e in cb.entries:
        assert e.label and "en" in e.rules


def test_user_codebook(tmp_path):
    p = tmp_path / "cb.toml"
    p.write_text('[topics.tiktok]\nlabel = "TikTok"\n[topics.tiktok.en]\nphrases = ["TikTok"]\n'
                 '[topics.semis]\nlabel = "Chips"\n[topics.semis.en]\nphrases = ["chip"]\n')
    with pytest.warns(CodebookWarning, match=r"\[topics.semis\]: id 'semis' is not in TAXONOMY"):
        cb = Codebook.load(p)
    a = analyze("TikTok and chips were discussed; trade too.", codebook=cb)
    assert set(a.topics) == {"tiktok", "semis"}


@pytest.mark.parametrize("toml,problem", [
    ('[topics.trade]\nlabel = "T"\n[topics.trade.en]\nphrases = ["x"]\nphrasez = ["y"]\n',
     r"\[topics.trade.en\]: unknown key\(s\) \['phrasez'\]"),
    ('[topics.trade]\nlabel = "T"\n[topics.trade.en]\nphrases = [""]\n', "empty phrase"),
    ('[topics.trade]\n[topics.trade.en]\nphrases = ["x"]\n', "needs a non-empty 'label'"),
    ('[topics.trade]\nlabel = "T"\n', "has no language table"),
    ('[topics.trade]\nlabel = "T"\n[topics.trade.en]\n', "can never match"),
    ('[topics.trade\nlabel = "T"\n', "invalid TOML"),
    ('[topics.trade]\nlabel = "T"\n[topics.trade]\nlabel = "U"\n', "invalid TOML"),
    ('[topics.trade]\nlabel = "T"\n[topics.trade.en]\npatterns = [[{FOO = "x"}]]\n',
     r"unknown token attribute\(s\) \['FOO'\]"),
])
def test_invalid_codebooks_name_file_entry_and_problem(tmp_path, toml, problem):
    p = tmp_path / "mine.toml"
    p.write_text(toml)
    with pytest.raises(CodebookError, match=problem) as err:
        Codebook.load(p)
    assert "mine.toml" in str(err.value)


def test_missing_codebook_file(tmp_path):
    with pytest.raises(CodebookError, match="no such codebook file"):
        Codebook.load(tmp_path / "none.toml")
