"""The plan as Markdown: gate table, phases of check-box tasks, and a JSON appendix.

Text from the analysis goes through `escape.markdown_text` (inline), `escape.markdown_code` (paths) and
`escape.markdown_fence` (evidence, appendix); the whole document through `escape.ci_safe`.
"""

from __future__ import annotations

from rust_triage.escape import ci_safe, json_dumps, markdown_code, markdown_fence, markdown_text
from rust_triage.plan.markdown_head import crate_rollup_table, numbering, subitems, top_tasks_table
from rust_triage.plan.model import Plan, Task

MAX_FILES_LISTED = 10


def duration(minutes: int) -> str:
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def _cell(text: str) -> str:
    return markdown_text(text.replace("\n", " "), table=True)


def _md(text: str) -> str:
    return markdown_text(text)


def render_markdown(plan: Plan) -> str:
    out: list[str] = []
    summary = plan.summary()
    out.append(f"# 🚨 FIX PLAN: {_md(plan.name)} — {plan.findings:,} ISSUES, {summary['tasks']:,} TASKS 🚨\n")
    out.append(f"**Workspace:** {markdown_code(plan.root)}  ")
    out.append(f"**Files scanned:** {plan.files_scanned}  ")
    out.append(f"**Tool:** rust-triage {plan.tool_version}  ")
    if plan.compiler is not None:
        c = plan.compiler
        out.append(f"**Compiler:** {c['errors']} errors + {c['warnings']} warnings = "
                   f"{c['errors'] + c['warnings']} diagnostics in {c['patterns']} patterns  ")
    out.append(f"**Estimated effort:** {duration(summary['estimate_minutes'])} in {summary['tasks']} tasks\n")
    failing = [g.name for g in plan.gates if not g.passed]
    out.append("**OBJECTIVE**: every quality gate PASS"
               + (f" ({len(failing)} failing: {_md(', '.join(failing))})" if failing else " (all passing)") + "\n")
    out.append("## Quality Gates\n")
    out.append("| Gate | Status | Evidence |")
    out.append("|------|--------|----------|")
    for gate in plan.gates:
        status = "✅ PASS" if gate.passed else "❌ FAIL"
        out.append(f"| **{_cell(gate.name)}** | {status} | {_cell(gate.evidence)} |")
    out.append("")
    numbers = numbering(plan)
    out.extend(top_tasks_table(plan, numbers))
    out.extend(crate_rollup_table(plan))
    out.append("## Phases\n")
    out.append("| Phase | Tasks | Issues | Estimate |")
    out.append("|-------|-------|--------|----------|")
    for phase in plan.phases:
        out.append(f"| {_cell(f'{phase.id} {phase.title}')} | {len(phase.tasks)} | {phase.occurrences} | "
                   f"{duration(phase.minutes)} |")
    out.append("")
    out.append("**SYSTEMATIC FIX APPROACH**:")
    out.append("1. Work phase by phase: P0 first, nothing else can be verified while the build is broken.")
    out.append("2. P0 follows the build: crates in dependency order, module and syntax errors before type "
               "errors. Other phases go by priority = severity × blast radius × occurrences.")
    out.append("3. After each task re-run `rust-triage check` (and `cargo check`), then tick its box.")
    out.append("4. Never declare victory until every gate reads PASS.\n")
    if plan.notes:
        out.append("**Notes:**")
        out.extend(f"- {_md(note)}" for note in plan.notes)
        out.append("")
    out.append("---\n")
    for phase in plan.phases:
        out.append(f"## PHASE {_md(phase.id)}: {_md(phase.title.upper())}\n")
        out.append(f"*{_md(phase.description)}*\n")
        if not phase.tasks:
            out.append("No tasks: this phase is clear. ✅\n")
        for number, task in enumerate(phase.tasks, 1):
            out.extend(_task(task, f"{phase.id}-{number}"))
        out.append("---\n")
    out.append("## Machine-readable appendix\n")
    out.append("The same plan as `rust-triage plan --format json` (task ids are stable across runs).\n")
    out.extend(markdown_fence(json_dumps(plan.to_dict(), indent=2), "json"))
    return ci_safe("\n".join(out) + "\n")


def _task(task: Task, number: str) -> list[str]:
    out = [f"#### Task {number}: {_md(task.title)}\n", f"- [ ] **{_md(task.id)}** done\n"]
    locations = task.location_text()
    if len(locations) == 1:
        path = task.files[0]
        lines = locations[0][len(path) + 1 :]  # "path:12-14, 30" (file names may hold colons)
        out.append(f"**File:** {markdown_code(path)}  ")
        if lines:
            out.append(f"**Lines:** {lines}  ")
    else:
        out.append(f"**Files:** {len(locations)}  ")
        for loc in locations[:MAX_FILES_LISTED]:
            out.append(f"- {markdown_code(loc)}")
        if len(locations) > MAX_FILES_LISTED:
            out.append(f"- … and {len(locations) - MAX_FILES_LISTED} more (see the JSON appendix)")
        out.append("")
    out.append(f"**Category:** {_md(task.category)} · **Severity:** {_md(task.severity.upper())} · "
               f"**Priority:** {task.priority} · **Estimate:** {duration(task.estimate_minutes)}  ")
    out.append(f"**Blast radius:** {task.blast.describe()} (score {task.blast.score})\n")
    out.append(f"**Issue:** {_md(task.summary)}\n")
    out.extend(subitems(task))
    if task.fix_hints:
        if len(task.fix_hints) == 1:
            out.append(f"**Fix:** {_md(task.fix_hints[0][1])}\n")
        else:
            out.append("**Fix:**")
            out.extend(f"- {_md(f'{rule}: {hint}')}" for rule, hint in task.fix_hints)
            out.append("")
    if task.evidence:
        out.append("**Evidence:**")
        evidence: list[str] = []
        for e in task.evidence:
            where = f"{e.file}:{e.line}" if e.line else (e.file or "<no location>")
            message = e.message.splitlines()[0] if e.message else ""
            evidence.append(f"// {where}  {e.rule}: {message}".replace("\n", " "))
            if e.snippet:
                evidence.append(e.snippet)
        out.extend(markdown_fence("\n".join(evidence), "rust"))
        hidden = task.occurrences - len(task.evidence)
        if hidden > 0:
            out.append(f"… and {hidden} more occurrence(s) (see the JSON appendix)")
        out.append("")
    return out
