"""Replay the previous report when nothing it depends on changed (a warm run with no edits).

The report of a `check` run is kept under a key of everything it was made from: the run key
(configuration, rule set, installed code, workspace manifests -- `engine.fingerprint`), the files
named on the command line, each analysed file's content key and each Python file's size and
modification time, and the output settings. A run with the same key writes the same bytes and exits
with the same status without parsing or loading any facts. A file whose size or modification time
differs from the stat index makes the run a normal one (which then refreshes the index); a file absent
from the index (one the last run could not analyse) counts by its size, modification time and inode.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import msgspec

from rust_triage import __version__
from rust_triage.engine.indexed_rule import rule_origin
from rust_triage.parse.cache import FactsCache
from rust_triage.parse.cache_format import entry_tag
from rust_triage.pipeline import Prepared

_FORMAT = "report-msgpack-1"


class SavedReport(msgspec.Struct):
    key: str
    text: str
    exit_code: int


def _tag() -> bytes:
    return entry_tag(f"{_FORMAT};{__version__}".encode(), "report")


def report_key(run: Prepared, output_settings: str) -> str | None:
    """The key of this run's report, or None when a file changed since the stat index was written."""
    if run.cache_dir is None:
        return None
    from rust_triage.engine.fingerprint import run_key

    if not run.run_key:
        run.run_key = run_key(run.config, run.registry, run.selected, run.workspace, run.salt)
    workspace = run.workspace
    index = run.cache.load_stat_index(str(workspace.root))
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{run.run_key}\0{output_settings}\0{sorted(run.focus) if run.focus is not None else None!r}\0".encode(
        "utf-8", "surrogateescape"))
    for path in workspace.rust_files:
        name = str(path)
        known = index.get(name)
        try:
            st = os.stat(path)
        except OSError:
            return None
        if known is None:  # a file the last run could not analyse (too large, not UTF-8...): by its stat
            h.update(f"{name}\0stat:{st.st_size}:{st.st_mtime_ns}:{st.st_ino}\0".encode("utf-8", "surrogateescape"))
            continue
        if known[:2] != (st.st_size, st.st_mtime_ns):
            return None
        h.update(f"{name}\0{known[2]}\0".encode("utf-8", "surrogateescape"))
    for path in workspace.python_files:
        try:
            st = os.stat(path)
        except OSError:
            return None
        h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _path(run: Prepared, output_settings: str):  # type: ignore[no-untyped-def]
    assert run.cache_dir is not None
    scope = f"{run.workspace.root}\0{output_settings}".encode("utf-8", "surrogateescape")
    return run.cache_dir / "results" / f"report-{hashlib.blake2b(scope, digest_size=12).hexdigest()}.msgpack"


def load_report(run: Prepared, output_settings: str, key: str) -> SavedReport | None:
    found = FactsCache._read(_path(run, output_settings), _tag(), SavedReport)
    return found if isinstance(found, SavedReport) and found.key == key else None


def save_report(run: Prepared, output_settings: str, key: str, text: str, exit_code: int) -> None:
    FactsCache._write(_path(run, output_settings), _tag(), SavedReport, SavedReport(key, text, exit_code))


def stamp_inputs(run: Prepared) -> tuple[list[str], list[str]]:
    """What `fast_replay` stamps besides the invocation: the directories walked and single files read
    (a configuration file named outside the workspace, the modules plugin rules come from)."""
    from rust_triage.workspace.safepath import real_roots

    roots = list(real_roots([*run.workspace.roots, *run.config.rule_dirs]))
    extra = [os.path.realpath(run.config.source)] if run.config.source is not None else []
    package = str(Path(__file__).resolve().parent)
    for rule in run.registry.rules:
        origin = getattr(sys.modules.get(rule_origin(rule)[0]), "__file__", None)
        if origin and not os.path.realpath(origin).startswith(package + os.sep):
            extra.append(os.path.realpath(origin))
    return roots, extra
