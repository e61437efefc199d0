"""Safe automatic fixes (`rust-triage check --fix`): add the derives RT310/RT311 findings ask for.

A fix extends the type's existing `#[derive(...)]` or inserts a new `#[derive(...)]` line above the
item (below its doc comments) with the item's indentation. Nothing else in the file changes, files
are replaced atomically through the write helper (never through a symlink, never outside the
workspace), keep their mode and line endings, and running it again changes nothing. A file that
cannot be read or written is reported in `errors`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tree_sitter import Node

from rust_triage.atomic import write_atomic
from rust_triage.errors import FileError
from rust_triage.families.types.traits import DERIVABLE
from rust_triage.parse.language import parse_rust
from rust_triage.workspace.safepath import PathRefused, read_file, real_roots

if TYPE_CHECKING:
    from rust_triage.pipeline import Analysis

FIXABLE_RULES = ("RT310", "RT311")
_ITEM_TYPES = ("struct_item", "enum_item")


@dataclass
class _Wanted:
    type_name: str
    traits: list[str] = field(default_factory=list)


def apply_fixes(analysis: Analysis, errors: list[FileError] | None = None) -> int:
    """Apply every derive fix of the reported findings; returns how many findings were fixed.

    Files the path policy refuses (outside the workspace, symlinks, special files) are left alone
    and reported in `errors`.
    """
    workspace = analysis.context.workspace
    root = workspace.root
    editor = _Editor(workspace.roots, analysis.context.config.max_file_size, errors if errors is not None else [])
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
        done |= {(rel, line) for line in _fix_file(root / rel, rel, by_line, editor)}
    return sum(1 for targets in fixing if all(t in done for t in targets))


def _canonical(traits: list[str]) -> list[str]:
    return sorted(traits, key=lambda t: DERIVABLE.index(t) if t in DERIVABLE else len(DERIVABLE))


class _Editor:
    """Reads and writes source files through the path policy, collecting what it refuses."""

    def __init__(self, roots: tuple[Path, ...], max_bytes: int, errors: list[FileError]) -> None:
        self.roots = roots
        self.real_roots = real_roots(roots)
        self.max_bytes = max_bytes
        self.errors = errors

    def read(self, path: Path, rel: str) -> bytes | None:
        try:
            return read_file(path, self.real_roots, self.max_bytes)
        except PathRefused as refused:
            self.errors.append(FileError(rel, refused.kind, f"not fixed: {refused.reason}"))
            return None

    def write(self, path: Path, rel: str, data: bytes) -> bool:
        try:
            write_atomic(path, data, inside=self.roots)
        except OSError as exc:
            self.errors.append(FileError(rel, "unwritable", f"not fixed: {exc.strerror or exc}"))
            return False
        return True


def _fix_file(path: Path, rel: str, by_line: dict[int, _Wanted], editor: _Editor) -> list[int]:
    """Add the derives to the items starting at the given lines; returns the lines handled."""
    if path.suffix != ".rs":
        return []
    data = editor.read(path, rel)
    if data is None:
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
        if not editor.write(path, rel, data):
            return []
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
    if line_start == 0 and data.startswith(b"\xef\xbb\xbf"):
        line_start = 3  # a byte-order mark stays the file's first bytes
    indent = data[line_start : anchor.start_byte]
    if indent.strip():
        return None  # something else shares the line: leave it to a human
    newline = line_ending_at(data, anchor.start_byte)
    line = indent + b"#[derive(" + ", ".join(traits).encode() + b")]" + newline
    return line_start, line_start, line


def line_ending_at(data: bytes, offset: int) -> bytes:
    """The line ending of the line holding `offset` (the file's usual one for an unterminated last line)."""
    end = data.find(b"\n", offset)
    if end < 0:
        return b"\r\n" if b"\r\n" in data else b"\n"
    return b"\r\n" if end > 0 and data[end - 1 : end] == b"\r" else b"\n"


def _is_doc(attr: Node) -> bool:
    return attr.text.replace(b" ", b"").startswith((b"#[doc", b"#![doc"))


