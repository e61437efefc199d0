"""The prioritized fix plan: phases P0-P3 of tasks, quality gates, Markdown and JSON renderings.

    plan = build_plan(analysis, compiler_result=result, patterns=patterns)
    text = render_markdown(plan)          # or render_json(plan)
"""

from __future__ import annotations

import json

from rust_triage.plan.build import build_plan
from rust_triage.plan.markdown import render_markdown
from rust_triage.plan.model import PLAN_FORMAT_VERSION, BlastRadius, Evidence, Gate, Phase, Plan, Task


def render_json(plan: Plan) -> str:
    return json.dumps(plan.to_dict(), indent=2, ensure_ascii=False) + "\n"


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
