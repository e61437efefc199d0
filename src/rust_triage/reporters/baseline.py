"""Compare a run with a previous report (rust-triage JSON or SARIF) by finding fingerprint.

Fingerprints hash rule + file + enclosing symbol + whitespace-normalised source line, never the line
number, so findings that merely moved are "unchanged". Matching is a multiset: two identical lines in
one function are two findings, and only as many current findings match as the baseline held.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from typing import IO, TYPE_CHECKING, Any

from rust_triage.errors import UsageError
from rust_triage.json_input import load_json

if TYPE_CHECKING:
    from rust_triage.pipeline import Analysis

SARIF_FINGERPRINT_KEY = "rustTriage/v1"
_WS = re.compile(r"\s+")


def load_fingerprints(data: Any) -> Counter[str]:
    """Fingerprint multiset of a parsed rust-triage JSON report or SARIF log.

    Raises ValueError naming the first entry that is not what a report holds: a baseline that is only
    partly understood would mark findings "new" or "unchanged" wrongly."""
    if not isinstance(data, dict):
        raise ValueError("the top level is not a JSON object")
    if "runs" in data:
        return _sarif_fingerprints(data)
    if "findings" in data:
        findings = data["findings"]
        if not isinstance(findings, list):
            raise ValueError("`findings` is not a list")
        return Counter(_json_fingerprint(f, i) for i, f in enumerate(findings))
    raise ValueError("neither a rust-triage JSON report (`findings`) nor a SARIF log (`runs`)")


def _json_fingerprint(f: Any, index: int) -> str:
    if not isinstance(f, dict):
        raise ValueError(f"`findings[{index}]` is not an object")
    fp = f.get("fingerprint")
    if fp is not None:
        if not isinstance(fp, str) or not fp:
            raise ValueError(f"`findings[{index}].fingerprint` is not a non-empty string")
        return fp
    # Older reports without the field: recompute it exactly as Finding.fingerprint does.
    norm = _WS.sub(" ", str(f.get("snippet", ""))).strip() or str(f.get("message", ""))
    raw = "\0".join((str(f.get("rule", "")), str(f.get("file", "")), str(f.get("symbol", "")), norm))
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _sarif_fingerprints(data: dict[str, Any]) -> Counter[str]:
    runs = data["runs"]
    if not isinstance(runs, list):
        raise ValueError("`runs` is not a list")
    found: Counter[str] = Counter()
    for i, run in enumerate(runs):
        if not isinstance(run, dict):
            raise ValueError(f"`runs[{i}]` is not an object")
        results = run.get("results") or []
        if not isinstance(results, list):
            raise ValueError(f"`runs[{i}].results` is not a list")
        for j, result in enumerate(results):
            if not isinstance(result, dict):
                raise ValueError(f"`runs[{i}].results[{j}]` is not an object")
            fps = result.get("partialFingerprints") or {}
            if not isinstance(fps, dict):
                raise ValueError(f"`runs[{i}].results[{j}].partialFingerprints` is not an object")
            fp = fps.get(SARIF_FINGERPRINT_KEY)
            if isinstance(fp, str) and fp:
                found[fp] += 1
    return found


def read_baseline(fileobj: IO[bytes] | IO[str]) -> Counter[str]:
    name = getattr(fileobj, "name", "baseline")
    try:
        return load_fingerprints(load_json(fileobj.read()))
    except OSError as exc:
        raise UsageError(f"--baseline {name}: cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:  # JsonInputError included
        raise UsageError(f"--baseline {name}: {exc}") from None
    finally:
        try:
            fileobj.close()
        except OSError:
            pass


def apply_baseline(analysis: Analysis, fileobj: IO[bytes] | IO[str], *, new_only: bool = False) -> dict[str, int]:
    """Mark findings new/unchanged against the baseline (or keep only new ones with `new_only`).

    Sets `detail["baseline"]` on each kept finding and `analysis.context.baseline` to the counts
    {"new", "unchanged", "fixed"} (fixed: baseline findings no longer reported). Returns the counts.
    """
    remaining = read_baseline(fileobj)
    new, unchanged = [], []
    for finding in analysis.findings:
        fp = finding.fingerprint
        if remaining[fp] > 0:
            remaining[fp] -= 1
            unchanged.append(finding)
        else:
            new.append(finding)
    for finding in new:
        finding.detail = {**finding.detail, "baseline": "new"}
    for finding in unchanged:
        finding.detail = {**finding.detail, "baseline": "unchanged"}
    if new_only:
        analysis.findings[:] = new
    counts = {"new": len(new), "unchanged": len(unchanged), "fixed": sum(remaining.values())}
    analysis.context.baseline = {**counts, "file": str(getattr(fileobj, "name", ""))}
    return counts
