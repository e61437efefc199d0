"""`mod x;` declarations written inside macro calls (`cfg_if! { .. }` and the like)."""

from __future__ import annotations

import re

from tree_sitter import Node

from rust_triage.parse.items import text
from rust_triage.workspace.model import ModDecl

_PATH_TT = re.compile(r'^\[\s*path\s*=\s*"((?:[^"\\]|\\.)*)"\s*\]$')
_CFG_TEST_TT = re.compile(r"^\[\s*cfg\s*\(\s*test\s*\)\s*\]$")


def macro_mod_decl(name: Node, in_cfg_test: bool, parents: tuple[tuple[str, str | None], ...]) -> ModDecl:
    """The declaration `mod x;` (`name` is `x`) makes inside a macro call's token tree: its `#[path]` and
    `#[cfg(test)]` attributes, and the cfg of the `cfg_if!` branch holding it ("?" in other macros)."""
    path_attr: str | None = None
    cfg_test = False
    sib = name.prev_sibling.prev_sibling if name.prev_sibling is not None else None
    while sib is not None and sib.type in ("pub", "token_tree", "#", "crate"):
        if sib.type == "token_tree":
            body = text(sib)
            m = _PATH_TT.match(body)
            path_attr = m.group(1) if m else path_attr
            cfg_test = cfg_test or bool(_CFG_TEST_TT.match(body))
        sib = sib.prev_sibling
    return ModDecl(
        name=text(name),
        line=name.start_point[0] + 1,
        column=name.start_point[1] + 1,
        inline=False,
        path_attr=path_attr,
        cfg_test=cfg_test or in_cfg_test,
        parents=parents,
        macro_cfg=_cfg_if_branch(name) or "?",
    )


_CFG_TT = re.compile(r"^\[\s*cfg\s*\((.*)\)\s*\]$", re.S)


def _cfg_if_branch(name: Node) -> str:
    """`cfg(..)` under which `cfg_if! { if #[cfg(a)] { .. } else if #[cfg(b)] { mod x; } else { .. } }`
    compiles the branch holding `mod x;` (here `cfg(all(not(a), b))`); "" when it is not in such a branch."""
    block = name.parent
    outer = block.parent if block is not None else None
    macro = outer.parent if outer is not None else None
    if block is None or outer is None or macro is None or macro.type != "macro_invocation" \
            or not text(block).startswith("{"):
        return ""
    called = macro.child_by_field_name("macro")
    if called is None or text(called).rsplit("::", 1)[-1] != "cfg_if":
        return ""
    earlier: list[str] = []
    kids = outer.children
    for i, child in enumerate(kids):
        if child.type != "token_tree" or not text(child).startswith("{"):
            continue
        found = _CFG_TT.match(text(kids[i - 1])) if i >= 2 and kids[i - 2].type == "#" else None
        own = [f"not({p})" for p in earlier] + ([found.group(1)] if found else [])
        if child.start_byte == block.start_byte:
            return f"cfg(all({', '.join(own)}))"
        if found is None:
            return ""
        earlier.append(found.group(1))
    return ""
