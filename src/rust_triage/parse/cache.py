"""On-disk cache of FileFacts keyed by content hash + tool, grammar, rule-set and extractor versions."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

from rust_triage import __version__
from rust_triage.atomic import write_atomic
from rust_triage.parse.facts import FileFacts

_FORMAT = "facts-v5"


def default_cache_dir(root: Path) -> Path:
    env = os.environ.get("RUST_TRIAGE_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "rust-triage"


class FactsCache:
    """A directory of pickled FileFacts; a missing or corrupt entry is simply a miss."""

    def __init__(self, directory: Path | None, salt: str, value_type: type = FileFacts) -> None:
        self.directory = directory
        self._salt = f"{_FORMAT};{__version__};{salt}".encode()
        self.value_type = value_type  # what a valid entry holds (FileFacts, or the Python side's facts)

    def key(self, content: bytes) -> str:
        digest = hashlib.blake2b(content, digest_size=20)
        digest.update(b"\0")
        digest.update(self._salt)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        assert self.directory is not None
        return self.directory / key[:2] / f"{key[2:]}.pkl"

    def get(self, key: str) -> Any:
        if self.directory is None:
            return None
        try:
            with open(self._path(key), "rb") as fh:
                value = pickle.load(fh)
        except Exception:  # missing, truncated, from another version: rebuild
            return None
        return value if isinstance(value, self.value_type) else None

    # A stat index (path -> size, mtime, key) lets unchanged files skip reading and hashing.
    def load_stat_index(self, scope: str) -> dict[str, tuple[int, int, str]]:
        if self.directory is None:
            return {}
        try:
            with open(self._index_path(scope), "rb") as fh:
                data = pickle.load(fh)
        except Exception:
            return {}
        return data if isinstance(data, dict) else {}

    def save_stat_index(self, scope: str, index: dict[str, tuple[int, int, str]]) -> None:
        if self.directory is None:
            return
        self._atomic_write(self._index_path(scope), index)

    def _index_path(self, scope: str) -> Path:
        assert self.directory is not None
        digest = hashlib.blake2b(scope.encode() + b"\0" + self._salt, digest_size=12).hexdigest()
        return self.directory / "index" / f"{digest}.pkl"

    def _atomic_write(self, target: Path, value: object) -> None:
        try:
            write_atomic(target, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a read-only or full cache dir must not stop the analysis

    def put(self, key: str, facts: object) -> None:
        if self.directory is None:
            return
        # A read-only or full cache dir must not stop the analysis: write errors are ignored.
        self._atomic_write(self._path(key), facts)
