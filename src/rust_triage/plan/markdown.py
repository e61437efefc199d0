"""The plan as Markdown: gate table, phases of check-box tasks, and a JSON appendix."""

from __future__ import annotations

import json

from rust_triage.plan.model import Plan, Task

MAX_FILES_LISTED = 10


def duration(minutes: int) -> str:
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(plan: Plan) -> str:
    out: list[str] = []
    summary = plan.summary()
    out.append(f"# 🚨 FIX PLAN: {plan.name} — {plan.findings:,} ISSUES, {summary['tasks']:,} TASKS 🚨\n")
    out.append(f"**Workspace:** `{plan.root}`  ")
    out.append(f"**Files scanned:** {plan.files_scanned}  ")
    out.append(f"**Tool:** rust-triage {plan.tool_version}  ")
    if plan.compiler is not None:
        c = plan.compiler
        out.append(f"**Compiler:** {c['errors']} errors + {c['warnings']} warnings = "
                   f"{c['errors'] + c['warnings']} diagnostics in {c['patterns']} patterns  ")
    out.append(f"**Estimated effort:** {duration(summary['estimate_minutes'])} in {summary['tasks']} tasks\n")
    failing = [g.name for g in plan.gates if not g.passed]
    out.append("**OBJECTIVE**: every quality gate PASS"
               + (f" ({len(failing)} failing: {', '.join(failing)})" if failing else " (all passing)") + "\n")
    out.append("## Quality Gates\n")
    out.append("| Gate | Status | Evidence |")
    out.append("|------|--------|----------|")
    for gate in plan.gates:
        status = "✅ PASS" if gate.passed else "❌ FAIL"
        out.append(f"| **{_cell(gate.name)}** | {status} | {_cell(gate.evidence)} |")
    out.append("")
    out.append("## Phases\n")
    out.append("| Phase | Tasks | Issues | Estimate |")
    out.append("|-------|-------|--------|----------|")
    for phase in plan.phases:
        out.append(f"| {phase.id} {phase.title} | {len(phase.tasks)} | {phase.occurrences} | "
                   f"{duration(phase.minutes)} |")
    out.append("")
    out.append("**SYSTEMATIC FIX APPROACH**:")
    out.append("1. Work phase by phase: P0 first, nothing else can be verified while the build is broken.")
    out.append("2. Within a phase, tasks are ordered by priority = severity × blast radius × occurrences.")
    out.append("3. After each task re-run `rust-triage check` (and `cargo check`), then tick its box.")
    out.append("4. Never declare victory until every gate reads PASS.\n")
    if plan.notes:
        out.append("**Notes:**")
        out.extend(f"- {note}" for note in plan.notes)
        out.append("")
    out.append("---\n")
    for phase in plan.phases:
        out.append(f"## PHASE {phase.id}: {phase.title.upper()}\n")
        out.append(f"*{phase.description}*\n")
        if not phase.tasks:
            out.append("No tasks: this phase is clear. ✅\n")
        for number, task in enumerate(phase.tasks, 1):
            out.extend(_task(task, f"{phase.id}-{number}"))
        out.append("---\n")
    out.append("## Machine-readable appendix\n")
    out.append("The same plan as `rust-triage plan --format json` (task ids are stable across runs).\n")
    out.append("```json")
    out.append(json.dumps(plan.to_dict(), indent=2, ensure_ascii=False))
    out.append("```")
    return "\n".join(out) + "\n"


def _task(task: Task, number: str) -> list[str]:
    out = [f"#### Task {number}: {task.title}\n", f"- [ ] **{task.id}** done\n"]
    locations = task.location_text()
    if len(locations) == 1:
        path, _, lines = locations[0].partition(":")
        out.append(f"**File:** `{path}`  ")
        if lines:
            out.append(f"**Lines:** {lines}  ")
    else:
        out.append(f"**Files:** {len(locations)}  ")
        for loc in locations[:MAX_FILES_LISTED]:
            out.append(f"- `{loc}`")
        if len(locations) > MAX_FILES_LISTED:
            out.append(f"- … and {len(locations) - MAX_FILES_LISTED} more (see the JSON appendix)")
        out.append("")
    out.append(f"**Category:** {task.category} · **Severity:** {task.severity.upper()} · "
               f"**Priority:** {task.priority} · **Estimate:** {duration(task.estimate_minutes)}  ")
    out.append(f"**Blast radius:** {task.blast.describe()} (score {task.blast.score})\n")
    out.append(f"**Issue:** {task.summary}\n")
    if task.fix_hints:
        if len(task.fix_hints) == 1:
            out.append(f"**Fix:** {task.fix_hints[0][1]}\n")
        else:
            out.append("**Fix:**")
            out.extend(f"- {rule}: {hint}" for rule, hint in task.fix_hints)
            out.append("")
    if task.evidence:
        out.append("**Evidence:**")
        fence = "~~~" if any("```" in e.snippet for e in task.evidence) else "```"
        out.append(f"{fence}rust")
        for e in task.evidence:
            where = f"{e.file}:{e.line}" if e.line else (e.file or "<no location>")
            message = e.message.splitlines()[0] if e.message else ""
            out.append(f"// {where}  {e.rule}: {message}")
            if e.snippet:
                out.append(e.snippet)
        out.append(fence)
        hidden = task.occurrences - len(task.evidence)
        if hidden > 0:
            out.append(f"… and {hidden} more occurrence(s) (see the JSON appendix)")
        out.append("")
    return out
