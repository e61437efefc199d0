"""The one file-writing helper: reports, history, --fix, --add-suppressions and the cache all use it.

A write goes to a temp file in the same directory, then os.replace (readers never see half a file).
It never writes through a symbolic link (a link planted where a report or an edited source file goes
is refused, not followed and not replaced), never replaces anything but a regular file, keeps an
existing file's mode (and owner, where allowed) exactly, gives a new file the mode the umask asks for
(0666 & ~umask, like any other tool) and writes the bytes it is given unchanged, line endings
included. Source edits pass `inside`: the resolved target must then lie inside those roots.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path


class UnsafeWriteError(OSError):
    """A write the helper refuses (symlink, special file, outside the workspace); `strerror` says why."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(errno.EPERM, reason, os.fspath(path))


def write_atomic(path: Path | str, data: bytes | str, *, inside: Iterable[Path] | None = None,
                 umask: int | None = None, directory_exists: bool = False) -> None:
    """Write `data` to `path` atomically. Raises OSError (UnsafeWriteError for a refused path).

    `inside`: the roots a source edit must stay in (resolved); None for user-chosen outputs.
    `umask` (`current_umask()`) and `directory_exists`: what a caller writing many files (the cache)
    already knows, so that each write does not find it again.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    target = os.fspath(path)
    if "\0" in target:
        raise UnsafeWriteError(target.replace("\0", "\\0"), "path contains a NUL byte")
    try:
        existing: os.stat_result | None = os.lstat(target)
    except FileNotFoundError:
        existing = None
    if existing is not None and stat.S_ISLNK(existing.st_mode):
        raise UnsafeWriteError(target, "is a symbolic link: refusing to write through it")
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        raise UnsafeWriteError(target, "is not a regular file: refusing to replace it")
    directory = os.path.dirname(os.path.abspath(target))
    if inside is not None:
        real = os.path.join(os.path.realpath(directory), os.path.basename(target))
        from rust_triage.workspace.safepath import is_inside, real_roots  # only source edits need it

        if not is_inside(real, real_roots(inside)):
            raise UnsafeWriteError(target, "is outside the workspace: refusing to write it")
    if not directory_exists:
        os.makedirs(directory, exist_ok=True)
    mode = stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~(
        current_umask() if umask is None else umask)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(target)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
            handle.flush()
            if existing is not None:
                _keep_owner(handle.fileno(), existing)
            os.fchmod(handle.fileno(), mode)  # after chown, which may clear set-id bits
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def current_umask() -> int:
    """The process umask (read without changing it where /proc allows)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _keep_owner(fd: int, existing: os.stat_result) -> None:
    if not hasattr(os, "fchown"):
        return
    try:
        st = os.fstat(fd)
        if (st.st_uid, st.st_gid) != (existing.st_uid, existing.st_gid):
            os.fchown(fd, existing.st_uid, existing.st_gid)
    except OSError:
        pass  # not ours to give away: the file keeps our ownership, its mode is still kept
