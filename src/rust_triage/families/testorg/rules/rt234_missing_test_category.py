"""RT234 missing-test-category: a module without tests of an expected category (off unless configured)."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from rust_triage.engine.context import AnalysisContext, SourceFile
from rust_triage.engine.model import Finding, RuleDocs, RuleMeta, RuleOption
from rust_triage.engine.rule import Rule
from rust_triage.families.debt.common import debt_of
from rust_triage.families.debt.packages import PackageView, packages
from rust_triage.families.testorg.testorg import lib_module_path


class MissingTestCategory(Rule):
    meta = RuleMeta(
        id="RT234",
        name="missing-test-category",
        category="tests",
        severity="low",
        effort_minutes=30,
        summary="library module without tests of a configured category (e.g. sanity, uat)",
        tests_in_scope=True,
        precision="high",
        tags=("tests", "organization"),
        docs=RuleDocs(
            what="Off unless `categories` under `[rules.RT234]` lists categories (e.g. `[\"sanity\", \"uat\"]`). "
            "A test file under the package's `tests/` belongs to category `c` when it sits in `tests/c/` or "
            "its name is `c.rs` or starts with `c_`. It covers module `m` when the rest of its path names "
            "`m` (`tests/sanity/math.rs`, `tests/sanity_math.rs`, `tests/uat/math/...`) or it mentions "
            "`m` (`use my_crate::math`). Each library module at depth `depth` (default 1: the modules "
            "declared in `lib.rs`) missing one or more categories is reported once, listing them.",
            why="Teams that organize tests by category (fast sanity checks, user acceptance tests...) need "
            "to see which modules lack which kind; a missing category is a gap in the test plan.",
            example="categories = [\"sanity\", \"uat\"]; `tests/sanity_math.rs` exists but no uat test "
            "mentions `math`: `crate::math` is missing `uat`.",
            fix="Add the missing file, e.g. `tests/uat_math.rs` (or `tests/uat/math.rs` declared from "
            "`tests/uat.rs`).",
            suppress="`// rust-triage: allow-file(RT234) -- reason` at the top of the module file.",
            clippy="none",
        ),
        options=(
            RuleOption("categories", "string-list", [], "the test categories every library module needs "
                       "(empty: the rule is off)"),
            RuleOption("depth", "positive-int", 1, "module depth checked (1: the modules declared in lib.rs)"),
        ),
    )

    def check(self, ctx: AnalysisContext) -> Iterable[Finding]:
        categories: list[str] = ctx.config.option(self.meta, "categories")
        if not categories:
            return
        depth: int = ctx.config.option(self.meta, "depth")
        for view in packages(ctx):
            if view.lib_name is None:
                continue
            files = _category_files(view, categories)
            for path, src in _modules(view, depth):
                name = path.rsplit("::", 1)[-1]
                missing = [c for c in categories if not any(_covers(f, rest, name) for f, rest in files[c])]
                if not missing:
                    continue
                yield ctx.finding(
                    self.meta, src, 1, 1,
                    f"module `{path}` has no {', '.join(missing)} test{'s' if len(missing) > 1 else ''}",
                    fix_hint="add " + ", ".join(f"`{view.under('tests', f'{c}_{name}.rs')}`" for c in missing),
                    snippet="",
                    in_test=False,
                    detail={"module": path, "missing": missing, "categories": list(categories)},
                )


def _category_files(view: PackageView, categories: list[str]) -> dict[str, list[tuple[SourceFile, list[str]]]]:
    """Per category: its test files and the path words after the category part."""
    out: dict[str, list[tuple[SourceFile, list[str]]]] = {c: [] for c in categories}
    prefix = view.tests_dir + "/"
    for f in view.integration_files():
        parts = f.rel[len(prefix):].split("/")
        parts[-1] = posixpath.splitext(parts[-1])[0]
        for c in categories:
            if len(parts) > 1 and parts[0] == c:
                out[c].append((f, parts[1:]))
            elif parts[0] == c or parts[0].startswith(c + "_"):
                out[c].append((f, [parts[0][len(c) + 1:]] + parts[1:]))
    return out


def _covers(src: SourceFile, rest: list[str], module: str) -> bool:
    words = [w for part in rest for w in (part, *part.split("_")) if w]
    if module in words or any(part == module or part.startswith(module + "_") for part in rest):
        return True
    return module in debt_of(src).test_idents


def _modules(view: PackageView, depth: int) -> list[tuple[str, SourceFile]]:
    seen: dict[str, SourceFile] = {}
    for f in view.lib_files():
        path = lib_module_path(f)
        if len(path.split("::")) - 1 == depth:
            seen.setdefault(path, f)
    return sorted(seen.items())


RULES = [MissingTestCategory()]
