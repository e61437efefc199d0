"""Facts for the debt rules (RT2xx), computed in the parse worker.

The items come from the file's single combined query pass, through the resolver (no walk and no
pattern of its own): for those of the item containers (file, impl/trait/mod bodies) it records each item's leading
attribute/comment block, the shape of short fn bodies, code lines of long fns, test fn facts and the
names each top-level item mentions. Placeholder-looking string literals are found from prefilter
words in the source.
Identifier references are found with a regex over the item's bytes: cheap, and conservative
(a name in a comment or string counts as a reference).
"""

from __future__ import annotations

import re
from collections import Counter

from tree_sitter import Node, Tree

from rust_triage.families.debt.model import DebtFacts, StringLit, TestFnInfo
from rust_triage.families.debt.phrases import STRING_WORDS
from rust_triage.parse.attributes import is_test_fn
from rust_triage.parse.context import ContextResolver
from rust_triage.parse.facts import FileFacts, Item
from rust_triage.parse.items import ITEM_KINDS
from rust_triage.parse.registry import extractor

_IDENT = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_FIELD_READ = re.compile(rb"\.\s*([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*(?:\(|::|!))")
_MACRO_CALL = re.compile(rb"\b([A-Za-z_][A-Za-z0-9_]*)!\s*[(\[{]")
_ASSERT_MACRO = re.compile(rb"assert\w*!|panic!|unreachable!")
_TEST_CHECK = re.compile(rb"\.(?:unwrap|expect|unwrap_err|expect_err|assert\w*)\s*\(")
_QUESTION = re.compile(rb"[\w)\]>]\?(?!\?)")
_HELPER_ASSERT = re.compile(rb"assert\w*!")
_STRING_MAX = 96  # bytes of a literal, quotes included; placeholders are short
_SHORT_BODY = 16  # fn bodies up to this many lines get a shape
_LONG_FN = 20  # fns spanning more lines get a code-line count
_STUB_MACROS = {"todo", "unimplemented", "panic"}
_CONTAINERS = frozenset({"impl_item", "trait_item", "mod_item"})  # items whose body holds items
_COMMENTS = ("line_comment", "block_comment")

# The extractor reads every item node the combined query pass found (`ContextResolver.item_nodes`) and
# keeps those at file level and, recursively, in impl/trait/mod bodies. (A pattern naming the parent,
# `(source_file (function_item))`, would keep a query state alive across the whole file: it costs the
# pass far more than reading each item's parent here.)


class _Walk:
    def __init__(self, source: bytes, facts: FileFacts) -> None:
        self.source = source
        self.facts = facts
        self.out = DebtFacts()
        self.by_pos = {(it.line, it.column): it for it in facts.items}
        self.names = {it.name.encode() for it in facts.items if it.name and it.kind != "impl"}
        self.has_assert = b"assert" in source
        self.calls_by_item: dict[int, list[str]] | None = None
        self.lines: list[bytes] | None = None
        self.comment_only: set[int] = set()
        self.has_cfg_test = any(it.cfg_test for it in facts.items)
        self.field_names: set[bytes] | None = None

    # -- items ----------------------------------------------------------------------------------
    def items(self, nodes: list[Node]) -> None:
        """The items at file level (children of the root, also when the root is an ERROR) and, depth
        first, those in the body of an impl/trait/mod item kept itself; items anywhere else (in a fn
        body, an `extern` block, an ERROR) have no debt facts."""
        kept: set[int] = set()
        by_pos = self.by_pos
        for node in nodes:  # in document order, containers before their items
            parent = node.parent
            if parent is None:
                continue
            kind = parent.type
            if kind == "declaration_list":
                container = parent.parent
                top = False
                if container is None or container.type not in _CONTAINERS:
                    continue
            elif kind == "source_file" or (kind == "ERROR" and parent.parent is None):
                top = True
            else:
                continue
            row, column = node.start_point
            item = by_pos.get((row + 1, column + 1))
            if item is None or (not top and item.parent not in kept):
                continue
            kept.add(item.index)
            lead = _lead(node, row + 1, self.source)
            if lead > 0:
                self.out.lead[item.index] = lead
            self.item(node, item, top)

    def item(self, node: Node, item: Item, top: bool) -> None:
        """Facts of one item."""
        t = node.type
        if top or item.cfg_test:
            self.references(node, item)
        if t == "function_item":
            self.function(node, item)
        elif t == "macro_definition" and self.has_assert:
            if _HELPER_ASSERT.search(self.source, node.start_byte, node.end_byte):
                self.out.asserting.append(item.name)
        elif t == "impl_item" and top:
            self_type = node.child_by_field_name("type")
            if self_type is not None and self_type.type == "generic_type":  # `Arc<File>`: File matters
                self.out.impl_types[item.index] = _squash(self_type.text or b"")[:200]

    # -- per item -----------------------------------------------------------------------------
    def references(self, node: Node, item: Item) -> None:
        text = self.source[node.start_byte: node.end_byte]
        counts = Counter(_IDENT.findall(text))
        found = counts.keys() & self.names
        found.discard(item.name.encode())
        if found:
            self.out.refs[item.index] = {n.decode(): counts[n] for n in sorted(found)}
        if item.cfg_test:
            fields = self._field_names()
            read = {m for m in _FIELD_READ.findall(text)} & fields
            if read:
                self.out.field_refs[item.index] = sorted(n.decode() for n in read)

    def function(self, node: Node, item: Item) -> None:
        span = item.end_line - item.line + 1
        if span > _LONG_FN:
            self.out.fn_code_lines[item.index] = self._code_lines(item.line, item.end_line)
        body = node.child_by_field_name("body")
        if body is not None and item.body_lines <= _SHORT_BODY:
            shape = _body_shape(body)
            if shape is not None:
                self.out.bodies[item.index] = shape
        if item.in_test and is_test_fn(item.attrs):
            self.test_fn(node, item)
        elif self.has_assert and _HELPER_ASSERT.search(self.source, node.start_byte, node.end_byte):
            self.out.asserting.append(item.name)

    def test_fn(self, node: Node, item: Item) -> None:
        text = self.source[node.start_byte: node.end_byte]
        if self.calls_by_item is None:  # the calls of the file's test fns, grouped once
            self.calls_by_item = {it.index: [] for it in self.facts.items if it.in_test and is_test_fn(it.attrs)}
            for call in self.facts.calls:
                found = self.calls_by_item.get(call.item)
                if found is not None:
                    found.append(call.callee.rsplit("::", 1)[-1])
        called = set(self.calls_by_item.get(item.index, []))
        called.update(m.decode() for m in _MACRO_CALL.findall(text))
        self.out.test_fns[item.index] = TestFnInfo(
            asserts=bool(_ASSERT_MACRO.search(text) or _TEST_CHECK.search(text)),
            question=bool(_QUESTION.search(text)),
            returns_result="Result" in item.return_type,
            should_panic=any(a.startswith("should_panic") for a in item.attrs),
            called=sorted(called),
        )

    # -- helpers ------------------------------------------------------------------------------
    def _field_names(self) -> set[bytes]:
        if self.field_names is None:
            self.field_names = {
                f.name.encode() for it in self.facts.items if it.kind in ("struct", "union") and not it.tuple_struct
                for f in it.fields
            }
        return self.field_names

    def _code_lines(self, first: int, last: int) -> int:
        if self.lines is None:
            self.lines = self.source.split(b"\n")
            for c in self.facts.comments:
                if c.line - 1 < len(self.lines) and not self.lines[c.line - 1][: c.column - 1].strip():
                    self.comment_only.add(c.line)
                self.comment_only.update(range(c.line + 1, c.end_line + 1))
        lines, comment_only = self.lines, self.comment_only
        return sum(1 for n in range(first, min(last, len(lines)) + 1) if n not in comment_only and lines[n - 1].strip())


def _lead(node: Node, start: int, source: bytes) -> int:
    """First line of the attribute/comment block right before an item, -1 when none. Only the
    attributes and comments before the item are read, and the node before them: a comment on the line
    the previous node ends on, an inner doc comment (`//!`) or a blank line starts the block anew."""
    run: list[Node] = []
    sib = node.prev_named_sibling
    while sib is not None and (sib.type == "attribute_item" or sib.type in _COMMENTS):
        run.append(sib)
        sib = sib.prev_named_sibling
    if not run:
        return -1
    block, prev_end = -1, _end_line(sib) if sib is not None else -10
    for child in reversed(run):
        first = child.start_point[0] + 1
        inner_doc = child.type != "attribute_item" and source[child.start_byte + 2: child.start_byte + 3] == b"!"
        if first == prev_end or inner_doc:  # trailing comment of the previous node, or `//!`
            block = -1
        elif block < 0 or first > prev_end + 1:
            block = first
        prev_end = _end_line(child)
    return block if block > 0 and start <= prev_end + 1 else -1


def _end_line(node: Node) -> int:
    row, col = node.end_point
    return row if col == 0 and row > node.start_point[0] else row + 1


def _body_shape(body: Node) -> tuple[str, str] | None:
    """("empty", ""), ("expr", text) or ("panic", macro) when the body does nothing else."""
    stmts = [c for c in body.named_children if c.type not in _COMMENTS]
    if not stmts:
        return ("empty", "")
    *lead, last = stmts
    for s in lead:  # `let _ = (a, b);` silences unused parameters in stubs
        if s.type != "let_declaration":
            return None
        pattern = s.child_by_field_name("pattern")
        if pattern is None or not (pattern.text or b"").startswith(b"_"):
            return None
    expr = last
    if expr.type == "expression_statement":
        inner = expr.named_children[0] if expr.named_child_count else None
        if inner is None:
            return None
        expr = inner
        if expr.type == "return_expression":
            expr = expr.named_children[0] if expr.named_child_count else None
            if expr is None:
                return ("expr", "()")
        elif expr.type != "macro_invocation":
            return None
    if expr.type == "macro_invocation":
        name = expr.child_by_field_name("macro")
        macro = (name.text or b"").decode("utf-8", "replace").rsplit("::", 1)[-1] if name is not None else ""
        return ("panic", macro) if macro in _STUB_MACROS else ("expr", _squash(expr.text or b"")) if macro == "vec" else None
    if expr.end_byte - expr.start_byte > 120:
        return None
    return ("expr", _squash(expr.text or b""))


def _squash(raw: bytes) -> str:
    return " ".join(raw.decode("utf-8", "replace").split())


def _strings(root: Node, source: bytes, resolver: ContextResolver) -> list[StringLit]:
    """Literals holding a prefilter word: each occurrence is mapped to its node (most are in comments)."""
    low = source.lower()
    seen: set[int] = set()
    out: list[StringLit] = []
    for word in STRING_WORDS:
        pos = low.find(word)
        while pos >= 0:
            node = _enclosing_string(root.descendant_for_byte_range(pos, pos + len(word)))
            pos = low.find(word, pos + len(word))
            if node is None or node.start_byte in seen:
                continue
            seen.add(node.start_byte)
            lit = _literal(node, source, resolver)
            if lit is not None:
                out.append(lit)
    out.sort(key=lambda s: (s.line, s.column))
    return out


def _enclosing_string(node: Node | None) -> Node | None:
    for _ in range(3):
        if node is None:
            return None
        if node.type in ("string_literal", "raw_string_literal"):
            return node
        if node.type in _COMMENTS or node.type in ITEM_KINDS or node.type == "block":
            return None
        node = node.parent
    return None


def _literal(node: Node, source: bytes, resolver: ContextResolver) -> StringLit | None:
    raw = source[node.start_byte: node.end_byte]
    if node.end_byte - node.start_byte > _STRING_MAX and b"orem ipsum" not in raw.lower():
        return None
    content = raw.decode("utf-8", "replace")
    macro = _string_context(node)
    if macro is None:
        return None
    start = content.find('"')
    body = content[start + 1: content.rfind('"')][:_STRING_MAX]
    return StringLit(node.start_point[0] + 1, node.start_point[1] + 1, node.end_point[1] + 1, body,
                     resolver.item_of(node), macro)


_SEARCH_METHODS = {
    "contains", "starts_with", "ends_with", "find", "rfind", "matches", "replace", "replacen", "split",
    "strip_prefix", "strip_suffix", "eq", "ne", "eq_ignore_ascii_case", "trim_start_matches",
    "trim_end_matches", "split_once", "get", "remove", "contains_key",
}


def _is_attribute_tokens(tt: Node) -> bool:
    prev = tt.prev_sibling
    if prev is not None and prev.type == "!":
        prev = prev.prev_sibling
    return prev is not None and prev.type == "#"


def _string_context(node: Node) -> str | None:
    """The enclosing macro name ("" for none), or None when the literal is compared, matched or searched for."""
    parent = node.parent
    depth = 0
    while parent is not None and depth < 4:
        t = parent.type
        if t in ("attribute_item", "inner_attribute_item", "attribute"):
            return None
        if t == "token_tree" and _is_attribute_tokens(parent):
            return None  # `#[path = "dummy.rs"]` or `#![...]` written inside a macro call
        if t == "binary_expression":
            op = parent.child_by_field_name("operator")
            if op is not None and op.type in ("==", "!="):
                return None
        if t in ("match_pattern", "match_arm", "array_expression", "tuple_pattern", "slice_pattern"):
            return None
        if t == "arguments":
            call = parent.parent
            func = call.child_by_field_name("function") if call is not None else None
            if func is not None and func.type == "field_expression":
                name = func.child_by_field_name("field")
                if name is not None and (name.text or b"").decode() in _SEARCH_METHODS:
                    return None
            return ""
        if t == "macro_invocation":
            name = parent.child_by_field_name("macro")
            return (name.text or b"").decode("utf-8", "replace").rsplit("::", 1)[-1] if name is not None else ""
        if t not in ("token_tree", "string_literal", "raw_string_literal"):
            return ""
        parent = parent.parent
        depth += 1
    return ""


@extractor("debt", version=6, section=DebtFacts)
def extract(tree: Tree, source: bytes, facts: FileFacts, resolver: ContextResolver) -> DebtFacts:
    walk = _Walk(source, facts)
    walk.items(resolver.item_nodes())
    out = walk.out
    out.strings = _strings(tree.root_node, source, resolver)
    if out.test_fns and not walk.has_cfg_test:
        # integration-style test file: what it mentions tells which library items it exercises
        out.test_idents = sorted({m.decode() for m in _IDENT.findall(source)})
    return out
