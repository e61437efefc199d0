"""Safe automatic fixes (`rust-triage check --fix`): add the derives RT310/RT311 findings ask for.

A fix extends the type's existing `#[derive(...)]` or inserts a new `#[derive(...)]` line above the
item (below its doc comments) with the item's indentation. Nothing else in the file changes, files
are replaced atomically, and running it again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tree_sitter import Node

from rust_triage.atomic import write_atomic
from rust_triage.families.types.traits import DERIVABLE
from rust_triage.parse.language import parse_rust

if TYPE_CHECKING:
    from rust_triage.pipeline import Analysis

FIXABLE_RULES = ("RT310", "RT311")
_ITEM_TYPES = ("struct_item", "enum_item")


@dataclass
class _Wanted:
    type_name: str
    traits: list[str] = field(default_factory=list)


def apply_fixes(analysis: Analysis) -> int:
    """Apply every derive fix of the reported findings; returns how many findings were fixed."""
    root = analysis.context.workspace.root
    wanted: dict[str, dict[int, _Wanted]] = {}
    fixing: list[list[tuple[str, int]]] = []
    for finding in analysis.findings:
        if finding.rule not in FIXABLE_RULES:
            continue
        steps = finding.detail.get("fix") or []
        targets = []
        for step in steps:
            entry = wanted.setdefault(step["file"], {}).setdefault(step["line"], _Wanted(step["type"]))
            for trait in step["add"]:
                if trait not in entry.traits:
                    entry.traits.append(trait)
            targets.append((step["file"], step["line"]))
        if targets:
            fixing.append(targets)
    done: set[tuple[str, int]] = set()
    for rel, by_line in sorted(wanted.items()):
        done |= {(rel, line) for line in _fix_file(root / rel, by_line)}
    return sum(1 for targets in fixing if all(t in done for t in targets))


def _canonical(traits: list[str]) -> list[str]:
    return sorted(traits, key=lambda t: DERIVABLE.index(t) if t in DERIVABLE else len(DERIVABLE))


def _fix_file(path: Path, by_line: dict[int, _Wanted]) -> list[int]:
    """Add the derives to the items starting at the given lines; returns the lines handled."""
    try:
        data = path.read_bytes()
    except OSError:
        return []
    tree = parse_rust(data)
    edits: list[tuple[int, int, bytes]] = []  # (start, end, replacement)
    handled: list[int] = []
    for node in _items(tree.root_node):
        line = node.start_point[0] + 1
        want = by_line.get(line)
        name = node.child_by_field_name("name")
        if want is None or name is None or name.text.decode() != want.type_name:
            continue
        edit = _derive_edit(data, node, _canonical(want.traits))
        if edit is not None:
            edits.append(edit)
        handled.append(line)
    if edits:
        for start, end, replacement in sorted(edits, reverse=True):
            data = data[:start] + replacement + data[end:]
        write_atomic(path, data)
    return handled


def _items(root: Node) -> list[Node]:
    out: list[Node] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in _ITEM_TYPES:
            out.append(node)
        elif node.type in ("source_file", "mod_item", "declaration_list", "function_item", "block"):
            stack.extend(node.named_children)
    return out


def _derive_edit(data: bytes, item: Node, traits: list[str]) -> tuple[int, int, bytes] | None:
    attrs: list[Node] = []
    sib = item.prev_named_sibling
    while sib is not None and sib.type in ("attribute_item", "line_comment", "block_comment"):
        attrs.append(sib)
        sib = sib.prev_named_sibling
    attrs.reverse()
    for attr in attrs:
        text = attr.text.decode("utf-8", "replace")
        compact = text.replace(" ", "").replace("\n", "")
        if not compact.startswith("#[derive("):
            continue
        open_at = text.index("(")
        close_at = text.rindex(")")
        inner = text[open_at + 1 : close_at]
        present = {p.strip().rsplit("::", 1)[-1] for p in inner.split(",") if p.strip()}
        missing = [t for t in traits if t not in present]
        if not missing:
            return None
        body = inner.rstrip()
        tail = inner[len(body):]
        added = ", ".join(missing)
        if not body.strip():
            new_inner = added + tail
        elif body.endswith(","):
            new_inner = body + " " + added + "," + tail
        else:
            new_inner = body + ", " + added + tail
        new_text = text[: open_at + 1] + new_inner + text[close_at:]
        return attr.start_byte, attr.end_byte, new_text.encode()
    # no derive yet: a new line above the first non-doc attribute (or the item itself)
    anchor = next((a for a in attrs if a.type == "attribute_item" and not _is_doc(a)), item)
    line_start = data.rfind(b"\n", 0, anchor.start_byte) + 1
    indent = data[line_start : anchor.start_byte]
    if indent.strip():
        return None  # something else shares the line: leave it to a human
    newline = b"\r\n" if b"\r\n" in data else b"\n"
    line = indent + b"#[derive(" + ", ".join(traits).encode() + b")]" + newline
    return line_start, line_start, line


def _is_doc(attr: Node) -> bool:
    return attr.text.replace(b" ", b"").startswith((b"#[doc", b"#![doc"))


