"""RT014 duplicate-definition: one name defined twice in the same namespace of a module (rustc E0428)."""

from __future__ import annotations

from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext
from rust_triage.engine.model import Finding, Location, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.families.modtree.modscope import cfg_attrs, cfg_clash, module_items, namespaces
from rust_triage.parse.facts import Item


class DuplicateDefinition(Rule):
    meta = RuleMeta(
        id="RT014",
        breaks_module_tree=True,
        name="duplicate-definition",
        category="build",
        severity="critical",
        effort_minutes=15,
        summary="a name defined twice in one module namespace (E0428)",
        tests_in_scope=True,
        precision="high",
        tags=("build", "compile-error"),
        docs=RuleDocs(
            what="Reports a second item with the name of an earlier item of the same module and namespace "
            "(types: struct, enum, union, trait, type alias, module; values: fn, const, static, tuple and unit "
            "structs). Items behind `#[cfg]` are compared only with items behind the same `#[cfg]`, with medium "
            "confidence. Two `mod` declarations of one name are RT015.",
            why="rustc error E0428: the crate does not compile. Typical after a bad merge or a copy-paste that "
            "was meant to replace the old definition.",
            example="`pub struct Config { .. }` at line 10 and again at line 80 of the same file.",
            fix="Delete or rename one of the two definitions (merge their contents first if both are used).",
            suppress="`// rust-triage: allow(RT014) -- reason` on the line above the second definition.",
            clippy="none (rustc E0428)",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        for src in ctx.files:
            if not src.modules or src.facts.syntax_errors:
                continue  # dead files are one decision (RT010); a parse error (often nightly syntax) misplaces items
            seen: dict[tuple[int, str, str], list[Item]] = {}
            for scope, item in module_items(src.facts):
                for ns in namespaces(item):
                    earlier_items = seen.setdefault((scope, ns, item.name), [])
                    clash = next(((e, c) for e in earlier_items
                                  if not (e.kind == "mod" and item.kind == "mod") and (c := cfg_clash(e, item))),
                                 None)
                    earlier_items.append(item)
                    if clash is None:
                        continue
                    earlier, confidence = clash
                    only_test = "cfg(test)" in (cfg_attrs(earlier) + cfg_attrs(item))
                    yield ctx.finding(
                        self.meta, src, item.line, item.column,
                        f"`{item.name}` is defined twice in this module: {earlier.kind} at line {earlier.line}, "
                        f"{item.kind} here" + (" (in test builds)" if only_test else ""),
                        item=item.index,
                        fix_hint=f"delete or rename one of the two definitions of `{item.name}`",
                        related=[Location(src.rel, earlier.line, earlier.column, message="first definition")],
                        detail={"name": item.name, "namespace": ns, "first_line": earlier.line, "code": "E0428"},
                        confidence=confidence,
                        in_test=False,
                    )
                    break  # one finding per item, even when it clashes in both namespaces

RULES = [DuplicateDefinition()]
