"""Chinese readouts: scripts, segmentation, cues, attribution and zh–en comparisons.

Every text here was written for these tests. The traditional-character readout follows the
manner of Beijing's account of the 19 September 2025 call (wartime alliance, 相互成就、共同繁榮,
平等、尊重和互惠, 穩定發展) in its own words; its simplified twin was written by hand, not
converted, so the test checks the library's conversion rather than trusting it.
"""

from __future__ import annotations

import json

import pytest

from readout_diff import analyze, compare
from readout_diff.chinese import chinese_norm, jieba_cache_dir, to_simplified
from readout_diff.codebook import FRAME_IDS, TOPIC_IDS, Codebook
from readout_diff.language import detect_language
from readout_diff.segment import split_sentences

TRADITIONAL = """習近平同美國總統特朗普通電話

新華社北京電 國家主席習近平應約同美國總統特朗普通電話。

習近平指出，八十年前，中美兩國是反法西斯戰爭中的盟友，兩國人民並肩作戰，結下了深厚情誼。歷史表明，中美完全可以相互成就、共同繁榮。

習近平強調，雙方應本著平等、尊重和互惠的精神處理經貿問題，推動兩國關係穩定發展。中方反對單邊加徵關稅。

特朗普表示，美方願同中方保持溝通。
"""

SIMPLIFIED = """习近平同美国总统特朗普通电话

新华社北京电 国家主席习近平应约同美国总统特朗普通电话。

习近平指出，八十年前，中美两国是反法西斯战争中的盟友，两国人民并肩作战，结下了深厚情谊。历史表明，中美完全可以相互成就、共同繁荣。

习近平强调，双方应本着平等、尊重和互惠的精神处理经贸问题，推动两国关系稳定发展。中方反对单边加征关税。

特朗普表示，美方愿同中方保持沟通。
"""

# A zh readout, our English rendering of it (same content, sentence by sentence), and a US one.
ZH = """习近平同美国总统拜登通电话

新华社北京电 国家主席习近平同美国总统拜登通电话。

习近平指出，中方坚决反对美方的单边关税，美方对中国企业的出口管制损害了双方利益。习近平强调，台湾问题是中美关系中最重要、最敏感的问题。

拜登表示，美方愿同中方加强禁毒合作，共同打击芬太尼走私。

双方同意继续保持沟通。双方没有讨论乌克兰问题。
"""

RENDERING = """Xi Jinping Holds Phone Call with US President Biden

BEIJING -- President Xi Jinping spoke by telephone with US President Joe Biden.

Xi Jinping pointed out that China firmly opposes the unilateral tariffs of the US side, and that US export controls on Chinese companies have harmed the interests of both sides. Xi stressed that the Taiwan question is the most important and most sensitive issue in China-US relations.

Biden said that the US side is willing to strengthen counternarcotics cooperation with China and to jointly combat fentanyl smuggling.

The two sides agreed to stay in touch. The two sides did not discuss Ukraine.
"""

US = """President Biden spoke with President Xi Jinping of the People's Republic of China. The two
leaders discussed fentanyl and tariffs. President Biden raised concerns about Russia's war against
Ukraine. The two leaders agreed to keep lines of communication open.
"""


# -- language ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, lang", [
    ("习近平同特朗普通电话。", "zh"),
    ("習近平指出", "zh"),
    ("TikTok问题", "zh"),
    ("美国总统Donald J. Trump与习近平通电话，讨论了APEC和G20。", "zh"),
    ("ＡＰＥＣ峰会", "zh"),
    ("The leaders discussed the \"一个中国\" principle and trade.", "en"),
    ("Xi said 我们", "en"),
    ("关于TikTok, APEC and G20 talks", "en"),
    ("こんにちは、日本の首相です。", "en"),
    ("", "en"),
    ("2025", "en"),
])
def test_detect_language_short_and_mixed(text, lang):
    assert detect_language(text) == lang


def test_language_is_recorded_and_can_be_forced():
    auto = analyze(SIMPLIFIED)
    assert auto.lang == "zh" and auto.to_dict()["lang"] == "zh"
    assert analyze(SIMPLIFIED, lang="en").lang == "en"
    c = compare(ZH, US)
    assert (c.a.lang, c.b.lang) == ("zh", "en")


def test_a_registered_language_can_be_named(monkeypatch):
    """The languages one may name are the pipeline registry's, not a list in language.py."""
    from readout_diff import nlp
    from readout_diff.errors import ParameterError
    from readout_diff.language import resolve_language

    with pytest.raises(ParameterError, match="'auto' or one of 'en', 'zh'"):
        resolve_language("xx", "text")
    monkeypatch.setitem(nlp._BUILDERS, "xx", nlp._BUILDERS["en"])
    assert resolve_language("xx", "text") == "xx"
    assert resolve_language("auto", "text") == "en"  # detection still tells zh from en only


# -- scripts, tokens, sentences ------------------------------------------------------------------

def test_traditional_to_simplified_keeps_length():
    assert to_simplified("穩定發展，關係") == "稳定发展，关系"
    assert len(to_simplified(TRADITIONAL)) == len(TRADITIONAL)


def test_norm_folds_script_width_case_and_quotes():
    assert chinese_norm("關稅") == chinese_norm("关税") == "关税"
    assert chinese_norm("ＡＰＥＣ") == "apec"
    assert chinese_norm("「台獨」") == chinese_norm("“台独”") == '"台独"'


def test_character_tokens_keep_latin_runs_and_numbers():
    from readout_diff.nlp import parse

    doc = parse("關於TikTok問題，2025年加徵3.5%關稅", "zh").doc
    assert [t.text for t in doc] == ["關", "於", "TikTok", "問", "題", "，", "2025", "年", "加",
                                    "徵", "3.5", "%", "關", "稅"]
    assert [t.norm_ for t in doc][:3] == ["关", "于", "tiktok"]


def test_sentences_end_at_chinese_punctuation_and_line_breaks():
    text = "标题没有句号\n他说：“我们同意。”然后离开！真的吗？一是合作；二是沟通"
    got = [text[s:e] for s, e in split_sentences(text, "zh")]
    assert got == ["标题没有句号", "他说：“我们同意。”", "然后离开！", "真的吗？", "一是合作；", "二是沟通"]


# -- topics, frames, negation, attribution -------------------------------------------------------

def test_traditional_readout_has_the_frames_of_beijings_account():
    a = analyze(TRADITIONAL)
    assert a.lang == "zh"
    assert {"shared_history", "shared_prosperity", "equality_respect", "stability"} <= set(a.frames)
    assert {"trade", "continued_talks"} <= set(a.topics)


def test_simplified_and_traditional_give_identical_results():
    t, s = analyze(TRADITIONAL), analyze(SIMPLIFIED)
    assert t.n_sentences == s.n_sentences
    for x, y in zip(t.sentences, s.sentences):
        assert (x.topics, x.frames, x.negated_topics, x.speaker) == \
            (y.topics, y.frames, y.negated_topics, y.speaker)
    assert dict(t.topics) == dict(s.topics) and dict(t.frames) == dict(s.frames)


@pytest.mark.parametrize("text, negated", [
    ("双方没有讨论乌克兰问题。", "ukraine"),
    ("双方并未就乌克兰问题进行讨论。", "ukraine"),  # the topic between negation and verb
    ("乌克兰问题未被讨论。", "ukraine"),  # the topic before the negation
    ("此次会谈不涉及出口管制。", "export_controls"),
    ("雙方並未提及台灣問題。", "taiwan"),  # traditional characters
    ("双方对芬太尼问题只字未提。", "fentanyl"),
])
def test_chinese_negation(text, negated):
    a = analyze(text)
    assert a.negated_topics == (negated,) and negated not in a.topics


def test_negation_is_clause_bound_and_not_fooled_by_look_alikes():
    a = analyze("双方讨论了经贸问题，但没有谈及乌克兰问题。")
    assert set(a.topics) == {"trade"} and a.negated_topics == ("ukraine",)
    for text in ("未来双方将继续就芬太尼问题开展合作。", "双方不断深化芬太尼问题上的交流。"):
        b = analyze(text)  # 未来 ("future") and 不断 ("constantly") negate nothing
        assert "fentanyl" in b.topics and not b.negated_topics


def test_attribution():
    a = analyze("习近平指出，双方应加强经贸合作。特朗普表示，美方重视这一关系。双方同意保持沟通。")
    assert [s.speaker for s in a.sentences] == ["Xi Jinping", "Donald Trump", "both sides"]


def test_paragraph_continues_its_speaker():
    text = ("习近平指出，中美应当相互尊重。中方愿同美方加强合作。美方应停止打压中国企业。\n\n"
            "中方希望美方提供非歧视的营商环境。")
    speakers = [s.speaker for s in analyze(text).sentences]
    # Sentences without a subject, and a side speaking inside Xi's paragraph, are Xi's;
    # a side opening its own paragraph speaks for itself.
    assert speakers == ["Xi Jinping", "Xi Jinping", "Xi Jinping", "Chinese side"]


def test_future_entries_need_a_cue_and_not_the_occasion():
    assert "leader_meeting" in analyze("两国元首同意明年在北京再次会晤。").topics
    assert "state_visit" in analyze("特朗普表示，他期待明年访华。").topics
    occasion = analyze("两国元首一致认为，此次会晤具有建设性。拜登愿重申在巴厘岛会晤时作出的承诺。")
    assert "leader_meeting" not in occasion.topics
    assert "state_visit" not in analyze("美国国务卿布林肯将适时访华。").topics  # an official's visit


# -- zh–en comparison ----------------------------------------------------------------------------

def test_zh_and_its_english_rendering_give_the_same_gaps():
    zh_en = compare(ZH, US, label_a="cn", label_b="us")
    en_en = compare(RENDERING, US, label_a="cn", label_b="us")
    assert zh_en.gaps == en_en.gaps
    g = zh_en.gaps
    assert {"fentanyl", "trade", "continued_talks"} <= set(g.shared)
    assert {"export_controls", "taiwan"} <= set(g.only_a)
    assert g.negated_a == ("ukraine",) and g.disputed == ("ukraine",)


def test_cross_language_alignment_pairs_sentences_by_content():
    from readout_diff.align import dense_scores, features_for, links_from_dense

    c = compare(ZH, US)
    links = {(link.a, link.b): link.relation for link in c.alignment.links}
    # 双方没有讨论乌克兰问题 ↔ "raised concerns about Russia's war against Ukraine"
    ukraine = [i for i, s in enumerate(c.a.sentences) if "ukraine" in s.negated_topics][0]
    assert links.get((ukraine, 2)) == "contradictory"
    # 双方同意继续保持沟通 ↔ "agreed to keep lines of communication open"
    talks = [i for i, s in enumerate(c.a.sentences) if s.topics == ("continued_talks",)][0]
    assert (talks, 3) in links
    fa, fb = features_for(c.a), features_for(c.b)
    rule = compare(ZH, US, linker=None).alignment
    assert links_from_dense(dense_scores(fa, fb), fa, fb) == rule  # the plain oracle


def test_cross_language_comparison_round_trips_through_json():
    from readout_diff.model import Comparison

    d = json.loads(compare(ZH, US).to_json())
    assert d["a"]["lang"] == "zh" and d["b"]["lang"] == "en"
    assert Comparison.from_dict(d).to_dict() == d


# -- codebook and cues ---------------------------------------------------------------------------

def test_default_codebook_has_zh_rules_for_every_id_and_actor():
    cb = Codebook.default()
    assert set(TOPIC_IDS) | set(FRAME_IDS) <= {e.id for e in cb.entries if "zh" in e.rules}
    assert all(a.names.get("zh") for a in cb.actors)


def test_zh_cue_entries_are_their_own_normal_form():
    """A cue written in traditional characters (or full-width) would silently never match."""
    from readout_diff.cues import CUES
    from readout_diff.nlp import get_pipeline

    cues = CUES["zh"]
    nlp = get_pipeline("zh")
    entries = (cues.negation | cues.discussion | cues.clause_breaks | cues.time_after
               | cues.reporting | cues.pronouns | cues.non_cues | set(cues.modality)
               | cues.context_breaks | cues.occasion_before | cues.occasion_after)
    for w in entries:
        assert "".join(t.norm_ for t in nlp.make_doc(w)) == w, w


# -- jieba and its cache --------------------------------------------------------------------------

def _no_writable_folder(monkeypatch, tmp_path):
    """Point every cache candidate below a regular file, where nobody (not even root) can write."""
    import tempfile

    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("READOUT_DIFF_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "xdg"))
    monkeypatch.setenv("HOME", str(blocker / "home"))
    monkeypatch.setattr(tempfile, "tempdir", str(blocker / "tmp"))


def test_jieba_without_a_writable_folder_runs_without_cache(monkeypatch, tmp_path):
    from readout_diff import chinese

    _no_writable_folder(monkeypatch, tmp_path)
    assert jieba_cache_dir() is None
    tk = chinese._init_jieba(jieba_cache_dir())
    assert "习近平" in list(tk.cut("习近平指出"))
    assert not any(tmp_path.rglob("*.cache"))


def test_jieba_read_only_temp_dir(monkeypatch, tmp_path):
    """A read-only (here: unusable) temp folder: the per-user cache folder is used instead."""
    import tempfile

    from readout_diff import chinese

    ro = tmp_path / "ro"
    ro.mkdir()
    (ro / "f").write_text("x")
    monkeypatch.setattr(tempfile, "tempdir", str(ro / "f"))  # gettempdir() → unusable
    monkeypatch.setenv("READOUT_DIFF_CACHE_DIR", str(tmp_path / "cache"))
    folder = jieba_cache_dir()
    assert folder == tmp_path / "cache"
    tk = chinese._init_jieba(folder)
    assert (folder / "jieba.cache").is_file()
    again = chinese._init_jieba(folder)  # the second worker loads the cache
    assert list(again.cut("相互成就")) == list(tk.cut("相互成就"))


def test_jieba_segmenter_pipeline(monkeypatch, tmp_path):
    """The jieba segmenter (READOUT_DIFF_ZH_SEGMENTER=jieba) reads traditional text too.

    The pipeline is built directly, so the process-wide ``zh`` pipeline stays as it is, and
    jieba's cache goes to a temporary folder.
    """
    from readout_diff import chinese
    from readout_diff.chinese import SEGMENTER_ENV
    from readout_diff.extract import extract
    from readout_diff.matching import CompiledCodebook
    from readout_diff.nlp import _BUILDERS, parsed_from_doc

    monkeypatch.setenv(SEGMENTER_ENV, "jieba")
    monkeypatch.setenv("READOUT_DIFF_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(chinese, "_JIEBA", None)
    nlp = _BUILDERS["zh"]()
    assert nlp.tokenizer.segmenter == "jieba"
    words = [t.text for t in nlp.make_doc("習近平指出，中美兩國")]
    assert words[:2] == ["習近平", "指出"]
    found = extract(parsed_from_doc(nlp(TRADITIONAL)),
                    CompiledCodebook(Codebook.default(), nlp, "zh"), "zh")
    frames = {m.id for ms in found.mentions for m in ms if m.kind == "frame"}
    assert {"shared_prosperity", "equality_respect", "stability"} <= frames


def test_unknown_segmenter_is_a_parameter_error(monkeypatch):
    from readout_diff.chinese import SEGMENTER_ENV, segmenter_name
    from readout_diff.errors import ParameterError

    monkeypatch.setenv(SEGMENTER_ENV, "pkuseg")
    with pytest.raises(ParameterError, match="READOUT_DIFF_ZH_SEGMENTER"):
        segmenter_name()


def test_specifics_count_the_numbers_of_a_chinese_readout():
    # Offsets of numbers are taken in the original text, as the tokens' are: with a line break
    # before them (so the tokenized copy differs) the flagged tokens must be the numbers.
    from readout_diff.extract import _number_tokens
    from readout_diff.nlp import parse

    p = parse("新华社北京\n\n  9月19日电 习近平指出，今年是抗战胜利80周年。", "zh")
    flagged = {p.text[int(p.token_idx[i]):p.token_end(i)] for i in _number_tokens(p).nonzero()[0]}
    assert flagged and all(any(ch.isdigit() for ch in t) for t in flagged)
