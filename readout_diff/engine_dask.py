"""The ``dask`` engine: batch chunks on a Dask ``distributed`` cluster (the optional extra).

``pip install 'readout-diff[dask]'``. With a scheduler address the engine joins that cluster;
without one it starts a ``LocalCluster`` of ``workers`` single-threaded worker processes. A
worker plugin hands every worker process — also those that join later — the run's settings and
builds the pipeline there once; tasks are :func:`readout_diff.engines.compare_chunk` with a chunk
of pairs and the settings' token, exactly as on the local engine, so the records are identical.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future
from typing import Any

from .engines import Chunk, Engine, TaskSettings, compare_chunk, install, uninstall
from .errors import ParameterError

try:
    from distributed import Client, LocalCluster
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ParameterError(
        "The 'engine' parameter of compare_many is 'dask', which needs Dask distributed: "
        "pip install 'readout-diff[dask]'") from exc

__all__ = ["DaskEngine", "SettingsPlugin"]


class SettingsPlugin(WorkerPlugin):
    """Installs a run's settings in each worker process and builds its pipeline once."""

    def __init__(self, token: str, settings: TaskSettings) -> None:
        self.token = token
        self.settings = settings

    def setup(self, worker: Any) -> None:
        install(self.token, self.settings)

    def teardown(self, worker: Any) -> None:
        uninstall(self.token)


class DaskEngine(Engine):
    """Chunks as Dask tasks; ``slots`` is the cluster's total worker threads."""

    name = "dask"

    def __init__(self, *, workers: int, scheduler: str | None, settings: TaskSettings) -> None:
        super().__init__(workers=workers, scheduler=scheduler, settings=settings)
        self.cluster: LocalCluster | None = None
        try:
            if scheduler is None:
                self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1,
                                            processes=True, dashboard_address=None,
                                            silence_logs=logging.CRITICAL)
                self.client = Client(self.cluster)
            else:
                self.client = Client(scheduler, timeout=30)
        except (OSError, TimeoutError) as exc:
            self._shutdown()
            raise ParameterError.invalid("scheduler", "compare_many",
                                         "the address of a reachable Dask scheduler",
                                         f"{scheduler} ({exc})") from None
        self._plugin = f"readout-diff-{self.token}"
        self.client.register_plugin(SettingsPlugin(self.token, settings), name=self._plugin)
        self.slots = max(1, sum(self.client.nthreads().values()))

    def submit(self, chunk: Chunk) -> Future:
        done: Future = Future()
        task = self.client.submit(compare_chunk, list(chunk), self.token, pure=False)

        def relay(f: Any) -> None:  # runs in Dask's callback thread
            try:
                done.set_result(f.result())
            except BaseException as exc:  # noqa: BLE001 - the batch records the chunk
                if not done.done():
                    done.set_exception(exc)
            finally:
                f.release()

        task.add_done_callback(relay)
        return done

    def close(self, *, abort: bool = False) -> None:
        try:
            if self.cluster is None:  # a cluster we joined: leave it as we found it
                self.client.unregister_worker_plugin(self._plugin)
        except Exception:  # noqa: BLE001 - closing must not hide why we are closing
            pass
        self._shutdown()

    def _shutdown(self) -> None:
        for thing in (getattr(self, "client", None), self.cluster):
            if thing is not None:
                try:
                    thing.close()
                except Exception:  # noqa: BLE001
                    pass
