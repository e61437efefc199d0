"""Source listings kept by tree layout: a run whose tree stamp found the same layout skips the listing walk.

A run stamps its tree (`fast_replay.tree_stamp`) before listing the source files. Besides the stamp, that
walk digests the tree's *layout*: the names and file types in every directory it walked, and the stamp
(size, modification time, inode) of each `.gitignore` and of each symbolic link and what it leads to.
That is everything a listing (`workspace.files`) reads but the manifests, which discovery reads every
time: a file edited in place keeps the layout, a file added, removed, renamed or ignored differently
changes it. The listing made under a layout is kept, framed and typed like every cache entry, with that
layout and the installed code's stamp; the next run with the same layout, roots and code reads it
instead of walking the tree again.

A listing is neither kept nor reused when the walk did not cover every root listed, when the stamp
skipped (the cache directory, the report file) something inside a root that a listing could enter or
list (a directory, a `.rs` or `.py` file), when a `.gitignore` or link changed within a timestamp tick of
the walk, or when listing reported an error (it is made again and reports it again).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import msgspec

from rust_triage import __version__
from rust_triage.parse.cache_frame import entry_tag, frame, read_regular_file, unframe
from rust_triage.workspace.files import SourceNames

_FORMAT = "listing-msgpack-1"
_TAG = entry_tag(f"{_FORMAT};{__version__}".encode(), "listing")


class _Kept(msgspec.Struct):
    layout: str
    code: str
    roots: list[str]
    rust: list[str]
    python: list[str]
    manifest_dirs: list[str]


def _inside(name: str, roots: tuple[str, ...]) -> bool:
    """True when `name` is one of `roots` or a path below one, with no `.`/`..` step or empty part."""
    for root in roots:
        prefix = root.rstrip(os.sep) + os.sep
        if name == root or (name.startswith(prefix) and
                            not {"", ".", ".."} & set(name[len(prefix):].split(os.sep))):
            return True
    return False


class ListingCache:
    """The listing kept for the roots a run lists, valid while the walk's layout and the code are the same."""

    def __init__(self, cache_dir: Path, layout: str, walked: tuple[str, ...], skipped: tuple[str, ...],
                 racy: bool, code: str) -> None:
        """`layout` of the walk of the `walked` roots that left out `skipped`; `racy`: not to be trusted."""
        self.directory = cache_dir / "index"
        self.layout, self.walked, self.skipped, self.racy = layout, walked, skipped, racy
        self.code = code

    def _usable(self, scan_roots: tuple[str, ...]) -> bool:
        if self.racy or not all(root in self.walked for root in scan_roots):
            return False
        for skipped in self.skipped:
            inside = any(skipped == root or skipped.startswith(root.rstrip(os.sep) + os.sep) for root in scan_roots)
            if inside and (skipped.endswith((".rs", ".py")) or os.path.isdir(skipped)):
                return False
        return True

    def _path(self, scan_roots: tuple[str, ...]) -> Path:
        scope = "\0".join(scan_roots).encode("utf-8", "surrogateescape")
        return self.directory / f"listing-{hashlib.blake2b(scope, digest_size=12).hexdigest()}.msgpack"

    def load(self, scan_roots: tuple[str, ...]) -> SourceNames | None:
        if not self._usable(scan_roots):
            return None
        data = read_regular_file(self._path(scan_roots), 1 << 30)
        payload = unframe(data, _TAG) if data is not None else None
        if payload is None:
            return None
        try:
            kept = msgspec.msgpack.decode(payload, type=_Kept)
        except (msgspec.DecodeError, msgspec.ValidationError):
            return None
        if (kept.layout, kept.code, kept.roots) != (self.layout, self.code, list(scan_roots)):
            return None
        if not all(_inside(name, scan_roots) for names in (kept.rust, kept.python, kept.manifest_dirs)
                   for name in names):
            return None  # a damaged or forged listing: never read a file outside the roots listed
        return SourceNames(kept.rust, kept.python, set(kept.manifest_dirs))

    def save(self, scan_roots: tuple[str, ...], names: SourceNames) -> None:
        if not self._usable(scan_roots):
            return
        from rust_triage.atomic import write_atomic

        kept = _Kept(self.layout, self.code, list(scan_roots), names.rust, names.python,
                     sorted(names.manifest_dirs))
        try:
            data = frame(msgspec.msgpack.encode(kept), _TAG)
            self.directory.mkdir(parents=True, exist_ok=True)
            write_atomic(self._path(scan_roots), data)
        except (OSError, ValueError, UnicodeEncodeError, msgspec.EncodeError):
            pass  # a read-only cache or a name that is not UTF-8: listed again next time
