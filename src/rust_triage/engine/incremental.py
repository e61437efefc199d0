"""Rule results reused across runs: file-local rules per file, workspace rules per workspace interface.

A rule with `scope = "file"` reads one file's facts and place in the module tree, nothing else: its
findings for a file are kept under a key of the file's content, its place, the rule's own extra key
(`Rule.file_key`) and the run's configuration and rule set. Only files whose key changed are checked
again (and, for a run on a few named files, only those files).

Every other rule is a workspace rule. Its findings are reused as a whole when no file's *interface*
changed: the file's facts without its comments, query matches and line counts (what only file-local
rules read), plus its place in the module tree, the workspace's manifests, the configuration and the
content of the other files the families read (`AnalysisContext.other_inputs`, e.g. `.py` files). A
function-body edit that keeps the shape and positions of items, calls, uses and types (a literal or an
operator of the same length, a comment) leaves every interface unchanged. Findings of workspace rules quote source lines: a reused
finding in an edited file is kept only if the lines it quotes did not change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import msgspec

from rust_triage.engine.budget import checked_findings
from rust_triage.engine.context import AnalysisContext, SourceFile
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

_ENCODER = msgspec.msgpack.Encoder(order="deterministic")


def _digest(*parts: object) -> str:
    h = hashlib.blake2b(digest_size=20)
    for part in parts:
        h.update(part if isinstance(part, bytes) else repr(part).encode("utf-8", "surrogateescape"))
        h.update(b"\0")
    return h.hexdigest()


def interface_digest(src: SourceFile) -> str:
    """What workspace rules may read of one file's facts: all but comments, matches and line counts.

    A function of the file's content alone (kept by content key between runs); where the file sits is
    `placement`, added beside it in the workspace fingerprint (two files may hold the same bytes)."""
    facts = replace(src.facts, comments=[], matches=[], line_count=0, code_lines=0, test_code_lines=0)
    plain = msgspec.to_builtins(facts, str_keys=True, order="deterministic")  # sets sorted: same bytes every run
    return _digest(_ENCODER.encode(plain))


def placement(src: SourceFile) -> str:
    return _digest(src.rel, src.modules, src.in_test_target, src.package)


def _line_digest(src: SourceFile, lines: Iterable[int]) -> str:
    return _digest([src.line_text(n) for n in sorted(set(lines))])


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
        fingerprint = self._workspace_fingerprint(ctx, old, new)
        # values derived from the interfaces (dead files, the risk index) are shared by the rules and later steps
        memo = WorkspaceMemo(fingerprint, old.memos if old.memo_fingerprint == fingerprint else {})
        ctx.put(memo)
        self._file_rules(ctx, file_rules, focus, old, new, out)
        self._workspace_rules(ctx, ws_rules, fingerprint, old, new, out)
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

    def _workspace_fingerprint(self, ctx: AnalysisContext, old: ResultsIndex, new: ResultsIndex) -> str | None:
        if self.store is None:
            return None  # nothing to compare with or to save to (`--no-cache`)
        parts: list[tuple[str, str, str]] = []
        for src in ctx.files:
            content = self.content_keys.get(src.rel)
            if content is None:
                return None
            known = old.interfaces.get(content)
            digest = known if known is not None else interface_digest(src)
            new.interfaces[content] = digest
            parts.append((src.rel, digest, placement(src)))
        others = sorted(ctx.other_inputs.items())  # e.g. the .py files the Python family read
        return _digest(parts, others, ctx.module_tree.orphans, ctx.module_tree.missing, ctx.module_tree.errors)

    def _workspace_rules(self, ctx: AnalysisContext, rules: list[Rule], fingerprint: str | None,
                         old: ResultsIndex, new: ResultsIndex, out: RuleResults) -> None:
        """Run the workspace rules, or reuse their findings while the fingerprint (None: unusable) holds."""
        if not rules:
            return
        ids = sorted(r.meta.id for r in rules)
        cached = old.workspace
        if (fingerprint is not None and cached is not None and cached.fingerprint == fingerprint
                and cached.rules == ids and self._quoted_lines_unchanged(ctx, cached, old)):
            self.stats["workspace_rules_reused"] = 1
            for rule in rules:
                out.by_rule[rule.meta.id] = list(cached.findings.get(rule.meta.id, []))
            new.workspace = cached
            new.contents = {rel: self.content_keys[rel] for rel in cached.quoted}
            return
        produced: dict[str, list[Finding]] = {}
        for rule in rules:
            try:
                produced[rule.meta.id] = checked_findings(ctx, rule)
            except Exception as exc:  # one broken rule must not hide the others' findings
                out.rule_errors.append((rule.meta.id, exc))
                produced[rule.meta.id] = []
        for rule_id, findings in produced.items():
            out.by_rule[rule_id] = findings
        if fingerprint is None:
            return
        lines: dict[str, set[int]] = {}
        for findings in produced.values():
            for f in findings:
                lines.setdefault(f.file, set()).add(f.line)
        by_rel = ctx.by_rel
        quoted = {rel: _line_digest(by_rel[rel], numbers) for rel, numbers in lines.items() if rel in by_rel}
        new.workspace = WorkspaceResults(fingerprint=fingerprint, rules=ids, findings=produced, quoted=quoted)
        new.contents = {rel: self.content_keys[rel] for rel in quoted if rel in self.content_keys}

    def _quoted_lines_unchanged(self, ctx: AnalysisContext, cached: WorkspaceResults, old: ResultsIndex) -> bool:
        """Findings quote their source line: in files edited since, those lines must read the same."""
        by_rel = ctx.by_rel
        lines: dict[str, set[int]] = {}
        for findings in cached.findings.values():
            for f in findings:
                lines.setdefault(f.file, set()).add(f.line)
        for rel, digest in cached.quoted.items():
            if old.contents.get(rel) == self.content_keys.get(rel):
                continue
            src = by_rel.get(rel)
            if src is None or _line_digest(src, lines.get(rel, ())) != digest:
                return False
        return True
