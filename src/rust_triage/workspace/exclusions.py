"""Cargo's workspace path rules: `members`/`exclude` entries (globs expanded) and path-prefix tests."""

from __future__ import annotations

import glob
import os
from pathlib import Path

from rust_triage.errors import FileError
from rust_triage.workspace.manifest import Manifest, normalize


def expand_entries(
    base: Path, entries: list[object], errors: list[FileError] | None, where: str
) -> list[Path]:
    """Paths of `members`-like entries; glob patterns expand to the directories they match."""
    out: list[Path] = []
    for entry in entries:
        if not isinstance(entry, str):
            if errors is not None:
                errors.append(
                    FileError(where, "manifest", f"workspace path entry must be a string: {entry!r}")
                )
            continue
        joined = normalize(base / entry)
        if glob.has_magic(entry):
            matches = sorted(Path(m) for m in glob_entry(base, entry) if os.path.isdir(m))
            out.extend(normalize(m) for m in matches)
            if matches:
                continue
        out.append(joined)
    return out


# Per workspace root met in one discovery: its `exclude` directories (globs expanded once, not per
# member) and its explicitly listed (non-glob) member directories, as strings.
_EXCLUSIONS: dict[Path, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _exclusions(root: Manifest) -> tuple[tuple[str, ...], tuple[str, ...]]:
    found = _EXCLUSIONS.get(root.dir)
    if found is None:
        table = root.workspace_table or {}
        excluded: list[str] = []
        for entry in (e for e in table.get("exclude", []) or [] if isinstance(e, str)):
            if glob.has_magic(entry):
                excluded.extend(str(normalize(Path(m))) for m in glob_entry(root.dir, entry))
            else:
                excluded.append(str(normalize(root.dir / entry)))
        listed = [str(normalize(root.dir / m)) for m in table.get("members", []) or []
                  if isinstance(m, str) and not glob.has_magic(m)]
        found = _EXCLUSIONS[root.dir] = (tuple(excluded), tuple(listed))
    return found


def is_excluded(root: Manifest, directory: Path) -> bool:
    """Cargo's rule: under an `exclude` entry and not under an explicitly listed (non-glob) member."""
    excluded, listed = _exclusions(root)
    text = str(directory)
    if not any(is_under_text(text, e) for e in excluded):
        return False  # the common case: no member list scan, so thousands of members stay linear
    return not any(is_under_text(text, m) for m in listed)


def glob_entry(base: Path, pattern: str) -> list[str]:
    """Matches of `pattern` relative to `base` (whose own name may contain glob characters)."""
    return glob.glob(os.path.normpath(os.path.join(glob.escape(str(base)), pattern)))


def is_under(path: Path, directory: Path) -> bool:
    return is_under_text(str(path), str(directory))


def is_under_text(path: str, directory: str) -> bool:
    """`path` is `directory` or below it (both normalized: no `..`, no trailing separator but the root's)."""
    return path == directory or path.startswith(directory if directory.endswith(os.sep) else directory + os.sep)


def forget_exclusions() -> None:
    """At the start of a discovery: manifests and globbed directories may have changed since the last."""
    _EXCLUSIONS.clear()
