"""RT302 unknown-struct-field: a struct literal naming a field the struct does not have (rustc E0560)."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.families.types.literal_checks import literal_issues
from rust_triage.families.types.report import literal_finding


class UnknownStructField(Rule):
    meta = RuleMeta(
        id="RT302",
        fix_at_definition="fields",
        name="unknown-struct-field",
        category="types",
        severity="high",
        summary="struct literal with a field the struct does not define (E0560)",
        tests_in_scope=True,  # a break in test code breaks `cargo test`
        precision="high",
        tags=("types", "compile-error"),
        docs=RuleDocs(
            what="Resolves struct literals like RT301 does and reports initialisers whose field name the struct "
            "(or struct variant) does not define.",
            why="rustc's E0560: a field was renamed or removed and the literals were not updated. Seeing all of "
            "them at once, with the struct's real field list, makes the fix mechanical.",
            example="`OptimizationOutcome { score: 1.0, reviewer: String::new(), .. }` when the struct has no "
            "`reviewer` field.",
            fix="Remove the initialiser or rename it to one of the fields listed in the hint.",
            suppress="`// rust-triage: allow(RT302) -- reason` on the line before the field.",
            clippy="none (rustc error E0560)",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        for issue in literal_issues(ctx):
            if issue.kind == "unknown":
                yield literal_finding(ctx, self.meta, issue)


RULES = [UnknownStructField()]
