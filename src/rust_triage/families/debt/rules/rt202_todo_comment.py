"""RT202 todo-comment: TODO / FIXME markers."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.families.debt.comments import comment_hits, excerpt
from rust_triage.families.debt.common import LineOwner, debt_of
from rust_triage.families.debt.phrases import TODO_PHRASES


class TodoComment(Rule):
    scope = "file"
    meta = RuleMeta(
        id="RT202",
        name="todo-comment",
        category="debt",
        severity="low",
        tally="phrase",  # the family summary counts the phrases found
        effort_minutes=15,
        summary="TODO / FIXME comment",
        tests_in_scope=False,
        precision="high",
        tags=("debt", "todo"),
        docs=RuleDocs(
            what="Reports `TODO` and `FIXME` markers in comments and doc comments: upper case anywhere, any "
            "case when written as a marker (`todo:`, `Fixme(bob)`). `todo!()` mentioned in a comment, "
            "\"a todo list\" and words inside URLs or `code spans` do not count.",
            why="Each marker is known, unfinished work. Counting and locating them turns scattered notes "
            "into a backlog; a marker without an issue reference tends to stay forever.",
            example="```rust\n// TODO: handle the error case properly\nlet cfg = read().unwrap_or_default();\n```",
            fix="Do the work, or link the marker to an issue (`// TODO(#123): ...`) so it is tracked.",
            suppress="`// rust-triage: allow(RT202) -- reason` on the line.",
            clippy="clippy::todo is about the `todo!()` macro (RT004), not comments",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        for src in ctx.files:
            owner: LineOwner | None = None
            for hit in comment_hits(src.facts.comments, TODO_PHRASES):
                if owner is None:
                    owner = LineOwner(src.facts, debt_of(src))
                item = owner.at(hit.line)
                phrase = hit.hits[0].phrase
                text = excerpt(hit.comment.text)
                yield ctx.finding(
                    self.meta, src, hit.line, hit.column,
                    f"{phrase} comment: {text}",
                    end_line=hit.comment.end_line,
                    item=item,
                    fix_hint="do it, or reference the issue that tracks it (`// TODO(#123): ...`)",
                    detail={"phrase": phrase, "doc": hit.comment.doc, "tracked": "#" in text},
                )


RULES = [TodoComment()]
