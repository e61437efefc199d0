"""Dead code is decided before proposals: no split (RT210) or extraction plan (RT220) is computed in a file
no target compiles, unless `--include-dead-code`; the findings themselves stay in JSON marked `dead_code`."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import check_json

THRESHOLD = 20


def _big_module(prefix: str) -> str:
    """Two unrelated groups of items, well over the threshold: a split proposal has two modules to offer."""
    parts = []
    for group in ("alpha", "beta"):
        parts.append(f"pub struct {prefix}{group.title()} {{\n    pub n: u32,\n}}\n")
        parts.append(f"impl {prefix}{group.title()} {{\n" + "".join(
            f"    pub fn {group}_{i}(&self) -> u32 {{\n        self.n + {i}\n    }}\n" for i in range(8)) + "}\n")
    tests = "#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {\n        assert_eq!(1, 1);\n    }\n}\n"
    return "".join(parts) + tests


@pytest.fixture(scope="module")
def crate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("deadprop")
    (root / "Cargo.toml").write_text('[package]\nname = "deadprop"\nversion = "0.1.0"\nedition = "2021"\n\n'
                                     f"[package.metadata.rust-triage.thresholds]\noversized-file-lines = {THRESHOLD}\n")
    (root / "src").mkdir()
    (root / "src/lib.rs").write_text("pub mod live;\n")
    (root / "src/live.rs").write_text(_big_module("Live"))
    (root / "src/legacy.rs").write_text(_big_module("Old"))  # no `mod legacy;`: no target compiles it
    return root


def _by_file(report: dict, rule: str) -> dict[str, dict]:
    return {f["file"]: f for f in report["findings"] if f["rule"] == rule}


def test_no_split_or_extraction_proposal_in_dead_files(crate: Path) -> None:
    report = check_json(str(crate), "--select", "RT210,RT220")
    split = _by_file(report, "RT210")
    assert set(split) == {"src/live.rs", "src/legacy.rs"}
    assert len(split["src/live.rs"]["detail"]["proposal"]["modules"]) >= 2
    dead = split["src/legacy.rs"]
    assert dead["dead_code"] is True
    assert dead["detail"]["proposal"]["modules"] == []
    assert dead["fix_hint"].startswith("no split proposal: no target compiles it (dead code)")
    extraction = _by_file(report, "RT220")
    assert extraction["src/live.rs"]["detail"]["plan"]["form"] in ("in-crate", "integration")
    skipped = extraction["src/legacy.rs"]
    assert skipped["dead_code"] is True
    assert skipped["detail"]["plan"]["form"] == "none"
    assert "in a file no target compiles" in skipped["message"]


def test_include_dead_code_still_proposes(crate: Path) -> None:
    report = check_json(str(crate), "--select", "RT210,RT220", "--include-dead-code")
    assert len(_by_file(report, "RT210")["src/legacy.rs"]["detail"]["proposal"]["modules"]) >= 2
    assert _by_file(report, "RT220")["src/legacy.rs"]["detail"]["plan"]["form"] in ("in-crate", "integration")
