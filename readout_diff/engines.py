"""Where batch work runs: the task that workers execute and a small registry of engines.

An engine runs :func:`compare_chunk` — a plain function in this importable module, so a task
pickles as a reference plus a few pairs, never a loaded pipeline — on its workers and hands back
one :class:`concurrent.futures.Future` per chunk. Each worker process gets the run's
:class:`TaskSettings` once (by a process-pool initializer, or a Dask worker plugin), builds the
spaCy pipeline and compiles the codebook then, and looks the settings up by a short token in
every task.

Engines are registered by name as ``"module:Class"`` and imported on first use, so the optional
Dask extra is imported only by those who ask for it:

- ``local`` — :class:`LocalEngine`, a pool of ``workers`` processes on this machine;
- ``dask`` — :class:`readout_diff.engine_dask.DaskEngine`, a Dask ``distributed`` cluster (a
  ``LocalCluster`` when no scheduler address is given).
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import multiprocessing
import os
import signal
import threading
import uuid
import warnings
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

from .codebook import Codebook
from .errors import ParameterError, ReadoutDiffError
from .language import resolve_language
from .model import SCHEMA
from .pairing import Pair

if TYPE_CHECKING:  # pragma: no cover
    from .linker import Linker

__all__ = [
    "ENGINES",
    "Chunk",
    "Engine",
    "LocalEngine",
    "TaskSettings",
    "check_engine",
    "compare_chunk",
    "default_workers",
    "engine_names",
    "error_line",
    "open_engine",
    "register_engine",
]

#: A chunk of work: pairs with their positions in the batch.
Chunk = Sequence[tuple[int, Pair]]
#: What a chunk gives back: per pair its position, whether it succeeded, and its JSON record.
ChunkResult = list[tuple[int, bool, str]]

ENGINES: dict[str, str] = {
    "local": "readout_diff.engines:LocalEngine",
    "dask": "readout_diff.engine_dask:DaskEngine",
}


def register_engine(name: str, target: str) -> None:
    """Register an engine class by ``"module:Class"`` (a small registry, no if/elif on names)."""
    ENGINES[name] = target


def engine_names() -> tuple[str, ...]:
    return tuple(sorted(ENGINES))


def default_workers() -> int:
    """The machine's cores (the CPUs this process may run on)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class TaskSettings:
    """What every pair of a run is compared with: the codebook (``None``: the shipped one) and
    the language (``"auto"``, ``"en"`` or ``"zh"``)."""

    codebook: Codebook | None = None
    lang: str = "auto"
    #: ``"default"`` (the shipped linker, loaded by each worker), a loaded
    #: :class:`~readout_diff.linker.Linker`, or None for the rule aligner.
    linker: "Linker | str | None" = "default"

    @classmethod
    def make(cls, codebook: Codebook | str | os.PathLike[str] | None, lang: str,
             linker: "Linker | str | os.PathLike[str] | None" = "default") -> "TaskSettings":
        if isinstance(codebook, (str, os.PathLike)):
            codebook = Codebook.load(codebook)
        if codebook is not None and not isinstance(codebook, Codebook):
            raise ParameterError.invalid("codebook", "compare_many", "a Codebook, a path or None",
                                         type(codebook).__name__)
        resolve_language(lang, "", func="compare_many")  # a bad name fails before any worker
        if codebook is not None:  # ship the rules, not matchers compiled in this process
            codebook = dataclasses.replace(codebook, _compiled={})
        if not (linker is None or (isinstance(linker, str) and linker == "default")):
            from .linker import resolve_linker

            linker = resolve_linker(linker)  # a bad file fails here, before any worker starts
        return cls(codebook=codebook, lang=lang, linker=linker)


# -- the worker side -----------------------------------------------------------------------------

_SETTINGS: dict[str, TaskSettings] = {}
_WARM_UP = "The two sides met. They discussed trade."
# spaCy pipelines are not made for concurrent calls: threads of one worker process take turns.
_COMPUTE = threading.Lock()


def install(token: str, settings: TaskSettings) -> None:
    """Make ``settings`` known to this process under ``token`` and build the pipeline now."""
    _SETTINGS[token] = settings
    from .nlp import languages
    from .pipeline import compare

    langs = languages() if settings.lang == "auto" else (settings.lang,)
    with _COMPUTE:
        for lang in langs:
            try:  # one tiny comparison loads everything a first pair would (pipeline, matchers,
                # the aligner's libraries), so the first real pair costs what every pair does
                compare(_WARM_UP, _WARM_UP, codebook=settings.codebook, lang=lang,
                        linker=settings.linker)
            except ReadoutDiffError:  # a pair in this language will report it
                pass


def uninstall(token: str) -> None:
    _SETTINGS.pop(token, None)


def _init_local_worker(token: str, settings: TaskSettings) -> None:
    # Ctrl-C reaches the whole process group: the parent decides what stops, workers carry on
    # until it terminates them, so no record is cut short by a worker's KeyboardInterrupt.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    install(token, settings)


def compare_chunk(chunk: Chunk, token: str) -> ChunkResult:
    """Compare each pair of ``chunk`` with the settings installed under ``token``.

    Every pair gives a record: a failure (unreadable, empty, binary, a folder that is not a
    pair) becomes an error record, so one bad pair never costs the rest of the chunk.
    """
    settings = _SETTINGS.get(token)
    if settings is None:
        raise RuntimeError(f"no batch settings installed under {token!r} in process {os.getpid()}")
    with _COMPUTE:
        return [(i, *compare_pair(pair, settings)) for i, pair in chunk]


def compare_pair(pair: Pair, settings: TaskSettings) -> tuple[bool, str]:
    """One batch record (JSON text, one line) for ``pair``, and whether it succeeded."""
    from .pairing import PairingError
    from .pipeline import compare
    from .readers import load_readout

    if pair.problem is not None:
        return False, error_line(pair, PairingError.__name__, f"{pair.source}: {pair.problem}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            a = load_readout(pair.a, label=pair.label_a, lang=settings.lang)
            b = load_readout(pair.b, label=pair.label_b, lang=settings.lang)
            result = compare(a, b, codebook=settings.codebook, lang=settings.lang,
                             linker=settings.linker)
        except Exception as exc:  # noqa: BLE001 - every failure is recorded, never raised
            return False, error_line(pair, type(exc).__name__, str(exc))
    record = {"schema": SCHEMA, "pair": pair.to_dict()}
    record.update(result.to_dict())
    notes = sorted({str(w.message) for w in caught})
    if notes:
        record["warnings"] = notes
    return True, _dumps(record)


def error_line(pair: Pair, type_: str, message: str) -> str:
    """The error record of a pair that could not be compared."""
    return _dumps({"schema": SCHEMA, "pair": pair.to_dict(),
                   "error": {"type": type_, "message": message}})


def _dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


# -- engines -------------------------------------------------------------------------------------

class Engine:
    """Runs chunks on workers. Use as a context manager; ``close(abort=True)`` stops at once.

    ``slots`` is how many chunks can run at the same time (the batch keeps about twice that
    many in flight so no worker waits for the parent).
    """

    name = "engine"
    slots = 1

    def __init__(self, *, workers: int, scheduler: str | None, settings: TaskSettings) -> None:
        self.workers = workers
        self.scheduler = scheduler
        self.settings = settings
        self.token = uuid.uuid4().hex

    @classmethod
    def check(cls, scheduler: str | None) -> None:
        """Raise ParameterError when this engine cannot take ``scheduler``."""

    def submit(self, chunk: Chunk) -> Future:
        raise NotImplementedError

    def close(self, *, abort: bool = False) -> None:
        raise NotImplementedError

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self.close(abort=exc_type is not None)


class LocalEngine(Engine):
    """Worker processes on this machine, started with ``spawn`` (no threads or state of the
    parent are forked into them). One worker is a thread of this process instead: a second
    process would only add its start-up and the pickling, not speed."""

    name = "local"

    @classmethod
    def check(cls, scheduler: str | None) -> None:
        if scheduler is not None:
            raise ParameterError.invalid("scheduler", "compare_many",
                                         "None with engine='local' (a scheduler is for 'dask')",
                                         scheduler)

    def __init__(self, *, workers: int, scheduler: str | None, settings: TaskSettings) -> None:
        self.check(scheduler)
        super().__init__(workers=workers, scheduler=scheduler, settings=settings)
        self.slots = workers
        self._pool = self._start()

    def _start(self) -> Executor:
        if self.workers == 1:
            return ThreadPoolExecutor(max_workers=1, thread_name_prefix="readout-diff-batch",
                                      initializer=install, initargs=(self.token, self.settings))
        return ProcessPoolExecutor(max_workers=self.workers,
                                   mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_init_local_worker,
                                   initargs=(self.token, self.settings))

    def submit(self, chunk: Chunk) -> Future:
        from concurrent.futures import BrokenExecutor

        try:
            return self._pool.submit(compare_chunk, chunk, self.token)
        except BrokenExecutor:  # a worker died: the batch records its chunk; start afresh
            self.close(abort=True)
            self._pool = self._start()
            return self._pool.submit(compare_chunk, chunk, self.token)

    def close(self, *, abort: bool = False) -> None:
        uninstall(self.token)  # in this process (one worker); workers' go with them
        if not abort:
            self._pool.shutdown(wait=True)
            return
        # A thread cannot be stopped: its current chunk ends in the background, unrecorded.
        processes = list((getattr(self._pool, "_processes", None) or {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for p in processes:  # running tasks are not waited for: resume redoes them
            p.terminate()
        for p in processes:
            p.join(timeout=5)


def check_engine(name: str, *, workers: int | None = None,
                 scheduler: str | None = None) -> type[Engine]:
    """The engine class registered as ``name``, after checking ``workers`` and ``scheduler``
    as far as can be done without starting anything."""
    target = ENGINES.get(name) if isinstance(name, str) else None
    if target is None:
        raise ParameterError.invalid("engine", "compare_many", f"one of {engine_names()}", name)
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)
                                or workers < 1):
        raise ParameterError.invalid("workers", "compare_many", "a positive int", workers)
    if scheduler is not None and not isinstance(scheduler, str):
        raise ParameterError.invalid("scheduler", "compare_many", "an address string or None",
                                     scheduler)
    module, cls = target.split(":")
    engine_cls: type[Engine] = getattr(importlib.import_module(module), cls)
    engine_cls.check(scheduler)
    return engine_cls


def open_engine(name: str, *, workers: int | None = None, scheduler: str | None = None,
                settings: TaskSettings | None = None) -> Engine:
    """Start the engine registered as ``name`` with ``workers`` workers (default: the cores).

    >>> with open_engine("local", workers=2) as engine:  # doctest: +SKIP
    ...     list(compare_many(pairs, engine=engine))
    """
    engine_cls = check_engine(name, workers=workers, scheduler=scheduler)
    return engine_cls(workers=workers or default_workers(), scheduler=scheduler,
                      settings=settings or TaskSettings())
