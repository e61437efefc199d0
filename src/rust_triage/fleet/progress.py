"""Fleet progress on stderr: a rich progress bar on a terminal, one status line per repository otherwise."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any, TextIO


def status_line(result: dict[str, Any]) -> str:
    """`api: ok, 14 finding(s), 2 build breaker(s), 3.5 h of fixes (1.2 s)` or `api: FAILED: reason`."""
    seconds = result.get("timing", {}).get("seconds", 0.0)
    if result["status"] != "ok":
        return f"{result['name']}: FAILED: {result['error']}"
    summary = result["summary"]
    breakers = summary["build_breakers"]["total"]
    parts = [f"{summary['findings']} finding(s)"]
    if breakers:
        parts.append(f"{breakers} build breaker(s)")
    parts.append(f"{summary['plan']['estimate_hours']} h of fixes")
    return f"{result['name']}: ok, {', '.join(parts)} ({seconds:.1f} s)"


class FleetProgress:
    """Use as a context manager; call `done(result)` as each repository finishes."""

    def __init__(self, total: int, *, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.total = total
        self.count = 0
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> FleetProgress:
        if not self.quiet and self.stream.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(TextColumn("fleet"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                 TextColumn("{task.description}"), console=Console(file=self.stream),
                                 transient=True)
            self._bar.start()
            self._task = self._bar.add_task("", total=self.total)
        return self

    def done(self, result: dict[str, Any]) -> None:
        self.count += 1
        if self.quiet:
            return
        line = status_line(result)
        if self._bar is not None:
            from rich.markup import escape

            self._bar.console.print(escape(line), highlight=False)
            self._bar.update(self._task, completed=self.count, description=escape(result["name"]))
            return
        print(f"rust-triage: fleet [{self.count}/{self.total}] {line}", file=self.stream, flush=True)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.stop()
