"""Build a Plan from an Analysis (and, optionally, grouped compiler diagnostics)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rust_triage import __version__
from rust_triage.engine.model import Finding
from rust_triage.plan.cargo_tasks import compiler_summary, pattern_tasks
from rust_triage.plan.gates import quality_gates
from rust_triage.plan.model import Phase, Plan, Task
from rust_triage.plan.phases import PHASES, RuleIndex, phase_of
from rust_triage.plan.priority import BlastRadiusIndex
from rust_triage.plan.tasks import findings_to_tasks

if TYPE_CHECKING:
    from rust_triage.pipeline import Analysis


def build_plan(analysis: Analysis, *, compiler_result: Any = None, patterns: list[Any] | None = None) -> Plan:
    """Phases P0-P3 of tasks ordered by priority, and the quality gates.

    `compiler_result`/`patterns` come from rust_triage.families.compiler (read_diagnostics + group_patterns); each
    error pattern becomes one P0 task, each warning pattern one P3 task.
    """
    ctx = analysis.context
    blast = BlastRadiusIndex(ctx)
    notes: list[str] = list(ctx.workspace.notes)
    findings = analysis.findings
    rules = analysis.registry.metas()
    if compiler_result is not None:
        findings, confirmed = _drop_confirmed(findings, compiler_result, rules)
        if confirmed:
            notes.append(f"{confirmed} build finding(s) of rust-triage are also compiler errors: they are "
                         "listed once, in the compiler's patterns")
    tasks: list[Task] = findings_to_tasks(findings, blast, rules)
    compiler = None
    if compiler_result is not None:
        tasks += pattern_tasks(patterns or [], blast)
        compiler = compiler_summary(compiler_result, patterns or [])
        notes += [f"cargo JSON: {e.path}: {e.message}" for e in compiler_result.errors]
    phases = [Phase(pid, title, description) for pid, title, description in PHASES]
    by_id = {p.id: p for p in phases}
    for task in tasks:
        by_id[task.phase].tasks.append(task)
    for phase in phases:
        phase.tasks.sort(key=lambda t: (-t.priority, t.title, t.id))
    baseline = ctx.baseline
    if isinstance(baseline, dict):
        notes.append(f"baseline: {baseline.get('new', 0)} new, {baseline.get('unchanged', 0)} unchanged, "
                     f"{baseline.get('fixed', 0)} fixed")
    return Plan(
        root=str(ctx.workspace.root),
        name=_workspace_name(analysis),
        tool_version=__version__,
        gates=quality_gates(analysis, findings, compiler),
        phases=phases,
        files_scanned=len(ctx.files),
        findings=len(findings) + (compiler["errors"] + compiler["warnings"] if compiler else 0),
        compiler=compiler,
        notes=notes,
    )


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
