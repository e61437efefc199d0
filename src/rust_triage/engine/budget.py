"""A time budget per rule and per file: a rule that runs away on one file is stopped, not waited for.

How it is bounded: while a rule runs, `ctx.files` is a list whose iteration re-arms a real-time
timer (`signal.setitimer`) for every file it hands out, and remembers that file. Rules are plain
Python loops over `ctx.files`, so the timer measures the time spent on one file. When it fires, the
signal handler raises `RuleTimeout` (a BaseException, so a rule's `except Exception` cannot swallow
it) at the next bytecode; the rule's partial findings are dropped, a per-file error names the rule
and the file, and the rule runs again without that file. A rule that times out on
`MAX_TIMEOUTS_PER_RULE` files is given up with one error.

Why this way: a cooperative deadline would need a check in every loop of every rule (plugins
included); running rules in worker processes would copy the whole analysis context to each. The
timer needs neither, costs nothing when nothing runs away and interrupts pure-Python work anywhere.
It only works in the main thread on POSIX systems; elsewhere rules run without a budget.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rust_triage.errors import FileError

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile
    from rust_triage.engine.model import Finding
    from rust_triage.engine.rule import Rule

DEFAULT_RULE_TIME_BUDGET = 60.0  # seconds per rule per file
MAX_TIMEOUTS_PER_RULE = 3


class RuleTimeout(BaseException):
    """Raised inside a rule whose time on one file ran out."""

    def __init__(self, file: str | None) -> None:
        super().__init__(file)
        self.file = file


class TimedFiles(list):  # type: ignore[type-arg]
    """The files a rule sees: iterating re-arms the timer for each file handed out."""

    def __init__(self, files: list[Any], skip: set[str], on_file: Callable[[Any], None]) -> None:
        super().__init__(f for f in files if f.rel not in skip)
        self._on_file = on_file

    def __iter__(self) -> Iterator[Any]:
        for src in super().__iter__():
            self._on_file(src)
            yield src


def budget_available() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def file_budget(seconds: float) -> Iterator[Callable[[Any], None]]:
    """Arms SIGALRM for the duration; yields `start(src)`, which restarts the clock for a file.

    Starting a file only moves a deadline (no system call per file); when the timer fires before the
    current deadline it is re-armed for the time left.
    """
    current: list[Any] = [None, time.monotonic() + seconds]  # file, deadline

    def on_alarm(_signum: int, _frame: Any) -> None:
        left = current[1] - time.monotonic()
        if left > 0:
            signal.setitimer(signal.ITIMER_REAL, left)
            return
        raise RuleTimeout(current[0])

    def start(src: Any) -> None:
        current[0] = src.rel
        current[1] = time.monotonic() + seconds

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)  # work before the first file counts as well
    try:
        yield start
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def checked_findings(ctx: AnalysisContext, rule: Rule, only: list[SourceFile] | None = None) -> list[Finding]:
    """The rule's findings under the time budget. A rule that runs out of time on a file gets an error
    for that file (in `ctx.rule_errors`) and runs again without it; other exceptions propagate.
    `only`: the files a "workspace-by-file" rule is run for (`Rule.check_files`), instead of every file."""
    budget = ctx.config.rule_time_budget
    if not budget or not budget_available():
        return list(rule.check(ctx) if only is None else rule.check_files(ctx, only))
    files = ctx.files
    skipped: set[str] = set()
    try:
        while True:
            before = (set(vars(ctx)), set(ctx._state))
            try:
                with file_budget(budget) as start:
                    if only is None:
                        ctx.files = TimedFiles(files, skipped, start)
                        produced = list(rule.check(ctx))
                    else:
                        produced = list(rule.check_files(ctx, TimedFiles(only, skipped, start)))
                return [f for f in produced if f.file not in skipped]
            except RuleTimeout as timeout:
                gave_up = timeout.file is None or len(skipped) + 1 >= MAX_TIMEOUTS_PER_RULE
                ctx.rule_errors.append(FileError(timeout.file or "<rules>", "rule-timeout", (
                    f"rule {rule.meta.id} ran for more than {budget:g} s on this file and was stopped "
                    f"(`rule-time-budget`); {'the rule was given up' if gave_up else 'its findings here are missing'}")))
                if gave_up:
                    return []
                skipped.add(timeout.file)  # type: ignore[arg-type]
            finally:
                if skipped:
                    _forget_new_caches(ctx, before)
    finally:
        ctx.files = files


def _forget_new_caches(ctx: AnalysisContext, before: tuple[set[str], set[object]]) -> None:
    """Drop what a run without some files cached on the context (index, graph, family memos): the
    rules after it must see every file."""
    for name in set(vars(ctx)) - before[0] - {"files"}:
        delattr(ctx, name)
    for key in set(ctx._state) - before[1]:
        del ctx._state[key]
