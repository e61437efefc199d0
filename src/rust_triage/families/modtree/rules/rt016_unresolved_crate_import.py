"""RT016 unresolved-crate-import: a `use` path into the crate's own modules that certainly names nothing
(rustc E0432): `crate::a::b`, `self::b`, `super::b`, and (edition 2018+) `a::b` where `a` is a module
declared in the current module."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from rust_triage.engine.context import AnalysisContext, SourceFile
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.families.modtree.importscope import FileScopes, PathKey, Scope, crate_scopes, package_dir

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_DEPENDENCY_TABLES = ("dependencies", "dev-dependencies", "dev_dependencies", "build-dependencies",
                      "build_dependencies")
_BUILTIN_CRATES = frozenset({"std", "core", "alloc", "proc_macro", "test"})


class UnresolvedCrateImport(Rule):
    meta = RuleMeta(
        id="RT016",
        breaks_module_tree=True,
        name="unresolved-crate-import",
        category="build",
        severity="critical",
        effort_minutes=15,
        summary="`use crate::a::b` / `self::b` / `super::b` where the module has no `b` (E0432)",
        tests_in_scope=True,
        precision="high",
        tags=("build", "compile-error"),
        docs=RuleDocs(
            what="Reports `use` paths into the crate's own modules whose every module exists in the workspace's "
            "module tree but whose next name is defined nowhere in that module: no item, no `mod`, no `use`, no "
            "`extern crate`. Paths judged: `crate::a::b` (through nested file and inline modules), `self::b`, "
            "`super::b` (any number of `super`), and, from edition 2018, `a::b` where `a` is a module declared "
            "in the current module and is not also the name of a crate the package depends on (or of an "
            "`extern crate`). Only module-level `use` declarations are judged with a relative path (a `use` "
            "inside a function may name the function's local items). Only when the answer is certain: a module "
            "with a glob import, a macro call in item position, an attribute that may be a procedural macro, an "
            "`include!` or a syntax error is never judged, nor a module declared under `#[cfg]` or `#[path]`, nor a "
            "module path that several files claim (cfg variants chosen inside a macro), "
            "nor a name imported with `use` (re-exports are not followed).",
            why="rustc error E0432: the crate does not compile. Typical after an item was renamed or moved and "
            "its importers were not updated.",
            example="`use crate::net::Clinet;` (or `use super::Clinet;` in `src/net/pool.rs`, or `use net::Clinet;` in `src/lib.rs`) where `src/net.rs` defines `Client`.",
            fix="Import the name from where it is defined now (or restore it).",
            suppress="`// rust-triage: allow(RT016) -- reason` on the line above the `use`.",
            clippy="none (rustc E0432)",
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        if ctx.workspace.fallback:
            return  # no Cargo.toml: every file is its own crate root, the module tree is unknown
        scopes = crate_scopes(ctx)
        # `#[macro_export]` puts a macro at the crate root whatever module defines it: never judged.
        macros = {it.name for src in ctx.files for it in src.facts.items if it.kind == "macro"}
        packages = {(str(p.root), p.name): p for p in ctx.workspace.packages}
        crates: dict[tuple[str, str], frozenset[str] | None] = {}
        homes: dict[Path, str] = {}
        for src in ctx.files:
            if not src.modules:
                continue
            home = package_dir(src.path.parent, homes)
            for use in src.facts.uses:
                path = use.path
                if len(path) < 2 or path[-1] == "*":
                    continue
                site = (src.rel, use.line)
                problems = []
                for m in src.modules:
                    key = (home, m.package)
                    if key not in crates:
                        package = packages.get(key)
                        crates[key] = _crate_names(package.manifest, package.name) if package else None
                    package = packages.get(key)
                    relative_ok = package is not None and package.edition >= "2018"
                    problems.append(_judge(scopes, (home, m.package, m.target, m.module_path), use.item, path,
                                           site, relative_ok, crates[key]))
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


def _judge(scopes: dict[PathKey, FileScopes], at: PathKey, use_item: int, path: Sequence[str], site: tuple[str, int],
           relative_ok: bool, crates: frozenset[str] | None) -> tuple[str, str] | None:
    """(module, name) where a `use` path in module `at` certainly breaks, or None."""
    if path[0] == "crate":
        root = scopes.get((*at[:3], "crate"))
        start: tuple[Scope, list[str]] | None = (root.root, list(path[1:])) if root is not None else None
    else:
        here = scopes.get(at)
        if here is None or here.rel != site[0]:
            return None  # another file holds this module path too: which one is compiled depends on cfg
        start = _start(here, use_item, path, relative_ok, crates)
    if start is None:
        return None
    scope, names = start
    return _missing(scope, [n for n in names if n != "self"], site)


def _missing(root: Scope | None, names: list[str], site: tuple[str, int]) -> tuple[str, str] | None:
    """(module, name) where the path breaks for certain, or None."""
    scope = root
    for name in names:
        if scope is None or not scope.certain:
            return None
        if name in scope.children and name not in scope.uncertain_children:
            scope = scope.children[name]
            continue
        if name in scope.names or name in scope.uncertain_children or scope.imports.get(name, {site}) != {site}:
            return None  # an item, or an import we do not follow: resolution stops being certain
        return scope.label, name
    return None


def _start(scopes: FileScopes, use_item: int, path: Sequence[str], relative_ok: bool,
           crates: frozenset[str] | None) -> tuple[Scope, list[str]] | None:
    """The scope a `self::`/`super::`/`a::` path starts from and the names to follow, or None."""
    current = scopes.root if use_item == -1 else scopes.inline.get(use_item)
    if current is None:
        return None  # a `use` inside a fn body or block: its scope may hold local items
    if path[0] == "self":
        return current, list(path[1:])
    if path[0] == "super":
        names = list(path)
        scope: Scope | None = current
        while names and names[0] == "super":
            names.pop(0)
            scope = scope.parent if scope is not None else None
        return (scope, names) if scope is not None else None  # too many `super`: E0433, not judged
    first = path[0]
    if (relative_ok and crates is not None and first in current.children and first not in current.uncertain_children
            and first not in crates and first not in current.externs and first not in current.imports
            and current.certain):
        return current, list(path)  # 2018+: a module declared here, not also a crate name
    return None


def _crate_names(manifest: Path, package: str) -> frozenset[str] | None:
    """Every crate name a package may `use` (its dependencies, itself, the built-in crates); None if unknown."""
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    tables = [data.get(k) for k in _DEPENDENCY_TABLES]
    targets = data.get("target")
    if isinstance(targets, dict):
        tables += [t.get(k) for t in targets.values() if isinstance(t, dict) for k in _DEPENDENCY_TABLES]
    names = set(_BUILTIN_CRATES) | {package.replace("-", "_")}
    for table in tables:
        if isinstance(table, dict):
            names.update(str(key).replace("-", "_") for key in table)
    lib = data.get("lib")
    if isinstance(lib, dict) and isinstance(lib.get("name"), str):
        names.add(lib["name"].replace("-", "_"))
    return frozenset(names)


def _column(src: SourceFile, line: int, name: str) -> int:
    text = src.line_text(line)
    raw = src._lines[line - 1] if src._lines and 0 < line <= len(src._lines) else text
    found = re.search(rf"\b{re.escape(name)}\b", raw)
    return found.start() + 1 if found else 1




RULES = [UnresolvedCrateImport()]
