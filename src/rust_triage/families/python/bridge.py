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
_MODULE = re.compile(r'\bmodule\s*=\s*"([^"]+)"')


@dataclass(eq=False)
class RustExport:
    """One Rust item Python can call: a #[pyfunction], a #[pymethods] method or a #[pyclass]."""

    src: SourceFile
    item: int
    py_name: str
    kind: str  # "function" | "method" | "constructor" | "class"
    owner: str = ""  # Python class name for methods and constructors
    module: str = ""  # `#[pyclass(module = "...")]`: the module Python shows the class in

    @property
    def label(self) -> str:
        return f"{self.owner}.{self.py_name}" if self.owner and self.kind != "class" else self.py_name

    def python_name(self, module: str) -> str:
        """Dotted name as Python shows it, `module` being the extension module it is exported from."""
        return f"{self.module or module}.{self.label}"

    @property
    def rust_item(self) -> Item:
        return self.src.facts.items[self.item]


@dataclass(eq=False)
class ExtClass:
    name: str
    export: RustExport
    methods: dict[str, RustExport] = field(default_factory=dict)
    constructor: RustExport | None = None
    pymodule: str = ""  # the `#[pymodule] mod` path the #[pyclass] is declared in ("" outside one)


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
    """Extension modules by Python name: a `#[pymodule] mod` nested in another is `outer.sub`."""
    functions: dict[str, list[tuple[str, RustExport]]] = {}  # package -> (pymodule path, export)
    classes: dict[str, dict[str, ExtClass]] = {}  # package -> rust type name -> class
    module_defs: dict[str, list[tuple[str, SourceFile, int, bool]]] = {}  # (name, file, item, is root)
    methods: list[tuple[str, str, RustExport]] = []  # (package, rust type, export)
    for src in ctx.files:
        if src.in_test_target or not src.modules:
            continue  # test code, and files no target compiles (orphans) are not importable
        items = src.facts.items
        for item in items:
            if item.in_test or not item.attrs:
                continue
            if item.kind in ("fn", "mod") and _has(item.attrs, _PYMODULE):
                outer = _pymodule_path(items, item.parent)
                name = _py_name(item.attrs, item.name)
                full = f"{outer}.{name}" if outer and item.kind == "mod" else name
                module_defs.setdefault(src.package, []).append((full, src, item.index, not outer))
            elif item.kind == "fn" and _has(item.attrs, _PYFUNCTION):
                export = RustExport(src, item.index, _py_name(item.attrs, item.name), "function")
                functions.setdefault(src.package, []).append((_pymodule_path(items, item.parent), export))
            elif item.kind in ("struct", "enum") and _has(item.attrs, _PYCLASS):
                name = _py_name(item.attrs, item.name)
                cls = ExtClass(name, RustExport(src, item.index, name, "class", module=_class_module(item.attrs)),
                               pymodule=_pymodule_path(items, item.parent))
                classes.setdefault(src.package, {})[item.name] = cls
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
        export.module = cls.export.module
        if export.kind == "constructor":
            cls.constructor = export
        else:
            cls.methods[export.py_name] = export
    modules: dict[str, ExtModule] = {}
    packages = set(functions) | set(classes) | set(module_defs)
    for package in sorted(packages):
        defs: list[tuple[str, SourceFile | None, int, bool]] = list(module_defs.get(package) or [])
        if not defs and package:
            defs = [(_lib_name(ctx, package), None, -1, True)]
        roots = [name for name, _src, _index, is_root in defs if is_root]
        for name, src, index, _root in defs:
            modules.setdefault(name, ExtModule(name, package, (src, index) if src is not None else None))
        for path, export in functions.get(package, []):
            for name in _homes(path, modules, roots):
                modules[name].functions.setdefault(export.py_name, export)
        for cls in classes.get(package, {}).values():
            for name in _homes(cls.pymodule, modules, roots):
                modules[name].classes.setdefault(cls.name, cls)
    return modules


def _homes(path: str, modules: dict[str, ExtModule], roots: list[str]) -> list[str]:
    """The modules an item is exported from: its own `#[pymodule] mod`, else the crate's root modules."""
    if path:
        for name in modules:
            if name == path or name.endswith("." + path):
                return [name]
    return roots


def _pymodule_path(items: list[Item], parent: int) -> str:
    """Dotted Python path of the `#[pymodule] mod` items enclosing an item ("" when none)."""
    names: list[str] = []
    while parent >= 0:
        item = items[parent]
        if item.kind == "mod" and _has(item.attrs, _PYMODULE):
            names.append(_py_name(item.attrs, item.name))
        parent = item.parent
    return ".".join(reversed(names))


def _class_module(attrs: list[str]) -> str:
    """`#[pyclass(module = "pkg.sub")]`: the module Python shows the class in."""
    for a in attrs:
        if _PYCLASS.match(a) or a.startswith("pyo3"):
            m = _MODULE.search(a)
            if m:
                return m.group(1)
    return ""


def _lib_name(ctx: AnalysisContext, package: str) -> str:
    for pkg in ctx.workspace.packages:
        if pkg.name == package:
            for target in pkg.targets:
                if target.kind == "lib":
                    return target.name.replace("-", "_")
    return package.replace("-", "_")
