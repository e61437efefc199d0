"""What rules see: the workspace, every file's facts and place in the module tree, the graph, config."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from rust_triage.engine.config import Config
from rust_triage.engine.model import Finding, Location, RuleMeta
from rust_triage.errors import FileError
from rust_triage.parse.facts import Item
from rust_triage.parse.source import LazyLines, SourceFile
from rust_triage.workspace.model import ModuleTree, Workspace

__all__ = ["AnalysisContext", "LazyLines", "SourceFile"]  # the source-file record lives in parse/

if TYPE_CHECKING:
    import networkx

T = TypeVar("T")


@dataclass
class AnalysisContext:
    workspace: Workspace
    module_tree: ModuleTree
    files: list[SourceFile]  # sorted by rel path
    config: Config
    # Typed per-run state (there is no string-keyed bag): problems found while running rules,
    # the --baseline counts, how many files of other languages the families scanned, and the
    # families' own state (`memo`, `put` / `get`, keyed by function or class, not by strings).
    rule_errors: list[FileError] = field(default_factory=list)
    baseline: dict[str, Any] | None = None  # set by --baseline: {"new", "unchanged", "fixed", "file"}
    other_files: int = 0
    # Files of other languages the families read (e.g. .py): rel -> content key. Part of the workspace
    # fingerprint, so cross-file results are reused only while these files are unchanged too.
    other_inputs: dict[str, str] = field(default_factory=dict)
    graph_hooks: list[Callable[[networkx.MultiDiGraph, AnalysisContext], None]] = field(default_factory=list)
    rules: dict[str, RuleMeta] = field(default_factory=dict)  # every rule's metadata this run, by id

    _state: dict[object, Any] = field(default_factory=dict, repr=False)

    def memo(self, build: Callable[[AnalysisContext], T]) -> T:
        """`build(self)` once per run, shared by every rule that asks (keyed by the function)."""
        if build not in self._state:
            self._state[build] = build(self)
        return self._state[build]  # type: ignore[no-any-return]

    def put(self, value: object) -> None:
        """Keep a family's state for this run, keyed by its class (read back with `get`)."""
        self._state[type(value)] = value

    def get(self, kind: type[T]) -> T | None:
        found = self._state.get(kind)
        return found if isinstance(found, kind) else None

    @cached_property
    def graph(self) -> networkx.MultiDiGraph:
        from rust_triage.graph.build import build_graph

        g = build_graph(self)
        for hook in self.graph_hooks:  # families add their own nodes (e.g. Python modules)
            hook(g, self)
        return g

    @cached_property
    def index(self) -> Any:
        """Name-resolution index over the workspace (rust_triage.graph.resolve.SymbolIndex)."""
        from rust_triage.graph.resolve import SymbolIndex

        return SymbolIndex(self)

    @cached_property
    def by_rel(self) -> dict[str, SourceFile]:
        return {f.rel: f for f in self.files}

    def finding(
        self,
        meta: RuleMeta,
        file: SourceFile | str,
        line: int,
        column: int,
        message: str,
        *,
        end_line: int | None = None,
        end_column: int | None = None,
        item: int = -1,
        fix_hint: str = "",
        snippet: str | None = None,
        severity: str | None = None,
        confidence: str = "high",
        related: list[Location] | None = None,
        detail: dict[str, Any] | None = None,
        in_test: bool | None = None,
    ) -> Finding:
        src = file if isinstance(file, SourceFile) else self.by_rel.get(file)
        rel = src.rel if src is not None else str(file)
        return Finding(
            rule=meta.id,
            name=meta.name,
            severity=severity or self.config.severity_for(meta),
            category=meta.category,
            file=rel,
            line=line,
            column=column,
            end_line=end_line if end_line is not None else line,
            end_column=end_column if end_column is not None else column,
            message=message,
            fix_hint=fix_hint,
            snippet=snippet if snippet is not None else (src.line_text(line) if src is not None else ""),
            symbol=src.symbol(item) if src is not None else "",
            in_test=in_test if in_test is not None else (src.in_test(item) if src is not None else False),
            confidence=confidence,
            related=related or [],
            detail=detail or {},
        )

    def item(self, file: SourceFile, index: int) -> Item | None:
        return file.facts.items[index] if 0 <= index < len(file.facts.items) else None
