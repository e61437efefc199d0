"""`--format github`: workflow-command annotations with GitHub's escaping rules."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import DEMO

from rust_triage.cli import main
from rust_triage.engine.model import Finding
from rust_triage.reporters.github_report import annotation, escape_data, escape_property

LINE = re.compile(r"^::(error|warning|notice) file=([^,]+),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),"
                  r"title=([^:]+)::(.*)$")


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main(["check", *args, "--no-cache", "-j", "1", "--format", "github"])
    return code, capsys.readouterr().out.splitlines()


def test_escaping_follows_the_workflow_command_rules() -> None:
    assert escape_data("50% done\r\nnext: a,b") == "50%25 done%0D%0Anext: a,b"
    assert escape_property("dir,x/a:b.rs%\n") == "dir%2Cx/a%3Ab.rs%25%0A"


def test_annotation_fields_and_severity_mapping() -> None:
    f = Finding(rule="RT001", name="unwrap-used", severity="medium", category="panic", file="src/a,b.rs",
                line=3, column=7, end_line=3, end_column=13, message="100% sure?\nno", fix_hint="use ?")
    text = annotation(f, f.file, 7, 13)
    assert text == ("::warning file=src/a%2Cb.rs,line=3,col=7,endLine=3,endColumn=13,title=RT001 unwrap-used::"
                    "100%25 sure?%0Ano%0AFix: use ?")
    f.severity = "critical"
    assert annotation(f, f.file, 7, 13).startswith("::error ")
    f.severity = "low"
    assert annotation(f, f.file, 7, 13).startswith("::notice ")


def test_demo_annotations(capsys: pytest.CaptureFixture[str]) -> None:
    code, lines = _run(capsys, str(DEMO), "--select", "RT0")
    assert code == 1
    parsed = [LINE.match(line) for line in lines if line.startswith("::")]
    assert len(parsed) == 8 and all(parsed), lines
    by_title = {(m.group(7), m.group(2), int(m.group(3))): m.group(1) for m in parsed if m}
    # DEMO lives inside this repository: paths are relative to the repository root, as Actions expects.
    # the level follows the risk: an env var unwrapped on a library path is high, a todo!() medium
    assert by_title[("RT004 todo-used", "fixtures/demo/crates/core/src/store.rs", 43)] == "warning"
    assert by_title[("RT001 unwrap-used", "fixtures/demo/crates/core/src/config.rs", 17)] == "error"
    assert by_title[("RT006 unreachable-used", "fixtures/demo/crates/core/src/metrics.rs", 20)] == "warning"
    assert lines[-1].startswith("rust-triage: 8 findings")


def test_columns_are_characters_and_paths_repo_relative(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    crate = repo / "rust" / "core"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text('[package]\nname = "core"\nversion = "0.1.0"\nedition = "2021"\n')
    line = '    let label = "naïve ✓"; label.parse::<u8>().unwrap()'
    (crate / "src" / "lib.rs").write_text(f"pub fn f() -> u8 {{\n{line}\n}}\n", encoding="utf-8")
    subprocess.run([git, "init", "-q"], cwd=repo, check=True)
    code, lines = _run(capsys, str(crate), "--select", "RT001")
    assert code == 1
    (match,) = [LINE.match(x) for x in lines if x.startswith("::")]
    assert match is not None
    assert match.group(2) == "rust/core/src/lib.rs"
    assert int(match.group(4)) == line.index("unwrap") + 1
    assert int(match.group(6)) == line.index("unwrap") + 1 + len("unwrap")
