"""Check that a change to the implementation left the results alone: dump, then compare.

    PYTHONPATH=$PWD python benchmarks/same_results.py dump DIR    # before the change
    PYTHONPATH=$PWD python benchmarks/same_results.py check DIR   # after it: exit 1 on a change

Dumps ``compare(...).to_json()`` of every corpus pair under ``corpora/`` (and of each Chinese
pair's English rendering against the US readout), of 20 seeded pairs of real readouts from
``../shared/data/wh-readouts`` and of two long readouts made of 20 of them each, and the JSON
and text reports of ``analyze`` for five of them. ``check`` dumps again to a temporary folder
and compares byte for byte.
"""

from __future__ import annotations

import filecmp
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _texts import ROOT, wh_files  # noqa: E402


def dump(out: Path) -> int:
    from readout_diff import analyze, compare, load_readout
    from readout_diff.report import render

    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for pair in sorted(p for p in (ROOT / "corpora").glob("*/*") if p.is_dir()):
        files = {f.stem: f for f in pair.iterdir() if f.suffix in (".txt", ".md")}
        if "cn" not in files or "us" not in files:
            continue
        us = load_readout(files["us"])
        (out / f"{pair.parent.name}_{pair.name}.json").write_text(
            compare(load_readout(files["cn"]), us).to_json())
        n += 1
        rendering = pair / "renderings" / "cn.txt"
        if rendering.exists():
            (out / f"{pair.parent.name}_{pair.name}_rendering.json").write_text(
                compare(load_readout(rendering), us).to_json())
            n += 1
    files = wh_files()
    if files:
        sample = random.Random(3).sample(files, 40)
        for k, (x, y) in enumerate(zip(sample[::2], sample[1::2])):
            (out / f"wh_{k:02d}.json").write_text(
                compare(load_readout(x), load_readout(y)).to_json())
            n += 1
        long_a = "\n\n".join(load_readout(f).text for f in sample[:20])
        long_b = "\n\n".join(load_readout(f).text for f in sample[20:])
        (out / "wh_long.json").write_text(compare(long_a, long_b).to_json())
        for f in sample[:5]:
            a = analyze(load_readout(f))
            (out / f"analyze_{f.stem[:40]}.txt").write_text(render(a, "json") + render(a, "text"))
        n += 6
    return n


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] not in ("dump", "check"):
        print(__doc__)
        return 2
    target = Path(args[1])
    if args[0] == "dump":
        print(f"{dump(target)} files in {target}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        n = dump(Path(tmp))
        cmp = filecmp.dircmp(target, tmp)
        changed = cmp.diff_files + cmp.left_only + cmp.right_only
        # dircmp compares shallowly (size and time); compare the contents.
        changed += [f for f in cmp.same_files
                    if (target / f).read_bytes() != (Path(tmp) / f).read_bytes()]
    if changed:
        print(f"{len(changed)} of {n} results changed: {sorted(changed)[:10]}")
        return 1
    print(f"all {n} results byte-identical")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
