"""Tasks that stand for many: one "wire in or delete" task per orphan cluster, one structure epic per crate."""

from __future__ import annotations

import hashlib
from collections import defaultdict

from rust_triage.engine.deadcode import OrphanCluster
from rust_triage.engine.model import Finding
from rust_triage.escape import display
from rust_triage.escape import markdown_code as code
from rust_triage.plan.model import BlastRadius, Evidence, Task

EPIC_PHASE = "P3"


def orphan_tasks(clusters: list[OrphanCluster], orphan_findings: list[Finding],
                 hidden: dict[str, list[Finding]], decision_rules: list[str]) -> list[Task]:
    """One task per cluster; `hidden` maps a dead file to the findings the plan does not list for it;
    `decision_rules`: the rule(s) whose findings are the decision (`RuleMeta.dead_code_decision`)."""
    rule = decision_rules[0]
    by_file = {f.file: f for f in orphan_findings}
    out: list[Task] = []
    for cluster in clusters:
        members = [by_file[f] for f in cluster.files if f in by_file]
        inside = [h for f in cluster.files for h in hidden.get(f, [])]
        files = len(cluster.files)
        what = f"directory {code(cluster.path)}" if cluster.is_dir else code(cluster.path)
        title = (f"Wire in or delete {what}: {files} file{'s' if files != 1 else ''}, "
                 f"{cluster.lines:,} lines no target compiles")
        rules = sorted({f.rule for f in inside})
        summary = (f"{files} file(s), {cluster.lines} lines that the compiler never sees. Decide once: declare "
                   "them with `mod` (then fix what they report) or delete them."
                   + (f" {len(inside)} finding(s) inside are not planned ({', '.join(rules)}; shown with "
                      "--include-dead-code)." if inside else ""))
        fingerprints = sorted(f.fingerprint for f in members + inside)
        raw = "\0".join(["dead", cluster.path, *cluster.files])
        out.append(Task(
            id="T-" + hashlib.sha1(display(raw).encode()).hexdigest()[:8],
            phase=EPIC_PHASE, title=title, category="dead-code", severity="low",
            rules=sorted({f.rule for f in members}) or [rule],
            lines={f: [1] for f in cluster.files}, summary=summary,
            fix_hints=[(rule, "declare the module(s) in their parent with `mod <name>;`, or delete them")],
            evidence=[Evidence(f, 1, rule, f"{f}: not reached from any crate target") for f in cluster.files[:8]],
            estimate_minutes=max(10, min(60, 10 + cluster.lines // 100 * 5)),
            priority=round(1.0 + cluster.lines / 100, 1), blast=BlastRadius(), occurrences=len(members),
            fingerprints=fingerprints,
            extra={"dead_code": True, "dead_lines": cluster.lines, "cluster": cluster.path,
                   "files": list(cluster.files), "hidden_findings": len(inside)},
        ))
    return out


def fold_epics(tasks: list[Task], crate_of: dict[str, str]) -> list[Task]:
    """P3 structure tasks of one crate become one epic with ordered sub-items; other tasks pass through.

    `crate_of` maps task id -> crate. Dead-code decisions and low-risk clean-up epics stay separate tasks.
    """
    keep: list[Task] = []
    by_crate: dict[str, list[Task]] = defaultdict(list)
    for task in tasks:
        if task.phase == EPIC_PHASE and task.category not in ("dead-code", "cleanup") and task.source != "cargo":
            by_crate[crate_of[task.id]].append(task)
        else:
            keep.append(task)
    for crate, items in sorted(by_crate.items()):
        if len(items) == 1:
            keep.append(items[0])
            continue
        keep.append(_epic(crate, items))
    return keep


def _epic(crate: str, items: list[Task]) -> Task:
    items = sorted(items, key=lambda t: (-t.priority, str(t.extra.get("group", t.title)),
                                         (t.extra.get("part") or [0])[0]))
    items = _parts_together(items)
    lines: dict[str, list[int]] = {}
    for t in items:
        for path, ls in t.lines.items():
            merged = lines.setdefault(path, [])
            merged.extend(x for x in ls if x not in merged)
    for ls in lines.values():
        ls.sort()
    minutes = sum(t.estimate_minutes for t in items)
    raw = "\0".join(["epic", crate, *sorted(t.id for t in items)])
    rules = sorted({r for t in items for r in t.rules})
    return Task(
        id="T-" + hashlib.sha1(display(raw).encode()).hexdigest()[:8],
        phase=EPIC_PHASE,
        title=f"Structure epic for {code(crate)}: {len(items)} items",
        category="structure", severity=max((t.severity for t in items), key=_sev_rank),
        rules=rules, lines=lines,
        summary=f"{sum(t.occurrences for t in items)} finding(s) in {len(lines)} file(s), worked as sub-items in "
                "the order below",
        fix_hints=[], evidence=[e for t in items for e in t.evidence[:1]][:8],
        estimate_minutes=minutes, priority=round(max(t.priority for t in items), 1),
        blast=max((t.blast for t in items), key=lambda b: (b.score, b.dependent_files)),
        occurrences=sum(t.occurrences for t in items),
        fingerprints=sorted(fp for t in items for fp in t.fingerprints),
        extra={"epic": True, "subitems": [_subitem(t) for t in items]},
    )


def _parts_together(items: list[Task]) -> list[Task]:
    """Keep the parts of one group adjacent and in order (part 1/3 before 2/3), where the first part ranks."""
    out: list[Task] = []
    placed: set[str] = set()
    groups: dict[str, list[Task]] = defaultdict(list)
    for t in items:
        groups[str(t.extra.get("group", t.id))].append(t)
    for t in items:
        group = str(t.extra.get("group", t.id))
        if group in placed:
            continue
        placed.add(group)
        out.extend(sorted(groups[group], key=lambda x: (x.extra.get("part") or [0])[0]))
    return out


def _subitem(t: Task) -> dict[str, object]:
    return {"id": t.id, "title": t.title, "rules": list(t.rules), "estimate_minutes": t.estimate_minutes,
            "occurrences": t.occurrences, "locations": t.location_text(limit=6), "fix_hint": t.fix_hint,
            "fingerprints": list(t.fingerprints), "done": False}


def _sev_rank(severity: str) -> int:
    from rust_triage.engine.model import severity_rank

    return severity_rank(severity)
