"""RT233 test-without-assertion: a #[test] fn that checks nothing."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.families.debt.common import debt_of
from rust_triage.families.debt.packages import packages
from rust_triage.families.testorg.testorg import asserting_names

# Helpers whose name says they check something (`assert_traits::<T>()`, `check_one(..)`,
# `verify_round_trip(..)`), defined outside the package or too deep to follow: trusted to assert.
_ASSERTING_NAME = re.compile(r"^_*(assert|check|verify|validate|expect_|ensure|test_)", re.I)


class TestWithoutAssertion(Rule):
    meta = RuleMeta(
        id="RT233",
        name="test-without-assertion",
        category="tests",
        severity="medium",
        effort_minutes=10,
        summary="#[test] fn with no assertion, no `?`, no unwrap and no #[should_panic]",
        tests_in_scope=True,
        precision="high",
        tags=("tests",),
        docs=RuleDocs(
            what="Reports `#[test]` fns that can only fail by crashing on their own: no `assert*!` / "
            "`debug_assert*!` / `prop_assert*!` / `panic!` / `unreachable!` macro, no `.unwrap()` / "
            "`.expect(..)` / `.assert*(..)` call, no `?` in a test returning `Result`, no "
            "`#[should_panic]`, and no call to a helper fn or macro of the same package that asserts "
            "(`fn check(..) { assert_eq!(..) }`).",
            why="A test without a check passes whatever the code does; it inflates the test count and "
            "hides untested behaviour.",
            example="```rust\n#[test]\nfn parses_config() {\n    let _ = parse(\"a = 1\");\n}\n```",
            fix="Assert on the result (`assert_eq!(parse(\"a = 1\"), Ok(..))`), or mark it "
            "`#[should_panic]` if panicking is the expected outcome.",
            suppress="`// rust-triage: allow(RT233) -- reason` above the test.",
            clippy="none",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        views = packages(ctx)
        helpers = {v.name: asserting_names(v) for v in views}
        owner = {f.rel: v.name for v in views for f in v.files}
        for src in ctx.files:
            tests = debt_of(src).test_fns
            if not tests:
                continue
            asserting = helpers.get(owner.get(src.rel, ""), set()) or set(debt_of(src).asserting)
            for index, info in sorted(tests.items()):
                if info.asserts or info.should_panic or (info.question and info.returns_result):
                    continue
                if any(name in asserting or _ASSERTING_NAME.match(name.rsplit("::", 1)[-1]) for name in info.called):
                    continue
                item = src.facts.items[index]
                yield ctx.finding(
                    self.meta, src, item.line, item.column,
                    f"test `{item.name}` has no assertion: it passes unless the code panics",
                    end_line=item.end_line,
                    end_column=item.end_column,
                    item=index,
                    in_test=True,
                    fix_hint="assert on the result (assert_eq!/assert!), or use #[should_panic] if a panic is "
                    "the expected outcome",
                    detail={"returns_result": info.returns_result, "called": info.called[:20]},
                )


RULES = [TestWithoutAssertion()]
