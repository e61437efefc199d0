"""The plugin API: a family of rules and what it adds to a run.

Built-in families and third-party packages register the same way, through the `rust_triage.rules`
entry-point group (see ARCHITECTURE.md). An entry point may name a `Family`, a `Rule`, a `Rule`
subclass, a list of them, or a callable returning any of these. Per-file extractors (facts computed in
the parse workers) register separately, in the `rust_triage.extractors` group, because the parse layer
loads them inside worker processes without importing the rules.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from rust_triage.engine.model import Finding, RuleMeta
from rust_triage.engine.rule import Rule

if TYPE_CHECKING:
    import networkx

    from rust_triage.engine.context import AnalysisContext


class RunSettings(msgspec.Struct, frozen=True):
    """What a family's `prepare` hook may use besides the context."""

    cache_dir: Path | None
    jobs: int


PrepareHook = Callable[["AnalysisContext", RunSettings], None]
GraphHook = Callable[["networkx.MultiDiGraph", "AnalysisContext"], None]
AfterRulesHook = Callable[["AnalysisContext", list[Finding], Mapping[str, RuleMeta]], list[Finding]]
# (merged context, [(one workspace's context, its path prefix under the merged root)])
MergeHook = Callable[["AnalysisContext", list[tuple["AnalysisContext", str]]], None]


@dataclass(frozen=True)
class Family:
    """One rule family: its rules, plus optional hooks into a run.

    `rules_package` names a package holding one rule per module (each module exports `RULES`; modules
    whose name starts with `_` are not rules) and the family's declarative rules as `*.toml` files.
    `prepare` runs once per analysis before the rules (e.g. to parse another language's files into
    typed per-run state); `graph_hook` adds nodes and
    edges to the symbol graph when it is built; `after_rules(ctx, findings, rules)` refines the
    findings of all rules once they ran (the risk family ranks panic and blocking findings);
    `merge` carries the family's per-run state of several workspaces' contexts into their merged
    context (paths re-rooted under the common parent), so the merged graph holds what a single run's does.
    """

    name: str
    rules_package: str = ""
    rules: tuple[Rule, ...] = ()
    prepare: PrepareHook | None = None
    graph_hook: GraphHook | None = None
    after_rules: AfterRulesHook | None = None
    merge: MergeHook | None = None
    doc: str = ""

    def python_rules(self) -> list[Rule]:
        found: list[Rule] = list(self.rules)
        if self.rules_package:
            for name in rule_modules(self.rules_package):
                found.extend(getattr(importlib.import_module(name), "RULES", ()))
        return found

    def toml_files(self) -> list[Path]:
        if not self.rules_package:
            return []
        package = importlib.import_module(self.rules_package)
        folders = [Path(p) for p in getattr(package, "__path__", [])]
        if folders and all(f.is_dir() for f in folders):  # on disk: read the folders (no importlib.resources)
            return sorted(p for f in folders for p in f.iterdir() if p.name.endswith(".toml"))
        from importlib import resources

        root = resources.files(self.rules_package)
        return sorted(Path(str(p)) for p in root.iterdir() if p.name.endswith(".toml"))


def rule_modules(rules_package: str) -> list[str]:
    """The rule modules of a rules package, sorted: every module but private ones (a leading `_`, such as
    the generated `_index` of a built-in family's rules' metadata)."""
    package = importlib.import_module(rules_package)
    names = sorted(m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_"))
    return [f"{package.__name__}.{name}" for name in names]


class Contributions(msgspec.Struct):
    """Everything the entry points provided: families (built-in first) and loose plugin rules."""

    families: list[Family] = msgspec.field(default_factory=list)
    plugin_rules: list[Rule] = msgspec.field(default_factory=list)


def as_rules(value: Any) -> list[Any]:
    """Normalise an entry point's value (a rule, a rule class, a list, a callable) to a list."""
    items = value() if callable(value) and not isinstance(value, type) else value
    if isinstance(items, type):
        items = [items()]
    if isinstance(items, (Rule, Family)):
        items = [items]
    try:
        candidates = list(items)
    except TypeError:
        candidates = [items]
    return [c() if isinstance(c, type) and issubclass(c, Rule) else c for c in candidates]
