"""Test-organization facts: which packages and modules have tests, doctests, asserting helpers."""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from rust_triage.families.debt.common import debt_of
from rust_triage.families.debt.packages import PackageView

if TYPE_CHECKING:
    from rust_triage.engine.context import SourceFile

_RUST_FENCE_TAGS = {"", "rust", "no_run", "should_panic", "compile_fail", "test_harness", "edition2015",
                    "edition2018", "edition2021", "edition2024"}
_TESTED_KINDS = ("fn", "struct", "enum", "union", "trait", "type", "const", "static")


def doctest_count(src: SourceFile) -> int:
    """Rust code blocks in the file's doc comments (`ignore`, `text` and other languages excluded)."""
    if not any(c.doc and "```" in c.text for c in src.facts.comments):
        return 0
    count = 0
    in_block = False
    for c in src.facts.comments:
        if not c.doc:
            continue
        for raw in c.text.splitlines():
            line = raw.strip().lstrip("/!*").strip()
            if not line.startswith("```"):
                continue
            if in_block:
                in_block = False
                continue
            in_block = True
            tags = [t.strip() for t in line[3:].split(",")]
            if "ignore" not in tags and tags[0] in _RUST_FENCE_TAGS:
                count += 1
    return count


def package_has_tests(view: PackageView) -> bool:
    """Any `#[test]` fn, doctest, or `harness = false` test target anywhere in the package."""
    if view.has_harness_free_tests or view.test_fn_count():
        return True
    return any(doctest_count(f) for f in view.lib_files())


def asserting_names(view: PackageView, rounds: int = 4) -> set[str]:
    """Names of the package's fns and macros that assert, directly or through helpers they call
    (`fn check(..) { verify(..) }` where `verify` asserts), a few calls deep."""
    names: set[str] = set()
    for f in view.files:
        names.update(debt_of(f).asserting)
    callees: dict[str, set[str]] = {}
    for f in view.files:
        items = f.facts.items
        for call in f.facts.calls:
            fn = call.item
            while fn >= 0 and items[fn].kind != "fn":
                fn = items[fn].parent
            if fn >= 0:
                callees.setdefault(items[fn].name, set()).add(call.callee.rsplit("::", 1)[-1])
    for _ in range(rounds):
        grown = {name for name, called in callees.items() if name not in names and called & names}
        if not grown:
            break
        names |= grown
    return names


def pub_items(src: SourceFile) -> list[str]:
    """Names of the file's top-level `pub` items (modules and re-exports excluded)."""
    return [
        it.name for it in src.facts.items
        if it.parent == -1 and it.kind in _TESTED_KINDS and it.vis.startswith("pub") and it.name and not it.in_test
    ]


def has_behaviour(src: SourceFile) -> bool:
    """A non-test fn that callers can reach: top-level `pub fn`, or a pub / trait-impl method."""
    items = src.facts.items
    for it in items:
        if it.kind != "fn" or it.in_test:
            continue
        parent = items[it.parent] if it.parent >= 0 else None
        if parent is None and it.vis.startswith("pub"):
            return True
        if parent is not None and parent.kind == "impl" and parent.parent == -1 and (
            parent.trait or it.vis.startswith("pub")
        ):
            return True
    return False


def lib_module_path(src: SourceFile) -> str:
    for m in src.modules:
        if m.target_kind in ("lib", "proc-macro") and not m.is_test:
            return m.module_path
    return src.module_path or "crate"


def unit_tested_paths(view: PackageView) -> set[str]:
    """Module paths (of the lib target) that hold at least one `#[test]` fn."""
    paths: set[str] = set()
    for f in view.files:
        debt = debt_of(f)
        if not debt.test_fns:
            continue
        for m in f.modules:
            if m.target_kind in ("lib", "proc-macro"):
                paths.add(m.module_path)
    return paths


def integration_idents(view: PackageView) -> set[str]:
    idents: set[str] = set()
    for f in view.integration_files():
        idents.update(debt_of(f).test_idents)
    return idents


def suggested_test_file(src: SourceFile, view: PackageView) -> str:
    path = lib_module_path(src)
    segments = path.split("::")[1:]
    stem = "_".join(segments) if segments else (view.lib_name or view.name.replace("-", "_"))
    return posixpath.join(view.tests_dir, f"{stem}.rs")


def test_target_roots(view: PackageView) -> list[tuple[SourceFile, str]]:
    """(root file, target name) of each integration test target."""
    out = []
    for f in view.files:
        for m in f.modules:
            if m.target_kind == "test" and m.module_path == "crate":
                out.append((f, m.target))
    return out


def target_test_fns(view: PackageView, target: str) -> int:
    return sum(
        len(debt_of(f).test_fns) for f in view.files
        if any(m.target_kind == "test" and m.target == target for m in f.modules)
    )
