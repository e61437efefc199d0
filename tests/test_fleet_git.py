"""Fleet entries `PATH@REF`: the repository is read at the ref with `git archive`, never written to, and
nothing from it runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

MANIFEST = '[package]\nname = "svc"\nversion = "0.1.0"\nedition = "2021"\n'


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(repo.parent)}
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """v1: one unwrap; HEAD: three; the working tree: uncommitted changes; hooks and fsmonitor armed."""
    repo = tmp_path / "svc"
    (repo / "src").mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    (repo / "Cargo.toml").write_text(MANIFEST)
    (repo / "src" / "lib.rs").write_text("pub fn f(x: Option<u8>) -> u8 {\n    x.unwrap()\n}\n")
    os.symlink("/etc/passwd", repo / "src" / "escape.rs")  # a link out of the tree: never followed
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "v1")
    git(repo, "tag", "v1")
    (repo / "src" / "lib.rs").write_text("pub fn f(x: Option<u8>) -> u8 {\n    x.unwrap() + x.unwrap() + x.unwrap()\n}\n")
    git(repo, "commit", "-qam", "v2")
    (repo / "src" / "lib.rs").write_text("pub fn f() {}\n")  # uncommitted: not what a ref shows
    marker = tmp_path / "ran"
    for hook in ("post-checkout", "pre-commit", "post-index-change", "reference-transaction"):
        path = repo / ".git" / "hooks" / hook
        path.write_text(f"#!/bin/sh\ntouch {marker}\n")
        path.chmod(0o755)
    fsmonitor = tmp_path / "fsmonitor.sh"
    fsmonitor.write_text(f"#!/bin/sh\ntouch {marker}\n")
    fsmonitor.chmod(0o755)
    git(repo, "config", "core.fsmonitor", str(fsmonitor))
    return repo


def test_repository_at_a_ref_is_read_without_touching_it(repo: Path, tmp_path: Path) -> None:
    before = (git(repo, "status", "--porcelain"), git(repo, "rev-parse", "HEAD"), sorted(os.listdir(repo / ".git")))
    assert (tmp_path / "ran").exists()  # the trap works: `git status` ran the repository's fsmonitor
    (tmp_path / "ran").unlink()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    proc = run_cli("fleet", "svc@v1", "svc@main", "svc@no-such-ref", "svc", "--format", "json", "--no-cache", "-q",
                   cwd=tmp_path, env={"TMPDIR": str(scratch)})
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    by_name = {e["name"]: e for e in report["repositories"]}
    assert by_name["svc@v1"]["by_rule"] == {"RT001": 1, "RT231": 1}
    assert by_name["svc@main"]["by_rule"]["RT001"] == 3
    assert "RT001" not in by_name["svc"]["by_rule"]  # the working tree
    assert by_name["svc@v1"]["source"] == {"kind": "git", "path": str(repo), "ref": "v1",
                                           "commit": git(repo, "rev-parse", "v1").strip()[:12]}
    assert by_name["svc@v1"]["root"] == f"{repo}@v1"
    failed = by_name["svc@no-such-ref"]
    assert failed["status"] == "failed" and "no commit for ref 'no-such-ref'" in failed["error"]
    assert not (tmp_path / "ran").exists(), "a hook or fsmonitor of the repository ran"
    after = (git(repo, "status", "--porcelain"), git(repo, "rev-parse", "HEAD"), sorted(os.listdir(repo / ".git")))
    assert after == before
    assert list(scratch.iterdir()) == []  # the checkouts are removed


def test_git_entries_in_a_list_file_and_per_repository_json(repo: Path, tmp_path: Path) -> None:
    (tmp_path / "list.txt").write_text("svc ref=v1 name=svc-release\n")
    proc = run_cli("fleet", "--list", "list.txt", "--format", "json", "--output-dir", "out", "--no-cache", "-q",
                   cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    per_repo = json.loads((tmp_path / "out" / "svc-release.json").read_text())
    assert per_repo["root"] == f"{repo}@v1" and "rust-triage-fleet-" not in json.dumps(per_repo)
    assert sorted(f["rule"] for f in per_repo["findings"]) == ["RT001", "RT231"]
