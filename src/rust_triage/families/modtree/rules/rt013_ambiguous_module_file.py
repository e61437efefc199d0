"""RT013 ambiguous-module-file: `mod x;` with both `x.rs` and `x/mod.rs` present (rustc E0761)."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, Location, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule


class AmbiguousModuleFile(Rule):
    meta = RuleMeta(
        id="RT013",
        breaks_module_tree=True,
        name="ambiguous-module-file",
        category="build",
        severity="critical",
        effort_minutes=15,
        summary="`mod x;` where both `x.rs` and `x/mod.rs` exist (E0761)",
        tests_in_scope=True,
        precision="very-high",
        tags=("build", "compile-error"),
        docs=RuleDocs(
            what="Reports `mod x;` declarations for which both candidate files exist: `x.rs` and `x/mod.rs`.",
            why="rustc refuses to choose (error E0761): the crate does not compile. Usually one of the two is a "
            "stale copy left by a move between the two layouts.",
            example="`src/net.rs` and `src/net/mod.rs` both exist and `src/lib.rs` says `mod net;`.",
            fix="Merge the two files into one of them and delete the other (keep `x/mod.rs` only if `x/` has "
            "submodules and you prefer that layout).",
            suppress="`// rust-triage: allow(RT013) -- reason` on the line above the declaration.",
            clippy="none (rustc E0761)",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        for amb in ctx.module_tree.ambiguous:
            rel = ctx.workspace.rel(amb.file)
            plain, nested = (ctx.workspace.rel(p) for p in amb.tried)
            yield ctx.finding(
                self.meta, rel, amb.line, amb.column,
                f"file for module `{amb.name}` found at both `{plain}` and `{nested}`",
                fix_hint=f"merge the two files into one and delete the other ({plain} or {nested})",
                related=[Location(plain, 1, message="candidate 1"), Location(nested, 1, message="candidate 2")],
                detail={"module": amb.name, "files": [plain, nested], "code": "E0761"},
                in_test=False,
            )


RULES = [AmbiguousModuleFile()]
