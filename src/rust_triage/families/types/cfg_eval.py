"""Evaluate `#[cfg(...)]` predicates as `cargo check` builds a package here by default: its features
(the `default` feature and what it enables) and the host platform (`unix`, `windows`, `target_os`,
`target_family`, `target_arch`, `target_pointer_width`, `target_endian`, and `target_feature` on an
x86_64 host). `miri`, `doc` and `doctest` are false (only Miri and rustdoc set them). Anything else is
unknown: None."""

from __future__ import annotations

import os
import platform
import re
import struct
import sys
from typing import Any

from rust_triage.parse.split_text import split_top_level
from rust_triage.workspace.manifest import ManifestError, read_manifest
from rust_triage.workspace.model import Package


def default_features(package: Package) -> frozenset[str]:
    """Features enabled by `default`, transitively (optional dependencies count as features)."""
    try:
        data = read_manifest(package.manifest).data
    except ManifestError:
        return frozenset()
    table: Any = data.get("features")
    if not isinstance(table, dict):
        return frozenset()
    enabled: set[str] = set()
    stack = ["default"]
    while stack:
        name = stack.pop()
        if name in enabled:
            continue
        enabled.add(name)
        for entry in table.get(name, []) if isinstance(table.get(name), list) else []:
            if isinstance(entry, str) and "/" not in entry:
                stack.append(entry.removeprefix("dep:"))
    return frozenset(enabled)


# `platform.machine()` -> rustc's `target_arch`
_ARCHES = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "aarch64", "arm64": "aarch64", "i386": "x86",
           "i686": "x86", "x86": "x86", "riscv64": "riscv64", "ppc64le": "powerpc64", "s390x": "s390x"}


def _host() -> tuple[frozenset[str], dict[str, str]]:
    """Bare cfg names that hold on this machine, and the `key = "value"` pairs."""
    machine: dict[str, str] = {"target_pointer_width": str(struct.calcsize("P") * 8), "target_endian": sys.byteorder}
    arch = _ARCHES.get(platform.machine().lower())
    if arch is not None:
        machine["target_arch"] = arch
    if sys.platform.startswith("win"):
        return frozenset({"windows"}), {"target_os": "windows", "target_family": "windows", **machine}
    os_name = {"darwin": "macos", "linux": "linux"}.get(sys.platform, sys.platform.rstrip("0123456789"))
    return frozenset({"unix"}), {"target_os": os_name, "target_family": "unix", **machine}


HOST_NAMES, HOST_VALUES = _host()

# `target_feature`s rustc enables by default for the host's target (`rustc --print cfg`), by `target_arch`.
# Only where the set is known; RUSTFLAGS naming a target cpu or feature change it: unknown then.
_DEFAULT_TARGET_FEATURES = {"x86_64": frozenset({"fxsr", "sse", "sse2"})}


def _host_target_features() -> frozenset[str] | None:
    flags = os.environ.get("RUSTFLAGS", "") + os.environ.get("CARGO_ENCODED_RUSTFLAGS", "") + \
        os.environ.get("CARGO_BUILD_RUSTFLAGS", "")
    if "target-cpu" in flags or "target-feature" in flags or "target_cpu" in flags or "target_feature" in flags:
        return None
    return _DEFAULT_TARGET_FEATURES.get(HOST_VALUES.get("target_arch", ""))


HOST_TARGET_FEATURES = _host_target_features()
_FALSE_NAMES = frozenset({"miri", "doc", "doctest"})  # set only by Miri and by rustdoc
_PLATFORM_NAMES = frozenset({"unix", "windows"})
_KEY_VALUE = re.compile(r'^([a-z_]+)\s*=\s*"([^"]*)"$')


def evaluate(predicate: str, features: frozenset[str]) -> bool | None:
    """`feature = "x"`, the host platform, `debug_assertions`, `not(..)`, `all(..)`, `any(..)`; None for
    anything else."""
    text = predicate.strip()
    pair = _KEY_VALUE.match(text)
    if pair is not None:
        key, value = pair.groups()
        if key == "feature":
            return value in features
        if key == "target_feature":
            return None if HOST_TARGET_FEATURES is None else value in HOST_TARGET_FEATURES
        return HOST_VALUES[key] == value if key in HOST_VALUES else None
    if text in _PLATFORM_NAMES:
        return text in HOST_NAMES
    if text == "debug_assertions":
        return True  # the dev profile's, which `cargo check` and `cargo build` use by default
    if text in _FALSE_NAMES:
        return False
    for op in ("not", "all", "any"):
        if text.startswith(op) and text[len(op):].lstrip().startswith("(") and text.endswith(")"):
            inner = text[text.index("(") + 1 : -1]
            values = [evaluate(p, features) for p in split_top_level(inner)]
            if op == "not":
                return None if len(values) != 1 or values[0] is None else not values[0]
            if op == "all":
                return False if False in values else None if None in values else True
            return True if True in values else None if None in values else False
    return None


def cfg_enabled(attr: str, features: frozenset[str]) -> bool | None:
    """For a `cfg(..)` attribute text: True / False when it depends on features only, else None."""
    text = attr.strip()
    if not (text.startswith("cfg") and text.endswith(")")):
        return None
    return evaluate(text[text.index("(") + 1 : -1], features)
