"""Python modules, classes, functions and calls in the workspace graph, and the PyO3 bridge edges.

Nodes: `file:<rel>` (language python), `pymodule:<dotted>` (kind module), `py:<rel>#<index>`
(kind class / function, is_async), `extmodule:<name>` (kind extension-module). Edges: contains,
defined_in, imports (file -> module / extension module), calls (Python -> Python, and Python ->
Rust item with bridge="pyo3"), exports (extension module -> #[pyfunction] / #[pyclass] / method
item) and defined_by (extension module -> its #[pymodule] item).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rust_triage.families.python.bridge import ExtModule, RustExport
from rust_triage.families.python.resolve import PyTarget, RustTarget, python_index
from rust_triage.families.python.source import PySourceFile

if TYPE_CHECKING:
    import networkx as nx

    from rust_triage.engine.context import AnalysisContext


def py_node(src: PySourceFile, index: int) -> str:
    return f"py:{src.rel}#{index}"


def rust_node(export: RustExport) -> str:
    return f"item:{export.src.rel}#{export.item}"


def ext_node(module: ExtModule) -> str:
    return f"extmodule:{module.name}"


def add_python_to_graph(g: nx.MultiDiGraph, ctx: AnalysisContext) -> None:
    index = python_index(ctx)
    for module in index.bridge.values():
        _add_extension(g, module)
    for src in index.files:
        fnode = f"file:{src.rel}"
        g.add_node(fnode, kind="file", language="python", path=src.rel, lines=src.facts.line_count,
                   code_lines=src.facts.code_lines, in_test=src.in_test, syntax_errors=0)
        mnode = f"pymodule:{src.module}"
        if mnode not in g:
            g.add_node(mnode, kind="module", language="python", path=src.module, file=src.rel)
        g.add_edge(mnode, fnode, kind="defined_in")
        for d in src.facts.defs:
            attrs: dict[str, object] = {
                "kind": d.kind, "language": "python", "name": d.name, "file": src.rel, "line": d.line,
                "end_line": d.end_line, "symbol": src.symbol(d.index), "in_test": src.in_test,
            }
            if d.kind == "function":
                attrs["is_async"] = d.is_async
            g.add_node(py_node(src, d.index), **attrs)
            g.add_edge(py_node(src, d.parent) if d.parent >= 0 else fnode, py_node(src, d.index), kind="contains")
    for src in index.files:
        fnode = f"file:{src.rel}"
        seen: set[tuple[str, int]] = set()
        for imp, target in index.imported_modules(src):
            tnode = ext_node(target) if isinstance(target, ExtModule) else f"pymodule:{target.module}"
            if (tnode, imp.line) not in seen:
                seen.add((tnode, imp.line))
                g.add_edge(fnode, tnode, kind="imports", line=imp.line)
        for call, targets in index.calls_from(src):
            caller = py_node(src, call.func) if call.func >= 0 else fnode
            for t in targets[:4]:
                if isinstance(t, PyTarget):
                    g.add_edge(caller, py_node(t.src, t.index), kind="calls", line=call.line,
                               async_ctx=call.in_async, resolution="best-effort")
                elif isinstance(t, RustTarget) and t.export.item >= 0:
                    g.add_edge(caller, rust_node(t.export), kind="calls", line=call.line,
                               async_ctx=call.in_async, bridge="pyo3", resolution="best-effort")


def _add_extension(g: nx.MultiDiGraph, module: ExtModule) -> None:
    node = ext_node(module)
    g.add_node(node, kind="extension-module", language="rust", name=module.name, package=module.package)
    if module.definition is not None:
        src, item = module.definition
        g.add_edge(node, f"item:{src.rel}#{item}", kind="defined_by")
    exports: list[RustExport] = list(module.functions.values())
    for cls in module.classes.values():
        exports.append(cls.export)
        exports.extend(cls.methods.values())
        if cls.constructor is not None:
            exports.append(cls.constructor)
    for export in exports:
        if export.item < 0:
            continue
        rnode = rust_node(export)
        if rnode in g:
            g.nodes[rnode]["python_name"] = export.python_name(module.name)
        g.add_edge(node, rnode, kind="exports", name=export.label)
