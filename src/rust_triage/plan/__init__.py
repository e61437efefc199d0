"""The prioritized fix plan: phases P0-P3 of tasks, quality gates, Markdown and JSON renderings.

    plan = build_plan(analysis, compiler_result=result, patterns=patterns)
    text = render_markdown(plan)          # or render_json(plan)
"""

from __future__ import annotations

from typing import Any

from rust_triage.escape import json_dumps
from rust_triage.plan.model import PLAN_FORMAT_VERSION, BlastRadius, Evidence, Gate, Phase, Plan, Task


def render_json(plan: Plan) -> str:
    return json_dumps(plan.to_dict(), indent=2) + "\n"


def __getattr__(name: str) -> Any:
    # Imported on first use: building a plan needs networkx, which `check` should not pay for.
    if name == "build_plan":
        from rust_triage.plan.build import build_plan

        return build_plan
    if name == "render_markdown":
        from rust_triage.plan.markdown import render_markdown

        return render_markdown
    raise AttributeError(name)


__all__ = [
    "PLAN_FORMAT_VERSION",
    "BlastRadius",
    "Evidence",
    "Gate",
    "Phase",
    "Plan",
    "Task",
    "build_plan",
    "render_json",
    "render_markdown",
]
