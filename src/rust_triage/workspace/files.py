"""Listing the .rs and .py files of a workspace, honouring .gitignore files."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pathspec

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


def list_source_files(root: Path, extra_roots: Iterable[Path] = ()) -> tuple[list[Path], list[Path]]:
    """Every .rs and every .py file under `root` (and `extra_roots`), sorted and absolute.

    Skips hidden directories, cargo `target/` directories, build-output directories (CACHEDIR.TAG),
    virtualenvs (pyvenv.cfg, venv), node_modules, __pycache__, and whatever .gitignore files found
    at or below each root exclude.
    """
    rust: set[str] = set()
    python: set[str] = set()
    for scan_root in (root, *extra_roots):
        _walk(str(scan_root), (), rust, python, is_root=True)
    return [Path(p) for p in sorted(rust)], [Path(p) for p in sorted(python)]


def _walk(
    directory: str, rules: _IgnoreRules, rust: set[str], python: set[str], is_root: bool = False
) -> None:
    try:
        with os.scandir(directory) as iterator:
            entries = list(iterator)
    except OSError:
        return
    names = {entry.name for entry in entries}
    if not is_root and any(marker in names for marker in _SKIP_MARKERS):
        return
    if ".gitignore" in names:
        patterns = _read_gitignore(os.path.join(directory, ".gitignore"))
        if patterns:
            rules = (*rules, (directory + os.sep, _any_pattern_regex(patterns), patterns))
    is_package_dir = "Cargo.toml" in names
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
            _walk(entry.path, rules, rust, python)
        elif name.endswith(".rs"):
            if not (rules and _is_ignored(rules, entry.path, False)) and entry.is_file():
                rust.add(entry.path)
        elif name.endswith(".py"):
            if not (rules and _is_ignored(rules, entry.path, False)) and entry.is_file():
                python.add(entry.path)


def _read_gitignore(path: str) -> tuple[Any, ...]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return ()
    patterns: list[Any] = []
    for line in lines:
        try:
            patterns.extend(pathspec.GitIgnoreSpec.from_lines([line]).patterns)
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
        if not path.exists():
            continue
        path = path.resolve()
        if path.is_dir():
            directories.add(path)
        elif path in listed or (path.suffix in (".rs", ".py") and ws.root in path.parents):
            chosen.add(path)
    if directories:
        for file in [*ws.rust_files, *ws.python_files]:
            if any(parent in directories for parent in file.parents):
                chosen.add(file)
    return sorted(chosen)
