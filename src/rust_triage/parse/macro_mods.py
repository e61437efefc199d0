"""`mod x;` declarations written inside macro calls (`cfg_if! { .. }` and the like), and the cfg a crate's
own `macro_rules!` puts on the items passed to it (`$( #[cfg(feature = "x")] $item )*`)."""

from __future__ import annotations

import re

from tree_sitter import Node

from rust_triage.parse.items import text
from rust_triage.parse.split_text import split_top_level
from rust_triage.workspace.model import ModDecl

_PATH_TT = re.compile(r'^\[\s*path\s*=\s*"((?:[^"\\]|\\.)*)"\s*\]$')
_CFG_TEST_TT = re.compile(r"^\[\s*cfg\s*\(\s*test\s*\)\s*\]$")
_CFG_TT = re.compile(r"^\[\s*cfg\s*\((.*)\)\s*\]$", re.S)


def macro_mod_decl(name: Node, in_cfg_test: bool, parents: tuple[tuple[str, str | None], ...]) -> ModDecl:
    """The declaration `mod x;` (`name` is `x`) makes inside a macro call's token tree: its `#[path]`,
    `#[cfg(test)]` and other `#[cfg(..)]` attributes, and the cfg of the `cfg_if!` branch holding it ("?" in
    other macros; then the called macro's name when the declaration is directly among its arguments)."""
    path_attr: str | None = None
    cfg_test = False
    cfgs: list[str] = []
    sib = name.prev_sibling.prev_sibling if name.prev_sibling is not None else None
    while sib is not None and sib.type in ("pub", "token_tree", "#", "crate"):
        if sib.type == "token_tree" and sib.prev_sibling is not None and sib.prev_sibling.type == "#":
            body = text(sib)
            m = _PATH_TT.match(body)
            path_attr = m.group(1) if m else path_attr
            if _CFG_TEST_TT.match(body):
                cfg_test = True
            elif cfg := _CFG_TT.match(body):
                cfgs.append(f"cfg({cfg.group(1).strip()})")
        sib = sib.prev_sibling
    branch = _cfg_if_branch(name)
    return ModDecl(
        name=text(name),
        line=name.start_point[0] + 1,
        column=name.start_point[1] + 1,
        inline=False,
        path_attr=path_attr,
        cfg_test=cfg_test or in_cfg_test,
        parents=parents,
        macro_cfg=branch or "?",
        macro_name="" if branch else _called_macro(name),
        decl_cfgs=tuple(reversed(cfgs)),
    )


def _called_macro(name: Node) -> str:
    """The name of the macro `name!` whose arguments hold the declaration directly; "" for a path
    (`a::m!`) or a declaration nested deeper."""
    args = name.parent
    call = args.parent if args is not None else None
    if call is None or call.type != "macro_invocation":
        return ""
    called = call.child_by_field_name("macro")
    return text(called) if called is not None and called.type == "identifier" else ""



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


# attributes a transcriber may put beside `$item` that change neither whether nor where the item compiles
_HARMLESS_ATTR = re.compile(r"^\[\s*(doc|allow|warn|deny|forbid|expect|must_use|inline|cold)\b")
_CFG_ATTR_ATTR = re.compile(r"^\[\s*cfg_attr\s*\((.*)\)\s*\]$", re.S)
_HARMLESS_INNER = re.compile(r"^(doc|allow|warn|deny|forbid|expect)\b")
UNREAD = "?"  # a macro whose transcription's cfg cannot be read with certainty


def macro_item_cfg(definition: Node) -> str:
    """The cfg a `macro_rules!` puts on the items passed to it: `macro_rules! m { ($($i:item)*) =>
    { $( #[cfg(feature = "x")] $i )* } }` gives `cfg(feature = "x")`, a transcriber that writes `$i`
    without cfg attributes "". `UNREAD` unless the macro has one rule, whose matcher is a repetition of one
    `item` fragment and whose transcriber writes that fragment once, at its top level, in a repetition
    that adds only attributes (cfg, doc, lints) before it."""
    rules = [c for c in definition.named_children if c.type == "macro_rule"]
    if len(rules) != 1:
        return UNREAD
    left, right = rules[0].child_by_field_name("left"), rules[0].child_by_field_name("right")
    var = _item_repetition_var(left) if left is not None else None
    if var is None or right is None:
        return UNREAD
    uses = [n for n in _descendants(right) if n.type == "metavariable" and text(n) == var]
    if len(uses) != 1 or uses[0].parent is None or uses[0].parent.type != "token_repetition" \
            or uses[0].parent.parent != right:
        return UNREAD
    repetition = uses[0].parent
    before = repetition.prev_sibling
    if before is None or (before.type == "token_tree" and text(before).startswith("[")) or before.type == "#":
        return UNREAD  # an attribute written before `$(`: it applies to the first item alone
    kids = repetition.children
    inner = kids[2:kids.index(uses[0])] if len(kids) > 3 and kids[1].type == "(" else None
    if inner is None or len(inner) % 2 or kids[kids.index(uses[0]) + 1].type != ")":
        return UNREAD
    cfgs = []
    for hash_node, attr in zip(inner[::2], inner[1::2], strict=True):
        body = text(attr)
        if hash_node.type != "#" or attr.type != "token_tree" or "$" in body:
            return UNREAD
        if cfg := _CFG_TT.match(body):
            cfgs.append(cfg.group(1).strip())
        elif not _harmless(body):
            return UNREAD
    if not cfgs:
        return ""
    return f"cfg({cfgs[0]})" if len(cfgs) == 1 else f"cfg(all({', '.join(cfgs)}))"


def _item_repetition_var(pattern: Node) -> str | None:
    """`$i` of a matcher that is exactly `($($i:item)*)` (or `+`, or with a separator)."""
    inner = pattern.children[1:-1]
    if len(inner) != 1 or inner[0].type != "token_repetition_pattern":
        return None
    bindings = [c for c in inner[0].children if c.type not in ("$", "(", ")", "*", "+", "?", ",", ";")]
    if len(bindings) != 1 or bindings[0].type != "token_binding_pattern":
        return None
    var = bindings[0].child_by_field_name("name") or bindings[0].named_children[0]
    kind = bindings[0].child_by_field_name("type") or bindings[0].named_children[-1]
    return text(var) if text(kind) == "item" else None


def _harmless(attr: str) -> bool:
    """Whether an attribute changes neither whether nor where an item compiles: doc and lint attributes,
    also under `cfg_attr(pred, ..)`."""
    if _HARMLESS_ATTR.match(attr):
        return True
    cfg_attr = _CFG_ATTR_ATTR.match(attr)
    if cfg_attr is None:
        return False
    parts = split_top_level(cfg_attr.group(1))
    return len(parts) >= 2 and all(_HARMLESS_INNER.match(p.strip()) for p in parts[1:])


def _descendants(node: Node) -> list[Node]:
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        out.append(n)
        stack.extend(n.children)
    return out
