"""Typed rule options: checked once when the configuration is loaded, read by rules through Config.option.

A misspelt key or a value of the wrong type (`oversized-file-lines = "many"`) stops the run before any
analysis with exit status 2, naming the file, the key and the value: never a silent default, never an
error half-way through a rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rust_triage.engine.model import OPTION_TYPES, RuleMeta, RuleOption


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _string_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


_CHECKS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "positive-int": ("a positive integer", _positive_int),
    "bool": ("true or false", lambda v: isinstance(v, bool)),
    "string": ("a non-empty string", lambda v: isinstance(v, str) and bool(v.strip())),
    "string-list": ("a list of non-empty strings", _string_list),
}
assert set(_CHECKS) == set(OPTION_TYPES)


def describe_type(type_name: str) -> str:
    return _CHECKS[type_name][0]


def coerce(option: RuleOption, value: Any) -> Any:
    """The value, checked against the option's type (one string is accepted as a one-item list)."""
    if option.type == "string-list" and isinstance(value, str):
        value = [value]
    expected, check = _CHECKS[option.type]
    if not check(value):
        raise ValueError(f"expected {expected}, got {value!r}")
    if option.choices and value not in option.choices:
        raise ValueError(f"expected one of {', '.join(map(repr, option.choices))}, got {value!r}")
    return [v.strip() for v in value] if option.type == "string-list" else value


def find_option(meta: RuleMeta, name: str) -> RuleOption | None:
    key = name.replace("_", "-")
    return next((o for o in meta.options if o.name == key), None)


def thresholds_of(metas: list[RuleMeta]) -> dict[str, RuleOption]:
    """Every `[thresholds]` key the rules declare, with the option it sets."""
    out: dict[str, RuleOption] = {}
    for meta in metas:
        for option in meta.options:
            if option.threshold:
                out.setdefault(option.threshold, option)
    return out


def option_value(meta: RuleMeta, name: str, rule_options: dict[str, dict[str, Any]],
                 thresholds: dict[str, Any]) -> Any:
    """The configured value of a declared option: `[rules.<id>]`, then `[thresholds]`, then the default."""
    option = find_option(meta, name)
    if option is None:
        raise KeyError(f"{meta.id} declares no option {name!r}")
    own = rule_options.get(meta.id, {})
    if option.name in own:
        return own[option.name]
    if option.threshold and option.threshold in thresholds:
        return thresholds[option.threshold]
    return option.default
