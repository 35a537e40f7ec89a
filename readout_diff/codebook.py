"""Loading and validating codebooks: the TOML files that say what each topic and frame looks like.

A codebook is data, never code: it is parsed with :mod:`tomllib` and every key is checked against
the schema below, so a typo is an error that names the file, the entry and the key rather than a
rule that silently never fires. The shipped US–China codebook is
``readout_diff/codebooks/default.toml``; README.md ("Codebook format") documents the schema.

Schema (per entry ``[topics.<id>]`` or ``[frames.<id>]``)::

    label = "Trade and tariffs"        # required
    description = "..."                # optional
    future = false                     # hits need a future/modal cue (meetings, visits, talks)
    realized = false                   # hits under a will/hope/proposal cue do not count
    commitment = "meeting"             # with future: the kind of commitment a hit records
    [topics.<id>.<lang>]               # rules for one language ("en", "zh", ...)
    phrases = [...]                    # matched on normalised words
    forward = [...]                    # future entries: phrases that look ahead by themselves
    contextual = [...]                 # need a `context` phrase within `window` words ...
    context = [...]                    # ... and no `block` phrase nearer than it
    block = [...]
    window = 8
    patterns = [[{NORM = "export"}, ...], ...]   # spaCy Matcher token patterns
    exclude = [...]                    # hits inside these phrases do not count

Actors (``[actors."<name>"]``): ``side`` (``cn``/``us``/``both``/any label), ``role``
(``leader``/``official``/``side``), ``titles``, and per language ``names``.
"""

from __future__ import annotations

import re
import tomllib
import warnings
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

from .errors import CodebookError

__all__ = ["FRAME_IDS", "TOPIC_IDS", "Actor", "Codebook", "CodebookWarning", "Entry", "LangRules"]

#: The ids of ../shared/TAXONOMY.md. A codebook may add others (with a warning), never rename.
TOPIC_IDS = (
    "trade", "agriculture", "fentanyl", "export_controls", "investment", "tiktok", "rare_earths",
    "taiwan", "maritime", "ukraine", "middle_east", "korean_peninsula", "military_channels",
    "nuclear_ai_security", "climate", "public_health", "human_rights", "people_to_people",
    "detained_citizens", "macro_finance", "law_enforcement", "leader_meeting", "state_visit",
    "continued_talks",
)
FRAME_IDS = (
    "equality_respect", "shared_history", "stability", "core_interests", "grievance",
    "shared_prosperity", "deliverables", "competition",
)
COMMITMENT_KINDS = ("meeting", "visit", "call", "talks")

_ENTRY_KEYS = {"label", "description", "future", "realized", "commitment"}
_RULE_KEYS = {"phrases", "forward", "contextual", "context", "block", "window", "patterns",
              "exclude"}
_ACTOR_KEYS = {"side", "role", "titles"}
_ACTOR_LANG_KEYS = {"names"}
_TOP_KEYS = {"codebook", "topics", "frames", "actors"}
_PATTERN_ATTRS = {"NORM", "LOWER", "ORTH", "TEXT", "IS_DIGIT", "IS_PUNCT", "LIKE_NUM", "OP",
                  "IS_TITLE", "IS_UPPER", "IS_ALPHA", "SHAPE", "LENGTH", "IS_SENT_START"}


class CodebookWarning(UserWarning):
    """A codebook loads, but something in it is suspicious (an id not in TAXONOMY.md)."""


@dataclass(frozen=True)
class LangRules:
    """The matching rules of one entry for one language."""

    phrases: tuple[str, ...] = ()
    forward: tuple[str, ...] = ()  # future entries: phrases that need no future cue
    contextual: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    block: tuple[str, ...] = ()
    window: int = 8
    patterns: tuple[tuple[Mapping[str, Any], ...], ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entry:
    """One topic or frame: its id, label and per-language rules."""

    id: str
    kind: str  # "topic" | "frame"
    label: str
    description: str = ""
    future: bool = False
    realized: bool = False  # hits under a will/hope/proposal cue, or denied, do not count
    commitment: str | None = None
    rules: Mapping[str, LangRules] = field(default_factory=dict)


@dataclass(frozen=True)
class Actor:
    """A person or side a statement can be credited to."""

    name: str
    side: str
    role: str
    titles: tuple[str, ...] = ()
    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class Codebook:
    """A validated codebook. Compare by identity; compiled matchers are cached on the instance.

    >>> cb = Codebook.default()
    >>> "trade" in cb.topic_ids and "stability" in cb.frame_ids
    True
    """

    name: str
    version: str
    topics: tuple[Entry, ...]
    frames: tuple[Entry, ...]
    actors: tuple[Actor, ...]
    source: str = "<codebook>"
    _compiled: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def topic_ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.topics)

    @property
    def frame_ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.frames)

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self.topics + self.frames

    def entry(self, id: str) -> Entry:
        for e in self.entries:
            if e.id == id:
                return e
        raise KeyError(id)

    def languages(self) -> tuple[str, ...]:
        langs = {lang for e in self.entries for lang in e.rules}
        return tuple(sorted(langs))

    @classmethod
    def default(cls) -> "Codebook":
        """The shipped US–China codebook (loaded once per process)."""
        return _default()

    @classmethod
    def load(cls, path: str | Path) -> "Codebook":
        """Load and validate a codebook file; raise CodebookError naming file, entry and problem."""
        return cls.from_toml(read_data_file(path, "codebook"), source=str(path))

    @classmethod
    def from_toml(cls, data: bytes | str, *, source: str = "<codebook>") -> "Codebook":
        doc = parse_toml(data, source)  # checks that bytes decode, so decoding cannot fail here
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        return _Validator(source, _Lines(text)).codebook(doc)

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any], *, source: str = "<codebook>") -> "Codebook":
        return _Validator(source).codebook(doc)


def read_data_file(path: str | Path, kind: str) -> bytes:
    """The bytes of a codebook-like data file; CodebookError naming it when it cannot be read."""
    path = Path(path)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CodebookError(f"{path}: no such {kind} file") from None
    except OSError as exc:
        raise CodebookError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def parse_toml(data: bytes | str, source: str) -> dict[str, Any]:
    """A TOML document (UTF-8, BOM allowed); CodebookError naming ``source`` when it is not."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise CodebookError(f"{source}:{line}: not UTF-8 text (byte {exc.start})") from None
    try:
        return tomllib.loads(data)
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message carries "(at line N, column M)"; duplicate ids land here too.
        raise CodebookError(f"{source}: invalid TOML: {exc}") from None


@lru_cache(maxsize=1)
def _default() -> Codebook:
    ref = resources.files("readout_diff") / "codebooks" / "default.toml"
    return Codebook.from_toml(ref.read_bytes(), source="readout_diff/codebooks/default.toml")


class _Validator:
    """Turns a parsed TOML document into a Codebook, with one error form for every problem."""

    def __init__(self, source: str, lines: "_Lines | None" = None) -> None:
        self.source = source
        self.lines = lines

    def at(self, where: str, key: str | None = None) -> str:
        """``source`` with the line of ``where`` (or of its ``key``) when the TOML text is known."""
        line = self.lines.find(where, key) if self.lines else None
        return f"{self.source}:{line}" if line else self.source

    def fail(self, where: str, problem: str, key: str | None = None) -> CodebookError:
        return CodebookError(f"{self.at(where, key)}: {where}: {problem}")

    def codebook(self, doc: Mapping[str, Any]) -> Codebook:
        self.string_keys(self.table(doc, "top level"), ())
        unknown = set(doc) - _TOP_KEYS
        if unknown:
            raise self.fail("top level", f"unknown section(s) {sorted(unknown)}; "
                                         f"expected {sorted(_TOP_KEYS)}")
        meta = self.table(doc.get("codebook", {}), "[codebook]")
        topics = self.entries(doc.get("topics", {}), "topic", TOPIC_IDS)
        frames = self.entries(doc.get("frames", {}), "frame", FRAME_IDS)
        if not topics and not frames:
            raise self.fail("top level", "defines no [topics.*] or [frames.*] entries")
        self.unique(topics + frames)
        actors = self.actors(doc.get("actors", {}))
        return Codebook(
            name=str(meta.get("name", Path(self.source).stem)),
            version=str(meta.get("version", "")),
            topics=topics, frames=frames, actors=actors, source=self.source,
        )

    def string_keys(self, value: Any, path: tuple[str, ...]) -> None:
        """Every key is a string (TOML's are; a dict given to from_dict may hold others)."""
        items = value.items() if isinstance(value, Mapping) else enumerate(value) \
            if isinstance(value, list) else ()
        for k, v in items:
            if isinstance(value, Mapping) and not isinstance(k, str):
                where = f"[{'.'.join(path)}]" if path else "top level"
                raise self.fail(where, f"key {k!r} must be a string")
            self.string_keys(v, path + (str(k),) if isinstance(value, Mapping) else path)

    def table(self, value: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(where, f"must be a table, got {type(value).__name__}")
        return value

    def entries(self, section: Any, kind: str, known: tuple[str, ...]) -> tuple[Entry, ...]:
        plural = kind + "s"
        out = []
        for id_, body in self.table(section, f"[{plural}]").items():
            where = f"[{plural}.{_quoted(id_)}]"
            body = self.table(body, where)
            if not _ID.fullmatch(id_):
                raise self.fail(where, f"id {id_!r} must be letters, digits, '_' or '-' "
                                       "(it names the entry in every result)")
            if id_ not in known:
                warnings.warn(f"{self.at(where)}: {where}: id {id_!r} is not in TAXONOMY.md; "
                              "results will carry it, but evaluations keyed on the taxonomy "
                              "will not know it", CodebookWarning, stacklevel=4)
            scalar = {k: v for k, v in body.items() if not isinstance(v, Mapping)}
            langs = {k: v for k, v in body.items() if isinstance(v, Mapping)}
            unknown = set(scalar) - _ENTRY_KEYS
            if unknown:
                raise self.fail(where, f"unknown key(s) {sorted(unknown)}; expected "
                                       f"{sorted(_ENTRY_KEYS)} or a language table such as [.en]",
                                key=sorted(unknown)[0])
            label = scalar.get("label")
            if not isinstance(label, str) or not label.strip():
                raise self.fail(where, "needs a non-empty 'label' string")
            future = scalar.get("future", False)
            realized = scalar.get("realized", False)
            for key, value in (("future", future), ("realized", realized)):
                if not isinstance(value, bool):
                    raise self.fail(where, f"'{key}' must be true or false, got {value!r}")
            if future and realized:
                raise self.fail(where, "'future' and 'realized' exclude each other")
            commitment = scalar.get("commitment")
            if commitment is not None and commitment not in COMMITMENT_KINDS:
                raise self.fail(where, f"'commitment' must be one of {COMMITMENT_KINDS}, "
                                       f"got {commitment!r}")
            if not langs:
                raise self.fail(where, "has no language table (e.g. [" + f"{plural}.{id_}.en])")
            rules = {lang: self.rules(rule, f"[{plural}.{_quoted(id_)}.{_quoted(lang)}]")
                     for lang, rule in sorted(langs.items())}
            out.append(Entry(id=id_, kind=kind, label=label.strip(),
                             description=str(scalar.get("description", "")), future=future,
                             realized=realized,
                             commitment=commitment, rules=rules))
        return tuple(out)

    def unique(self, entries: tuple[Entry, ...]) -> None:
        """Ids are unique across topics and frames, also ignoring case ("Trade" and "trade")."""
        seen: dict[str, Entry] = {}
        for e in entries:
            first = seen.setdefault(e.id.casefold(), e)
            if first is not e:
                where = f"[{e.kind}s.{_quoted(e.id)}]"
                before = f"[{first.kind}s.{_quoted(first.id)}]"
                line = self.lines.find(before) if self.lines else None
                raise self.fail(where, f"id {e.id!r} is already used by {before}"
                                       + (f" on line {line}" if line else "")
                                       + "; ids must be unique (case is ignored)")

    def strings(self, value: Any, where: str, key: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(where, f"'{key}' must be a list of strings, got {type(value).__name__}",
                            key=key)
        for i, x in enumerate(value):
            if not isinstance(x, str):
                raise self.fail(where, f"'{key}' must be a list of strings; item {i} is {x!r}",
                                key=key)
            if not x.strip():
                raise self.fail(where, f"'{key}' has an empty phrase {x!r} that can never match",
                                key=key)
            if not any(ch.isalnum() for ch in x):
                raise self.fail(where, f"'{key}' has a phrase {x!r} with no letter or digit: "
                                       "punctuation alone names no topic", key=key)
        return tuple(x.strip() for x in value)

    def rules(self, body: Mapping[str, Any], where: str) -> LangRules:
        unknown = set(body) - _RULE_KEYS
        if unknown:
            raise self.fail(where, f"unknown key(s) {sorted(unknown)}; expected {sorted(_RULE_KEYS)}",
                            key=sorted(unknown)[0])
        rules = LangRules(
            phrases=self.strings(body.get("phrases"), where, "phrases"),
            forward=self.strings(body.get("forward"), where, "forward"),
            contextual=self.strings(body.get("contextual"), where, "contextual"),
            context=self.strings(body.get("context"), where, "context"),
            block=self.strings(body.get("block"), where, "block"),
            window=self.window(body.get("window", 8), where),
            patterns=self.patterns(body.get("patterns"), where),
            exclude=self.strings(body.get("exclude"), where, "exclude"),
        )
        if not (rules.phrases or rules.forward or rules.contextual or rules.patterns):
            raise self.fail(where, "has no 'phrases', 'contextual' or 'patterns': it can never match")
        if rules.contextual and not rules.context:
            raise self.fail(where, "has 'contextual' phrases but no 'context' to license them")
        return rules

    def window(self, value: Any, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 50:
            raise self.fail(where, f"'window' must be a whole number from 1 to 50, got {value!r}",
                            key="window")
        return value

    def patterns(self, value: Any, where: str) -> tuple[tuple[Mapping[str, Any], ...], ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(where, "'patterns' must be a list of token patterns", key="patterns")
        out = []
        for i, pattern in enumerate(value):
            at = f"{where} patterns[{i}]"
            if not isinstance(pattern, list) or not pattern:
                raise self.fail(at, "a token pattern must be a non-empty list of token tables",
                                key="patterns")
            for tok in pattern:
                if not isinstance(tok, Mapping) or not tok:
                    raise self.fail(at, "each token must be a non-empty table such as {NORM = \"x\"}",
                                    key="patterns")
                bad = set(tok) - _PATTERN_ATTRS
                if bad:
                    raise self.fail(at, f"unknown token attribute(s) {sorted(bad)}; "
                                        f"expected some of {sorted(_PATTERN_ATTRS)}", key="patterns")
                for attr, problem in _never_matching(tok):
                    raise self.fail(at, f"{attr} {problem}: the pattern can never match",
                                    key="patterns")
            if all(set(tok) == {"OP"} for tok in pattern):
                raise self.fail(at, "has only wildcard tokens: it would match anything",
                                key="patterns")
            out.append(tuple(dict(tok) for tok in pattern))
        return tuple(out)

    def actors(self, section: Any) -> tuple[Actor, ...]:
        out = []
        for name, body in self.table(section, "[actors]").items():
            where = f'[actors."{name}"]'
            body = self.table(body, where)
            scalar = {k: v for k, v in body.items() if not isinstance(v, Mapping)}
            langs = {k: v for k, v in body.items() if isinstance(v, Mapping)}
            unknown = set(scalar) - _ACTOR_KEYS
            if unknown:
                raise self.fail(where, f"unknown key(s) {sorted(unknown)}; expected {sorted(_ACTOR_KEYS)}",
                                key=sorted(unknown)[0])
            names = {}
            for lang, t in sorted(langs.items()):
                bad = set(t) - _ACTOR_LANG_KEYS
                lang_where = f'[actors."{name}".{_quoted(lang)}]'
                if bad:
                    raise self.fail(lang_where, f"unknown key(s) {sorted(bad)}; expected ['names']",
                                    key=sorted(bad)[0])
                names[lang] = self.strings(t.get("names"), lang_where, "names")
            out.append(Actor(name=name, side=str(scalar.get("side", "")),
                             role=str(scalar.get("role", "official")),
                             titles=self.strings(scalar.get("titles"), where, "titles"),
                             names=names))
        return tuple(out)


_ID = re.compile(r"[\w-]+")
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# Token attributes matched against a token's text (one token: never empty, no white space).
_TEXT_ATTRS = {"NORM", "LOWER", "ORTH", "TEXT"}


def _quoted(key: str) -> str:
    """A TOML key as written in a table header: bare when it can be, quoted otherwise."""
    return key if _BARE_KEY.fullmatch(key) else '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _never_matching(token: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Values of a token table that no token can have: ``NORM = ""``, ``LOWER = "Trade"``,
    ``NORM = "trade deal"`` (two words in one token). spaCy accepts them and never matches."""
    found = []
    for attr in sorted(_TEXT_ATTRS & set(token)):
        value = token[attr]
        values = value.get("IN", []) if isinstance(value, Mapping) else [value]
        for v in values if isinstance(values, list) else []:
            if not isinstance(v, str):
                continue
            if not v.strip():
                found.append((attr, f"value {v!r} is empty"))
            elif any(ch.isspace() for ch in v.strip()):
                found.append((attr, f"value {v!r} has white space in it (one table per word)"))
            elif attr == "LOWER" and v != v.lower():
                found.append((attr, f"value {v!r} has upper-case letters"))
    return found


_HEADER = re.compile(r"^[ \t]*\[(?!\[)[ \t]*(.+?)[ \t]*\][ \t]*(?:#.*)?$", re.M)
_KEY_PART = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'|[^.\s"\']+')


def _dotted(key: str) -> tuple[str, ...]:
    """``topics."a b".en`` → ``("topics", "a b", "en")`` (quotes removed, escapes left alone)."""
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in _KEY_PART.findall(key))


class _Lines:
    """Where a TOML text declares its tables and keys, for messages that name a line.

    Best effort: a table is found by its header (``[topics.trade]``, or the first header below
    it such as ``[topics.trade.en]``), else by a line that starts with its last key inside its
    parent table (``trade = {...}``, ``trade.label = ...``); a key by ``key =`` inside its table.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.headers = [(_dotted(m.group(1)), m.start()) for m in _HEADER.finditer(text)]

    def _line(self, offset: int) -> int:
        return bisect_right(self.starts, offset)

    def _table(self, path: tuple[str, ...]) -> int | None:
        """Offset of the header of ``path``, or of the line defining it inside its parent."""
        for header, offset in self.headers:
            if header[:len(path)] == path:
                return offset
        for cut in range(len(path) - 1, 0, -1):
            parent = next((o for h, o in self.headers if h == path[:cut]), None)
            if parent is not None:
                return self._key(parent, path[cut])
        return None

    def _key(self, table: int, key: str) -> int | None:
        """Offset of the line assigning ``key`` (bare or quoted) in the table starting at ``table``."""
        end = next((o for _, o in self.headers if o > table), len(self.text))
        pattern = re.compile(r"^[ \t]*[\"']?%s[\"']?[ \t]*[.=]" % re.escape(key), re.M)
        m = pattern.search(self.text, table, end)
        return m.start() if m else None

    def find(self, where: str, key: str | None = None) -> int | None:
        """The line of ``where`` (``[topics.trade.en] patterns[2]``), or of ``key`` inside it."""
        m = re.match(r"\[(.+?)\](?:\s|$)", where)
        if not m:
            return None
        table = self._table(_dotted(m.group(1)))
        if table is None:
            return None
        at = self._key(table, key) if key else None
        return self._line(at if at is not None else table)
