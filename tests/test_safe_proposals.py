"""Split and extraction proposals that are safe to apply: none for generated or unparsable files, one
`pub use` per name, modules under the threshold, no `examples/tests.rs`, `crate::` rewritten for the
integration-test form, and a private method counted as used only when its own type is called."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, check_json

PROPOSALS = FIXTURES / "proposals"


@pytest.fixture(scope="module")
def findings() -> dict[tuple[str, str], dict]:
    report = check_json(str(PROPOSALS), "--select", "RT210,RT220")
    return {(f["rule"], f["file"]): f for f in report["findings"]}


def test_generated_files_get_no_split_proposal(findings: dict) -> None:
    header = findings[("RT210", "src/generated.rs")]
    assert header["detail"]["proposal"]["modules"] == []
    assert header["fix_hint"] == 'no split proposal: its header says it is generated ("@generated")'
    written = findings[("RT210", "src/written.rs")]
    assert written["detail"]["proposal"]["modules"] == []
    assert written["fix_hint"] == "no split proposal: the build script `build.rs` writes it"


def test_files_with_syntax_errors_get_no_split_proposal(findings: dict) -> None:
    broken = findings[("RT210", "src/broken.rs")]
    assert broken["detail"]["proposal"]["modules"] == []
    assert "does not parse" in broken["fix_hint"] and "line 41" in broken["fix_hint"]


def test_pub_use_deduplicated_and_modules_under_threshold(findings: dict) -> None:
    proposal = findings[("RT210", "src/big.rs")]["detail"]["proposal"]
    threshold = findings[("RT210", "src/big.rs")]["detail"]["threshold"]
    for module in proposal["modules"]:
        for line in module["pub_use"]:
            names = line.split("::", 1)[1].strip("{};").split(", ")
            assert len(names) == len(set(names)), line
        multi_unit = len({i["name"] for i in module["items"] if not i["name"].startswith("impl ")}) > 1
        assert module["lines"] <= threshold or not multi_unit, module["path"]
    assert any(m["pub_use"] and "twin" in m["pub_use"][0] for m in proposal["modules"])


def test_extraction_never_targets_an_autodiscovered_directory(findings: dict) -> None:
    plan = findings[("RT220", "examples/demo.rs")]["detail"]["plan"]
    assert plan["in_crate"]["path"] == "examples/demo/tests.rs"
    assert plan["in_crate"]["replace_with"] == '#[cfg(test)]\n#[path = "demo/tests.rs"]\nmod tests;'


def test_integration_form_rewrites_crate_paths_and_ignores_other_types_new(findings: dict) -> None:
    plan = findings[("RT220", "src/lib.rs")]["detail"]["plan"]
    assert plan["private_items_used"] == []  # `Open::new()` is not the private `Hidden::new`
    assert plan["form"] == "integration"
    assert plan["integration"]["rewrite"] == [{"from": "crate::", "to": "safe::"}]
    assert "`crate::` with `safe::`" in findings[("RT220", "src/lib.rs")]["fix_hint"]
