"""Python frontend for mixed Rust/Python repositories.

`attach_python` parses the workspace's .py files with libcst (in parallel, cached by content hash)
and keeps them for the run as a typed `PythonRun` (`ctx.put`); Python rules (RT5xx) read them
with `python_files(ctx)`. This module stays light: libcst is imported only when there are Python files to parse.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext
    from rust_triage.families.python.facts import PyFacts
    from rust_triage.families.python.source import PySourceFile

__all__ = ["PySourceFile", "PythonRun", "attach_python", "merge_python_runs", "python_files"]


def attach_python(ctx: AnalysisContext, cache_dir: Path | None, jobs: int) -> None:
    """Parse `ctx.workspace.python_files`; per-file problems go to `ctx.rule_errors`."""
    from rust_triage.errors import FileError
    from rust_triage.families.python.parse import PyFactsCache, cache_salt, parse_python_files
    from rust_triage.families.python.source import PySourceFile, is_test_path, module_name
    from rust_triage.workspace.safepath import real_roots

    ws = ctx.workspace
    outcome = parse_python_files(
        list(ws.python_files), cache=PyFactsCache(cache_dir, cache_salt()), jobs=max(1, jobs), display=ws.rel,
        index_scope=str(ws.root), max_bytes=ctx.config.max_file_size, roots=real_roots(ws.roots),
    )
    errors = list(outcome.errors)
    for path in ws.python_files:  # what cross-file results depend on (the workspace fingerprint)
        ctx.other_inputs[ws.rel(path)] = outcome.keys.get(path, "unread")
    files: list[PySourceFile] = []
    for path in sorted(outcome.facts, key=ws.rel):
        facts = cast("PyFacts", outcome.facts[path])  # the Python parse pool yields PyFacts
        rel = ws.rel(path)
        if facts.syntax_error is not None:
            line, _column, message = facts.syntax_error
            errors.append(FileError(rel, "python-syntax", f"Python syntax error: {message}", line))
            continue
        module, is_package = module_name(path, ws.root)
        files.append(PySourceFile(path, rel, facts, module, is_package, is_test_path(rel)))
    stats = {"files": len(files), "parsed": outcome.parsed, "cache_hits": outcome.cache_hits}
    ctx.put(PythonRun(files, stats))
    ctx.other_files += len(files)
    ctx.rule_errors.extend(sorted(errors, key=lambda e: (e.path, e.line or 0)))


def merge_python_runs(merged: AnalysisContext, parts: list[tuple[AnalysisContext, str]]) -> None:
    """The Python files of several workspaces' runs, re-rooted by their prefix, as the merged run's."""
    import dataclasses

    files: list[PySourceFile] = []
    stats: dict[str, int] = {}
    for ctx, prefix in parts:
        run = ctx.get(PythonRun)
        if run is None:
            continue
        files.extend(dataclasses.replace(src, rel=prefix + src.rel) for src in run.files)
        for key, value in run.stats.items():
            stats[key] = stats.get(key, 0) + value
    if files:
        merged.put(PythonRun(sorted(files, key=lambda s: s.rel), stats))


def python_files(ctx: AnalysisContext) -> list[PySourceFile]:
    run = ctx.get(PythonRun)
    return run.files if run is not None else []


@dataclass
class PythonRun:
    """The Python side of one run: the parsed files and the parse statistics."""

    files: list[PySourceFile] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)


def __getattr__(name: str) -> Any:
    if name == "PySourceFile":
        from rust_triage.families.python.source import PySourceFile

        return PySourceFile
    raise AttributeError(name)
