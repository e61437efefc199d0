"""Reading one Cargo.toml: the package it declares and its targets, the way cargo infers them."""

from __future__ import annotations

import copy
import os
import re
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

import msgspec

from rust_triage.workspace.model import Package, Target
from rust_triage.workspace.safepath import PathRefused, is_regular_file, read_file, real_roots

MANIFEST_NAME = "Cargo.toml"

# Order of target kinds in `cargo metadata` output; within a kind targets are sorted by name.
_KIND_RANK = {"lib": 0, "proc-macro": 0, "bin": 1, "example": 2, "test": 3, "bench": 4, "custom-build": 5}
_TOML_LINE = re.compile(r"at line (\d+)")
_DEP_TABLES = (
    "dependencies",
    "dev-dependencies",
    "dev_dependencies",
    "build-dependencies",
    "build_dependencies",
)


class ManifestError(Exception):
    """A Cargo.toml that cannot be used: unreadable, invalid TOML or missing required keys."""

    def __init__(self, path: Path, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.message = message
        self.line = line


class Manifest(msgspec.Struct):
    """A parsed Cargo.toml."""

    path: Path
    data: dict[str, Any]

    @property
    def dir(self) -> Path:
        return self.path.parent

    @property
    def package_table(self) -> dict[str, Any] | None:
        table = self.data.get("package", self.data.get("project"))
        return table if isinstance(table, dict) else None

    @property
    def workspace_table(self) -> dict[str, Any] | None:
        table = self.data.get("workspace")
        return table if isinstance(table, dict) else None

    @property
    def is_virtual(self) -> bool:
        return self.package_table is None


class LoadedPackage(msgspec.Struct):
    package: Package
    problems: list[str] = msgspec.field(default_factory=list)  # non-fatal manifest problems


# Parsed manifests by content: a run finds the governing workspace, then discovers it, reading each
# member's Cargo.toml both times.
_PARSED: dict[bytes, dict[str, Any]] = {}
_PARSED_MAX = 4096


def read_manifest(path: Path) -> Manifest:
    """Parse `path`; raises ManifestError with the TOML error line when it is not valid TOML."""
    try:
        # wherever it is (ancestors are read too), but regular, bounded, and not a link leading out of
        # its own directory (a symlinked Cargo.toml must not pull an outside file into the reports)
        raw = read_file(path, real_roots([path.parent]))
    except PathRefused as refused:
        raise ManifestError(path, f"cannot read manifest: {refused.reason}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ManifestError(path, f"manifest is not valid UTF-8 (byte {exc.start})") from None
    parsed = _PARSED.get(raw)
    if parsed is not None:  # the same bytes parsed earlier in this process (one run discovers twice)
        return Manifest(path, copy.deepcopy(parsed))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        line = int(match.group(1)) if match else None
        raise ManifestError(path, f"invalid TOML: {exc}", line) from None
    except RecursionError:
        raise ManifestError(path, "invalid TOML: arrays or tables nested too deeply") from None
    if len(_PARSED) >= _PARSED_MAX:
        _PARSED.clear()
    _PARSED[raw] = copy.deepcopy(data)  # callers may keep (and change) the tables they are given
    return Manifest(path, data)


def load_package(manifest: Manifest, workspace: Manifest | None) -> LoadedPackage:
    """The package declared by `manifest`; `workspace` is the root manifest used for inherited keys."""
    table = manifest.package_table
    if table is None:
        raise ManifestError(manifest.path, "manifest has no [package] table")
    name = table.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ManifestError(manifest.path, "[package] has no `name`")
    problems: list[str] = []
    edition = _edition(table, workspace, problems)
    metadata = table.get("metadata")
    package = Package(
        name=name,
        manifest=manifest.path,
        edition=edition,
        metadata=metadata if isinstance(metadata, dict) else {},
    )
    package.targets = package_targets(manifest, name, edition, problems)
    return LoadedPackage(package, problems)


def _edition(table: dict[str, Any], workspace: Manifest | None, problems: list[str]) -> str:
    value = table.get("edition", "2015")
    if isinstance(value, dict) and value.get("workspace") is True:
        ws_table = workspace.workspace_table if workspace else None
        ws_package = ws_table.get("package") if ws_table else None
        inherited = ws_package.get("edition") if isinstance(ws_package, dict) else None
        if isinstance(inherited, str):
            return inherited
        problems.append(
            "`edition.workspace = true` but the workspace root has no [workspace.package] edition"
        )
        return "2015"
    if isinstance(value, str):
        return value
    problems.append(f"`package.edition` must be a string, found {value!r}")
    return "2015"


def path_dependency_dirs(manifest: Manifest, workspace: Manifest | None) -> list[Path]:
    """Directories of the `path` dependencies of a package (all dependency kinds and targets)."""
    tables: list[Any] = [manifest.data.get(key) for key in _DEP_TABLES]
    platform_tables = manifest.data.get("target")
    if isinstance(platform_tables, dict):
        for platform in platform_tables.values():
            if isinstance(platform, dict):
                tables.extend(platform.get(key) for key in _DEP_TABLES)
    ws_deps: Any = (workspace.workspace_table or {}).get("dependencies") if workspace else None
    out: list[Path] = []
    for deps in tables:
        if not isinstance(deps, dict):
            continue
        for dep_name, spec in deps.items():
            if not isinstance(spec, dict):
                continue
            if isinstance(spec.get("path"), str):
                out.append(normalize(manifest.dir / spec["path"]))
            elif spec.get("workspace") is True and workspace is not None and isinstance(ws_deps, dict):
                ws_spec = ws_deps.get(dep_name)
                if isinstance(ws_spec, dict) and isinstance(ws_spec.get("path"), str):
                    out.append(normalize(workspace.dir / ws_spec["path"]))
    return out


def normalize(path: Path) -> Path:
    return Path(os.path.normpath(path))


# ---------------------------------------------------------------------------------------------
# Targets


def package_targets(manifest: Manifest, package_name: str, edition: str, problems: list[str]) -> list[Target]:
    """Targets of a package: explicit `[lib]`/`[[bin]]`/... tables merged with auto-discovered ones."""
    root = manifest.dir
    data = manifest.data
    table = manifest.package_table or {}
    targets: list[Target] = []

    lib = _lib_target(data.get("lib"), table, root, package_name, edition, problems)
    if lib is not None:
        targets.append(lib)

    inferred_bins: list[tuple[str, Path]] = []
    if is_regular_file(root / "src" / "main.rs"):
        inferred_bins.append((package_name, root / "src" / "main.rs"))
    inferred_bins.extend(_infer_from_directory(root / "src" / "bin"))

    def legacy_bin(name: str) -> Path | None:
        candidates = [root / "src" / f"{name}.rs"] if lib is None else []
        candidates += [root / "src" / "main.rs", root / "src" / "bin" / "main.rs"]
        return next((c for c in candidates if is_regular_file(c)), None)

    def legacy_bench(name: str) -> Path | None:
        path = root / "src" / "bench.rs"
        return path if name == "bench" and is_regular_file(path) else None

    sections = (
        ("bin", "bin", "autobins", inferred_bins, legacy_bin),
        ("example", "example", "autoexamples", _infer_from_directory(root / "examples"), None),
        ("test", "test", "autotests", _infer_from_directory(root / "tests"), None),
        ("bench", "bench", "autobenches", _infer_from_directory(root / "benches"), legacy_bench),
    )
    for kind, section, auto_key, inferred, legacy in sections:
        entries = _merge_with_inferred(
            data.get(section), inferred, table.get(auto_key), edition, root, kind, problems
        )
        for entry in entries:
            name = entry.get("name")
            if not isinstance(name, str) or not name:
                problems.append(f"a [[{section}]] target has no `name`")
                continue
            path = _target_path(entry, name, inferred, root, edition, legacy, kind, problems)
            if path is not None:
                targets.append(Target(name=name, kind=kind, src_path=path))

    for build_path in _build_scripts(table.get("build"), root, problems):
        targets.append(
            Target(name=f"build-script-{build_path.stem}", kind="custom-build", src_path=build_path)
        )

    targets.sort(key=lambda t: (_KIND_RANK.get(t.kind, 9), t.name))
    return targets


def _lib_target(
    lib: Any, table: dict[str, Any], root: Path, package_name: str, edition: str, problems: list[str]
) -> Target | None:
    inferred = root / "src" / "lib.rs"
    has_inferred = table.get("autolib") is not False and is_regular_file(inferred)
    if lib is None:
        if not has_inferred:
            return None
        lib = {}
    if not isinstance(lib, dict):
        problems.append("[lib] must be a table")
        return None
    name = lib.get("name")
    if not isinstance(name, str) or not name:
        name = package_name.replace("-", "_")
    path_value = lib.get("path")
    if isinstance(path_value, str):
        path = normalize(root / path_value)
    elif is_regular_file(inferred):
        path = normalize(inferred)
    elif edition == "2015" and is_regular_file(root / "src" / f"{name}.rs"):
        path = normalize(root / "src" / f"{name}.rs")
    else:
        problems.append(f"can't find library `{name}`: no src/lib.rs and no [lib] path")
        return None
    crate_types = lib.get("crate-type", lib.get("crate_type", []))
    is_proc_macro = lib.get("proc-macro", lib.get("proc_macro")) is True or (
        isinstance(crate_types, list) and "proc-macro" in crate_types
    )
    return Target(name=name, kind="proc-macro" if is_proc_macro else "lib", src_path=path)


def _infer_from_directory(directory: Path) -> list[tuple[str, Path]]:
    """`dir/*.rs` and `dir/*/main.rs`, named after the file stem or the sub-directory."""
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:
        return []
    found: list[tuple[str, Path]] = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if _is_dir(entry):
            main = Path(entry.path) / "main.rs"
            if is_regular_file(main):
                found.append((entry.name, main))
        elif entry.name.endswith(".rs"):
            found.append((entry.name[:-3], Path(entry.path)))
    return found


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _merge_with_inferred(
    declared: Any,
    inferred: list[tuple[str, Path]],
    autodiscover: Any,
    edition: str,
    root: Path,
    kind: str,
    problems: list[str],
) -> list[dict[str, Any]]:
    """Cargo's rule: explicit targets, plus inferred ones whose name and path are not taken."""
    inferred_entries = [{"name": name, "path": str(path)} for name, path in inferred]
    if declared is None:
        return [] if autodiscover is False else inferred_entries
    if not isinstance(declared, list) or not all(isinstance(e, dict) for e in declared):
        problems.append(f"[[{kind}]] must be an array of tables")
        return [] if autodiscover is False else inferred_entries
    entries = list(declared)
    seen_names = {e.get("name") for e in entries}
    seen_paths = {normalize(root / e["path"]) for e in entries if isinstance(e.get("path"), str)}
    remaining = [
        e
        for e in inferred_entries
        if e["name"] not in seen_names and normalize(Path(e["path"])) not in seen_paths
    ]
    enabled = autodiscover if isinstance(autodiscover, bool) else edition != "2015"
    return entries + remaining if enabled else entries


def _target_path(
    entry: dict[str, Any],
    name: str,
    inferred: list[tuple[str, Path]],
    root: Path,
    edition: str,
    legacy: Any,
    kind: str,
    problems: list[str],
) -> Path | None:
    if isinstance(entry.get("path"), str):
        return normalize(root / entry["path"])
    matching = [path for inferred_name, path in inferred if inferred_name == name]
    if len(matching) == 1:
        return normalize(matching[0])
    if edition == "2015" and legacy is not None:
        legacy_path = legacy(name)
        if legacy_path is not None:
            return normalize(legacy_path)
    if matching:
        problems.append(f"cannot infer path for {kind} target `{name}`: several candidate files")
    else:
        problems.append(f"can't find {kind} target `{name}` at a default path; set its `path`")
    return None


def _build_scripts(build: Any, root: Path, problems: list[str]) -> list[Path]:
    if build is False:
        return []
    if build is True:
        return [normalize(root / "build.rs")]
    if isinstance(build, str):
        return [normalize(root / build)]
    if isinstance(build, list) and all(isinstance(b, str) for b in build):
        return [normalize(root / b) for b in build]
    if build is not None:
        problems.append(f"`package.build` must be a boolean, a path or a list of paths, found {build!r}")
        return []
    default = root / "build.rs"
    return [normalize(default)] if is_regular_file(default) else []
