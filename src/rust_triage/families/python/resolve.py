"""Name resolution for Python calls: import aliases, relative imports, re-exports, `self` methods,
and calls into PyO3 extension modules (resolved to the Rust items behind them).

Best effort and precision first: a call whose receiver type is unknown resolves to nothing.
"""

from __future__ import annotations

import builtins
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rust_triage.families.python.bridge import ExtModule, RustExport, scan_bridge
from rust_triage.families.python.facts import PyCall, PyImport
from rust_triage.families.python.source import PySourceFile

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext

_BUILTINS = frozenset(dir(builtins))
_STDLIB: frozenset[str] = frozenset(getattr(sys, "stdlib_module_names", ()))
_MAX_DEPTH = 6


@dataclass(frozen=True, eq=False)
class PyTarget:
    src: PySourceFile
    index: int  # def index in src.facts.defs

    @property
    def key(self) -> tuple[str, int]:
        return (self.src.rel, self.index)


@dataclass(frozen=True, eq=False)
class RustTarget:
    export: RustExport


Target = PyTarget | RustTarget


def python_index(ctx: AnalysisContext) -> PyIndex:
    """The run's PyIndex, built once per run."""
    return ctx.memo(PyIndex)


class PyIndex:
    def __init__(self, ctx: AnalysisContext) -> None:
        from rust_triage.families.python import python_files

        self.files: list[PySourceFile] = list(python_files(ctx))
        self.bridge: dict[str, ExtModule] = scan_bridge(ctx) if ctx.files else {}
        self.modules: dict[str, PySourceFile] = {}
        for src in self.files:
            self.modules.setdefault(src.module, src)
        self._add_path_aliases()
        self._top: dict[str, dict[str, int]] = {}
        self._members: dict[tuple[str, int], dict[str, int]] = {}  # (rel, class) -> member name -> def
        self._nested: dict[tuple[str, int], dict[str, int]] = {}  # (rel, function) -> local def name -> def
        self._imports: dict[tuple[str, int], dict[str, PyImport]] = {}
        self._stars: dict[str, list[PyImport]] = {}
        for src in self.files:
            self._index_file(src)
        self._resolved: dict[str, list[tuple[PyCall, list[Target]]]] = {}

    # -- building ---------------------------------------------------------------------------
    def _add_path_aliases(self) -> None:
        """Directory-path names (`svc.app` for svc/app.py) for files outside regular packages."""
        seen: dict[str, list[PySourceFile]] = {}
        for src in self.files:
            parts = src.rel.removesuffix(".py").split("/")
            if parts[-1] == "__init__":
                parts = parts[:-1]
            for i in range(len(parts)):
                seen.setdefault(".".join(parts[i:]), []).append(src)
        for name, owners in seen.items():
            if "." not in name and name in _STDLIB:
                continue
            if len(owners) == 1 and name not in self.modules:
                self.modules[name] = owners[0]

    def _index_file(self, src: PySourceFile) -> None:
        top = self._top.setdefault(src.rel, {})
        for d in src.facts.defs:
            if d.parent < 0:
                top[d.name] = d.index
            elif src.facts.defs[d.parent].kind == "class":
                self._members.setdefault((src.rel, d.parent), {})[d.name] = d.index
            else:
                self._nested.setdefault((src.rel, d.parent), {})[d.name] = d.index
        for imp in src.facts.imports:
            if imp.local == "*":
                if imp.scope < 0:
                    self._stars.setdefault(src.rel, []).append(imp)
                continue
            self._imports.setdefault((src.rel, imp.scope), {})[imp.local] = imp

    # -- qualification ----------------------------------------------------------------------
    def import_base(self, src: PySourceFile, imp: PyImport) -> str:
        """The module an import statement names, relative imports resolved against `src`'s package."""
        if not imp.level:
            return imp.module
        parts = src.module.split(".") if src.module else []
        if not src.is_package:
            parts = parts[:-1]
        parts = parts[: max(0, len(parts) - (imp.level - 1))]
        return ".".join(p for p in (*parts, imp.module) if p)

    def import_target(self, src: PySourceFile, imp: PyImport) -> str:
        """The dotted name an import binds: `import subprocess as sp` -> `subprocess`."""
        base = self.import_base(src, imp)
        if imp.name and imp.name != "*":
            return f"{base}.{imp.name}" if base else imp.name
        if not imp.name and imp.local == imp.module.split(".")[0]:
            return imp.local  # `import a.b` binds `a`
        return base

    def qualify(self, src: PySourceFile, callee: str, func: int) -> str | None:
        """Fully qualified callee: `sp.run` -> `subprocess.run`, `open` -> `builtins.open`, None if unknown."""
        head, dot, rest = callee.partition(".")
        if head == "self" and rest:
            held = self._self_attribute(src, rest, func)
            if held is not None:
                return held
        called = head.endswith("()")
        name = head[:-2] if called else head
        base = self._qualify_name(src, name, func)
        if base is None:
            return None
        return f"{base}{'()' if called else ''}{dot}{rest}"

    def _self_attribute(self, src: PySourceFile, rest: str, func: int) -> str | None:
        """`self._inner.m` where `__init__` did `self._inner = Native(...)`: `pkg._native.Native().m`."""
        attr, dot, tail = rest.partition(".")
        if not dot or func < 0:
            return None
        cls = src.facts.enclosing_class(func)
        if cls is None:
            return None
        for name, callee, init in cls.self_attrs:
            if name == attr and not callee.endswith("()"):
                base = self.qualify(src, callee, init)
                return f"{base}().{tail}" if base else None
        return None

    def _qualify_name(self, src: PySourceFile, name: str, func: int) -> str | None:
        defs = src.facts.defs
        if name in ("self", "cls") and func >= 0:
            cls = src.facts.enclosing_class(func)
            if cls is None:
                return None
            qual = f"{src.module}.{src.facts.qualname(cls.index)}"
            return f"{qual}()" if name == "self" else qual
        scope = func
        while scope >= 0:
            if defs[scope].kind == "function":
                imp = self._imports.get((src.rel, scope), {}).get(name)
                if imp is not None:
                    return self.import_target(src, imp)
                local = self._nested.get((src.rel, scope), {}).get(name)
                if local is not None:
                    return f"{src.module}.{src.facts.qualname(local)}"
            scope = defs[scope].parent
        imp = self._imports.get((src.rel, -1), {}).get(name)
        if imp is not None:
            return self.import_target(src, imp)
        if name in self._top.get(src.rel, {}):
            return f"{src.module}.{name}"
        for star in self._stars.get(src.rel, []):
            module = self.import_base(src, star)
            if self.lookup(f"{module}.{name}"):
                return f"{module}.{name}"
        if name in _BUILTINS:
            return f"builtins.{name}"
        return None

    # -- resolution -------------------------------------------------------------------------
    def resolve(self, src: PySourceFile, call: PyCall) -> list[Target]:
        qualified = self.qualify(src, call.callee, call.func)
        if not qualified or qualified.startswith("builtins."):
            return []
        return self.lookup(qualified)

    def calls_from(self, src: PySourceFile) -> list[tuple[PyCall, list[Target]]]:
        """Every call of a file with its resolved targets (cached)."""
        out = self._resolved.get(src.rel)
        if out is None:
            out = self._resolved[src.rel] = [(c, self.resolve(src, c)) for c in src.facts.calls]
        return out

    def lookup(self, qualified: str, depth: int = 0) -> list[Target]:
        if depth > _MAX_DEPTH:
            return []
        parts = qualified.split(".")
        for i in range(len(parts) - 1, 0, -1):
            if any(p.endswith("()") for p in parts[:i]):
                continue
            prefix = ".".join(parts[:i])
            src = self.modules.get(prefix)
            if src is not None:
                return self._in_module(src, parts[i:], depth)
            ext = self.extension(prefix)
            if ext is not None:
                return _in_extension(ext, parts[i:])
        return []

    def extension(self, module: str) -> ExtModule | None:
        """The extension module a dotted name imports (`pkg._native` matches a #[pymodule] `_native`)."""
        if module in self.modules:
            return None
        parts = module.split(".")
        for i in range(len(parts)):  # `pkg.outer.sub` matches the #[pymodule] mod `outer.sub`, then `sub`
            found = self.bridge.get(".".join(parts[i:]))
            if found is not None:
                return found
        return None

    def _in_module(self, src: PySourceFile, rest: list[str], depth: int) -> list[Target]:
        name = rest[0]
        called = name.endswith("()")
        bare = name[:-2] if called else name
        index = self._top.get(src.rel, {}).get(bare)
        if index is not None:
            d = src.facts.defs[index]
            if d.kind == "function":
                return [PyTarget(src, index)] if len(rest) == 1 and not called else []
            if len(rest) == 1 and not called:
                init = self.method(src, index, "__init__", depth)
                return [init] if init is not None else [PyTarget(src, index)]
            if len(rest) == 2 and not rest[1].endswith("()"):
                found = self.method(src, index, rest[1], depth)
                return [found] if found is not None else []
            return []
        imp = self._imports.get((src.rel, -1), {}).get(bare)
        if imp is not None:
            target = self.import_target(src, imp)
            return self.lookup(".".join([target + ("()" if called else ""), *rest[1:]]), depth + 1)
        for star in self._stars.get(src.rel, []):
            module = self.import_base(src, star)
            found = self.lookup(".".join([module, *rest]), depth + 1)
            if found:
                return found
        return []

    def method(self, src: PySourceFile, class_index: int, name: str, depth: int = 0) -> PyTarget | None:
        """`name` defined in the class or, by name through its bases, in a workspace base class."""
        member = self._members.get((src.rel, class_index), {}).get(name)
        if member is not None:
            return PyTarget(src, member)
        if depth > _MAX_DEPTH:
            return None
        for base in self.base_classes(src, class_index, depth + 1):
            found = self.method(base.src, base.index, name, depth + 1)
            if found is not None:
                return found
        return None

    def base_classes(self, src: PySourceFile, class_index: int, depth: int = 0) -> list[PyTarget]:
        """The workspace classes the class at `class_index` derives from directly."""
        cls = src.facts.defs[class_index]
        out: list[PyTarget] = []
        for base in cls.bases:
            if "=" in base:
                continue
            qualified = self.qualify(src, base.split("[")[0].strip(), cls.parent)
            for t in self.lookup(qualified, depth + 1) if qualified else []:
                if not isinstance(t, PyTarget):
                    continue
                d = t.src.facts.defs[t.index]
                owner = d.parent if d.kind == "function" else t.index  # a class resolves to its __init__
                if owner >= 0 and t.src.facts.defs[owner].kind == "class":
                    out.append(PyTarget(t.src, owner))
        return out

    def imported_modules(self, src: PySourceFile) -> list[tuple[PyImport, PySourceFile | ExtModule]]:
        """Imports of `src` that name a workspace module or an extension module."""
        out: list[tuple[PyImport, PySourceFile | ExtModule]] = []
        for imp in src.facts.imports:
            base = self.import_base(src, imp)
            names = [f"{base}.{imp.name}" if base else imp.name, base] if imp.name not in ("", "*") else [base]
            for name in names:
                found: PySourceFile | ExtModule | None = self.modules.get(name) or self.extension(name)
                if found is not None and found is not src:
                    out.append((imp, found))
                    break
        return out


def _in_extension(ext: ExtModule, rest: list[str]) -> list[Target]:
    name = rest[0]
    called = name.endswith("()")
    bare = name[:-2] if called else name
    if len(rest) == 1 and not called and bare in ext.functions:
        return [RustTarget(ext.functions[bare])]
    cls = ext.classes.get(bare)
    if cls is None:
        return []
    if len(rest) == 1 and not called:
        if cls.constructor is not None:
            return [RustTarget(cls.constructor)]
        return [RustTarget(cls.export)] if cls.export.item >= 0 else []
    if len(rest) == 2 and not rest[1].endswith("()"):
        found = cls.methods.get(rest[1])
        return [RustTarget(found)] if found is not None else []
    return []
