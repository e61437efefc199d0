"""RT011 missing-module-file: `mod foo;` whose file does not exist."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule


class MissingModuleFile(Rule):
    meta = RuleMeta(
        id="RT011",
        breaks_module_tree=True,
        name="missing-module-file",
        category="build",
        severity="critical",
        effort_minutes=10,
        summary="`mod` declaration whose file is missing (E0583)",
        tests_in_scope=True,
        precision="very-high",
        tags=("build", "compile-error"),
        docs=RuleDocs(
            what="Reports `mod foo;` declarations for which neither `foo.rs` nor `foo/mod.rs` (or the "
            "`#[path]` target) exists. A declaration with `#[cfg_attr(pred, path = \"x.rs\")]` attributes is "
            "not reported when one of the files they name exists (each is taken as the module).",
            why="This is rustc error E0583: the crate does not compile, and every error behind it stays hidden "
            "until it is fixed.",
            example="`src/lib.rs` says `pub mod metrics;` but `src/metrics.rs` was never committed.",
            fix="Create the file at one of the paths listed in the finding, fix the `#[path]`, or remove the "
            "declaration.",
            suppress="`// rust-triage: allow(RT011) -- reason` on the line above the declaration.",
            clippy="none (rustc E0583)",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        for missing in ctx.module_tree.missing:
            rel = ctx.workspace.rel(missing.file)
            tried = [ctx.workspace.rel(p) for p in missing.tried]
            src = ctx.by_rel.get(rel)
            # A `mod` written inside a macro call (cfg_if! ...) may be rewritten by the macro.
            in_macro = src is not None and not any(
                it.kind == "mod" and it.line == missing.line and it.name == missing.name for it in src.facts.items
            )
            yield ctx.finding(
                self.meta, rel, missing.line, missing.column,
                f"file for module `{missing.name}` not found (tried {', '.join(tried) or 'nothing'})",
                fix_hint=f"create {tried[0] if tried else missing.name + '.rs'} or remove the `mod {missing.name};` line",
                detail={"module": missing.name, "tried": tried, "in_macro": in_macro},
                confidence="medium" if in_macro else "high",
                in_test=False,
            )


RULES = [MissingModuleFile()]
