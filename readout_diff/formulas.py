"""Loading and validating the diplomatic lexicon: formulas, talk descriptors, initiative, format.

The lexicon is data, like the codebook (:mod:`readout_diff.codebook`): a TOML file parsed with
:mod:`tomllib` and checked key by key, so a typo is an error naming the file, the entry and the
key. The shipped one is ``readout_diff/codebooks/formulas.toml``; ``docs/signals.md`` documents
the signals it drives. Sections::

    [lexicon]  name, version
    [formulas.<id>]                      label, canonical (the set phrase, for people)
    [formulas.<id>.variants.<name>]      en = [...], zh = [...]   phrases, any one matches
    [formulas.<id>.variants.<name>.all]  window = 12, en = [[...], [...]]
                                         one phrase of every group within `window` words
                                         ([[...all]] for several such sets)
    [descriptors.<lang>]                 <canonical> = [phrases]   ("candid" = ["candid", "candidly"])
    [talks]                              wish_window = 6
    [talks.<lang>]                       nouns = [...]  what talks are called ("call", "exchange of views")
                                         fillers = [...] words allowed between a descriptor and its noun
                                         wishes = [...]  before a chain: talks wished for, not held
    [initiative]                         scope = 3 (opening sentences searched), window = 8
    [initiative.<lang>]                  templates = ["at the request of {actor}", ...]
                                         latter = ["the latter"], former = ["the former"]
    [formats]                            scope = 3, order = ["video", "phone", "in_person"]
    [formats.<lang>]                     <format> = [phrases], exclude = [phrases],
                                         generic = [phrases]: cues that name the exchange but not
                                         its medium ("speak", "meet"), outranked by specific ones

Every phrase is matched on normalised words (lower case, American spelling, lemma; for Chinese,
characters of the pipeline's normalised form) with punctuation, articles and possessives left
out, so "one-China policy", "One China Policy" and "the one China policy" are one phrase.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

from .codebook import parse_toml, read_data_file
from .errors import CodebookError

__all__ = ["FORMULA_IDS", "Formula", "FormulaVariant", "Lexicon", "LexiconWarning", "Template",
           "Together"]

#: The formula ids of corpora/README.md ("Formula ids"); evaluations key on them.
FORMULA_IDS = (
    "one_china", "equality_respect_reciprocity", "three_principles", "guardrails",
    "manage_competition", "san_francisco_vision", "bali_understandings", "no_new_cold_war",
    "taiwan_independence", "three_communiques", "open_channels", "steer_relationship",
)

_TOP_KEYS = {"lexicon", "formulas", "descriptors", "talks", "initiative", "formats"}
_FORMULA_KEYS = {"label", "canonical", "variants"}
_TALK_KEYS = {"nouns", "fillers", "wishes"}
_LANG = re.compile(r"^[a-z]{2,3}$")
_ACTOR_SLOT = "{actor}"
#: Words in an initiative slot that point back to an actor named before the cue.
_REFERENCES = ("latter", "former")


class LexiconWarning(UserWarning):
    """A lexicon loads, but something in it is suspicious (a formula id evaluations do not know)."""


@dataclass(frozen=True)
class Together:
    """Groups of phrases that must all occur (one phrase of each) within ``window`` units."""

    window: int
    groups: Mapping[str, tuple[tuple[str, ...], ...]]  # per language


@dataclass(frozen=True)
class FormulaVariant:
    """One wording of a formula: phrases (any matches) and/or sets of groups found together."""

    name: str
    phrases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    together: tuple[Together, ...] = ()


@dataclass(frozen=True)
class Formula:
    """A set phrase of the relationship, with its variants in the order they are tried."""

    id: str
    label: str
    canonical: str
    variants: tuple[FormulaVariant, ...]


@dataclass(frozen=True)
class Template:
    """An initiative cue around an actor slot: ``at the request of {actor}`` → prefix, suffix."""

    text: str
    prefix: str
    suffix: str


@dataclass(frozen=True, eq=False)
class Lexicon:
    """A validated lexicon. Compare by identity; compiled matchers are cached on the instance.

    >>> lex = Lexicon.default()
    >>> "one_china" in lex.formula_ids and "candid" in lex.descriptors["en"]
    True
    """

    name: str
    version: str
    formulas: tuple[Formula, ...]
    descriptors: Mapping[str, Mapping[str, tuple[str, ...]]]
    talk_nouns: Mapping[str, tuple[str, ...]]
    talk_fillers: Mapping[str, tuple[str, ...]]
    talk_wishes: Mapping[str, tuple[str, ...]]
    wish_window: int
    initiative: Mapping[str, tuple[Template, ...]]
    references: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    initiative_scope: int = 3
    initiative_window: int = 8
    formats: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    format_exclude: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Per language, the format cues that say an exchange took place but not how ("speak",
    #: "meet"): a specific cue of the same sentence ("by telephone", "summit") wins over them.
    format_generic: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    format_order: tuple[str, ...] = ("video", "phone", "in_person")
    format_scope: int = 3
    source: str = "<lexicon>"
    _compiled: dict[Any, Any] = field(default_factory=dict, repr=False)

    @property
    def formula_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.formulas)

    def formula(self, id: str) -> Formula:
        for f in self.formulas:
            if f.id == id:
                return f
        raise KeyError(id)

    def languages(self) -> tuple[str, ...]:
        langs = {lang for f in self.formulas for v in f.variants
                 for lang in (*v.phrases, *(g for t in v.together for g in t.groups))}
        langs |= set(self.descriptors) | set(self.initiative) | set(self.formats)
        return tuple(sorted(langs))

    @classmethod
    def default(cls) -> "Lexicon":
        """The shipped US–China lexicon (loaded once per process)."""
        return _default()

    @classmethod
    def load(cls, path: str | Path) -> "Lexicon":
        """Load and validate a lexicon file; raise CodebookError naming file, entry and problem."""
        return cls.from_toml(read_data_file(path, "lexicon"), source=str(path))

    @classmethod
    def from_toml(cls, data: bytes | str, *, source: str = "<lexicon>") -> "Lexicon":
        return cls.from_dict(parse_toml(data, source), source=source)

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any], *, source: str = "<lexicon>") -> "Lexicon":
        return _Validator(source).lexicon(doc)


@lru_cache(maxsize=1)
def _default() -> Lexicon:
    ref = resources.files("readout_diff") / "codebooks" / "formulas.toml"
    return Lexicon.from_toml(ref.read_bytes(), source="readout_diff/codebooks/formulas.toml")


class _Validator:
    """Turns a parsed TOML document into a Lexicon, with one error form for every problem."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> CodebookError:
        return CodebookError(f"{self.source}: {where}: {problem}")

    def table(self, value: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(where, f"must be a table, got {type(value).__name__}")
        return value

    def lang(self, key: str, where: str) -> str:
        if not _LANG.match(key):
            raise self.fail(where, f"{key!r} is not a language code such as 'en' or 'zh'")
        return key

    def strings(self, value: Any, where: str, key: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise self.fail(where, f"'{key}' must be a list of strings")
        for x in value:
            if not any(ch.isalnum() for ch in x):
                raise self.fail(where, f"'{key}' has an empty phrase {x!r} that can never match")
        return tuple(x.strip() for x in value)

    def count(self, value: Any, where: str, key: str, hi: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= hi:
            raise self.fail(where, f"'{key}' must be a whole number from 1 to {hi}, got {value!r}")
        return value

    def lexicon(self, doc: Mapping[str, Any]) -> Lexicon:
        unknown = set(doc) - _TOP_KEYS
        if unknown:
            raise self.fail("top level", f"unknown section(s) {sorted(unknown)}; "
                                         f"expected {sorted(_TOP_KEYS)}")
        meta = self.table(doc.get("lexicon", {}), "[lexicon]")
        formulas = self.formulas(self.table(doc.get("formulas", {}), "[formulas]"))
        descriptors = {
            self.lang(lang, f"[descriptors.{lang}]"): {
                word: self.strings(phrases, f"[descriptors.{lang}]", word)
                for word, phrases in self.table(body, f"[descriptors.{lang}]").items()}
            for lang, body in self.table(doc.get("descriptors", {}), "[descriptors]").items()}
        nouns, fillers, wishes = {}, {}, {}
        talks = dict(self.table(doc.get("talks", {}), "[talks]"))
        wish_window = self.count(talks.pop("wish_window", 6), "[talks]", "wish_window", 50)
        for lang, body in talks.items():
            where = f"[talks.{self.lang(lang, f'[talks.{lang}]')}]"
            body = self.table(body, where)
            bad = set(body) - _TALK_KEYS
            if bad:
                raise self.fail(where, f"unknown key(s) {sorted(bad)}; expected {sorted(_TALK_KEYS)}")
            nouns[lang] = self.strings(body.get("nouns", []), where, "nouns")
            fillers[lang] = self.strings(body.get("fillers", []), where, "fillers")
            wishes[lang] = self.strings(body.get("wishes", []), where, "wishes")
        for lang in descriptors:
            if not nouns.get(lang):
                raise self.fail(f"[descriptors.{lang}]", f"needs [talks.{lang}] nouns: a "
                                                         "descriptor counts only next to one")
        init = dict(self.table(doc.get("initiative", {}), "[initiative]"))
        i_scope = self.count(init.pop("scope", 3), "[initiative]", "scope", 1000)
        i_window = self.count(init.pop("window", 8), "[initiative]", "window", 50)
        initiative, references = {}, {}
        for lang, body in init.items():
            where = f"[initiative.{self.lang(lang, f'[initiative.{lang}]')}]"
            body = self.table(body, where)
            bad = set(body) - {"templates", *_REFERENCES}
            if bad:
                raise self.fail(where, f"unknown key(s) {sorted(bad)}; expected "
                                       f"{['templates', *_REFERENCES]}")
            initiative[lang] = tuple(self.template(t, where)
                                     for t in self.strings(body.get("templates", []), where,
                                                           "templates"))
            references[lang] = {k: self.strings(body[k], where, k) for k in _REFERENCES
                                if k in body}
        fmt = dict(self.table(doc.get("formats", {}), "[formats]"))
        f_scope = self.count(fmt.pop("scope", 3), "[formats]", "scope", 1000)
        order = self.strings(fmt.pop("order", ["video", "phone", "in_person"]), "[formats]",
                             "order")
        formats, exclude, generic = {}, {}, {}
        for lang, body in fmt.items():
            where = f"[formats.{self.lang(lang, f'[formats.{lang}]')}]"
            body = dict(self.table(body, where))
            exclude[lang] = self.strings(body.pop("exclude", []), where, "exclude")
            generic[lang] = self.strings(body.pop("generic", []), where, "generic")
            bad = set(body) - set(order)
            if bad:
                raise self.fail(where, f"format(s) {sorted(bad)} are not in [formats] order "
                                       f"{list(order)}")
            formats[lang] = {k: self.strings(v, where, k) for k, v in body.items()}
            listed = {p for phrases in formats[lang].values() for p in phrases}
            if set(generic[lang]) - listed:
                raise self.fail(where, f"generic cue(s) {sorted(set(generic[lang]) - listed)} "
                                       "are not cues of any format")
        return Lexicon(
            name=str(meta.get("name", Path(self.source).stem)),
            version=str(meta.get("version", "")),
            formulas=formulas, descriptors=descriptors, talk_nouns=nouns, talk_fillers=fillers,
            talk_wishes=wishes, wish_window=wish_window,
            initiative=initiative, references=references, initiative_scope=i_scope, initiative_window=i_window,
            formats=formats, format_exclude=exclude, format_order=order, format_scope=f_scope,
            format_generic=generic,
            source=self.source,
        )

    def template(self, text: str, where: str) -> Template:
        if text.count(_ACTOR_SLOT) > 1:
            raise self.fail(where, f"template {text!r} has more than one {_ACTOR_SLOT} slot")
        prefix, _, suffix = text.partition(_ACTOR_SLOT)
        if not any(ch.isalnum() for ch in prefix):
            raise self.fail(where, f"template {text!r} needs words before {_ACTOR_SLOT}")
        return Template(text, prefix.strip(), suffix.strip())

    def formulas(self, section: Mapping[str, Any]) -> tuple[Formula, ...]:
        out = []
        for id_, body in section.items():
            where = f"[formulas.{id_}]"
            body = self.table(body, where)
            if id_ not in FORMULA_IDS:
                warnings.warn(f"{self.source}: {where}: id {id_!r} is not a formula id of "
                              "corpora/README.md; results will carry it, but evaluations keyed "
                              "on those ids will not know it", LexiconWarning, stacklevel=5)
            unknown = set(body) - _FORMULA_KEYS
            if unknown:
                raise self.fail(where, f"unknown key(s) {sorted(unknown)}; "
                                       f"expected {sorted(_FORMULA_KEYS)}")
            label = body.get("label")
            if not isinstance(label, str) or not label.strip():
                raise self.fail(where, "needs a non-empty 'label' string")
            variants = self.table(body.get("variants", {}), f"{where}.variants")
            if not variants:
                raise self.fail(where, "has no [.variants.<name>] table: it can never match")
            out.append(Formula(
                id=id_, label=label.strip(), canonical=str(body.get("canonical", label)).strip(),
                variants=tuple(self.variant(name, v, f"{where}.variants.{name}")
                               for name, v in variants.items())))
        return tuple(out)

    def variant(self, name: str, body: Any, where: str) -> FormulaVariant:
        body = dict(self.table(body, where))
        together = body.pop("all", [])
        phrases = {self.lang(lang, where): self.strings(v, where, lang) for lang, v in body.items()}
        # `all` is one table ([....all]) or several ([[....all]]), each a set of groups.
        sets = [together] if isinstance(together, Mapping) else together
        if not isinstance(sets, list):
            raise self.fail(f"{where}.all", "must be a table or an array of tables")
        out = tuple(self.together(t, f"{where}.all") for t in sets)
        if not phrases and not out:
            raise self.fail(where, "has no phrases (en = [...]) and no [.all] groups")
        return FormulaVariant(name=name, phrases=phrases, together=out)

    def together(self, body: Any, where: str) -> Together:
        body = dict(self.table(body, where))
        window = self.count(body.pop("window", 12), where, "window", 50)
        groups = {}
        for lang, v in body.items():
            self.lang(lang, where)
            if not isinstance(v, list) or not v or not all(isinstance(g, list) and g for g in v):
                raise self.fail(where, f"'{lang}' must be a list of non-empty lists of phrases")
            groups[lang] = tuple(self.strings(g, where, lang) for g in v)
        if not groups:
            raise self.fail(where, "has no groups (en = [[...], [...]])")
        return Together(window=window, groups=groups)
