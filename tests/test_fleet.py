"""`rust-triage fleet` on the local engine: entries, the fleet-v1 report, text/HTML/SARIF, history, Ctrl-C."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import jsonschema
import pytest
from conftest import DEMO, FIXTURES, REPO, run_cli, sigint_as_a_terminal_sends_it

from rust_triage.errors import UsageError
from rust_triage.fleet.entries import find_workspace_roots, read_list_file, split_ref

MAKE_CORPUS = REPO / "benches" / "make_corpus.py"


def make_fleet(root: Path) -> Path:
    """A handful of workspaces and a list file naming them, one deliberately broken and one missing."""
    ws = root / "ws"
    shutil.copytree(DEMO, ws / "alpha")
    shutil.copytree(FIXTURES / "layouts" / "missing_mod", ws / "beta")  # a build breaker (RT011)
    shutil.copytree(FIXTURES / "types" / "broken", ws / "gamma")  # type-check build breakers (RT3xx)
    shutil.copytree(DEMO, ws / "delta")
    (ws / "delta" / "rust-triage.toml").write_text("this is = = not TOML\n")  # fails: invalid configuration
    shutil.copytree(FIXTURES / "layouts" / "single_crate", ws / "group" / "one")
    shutil.copytree(FIXTURES / "config", ws / "group" / "two")
    listing = root / "fleet.txt"
    listing.write_text("# the fleet\nws/alpha\nws/beta   name=beta-build\nws/gamma\nws/delta\n"
                       "ws/group          # searched for workspaces\nws/missing\n")
    return listing


def fleet_json(*args: str, cwd: Path, env: dict[str, str] | None = None) -> tuple[dict, subprocess.CompletedProcess]:
    proc = run_cli("fleet", *args, "--format", "json", "--no-cache", "--quiet", cwd=cwd, env=env)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout), proc


def without_timing(report: dict) -> dict:
    report = json.loads(json.dumps(report))
    report.pop("timing")
    for entry in report["repositories"]:
        entry.pop("timing")
    return report


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_fleet(tmp_path_factory.mktemp("fleet"))


@pytest.fixture(scope="module")
def local_report(fleet: Path) -> tuple[dict, subprocess.CompletedProcess]:
    return fleet_json("--list", fleet.name, "--output-dir", "out-local", cwd=fleet.parent)


# --- entries --------------------------------------------------------------------------------------------


def test_workspace_search_skips_target_node_modules_hidden_and_members(tmp_path: Path) -> None:
    def manifest(rel: str, text: str = '[package]\nname = "x"\nversion = "0.1.0"\n') -> None:
        (tmp_path / rel).mkdir(parents=True)
        (tmp_path / rel / "Cargo.toml").write_text(text)

    manifest("a", '[workspace]\nmembers = ["m"]\n')
    manifest("a/m")
    manifest("target/x")
    manifest("node_modules/p")
    manifest(".hidden")
    manifest("b/c/d/e")  # four levels down
    manifest("f/g")
    assert find_workspace_roots(tmp_path) == [tmp_path / "a", tmp_path / "f" / "g"]
    assert find_workspace_roots(tmp_path, depth=4) == [tmp_path / "a", tmp_path / "b/c/d/e", tmp_path / "f/g"]
    assert find_workspace_roots(tmp_path / "a" / "m") == [tmp_path / "a"]  # a member means its workspace


def test_entry_syntax_path_at_ref(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "odd@name").mkdir()
    monkeypatch.chdir(tmp_path)
    assert split_ref("repo@v1.2") == ("repo", "v1.2")
    assert split_ref("repo@HEAD@{1}") == ("repo", "HEAD@{1}")
    assert split_ref("odd@name") == ("odd@name", None)  # an existing path is a path
    assert split_ref("elsewhere/repo@main") == ("elsewhere/repo", "main")  # resolved by the worker
    assert split_ref("plain") == ("plain", None)


def test_list_file_columns_and_errors(tmp_path: Path) -> None:
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "Cargo.toml").write_text('[package]\nname = "r"\nversion = "0.1.0"\n')
    good = tmp_path / "list.txt"
    good.write_text("r  name=first  config=cfg/r.toml  history=h/r.json\n'r'  ref=v1  name=\"at v1\"\n")
    specs = read_list_file(good, 3)
    assert [(s.name, s.ref, s.kind) for s in specs] == [("first", None, "path"), ("at v1", "v1", "git")]
    assert specs[0].config == str(tmp_path / "cfg" / "r.toml") and specs[0].history == str(tmp_path / "h" / "r.json")
    bad = tmp_path / "bad.txt"
    bad.write_text("r\n\nr colour=red\n")
    with pytest.raises(UsageError, match=r"bad.txt:3: unknown column 'colour=red'"):
        read_list_file(bad, 3)
    bad.write_text("r ref=--upload-pack=evil\n")
    with pytest.raises(UsageError, match="invalid git ref"):
        read_list_file(bad, 3)


@pytest.mark.parametrize(("args", "message"), [
    (["--scheduler", "tcp://localhost:8786"], "--scheduler needs --engine dask"),
    (["--format", "html"], "give --output-dir"),
    (["--format", "sarif"], "give --output-dir"),
    (["--list", "no-such-list.txt"], "list file not found"),
    (["--jobs", "-1"], "--jobs must be"),
    (["--fail-on", "sometimes"], "--fail-on must be"),
    (["fleet.txt"], "not a directory"),
])
def test_usage_errors_exit_2_with_one_line(fleet: Path, args: list[str], message: str) -> None:
    proc = run_cli("fleet", *args, cwd=fleet.parent)
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr and "Traceback" not in proc.stderr


# --- the fleet-v1 report ------------------------------------------------------------------------------


def test_report_has_one_entry_per_repository_with_isolated_failures(local_report, fleet: Path) -> None:
    report, proc = local_report
    assert proc.returncode == 1
    assert report["version"] == "fleet-v1" and report["kind"] == "rust-triage-fleet"
    names = [e["name"] for e in report["repositories"]]
    assert names == sorted(names) == ["beta-build", "ws/alpha", "ws/delta", "ws/gamma", "ws/group/one",
                                      "ws/group/two", "ws/missing"]
    by_name = {e["name"]: e for e in report["repositories"]}
    assert by_name["ws/missing"]["status"] == "failed" and "path not found" in by_name["ws/missing"]["error"]
    assert by_name["ws/delta"]["status"] == "failed" and "invalid TOML" in by_name["ws/delta"]["error"]
    assert report["totals"] == {**report["totals"], "repositories": 7, "ok": 5, "failed": 2}
    assert by_name["beta-build"]["build_breakers"]["by_rule"] == {"RT011": 3}
    gamma = by_name["ws/gamma"]
    assert gamma["build_breakers"]["total"] > 0 and all(r.startswith("RT3") for r in gamma["build_breakers"]["by_rule"])
    alpha = by_name["ws/alpha"]
    assert alpha["build_breakers"]["total"] == 0 and sum(alpha["by_risk"].values()) == alpha["findings"]
    assert set(alpha["by_risk"]) - {"unknown"} <= {"high", "medium", "low"}  # ranked panic/blocking findings
    assert alpha["plan"]["estimate_hours"] > 0 and alpha["top_tasks"][0]["estimate_minutes"] > 0
    assert sum(alpha["by_category"].values()) == sum(alpha["by_severity"].values()) == alpha["findings"]
    assert alpha["reports"] == {"json": "ws-alpha.json"}


def test_repository_report_is_the_check_command_report(local_report, fleet: Path) -> None:
    per_repo = json.loads((fleet.parent / "out-local" / "ws-alpha.json").read_text())
    proc = run_cli("check", "ws/alpha", "--format", "json", "--no-cache", cwd=fleet.parent)
    assert proc.returncode == 1, proc.stderr
    assert per_repo == json.loads(proc.stdout)


def test_text_table_is_sorted_by_risk(fleet: Path) -> None:
    proc = run_cli("fleet", "--list", fleet.name, "--no-cache", cwd=fleet.parent)
    assert proc.returncode == 1, proc.stderr
    rows = [line.split()[0] for line in proc.stdout.splitlines()[1:8]]
    assert rows[:2] == ["ws/delta", "ws/missing"]  # failed first
    assert rows[2] == "ws/gamma" and rows[3] == "beta-build"  # then the most build breakers
    assert "7 repositories: 5 analysed, 2 failed" in proc.stdout
    assert "[7/7]" in proc.stderr and "ws/missing: FAILED: path not found" in proc.stderr


def test_sarif_one_schema_valid_file_per_repository(fleet: Path, tmp_path: Path) -> None:
    proc = run_cli("fleet", "--list", str(fleet), "--format", "sarif", "--output-dir", str(tmp_path), "--no-cache",
                   "-q", cwd=fleet.parent)
    assert proc.returncode == 1, proc.stderr
    written = sorted(Path(line).name for line in proc.stdout.split())
    assert written == ["beta-build.sarif", "ws-alpha.sarif", "ws-gamma.sarif", "ws-group-one.sarif",
                       "ws-group-two.sarif"]
    validator = jsonschema.Draft4Validator(json.loads((REPO / "tests/data/sarif-schema-2.1.0.json").read_text()))
    for name in written:
        log = json.loads((tmp_path / name).read_text())
        validator.validate(log)
        assert log["runs"][0]["tool"]["driver"]["name"] == "rust-triage"
    assert json.loads((tmp_path / "beta-build.sarif").read_text())["runs"][0]["results"]


def test_history_and_dashboard(tmp_path: Path) -> None:
    shutil.copytree(DEMO, tmp_path / "app")
    shutil.copytree(FIXTURES / "layouts" / "missing_mod", tmp_path / "lib")
    listing = tmp_path / "list.txt"
    listing.write_text('app  name="<script>alert(1)</script>"\nlib\n')
    for _ in range(2):
        proc = run_cli("fleet", "--list", "list.txt", "--history", "--no-cache", "-q", cwd=tmp_path)
        assert proc.returncode == 1, proc.stderr
    (tmp_path / "app" / "crates" / "core" / "src" / "store.rs").write_text("pub fn nothing() {}\n")
    proc = run_cli("fleet", "--list", "list.txt", "--history", "--format", "html", "--output-dir", "site",
                   "--no-cache", "-q", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    history = json.loads((tmp_path / "app" / ".rust-triage-history.json").read_text())
    totals = [run["total"] for run in history["runs"]]
    assert len(totals) == 3 and totals[0] == totals[1] > totals[2]
    assert set(history["runs"][0]) >= {"timestamp", "label", "total", "files_scanned", "by_severity", "by_rule"}
    shown = run_cli("history", "report", "--format", "json", "--file", "app/.rust-triage-history.json", cwd=tmp_path)
    assert shown.returncode == 0 and json.loads(shown.stdout)["runs"] == history["runs"]
    page = (tmp_path / "site" / "index.html").read_text()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count('<svg class="spark"') == 2 and "<polyline" in page
    assert 'href="script-alert-1-script.html"' in page and (tmp_path / "site" / "script-alert-1-script.html").is_file()
    assert page.index("lib</a>") < page.index("alert(1)&lt;/script&gt;</a>")  # the build breaker first


def test_per_repository_configuration_and_cache(tmp_path: Path) -> None:
    shutil.copytree(DEMO, tmp_path / "app")
    (tmp_path / "only-rt001.toml").write_text('select = ["RT001"]\n')
    (tmp_path / "list.txt").write_text("app name=narrow config=only-rt001.toml\n")
    args = ("fleet", "--list", "list.txt", "app", "--format", "json", "--cache-dir", "cache", "-q")
    first = run_cli(*args, cwd=tmp_path)
    assert first.returncode == 1, first.stderr
    report = json.loads(first.stdout)
    by_name = {e["name"]: e for e in report["repositories"]}
    assert set(by_name["narrow"]["by_rule"]) == {"RT001"}
    assert len(by_name["app"]["by_rule"]) > 1
    assert by_name["app"]["timing"]["parsed"] > 0
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["app", "narrow"]
    again = json.loads(run_cli(*args, cwd=tmp_path).stdout)
    assert {e["name"]: e["timing"]["cache_hits"] for e in again["repositories"]} == {
        "app": by_name["app"]["timing"]["files"], "narrow": by_name["narrow"]["timing"]["files"]}
    assert without_timing(again) == without_timing(report)


# --- Ctrl-C --------------------------------------------------------------------------------------------


def processes_with(marker: str) -> list[int]:
    found = []
    for proc_dir in Path("/proc").iterdir():
        if not proc_dir.name.isdigit():
            continue
        try:
            if marker.encode() in (proc_dir / "environ").read_bytes():
                found.append(int(proc_dir.name))
        except OSError:
            continue
    return found


def interrupt_fleet(tmp_path: Path, *engine: str) -> list[int]:
    """Start a slow fleet, Ctrl-C it after the first repository: exit 130, no report. Returns the
    processes of the run still alive 10 s later."""
    for i in range(4):
        subprocess.run([sys.executable, str(MAKE_CORPUS), "80", "--files-per-crate", "40", "--seed", str(i),
                        "--out", str(tmp_path / f"repo{i}")], check=True, capture_output=True, timeout=120)
    marker = f"RT_FLEET_TEST_{uuid.uuid4().hex}"
    env = {**os.environ, marker: "1"}
    cli = subprocess.Popen([sys.executable, "-m", "rust_triage", "fleet", *(f"repo{i}" for i in range(4)),
                            "--jobs", "1", "--no-cache", "--format", "json", "-o", "report.json", *engine],
                           cwd=tmp_path, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                           preexec_fn=sigint_as_a_terminal_sends_it)
    try:
        assert cli.stderr is not None
        seen = []
        while not any("[1/4]" in line for line in seen):  # other lines (warnings) may come first
            seen.append(cli.stderr.readline())
            assert seen[-1], "".join(seen)  # EOF before the first repository finished
        cli.send_signal(signal.SIGINT)
        rest = cli.communicate(timeout=60)[1]
    finally:
        cli.kill()
    assert cli.returncode == 130, rest
    assert "interrupted" in rest and "Traceback" not in rest
    assert not (tmp_path / "report.json").exists()
    deadline = time.monotonic() + 10
    while processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    return processes_with(marker)


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
def test_ctrl_c_cancels_cleanly(tmp_path: Path) -> None:
    assert interrupt_fleet(tmp_path) == []
