"""RT232 test-file-without-tests: an integration test target with no #[test] fn."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.families.debt.common import debt_of
from rust_triage.families.debt.packages import packages
from rust_triage.families.testorg.testorg import target_test_fns, test_target_roots


class TestFileWithoutTests(Rule):
    meta = RuleMeta(
        id="RT232",
        name="test-file-without-tests",
        category="tests",
        severity="medium",
        effort_minutes=20,
        summary="`tests/*.rs` target with no #[test] fn",
        tests_in_scope=True,
        precision="high",
        tags=("tests",),
        docs=RuleDocs(
            what="Reports integration test targets (`tests/foo.rs`, `tests/foo/main.rs`, `[[test]]` entries) "
            "where neither the root file nor its modules contain a `#[test]` fn (`#[tokio::test]` and "
            "other `*::test` attributes count). Targets with their own `fn main` (`harness = false`) are "
            "skipped. Helper files such as `tests/common/mod.rs` are not targets and are not reported.",
            why="Cargo builds and runs the target and reports `running 0 tests`: the file looks like "
            "coverage and checks nothing (often tests were commented out or lost `#[test]`).",
            example="`tests/api.rs` holds `fn check_login() { ... }` without `#[test]`.",
            fix="Add `#[test]` to the test functions, or move helpers to `tests/common/mod.rs`.",
            suppress="`// rust-triage: allow-file(RT232) -- reason` at the top of the file.",
            clippy="none",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        for view in packages(ctx):
            for root, target in test_target_roots(view):
                if any(it.kind == "fn" and it.name == "main" and it.parent == -1 for it in root.facts.items):
                    continue  # harness = false: the target runs its own main
                if target_test_fns(view, target):
                    continue
                fns = [it.name for it in root.facts.items if it.kind == "fn" and it.parent == -1]
                yield ctx.finding(
                    self.meta, root, 1, 1,
                    f"test target `{target}` has no #[test] fn"
                    + (f" ({len(fns)} fn{'s' if len(fns) != 1 else ''} without #[test])" if fns else ""),
                    fix_hint="mark the test functions with #[test], or move shared helpers to tests/common/mod.rs",
                    snippet="",
                    in_test=True,
                    detail={"target": target, "fns": fns[:20], "asserting_helpers": debt_of(root).asserting[:20]},
                )


RULES = [TestFileWithoutTests()]
