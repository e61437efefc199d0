"""Listing the .rs and .py files of a workspace, honouring .gitignore files."""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import msgspec

from rust_triage.errors import FileError
from rust_triage.workspace.safepath import (
    PATH_MAX,
    PathRefused,
    check_file,
    named_path,
    read_file,
    real_roots,
)

if TYPE_CHECKING:
    from rust_triage.workspace.model import Workspace

# Directory names never descended into (hidden directories such as .git, .venv, .tox are skipped too).
SKIPPED_DIR_NAMES = frozenset({"node_modules", "__pycache__", "venv"})
# A directory holding one of these files is a build output or a Python virtualenv.
_SKIP_MARKERS = ("CACHEDIR.TAG", "pyvenv.cfg")

# One .gitignore: its directory (with a trailing separator), a regex matching whatever any of its
# patterns matches (a quick pre-check, or None), and its patterns in file order.
_IgnoreFile = tuple[str, re.Pattern[str] | None, tuple[Any, ...]]
_IgnoreRules = tuple[_IgnoreFile, ...]
_NAMED_GROUP = re.compile(r"\(\?P<\w+>")
_MAX_GITIGNORE_BYTES = 1024 * 1024


def list_source_files(
    root: Path, extra_roots: Iterable[Path] = (), errors: list[FileError] | None = None
) -> tuple[list[Path], list[Path]]:
    """Every .rs and every .py file under `root` (and `extra_roots`), sorted and absolute.

    Skips hidden directories, cargo `target/` directories, build-output directories (CACHEDIR.TAG),
    virtualenvs (pyvenv.cfg, venv), node_modules, __pycache__, and whatever .gitignore files found
    at or below each root exclude. Source files the path policy refuses (a symlink leading outside
    the roots, a FIFO or device named `x.rs`) and directories that cannot be listed are left out
    and, when `errors` is given, reported there.
    """
    listing = list_source_names(root, extra_roots, errors)
    return [Path(p) for p in listing.rust], [Path(p) for p in listing.python]


class SourceNames(msgspec.Struct):
    """What one walk found, as strings (cheaper than Paths over tens of thousands of files)."""

    rust: list[str]  # sorted
    python: list[str]  # sorted
    manifest_dirs: set[str]  # walked directories with an entry named Cargo.toml (of any type)


class ListingStore(Protocol):
    """Listings kept for a tree whose layout a walk of this run found unchanged (`rust_triage.listing_cache`)."""

    def load(self, scan_roots: tuple[str, ...]) -> SourceNames | None: ...

    def save(self, scan_roots: tuple[str, ...], names: SourceNames) -> None: ...


# Handed to the next listing by `use_walk`, then dropped: the entries of the directories a walk of this run
# listed, and where listings of an unchanged layout are kept.
_prelisted: dict[str, list[os.DirEntry[str]]] = {}
_store: ListingStore | None = None


def use_walk(entries: dict[str, list[os.DirEntry[str]]], store: ListingStore | None) -> None:
    """Let the next listing read the directories a walk of this run just listed (a tree stamp taken before
    the listing) instead of listing them again, and reuse a kept listing through `store`."""
    global _prelisted, _store
    _prelisted, _store = entries, store


def list_source_names(
    root: Path, extra_roots: Iterable[Path] = (), errors: list[FileError] | None = None
) -> SourceNames:
    """`list_source_files` as sorted strings, with the walked directories that name a Cargo.toml."""
    global _prelisted, _store
    prelisted, store = _prelisted, _store
    _prelisted, _store = {}, None
    scan_roots = tuple(str(r) for r in (root, *extra_roots))
    if store is not None:
        kept = store.load(scan_roots)
        if kept is not None:
            return kept
    found: list[FileError] = []
    listing = _Listing(root, real_roots((root, *extra_roots)), found, prelisted)
    for scan_root in scan_roots:
        listing.walk(scan_root)
    names = SourceNames(sorted(listing.rust), sorted(listing.python), listing.manifest_dirs)
    if errors is not None:
        errors.extend(found)
    if store is not None and not found:  # a listing with errors is made again (and reports them again)
        store.save(scan_roots, names)
    return names


class _Listing:
    def __init__(self, root: Path, roots: tuple[str, ...], errors: list[FileError],
                 prelisted: dict[str, list[os.DirEntry[str]]] | None = None) -> None:
        self.prelisted = prelisted or {}
        self.prefix = str(root).rstrip(os.sep) + os.sep
        self.roots = roots
        self.errors = errors
        self.rust: set[str] = set()
        self.python: set[str] = set()
        self.manifest_dirs: set[str] = set()

    def shown(self, path: str) -> str:
        rel = path[len(self.prefix) :] if path.startswith(self.prefix) else path
        return rel.replace(os.sep, "/") if os.sep != "/" else rel

    def error(self, path: str, kind: str, message: str) -> None:
        self.errors.append(FileError(self.shown(path), kind, message))

    def walk(self, scan_root: str) -> None:
        """Iterative (a deep tree cannot exhaust the stack); ignore rules travel with each directory."""
        stack: list[tuple[str, _IgnoreRules]] = [(scan_root, ())]
        while stack:
            directory, rules = stack.pop()
            self.visit(directory, rules, stack, is_root=directory == scan_root)

    def visit(
        self, directory: str, rules: _IgnoreRules, stack: list[tuple[str, _IgnoreRules]], is_root: bool
    ) -> None:
        entries = self.prelisted.pop(directory, None)
        try:
            if entries is None:
                with os.scandir(directory) as iterator:
                    entries = list(iterator)
        except OSError as exc:
            if exc.errno == errno.ENAMETOOLONG:
                self.error(directory, "path-too-long", f"path is longer than PATH_MAX ({PATH_MAX} bytes); "
                           "directory not listed")
            elif exc.errno != errno.ENOENT:
                self.error(directory, "unreadable", f"cannot list directory: {exc.strerror or exc}")
            return
        names = {entry.name for entry in entries}
        if not is_root and any(marker in names for marker in _SKIP_MARKERS):
            return
        if ".gitignore" in names:
            patterns = self.read_gitignore(os.path.join(directory, ".gitignore"))
            if patterns:
                rules = (*rules, (directory + os.sep, _any_pattern_regex(patterns), patterns))
        is_package_dir = "Cargo.toml" in names
        if is_package_dir:
            self.manifest_dirs.add(directory)
        for entry in entries:
            name = entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if name.startswith(".") or name in SKIPPED_DIR_NAMES or (name == "target" and is_package_dir):
                    continue
                if rules and _is_ignored(rules, entry.path, True):
                    continue
                stack.append((entry.path, rules))
            elif name.endswith((".rs", ".py")) and not (rules and _is_ignored(rules, entry.path, False)):
                if self.accepts(entry):
                    (self.rust if name.endswith(".rs") else self.python).add(entry.path)

    def accepts(self, entry: os.DirEntry[str]) -> bool:
        """Regular files are taken as they are; symlinks and special files go through the policy."""
        try:
            if entry.is_file(follow_symlinks=False):
                return True
        except OSError:
            pass
        try:
            check_file(entry.path, self.roots)
        except PathRefused as refused:
            self.error(entry.path, refused.kind, refused.reason)
            return False
        return True

    def read_gitignore(self, path: str) -> tuple[Any, ...]:
        try:
            text = read_file(path, self.roots, _MAX_GITIGNORE_BYTES).decode("utf-8", "replace")
        except PathRefused as refused:
            self.error(path, refused.kind, f"{refused.reason} (.gitignore ignored)")
            return ()
        patterns: list[Any] = []
        for line in text.splitlines():
            try:
                patterns.extend(_gitignore_patterns(line))
            except ValueError:  # an invalid pattern is ignored, as git does
                continue
        return tuple(p for p in patterns if p.include is not None)


def _any_pattern_regex(patterns: tuple[Any, ...]) -> re.Pattern[str] | None:
    try:
        sources = [_NAMED_GROUP.sub("(?:", p.regex.pattern) for p in patterns]
        return re.compile("|".join(f"(?:{source})" for source in sources))
    except (AttributeError, re.error):
        return None


def _is_ignored(rules: _IgnoreRules, path: str, is_dir: bool) -> bool:
    """Git's precedence: the deepest .gitignore with a matching pattern decides, last pattern first."""
    for base, any_pattern, patterns in reversed(rules):
        relative = path[len(base) :]
        if os.sep != "/":
            relative = relative.replace(os.sep, "/")
        if is_dir:
            relative += "/"
        if any_pattern is not None and any_pattern.search(relative) is None:
            continue
        for pattern in reversed(patterns):
            if pattern.match_file(relative) is not None:
                return bool(pattern.include)
    return False


def select_files(ws: Workspace, paths: Sequence[Path | str]) -> list[Path]:
    """The .rs and .py files named by `paths` (files or directories), sorted and absolute.

    Directories select the listed `ws.rust_files` / `ws.python_files` below them. An explicitly named
    .rs or .py file under the workspace root is selected even when it is not listed (e.g. git-ignored);
    paths that do not exist, other files and files outside the workspace are skipped.
    """
    listed = set(ws.rust_files) | set(ws.python_files)
    chosen: set[Path] = set()
    directories: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if not os.path.exists(path):
            continue
        path = named_path(path)
        if os.path.isdir(path):
            directories.add(path)
        elif path in listed or (path.suffix in (".rs", ".py") and ws.root in path.parents):
            chosen.add(path)
    if directories:
        for file in [*ws.rust_files, *ws.python_files]:
            if any(parent in directories for parent in file.parents):
                chosen.add(file)
    return sorted(chosen)


def _gitignore_patterns(line: str) -> list[Any]:
    import pathspec  # only for trees with .gitignore files

    return list(pathspec.GitIgnoreSpec.from_lines([line]).patterns)
