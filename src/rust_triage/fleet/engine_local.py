"""The local engine: a process pool on this machine, one repository per task.

Workers ignore Ctrl-C; the driver cancels what has not started and terminates the workers. A worker
that dies (a native crash) breaks the pool: the unfinished tasks are re-run one at a time in fresh
pools, so only the repository that really kills its worker is reported as failed.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import signal
import sys
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from rust_triage.fleet.task import run_task

Result = dict[str, Any]


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _context() -> multiprocessing.context.BaseContext:
    if sys.platform.startswith("linux"):
        ctx = multiprocessing.get_context("forkserver")  # no fork of a threaded driver (progress bar)
        ctx.set_forkserver_preload(["rust_triage.fleet.task", "rust_triage.merge", "rust_triage.plan"])
        return ctx
    return multiprocessing.get_context("spawn")


def failed_result(task: dict[str, Any], reason: str) -> Result:
    return {"name": task["name"], "slug": task["slug"],
            "source": {"kind": "git" if task.get("ref") else "path", "path": task["path"], "ref": task.get("ref")},
            "status": "failed", "error": reason, "root": None, "commit": None, "summary": None, "report": None,
            "artifacts": {}, "timing": {"seconds": 0.0}}


def _terminate(pool: ProcessPoolExecutor) -> None:
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14+
    if terminate is not None:
        terminate()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


def _run_pool(tasks: list[dict[str, Any]], workers: int, on_result: Callable[[Result], None]) -> list[dict[str, Any]]:
    """Run `tasks`; report each result; return the tasks lost to a broken pool."""
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_ignore_sigint)
    lost: list[dict[str, Any]] = []
    try:
        futures: dict[Future[Result], dict[str, Any]] = {pool.submit(run_task, t): t for t in tasks}
        for future in as_completed(futures):
            try:
                result = future.result()
            except BrokenProcessPool:
                lost.append(futures[future])
                continue
            except Exception as exc:  # e.g. a result that could not be sent back
                result = failed_result(futures[future], f"the worker failed: {type(exc).__name__}: {exc}")
            on_result(result)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        _terminate(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return lost


def run_local(tasks: list[dict[str, Any]], jobs: int, on_result: Callable[[Result], None]) -> dict[str, Any]:
    """Run every task; call `on_result` as each finishes. Returns a description of the engine."""
    workers = max(1, min(jobs, len(tasks)))
    lost = _run_pool(tasks, workers, on_result) if tasks else []
    for task in sorted(lost, key=lambda t: t["name"]):
        if _run_pool([task], 1, on_result):
            on_result(failed_result(task, "the worker process died while analysing this repository"))
    return {"engine": "local", "workers": workers}
