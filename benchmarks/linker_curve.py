"""Would more annotated pairs, or another annotator's conventions, lift the linker's link F1?

    PYTHONPATH=$PWD python benchmarks/linker_curve.py [--seeds 4] [--json]

Two measurements on the development gold (``corpora/en`` and ``corpora/zh``, never the held-out
set), both with ``readout_diff.linker_training.train_linker`` as ``readout-diff train-linker``
runs it (leave-one-pair-out cross-validation, its own cut-off):

- **learning curve**: the cross-validated link P/R/F1 of linkers trained on random subsets of
  10, 20, 30 ... pairs (``--seeds`` draws per size; the full set once). How fast F1 still grows
  with data says what annotating more pairs would buy.
- **second annotation**: the same training with the gold alignments of the pairs in
  ``corpora/agreement`` (a second, blind annotator's, who linked more generously) put in place
  of the first annotator's. If the first annotator's stinginess held the linker back, this
  would score higher.

Prints a table, or JSON with ``--json``. About a minute: the pairs are analysed once.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import warnings
from dataclasses import replace
from pathlib import Path

from readout_diff.linker_training import examples_from_corpus, train_linker

ROOT = Path(__file__).resolve().parent.parent
CORPORA = [ROOT / "corpora" / "en", ROOT / "corpora" / "zh"]
AGREEMENT = ROOT / "corpora" / "agreement"


def _second_annotation() -> dict[str, frozenset[tuple[int, int]]]:
    """Pair name (as in corpora/en) → the second annotator's links."""
    out = {}
    for f in sorted(AGREEMENT.glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        lang, _, name = d["pair"].partition("/")
        if lang == "en":
            out[name] = frozenset((int(a), int(b)) for a, b in d["alignment"])
    return out


def _prf(report) -> dict[str, float]:
    r = report.cross_validated
    return {"precision": r.precision, "recall": r.recall, "f1": r.f1, "cutoff": report.cutoff}


def run(seeds: int) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pairs left out of training are reported by train-linker
        examples = examples_from_corpus(CORPORA)
    n = len(examples)
    sizes = [s for s in range(10, n, 10)] + [n]
    curve = []
    rng = random.Random(0)
    for size in sizes:
        runs = []
        for _ in range(seeds if size < n else 1):
            subset = rng.sample(examples, size) if size < n else examples
            runs.append(_prf(train_linker(subset)[1]))
        curve.append({"pairs": size, "runs": len(runs),
                      **{k: sum(r[k] for r in runs) / len(runs)
                         for k in ("precision", "recall", "f1")}})
    second = _second_annotation()
    # The second annotation covers corpora/en pairs; a corpora/zh pair of the same name has a
    # Chinese side, and its renderings' folder name ends in /renderings.
    swapped = [replace(ex, gold=second[ex.name])
               if ex.name in second and ex.fa.lang == ex.fb.lang == "en" else ex
               for ex in examples]
    n_swapped = sum(a is not b for a, b in zip(examples, swapped))
    return {"pairs": n, "curve": curve,
            "first_annotation": _prf(train_linker(examples)[1]),
            "second_annotation": {"pairs_swapped": n_swapped,
                                  **_prf(train_linker(swapped)[1])}}


def print_table(r: dict) -> None:
    print(f"learning curve: cross-validated link F1 by training pairs ({r['pairs']} in all)\n")
    print(f"{'pairs':>6} {'draws':>6} {'P':>7} {'R':>7} {'F1':>7}")
    for row in r["curve"]:
        print(f"{row['pairs']:>6} {row['runs']:>6} {row['precision']:>7.3f} {row['recall']:>7.3f} "
              f"{row['f1']:>7.3f}")
    first, second = r["first_annotation"], r["second_annotation"]
    print(f"\ngold alignments of the {second['pairs_swapped']} pairs in corpora/agreement:")
    print(f"  first annotator's (shipped)  P {first['precision']:.3f}  R {first['recall']:.3f}  "
          f"F1 {first['f1']:.3f}  (cut-off {first['cutoff']})")
    print(f"  second annotator's           P {second['precision']:.3f}  R {second['recall']:.3f}  "
          f"F1 {second['f1']:.3f}  (cut-off {second['cutoff']})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=4, help="random subsets per size (default 4)")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args(argv)
    r = run(args.seeds)
    if args.json:
        print(json.dumps(r, indent=2))
    else:
        print_table(r)
    return 0


if __name__ == "__main__":
    sys.exit(main())
