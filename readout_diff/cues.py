"""Closed-class cue words per language: negation, discussion, future and modality, reporting verbs.

These are grammar, not subject matter, so they live in code rather than in the user's codebook.
All English entries are *normalised* forms (lower case, American spelling, lemma — see
:mod:`readout_diff.nlp`), so "discussed", "Discusses" and "discussion" need one entry each at
most. A language registers one :class:`Cues` value; :mod:`readout_diff.extract` does the rest.

An entry may be several tokens long ("并未", "保持沟通" are several tokens when Chinese is cut into
characters): :mod:`readout_diff.extract` matches such entries as phrases. ``non_cues`` lists
phrases that contain a cue but are none ("未来" holds 未 and negates nothing; "不但" holds 但 and
breaks no clause): a cue inside one of them does not count. Chinese entries are in simplified
characters; traditional text matches them through its normalised form (:mod:`readout_diff.chinese`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

__all__ = ["CUES", "Cues"]


@dataclass(frozen=True)
class Cues:
    """The cue words of one language (all normalised)."""

    #: Words that negate a report of discussion: "did *not* discuss", "*nothing* was said".
    negation: frozenset[str]
    #: Predicates of discussing: a topic is negated only when a negation goes with one of these.
    discussion: frozenset[str]
    #: Words that end a clause inside a sentence (negation and future cues do not cross them).
    clause_breaks: frozenset[str]
    #: Future or modal cues before a hit, mapped to the commitment modality they express.
    modality: Mapping[str, str]
    #: Time expressions after a hit that make it future on their own ("early next year").
    time_after: frozenset[str]
    #: Verbs that credit a statement to the actor before them ("Xi *stressed*").
    reporting: frozenset[str]
    #: Pronouns that continue the previous sentence's speaker.
    pronouns: frozenset[str]
    #: Adjectives describing talks ("candid and constructive") and the nouns for talks: a
    #: sentence with both describes the talks, which the aligner links across readouts.
    descriptors: frozenset[str] = field(default_factory=frozenset)
    talk_nouns: frozenset[str] = field(default_factory=frozenset)
    #: Capitalised words that are not names (for specificity counts).
    generic_titles: frozenset[str] = field(default_factory=frozenset)
    #: Max distance, in tokens, between a negation and its discussion predicate.
    negation_window: int = 10
    #: Negations that are determiners of a noun ("*no* discussion of X"): their discussion
    #: predicate must be that noun, at most ``determiner_reach`` tokens on ("*no* further
    #: discussion"), so "X is *no* justification for raising Y" denies no discussion.
    negation_determiners: frozenset[str] = frozenset()
    determiner_reach: int = 2
    #: Max distance, in tokens, between a future cue and the hit it licenses.
    future_window: int = 10
    #: How the windows are measured: ``"token"`` (words) or ``"char"`` (characters, for languages
    #: written without spaces, so a window means the same whatever the segmenter).
    window_unit: str = "token"
    #: Max distance after a hit for a modal cue or time expression that makes it future.
    future_after_window: int = 6
    #: Max distance (tokens) from the end of an actor's name to the content word after it that
    #: must be a reporting verb for the actor to be credited ("Xi *stressed*", "Xi also *noted*").
    reporting_window: int = 3
    #: Words passed over between a speaker and the reporting verb ("Xi *also* stressed", "Wu
    #: Qian *later* said"); English adverbs in "-ly" are passed over too.
    before_reporting: frozenset[str] = frozenset()
    #: Words after a negation that make it "not only" rather than a negation.
    limiters: frozenset[str] = frozenset({"only", "just", "merely", "least"})
    #: Phrases that contain a cue word but are not cues (see the module docstring).
    non_cues: frozenset[str] = frozenset()
    #: Words that make a ``talks`` commitment a ``call``.
    call_words: frozenset[str] = frozenset({"call", "phone", "speak"})
    #: Words right before an actor that credit the sentence to them ("*according to* Xi").
    according: tuple[str, ...] = ("accord", "to")
    #: Names are capitalised (so capitalised words count as specifics); False for Chinese, where
    #: actors' names count instead.
    case_names: bool = True
    #: Words that bound the search for a ``context``/``block`` phrase of a contextual hit (in
    #: Chinese the comma separates clauses, and a leader named past it is not the visitor).
    context_breaks: frozenset[str] = frozenset()
    #: Words right before a future entry's hit that make it the present occasion ("*此次*会晤").
    occasion_before: frozenset[str] = frozenset()
    #: Words right after a future entry's hit that make it the occasion or a past event
    #: ("在巴厘岛会晤*时*", "会晤*期间*", "会晤*达成*的共识").
    occasion_after: frozenset[str] = frozenset()
    #: Max distance between an occasion word and the hit.
    occasion_window: int = 2
    #: Prepositions that make a denied future entry's hit the place of the denial, not what was
    #: denied: "Taiwan never came up *in* the economic talks" denies no talks.
    occasion_prepositions: frozenset[str] = frozenset()
    #: Prepositions that make a future entry's hit, after a possessive, the event where
    #: something else happened: "the consensus reached *at* their meeting in Busan" (not "in":
    #: "stay in contact").
    held_prepositions: frozenset[str] = frozenset()
    #: Words between a held preposition and its hit that make the hit a past event or the
    #: present one: "at *their* meeting in Busan", "during *this* visit" ("at *the* Summit" and
    #: "at their *next* meeting" may still lie ahead).
    occasion_determiners: frozenset[str] = frozenset()
    #: Words opening a condition or an open question: nobody speaks in "*if* the US side
    #: insists ...", and "declined to say *whether* X would meet Y" neither denies nor promises.
    conditions: frozenset[str] = frozenset()
    #: Relative pronouns: after a comma they open an aside ("Trade matters*, which* remain ...,
    #: were not discussed") in which nobody is the sentence's speaker.
    relatives: frozenset[str] = frozenset()
    #: Words opening a purpose: a realized frame after them is an aim ("*so that* it yields
    #: positive outcomes").
    purposes: frozenset[str] = frozenset()
    #: Words right after a meeting hit that name who meets: "the meeting *between* President
    #: Biden and President Xi" is theirs whoever mentions it.
    participants: frozenset[str] = frozenset()
    #: Past-tense verbs (irregular forms, and the regular ending): a hit that opens with one is
    #: not made future by a time word after it ("the two *met* at Woodside ... the future").
    past_forms: frozenset[str] = frozenset()
    past_suffix: str = ""


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


_EN_MODALITY = {
    **dict.fromkeys(["agree", "agreement", "consensus", "decide", "commit", "pledge", "vow"],
                    "agreed"),
    **dict.fromkeys(["will", "shall", "would", "plan", "schedule", "intend", "upcoming",
                     "forthcoming", "soon", "next", "future", "prepare", "arrange",
                     "expect"], "will"),
    **dict.fromkeys(["invite", "invitation"], "invited"),
    **dict.fromkeys(["propose", "proposal", "suggest", "should", "must", "need", "urge"],
                    "proposed"),
    **dict.fromkeys(["hope", "forward", "like", "ready", "want", "eager",
                     "desire", "look", "seek", "aim"], "hopes"),
}

CUES: dict[str, Cues] = {
    "en": Cues(
        negation=_words("not no never nothing neither nor none without nobody avoid decline "
                        "refuse fail absent omit lack"),
        negation_determiners=_words("no"),
        # ... and "-elect" / "-designate" after a title ("The Vice President*-elect* made clear")
        before_reporting=_words("also further again then once repeatedly both all has have had "
                                "would will firmly clearly strongly later - elect designate"),
        occasion_prepositions=_words("in at during throughout on"),
        held_prepositions=_words("at during throughout"),
        occasion_determiners=_words("their this that its his her our"),
        conditions=_words("if unless whether"),
        relatives=_words("which who whom"),
        purposes=frozenset({"so that", "in order"}),
        participants=_words("between"),
        past_forms=_words("met spoke held came went took gave made saw told"),  # and "-ed"
        past_suffix="ed",
        discussion=_words("discuss discussion raise mention address touch talk come bring agenda "
                          "cover feature broach tackle say comment focus topic subject table "
                          "include figure arise up reference refer")
        | {"get into", "go into", "delve into", "dwell on"},
        clause_breaks=_words("; : but while whereas although though however yet instead rather "
                             "— – meanwhile separately"),
        modality=_EN_MODALITY,
        time_after=_words("next coming later upcoming soon future appropriate near early "
                          "forthcoming will shall"),
        reporting=_words(
            "say stress note emphasize underscore underline point express welcome urge call "
            "reaffirm reiterate raise agree discuss hope invite add indicate state highlight "
            "explain affirm warn ask tell propose suggest convey share look thank congratulate "
            "recall praise condemn oppose support believe think insist demand request accept "
            "acknowledge recognize encourage commit pledge vow announce declare confirm outline "
            "describe elaborate review exchange voice reject deny criticize object assure promise "
            "respond reply observe remark comment wish want seek hail applaud appreciate value "
            "maintain expect reaffirmed agreed noted stressed said told underscored "
            "expressed welcomed urged pressed cite caution deplore lament regret write decline"
        ) | {"make clear", "make it clear", "set out", "lay out"},  # "X *made clear* that ..."
        pronouns=_words("he she"),
        descriptors=_words("candid constructive frank in-depth substantive pragmatic productive "
                           "fruitful positive direct tough open honest businesslike cordial "
                           "friendly wide-ranging extensive thorough detailed good great "
                           "useful respectful sincere deep"),
        talk_nouns=_words("talk talks discussion discussions conversation call exchange "
                          "exchanges meeting dialogue communication consultation "
                          "consultations negotiation negotiations"),
        generic_titles=_words(
            "president secretary minister premier vice general director advisor adviser "
            "ambassador chairman spokesperson state department government official leader "
            "side the a an in on at this that these both"
        ),
    ),
}

# Chinese: entries in simplified characters (traditional text matches through its NORM). With
# the character segmenter most entries are several tokens long and are matched as phrases.
_ZH_MODALITY = {
    **dict.fromkeys(["同意", "一致同意", "商定", "约定", "议定", "决定", "承诺", "达成一致",
                     "确定", "敲定"], "agreed"),
    **dict.fromkeys(["将", "即将", "将于", "计划", "安排", "准备", "拟", "预计", "预定", "定于",
                     "下一步", "今后", "未来", "后续", "适时", "尽快", "早日", "继续",
                     "保持", "进一步", "择期", "明年", "年内", "近期", "届时", "下次",
                     "下一轮", "新一轮", "晚些时候", "适当时候"], "will"),
    **dict.fromkeys(["邀请", "邀"], "invited"),
    **dict.fromkeys(["建议", "提议", "倡议", "应", "应当", "应该", "要", "必须", "需要", "敦促",
                     "呼吁", "主张"], "proposed"),
    **dict.fromkeys(["希望", "愿", "愿意", "期待", "期望", "欢迎", "乐见", "寻求", "致力于",
                     "有意", "盼", "盼望"], "hopes"),
}

CUES["zh"] = Cues(
    negation=_words("未 没有 没 不 无 并未 并没有 尚未 未曾 从未 亦未 也未 均未 既未 拒绝 回避 "
                    "避而不谈"),
    discussion=_words("讨论 谈及 涉及 提及 谈到 提到 提起 触及 论及 谈论 言及 议题 话题 议程 "
                      "未提 交换意见 交流 列入 置评 评论 商谈 磋商 谈判 会谈"),
    clause_breaks=_words("; : 但 但是 然而 不过 却 同时 此外 另外 另一方面"),
    modality=_ZH_MODALITY,
    time_after=_words("明年 年内 下月 下个月 近期 年底 年初 晚些时候 适当时候 适时 届时 不久"),
    reporting=_words(
        "指出 表示 强调 说 称 说道 介绍 同意 认为 希望 欢迎 感谢 祝贺 呼吁 敦促 要求 重申 提出 "
        "谈到 提到 谈及 回顾 宣布 承诺 赞赏 肯定 反对 阐述 阐明 期待 邀请 商定 确认 坚持 主张 "
        "警告 批评 谴责 讨论 交换 交流 沟通 表态 声称 接受 拒绝 提议 建议 注意到 称赞 "
        "回应 介绍了 一致认为 致力于 决定 明确 达成"
    ),
    pronouns=_words("他 她"),
    negation_window=16,
    future_window=30,
    window_unit="char",
    future_after_window=4,
    limiters=frozenset(),
    non_cues=_words(
        # 未 / 不 / 无 / 没 that negate no discussion
        "未来 不断 不仅 不仅仅 不但 不只 不光 不少 不同 不久 不可 不容 不懈 不移 不渝 不止 "
        "不失 不妨 不过 不论 不管 不利 不足 不满 不安 不稳定 不确定 不公 不公平 不对称 "
        "不正当 不必要 不合理 不扩散 不结盟 不冲突 不对抗 无论 无疑 无核 无核化 无可 无人机 "
        "无数 毫无疑问 没收 "
        # 将 / 应 / 要 / 拟 / 邀 that are no future or modality
        "将军 将领 将近 应对 回应 响应 相应 反应 应约 应邀 供应 适应 对应 效应 应用 应急 "
        "重要 主要 必要 首要 要素 纲要 要点 只要 模拟 虚拟 "
        # 但 / 却 that break no clause, 他 / 她 that are no pronoun, 说 / 称 that report nothing
        "但愿 冷却 其他 他国 他人 他们 她们 说明 据说 虽说 学说 称为 称号 对称 名称 号称"
    ),
    call_words=_words("电话 通话 视频"),
    according=("据",),
    case_names=False,
    context_breaks=_words(", ; :"),
    occasion_before=_words("此次 这次 本次 上次 此前 今天的 今日"),
    occasion_after=_words("时 期间 中 上 以来 达成 成果 共识 精神 后"),
    occasion_window=2,
)
