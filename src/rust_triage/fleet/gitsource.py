"""Read a git repository at a ref into a directory, never touching the repository itself.

`git archive <commit>` writes the tree as a tar stream; Python's tarfile extracts it with the `data`
filter (no absolute paths, no `..`, no links leaving the tree, no devices). Nothing from the repository
runs: archive needs no checkout, so no hooks, filters, fsmonitor or index are involved, and hooks and
fsmonitor are disabled on the command line anyway.
"""

from __future__ import annotations

import os
import subprocess
import tarfile
from pathlib import Path

MAX_ARCHIVE_BYTES = 2 * 1024**3  # a tree larger than this is refused rather than filling the disk
GIT_TIMEOUT = 600
_SAFE = ("-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "-c", "core.sshCommand=false")


class GitSourceError(Exception):
    """The repository or the ref cannot be read: the task fails with this message."""


def _git(repo: Path, *args: str) -> list[str]:
    return ["git", *_SAFE, "-C", str(repo), *args]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(GIT_TERMINAL_PROMPT="0", GIT_ASKPASS="true", SSH_ASKPASS="true")
    return env


def resolve_commit(repo: Path, ref: str) -> str:
    """The full commit id `ref` names in `repo`."""
    if not repo.is_dir():
        raise GitSourceError(f"git repository not found: {repo}")
    try:
        proc = subprocess.run(_git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"),
                              capture_output=True, text=True, timeout=60, env=_env(), check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitSourceError(f"cannot run git: {exc}") from exc
    commit = proc.stdout.strip()
    if proc.returncode != 0 or not commit:
        reason = proc.stderr.strip().splitlines()
        detail = f": {reason[-1]}" if reason else ""
        raise GitSourceError(f"{repo}: no commit for ref {ref!r}{detail}")
    return commit


def _member_filter(limit: list[int]):  # type: ignore[no-untyped-def]
    data_filter = getattr(tarfile, "data_filter", None)

    def keep(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
        limit[0] -= max(member.size, 0)
        if limit[0] < 0:
            raise GitSourceError(f"the tree is larger than {MAX_ARCHIVE_BYTES} bytes; refused")
        if data_filter is not None:
            try:
                kept: tarfile.TarInfo | None = data_filter(member, dest)
                return kept
            except tarfile.FilterError:
                return None  # e.g. a symlink pointing out of the tree: skipped, like a file we cannot read
        name = member.name
        if member.issym() or member.islnk() or not (member.isfile() or member.isdir()) \
                or name.startswith("/") or ".." in name.split("/"):
            return None
        return member

    return keep


def extract(repo: Path, commit: str, dest: Path) -> None:
    """Write the tree of `commit` into `dest` (an existing, empty directory)."""
    try:
        proc = subprocess.Popen(_git(repo, "archive", "--format=tar", commit), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=_env())
    except OSError as exc:
        raise GitSourceError(f"cannot run git: {exc}") from exc
    try:
        assert proc.stdout is not None
        keep = _member_filter([MAX_ARCHIVE_BYTES])
        # The members are already filtered: tell tarfile not to filter them again (and not to warn).
        trusted = {"filter": "fully_trusted"} if hasattr(tarfile, "data_filter") else {}
        with tarfile.open(fileobj=proc.stdout, mode="r|") as archive:
            for member in archive:
                kept = keep(member, str(dest))
                if kept is not None:
                    archive.extract(kept, dest, **trusted)  # type: ignore[arg-type]
    except tarfile.TarError as exc:
        proc.kill()
        stderr = proc.communicate(timeout=GIT_TIMEOUT)[1].decode("utf-8", "replace").strip()
        raise GitSourceError(f"git archive {commit[:12]} failed: {stderr or exc}") from exc
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    stderr = proc.communicate(timeout=GIT_TIMEOUT)[1].decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        raise GitSourceError(f"git archive {commit[:12]} failed: {stderr or f'exit status {proc.returncode}'}")
