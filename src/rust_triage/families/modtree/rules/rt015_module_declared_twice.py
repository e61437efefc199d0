"""RT015 module-declared-twice: `mod x;` and `mod x { }` (or two `mod x`) in one parent module (E0428)."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, Location, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.families.modtree.modscope import cfg_attrs, cfg_clash, module_items
from rust_triage.parse.facts import Item


class ModuleDeclaredTwice(Rule):
    meta = RuleMeta(
        id="RT015",
        breaks_module_tree=True,
        name="module-declared-twice",
        category="build",
        severity="critical",
        effort_minutes=15,
        summary="a module declared twice in one parent, e.g. `mod x;` plus an inline `mod x { }` (E0428)",
        tests_in_scope=True,
        precision="very-high",
        tags=("build", "compile-error"),
        docs=RuleDocs(
            what="Reports a `mod` declaration whose name an earlier `mod` of the same parent module already "
            "declared: out-of-line (`mod x;`) plus inline (`mod x { .. }`), or twice the same form.",
            why="rustc error E0428: the crate does not compile. The usual story: an inline test or helper "
            "module was moved to its own file and the old inline copy stayed.",
            example="`mod tests;` at the top of `lib.rs` and `#[cfg(test)] mod tests { .. }` at the bottom.",
            fix="Keep one: move the inline body into the file (or delete the file) and remove the other "
            "declaration.",
            suppress="`// rust-triage: allow(RT015) -- reason` on the line above the second declaration.",
            clippy="none (rustc E0428)",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        for src in ctx.files:
            if not src.modules or src.facts.syntax_errors:
                continue  # dead files are one decision (RT010); a parse error (often nightly syntax) misplaces items
            inline = {(d.line, d.name): d.inline for d in src.facts.mods}
            seen: dict[tuple[int, str], list[Item]] = {}
            for scope, item in module_items(src.facts):
                if item.kind != "mod":
                    continue
                earlier_items = seen.setdefault((scope, item.name), [])
                clash = next(((e, c) for e in earlier_items if (c := cfg_clash(e, item))), None)
                earlier_items.append(item)
                if clash is None:
                    continue
                earlier, confidence = clash
                only_test = "cfg(test)" in (cfg_attrs(earlier) + cfg_attrs(item))
                forms = [f"inline `mod {item.name} {{ .. }}`" if inline.get((m.line, m.name))
                         else f"`mod {item.name};`" for m in (earlier, item)]
                yield ctx.finding(
                    self.meta, src, item.line, item.column,
                    f"module `{item.name}` is declared twice in this parent: {forms[0]} at line {earlier.line} "
                    f"and {forms[1]} here" + (" (in test builds)" if only_test else ""),
                    item=item.index,
                    fix_hint=f"keep one declaration of `{item.name}` (move the inline body into its file, or "
                    "delete the file)",
                    related=[Location(src.rel, earlier.line, earlier.column, message="first declaration")],
                    detail={"module": item.name, "first_line": earlier.line, "code": "E0428"},
                    confidence=confidence,
                    in_test=False,
                )

RULES = [ModuleDeclaredTwice()]
