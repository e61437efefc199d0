"""RT211 oversized-function: a fn with more lines of code than the threshold (default 80)."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta, RuleOption, SizedEffort
from rust_triage.engine.rule import Rule
from rust_triage.engine.taxonomy import plural
from rust_triage.families.debt.common import debt_of

DEFAULT_LINES = 80


def summary_note(findings: list[Finding]) -> str:
    return plural(len(findings), "oversized function")


class OversizedFunction(Rule):
    scope = "file"
    meta = RuleMeta(
        id="RT211",
        sized_effort=SizedEffort("code_lines", base_minutes=15, lines_per_minute=10),
        name="oversized-function",
        category="size",
        severity="low",
        summary_note=summary_note,
        effort_minutes=45,
        summary="function with more lines of code than the threshold (default 80)",
        tests_in_scope=False,
        precision="high",
        tags=("debt", "size", "refactoring"),
        docs=RuleDocs(
            what="Reports functions and methods whose body has more lines of code than "
            "`oversized-function-lines` (default 80), not counting blank and comment-only lines. Test "
            "functions are skipped unless `--include-tests`.",
            why="Long functions do several things at once; they are hard to test, review and change.",
            example="A 150-line `fn handle(req: Request) -> Response` that parses, validates, queries and "
            "renders.",
            fix="Extract the steps into named functions (each block under its own comment is a candidate), "
            "or move a large `match` arm's body into a method of the matched type.",
            suppress="`// rust-triage: allow(RT211) -- reason` above the function, "
            "`#[allow(clippy::too_many_lines)]` on it, or raise `oversized-function-lines` under `[thresholds]`.",
            clippy="clippy::too_many_lines",
        ),
        clippy_lints=("clippy::too_many_lines",),
        options=(RuleOption("max-lines", "positive-int", DEFAULT_LINES, "the most lines of code a function body "
                            "may have", threshold="oversized-function-lines"),),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        threshold: int = ctx.config.option(self.meta, "max-lines")
        for src in ctx.files:
            counted = debt_of(src).fn_code_lines
            for item in src.facts.items:
                if item.kind != "fn" or item.end_line - item.line + 1 <= threshold:
                    continue
                code = counted.get(item.index, item.end_line - item.line + 1)
                if code <= threshold:
                    continue
                yield ctx.finding(
                    self.meta, src, item.line, item.column,
                    f"`{item.name}` has {code} lines of code (threshold {threshold})",
                    end_line=item.end_line,
                    end_column=item.end_column,
                    item=item.index,
                    fix_hint="extract its steps into smaller named functions",
                    detail={"code_lines": code, "span_lines": item.end_line - item.line + 1,
                            "threshold": threshold},
                )


RULES = [OversizedFunction()]
