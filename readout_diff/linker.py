"""Which candidate sentence pairs become links: a logistic regression learned from gold alignments.

The rule aligner (:func:`readout_diff.align.align_features`) scores every pair with one weighted
sum and links a pair that is the best of its row or column. That rule cannot see the rest of
the readout: whether a better partner exists, whether the shared topic is one that every other
sentence also mentions, whether the pair opens both readouts. The linker adds that context in
two stages:

1. **Candidates**: the rule aligner with a lower threshold and ``top_k`` (``candidate_threshold``,
   ``candidate_top_k``) proposes pairs: exact, blocked and pruned as always. Texts with more
   than ``max_pairs`` sentence pairs (transcripts of thousands of sentences, far from the
   readouts the model learned from) are left to the rule aligner.
2. **Decision**: each candidate gets the :data:`FEATURES` below (its similarity terms, how it
   ranks in its row and column, how rare its shared topics are in the two readouts, ...), and a
   logistic regression gives the probability that an annotator links it. Candidates from
   ``cutoff`` on are links; identical sentences always are.

The shipped model (``linkers/default.json``) was trained by ``readout-diff train-linker corpora/en
corpora/zh`` on the development corpus' gold alignments, never on ``corpora/heldout``; its file
records the training pairs, the cross-validated precision/recall/F1 and the features. A test
retrains it and fails when the file is stale (features or pipeline changed since). Prediction is a
dot product in NumPy: scikit-learn is imported only to train
(:mod:`readout_diff.linker_training`).

Readouts in two languages are linked the same way when the model was trained on such pairs
(the shipped one was: the Chinese readouts of ``corpora/zh`` against the English ones): their
candidates come from the rule's cross-language score (anchors and speakers), and the
``two_languages`` feature tells the model that no words could be compared. A model trained on
one language only leaves them to the rule.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from .errors import LinkerError
from .model import Alignment

__all__ = ["FEATURES", "Linker", "default_linker", "describe_aligner", "link_features",
           "load_linker", "pair_features", "resolve_linker"]

#: What the model sees of a candidate pair (a, b), in this order. A model file names the features
#: it was trained on; loading one with other names fails rather than mis-reading weights.
FEATURES: tuple[str, ...] = (
    "score",                    # the rule aligner's score of the pair
    "cosine",                   # TF-IDF cosine of content words
    "fuzzy",                    # rapidfuzz token_set_ratio / 100
    "anchors",                  # weighted Jaccard of anchors (topics, frames, numbers, people)
    "position",                 # 1 - |relative position in a - relative position in b|
    "below_row_best",           # score - best candidate score of sentence a (<= 0)
    "below_column_best",        # score - best candidate score of sentence b (<= 0)
    "row_rank",                 # 0 for a's best candidate, 1 for the next, ... (at most 3)
    "column_rank",
    "shared_topics",            # topics (negated ones too) both sentences name
    "union_topics",
    "shared_frames",
    "union_frames",
    "disjoint_topics",          # both name topics, none the same
    "same_speaker",
    "first_a",                  # sentence a opens its readout (headline or first line)
    "first_b",
    "both_first",
    "log_words_a",              # log(1 + content words)
    "log_words_b",
    "shared_people",            # both name the same two or more people
    "shared_numbers",
    "topic_rarity_max",         # max over shared topics t of 1 / (sentences of a with t × of b)
    "topic_rarity_sum",
    "frame_rarity_max",
    "topics_a",                 # topics of a (negated ones too): a list sentence vs a single one
    "topics_b",
    "list_a",                   # a names three or more topics
    "list_b",
    "mutual_best",              # the pair is the best candidate of both its row and its column
    "opening_pair",             # both among the first two sentences, naming the same people
    "both_describe_talks",      # both characterise the talks ("candid and constructive")
    "negation_crossed",         # one names a topic the other says was not discussed
    "relative_a",               # position of a in its readout, 0 (first) to 1 (last)
    "relative_b",
    "two_languages",            # the readouts are in two languages (no shared words to compare)
)

_MAX_RANK = 3


def _mirror_index() -> tuple[int, ...]:
    """For each feature, the one it becomes when the two readouts swap places (``row_rank`` ↔
    ``column_rank``, ``first_a`` ↔ ``first_b``, ...); symmetric features map to themselves."""
    swap = {"below_row_best": "below_column_best", "row_rank": "column_rank"}
    for name in FEATURES:
        if name.endswith("_a"):
            swap[name] = name[:-2] + "_b"
    swap.update({v: k for k, v in list(swap.items())})
    return tuple(FEATURES.index(swap.get(name, name)) for name in FEATURES)


#: ``x[:, MIRROR]`` is the feature matrix of the same pairs with the readouts swapped.
MIRROR: tuple[int, ...] = _mirror_index()


@dataclass(frozen=True)
class Linker:
    """A trained linker: standardisation, weights and cut-off of a logistic regression over
    :data:`FEATURES`, and the candidate stage it was trained with."""

    weights: tuple[float, ...]
    intercept: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    cutoff: float
    candidate_threshold: float = 0.20
    candidate_top_k: int = 2
    #: Whether the training pairs included readouts in two languages; if not, such pairs keep
    #: the rule aligner (the model never saw a pair without shared words).
    two_languages: bool = False
    #: Readouts with more sentence pairs (n × m) than this keep the rule aligner: the model
    #: learned from readouts of a few dozen sentences, not from transcripts of thousands, and
    #: its looser candidate stage costs memory and time there that the rule does not.
    max_pairs: int = 250_000
    features: tuple[str, ...] = FEATURES
    #: Where the model came from: corpus, pairs, gold links, cross-validated P/R/F1, versions.
    provenance: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        n = len(self.features)
        if not (len(self.weights) == len(self.mean) == len(self.scale) == n):
            raise LinkerError(f"linker: {len(self.weights)} weights, {len(self.mean)} means and "
                              f"{len(self.scale)} scales for {n} features; expected {n} of each")
        if not 0.0 < self.cutoff < 1.0:
            raise LinkerError(f"linker: cutoff must be a probability in (0, 1); got {self.cutoff!r}")

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """P(link) of each row of a feature matrix (rows: candidates; columns: :data:`FEATURES`).

        The mean of the model's answer for the pair as given and with the readouts swapped, so
        that comparing b with a links exactly the mirror of a with b.
        """
        return (self._sigmoid(x) + self._sigmoid(x[:, MIRROR])) / 2.0

    def _sigmoid(self, x: np.ndarray) -> np.ndarray:
        terms = (x - np.asarray(self.mean)) / np.asarray(self.scale) * np.asarray(self.weights)
        # Summed strictly left to right (cumsum): a BLAS product may round differently with the
        # memory layout, and the mirror property needs the same floats both ways round.
        z = terms.cumsum(axis=1)[:, -1] + self.intercept if x.shape[1] else \
            np.full(len(x), self.intercept)
        return 1.0 / (1.0 + np.exp(-z))

    def to_dict(self) -> dict[str, Any]:
        return {"format": "readout-diff-linker/1", "features": list(self.features),
                "weights": list(self.weights), "intercept": self.intercept,
                "mean": list(self.mean), "scale": list(self.scale), "cutoff": self.cutoff,
                "candidate_threshold": self.candidate_threshold,
                "candidate_top_k": self.candidate_top_k, "two_languages": self.two_languages,
                "max_pairs": self.max_pairs, "provenance": dict(self.provenance)}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], *, source: str = "linker") -> "Linker":
        if d.get("format") != "readout-diff-linker/1":
            raise LinkerError(f"{source}: not a readout-diff-linker/1 file "
                              f"(format {d.get('format')!r})")
        features = tuple(d.get("features", ()))
        if features != FEATURES:
            missing = sorted(set(FEATURES) - set(features))
            extra = sorted(set(features) - set(FEATURES))
            raise LinkerError(f"{source}: trained on other features than this version computes "
                              f"(missing {missing}, unknown {extra}, or another order); "
                              "retrain it with `readout-diff train-linker`")
        try:
            return cls(tuple(float(w) for w in d["weights"]), float(d["intercept"]),
                       tuple(float(m) for m in d["mean"]), tuple(float(s) for s in d["scale"]),
                       float(d["cutoff"]), float(d["candidate_threshold"]),
                       int(d["candidate_top_k"]), bool(d.get("two_languages", False)),
                       int(d.get("max_pairs", 250_000)), features, dict(d.get("provenance", {})))
        except (KeyError, TypeError, ValueError) as exc:
            raise LinkerError(f"{source}: malformed linker ({type(exc).__name__}: {exc})") from None

    def save(self, path: str | Path) -> None:
        from .output import write_atomic

        write_atomic(path, json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n")


def load_linker(path: str | Path) -> Linker:
    """Read a linker written by ``readout-diff train-linker`` (or :meth:`Linker.save`)."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LinkerError(f"{p}: no such linker file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LinkerError(f"{p}: unreadable linker ({exc})") from None
    if not isinstance(data, dict):
        raise LinkerError(f"{p}: a linker file holds a JSON object")
    return Linker.from_dict(data, source=str(p))


@lru_cache(maxsize=8)
def _load_cached(path: Path, mtime_ns: int, size: int) -> Linker:
    return load_linker(path)


@lru_cache(maxsize=1)
def default_linker() -> Linker:
    """The linker shipped with the package (trained on ``corpora/en``)."""
    ref = resources.files("readout_diff").joinpath("linkers/default.json")
    return Linker.from_dict(json.loads(ref.read_text(encoding="utf-8")),
                            source="readout_diff/linkers/default.json")


def resolve_linker(linker: "Linker | str | Path | None") -> Linker | None:
    """``"default"`` → the shipped linker; a path → that file; ``None`` → the rule aligner."""
    if linker is None or isinstance(linker, Linker):
        return linker
    if isinstance(linker, str) and linker == "default":
        return default_linker()
    if isinstance(linker, (str, os.PathLike)):
        # A file is read once per version of it, not once per comparison.
        path = Path(linker).resolve()
        try:
            stat = path.stat()
        except OSError:
            return load_linker(linker)  # the one clear error for a missing file
        return _load_cached(path, stat.st_mtime_ns, stat.st_size)
    from .errors import ParameterError

    raise ParameterError.invalid("linker", "compare", "a Linker, 'default', a path or None",
                                 linker)


def candidates(fa: Any, fb: Any, linker: Linker) -> tuple[np.ndarray, ...]:
    """Candidate pairs from the rule aligner with the linker's settings: (i, j, rule score,
    cosine, fuzzy, Jaccard, position) arrays (:func:`readout_diff.align.candidate_pairs`)."""
    from .align import candidate_pairs

    return candidate_pairs(fa, fb, threshold=linker.candidate_threshold,
                           top_k=linker.candidate_top_k)


def _rule_instead(fa: Any, fb: Any, linker: Linker) -> str | None:
    """Why the rule aligner links this pair instead of ``linker``, or None when it does not."""
    if fa.lang != fb.lang and not linker.two_languages:
        return "readouts in two languages; the linker was trained on one"
    if fa.n * fb.n > linker.max_pairs:
        return f"more than {linker.max_pairs:,} sentence pairs (the linker's max_pairs)"
    return None


def describe_aligner(fa: Any, fb: Any, linker: Linker | None, *, threshold: float,
                     top_k: int) -> dict[str, Any]:
    """What links the sentences of this pair, for the report: the linker (with where it was
    trained and its cross-validated link F1) or the rule (with its settings and, when a linker
    was asked for, why the rule took over)."""
    from .align import DEFAULT_THRESHOLD, DEFAULT_TOP_K

    if linker is not None and _rule_instead(fa, fb, linker) is None:
        info = linker.provenance
        report = info.get("report", {})
        return {"kind": "linker", "trained_on": list(info.get("corpus", [])),
                "trained": info.get("trained"), "cutoff": linker.cutoff,
                "cross_validated_f1": report.get("cross_validated", {}).get("f1")}
    out: dict[str, Any] = {"kind": "rule"}
    if linker is None:
        out.update(threshold=threshold, top_k=top_k)
    else:
        out.update(threshold=DEFAULT_THRESHOLD, top_k=DEFAULT_TOP_K,
                   why=_rule_instead(fa, fb, linker))
    return out


def linked(p: np.ndarray, score: np.ndarray, cutoff: float) -> np.ndarray:
    """Which candidates are links: probability from ``cutoff`` on, or a rule score of 1.0
    (identical sentences score 1.0). The one rule of prediction and of training's
    cross-validation."""
    return (p >= cutoff) | (score >= 1.0)


def link_features(fa: Any, fb: Any, *, linker: Linker) -> Alignment:
    """Align two readouts' features with a trained linker (see the module docstring)."""
    from .align import align_features, alignment_of

    if _rule_instead(fa, fb, linker) is not None:
        return align_features(fa, fb)
    i, j, s, *terms = candidates(fa, fb, linker)
    if len(i):
        keep = linked(linker.probabilities(pair_features(fa, fb, i, j, s, terms=terms)), s,
                      linker.cutoff)
        i, j, s = i[keep], j[keep], s[keep]
    return alignment_of(i, j, s, fa, fb)


def pair_features(fa: Any, fb: Any, i: np.ndarray, j: np.ndarray, score: np.ndarray, *,
                  terms: "list[np.ndarray] | None" = None) -> np.ndarray:
    """The :data:`FEATURES` of candidate pairs (i[k], j[k]) with rule scores ``score[k]``.

    ``terms`` are the pairs' (cosine, fuzzy, Jaccard, position), computed here when not given.
    Row and column context (best score, rank) is taken over the candidates, which hold the
    best-scoring partners of every sentence that has one.
    """
    from .align import pair_components

    k = len(i)
    out = np.zeros((k, len(FEATURES)))
    if not k:
        return out
    i, j = np.asarray(i, np.int64), np.asarray(j, np.int64)
    cos, fz, sem, pos = terms if terms is not None else pair_components(fa, fb, i, j)
    row_best = np.full(fa.n, -np.inf)
    np.maximum.at(row_best, i, score)
    col_best = np.full(fb.n, -np.inf)
    np.maximum.at(col_best, j, score)
    count_a = _counts(fa.topics, fa.negated)
    count_b = _counts(fb.topics, fb.negated)
    frames_a = _counts(fa.frames)
    frames_b = _counts(fb.frames)
    speakers_a = fa.speakers or (None,) * fa.n
    speakers_b = fb.speakers or (None,) * fb.n
    # Per sentence, once (a sentence is in several candidates): its topics with the negated
    # ones, log1p of its word count, and its people ("p:") and number ("n:") anchors; a pair
    # shares such an anchor when one of a's is among b's.
    topics_a = [t | ng for t, ng in zip(fa.topics, fa.negated)]
    topics_b = [t | ng for t, ng in zip(fb.topics, fb.negated)]
    people_a, numbers_a = _anchors_of(fa.anchors, "p:"), _anchors_of(fa.anchors, "n:")
    # The features of a pair's sets in Python, per candidate (unions counted as |x| + |y| -
    # |x & y|: the same integers); those of one sentence alone as arrays indexed by i or j.
    pairs = []
    for a, b in zip(i.tolist(), j.tolist()):
        ta, tb = topics_a[a], topics_b[b]
        ra, rb = fa.frames[a], fb.frames[b]
        shared_t, shared_f = ta & tb, ra & rb
        anchors_b = fb.anchors[b]
        if shared_t:
            rarity = [1.0 / (count_a[t] * count_b[t]) for t in shared_t]
            rare_max, rare_sum = max(rarity), sum(rarity)
        else:
            rare_max = rare_sum = 0.0
        pairs.append((
            len(shared_t), len(ta) + len(tb) - len(shared_t),
            len(shared_f), len(ra) + len(rb) - len(shared_f),
            bool(ta) and bool(tb) and not shared_t,
            not people_a[a].isdisjoint(anchors_b),
            not numbers_a[a].isdisjoint(anchors_b),
            rare_max, rare_sum,
            max((1.0 / (frames_a[f] * frames_b[f]) for f in shared_f), default=0.0),
            len(fa.topics[a] & fb.negated[b]) + len(fa.negated[a] & fb.topics[b]),
        ))
    per = np.array(pairs, dtype=np.float64)
    codes: dict[str, int] = {}  # a sentence with no speaker shares none: -1 on a, -2 on b
    spk_a = np.array([codes.setdefault(x, len(codes)) if x is not None else -1
                      for x in speakers_a], dtype=np.int64)
    spk_b = np.array([codes.setdefault(x, len(codes)) if x is not None else -2
                      for x in speakers_b], dtype=np.int64)
    len_a = np.array([len(t) for t in topics_a], dtype=np.int64)[i]
    len_b = np.array([len(t) for t in topics_b], dtype=np.int64)[j]
    talks_a = np.array(["d:talks" in x for x in fa.anchors], dtype=bool)
    talks_b = np.array(["d:talks" in x for x in fb.anchors], dtype=bool)
    first_a, first_b, people = i == 0, j == 0, per[:, 5]
    rows = out[:, 9:]
    rows[:, 0:5] = per[:, 0:5]
    rows[:, 5] = spk_a[i] == spk_b[j]
    rows[:, 6], rows[:, 7], rows[:, 8] = first_a, first_b, first_a & first_b
    rows[:, 9] = np.array([math.log1p(len(x.split())) for x in fa.strings])[i]
    rows[:, 10] = np.array([math.log1p(len(x.split())) for x in fb.strings])[j]
    rows[:, 11:16] = per[:, 5:10]
    rows[:, 16], rows[:, 17], rows[:, 18], rows[:, 19] = len_a, len_b, len_a >= 3, len_b >= 3
    rows[:, 20] = 0.0  # mutual_best: filled below, from the ranks
    rows[:, 21] = (i <= 1) & (j <= 1) & (people == 1.0)
    rows[:, 22] = talks_a[i] & talks_b[j]
    rows[:, 23] = per[:, 10]
    rows[:, 24] = i / max(fa.n - 1, 1)
    rows[:, 25] = j / max(fb.n - 1, 1)
    rows[:, 26] = float(fa.lang != fb.lang)
    out[:, 0] = score
    out[:, 1], out[:, 2], out[:, 3], out[:, 4] = cos, fz, sem, pos
    out[:, 5] = score - row_best[i]
    out[:, 6] = score - col_best[j]
    out[:, 7] = _ranks(i, score)
    out[:, 8] = _ranks(j, score)
    out[:, FEATURES.index("mutual_best")] = (out[:, 7] == 0) & (out[:, 8] == 0)
    return out


def _anchors_of(anchors: tuple[frozenset[str], ...], prefix: str) -> list[frozenset[str]]:
    """Each sentence's anchors of one kind (``prefix``: ``"p:"`` people, ``"n:"`` numbers)."""
    return [frozenset(x for x in s if x.startswith(prefix)) for s in anchors]


def _counts(*per_sentence: tuple[frozenset[str], ...]) -> dict[str, int]:
    """How many sentences name each label (in any of the given per-sentence sets)."""
    counts: dict[str, int] = {}
    for sets in zip(*per_sentence):
        for label in frozenset().union(*sets):
            counts[label] = counts.get(label, 0) + 1
    return counts


def _ranks(group: np.ndarray, score: np.ndarray) -> np.ndarray:
    """How many candidates of the same group score higher, capped at _MAX_RANK. Ties share a
    rank, so the order the candidates come in does not matter."""
    order = np.lexsort((-score, group))
    g, v = group[order], score[order]
    idx = np.arange(len(g))
    new_run = np.ones(len(g), dtype=bool)  # where a (group, score) run begins
    new_run[1:] = (g[1:] != g[:-1]) | (v[1:] != v[:-1])
    run_start = np.maximum.accumulate(np.where(new_run, idx, 0))
    rank = run_start - g.searchsorted(g, side="left")
    out = np.empty(len(g))
    out[order] = np.minimum(rank, _MAX_RANK)
    return out
