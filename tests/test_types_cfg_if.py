"""Trait impls written inside `cfg_if::cfg_if!` (backtrace 0.3.67 writes `SymbolName`'s `Debug` impls there,
one per branch): such a call holds items as written, so a call naming both the type and the trait may
implement it and RT310 stays silent, as it does when the call holds another macro's call (which may write
any impl); a call naming the type without implementing the trait still leaves it reported.
rustc is the judge, with cfg-if from the Debian registry (skipped when it is not installed)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from rust_triage.pipeline import Options, analyse

REGISTRY = Path("/usr/share/cargo/registry")

MANIFEST = """\
[package]
name = "ws"
version = "0.1.0"
edition = "2021"

[workspace]

[features]
default = ["std"]
std = []
extra = []

[dependencies]
cfg-if = "1"
"""

SOURCE = """\
use std::fmt;

pub struct Name {
    bytes: Vec<u8>,
}

pub struct Plain {
    bytes: Vec<u8>,
}

pub struct Made;

macro_rules! impl_debug {
    ($t:ty) => {
        impl fmt::Debug for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("made")
            }
        }
    };
}

cfg_if::cfg_if! {
    if #[cfg(all(feature = "std", feature = "extra"))] {
        impl fmt::Debug for Name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:?}", self.bytes)
            }
        }
    } else {
        impl fmt::Debug for Name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "x{:?}", self.bytes)
            }
        }
        pub fn size(p: &Plain) -> usize {
            p.bytes.len()
        }
    }
}

cfg_if::cfg_if! {
    if #[cfg(feature = "std")] {
        impl_debug!(Made);
    }
}

pub struct Holder {
    name: Name,
    plain: Plain,
    made: Made,
}

impl fmt::Debug for Holder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Holder").field("name", &self.name).field("plain", &self.plain)
            .field("made", &self.made).finish()
    }
}
"""


def _workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    (ws / "src").mkdir(parents=True)
    (ws / "Cargo.toml").write_text(MANIFEST)
    (ws / "src" / "lib.rs").write_text(SOURCE)
    return ws


def test_an_impl_inside_cfg_if_is_seen_and_a_mere_mention_is_not(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    analysis = analyse(Options(paths=[ws], no_cache=True, jobs=1, select=["RT3"]))
    found = sorted((f.rule, f.line, f.message.split("`")[1]) for f in analysis.findings)
    assert found == [("RT310", 56, "Plain")]


@pytest.mark.skipif(not any(REGISTRY.glob("cfg-if-1.*")) or shutil.which("cargo") is None,
                    reason="needs cargo and cfg-if in the Debian registry")
def test_rustc_agrees(tmp_path: Path) -> None:
    ws = _workspace(tmp_path)
    (ws / ".cargo").mkdir()
    (ws / ".cargo" / "config.toml").write_text(
        f'[source.crates-io]\nreplace-with = "debian"\n[source.debian]\ndirectory = "{REGISTRY}"\n')
    proc = subprocess.run(["cargo", "check", "--offline", "--message-format=short"], cwd=ws, capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL,
                          env={**os.environ, "CARGO_TARGET_DIR": str(tmp_path / "target")})
    errors = [line for line in proc.stderr.splitlines() if ": error" in line]
    assert len(errors) == 1 and "src/lib.rs:56:" in errors[0] and "E0277" in errors[0], proc.stderr
