"""The type of a name a `match`/`if let` pattern binds, from its `("pat", scrutinee, path, field, mode)`
initialiser (see pattern_bindings): the field's declared type when the path names a workspace struct or
variant, the `Option`/`Result` argument for `Some`/`Ok`/`Err` when the scrutinee's type is known.

A binding is a reference when the pattern says `ref`, or when the scrutinee is one (default binding
mode). When the scrutinee cannot be typed the name is typed as a reference to the field's type: the
checks of Debug, `==`, trait method calls... read through references, and the checks of moves treat an
uncertain reference as no reference at all (`by_pattern_value`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Protocol

from rust_triage.families.types.typeref import Shape, generic_param_names

if TYPE_CHECKING:
    from rust_triage.engine.context import SourceFile
    from rust_triage.families.types.facts import Binding, Expr
    from rust_triage.families.types.resolve_types import TypeResolver
    from rust_triage.graph.resolve import Def


class _Typed(Protocol):
    @property
    def shape(self) -> Shape: ...
    @property
    def src(self) -> SourceFile: ...
    @property
    def item(self) -> int: ...


class LocalEnv(Protocol):
    """What this module needs of `env.LocalEnv` (which imports it)."""

    resolver: TypeResolver

    def type_of(self, src: SourceFile, item: int, expr: Expr | None, byte: int, depth: int = 0) -> _Typed | None: ...

    def binding(self, src: SourceFile, item: int, name: str, byte: int) -> Binding | None: ...

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# pattern path -> (std type, index of the type argument it binds)
_STD_VARIANTS = {"Some": ("Option", 0), "Option::Some": ("Option", 0), "Ok": ("Result", 0),
                 "Result::Ok": ("Result", 0), "Err": ("Result", 1), "Result::Err": ("Result", 1)}
_STD_PATHS = {"Option": ("Option", "std::option::Option", "core::option::Option", "option::Option"),
              "Result": ("Result", "std::result::Result", "core::result::Result", "result::Result")}

Found = tuple[str, "SourceFile", int]  # type text, with the file and item where its names resolve


def pattern_type(env: LocalEnv, src: SourceFile, item: int, expr: Expr, byte: int, depth: int) -> Found | None:
    _, value, path, field, mode = expr
    found = env.resolver.resolve_variant(src, item, path)
    if found is not None:
        declared = _field_type(env, found[0], found[1], field)
        if declared is None:
            return None
        by_ref = mode == "ref" or _reference(env, src, item, value, byte, depth) is not False
        return ("&" if by_ref else "") + declared[0], declared[1], declared[2]
    if path == "()":  # a tuple pattern: the element's type, a reference when the tuple is behind one
        return _tuple_element(env, src, item, value, field, mode, byte, depth)
    std = _STD_VARIANTS.get(path)
    if std is None or field != "0" or value[0] == "?":
        return None
    typed = env.type_of(src, item, value, byte, depth + 1)
    if typed is None:
        return None
    shape, at, index = env.resolver.expand_alias(typed.shape, typed.src, typed.item)
    by_ref = mode == "ref"
    while shape.kind == "ref":
        shape, by_ref = shape.args[0], True
    name, position = std
    if shape.kind != "path" or shape.path not in _STD_PATHS[name] or len(shape.args) <= position or \
            env.resolver.index.resolve(at, index, shape.path):
        return None
    return ("&" if by_ref else "") + shape.args[position].text(), at, index


def _reference(env: LocalEnv, src: SourceFile, item: int, value: Expr, byte: int, depth: int) -> bool | None:
    """Whether the scrutinee is a reference; None when it cannot be typed."""
    if value[0] == "?":
        return None
    typed = env.type_of(src, item, value, byte, depth + 1)
    return None if typed is None else typed.shape.kind == "ref"


def _field_type(env: LocalEnv, owner: Def, variant: str | None, field: str) -> Found | None:
    """The declared type of `field` ("0", "1"... or a name) of the struct `owner` or its `variant`."""
    item = owner.item
    text = None
    if variant is None:
        if item.kind == "struct":
            text = next((f.type for f in item.fields if f.name == field and not f.cfg_gated), None)
    elif field.isdigit():
        facts = owner.file.facts.extra.get("types")
        types = facts.tuple_variants.get(item.index, {}).get(variant, []) if facts is not None else []
        text = types[int(field)][0] if int(field) < len(types) else None
    else:
        text = next((f.type for f in item.variants.get(variant, []) if f.name == field and not f.cfg_gated), None)
    if text is None:
        return None
    params = generic_param_names(item.generics) & set(_WORD.findall(text)) if item.generics else set()
    if any(env.resolver.resolve(owner.file, item.index, p) is not None for p in params):
        return None  # a type parameter named like a workspace type: the names would resolve wrongly
    return text, owner.file, item.index


def by_pattern_value(env: LocalEnv, src: SourceFile, item: int, expr: Expr, byte: int) -> bool:
    """True when the place `expr` starts from a name a pattern binds without `ref` from a scrutinee whose
    type is not known: it may be a value as well as a reference."""
    while expr[0] in ("field", "deref"):
        expr = expr[1]
    if expr[0] != "id":
        return False
    b = env.binding(src, item, expr[1], byte)
    init = b.init if b is not None else None
    return init is not None and init[0] == "pat" and init[4] != "ref" and \
        _reference(env, src, item, init[1], b.visible_from - 1 if b is not None else byte, 0) is None


def _tuple_element(env: LocalEnv, src: SourceFile, item: int, value: Expr, field: str, mode: str, byte: int,
                   depth: int) -> Found | None:
    typed = env.type_of(src, item, value, byte, depth + 1) if value[0] != "?" else None
    if typed is None or not field.isdigit():
        return None
    shape, by_ref = typed.shape, mode == "ref"
    while shape.kind == "ref":
        shape, by_ref = shape.args[0], True
    if shape.kind != "tuple" or int(field) >= len(shape.args):
        return None
    return ("&" if by_ref else "") + shape.args[int(field)].text(), typed.src, typed.item
