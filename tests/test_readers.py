"""Reading readouts: formats, encodings, front matter, and clear errors for bad files."""

import codecs
import json
import warnings

import pytest

from readout_diff import InputError, load_readout
from readout_diff.errors import LimitError
from readout_diff.readers import ReadoutWarning, decode_bytes, load_readouts

TEXT = "The two leaders discussed trade. They agreed to keep in touch."


def test_plain_text_label_is_the_stem(tmp_path):
    p = tmp_path / "cn.txt"
    p.write_text(TEXT, encoding="utf-8")
    r = load_readout(p)
    assert (r.label, r.text, r.source) == ("cn", TEXT, str(p))


def test_markdown_front_matter_becomes_meta(tmp_path):
    p = tmp_path / "us.md"
    p.write_text("---\ndate: '2025-09-19'\ntitle: \"Readout of a call\"\n"
                 "source_url: https://example.org/x\n---\n\n" + TEXT, encoding="utf-8")
    r = load_readout(p)
    assert r.meta["date"] == "2025-09-19"
    assert r.meta["title"] == "Readout of a call"
    assert r.meta["source_url"] == "https://example.org/x"
    assert r.text.strip() == TEXT


def test_markdown_front_matter_that_never_closes_is_an_error(tmp_path):
    p = tmp_path / "bad.md"
    p.write_text("---\ndate: 2025-01-01\n\nThe leaders spoke.", encoding="utf-8")
    with pytest.raises(InputError, match="bad.md: front matter .* never closes"):
        load_readout(p)


def test_html_main_text_without_scripts_or_navigation(tmp_path):
    p = tmp_path / "page.html"
    p.write_text("<html><head><title>Readout</title><script>var x='trade';</script></head><body>"
                 "<nav>Home | Tariffs</nav><article><h1>Readout of the call</h1><p>The leaders "
                 "discussed <b>trade</b>.</p><ul><li>fentanyl</li><li>Taiwan</li></ul></article>"
                 "<footer>Contact</footer></body></html>", encoding="utf-8")
    r = load_readout(p)
    assert "discussed trade." in r.text
    assert "var x" not in r.text and "Home" not in r.text and "Contact" not in r.text
    assert "- fentanyl" in r.text
    assert r.meta["title"] == "Readout"


def test_json_object(tmp_path):
    p = tmp_path / "x.json"
    p.write_text(json.dumps({"text": TEXT, "label": "cn", "date": "2025-01-01"}))
    r = load_readout(p)
    assert (r.label, r.meta["date"]) == ("cn", "2025-01-01")


def test_json_without_text_is_an_error(tmp_path):
    p = tmp_path / "x.json"
    p.write_text(json.dumps({"body": TEXT}))
    with pytest.raises(InputError, match="x.json: the JSON object has no 'text' string"):
        load_readout(p)


def test_jsonl_reads_every_line(tmp_path):
    p = tmp_path / "many.jsonl"
    p.write_text("\n".join(json.dumps({"text": f"Readout {i} about trade."}) for i in range(3)))
    assert [r.label for r in load_readouts(p)] == ["many:1", "many:2", "many:3"]
    with pytest.raises(InputError, match="holds 3 readouts"):
        load_readout(p)


@pytest.mark.parametrize("bom,encoding", [(codecs.BOM_UTF8, "utf-8"),
                                          (codecs.BOM_UTF16_LE, "utf-16-le"),
                                          (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_byte_order_marks(tmp_path, bom, encoding):
    p = tmp_path / "r.txt"
    p.write_bytes(bom + TEXT.encode(encoding))
    assert load_readout(p).text == TEXT


def test_utf16_without_bom_is_decoded_with_a_warning():
    with pytest.warns(ReadoutWarning, match="without a byte-order mark"):
        assert decode_bytes(TEXT.encode("utf-16-le"), "x.txt") == TEXT


def test_invalid_utf8_is_replaced_with_a_warning(tmp_path):
    p = tmp_path / "r.txt"
    p.write_bytes(b"Trade \xff\xfe talks.")
    with pytest.warns(ReadoutWarning, match="r.txt: invalid UTF-8"):
        r = load_readout(p)
    assert "\ufffd" in r.text and "Trade" in r.text


@pytest.mark.parametrize("content,problem", [
    (b"", "has no text"),
    (b"  \n\t \n", "has no text"),
    (b"\x00\x01\x02\x03binary\x00\xff\x00", "looks binary"),
])
def test_bad_files(tmp_path, content, problem):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(InputError, match=f"bad.txt: {problem}"):
        load_readout(p)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="nope.txt: no such file"):
        load_readout(tmp_path / "nope.txt")


def test_size_limit_reads_no_further(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("Trade. " * 1000)
    with pytest.raises(LimitError, match="larger than the limit of 100 bytes"):
        load_readout(p, max_bytes=100)
    assert load_readout(p, max_bytes=10_000).text.startswith("Trade.")


def test_crlf_is_normalised(tmp_path):
    p = tmp_path / "r.txt"
    p.write_bytes(b"Line one.\r\nLine two.\r\n")
    assert load_readout(p).text == "Line one.\nLine two.\n"


def test_no_warning_for_clean_utf8(tmp_path):
    p = tmp_path / "r.txt"
    p.write_text(TEXT, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_readout(p)
