"""Mutation test of the type checks, with rustc as the judge.

    python benches/mutate_types.py [--fixture fixtures/types/mutation_base] [--crate DIR ...]
                                   [--fields 80] [--derives 80] [--seed 1] [--verbose]

Copies a clean workspace (the fixture, or each `--crate`, e.g. a crate of Debian's
/usr/share/cargo/registry: see real_crates.py), then repeatedly applies one mutation, runs
rust-triage (RT3xx, default confidence) and `cargo check` (test code included where it builds), and
restores the file:

- field mutations delete one field initialiser from one struct literal, or one argument from a call
  to a capitalised path (a tuple struct or variant constructor), anywhere: plain code and the
  arguments of any macro call;
- derive mutations delete one trait from one `#[derive(...)]` list.

A finding is a true positive when rustc reports an error of a code its rule predicts in the same file
within two lines (see rust_triage.families.types.oracle). Prints precision and recall per check against the
targets (missing fields: precision >= 0.97, recall >= 0.95; derives: precision >= 0.95, recall >= 0.85),
then per class (mutation_classes.py) and for test code. Findings already reported on the unmutated
workspace are left out. A `cargo check` that fails other than on compile errors (a rustc killed, a
source cargo could not load) is no verdict: such a check mode is not taken as clean, and a mutation
whose check fails so twice is left out (said on stderr and counted in the output). Exit status 0
whatever the numbers; 2 when a workspace does not build to start with or cargo is missing.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from tree_sitter import Node

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutation_classes import (  # noqa: E402
    DERIVE_CLASSES,
    FIELD_CLASSES,
    TEST_CLASS,
    derive_class,
    field_class,
    in_ranges,
    test_ranges,
)
from real_crates import CHECK_MODES, prepare_crate  # noqa: E402

from rust_triage.families.types.oracle import RULE_CODES, CargoCheck, Predicted, cargo_check, judge  # noqa: E402
from rust_triage.parse.language import parse_rust  # noqa: E402
from rust_triage.pipeline import Options, analyse  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CHECKS = {
    "fields": (("RT301", "RT302", "RT303"), 0.97, 0.95),
    "derives": (("RT310", "RT311", "RT312"), 0.95, 0.85),
}
CLASSES = {"fields": FIELD_CLASSES, "derives": DERIVE_CLASSES}
RETRY_PAUSE = 5.0  # seconds before a cargo check that failed other than on compile errors is run again


@dataclass(frozen=True)
class Mutation:
    kind: str  # "fields" | "derives"
    file: str  # relative to the workspace
    start: int  # byte range replaced
    end: int
    replacement: bytes
    what: str
    cls: str = ""  # field mutations: the class of the literal or call (derives are classed per error)
    in_test: bool = False  # the site is test code


@dataclass
class Tally:
    mutations: int = 0
    breaking: int = 0  # mutations rustc rejects with a judged error
    errors: int = 0
    findings: int = 0
    true_pos: int = 0
    false_pos: int = 0
    missed: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_pos / (self.true_pos + self.false_pos) if self.true_pos + self.false_pos else 1.0

    @property
    def recall(self) -> float:
        return (self.errors - self.missed) / self.errors if self.errors else 1.0


# -- finding mutation sites ----------------------------------------------------------------------
def field_mutations(rel: str, data: bytes, structs: set[str] | None = None) -> list[Mutation]:
    """Drop one field initialiser of a struct literal; `structs` (the names of the workspace's structs)
    tells literals through an alias or rename apart."""
    out: list[Mutation] = []
    tree = parse_rust(data)
    tests = test_ranges(rel, tree.root_node)
    for lit, offset, in_macro in _nodes(tree.root_node, 0, "struct_expression", False):
        body = lit.child_by_field_name("body")
        if body is None:
            continue
        inits = [c for c in body.named_children if c.type in ("field_initializer", "shorthand_field_initializer")]
        name = lit.child_by_field_name("name")
        cls = field_class(_text(name), lit, structs if structs is not None else {_last(_text(name))}, in_macro)
        for init in inits:
            start, end = init.start_byte, init.end_byte
            after = init.next_sibling
            if after is not None and after.type == ",":
                end = after.end_byte + (data[after.end_byte + offset : after.end_byte + offset + 1] == b" ")
            else:
                before = init.prev_sibling
                if before is not None and before.type == ",":
                    start = before.start_byte
            line = data[: init.start_byte + offset].count(b"\n") + 1
            what = f"{rel}:{line} drop `{_short(init, 40)}` from `{_text(name)}` [{cls}]"
            out.append(Mutation("fields", rel, start + offset, end + offset, b"", what, cls, in_ranges(line, tests)))
    return out


def argument_mutations(rel: str, data: bytes) -> list[Mutation]:
    """Drop one argument of a call to a capitalised path (`Meters(3)`, `Shape::Rect(w, h)`)."""
    out: list[Mutation] = []
    tree = parse_rust(data)
    tests = test_ranges(rel, tree.root_node)
    for call, offset, in_macro in _nodes(tree.root_node, 0, "call_expression", False):
        func = call.child_by_field_name("function")
        args = call.child_by_field_name("arguments")
        name = _last(_text(func)) if func is not None else ""
        if not name[:1].isupper() or name in ("Some", "Ok", "Err") or args is None:
            continue
        cls = "macro" if in_macro else "tuple"
        values = args.named_children
        for value in values:
            start, end = value.start_byte, value.end_byte
            after = value.next_sibling
            if after is not None and after.type == ",":
                end = after.end_byte + (data[after.end_byte + offset : after.end_byte + offset + 1] == b" ")
            elif value.prev_sibling is not None and value.prev_sibling.type == ",":
                start = value.prev_sibling.start_byte
            line = data[: value.start_byte + offset].count(b"\n") + 1
            out.append(Mutation("fields", rel, start + offset, end + offset, b"",
                                f"{rel}:{line} drop argument `{_short(value, 30)}` of `{_text(func)}` [{cls}]",
                                cls, in_ranges(line, tests)))
    return out


def _last(path: str) -> str:
    return path.rsplit("::", 1)[-1].split("<", 1)[0].strip()


def _nodes(root: Node, offset: int, kind: str, in_macro: bool) -> list[tuple[Node, int, bool]]:
    """Nodes of a kind in the tree, and inside any macro call read as an array of expressions."""
    found: list[tuple[Node, int, bool]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == kind:
            found.append((node, offset, in_macro))
        if node.type == "macro_definition":
            continue
        if node.type == "macro_invocation":
            tt = next((c for c in node.named_children if c.type == "token_tree"), None)
            if tt is not None:
                prefix = b"fn __m(){["
                inner = parse_rust(prefix + tt.text[1:-1] + b"];}")
                if not inner.root_node.has_error:
                    macro = _text(node.child_by_field_name("macro"))
                    found.extend(_nodes(inner.root_node, offset + tt.start_byte + 1 - len(prefix), kind,
                                        in_macro or _last(macro) not in _STD_MACROS))
            continue
        stack.extend(node.children)
    return found


# std macros whose arguments rust-triage reads as code: literals there are not "in a macro"
_STD_MACROS = frozenset({"vec", "format", "print", "println", "eprint", "eprintln", "write", "writeln", "panic",
                         "assert", "assert_eq", "assert_ne", "debug_assert", "debug_assert_eq", "debug_assert_ne",
                         "dbg", "format_args", "unreachable", "todo", "unimplemented"})


def derive_mutations(rel: str, data: bytes) -> list[Mutation]:
    out: list[Mutation] = []
    tree = parse_rust(data)
    tests = test_ranges(rel, tree.root_node)
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        stack.extend(node.children)
        if node.type != "attribute_item":
            continue
        text = _text(node)
        if not text.replace(" ", "").startswith("#[derive("):
            continue
        traits = [t.strip() for t in text[text.index("(") + 1 : text.rindex(")")].split(",") if t.strip()]
        item = node.next_named_sibling
        owner = _text(item.child_by_field_name("name")) if item is not None and item.child_by_field_name("name") else "?"
        for trait in traits:
            rest = [t for t in traits if t != trait]
            if rest:
                start, end, replacement = node.start_byte, node.end_byte, f"#[derive({', '.join(rest)})]".encode()
            else:  # drop the whole attribute line
                start = data.rfind(b"\n", 0, node.start_byte) + 1
                end = node.end_byte + 1 if data[node.end_byte : node.end_byte + 1] == b"\n" else node.end_byte
                replacement = b""
            line = node.start_point[0] + 1
            out.append(Mutation("derives", rel, start, end, replacement, f"{rel}:{line} drop `{trait}` from `{owner}`",
                                in_test=in_ranges(line, tests)))
    return out


def _text(node: Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None else ""


def _short(node: Node | None, limit: int) -> str:
    return " ".join(_text(node).split())[:limit]


_STRUCT_NAME = re.compile(rb"\bstruct\s+([A-Za-z_][A-Za-z0-9_]*)")


def struct_names(sources: dict[str, bytes]) -> set[str]:
    return {m.decode() for data in sources.values() for m in _STRUCT_NAME.findall(data)}


# -- running ---------------------------------------------------------------------------------------
@dataclass
class Workspace:
    name: str
    root: Path
    target: Path
    cargo: str
    targets: tuple[str, ...]
    cache: Path
    baseline: set[tuple[str, str, int]] = field(default_factory=set)  # findings before any mutation

    @property
    def checks_tests(self) -> bool:
        return "--all-targets" in self.targets or "test" in self.targets

    def compiled(self, rel: str, line: int, tests: list[tuple[int, int]]) -> bool:
        """False for code the check mode leaves out: test code without a test profile, and test,
        bench and example targets without `--all-targets`."""
        if "--all-targets" not in self.targets and rel.startswith(("tests/", "benches/", "examples/")):
            return False
        return self.checks_tests or not in_ranges(line, tests)

    def predictions(self) -> list[Predicted]:
        analysis = analyse(Options(paths=[self.root], cache_dir=self.cache, select=["RT3"], jobs=1))
        return [Predicted(f.rule, f.file, f.line) for f in analysis.findings]

    def check(self) -> CargoCheck:
        return cargo_check(self.root, self.target, self.cargo, targets=self.targets)


def open_workspace(name: str, root: Path, tmp: Path, cargo: str, modes: tuple[tuple[str, ...], ...]) -> Workspace | None:
    """The workspace with the widest check mode that is clean on it, or None."""
    for targets in modes:
        ws = Workspace(name, root, tmp / "target", cargo, targets, tmp / "cache")
        check = ws.check()
        for _ in range(2):  # not a verdict on the code: a mode that merely failed to run is not clean
            if not check.failure:
                break
            print(f"{name} {' '.join(targets)}: {check.failure}", file=sys.stderr)
            time.sleep(RETRY_PAUSE)
            check = ws.check()
        if not check.errors and not check.failure:
            ws.baseline = {(p.rule, p.file, p.line) for p in ws.predictions()}
            return ws
    return None


def checked(ws: Workspace, m: Mutation) -> CargoCheck | None:
    """The mutated workspace's check; tried twice when cargo fails other than on compile errors, then None
    (the mutation is left out: the errors of a check that did not run are no verdict)."""
    for attempt in range(2):
        if attempt:
            time.sleep(RETRY_PAUSE)
        check = ws.check()
        if not check.failure:
            return check
        print(f"cargo failed on {m.what}: {check.failure}", file=sys.stderr)
    return None


def run_one(ws: Workspace, m: Mutation, original: bytes) -> tuple[list[Predicted], CargoCheck, dict[str, bytes]] | None:
    """Findings, the cargo check and the mutated texts of the files either names; None when cargo could
    not check the mutation."""
    path = ws.root / m.file
    path.write_bytes(original[: m.start] + m.replacement + original[m.end :])
    try:
        preds, check = ws.predictions(), checked(ws, m)
        if check is None:
            return None
        files = {p.file for p in preds} | {e.file for e in check.errors}
        texts = {rel: (ws.root / rel).read_bytes() for rel in files if (ws.root / rel).is_file()}
        return preds, check, texts
    finally:
        path.write_bytes(original)


def new_findings(ws: Workspace, m: Mutation, original: bytes, preds: list[Predicted]) -> list[Predicted]:
    """Findings not already reported before the mutation (lines after a deleted line shifted back)."""
    at = original[: m.start].count(b"\n") + 1
    delta = original[m.start : m.end].count(b"\n") - m.replacement.count(b"\n")
    out = []
    for p in preds:
        line = p.line + delta if p.file == m.file and p.line > at else p.line
        if (p.rule, p.file, line) not in ws.baseline:
            out.append(p)
    return out


class Scores:
    """Tallies per check, per (check, class), and per (check, test code)."""

    def __init__(self) -> None:
        self.tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
        self.unchecked = 0  # mutations left out: cargo failed on them other than on compile errors

    def score(self, ws: Workspace, m: Mutation, preds: list[Predicted], check: CargoCheck,
              texts: dict[str, bytes], verbose: bool) -> None:
        """Findings in crates cargo could not check (a dependency failed) are left out: rustc has no say."""
        rules = CHECKS[m.kind][0]
        codes = {c for r in rules for c in RULE_CODES[r]}
        lines = {rel: data.decode("utf-8", "replace").splitlines() for rel, data in texts.items()}
        tests = {rel: test_ranges(rel, parse_rust(data).root_node) for rel, data in texts.items()}
        mine = [p for p in preds if p.rule in rules and check.was_checked(p.file)
                and ws.compiled(p.file, p.line, tests.get(p.file, []))]
        judged = [e for e in check.errors if e.code in codes]
        result = judge(mine, judged)

        def classes(rel: str, line: int, code: str) -> list[str]:
            if m.kind == "fields":
                cls = m.cls
                test = m.in_test
            else:
                text = lines.get(rel, [])
                cls = derive_class(code, text[line - 1] if 0 < line <= len(text) else "", text, line)
                test = in_ranges(line, tests.get(rel, []))
            return ["", cls] + ([TEST_CLASS] if test else [])

        touched: set[str] = set()
        for _p, e in result.matched:
            for cls in classes(e.file, e.line, e.code):
                self.tallies[(m.kind, cls)].true_pos += 1
                touched.add(cls)
        for p in result.false_positives:
            found = classes(p.file, p.line, "E0382" if p.rule == "RT312" else "")
            for cls in found:
                self.tallies[(m.kind, cls)].false_pos += 1
                touched.add(cls)
            if verbose:
                self.tallies[(m.kind, "")].notes.append(f"FP   {m.what}: {p.rule} at {p.file}:{p.line} [{found[1]}]")
        missed = set(map(id, result.missed))
        for e in judged:
            for cls in classes(e.file, e.line, e.code):
                t = self.tallies[(m.kind, cls)]
                t.errors += 1
                t.missed += id(e) in missed
                touched.add(cls)
            if verbose and id(e) in missed:
                cls = classes(e.file, e.line, e.code)[1]
                self.tallies[(m.kind, "")].notes.append(
                    f"MISS {m.what}: {e.code} at {e.file}:{e.line} [{cls}] {e.message[:90]}")
        total = self.tallies[(m.kind, "")]
        total.mutations += 1
        total.breaking += bool(judged)
        total.findings += len(mine)
        for cls in touched - {""}:
            self.tallies[(m.kind, cls)].mutations += 1

    def print(self, verbose: bool) -> None:
        if self.unchecked:
            print(f"{self.unchecked} mutations left out: cargo failed on them other than on compile errors")
        print(f"{'check':<8} {'mutations':>9} {'breaking':>8} {'errors':>6} {'findings':>8} {'TP':>4} {'FP':>4} "
              f"{'missed':>6} {'precision':>9} {'recall':>6}  targets")
        for kind, (_, p_target, r_target) in CHECKS.items():
            t = self.tallies[(kind, "")]
            verdict = "PASS" if t.precision >= p_target and t.recall >= r_target else "MISS"
            print(f"{kind:<8} {t.mutations:>9} {t.breaking:>8} {t.errors:>6} {t.findings:>8} {t.true_pos:>4} "
                  f"{t.false_pos:>4} {t.missed:>6} {t.precision:>9.3f} {t.recall:>6.3f}  "
                  f"p>={p_target} r>={r_target} {verdict}")
        print(f"\n{'per class':<24} {'errors':>6} {'TP':>4} {'FP':>4} {'missed':>6} {'precision':>9} {'recall':>6}")
        for kind in CHECKS:
            for cls in (*CLASSES[kind], TEST_CLASS):
                t = self.tallies.get((kind, cls))
                if t is None or not (t.errors or t.false_pos):
                    continue
                print(f"  {kind + ' / ' + cls:<22} {t.errors:>6} {t.true_pos:>4} {t.false_pos:>4} {t.missed:>6} "
                      f"{t.precision:>9.3f} {t.recall:>6.3f}")
        if verbose:
            for kind in CHECKS:
                for note in self.tallies[(kind, "")].notes:
                    print(note)


def mutate(ws: Workspace, args: argparse.Namespace, scores: Scores) -> int:
    sources = {p.relative_to(ws.root).as_posix(): p.read_bytes() for p in sorted(ws.root.rglob("*.rs"))
               if "target" not in p.relative_to(ws.root).parts}
    structs = struct_names(sources)
    rng = random.Random(args.seed)
    pools = {"fields": [m for rel, d in sources.items()
                        for m in field_mutations(rel, d, structs) + argument_mutations(rel, d)],
             "derives": [m for rel, d in sources.items() for m in derive_mutations(rel, d)]}
    wanted = {"fields": args.fields, "derives": args.derives}
    for kind, pool in pools.items():
        for m in rng.sample(pool, min(wanted[kind], len(pool))):
            ran = run_one(ws, m, sources[m.file])
            if ran is None:
                scores.unchecked += 1
                continue
            preds, check, texts = ran
            scores.score(ws, m, new_findings(ws, m, sources[m.file], preds), check, texts, args.verbose)
    return len(sources)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fixture", type=Path, default=None,
                    help="a workspace to mutate (default: fixtures/types/mutation_base when no --crate is given)")
    ap.add_argument("--crate", type=Path, action="append", default=[],
                    help="a crate directory (e.g. /usr/share/cargo/registry/NAME-VERSION); repeatable")
    ap.add_argument("--fields", type=int, default=80, help="field mutations per workspace (0: none)")
    ap.add_argument("--derives", type=int, default=80, help="derive mutations per workspace (0: none)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--verbose", "-v", action="store_true", help="list false positives and misses")
    args = ap.parse_args(argv)
    cargo = shutil.which("cargo") or str(Path.home() / ".cargo" / "bin" / "cargo")
    if not Path(cargo).exists():
        print("cargo not found", file=sys.stderr)
        return 2
    fixtures = [args.fixture] if args.fixture else [] if args.crate else [REPO / "fixtures" / "types" / "mutation_base"]
    scores = Scores()
    started = time.perf_counter()
    names = []
    for source in [*fixtures, *args.crate]:
        with tempfile.TemporaryDirectory(prefix="mutate-types-") as tmp:
            root = Path(tmp) / "ws"
            if source in fixtures:
                shutil.copytree(source, root, ignore=shutil.ignore_patterns("target"))
                modes: tuple[tuple[str, ...], ...] = (("--all-targets",),)
            else:
                prepare_crate(source, root)
                modes = CHECK_MODES
            ws = open_workspace(source.name, root, Path(tmp), cargo, modes)
            if ws is None:
                print(f"{source} does not build cleanly to start with", file=sys.stderr)
                return 2
            files = mutate(ws, args, scores)
            names.append(f"{source.name} ({files} files, {' '.join(ws.targets)}, "
                         f"{len(ws.baseline)} findings before mutating)")
    print(f"{'; '.join(names)}; seed {args.seed}, {time.perf_counter() - started:.0f} s")
    scores.print(args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
