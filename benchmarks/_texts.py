"""Texts for the performance benchmarks: real White House readouts when present, else synthetic.

``../shared/data/wh-readouts`` (1,397 real US readouts, CC0) gives realistic prose at every size;
without it a seeded generator writes readout-like sentences from templates written for this
script, so the benchmarks still run (their numbers then say "synthetic").
"""

from __future__ import annotations

import random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WH = ROOT.parent / "shared" / "data" / "wh-readouts"

_LEADERS = ["President Alvarez", "Prime Minister Okafor", "Chancellor Lindqvist", "President Tanaka",
            "Foreign Minister Haddad", "Secretary Moreau", "Premier Kovac", "Minister Rahman"]
_TOPICS = ["trade and investment", "the war in Ukraine", "fentanyl trafficking", "climate finance",
           "maritime security in the South China Sea", "export controls on chips",
           "the situation in the Middle East", "nuclear non-proliferation", "tariffs on steel",
           "people-to-people exchanges", "agricultural purchases", "cyber security",
           "Taiwan", "North Korea's missile launches", "energy security", "public health"]
_VERBS = ["discussed", "stressed", "raised", "welcomed progress on", "expressed concern about",
          "reaffirmed cooperation on", "agreed to continue talks on", "underscored the importance of"]
_OPENERS = ["Today,", "During the call,", "In the meeting,", "The two leaders noted that", "Both sides",
            "The President also", "Separately,", "The officials"]


def code_root() -> Path:
    """The folder holding the readout_diff package this process imports (``PYTHONPATH``), so
    subprocesses measure the same code."""
    import readout_diff

    return Path(readout_diff.__file__).resolve().parent.parent


def synthetic_sentence(rng: random.Random) -> str:
    who = rng.choice(_LEADERS)
    s = f"{rng.choice(_OPENERS)} {who} {rng.choice(_VERBS)} {rng.choice(_TOPICS)}"
    if rng.random() < 0.5:
        s += f" and {rng.choice(_TOPICS)}"
    if rng.random() < 0.3:
        s += f", and said the two sides would meet again in {rng.randint(2026, 2030)}"
    return s + "."


def synthetic_readout(rng: random.Random, n_sentences: int) -> str:
    paras, sent = [], []
    for _ in range(n_sentences):
        sent.append(synthetic_sentence(rng))
        if len(sent) >= rng.randint(2, 5):
            paras.append(" ".join(sent))
            sent = []
    if sent:
        paras.append(" ".join(sent))
    return "\n\n".join(paras) + "\n"


def wh_files() -> list[Path]:
    if not WH.is_dir():
        return []
    return sorted(f for f in WH.rglob("*.md") if not f.name.upper().startswith("README"))


def pairs(n: int, seed: int) -> tuple[list[tuple[object, object]], str]:
    """``n`` pairs of Readouts (seeded) and the name of their source."""
    from readout_diff import Readout, load_readout

    rng = random.Random(seed)
    files = wh_files()
    if len(files) >= 2 * n:
        chosen = rng.sample(files, 2 * n)
        rs = [load_readout(f) for f in chosen]
        return list(zip(rs[::2], rs[1::2])), f"wh-readouts ({len(files)} files, seed {seed})"
    rs = [Readout(synthetic_readout(rng, rng.randint(3, 20)), label=f"s{i}", lang="en")
          for i in range(2 * n)]
    return list(zip(rs[::2], rs[1::2])), f"synthetic (seed {seed}; wh-readouts absent)"


def paragraphs(seed: int) -> tuple[list[list[str]], str]:
    """Real paragraphs (each a list of its sentences), shuffled with ``seed``."""
    from readout_diff import load_readout
    from readout_diff.segment import split_sentences

    files = wh_files()
    if not files:
        return [], "synthetic"
    rng = random.Random(seed)
    out = []
    for f in files:
        text = load_readout(f).text
        for para in text.split("\n\n"):
            para = " ".join(para.split())
            sents = [para[s:e] for s, e in split_sentences(para)]
            if sents:
                out.append(sents)
    rng.shuffle(out)
    return out, f"wh-readouts paragraphs (seed {seed})"


def long_pair(n_sentences: int, seed: int, *, shared: float = 0.5) -> tuple[str, str, str]:
    """Two readouts of about ``n_sentences`` sentences each, a share ``shared`` of b's paragraphs
    taken from a's (two accounts of one event repeat each other), the rest from elsewhere."""
    rng = random.Random(seed)
    paras, source = paragraphs(seed)
    if not paras:
        a = synthetic_readout(rng, n_sentences)
        b = synthetic_readout(rng, n_sentences)
        return a, b, f"synthetic (seed {seed}; wh-readouts absent)"

    def take(pool: list[list[str]], k: int) -> list[list[str]]:
        out, n = [], 0
        while n < k:
            p = pool[rng.randrange(len(pool))]
            p = p[: k - n]
            out.append(p)
            n += len(p)
        return out

    half = len(paras) // 2
    pa = take(paras[:half], n_sentences)
    n_shared = int(round(shared * n_sentences))
    pb = take(pa, n_shared) if n_shared else []
    pb += take(paras[half:], n_sentences - sum(len(p) for p in pb))
    rng.shuffle(pb)
    join = lambda ps: "\n\n".join(" ".join(p) for p in ps) + "\n"  # noqa: E731
    return join(pa), join(pb), source
