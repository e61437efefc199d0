"""An example rust-triage plugin: one Python rule exposed through the `rust_triage.rules` entry point."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta, RuleOption
from rust_triage.engine.rule import Rule


class TooManyParams(Rule):
    meta = RuleMeta(
        id="EXT001",
        name="too-many-params",
        category="style",
        severity="low",
        summary="function with more parameters than `[rules.EXT001] max` (default 4)",
        docs=RuleDocs(
            what="Reports functions taking more than `max` parameters (not counting `self`).",
            why="Long parameter lists are hard to call correctly.",
            example="`fn f(a: u8, b: u8, c: u8, d: u8, e: u8)`",
            fix="Group related parameters into a struct.",
            suppress="`// rust-triage: allow(EXT001) -- reason`",
        ),
        # Declared options are checked when the configuration is loaded: a wrong type or a misspelt key
        # stops the run with exit status 2 before any analysis.
        options=(RuleOption("max", "positive-int", 4, "the most parameters a function may take"),),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        limit: int = ctx.config.option(self.meta, "max")
        for src in ctx.files:
            for item in src.facts.items:
                if item.kind == "fn" and len(item.params) > limit:
                    yield ctx.finding(
                        self.meta, src, item.line, item.column,
                        f"`{item.name}` takes {len(item.params)} parameters (limit {limit})",
                        item=item.index,
                    )


RULES = [TooManyParams()]
