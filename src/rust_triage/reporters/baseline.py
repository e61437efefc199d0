"""Compare a run with a previous report (rust-triage JSON or SARIF) by finding fingerprint.

Fingerprints hash rule + file + enclosing symbol + whitespace-normalised source line, never the line
number, so findings that merely moved are "unchanged". Matching is a multiset: two identical lines in
one function are two findings, and only as many current findings match as the baseline held.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from typing import IO, TYPE_CHECKING, Any

from rust_triage.errors import UsageError

if TYPE_CHECKING:
    from rust_triage.pipeline import Analysis

SARIF_FINGERPRINT_KEY = "rustTriage/v1"
_WS = re.compile(r"\s+")


def load_fingerprints(data: Any) -> Counter[str]:
    """Fingerprint multiset of a parsed rust-triage JSON report or SARIF log."""
    if not isinstance(data, dict):
        raise ValueError("the top level is not a JSON object")
    if isinstance(data.get("runs"), list):
        return _sarif_fingerprints(data)
    if isinstance(data.get("findings"), list):
        return Counter(_json_fingerprint(f) for f in data["findings"] if isinstance(f, dict))
    raise ValueError("neither a rust-triage JSON report (`findings`) nor a SARIF log (`runs`)")


def _json_fingerprint(f: dict[str, Any]) -> str:
    fp = f.get("fingerprint")
    if isinstance(fp, str) and fp:
        return fp
    # Older reports without the field: recompute it exactly as Finding.fingerprint does.
    norm = _WS.sub(" ", str(f.get("snippet", ""))).strip() or str(f.get("message", ""))
    raw = "\0".join((str(f.get("rule", "")), str(f.get("file", "")), str(f.get("symbol", "")), norm))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _sarif_fingerprints(data: dict[str, Any]) -> Counter[str]:
    found: Counter[str] = Counter()
    for run in data["runs"]:
        if not isinstance(run, dict):
            continue
        for result in run.get("results") or []:
            fps = result.get("partialFingerprints") if isinstance(result, dict) else None
            fp = fps.get(SARIF_FINGERPRINT_KEY) if isinstance(fps, dict) else None
            if isinstance(fp, str) and fp:
                found[fp] += 1
    return found


def read_baseline(fileobj: IO[bytes] | IO[str]) -> Counter[str]:
    name = getattr(fileobj, "name", "baseline")
    try:
        raw = fileobj.read()
        data = json.loads(raw)
        return load_fingerprints(data)
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--baseline {name}: cannot read: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise UsageError(f"--baseline {name}: not JSON ({exc.msg} at line {exc.lineno})") from exc
    except ValueError as exc:
        raise UsageError(f"--baseline {name}: {exc}") from exc
    finally:
        try:
            fileobj.close()
        except OSError:
            pass


def apply_baseline(analysis: Analysis, fileobj: IO[bytes] | IO[str], *, new_only: bool = False) -> dict[str, int]:
    """Mark findings new/unchanged against the baseline (or keep only new ones with `new_only`).

    Sets `detail["baseline"]` on each kept finding and `analysis.context.extra["baseline"]` to the counts
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
    analysis.context.extra["baseline"] = {**counts, "file": str(getattr(fileobj, "name", ""))}
    return counts
