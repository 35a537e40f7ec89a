"""Diplomatic signals (readout_diff.signals, formulas, emphasis) on hand-made readouts."""

from __future__ import annotations

import warnings

import pytest

from readout_diff import analyze, compare, render
from readout_diff.codebook import Codebook
from readout_diff.emphasis import Background, emphasis, load_background
from readout_diff.errors import CodebookError, InputError
from readout_diff.formulas import FORMULA_IDS, Lexicon, LexiconWarning
from readout_diff.model import Analysis, Comparison
from readout_diff.signal_types import ReadoutSignals
from readout_diff.signals import count_words, voice_share


def sig(text: str) -> ReadoutSignals:
    s = analyze(text).signals
    assert s is not None
    return s


# -- the lexicon ---------------------------------------------------------------------------------

def test_shipped_lexicon_has_exactly_the_corpus_formula_ids():
    assert sorted(Lexicon.default().formula_ids) == sorted(FORMULA_IDS)
    assert set(Lexicon.default().languages()) >= {"en", "zh"}


def _lexicon(extra: str) -> Lexicon:
    return Lexicon.from_toml('[talks.en]\nnouns = ["call"]\n' + extra, source="t.toml")


@pytest.mark.parametrize("toml, message", [
    ('[formulas.one_china]\nlabel = "x"\ncolour = 1\n[formulas.one_china.variants.p]\n'
     'en = ["a"]', "unknown key"),
    ('[formulas.one_china]\nlabel = "x"\n[formulas.one_china.variants.p]\nen = ["--"]',
     "empty phrase"),
    ('[formulas.one_china]\nlabel = "x"', "no \\[.variants"),
    ('[formulas.one_china]\nlabel = "x"\n[formulas.one_china.variants.p.all]\nwindow = 0\n'
     'en = [["a"]]', "window"),
    ('[formulas.one_china]\nlabel = "x"\n[formulas.one_china.variants.p.all]\nen = ["a"]',
     "non-empty lists"),
    ('[initiative.en]\ntemplates = ["{actor} asked"]', "needs words before"),
    ('[formats]\norder = ["phone"]\n[formats.en]\nvideo = ["video"]', "not in \\[formats\\] order"),
    ('[formats.en]\nphone = ["phone"]\ngeneric = ["speak"]', "not cues of any format"),
    ('[descriptors.xx]\ncandid = ["candid"]', "needs \\[talks.xx\\] nouns"),
    ("[extra]\n", "unknown section"),
])
def test_invalid_lexicons_name_the_problem(toml, message):
    with pytest.raises(CodebookError, match=message) as err:
        _lexicon(toml)
    assert "t.toml" in str(err.value)


def test_unknown_formula_id_warns():
    with pytest.warns(LexiconWarning, match="new_formula"):
        _lexicon('[formulas.new_formula]\nlabel = "x"\n[formulas.new_formula.variants.v]\n'
                 'en = ["brand new phrase"]')


def test_custom_lexicon_is_used(tmp_path):
    path = tmp_path / "lex.toml"
    path.write_text('[talks.en]\nnouns = ["call"]\n[formulas.guardrails]\nlabel = "G"\n'
                    '[formulas.guardrails.variants.fence]\nen = ["picket fence"]\n',
                    encoding="utf-8")
    lex = Lexicon.load(path)
    a = analyze("They built a picket fence around the relationship.", lexicon=lex)
    assert a.signals.formulas["guardrails"].variants == ("fence",)
    with pytest.raises(CodebookError, match="no such lexicon"):
        Lexicon.load(tmp_path / "missing.toml")


# -- formulas ------------------------------------------------------------------------------------

def test_formula_variant_policy_or_principle():
    s = sig("Biden said the United States remains committed to its One China Policy.")
    assert s.formulas["one_china"].variants == ("policy",)
    s = sig("Xi urged the US to abide by the one-China principle.")
    assert s.formulas["one_china"].variant == "principle"


def test_formula_spans_point_into_the_text():
    text = "Xi urged the US to abide by the one-China principle and stop arms sales."
    a = analyze(text)
    (start, end), = a.signals.formulas["one_china"].spans
    assert text[start:end] == "one-China principle"
    assert a.signals.formulas["one_china"].sentences == (0,)


def test_quotes_and_inflection_do_not_hide_a_formula():
    s = sig('Biden said the US does not support "Taiwan independence".')
    assert s.formulas["taiwan_independence"].variants == ("does not support",)
    s = sig("China firmly opposes 'Taiwan independence' separatism.")
    assert s.formulas["taiwan_independence"].variants == ("opposes",)


def test_grouped_variant_needs_every_group_within_the_window():
    s = sig("The two sides should respect each other, coexist in peace and pursue win-win "
            "cooperation.")
    assert "three_principles" in s.formulas
    s = sig("The two sides should respect each other. They may coexist in peace one day. "
            "Win-win cooperation is good.")
    assert "three_principles" not in s.formulas  # spread over three sentences


def test_a_formula_word_alone_is_not_the_formula():
    s = sig("Taiwan independence forces were discussed. The relationship needs a new floor "
            "plan for the embassy.")
    assert "taiwan_independence" not in s.formulas
    assert "guardrails" not in s.formulas


def test_compare_reports_shared_only_and_altered_formulas():
    c = compare("Xi stressed the one-China principle. The sides agreed to keep open channels "
                "of communication. Xi said the US does not seek a new Cold War.",
                "Biden reaffirmed the one-China policy. Both sides will keep lines of "
                "communication open. They discussed guardrails for the relationship.")
    f = c.signals.formulas
    assert f.shared == ("open_channels",)
    assert f.only_a == ("no_new_cold_war",)
    assert f.only_b == ("guardrails",)
    assert f.altered == (("one_china", ("principle",), ("policy",)),)


# -- descriptors, initiator, format -----------------------------------------------------------------

def test_descriptors_chained_to_a_talk_noun():
    s = sig("The two heads of state had a candid, in-depth and constructive exchange of views "
            "on the relationship.")
    assert sorted(s.descriptors) == ["candid", "constructive", "in-depth"]
    s = sig("Xi said the meeting was frank and very productive.")
    assert sorted(s.descriptors) == ["frank", "productive"]


def test_descriptors_away_from_talks_or_wished_for_do_not_count():
    s = sig("China plays a constructive role in the region. Productive cooperation on climate "
            "is welcome.")
    assert s.descriptors == {}
    s = sig("Biden said the US is willing to have more candid communication with China.")
    assert s.descriptors == {}


def test_descriptors_of_the_atmosphere_count():
    s = sig("In a professional and rational atmosphere, the teams held talks.")
    assert sorted(s.descriptors) == ["professional", "rational"]


@pytest.mark.parametrize("text, side, actor", [
    ("President Xi Jinping spoke with President Biden on the phone at the request of the US "
     "side.", "us", "US side"),
    ("At the invitation of President Xi Jinping, Secretary Blinken visited Beijing.", "cn",
     "Xi Jinping"),
    ("Xi Jinping held a video call with US President Joe Biden at the request of the latter.",
     "us", "Joe Biden"),
    ("Biden spoke with Xi at the Chinese side's request.", "cn", "Chinese side"),
])
def test_initiator_is_the_side_of_the_actor_in_the_cue(text, side, actor):
    init = sig(text).initiator
    assert (init.side, init.actor) == (side, actor)
    assert init.text and init.text in " ".join(text.split())


def test_initiator_only_in_the_opening_sentences():
    text = ("Xi spoke with Biden. They discussed trade. They discussed fentanyl. "
            "Xi will visit at the invitation of President Biden.")
    assert sig(text).initiator is None


def test_format_video_beats_call_and_call_on_is_not_a_call():
    assert sig("Xi held a video call with Biden.").format.value == "video"
    assert sig("Xi spoke with Biden by telephone.").format.value == "phone"
    assert sig("Xi met Biden in Bali. He called on the US to act.").format.value == "in_person"
    assert sig("The two sides discussed trade.").format is None


# -- order and voice ---------------------------------------------------------------------------------

def test_topic_order_and_kendall_tau():
    c = compare("They discussed trade. They discussed Taiwan. They discussed fentanyl.",
                "They discussed fentanyl. They discussed Taiwan. They discussed trade.")
    o = c.signals.topic_order
    assert c.a.signals.topic_order == ("trade", "taiwan", "fentanyl")
    assert (o.first_a, o.first_b) == ("trade", "fentanyl")
    assert o.kendall_tau == pytest.approx(-1.0)
    same = compare("They discussed trade. They discussed Taiwan.",
                   "They discussed trade. Then they discussed Taiwan.")
    assert same.signals.topic_order.kendall_tau == pytest.approx(1.0)


def test_voice_share_counts_words_of_credited_sentences():
    from readout_diff.model import Sentence

    said = [("Xi stressed that Taiwan is a red line.", "Xi Jinping"),
            ("Biden said the US wants peace.", "Joe Biden"),
            ("The two sides agreed to talk again.", "both sides"),
            ("The weather was fine.", None)]
    a = Analysis("x", "en", tuple(Sentence(i, 0, 0, t, speaker=who)
                                  for i, (t, who) in enumerate(said)), {}, (), {})
    v = voice_share(a, codebook=Codebook.default())
    assert v.words == {"cn": 8, "us": 6, "both": 7}
    assert v.total == 25 and v.attributed == 21
    assert v.share["cn"] == pytest.approx(8 / 21)
    assert v.dominant == "cn"
    s = analyze("Xi stressed that Taiwan is a red line.\n\nBiden said the US wants peace.").signals
    assert s.voice.words == {"cn": 8, "us": 6}


def test_count_words_per_language():
    assert count_words("The US-China talks, held in Geneva.", "en") == 6
    assert count_words("中美经贸会谈在Geneva举行。", "zh") == 10


# -- emphasis ------------------------------------------------------------------------------------

def test_emphasis_without_background_says_so():
    c = compare("Trade. Trade again. More on trade. Tariffs too.", "Taiwan was raised.")
    e = c.signals.emphasis
    assert e.prior == "uninformative" and "no background" in e.note
    assert [t.term for t in e.topics][0] == "trade" and e.topics[-1].term == "taiwan"
    assert e.topics[0].z > 0 > e.topics[-1].z


def test_emphasis_with_background_and_significance():
    base = "The two sides discussed trade and tariffs. "
    a = analyze(base + "Fentanyl was raised. " * 6)
    b = analyze(base + "Taiwan came up. " * 6)
    bg = Background({"trade": 50, "fentanyl": 5, "taiwan": 5}, {}, 10, "bg")
    e = emphasis(a, b, background=bg)
    assert e.prior == "background" and e.background_documents == 10
    sig_terms = {t.term for t in e.significant_topics()}
    assert sig_terms == {"fentanyl", "taiwan"}
    assert "trade" not in sig_terms  # the same in both


def test_words_are_compared_within_one_language_only():
    from readout_diff.align import features_for

    a, b = analyze("Trade trade trade."), analyze("Taiwan.")
    fake_zh = Analysis(b.label, "zh", b.sentences, b.topics, (), {})
    e = emphasis(a, fake_zh, words_a={"trade": 3}, words_b={"taiwan": 1})
    assert e.words == () and "different languages" in e.note
    e = emphasis(a, b, words_a={"trade": 30}, words_b={"taiwan": 30})
    assert {w.term for w in e.words} == {"trade", "taiwan"}
    assert features_for(a).n == 1


def test_load_background_reads_a_folder(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "one.txt").write_text("The sides discussed trade and Taiwan.",
                                            encoding="utf-8")
    (tmp_path / "two.md").write_text("---\ntitle: t\n---\nFentanyl was raised.", encoding="utf-8")
    (tmp_path / "gold.json").write_text('{"sides": {}}', encoding="utf-8")  # not a readout
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    bg = load_background(tmp_path)
    assert bg.documents == 2
    assert bg.topics == {"trade": 1, "taiwan": 1, "fentanyl": 1}
    assert bg.words["en"]["trade"] == 1
    bg = load_background(tmp_path, exclude=(tmp_path / "two.md",))
    assert bg.documents == 1
    with pytest.raises(InputError, match="no readable"):
        load_background(tmp_path / "x", exclude=(tmp_path / "x" / "one.txt",))
    with pytest.raises(InputError, match="not a folder"):
        load_background(tmp_path / "two.md")


# -- JSON and reports ------------------------------------------------------------------------------

TEXT_A = ("At the request of the US side, President Xi Jinping spoke with President Biden by "
          "phone. The two heads of state had a candid and in-depth exchange of views. Xi "
          "stressed the one-China principle and said competition must not be the theme.")
TEXT_B = ("President Biden spoke with President Xi Jinping. It was a frank and constructive "
          "conversation. Biden reaffirmed the one-China policy and said both sides must manage "
          "competition responsibly. They discussed trade and fentanyl.")


def test_signals_round_trip_through_json():
    c = compare(TEXT_A, TEXT_B, label_a="cn", label_b="us")
    d = c.to_dict()
    assert {"formulas", "initiator", "format", "descriptors", "topic_order", "voice"} \
        <= set(d["a"]["signals"])
    assert {"formulas", "initiator", "format", "descriptors", "topic_order", "emphasis"} \
        <= set(d["signals"])
    back = Comparison.from_dict(d)
    assert back.to_dict() == d
    assert back.signals == c.signals
    assert back.a.signals == c.a.signals and back.b.signals == c.b.signals
    assert Analysis.from_dict(c.a.to_dict()).to_dict() == c.a.to_dict()


def test_old_json_without_signals_still_reads():
    d = compare(TEXT_A, TEXT_B).to_dict()
    del d["signals"], d["a"]["signals"], d["b"]["signals"]
    c = Comparison.from_dict(d)
    assert c.signals is None and c.a.signals is None
    assert "Signals" not in render(c, "text")


def test_reports_have_a_signals_section():
    c = compare(TEXT_A, TEXT_B, label_a="cn", label_b="us")
    text = render(c, "text")
    assert "Signals" in text and "Emphasis (evidence)" in text
    assert "one_china (cn: principle → us: policy)" in text
    assert 'cn: us ("At the request of the US side"' in text
    md = render(c, "markdown")
    assert "## Signals" in md and "## Emphasis (evidence)" in md
    assert "| format | phone | phone | agree |" in md
    a_text = render(c.a, "text")
    assert "signals:" in a_text and "initiator" in a_text
    assert "## Signals" in render(c.a, "markdown")


# -- Chinese -------------------------------------------------------------------------------------

@pytest.fixture
def zh_pipeline(monkeypatch):
    """The project's zh pipeline, or a stand-in seen only by the signal matcher: spaCy's
    character tokenizer with a traditional → simplified NORM (OpenCC). Nothing global changes."""
    from readout_diff import nlp, signals

    if "zh" in nlp.languages():
        return nlp.get_pipeline("zh")
    opencc = pytest.importorskip("opencc", reason="opencc (the stand-in's script converter)")
    import spacy

    converter = opencc.OpenCC("t2s")
    pipe = spacy.blank("zh")  # the character segmenter: no model, no jieba
    nlp._install_norms(pipe, lambda w: converter.convert(w.lower()))
    real = signals.get_pipeline
    monkeypatch.setattr(signals, "get_pipeline", lambda lang: pipe if lang == "zh" else real(lang))
    return pipe


def _zh_signals(pipe, text: str, codebook: Codebook) -> ReadoutSignals:
    from readout_diff.nlp import parsed_from_doc
    from readout_diff.segment import split_sentences
    from readout_diff.signals import readout_signals

    doc = pipe(text)
    doc.user_data["readout_diff.sentences"] = split_sentences(text, "zh")
    empty = Analysis("cn", "zh", (), {}, (), {})
    return readout_signals(parsed_from_doc(doc), empty, lang="zh", codebook=codebook)


def _codebook_with_zh_names() -> Codebook:
    return Codebook.from_toml(
        '[topics.trade]\nlabel = "Trade"\n[topics.trade.en]\nphrases = ["trade"]\n'
        '[actors."Donald Trump"]\nside = "us"\nrole = "leader"\n'
        '[actors."Donald Trump".zh]\nnames = ["特朗普"]\n'
        '[actors."Xi Jinping"]\nside = "cn"\nrole = "leader"\n'
        '[actors."Xi Jinping".zh]\nnames = ["习近平"]\n')


@pytest.mark.parametrize("text", [
    "国家主席习近平应约同美国总统特朗普通电话。双方进行了坦诚、深入、富有建设性的沟通。"
    "习近平强调，美方应恪守一个中国原则和中美三个联合公报。",
    "國家主席習近平應約同美國總統特朗普通電話。雙方進行了坦誠、深入、富有建設性的溝通。"
    "習近平強調，美方應恪守一個中國原則和中美三個聯合公報。",
])
def test_chinese_in_both_scripts(zh_pipeline, text):
    s = _zh_signals(zh_pipeline, text, _codebook_with_zh_names())
    assert s.formulas["one_china"].variants == ("principle",)
    assert "three_communiques" in s.formulas
    assert sorted(s.descriptors) == ["candid", "constructive", "in-depth"]
    assert (s.initiator.side, s.initiator.actor) == ("us", "Donald Trump")
    assert s.format.value == "phone"
    (start, end), = s.formulas["one_china"].spans
    assert text[start:end] in ("一个中国原则", "一個中國原則")


def test_chinese_wished_for_talks_and_format(zh_pipeline):
    s = _zh_signals(zh_pipeline, "两国元首举行视频会晤。美方愿同中方加强坦诚沟通。",
                    _codebook_with_zh_names())
    assert s.format.value == "video"
    assert s.descriptors == {}


def test_chinese_readouts_skipped_by_background_without_a_zh_pipeline(tmp_path):
    from readout_diff.nlp import languages

    if "zh" in languages():
        pytest.skip("a zh pipeline is registered: Chinese readouts are read, not skipped")
    (tmp_path / "cn.txt").write_text("国家主席习近平同美国总统通电话。", encoding="utf-8")
    (tmp_path / "us.txt").write_text("The leaders discussed trade.", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bg = load_background(tmp_path)
    assert bg.documents == 1 and set(bg.words) == {"en"}


@pytest.mark.parametrize("text, expected", [
    # a specific cue outranks a generic one in the same sentence, whatever the format order
    ("The two leaders will speak to reporters after the summit.", "in_person"),
    ("President Biden spoke today with President Xi by telephone.", "phone"),
    ("President Biden spoke today with President Xi.", "phone"),
    ("The leaders met by video link.", "video"),
    ("Xi met Biden in Woodside.", "in_person"),
])
def test_format_specific_cues_outrank_generic_ones(text, expected):
    assert analyze(text).signals.format.value == expected


@pytest.mark.parametrize("text", [
    "The US should stop sending military vessels that harm relations between the countries.",
    "They agreed to keep the hotline open and discussed the line of control.",
])
def test_set_phrases_need_their_own_words(text):
    assert analyze(text).signals.formulas == {}


@pytest.mark.parametrize("text, actor", [
    ("Liu He held a video call with Trade Representative Katherine Tai at her request.",
     "Katherine Tai"),
    ("Wang Yi spoke with Secretary of State Marco Rubio at the latter's request.", "Marco Rubio"),
    ("Biden spoke with Xi at Xi's request.", "Xi Jinping"),
])
def test_who_asked_with_a_possessive_or_a_reference(text, actor):
    """A possessive in the slot ("at her request") is the person named before the cue, as
    "the latter" is."""
    assert analyze(text).signals.initiator.actor == actor


def test_equality_respect_and_mutual_benefit_is_the_formula():
    found = analyze("The two sides should get along on the basis of equality, respect and "
                    "mutual benefit.").signals.formulas
    assert "mutual benefit" in found["equality_respect_reciprocity"].variants
