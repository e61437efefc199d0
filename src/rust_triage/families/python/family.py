"""The Python family, registered through the `rust_triage.rules` entry point."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rust_triage.engine.family import Family, RunSettings

if TYPE_CHECKING:
    import networkx

    from rust_triage.engine.context import AnalysisContext


def _prepare(ctx: AnalysisContext, settings: RunSettings) -> None:
    if ctx.workspace.python_files:
        from rust_triage.families.python import attach_python

        attach_python(ctx, cache_dir=settings.cache_dir, jobs=settings.jobs)


def _graph(g: networkx.MultiDiGraph, ctx: AnalysisContext) -> None:
    from rust_triage.families.python import python_files

    if python_files(ctx):
        from rust_triage.families.python.graph import add_python_to_graph

        add_python_to_graph(g, ctx)


def _merge(merged: AnalysisContext, parts: list[tuple[AnalysisContext, str]]) -> None:
    from rust_triage.families.python import merge_python_runs

    merge_python_runs(merged, parts)


FAMILY = Family(
    name="python",
    rules_package="rust_triage.families.python.rules",
    prepare=_prepare,
    graph_hook=_graph,
    merge=_merge,
    doc="The Python side of mixed repositories (RT5xx).",
)
