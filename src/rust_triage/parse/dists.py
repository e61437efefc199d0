"""Installed distributions' entry points and versions, read from their `.dist-info` folders.

What `importlib.metadata` returns, for the usual layout (folders on `sys.path`), without importing it:
that import (email parsing, zipfile, csv...) was a tenth of a one-file run. Any other layout (a zip or
egg file on the path, a custom finder that provides distributions) falls back to `importlib.metadata`.
"""

from __future__ import annotations

import os
import re
import sys
from functools import reduce
from importlib import import_module
from typing import Any

import msgspec

_ENTRY_VALUE = r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$"


def normalized(name: str) -> str:
    """A distribution name as PEP 503 compares it (`Rust.Triage` and `rust-triage` are one): each run
    of `-`, `_` and `.` becomes one `_`."""
    name = name.replace("-", "_").replace(".", "_").lower()
    while "__" in name:
        name = name.replace("__", "_")
    return name


class EntryPoint(msgspec.Struct, frozen=True):
    name: str
    value: str
    group: str
    dist_name: str  # normalized name of the distribution that declares it

    def load(self) -> Any:
        """The object the entry point names, as `importlib.metadata.EntryPoint.load` finds it."""
        found = re.match(_ENTRY_VALUE, self.value)
        if found is None:
            raise ValueError(f"malformed entry point value {self.value!r}")
        module = import_module(found.group("module"))
        return reduce(getattr, filter(None, (found.group("attr") or "").split(".")), module)


class _Dist(msgspec.Struct, frozen=True):
    name: str  # normalized
    path: str  # the .dist-info / .egg-info folder


_found: tuple[tuple[object, ...], list[_Dist] | None] | None = None  # (what it was read from, answer)


def _distributions() -> list[_Dist] | None:
    """Each distribution once (the first on `sys.path` wins, and in a folder `.dist-info` before
    `.egg-info`, as in `importlib.metadata`), or None when the path holds something only
    `importlib.metadata` reads. Read again when `sys.path`, the finders or a path folder changed
    (`importlib.metadata` also keys what it read on the folders' modification times)."""
    global _found
    import importlib.machinery

    if any(hasattr(f, "find_distributions") and f is not importlib.machinery.PathFinder for f in sys.meta_path):
        return None
    key = tuple(sys.path) + tuple(_mtime(entry or ".") for entry in sys.path)
    if _found is None or _found[0] != key:
        _found = (key, _read_distributions())
    return _found[1]


def _mtime(path: object) -> int:
    try:
        return os.stat(path).st_mtime_ns if isinstance(path, str) else -1
    except OSError:
        return -1


def _read_distributions() -> list[_Dist] | None:
    seen: set[str] = set()
    out: list[_Dist] = []
    for entry in sys.path:
        root = entry or "."
        if not isinstance(entry, str) or os.path.isfile(root):
            return None  # a zip or egg on the path
        try:
            names = os.listdir(root)
        except OSError:
            continue
        infos = [n for n in names if n.lower().endswith(".dist-info")]
        infos += [n for n in names if n.lower().endswith(".egg-info")]
        for child in infos:
            path = os.path.join(root, child)
            if not os.path.isdir(path):
                return None  # an egg-info file: only importlib.metadata reads it
            name = normalized(child.rpartition(".")[0].partition("-")[0])
            if name not in seen:
                seen.add(name)
                out.append(_Dist(name, path))
    return out


def _sections(text: str) -> list[tuple[str, str, str]]:
    """(section, name, value) of an INI-style entry_points.txt, as `importlib.metadata` reads it."""
    out: list[tuple[str, str, str]] = []
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
            continue
        name, equals, value = line.partition("=")
        if equals:
            out.append((section, name.strip(), value.strip()))
    return out


def entry_points(group: str) -> list[EntryPoint]:
    """The entry points of `group` across the installed distributions."""
    dists = _distributions()
    if dists is None:
        from importlib import metadata

        return [EntryPoint(ep.name, ep.value, group, normalized(ep.dist.name) if ep.dist else "")
                for ep in metadata.entry_points(group=group)]
    out: list[EntryPoint] = []
    for dist in dists:
        try:
            with open(os.path.join(dist.path, "entry_points.txt"), encoding="utf-8") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError):  # a damaged package is skipped
            continue
        out.extend(EntryPoint(name, value, group, dist.name) for section, name, value in _sections(text)
                   if section == group)
    return out


def version(dist_name: str) -> str | None:
    """The installed version of a distribution, or None when it is not installed."""
    dists = _distributions()
    if dists is None:
        from importlib import metadata

        try:
            return metadata.version(dist_name)
        except metadata.PackageNotFoundError:
            return None
    wanted = normalized(dist_name)
    for dist in dists:
        if dist.name == wanted:
            for name in ("METADATA", "PKG-INFO"):
                try:
                    with open(os.path.join(dist.path, name), encoding="utf-8") as f:
                        for line in f:
                            if not line.strip():
                                break
                            if line.startswith("Version:"):
                                return line[len("Version:"):].strip()
                except (OSError, UnicodeDecodeError):  # a damaged package is skipped
                    continue
            return None
    return None
