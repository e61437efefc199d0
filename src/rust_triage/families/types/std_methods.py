"""Result types of a few std methods and operators, for the local type environment (`types.env`).

Only std types that are not shadowed by a workspace type of the same name count, and only methods a
workspace trait does not also define for that std type (a trait method of `Vec` would win over the
slice's inherent one).
"""

from __future__ import annotations

from rust_triage.families.types.typeref import Shape

# sequence method -> result type around the element type `T`
_SEQUENCE_METHODS = {
    "first": "Option<&{}>", "last": "Option<&{}>", "get": "Option<&{}>",
    "first_mut": "Option<&mut {}>", "last_mut": "Option<&mut {}>", "get_mut": "Option<&mut {}>",
    "split_at": "(&[{0}], &[{0}])", "split_at_mut": "(&mut [{0}], &mut [{0}])",
}
_VEC_METHODS = {"pop": "Option<{}>", "remove": "{}", "swap_remove": "{}"}
_DEQUE_METHODS = {"pop_front": "Option<{}>", "pop_back": "Option<{}>", "front": "Option<&{}>", "back": "Option<&{}>"}
_MAP_METHODS = {"get": "Option<&{}>", "get_mut": "Option<&mut {}>", "remove": "Option<{}>"}
_SEQUENCES = frozenset({"Vec", "VecDeque"})
_MAPS = frozenset({"HashMap", "BTreeMap"})
# iterator methods giving `Option<Item>`
ITEM_METHODS = frozenset({"next", "last", "nth", "max", "min", "find", "next_back"})
STD_METHOD_NAMES = frozenset({*_SEQUENCE_METHODS, *_VEC_METHODS, *_DEQUE_METHODS, *_MAP_METHODS, "clone",
                              "to_owned", "collect", "parse"})
# methods returning (a clone of) the receiver's type, for the traits the checks ask about
SAME_TYPE_METHODS = frozenset({"clone", "to_owned"})


def strip_refs(shape: Shape) -> Shape:
    while shape.kind == "ref":
        shape = shape.args[0]
    return shape


def method_result(shape: Shape, method: str) -> str | None:
    """The result type text of std `method` on a value of type `shape` (references see through),
    or None when it is not one we know. `shape` must be a std type (the caller checks)."""
    shape = strip_refs(shape)
    if shape.kind in ("slice", "array"):
        form = _SEQUENCE_METHODS.get(method)
        return form.format(shape.args[0].text()) if form else None
    if shape.kind != "path" or not shape.args:
        return None
    name = shape.name
    if name in _SEQUENCES and len(shape.args) == 1:
        element = shape.args[0].text()
        form = _SEQUENCE_METHODS.get(method) or (_VEC_METHODS if name == "Vec" else _DEQUE_METHODS).get(method)
        return form.format(element) if form else None
    if name in _MAPS and len(shape.args) == 2:
        form = _MAP_METHODS.get(method)
        return form.format(shape.args[1].text()) if form else None
    return None


def index_result(shape: Shape) -> str | None:
    """The type of `v[i]` (not a range) for a std sequence, slice, array or map `v`."""
    shape = strip_refs(shape)
    if shape.kind in ("slice", "array"):
        return shape.args[0].text()
    if shape.kind == "path" and shape.name in _SEQUENCES and len(shape.args) == 1:
        return shape.args[0].text()
    if shape.kind == "path" and shape.name in _MAPS and len(shape.args) == 2:
        return shape.args[1].text()
    return None


def tuple_field(shape: Shape, name: str) -> str | None:
    """The type of `t.0` for a tuple `t`."""
    shape = strip_refs(shape)
    if shape.kind != "tuple" or not name.isdigit() or int(name) >= len(shape.args):
        return None
    return shape.args[int(name)].text()
