"""Many pairs at once: :func:`compare_many` in parallel, :func:`run_batch` into a JSONL file.

The work is cut into chunks of pairs (one task per pair would cost more to send than to
compute); an engine (:mod:`readout_diff.engines`: local processes or a Dask cluster) runs the
chunks, a few more in flight than it has workers, and every pair comes back as one JSON record:
the ``readout-diff/1`` comparison plus ``"pair"``, or an error record
``{"schema": ..., "pair": ..., "error": {"type": ..., "message": ...}}``.

The output file (:func:`run_batch`) is written one whole line per record, appended as pairs
finish, so an interrupted run leaves only whole lines; ``resume=True`` keeps them and does only
the missing pairs. When the run completes the file is rewritten in pair-id order (atomically,
by rename), so it is byte-identical whatever the number of workers or the engine.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence, Union

from .codebook import Codebook
from .engines import Engine, TaskSettings, check_engine, error_line, open_engine
from .errors import InputError, ParameterError, ReadoutDiffError
from .model import SCHEMA, Comparison
from .pairing import Pair, find_pairs

if TYPE_CHECKING:  # pragma: no cover
    from .linker import Linker

__all__ = ["BatchReport", "EngineError", "PairResult", "compare_many", "run_batch", "sort_output"]

#: The most pairs in one task (about half a second of work for a typical readout pair).
MAX_CHUNK = 16
_POLL = 0.2  # seconds between looks at the stop flag while waiting for workers

PairLike = Union[Pair, Sequence[Any]]


@dataclass(frozen=True)
class PairResult:
    """The outcome of one pair: its record as a JSON line (no newline) and whether it succeeded."""

    pair: Pair
    line: str
    ok: bool

    def record(self) -> dict[str, Any]:
        """The record as a dict: a ``readout-diff/1`` comparison plus ``"pair"``, or an error."""
        return json.loads(self.line)

    @property
    def error(self) -> dict[str, str] | None:
        """``{"type": ..., "message": ...}`` for a failed pair, else ``None``."""
        return None if self.ok else self.record()["error"]

    def comparison(self) -> Comparison:
        """The :class:`~readout_diff.model.Comparison` of a pair that succeeded."""
        if not self.ok:
            raise InputError(self.pair.id, f"has no comparison: {self.error['message']}")
        return Comparison.from_dict(self.record())


def compare_many(
    pairs: Iterable[PairLike],
    *,
    workers: int | None = None,
    engine: Union[str, Engine] = "local",
    scheduler: str | None = None,
    codebook: Codebook | str | os.PathLike[str] | None = None,
    lang: str = "auto",
    chunk_size: int | None = None,
    stop: threading.Event | None = None,
    linker: "Linker | str | os.PathLike[str] | None" = "default",
) -> Iterator[PairResult]:
    """Compare many pairs of readout files in parallel; yield each result as it finishes.

    Parameters are checked when it is called; workers start when the first result is asked for.

    ``pairs`` holds :class:`~readout_diff.pairing.Pair` values or ``(a, b)`` path tuples (their
    id is then their position, ``"000000"``, ``"000001"``, ...). ``engine`` is ``"local"``
    (``workers`` processes, default: the cores) or ``"dask"`` (a cluster at ``scheduler``, or a
    ``LocalCluster`` of ``workers`` processes), or an engine already opened with
    :func:`readout_diff.engines.open_engine` (then its codebook, language and linker apply and it
    stays open). ``linker`` is :func:`readout_diff.compare`'s (``None``: the rule aligner).
    Setting ``stop`` ends the run early: finished pairs are yielded, running ones dropped.

    >>> from pathlib import Path
    >>> results = compare_many([(Path("cn.txt"), Path("us.txt"))], workers=1)  # doctest: +SKIP
    >>> [r.record()["scores"]["gap_score"] for r in results]  # doctest: +SKIP
    [0.42]
    """
    todo = [_as_pair(p, i) for i, p in enumerate(pairs)]
    if chunk_size is not None and (isinstance(chunk_size, bool) or not isinstance(chunk_size, int)
                                   or chunk_size < 1):
        raise ParameterError.invalid("chunk_size", "compare_many", "a positive int or None",
                                     chunk_size)
    if isinstance(engine, Engine):
        _check_open_engine(engine, codebook, lang, workers, scheduler, linker)
        return _drive(engine, todo, chunk_size, stop)
    settings = TaskSettings.make(codebook, lang, linker)
    check_engine(engine, workers=workers, scheduler=scheduler)
    return _run_on_new_engine(engine, workers, scheduler, settings, todo, chunk_size, stop)


def _run_on_new_engine(name: str, workers: int | None, scheduler: str | None,
                       settings: TaskSettings, todo: list[Pair], chunk_size: int | None,
                       stop: threading.Event | None) -> Iterator[PairResult]:
    if not todo:  # no engine is started for nothing
        return
    eng = open_engine(name, workers=workers, scheduler=scheduler, settings=settings)
    finished = False
    try:
        yield from _drive(eng, todo, chunk_size, stop)
        finished = not (stop is not None and stop.is_set())
    finally:  # stopped, interrupted or abandoned: running chunks are not waited for
        eng.close(abort=not finished)


def _check_open_engine(engine: Engine, codebook: object, lang: str, workers: int | None,
                       scheduler: str | None, linker: object = "default") -> None:
    if (codebook is not None or lang != "auto" or workers is not None or scheduler is not None
            or not (isinstance(linker, str) and linker == "default")):
        raise ParameterError.invalid("engine", "compare_many",
                                     "a name when codebook, lang, workers, scheduler or linker "
                                     "are given (an open engine has its own)", engine.name)


def _as_pair(p: PairLike, i: int) -> Pair:
    if isinstance(p, Pair):
        return p
    if isinstance(p, (tuple, list)) and len(p) == 2:
        return Pair(f"{i:06d}", str(p[0]), str(p[1]))
    raise ParameterError.invalid("pairs", "compare_many", "Pair values or (a, b) path tuples",
                                 p)


def _chunks(pairs: list[Pair], size: int) -> list[list[tuple[int, Pair]]]:
    indexed = list(enumerate(pairs))
    return [indexed[k:k + size] for k in range(0, len(indexed), size)]


class EngineError(ReadoutDiffError, RuntimeError):
    """The workers cannot compare anything: they fail whatever pair they are given."""


#: Pairs that fail alone, one after the other, before the workers are given up on.
MAX_FAILING_ALONE = 3

Chunk = list[tuple[int, Pair]]


def _drive(engine: Engine, pairs: list[Pair], chunk_size: int | None,
           stop: threading.Event | None) -> Iterator[PairResult]:
    """Run ``pairs`` on ``engine`` in chunks, about two per worker in flight; yield results.

    When a chunk fails as a whole (its worker died: out of memory, a crash), its pairs — and
    those of chunks that died with it — are retried alone, one at a time, so a pair that kills
    its worker is the only one recorded as failed (``WorkerError``). When
    :data:`MAX_FAILING_ALONE` pairs in a row fail alone, the workers themselves are broken:
    :class:`EngineError`, and those pairs are not recorded (a resumed run retries them).
    """
    # About eight chunks per worker: small enough that the last ones finish together.
    size = chunk_size or max(1, min(MAX_CHUNK, len(pairs) // (engine.slots * 8)))
    fresh = deque(_chunks(pairs, size))
    suspects: deque[tuple[int, Pair]] = deque()
    limit = max(2, engine.slots * 2)
    running: dict[Future, tuple[Chunk, bool]] = {}  # chunk, and whether it is a suspect alone
    held: list[PairResult] = []  # suspects that failed alone, until the workers prove sound
    while fresh or suspects or running:
        if suspects:
            if not running:
                chunk = [suspects.popleft()]
                running[engine.submit(chunk)] = (chunk, True)
        else:
            while fresh and len(running) < limit:
                chunk = fresh.popleft()
                running[engine.submit(chunk)] = (chunk, False)
        if stop is not None and stop.is_set():
            return
        done, _ = wait(list(running), timeout=_POLL, return_when=FIRST_COMPLETED)
        for fut in sorted(done, key=lambda f: running[f][0][0][0]):
            chunk, alone = running.pop(fut)
            try:
                results = fut.result()
            except Exception as exc:  # noqa: BLE001 - the worker, not the pair, failed
                if not alone:
                    suspects.extend(chunk)
                    continue
                (i, pair), = chunk
                held.append(PairResult(pair, error_line(
                    pair, "WorkerError", f"the worker comparing {pair.id!r} failed: "
                                         f"{type(exc).__name__}: {exc}"), False))
                if len(held) >= MAX_FAILING_ALONE:
                    raise EngineError(f"the workers fail whatever they are given: "
                                      f"{len(held)} pairs in a row failed alone (last: "
                                      f"{type(exc).__name__}: {exc})") from exc
                continue
            yield from held
            held.clear()
            for i, ok, line in results:
                yield PairResult(pairs[i], line, ok)
    yield from held


# -- the JSONL file ------------------------------------------------------------------------------

@dataclass(frozen=True)
class BatchReport:
    """What :func:`run_batch` did. ``ok`` and ``failed`` count every input pair's record in the
    output, also those a resumed run found there (``skipped``)."""

    pairs: int
    ok: int
    failed: int
    skipped: int
    seconds: float
    interrupted: bool
    output: str

    def summary(self) -> str:
        """One line for people: pairs, ok, failed, time."""
        again = f", {self.skipped} already done" if self.skipped else ""
        line = (f"{self.pairs} pairs{again}, {self.ok} ok, {self.failed} failed, "
                f"{self.seconds:.1f} s")
        if self.interrupted:
            line += (f"; interrupted with {self.pairs - self.ok - self.failed} to go: "
                     "run again with --resume")
        return line


def run_batch(
    inputs: Iterable[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    *,
    resume: bool = False,
    workers: int | None = None,
    engine: Union[str, Engine] = "local",
    scheduler: str | None = None,
    codebook: Codebook | str | os.PathLike[str] | None = None,
    lang: str = "auto",
    chunk_size: int | None = None,
    progress: bool | None = None,
    stop: threading.Event | None = None,
    linker: "Linker | str | os.PathLike[str] | None" = "default",
) -> BatchReport:
    """Compare every pair of ``inputs`` (folders, manifests) into ``output``, one JSON line each.

    ``progress``: a bar on stderr (default: when stderr is a terminal). ``stop``: set it (e.g. from
    a signal handler) to end after the records already finished; the report says
    ``interrupted``. See ``docs/batch.md`` for the pairing rules and the record format.
    """
    started = time.monotonic()
    inputs = [Path(p) for p in inputs]
    pairs = find_pairs(inputs)
    out = Path(output)
    _refuse_inputs(out, inputs, pairs)
    if isinstance(engine, str):  # every option is checked before the output is touched
        settings = TaskSettings.make(codebook, lang, linker)
        check_engine(engine, workers=workers, scheduler=scheduler)
    else:
        _check_open_engine(engine, codebook, lang, workers, scheduler, linker)
    done = _existing(out) if resume else {}
    todo = [p for p in pairs if p.id not in done]
    eng = engine
    if todo and isinstance(engine, str):
        eng = open_engine(engine, workers=workers, scheduler=scheduler, settings=settings)
    counts = {True: sum(done.get(p.id) is True for p in pairs),
              False: sum(done.get(p.id) is False for p in pairs)}
    finished = False
    try:
        if not resume or not out.exists():
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(b"")
        if todo:
            results = compare_many(todo, engine=eng, chunk_size=chunk_size, stop=stop)
            _append(out, results, counts, _progress_bar(len(todo), progress))
        finished = not (stop is not None and stop.is_set())
    finally:
        if eng is not engine:  # opened here: closed here, at once when not finished
            eng.close(abort=not finished)
    interrupted = counts[True] + counts[False] < len(pairs)
    if not interrupted:
        sort_output(out)
    return BatchReport(pairs=len(pairs), ok=counts[True], failed=counts[False],
                       skipped=len(pairs) - len(todo), seconds=time.monotonic() - started,
                       interrupted=interrupted, output=str(out))


def _append(out: Path, results: Iterable[PairResult], counts: dict[bool, int], bar: Any) -> None:
    """Append each result's line to ``out`` as it comes, counting successes and failures."""
    fd = os.open(out, os.O_WRONLY | os.O_APPEND)
    try:
        for result in results:
            _write_whole(fd, (result.line + "\n").encode("utf-8"))
            counts[result.ok] += 1
            if bar is not None:
                bar.update(1)
        os.fsync(fd)
    finally:
        os.close(fd)
        if bar is not None:
            bar.close()


def _refuse_inputs(out: Path, inputs: list[Path], pairs: list[Pair]) -> None:
    from .output import refuse_inputs

    files = [p for p in inputs if p.is_file()]
    files += [Path(x) for p in pairs for x in (p.a, p.b) if x is not None]
    refuse_inputs(out, files)


def _write_whole(fd: int, data: bytes) -> None:
    # One write() per record; signal handlers only set a flag, so a record is never cut short.
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _progress_bar(total: int, progress: bool | None) -> Any:
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress or total == 0:
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # tqdm comes with spaCy; without it, no bar
        return None
    # Shown only once a run has taken a second: short runs stay quiet.
    return tqdm(total=total, unit="pair", file=sys.stderr, dynamic_ncols=True, leave=False,
                delay=1.0)


def _scan(path: Path) -> Iterator[tuple[str, bool, int, int]]:
    """(pair id, ok, offset, length) of each record line of a batch output file.

    A last line without its newline is a record cut short by a crash: it is cut off the file.
    Any other line that is not a batch record means the file is not a batch output: InputError.
    """
    with path.open("rb") as fh:
        offset = 0
        for lineno, raw in enumerate(fh, 1):
            if not raw.endswith(b"\n"):
                _truncate(path, offset)
                return
            if raw.strip():
                yield (*_record_key(raw, path, lineno), offset, len(raw))
            offset += len(raw)


def _truncate(path: Path, size: int) -> None:
    with path.open("r+b") as fh:
        fh.truncate(size)


_OWN_PREFIX = ('{"schema":"%s","pair":' % SCHEMA).encode()
_DECODER = json.JSONDecoder()


def _record_key(raw: bytes, path: Path, lineno: int) -> tuple[str, bool]:
    """The pair id of a record line and whether it succeeded.

    Lines this module wrote start with the schema and the small ``pair`` object, so only that
    object is decoded (a record may be tens of kilobytes); any other line is parsed whole.
    """
    try:
        if raw.startswith(_OWN_PREFIX):
            text = raw.decode("utf-8")
            pair, end = _DECODER.raw_decode(text, len(_OWN_PREFIX))
            pid, ok = pair["id"], not text.startswith(',"error":', end)
        else:
            rec = json.loads(raw)
            if rec.get("schema") != SCHEMA:
                raise TypeError
            pid, ok = rec["pair"]["id"], "error" not in rec
        if not isinstance(pid, str):
            raise TypeError
    except (ValueError, TypeError, KeyError, AttributeError):
        raise InputError(path, f"line {lineno} is not a readout-diff batch record; refusing to "
                               "resume into (or rewrite) this file") from None
    return pid, ok


def _existing(path: Path) -> dict[str, bool]:
    """Pair ids already in ``path`` (a batch output), and whether each succeeded (by its last
    record, the one the file keeps when sorted)."""
    if not path.exists():
        return {}
    return {pid: ok for pid, ok, _, _ in _scan(path)}


def sort_output(path: str | os.PathLike[str]) -> bool:
    """Rewrite a batch output in pair-id order, one record per id; True if rewritten.

    A pair written twice (outputs joined, a re-run appended) keeps its last record, as
    :func:`_existing`, ``summarize`` and the HTML site read it.

    Only an index of offsets is held in memory; the lines are copied through a temporary file
    that is renamed into place, so a reader never sees a half-sorted file.
    """
    path = Path(path)
    index = [(pid, offset, length) for pid, _, offset, length in _scan(path)]
    ordered = sorted({pid: (pid, o, n) for pid, o, n in index}.values())  # the last per id
    if ordered == index:
        return False
    from .output import atomic_writer

    with atomic_writer(path) as dst, path.open("rb") as src:
        for _, offset, length in ordered:
            src.seek(offset)
            dst.write(src.read(length))
    return True
