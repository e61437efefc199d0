"""Findings into tasks by root cause: one fix site is one task, with every site it resolves as evidence.

- missing derives / struct-literal errors: grouped by the definition that needs the change;
- transitive blocking: grouped by the blocking function at the end of the call chain;
- panics, blocking calls and placeholders: one task per module and kind, with the count of each
  pattern, split into ordered parts when large;
- everything else: per phase, category and file, as before.
Findings in non-production code (build scripts, examples, benches) never land in P1.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from rust_triage.engine.model import Finding
from rust_triage.escape import markdown_code as code
from rust_triage.plan.model import Task
from rust_triage.plan.phases import RuleIndex, estimate_minutes, is_missing_behaviour, phase_of
from rust_triage.plan.priority import BlastRadiusIndex
from rust_triage.plan.tasks import _balanced_chunks, _task, crate_dir, root_cause

_PATTERN_PHASES = ("P1", "P2")


@dataclass(frozen=True, slots=True)
class GroupKey:
    phase: str
    category: str
    where: str  # "root:<key>", "module|<crate>|<module>|<category>" or a file


def plan_phase(f: Finding, non_production: Callable[[str], bool], rules: RuleIndex) -> str:
    phase = phase_of(f, rules)
    if phase == "P1" and non_production(f.file):
        return "P3"
    return phase


def definition_key(f: Finding, rules: RuleIndex) -> str | None:
    """`derive:file:line[,file:line]` / `fields:file:line`: the definition(s) one change fixes."""
    meta = rules.get(f.rule)
    kind = meta.fix_at_definition if meta is not None else ""
    detail = f.detail or {}
    if not kind:
        return None
    fixes = detail.get("fix") if kind == "derive" else None
    if isinstance(fixes, list) and fixes:
        return f"{kind}:" + ",".join(sorted(f"{x.get('file')}:{x.get('line')}" for x in fixes if isinstance(x, dict)))
    definition = detail.get("definition")
    if isinstance(definition, dict) and definition.get("file"):
        return f"{kind}:{definition['file']}:{definition.get('line', 0)}"
    return None


def group_findings(findings: list[Finding], blast: BlastRadiusIndex, module_of: Callable[[str], str],
                   non_production: Callable[[str], bool], rules: RuleIndex) -> list[Task]:
    groups: dict[GroupKey, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.risk == "low":  # one clean-up epic per crate for every low-risk panic and blocking site
            groups[GroupKey("P3", "cleanup", f"cleanup:{crate_dir(f.file)}")].append(f)
            continue
        phase = plan_phase(f, non_production, rules)
        definition = definition_key(f, rules)
        root = definition or root_cause(f)
        if root:
            where = f"root:{root}"
        elif phase in _PATTERN_PHASES:
            where = f"module|{module_of(f.file)}|{f.category}"
        else:
            where = f.file
        if is_missing_behaviour(f, rules):
            where += "#missing"  # todo!()/unimplemented!(): written apart from "may fail" panics
        groups[GroupKey(phase, f.category, where)].append(f)
    tasks: list[Task] = []
    for key, members in sorted(groups.items(), key=lambda kv: (kv[0].phase, kv[0].category, kv[0].where)):
        members.sort(key=Finding.sort_key)
        if key.where.startswith("root:"):
            tasks.append(_root_task(key, members, blast, rules))
            continue
        if key.where.startswith("cleanup:"):
            crate = key.where.removeprefix("cleanup:") or "the workspace root"
            title = f"Clean-up epic: {len(members)} low-risk panic and blocking site(s) in {code(crate)}"
            task = _task(key.phase, key.category, members, scaled_minutes(members, rules), "", blast, title)
            task.extra["group"] = f"{key.phase}:{key.where}"
            tasks.append(task)
            continue
        chunks = _balanced_chunks(members, rules)
        title = _module_title(key, members) if key.where.startswith("module|") else None
        if key.phase == "P0" and len(members) == 1 and title is None:
            only = members[0]
            title = f"{only.message[:1].upper()}{only.message[1:]} ({code(f'{only.file}:{only.line}')})"
        group = f"{key.phase}:{key.where}"
        for number, (chunk, _minutes) in enumerate(chunks, 1):
            part = f" (part {number}/{len(chunks)})" if len(chunks) > 1 else ""
            missing = key.where.endswith("#missing")
            task = _task(key.phase, key.category, chunk, scaled_minutes(chunk, rules), part, blast, title, missing)
            task.extra["group"] = group
            if len(chunks) > 1:
                task.extra["part"] = [number, len(chunks)]
            tasks.append(task)
    return tasks


def scaled_minutes(chunk: list[Finding], rules: RuleIndex) -> int:
    """Minutes for a group: the first site of each rule costs its full estimate, repeats 60% of it;
    restructuring findings cost by the lines they move instead of a flat rate."""
    seen: set[str] = set()
    total = 0.0
    for f in chunk:
        base = _sized_minutes(f, rules)
        total += base * (0.6 if f.rule in seen else 1.0)
        seen.add(f.rule)
    return _round5(total)


def _sized_minutes(f: Finding, rules: RuleIndex) -> float:
    detail = f.detail or {}
    proposal = detail.get("proposal")
    if isinstance(proposal, dict) and proposal.get("modules"):
        moved = sum(int(m.get("lines", 0)) for m in proposal["modules"] if isinstance(m, dict))
        return 15 + moved / 25
    meta = rules.get(f.rule)
    sized = meta.sized_effort if meta is not None else None
    amount = detail.get(sized.detail_key) if sized is not None else None
    if sized is not None and isinstance(amount, int):
        return sized.base_minutes + amount / sized.lines_per_minute
    return estimate_minutes(f, rules)


def _round5(minutes: float) -> int:
    return max(5, int(math.ceil(minutes / 5.0)) * 5)


def _root_task(key: GroupKey, members: list[Finding], blast: BlastRadiusIndex, rules: RuleIndex) -> Task:
    root = key.where[len("root:"):]
    sites = len({(f.file, f.line) for f in members})
    files = len({f.file for f in members})
    if root.startswith(("derive:", "fields:")):
        minutes = _round5(10 + 2 * (sites - 1))  # one change at the definition, then a re-check per site
    elif root.startswith("chain:"):
        minutes = _round5(30 + 5 * (sites - 1))
    else:
        minutes = scaled_minutes(members, rules)
    title = _definition_title(root, members, sites, files) if root.startswith(("derive:", "fields:")) else None
    if title is None:
        from rust_triage.plan.tasks import _root_title

        title = _root_title(members)
    task = _task(key.phase, key.category, members, minutes, "", blast, title)
    task.extra["root_cause"] = root
    definition = (members[0].detail or {}).get("definition")
    if isinstance(definition, dict):
        task.extra["definition"] = {"file": definition.get("file"), "line": definition.get("line")}
    task.extra["group"] = f"{key.phase}:{key.where}"
    return task


def _definition_title(root: str, members: list[Finding], sites: int, files: int) -> str:
    first = members[0].detail or {}
    name = str(first.get("type", "?"))
    where = root.split(":", 1)[1].split(",")[0]
    resolves = f"resolves {sites} error{'s' if sites != 1 else ''} in {files} file{'s' if files != 1 else ''}"
    if root.startswith("derive:"):
        fixes = first.get("fix") or []
        traits: list[str] = []
        for f in members:
            for fix in (f.detail or {}).get("fix") or []:
                for t in fix.get("add", []) if isinstance(fix, dict) else []:
                    if t not in traits:
                        traits.append(t)
            trait = (f.detail or {}).get("trait")
            if not fixes and isinstance(trait, str) and trait not in traits:
                traits.append(trait)
        target = fixes[0].get("type", name) if fixes and isinstance(fixes[0], dict) else name
        return f"Derive {', '.join(sorted(traits))} on {code(str(target))} ({code(where)}): {resolves}"
    return f"Update the literals of {code(name)} to its fields ({code(where)}): {resolves}"


def _module_title(key: GroupKey, members: list[Finding]) -> str:
    _, crate, module, category = key.where.split("|", 3)
    missing = category.endswith("#missing")
    counts: dict[str, int] = defaultdict(int)
    for f in members:
        counts[f.name] += 1
    patterns = ", ".join(f"{n} × {name}" for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    files = len({f.file for f in members})
    if missing:
        verb = "Implement missing behaviour in"
    elif key.category == "async":
        verb = "Remove blocking calls from async code in"
    elif key.category == "panic":
        verb = "Remove panic paths in"
    elif key.phase == "P2":
        verb = "Replace placeholder code in"
    else:
        verb = "Fix"
    return f"{verb} {code(module or crate)}: {patterns} ({files} file{'s' if files != 1 else ''})"
