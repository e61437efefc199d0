"""RT016 unresolved-crate-import: `use crate::a::b` where module `a` certainly has no `b` (rustc E0432)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rust_triage.engine.context import AnalysisContext, SourceFile
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.families.modtree.modscope import attr_may_expand

# A macro call in item position (it may define anything), and `extern crate` (defines a name).
_ITEM_MACRO = re.compile(r"^\s*(?!macro_rules!)[A-Za-z_][\w:]*!\s*[({\[]")
_EXTERN_CRATE = re.compile(r"^\s*(?:pub(?:\([^)]*\))?\s+)?extern\s+crate\s+(\w+)(?:\s+as\s+(\w+))?")


@dataclass(slots=True)
class _Scope:
    """One module: the names it defines or imports; `certain` is False when that list may be incomplete."""

    names: set[str] = field(default_factory=set)
    imports: dict[str, set[tuple[str, int]]] = field(default_factory=dict)  # name -> `use` sites (file, line)
    children: dict[str, _Scope] = field(default_factory=dict)  # submodules by name
    certain: bool = True
    label: str = "crate"


class UnresolvedCrateImport(Rule):
    meta = RuleMeta(
        id="RT016",
        name="unresolved-crate-import",
        category="build",
        severity="critical",
        effort_minutes=15,
        summary="`use crate::a::b` where module `a` has no `b` (E0432)",
        tests_in_scope=True,
        precision="high",
        tags=("build", "compile-error"),
        docs=RuleDocs(
            what="Reports `use crate::…` paths whose every module exists in the workspace's module tree but "
            "whose next name is defined nowhere in that module: no item, no `mod`, no `use`, no `extern crate`. "
            "Only when the answer is certain: a module with a glob import, a macro call in item position, an "
            "attribute that may be a procedural macro, an `include!` or a syntax error is never judged.",
            why="rustc error E0432: the crate does not compile. Typical after an item was renamed or moved and "
            "its importers were not updated.",
            example="`use crate::net::Clinet;` where `src/net.rs` defines `Client`.",
            fix="Import the name from where it is defined now (or restore it).",
            suppress="`// rust-triage: allow(RT016) -- reason` on the line above the `use`.",
            clippy="none (rustc E0432)",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        if ctx.workspace.fallback:
            return  # no Cargo.toml: every file is its own crate root, the module tree is unknown
        roots = _crate_scopes(ctx)
        # `#[macro_export]` puts a macro at the crate root whatever module defines it: never judged.
        macros = {it.name for src in ctx.files for it in src.facts.items if it.kind == "macro"}
        for src in ctx.files:
            if not src.modules:
                continue
            for use in src.facts.uses:
                path = use.path
                if len(path) < 2 or path[0] != "crate" or path[-1] == "*":
                    continue
                names = [p for p in path[1:] if p != "self"]
                site = (src.rel, use.line)
                home = _package_dir(src.path.parent)
                problems = [_missing(roots.get((home, m.package, m.target)), names, site) for m in src.modules]
                if not problems or any(p is None for p in problems):
                    continue  # resolves (or cannot be judged) in at least one target that compiles the file
                label, name = problems[0]  # type: ignore[misc]
                if name in macros:
                    continue
                yield ctx.finding(
                    self.meta, src, use.line, _column(src, use.line, name),
                    f"unresolved import: `{label}` has no `{name}`",
                    item=use.item,
                    fix_hint=f"import `{name}` from the module that defines it, or define it in `{label}`",
                    detail={"path": "::".join(path), "module": label, "name": name, "code": "E0432"},
                    in_test=False,
                )


def _missing(root: _Scope | None, names: list[str], site: tuple[str, int]) -> tuple[str, str] | None:
    """(module, name) where the path breaks for certain, or None."""
    scope = root
    for name in names:
        if scope is None or not scope.certain:
            return None
        if name in scope.children:
            scope = scope.children[name]
            continue
        if name in scope.names or scope.imports.get(name, {site}) != {site}:
            return None  # an item, or an import we do not follow: resolution stops being certain
        return scope.label, name
    return None


def _column(src: SourceFile, line: int, name: str) -> int:
    text = src.line_text(line)
    raw = src._lines[line - 1] if src._lines and 0 < line <= len(src._lines) else text
    found = re.search(rf"\b{re.escape(name)}\b", raw)
    return found.start() + 1 if found else 1


_Key = tuple[str, str, str]  # (package directory, package, target): names repeat across workspaces


@lru_cache(maxsize=4096)
def _package_dir(directory: Path) -> str:
    """The nearest directory at or above `directory` holding a Cargo.toml."""
    for candidate in (directory, *directory.parents):
        if (candidate / "Cargo.toml").is_file():
            return str(candidate)
    return ""


def _crate_scopes(ctx: AnalysisContext) -> dict[_Key, _Scope]:
    """The module tree of every target as scopes, built from each file's items."""
    roots: dict[_Key, _Scope] = {}
    by_path: dict[tuple[str, str, str, str], _Scope] = {}
    for src in ctx.files:
        home = _package_dir(src.path.parent)
        for m in src.modules:
            scope = _file_scope(src, m.module_path)
            by_path[(home, m.package, m.target, m.module_path)] = scope
            if m.module_path == "crate":
                roots[(home, m.package, m.target)] = scope
    for (home, package, target, module_path), scope in by_path.items():
        if module_path == "crate":
            continue
        parent_path, _, name = module_path.rpartition("::")
        parent = _find(by_path, (home, package, target), parent_path)
        if parent is not None:
            parent.children[name] = scope
    return roots


def _find(by_path: dict[tuple[str, str, str, str], _Scope], key: _Key, path: str) -> _Scope | None:
    """A module scope by path; inline modules are children of their file's scope."""
    found = by_path.get((*key, path))
    if found is not None or "::" not in path:
        return found
    parent_path, _, name = path.rpartition("::")
    parent = _find(by_path, key, parent_path)
    return parent.children.get(name) if parent is not None else None


def _file_scope(src: SourceFile, module_path: str) -> _Scope:
    facts = src.facts
    uncertain_file = bool(facts.syntax_errors or facts.includes) or _has_item_macro(src)
    scopes: dict[int, _Scope] = {-1: _Scope(certain=not uncertain_file, label=module_path)}
    items = facts.items
    for item in items:  # items come in source order: a parent before its children
        parent = scopes.get(item.parent) if item.parent == -1 or items[item.parent].kind == "mod" else None
        if parent is None:
            continue
        if attr_may_expand(item):
            parent.certain = False
        if not item.name:
            continue
        parent.names.add(item.name)
        if item.kind == "mod":
            inline = any(d.inline and d.line == item.line and d.name == item.name for d in facts.mods)
            child = _Scope(certain=parent.certain and not uncertain_file, label=f"{parent.label}::{item.name}")
            if inline:
                scopes[item.index] = child
                parent.children[item.name] = child
    rel = src.rel
    for use in facts.uses:
        scope = scopes.get(use.item) if use.item == -1 or items[use.item].kind == "mod" else None
        if scope is None:
            continue
        if use.path and use.path[-1] == "*":
            scope.certain = False
        elif use.alias and use.alias != "_":
            scope.imports.setdefault(use.alias, set()).add((rel, use.line))
        elif use.path:
            name = use.path[-2] if use.path[-1] == "self" and len(use.path) > 1 else use.path[-1]
            scope.imports.setdefault(name, set()).add((rel, use.line))
    for index in range(len(_lines(src))):
        match = _EXTERN_CRATE.match(_lines(src)[index])
        if match:
            scopes[-1].names.add(match.group(2) or match.group(1))
    return scopes[-1]


def _lines(src: SourceFile) -> list[str]:
    src.line_text(1)  # loads the lines
    return src._lines or []


def _has_item_macro(src: SourceFile) -> bool:
    """A macro call outside every fn/impl/trait/struct/enum body (it may expand to items)."""
    lines = _lines(src)
    bodies = [(it.line, it.end_line) for it in src.facts.items if it.kind not in ("mod",)]
    for index, text in enumerate(lines, 1):
        if _ITEM_MACRO.match(text) and not any(start <= index <= end for start, end in bodies):
            return True
    return False


RULES = [UnresolvedCrateImport()]
