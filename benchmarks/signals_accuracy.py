"""Accuracy of the diplomatic signals (formulas, variants, initiator, descriptors, format).

    python benchmarks/signals_accuracy.py                 # corpora/ of this repository
    python benchmarks/signals_accuracy.py --corpus DIR    # any folder of pair folders with gold.json
    python benchmarks/signals_accuracy.py --json          # machine-readable
    python benchmarks/signals_accuracy.py --errors        # list every miss and false alarm
    python benchmarks/signals_accuracy.py --timing        # also: what the signals cost

Against the gold of each readout (``corpora/README.md``: ``formulas``, ``formula_variants``,
``initiator``, ``descriptors``) and the event's ``meta.json`` (``format``), for all readouts and
per language: formula precision / recall / F1 per id and micro; variant accuracy (a gold variant
counts as right when the formula is found with that variant); initiator accuracy over every
readout that has the key (null included) and P/R/F1 of the non-null ones; descriptor P/R/F1;
format accuracy. Readouts in a language without a pipeline here are counted as skipped.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections import Counter
from pathlib import Path

from readout_diff import analyze, load_readout
from readout_diff.evaluation import PRF, Tally
from readout_diff.language import resolve_language
from readout_diff.nlp import languages
from readout_diff.spelling import americanize

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("phone", "video", "in_person")


def _word(s: str) -> str:
    """Descriptors compare in lower case, American spelling ("favourable" = "favorable")."""
    return "-".join(americanize(w) for w in s.lower().replace(" ", "-").split("-"))


def _variant(s: str) -> str:
    return " ".join(s.casefold().split())


class _Group:
    def __init__(self) -> None:
        self.sides = 0
        self.formulas = Tally()
        self.descriptors = Tally()
        self.variants = Counter()
        self.initiator = Counter()
        self.initiator_prf = Counter()
        self.format = Counter()
        self.errors: list[str] = []

    def summary(self) -> dict:
        def acc(c: Counter) -> dict:
            n = c["right"] + c["wrong"]
            return {"accuracy": round(c["right"] / n, 4) if n else None, "n": n}

        ip = PRF(self.initiator_prf["tp"], self.initiator_prf["fp"], self.initiator_prf["fn"])
        return {
            "sides": self.sides,
            "formulas": {"micro": self.formulas.micro().to_dict(),
                         "macro_f1": round(self.formulas.macro_f1(), 4),
                         "per_id": {k: self.formulas.of(k).to_dict()
                                    for k in sorted(self.formulas.per_id)}},
            "variants": acc(self.variants),
            "initiator": {**acc(self.initiator), "non_null": ip.to_dict()},
            "descriptors": {"micro": self.descriptors.micro().to_dict(),
                            "per_id": {k: self.descriptors.of(k).to_dict()
                                       for k in sorted(self.descriptors.per_id)}},
            "format": acc(self.format),
            "errors": self.errors,
        }


def _sides(root: Path):
    """(folder, gold, meta, label, readout path) of every annotated readout under ``root``.

    A ``renderings/`` folder holds one readout (the English rendering of the Chinese one) and
    takes the event's ``meta.json`` from its parent.
    """
    for gold_path in sorted(root.rglob("gold.json")):
        folder = gold_path.parent
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        meta_path = folder / "meta.json"
        if not meta_path.exists():
            meta_path = folder.parent / "meta.json"
        meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
        for label in gold.get("sides", {}):
            path = next((folder / f"{label}{suffix}" for suffix in (".txt", ".md", ".html", ".json")
                         if (folder / f"{label}{suffix}").exists()), None)
            if path is not None:
                yield folder, gold, meta, label, path


def evaluate(root: Path) -> dict:
    groups: dict[str, _Group] = {}
    skipped: Counter = Counter()
    for folder, gold_doc, meta, label, path in _sides(root):
        gold = gold_doc["sides"][label]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            readout = load_readout(path, label=label)
        lang = resolve_language(readout.lang, readout.text)
        if lang not in languages():
            skipped[lang] += 1
            continue
        an = analyze(readout)
        sig = an.signals
        where = f"{folder.relative_to(root)}/{label}"
        for key in (an.lang, "all"):
            g = groups.setdefault(key, _Group())
            g.sides += 1
            if "formulas" in gold:
                g.formulas.add(sig.formulas, gold["formulas"])
            for fid, variant in (gold.get("formula_variants") or {}).items():
                found = sig.formulas.get(fid)
                ok = found is not None and _variant(variant) in map(_variant, found.variants)
                g.variants["right" if ok else "wrong"] += 1
                if not ok and key == "all":
                    g.errors.append(f"{where}: variant {fid}={variant!r}, found "
                                    f"{list(found.variants) if found else None}")
            if "initiator" in gold:
                pred = sig.initiator.side if sig.initiator else None
                g.initiator["right" if pred == gold["initiator"] else "wrong"] += 1
                if pred is not None or gold["initiator"] is not None:
                    g.initiator_prf["tp"] += pred is not None and pred == gold["initiator"]
                    g.initiator_prf["fp"] += pred is not None and pred != gold["initiator"]
                    g.initiator_prf["fn"] += (gold["initiator"] is not None
                                              and pred != gold["initiator"])
                if pred != gold["initiator"] and key == "all":
                    g.errors.append(f"{where}: initiator {pred!r}, gold {gold['initiator']!r}")
            if "descriptors" in gold:
                g.descriptors.add({_word(d) for d in sig.descriptors},
                                  {_word(d) for d in gold["descriptors"]})
            if meta.get("format") in FORMATS:
                pred = sig.format.value if sig.format else None
                g.format["right" if pred == meta["format"] else "wrong"] += 1
                if pred != meta["format"] and key == "all":
                    g.errors.append(f"{where}: format {pred!r}, event {meta['format']!r}")
            if key == "all":
                pred_f = set(sig.formulas)
                for fid in sorted(pred_f ^ set(gold.get("formulas", pred_f))):
                    kind = "false alarm" if fid in pred_f else "missed"
                    g.errors.append(f"{where}: formula {fid} {kind}")
                if "descriptors" in gold:
                    pd = {_word(d) for d in sig.descriptors}
                    gd = {_word(d) for d in gold["descriptors"]}
                    for d in sorted(pd ^ gd):
                        kind = "false alarm" if d in pd else "missed"
                        g.errors.append(f"{where}: descriptor {d} {kind}")
    out = {k: g.summary() for k, g in sorted(groups.items())}
    out["skipped"] = dict(skipped)
    return out


def timing(root: Path, repeat: int = 3) -> dict:
    """Milliseconds per readout of analyze() and, on the same parses, of readout_signals()."""
    from readout_diff.nlp import parse
    from readout_diff.signals import readout_signals

    readouts = []
    for *_, path in _sides(root):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = load_readout(path)
        if resolve_language(r.lang, r.text) in languages():
            readouts.append(r)
    pairs = [(parse(r.text, a.lang), a) for r in readouts for a in [analyze(r)]]  # warm up
    t0 = time.perf_counter()
    for _ in range(repeat):
        for r in readouts:
            analyze(r)
    t_analyze = (time.perf_counter() - t0) / repeat / len(readouts)
    t0 = time.perf_counter()
    for _ in range(repeat):
        for parsed, a in pairs:
            readout_signals(parsed, a, lang=a.lang)
    t_signals = (time.perf_counter() - t0) / repeat / len(readouts)
    return {"readouts": len(readouts), "analyze_ms": round(t_analyze * 1000, 2),
            "signals_ms": round(t_signals * 1000, 2),
            "signals_share": round(t_signals / t_analyze, 3)}


def _row(name: str, d: dict) -> str:
    return (f"  {name:<30} {d['precision']:>6.3f} {d['recall']:>6.3f} {d['f1']:>6.3f} "
            f"{d['support']:>5}  (tp {d['tp']}, fp {d['fp']}, fn {d['fn']})")


def _acc(name: str, d: dict) -> str:
    a = d["accuracy"]
    return f"  {name:<30} {'—' if a is None else f'{a:.3f}':>6}  (n={d['n']})"


def print_report(results: dict, seconds: float, errors: bool) -> None:
    for lang, r in results.items():
        if lang in ("skipped", "timing"):
            continue
        print(f"\n== {lang}: {r['sides']} readouts ==")
        print(f"\n{'formulas':<32} {'P':>6} {'R':>6} {'F1':>6} {'supp':>5}")
        for k, d in r["formulas"]["per_id"].items():
            print(_row(k, d))
        print(_row("MICRO", r["formulas"]["micro"]))
        print(f"  {'MACRO F1':<30} {'':>6} {'':>6} {r['formulas']['macro_f1']:>6.3f}")
        print(f"\n{'descriptors':<32} {'P':>6} {'R':>6} {'F1':>6} {'supp':>5}")
        print(_row("MICRO", r["descriptors"]["micro"]))
        print()
        print(_acc("formula variants", r["variants"]))
        print(_acc("initiator (null included)", r["initiator"]))
        print(_row("initiator (non-null)", r["initiator"]["non_null"]))
        print(_acc("format (vs meta.json)", r["format"]))
        if errors and r["errors"]:
            print("\n  errors:")
            for e in r["errors"]:
                print(f"    {e}")
    if results.get("skipped"):
        print(f"\nskipped (no pipeline for the language): {results['skipped']}")
    if "timing" in results:
        t = results["timing"]
        print(f"\ntiming: analyze {t['analyze_ms']:.2f} ms per readout, of which the signals "
              f"{t['signals_ms']:.2f} ms ({t['signals_share']:.0%}); {t['readouts']} readouts")
    print(f"\n({seconds:.1f} s)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpora")
    ap.add_argument("--json", action="store_true", help="print JSON instead of tables")
    ap.add_argument("--errors", action="store_true", help="list misses and false alarms")
    ap.add_argument("--timing", action="store_true", help="time analyze() and the signals")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    results = evaluate(args.corpus)
    seconds = time.perf_counter() - t0
    if args.timing:
        results["timing"] = timing(args.corpus)
    if args.json:
        json.dump(results, sys.stdout, indent=2)
        print()
    else:
        print_report(results, seconds, args.errors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
