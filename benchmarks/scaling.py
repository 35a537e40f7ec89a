"""Time and peak memory of analyze() and compare() from 10 to 5,000 sentences per readout.

    PYTHONPATH=$PWD python benchmarks/scaling.py [--sizes 10 100 1000 5000] [--seed 0] [--json]
                                                 [--check-dense N]

Each size runs in a fresh process (so peak RSS is that size's alone): two readouts of about N
sentences each, made of real White House paragraphs (``../shared/data/wh-readouts``; half of
b's paragraphs are a's, as two accounts of one event repeat each other) or seeded synthetic
sentences when the folder is absent. Measured after a warm-up compare (pipeline and matchers
built):

- wall and CPU seconds of ``analyze(a)`` and ``compare(a, b)``, and of the floor:
  ``spacy.blank("en")`` tokenizing both texts (a fresh pipeline, as compare's was);
- peak RSS of the process (``ru_maxrss``, includes spaCy and the pipeline) and the growth of
  the peak over the warm process;
- peak traced allocation during compare (``tracemalloc``, a separate run: it slows Python);
- the difflib baseline of ``benchmarks/throughput.py`` (``SequenceMatcher.ratio()`` of every
  sentence pair) over compare's CPU time; above 20,000 pairs estimated from a seeded sample;
- the alignment's work: sentence pairs scored by rapidfuzz after exact pruning, out of n×m,
  the largest score block (rows × columns of side b), and the links kept.

``--check-dense N``: also compare, up to N sentences, the blocked alignment with the plain
all-pairs reference (``align.dense_scores``) and report whether the links are equal.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _texts import code_root, long_pair  # noqa: E402
from throughput import machine  # noqa: E402

TARGET_S, TARGET_MB = 5.0, 1024


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def one(n: int, seed: int, check_dense: int) -> dict:
    """Measure one size in this process (called in a fresh subprocess by :func:`main`)."""
    import readout_diff.align as align_mod
    from readout_diff import analyze, compare

    a, b, source = long_pair(n, seed)
    wa, wb, _ = long_pair(120, seed + 1)
    compare(wa, wb)  # warm: pipeline, matchers, and scipy (long readouts use its products)
    rss_warm = _rss_mb()

    # Count the alignment's work through its rapidfuzz call site (per batch, or per pair in
    # older versions of align.py).
    calls = {"pairs": 0}
    site = "_fuzz_pairs" if hasattr(align_mod, "_fuzz_pairs") else "_fuzz"
    fuzz_fn = getattr(align_mod, site)

    def counting(*args):
        calls["pairs"] += len(args[2]) if site == "_fuzz_pairs" else 1
        return fuzz_fn(*args)

    t0, c0 = time.perf_counter(), time.process_time()
    an = analyze(a)
    t_an, c_an = time.perf_counter() - t0, time.process_time() - c0
    setattr(align_mod, site, counting)
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        comp = compare(a, b)
        t_cmp, c_cmp = time.perf_counter() - t0, time.process_time() - c0
    finally:
        setattr(align_mod, site, fuzz_fn)
    rss_peak = _rss_mb()
    import spacy

    blank = spacy.blank("en")
    blank.max_length = 10**8
    blank("warm up")
    t0, c0 = time.perf_counter(), time.process_time()
    blank(a)
    blank(b)
    t_floor, c_floor = time.perf_counter() - t0, time.process_time() - c0
    tracemalloc.start()
    compare(a, b)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    na, nb = comp.a.n_sentences, comp.b.n_sentences
    block = (align_mod._block_rows(nb) if hasattr(align_mod, "_block_rows")
             else align_mod._BLOCK_ROWS)
    out = {
        "n": n, "source": source, "sentences": [na, nb], "words": [len(a.split()), len(b.split())],
        "analyze_s": t_an, "analyze_cpu_s": c_an, "compare_s": t_cmp, "compare_cpu_s": c_cmp,
        "floor_s": t_floor, "floor_cpu_s": c_floor, "rss_peak_mb": rss_peak, "rss_growth_mb": rss_peak - rss_warm,
        "traced_peak_mb": traced_peak / 2**20,
        "pairs": na * nb,
        # Short readouts are scored all at once (one rapidfuzz cdist, not through _fuzz_pairs).
        "fuzz_calls": (na * nb if na * nb <= getattr(align_mod, "_DENSE_UPTO", -1)
                       else calls["pairs"]),
        "block": [min(block, na), nb], "links": len(comp.alignment.links),
        "analyze_sentences": an.n_sentences,
    }
    out.update(_baseline(comp, a, b, out["compare_cpu_s"], seed))
    if check_dense and max(na, nb) <= check_dense:
        from readout_diff.align import align_features, dense_scores, features_for, links_from_dense

        fa, fb = features_for(comp.a), features_for(comp.b)
        out["dense_equal"] = align_features(fa, fb) == links_from_dense(dense_scores(fa, fb), fa, fb)
    return out


def _baseline(comp, a: str, b: str, compare_cpu: float, seed: int,
              max_pairs: int = 20_000) -> dict:
    """CPU seconds of the difflib baseline (benchmarks/throughput.py) on the same sentences:
    measured on all pairs up to ``max_pairs``, else on a seeded sample and scaled up ("est.")."""
    import difflib
    import random

    sa = [s.text for s in comp.a.sentences]
    sb = [s.text for s in comp.b.sentences]
    pairs = [(i, j) for i in range(len(sa)) for j in range(len(sb))] if \
        len(sa) * len(sb) <= max_pairs else None
    if pairs is None:
        rng = random.Random(seed)
        pairs = [(rng.randrange(len(sa)), rng.randrange(len(sb))) for _ in range(max_pairs)]
    c0 = time.process_time()
    for i, j in pairs:
        difflib.SequenceMatcher(None, sa[i], sb[j]).ratio()
    spent = (time.process_time() - c0) * (len(sa) * len(sb)) / max(len(pairs), 1)
    return {"baseline_cpu_s": spent, "baseline_estimated": len(pairs) < len(sa) * len(sb),
            "baseline_over_compare": spent / compare_cpu if compare_cpu else None}


def print_table(rows: list[dict], info: dict) -> None:
    m = info["machine"]
    print(f"{rows[0]['source'] if rows else ''}; python {m['python']}, {m['cores']} cores, "
          f"load {m['load_1min']:.1f}, commit {m['commit']}\n")
    print(f"{'sentences':>11} {'words':>13} {'analyze s':>10} {'compare s':>10} {'CPU s':>7} "
          f"{'floor CPU':>9} {'difflib/compare':>15} "
          f"{'RSS MB':>7} {'+RSS':>6} {'traced':>7} {'scored pairs':>18} {'block':>11} {'links':>6}")
    for r in rows:
        na, nb = r["sentences"]
        share = r["fuzz_calls"] / r["pairs"] if r["pairs"] else 0.0
        dense = {True: " dense=ok", False: " dense=DIFF"}.get(r.get("dense_equal"), "")
        print(f"{na:>5}×{nb:<5} {r['words'][0]:>6}+{r['words'][1]:<6} {r['analyze_s']:>10.3f} "
              f"{r['compare_s']:>10.3f} {r['compare_cpu_s']:>7.3f} {r['floor_cpu_s']:>9.3f} "
              f"{r['baseline_over_compare']:>10.0f}×{' est.' if r['baseline_estimated'] else '     '}"
              f"{r['rss_peak_mb']:>7.0f} "
              f"{r['rss_growth_mb']:>6.0f} {r['traced_peak_mb']:>7.1f} "
              f"{r['fuzz_calls']:>9,} {share:>7.2%} {r['block'][0]:>4}×{r['block'][1]:<6} "
              f"{r['links']:>6}{dense}")
    big = [r for r in rows if min(r["sentences"]) >= 4000]
    for r in big:
        ok = r["compare_s"] <= TARGET_S and r["rss_peak_mb"] <= TARGET_MB
        print(f"\n{r['sentences'][0]}×{r['sentences'][1]}: compare {r['compare_s']:.2f} s "
              f"(target ≤ {TARGET_S:.0f} s), peak RSS {r['rss_peak_mb']:.0f} MB "
              f"(target ≤ {TARGET_MB} MB): {'met' if ok else 'NOT met'}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 5000])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--check-dense", type=int, default=0, metavar="N")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: one size, JSON out
    args = ap.parse_args(argv)
    if args.one is not None:
        print(json.dumps(one(args.one, args.seed, args.check_dense)))
        return 0
    rows = []
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(code_root())] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--seed", str(args.seed),
                              "--check-dense", str(args.check_dense)],
                             capture_output=True, text=True, env=env)
        if out.returncode != 0:
            sys.stderr.write(out.stderr)
            return out.returncode
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    info = {"machine": machine()}
    if args.json:
        print(json.dumps({**info, "sizes": rows}, indent=2))
    else:
        print_table(rows, info)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
