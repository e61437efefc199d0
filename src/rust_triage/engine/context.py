"""What rules see: the workspace, every file's facts and place in the module tree, the graph, config."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rust_triage.engine.config import Config
from rust_triage.engine.model import Finding, Location, RuleMeta
from rust_triage.parse.facts import FileFacts, Item
from rust_triage.workspace.model import ModuleInfo, ModuleTree, Workspace
from rust_triage.workspace.safepath import read_file_or_none, source_lines

# Files read again for snippets were listed and size-checked when parsed: only a swap is guarded here.
REREAD_MAX_BYTES = 1 << 31

if TYPE_CHECKING:
    import networkx


class LazyLines:
    """`line_text` for source-file records with `path` and `_lines` fields."""

    __slots__ = ()
    path: Path
    _lines: list[str] | None

    def line_text(self, line: int) -> str:
        """The stripped text of a 1-based line (read lazily, for snippets), numbered like the parser."""
        if self._lines is None:
            data = read_file_or_none(self.path, (), REREAD_MAX_BYTES)
            python = getattr(self, "language", "rust") == "python"
            self._lines = [raw.decode("utf-8", "replace") for raw in source_lines(data or b"", python=python)]
        return self._lines[line - 1].strip()[:300] if 0 < line <= len(self._lines) else ""


@dataclass(slots=True)
class SourceFile(LazyLines):
    path: Path
    rel: str  # relative to the workspace root
    facts: FileFacts
    modules: list[ModuleInfo] = field(default_factory=list)  # empty for orphans
    in_test_target: bool = False  # tests/, benches/, or reached only through #[cfg(test)]
    package: str = ""
    language: str = "rust"
    _lines: list[str] | None = None

    @property
    def module_path(self) -> str:
        return self.modules[0].module_path if self.modules else ""

    def symbol(self, item_index: int) -> str:
        inner = self.facts.item_path(item_index) if item_index >= 0 else ""
        base = self.module_path or "crate"
        return f"{base}::{inner}" if inner else base

    def in_test(self, item_index: int) -> bool:
        if self.in_test_target:
            return True
        return item_index >= 0 and self.facts.items[item_index].in_test


@dataclass
class AnalysisContext:
    workspace: Workspace
    module_tree: ModuleTree
    files: list[SourceFile]  # sorted by rel path
    config: Config
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. python facts, cargo diagnostics

    @cached_property
    def graph(self) -> networkx.MultiDiGraph:
        from rust_triage.graph.build import build_graph

        return build_graph(self)

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
