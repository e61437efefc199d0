"""Module scopes for the unresolved-import rule (RT016): what each module of each target defines.

A scope is `certain` only when its list of names is complete: no glob import, no macro call in item
position, no attribute that may be a procedural macro, no `include!`, no syntax error. A module declared
under `#[cfg]` or with `#[path]` is never certain either (another variant, or another file, may be the
one compiled).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rust_triage.engine.context import AnalysisContext, SourceFile
from rust_triage.families.modtree.extractor import ScopeText, scope_text
from rust_triage.families.modtree.modscope import attr_may_expand
from rust_triage.workspace.ancestry import nearest_answer, path_parent


@dataclass(slots=True, eq=False)
class Scope:
    """One module: the names it defines or imports; `certain` is False when that list may be incomplete."""

    names: set[str] = field(default_factory=set)
    imports: dict[str, set[tuple[str, int]]] = field(default_factory=dict)  # name -> `use` sites (file, line)
    children: dict[str, Scope] = field(default_factory=dict)  # submodules by name
    uncertain_children: set[str] = field(default_factory=set)  # `mod x;` under #[cfg] or #[path]
    externs: set[str] = field(default_factory=set)  # `extern crate` names
    parent: Scope | None = None
    certain: bool = True
    label: str = "crate"


@dataclass(slots=True)
class FileScopes:
    """The scope of a file's module and of each inline `mod {}` in it (by item index)."""

    root: Scope
    inline: dict[int, Scope]
    rel: str  # the file


Key = tuple[str, str, str]  # (package directory, package, target): names repeat across workspaces
PathKey = tuple[str, str, str, str]  # Key + module path


def package_dir(directory: Path, known: dict[Path, str]) -> str:
    """The nearest directory at or above `directory` holding a Cargo.toml ("" when none does); `known`
    remembers the answer for every directory on the way."""
    return nearest_answer(directory, known, _package_here, path_parent)


def _package_here(directory: Path) -> str | None:
    if (directory / "Cargo.toml").is_file():
        return str(directory)
    return "" if directory.parent == directory else None


def crate_scopes(ctx: AnalysisContext) -> dict[PathKey, FileScopes]:
    """The module tree of every target as scopes, by (package dir, package, target, module path)."""
    by_path: dict[PathKey, FileScopes] = {}
    homes: dict[Path, str] = {}
    for src in ctx.files:
        home = package_dir(src.path.parent, homes)
        for m in src.modules:
            key = (home, m.package, m.target, m.module_path)
            if key in by_path:  # several files for one module (cfg variants, `#[path]` in macros): never judged
                by_path[key].root.certain = False
                continue
            by_path[key] = file_scopes(src, m.module_path)
    for (home, package, target, module_path), scopes in by_path.items():
        if module_path == "crate":
            continue
        parent_path, _, name = module_path.rpartition("::")
        parent = find(by_path, (home, package, target), parent_path)
        if parent is not None:
            scopes.root.parent = parent
            parent.children[name] = scopes.root
            if name in parent.uncertain_children:
                scopes.root.certain = False
    return by_path


def find(by_path: dict[PathKey, FileScopes], key: Key, path: str) -> Scope | None:
    """A module scope by path; inline modules are children of their file's scope."""
    found = by_path.get((*key, path))
    if found is not None:
        return found.root
    if "::" not in path:
        return None
    parent_path, _, name = path.rpartition("::")
    parent = find(by_path, key, parent_path)
    return parent.children.get(name) if parent is not None else None


def file_scopes(src: SourceFile, module_path: str) -> FileScopes:
    facts = src.facts
    uncertain_file = bool(facts.syntax_errors or facts.includes)
    text = _scope_text(src)
    expanding = set(text.expanding)
    scopes: dict[int, Scope] = {-1: Scope(certain=not uncertain_file and -1 not in expanding, label=module_path)}
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
            varies = any(a.startswith(("cfg", "path")) for a in item.attrs)
            if varies or item.name in parent.children:
                parent.uncertain_children.add(item.name)
            child = Scope(certain=not (uncertain_file or varies or attr_may_expand(item) or item.index in expanding),
                          label=f"{parent.label}::{item.name}", parent=parent)
            if inline:
                scopes[item.index] = child
                if item.name in parent.children:  # the same inline module twice (cfg variants)
                    parent.children[item.name].certain = child.certain = False
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
    for name in text.externs:
        scopes[-1].names.add(name)
        scopes[-1].externs.add(name)
    return FileScopes(scopes[-1], {i: s for i, s in scopes.items() if i >= 0}, src.rel)


def _scope_text(src: SourceFile) -> ScopeText:
    """The modtree extractor's section (part of the file's interface); read from the text without it."""
    found = src.facts.extra.get("modtree")
    if isinstance(found, ScopeText):
        return found
    src.line_text(1)  # loads the lines
    return scope_text(src._lines or [], src.facts)
