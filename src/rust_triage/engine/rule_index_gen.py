"""Generate each built-in family's rule index, the metadata of its Python rules, by importing every rule.

The index of a family is the module `_index` of its rules package (`families/<family>/rules/_index.py`):
the family's data stays in the family, and the engine only reads it (`indexed_rule.family_index`).

    python -m rust_triage.engine.rule_index_gen          # rewrite the indexes in this checkout
    python -m rust_triage.engine.rule_index_gen --check  # exit 1 when one is stale

`rust-triage docs` regenerates them too; `tests/test_rule_index.py` fails while one is stale.
"""

from __future__ import annotations

import argparse
import dataclasses
import enum
import sys
from pathlib import Path
from typing import Any

from rust_triage.engine.indexed_rule import INDEX_MODULE, IndexEntry
from rust_triage.engine.model import RuleMeta
from rust_triage.engine.rule import Rule

# the directory holding the `rust_triage` package: an index's path follows its rules package's name
SOURCE_ROOT = Path(__file__).resolve().parents[2]

_HEADER = '''"""The {family} family's Python rules' metadata, generated: do not edit.

Regenerate with `python -m rust_triage.engine.rule_index_gen` (or `rust-triage docs`) after adding a
rule to this package or changing a rule's metadata; tests/test_rule_index.py fails while this file is stale.
Not a rule module: rule discovery skips modules whose name starts with `_`.
"""

# ruff: noqa: E501
{imports}
# this package's Python rules, in module order
ENTRIES: tuple[IndexEntry, ...] = ({body})
'''


@dataclasses.dataclass(frozen=True)
class FamilyIndex:
    """One built-in family's generated index: where it goes and what it says."""

    family: str
    rules_package: str
    entries: tuple[IndexEntry, ...]

    def path(self, source_root: Path = SOURCE_ROOT) -> Path:
        return source_root.joinpath(*self.rules_package.split("."), f"{INDEX_MODULE}.py")

    def text(self) -> str:
        return render_index(self.family, self.entries)


def builtin_indexes() -> list[FamilyIndex]:
    """Every built-in family's Python rules, imported (the source of truth the indexes are made from)."""
    from rust_triage.engine.registry import load_contributions

    found: list[FamilyIndex] = []
    for family in load_contributions(plugins=False).families:
        if not family.rules_package.startswith("rust_triage."):
            continue
        entries = tuple(_entry(rule) for rule in family.python_rules()
                        if rule not in family.rules)  # given directly, not from the rules package
        found.append(FamilyIndex(family.name, family.rules_package, entries))
    return found


def _entry(rule: Rule) -> IndexEntry:
    from rust_triage.engine.risk import declare_risk_options

    meta = dataclasses.replace(rule.meta)
    declare_risk_options([meta])  # as a loaded registry has it, whether or not one was loaded before
    return IndexEntry(
        module=type(rule).__module__,
        qualname=type(rule).__qualname__,
        scope=getattr(rule, "scope", "workspace"),
        checks_suppressions=hasattr(rule, "check_suppressions"),
        meta=meta,
    )


def render_index(family: str, entries: tuple[IndexEntry, ...]) -> str:
    names: set[tuple[str, str]] = {(IndexEntry.__module__, IndexEntry.__name__)}  # what the body refers to
    body = "".join(f"\n    {_render_entry(entry, names)}," for entry in entries)
    modules: dict[str, list[str]] = {}
    for module, name in names:
        modules.setdefault(module, []).append(name)
    imports = "".join(f"from {module} import {', '.join(sorted(modules[module]))}\n" for module in sorted(modules))
    return _HEADER.format(family=family, imports=imports, body=body + "\n" if body else "")


def _render_entry(entry: IndexEntry, names: set[tuple[str, str]]) -> str:
    head = (f"module={entry.module!r}, qualname={entry.qualname!r}, scope={entry.scope!r}, "
            f"checks_suppressions={entry.checks_suppressions!r},")
    pad = " " * 8
    meta = _render_meta(entry.meta, entry.module, pad, names)
    return f"IndexEntry(\n{pad}{head}\n{pad}meta={meta},\n{' ' * 4})"


def _render_meta(meta: RuleMeta, module: str, pad: str, names: set[tuple[str, str]]) -> str:
    """One field a line (readable diffs); RuleDocs likewise, one level deeper."""
    inner = pad + "    "
    lines = []
    for f in dataclasses.fields(meta):
        value = getattr(meta, f.name)
        if f.name == "summary_note":
            if value is not None:
                names.add((IndexEntry.__module__, "SummaryNote"))
                lines.append(f"{inner}summary_note=SummaryNote({module!r}, {meta.id!r}),")
            continue
        if _is_default(f, value):
            continue
        if f.name == "docs":
            docs = [f"{inner}    {d.name}={_render(getattr(value, d.name), names)}," for d in dataclasses.fields(value)
                    if not _is_default(d, getattr(value, d.name))]
            names.add((type(value).__module__, type(value).__name__))
            lines.append(f"{inner}docs={type(value).__name__}(\n" + "\n".join(docs) + f"\n{inner}),")
            continue
        lines.append(f"{inner}{f.name}={_render(value, names)},")
    names.add((type(meta).__module__, type(meta).__name__))
    return f"{type(meta).__name__}(\n" + "\n".join(lines) + f"\n{pad})"


def _is_default(f: dataclasses.Field[Any], value: Any) -> bool:
    if f.default is not dataclasses.MISSING:
        return bool(value == f.default and type(value) is type(f.default))
    if f.default_factory is not dataclasses.MISSING:
        return bool(value == f.default_factory())
    return False


def _render(value: Any, names: set[tuple[str, str]]) -> str:
    """Python source that rebuilds `value` (metadata: dataclasses, enums, tuples, lists, literals); the
    classes it names are added to `names` as (module, name)."""
    if isinstance(value, enum.Enum):
        names.add((type(value).__module__, type(value).__name__))
        return f"{type(value).__name__}.{value.name}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names.add((type(value).__module__, type(value).__name__))
        parts = [f"{f.name}={_render(getattr(value, f.name), names)}" for f in dataclasses.fields(value)
                 if f.init and not _is_default(f, getattr(value, f.name))]
        return f"{type(value).__name__}({', '.join(parts)})"
    if isinstance(value, tuple):
        inner = ", ".join(_render(v, names) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return f"[{', '.join(_render(v, names) for v in value)}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_render(k, names)}: {_render(v, names)}" for k, v in value.items()) + "}"
    if value is None or isinstance(value, (str, int, float, bool)):
        return repr(value)
    raise TypeError(f"rule metadata value {value!r} of type {type(value).__name__} cannot be indexed")


def stale_indexes(source_root: Path = SOURCE_ROOT) -> list[Path]:
    """The indexes under `source_root` that differ from what the rule modules say (or are missing)."""
    stale = []
    for index in builtin_indexes():
        path = index.path(source_root)
        if not path.is_file() or path.read_text(encoding="utf-8") != index.text():
            stale.append(path)
    return stale


def write_indexes(source_root: Path = SOURCE_ROOT) -> list[Path]:
    """Rewrite every built-in family's index under `source_root`; the paths that changed."""
    from rust_triage.atomic import write_atomic

    changed = []
    for index in builtin_indexes():
        path, text = index.path(source_root), index.text()
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            continue
        write_atomic(path, text.encode("utf-8"))
        changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rust_triage.engine.rule_index_gen", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 when an index is stale, write nothing")
    parser.add_argument("--source-root", type=Path, default=SOURCE_ROOT,
                        help="the directory holding the rust_triage package whose indexes to check or write "
                        f"(default {SOURCE_ROOT})")
    args = parser.parse_args(argv)
    root: Path = args.source_root
    if args.check:
        stale = stale_indexes(root)
        for path in stale:
            print(f"{path}: stale")
        if not stale:
            print(f"the rule indexes under {root} are current")
        return 1 if stale else 0
    changed = write_indexes(root)
    for path in changed:
        print(f"wrote {path}")
    if not changed:
        print(f"unchanged: the rule indexes under {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
