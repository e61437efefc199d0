"""RT311 derive-propagation: a type derives a trait that one of its field types does not implement."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.families.types.derive_checks import derive_issues
from rust_triage.families.types.report import derive_finding


class DerivePropagation(Rule):
    meta = RuleMeta(
        id="RT311",
        fix_at_definition="derive",
        name="derive-propagation",
        category="types",
        severity="high",
        summary="#[derive(X)] on a type whose field type (from this workspace) does not implement X (E0277)",
        tests_in_scope=True,  # a break in test code breaks `cargo test`
        precision="high",
        tags=("types", "compile-error", "derive"),
        fixable=True,
        docs=RuleDocs(
            what="For every struct or enum deriving `Debug`, `Clone`, `Copy`, `PartialEq`, `Eq`, `PartialOrd`, "
            "`Ord`, `Hash`, `Default`, `Serialize` or `Deserialize`, checks each field type defined in the "
            "workspace (also inside `Option`, `Vec`, `Box`, `Rc`, `Arc`, arrays, tuples and references, where "
            "the std impl needs it) and reports the fields whose type lacks the trait. Also reports derives "
            "whose supertrait is missing (`Eq` without `PartialEq`, `Copy` without `Clone`, `Ord` without "
            "`PartialOrd`). Fields with attributes are skipped for serde derives.",
            why="Removing a derive from one type breaks every type that derives the same trait and holds it: "
            "the pattern behind many E0277 errors in a broken workspace. The fix belongs on the field's type.",
            example="`#[derive(Debug, Clone)] pub struct Snapshot { pub committee: CommitteeMetrics }` while "
            "`CommitteeMetrics` derives nothing.",
            fix="Add the derive to the field's type (the hint gives the line), or drop it from the container. "
            "`rust-triage check --fix --select RT311` adds the missing derives when that is known to compile.",
            suppress="`// rust-triage: allow(RT311) -- reason` on the line before the field.",
            clippy="none (rustc errors E0277, E0204)",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        for issue in derive_issues(ctx):
            if issue.kind != "use":
                yield derive_finding(ctx, self.meta, issue)


RULES = [DerivePropagation()]
