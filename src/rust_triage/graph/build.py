"""The workspace symbol graph (networkx MultiDiGraph).

Nodes: crate, target, module, file, and one node per item (struct with its fields and derives,
enum with variants, trait, impl, fn, macro, type alias, const, static). Edges carry `kind`:
contains, defined_in, implements (impl -> trait), impl_for (impl -> type), derives, uses, calls.
Unresolved targets (std traits, external crates) become `external` nodes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from rust_triage.graph.calls import enclosing_fn, resolve_call
from rust_triage.graph.resolve import Def
from rust_triage.graph.type_names import last_segment as _last

if TYPE_CHECKING:
    from rust_triage.graph.sources import AnalysedSources
    from rust_triage.parse.source import SourceFile


def item_node(src: SourceFile, index: int) -> str:
    return f"item:{src.rel}#{index}"


def def_node(d: Def) -> str:
    return item_node(d.file, d.item.index)


def build_graph(ctx: AnalysedSources) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(root=str(ctx.workspace.root))
    index = ctx.index
    for pkg in ctx.workspace.packages:
        crate = f"crate:{pkg.name}"
        g.add_node(crate, kind="crate", name=pkg.name, manifest=ctx.workspace.rel(pkg.manifest), edition=pkg.edition)
        for t in pkg.targets:
            tnode = f"target:{pkg.name}/{t.kind}/{t.name}"
            g.add_node(tnode, kind="target", name=t.name, target_kind=t.kind, path=ctx.workspace.rel(t.src_path))
            g.add_edge(crate, tnode, kind="contains")
    for src in ctx.files:
        _add_file(g, src)
    for target, root in sorted(index.roots.items()):
        _add_scopes(g, f"target:{target}", root)
    allowed = _allowed_packages(ctx)
    for src in ctx.files:
        _add_relations(g, ctx, src, allowed)
    return g


def _add_file(g: nx.MultiDiGraph, src: SourceFile) -> None:
    fnode = f"file:{src.rel}"
    g.add_node(fnode, kind="file", path=src.rel, lines=src.facts.line_count, code_lines=src.facts.code_lines,
               in_test=src.in_test_target, syntax_errors=len(src.facts.syntax_errors))
    for item in src.facts.items:
        node = item_node(src, item.index)
        attrs: dict[str, object] = {
            "kind": item.kind, "name": item.name, "file": src.rel, "line": item.line, "end_line": item.end_line,
            "symbol": src.symbol(item.index), "vis": item.vis, "in_test": src.in_test(item.index),
        }
        if item.kind in ("struct", "union"):
            attrs["fields"] = [{"name": f.name, "type": f.type, "cfg": f.cfg_gated} for f in item.fields]
            attrs["tuple"] = item.tuple_struct
        if item.kind == "enum":
            attrs["variants"] = list(item.variants)
        if item.derives:
            attrs["derives"] = list(item.derives)
        if item.kind == "fn":
            attrs["is_async"] = item.is_async
        if item.kind == "impl":
            attrs["trait"] = item.trait or ""
            attrs["self_type"] = item.self_type or ""
        g.add_node(node, **attrs)
        parent = item_node(src, item.parent) if item.parent >= 0 else fnode
        g.add_edge(parent, node, kind="contains")


def _add_scopes(g: nx.MultiDiGraph, target_node: str, root) -> None:  # type: ignore[no-untyped-def]
    """Module nodes of one target, parents first (iterative: modules may nest thousands deep)."""
    pending = [root]
    while pending:
        scope = pending.pop()
        mnode = f"module:{scope.target}:{scope.path}"
        g.add_node(mnode, kind="module", path=scope.path, file=scope.file.rel if scope.file else "")
        parent = f"module:{scope.target}:{scope.parent.path}" if scope.parent else target_node
        g.add_edge(parent, mnode, kind="contains")
        if scope.file is not None and scope.file.modules and scope.path.count("::") >= 0:
            g.add_edge(mnode, f"file:{scope.file.rel}", kind="defined_in")
        pending.extend(scope.children[name] for name in sorted(scope.children, reverse=True))


def _external(g: nx.MultiDiGraph, name: str) -> str:
    node = f"external:{name}"
    if node not in g:
        g.add_node(node, kind="external", name=name)
    return node


def _allowed_packages(ctx: AnalysedSources) -> dict[str, set[str]]:
    """Package -> the packages its code can reach under Cargo's rules (itself and its dependencies)."""
    from rust_triage.workspace.deps import reachable_crates

    return reachable_crates(ctx.workspace) if not ctx.workspace.fallback else {}


def _reachable(src: SourceFile, defs: list[Def], allowed: dict[str, set[str]]) -> list[Def]:
    """Definitions `src` may refer to: no edge into a crate its package does not depend on."""
    if not allowed:
        return defs
    own = src.package
    if not own:  # a file no target compiles: only its own package directory's code, by path
        return [d for d in defs if d.file.rel.split("/")[0] == src.rel.split("/")[0]]
    ok = allowed.get(own, {own})
    return [d for d in defs if (d.file.package or own) in ok]


def _add_relations(g: nx.MultiDiGraph, ctx: AnalysedSources, src: SourceFile,
                   allowed: dict[str, set[str]]) -> None:
    index = ctx.index
    items = src.facts.items
    for item in items:
        node = item_node(src, item.index)
        for trait in item.derives:
            g.add_edge(node, _external(g, trait), kind="derives")
        if item.kind != "impl":
            continue
        targets = [d for d in index.resolve(src, item.index, item.self_type or "") if d.item.kind != "fn"]
        if len(targets) == 1:
            g.add_edge(node, def_node(targets[0]), kind="impl_for")
        elif item.self_type:
            g.add_edge(node, _external(g, _last(item.self_type)), kind="impl_for")
        if item.trait:
            trait_path = item.trait.split("<")[0]
            traits = [d for d in index.resolve(src, item.index, trait_path) if d.item.kind == "trait"]
            g.add_edge(node, def_node(traits[0]) if len(traits) == 1 else _external(g, _last(trait_path)),
                       kind="implements")
    for use in src.facts.uses:
        if use.path[-1] == "*":
            continue
        holder = item_node(src, use.item) if use.item >= 0 else f"file:{src.rel}"
        for d in _reachable(src, index.resolve(src, use.item, "::".join(use.path)), allowed)[:4]:
            g.add_edge(holder, def_node(d), kind="uses", alias=use.alias or "", pub=use.is_pub, line=use.line)
    for call in src.facts.calls:
        caller = enclosing_fn(src, call.item)
        if caller < 0:
            continue
        found = _reachable(src, resolve_call(index, src, call), allowed)
        if len(found) != 1:
            continue  # unknown, or ambiguous: no guessed edge
        for d in found:
            g.add_edge(item_node(src, caller), def_node(d), kind="calls", line=call.line,
                       async_ctx=call.async_ctx, resolution="best-effort")
