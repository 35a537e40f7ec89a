"""The value types of the diplomatic signals: frozen dataclasses with ``to_dict``/``from_dict``.

Plain data, like :mod:`readout_diff.model` (which stores them on ``Analysis.signals`` and
``Comparison.signals``): no pipeline, no lexicon, so they pickle, compare by value and round-trip
through JSON. :mod:`readout_diff.signals` computes them; ``docs/signals.md`` describes each key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

__all__ = [
    "ComparisonSignals",
    "Emphasis",
    "EventFormat",
    "FormulaDiff",
    "Initiative",
    "Occurrences",
    "OrderDiff",
    "ReadoutSignals",
    "SetDiff",
    "TermScore",
    "ValuePair",
    "VoiceShare",
]


def _r(x: float) -> float:
    return round(float(x), 6)


def _frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    from .model import FrozenMap  # read-only and picklable

    return FrozenMap(mapping)


@dataclass(frozen=True)
class Occurrences:
    """Where a formula or a descriptor occurs: sentences, character spans, variants in text order."""

    sentences: tuple[int, ...]
    spans: tuple[tuple[int, int], ...]
    variants: tuple[str, ...] = ()

    @property
    def variant(self) -> str | None:
        """The variant used first (``None`` for descriptors)."""
        return self.variants[0] if self.variants else None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {}
        if self.variants:
            d["variant"] = self.variant
            d["variants"] = list(self.variants)
        d["sentences"] = list(self.sentences)
        d["spans"] = [list(s) for s in self.spans]
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Occurrences":
        return cls(tuple(d["sentences"]), tuple((int(s), int(e)) for s, e in d["spans"]),
                   tuple(d.get("variants", ())))


@dataclass(frozen=True)
class Initiative:
    """Who the readout says asked for the talks: the template that matched (``cue``), the words
    of the text (``text``, at ``start:end``), the actor named in it and that actor's side."""

    side: str | None
    actor: str | None
    cue: str
    sentence: int
    start: int
    end: int
    text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"side": self.side, "actor": self.actor, "cue": self.cue, "text": self.text,
                "sentence": self.sentence, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Initiative":
        return cls(d.get("side"), d.get("actor"), d["cue"], int(d["sentence"]), int(d["start"]),
                   int(d["end"]), d.get("text", ""))


@dataclass(frozen=True)
class EventFormat:
    """How the talks were held (``video`` | ``phone`` | ``in_person``), and the word that says so."""

    value: str
    cue: str
    sentence: int

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "cue": self.cue, "sentence": self.sentence}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "EventFormat":
        return cls(d["value"], d["cue"], int(d["sentence"]))


@dataclass(frozen=True)
class VoiceShare:
    """Words of the readout credited to each side (``both`` for joint statements).

    ``words`` counts words (Chinese: characters) of sentences whose speaker belongs to a side;
    ``total`` is every word of the readout, so ``total - attributed`` is narration.
    """

    words: Mapping[str, int]
    total: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "words", _frozen(self.words))

    @property
    def attributed(self) -> int:
        return sum(self.words.values())

    @property
    def share(self) -> dict[str, float]:
        """Each side's share of the attributed words (sums to 1 when any are attributed)."""
        n = self.attributed
        return {k: (v / n if n else 0.0) for k, v in sorted(self.words.items())}

    @property
    def dominant(self) -> str | None:
        """The side with the most attributed words (``None`` when nobody is credited)."""
        if not self.attributed:
            return None
        return max(sorted(self.words), key=lambda k: self.words[k])

    def to_dict(self) -> dict[str, Any]:
        return {"words": dict(sorted(self.words.items())), "total": self.total,
                "attributed": self.attributed,
                "share": {k: _r(v) for k, v in self.share.items()}, "dominant": self.dominant}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "VoiceShare":
        return cls({k: int(v) for k, v in d.get("words", {}).items()}, int(d.get("total", 0)))


@dataclass(frozen=True)
class ReadoutSignals:
    """The diplomatic signals of one readout (see ``docs/signals.md``)."""

    formulas: Mapping[str, Occurrences] = field(default_factory=dict)
    initiator: Initiative | None = None
    format: EventFormat | None = None
    descriptors: Mapping[str, Occurrences] = field(default_factory=dict)
    topic_order: tuple[str, ...] = ()
    voice: VoiceShare = field(default_factory=lambda: VoiceShare({}, 0))

    def __post_init__(self) -> None:
        object.__setattr__(self, "formulas", _frozen(self.formulas))
        object.__setattr__(self, "descriptors", _frozen(self.descriptors))

    def to_dict(self) -> dict[str, Any]:
        return {
            "formulas": {k: v.to_dict() for k, v in sorted(self.formulas.items())},
            "initiator": self.initiator.to_dict() if self.initiator else None,
            "format": self.format.to_dict() if self.format else None,
            "descriptors": {k: v.to_dict() for k, v in sorted(self.descriptors.items())},
            "topic_order": list(self.topic_order),
            "voice": self.voice.to_dict(),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "ReadoutSignals":
        return cls(
            formulas={k: Occurrences.from_dict(v) for k, v in d.get("formulas", {}).items()},
            initiator=Initiative.from_dict(d["initiator"]) if d.get("initiator") else None,
            format=EventFormat.from_dict(d["format"]) if d.get("format") else None,
            descriptors={k: Occurrences.from_dict(v)
                         for k, v in d.get("descriptors", {}).items()},
            topic_order=tuple(d.get("topic_order", ())),
            voice=VoiceShare.from_dict(d.get("voice", {})),
        )


# -- comparison ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SetDiff:
    """Ids both readouts have, and ids only one has."""

    shared: tuple[str, ...] = ()
    only_a: tuple[str, ...] = ()
    only_b: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"shared": list(self.shared), "only_a": list(self.only_a),
                "only_b": list(self.only_b)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "SetDiff":
        return cls(tuple(d.get("shared", ())), tuple(d.get("only_a", ())),
                   tuple(d.get("only_b", ())))


@dataclass(frozen=True)
class FormulaDiff:
    """Formulas shared with the same wording, on one side only, or *altered* (other variant)."""

    shared: tuple[str, ...] = ()
    only_a: tuple[str, ...] = ()
    only_b: tuple[str, ...] = ()
    altered: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = ()  # (id, a's, b's)

    def to_dict(self) -> dict[str, Any]:
        return {"shared": list(self.shared), "only_a": list(self.only_a),
                "only_b": list(self.only_b),
                "altered": [{"id": i, "a": list(va), "b": list(vb)} for i, va, vb in self.altered]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "FormulaDiff":
        return cls(tuple(d.get("shared", ())), tuple(d.get("only_a", ())),
                   tuple(d.get("only_b", ())),
                   tuple((x["id"], tuple(x["a"]), tuple(x["b"])) for x in d.get("altered", ())))


@dataclass(frozen=True)
class ValuePair:
    """One value per side (who asked, the format) and whether the two readouts agree on it."""

    a: str | None
    b: str | None

    @property
    def status(self) -> str:
        """``agree``, ``conflict`` (both say, differently), ``one_sided`` or ``none``."""
        if self.a is None and self.b is None:
            return "none"
        if self.a is None or self.b is None:
            return "one_sided"
        return "agree" if self.a == self.b else "conflict"

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "status": self.status}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "ValuePair":
        return cls(d.get("a"), d.get("b"))


@dataclass(frozen=True)
class OrderDiff:
    """The order topics come in: each side's first topic, and rank agreement on shared topics.

    ``kendall_tau`` (tau-b, ties allowed) is over the first-mention positions of the topics both
    readouts have: 1 same order, −1 reversed, ``None`` with fewer than two shared topics.
    """

    first_a: str | None
    first_b: str | None
    shared: tuple[str, ...]  # in a's order
    rank_a: Mapping[str, int]
    rank_b: Mapping[str, int]
    kendall_tau: float | None

    def __post_init__(self) -> None:
        object.__setattr__(self, "rank_a", _frozen(self.rank_a))
        object.__setattr__(self, "rank_b", _frozen(self.rank_b))
        if self.kendall_tau is not None:
            object.__setattr__(self, "kendall_tau", _r(self.kendall_tau))

    def to_dict(self) -> dict[str, Any]:
        return {"first_a": self.first_a, "first_b": self.first_b, "shared": list(self.shared),
                "rank_a": dict(sorted(self.rank_a.items())),
                "rank_b": dict(sorted(self.rank_b.items())),
                "kendall_tau": None if self.kendall_tau is None else _r(self.kendall_tau)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "OrderDiff":
        tau = d.get("kendall_tau")
        return cls(d.get("first_a"), d.get("first_b"), tuple(d.get("shared", ())),
                   {k: int(v) for k, v in d.get("rank_a", {}).items()},
                   {k: int(v) for k, v in d.get("rank_b", {}).items()},
                   None if tau is None else float(tau))


@dataclass(frozen=True)
class TermScore:
    """Weighted log-odds of one topic or word: ``delta`` > 0 leans to a, ``z`` its z-score."""

    term: str
    count_a: int
    count_b: int
    delta: float
    z: float

    def __post_init__(self) -> None:
        # Rounded as in JSON, so a result equals its own round trip.
        object.__setattr__(self, "delta", _r(self.delta))
        object.__setattr__(self, "z", _r(self.z))

    def to_dict(self) -> dict[str, Any]:
        return {"term": self.term, "a": self.count_a, "b": self.count_b,
                "delta": _r(self.delta), "z": _r(self.z)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "TermScore":
        return cls(d["term"], int(d["a"]), int(d["b"]), float(d["delta"]), float(d["z"]))


@dataclass(frozen=True)
class Emphasis:
    """Which differences of emphasis are more than chance (Monroe, Colaresi & Quinn 2008).

    ``prior`` is ``"background"`` when a background corpus of ``background_documents`` earlier
    readouts informed the Dirichlet prior, else ``"uninformative"``. ``topics`` holds every topic
    either readout mentions; ``words`` the words whose ``|z|`` reaches ``z_threshold`` (at most
    ``max_words`` per side). ``note`` says what was skipped and why.
    """

    prior: str
    z_threshold: float
    topics: tuple[TermScore, ...] = ()
    words: tuple[TermScore, ...] = ()
    background_documents: int = 0
    background_source: str | None = None
    note: str | None = None

    def significant_topics(self) -> tuple[TermScore, ...]:
        return tuple(t for t in self.topics if abs(t.z) >= self.z_threshold)

    def to_dict(self) -> dict[str, Any]:
        return {"prior": self.prior, "z_threshold": self.z_threshold,
                "background": {"documents": self.background_documents,
                               "source": self.background_source},
                "topics": [t.to_dict() for t in self.topics],
                "words": [t.to_dict() for t in self.words], "note": self.note}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Emphasis":
        bg = d.get("background") or {}
        return cls(d["prior"], float(d["z_threshold"]),
                   tuple(TermScore.from_dict(t) for t in d.get("topics", ())),
                   tuple(TermScore.from_dict(t) for t in d.get("words", ())),
                   int(bg.get("documents", 0)), bg.get("source"), d.get("note"))


@dataclass(frozen=True)
class ComparisonSignals:
    """How the signals of readouts a and b differ (see ``docs/signals.md``)."""

    formulas: FormulaDiff
    initiator: ValuePair
    format: ValuePair
    descriptors: SetDiff
    topic_order: OrderDiff
    emphasis: Emphasis

    def to_dict(self) -> dict[str, Any]:
        return {"formulas": self.formulas.to_dict(), "initiator": self.initiator.to_dict(),
                "format": self.format.to_dict(), "descriptors": self.descriptors.to_dict(),
                "topic_order": self.topic_order.to_dict(), "emphasis": self.emphasis.to_dict()}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "ComparisonSignals":
        return cls(FormulaDiff.from_dict(d["formulas"]), ValuePair.from_dict(d["initiator"]),
                   ValuePair.from_dict(d["format"]), SetDiff.from_dict(d["descriptors"]),
                   OrderDiff.from_dict(d["topic_order"]), Emphasis.from_dict(d["emphasis"]))
