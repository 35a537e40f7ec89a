"""The two public entry points: :func:`analyze` one readout, :func:`compare` two.

``compare`` runs the whole chain of ``../shared/DESIGN.md``: read → parse → extract → align →
score, parsing each readout once and reusing the parse for the aligner's features.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING, Union

from .align import (DEFAULT_THRESHOLD, DEFAULT_TOP_K, SentenceFeatures, _check, align_features,
                    features_for)
from .codebook import Codebook
from .errors import LimitError, ParameterError
from .extract import extract
from .language import resolve_language
from .matching import compile_codebook
from .model import Analysis, Comparison, FrameStat, Readout, Sentence, TopicStat
from .nlp import parse
from .posts import declared_author
from .readers import DEFAULT_MAX_BYTES, load_readout, repair_strings
from .score import gaps, scores

if TYPE_CHECKING:  # pragma: no cover
    from .emphasis import Background
    from .formulas import Lexicon
    from .linker import Linker

__all__ = ["DEFAULT_MAX_CHARS", "DEFAULT_MAX_SENTENCES", "ReadoutLike", "analyze", "compare"]

#: Most sentences analysed in one readout (a 5,000-sentence transcript is well inside it).
DEFAULT_MAX_SENTENCES = 50_000
#: Longest text analysed (characters), checked before any work: a file within the readers'
#: ``max_bytes`` always fits, since every encoding they read takes at least a byte a character.
DEFAULT_MAX_CHARS = DEFAULT_MAX_BYTES

ReadoutLike = Union[Readout, str, "os.PathLike[str]"]


def _as_readout(x: ReadoutLike, label: str | None, lang: str, func: str) -> Readout:
    if isinstance(x, Readout):
        r = x
    elif isinstance(x, os.PathLike):
        r = load_readout(x)
    elif isinstance(x, str):
        r = Readout(text=x, label="readout", lang=lang)
    else:
        raise ParameterError.invalid("readout", func, "a Readout, a string of text or a path",
                                     type(x).__name__)
    if label is not None:
        r = Readout(r.text, label=label, lang=r.lang, meta=r.meta, source=r.source)
    return r


def _repaired(r: Readout) -> Readout:
    """``r`` without lone surrogates or control characters (a Readout built by a caller, not by
    the readers); offsets are unchanged (see :func:`readout_diff.readers.repair_strings`)."""
    fields = (r.text, r.label, r.source, dict(r.meta))
    fixed = repair_strings(fields)
    if fixed == fields:
        return r
    text, label, source, meta = fixed
    return Readout(text, label=label, lang=r.lang, meta=meta, source=source)


def analyze(
    readout: ReadoutLike,
    *,
    codebook: Codebook | None = None,
    lang: str = "auto",
    label: str | None = None,
    max_sentences: int = DEFAULT_MAX_SENTENCES,
    lexicon: "Lexicon | None" = None,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> Analysis:
    """Find the topics, frames, negations, speakers and commitments of one readout.

    ``readout`` is a :class:`~readout_diff.model.Readout`, a string of text, or a path
    (``pathlib.Path``) to a readout file. A text longer than ``max_chars`` characters, or with
    more than ``max_sentences`` sentences, raises :class:`~readout_diff.errors.LimitError`
    (docs/limits.md).

    >>> r = analyze("The two leaders discussed trade. Ukraine did not come up.")
    >>> sorted(r.topics), r.negated_topics
    (['trade'], ('ukraine',))
    """
    return _analyze(_as_readout(readout, label, lang, "analyze"), codebook, lang,
                    max_sentences, lexicon, max_chars=max_chars)[0]


def _analyze(readout: Readout, codebook: Codebook | None, lang: str,
             max_sentences: int, lexicon: "Lexicon | None" = None, *,
             max_chars: int = DEFAULT_MAX_CHARS) -> tuple[Analysis, SentenceFeatures]:
    for name, value in (("max_sentences", max_sentences), ("max_chars", max_chars)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ParameterError.invalid(name, "analyze", "a positive int", value)
    if not isinstance(readout.text, str) or not isinstance(readout.label, str):
        raise ParameterError.invalid("readout", "analyze", "a Readout whose text and label are "
                                     "strings", f"{type(readout.text).__name__} text")
    readout = _repaired(readout)
    if len(readout.text) > max_chars:
        raise LimitError(readout.source or readout.label,
                         f"has {len(readout.text):,} characters, more than the limit of "
                         f"{max_chars:,} (max_chars)")
    codebook = codebook or Codebook.default()
    if not isinstance(codebook, Codebook):
        raise ParameterError.invalid("codebook", "analyze", "a Codebook", type(codebook).__name__)
    if readout.lang != "auto" and lang == "auto":
        lang = readout.lang
    lang = resolve_language(lang, readout.text)
    parsed = parse(readout.text, lang)
    if len(parsed.sentences) > max_sentences:
        raise LimitError(readout.source or readout.label,
                         f"has {len(parsed.sentences):,} sentences, more than the limit of "
                         f"{max_sentences:,} (max_sentences)")
    found = extract(parsed, compile_codebook(codebook, lang), lang,
                    author=declared_author(readout.meta))

    sentences = []
    topic_hits: dict[str, list[int]] = {}
    topic_negated: dict[str, int] = {}
    frame_hits: dict[str, list[int]] = {}
    text = readout.text
    for i, (start, end) in enumerate(parsed.sentences):
        mentions = found.mentions[i]
        topics: list[str] = []
        negated: list[str] = []
        frames: list[str] = []
        if mentions:  # (most sentences have none: no sets to build)
            topics = sorted({m.id for m in mentions if m.kind == "topic" and not m.negated})
            negated = sorted({m.id for m in mentions if m.kind == "topic" and m.negated}
                             - set(topics))
            frames = sorted({m.id for m in mentions if m.kind == "frame"})
        for m in mentions:
            if m.kind == "frame":
                frame_hits.setdefault(m.id, []).append(i)
            elif m.negated:
                topic_negated[m.id] = topic_negated.get(m.id, 0) + 1
            else:
                topic_hits.setdefault(m.id, []).append(i)
        sentences.append(Sentence(
            index=i, start=start, end=end, text=" ".join(text[start:end].split()),
            topics=tuple(topics), frames=tuple(frames), negated_topics=tuple(negated),
            speaker=found.speakers[i], mentions=mentions, specifics=found.specifics[i],
            actors=found.actors[i],
        ))
    n = max(len(sentences), 1)
    topics = {
        k: TopicStat(mentions=len(v), share=round(len(set(v)) / n, 6),
                     sentences=tuple(sorted(set(v))))
        for k, v in sorted(topic_hits.items())
    }
    frames = {k: FrameStat(mentions=len(v), sentences=tuple(sorted(set(v))))
              for k, v in sorted(frame_hits.items())}
    analysis = Analysis(
        label=readout.label, lang=lang, sentences=tuple(sentences), topics=topics,
        negated_topics=tuple(sorted(set(topic_negated) - set(topics))), frames=frames,
        commitments=found.commitments, meta=readout.meta, source=readout.source,
    )
    analysis = _with_signals(analysis, parsed, lang, codebook, lexicon)
    return analysis, features_for(analysis, parsed)


def _with_signals(analysis: Analysis, parsed: object, lang: str, codebook: Codebook,
                  lexicon: "Lexicon | None") -> Analysis:
    """The analysis with its diplomatic signals (formulas, initiator, ...: docs/signals.md)."""
    from .signals import readout_signals

    return replace(analysis, signals=readout_signals(parsed, analysis, lang=lang,
                                                     codebook=codebook, lexicon=lexicon))


def compare(
    a: ReadoutLike,
    b: ReadoutLike,
    *,
    label_a: str | None = None,
    label_b: str | None = None,
    codebook: Codebook | None = None,
    lang: str = "auto",
    threshold: float = DEFAULT_THRESHOLD,
    top_k: int = DEFAULT_TOP_K,
    max_sentences: int = DEFAULT_MAX_SENTENCES,
    lexicon: "Lexicon | None" = None,
    background: "Background | None" = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    linker: "Linker | str | os.PathLike[str] | None" = "default",
) -> Comparison:
    """Compare two readouts of one event: gaps, aligned sentences and scores.

    Labels default to the readouts' own (a file's stem) or ``"a"`` and ``"b"`` for strings.
    Sentences are linked by ``linker`` (:mod:`readout_diff.linker`): ``"default"`` is the one
    shipped, trained on the annotated corpus; a path loads one made by
    ``readout-diff train-linker``; ``None`` keeps the plain rule (a score of at least
    ``threshold`` and among the ``top_k`` best of its row or column), which ``threshold`` and
    ``top_k`` set. Readouts in two languages use the linker when it was trained on such pairs
    (the shipped one was), the rule otherwise.
    ``background`` (:func:`readout_diff.emphasis.load_background`) informs the prior of the
    emphasis statistics in ``signals.emphasis``; ``lexicon`` replaces the shipped formulas.

    >>> c = compare("Xi stressed mutual respect. The two sides discussed trade.",
    ...             "The leaders discussed trade and fentanyl.", label_a="cn", label_b="us")
    >>> c.gaps.shared, c.gaps.only_b, c.gaps.frames_only_a
    (('trade',), ('fentanyl',), ('equality_respect',))
    """
    ra = _as_readout(a, label_a, lang, "compare")
    rb = _as_readout(b, label_b, lang, "compare")
    if label_a is None and not isinstance(a, (Readout, os.PathLike)):
        ra = Readout(ra.text, label="a", lang=ra.lang, meta=ra.meta, source=ra.source)
    if label_b is None and not isinstance(b, (Readout, os.PathLike)):
        rb = Readout(rb.text, label="b", lang=rb.lang, meta=rb.meta, source=rb.source)
    an_a, fa = _analyze(ra, codebook, lang, max_sentences, lexicon, max_chars=max_chars)
    an_b, fb = _analyze(rb, codebook, lang, max_sentences, lexicon, max_chars=max_chars)
    return _compare_analysed(an_a, fa, an_b, fb, threshold=threshold, top_k=top_k,
                             background=background, linker=linker)


def _compare_analysed(an_a: Analysis, fa: SentenceFeatures, an_b: Analysis, fb: SentenceFeatures,
                      *, threshold: float, top_k: int,
                      background: "Background | None" = None,
                      linker: "Linker | str | os.PathLike[str] | None" = "default") -> Comparison:
    """Align, score and read the signals of two analysed readouts (shared by compare_three)."""
    from .emphasis import emphasis, word_counts
    from .linker import describe_aligner, link_features, resolve_linker
    from .model import FrozenMap
    from .signals import compare_signals

    _check(threshold, top_k, "compare")
    chosen = resolve_linker(linker)
    if chosen is None:
        alignment = align_features(fa, fb, threshold=threshold, top_k=top_k)
    else:
        alignment = link_features(fa, fb, linker=chosen)
    aligner = FrozenMap(describe_aligner(fa, fb, chosen, threshold=threshold, top_k=top_k))
    emph = emphasis(an_a, an_b, words_a=word_counts(fa), words_b=word_counts(fb),
                    background=background)
    return Comparison(a=an_a, b=an_b, alignment=alignment, gaps=gaps(an_a, an_b),
                      scores=scores(an_a, an_b, alignment),
                      signals=compare_signals(an_a, an_b, emphasis=emph), aligner=aligner)
