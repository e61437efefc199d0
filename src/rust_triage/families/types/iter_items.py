"""The item type of a `for` loop over a workspace iterator (for RT312's `for x in ..` bindings).

`for n in g.node_indices().rev()` where `node_indices` returns the workspace struct `NodeIndices<Ix>`
and the workspace has exactly one `impl Iterator for NodeIndices<..>`, whose `type Item =
NodeIndex<Ix>`: `n` is a `NodeIndex`. Adapters that keep the item type (`rev`, `skip`, `filter`..)
are passed through; anything else (a reference to the iterator, several impls, an `Item` that names a
type parameter) is left unknown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rust_triage.families.types.iter_impls import iterator_impl_item

if TYPE_CHECKING:
    from rust_triage.engine.context import SourceFile
    from rust_triage.families.types.facts import Expr
    from rust_triage.families.types.tools import TypeTools
    from rust_triage.graph.resolve import Def

# iterator methods whose result yields the receiver's items (an iterator's `into_iter` is itself)
_SAME_ITEM = frozenset({"filter", "skip", "take", "rev", "inspect", "skip_while", "take_while", "step_by",
                        "peekable", "into_iter", "fuse"})


def iterated_item(tools: TypeTools, src: SourceFile, item: int, it: Expr, byte: int) -> tuple[Def, str] | None:
    """The `impl Iterator` of the workspace type `it` evaluates to (through item-keeping adapters), and
    the text of its `type Item`."""
    while it[0] == "iter" and it[2] in _SAME_ITEM and it[1] is not None:
        it = it[1]
    return iterator_impl_item(tools.resolver, tools.env.type_of(src, item, it, byte))
