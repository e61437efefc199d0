"""The Dask engine: each repository is a `dask.distributed` task, on an existing cluster or a LocalCluster.

Only this module imports dask (an optional extra). Tasks and results are JSON-able dicts; the task
function is `rust_triage.fleet.task.run_task`, so every worker needs the same rust-triage installed and
must see the repositories at the paths given (a shared filesystem, or git repositories it can reach).
"""

from __future__ import annotations

import contextlib
import logging
import socket
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from rust_triage.errors import UsageError
from rust_triage.fleet.engine_local import failed_result
from rust_triage.fleet.task import run_task

Result = dict[str, Any]
CONNECT_TIMEOUT = "20s"
PROBE_TIMEOUT = 5.0
MISSING = "--engine dask needs dask.distributed, which is not installed: pip install 'rust-triage[fleet]'"


def _probe(scheduler: str) -> None:
    """Fail fast, with the reason, when nothing listens at a tcp:// scheduler address."""
    parsed = urlsplit(scheduler)
    if parsed.scheme != "tcp":
        return
    try:
        host, port = parsed.hostname, parsed.port
    except ValueError as exc:
        raise UsageError(f"invalid scheduler address {scheduler!r}: {exc}") from exc
    if not host or not port:
        raise UsageError(f"invalid scheduler address {scheduler!r}: expected tcp://HOST:PORT")
    try:
        socket.create_connection((host, port), timeout=PROBE_TIMEOUT).close()
    except OSError as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {exc.strerror or exc}") from exc


def run_dask(tasks: list[dict[str, Any]], jobs: int, scheduler: str | None,
             on_result: Callable[[Result], None]) -> dict[str, Any]:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise UsageError(MISSING) from exc
    with contextlib.ExitStack() as stack:
        if scheduler:
            _probe(scheduler)
            try:
                client = stack.enter_context(Client(scheduler, timeout=CONNECT_TIMEOUT))
            except (OSError, TimeoutError, ValueError) as exc:
                raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
        else:
            cluster = stack.enter_context(LocalCluster(
                n_workers=max(1, min(jobs, len(tasks))), threads_per_worker=1, processes=True,
                dashboard_address=None, silence_logs=logging.CRITICAL))  # task errors are reported per repository
            client = stack.enter_context(Client(cluster))
        workers = len(client.scheduler_info().get("workers", {}))
        run_id = uuid.uuid4().hex[:8]
        keys = [f"rust-triage-fleet-{run_id}-{i}" for i in range(len(tasks))]
        futures = client.map(run_task, tasks, key=keys, pure=False)
        by_key = {key: task for key, task in zip(keys, tasks, strict=True)}
        try:
            for future in as_completed(futures):
                try:
                    result = future.result()
                except Exception as exc:  # e.g. KilledWorker: the repository took its worker down
                    result = failed_result(by_key[future.key], f"the Dask task failed: {type(exc).__name__}: {exc}")
                on_result(result)
        except BaseException:
            client.cancel(futures, force=True)
            raise
    return {"engine": "dask", "workers": workers, "scheduler": scheduler or "LocalCluster"}
