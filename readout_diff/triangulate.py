"""Three witnesses: the original, its official translation, and the other side's readout.

When Beijing publishes a readout in Chinese and an English version, and Washington its own, a
gap between the English version and the US readout can come from the translation (drift) or
from the two sides telling the event differently (disagreement). :func:`compare_three` compares
a ↔ b (drift: original ↔ translation) and b ↔ c (disagreement: translation ↔ other side), and
sorts every difference between b and c:

- *explained by drift* when the original a agrees with c: the translation lost or added it
  (a topic or formula c has that b lacks but a has; a formula whose wording in a matches c's);
- *disagreement* otherwise: the original says what the translation says, so the sides differ.

The verdict is ``agreement`` (b and c show no difference), ``drift`` (every difference is
explained by drift), ``disagreement`` (none is) or ``mixed``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

from .errors import InputError
from .model import Analysis, Comparison, Readout
from .signal_types import ReadoutSignals

if TYPE_CHECKING:  # pragma: no cover
    from .codebook import Codebook
    from .emphasis import Background
    from .formulas import Lexicon
    from .pipeline import ReadoutLike

__all__ = ["SCHEMA_THREE", "Triangulation", "TriangulationSummary", "compare_three", "summarise"]

SCHEMA_THREE = "readout-diff-three/1"
_KINDS = ("topics", "formulas", "descriptors")


@dataclass(frozen=True)
class TriangulationSummary:
    """Differences b ↔ c sorted into drift-explained and disagreement, per kind of item.

    ``lost_in_translation`` / ``added_in_translation``: topics a has and b lacks / b has and a
    lacks. ``explained`` and ``disagreement`` map ``topics``, ``formulas``, ``descriptors`` to ids.
    """

    drift_score: float
    disagreement_score: float
    lost_in_translation: tuple[str, ...]
    added_in_translation: tuple[str, ...]
    explained: Mapping[str, tuple[str, ...]]
    disagreement: Mapping[str, tuple[str, ...]]

    @property
    def verdict(self) -> str:
        n_exp = sum(len(v) for v in self.explained.values())
        n_dis = sum(len(v) for v in self.disagreement.values())
        if not n_exp and not n_dis:
            return "agreement"
        if not n_dis:
            return "drift"
        return "disagreement" if not n_exp else "mixed"

    def to_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "drift_score": round(self.drift_score, 6),
                "disagreement_score": round(self.disagreement_score, 6),
                "lost_in_translation": list(self.lost_in_translation),
                "added_in_translation": list(self.added_in_translation),
                "explained_by_drift": {k: list(self.explained.get(k, ())) for k in _KINDS},
                "disagreement": {k: list(self.disagreement.get(k, ())) for k in _KINDS}}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "TriangulationSummary":
        return cls(float(d["drift_score"]), float(d["disagreement_score"]),
                   tuple(d.get("lost_in_translation", ())),
                   tuple(d.get("added_in_translation", ())),
                   {k: tuple(v) for k, v in d.get("explained_by_drift", {}).items()},
                   {k: tuple(v) for k, v in d.get("disagreement", {}).items()})


@dataclass(frozen=True)
class Triangulation:
    """Original ↔ translation (``drift``), translation ↔ other side (``disagreement``), summary."""

    drift: Comparison
    disagreement: Comparison
    summary: TriangulationSummary

    @property
    def a(self) -> Analysis:
        return self.drift.a

    @property
    def b(self) -> Analysis:
        return self.drift.b

    @property
    def c(self) -> Analysis:
        return self.disagreement.b

    def to_dict(self) -> dict[str, Any]:
        return {"schema": SCHEMA_THREE, "labels": [self.a.label, self.b.label, self.c.label],
                "summary": self.summary.to_dict(), "drift": self.drift.to_dict(),
                "disagreement": self.disagreement.to_dict()}

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Triangulation":
        if d.get("schema") != SCHEMA_THREE:
            raise InputError("<dict>", f"expected schema {SCHEMA_THREE!r}, got {d.get('schema')!r}")
        return cls(Comparison.from_dict(d["drift"]), Comparison.from_dict(d["disagreement"]),
                   TriangulationSummary.from_dict(d["summary"]))


def _states(an: Analysis) -> dict[str, dict[str, Any]]:
    """What each readout says about each item: present (topics, descriptors) or its wording."""
    sig = an.signals or ReadoutSignals()
    return {"topics": {t: True for t in an.topics},
            "formulas": {f: frozenset(o.variants) for f, o in sig.formulas.items()},
            "descriptors": {d: True for d in sig.descriptors}}


def summarise(drift: Comparison, disagreement: Comparison) -> TriangulationSummary:
    """Sort the differences of ``disagreement`` (b ↔ c) by whether the original (``drift.a``)
    agrees with c (module docstring)."""
    sa, sb, sc = _states(drift.a), _states(drift.b), _states(disagreement.b)
    explained: dict[str, tuple[str, ...]] = {}
    disagree: dict[str, tuple[str, ...]] = {}
    for kind in _KINDS:
        a, b, c = sa[kind], sb[kind], sc[kind]
        differ = sorted(k for k in set(b) | set(c) if b.get(k) != c.get(k))
        explained[kind] = tuple(k for k in differ if a.get(k) == c.get(k))
        disagree[kind] = tuple(k for k in differ if a.get(k) != c.get(k))
    ta, tb = set(drift.a.topics), set(drift.b.topics)
    return TriangulationSummary(
        drift_score=drift.scores.gap_score, disagreement_score=disagreement.scores.gap_score,
        lost_in_translation=tuple(sorted(ta - tb)), added_in_translation=tuple(sorted(tb - ta)),
        explained=explained, disagreement=disagree)


def compare_three(
    a: "ReadoutLike",
    b: "ReadoutLike",
    c: "ReadoutLike",
    *,
    labels: tuple[str, str, str] | None = None,
    codebook: "Codebook | None" = None,
    lang: str = "auto",
    threshold: float | None = None,
    top_k: int | None = None,
    max_sentences: int | None = None,
    max_chars: int | None = None,
    lexicon: "Lexicon | None" = None,
    background: "Background | None" = None,
    linker: "Linker | str | os.PathLike[str] | None" = "default",
) -> Triangulation:
    """Compare an original ``a``, its translation ``b`` and the other side's readout ``c``.

    Each readout is analysed once (its language detected on its own unless ``lang`` is given).
    Labels default to the readouts' own (a file's stem) or ``"a"``, ``"b"``, ``"c"`` for strings;
    the other options are those of :func:`readout_diff.compare`.

    >>> t = compare_three("Xi stressed the one-China principle. They discussed trade.",
    ...                   "Xi stressed the one-China policy. They discussed trade.",
    ...                   "Biden reaffirmed the one-China policy. They discussed trade.")
    >>> t.drift.signals.formulas.altered, t.summary.verdict
    ((('one_china', ('principle',), ('policy',)),), 'agreement')
    """
    from .align import DEFAULT_THRESHOLD, DEFAULT_TOP_K
    from .errors import ParameterError
    from .linker import resolve_linker
    from .pipeline import (DEFAULT_MAX_CHARS, DEFAULT_MAX_SENTENCES, _analyze, _as_readout,
                           _compare_analysed)

    if labels is not None and (not isinstance(labels, (tuple, list)) or len(labels) != 3):
        raise ParameterError.invalid("labels", "compare_three", "three labels", labels)
    readouts = []
    for i, (x, default) in enumerate(zip((a, b, c), ("a", "b", "c"))):
        r = _as_readout(x, labels[i] if labels else None, lang, "compare_three")
        if labels is None and not isinstance(x, (Readout, os.PathLike)):
            r = Readout(r.text, label=default, lang=r.lang, meta=r.meta, source=r.source)
        readouts.append(r)
    limit = DEFAULT_MAX_SENTENCES if max_sentences is None else max_sentences
    (an_a, fa), (an_b, fb), (an_c, fc) = (
        _analyze(r, codebook, lang, limit, lexicon,
                 max_chars=DEFAULT_MAX_CHARS if max_chars is None else max_chars)
        for r in readouts)
    kw = {"threshold": DEFAULT_THRESHOLD if threshold is None else threshold,
          "top_k": DEFAULT_TOP_K if top_k is None else top_k, "background": background,
          "linker": resolve_linker(linker)}  # loaded once for both comparisons
    drift = _compare_analysed(an_a, fa, an_b, fb, **kw)
    disagreement = _compare_analysed(an_b, fb, an_c, fc, **kw)
    return Triangulation(drift, disagreement, summarise(drift, disagreement))
