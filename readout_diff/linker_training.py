"""Training a :class:`~readout_diff.linker.Linker` on gold sentence alignments (scikit-learn).

Input is a corpus in the format of ``corpora/README.md``: pair folders whose ``gold.json`` has an
``alignment`` (pairs of sentence indices). For every pair the readouts are analysed as
:func:`readout_diff.compare` does, the candidate stage proposes pairs, and each candidate is
labelled by whether gold links it. The model is a standardised logistic regression.

The cut-off and the reported figures come from leave-one-pair-out cross-validation: each pair's
candidates are scored by a model trained on the other pairs, so the F1 printed is what an unseen
pair of the same kind can expect (the cut-off is chosen on those same predictions, which makes
it slightly optimistic; ``corpora/heldout`` is the honest check). Recall counts every gold link,
also those the candidate stage never proposed.
"""

from __future__ import annotations

import datetime as _dt
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from .errors import LinkerError
from .align import candidate_pairs
from .evaluation import PRF, find_gold_pairs, prf
from .linker import FEATURES, MIRROR, Linker, linked, pair_features

__all__ = ["Example", "TrainingReport", "examples_from_corpus", "train_linker"]

_CUTOFFS = tuple(round(float(x), 3) for x in np.arange(0.15, 0.801, 0.025))


@dataclass(frozen=True)
class Example:
    """One annotated pair: the aligner's features of both readouts and the gold links."""

    name: str
    fa: Any  # SentenceFeatures
    fb: Any
    gold: frozenset[tuple[int, int]]


@dataclass(frozen=True)
class TrainingReport:
    """Cross-validated link P/R/F1 at the chosen cut-off, and how many candidates and gold
    links the training saw."""

    pairs: int
    gold_links: int
    candidates: int
    gold_in_candidates: int
    cutoff: float
    cross_validated: PRF
    #: The same, for pairs in one language and for pairs in two (where there are any).
    by_kind: dict[str, PRF]

    def to_dict(self) -> dict[str, Any]:
        return {"pairs": self.pairs, "gold_links": self.gold_links,
                "candidates": self.candidates, "gold_in_candidates": self.gold_in_candidates,
                "cutoff": self.cutoff, "cross_validated": self.cross_validated.to_dict(),
                "by_kind": {k: v.to_dict() for k, v in self.by_kind.items()}}


def examples_from_corpus(roots: Sequence[str | Path], *, exclude: tuple[str, ...] = ("heldout",),
                         codebook: Any = None) -> list[Example]:
    """Every gold pair with an ``alignment`` under ``roots`` whose sentence counts agree with
    the gold (otherwise the indices would not mean the same sentences)."""
    from .pipeline import DEFAULT_MAX_CHARS, DEFAULT_MAX_SENTENCES, _analyze
    from .readers import load_readout

    out = []
    for root in roots:
        for pair in find_gold_pairs(root, exclude=exclude):
            if "alignment" not in pair.gold:
                continue
            sides = pair.gold["sides"]
            analysed = []
            for path, label in ((pair.path_a, pair.label_a), (pair.path_b, pair.label_b)):
                readout = load_readout(path, label=label)
                analysed.append(_analyze(readout, codebook, "auto", DEFAULT_MAX_SENTENCES, None,
                                         max_chars=DEFAULT_MAX_CHARS))
            (an_a, fa), (an_b, fb) = analysed
            if (an_a.n_sentences != sides[pair.label_a].get("n_sentences", an_a.n_sentences)
                    or an_b.n_sentences != sides[pair.label_b].get("n_sentences",
                                                                   an_b.n_sentences)):
                warnings.warn(f"{pair.folder}: the readouts split into other sentence counts "
                              f"than gold.json's n_sentences; pair left out of training",
                              stacklevel=2)
                continue
            gold = frozenset((int(a), int(b)) for a, b in pair.gold["alignment"])
            out.append(Example(str(pair.folder.relative_to(root)), fa, fb, gold))
    return out


def train_linker(examples: Iterable[Example], *, candidate_threshold: float = 0.20,
                 candidate_top_k: int = 2, c: float = 1.0,
                 provenance: dict[str, Any] | None = None) -> tuple[Linker, TrainingReport]:
    """Fit a linker on annotated pairs; returns it with its cross-validated report."""
    examples = list(examples)
    if len(examples) < 2:
        raise LinkerError(f"training needs at least two annotated pairs; got {len(examples)}")
    xs, ys, keys, scores = [], [], [], []
    for ex in examples:
        i, j, s, *terms = candidate_pairs(ex.fa, ex.fb, threshold=candidate_threshold,
                                          top_k=candidate_top_k)
        xs.append(pair_features(ex.fa, ex.fb, i, j, s, terms=terms))
        ys.append(np.array([(a, b) in ex.gold for a, b in zip(i.tolist(), j.tolist())], bool))
        keys.append(list(zip(i.tolist(), j.tolist())))
        scores.append(s)
    y_all = np.concatenate(ys)
    if y_all.all() or not y_all.any():
        raise LinkerError("training needs candidates both linked and not linked by the gold")
    # Leave one pair out: every pair's candidates scored by a model that never saw the pair.
    probs = []
    for k in range(len(examples)):
        rest = [m for m in range(len(examples)) if m != k]
        x_tr = np.vstack([xs[m] for m in rest])
        y_tr = np.concatenate([ys[m] for m in rest])
        if y_tr.all() or not y_tr.any():
            probs.append(np.full(len(ys[k]), 0.5))
            continue
        probs.append(_fit(x_tr, y_tr, c).probabilities(xs[k]) if len(ys[k]) else np.zeros(0))
    def scored(ks: list[int], cutoff: float) -> PRF:
        return sum((_scored(examples[k], probs[k], scores[k], keys[k], cutoff) for k in ks),
                   PRF(0, 0, 0))

    every = list(range(len(examples)))
    cutoff = max(_CUTOFFS, key=lambda t: (scored(every, t).f1, -t))
    kinds = {"one language": [k for k, ex in enumerate(examples) if ex.fa.lang == ex.fb.lang],
             "two languages": [k for k, ex in enumerate(examples) if ex.fa.lang != ex.fb.lang]}
    by_kind = {name: scored(ks, cutoff) for name, ks in kinds.items() if ks}
    model = _fit(np.vstack(xs), y_all, c)
    report = TrainingReport(
        pairs=len(examples), gold_links=sum(len(ex.gold) for ex in examples),
        candidates=int(len(y_all)), gold_in_candidates=int(y_all.sum()), cutoff=cutoff,
        cross_validated=scored(every, cutoff), by_kind=by_kind)
    info = dict(provenance or {})
    info.setdefault("trained", _dt.date.today().isoformat())
    info.update({"examples": [ex.name for ex in examples], "report": report.to_dict(), "C": c})
    linker = Linker(model.weights, model.intercept, model.mean, model.scale, cutoff,
                    candidate_threshold, candidate_top_k, bool(kinds["two languages"]),
                    features=FEATURES, provenance=info)
    return linker, report


def _scored(ex: Example, p: np.ndarray, score: np.ndarray, key: list[tuple[int, int]],
            cutoff: float) -> PRF:
    """Link P/R/F1 of one pair against all its gold links (also those never candidates), the
    links chosen as prediction chooses them (:func:`readout_diff.linker.linked`)."""
    chosen = linked(p, score, cutoff) if len(key) else np.zeros(0, bool)
    return prf({k for k, c in zip(key, chosen.tolist()) if c}, ex.gold)


def _fit(x: np.ndarray, y: np.ndarray, c: float) -> Linker:
    """A standardised logistic regression (lbfgs: deterministic), as a Linker's numbers.

    Every pair is seen both ways round (features mirrored, same label): which readout is a and
    which is b is the caller's choice, not a property of the pair.
    """
    from sklearn.linear_model import LogisticRegression

    x = np.vstack([x, x[:, MIRROR]])
    y = np.concatenate([y, y])
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0.0] = 1.0  # a constant feature (e.g. never seen): weight stays near 0
    # A tight tolerance: the optimum is unique (L2), so any scikit-learn finds the same weights.
    clf = LogisticRegression(C=c, max_iter=10_000, tol=1e-9).fit((x - mean) / scale, y)
    return Linker(tuple(float(w) for w in clf.coef_[0]), float(clf.intercept_[0]),
                  tuple(float(m) for m in mean), tuple(float(s) for s in scale), 0.5)
