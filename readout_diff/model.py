"""The value types that flow through readout_diff: frozen dataclasses with ``to_dict``/``from_dict``.

Everything a user gets back is one of these. They are plain data: no pipeline, no file handles,
so they pickle cheaply (batch workers send them back) and compare by value (tests compare them).
``to_dict`` gives the ``readout-diff/1`` JSON shape of ``../shared/DESIGN.md``; ``from_dict``
reads it back, so ``Comparison.from_dict(c.to_dict()) == c``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from .signal_types import ComparisonSignals, ReadoutSignals

SCHEMA = "readout-diff/1"

__all__ = [
    "SCHEMA",
    "Alignment",
    "Analysis",
    "Commitment",
    "Comparison",
    "FrameStat",
    "Gaps",
    "Link",
    "Mention",
    "Readout",
    "Scores",
    "Sentence",
    "TopicStat",
]

RELATIONS = ("equivalent", "a_more_specific", "b_more_specific", "related", "contradictory")


class FrozenMap(Mapping[str, Any]):
    """A read-only mapping that pickles (``MappingProxyType`` does not, and batch workers send
    results between processes)."""

    __slots__ = ("_d",)

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self._d = dict(data or {})

    def __getitem__(self, key: str) -> Any:
        return self._d[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._d)

    def __len__(self) -> int:
        return len(self._d)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and self._d == dict(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"FrozenMap({self._d!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMap, (self._d,))


def _frozen_map(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return mapping if isinstance(mapping, FrozenMap) else FrozenMap(mapping)


def _round(x: float) -> float:
    # Six decimals keep JSON short and byte-identical across platforms' float formatting.
    return round(float(x), 6)


@dataclass(frozen=True)
class Readout:
    """One government's account of an event, as read from a file or given as a string.

    ``lang`` is ``"en"``, ``"zh"`` or ``"auto"`` (decided when analysed); ``meta`` holds what the
    file said about itself (date, title, source_url, ...); ``source`` is the path it came from.
    """

    text: str
    label: str = "readout"
    lang: str = "auto"
    meta: Mapping[str, Any] = field(default_factory=dict)
    source: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "meta", _frozen_map(self.meta))


@dataclass(frozen=True)
class Mention:
    """One codebook match: a topic or frame id at a character span of the readout's text."""

    id: str
    kind: str  # "topic" | "frame"
    start: int
    end: int
    negated: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "start": self.start, "end": self.end,
                "negated": self.negated}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Mention":
        return cls(d["id"], d["kind"], int(d["start"]), int(d["end"]), bool(d.get("negated", False)))


@dataclass(frozen=True)
class Commitment:
    """A future meeting, visit, call or talks that a readout announces, with how firmly.

    ``kind`` is ``meeting | visit | call | talks``; ``modality`` is ``agreed | will | invited |
    proposed | hopes``; ``actor`` is who the sentence is credited to (or ``None``).
    """

    kind: str
    modality: str
    sentence: int
    actor: str | None
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "modality": self.modality, "sentence": self.sentence,
                "actor": self.actor, "start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Commitment":
        return cls(d["kind"], d["modality"], int(d["sentence"]), d.get("actor"),
                   int(d["start"]), int(d["end"]), d["text"])


@dataclass(frozen=True)
class Sentence:
    """One sentence: its character span in the readout's text and what was found in it."""

    index: int
    start: int
    end: int
    text: str
    topics: tuple[str, ...] = ()
    frames: tuple[str, ...] = ()
    negated_topics: tuple[str, ...] = ()
    speaker: str | None = None
    mentions: tuple[Mention, ...] = ()
    specifics: int = 0  # numbers, dates and named people/places in the sentence
    actors: tuple[str, ...] = ()  # people named in the sentence (codebook actors)

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text,
                "topics": list(self.topics), "frames": list(self.frames),
                "negated_topics": list(self.negated_topics), "speaker": self.speaker,
                "specifics": self.specifics, "actors": list(self.actors),
                "mentions": [m.to_dict() for m in self.mentions]}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], index: int) -> "Sentence":
        return cls(index, int(d["start"]), int(d["end"]), d["text"], tuple(d.get("topics", ())),
                   tuple(d.get("frames", ())), tuple(d.get("negated_topics", ())),
                   d.get("speaker"), tuple(Mention.from_dict(m) for m in d.get("mentions", ())),
                   int(d.get("specifics", 0)), tuple(d.get("actors", ())))


@dataclass(frozen=True)
class TopicStat:
    """How much a readout says about one topic: hits, share of its sentences, which sentences."""

    mentions: int
    share: float
    sentences: tuple[int, ...]

    @property
    def first(self) -> int:
        """Index of the first sentence that has the topic (its rank in the readout's order)."""
        return self.sentences[0]

    def to_dict(self) -> dict[str, Any]:
        return {"mentions": self.mentions, "share": _round(self.share),
                "sentences": list(self.sentences), "first": self.first}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "TopicStat":
        return cls(int(d["mentions"]), float(d["share"]), tuple(d["sentences"]))


@dataclass(frozen=True)
class FrameStat:
    """How often a readout uses one frame, and where."""

    mentions: int
    sentences: tuple[int, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"mentions": self.mentions, "sentences": list(self.sentences)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "FrameStat":
        return cls(int(d["mentions"]), tuple(d["sentences"]))


@dataclass(frozen=True)
class Analysis:
    """Everything found in one readout: sentences, topics, frames, negations, commitments."""

    label: str
    lang: str
    sentences: tuple[Sentence, ...]
    topics: Mapping[str, TopicStat]
    negated_topics: tuple[str, ...]
    frames: Mapping[str, FrameStat]
    commitments: tuple[Commitment, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=dict)
    source: str | None = None
    signals: ReadoutSignals | None = None  # formulas, initiator, format, ... (docs/signals.md)

    def __post_init__(self) -> None:
        object.__setattr__(self, "topics", _frozen_map(self.topics))
        object.__setattr__(self, "frames", _frozen_map(self.frames))
        object.__setattr__(self, "meta", _frozen_map(self.meta))

    @property
    def n_sentences(self) -> int:
        return len(self.sentences)

    @property
    def breadth(self) -> int:
        """Agenda breadth: how many topics the readout has."""
        return len(self.topics)

    @property
    def specificity(self) -> float:
        """Numbers, dates and named people/places per sentence."""
        if not self.sentences:
            return 0.0
        return sum(s.specifics for s in self.sentences) / len(self.sentences)

    @property
    def n_words(self) -> int:
        return sum(len(s.text.split()) for s in self.sentences)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "lang": self.lang,
            "source": self.source,
            "meta": _jsonable(self.meta),
            "n_sentences": self.n_sentences,
            "breadth": self.breadth,
            "specificity": _round(self.specificity),
            "sentences": [s.to_dict() for s in self.sentences],
            "topics": {k: v.to_dict() for k, v in sorted(self.topics.items())},
            "negated_topics": list(self.negated_topics),
            "frames": {k: v.to_dict() for k, v in sorted(self.frames.items())},
            "commitments": [c.to_dict() for c in self.commitments],
            **({"signals": self.signals.to_dict()} if self.signals is not None else {}),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Analysis":
        return cls(
            label=d["label"],
            lang=d["lang"],
            sentences=tuple(Sentence.from_dict(s, i) for i, s in enumerate(d["sentences"])),
            topics={k: TopicStat.from_dict(v) for k, v in d["topics"].items()},
            negated_topics=tuple(d.get("negated_topics", ())),
            frames={k: FrameStat.from_dict(v) for k, v in d.get("frames", {}).items()},
            commitments=tuple(Commitment.from_dict(c) for c in d.get("commitments", ())),
            meta=d.get("meta") or {},
            source=d.get("source"),
            signals=ReadoutSignals.from_dict(d["signals"]) if d.get("signals") else None,
        )

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=False, **kwargs)


@dataclass(frozen=True)
class Link:
    """Sentence ``a`` of one readout and sentence ``b`` of the other report the same thing.

    ``relation`` is one of ``equivalent``, ``a_more_specific``, ``b_more_specific``, ``related``,
    ``contradictory``.
    """

    a: int
    b: int
    score: float
    relation: str

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "score": _round(self.score), "relation": self.relation}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Link":
        return cls(int(d["a"]), int(d["b"]), float(d["score"]), d["relation"])


@dataclass(frozen=True)
class Alignment:
    """Links between the sentences of two readouts; sentences in no link are listed per side."""

    links: tuple[Link, ...]
    unaligned_a: tuple[int, ...]
    unaligned_b: tuple[int, ...]


@dataclass(frozen=True)
class Gaps:
    """What one side says and the other does not: topics, frames, and topics one side denies."""

    shared: tuple[str, ...]
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]
    frames_shared: tuple[str, ...]
    frames_only_a: tuple[str, ...]
    frames_only_b: tuple[str, ...]
    negated_a: tuple[str, ...]
    negated_b: tuple[str, ...]
    disputed: tuple[str, ...]  # present on one side, explicitly not discussed on the other

    def to_dict(self) -> dict[str, Any]:
        return {
            "shared": list(self.shared),
            "only_a": list(self.only_a),
            "only_b": list(self.only_b),
            "frames": {"shared": list(self.frames_shared), "only_a": list(self.frames_only_a),
                       "only_b": list(self.frames_only_b)},
            "negated": {"a": list(self.negated_a), "b": list(self.negated_b)},
            "disputed": list(self.disputed),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Gaps":
        f, n = d.get("frames", {}), d.get("negated", {})
        return cls(tuple(d["shared"]), tuple(d["only_a"]), tuple(d["only_b"]),
                   tuple(f.get("shared", ())), tuple(f.get("only_a", ())),
                   tuple(f.get("only_b", ())), tuple(n.get("a", ())), tuple(n.get("b", ())),
                   tuple(d.get("disputed", ())))


@dataclass(frozen=True)
class Scores:
    """Every score is a float in [0, 1]; README.md ("Scores") gives each formula."""

    topic_jaccard: float
    frame_jaccard: float
    emphasis_divergence: float
    alignment_coverage: float
    breadth_balance: float
    specificity_balance: float
    gap_score: float

    def to_dict(self) -> dict[str, float]:
        return {k: _round(getattr(self, k)) for k in self.__dataclass_fields__}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Scores":
        return cls(**{k: float(d[k]) for k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Comparison:
    """The result of comparing readout ``a`` with readout ``b``."""

    a: Analysis
    b: Analysis
    alignment: Alignment
    gaps: Gaps
    scores: Scores
    signals: ComparisonSignals | None = None  # formulas, initiator, emphasis, ... (docs/signals.md)
    #: What linked the sentences: ``{"kind": "linker", ...training facts}`` or ``{"kind": "rule",
    #: "threshold": ..., "top_k": ...}`` (:func:`readout_diff.linker.describe_aligner`).
    aligner: FrozenMap | None = None

    def to_dict(self) -> dict[str, Any]:
        """The ``readout-diff/1`` JSON object (plain dicts, lists, strings and numbers)."""
        return {
            "schema": SCHEMA,
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "gaps": self.gaps.to_dict(),
            "alignment": [link.to_dict() for link in self.alignment.links],
            "unaligned": {"a": list(self.alignment.unaligned_a),
                          "b": list(self.alignment.unaligned_b)},
            "scores": self.scores.to_dict(),
            **({"signals": self.signals.to_dict()} if self.signals is not None else {}),
            **({"aligner": dict(self.aligner)} if self.aligner is not None else {}),
        }

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Comparison":
        """Rebuild a comparison from its ``readout-diff/1`` object (e.g. a batch output line)."""
        if d.get("schema") != SCHEMA:
            from .errors import InputError

            raise InputError("<dict>", f"expected schema {SCHEMA!r}, got {d.get('schema')!r}")
        unaligned = d.get("unaligned", {})
        return cls(
            a=Analysis.from_dict(d["a"]),
            b=Analysis.from_dict(d["b"]),
            alignment=Alignment(tuple(Link.from_dict(x) for x in d["alignment"]),
                                tuple(unaligned.get("a", ())), tuple(unaligned.get("b", ()))),
            gaps=Gaps.from_dict(d["gaps"]),
            scores=Scores.from_dict(d["scores"]),
            signals=ComparisonSignals.from_dict(d["signals"]) if d.get("signals") else None,
            aligner=FrozenMap(d["aligner"]) if d.get("aligner") else None,
        )

    def _repr_html_(self) -> str:  # Jupyter
        from .report import render

        return render(self, "html")


def _jsonable(meta: Mapping[str, Any]) -> dict[str, Any]:
    """Front matter may hold dates and other YAML types: keep JSON types, stringify the rest."""
    out: dict[str, Any] = {}
    for k in sorted(meta, key=str):
        v = meta[k]
        if isinstance(v, (str, int, float, bool)) or v is None:
            out[str(k)] = v
        elif isinstance(v, (list, tuple)):
            out[str(k)] = [x if isinstance(x, (str, int, float, bool)) else str(x) for x in v]
        else:
            out[str(k)] = str(v)
    return out
