"""Uses inside the arguments of std formatting/assertion macros and `log`/`tracing` macros."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from tree_sitter import Node

from rust_triage.families.types.exprs import encode, node_text, wrapped_value
from rust_triage.families.types.format_strings import (
    chain_expr,
    debug_arguments,
    split_arguments,
    string_literal_value,
)

Position = Callable[[Node], tuple[int, int, int]]  # node -> (line, column, byte) in the file


class _Scanner(Protocol):
    """What a macro reader needs from the extractor's scanner (kept here: no import cycle)."""

    pos: Position

    def reparse(self, tt: Node, fixed: tuple[int, bool]) -> tuple[Node, Position] | None: ...

    def _add_use(self, trait: str, expr: tuple, at: Node, how: str, macro: str = "",
                 eval_node: Node | None = None, pos: Position | None = None,
                 context: tuple[int, bool] | None = None) -> None: ...

    def add_text_use(self, trait: str, expr: tuple, where: tuple[int, int, int], item: int, how: str,
                     macro: str) -> None: ...

# std macro -> index of its format string argument (-1: no format string)
_FORMAT_AT = {
    "format": 0, "print": 0, "println": 0, "eprint": 0, "eprintln": 0, "panic": 0, "format_args": 0,
    "unreachable": 0, "todo": 0, "unimplemented": 0, "write": 1, "writeln": 1, "assert": 1,
    "debug_assert": 1, "assert_eq": 2, "assert_ne": 2, "debug_assert_eq": 2, "debug_assert_ne": 2,
    "vec": -1, "dbg": -1,
}
_COMPARING = frozenset({"assert_eq", "assert_ne", "debug_assert_eq", "debug_assert_ne"})
_UNTYPED_STD_VALUES = frozenset({("call", "Ok"), ("call", "Err"), ("call", "Some"), ("id", "None")})
_STD_PREFIXES = ("", "std", "core", "alloc")
_LOG_MACROS = frozenset({"trace", "debug", "info", "warn", "error", "event"})
_LOG_PREFIXES = ("", "log", "tracing")
# Arguments worth parsing: a `{:?}`-like placeholder, a struct literal, a comparison, a clone, a map
# method, a `default()` or a capitalised call. Most `format!`/`vec!` calls have none of these.
_WORTH_READING = re.compile(
    rb"\?\s*\}|[A-Z]\w*\s*(?:::\s*<[^>]*>\s*)?\{|[=!]=|\.clone\(\)|::default\(\)"
    rb"|\.(?:insert|get|get_mut|contains_key|entry|remove|contains)\s*\("
    rb"|\b(?!(?:Some|Ok|Err)\b)[A-Z]\w*\s*\("
)


def macro_kind(path: str) -> tuple[str, str] | None:
    """("std", name) / ("log", name) for the macros whose arguments are read, else None."""
    prefix, _, name = path.rpartition("::")
    if name in _FORMAT_AT and prefix in _STD_PREFIXES:
        return ("std", name)
    if name in _LOG_MACROS and prefix in _LOG_PREFIXES:
        return ("log", name)
    return None


class MacroReader:
    def __init__(self, scanner: _Scanner, node: Node, tt: Node, kind: tuple[str, str], item: int) -> None:
        self.scanner = scanner
        self.node = node
        self.tt = tt
        self.family, self.name = kind
        self.item = item

    def read(self) -> None:
        if self.family == "std":
            self._read_std()
        else:
            self._read_log()

    # -- std macros: parsed -------------------------------------------------------------------
    def _read_std(self) -> None:
        if self.name not in _COMPARING and self.name != "dbg" and not _WORTH_READING.search(self.tt.text):
            return
        parsed = self.scanner.reparse(self.tt, (self.item, False))
        if parsed is None:
            return
        array, pos = parsed
        args = [c for c in array.named_children if c.type not in ("line_comment", "block_comment")]
        name = self.name
        if name == "dbg":
            for arg in args:
                self._debug_use(arg, pos, "{:?}")
            return
        if name in _COMPARING and len(args) >= 2:
            for arg in args[:2]:
                self._debug_use(arg, pos, "{:?}")
                inner = wrapped_value(arg)
                if inner is not None:  # `Ok(x)`: Debug and PartialEq of the Result need them of x
                    self._debug_use(inner, pos, "{:?}")
                    value = encode(inner)
                    if value is not None:
                        self.scanner._add_use("PartialEq", value, inner, "==", name, pos=pos, context=(self.item, False))
            left = encode(args[0])
            if left is not None:
                self.scanner._add_use("PartialEq", left, args[0], "==", name, pos=pos, context=(self.item, False))
            right = encode(args[1])
            if right is not None and (left is None or left in _UNTYPED_STD_VALUES):
                # `assert_eq!(Ok(3), f())`: only `f()`'s type is known, and `Result<_, E> == Result<_, E>`
                # needs `E: PartialEq` just the same
                self.scanner._add_use("PartialEq", right, args[1], "==", name, pos=pos, context=(self.item, False))
        at = _FORMAT_AT[name]
        if at < 0 or len(args) <= at:
            return
        fmt = args[at]
        if fmt.type not in ("string_literal", "raw_string_literal"):
            return
        literal = string_literal_value(node_text(fmt))
        targets = debug_arguments(*literal) if literal is not None else None
        if not targets:
            return
        rest = args[at + 1:]
        named = {}
        for arg in rest:
            if arg.type == "assignment_expression":
                left = arg.child_by_field_name("left")
                if left is not None and left.type == "identifier":
                    named[node_text(left)] = arg
        for target in targets:
            if isinstance(target, int):
                if target < len(rest):
                    self._debug_use(rest[target], pos, "{:?}")
            elif target in named:
                self._debug_use(named[target], pos, "{:?}")
            else:  # implicit capture: `{name:?}` names a variable in scope
                where = pos(fmt)
                self.scanner.add_text_use("Debug", ("id", target), where, self.item, "{" + target + ":?}", name)

    def _debug_use(self, arg: Node, pos: Position, how: str) -> None:
        if arg.type == "assignment_expression":
            arg = arg.child_by_field_name("right") or arg
        expr = encode(arg)
        if expr is not None:
            self.scanner._add_use("Debug", expr, arg, how, self.name, pos=pos, context=(self.item, False))

    # -- log / tracing macros: read as text ---------------------------------------------------
    def _read_log(self) -> None:
        raw = self.tt.text[1:-1]
        text = raw.decode("utf-8", "replace")
        args = split_arguments(text)
        if args is None:
            return
        fmt_index = next((i for i, (_, a) in enumerate(args) if string_literal_value(a) is not None), -1)
        fields = args if fmt_index < 0 else args[:fmt_index]
        for offset, arg in fields:  # tracing fields: `?x`, `name = ?x`
            value = arg.split("=", 1)[1].strip() if "=" in arg and "==" not in arg else arg
            if value.startswith("?"):
                self._text_use(offset, value[1:], "?", text)
        if fmt_index < 0:
            return
        literal = string_literal_value(args[fmt_index][1])
        targets = debug_arguments(*literal) if literal is not None else None
        if not targets:
            return
        rest = args[fmt_index + 1:]
        named = {a.split("=", 1)[0].strip(): (o, a) for o, a in rest if "=" in a and "==" not in a}
        for target in targets:
            if isinstance(target, int):
                if target < len(rest):
                    off, arg = rest[target]
                    if "=" in arg and "==" not in arg:
                        arg = arg.split("=", 1)[1]
                    self._text_use(off, arg, "{:?}", text)
            elif target in named:
                off, arg = named[target]
                self._text_use(off, arg.split("=", 1)[1], "{:?}", text)
            else:
                self._text_use(args[fmt_index][0], target, "{" + target + ":?}", text)

    def _text_use(self, offset: int, arg: str, how: str, text: str) -> None:
        expr = chain_expr(arg)
        if expr is None:
            return
        line, col, byte = self.scanner.pos(self.tt)
        before = text[:offset].encode()
        newlines = before.count(b"\n")
        if newlines:
            line, col = line + newlines, len(before) - before.rfind(b"\n")
        else:
            col += 1 + len(before)
        self.scanner.add_text_use("Debug", expr, (line, col, byte + 1 + len(before)), self.item, how, self.name)
