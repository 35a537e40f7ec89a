"""Turning batch inputs into pairs of readouts: event folders and manifests.

A batch INPUT is one of:

- **an event folder** — a folder that directly holds readout files (``cn.txt``, ``us.md``, ...):
  one pair. It must hold exactly two; their file stems are the labels. ``meta.json`` and
  ``gold.json`` beside them are sidecars, not readouts, and sub-folders (``renderings/``) are
  never searched.
- **a folder of event folders** — every sub-folder that holds readout files or a ``meta.json`` is
  an event folder; folders with neither are searched further (``corpora/`` → ``en/`` → events),
  hidden folders (``.git``) are skipped and an empty leaf folder is a pair with no readouts. An
  INPUT folder with neither readouts nor sub-folders is an error.
- **a manifest** — a ``.csv`` (with a header) or ``.jsonl`` file with ``id``, ``a``, ``b`` and
  optional ``label_a``, ``label_b``, ``date``; paths are relative to the manifest's folder.

Side a and side b: ``meta.json`` may name them (``"a": "cn", "b": "us"``, by label); otherwise
side a is the first readout by file name. ``meta.json``'s ``date`` becomes the pair's date.

A pair that cannot be formed (one or three readouts, a ``meta.json`` naming a missing label, two
readouts with one stem) is still returned, with its ``problem`` set: the batch writes an error
record for it so every input is accounted for. A manifest that cannot be read at all, a row
without an ``id``, or two pairs with one ``id`` stop the batch before any work, with an
:class:`~readout_diff.errors.InputError` naming the file and line.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from .errors import InputError
from .readers import iter_readout_files

__all__ = ["MANIFEST_SUFFIXES", "Pair", "PairingError", "find_pairs"]

#: Manifest formats, by file suffix.
MANIFEST_SUFFIXES = (".csv", ".jsonl")

_META = "meta.json"
_COLUMNS = ("id", "a", "b", "label_a", "label_b", "date")


class PairingError(InputError):
    """An input could not be made into one pair of readouts (recorded per pair by a batch)."""


@dataclass(frozen=True)
class Pair:
    """Two readout files to compare, and where they came from.

    ``id`` is unique within a batch and orders its output; ``source`` is the event folder or
    ``manifest:line`` the pair came from; ``problem`` says why the pair could not be formed
    (then ``a``/``b`` may be ``None``).
    """

    id: str
    a: str | None
    b: str | None
    label_a: str | None = None
    label_b: str | None = None
    date: str | None = None
    source: str | None = None
    problem: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The ``"pair"`` object of a batch record."""
        return {"id": self.id, "a": self.a, "b": self.b, "label_a": self.label_a,
                "label_b": self.label_b, "date": self.date, "source": self.source}


def find_pairs(inputs: Iterable[str | os.PathLike[str]]) -> list[Pair]:
    """All pairs of ``inputs`` (folders and manifests), sorted by id; ids must be unique.

    >>> [p.id for p in find_pairs(["corpora/en"])][:1]  # doctest: +SKIP
    ['en/2021-09-09_biden-xi-phone-call']
    """
    by_id: dict[str, Pair] = {}
    for item in inputs:
        for pair in _pairs_of(Path(item)):
            seen = by_id.get(pair.id)
            if seen is not None and seen != pair:
                raise InputError(pair.source or pair.id,
                                 f"pair id {pair.id!r} is also given by {seen.source}; "
                                 "pair ids must be unique")
            by_id[pair.id] = pair
    return [by_id[k] for k in sorted(by_id)]


def _pairs_of(path: Path) -> Iterator[Pair]:
    if path.is_dir():
        name = path.resolve().name or str(path)
        if _is_event_folder(path):
            yield _folder_pair(path, name)
            return
        found = list(_walk(path, name, set()))
        if not found:
            raise InputError(path, "holds no readouts and no event folders")
        yield from found
    elif path.is_file():
        if path.suffix.lower() not in MANIFEST_SUFFIXES:
            raise InputError(path, "is neither a folder nor a manifest (expected a folder of "
                                   f"event folders, or a {' or '.join(MANIFEST_SUFFIXES)} file)")
        yield from _manifest(path)
    else:
        raise InputError(path, "no such file or folder")


def _is_event_folder(folder: Path) -> bool:
    return (folder / _META).is_file() or next(iter_readout_files(folder), None) is not None


def _walk(folder: Path, prefix: str, seen: set[Path]) -> Iterator[Pair]:
    real = folder.resolve()
    if real in seen:  # a symlink loop
        return
    seen.add(real)
    subs = [p for p in sorted(folder.iterdir()) if p.is_dir() and not p.name.startswith(".")]
    for sub in subs:
        pid = f"{prefix}/{sub.name}"
        if _is_event_folder(sub):
            yield _folder_pair(sub, pid)
        elif any(p.is_dir() and not p.name.startswith(".") for p in sub.iterdir()):
            yield from _walk(sub, pid, seen)
        else:
            yield _folder_pair(sub, pid)  # an empty event folder: an error record says so


def _folder_pair(folder: Path, pid: str) -> Pair:
    files = list(iter_readout_files(folder))
    try:
        meta = _read_meta(folder)
        a, b = _sides(folder, files, meta)
    except PairingError as exc:
        return Pair(pid, None, None, source=str(folder), problem=exc.problem)
    date = meta.get("date")
    return Pair(pid, str(a), str(b), label_a=a.stem, label_b=b.stem,
                date=None if date is None else str(date), source=str(folder))


def _read_meta(folder: Path) -> Mapping[str, Any]:
    path = folder / _META
    if not path.is_file():
        return {}
    try:
        meta = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PairingError(folder, f"{_META} cannot be read as JSON ({exc})") from None
    if not isinstance(meta, dict):
        raise PairingError(folder, f"{_META} must hold a JSON object, got {type(meta).__name__}")
    return meta


def _sides(folder: Path, files: list[Path], meta: Mapping[str, Any]) -> tuple[Path, Path]:
    names = [p.name for p in files]
    if len(files) != 2:
        raise PairingError(folder, f"holds {len(files)} readout(s) {names}; an event folder "
                                   "holds exactly two")
    by_label = {p.stem: p for p in files}
    if len(by_label) != 2:
        raise PairingError(folder, f"its two readouts {names} share one label (file stem)")
    wanted = [meta.get("a"), meta.get("b")]
    for side, label in zip("ab", wanted):
        if label is not None and label not in by_label:
            raise PairingError(folder, f"{_META} names {label!r} as side {side}, but the "
                                       f"readouts' labels are {sorted(by_label)}")
    first, second = files
    if wanted[0] is not None:
        first = by_label[wanted[0]]
        second = next(p for p in files if p is not first)
    elif wanted[1] is not None:
        second = by_label[wanted[1]]
        first = next(p for p in files if p is not second)
    if first == second:
        raise PairingError(folder, f"{_META} names {wanted[0]!r} as both sides")
    return first, second


# -- manifests -----------------------------------------------------------------------------------

def _manifest(path: Path) -> Iterator[Pair]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"the manifest cannot be read ({exc})") from None
    rows = _csv_rows(path, text) if path.suffix.lower() == ".csv" else _jsonl_rows(path, text)
    for line, row in rows:
        yield _manifest_pair(path, line, row)


def _csv_rows(path: Path, text: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in _COLUMNS[:3] if c not in (reader.fieldnames or ())]
    if missing:
        raise InputError(path, f"the manifest's header must name the columns id, a, b; "
                               f"missing {missing} in {reader.fieldnames or []}")
    for row in reader:
        if any((v or "").strip() for k, v in row.items() if k is not None):
            yield reader.line_num, row


def _jsonl_rows(path: Path, text: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
    for line, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"line {line} is not valid JSON ({exc.msg})") from None
        if not isinstance(row, dict):
            raise InputError(path, f"line {line} must be a JSON object with id, a, b; "
                                   f"got {type(row).__name__}")
        yield line, row


def _manifest_pair(path: Path, line: int, row: Mapping[str, Any]) -> Pair:
    where = f"{path}:{line}"
    values = {k: row.get(k) for k in _COLUMNS}
    for k, v in values.items():
        if v is not None and not isinstance(v, (str, int, float)):
            raise InputError(where, f"{k!r} must be a string, got {type(v).__name__}")
    values = {k: (str(v).strip() or None) if v is not None else None for k, v in values.items()}
    pid = values["id"]
    if pid is None:
        raise InputError(where, "the row has no 'id'")
    problems = [f"the row has no path for side {s!r}" for s in "ab" if values[s] is None]
    if problems:
        return Pair(pid, None, None, source=where, problem="; ".join(problems))
    a, b = (str(path.parent / values[s]) for s in "ab")
    return Pair(pid, a, b, label_a=values["label_a"], label_b=values["label_b"],
                date=values["date"], source=where)
