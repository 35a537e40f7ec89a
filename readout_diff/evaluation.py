"""Scoring readout_diff against gold annotations (the corpus format of ``corpora/README.md``).

Used by ``benchmarks/accuracy.py``, and by anyone who annotates their own readouts: a folder of
pair folders, each with two readouts and a ``gold.json``. Everything here is plain counting;
the tests check it on hand-made cases with known precision, recall and F1.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from .errors import InputError

__all__ = ["GoldPair", "PRF", "Tally", "evaluate_corpus", "find_gold_pairs", "prf"]


@dataclass(frozen=True)
class PRF:
    """Precision, recall, F1 and support (gold count) of one id or one aggregate."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        if self.tp == 0:
            return 0.0 if (self.fp or self.fn) else 1.0
        return 2 * p * r / (p + r)

    def __add__(self, other: "PRF") -> "PRF":
        """Counts pooled (micro-averaging): ``sum(results, PRF(0, 0, 0))``."""
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def support(self) -> int:
        return self.tp + self.fn

    def to_dict(self) -> dict[str, float]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "support": self.support, "tp": self.tp, "fp": self.fp,
                "fn": self.fn}


def prf(predicted: Iterable[Any], gold: Iterable[Any]) -> PRF:
    """Set-based P/R/F1 of one prediction against its gold.

    >>> p = prf({"trade", "taiwan"}, {"trade", "fentanyl"})
    >>> (p.tp, p.fp, p.fn), round(p.f1, 2)
    ((1, 1, 1), 0.5)
    """
    pred, gold = set(predicted), set(gold)
    return PRF(len(pred & gold), len(pred - gold), len(gold - pred))


@dataclass
class Tally:
    """Counts per id (and in total) over many predictions."""

    per_id: dict[str, Counter] = field(default_factory=dict)

    def add(self, predicted: Iterable[str], gold: Iterable[str]) -> None:
        pred, gold = set(predicted), set(gold)
        for k in pred | gold:
            c = self.per_id.setdefault(k, Counter())
            c["tp"] += k in pred and k in gold
            c["fp"] += k in pred and k not in gold
            c["fn"] += k in gold and k not in pred

    def of(self, key: str) -> PRF:
        c = self.per_id.get(key, Counter())
        return PRF(c["tp"], c["fp"], c["fn"])

    def micro(self) -> PRF:
        return PRF(sum(c["tp"] for c in self.per_id.values()),
                   sum(c["fp"] for c in self.per_id.values()),
                   sum(c["fn"] for c in self.per_id.values()))

    def macro_f1(self) -> float:
        ids = [k for k in self.per_id if self.of(k).support or self.of(k).fp]
        return sum(self.of(k).f1 for k in ids) / len(ids) if ids else 1.0


@dataclass(frozen=True)
class GoldPair:
    """One annotated pair: its folder, the two readout files and the gold annotation."""

    folder: Path
    path_a: Path
    path_b: Path
    gold: Mapping[str, Any]

    @property
    def label_a(self) -> str:
        return str(self.gold["a"])

    @property
    def label_b(self) -> str:
        return str(self.gold["b"])


def _readout_file(folder: Path, label: str) -> Path:
    """The readout named ``label`` in ``folder``, or in its parent: a ``renderings/`` folder
    holds only the rendered side and shares the other side with the pair above it."""
    for where in (folder, folder.parent):
        for suffix in (".txt", ".md", ".html", ".json"):
            p = where / f"{label}{suffix}"
            if p.exists():
                return p
    raise InputError(folder, f"has no readout named {label!r} (.txt/.md/.html/.json)")


def find_gold_pairs(root: str | Path, *, exclude: tuple[str, ...] = ()) -> Iterator[GoldPair]:
    """Every folder under ``root`` with a ``gold.json`` naming sides ``a`` and ``b``, sorted;
    folders below a directory named in ``exclude`` (e.g. ``"heldout"``) are left out."""
    root = Path(root)
    for gold_path in sorted(root.rglob("gold.json")):
        if any(part in exclude for part in gold_path.relative_to(root).parts[:-1]):
            continue
        try:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise InputError(gold_path, f"unreadable gold ({exc})") from None
        folder = gold_path.parent
        yield GoldPair(folder, _readout_file(folder, gold["a"]), _readout_file(folder, gold["b"]),
                       gold)


def evaluate_corpus(root: str | Path, *, codebook: Any = None,
                    exclude: tuple[str, ...] = (), linker: Any = "default") -> dict[str, Any]:
    """Run :func:`readout_diff.compare` on every gold pair under ``root`` and score each stage.

    Returns a JSON-ready dict, also split by language (``by_lang``): per-id and micro/macro
    P/R/F1 of topics and frames, negation, attribution, alignment (strict links) and unaligned
    sentences, sentence-count agreement, and the share of pairs whose one-sided topic lists
    (only_a / only_b) are exactly right. ``linker`` is passed to :func:`readout_diff.compare`
    (``None``: the rule aligner).
    """
    from .pipeline import compare
    from .readers import load_readout

    groups: dict[str, dict[str, Any]] = {}

    def group(lang: str) -> dict[str, Any]:
        return groups.setdefault(lang, {
            "topics": Tally(), "frames": Tally(), "negation": Tally(), "speakers": Counter(),
            "align": Counter(), "unaligned": Counter(), "sent_counts": Counter(),
            "gaps_exact": Counter(), "pairs": 0, "sides": 0, "errors": [],
        })

    for pair in find_gold_pairs(root, exclude=exclude):
        ra = load_readout(pair.path_a, label=pair.label_a)
        rb = load_readout(pair.path_b, label=pair.label_b)
        c = compare(ra, rb, codebook=codebook, linker=linker)
        sides = pair.gold["sides"]
        for name, an in ((pair.label_a, c.a), (pair.label_b, c.b)):
            g = sides[name]
            for key in (an.lang, "all"):
                grp = group(key)
                grp["sides"] += 1
                grp["topics"].add(an.topics, g.get("topics", ()))
                grp["frames"].add(an.frames, g.get("frames", ()))
                grp["negation"].add(an.negated_topics, g.get("negated_topics", ()))
                same_count = an.n_sentences == g.get("n_sentences", an.n_sentences)
                grp["sent_counts"]["match" if same_count else "differ"] += 1
                if same_count:
                    for idx, speaker in g.get("speakers", ()):
                        grp["speakers"]["correct" if an.sentences[idx].speaker == speaker
                                        else "wrong"] += 1
        lang = c.a.lang if c.a.lang == c.b.lang else f"{c.a.lang}-{c.b.lang}"
        ga, gb = set(sides[pair.label_a]["topics"]), set(sides[pair.label_b]["topics"])
        exact = set(c.gaps.only_a) == ga - gb and set(c.gaps.only_b) == gb - ga
        counts_ok = (c.a.n_sentences == sides[pair.label_a].get("n_sentences")
                     and c.b.n_sentences == sides[pair.label_b].get("n_sentences"))
        for key in (lang, "all"):
            grp = group(key)
            grp["pairs"] += 1
            grp["gaps_exact"]["exact" if exact else "not"] += 1
            if "alignment" in pair.gold and counts_ok:
                gold_links = {tuple(x) for x in pair.gold["alignment"]}
                pred_links = {(link.a, link.b) for link in c.alignment.links}
                r = prf(pred_links, gold_links)
                grp["align"].update(tp=r.tp, fp=r.fp, fn=r.fn)
                for side, n, pred_un in (("a", c.a.n_sentences, c.alignment.unaligned_a),
                                         ("b", c.b.n_sentences, c.alignment.unaligned_b)):
                    linked = {x[0] if side == "a" else x[1] for x in gold_links}
                    gold_un = {i for i in range(n) if i not in linked}
                    u = prf(pred_un, gold_un)
                    grp["unaligned"].update(tp=u.tp, fp=u.fp, fn=u.fn)
            elif "alignment" in pair.gold:
                grp["errors"].append(f"{pair.folder.name}: sentence counts differ from gold; "
                                     "alignment not scored")
    return {lang: _summarise(g) for lang, g in sorted(groups.items())}


def _summarise(g: dict[str, Any]) -> dict[str, Any]:
    def counter_prf(c: Counter) -> PRF:
        return PRF(c["tp"], c["fp"], c["fn"])

    speakers = g["speakers"]
    n_spk = speakers["correct"] + speakers["wrong"]
    return {
        "pairs": g["pairs"],
        "sides": g["sides"],
        "topics": {"micro": g["topics"].micro().to_dict(), "macro_f1": round(g["topics"].macro_f1(), 4),
                   "per_id": {k: g["topics"].of(k).to_dict() for k in sorted(g["topics"].per_id)}},
        "frames": {"micro": g["frames"].micro().to_dict(), "macro_f1": round(g["frames"].macro_f1(), 4),
                   "per_id": {k: g["frames"].of(k).to_dict() for k in sorted(g["frames"].per_id)}},
        "negation": g["negation"].micro().to_dict(),
        "attribution": {"accuracy": round(speakers["correct"] / n_spk, 4) if n_spk else None,
                        "n": n_spk},
        "alignment": counter_prf(g["align"]).to_dict(),
        "unaligned": counter_prf(g["unaligned"]).to_dict(),
        "sentence_counts": dict(g["sent_counts"]),
        "gaps_exact": round(g["gaps_exact"]["exact"] / g["pairs"], 4) if g["pairs"] else None,
        "notes": g["errors"],
    }
