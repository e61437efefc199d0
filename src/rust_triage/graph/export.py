"""Write the symbol graph as node-link JSON, GraphML or Graphviz DOT.

Node ids and attributes hold file names and code: JSON goes through `escape.json_dumps`, GraphML through
`escape.xml_text` (control characters would make invalid XML) and `escape.xml_inert`, DOT strings through
`escape.visible`; all of them neutralise GitHub workflow commands.
"""

from __future__ import annotations

import io
import json

import networkx as nx

from rust_triage.escape import ci_safe, html_ci_safe, json_clean, json_dumps, visible, xml_inert, xml_text


def _plain(value: object) -> object:
    """A GraphML attribute value: lists and dicts as JSON text, strings XML-safe."""
    if isinstance(value, (list, dict)):
        return json.dumps(json_clean(value), sort_keys=True)  # ASCII only
    return xml_text(value) if isinstance(value, str) else value


def _node_id(node: object) -> object:
    return xml_text(node) if isinstance(node, str) else node


def to_json(g: nx.MultiDiGraph) -> str:
    data = nx.node_link_data(g, edges="links")
    data["nodes"].sort(key=lambda n: n["id"])
    data["links"].sort(key=lambda e: (e["source"], e["target"], e.get("kind", ""), e.get("line", 0), e.get("key", 0)))
    return json_dumps(data, indent=1, sort_keys=True) + "\n"


def to_graphml(g: nx.MultiDiGraph) -> str:
    flat = nx.MultiDiGraph()
    for node in sorted(g.nodes):
        flat.add_node(_node_id(node), **{k: _plain(v) for k, v in g.nodes[node].items()})
    for u, v, data in sorted(g.edges(data=True), key=lambda e: (e[0], e[1], str(e[2].get("kind")))):
        flat.add_edge(_node_id(u), _node_id(v), **{k: _plain(x) for k, x in data.items()})
    buf = io.BytesIO()
    nx.write_graphml(flat, buf)
    return html_ci_safe(xml_inert(buf.getvalue().decode("utf-8")))  # character references suit XML too


def to_dot(g: nx.MultiDiGraph) -> str:
    def q(s: object) -> str:
        return '"' + ci_safe(visible(str(s))).replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["digraph rust_triage {", "  rankdir=LR;", "  node [shape=box, fontsize=10];"]
    for node in sorted(g.nodes):
        attrs = g.nodes[node]
        label = f"{attrs.get('kind', '')} {attrs.get('name') or attrs.get('path') or node}"
        lines.append(f"  {q(node)} [label={q(label)}];")
    for u, v, data in sorted(g.edges(data=True), key=lambda e: (e[0], e[1], str(e[2].get("kind")))):
        lines.append(f"  {q(u)} -> {q(v)} [label={q(data.get('kind', ''))}];")
    lines.append("}")
    return "\n".join(lines) + "\n"
