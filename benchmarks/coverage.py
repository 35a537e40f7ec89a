"""Coverage of the codebook on real readouts: what it finds, and what it misses.

    python benchmarks/coverage.py                          # ../shared/data/wh-readouts, China
    python benchmarks/coverage.py --country Russia --top 40
    python benchmarks/coverage.py --readouts DIR --json

Over a folder of real readouts (the 1,397 White House readouts of ../shared by default) it
prints: how many analyse cleanly (and the errors of those that do not), the frequency of every
topic and frame, and — to widen the codebook where real prose needs it — the sentences that
mention a country (China by default) but match no topic, with the words most over-represented
in those *uncovered* sentences against the *covered* ones, ranked by the weighted log-odds with
an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008; ``readout_diff.logodds``) whose
background is all the readouts' sentences.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from readout_diff import analyze, load_readout
from readout_diff.errors import ReadoutDiffError
from readout_diff.logodds import log_odds

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_READOUTS = ROOT.parent / "shared" / "data" / "wh-readouts"
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
_STOP = frozenset(
    """the a an and or of to in on at for with by from as that this these those is are was were be
    been their its his her they he she it we our us also both two other which who whom will would
    should could can may into over than then there such about during between against not no""".split()
)


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP]


def run(folder: Path, country: str, top: int) -> dict:
    # Readouts are the Markdown files of the sub-folders (not README.md, LICENSE-CC0.txt).
    files = [f for f in sorted(folder.rglob("*.md")) if f.parent != folder]
    pattern = re.compile(rf"\b{re.escape(country)}\b|\bPRC\b" if country == "China"
                         else rf"\b{re.escape(country)}\b", re.I)
    topics, frames, negated = Counter(), Counter(), Counter()
    errors: list[str] = []
    covered, uncovered, background = Counter(), Counter(), Counter()
    uncovered_examples: list[str] = []
    n_sent = n_country = n_uncovered = 0
    t0 = time.perf_counter()
    for f in files:
        try:
            a = analyze(load_readout(f))
        except ReadoutDiffError as exc:
            errors.append(str(exc))
            continue
        topics.update(list(a.topics))
        frames.update(list(a.frames))
        negated.update(a.negated_topics)
        for s in a.sentences:
            n_sent += 1
            ws = words(s.text)
            background.update(ws)
            if not pattern.search(s.text):
                continue
            n_country += 1
            if s.topics or s.negated_topics:
                covered.update(ws)
            else:
                n_uncovered += 1
                uncovered.update(ws)
                if len(uncovered_examples) < top:
                    uncovered_examples.append(f"{f.name}: {s.text[:200]}")
    seconds = time.perf_counter() - t0
    scores = log_odds(uncovered, covered, prior=background) if uncovered and covered else {}
    ranked = sorted(scores.items(), key=lambda kv: -kv[1].z)[:top]
    return {
        "readouts": len(files), "analysed": len(files) - len(errors), "errors": errors,
        "seconds": round(seconds, 2), "sentences": n_sent,
        "country": country, "country_sentences": n_country, "uncovered_sentences": n_uncovered,
        "topics": dict(topics.most_common()), "frames": dict(frames.most_common()),
        "negated_topics": dict(negated.most_common()),
        "uncovered_words": [{"word": w, "uncovered": r.count_a, "covered": r.count_b,
                             "delta": round(r.delta, 3), "z": round(r.z, 2)} for w, r in ranked],
        "uncovered_examples": uncovered_examples,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--readouts", type=Path, default=DEFAULT_READOUTS)
    ap.add_argument("--country", default="China")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not args.readouts.is_dir():
        print(f"coverage: no readouts at {args.readouts} (../shared is absent)", file=sys.stderr)
        return 2
    r = run(args.readouts, args.country, args.top)
    if args.json:
        json.dump(r, sys.stdout, indent=2)
        print()
        return 0
    print(f"{r['analysed']}/{r['readouts']} readouts analysed cleanly in {r['seconds']} s "
          f"({r['sentences']} sentences)")
    for e in r["errors"]:
        print(f"  error: {e}")
    print("\nTopic frequency (readouts that have it)")
    for k, v in r["topics"].items():
        print(f"  {k:<22} {v:>5}")
    print("\nFrame frequency")
    for k, v in r["frames"].items():
        print(f"  {k:<22} {v:>5}")
    print(f"\nNegated topics: {r['negated_topics'] or '—'}")
    print(f"\nSentences about {r['country']}: {r['country_sentences']}, matching no topic: "
          f"{r['uncovered_sentences']}")
    print(f"\nWords over-represented in uncovered vs covered {r['country']} sentences "
          "(log-odds, informative Dirichlet prior)")
    print(f"  {'word':<18} {'uncov':>6} {'cov':>6} {'delta':>7} {'z':>6}")
    for w in r["uncovered_words"]:
        print(f"  {w['word']:<18} {w['uncovered']:>6} {w['covered']:>6} {w['delta']:>7.3f} "
              f"{w['z']:>6.2f}")
    print("\nExamples of uncovered sentences")
    for e in r["uncovered_examples"][:10]:
        print(f"  {e}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
