"""Is an edit made by `--fix` or `--add-suppressions` confined to what it may change?

Two independent checks, both on bytes, lines split at `\\n` only (what rustc counts):
1. Line diff: `--add-suppressions` may only insert allow-comment lines directly above a line with a
   finding, or append an allow comment to such a line; `--fix` may only change lines inside
   `#[derive(...)]` attributes (of the old file for removed lines, of the new file for added ones).
   Nothing is ever deleted.
2. Tokens (Rust files): the tree-sitter leaf tokens outside comments (and, for `--fix`, outside derive
   attributes) are identical before and after, so the code means the same. This catches a comment
   that swallowed code or code that escaped a comment (a bare CR inside a `//` comment, say).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

import tree_sitter
import tree_sitter_rust

_SUPPRESSION = re.compile(rb"^[ \t]*(//|#) rust-triage: allow\([A-Za-z0-9_, -]+\) -- [^\n]*\n?$")
_TRAILING = re.compile(rb" (//|#) rust-triage: allow\([A-Za-z0-9_, -]+\) -- [^\r\n]*$")
_COMMENTS = ("line_comment", "block_comment")
_BOM = b"\xef\xbb\xbf"
_PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_rust.language()))


def split_lines(data: bytes) -> list[bytes]:
    parts = data.split(b"\n")
    lines = [p + b"\n" for p in parts[:-1]]
    return lines + [parts[-1]] if parts[-1] else lines


def check_edit(rel: bytes, old: bytes, new: bytes, edit: str, finding_lines: set[int] | None) -> str | None:
    """None when the edit is allowed, else what is wrong. `finding_lines`: 1-based, None = unknown."""
    is_rust = rel.endswith(b".rs")
    if old.startswith(_BOM) and new.startswith(_BOM):  # rustc skips a leading byte-order mark
        old, new = old[len(_BOM):], new[len(_BOM):]
    a, b = split_lines(old), split_lines(new)
    if edit == "fix":
        problem = _fix_diff(a, b, old, new) if is_rust else "a non-Rust file changed"
    else:
        problem = _suppress_diff(a, b, finding_lines)
    if problem is None and is_rust:
        problem = _token_difference(old, new, skip_derives=edit == "fix")
    return problem


def _suppress_diff(a: list[bytes], b: list[bytes], sites: set[int] | None) -> str | None:
    """Any alignment of old and new lines that shows only allowed insertions proves the edit clean:
    a greedy walk first (exact on repeated blocks, where a diff may pair the wrong copies), then the
    diff's alignment; the diff's complaint is the one reported."""
    if _greedy_suppress_walk(a, b, sites):
        return None
    return _aligned_suppress_diff(a, b, sites)


def _greedy_suppress_walk(a: list[bytes], b: list[bytes], sites: set[int] | None) -> bool:
    p = 0
    for line in b:
        if p < len(a) and line == a[p]:
            p += 1
        elif _SUPPRESSION.match(line):
            if sites is not None and p + 1 not in sites:
                return False
        elif p < len(a) and _trailing_comment_added(a[p], line):
            if sites is not None and p + 1 not in sites:
                return False
            p += 1
        else:
            return False
    return p == len(a)


def _aligned_suppress_diff(a: list[bytes], b: list[bytes], sites: set[int] | None) -> str | None:
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        p = i1
        for line in b[j1:j2]:
            if p < i2 and line == a[p]:
                p += 1
            elif _SUPPRESSION.match(line):
                if sites is not None and p + 1 not in sites:
                    return f"allow comment inserted above line {p + 1}, which has no finding"
            elif p < i2 and _trailing_comment_added(a[p], line):
                if sites is not None and p + 1 not in sites:
                    return f"allow comment appended to line {p + 1}, which has no finding"
                p += 1
            else:
                return f"line {p + 1} changed: {a[p][:120]!r} -> {line[:120]!r}" if p < i2 else \
                    f"unexpected line inserted above line {p + 1}: {line[:120]!r}"
        if p != i2:
            return f"line {p + 1} deleted: {a[p][:120]!r}"
    return None


def _trailing_comment_added(old: bytes, new: bytes) -> bool:
    body = old.rstrip(b"\r\n")
    ending = old[len(body):]
    return new.startswith(body) and new.endswith(ending) and bool(_TRAILING.fullmatch(new[len(body): len(new) - len(ending)]))


def _fix_diff(a: list[bytes], b: list[bytes], old: bytes, new: bytes) -> str | None:
    old_derives, new_derives = _derive_lines(old), _derive_lines(new)
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        outside_old = [n for n in range(i1 + 1, i2 + 1) if n not in old_derives]
        outside_new = [n for n in range(j1 + 1, j2 + 1) if n not in new_derives]
        if outside_old:
            return f"line {outside_old[0]} changed outside a derive: {a[outside_old[0] - 1][:120]!r}"
        if outside_new:
            return f"new line {outside_new[0]} outside a derive: {b[outside_new[0] - 1][:120]!r}"
    return None


def _is_derive(node: tree_sitter.Node) -> bool:
    return node.type == "attribute_item" and (node.text or b"").replace(b" ", b"").startswith(b"#[derive(")


def _derive_lines(data: bytes) -> set[int]:
    lines: set[int] = set()
    stack = [_PARSER.parse(data).root_node]
    while stack:
        node = stack.pop()
        if _is_derive(node):
            lines.update(range(node.start_point[0] + 1, node.end_point[0] + 2))
        else:
            stack.extend(node.children)
    return lines


def _tokens(data: bytes, skip_derives: bool) -> list[tuple[str, bytes]]:
    out: list[tuple[str, bytes]] = []
    stack = [_PARSER.parse(data).root_node]
    while stack:
        node = stack.pop()
        if node.type in _COMMENTS or (skip_derives and _is_derive(node)):
            continue
        if node.child_count == 0:
            out.append((node.type, node.text or b""))
        else:
            stack.extend(reversed(node.children))
    return out


def _token_difference(old: bytes, new: bytes, skip_derives: bool) -> str | None:
    before, after = _tokens(old, skip_derives), _tokens(new, skip_derives)
    if before == after:
        return None
    at = next((i for i, (x, y) in enumerate(zip(before, after, strict=False)) if x != y), min(len(before), len(after)))
    show = [t[1][:60] for t in before[at: at + 3]], [t[1][:60] for t in after[at: at + 3]]
    return f"code outside comments changed at token {at}: {show[0]!r} -> {show[1]!r}"
