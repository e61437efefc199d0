"""All rules of a run: built-in Python rules, TOML rules, third-party plugins, a team's rule dirs."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path

from rust_triage.engine.model import RuleMeta
from rust_triage.engine.rule import QueryRule, Rule
from rust_triage.errors import UsageError
from rust_triage.parse.queries import QuerySpec

ENTRY_POINT_GROUP = "rust_triage.rules"
BUILTIN_RULE_DIR = Path(__file__).resolve().parent.parent / "builtin_rules"


@dataclass
class Registry:
    rules: list[Rule] = field(default_factory=list)

    def by_id(self) -> dict[str, Rule]:
        return {r.meta.id: r for r in self.rules}

    def query_specs(self, selected: set[str] | None = None) -> tuple[QuerySpec, ...]:
        return tuple(
            QuerySpec(r.meta.id, r.query)
            for r in self.rules
            if isinstance(r, QueryRule) and (selected is None or r.meta.id in selected)
        )

    def by_name(self) -> dict[str, Rule]:
        return {r.meta.name: r for r in self.rules}

    def lookup(self, token: str) -> Rule | None:
        """The rule with this id (any case) or name, e.g. `RT001`, `rt001` or `unwrap-used`."""
        token = token.strip()
        return self.by_id().get(token.upper()) or self.by_id().get(token) or self.by_name().get(token)

    def add(self, rule: Rule) -> None:
        existing = self.by_id().get(rule.meta.id)
        if existing is not None:
            raise UsageError(
                f"rule id {rule.meta.id} is defined twice ({existing.meta.source} and {rule.meta.source})"
            )
        self.rules.append(rule)


def builtin_python_rules() -> list[Rule]:
    package = importlib.import_module("rust_triage.rules")
    rules: list[Rule] = []
    for mod in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{mod.name}")
        for value in getattr(module, "RULES", ()):
            rules.append(value)
    return rules


def plugin_rules() -> list[Rule]:
    from importlib.metadata import entry_points

    rules: list[Rule] = []
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            loaded = ep.load()
        except Exception as exc:
            raise UsageError(f"cannot load rule plugin {ep.name!r} ({ep.value}): {exc}") from exc
        items = loaded() if callable(loaded) and not isinstance(loaded, type) else loaded
        if isinstance(items, type):
            items = [items()]
        if isinstance(items, Rule):
            items = [items]
        try:
            candidates = list(items)
        except TypeError:
            candidates = [items]
        for rule in candidates:
            if isinstance(rule, type) and issubclass(rule, Rule):
                rule = rule()
            if not isinstance(rule, Rule) or not isinstance(getattr(rule, "meta", None), RuleMeta):
                raise UsageError(
                    f"rule plugin {ep.name!r} ({ep.value}) must provide Rule instances with a RuleMeta `meta`, "
                    f"got {type(rule).__name__}"
                )
            rule.meta.source = "plugin"
            rules.append(rule)
    return rules


_LOADED: dict[tuple[tuple[str, ...], bool], Registry] = {}


def load_registry(extra_rule_dirs: list[Path] | None = None, *, plugins: bool = True) -> Registry:
    """All rules; loaded once per process for the same rule dirs (config and run share it)."""
    key = (tuple(str(Path(d).resolve()) for d in extra_rule_dirs or []), plugins)
    if key not in _LOADED:
        _LOADED[key] = _load_registry(extra_rule_dirs, plugins=plugins)
    return _LOADED[key]


def _load_registry(extra_rule_dirs: list[Path] | None, *, plugins: bool) -> Registry:
    from rust_triage.engine.toml_rules import load_rule_dir

    registry = Registry()
    for tr in load_rule_dir(BUILTIN_RULE_DIR, "toml", builtin=True):
        registry.add(tr.rule)
    for rule in builtin_python_rules():
        registry.add(rule)
    if plugins:
        for rule in plugin_rules():
            registry.add(rule)
    for directory in extra_rule_dirs or []:
        for tr in load_rule_dir(directory, "toml"):
            registry.add(tr.rule)
    registry.rules.sort(key=lambda r: r.meta.id)
    from rust_triage.engine.risk import declare_risk_options

    declare_risk_options([r.meta for r in registry.rules])
    return registry
