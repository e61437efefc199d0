"""Build a Plan from an Analysis (and, optionally, grouped compiler diagnostics)."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from rust_triage import __version__
from rust_triage.engine.deadcode import dead_files, orphan_clusters
from rust_triage.engine.model import Finding
from rust_triage.engine.paths import path_filter
from rust_triage.plan.cargo_tasks import compiler_summary, pattern_tasks
from rust_triage.plan.crates import CrateMap, rollup, task_crate
from rust_triage.plan.epics import fold_epics, orphan_tasks
from rust_triage.plan.gates import quality_gates
from rust_triage.plan.grouping import group_findings
from rust_triage.plan.model import Phase, Plan, Task
from rust_triage.plan.ordering import merge_with_compiler, order_phase
from rust_triage.plan.phases import PHASES, RuleIndex, phase_of
from rust_triage.plan.priority import BlastRadiusIndex

if TYPE_CHECKING:
    from rust_triage.pipeline import Analysis


def build_plan(analysis: Analysis, *, compiler_result: Any = None, patterns: list[Any] | None = None) -> Plan:
    """Phases P0-P3 of tasks, the quality gates and a per-crate rollup.

    `compiler_result`/`patterns` come from rust_triage.families.compiler (read_diagnostics + group_patterns); each
    error pattern becomes one P0 task, each warning pattern one P3 task. Static findings that predict a
    compiler pattern's fix site are merged into it.
    """
    ctx = analysis.context
    config = ctx.config
    blast = BlastRadiusIndex(ctx)
    crates = CrateMap(ctx)
    notes: list[str] = list(ctx.workspace.notes)
    findings = analysis.findings
    rules = analysis.registry.metas()
    if compiler_result is not None:
        findings, confirmed = _drop_confirmed(findings, compiler_result, rules)
        if confirmed:
            notes.append(f"{confirmed} build finding(s) of rust-triage are also compiler errors: they are "
                         "listed once, in the compiler's patterns")
    dead = dead_files(ctx)
    decisions = sorted(rid for rid, meta in rules.items() if meta.dead_code_decision)
    orphans = [f for f in findings if f.rule in decisions and f.file in dead]
    hidden: dict[str, list[Finding]] = defaultdict(list)
    planned: list[Finding] = []
    for f in findings:
        if f.rule in decisions and f.file in dead:
            continue
        if f.dead_code and not config.include_dead_code:
            hidden[f.file].append(f)
        else:
            planned.append(f)
    non_production = (path_filter(tuple(config.non_production), ()) if config.non_production
                      else (lambda _rel: False))
    tasks: list[Task] = group_findings(planned, blast, crates.module_of, non_production, rules)
    tasks += orphan_tasks(orphan_clusters(ctx, dead), orphans, hidden, decisions[:1] or [""])
    compiler = None
    if compiler_result is not None:
        cargo = pattern_tasks(patterns or [], blast)
        tasks, merged = merge_with_compiler(tasks, cargo)
        if merged:
            notes.append(f"{merged} static root-cause task(s) describe the same fix site as a compiler pattern: "
                         "merged into it")
        tasks += cargo
        compiler = compiler_summary(compiler_result, patterns or [])
        notes += [f"cargo JSON: {e.path}: {e.message}" for e in compiler_result.errors]
    for task in tasks:
        task.extra["crate"] = task_crate(task, crates)
    tasks = fold_epics(tasks, {t.id: str(t.extra["crate"]) for t in tasks})
    for task in tasks:
        task.extra.setdefault("crate", task_crate(task, crates))
    phases = [Phase(pid, title, description) for pid, title, description in PHASES]
    by_id = {p.id: p for p in phases}
    for task in tasks:
        by_id[task.phase].tasks.append(task)
    for phase in phases:
        phase.tasks = order_phase(phase.id, phase.tasks, crates, rules)
    hidden_count = sum(len(v) for v in hidden.values())
    if hidden_count:
        notes.append(f"{hidden_count} finding(s) in files no target compiles are not planned: each orphan "
                     "cluster is one \"wire in or delete\" task (--include-dead-code plans them)")
    baseline = ctx.baseline
    if isinstance(baseline, dict):
        notes.append(f"baseline: {baseline.get('new', 0)} new, {baseline.get('unchanged', 0)} unchanged, "
                     f"{baseline.get('fixed', 0)} fixed")
    all_tasks = [t for p in phases for t in p.tasks]
    return Plan(
        root=str(ctx.workspace.root),
        name=_workspace_name(analysis),
        tool_version=__version__,
        gates=quality_gates(analysis, [f for f in planned + orphans
                                       if not (phase_of(f, rules) == "P1" and non_production(f.file))], compiler),
        phases=phases,
        files_scanned=len(ctx.files),
        findings=len(findings) + (compiler["errors"] + compiler["warnings"] if compiler else 0),
        compiler=compiler,
        notes=notes,
        crates=[r.to_dict() for r in rollup(all_tasks, crates)],
        unplanned=[_unplanned(f) for fs in hidden.values() for f in fs],
    )


def _unplanned(f: Finding) -> dict[str, Any]:
    return {"rule": f.rule, "file": f.file, "line": f.line, "message": f.message, "fingerprint": f.fingerprint,
            "dead_code": f.dead_code}


def _drop_confirmed(findings: list[Finding], compiler_result: Any, rules: RuleIndex) -> tuple[list[Finding], int]:
    """P0 findings at the line of a compiler error predict that error: keep the compiler's version."""
    errors = {(d.file, d.line) for d in compiler_result.diagnostics if d.is_error and d.file}
    kept = [f for f in findings if not (phase_of(f, rules) == "P0" and (f.file, f.line) in errors)]
    return kept, len(findings) - len(kept)


def _workspace_name(analysis: Analysis) -> str:
    ws = analysis.context.workspace
    if len(ws.packages) == 1:
        return ws.packages[0].name
    return ws.root.name or str(ws.root)
