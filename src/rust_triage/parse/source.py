"""The record of one analysed Rust file: its path, facts and place in the module tree.

It lives in the parse layer, the lowest layer that uses it (graph, engine and the families share it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rust_triage.parse.facts import FileFacts
from rust_triage.workspace.model import ModuleInfo
from rust_triage.workspace.safepath import read_file_or_none, source_lines

# Files read again for snippets were listed and size-checked when parsed: only a swap is guarded here.
REREAD_MAX_BYTES = 1 << 31


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
            lines = [raw.decode("utf-8", "replace") for raw in source_lines(data or b"", python=python)]
            self._lines = lines  # type: ignore[misc]  # a field of the dataclasses using this mixin
        return self._lines[line - 1].strip()[:300] if 0 < line <= len(self._lines) else ""


@dataclass(slots=True)
class SourceFile(LazyLines):
    path: Path
    rel: str  # relative to the workspace root
    stored_facts: FileFacts | Callable[[], FileFacts]  # the facts, or how to load them (on first use)
    modules: list[ModuleInfo] = field(default_factory=list)  # empty for orphans
    in_test_target: bool = False  # tests/, benches/, or reached only through #[cfg(test)]
    package: str = ""
    language: str = "rust"
    _lines: list[str] | None = None

    @property
    def facts(self) -> FileFacts:
        """The file's facts; a one-file run decodes the cached facts of other files only when read."""
        found = self.stored_facts
        if not isinstance(found, FileFacts):
            found = self.stored_facts = found()
        return found

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
