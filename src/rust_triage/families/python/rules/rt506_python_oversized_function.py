"""RT506 python-oversized-function: a Python function with too many code lines."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rust_triage.engine.model import Finding, RuleDocs, RuleMeta, RuleOption
from rust_triage.families.python.rule import PythonRule

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext
    from rust_triage.families.python.source import PySourceFile

DEFAULT_MAX_LINES = 80


class PythonOversizedFunction(PythonRule):
    meta = RuleMeta(
        id="RT506",
        name="python-oversized-function",
        category="structure",
        severity="low",
        effort_minutes=45,
        summary=f"Python function with more than {DEFAULT_MAX_LINES} code lines",
        language="python",
        tests_in_scope=False,
        precision="high",
        tags=("structure", "python", "size"),
        docs=RuleDocs(
            what=f"Reports functions and methods (sync or async) with more code lines than the limit, "
            f"{DEFAULT_MAX_LINES} by default, counting from the `def` line to the end of the body (non-blank, "
            "non-comment lines outside docstrings; nested functions count towards their parent too). Set it with `max-lines` "
            "under `[rules.RT506]` or `python-function-lines` under `[thresholds]`. Docstrings are documentation, not code: "
            "`count-docstrings = true` counts them too.",
            why="Long functions hide several responsibilities and many paths; they are hard to test and "
            "where blocking calls and swallowed errors go unnoticed.",
            example="A 250-line `async def handle_request(...)` that parses, validates, runs a job and formats "
            "the response.",
            fix="Extract the steps into well-named helpers; keep the top-level function a readable outline.",
            suppress="`# rust-triage: allow(RT506) -- reason` at the end of the `def` line or alone on the "
            "line above it (below the decorators of a decorated function), or `# noqa: PLR0915` on the `def` line.",
            clippy="none (Python rule; closest ruff rule: PLR0915 too-many-statements)",
        ),
        options=(RuleOption("max-lines", "positive-int", DEFAULT_MAX_LINES, "the most code lines a function may have",
                            threshold="python-function-lines"),
                 RuleOption("count-docstrings", "bool", False, "count docstring lines as code lines"),),
    )
    ruff_codes = ("PLR0915",)

    def check_file(self, ctx: AnalysisContext, src: PySourceFile) -> Iterable[Finding]:
        limit: int = ctx.config.option(self.meta, "max-lines")
        docstrings: bool = ctx.config.option(self.meta, "count-docstrings")
        for d in src.facts.defs:
            lines = d.code_lines if docstrings else d.code_lines - d.doc_lines
            if d.kind != "function" or lines <= limit:
                continue
            kind = "async def" if d.is_async else "def"
            yield self.finding(
                ctx, src, d.line, d.column,
                f"`{kind} {src.facts.qualname(d.index)}` has {lines} code lines (limit {limit})",
                def_index=d.index, end_line=d.end_line,
                fix_hint="extract its steps into smaller helper functions",
                detail={"code_lines": lines, "limit": limit, "docstring_lines": d.doc_lines},
            )


RULES = [PythonOversizedFunction()]
