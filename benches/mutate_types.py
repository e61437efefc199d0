"""Mutation test of the type checks, with rustc as the judge.

    python benches/mutate_types.py [--fixture fixtures/types/mutation_base] [--fields 80] [--derives 80]
                                   [--seed 1] [--verbose]

Copies a clean workspace, then repeatedly applies one mutation, runs rust-triage (RT3xx, default
confidence) and `cargo check`, and restores the file:

- field mutations delete one field initialiser from one struct literal, or one argument from a call
  to a capitalised path (a tuple struct or variant constructor), anywhere: plain code and the
  arguments of any macro call;
- derive mutations delete one trait from one `#[derive(...)]` list.

A finding is a true positive when rustc reports an error of a code its rule predicts in the same file
within two lines (see rust_triage.families.types.oracle). Prints precision and recall per check against the
targets (missing fields: precision >= 0.97, recall >= 0.9; derives: precision >= 0.95, recall >= 0.8).
Exit status 0 whatever the numbers; 2 when the fixture is not clean to start with or cargo is missing.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tree_sitter import Node

from rust_triage.families.types.oracle import RULE_CODES, CargoCheck, Predicted, cargo_check, judge
from rust_triage.parse.language import parse_rust
from rust_triage.pipeline import Options, analyse

REPO = Path(__file__).resolve().parents[1]
CHECKS = {
    "fields": (("RT301", "RT302", "RT303"), 0.97, 0.9),
    "derives": (("RT310", "RT311"), 0.95, 0.8),
}


@dataclass(frozen=True)
class Mutation:
    kind: str  # "fields" | "derives"
    file: str  # relative to the workspace
    start: int  # byte range replaced
    end: int
    replacement: bytes
    what: str


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


# -- finding mutation sites ----------------------------------------------------------------------
def field_mutations(rel: str, data: bytes) -> list[Mutation]:
    out: list[Mutation] = []
    tree = parse_rust(data)
    for lit, offset in _struct_literals(tree.root_node, 0):
        body = lit.child_by_field_name("body")
        inits = [c for c in body.named_children if c.type in ("field_initializer", "shorthand_field_initializer")]
        name = lit.child_by_field_name("name")
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
            what = f"{rel}:{line} drop `{_text(init)[:40]}` from `{_text(name)}`"
            out.append(Mutation("fields", rel, start + offset, end + offset, b"", what))
    return out


def argument_mutations(rel: str, data: bytes) -> list[Mutation]:
    """Drop one argument of a call to a capitalised path (`Meters(3)`, `Shape::Rect(w, h)`)."""
    out: list[Mutation] = []
    tree = parse_rust(data)
    for call, offset in _nodes(tree.root_node, 0, "call_expression"):
        func = call.child_by_field_name("function")
        args = call.child_by_field_name("arguments")
        name = _text(func).rsplit("::", 1)[-1] if func is not None else ""
        if not name[:1].isupper() or name in ("Some", "Ok", "Err") or args is None:
            continue
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
                                f"{rel}:{line} drop argument `{_text(value)[:30]}` of `{_text(func)}`"))
    return out


def _struct_literals(root: Node, offset: int) -> list[tuple[Node, int]]:
    return [(n, o) for n, o in _nodes(root, offset, "struct_expression") if n.child_by_field_name("body") is not None]


def _nodes(root: Node, offset: int, kind: str) -> list[tuple[Node, int]]:
    """Nodes of a kind in the tree, and inside any macro call read as an array of expressions."""
    found: list[tuple[Node, int]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type == kind:
            found.append((node, offset))
        if node.type == "macro_definition":
            continue
        if node.type == "macro_invocation":
            tt = next((c for c in node.named_children if c.type == "token_tree"), None)
            if tt is not None:
                prefix = b"fn __m(){["
                inner = parse_rust(prefix + tt.text[1:-1] + b"];}")
                if not inner.root_node.has_error:
                    found.extend(_nodes(inner.root_node, offset + tt.start_byte + 1 - len(prefix), kind))
            continue
        stack.extend(node.children)
    return found


def derive_mutations(rel: str, data: bytes) -> list[Mutation]:
    out: list[Mutation] = []
    tree = parse_rust(data)
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
            out.append(Mutation("derives", rel, start, end, replacement,
                                f"{rel}:{node.start_point[0] + 1} drop `{trait}` from `{owner}`"))
    return out


def _text(node: Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None else ""


# -- running ---------------------------------------------------------------------------------------
def predictions(workspace: Path) -> list[Predicted]:
    analysis = analyse(Options(paths=[workspace], no_cache=True, select=["RT3"], jobs=1))
    return [Predicted(f.rule, f.file, f.line) for f in analysis.findings]


def run_one(workspace: Path, target: Path, cargo: str, m: Mutation, original: bytes) -> tuple[list[Predicted], CargoCheck]:
    path = workspace / m.file
    path.write_bytes(original[: m.start] + m.replacement + original[m.end :])
    try:
        return predictions(workspace), cargo_check(workspace, target, cargo)
    finally:
        path.write_bytes(original)


def score(tally: Tally, m: Mutation, preds: list[Predicted], check: CargoCheck, verbose: bool) -> None:
    """Findings in crates cargo could not check (a dependency failed) are left out: rustc has no say."""
    rules = CHECKS[m.kind][0]
    codes = {c for r in rules for c in RULE_CODES[r]}
    mine = [p for p in preds if p.rule in rules and check.was_checked(p.file)]
    judged = [e for e in check.errors if e.code in codes]
    result = judge(mine, judged)
    tally.mutations += 1
    tally.breaking += bool(judged)
    tally.errors += len(judged)
    tally.findings += len(mine)
    tally.true_pos += len(result.matched)
    tally.false_pos += len(result.false_positives)
    tally.missed += len(result.missed)
    if verbose:
        for p in result.false_positives:
            tally.notes.append(f"FP   {m.what}: {p.rule} at {p.file}:{p.line}")
        for e in result.missed:
            tally.notes.append(f"MISS {m.what}: {e.code} at {e.file}:{e.line} {e.message[:90]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fixture", type=Path, default=REPO / "fixtures" / "types" / "mutation_base")
    ap.add_argument("--fields", type=int, default=80, help="field mutations to run (0: none)")
    ap.add_argument("--derives", type=int, default=80, help="derive mutations to run (0: none)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--verbose", "-v", action="store_true", help="list false positives and misses")
    args = ap.parse_args(argv)
    cargo = shutil.which("cargo") or str(Path.home() / ".cargo" / "bin" / "cargo")
    if not Path(cargo).exists():
        print("cargo not found", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="mutate-types-") as tmp:
        workspace = Path(tmp) / "ws"
        shutil.copytree(args.fixture, workspace, ignore=shutil.ignore_patterns("target"))
        target = Path(tmp) / "target"
        base_errors = cargo_check(workspace, target, cargo).errors
        base_preds = predictions(workspace)
        if base_errors or base_preds:
            print(f"fixture is not clean: {len(base_errors)} compiler errors, {len(base_preds)} findings", file=sys.stderr)
            return 2
        sources = {p.relative_to(workspace).as_posix(): p.read_bytes() for p in sorted(workspace.rglob("*.rs"))
                   if "target" not in p.parts}
        rng = random.Random(args.seed)
        pools = {"fields": [m for rel, d in sources.items()
                            for m in field_mutations(rel, d) + argument_mutations(rel, d)],
                 "derives": [m for rel, d in sources.items() for m in derive_mutations(rel, d)]}
        wanted = {"fields": args.fields, "derives": args.derives}
        tallies = {kind: Tally() for kind in CHECKS}
        started = time.perf_counter()
        for kind, pool in pools.items():
            chosen = rng.sample(pool, min(wanted[kind], len(pool)))
            for m in chosen:
                preds, check = run_one(workspace, target, cargo, m, sources[m.file])
                score(tallies[kind], m, preds, check, args.verbose)
        elapsed = time.perf_counter() - started
    print(f"fixture {args.fixture} ({len(sources)} files), seed {args.seed}, {elapsed:.0f} s")
    print(f"{'check':<8} {'mutations':>9} {'breaking':>8} {'errors':>6} {'findings':>8} {'TP':>4} {'FP':>4} "
          f"{'missed':>6} {'precision':>9} {'recall':>6}  targets")
    for kind, (_, p_target, r_target) in CHECKS.items():
        t = tallies[kind]
        precision = t.true_pos / (t.true_pos + t.false_pos) if t.true_pos + t.false_pos else 1.0
        recall = (t.errors - t.missed) / t.errors if t.errors else 1.0
        verdict = "PASS" if precision >= p_target and recall >= r_target else "MISS"
        print(f"{kind:<8} {t.mutations:>9} {t.breaking:>8} {t.errors:>6} {t.findings:>8} {t.true_pos:>4} "
              f"{t.false_pos:>4} {t.missed:>6} {precision:>9.3f} {recall:>6.3f}  p>={p_target} r>={r_target} {verdict}")
    for kind in CHECKS:
        for note in tallies[kind].notes:
            print(note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
