"""The HTML report and the batch site, on small hand-made readouts and hand-built comparisons."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import sys
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from htmldom import parse
from readout_diff import Readout, analyze, compare, render
from readout_diff.errors import InputError
from readout_diff.html_report import emphasis_chart, locate_mentions, render_html, rows, segments
from readout_diff.model import (Alignment, Analysis, Comparison, Gaps, Link, Mention, Scores,
                                Sentence)
from readout_diff.site import build_site, read_results

CN = ("Xi Jinping said the two sides should respect each other and treat each other as equals. "
      "The leaders discussed trade and tariffs at length. "
      "Ukraine was not discussed. "
      "Xi invited Trump to visit China next year.")
US = ("President Trump and President Xi had a long talk about trade and fentanyl. "
      "Trump said he would travel to China next year. "
      "The two leaders agreed that their teams will meet again soon.")

HOSTILE = ("The leaders discussed trade <script>document.title='pwned'</script> at length. "
           "Xi said <img src=x onerror=\"document.body.dataset.pwned=1\"> matters & so do \"quotes\".")


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    return compare(Readout(CN, label="cn", meta={"date": "2025-01-17", "title": "A phone call"}),
                   Readout(US, label="us", meta={"date": "2025-01-17"}))


@pytest.fixture(scope="module")
def page(comparison) -> str:
    return render_html(comparison)


def chip_ids(cell) -> list[str]:
    return [el.attrs["data-id"] for el in cell.find_all("span", "chip")]


# -- the comparison page ------------------------------------------------------------------------

def test_page_is_a_complete_document_with_the_header(comparison, page):
    doc = parse(page)
    assert page.startswith("<!DOCTYPE html>")
    assert doc.find("title").text.strip() == "cn vs us — readout-diff"
    assert doc.find("h1").text.split() == ["cn", "vs", "us"]
    cards = doc.find_all("div", "side-card")
    assert [c.find("div", "name").text for c in cards] == ["cn", "us"]
    assert all("2025-01-17" in c.text for c in cards)
    assert f"{comparison.a.n_sentences} sentences" in cards[0].text
    assert "A phone call" in doc.find("header").text
    gap = doc.find("div", "gap-number")
    assert gap.text == f"{comparison.scores.gap_score:.2f}"
    from readout_diff.report import reading
    assert reading(comparison.scores.gap_score).lower() in doc.find("div", "reading").text.lower()


def test_gaps_are_chips_in_their_columns(comparison, page):
    g = comparison.gaps
    assert g.shared and g.only_b and g.frames_only_a and g.negated_a  # the texts were written so
    table = parse(page).find("table", "gaps")
    topics, frames, negated = table.find("tbody").find_all("tr")
    only_a, shared, only_b = topics.find_all("td")
    assert chip_ids(only_a) == list(g.only_a)
    assert chip_ids(shared) == list(g.shared)
    assert chip_ids(only_b) == list(g.only_b)
    assert all("b" in el.classes for el in only_b.find_all("span", "chip"))
    assert chip_ids(frames.find_all("td")[0]) == list(g.frames_only_a)
    neg = negated.find_all("td")[0].find_all("span", "chip")
    assert [el.attrs["data-id"] for el in neg] == list(g.negated_a)
    assert all("negated" in el.classes and "not discussed" in el.text for el in neg)
    # Chips explain themselves on hover with the codebook's label.
    assert "Fentanyl" in only_b.find("span", "chip", data_id="fentanyl").attrs["title"]


def test_aligned_rows_follow_the_alignment(comparison, page):
    doc = parse(page)
    aligned = doc.find_all("div", "row aligned")
    assert [(int(r.attrs["data-a"]), int(r.attrs["data-b"]), r.attrs["data-relation"])
            for r in aligned] == [(x.a, x.b, x.relation) for x in
                                  sorted(comparison.alignment.links, key=lambda x: (x.a, x.b))]
    for r, link in zip(aligned, sorted(comparison.alignment.links, key=lambda x: (x.a, x.b))):
        a_cell, b_cell = r.find_all("div", "cell")
        assert " ".join(comparison.a.sentences[link.a].text.split()) in " ".join(a_cell.text.split())
        assert " ".join(comparison.b.sentences[link.b].text.split()) in " ".join(b_cell.text.split())
        assert r.find("span", "pill").attrs["class"].split()[-1] == link.relation
    assert [int(r.attrs["data-a"]) for r in doc.find_all("div", "row only-a")] == \
        list(comparison.alignment.unaligned_a)
    assert sorted(int(r.attrs["data-b"]) for r in doc.find_all("div", "row only-b")) == \
        list(comparison.alignment.unaligned_b)


def test_speakers_mentions_and_commitments_are_shown(comparison, page):
    doc = parse(page)
    cells = {(c.attrs["data-side"], int(c.attrs["data-sentence"])): c
             for c in doc.find_all("div", "cell") if "data-side" in c.attrs}
    s0 = comparison.a.sentences[0]
    assert s0.speaker and cells[("a", 0)].find("span", "speaker").text == s0.speaker
    marks = cells[("b", 0)].find_all("mark")
    assert {"trade", "fentanyl"} <= {i for m in marks for i in m.attrs["data-ids"].split()}
    fent = next(m for m in marks if "fentanyl" in m.attrs["data-ids"])
    assert fent.text.lower() == "fentanyl" and "topic: fentanyl" in fent.attrs["title"]
    neg = cells[("a", 2)].find("mark", "m-negated")
    assert neg.text == "Ukraine" and "negated topic: ukraine" in neg.attrs["title"]
    lists = doc.find_all("ul", "commitments")
    for ul, an in zip(lists, (comparison.a, comparison.b)):
        items = ul.find_all("li")
        assert [i.find("span", "kind").text for i in items] == [c.kind for c in an.commitments]
        assert all(c.text in i.text for i, c in zip(items, an.commitments))


def test_scores_have_values_and_explanations(comparison, page):
    rows_ = parse(page).find("table", "scores").find_all("tr")
    got = {r.attrs["data-score"]: r for r in rows_}
    assert set(got) == set(comparison.scores.to_dict())
    for name, value in comparison.scores.to_dict().items():
        assert got[name].find("td", "v").text == f"{value:.2f}"
        assert len(got[name].find("td", "note").text) > 30
    assert "0.40·(1 − topic_jaccard)" in got["gap_score"].text


def test_emphasis_chart_is_inline_svg_with_both_shares(comparison, page):
    svg = parse(page).find("svg", "chart")
    topics = {g.attrs["data-topic"]: g for g in svg.find_all("g", "topic")}
    assert set(topics) == set(comparison.a.topics) | set(comparison.b.topics)
    for t, g in topics.items():
        wa = float(g.find("rect", "bar-a").attrs["width"])
        wb = float(g.find("rect", "bar-b").attrs["width"])
        sa = comparison.a.topics[t].share if t in comparison.a.topics else 0.0
        sb = comparison.b.topics[t].share if t in comparison.b.topics else 0.0
        assert (wa > 0) == (sa > 0) and (wb > 0) == (sb > 0)
        if sa and sb:
            assert wa / wb == pytest.approx(sa / sb, rel=0.02)


def test_emphasis_chart_geometry_stays_inside_the_plot():
    chart = emphasis_chart([("trade", 1.0, 0.25), ("taiwan", 0.0, 0.5)])
    assert [b.topic for b in chart["bars"]] == ["trade", "taiwan"]
    assert chart["bars"][0].wa == pytest.approx(chart["plot"])
    assert chart["bars"][0].wb == pytest.approx(chart["plot"] / 4)
    assert chart["ticks"][-1][1] == "100%"


def test_identical_readouts_say_so_plainly():
    c = compare(CN, CN)
    doc = parse(render_html(c))
    assert doc.find("div", "gap-number").text == "0.00"
    assert doc.find("div", "reading").text == "The two readouts say the same things."
    assert "identical" in doc.find("div", "identical").text
    assert not doc.find_all("div", "row only-a") and not doc.find_all("div", "row only-b")
    assert all(r.attrs["data-relation"] == "equivalent" for r in doc.find_all("div", "row aligned"))


def test_different_readouts_do_not_claim_identity(page):
    assert parse(page).find("div", "identical") is None


def test_hostile_text_labels_and_meta_are_shown_as_text():
    a = Readout(HOSTILE, label="<b>cn</b>",
                meta={"title": "<script>alert(1)</script>", "source_url": "javascript:alert(1)"})
    c = compare(a, Readout(US, label="us\" onmouseover=\"alert(1)"))
    html = render_html(c)
    doc = parse(html)
    body = doc.find("body")
    assert not body.find_all("script") and not doc.find_all("img")
    assert not [b for b in doc.find_all("b") if b.text]  # the report's own <b> are empty bars
    assert not any(k.startswith("on") for el in doc.iter() for k in el.attrs)
    assert not any((el.attrs.get("href") or "").startswith("javascript") for el in doc.iter())
    text = " ".join(body.text.split())
    assert "<script>document.title='pwned'</script>" in text
    assert "<img src=x onerror=\"document.body.dataset.pwned=1\">" in text
    assert "<b>cn</b>" in text and "<script>alert(1)</script>" in text
    assert "&lt;script&gt;" in html and "<script>document" not in html
    # Hover titles carry the text too, and stay one attribute.
    assert all(set(el.attrs) <= {"class", "title", "data-ids"} for el in doc.find_all("mark"))


def test_page_is_self_contained(page):
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", page, re.I)
    assert not re.search(r"\bsrc\s*=|@import|url\(", page, re.I)
    without_ns = re.sub(r'xmlns(:\w+)?="[^"]*"', "", page)
    assert "http://" not in without_ns and "https://" not in without_ns
    csp = parse(page).find("meta", http_equiv="Content-Security-Policy").attrs["content"]
    assert "default-src 'none'" in csp and "script-src 'none'" in csp


def test_repr_html_is_the_report(comparison, page):
    assert comparison._repr_html_() == page == render(comparison, "html")
    # Scoped styles: nothing in the style sheet reaches outside the .rd root in a notebook.
    css = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"@media[^{]*\{", "", css)
    selectors = [s.strip() for block in re.findall(r"([^{}@]+)\{", css) for s in block.split(",")]
    selectors = [s for s in selectors if s and not s[0].isdigit() and not s.startswith(("from", "to"))]
    assert all(s.startswith((".rd", "body.rd-body")) for s in selectors), selectors


def test_analysis_page_shows_one_readout():
    an = analyze(Readout(CN, label="cn", meta={"date": "2025-01-17"}))
    html = render(an, "html")
    doc = parse(html)
    assert doc.find("h1").text == "cn"
    rows_ = doc.find("table", "gaps").find_all("tr")
    assert chip_ids(rows_[0]) == list(an.topics)
    assert chip_ids(rows_[2]) == list(an.negated_topics)
    cells = doc.find_all("div", "cell")
    assert [int(c.attrs["data-sentence"]) for c in cells] == list(range(an.n_sentences))
    assert not doc.find_all("div", "row aligned")
    assert {g.attrs["data-topic"] for g in doc.find("svg", "chart").find_all("g", "topic")} == set(an.topics)


def test_empty_topics_render_without_chart():
    c = compare("The weather was pleasant today.", "It rained in the afternoon.")
    doc = parse(render_html(c))
    assert doc.find("svg", "chart") is None
    assert "Neither readout has a topic" in doc.text


# -- mention offsets -----------------------------------------------------------------------------

def _oracle(text: str, an: Analysis):
    for s in an.sentences:
        for i, j, m in locate_mentions(s):
            yield s.text[i:j], " ".join(text[m.start:m.end].split()), m


def test_mentions_land_on_their_words_in_verbatim_text():
    text = CN + " " + US
    an = analyze(text)
    found = list(_oracle(text, an))
    assert len(found) == sum(len(s.mentions) for s in an.sentences) >= 6
    assert all(got == want for got, want, _ in found)


def test_mentions_land_on_their_words_when_whitespace_was_collapsed():
    # Hard-wrapped, indented lines: the pipeline collapses the indentation, so later offsets
    # shift; the highlight must still cover the words the mention was found on.
    text = ("The leaders discussed trade and\n      tariffs, fentanyl and the war in\n"
            "      Ukraine,   as well as   Taiwan and\n      the South China Sea.")
    an = analyze(text)
    (s,) = an.sentences
    assert s.end - s.start > len(s.text)
    found = list(_oracle(text, an))
    assert {m.id for _, _, m in found} >= {"trade", "fentanyl", "ukraine", "taiwan", "maritime"}
    assert [got for got, _, _ in found] == [want for _, want, _ in found]


WORDS = st.text(alphabet="abcdefghij-", min_size=1, max_size=8).filter(lambda w: w.strip("-"))


@settings(max_examples=200, deadline=None)
@given(words=st.lists(WORDS, min_size=1, max_size=12),
       gaps=st.lists(st.sampled_from([" ", " ", " ", "  ", "\n    ", "\t"]), min_size=12, max_size=12),
       picks=st.lists(st.tuples(st.integers(0, 11), st.integers(1, 3)), max_size=5))
def test_located_spans_are_always_inside_the_text(words, gaps, picks):
    original = "".join(w + g for w, g in zip(words, gaps))[:-1].rstrip() or words[0]
    starts, pos = [], 0
    for w, g in zip(words, gaps):
        starts.append(pos)
        pos += len(w) + len(g)
    mentions = []
    for i, k in picks:
        if i < len(words):
            j = min(len(words), i + k) - 1
            mentions.append(Mention(f"t{i}", "topic", 10 + starts[i], 10 + starts[j] + len(words[j])))
    s = Sentence(0, 10, 10 + len(original), " ".join(original.split()), mentions=tuple(mentions))
    spans = locate_mentions(s)
    assert all(0 <= i < j <= len(s.text) for i, j, _ in spans)
    assert "".join(x.text for x in segments(s)) == s.text
    if s.end - s.start == len(s.text):  # nothing collapsed: every span is exact
        assert [s.text[i:j] for i, j, _ in spans] == [
            " ".join(original[m.start - 10:m.end - 10].split()) for _, _, m in spans]


def test_out_of_range_mentions_are_dropped_not_fatal():
    s = Sentence(0, 100, 110, "Trade talk", mentions=(Mention("trade", "topic", 0, 5),
                                                      Mention("x", "frame", 105, 500)))
    assert [(i, j, m.id) for i, j, m in locate_mentions(s)] == [(5, 10, "x")]


# -- row order on hand-built alignments ----------------------------------------------------------

def _analysis(label: str, n: int) -> Analysis:
    sents = tuple(Sentence(i, 10 * i, 10 * i + 9, f"{label} sentence {i}") for i in range(n))
    return Analysis(label, "en", sents, {}, (), {})


def _comparison(n_a: int, n_b: int, links: list[tuple[int, int]]) -> Comparison:
    links = sorted(set(links))
    la, lb = {a for a, _ in links}, {b for _, b in links}
    alignment = Alignment(tuple(Link(a, b, 0.5, "related") for a, b in links),
                          tuple(i for i in range(n_a) if i not in la),
                          tuple(j for j in range(n_b) if j not in lb))
    gaps = Gaps((), (), (), (), (), (), (), (), ())
    scores = Scores(1, 1, 0, 1, 1, 1, 0)
    return Comparison(_analysis("a", n_a), _analysis("b", n_b), alignment, gaps, scores)


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 8), st.integers(0, 8), st.data())
def test_rows_show_every_sentence_and_keep_side_a_in_order(n_a, n_b, data):
    pairs = [(a, b) for a in range(n_a) for b in range(n_b)]
    links = data.draw(st.lists(st.sampled_from(pairs), max_size=10)) if pairs else []
    c = _comparison(n_a, n_b, links)
    out = rows(c)
    assert sorted((r.a, r.b) for r in out if r.a is not None and r.b is not None) == sorted(set(links))
    assert {r.a for r in out if r.a is not None} == set(range(n_a))
    assert {r.b for r in out if r.b is not None} == set(range(n_b))
    a_seq = [r.a for r in out if r.a is not None]
    assert a_seq == sorted(a_seq)
    only_b = [r.b for r in out if r.a is None]
    assert len(only_b) == len(set(only_b))
    linked_b = {b for _, b in links}
    for k, r in enumerate(out):  # an unaligned b follows the row of b's nearest earlier linked one
        earlier = [j for j in linked_b if r.a is None and j < r.b]
        if earlier:
            assert any(x.b == max(earlier) for x in out[:k])
    assert all(r.repeat_a == (r.a in {x.a for x in out[:k] if x.b is not None and x.a is not None})
               for k, r in enumerate(out) if r.a is not None and r.b is not None)


def test_unaligned_b_sentence_follows_its_linked_neighbour():
    # b1 has no partner; b0 is linked to a3: b1 comes right after a3's row, not at the top.
    c = _comparison(4, 3, [(3, 0), (0, 2)])
    assert [(r.a, r.b) for r in rows(c)] == [(0, 2), (1, None), (2, None), (3, 0), (None, 1)]
    # Nothing of b linked: b comes after a.
    assert [(r.a, r.b) for r in rows(_comparison(2, 2, []))] == [(0, None), (1, None),
                                                                (None, 0), (None, 1)]


# -- the batch site ------------------------------------------------------------------------------

def _record(c: Comparison, pair) -> str:
    return json.dumps(dict(c.to_dict(), pair=pair), ensure_ascii=False)


@pytest.fixture(scope="module")
def batch(tmp_path_factory, comparison):
    d = tmp_path_factory.mktemp("batch")
    later = compare(Readout(US, label="cn", meta={"date": "2025-06-05"}),
                    Readout(CN, label="us", meta={"date": "2025-06-05"}))
    hostile = compare(Readout(HOSTILE, label="cn", meta={"date": "2024-11-16"}),
                      Readout(US, label="us", source="x/2024-11-16_meeting/us.txt"))
    undated = compare(Readout(CN, label="cn"), Readout(CN, label="us"))
    lines = [
        _record(comparison, {"id": "2025-01-17_call", "a": "x/cn.txt", "b": "x/us.txt"}),
        _record(later, "2025-06-05_call"),
        json.dumps({"schema": "readout-diff/1", "pair": "2025-07-01_missing",
                    "error": {"type": "InputError", "message": "x/cn.txt: does not exist <script>"}}),
        "",
        _record(hostile, "<img src=x onerror=alert(1)> pair"),
        _record(undated, ["x/2023-01-01/a.txt", "x/2023-01-01/b.txt"]),
        _record(later, "2025-06-05_call"),  # a resumed batch wrote it again: counted once
    ]
    path = d / "results.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_read_results_keeps_one_record_per_pair(batch):
    recs = read_results(batch)
    assert [r.name for r in recs] == ["2025-01-17_call", "2025-06-05_call", "2025-07-01_missing",
                                      "<img src=x onerror=alert(1)> pair", "a vs b"]
    assert [r.failed for r in recs] == [False, False, True, False, False]
    assert recs[1].line == 7 and recs[2].error["type"] == "InputError"
    assert [str(r.date) for r in recs] == ["2025-01-17", "2025-06-05", "None", "2024-11-16", "None"]


def test_site_has_index_pages_and_timeline(batch, tmp_path):
    pytest.importorskip("matplotlib")
    res = build_site(batch, tmp_path / "site")
    assert (res.n_pairs, res.n_failed) == (4, 1) and len(res.pages) == 4
    html = res.index.read_text(encoding="utf-8")
    doc = parse(html)
    table = doc.find("table", id="pairs")
    heads = [th.text for th in table.find("thead").find_all("th")]
    assert heads[:7] == ["pair", "date", "sides", "gap_score", "only a", "only b", "shared"]
    body_rows = table.find("tbody").find_all("tr")
    assert len(body_rows) == 4
    for tr, page in zip(body_rows, res.pages):
        href = tr.find("a").attrs["href"]
        assert (res.index.parent / href) == page and page.exists()
        sub = parse(page.read_text(encoding="utf-8"))
        assert sub.find("a", "back").attrs["href"] == "../index.html"
        gap = float(tr.find_all("td")[3].attrs["data-sort"])
        assert sub.find("div", "gap-number").text == f"{gap:.2f}"
    first = body_rows[0].find_all("td")
    assert chip_ids(first[5]) == ["continued_talks", "fentanyl"]
    failed = doc.find("table", "pairs failed").find_all("tr")[1:]
    assert len(failed) == 1 and "does not exist <script>" in failed[0].text
    # Escaping on the index too, and the one script is exactly the one the CSP allows.
    assert "<img src=x onerror=alert(1)> pair" in doc.text and not doc.find_all("img")
    scripts = doc.find_all("script")
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].text.encode()).digest()).decode()
    csp = doc.find("meta", http_equiv="Content-Security-Policy").attrs["content"]
    assert f"script-src 'sha256-{digest}'" in csp
    # The timeline: inline in the index and on its own, a valid SVG without scripts.
    assert res.chart == res.index.parent / "timeline.svg"
    root = ET.fromstring(res.chart.read_text(encoding="utf-8"))
    assert root.tag.endswith("svg") and not [e for e in root.iter() if e.tag.endswith("script")]
    inline = doc.find("div", "figure").find("svg")
    assert inline is not None and "gap_score" in inline.text
    assert "continued_talks" in inline.text and "left out by cn" in inline.text
    assert any("without a date" in n for n in res.notes)
    without_ns = re.sub(r'xmlns(:\w+)?="[^"]*"', "", html)
    assert not re.search(r"https?://|<link\b|@import|url\((?!#)", without_ns)  # url(#clip) is local
    assert not [el for el in doc.iter() if "src" in el.attrs or el.tag in ("link", "img")]
    # The same batch gives the same chart, byte for byte.
    again = build_site(batch, tmp_path / "site2")
    assert again.chart.read_bytes() == res.chart.read_bytes()


def test_site_without_matplotlib_skips_the_chart_with_a_note(batch, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    res = build_site(batch, tmp_path / "site")
    assert res.chart is None and not (tmp_path / "site" / "timeline.svg").exists()
    doc = parse(res.index.read_text(encoding="utf-8"))
    assert "needs matplotlib" in doc.find("p", "notice").text
    assert len(doc.find("table", id="pairs").find("tbody").find_all("tr")) == 4


def test_read_results_names_the_bad_line(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text('{"schema": "readout-diff/1", "pair": "x", "error": {}}\n{not json\n')
    with pytest.raises(InputError, match=r"r\.jsonl:2: expected one JSON object per line"):
        read_results(path)
    path.write_text('{"schema": "other/9"}\n')
    with pytest.raises(InputError, match=r"r\.jsonl:1: expected a 'readout-diff/1' object; got 'other/9'"):
        read_results(path)
    path.write_text('{"schema": "readout-diff/1", "a": {}}\n')
    with pytest.raises(InputError, match=r"r\.jsonl:1: is not a complete comparison"):
        read_results(path)
    with pytest.raises(InputError, match="does not exist"):
        read_results(tmp_path / "missing.jsonl")


def test_site_refuses_a_file_as_output(batch, tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(InputError, match="expected a folder"):
        build_site(batch, target, chart=False)


# -- the command line ----------------------------------------------------------------------------

def test_cli_compare_html_and_report(batch, tmp_path, capsys):
    from readout_diff.cli import main

    (tmp_path / "cn.txt").write_text(CN, encoding="utf-8")
    (tmp_path / "us.txt").write_text(US, encoding="utf-8")
    out = tmp_path / "report.html"
    with pytest.raises(SystemExit) as exc:
        main(["compare", str(tmp_path / "cn.txt"), str(tmp_path / "us.txt"), "--format", "html",
              "--output", str(out)])
    assert exc.value.code == 0
    doc = parse(out.read_text(encoding="utf-8"))
    assert doc.find("h1").text.split() == ["cn", "vs", "us"]

    with pytest.raises(SystemExit) as exc:
        main(["report", str(batch), "--output", str(tmp_path / "site"), "--no-chart"])
    assert exc.value.code == 0
    err = capsys.readouterr().err
    assert "4 pair page(s), 1 failed" in err and (tmp_path / "site" / "index.html").exists()

    with pytest.raises(SystemExit) as exc:
        main(["report", str(tmp_path / "nope.jsonl"), "--output", str(tmp_path / "site")])
    assert exc.value.code == 1
    assert capsys.readouterr().err.strip() == f"readout-diff: error: {tmp_path / 'nope.jsonl'}: does not exist"
