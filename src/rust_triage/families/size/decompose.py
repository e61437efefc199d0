"""Decomposition planner: split an oversized file's top-level items into coherent new modules.

Units are the things that must move together: a type with every impl block of it, a trait with
the impls of it for foreign types, and each free fn, const, static or inline module on its own.
Units are linked by the names they mention (the extractor's `refs`), communities of that
weighted graph (greedy modularity, deterministic) become modules, tiny communities join the
neighbour they talk to most, and each module gets a name, a path and the `mod` / `pub use`
lines that keep the file's public API unchanged.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rust_triage.families.debt.common import (
    TYPE_KINDS,
    child_module_dir,
    debt_of,
    is_pub,
    item_start,
    snake_case,
)
from rust_triage.families.size.clustering import cluster
from rust_triage.families.size.units import (
    Unit,
    absorb_private_helpers,
    build_units,
    last_segment,
    member_fns,
    unit_references,
)
from rust_triage.parse.facts import Item

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile


@dataclass
class Plan:
    modules: list[dict[str, Any]]
    keep: list[dict[str, Any]]
    parent_lines: list[str]
    notes: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"modules": self.modules, "keep": self.keep, "parent_lines": self.parent_lines, "notes": self.notes}


def plan(src: SourceFile, threshold: int, root: Path | None = None, ctx: AnalysisContext | None = None) -> Plan:
    """The decomposition proposal for one file (modules may be empty when nothing can move).

    Dead files (unless `--include-dead-code`), generated files and files that do not parse get no
    proposal, with the reason in `notes`.
    """
    from rust_triage.families.size.safety import dead_code_reason, generated_reason, syntax_reason

    for why in (dead_code_reason(ctx, src), generated_reason(ctx, src), syntax_reason(src)):
        if why:
            return Plan([], [], [], [f"no split proposal: {why}"])
    units, stay = build_units(src)
    debt = debt_of(src)
    notes: list[str] = []
    if not units:
        return Plan([], [], [], ["nothing movable: the file holds only macros, module declarations and tests"])
    units = absorb_private_helpers(src, units)
    refs = unit_references(src, units)
    min_lines = max(20, threshold // 6)
    groups, leftover = cluster(units, refs, threshold, min_lines)
    if len(groups) <= 1 and not leftover:
        biggest = max(units, key=lambda u: u.lines)
        return Plan([], [_item_entry(it, debt) for it in sorted(src.facts.items, key=lambda i: i.line)
                         if it.parent == -1], [],
                     [f"the file is one cohesive unit around `{biggest.name}`: split its impl blocks or "
                      "functions by concern (several `impl` blocks may live in different files)"])
    groups = [part for group in groups for part in _within(group, units, threshold)]
    concept = _file_concept(src)
    for group in groups:  # the group named like the file is what the file is about: it stays
        if len(groups) > 1 and snake_case(_ranked([units[n] for n in group])[0].name) == concept:
            groups.remove(group)
            leftover |= group
            break
    directory = child_module_dir(src)
    taken = {m.name for m in src.facts.mods} | {"tests", "test", "mod", "lib", "main"} | _existing(root, directory)
    if concept:
        taken.add(concept)  # `foo/foo.rs` reads badly (clippy::module_inception)
    modules: list[dict[str, Any]] = []
    assignment: dict[int, str] = {}
    for group in sorted(groups, key=lambda g: min(units[n].start for n in g)):
        members = sorted((units[n] for n in group), key=lambda u: u.start)
        name = _module_name(members, taken)
        taken.add(name)
        for u in members:
            assignment[u.node] = name
        modules.append(_module_entry(name, directory, members, debt))
    _add_cross_module_needs(src, units, stay, assignment, modules)
    for m in modules:
        m.pop("_units")
    for u in units:
        if u.lines > threshold:
            notes.append(f"`{u.name}` alone spans {u.lines} lines: split its impl blocks by concern "
                         f"(several `impl {u.name}` blocks may live in different files of this module)")
    keep = [_item_entry(it, debt) for it in stay] + [
        _item_entry(it, debt) for n in sorted(leftover) for it in units[n].items
    ]
    keep.sort(key=lambda e: e["line"])
    parent_lines: list[str] = []
    for m in modules:
        parent_lines.append(m["mod_line"])
        parent_lines.extend(m["pub_use"])
        parent_lines.extend(m["use"])
    if modules:
        notes.append("start each new file with `use super::*;` so it sees the imports and items it used before")
    return Plan(modules, keep, parent_lines, notes)


def _within(group: set[int], units: list[Unit], threshold: int) -> list[set[int]]:
    """A group over the threshold cut into runs of consecutive units that each fit (a single unit
    larger than the threshold stays alone; a note says how to split it further)."""
    if sum(units[n].lines for n in group) <= threshold or len(group) < 2:
        return [group]
    out: list[set[int]] = []
    current: set[int] = set()
    size = 0
    for n in sorted(group, key=lambda n: units[n].start):
        if current and size + units[n].lines > threshold:
            out.append(current)
            current, size = set(), 0
        current.add(n)
        size += units[n].lines
    if current:
        out.append(current)
    return out


def _ranked(members: list[Unit]) -> list[Unit]:
    """Dominant units first: the biggest, types before fns (a type counts twice its lines)."""
    return sorted(members, key=lambda u: (-u.lines * (2 if u.kind in TYPE_KINDS else 1), u.start))


def _file_concept(src: SourceFile) -> str | None:
    """What the file's name says it is about (`engine` for engine.rs and engine/mod.rs)."""
    directory, name = posixpath.split(src.rel)
    if name == "mod.rs":
        return posixpath.basename(directory) or None
    if name in ("lib.rs", "main.rs") or not name.endswith(".rs"):
        return None
    return name[:-3]


def _module_name(members: list[Unit], taken: set[str]) -> str:
    """Named after the dominant unit."""
    ranked = _ranked(members)
    for unit in ranked:
        candidate = snake_case(unit.name)
        if candidate not in taken:
            return candidate
    base = snake_case(ranked[0].name)
    n = 2
    while f"{base}_{n}" in taken:
        n += 1
    return f"{base}_{n}"


def existing_names(src: SourceFile, root: Path | None) -> set[str]:
    """Names a split of `src` must not take: the entries of its child-module directory."""
    return _existing(root, child_module_dir(src))


def _existing(root: Path | None, directory: str) -> set[str]:
    """Module names already taken by files or directories next to the new modules."""
    if root is None:
        return set()
    try:
        entries = os.listdir(root / directory)
    except OSError:
        return set()
    return {e[:-3] if e.endswith(".rs") else e for e in entries}


def _item_entry(item: Item, debt: Any) -> dict[str, Any]:
    label = f"impl {item.trait} for {item.self_type}" if item.kind == "impl" and item.trait else (
        f"impl {item.self_type}" if item.kind == "impl" else item.name)
    return {"name": label, "kind": item.kind, "line": item_start(item, debt), "end_line": item.end_line,
            "vis": item.vis}


def _module_entry(name: str, directory: str, members: list[Unit], debt: Any) -> dict[str, Any]:
    items = sorted((it for u in members for it in u.items), key=lambda it: it.line)
    by_vis: dict[str, list[str]] = {}
    for it in items:
        if it.kind != "impl" and it.name and is_pub(it) and it.name not in by_vis.get(it.vis, []):
            by_vis.setdefault(it.vis, []).append(it.name)  # cfg'd twins share one `pub use` entry
    pub_use = [f"{vis} use {name}::{_names(names)};" for vis, names in sorted(by_vis.items())]
    return {
        "name": name,
        "path": posixpath.join(directory, f"{name}.rs") if directory else f"{name}.rs",
        "lines": sum(u.lines for u in members),
        "items": [_item_entry(it, debt) for it in items],
        "mod_line": f"mod {name};",
        "pub_use": pub_use,
        "use": [],
        "visibility_changes": [],
        "_units": members,
    }


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else "{" + ", ".join(names) + "}"


def _add_cross_module_needs(src: SourceFile, units: list[Unit], stay: list[Item], assignment: dict[int, str],
                            modules: list[dict[str, Any]]) -> None:
    """Private items another new module uses: `pub(super)` in their file, `use` in the parent.

    Top-level items count when their name appears; private methods when a call names them
    (`Type::method(..)`, or `.method(..)` when a single local impl defines that name).
    """
    facts = src.facts
    debt = debt_of(src)
    module_of_top: dict[int, str | None] = {it.index: None for it in stay}
    home: dict[str, tuple[str, Item]] = {}  # private top-level name -> (module, item)
    methods: dict[str, list[tuple[str, Item, str]]] = {}  # private method -> (module, item, self type)
    for unit in units:
        mod = assignment.get(unit.node)
        for item in unit.items:
            module_of_top[item.index] = mod
            if mod is None:
                continue
            if item.kind != "impl" and item.name and not is_pub(item):
                home.setdefault(item.name, (mod, item))
            if item.kind == "impl" and not item.trait:
                for child in member_fns(facts.items, item):
                    if not is_pub(child):
                        methods.setdefault(child.name, []).append((mod, child, last_segment(item.self_type or "")))
    needs: dict[str, dict[str, Item]] = {}
    for index, user in module_of_top.items():
        for name in debt.refs.get(index, {}):
            target = home.get(name)
            if target is not None and target[0] != user:
                needs.setdefault(target[0], {})[name] = target[1]
    for call in facts.calls:
        if call.item < 0:
            continue
        top = facts.item_chain(call.item)[-1].index
        if top not in module_of_top:
            continue
        user = module_of_top[top]
        parts = call.callee.split("::")
        candidates = methods.get(parts[-1], [])
        if not call.method:
            candidates = [c for c in candidates if len(parts) >= 2 and parts[-2] == c[2]]
        elif len(candidates) != 1:
            continue
        for mod, item, self_type in candidates:
            if mod != user:
                needs.setdefault(mod, {})[f"{self_type}::{item.name}"] = item
    by_name = {m["name"]: m for m in modules}
    for mod, names in needs.items():
        entry = by_name[mod]
        entry["visibility_changes"] = [
            {"item": n, "line": item.line, "to": "pub(super)"} for n, item in sorted(names.items())
        ]
        top_names = sorted(n for n, item in names.items() if item.parent == -1)
        if top_names:
            entry["use"] = [f"use {mod}::{_names(top_names)};"]
