"""Per-analysis type tools shared by the RT3xx rules (built once per run, `ctx.memo`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rust_triage.families.types.cfg_eval import cfg_enabled, default_features
from rust_triage.families.types.env import LocalEnv
from rust_triage.families.types.facts import TypeFacts
from rust_triage.families.types.macro_shadows import MacroShadows, macro_shadows
from rust_triage.families.types.resolve_types import TypeResolver
from rust_triage.families.types.traits import TraitOracle
from rust_triage.graph.resolve import Def
from rust_triage.parse.attributes import cfg_attr_paths, path_attr
from rust_triage.parse.facts import FieldDef
from rust_triage.parse.macro_mods import UNREAD

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile
    from rust_triage.workspace.model import ModDecl



@dataclass
class TypeTools:
    ctx: AnalysisContext
    resolver: TypeResolver
    traits: TraitOracle
    env: LocalEnv
    workspace_macros: MacroShadows  # `macro_rules!` names, and where each may shadow a std macro
    # (package, module path[, file name]) -> the cfg of its `mod` line (see `_gated_module_paths`)
    _gated_modules: dict[tuple[str, ...], str] | None = None
    _features: dict[str, frozenset[str]] = field(default_factory=dict)
    _gated: dict[tuple[str, int], bool] = field(default_factory=dict)  # cfg_gated per (file, item)
    _off: dict[tuple[str, int], bool] = field(default_factory=dict)  # cfg_off per (file, item)

    def facts(self, src: SourceFile) -> TypeFacts | None:
        return src.facts.extra.get("types")

    def definition(self, src: SourceFile, item_index: int) -> Def | None:
        scope = self.ctx.index.scope_of_item(src, item_index)
        return Def(src, src.facts.items[item_index], scope) if scope is not None else None

    def cfg_gated(self, src: SourceFile, item_index: int) -> bool:
        """True when the site sits in an item behind a `#[cfg(...)]` other than `cfg(test)`, or in a
        file whose module (or an enclosing one) is declared behind one (`#[cfg(feature = "x")] mod x;`)."""
        key = (src.rel, item_index)
        gated = self._gated.get(key)
        if gated is None:
            gated = self._gated[key] = self._cfg_gated(src, item_index)
        return gated

    def _cfg_gated(self, src: SourceFile, item_index: int) -> bool:
        if self._file_gated(src):
            return True
        if item_index < 0:
            return False
        for item in src.facts.item_chain(item_index):
            for attr in item.attrs:
                if attr.startswith(("cfg(", "cfg (")) and not item.cfg_test and not self.cfg_on(src, attr):
                    return True
        return False

    def cfg_off(self, src: SourceFile, item_index: int) -> bool:
        """True when the item (or its file's module) is behind a `#[cfg(...)]` that is false here."""
        key = (src.rel, item_index)
        off = self._off.get(key)
        if off is None:
            attrs = self._module_cfgs(src)
            attrs += [attr for item in src.facts.item_chain(item_index) if not item.cfg_test for attr in item.attrs
                      if attr.startswith(("cfg(", "cfg ("))]
            off = self._off[key] = any(self.cfg_value(src, attr) is False for attr in attrs)
        return off

    def cfg_value(self, src: SourceFile, attr: str) -> bool | None:
        """`cfg(..)` in a default build of the file's package: True, False, or None when unknown."""
        self.cfg_on(src, attr)  # fills the package's features
        return cfg_enabled(attr, self._features[src.package])

    def field_gated(self, src: SourceFile, f: FieldDef) -> bool | None:
        """Whether a field's `#[cfg]` leaves it uncertain; None when a default build leaves it out."""
        if not f.cfg_gated or not f.cfg:
            return f.cfg_gated
        value = self.cfg_value(src, f.cfg)
        return None if value is False else value is None

    def cfg_on(self, src: SourceFile, attr: str) -> bool:
        """True when `cfg(..)` holds in a default build of the file's package (features only)."""
        features = self._features.get(src.package)
        if features is None:
            package = next((p for p in self.ctx.workspace.packages if p.name == src.package), None)
            features = self._features[src.package] = default_features(package) if package else frozenset()
        return cfg_enabled(attr, features) is True

    def _file_gated(self, src: SourceFile) -> bool:
        return any(not self.cfg_on(src, attr) for attr in self._module_cfgs(src))

    def _module_cfgs(self, src: SourceFile) -> list[str]:
        """The `#[cfg]`s of the `mod` lines that lead to the file. Of two `#[path]`'d `mod x;` lines for one
        module path (behind opposite cfgs), the file's own is the one naming its file."""
        gated = self._gated_modules
        if gated is None:
            gated = self._gated_modules = _gated_module_paths(self.ctx)
        out = []
        for module in src.modules:
            parts = module.module_path.split("::")
            for n in range(2, len(parts) + 1):
                path = "::".join(parts[:n])
                attr = gated.get((module.package, path, src.path.name)) if n == len(parts) else None
                attr = attr if attr is not None else gated.get((module.package, path))
                if attr:
                    out.append(attr)
        return out

    def derive_line(self, d: Def) -> int:
        facts = self.facts(d.file)
        return facts.derive_lines.get(d.item.index, d.item.line) if facts is not None else d.item.line


def _gated_module_paths(ctx: AnalysisContext) -> dict[tuple[str, ...], str]:
    """(package, module path) -> the `#[cfg(...)]` (other than `cfg(test)`) its `mod` is declared behind;
    for a `#[path]`'d `mod x;` also (package, module path, name of the file it names)."""
    inline: dict[tuple[str, ...], str] = {}
    macro_cfgs = _crate_macro_cfgs(ctx)
    declared: dict[tuple[str, ...], str] = {}  # `mod x;`: a file module (an inline `mod x {}` of the same
    for src in ctx.files:                        # path behind the opposite cfg does not gate the file)
        bodies = {(m.line, m.column) for m in src.facts.mods if m.inline}
        for item in src.facts.items:
            if item.kind != "mod" or item.cfg_test:
                continue
            out = inline if (item.line, item.column) in bodies else declared
            named = path_attr(item.attrs) if out is declared else None
            chosen = cfg_attr_paths(item.attrs) if out is declared else ()
            for module in src.modules if chosen or any(a.startswith(("cfg(", "cfg (")) for a in item.attrs) else ():
                key = (module.package, f"{module.module_path}::{src.facts.item_path(item.index)}")
                for attr in item.attrs:
                    if attr.startswith(("cfg(", "cfg (")):
                        out[key] = attr
                        if named:  # `#[path = "a/x.rs"] mod x;`: also by the file it names
                            out[key + (_file_name(named),)] = attr
                for predicate, path in chosen:  # `#[cfg_attr(pred, path = "x.rs")] mod x;`: x.rs needs pred
                    out.setdefault(key + (_file_name(path),), f"cfg({predicate})")
        items = {(item.line, item.column) for item in src.facts.items if item.kind == "mod"}
        for m in src.facts.mods:  # `mod x;` inside a macro call: its `cfg_if!` branch's cfg, else unknown
            if not m.inline and not m.cfg_test and (m.line, m.column) not in items:
                inner = "::".join([name for name, _ in m.parents] + [m.name])
                for module in src.modules:
                    gate = _macro_mod_gate(m, src, macro_cfgs.get((module.package, module.target), {}))
                    if gate:
                        declared.setdefault((module.package, f"{module.module_path}::{inner}"), gate)
    return {**inline, **declared}


# the gate of a module declared inside a macro call: a predicate no build settles here
_MACRO_SELECTED = "cfg(declared_in_a_macro_call)"


def _crate_macro_cfgs(ctx: AnalysisContext) -> dict[tuple[str, str], dict[str, str]]:
    """(package, target) -> the name of each `macro_rules!` its crate defines -> the cfg the macro puts on
    the items passed to it (`parse/macro_mods.py`); UNREAD when two definitions disagree."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for src in ctx.files:
        for name, cfg in src.facts.macro_item_cfgs.items():
            for module in src.modules:
                found = out.setdefault((module.package, module.target), {})
                found[name] = cfg if found.get(name, cfg) == cfg else UNREAD
    return out


def _macro_mod_gate(m: ModDecl, src: SourceFile, macro_cfgs: dict[str, str]) -> str:
    """The cfg a `mod x;` written inside a macro call is compiled under: its `cfg_if!` branch's, or the one
    the crate's own macro puts on its items, with the declaration's own `#[cfg]`s; `_MACRO_SELECTED` when
    the macro is not the crate's or cannot be read."""
    gate = m.macro_cfg
    if not gate.startswith("cfg"):
        gate = macro_cfgs.get(m.macro_name, UNREAD) if m.macro_name else UNREAD
        if gate == UNREAD or any((u.alias or u.path[-1]) == m.macro_name and u.path[0] not in ("crate", "self", "super")
                                 for u in src.facts.uses):
            return _MACRO_SELECTED  # not read, or maybe a dependency's macro of that name
    predicates = [g[g.index("(") + 1 : -1] for g in (gate, *m.decl_cfgs) if g]
    if len(predicates) <= 1:
        return f"cfg({predicates[0]})" if predicates else ""
    return f"cfg(all({', '.join(predicates)}))"


def _file_name(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def type_tools(ctx: AnalysisContext) -> TypeTools:
    """The run's type tools, built once (`ctx.memo`)."""
    return ctx.memo(_build_tools)


def _build_tools(ctx: AnalysisContext) -> TypeTools:
    resolver = TypeResolver(ctx)
    tools = TypeTools(ctx, resolver, TraitOracle(ctx, resolver), LocalEnv(resolver), macro_shadows(ctx))
    resolver.cfg_off = tools.cfg_off
    return tools
