"""Source positions of selected libcst node types, computed in one lean code-generation pass.

libcst's PositionProvider records a range for every node of the tree, which costs several times the
parse itself. The rules need positions of a few node types only (defs, calls, handlers, imports,
simple statements), so this pass replays code generation, tracks line and column, and records
ranges for those types alone. Ranges are syntactic (libcst's `record_syntactic_position`): they
start at `def`/`class`/`except`, not at decorators or leading comments.
"""

from __future__ import annotations

import re
from typing import Any

import libcst as cst
from libcst._nodes.internal import CodegenState

Span = tuple[int, int, int, int]  # start line (1-based), start column (0-based), end line, end column

_NEWLINE = re.compile(r"\r\n?|\n")


class _Ignore:
    __slots__ = ()

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


_IGNORE = _Ignore()


class _Record:
    __slots__ = ("state", "node", "start")

    def __init__(self, state: _LeanState, node: cst.CSTNode) -> None:
        self.state = state
        self.node = node
        self.start = (0, 0)

    def __enter__(self) -> None:
        self.start = (self.state.line, self.state.column)

    def __exit__(self, *exc: object) -> None:
        s = self.state
        s.spans[self.node] = (self.start[0], self.start[1], s.line, s.column)


class _LeanState(CodegenState):
    def __init__(self, module: cst.Module, wanted: frozenset[type]) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.line = 1
        self.column = 0
        self.wanted = wanted
        self.spans: dict[cst.CSTNode, Span] = {}

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.column += len(token)

    def add_token(self, value: str) -> None:
        if "\n" in value or "\r" in value:
            segments = _NEWLINE.split(value)
            self.line += len(segments) - 1
            self.column = len(segments[-1])
        else:
            self.column += len(value)

    def pop_trailing_newline(self) -> None:
        pass  # no tokens are kept

    def record_syntactic_position(self, node: cst.CSTNode, *, start_node: Any = None, end_node: Any = None) -> Any:
        return _Record(self, node) if type(node) in self.wanted else _IGNORE


def node_spans(module: cst.Module, wanted: frozenset[type]) -> dict[cst.CSTNode, Span]:
    """Syntactic ranges of every node of a `wanted` type in `module`."""
    state = _LeanState(module, wanted)
    module._codegen(state)
    return state.spans
