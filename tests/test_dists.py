"""Entry points and versions read from `.dist-info` folders: what `importlib.metadata` returns, without its import."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import DEMO, REPO, modules_imported_by

# Prints, as JSON, what both readers find for the groups and distributions named on the command line.
_COMPARE = """
import json, sys
from importlib import metadata
from rust_triage.parse import dists
groups, names = sys.argv[1].split(","), sys.argv[2].split(",")
def version(name):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
print(json.dumps({
    "ours": [[(e.name, e.value, e.dist_name) for e in dists.entry_points(g)] for g in groups]
            + [[dists.version(n) for n in names]],
    "stdlib": [[(e.name, e.value, dists.normalized(e.dist.name)) for e in metadata.entry_points(group=g)]
               for g in groups] + [[version(n) for n in names]],
    "fallback": dists._distributions() is None,
}))
"""


def _compare(pythonpath: list[Path], groups: str, names: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(p) for p in pythonpath)}
    proc = subprocess.run([sys.executable, "-c", _COMPARE, groups, names], capture_output=True, text=True,
                          env=env, cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def _dist_info(folder: Path, name: str, version: str, entry_points: str) -> None:
    info = folder / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nbody\n")
    (info / "entry_points.txt").write_text(entry_points)


def test_installed_entry_points_and_versions_match_importlib_metadata() -> None:
    found = _compare([], "rust_triage.rules,rust_triage.extractors,console_scripts",
                     "tree-sitter,tree-sitter-rust,msgspec,rust-triage,no-such-dist")
    assert not found["fallback"]
    assert found["ours"] == found["stdlib"]
    assert found["ours"][0]  # type: ignore[index]


def test_first_distribution_on_the_path_wins_and_sections_are_read_as_ini(tmp_path: Path) -> None:
    points = "# a comment\n[rust_triage.rules]\n  extra = extra_mod:RULES  \n\n[other]\nx = y\n"
    _dist_info(tmp_path / "first", "Extra.Rules", "1.0", points)
    _dist_info(tmp_path / "second", "extra_rules", "2.0", "[rust_triage.rules]\nshadowed = gone:RULES\n")
    found = _compare([tmp_path / "first", tmp_path / "second"], "rust_triage.rules,other", "extra-rules")
    assert not found["fallback"]
    assert found["ours"] == found["stdlib"]
    assert ["extra", "extra_mod:RULES", "extra_rules"] in found["ours"][0]  # type: ignore[index]
    assert found["ours"][2] == ["1.0"]  # type: ignore[index]


def test_a_zip_on_the_path_falls_back_to_importlib_metadata(tmp_path: Path) -> None:
    _dist_info(tmp_path / "src", "zipped", "3.0", "[rust_triage.rules]\nz = zmod:RULES\n")
    archive = tmp_path / "plugins.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for path in (tmp_path / "src").rglob("*"):
            z.write(path, path.relative_to(tmp_path / "src"))
    found = _compare([archive], "rust_triage.rules", "zipped")
    assert found["fallback"]
    assert found["ours"] == found["stdlib"]
    assert found["ours"][1] == ["3.0"]  # type: ignore[index]




@pytest.mark.parametrize("module", ["importlib.metadata", "importlib.readers", "email"])
def test_a_one_file_run_does_not_import_the_metadata_machinery(tmp_path: Path, module: str) -> None:
    demo = tmp_path / "demo"
    shutil.copytree(DEMO, demo)
    target = demo / "crates" / "server" / "src" / "handlers.rs"
    listing = tmp_path / "modules.txt"
    imported = modules_imported_by(listing, "check", str(target), "--format", "json",
                                   "--cache-dir", str(tmp_path / "cache"), "-o", str(tmp_path / "out.json"))
    assert module not in imported


def test_a_package_with_undecodable_metadata_is_skipped(tmp_path: Path) -> None:
    _dist_info(tmp_path / "bad", "broken", "1.0", "")
    info = tmp_path / "bad" / "broken-1.0.dist-info"
    (info / "entry_points.txt").write_bytes(b"[rust_triage.rules]\nx = \xff\xfe:RULES\n")
    (info / "METADATA").write_bytes(b"Metadata-Version: 2.1\nName: broken\nVersion: \xff\n")
    code = ("import sys\nfrom rust_triage.parse import dists\n"
            "print([e.dist_name for e in dists.entry_points('rust_triage.rules')], dists.version('broken'))")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "bad")}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    names, version = proc.stdout.rsplit(" ", 1)
    assert "broken" not in names and version.strip() == "None"
