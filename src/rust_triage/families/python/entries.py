"""Where Python enters Rust: the exported PyO3 items (public-API mode) and the Rust items Python code calls.

A library crate's extension module is called by code outside the repository, so in public-API mode
every `#[pyfunction]`, `#[pymethods]` method and `#[new]` constructor is an entry point, with or
without a caller in the workspace. Python call sites found in the workspace are kept to show the
path; the one shown is production code first, then tests (only with `--include-tests`), then
examples, benchmarks and docs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rust_triage.families.python.bridge import ExtModule, RustExport
from rust_triage.families.python.facts import PyCall
from rust_triage.families.python.graph import rust_node
from rust_triage.families.python.resolve import RustTarget, python_index
from rust_triage.families.python.source import PySourceFile

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext

_SAMPLE_DIRS = frozenset({"examples", "example", "bench", "benches", "benchmarks", "docs", "doc", "scripts"})


@dataclass(eq=False)
class Entry:
    """A Rust item Python can call, the name Python calls it by, and the best Python call site found."""

    export: RustExport
    python_name: str
    caller: tuple[PySourceFile, PyCall] | None = None

    @property
    def public(self) -> bool:
        return self.caller is None


def python_entries(ctx: AnalysisContext, mode: str = "auto") -> dict[str, Entry]:
    """Graph node of each entry point -> its Entry."""
    index = python_index(ctx)
    include_tests = ctx.config.include_tests
    entries: dict[str, Entry] = {}
    if mode != "python-callers":
        libraries = _library_packages(ctx) if mode == "auto" else None
        for module in index.bridge.values():
            if libraries is None or module.package in libraries:
                for export in exported(module):
                    entries.setdefault(rust_node(export), Entry(export, export.python_name(module.name)))
    names = {rust_node(e): e.python_name(m.name) for m in index.bridge.values() for e in exported(m)}
    callers: dict[str, tuple[tuple[int, str, int], PySourceFile, PyCall, RustExport]] = {}
    for src in index.files:
        rank = _caller_rank(src)
        if rank < 0 or (src.in_test and not include_tests):
            continue
        for call, targets in index.calls_from(src):
            for t in targets:
                if isinstance(t, RustTarget) and t.export.item >= 0:
                    node = rust_node(t.export)
                    key = (rank, src.rel, call.line)
                    if node not in callers or key < callers[node][0]:
                        callers[node] = (key, src, call, t.export)
    for node, (_key, src, call, export) in callers.items():
        entry = entries.get(node)
        if entry is None:
            entry = entries[node] = Entry(export, names.get(node, export.label))
        entry.caller = (src, call)
    return entries


def exported(module: ExtModule) -> list[RustExport]:
    """Every callable export of an extension module: functions, constructors and methods."""
    out = [e for e in module.functions.values() if e.item >= 0]
    for cls in module.classes.values():
        if cls.constructor is not None:
            out.append(cls.constructor)
        out.extend(cls.methods.values())
    return out


def _library_packages(ctx: AnalysisContext) -> set[str]:
    """Packages with a lib target: their extension module is imported by code outside the repository.
    Files without a package (no usable Cargo.toml) count as libraries: each is its own lib crate."""
    return {"", *(pkg.name for pkg in ctx.workspace.packages if any(t.kind == "lib" for t in pkg.targets))}


def _caller_rank(src: PySourceFile) -> int:
    """0 package code, 1 tests, 2 examples / benchmarks / docs / scripts."""
    parts = set(src.rel.split("/")[:-1])
    if parts & _SAMPLE_DIRS:
        return 2
    return 1 if src.in_test else 0
