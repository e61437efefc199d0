"""RT010 orphan-file: a .rs file that no crate target reaches through `mod` declarations."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.workspace.safepath import PathRefused, real_roots, resolve_inside


class OrphanFile(Rule):
    meta = RuleMeta(
        id="RT010",
        name="orphan-file",
        category="structure",
        severity="low",
        effort_minutes=10,
        summary="`.rs` file that no crate target includes",
        tests_in_scope=True,
        precision="high",
        tags=("structure", "dead-code"),
        dead_code_decision=True,
        docs=RuleDocs(
            what="Reports `.rs` files inside a package that no target (lib, bins, tests, benches, examples, "
            "build script) reaches through its `mod` tree.",
            why="The compiler never sees an orphan file: its code is dead, unchecked and misleading. In a broken "
            "workspace, orphans are often modules someone forgot to declare, so the errors they would raise are "
            "hidden.",
            example="`src/legacy/parser.rs` exists, but neither `src/lib.rs` nor `src/legacy.rs` says `mod parser;`.",
            fix="Declare the module (`mod parser;` in the parent module) or delete the file.",
            suppress="Add `// rust-triage: allow(RT010) -- reason` at the top of the file, or list the path under "
            "`ignore` in a per-path override.",
            clippy="none",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        if ctx.workspace.fallback:
            return
        orphans = {ctx.workspace.rel(p) for p in ctx.module_tree.orphans}
        if orphans:
            orphans -= _included(ctx)
        for src in ctx.files:
            if src.rel in orphans:
                yield ctx.finding(
                    self.meta, src, 1, 1,
                    f"`{src.rel}` is not reached from any crate target: the compiler never checks it",
                    fix_hint="declare it with `mod <name>;` in its parent module, or delete it",
                    snippet="", in_test=False,
                )


def _included(ctx: AnalysisContext) -> set[str]:
    """Files pulled in with `include!("path")` by a file the compiler sees."""
    out: set[str] = set()
    roots = real_roots(ctx.workspace.roots)
    for src in ctx.files:
        if not src.modules:
            continue
        for raw in src.facts.includes:
            try:  # only a file inside the workspace can be an included (non-orphan) file; nothing is read
                target = resolve_inside(src.path.parent / raw, roots)
            except PathRefused:
                continue
            out.add(ctx.workspace.rel(Path(target)))
    return out


RULES = [OrphanFile()]
