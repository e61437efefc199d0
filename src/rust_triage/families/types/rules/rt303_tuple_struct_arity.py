"""RT303 tuple-struct-arity: a tuple struct or tuple variant built with the wrong number of values (E0061)."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.families.types.literal_checks import literal_issues
from rust_triage.families.types.report import literal_finding


class TupleStructArity(Rule):
    meta = RuleMeta(
        id="RT303",
        fix_at_definition="fields",
        name="tuple-struct-arity",
        category="types",
        severity="high",
        summary="tuple struct or tuple variant constructed with too few or too many values (E0061)",
        tests_in_scope=True,  # a break in test code breaks `cargo test`
        precision="high",
        tags=("types", "compile-error"),
        docs=RuleDocs(
            what="Resolves calls like `Meters(3)`, `path::Pair(a, b)`, `Self(x)` and `Shape::Rect(w, h)` to a "
            "tuple struct or tuple variant of the workspace and compares the number of arguments with the number "
            "of fields. A capitalised fn called like a constructor (`M(\"a\")`) is checked against its "
            "parameters the same way.",
            why="rustc reports these as E0061 at every constructor call after a tuple struct gains or loses a "
            "field; rust-triage finds them all without compiling.",
            example="`pub struct Pair(pub u32, pub u32);` and `Pair(1)`: takes 2 arguments but 1 was supplied.",
            fix="Pass one value per field, in order (the hint lists the field types).",
            suppress="`// rust-triage: allow(RT303) -- reason` on the line before the call.",
            clippy="none (rustc error E0061)",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        for issue in literal_issues(ctx):
            if issue.kind == "arity":
                yield literal_finding(ctx, self.meta, issue)


RULES = [TupleStructArity()]
