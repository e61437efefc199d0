"""RT201 placeholder-comment: comments that admit the code around them is not the real thing."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.families.debt.comments import comment_hits, excerpt
from rust_triage.families.debt.common import LineOwner, debt_of
from rust_triage.families.debt.phrases import DEFAULT_COMMENT_PHRASES, PHRASE_OPTIONS, configured_phrases


class PlaceholderComment(Rule):
    scope = "file"
    meta = RuleMeta(
        id="RT201",
        name="placeholder-comment",
        category="debt",
        severity="medium",
        tally="phrase",  # the family summary counts the phrases found
        effort_minutes=20,
        summary="comment with placeholder language (\"for now\", \"in production\", \"stub\", \"hack\"...)",
        tests_in_scope=False,
        precision="high",
        tags=("debt", "placeholder"),
        docs=RuleDocs(
            what="Reports comments and doc comments containing placeholder language: \"for now\", \"in a real "
            "implementation\", \"in production\", \"placeholder\", \"stub\", \"simplified\", \"hack\", "
            "\"temporary\", \"not implemented\", `XXX`. Phrases match on word boundaries and ignore case "
            "(`XXX` excepted): \"stubborn\" is not \"stub\", \"hackathon\" is not \"hack\". Text inside URLs "
            "and `code spans` never counts, and neither do string literals. \"temporary\" only counts when "
            "it describes the code (\"temporary fix\", \"this is temporary.\"), not a temporary file or "
            "value; \"in production\" not after \"used\"/\"runs\"/\"deployed\"; \"not implemented\" not "
            "before \"for\" (a trait that is not implemented for a type).\n\n"
            "Options (`[rules.RT201]`): `phrases` replaces the list (default names keep their tuned "
            "patterns, other words match literally), `extra_phrases` adds words, `ignore_phrases` drops some.",
            why="Placeholder comments mark code that returns fake data, skips error handling or takes "
            "shortcuts someone meant to remove. In a crisis backlog they are the list of what is not done.",
            example="```rust\n// for now, return the default config\nfn load() -> Config { Config::default() }\n```",
            fix="Implement what the comment describes, or turn it into a tracked issue and say what is "
            "missing (`// TODO(#123): read the file`), which RT202 lists separately.",
            suppress="`// rust-triage: allow(RT201) -- reason` on the line, or `ignore_phrases` for a phrase "
            "your team uses in another sense.",
            clippy="none",
        ),
        options=PHRASE_OPTIONS,
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        phrases = configured_phrases(ctx.config.rule_options.get(self.meta.id, {}), DEFAULT_COMMENT_PHRASES)
        if not phrases:
            return
        for src in ctx.files:
            owner: LineOwner | None = None
            for hit in comment_hits(src.facts.comments, phrases):
                if owner is None:
                    owner = LineOwner(src.facts, debt_of(src))
                item = owner.at(hit.line)
                phrase = hit.hits[0].phrase
                names = list(dict.fromkeys(h.phrase for h in hit.hits))
                kind = "doc comment" if hit.comment.doc else "comment"
                yield ctx.finding(
                    self.meta, src, hit.line, hit.column,
                    f"placeholder {kind} (\"{phrase}\"): {excerpt(hit.comment.text)}",
                    end_line=hit.comment.end_line,
                    item=item,
                    fix_hint="implement what the comment says is missing, or track it as an issue "
                    "(`// TODO(#123): ...`) and say what the real behaviour must be",
                    detail={"phrase": phrase, "phrases": names, "doc": hit.comment.doc},
                )


RULES = [PlaceholderComment()]
