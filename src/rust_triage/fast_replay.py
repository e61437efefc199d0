"""Replay the saved report of an identical `check` before loading any rule, grammar or family.

A replayable `check` (see `replay.py`) also keeps a *stamp* of everything its report came from, taken
without parsing anything:

- the invocation: the exact arguments, working directory, tool and Python versions, whether stdout is a
  terminal, and the environment variables that change paths or output;
- the installed code: every file of the package (name, size, modification time), each
  `site-packages` directory on `sys.path` (installing or removing a distribution changes it) and the files plugin rules come from;
- the inputs: the names in every directory below the workspace roots and the size, modification time
  and inode of every file there (discovery's skipped directories -- hidden ones, cargo `target/`,
  virtualenvs -- count by name only), and any `Cargo.toml` above the root.

The next run with the same arguments recomputes the stamp with `os.scandir` and `os.stat` alone; when
it matches, the saved bytes are written and the saved exit status returned. Anything else -- a changed,
added or removed file, another argument, a damaged stamp -- falls back to the normal run, which writes a
fresh stamp. The stamp is a framed file like every cache entry (`parse.cache_frame`): JSON checked
field by field, never code.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rust_triage import __version__
from rust_triage.parse.cache_frame import entry_tag, frame, read_regular_file, unframe

_FORMAT = "replay-stamp-1"
_TAG = entry_tag(f"{_FORMAT};{__version__}".encode(), "replay-stamp")
_ENV_NAMES = ("COLUMNS", "LINES", "TERM", "NO_COLOR", "FORCE_COLOR", "HOME", "PYTHONPATH", "CARGO_HOME")
_ENV_PREFIXES = ("RUST_TRIAGE", "XDG_")
_SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "venv"})  # as workspace.files, by name only
_PACKAGE_DIR = Path(__file__).resolve().parent
# A file modified this close to the stamp may change again within one timestamp tick: no stamp is kept.
_RACY_NS = 2_000_000_000


@dataclass
class Invocation:
    """The command line of this process, as the fast path saw it (set by `try_replay`)."""

    argv: list[str]
    cache_dir: Path | None
    key: str


_current: Invocation | None = None
# The tree stamp `try_replay` took, for `take_stamp` to reuse when the run's inputs are the same:
# (roots, extra, skip), the time it was started (ns), and `tree_stamp`'s answer.
_taken: tuple[tuple[list[str], list[str], list[str]], int, tuple[str, int]] | None = None


def _digest(parts: Iterable[str]) -> str:
    """blake2b of each part followed by a NUL (one encode for tens of thousands of parts)."""
    h = hashlib.blake2b(digest_size=20)
    listed = list(parts)
    if listed:
        h.update(("\0".join(listed) + "\0").encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _stat_line(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return f"{path}:-"
    return f"{path}:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


def _code_digest() -> str:
    """The installed code (`_code_stamp`), digested once per process."""
    global _code
    if _code is None:
        _code = _digest(_code_stamp())
    return _code


_code: str | None = None


def _code_stamp() -> Iterable[str]:
    for dirpath, dirnames, filenames in os.walk(_PACKAGE_DIR):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith((".py", ".toml", ".scm")):
                yield _stat_line(os.path.join(dirpath, name))
    for entry in sys.path:  # installing or removing a distribution changes its directory
        if entry.endswith(("site-packages", "dist-packages")):
            yield _stat_line(entry)


def cache_dir_from_argv(argv: Sequence[str]) -> Path | None:
    """The `--cache-dir` of a command line (options end at `--`), else the default; None with --no-cache."""
    found: str | None = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--no-cache":
            return None
        if arg == "--cache-dir" and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith("--cache-dir="):
            found = arg.split("=", 1)[1]
    if found is not None:
        return Path(found)
    from rust_triage.parse.cache_frame import default_cache_dir

    return default_cache_dir()


def invocation_key(argv: Sequence[str]) -> str:
    env = sorted(f"{k}={v}" for k, v in os.environ.items() if k in _ENV_NAMES or k.startswith(_ENV_PREFIXES))
    try:
        cwd = os.getcwd()
    except OSError:
        cwd = "?"
    tty: object = sys.stdout.isatty() if sys.stdout is not None else False
    if tty:
        try:
            tty = os.get_terminal_size(sys.stdout.fileno())  # text reports are laid out for its width
        except (OSError, ValueError):
            pass
    return _digest([_FORMAT, __version__, sys.version, sys.executable, cwd, repr(list(argv)), repr(tty), *env,
                    _code_digest()])


@dataclass
class TreeWalk:
    """What one stamp walk saw, for discovery to list the same tree without walking it again
    (`listing_cache`): each directory's entries as listed, and the *layout* digest -- every directory's
    entry names and types, and the stamps of what a listing reads besides names (`.gitignore` files,
    what symbolic links lead to) -- with the newest modification time among those stamps."""

    roots: tuple[str, ...]
    skip: tuple[str, ...]
    entries: dict[str, list[os.DirEntry[str]]]
    started: int  # ns, before the first directory was listed
    layout: str = ""
    layout_newest: int = 0

    @property
    def layout_racy(self) -> bool:
        """A `.gitignore` or link changed too recently to trust its stamp (a listing is not kept)."""
        return self.layout_newest >= self.started - _RACY_NS


_walk: TreeWalk | None = None  # the last walk of this process (set by `tree_stamp`)


def tree_stamp(roots: Sequence[str], extra: Sequence[str], skip: Sequence[str]) -> tuple[str, int]:
    """A digest of the names, sizes, modification times and inodes below `roots` and of the `extra`
    files, and the newest modification time seen (ns)."""
    global _walk
    skipped = set(skip)
    newest = layout_newest = 0
    lines: list[str] = [_stat_line(p) for p in extra]
    layout: list[str] = []
    add, add_layout = lines.append, layout.append
    type_bits, directory_type, link_type = 0o170000, stat.S_IFDIR, stat.S_IFLNK
    walk = TreeWalk(tuple(roots), tuple(skip), {}, time.time_ns())
    for root in roots:
        for parent in Path(root).parents:
            add(_stat_line(str(parent / "Cargo.toml")))
        stack = [root]
        while stack:
            directory = stack.pop()
            try:
                with os.scandir(directory) as iterator:
                    entries = list(iterator)
            except OSError:
                add(f"{directory}/:-")
                add_layout(f"{directory}/:-")
                continue
            entries.sort(key=_by_name)
            walk.entries[directory] = entries
            if skipped:
                entries = [e for e in entries if e.path not in skipped]
            add(f"{directory}/:{len(entries)}")
            add_layout(f"{directory}/:{len(entries)}")
            is_package_dir: bool | None = None  # looked up at the first `target` directory
            for entry in entries:
                name = entry.name
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    add(f"{name}:-")
                    add_layout(f"{name}:-")
                    continue
                mode = st.st_mode
                file_type = mode & type_bits
                if file_type == directory_type:
                    add(f"{name}/")
                    add_layout(f"{name}/")
                    if name.startswith(".") or name in _SKIPPED_DIRS:
                        continue
                    if name == "target":
                        if is_package_dir is None:
                            is_package_dir = any(e.name == "Cargo.toml" for e in entries)
                        if is_package_dir:
                            continue
                    stack.append(entry.path)
                    continue
                mtime = st.st_mtime_ns
                line = f"{name}:{mode}:{st.st_size}:{mtime}:{st.st_ino}"
                add(line)
                if mtime > newest:
                    newest = mtime
                if file_type == link_type or name == ".gitignore":
                    target = _stat_line(entry.path)  # what the link leads to
                    add_layout(line)
                    add_layout(target)
                    layout_newest = max(layout_newest, mtime, _mtime_of(target))
                    if file_type == link_type:
                        add(target)
                else:
                    add_layout(f"{name}:{file_type}")
    walk.layout, walk.layout_newest = _digest(layout), layout_newest
    _walk = walk
    return _digest(lines), newest


def _mtime_of(stat_line: str) -> int:
    """The modification time in a `_stat_line` (0 for a path that could not be read)."""
    parts = stat_line.rsplit(":", 3)
    return int(parts[2]) if len(parts) == 4 and parts[2].isdigit() else 0


def last_walk() -> TreeWalk | None:
    """The walk of this process's last stamp; it is handed out once."""
    global _walk
    walk, _walk = _walk, None
    return walk


def _by_name(entry: os.DirEntry[str]) -> str:
    return entry.name


def _stamp_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / "results" / f"replay-{key[:32]}.json"


def _load(path: Path) -> dict[str, object] | None:
    data = read_regular_file(path)
    payload = unframe(data, _TAG) if data is not None else None
    if payload is None:
        return None
    try:
        found = json.loads(payload)
    except ValueError:
        return None
    shape: dict[str, type | tuple[type, ...]] = {"key": str, "roots": list, "extra": list, "skip": list, "tree": str, "text": str, "exit_code": int,
             "output": (str, type(None))}
    if not isinstance(found, dict) or set(found) != set(shape):
        return None
    if not all(isinstance(found[k], t) for k, t in shape.items()):
        return None
    if not all(isinstance(p, str) for k in ("roots", "extra", "skip") for p in found[k]):
        return None
    return found


def try_replay(argv: list[str]) -> int | None:
    """The exit status after writing the saved report of this exact, unchanged run; None to run normally."""
    global _current, _taken
    _taken = None  # a stamp of an earlier run of this process is never reused
    if not argv or argv[0] != "check":
        return None
    cache_dir = cache_dir_from_argv(argv)
    if cache_dir is None:
        return None
    key = invocation_key(argv)
    _current = Invocation(list(argv), cache_dir, key)
    saved = _load(_stamp_path(cache_dir, key))
    if saved is None or saved["key"] != key:
        return None
    inputs = (saved["roots"], saved["extra"], saved["skip"])
    started = time.time_ns()
    found = tree_stamp(*inputs)  # type: ignore[arg-type]
    _taken = (inputs, started, found)  # type: ignore[assignment]
    if found[0] != saved["tree"]:
        return None
    code = saved["exit_code"]
    if not isinstance(code, int):
        return None
    text, output = str(saved["text"]), saved["output"]
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        from rust_triage.output import write_output

        write_output(text, Path(str(output)))
    return code


@dataclass
class Stamp:
    """The inputs of a run, taken before it reads them: a file changed while it runs is a miss next time."""

    cache_dir: Path
    key: str
    roots: list[str]
    extra: list[str]
    skip: list[str]
    tree: str
    racy: bool  # a file changed too recently to trust its modification time (as git's racy entries)


def take_stamp(cache_dir: Path, roots: Sequence[str], extra: Sequence[str], output: Path | None) -> Stamp | None:
    """The stamp of this run's inputs, for the command line `try_replay` saw (None for any other)."""
    global _taken
    current = _current
    if current is None or current.cache_dir is None or current.cache_dir.resolve() != cache_dir.resolve():
        return None
    skip = sorted({str(cache_dir.resolve()), str(cache_dir.absolute())})
    if output is not None:
        skip = sorted({*skip, str(output.resolve()), str(output.absolute())})
    extra = sorted(set(extra))
    taken, _taken = _taken, None  # used once
    if taken is not None and taken[0] == (list(roots), extra, skip):
        started, (tree, newest) = taken[1], taken[2]  # the same inputs, stamped earlier in this run
    else:
        started = time.time_ns()
        tree, newest = tree_stamp(roots, extra, skip)
    walk = last_walk()
    if walk is not None and walk.roots == tuple(roots) and walk.skip == tuple(skip):
        from rust_triage.listing_cache import ListingCache
        from rust_triage.workspace.files import use_walk

        use_walk(walk.entries, ListingCache(cache_dir, walk.layout, walk.roots, walk.skip, walk.layout_racy,
                                           _code_digest()))
    return Stamp(cache_dir, current.key, list(roots), extra, skip, tree, racy=newest >= started - _RACY_NS)


def save_stamp(stamp: Stamp | None, output: Path | None, text: str, exit_code: int) -> None:
    """Keep this run's report for `try_replay`."""
    if stamp is None or stamp.racy:
        return
    record = {"key": stamp.key, "roots": stamp.roots, "extra": stamp.extra, "skip": stamp.skip, "tree": stamp.tree,
              "text": text, "exit_code": exit_code, "output": str(output) if output is not None else None}
    try:
        from rust_triage.atomic import write_atomic

        write_atomic(_stamp_path(stamp.cache_dir, stamp.key),
                     frame(json.dumps(record).encode("utf-8", "surrogateescape"), _TAG))
    except (OSError, ValueError):
        pass  # a read-only or full cache dir must not stop the run
