"""Synthetic `cargo check --message-format=json` output, shaped like real rustc 1.9x diagnostics.

Usage: python benches/cargo_diagnostics_gen.py COUNT [--duplicates RATIO] [--seed N] > out.json

Every record carries what rustc emits (spans with text, children, the error-code explanation, the
rendered text), so the reader pays the same JSON cost as on real output.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator
from typing import Any

_EXPLANATION = (
    "This error occurs when a method is used on a type which doesn't implement it:\n\n"
    "Erroneous code example:\n\n```compile_fail,E0599\nstruct Mouth;\n\nlet x = Mouth;\n"
    "x.chocolate(); // error: no method named `chocolate` found for type `Mouth`\n"
    "               //        in the current scope\n```\n\n"
    "In this case, you need to implement the `chocolate` method to fix the error:\n\n"
    "```\nstruct Mouth;\n\nimpl Mouth {\n    fn chocolate(&self) { // We implement the `chocolate` method here.\n"
    "        println!(\"Hmmm! I love chocolate!\");\n    }\n}\n\nlet x = Mouth;\nx.chocolate(); // ok!\n```\n"
)
_TYPES = [f"Type{index}" for index in range(300)]
_METHODS = ["get", "inc", "sub", "load", "store", "reset", "snapshot", "merge"]
_FIELDS = ["applied", "notes", "score", "created_at", "owner", "limit"]
_NUMERIC_PAIRS = [("u64", "usize"), ("usize", "u64"), ("f32", "f64"), ("i64", "u32"), ("Duration", "f64")]
_LINTS = [("unused_imports", "unused import: `std::collections::HashMap`"),
          ("unused_variables", "unused variable: `scratch`"),
          ("dead_code", "function `stale_helper` is never used")]


def _span(file: str, line: int, column: int, width: int, label: str | None, text: str,
          replacement: str | None = None, applicability: str | None = None) -> dict[str, Any]:
    return {
        "byte_end": line * 40 + column + width, "byte_start": line * 40 + column,
        "column_end": column + width, "column_start": column, "expansion": None, "file_name": file,
        "is_primary": True, "label": label, "line_end": line, "line_start": line,
        "suggested_replacement": replacement, "suggestion_applicability": applicability,
        "text": [{"highlight_end": column + width, "highlight_start": column, "text": text}],
    }


def _child(level: str, message: str, spans: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"children": [], "code": None, "level": level, "message": message, "rendered": None,
            "spans": spans or []}


def _message(rng: random.Random, index: int) -> dict[str, Any]:
    file = f"crates/c{index % 40}/src/m{index % 97}.rs"
    line = 1 + index // 97 % 5000
    column = 5 + index % 60
    type_name = _TYPES[rng.randrange(len(_TYPES))]
    roll = rng.random()
    children: list[dict[str, Any]] = []
    level, code = "error", None
    if roll < 0.35:
        method = rng.choice(_METHODS)
        code = "E0599"
        message = f"no method named `{method}` found for struct `{type_name}` in the current scope"
        label = f"method not found in `{type_name}`"
        children.append(_child("help", "items from traits can only be used if the trait is implemented"))
    elif roll < 0.5:
        code = "E0277"
        message = f"`{type_name}` doesn't implement `Debug`"
        label = f"the trait `Debug` is not implemented for `{type_name}`"
        children.append(_child("note", f"add `#[derive(Debug)]` to `{type_name}` or manually `impl Debug`"))
        children.append(_child("help", f"consider annotating `{type_name}` with `#[derive(Debug)]`", [
            _span(f"crates/c0/src/types{rng.randrange(9)}.rs", 10, 1, 0, None, f"pub struct {type_name};",
                  "#[derive(Debug)]\n", "MaybeIncorrect")]))
    elif roll < 0.7:
        expected, found = rng.choice(_NUMERIC_PAIRS)
        code, message = "E0308", "mismatched types"
        label = f"expected `{expected}`, found `{found}`"
        children.append(_child("help", f"you can convert a `{found}` to a `{expected}`", [
            _span(file, line, column + 8, 0, None, "    let x = y;", ".try_into().unwrap()", "MachineApplicable")]))
    elif roll < 0.8:
        field = rng.choice(_FIELDS)
        code = "E0063"
        message = f"missing field `{field}` in initializer of `{type_name}`"
        label = f"missing `{field}`"
    elif roll < 0.85:
        code = "E0603"
        message = f"function `helper{index % 50}` is private"
        label = "private function"
        children.append(_child("note", f"the function `helper{index % 50}` is defined here", [
            _span(f"crates/c1/src/private{index % 50}.rs", 3, 1, 20, None, "fn helper() {}")]))
    else:
        level = "warning"
        code, message = rng.choice(_LINTS)
        label = None
    source_text = f"    let value = self.{type_name.lower()}.call(); // line {line}"
    rendered = (f"{level}[{code}]: {message}\n --> {file}:{line}:{column}\n  |\n{line} | {source_text}\n"
                f"  |     ^^^^^ {label or ''}\n\n")
    return {
        "$message_type": "diagnostic",
        "children": children,
        "code": {"code": code, "explanation": _EXPLANATION if code and code.startswith("E") else None},
        "level": level,
        "message": message,
        "spans": [_span(file, line, column, 5, label, source_text)],
        "rendered": rendered,
    }


def generate(count: int, duplicates: float = 0.0, seed: int = 7) -> Iterator[str]:
    """`count` compiler-message lines (a `duplicates` share repeats earlier ones, as for lib + lib test)."""
    rng = random.Random(seed)
    target = {"kind": ["lib"], "crate_types": ["lib"], "name": "bench", "src_path": "/tmp/bench/src/lib.rs",
              "edition": "2021", "doc": True, "doctest": True, "test": True}
    emitted: list[str] = []
    for index in range(count):
        if emitted and rng.random() < duplicates:
            line = emitted[rng.randrange(len(emitted))]
        else:
            record = {"reason": "compiler-message", "package_id": "path+file:///tmp/bench#0.1.0",
                      "manifest_path": "/tmp/bench/Cargo.toml", "target": target,
                      "message": _message(rng, index)}
            line = json.dumps(record, separators=(",", ":"))
            emitted.append(line)
        yield line
        if index % 5000 == 4999:
            yield json.dumps({"reason": "compiler-artifact", "package_id": "path+file:///tmp/bench#0.1.0",
                              "target": target, "fresh": False}, separators=(",", ":"))
    yield json.dumps({"reason": "build-finished", "success": False})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("--duplicates", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    for line in generate(args.count, args.duplicates, args.seed):
        sys.stdout.write(line + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
