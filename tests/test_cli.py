"""The command line: commands, formats, exit codes, one-line errors."""

import json
import subprocess
import sys

import pytest


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "readout_diff", *args], capture_output=True,
                          text=True, **kw)


def test_compare_json_on_the_example(example_pair):
    r = run("compare", str(example_pair[0]), str(example_pair[1]), "--format", "json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["schema"] == "readout-diff/1" and d["a"]["label"] == "cn"
    assert "fentanyl" in d["gaps"]["only_b"]


def test_compare_labels_and_output_file(example_pair, tmp_path):
    out = tmp_path / "report.md"
    r = run("compare", str(example_pair[0]), str(example_pair[1]), "--label-a", "PRC",
            "--label-b", "USA", "--format", "markdown", "--output", str(out))
    assert r.returncode == 0 and r.stdout == ""
    assert out.read_text().startswith("# PRC vs USA")


def test_output_refuses_to_overwrite_an_input(example_pair, tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("The leaders discussed trade.")
    r = run("compare", str(a), str(example_pair[1]), "--output", str(a))
    assert r.returncode == 1
    assert "is also an input file" in r.stderr and "Traceback" not in r.stderr
    assert a.read_text() == "The leaders discussed trade."


def test_analyze_text(example_pair):
    r = run("analyze", str(example_pair[1]))
    assert r.returncode == 0 and "fentanyl" in r.stdout


def test_codebook_listing():
    r = run("codebook")
    assert r.returncode == 0 and "trade" in r.stdout and "24 topics, 8 frames" in r.stdout


@pytest.mark.parametrize("args,code,needle", [
    (["compare", "/no/such/a.txt", "/no/such/b.txt"], 1, "no such file"),
    (["compare"], 2, "Missing argument"),
    (["analyze", "x.txt", "--format", "pdf"], 2, "pdf"),
])
def test_errors_are_one_line_and_exit_codes(args, code, needle):
    r = run(*args)
    assert r.returncode == code
    assert needle in r.stderr and "Traceback" not in r.stderr
    if code == 1:
        assert len(r.stderr.strip().splitlines()) == 1


def test_bad_codebook_is_exit_1(tmp_path, example_pair):
    cb = tmp_path / "cb.toml"
    cb.write_text("[topics.trade\n")
    r = run("analyze", str(example_pair[1]), "--codebook", str(cb))
    assert r.returncode == 1 and "cb.toml: invalid TOML" in r.stderr


def test_warnings_reach_stderr_one_line_each(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"The leaders discussed trade.\xff And Taiwan.")
    r = run("analyze", str(bad))
    assert r.returncode == 0
    assert r.stderr.strip().splitlines() == [
        f"readout-diff: warning: {bad}: invalid UTF-8 at byte 28; undecodable bytes replaced "
        "with U+FFFD"]
