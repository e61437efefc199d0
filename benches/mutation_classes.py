"""Classes of the mutation benchmark, so recall and precision can be reported per class.

Field mutations are classed by the literal or call they change (enum variant, `Self`, const context,
a name that is not a struct's own name, tuple constructor, macro argument, plain). Derive mutations
are classed by the use rustc rejects (or the finding points at), read from the source line: `{:?}`,
`.clone()`, `==`, propagation through a field... Separately, every mutation site and every error in
test code (`#[cfg(test)]`, `#[test]`, `tests/`) is also counted in the "test code" row.
"""

from __future__ import annotations

import re

from tree_sitter import Node

FIELD_CLASSES = ("variant", "self", "const", "alias", "tuple", "macro", "plain")
DERIVE_CLASSES = ("propagation", "debug-format", "assert", "unwrap", "clone", "compare", "map-key", "sort",
                  "default", "move-out", "use-after-move", "move-in-loop", "other")
TEST_CLASS = "test code"

_FIELD_DECL = re.compile(r"^\s*(pub(\([^)]*\))?\s+)?(r#)?[a-z_][A-Za-z0-9_]*\s*:\s*[^=;]+,?\s*(//.*)?$")
_VARIANT_DECL = re.compile(r"^\s*[A-Z][A-Za-z0-9_]*\s*[({]?[^=;]*[,({]?\s*$")
_DERIVE_LINE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("assert", re.compile(r"\b(debug_)?assert_(eq|ne)!")),
    ("debug-format", re.compile(r"\{[^{}]*:[^{}]*\?\}|\bdbg!|[(,]\s*\?[a-z_]")),
    ("unwrap", re.compile(r"\.(unwrap|expect|unwrap_err|expect_err)\(")),
    ("clone", re.compile(r"\.clone\(\)")),
    ("sort", re.compile(r"\.(sort|sort_unstable|binary_search|max|min)\(\)|\.dedup\(\)")),
    ("map-key", re.compile(r"\b(HashMap|HashSet|BTreeMap|BTreeSet)\b|\.(insert|entry|contains_key|contains)\(")),
    ("default", re.compile(r"\bdefault\(\)")),
    ("compare", re.compile(r"[=!<>]=|[^-=<]>[^>=]|[^<]<[^<=]")),
)


def field_class(name: str, literal: Node, defined_structs: set[str], in_macro: bool) -> str:
    """Class of a struct literal (or of a capitalised call, `literal` being the call)."""
    if in_macro:
        return "macro"
    segments = [s.split("<", 1)[0].strip() for s in name.split("::")]
    last = segments[-1]
    if last == "Self":
        return "self"
    if _in_const_context(literal):
        return "const"
    if len(segments) >= 2 and segments[-2][:1].isupper():
        return "variant"
    if literal.type == "call_expression":
        return "tuple"
    if last not in defined_structs:
        return "alias"
    return "plain"


def _in_const_context(node: Node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.type in ("const_item", "static_item"):
            return True
        if parent.type == "function_item":
            mods = next((c for c in parent.children if c.type == "function_modifiers"), None)
            return mods is not None and b"const" in (mods.text or b"")
        parent = parent.parent
    return False


_LOOP_HEAD = re.compile(r"^\s*(?:'\w+:\s*)?(?:for\b|while\b|loop\b)")
_FN_HEAD = re.compile(r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:const\s+|async\s+|unsafe\s+)*fn\b")


def in_loop_body(lines: list[str], line: int) -> bool:
    """Whether 1-based `line` sits in the body of a `for`/`while`/`loop` of its fn (by brace depth)."""
    depth = 0
    for number in range(line - 1, 0, -1):
        text = lines[number - 1] if number <= len(lines) else ""
        depth += text.count("}") - text.count("{")
        if depth < 0:
            if _LOOP_HEAD.match(text):
                return True
            if _FN_HEAD.match(text):
                return False
            depth = 0
    return False


def derive_class(code: str, line_text: str, lines: list[str] | None = None, line: int = 0) -> str:
    """Class of a derive-related compiler error (or finding) from its code and source line (and, for
    use after move, the file's lines: a use in a loop body is "move-in-loop")."""
    if code == "E0507":
        return "move-out"
    if code == "E0382":
        return "move-in-loop" if lines is not None and in_loop_body(lines, line) else "use-after-move"
    if code == "E0204" or "#[derive" in line_text:
        return "propagation"
    for cls, pattern in _DERIVE_LINE_PATTERNS[:-1]:
        if pattern.search(line_text):
            return cls
    if _FIELD_DECL.match(line_text) or _VARIANT_DECL.match(line_text):
        return "propagation"
    return "compare" if _DERIVE_LINE_PATTERNS[-1][1].search(line_text) else "other"


def test_ranges(rel: str, root: Node) -> list[tuple[int, int]]:
    """1-based line ranges of test code in a file: all of it under `tests/`, else `#[cfg(test)]`
    items and `#[test]` fns."""
    if rel.startswith("tests/") or "/tests/" in rel:
        return [(1, root.end_point[0] + 1)]
    out: list[tuple[int, int]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == "attribute_item":
            text = (node.text or b"").replace(b" ", b"")
            item = node.next_named_sibling
            while item is not None and item.type in ("attribute_item", "line_comment", "block_comment"):
                item = item.next_named_sibling
            if item is not None and (text.startswith(b"#[cfg(test)") or text == b"#[test]"):
                out.append((node.start_point[0] + 1, item.end_point[0] + 1))
                continue
        stack.extend(node.children)
    return out


def in_ranges(line: int, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= line <= b for a, b in ranges)
