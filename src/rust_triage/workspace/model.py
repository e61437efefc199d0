"""Data model of a Cargo workspace: packages, targets and the module tree."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from rust_triage.errors import FileError

# Target kinds, as cargo metadata names them.
TARGET_KINDS = ("lib", "proc-macro", "bin", "test", "bench", "example", "custom-build")


class Target(msgspec.Struct):
    name: str
    kind: str  # one of TARGET_KINDS
    src_path: Path  # absolute path of the crate root file

    @property
    def is_test_target(self) -> bool:
        return self.kind in ("test", "bench")


class Package(msgspec.Struct):
    name: str
    manifest: Path  # absolute path of Cargo.toml
    edition: str = "2015"
    targets: list[Target] = msgspec.field(default_factory=list)
    metadata: dict[str, Any] = msgspec.field(default_factory=dict)  # [package.metadata] table

    @property
    def root(self) -> Path:
        return self.manifest.parent


@dataclass(slots=True)
class Workspace:
    """What discovery found. `root` is the directory all reported paths are relative to."""

    root: Path
    manifest: Path | None  # governing manifest; None in the no-Cargo.toml fallback
    packages: list[Package] = field(default_factory=list)
    default_members: list[str] = field(default_factory=list)  # package names
    metadata: dict[str, Any] = field(default_factory=dict)  # [workspace.metadata] table
    rust_files: list[Path] = field(default_factory=list)  # every .rs file in scope, sorted, absolute
    python_files: list[Path] = field(default_factory=list)  # every .py file in scope, sorted, absolute
    errors: list[FileError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    fallback: bool = False  # no Cargo.toml: every .rs file is analysed as-is
    # Directories of members outside `root` that cargo accepts (their `package.workspace` points back).
    extra_roots: list[Path] = field(default_factory=list)
    # Set by `discover(..., list_files=False)` until `list_workspace_files` lists the files.
    pending_listing: Any = field(default=None, repr=False, compare=False)

    @property
    def roots(self) -> tuple[Path, ...]:
        """Where files may be read and edited: `root` and the accepted outside members."""
        return (self.root, *self.extra_roots)

    def rel(self, path: Path) -> str:
        """Path relative to the workspace root, with forward slashes (string work: called per file)."""
        text, root = str(path), str(self.root)
        prefix = root if root.endswith(os.sep) else root + os.sep
        if text.startswith(prefix):
            inner = text[len(prefix):]
            return inner.replace(os.sep, "/") if os.sep != "/" else inner
        return "." if text == root else path.as_posix()


@dataclass(slots=True)
class ModDecl:
    """A `mod` item found in one file (out-of-line `mod foo;` or inline `mod foo { }`)."""

    name: str
    line: int
    column: int
    inline: bool
    path_attr: str | None = None  # value of #[path = "..."]
    cfg_test: bool = False  # gated by #[cfg(test)]
    # Out-of-line declarations: enclosing inline modules in the same file, outermost first: (name, path_attr).
    # Empty for inline modules (their enclosing items are in the file's items).
    parents: tuple[tuple[str, str | None], ...] = ()
    # paths of `#[cfg_attr(pred, path = "...")]`: the file is one of these, or the default one
    cfg_paths: tuple[str, ...] = ()
    # `mod x;` inside a macro call: "cfg(..)" of its `cfg_if!` branch, "?" when no cfg tells (another macro)
    macro_cfg: str = ""
    # with "?": the macro whose arguments hold the declaration directly ("" when none or a path `a::m!`)
    macro_name: str = ""
    decl_cfgs: tuple[str, ...] = ()  # inside a macro call: the `#[cfg(..)]`s written on the declaration


class ModuleInfo(msgspec.Struct):
    """Where one file sits in a crate's module tree."""

    file: Path
    package: str
    target: str
    target_kind: str
    module_path: str  # e.g. "crate::net::http"
    is_test: bool  # reached through #[cfg(test)] or is a test/bench target root


class MissingModule(msgspec.Struct):
    file: Path  # file holding the declaration
    name: str
    line: int
    column: int
    tried: list[Path] = msgspec.field(default_factory=list)


class ModuleTree(msgspec.Struct):
    modules: dict[Path, list[ModuleInfo]] = msgspec.field(default_factory=dict)  # a file may be in several targets
    orphans: list[Path] = msgspec.field(default_factory=list)  # .rs files no target reaches
    missing: list[MissingModule] = msgspec.field(default_factory=list)
    # `mod x;` where both `x.rs` and `x/mod.rs` exist (rustc E0761); `tried` holds the two files.
    ambiguous: list[MissingModule] = msgspec.field(default_factory=list)
    errors: list[FileError] = msgspec.field(default_factory=list)  # module files the path policy refuses
