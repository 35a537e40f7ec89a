"""The HTML report in a real browser: headless Chromium renders it, dumps its DOM, screenshots it.

Skipped (with the reason) only when no Chromium is installed; ``.ci/run`` installs Debian's
``chromium``. Set ``READOUT_DIFF_CHROMIUM`` to use a particular binary.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from htmldom import parse
from readout_diff import Readout, compare
from readout_diff.html_report import render_html
from readout_diff.site import build_site

TIMEOUT = 120  # seconds for one Chromium run; a cold start on a slow machine takes a few

CN = ("Xi Jinping said the two sides should respect each other and treat each other as equals. "
      "The leaders discussed trade and tariffs at length. "
      "Ukraine was not discussed. "
      "Xi said <script>document.title='pwned'</script> the teams should keep talking. "
      "Xi invited Trump to visit China next year.")
US = ("President Trump and President Xi had a long talk about trade and fentanyl. "
      "Trump said he would travel to China next year. "
      "We discussed <img src=x onerror=\"document.body.dataset.pwned='yes'\"> Taiwan. "
      "The two leaders agreed that their teams will meet again soon.")


def find_chromium() -> str | None:
    override = os.environ.get("READOUT_DIFF_CHROMIUM")
    if override:
        return override if shutil.which(override) or Path(override).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found (install Debian's "
                                "'chromium' or set READOUT_DIFF_CHROMIUM)")


def chromium(tmp_path: Path, page: Path, *args: str, size: str = "1280,1800") -> str:
    """Run headless Chromium on a local page with networking features off; return stdout."""
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--no-first-run", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
           f"--user-data-dir={profile}", f"--window-size={size}", *args, page.as_uri()]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT,
                          env={**os.environ, "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA PNG (what Chromium writes) with zlib: width, height, pixels."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    pixels = []
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        pixels.extend(bytes(line[i:i + 3]) for i in range(0, stride, bpp))
        prev = line
    return width, height, pixels


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    c = compare(Readout(CN, label="cn", meta={"date": "2025-01-17"}),
                Readout(US, label="us", meta={"date": "2025-01-17"}))
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render_html(c), encoding="utf-8")
    return path


def test_rendered_dom_has_chips_rows_and_escaped_text(report, tmp_path):
    dom = parse(chromium(tmp_path, report, "--dump-dom"))
    title = dom.find("title").text
    assert title == "cn vs us — readout-diff"  # the hostile script did not run
    body = dom.find("body")
    assert body.attrs.get("data-pwned") is None and not dom.find_all("img")
    assert not body.find_all("script")
    chips = body.find_all("span", "chip")
    ids = {c.attrs.get("data-id") for c in chips}
    assert {"trade", "fentanyl", "ukraine"} <= ids
    assert any("negated" in c.classes for c in chips if c.attrs.get("data-id") == "ukraine")
    aligned = body.find_all("div", "row aligned")
    assert aligned and all(len(r.find_all("div", "cell")) == 2 for r in aligned)
    text = " ".join(body.text.split())
    assert "<script>document.title='pwned'</script>" in text
    assert "<img src=x onerror=\"document.body.dataset.pwned='yes'\">" in text
    assert body.find("svg", "chart") is not None


def test_screenshot_is_not_blank(report, tmp_path):
    shot = tmp_path / "shot.png"
    chromium(tmp_path, report, f"--screenshot={shot}", "--run-all-compositor-stages-before-draw",
             size="1000,1200")
    width, height, pixels = png_pixels(shot.read_bytes())
    assert (width, height) == (1000, 1200)
    counts: dict[bytes, int] = {}
    for p in pixels:
        counts[p] = counts.get(p, 0) + 1
    assert len(counts) > 200, "too few colours: the page did not render"
    assert max(counts.values()) < 0.9 * len(pixels), "one colour fills the page"
    # The side colours of the chips and chart are on screen (blue for a, orange for b).
    assert any(b > r + 80 and b > g + 40 for r, g, b in counts) and any(r > b + 80 for r, g, b in counts)


def test_index_page_runs_its_sort_script_under_its_policy(report, tmp_path):
    c = compare(CN, US, label_a="cn", label_b="us")
    results = tmp_path / "r.jsonl"
    results.write_text(json.dumps(dict(c.to_dict(), pair="p1")) + "\n"
                       + json.dumps({"schema": "readout-diff/1", "pair": "p2",
                                     "error": {"type": "InputError", "message": "gone"}}) + "\n",
                       encoding="utf-8")
    site = build_site(results, tmp_path / "site", chart=False)
    dom = parse(chromium(tmp_path, site.index, "--dump-dom"))
    heads = dom.find("table", id="pairs").find("thead").find_all("th")
    # The script gives each sortable header a tabindex: it ran, so the CSP hash matches.
    assert heads and all(th.attrs.get("tabindex") == "0" for th in heads)
    assert "gone" in dom.find("table", "pairs failed").text
