"""Generate `engine/rule_index.py`, the metadata of the built-in Python rules, by importing every rule.

    python -m rust_triage.engine.rule_index_gen          # rewrite the index in this checkout
    python -m rust_triage.engine.rule_index_gen --check  # exit 1 when it is stale

`rust-triage docs` regenerates it too; `tests/test_rule_index.py` fails while it is stale.
"""

from __future__ import annotations

import argparse
import dataclasses
import enum
import sys
from pathlib import Path
from typing import Any

from rust_triage.engine.indexed_rule import IndexEntry
from rust_triage.engine.model import RuleMeta
from rust_triage.engine.rule import Rule

INDEX_PATH = Path(__file__).with_name("rule_index.py")

_HEADER = '''"""The built-in Python rules' metadata, generated: do not edit.

Regenerate with `python -m rust_triage.engine.rule_index_gen` (or `rust-triage docs`) after adding a
rule or changing its metadata; tests/test_rule_index.py fails while this file is stale.
"""

# ruff: noqa: E501
from rust_triage.engine.indexed_rule import IndexEntry, SummaryNote
from rust_triage.engine.model import RuleDocs, RuleMeta, RuleOption, SizedEffort
from rust_triage.engine.taxonomy import RiskKind

# rules package -> its Python rules, in module order
INDEX: dict[str, tuple[IndexEntry, ...]] = {
'''


def builtin_rule_entries() -> dict[str, list[IndexEntry]]:
    """Every built-in family's Python rules, imported (the source of truth the index is made from)."""
    from rust_triage.engine.registry import load_contributions

    found: dict[str, list[IndexEntry]] = {}
    for family in load_contributions(plugins=False).families:
        if not family.rules_package.startswith("rust_triage."):
            continue
        entries = found.setdefault(family.rules_package, [])
        for rule in family.python_rules():
            if rule in family.rules:
                continue  # given directly, not from the rules package
            entries.append(_entry(rule))
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


def render_index(entries: dict[str, list[IndexEntry]]) -> str:
    out = [_HEADER]
    for package in sorted(entries):
        out.append(f"    {package!r}: (\n")
        for entry in entries[package]:
            out.append(f"        {_render_entry(entry)},\n")
        out.append("    ),\n")
    out.append("}\n")
    return "".join(out)


def _render_entry(entry: IndexEntry) -> str:
    head = (f"module={entry.module!r}, qualname={entry.qualname!r}, scope={entry.scope!r}, "
            f"checks_suppressions={entry.checks_suppressions!r},")
    pad = " " * 12
    return f"IndexEntry(\n{pad}{head}\n{pad}meta={_render_meta(entry.meta, entry.module, pad)},\n{' ' * 8})"


def _render_meta(meta: RuleMeta, module: str, pad: str) -> str:
    """One field a line (readable diffs); RuleDocs likewise, one level deeper."""
    inner = pad + "    "
    lines = []
    for f in dataclasses.fields(meta):
        value = getattr(meta, f.name)
        if f.name == "summary_note":
            if value is not None:
                lines.append(f"{inner}summary_note=SummaryNote({module!r}, {meta.id!r}),")
            continue
        if _is_default(f, value):
            continue
        if f.name == "docs":
            docs = [f"{inner}    {d.name}={_render(getattr(value, d.name))}," for d in dataclasses.fields(value)
                    if not _is_default(d, getattr(value, d.name))]
            lines.append(f"{inner}docs=RuleDocs(\n" + "\n".join(docs) + f"\n{inner}),")
            continue
        lines.append(f"{inner}{f.name}={_render(value)},")
    return "RuleMeta(\n" + "\n".join(lines) + f"\n{pad})"


def _is_default(f: dataclasses.Field[Any], value: Any) -> bool:
    if f.default is not dataclasses.MISSING:
        return bool(value == f.default and type(value) is type(f.default))
    if f.default_factory is not dataclasses.MISSING:
        return bool(value == f.default_factory())
    return False


def _render(value: Any) -> str:
    """Python source that rebuilds `value` (metadata: dataclasses, enums, tuples, lists, literals)."""
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts = [f"{f.name}={_render(getattr(value, f.name))}" for f in dataclasses.fields(value)
                 if f.init and not _is_default(f, getattr(value, f.name))]
        return f"{type(value).__name__}({', '.join(parts)})"
    if isinstance(value, tuple):
        inner = ", ".join(_render(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return f"[{', '.join(_render(v) for v in value)}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_render(k)}: {_render(v)}" for k, v in value.items()) + "}"
    if value is None or isinstance(value, (str, int, float, bool)):
        return repr(value)
    raise TypeError(f"rule metadata value {value!r} of type {type(value).__name__} cannot be indexed")


def current_index_text() -> str:
    return render_index(builtin_rule_entries())


def write_index(path: Path = INDEX_PATH) -> bool:
    """Rewrite the index; True when it changed."""
    text = current_index_text()
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    from rust_triage.atomic import write_atomic

    write_atomic(path, text.encode("utf-8"))
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m rust_triage.engine.rule_index_gen", description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 when the index is stale, write nothing")
    args = parser.parse_args(argv)
    if args.check:
        stale = not INDEX_PATH.is_file() or INDEX_PATH.read_text(encoding="utf-8") != current_index_text()
        print(f"{INDEX_PATH}: {'stale' if stale else 'current'}")
        return 1 if stale else 0
    changed = write_index()
    print(f"{'wrote' if changed else 'unchanged:'} {INDEX_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
