"""RT090 unused-suppression: a rust-triage allow comment that suppresses nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule

if TYPE_CHECKING:
    from rust_triage.engine.suppress import Directive


class UnusedSuppression(Rule):
    meta = RuleMeta(
        id="RT090",
        name="unused-suppression",
        category="suppression",
        severity="low",
        summary="`rust-triage: allow(...)` comment that suppresses nothing",
        tests_in_scope=True,
        precision="high",
        tags=("suppression", "maintainability"),
        docs=RuleDocs(
            what="Reports a `// rust-triage: allow(...)` or `allow-file(...)` comment when a rule it names was "
            "selected and ran but reported nothing there, when it names no known rule, or when an `allow-file` "
            "comment sits outside the file's first comment block. Rules that were not selected (`--select`, "
            "`ignore`, per-path overrides) or that skip test code are not held against the comment.",
            why="A suppression that no longer matches hides nothing today but will silently hide the next real "
            "problem on that line. Stale suppressions also make a legacy backlog look bigger than it is, and a "
            "misspelt rule id means the comment never worked.",
            example="```rust\n// rust-triage: allow(RT001) -- config is validated at start-up\n"
            "let port = config.port.unwrap_or(8080); // the unwrap was removed, the comment stayed\n```",
            fix="Delete the comment, or remove the ids it no longer needs. Fix the spelling of unknown ids "
            "(`rust-triage rules` lists them) and move `allow-file` comments to the top of the file.",
            suppress="`// rust-triage: allow-file(RT090) -- reason` at the top of the file, or ignore RT090 in "
            "the configuration for the paths that keep suppressions on purpose.",
            clippy="none (rustc's `unfulfilled_lint_expectations` is the analogue for `#[expect]`)",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        return ()  # reported after suppression, through check_suppressions

    def check_suppressions(
        self, ctx: AnalysisContext, directives: list[Directive], ran: Callable[[str, str, bool], bool]
    ) -> Iterable[Finding]:
        for d in directives:
            form = "allow-file" if d.scope == "file" else "allow"
            problems: list[str] = []
            if d.unknown:
                problems.append(f"names unknown rule{'s' if len(d.unknown) > 1 else ''} "
                                + ", ".join(f"`{u}`" for u in d.unknown))
            if d.misplaced:
                problems.append("is not in the file's first comment block, so it applies to nothing")
            elif d.file in ctx.by_rel:  # other languages' rules may honour comments themselves
                unused = [r for r in d.rules if r != self.meta.id and r not in d.used and ran(r, d.file, d.in_test)]
                if unused:
                    problems.append(f"suppresses no {', '.join(unused)} finding")
            if not problems:
                continue
            yield ctx.finding(
                self.meta,
                d.file,
                d.line,
                d.column,
                f"`rust-triage: {form}(...)` comment " + "; ".join(problems),
                fix_hint="remove the comment or the ids it no longer needs",
                detail={"rules": d.rules, "unknown": d.unknown},
            )


RULES = [UnusedSuppression()]
