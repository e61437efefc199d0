"""Running the CLI on a fuzz case inside a sandbox, and the checks applied to every run.

Sandbox layout (one per case, a fresh temporary directory):
    outside/   canary files holding a unique token; must be neither read (token in no output) nor written
    ws/        the workspace for read-only runs; must be unchanged by them
    wsfix/ wssup/  identical rebuilt copies for `--fix` / `--add-suppressions`
    inputs/    cargo JSON, baselines; out/ reports; home/ $HOME, whose .cache/rust-triage is the parse cache
               (the default location, given explicitly too, so every run shares it)
"""

from __future__ import annotations

import hashlib
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from fuzz_edits import check_edit

GOOD_EXITS = (0, 1, 2, 130)
CATEGORIES = ("hang", "traceback", "bad-exit", "outside-read", "outside-write", "stray-write", "edit-damage", "injection")
_WORKFLOW_COMMAND = re.compile(rb"^::(?!(?:error|warning|notice) file=)", re.M)
_HTML_PAYLOADS = (b"<script>alert(1)</script>", b"<img src=x onerror=alert(1)>")
MEMORY_LIMIT = 4 << 30  # address space per CLI run: a runaway run fails (MemoryError) instead of swapping
_DROP_ROOT_READ = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]


@dataclass
class Run:
    """One CLI invocation. `argv` follows `python -m rust_triage`; `target` is the directory it runs in."""

    name: str
    argv: list[str | bytes]
    target: str = "ws"
    edit: str = ""  # "fix" or "suppress": the run may change files in its target, within the edit rules
    stdin: bytes | None = None


@dataclass
class RunResult:
    name: str
    argv: list[str]
    exit: int | None
    seconds: float
    problems: dict[str, str] = field(default_factory=dict)  # category -> first detail
    skipped: bool = False
    cpu: float = 0.0  # user + system seconds of the CLI (its waited-for workers included)

    def add(self, category: str, detail: str) -> None:
        self.problems.setdefault(category, detail[:2000])


def canary_outside(sandbox: Path, token: str) -> None:
    """The files outside the workspace that hostile links, members and spans point at."""
    out = sandbox / "outside"
    rust = (
        f"// {token}\n"
        f"pub fn leak_{token}() -> u8 {{ let v: Option<u8> = None; v.unwrap() }} // {token}\n"
        f"pub struct S{token} {{ pub f_{token}: u8 }} // TODO for now {token}\n"
        f"pub fn t_{token}() {{ todo!(\"{token}\") }} // {token}\n"
    )
    for rel, text in {
        "secret.rs": rust,
        "secret.txt": f"{token}\n*\n!{token}\n",
        "dir/mod.rs": rust,
        "dir/lib.rs": rust,
        "crate/Cargo.toml": f'[package]\nname = "leak_{token}"\nversion = "0.1.0"\nedition = "2021"\n# {token}\n',
        "crate/src/lib.rs": rust,
        "crate/src/main.rs": rust,
    }.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def snapshot(root: Path) -> dict[bytes, tuple]:
    """Path -> (kind, mode, content hash or link target); never follows links, never opens special files."""
    found: dict[bytes, tuple] = {}
    if not root.exists():
        return found
    stack = [os.fsencode(root)]
    base = len(stack[0]) + 1
    while stack:
        top = stack.pop()
        try:
            entries = list(os.scandir(top))
        except OSError as exc:
            found[top[base:] + b"/"] = ("unlistable", exc.errno)
            continue
        for entry in entries:
            rel = entry.path[base:]
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError as exc:  # e.g. a path longer than PATH_MAX
                found[rel] = ("unstattable", exc.errno)
                continue
            mode = stat.S_IMODE(st.st_mode)
            if stat.S_ISLNK(st.st_mode):
                found[rel] = ("link", os.readlink(entry.path))
            elif stat.S_ISDIR(st.st_mode):
                found[rel] = ("dir", mode)
                stack.append(entry.path)
            elif stat.S_ISREG(st.st_mode):
                found[rel] = ("file", mode, _hash(entry.path))
            else:
                found[rel] = ("special", stat.S_IFMT(st.st_mode), mode)
    return found


def _hash(path: bytes) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def token_in_tree(root: Path, token: bytes) -> bytes | None:
    """The first regular file under `root` (links not followed) whose bytes contain `token`."""
    for rel, info in snapshot(root).items():
        if info[0] == "file":
            with open(os.path.join(os.fsencode(root), rel), "rb") as handle:
                if token in handle.read():
                    return rel
    return None


def injection(data: bytes) -> str | None:
    """Text from the analysed code acting on the reader. In what a terminal or a CI log shows: a GitHub
    workflow command at a line start (the tool's own annotations are `::error file=...`) or a raw
    terminal escape; in an HTML report: the raw HTML payloads of the hostile text."""
    if data.lstrip()[:15].lower().startswith((b"<!doctype", b"<html")):
        found = next((p for p in _HTML_PAYLOADS if p in data), None)
        return None if found is None else f"raw HTML from the code: {found!r}"
    match = _WORKFLOW_COMMAND.search(data)
    if match:
        line = data[match.start():].split(b"\n", 1)[0]
        return f"workflow command at a line start: {line[:120]!r}"
    if b"\x1b" in data:
        at = data.index(b"\x1b")
        return f"raw terminal escape: {data[max(0, at - 40): at + 20]!r}"
    return None


def _outputs(out: Path) -> list[tuple[str, bytes]]:
    return [(f"out/{p.name}", p.read_bytes()) for p in sorted(out.iterdir()) if p.is_file()]


def traceback_summary(output: bytes) -> str:
    """`ExceptionType: message (innermost file:line)` from a Python traceback."""
    lines = [ln.strip() for ln in output.decode("utf-8", "replace").splitlines() if ln.strip()]
    start = max(i for i, ln in enumerate(lines) if ln.startswith("Traceback"))
    frames = [ln for ln in lines[start:] if ln.startswith("File ")]
    last = next((ln for ln in reversed(lines) if not ln.startswith(("File ", "^", "~"))), "")
    where = frames[-1].replace('File "', "").replace('", line ', ":").split(",")[0] if frames else "?"
    return f"{last[:300]} (at {where.rsplit('/site-packages/', 1)[-1].rsplit('/src/', 1)[-1]})"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def command_prefix() -> list[str]:
    """`python -m rust_triage`, as a normal user would see permissions even when the fuzzer runs as root."""
    base = [sys.executable, "-m", "rust_triage"]
    if os.geteuid() == 0 and shutil.which("setpriv"):
        return _DROP_ROOT_READ + base
    return base


def execute(run: Run, sandbox: Path, token: str, timeout: float, findings: dict | None) -> RunResult:
    """Run the CLI once and apply every check; `findings` (rel path -> lines) guides the edit checks."""
    target = sandbox / run.target
    for old in (sandbox / "out").iterdir():  # each run's reports are checked on their own
        old.unlink()
    before_outside = snapshot(sandbox / "outside")
    before_target = snapshot(target)
    originals = _regular_files(target) if run.edit else {}
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(sandbox / "home"),
        "XDG_CACHE_HOME": str(sandbox / "home" / ".cache"),
        "LANG": "C.UTF-8",
        "COLUMNS": "120",
        "RT_FUZZ_SECRET": token,  # read through a link to /proc/self/environ, it shows as an outside read
    }
    argv = command_prefix() + list(run.argv)
    started = time.monotonic()
    cpu_before = _children_cpu()
    proc = subprocess.Popen(
        argv, cwd=target, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True, preexec_fn=_limits,
    )
    try:
        stdout, stderr = proc.communicate(run.stdin or b"", timeout=timeout)
        code: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
        code = None
    seconds = time.monotonic() - started
    _reap_group(proc.pid)
    cpu = round(_children_cpu() - cpu_before, 2)
    result = RunResult(run.name, [_show(a) for a in run.argv], code, round(seconds, 2), cpu=cpu)
    tail = stderr.decode("utf-8", "replace")[-1500:]
    if code is None:  # CPU time tells a blocked run (a FIFO read) from a busy one (or a loaded machine)
        result.add("hang", f"no exit after {timeout:.0f}s ({cpu:.1f} s CPU: {'busy' if cpu > timeout / 4 else 'blocked or starved'})")
    elif code not in GOOD_EXITS:
        result.add("bad-exit", f"exit {code}: {tail}")
    if b"Traceback" in stderr or b"Traceback" in stdout:
        result.add("traceback", traceback_summary(stderr if b"Traceback" in stderr else stdout))
    secret = token.encode()
    if secret in stdout or secret in stderr:
        result.add("outside-read", "token in " + ("stdout" if secret in stdout else "stderr"))
    for area in ("out", "home", run.target):
        leaked = token_in_tree(sandbox / area, secret)
        if leaked is not None:
            result.add("outside-read", f"token in {area}/{_show(leaked)}")
    for label, data in [("stdout", stdout), ("stderr", stderr), *_outputs(sandbox / "out")]:
        found = injection(data)
        if found:
            result.add("injection", f"{label}: {found}")
    if snapshot(sandbox / "outside") != before_outside:
        result.add("outside-write", _tree_diff(before_outside, snapshot(sandbox / "outside")))
    after_target = snapshot(target)
    if not run.edit:
        if after_target != before_target:
            result.add("stray-write", _tree_diff(before_target, after_target))
    else:
        for category, detail in _edit_problems(target, originals, before_target, after_target, run.edit, findings):
            result.add(category, detail)
    return result


def _edit_problems(
    target: Path, originals: dict[bytes, bytes], before: dict, after: dict, edit: str, findings: dict | None
) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if set(before) != set(after):
        problems.append(("stray-write", _tree_diff(before, after)))
    for rel in sorted(set(before) & set(after)):
        old, new = before[rel], after[rel]
        if old == new:
            continue
        if old[0] != "file" or new[0] != "file" or old[1] != new[1]:
            problems.append(("stray-write", f"{_show(rel)}: {old[:2]} -> {new[:2]}"))
            continue
        # the report spells bytes that are not UTF-8 as `\xNN` (its display form of a file name)
        lines = None if findings is None else findings.get(rel.decode("utf-8", "backslashreplace"), set())
        original = originals.get(rel)
        if original is None:
            continue
        changed = (target / os.fsdecode(rel)).read_bytes()
        damage = check_edit(rel, original, changed, edit, lines)
        if damage:
            problems.append(("edit-damage", f"{_show(rel)}: {damage}"))
    return problems


def _regular_files(target: Path) -> dict[bytes, bytes]:
    """The bytes of every readable regular file under `target`, to diff them after an edit run."""
    contents: dict[bytes, bytes] = {}
    for rel, info in snapshot(target).items():
        if info[0] == "file":
            try:
                contents[rel] = (target / os.fsdecode(rel)).read_bytes()
            except OSError:
                continue
    return contents


def _tree_diff(before: dict, after: dict) -> str:
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(k for k in set(before) & set(after) if before[k] != after[k])
    parts = [f"{label}: {', '.join(_show(p) for p in paths[:5])}" for label, paths in
             (("added", added), ("removed", removed), ("changed", changed)) if paths]
    return "; ".join(parts)


def _show(value: str | bytes) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "backslashreplace")
    return value if value.isprintable() else repr(value)


def _reap_group(pgid: int) -> None:
    """Kill anything the run left behind in its process group (worker processes of a killed run)."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def make_sandbox_dirs(sandbox: Path) -> None:
    for name in ("out", "home/.cache", "inputs"):
        (sandbox / name).mkdir(parents=True, exist_ok=True)


def restore_permissions(root: Path) -> None:
    """Make every directory readable again (cases lock some) so the sandbox can be removed.
    Walks by directory descriptors: some cases nest paths past PATH_MAX."""
    if not root.exists():
        return
    for _, dirnames, _, dir_fd in os.fwalk(root, follow_symlinks=False):
        for name in dirnames:
            _chmod_dir(name, dir_fd)


def _chmod_dir(name: str, dir_fd: int) -> None:
    try:
        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        if stat.S_ISDIR(st.st_mode):
            os.chmod(name, 0o755, dir_fd=dir_fd)
    except OSError:
        pass
