"""--add-suppressions in a Rust file whose only line breaks are bare CRs (one line for rustc): the
inserted comment ends with `\\n`, so it cannot swallow the code after it."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli


def test_inserted_comment_ends_with_lf_in_a_bare_cr_rust_file(tmp_path: Path) -> None:
    crate = tmp_path / "c"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text('[package]\nname = "c"\nversion = "0.1.0"\nedition = "2021"\n')
    original = b"pub fn f() -> u32 {\r    1\r}\r// TODO: handle errors\r"
    (crate / "src" / "lib.rs").write_bytes(original)
    proc = run_cli("check", str(crate), "--add-suppressions", "-q", "--no-cache")
    assert proc.returncode in (0, 1), proc.stderr
    data = (crate / "src" / "lib.rs").read_bytes()
    comment, rest = data.split(b"\n", 1)
    assert comment.startswith(b"// rust-triage: allow(") and b"\r" not in comment
    assert rest == original
