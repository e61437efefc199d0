"""Paths from several Cargo workspaces (a monorepo pre-commit run): analyse each, report once.

Each workspace is analysed on its own (its own module tree, graph and config); the results are
merged under their common parent directory, with every path re-rooted there.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from rust_triage.engine.context import AnalysisContext, SourceFile
from rust_triage.engine.model import Finding
from rust_triage.errors import FileError
from rust_triage.pipeline import Analysis, Options, analyse
from rust_triage.workspace.model import ModuleTree, Workspace


def group_by_workspace(paths: list[Path]) -> dict[Path, list[Path]]:
    from rust_triage.workspace.discovery import governing_root

    groups: dict[Path, list[Path]] = {}
    for path in paths:
        groups.setdefault(governing_root(path), []).append(path)
    return dict(sorted(groups.items()))


def analyse_many(options: Options) -> Analysis:
    groups = group_by_workspace(options.paths)
    if len(groups) <= 1:
        return analyse(options)
    parts = [analyse(dataclasses.replace(options, paths=paths)) for paths in groups.values()]
    return merge_analyses(parts)


def _prefix(base: Path, root: Path) -> str:
    rel = os.path.relpath(root, base).replace(os.sep, "/")
    return "" if rel == "." else rel + "/"


def _move(f: Finding, prefix: str) -> Finding:
    moved = dataclasses.replace(f, file=prefix + f.file if f.file else f.file)
    moved.related = [dataclasses.replace(r, file=prefix + r.file if r.file else r.file) for r in f.related]
    return moved


def merge_analyses(parts: list[Analysis]) -> Analysis:
    roots = [p.context.workspace.root for p in parts]
    base = Path(os.path.commonpath([str(r) for r in roots]))
    files: list[SourceFile] = []
    findings: list[Finding] = []
    suppressed: list[Finding] = []
    errors: list[FileError] = []
    notes: list[str] = []
    rule_errors: list[FileError] = []
    other_files = 0
    focus: set[str] = set()
    for part in parts:
        ctx = part.context
        prefix = _prefix(base, ctx.workspace.root)
        files.extend(dataclasses.replace(src, rel=prefix + src.rel) for src in ctx.files)
        findings.extend(_move(f, prefix) for f in part.findings)
        suppressed.extend(_move(f, prefix) for f in part.suppressed)
        errors.extend(dataclasses.replace(e, path=prefix + e.path) for e in part.errors)
        rule_errors.extend(ctx.rule_errors)
        other_files += ctx.other_files
        notes.extend(f"{prefix or './'}: {n}" for n in ctx.workspace.notes)
        focus.update(prefix + rel for rel in (part.focus or ()))
    workspace = Workspace(root=base, manifest=None, notes=notes)
    first = parts[0]
    ctx = AnalysisContext(workspace, ModuleTree(), sorted(files, key=lambda s: s.rel), first.context.config,
                          rule_errors=rule_errors, other_files=other_files,
                          graph_hooks=list(first.context.graph_hooks), rules=dict(first.context.rules))
    prefixed = [(part.context, _prefix(base, part.context.workspace.root)) for part in parts]
    for family in first.registry.families:
        if family.merge is not None:  # e.g. the Python family's parsed files, for the graph
            family.merge(ctx, prefixed)
    stats: dict[str, float | int] = {k: sum(int(p.stats.get(k, 0)) for p in parts) for k in ("files", "parsed", "cache_hits")}
    return Analysis(
        context=ctx,
        registry=first.registry,
        findings=sorted(findings, key=Finding.sort_key),
        suppressed=sorted(suppressed, key=Finding.sort_key),
        errors=sorted(errors, key=lambda e: (e.path, e.line or 0, e.kind)),
        stats=stats,
        focus=focus or None,
    )
