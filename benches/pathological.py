"""Small inputs that used to take super-linear time or memory, and a runner that times each one.

    python benches/pathological.py --out /tmp/patho            # write every case and time `check` on it
    python benches/pathological.py --out /tmp/patho --only long_sum,nested_mods
    python benches/pathological.py --out /tmp/patho --write-only

Each case is a one-crate Cargo workspace whose `src/lib.rs` is generated. The runner prints, per case,
the size of the file, the wall time of `rust-triage check --no-cache --format json` in a fresh process
and its peak RSS. It exits 1 only if a run crashed (an exit status other than 0 or 1) or timed out.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

MANIFEST = '[package]\nname = "patho"\nversion = "0.1.0"\nedition = "2021"\n'


def long_sum(terms: int = 30_000) -> str:
    """One expression of `terms` additions (about 4 bytes a term: 120 KB for 30k)."""
    return "pub fn f() -> u64 {\n    let x = " + " + ".join(["1"] * terms) + ";\n    x\n}\n"


def method_chain(calls: int = 8_000) -> str:
    """`a.b().b().b()...`: one call expression nested `calls` deep."""
    return "pub fn f(a: A) {\n    a" + ".b()" * calls + ";\n}\n"


def many_fns(count: int = 80_000) -> str:
    """`count` small functions, each calling the next and one other (scattered, deterministic): an
    oversized, tangled file for the split proposal."""
    out = []
    for i in range(count):
        vis = "pub " if i % 3 == 0 else ""
        other = (i * 7919 + 13) % count
        call = f"f{i + 1}(f{other}(x))" if i + 1 < count else "x"
        out.append(f"{vis}fn f{i}(x: u32) -> u32 {{ {call} }}")
    return "\n".join(out) + "\n"


def nested_mods(depth: int = 5_000) -> str:
    """`depth` inline modules nested in each other (about 8 bytes a level: 40 KB for 5,000)."""
    return "mod m {" * depth + " fn f() {} " + "}" * depth + "\n"


def long_line(target_bytes: int = 3_900_000) -> str:
    """One line of about `target_bytes` bytes holding many small functions with an `unwrap()` each."""
    piece = "fn g{i}() {{ let v = Some(1).unwrap(); }} "
    parts: list[str] = []
    size = i = 0
    while size < target_bytes:
        text = piece.format(i=i)
        parts.append(text)
        size += len(text)
        i += 1
    return "".join(parts) + "\n"


def helper_cycle(public: int = 60) -> str:
    """Three private helpers each used by exactly one other, in a cycle, in an oversized file."""
    lines = [
        "fn ha(n: u32) -> u32 { if n == 0 { 0 } else { hb(n - 1) } }",
        "fn hb(n: u32) -> u32 { if n == 0 { 1 } else { hc(n - 1) } }",
        "fn hc(n: u32) -> u32 { if n == 0 { 2 } else { ha(n - 1) } }",
    ]
    for i in range(public):
        lines.append(f"pub fn public_{i}(x: u32) -> u32 {{")
        lines.extend(f"    let v{j} = x + {j};" for j in range(12))
        lines.append("    x\n}")
    return "\n".join(lines) + "\n"


def wide_calls(width: int = 20, layers: int = 8) -> str:
    """An async fn calling `layers` layers of `width` sync fns, each calling every fn of the next
    layer, none blocking: width ** layers call paths in 8 KB."""
    out = ["pub async fn entry() { " + " ".join(f"l0_{j}();" for j in range(width)) + " }"]
    for layer in range(layers):
        for j in range(width):
            body = " ".join(f"l{layer + 1}_{k}();" for k in range(width)) if layer + 1 < layers else ""
            out.append(f"pub fn l{layer}_{j}() {{ {body} }}")
    return "\n".join(out) + "\n"


def macro_fanout(calls: int = 200, fanout: int = 30, repeat: int = 40) -> str:
    """`calls` calls of a crate macro whose expansion calls another macro `fanout` times with distinct
    arguments, which calls a third `fanout` times, whose body repeats its input `repeat` times: 8 KB
    that expand to over a million calls (used to take minutes and gigabytes)."""
    rep = " ".join(["$($x)*"] * repeat)
    inner = "\n".join(f"        c!($($x)* {i});" for i in range(fanout))
    outer = "\n".join(f"        b!($($x)* {i});" for i in range(fanout))
    return ("#[derive(Debug)]\npub struct S;\n"
            f"macro_rules! c {{ ($($x:tt)*) => {{ let v = vec![{rep}]; }} }}\n"
            f"macro_rules! b {{ ($($x:tt)*) => {{\n{inner}\n    }} }}\n"
            f"macro_rules! a {{ ($($x:tt)*) => {{\n{outer}\n    }} }}\n"
            "pub fn f() {\n" + "".join(f"    a!(1 2 3 4 5 6 7 8 9 {i});\n" for i in range(calls)) + "}\n")


CASES: dict[str, Callable[[], str]] = {
    "long_sum": long_sum,
    "method_chain": method_chain,
    "many_fns": many_fns,
    "nested_mods": nested_mods,
    "long_line": long_line,
    "helper_cycle": helper_cycle,
    "wide_calls": wide_calls,
    "macro_fanout": macro_fanout,
}


def write_deep_module_files(root: Path, depth: int = 1_200) -> Path:
    """A chain of `depth` module files, `src/a.rs`, `src/a/a.rs`, ..., each declaring the next and
    holding one `unwrap()`: a directory tree deeper than Python's recursion limit, paths of ~2.4 KB."""
    (root / "src").mkdir(parents=True, exist_ok=True)
    (root / "Cargo.toml").write_text(MANIFEST)
    (root / "src" / "lib.rs").write_text("pub mod a;\n")
    directory = root / "src"
    for _ in range(depth):
        (directory / "a.rs").write_text("pub mod a;\npub fn f() -> u8 { None::<u8>.unwrap() }\n")
        directory = directory / "a"
        directory.mkdir()
    (directory / "a.rs").write_text("pub fn g() {}\n")
    return root


TREES: dict[str, Callable[[Path], Path]] = {"deep_module_files": write_deep_module_files}


def write_case(name: str, root: Path, source: str | None = None) -> Path:
    """Write case `name` (or the given source) as a workspace at `root`; returns `root`."""
    (root / "src").mkdir(parents=True, exist_ok=True)
    (root / "Cargo.toml").write_text(MANIFEST)
    (root / "src" / "lib.rs").write_text(CASES[name]() if source is None else source)
    return root


def run_check(root: Path, timeout: float, *extra: str) -> tuple[int | None, float, float, int]:
    """(exit status or None on timeout, wall seconds, CPU seconds, peak RSS in KiB) of one `check` in a
    fresh process. CPU time is the steadier number on a busy machine."""
    cmd = [sys.executable, "-m", "rust_triage", "check", str(root), "--no-cache", "--jobs", "1",
           "--format", "json", "-o", os.devnull, *extra]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        while True:  # os.wait4 gives this child's own peak RSS
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > timeout:
                proc.kill()
                _, _, usage = os.wait4(proc.pid, 0)
                proc.returncode = -9
                return None, time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss
            time.sleep(0.02)
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            err.seek(0)
            sys.stderr.write(err.read().decode("utf-8", "replace")[-2000:])
    return code, time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("pathological-inputs"))
    parser.add_argument("--only", default="", help="comma-separated case names")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--write-only", action="store_true")
    args = parser.parse_args(argv)
    names = [n for n in args.only.split(",") if n] or [*CASES, *TREES]
    unknown = [n for n in names if n not in CASES and n not in TREES]
    if unknown:
        parser.error(f"unknown case(s): {', '.join(unknown)} (known: {', '.join([*CASES, *TREES])})")
    failed = False
    print(f"{'case':<14} {'bytes':>10} {'status':>7} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9}")
    for name in names:
        root = TREES[name](args.out / name) if name in TREES else write_case(name, args.out / name)
        size = sum(p.stat().st_size for p in (root / "src").rglob("*.rs"))
        if args.write_only:
            print(f"{name:<14} {size:>10}")
            continue
        status, wall, cpu, peak = run_check(root, args.timeout)
        failed |= status not in (0, 1)
        shown = "timeout" if status is None else str(status)
        print(f"{name:<14} {size:>10} {shown:>7} {wall:>8.2f} {cpu:>8.2f} {peak / 1024:>9.0f}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
