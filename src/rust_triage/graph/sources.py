"""What the graph layer reads from a run: the workspace, its files and the name index.

A protocol, so that the graph does not depend on the engine's AnalysisContext (which satisfies it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from rust_triage.graph.resolve import FilesView, SymbolIndex

if TYPE_CHECKING:
    from rust_triage.workspace.model import Workspace


class AnalysedSources(FilesView, Protocol):
    @property
    def workspace(self) -> Workspace: ...

    @property
    def index(self) -> SymbolIndex: ...
