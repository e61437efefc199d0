"""RT504 python-placeholder-comment: TODO/FIXME/HACK/"for now"/"hard-coded" comments in Python code."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.families.debt.phrases import PHRASE_OPTIONS
from rust_triage.families.python.rule import PythonRule

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext
    from rust_triage.families.python.source import PySourceFile

# ruff's flake8-fixme / flake8-todos codes, by phrase kind.
_RUFF = {"todo": ("FIX002", "TD002", "TD003"), "fixme": ("FIX001", "FIX003"), "hack": ("FIX004",)}


class PythonPlaceholderComment(PythonRule):
    meta = RuleMeta(
        id="RT504",
        name="python-placeholder-comment",
        category="debt",
        severity="low",
        effort_minutes=20,
        summary="Placeholder comment (TODO, FIXME, XXX, hack, \"for now\", \"temporary\"...) in Python code",
        language="python",
        tests_in_scope=True,
        precision="high",
        tags=("debt", "python", "placeholder"),
        docs=RuleDocs(
            what="Reports comments containing a placeholder phrase: the TODO/FIXME markers and the placeholder "
            "language the Rust rules RT201/RT202 look for (\"for now\", \"in a real implementation\", "
            "\"placeholder\", \"stub\", \"hack\", \"temporary fix\", \"not implemented\", \"XXX\"...). It is the "
            "same phrase list (rust_triage.families.debt.phrases), so one report counts debt on both sides, and the same "
            "options under `[rules.RT504]`: `phrases` replaces the list, `extra_phrases` adds words, "
            "`ignore_phrases` drops some. Tool directives (`# noqa`, `# type: ignore`, `# pyre-fixme`, "
            "`# pragma`...) are not prose and never match.",
            why="Placeholder comments are where a crisis backlog hides: hard-coded limits, fake dependencies "
            "and half-done error handling are usually announced by a `# TODO` or a `# for now` next to them.",
            example="```python\nMAX_JOBS = 4  # hard-coded for now, read from config\n```",
            fix="Do the work, file an issue and link it, or delete the comment if it is no longer true.",
            suppress="`# rust-triage: allow(RT504)` alone on the line above, or `# noqa: FIX002` "
            "(TODO), `FIX001`/`FIX003` (FIXME/XXX), `FIX004` (HACK), `TD002`/`TD003` on the comment's line, "
            "or `# ruff: noqa: FIX002` file-wide.",
            clippy="none (Python rule; ruff equivalents: FIX001-FIX004, TD001-TD007)",
        ),
        options=PHRASE_OPTIONS,
    )

    def check_file(self, ctx: AnalysisContext, src: PySourceFile) -> Iterable[Finding]:
        from rust_triage.families.python.phrases import comment_phrases, match_placeholder

        phrases = comment_phrases(ctx.config.rule_options.get(self.meta.id, {}))
        for comment in src.facts.comments:
            hit = match_placeholder(comment.text, phrases)
            if hit is None:
                continue
            text = comment.text.lstrip("#").strip()
            yield self.finding(
                ctx, src, comment.line, comment.column + hit.column,
                f"placeholder comment ({hit.phrase}): {text[:120]}",
                end_column=comment.column + len(comment.text),
                fix_hint="finish the work, or replace the comment with a linked issue",
                detail={"phrase": hit.phrase, "kind": hit.kind, "ruff": list(_RUFF.get(hit.kind, ()))},
                snippet=comment.text.strip()[:300],
            )


RULES = [PythonPlaceholderComment()]
