"""Every error path of the command line: one line on stderr, exit 1 for bad input, 2 for bad
usage, never a traceback; ``--output`` is written by rename and never over an input.

Most cases call :func:`readout_diff.cli.main` in this process (it is what the console script and
``python -m readout_diff`` run, with the exit-code mapping); a few run a real subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from readout_diff.cli import main

GOOD = "The two leaders discussed trade and fentanyl. They agreed to meet again next year.\n"


def cli(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main([str(a) for a in args])
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


def one_error_line(err: str, kind: str = "error") -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"readout-diff: {kind}: "), err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def good(tmp_path):
    p = tmp_path / "good.txt"
    p.write_text(GOOD, encoding="utf-8")
    return p


# -- bad usage: exit 2 ------------------------------------------------------------------------------

@pytest.mark.parametrize("args,needle", [
    (["frobnicate"], "No such command 'frobnicate'"),
    (["compare", "{good}"], "Missing argument"),
    (["analyze", "{good}", "--format", "pdf"], "'pdf' is not one of"),
    (["analyze", "{good}", "--lang", "fr"], "'fr' is not one of"),
    (["analyze", "{good}", "--max-bytes", "0"], "--max-bytes"),
    (["compare", "{good}", "{good}", "--max-bytes", "many"], "--max-bytes"),
    (["analyze", "{good}", "--bogus"], "No such option: --bogus"),
    (["analyze", "{good}", "extra", "args"], "unexpected extra argument"),
    (["analyze", "{good}", "--format"], "requires an argument"),
])
def test_bad_usage_is_one_line_and_exit_2(capsys, good, args, needle):
    code, out, err = cli(capsys, *[a.format(good=good) for a in args])
    assert code == 2 and out == ""
    line = one_error_line(err)
    assert needle in line and "--help" in line


def test_no_arguments_show_the_help_and_exit_2(capsys):
    code, out, err = cli(capsys)
    assert code == 2 and "Usage" in out + err and "Traceback" not in err


def test_help_exits_0(capsys):
    code, out, _ = cli(capsys, "compare", "--help")
    assert code == 0 and "--max-bytes" in out


# -- bad input: exit 1 ------------------------------------------------------------------------------

BAD_FILES = {
    "missing.txt": (None, "no such file"),
    "empty.txt": (b"", "has no text"),
    "blank.txt": (b" \n\t\n", "has no text"),
    "nul.txt": (b"trade\x00\x01\x02talks\x00", "looks binary"),
    "open.md": (b"---\ntitle: x\n\nThe leaders spoke.\n", "never closes"),
    "alias.md": (b"---\na: &a [x]\nb: *a\n---\nTrade.\n", "aliases are not allowed"),
    "date.md": (b"---\ndate: 2025-02-30\n---\nTrade.\n", "impossible value"),
    "yaml.md": (b"---\nkey: [unclosed\n---\nTrade.\n", "not valid YAML on line"),
    "bad.json": (b'{"text": "Trade.",}', "invalid JSON on line 1"),
    "notext.json": (b'{"title": "x"}', "no 'text' string"),
    "two.jsonl": (b'{"text": "Trade."}\n{"text": "Fentanyl."}\n', "holds 2 readouts"),
    "scripts.html": (b"<html><script>var t = 'trade';</script><style>p{}</style></html>",
                     "has no text"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
@pytest.mark.parametrize("command", ["analyze", "compare"])
def test_bad_input_files_are_one_line_and_exit_1(capsys, tmp_path, good, command, name):
    data, needle = BAD_FILES[name]
    bad = tmp_path / name
    if data is not None:
        bad.write_bytes(data)
    args = ["analyze", bad] if command == "analyze" else ["compare", good, bad]
    code, out, err = cli(capsys, *args)
    assert code == 1 and out == ""
    line = one_error_line(err)
    assert str(bad) in line and needle in line


def test_a_folder_is_not_a_readout(capsys, tmp_path):
    code, _, err = cli(capsys, "analyze", tmp_path)
    assert code == 1 and "is a folder" in one_error_line(err)


def test_max_bytes_refuses_a_larger_file_and_allows_a_larger_limit(capsys, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("The leaders discussed trade. " * 100, encoding="utf-8")  # 2,900 bytes
    code, _, err = cli(capsys, "analyze", big, "--max-bytes", "1000")
    assert code == 1
    assert "larger than the limit of 1,000 bytes (max_bytes)" in one_error_line(err)
    code, out, _ = cli(capsys, "analyze", big, "--max-bytes", "2900", "--format", "json")
    assert code == 0 and json.loads(out)["n_sentences"] == 100


@pytest.mark.parametrize("toml,needle", [
    (None, "no such codebook file"),
    ("[topics.trade\n", "invalid TOML"),
    ('[topics.trade]\nlabel = "T"\n[topics.trade.en]\nphrases = ["x"]\nphrasez = ["y"]\n',
     "cb.toml:5: [topics.trade.en]: unknown key(s) ['phrasez']"),
    ('[topics.trade]\nlabel = "T"\n[topics.trade.en]\npatterns = [[{NORM = 5}]]\n',
     "[topics.trade.en] patterns[0]: spaCy's Matcher rejects it"),
    ('[topics.trade]\nlabel = "T"\n[topics.trade.en]\npatterns = [[{NORM = {REGEX = "("}}]]\n',
     "unterminated subpattern"),
])
def test_bad_codebooks_are_one_line_and_exit_1(capsys, tmp_path, good, toml, needle):
    cb = tmp_path / "cb.toml"
    if toml is not None:
        cb.write_text(toml, encoding="utf-8")
    code, out, err = cli(capsys, "compare", good, good, "--codebook", cb)
    assert code == 1 and out == ""
    assert needle in one_error_line(err)


def test_an_unexpected_failure_is_one_line_too(capsys, good, monkeypatch):
    import readout_diff.pipeline

    def boom(*args, **kwargs):
        raise RuntimeError("something broke\n  on two lines")

    monkeypatch.setattr(readout_diff.pipeline, "analyze", boom)
    code, _, err = cli(capsys, "analyze", good)
    assert code == 1
    assert one_error_line(err, "internal error") == (
        "readout-diff: internal error: RuntimeError: something broke on two lines")


def test_interrupted_exits_130(capsys, good, monkeypatch):
    import readout_diff.pipeline

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(readout_diff.pipeline, "compare", interrupted)
    code, out, err = cli(capsys, "compare", good, good)
    assert code == 130 and out == "" and "Traceback" not in err


def test_repairs_are_warnings_and_the_run_succeeds(capsys, tmp_path):
    p = tmp_path / "utf16.txt"
    p.write_bytes(GOOD.encode("utf-16-le"))
    code, out, err = cli(capsys, "analyze", p, "--format", "json")
    assert code == 0 and "trade" in json.loads(out)["topics"]
    assert "decoded as UTF-16-LE without a byte-order mark" in one_error_line(err, "warning")


# -- --output: never over an input, whole files by rename -----------------------------------------

def test_output_that_is_an_input_is_refused_however_it_is_named(capsys, tmp_path, good):
    link = tmp_path / "link.txt"
    link.symlink_to(good)
    hard = tmp_path / "hard.txt"
    os.link(good, hard)
    for out in (good, tmp_path / "." / "good.txt", link, hard):
        code, _, err = cli(capsys, "compare", good, good, "--output", out)
        assert code == 1 and "is also an input file" in one_error_line(err)
        code, _, err = cli(capsys, "analyze", good, "-o", out)
        assert code == 1 and "is also an input file" in one_error_line(err)
    assert good.read_text(encoding="utf-8") == GOOD


def test_output_to_a_folder_or_into_a_missing_folder(capsys, tmp_path, good):
    code, _, err = cli(capsys, "analyze", good, "-o", tmp_path)
    assert code == 1 and "is a folder" in one_error_line(err)
    code, _, err = cli(capsys, "analyze", good, "-o", tmp_path / "no" / "such" / "out.json")
    assert code == 1 and "cannot be written" in one_error_line(err)


def test_output_replaces_the_file_by_rename(capsys, tmp_path, good):
    out = tmp_path / "out.json"
    out.write_text("old report\n", encoding="utf-8")
    keep = tmp_path / "keep.json"
    os.link(out, keep)  # a rename gives `out` a new inode; writing in place would change `keep`
    code, stdout, _ = cli(capsys, "compare", good, good, "-f", "json", "-o", out)
    assert code == 0 and stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "readout-diff/1"
    assert keep.read_text(encoding="utf-8") == "old report\n"
    assert not out.samefile(keep)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.txt", "keep.json", "out.json"]


def test_a_failed_write_leaves_the_old_output_and_no_temporary_file(capsys, tmp_path, good,
                                                                    monkeypatch):
    import readout_diff.output

    out = tmp_path / "out.json"
    out.write_text("old report\n", encoding="utf-8")

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(readout_diff.output.os, "replace", full_disk)
    code, _, err = cli(capsys, "compare", good, good, "-f", "json", "-o", out)
    assert code == 1 and "No space left on device" in err and len(err.strip().splitlines()) == 1
    assert out.read_text(encoding="utf-8") == "old report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.txt", "out.json"]


def test_bad_input_leaves_an_existing_output_alone(capsys, tmp_path, good):
    out = tmp_path / "out.md"
    out.write_text("old report\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, _, _ = cli(capsys, "compare", good, empty, "-f", "markdown", "-o", out)
    assert code == 1 and out.read_text(encoding="utf-8") == "old report\n"


# -- the real process ------------------------------------------------------------------------------

@pytest.mark.parametrize("args,code,needle", [
    (["frobnicate"], 2, "No such command"),
    (["analyze", "{tmp}/missing.txt"], 1, "no such file"),
    (["compare", "{good}", "{good}", "-o", "{good}"], 1, "is also an input file"),
    (["analyze", "{good}", "--codebook", "{tmp}/cb.toml"], 1, "spaCy's Matcher rejects it"),
])
def test_the_console_command_prints_no_traceback(tmp_path, good, args, code, needle):
    (tmp_path / "cb.toml").write_text('[topics.trade]\nlabel = "T"\n[topics.trade.en]\n'
                                      'patterns = [[{LENGTH = "x"}]]\n', encoding="utf-8")
    argv = [a.format(tmp=tmp_path, good=good) for a in args]
    r = subprocess.run([sys.executable, "-m", "readout_diff", *argv], capture_output=True,
                       text=True)
    assert r.returncode == code and r.stdout == ""
    assert needle in one_error_line(r.stderr)
