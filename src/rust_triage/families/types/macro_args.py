"""Uses inside the arguments of std formatting/assertion macros and `log`/`tracing` macros."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from tree_sitter import Node

from rust_triage.families.types.exprs import compared, encode, node_text, wrapped_value
from rust_triage.families.types.facts import TypeFacts
from rust_triage.families.types.format_strings import (
    chain_expr,
    debug_arguments,
    split_arguments,
    string_literal_value,
)

MAX_REPARSE_DEPTH = 3  # macro calls inside macro arguments inside macro arguments...
Position = Callable[[Node], tuple[int, int, int]]  # node -> (line, column, byte) in the file


class _Scanner(Protocol):
    """What a macro reader needs from the extractor's scanner (kept here: no import cycle)."""

    pos: Position

    def reparse(self, tt: Node, fixed: tuple[int, bool]) -> tuple[Node, Position, bytes] | None: ...

    def _add_use(self, trait: str, expr: tuple, at: Node, how: str, macro: str = "",
                 eval_node: Node | None = None, pos: Position | None = None,
                 context: tuple[int, bool] | None = None) -> None: ...

    def add_text_use(self, trait: str, expr: tuple, where: tuple[int, int, int], item: int, how: str,
                     macro: str) -> None: ...

    def _context(self, node: Node) -> tuple[int, bool]: ...

    def _src(self) -> bytes: ...

    @property
    def out(self) -> TypeFacts: ...

# std macro -> index of its format string argument (-1: no format string)
_FORMAT_AT = {
    "format": 0, "print": 0, "println": 0, "eprint": 0, "eprintln": 0, "panic": 0, "format_args": 0,
    "unreachable": 0, "todo": 0, "unimplemented": 0, "write": 1, "writeln": 1, "assert": 1,
    "debug_assert": 1, "assert_eq": 2, "assert_ne": 2, "debug_assert_eq": 2, "debug_assert_ne": 2,
    "vec": -1, "dbg": -1,
}
_COMPARING = frozenset({"assert_eq", "assert_ne", "debug_assert_eq", "debug_assert_ne"})
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


# fragments whose tokens the expansion uses as type-checked code (never as a pattern or raw tokens)
_CODE_FRAGMENTS = frozenset({"expr", "ident", "literal", "ty", "lifetime", "stmt", "block", "path", "vis"})
# std macros whose arguments are all expressions (a metavariable passed on to them is still code)
_EXPRESSION_MACROS = frozenset(_FORMAT_AT) | {"debug_assert_eq", "debug_assert_ne"}
_METAVAR = re.compile(rb"\$([A-Za-z_][A-Za-z0-9_]*)")
_INVOKED = re.compile(rb"(?<![$\w])([A-Za-z_][A-Za-z0-9_]*)\s*!\s*[({\[]")
# a user macro's arguments are worth parsing when they hold a capitalised call or a struct literal
_USER_WORTH_READING = re.compile(rb"\b[A-Z]\w*\s*(?:::\s*<[^>]*>\s*)?[({]")


def macro_passes(definition: Node) -> tuple[bool, list[str]]:
    """(True when every rule of a `macro_rules!` binds only code fragments and uses each of them in its
    expansion, the macros its expansions invoke). The arguments of a call to such a macro, read as
    expressions, are type-checked as written (when the macros it invokes pass them on as well)."""
    passes = True
    invoked: set[str] = set()
    for rule in definition.named_children:
        if rule.type != "macro_rule":
            continue
        left, right = rule.child_by_field_name("left"), rule.child_by_field_name("right")
        if left is None or right is None:
            return False, []
        body = right.text or b""
        stack = [left]
        while stack:
            n = stack.pop()
            if n.type == "token_binding_pattern":
                name, kind = n.child_by_field_name("name"), n.child_by_field_name("type")
                if kind is None or node_text(kind) not in _CODE_FRAGMENTS or name is None or \
                        (name.text or b"")[1:] not in _METAVAR.findall(body):
                    passes = False
            stack.extend(n.named_children)
        invoked.update(m.decode() for m in _INVOKED.findall(body))
    return passes, sorted(invoked - _EXPRESSION_MACROS)


def read_user_macro(scanner: _Scanner, node: Node, name: str, tt: Node, tt_text: bytes, depth: int) -> None:
    """Read the arguments of a call to a macro that is not std's as expressions, when they parse as
    such; what they hold is marked `in_macro` with the macro's name (checked only when the workspace
    defines the macro and it passes its arguments on as code, see `macro_passes`). `tt_text` is `tt`'s text."""
    if depth >= MAX_REPARSE_DEPTH or not _USER_WORTH_READING.search(tt_text):
        return
    out = scanner.out
    first_literal, first_call = len(out.literals), len(out.tuple_calls)
    if scanner.reparse(tt, (scanner._context(node)[0], True)) is None:
        return
    for lit in out.literals[first_literal:]:
        lit.macro = f"{name}/{lit.macro}" if lit.macro else name
    for call in out.tuple_calls[first_call:]:
        call.macro = f"{name}/{call.macro}" if call.macro else name


def worth_reading(kind: tuple[str, str], tt_text: bytes) -> bool:
    """Whether a std macro's arguments may hold what `MacroReader` records (tested on the text before
    parsing: most `format!`/`vec!` calls hold none of it). Log macros are always read, as text."""
    family, name = kind
    return family != "std" or name in _COMPARING or name == "dbg" or _WORTH_READING.search(tt_text) is not None


def macro_kind(path: str) -> tuple[str, str] | None:
    """("std", name) / ("log", name) for the macros whose arguments are read, else None."""
    prefix, _, name = path.rpartition("::")
    if name in _FORMAT_AT and prefix in _STD_PREFIXES:
        return ("std", name)
    if name in _LOG_MACROS and prefix in _LOG_PREFIXES:
        return ("log", name)
    return None


class MacroReader:
    def __init__(self, scanner: _Scanner, node: Node, tt: Node, kind: tuple[str, str], item: int,
                 in_macro: bool = False) -> None:
        self.scanner = scanner
        self.in_macro = in_macro  # the call sits in the arguments of a user macro
        self.node = node
        self.tt = tt
        self.family, self.name = kind
        self.item = item

    def read(self) -> None:
        if self.family == "std":
            self._read_std()
        elif not self.in_macro:  # text uses carry no in-macro mark
            self._read_log()

    # -- std macros: parsed -------------------------------------------------------------------
    def _read_std(self) -> None:
        parsed = self.scanner.reparse(self.tt, (self.item, self.in_macro))
        if parsed is None:
            return
        array, pos, src = parsed
        args = [c for c in array.named_children if c.type not in ("line_comment", "block_comment")]
        name = self.name
        if name == "dbg":
            for arg in args:
                self._debug_use(arg, pos, "{:?}", src)
            return
        if name in _COMPARING and len(args) >= 2:
            for arg in args[:2]:
                self._debug_use(arg, pos, "{:?}", src)
                inner = wrapped_value(arg, src)
                if inner is not None:  # `Ok(x)`: Debug and PartialEq of the Result need them of x
                    self._debug_use(inner, pos, "{:?}", src)
                    value = encode(inner, src)
                    if value is not None:
                        self.scanner._add_use("PartialEq", value, inner, "==", name, pos=pos,
                                              context=(self.item, self.in_macro))
            # typed from the left side, else from the right one (`assert_eq!(Ok(3), f())`: only `f()`'s
            # type is known, and `Result<_, E> == Result<_, E>` needs `E: PartialEq` just the same)
            pair = compared(encode(args[0], src), encode(args[1], src))
            if pair is not None:
                self.scanner._add_use("PartialEq", pair, args[0], "==", name, pos=pos,
                                      context=(self.item, self.in_macro))
        at = _FORMAT_AT[name]
        if at < 0 or len(args) <= at:
            return
        fmt = args[at]
        if fmt.type not in ("string_literal", "raw_string_literal"):
            return
        literal = string_literal_value(node_text(fmt, src))
        targets = debug_arguments(*literal) if literal is not None else None
        if not targets:
            return
        rest = args[at + 1:]
        named = {}
        for arg in rest:
            if arg.type == "assignment_expression":
                left = arg.child_by_field_name("left")
                if left is not None and left.type == "identifier":
                    named[node_text(left, src)] = arg
        for target in targets:
            if isinstance(target, int):
                if target < len(rest):
                    self._debug_use(rest[target], pos, "{:?}", src)
            elif target in named:
                self._debug_use(named[target], pos, "{:?}", src)
            elif not self.in_macro:  # implicit capture: `{name:?}` names a variable in scope
                where = pos(fmt)
                self.scanner.add_text_use("Debug", ("id", target), where, self.item, "{" + target + ":?}", name)

    def _debug_use(self, arg: Node, pos: Position, how: str, src: bytes) -> None:
        """`src`: the re-parsed text `arg` is in."""
        if arg.type == "assignment_expression":
            arg = arg.child_by_field_name("right") or arg
        expr = encode(arg, src)
        if expr is not None:
            self.scanner._add_use("Debug", expr, arg, how, self.name, pos=pos,
                                              context=(self.item, self.in_macro))

    # -- log / tracing macros: read as text ---------------------------------------------------
    def _read_log(self) -> None:
        raw = self.scanner._src()[self.tt.start_byte + 1:self.tt.end_byte - 1]
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
