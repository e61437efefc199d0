"""The framing of every cache file, importable without msgspec or the parser (the replay fast path uses it).

    offset  size  field
    0       8     magic b"RTCACHE\\0"
    8       2     format version (little-endian u16)
    10      16    tag: blake2b of (key salt, kind) -- which tool version, rule set and value type wrote it
    26      8     payload length (u64)
    34      32    blake2b-256 of the payload
    66      ...   payload

A wrong magic, version or tag, a bad length or checksum is rejected, and the caller rebuilds.
"""

from __future__ import annotations

import hashlib
import os
import stat
import struct
from pathlib import Path

FORMAT_VERSION = 1
_MAGIC = b"RTCACHE\0"
_HEADER = struct.Struct("<8sH16sQ32s")
HEADER_SIZE = _HEADER.size
MAX_ENTRY_BYTES = 1 << 30  # a cache file larger than this is not ours
# Open flags for reading an entry: a symlink or a FIFO planted at an entry's path is a miss, not a hang.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def default_cache_dir(root: Path | None = None) -> Path:
    """$RUST_TRIAGE_CACHE_DIR, else $XDG_CACHE_HOME/rust-triage, else ~/.cache/rust-triage (any root)."""
    env = os.environ.get("RUST_TRIAGE_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "rust-triage"


def entry_tag(salt: bytes, kind: str) -> bytes:
    return hashlib.blake2b(salt + b"\0" + kind.encode(), digest_size=16).digest()


def frame(payload: bytes, tag: bytes) -> bytes:
    checksum = hashlib.blake2b(payload, digest_size=32).digest()
    return _HEADER.pack(_MAGIC, FORMAT_VERSION, tag, len(payload), checksum) + payload


def unframe(data: bytes, tag: bytes) -> bytes | None:
    """The payload, or None when the header is not ours or the payload is damaged."""
    if len(data) < HEADER_SIZE:
        return None
    magic, version, found_tag, length, checksum = _HEADER.unpack_from(data)
    payload = data[HEADER_SIZE:]
    if magic != _MAGIC or version != FORMAT_VERSION or found_tag != tag or length != len(payload):
        return None
    if hashlib.blake2b(payload, digest_size=32).digest() != checksum:
        return None
    return payload


def read_regular_file(path: Path, limit: int = MAX_ENTRY_BYTES) -> bytes | None:
    """The bytes of a regular file (not through a symlink) of at most `limit` bytes, else None."""
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(limit + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
