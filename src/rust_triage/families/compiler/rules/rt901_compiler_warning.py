"""RT901 compiler-warning: warnings reported by `cargo check`, grouped by root cause."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule


class CompilerWarning(Rule):
    """Findings come from the cargo ingest (`rust-triage cargo`, `plan --cargo-json`), not from `check`."""

    meta = RuleMeta(
        id="RT901",
        name="compiler-warning",
        category="build",
        severity="low",
        phase="P3",  # warnings do not break the build
        summary="warning reported by rustc through `cargo check --message-format=json`",
        tags=("build", "compiler"),
        docs=RuleDocs(
            what="One finding per compiler warning read from `cargo check --message-format=json` (run by "
            "`rust-triage cargo`, or given to `rust-triage plan --cargo-json FILE`). Warnings are grouped by "
            "root cause (the same missing trait, the same unknown field…) into fix patterns.",
            why="Warnings (unused code, deprecated APIs) hide new problems in noise and often become errors.",
            example="`warning: unused variable: `x``.",
            fix="Fix the pattern with the most errors first; `rust-triage cargo --format markdown` lists "
            "the patterns with suggested fixes.",
            suppress="`#[allow(lint_name)]` as rustc documents.",
            clippy="none (rustc warnings)",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        return ()


RULES = [CompilerWarning()]
