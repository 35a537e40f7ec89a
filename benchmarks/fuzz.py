"""A long fuzzing run over the library's entry points, and the cost of inputs at the size limits.

The properties are those of ``tests/test_fuzz.py`` (which runs them with 60 examples each in the
normal test run); here every target gets ``--examples`` inputs, and a failing input is counted
and kept instead of stopping the run, so the table says how many inputs were tried and how many
failed, per target::

    PYTHONPATH=$PWD python benchmarks/fuzz.py --examples 5000 [--seed 0] [--targets analyze,compare]
    PYTHONPATH=$PWD python benchmarks/fuzz.py --examples 0 --huge     # only the size-limit table

``--huge`` times inputs of the default limit size (2,000,000 characters) that stress one part of
the pipeline each, and checks that one byte or character more is refused with a LimitError.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import traceback
import warnings
from collections import Counter
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from readout_diff import ReadoutDiffError, analyze, compare  # noqa: E402
from readout_diff.readers import decode_bytes, load_readout, load_readouts  # noqa: E402
from tests import test_fuzz as props  # noqa: E402
from tests.strategies import hostile_bytes, hostile_text, readout_text  # noqa: E402


class Run:
    """Counts inputs and failures of one target; a failure is kept, not raised."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.tried = 0
        self.refused = 0  # ReadoutDiffError: allowed, counted for information
        self.failures: Counter[str] = Counter()
        self.examples: dict[str, str] = {}
        self.inputs: dict[str, object] = {}  # the first failing input of each kind, whole
        self.seconds = 0.0

    def call(self, fn: Callable[[], None], shown: object) -> None:
        self.tried += 1
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fn()
        except ReadoutDiffError as exc:
            if not str(exc).strip():
                self._fail("ReadoutDiffError without a message", shown)
            else:
                self.refused += 1
        except Exception as exc:  # noqa: BLE001 - counting every other failure is the point
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{Path(frame.filename).name}:{frame.lineno}"
            self._fail(f"{type(exc).__name__} at {where}: {str(exc).splitlines()[0][:100] if str(exc) else ''}",
                       shown)

    def _fail(self, kind: str, shown: object) -> None:
        self.failures[kind] += 1
        self.examples.setdefault(kind, repr(shown)[:300])
        self.inputs.setdefault(kind, shown)


def _analyze(text: str) -> None:
    props.check_analysis(analyze(text), text)


def _compare(pair: tuple[str, str]) -> None:
    a, b = pair
    c = compare(a, b)
    props.check_analysis(c.a, a)
    props.check_analysis(c.b, b)
    props.check_comparison(c)


def _self_compare(text: str) -> None:
    c = compare(text, text)
    assert c.gaps.only_a == c.gaps.only_b == () and c.scores.gap_score == 0.0, "self-compare gaps"


def _decode(data: bytes) -> None:
    text = decode_bytes(data)
    assert "\x00" not in text and "\r" not in text and not props._SURROGATE.search(text)


def _file(folder: Path) -> Callable[[tuple[bytes, str]], None]:
    def run(arg: tuple[bytes, str]) -> None:
        data, suffix = arg
        path = folder / f"readout{suffix}"
        path.write_bytes(data)
        for r in load_readouts(path):
            props._check_readout(r)
            props.check_analysis(analyze(r), r.text)
    return run


def _front_matter(folder: Path) -> Callable[[tuple[str, str]], None]:
    def run(arg: tuple[str, str]) -> None:
        path = folder / "fm.md"
        path.write_text(props._front_matter(*arg), encoding="utf-8", errors="surrogatepass")
        props._check_readout(load_readout(path))
    return run


def _json(folder: Path) -> Callable[[object], None]:
    def run(obj: object) -> None:
        path = folder / "obj.json"
        path.write_text(json.dumps(obj), encoding="utf-8")
        r = load_readout(path)
        props._check_readout(r)
        json.dumps(analyze(r).to_dict(), ensure_ascii=False).encode("utf-8")
    return run


def _segment(arg: tuple[str, str]) -> None:
    text, lang = arg
    props.check_spans(text, lang)


def _tokenizer(text: str) -> None:
    props.check_tokens(text)


def targets(folder: Path) -> dict[str, tuple[st.SearchStrategy, Callable]]:
    text = st.one_of(hostile_text, readout_text)
    return {
        "analyze": (hostile_text, _analyze),
        "compare": (st.tuples(text, text), _compare),
        "compare(x, x)": (text, _self_compare),
        "decode_bytes": (hostile_bytes, _decode),
        "load_readouts+analyze": (st.tuples(hostile_bytes, st.sampled_from(props.SUFFIXES)),
                                  _file(folder)),
        "front matter": (st.tuples(props.yaml_ish, text), _front_matter(folder)),
        "json readouts": (props.json_value | st.fixed_dictionaries(
            {"text": hostile_text}, optional={"label": props.json_value,
                                              "lang": props.json_value}), _json(folder)),
        "split_sentences": (st.tuples(hostile_text, st.sampled_from(["en", "zh"])), _segment),
        "tokenizer": (hostile_text, _tokenizer),
    }


def _runner(strategy: st.SearchStrategy, fn: Callable, run: Run, examples: int,
            seed_value: int) -> Callable[[], None]:
    """A Hypothesis test that feeds ``examples`` inputs to ``fn`` and never stops on a failure."""

    @seed(seed_value)
    @settings(max_examples=examples, deadline=None, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(strategy)
    def body(x: object) -> None:
        run.call(lambda: fn(x), x)

    return body


def fuzz(examples: int, chosen: list[str] | None, seed_value: int) -> list[Run]:
    runs = []
    with tempfile.TemporaryDirectory() as d:
        for name, (strategy, fn) in targets(Path(d)).items():
            if chosen and name not in chosen:
                continue
            run = Run(name)
            start = time.perf_counter()
            _runner(strategy, fn, run, examples, seed_value)()
            run.seconds = time.perf_counter() - start
            runs.append(run)
            print(f"  {name}: {run.tried} inputs, {sum(run.failures.values())} failures, "
                  f"{run.seconds:.0f} s", file=sys.stderr, flush=True)
    return runs


# -- inputs at the size limit -------------------------------------------------------------------

def _huge_cases(n: int) -> dict[str, str]:
    words = ("trade talks and more words on tariffs soybeans and chips ").split()
    return {
        "one line of words, no punctuation": " ".join(words[i % len(words)] for i in range(n // 6))[:n],
        "one repeated letter": "a" * n,
        "one repeated '.'": "." * n,
        "one repeated '('": "(" * n,
        "emoji, no spaces": "\U0001f600" * n,
        "CJK, no punctuation": "中" * n,
        "'((((( <n>' tokens": " ".join(f"((((({i}" for i in range(n // 8))[:n],
        "'trade' on every line": "trade\n" * (n // 6),
        "short sentences": "The two sides discussed trade and fentanyl. " * (n // 44),
        "blank-line paragraphs": "Talks.\n\n" * (n // 8),
    }


def huge(n: int) -> list[tuple[str, str, float, str]]:
    rows = []
    for name, text in _huge_cases(n).items():
        start = time.perf_counter()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                an = analyze(text)
            outcome = f"{an.n_sentences:,} sentences, {len(an.topics)} topic(s)"
        except ReadoutDiffError as exc:
            outcome = f"{type(exc).__name__}: {str(exc)[:70]}"
        rows.append((name, f"{len(text):,}", time.perf_counter() - start, outcome))
        print(f"  {name}: {rows[-1][2]:.1f} s", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "big.txt"
        path.write_bytes(b"trade " * (n // 6) + b"x" * (n - n // 6 * 6 + 1))  # n + 1 bytes
        for label, fn in (("file of limit + 1 bytes", lambda: load_readout(path)),
                          ("text of limit + 1 characters", lambda: analyze("a" * (n + 1)))):
            start = time.perf_counter()
            try:
                fn()
                outcome = "accepted (!)"
            except ReadoutDiffError as exc:
                outcome = f"{type(exc).__name__}: {str(exc).split(': ', 1)[-1][:70]}"
            rows.append((label, f"{n + 1:,}", time.perf_counter() - start, outcome))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=5000, help="inputs per target")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--targets", default="", help="comma-separated target names (default: all)")
    ap.add_argument("--huge", action="store_true", help="also time inputs at the size limit")
    ap.add_argument("--huge-size", type=int, default=2_000_000)
    ap.add_argument("--save", type=Path, help="pickle the failing inputs here, to reproduce them")
    args = ap.parse_args()
    chosen = [t.strip() for t in args.targets.split(",") if t.strip()] or None

    if args.examples:
        start = time.perf_counter()
        runs = fuzz(args.examples, chosen, args.seed)
        total = time.perf_counter() - start
        print(f"\nFuzzing: {args.examples} examples per target, seed {args.seed}, "
              f"{total / 60:.1f} min\n")
        print("| target | inputs tried | refused (ReadoutDiffError) | failures | inputs/s |")
        print("|---|---:|---:|---:|---:|")
        for r in runs:
            print(f"| {r.name} | {r.tried:,} | {r.refused:,} | {sum(r.failures.values())} | "
                  f"{r.tried / max(r.seconds, 1e-9):.0f} |")
        tried = sum(r.tried for r in runs)
        failed = sum(sum(r.failures.values()) for r in runs)
        print(f"| **all** | **{tried:,}** | {sum(r.refused for r in runs):,} | **{failed}** | |")
        for r in runs:
            for kind, count in r.failures.most_common():
                print(f"\n{r.name}: {count} × {kind}\n  e.g. {r.examples[kind]}")
        if args.save:
            import pickle

            args.save.write_bytes(pickle.dumps({r.name: r.inputs for r in runs if r.inputs}))
    if args.huge:
        print(f"\nInputs of {args.huge_size:,} characters (the default limit)\n")
        print("| input | characters | seconds | outcome |")
        print("|---|---:|---:|---|")
        for name, size, secs, outcome in huge(args.huge_size):
            print(f"| {name} | {size} | {secs:.1f} | {outcome} |")


if __name__ == "__main__":
    main()
