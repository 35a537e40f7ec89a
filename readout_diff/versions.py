"""Two versions of one readout: which sentences were added, removed, changed or moved.

Governments edit readouts after publishing them (a paragraph dropped, "policy" made
"principle"). :func:`diff_versions` analyses both versions and lines their sentences up:

1. sentences identical after white space and case are *unchanged* where they keep their order
   (a longest-common-subsequence pass, :mod:`difflib`), and *moved* where they do not;
2. of the rest, pairs whose character similarity (RapidFuzz ``ratio``) reaches ``similarity``
   are *changed* — best pairs first, each sentence in one pair at most;
3. what is left is *removed* (old only) or *added* (new only).

Each change carries the topics it brought or took away, and the diff the topics and formulas of
the whole readout that changed.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

from .errors import InputError, ParameterError
from .model import Analysis
from .signal_types import FormulaDiff, ReadoutSignals, SetDiff

if TYPE_CHECKING:  # pragma: no cover
    from .codebook import Codebook
    from .formulas import Lexicon
    from .pipeline import ReadoutLike

__all__ = ["DEFAULT_SIMILARITY", "SCHEMA_VERSIONS", "SentenceChange", "VersionDiff",
           "diff_versions"]

SCHEMA_VERSIONS = "readout-diff-versions/1"
#: Least character similarity (0–1) for an edited sentence to count as *changed*, not replaced.
DEFAULT_SIMILARITY = 0.6
KINDS = ("added", "removed", "changed", "moved")


@dataclass(frozen=True)
class SentenceChange:
    """One sentence added, removed, changed or moved between the old and the new version."""

    kind: str
    old: int | None
    new: int | None
    similarity: float
    topics_added: tuple[str, ...] = ()
    topics_removed: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "old": self.old, "new": self.new,
                "similarity": round(self.similarity, 6), "topics_added": list(self.topics_added),
                "topics_removed": list(self.topics_removed)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "SentenceChange":
        return cls(d["kind"], d.get("old"), d.get("new"), float(d.get("similarity", 0.0)),
                   tuple(d.get("topics_added", ())), tuple(d.get("topics_removed", ())))


@dataclass(frozen=True)
class VersionDiff:
    """The old and new analyses, the sentence changes, and the readout-level changes."""

    old: Analysis
    new: Analysis
    changes: tuple[SentenceChange, ...]
    unchanged: int
    topics: SetDiff  # only_a: removed, only_b: added
    formulas: FormulaDiff  # a: old, b: new

    def of_kind(self, kind: str) -> tuple[SentenceChange, ...]:
        return tuple(c for c in self.changes if c.kind == kind)

    @property
    def added(self) -> tuple[SentenceChange, ...]:
        return self.of_kind("added")

    @property
    def removed(self) -> tuple[SentenceChange, ...]:
        return self.of_kind("removed")

    @property
    def changed(self) -> tuple[SentenceChange, ...]:
        return self.of_kind("changed")

    @property
    def moved(self) -> tuple[SentenceChange, ...]:
        return self.of_kind("moved")

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSIONS,
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "sentences": {"unchanged": self.unchanged,
                          **{k: [c.to_dict() for c in self.of_kind(k)] for k in KINDS}},
            "topics": {"added": list(self.topics.only_b), "removed": list(self.topics.only_a),
                       "kept": list(self.topics.shared)},
            "formulas": self.formulas.to_dict(),
        }

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "VersionDiff":
        if d.get("schema") != SCHEMA_VERSIONS:
            raise InputError("<dict>", f"expected schema {SCHEMA_VERSIONS!r}, "
                                       f"got {d.get('schema')!r}")
        s, t = d["sentences"], d["topics"]
        changes = sorted((SentenceChange.from_dict(c) for k in KINDS for c in s.get(k, ())),
                         key=_order)
        return cls(Analysis.from_dict(d["old"]), Analysis.from_dict(d["new"]), tuple(changes),
                   int(s["unchanged"]),
                   SetDiff(tuple(t.get("kept", ())), tuple(t.get("removed", ())),
                           tuple(t.get("added", ()))),
                   FormulaDiff.from_dict(d["formulas"]))


def _order(c: SentenceChange) -> tuple[float, int]:
    """Changes in reading order of the new version; removed ones just after their old place."""
    if c.new is not None:
        return (c.new, 0)
    return (c.old + 0.5 if c.old is not None else 0, 1)


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def diff_versions(
    old: "ReadoutLike",
    new: "ReadoutLike",
    *,
    codebook: "Codebook | None" = None,
    lang: str = "auto",
    lexicon: "Lexicon | None" = None,
    similarity: float = DEFAULT_SIMILARITY,
    max_chars: int | None = None,
) -> VersionDiff:
    """Sentences added, removed, changed and moved from ``old`` to ``new`` (module docstring).

    >>> d = diff_versions("The leaders discussed trade. They spoke for two hours.",
    ...                   "The leaders discussed trade and fentanyl. They spoke for two hours. "
    ...                   "Taiwan came up.")
    >>> [(c.kind, c.old, c.new) for c in d.changes], d.topics.only_b
    ([('changed', 0, 0), ('added', None, 2)], ('fentanyl', 'taiwan'))
    """
    from rapidfuzz import fuzz
    from rapidfuzz.process import cdist

    from .pipeline import DEFAULT_MAX_CHARS, DEFAULT_MAX_SENTENCES, _analyze, _as_readout
    from .signals import formula_diff

    if isinstance(similarity, bool) or not isinstance(similarity, (int, float)) \
            or not 0 < similarity <= 1:
        raise ParameterError.invalid("similarity", "diff_versions", "a number in (0, 1]",
                                     similarity)
    ro = _as_readout(old, None, lang, "diff_versions")
    rn = _as_readout(new, None, lang, "diff_versions")
    if ro.label == rn.label:  # two strings, or two files of one name in different folders
        ro = type(ro)(ro.text, label="old", lang=ro.lang, meta=ro.meta, source=ro.source)
        rn = type(rn)(rn.text, label="new", lang=rn.lang, meta=rn.meta, source=rn.source)
    limit = DEFAULT_MAX_CHARS if max_chars is None else max_chars
    a, _ = _analyze(ro, codebook, lang, DEFAULT_MAX_SENTENCES, lexicon, max_chars=limit)
    b, _ = _analyze(rn, codebook, lang, DEFAULT_MAX_SENTENCES, lexicon, max_chars=limit)
    ka = [_key(s.text) for s in a.sentences]
    kb = [_key(s.text) for s in b.sentences]

    unchanged = 0
    left_a: list[int] = []
    left_b: list[int] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes():
        if op == "equal":
            unchanged += i2 - i1
        else:
            left_a += range(i1, i2)
            left_b += range(j1, j2)

    changes: list[SentenceChange] = []
    # Identical sentences out of order: moved.
    by_key: dict[str, list[int]] = {}
    for j in left_b:
        by_key.setdefault(kb[j], []).append(j)
    for i in list(left_a):
        js = by_key.get(ka[i])
        if js:
            j = js.pop(0)
            left_a.remove(i)
            left_b.remove(j)
            changes.append(SentenceChange("moved", i, j, 1.0))
    # Similar sentences: changed (best pairs first).
    if left_a and left_b:
        sims = cdist([ka[i] for i in left_a], [kb[j] for j in left_b], scorer=fuzz.ratio) / 100
        pairs = sorted(((float(sims[x, y]), x, y) for x in range(len(left_a))
                        for y in range(len(left_b)) if sims[x, y] >= similarity),
                       key=lambda p: (-p[0], p[1], p[2]))
        used_a: set[int] = set()
        used_b: set[int] = set()
        for sim, x, y in pairs:
            if x in used_a or y in used_b:
                continue
            used_a.add(x)
            used_b.add(y)
            i, j = left_a[x], left_b[y]
            ta, tb = set(a.sentences[i].topics), set(b.sentences[j].topics)
            changes.append(SentenceChange("changed", i, j, sim, tuple(sorted(tb - ta)),
                                          tuple(sorted(ta - tb))))
        left_a = [i for x, i in enumerate(left_a) if x not in used_a]
        left_b = [j for y, j in enumerate(left_b) if y not in used_b]
    changes += [SentenceChange("removed", i, None, 0.0, (), tuple(a.sentences[i].topics))
                for i in left_a]
    changes += [SentenceChange("added", None, j, 0.0, tuple(b.sentences[j].topics), ())
                for j in left_b]
    ta, tb = set(a.topics), set(b.topics)
    return VersionDiff(
        old=a, new=b, changes=tuple(sorted(changes, key=_order)), unchanged=unchanged,
        topics=SetDiff(tuple(sorted(ta & tb)), tuple(sorted(ta - tb)), tuple(sorted(tb - ta))),
        formulas=formula_diff(a.signals or ReadoutSignals(), b.signals or ReadoutSignals()),
    )

