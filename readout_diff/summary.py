"""Summing up a batch output: one row per pair, and which topics each side leaves out most often.

"Side" means a readout's label (``cn``, ``us``, ...), whichever of a or b it was in a pair: a
topic in ``only_a`` is one that side b left out. The file is read one line at a time; only the
small per-pair rows are kept.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping

from .errors import InputError
from .model import SCHEMA

__all__ = ["Row", "Summary", "render_summary", "summarize_results", "write_csv"]


@dataclass(frozen=True)
class Row:
    """One pair of a batch output; ``error`` is ``"Type: message"`` for a failed pair."""

    id: str
    date: str | None
    label_a: str | None
    label_b: str | None
    topics_a: tuple[str, ...] = ()
    topics_b: tuple[str, ...] = ()
    only_a: tuple[str, ...] = ()
    only_b: tuple[str, ...] = ()
    gap_score: float | None = None
    error: str | None = None


@dataclass(frozen=True)
class Summary:
    """The rows (by pair id) and, per side label, how often it left out each topic the other
    side had (``left_out``) out of how many compared pairs it was in (``pairs_of``)."""

    rows: tuple[Row, ...]
    left_out: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    pairs_of: Mapping[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> int:
        return sum(1 for r in self.rows if r.error is None)

    @property
    def failed(self) -> int:
        return len(self.rows) - self.ok


def summarize_results(path: str | os.PathLike[str]) -> Summary:
    """Read a batch output (JSONL) into a :class:`Summary`.

    >>> summarize_results("results.jsonl").left_out["us"].most_common(1)  # doctest: +SKIP
    [('taiwan', 12)]
    """
    rows = sorted(_rows(Path(path)), key=lambda r: r.id)
    left_out: dict[str, Counter[str]] = {}
    pairs_of: Counter[str] = Counter()
    for r in rows:
        if r.error is not None:
            continue
        for side, other_only in ((r.label_a, r.only_b), (r.label_b, r.only_a)):
            label = side or "?"
            pairs_of[label] += 1
            left_out.setdefault(label, Counter()).update(other_only)
    return Summary(tuple(rows), {k: dict(v) for k, v in sorted(left_out.items())},
                   dict(sorted(pairs_of.items())))


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    with fh:
        for lineno, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                rec = json.loads(raw)
            except ValueError:
                if not raw.endswith(b"\n"):  # the last record of a run killed mid-write
                    return
                raise InputError(path, f"line {lineno} is not valid JSON") from None
            if not isinstance(rec, dict) or rec.get("schema") != SCHEMA or "pair" not in rec:
                raise InputError(path, f"line {lineno} is not a readout-diff batch record "
                                       f"(expected schema {SCHEMA!r} and a 'pair')")
            yield lineno, rec


def _rows(path: Path) -> Iterator[Row]:
    """One row per pair: a pair written twice (outputs joined, a re-run) keeps its last record
    in the place of its first, as the HTML site of the same file does."""
    latest: dict[str, tuple[int, dict[str, Any]]] = {}
    for lineno, rec in _records(path):
        pair = rec["pair"]
        pid = pair.get("id") if isinstance(pair, dict) else None
        latest[f"\0line{lineno}" if pid is None else str(pid)] = (lineno, rec)
    for lineno, rec in latest.values():
        pair = rec["pair"] or {}
        pid = str(pair.get("id", f"line {lineno}"))
        if "error" in rec:
            err = rec["error"] or {}
            yield Row(pid, pair.get("date"), pair.get("label_a"), pair.get("label_b"),
                      error=f"{err.get('type', 'Error')}: {err.get('message', '')}")
            continue
        a, b, gaps = rec["a"], rec["b"], rec["gaps"]
        date = pair.get("date") or a.get("meta", {}).get("date") or b.get("meta", {}).get("date")
        yield Row(pid, None if date is None else str(date), a.get("label"), b.get("label"),
                  tuple(sorted(a.get("topics", {}))), tuple(sorted(b.get("topics", {}))),
                  tuple(gaps.get("only_a", ())), tuple(gaps.get("only_b", ())),
                  float(rec["scores"]["gap_score"]))


_HEADER = ("id", "date", "label_a", "label_b", "topics_a", "topics_b", "only_a", "only_b",
           "gap_score", "error")


def _cells(r: Row) -> list[str]:
    return [r.id, r.date or "", r.label_a or "", r.label_b or "", " ".join(r.topics_a),
            " ".join(r.topics_b), " ".join(r.only_a), " ".join(r.only_b),
            "" if r.gap_score is None else f"{r.gap_score:.6f}", r.error or ""]


def write_csv(summary: Summary, path: str | os.PathLike[str], *,
              inputs: list[str | os.PathLike[str]] = ()) -> None:
    """Write the table of pairs as CSV (topic lists space-separated), atomically."""
    from .output import write_atomic

    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(_HEADER)
    writer.writerows(_cells(r) for r in summary.rows)
    write_atomic(path, buf.getvalue(), inputs=inputs)


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def render_summary(summary: Summary, *, top: int = 5) -> str:
    """The summary as a text table for people."""
    table = [("id", "date", "a", "b", "topics", "only_a", "only_b", "gap")]
    for r in summary.rows:
        if r.error is not None:
            table.append((r.id, r.date or "", r.label_a or "", r.label_b or "", "", "",
                          "", "failed"))
            continue
        table.append((r.id, r.date or "", r.label_a or "", r.label_b or "",
                      f"{len(r.topics_a)}/{len(r.topics_b)}", _clip(", ".join(r.only_a), 36),
                      _clip(", ".join(r.only_b), 36), f"{r.gap_score:.2f}"))
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in table]
    scores = [r.gap_score for r in summary.rows if r.gap_score is not None]
    mean = f", mean gap_score {sum(scores) / len(scores):.2f}" if scores else ""
    lines += ["", f"{len(summary.rows)} pairs: {summary.ok} ok, {summary.failed} failed{mean}"]
    if summary.left_out:
        lines += ["", "Left out most often (topics the other side had, in how many pairs)"]
        for label, counts in summary.left_out.items():
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
            listed = ", ".join(f"{t} {n}" for t, n in ranked) or "—"
            lines.append(f"  {label} (in {summary.pairs_of[label]} pairs): {listed}")
    failed = [r for r in summary.rows if r.error is not None]
    if failed:
        lines += ["", "Failed pairs"]
        lines += [f"  {r.id}  {_clip(r.error or '', 160)}" for r in failed]
    return "\n".join(lines) + "\n"
