"""Suppressions: rust-triage allow comments, clippy `#[allow]`/`#[expect]` attributes, clippy.toml.

A finding is suppressed, first match wins, by
1. `// rust-triage: allow(RT001, unwrap-used) -- reason` on its line, or alone on a line above it
   (only comment lines may sit between the comment and the finding's line);
2. `// rust-triage: allow-file(RT010) -- reason` in the file's first comment block;
3. `#[allow(lint)]` / `#[expect(lint)]` on the enclosing item, impl or module chain (including the
   `mod x;` declarations leading to the file), `#![allow(lint)]` in the file, a parent module's file or
   the crate root, where `lint` is one of the rule's `clippy_lints` (or `clippy::restriction` when
   the lint belongs to that group; `clippy::all`-style groups are too broad and never count);
4. clippy.toml `allow-unwrap-in-tests` (and friends) for findings in test code.
Comments that suppress nothing are reported by RT090 (rules/rt090_unused_suppression.py), which
receives the directives through `Rule.check_suppressions(ctx, directives, ran)`, where
`ran(rule_id, rel, in_test)` tells whether a rule was selected and could report in that file.
"""

from __future__ import annotations

import re
from bisect import bisect_right

import msgspec

from rust_triage.engine.config import rule_matches
from rust_triage.engine.context import AnalysisContext, SourceFile
from rust_triage.engine.lint_attributes import (  # noqa: F401  (re-exported API)
    RESTRICTION_LINTS,
    attribute_hit,
    chain_hit,
    inner_lint_attributes,
    lint_attributes,
)
from rust_triage.engine.model import Finding, RuleMeta
from rust_triage.engine.module_decls import ModuleDecls
from rust_triage.engine.paths import path_filter
from rust_triage.engine.registry import Registry
from rust_triage.engine.rule import QueryRule, Rule
from rust_triage.workspace.model import ModuleInfo
from rust_triage.workspace.safepath import read_file_or_none, real_roots, source_lines

DIRECTIVE = re.compile(r"rust-triage:\s*(allow-file|allow)\s*\(([^)]*)\)(.*)", re.IGNORECASE)
# clippy.toml keys that allow a lint in test code.
CLIPPY_TEST_ALLOWANCES = {
    "clippy::unwrap_used": "allow-unwrap-in-tests",
    "clippy::expect_used": "allow-expect-in-tests",
    "clippy::panic": "allow-panic-in-tests",
    "clippy::indexing_slicing": "allow-indexing-slicing-in-tests",
    "clippy::dbg_macro": "allow-dbg-in-tests",
    "clippy::print_stdout": "allow-print-in-tests",
    "clippy::print_stderr": "allow-print-in-tests",
}
_HASH_COMMENT_SUFFIXES = (".py", ".toml", ".pyi")


class Directive(msgspec.Struct):
    """One `rust-triage: allow(...)` / `allow-file(...)` comment."""

    file: str
    line: int
    column: int
    scope: str  # "line" or "file"
    rules: list[str]  # rule ids it names (names resolved to ids)
    unknown: list[str]  # what it names that is no rule
    reason: str
    lines: frozenset[int] = frozenset()  # lines a line-scoped directive covers
    misplaced: bool = False  # allow-file outside the first comment block: covers nothing
    in_test: bool = False
    used: set[str] = msgspec.field(default_factory=set)

    def covers(self, finding: Finding) -> bool:
        if finding.rule not in self.rules or self.misplaced:
            return False
        return self.scope == "file" or finding.line in self.lines

    def describe(self) -> str:
        where = "file comment" if self.scope == "file" else "comment"
        return f"{where}: {self.reason}" if self.reason else f"{where} (no reason given)"


def parse_directive(comment: str) -> tuple[str, list[str], str] | None:
    """(scope, names, reason) of a rust-triage comment, None for any other comment."""
    m = DIRECTIVE.search(comment)
    if m is None:
        return None
    names = [n.strip() for n in m.group(2).split(",") if n.strip()]
    rest = m.group(3).strip()
    if rest.endswith("*/"):
        rest = rest[:-2].rstrip()
    reason = rest[2:].strip() if rest.startswith("--") else ""
    return ("file" if m.group(1).lower() == "allow-file" else "line"), names, reason


class Suppressor:
    """Answers `why is this finding suppressed?` for one analysis; collects the directives it used."""

    def __init__(self, ctx: AnalysisContext, registry: Registry) -> None:
        self.ctx = ctx
        self.registry = registry
        self.metas: dict[str, RuleMeta] = {r.meta.id: r.meta for r in registry.rules}
        self._ids = {**{m.name: i for i, m in self.metas.items()}, **{i.upper(): i for i in self.metas}}
        self._directives: dict[str, list[Directive]] = {}
        self._lines: dict[str, list[str]] = {}
        self._inner: dict[str, list[tuple[str, str]]] = {}
        self._starts: dict[str, list[int]] = {}  # rel -> first line of each item
        self._module_decls = ModuleDecls(ctx)

    # -- comments ---------------------------------------------------------------------------
    def directives(self, rel: str) -> list[Directive]:
        found = self._directives.get(rel)
        if found is None:
            src = self.ctx.by_rel.get(rel)
            found = self._rust_directives(src) if src is not None else self._text_directives(rel)
            self._directives[rel] = found
        return found

    def all_directives(self, focus: set[str] | None = None) -> list[Directive]:
        """Every file's directives (with `focus`: only those files', the others are not reported)."""
        for src in self.ctx.files:
            if focus is None or src.rel in focus:
                self.directives(src.rel)
        return [d for rel in sorted(self._directives) if focus is None or rel in focus for d in self._directives[rel]]

    def _resolve(self, names: list[str]) -> tuple[list[str], list[str]]:
        ids: list[str] = []
        unknown: list[str] = []
        for name in names:
            rule_id = self._ids.get(name) or self._ids.get(name.upper())
            if rule_id is not None:
                ids.append(rule_id)
            else:
                unknown.append(name)
        return ids, unknown

    def _rust_directives(self, src: SourceFile) -> list[Directive]:
        comments = [c for c in src.facts.comments if "rust-triage" in c.text]
        if not comments:
            return []
        comment_starts = {c.line: c for c in src.facts.comments}
        out: list[Directive] = []
        for c in comments:
            parsed = parse_directive(c.text)
            if parsed is None:
                continue
            scope, names, reason = parsed
            ids, unknown = self._resolve(names)
            d = Directive(src.rel, c.line, c.column, scope, ids, unknown, reason,
                          in_test=src.in_test(c.item) if c.item >= 0 else src.in_test_target)
            if scope == "file":
                d.misplaced = not self._in_header(src, c.line, comment_starts)
            elif self._alone(src.line_text(c.line), c.text):
                covered = set(range(c.line, c.end_line + 1))
                nxt = c.end_line + 1
                while nxt in comment_starts and self._alone(src.line_text(nxt), comment_starts[nxt].text):
                    covered.update(range(nxt, comment_starts[nxt].end_line + 1))
                    nxt = comment_starts[nxt].end_line + 1
                covered.add(nxt)
                d.lines = frozenset(covered)
            else:
                d.lines = frozenset({c.line})
            out.append(d)
        return out

    @staticmethod
    def _alone(line_text: str, comment_text: str) -> bool:
        head = comment_text.split("\n", 1)[0].strip()[:40]
        return bool(head) and line_text.lstrip("\ufeff").startswith(head)  # a BOM may open line 1

    @staticmethod
    def _in_header(src: SourceFile, line: int, comment_starts: dict) -> bool:  # type: ignore[type-arg]
        """True when only blank lines, comments and inner attributes come before `line`."""
        covered: set[int] = set()
        for c in comment_starts.values():
            covered.update(range(c.line, c.end_line + 1))
        for n in range(1, line):
            text = src.line_text(n)
            if text and n not in covered and not text.startswith("#!["):
                return False
        return True

    def _text_directives(self, rel: str) -> list[Directive]:
        """Directives in files without Rust facts (Python, TOML): `#` or `//` line comments."""
        lines = self._file_lines(rel)
        out: list[Directive] = []
        in_header = True
        for number, raw in enumerate(lines, start=1):
            text = raw.strip()
            is_comment = text.startswith(("#", "//"))
            if text and not is_comment:
                in_header = False
            if "rust-triage" not in text:
                continue
            at = raw.find("rust-triage")
            marker = max(raw.rfind("#", 0, at), raw.rfind("//", 0, at))
            parsed = parse_directive(raw[marker:]) if marker >= 0 else None
            if parsed is None:
                continue
            scope, names, reason = parsed
            ids, unknown = self._resolve(names)
            d = Directive(rel, number, marker + 1, scope, ids, unknown, reason)
            if scope == "file":
                d.misplaced = not in_header
            elif is_comment:
                nxt = number + 1
                while nxt <= len(lines) and lines[nxt - 1].strip().startswith(("#", "//")):
                    nxt += 1
                d.lines = frozenset(range(number, nxt + 1))
            else:
                d.lines = frozenset({number})
            out.append(d)
        return out

    def _file_lines(self, rel: str) -> list[str]:
        if rel not in self._lines:
            path = self.ctx.workspace.root / rel
            data = None
            if path.suffix in _HASH_COMMENT_SUFFIXES or path.suffix == ".rs":
                ws = self.ctx.workspace
                data = read_file_or_none(path, real_roots(ws.roots), self.ctx.config.max_file_size)
            lines = source_lines(data or b"", python=path.suffix in (".py", ".pyi"))
            self._lines[rel] = [raw.decode("utf-8", "replace") for raw in lines]
        return self._lines[rel]

    def by_comment(self, finding: Finding) -> str | None:
        for d in self.directives(finding.file):
            if d.covers(finding):
                d.used.add(finding.rule)
                return d.describe()
        return None

    # -- attributes ---------------------------------------------------------------------------
    def by_attribute(self, finding: Finding) -> str | None:
        meta = self.metas.get(finding.rule)
        src = self.ctx.by_rel.get(finding.file)
        if meta is None or src is None or not meta.clippy_lints:
            return None
        lints = frozenset(meta.clippy_lints)
        starts = self._starts.get(src.rel)
        if starts is None:
            starts = self._starts[src.rel] = [it.line for it in src.facts.items]
        index = item_at_line(src, finding.line, starts)
        if index >= 0:
            hit = chain_hit(src.facts.item_chain(index), lints)
            if hit:
                return hit
        return self._module_hit(src, lints)

    def _module_hit(self, src: SourceFile, lints: frozenset[str]) -> str | None:
        """`#![allow]` in the file or an ancestor module's file, `#[allow] mod x;` declarations."""
        infos: list[ModuleInfo | None] = [*src.modules] or [None]
        for info in infos:
            current, module_path, depth = src, info.module_path if info else "", 0
            while current is not None and depth < 64:
                depth += 1
                hit = attribute_hit(self._inner_lints(current), lints)
                if hit:
                    where = "at crate root" if module_path == "crate" else "in"
                    return f"#![{hit[0]}({hit[1]})] {where} {current.rel}"
                if info is None or module_path in ("", "crate"):
                    break
                decl = self._module_decls.find((info.package, info.target_kind, info.target, module_path))
                if decl is None:
                    break
                decl_src, decl_index = decl
                hit = chain_hit(decl_src.facts.item_chain(decl_index), lints)
                if hit:
                    return hit
                current = decl_src
                module_path = next(
                    (m.module_path for m in decl_src.modules
                     if (m.package, m.target_kind, m.target) == (info.package, info.target_kind, info.target)),
                    "",
                )
        return None

    def _inner_lints(self, src: SourceFile) -> list[tuple[str, str]]:
        found = self._inner.get(src.rel)
        if found is None:
            found = self._inner[src.rel] = inner_lint_attributes(src)
        return found

    # -- clippy.toml ----------------------------------------------------------------------------
    def by_clippy_toml(self, finding: Finding) -> str | None:
        settings: dict[str, bool] = getattr(self.ctx.config, "clippy", {}) or {}
        meta = self.metas.get(finding.rule)
        if not finding.in_test or meta is None or not settings:
            return None
        for lint in meta.clippy_lints:
            key = CLIPPY_TEST_ALLOWANCES.get(lint)
            if key and settings.get(key):
                return f"clippy.toml: {key}"
        return None

    def reason(self, finding: Finding) -> str | None:
        return self.by_comment(finding) or self.by_attribute(finding) or self.by_clippy_toml(finding)


def item_at_line(src: SourceFile, line: int, starts: list[int] | None = None) -> int:
    """Index of the innermost item whose span holds `line` (or whose attributes start there), else -1.

    Items are in pre-order, so their first lines never decrease: the last item starting at or before
    `line` is found by bisection, and the innermost one holding the line is it or an enclosing item.
    `starts` (the items' first lines) can be passed in when asking about one file many times.
    """
    items = src.facts.items
    if starts is None:
        starts = [it.line for it in items]
    after = bisect_right(starts, line)  # items[after:] start below the line
    found = after - 1
    while found >= 0 and items[found].end_line < line:
        found = items[found].parent
    if found < 0 or items[found].line != line:
        if after < len(items) and src.line_text(line).startswith("#["):
            item = items[after]
            if all(src.line_text(n).startswith(("#[", "//")) for n in range(line, item.line)):
                return item.index
    return found


def rule_ran(rule: Rule, rel: str, in_test: bool, ctx: AnalysisContext, selected: set[str]) -> bool:
    """Whether `rule` was selected and could report in file `rel` (overrides, globs, test scope)."""
    rule_id = rule.meta.id
    if rule_id not in selected:
        return False
    for ov in ctx.config.overrides:
        if path_filter(tuple(ov.paths), ())(rel):
            if (ov.select and not rule_matches(rule_id, ov.select)) or (ov.ignore and rule_matches(rule_id, ov.ignore)):
                return False
    if isinstance(rule, QueryRule) and not path_filter(rule.include, rule.exclude)(rel):
        return False
    return not (in_test and not (rule.meta.tests_in_scope or ctx.config.include_tests))


def apply_suppressions(
    ctx: AnalysisContext,
    registry: Registry,
    findings: list[Finding],
    *,
    selected: set[str] | None = None,
    focus: set[str] | None = None,
) -> tuple[list[Finding], list[Finding]]:
    """Split findings into (kept, suppressed); add the reports of suppression-checking rules (RT090)."""
    if selected is None:
        selected = {r.meta.id for r in registry.rules if ctx.config.is_selected(r.meta.id)}
    suppressor = Suppressor(ctx, registry)
    kept, suppressed = _split(suppressor, findings)
    checkers = [r for r in registry.rules if r.meta.id in selected and hasattr(r, "check_suppressions")]
    if checkers:
        directives = suppressor.all_directives(focus)  # reports outside `focus` are dropped below
        rules = registry.by_id()

        def ran(rule_id: str, rel: str, in_test: bool) -> bool:
            rule = rules.get(rule_id)
            return rule is not None and rule_ran(rule, rel, in_test, ctx, selected)

        extra: list[Finding] = []
        for rule in checkers:
            try:
                extra.extend(rule.check_suppressions(ctx, directives, ran))
            except Exception as exc:  # like run_rules: a broken rule must not hide the other findings
                from rust_triage.errors import FileError

                ctx.rule_errors.append(
                    FileError("<rules>", "rule", f"rule {rule.meta.id} failed: {exc.__class__.__name__}: {exc}")
                )
        extra = [f for f in extra if focus is None or f.file in focus]
        more_kept, more_suppressed = _split(suppressor, extra, comments_only=True)
        kept += more_kept
        suppressed += more_suppressed
    return kept, suppressed


def _split(suppressor: Suppressor, findings: list[Finding], comments_only: bool = False) -> tuple[list[Finding], list[Finding]]:
    kept: list[Finding] = []
    suppressed: list[Finding] = []
    for f in findings:
        why = suppressor.by_comment(f) if comments_only else suppressor.reason(f)
        if why:
            f.suppressed_by = why
            suppressed.append(f)
        else:
            kept.append(f)
    return kept, suppressed

