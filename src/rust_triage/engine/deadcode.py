"""Dead code: files no target compiles, grouped into clusters that are one "wire in or delete" decision.

Findings inside such files are marked `dead_code` (JSON/SARIF keep them; text and the plan hide them
unless `--include-dead-code`). The findings of rules marked `dead_code_decision` (orphan files) are the
decision itself and stay visible.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

import msgspec

from rust_triage.engine.model import Finding

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext



class OrphanCluster(msgspec.Struct):
    """One orphan file, or the highest directory whose every `.rs` file is an orphan."""

    path: str  # "crates/core/src/legacy/" (a directory, trailing slash) or a file
    package: str
    files: list[str] = msgspec.field(default_factory=list)
    lines: int = 0

    @property
    def is_dir(self) -> bool:
        return self.path.endswith("/")


def dead_files(ctx: AnalysisContext) -> set[str]:
    """Relative paths of the files no target of the workspace compiles (not even through include!).

    Kept as a workspace memo while no interface changes: a one-file run need not read every file's facts."""
    return ctx.memo(_memoized_dead_files)


def _memoized_dead_files(ctx: AnalysisContext) -> set[str]:
    from rust_triage.engine.results_store import WorkspaceMemo

    memo = ctx.get(WorkspaceMemo)
    if memo is None:
        return _dead_files(ctx)
    return set(memo.get_or_build("dead-files", list[str], lambda: sorted(_dead_files(ctx))))


def _dead_files(ctx: AnalysisContext) -> set[str]:
    if ctx.workspace.fallback:
        return set()
    orphans = {ctx.workspace.rel(p) for p in ctx.module_tree.orphans}
    if not orphans:
        return set()
    included: set[str] = set()
    for src in ctx.files:
        if src.modules:
            for raw in src.facts.includes:
                included.add(ctx.workspace.rel((src.path.parent / raw).resolve()))
    return orphans - included


def mark_dead_code(ctx: AnalysisContext, findings: list[Finding]) -> set[str]:
    """Set `dead_code` on the findings inside dead files (except the orphan finding itself)."""
    dead = dead_files(ctx)
    if dead:
        decisions = {rule for rule, meta in ctx.rules.items() if meta.dead_code_decision}
        for f in findings:
            if f.file in dead and f.rule not in decisions:
                f.dead_code = True
    return dead


def orphan_clusters(ctx: AnalysisContext, dead: set[str]) -> list[OrphanCluster]:
    """Orphans grouped by the highest directory made only of orphans (else one cluster per file)."""
    all_rs = [ctx.workspace.rel(p) for p in ctx.workspace.rust_files]
    live_dirs: set[str] = set()
    for rel in all_rs:
        if rel not in dead:
            parts = rel.split("/")[:-1]
            live_dirs.update("/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1))
    clusters: dict[str, OrphanCluster] = {}
    lines = {src.rel: src.facts.line_count for src in ctx.files}
    for rel in sorted(dead):
        parts = rel.split("/")[:-1]
        key = rel
        for i in range(1, len(parts) + 1):  # the shallowest directory with no live file below it
            directory = "/".join(parts[:i]) + "/"
            if directory not in live_dirs:
                key = directory
                break
        cluster = clusters.setdefault(key, OrphanCluster(key, _package_of(ctx, rel)))
        cluster.files.append(rel)
        cluster.lines += lines.get(rel, 0)
    return sorted(clusters.values(), key=lambda c: c.path)


def _package_of(ctx: AnalysisContext, rel: str) -> str:
    path = ctx.workspace.root / rel
    best = ""
    depth = -1
    for package in ctx.workspace.packages:
        root = package.root
        if root == path or root in path.parents:
            if len(root.parts) > depth:
                best, depth = package.name, len(root.parts)
    return best


def visible_analysis(analysis: Any, include_dead_code: bool) -> Any:
    """The analysis the text formats and the exit status see: dead-code findings dropped unless asked,
    or unless the user named the files (pre-commit passes the staged files: they are wanted).
    `analysis` is a pipeline.Analysis (the engine layer does not import the pipeline)."""
    if include_dead_code or analysis.focus is not None:
        return analysis
    kept = [f for f in analysis.findings if not f.dead_code]
    if len(kept) == len(analysis.findings):
        return analysis
    stats = {**analysis.stats, "dead_code_hidden": len(analysis.findings) - len(kept)}
    return replace(analysis, findings=kept, stats=stats)
