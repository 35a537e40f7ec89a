"""Language detection for readouts: Chinese or English, from the script of the letters.

Words are counted in both scripts: a run of Latin letters is one word, and a Chinese word is
about one and a half Han characters. A readout is Chinese when its Chinese words are at least as
many as its Latin ones. So a Chinese readout that quotes "TikTok", "APEC" or "Donald J. Trump"
stays Chinese, an English one that quotes "一个中国" stays English, and a short mixed string
goes by what most of it is ("TikTok问题" is Chinese, "Xi said 我们" English). Japanese (kana
among the Han characters) is not Chinese. Anything else is treated as English, the language of
the shipped codebook's other rules. ``--lang en|zh`` (``lang=``) overrides the guess.
"""

from __future__ import annotations

import re

from .errors import ParameterError

__all__ = ["detect_language", "resolve_language"]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_SAMPLE = 20000  # characters looked at: enough for any readout's language


def detect_language(text: str) -> str:
    """Return ``"zh"`` or ``"en"`` for ``text``.

    >>> detect_language("习近平同特朗普通电话。"), detect_language("The leaders spoke.")
    ('zh', 'en')
    >>> detect_language("關於TikTok問題"), detect_language('They cited "一个中国" twice.')
    ('zh', 'en')
    """
    sample = text[:_SAMPLE]
    han = len(_HAN.findall(sample))
    if not han:
        return "en"
    if len(_KANA.findall(sample)) * 5 >= han:  # Japanese mixes kana into its kanji
        return "en"
    latin_words = len(_LATIN_WORD.findall(sample))
    return "zh" if 2 * han >= 3 * latin_words else "en"  # han / 1.5 Chinese words


def resolve_language(lang: str, text: str, *, func: str = "analyze") -> str:
    """``lang`` itself, or the detected language when it is ``"auto"``.

    Any language with a registered pipeline (:func:`readout_diff.nlp.register_language`) may be
    named; detection only tells Chinese from English.
    """
    if lang == "auto":
        return detect_language(text)
    from .nlp import languages  # the registry, not a list kept here as well

    known = languages()
    if lang not in known:
        raise ParameterError.invalid("lang", func,
                                     "'auto' or one of " + ", ".join(repr(x) for x in known), lang)
    return lang
