"""RT310 missing-derive-for-use: a type used in a way that needs a trait it does not implement."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.families.types.derive_checks import derive_issues
from rust_triage.families.types.report import derive_finding


class MissingDeriveForUse(Rule):
    meta = RuleMeta(
        id="RT310",
        fix_at_definition="derive",
        name="missing-derive-for-use",
        category="types",
        severity="high",
        summary="type formatted with {:?}, unwrapped, cloned, compared, sorted, used as a map key, defaulted or "
        "moved out of a reference without the trait (E0277/E0599/E0369/E0507)",
        tests_in_scope=True,  # a break in test code breaks `cargo test`
        precision="high",
        tags=("types", "compile-error", "derive"),
        fixable=True,
        docs=RuleDocs(
            what="Finds uses that need a trait and checks that the workspace type behind them derives or "
            "implements it (`impl Trait for Type` anywhere in the workspace): `{:?}`/`{:#?}`/`{name:?}` in "
            "`format!`, `println!`, `write!`, `panic!`, the `assert!` family, `dbg!` and `log`/`tracing` macros "
            "(Debug); `Result::unwrap`/`expect` (Debug of the error type) and `unwrap_err`/`expect_err` (Debug "
            "of the value type); `.clone()` (Clone); `==`/`!=` and `assert_eq!`/`assert_ne!` (PartialEq); "
            "`<`/`>`/`<=`/`>=` (PartialOrd); `insert`/`get`/`entry`/... on a `HashMap`/`HashSet` (Hash + Eq) or "
            "`BTreeMap`/`BTreeSet` (Ord) keyed by the type; `.sort()` of a sequence of it (Ord); `T::default()`, "
            "`Default::default()` with a known target type (a `let` type or the fn's return type) and "
            "`..Default::default()` (Default); `*r` or `a.b` moved out of a reference, an `Rc` or an `Arc` (`let x = *r;`, a call "
            "argument, a field value, the fn's or a block's value, a `match` scrutinee an arm binds whole, the receiver "
            "of a workspace method or std `Option`/`Result` method taking `self`, such as `self.cat.unwrap()`) when the "
            "type is not Copy (E0507). The type of an "
            "expression is only known in clear cases: parameters, `let x: T`, `let x = T { .. }`, "
            "`T::new(..)` and other calls with a written return type, `?`/`.unwrap()`, `self`, `self.field` and "
            "`x.field` through the struct's field types, `for x in v` and closures of `v.iter().map(|x| ..)`-like "
            "chains over std sequences. Generics, trait objects, `impl Trait`, external types and anything "
            "unresolved are not reported. `.clone()` on a shared reference is reported with medium confidence: it "
            "compiles by cloning the reference, and fails only where the owned value is needed (on `&mut T` it "
            "is E0599).",
            why="After a refactor drops derives (or a type is moved behind a new module), rustc reports "
            "E0277/E0599/E0369 at every use. rust-triage points at each use and at the definition, with the "
            "derive line to add.",
            example="`pub struct CommitteeMetrics { .. }` without derives and `println!(\"{metrics:?}\")` "
            "where `metrics: &CommitteeMetrics`: `CommitteeMetrics` does not implement `Debug`.",
            fix="Add the derive the hint names (also to field types that need it), or implement the trait by "
            "hand. `rust-triage check --fix --select RT310` adds the derives when every field type is known to "
            "support them.",
            suppress="`// rust-triage: allow(RT310) -- reason` on the line before the use.",
            clippy="none (rustc errors E0277, E0599, E0369)",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        for issue in derive_issues(ctx):
            if issue.kind == "use":
                yield derive_finding(ctx, self.meta, issue)


RULES = [MissingDeriveForUse()]
