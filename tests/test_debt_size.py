"""RT210 oversized-file (with its decomposition proposal) and RT211 oversized-function."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, check_json

from rust_triage.engine.registry import load_registry
from rust_triage.families.debt.common import snake_case
from rust_triage.parse.extract import extract_file
from rust_triage.pipeline import Options, analyse

WORKSPACE = FIXTURES / "debt"
CRATE = WORKSPACE / "crates" / "sizes"
ENGINE = "crates/sizes/src/engine.rs"
REPORT = "crates/sizes/src/report.rs"


@pytest.fixture(scope="module")
def report() -> dict:
    return check_json(str(CRATE), "--select", "RT210,RT211")


@pytest.fixture(scope="module")
def proposal(report: dict) -> dict:
    finding = next(f for f in report["findings"] if f["rule"] == "RT210")
    return finding["detail"]["proposal"]


def top_level_items() -> list:
    facts = extract_file((WORKSPACE / ENGINE).read_bytes())
    return [it for it in facts.items if it.parent == -1]


def test_oversized_file_exact(report: dict) -> None:
    found = [(f["rule"], f["file"], f["line"]) for f in report["findings"]]
    assert found == [("RT210", ENGINE, 1), ("RT211", REPORT, 9)]
    detail = report["findings"][0]["detail"]
    assert detail["threshold"] == 300
    assert 800 < detail["code_lines"] < 900  # tests excluded...
    assert 15 < detail["test_code_lines"] < 30  # ...and counted apart
    assert detail["total_lines"] > 1000
    assert "split into crates/sizes/src/engine/" in report["findings"][0]["fix_hint"]


def test_oversized_function(report: dict) -> None:
    f = next(f for f in report["findings"] if f["rule"] == "RT211")
    assert f["symbol"] == "crate::report::render_report"
    assert f["detail"]["code_lines"] == 90  # comment-only and blank lines not counted
    assert f["detail"]["span_lines"] > 170


def test_each_type_stays_with_its_impls(proposal: dict) -> None:
    module_of: dict[str, str] = {}
    impls: list[tuple[str, str]] = []
    for m in proposal["modules"]:
        for it in m["items"]:
            if it["kind"] == "impl":
                self_type = it["name"].rsplit(" for ", 1)[-1].removeprefix("impl ")
                impls.append((self_type, m["name"]))
            else:
                module_of[it["name"]] = m["name"]
    assert impls
    for self_type, module in impls:
        assert module_of[self_type] == module, f"impl of {self_type} is not with the type"


def test_pub_use_lines_cover_every_public_item(proposal: dict) -> None:
    public = {it.name for it in top_level_items() if it.vis == "pub" and it.kind not in ("impl", "mod")}
    assert len(public) > 20
    kept = {it["name"] for it in proposal["keep"]}
    exported: set[str] = set()
    for line in proposal["parent_lines"]:
        m = re.fullmatch(r"pub use (\w+)::\{?([\w, ]+)\}?;", line)
        if m:
            exported.update(n.strip() for n in m.group(2).split(","))
    assert public <= exported | kept
    assert not exported & kept
    for m in proposal["modules"]:
        assert f"mod {m['name']};" in proposal["parent_lines"]


def test_every_movable_item_is_placed_once(proposal: dict) -> None:
    placed = [it["line"] for m in proposal["modules"] for it in m["items"]] + [it["line"] for it in proposal["keep"]]
    assert len(placed) == len(set(placed)) == len(top_level_items())
    assert [it["name"] for it in proposal["keep"]] == ["tests"]  # the test module stays (RT220 moves it)


def test_modules_are_coherent(proposal: dict) -> None:
    module_of = {it["name"]: m["name"] for m in proposal["modules"] for it in m["items"]}
    concerns = [
        ["Lexer", "Token", "TokenKind", "tokenize", "LexError", "keyword_kind", "is_ident_char", "MAX_TOKEN_LEN"],
        ["Parser", "ParseError", "parse", "operator_char"],
        ["Evaluator", "Value", "EvalError", "Env", "evaluate", "builtin_sqrt", "builtin_table", "MAX_STEPS"],
        ["Printer", "PrintOptions", "pretty", "op_name"],
        ["Stats", "collect_stats", "histogram", "walk", "Visitor", "LevelCounter"],
    ]
    homes = []
    for names in concerns:
        home = {module_of[n] for n in names}
        assert len(home) == 1, f"{names} are split over {home}"
        homes.append(home.pop())
    assert len(set(homes)) == len(concerns)  # and no two concerns share a module
    assert set(homes) == {"lexer", "parser", "evaluator", "printer", "stats"}
    assert module_of["Expr"] not in {"lexer", "evaluator"}  # the shared AST joins its producer or its own module
    for m in proposal["modules"]:
        assert m["path"] == f"crates/sizes/src/engine/{m['name']}.rs"
        assert m["lines"] <= 300
        assert m["items"] == sorted(m["items"], key=lambda it: it["line"])


def apply_proposal(root: Path, rel: str, proposal: dict) -> None:
    """Do what the proposal says: move the line ranges, add `use super::*;` and the parent lines."""
    path = root / rel
    lines = path.read_text().splitlines()
    moved: set[int] = set()
    for m in proposal["modules"]:
        assert not m["visibility_changes"]
        body = ["use super::*;", ""]
        for it in m["items"]:
            body += lines[it["line"] - 1: it["end_line"]] + [""]
            moved.update(range(it["line"], it["end_line"] + 1))
        target = root / m["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(body))
    kept = [line for n, line in enumerate(lines, start=1) if n not in moved]
    path.write_text("\n".join(kept + [""] + proposal["parent_lines"]) + "\n")


def test_applied_proposal_compiles_with_the_same_api(proposal: dict, cargo: str, tmp_path: Path) -> None:
    copy = tmp_path / "ws"
    shutil.copytree(WORKSPACE, copy, ignore=shutil.ignore_patterns("target"))
    apply_proposal(copy, ENGINE, proposal)
    public = sorted(it.name for it in top_level_items() if it.vis == "pub" and it.kind not in ("impl", "mod"))
    api = copy / "crates" / "sizes" / "tests" / "api_paths.rs"
    api.parent.mkdir(exist_ok=True)
    api.write_text("#[allow(unused_imports)]\nuse sizes::engine::{" + ", ".join(public) + "};\n")
    env = {**os.environ, "CARGO_TARGET_DIR": str(tmp_path / "target")}
    proc = subprocess.run([cargo, "check", "--offline", "-p", "sizes", "--tests", "--quiet"], cwd=copy,
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (copy / "crates/sizes/src/engine/lexer.rs").exists()
    assert len((copy / ENGINE).read_text().splitlines()) < 150


def test_thresholds_are_configurable() -> None:
    analysis = analyse(Options(paths=[CRATE], no_cache=True, select=["RT210", "RT211"]))
    ctx = analysis.context
    rules = load_registry().by_id()
    ctx.config.thresholds = {"oversized-file-lines": 2000, "oversized-function-lines": 25}
    assert list(rules["RT210"].check(ctx)) == []
    long_fns = {f.symbol: f.detail["code_lines"] for f in rules["RT211"].check(ctx)}
    assert long_fns == {"crate::report::render_report": 90, "crate::engine::Evaluator::eval": 34,
                        "crate::engine::Evaluator::eval_binary": 26}


def test_small_threshold_splits_small_files() -> None:
    analysis = analyse(Options(paths=[WORKSPACE / "crates" / "testorg"], no_cache=True, select=["RT210"]))
    ctx = analysis.context
    ctx.config.thresholds = {"oversized-file-lines": 10}
    found = {f.file: f for f in load_registry().by_id()["RT210"].check(ctx)}
    storage = found["crates/testorg/src/storage.rs"]
    # one type with its impls: nothing worth a module of its own
    assert storage.detail["proposal"]["modules"] == []
    assert [it["name"] for it in storage.detail["proposal"]["keep"]] == ["Disk", "impl Disk", "impl Default for Disk"]
    assert "cohesive unit around `Disk`" in storage.fix_hint
    math = found["crates/testorg/src/math.rs"].detail["proposal"]
    assert math["modules"] == []  # three tiny unrelated fns: nothing to gain from new files


@pytest.mark.parametrize(("name", "snake"), [("HttpServer", "http_server"), ("HTTPServer", "http_server"),
                                             ("MAX_LEN", "max_len"), ("Type", "type_"), ("parse", "parse")])
def test_snake_case(name: str, snake: str) -> None:
    assert snake_case(name) == snake


def test_engine_fixture_is_what_the_generator_writes(tmp_path: Path) -> None:
    out = tmp_path / "engine.rs"
    proc = subprocess.run([sys.executable, str(CRATE / "gen_engine.py"), "--out", str(out)], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert out.read_text() == (WORKSPACE / ENGINE).read_text()
