"""The PyO3 bridge seen from the Rust side: which Rust items Python can call, under which names.

Read from item attributes the parser already keeps (`Item.attrs`): `#[pymodule]`, `#[pyfunction]`,
`#[pyclass]`, `#[pymethods]`, `#[new]`, `#[pyo3(name = "...")]`. Functions and classes of a crate
are exposed under every `#[pymodule]` of that crate (or the lib target name when it declares none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile
    from rust_triage.parse.facts import Item

_PREFIX = r"^(?:::)?(?:pyo3::(?:prelude::)?)?"
_PYMODULE = re.compile(_PREFIX + r"pymodule\b")
_PYFUNCTION = re.compile(_PREFIX + r"pyfunction\b")
_PYCLASS = re.compile(_PREFIX + r"pyclass\b")
_PYMETHODS = re.compile(_PREFIX + r"pymethods\b")
_NEW = re.compile(r"^new$")
_NAME = re.compile(r'\bname\s*=\s*"([^"]+)"')


@dataclass(eq=False)
class RustExport:
    """One Rust item Python can call: a #[pyfunction], a #[pymethods] method or a #[pyclass]."""

    src: SourceFile
    item: int
    py_name: str
    kind: str  # "function" | "method" | "constructor" | "class"
    owner: str = ""  # Python class name for methods and constructors

    @property
    def label(self) -> str:
        return f"{self.owner}.{self.py_name}" if self.owner and self.kind != "class" else self.py_name

    @property
    def rust_item(self) -> Item:
        return self.src.facts.items[self.item]


@dataclass(eq=False)
class ExtClass:
    name: str
    export: RustExport
    methods: dict[str, RustExport] = field(default_factory=dict)
    constructor: RustExport | None = None


@dataclass(eq=False)
class ExtModule:
    """An extension module as Python imports it."""

    name: str
    package: str
    definition: tuple[SourceFile, int] | None  # the #[pymodule] item, when there is one
    functions: dict[str, RustExport] = field(default_factory=dict)
    classes: dict[str, ExtClass] = field(default_factory=dict)


def _has(attrs: list[str], pattern: re.Pattern[str]) -> str | None:
    for a in attrs:
        if pattern.match(a):
            return a
    return None


def _py_name(attrs: list[str], default: str) -> str:
    for a in attrs:
        if _PYFUNCTION.match(a) or _PYCLASS.match(a) or _PYMODULE.match(a) or a.startswith("pyo3"):
            m = _NAME.search(a)
            if m:
                return m.group(1)
    return default.removeprefix("r#")


def scan_bridge(ctx: AnalysisContext) -> dict[str, ExtModule]:
    """Extension modules by Python name (last dotted component)."""
    functions: dict[str, list[RustExport]] = {}
    classes: dict[str, dict[str, ExtClass]] = {}  # package -> rust type name -> class
    module_defs: dict[str, list[tuple[str, SourceFile, int]]] = {}
    methods: list[tuple[str, str, RustExport]] = []  # (package, rust type, export)
    for src in ctx.files:
        if src.in_test_target:
            continue
        items = src.facts.items
        for item in items:
            if item.in_test or not item.attrs:
                continue
            if item.kind in ("fn", "mod") and _has(item.attrs, _PYMODULE):
                module_defs.setdefault(src.package, []).append((_py_name(item.attrs, item.name), src, item.index))
            elif item.kind == "fn" and _has(item.attrs, _PYFUNCTION):
                functions.setdefault(src.package, []).append(
                    RustExport(src, item.index, _py_name(item.attrs, item.name), "function"))
            elif item.kind in ("struct", "enum") and _has(item.attrs, _PYCLASS):
                name = _py_name(item.attrs, item.name)
                classes.setdefault(src.package, {})[item.name] = ExtClass(
                    name, RustExport(src, item.index, name, "class"))
        for item in items:
            if item.kind != "fn" or item.parent < 0 or item.in_test:
                continue
            impl = items[item.parent]
            if impl.kind == "impl" and impl.self_type and _has(impl.attrs, _PYMETHODS):
                kind = "constructor" if _has(item.attrs, _NEW) else "method"
                export = RustExport(src, item.index, _py_name(item.attrs, item.name), kind)
                methods.append((src.package, impl.self_type.split("::")[-1], export))
    for package, type_name, export in methods:
        cls = classes.setdefault(package, {}).get(type_name)
        if cls is None:  # #[pymethods] on a type whose #[pyclass] was not seen: still callable
            cls = classes[package][type_name] = ExtClass(type_name, RustExport(export.src, -1, type_name, "class"))
        export.owner = cls.name
        if export.kind == "constructor":
            cls.constructor = export
        else:
            cls.methods[export.py_name] = export
    modules: dict[str, ExtModule] = {}
    packages = set(functions) | set(classes) | set(module_defs)
    for package in sorted(packages):
        defs: list[tuple[str, SourceFile | None, int]] = list(module_defs.get(package) or [])
        defs = defs or [(_lib_name(ctx, package), None, -1)]
        for name, src, index in defs:
            module = modules.setdefault(name, ExtModule(name, package, (src, index) if src is not None else None))
            for export in functions.get(package, []):
                module.functions.setdefault(export.py_name, export)
            for cls in classes.get(package, {}).values():
                module.classes.setdefault(cls.name, cls)
    return modules


def _lib_name(ctx: AnalysisContext, package: str) -> str:
    for pkg in ctx.workspace.packages:
        if pkg.name == package:
            for target in pkg.targets:
                if target.kind == "lib":
                    return target.name.replace("-", "_")
    return package.replace("-", "_")
