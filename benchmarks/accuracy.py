"""Accuracy of every stage of readout_diff against the annotated corpus.

    python benchmarks/accuracy.py                 # corpora/ of this repository: development
                                                  # pairs, then the held-out set apart
    python benchmarks/accuracy.py --corpus DIR    # any folder of pair folders with gold.json
    python benchmarks/accuracy.py --json          # machine-readable
    python benchmarks/accuracy.py --linker FILE   # another linker (train-linker); `rule` for
                                                  # the plain rule aligner

Prints, for all pairs and per language (en, zh, zh-en ...): per-topic and per-frame precision,
recall, F1 and support; micro and macro F1; negation; attribution accuracy; alignment link
P/R/F1 (strict) and F1 on unaligned sentences; and the share of pairs whose only_a / only_b
lists are exactly right. The scoring code is ``readout_diff.evaluation`` (tested on its own).

The shipped linker was trained on the development pairs (corpora/en and the English renderings
in corpora/zh), so its development link figures are in-sample: the honest ones are the
held-out set's and the cross-validated figure `readout-diff train-linker` prints.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from readout_diff.evaluation import evaluate_corpus

ROOT = Path(__file__).resolve().parent.parent


def _row(name: str, d: dict) -> str:
    return (f"  {name:<24} {d['precision']:>6.3f} {d['recall']:>6.3f} {d['f1']:>6.3f} "
            f"{d['support']:>5}  (tp {d['tp']}, fp {d['fp']}, fn {d['fn']})")


def print_report(results: dict, seconds: float) -> None:
    for lang, r in results.items():
        print(f"\n== {lang}: {r['pairs']} pairs, {r['sides']} readouts ==")
        for part in ("topics", "frames"):
            print(f"\n{part:<26} {'P':>6} {'R':>6} {'F1':>6} {'supp':>5}")
            for k, d in r[part]["per_id"].items():
                print(_row(k, d))
            print(_row("MICRO", r[part]["micro"]))
            print(f"  {'MACRO F1':<24} {'':>6} {'':>6} {r[part]['macro_f1']:>6.3f}")
        print()
        print(_row("negated topics", r["negation"]))
        print(_row("alignment links", r["alignment"]))
        print(_row("unaligned sentences", r["unaligned"]))
        acc = r["attribution"]["accuracy"]
        print(f"  attribution accuracy     {acc if acc is None else f'{acc:.3f}'} "
              f"(n={r['attribution']['n']})")
        exact = r["gaps_exact"]
        print(f"  only_a/only_b exact      {'n/a' if exact is None else f'{exact:.3f}'}")
        print(f"  sentence counts vs gold  {r['sentence_counts']}")
        for note in r["notes"]:
            print(f"  note: {note}")
    print(f"\n({seconds:.1f} s)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=None,
                    help="a folder of pair folders (default: corpora/, held-out set apart)")
    ap.add_argument("--json", action="store_true", help="print JSON instead of tables")
    ap.add_argument("--linker", default="default",
                    help="a linker file, 'default' (the shipped one) or 'rule' (no linker)")
    args = ap.parse_args(argv)
    linker = None if args.linker == "rule" else args.linker
    t0 = time.perf_counter()
    if args.corpus is None:
        results = evaluate_corpus(ROOT / "corpora", exclude=("heldout",), linker=linker)
        heldout = ROOT / "corpora" / "heldout"
        if heldout.is_dir():
            results.update({f"heldout/{k}": v for k, v in
                            evaluate_corpus(heldout, linker=linker).items() if k != "all"})
    else:
        results = evaluate_corpus(args.corpus, linker=linker)
    seconds = time.perf_counter() - t0
    if args.json:
        json.dump(results, sys.stdout, indent=2)
        print()
    else:
        print_report(results, seconds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
