"""Reading readouts from files: the only module that touches the file system for input.

Formats, chosen by extension (and sniffed when the extension says nothing):

- ``.txt`` — plain text;
- ``.md`` / ``.markdown`` — optional YAML front matter (``date``, ``title``, ``source_url``, ...)
  becomes ``Readout.meta``, the body becomes the text;
- ``.html`` / ``.htm`` — the main text (``<article>`` or ``<main>`` when present), without
  scripts, styles, navigation, headers and footers;
- ``.json`` — an object with ``text`` and optional ``label``, ``lang``, ``date``, ``title``, ``source``,
  ``author``;
- ``.jsonl`` — one such object per line (:func:`load_readouts`).

Bytes are decoded as UTF-8, UTF-8/16/32 with a byte-order mark, or UTF-16 without one (detected
from its zero bytes, with a warning); invalid UTF-8 is replaced with U+FFFD and a warning. A file
is rejected with :class:`~readout_diff.errors.InputError` naming it when it is missing, empty,
binary, malformed, or larger than ``max_bytes`` (read no further than that, so a huge file cannot
exhaust memory).
"""

from __future__ import annotations

import codecs
import json
import os
import re
import warnings
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Iterator

from .errors import InputError, LimitError, ParameterError
from .model import Readout

__all__ = ["DEFAULT_MAX_BYTES", "ReadoutWarning", "decode_bytes", "load_readout", "load_readouts"]

#: Largest readout file read by default (2 MB: a long summit transcript is ~200 kB).
DEFAULT_MAX_BYTES = 2_000_000

READOUT_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl")


class ReadoutWarning(UserWarning):
    """A readout was read, but something in it was repaired (bad bytes, missing BOM)."""


def load_readout(
    path: str | os.PathLike[str],
    *,
    label: str | None = None,
    lang: str = "auto",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Readout:
    """Read one readout file; ``label`` defaults to the file stem (``cn.txt`` → ``"cn"``).

    >>> r = load_readout("corpora/en/2025-09-19_xi-trump-call/us.txt")  # doctest: +SKIP
    >>> r.label
    'us'
    """
    readouts = _read(Path(path), label=label, lang=lang, max_bytes=max_bytes)
    if len(readouts) != 1:
        raise InputError(path, f"holds {len(readouts)} readouts; load_readouts() reads several")
    return readouts[0]


def load_readouts(
    path: str | os.PathLike[str],
    *,
    lang: str = "auto",
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> list[Readout]:
    """Read every readout in a file: one for most formats, one per line for ``.jsonl``."""
    return _read(Path(path), label=None, lang=lang, max_bytes=max_bytes)


def _read(path: Path, *, label: str | None, lang: str, max_bytes: int) -> list[Readout]:
    if not isinstance(max_bytes, int) or max_bytes <= 0:
        raise ParameterError.invalid("max_bytes", "load_readout", "a positive int", max_bytes)
    text = decode_bytes(_read_bytes(path, max_bytes), path)
    suffix = path.suffix.lower()
    if suffix not in READOUT_SUFFIXES:
        suffix = _sniff(text)
    stem = label or path.stem
    if suffix in (".md", ".markdown"):
        meta, body = _split_front_matter(text, path)
        readouts = [_make(body, path, label=meta.pop("label", None) or stem, lang=lang, meta=meta)]
    elif suffix in (".html", ".htm"):
        meta, body = _html_text(text)
        readouts = [_make(body, path, label=stem, lang=lang, meta=meta)]
    elif suffix == ".json":
        readouts = [_from_json(_parse_json(text, path), path, stem, lang)]
    elif suffix == ".jsonl":
        readouts = [
            _from_json(_parse_json(line, path, lineno), path, f"{stem}:{lineno}", lang, lineno)
            for lineno, line in enumerate(text.splitlines(), 1)
            if line.strip()
        ]
        if not readouts:
            raise InputError(path, "no readouts (the file has no non-empty lines)")
    else:
        readouts = [_make(text, path, label=stem, lang=lang, meta={})]
    return readouts


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        if path.is_dir():
            raise InputError(path, "is a folder, not a readout file")
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)  # never more: a 10 GB file costs max_bytes of memory
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except InputError:
        raise
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise LimitError(path, f"is larger than the limit of {max_bytes:,} bytes (max_bytes)")
    return data


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_bytes(data: bytes, path: object = "<bytes>") -> str:
    """Decode a readout's bytes (see the module docstring); raise InputError for binary data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom):], encoding, path)
    if b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise InputError(path, "looks binary (it contains NUL bytes), not a text readout")
        warnings.warn(f"{path}: decoded as {encoding.upper()} without a byte-order mark",
                      ReadoutWarning, stacklevel=3)
        return _decode(data, encoding, path)
    return _decode(data, "utf-8", path)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text of a Latin-script readout has a zero in every other byte; binary does not."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    sample = sample[: len(sample) // 2 * 2]
    even_zeros = sample[0::2].count(0) / (len(sample) // 2)
    odd_zeros = sample[1::2].count(0) / (len(sample) // 2)
    if odd_zeros > 0.7 and even_zeros < 0.05:
        return "utf-16-le"
    if even_zeros > 0.7 and odd_zeros < 0.05:
        return "utf-16-be"
    return None


def _decode(data: bytes, encoding: str, path: object) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        warnings.warn(f"{path}: invalid {encoding.upper()} at byte {exc.start}; undecodable bytes "
                      "replaced with U+FFFD", ReadoutWarning, stacklevel=4)
        text = data.decode(encoding, errors="replace")
    if "\x00" in text:
        raise InputError(path, "looks binary (it contains NUL characters), not a text readout")
    # One newline convention, so offsets mean the same on every platform.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _sniff(text: str) -> str:
    head = text.lstrip()[:200].lower()
    if head.startswith("---"):
        return ".md"
    if head.startswith("{"):
        return ".json"
    if head.startswith("<") and ("<html" in head or "<!doctype" in head or "<body" in head
                                 or "<p" in head or "<article" in head):
        return ".html"
    return ".txt"


def _make(text: str, path: Path, *, label: Any, lang: Any, meta: dict[str, Any]) -> Readout:
    text = repair_strings(text)
    if not isinstance(text, str) or not text.strip():
        raise InputError(path, "has no text (it is empty or only white space and control "
                               "characters)")
    if not isinstance(lang, str):
        raise InputError(path, f"'lang' must be a string, got {lang!r}")
    return Readout(text=text, label=repair_strings(str(label)), lang=lang,
                   meta=repair_strings(meta), source=repair_strings(str(path)))


# Lone surrogates, and control characters other than tab and line breaks.
_UNWRITABLE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
# Either of the two: one search clears a clean string (nearly every one) instead of two.
_REPAIRABLE = re.compile("[\ud800-\udfff\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def repair_strings(value: Any) -> Any:
    """``value`` with its strings (keys and items too) repaired, one code point for one, so
    character offsets stay valid:

    - a lone surrogate becomes U+FFFD. Decoded bytes never hold one, but JSON and YAML escapes
      (``"\\ud800"``) and file names that are not UTF-8 do, and it cannot be written as UTF-8:
      the report would fail at the very end;
    - a control character (a bell, an escape, a stray C1 code from a scraper) becomes a space:
      it carries no text, and glued to a word it hides the word and its punctuation from the
      tokenizer ("fentanyl;\\x07" is no "fentanyl").

    >>> repair_strings({"title": "a\\ud800b\\x07c"}) == {"title": "a\\ufffdb c"}
    True
    """
    if isinstance(value, str):
        if _REPAIRABLE.search(value) is None:
            return value
        if _UNWRITABLE.search(value):
            value = _UNWRITABLE.sub("\ufffd", value)
        return _CONTROL.sub(" ", value) if _CONTROL.search(value) else value
    if isinstance(value, dict):
        return {repair_strings(k): repair_strings(v) for k, v in value.items()}
    if type(value) in (list, tuple):  # (not a named tuple: it is built otherwise)
        return type(value)(repair_strings(v) for v in value)
    return value


# -- Markdown front matter ---------------------------------------------------------------------

_FM_OPEN = re.compile(r"\A\ufeff?---[ \t]*\n")
_FM_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


def _split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], str]:
    opened = _FM_OPEN.match(text)
    if not opened:
        return {}, text
    closed = _FM_CLOSE.search(text, opened.end())
    if not closed:
        raise InputError(path, "front matter opened with '---' on line 1 never closes")
    import yaml  # only Markdown readouts with front matter need it

    block = text[opened.end():closed.start()]
    try:
        meta = yaml.load(block, Loader=_front_matter_loader()) if block.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" on line {mark.line + 2}" if mark is not None else ""
        problem = getattr(exc, "problem", None)
        raise InputError(path, f"front matter is not valid YAML{where}"
                               + (f": {problem}" if problem else "")) from None
    except (ValueError, TypeError, OverflowError) as exc:  # a constructor's: "date: 2025-13-45"
        raise InputError(path, f"front matter has an impossible value: {exc}") from None
    except RecursionError:
        raise InputError(path, "front matter is nested too deeply") from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise InputError(path, f"front matter must be a mapping of keys, got {type(meta).__name__}")
    return {str(k): v for k, v in meta.items()}, text[closed.end():].lstrip("\n")


@lru_cache(maxsize=1)
def _front_matter_loader() -> type:
    """PyYAML's safe loader without aliases.

    Front matter is a few keys of metadata; an alias (``*name``) there serves nobody, while ten
    lines of nested aliases expand to a billion items (the "billion laughs"), which would then
    be copied into every report. A document that uses one is rejected, naming its line.
    """
    import yaml

    class Loader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise yaml.composer.ComposerError(
                    None, None, f"the alias *{event.anchor} (aliases are not allowed)",
                    event.start_mark)
            return super().compose_node(parent, index)

    return Loader


# -- JSON ----------------------------------------------------------------------------------------

def _parse_json(text: str, path: Path, lineno: int | None = None) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        line = lineno if lineno is not None else exc.lineno
        raise InputError(path, f"invalid JSON on line {line}: {exc.msg}") from None
    except RecursionError:
        raise InputError(path, "JSON nested too deeply") from None


_JSON_META = ("date", "title", "source", "source_url", "event", "author")


def _from_json(obj: Any, path: Path, stem: str, lang: str, lineno: int | None = None) -> Readout:
    where = f" on line {lineno}" if lineno else ""
    if not isinstance(obj, dict):
        raise InputError(path, f"expected a JSON object with a 'text' key{where}, "
                               f"got {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str):
        raise InputError(path, f"the JSON object{where} has no 'text' string")
    meta = {k: obj[k] for k in _JSON_META if k in obj}
    obj_lang = obj.get("lang", lang) if lang == "auto" else lang
    return _make(text, path, label=obj.get("label") or stem, lang=obj_lang, meta=meta)


# -- HTML --------------------------------------------------------------------------------------

_SKIP = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
         "button", "iframe", "svg", "select", "head"}
_BLOCK = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "ul",
          "ol", "table", "tr", "blockquote", "pre", "figure", "figcaption", "dl", "dt", "dd"}
_VOID = {"br", "hr", "img", "meta", "link", "input", "wbr", "area", "base", "col", "source"}


class _TextExtractor(HTMLParser):
    """Collects visible text in blocks, separately for the whole page and for <article>/<main>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_depth = 0
        self.main_depth = 0
        self.all: list[str] = []
        self.main: list[str] = []
        self.title: list[str] = []
        self.in_title = False
        self.meta: dict[str, str] = {}

    def _emit(self, s: str) -> None:
        self.all.append(s)
        if self.main_depth:
            self.main.append(s)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":
            a = {k: v or "" for k, v in attrs}
            key = (a.get("name") or a.get("property") or "").lower()
            if key in ("date", "article:published_time", "dc.date", "citation_date"):
                self.meta.setdefault("date", a.get("content", ""))
            return
        if tag in _VOID:
            if tag in ("br", "hr"):
                self._emit("\n")
            return
        if tag == "title":
            self.in_title = True
        if tag in _SKIP:
            self.skip_depth += 1
        if tag in ("article", "main"):
            self.main_depth += 1
        if tag in _BLOCK:
            self._emit("\n\n")
        elif tag == "li":
            self._emit("\n- ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag in _SKIP and self.skip_depth:
            self.skip_depth -= 1
        if tag in _BLOCK or tag == "li":
            self._emit("\n\n" if tag in _BLOCK else "\n")
        if tag in ("article", "main") and self.main_depth:
            self.main_depth -= 1

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
            return
        if self.skip_depth:
            return
        self._emit(re.sub(r"\s+", " ", data))


def _html_text(html: str) -> tuple[dict[str, Any], str]:
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser is lenient; a failure here still must not escape raw
        pass
    chunks = parser.main if "".join(parser.main).strip() else parser.all
    text = "".join(chunks)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    meta: dict[str, Any] = dict(parser.meta)
    title = " ".join("".join(parser.title).split())
    if title:
        meta["title"] = title
    return meta, text


#: Files of an event folder that describe it and are not readouts (``meta.json``, ``gold.json``).
SIDECAR_NAMES = frozenset({"meta.json", "gold.json"})


def iter_readout_files(folder: Path) -> Iterator[Path]:
    """Readout files directly inside ``folder`` (not sub-folders, not sidecars), sorted by name."""
    for p in sorted(folder.iterdir()):
        if (p.is_file() and p.suffix.lower() in READOUT_SUFFIXES and not p.name.startswith(".")
                and p.name.lower() not in SIDECAR_NAMES):
            yield p
