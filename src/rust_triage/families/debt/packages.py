"""Per-package views the test-organization rules share: files, test files, lib crate name, visibility."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rust_triage.families.debt.common import debt_of

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile

_LIB_KINDS = ("lib", "proc-macro")


@dataclass
class PackageView:
    name: str
    root_rel: str  # package directory relative to the workspace root ("" for the root itself)
    manifest_rel: str
    lib_name: str | None  # crate name of the lib target (underscored), None without one
    has_harness_free_tests: bool = False
    files: list[SourceFile] = field(default_factory=list)

    def under(self, *parts: str) -> str:
        return posixpath.join(self.root_rel, *parts) if self.root_rel else posixpath.join(*parts)

    @property
    def tests_dir(self) -> str:
        return self.under("tests")

    def integration_files(self) -> list[SourceFile]:
        prefix = self.tests_dir + "/"
        return [f for f in self.files if f.rel.startswith(prefix)]

    def lib_files(self) -> list[SourceFile]:
        """Files of the lib target that are not test code."""
        return [
            f for f in self.files
            if not f.in_test_target and any(m.target_kind in _LIB_KINDS and not m.is_test for m in f.modules)
        ]

    def test_fn_count(self) -> int:
        return sum(len(debt_of(f).test_fns) for f in self.files)


def packages(ctx: AnalysisContext) -> list[PackageView]:
    """One view per package of the workspace (computed once per run)."""
    return ctx.memo(_package_views)


def _package_views(ctx: AnalysisContext) -> list[PackageView]:
    views: list[PackageView] = []
    by_name: dict[str, PackageView] = {}
    for pkg in ctx.workspace.packages:
        root_rel = ctx.workspace.rel(pkg.root)
        root_rel = "" if root_rel == "." else root_rel
        lib = next((t for t in pkg.targets if t.kind in _LIB_KINDS), None)
        view = PackageView(pkg.name, root_rel, ctx.workspace.rel(pkg.manifest),
                           lib.name.replace("-", "_") if lib is not None else None)
        views.append(view)
        by_name[pkg.name] = view
    by_depth = sorted(views, key=lambda v: -len(v.root_rel))
    for src in ctx.files:
        view = by_name.get(src.package) if src.package else None
        if view is None:  # orphans: the innermost package directory holding the file
            view = next((v for v in by_depth if not v.root_rel or src.rel.startswith(v.root_rel + "/")), None)
        if view is not None:
            view.files.append(src)
    for view in views:
        view.has_harness_free_tests = any(_is_harness_free_root(f) for f in view.files)
    return views


def _is_harness_free_root(src: SourceFile) -> bool:
    """A test target root with its own `fn main` (`harness = false`)."""
    roots = [m for m in src.modules if m.target_kind == "test" and m.module_path == "crate"]
    return bool(roots) and any(it.kind == "fn" and it.name == "main" and it.parent == -1 for it in src.facts.items)


def module_files(ctx: AnalysisContext) -> dict[tuple[str, str, str], SourceFile]:
    """(package, target, module path) -> file, for the module tree walks."""
    return ctx.memo(_module_files)


def _module_files(ctx: AnalysisContext) -> dict[tuple[str, str, str], SourceFile]:
    found: dict[tuple[str, str, str], SourceFile] = {}
    for src in ctx.files:
        for m in src.modules:
            found.setdefault((m.package, m.target, m.module_path), src)
    return found


def publicly_reachable(ctx: AnalysisContext, src: SourceFile, inline_parents: tuple[str, ...] = ()) -> str | None:
    """None when integration tests can name the file's `pub` items; else the reason they cannot."""
    lib = [m for m in src.modules if m.target_kind in _LIB_KINDS and not m.is_test]
    if not lib:
        return "the file is not part of a library target, so integration tests cannot reach it"
    info = lib[0]
    files = module_files(ctx)
    parts = info.module_path.split("::")[1:]
    for depth in range(len(parts)):
        parent_path = "::".join(["crate", *parts[:depth]])
        parent = files.get((info.package, info.target, parent_path))
        if parent is None:
            return f"module `{parent_path}` was not found"
        if not _declares_pub_mod(parent, parts[depth]):
            return f"module `{parent_path}::{parts[depth]}` is not `pub`"
    for name in inline_parents:
        if not _declares_pub_mod(src, name, any_depth=True):
            return f"inline module `{name}` is not `pub`"
    return None


def _declares_pub_mod(src: SourceFile, name: str, any_depth: bool = False) -> bool:
    return any(
        it.kind == "mod" and it.name == name and it.vis == "pub" and (any_depth or it.parent == -1)
        for it in src.facts.items
    )
