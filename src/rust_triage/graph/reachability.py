"""Which functions production entry points reach, and through which calls.

Entry points: a library crate's public API (`pub fn`, trait impls and trait methods, exported
`#[no_mangle]` functions), a binary's `main`, async handlers (`#[get(..)]`, `#[tokio::main]`...), and
PyO3 entry points (`#[pyfunction]`, `#[pymethods]`). Edges are the resolved calls, plus, where the
receiver type is unknown, every workspace method of the called name and every function passed by name
as a value (`.map(parse)`, `spawn(worker)`): reachability errs towards "reachable", so a site is called
unreachable only when no call, resolved or not, can lead to it.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import msgspec

from rust_triage.graph.calls import enclosing_fn, resolve_call

if TYPE_CHECKING:
    from rust_triage.graph.resolve import Def, SymbolIndex

FnKey = tuple[str, int]  # (file rel, fn item index)
MAX_DEPTH = 16
_NAME_FALLBACK_LIMIT = 12  # more same-named methods than this: too vague to link by name
_PRODUCTION_KINDS = ("lib", "proc-macro", "bin")
_HANDLER_ATTRS = ("get", "post", "put", "delete", "patch", "head", "route", "handler", "main", "rocket::launch",
                  "launch", "async_trait")
_PYTHON_ATTRS = ("pyfunction", "pymethods", "pymodule", "pyo3::pyfunction", "pyo3::pymethods", "pyo3::pymodule")


class Reachability(msgspec.Struct):
    """Shortest known call chain from an entry point to each reached function."""

    parents: dict[FnKey, FnKey | None] = msgspec.field(default_factory=dict)
    entry_kind: dict[FnKey, str] = msgspec.field(default_factory=dict)
    labels: dict[FnKey, str] = msgspec.field(default_factory=dict)

    def chain(self, key: FnKey) -> tuple[str, list[str]] | None:
        """(entry kind, labels from the entry to `key`), or None when no entry point reaches `key`."""
        if key not in self.parents:
            return None
        steps = [key]
        while (parent := self.parents[steps[-1]]) is not None and len(steps) <= MAX_DEPTH:
            steps.append(parent)
        steps.reverse()
        return self.entry_kind.get(steps[0], "entry"), [self.labels.get(s, s[0]) for s in steps]


def entry_kind(src: Any, item_index: int) -> str | None:
    """Why a fn item is a production entry point, or None."""
    items = src.facts.items
    item = items[item_index]
    if item.kind != "fn" or src.in_test(item_index):
        return None
    parent = items[item.parent] if item.parent >= 0 else None
    if parent is not None and parent.kind == "fn":
        return None  # a nested fn is reached through its enclosing fn
    attrs = [a.split("(", 1)[0].strip() for a in item.attrs]
    parent_attrs = [a.split("(", 1)[0].strip() for a in parent.attrs] if parent is not None else []
    if any(a in _PYTHON_ATTRS for a in attrs + parent_attrs):
        return "python-entry"
    if any(a.rsplit("::", 1)[-1] in _HANDLER_ATTRS for a in attrs):
        return "async-handler"
    kinds = {m.target_kind for m in src.modules}
    if "bin" in kinds and item.name == "main" and parent is None and any(m.module_path == "crate" for m in src.modules):
        return "binary-main"
    if not kinds & {"lib", "proc-macro"}:
        return None
    if "no_mangle" in attrs or "export_name" in attrs:
        return "ffi-export"
    if parent is not None and parent.kind == "impl" and parent.trait:
        return "trait-impl"
    if parent is not None and parent.kind == "trait":
        return "library-api"
    if item.vis == "pub":
        return "library-api"
    return None


def fn_label(src: Any, index: int) -> str:
    items = src.facts.items
    item = items[index]
    parent = items[item.parent] if item.parent >= 0 else None
    if parent is not None and parent.kind in ("impl", "trait"):
        return f"{parent.self_type or parent.name}::{item.name}"
    return str(item.name)


def compute_reachability(files: Iterable[Any], index: SymbolIndex) -> Reachability:
    """Breadth-first from every entry point over the (over-approximated) call edges."""
    files = [f for f in files if f.modules and any(m.target_kind in _PRODUCTION_KINDS for m in f.modules)]
    by_name: dict[str, list[FnKey]] = {}
    result = Reachability()
    starts: list[FnKey] = []
    for src in files:
        for item in src.facts.items:
            if item.kind != "fn":
                continue
            key = (src.rel, item.index)
            by_name.setdefault(item.name, []).append(key)
            result.labels[key] = fn_label(src, item.index)
            kind = entry_kind(src, item.index)
            if kind is not None:
                result.entry_kind[key] = kind
                starts.append(key)
    edges: dict[FnKey, set[FnKey]] = {}
    for src in files:
        _file_edges(src, index, by_name, edges, result, starts)
    parents = result.parents
    queue: deque[tuple[FnKey, int]] = deque()
    for key in starts:
        if key not in parents:
            parents[key] = None
            queue.append((key, 0))
    while queue:
        key, depth = queue.popleft()
        if depth >= MAX_DEPTH:
            continue
        for nxt in sorted(edges.get(key, ())):
            if nxt not in parents:
                parents[nxt] = key
                queue.append((nxt, depth + 1))
    return result


def _file_edges(src: Any, index: SymbolIndex, by_name: dict[str, list[FnKey]], edges: dict[FnKey, set[FnKey]],
                result: Reachability, starts: list[FnKey]) -> None:
    in_test = src.in_test
    for call in src.facts.calls:
        caller = enclosing_fn(src, call.item)
        if caller >= 0 and in_test(caller):
            continue
        targets = _targets(src, call, index, by_name)
        if not targets:
            continue
        if caller < 0:  # statics, consts, macro bodies: whoever uses them may run the call
            for t in targets:
                result.entry_kind.setdefault(t, "static-or-macro")
                starts.append(t)
            continue
        edges.setdefault((src.rel, caller), set()).update(targets)
    for path, item in src.facts.value_refs:
        name = path.rsplit("::", 1)[-1]
        targets = by_name.get(name)
        if not targets or len(targets) > _NAME_FALLBACK_LIMIT:
            continue
        caller = enclosing_fn(src, item)
        if caller >= 0 and not in_test(caller):
            edges.setdefault((src.rel, caller), set()).update(targets)


def _targets(src: Any, call: Any, index: SymbolIndex, by_name: dict[str, list[FnKey]]) -> list[FnKey]:
    defs: list[Def] = resolve_call(index, src, call)
    if defs:
        return [(d.file.rel, d.item.index) for d in defs if d.item.kind == "fn"]
    name = call.callee.rsplit("::", 1)[-1]
    candidates = by_name.get(name, [])
    return candidates if len(candidates) <= _NAME_FALLBACK_LIMIT else []
