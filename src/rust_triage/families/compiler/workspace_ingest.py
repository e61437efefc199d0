"""Read cargo's JSON diagnostics for a workspace and group them by root cause, using the symbol index
to find definition sites. The plan and the reporters receive the result; they never read cargo JSON."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext


def load_compiler_patterns(source: Path | BinaryIO, ctx: AnalysisContext) -> tuple[Any, list[Any]]:
    """Read `cargo check --message-format=json` output (a file or a binary stream) and group it.

    Returns (IngestResult, patterns); unreadable input becomes problems in `IngestResult.errors`.
    """
    from rust_triage.families.compiler.patterns import group_patterns
    from rust_triage.families.compiler.reader import read_diagnostics, read_diagnostics_file

    root = ctx.workspace.root
    if isinstance(source, Path):
        result = read_diagnostics_file(source, root)
    else:
        result = read_diagnostics(source, root, source="<stdin>")
    return result, group_patterns(result.diagnostics, definitions_for(ctx))


def definitions_for(ctx: AnalysisContext) -> Callable[[str], list[tuple[str, int]]]:
    """Definition sites (file, line) of a workspace type or function by name, for pattern grouping."""

    def lookup(name: str) -> list[tuple[str, int]]:
        defs = ctx.index.by_name.get(name, [])
        return [(d.file.rel, d.item.line) for d in defs
                if d.item.kind in ("struct", "enum", "union", "trait", "type", "fn")]

    return lookup
