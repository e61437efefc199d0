"""Fuzz cases: which workspace to build, from what seeds, and which CLI runs to make on it.

A case is planned in memory (a list of file operations and runs, all derived from `random.Random` seeded
with the campaign seed and the case number), then written into the sandbox as often as needed: once
per target directory, so `--fix` and `--add-suppressions` work on identical copies, and again into the
failures directory for reproduction.
"""

from __future__ import annotations

import os
import random
import shutil
import socket
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from fuzz_mutate import mutate_content, odd_name
from fuzz_oracle import Run

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
RUST_SRC = Path("/usr/lib/rustlib/src/rust")
# Whole workspaces used as bases (each has its own Cargo.toml and crate roots).
FIXTURE_BASES = (
    "demo", "async", "debt", "config", "suppress", "mixed", "types/broken", "types/clean", "types/derive_fix",
    "types/mutation_base", "broken/counter_crisis", "broken/derive_fields", "broken/mixed_workspace",
    "layouts/virtual_ws", "layouts/single_crate", "layouts/nested", "layouts/modules_2018",
)
# Small real crates of the Rust source tree (Debian rust-web-src), copied into a temp workspace.
REAL_CRATES = (
    "x", "tier-check", "lld-wrapper", "coverage-dump", "jsondocck", "llvm-bitcode-linker", "html-checker",
    "unstable-book-gen", "rust-installer", "build-manifest", "error_index_generator", "rustdoc-themes",
    "replace-version-placeholder", "features-status-dump", "miropt-test-tools", "linkchecker",
)
KINDS = ("files", "heavy", "special", "manifest", "config", "cargo-json")
_KIND_WEIGHTS = {"files": 20, "heavy": 8, "special": 30, "manifest": 14, "config": 14, "cargo-json": 14}
ABS_OUTSIDE, REL_OUTSIDE = b"{ABS_OUTSIDE}", b"{REL_OUTSIDE}"


@dataclass(frozen=True)
class Case:
    seed: int
    index: int
    kind: str
    size: int  # inputs this case counts for

    @property
    def name(self) -> str:
        """Names the case completely: `--replay NAME` rebuilds it."""
        return f"{self.kind}-s{self.seed}-i{self.index:05d}-n{self.size}"

    @classmethod
    def parse(cls, name: str) -> Case:
        kind, seed, index, size = name.rsplit("-", 3)
        return cls(int(seed[1:]), int(index[1:]), kind, int(size[1:]))

    def rng(self, purpose: str) -> random.Random:
        return random.Random(f"{self.seed}:{self.index}:{purpose}")


@dataclass
class Op:
    """One file operation. `input` is the input it belongs to (None: the base workspace)."""

    action: str  # copytree | write | append | link | fifo | socket | chmod | longpath
    rel: bytes = b""
    data: bytes = b""
    source: str = ""
    mode: int = 0
    input: int | None = None


@dataclass
class Plan:
    ops: list[Op] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)  # one description per input
    sandbox_files: dict[str, bytes] = field(default_factory=dict)  # written under sandbox/inputs
    runs: list[Run] = field(default_factory=list)
    edit_targets: tuple[str, ...] = ()


def plan_cases(seed: int, count: int, batch_size: int, kinds: tuple[str, ...] = KINDS) -> list[Case]:
    """The campaign: cases until `count` inputs, the same for the same seed, sizes and kinds."""
    cases: list[Case] = []
    total = 0
    weights = {k: w for k, w in _KIND_WEIGHTS.items() if k in kinds}
    while total < count:
        rng = random.Random(f"{seed}:plan:{len(cases)}")
        kind = rng.choices(list(weights), weights=list(weights.values()))[0]
        size = min(batch_size, count - total) if kind == "files" else 1
        cases.append(Case(seed, len(cases), kind, size))
        total += size
    return cases


@lru_cache(maxsize=1)
def seed_texts() -> tuple[tuple[str, bytes], ...]:
    """Real Rust sources to mutate: the fixtures, library/core and small tools of the Rust tree."""
    paths = sorted(p for p in FIXTURES.rglob("*.rs") if "target" not in p.parts)
    core = RUST_SRC / "library" / "core" / "src"
    if core.is_dir():
        paths += sorted(p for p in core.rglob("*.rs") if 1000 <= p.stat().st_size <= 40_000)
    for name in REAL_CRATES:
        paths += sorted((RUST_SRC / "src" / "tools" / name).rglob("*.rs"))
    return tuple((str(p), p.read_bytes()) for p in paths)


def real_crates_available() -> list[str]:
    return [n for n in REAL_CRATES if (RUST_SRC / "src" / "tools" / n / "Cargo.toml").is_file()]


def base_workspace(rng: random.Random, plan: Plan, prefer_fixture: float = 0.6) -> dict[bytes, bytes]:
    """Add the ops copying a base workspace; returns its .rs files (rel -> bytes)."""
    real = real_crates_available()
    files: dict[bytes, bytes] = {}
    if not real or rng.random() < prefer_fixture:
        src = FIXTURES / rng.choice(FIXTURE_BASES)
        plan.ops.append(Op("copytree", source=str(src)))
        for path in sorted(src.rglob("*.rs")):
            if "target" not in path.relative_to(src).parts:
                files[os.fsencode(path.relative_to(src))] = path.read_bytes()
        return files
    chosen = sorted(rng.sample(real, k=min(len(real), rng.randint(1, 3))))
    members = ", ".join(f'"tools/{n}"' for n in chosen)
    plan.ops.append(Op("write", b"Cargo.toml", f'[workspace]\nresolver = "2"\nmembers = [{members}]\n'.encode()))
    for name in chosen:
        crate = RUST_SRC / "src" / "tools" / name
        for path in [crate / "Cargo.toml", *sorted(crate.rglob("*.rs"))]:
            rel = os.fsencode(Path("tools") / name / path.relative_to(crate))
            data = path.read_bytes()
            plan.ops.append(Op("write", rel, data))
            if rel.endswith(b".rs"):
                files[rel] = data
    return files


def crate_roots(files: dict[bytes, bytes]) -> list[bytes]:
    return sorted(r for r in files if r.endswith((b"src/lib.rs", b"src/main.rs")) or r in (b"lib.rs", b"main.rs"))


def plan_files(case: Case) -> Plan:
    """`case.size` mutated Rust files in one workspace: some replace the base's own files in place,
    the rest are modules of a `fuzz_inputs` module (some under hostile names, reached by `#[path]`)."""
    rng = case.rng("files")
    plan = Plan(edit_targets=("wsfix", "wssup"))
    files = base_workspace(rng, plan)
    roots = crate_roots(files)
    texts = seed_texts()
    in_place = [r for r in sorted(files) if r not in roots]
    rng.shuffle(in_place)
    in_place = in_place[: min(len(in_place), case.size * 3 // 10)]
    hook_files: list[bytes] = []
    for number, rel in enumerate(in_place):
        data, names = mutate_content(rng, files[rel], rng.choice(texts)[1])
        plan.ops.append(Op("write", rel, data, input=number))
        plan.inputs.append(f"{rel.decode(errors='replace')} mutated in place: {'+'.join(names)}")
        hook_files.append(rel)
    root = rng.choice(roots) if roots else None
    fuzz_dir = (root.rsplit(b"/", 1)[0] + b"/" if root and b"/" in root else b"") + b"fuzz_inputs"
    if root:
        plan.ops.append(Op("append", root, b"\n#[allow(unused)]\nmod fuzz_inputs;\n"))
    for number in range(len(in_place), case.size):
        source, text = rng.choice(texts)
        data, names = mutate_content(rng, text, rng.choice(texts)[1])
        name = odd_name(rng) if rng.random() < 0.12 else b"m%d.rs" % number
        rel = fuzz_dir + b"/" + name
        plan.ops.append(Op("write", rel, data, input=number))
        plan.ops.append(Op("append", fuzz_dir + b"/mod.rs", mod_line(number, name), input=number))
        plan.inputs.append(f"{rel!r} from {Path(source).name}: {'+'.join(names)}")
        hook_files.append(rel)
    plan.runs = file_runs(rng, [f for f in hook_files if f.endswith(b".rs")])
    return plan


def mod_line(number: int, name: bytes) -> bytes:
    if name == b"m%d.rs" % number:
        return b"pub mod m%d;\n" % number
    try:
        text = name.decode("utf-8")
    except UnicodeDecodeError:
        return b"// m%d has a non-UTF-8 name, reached by the directory walk only\n" % number
    escaped = "".join(c if c.isprintable() and c not in '"\\' else f"\\u{{{ord(c):x}}}" for c in text)
    return f'#[path = "{escaped}"]\npub mod m{number};\n'.encode()


def hook_entry() -> list[str]:
    """The shipped pre-commit hook's command after `rust-triage` (file names are appended to it)."""
    try:
        import yaml

        hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
        entry = next(h["entry"] for h in hooks if h["id"] == "rust-triage")
        words = entry.split()
        return words[1:] + list(next((h for h in hooks if h["id"] == "rust-triage"), {}).get("args", []))
    except (ImportError, OSError, StopIteration, KeyError, TypeError):
        return ["check"]


def file_runs(rng: random.Random, hook_files: list[bytes]) -> list[Run]:
    """Every output format, the plan, the pre-commit hook with file names, --fix and --add-suppressions."""
    jobs = rng.choice(("1", "1", "2"))
    cache = ["--cache-dir", "../home/.cache/rust-triage"]
    other = rng.choice(("sarif", "github", "html"))
    runs = [
        Run("check-json", ["check", ".", "-f", "json", "-o", "../out/report.json", "--jobs", jobs, *cache]),
        Run("check-text", ["check", ".", "--jobs", "1", *cache]),
        Run(f"check-{other}", ["check", ".", "-f", other, "-o", f"../out/report.{other}", "--jobs", "1", *cache]),
        Run("plan", ["plan", ".", "-f", rng.choice(("markdown", "json")), "-o", "../out/plan", "--jobs", "1", *cache]),
        Run("hook", [*hook_entry(), *hook_files], stdin=b""),
        Run("fix", ["check", ".", "--fix", "-f", "json", "-o", "../out/fix.json", "--jobs", "1", *cache],
            target="wsfix", edit="fix"),
        Run("add-suppressions", ["check", ".", "--add-suppressions", "-q", "--jobs", "1", *cache],
            target="wssup", edit="suppress"),
    ]
    return runs


def write_plan(plan: Plan, sandbox: Path, target: str, keep: set[int] | None = None) -> None:
    """Write the workspace of `plan` into sandbox/target (only inputs in `keep`, when given)."""
    root = sandbox / target
    root.mkdir(parents=True, exist_ok=True)
    for op in plan.ops:
        if keep is not None and op.input is not None and op.input not in keep:
            continue
        path = os.path.join(os.fsencode(root), op.rel) if op.rel else os.fsencode(root)
        _apply(op, path, sandbox)
    for name, data in plan.sandbox_files.items():
        (sandbox / "inputs" / name).write_bytes(fill_placeholders(data, sandbox, sandbox / "ws"))


def fill_placeholders(data: bytes, sandbox: Path, here: Path) -> bytes:
    outside = sandbox / "outside"
    return data.replace(ABS_OUTSIDE, os.fsencode(outside)).replace(REL_OUTSIDE, os.fsencode(os.path.relpath(outside, here)))


def _apply(op: Op, path: bytes, sandbox: Path) -> None:
    here = Path(os.fsdecode(os.path.dirname(path)))
    if op.action == "copytree":
        shutil.copytree(op.source, os.fsdecode(path), symlinks=True, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("target"))
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if op.action in ("write", "append"):
        with open(path, "ab" if op.action == "append" else "wb") as handle:
            handle.write(fill_placeholders(op.data, sandbox, here))
    elif op.action == "link":
        if os.path.lexists(path):
            os.unlink(path)
        os.symlink(fill_placeholders(op.data, sandbox, here), path)
    elif op.action == "fifo":
        _remove(path)
        os.mkfifo(path)
    elif op.action == "socket":
        _remove(path)
        with socket.socket(socket.AF_UNIX) as sock:
            cwd = os.getcwd()
            os.chdir(os.path.dirname(path))  # AF_UNIX names are limited to ~100 bytes: bind relative
            try:
                sock.bind(os.path.basename(path))
            finally:
                os.chdir(cwd)
    elif op.action == "chmod":
        os.chmod(path, op.mode)
    elif op.action == "longpath":
        _write_long_path(path, op.mode, op.data)
    else:
        raise ValueError(op.action)


def _remove(path: bytes) -> None:
    if os.path.lexists(path):
        os.unlink(path)


def _write_long_path(top: bytes, depth: int, data: bytes) -> None:
    """Directories nested `depth` deep with 200-byte names (past PATH_MAX), a Rust file at the bottom."""
    os.makedirs(top, exist_ok=True)
    fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(depth):
            name = b"d" * 200
            try:
                os.mkdir(name, dir_fd=fd)
            except FileExistsError:
                pass
            nxt = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
            os.close(fd)
            fd = nxt
        out = os.open(b"deep.rs", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644, dir_fd=fd)
        with os.fdopen(out, "wb") as handle:
            handle.write(data)
    finally:
        os.close(fd)
