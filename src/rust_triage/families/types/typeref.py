"""Reading type text (`&'a mut Vec<crate::a::Foo>`, `(A, [B; 3])`) into a small shape."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

_LIFETIME = re.compile(r"^'\w+\s*")
_ARRAY_LEN = re.compile(r";[^;\]]*$")

PRIMITIVES = frozenset({
    "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
    "f32", "f64", "bool", "char", "str",
})


@dataclass(frozen=True, slots=True)
class Shape:
    """kind: path | ref | tuple | array | slice | opaque. `args` are generic arguments or elements."""

    kind: str
    path: str = ""  # kind == "path": the path without generics
    args: tuple[Shape, ...] = field(default_factory=tuple)
    mutable: bool = False  # kind == "ref"

    @property
    def name(self) -> str:
        return self.path.rsplit("::", 1)[-1]

    def text(self) -> str:
        if self.kind == "path":
            inner = ", ".join(a.text() for a in self.args)
            return f"{self.path}<{inner}>" if self.args else self.path
        if self.kind == "ref":
            return ("&mut " if self.mutable else "&") + self.args[0].text()
        if self.kind == "tuple":
            return "(" + ", ".join(a.text() for a in self.args) + ")"
        if self.kind == "array":
            return f"[{self.args[0].text()}; _]"
        if self.kind == "slice":
            return f"[{self.args[0].text()}]"
        return "_"


OPAQUE = Shape("opaque")


_MAX_NESTING = 32  # deeper type arguments are opaque (and no recursion can run out of stack)


def substitute(shape: Shape, mapping: dict[str, Shape]) -> Shape:
    """`shape` with every parameter-free path named in `mapping` replaced (generic substitution)."""
    if shape.kind == "path" and not shape.args and shape.path in mapping:
        return mapping[shape.path]
    if not shape.args:
        return shape
    return Shape(shape.kind, shape.path, tuple(substitute(a, mapping) for a in shape.args), shape.mutable)


@lru_cache(maxsize=8192)
def parse_type(text: str) -> Shape:
    """The shape of a type as written; anything unusual (dyn, impl, fn pointers) is opaque."""
    return _parse(text, 0)


def _parse(text: str, depth: int) -> Shape:
    t = text.strip()
    if not t or depth > _MAX_NESTING:
        return OPAQUE
    if t.startswith("&"):
        rest = _LIFETIME.sub("", t[1:].lstrip())
        mutable = rest.startswith("mut ")
        inner = _parse(rest[4:] if mutable else rest, depth + 1)
        return Shape("ref", args=(inner,), mutable=mutable)
    if t.startswith("("):
        if not t.endswith(")"):
            return OPAQUE
        parts = split_top(t[1:-1], ",")
        if parts is None:
            return OPAQUE
        elems = tuple(_parse(p, depth + 1) for p in parts if p.strip())
        return Shape("tuple", args=elems)
    if t.startswith("["):
        if not t.endswith("]"):
            return OPAQUE
        inner = t[1:-1]
        parts = split_top(inner, ";")
        if parts is None:
            return OPAQUE
        if len(parts) == 2:
            return Shape("array", args=(_parse(parts[0], depth + 1),))
        return Shape("slice", args=(_parse(inner, depth + 1),))
    if t.startswith(("dyn ", "impl ", "fn(", "fn ", "unsafe ", "extern ", "*", "<", "!", "_")) or "+" in t:
        return OPAQUE
    if t.startswith(("::std::", "::core::", "::alloc::")):
        t = t[2:]  # `::std::fmt::Error` (other `::` paths name the crate root in the 2015 edition)
    lt = t.find("<")
    if lt < 0:
        path = t.replace(" ", "")
        return Shape("path", path=path) if _is_path(path) else OPAQUE
    if not t.endswith(">"):
        return OPAQUE
    path = t[:lt].replace(" ", "").rstrip(":")
    parts = split_top(t[lt + 1 : -1], ",")
    if parts is None or not _is_path(path):
        return OPAQUE
    args = []
    for p in parts:
        p = p.strip()
        if not p or p.startswith("'"):
            continue  # lifetimes
        if "=" in p.split("<", 1)[0]:
            args.append(OPAQUE)  # `Item = T`
            continue
        args.append(_parse(p, depth + 1))
    return Shape("path", path=path, args=tuple(args))


def split_top(text: str, sep: str) -> list[str] | None:
    """Split at `sep` outside brackets; None when brackets do not balance."""
    parts: list[str] = []
    depth = 0
    start = 0
    for i, c in enumerate(text):
        if c in "<([":
            depth += 1
        elif c in ">)]":
            if c == ">" and i > 0 and text[i - 1] == "-":
                continue  # `->` in fn types
            depth -= 1
            if depth < 0:
                return None
        elif c == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    if depth != 0:
        return None
    parts.append(text[start:])
    return parts


def _is_path(path: str) -> bool:
    return bool(path) and all(seg.isidentifier() for seg in path.split("::"))


def generic_param_names(generics: str) -> set[str]:
    """`<'a, T: Clone, const N: usize>` -> {"T", "N"} (lifetimes left out)."""
    return set(_generic_param_names(generics)) if generics else set()


@lru_cache(maxsize=8192)
def _generic_param_names(generics: str) -> frozenset[str]:
    text = generics.strip()
    if not (text.startswith("<") and text.endswith(">")):
        return frozenset()
    parts = split_top(text[1:-1], ",") or []
    names = set()
    for p in parts:
        p = p.strip()
        if not p or p.startswith("'"):
            continue
        if p.startswith("const "):
            p = p[6:]
        name = re.split(r"[\s:=]", p, maxsplit=1)[0]
        if name:
            names.add(name)
    return frozenset(names)
