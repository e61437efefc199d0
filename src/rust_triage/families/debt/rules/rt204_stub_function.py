"""RT204 stub-function: a fn that only returns a default value (or panics) while a comment says it is a stub."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.families.debt.common import debt_of
from rust_triage.families.debt.phrases import DEFAULT_COMMENT_PHRASES, TODO_PHRASES, configured_phrases


class StubFunction(Rule):
    scope = "file"
    meta = RuleMeta(
        id="RT204",
        name="stub-function",
        category="debt",
        severity="high",
        tally="phrase",  # the family summary counts the phrases found
        effort_minutes=30,
        summary="function whose body is only a default value or a todo!-like panic, marked as a placeholder",
        tests_in_scope=False,
        precision="high",
        tags=("debt", "placeholder", "stub"),
        docs=RuleDocs(
            what="Reports functions whose body is only a default value (`Ok(())`, `Vec::new()`, `0`, `None`, "
            "`Default::default()`, `String::new()`, `false`, `\"\"`, `Err(\"...\")`, optionally after "
            "`let _ = args;`) or a `todo!`/`unimplemented!`/`panic!`, while the signature promises work "
            "(a non-unit return type, or parameters), AND that carry a placeholder comment or doc "
            "(RT201 phrases and its `rules.RT201` options, TODO/FIXME) inside or right above. An empty "
            "body `{}` with a placeholder comment is reported too, except default methods of a trait "
            "(an empty default is an opt-in hook). Without the comment, a short body is just a short "
            "body. Bodies that only panic are reported at medium severity: they fail loudly already.",
            why="A stub that returns a plausible value is worse than a crash: callers get `Ok(())` or an "
            "empty list and carry on, and the missing feature shows up as wrong data far away.",
            example="```rust\n/// Saves the session.\npub fn save(&self, path: &Path) -> io::Result<()> {\n"
            "    // for now we just pretend it worked\n    Ok(())\n}\n```",
            fix="Implement it. Until then, fail loudly (`Err(Unsupported)` / `todo!()`) so nothing relies "
            "on the fake result, or remove the function from the public API.",
            suppress="`// rust-triage: allow(RT204) -- reason` above the function.",
            clippy="none",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        phrases = configured_phrases(ctx.config.rule_options.get("RT201", {}), DEFAULT_COMMENT_PHRASES)
        phrases = phrases + TODO_PHRASES
        for src in ctx.files:
            debt = debt_of(src)
            if not debt.bodies or not src.facts.comments:
                continue
            from rust_triage.families.debt.stubs import (  # only for files with bodies and comments (start-up)
                default_value,
                placeholder_comment,
                promises_work,
            )

            lines = [c.line for c in src.facts.comments]
            items = src.facts.items
            for index, (shape, text) in sorted(debt.bodies.items()):
                item = items[index]
                if item.in_test:
                    continue
                if shape == "empty" and item.parent >= 0 and items[item.parent].kind == "trait":
                    continue  # an empty default method is an opt-in hook, not a stub
                if shape == "expr" and not (default_value(text) and promises_work(item)):
                    continue
                if shape == "panic" and not promises_work(item):
                    continue
                hit = placeholder_comment(src.facts, debt, item, phrases, lines)
                if hit is None:
                    continue
                phrase = hit.hits[0].phrase
                what = {"empty": "has an empty body", "panic": f"only calls `{text}!`"}.get(
                    shape, f"only returns `{text}`")
                yield ctx.finding(
                    self.meta, src, item.line, item.column,
                    f"`{item.name}` is a stub: it {what} and a comment says \"{phrase}\" (line {hit.line})",
                    end_line=item.end_line,
                    end_column=item.end_column,
                    item=index,
                    severity="medium" if shape == "panic" and self.meta.id not in ctx.config.severity else None,
                    fix_hint="implement it; until then return an explicit error (or `todo!()`) so no caller "
                    "mistakes the placeholder for a real result",
                    detail={"phrase": phrase, "shape": shape, "body": text, "comment_line": hit.line,
                            "return_type": item.return_type},
                )


RULES = [StubFunction()]
