"""The types scanner's handling of macro calls: calls of the file's own `macro_rules!` macros are expanded and
the expansion scanned (`macro_expand`); arguments of std macros are re-parsed as an array expression and
scanned; other calls are read as text (`macro_args`)."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from tree_sitter import Node, Parser, Tree

from rust_triage.families.types.bound_sites import record_bound_calls
from rust_triage.families.types.facts import TypeFacts
from rust_triage.families.types.macro_args import (
    MacroReader,
    Position,
    macro_kind,
    read_user_macro,
    worth_reading,
)
from rust_triage.families.types.macro_expand import FileMacros, expand, wrapper_for
from rust_triage.families.types.scan_query import own_matches
from rust_triage.families.types.syntax import array_of, text_without_comments
from rust_triage.parse.language import new_parser
from rust_triage.parse.registry import Matches

_PREFIX = b"fn __rt(){["
_TYPE_IDENT = re.compile(rb"\b[A-Z][A-Za-z0-9_]*")
_MAX_REPARSE_DEPTH = 3
HIDDEN = -(1 << 40)  # the byte shift of an expansion's tree: the bindings it declares are seen by no use
# a scanned tree's (position map, fixed context, shift, text)
Frame = tuple[Position, tuple[int, bool] | None, int, bytes]


@lru_cache(maxsize=1)
def _macro_parser() -> Parser:
    """One parser for every re-parsed macro body of the process (a parser keeps no tree between parses)."""
    return new_parser()


def _spaced(node: Node, text: bytes) -> str:
    """A type as written in an expansion, without the spaces between its tokens (`& 'a Foo < T >`
    -> `&'a Foo<T>`), as a written one would be read."""
    out = text[node.start_byte:node.end_byte].decode("utf-8", "replace")
    return re.sub(r"\s*([<>,&:()\[\];])\s*", r"\1", out).replace(",", ", ")


class MacroScanMixin:
    """The scanner's macro handlers; the scanner provides the scan state and `scan`."""

    out: TypeFacts
    frame: Frame
    pos: Position
    fixed: tuple[int, bool] | None
    depth: int
    shift: int
    end_column: Callable[[Node], int]
    macros: FileMacros | None
    reparsed: dict[bytes, tuple[bytes, Node, Matches, Tree] | None]  # re-parsed macro arguments, by text

    def scan(self, matches: Matches, pos: Position, fixed: tuple[int, bool] | None, depth: int, shift: int,
             text: bytes) -> None:
        raise NotImplementedError

    def _context(self, node: Node) -> tuple[int, bool]:
        raise NotImplementedError

    def _text(self, node: Node) -> str:
        raise NotImplementedError

    def _path(self, node: Node) -> str:
        raise NotImplementedError

    # -- macro calls -------------------------------------------------------------------------------
    def _macro(self, node: Node, name_node: Node, tt: Node) -> None:
        parent = written_in = node.parent  # (`Node.parent` walks down from the root: looked up once)
        if parent is not None and parent.type == "expression_statement":
            parent = parent.parent  # `m!(..);` at the top of a file
        text = self.frame[3][tt.start_byte:tt.end_byte]
        if parent is not None and parent.type in ("source_file", "declaration_list"):
            idents = {m.decode() for m in _TYPE_IDENT.findall(text_without_comments(tt, self.frame[3]))}
            self.out.macro_idents.update(idents)
            name = self._path(name_node).rsplit("::", 1)[-1]
            calls = self.out.macro_calls.setdefault(name, [])
            calls.extend(sorted(idents - set(calls)))
            if not self._expand(node, name_node, tt, written_in, name):
                unread = self.out.unread_macro_calls.setdefault(name, [])
                unread.extend(sorted(idents - set(unread)))
                read_user_macro(self, node, name, tt, text, self.depth)
            return
        path = self._path(name_node)
        kind = macro_kind(path)
        if kind is None:
            if not self._expand(node, name_node, tt, written_in):
                read_user_macro(self, node, path.rsplit("::", 1)[-1], tt, text, self.depth)
        elif kind[0] == "log" and self._in_expansion():
            return  # read as text, at offsets of the written call: not the expansion's
        elif self.depth < _MAX_REPARSE_DEPTH and worth_reading(kind, text):
            item, in_macro = self._context(node)
            MacroReader(self, node, tt, kind, item, in_macro).read()

    def _in_expansion(self) -> bool:
        return self.macros is not None and id(self.frame[3]) in self.macros.frames

    def _expand(self, node: Node, name_node: Node, tt: Node, parent: Node | None, item_level: str = "") -> bool:
        """Scan the expansion of a call (`node`, its parent `parent`) of the file's own `macro_rules!` macro
        (see macro_expand); the impls the expansion of an item-level call (of macro `item_level`) writes are
        recorded."""
        if self.macros is None or name_node.type != "identifier" or (wrapper := wrapper_for(node, parent)) is None:
            return False
        expansion = expand(self.macros, self.frame[3], node, self._text(name_node), tt, wrapper, self.depth,
                           lambda text: _macro_parser().parse(text).root_node)
        if expansion is None:
            return False
        context = (self._context(node)[0], False)
        if item_level:
            self._record_impls(item_level, expansion.body, expansion.text, context[0])
        saved = (self.pos, self.fixed, self.depth, self.shift, self.end_column, self.frame)
        self.end_column = expansion.end_column
        self.scan(expansion.matches(own_matches), expansion.position, context, self.depth + 1, HIDDEN,
                  expansion.text)
        self.pos, self.fixed, self.depth, self.shift, self.end_column, self.frame = saved
        self.macros.frames[id(expansion.text)] = expansion  # a nested call of the same text may have replaced it
        record_bound_calls(self, expansion.parsed, expansion.position, context)
        return True

    def _record_impls(self, macro: str, body: Node, text: bytes, item: int) -> None:
        for child in body.named_children:
            if child.type != "impl_item":
                continue
            trait, self_type = child.child_by_field_name("trait"), child.child_by_field_name("type")
            if trait is None or self_type is None:
                continue
            params = child.child_by_field_name("type_parameters")
            self.out.macro_impls.append((macro, _spaced(trait, text), _spaced(self_type, text),
                                         _spaced(params, text) if params is not None else "", item))

    # -- re-parsing macro arguments -----------------------------------------------------------
    def reparse(self, tt: Node, fixed: tuple[int, bool]) -> tuple[Node, Position, bytes] | None:
        """Parse token tree `tt`'s contents as an array expression and scan it.

        Returns the array node, its position map and the re-parsed text, or None when the contents are not plain
        expressions (custom syntax, `?x` fields...).
        """
        body = _PREFIX + self.frame[3][tt.start_byte + 1:tt.end_byte - 1] + b"];}"
        parsed = self._parsed_arguments(body)
        if parsed is None:
            return None
        body, array, matches = parsed
        line, col, byte = self.pos(tt)
        col, byte = col + 1, byte + 1  # past the opening delimiter
        start = len(_PREFIX)  # the body's first byte, on row 0 of the re-parsed text
        expansion = self.macros.frames.get(id(self.frame[3])) if self.macros is not None else None
        if expansion is not None:  # arguments written in an expansion: each token at its origin
            mapped, mapped_end = expansion.shifted(tt.start_byte + 1 - start)
            return self._scan_reparsed(array, matches, mapped, mapped_end, fixed, HIDDEN, body)

        def pos(n: Node) -> tuple[int, int, int]:
            row, c = n.start_point
            if row == 0:
                return line, col + c - start, byte + n.start_byte - start
            return line + row, c + 1, byte + n.start_byte - start

        def end_column(n: Node) -> int:
            row, c = n.end_point
            return col + c - start if row == 0 else c + 1

        return self._scan_reparsed(array, matches, pos, end_column, fixed, byte - start, body)

    def _parsed_arguments(self, body: bytes) -> tuple[bytes, Node, Matches] | None:
        """`body` parsed, its array expression and the scan query's matches under it; None when it is not
        an array of plain expressions. Found once per text in a file: the same arguments are often written
        many times (`assert_eq!(a, b)` in the expansions of one macro's calls)."""
        found = self.reparsed.get(body, False)
        if found is False:
            tree = _macro_parser().parse(body)
            array = array_of(tree.root_node) if not tree.root_node.has_error else None
            # the tree is kept (its nodes refer to it), and the one `body` object: its id is the frame's
            found = self.reparsed[body] = (body, array, own_matches(array, body)[0], tree) if array is not None else None
        return found[:3] if found is not None else None

    def _scan_reparsed(self, array: Node, matches: Matches, pos: Position, end_column: Callable[[Node], int],
                       fixed: tuple[int, bool], shift: int, body: bytes) -> tuple[Node, Position, bytes]:
        saved = (self.pos, self.fixed, self.depth, self.shift, self.end_column, self.frame)
        self.end_column = end_column
        self.scan(matches, pos, fixed, self.depth + 1, shift, body)
        self.pos, self.fixed, self.depth, self.shift, self.end_column, self.frame = saved
        return array, pos, body
