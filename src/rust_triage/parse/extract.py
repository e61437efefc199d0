"""Turn one Rust source file into FileFacts: one tree-sitter parse, one combined query pass."""

from __future__ import annotations

from typing import Any, cast

import msgspec
import tree_sitter
from tree_sitter import Node

from rust_triage.parse.attributes import allowed_lints, inner_attributes, is_cfg_test
from rust_triage.parse.attributes import path_attr as path_attr_of
from rust_triage.parse.context import ContextResolver, _is_offloaded
from rust_triage.parse.facts import Call, Comment, FileFacts, Item, Match
from rust_triage.parse.items import make_item, mod_decl, text, use_decls
from rust_triage.parse.language import new_parser
from rust_triage.parse.macro_mods import UNREAD, macro_item_cfg, macro_mod_decl
from rust_triage.parse.queries import CompiledQueries, QuerySpec, compile_queries
from rust_triage.parse.query_run import run_query
from rust_triage.parse.registry import ExtractorFn, Matches, QueryExtractorFn, all_extractors

_CAPTURE_TEXT_LIMIT = 200


def extract_file(source: bytes, specs: tuple[QuerySpec, ...] = ()) -> FileFacts:
    tree = new_parser().parse(source)
    return extract_tree(tree, source, compile_queries(specs))


_running: list[CompiledQueries] = []  # the combined query of the file being extracted


def running_queries() -> CompiledQueries | None:
    """The combined query of the file being extracted: an extractor that parses a fragment again (a
    macro's arguments) runs it there too, instead of compiling its own patterns once more."""
    return _running[0] if _running else None


def extract_tree(tree: tree_sitter.Tree, source: bytes, compiled: CompiledQueries) -> FileFacts:
    _running[:] = [compiled]
    root = tree.root_node
    facts = FileFacts()
    lines = source.split(b"\n")
    facts.line_count = len(lines) - (1 if lines and lines[-1] == b"" else 0)
    inner = inner_attributes(root)
    facts.inner_lints = allowed_lints(inner)
    facts.inner_cfg_test = is_cfg_test(inner)
    facts.inner_features = [
        name.strip() for a in inner if a.startswith("feature") for name in a[a.find("(") + 1 : a.rfind(")")].split(",")
    ]
    extractor_matches: dict[str, Matches] = {}
    item_nodes: list[Node] = []
    by_range = _single_pass(root, source, facts, compiled, lines, extractor_matches, item_nodes)
    _count_code_lines(lines, facts)
    extractors = all_extractors()
    if extractors:
        resolver = ContextResolver(by_range, {it.index for it in facts.items if it.is_async}, item_nodes)
        for ext in extractors:
            if ext.query:
                matches = extractor_matches.get(ext.name, [])
                facts.extra[ext.name] = cast(QueryExtractorFn, ext.fn)(tree, source, facts, resolver, matches)
            else:
                facts.extra[ext.name] = cast(ExtractorFn, ext.fn)(tree, source, facts, resolver)
    return facts


class _Scope(msgspec.Struct, frozen=True):
    """An open scope of the sweep, with what holds inside it (so no lookup walks the whole stack)."""

    end: int  # end byte
    item: Item | None  # the item this scope is (None: an async block or an offloaded closure)
    inner_item: int  # innermost enclosing item index, -1 if none
    async_ctx: bool | None  # None: not decided yet (no fn, async block or offloaded closure around)
    cfg_test: bool  # this item or an enclosing one is #[cfg(test)]
    in_macro_def: bool  # inside a macro_rules! body


def _context(stack: list[_Scope]) -> tuple[int, bool]:
    """(innermost item index, async context) from the open scopes."""
    if not stack:
        return -1, False
    top = stack[-1]
    return top.inner_item, bool(top.async_ctx)


def _push_item(stack: list[_Scope], item: Item, end: int) -> None:
    outer = stack[-1] if stack else None
    async_ctx = item.is_async if item.kind == "fn" else (outer.async_ctx if outer else None)
    stack.append(_Scope(end, item, item.index, async_ctx, item.cfg_test or (outer is not None and outer.cfg_test),
                        item.kind == "macro" or (outer is not None and outer.in_macro_def)))


def _push_async(stack: list[_Scope], is_async: bool, end: int) -> None:
    """An async block (True) or a closure run off the async task (False): decides the async context."""
    outer = stack[-1] if stack else None
    stack.append(_Scope(end, None, outer.inner_item if outer else -1, is_async,
                        outer is not None and outer.cfg_test, outer is not None and outer.in_macro_def))


def _mod_parents(stack: list[_Scope]) -> tuple[tuple[str, str | None], ...]:
    """Enclosing inline modules, outermost first: (name, #[path] value)."""
    return tuple((s.item.name, path_attr_of(s.item.attrs)) for s in stack if s.item is not None and s.item.kind == "mod")


# What a match of the combined query is, told apart once per pattern by its captures (each core pattern
# always has the same captures): dispatching on an int instead of testing capture names per match.
_RULE, _ITEM, _USE, _ASYNC, _CLOSURE, _CALL, _VALUE_REF, _TT_CALL, _INCLUDE, _TT_MOD, _COMMENT, _ERROR, _NONE = range(13)
_CORE_KINDS = (("item", _ITEM), ("use", _USE), ("scope.async", _ASYNC), ("scope.closure", _CLOSURE), ("call", _CALL),
               ("value.ref", _VALUE_REF), ("tt.callee", _TT_CALL), ("include.path", _INCLUDE),
               ("tt.modname", _TT_MOD), ("comment", _COMMENT), ("syntax.error", _ERROR))


def _core_kind(caps: dict[str, list[Node]]) -> tuple[int, str | None]:
    """(kind, name of the capture a match is placed by, None: found per match) of a core pattern."""
    kind = next((k for name, k in _CORE_KINDS if name in caps), _NONE)
    if "match" in caps:
        return kind, None
    if kind in (_ITEM, _CALL):
        return kind, "item" if kind == _ITEM else "call"
    return kind, (next(iter(caps)) if len(caps) == 1 else None)


def _single_pass(root: Node, source: bytes, facts: FileFacts, compiled: CompiledQueries, lines: list[bytes],
                 extractor_matches: dict[str, Matches], item_nodes: list[Node]) -> dict[tuple[int, int], int]:
    """Run the combined query once; sweep its matches in document order with a scope stack.
    Matches of extractors' patterns go to `extractor_matches`, in the order the query found them; each
    item's node goes to `item_nodes`, at its index."""
    pattern_rule = compiled.pattern_rule
    merged = compiled.merged
    sinks: list[tuple[Matches, int] | None] = [
        None if owner is None else (extractor_matches.setdefault(owner[0], []), owner[1])
        for owner in compiled.pattern_extractor
    ]
    kinds: dict[int, tuple[int, str | None]] = {}
    events: list[tuple[int, int, int, int, Any]] = []
    for seq, (pattern_index, caps) in enumerate(run_query(compiled.query, root)):
        sink = sinks[pattern_index]
        if sink is not None:
            sink[0].append((sink[1], caps))
            continue
        found = kinds.get(pattern_index)
        if found is None:
            is_rule = pattern_rule[pattern_index] is not None or pattern_index in merged
            found = kinds[pattern_index] = (_RULE, None) if is_rule else _core_kind(caps)
        kind, anchor_name = found
        if anchor_name is not None:
            anchor = caps[anchor_name][0]
        else:
            anchor = (caps.get("match") or caps.get("item") or caps.get("call") or next(iter(caps.values())))[0]
        # (start, -end, seq) is unique per event, so a plain sort never compares the payloads
        events.append((anchor.start_byte, -anchor.end_byte, seq, kind, (pattern_index, caps)))
    events.sort()
    by_range: dict[tuple[int, int], int] = {}
    stack: list[_Scope] = []
    seen: set[tuple[str, int]] = set()
    refs_seen: set[tuple[str, int]] = set()
    snippets: dict[int, str] = {}
    for start, _neg_end, _seq, kind, (pattern_index, caps) in events:
        while stack and stack[-1].end <= start:
            stack.pop()
        if kind == _CALL:
            _add_call(caps["call.fn"][0], source, facts, stack)
        elif kind == _VALUE_REF:
            node = caps["value.ref"][0]
            ref = (source[node.start_byte:node.end_byte].decode("utf-8", "replace").replace(" ", ""),
                   stack[-1].inner_item if stack else -1)
            if ref not in refs_seen:
                refs_seen.add(ref)
                facts.value_refs.append(ref)
        elif kind == _COMMENT:
            _add_comment(caps["comment"][0], facts, stack)
        elif kind == _RULE:
            rule = pattern_rule[pattern_index]
            if rule is None:  # a pattern standing for several rules: the capture's text tells which
                group = merged[pattern_index]
                node = caps[group.capture][0]
                rule = group.rules[source[node.start_byte:node.end_byte]]
            _add_match(rule, caps, facts, stack, source, lines, seen, snippets)
        elif kind == _ITEM:
            node = caps["item"][0]
            item_idx, _ = _context(stack)
            parent = facts.items[item_idx] if item_idx >= 0 else None
            item = make_item(node, len(facts.items), parent)
            if facts.inner_cfg_test:
                item.in_test = True
            facts.items.append(item)
            item_nodes.append(node)
            by_range[(node.start_byte, node.end_byte)] = item.index
            if item.kind == "mod":
                in_test = item.cfg_test or (bool(stack) and stack[-1].cfg_test)
                facts.mods.append(mod_decl(node, item, in_test, lambda: _mod_parents(stack)))
            elif item.kind == "macro" and not (stack and stack[-1].in_macro_def):
                cfg = macro_item_cfg(node)  # two definitions of one name: unread unless they agree
                facts.macro_item_cfgs[item.name] = cfg if facts.macro_item_cfgs.get(item.name, cfg) == cfg else UNREAD
            _push_item(stack, item, node.end_byte)
        elif kind == _USE:
            facts.uses.extend(use_decls(caps["use"][0], _context(stack)[0]))
        elif kind == _ASYNC:
            node = caps["scope.async"][0]
            _push_async(stack, True, node.end_byte)
        elif kind == _CLOSURE:
            node = caps["scope.closure"][0]
            if _is_offloaded(node):
                _push_async(stack, False, node.end_byte)
        elif kind == _TT_CALL:
            _add_macro_call(caps["tt.callee"][0], caps["tt.args"][0], facts, stack)
        elif kind == _INCLUDE:
            facts.includes.append(text(caps["include.path"][0]))
        elif kind == _TT_MOD:
            _add_macro_mod(caps["tt.modname"][0], facts, stack)
        elif kind == _ERROR:
            node = caps["syntax.error"][0]
            if node.type == "ERROR" and (node.text or b"").strip() == b"!":
                continue  # a macro named like a primitive type (`str!`) that the grammar cannot read
            facts.syntax_errors.append(
                (node.start_point[0] + 1, node.start_point[1] + 1, node.end_point[0] + 1, node.end_point[1] + 1)
            )
    return by_range


def _add_match(rule: str, caps: dict[str, list[Node]], facts: FileFacts, stack: list[_Scope],
               source: bytes, lines: list[bytes], seen: set[tuple[str, int]], snippets: dict[int, str]) -> None:
    node = (caps.get("match") or next(iter(caps.values())))[0]
    key = (rule, node.start_byte)
    if key in seen:
        return
    seen.add(key)
    item, async_ctx = _context(stack)
    parent = node.parent
    in_macro = parent is not None and parent.type in ("token_tree", "macro_invocation")
    line = node.start_point[0]
    facts.matches.append(
        Match(
            rule=rule,
            line=line + 1,
            column=node.start_point[1] + 1,
            end_line=node.end_point[0] + 1,
            end_column=node.end_point[1] + 1,
            snippet=_snippet(lines, line, snippets),
            item=item,
            in_test=(item >= 0 and facts.items[item].in_test) or facts.inner_cfg_test,
            async_ctx=async_ctx,
            in_macro=in_macro,
            captures={name: _capture_text(source, nodes[0]) for name, nodes in caps.items() if name != "match"},
        )
    )


def _capture_text(source: bytes, node: Node) -> str:
    """The first `_CAPTURE_TEXT_LIMIT` characters of a node, without decoding the rest of it."""
    start = node.start_byte
    end = min(node.end_byte, start + 4 * _CAPTURE_TEXT_LIMIT)  # a character is at most 4 bytes
    return source[start:end].decode("utf-8", "replace")[:_CAPTURE_TEXT_LIMIT]


_SNIPPET_CHARS = 300


def _snippet(lines: list[bytes], line: int, cache: dict[int, str]) -> str:
    """The stripped text of a line, at most 300 characters; each line is decoded once and only as far
    as needed (a minified file is one line holding every match)."""
    if line >= len(lines):
        return ""
    found = cache.get(line)
    if found is None:
        raw = lines[line]
        lead = len(raw) - len(raw.lstrip())
        limit = lead + 4 * (_SNIPPET_CHARS + 1)
        found = raw[lead:limit].decode("utf-8", "replace").lstrip()
        if limit >= len(raw):
            found = found.rstrip()
        elif len(found) <= _SNIPPET_CHARS:  # unusual whitespace or a cut character: decode it all
            found = raw.decode("utf-8", "replace").strip()
        found = cache[line] = found[:_SNIPPET_CHARS]
    return found


def _add_macro_mod(name: Node, facts: FileFacts, stack: list[_Scope]) -> None:
    """`mod x;` inside a macro call such as `cfg_if! { ... }`: a real declaration once expanded."""
    if stack and stack[-1].in_macro_def:
        return  # inside a macro_rules! body: expanded elsewhere, path unknown
    facts.mods.append(macro_mod_decl(name, bool(stack) and stack[-1].cfg_test, _mod_parents(stack)))


def _add_comment(node: Node, facts: FileFacts, stack: list[_Scope]) -> None:
    body = text(node).rstrip("\r\n")
    end_line = node.end_point[0] + 1
    if node.end_point[1] == 0 and end_line > node.start_point[0] + 1:
        end_line -= 1  # line comments include their newline
    facts.comments.append(
        Comment(
            line=node.start_point[0] + 1,
            column=node.start_point[1] + 1,
            end_line=end_line,
            text=body,
            doc=body.startswith(("///", "//!", "/**", "/*!")) and not body.startswith(("////", "/***")),
            item=_context(stack)[0],
        )
    )


def _add_call(func: Node, source: bytes, facts: FileFacts, stack: list[_Scope]) -> None:
    method = False
    if func.type == "generic_function":
        func = func.child_by_field_name("function") or func
    receiver = ""
    kind = func.type
    if kind == "field_expression":
        field = func.child_by_field_name("field")
        callee = source[field.start_byte:field.end_byte].decode("utf-8", "replace") if field is not None else ""
        method = True
        value = func.child_by_field_name("value")
        if value is not None and value.end_byte - value.start_byte <= 40:
            receiver = source[value.start_byte:value.end_byte].decode("utf-8", "replace")
    elif kind in ("identifier", "scoped_identifier", "self"):
        callee = source[func.start_byte:func.end_byte].decode("utf-8", "replace").replace(" ", "")
    else:
        return  # closures called in place, indexing results...
    item, async_ctx = _context(stack)
    line, column = func.start_point
    facts.calls.append(Call(callee, method, line + 1, column + 1, item, async_ctx, False, receiver))


def _add_macro_call(ident: Node, args: Node, facts: FileFacts, stack: list[_Scope]) -> None:
    """`f(..)`, `a::f(..)` or `x.f(..)` inside a macro's unparsed token tree."""
    if not (args.text or b"").startswith(b"("):
        return
    prev = ident.prev_sibling
    method = prev is not None and prev.type == "."
    parts = [text(ident)]
    while prev is not None and prev.type == "::":
        seg = prev.prev_sibling
        if seg is None or seg.type not in ("identifier", "self", "crate", "super"):
            break
        parts.append(text(seg))
        prev = seg.prev_sibling
    if prev is not None and prev.type == "!":
        return
    receiver = ""
    if method and prev is not None:
        before = prev.prev_sibling
        if before is not None and before.type in ("identifier", "self"):
            receiver = text(before)
    item, async_ctx = _context(stack)
    facts.calls.append(
        Call(
            "::".join(reversed(parts)) if not method else parts[0],
            method,
            ident.start_point[0] + 1,
            ident.start_point[1] + 1,
            item,
            async_ctx,
            True,
            receiver,
        )
    )


def _count_code_lines(lines: list[bytes], facts: FileFacts) -> None:
    """Lines with code: not blank and not wholly inside comments; test-item code counted apart.

    Per line flags are bytes of 0 or 1, so the counts are bitwise ANDs of whole rows (one big int each)
    and a bit count, not a loop over the lines."""
    n = len(lines)
    comment_only = bytearray(n + 2)
    indent: dict[int, int] = {}  # line -> bytes of leading whitespace (computed once per line)
    for c in facts.comments:
        if c.line - 1 < n:
            lead = indent.get(c.line)
            if lead is None:
                raw = lines[c.line - 1]
                lead = indent[c.line] = len(raw) - len(raw.lstrip())
            first = c.column - 1 > lead
        else:
            first = False
        if not first:
            comment_only[c.line] = 1
        last = min(c.end_line, n)
        if last > c.line:
            comment_only[c.line + 1 : last + 1] = b"\x01" * (last - c.line)
    in_test = bytearray(n + 2)
    for it in facts.items:
        if it.in_test and (it.parent < 0 or not facts.items[it.parent].in_test):
            in_test[it.line : min(it.end_line, n) + 1] = b"\x01" * (min(it.end_line, n) + 1 - it.line)
    written = bytes(map(bool, map(bytes.strip, lines)))  # 1: the line is not blank
    code = int.from_bytes(written, "big") & int.from_bytes(comment_only[1 : n + 1].translate(_NOT), "big")
    facts.code_lines = code.bit_count()
    facts.test_code_lines = (code & int.from_bytes(in_test[1 : n + 1], "big")).bit_count()


_NOT = bytes([1, 0]) + bytes(254)  # a 0/1 flag inverted
