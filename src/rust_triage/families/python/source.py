"""A parsed Python file as rules see it: path, facts, dotted module name, test status."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rust_triage.families.python.facts import PyFacts
from rust_triage.parse.source import LazyLines

_TEST_DIRS = frozenset({"tests", "test", "testing"})


@dataclass(slots=True)
class PySourceFile(LazyLines):
    path: Path
    rel: str  # relative to the workspace root
    facts: PyFacts
    module: str = ""  # dotted module name ("svc.app"; "svc" for svc/__init__.py)
    is_package: bool = False  # an __init__.py
    in_test: bool = False  # test code: tests/ directories, test_*.py, *_test.py, conftest.py
    language: str = "python"
    _lines: list[str] | None = None

    def symbol(self, def_index: int) -> str:
        inner = self.facts.qualname(def_index) if def_index >= 0 else ""
        return f"{self.module}.{inner}" if inner and self.module else inner or self.module


def module_name(path: Path, root: Path) -> tuple[str, bool]:
    """Dotted module name from the enclosing packages (directories with __init__.py) below `root`."""
    is_package = path.name == "__init__.py"
    parts: list[str] = [] if is_package else [path.stem]
    directory = path.parent
    while (directory / "__init__.py").is_file():
        parts.append(directory.name)
        if directory == root or directory.parent == directory:
            break
        directory = directory.parent
    if not parts:  # a top-level __init__.py outside any package
        parts = [path.parent.name]
    return ".".join(reversed(parts)), is_package


def is_test_path(rel: str) -> bool:
    parts = rel.split("/")
    name = parts[-1]
    if name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py"):
        return True
    return any(p in _TEST_DIRS for p in parts[:-1])
