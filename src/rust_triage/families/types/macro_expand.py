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

from rust_triage.families.types.macro_rules import Pat, ident_names, match_rule, parse_pattern, transcribe
from rust_triage.families.types.macro_tokens import Origin, OriginMap, Tree, Unsupported, lex, render

MAX_DEPTH = 3  # expansions inside expansions
MAX_EXPANSION = 200_000  # characters of one expansion
# characters of expansions one file's scan may read (every call counts, also one whose text was expanded
# before): calls that expand to calls that expand to calls cannot multiply the work without bound
FILE_BUDGET_BASE, FILE_BUDGET_PER_BYTE = 1_000_000, 10
_DEFINITION = re.compile(rb"macro_rules\s*!\s*(?:r#)?([A-Za-z_][A-Za-z0-9_]*)\s*[({\[]")
_WRAPPERS = {"fn": ("fn __rt() {", "}"), "impl": ("impl __Rt {", "}"), "mod": ("mod __rt {", "}")}


@dataclass
class Definition:
    start: int  # byte of `macro_rules!` in the file
    scope: tuple[int, int]  # bytes of the block or module the definition is visible in
    rules: list[tuple[tuple[Pat, ...], tuple[Tree, ...]]] | None  # None: a rule this cannot read
    attributed: bool = False  # has an outer attribute (`#[cfg(..)]`: maybe not the one compiled)


class Expansion:
    """One call's expansion: the parsed text (shared by the calls of the same text) and where its tokens
    come from for this call."""

    def __init__(self, parsed: _Parsed, args_start: int, frame_origin: OriginMap, anchor: int,
                 outer: Expansion | None) -> None:
        self.parsed = parsed
        self.text = parsed.text
        self.body = parsed.body
        self.args_start = args_start  # where the call's arguments start in the text it is written in
        self.frame_origin = frame_origin
        self.anchor = anchor  # the file byte of the (outermost) call: where names of its arguments are looked up
        self.outer = outer  # the expansion the call is written in, if any

    def written_at_call(self, offset: int) -> bool:
        """Whether the token at `offset` of `text` was written in the file at the (outermost) call, not in
        a macro's body: only such names can refer to the call's locals (macro hygiene)."""
        parsed = self.parsed
        i = bisect_right(parsed.starts, offset - parsed.prefix) - 1
        if i < 0 or parsed.origins[i][2] >= 0:
            return False
        written = self.args_start - 1 - parsed.origins[i][2]
        return self.outer is None or self.outer.written_at_call(written)

    def lookup_byte(self, start: int, end: int) -> int:
        """Where the names of the expression at [start, end) of `text` are looked up: at the call when its
        first name was passed in, else nowhere (-1: only items are seen)."""
        parsed = self.parsed
        text, prefix, starts = parsed.text, parsed.prefix, parsed.starts
        i = max(bisect_right(starts, start - prefix) - 1, 0)
        while i < len(starts) and starts[i] + prefix < end:
            c = text[starts[i] + prefix]
            if c == 95 or 65 <= c <= 90 or 97 <= c <= 122:  # the first identifier
                return self.anchor if self.written_at_call(starts[i] + prefix) else -1
            i += 1
        return self.anchor

    def origin_at(self, offset: int) -> Origin | None:
        """Origin of the token at `offset` of `text`."""
        parsed = self.parsed
        i = bisect_right(parsed.starts, offset - parsed.prefix) - 1
        if i < 0:
            return None
        origin = parsed.origins[i]
        if origin[2] < 0:  # passed in: at its place in the call
            written = self.frame_origin(self.args_start - 1 - origin[2])
            if origin[0] > 0 and written is not None:  # an `ident` fragment: reported at its metavariable
                return origin[0], origin[1], written[2]
            return written
        return origin

    def position(self, n: Node) -> tuple[int, int, int]:
        """(line, column) rustc reports for `n`, and where its names are looked up (`lookup_byte`)."""
        line, column, _ = self.origin_at(n.start_byte) or (0, 0, 0)
        return line, column, self.lookup_byte(n.start_byte, n.end_byte)

    def matches(self, run: Callable[[Node, bytes], tuple[list, list | None]]) -> list:
        """The scan query's matches under the body (`run`, which may give the path calls as well), found
        once per parsed text."""
        parsed = self.parsed
        if parsed.matches is None:
            parsed.matches, parsed.found_calls = run(parsed.body, parsed.text)
        return parsed.matches

    def shifted(self, delta: int) -> tuple[Callable[[Node], Origin], Callable[[Node], int]]:
        """`position` and an end column for a tree parsed from part of `text`, its byte b at b + delta."""

        def position(n: Node) -> Origin:
            line, column, _ = self.origin_at(n.start_byte + delta) or (0, 0, 0)
            return line, column, self.lookup_byte(n.start_byte + delta, n.end_byte + delta)

        def end_column(n: Node) -> int:
            return position(n)[1] + n.end_byte - n.start_byte

        return position, end_column

    def end_column(self, n: Node) -> int:
        parsed = self.parsed
        i = bisect_right(parsed.starts, n.end_byte - 1 - parsed.prefix) - 1
        origin = self.origin_at(parsed.starts[i] + parsed.prefix) if i >= 0 else None
        if origin is None:
            return 0
        starts = parsed.starts  # the token's length: up to the next token's start (or the text's end)
        return origin[1] + (starts[i + 1] if i + 1 < len(starts) else parsed.size) - starts[i]


@dataclass
class FileMacros:
    """The `macro_rules!` definitions of one file, read when a call first needs them."""

    source: bytes
    root: Node
    text: str = ""
    line_starts: list[int] = field(default_factory=list)
    definitions: dict[str, list[Definition]] | None = None
    frames: dict[int, Expansion] = field(default_factory=dict)  # id(expansion text) -> the call being scanned
    # (definition, wrapper, call text) -> its parsed expansion, None when it has none
    parsed: dict[tuple[int, str, bytes], _Parsed | None] = field(default_factory=dict)
    spent: int = 0  # characters of expansions read so far (see FILE_BUDGET_BASE)

    def release(self) -> None:
        """Drop the expansions (an expansion refers back to this through its origin map): the file's
        scan leaves no reference cycle behind."""
        self.frames.clear()
        self.parsed.clear()

    def file_origin(self, byte: int) -> Origin:
        if not self.line_starts:
            self.line_starts = [0, *(m.end() for m in re.finditer(rb"\n", self.source))]
        row = bisect_right(self.line_starts, byte) - 1
        return row + 1, byte - self.line_starts[row] + 1, byte

    def definition(self, name: str, at: int) -> Definition | None:
        """The definition of `name` (`r#name` alike) visible at file byte `at`: the last one before it, which
        shadows earlier ones as in rustc; None when one of those has an attribute (a `#[cfg]` may select
        another)."""
        if self.definitions is None:
            self.definitions = self._find_definitions()
        found = [d for d in self.definitions.get(name.removeprefix("r#"), ())
                 if d.start < at and d.scope[0] <= at < d.scope[1]]
        if not found or (len(found) > 1 and any(d.attributed for d in found)):
            return None
        return max(found, key=lambda d: d.start)

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
            before = node.prev_named_sibling
            attributed = before is not None and before.type == "attribute_item"
            out.setdefault(m.group(1).decode(), []).append(
                Definition(m.start(), scope, self._rules(node), attributed))
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


@dataclass
class _Parsed:
    """An expansion parsed once for every call with the same text. Tokens passed in have their offset
    from the call's token tree as origin, negated (`(0, 0, -1 - offset)`), resolved per call; an `ident`
    fragment's has the line and column of its metavariable in the body instead of zeros."""

    text: bytes
    root: Node  # keeps the tree alive
    body: Node
    prefix: int
    starts: list[int]
    origins: list[Origin]
    size: int  # of the rendered tokens (without the wrapper)
    matches: list | None = None  # the scan query's matches under `body`, filled by the scanner
    calls: list | None = None  # the bound uses of its calls (bound_calls.record_bound_calls)
    found_calls: list | None = None  # its path calls, when the scan query gave them


def expand(files: FileMacros, frame_text: bytes, node: Node, name: str, tt: Node, wrapper: str,
           depth: int, parse: Callable[[bytes], Node]) -> Expansion | None:
    """The parsed expansion of the call `node` (`name!` with token tree `tt`) found in `frame_text`,
    the file's text or an expansion's; None when it cannot be expanded with confidence."""
    if depth >= MAX_DEPTH or files.spent > FILE_BUDGET_BASE + FILE_BUDGET_PER_BYTE * len(files.source):
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
    args_text = frame_text[start:tt.end_byte - 1]
    key = (definition.start, wrapper, args_text)
    parsed = files.parsed.get(key, False)
    if parsed is False:
        parsed = files.parsed[key] = _parse_expansion(definition, args_text, wrapper, parse)
    if parsed is None:
        return None
    files.spent += len(parsed.text)
    outer = files.frames.get(id(frame_text))
    anchor = outer.anchor if outer is not None else at[2]
    expansion = Expansion(parsed, start, origin_of, anchor, outer)
    files.frames[id(parsed.text)] = expansion
    return expansion


def _parse_expansion(definition: Definition, args_text: bytes, wrapper: str,
                     parse: Callable[[bytes], Node]) -> _Parsed | None:
    args = lex(args_text.decode("latin-1"), lambda o: (0, 0, -1 - o))
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
    starts = list(origins)  # `render` adds the offsets in increasing order
    return _Parsed(text, root, body, len(prefix) + 1, starts, list(origins.values()), size)


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


def wrapper_for(node: Node, parent: Node | None) -> str | None:
    """How to parse a call's expansion, from where the call is (in `parent`): None for a type or pattern
    position."""
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

