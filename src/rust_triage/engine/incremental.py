"""Rule results reused across runs: file-local rules per file, workspace rules per workspace interface.

A rule with `scope = "file"` reads one file's facts and place in the module tree, nothing else: its
findings for a file are kept under a key of the file's content, its place, the rule's own extra key
(`Rule.file_key`) and the run's configuration and rule set. Only files whose key changed are checked
again (and, for a run on a few named files, only those files).

Every other rule is a workspace rule. Its findings are reused while no file's *interface shape*
changed (`engine/interface.py`): the file's facts without its comments, query matches, line counts and
positions, plus its place in the module tree, the workspace's manifests, the configuration and the
content of the other files the families read (`AnalysisContext.other_inputs`, e.g. `.py` files). A
function-body edit that keeps items, calls, uses and types -- also one that adds lines or edits a comment --
leaves every shape unchanged. The rules whose kept findings are located in, or cite, a file whose
positions moved or whose quoted lines changed run again; the others' findings are reused
(`engine/workspace_reuse.py`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

from rust_triage.engine.budget import checked_findings
from rust_triage.engine.context import AnalysisContext, SourceFile
from rust_triage.engine.interface import interface_digests
from rust_triage.engine.model import Finding
from rust_triage.engine.results_store import (
    FileResults,
    ResultsIndex,
    ResultsStore,
    WorkspaceMemo,
    WorkspaceResults,
    decode_file_results,
    encode_file_results,
)
from rust_triage.engine.rule import Rule
from rust_triage.engine.workspace_reuse import Reuse, merged_by_file, plan_reuse, quoted_digests


def _digest(*parts: object) -> str:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        h.update(part if isinstance(part, bytes) else repr(part).encode("utf-8", "surrogateescape"))
        h.update(b"\0")
    return h.hexdigest()


def placement(src: SourceFile) -> str:
    """Where a file sits, added beside its interface digests (two files may hold the same bytes)."""
    return _digest(src.rel, src.modules, src.in_test_target, src.package)


@dataclass
class RuleResults:
    """Raw findings per selected rule, in the order a full run produces them."""

    by_rule: dict[str, list[Finding]] = field(default_factory=dict)
    rule_errors: list[tuple[str, Exception]] = field(default_factory=list)


class IncrementalRunner:
    """Runs the selected rules, reusing what the results store holds for unchanged inputs."""

    def __init__(self, store: ResultsStore | None, run_key: str, content_keys: dict[str, str]) -> None:
        self.store = store
        self.run_key = run_key  # configuration, rule set, tool version, workspace manifests
        self.content_keys = content_keys  # rel -> cache key of the file's bytes
        self.stats = {"file_rules_rerun": 0, "workspace_rules_reused": 0}
        self._pending: tuple[ResultsIndex, WorkspaceMemo] | None = None

    def run(self, ctx: AnalysisContext, rules: list[Rule], focus: set[str] | None) -> RuleResults:
        old = (self.store.load() if self.store is not None else None) or ResultsIndex(run_key="")
        if old.run_key != self.run_key:
            old = ResultsIndex(run_key=self.run_key)
        new = ResultsIndex(run_key=self.run_key)
        out = RuleResults({r.meta.id: [] for r in rules})
        file_rules = [r for r in rules if getattr(r, "scope", "workspace") == "file"]
        ws_rules = [r for r in rules if getattr(r, "scope", "workspace") != "file"]
        fingerprint, positions = self._workspace_fingerprint(ctx, old, new)
        # values derived from the interfaces (dead files, the risk index) are shared by the rules and later steps
        memo = WorkspaceMemo(fingerprint, old.memos if old.memo_fingerprint == fingerprint else {})
        ctx.put(memo)
        self._file_rules(ctx, file_rules, focus, old, new, out)
        self._workspace_rules(ctx, ws_rules, fingerprint, positions, old, new, out)
        self._pending = (new, memo) if self.store is not None and not out.rule_errors else None
        return out

    def finish(self) -> None:
        """Save the results index, with the workspace memos built after the rules (e.g. by the risk family)."""
        if self._pending is None or self.store is None:
            return
        new, memo = self._pending
        if memo.fingerprint is not None:
            new.memo_fingerprint, new.memos = memo.fingerprint, memo.kept()
        self.store.save(new)
        self._pending = None

    def _file_key(self, ctx: AnalysisContext, src: SourceFile, rules: list[Rule]) -> str | None:
        content = self.content_keys.get(src.rel)
        if content is None:
            return None
        return _digest(content, placement(src), [r.file_key(ctx, src) for r in rules])

    def _file_rules(self, ctx: AnalysisContext, rules: list[Rule], focus: set[str] | None,
                    old: ResultsIndex, new: ResultsIndex, out: RuleResults) -> None:
        if not rules:
            return
        ids = [r.meta.id for r in rules]
        per_file: dict[str, dict[str, list[Finding]]] = {}
        stale: list[SourceFile] = []
        keys: dict[str, str | None] = {}
        for src in ctx.files:
            cached = old.files.get(src.rel)
            if focus is not None and src.rel not in focus:  # not reported: kept (unchecked) for later runs
                if cached is not None:
                    new.files[src.rel] = cached
                continue
            key = keys[src.rel] = self._file_key(ctx, src, rules)
            known = decode_file_results(cached) if cached is not None and key is not None else None
            if key is not None and known is not None and known.key == key and set(known.findings) >= set(ids):
                per_file[src.rel] = known.findings
                new.files[src.rel] = cached  # type: ignore[assignment]  # not None with `known`
            else:
                stale.append(src)
        if stale:
            self.stats["file_rules_rerun"] = len(stale)
            sub = replace(ctx, files=stale)  # shares the run's typed state (rule errors, family memos)
            fresh: dict[str, dict[str, list[Finding]]] = {src.rel: {i: [] for i in ids} for src in stale}
            for rule in rules:
                try:
                    # a file-local rule reports in the file it reads; group by file in the run's order
                    current = stale[0].rel
                    for f in checked_findings(sub, rule):
                        target = f.file if f.file in fresh else current
                        fresh[target][rule.meta.id].append(f)
                        current = target
                except Exception as exc:  # one broken rule must not hide the others' findings
                    out.rule_errors.append((rule.meta.id, exc))
                    for findings in fresh.values():
                        findings[rule.meta.id] = []
            for rel, findings in fresh.items():
                per_file[rel] = findings
                key = keys[rel]
                encoded = encode_file_results(FileResults(key=key, findings=findings)) if key is not None else None
                if encoded is not None:
                    new.files[rel] = encoded
        for rule in rules:
            bucket = out.by_rule[rule.meta.id]
            for src in ctx.files:
                bucket.extend(per_file.get(src.rel, {}).get(rule.meta.id, ()))

    def _workspace_fingerprint(self, ctx: AnalysisContext, old: ResultsIndex,
                               new: ResultsIndex) -> tuple[str | None, dict[str, str]]:
        """The digest of every file's interface shape and place (None: unusable), and each file's positions."""
        if self.store is None:
            return None, {}  # nothing to compare with or to save to (`--no-cache`)
        parts: list[tuple[str, str, str]] = []
        positions: dict[str, str] = {}
        for src in ctx.files:
            content = self.content_keys.get(src.rel)
            if content is None:
                return None, {}
            known = old.interfaces.get(content)
            shape, positions[src.rel] = digests = known if known is not None else interface_digests(src)
            new.interfaces[content] = digests
            parts.append((src.rel, shape, placement(src)))
        others = sorted(ctx.other_inputs.items())  # e.g. the .py files the Python family read
        fingerprint = _digest(parts, others, ctx.module_tree.orphans, ctx.module_tree.missing, ctx.module_tree.errors)
        return fingerprint, positions

    def _workspace_rules(self, ctx: AnalysisContext, rules: list[Rule], fingerprint: str | None,
                         positions: dict[str, str], old: ResultsIndex, new: ResultsIndex, out: RuleResults) -> None:
        """Run the workspace rules that must run again (`workspace_reuse`), reuse the others' findings."""
        if not rules:
            return
        cached = old.workspace
        changed = {rel for rel in cached.quoted if old.contents.get(rel) != self.content_keys.get(rel)} if cached else set()
        reuse = plan_reuse(ctx, rules, cached, fingerprint, positions, changed)
        self.stats["workspace_rules_rerun"] = len(reuse.rerun)
        self.stats["workspace_rules_reused"] = int(not reuse.rerun)
        self.stats["workspace_rules_rerun_by_file"] = len(reuse.by_file)
        again = {r.meta.id for r in reuse.rerun}
        findings: dict[str, list[Finding]] = {}
        for rule in rules:
            rule_id = rule.meta.id
            if rule_id not in again and cached is not None:
                findings[rule_id] = list(cached.findings.get(rule_id, []))
                continue
            try:
                found = self._by_file(ctx, rule, cached, reuse) if rule_id in reuse.by_file else None
                findings[rule_id] = found if found is not None else checked_findings(ctx, rule)
            except Exception as exc:  # one broken rule must not hide the others' findings
                out.rule_errors.append((rule_id, exc))
                findings[rule_id] = []
        out.by_rule.update(findings)
        if fingerprint is None:
            return
        quoted = quoted_digests(ctx, findings, cached, reuse, changed)
        new.workspace = WorkspaceResults(fingerprint=fingerprint, rules=sorted(findings), findings=findings,
                                         quoted=quoted, positions=positions)
        new.contents = {rel: self.content_keys[rel] for rel in quoted if rel in self.content_keys}

    def _by_file(self, ctx: AnalysisContext, rule: Rule, cached: WorkspaceResults | None,
                 reuse: Reuse) -> list[Finding] | None:
        """A "workspace-by-file" rule run for the dirty files, merged with its kept findings (None: run it
        in full)."""
        if cached is None:
            return None
        order = {src.rel: i for i, src in enumerate(ctx.files)}
        kept = list(cached.findings.get(rule.meta.id, []))
        if merged_by_file(order, kept, [], reuse.dirty) is None:  # checked before running it
            return None
        fresh = checked_findings(ctx, rule, [src for src in ctx.files if src.rel in reuse.dirty])
        return merged_by_file(order, kept, fresh, reuse.dirty)
