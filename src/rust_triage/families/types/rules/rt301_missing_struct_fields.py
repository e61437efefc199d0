"""RT301 missing-struct-fields: a struct literal that does not initialise every field (rustc E0063)."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.families.types.literal_checks import literal_issues
from rust_triage.families.types.report import literal_finding


class MissingStructFields(Rule):
    meta = RuleMeta(
        id="RT301",
        fix_at_definition="fields",
        name="missing-struct-fields",
        category="types",
        severity="high",
        summary="struct literal without some of the struct's fields (E0063)",
        tests_in_scope=True,  # a break in test code breaks `cargo test`
        precision="high",
        tags=("types", "compile-error"),
        docs=RuleDocs(
            what="Resolves every struct literal (`Foo { a, b: 1 }`, `path::Foo { .. }`, `Self { .. }`, "
            "`E::Variant { .. }`, through `use` imports, renames, globs, re-exports, `crate::`/`super::` paths "
            "and type aliases) to its definition anywhere in the workspace, and reports the fields it does not "
            "initialise when it has no `..base`. Literals in macro bodies are skipped; arguments of std macros "
            "such as `vec!` and `format!` are checked. When the path does not resolve to exactly one "
            "definition nothing is reported. Missing fields behind `#[cfg(...)]` give a medium-confidence "
            "finding, hidden by default. A literal that also names a field the struct lacks (a renamed "
            "field) gets RT302 alone, as rustc reports no missing field then.",
            why="This is rustc's E0063, the error that floods a workspace after a field is added to a widely "
            "built struct. rust-triage lists every such literal across the workspace without compiling, with "
            "the field types to add.",
            example="`pub struct CodeState { pub code_content: String, pub generation: u32 }` and elsewhere "
            "`CodeState { generation: 0 }`: reported, missing `code_content`.",
            fix="Initialise the missing fields (the hint lists them with their types), or end the literal with "
            "`..Default::default()` / `..base` where that is what you mean.",
            suppress="`// rust-triage: allow(RT301) -- reason` on the line before the literal.",
            clippy="none (rustc error E0063)",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        for issue in literal_issues(ctx):
            if issue.kind == "missing":
                yield literal_finding(ctx, self.meta, issue)


RULES = [MissingStructFields()]
