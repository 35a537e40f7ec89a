"""Rendering analyses and comparisons as text, Markdown, JSON or HTML.

A small registry maps each format to ``"module:function"``, imported on first use, so the HTML
renderer's template engine is loaded only by those who ask for HTML. Every renderer takes a
:class:`~readout_diff.model.Comparison` or an :class:`~readout_diff.model.Analysis` and returns
a string.
"""

from __future__ import annotations

import importlib
import json
from typing import Callable, Union

from . import signal_report
from .errors import ParameterError
from .model import Analysis, Comparison

__all__ = ["FORMATS", "reading", "render"]

Renderable = Union[Comparison, Analysis]

_REGISTRY: dict[str, str] = {
    "text": "readout_diff.report:render_text",
    "markdown": "readout_diff.report:render_markdown",
    "json": "readout_diff.report:render_json",
    "html": "readout_diff.html_report:render_html",
}
FORMATS = tuple(_REGISTRY)


def render(obj: Renderable, fmt: str = "text") -> str:
    """Render a comparison or an analysis in ``fmt`` (one of :data:`FORMATS`).

    >>> from readout_diff import compare
    >>> print(render(compare("Trade was discussed.", "Trade was discussed."), "text").splitlines()[1])
    gap_score 0.00 — the two readouts say the same things
    """
    target = _REGISTRY.get(fmt)
    if target is None:
        raise ParameterError.invalid("fmt", "render", f"one of {FORMATS}", fmt)
    extra = signal_report.render_extra(obj, fmt)  # three witnesses, versions (docs/signals.md)
    if extra is not None:
        return extra
    if not isinstance(obj, (Comparison, Analysis)):
        raise ParameterError.invalid("obj", "render", "a Comparison or an Analysis",
                                     type(obj).__name__)
    module, func = target.split(":")
    fn: Callable[[Renderable], str] = getattr(importlib.import_module(module), func)
    return fn(obj)


def reading(gap_score: float, identical: bool = False) -> str:
    """A one-line reading of a gap_score, for people."""
    if identical or gap_score == 0:
        return "the two readouts say the same things"
    if gap_score < 0.15:
        return "the readouts nearly agree"
    if gap_score < 0.35:
        return "the readouts mostly agree, with some gaps"
    if gap_score < 0.60:
        return "the readouts diverge noticeably"
    return "the readouts diverge sharply"


def _ids(xs: tuple[str, ...] | list[str]) -> str:
    return ", ".join(xs) if xs else "—"


def aligner_text(aligner) -> str:
    """One line on what linked the sentences (``Comparison.aligner``)."""
    if aligner.get("kind") == "linker":
        where = ", ".join(aligner.get("trained_on") or ()) or "its own corpus"
        f1 = aligner.get("cross_validated_f1")
        return (f"the learned linker trained on {where}"
                + (f", cross-validated link F1 {f1:.2f}" if isinstance(f1, (int, float)) else ""))
    text = f"the rule: score ≥ {aligner.get('threshold')}, top {aligner.get('top_k')} per sentence"
    return text + (f"; {aligner['why']}" if aligner.get("why") else "")


def _clip(s: str, n: int = 110) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


# -- JSON --------------------------------------------------------------------------------------

def render_json(obj: Renderable) -> str:
    return json.dumps(obj.to_dict(), ensure_ascii=False, indent=2) + "\n"


# -- text --------------------------------------------------------------------------------------

def _analysis_lines(a: Analysis) -> list[str]:
    lines = [f"{a.label} ({a.lang}, {a.n_sentences} sentences, {a.n_words} words)"]
    lines.append(f"  topics   : {_ids(list(a.topics))}")
    lines.append(f"  negated  : {_ids(a.negated_topics)}")
    lines.append(f"  frames   : {_ids(list(a.frames))}")
    for k, v in a.topics.items():
        lines.append(f"    {k:<20} {v.mentions:>3} mention(s)  share {v.share:.2f}  "
                     f"first s{v.first}")
    if a.commitments:
        lines.append("  commitments:")
        for c in a.commitments:
            who = f" — {c.actor}" if c.actor else ""
            lines.append(f"    {c.kind} ({c.modality}) s{c.sentence}: \"{_clip(c.text, 70)}\"{who}")
    return lines


def render_text(obj: Renderable) -> str:
    if isinstance(obj, Analysis):
        lines = _analysis_lines(obj)
        lines.append("  sentences:")
        for s in obj.sentences:
            tags = ", ".join(list(s.topics) + [f"-{x}" for x in s.negated_topics]
                             + [f"~{x}" for x in s.frames])
            who = f" [{s.speaker}]" if s.speaker else ""
            lines.append(f"    s{s.index}{who} {{{tags}}} {_clip(s.text)}")
        lines += signal_report.analysis_lines(obj)
        return "\n".join(lines) + "\n"
    c = obj
    a, b, g, sc = c.a, c.b, c.gaps, c.scores
    la, lb = a.label, b.label
    lines = [f"readout-diff: {la} vs {lb}",
             f"gap_score {sc.gap_score:.2f} — {reading(sc.gap_score)}", ""]
    lines += ["Topics",
              f"  shared      : {_ids(g.shared)}",
              f"  only {la:<7}: {_ids(g.only_a)}",
              f"  only {lb:<7}: {_ids(g.only_b)}",
              f"  negated     : {la}: {_ids(g.negated_a)}   {lb}: {_ids(g.negated_b)}",
              f"  disputed    : {_ids(g.disputed)}", "",
              "Frames",
              f"  shared      : {_ids(g.frames_shared)}",
              f"  only {la:<7}: {_ids(g.frames_only_a)}",
              f"  only {lb:<7}: {_ids(g.frames_only_b)}", ""]
    topics = sorted(set(a.topics) | set(b.topics))
    if topics:
        lines.append(f"Emphasis (share of sentences)   {la:>8} {lb:>8}")
        for t in topics:
            sa = a.topics[t].share if t in a.topics else 0.0
            sb = b.topics[t].share if t in b.topics else 0.0
            lines.append(f"  {t:<30} {sa:>8.2f} {sb:>8.2f}")
        lines.append("")
    lines.append("Commitments")
    for an in (a, b):
        items = "; ".join(f"{x.kind} ({x.modality}, s{x.sentence})" for x in an.commitments)
        lines.append(f"  {an.label}: {items or '—'}")
    lines.append("")
    lines.append(f"Alignment: {len(c.alignment.links)} link(s); unaligned {la}: "
                 f"{list(c.alignment.unaligned_a)}, {lb}: {list(c.alignment.unaligned_b)}")
    if c.aligner is not None:
        lines.append(f"  (linked by {aligner_text(c.aligner)})")
    for link in c.alignment.links:
        lines.append(f"  {la}[{link.a}] ~ {lb}[{link.b}]  {link.score:.2f} {link.relation}")
        lines.append(f"      {la}: {_clip(a.sentences[link.a].text)}")
        lines.append(f"      {lb}: {_clip(b.sentences[link.b].text)}")
    for label, an, idx in ((la, a, c.alignment.unaligned_a), (lb, b, c.alignment.unaligned_b)):
        for i in idx:
            lines.append(f"  only in {label}[{i}]: {_clip(an.sentences[i].text)}")
    lines.append("")
    lines.append("Scores")
    for k, v in sc.to_dict().items():
        lines.append(f"  {k:<22} {v:.3f}")
    lines.append(f"  breadth                {la}: {a.breadth}  {lb}: {b.breadth}")
    lines.append(f"  specificity            {la}: {a.specificity:.2f}  {lb}: {b.specificity:.2f}")
    lines += signal_report.comparison_lines(c)
    return "\n".join(lines) + "\n"


# -- Markdown ----------------------------------------------------------------------------------

def _md_cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def render_markdown(obj: Renderable) -> str:
    if isinstance(obj, Analysis):
        a = obj
        out = [f"# {_md_cell(a.label)}", "",
               f"{a.n_sentences} sentences · language `{a.lang}`", "",
               "| topic | mentions | share | sentences |", "|---|---:|---:|---|"]
        out += [f"| `{k}` | {v.mentions} | {v.share:.2f} | {', '.join(map(str, v.sentences))} |"
                for k, v in a.topics.items()]
        out += ["", f"**Negated:** {_ids(a.negated_topics)}  ", f"**Frames:** {_ids(list(a.frames))}",
                ""]
        out += signal_report.analysis_markdown(a)
        return "\n".join(out) + "\n"
    c = obj
    a, b, g, sc = c.a, c.b, c.gaps, c.scores
    la, lb = _md_cell(a.label), _md_cell(b.label)
    out = [f"# {la} vs {lb}", "",
           f"**gap_score {sc.gap_score:.2f}** — {reading(sc.gap_score)}", "",
           "## Gaps", "", f"| | topics | frames |", "|---|---|---|",
           f"| shared | {_ids(g.shared)} | {_ids(g.frames_shared)} |",
           f"| only {la} | {_ids(g.only_a)} | {_ids(g.frames_only_a)} |",
           f"| only {lb} | {_ids(g.only_b)} | {_ids(g.frames_only_b)} |",
           f"| negated in {la} | {_ids(g.negated_a)} | |",
           f"| negated in {lb} | {_ids(g.negated_b)} | |", ""]
    topics = sorted(set(a.topics) | set(b.topics))
    if topics:
        out += ["## Emphasis", "", f"| topic | {la} | {lb} |", "|---|---:|---:|"]
        for t in topics:
            sa = a.topics[t].share if t in a.topics else 0.0
            sb = b.topics[t].share if t in b.topics else 0.0
            out.append(f"| `{t}` | {sa:.2f} | {sb:.2f} |")
        out.append("")
    out += ["## Aligned sentences", ""]
    if c.aligner is not None:
        out += [f"Linked by {_md_cell(aligner_text(c.aligner))}.", ""]
    out += [f"| {la} | {lb} | relation | score |", "|---|---|---|---:|"]
    for link in c.alignment.links:
        out.append(f"| {_md_cell(_clip(a.sentences[link.a].text, 160))} | "
                   f"{_md_cell(_clip(b.sentences[link.b].text, 160))} | {link.relation} | "
                   f"{link.score:.2f} |")
    out.append("")
    for label, an, idx in ((la, a, c.alignment.unaligned_a), (lb, b, c.alignment.unaligned_b)):
        if idx:
            out += [f"## Only in {label}", ""]
            out += [f"- {_md_cell(an.sentences[i].text)}" for i in idx]
            out.append("")
    out += ["## Commitments", ""]
    for an in (a, b):
        items = "; ".join(f"{x.kind} ({x.modality})" for x in an.commitments)
        out.append(f"- **{_md_cell(an.label)}**: {items or '—'}")
    out += ["", "## Scores", "", "| score | value |", "|---|---:|"]
    out += [f"| {k} | {v:.3f} |" for k, v in sc.to_dict().items()]
    out += [""] + signal_report.comparison_markdown(c)
    return "\n".join(out) + "\n"
