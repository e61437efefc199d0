"""Where an expansion calls a workspace fn: each argument and turbofish type of each path call, recorded as a
`Bound` use that `bound_calls` checks against the callee's derivable bounds at rule time."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import tree_sitter
from tree_sitter import Node

from rust_triage.families.types.exprs import encode
from rust_triage.families.types.macro_args import Position
from rust_triage.families.types.scan_query import Calls
from rust_triage.parse.language import rust_language
from rust_triage.parse.query_run import run_query

if TYPE_CHECKING:
    from rust_triage.families.types.macro_expand import _Parsed

BOUND = "Bound"


def record_bound_calls(scanner: _Adder, parsed: _Parsed, pos: Position, context: tuple[int, bool]) -> None:
    """Each argument and turbofish type of each path call in an expansion, as a `Bound` use."""
    if parsed.calls is None:
        calls = parsed.found_calls if parsed.found_calls is not None else _path_calls(parsed.body)
        parsed.calls = _bound_sites(calls, parsed.text)
    for expr, at, how in parsed.calls:
        scanner._add_use(BOUND, expr, at, how, pos=pos, context=context)


_STD_ROOTS = ("std::", "core::", "alloc::", "::")
_LITERALS = frozenset({"integer_literal", "float_literal", "string_literal", "raw_string_literal", "char_literal",
                       "boolean_literal", "line_comment", "block_comment"})


_CALLS = """(call_expression function: [(identifier) (scoped_identifier) (generic_function)] @f
                            arguments: (arguments) @a)"""


@lru_cache(maxsize=1)
def _calls_query() -> tree_sitter.Query:
    return tree_sitter.Query(rust_language(), _CALLS)


def _path_calls(root: Node) -> Calls:
    """The path calls under `root` when the scan query did not give them (see scan_query.own_matches)."""
    return [(caps["f"][0], caps["a"][0]) for _, caps in run_query(_calls_query(), root)]


def _bound_sites(calls: Calls, src: bytes) -> list[tuple[tuple, Node, str]]:
    out: list[tuple[tuple, Node, str]] = []
    for func, args in calls:
        types: list[Node] = []
        if func.type == "generic_function":
            targs = func.child_by_field_name("type_arguments")
            func = func.child_by_field_name("function")
            types = [t for t in targs.named_children if t.type not in ("lifetime", "line_comment", "block_comment")] \
                if targs is not None else []
            if func is None or func.type not in ("identifier", "scoped_identifier"):
                continue
        callee = "".join(src[func.start_byte:func.end_byte].decode("latin-1").split())
        if (callee[:1].isupper() and "::" not in callee) or callee.startswith(_STD_ROOTS):
            continue  # a tuple struct or variant; std
        for i, t in enumerate(types):
            text = src[t.start_byte:t.end_byte].decode("latin-1")
            if text != "_":
                out.append((("type", text), t, f"{callee}#t{i}:{len(types)}"))
        if types:
            continue  # rustc reports a bound of an explicit type at the type only, not at the arguments
        for i, arg in enumerate(a for a in args.named_children if a.type not in ("line_comment", "block_comment")):
            if arg.type not in _LITERALS and (expr := encode(arg, src)) is not None:
                out.append((expr, arg, f"{callee}#a{i}"))
    return out


class _Adder:
    def _add_use(self, trait: str, expr: tuple, at: Node, how: str, macro: str = "",
                 eval_node: Node | None = None, pos: Position | None = None,
                 context: tuple[int, bool] | None = None) -> None: ...
