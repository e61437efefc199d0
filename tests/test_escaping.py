"""Hostile file names and code text reach every output format escaped for it, never as a traceback.

One workspace (built in tmp_path) carries rich markup, terminal escape sequences, GitHub workflow
commands, Markdown fences, HTML, characters XML forbids, a bidi override and a file name that is not
UTF-8, in file names and in the code (TODO comments, panic and expect strings). The real CLI renders it
in every format; each output is checked with a real parser for its format.
"""

from __future__ import annotations

import html.parser
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from conftest import REPO, run_cli
from markdown_it import MarkdownIt

from rust_triage import escape

UNWRAP = "pub fn f() { let x: Option<u8> = None; x.unwrap(); }\n"
# File names (relative to the workspace root) that are legal on Linux; `a[/]x.rs` is `]x.rs` in `a[`.
HOSTILE_NAMES = [
    "src/a[/]x.rs",
    "src/[bold]b.rs",
    "src/\x1b]8;;http:x\x07link.rs",
    "src/\x1b[2J.rs",
    "::error::top.rs",
    "src/::add-mask::m.rs",
    "src/##[error]legacy.rs",
    "src/```.rs",
    "src/~~~~.rs",
    "src/<script>alert(1).rs",
    'src/"><img src=x>.rs',
    "src/\x01\x0b.rs",
    "src/\u202eevil.rs",
]
NON_UTF8_NAME = b"src/\xff.rs"
PAYLOADS = [
    "[/] [bold]x[/bold]",
    "\x1b]8;;http://e\x07link\x1b]8;;\x07 \x1b[2J \x1b[31mred",
    "::error::injected",
    "::add-mask::secret",
    "##[error]legacy",
    "``` ~~~~ <script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "\x01\x0b\x7f\x9b ctl",
    "\u202eevil",
]
LIB = (
    "//! hostile text\n"
    + "".join(f"// TODO: {p}\n" for p in PAYLOADS)
    # Pushes `::error::` across rich's 120-column wrap: one of these lands at the start of a line.
    + "".join(f"// TODO: {'w ' * k}::error::wrapped\n" for k in range(20, 36))
    + "pub fn g(x: Option<u32>) -> u32 {\n"
    + "".join(f'    let _ = x.expect("{p}");\n' for p in PAYLOADS if '"' not in p)
    + '    if x.is_none() { panic!("::error file=a::boom <script>alert(1)</script> ``` \x1b[2J"); }\n'
    + '    let _ = x.expect(r#"\n```\n~~~~\n</pre><script>alert(1)</script>\n::error::fenced\n"#);\n'
    + "    0\n}\n"
)
FORMATS = ("text", "json", "sarif", "github", "html")
ANNOTATION = re.compile(r"^::(error|warning|notice) file=[^:,]*(,[a-zA-Z]+=[^:,]*)*::")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / "src").mkdir()
    (root / "Cargo.toml").write_text('[package]\nname = "hostile"\nversion = "0.1.0"\nedition = "2021"\n')
    (root / "src" / "lib.rs").write_text(LIB, encoding="utf-8")
    for name in HOSTILE_NAMES:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(UNWRAP, encoding="utf-8")
    try:
        fd = os.open(os.path.join(os.fsencode(root), NON_UTF8_NAME), os.O_WRONLY | os.O_CREAT, 0o644)
    except OSError:  # a file system that only takes UTF-8 names
        pytest.skip("the file system refuses non-UTF-8 file names")
    os.write(fd, UNWRAP.encode())
    os.close(fd)
    return root


def _run(hostile: Path, *args: str) -> str:
    """The CLI's stdout, which must be valid UTF-8 (decoded strictly) after a run without traceback."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "rust_triage", *args, "--no-cache", "."], cwd=hostile,
                          capture_output=True, timeout=600, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    stderr = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    assert proc.returncode in (0, 1), stderr
    return proc.stdout.decode("utf-8")  # strict: a raw undecodable byte fails here


@pytest.fixture(scope="module")
def outputs(hostile: Path) -> dict[str, str]:
    out = {fmt: _run(hostile, "check", "--format", fmt) for fmt in FORMATS}
    out["markdown"] = _run(hostile, "plan", "--format", "markdown")
    out["plan-json"] = _run(hostile, "plan", "--format", "json")
    for fmt in ("graphml", "json", "dot"):
        out[f"graph-{fmt}"] = _run(hostile, "graph", "--format", fmt)
    return out


def _workflow_command_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("::") or "##[" in line]


@pytest.mark.parametrize("fmt", [*FORMATS, "markdown", "plan-json", "graph-graphml", "graph-json", "graph-dot"])
def test_no_terminal_controls_and_no_workflow_commands(outputs: dict[str, str], fmt: str) -> None:
    text = outputs[fmt]
    assert text.strip()
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text), fmt
    commands = _workflow_command_lines(text)
    if fmt == "github":  # only the tool's own annotations, whose parts are escaped
        assert commands and all(ANNOTATION.match(line) for line in commands), commands
    else:
        assert not commands, commands


def test_text_output_shows_names_and_messages_escaped(outputs: dict[str, str]) -> None:
    text = outputs["text"]
    for shown in ("src/a[/]x.rs", "src/[bold]b.rs", "src/\\x1b]8;;http:x\\x07link.rs", "src/\\x1b[2J.rs",
                  "\\x3a:error::top.rs", "src/\\u202eevil.rs", "src/\\xff.rs", "src/\\x01\\x0b.rs",
                  "TODO: [/] [bold]x[/bold]", "#\\x23[error]legacy"):
        assert shown in text, shown


def test_github_annotations_escape_their_parts(outputs: dict[str, str]) -> None:
    lines = outputs["github"].splitlines()
    # the level follows the finding's risk (a file no target compiles is low: a notice)
    assert any(line.startswith(("::warning file=src/\\xff.rs,", "::notice file=src/\\xff.rs,")) for line in lines)
    assert any("file=src/%3A%3Aadd-mask%3A%3Am.rs," in line for line in lines)
    todo = next(line for line in lines if "::error::injected" in line)
    assert todo.startswith("::notice file=src/lib.rs,") and todo.count("\n") == 0


def test_json_and_sarif_keep_the_data_and_spell_undecodable_bytes(outputs: dict[str, str]) -> None:
    report = json.loads(outputs["json"])
    files = {f["file"] for f in report["findings"]}
    assert {"src/\\xff.rs", "src/a[/]x.rs", "src/\x1b[2J.rs", "::error::top.rs", "src/\u202eevil.rs"} <= files
    messages = " ".join(f["message"] for f in report["findings"])
    assert "\x1b]8;;http://e\x07link" in messages and "\x9b" in messages  # exact data, JSON-escaped
    sarif = json.loads(outputs["sarif"])
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert {"src/%FF.rs", "src/a%5B/%5Dx.rs", "src/%1B%5B2J.rs"} <= uris


def test_sarif_is_schema_valid(outputs: dict[str, str]) -> None:
    schema = json.loads((REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(json.loads(outputs["sarif"])))
    assert not errors, errors[:3]


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse_html(text: str) -> _Tags:
    parser = _Tags()
    parser.feed(text)
    parser.close()
    return parser


def test_html_report_escapes_every_string(outputs: dict[str, str]) -> None:
    page = outputs["html"]
    parsed = _parse_html(page)
    assert parsed.tags.count("script") == 1 and "img" not in parsed.tags  # only the report's filter script
    assert "<script>alert" not in page and "<img" not in page
    shown = "".join(parsed.text)
    assert "src/<script>alert(1).rs" in shown and "src/\\xff.rs" in shown and "::error::injected" in shown


def test_markdown_plan_has_no_fence_break_out(outputs: dict[str, str]) -> None:
    plan = outputs["markdown"]
    tokens = MarkdownIt("commonmark").enable("table").parse(plan)
    fences = [t for t in tokens if t.type == "fence"]
    assert [t.info for t in fences] == ["rust"] * plan.count("**Evidence:**") + ["json"]
    assert any("<script>alert(1)</script>" in t.content for t in fences)  # kept, as code
    appendix = json.loads(fences[-1].content)
    assert appendix["kind"] == "rust-triage-plan"
    rendered = _parse_html(MarkdownIt("commonmark").enable("table").render(plan))
    assert not {"script", "img"} & set(rendered.tags)
    assert "src/\\xff.rs" in plan and "src/<script>alert(1).rs" in "".join(rendered.text)


def test_graph_exports_parse(outputs: dict[str, str]) -> None:
    graph = ET.fromstring(outputs["graph-graphml"].encode())
    ids = {node.get("id") for node in graph.iter("{http://graphml.graphdrawing.org/xmlns}node")}
    assert any("\\x01\\x0b" in i for i in ids if i) and any("\\xff" in i for i in ids if i)
    nodes = {n["id"] for n in json.loads(outputs["graph-json"])["nodes"]}
    assert any("src/\\xff.rs" in n for n in nodes)
    assert '\\\\x1b[2J' in outputs["graph-dot"]


def _hostile_diagnostic(level: str, code: str) -> str:
    message = "cannot find `x` ::error::boom\n::add-mask::s ``` ~~~~ <script>alert(1)</script> \x1b[2J \u202e ##[e]y"
    span = {"byte_start": 0, "byte_end": 5, "line_start": 1, "line_end": 1, "column_start": 1, "column_end": 6,
            "file_name": "src/\x1b[2J::error::\udcff<script>.rs", "is_primary": True, "expansion": None,
            "label": "::error::label <img src=x>", "suggested_replacement": "```\n::error::fix",
            "suggestion_applicability": "MachineApplicable",
            "text": [{"text": "::error::snippet ``` <script>", "highlight_start": 1, "highlight_end": 6}]}
    return json.dumps({"reason": "compiler-message", "message": {
        "$message_type": "diagnostic", "rendered": message, "message": message, "level": level, "children": [],
        "code": {"code": code, "explanation": None}, "spans": [span]}})


@pytest.mark.parametrize("fmt", ["markdown", "json", "sarif", "plan"])
def test_compiler_messages_and_paths_are_escaped(tmp_path: Path, fmt: str) -> None:
    cargo_json = tmp_path / "check.json"
    cargo_json.write_text(_hostile_diagnostic("error", "E0425") + "\n" + _hostile_diagnostic("warning", "unused") + "\n")
    (tmp_path / "ws" / "src").mkdir(parents=True)
    (tmp_path / "ws" / "Cargo.toml").write_text('[package]\nname = "c"\nversion = "0.1.0"\nedition = "2021"\n')
    (tmp_path / "ws" / "src" / "lib.rs").write_text("pub fn f() {}\n")
    if fmt == "plan":
        proc = run_cli("plan", "--no-cache", "--cargo-json", str(cargo_json), ".", cwd=tmp_path / "ws")
    else:
        proc = run_cli("cargo", "--input", str(cargo_json), "--no-graph", "-f", fmt, cwd=tmp_path / "ws")
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr
    out = proc.stdout
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", out) and not _workflow_command_lines(out)
    if fmt in ("json", "sarif"):
        data = json.loads(out)
        strings = set(re.findall(r'"((?:[^"\\]|\\.)*)"', out))
        if fmt == "json":  # the exact name, its undecodable byte spelled \xff
            assert "src/\x1b[2J::error::\\xff<script>.rs" in {json.loads(f'"{x}"') for x in strings}
        else:
            assert "src/%1B%5B2J%3A%3Aerror%3A%3A%FF%3Cscript%3E.rs" in strings
            schema = json.loads((REPO / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())
            assert not list(jsonschema.Draft4Validator(schema).iter_errors(data))
    else:
        rendered = _parse_html(MarkdownIt("commonmark").enable("table").render(out))
        assert not {"script", "img"} & set(rendered.tags)
        assert "::error::boom" in "".join(rendered.text)


def test_stderr_messages_escape_file_names(tmp_path: Path) -> None:
    proc = run_cli("check", "--no-cache", "missing\x1b[2J\n::error::x.rs", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == "rust-triage: error: path not found: missing\\x1b[2J\\n::error::x.rs\n"


# -- the escaping functions, one context each ------------------------------------------------------


@pytest.mark.parametrize(("raw", "shown"), [
    ("a\x1b[2Jb", "a\\x1b[2Jb"), ("bell\x07", "bell\\x07"), ("c1\x9b", "c1\\x9b"), ("del\x7f", "del\\x7f"),
    ("bidi\u202e\u2066", "bidi\\u202e\\u2066"), ("cr\rlf\n", "cr\\x0dlf\\n"), ("tab\tok", "tab\tok"),
    ("byte\udcff", "byte\\xff"), ("plain ünïcode", "plain ünïcode"),
])
def test_visible(raw: str, shown: str) -> None:
    assert escape.visible(raw) == shown


def test_visible_multiline_keeps_newlines_and_display_only_touches_undecodable_bytes() -> None:
    assert escape.visible("a\r\nb\n\x1b", multiline=True) == "a\nb\n\\x1b"
    assert escape.display("src/\udcff\udc80.rs\x1b") == "src/\\xff\\x80.rs\x1b"


@pytest.mark.parametrize(("raw", "safe"), [
    ("::error::x", "\\x3a:error::x"), ("  ::add-mask::s", "  \\x3a:add-mask::s"), ("\u3000::e::", "\u3000\\x3a:e::"),
    ("ok ::x::", "ok ::x::"), ("a ##[error]b", "a #\\x23[error]b"), ("####[x", "###\\x23[x"),
    ("one\n::two::\nthree", "one\n\\x3a:two::\nthree"),
])
def test_ci_safe(raw: str, safe: str) -> None:
    assert escape.ci_safe(raw) == safe


@pytest.mark.parametrize(("raw", "md"), [
    ("<script>alert(1)</script>", "\\<script\\>alert(1)\\</script\\>"),
    ("[x](javascript:y) ![i](u)", "\\[x\\](javascript:y) !\\[i\\](u)"),
    ("keep `Vec<T>` code", "keep `Vec<T>` code"),
    ("stray ` tick", "stray \\` tick"),
    ("# heading", "\\# heading"), ("1. item", "1\\. item"), ("~~~~ fence", "\\~\\~\\~\\~ fence"),
    ("a|b", "a\\|b"), ("x\ny", "x\\\\ny"),
])
def test_markdown_text(raw: str, md: str) -> None:
    assert escape.markdown_text(raw) == md


def test_markdown_code_and_fence_cannot_be_closed_by_their_content() -> None:
    assert escape.markdown_code("a`b") == "``a`b``"
    assert escape.markdown_code("`x") == "`` `x ``"
    assert escape.markdown_text("see " + escape.markdown_code("a`|b"), table=True) == "see ``a`\\|b``"
    fence = escape.markdown_fence("```\n````\n~~~~", "rust")
    assert fence[0] == "`````rust" and fence[-1] == "`````"


def test_html_xml_and_json_contexts() -> None:
    assert escape.html_text('"><img src=x>\x1b') == "&quot;&gt;&lt;img src=x&gt;\\x1b"
    assert escape.html_ci_safe("::error::x\n##[y") == "&#58;:error::x\n#&#35;[y"
    assert escape.xml_text("a\x01\x0b\udcff\ufffe\tb\n") == "a\\x01\\x0b\\xff\\ufffe\tb\n"
    text = escape.json_dumps({"f\udcff": "\x1b\x9b\u202e##[add-mask]x"})
    assert text == '{"f\\\\xff": "\\u001b\\u009b\\u202e#\\u0023[add-mask]x"}'
    assert json.loads(text) == {"f\\xff": "\x1b\x9b\u202e##[add-mask]x"}
    assert escape.github_data("50%\r\n\x1b") == "50%25%0D%0A\\x1b"
    assert escape.github_property("a:b,c") == "a%3Ab%2Cc"


def test_snippets_count_lines_as_the_parser_does(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "Cargo.toml").write_text('[package]\nname = "lines"\nversion = "0.1.0"\nedition = "2021"\n')
    odd = "// a\x0bb\x0cc\x1cd\x85e\u2028f\u2029g\rh\n"
    (tmp_path / "src" / "lib.rs").write_text(odd + "// TODO: the second line\npub fn f() {}\n", newline="")
    report = json.loads(run_cli("check", "--no-cache", "--format", "json", ".", cwd=tmp_path).stdout)
    todo = next(f for f in report["findings"] if f["rule"] == "RT202")
    assert todo["line"] == 2 and todo["snippet"] == "// TODO: the second line"



def test_markdown_text_is_linear_in_backtick_runs() -> None:
    import time

    body = "".join("`" * k + "x" for k in range(1, 4000))  # 8 MB: 3,999 runs, none closed
    started = time.monotonic()
    assert escape.markdown_text(body).count("\\`") == body.count("`")
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("value", [
    {"a": [], "b": {}, "c": [{}], "f": [0.1, 1e16, 1e-7, -0.0, 2**70], "s": "\x00\x1f\x7f\u2028\"\\/é😀\t\n"},
    {"f\udcff": ["x\ud800"], "k": "##[warning]"},  # lone surrogates: spelled by json_clean
    {"n": float("nan"), "i": [float("inf")]},  # not JSON: Python's spelling kept
    {3: 1, 4: [None, True, (1, 2)]}, [], {}, "text",
])
@pytest.mark.parametrize("kwargs", [{}, {"indent": 2}, {"indent": 1, "sort_keys": True}, {"indent": 0}])
def test_json_dumps_writes_what_the_python_encoder_writes(value: object, kwargs: dict) -> None:
    """The reports are written through the C encoder and indented by msgspec: the same bytes as the pure
    Python encoder that `indent` selects."""
    expected = json.dumps(escape.json_clean(value), ensure_ascii=False, **kwargs)
    expected = escape._INERT.sub(lambda m: f"\\u{ord(m.group()):04x}", expected).replace("##[", "#\\u0023[")
    assert escape.json_dumps(value, **kwargs) == expected
