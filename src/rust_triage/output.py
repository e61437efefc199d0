"""Write a report to stdout or, atomically, to a file (a write error is a usage error: exit 2)."""

from __future__ import annotations

import sys
from pathlib import Path

from rust_triage.atomic import write_atomic
from rust_triage.errors import UsageError


def write_output(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        write_atomic(output, text)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror or exc}") from exc
