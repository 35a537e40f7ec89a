"""Batch: pairing rules, error records, resume, determinism across workers and engines,
interrupts, summaries. Every readout here is written by the test, in ``tmp_path``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from readout_diff import compare_many
from readout_diff.batch import EngineError, PairResult, run_batch, sort_output
from readout_diff.engines import Engine, TaskSettings
from readout_diff.cli import main
from readout_diff.errors import InputError, ParameterError, ReadoutDiffError
from readout_diff.pairing import Pair, find_pairs
from readout_diff.summary import render_summary, summarize_results

ROOT = Path(__file__).resolve().parents[1]

# Sentences written for these tests; each names one agenda topic in its own words.
_SENTENCES = [
    "The two sides discussed trade and tariffs on steel.",
    "They talked about curbing the flow of fentanyl precursors.",
    "The question of Taiwan was raised by the Chinese side.",
    "Both leaders spoke about the war in Ukraine.",
    "They agreed to cooperate on climate change and clean energy.",
    "The ministers exchanged views on export controls for advanced chips.",
    "Officials reviewed student exchanges and people-to-people ties.",
    "The leaders agreed to meet again later this year.",
]


def _text(seed: int, n: int, repeat: int = 1) -> str:
    picked = [_SENTENCES[(seed * 3 + k * 5) % len(_SENTENCES)] for k in range(n)]
    return " ".join(picked * repeat) + "\n"


def _event(folder: Path, seed: int, *, meta: dict | None = None, repeat: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cn.txt").write_text(_text(seed, 3, repeat), encoding="utf-8")
    (folder / "us.txt").write_text(_text(seed + 1, 4, repeat), encoding="utf-8")
    if meta is not None:
        (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


def _corpus(root: Path, n: int, repeat: int = 1) -> Path:
    for i in range(n):
        _event(root / f"2025-{i:03d}_call", i, meta={"date": f"2025-01-{i % 28 + 1:02d}"},
               repeat=repeat)
    return root


def _lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


# -- pairing -------------------------------------------------------------------------------------

def test_folder_of_event_folders_uses_meta_and_ignores_sidecars(tmp_path):
    root = tmp_path / "events"
    ev = _event(root / "2025-09-19_call", 1, meta={"date": "2025-09-19", "a": "us", "b": "cn"})
    (ev / "gold.json").write_text('{"only_a": []}', encoding="utf-8")
    (ev / "renderings").mkdir()
    (ev / "renderings" / "cn.txt").write_text("A rendering, not a readout.", encoding="utf-8")
    _event(root / "2025-10-30_meeting", 2)

    pairs = find_pairs([root])
    assert [p.id for p in pairs] == ["events/2025-09-19_call", "events/2025-10-30_meeting"]
    first, second = pairs
    assert (first.label_a, first.label_b, first.date) == ("us", "cn", "2025-09-19")
    assert Path(first.a).name == "us.txt" and first.problem is None
    # Without meta.json, side a is the first readout by file name.
    assert (second.label_a, second.label_b, second.date) == ("cn", "us", None)


def test_input_folder_holding_two_readouts_is_one_pair(tmp_path):
    ev = _event(tmp_path / "one_call", 3)
    (pair,) = find_pairs([ev])
    assert pair.id == "one_call" and (pair.label_a, pair.label_b) == ("cn", "us")


def test_grouping_folders_are_searched_and_ids_keep_the_path(tmp_path):
    _event(tmp_path / "corpora" / "en" / "2025-01-17_call", 1)
    _event(tmp_path / "corpora" / "zh" / "2025-01-17_call", 2)
    (tmp_path / "corpora" / ".git").mkdir()
    assert [p.id for p in find_pairs([tmp_path / "corpora"])] == [
        "corpora/en/2025-01-17_call", "corpora/zh/2025-01-17_call"]


def test_bad_folders_become_pairs_with_a_problem(tmp_path):
    root = tmp_path / "events"
    (root / "one").mkdir(parents=True)
    (root / "one" / "cn.txt").write_text("Trade was discussed.", encoding="utf-8")
    _event(root / "three", 1)
    (root / "three" / "eu.txt").write_text("Trade was discussed.", encoding="utf-8")
    _event(root / "wrong_meta", 2, meta={"a": "uk"})
    (root / "empty").mkdir()
    problems = {p.id.split("/")[-1]: p.problem for p in find_pairs([root])}
    assert "holds 1 readout" in problems["one"]
    assert "holds 3 readout" in problems["three"]
    assert "'uk'" in problems["wrong_meta"] and "side a" in problems["wrong_meta"]
    assert "holds 0 readout" in problems["empty"]


@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_manifest_paths_are_relative_to_it(tmp_path, kind):
    _event(tmp_path / "data" / "e1", 1)
    _event(tmp_path / "data" / "e2", 2)
    rows = [{"id": "b-call", "a": "data/e2/us.txt", "b": "data/e2/cn.txt", "label_a": "US",
             "label_b": "PRC"},
            {"id": "a-call", "a": "data/e1/cn.txt", "b": "data/e1/us.txt"}]
    manifest = tmp_path / f"pairs.{kind}"
    if kind == "csv":
        manifest.write_text("id,a,b,label_a,label_b\n" + "".join(
            f"{r['id']},{r['a']},{r['b']},{r.get('label_a', '')},{r.get('label_b', '')}\n"
            for r in rows), encoding="utf-8")
    else:
        manifest.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")

    a_call, b_call = find_pairs([manifest])
    assert (a_call.id, b_call.id) == ("a-call", "b-call")  # sorted by id
    assert Path(a_call.a) == tmp_path / "data" / "e1" / "cn.txt"
    assert (a_call.label_a, b_call.label_a, b_call.label_b) == (None, "US", "PRC")
    assert b_call.source == f"{manifest}:{1 if kind == 'jsonl' else 2}"


def test_manifest_errors_stop_before_any_work(tmp_path):
    bad_header = tmp_path / "h.csv"
    bad_header.write_text("name,a,b\nx,1.txt,2.txt\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"id, a, b.*missing \['id'\]"):
        find_pairs([bad_header])
    no_id = tmp_path / "n.jsonl"
    no_id.write_text('{"a": "x.txt", "b": "y.txt"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"n\.jsonl:1: the row has no 'id'"):
        find_pairs([no_id])
    bad_json = tmp_path / "j.jsonl"
    bad_json.write_text('{"id": "x", "a": "x.txt", "b": "y.txt"}\n{oops\n', encoding="utf-8")
    with pytest.raises(InputError, match="line 2 is not valid JSON"):
        find_pairs([bad_json])
    with pytest.raises(InputError, match="neither a folder nor a manifest"):
        find_pairs([_event(tmp_path / "e", 1) / "cn.txt"])
    with pytest.raises(InputError, match="no such file or folder"):
        find_pairs([tmp_path / "missing"])
    (tmp_path / "nothing").mkdir()
    with pytest.raises(InputError, match="holds no readouts and no event folders"):
        find_pairs([tmp_path / "nothing"])


def test_duplicate_pair_ids_are_refused(tmp_path):
    _event(tmp_path / "x" / "calls" / "e1", 1)
    _event(tmp_path / "y" / "calls" / "e1", 2)
    with pytest.raises(InputError, match="pair id 'calls/e1' is also given by"):
        find_pairs([tmp_path / "x" / "calls", tmp_path / "y" / "calls"])
    # The same folder twice is the same pairs, not a conflict.
    assert len(find_pairs([tmp_path / "x" / "calls", tmp_path / "x" / "calls"])) == 1


# -- records -------------------------------------------------------------------------------------

def test_every_bad_pair_gets_an_error_record_and_exit_status_1(tmp_path, capsys):
    root = tmp_path / "events"
    _event(root / "good", 1, meta={"date": "2025-05-12"})
    (root / "binary").mkdir(parents=True)
    (root / "binary" / "cn.txt").write_bytes(b"\x00\x01\x02\x03PK\x00")
    (root / "binary" / "us.txt").write_text("Trade was discussed.", encoding="utf-8")
    (root / "empty_file").mkdir()
    (root / "empty_file" / "cn.txt").write_text("  \n", encoding="utf-8")
    (root / "empty_file" / "us.txt").write_text("Trade was discussed.", encoding="utf-8")
    (root / "one").mkdir()
    (root / "one" / "cn.txt").write_text("Trade was discussed.", encoding="utf-8")
    _event(root / "three", 2)
    (root / "three" / "eu.txt").write_text("Trade was discussed.", encoding="utf-8")
    manifest = tmp_path / "m.csv"
    manifest.write_text("id,a,b\nunreadable,events/good/cn.txt,events/nowhere.txt\n"
                        "folder_as_file,events/good,events/good/us.txt\n", encoding="utf-8")
    out = tmp_path / "out" / "results.jsonl"

    with pytest.raises(SystemExit) as exit_:
        main(["batch", str(root), str(manifest), "--output", str(out), "--workers", "1"])
    assert exit_.value.code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "7 pairs, 1 ok, 6 failed" in err[0] and err[0].endswith(" s")

    records = {r["pair"]["id"]: r for r in _lines(out)}
    assert list(records) == sorted(records)  # by pair id
    good = records["events/good"]
    assert good["schema"] == "readout-diff/1" and "error" not in good
    assert {"a", "b", "gaps", "alignment", "scores"} <= set(good)
    assert good["pair"]["date"] == "2025-05-12" and good["a"]["label"] == "cn"
    expected = {
        "events/binary": ("InputError", "looks binary"),
        "events/empty_file": ("InputError", "has no text"),
        "events/one": ("PairingError", "holds 1 readout"),
        "events/three": ("PairingError", "holds 3 readout"),
        "unreadable": ("InputError", "no such file"),
        "folder_as_file": ("InputError", "is a folder"),
    }
    for pid, (type_, text) in expected.items():
        rec = records[pid]
        assert set(rec) == {"schema", "pair", "error"}, pid
        assert rec["error"]["type"] == type_ and text in rec["error"]["message"], rec


def test_exit_status_0_when_all_pairs_succeed(tmp_path, capsys):
    out = tmp_path / "r.jsonl"
    with pytest.raises(SystemExit) as exit_:
        main(["batch", str(_corpus(tmp_path / "c", 2)), "-o", str(out), "-w", "1"])
    assert exit_.value.code == 0
    assert "2 pairs, 2 ok, 0 failed" in capsys.readouterr().err


def test_the_linker_choice_reaches_every_record(tmp_path, capsys):
    root = _corpus(tmp_path / "c", 2)
    kinds = {}
    for name, flags in (("learned", []), ("rule", ["--rule-aligner"])):
        out = tmp_path / f"{name}.jsonl"
        with pytest.raises(SystemExit) as exit_:
            main(["batch", str(root), "-o", str(out), "-w", "1", *flags])
        assert exit_.value.code == 0
        kinds[name] = {r["aligner"]["kind"] for r in _lines(out)}
    assert kinds == {"learned": {"linker"}, "rule": {"rule"}}
    with pytest.raises(SystemExit) as exit_:
        main(["batch", str(root), "-o", str(tmp_path / "x.jsonl"), "--rule-aligner",
              "--linker", str(tmp_path / "l.json")])
    assert exit_.value.code == 2 and "not both" in capsys.readouterr().err


def test_resume_skips_done_pairs_and_repairs_a_cut_record(tmp_path):
    root = _corpus(tmp_path / "c", 3)
    out = tmp_path / "r.jsonl"
    first = run_batch([root], out, workers=1)
    assert (first.ok, first.skipped) == (3, 0)
    before = out.read_bytes()

    _event(root / "2025-100_new", 100)
    _event(root / "2025-050_mid", 50)
    with out.open("ab") as fh:  # a record cut short by a crash
        fh.write(b'{"schema":"readout-diff/1","pair":{"id":"c/2025-050_mi')
    second = run_batch([root], out, resume=True, workers=1)
    assert (second.pairs, second.ok, second.failed, second.skipped) == (5, 5, 0, 3)
    records = _lines(out)
    ids = [r["pair"]["id"] for r in records]
    assert ids == sorted(ids) and len(set(ids)) == 5
    old = {r["pair"]["id"]: r for r in (json.loads(x) for x in before.splitlines())}
    assert all(old[k] == r for r in records if (k := r["pair"]["id"]) in old)

    third = run_batch([root], out, resume=True, workers=1)
    assert (third.skipped, third.ok) == (5, 5)


def test_resume_refuses_a_file_that_is_not_a_batch_output(tmp_path):
    out = tmp_path / "notes.jsonl"
    out.write_text('{"hello": 1}\n', encoding="utf-8")
    with pytest.raises(InputError, match="line 1 is not a readout-diff batch record"):
        run_batch([_corpus(tmp_path / "c", 1)], out, resume=True, workers=1)
    assert out.read_text(encoding="utf-8") == '{"hello": 1}\n'


def test_bad_options_leave_the_output_untouched(tmp_path):
    out = tmp_path / "r.jsonl"
    out.write_text("precious\n", encoding="utf-8")
    root = _corpus(tmp_path / "c", 1)
    for bad in ({"engine": "spark"}, {"workers": 0}, {"scheduler": "tcp://127.0.0.1:1"},
                {"lang": "fr"}, {"codebook": tmp_path / "missing.toml"},
                {"linker": tmp_path / "missing.json"}):
        with pytest.raises(ReadoutDiffError):
            run_batch([root], out, **bad)
    assert out.read_text(encoding="utf-8") == "precious\n"


def test_output_may_not_be_an_input(tmp_path):
    manifest = tmp_path / "m.jsonl"
    _event(tmp_path / "e", 1)
    manifest.write_text('{"id": "x", "a": "e/cn.txt", "b": "e/us.txt"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="is also an input"):
        run_batch([manifest], manifest, workers=1)


def test_sort_output_keeps_the_last_record_of_each_id(tmp_path):
    """A pair written twice (files joined, a re-run appended): the later record counts, in the
    batch's resume and sort as in summarize and the site."""
    from readout_diff.batch import _existing

    path = tmp_path / "r.jsonl"
    rec = lambda pid, n: json.dumps({"schema": "readout-diff/1", "pair": {"id": pid}, "n": n})
    err = json.dumps({"schema": "readout-diff/1", "pair": {"id": "b"},
                      "error": {"type": "InputError", "message": "x"}})
    path.write_text("\n".join([err, rec("a", 2), rec("b", 3)]) + "\n", encoding="utf-8")
    assert _existing(path) == {"b": True, "a": True}  # resume: b is done, by its later record
    path.write_text("\n".join([rec("b", 1), rec("a", 2), rec("b", 3)]) + "\n", encoding="utf-8")
    path.chmod(0o640)
    assert sort_output(path) is True
    assert [(r["pair"]["id"], r["n"]) for r in _lines(path)] == [("a", 2), ("b", 3)]
    assert path.stat().st_mode & 0o777 == 0o640  # the rewrite keeps the file's permissions
    assert sort_output(path) is False


def test_progress_bar_only_when_asked_or_on_a_terminal(monkeypatch):
    from readout_diff.batch import _progress_bar

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    assert _progress_bar(100, None) is None and _progress_bar(100, False) is None
    bar = _progress_bar(100, True)
    assert bar is not None and bar.total == 100
    bar.close()


# -- workers and engines -------------------------------------------------------------------------

def test_one_and_two_workers_write_byte_identical_files(tmp_path):
    root = _corpus(tmp_path / "c", 12)
    (root / "broken").mkdir()
    (root / "broken" / "cn.txt").write_text("Only one readout here.", encoding="utf-8")
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    run_batch([root], one, workers=1)
    run_batch([root], two, workers=2, chunk_size=1)
    assert one.read_bytes() == two.read_bytes()
    assert len(_lines(one)) == 13


def test_compare_many_yields_every_pair_once(tmp_path):
    root = _corpus(tmp_path / "c", 4)
    pairs = [(root / d / "cn.txt", root / d / "us.txt") for d in sorted(os.listdir(root))]
    pairs.append((root / "missing.txt", root / "also_missing.txt"))
    results = list(compare_many(pairs, workers=1, chunk_size=2))
    assert all(isinstance(r, PairResult) for r in results)
    assert sorted(r.pair.id for r in results) == [f"{i:06d}" for i in range(5)]
    by_id = {r.pair.id: r for r in results}
    assert by_id["000004"].ok is False and by_id["000004"].error["type"] == "InputError"
    c = by_id["000000"].comparison()
    assert c.a.label == "cn" and c.b.label == "us"
    with pytest.raises(InputError, match="has no comparison"):
        by_id["000004"].comparison()


def test_compare_many_validates_its_parameters(tmp_path):
    # Checked when called, before any worker starts.
    with pytest.raises(ParameterError, match="'engine' parameter.*one of"):
        compare_many([("a.txt", "b.txt")], engine="spark")
    with pytest.raises(ParameterError, match="'workers' parameter"):
        compare_many([("a.txt", "b.txt")], workers=0)
    with pytest.raises(ParameterError, match="'pairs' parameter"):
        compare_many(["just-one-path"])
    with pytest.raises(ParameterError, match="'scheduler' parameter"):
        compare_many([("a.txt", "b.txt")], scheduler="tcp://127.0.0.1:1")
    with pytest.raises(ParameterError, match="'chunk_size' parameter"):
        compare_many([("a.txt", "b.txt")], chunk_size=0)
    with pytest.raises(ParameterError, match="'lang' parameter"):
        compare_many([("a.txt", "b.txt")], lang="fr")
    assert list(compare_many([])) == []


def test_compare_many_is_exported():
    import readout_diff

    assert "compare_many" in readout_diff.__all__  # order: tests/test_api.py


class _FakeEngine(Engine):
    """Answers in this thread; a chunk holding a ``poison`` pair dies as a worker would."""

    name = "fake"
    slots = 2

    def __init__(self, poison: set[str] = frozenset(), dead: bool = False) -> None:
        super().__init__(workers=2, scheduler=None, settings=TaskSettings())
        self.poison, self.dead, self.submitted = poison, dead, []

    def submit(self, chunk):
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        self.submitted.append([p.id for _, p in chunk])
        fut = Future()
        if self.dead or any(p.id in self.poison for _, p in chunk):
            fut.set_exception(BrokenProcessPool("a worker died"))
        else:
            fut.set_result([(i, True, json.dumps({"schema": "readout-diff/1",
                                                  "pair": p.to_dict()})) for i, p in chunk])
        return fut

    def close(self, *, abort=False):
        pass


def test_a_pair_that_kills_its_worker_is_the_only_one_recorded_as_failed():
    pairs = [Pair(f"p{i}", "a.txt", "b.txt") for i in range(10)]
    engine = _FakeEngine(poison={"p5"})
    results = {r.pair.id: r for r in compare_many(pairs, engine=engine, chunk_size=4)}
    assert sorted(results) == [p.id for p in pairs]
    assert [k for k, r in results.items() if not r.ok] == ["p5"]
    assert results["p5"].error["type"] == "WorkerError"
    assert "a worker died" in results["p5"].error["message"]
    assert ["p5"] in engine.submitted  # retried alone
    assert ["p4"] in engine.submitted and ["p6"] in engine.submitted


def test_workers_that_fail_everything_stop_the_run_without_records():
    pairs = [Pair(f"p{i}", "a.txt", "b.txt") for i in range(10)]
    with pytest.raises(EngineError, match="3 pairs in a row failed alone"):
        for _ in compare_many(pairs, engine=_FakeEngine(dead=True), chunk_size=4):
            pytest.fail("no record may come from dead workers")


@contextmanager
def _once_lines(path: Path, n: int, action):
    """While the block runs, call ``action()`` once ``path`` holds ``n`` whole lines (again
    and again until it returns True)."""
    done = threading.Event()

    def watch():
        while not done.is_set():
            if path.exists() and path.read_bytes().count(b"\n") >= n and action():
                return
            done.wait(0.01)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()


def test_a_killed_worker_process_is_replaced_and_no_pair_is_lost(tmp_path):
    psutil = pytest.importorskip("psutil", reason="psutil (installed with the dask extra) "
                                                  "finds the worker processes")

    root = _corpus(tmp_path / "c", 16, repeat=10)
    out = tmp_path / "r.jsonl"
    killed = []

    def kill_one_worker():
        workers = [p for p in psutil.Process().children()
                   if "spawn_main" in " ".join(p.cmdline())]  # not the resource tracker
        for p in workers[:1]:
            p.kill()
            killed.append(p.pid)
        return bool(killed)

    with _once_lines(out, 2, kill_one_worker):
        report = run_batch([root], out, workers=2, chunk_size=2)
    assert killed, "the run ended before a worker could be killed"
    assert (report.ok, report.failed) == (16, 0)
    assert len(_lines(out)) == 16


@pytest.fixture(scope="module")
def dask_cluster():
    pytest.importorskip("distributed", reason="Dask is an optional extra: pip install '.[dask]'")
    from distributed import LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                           dashboard_address=None)
    yield cluster
    cluster.close()


def test_dask_engine_writes_the_same_records_as_the_local_engine(tmp_path, dask_cluster):
    root = _corpus(tmp_path / "c", 6)
    (root / "empty").mkdir()
    local, dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    run_batch([root], local, workers=1)
    report = run_batch([root], dask, engine="dask", scheduler=dask_cluster.scheduler_address,
                       chunk_size=2)
    assert (report.ok, report.failed) == (6, 1)
    assert local.read_bytes() == dask.read_bytes()

    cli = tmp_path / "cli.jsonl"
    with pytest.raises(SystemExit) as exit_:
        main(["batch", str(root), "-o", str(cli), "--engine", "dask",
              "--scheduler", dask_cluster.scheduler_address])
    assert exit_.value.code == 1  # the empty event folder
    assert cli.read_bytes() == local.read_bytes()


# -- interrupts ----------------------------------------------------------------------------------

def _start_batch(args: list[str]) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "readout_diff", "batch", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_leaves_whole_lines_and_resume_completes(tmp_path, signum):
    root = _corpus(tmp_path / "c", 40, repeat=10)
    out = tmp_path / "r.jsonl"
    args = [str(root), "-o", str(out), "--workers", "1", "--chunk-size", "1"]
    proc = _start_batch(args)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= 1:
            break
        time.sleep(0.02)
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum, err
    assert b"interrupted" in err and b"--resume" in err

    data = out.read_bytes()
    assert data.endswith(b"\n")
    done = [json.loads(x)["pair"]["id"] for x in data.splitlines()]
    assert 1 <= len(done) < 40

    proc = _start_batch([*args, "--resume"])
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    ids = [r["pair"]["id"] for r in _lines(out)]
    assert ids == sorted(ids) and len(ids) == len(set(ids)) == 40
    assert f"{len(done)} already done".encode() in err


# -- summaries -----------------------------------------------------------------------------------

def test_summarize_tables_pairs_and_what_each_side_leaves_out(tmp_path, capsys):
    root = tmp_path / "events"
    for i, (cn, us) in enumerate([(0, 1), (2, 1), (4, 3)]):
        ev = root / f"e{i}"
        ev.mkdir(parents=True)
        (ev / "cn.txt").write_text(" ".join(_SENTENCES[k] for k in range(cn, cn + 2)),
                                   encoding="utf-8")
        (ev / "us.txt").write_text(" ".join(_SENTENCES[k] for k in range(us, us + 3)),
                                   encoding="utf-8")
        (ev / "meta.json").write_text(json.dumps({"date": f"2024-0{i + 1}-01"}), encoding="utf-8")
    (root / "e9").mkdir()
    out = tmp_path / "r.jsonl"
    run_batch([root], out, workers=1)
    records = [r for r in _lines(out) if "error" not in r]

    summary = summarize_results(out)
    assert [r.id for r in summary.rows] == ["events/e0", "events/e1", "events/e2", "events/e9"]
    assert (summary.ok, summary.failed) == (3, 1)
    # What us left out is what only cn had, counted over pairs; and the other way round.
    want_us = {}
    for r in records:
        for t in r["gaps"]["only_a"]:
            want_us[t] = want_us.get(t, 0) + 1
    assert summary.left_out["us"] == want_us and summary.pairs_of["us"] == 3

    csv_path = tmp_path / "table.csv"
    main_args = ["summarize", str(out), "--csv", str(csv_path)]
    with pytest.raises(SystemExit) as exit_:
        main(main_args)
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    assert text == render_summary(summary)
    assert "4 pairs: 3 ok, 1 failed" in text and "2024-02-01" in text and "Failed pairs" in text
    rows = csv_path.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("id,date,label_a,label_b,topics_a,topics_b,only_a,only_b,gap_score")
    assert len(rows) == 5 and rows[1].startswith("events/e0,2024-01-01,cn,us,")


def test_summarize_rejects_other_files(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"schema": "other"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="line 1 is not a readout-diff batch record"):
        summarize_results(path)


def test_stop_event_ends_the_run_with_whole_lines(tmp_path):
    root = _corpus(tmp_path / "c", 30, repeat=10)
    out = tmp_path / "r.jsonl"
    stop = threading.Event()
    with _once_lines(out, 1, lambda: stop.set() or True):
        report = run_batch([root], out, workers=1, chunk_size=1, stop=stop)
    assert report.interrupted and report.ok + report.failed < 30
    assert out.read_bytes().endswith(b"\n") and len(_lines(out)) == report.ok


def test_summarize_and_the_site_read_a_joined_or_cut_file_alike(tmp_path):
    from readout_diff.site import read_results

    root = _corpus(tmp_path / "c", 2)
    out = tmp_path / "r.jsonl"
    run_batch([root], out, workers=1)
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    # The same pairs appended again (two outputs joined), then a record cut by a crash.
    out.write_text("".join(lines + lines) + lines[0][:40], encoding="utf-8")
    summary = summarize_results(out)
    assert (summary.ok, summary.failed) == (2, 0) and len(summary.rows) == 2
    assert len(read_results(out)) == 2
