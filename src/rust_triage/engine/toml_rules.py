"""Declarative rules: one TOML file per rule (or a `[[rule]]` array per small family).

Schema of one rule table:
    id, name, category, severity, summary, message      (required)
    query                 tree-sitter query; `@match` marks the reported node
    fix_hint, tests ("exclude" | "include"), include/exclude (globs), skip_in_macro,
    context ("any" | "async" | "sync": only matches in that kind of code),
    precision, tags, clippy (list of clippy lints whose #[allow]/#[expect] suppress it)
    risk_kind (one of taxonomy.RISK_KINDS: the findings are risk-ranked), risk_subject (`.unwrap()`)
    [docs]  what, why, example, fix, suppress, clippy (text; defaults to the `clippy` list)
    valid = [...] / invalid = [...]  code that must not / must match
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from rust_triage.engine.model import SEVERITIES, RuleDocs, RuleMeta
from rust_triage.engine.rule import QueryRule
from rust_triage.engine.taxonomy import CATEGORIES, PHASES, RISK_KINDS, RiskKind
from rust_triage.errors import UsageError
from rust_triage.parse.queries import check_query

if TYPE_CHECKING:
    from rust_triage.engine.context import AnalysisContext
    from rust_triage.engine.model import Finding

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_REQUIRED = ("id", "name", "category", "severity", "summary", "message", "query")
_KNOWN = set(_REQUIRED) | {
    "fix_hint", "tests", "include", "exclude", "skip_in_macro", "precision", "tags", "clippy",
    "docs", "valid", "invalid", "language", "security_severity", "context", "phase", "effort_minutes",
    "risk_kind", "risk_subject",
}
_DOC_KEYS = {"what", "why", "example", "fix", "suppress", "clippy"}
_CONTEXTS = ("any", "async", "sync")
_BUILTIN_ID = re.compile(r"^RT\d+$")
_USER_ID = re.compile(r"^[A-Z][A-Z0-9_]*\d+$")  # a team's own prefix, e.g. ACME001


class ContextQueryRule(QueryRule):
    """A query rule that only reports matches in async code (`context = "async"`) or sync code."""

    def __init__(self, *args: Any, context: str = "any", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.context = context

    def accepts(self, async_ctx: bool) -> bool:
        return self.context == "any" or (self.context == "async") == async_ctx

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        if self.context == "any":
            yield from super().check(ctx)
            return
        wanted = self.context == "async"
        positions = {
            (src.rel, m.line, m.column)
            for src in ctx.files
            for m in src.facts.matches
            if m.rule == self.meta.id and m.async_ctx != wanted
        }
        for finding in super().check(ctx):
            if (finding.file, finding.line, finding.column) not in positions:
                yield finding


class TomlRule(msgspec.Struct):
    rule: ContextQueryRule
    path: Path
    valid: list[str] = msgspec.field(default_factory=list)
    invalid: list[str] = msgspec.field(default_factory=list)


def load_rule_dir(directory: Path, source: str = "toml", *, builtin: bool = False) -> list[TomlRule]:
    """Every rule in `directory/*.toml`. Built-in rules must use `RT` ids; a team's may use any prefix."""
    if not directory.is_dir():
        raise UsageError(f"rule directory not found: {directory}")
    rules: list[TomlRule] = []
    for path in sorted(directory.glob("*.toml")):
        rules.extend(load_rule_file(path, source, builtin=builtin))
    return rules


def load_rule_file(path: Path, source: str = "toml", *, builtin: bool = False, shipped: bool = False) -> list[TomlRule]:
    """The rules of one file. `shipped`: a file of rust-triage's own families, whose queries the test suite
    compiles (`tests/test_toml_rules.py`); a run does not compile them twice (once here, once combined)."""
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read rule file: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: invalid TOML: {exc}") from exc
    except RecursionError as exc:
        raise UsageError(f"{path}: invalid TOML: arrays or tables nested too deeply") from exc
    tables = data.get("rule") if "rule" in data else [data]
    if not isinstance(tables, list):
        raise UsageError(f"{path}: `rule` must be an array of tables ([[rule]])")
    if not all(isinstance(t, dict) for t in tables):
        raise UsageError(f"{path}: every [[rule]] entry must be a table")
    return [_build(t, path, source, builtin, shipped) for t in tables]


def _build(table: dict[str, Any], path: Path, source: str, builtin: bool = False, shipped: bool = False) -> TomlRule:
    where = f"{path}: rule {table.get('id', '?')}"
    unknown = sorted(set(table) - _KNOWN)
    if unknown:
        raise UsageError(f"{where}: unknown key(s): {', '.join(unknown)}")
    missing = [k for k in _REQUIRED if not table.get(k)]
    if missing:
        raise UsageError(f"{where}: missing required key(s): {', '.join(missing)}")
    rule_id = str(table["id"])
    if builtin and not _BUILTIN_ID.match(rule_id):
        raise UsageError(f"{where}: id must be RT followed by digits")
    if not _USER_ID.match(rule_id):
        raise UsageError(f"{where}: id must be upper-case letters followed by digits (e.g. ACME001)")
    if table["severity"] not in SEVERITIES:
        raise UsageError(f"{where}: severity must be one of {', '.join(SEVERITIES)}")
    if table["category"] not in CATEGORIES:
        raise UsageError(f"{where}: category must be one of {', '.join(CATEGORIES)}")
    if table.get("phase", "") not in ("", *PHASES):
        raise UsageError(f"{where}: phase must be one of {', '.join(PHASES)}")
    effort = table.get("effort_minutes", 0)
    if not isinstance(effort, int) or isinstance(effort, bool) or effort < 0:
        raise UsageError(f"{where}: effort_minutes must be a whole number of minutes")
    risk_kind = table.get("risk_kind")
    if risk_kind is not None and risk_kind not in RISK_KINDS:
        raise UsageError(f"{where}: risk_kind must be one of {', '.join(RISK_KINDS)}")
    tests = table.get("tests", "exclude")
    if tests not in ("exclude", "include"):
        raise UsageError(f"{where}: tests must be \"exclude\" or \"include\"")
    docs = table.get("docs", {})
    if not isinstance(docs, dict) or set(docs) - _DOC_KEYS:
        raise UsageError(f"{where}: [docs] may only hold {', '.join(sorted(_DOC_KEYS))}")
    context = table.get("context", "any")
    if context not in _CONTEXTS:
        raise UsageError(f"{where}: context must be one of {', '.join(_CONTEXTS)}")
    for key in ("valid", "invalid", "include", "exclude", "tags", "clippy"):
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise UsageError(f"{where}: {key} must be a list of strings")
    error = None if shipped else check_query(table["query"])
    if error:
        raise UsageError(f"{where}: invalid tree-sitter query: {error}")
    clippy = tuple(table.get("clippy", ()))
    doc_texts = {k: str(v).strip() for k, v in docs.items()}
    doc_texts.setdefault("clippy", ", ".join(f"`{lint}`" for lint in clippy) or "none")
    meta = RuleMeta(
        id=rule_id,
        name=str(table["name"]),
        category=str(table["category"]),
        severity=str(table["severity"]),
        summary=str(table["summary"]),
        docs=RuleDocs(**doc_texts),
        source=source,
        tests_in_scope=tests == "include",
        precision=str(table.get("precision", "high")),
        tags=tuple(table.get("tags", ())),
        security_severity=table.get("security_severity"),
        clippy_lints=clippy,
        phase=str(table.get("phase", "")),
        effort_minutes=effort,
        risk_kind=RiskKind(risk_kind) if risk_kind is not None else None,
        risk_subject=str(table.get("risk_subject", "")),
    )
    rule = ContextQueryRule(
        meta,
        table["query"],
        str(table["message"]),
        str(table.get("fix_hint", "")),
        include=tuple(table.get("include", ())),
        exclude=tuple(table.get("exclude", ())),
        skip_in_macro=bool(table.get("skip_in_macro", False)),
        context=context,
    )
    return TomlRule(rule, path, list(table.get("valid", [])), list(table.get("invalid", [])))


class SampleFailure(msgspec.Struct):
    rule: str
    path: Path
    kind: str  # "valid" or "invalid"
    sample: str
    found: int


def run_samples(rules: list[TomlRule]) -> tuple[int, list[SampleFailure]]:
    """Check every embedded sample: `invalid` must match at least once, `valid` never."""
    from rust_triage.parse.extract import extract_file
    from rust_triage.parse.queries import QuerySpec

    checked = 0
    failures: list[SampleFailure] = []
    for tr in rules:
        specs = (QuerySpec(tr.rule.meta.id, tr.rule.query),)
        for kind, samples in (("invalid", tr.invalid), ("valid", tr.valid)):
            for sample in samples:
                checked += 1
                facts = extract_file(sample.encode("utf-8"), specs)
                found = sum(
                    1
                    for m in facts.matches
                    if not (tr.rule.skip_in_macro and m.in_macro) and tr.rule.accepts(m.async_ctx)
                )
                if (kind == "invalid" and found == 0) or (kind == "valid" and found):
                    failures.append(SampleFailure(tr.rule.meta.id, tr.path, kind, sample, found))
    return checked, failures
