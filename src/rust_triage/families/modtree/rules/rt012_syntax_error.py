"""RT012 syntax-error: regions tree-sitter could not parse."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.parse.delimiters import delimiter_finding_args


class SyntaxError_(Rule):
    meta = RuleMeta(
        id="RT012",
        breaks_module_tree=True,
        name="syntax-error",
        category="build",
        severity="high",
        summary="source region that does not parse as Rust",
        tests_in_scope=True,
        precision="medium",
        tags=("build",),
        docs=RuleDocs(
            what="Reports the ranges that the Rust grammar could not parse. The rest of the file is still "
            "analysed: the parser recovers around the error. In crates that enable nightly `#![feature]`s, "
            "and in files no target of the workspace reaches, the finding has medium confidence (shown with "
            "`min-confidence = \"medium\"`): the grammar may simply not know that syntax yet.",
            why="A syntax error stops the whole crate from compiling; everything else in the file is reported "
            "with lower certainty until it is fixed.",
            example="`fn f( { }` — an unclosed parameter list.",
            fix="Fix the syntax at the reported range (`cargo check` shows rustc's own message).",
            suppress="`// rust-triage: allow(RT012) -- reason` on the line above (for code the grammar does not "
            "know yet, e.g. very new syntax).",
            clippy="none (rustc parse errors)",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        nightly = {m.target for src in ctx.files if src.facts.inner_features for m in src.modules
                   if m.module_path == "crate"}
        for src in ctx.files:
            # Nightly crates use syntax the stable grammar does not know: report with low certainty.
            # So do files no target of this workspace reaches (other workspaces, compiletest UI tests).
            uncertain = (
                bool(src.facts.inner_features)
                or any(m.target in nightly for m in src.modules)
                or not src.modules
            )
            errors = src.facts.syntax_errors[:20]
            unbalanced = delimiter_finding_args(src.path) if errors else None
            if unbalanced is not None:
                # An unclosed or mismatched delimiter: one finding where it opens, naming its item;
                # the parser's errors after it are consequences of it.
                line, col, message, hint, detail = unbalanced
                yield ctx.finding(self.meta, src, line, col, message, fix_hint=hint, detail=detail,
                                  confidence="medium" if uncertain else "high", in_test=False)
                errors = [e for e in errors if e[2] < line]
            for line, col, end_line, end_col in errors:
                yield ctx.finding(
                    self.meta, src, line, col, "this code does not parse as Rust",
                    end_line=end_line, end_column=end_col,
                    fix_hint="fix the syntax here; `cargo check` gives rustc's message",
                    confidence="medium" if uncertain else "high",
                    in_test=False,
                )


RULES = [SyntaxError_()]
