"""Language detection for readouts: Chinese or English, from the script of the letters.

A readout is Chinese when Han characters make up at least a quarter of its letters (a Chinese
readout quotes Latin names and numbers; an English one may quote a Chinese phrase). Anything
else is treated as English, the language of the shipped codebook's other rules.
"""

from __future__ import annotations

import re

from .errors import ParameterError

__all__ = ["detect_language", "resolve_language"]

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def detect_language(text: str) -> str:
    """Return ``"zh"`` or ``"en"`` for ``text``.

    >>> detect_language("习近平同特朗普通电话。"), detect_language("The leaders spoke.")
    ('zh', 'en')
    """
    sample = text[:20000]
    han = len(_HAN.findall(sample))
    latin = len(_LATIN.findall(sample))
    # One Han character carries about as much as a short Latin word: weigh it as 3 letters.
    return "zh" if han * 3 >= 0.25 * (han * 3 + latin) and han else "en"


def resolve_language(lang: str, text: str, *, func: str = "analyze") -> str:
    """``lang`` itself, or the detected language when it is ``"auto"``."""
    if lang == "auto":
        return detect_language(text)
    if lang not in ("en", "zh"):
        raise ParameterError.invalid("lang", func, "'auto', 'en' or 'zh'", lang)
    return lang
