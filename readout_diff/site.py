"""A small static site over a batch of comparisons: an index page, one page per pair, a timeline.

``readout-diff report results.jsonl --output site/`` calls :func:`build_site`. The batch file holds
one JSON object per line: a ``Comparison.to_dict()`` object plus a ``"pair"`` key, or an error
record ``{"schema": "readout-diff/1", "pair": ..., "error": {"type": ..., "message": ...}}``.
The site is::

    site/index.html          sortable table of pairs (gap_score, only_a, only_b), failed pairs,
                             and the timeline chart inline
    site/pairs/NNN-<name>.html   one self-contained comparison page per pair
    site/timeline.svg        the same chart on its own, for papers (needs matplotlib)

Every page is self-contained (no network, no external file); the index's only script sorts the
table and is allowed by a hash in its Content-Security-Policy. Pages are written atomically.

>>> import tempfile, json, pathlib
>>> from readout_diff import compare
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> rec = dict(compare("Trade was discussed.", "Trade and fentanyl.").to_dict(), pair="p1")
>>> _ = (d / "r.jsonl").write_text(json.dumps(rec) + "\\n", encoding="utf-8")
>>> build_site(d / "r.jsonl", d / "site", chart=False).n_pairs
1
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from .errors import InputError, ParameterError
from .model import SCHEMA, Comparison

__all__ = ["PairRecord", "SiteResult", "build_site", "read_results", "timeline_svg"]

#: The index page's only script: click a column header to sort the table by it.
SORT_SCRIPT = """
(function () {
  var table = document.getElementById("pairs");
  if (!table) return;
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, col) {
    if (!th.dataset.type) return;
    th.tabIndex = 0;
    function sort() {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var num = th.dataset.type === "num";
      rows.sort(function (r1, r2) {
        var x = r1.cells[col].dataset.sort, y = r2.cells[col].dataset.sort;
        var c = num ? (parseFloat(x) - parseFloat(y)) : x.localeCompare(y);
        if (num && isNaN(c)) c = isNaN(parseFloat(x)) ? 1 : -1;
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
  });
})();
"""


@dataclass(frozen=True)
class PairRecord:
    """One line of a batch file: a comparison, or the error that stopped the pair."""

    line: int
    pair: Any
    name: str
    comparison: Comparison | None = None
    error: Mapping[str, Any] | None = None

    @property
    def failed(self) -> bool:
        return self.comparison is None

    @property
    def date(self) -> _dt.date | None:
        """The pair's date: side a's, else side b's (``meta.date`` or a date in the source path)."""
        if self.comparison is None:
            return None
        from .html_report import readout_date

        for an in (self.comparison.a, self.comparison.b):
            d = _parse_date(readout_date(an))
            if d is not None:
                return d
        return None


@dataclass(frozen=True)
class SiteResult:
    """What :func:`build_site` wrote."""

    index: Path
    pages: tuple[Path, ...]
    chart: Path | None
    n_pairs: int
    n_failed: int
    notes: tuple[str, ...] = field(default=())


def _parse_date(value: Any) -> _dt.date | None:
    if isinstance(value, _dt.date):
        return value
    if not value:
        return None
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", str(value))
    if not m:
        return None
    try:
        return _dt.date(*map(int, m.groups()))
    except ValueError:
        return None


def pair_name(pair: Any, comparison: Comparison | None = None, line: int = 0) -> str:
    """A readable name for a batch entry's ``pair`` value (a string, a mapping or a list)."""
    if isinstance(pair, str) and pair.strip():
        return pair.strip()
    if isinstance(pair, Mapping):
        for key in ("id", "name", "event", "pair"):
            if isinstance(pair.get(key), str) and pair[key].strip():
                return pair[key].strip()
        paths = [str(v) for k, v in pair.items() if k in ("a", "b") and v]
        if paths:
            common = os.path.commonpath(paths) if len(paths) == 2 and all("/" in p for p in paths) else ""
            if common:
                return Path(common).name
            return " vs ".join(Path(p).stem for p in paths)
    if isinstance(pair, (list, tuple)) and pair:
        return " vs ".join(Path(str(p)).stem for p in pair)
    if comparison is not None:
        return f"{comparison.a.label} vs {comparison.b.label}"
    return f"line {line}"


def _pair_key(pair: Any, line: int) -> str:
    if pair is None:
        return f"\0line{line}"
    return json.dumps(pair, sort_keys=True, ensure_ascii=False, default=str)


def read_results(path: str | os.PathLike[str]) -> list[PairRecord]:
    """Read a batch JSONL file into records, in file order.

    Blank lines are skipped, and so is a last line cut short (a run killed mid-write), as the
    batch and ``summarize`` do. A pair written twice keeps its last record, in the place of its
    first. A line that is not a ``readout-diff/1`` object raises
    :class:`~readout_diff.errors.InputError` naming the file and line.
    """
    path = Path(path)
    try:
        fh = open(path, encoding="utf-8")
    except FileNotFoundError:
        raise InputError(path, "does not exist") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    records: dict[str, PairRecord] = {}
    with fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                d = json.loads(raw)
            except json.JSONDecodeError as exc:
                if not raw.endswith("\n"):  # the last record of a run killed mid-write
                    break
                raise InputError(f"{path}:{n}", f"expected one JSON object per line; {exc.msg} "
                                 f"at column {exc.colno}") from None
            if not isinstance(d, dict) or d.get("schema") != SCHEMA:
                got = d.get("schema") if isinstance(d, dict) else type(d).__name__
                raise InputError(f"{path}:{n}", f"expected a {SCHEMA!r} object; got {got!r}")
            pair = d.get("pair")
            if "error" in d:
                err = d["error"] if isinstance(d["error"], Mapping) else {"message": str(d["error"])}
                rec = PairRecord(n, pair, pair_name(pair, line=n), error=dict(err))
            else:
                try:
                    c = Comparison.from_dict(d)
                except (KeyError, TypeError, ValueError) as exc:
                    raise InputError(f"{path}:{n}", f"is not a complete comparison "
                                     f"({type(exc).__name__}: {exc})") from None
                rec = PairRecord(n, pair, pair_name(pair, c, n), comparison=c)
            records[_pair_key(pair, n)] = rec
    return list(records.values())


def _slug(name: str) -> str:
    s = re.sub(r"[^\w.-]+", "-", name, flags=re.UNICODE).strip("-.").lower()
    return s[:60] or "pair"


# -- the timeline -------------------------------------------------------------------------------

def _side_names(records: Sequence[PairRecord]) -> tuple[str, str]:
    la = {r.comparison.a.label for r in records if r.comparison}
    lb = {r.comparison.b.label for r in records if r.comparison}
    return (la.pop() if len(la) == 1 else "side a", lb.pop() if len(lb) == 1 else "side b")


def timeline_svg(records: Sequence[PairRecord]) -> tuple[str | None, str | None]:
    """The timeline chart as SVG text, or ``(None, why)`` when it cannot be drawn.

    Top panel: gap_score of each dated pair over time. Bottom panel: for each topic some side left
    out, a mark at each date where side a leaves it out (side b has it, a does not) and where side
    b leaves it out. Drawn with matplotlib (optional); fonts stay text so the SVG is small and
    editable, and the file carries no date, so the same batch gives the same bytes.
    """
    dated = sorted(((r.date, r) for r in records if r.comparison and r.date),
                   key=lambda x: (x[0], x[1].line))
    undated = sum(1 for r in records if r.comparison and not r.date)
    if not dated:
        return None, "No pair has a date (meta.date, or a YYYY-MM-DD in a source path), so there is no timeline."
    try:
        import matplotlib
        from matplotlib.figure import Figure
    except ImportError:
        return None, "The timeline needs matplotlib (pip install matplotlib); it was skipped."

    la, lb = (_plain(x) for x in _side_names(records))
    col_a, col_b = "#1d4ed8", "#c2410c"
    dates = [d for d, _ in dated]
    gap = [r.comparison.scores.gap_score for _, r in dated]
    left_out: dict[str, list[tuple[_dt.date, str]]] = {}
    for d, r in dated:
        g = r.comparison.gaps
        for t in g.only_b:
            left_out.setdefault(t, []).append((d, "a"))
        for t in g.only_a:
            left_out.setdefault(t, []).append((d, "b"))
    topics = sorted(left_out, key=lambda t: (-len(left_out[t]), t))
    ticks = [_plain(t) for t in topics]

    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "readout-diff",
                                "font.family": "sans-serif", "font.size": 9,
                                "axes.spines.top": False, "axes.spines.right": False}):
        height = 2.4 + 0.24 * max(len(topics), 1)
        fig = Figure(figsize=(10, height), layout="constrained")
        grid = fig.add_gridspec(2, 1, height_ratios=[2.0, 0.24 * max(len(topics), 1) + 0.3])
        ax1 = fig.add_subplot(grid[0])
        ax2 = fig.add_subplot(grid[1], sharex=ax1)
        ax1.plot(dates, gap, color="#334155", linewidth=1.2, marker="o", markersize=4,
                 markerfacecolor="#0f172a")
        ax1.set_ylim(0, 1)
        ax1.set_ylabel("gap_score")
        ax1.grid(axis="y", color="#e5e7eb", linewidth=0.8)
        ax1.set_title("Gap between the two readouts of each event, and the topics each side "
                      "leaves out", loc="left", fontsize=10)
        ax1.tick_params(labelbottom=False)
        span = max((dates[-1] - dates[0]).days, 30)
        off = _dt.timedelta(days=max(span * 0.004, 0.5))
        for y, t in enumerate(topics):
            xa = [d - off for d, s in left_out[t] if s == "a"]
            xb = [d + off for d, s in left_out[t] if s == "b"]
            ax2.scatter(xa, [y] * len(xa), s=30, color=col_a, marker="s", linewidths=0,
                        label=f"left out by {la}" if y == 0 else None)
            ax2.scatter(xb, [y] * len(xb), s=30, color=col_b, marker="o", linewidths=0,
                        label=f"left out by {lb}" if y == 0 else None)
        if topics:
            ax2.set_yticks(range(len(topics)), ticks)
            ax2.set_ylim(len(topics) - 0.5, -0.5)
            ax2.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=8)
        else:
            ax2.set_yticks([])
            ax2.text(0.5, 0.5, "no side left out any topic", transform=ax2.transAxes,
                     ha="center", va="center", color="#6b7280")
        ax2.grid(axis="y", color="#f1f5f9", linewidth=0.8)
        ax2.tick_params(axis="y", length=0)
        ax1.set_axisbelow(True)
        ax2.set_axisbelow(True)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    note = (f"{undated} pair(s) without a date are not on the timeline." if undated else None)
    return buf.getvalue(), note


def _plain(label: str) -> str:
    # matplotlib reads "$...$" as mathematics; a label is plain text.
    return str(label).replace("$", r"\$")


def _inline_svg(svg: str) -> str:
    """The SVG of a file, made fit to sit inside a page: no XML prolog, doctype or metadata."""
    svg = re.sub(r"<\?xml[^>]*\?>\s*", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    return svg.strip()


# -- the site -----------------------------------------------------------------------------------

def _row_view(rec: PairRecord, href: str | None) -> dict[str, Any]:
    c = rec.comparison
    return {"rec": rec, "href": href, "c": c,
            "date": rec.date.isoformat() if rec.date else ""}


def build_site(results: str | os.PathLike[str] | Iterable[PairRecord],
               output_dir: str | os.PathLike[str], *, chart: bool = True,
               title: str = "readout-diff: batch report") -> SiteResult:
    """Write the index, one page per pair and the timeline under ``output_dir``.

    ``results`` is a batch JSONL path or records from :func:`read_results`. ``chart=False`` skips
    the timeline (and matplotlib).
    """
    from markupsafe import Markup

    from .html_report import _version, environment, label_of, render_comparison_page
    from .output import write_atomic

    source = Path(results) if isinstance(results, (str, os.PathLike)) else None
    records = read_results(source) if source is not None else list(results)
    if not isinstance(title, str):
        raise ParameterError.invalid("title", "build_site", "a string", title)
    out = Path(output_dir)
    if out.exists() and not out.is_dir():
        raise InputError(out, "is a file; expected a folder for the site")
    (out / "pairs").mkdir(parents=True, exist_ok=True)
    inputs = [source] if source else []

    pages: list[Path] = []
    rows: list[dict[str, Any]] = []
    width = len(str(len(records)))
    for k, rec in enumerate(records, 1):
        if rec.comparison is None:
            rows.append(_row_view(rec, None))
            continue
        name = f"{k:0{max(3, width)}d}-{_slug(rec.name)}.html"
        page = out / "pairs" / name
        write_atomic(page, render_comparison_page(rec.comparison, back_href="../index.html",
                                                  back_text="all pairs"), inputs=inputs)
        pages.append(page)
        rows.append(_row_view(rec, f"pairs/{name}"))

    notes: list[str] = []
    svg, chart_path = None, None
    if chart:
        svg, note = timeline_svg(records)
        if note:
            notes.append(note)
        if svg is not None:
            chart_path = out / "timeline.svg"
            write_atomic(chart_path, svg, inputs=inputs)
    else:
        notes.append("The timeline was not drawn (chart=False).")

    script_hash = base64.b64encode(hashlib.sha256(SORT_SCRIPT.encode("utf-8")).digest()).decode()
    ok = [r for r in rows if r["c"] is not None]
    failed = [r for r in rows if r["c"] is None]
    html = environment().get_template("index.html").render(
        title=title, rows=ok, failed=failed, source=str(source) if source else None,
        svg=Markup(_inline_svg(svg)) if svg else None,
        chart_file="timeline.svg" if chart_path else None, notes=notes,
        side_names=_side_names(records), label_of=label_of, version=_version(),
        sort_script=Markup(SORT_SCRIPT), script_hash=script_hash,
        mean_gap=(sum(r["c"].scores.gap_score for r in ok) / len(ok)) if ok else None,
    )
    index = out / "index.html"
    write_atomic(index, html, inputs=inputs)
    return SiteResult(index=index, pages=tuple(pages), chart=chart_path, n_pairs=len(ok),
                      n_failed=len(failed), notes=tuple(notes))
