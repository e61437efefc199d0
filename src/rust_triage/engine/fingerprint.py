"""Keys of reusable results: what, besides the files' contents, a run's findings depend on."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from rust_triage import __version__
from rust_triage.engine.config import Config
from rust_triage.engine.indexed_rule import rule_origin
from rust_triage.engine.registry import Registry
from rust_triage.engine.rule import QueryRule
from rust_triage.workspace.model import Workspace

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def _stamp_tree(directory: Path, h: hashlib.blake2b) -> None:
    """Name, size and modification time of every Python file below `directory`."""
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith((".py", ".toml")):
                try:
                    st = os.stat(os.path.join(dirpath, name))
                except OSError:
                    continue
                h.update(f"{dirpath}/{name}:{st.st_size}:{st.st_mtime_ns}\0".encode("utf-8", "surrogateescape"))


def code_fingerprint(registry: Registry) -> str:
    """The installed code: rust-triage's own files and the modules plugin rules come from.

    Stamps (size, modification time) rather than contents: a few milliseconds, and an edited checkout
    or upgraded plugin never replays results of the old code.
    """
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{__version__};{sys.version}".encode())
    _stamp_tree(_PACKAGE_DIR, h)
    for rule in registry.rules:  # indexed rules are built-in: their modules are stamped above
        module = sys.modules.get(rule_origin(rule)[0])
        origin = getattr(module, "__file__", None)
        if origin and not str(origin).startswith(str(_PACKAGE_DIR)):
            try:
                st = os.stat(origin)
                h.update(f"{origin}:{st.st_size}:{st.st_mtime_ns}\0".encode("utf-8", "surrogateescape"))
            except OSError:
                pass
    return h.hexdigest()


def _rule_signature(rule: object) -> str:
    meta = getattr(rule, "meta", None)
    extra = ""
    if isinstance(rule, QueryRule):
        extra = repr((rule.query, rule.message, rule.fix_hint, rule.include, rule.exclude, rule.skip_in_macro))
    module, qualname = rule_origin(rule)  # type: ignore[arg-type]
    return f"{module}.{qualname};{meta!r};{extra}"


def run_key(config: Config, registry: Registry, selected: set[str], workspace: Workspace, salt: str) -> str:
    """Everything but the analysed files' contents that a run's findings depend on."""
    h = hashlib.blake2b(digest_size=20)
    parts = [
        code_fingerprint(registry),
        salt,
        repr(config),
        ",".join(sorted(selected)),
        *(_rule_signature(r) for r in registry.rules),
        repr((workspace.root, workspace.manifest, workspace.packages, workspace.default_members, workspace.metadata,
              workspace.fallback, workspace.extra_roots, workspace.notes, workspace.errors)),
    ]
    for part in parts:
        h.update(part.encode("utf-8", "surrogateescape"))
        h.update(b"\0")
    return h.hexdigest()
