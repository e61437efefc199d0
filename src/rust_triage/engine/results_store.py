"""The rule-results index of one workspace: one framed msgpack file beside the parse cache entries.

Same header and trust as the facts entries (see `parse.cache_format`): decoded against the declared
types only, and anything unexpected is a miss that makes the run check everything again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from rust_triage import __version__, collector
from rust_triage.engine.model import Finding
from rust_triage.parse.cache import FactsCache
from rust_triage.parse.cache_format import entry_tag

_FORMAT = "results-msgpack-4"  # 2: interface digests of the facts alone; 3: file results kept encoded;
# 4: interfaces as (shape, positions)


class FileResults(msgspec.Struct):
    key: str  # content, place in the module tree, file rules' own keys
    findings: dict[str, list[Finding]]  # rule id -> raw findings, in the rule's order


class WorkspaceResults(msgspec.Struct):
    fingerprint: str  # every file's interface shape, the module tree
    rules: list[str]
    findings: dict[str, list[Finding]]
    quoted: dict[str, str]  # rel -> digest of the source lines its findings quote
    positions: dict[str, str] = {}  # rel -> digest of the file's interface positions the findings hold


class ResultsIndex(msgspec.Struct):
    run_key: str  # configuration, rule set, tool version, workspace manifests
    # rel -> an encoded FileResults: decoded only for the files a run checks (`decode_file_results`), copied
    # as they are for the others (a one-file run on a large workspace decodes one)
    files: dict[str, msgspec.Raw] = {}
    interfaces: dict[str, tuple[str, str]] = {}  # content key -> interface digests (shape, positions)
    workspace: WorkspaceResults | None = None
    contents: dict[str, str] = {}  # rel -> content key when `workspace` was computed (quoted files)
    memo_fingerprint: str = ""  # the workspace fingerprint `memos` were computed for
    memos: dict[str, bytes] = {}  # name -> msgpack of a value derived from the interfaces (WorkspaceMemo)


T = TypeVar("T")
_FILE_RESULTS = msgspec.msgpack.Decoder(FileResults)
_ENCODER = msgspec.msgpack.Encoder()  # as the index codec: dicts keep their order


def decode_file_results(raw: msgspec.Raw) -> FileResults | None:
    """One file's kept results; None when they are not a well-formed FileResults (checked again)."""
    try:
        with collector.paused():  # decoding builds many objects and no cycles
            return _FILE_RESULTS.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None


def encode_file_results(results: FileResults) -> msgspec.Raw | None:
    """None for results msgpack cannot hold (a file name that is not UTF-8): that file is checked again."""
    try:
        return msgspec.Raw(_ENCODER.encode(results))
    except (TypeError, ValueError, OverflowError, msgspec.EncodeError):
        return None


class WorkspaceMemo:
    """Values derived only from the files' interfaces and the module tree (e.g. the risk family's
    reachability), reused while the workspace fingerprint holds: a one-file run need not decode every
    file's facts to rebuild them. Put in the run's state by the incremental runner (`ctx.get`)."""

    def __init__(self, fingerprint: str | None, old: dict[str, bytes]) -> None:
        self.fingerprint = fingerprint
        self._old = old
        self.new: dict[str, bytes] = {}

    def get_or_build(self, name: str, value_type: type[T], build: Callable[[], T]) -> T:
        if self.fingerprint is None:
            return build()
        raw = self._old.get(name)
        if raw is not None:
            try:
                with collector.paused():  # decoding builds many objects and no cycles
                    value: T = msgspec.msgpack.decode(raw, type=value_type)
            except (msgspec.DecodeError, msgspec.ValidationError):
                pass  # not a value of the declared type: built again
            else:
                self.new[name] = raw
                return value
        value = build()
        self.new[name] = msgspec.msgpack.encode(value, order="deterministic")
        return value

    def kept(self) -> dict[str, bytes]:
        """What to save: the values this run built or read, and those of the same fingerprint it did not ask
        for (a one-file run with no unwrap keeps the owners of `unwrap` methods for the next run)."""
        return {**self._old, **self.new}


class ResultsStore:
    """Load and save the results index of one workspace (`scope`) in a cache directory."""

    def __init__(self, directory: Path, scope: str) -> None:
        salt = f"{_FORMAT};{__version__}".encode()
        self._tag = entry_tag(salt, "results-index")
        digest = hashlib.blake2b(scope.encode("utf-8", "surrogateescape") + b"\0" + salt, digest_size=12)
        self.path = directory / "results" / f"{digest.hexdigest()}.msgpack"

    def load(self) -> ResultsIndex | None:
        found: Any = FactsCache._read(self.path, self._tag, ResultsIndex)
        return found if isinstance(found, ResultsIndex) else None

    def save(self, index: ResultsIndex) -> None:
        FactsCache._write(self.path, self._tag, ResultsIndex, index)
