"""RT203 placeholder-string: string literals that are placeholders ("not implemented", "TODO", "dummy")."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.families.debt.common import debt_of
from rust_triage.families.debt.phrases import string_placeholder

# Macros whose string arguments are reported by other rules (RT003/RT004) or are comparisons.
_SKIP_MACROS = {"todo", "unimplemented", "matches", "include_str", "include_bytes", "env", "option_env", "concat"}


class PlaceholderString(Rule):
    scope = "file"
    meta = RuleMeta(
        id="RT203",
        name="placeholder-string",
        category="debt",
        severity="medium",
        tally="phrase",  # the family summary counts the phrases found
        summary="string literal that is a placeholder (\"not implemented\", \"TODO\", \"dummy\", lorem ipsum)",
        tests_in_scope=False,
        precision="high",
        tags=("debt", "placeholder"),
        docs=RuleDocs(
            what="Reports string literals whose whole or dominant content is a placeholder: \"not "
            "implemented\", \"TODO: ...\", \"FIXME\", \"dummy\", \"placeholder\", \"stub\", \"changeme\", "
            "`XXX`, lorem ipsum. A literal counts when the placeholder words make up at least half of its "
            "letters or it starts with a TODO / not-implemented marker, so `\"compression level 3 is not "
            "implemented by this backend\"` (a real error message) is not reported. Literals that are "
            "compared (`== \"TODO\"`), matched, searched for (`.contains(\"TODO\")`), listed in arrays, used in "
            "attributes, inside `todo!`/`unimplemented!` (RT003/RT004) or in `{placeholder}` templates are "
            "skipped, and so is test code.",
            why="A placeholder string reaches users: an error that says \"not implemented\", a record named "
            "\"dummy\", a UI showing lorem ipsum. It is unfinished work that compiles and ships.",
            example="```rust\nfn export(&self) -> Result<(), String> {\n    Err(\"not implemented\".into())\n}\n```",
            fix="Replace it with the real value, or with an error type that says precisely what is "
            "unsupported and why.",
            suppress="`// rust-triage: allow(RT203) -- reason` on the line.",
            clippy="none",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        for src in ctx.files:
            for lit in debt_of(src).strings:
                if lit.macro in _SKIP_MACROS or lit.macro.startswith(("assert", "debug_assert")):
                    continue
                phrase = string_placeholder(lit.text)
                if phrase is None:
                    continue
                shown = lit.text if len(lit.text) <= 60 else lit.text[:57] + "..."
                yield ctx.finding(
                    self.meta, src, lit.line, lit.column,
                    f"placeholder string literal \"{shown}\"",
                    end_column=lit.end_column,
                    item=lit.item,
                    fix_hint="use the real value, or an error that says exactly what is unsupported",
                    detail={"phrase": phrase, "text": lit.text, "macro": lit.macro or None},
                )


RULES = [PlaceholderString()]
