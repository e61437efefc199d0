"""Per-site facts for ranking panic findings (RT001-RT006): what is unwrapped, the local `let`s it
comes from, and the checks that dominate it in its function.

No extra query and no tree walk: each panic match of the single query pass is looked up by position
and only its ancestors and the statements before it in the enclosing blocks are read. The facts are
syntax only (texts, cut short); the risk classifier decides what they mean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tree_sitter import Node, Tree

from rust_triage.parse.context import ContextResolver
from rust_triage.parse.facts import FileFacts
from rust_triage.parse.items import text
from rust_triage.parse.registry import extractor

PANIC_RULES = ("RT001", "RT002", "RT003", "RT004", "RT005", "RT006")
_TEXT_LIMIT = 240
_MAX_GUARDS = 10
_MAX_STATEMENTS = 12  # statements looked at before the site in each enclosing block
_MAX_BINDING_DEPTH = 3
_MAX_CHAIN_LINES = 8  # a chain's lines, the site's included
_EXITS = re.compile(r"\b(return|break|continue|panic!|unreachable!|bail!|todo!)|\?")
_ASSERTS = ("assert", "debug_assert", "assert_eq", "assert_ne", "debug_assert_eq", "debug_assert_ne")
_STOP = ("function_item", "impl_item", "trait_item", "mod_item", "source_file")
_LEADING = re.compile(r"^[&*(\s]*(?:mut\s+)?((?:self\.)?[A-Za-z_][A-Za-z0-9_]*)")
_WRITE_TARGET = re.compile(r"^(?:std::|core::)?(?:write|writeln)!\s*[(\[{]\s*&?\s*(?:mut\s+)?([A-Za-z_][\w.]*)")


@dataclass(slots=True)
class PanicSite:
    """One panic match: `recv` is the expression unwrapped (`""` for panic!-style macros)."""

    rule: str
    line: int
    column: int
    method: str = ""  # unwrap, expect, unwrap_err, expect_err; the macro or function name otherwise
    recv: str = ""
    args: str = ""  # the unwrap/expect call's argument text, e.g. `("why")`, `(Token::LeftBracket)`
    in_token_tree: bool = False
    # (kind, text): "then"/"else" (the site sits in that branch of an `if`), "exit" (an earlier
    # `if cond { return/break/continue/panic }`), "assert" (an earlier assert!), "stmt" (an earlier
    # statement that inserts or pushes), "fill" (an earlier statement that passes `&mut local`).
    guards: list[tuple[str, str]] = field(default_factory=list)
    bindings: dict[str, str] = field(default_factory=dict)  # local name -> `let` value text (nearest)
    let_types: dict[str, str] = field(default_factory=dict)  # local name -> written type of its `let`
    # the lines above that a method chain ending at the site is continued from, when the site's line holds
    # only `.` before it: each line stripped (at most 300 characters), joined without breaks (RT510 reads them)
    chain: str = ""


@extractor("panic_sites", version=3, section=list[PanicSite])
def extract(tree: Tree, source: bytes, facts: FileFacts, resolver: ContextResolver) -> list[PanicSite]:
    sites: list[PanicSite] = []
    root = tree.root_node
    lines: list[bytes] | None = None
    for m in facts.matches:
        if m.rule not in PANIC_RULES:
            continue
        node = root.descendant_for_point_range((m.line - 1, m.column - 1), (m.end_line - 1, m.end_column - 1))
        if node is None:
            continue
        site = PanicSite(m.rule, m.line, m.column, text(node)[:40])
        if m.rule in ("RT001", "RT002"):
            _receiver(node, site)
        _dominators(node, site)
        if lines is None:
            lines = source.split(b"\n")  # numbered as `source_lines` numbers them (a `\r` left is stripped below)
        site.chain = chain_above(lines, m.line, m.column)
        sites.append(site)
    return sites


def chain_above(lines: list[bytes], line: int, column: int) -> str:
    """The text of the lines above `line` that its method chain continues from: while the text gathered
    starts with `.` (the site's line up to `column`, then each line above prepended), up to 7 lines."""

    def line_text(at: int) -> str:  # as `SourceFile.line_text`
        return lines[at - 1].decode("utf-8", "replace").strip()[:300] if 0 < at <= len(lines) else ""

    raw = lines[line - 1].decode("utf-8", "replace") if 0 < line <= len(lines) else ""
    before = raw[: max(0, column - 1)].strip()
    chain = ""
    at = line
    while (chain + before).startswith(".") and at > 1 and line - at < _MAX_CHAIN_LINES:
        at -= 1
        chain = line_text(at) + chain
    return chain


def _receiver(node: Node, site: PanicSite) -> None:
    parent = node.parent
    if parent is not None and parent.type == "field_expression":
        value = parent.child_by_field_name("value")
        call = parent.parent
        site.recv = text(value)[:_TEXT_LIMIT] if value is not None else ""
        args = call.child_by_field_name("arguments") if call is not None and call.type == "call_expression" else None
        site.args = text(args)[:80] if args is not None else ""
        return
    if parent is not None and parent.type == "token_tree":
        # `x.unwrap()` inside a macro's token tree: the tokens before `.` back to a separator.
        site.in_token_tree = True
        nxt = node.next_sibling
        site.args = text(nxt)[:80] if nxt is not None else ""
        parts: list[str] = []
        cur = node.prev_sibling  # the "."
        cur = cur.prev_sibling if cur is not None else None
        while cur is not None and cur.type not in (",", ";", "=>", "=") and len(parts) < 40:
            parts.append(text(cur))
            cur = cur.prev_sibling
        site.recv = _join_tokens(reversed(parts))[:_TEXT_LIMIT]


def _join_tokens(tokens: object) -> str:
    out = ""
    for tok in tokens:  # type: ignore[attr-defined]
        if out and out[-1].isalnum() and tok[:1].isalnum():
            out += " "
        out += tok
    return out


def _dominators(node: Node, site: PanicSite) -> None:
    """Checks that dominate the site and `let` bindings before it, innermost scope first."""
    lets: dict[str, tuple[str, str]] = {}
    child = node
    cur = node.parent
    while cur is not None and cur.type not in _STOP:
        t = cur.type
        if t in ("if_expression", "while_expression"):
            cond = cur.child_by_field_name("condition")
            if cond is not None and child is not cond:
                kind = "else" if child.type == "else_clause" else "then"
                _add_guard(site, kind, text(cond))
        elif t == "match_arm":
            pattern = cur.child_by_field_name("pattern")
            scrutinee = _match_value(cur)
            if pattern is not None and child is not pattern:
                _add_guard(site, "then", f"{scrutinee} => {text(pattern)}")
        elif t == "block":
            _earlier_statements(cur, child, site, lets)
        child = cur
        cur = cur.parent
    _bindings(site, lets)  # parameters come from the item facts


def _match_value(arm: Node) -> str:
    """The scrutinee of the `match` an arm belongs to (`match v.len() { 1 => .. }` -> `v.len()`)."""
    block = arm.parent
    match = block.parent if block is not None else None
    value = match.child_by_field_name("value") if match is not None and match.type == "match_expression" else None
    return text(value)[:120] if value is not None else ""


def _earlier_statements(block: Node, child: Node, site: PanicSite, lets: dict[str, tuple[str, str]]) -> None:
    seen = 0
    prev = child.prev_named_sibling
    while prev is not None and seen < _MAX_STATEMENTS:
        seen += 1
        t = prev.type
        if t == "let_declaration":
            pattern = prev.child_by_field_name("pattern")
            value = prev.child_by_field_name("value")
            name = text(pattern).removeprefix("mut ").strip() if pattern is not None else ""
            if name.isidentifier() and name not in lets:
                typ = prev.child_by_field_name("type")
                lets[name] = (text(value)[:_TEXT_LIMIT] if value is not None else "",
                              text(typ)[:80] if typ is not None else "")
            alternative = prev.child_by_field_name("alternative")
            if alternative is not None and value is not None:  # let-else: the pattern is a check
                _add_guard(site, "then", f"{text(pattern)} = {text(value)}")
        elif t == "expression_statement" and prev.named_children:
            inner = prev.named_children[0]
            if inner.type == "if_expression" and inner.child_by_field_name("alternative") is None:
                body = inner.child_by_field_name("consequence")
                cond = inner.child_by_field_name("condition")
                if body is not None and cond is not None and _EXITS.search(text(body)):
                    _add_guard(site, "exit", text(cond))
            elif inner.type == "macro_invocation":
                name = text(inner.child_by_field_name("macro"))
                if name.rsplit("::", 1)[-1] in _ASSERTS:
                    _add_guard(site, "assert", text(inner))
            else:
                body = text(inner)[:_TEXT_LIMIT]
                if ".insert(" in body or ".push(" in body:
                    _add_guard(site, "stmt", body)
                elif "&mut " in body:  # `read_to_string(&mut buf)`: where a local gets its value
                    _add_guard(site, "fill", body)
        elif t == "macro_invocation" and text(prev.child_by_field_name("macro")).rsplit("::", 1)[-1] in _ASSERTS:
            _add_guard(site, "assert", text(prev))
        prev = prev.prev_named_sibling


def _add_guard(site: PanicSite, kind: str, body: str) -> None:
    if len(site.guards) < _MAX_GUARDS:
        site.guards.append((kind, " ".join(body.split())[:_TEXT_LIMIT]))


def leading_name(expr: str) -> str:
    """`self.items.last()` -> `self.items`; `x.lock()` -> `x`; `"80".parse()` -> ``."""
    m = _LEADING.match(expr)
    return m.group(1) if m else ""


def write_target(expr: str) -> str:
    """The destination of `write!(dst, ..)` / `writeln!(dst, ..)`, or ``."""
    m = _WRITE_TARGET.match(expr.strip())
    return m.group(1) if m else ""


def _bindings(site: PanicSite, lets: dict[str, tuple[str, str]]) -> None:
    """Keep the `let`s the receiver (or a `write!` destination) comes from, a few hops deep."""
    wanted = [n for n in (leading_name(site.recv), write_target(site.recv)) if n and not n.startswith("self.")]
    for _ in range(_MAX_BINDING_DEPTH):
        following: list[str] = []
        for name in wanted:
            if name in lets and name not in site.bindings:
                value, typ = lets[name]
                site.bindings[name] = value
                if typ:
                    site.let_types[name] = typ
                nxt = leading_name(value)
                if nxt and nxt != name:
                    following.append(nxt)
        wanted = following
