"""Single-input cases, one per workspace: special files, hostile manifests, hostile configs, garbled cargo JSON.

Outside targets are written with placeholders (`{ABS_OUTSIDE}`, `{REL_OUTSIDE}`) filled in when the
workspace is written, so links and paths point at the sandbox's canary files.
"""

from __future__ import annotations

import json
import random

from fuzz_cases import (
    ABS_OUTSIDE,
    FIXTURES,
    REL_OUTSIDE,
    Case,
    Op,
    Plan,
    crate_roots,
    hook_entry,
    mod_line,
    seed_texts,
)
from fuzz_mutate import FINDING_LINES, ODD_NAMES, byte_flips, mutate_content, mutate_heavy, odd_name, truncate
from fuzz_oracle import Run

_CACHE = ["--cache-dir", "../home/.cache/rust-triage"]
_SMALL_BASES = ("demo", "types/derive_fix", "broken/counter_crisis", "suppress")
_CARGO_BASES = ("broken/counter_crisis", "broken/derive_fields", "broken/mixed_workspace")


def _small_base(rng: random.Random, plan: Plan) -> tuple[dict[bytes, bytes], bytes]:
    """A small fixture workspace; returns its .rs files and the src directory of one crate root."""
    src = FIXTURES / rng.choice(_SMALL_BASES)
    plan.ops.append(Op("copytree", source=str(src)))
    files = {str(p.relative_to(src)).encode(): p.read_bytes() for p in sorted(src.rglob("*.rs"))}
    root = rng.choice(crate_roots(files))
    return files, root


def _declare(plan: Plan, root: bytes, decl: bytes) -> None:
    plan.ops.append(Op("append", root, b"\n" + decl + b"\n", input=0))


def plan_special(case: Case) -> Plan:
    rng = case.rng("special")
    plan = Plan(edit_targets=("wssup",))
    files, root = _small_base(rng, plan)
    src = root.rsplit(b"/", 1)[0] + b"/" if b"/" in root else b""
    secret_rel, secret_abs = REL_OUTSIDE + b"/secret.rs", ABS_OUTSIDE + b"/secret.rs"
    kind = rng.choice(SPECIAL_KINDS)
    named: list[bytes] = []  # files the hook run names first
    link = lambda rel, target: plan.ops.append(Op("link", rel, target, input=0))  # noqa: E731
    if kind in ("link-outside-rel", "link-outside-abs"):
        link(src + b"leak.rs", secret_rel if kind.endswith("rel") else secret_abs)
        _declare(plan, root, b"mod leak;")
    elif kind == "link-outside-dir":
        link(src + b"leakdir", ABS_OUTSIDE + b"/dir")
        _declare(plan, root, b"mod leakdir;")
    elif kind in ("link-environ", "link-dev-zero", "link-urandom"):
        target = {"link-environ": b"/proc/self/environ", "link-dev-zero": b"/dev/zero", "link-urandom": b"/dev/urandom"}
        link(src + b"dev.rs", target[kind])
        _declare(plan, root, b"mod dev;")
    elif kind in ("gitignore-dev-zero", "gitignore-outside", "config-dev-zero", "config-outside-link"):
        name = b".gitignore" if kind.startswith("gitignore") else b"rust-triage.toml"
        link(name, b"/dev/zero" if kind.endswith("dev-zero") else REL_OUTSIDE + b"/secret.txt")
    elif kind in ("fifo-source", "fifo-gitignore", "fifo-config", "fifo-member-manifest", "socket-source"):
        rel = {"fifo-source": src + b"fifo.rs", "fifo-gitignore": b".gitignore", "fifo-config": b"rust-triage.toml",
               "fifo-member-manifest": src + b"../Cargo.toml", "socket-source": src + b"sock.rs"}[kind]
        plan.ops.append(Op("socket" if kind == "socket-source" else "fifo", rel, input=0))
        if rel.endswith(b".rs"):
            _declare(plan, root, b"mod " + rel.rsplit(b"/", 1)[-1][:-3] + b";")
    elif kind == "link-loop":
        link(src + b"a.rs", b"b.rs")
        link(src + b"b.rs", b"a.rs")
        _declare(plan, root, b"mod a;")
    elif kind == "dir-loop":
        link(src + b"loop", b".")
        link(b"up", b"..")
    elif kind == "dangling":
        link(src + b"gone.rs", b"nowhere/x.rs")
        _declare(plan, root, b"mod gone;")
    elif kind in ("unreadable-file", "unreadable-dir"):
        rel = src + (b"locked.rs" if kind == "unreadable-file" else b"locked/mod.rs")
        plan.ops.append(Op("write", rel, b"pub fn f() { None::<u8>.unwrap(); }\n", input=0))
        _declare(plan, root, b"mod locked;")
        plan.ops.append(Op("chmod", rel if kind == "unreadable-file" else src + b"locked", mode=0, input=0))
    elif kind in ("path-attr-outside", "path-attr-abs", "path-attr-dev"):
        target = {"path-attr-outside": secret_rel, "path-attr-abs": secret_abs}.get(kind) or \
            rng.choice((b"/dev/zero", b"/proc/self/environ", b"/dev/stdin"))
        _declare(plan, root, b'#[path = "' + target + b'"]\nmod p;')
    elif kind == "include-outside":
        _declare(plan, root, b'const LEAK: &str = include_str!("' + secret_rel + b'");\ninclude!("' + secret_abs + b'");')
    elif kind == "long-path":
        plan.ops.append(Op("longpath", src + b"long", data=b"pub fn f() { todo!() }\n", mode=24, input=0))
        _declare(plan, root, b"mod long;")
    elif kind in ("odd-name", "option-name"):
        # An option-like name sits at the root, where pre-commit passes it bare (`--output=build.rs`).
        name = odd_name(rng) if kind == "odd-name" else rng.choice([n for n in ODD_NAMES if n.startswith(b"-") and n.endswith(b".rs")])
        rel = src + name if kind == "odd-name" else name
        plan.ops.append(Op("write", rel, b"\n".join(FINDING_LINES[:2]).join((b"pub fn f() {\n", b"\n}\n")), input=0))
        if kind == "odd-name":
            _declare(plan, root, mod_line(99, name))
        named.append(rel)
        kind += f" {name!r}"
    elif kind == "manifest-link-outside":
        link(src + b"../Cargo.toml", ABS_OUTSIDE + b"/crate/Cargo.toml")
    plan.inputs.append(f"special file: {kind}")
    jobs = rng.choice(("1", "2"))
    fmt = rng.choice(("text", "sarif", "github", "html"))
    plan.runs = [
        Run("check-json", ["check", ".", "-f", "json", "-o", "../out/report.json", "--jobs", jobs, *_CACHE]),
        Run(f"check-{fmt}", ["check", ".", "-f", fmt, "-o", "../out/report.any", "--jobs", "1", *_CACHE]),
        Run("hook", [*hook_entry(), *named, *sorted(f for f in files if f.startswith(src) and f.endswith(b".rs"))[:3]]),
        Run("add-suppressions", ["check", ".", "--add-suppressions", "-q", "--jobs", "1", *_CACHE],
            target="wssup", edit="suppress"),
    ]
    if rng.random() < 0.3:
        plan.runs.append(Run("plan", ["plan", ".", "-o", "../out/plan.md", "--jobs", "1", *_CACHE]))
    return plan


SPECIAL_KINDS = (
    "link-outside-rel", "link-outside-abs", "link-outside-dir", "link-environ", "link-dev-zero", "link-urandom",
    "gitignore-dev-zero", "gitignore-outside", "config-dev-zero", "config-outside-link", "fifo-source",
    "fifo-gitignore", "fifo-config", "fifo-member-manifest", "socket-source", "link-loop", "dir-loop", "dangling",
    "unreadable-file", "unreadable-dir", "path-attr-outside", "path-attr-abs", "path-attr-dev", "include-outside",
    "long-path", "manifest-link-outside", "odd-name", "odd-name", "odd-name", "option-name",
)


def _deep_toml(rng: random.Random) -> bytes:
    depth = int(10 * 1000 ** rng.random())
    kind = rng.randrange(3)
    if kind == 0:
        return b"deep = " + b"[" * depth + b"]" * depth + b"\n"
    if kind == 1:
        return b"deep = " + b"{ a = " * depth + b"1" + b" }" * depth + b"\n"
    return b"[" + b".".join([b"a"] * depth) + b"]\nx = 1\n"


def _manifest(rng: random.Random) -> tuple[str, bytes]:
    head = b'[workspace]\nresolver = "2"\n'
    members = rng.choice((
        b'["crates/*", "' + REL_OUTSIDE + b'/crate"]', b'["' + REL_OUTSIDE + b'/*"]', b'["' + ABS_OUTSIDE + b'/crate"]',
        b'["crates/*", "../../../../../../../../etc"]', b'["/"]', b'["**"]', b'["crates/*/../../' + REL_OUTSIDE + b'/crate"]',
        b'["crates/\\u0000"]', b"[1, true]", b'"crates/*"', b'[["crates/*"]]', b"[]", b'["crates/*", "crates/*", "crates/*"]',
    ))
    kind = rng.randrange(9)
    if kind == 0:
        return "members", head + b"members = " + members + b"\n"
    if kind == 1:
        return "default-members", head + b'members = ["crates/*"]\ndefault-members = ["' + REL_OUTSIDE + b'/crate"]\n'
    if kind == 2:
        return "deep TOML", head + b'members = ["crates/*"]\n' + _deep_toml(rng)
    if kind == 3:
        many = int(10 * 20_000 ** rng.random())
        return "huge array", head + b'members = ["crates/*", ' + b", ".join(b'"m%d"' % i for i in range(many)) + b"]\n"
    if kind == 4:
        bad = rng.choice((b"\xff\xfe", b"\xc3", b"\x00", b"\xef\xbb\xbf"))
        return "invalid bytes", head + b'members = ["crates/*"]\n# ' + bad + b'\nname = "' + bad + b'"\n'
    if kind == 5:
        return "huge comment", head + b'members = ["crates/*"]\n' + b"#" + b"x" * int(10 ** (3 + 4 * rng.random())) + b"\n"
    if kind == 6:
        real = (FIXTURES / "demo" / "Cargo.toml").read_bytes()
        return "truncated/flipped", (truncate if rng.random() < 0.5 else byte_flips)(rng, real)
    if kind == 7:
        return "metadata", head + b'members = ["crates/*"]\n[workspace.metadata.rust-triage]\n' + _config_body(rng)[1]
    return "workspace.exclude", head + b'members = ["crates/*"]\nexclude = ["/", "..", "' + REL_OUTSIDE + b'"]\n'


def _member_manifest(rng: random.Random) -> tuple[str, bytes]:
    head = b'[package]\nname = "core"\nversion = "0.1.0"\nedition = "2021"\n'
    body = rng.choice((
        b'[lib]\npath = "' + REL_OUTSIDE + b'/secret.rs"\n', b'[lib]\npath = "' + ABS_OUTSIDE + b'/secret.rs"\n',
        b'[[bin]]\nname = "b"\npath = "' + ABS_OUTSIDE + b'/crate/src/main.rs"\n', b'[[test]]\nname = "t"\npath = "/dev/zero"\n',
        b'build = "' + REL_OUTSIDE + b'/secret.rs"\n', b'[lib]\npath = 5\n', b'[lib]\npath = "src/\\u0000.rs"\n',
        b'[[bin]]\nname = "x"\npath = "/proc/self/environ"\n',
    ))
    if body.startswith(b"build"):
        head, body = head + body, b""
    return "member targets", head + body


def plan_manifest(case: Case) -> Plan:
    rng = case.rng("manifest")
    plan = Plan(edit_targets=("wssup",))
    plan.ops.append(Op("copytree", source=str(FIXTURES / "demo")))
    if rng.random() < 0.7:
        what, data = _manifest(rng)
        plan.ops.append(Op("write", b"Cargo.toml", data, input=0))
    else:
        what, data = _member_manifest(rng)
        plan.ops.append(Op("write", b"crates/core/Cargo.toml", data, input=0))
    plan.inputs.append(f"manifest: {what}")
    plan.runs = [
        Run("check-json", ["check", ".", "-f", "json", "-o", "../out/report.json", "--jobs", "1", *_CACHE]),
        Run("check-text", ["check", ".", "--jobs", "1", *_CACHE]),
        Run("add-suppressions", ["check", ".", "--add-suppressions", "-q", "--jobs", "1", *_CACHE],
            target="wssup", edit="suppress"),
    ]
    return plan


_WRONG = (
    b"select = 5", b"select = [1]", b"ignore = { a = 1 }", b'severity = "high"', b"severity = { RT001 = 5 }",
    b'severity = { RT001 = "huge" }', b"fail-on = 3", b'fail-on = "extreme"', b'include-tests = "yes"',
    b"min-confidence = 1", b"thresholds = 5", b'thresholds = { oversized-file-lines = "abc" }',
    b"thresholds = { oversized-file-lines = -1 }", b"thresholds = { oversized-file-lines = 1e308 }",
    b"thresholds = { oversized-file-lines = nan }", b"thresholds = { oversized-file-lines = inf }",
    b"thresholds = { oversized-file-lines = [1, 2] }", b'rule-dirs = "x"', b'rule-dirs = ["/dev/zero"]',
    b'rule-dirs = ["/proc/self"]', b'overrides = "x"', b"overrides = [{ paths = 5 }]", b'overrides = [{ paths = ["["] }]',
    b'overrides = [{ paths = ["' + b"**/" * 200 + b'*"], ignore = ["RT001"] }]', b"rules = { RT201 = { phrases = 5 } }",
    b'rules = { RT201 = { phrases = ["(a+)+$", "' + b"x" * 10000 + b'"] } }', b'selct = ["RT0"]', b"[unknown]\na = 1",
    b"thresholds = { no-such-threshold = 5 }", b"rules = { RT9999 = {} }", b'select = ["RT0O1"]', b'ignore = ["RT9999"]',
    b"thresholds = { oversized-file-lines = 99999999999999999999999 }", b'severity = { "[/]" = "high" }',
)


def _config_body(rng: random.Random) -> tuple[str, bytes]:
    kind = rng.randrange(6)
    if kind < 2:
        picked = rng.sample(_WRONG, k=rng.randint(1, 3))
        tables = sorted((p for p in picked if p.startswith(b"[")), key=len)
        return "wrong types/keys", b"\n".join([p for p in picked if not p.startswith(b"[")] + tables) + b"\n"
    if kind == 2:
        return "deep nesting", _deep_toml(rng)
    if kind == 3:
        many = int(10 * 50_000 ** rng.random())
        return "huge", b"".join(b'[[overrides]]\npaths = ["p%d/**"]\nignore = ["RT001"]\n' % i for i in range(many))
    if kind == 4:
        real = (FIXTURES / "config" / "explicit.toml").read_bytes() + b'\nfail-on = "high"\n'
        return "truncated/flipped", (truncate if rng.random() < 0.5 else byte_flips)(rng, real)
    return "invalid bytes", b'select = ["RT0\xff"]\n# \xc3\x00\n'


def plan_config(case: Case) -> Plan:
    rng = case.rng("config")
    plan = Plan()
    plan.ops.append(Op("copytree", source=str(FIXTURES / "demo")))
    where = rng.choice(("rust-triage.toml", ".rust-triage.toml", "clippy.toml", "--config", "--baseline"))
    what, body = _config_body(rng)
    extra: list[str] = []
    if where == "clippy.toml":
        body = rng.choice((b'allow-unwrap-in-tests = "yes"\n', b"allow-unwrap-in-tests = [[[]]]\n", body))
    if where == "--config":
        extra = ["--config", "../inputs/config.toml"]
        plan.sandbox_files["config.toml"] = body
    elif where == "--baseline":
        report = json.dumps({"version": 1, "findings": [{"rule": "RT001", "file": "x.rs", "line": 1, "fingerprint": "f"}]})
        body = rng.choice((truncate(rng, report.encode()), byte_flips(rng, report.encode()), b"[" * 100000,
                           b'{"version": 1, "findings": 5}', b'{"version": "x", "findings": [null, 1, "a"]}', b"\xff\xfe"))
        what = "garbled baseline"
        extra = ["--baseline", "../inputs/baseline.json", "--new-only"]
        plan.sandbox_files["baseline.json"] = body
    else:
        plan.ops.append(Op("write", where.encode(), body, input=0))
    plan.inputs.append(f"config {where}: {what}")
    plan.runs = [
        Run("check-json", ["check", ".", "-f", "json", "-o", "../out/report.json", "--jobs", "1", *_CACHE, *extra]),
        Run("check-text", ["check", ".", "--jobs", "1", *_CACHE, *extra]),
    ]
    return plan


_DEEP_CHILD, _DEEP_EXPANSION = '"@@deep-child@@"', '"@@deep-expansion@@"'


def _garble_record(rng: random.Random, record: dict, targets: list[str]) -> bytes:
    """One compiler message with hostile spans; nesting deeper than Python's recursion limit is
    spliced into the JSON text (json.dumps could not write it)."""
    spans = _walk_spans(record.get("message") or {})
    depths: dict[str, int] = {}
    for span in spans:
        choice = rng.randrange(6)
        if choice == 0:
            span["file_name"] = rng.choice(targets)
        elif choice == 1:
            key = rng.choice(("line_start", "line_end", "column_start", "column_end", "byte_start"))
            span[key] = rng.choice((1e30, -1, 0, 2**64, 1.5, "12", None, True, [1], {}, float("1e308")))
        elif choice == 2:
            span["file_name"] = str(span.get("file_name", "src/lib.rs")) + "\x00.rs"
        elif choice == 3:
            span["expansion"] = _DEEP_EXPANSION.strip('"')
            depths[_DEEP_EXPANSION] = int(10 * 500 ** rng.random())
    if rng.random() < 0.2 and isinstance(record.get("message"), dict):
        record["message"]["children"] = [_DEEP_CHILD.strip('"')]
        depths[_DEEP_CHILD] = int(10 * 500 ** rng.random())
    text = json.dumps(record)
    if _DEEP_CHILD in depths:
        child = '{"message": "child", "level": "note", "spans": [], "code": null, "rendered": null, "children": ['
        depth = depths[_DEEP_CHILD]
        text = text.replace(_DEEP_CHILD, child * depth + "]}" * depth)
    if _DEEP_EXPANSION in depths:
        depth = depths[_DEEP_EXPANSION]
        inner = json.dumps({"file_name": "src/lib.rs", "line_start": 1, "line_end": 1, "column_start": 1,
                            "column_end": 2, "is_primary": True, "text": [], "expansion": None})
        wrapped = '{"macro_decl_name": "m!", "def_site_span": null, "span": ' * depth + inner + "}" * depth
        text = text.replace(_DEEP_EXPANSION, wrapped)
    return text.encode()


def _walk_spans(message: dict) -> list[dict]:
    found, stack = [], [message]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.extend(s for s in node.get("spans") or [] if isinstance(s, dict))
            stack.extend(node.get("children") or [])
    return found


def plan_cargo_json(case: Case) -> Plan:
    rng = case.rng("cargo-json")
    plan = Plan()
    base = rng.choice(_CARGO_BASES)
    plan.ops.append(Op("copytree", source=str(FIXTURES / base)))
    plan.ops.append(Op("fifo", b"src/fifo.rs", input=0))
    lines = (FIXTURES / f"{base}.cargo.json").read_bytes().splitlines()
    targets = ["/dev/zero", "/dev/urandom", "src/fifo.rs", "/proc/self/environ", "{ABS_OUTSIDE}/secret.rs",
               "../outside/secret.rs", "src", "", "\x1b[31m[/]::error::x"]
    kind = rng.randrange(5)
    if kind <= 1:
        out = [_garble_record(rng, json.loads(line), targets) if rng.random() < 0.5 else line for line in lines]
        what = "garbled spans"
    elif kind == 2:
        out = [truncate(rng, line) if rng.random() < 0.3 else line for line in lines]
        what = "truncated lines"
    elif kind == 3:
        out = [byte_flips(rng, line) if rng.random() < 0.3 else line for line in lines]
        what = "byte flips"
    else:
        choice = rng.randrange(5)
        out = [(b"[" * 100000, b"\x00" * 1000, b'"x"\n5\nnull\n[]', rng.choice(lines) * 20000,
                mutate_content(rng, b"\n".join(lines), rng.choice(seed_texts())[1])[0])[choice]]
        what = ("deep JSON", "NUL bytes", "non-object records", "one huge line", "mutated text")[choice]
    plan.sandbox_files["cargo.json"] = b"\n".join(out) + b"\n"
    plan.inputs.append(f"cargo JSON on {base}: {what}")
    fmts = rng.sample(("markdown", "json", "sarif"), k=2)
    plan.runs = [Run(f"cargo-{f}", ["cargo", "--input", "../inputs/cargo.json", "-f", f, "-o", f"../out/cargo.{f}"])
                 for f in fmts]
    if rng.random() < 0.3:
        plan.runs.append(Run("cargo-stdin", ["cargo", "--input", "-"], stdin=plan.sandbox_files["cargo.json"]))
    if rng.random() < 0.4:
        plan.runs.append(Run("plan-cargo", ["plan", ".", "--cargo-json", "../inputs/cargo.json", "-o", "../out/plan.md",
                                            "--jobs", "1", *_CACHE]))
    return plan


def plan_heavy(case: Case) -> Plan:
    """One file of extreme size or depth in a small workspace: the analysis must stay bounded."""
    rng = case.rng("heavy")
    plan = Plan(edit_targets=("wssup",))
    plan.ops.append(Op("copytree", source=str(FIXTURES / "demo")))
    source, text = rng.choice(seed_texts())
    data, what = mutate_heavy(rng, text)
    plan.ops.append(Op("write", b"crates/core/src/heavy.rs", data, input=0))
    plan.ops.append(Op("append", b"crates/core/src/lib.rs", b"\npub mod heavy;\n", input=0))
    plan.inputs.append(f"heavy file ({len(data)} bytes) from {source.rsplit('/', 1)[-1]}: {what}")
    plan.runs = [
        Run("check-json", ["check", ".", "-f", "json", "-o", "../out/report.json", "--jobs", "1", *_CACHE]),
        Run("add-suppressions", ["check", ".", "--add-suppressions", "-q", "--jobs", "1", *_CACHE],
            target="wssup", edit="suppress"),
    ]
    return plan


PLANNERS = {"heavy": plan_heavy, "special": plan_special, "manifest": plan_manifest, "config": plan_config, "cargo-json": plan_cargo_json}
