"""Units of a decomposition: the top-level items that must move together, and how they use each other.

A type goes with every impl block of it (and impls for a generic of it, `impl Read for Arc<File>`),
a trait with its impls for types defined elsewhere; each free fn, const, static, type alias or
inline module is a unit of its own. Private helpers used by a single unit join that unit.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rust_triage.families.debt.common import TYPE_KINDS, debt_of, is_pub, item_start
from rust_triage.parse.facts import Item

if TYPE_CHECKING:
    from rust_triage.engine.context import SourceFile

_STAY_KINDS = ("macro",)  # macro_rules! scoping is textual: they stay where they are
_WORD = re.compile(r"[A-Za-z_]\w*")


@dataclass
class Unit:
    node: int
    name: str
    kind: str
    items: list[Item] = field(default_factory=list)
    lines: int = 0

    @property
    def start(self) -> int:
        return min(it.line for it in self.items)


def last_segment(type_text: str) -> str:
    t = type_text.replace("&", " ").replace("mut ", " ").replace("dyn ", " ").strip()
    return t.split("<", 1)[0].split("::")[-1].strip()


def build_units(src: SourceFile) -> tuple[list[Unit], list[Item]]:
    """Movable units (document order) and the top-level items that stay in the file."""
    facts = src.facts
    debt = debt_of(src)
    units: list[Unit] = []
    by_key: dict[tuple[str, str], Unit] = {}
    stay: list[Item] = []
    impls: list[Item] = []
    out_of_line = {(m.name, m.line) for m in facts.mods if not m.inline}

    def unit_for(key: tuple[str, str], name: str, kind: str) -> Unit:
        unit = by_key.get(key)
        if unit is None:
            unit = by_key[key] = Unit(len(units), name, kind)
            units.append(unit)
        return unit

    for item in facts.items:
        if item.parent != -1:
            continue
        if item.in_test or item.kind in _STAY_KINDS or (item.kind == "mod" and (item.name, item.line) in out_of_line):
            stay.append(item)
        elif item.kind == "impl":
            impls.append(item)
        elif item.kind in TYPE_KINDS:
            unit_for(("type", item.name), item.name, item.kind).items.append(item)
        else:
            unit_for((item.kind, item.name or f"#{item.index}"), item.name, item.kind).items.append(item)
    for impl in impls:
        self_name = last_segment(impl.self_type or "")
        trait_name = last_segment(impl.trait or "") if impl.trait else ""
        owner = by_key.get(("type", self_name))
        if owner is None and trait_name:
            owner = by_key.get(("type", trait_name))
        if owner is None:  # `impl Read for Arc<File>`: the local type in the self type
            written = set(_WORD.findall(debt.impl_types.get(impl.index, "")))
            local = sorted(n for n in written if ("type", n) in by_key)
            if local:
                owner = by_key[("type", local[0])]
        if owner is None:
            owner = unit_for(("impl", self_name), self_name, "impl")
        owner.items.append(impl)
    for unit in units:
        unit.items.sort(key=lambda it: it.line)
        unit.lines = sum(it.end_line - item_start(it, debt) + 1 for it in unit.items)
    return units, stay


def unit_references(src: SourceFile, units: list[Unit]) -> dict[tuple[int, int], float]:
    """(user, used) -> weight: how much one unit mentions the names of another's items.

    Each name counts with the square root of its occurrences, so a long impl that names a type on
    every line does not drown every other link. Method names are not used: `x.push()` says nothing
    about which type `x` is, and `Type::method` already names the type.
    """
    debt = debt_of(src)
    owner_of: dict[str, int] = {}
    for unit in units:
        for item in unit.items:
            if item.kind != "impl" and item.name:
                owner_of.setdefault(item.name, unit.node)
    weights: dict[tuple[int, int], float] = {}
    for unit in units:
        for item in unit.items:
            for name, count in debt.refs.get(item.index, {}).items():
                other = owner_of.get(name)
                if other is not None and other != unit.node:
                    key = (unit.node, other)
                    weights[key] = weights.get(key, 0.0) + count ** 0.5
    return weights


def member_fns(items: list[Item], container: Item) -> list[Item]:
    out = []
    for child in items[container.index + 1:]:
        if child.line > container.end_line:
            break
        if child.parent == container.index and child.kind == "fn":
            out.append(child)
    return out


def absorb_private_helpers(src: SourceFile, units: list[Unit]) -> list[Unit]:
    """Private units used by exactly one other unit move in with it (helper chains and cycles too).

    A worklist over a union-find of the units: each merge joins two groups, so there are at most
    `len(units) - 1` merges, and a group is looked at again only when a group it is used by merges.
    A unit used by a single other stays so after any merge, so the result does not depend on order;
    private helpers that only use each other in a cycle end up as one group.
    """
    refs = unit_references(src, units)
    n = len(units)
    parent = list(range(n))
    private = [not any(is_pub(it) for it in u.items if it.kind != "impl") for u in units]
    users: list[set[int]] = [set() for _ in range(n)]  # group -> groups using it (possibly stale)
    uses: list[set[int]] = [set() for _ in range(n)]  # group -> groups it uses (possibly stale)
    for user, used in refs:
        users[used].add(user)
        uses[user].add(used)

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    pending = deque(range(n))
    queued = [True] * n
    while pending:
        g = pending.popleft()
        queued[g] = False
        if find(g) != g or not private[g]:
            continue
        current = {find(u) for u in users[g]} - {g}
        users[g] = current
        if len(current) != 1:
            continue
        target = next(iter(current))
        parent[g] = target  # g joins the group that uses it
        private[target] = private[target] and private[g]
        if len(users[target]) < len(users[g]):
            users[target], users[g] = users[g], users[target]
        users[target] |= users[g]
        woken = uses[g]
        if len(uses[target]) < len(uses[g]):
            uses[target], uses[g] = uses[g], uses[target]
        uses[target] |= uses[g]
        users[g] = uses[g] = set()
        for other in [target, *woken]:  # groups g used may now have one user fewer
            r = find(other)
            if not queued[r]:
                queued[r] = True
                pending.append(r)
    if all(parent[i] == i for i in range(n)):
        return units  # nothing moved: keep the units (and their order) as built
    merged: dict[int, Unit] = {}
    for unit in units:
        r = find(unit.node)
        base = merged.setdefault(r, Unit(0, units[r].name, units[r].kind))
        base.items.extend(unit.items)
        base.lines += unit.lines
    out: list[Unit] = []
    for r in sorted(merged, key=lambda k: min(it.line for it in merged[k].items)):
        unit = merged[r]
        unit.node = len(out)
        unit.items.sort(key=lambda it: it.line)
        out.append(unit)
    return out
