"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per finding.

Paths are relative to the repository root (where Actions runs), so a workspace in a subdirectory still
annotates the right file. Columns are converted to characters (tree-sitter counts UTF-8 bytes).
Messages and properties are escaped by `escape.github_data` / `escape.github_property`; every other line
goes through `escape.ci_safe`, so text from the analysed code never starts a workflow command.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rust_triage.engine.model import Finding
from rust_triage.escape import ci_safe, github_data, github_property
from rust_triage.reporters.sarif_report import source_root
from rust_triage.workspace.safepath import read_file_or_none, real_roots

if TYPE_CHECKING:
    from rust_triage.pipeline import Analysis

_COMMAND = {"critical": "error", "high": "error", "error": "error",
            "medium": "warning", "warning": "warning",
            "low": "notice", "info": "notice", "note": "notice", "help": "notice"}


escape_data = github_data
escape_property = github_property


def annotation(f: Finding, path: str, column: int, end_column: int) -> str:
    command = _COMMAND.get(f.severity, "warning")
    props = [f"file={escape_property(path)}", f"line={f.line}", f"col={column}"]
    if f.end_line and f.end_line >= f.line:
        props.append(f"endLine={f.end_line}")
        if f.end_line == f.line:
            props.append(f"endColumn={max(end_column, column)}")
    props.append(f"title={escape_property(f'{f.rule} {f.name}')}")
    message = f.message + (f"\nFix: {f.fix_hint}" if f.fix_hint else "")
    return f"::{command} {','.join(props)}::{escape_data(message)}"


def render(analysis: Analysis) -> str:
    root = analysis.context.workspace.root.resolve()
    base = source_root(root)
    prefix = root.relative_to(base).as_posix() if root != base else ""
    columns = _Columns(root)
    lines = []
    for f in analysis.findings:
        path = f"{prefix}/{f.file}" if prefix and not Path(f.file).is_absolute() else f.file
        column = columns.chars(f.file, f.line, f.column)
        end_column = columns.chars(f.file, f.end_line, f.end_column)
        lines.append(annotation(f, path, column, end_column))
    errors = analysis.errors + analysis.context.rule_errors
    for e in errors:
        where = f"file={escape_property(e.path)}," if e.path and not e.path.startswith("<") else ""
        line = f"line={e.line}," if e.line else ""
        lines.append(f"::warning {where}{line}title={escape_property('rust-triage ' + e.kind)}::"
                     f"{escape_data(e.message)}")
    total = len(analysis.findings)
    lines.append(ci_safe(f"rust-triage: {total} finding{'s' if total != 1 else ''} in "
                         f"{len({f.file for f in analysis.findings})} file(s)"))
    return "\n".join(lines) + "\n"


class _Columns:
    """1-based byte columns to 1-based character columns, reading each file once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._files: dict[str, list[bytes] | None] = {}

    def chars(self, file: str, line: int, column: int) -> int:
        if file not in self._files:
            path = Path(file) if Path(file).is_absolute() else self.root / file
            data = read_file_or_none(path, real_roots((self.root,)))  # inside, regular, bounded only
            self._files[file] = data.split(b"\n") if data is not None else None
        lines = self._files[file]
        if lines is None or not 0 < line <= len(lines) or column <= 1:
            return max(1, column)
        raw = lines[line - 1]
        return 1 + len(raw[: column - 1].decode("utf-8", "replace")) + max(0, column - 1 - len(raw))
