"""SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer).

URIs are relative to `%SRCROOT%`, the repository root (the nearest directory above the workspace holding
`.git`, else the workspace root), declared in `originalUriBaseIds`. Regions use SARIF's default column
unit, UTF-16 code units: tree-sitter columns (UTF-8 byte offsets) and rustc columns (code points) are
converted by reading the source line. Results are ordered most severe first and cut at GitHub's upload
limits, with a notification saying how many were dropped. Strings are written by `escape.json_dumps`
(undecodable file-name bytes spelled `\\xNN`); URIs percent-encode the file name's bytes.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from rust_triage import __version__
from rust_triage.docs_gen import rule_markdown
from rust_triage.engine.model import Finding, Location, RuleMeta, severity_rank
from rust_triage.engine.risk import sarif_rank
from rust_triage.errors import FileError
from rust_triage.escape import display, json_clean, json_dumps
from rust_triage.workspace.safepath import read_file_or_none, real_roots

if TYPE_CHECKING:
    from rust_triage.pipeline import Analysis

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/rust-triage/rust-triage"
FINGERPRINT_KEY = "rustTriage/v1"
SRCROOT = "%SRCROOT%"
MAX_RESULTS = 25_000  # GitHub: results per run
MAX_GZIP_BYTES = 10 * 1024 * 1024  # GitHub: gzipped upload size
MAX_RELATED = 100  # GitHub accepts up to 1,000 locations per result; more is noise
MAX_TAGS = 20  # GitHub: tags per rule
MAX_FLOW_STEPS = 1_000

_LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note",
          "error": "error", "warning": "warning", "note": "note", "help": "note"}
_PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}
_COMPILER_SEVERITY = {"error": "critical", "warning": "low"}


def level_of(severity: str) -> str:
    return _LEVEL.get(severity, "warning")


def render(analysis: Analysis) -> str:
    ctx = analysis.context
    metas = {rule.meta.id: rule.meta for rule in analysis.registry.rules}
    errors = list(analysis.errors) + list(ctx.rule_errors)
    log = sarif_log(analysis.findings, metas, errors, ctx.workspace.root, exit_code_for(analysis))
    return json_dumps(log, indent=2) + "\n"


def exit_code_for(analysis: Analysis) -> int:
    """The status `rust-triage check` exits with for this analysis (0 clean, 1 findings at fail-on)."""
    fail_on = analysis.context.config.fail_on
    if fail_on == "never":
        return 0
    threshold = severity_rank(fail_on)
    return 1 if any(severity_rank(f.severity) >= threshold for f in analysis.findings) else 0


def source_root(root: Path) -> Path:
    """The repository root above `root` (a directory holding `.git`), else `root` itself."""
    root = root.resolve()
    for candidate in (root, *root.parents):
        if (candidate / ".git").exists():
            return candidate
    return root


def sarif_log(
    findings: list[Finding],
    metas: dict[str, RuleMeta],
    errors: list[FileError],
    root: Path,
    exit_code: int,
    *,
    columns: str = "bytes",
    notes: Iterable[str] = (),
) -> dict[str, Any]:
    """A complete SARIF log (one run) for findings whose paths are relative to `root`.

    `columns` says how finding columns count: "bytes" (1-based UTF-8 byte offsets, tree-sitter) or
    "codepoints" (rustc); a finding's `detail["column_unit"]` overrides it.
    """
    root = root.resolve()
    locator = _Locator(root, source_root(root), columns)
    ordered = sorted(findings, key=lambda f: (-_rank(f.severity), *f.sort_key()))
    rules, index = _rules(ordered, metas)
    results = [_result(f, index[f.rule], locator) for f in ordered]
    notifications = [_notification(e, locator) for e in errors]
    notifications += [{"level": "note", "message": {"text": note}} for note in notes]
    kept = min(len(results), MAX_RESULTS)
    run: dict[str, Any] = {
        "tool": {"driver": {
            "name": "rust-triage",
            "version": __version__,
            "semanticVersion": __version__,
            "informationUri": INFORMATION_URI,
            "rules": rules,
        }},
        "invocations": [{
            "executionSuccessful": not any(e.kind == "rule" for e in errors),
            "exitCode": exit_code,
            "toolExecutionNotifications": notifications,
        }],
        "originalUriBaseIds": {SRCROOT: {"uri": locator.srcroot.as_uri() + "/"}},
        "columnKind": "utf16CodeUnits",
        "results": results[:kept],
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    while True:
        dropped = len(results) - kept
        if dropped:
            _truncation_note(run, dropped, len(results))
        encoded = json_dumps(log).encode()
        size = len(encoded) if len(encoded) <= MAX_GZIP_BYTES else len(gzip.compress(encoded, 6))
        if size <= MAX_GZIP_BYTES or kept == 0:
            return json_clean(log)  # type: ignore[no-any-return]
        kept = int(kept * MAX_GZIP_BYTES / size * 0.9)
        run["results"] = results[:kept]


def finding_from_dict(data: dict[str, Any], *, column_unit: str | None = None) -> Finding:
    """A Finding from a finding-shaped dict (JSON report entries, `cargo.patterns_to_findings()` output).

    `column_unit="codepoints"` marks rustc columns so `sarif_log` converts them correctly.
    """
    related = [Location(str(r.get("file", "")), int(r.get("line") or 1), int(r.get("column") or 1),
                        r.get("end_line"), r.get("end_column"), str(r.get("message", "")))
               for r in data.get("related") or [] if isinstance(r, dict)]
    detail = dict(data.get("detail") or {})
    if column_unit:
        detail["column_unit"] = column_unit
    line = int(data.get("line") or 1)
    column = int(data.get("column") or 1)
    return Finding(
        rule=str(data["rule"]), name=str(data.get("name", data["rule"])), severity=str(data.get("severity", "medium")),
        category=str(data.get("category", "")), file=str(data.get("file", "")), line=line, column=column,
        end_line=int(data.get("end_line") or line), end_column=int(data.get("end_column") or column),
        message=str(data.get("message", "")), fix_hint=str(data.get("fix_hint", "")),
        snippet=str(data.get("snippet", "")), symbol=str(data.get("symbol", "")),
        in_test=bool(data.get("in_test", False)), confidence=str(data.get("confidence", "high")),
        related=related, detail=detail, risk=data.get("risk") if isinstance(data.get("risk"), str) else None,
        risk_class=str(data.get("risk_class", "")), risk_context=str(data.get("risk_context", "")),
        risk_reason=str(data.get("risk_reason", "")), reachable_from=[str(x) for x in data.get("reachable_from") or []],
    )


def _rank(severity: str) -> int:
    return severity_rank(_COMPILER_SEVERITY.get(severity, severity))


def _truncation_note(run: dict[str, Any], dropped: int, total: int) -> None:
    notifications = run["invocations"][0]["toolExecutionNotifications"]
    notifications[:] = [n for n in notifications if n.get("descriptor", {}).get("id") != "results-truncated"]
    notifications.append({
        "level": "warning",
        "descriptor": {"id": "results-truncated"},
        "message": {"text": f"{dropped} of {total} results were left out to respect GitHub's upload limits "
                            f"({MAX_RESULTS:,} results per run, 10 MB gzipped); the most severe were kept. "
                            "Use --format json for the complete list."},
    })


# -- rules ------------------------------------------------------------------------------------

def _rules(findings: list[Finding], metas: dict[str, RuleMeta]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    fired: dict[str, Finding] = {}
    for f in findings:
        fired.setdefault(f.rule, f)
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for rule_id in sorted(fired):
        meta = metas.get(rule_id) or _meta_from_finding(fired[rule_id])
        index[rule_id] = len(rules)
        rules.append(_descriptor(meta))
    return rules, index


def _meta_from_finding(f: Finding) -> RuleMeta:
    return RuleMeta(id=f.rule, name=f.name or f.rule, category=f.category,
                    severity=_COMPILER_SEVERITY.get(f.severity, f.severity), summary=f.name or f.rule,
                    source="external")


def _descriptor(meta: RuleMeta) -> dict[str, Any]:
    level = level_of(meta.severity)
    tags: list[str] = []
    for tag in (meta.category, *meta.tags):
        if tag and tag not in tags:
            tags.append(tag)
    properties: dict[str, Any] = {
        "tags": tags[:MAX_TAGS],
        "precision": meta.precision if meta.precision in ("very-high", "high", "medium", "low") else "high",
        "problem.severity": _PROBLEM_SEVERITY[level],
    }
    if meta.security_severity is not None:
        properties["security-severity"] = f"{float(meta.security_severity):.1f}"
    docs = meta.docs
    help_text = "\n\n".join(part.strip() for part in (meta.summary, docs.what, docs.why, docs.fix) if part)
    descriptor: dict[str, Any] = {
        "id": meta.id,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": (docs.what or meta.summary).strip()},
        "help": {"text": help_text, "markdown": rule_markdown(meta)},
        "defaultConfiguration": {"level": level},
        "properties": properties,
    }
    if meta.source in ("builtin", "toml"):
        descriptor["helpUri"] = f"{INFORMATION_URI}/blob/main/docs/rules/{meta.id}-{meta.name}.md"
    return descriptor


# -- results ----------------------------------------------------------------------------------

def _result(f: Finding, rule_index: int, locator: _Locator) -> dict[str, Any]:
    unit = str(f.detail.get("column_unit", "")) if f.detail else ""
    location = locator.location(f.file, f.line, f.column, f.end_line, f.end_column, unit, snippet=f.snippet)
    if f.symbol:
        location["logicalLocations"] = [{"fullyQualifiedName": f.symbol}]
    text = f.message + (f"\nFix: {f.fix_hint}" if f.fix_hint else "")
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": level_of(f.severity),
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {"severity": f.severity, "category": f.category, "confidence": f.confidence,
                       "inTest": f.in_test, **({"deadCode": True} if f.dead_code else {})},
    }
    if f.risk is not None:
        result["rank"] = sarif_rank(f)
        result["message"]["text"] = f"{text}\nRisk: {f.risk} ({f.risk_reason})"
        result["properties"].update(risk=f.risk, riskClass=f.risk_class, riskContext=f.risk_context,
                                    riskReason=f.risk_reason, reachableFrom=list(f.reachable_from))
    related = []
    for number, loc in enumerate(f.related[:MAX_RELATED], 1):
        entry = locator.location(loc.file, loc.line, loc.column, loc.end_line, loc.end_column, unit)
        entry["id"] = number
        if loc.message:
            entry["message"] = {"text": loc.message}
        related.append(entry)
    if related:
        result["relatedLocations"] = related
    flow = _code_flow(f, locator, unit)
    if flow is not None:
        result["codeFlows"] = [flow]
    return result


def _code_flow(f: Finding, locator: _Locator, unit: str) -> dict[str, Any] | None:
    """A call chain as a code flow.

    `detail["call_chain"]` (or `detail["chain"]`) lists the steps, as dicts with file/line/message or as
    plain labels. Labels alone are placed with the finding's related locations (the call sites along the
    chain) when there are any, ending with `detail["blocking_call"]` if given.
    """
    chain = (f.detail.get("call_chain") or f.detail.get("chain")) if f.detail else None
    if not isinstance(chain, list) or not chain:
        return None
    steps: list[dict[str, Any]] = []
    placed = [s for s in chain if isinstance(s, dict) or hasattr(s, "to_dict")]
    if not placed and f.related:
        for loc in f.related[:MAX_FLOW_STEPS]:
            entry = locator.location(loc.file, loc.line, loc.column, loc.end_line, loc.end_column, unit)
            entry["message"] = {"text": loc.message or f"{loc.file}:{loc.line}"}
            steps.append({"location": entry})
        terminal = f.detail.get("blocking_call")
        if terminal:
            steps.append({"location": {"message": {"text": str(terminal)}}})
    else:
        for step in chain[:MAX_FLOW_STEPS]:
            steps.append({"location": _flow_step(step, locator, unit)})
    if len(steps) < 2:
        return None
    text = " → ".join(str(s["location"]["message"]["text"]) for s in steps)
    return {"message": {"text": text}, "threadFlows": [{"locations": steps}]}


def _flow_step(step: Any, locator: _Locator, unit: str) -> dict[str, Any]:
    if hasattr(step, "to_dict"):
        step = step.to_dict()
    if isinstance(step, dict) and step.get("file") and isinstance(step.get("line"), int):
        loc = locator.location(str(step["file"]), step["line"], int(step.get("column") or 1),
                               step.get("end_line"), step.get("end_column"), unit)
        label = step.get("message") or step.get("symbol") or step.get("name")
        loc["message"] = {"text": str(label or f"{step['file']}:{step['line']}")}
        return loc
    label = step.get("message", step) if isinstance(step, dict) else step
    return {"message": {"text": str(label)}}


def _notification(e: FileError, locator: _Locator) -> dict[str, Any]:
    note: dict[str, Any] = {
        "level": "error" if e.kind in ("rule", "unreadable", "invalid-utf8", "manifest") else "warning",
        "descriptor": {"id": e.kind or "error"},
        "message": {"text": f"{e.path}: {e.message}"},
    }
    if e.path and not e.path.startswith("<"):
        note["locations"] = [locator.location(e.path, e.line or 1, 1, None, None, "", region=e.line is not None)]
    return note


def _quote(path: str) -> str:
    """A URI path: the file name's bytes percent-encoded (undecodable bytes included, as `%FF`)."""
    try:
        return quote(path.encode("utf-8", "surrogateescape"))
    except UnicodeEncodeError:  # a lone surrogate that is no escaped byte (from JSON input)
        return quote(display(path))


class _Locator:
    """Builds SARIF locations: %SRCROOT%-relative URIs and regions in UTF-16 code units."""

    def __init__(self, root: Path, srcroot: Path, columns: str) -> None:
        self.root = root
        self.srcroot = srcroot
        self.columns = columns
        try:
            self.prefix = root.relative_to(srcroot).as_posix()
        except ValueError:
            self.prefix = ""
        if self.prefix == ".":
            self.prefix = ""
        self._lines: dict[str, list[bytes] | None] = {}

    def artifact(self, file: str) -> dict[str, Any]:
        if not file:
            file = "Cargo.toml"  # a location-less diagnostic: anchor it at the manifest
        if PurePosixPath(file).is_absolute() or (len(file) > 2 and file[1] == ":"):
            path = Path(file)
            try:
                rel = path.resolve().relative_to(self.srcroot).as_posix()
            except (ValueError, OSError):
                return {"uri": path.as_uri() if path.is_absolute() else "file:///" + _quote(file)}
            return {"uri": _quote(rel), "uriBaseId": SRCROOT}
        rel = f"{self.prefix}/{file}" if self.prefix else file
        return {"uri": _quote(rel), "uriBaseId": SRCROOT}

    def location(self, file: str, line: int, column: int, end_line: int | None, end_column: int | None,
                 unit: str, *, snippet: str = "", region: bool = True) -> dict[str, Any]:
        physical: dict[str, Any] = {"artifactLocation": self.artifact(file)}
        if region:
            start_line = max(1, int(line or 1))
            start_col = self.utf16(file, start_line, column or 1, unit)
            stop_line = max(start_line, int(end_line or start_line))
            stop_col = self.utf16(file, stop_line, end_column or column or 1, unit)
            if stop_line == start_line and stop_col < start_col:
                stop_col = start_col
            reg: dict[str, Any] = {"startLine": start_line, "startColumn": start_col,
                                   "endLine": stop_line, "endColumn": stop_col}
            if snippet:
                reg["snippet"] = {"text": snippet}
            physical["region"] = reg
        return {"physicalLocation": physical}

    def utf16(self, file: str, line: int, column: int, unit: str) -> int:
        """Convert a 1-based column in `unit` (bytes or codepoints) to 1-based UTF-16 code units."""
        column = max(1, int(column))
        raw = self._line(file, line)
        if raw is None or column == 1:
            return column
        if (unit or self.columns) == "codepoints":
            text = raw.decode("utf-8", "replace")
            prefix, overflow = text[: column - 1], max(0, column - 1 - len(text))
        else:
            prefix = raw[: column - 1].decode("utf-8", "replace")
            overflow = max(0, column - 1 - len(raw))
        return 1 + sum(2 if ord(ch) > 0xFFFF else 1 for ch in prefix) + overflow

    def _line(self, file: str, line: int) -> bytes | None:
        if file not in self._lines:
            path = Path(file) if Path(file).is_absolute() else self.root / file
            # Only files inside the workspace, regular and bounded (a compiler span may name anything).
            data = read_file_or_none(path, real_roots((self.root,))) if file else None
            self._lines[file] = data.split(b"\n") if data is not None else None
        lines = self._lines[file]
        if lines is None or not 0 < line <= len(lines):
            return None
        return lines[line - 1].rstrip(b"\r")
