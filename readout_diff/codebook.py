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

import tomllib
import warnings
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
    realized: bool = False  # hits under a will/hope/proposal cue do not count
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
        return cls.from_dict(parse_toml(data, source), source=source)

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
            raise CodebookError(f"{source}: not UTF-8 text (byte {exc.start})") from None
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

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> CodebookError:
        return CodebookError(f"{self.source}: {where}: {problem}")

    def codebook(self, doc: Mapping[str, Any]) -> Codebook:
        unknown = set(doc) - _TOP_KEYS
        if unknown:
            raise self.fail("top level", f"unknown section(s) {sorted(unknown)}; "
                                         f"expected {sorted(_TOP_KEYS)}")
        meta = self.table(doc.get("codebook", {}), "[codebook]")
        topics = self.entries(doc.get("topics", {}), "topic", TOPIC_IDS)
        frames = self.entries(doc.get("frames", {}), "frame", FRAME_IDS)
        if not topics and not frames:
            raise self.fail("top level", "defines no [topics.*] or [frames.*] entries")
        clash = set(e.id for e in topics) & set(e.id for e in frames)
        if clash:
            raise self.fail(f"[frames.{sorted(clash)[0]}]", "id is also a topic id; ids must be unique")
        actors = self.actors(doc.get("actors", {}))
        return Codebook(
            name=str(meta.get("name", Path(self.source).stem)),
            version=str(meta.get("version", "")),
            topics=topics, frames=frames, actors=actors, source=self.source,
        )

    def table(self, value: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(where, f"must be a table, got {type(value).__name__}")
        return value

    def entries(self, section: Any, kind: str, known: tuple[str, ...]) -> tuple[Entry, ...]:
        plural = kind + "s"
        out = []
        for id_, body in self.table(section, f"[{plural}]").items():
            where = f"[{plural}.{id_}]"
            body = self.table(body, where)
            if id_ not in known:
                warnings.warn(f"{self.source}: {where}: id {id_!r} is not in TAXONOMY.md; "
                              "results will carry it, but evaluations keyed on the taxonomy "
                              "will not know it", CodebookWarning, stacklevel=4)
            scalar = {k: v for k, v in body.items() if not isinstance(v, Mapping)}
            langs = {k: v for k, v in body.items() if isinstance(v, Mapping)}
            unknown = set(scalar) - _ENTRY_KEYS
            if unknown:
                raise self.fail(where, f"unknown key(s) {sorted(unknown)}; expected "
                                       f"{sorted(_ENTRY_KEYS)} or a language table such as [.en]")
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
            rules = {lang: self.rules(rule, f"[{plural}.{id_}.{lang}]")
                     for lang, rule in sorted(langs.items())}
            out.append(Entry(id=id_, kind=kind, label=label.strip(),
                             description=str(scalar.get("description", "")), future=future,
                             realized=realized,
                             commitment=commitment, rules=rules))
        return tuple(out)

    def strings(self, value: Any, where: str, key: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise self.fail(where, f"'{key}' must be a list of strings")
        for x in value:
            if not x.strip() or not any(ch.isalnum() for ch in x):
                raise self.fail(where, f"'{key}' has an empty phrase {x!r} that can never match")
        return tuple(x.strip() for x in value)

    def rules(self, body: Mapping[str, Any], where: str) -> LangRules:
        unknown = set(body) - _RULE_KEYS
        if unknown:
            raise self.fail(where, f"unknown key(s) {sorted(unknown)}; expected {sorted(_RULE_KEYS)}")
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
            raise self.fail(where, f"'window' must be a whole number from 1 to 50, got {value!r}")
        return value

    def patterns(self, value: Any, where: str) -> tuple[tuple[Mapping[str, Any], ...], ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise self.fail(where, "'patterns' must be a list of token patterns")
        out = []
        for i, pattern in enumerate(value):
            at = f"{where} patterns[{i}]"
            if not isinstance(pattern, list) or not pattern:
                raise self.fail(at, "a token pattern must be a non-empty list of token tables")
            for tok in pattern:
                if not isinstance(tok, Mapping) or not tok:
                    raise self.fail(at, "each token must be a non-empty table such as {NORM = \"x\"}")
                bad = set(tok) - _PATTERN_ATTRS
                if bad:
                    raise self.fail(at, f"unknown token attribute(s) {sorted(bad)}; "
                                        f"expected some of {sorted(_PATTERN_ATTRS)}")
            if all(set(tok) == {"OP"} for tok in pattern):
                raise self.fail(at, "has only wildcard tokens: it would match anything")
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
                raise self.fail(where, f"unknown key(s) {sorted(unknown)}; expected {sorted(_ACTOR_KEYS)}")
            names = {}
            for lang, t in sorted(langs.items()):
                bad = set(t) - _ACTOR_LANG_KEYS
                if bad:
                    raise self.fail(f"{where}.{lang}", f"unknown key(s) {sorted(bad)}; expected ['names']")
                names[lang] = self.strings(t.get("names"), f"{where}.{lang}", "names")
            out.append(Actor(name=name, side=str(scalar.get("side", "")),
                             role=str(scalar.get("role", "official")),
                             titles=self.strings(scalar.get("titles"), where, "titles"),
                             names=names))
        return tuple(out)
