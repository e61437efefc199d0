"""The HTML report for deciders: summary cards and the plan first, findings after, code spans as code,
build errors in the chart, and task check boxes that a real browser remembers (localStorage)."""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

CRISIS = FIXTURES / "crisis"

HARNESS = """<!DOCTYPE html><html><body><div id="out">pending</div>
<iframe id="a" src="report.html"></iframe>
<script>
var a=document.getElementById('a');
a.onload=function(){
  var box=a.contentDocument.querySelector('input[type=checkbox][data-task]');
  box.click();
  var id=box.getAttribute('data-task');
  var b=document.createElement('iframe'); b.src='report.html?reloaded';
  b.onload=function(){
    var doc=b.contentDocument, again=doc.querySelector('input[data-task="'+id+'"]');
    var other=doc.querySelectorAll('input[type=checkbox][data-task]')[1];
    document.getElementById('out').textContent=JSON.stringify({
      checked: again.checked, done: again.closest('.task').classList.contains('done'),
      other: other.checked, topCodes: doc.querySelectorAll('#top-tasks code').length});
  };
  document.body.appendChild(b);
};
</script></body></html>
"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html") / "report.html"
    proc = run_cli("check", str(CRISIS), "--no-cache", "-j", "1", "--format", "html", "--output", str(out))
    assert proc.returncode == 1, proc.stderr
    return out


def test_plan_comes_first_and_findings_after(report: Path) -> None:
    html = report.read_text()
    positions = [html.index(marker) for marker in (
        'class="cards"', "<h2>Quality gates</h2>", '<table id="top-tasks">', '<table id="phases">',
        '<table id="crates">', '<section id="plan">', "<h2>Findings by category</h2>", '<table id="findings">')]
    assert positions == sorted(positions)


def test_code_spans_are_code_and_build_errors_are_charted(report: Path) -> None:
    html = report.read_text()
    top = html[html.index('<table id="top-tasks">'):html.index('<table id="phases">')]
    assert "<code>crates/core/src/config.rs</code>" in top
    assert "`" not in re.sub(r"<[^>]+>", "", top)
    assert re.search(r"<title>build errors: \d+</title>", html)


def test_dead_code_is_not_in_the_findings_table(report: Path) -> None:
    html = report.read_text()
    table = html[html.index('<table id="findings">'):]
    assert "legacy/old_pool.rs:3" not in table


@pytest.fixture()
def served(report: Path, tmp_path: Path) -> Iterator[str]:
    shutil.copy(report, tmp_path / "report.html")
    (tmp_path / "harness.html").write_text(HARNESS)
    handler = functools.partial(_QuietHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/harness.html"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return


def test_checkboxes_persist_in_a_real_browser(served: str, tmp_path: Path) -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("no headless Chromium installed")
    proc = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-dev-shm-usage", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
         "--virtual-time-budget=5000", "--dump-dom", served],
        capture_output=True, text=True, timeout=120,
    )
    found = re.search(r'<div id="out">([^<]*)</div>', proc.stdout)
    assert found is not None, proc.stderr[-2000:]
    result = json.loads(found.group(1).replace("&quot;", '"'))
    assert result == {"checked": True, "done": True, "other": False, "topCodes": result["topCodes"]}
    assert result["topCodes"] >= 10
