"""RT210 oversized-file: too many lines of non-test code in one file, with a decomposition proposal."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rust_triage.engine.context import AnalysisContext, SourceFile
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta, RuleOption
from rust_triage.engine.rule import Rule
from rust_triage.engine.taxonomy import plural
from rust_triage.families.size.safety import dead_code_reason, generated_reason

DEFAULT_LINES = 300


def summary_note(findings: list[Finding]) -> str:
    """For the family summary: files, code lines, proposed modules."""
    lines = sum(int(f.detail.get("code_lines", 0)) for f in findings)
    modules = sum(len(f.detail.get("proposal", {}).get("modules", [])) for f in findings)
    return f"{plural(len(findings), 'oversized file')} ({lines} code lines), {plural(modules, 'new module')} proposed"


class OversizedFile(Rule):
    scope = "file"
    meta = RuleMeta(
        id="RT210",
        name="oversized-file",
        category="size",
        severity="low",
        summary_note=summary_note,
        effort_minutes=90,
        summary="file with more lines of code than the threshold (default 300), with a split proposal",
        tests_in_scope=False,
        precision="high",
        tags=("debt", "size", "refactoring"),
        docs=RuleDocs(
            what="Reports source files with more lines of code than `oversized-file-lines` (default 300), "
            "counting neither blank lines, comments nor test code (`#[cfg(test)]` modules and `#[test]` fns "
            "are counted separately in the finding). Files of test targets (`tests/`, `benches/`) are not "
            "checked.\n\nThe finding carries a **decomposition proposal** in `detail.proposal`: the "
            "file's top-level items are grouped into units that must move together (a type with all its "
            "impl blocks, a trait with its impls for foreign types, each fn/const/static), units are linked "
            "by the names they mention, and communities of that graph (greedy modularity; tiny ones join "
            "their closest neighbour) become new modules. Each module has a name (its dominant type or fn "
            "in snake_case), a path (`src/foo/<name>.rs` for `src/foo.rs`; next to `mod.rs`/`lib.rs`), its "
            "items with line ranges, the `mod <name>;` and `pub use <name>::{...};` lines that keep the "
            "public API unchanged, and the private items that must become `pub(super)` because another "
            "new module uses them. Macros, `mod x;` declarations and test modules stay in the file.\n\nNo proposal "
            "is computed for a file no target compiles (dead code: wire it in or delete it first; "
            "`--include-dead-code` proposes anyway), a generated file or a file that does not parse; the "
            "reason is in `detail.proposal.notes` and the fix hint.",
            why="Files of thousands of lines mix unrelated concerns, make every change a merge conflict and "
            "hide dead code. A proposal that keeps the API intact makes the split a mechanical change.",
            example="`src/engine.rs` with 900 lines of code: proposal `src/engine/parser.rs` (Parser, its "
            "impls, parse_expr), `src/engine/eval.rs` (Evaluator, Value, eval), plus `mod parser; pub use "
            "parser::{Parser, parse_expr};` in `src/engine.rs`.",
            fix="Create the proposed files, move the listed line ranges, add the `mod`/`pub use` lines and "
            "`use super::*;` at the top of each new file, then let the compiler point at the visibility "
            "changes left (fields used across the new modules need `pub(super)`).",
            suppress="`// rust-triage: allow-file(RT210) -- reason` at the top of the file, or raise "
            "`oversized-file-lines` under `[thresholds]`.",
            clippy="none",
        ),
        options=(RuleOption("max-lines", "positive-int", DEFAULT_LINES, "the most lines of non-test code a file "
                            "may have", threshold="oversized-file-lines"),),
    )

    def file_key(self, ctx: AnalysisContext, src: SourceFile) -> str:
        """The proposal avoids module names already taken next to the file, and is skipped in dead files and
        in files a build script writes (it reads the package's `build.rs`)."""
        if src.facts.code_lines - src.facts.test_code_lines <= ctx.config.option(self.meta, "max-lines"):
            return ""
        from rust_triage.families.size.decompose import existing_names  # only for oversized files (start-up)

        dead = ";dead" if dead_code_reason(ctx, src) else ""
        generated = generated_reason(ctx, src)
        return ",".join(sorted(existing_names(src, ctx.workspace.root))) + dead + (f";{generated}" if generated else "")

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        threshold: int = ctx.config.option(self.meta, "max-lines")
        for src in ctx.files:
            facts = src.facts
            if src.in_test_target or facts.inner_cfg_test:
                continue
            code = facts.code_lines - facts.test_code_lines
            if code <= threshold:
                continue
            from rust_triage.families.size.decompose import plan  # loaded for oversized files only (start-up)

            proposal = plan(src, threshold, ctx.workspace.root, ctx)
            yield ctx.finding(
                self.meta, src, 1, 1,
                f"`{src.rel}` has {code} lines of code (threshold {threshold})"
                + (f", plus {facts.test_code_lines} lines of tests" if facts.test_code_lines else ""),
                fix_hint=_hint(proposal.to_dict()),
                snippet="",
                in_test=False,
                detail={
                    "code_lines": code,
                    "test_code_lines": facts.test_code_lines,
                    "total_lines": facts.line_count,
                    "threshold": threshold,
                    "proposal": proposal.to_dict(),
                },
            )


def _hint(proposal: dict[str, Any]) -> str:
    modules = proposal["modules"]
    if not modules:
        notes = proposal["notes"]
        if notes and notes[0].startswith("no split proposal"):
            return str(notes[0])
        return "split it by concern; " + "; ".join(notes)
    parts = []
    for m in modules:
        names = [i["name"] for i in m["items"] if not i["name"].startswith("impl ")]
        shown = ", ".join(names[:4]) + (f" +{len(names) - 4}" if len(names) > 4 else "")
        parts.append(f"{m['path']} ({shown}; {m['lines']} lines)")
    lines = " ".join(proposal["parent_lines"])
    return f"split into {'; '.join(parts)}; then add to the file: {lines}"


RULES = [OversizedFile()]
