"""Mutations of Rust source text and hostile file names, driven by a `random.Random` (seeded, deterministic).

Every function takes the generator first and returns new bytes; nothing here touches the disk.
"""

from __future__ import annotations

import random
from collections.abc import Callable

# Text that the reporters must escape: rich markup, GitHub workflow commands, terminal control
# sequences, Markdown fences, raw HTML, XML-invalid control characters, bidi overrides.
HOSTILE_SNIPPETS = (
    b"[/]", b"[bold red]x[/bold red]", b"[link=file:///etc/passwd]x[/link]", b"\\[/]",
    b"::error::pwned", b"::error file=a.rs,line=1::pwned", b"::add-mask::x", b"%0A::warning::x",
    b"\x1b[31mred\x1b[0m", b"\x1b]0;title\x07", b"\x1b[2J", b"\x07\x08\x7f",
    b"```", b"</code></pre><script>alert(1)</script>", b"<img src=x onerror=alert(1)>", b"&amp;&lt;",
    b"\x01\x02\x0b\x0c\x1f", b"\xe2\x80\xae", b"\xef\xbb\xbf", b"\xc2\x85",
)
# Lines that give the rules something to report (so --add-suppressions and plans have work).
FINDING_LINES = (
    b"    let _a = Some(1).unwrap();",
    b"    let _b: Result<u8, ()> = Ok(1); _b.expect(\"boom\");",
    b"    todo!()",
    b"    // TODO for now, fix in production",
    b"    panic!(\"[/] ::error::x\");",
    b"    unimplemented!();",
    b"    std::thread::sleep(std::time::Duration::from_secs(1));",
)


def _size(rng: random.Random, low: int, high: int) -> int:
    """Log-uniform integer in [low, high]: mostly small, sometimes huge."""
    return int(low * (high / low) ** rng.random())


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def byte_flips(rng: random.Random, data: bytes) -> bytes:
    if not data:
        return bytes([rng.randrange(256)])
    buf = bytearray(data)
    for _ in range(_size(rng, 1, 64)):
        pos = rng.randrange(len(buf))
        choice = rng.random()
        if choice < 0.4:
            buf[pos] ^= 1 << rng.randrange(8)
        elif choice < 0.7:
            buf[pos] = rng.choice(b"\x00\xff\r\n\x1b{}()[]<>\"'/\\#!*;:\x80\xc3")
        else:
            buf[pos] = rng.randrange(256)
    return bytes(buf)


# Size limits: inside a 50-file batch the size mutations stay moderate, so one slow file does not slow
# every run of the batch; `heavy` cases (one file per workspace) go to the extremes.
LIMITS = {False: {"depth": 400, "line": 20_000}, True: {"depth": 8000, "line": 2_000_000}}


def _deep(rng: random.Random, heavy: bool = False) -> bytes:
    depth = _size(rng, 20, LIMITS[heavy]["depth"])
    kind = rng.randrange(9)
    if kind == 0:
        return b"{" * depth
    if kind == 1:
        return b"fn deep() " + b"{ " * depth + b"}" * depth + b"\n"
    if kind == 2:
        return b"mod m { " * depth + b"fn f() { x.unwrap(); }" + b" }" * depth + b"\n"
    if kind == 3:
        return b"type Deep = " + b"Vec<" * depth + b"u8" + b">" * depth + b";\n"
    if kind == 4:
        return b"fn p() -> u8 { " + b"(" * depth + b"1" + b")" * depth + b" }\n"
    if kind == 5:
        return b"fn chain() { x" + b".a()" * depth * 2 + b".unwrap(); }\n"
    if kind == 6:
        return b"fn sum() -> u64 { " + b" + ".join([b"1"] * depth * 4) + b" }\n"
    if kind == 7:
        return b"fn c() { let f = " + b"|x| " * depth + b"x; }\n"
    return b"".join(b"fn f%d() { g%d(); }\n" % (i, i + 1) for i in range(depth * 4))


def deep_nesting(rng: random.Random, data: bytes, heavy: bool = False) -> bytes:
    pos = _line_start(rng, data)
    return data[:pos] + _deep(rng, heavy) + data[pos:]


def huge_line(rng: random.Random, data: bytes, heavy: bool = False) -> bytes:
    length = _size(rng, 2_000, LIMITS[heavy]["line"])
    kind = rng.randrange(5)
    if kind == 0:  # the whole file on one line
        return (data.replace(b"\n", b" ").replace(b"//", b"/**/") * (length // max(len(data), 1) + 1))[:length]
    if kind == 1:
        line = b"// " + b"x" * length
    elif kind == 2:
        line = b'const S: &str = "' + b"a" * length + b'";'
    elif kind == 3:
        line = b"fn w() { " + b"a.unwrap(); " * (length // 12) + b"}"
    else:
        line = b"static B: [u8; 3] = [" + b"1," * (length // 2) + b"];"
    pos = _line_start(rng, data)
    return data[:pos] + line + b"\n" + data[pos:]


def splice(rng: random.Random, data: bytes, other: bytes) -> bytes:
    if not other:
        return data
    start = rng.randrange(len(other))
    chunk = other[start : start + _size(rng, 1, 4000)]
    pos = rng.randrange(len(data) + 1)
    return data[:pos] + chunk + data[pos:]


def line_surgery(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    a = rng.randrange(len(lines))
    b = min(len(lines), a + _size(rng, 1, 200))
    if rng.random() < 0.5:
        del lines[a:b]
    else:
        lines[a:a] = lines[a:b] * _size(rng, 1, 50)
    return b"\n".join(lines)


def hostile_text(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    for _ in range(_size(rng, 1, 10)):
        snippet = rng.choice(HOSTILE_SNIPPETS)
        wrap = rng.randrange(4)
        if wrap == 0:
            line = b"    // TODO for now " + snippet
        elif wrap == 1:
            line = b'    let _s = "' + snippet.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'".to_string().unwrap();'
        elif wrap == 2:
            line = b"    /// " + snippet + b"\n    fn " + snippet + b"() {}"
        else:
            line = b'    panic!("' + snippet.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'");'
        lines.insert(rng.randrange(len(lines) + 1), line)
    return b"\n".join(lines)


def line_endings(rng: random.Random, data: bytes) -> bytes:
    kind = rng.randrange(4)
    if kind == 0:
        return data.replace(b"\n", b"\r\n")
    if kind == 1:  # a bare CR inside a comment, just above a line with a finding
        lines = data.split(b"\n")
        pos = rng.randrange(len(lines) + 1)
        lines[pos:pos] = [b"    // a comment\rwith a bare CR", rng.choice(FINDING_LINES)]
        return b"\n".join(lines)
    if kind == 2:
        return data.replace(b"\n", b"\r")
    lines = data.split(b"\n")
    return b"".join(line + rng.choice((b"\n", b"\r\n", b"\r", b"\n\r", b"\x0b", b"\x0c", b"\xe2\x80\xa8")) for line in lines)


def encoding(rng: random.Random, data: bytes) -> bytes:
    kind = rng.randrange(5)
    if kind == 0:
        return b"\xef\xbb\xbf" + data
    if kind == 1:
        return data.decode("utf-8", "replace").encode("utf-16")
    if kind == 2:
        return data.decode("utf-8", "replace").encode("latin-1", "replace")
    pos = rng.randrange(len(data) + 1)
    return data[:pos] + rng.choice((b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x00" * 8)) + data[pos:]


def sprinkle_findings(rng: random.Random, data: bytes) -> bytes:
    lines = data.split(b"\n")
    for _ in range(_size(rng, 1, 30)):
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(FINDING_LINES))
    return b"\n".join(lines)


def _line_start(rng: random.Random, data: bytes) -> int:
    starts = [0] + [i + 1 for i, c in enumerate(data) if c == 0x0A][:5000]
    return rng.choice(starts)


CONTENT_MUTATIONS: dict[str, Callable[..., bytes]] = {
    "truncate": truncate,
    "byte-flips": byte_flips,
    "deep-nesting": deep_nesting,
    "huge-line": huge_line,
    "splice": splice,
    "line-surgery": line_surgery,
    "hostile-text": hostile_text,
    "line-endings": line_endings,
    "encoding": encoding,
    "findings": sprinkle_findings,
}
# Weights: the cheap structural mutations most often, the expensive size ones less.
_WEIGHTS = {"truncate": 10, "byte-flips": 14, "deep-nesting": 4, "huge-line": 2, "splice": 10,
            "line-surgery": 8, "hostile-text": 10, "line-endings": 8, "encoding": 5, "findings": 12}


def mutate_content(rng: random.Random, data: bytes, other: bytes) -> tuple[bytes, list[str]]:
    """Apply one to three mutations (sizes moderate); returns the new text and the mutations' names."""
    names = rng.choices(list(_WEIGHTS), weights=list(_WEIGHTS.values()), k=rng.choice((1, 1, 2, 3)))
    for name in names:
        func = CONTENT_MUTATIONS[name]
        data = func(rng, data, other) if name == "splice" else func(rng, data)
    return data, names


# File names (no NUL, components of at most 255 bytes); the few with `/` also make a directory, as in
# `src/a[/]x.rs`.
ODD_NAMES: tuple[bytes, ...] = (
    b"bad\xff\xfename.rs", b"lat\xe9n.rs", b"\xc3(.rs",
    b"a[/]x.rs", b"[bold red]x[/].rs", b"[link=file:///etc/passwd]x.rs", b"\\[x].rs",
    b"--output=build.rs", b"--cache-dir=evil.rs", b"--config=x.rs", b"-o", b"-rf.rs", b"--fix.rs",
    b"--format=html.rs", b"--select=NONE.rs", b"-", b"--",
    b"::error::x.rs", b"::error file=a,line=1::pwned.rs", b"%0A::error::x.rs",
    b"a\nb.rs", b"a\n::error::pwned.rs", b"a\rb.rs", b"tab\there.rs",
    b"\x1b[31mred.rs", b"\x1b]0;title\x07.rs", b"bell\x07\x08.rs", b"del\x7f.rs", b"ctl\x01\x1f.rs",
    b"<img src=x onerror=alert(1)>.rs", b"```.rs", b"a|b.rs", b"&amp;.rs", b"<!--.rs", b"]]>.rs",
    b"a b.rs", b"'\".rs", b"*.rs", b"?.rs", b"~.rs", b"$HOME.rs", b"$(id).rs", b"`id`.rs", b"!.rs",
    b"\xc3\xa9t\xc3\xa9.rs", b"e\xcc\x81te\xcc\x81.rs", b"\xe2\x80\xaegnp.rs", b"\xe2\x80\x8bzw.rs",
    b".rs", b"..rs", b"...", b"a.RS", b"lib.rs ", b" lead.rs", b"mod.rs.rs", b"x.rs.bak",
    b"#hash.rs", b"%s%n.rs", b"{x}.rs", b"con.rs", b"nul.rs",
)


def odd_name(rng: random.Random) -> bytes:
    if rng.random() < 0.15:  # a very long name, up to the 255-byte limit
        return b"long_" + b"n" * rng.randrange(10, 246) + b".rs"
    return rng.choice(ODD_NAMES)


def mutate_heavy(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """One extreme size mutation: nesting thousands deep, a line of megabytes, tens of thousands of items."""
    if rng.random() < 0.55:
        return deep_nesting(rng, data, heavy=True), "deep-nesting"
    return huge_line(rng, data, heavy=True), "huge-line"
