"""Dependencies between the packages of a workspace, read from their Cargo.toml files.

Used to order build work (the crate everyone depends on first) and to keep the symbol graph honest:
code in crate A can only reach crate B when A's manifest depends on B.
"""

from __future__ import annotations

import sys
from graphlib import CycleError, TopologicalSorter
from typing import Any

from rust_triage.workspace.model import Workspace

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_NORMAL = ("dependencies", "build-dependencies", "build_dependencies")
_DEV = ("dev-dependencies", "dev_dependencies")


def package_dependencies(ws: Workspace, *, dev: bool = False) -> dict[str, set[str]]:
    """Package name -> names of the workspace packages it depends on (dev-dependencies when `dev`)."""
    names = {p.name for p in ws.packages}
    out: dict[str, set[str]] = {}
    for package in ws.packages:
        try:
            data = tomllib.loads(package.manifest.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            out[package.name] = set()
            continue
        keys = _NORMAL + (_DEV if dev else ())
        tables: list[Any] = [data.get(k) for k in keys]
        targets = data.get("target")
        if isinstance(targets, dict):
            for platform in targets.values():
                if isinstance(platform, dict):
                    tables.extend(platform.get(k) for k in keys)
        deps: set[str] = set()
        for table in tables:
            if not isinstance(table, dict):
                continue
            for key, spec in table.items():
                real = spec.get("package", key) if isinstance(spec, dict) else key
                if isinstance(real, str) and real in names and real != package.name:
                    deps.add(real)
        out[package.name] = deps
    return out


def crate_order(ws: Workspace) -> dict[str, int]:
    """Rank of each package in build order: 0 for the packages that depend on no other one."""
    deps = package_dependencies(ws)
    try:
        order = list(TopologicalSorter({k: sorted(v) for k, v in sorted(deps.items())}).static_order())
    except CycleError:
        order = sorted(deps)
    depth: dict[str, int] = {}
    for name in order:  # dependencies come first in static_order
        depth[name] = 1 + max((depth.get(d, 0) for d in deps.get(name, ())), default=-1)
    ranked = sorted(depth, key=lambda n: (depth[n], order.index(n)))
    return {name: rank for rank, name in enumerate(ranked)}


def reachable_crates(ws: Workspace) -> dict[str, set[str]]:
    """Package -> every package its code may use (itself, and its dependencies of any kind, transitively)."""
    deps = package_dependencies(ws, dev=True)
    out: dict[str, set[str]] = {}
    for name in deps:
        seen = {name}
        stack = [name]
        while stack:
            for d in deps.get(stack.pop(), ()):
                if d not in seen:
                    seen.add(d)
                    stack.append(d)
        out[name] = seen
    return out
