"""RT231 crate-without-tests: a package with no test of any kind."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.families.debt.packages import packages
from rust_triage.families.testorg.testorg import package_has_tests


class CrateWithoutTests(Rule):
    meta = RuleMeta(
        id="RT231",
        name="crate-without-tests",
        category="tests",
        severity="medium",
        effort_minutes=60,
        summary="package with no #[test] fn, no doctest and no test target",
        tests_in_scope=True,
        precision="high",
        tags=("tests", "coverage"),
        docs=RuleDocs(
            what="Reports packages (at their `Cargo.toml`) where `cargo test` would run nothing: no `#[test]` "
            "fn in any file (unit or integration), no doctest in the library and no `harness = false` test "
            "target.",
            why="Without a single test, every change to the crate is unverified, and a crisis fix cannot "
            "be checked against regressions.",
            example="`crates/billing` has `src/lib.rs` and `src/invoice.rs` and no `#[cfg(test)]`, `tests/` "
            "or doc examples.",
            fix="Start with an integration test per public entry point (`tests/smoke.rs`), then unit tests "
            "for the modules RT230 lists.",
            suppress="`# rust-triage: allow-file(RT231) -- reason` at the top of the package's `Cargo.toml`, "
            "or a per-path override ignoring RT231 for the package's directory.",
            clippy="none",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        for view in packages(ctx):
            code_files = [f for f in view.files if not f.in_test_target]
            if not code_files or package_has_tests(view):
                continue
            yield ctx.finding(
                self.meta, view.manifest_rel, 1, 1,
                f"package `{view.name}` has no tests ({len(code_files)} source file"
                f"{'s' if len(code_files) != 1 else ''}, no #[test], doctest or test target)",
                fix_hint=f"add `{view.under('tests', 'smoke.rs')}` exercising the public API, then unit tests",
                snippet="",
                in_test=False,
                detail={"package": view.name, "source_files": len(code_files)},
            )


RULES = [CrateWithoutTests()]
