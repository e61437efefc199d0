"""Finding the Cargo workspace that governs a path, and its member packages."""

from __future__ import annotations

import os
from pathlib import Path

import msgspec

from rust_triage.errors import FileError, UsageError
from rust_triage.workspace.ancestry import nearest_answer
from rust_triage.workspace.exclusions import (
    expand_entries,
    forget_exclusions,
    is_excluded,
    is_under,
    is_under_text,
)
from rust_triage.workspace.files import SourceNames, list_source_names
from rust_triage.workspace.manifest import (
    MANIFEST_NAME,
    Manifest,
    ManifestError,
    load_package,
    normalize,
    path_dependency_dirs,
    read_manifest,
)
from rust_triage.workspace.model import Package, Workspace
from rust_triage.workspace.safepath import (
    PathRefused,
    check_file,
    is_inside,
    is_regular_file,
    named_path,
    real_roots,
)


class _ManifestCache:
    """Each Cargo.toml is read once per discovery."""

    def __init__(self) -> None:
        self._cache: dict[Path, Manifest | ManifestError | None] = {}

    def get(self, path: Path) -> Manifest | ManifestError | None:
        """The manifest, the error reading it, or None when the file does not exist."""
        if path not in self._cache:
            if not is_regular_file(path):
                self._cache[path] = None
            else:
                try:
                    self._cache[path] = read_manifest(path)
                except ManifestError as exc:
                    self._cache[path] = exc
        return self._cache[path]


def discover(path: Path | str, list_files: bool = True) -> Workspace:
    """The workspace governing `path` (a file or directory anywhere inside a project).

    Raises UsageError when `path` does not exist; manifest problems are recorded in `Workspace.errors`.
    With `list_files=False` the source files are listed later, by `list_workspace_files` (a run stamps
    the tree in between, and the listing reuses what that walk saw).
    """
    ws = _discover(path)
    if list_files:
        list_workspace_files(ws)
    return ws


class _PendingListing(msgspec.Struct):
    root: Manifest | None  # the root manifest, whose `exclude` and members filter the listing (None: no filter)
    error_at: int  # where the listing's errors go in `Workspace.errors` (where listing first would put them)


def list_workspace_files(ws: Workspace) -> None:
    """List the .rs and .py files of a workspace `discover` left unlisted (nothing if it listed them)."""
    pending = ws.pending_listing
    if not isinstance(pending, _PendingListing):
        return
    ws.pending_listing = None
    errors: list[FileError] = []
    listing = list_source_names(ws.root, ws.extra_roots, errors)
    ws.errors[pending.error_at:pending.error_at] = errors
    if pending.root is None:
        ws.rust_files, ws.python_files = [Path(p) for p in listing.rust], [Path(p) for p in listing.python]
        return
    ws.python_files = _without_excluded(pending.root, [Path(p) for p in listing.python])
    ws.rust_files = [Path(p) for p in _without_foreign_packages(ws, listing)]


def _discover(path: Path | str) -> Workspace:
    start = Path(path)
    if not os.path.exists(start):
        raise UsageError(f"path does not exist: {path}")
    start = named_path(start)
    start_dir = start if os.path.isdir(start) else start.parent
    cache = _ManifestCache()
    forget_exclusions()  # manifests and globbed directories may have changed since the last discovery

    nearest = _nearest_manifest(start_dir)
    if nearest is None:
        return _fallback(
            start_dir, f"no {MANIFEST_NAME} found in {start_dir} or above: every .rs file is its own crate"
        )

    broken_ancestors: list[ManifestError] = []
    notes: list[str] = []
    root = _find_root(nearest, cache, broken_ancestors, notes)
    if root is None:
        # The nearest manifest is unusable and no workspace above claims its directory.
        loaded = cache.get(nearest)
        ws = _fallback(nearest.parent, f"{nearest} cannot be read: every .rs file is its own crate")
        ws.manifest = nearest
        if isinstance(loaded, ManifestError):
            ws.errors.append(_file_error(ws.root, loaded))
        ws.errors.extend(_file_error(ws.root, exc) for exc in broken_ancestors)
        return ws

    ws = _standalone(root) if root.workspace_table is None else _build_workspace(root, cache)
    ws.errors[:0] = [_file_error(ws.root, exc) for exc in broken_ancestors]
    ws.notes.extend(notes)
    if not ws.packages:
        ws.fallback = True
        ws.notes.append(f"{root.path} declares no usable package: every .rs file is its own crate")
    ws.extra_roots = [pkg.root for pkg in ws.packages if not is_under(pkg.root, ws.root)]
    ws.pending_listing = _PendingListing(root, len(ws.errors))
    return ws


def _without_foreign_packages(ws: Workspace, listing: SourceNames) -> list[str]:
    """The listed .rs files less those of nested packages that are not members: cargo builds them apart,
    if at all. Strings throughout: tens of thousands of files."""
    if ws.fallback:
        return listing.rust  # no usable package: every file is analysed on its own
    members = {str(pkg.root) for pkg in ws.packages} | {str(ws.root)}
    root = str(ws.root)
    owner: dict[str, bool] = {}  # directory -> inside a foreign package

    def has_manifest(directory: str) -> bool:
        # every directory between the root and a listed file was walked: only those naming a Cargo.toml
        # can hold one
        return directory in listing.manifest_dirs and os.path.isfile(os.path.join(directory, MANIFEST_NAME))

    def decide(directory: str) -> bool | None:
        if directory in members or os.path.dirname(directory) == directory or not is_under_text(directory, root):
            return False
        return True if has_manifest(directory) else None

    def foreign(directory: str) -> bool:
        return nearest_answer(directory, owner, decide, os.path.dirname)

    by_prefix: dict[str, bool] = {}  # the text before a file's last separator -> its directory's answer
    kept = []
    for name in listing.rust:
        prefix = name[: name.rfind(os.sep)]
        answer = by_prefix.get(prefix)
        if answer is None:
            answer = by_prefix[prefix] = foreign(os.path.dirname(name))
        if not answer:
            kept.append(name)
    if len(kept) != len(listing.rust):
        skipped = sorted({ws.rel(Path(d)) for d, is_foreign in owner.items() if is_foreign and has_manifest(d)})
        ws.notes.append(f"skipped {len(listing.rust) - len(kept)} .rs file(s) of nested packages that are not "
                        f"workspace members: {', '.join(skipped[:5])}{' …' if len(skipped) > 5 else ''}")
    return kept


def _without_excluded(root: Manifest, files: list[Path]) -> list[Path]:
    """Python files outside the workspace's `exclude` entries (Cargo's rule, as for member directories)."""
    if not (root.workspace_table or {}).get("exclude"):
        return files
    verdict: dict[Path, bool] = {}
    for path in files:
        if path.parent not in verdict:
            verdict[path.parent] = is_excluded(root, path.parent)
    return [p for p in files if not verdict[p.parent]]


def governing_root(path: Path | str) -> Path:
    """The root directory discover(path) would use, without listing any files (cheap)."""
    start = named_path(path)
    start_dir = start if os.path.isdir(start) else start.parent
    nearest = _nearest_manifest(start_dir)
    if nearest is None:
        return start_dir
    forget_exclusions()
    root = _find_root(nearest, _ManifestCache(), [], [])
    return root.path.parent if root is not None else nearest.parent


def _nearest_manifest(directory: Path) -> Path | None:
    for candidate_dir in (directory, *directory.parents):
        candidate = candidate_dir / MANIFEST_NAME
        if is_regular_file(candidate):
            return candidate
    return None


def _find_root(
    nearest: Path, cache: _ManifestCache, broken: list[ManifestError], notes: list[str]
) -> Manifest | None:
    """The root manifest of the workspace `nearest` belongs to (itself for a standalone package)."""
    loaded = cache.get(nearest)
    if isinstance(loaded, Manifest):
        if loaded.workspace_table is not None:
            return loaded
        pointer = (loaded.package_table or {}).get("workspace")
        if isinstance(pointer, str):
            target = cache.get(normalize(loaded.dir / pointer / MANIFEST_NAME))
            if isinstance(target, Manifest) and target.workspace_table is not None:
                return target
            notes.append(f"{nearest}: `package.workspace = {pointer!r}` does not point to a workspace root")
    for ancestor in nearest.parent.parents:
        candidate = ancestor / MANIFEST_NAME
        ancestor_manifest = cache.get(candidate)
        if ancestor_manifest is None:
            continue
        if isinstance(ancestor_manifest, ManifestError):
            broken.append(ancestor_manifest)
            continue
        if ancestor_manifest.workspace_table is None:
            continue
        member_dirs, _ = _member_dirs(ancestor_manifest, cache)
        if nearest.parent in member_dirs:
            return ancestor_manifest
        if isinstance(loaded, Manifest) and not is_excluded(ancestor_manifest, nearest.parent):
            notes.append(f"{nearest.parent} is not a member of the workspace at {ancestor}")
    return loaded if isinstance(loaded, Manifest) else None


def _fallback(directory: Path, note: str) -> Workspace:
    ws = Workspace(root=directory, manifest=None, fallback=True, notes=[note])
    ws.pending_listing = _PendingListing(None, 0)
    return ws


def _standalone(manifest: Manifest) -> Workspace:
    ws = Workspace(root=manifest.dir, manifest=manifest.path)
    package = _load_member(manifest, None, ws)
    if package is not None:
        ws.packages.append(package)
        ws.default_members = [package.name]
    return ws


def _build_workspace(root: Manifest, cache: _ManifestCache) -> Workspace:
    table = root.workspace_table or {}
    ws = Workspace(root=root.dir, manifest=root.path)
    metadata = table.get("metadata")
    ws.metadata = metadata if isinstance(metadata, dict) else {}

    member_dirs, problems = _member_dirs(root, cache)
    for problem in problems:
        ws.errors.append(FileError(ws.rel(root.path), "manifest", problem))
    by_dir: dict[Path, Package] = {}
    for member_dir in member_dirs:
        manifest_path = member_dir / MANIFEST_NAME
        loaded = cache.get(manifest_path)
        if loaded is None:
            what = "does not exist" if not os.path.exists(member_dir) else f"has no {MANIFEST_NAME}"
            ws.errors.append(
                FileError(ws.rel(root.path), "manifest", f"workspace member `{ws.rel(member_dir)}` {what}")
            )
            continue
        if isinstance(loaded, ManifestError):
            ws.errors.append(_file_error(ws.root, loaded))
            continue
        if loaded is not root and loaded.workspace_table is not None:
            ws.errors.append(
                FileError(
                    ws.rel(manifest_path), "manifest", "a workspace member cannot be a workspace root itself"
                )
            )
            continue
        outside = _outside_member_problem(loaded, root)
        if outside is not None:
            ws.errors.append(FileError(ws.rel(root.path), "outside-workspace", outside))
            continue
        package = _load_member(loaded, root, ws)
        if package is not None:
            ws.packages.append(package)
            by_dir[member_dir] = package

    default_entries = table.get("default-members")
    if isinstance(default_entries, list):
        for default_dir in expand_entries(root.dir, default_entries, ws.errors, ws.rel(root.path)):
            if default_dir in by_dir:
                ws.default_members.append(by_dir[default_dir].name)
            else:
                ws.errors.append(
                    FileError(
                        ws.rel(root.path),
                        "manifest",
                        f"default member `{ws.rel(default_dir)}` is not a workspace member",
                    )
                )
    elif root.is_virtual:
        ws.default_members = [pkg.name for pkg in ws.packages]
    elif root.dir in by_dir:
        ws.default_members = [by_dir[root.dir].name]
    return ws


def _load_member(manifest: Manifest, root: Manifest | None, ws: Workspace) -> Package | None:
    try:
        loaded = load_package(manifest, root)
    except ManifestError as exc:
        ws.errors.append(_file_error(ws.root, exc))
        return None
    for problem in loaded.problems:
        ws.errors.append(FileError(ws.rel(manifest.path), "manifest", problem))
    roots = real_roots((ws.root, manifest.dir))
    kept = []
    for target in loaded.package.targets:
        try:
            check_file(target.src_path, roots)
        except PathRefused as refused:
            missing = refused.is_absent
            ws.errors.append(FileError(
                ws.rel(manifest.path), "manifest" if missing else refused.kind,
                f"{target.kind} target `{target.name}`: source file {ws.rel(target.src_path)} "
                + ("does not exist" if missing else refused.reason),
            ))
            if not missing:
                continue  # never walked, never read
        kept.append(target)
    loaded.package.targets = kept
    return loaded.package


def _outside_member_problem(member: Manifest, root: Manifest) -> str | None:
    """Why a member outside the root directory is refused (None when it is inside or cargo accepts it).

    Cargo accepts a member outside the root only when its `package.workspace` points back to the root.
    """
    root_dir = real_roots((root.dir,))
    if is_inside(os.path.realpath(member.dir), root_dir):
        return None
    pointer = (member.package_table or {}).get("workspace")
    if isinstance(pointer, str) and os.path.realpath(normalize(member.dir / pointer)) == root_dir[0]:
        return None
    return (f"workspace member `{os.path.relpath(member.dir, root.dir)}` is outside the workspace root "
            "(cargo rejects it): not analysed")


def _member_dirs(root: Manifest, cache: _ManifestCache) -> tuple[list[Path], list[str]]:
    """Member package directories of a workspace root, in cargo's order, and problems met.

    The root package (if any), then `members` (globs expanded), then path dependencies of members
    that live under the root and are not excluded. Missing member directories are kept: the caller
    reports them.
    """
    table = root.workspace_table or {}
    problems: list[str] = []
    ordered: list[Path] = []
    seen: set[Path] = set()

    def add(directory: Path) -> None:
        if directory not in seen:
            seen.add(directory)
            ordered.append(directory)

    if not root.is_virtual:
        add(root.dir)
    members = table.get("members")
    if members is not None and not isinstance(members, list):
        problems.append("`workspace.members` must be an array of paths")
        members = None
    for member_dir in expand_entries(root.dir, members or [], None, ""):
        if not is_excluded(root, member_dir):
            add(member_dir)
    if members is not None and not all(isinstance(m, str) for m in members):
        problems.append("`workspace.members` entries must be strings")

    # Path dependencies of members that live inside the workspace become members too.
    index = 0
    while index < len(ordered):
        manifest = cache.get(ordered[index] / MANIFEST_NAME)
        index += 1
        if not isinstance(manifest, Manifest) or manifest.is_virtual:
            continue
        for dep_dir in path_dependency_dirs(manifest, root):
            if (
                is_under(dep_dir, root.dir)
                and not is_excluded(root, dep_dir)
                and is_regular_file(dep_dir / MANIFEST_NAME)
            ):
                add(dep_dir)
    return ordered, problems


def _file_error(ws_root: Path, exc: ManifestError) -> FileError:
    try:
        shown = exc.path.relative_to(ws_root).as_posix()
    except ValueError:
        shown = exc.path.as_posix()
    return FileError(shown, "manifest", exc.message, exc.line)
