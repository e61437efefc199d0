"""The rule-results index of one workspace: one framed msgpack file beside the parse cache entries.

Same header and trust as the facts entries (see `parse.cache_format`): decoded against the declared
types only, and anything unexpected is a miss that makes the run check everything again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import msgspec

from rust_triage import __version__
from rust_triage.engine.model import Finding
from rust_triage.parse.cache import FactsCache
from rust_triage.parse.cache_format import entry_tag

_FORMAT = "results-msgpack-1"


class FileResults(msgspec.Struct):
    key: str  # content, place in the module tree, file rules' own keys
    findings: dict[str, list[Finding]]  # rule id -> raw findings, in the rule's order


class WorkspaceResults(msgspec.Struct):
    fingerprint: str  # every file's interface, the module tree
    rules: list[str]
    findings: dict[str, list[Finding]]
    quoted: dict[str, str]  # rel -> digest of the source lines its findings quote


class ResultsIndex(msgspec.Struct):
    run_key: str  # configuration, rule set, tool version, workspace manifests
    files: dict[str, FileResults] = {}
    interfaces: dict[str, str] = {}  # content key -> interface digest
    workspace: WorkspaceResults | None = None
    contents: dict[str, str] = {}  # rel -> content key when `workspace` was computed (quoted files)


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
