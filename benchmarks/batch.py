"""Batch throughput and memory: pairs per second with 1 and 2 workers, local vs Dask.

Pairs are drawn (seeded) from ``../shared/data/wh-readouts`` — two different White House
readouts per pair, so the pairs are real prose of real length — or, when that folder is absent,
from a seeded synthetic set of readouts written here.

Each configuration (engine × workers × pairs) runs in a fresh Python process with a fresh
engine: its start-up (processes, imports, pipeline) is timed apart, a short warm-up runs, then
``run_batch`` writes the pairs to a JSONL file as the CLI would, ``--repeat`` times. The table
gives the best run (this machine may be shared: the best run is the one least slowed by others)
and the first (cold: each worker still growing its vocabulary, as in a real one-pass run). A
sampler sums the resident memory of the process and all its children (workers, Dask nannies)
every 50 ms; the peak should not grow with the number of pairs. ``cpu s`` is the CPU time the
best run used, ``cpu wait s`` how long its threads were ready to run but waited for a CPU that
another program had (Linux): when it is large, the speed-up is bounded by the machine, not
by the batch.

    PYTHONPATH=$PWD python benchmarks/batch.py                     # 100 and 1000 pairs
    PYTHONPATH=$PWD python benchmarks/batch.py --pairs 200 --engines local --json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from readout_diff.batch import run_batch
from readout_diff.engines import TaskSettings, default_workers, open_engine
from readout_diff.pairing import Pair

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "shared" / "data" / "wh-readouts"

_SYNTHETIC = [
    "The two leaders held a phone call on {day} and discussed trade and tariffs.",
    "They exchanged views on the war in Ukraine and the need for a ceasefire.",
    "The President raised the flow of fentanyl and its precursor chemicals.",
    "Both sides agreed to keep military-to-military channels of communication open.",
    "The ministers reviewed cooperation on climate change and clean energy in {place}.",
    "They stressed the importance of stability across the Taiwan Strait.",
    "Officials discussed export controls on advanced semiconductors.",
    "The leaders agreed that their teams would continue talks in {place}.",
    "He welcomed more student exchanges and people-to-people ties.",
    "The two sides noted progress on market access for agricultural products.",
]
_PLACES = ["Geneva", "London", "Stockholm", "Kuala Lumpur", "Madrid", "Busan"]


def _synthetic_files(folder: Path, n: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        k = rng.randint(4, 14)
        text = " ".join(rng.choice(_SYNTHETIC).format(day=f"May {rng.randint(1, 28)}",
                                                      place=rng.choice(_PLACES))
                        for _ in range(k))
        path = folder / f"readout-{i:04d}.txt"
        path.write_text(text + "\n", encoding="utf-8")
        files.append(path)
    return files


def make_pairs(n: int, seed: int, scratch: Path, data: Path = DATA) -> tuple[list[Pair], str]:
    """``n`` pairs of two different readouts, drawn with a seeded generator."""
    files = sorted(data.rglob("*.md")) if data.is_dir() else []
    files = [f for f in files if f.name.lower() != "readme.md"]
    source = f"{data} ({len(files)} readouts)"
    if len(files) < 2:
        files = _synthetic_files(scratch / "synthetic", 300, seed)
        source = f"synthetic ({len(files)} readouts, seed {seed})"
    rng = random.Random(seed)
    pairs = []
    for i in range(n):
        a, b = rng.sample(files, 2)
        pairs.append(Pair(f"pair-{i:06d}", str(a), str(b)))
    return pairs, source


class MemorySampler:
    """Peak of the summed RSS of this process and its descendants, sampled in a thread."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _total(self) -> int:
        me = psutil.Process()
        total = 0
        for p in [me, *me.children(recursive=True)]:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._total())
            self._stop.wait(self.interval)

    def __enter__(self) -> "MemorySampler":
        self.peak = self._total()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._total())


def _cpu_seconds() -> tuple[float, float]:
    """CPU time of this process and its descendants, and how long their threads waited for a
    CPU while ready to run (Linux ``schedstat``; 0 elsewhere): time lost to other programs."""
    me = psutil.Process()
    cpu = waited = 0.0
    for p in [me, *me.children(recursive=True)]:
        try:
            t = p.cpu_times()
            cpu += t.user + t.system
            for task in Path(f"/proc/{p.pid}/task").iterdir():
                waited += int((task / "schedstat").read_text().split()[1]) / 1e9
        except (psutil.Error, OSError, IndexError, ValueError):
            pass
    return cpu, waited


def run_config(engine: str, workers: int, pairs: list[Pair], scratch: Path,
               repeat: int = 1) -> dict:
    """``repeat`` runs on one engine: the best and the first; memory is the peak over all."""
    manifest = scratch / f"pairs-{len(pairs)}.jsonl"
    manifest.write_text("".join(json.dumps({"id": p.id, "a": p.a, "b": p.b}) + "\n"
                                for p in pairs), encoding="utf-8")
    warm = scratch / "warm.jsonl"
    warm.write_text("".join(json.dumps({"id": p.id, "a": p.a, "b": p.b}) + "\n"
                            for p in pairs[: 4 * workers]), encoding="utf-8")
    out = scratch / f"out-{engine}-{workers}-{len(pairs)}.jsonl"
    t0 = time.perf_counter()
    times, cpu, waited, peak = [], 0.0, 0.0, 0
    with open_engine(engine, workers=workers, settings=TaskSettings()) as eng:
        run_batch([warm], scratch / "warm-out.jsonl", engine=eng, chunk_size=1, progress=False)
        startup = time.perf_counter() - t0
        for _ in range(repeat):
            cpu0, wait0 = _cpu_seconds()
            with MemorySampler() as mem:
                t1 = time.perf_counter()
                report = run_batch([manifest], out, engine=eng, progress=False)
                times.append(time.perf_counter() - t1)
            if times[-1] == min(times):
                cpu1, wait1 = _cpu_seconds()
                cpu, waited = cpu1 - cpu0, wait1 - wait0
            peak = max(peak, mem.peak)
    seconds = min(times)
    return {"engine": engine, "workers": workers, "pairs": len(pairs), "seconds": seconds,
            "pairs_per_s": len(pairs) / seconds, "first_pairs_per_s": len(pairs) / times[0],
            "startup_s": startup, "cpu_s": cpu, "cpu_wait_s": waited,
            "peak_mb": peak / 2**20, "ok": report.ok, "failed": report.failed,
            "bytes": out.stat().st_size}


def _in_fresh_process(engine: str, workers: int, n: int, args: argparse.Namespace,
                      scratch: Path) -> dict:
    """One configuration in a new Python process: no pipeline, vocabulary or cache warmed by an
    earlier configuration, and the memory measured is this configuration's alone."""
    cmd = [sys.executable, __file__, "--config", f"{engine},{workers},{n}", "--seed",
           str(args.seed), "--repeat", str(args.repeat), "--scratch", str(scratch)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _one_config(spec: str, args: argparse.Namespace) -> int:
    engine, workers, n = spec.split(",")
    scratch = Path(args.scratch)
    pairs, source = make_pairs(int(n), args.seed, scratch)
    row = run_config(engine, int(workers), pairs, scratch, args.repeat)
    row["source"] = source
    print(json.dumps(row))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pairs", type=int, action="append",
                    help="pairs per run (repeat for several sizes; default: 100 and 1000)")
    ap.add_argument("--workers", type=int, action="append", help="default: 1 and 2")
    ap.add_argument("--engines", default="local,dask", help="comma-separated (default: local,dask)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3,
                    help="runs per configuration, best one reported (default: 3)")
    ap.add_argument("--json", action="store_true", help="print the rows as JSON")
    ap.add_argument("--config", help=argparse.SUPPRESS)  # engine,workers,pairs: one run, JSON
    ap.add_argument("--scratch", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.config:
        return _one_config(args.config, args)
    sizes = args.pairs or [100, 1000]
    workers = args.workers or [1, 2]
    engines = [e for e in args.engines.split(",") if e]
    if "dask" in engines:
        try:
            import distributed  # noqa: F401
        except ImportError:
            print("dask is not installed (pip install '.[dask]'): skipping the dask engine",
                  file=sys.stderr)
            engines.remove("dask")
    rows = []
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="rd-bench-") as tmp:
        scratch = Path(tmp)
        for engine in engines:
            for n in sizes:
                for w in workers:
                    row = _in_fresh_process(engine, w, n, args, scratch)
                    rows.append(row)
                    print(f"  {engine} w={w} n={n}: {row['pairs_per_s']:.1f} pairs/s",
                          file=sys.stderr)
        # Same records whatever the engine or number of workers (per size).
        outputs = {}
        for r in rows:
            f = scratch / f"out-{r['engine']}-{r['workers']}-{r['pairs']}.jsonl"
            outputs.setdefault(r["pairs"], set()).add(f.read_bytes())
        identical = all(len(v) == 1 for v in outputs.values())
        source = rows[0]["source"] if rows else ""
    base = {(r["engine"], r["pairs"]): r["pairs_per_s"] for r in rows if r["workers"] == 1}
    for r in rows:
        one = base.get((r["engine"], r["pairs"]))
        r["speedup"] = r["pairs_per_s"] / one if one else None
    meta = {"source": source, "cores": default_workers(), "seed": args.seed,
            "repeat": args.repeat,
            "load_before": [round(x, 2) for x in load_before],
            "load_after": [round(x, 2) for x in os.getloadavg()],
            "identical_outputs": identical}
    if args.json:
        print(json.dumps({"meta": meta, "rows": rows}, indent=2))
        return 0
    print(f"pairs from {source}; {meta['cores']} cores; best of {args.repeat} runs; load "
          f"average before {meta['load_before'][0]:.2f}, after {meta['load_after'][0]:.2f}")
    head = ("engine", "workers", "pairs", "seconds", "pairs/s", "speedup", "1st run/s", "cpu s",
            "cpu wait s", "startup s", "peak MB", "ok", "failed")
    print("  ".join(f"{h:>9}" for h in head))
    for r in rows:
        speed = f"{r['speedup']:.2f}x" if r["speedup"] else "—"
        cells = (r["engine"], r["workers"], r["pairs"], f"{r['seconds']:.1f}",
                 f"{r['pairs_per_s']:.1f}", speed, f"{r['first_pairs_per_s']:.1f}",
                 f"{r['cpu_s']:.1f}", f"{r['cpu_wait_s']:.1f}", f"{r['startup_s']:.1f}",
                 f"{r['peak_mb']:.0f}", r["ok"], r["failed"])
        print("  ".join(f"{c!s:>9}" for c in cells))
    print(f"outputs byte-identical across engines and workers: {identical}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
