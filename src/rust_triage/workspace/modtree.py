"""Resolving `mod` declarations to files, the way rustc does, for every target of a workspace."""

from __future__ import annotations

import os
from pathlib import Path

import msgspec

from rust_triage.errors import FileError
from rust_triage.workspace.manifest import MANIFEST_NAME
from rust_triage.workspace.model import (
    MissingModule,
    ModDecl,
    ModuleInfo,
    ModuleTree,
    Package,
    Target,
    Workspace,
)
from rust_triage.workspace.safepath import PathRefused, check_file, is_regular_file, real_roots


class _ModuleFile(msgspec.Struct, frozen=True):
    """A file being walked: where its out-of-line children live.

    rustc's "directory ownership": a crate root, a `mod.rs` or a `#[path]` file owns its directory
    (`relative` is None); a non-mod.rs file `a.rs` looks for children in `a/` (`relative` is "a").
    """

    file: Path
    module_path: str
    dir_path: Path
    relative: str | None
    is_test: bool


def build_module_tree(ws: Workspace, mod_decls: dict[Path, list[ModDecl]]) -> ModuleTree:
    """Module tree of every target of `ws`, from the `mod` items of each file.

    `mod_decls` maps absolute .rs paths to their `mod` items; files absent from it have none.
    """
    tree = ModuleTree()
    if ws.fallback:
        for file in ws.rust_files:
            info = ModuleInfo(file, "", file.stem, "lib", "crate", False)
            tree.modules[file] = [info]
        return tree

    resolver = _Resolver(mod_decls, ws, tree)
    missing_seen: set[tuple[Path, int, int, str]] = set()
    for package in ws.packages:
        for target in package.targets:
            for missing in resolver.walk_target(package, target, tree):
                key = (missing.file, missing.line, missing.column, missing.name)
                if key not in missing_seen:
                    missing_seen.add(key)
                    tree.missing.append(missing)
    tree.orphans = _orphans(ws, tree)
    tree.errors = resolver.errors
    return tree


class _Resolver:
    def __init__(self, mod_decls: dict[Path, list[ModDecl]], ws: Workspace, tree: ModuleTree) -> None:
        self._decls = mod_decls
        self._ws = ws
        self._tree = tree
        self._ambiguous_seen: set[tuple[Path, int, str]] = set()
        self._roots = real_roots(ws.roots)
        self._dirs: dict[str, str] = {}  # resolved directories, for this one walk
        self._status: dict[Path, str | PathRefused] = {}  # "file", "absent" or why the policy refuses it
        self.errors: list[FileError] = []
        self._reported: set[tuple[Path, Path]] = set()
        self._listed_errors = {error.path for error in ws.errors}  # refused when listing: said once
        # the listing took these through the path policy already (regular files, no link below a root)
        self._status.update(dict.fromkeys(ws.rust_files, "file"))

    def _status_of(self, path: Path) -> str | PathRefused:
        known = self._status.get(path)
        if known is None:
            try:
                check_file(path, self._roots, self._dirs)
                known = "file"
            except PathRefused as refused:
                known = "absent" if refused.is_absent else refused
            self._status[path] = known
        return known

    def _is_file(self, path: Path, module: _ModuleFile | None = None, decl: ModDecl | None = None) -> bool:
        """Whether `path` is a module file to walk; a file the policy refuses is reported, not walked."""
        status = self._status_of(path)
        if isinstance(status, PathRefused):
            shown = self._ws.rel(path)
            if (
                module is not None and decl is not None and shown not in self._listed_errors
                and (module.file, path) not in self._reported
            ):
                self._reported.add((module.file, path))
                self.errors.append(FileError(
                    self._ws.rel(module.file), status.kind,
                    f"module `{decl.name}`: {shown} {status.reason}", decl.line,
                ))
            return False
        return status == "file"

    def _exists(self, path: Path) -> bool:
        return self._status_of(path) != "absent"

    def walk_target(self, package: Package, target: Target, tree: ModuleTree) -> list[MissingModule]:
        root = Path(os.path.normpath(target.src_path))
        if not self._is_file(root):
            return []
        missing: list[MissingModule] = []
        visited = {root}
        start = _ModuleFile(root, "crate", root.parent, None, target.is_test_target)
        stack = [start]
        while stack:
            current = stack.pop()
            info = ModuleInfo(
                current.file, package.name, target.name, target.kind, current.module_path, current.is_test
            )
            tree.modules.setdefault(current.file, []).append(info)
            children: list[_ModuleFile] = []
            for child in self._children(current, missing):
                if child.file not in visited:  # a file reached twice (or a #[path] cycle) is walked once
                    visited.add(child.file)
                    children.append(child)
            stack.extend(reversed(children))  # depth-first, in declaration order
        return missing

    def _children(self, module: _ModuleFile, missing: list[MissingModule]) -> list[_ModuleFile]:
        decls = self._decls.get(module.file, [])
        out: list[_ModuleFile] = []
        for decl in decls:
            if decl.inline:
                continue
            is_test = module.is_test or decl.cfg_test  # the extractor counts enclosing #[cfg(test)] modules
            module_path = "::".join([module.module_path, *(name for name, _ in decl.parents), decl.name])
            dir_path, relative = _inline_dir(module.dir_path, module.relative, decl.parents)
            if decl.path_attr is not None:
                file = Path(os.path.normpath(dir_path / decl.path_attr))
                if self._is_file(file, module, decl):
                    # Every #[path] file is treated like a mod.rs: its children are its siblings.
                    out.append(_ModuleFile(file, module_path, file.parent, None, is_test))
                elif not self._exists(file):
                    missing.append(MissingModule(module.file, decl.name, decl.line, decl.column, [file]))
                continue
            # `#[cfg_attr(pred, path = "x.rs")]`: each such file (like a `#[path]` one), else the default
            chosen = [f for p in decl.cfg_paths if self._is_file(f := Path(os.path.normpath(dir_path / p)), module, decl)]
            out.extend(_ModuleFile(f, module_path, f.parent, None, is_test) for f in chosen)
            base = dir_path / relative if relative else dir_path
            plain = base / f"{decl.name}.rs"
            nested = base / decl.name / "mod.rs"
            if self._is_file(plain, module, decl):  # rustc rejects having both; prefer `name.rs` first
                if self._is_file(nested) and (module.file, decl.line, decl.name) not in self._ambiguous_seen:
                    self._ambiguous_seen.add((module.file, decl.line, decl.name))
                    self._tree.ambiguous.append(
                        MissingModule(module.file, decl.name, decl.line, decl.column, [plain, nested]))
                out.append(_ModuleFile(plain, module_path, plain.parent, decl.name, is_test))
            elif self._exists(plain):
                continue  # refused by the path policy (reported)
            elif self._is_file(nested, module, decl):
                out.append(_ModuleFile(nested, module_path, nested.parent, None, is_test))
            elif not self._exists(nested) and not chosen:
                missing.append(MissingModule(module.file, decl.name, decl.line, decl.column, [plain, nested]))
        return out


def _inline_dir(
    dir_path: Path, relative: str | None, parents: tuple[tuple[str, str | None], ...]
) -> tuple[Path, str | None]:
    """Directory (and pending relative prefix) for out-of-line modules declared inside inline ones."""
    for name, path_attr in parents:
        if path_attr is not None:
            # `#[path]` on an inline module names its directory, relative to the enclosing module dir.
            dir_path = Path(os.path.normpath(dir_path / path_attr))
        else:
            if relative:
                dir_path = dir_path / relative
            dir_path = dir_path / name
        relative = None
    return dir_path, relative


def _orphans(ws: Workspace, tree: ModuleTree) -> list[Path]:
    """Listed .rs files under a package directory that no target of that package reaches."""
    package_dirs = {package.root for package in ws.packages}
    manifest_dir_cache: dict[Path, Path | None] = {}

    def owning_manifest_dir(directory: Path) -> Path | None:
        chain: list[Path] = []
        found: Path | None = None
        current = directory
        while True:
            if current in manifest_dir_cache:
                found = manifest_dir_cache[current]
                break
            chain.append(current)
            if is_regular_file(current / MANIFEST_NAME):
                found = current
                break
            if current == ws.root or current.parent == current:
                break
            current = current.parent
        for visited in chain:
            manifest_dir_cache[visited] = found
        return found

    shadowed = {m.tried[1] for m in tree.ambiguous}  # `x/mod.rs` beside `x.rs`: reported as E0761
    target_prefixes = tuple(f"{directory / 'target'}{os.sep}" for directory in (ws.root, *package_dirs))
    orphans: list[Path] = []
    for file in ws.rust_files:
        if file in tree.modules or file in shadowed or str(file).startswith(target_prefixes):
            continue
        if owning_manifest_dir(file.parent) in package_dirs:
            orphans.append(file)
    return orphans
