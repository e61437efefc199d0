"""Configuration loading: find the nearest configuration, validate it, let CLI flags win.

Where configuration comes from (the first found wins, nothing is merged):
1. `--config FILE` (a `rust-triage.toml`-style file, or a Cargo.toml whose metadata table is read);
2. walking up from the analysed path to the workspace root, in each directory:
   `rust-triage.toml`, then `.rust-triage.toml`, then `[package.metadata.rust-triage]` of the
   Cargo.toml there, then (at the workspace root) `[workspace.metadata.rust-triage]`;
3. built-in defaults.
clippy.toml / .clippy.toml at the workspace root is read as well (allow-*-in-tests keys).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import msgspec

from rust_triage.engine.config import Config, PathOverride
from rust_triage.engine.model import CONFIDENCES, SEVERITIES
from rust_triage.errors import UsageError
from rust_triage.workspace.model import Workspace
from rust_triage.workspace.safepath import PathRefused, parse_size, read_file

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_FILE_NAMES = ("rust-triage.toml", ".rust-triage.toml")
CLIPPY_FILE_NAMES = ("clippy.toml", ".clippy.toml")
METADATA_TABLE = "rust-triage"
# clippy.toml keys that allow a panic-family lint in test code.
CLIPPY_TEST_KEYS = ("allow-unwrap-in-tests", "allow-expect-in-tests", "allow-panic-in-tests",
                    "allow-indexing-slicing-in-tests", "allow-dbg-in-tests", "allow-print-in-tests")
_TOP_KEYS = ("select", "ignore", "severity", "fail-on", "include-tests", "min-confidence", "thresholds",
             "rule-dirs", "overrides", "rules", "max-file-size", "rule-time-budget", "include-dead-code",
             "non-production")
_OVERRIDE_KEYS = ("paths", "select", "ignore", "severity")


class ConfigSource(msgspec.Struct, frozen=True):
    path: Path  # the file the table was read from
    table: dict[str, Any]
    prefix: str = ""  # key prefix in error messages, e.g. "package.metadata.rust-triage."


def load_config(workspace: Workspace, options: Any) -> Config:
    """The effective configuration: the nearest config source, then CLI flags on top."""
    from rust_triage.engine.registry import load_registry

    source = find_config_source(workspace, options)
    config = Config()
    if source is not None:
        config = parse_config(source, workspace)
    registry = load_registry(config.rule_dirs)
    if source is not None:
        _check_rule_references(config, source, registry)
        _check_options(config, source, registry)
    config.clippy = read_clippy_toml(workspace.root)
    _apply_cli(config, options, registry)
    return config


# -- finding the source -------------------------------------------------------------------------
def find_config_source(workspace: Workspace, options: Any) -> ConfigSource | None:
    explicit = getattr(options, "config_file", None)
    if explicit is not None:
        return _explicit_source(Path(explicit))
    paths = getattr(options, "paths", None) or [Path(".")]
    start = Path(paths[0]).resolve()
    if start.is_file():
        start = start.parent
    root = workspace.root.resolve()
    package_meta = {pkg.manifest.parent.resolve(): pkg for pkg in workspace.packages}
    for directory in _walk_up(start, root):
        for name in CONFIG_FILE_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return ConfigSource(candidate, _read_toml(candidate))
        pkg = package_meta.get(directory)
        if pkg is not None and METADATA_TABLE in pkg.metadata:
            return _metadata_source(pkg.manifest, pkg.metadata[METADATA_TABLE], "package")
        if directory == root and workspace.manifest is not None and METADATA_TABLE in workspace.metadata:
            return _metadata_source(workspace.manifest, workspace.metadata[METADATA_TABLE], "workspace")
    return None


def _walk_up(start: Path, root: Path) -> list[Path]:
    """`start` and its parents up to `root` (just `root` when `start` lies outside it)."""
    if start != root and root not in start.parents:
        return [root]
    dirs = [start]
    while dirs[-1] != root:
        dirs.append(dirs[-1].parent)
    return dirs


def _explicit_source(path: Path) -> ConfigSource:
    if not path.is_file():
        raise UsageError(f"config file not found: {path}")
    data = _read_toml(path)
    if path.name != "Cargo.toml":
        return ConfigSource(path.resolve(), data)
    for section in ("package", "workspace"):
        meta = data.get(section, {}).get("metadata", {}) if isinstance(data.get(section), dict) else {}
        if isinstance(meta, dict) and METADATA_TABLE in meta:
            return _metadata_source(path.resolve(), meta[METADATA_TABLE], section)
    raise UsageError(f"{path}: no [package.metadata.{METADATA_TABLE}] or [workspace.metadata.{METADATA_TABLE}] table")


def _metadata_source(manifest: Path, table: Any, section: str) -> ConfigSource:
    prefix = f"{section}.metadata.{METADATA_TABLE}"
    if not isinstance(table, dict):
        raise UsageError(f"{manifest}: `{prefix}` must be a table")
    return ConfigSource(manifest.resolve(), table, prefix + ".")


CONFIG_MAX_BYTES = 1 << 20  # a real configuration is a few KiB; a larger one is refused, not ground through


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = tomllib.loads(read_file(path, (), CONFIG_MAX_BYTES).decode("utf-8"))
        return data
    except PathRefused as exc:  # a FIFO, a device, a file over 1 MiB: refused without blocking
        reason = "over the 1 MiB limit for configuration files" if exc.kind == "too-large" else str(exc)
        raise UsageError(f"{path}: cannot read configuration: {reason}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read configuration: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML: {exc}") from exc
    except RecursionError as exc:
        raise UsageError(f"{path}: invalid TOML: arrays or tables nested too deeply") from exc


# -- validating ---------------------------------------------------------------------------------
class _Reader:
    """Typed access to one table, raising UsageError with the file and the full key name."""

    def __init__(self, source: ConfigSource) -> None:
        self.source = source

    def fail(self, key: str, problem: str) -> UsageError:
        return UsageError(f"{self.source.path}: key `{self.source.prefix}{key}`: {problem}")

    def string_list(self, value: Any, key: str) -> list[str]:
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(key, "expected a list of non-empty strings")
        return [v.strip() for v in value]

    def choice(self, value: Any, key: str, allowed: tuple[str, ...]) -> str:
        if not isinstance(value, str) or value not in allowed:
            raise self.fail(key, f"expected one of {', '.join(allowed)}, got {value!r}")
        return value

    def table(self, value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, "expected a table")
        return value

    def severities(self, value: Any, key: str) -> dict[str, str]:
        return {rule: self.choice(level, f"{key}.{rule}", SEVERITIES) for rule, level in self.table(value, key).items()}


def parse_config(source: ConfigSource, workspace: Workspace) -> Config:
    """Validate a configuration table into a Config (rule names are checked later, with the registry)."""
    r = _Reader(source)
    table = {k.replace("_", "-"): v for k, v in source.table.items()}
    unknown = sorted(set(table) - set(_TOP_KEYS))
    if unknown:
        raise r.fail(unknown[0], f"unknown key (known keys: {', '.join(_TOP_KEYS)})")
    config = Config(source=source.path)
    if "select" in table:
        config.select = r.string_list(table["select"], "select")
    if "ignore" in table:
        config.ignore = r.string_list(table["ignore"], "ignore")
    if "severity" in table:
        config.severity = r.severities(table["severity"], "severity")
    if "fail-on" in table:
        config.fail_on = r.choice(table["fail-on"], "fail-on", (*SEVERITIES, "never"))
    if "include-tests" in table:
        if not isinstance(table["include-tests"], bool):
            raise r.fail("include-tests", "expected true or false")
        config.include_tests = table["include-tests"]
    if "include-dead-code" in table:
        if not isinstance(table["include-dead-code"], bool):
            raise r.fail("include-dead-code", "expected true or false")
        config.include_dead_code = table["include-dead-code"]
    if "non-production" in table:
        config.non_production = r.string_list(table["non-production"], "non-production")
    if "max-file-size" in table:
        size = parse_size(table["max-file-size"])
        if size is None:
            raise r.fail("max-file-size", "expected a positive size in bytes, e.g. 16777216 or \"16MiB\"")
        config.max_file_size = size
    if "min-confidence" in table:
        config.min_confidence = r.choice(table["min-confidence"], "min-confidence", CONFIDENCES)
    if "rule-time-budget" in table:
        budget = table["rule-time-budget"]
        if isinstance(budget, bool) or not isinstance(budget, (int, float)) or not 0 <= budget <= 86_400:
            raise r.fail("rule-time-budget", "expected a number of seconds (0 for no limit)")
        config.rule_time_budget = float(budget)
    for name, value in r.table(table.get("thresholds", {}), "thresholds").items():
        config.thresholds[name.replace("_", "-")] = value  # checked with the rules' declarations
    base = source.path.parent
    for i, entry in enumerate(r.string_list(table.get("rule-dirs", []), "rule-dirs")):
        directory = (base / entry).resolve()
        if not directory.is_dir():
            raise r.fail(f"rule-dirs[{i}]", f"directory not found: {directory}")
        config.rule_dirs.append(directory)
    config.overrides = _overrides(r, table.get("overrides", []), _anchor(base, workspace.root))
    for rule, options in r.table(table.get("rules", {}), "rules").items():
        options = dict(r.table(options, f"rules.{rule}"))
        if "severity" in options:
            config.severity[rule] = r.choice(options.pop("severity"), f"rules.{rule}.severity", SEVERITIES)
        config.rule_options[rule] = options
    return config


def _anchor(config_dir: Path, root: Path) -> str:
    """Where override globs are anchored, relative to the workspace root ("" at the root)."""
    try:
        rel = config_dir.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return ""
    return "" if rel == "." else rel


def _overrides(r: _Reader, value: Any, anchor: str) -> list[PathOverride]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise r.fail("overrides", "expected an array of tables ([[overrides]])")
    out: list[PathOverride] = []
    for i, entry in enumerate(value):
        key = f"overrides[{i}]"
        unknown = sorted(set(entry) - set(_OVERRIDE_KEYS))
        if unknown:
            raise r.fail(f"{key}.{unknown[0]}", f"unknown key (known keys: {', '.join(_OVERRIDE_KEYS)})")
        if "paths" not in entry:
            raise r.fail(f"{key}.paths", "missing: list the globs this override applies to")
        paths = [_anchored(p, anchor) for p in r.string_list(entry["paths"], f"{key}.paths")]
        out.append(
            PathOverride(
                paths=paths,
                select=r.string_list(entry.get("select", []), f"{key}.select"),
                ignore=r.string_list(entry.get("ignore", []), f"{key}.ignore"),
                severity=r.severities(entry.get("severity", {}), f"{key}.severity"),
            )
        )
    return out


def _anchored(pattern: str, anchor: str) -> str:
    """A glob written relative to the config file's directory, made relative to the workspace root."""
    if not anchor:
        return pattern
    negate = pattern.startswith("!")
    body = pattern[1:] if negate else pattern
    body = body.lstrip("/") if "/" in body.rstrip("/") else "**/" + body
    return ("!" if negate else "") + f"{anchor}/{body}"


class RuleResolver:
    """Turns rule ids (any case), names and id prefixes into ids; None for a token no rule matches."""

    def __init__(self, registry: Any) -> None:
        self.registry = registry
        self.ids = [rule.meta.id for rule in registry.rules]

    def __call__(self, token: str, prefix_ok: bool) -> str | None:
        rule = self.registry.lookup(token)
        if rule is not None:
            return str(rule.meta.id)
        if prefix_ok and (token == "ALL" or any(i.startswith(token) for i in self.ids)):
            return token
        return None


def _check_rule_references(config: Config, source: ConfigSource, registry: Any) -> None:
    """Rule ids, prefixes and names in the file must name rules that exist; names become ids."""
    r = _Reader(source)
    resolve = RuleResolver(registry)

    def to_id(token: str, key: str, prefix_ok: bool) -> str:
        found = resolve(token, prefix_ok)
        if found is None:
            raise r.fail(key, f"unknown rule {token!r} (see `rust-triage rules`)")
        return found

    config.select = [to_id(t, "select", True) for t in config.select]
    config.ignore = [to_id(t, "ignore", True) for t in config.ignore]
    config.severity = {to_id(k, f"severity.{k}", False): v for k, v in config.severity.items()}
    config.rule_options = {to_id(k, f"rules.{k}", False): v for k, v in config.rule_options.items()}
    for i, ov in enumerate(config.overrides):
        ov.select = [to_id(t, f"overrides[{i}].select", True) for t in ov.select]
        ov.ignore = [to_id(t, f"overrides[{i}].ignore", True) for t in ov.ignore]
        ov.severity = {to_id(k, f"overrides[{i}].severity.{k}", False): v for k, v in ov.severity.items()}


def _check_options(config: Config, source: ConfigSource, registry: Any) -> None:
    """`[thresholds]` and `[rules.<id>]` keys must be options the rules declare, with values of their type."""
    from rust_triage.engine.rule_options import coerce, find_option, thresholds_of

    r = _Reader(source)
    known = thresholds_of([rule.meta for rule in registry.rules])
    for name, value in config.thresholds.items():
        if name not in known:
            raise r.fail(f"thresholds.{name}", f"unknown threshold (known: {', '.join(sorted(known)) or 'none'})")
        config.thresholds[name] = _coerced(r, f"thresholds.{name}", known[name], value, coerce)
    by_id = registry.by_id()
    for rule_id, options in config.rule_options.items():
        meta = by_id[rule_id].meta
        checked: dict[str, Any] = {}
        for name, value in options.items():
            key = f"rules.{rule_id}.{name}"
            option = find_option(meta, name)
            if option is None:
                names = ", ".join(o.name for o in meta.options)
                raise r.fail(key, f"unknown option of {rule_id} {meta.name} "
                                  + (f"(known: severity, {names})" if names else "(it has none but severity)"))
            checked[option.name] = _coerced(r, key, option, value, coerce)
        config.rule_options[rule_id] = checked


def _coerced(r: _Reader, key: str, option: Any, value: Any, coerce: Any) -> Any:
    try:
        return coerce(option, value)
    except ValueError as exc:
        raise r.fail(key, str(exc)) from None


def _apply_cli(config: Config, options: Any, registry: Any) -> None:
    """CLI flags win: `--select` replaces the file's select and ignore; `--ignore` adds to ignore.

    Every `--select` / `--ignore` token must name a rule, a rule name or an id prefix of at least one
    rule: a typo would otherwise turn rules off without a word."""
    resolve = RuleResolver(registry)

    def to_id(token: str, flag: str) -> str:
        found = resolve(token, True)
        if found is None:
            raise UsageError(f"{flag}: unknown rule {token!r} (see `rust-triage rules`)")
        return found

    if getattr(options, "select", None):
        config.select = [to_id(t, "--select") for t in options.select]
        config.ignore = []
    if getattr(options, "ignore", None):
        config.ignore = config.ignore + [to_id(t, "--ignore") for t in options.ignore]
    if getattr(options, "fail_on", None):
        config.fail_on = options.fail_on
    if getattr(options, "include_tests", None) is not None:
        config.include_tests = options.include_tests
    if getattr(options, "include_dead_code", None):
        config.include_dead_code = True


def read_clippy_toml(root: Path) -> dict[str, bool]:
    """The allow-*-in-tests settings of clippy.toml / .clippy.toml at the workspace root."""
    for name in CLIPPY_FILE_NAMES:
        path = root / name
        if not path.is_file():
            continue
        data = _read_toml(path)
        out: dict[str, bool] = {}
        for key in CLIPPY_TEST_KEYS:
            if key in data:
                if not isinstance(data[key], bool):
                    raise UsageError(f"{path}: key `{key}`: expected true or false")
                out[key] = data[key]
        return out
    return {}
