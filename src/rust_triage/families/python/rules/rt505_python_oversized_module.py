"""RT505 python-oversized-module: a Python module with too many code lines."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rust_triage.engine.model import Finding, RuleDocs, RuleMeta, RuleOption
from rust_triage.families.python.rule import PythonRule

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext
    from rust_triage.families.python.source import PySourceFile

DEFAULT_MAX_LINES = 1000


class PythonOversizedModule(PythonRule):
    meta = RuleMeta(
        id="RT505",
        name="python-oversized-module",
        category="structure",
        severity="low",
        effort_minutes=90,
        summary=f"Python module with more than {DEFAULT_MAX_LINES} code lines",
        language="python",
        tests_in_scope=False,
        precision="high",
        tags=("structure", "python", "size"),
        docs=RuleDocs(
            what=f"Reports modules with more code lines (non-blank, non-comment, not docstrings) than the "
            f"limit, {DEFAULT_MAX_LINES} by default. Set it with `max-lines` under `[rules.RT505]` or "
            "`python-module-lines` under `[thresholds]`. Docstrings (and other string-only statements) are "
            "documentation, not code: `count-docstrings = true` counts them too.",
            why="Very large modules mix responsibilities, are hard to review and attract merge conflicts; "
            "they are where a team's fixes collide during a crisis.",
            example="`service/handlers.py` with 2,400 code lines of request handlers, models and helpers.",
            fix="Split the module by responsibility (handlers, models, persistence) into a package.",
            suppress="`# rust-triage: allow-file(RT505) -- reason` in the module's first comment block, or a "
            "per-path override that ignores RT505. ruff has no equivalent (pylint's too-many-lines is C0302).",
            clippy="none (Python rule; no ruff equivalent; pylint C0302)",
        ),
        options=(RuleOption("max-lines", "positive-int", DEFAULT_MAX_LINES, "the most code lines a module may have",
                            threshold="python-module-lines"),
                 RuleOption("count-docstrings", "bool", False, "count docstring lines as code lines"),),
    )

    def check_file(self, ctx: AnalysisContext, src: PySourceFile) -> Iterable[Finding]:
        limit: int = ctx.config.option(self.meta, "max-lines")
        lines = src.facts.code_lines
        if not ctx.config.option(self.meta, "count-docstrings"):
            lines -= src.facts.doc_lines
        if lines <= limit:
            return
        yield self.finding(
            ctx, src, 1, 1,
            f"module `{src.module or src.rel}` has {lines} code lines (limit {limit})",
            fix_hint="split it into smaller modules by responsibility",
            detail={"code_lines": lines, "limit": limit}, snippet="",
        )


RULES = [PythonOversizedModule()]
