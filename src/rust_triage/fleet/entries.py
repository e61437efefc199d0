"""Fleet entries: command-line paths, `repo@ref` and list-file lines, expanded into one RepoSpec per task.

An entry is
- a workspace root (a directory holding Cargo.toml): one repository;
- a directory without Cargo.toml: searched (at most `depth` levels) for workspace roots, skipping
  `target/`, `node_modules/`, hidden directories (`.git/`...) and everything below a root already found;
- `PATH@REF`: the git repository at PATH, read at REF with `git archive` (the repository is never written
  to). A path that exists as written is a path even if it contains `@`.

A list file has one entry per line, then optional `key=value` columns (`ref`, `name`, `config`,
`history`); `#` starts a comment; relative paths are relative to the list file's directory.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from rust_triage.errors import UsageError

SKIP_DIRS = frozenset({"target", "node_modules"})
DEFAULT_DEPTH = 3
LIST_COLUMNS = ("ref", "name", "config", "history")
_SLUG_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class RepoSpec:
    """One repository of the fleet: where it is (path, or git repository + ref) and its own settings."""

    name: str
    path: str  # absolute where the driver can resolve it, else as written (the worker resolves it)
    ref: str | None = None  # a git ref: read the repository at this ref instead of its working tree
    config: str | None = None  # configuration file for this repository only
    history: str | None = None  # history file for this repository (--history and the dashboard)

    @property
    def kind(self) -> str:
        return "git" if self.ref else "path"


def display_path(path: Path) -> str:
    """`path` relative to the current directory when it is below it, else absolute."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel.replace(os.sep, "/")


def split_ref(entry: str, base: Path | None = None) -> tuple[str, str | None]:
    """(path, ref) of `PATH@REF`; (entry, None) when the entry exists as written or has no `@`."""
    def at(text: str) -> Path:
        return base / text if base is not None else Path(text)

    if "@" not in entry or at(entry).exists():
        return entry, None
    positions = [i for i, ch in enumerate(entry) if ch == "@"]
    for i in positions:  # the shortest prefix that is an existing directory wins: refs may hold `@`
        if at(entry[:i]).is_dir():
            return entry[:i], entry[i + 1 :]
    tail = entry.rfind("/") + 1
    first = entry.find("@", tail)
    if first < 0:
        return entry, None
    return entry[:first], entry[first + 1 :]


def check_ref(ref: str, where: str) -> None:
    if not ref or ref.startswith("-") or any(ch in ref for ch in "\0\n\r") or ".." in ref.split("/"):
        raise UsageError(f"{where}: invalid git ref {ref!r}")


def find_workspace_roots(directory: Path, depth: int = DEFAULT_DEPTH) -> list[Path]:
    """Directories holding a Cargo.toml at most `depth` levels below `directory` (itself included),
    not descending below one found, nor into target/, node_modules/, hidden or symlinked directories."""
    from rust_triage.workspace.discovery import governing_root

    found: list[Path] = []
    level = [directory]
    for _ in range(depth + 1):
        below: list[Path] = []
        for current in level:
            if (current / "Cargo.toml").is_file():
                found.append(current)
                continue
            try:
                children = sorted(current.iterdir())
            except OSError:
                continue
            below += [c for c in children if c.name not in SKIP_DIRS and not c.name.startswith(".")
                      and not c.is_symlink() and c.is_dir()]
        level = below
    roots: list[Path] = []
    for path in found:  # a member found on its own still means its whole workspace
        root = governing_root(path)
        if root not in roots:
            roots.append(root)
    return sorted(roots)


def expand_entry(entry: str, *, base: Path | None, depth: int, ref: str | None = None, name: str | None = None,
                 config: str | None = None, history: str | None = None, where: str = "") -> list[RepoSpec]:
    """The repositories an entry stands for. Paths the driver cannot see are kept as written: a worker
    on a shared filesystem may see them, and otherwise the task fails with the reason."""
    raw_path, at_ref = split_ref(entry, base) if ref is None else (entry, ref)
    where = where or entry
    if at_ref is not None:
        check_ref(at_ref, where)
    path = Path(raw_path).expanduser()
    if base is not None and not path.is_absolute():
        path = base / path
    config = _resolved(config, base)
    history = _resolved(history, base)
    if at_ref is not None:
        shown = display_path(path.resolve()) if path.exists() else raw_path
        return [RepoSpec(name or f"{shown}@{at_ref}", str(path.resolve()) if path.exists() else str(path),
                         at_ref, config, history)]
    if not path.is_dir():
        if path.is_file():
            raise UsageError(f"{where}: not a directory (a fleet entry is a workspace or a directory of them)")
        return [RepoSpec(name or raw_path, str(path), None, config, history)]
    resolved = path.resolve()
    roots = find_workspace_roots(resolved, depth)
    if not roots:
        return [RepoSpec(name or display_path(resolved), str(resolved), None, config, history)]
    if len(roots) > 1 and (name or history):
        raise UsageError(f"{where}: name= and history= need an entry that is one repository, "
                         f"but {len(roots)} workspaces were found below it")
    return [RepoSpec(name or display_path(root), str(root), None, config, history) for root in roots]


def _resolved(value: str | None, base: Path | None) -> str | None:
    if value is None:
        return None
    path = Path(value).expanduser()
    if base is not None and not path.is_absolute():
        path = base / path
    return str(path.resolve())


def read_list_file(list_file: Path, depth: int) -> list[RepoSpec]:
    try:
        text = list_file.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read list file {list_file}: {getattr(exc, 'strerror', None) or exc}") from exc
    specs: list[RepoSpec] = []
    base = list_file.resolve().parent
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"{list_file}:{number}"
        try:
            words = shlex.split(line, comments=True)
        except ValueError as exc:
            raise UsageError(f"{where}: {exc}") from exc
        if not words:
            continue
        columns: dict[str, str] = {}
        for word in words[1:]:
            key, sep, value = word.partition("=")
            if not sep or key not in LIST_COLUMNS:
                raise UsageError(f"{where}: unknown column {word!r} (expected key=value with key one of "
                                 f"{', '.join(LIST_COLUMNS)})")
            columns[key] = value
        entry, ref = words[0], columns.get("ref")
        if ref is not None:
            check_ref(ref, where)
        specs += expand_entry(entry, base=base, depth=depth, ref=ref, name=columns.get("name"),
                              config=columns.get("config"), history=columns.get("history"), where=where)
    return specs


def collect(entries: list[str], list_file: Path | None, depth: int) -> list[RepoSpec]:
    """Every repository named on the command line and in the list file, each once, sorted by name."""
    specs: list[RepoSpec] = []
    for entry in entries:
        specs += expand_entry(entry, base=None, depth=depth)
    if list_file is not None:
        specs += read_list_file(list_file, depth)
    unique: dict[tuple[str, str | None, str | None], RepoSpec] = {}
    for spec in specs:
        unique.setdefault((spec.path, spec.ref, spec.config), spec)
    by_name: dict[str, RepoSpec] = {}
    for spec in unique.values():
        if spec.name in by_name:
            raise UsageError(f"two repositories are named {spec.name!r}: give one a name= in the list file")
        by_name[spec.name] = spec
    return [by_name[n] for n in sorted(by_name)]


def slugs(names: list[str]) -> dict[str, str]:
    """A file-name-safe, unique slug per repository name (for caches and per-repository reports)."""
    base = {n: _SLUG_UNSAFE.sub("-", n).strip("-.") or "repo" for n in names}
    counts: dict[str, int] = {}
    for slug in base.values():
        counts[slug] = counts.get(slug, 0) + 1
    return {n: s if counts[s] == 1 else f"{s}-{hashlib.sha256(n.encode()).hexdigest()[:8]}"
            for n, s in base.items()}
