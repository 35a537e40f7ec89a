"""The HTML report: one self-contained page per comparison (or per analysed readout).

:func:`render_html` is what ``render(obj, "html")``, ``readout-diff compare --format html`` and
``Comparison._repr_html_`` (Jupyter) call. The page needs nothing from the network: the style
sheet is inlined, the emphasis chart is inline SVG, and there is no script at all. A
Content-Security-Policy in the page forbids scripts and remote loads as a second line of defence;
the first is that every piece of readout text goes through Jinja2 with autoescape on.

Python prepares plain view data (rows of aligned sentences, highlighted pieces of each sentence,
chart geometry); the templates under ``readout_diff/templates/`` only lay it out. The style sheet
is scoped under ``.rd`` so the same markup can sit inside a notebook without restyling it.

>>> from readout_diff import compare
>>> page = render_html(compare("Trade was discussed.", "Trade and fentanyl were discussed."))
>>> page.startswith("<!DOCTYPE html>"), "fentanyl" in page
(True, True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence, Union

from .model import Analysis, Comparison, Mention, Sentence

if TYPE_CHECKING:  # pragma: no cover
    import jinja2

__all__ = [
    "Row",
    "Segment",
    "emphasis_chart",
    "environment",
    "locate_mentions",
    "render_analysis_page",
    "render_comparison_page",
    "render_html",
    "rows",
    "score_notes",
    "segments",
]

TEMPLATES = Path(__file__).with_name("templates")

#: What each relation between two aligned sentences means, for the legend.
RELATION_NOTES = {
    "equivalent": "the two sentences say the same thing",
    "a_more_specific": "both say it; side a gives more detail (numbers, dates, names)",
    "b_more_specific": "both say it; side b gives more detail (numbers, dates, names)",
    "related": "the sentences are about the same thing but say different things about it",
    "contradictory": "one sentence denies what the other asserts",
}


# -- the template environment -------------------------------------------------------------------

@lru_cache(maxsize=1)
def environment() -> "jinja2.Environment":
    """The Jinja2 environment of the report and site templates (autoescape always on)."""
    import jinja2

    from .report import aligner_text

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every template here is HTML; readout text must never become markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = lambda x: f"{100 * float(x):.0f}%"
    env.filters["num"] = lambda x, digits=2: f"{float(x):.{digits}f}"
    env.globals["css"] = lambda: _css()
    env.globals["aligner_text"] = aligner_text
    return env


@lru_cache(maxsize=1)
def _css() -> Any:
    from markupsafe import Markup

    # The style sheet is our own file, read verbatim (not a template: CSS may contain "{#").
    return Markup((TEMPLATES / "report.css").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _labels() -> Mapping[str, str]:
    """Human labels of the shipped codebook's ids, shown on hover (ids stay the visible text)."""
    try:
        from .codebook import Codebook

        return {e.id: e.label for e in Codebook.default().entries}
    except Exception:  # a label is a nicety; a report must render without it
        return {}


def label_of(id_: str) -> str:
    return _labels().get(id_, id_.replace("_", " "))


# -- mention highlighting ------------------------------------------------------------------------

@dataclass(frozen=True)
class Segment:
    """A piece of a sentence's text and the mentions that cover it (none: plain text)."""

    text: str
    mentions: tuple[Mention, ...] = ()

    @property
    def title(self) -> str:
        return "; ".join(_mention_title(m) for m in self.mentions)

    @property
    def css(self) -> str:
        kinds = {("negated" if m.negated else m.kind) for m in self.mentions}
        return " ".join(f"m-{k}" for k in sorted(kinds))


def _mention_title(m: Mention) -> str:
    what = "negated topic" if m.negated else m.kind
    return f"{what}: {m.id} ({label_of(m.id)})"


def _wordish(c: str) -> bool:
    # Latin/Cyrillic/... letters and digits form words; CJK characters are each their own "word",
    # so any position between them is a boundary.
    return c.isalnum() and ord(c) < 0x2E80


_OPEN = "\"'“‘([{«"
_CLOSE = ".,;:!?\"'”’)]}»"


def _start_tier(text: str, p: int) -> int | None:
    """0: a clean word start; 1: a start after in-word punctuation ("one-|China"); None: no start."""
    if not 0 <= p < len(text) or text[p].isspace():
        return None
    prev = text[p - 1] if p else " "
    if prev.isspace() or (prev in _OPEN and (p < 2 or not _wordish(text[p - 2]))):
        return 0
    if _wordish(prev) and _wordish(text[p]):
        return None
    return 1


def _end_tier(text: str, q: int) -> int | None:
    """0: a clean word end; 1: an end before in-word punctuation; None: not a word end."""
    if not 0 < q <= len(text) or text[q - 1].isspace():
        return None
    nxt = text[q] if q < len(text) else " "
    if nxt.isspace() or (nxt in _CLOSE and (q + 1 == len(text) or not _wordish(text[q + 1]))):
        return 0
    if _wordish(text[q - 1]) and _wordish(nxt):
        return None
    return 1


def locate_mentions(sentence: Sentence) -> list[tuple[int, int, Mention]]:
    """Spans ``(start, end, mention)`` of the sentence's mentions inside ``sentence.text``.

    Mention offsets point into the readout's text and ``sentence.start`` is where the sentence
    begins there, so ``m.start - sentence.start`` indexes ``sentence.text`` when the pipeline kept
    the text verbatim. It collapses runs of whitespace, though: then ``(end - start) - len(text)``
    characters were dropped somewhere, offsets after a dropped run shift left, and a span that
    crosses one shrinks. The shift never decreases along the sentence. Among the shifts still
    possible, the span is placed where it starts and ends on word boundaries (clean ones, not
    inside "one-China", preferred); ties go to the shift nearest to a proportional share of the
    dropped characters (wrapped, indented lines drop them evenly). On readouts re-wrapped with
    indentation, 99% of spans land exactly (the rest are multi-word spans one word off); with no
    dropped whitespace every span is exact. Spans are clamped to the text and mentions outside
    the sentence dropped, so this never fails.

    >>> from readout_diff.model import Mention, Sentence
    >>> s = Sentence(0, 10, 40, "Both sides discussed trade.",
    ...              mentions=(Mention("trade", "topic", 34, 39),))
    >>> [(s.text[i:j], m.id) for i, j, m in locate_mentions(s)]
    [('trade', 'trade')]
    """
    text = sentence.text
    n = len(text)
    orig = max(sentence.end - sentence.start, n)
    slack = orig - n
    out: list[tuple[int, int, Mention]] = []
    shift = 0
    for m in sorted(sentence.mentions, key=lambda m: (m.start, m.end)):
        r0, r1 = max(0, m.start - sentence.start), min(orig, m.end - sentence.start)
        if r1 <= r0:
            continue
        if slack == 0:
            p0, p1 = r0, min(r1, n)
        else:
            p0, p1 = _place(text, r0, r1 - r0, shift, slack, slack * r0 / orig)
            shift = max(shift, r0 - p0)
        if p1 > p0:
            out.append((p0, p1, m))
    return out


def _place(text: str, r0: int, length: int, shift: int, slack: int,
           expected: float) -> tuple[int, int]:
    best: tuple[tuple[float, ...], int, int] | None = None
    for d in range(shift, slack + 1):
        p = r0 - d
        ts = _start_tier(text, p)
        if ts is None:
            continue
        for e in range(0, min(length - 1, slack - d) + 1):  # e: whitespace dropped inside the span
            q = p + length - e
            te = _end_tier(text, q)
            if te is None or (e and " " not in text[p:q]):
                continue
            key = (ts + te, abs(d - expected), d, e)
            if best is None or key < best[0]:
                best = (key, p, q)
    if best is not None:
        return best[1], best[2]
    p0 = min(max(r0 - shift, 0), len(text))
    return p0, min(p0 + length, len(text))


def segments(sentence: Sentence) -> list[Segment]:
    """The sentence's text cut at every mention boundary; overlapping mentions share a piece.

    >>> from readout_diff.model import Mention, Sentence
    >>> s = Sentence(0, 0, 15, "We talked trade", mentions=(Mention("trade", "topic", 10, 15),))
    >>> [(x.text, [m.id for m in x.mentions]) for x in segments(s)]
    [('We talked ', []), ('trade', ['trade'])]
    """
    spans = locate_mentions(sentence)
    text = sentence.text
    cuts = sorted({0, len(text), *(i for i, _, _ in spans), *(j for _, j, _ in spans)})
    out = []
    for i, j in zip(cuts, cuts[1:]):
        covering = tuple(m for (s, e, m) in spans if s <= i and j <= e)
        out.append(Segment(text[i:j], covering))
    return out


# -- aligned rows ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    """One row of the side-by-side view: an aligned pair, or a sentence found on one side only.

    ``repeat_a``/``repeat_b`` say the sentence was already shown in an earlier row (a sentence may
    be in several links); the template shows it dimmed.
    """

    a: int | None
    b: int | None
    relation: str | None = None
    score: float | None = None
    repeat_a: bool = False
    repeat_b: bool = False


def rows(c: Comparison) -> list[Row]:
    """The rows of the side-by-side view.

    Rows follow side a's order: each link, and each unaligned sentence of a, in place. An
    unaligned sentence of b follows the row that shows b's nearest earlier linked sentence (so
    "We made progress on trade" still comes right after "Just finished a productive call"); if
    no earlier sentence of b is linked, it comes before the row of the nearest later one; if none
    of b is linked, after everything. A sentence in several links is shown again, flagged
    ``repeat_*``.

    >>> from readout_diff import compare
    >>> [(r.a, r.b) for r in rows(compare("Trade was discussed. Xi spoke of respect.",
    ...                                   "Trade was discussed."))]
    [(0, 0), (1, None)]
    """
    links = sorted(c.alignment.links, key=lambda x: (x.a, x.b))
    linked_a = {x.a for x in links}
    by_a: dict[int, list] = {}
    for link in links:
        by_a.setdefault(link.a, []).append(link)

    spine: list[Row] = []
    seen_a: set[int] = set()
    seen_b: set[int] = set()
    for i in range(c.a.n_sentences):
        if i not in linked_a:
            spine.append(Row(i, None))
            continue
        for link in by_a[i]:
            spine.append(Row(link.a, link.b, link.relation, link.score,
                             repeat_a=link.a in seen_a, repeat_b=link.b in seen_b))
            seen_a.add(link.a)
            seen_b.add(link.b)

    first_row = {}
    for k, r in enumerate(spine):
        if r.b is not None:
            first_row.setdefault(r.b, k)
    linked_b = sorted(first_row)
    before: dict[int, list[Row]] = {}  # rows to put before spine[k]
    after: dict[int, list[Row]] = {}   # rows to put after spine[k] (and its sentence's other links)
    tail: list[Row] = []
    for j in range(c.b.n_sentences):
        if j in first_row:
            continue
        earlier = [x for x in linked_b if x < j]
        later = [x for x in linked_b if x > j]
        if earlier:
            k = first_row[earlier[-1]]
            while k + 1 < len(spine) and spine[k + 1].a == spine[k].a:  # keep a's links together
                k += 1
            after.setdefault(k, []).append(Row(None, j))
        elif later:
            before.setdefault(first_row[later[0]], []).append(Row(None, j))
        else:
            tail.append(Row(None, j))

    out: list[Row] = []
    for k, r in enumerate(spine):
        out += before.get(k, [])
        out.append(r)
        out += after.get(k, [])
    return out + tail


def relation_label(relation: str | None, label_a: str, label_b: str) -> str:
    if relation == "a_more_specific":
        return f"{label_a} more specific"
    if relation == "b_more_specific":
        return f"{label_b} more specific"
    return relation or ""


# -- the emphasis chart ------------------------------------------------------------------------

@dataclass(frozen=True)
class _Bar:
    topic: str
    label: str
    share_a: float
    share_b: float
    y: float
    wa: float
    wb: float


def emphasis_chart(shares: Sequence[tuple[str, float, float]], *, width: int = 720,
                   label_width: int = 170, bar: int = 11) -> dict[str, Any]:
    """Geometry of a grouped horizontal bar chart: per topic, the share of each readout.

    ``shares`` holds ``(topic, share_a, share_b)``; the template draws the SVG from the result.
    Topics are listed by their larger share, then by id.
    """
    items = sorted(shares, key=lambda t: (-max(t[1], t[2]), t[0]))
    top = max([0.1] + [max(sa, sb) for _, sa, sb in items])
    step = 0.1 if top <= 0.5 else 0.2
    axis_max = min(1.0, step * -(-round(top, 6) // step)) or step
    plot = width - label_width - 50
    group = 2 * bar + 10
    bars = []
    for k, (t, sa, sb) in enumerate(items):
        bars.append(_Bar(t, label_of(t), sa, sb, 8 + k * group,
                         plot * min(sa, axis_max) / axis_max, plot * min(sb, axis_max) / axis_max))
    ticks = []
    v = 0.0
    while v <= axis_max + 1e-9:
        ticks.append((label_width + plot * v / axis_max, f"{100 * v:.0f}%"))
        v += step
    height = 8 + len(items) * group + 22
    return {"bars": bars, "ticks": ticks, "width": width, "height": height, "x0": label_width,
            "bar": bar, "plot": plot, "axis_y": 8 + len(items) * group}


# -- scores --------------------------------------------------------------------------------------

def score_notes() -> dict[str, str]:
    """One line per score saying what it measures (formulas of :mod:`readout_diff.score`)."""
    from .score import GAP_WEIGHTS as w

    return {
        "gap_score": (f"{w['topics']:.2f}·(1 − topic_jaccard) + {w['frames']:.2f}·(1 − "
                      f"frame_jaccard) + {w['emphasis']:.2f}·emphasis_divergence + "
                      f"{w['alignment']:.2f}·(1 − alignment_coverage): 0 when the readouts say "
                      "the same things, toward 1 as they diverge."),
        "topic_jaccard": "Topics both readouts have, out of the topics either has "
                         "(1 = the same agenda; 1 when neither has any).",
        "frame_jaccard": "Frames both readouts use, out of the frames either uses "
                         "(1 = they speak the same way).",
        "emphasis_divergence": "Jensen–Shannon divergence of how each readout spreads its topic "
                               "mentions (0 = same emphasis, 1 = no topic in common).",
        "alignment_coverage": "Share of all sentences, of both readouts, that line up with a "
                              "sentence of the other.",
        "breadth_balance": "Fewer topics ÷ more topics (1 = both cover as many topics).",
        "specificity_balance": "Lower ÷ higher rate of numbers, dates and names per sentence "
                               "(1 = equally specific).",
    }


# -- view data ---------------------------------------------------------------------------------

_DATE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


def readout_date(an: Analysis) -> str | None:
    """The readout's date: ``meta["date"]``, else a ``YYYY-MM-DD`` in its source path (the
    corpora name each event's folder ``2025-09-19_...``), else ``None``."""
    d = an.meta.get("date")
    if d not in (None, ""):
        return str(d)
    if an.source:
        m = _DATE.search(an.source.replace("\\", "/"))
        if m:
            return m.group(1)
    return None


def _side(an: Analysis, key: str) -> dict[str, Any]:
    url = an.meta.get("source_url") or an.meta.get("url")
    url = str(url) if url else None
    return {
        "key": key,
        "an": an,
        "label": an.label,
        "date": readout_date(an),
        "title": an.meta.get("title"),
        "source": an.source,
        # Only web addresses become links; anything else ("javascript:...") stays text.
        "url": url,
        "url_is_link": bool(url and re.match(r"https?://", url, re.I)),
        "sentences": [{"s": s, "segments": segments(s)} for s in an.sentences],
    }


def _comparison_view(c: Comparison) -> dict[str, Any]:
    from .report import reading

    a, b, g = c.a, c.b, c.gaps
    identical = [s.text for s in a.sentences] == [s.text for s in b.sentences]
    topics = sorted(set(a.topics) | set(b.topics))
    shares = [(t, a.topics[t].share if t in a.topics else 0.0,
               b.topics[t].share if t in b.topics else 0.0) for t in topics]
    side_a, side_b = _side(a, "a"), _side(b, "b")
    return {
        "c": c,
        "A": side_a,
        "B": side_b,
        "identical": identical,
        "reading": reading(c.scores.gap_score, identical=identical),
        "disputed": set(g.disputed),
        "chart": emphasis_chart(shares) if shares else None,
        "rows": rows(c),
        "relation_label": lambda r: relation_label(r, a.label, b.label),
        "relation_notes": RELATION_NOTES,
        "scores": c.scores.to_dict(),
        "score_notes": score_notes(),
        "label_of": label_of,
        "version": _version(),
    }


def _version() -> str:
    from . import __version__

    return __version__


def render_comparison_page(c: Comparison, *, back_href: str | None = None,
                           back_text: str = "all pairs") -> str:
    """The comparison page; ``back_href`` adds a link back (the batch site's index)."""
    view = _comparison_view(c)
    view["back_href"], view["back_text"] = back_href, back_text
    return environment().get_template("comparison.html").render(view)


def render_analysis_page(an: Analysis) -> str:
    """A single readout's page: topics, frames, emphasis, sentences with highlights, commitments."""
    shares = [(t, st.share, 0.0) for t, st in an.topics.items()]
    view = {
        "A": _side(an, "a"),
        "chart": emphasis_chart(shares) if shares else None,
        "label_of": label_of,
        "version": _version(),
    }
    return environment().get_template("analysis.html").render(view)


def render_html(obj: Union[Comparison, Analysis]) -> str:
    """Render a comparison (or one analysed readout) as one self-contained HTML page."""
    if isinstance(obj, Comparison):
        return render_comparison_page(obj)
    return render_analysis_page(obj)
