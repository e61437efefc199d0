"""RT220 embedded-test-module: an inline `#[cfg(test)] mod ... { }` in a source file, with an extraction plan."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rust_triage.engine.context import AnalysisContext, SourceFile
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta, SizedEffort
from rust_triage.engine.rule import Rule
from rust_triage.engine.taxonomy import plural
from rust_triage.families.debt.packages import packages
from rust_triage.families.size.extraction import inline_test_modules, plan_extraction, test_count
from rust_triage.families.size.safety import dead_code_reason


def summary_note(findings: list[Finding]) -> str:
    """For the family summary: modules, lines, tests, and how many can move to tests/."""
    lines = sum(int(f.detail.get("lines", 0)) for f in findings)
    tests = sum(int(f.detail.get("tests", 0)) for f in findings)
    integration = sum(1 for f in findings if f.detail.get("plan", {}).get("form") == "integration")
    return (f"{plural(len(findings), 'inline test module')} ({lines} lines, {plural(tests, 'test')}); "
            f"{integration} can move to tests/")


class EmbeddedTestModule(Rule):
    meta = RuleMeta(
        id="RT220",
        sized_effort=SizedEffort("lines", base_minutes=10, lines_per_minute=30),
        name="embedded-test-module",
        category="tests",
        severity="low",
        summary_note=summary_note,
        effort_minutes=30,
        summary="inline `#[cfg(test)] mod` in a source file, with a plan to extract it",
        tests_in_scope=True,
        precision="high",
        tags=("debt", "tests", "refactoring"),
        docs=RuleDocs(
            what="Reports every inline `#[cfg(test)] mod name { ... }` in a source file, with its size and "
            "number of tests. The finding carries an **extraction plan** in `detail.plan`: the in-crate "
            "form (`src/foo/tests.rs`, replacing the inline module with `#[cfg(test)] mod tests;`), or the "
            "integration form (`tests/foo.rs` importing `use crate_name::foo::*;`) when the module only "
            "uses the public API. `private_items_used` lists the file's items that are not `pub` (fns, "
            "types, consts, methods of inherent impls, struct fields) the tests mention: any of them, a "
            "module path that is not `pub` all the way down, or a package without a library target forces "
            "the in-crate form, and `reasons_in_crate` says which. Name matching is textual, so a name "
            "that only appears in a comment or string also counts: the plan errs towards the form that "
            "always compiles.",
            why="Large inline test modules double the size of source files, slow down navigation and "
            "review, and mix test helpers with production code. Moving them out is mechanical once you "
            "know which form compiles.",
            example="```rust\n#[cfg(test)]\nmod tests {\n    use super::*;\n    #[test]\n    fn parses() { "
            "assert_eq!(parse(\"1\"), Ok(1)); }\n}\n```",
            fix="Follow the plan: move the body to the target file and replace the inline module with "
            "`#[cfg(test)] mod tests;` (in-crate), or delete it and create the integration test file with "
            "the import shown.",
            suppress="`// rust-triage: allow(RT220) -- reason` above the module.",
            clippy="none",
        ),
    )

    # a file's findings: its own items and declarations, its package, whether it is dead code and whether
    # its parent modules are `pub` (names, kinds and visibilities of other files: their shapes)
    scope = "workspace-by-file"

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        return self.check_files(ctx, ctx.files)

    def check_files(self, ctx: AnalysisContext, files: Iterable[SourceFile]) -> Iterable[Finding]:
        by_name = {p.name: p for p in packages(ctx)}
        for src in files:
            if src.in_test_target:
                continue
            found = inline_test_modules(src)
            if not found:
                continue
            package = by_name.get(src.package)
            dead = dead_code_reason(ctx, src)
            for item, decl in found:
                plan = ({"form": "none", "target": src.rel, "skipped": f"no extraction plan: {dead}"} if dead
                        else plan_extraction(ctx, src, item, decl, package))
                lines = item.end_line - item.line + 1
                tests = test_count(src, item)
                where = "is in a file no target compiles" if dead else f"could move to `{plan['target']}`"
                yield ctx.finding(
                    self.meta, src, item.line, item.column,
                    f"inline test module `{item.name}` ({lines} lines, {tests} test{'s' if tests != 1 else ''}) "
                    + where,
                    end_line=item.end_line,
                    end_column=item.end_column,
                    item=item.index,
                    in_test=True,
                    fix_hint=_hint(plan, item.name),
                    detail={"module": item.name, "lines": lines, "tests": tests, "plan": plan},
                )


def _hint(plan: dict[str, Any], name: str) -> str:
    if plan["form"] == "none":
        return str(plan["skipped"])
    if plan["form"] == "integration":
        integ = plan["integration"]
        rewrite = "".join(f", and `{r['from']}` with `{r['to']}`" for r in integ.get("rewrite", []))
        return (f"move it to {integ['path']} (it only uses the public API): delete the inline module and "
                f"replace `use super::*;` with `{integ['import']}`{rewrite}")
    reason = plan["reasons_in_crate"][0] if plan["reasons_in_crate"] else ""
    replacement = " ".join(plan["in_crate"]["replace_with"].split("\n")) or f"#[cfg(test)] mod {name};"
    return (f"move its body to {plan['in_crate']['path']} and replace it with `{replacement}`"
            + (f" ({reason})" if reason else ""))


RULES = [EmbeddedTestModule()]
