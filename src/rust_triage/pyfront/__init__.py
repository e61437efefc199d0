"""Python frontend for mixed Rust/Python repositories.

`attach_python` parses the workspace's .py files with libcst (in parallel, cached by content hash)
and stores them in `ctx.extra["python"]` as `PySourceFile`s; Python rules (RT5xx) read them from
there. This module stays light: libcst is imported only when there are Python files to parse.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext
    from rust_triage.pyfront.source import PySourceFile

__all__ = ["PySourceFile", "attach_python", "python_files"]


def attach_python(ctx: AnalysisContext, cache_dir: Path | None, jobs: int) -> None:
    """Parse `ctx.workspace.python_files`; per-file problems go to `ctx.extra["rule_errors"]`."""
    from rust_triage.errors import FileError
    from rust_triage.pyfront.parse import PyFactsCache, cache_salt, parse_python_files
    from rust_triage.pyfront.source import PySourceFile, is_test_path, module_name
    from rust_triage.workspace.safepath import real_roots

    ws = ctx.workspace
    outcome = parse_python_files(
        list(ws.python_files), cache=PyFactsCache(cache_dir, cache_salt()), jobs=max(1, jobs), display=ws.rel,
        index_scope=str(ws.root), max_bytes=ctx.config.max_file_size, roots=real_roots(ws.roots),
    )
    errors = list(outcome.errors)
    files: list[PySourceFile] = []
    for path in sorted(outcome.facts, key=ws.rel):
        facts = outcome.facts[path]
        rel = ws.rel(path)
        if facts.syntax_error is not None:
            line, _column, message = facts.syntax_error
            errors.append(FileError(rel, "python-syntax", f"Python syntax error: {message}", line))
            continue
        module, is_package = module_name(path, ws.root)
        files.append(PySourceFile(path, rel, facts, module, is_package, is_test_path(rel)))
    ctx.extra["python"] = files
    ctx.extra.setdefault("rule_errors", []).extend(sorted(errors, key=lambda e: (e.path, e.line or 0)))
    ctx.extra["python_stats"] = {"files": len(files), "parsed": outcome.parsed, "cache_hits": outcome.cache_hits}


def python_files(ctx: AnalysisContext) -> list[PySourceFile]:
    return ctx.extra.get("python") or []


def __getattr__(name: str) -> Any:
    if name == "PySourceFile":
        from rust_triage.pyfront.source import PySourceFile

        return PySourceFile
    raise AttributeError(name)
