"""Test-extraction planner: where an inline `#[cfg(test)] mod tests { ... }` should go, and why."""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any

from rust_triage.families.debt.common import child_module_dir, debt_of
from rust_triage.families.debt.packages import PackageView, publicly_reachable
from rust_triage.parse.attributes import is_test_fn
from rust_triage.parse.facts import Item
from rust_triage.workspace.model import ModDecl

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile

_NAMED_KINDS = ("fn", "struct", "enum", "union", "trait", "type", "const", "static", "macro")


def inline_test_modules(src: SourceFile) -> list[tuple[Item, ModDecl]]:
    """Outermost inline `#[cfg(test)]` modules of a file, with their declarations."""
    decls = {(m.name, m.line): m for m in src.facts.mods if m.inline}
    items = src.facts.items
    out = []
    for item in items:
        if item.kind != "mod" or not item.cfg_test:
            continue
        if item.parent >= 0 and items[item.parent].in_test:
            continue
        decl = decls.get((item.name, item.line))
        if decl is not None:
            out.append((item, decl))
    return out


def children(src: SourceFile, item: Item) -> list[Item]:
    """Items nested (at any depth) inside `item`."""
    out = []
    for other in src.facts.items[item.index + 1:]:
        if other.line > item.end_line:
            break
        out.append(other)
    return out


def test_count(src: SourceFile, item: Item) -> int:
    return sum(1 for it in children(src, item) if it.kind == "fn" and is_test_fn(it.attrs))


def private_items_used(src: SourceFile, module: Item) -> list[dict[str, Any]]:
    """Items of the file that are not plain `pub` and that the test module mentions."""
    facts = src.facts
    debt = debt_of(src)
    inside = {it.index for it in children(src, module)}
    mentioned = set(debt.refs.get(module.index, ()))
    called = _calls_in(src, inside)
    read_fields = set(debt.field_refs.get(module.index, ()))
    found: dict[str, dict[str, Any]] = {}
    for item in facts.items:
        if item.index in inside or item.index == module.index or item.in_test:
            continue
        parent = facts.items[item.parent] if item.parent >= 0 else None
        if item.kind in _NAMED_KINDS and item.vis != "pub" and item.name in mentioned:
            if parent is None:
                kind = "macro" if item.kind == "macro" else item.kind
                if item.kind == "macro" and any(a.startswith("macro_export") for a in item.attrs):
                    continue
                found.setdefault(item.name, {"name": item.name, "kind": kind, "line": item.line, "vis": item.vis})
            elif parent.kind == "impl" and not parent.trait and item.kind == "fn":
                if not _method_used(item.name, parent.self_type or "", called, mentioned):
                    continue  # `Other::new()` does not use this type's private `new`
                label = f"{parent.self_type}::{item.name}"
                found.setdefault(label, {"name": label, "kind": "method", "line": item.line, "vis": item.vis})
        if item.kind in ("struct", "union") and parent is None:
            for f in item.fields:
                if f.vis != "pub" and f.name in read_fields:
                    label = f"{item.name}.{f.name}"
                    found.setdefault(label, {"name": label, "kind": "field", "line": f.line, "vis": f.vis})
    return sorted(found.values(), key=lambda d: (d["line"], d["name"]))


def _calls_in(src: SourceFile, inside: set[int]) -> list[tuple[str, bool]]:
    """(callee path, is a method call) of the calls made inside the module."""
    return [(c.callee, c.method) for c in src.facts.calls if c.item in inside]


def _method_used(name: str, self_type: str, called: list[tuple[str, bool]], mentioned: set[str]) -> bool:
    """A private method is used when a path call names its type (`Type::name`), or a method call
    `.name()` is made and the type itself is mentioned (receiver types are not inferred)."""
    owner = self_type.split("::")[-1].split("<")[0]
    for callee, method in called:
        parts = callee.split("::")
        if parts[-1] != name:
            continue
        if method and owner in mentioned:
            return True
        if not method and len(parts) >= 2 and parts[-2] in (owner, "Self"):
            return True
    return False


def _crate_paths_used(src: SourceFile, module: Item, inside: set[int]) -> bool:
    if any(u.path and u.path[0] == "crate" and (u.item in inside or u.item == module.index) for u in src.facts.uses):
        return True
    return any(c.callee.startswith("crate::") for c in src.facts.calls if c.item in inside)


def plan_extraction(ctx: AnalysisContext, src: SourceFile, module: Item, decl: ModDecl,
                    package: PackageView | None) -> dict[str, Any]:
    inline_parents = tuple(it.name for it in reversed(src.facts.item_chain(module.index)[1:]) if it.kind == "mod")
    directory = child_module_dir(src, inline_parents)
    in_crate_path = posixpath.join(directory, f"{module.name}.rs") if directory else f"{module.name}.rs"
    from rust_triage.families.size.safety import safe_in_crate_path

    root = ctx.workspace.root / package.root_rel if package is not None else None
    in_crate_path, path_attr = safe_in_crate_path(root, ctx.workspace.root, src, in_crate_path, module.name)
    private = private_items_used(src, module)
    reasons = []
    if private:
        shown = ", ".join(f"`{p['name']}`" for p in private[:6]) + (" ..." if len(private) > 6 else "")
        reasons.append(f"it uses private items: {shown}")
    unreachable = publicly_reachable(ctx, src, inline_parents)
    if unreachable:
        reasons.append(unreachable)
    if package is None or package.lib_name is None:
        reasons.append("the package has no library target")
    module_path = src.module_path or "crate"
    plan: dict[str, Any] = {
        "form": "in-crate" if reasons else "integration",
        "in_crate": {
            "path": in_crate_path,
            "replace_with": "#[cfg(test)]\n" + (f"#[path = \"{path_attr}\"]\n" if path_attr else "")
            + f"mod {module.name};",
            "note": f"move the module body into `{in_crate_path}`; `use super::*;` keeps working",
        },
        "private_items_used": private,
        "reasons_in_crate": reasons,
    }
    if package is not None and package.lib_name is not None:
        segments = module_path.split("::")[1:] + list(inline_parents)
        stem = "_".join(segments) if segments else package.lib_name
        import_path = "::".join([package.lib_name, *segments])
        plan["integration"] = {
            "path": package.under("tests", f"{stem}.rs"),
            "import": f"use {import_path}::*;",
            "note": "delete the inline module; in the new file replace `use super::*;` with the import",
        }
        inside = {it.index for it in children(src, module)}
        if _crate_paths_used(src, module, inside):
            plan["integration"]["rewrite"] = [{"from": "crate::", "to": f"{package.lib_name}::"}]
            plan["integration"]["note"] += f", and `crate::` paths with `{package.lib_name}::`"
    plan["target"] = plan["in_crate"]["path"] if reasons else plan["integration"]["path"]
    return plan
