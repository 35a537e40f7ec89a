"""Start-up: wall time of `readout-diff compare` on the example pair in a fresh process.

    PYTHONPATH=$PWD python benchmarks/startup.py [--repeat 7] [--json]

Runs, each in a new interpreter, ``--repeat`` times (median and best reported):

- ``python -c pass``: the interpreter alone;
- ``python -c "import readout_diff"``;
- ``python -c "import spacy"``: the part of start-up no readout_diff change can remove;
- ``python -m readout_diff compare cn.txt us.txt`` on ``corpora/en/2025-09-19_xi-trump-call``
  (the console script ``readout-diff`` runs the same ``main``; a pyenv shim in front of it adds
  its own ~50 ms, so the module form is timed), with the per-user caches warm (the first run
  of a new version writes the lemma table cache: reported as "cold");

and lists the heavy modules each one loaded (scikit-learn, scipy, matplotlib, jinja2, rich,
typer, ...), so a lazy import that stopped being lazy shows.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _texts import ROOT, code_root  # noqa: E402
from throughput import machine  # noqa: E402

PAIR = ROOT / "corpora" / "en" / "2025-09-19_xi-trump-call"
TARGET_S = 1.5
HEAVY = ("sklearn", "scipy", "matplotlib", "jinja2", "rich", "typer", "yaml", "jieba", "opencc",
         "rapidfuzz", "spacy", "numpy", "numpy.ma", "pandas")

# Appended to a command: print which heavy modules it loaded (on stderr, after it ran).
_REPORT = ("import sys, atexit; atexit.register(lambda: sys.stderr.write('MODULES ' + "
           "' '.join(sorted(m for m in %r if m in sys.modules)) + '\\n'))" % (HEAVY,))


def _env(cache: str | None = None) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(code_root())] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    if cache is not None:
        env["READOUT_DIFF_CACHE_DIR"] = cache
    return env


def _run(code: list[str], env: dict) -> tuple[float, list[str]]:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _REPORT + "\n" + code[0], *code[1:]],
                         capture_output=True, text=True, env=env, cwd=code_root())
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(f"failed: {code}\n{out.stderr}")
    mods = [line.split()[1:] for line in out.stderr.splitlines() if line.startswith("MODULES")]
    return wall, (mods[-1] if mods else [])


def measure(repeat: int) -> dict:
    compare = ["import sys, runpy; sys.argv = ['readout-diff'] + sys.argv[1:]; "
               "runpy.run_module('readout_diff', run_name='__main__')",
               "compare", str(PAIR / "cn.txt"), str(PAIR / "us.txt")]
    commands = {
        "python -c pass": ["pass"],
        "import spacy": ["import spacy"],
        "import readout_diff": ["import readout_diff"],
        "readout-diff compare": compare,
    }
    results = {}
    with tempfile.TemporaryDirectory() as cache:
        cold, _ = _run(compare, _env(cache))  # writes the lemma cache in an empty folder
        for _ in range(repeat):  # interleaved, so load on a shared machine hits all alike
            for name, code in commands.items():
                wall, mods = _run(code, _env(cache))
                results.setdefault(name, {"times": [], "modules": mods})["times"].append(wall)
    for r in results.values():
        r["median"] = statistics.median(r["times"])
        r["best"] = min(r["times"])
    results["readout-diff compare"]["cold_cache"] = cold
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args(argv)
    results = measure(args.repeat)
    info = machine()
    if args.json:
        print(json.dumps({"machine": info, "results": results}, indent=2))
        return 0
    print(f"python {info['python']}, {info['cores']} cores, load {info['load_1min']:.1f}, "
          f"commit {info['commit']}; {args.repeat} fresh processes each\n")
    print(f"{'command':<24}{'median s':>10}{'best s':>9}  heavy modules loaded")
    for name, r in results.items():
        print(f"{name:<24}{r['median']:>10.3f}{r['best']:>9.3f}  {' '.join(r['modules']) or '-'}")
    c = results["readout-diff compare"]
    print(f"\nreadout-diff compare: median {c['median']:.2f} s, best {c['best']:.2f} s "
          f"(target ≤ {TARGET_S} s); first run with an empty cache {c['cold_cache']:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
