"""Evaluate `#[cfg(...)]` predicates that depend only on a package's features, as `cargo check` builds
it by default (the `default` feature and what it enables). Anything else is unknown: None."""

from __future__ import annotations

from typing import Any

from rust_triage.types.traits import split_top_level
from rust_triage.workspace.manifest import ManifestError, read_manifest
from rust_triage.workspace.model import Package


def default_features(package: Package) -> frozenset[str]:
    """Features enabled by `default`, transitively (optional dependencies count as features)."""
    try:
        data = read_manifest(package.manifest).data
    except ManifestError:
        return frozenset()
    table: Any = data.get("features")
    if not isinstance(table, dict):
        return frozenset()
    enabled: set[str] = set()
    stack = ["default"]
    while stack:
        name = stack.pop()
        if name in enabled:
            continue
        enabled.add(name)
        for entry in table.get(name, []) if isinstance(table.get(name), list) else []:
            if isinstance(entry, str) and "/" not in entry:
                stack.append(entry.removeprefix("dep:"))
    return frozenset(enabled)


def evaluate(predicate: str, features: frozenset[str]) -> bool | None:
    """`feature = "x"`, `not(..)`, `all(..)`, `any(..)` over features; None for anything else."""
    text = predicate.strip()
    if text.startswith("feature"):
        rest = text[len("feature"):].lstrip()
        if rest.startswith("=") and rest[1:].strip().startswith('"') and rest.endswith('"'):
            return rest[1:].strip()[1:-1] in features
        return None
    for op in ("not", "all", "any"):
        if text.startswith(op) and text[len(op):].lstrip().startswith("(") and text.endswith(")"):
            inner = text[text.index("(") + 1 : -1]
            values = [evaluate(p, features) for p in split_top_level(inner)]
            if op == "not":
                return None if len(values) != 1 or values[0] is None else not values[0]
            if op == "all":
                return False if False in values else None if None in values else True
            return True if True in values else None if None in values else False
    return None


def cfg_enabled(attr: str, features: frozenset[str]) -> bool | None:
    """For a `cfg(..)` attribute text: True / False when it depends on features only, else None."""
    text = attr.strip()
    if not (text.startswith("cfg") and text.endswith(")")):
        return None
    return evaluate(text[text.index("(") + 1 : -1], features)
