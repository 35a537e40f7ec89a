"""Chinese text for readout_diff: script normalisation, word segmentation, the jieba cache.

Beijing publishes its readouts in simplified characters, and Hong Kong, Macao and Taiwan outlets
reprint them in traditional ones. One codebook (written in simplified characters) serves both:

- **Traditional → simplified at the lexeme level.** Each vocabulary entry's ``NORM`` is its text
  after NFKC (full-width letters, digits and punctuation become their ASCII forms), OpenCC's
  ``t2s`` conversion (opencc-python-reimplemented, pure Python, no download) and lower case, with
  every kind of quotation mark (“ ” ‘ ’ 「 」 『 』) folded into ``"``. As in English, the
  conversion runs once per lexeme, when spaCy first creates it, and matching stays in spaCy's
  compiled ``PhraseMatcher``/``Matcher`` on ``NORM``.
- **Segmentation.** Two segmenters install from PyPI and work offline:

  ``char``  every Han character is a token; a run of Latin letters or digits ("TikTok", "APEC",
            "2025", "3.5") stays one token. A codebook phrase then matches wherever its
            characters occur in a row: it can never straddle a word boundary the segmenter drew
            differently in the phrase and in the text. (The default; ``docs/chinese.md`` and
            ``benchmarks/zh_segmentation.py`` give the numbers.)
  ``jieba`` jieba's dictionary-based word segmentation. The text is converted to simplified
            characters first (jieba's dictionary is simplified; it splits 習近平 into 習近/平) and
            the words are cut from the original text at the same offsets.

  ``READOUT_DIFF_ZH_SEGMENTER=jieba`` selects jieba for the ``zh`` pipeline.

**jieba's cache.** On first use jieba builds a prefix dictionary (about a second) and pickles it
to ``jieba.cache`` in the temp folder. A temp folder shared by parallel workers, other users or a
read-only file system makes that fragile (and loading a file another user could have written is
unsafe), so readout_diff gives jieba a per-user folder — ``$READOUT_DIFF_CACHE_DIR``, else
``$XDG_CACHE_HOME/readout_diff`` or ``~/.cache/readout_diff``, else ``<tmp>/readout_diff-<uid>`` —
the first one it can actually write to; with none, jieba runs without a cache. jieba writes the
cache through a temporary file and an atomic rename, so parallel workers sharing the folder are
safe.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .errors import ParameterError

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

__all__ = [
    "DEFAULT_SEGMENTER", "SEGMENTERS", "chinese_norm", "jieba_cache_dir", "jieba_tokenizer",
    "make_tokenizer", "segmenter_name", "to_simplified",
]

SEGMENTERS = ("char", "jieba")
#: Chosen on the zh corpus by benchmarks/zh_segmentation.py (see docs/chinese.md).
DEFAULT_SEGMENTER = "char"
SEGMENTER_ENV = "READOUT_DIFF_ZH_SEGMENTER"
CACHE_ENV = "READOUT_DIFF_CACHE_DIR"

_QUOTES = str.maketrans({c: '"' for c in "“”„‟‘’‚‛「」『』﹁﹂﹃﹄'"})
_LOCK = threading.Lock()


def segmenter_name(segmenter: str | None = None) -> str:
    """The segmenter to use: ``segmenter``, else ``$READOUT_DIFF_ZH_SEGMENTER``, else the default."""
    name = segmenter or os.environ.get(SEGMENTER_ENV) or DEFAULT_SEGMENTER
    if name not in SEGMENTERS:
        where = "segmenter" if segmenter else SEGMENTER_ENV
        raise ParameterError.invalid(where, "chinese.make_tokenizer", f"one of {SEGMENTERS}", name)
    return name


# -- script normalisation --------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _t2s() -> Callable[[str], str]:
    from opencc import OpenCC

    return OpenCC("t2s").convert


def to_simplified(text: str) -> str:
    """``text`` in simplified characters, with the same length (so offsets carry over).

    OpenCC converts phrase by phrase; the rare conversion that changes the length is redone
    character by character.

    >>> to_simplified("習近平指出，中美兩國應該相互尊重")
    '习近平指出，中美两国应该相互尊重'
    """
    convert = _t2s()
    out = convert(text)
    if len(out) == len(text):
        return out
    chars = [convert(ch) for ch in text]
    return "".join(c if len(c) == 1 else ch for c, ch in zip(chars, text))


def chinese_norm(word: str) -> str:
    """The ``NORM`` of one Chinese lexeme: NFKC, simplified characters, lower case, one quote.

    >>> chinese_norm("穩定發展"), chinese_norm("ＡＰＥＣ"), chinese_norm("「台獨」")
    ('稳定发展', 'apec', '"台独"')
    """
    w = unicodedata.normalize("NFKC", word)
    if any(ord(ch) > 0x2e7f for ch in w):  # only CJK needs the (slower) OpenCC look-up
        w = _t2s()(w)
    return w.lower().translate(_QUOTES)


# -- tokenizers ----------------------------------------------------------------------------------

_ALNUM = r"0-9A-Za-z\u00c0-\u024f\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
# A number with separators ("1,000", "3.5"), a Latin/digit run ("COVID-19", "G20", "U.S."),
# white space, or any other single character (one Han character is one token).
_CHAR_TOKEN = re.compile(
    rf"\d+(?:[.,]\d+)+|[{_ALNUM}]+(?:[.'’\-][{_ALNUM}]+)*\.?|\s+|.", re.S)


def _char_words(text: str) -> list[str]:
    return [m.group() for m in _CHAR_TOKEN.finditer(text) if not m.group().isspace()]


class _Tokenizer:
    """A spaCy tokenizer from a function that cuts a text into words (white space aside)."""

    def __init__(self, vocab: "Vocab", cut: Callable[[str], list[str]], name: str) -> None:
        self.vocab = vocab
        self.cut = cut
        self.segmenter = name

    def __call__(self, text: str) -> "Doc":
        from spacy.tokens import Doc
        from spacy.util import get_words_and_spaces

        words, spaces = get_words_and_spaces(self.cut(text), text)
        return Doc(self.vocab, words=words, spaces=spaces)

    def pipe(self, texts, batch_size: int = 1000):  # spaCy's tokenizer protocol
        for text in texts:
            yield self(text)


def make_tokenizer(vocab: "Vocab", segmenter: str | None = None) -> _Tokenizer:
    """A tokenizer for Chinese readouts with the given segmenter (see the module docstring)."""
    name = segmenter_name(segmenter)
    if name == "jieba":
        return _Tokenizer(vocab, _jieba_words, "jieba")
    return _Tokenizer(vocab, _char_words, "char")


def _jieba_words(text: str) -> list[str]:
    simple = to_simplified(text)
    words, pos = [], 0
    for w in jieba_tokenizer().cut(simple, cut_all=False):
        if w and not w.isspace():
            words.append(text[pos:pos + len(w)])
        pos += len(w)
    return words


# -- jieba and its cache -------------------------------------------------------------------------

def _writable(folder: Path) -> bool:
    """Whether files can really be created in ``folder`` (``os.access`` says yes to root)."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, probe = tempfile.mkstemp(dir=folder, prefix=".probe-")
        os.close(fd)
        os.unlink(probe)
        return True
    except OSError:
        return False


def jieba_cache_dir() -> Path | None:
    """The per-user folder for jieba's cache, or ``None`` when no candidate is writable."""
    candidates = []
    if os.environ.get(CACHE_ENV):
        candidates.append(Path(os.environ[CACHE_ENV]))
    if os.environ.get("XDG_CACHE_HOME"):
        candidates.append(Path(os.environ["XDG_CACHE_HOME"]) / "readout_diff")
    home = os.environ.get("HOME")
    if home:
        candidates.append(Path(home) / ".cache" / "readout_diff")
    uid = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    candidates.append(Path(tempfile.gettempdir()) / f"readout_diff-{uid}")
    for folder in candidates:
        if _writable(folder):
            return folder
    return None


_JIEBA = None


def jieba_tokenizer():
    """readout_diff's own ``jieba.Tokenizer``, initialised once per process (thread-safe).

    It is a separate instance from ``jieba.dt``, so a user's own jieba settings are untouched.
    """
    global _JIEBA
    if _JIEBA is not None:
        return _JIEBA
    with _LOCK:
        if _JIEBA is None:
            _JIEBA = _init_jieba(jieba_cache_dir())
    return _JIEBA


def _init_jieba(cache_dir: Path | None):
    import jieba

    tk = jieba.Tokenizer()
    logger = jieba.default_logger
    level = logger.level
    logger.setLevel(logging.WARNING)  # jieba logs its progress at DEBUG to stderr
    try:
        if cache_dir is not None:
            tk.tmp_dir = str(cache_dir)
            try:
                tk.initialize()
                return tk
            except OSError:
                pass  # the folder went away or turned read-only since we checked: no cache
        # No cache: build the prefix dictionary in memory, as jieba does before dumping it.
        with tk.get_dict_file() as f:
            tk.FREQ, tk.total = tk.gen_pfdict(f)
        tk.initialized = True
        return tk
    finally:
        logger.setLevel(level)
