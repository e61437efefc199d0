"""Keys of a map or set local made by `HashMap::new()` (no written type): the key type is the first
argument of a later `m.insert(k, v)` / `m.entry(k)`, and must be `Hash + Eq` (hashed) or `Ord` (B-tree).
The use is `("keyed", map, key)`; anything but a plain local with such an initialiser stays silent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rust_triage.families.types.facts import TraitUse
from rust_triage.families.types.typeref import Shape

if TYPE_CHECKING:
    from rust_triage.engine.context import SourceFile
    from rust_triage.families.types.tools import TypeTools
    from rust_triage.families.types.traits import Lack

_CONSTRUCTORS = frozenset({"new", "with_capacity", "default"})
_HASHED = frozenset({"HashMap", "HashSet"})
_ORDERED = frozenset({"BTreeMap", "BTreeSet"})
_PREFIXES = ("", "std::collections::", "collections::", "::std::collections::")
# methods whose first argument is the key by value
KEYING_METHODS = frozenset({"insert", "entry"})


def key_lacks(tools: TypeTools, src: SourceFile, use: TraitUse) -> tuple[list[Lack], Shape] | None:
    """(what the key's type lacks, its shape) for a `("keyed", map, key)` use; None when unsure."""
    _, map_expr, key_expr = use.expr
    if map_expr[0] != "id":
        return None
    binding = tools.env.binding(src, use.item, map_expr[1], use.byte)
    if binding is None or binding.type_text or binding.init is None or binding.init[0] != "call":
        return None
    path = binding.init[1]
    type_path, _, constructor = path.rpartition("::")
    name = type_path.rsplit("::", 1)[-1]
    if constructor not in _CONSTRUCTORS or type_path[: len(type_path) - len(name)] not in _PREFIXES:
        return None
    if name in _HASHED:
        traits: tuple[str, ...] = ("Hash", "Eq")
    elif name in _ORDERED:
        traits = ("Ord",)
    else:
        return None
    if tools.resolver.resolve(src, use.item, type_path) is not None:
        return None  # a workspace type of that name
    typed = tools.env.type_of(src, use.item, key_expr, use.byte)
    if typed is None:
        return None
    key = typed.shape
    while key.kind == "ref":
        key = key.args[0]
    if key.kind != "path":
        return None  # tuples and wrappers: keep to the clear cases
    lacks: list[Lack] = []
    for trait in traits:
        lacks.extend(tools.traits.lacking(key, trait, typed.src, typed.item))
    return lacks, key
