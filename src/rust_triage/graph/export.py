"""Write the symbol graph as node-link JSON, GraphML or Graphviz DOT."""

from __future__ import annotations

import io
import json

import networkx as nx


def _plain(value: object) -> object:
    if isinstance(value, (list, dict)):
        return json.dumps(value, sort_keys=True)
    return value


def to_json(g: nx.MultiDiGraph) -> str:
    data = nx.node_link_data(g, edges="links")
    data["nodes"].sort(key=lambda n: n["id"])
    data["links"].sort(key=lambda e: (e["source"], e["target"], e.get("kind", ""), e.get("line", 0), e.get("key", 0)))
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def to_graphml(g: nx.MultiDiGraph) -> str:
    flat = nx.MultiDiGraph()
    for node in sorted(g.nodes):
        flat.add_node(node, **{k: _plain(v) for k, v in g.nodes[node].items()})
    for u, v, data in sorted(g.edges(data=True), key=lambda e: (e[0], e[1], str(e[2].get("kind")))):
        flat.add_edge(u, v, **{k: _plain(x) for k, x in data.items()})
    buf = io.BytesIO()
    nx.write_graphml(flat, buf)
    return buf.getvalue().decode("utf-8")


def to_dot(g: nx.MultiDiGraph) -> str:
    def q(s: object) -> str:
        return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["digraph rust_triage {", "  rankdir=LR;", "  node [shape=box, fontsize=10];"]
    for node in sorted(g.nodes):
        attrs = g.nodes[node]
        label = f"{attrs.get('kind', '')} {attrs.get('name') or attrs.get('path') or node}"
        lines.append(f"  {q(node)} [label={q(label)}];")
    for u, v, data in sorted(g.edges(data=True), key=lambda e: (e[0], e[1], str(e[2].get("kind")))):
        lines.append(f"  {q(u)} -> {q(v)} [label={q(data.get('kind', ''))}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
