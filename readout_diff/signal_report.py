"""Text and Markdown for the diplomatic signals, three-witness comparisons and version diffs.

:mod:`readout_diff.report` calls the ``*_lines`` functions to add a "Signals" section to its
reports of an :class:`~readout_diff.model.Analysis` or a
:class:`~readout_diff.model.Comparison`, and dispatches :class:`~readout_diff.triangulate.
Triangulation` and :class:`~readout_diff.versions.VersionDiff` here (:func:`render_extra`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Callable

from .signal_types import ComparisonSignals, Emphasis, FormulaDiff, ReadoutSignals

if TYPE_CHECKING:  # pragma: no cover
    from .model import Analysis, Comparison

__all__ = ["analysis_lines", "analysis_markdown", "comparison_lines", "comparison_markdown",
           "render_extra"]

_WORDS_SHOWN = 8


def _ids(xs: Any) -> str:
    xs = list(xs)
    return ", ".join(xs) if xs else "—"


def _variants(sig: ReadoutSignals) -> str:
    return _ids(f"{k} ({'/'.join(v.variants)})" if v.variants else k
                for k, v in sorted(sig.formulas.items()))


def _initiator(sig: ReadoutSignals) -> str:
    i = sig.initiator
    if i is None:
        return "—"
    who = i.side or "?"
    return f"{who} (\"{i.text or i.cue}\"{', ' + i.actor if i.actor else ''})"


def _voice(sig: ReadoutSignals) -> str:
    v = sig.voice
    if not v.attributed:
        return "— (no sentence credited to a side)"
    shares = ", ".join(f"{k} {x:.0%}" for k, x in sorted(v.share.items(), key=lambda kv: -kv[1]))
    return f"{shares} of {v.attributed} attributed words ({v.attributed / max(v.total, 1):.0%} " \
           f"of {v.total})"


def _readout_rows(sig: ReadoutSignals) -> list[tuple[str, str]]:
    return [("formulas", _variants(sig)),
            ("initiator", _initiator(sig)),
            ("format", sig.format.value if sig.format else "—"),
            ("descriptors", _ids(sorted(sig.descriptors))),
            ("topic order", " > ".join(sig.topic_order) or "—"),
            ("voice share", _voice(sig))]


def analysis_lines(a: "Analysis") -> list[str]:
    """The "signals" block of a text report of one readout."""
    if a.signals is None:
        return []
    return ["  signals:"] + [f"    {k:<12}: {v}" for k, v in _readout_rows(a.signals)]


def analysis_markdown(a: "Analysis") -> list[str]:
    if a.signals is None:
        return []
    out = ["## Signals", "", "| signal | value |", "|---|---|"]
    out += [f"| {k} | {_cell(v)} |" for k, v in _readout_rows(a.signals)]
    return out + [""]


def _cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def _formula_rows(f: FormulaDiff, la: str, lb: str) -> list[tuple[str, str]]:
    altered = _ids(f"{i} ({la}: {'/'.join(va)} → {lb}: {'/'.join(vb)})" for i, va, vb in f.altered)
    return [("shared", _ids(f.shared)), (f"only {la}", _ids(f.only_a)),
            (f"only {lb}", _ids(f.only_b)), ("altered", altered)]


def _pair(p: Any, la: str, lb: str) -> str:
    return f"{la}: {p.a or '—'}  {lb}: {p.b or '—'}  [{p.status}]"


def _order(s: ComparisonSignals, la: str, lb: str) -> str:
    o = s.topic_order
    tau = "—" if o.kendall_tau is None else f"{o.kendall_tau:+.2f}"
    return (f"first {la}: {o.first_a or '—'}, {lb}: {o.first_b or '—'}; Kendall tau {tau} over "
            f"{len(o.shared)} shared topic(s)")


def _emphasis_head(e: Emphasis) -> str:
    prior = (f"background prior from {e.background_documents} readout(s)"
             if e.prior == "background" else "uninformative prior")
    real = e.significant_topics()
    verdict = (f"topics stressed beyond chance: {', '.join(t.term for t in real)}" if real
               else "no difference in topic emphasis is more than chance at this length")
    return f"weighted log-odds, {prior}; |z| ≥ {e.z_threshold:g} is more than chance; {verdict}"


def _words(e: Emphasis, positive: bool) -> str:
    ws = [w for w in e.words if (w.z > 0) == positive][:_WORDS_SHOWN]
    return _ids(f"{w.term} ({w.z:+.1f})" for w in ws)


def comparison_lines(c: "Comparison") -> list[str]:
    """The "Signals" and "Emphasis (evidence)" sections of a text comparison report."""
    s = c.signals
    if s is None:
        return []
    la, lb = c.a.label, c.b.label
    sa, sb = c.a.signals or ReadoutSignals(), c.b.signals or ReadoutSignals()
    lines = ["", "Signals", "  formulas"]
    lines += [f"    {k:<12}: {v}" for k, v in _formula_rows(s.formulas, la, lb)]
    lines += [f"    {la:<12}: {_variants(sa)}", f"    {lb:<12}: {_variants(sb)}"]
    lines += [f"  initiator   : {la}: {_initiator(sa)}  {lb}: {_initiator(sb)}  "
              f"[{s.initiator.status}]",
              f"  format      : {_pair(s.format, la, lb)}",
              f"  descriptors : shared {_ids(s.descriptors.shared)}; only {la} "
              f"{_ids(s.descriptors.only_a)}; only {lb} {_ids(s.descriptors.only_b)}",
              f"  topic order : {_order(s, la, lb)}",
              f"  voice share : {la}: {_voice(sa)}",
              f"                {lb}: {_voice(sb)}"]
    e = s.emphasis
    lines += ["", f"Emphasis (evidence): {_emphasis_head(e)}"]
    if e.note:
        lines.append(f"  note: {e.note}")
    if e.topics:
        lines.append(f"  {'topic':<22} {la:>6} {lb:>6} {'delta':>7} {'z':>6}")
        for t in e.topics:
            flag = " *" if abs(t.z) >= e.z_threshold else ""
            lines.append(f"  {t.term:<22} {t.count_a:>6} {t.count_b:>6} {t.delta:>7.2f} "
                         f"{t.z:>6.2f}{flag}")
    lines += [f"  words leaning {la}: {_words(e, True)}",
              f"  words leaning {lb}: {_words(e, False)}"]
    return lines


def comparison_markdown(c: "Comparison") -> list[str]:
    s = c.signals
    if s is None:
        return []
    la, lb = _cell(c.a.label), _cell(c.b.label)
    sa, sb = c.a.signals or ReadoutSignals(), c.b.signals or ReadoutSignals()
    out = ["## Signals", "", f"| signal | {la} | {lb} | |", "|---|---|---|---|",
           f"| formulas | {_cell(_variants(sa))} | {_cell(_variants(sb))} | |",
           f"| initiator | {_cell(_initiator(sa))} | {_cell(_initiator(sb))} | "
           f"{s.initiator.status} |",
           f"| format | {s.format.a or '—'} | {s.format.b or '—'} | {s.format.status} |",
           f"| descriptors | {_ids(sorted(sa.descriptors))} | {_ids(sorted(sb.descriptors))} | |",
           f"| topic order | {' > '.join(sa.topic_order) or '—'} | "
           f"{' > '.join(sb.topic_order) or '—'} | {_cell(_order(s, la, lb))} |",
           f"| voice share | {_cell(_voice(sa))} | {_cell(_voice(sb))} | |", "",
           "**Formulas:** " + "; ".join(f"{k}: {_cell(v)}"
                                        for k, v in _formula_rows(s.formulas, la, lb)), ""]
    e = s.emphasis
    out += ["## Emphasis (evidence)", "", f"{_emphasis_head(e)}.", ""]
    if e.note:
        out += [f"*{_cell(e.note)}*", ""]
    if e.topics:
        out += [f"| topic | {la} | {lb} | delta | z |", "|---|---:|---:|---:|---:|"]
        out += [f"| `{t.term}` | {t.count_a} | {t.count_b} | {t.delta:.2f} | "
                f"{'**' if abs(t.z) >= e.z_threshold else ''}{t.z:.2f}"
                f"{'**' if abs(t.z) >= e.z_threshold else ''} |" for t in e.topics]
        out.append("")
    out += [f"- words leaning {la}: {_cell(_words(e, True))}",
            f"- words leaning {lb}: {_cell(_words(e, False))}", ""]
    return out


# -- three witnesses and versions ------------------------------------------------------------------

def _summary_lines(t: Any) -> list[str]:
    s = t.summary
    la, lb, lc = t.a.label, t.b.label, t.c.label
    lines = [f"verdict: {s.verdict}",
             f"drift ({la} ↔ {lb}) gap_score {s.drift_score:.2f}; "
             f"disagreement ({lb} ↔ {lc}) gap_score {s.disagreement_score:.2f}",
             f"topics lost in translation: {_ids(s.lost_in_translation)}; "
             f"added in translation: {_ids(s.added_in_translation)}"]
    for kind in ("topics", "formulas", "descriptors"):
        lines.append(f"{kind}: explained by drift {_ids(s.explained.get(kind, ()))}; "
                     f"disagreement {_ids(s.disagreement.get(kind, ()))}")
    return lines


def _render_three(t: Any, fmt: str) -> str:
    from .report import render

    if fmt == "json":
        return json.dumps(t.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        head = [f"# Three witnesses: {t.a.label} · {t.b.label} · {t.c.label}", ""]
        head += [f"- {_cell(x)}" for x in _summary_lines(t)] + [""]
        return ("\n".join(head) + "\n" + "\n## Translation drift\n\n"
                + _demote(render(t.drift, "markdown"))
                + "\n## Disagreement between the sides\n\n"
                + _demote(render(t.disagreement, "markdown")))
    head = [f"readout-diff: three witnesses {t.a.label} / {t.b.label} / {t.c.label}"]
    head += [f"  {x}" for x in _summary_lines(t)]
    return ("\n".join(head) + "\n\n=== Translation drift ===\n" + render(t.drift, "text")
            + "\n=== Disagreement between the sides ===\n" + render(t.disagreement, "text"))


def _demote(md: str) -> str:
    """Markdown of a comparison nested one heading level deeper."""
    return "\n".join("#" + line if line.startswith("#") else line for line in md.splitlines()) + "\n"


def _change_text(d: Any, ch: Any) -> tuple[str, str]:
    old = d.old.sentences[ch.old].text if ch.old is not None else ""
    new = d.new.sentences[ch.new].text if ch.new is not None else ""
    return old, new


def _topics_note(ch: Any) -> str:
    parts = []
    if ch.topics_added:
        parts.append("+" + ", +".join(ch.topics_added))
    if ch.topics_removed:
        parts.append("-" + ", -".join(ch.topics_removed))
    return f"  {{{', '.join(parts)}}}" if parts else ""


def _render_versions(d: Any, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(d.to_dict(), ensure_ascii=False, indent=2) + "\n"
    counts = (f"{d.unchanged} unchanged, {len(d.changed)} changed, {len(d.added)} added, "
              f"{len(d.removed)} removed, {len(d.moved)} moved")
    formulas = "; ".join(f"{k}: {v}" for k, v in _formula_rows(d.formulas, "old", "new"))
    if fmt == "markdown":
        out = [f"# Versions: {_cell(d.old.label)} → {_cell(d.new.label)}", "", counts, "",
               f"**Topics added:** {_ids(d.topics.only_b)}  ",
               f"**Topics removed:** {_ids(d.topics.only_a)}  ",
               f"**Formulas:** {_cell(formulas)}", "",
               "| change | old | new | topics |", "|---|---|---|---|"]
        for ch in d.changes:
            old, new = _change_text(d, ch)
            out.append(f"| {ch.kind} | {_cell(old)} | {_cell(new)} | "
                       f"{_cell(_topics_note(ch).strip())} |")
        return "\n".join(out) + "\n"
    lines = [f"readout-diff versions: {d.old.label} → {d.new.label}", f"  {counts}",
             f"  topics added: {_ids(d.topics.only_b)}; removed: {_ids(d.topics.only_a)}",
             f"  formulas: {formulas}", ""]
    for ch in d.changes:
        old, new = _change_text(d, ch)
        where = f"old s{ch.old}" if ch.new is None else (
            f"new s{ch.new}" if ch.old is None else f"s{ch.old} → s{ch.new}")
        lines.append(f"  {ch.kind:<8} {where}{_topics_note(ch)}")
        if old and ch.kind in ("removed", "changed"):
            lines.append(f"      - {old}")
        if new and ch.kind in ("added", "changed", "moved"):
            lines.append(f"      + {new}")
    return "\n".join(lines) + "\n"


def render_extra(obj: Any, fmt: str) -> str | None:
    """Render a Triangulation or a VersionDiff (text, markdown, json); ``None`` for other types."""
    from .triangulate import Triangulation
    from .versions import VersionDiff

    fn: Callable[[Any, str], str]
    if isinstance(obj, Triangulation):
        fn = _render_three
    elif isinstance(obj, VersionDiff):
        fn = _render_versions
    else:
        return None
    if fmt not in ("text", "markdown", "json"):
        from .errors import ParameterError

        raise ParameterError.invalid("fmt", "render", "'text', 'markdown' or 'json' for a "
                                     f"{type(obj).__name__}", fmt)
    return fn(obj, fmt)
