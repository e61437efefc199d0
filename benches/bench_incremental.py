"""The ratios of issue 17's table in one run: cold vs parse floor, warm vs cold, a one-file pre-commit run,
a "touch one function body" incremental run (a literal of the same length, then a line added: positions
move, interfaces keep their shape), peak RSS, and ast-grep when it is installed.

    python benches/bench_incremental.py                      # synthetic corpus (--lines 100000) in a temp dir
    python benches/bench_incremental.py /path/to/workspace   # a real tree as well (never modified: copied)
    python benches/bench_incremental.py --ast-grep /path/to/ast-grep

A benchmark, not a test: exit status 0 unless a CLI run crashed. Every CLI run is a fresh process through
bench.py's wrapper (times include interpreter start-up); `cpu(s)` counts the CLI and the workers it waited for.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import WRAPPER, Result, fmt_row, measure_floor, measure_query_floor, rust_files  # noqa: E402

RULES_DIR = Path(__file__).resolve().parent / "astgrep_rules"
_LITERAL = re.compile(r"(let \w+(?:: \w+)? = )(\d+);")


# Installed tools keep compiled bytecode: with PYTHONDONTWRITEBYTECODE every run would compile rust-triage
# again (about 0.1-0.4 s), which is not what users see.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(label: str, cmd: list[str], cwd: Path | None = None) -> Result:
    proc = subprocess.run([sys.executable, "-c", WRAPPER, *cmd], capture_output=True, text=True, cwd=cwd, env=_ENV)
    data = json.loads(proc.stdout)
    bad = data["rc"] not in (0, 1)
    return Result(label, data["wall"], data["cpu"], data["rss_kib"], data["rc"],
                  note=data["stderr"].strip().splitlines()[-1][:80] if bad and data["stderr"].strip() else "",
                  failed=bad)


def check(label: str, paths: list[Path], cache: Path, out: Path) -> Result:
    cmd = [sys.executable, "-m", "rust_triage", "check", *map(str, paths), "--format", "json",
           "--cache-dir", str(cache), "-o", str(out)]
    return run(label, cmd)


def touch_body(path: Path) -> bool:
    """Change one integer literal in a `let` (same length class, same shape): a body-only edit."""
    text = path.read_text()
    m = _LITERAL.search(text)
    if m is None:
        return False
    number = int(m.group(2))
    bumped = str(number + 1 if len(str(number + 1)) == len(str(number)) else number - 1)
    path.write_text(text[: m.start(2)] + bumped + text[m.end(2):])
    return True


def add_body_line(path: Path) -> bool:
    """Add a comment line above a `let` in a body: the lines below move (positions change), no interface's
    shape does."""
    text = path.read_text()
    m = _LITERAL.search(text)
    if m is None:
        return False
    start = text.rfind("\n", 0, m.start()) + 1
    path.write_text(text[:start] + text[start:m.start()] + "// a note on the next line\n" + text[start:])
    return True


def pick_file(files: list[Path]) -> Path | None:
    """A mid-sized file with a literal to touch (a typical staged file)."""
    candidates = sorted((f for f in files if _LITERAL.search(f.read_text(errors="replace"))),
                        key=lambda f: f.stat().st_size)
    return candidates[len(candidates) // 2] if candidates else None


def _reported_files(root: Path, report: Path) -> set[Path]:
    try:
        return {root / f["file"] for f in json.loads(report.read_text())["findings"]}
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def bench_tree(root: Path, scratch: Path, ast_grep: str | None) -> list[Result]:
    files = rust_files(root)
    results = [measure_floor(files, 3), measure_query_floor(files, 3)]  # best of 3: floors are best cases
    cache, out = scratch / "cache", scratch / "out.json"
    results.append(check("cold", [root], cache, out))
    # the staged file is one the cold run analysed, not one of a nested non-member package (another
    # workspace, which a one-file run would analyse cold)
    analysed = _reported_files(root, out)
    results.append(check("warm", [root], cache, out))
    target = pick_file([f for f in files if f in analysed] or files)
    if target is not None:
        results.append(check("onefile first", [target], cache, out))
        results.append(check("onefile again", [target], cache, out))
        touch_body(target)
        results.append(check("onefile touched", [target], cache, out))
        touch_body(target)
        results.append(check("touch-body ws", [root], cache, out))
        add_body_line(target)
        results.append(check("onefile line added", [target], cache, out))
        add_body_line(target)
        results.append(check("line-added ws", [root], cache, out))
    if ast_grep:
        results.append(run("ast-grep", [ast_grep, "scan", "--json=stream", str(root)], cwd=RULES_DIR))
    return results


def ratios(results: list[Result]) -> None:
    by = {r.label: r for r in results}

    def show(name: str, a: str, b: str | None, target: str) -> None:
        ra, rb = by.get(a), by.get(b) if b else None
        if ra is None or (b and rb is None):
            return
        wall = ra.seconds / rb.seconds if rb else ra.seconds
        cpu = (ra.cpu / rb.cpu if rb and rb.cpu else None) if b and rb and rb.label != "floor" else None
        unit = "x" if b else " s"
        extra = f"  (cpu {cpu:.3f}x)" if cpu is not None else ""
        print(f"{name:34s} {wall:8.3f}{unit}{extra}   target {target}")

    show("cold / floor", "cold", "floor", "<= 2.5x")
    show("query floor / floor", "query floor", "floor", "(parse + the rules' query, no Python per match)")
    show("cold / query floor", "cold", "query floor", "(no target)")
    show("warm / cold", "warm", "cold", "<= 0.1x")
    show("one file, first run after cold (s)", "onefile first", None, "<= 0.3 s")
    show("one file, unchanged again (s)", "onefile again", None, "<= 0.3 s")
    show("one file, body touched (s)", "onefile touched", None, "<= 0.3 s")
    show("touch one body, workspace / cold", "touch-body ws", "cold", "(no target)")
    show("one file, line added in a body (s)", "onefile line added", None, "<= 0.3 s")
    show("line added in a body, ws / cold", "line-added ws", "cold", "(no target)")
    show("cold / ast-grep", "cold", "ast-grep", "<= 2x")
    show("warm / ast-grep", "warm", "ast-grep", "<= 0.3x")
    cold = by.get("cold")
    if cold and cold.rss_kib:
        print(f"{'peak RSS, one process (MiB)':34s} {cold.rss_kib / 1024:8.0f}     target <= 1536")


def _age(tree: Path, seconds: int = 3600) -> None:
    """Date a freshly generated tree back, as a real checkout is: a file written in the last seconds
    may change again within one timestamp tick, so the replay stamp is (rightly) not kept for it."""
    when = time.time() - seconds
    for directory, _dirs, names in os.walk(tree):
        for name in names:
            os.utime(os.path.join(directory, name), (when, when))
        os.utime(directory, (when, when))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("trees", nargs="*", type=Path, help="real workspaces to measure as well (copied first)")
    ap.add_argument("--lines", type=int, default=100_000, help="size of the synthetic corpus")
    ap.add_argument("--ast-grep", default=shutil.which("ast-grep"), help="ast-grep binary (default: on PATH)")
    args = ap.parse_args(argv)
    crashed = False
    with tempfile.TemporaryDirectory(prefix="rt-bench-incr-") as tmp:
        scratch = Path(tmp)
        corpus = scratch / "corpus"
        subprocess.run([sys.executable, str(Path(__file__).parent / "make_corpus.py"), "--lines", str(args.lines),
                        "--out", str(corpus)], check=True, stdout=subprocess.DEVNULL)
        _age(corpus)
        trees = [("synthetic", corpus)] + [(str(t), t) for t in args.trees]
        for i, (name, tree) in enumerate(trees):
            root = tree
            if tree != corpus:  # edits happen on a copy
                root = scratch / f"tree{i}"
                shutil.copytree(tree, root, symlinks=True)
            work = scratch / f"work{i}"
            work.mkdir()
            print(f"== {name}: {len(rust_files(root))} .rs files")
            print(f"{'measure':24s} {'time(s)':>8s} {'cpu(s)':>8s} {'RSS(MiB)':>9s} {'exit':>5s}  note")
            results = bench_tree(root, work, args.ast_grep)
            for r in results:
                print(fmt_row(r))
                crashed = crashed or r.failed
            ratios(results)
            if not args.ast_grep:
                print("ast-grep: not found (npm install @ast-grep/cli, then --ast-grep PATH)")
            print()
    return 1 if crashed else 0


if __name__ == "__main__":
    raise SystemExit(main())
