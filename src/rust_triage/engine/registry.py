"""All rules of a run: built-in Python rules, TOML rules, third-party plugins, a team's rule dirs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from rust_triage.engine.family import Contributions, Family, as_rules, rule_modules
from rust_triage.engine.model import RuleMeta
from rust_triage.engine.rule import QueryRule, Rule
from rust_triage.errors import UsageError
from rust_triage.parse.dists import EntryPoint, normalized
from rust_triage.parse.queries import QuerySpec

if TYPE_CHECKING:
    from rust_triage.engine.indexed_rule import IndexEntry

ENTRY_POINT_GROUP = "rust_triage.rules"


class Registry(msgspec.Struct):
    rules: list[Rule] = msgspec.field(default_factory=list)
    families: list[Family] = msgspec.field(default_factory=list)

    def by_id(self) -> dict[str, Rule]:
        return {r.meta.id: r for r in self.rules}

    def query_specs(self, selected: set[str] | None = None) -> tuple[QuerySpec, ...]:
        return tuple(
            QuerySpec(r.meta.id, r.query)
            for r in self.rules
            if isinstance(r, QueryRule) and (selected is None or r.meta.id in selected)
        )

    def metas(self) -> dict[str, RuleMeta]:
        """Rule id -> metadata: what the plan and the reporters read instead of matching ids or names."""
        return {r.meta.id: r.meta for r in self.rules}

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


BUILTIN_DISTRIBUTION = "rust-triage"


def load_contributions(*, plugins: bool = True) -> Contributions:
    """Families and rules from the `rust_triage.rules` entry points: this package's own families
    first (they register exactly as third-party plugins do), then, with `plugins`, everyone else's."""
    from rust_triage.parse.dists import entry_points

    found = Contributions()
    eps = sorted(entry_points(ENTRY_POINT_GROUP), key=lambda e: (not _is_builtin(e), e.name))
    if not any(_is_builtin(ep) for ep in eps):
        raise UsageError("rust-triage's built-in rule families are not registered: reinstall the package "
                         "(`pip install -e .` after changing entry points)")
    for ep in eps:
        builtin = _is_builtin(ep)
        if not builtin and not plugins:
            continue
        try:
            loaded = ep.load()
        except Exception as exc:
            raise UsageError(f"cannot load rule plugin {ep.name!r} ({ep.value}): {exc}") from exc
        for item in as_rules(loaded):
            if isinstance(item, Family):
                found.families.append(item)
                continue
            if not isinstance(item, Rule) or not isinstance(getattr(item, "meta", None), RuleMeta):
                raise UsageError(
                    f"rule plugin {ep.name!r} ({ep.value}) must provide Rule instances with a RuleMeta `meta` "
                    f"or a Family, got {type(item).__name__}"
                )
            item.meta.source = "builtin" if builtin else "plugin"
            found.plugin_rules.append(item)
    return found


def _is_builtin(ep: EntryPoint) -> bool:
    """Whether the entry point comes from this package."""
    return ep.dist_name == normalized(BUILTIN_DISTRIBUTION)


_LOADED: dict[tuple[tuple[str, ...], bool, bool], Registry] = {}


def load_registry(extra_rule_dirs: list[Path] | None = None, *, plugins: bool = True,
                  indexed: bool = True) -> Registry:
    """All rules; loaded once per process for the same rule dirs (config and run share it).

    With `indexed`, the built-in Python rules come from their family's generated rule index (the
    `_index` module of its rules package): their modules are imported only when they run. Without,
    every rule module is imported (what the indexes are generated from)."""
    key = (tuple(str(Path(d).resolve()) for d in extra_rule_dirs or []), plugins, indexed)
    if key not in _LOADED:
        _LOADED[key] = _load_registry(extra_rule_dirs, plugins=plugins, indexed=indexed)
    return _LOADED[key]


def _load_registry(extra_rule_dirs: list[Path] | None, *, plugins: bool, indexed: bool) -> Registry:
    from rust_triage.engine.indexed_rule import family_index
    from rust_triage.engine.toml_rules import load_rule_dir, load_rule_file

    registry = Registry()
    found = load_contributions(plugins=plugins)
    for family in found.families:
        registry.families.append(family)
        shipped = family.rules_package.startswith("rust_triage.")  # queries compiled by the test suite
        for path in family.toml_files():
            for tr in load_rule_file(path, "toml", builtin=True, shipped=shipped):
                registry.add(tr.rule)
        entries = family_index(family.rules_package) if indexed and shipped and family.rules_package else None
        for rule in python_rules(family, entries):
            registry.add(rule)
    for rule in found.plugin_rules:
        registry.add(rule)
    for directory in extra_rule_dirs or []:
        for tr in load_rule_dir(directory, "toml"):
            registry.add(tr.rule)
    registry.rules.sort(key=lambda r: r.meta.id)
    from rust_triage.engine.risk import declare_risk_options

    declare_risk_options([r.meta for r in registry.rules])
    return registry


def python_rules(family: Family, entries: tuple[IndexEntry, ...] | None) -> list[Rule]:
    """The family's Python rules: from its index entries when they name exactly the modules of its rules
    package (nothing imported until a rule runs), else imported (a rule added since the index was made)."""
    if entries is None or not family.rules_package:
        return family.python_rules()
    if set(rule_modules(family.rules_package)) != {e.module for e in entries}:
        return family.python_rules()
    from rust_triage.engine.indexed_rule import indexed_rule

    return [*family.rules, *(indexed_rule(e) for e in entries)]


def builtin_toml_files() -> list[Path]:
    """The declarative rule files of the built-in families (`families/<family>/rules/*.toml`)."""
    return [path for family in load_contributions(plugins=False).families for path in family.toml_files()]
