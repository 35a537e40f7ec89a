"""How two annotators agree on sentence alignments, and where the aligners stand between them.

    python benchmarks/agreement.py [--json]

For every pair in ``corpora/agreement`` (a second, blind annotation of some development pairs;
see its README): link P/R/F1 of the second annotation against the first (``gold.json``), and of
the rule aligner and the shipped linker against each annotation. The linker was trained on
these pairs (they are development pairs), so its row is in-sample: read it with the
cross-validated figure ``readout-diff train-linker`` prints and the held-out one of
``benchmarks/accuracy.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from readout_diff import compare
from readout_diff.evaluation import PRF, find_gold_pairs, prf
from readout_diff.readers import load_readout

ROOT = Path(__file__).resolve().parent.parent
AGREEMENT = ROOT / "corpora" / "agreement"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args(argv)
    second = {}
    for f in sorted(AGREEMENT.glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        second[d["pair"]] = {tuple(x) for x in d["alignment"]}
    gold_pairs = {f"{p.folder.parent.name}/{p.folder.name}": p
                  for p in find_gold_pairs(ROOT / "corpora", exclude=("heldout",))}
    rows, total = [], {}
    for name, links2 in second.items():
        pair = gold_pairs[name]
        gold = {tuple(x) for x in pair.gold["alignment"]}
        ra = load_readout(pair.path_a, label=pair.label_a)
        rb = load_readout(pair.path_b, label=pair.label_b)
        rule = {(x.a, x.b) for x in compare(ra, rb, linker=None).alignment.links}
        learned = {(x.a, x.b) for x in compare(ra, rb).alignment.links}
        scores = {"second vs first": prf(links2, gold),
                  "rule vs first": prf(rule, gold), "rule vs second": prf(rule, links2),
                  "linker vs first": prf(learned, gold), "linker vs second": prf(learned, links2)}
        for k, r in scores.items():
            total[k] = total.get(k, PRF(0, 0, 0)) + r
        rows.append((name, len(gold), len(links2), scores))
    if args.json:
        json.dump({"pairs": [{"pair": n, "first": g, "second": s,
                              **{k: r.to_dict() for k, r in sc.items()}} for n, g, s, sc in rows],
                   "total": {k: r.to_dict() for k, r in total.items()}}, sys.stdout, indent=2)
        print()
        return 0
    keys = list(total)
    print(f"{'pair':<44} {'first':>5} {'second':>6} " + " ".join(f"{k:>17}" for k in keys))
    for name, g, s, sc in rows:
        print(f"{name:<44} {g:>5} {s:>6} " + " ".join(f"{sc[k].f1:>17.3f}" for k in keys))
    print(f"\n{'link F1 over all pairs':<44} {'':>5} {'':>6} "
          + " ".join(f"{total[k].f1:>17.3f}" for k in keys))
    for k in keys:
        r = total[k]
        print(f"  {k:<18} P {r.precision:.3f}  R {r.recall:.3f}  F1 {r.f1:.3f}  "
              f"(tp {r.tp}, fp {r.fp}, fn {r.fn})")
    print("\n(linker rows are in-sample: the shipped linker was trained on these pairs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
