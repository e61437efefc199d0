"""Reading outer attributes (`#[...]`) that precede an item in tree-sitter-rust's tree."""

from __future__ import annotations

import re

from tree_sitter import Node

_CFG_TEST = re.compile(r"^cfg\s*\(\s*(all\s*\(\s*)?test\b")
_TEST_ATTR = re.compile(r"^(\w+::)*test\b|^rstest\b|^test_case\b|^quickcheck\b|^proptest\b")
_PATH_ATTR = re.compile(r'^path\s*=\s*"((?:[^"\\]|\\.)*)"')


def outer_attributes(node: Node) -> list[str]:
    """Text inside `#[...]` of the attribute items directly before `node` (nearest last)."""
    attrs: list[str] = []
    sib = node.prev_named_sibling
    while sib is not None and sib.type in ("attribute_item", "line_comment", "block_comment"):
        if sib.type == "attribute_item":
            text = (sib.text or b"").decode("utf-8", "replace")
            attrs.append(text[2:-1].strip() if text.startswith("#[") else text)
        sib = sib.prev_named_sibling
    attrs.reverse()
    return attrs


def inner_attributes(container: Node) -> list[str]:
    """Text inside `#![...]` at the top of a file, block or inline module body."""
    attrs: list[str] = []
    for child in container.named_children:
        if child.type == "inner_attribute_item":
            text = (child.text or b"").decode("utf-8", "replace")
            attrs.append(text[3:-1].strip() if text.startswith("#![") else text)
        elif child.type not in ("line_comment", "block_comment"):
            break
    return attrs


def is_cfg_test(attrs: list[str]) -> bool:
    return any(_CFG_TEST.match(a) for a in attrs)


def is_test_fn(attrs: list[str]) -> bool:
    return any(_TEST_ATTR.match(a) for a in attrs)


_CFG_ATTR_PATH = re.compile(r'^cfg_attr\s*\((.*),\s*path\s*=\s*"((?:[^"\\]|\\.)*)"\s*\)$', re.S)


def cfg_attr_paths(attrs: list[str]) -> tuple[tuple[str, str], ...]:
    """(predicate, path) of each `#[cfg_attr(predicate, path = "x.rs")]`."""
    out = []
    for a in attrs:
        m = _CFG_ATTR_PATH.match(a) if a.startswith("cfg_attr") else None
        if m:
            out.append((m.group(1).strip(), m.group(2)))
    return tuple(out)


def path_attr(attrs: list[str]) -> str | None:
    for a in attrs:
        m = _PATH_ATTR.match(a)
        if m:
            return m.group(1)
    return None


_DERIVE = re.compile(r"^derive\s*\((.*)\)\s*$", re.S)
_LINT_ATTR = re.compile(r"^(allow|expect)\s*\((.*)\)\s*$", re.S)


def derives(attrs: list[str]) -> list[str]:
    """Trait names from `#[derive(...)]`, last path segment only (`serde::Serialize` -> `Serialize`)."""
    out: list[str] = []
    for a in attrs:
        m = _DERIVE.match(a)
        if m:
            for part in m.group(1).split(","):
                name = part.strip().split("::")[-1].strip()
                if name:
                    out.append(name)
    return out


def allowed_lints(attrs: list[str]) -> list[str]:
    """Lint names from `#[allow(...)]` / `#[expect(...)]`, e.g. `clippy::unwrap_used`."""
    out: list[str] = []
    for a in attrs:
        m = _LINT_ATTR.match(a)
        if m:
            for part in m.group(2).split(","):
                name = part.strip()
                if name and "=" not in name:
                    out.append(name.replace(" ", ""))
    return out
