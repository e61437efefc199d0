"""Group findings into tasks of at most ~90 minutes: same phase, same category, same file (or root cause)."""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict

from rust_triage.engine.model import Finding, severity_rank
from rust_triage.escape import display
from rust_triage.escape import markdown_code as code
from rust_triage.plan.model import BlastRadius, Evidence, Task
from rust_triage.plan.phases import RuleIndex, estimate_minutes, is_missing_behaviour, phase_of, task_title
from rust_triage.plan.priority import BlastRadiusIndex, severity_weight

MAX_TASK_MINUTES = 90
MAX_EVIDENCE = 8
# Fixing the same rule again in the same task is cheaper: the pattern is already understood.
REPEAT_FACTOR = 0.6


def findings_to_tasks(findings: list[Finding], blast: BlastRadiusIndex, rules: RuleIndex) -> list[Task]:
    groups: dict[tuple[str, str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.risk == "low":  # one clean-up epic per crate for every low-risk panic and blocking site
            groups[("P3", "cleanup", f"cleanup:{crate_dir(f.file)}")].append(f)
            continue
        root = root_cause(f)
        where = f"root:{root}" if root else f.file
        if is_missing_behaviour(f, rules):
            where += "#missing"  # todo!()/unimplemented!(): written apart from "may fail" panics
        groups[(phase_of(f, rules), f.category, where)].append(f)
    tasks: list[Task] = []
    for (phase, category, where), members in sorted(groups.items()):
        members.sort(key=Finding.sort_key)
        if where.startswith("cleanup:"):
            minutes = _chunks(members, math.inf, rules)[0][1]
            crate = where.removeprefix("cleanup:") or "the workspace root"
            title = f"Clean-up epic: {len(members)} low-risk panic and blocking site(s) in `{crate}`"
            tasks.append(_task(phase, category, members, minutes, "", blast, title))
            continue
        chunks = _balanced_chunks(members, rules)
        root_title = _root_title(members) if where.startswith("root:") else None
        for number, (chunk, minutes) in enumerate(chunks, 1):
            part = f" (part {number}/{len(chunks)})" if len(chunks) > 1 else ""
            tasks.append(_task(phase, category, chunk, minutes, part, blast, root_title,
                               missing_behaviour=where.endswith("#missing")))
    return tasks


def crate_dir(file: str) -> str:
    """The package directory of a file, by Cargo's layout (`crates/a/src/x.rs` -> `crates/a`)."""
    parts = file.split("/")
    for i in range(len(parts) - 1, -1, -1):
        if parts[i] in ("src", "examples", "benches", "tests") and i < len(parts) - 1:
            return "/".join(parts[:i])
    return "/".join(parts[:-1]) if parts[-1] == "build.rs" else ""


def root_cause(f: Finding) -> str | None:
    """A key shared by findings one fix removes: `detail["root_cause"]`, or the end of a call chain
    (every async caller of one blocking sync function is fixed by changing that function)."""
    if not f.detail:
        return None
    root = f.detail.get("root_cause")
    if isinstance(root, str) and root:
        return root
    chain = f.detail.get("chain")
    if isinstance(chain, list) and chain and isinstance(chain[-1], str):
        return f"chain:{chain[-1]}"
    return None


def _root_title(members: list[Finding]) -> str:
    first = members[0]
    root = first.detail.get("root_cause")
    if isinstance(root, str) and root:
        return f"Fix the root cause {code(root)}"
    blocking = next((f.detail["blocking_call"] for f in members if f.detail.get("blocking_call")), None)
    ends = f" (ends in {code(str(blocking))})" if blocking else ""
    return f"Unblock the async callers of {code(str(first.detail['chain'][-1]))}{ends}"


def _balanced_chunks(members: list[Finding], rules: RuleIndex) -> list[tuple[list[Finding], int]]:
    """Split into as few tasks as MAX_TASK_MINUTES allows, then even out their sizes."""
    chunks = _chunks(members, MAX_TASK_MINUTES, rules)
    if len(chunks) < 2:
        return chunks
    target = sum(minutes for _, minutes in chunks) / len(chunks)
    for limit in range(int(target), MAX_TASK_MINUTES, 5):
        balanced = _chunks(members, limit, rules)
        if len(balanced) == len(chunks):
            return balanced
    return chunks


def _chunks(members: list[Finding], limit: float, rules: RuleIndex) -> list[tuple[list[Finding], int]]:
    """Consecutive runs of findings whose estimated total stays within `limit` minutes."""
    out: list[tuple[list[Finding], int]] = []
    chunk: list[Finding] = []
    seen: set[str] = set()
    total = 0.0
    for f in members:
        cost = estimate_minutes(f, rules) * (REPEAT_FACTOR if f.rule in seen else 1.0)
        if chunk and total + cost > limit:
            out.append((chunk, _round5(total)))
            chunk, seen, total = [], set(), 0.0
            cost = estimate_minutes(f, rules)
        chunk.append(f)
        seen.add(f.rule)
        total += cost
    if chunk:
        out.append((chunk, _round5(total)))
    return out


def _round5(minutes: float) -> int:
    return max(5, int(math.ceil(minutes / 5.0)) * 5)


def _task(phase: str, category: str, chunk: list[Finding], minutes: int, part: str,
          blast_index: BlastRadiusIndex, root_title: str | None = None, missing_behaviour: bool = False) -> Task:
    rules: dict[str, str] = {}
    hints: dict[str, str] = {}
    counts: dict[str, int] = defaultdict(int)
    lines: dict[str, list[int]] = {}
    for f in chunk:
        rules.setdefault(f.rule, f.name)
        counts[f.rule] += 1
        if f.fix_hint and f.rule not in hints:
            hints[f.rule] = f.fix_hint
        lines.setdefault(f.file, [])
        if f.line not in lines[f.file]:
            lines[f.file].append(f.line)
    for file_lines in lines.values():
        file_lines.sort()
    radii = [blast_index.radius(f.file, f.symbol) for f in chunk]
    priority = sum(severity_weight(f.severity) * r.score for f, r in zip(chunk, radii, strict=True))
    widest = max(radii, key=lambda r: (r.score, r.dependent_files), default=BlastRadius())
    severity = max((f.severity for f in chunk), key=severity_rank)
    fingerprints = sorted(f.fingerprint for f in chunk)
    rule_ids = sorted(rules)
    files = list(lines)
    where = code(files[0]) + (f" and {len(files) - 1} more file(s)" if len(files) > 1 else "")
    title = (root_title or task_title(category, [rules[r] for r in rule_ids], where, phase, missing_behaviour)) + part
    raw = "\0".join([phase, category, *rule_ids, *files, *fingerprints])
    return Task(
        id="T-" + hashlib.sha1(display(raw).encode()).hexdigest()[:8],
        phase=phase,
        title=title,
        category=category,
        severity=severity,
        rules=rule_ids,
        lines=lines,
        summary=_summary(chunk, rules, counts),
        fix_hints=[(r, hints[r]) for r in rule_ids if r in hints],
        evidence=[Evidence(f.file, f.line, f.rule, f.message, f.snippet) for f in chunk[:MAX_EVIDENCE]],
        estimate_minutes=minutes,
        priority=round(priority, 1),
        blast=widest,
        occurrences=len(chunk),
        fingerprints=fingerprints,
    )


def _summary(chunk: list[Finding], rules: dict[str, str], counts: dict[str, int]) -> str:
    messages: dict[str, str] = {}
    for f in chunk:
        messages.setdefault(f.rule, f.message)
    parts = [f"{counts[r]} × {r} {rules[r]} ({messages[r]})" for r in sorted(rules)]
    symbols: list[str] = []
    for f in chunk:
        if f.symbol and f.symbol not in symbols:
            symbols.append(f.symbol)
    text = "; ".join(parts)
    if symbols:
        shown = ", ".join(code(s) for s in symbols[:3])
        text += f" — in {shown}" + (f" and {len(symbols) - 3} more" if len(symbols) > 3 else "")
    return text
