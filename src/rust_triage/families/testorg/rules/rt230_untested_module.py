"""RT230 untested-module: a library module with public behaviour and no test of any kind."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.families.debt.packages import packages
from rust_triage.families.testorg.testorg import (
    doctest_count,
    has_behaviour,
    integration_idents,
    lib_module_path,
    package_has_tests,
    pub_items,
    suggested_test_file,
    unit_tested_paths,
)


class UntestedModule(Rule):
    meta = RuleMeta(
        id="RT230",
        name="untested-module",
        category="tests",
        severity="low",
        effort_minutes=45,
        summary="library module with public items and no unit, integration or doc test",
        tests_in_scope=True,
        precision="medium",
        tags=("tests", "coverage"),
        docs=RuleDocs(
            what="Reports files of a library target that define `pub` items with behaviour (a `pub fn`, or "
            "methods) and have no test at all: no `#[test]` fn in the module or any module below it, no "
            "doctest in it, and no file under the package's `tests/` mentioning one of its public items or "
            "its module name. Packages without any test are reported once by RT231 instead, so this rule "
            "stays quiet there. Matching integration tests by name is textual: a test that mentions the "
            "name counts, even if it does not call it.",
            why="A module nothing exercises can break silently; in a crisis backlog it is where a fix needs "
            "a test first.",
            example="`src/billing.rs` defines `pub fn invoice_total` but neither `src/billing.rs`, "
            "`src/billing/*`, its docs nor `tests/*.rs` test it.",
            fix="Add a unit test module (`#[cfg(test)] mod tests;` + `src/billing/tests.rs`) or an "
            "integration test (`tests/billing.rs`) that calls its public items.",
            suppress="`// rust-triage: allow-file(RT230) -- reason` at the top of the file.",
            clippy="none",
        ),
    )

    scope = "workspace-shape"  # findings at a file's first line, from items, modules, doc comments and tests

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        for view in packages(ctx):
            if not package_has_tests(view):
                continue  # RT231
            tested_paths = unit_tested_paths(view)
            idents = integration_idents(view)
            for src in view.lib_files():
                names = pub_items(src)
                if not names or not has_behaviour(src):
                    continue
                path = lib_module_path(src)
                if any(p == path or p.startswith(path + "::") for p in tested_paths):
                    continue
                if doctest_count(src):
                    continue
                module_name = path.rsplit("::", 1)[-1] if path != "crate" else (view.lib_name or "")
                if idents and (module_name in idents or any(n in idents for n in names)):
                    continue
                target = suggested_test_file(src, view)
                yield ctx.finding(
                    self.meta, src, 1, 1,
                    f"module `{path}` has {len(names)} public item{'s' if len(names) != 1 else ''} and no test",
                    fix_hint=f"add unit tests in the module (`#[cfg(test)] mod tests;`) or an integration test "
                    f"`{target}` that calls {', '.join(f'`{n}`' for n in names[:3])}",
                    snippet="",
                    in_test=False,
                    detail={"module": path, "pub_items": names[:50], "suggested_test_file": target},
                )


RULES = [UntestedModule()]
