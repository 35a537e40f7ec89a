"""Emphasis with evidence: which topics and words one readout stresses more than chance allows.

A readout of nine sentences that mentions trade twice and the other's once does not "stress
trade": the difference is noise at that length. :func:`emphasis` scores every topic (by
mentions) and every content word (by normalised form) with the weighted log-odds of
:mod:`readout_diff.logodds`, and keeps the z-scores, so a report can say which differences are
more than chance.

The prior comes from a :class:`Background`: earlier readouts read once with
:func:`load_background` (their topic mentions and content words). Without one the prior is
uninformative and the result says so in ``note``. Words are compared only between readouts of
one language (the two vocabularies of a Chinese and an English readout share nothing to
compare); topics always are.
"""

from __future__ import annotations

import os
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping

import numpy as np

from .errors import InputError
from .logodds import DEFAULT_Z, log_odds, log_odds_arrays
from .signal_types import Emphasis, TermScore, _r

if TYPE_CHECKING:  # pragma: no cover
    from .align import SentenceFeatures
    from .codebook import Codebook
    from .model import Analysis

__all__ = ["Background", "DEFAULT_MAX_WORDS", "emphasis", "load_background", "word_counts"]

#: Most words listed per side in an Emphasis (those with the largest |z| first).
DEFAULT_MAX_WORDS = 15


@dataclass(frozen=True)
class Background:
    """Counts from a corpus of earlier readouts: the informative prior of :func:`emphasis`.

    ``topics`` counts topic mentions over all documents; ``words`` counts content words per
    language; ``documents`` is how many readouts were read from ``source``.
    """

    topics: Mapping[str, int]
    words: Mapping[str, Mapping[str, int]]
    documents: int
    source: str | None = None

    @classmethod
    def build(cls, items: "Iterable[tuple[Analysis, SentenceFeatures | None]]", *,
              source: str | None = None) -> "Background":
        """Count analysed readouts (each with its aligner features, which give its words)."""
        topics: Counter[str] = Counter()
        words: dict[str, Counter[str]] = {}
        n = 0
        for analysis, features in items:
            n += 1
            topics.update({k: v.mentions for k, v in analysis.topics.items()})
            if features is not None:
                words.setdefault(analysis.lang, Counter()).update(word_counts(features))
        return cls(dict(topics), {k: dict(v) for k, v in words.items()}, n, source)


def word_counts(features: "SentenceFeatures") -> Counter[str]:
    """Content words (normalised, no stop words or punctuation) of an analysed readout."""
    # One split of the sentences joined: the same words, counted by Counter's C loop.
    return Counter(" ".join(features.strings).split())


def load_background(
    folder: str | os.PathLike[str],
    *,
    codebook: "Codebook | None" = None,
    lang: str = "auto",
    exclude: tuple[str | os.PathLike[str], ...] = (),
) -> Background:
    """Read every readout file under ``folder`` (recursively) into a :class:`Background`.

    ``exclude`` names files to leave out (the readouts being compared, when they sit in the
    folder). Files that cannot be read, or are in a language without a pipeline, are skipped;
    a folder with no readable readout is an :class:`~readout_diff.errors.InputError`.
    """
    from .language import resolve_language
    from .nlp import languages
    from .pipeline import DEFAULT_MAX_SENTENCES, _analyze
    from .readers import READOUT_SUFFIXES, load_readouts

    root = Path(folder)
    if not root.is_dir():
        raise InputError(root, "is not a folder of background readouts")
    skip = {Path(p).resolve() for p in exclude}

    def analysed():
        for path in sorted(root.rglob("*")):
            if (not path.is_file() or path.suffix.lower() not in READOUT_SUFFIXES
                    or path.name.startswith(".") or path.resolve() in skip):
                continue
            try:
                readouts = load_readouts(path, lang=lang)
            except InputError:  # not a readout (gold.json, meta.json) or unreadable
                continue
            for r in readouts:
                if resolve_language(r.lang if lang == "auto" else lang, r.text) not in languages():
                    continue  # no pipeline for its language in this installation
                yield _analyze(r, codebook, lang, DEFAULT_MAX_SENTENCES)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # repaired bytes in a background file change little
        bg = Background.build(analysed(), source=str(root))
    if not bg.documents:
        raise InputError(root, "holds no readable readout files for a background corpus")
    return bg


def _scores(counts_a: Mapping[str, int], counts_b: Mapping[str, int],
            prior: Mapping[str, int] | None) -> list[TermScore]:
    res = log_odds(counts_a, counts_b, prior)
    return [TermScore(t, r.count_a, r.count_b, r.delta, r.z) for t, r in res.items()]


def emphasis(
    a: "Analysis",
    b: "Analysis",
    *,
    words_a: Mapping[str, int] | None = None,
    words_b: Mapping[str, int] | None = None,
    background: Background | None = None,
    z_threshold: float = DEFAULT_Z,
    max_words: int = DEFAULT_MAX_WORDS,
) -> Emphasis:
    """Weighted log-odds of topics (mentions) and words of readouts a and b.

    ``words_a``/``words_b`` are content-word counts (:func:`word_counts`); without them only
    topics are scored. Topics are listed by z (most a-leaning first); words only when
    ``|z| ≥ z_threshold``, at most ``max_words`` per side.

    >>> from readout_diff import analyze
    >>> e = emphasis(analyze("Trade. Trade again. Trade once more."), analyze("Taiwan."))
    >>> e.prior, [t.term for t in e.topics]
    ('uninformative', ['trade', 'taiwan'])
    """
    notes = []
    prior_kind = "background" if background is not None and background.documents else "uninformative"
    if prior_kind == "uninformative":
        notes.append("no background corpus: uninformative prior, so z-scores only weigh the two "
                     "texts against each other")
    topics = _scores({k: v.mentions for k, v in a.topics.items()},
                     {k: v.mentions for k, v in b.topics.items()},
                     background.topics if prior_kind == "background" else None)
    topics.sort(key=lambda t: (-t.z, t.term))
    words: list[TermScore] = []
    if words_a is not None and words_b is not None:
        if a.lang != b.lang:
            notes.append(f"words not compared: the readouts are in different languages "
                         f"({a.lang}, {b.lang})")
        else:
            prior = background.words.get(a.lang) if prior_kind == "background" else None
            if prior_kind == "background" and not prior:
                notes.append(f"the background has no {a.lang} readouts: words use an "
                             "uninformative prior")
            # Only the words kept get a TermScore (of hundreds, a few pass): the test is on z
            # rounded as TermScore rounds it (by less than 1e-6), so the same words pass.
            terms, ya, yb, delta, variance = log_odds_arrays(words_a, words_b, prior or None)
            z = delta / np.sqrt(variance)  # LogOdds.z, element-wise: the same floats
            near = (np.abs(z) >= z_threshold - 1e-6).nonzero()[0].tolist()
            scored = [TermScore(terms[k], int(ya[k]), int(yb[k]), float(delta[k]), zk)
                      for k in near if abs(_r(zk := float(z[k]))) >= z_threshold]
            lean_a = sorted((t for t in scored if t.z > 0), key=lambda t: (-t.z, t.term))
            lean_b = sorted((t for t in scored if t.z < 0), key=lambda t: (t.z, t.term))
            words = lean_a[:max_words] + lean_b[:max_words]
    return Emphasis(prior=prior_kind, z_threshold=z_threshold, topics=tuple(topics),
                    words=tuple(words),
                    background_documents=background.documents if background else 0,
                    background_source=background.source if background else None,
                    note="; ".join(notes) or None)
