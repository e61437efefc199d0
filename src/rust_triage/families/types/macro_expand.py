"""Expansion of calls to the file's own `macro_rules!` macros, so the types scanner reads what they expand to.

A call of a macro defined earlier in the same file (in a scope that holds the call, and defined once
there) is matched against the macro's rules (`macro_rules.py`), transcribed, and parsed again as the
statements of a fn body (a call in an expression), the items of an impl (a call among an impl's items)
or of a module. The scanner then collects from the expansion as from written code: the uses it finds
are at the positions rustc reports, the macro's body for tokens written there and the call's arguments
for tokens passed in. Bindings the expansion declares are visible nowhere (macro hygiene): a use of them
stays untyped. Calls in the expansion are expanded in turn, to `MAX_DEPTH`.

Silent (the call is read as before) when the call does not match any rule, matches one in two ways,
uses an unsupported fragment, or its expansion does not parse.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from tree_sitter import Node

from rust_triage.families.types.macro_rules import (
    Origin,
    OriginMap,
    Pat,
    Tree,
    Unsupported,
    ident_names,
    lex,
    match_rule,
    parse_pattern,
    render,
    transcribe,
)

MAX_DEPTH = 3  # expansions inside expansions
MAX_EXPANSION = 200_000  # characters of one expansion
_DEFINITION = re.compile(rb"macro_rules\s*!\s*([A-Za-z_][A-Za-z0-9_]*)\s*[({\[]")
_WRAPPERS = {"fn": ("fn __rt() {", "}"), "impl": ("impl __Rt {", "}"), "mod": ("mod __rt {", "}")}


@dataclass
class Definition:
    start: int  # byte of `macro_rules!` in the file
    scope: tuple[int, int]  # bytes of the block or module the definition is visible in
    rules: list[tuple[tuple[Pat, ...], tuple[Tree, ...]]] | None  # None: a rule this cannot read


@dataclass
class Expansion:
    """A parsed expansion: the node holding its items or statements, and where its tokens come from."""

    text: bytes
    body: Node
    prefix: int
    starts: list[int]  # token start offsets in the rendered text, sorted
    origins: list[Origin]
    lengths: list[int]
    anchor: int  # the file byte of the (outermost) call: where the names its arguments hold are looked up

    def origin_at(self, offset: int) -> Origin | None:
        """Origin of the token at `offset` of `text`."""
        i = bisect_right(self.starts, offset - self.prefix) - 1
        return self.origins[i] if i >= 0 else None

    def position(self, n: Node) -> tuple[int, int, int]:
        """(line, column) rustc reports for `n`; the byte is the call's, for the lookup of names."""
        line, column, _ = self.origin_at(n.start_byte) or (0, 0, 0)
        return line, column, self.anchor

    def end_column(self, n: Node) -> int:
        i = bisect_right(self.starts, n.end_byte - 1 - self.prefix) - 1
        return self.origins[i][1] + self.lengths[i] if i >= 0 else 0


@dataclass
class FileMacros:
    """The `macro_rules!` definitions of one file, read when a call first needs them."""

    source: bytes
    root: Node
    text: str = ""
    line_starts: list[int] = field(default_factory=list)
    definitions: dict[str, list[Definition]] | None = None
    frames: dict[int, Expansion] = field(default_factory=dict)  # id(expansion text) -> expansion

    def file_origin(self, byte: int) -> Origin:
        if not self.line_starts:
            self.line_starts = [0, *(m.end() for m in re.finditer(rb"\n", self.source))]
        row = bisect_right(self.line_starts, byte) - 1
        return row + 1, byte - self.line_starts[row] + 1, byte

    def definition(self, name: str, at: int) -> Definition | None:
        """The one definition of `name` visible at file byte `at`, if there is exactly one."""
        if self.definitions is None:
            self.definitions = self._find_definitions()
        found = [d for d in self.definitions.get(name, ()) if d.start < at and d.scope[0] <= at < d.scope[1]]
        return found[0] if len(found) == 1 else None

    def _find_definitions(self) -> dict[str, list[Definition]]:
        out: dict[str, list[Definition]] = {}
        for m in _DEFINITION.finditer(self.source):
            node = self.root.descendant_for_byte_range(m.start(), m.start() + 1)
            while node is not None and node.type != "macro_definition" and node.start_byte == m.start():
                node = node.parent
            if node is None or node.type != "macro_definition" or node.start_byte != m.start():
                continue  # in a comment, a string or a macro's token tree
            parent = node.parent
            scope = (parent.start_byte, parent.end_byte) if parent is not None else (0, len(self.source))
            out.setdefault(m.group(1).decode(), []).append(Definition(m.start(), scope, self._rules(node)))
        return out

    def _rules(self, node: Node) -> list[tuple[tuple[Pat, ...], tuple[Tree, ...]]] | None:
        rules = []
        for rule in node.named_children:
            if rule.type != "macro_rule":
                continue
            left, right = rule.child_by_field_name("left"), rule.child_by_field_name("right")
            if left is None or right is None:
                return None
            lhs, rhs = self._inner_trees(left), self._inner_trees(right)
            if lhs is None or rhs is None:
                return None
            try:
                rules.append((parse_pattern(lhs), tuple(rhs)))
            except Unsupported:
                return None
        return rules or None

    def _inner_trees(self, group: Node) -> list[Tree] | None:
        """The token trees inside `group`'s delimiters, with their places in the file."""
        start = group.start_byte + 1
        text = self.source[start:group.end_byte - 1].decode("latin-1")
        return lex(text, lambda offset: self.file_origin(start + offset))


def expand(files: FileMacros, frame_text: bytes, node: Node, name: str, tt: Node, wrapper: str,
           depth: int, parse: Callable[[bytes], Node]) -> Expansion | None:
    """The parsed expansion of the call `node` (`name!` with token tree `tt`) found in `frame_text`,
    the file's text or an expansion's; None when it cannot be expanded with confidence."""
    if depth >= MAX_DEPTH:
        return None
    origin_of = _origin_map(files, frame_text)
    if origin_of is None:
        return None
    at = origin_of(node.start_byte)
    if at is None:
        return None
    definition = files.definition(name, at[2])
    if definition is None or definition.rules is None:
        return None
    start = tt.start_byte + 1
    args = lex(frame_text[start:tt.end_byte - 1].decode("latin-1"), lambda o: origin_of(start + o))
    if args is None:
        return None
    trees = _expansion_trees(definition, tuple(args))
    if trees is None:
        return None
    origins: dict[int, Origin] = {}
    rendered = render(trees, origins)
    size = len(rendered)
    if size > MAX_EXPANSION:
        return None
    prefix, suffix = _WRAPPERS[wrapper]
    text = (prefix + " " + rendered + " " + suffix).encode("latin-1")
    root = parse(text)
    if root.has_error or not root.named_children:
        return None
    body = root.named_children[0].child_by_field_name("body")
    if body is None:
        return None
    starts = sorted(origins)
    lengths = [b - a for a, b in zip(starts, [*starts[1:], size], strict=True)]
    outer = files.frames.get(id(frame_text))
    anchor = outer.anchor if outer is not None else at[2]
    expansion = Expansion(text, body, len(prefix) + 1, starts, [origins[s] for s in starts], lengths, anchor)
    files.frames[id(text)] = expansion
    return expansion


def _expansion_trees(definition: Definition, args: tuple[Tree, ...]) -> list[Tree] | None:
    try:
        for pattern, body in definition.rules or ():
            binds = match_rule(pattern, args)
            if binds is not None:
                return transcribe(body, binds, ident_names(pattern))
    except (Unsupported, RecursionError):
        return None
    return None


def _origin_map(files: FileMacros, frame_text: bytes) -> OriginMap | None:
    if frame_text is files.source:
        return files.file_origin
    expansion = files.frames.get(id(frame_text))
    if expansion is None or expansion.text is not frame_text:
        return None  # the re-parsed arguments of a std macro: not followed
    return expansion.origin_at


def wrapper_for(node: Node) -> str | None:
    """How to parse a call's expansion, from where the call is: None for a type or pattern position."""
    parent = node.parent
    if parent is not None and parent.type == "expression_statement":
        parent = parent.parent
        if parent is not None and parent.type == "source_file":
            return "mod"
    if parent is None or parent.type == "source_file":
        return "mod"
    if parent.type == "declaration_list":
        owner = parent.parent
        return "impl" if owner is not None and owner.type in ("impl_item", "trait_item") else "mod"
    if "type" in parent.type or "pattern" in parent.type or parent.child_by_field_name("type") == node:
        return None
    return "fn"

