"""The one path policy for every file rust-triage reads from an analysed repository.

A path is accepted when its fully resolved form (every symlink followed) lies inside one of the
workspace roots and names a regular file no bigger than the size limit. Anything else (a symlink
leading outside, a FIFO, a device, a NUL byte, a name longer than PATH_MAX, a directory that cannot be
searched) is refused with `PathRefused`, whose one-line reason callers report as a per-file error.
Files are opened non-blocking without following a last-component symlink and are checked again on
the open descriptor, so a file swapped after the check cannot hang or leak either.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

DEFAULT_MAX_FILE_SIZE = 16 * 1024 * 1024  # bytes; the `max-file-size` configuration key changes it
try:
    PATH_MAX = os.pathconf("/", "PC_PATH_MAX")
except (AttributeError, OSError, ValueError):  # pragma: no cover - not POSIX
    PATH_MAX = 4096
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_BINARY", 0)
)
_SIZE = re.compile(r"^\s*(\d+)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1000, "m": 1000**2, "g": 1000**3, "ki": 1024, "mi": 1024**2, "gi": 1024**3}


class PathRefused(Exception):
    """A path the policy does not let rust-triage read (or write); `kind` names the reason class."""

    def __init__(self, kind: str, reason: str, errno: int | None = None) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason
        self.errno = errno  # the OS error behind an "unreadable" refusal

    @property
    def is_absent(self) -> bool:
        """The file simply does not exist (a missing module, not a refusal)."""
        return self.errno in (errno.ENOENT, errno.ENOTDIR)


def real_roots(roots: Iterable[Path | str]) -> tuple[str, ...]:
    """The roots with every symlink resolved, as strings (compute once, pass to the checks)."""
    return tuple(os.path.realpath(os.fspath(root)) for root in roots)


def is_inside(real_path: str, roots: Sequence[str]) -> bool:
    """Whether an already resolved path is one of `roots` or lies below one."""
    for root in roots:
        if real_path == root or real_path.startswith(root.rstrip(os.sep) + os.sep):
            return True
    return False


def resolve_inside(path: Path | str, roots: Sequence[str], dir_cache: dict[str, str] | None = None) -> str:
    """`path` with every symlink resolved; raises PathRefused unless it lies inside `roots`.

    `roots` come from `real_roots`; an empty `roots` accepts any location. `dir_cache` (resolved
    directories, kept by the caller for one pass over a tree) saves resolving each directory again.
    """
    text = os.fspath(path)
    if "\0" in text:
        raise PathRefused("invalid-path", "path contains a NUL byte")
    if len(os.fsencode(text)) >= PATH_MAX:
        raise PathRefused("path-too-long", f"path is longer than PATH_MAX ({PATH_MAX} bytes)")
    real = _realpath_cached(text, _RUN_DIRS if dir_cache is None else dir_cache)
    if len(os.fsencode(real)) >= PATH_MAX:
        raise PathRefused("path-too-long", f"resolved path is longer than PATH_MAX ({PATH_MAX} bytes)")
    if roots and not is_inside(real, roots):
        via = " through a symbolic link" if real != os.path.abspath(text) else ""
        raise PathRefused("outside-workspace", f"resolves{via} outside the workspace: not read")
    return real


def check_file(path: Path | str, roots: Sequence[str], dir_cache: dict[str, str] | None = None) -> str:
    """The resolved path of a regular file inside `roots`; raises PathRefused otherwise."""
    real = resolve_inside(path, roots, dir_cache)
    try:
        mode = os.stat(real).st_mode
    except OSError as exc:
        raise PathRefused("unreadable", f"cannot read file: {exc.strerror or exc}", exc.errno) from None
    if not stat.S_ISREG(mode):
        raise PathRefused("not-a-file", f"not a regular file ({_kind_of(mode)}): not read")
    return real


def named_path(path: Path | str) -> Path:
    """An absolute path for a file or directory named by the user (or by pre-commit).

    A directory is resolved fully; a file keeps its own name with only its directory resolved, so a
    symlinked file named on the command line stays in the tree it was named in (where the policy
    judges it) instead of pulling its target's tree into the analysis.
    """
    absolute = Path(os.path.abspath(os.fspath(path)))
    if os.path.isdir(absolute):
        return absolute.resolve()
    return absolute.parent.resolve() / absolute.name


def is_allowed_file(path: Path | str, roots: Sequence[str]) -> bool:
    """Whether `check_file` accepts `path` (never raises)."""
    try:
        check_file(path, roots)
    except PathRefused:
        return False
    return True


def is_regular_file(path: Path | str) -> bool:
    """`Path.is_file` that never raises (EACCES, ENAMETOOLONG and NUL bytes count as "no")."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def read_file(path: Path | str, roots: Sequence[str], max_bytes: int = DEFAULT_MAX_FILE_SIZE) -> bytes:
    """The bytes of a regular file inside `roots`, at most `max_bytes`; raises PathRefused otherwise."""
    real = check_file(path, roots)
    try:
        fd = os.open(real, _OPEN_FLAGS)
    except OSError as exc:
        raise PathRefused("unreadable", f"cannot read file: {exc.strerror or exc}", exc.errno) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # swapped after the check
            raise PathRefused("not-a-file", f"not a regular file ({_kind_of(st.st_mode)}): not read")
        if st.st_size > max_bytes:
            raise PathRefused("too-large", _too_large(st.st_size, max_bytes))
        chunks: list[bytes] = []
        remaining = max_bytes + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > max_bytes:  # grew while being read
            raise PathRefused("too-large", _too_large(len(data), max_bytes))
        return data
    except OSError as exc:
        raise PathRefused("unreadable", f"cannot read file: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def read_file_or_none(
    path: Path | str, roots: Sequence[str], max_bytes: int = DEFAULT_MAX_FILE_SIZE
) -> bytes | None:
    """`read_file`, or None for anything the policy refuses (for best-effort readers: snippets, columns)."""
    try:
        return read_file(path, roots, max_bytes)
    except PathRefused:
        return None


def source_lines(data: bytes, *, python: bool = False) -> list[bytes]:
    """Lines numbered the way the parser numbers them, without their line endings.

    tree-sitter (Rust, TOML) breaks lines at `\\n` only, so a bare `\\r` or a form feed inside a
    comment does not start a line; Python's tokenizer also breaks at a bare `\\r`.
    """
    if python:
        return data.splitlines()
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    return [line[:-1] if line.endswith(b"\r") else line for line in lines]


def parse_size(value: object) -> int | None:
    """A size in bytes from an int or a string such as "16MiB", "500 kB", "2M"; None if invalid."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if not isinstance(value, str):
        return None
    match = _SIZE.match(value)
    if match is None:
        return None
    unit = (match.group(2) or "").lower().removesuffix("b")
    size = int(match.group(1)) * _UNITS[unit]
    return size if size > 0 else None


# Resolved directories shared by the checks that keep no cache of their own, for one analysis:
# `forget_resolved_dirs()` starts afresh (each analysis, so a long-lived process never trusts old answers).
_RUN_DIRS: dict[str, str] = {}


def forget_resolved_dirs() -> None:
    _RUN_DIRS.clear()


def _realpath_cached(text: str, dir_cache: dict[str, str]) -> str:
    head, tail = os.path.split(os.path.abspath(text))
    if not tail:
        return os.path.realpath(text)
    return _resolve_last(os.path.join(_real_dir(head, dir_cache), tail))


def _real_dir(directory: str, dir_cache: dict[str, str]) -> str:
    """`directory` resolved, one component at a time from its nearest cached ancestor: each directory
    costs one `lstat` for the whole pass (a deep tree would otherwise cost depth² system calls)."""
    missing: list[str] = []
    while directory not in dir_cache:
        parent, name = os.path.split(directory)
        if not name or parent == directory:
            dir_cache[directory] = os.path.realpath(directory)
            break
        missing.append(directory)
        directory = parent
    real = dir_cache[directory]
    for below in reversed(missing):
        real = dir_cache[below] = _resolve_last(os.path.join(real, os.path.basename(below)))
    return real


def _resolve_last(candidate: str) -> str:
    """`candidate` (whose directory is already resolved) with its last component resolved too."""
    try:
        if stat.S_ISLNK(os.lstat(candidate).st_mode):
            return os.path.realpath(candidate)
    except OSError:
        pass
    return candidate


def _too_large(size: int, limit: int) -> str:
    return f"file is {size} bytes, over the {limit}-byte limit (`max-file-size`); skipped"


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"
