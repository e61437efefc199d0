"""A replayable run lists its sources from the walk its tree stamp took, and reuses the listing kept
under the same tree layout; reports stay those of a cold run through edits, new files and .gitignore
changes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import DEMO, REPO, run_cli

# Runs the CLI with os.scandir counted when the source listing (workspace/files.py) calls it, then prints
# how many directories it listed itself and how many roots it walked (none when a kept listing is used).
_COUNTED = """
import os, sys
listed = []
real = os.scandir
def counted(path="."):
    if sys._getframe(1).f_code.co_filename.endswith(os.path.join("workspace", "files.py")):
        listed.append(path)
    return real(path)
os.scandir = counted
from rust_triage.workspace import files
walked = []
real_walk = files._Listing.walk
files._Listing.walk = lambda self, root: walked.append(root) or real_walk(self, root)
sys.argv = ["rust-triage", *sys.argv[1:]]
from rust_triage.cli import main
code = main()
print(len(listed), len(walked), file=sys.stderr)
sys.exit(code)
"""


def _age(root: Path, seconds: int = 3600) -> None:
    when = time.time() - seconds
    for path in [root, *root.rglob("*")]:
        os.utime(path, (when, when), follow_symlinks=False)


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    shutil.copytree(DEMO, root)
    _age(root)
    return root


def _cold(root: Path, *paths: Path) -> str:
    proc = run_cli("check", *map(str, paths or (root,)), "--format", "json", "--no-cache")
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout


def _counted_check(root: Path, cache: Path, out: Path, *paths: Path) -> tuple[int, int]:
    """A cached check (JSON to `out`): how many directories the source listing listed itself, and how many
    roots it walked."""
    cmd = [sys.executable, "-c", _COUNTED, "check", *map(str, paths or (root,)), "--format", "json",
           "--cache-dir", str(cache), "-o", str(out)]
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    listed, walked = proc.stderr.split()[-2:]
    return int(listed), int(walked)


def test_each_directory_is_listed_once_and_reports_equal_cold_runs(demo: Path, tmp_path: Path) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out.json"
    assert _counted_check(demo, cache, out) == (0, 1)  # the listing reads what the stamp's walk saw
    assert out.read_text() == _cold(demo)
    assert list((cache / "index").glob("listing-*.msgpack"))

    handlers = demo / "crates" / "server" / "src" / "handlers.rs"
    handlers.write_text(handlers.read_text().replace("from_millis(5)", "from_millis(7)", 1))  # in place
    _age(demo)
    assert _counted_check(demo, cache, out, handlers) == (0, 0)  # the kept listing
    assert out.read_text() == _cold(demo, handlers)
    assert _counted_check(demo, cache, out) == (0, 0)
    assert out.read_text() == _cold(demo)


@pytest.mark.parametrize("change", ["new file", "new directory", "gitignore", "removed file"])
def test_a_changed_layout_lists_again(demo: Path, tmp_path: Path, change: str) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out.json"
    _counted_check(demo, cache, out)
    src = demo / "crates" / "core" / "src"
    if change == "new file":
        (src / "stray.rs").write_text("pub fn stray() { let v: Option<u8> = None; v.unwrap(); }\n")
    elif change == "new directory":
        (src / "deep").mkdir()
        (src / "deep" / "stray.rs").write_text("pub fn stray() { let v: Option<u8> = None; v.unwrap(); }\n")
    elif change == "gitignore":
        (demo / ".gitignore").write_text("crates/server/src/handlers.rs\n")
    else:
        (demo / "crates" / "server" / "src" / "handlers.rs").unlink()
    _age(demo)  # the layout, not modification times, tells the change
    assert _counted_check(demo, cache, out)[1] == 1  # listed again
    assert out.read_text() == _cold(demo)


def test_a_forged_listing_naming_files_outside_the_workspace_is_not_used(demo: Path, tmp_path: Path) -> None:
    import msgspec

    from rust_triage.listing_cache import _TAG
    from rust_triage.parse.cache_frame import frame, unframe

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.rs").write_text("pub fn secret() { let v: Option<u8> = None; v.unwrap(); }\n")
    cache, out = tmp_path / "cache", tmp_path / "out.json"
    _counted_check(demo, cache, out)
    [kept] = (cache / "index").glob("listing-*.msgpack")
    listing = msgspec.msgpack.decode(unframe(kept.read_bytes(), _TAG) or b"")
    assert listing["rust"]
    forged = [str(outside / "secret.rs"), str(demo / "crates" / ".." / ".." / "outside" / "secret.rs")]
    listing["rust"] = sorted(listing["rust"] + forged)
    kept.write_bytes(frame(msgspec.msgpack.encode(listing), _TAG))
    handlers = demo / "crates" / "server" / "src" / "handlers.rs"
    handlers.write_text(handlers.read_text().replace("from_millis(5)", "from_millis(7)", 1))  # no replay
    _age(demo)
    assert _counted_check(demo, cache, out)[1] == 1  # listed again, not read from the forged listing
    assert "secret" not in out.read_text()
    assert out.read_text() == _cold(demo)
