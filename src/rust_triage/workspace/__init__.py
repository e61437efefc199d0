"""Workspace layer: Cargo workspace discovery, source file listing and the module tree."""

from rust_triage.workspace.discovery import discover, list_workspace_files
from rust_triage.workspace.files import list_source_files, select_files
from rust_triage.workspace.model import (
    TARGET_KINDS,
    MissingModule,
    ModDecl,
    ModuleInfo,
    ModuleTree,
    Package,
    Target,
    Workspace,
)
from rust_triage.workspace.modtree import build_module_tree

__all__ = [
    "TARGET_KINDS",
    "MissingModule",
    "ModDecl",
    "ModuleInfo",
    "ModuleTree",
    "Package",
    "Target",
    "Workspace",
    "build_module_tree",
    "discover",
    "list_source_files",
    "list_workspace_files",
    "select_files",
]
