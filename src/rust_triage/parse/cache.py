"""On-disk cache of FileFacts keyed by content hash + tool, grammar, rule-set and extractor versions."""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from rust_triage import __version__
from rust_triage.parse.facts import FileFacts

_FORMAT = "facts-v1"


def default_cache_dir(root: Path) -> Path:
    env = os.environ.get("RUST_TRIAGE_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "rust-triage"


class FactsCache:
    """A directory of pickled FileFacts; a missing or corrupt entry is simply a miss."""

    def __init__(self, directory: Path | None, salt: str) -> None:
        self.directory = directory
        self._salt = f"{_FORMAT};{__version__};{salt}".encode()

    def key(self, content: bytes) -> str:
        digest = hashlib.blake2b(content, digest_size=20)
        digest.update(b"\0")
        digest.update(self._salt)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        assert self.directory is not None
        return self.directory / key[:2] / f"{key[2:]}.pkl"

    def get(self, key: str) -> FileFacts | None:
        if self.directory is None:
            return None
        try:
            with open(self._path(key), "rb") as fh:
                value = pickle.load(fh)
        except Exception:  # missing, truncated, from another version: rebuild
            return None
        return value if isinstance(value, FileFacts) else None

    def put(self, key: str, facts: FileFacts) -> None:
        if self.directory is None:
            return
        target = self._path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(facts, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)
        except OSError:
            pass  # a read-only or full cache dir must not stop the analysis
