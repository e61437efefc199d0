"""The path policy on reads: nothing outside the workspace, no special files, no silent skips.

Every case runs the real CLI in a subprocess with a timeout (a hang fails the test instead of
hanging it) and a memory limit (reading /dev/zero fails fast instead of eating the machine), on real
symlinks, FIFOs and deep directories.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

MARKER = "rtmarker-9d41c7-secret"
_MEMORY_LIMIT = 3 * 1024**3


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (_MEMORY_LIMIT, _MEMORY_LIMIT))


def run_bounded(*args: str, prefix: tuple[str, ...] = (), timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The CLI with a marker in its environment (so /proc/self/environ holds it), bounded in time and memory."""
    return subprocess.run(
        [*prefix, sys.executable, "-m", "rust_triage", *args],
        capture_output=True, text=True, timeout=timeout, preexec_fn=_limit_memory,
        env={**os.environ, "RT_TEST_SECRET": MARKER},
    )


def write_crate(root: Path, files: dict[str, str | bytes], name: str = "ws", own_workspace: bool = True) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    manifest = f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\n'
    manifest += "\n[workspace]\n" if own_workspace else ""
    for rel, content in {"Cargo.toml": manifest, **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


def check_report(root: Path, *extra: str) -> dict:
    proc = run_bounded("check", str(root), "--no-cache", "--format", "json", *extra)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    return json.loads(proc.stdout)


def errors_by_file(report: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for error in report["errors"]:
        out.setdefault(error["file"], []).append(error)
    return out


SECRET_SOURCE = f'pub fn leak() {{ let s = "{MARKER}"; let v: Option<u8> = None; v.unwrap(); }}\n'


def test_symlinks_and_path_attributes_never_read_outside(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.rs").write_text(SECRET_SOURCE)
    (outside / "other.rs").write_text(SECRET_SOURCE)
    ws = write_crate(tmp_path / "ws", {
        "src/lib.rs": (
            "mod env;\nmod leak;\nmod alias;\n"
            '#[path = "../../outside/other.rs"]\nmod by_path;\n'
            'include!("../../outside/secret.rs");\n'
            "pub fn f() { let x: Option<u8> = None; x.unwrap(); }\n"
        ),
        "shared/real.rs": "pub fn g() { let y: Option<u8> = None; y.unwrap(); }\n",
    })
    (ws / "src" / "env.rs").symlink_to("/proc/self/environ")
    (ws / "src" / "leak.rs").symlink_to(outside / "secret.rs")
    (ws / "src" / "alias.rs").symlink_to("../shared/real.rs")  # inside the workspace: allowed

    report = check_report(ws)
    outputs = [json.dumps(report)]
    for fmt in ("sarif", "html", "text", "github"):
        proc = run_bounded("check", str(ws), "--no-cache", "--format", fmt)
        assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr
        outputs.append(proc.stdout)
    proc = run_bounded("plan", str(ws), "--no-cache", "--format", "markdown")
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr
    outputs.append(proc.stdout)
    # pre-commit names the staged files: a symlinked one must not pull its target's tree in
    named = run_bounded("check", str(ws / "src" / "leak.rs"), str(ws / "src" / "env.rs"), "--no-cache",
                        "--format", "json")
    assert named.returncode in (0, 1) and "Traceback" not in named.stderr, named.stderr
    assert json.loads(named.stdout)["findings"] == []
    outputs.append(named.stdout)
    for text in outputs:
        assert MARKER not in text
        assert "RT_TEST_SECRET" not in text

    errors = errors_by_file(report)
    assert [e["kind"] for e in errors["src/env.rs"]] == ["outside-workspace"]
    assert [e["kind"] for e in errors["src/leak.rs"]] == ["outside-workspace"]
    by_path = [e for e in errors["src/lib.rs"] if "by_path" in e["message"]]
    assert by_path and by_path[0]["kind"] == "outside-workspace" and by_path[0]["line"] == 5
    files = {f["file"] for f in report["findings"]}
    assert "src/alias.rs" in files and "src/lib.rs" in files  # the inside symlink is analysed
    assert not any("outside" in f or f.startswith("/") for f in files)


def test_member_outside_the_root_is_refused(tmp_path: Path) -> None:
    write_crate(tmp_path / "other", {"src/lib.rs": SECRET_SOURCE}, name="other", own_workspace=False)
    root = tmp_path / "root"
    unwrap = "pub fn f() { let x: Option<u8> = None; x.unwrap(); }\n"
    write_crate(root / "app", {"src/lib.rs": unwrap}, name="app", own_workspace=False)
    (root / "Cargo.toml").write_text('[workspace]\nmembers = ["app", "../other"]\n')

    report = check_report(root, "--select", "RT0")
    assert MARKER not in json.dumps(report)
    assert {f["file"] for f in report["findings"]} == {"app/src/lib.rs"}
    problem = next(e for e in report["errors"] if e["kind"] == "outside-workspace")
    assert problem["file"] == "Cargo.toml" and "../other" in problem["message"]


def test_special_gitignore_files_neither_hang_nor_eat_memory(tmp_path: Path) -> None:
    ws = write_crate(tmp_path / "ws", {
        "src/lib.rs": "mod pipe;\nmod sub;\npub fn f() { let x: Option<u8> = None; x.unwrap(); }\n",
        "src/sub/mod.rs": "pub fn g() {}\n",
    })
    os.mkfifo(ws / ".gitignore")
    (ws / "src" / "sub" / ".gitignore").symlink_to("/dev/zero")
    os.mkfifo(ws / "src" / "pipe.rs")

    report = check_report(ws)
    errors = errors_by_file(report)
    assert "not a regular file (a FIFO)" in errors[".gitignore"][0]["message"]
    assert errors["src/sub/.gitignore"][0]["kind"] in ("not-a-file", "outside-workspace")
    assert errors["src/pipe.rs"][0]["message"].startswith("not a regular file (a FIFO)")
    assert any(f["file"] == "src/lib.rs" and f["rule"] == "RT001" for f in report["findings"])


def _cargo_line(file_name: str, line: object, column: object = 5) -> str:
    span = {"file_name": file_name, "byte_start": 0, "byte_end": 1, "line_start": line, "line_end": line,
            "column_start": column, "column_end": column, "is_primary": True, "label": "here", "text": [],
            "expansion": None, "suggested_replacement": None}
    message = {"level": "error", "code": {"code": "E0425"}, "message": f"cannot find value in {file_name!r}",
               "rendered": "error", "spans": [span], "children": []}
    return json.dumps({"reason": "compiler-message", "package_id": "ws 0.1.0", "message": message,
                       "target": {"kind": ["lib"], "name": "ws"}})


def test_compiler_spans_naming_special_or_outside_files_are_never_opened(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    os.mkfifo(outside / "pipe.rs")  # opening it would block: proves it is never opened
    ws = write_crate(tmp_path / "ws", {"src/lib.rs": "pub fn f() {}\n"})
    os.mkfifo(ws / "src" / "fifo.rs")
    lines = [
        _cargo_line("src/fifo.rs", 3),
        _cargo_line("/dev/zero", 2),
        _cargo_line(str(outside / "pipe.rs"), 1),
        _cargo_line("../outside/pipe.rs", 4),
        _cargo_line("src/a\u0000b.rs", 1),
        _cargo_line("src/lib.rs", 10**30, 10**30),
        _cargo_line("src/lib.rs", 1e30),
        _cargo_line("src/lib.rs", -7, -3),
        _cargo_line("src/lib.rs", 0, 0),
    ]
    cargo_json = tmp_path / "cargo.json"
    cargo_json.write_text("\n".join(lines) + "\n")

    for fmt in ("sarif", "json", "markdown"):
        proc = run_bounded("cargo", str(ws), "--input", str(cargo_json), "--format", fmt, timeout=90)
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr
        assert "NUL byte" in proc.stderr  # reported as an input problem, never opened
        if fmt == "sarif":
            positions = [
                region[key]
                for run in json.loads(proc.stdout)["runs"] for result in run["results"]
                for location in result["locations"]
                if (region := location["physicalLocation"].get("region"))
                for key in ("startLine", "endLine", "startColumn", "endColumn")
            ]
            assert positions and all(1 <= value <= 2**31 - 1 for value in positions), positions
    proc = run_bounded("plan", str(ws), "--no-cache", "--cargo-json", str(cargo_json), timeout=90)
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr


def _deep_directory(base: Path, total: int) -> tuple[Path, int]:
    """Nested directories whose full path exceeds `total` bytes, made with dir_fd (no long path needed)."""
    name = "d" * 200
    fd = os.open(base, os.O_RDONLY)
    depth = 0
    try:
        while len(str(base)) + depth * (len(name) + 1) < total:
            os.mkdir(name, dir_fd=fd)
            child = os.open(name, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = child
            depth += 1
        with open(os.open("deep.rs", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as handle:
            handle.write("pub fn deep() { let x: Option<u8> = None; x.unwrap(); }\n")
    finally:
        os.close(fd)
    return base / name, depth


def test_paths_longer_than_path_max_are_reported(tmp_path: Path) -> None:
    ws = write_crate(tmp_path / "ws", {"src/lib.rs": "pub fn f() {}\n"})
    top, _depth = _deep_directory(ws / "src", 4200)
    try:
        report = check_report(ws)
        long = [e for e in report["errors"] if e["kind"] == "path-too-long"]
        assert long and long[0]["file"].startswith("src/ddd") and "PATH_MAX" in long[0]["message"]
    finally:
        shutil.rmtree(top)  # fd-based: copes with the long paths


def test_unreadable_directory_is_a_per_file_error(tmp_path: Path) -> None:
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:  # root reads anything: drop the capabilities that let it
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot make a directory unreadable")
        caps = "-dac_override,-dac_read_search"
        prefix = (setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}", "--")
    ws = write_crate(tmp_path / "ws", {
        "src/lib.rs": "mod sub;\npub fn f() { let x: Option<u8> = None; x.unwrap(); }\n",
        "src/sub/mod.rs": "pub fn g() {}\n",
        "tests/it.rs": "#[test]\nfn t() {}\n",
    })
    (ws / "src" / "sub").chmod(0)
    (ws / "tests").chmod(0)
    try:
        proc = run_bounded("check", str(ws), "--no-cache", "--format", "json", prefix=prefix)
    finally:
        (ws / "src" / "sub").chmod(0o755)
        (ws / "tests").chmod(0o755)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    errors = errors_by_file(report)
    assert errors["tests"][0]["message"] == "cannot list directory: Permission denied"
    assert any("Permission denied" in e["message"] for e in errors["src/lib.rs"])
    assert any(f["file"] == "src/lib.rs" and f["rule"] == "RT001" for f in report["findings"])


def test_file_size_limit_is_16_mib_by_default_and_configurable(tmp_path: Path) -> None:
    body = "\n".join("x" * 99 for _ in range(72_000))  # 7.2 MB of generated data
    ws = write_crate(tmp_path / "ws", {
        "src/lib.rs": "mod generated;\n",
        "src/generated.rs": 'pub fn f() { let x: Option<u8> = None; x.unwrap(); }\npub const DATA: &str = r#"'
        + body + '"#;\n',
    })
    report = check_report(ws, "--select", "RT001")
    assert report["errors"] == []
    assert [f["file"] for f in report["findings"]] == ["src/generated.rs"]

    (ws / "rust-triage.toml").write_text('max-file-size = "1MiB"\n')
    report = check_report(ws, "--select", "RT001")
    assert report["findings"] == []
    [error] = report["errors"]
    assert error["file"] == "src/generated.rs" and error["kind"] == "too-large"
    assert "over the 1048576-byte limit (`max-file-size`)" in error["message"]

    (ws / "rust-triage.toml").write_text("max-file-size = -3\n")
    proc = run_bounded("check", str(ws), "--no-cache")
    assert proc.returncode == 2 and "max-file-size" in proc.stderr and "Traceback" not in proc.stderr


def test_a_manifest_linked_outside_its_directory_is_not_read(tmp_path: Path) -> None:
    """A Cargo.toml that is a symlink to a file elsewhere would put that file's text (here a package
    name) into every report; it is refused as a manifest error instead."""
    outside = write_crate(tmp_path / "outside", {"src/lib.rs": "pub fn f() {}\n"}, name=MARKER.lower())
    ws = write_crate(tmp_path / "ws", {"src/lib.rs": "pub fn g() { None::<u8>.unwrap(); }\n"})
    (ws / "Cargo.toml").unlink()
    (ws / "Cargo.toml").symlink_to(outside / "Cargo.toml")
    for fmt in ("json", "sarif", "text"):
        proc = run_bounded("check", str(ws), "--no-cache", "--format", fmt)
        assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr
        assert MARKER.lower() not in proc.stdout and MARKER not in proc.stdout
