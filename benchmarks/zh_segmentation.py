"""Chinese segmenters compared on the zh corpus: topic/frame P/R/F1, cross-language gaps, speed.

For each segmenter of :data:`readout_diff.chinese.SEGMENTERS` (``char``: one token per Han
character; ``jieba``: dictionary word segmentation) the script rebuilds the ``zh`` pipeline and
the codebook's matchers, then over every ``corpora/zh/<event>/``:

- analyses ``cn.txt`` (Chinese) and scores its topics, negated topics and frames against
  ``gold.json`` (micro precision / recall / F1 over all events), sentence counts and speakers;
- compares ``cn.txt`` with ``us.txt`` and the English rendering ``renderings/cn.txt`` with the
  same ``us.txt``: the pair has the *same gaps* when every gap list (topics, frames, negated,
  disputed) is equal, i.e. reading the original gives what reading its translation gives;
- scores the sentence alignment of both comparisons against the gold links;
- times the analysis of all ``cn.txt`` (after one warm-up pass) and the pipeline build.

Run from the repository root::

    PYTHONPATH=$PWD python benchmarks/zh_segmentation.py [--corpus corpora/zh] [--repeat 5] [-v]

Seeded by construction (no randomness); numbers are wall-clock on this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from readout_diff.evaluation import Tally


class PRF(Tally):
    """Micro-averaged counts (readout_diff.evaluation.Tally) with a one-line P R F1 row."""

    def row(self) -> str:
        m = self.micro()
        return f"{m.precision:5.3f} {m.recall:5.3f} {m.f1:5.3f}"


@dataclass
class Result:
    segmenter: str
    topics: PRF = field(default_factory=PRF)
    frames: PRF = field(default_factory=PRF)
    negated: PRF = field(default_factory=PRF)
    align_zh: PRF = field(default_factory=PRF)
    align_en: PRF = field(default_factory=PRF)
    same_gaps: int = 0
    zh_gold: int = 0  # events whose zh analysis has exactly the gold topics, frames, negations
    en_gold: int = 0  # the same for the English rendering
    same_topic_gaps: int = 0
    pairs: int = 0
    sentences_ok: int = 0
    speakers_ok: int = 0
    speakers_n: int = 0
    build_s: float = 0.0
    ms_per_readout: float = 0.0
    chars_per_s: float = 0.0
    errors: list[str] = field(default_factory=list)


def events(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.iterdir()
                  if (p / "cn.txt").is_file() and (p / "gold.json").is_file())


def use_segmenter(name: str):
    """Rebuild the zh pipeline with segmenter ``name``; return a fresh codebook (own matchers)."""
    from readout_diff.chinese import SEGMENTER_ENV
    from readout_diff.codebook import Codebook
    from readout_diff.nlp import get_pipeline

    os.environ[SEGMENTER_ENV] = name
    get_pipeline.cache_clear()
    raw = (resources.files("readout_diff") / "codebooks" / "default.toml").read_bytes()
    return Codebook.from_toml(raw, source="default.toml")


def exact(analysis, side: dict) -> bool:
    return (set(analysis.topics), set(analysis.frames), set(analysis.negated_topics)) == \
        (set(side["topics"]), set(side["frames"]), set(side["negated_topics"]))


def warm_up() -> None:
    """Pay the imports both segmenters share (spaCy, OpenCC) before anything is timed."""
    import spacy

    from readout_diff.chinese import to_simplified

    spacy.blank("zh")
    to_simplified("習近平")


def run(segmenter: str, corpus: Path, repeat: int) -> Result:
    from readout_diff import analyze, compare
    from readout_diff.matching import compile_codebook
    from readout_diff.nlp import get_pipeline

    res = Result(segmenter)
    t0 = time.perf_counter()
    codebook = use_segmenter(segmenter)
    get_pipeline("zh")
    compile_codebook(codebook, "zh")
    analyze("习近平同特朗普通电话。", codebook=codebook, lang="zh")  # jieba loads lazily
    res.build_s = time.perf_counter() - t0

    texts = []
    for ev in events(corpus):
        gold = json.loads((ev / "gold.json").read_text("utf-8"))
        side = gold["sides"]["cn"]  # the Chinese readout's gold
        text = (ev / "cn.txt").read_text("utf-8")
        texts.append(text)
        a = analyze(ev / "cn.txt", codebook=codebook, lang="zh")
        res.zh_gold += exact(a, side)
        topics, frames, negated = set(a.topics), set(a.frames), set(a.negated_topics)
        res.topics.add(topics, set(side["topics"]))
        res.frames.add(frames, set(side["frames"]))
        res.negated.add(negated, set(side["negated_topics"]))
        for what, got, want in (("topics", topics, set(side["topics"])),
                                ("frames", frames, set(side["frames"])),
                                ("negated", negated, set(side["negated_topics"]))):
            if got != want:
                res.errors.append(f"{ev.name} {what}: +{sorted(got - want)} -{sorted(want - got)}")
        if a.n_sentences == side["n_sentences"]:
            res.sentences_ok += 1
            for i, who in side.get("speakers", ()):
                res.speakers_n += 1
                res.speakers_ok += a.sentences[i].speaker == who
                if a.sentences[i].speaker != who:
                    res.errors.append(f"{ev.name} speaker {i}: {a.sentences[i].speaker} != {who}")
        else:
            res.errors.append(f"{ev.name} sentences: {a.n_sentences} != {side['n_sentences']}")

        us = ev / "us.txt"
        rendering = ev / "renderings" / "cn.txt"
        if us.is_file() and rendering.is_file():
            zh_en = compare(ev / "cn.txt", us, codebook=codebook, label_a="cn", label_b="us")
            en_en = compare(rendering, us, codebook=codebook, label_a="cn", label_b="us")
            res.pairs += 1
            r_gold = ev / "renderings" / "gold.json"
            rg = json.loads(r_gold.read_text("utf-8")) if r_gold.is_file() else gold
            res.en_gold += exact(en_en.a, rg["sides"]["cn"])
            g1, g2 = zh_en.gaps, en_en.gaps
            res.same_gaps += g1 == g2
            res.same_topic_gaps += (g1.shared, g1.only_a, g1.only_b) == (g2.shared, g2.only_a,
                                                                          g2.only_b)
            if g1 != g2:
                d1, d2 = g1.to_dict(), g2.to_dict()
                diff = {k: (d1[k], d2[k]) for k in d1 if d1[k] != d2[k]}
                res.errors.append(f"{ev.name} gaps zh≠en: {diff}")
            gold_links = {tuple(x) for x in gold.get("alignment", ())}
            if gold_links:
                res.align_zh.add({(l.a, l.b) for l in zh_en.alignment.links}, gold_links)
                res.align_en.add({(l.a, l.b) for l in en_en.alignment.links},
                                 {tuple(x) for x in rg.get("alignment", ())})

    for text in texts:  # warm-up: every lexeme created once
        analyze(text, codebook=codebook, lang="zh")
    t0 = time.perf_counter()
    for _ in range(repeat):
        for text in texts:
            analyze(text, codebook=codebook, lang="zh")
    elapsed = time.perf_counter() - t0
    n = repeat * len(texts)
    res.ms_per_readout = 1000 * elapsed / max(n, 1)
    res.chars_per_s = repeat * sum(len(t) for t in texts) / elapsed if elapsed else 0.0
    return res


def main(argv: list[str] | None = None) -> int:
    root = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=root / "corpora" / "zh")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--segmenters", default=None, help="comma-separated (default: all)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every disagreement")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir() or not events(args.corpus):
        print(f"no zh corpus at {args.corpus} (corpora/zh/<event>/cn.txt + gold.json)",
              file=sys.stderr)
        return 2

    from readout_diff.chinese import SEGMENTERS

    names = args.segmenters.split(",") if args.segmenters else list(SEGMENTERS)
    warm_up()
    results = [run(name, args.corpus, args.repeat) for name in names]
    n_events = len(events(args.corpus))
    print(f"zh corpus: {args.corpus} ({n_events} events), repeat={args.repeat}")
    print()
    print(f"{'segmenter':<9} | {'topics P R F1':<17} | {'frames P R F1':<17} | "
          f"{'negated P R F1':<17} | {'same gaps':>9} | {'sents':>5} | {'speakers':>8} | "
          f"{'build s':>7} | {'ms/readout':>10} | {'chars/s':>8}")
    print("-" * 131)
    for r in results:
        print(f"{r.segmenter:<9} | {r.topics.row():<17} | {r.frames.row():<17} | "
              f"{r.negated.row():<17} | {r.same_gaps:>4}/{r.pairs:<4} | "
              f"{r.sentences_ok:>2}/{n_events:<2} | {r.speakers_ok:>3}/{r.speakers_n:<4} | "
              f"{r.build_s:>7.2f} | {r.ms_per_readout:>10.1f} | {r.chars_per_s:>8.0f}")
    print()
    print("same gaps: compare(cn.txt, us.txt) and compare(renderings/cn.txt, us.txt) give equal gap")
    print("lists. When they differ, which analysis of the Chinese side departs from gold?")
    for r in results:
        print(f"  {r.segmenter:<7} topic gap lists equal {r.same_topic_gaps}/{r.pairs}; "
              f"zh analysis = gold in {r.zh_gold}/{n_events}, "
              f"English rendering analysis = gold in {r.en_gold}/{r.pairs}")
    print()
    print("alignment vs gold links (P R F1): zh–en compare | English rendering–en compare")
    for r in results:
        print(f"  {r.segmenter:<7} {r.align_zh.row()} | {r.align_en.row()}")
    if args.verbose:
        for r in results:
            print(f"\n[{r.segmenter}] disagreements with gold or with the English rendering:")
            for e in r.errors:
                print("  " + e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
