"""The real pre-commit runs this repository's hooks against a small crate with a planted unwrap.

`pre-commit try-repo` installs the hook from the HEAD commit of the repository it is given, so the test
commits a snapshot of the current working tree (tracked and untracked, not ignored files) into a
temporary repository and points try-repo at that. pre-commit builds its own virtualenv with a plain
`pip install .` of the snapshot, which also proves the TOML rules ship in a non-editable install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

yaml = pytest.importorskip("yaml", reason="PyYAML comes with pre-commit: pip install pre-commit")
GIT = shutil.which("git")
TIMEOUT = 900  # the first run creates a virtualenv and installs rust-triage with its dependencies

pytestmark = pytest.mark.skipif(GIT is None, reason="git is not installed")

LIB_WITH_UNWRAP = """\
pub fn parse_port(text: &str) -> u16 {
    text.trim().parse().unwrap()
}
"""
LIB_FIXED = """\
pub fn parse_port(text: &str) -> u16 {
    text.trim().parse().unwrap_or(8080)
}
"""


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        [GIT, "-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false",
         *args],
        cwd=cwd, check=True, capture_output=True, text=True, timeout=120,
    )


def _snapshot_repo(dest: Path) -> Path:
    """Copy the working tree's tracked and untracked (not ignored) files into a fresh one-commit repo."""
    listed = subprocess.run([GIT, "ls-files", "-co", "--exclude-standard", "-z"], cwd=REPO, check=True,
                            capture_output=True, timeout=120).stdout.decode().split("\0")
    dest.mkdir()
    for rel in filter(None, listed):
        src = REPO / rel
        target = dest / rel
        if not src.exists() and not src.is_symlink():
            continue  # deleted in the working tree
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            os.symlink(os.readlink(src), target)
        else:
            shutil.copy2(src, target)
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "-m", "snapshot")
    return dest


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _snapshot_repo(tmp_path_factory.mktemp("hooks") / "rust-triage")


@pytest.fixture(scope="module")
def precommit_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    base = tmp_path_factory.mktemp("precommit")
    return {**os.environ, "PRE_COMMIT_HOME": str(base / "home"), "RUST_TRIAGE_CACHE_DIR": str(base / "cache"),
            "NO_COLOR": "1"}


def _crate(root: Path, lib: str) -> Path:
    (root / "src").mkdir(parents=True)
    # The crate's own configuration keeps the test about the hook, not about every rule there is.
    (root / "Cargo.toml").write_text('[package]\nname = "planted"\nversion = "0.1.0"\nedition = "2021"\n\n'
                                     '[package.metadata.rust-triage]\nselect = ["RT0"]\n')
    (root / "src" / "lib.rs").write_text(lib)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "crate")
    return root


def _try_repo(hook_repo: Path, hook: str, project: Path, env: dict[str, str], *files: str):
    args = [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), hook]
    args += ["--files", *files] if files else ["--all-files"]
    return subprocess.run(args, cwd=project, env=env, capture_output=True, text=True, timeout=TIMEOUT)


def test_hooks_file_declares_the_three_hooks() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"rust-triage", "rust-triage-workspace", "rust-triage-cargo"}
    main = hooks["rust-triage"]
    assert main["language"] == "python" and main["types"] == ["rust"]
    assert main["pass_filenames"] is True and main["require_serial"] is True
    assert main["minimum_pre_commit_version"] == "3.0.0"
    assert hooks["rust-triage-workspace"]["pass_filenames"] is False
    assert set(hooks["rust-triage-cargo"]["stages"]) == {"manual", "pre-push"}
    assert hooks["rust-triage-cargo"]["entry"].startswith("rust-triage cargo")


def test_hook_fails_on_planted_unwrap_and_passes_after_fix(hook_repo: Path, precommit_env: dict[str, str],
                                                           tmp_path: Path) -> None:
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install pre-commit)")
    project = _crate(tmp_path / "planted", LIB_WITH_UNWRAP)
    failed = _try_repo(hook_repo, "rust-triage", project, precommit_env, "src/lib.rs")
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    assert "RT001" in output and "src/lib.rs" in output, output

    (project / "src" / "lib.rs").write_text(LIB_FIXED)
    passed = _try_repo(hook_repo, "rust-triage", project, precommit_env, "src/lib.rs")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "RT001" not in passed.stdout

    workspace = _try_repo(hook_repo, "rust-triage-workspace", project, precommit_env, "src/lib.rs")
    assert workspace.returncode == 0, workspace.stdout + workspace.stderr


def test_hooks_pass_file_names_after_double_dash() -> None:
    for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text()):
        assert hook["entry"].split()[-1] == "--", hook["id"]


def test_staged_file_names_are_never_options(hook_repo: Path, precommit_env: dict[str, str],
                                             tmp_path: Path) -> None:
    """Files named `--output=build.rs`, `--cache-dir=evil.rs`, `-o`, `-x.rs` staged and run by the hook."""
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (pip install pre-commit)")
    from test_cli_args import HOSTILE, assert_untouched, hostile_crate

    project = hostile_crate(tmp_path / "hostile", lib="pub fn f() {}\n")  # a git repo, everything staged
    proc = _try_repo(hook_repo, "rust-triage", project, precommit_env)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 1, output
    assert "--output=build.rs" in output and "-x.rs" in output and "RT001" in output, output
    assert_untouched(project)
    assert all((project / name).is_file() for name in HOSTILE)
    workspace = _try_repo(hook_repo, "rust-triage-workspace", project, precommit_env)
    assert workspace.returncode == 1, workspace.stdout + workspace.stderr
    assert_untouched(project)
