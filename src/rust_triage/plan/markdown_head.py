"""The first screen of the Markdown plan: gates, the top tasks, and a per-crate rollup."""

from __future__ import annotations

from rust_triage.escape import markdown_code, markdown_text
from rust_triage.plan.model import Plan, Task

TOP_TASKS = 10


def _cell(text: str) -> str:
    return markdown_text(text.replace("\n", " "), table=True)


def duration(minutes: int) -> str:
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def numbering(plan: Plan) -> dict[str, str]:
    """Task id -> "P0-3", the number it has in its phase."""
    return {t.id: f"{p.id}-{n}" for p in plan.phases for n, t in enumerate(p.tasks, 1)}


def top_tasks_table(plan: Plan, numbers: dict[str, str]) -> list[str]:
    tasks: list[Task] = plan.top_tasks(TOP_TASKS)
    if not tasks:
        return []
    out = [f"## Top {len(tasks)} tasks\n", "| # | Task | Crate | Estimate | Unblocks |",
           "|---|------|-------|----------|----------|"]
    for task in tasks:
        crate = str(task.extra.get("crate", ""))
        out.append(f"| {numbers.get(task.id, '')} | {_cell(task.title)} | {markdown_code(crate)} | "
                   f"{duration(task.estimate_minutes)} | {_cell(_unblocks(task))} |")
    out.append("")
    return out


def _unblocks(task: Task) -> str:
    if task.phase == "P0":
        return f"the build of {task.extra.get('crate', 'its crate')} and every crate depending on it"
    return task.blast.describe()


def crate_rollup_table(plan: Plan) -> list[str]:
    if not plan.crates:
        return []
    out = ["## Crates (in build order)\n", "| Crate | Tasks | Estimate | Blockers (P0) | Dead lines |",
           "|-------|-------|----------|---------------|------------|"]
    for row in plan.crates:
        out.append(f"| {markdown_code(str(row['crate']))} | {row['tasks']} | {duration(int(row['estimate_minutes']))} | "
                   f"{row['blockers']} | {row['dead_lines']:,} |")
    out.append("")
    return out


def subitems(task: Task) -> list[str]:
    items = task.extra.get("subitems")
    if not isinstance(items, list):
        return []
    out = ["**Sub-items:**"]
    for item in items:
        where = ", ".join(markdown_code(loc) for loc in item.get("locations", [])[:2])
        out.append(f"- [ ] {markdown_text(str(item['title']))} — {duration(int(item['estimate_minutes']))}"
                   + (f" ({where})" if where else "") + f" `{item['id']}`")
    out.append("")
    return out
