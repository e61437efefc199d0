"""RT900 compiler-error: errors reported by `cargo check`, grouped by root cause."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule


class CompilerError(Rule):
    """Findings come from the cargo ingest (`rust-triage cargo`, `plan --cargo-json`), not from `check`."""

    meta = RuleMeta(
        id="RT900",
        name="compiler-error",
        category="build",
        severity="critical",
        summary="error reported by rustc through `cargo check --message-format=json`",
        tags=("build", "compiler"),
        docs=RuleDocs(
            what="One finding per compiler error read from `cargo check --message-format=json` (run by "
            "`rust-triage cargo`, or given to `rust-triage plan --cargo-json FILE`). Errors are grouped by "
            "root cause (the same missing trait, the same unknown field…) into fix patterns.",
            why="A crate with compiler errors does not build; every other finding waits on these.",
            example="`error[E0063]: missing field `b` in initializer of `S``.",
            fix="Fix the pattern with the most errors first; `rust-triage cargo --format markdown` lists "
            "the patterns with suggested fixes.",
            suppress="Not suppressible: fix the code.",
            clippy="none (rustc errors)",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        return ()


RULES = [CompilerError()]
