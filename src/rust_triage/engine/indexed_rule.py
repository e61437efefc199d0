"""Built-in Python rules known from their family's generated rule index.

Each built-in family's rules package holds a generated module `_index` (`families/<family>/rules/_index.py`,
not a rule module: rule discovery skips modules whose name starts with `_`) whose `ENTRIES` give each of
the family's Python rules' metadata, scope and origin, so a run lists, selects, keys and reports rules
without importing their modules. An `IndexedRule` imports its module only when the rule
runs (`check`, `file_key`, `check_suppressions`) or a summary note is rendered; a one-file run that
reuses every workspace rule's findings imports only the file-local rules it executes.

Regenerate the indexes with `rust-triage docs` (or `python -m rust_triage.engine.rule_index_gen`);
`tests/test_rule_index.py` fails while one is stale, and a rule whose imported metadata differs from its
index entry stops the run with exit status 2 instead of reporting under the wrong metadata.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from rust_triage.engine.model import Finding, RuleMeta
from rust_triage.engine.rule import Rule
from rust_triage.errors import UsageError

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext, SourceFile

REGENERATE = "python -m rust_triage.engine.rule_index_gen"
INDEX_MODULE = "_index"  # in a rules package: the generated index of its Python rules


@dataclass(frozen=True)
class IndexEntry:
    """One built-in Python rule as the index records it (metadata as its module defines it)."""

    module: str  # e.g. rust_triage.families.debt.rules.rt202_todo_comment
    qualname: str  # the rule's class in that module
    scope: str  # Rule.scope: "file", "workspace", "workspace-by-file" or "workspace-shape"
    checks_suppressions: bool  # defines check_suppressions (reports on allow comments, RT090)
    meta: RuleMeta


def family_index(rules_package: str) -> tuple[IndexEntry, ...] | None:
    """The `ENTRIES` of `<rules_package>._index`; None when the package has no readable index (a plugin
    family, a broken generated file: the family's rules are then imported, slower but still right)."""
    try:
        module = importlib.import_module(f"{rules_package}.{INDEX_MODULE}")
    except Exception:  # noqa: BLE001 -- ImportError, or a generated file that no longer runs
        return None
    entries = getattr(module, "ENTRIES", None)
    if not isinstance(entries, tuple) or not all(isinstance(e, IndexEntry) for e in entries):
        return None
    return entries


def rule_origin(rule: Rule) -> tuple[str, str]:
    """(module, class qualname) of the code behind `rule`, without importing an indexed rule's module."""
    if isinstance(rule, IndexedRule):
        return rule.entry.module, rule.entry.qualname
    return type(rule).__module__, type(rule).__qualname__


def load_indexed(entry: IndexEntry, meta: RuleMeta) -> Rule:
    """Import the rule `entry` names; its metadata must be what the index says (`meta` is the registry's)."""
    module = importlib.import_module(entry.module)
    found = next((r for r in getattr(module, "RULES", ()) if isinstance(r, Rule) and r.meta.id == entry.meta.id), None)
    if found is None or type(found).__qualname__ != entry.qualname:
        raise UsageError(f"the rule index is stale: {entry.module} no longer defines {entry.meta.id} "
                         f"as {entry.qualname} (run `{REGENERATE}`)")
    from rust_triage.engine.risk import declare_risk_options

    declare_risk_options([found.meta])  # as the registry did to the indexed metadata (idempotent)
    if found.meta != meta or getattr(found, "scope", "workspace") != entry.scope:
        raise UsageError(f"the rule index is stale: {entry.meta.id}'s metadata in {entry.module} changed "
                         f"(run `{REGENERATE}`)")
    return found


class IndexedRule(Rule):
    """A built-in Python rule whose module is imported when the rule first runs."""

    def __init__(self, entry: IndexEntry) -> None:
        self.entry = entry
        # the registry's own copy: declare_risk_options adds options to it, the index stays as generated
        self.meta = replace(entry.meta)  # type: ignore[misc]
        self.scope = entry.scope  # type: ignore[misc]
        self._loaded: Rule | None = None

    def loaded(self) -> Rule:
        if self._loaded is None:
            self._loaded = load_indexed(self.entry, self.meta)
        return self._loaded

    def file_key(self, ctx: AnalysisContext, src: SourceFile) -> str:
        return self.loaded().file_key(ctx, src)

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        return self.loaded().check(ctx)

    def check_files(self, ctx: AnalysisContext, files: Iterable[SourceFile]) -> Iterable[Finding]:
        return self.loaded().check_files(ctx, files)

    def __repr__(self) -> str:
        return f"IndexedRule({self.entry.meta.id}, {self.entry.module}.{self.entry.qualname})"


class IndexedSuppressionRule(IndexedRule):
    """An indexed rule that reports on the allow comments themselves (see engine/suppress.py)."""

    def check_suppressions(self, ctx: AnalysisContext, *args: Any) -> Iterable[Finding]:
        return self.loaded().check_suppressions(ctx, *args)  # type: ignore[attr-defined, no-any-return]


def indexed_rule(entry: IndexEntry) -> IndexedRule:
    return IndexedSuppressionRule(entry) if entry.checks_suppressions else IndexedRule(entry)


class SummaryNote:
    """A rule's `summary_note`, imported from the rule's module when a report first renders it."""

    def __init__(self, module: str, rule_id: str) -> None:
        self.module = module
        self.rule_id = rule_id

    def __call__(self, findings: list[Finding]) -> str:
        module = importlib.import_module(self.module)
        rule = next(r for r in module.RULES if r.meta.id == self.rule_id)
        note = rule.meta.summary_note
        if note is None:
            raise UsageError(f"the rule index is stale: {self.rule_id} has no summary note (run `{REGENERATE}`)")
        return str(note(findings))

    def __repr__(self) -> str:
        return f"SummaryNote({self.module!r}, {self.rule_id!r})"
