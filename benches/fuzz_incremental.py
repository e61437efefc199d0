"""Differential fuzzer for incremental runs: after seeded random edits of the kinds users make, a cached run's
report must be byte for byte the report of a cold `--no-cache` run (workspace runs and one-file runs).

    python benches/fuzz_incremental.py                         # default crates + a small synthetic corpus
    python benches/fuzz_incremental.py --rounds 40 --seed 7 --crates regex-syntax serde_json
    python benches/fuzz_incremental.py --out fuzz-incremental   # keep the trees of each mismatch there

Each workspace (a copy of a Debian registry crate, or the synthetic corpus of make_corpus.py) keeps one cache
directory for the whole campaign, so every round starts from the cache the previous round left. A round applies
one edit, or a sequence of 2-5, then compares `check WS --format json` (and sometimes sarif) and
`check FILE` (the last edited file) with and without the cache. Every mismatch is printed with the seed, the
round, the edits and the findings that differ; with --out the tree before and after the edits is kept.

A benchmark-style script, not a test: exit status 1 when any mismatch was found, 0 otherwise. CPU is scarce:
every CLI run uses --jobs 1, and the crates are small.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import generate  # noqa: E402

REGISTRY = Path("/usr/share/cargo/registry")
DEFAULT_CRATES = ("regex-syntax", "serde_json", "clap_lex", "either")
FN_OPEN = re.compile(r"^(?P<indent>[ \t]*)(pub(\([\w: ]+\))? )?(const )?(async )?(unsafe )?(extern \"C\" )?"
                     r"fn (?P<name>\w+)[^;{]*\{\s*$", re.M)
STRUCT_OPEN = re.compile(r"^(?P<indent>[ \t]*)(pub(\([\w: ]+\))? )?struct \w+(<[^>{]*>)?\s*\{\s*$", re.M)
FIELD = re.compile(r"^[ \t]+(pub(\([\w: ]+\))? )?\w+: [^,{}]+,[ \t]*$")
ITEM = re.compile(r"^(pub(\([\w: ]+\))? )?(fn|struct|enum|impl|trait|const|static|mod|type) ", re.M)
DERIVE = re.compile(r"^[ \t]*#\[derive\([^)]*\)\]\n", re.M)
RECEIVER = re.compile(r"&(?:mut )?self\b(?!\s*:)")
EXTRA_BOUND = re.compile(r"[ \t]*\+[ \t]*(?:Copy|Clone|Debug|PartialEq|Eq|Hash|Ord|PartialOrd|Default)\b")
WHERE_CLAUSE = re.compile(r"\bwhere\b[^{;]*")
WHERE_PREDICATE = re.compile(r"\b([A-Z]\w*(?:::\w+)*[ \t]*:(?!:)[ \t]*[\w: +']*\w)(?=[ \t\n]*(?:,|$))")
MACRO_DEF = re.compile(r"\bmacro_rules!\s*(\w+)")
CONST_TYPE = re.compile(r"^[ \t]*(?:pub(?:\([\w: ]+\))? )?(?:const|static) (?:mut )?([A-Z_][A-Z0-9_]*): ([^=\n]+?) =", re.M)


@dataclass
class Workspace:
    name: str
    root: Path
    cache: Path
    counter: int = 0
    log: list[str] = field(default_factory=list)

    def rust_files(self) -> list[Path]:
        return sorted(p for p in self.root.rglob("*.rs") if "target" not in p.parts)


# --- edits: each takes (rng, workspace, file) and returns a description, or None when it does not apply ---

Edit = Callable[[random.Random, Workspace, Path], "str | None"]


def _lines(path: Path) -> list[str]:
    return path.read_text().split("\n")


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("\n".join(lines))


def _fn_opens(path: Path) -> list[tuple[int, str]]:
    text = path.read_text()
    return [(text.count("\n", 0, m.start()), m.group("indent")) for m in FN_OPEN.finditer(text)]


def _insert_in_body(rng: random.Random, path: Path, new: list[str]) -> int | None:
    opens = _fn_opens(path)
    if not opens:
        return None
    line, indent = rng.choice(opens)
    lines = _lines(path)
    lines[line + 1:line + 1] = [(indent + "    " + n) if n else "" for n in new]
    _write(path, lines)
    return line + 2


def blank_in_body(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    at = _insert_in_body(rng, path, [""])
    return None if at is None else f"blank line in a fn body at line {at}"


def comment_in_body(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    names = [m.group("name") for m in FN_OPEN.finditer(path.read_text())]
    note = rng.choice(["a note " + "x" * rng.randint(0, 30), "[x; 2]", "x.copied()",
                       *(f"see {rng.choice(names)}(x)" for _ in names[:1])])  # what the move checks read of a body
    at = _insert_in_body(rng, path, ["// " + note])
    return None if at is None else f"comment line {note!r} in a fn body at line {at}"


def _remove_line(rng: random.Random, path: Path, lines: list[str], candidates: list[int], what: str) -> str | None:
    if not candidates:
        return None
    i = rng.choice(candidates)
    del lines[i]
    _write(path, lines)
    return f"removed the {what} line {i + 1}"


def remove_blank(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    lines = _lines(path)
    blanks = [i for i, line in enumerate(lines) if not line.strip() and 0 < i < len(lines) - 1]
    return _remove_line(rng, path, lines, blanks, "blank")


def remove_comment(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    lines = _lines(path)
    comments = [i for i, line in enumerate(lines) if line.strip().startswith("//") and not line.strip().startswith("///")
                and not line.strip().startswith("//!")]
    return _remove_line(rng, path, lines, comments, "comment")


def top_of_file(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    new = rng.choice(["", "// header comment", "// SPDX-License-Identifier: MIT"])
    path.write_text(new + "\n" + path.read_text())
    return f"line {new!r} at the top of the file"


def between_items(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    text = path.read_text()
    starts = [text.count("\n", 0, m.start()) for m in ITEM.finditer(text)]
    if not starts:
        return None
    i = rng.choice(starts)
    lines = _lines(path)
    lines[i:i] = [rng.choice(["", "// between items"])]
    _write(path, lines)
    return f"line between items before line {i + 1}"


def add_unwrap(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    at = _insert_in_body(rng, path, ['let _fz_value = "7".parse::<u32>().unwrap();'])
    return None if at is None else f"statement with .unwrap() at line {at}"


def add_todo(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    at = _insert_in_body(rng, path, ["todo!();"])
    return None if at is None else f"todo!() at line {at}"


def grow_fn(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    at = _insert_in_body(rng, path, [f"let _fz_{i} = {i};" for i in range(90)])
    return None if at is None else f"90 statements (over the long-function limit) at line {at}"


def lengthen_line(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    lines = _lines(path)
    code = [i for i, line in enumerate(lines) if line.rstrip().endswith(";") and "//" not in line]
    if not code:
        return None
    i = rng.choice(code)
    lines[i] = lines[i].rstrip() + " // " + "longer " * rng.randint(1, 4)
    _write(path, lines)
    return f"lengthened line {i + 1} with a trailing comment"


def commented_out_code(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    """A block comment of lines taken from the file itself (code commented out), appended: no item moves."""
    lines = [line for line in _lines(path) if line.strip() and "*/" not in line and "/*" not in line]
    if not lines:
        return None
    start = rng.randrange(len(lines))
    block = lines[start:start + rng.randint(1, 6)]
    path.write_text(path.read_text().rstrip("\n") + "\n/*\n" + "\n".join(block) + "\n*/\n")
    return f"{len(block)} lines of the file appended as a block comment"


def doc_to_fence(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    """A `///` line turned into a code fence in place: the file's doctests change, no position moves."""
    lines = _lines(path)
    docs = [i for i, line in enumerate(lines) if line.lstrip().startswith("///")]
    if not docs:
        return None
    i = rng.choice(docs)
    lines[i] = lines[i][: len(lines[i]) - len(lines[i].lstrip())] + "/// ```"
    _write(path, lines)
    return f"doc line {i + 1} turned into a code fence"


def swap_statements(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    """Move a statement one line up (a statement and the next one, same indentation, both ending in `;`)."""
    lines = _lines(path)
    pairs = [i for i in range(len(lines) - 1)
             if lines[i].startswith("    ") and lines[i].rstrip().endswith(";") and lines[i + 1].rstrip().endswith(";")
             and len(lines[i]) - len(lines[i].lstrip()) == len(lines[i + 1]) - len(lines[i + 1].lstrip())
             and "//" not in lines[i] + lines[i + 1]]
    if not pairs:
        return None
    i = rng.choice(pairs)
    lines[i], lines[i + 1] = lines[i + 1], lines[i]
    _write(path, lines)
    return f"swapped the statements of lines {i + 1} and {i + 2}"


def _pick(rng: random.Random, pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """One match of `pattern` in `text`, drawn at random; None when there is none."""
    found = list(pattern.finditer(text))
    return rng.choice(found) if found else None


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def flip_receiver(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    """`&self` <-> `&mut self` at one method: which of two same-named methods a call reaches."""
    text = path.read_text()
    m = _pick(rng, RECEIVER, text)
    if m is None:
        return None
    new = "&self" if m.group().startswith("&mut") else "&mut self"
    path.write_text(text[:m.start()] + new + text[m.end():])
    return f"receiver {m.group()!r} -> {new!r} at line {_line_at(text, m.start())}"


def toggle_bound(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    """A trait bound removed from a generic parameter or `where` predicate (`+ Copy`), or one added to a
    `where` predicate: what the move checks and the bounds of calls in macro expansions read."""
    text = path.read_text()
    removable = list(EXTRA_BOUND.finditer(text))
    addable = [m for clause in WHERE_CLAUSE.finditer(text)
               for m in WHERE_PREDICATE.finditer(text, clause.start(), clause.end())]
    if not removable and not addable:
        return None
    line = 0
    if removable and (not addable or rng.random() < 0.5):
        m = rng.choice(removable)
        path.write_text(text[:m.start()] + text[m.end():])
        what = f"removed {m.group().strip()!r}"
        line = _line_at(text, m.start())
    else:
        m = rng.choice(addable)
        bound = rng.choice(["Copy", "Debug", "PartialEq", "Clone"])
        path.write_text(text[:m.end(1)] + f" + {bound}" + text[m.end(1):])
        what = f"added + {bound} to {m.group(1).strip()!r}"
        line = _line_at(text, m.start())
    return f"{what} at line {line}"


def const_type(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    """A `const`'s or `static`'s written type wrapped in `Option<..>` or unwrapped: the type of its uses."""
    text = path.read_text()
    m = _pick(rng, CONST_TYPE, text)
    if m is None:
        return None
    written = m.group(2)
    inner = re.fullmatch(r"Option<(.*)>", written)
    new = inner.group(1) if inner else f"Option<{written}>"
    path.write_text(text[:m.start(2)] + new + text[m.end(2):])
    return f"type of {m.group(1)} {written!r} -> {new!r}"


def _struct_opens(path: Path) -> list[tuple[int, str]]:
    """(0-based line, indentation) of each struct's opening line."""
    text = path.read_text()
    return [(text.count("\n", 0, m.start()), m.group("indent")) for m in STRUCT_OPEN.finditer(text)]


def add_field(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    opens = _struct_opens(path)
    if not opens:
        return None
    line, indent = rng.choice(opens)
    lines = _lines(path)
    ws.counter += 1
    lines.insert(line + 1, f"{indent}    pub fz_field{ws.counter}: u32,")
    _write(path, lines)
    return f"field added after line {line + 1}"


def remove_field(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    lines = _lines(path)
    fields = [i + 1 for i, _ in _struct_opens(path) if i + 1 < len(lines) and FIELD.match(lines[i + 1])]
    if not fields:
        return None
    i = rng.choice(fields)
    removed = lines.pop(i)
    _write(path, lines)
    return f"removed the field {removed.strip()!r} at line {i + 1}"


def add_derive(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    opens = _struct_opens(path)
    if not opens:
        return None
    line, indent = rng.choice(opens)
    lines = _lines(path)
    lines.insert(line, f"{indent}#[derive({rng.choice(['Debug', 'Clone', 'Default', 'PartialEq'])})]")
    _write(path, lines)
    return f"derive added before line {line + 1}"


def remove_derive(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    text = path.read_text()
    m = _pick(rng, DERIVE, text)
    if m is None:
        return None
    path.write_text(text[:m.start()] + text[m.end():])
    return f"removed {m.group().strip()!r} at line {_line_at(text, m.start())}"


def rename_fn(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    text = path.read_text()
    found = [m for m in FN_OPEN.finditer(text) if m.group("name") not in ("main", "new", "fmt")]
    if not found:
        return None
    m = rng.choice(found)
    name = m.group("name")
    ws.counter += 1
    new = f"{name}_fz{ws.counter}"
    if rng.random() < 0.5:  # the definition only: callers elsewhere now call a missing fn
        start = m.start() + m.group().index(f"fn {name}") + 3
        path.write_text(text[:start] + new + text[start + len(name):])
        return f"renamed the definition of fn {name} to {new}"
    path.write_text(re.sub(rf"\b{name}\b", new, text))
    return f"renamed fn {name} to {new} throughout the file"


def _mod_parent(path: Path) -> Path | None:
    """The directory a `mod x;` in `path` loads `x.rs` from (lib.rs, main.rs and mod.rs only)."""
    return path.parent if path.name in ("lib.rs", "main.rs", "mod.rs") else None


def new_file(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    parent = _mod_parent(path)
    if parent is None:
        return None
    ws.counter += 1
    name = f"fz_mod{ws.counter}"
    body = rng.choice([
        'pub fn fz_parse(s: &str) -> u32 {\n    s.parse().unwrap()\n}\n',
        '#[derive(Debug)]\npub struct FzThing {\n    pub a: u32,\n}\n\npub fn fz_make() -> FzThing {\n'
        '    FzThing { a: 1 }\n}\n',
        '// empty module\n',
    ])
    (parent / f"{name}.rs").write_text(body)
    path.write_text(path.read_text().rstrip("\n") + f"\n\nmod {name};\n")
    return f"new file {(parent / f'{name}.rs').relative_to(ws.root)} and `mod {name};`"


def delete_file(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    if path.name in ("lib.rs", "main.rs", "mod.rs") or len(ws.rust_files()) < 3:
        return None
    stem = path.stem
    path.unlink()
    note = ""
    for parent in (path.parent / "lib.rs", path.parent / "main.rs", path.parent / "mod.rs",
                   path.parent.with_suffix(".rs")):
        if rng.random() < 0.5 and parent.is_file():
            text = parent.read_text()
            stripped = re.sub(rf"^[ \t]*(pub(\([\w: ]+\))? )?mod {stem};[ \t]*\n", "", text, flags=re.M)
            if stripped != text:
                parent.write_text(stripped)
                note = f" and its mod line in {parent.relative_to(ws.root)}"
    return f"deleted {path.relative_to(ws.root)}{note}"


def add_tests_mod(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    body = rng.choice(["", "\n    #[test]\n    fn fz() {\n        assert!(\"1\".parse::<u8>().unwrap() == 1);\n    }\n"])
    path.write_text(path.read_text().rstrip("\n") + f"\n\n#[cfg(test)]\nmod tests {{{body}}}\n")
    return "#[cfg(test)] mod tests {} at the end"


def swap_macro_call(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    """A call of one of the file's `macro_rules!` made a call of another (RT510 follows a call into the body)."""
    text = path.read_text()
    names = sorted(set(MACRO_DEF.findall(text)))
    if len(names) < 2:
        return None
    calls = list(re.finditer(rf"(?<![\w:])({'|'.join(map(re.escape, names))})!", text))
    if not calls:
        return None
    call = rng.choice(calls)
    other = rng.choice([n for n in names if n != call.group(1)])
    path.write_text(text[:call.start()] + other + text[call.end(1):])
    return f"`{call.group(1)}!` at line {_line_at(text, call.start())} made `{other}!`"


def comment_in_macro(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    """A comment naming a trait (or a macro call) inside a `macro_rules!` body: the trait checks read its words."""
    lines = _lines(path)
    opens = [i for i, line in enumerate(lines) if MACRO_DEF.search(line) and line.rstrip().endswith("{")]
    if not opens:
        return None
    at = rng.choice(opens) + 1
    note = rng.choice(["Debug", "Clone", "PartialEq", "helper!(x)", "macro_rules! inner { () => { Default } }"])
    lines[at:at] = [f"    // {note}"]
    _write(path, lines)
    return f"comment {note!r} in a macro body at line {at + 1}"


def comment_in_chain(rng: random.Random, ws: Workspace, path: Path) -> str | None:
    """A comment at the end of a line a method chain continues from (RT510 reads a chain's lines)."""
    lines = _lines(path)
    spots = [i for i in range(len(lines) - 1)
             if lines[i + 1].lstrip().startswith(".") and lines[i].strip() and "//" not in lines[i]]
    if not spots:
        return None
    i = rng.choice(spots)
    note = rng.choice([".call1(", ".lock()", ".parse(", "a note"])
    lines[i] += f" // {note}"
    _write(path, lines)
    return f"comment {note!r} at the end of line {i + 1}, continued by a method chain"


EDITS: dict[str, Edit] = {
    "blank_in_body": blank_in_body, "comment_in_body": comment_in_body, "remove_blank": remove_blank,
    "remove_comment": remove_comment, "top_of_file": top_of_file, "between_items": between_items,
    "add_unwrap": add_unwrap, "add_todo": add_todo, "grow_fn": grow_fn, "lengthen_line": lengthen_line,
    "add_field": add_field, "remove_field": remove_field, "add_derive": add_derive, "remove_derive": remove_derive,
    "rename_fn": rename_fn, "new_file": new_file, "delete_file": delete_file, "add_tests_mod": add_tests_mod,
    "swap_statements": swap_statements, "commented_out_code": commented_out_code, "flip_receiver": flip_receiver,
    "toggle_bound": toggle_bound, "const_type": const_type, "doc_to_fence": doc_to_fence,
    "swap_macro_call": swap_macro_call, "comment_in_macro": comment_in_macro, "comment_in_chain": comment_in_chain,
}
# Position-only edits (and edits of what is kept of comments) are what the reuse of workspace findings bets on:
# draw them more often.
WEIGHTS = {name: 3 if name in ("blank_in_body", "comment_in_body", "remove_blank", "remove_comment", "top_of_file",
                               "between_items", "lengthen_line", "doc_to_fence") else 1 for name in EDITS}
WEIGHTS.update(flip_receiver=2, toggle_bound=2, const_type=2)  # text the type checks read: no item moves
WEIGHTS.update(swap_macro_call=2, comment_in_macro=2, comment_in_chain=2)  # and the trait checks and RT510 read


def apply_edit(rng: random.Random, ws: Workspace) -> tuple[str, Path] | None:
    files = ws.rust_files()
    for _ in range(20):
        name = rng.choices(list(EDITS), weights=[WEIGHTS[n] for n in EDITS])[0]
        path = rng.choice(files)
        if name == "new_file":
            roots = [p for p in files if _mod_parent(p)]
            path = rng.choice(roots) if roots else path
        what = EDITS[name](rng, ws, path)
        if what is not None:
            return f"{name}: {path.relative_to(ws.root)}: {what}", path
    return None


# --- runs and comparison ---

def run_check(args: list[str], out: Path) -> tuple[int, bytes, str]:
    proc = subprocess.run([sys.executable, "-m", "rust_triage", "check", *args, "--jobs", "1", "-o", str(out)],
                          capture_output=True, text=True)
    data = out.read_bytes() if out.exists() else b""
    out.unlink(missing_ok=True)
    return proc.returncode, data, proc.stderr.strip()


def finding_lines(data: bytes, fmt: str) -> list[str]:
    """One canonical line per finding (json/sarif), else the report's lines."""
    try:
        doc = json.loads(data)
    except ValueError:
        return data.decode(errors="replace").splitlines()
    items = doc.get("findings") if isinstance(doc, dict) and fmt == "json" else None
    if items is None and isinstance(doc, dict) and fmt == "sarif":
        items = [r for run in doc.get("runs", []) for r in run.get("results", [])]
    if items is None:
        return json.dumps(doc, indent=1, sort_keys=True).splitlines()
    return [json.dumps(i, sort_keys=True) for i in items]


def minimal_diff(cached: bytes, cold: bytes, fmt: str, limit: int = 12) -> str:
    a, b = finding_lines(cached, fmt), finding_lines(cold, fmt)
    only_a = [x for x in a if x not in set(b)]
    only_b = [x for x in b if x not in set(a)]
    if only_a or only_b:
        out = [f"  only cached: {x[:400]}" for x in only_a[:limit]] + [f"  only cold:   {x[:400]}" for x in only_b[:limit]]
        return "\n".join(out)
    diff = difflib.unified_diff(cold.decode(errors="replace").splitlines(), cached.decode(errors="replace").splitlines(),
                                "cold", "cached", n=1, lineterm="")
    return "\n".join(list(diff)[:limit * 2]) or "  (same findings, other bytes)"


def compare(ws: Workspace, label: str, target: list[str], fmt: str, tmp: Path) -> str | None:
    fmt_args = ["--format", fmt] if fmt != "text" else []
    rc_c, cached, err_c = run_check([*target, *fmt_args, "--cache-dir", str(ws.cache)], tmp / f"cached.{fmt}")
    rc_n, cold, err_n = run_check([*target, *fmt_args, "--no-cache"], tmp / f"cold.{fmt}")
    problems = []
    if rc_c != rc_n:
        problems.append(f"  exit status: cached {rc_c}, cold {rc_n}")
    if rc_c not in (0, 1) or rc_n not in (0, 1):
        problems.append(f"  stderr: cached {err_c[-300:]!r}; cold {err_n[-300:]!r}")
    if cached != cold:
        problems.append(minimal_diff(cached, cold, fmt))
    return f"{label} --format {fmt}:\n" + "\n".join(problems) if problems else None


def prepare(args: argparse.Namespace, tmp: Path) -> list[Workspace]:
    spaces = []
    for crate in args.crates:
        found = sorted(REGISTRY.glob(f"{crate}-[0-9]*"))
        if not found:
            print(f"skipped {crate}: not in {REGISTRY}")
            continue
        root = tmp / found[-1].name
        shutil.copytree(found[-1], root, ignore=shutil.ignore_patterns("target", ".cargo-checksum.json"))
        spaces.append(Workspace(found[-1].name, root, tmp / f"cache-{found[-1].name}"))
    for path in args.dirs:
        root = tmp / f"dir-{path.name}"
        shutil.copytree(path, root, ignore=shutil.ignore_patterns("target", ".git"))
        spaces.append(Workspace(path.name, root, tmp / f"cache-dir-{path.name}"))
    if args.corpus_files:
        root = tmp / "corpus"
        root.mkdir()
        generate(root, args.corpus_files, None, args.seed, 8)
        spaces.append(Workspace("corpus", root, tmp / "cache-corpus"))
    return spaces


def keep(out: Path | None, ws: Workspace, before: Path, seed: int, rnd: int, edits: list[str], report: str) -> None:
    if out is None:
        return
    dest = out / f"seed{seed}-round{rnd}-{ws.name}"
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(before, dest / "before")
    shutil.copytree(ws.root, dest / "after")
    (dest / "edits.txt").write_text("\n".join(edits) + "\n\n" + report + "\n")


def fuzz(args: argparse.Namespace) -> int:
    rng = random.Random(args.seed)
    mismatches = rounds = 0
    start = time.process_time()
    with tempfile.TemporaryDirectory(prefix="fuzz-inc-") as tmp_name:
        tmp = Path(tmp_name)
        spaces = prepare(args, tmp)
        for ws in spaces:  # warm each cache: the first cached run is a cold one
            run_check([str(ws.root), "--format", "json", "--cache-dir", str(ws.cache)], tmp / "warm.json")
        for rnd in range(args.rounds):
            ws = spaces[rnd % len(spaces)]
            before = tmp / "before"
            shutil.rmtree(before, ignore_errors=True)
            shutil.copytree(ws.root, before)
            count = 1 if rng.random() < 0.6 else rng.randint(2, 5)
            edits, last = [], None
            for _ in range(count):
                done = apply_edit(rng, ws)
                if done:
                    edits.append(done[0])
                    last = done[1]
            rounds += 1
            checks = [("workspace", [str(ws.root)], "json")]
            if rng.random() < 0.3:
                checks.append(("workspace", [str(ws.root)], rng.choice(["sarif", "text"])))
            target = last if last is not None and last.exists() else rng.choice(ws.rust_files())
            checks.append((f"file {target.relative_to(ws.root)}", [str(target)], "json"))
            # one-file and workspace runs share the cache: run them in a random order
            rng.shuffle(checks)
            reports = [r for label, tgt, fmt in checks if (r := compare(ws, label, tgt, fmt, tmp))]
            status = "MISMATCH" if reports else "ok"
            print(f"[seed {args.seed} round {rnd}] {ws.name}: {status}: " + " | ".join(edits), flush=True)
            if reports:
                mismatches += 1
                text = "\n".join(reports)
                print(text, flush=True)
                keep(args.out, ws, before, args.seed, rnd, edits, text)
    print(f"{rounds} rounds, {mismatches} with a mismatch, {time.process_time() - start:.1f} s CPU in this process "
          f"(the CLI runs are subprocesses)")
    return 1 if mismatches else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--crates", nargs="*", default=list(DEFAULT_CRATES),
                    help=f"Debian registry crates to copy from {REGISTRY} (default: {' '.join(DEFAULT_CRATES)})")
    ap.add_argument("--dirs", nargs="*", type=Path, default=[],
                    help="other workspaces to copy and fuzz (e.g. fixtures/pyo3: Rust reached from Python)")
    ap.add_argument("--corpus-files", type=int, default=24, help="files of the synthetic corpus (0: none)")
    ap.add_argument("--out", type=Path, help="keep the trees before and after each mismatching round here")
    return fuzz(ap.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
