"""On-disk cache of FileFacts keyed by content hash + tool, grammar, rule-set and extractor versions.

Entries are msgpack with a checked header (see `cache_format`), decoded against the declared facts
types: a file planted in the cache directory can at worst be a miss, never run code.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import stat
from pathlib import Path
from typing import Any

import msgspec

from rust_triage import __version__, collector
from rust_triage.atomic import current_umask, write_atomic
from rust_triage.parse.cache_format import StatIndex, codec_for, entry_tag, frame, unframe
from rust_triage.parse.cache_frame import default_cache_dir, read_regular_file
from rust_triage.parse.facts import FileFacts
from rust_triage.workspace.model import ModDecl

_FORMAT = "facts-msgpack-6"  # in every key: bump when the layout of cached values changes
_SUFFIX = ".msgpack"
_KEY = re.compile(r"[0-9a-f]{40}")  # what `key` returns; the stat index is read from disk, so keys are checked
__all__ = ["FactsCache", "ModsIndex", "default_cache_dir", "read_regular_file"]

ModsIndex = dict[str, list[ModDecl]]  # content key -> the `mod` items of the file with that content


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class FactsCache:
    """A directory of facts entries; a missing, corrupt, foreign or wrong-type entry is simply a miss."""

    def __init__(self, directory: Path | None, salt: str, value_type: type = FileFacts) -> None:
        self.directory = directory
        self._salt = f"{_FORMAT};{__version__};{salt}".encode()
        self.value_type = value_type  # what a valid entry holds (FileFacts, or the Python side's facts)
        self._entry_tag = entry_tag(self._salt, value_type.__qualname__)
        self._index_tag = entry_tag(self._salt, "stat-index")
        self._mods_tag = entry_tag(self._salt, "mods-index")
        self._umask: int | None = None  # read at the first write
        self._made: set[Path] = set()  # directories this object wrote into (they exist)

    def key(self, content: bytes) -> str:
        digest = hashlib.blake2b(content, digest_size=20)
        digest.update(b"\0")
        digest.update(self._salt)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        assert self.directory is not None
        return self.directory / key[:2] / f"{key[2:]}{_SUFFIX}"

    def get(self, key: str) -> Any:
        if self.directory is None or not _KEY.fullmatch(key):
            return None
        return self._read(self._path(key), self._entry_tag, self.value_type)

    def put(self, key: str, facts: object) -> None:
        if self.directory is None:
            return
        self._store(self._path(key), self._entry_tag, self.value_type, facts)

    # A stat index (path -> size, mtime, key) lets unchanged files skip reading and hashing.
    def load_stat_index(self, scope: str) -> StatIndex:
        if self.directory is None:
            return {}
        index = self._read(self._index_path(scope), self._index_tag, StatIndex)
        return index if index is not None else {}

    def save_stat_index(self, scope: str, index: StatIndex) -> None:
        if self.directory is None:
            return
        # names that are not valid UTF-8 (kept by Python as surrogates) cannot be msgpack strings
        storable = {name: v for name, v in index.items() if name.isascii() or _is_utf8(name)}
        self._store(self._index_path(scope), self._index_tag, StatIndex, storable)

    # A mods index (content key -> the file's `mod` items) builds the module tree without decoding facts.
    def load_mods_index(self, scope: str) -> ModsIndex:
        if self.directory is None:
            return {}
        index = self._read(self._index_path(scope, "-mods"), self._mods_tag, ModsIndex)
        return index if index is not None else {}

    def save_mods_index(self, scope: str, index: ModsIndex) -> None:
        if self.directory is not None:
            self._store(self._index_path(scope, "-mods"), self._mods_tag, ModsIndex, index)

    def _index_path(self, scope: str, suffix: str = "") -> Path:
        assert self.directory is not None
        digest = hashlib.blake2b(scope.encode("utf-8", "surrogateescape") + b"\0" + self._salt, digest_size=12)
        return self.directory / "index" / f"{digest.hexdigest()}{suffix}{_SUFFIX}"

    @staticmethod
    def _read(path: Path, tag: bytes, value_type: Any) -> Any:
        data = read_regular_file(path)
        payload = unframe(data, tag) if data is not None else None
        if payload is None:
            return None
        try:
            with collector.paused():  # decoding builds many objects and no cycles
                return codec_for(value_type).decode(payload)
        except Exception:  # any payload that is not a well-formed value of the declared type: rebuild
            return None

    def _store(self, path: Path, tag: bytes, value_type: Any, value: object) -> None:
        """`_write`, with the umask read once and each entry directory made once per cache object."""
        if self._umask is None:
            self._umask = current_umask()
        if self._write(path, tag, value_type, value, umask=self._umask, directory_exists=path.parent in self._made):
            self._made.add(path.parent)
        else:
            self._made.discard(path.parent)  # removed meanwhile, perhaps: the next write makes it again

    @staticmethod
    def _write(path: Path, tag: bytes, value_type: Any, value: object, *, umask: int | None = None,
               directory_exists: bool = False) -> bool:
        """Whether `value` was written (see `write_atomic` for `umask` and `directory_exists`)."""
        try:
            data = frame(codec_for(value_type).encode(value), tag)
            with contextlib.suppress(FileNotFoundError):
                if not stat.S_ISREG(path.lstat().st_mode):
                    path.unlink()  # a link, FIFO or device planted at an entry's path is replaced, never used
            write_atomic(path, data, umask=umask, directory_exists=directory_exists)
            return True
        except (OSError, TypeError, ValueError, OverflowError, msgspec.EncodeError):
            return False  # a read-only or full cache dir (or an unencodable value) must not stop the analysis
