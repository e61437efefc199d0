"""A light local type environment: the type of simple expressions at a site, or None.

Knows fn parameters with their types, `let x: T`, `let x = T { .. }` / `T::new(..)` / `T::default()`
/ `f(..)` / `x.method(..)` (through the callee's written return type), `?`/`.unwrap()`, `self`,
`self.field` and `x.field` (through the struct's field types). No inference beyond that.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING

from rust_triage.families.types.env_paths import PathTyping, Typed
from rust_triage.families.types.facts import Binding, Expr, TypeFacts
from rust_triage.families.types.iter_impls import iterator_items
from rust_triage.families.types.literal_types import literal_part, literal_type
from rust_triage.families.types.method_pick import inherent_first
from rust_triage.families.types.pattern_types import pattern_type
from rust_triage.families.types.resolve_types import TypeResolver
from rust_triage.families.types.std_iters import iterator_item, std_named
from rust_triage.families.types.std_methods import (
    ITEM_METHODS,
    SAME_TYPE_METHODS,
    STD_METHOD_NAMES,
    index_result,
    method_result,
    strip_refs,
    tuple_field,
)
from rust_triage.families.types.typeref import generic_param_names
from rust_triage.graph.resolve import Def

if TYPE_CHECKING:
    from rust_triage.engine.context import SourceFile

_MAX_DEPTH = 16
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DEREF_THROUGH = frozenset({"Box", "Rc", "Arc"})
_SEQUENCES = frozenset({"Vec", "VecDeque", "HashSet", "BTreeSet", "BinaryHeap", "LinkedList", "Option"})
_SAME_ITEM = frozenset({"filter", "skip", "take", "rev", "inspect", "skip_while", "take_while", "step_by",
                        "peekable", "chain"})
STD_RESULT_OPTION = frozenset({"Result", "Option", "std::result::Result", "std::option::Option", "core::result::Result",
                               "core::option::Option", "result::Result", "option::Option"})
_STD_VARIANT_VALUES = frozenset({("call", "Ok"), ("call", "Err"), ("call", "Some"), ("id", "None")})
_BORROWING_CLOSURES = frozenset({"filter", "find", "skip_while", "take_while", "inspect", "partition"})


class LocalEnv(PathTyping):
    def __init__(self, resolver: TypeResolver) -> None:
        self.resolver = resolver
        self._by_name: dict[str, dict[str, tuple[list[int], list[Binding]]]] = {}
        self._foreign_methods: frozenset[str] | None = None
        self._compared_with: frozenset[str] | None = None  # names in the X of `impl PartialEq<X>`s

    def _bindings(self, src: SourceFile, name: str) -> tuple[list[int], list[Binding]]:
        per_file = self._by_name.get(src.rel)
        if per_file is None:
            per_file = {}
            facts: TypeFacts | None = src.facts.extra.get("types")
            for b in facts.bindings if facts is not None else []:
                entry = per_file.setdefault(b.name, ([], []))
                entry[0].append(b.visible_from)
                entry[1].append(b)
            self._by_name[src.rel] = per_file
        return per_file.get(name, ([], []))

    def binding(self, src: SourceFile, item: int, name: str, byte: int) -> Binding | None:
        """The innermost binding of `name` visible at `byte` in item `item`."""
        starts, bindings = self._bindings(src, name)
        i = bisect_right(starts, byte)
        while i > 0:
            i -= 1
            b = bindings[i]
            if b.scope_end > byte and b.item == item:
                return b
        return None

    def type_of(self, src: SourceFile, item: int, expr: Expr | None, byte: int, depth: int = 0) -> Typed | None:
        if expr is None or depth > _MAX_DEPTH:
            return None
        kind = expr[0]
        if kind == "id":
            b = self.binding(src, item, expr[1], byte)
            if b is None:  # a const or static, or a unit variant a glob import brings in (`use E::*;`)
                return self._constant(src, item, expr[1]) or self.type_of(src, item, ("path", expr[1]), byte, depth + 1)
            if b.type_text:
                return Typed(b.type_text, src, item)
            return self.type_of(src, item, b.init, b.visible_from - 1, depth + 1)
        if kind == "self":  # `&Self`, or `Self` in a method taking `self` by value
            if not self.resolver.self_site(src, item):
                return None
            facts: TypeFacts | None = src.facts.extra.get("types")
            return Typed("Self" if facts is not None and item in facts.by_value_self else "&Self", src, item)
        if kind == "ref":
            inner = self.type_of(src, item, expr[1], byte, depth + 1)
            return Typed("&" + inner.text, inner.src, inner.item) if inner is not None else None
        if kind == "deref":
            inner = self.type_of(src, item, expr[1], byte, depth + 1)
            if inner is None:
                return None
            shape = inner.shape
            if shape.kind == "ref" or (shape.kind == "path" and shape.name in _DEREF_THROUGH and shape.args):
                return Typed(shape.args[0].text(), inner.src, inner.item)
            return None
        if kind == "field":
            return self._field(src, item, expr, byte, depth)
        if kind == "lit":
            return self._literal(src, item, expr[1])
        if kind == "call":
            return self._call(src, item, expr[1])
        if kind == "vec":  # `vec![x; n]`: a `Vec` of `x`'s type
            element = self.type_of(src, item, expr[1], byte, depth + 1)
            return Typed(f"Vec<{element.text}>", element.src, element.item) if element is not None else None
        if kind == "path":
            variant = self.resolver.resolve_variant(src, item, expr[1])
            if variant is None:
                return self.associated_const(src, item, expr[1])  # `Level::ERROR`
            if variant[1] is None:
                return None
            owner = variant[0]
            return Typed(owner.item.name, owner.file, owner.item.index)
        if kind == "mcall":
            if expr[1][0] == "iter":  # `v.iter().next()`
                element = self._item(src, item, expr[1], byte, depth + 1) if expr[2] in ITEM_METHODS else None
                return Typed(f"Option<{element.text}>", element.src, element.item) if element is not None else None
            recv = self.type_of(src, item, expr[1], byte, depth + 1)
            owner = self.owner(recv)
            if owner is None:
                return self._std_method(recv, expr[2])
            found = self.resolver.methods_of(owner, expr[2])
            if not found and expr[2] in SAME_TYPE_METHODS:
                return recv  # a derived Clone: `T` (or `&T` when T is not Clone: the same to Debug and ==)
            return self._returns(inherent_first(found, method_call=True))
        if kind == "index":
            base = self.type_of(src, item, expr[1], byte, depth + 1)
            result = index_result(base.shape) if base is not None and self._std(base) else None
            return Typed(result, base.src, base.item) if result is not None and base is not None else None
        if kind == "turbo":
            return self._turbofish(src, item, expr, byte, depth)
        if kind == "cmp":  # `a == b`: the left operand's type, else the right one's (see `_compared_alike`)
            left = self.type_of(src, item, expr[1], byte, depth + 1)
            if left is not None:
                return left
            right = self.type_of(src, item, expr[2], byte, depth + 1)
            if right is None or expr[1] in _STD_VARIANT_VALUES:  # `Ok(3) == f()`: like f()'s type
                return right
            return right if self._compared_alike(right) else None
        if kind == "elem":
            item = self._item(src, item, expr[1], byte, depth + 1)
            if item is None:
                return None
            return Typed("&" + item.text, item.src, item.item) if expr[2] in _BORROWING_CLOSURES else item
        if kind == "slice":  # `v[a..b]` of a std sequence, slice or array: a slice of its elements
            element = self.element(self.type_of(src, item, expr[1], byte, depth + 1))
            return Typed(f"[{element.text}]", element.src, element.item) if element is not None else None
        if kind == "tpart":  # ("tpart", ("elem", iterator, how), "1"): a name a tuple pattern binds of an item
            return self._tuple_part(src, item, expr[1], int(expr[2]), byte, depth + 1)
        if kind in ("array", "tuple", "some"):
            return literal_type(self, src, item, expr, byte, depth)
        if kind == "pat":  # a name a `match`/`if let` pattern binds
            found = pattern_type(self, src, item, expr, byte, depth)
            return Typed(*found) if found is not None else None
        if kind == "try":
            inner = self.type_of(src, item, expr[1], byte, depth + 1)
            if inner is None:
                return None
            shape, at, index = self.resolver.expand_alias(inner.shape, inner.src, inner.item)
            if shape.kind == "path" and shape.args and shape.path in STD_RESULT_OPTION and \
                    not self.resolver.index.resolve(at, index, shape.path):
                return Typed(shape.args[0].text(), at, index)
            return None
        return None

    def _compared_alike(self, right: Typed) -> bool:
        """True when no workspace `PartialEq<X>`/`PartialOrd<X>` impl names in `X` a type that `right` names
        (nor is generic over `X`): then `a == right` compiles only when `a` is of `right`'s type too (by
        the orphan rule, no other crate can make another type compare with a workspace type)."""
        if self._compared_with is None:
            names: set[str] = set()
            for src in self.resolver.ctx.files:
                for it in src.facts.items:
                    trait = it.trait or ""
                    if it.kind == "impl" and "<" in trait and \
                            trait.split("<", 1)[0].rsplit("::", 1)[-1].strip() in ("PartialEq", "PartialOrd"):
                        args = set(_WORD.findall(trait.split("<", 1)[1]))
                        generic = it.generics and not args.isdisjoint(generic_param_names(it.generics))
                        names |= {"*"} if generic else args
            self._compared_with = frozenset(names)
        owner = self.owner(right)  # `Self`, an alias: the name of what it resolves to
        names = {*_WORD.findall(right.text), *([owner.item.name] if owner is not None else [])}
        return "*" not in self._compared_with and self._compared_with.isdisjoint(names)

    def _std(self, typed: Typed) -> bool:
        """True when `typed` (through references) is a std type, not a workspace one."""
        shape = strip_refs(typed.shape)
        return shape.kind != "path" or self.resolver.resolve(typed.src, typed.item, shape.path) is None

    def _std_method(self, recv: Typed | None, method: str) -> Typed | None:
        if recv is not None and method in ITEM_METHODS and method not in self.foreign_methods() and \
                (item := iterator_item(recv.shape, lambda p: std_named(recv.src, p) and
                                       self.resolver.resolve(recv.src, recv.item, p) is None)):
            return Typed(f"Option<{item}>", recv.src, recv.item)  # `self.iter.next()` of a std iterator
        if recv is None or method not in STD_METHOD_NAMES or method in self.foreign_methods() or not self._std(recv):
            return None
        if method in SAME_TYPE_METHODS:
            return recv
        result = method_result(recv.shape, method)
        return Typed(result, recv.src, recv.item) if result is not None else None

    def foreign_methods(self) -> frozenset[str]:
        """Names of methods workspace trait impls define for types outside the workspace (or for any
        type): such a method may be the one a call on a std type reaches."""
        if self._foreign_methods is None:
            names = set()
            for by_method in self.resolver.index.methods.values():
                for name, defs in by_method.items():
                    if name not in STD_METHOD_NAMES or name in names:
                        continue
                    for d in defs:
                        impl = d.file.facts.items[d.item.parent]
                        if impl.trait and self.resolver.resolve(d.file, impl.index, impl.self_type or "") is None:
                            names.add(name)
                            break
            self._foreign_methods = frozenset(names)
        return self._foreign_methods

    def _turbofish(self, src: SourceFile, item: int, expr: Expr, byte: int, depth: int) -> Typed | None:
        """`x.collect::<T>()` is a `T`; `s.parse::<T>()` a `Result<T, _>` (the error type is left unknown)."""
        method, type_text, recv = expr[1], expr[2], expr[3]
        if recv[0] != "?":
            owner = self.owner(self.type_of(src, item, recv, byte, depth + 1))
            if owner is not None and self.resolver.methods_of(owner, method):
                return None  # the workspace type's own method
        if method in self.foreign_methods():
            return None
        if method == "collect":
            return Typed(type_text, src, item)
        return self._from_str_result(src, item, type_text) or Typed(f"Result<{type_text}, _>", src, item)

    def _item(self, src: SourceFile, item: int, it: Expr | None, byte: int, depth: int) -> Typed | None:
        """The item type of iterating over `it` (a collection, `&collection` or an iterator chain)."""
        if it is None or depth > _MAX_DEPTH:
            return None
        if it[0] == "iter":
            method = it[2]
            if method in _SAME_ITEM:
                return self._item(src, item, it[1], byte, depth + 1)
            if method in ("cloned", "copied"):
                inner = self._item(src, item, it[1], byte, depth + 1)
                shape = inner.shape if inner is not None else None
                return Typed(shape.args[0].text(), inner.src, inner.item) if shape and shape.kind == "ref" else None
            base = self.type_of(src, item, it[1], byte, depth + 1)
            element = self.element(base)
            if element is None or base is None:  # `cls.iter()` of a workspace type, `it.into_iter()` of an iterator
                mcall = self.type_of(src, item, ("mcall", it[1], method), byte, depth + 1) if method == "iter" else None
                return iterator_items(self.resolver, base if method == "into_iter" else mcall)
            if method == "iter":
                return Typed("&" + element.text, element.src, element.item)
            if method == "iter_mut":
                return Typed("&mut " + element.text, element.src, element.item)
            return element if base.shape.kind != "ref" else Typed("&" + element.text, element.src, element.item)
        base = self.type_of(src, item, it, byte, depth + 1)
        element = self.element(base)
        if element is None or base is None:
            return iterator_items(self.resolver, base)  # an iterator (`self.iter`, `g.node_indices()`)
        return element if base.shape.kind != "ref" else Typed("&" + element.text, element.src, element.item)

    def _tuple_part(self, src: SourceFile, item: int, elem: Expr, index: int, byte: int, depth: int) -> Typed | None:
        """The type of the `index`-th name of a tuple pattern over the items of `elem` (an "elem" expr): a
        side of `enumerate`/`zip` pairs, or an element of a tuple item. Behind a reference (a borrowing
        closure, an item `&(A, B)`) the name binds by reference."""
        if elem[0] != "elem" or depth > _MAX_DEPTH:
            return None
        borrowed = elem[2] in _BORROWING_CLOSURES
        it = elem[1]
        while it[0] == "iter" and it[2] in _SAME_ITEM:
            it = it[1]
        if it[0] == "pairs":
            side = it[1 + index] if index < 2 else ("?",)
            part = self._item(src, item, side, byte, depth + 1) if side != ("?",) else None
        else:
            whole = self._item(src, item, it, byte, depth + 1)
            if whole is None:  # a local array literal of tuples, each part typed on its own
                found = literal_part(self, src, item, it, index, byte, depth + 1)
                if found is None:
                    return None
                part, by_reference = found
                borrowed = borrowed or by_reference  # one reference, as binding modes give
                return Typed("&" + part.text, part.src, part.item) if borrowed else part
            shape = whole.shape
            while shape.kind == "ref":
                borrowed = True
                shape = shape.args[0]
            if shape.kind != "tuple" or index >= len(shape.args):
                return None
            part = Typed(shape.args[index].text(), whole.src, whole.item)
        if part is None:
            return None
        return Typed("&" + part.text, part.src, part.item) if borrowed else part

    def element(self, typed: Typed | None) -> Typed | None:
        """`T` for a (reference to a) std sequence, slice or array of `T`."""
        if typed is None:
            return None
        shape = typed.shape
        while shape.kind == "ref":
            shape = shape.args[0]
        if shape.kind in ("slice", "array"):
            return Typed(shape.args[0].text(), typed.src, typed.item)
        if shape.kind == "path" and shape.name in _SEQUENCES and len(shape.args) == 1 and \
                self.resolver.resolve(typed.src, typed.item, shape.path) is None:
            return Typed(shape.args[0].text(), typed.src, typed.item)
        return None

    def owner(self, typed: Typed | None) -> Def | None:
        """The workspace type behind `typed`, through references and Box/Rc/Arc (auto-deref)."""
        if typed is None:
            return None
        shape = typed.shape
        for _ in range(4):
            if shape.kind == "ref":
                shape = shape.args[0]
            elif shape.kind == "path" and shape.name in _DEREF_THROUGH and shape.args and \
                    self.resolver.resolve(typed.src, typed.item, shape.path) is None:
                shape = shape.args[0]
            else:
                break
        if shape.kind != "path":
            return None
        return self.resolver.resolve(typed.src, typed.item, shape.path)

    def _field(self, src: SourceFile, item: int, expr: Expr, byte: int, depth: int) -> Typed | None:
        base = self.type_of(src, item, expr[1], byte, depth + 1)
        if base is not None and expr[2].isdigit():
            element = tuple_field(base.shape, expr[2])
            if element is not None:
                return Typed(element, base.src, base.item)
        owner = self.owner(base)
        if owner is None or owner.item.kind != "struct":
            return None
        for f in owner.item.fields:
            if f.name == expr[2]:
                if f.cfg_gated:
                    return None
                return Typed(f.type, owner.file, owner.item.index)
        return None
