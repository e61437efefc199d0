"""File templates for `rust-triage new-rule`: a rule (TOML or Python), its fixture crate."""

from __future__ import annotations

TOML_RULE = '''id = "{id}"
name = "{name}"
category = "{category}"
severity = "{severity}"
summary = "{summary}"
message = "{summary}"
fix_hint = "describe the fix"
tests = "exclude"
precision = "high"
tags = []
clippy = []
# A tree-sitter query; the `@match` capture is reported. Try it with `rust-triage test-rules`.
query = \'\'\'
(macro_invocation macro: (identifier) @match (#eq? @match "replace_me"))
\'\'\'
valid = ["fn f() {{ println!(\\"ok\\"); }}"]
invalid = ["fn f() {{ replace_me!(); }}"]

[docs]
what = "What the rule finds."
why = "Why it matters."
example = "`replace_me!()`"
fix = "How to fix it."
suppress = "`// rust-triage: allow({id}) -- reason` on the line or the line above."
'''

PYTHON_RULE = '''"""{id} {name}: {summary}."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule


class {cls}(Rule):
    meta = RuleMeta(
        id="{id}",
        name="{name}",
        category="{category}",
        severity="{severity}",
        summary="{summary}",
        docs=RuleDocs(
            what="What the rule finds.",
            why="Why it matters.",
            example="An example.",
            fix="How to fix it.",
            suppress="`// rust-triage: allow({id}) -- reason` on the line or the line above.",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        for src in ctx.files:
            for item in src.facts.items:
                if item.kind == "fn" and item.name == "replace_me":
                    yield ctx.finding(self.meta, src, item.line, 1, "describe the finding", item=item.index)


RULES = [{cls}()]
'''

FIXTURE_MANIFEST = '''[package]
name = "{crate}"
version = "0.1.0"
edition = "2021"
publish = false
'''

FIXTURE_LIB = '''//! Fixture of {id} {name}: each line the rule must report carries an expect marker.

pub fn reported() {{
    replace_me!();  // expect: {id}
}}

pub fn not_reported() {{}}
'''
