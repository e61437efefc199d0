"""The write helper and the editors: no writes outside the workspace or through symlinks, modes and
line endings kept, the umask honoured, and edited files that still compile (checked with rustc)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from test_containment import run_bounded, write_crate

from rust_triage.atomic import UnsafeWriteError, write_atomic

UNWRAP = "pub fn f() { let x: Option<u8> = None; x.unwrap(); }\n"
NEEDS_DERIVE = (
    "use std::collections::HashMap;\n\n"
    "pub struct Key {\n    pub name: String,\n}\n\n"
    "pub fn index(keys: Vec<Key>) -> HashMap<Key, usize> {\n"
    "    let mut map: HashMap<Key, usize> = HashMap::new();\n    for key in keys {\n        map.insert(key, 0);\n    }\n    map\n}\n"
)


def snapshot(root: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file under `root`: bytes, mode and mtime."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            st = path.stat()
            out[path.relative_to(root).as_posix()] = (path.read_bytes(), st.st_mode, st.st_mtime_ns)
    return out


def rustc_accepts(source: Path, tmp: Path) -> subprocess.CompletedProcess[str]:
    rustc = shutil.which("rustc") or str(Path.home() / ".cargo" / "bin" / "rustc")
    if not Path(rustc).exists():
        pytest.skip("rustc is not installed")
    return subprocess.run(
        [rustc, "--edition", "2021", "--crate-type", "lib", "--emit", "metadata", "-o", str(tmp / "out.rmeta"),
         str(source)],
        capture_output=True, text=True, timeout=120,
    )


def test_edits_never_rewrite_a_member_outside_the_root(tmp_path: Path) -> None:
    other = write_crate(tmp_path / "other", {"src/lib.rs": UNWRAP + NEEDS_DERIVE}, name="other", own_workspace=False)
    root = tmp_path / "root"
    write_crate(root / "app", {"src/lib.rs": UNWRAP + NEEDS_DERIVE}, name="app", own_workspace=False)
    (root / "Cargo.toml").write_text('[workspace]\nmembers = ["app", "../other"]\n')
    before = snapshot(other)

    for flag in ("--fix", "--add-suppressions"):
        proc = run_bounded("check", str(root), "--no-cache", "--format", "json", flag)
        assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr
    assert snapshot(other) == before
    app = (root / "app" / "src" / "lib.rs").read_text()
    assert "#[derive(PartialEq, Eq, Hash)]\npub struct Key" in app and "rust-triage: allow(RT001)" in app


def test_a_symlinked_source_file_is_never_written_through(tmp_path: Path) -> None:
    ws = write_crate(tmp_path / "ws", {".shared/lib.rs": UNWRAP + NEEDS_DERIVE})  # not listed itself
    (ws / "src").mkdir()
    (ws / "src" / "lib.rs").symlink_to("../.shared/lib.rs")  # inside the workspace: read, never written
    before = (ws / ".shared" / "lib.rs").read_bytes()

    for flag in ("--fix", "--add-suppressions"):
        proc = run_bounded("check", str(ws), "--no-cache", "--format", "json", flag)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
        report = json.loads(proc.stdout)
        assert any(f["file"] == "src/lib.rs" for f in report["findings"])
        refused = [e for e in report["errors"] if e["file"] == "src/lib.rs"]
        assert refused and refused[0]["kind"] == "unwritable"
        assert "symbolic link" in refused[0]["message"]
    assert (ws / "src" / "lib.rs").is_symlink()
    assert (ws / ".shared" / "lib.rs").read_bytes() == before


def test_report_outputs_honour_the_umask_keep_modes_and_refuse_symlinks(tmp_path: Path) -> None:
    ws = write_crate(tmp_path / "ws", {"src/lib.rs": UNWRAP})
    for mask, expected in ((0o022, 0o644), (0o027, 0o640)):
        out = tmp_path / f"report-{mask:o}.json"
        old = os.umask(mask)
        try:
            proc = run_bounded("check", str(ws), "--no-cache", "--format", "json", "-o", str(out))
        finally:
            os.umask(old)
        assert proc.returncode == 1, proc.stderr
        assert stat.S_IMODE(out.stat().st_mode) == expected

    kept = tmp_path / "kept.sarif"
    kept.write_text("old")
    kept.chmod(0o604)
    assert run_bounded("check", str(ws), "--no-cache", "--format", "sarif", "-o", str(kept)).returncode == 1
    assert stat.S_IMODE(kept.stat().st_mode) == 0o604 and kept.read_text() != "old"

    victim = ws / "build.rs"
    victim.write_text("fn main() {}\n")
    link = ws / "report.sarif"
    link.symlink_to("build.rs")
    proc = run_bounded("check", str(ws), "--no-cache", "--format", "sarif", "-o", str(link))
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "symbolic link" in proc.stderr
    assert link.is_symlink() and victim.read_text() == "fn main() {}\n"


def test_write_helper_refuses_outside_paths_and_special_files(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "outside.rs").write_text("x")
    (root / "escape").symlink_to(tmp_path)
    with pytest.raises(UnsafeWriteError, match="outside the workspace"):
        write_atomic(root / "escape" / "outside.rs", "y", inside=[root])
    with pytest.raises(UnsafeWriteError, match="outside the workspace"):
        write_atomic(root / ".." / "outside.rs", "y", inside=[root])
    os.mkfifo(root / "pipe.rs")
    with pytest.raises(UnsafeWriteError, match="not a regular file"):
        write_atomic(root / "pipe.rs", "y", inside=[root])
    assert (tmp_path / "outside.rs").read_text() == "x"
    assert stat.S_ISFIFO((root / "pipe.rs").lstat().st_mode)
    write_atomic(root / "inside.rs", b"a\r\nb\rc\n", inside=[root])
    assert (root / "inside.rs").read_bytes() == b"a\r\nb\rc\n"


def test_edits_keep_mode_and_each_line_ending(tmp_path: Path) -> None:
    body = (
        b"pub fn f() {\r\n    let x: Option<u8> = None;\r\n    x.unwrap();\r\n}\r\n"
        b"pub fn g() {\n    let y: Option<u8> = None;\n    y.unwrap();\n}\n"
    )
    ws = write_crate(tmp_path / "ws", {"src/lib.rs": body})
    lib = ws / "src" / "lib.rs"
    lib.chmod(0o750)
    proc = run_bounded("check", str(ws), "--no-cache", "--select", "RT001", "--add-suppressions")
    assert proc.returncode == 0, proc.stderr
    data = lib.read_bytes()
    comment = b"    // rust-triage: allow(RT001) -- legacy: unwrap-used"
    assert comment + b"\r\n    x.unwrap();\r\n" in data
    assert comment + b"\n    y.unwrap();\n" in data
    assert data.replace(comment + b"\r\n", b"", 1).replace(comment + b"\n", b"", 1) == body
    assert stat.S_IMODE(lib.stat().st_mode) == 0o750


def test_edits_of_files_with_bare_carriage_returns_still_compile(tmp_path: Path) -> None:
    """tree-sitter (and rustc) end a line at \\n only: a bare \\r inside a comment must not shift lines."""
    suppress = (
        b"pub fn f() {\n"
        b"    // a note\rwith a bare carriage return\n"
        b"    let x: Option<u8> = None; x.unwrap();\n"
        b"    /* block\rcomment */ let y: Option<u8> = None;\n"
        b"    y.unwrap();\n"
        b"}\n"
    )
    fix = NEEDS_DERIVE.replace("\n", "\r\n").replace("pub struct", "// keyed\rby name\r\npub struct").encode()
    ws = write_crate(tmp_path / "ws", {"src/lib.rs": b"mod fixme;\n" + suppress, "src/fixme.rs": fix})
    lib, fixme = ws / "src" / "lib.rs", ws / "src" / "fixme.rs"
    assert rustc_accepts(lib, tmp_path).returncode != 0  # fixme.rs lacks its derives

    proc = run_bounded("check", str(ws), "--no-cache", "--select", "RT001,RT31", "--fix")
    assert proc.returncode in (0, 1) and "fixed 2 finding(s)" in proc.stderr, proc.stderr
    proc = run_bounded("check", str(ws), "--no-cache", "--select", "RT001,RT31", "--add-suppressions")
    assert proc.returncode == 0, proc.stderr

    compiled = rustc_accepts(lib, tmp_path)
    assert compiled.returncode == 0, compiled.stderr
    data = lib.read_bytes()
    assert data.count(b"rust-triage: allow(RT001)") == 2
    assert b"// a note\rwith a bare carriage return\n    // rust-triage: allow(RT001)" in data
    fixed = fixme.read_bytes()
    assert b"// keyed\rby name\r\n#[derive(PartialEq, Eq, Hash)]\r\npub struct Key" in fixed
    assert b"\n" not in fixed.replace(b"\r\n", b"")


def test_edits_keep_a_byte_order_mark_first(tmp_path: Path) -> None:
    """A comment or derive for line 1 of a file with a BOM goes after the BOM (rustc rejects a BOM later on)."""
    bom = b"\xef\xbb\xbf"
    ws = write_crate(tmp_path / "ws", {
        "src/lib.rs": bom + b"pub fn f() -> u8 { None::<u8>.unwrap() }\nmod keyed;\n",
        "src/keyed.rs": bom + NEEDS_DERIVE.replace("use std::collections::HashMap;\n\n", "").encode()
        .replace(b"HashMap", b"std::collections::HashMap"),
    })
    lib, keyed = ws / "src" / "lib.rs", ws / "src" / "keyed.rs"
    proc = run_bounded("check", str(ws), "--no-cache", "--select", "RT001,RT31", "--fix")
    assert "fixed 2 finding(s)" in proc.stderr, proc.stderr  # the HashMap key needs Eq and Hash
    proc = run_bounded("check", str(ws), "--no-cache", "--select", "RT001", "--add-suppressions")
    assert proc.returncode == 0, proc.stderr
    assert lib.read_bytes().startswith(bom + b"// rust-triage: allow(RT001)")
    assert keyed.read_bytes().startswith(bom + b"#[derive(")
    assert lib.read_bytes().count(bom) == keyed.read_bytes().count(bom) == 1
    compiled = rustc_accepts(lib, tmp_path)
    assert compiled.returncode == 0, compiled.stderr


def test_a_comment_inserted_in_a_file_with_bare_cr_endings_ends_with_a_newline(tmp_path: Path) -> None:
    """In Rust a bare CR does not end a `//` comment: the inserted line must end with \\n, or it would
    comment out the rest of the line (here, the whole file)."""
    ws = write_crate(tmp_path / "ws", {"src/lib.rs": b"use std::fmt;\r\rpub fn f() -> u8 {\r    None::<u8>.unwrap()\r}\r"})
    lib = ws / "src" / "lib.rs"
    proc = run_bounded("check", str(ws), "--no-cache", "--select", "RT001", "--add-suppressions")
    assert proc.returncode == 0, proc.stderr
    assert lib.read_bytes().startswith(b"// rust-triage: allow(RT001) -- legacy: unwrap-used\nuse std::fmt;\r")
    compiled = rustc_accepts(lib, tmp_path)
    assert compiled.returncode == 0, compiled.stderr


def test_a_caller_that_read_the_umask_gives_it_and_new_files_follow_it(tmp_path: Path) -> None:
    target = tmp_path / "a" / "entry.bin"
    write_atomic(target, b"x", umask=0o077)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with pytest.raises(FileNotFoundError):  # told the directory exists: it is not made
        write_atomic(tmp_path / "missing" / "entry.bin", b"x", directory_exists=True)


def test_the_facts_cache_writes_again_into_an_entry_directory_removed_meanwhile(tmp_path: Path) -> None:
    from rust_triage.parse.cache import FactsCache
    from rust_triage.parse.facts import FileFacts

    cache = FactsCache(tmp_path / "cache", "salt")
    first, second = cache.key(b"fn a() {}"), cache.key(b"fn b() {}")
    cache.put(first, FileFacts(line_count=1))
    shutil.rmtree(tmp_path / "cache")
    cache.put(first, FileFacts(line_count=1))  # fails: its directory is gone, and is known to be gone
    cache.put(second, FileFacts(line_count=2))
    cache.put(first, FileFacts(line_count=1))
    assert cache.get(first) == FileFacts(line_count=1) and cache.get(second) == FileFacts(line_count=2)
    mask = os.umask(0o022)
    os.umask(mask)
    entry = next((tmp_path / "cache").rglob("*.msgpack"))
    assert stat.S_IMODE(entry.stat().st_mode) == 0o666 & ~mask
