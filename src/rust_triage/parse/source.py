"""The record of one analysed Rust file: its path, facts and place in the module tree.

It lives in the parse layer, the lowest layer that uses it (graph, engine and the families share it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rust_triage.parse.facts import FileFacts
from rust_triage.workspace.model import ModuleInfo


class LazyLines:
    """`line_text` for source-file records with `path` and `_lines` fields."""

    __slots__ = ()
    path: Path
    _lines: list[str] | None

    def line_text(self, line: int) -> str:
        """The stripped text of a 1-based line (read lazily, for snippets)."""
        if self._lines is None:
            try:
                # Only "\n" ends a line, as for the parser: text mode and splitlines() would also split at
                # a bare \r, \x0b, \x0c, \x1c-\x1e, \x85, \u2028 and \u2029 and shift later snippets.
                self._lines = self.path.read_bytes().decode("utf-8", "replace").split("\n")
            except OSError:
                self._lines = []
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
