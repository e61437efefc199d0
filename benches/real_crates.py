"""Real crates as mutation workspaces: copy a crate (e.g. from Debian's /usr/share/cargo/registry),
make it build offline against that registry, and pick the widest `cargo check` that is clean on it.

Debian's `librust-<crate>-dev` packages put crate sources in /usr/share/cargo/registry, a directory
source cargo can build from offline. Dev-dependencies are mostly not packaged, so they are dropped
from the copy's manifest; the unit tests are still checked (`--profile test`) when they build without
them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

DEBIAN_REGISTRY = Path("/usr/share/cargo/registry")

# Tried in order; the first whose `cargo check` is clean on the unmutated crate is used.
CHECK_MODES: tuple[tuple[str, ...], ...] = (
    ("--all-targets",),  # lib, bins, tests, benches, examples
    ("--lib", "--bins", "--profile", "test"),  # unit tests (cfg(test)) without the integration tests
    ("--lib", "--bins"),
)


def strip_dev_dependencies(manifest: str) -> str:
    """The manifest without its `[dev-dependencies]` tables (also target-specific ones)."""
    out: list[str] = []
    skipping = False
    for line in manifest.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            skipping = "dev-dependencies" in stripped.split("]", 1)[0]
        if not skipping:
            out.append(line)
    return "\n".join(out) + "\n"


def prepare_crate(source: Path, dest: Path, registry: Path = DEBIAN_REGISTRY) -> Path:
    """Copy crate `source` to `dest`, ready for `cargo check --offline` against `registry`."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("target", ".cargo-checksum.json", "Cargo.lock"))
    manifest = dest / "Cargo.toml"
    manifest.write_text(strip_dev_dependencies(manifest.read_text(encoding="utf-8")), encoding="utf-8")
    config = dest / ".cargo" / "config.toml"
    config.parent.mkdir(exist_ok=True)
    config.write_text(
        '[source.crates-io]\nreplace-with = "local-registry"\n'
        f'[source.local-registry]\ndirectory = "{registry}"\n', encoding="utf-8")
    return dest
