"""Does a type implement Debug/Clone/PartialEq/...? Derives, impl blocks anywhere, and std types.

Answers are "yes", "no" or "maybe"; only "no" is ever reported. "maybe" comes from anything we
cannot see through: `cfg_attr` derives, attribute macros, unknown derive macros, item-level macro
invocations that mention the type, blanket impls.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rust_triage.families.types.macro_impls import MacroImpls
from rust_triage.families.types.macro_reach import MacroReach
from rust_triage.families.types.other_rhs import OtherRhsMixin, trait_name
from rust_triage.families.types.reach_text import ITEMS_AS_WRITTEN
from rust_triage.families.types.resolve_types import TypeResolver, same_def
from rust_triage.families.types.std_paths import CRATE_ADAPTERS, STD_ADAPTERS, crate_path, std_path
from rust_triage.families.types.typeref import PRIMITIVES, Shape, generic_param_names, parse_type
from rust_triage.graph.resolve import Def
from rust_triage.parse.split_text import split_top_level

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile

STD_DERIVES = ("Debug", "Clone", "Copy", "PartialEq", "Eq", "PartialOrd", "Ord", "Hash", "Default")
DERIVABLE = (*STD_DERIVES, "Serialize", "Deserialize")
# A derive needs these on the type itself as well (supertraits).
SUPERTRAITS = {
    "Copy": ("Clone",), "Eq": ("PartialEq",), "PartialOrd": ("PartialEq",),
    "Ord": ("PartialOrd", "Eq", "PartialEq"), "Hash": (),
}
# Attributes that cannot add fields, derives or impls to a type.
HARMLESS_ATTRS = frozenset({"doc", "derive", "allow", "warn", "deny", "expect", "forbid", "cfg", "repr",
                            "non_exhaustive", "must_use", "deprecated", "serde", "rustfmt::skip", "inline",
                            "default"})


def attr_name(attr: str) -> str:
    """`derive(Debug)` -> `derive`; `rustfmt::skip` -> `rustfmt::skip`; `cfg_attr(..)` -> `cfg_attr`."""
    end = len(attr)
    for stop in ("(", "=", " ", "["):
        at = attr.find(stop)
        if 0 <= at < end:
            end = at
    return attr[:end]


def has_unknown_attribute(attrs: list[str], trait: str | None = None) -> bool:
    """An attribute macro or a lint tool attribute we do not know may change the type; so may a
    `cfg_attr` holding one, or (when asking about `trait`) a `cfg_attr` derive that may add `trait`."""
    for attr in attrs:
        name = attr_name(attr)
        if name == "cfg_attr":
            if _cfg_attr_unknown(attr, trait, 0):
                return True
        elif name not in HARMLESS_ATTRS and not name.startswith("clippy::"):
            return True
    return False


def _cfg_attr_unknown(attr: str, trait: str | None, depth: int) -> bool:
    """`cfg_attr(pred, a, b)`: True when one of a, b may change the type (or derive `trait`)."""
    inner = split_top_level(attr[attr.find("(") + 1 : attr.rfind(")")])
    if depth > 4 or len(inner) < 2:
        return True
    for part in inner[1:]:
        name = attr_name(part)
        if name == "derive":
            derived = split_top_level(part[part.find("(") + 1 : part.rfind(")")])
            if trait is not None and any(trait in d.rsplit("::", 1)[-1] for d in derived):
                return True
        elif name == "cfg_attr":
            if _cfg_attr_unknown(part, trait, depth + 1):
                return True
        elif name not in HARMLESS_ATTRS and not name.startswith("clippy::"):
            return True
    return False


_ALL = frozenset(DERIVABLE)
_NO_DEFAULT = _ALL - {"Default"}
_REF_TRAITS = frozenset({"Debug", "PartialEq", "Eq", "PartialOrd", "Ord", "Hash", "Serialize"})
_CONTAINER = frozenset({"Debug", "Clone", "PartialEq", "Eq", "PartialOrd", "Ord", "Hash", "Serialize",
                        "Deserialize"})
_SHARED = frozenset({"Debug", "PartialEq", "Eq", "PartialOrd", "Ord", "Hash", "Default"})
# std generic type -> traits for which it needs its arguments to implement the trait.
WRAPPERS: dict[str, frozenset[str]] = {
    "Option": _NO_DEFAULT,
    "Vec": _CONTAINER, "VecDeque": _CONTAINER, "LinkedList": _CONTAINER, "BinaryHeap": frozenset({"Debug", "Clone"}),
    "Box": _ALL - {"Copy"},
    "Rc": _SHARED, "Arc": _SHARED,
    "HashMap": frozenset({"Debug", "Clone"}), "BTreeMap": frozenset({"Debug", "Clone"}),
    "HashSet": frozenset({"Debug", "Clone"}), "BTreeSet": frozenset({"Debug", "Clone"}),
    "Result": frozenset({"Debug", "Clone", "Copy", "PartialEq", "Eq", "PartialOrd", "Ord", "Hash"}),
    "Reverse": _NO_DEFAULT, "Wrapping": _ALL,
    "RefCell": frozenset({"Debug", "Clone", "PartialEq", "Eq", "PartialOrd", "Ord", "Default"}),
    "Cell": frozenset({"Debug", "Clone", "PartialEq", "Eq", "PartialOrd", "Ord", "Default"}),
    # `Cow<'a, B>`: each trait needs it of `B` (`B::Owned` is `B` for a sized `B`); `B: ToOwned` itself,
    # i.e. `B: Clone`, is needed wherever the type is written (see `derive_checks`)
    "Cow": _SHARED | {"Clone"},
}
# std generic types whose impl of these traits also needs the argument to be Copy
_NEEDS_COPY = {"Cell": frozenset({"Debug", "Clone", "PartialEq", "Eq", "PartialOrd", "Ord"})}
# The std types above and friends that have no trait we check unconditionally missing.
_STD_NAMES = frozenset(WRAPPERS) | PRIMITIVES | {"String", "PathBuf", "Duration", "Instant"}
_FLOATS = frozenset({"f32", "f64"})
# well-known item-level macros from outside the workspace that never implement a trait for a type
# they merely mention (they define tests or statics)
_NO_IMPL_MACROS = frozenset({"quickcheck", "proptest", "lazy_static", "thread_local", "include",
                             "macro_rules", "global_asm", "compile_error"})

_NOT_FOR_FLOATS = frozenset({"Eq", "Ord", "Hash"})
_ADAPTER_NAMES = frozenset(path[-1] for path in (*STD_ADAPTERS, *CRATE_ADAPTERS))


@dataclass(frozen=True, slots=True)
class Lack:
    """`owner` does not implement `trait`; `sure` is False when it only may not."""

    owner: Def
    trait: str
    sure: bool = True


class TraitOracle(OtherRhsMixin):
    def __init__(self, ctx: AnalysisContext, resolver: TypeResolver) -> None:
        self.ctx = ctx
        self.resolver = resolver
        self._status: dict[tuple[str, int, str], str] = {}
        self._macro_idents: set[str] = set()
        self._macro_calls: dict[str, set[str]] = {}  # type name -> macros whose item-level calls mention it
        self._macro_bodies: dict[str, list[tuple[list[str], bool]]] = {}
        self._blanket: set[str] = set()
        # the types written as `type Owned = T` in the workspace's `impl ToOwned`s (None: one is unreadable)
        self.to_owned_targets: set[str] | None = set()
        self._anyone_lacks: dict[str, bool] = {}
        self._std_paths: dict[tuple[str, int, str], tuple[str, ...]] = {}
        self._macro_reach: MacroReach | None = None
        self.macro_impls = MacroImpls(ctx.files)
        for impls in self.macro_impls.by_type.values():
            for made in impls:
                if made.self_path in generic_param_names(made.generics):
                    self._blanket.add(trait_name(made.trait))
        for src in ctx.files:
            facts = src.facts.extra.get("types")
            if facts is not None:
                self._macro_idents |= facts.macro_idents
                for macro, idents in facts.macro_calls.items():
                    for ident in idents:
                        self._macro_calls.setdefault(ident, set()).add(macro)
                for macro, body in facts.macro_bodies.items():
                    self._macro_bodies.setdefault(macro, []).append(body)
            for item in src.facts.items:
                if item.kind == "impl" and item.trait:
                    if item.self_type in generic_param_names(item.generics):
                        self._blanket.add(trait_name(item.trait))
                    if trait_name(item.trait) == "ToOwned":
                        self._add_to_owned_target(src, item.index)

    def _add_to_owned_target(self, src: SourceFile, impl_index: int) -> None:
        facts = src.facts.extra.get("types")
        written = [facts.type_aliases.get(i.index) if facts is not None else None for i in src.facts.items
                   if i.parent == impl_index and i.kind == "type" and i.name == "Owned"]
        if self.to_owned_targets is not None and len(written) == 1 and written[0] is not None:
            self.to_owned_targets.add(trait_name(written[0][1]))
        else:
            self.to_owned_targets = None

    def anyone_lacks(self, trait: str) -> bool:
        """False when every struct, enum and union of the workspace surely implements `trait`."""
        found = self._anyone_lacks.get(trait)
        if found is None:
            found = False
            for src in self.ctx.files:
                for item in src.facts.items:
                    if item.kind in ("struct", "enum", "union") and trait not in item.derives:
                        d = self.ctx.index.scope_of_item(src, item.index)
                        if d is None or self.status(Def(src, item, d), trait) != "yes":
                            found = True
                            break
                if found:
                    break
            self._anyone_lacks[trait] = found
        return found

    def status(self, owner: Def, trait: str) -> str:
        key = (owner.file.rel, owner.item.index, trait)
        found = self._status.get(key)
        if found is None:
            found = self._status[key] = self._compute(owner, trait)
        return found

    def _compute(self, owner: Def, trait: str) -> str:
        item = owner.item
        if trait in item.derives:
            return "yes"
        verdict = "no"
        for impl in self.ctx.index.impls.get(item.name, []):
            if not impl.item.trait or trait_name(impl.item.trait) != trait:
                continue
            target = self.resolver.resolve(impl.file, impl.item.index, impl.item.self_type or "")
            if target is None:
                verdict = "maybe"
            elif same_def(target, owner) and not self._other_rhs(impl, owner):
                return "yes"
        for made in self.macro_impls.impls_of(item.name):
            if trait_name(made.trait) != trait:
                continue
            target = self.resolver.resolve(made.file, made.item, made.self_path)
            if target is None:
                verdict = "maybe"
            elif same_def(target, owner) and not self._other_trait_rhs(made.trait, made.generics, made.file,
                                                                       made.item, owner):
                return "yes"
        if trait in self._blanket or self._macro_may_implement(item.name, trait):
            return "maybe"
        if has_unknown_attribute(item.attrs, trait) or self._broken(owner):
            return "maybe"  # attribute macros and cfg_attr may add derives or impls
        if any(d not in DERIVABLE and trait in d for d in item.derives):
            return "maybe"  # e.g. SmartDefault
        return verdict

    def _macro_may_implement(self, name: str, trait: str) -> bool:
        """An item-level macro call mentioning `name` may implement `trait`: the macro is not a
        workspace `macro_rules!`, or its body names the trait, takes it as a metavariable or calls
        another macro."""
        if name not in self._macro_idents:
            return False
        for macro in self._macro_calls.get(name, ()):
            if macro in ITEMS_AS_WRITTEN and macro not in self._macro_bodies:  # impl headers, read as text
                if self._reach().items_call_may_implement(macro, trait, name):
                    return True
                continue
            if macro in _NO_IMPL_MACROS or (macro in self._macro_bodies and self.macro_impls.read(macro, name)):
                continue  # every call of it naming `name` was expanded: its impls are known
            bodies = self._macro_bodies.get(macro)
            if not bodies or any(trait in traits for traits, _ in bodies):
                return True
            if any(open_ for _, open_ in bodies) and self._reach().may_implement(macro, trait, name):
                return True
        return False

    def _reach(self) -> MacroReach:
        if self._macro_reach is None:
            self._macro_reach = MacroReach(self.ctx)
        return self._macro_reach

    def _broken(self, owner: Def) -> bool:
        facts = owner.file.facts.extra.get("types")
        return facts is not None and owner.item.index in facts.broken_items

    # -- requirements of a type ---------------------------------------------------------------
    def lacking(self, shape: Shape, trait: str, src: SourceFile, item_index: int, depth: int = 0) -> list[Lack]:
        """Workspace types that keep `shape` (written at src/item) from implementing `trait`."""
        if depth > 6:
            return []
        k = shape.kind
        if k == "ref":
            return self.lacking(shape.args[0], trait, src, item_index, depth + 1) if trait in _REF_TRAITS else []
        if k == "slice" and trait in ("Default", "Copy"):
            return []  # `Box<[T]>: Default` holds for any `T`; a slice is never a value of its own
        if k in ("tuple", "array", "slice"):
            out: list[Lack] = []
            for arg in shape.args:
                out.extend(self.lacking(arg, trait, src, item_index, depth + 1))
            return out
        if k != "path":
            return []
        owner = self.resolver.resolve(src, item_index, shape.path)
        if owner is None:
            alias = self.resolver.alias_target(src, item_index, shape) if shape.path not in PRIMITIVES else None
            if alias is not None:  # `type HammingResult = Result<usize, StrSimError>;`
                return self.lacking(alias[0], trait, alias[1], alias[2], depth + 1)
            adapter = self._std_adapter(src, item_index, shape)
            if adapter is not None:  # `slice::Iter<'a, T>: Debug` needs `T: Debug`
                traits, count = adapter
                if trait not in traits:
                    return []
                out = []
                for arg in shape.args if count < 0 else shape.args[:count]:
                    out.extend(self.lacking(arg, trait, src, item_index, depth + 1))
                return out
            name = shape.name
            if shape.path != name and not shape.path.startswith(("std::", "core::", "alloc::")):
                return []
            if name in _FLOATS and trait in _NOT_FOR_FLOATS:
                return []  # not a workspace type: nothing to add a derive to
            if name in WRAPPERS and trait in WRAPPERS[name] and name in _STD_NAMES:
                args = shape.args[:1] if name in ("Rc", "Arc", "Box") else shape.args
                out = []
                for arg in args:
                    out.extend(self.lacking(arg, trait, src, item_index, depth + 1))
                    if trait in _NEEDS_COPY.get(name, ()):  # `Cell<T>: Clone` needs `T: Copy`
                        out.extend(self.lacking(arg, "Copy", src, item_index, depth + 1))
                return self.without_to_owned(out) if name == "Cow" and trait == "Clone" else out
            return []
        verdict = self.status(owner, trait)
        if verdict == "no":
            return [Lack(owner, trait)]
        if verdict == "maybe":
            return [Lack(owner, trait, sure=False)]
        if trait in owner.item.derives and owner.item.generics and shape.args:
            out = []
            for arg in shape.args:  # `#[derive(Debug)] struct W<T>` needs `T: Debug`
                out.extend(self.lacking(arg, trait, src, item_index, depth + 1))
            return out
        return []

    def without_to_owned(self, lacks: list[Lack]) -> list[Lack]:
        """`Cow<'a, B>` needs `B: ToOwned`, which is `B: Clone` unless the workspace implements `ToOwned`
        for `B` itself: those lacks are dropped."""
        return [lack for lack in lacks if self.status(lack.owner, "ToOwned") == "no"]

    def _std_adapter(self, src: SourceFile, item_index: int, shape: Shape) -> tuple[frozenset[str], int] | None:
        """The `STD_ADAPTERS` entry of the std type `shape` names at the site (through `use`s), if any."""
        if shape.name not in _ADAPTER_NAMES or not shape.args:
            return None
        key = (src.rel, item_index, shape.path)
        if key not in self._std_paths:
            self._std_paths[key] = std_path(src, item_index, shape.path) or crate_path(src, item_index, shape.path)
        path = self._std_paths[key]
        return STD_ADAPTERS.get(path) or CRATE_ADAPTERS.get(path)

    def lacking_text(self, type_text: str, trait: str, src: SourceFile, item_index: int) -> list[Lack]:
        return self.lacking(parse_type(type_text), trait, src, item_index)

    # -- can a derive be added safely? --------------------------------------------------------
    def derivable(self, shape: Shape, trait: str, src: SourceFile, item_index: int,
                  adding: set[tuple[str, int, str]], depth: int = 0) -> bool:
        """True when `shape` surely implements `trait` once the derives in `adding` are added."""
        if depth > 8:
            return False
        k = shape.kind
        if k == "ref":
            if trait in ("Clone", "Copy"):
                return not shape.mutable
            return trait in _REF_TRAITS and self.derivable(shape.args[0], trait, src, item_index, adding, depth + 1)
        if k in ("tuple", "array"):
            return all(self.derivable(a, trait, src, item_index, adding, depth + 1) for a in shape.args)
        if k != "path":
            return False
        owner = self.resolver.resolve(src, item_index, shape.path)
        if owner is None:
            name = shape.name
            if shape.path != name and not shape.path.startswith(("std::", "core::", "alloc::")):
                return False
            if name in PRIMITIVES:
                return not (name in _FLOATS and trait in _NOT_FOR_FLOATS) and (name != "str")
            if name == "String":
                return trait != "Copy"
            if name in WRAPPERS and trait in WRAPPERS[name]:
                return all(self.derivable(a, trait, src, item_index, adding, depth + 1) and (
                    trait not in _NEEDS_COPY.get(name, ()) or self.derivable(a, "Copy", src, item_index, adding,
                                                                            depth + 1)) for a in shape.args)
            if name in WRAPPERS and trait == "Default" and name not in ("Box", "Rc", "Arc"):
                return True
            return False
        key = (owner.file.rel, owner.item.index, trait)
        if key in adding or self.status(owner, trait) == "yes":
            return not (trait in owner.item.derives and owner.item.generics and shape.args
                        and not all(self.derivable(a, trait, src, item_index, adding, depth + 1) for a in shape.args))
        return False
