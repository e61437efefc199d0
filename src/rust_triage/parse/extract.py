"""Turn one Rust source file into FileFacts: one tree-sitter parse, one combined query pass."""

from __future__ import annotations

import tree_sitter
from tree_sitter import Node

from rust_triage.parse.attributes import allowed_lints, inner_attributes, is_cfg_test
from rust_triage.parse.context import ContextResolver
from rust_triage.parse.facts import Call, Comment, FileFacts, Item, Match
from rust_triage.parse.items import ITEM_KINDS, make_item, mod_decl, text, use_decls
from rust_triage.parse.language import new_parser, rust_language
from rust_triage.parse.queries import CompiledQueries, QuerySpec, compile_queries
from rust_triage.parse.registry import all_extractors

_ITEM_QUERY_SRC = "[" + " ".join(f"({t})" for t in ITEM_KINDS) + "] @item (use_declaration) @use"
_CAPTURE_TEXT_LIMIT = 200


def _item_query() -> tree_sitter.Query:
    global _ITEM_QUERY
    try:
        return _ITEM_QUERY
    except NameError:
        _ITEM_QUERY = tree_sitter.Query(rust_language(), _ITEM_QUERY_SRC)
        return _ITEM_QUERY


def extract_file(source: bytes, specs: tuple[QuerySpec, ...] = ()) -> FileFacts:
    tree = new_parser().parse(source)
    return extract_tree(tree, source, compile_queries(specs))


def extract_tree(tree: tree_sitter.Tree, source: bytes, compiled: CompiledQueries) -> FileFacts:
    root = tree.root_node
    facts = FileFacts()
    lines = source.split(b"\n")
    facts.line_count = len(lines) - (1 if lines and lines[-1] == b"" else 0)
    inner = inner_attributes(root)
    facts.inner_lints = allowed_lints(inner)
    facts.inner_cfg_test = is_cfg_test(inner)
    resolver = _collect_items(root, facts)
    _collect_matches(root, facts, compiled, resolver, lines)
    _count_code_lines(lines, facts)
    for ext in all_extractors():
        facts.extra[ext.name] = ext.fn(tree, source, facts, resolver)
    return facts


def _collect_items(root: Node, facts: FileFacts) -> ContextResolver:
    captures = tree_sitter.QueryCursor(_item_query()).captures(root)
    nodes = [(n, "item") for n in captures.get("item", [])] + [(n, "use") for n in captures.get("use", [])]
    nodes.sort(key=lambda pair: (pair[0].start_byte, -pair[0].end_byte))
    by_range: dict[tuple[int, int], int] = {}
    stack: list[tuple[int, Item]] = []  # (end_byte, item)
    for node, kind in nodes:
        while stack and stack[-1][0] <= node.start_byte:
            stack.pop()
        parent = stack[-1][1] if stack else None
        if kind == "use":
            facts.uses.extend(use_decls(node, parent.index if parent else -1))
            continue
        item = make_item(node, len(facts.items), parent)
        if facts.inner_cfg_test:
            item.in_test = True
        facts.items.append(item)
        by_range[(node.start_byte, node.end_byte)] = item.index
        if item.kind == "mod":
            facts.mods.append(mod_decl(node, item, [s[1] for s in stack]))
        stack.append((node.end_byte, item))
    async_items = {it.index for it in facts.items if it.is_async}
    return ContextResolver(by_range, async_items)


def _collect_matches(
    root: Node, facts: FileFacts, compiled: CompiledQueries, resolver: ContextResolver, lines: list[bytes]
) -> None:
    cursor = tree_sitter.QueryCursor(compiled.query)
    pattern_rule = compiled.pattern_rule
    seen: set[tuple[str, int]] = set()
    for pattern_index, caps in cursor.matches(root):
        rule = pattern_rule[pattern_index]
        if rule is None:
            _core_capture(caps, facts, resolver)
            continue
        node = (caps.get("match") or next(iter(caps.values())))[0]
        key = (rule, node.start_byte)
        if key in seen:
            continue
        seen.add(key)
        ctx = resolver.context(node)
        item_in_test = ctx.item >= 0 and facts.items[ctx.item].in_test
        line = node.start_point[0]
        facts.matches.append(
            Match(
                rule=rule,
                line=line + 1,
                column=node.start_point[1] + 1,
                end_line=node.end_point[0] + 1,
                end_column=node.end_point[1] + 1,
                snippet=lines[line].decode("utf-8", "replace").strip()[:300] if line < len(lines) else "",
                item=ctx.item,
                in_test=item_in_test or facts.inner_cfg_test,
                async_ctx=ctx.async_ctx,
                in_macro=ctx.in_macro,
                captures={
                    name: text(nodes[0])[:_CAPTURE_TEXT_LIMIT] for name, nodes in caps.items() if name != "match"
                },
            )
        )


def _core_capture(caps: dict[str, list[Node]], facts: FileFacts, resolver: ContextResolver) -> None:
    if "call" in caps:
        _add_call(caps["call.fn"][0], facts, resolver)
    elif "tt.callee" in caps:
        _add_macro_call(caps["tt.callee"][0], caps["tt.args"][0], facts, resolver)
    elif "comment" in caps:
        node = caps["comment"][0]
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
                item=resolver.item_of(node),
            )
        )
    elif "syntax.error" in caps:
        node = caps["syntax.error"][0]
        facts.syntax_errors.append(
            (node.start_point[0] + 1, node.start_point[1] + 1, node.end_point[0] + 1, node.end_point[1] + 1)
        )


def _add_call(func: Node, facts: FileFacts, resolver: ContextResolver) -> None:
    method = False
    if func.type == "generic_function":
        func = func.child_by_field_name("function") or func
    receiver = ""
    if func.type == "field_expression":
        callee = text(func.child_by_field_name("field"))
        method = True
        value = func.child_by_field_name("value")
        if value is not None and value.end_byte - value.start_byte <= 40:
            receiver = text(value)
    elif func.type in ("identifier", "scoped_identifier", "self"):
        callee = text(func).replace(" ", "")
    else:
        return  # closures called in place, indexing results...
    ctx = resolver.context(func)
    facts.calls.append(
        Call(callee, method, func.start_point[0] + 1, func.start_point[1] + 1, ctx.item, ctx.async_ctx,
             ctx.in_macro, receiver)
    )


def _add_macro_call(ident: Node, args: Node, facts: FileFacts, resolver: ContextResolver) -> None:
    """`f(..)`, `a::f(..)` or `x.f(..)` inside a macro's unparsed token tree."""
    if not args.text.startswith(b"("):
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
    ctx = resolver.context(ident)
    facts.calls.append(
        Call(
            "::".join(reversed(parts)) if not method else parts[0],
            method,
            ident.start_point[0] + 1,
            ident.start_point[1] + 1,
            ctx.item,
            ctx.async_ctx,
            True,
            receiver,
        )
    )


def _count_code_lines(lines: list[bytes], facts: FileFacts) -> None:
    """Lines with code: not blank and not wholly inside comments."""
    comment_only: set[int] = set()
    for c in facts.comments:
        first = lines[c.line - 1][: c.column - 1].strip() if c.line - 1 < len(lines) else b""
        if not first:
            comment_only.add(c.line)
        comment_only.update(range(c.line + 1, c.end_line))
        if c.end_line > c.line:
            comment_only.add(c.end_line)  # a trailing `*/` line; code after it is rare
    test_ranges = [(it.line, it.end_line) for it in facts.items if it.in_test and (it.parent < 0 or not facts.items[it.parent].in_test)]
    code = test = 0
    for number, raw in enumerate(lines, start=1):
        if not raw.strip() or number in comment_only:
            continue
        code += 1
        if any(a <= number <= b for a, b in test_ranges):
            test += 1
    facts.code_lines = code
    facts.test_code_lines = test
