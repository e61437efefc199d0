"""One escaping function per output context, for text that comes from the analysed code.

File names, messages, comments and snippets are untrusted: they may hold rich markup, terminal escape
sequences, GitHub workflow commands, Markdown fences, HTML, characters XML forbids, or bytes that are
not UTF-8. Every reporter passes such text through the function for its context:

- `display`: bytes of a file name that are not UTF-8 (kept internally as surrogate escapes, as
  `os.fsdecode` gives them) become the text `\\xNN`; the same spelling in every output format.
- `visible`: control characters (C0, DEL, C1), bidirectional overrides and line separators become
  visible escapes (`\\x1b`, `\\u202e`); newlines stay only in multi-line text.
- `rich_markup`: text inserted into rich console markup.
- `ci_safe`: the last pass over any text that may reach a CI log: a line that would start a GitHub
  workflow command (`::cmd::`, after leading spaces) or hold a legacy one (`##[cmd]`, anywhere) is
  neutralised by escaping one character.
- `github_data`, `github_property`: the message and property parts of a workflow command.
- `markdown_text`, `markdown_code`, `markdown_fence`: Markdown inline text, code spans, fenced blocks.
- `html_text`: HTML text and quoted attribute values.
- `xml_text`: XML 1.0 text (GraphML): characters XML forbids become visible escapes.
- `json_clean`, `json_dumps`: JSON with the exact data, safe to print (see `json_dumps`).

This module imports nothing from the rest of the package, so every layer may use it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict, deque
from typing import Any

_BIDI = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
_SEPARATORS = (0x2028, 0x2029)  # line and paragraph separator: new lines to some viewers


def _escape_of(code: int) -> str:
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, surrogate-escaped by os.fsdecode
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _table(codes: list[int]) -> dict[int, str]:
    return {code: _escape_of(code) for code in codes}


_SURROGATES = list(range(0xD800, 0xE000))
_CONTROLS = [c for c in range(0x20) if c not in (0x09, 0x0A)] + [0x7F, *range(0x80, 0xA0)]
_DISPLAY = _table(_SURROGATES)
_VISIBLE_BLOCK = _table(_SURROGATES + _CONTROLS + list(_BIDI) + list(_SEPARATORS))
_VISIBLE_LINE = {**_VISIBLE_BLOCK, 0x0A: "\\n"}


def display(text: str) -> str:
    """`text` with lone surrogates (undecodable file-name bytes) spelled `\\xNN`; otherwise unchanged."""
    return text if text.isascii() else text.translate(_DISPLAY)


def visible(text: str, *, multiline: bool = False) -> str:
    """Control characters, bidi overrides, line separators and undecodable bytes as visible escapes.

    Tabs stay; newlines stay when `multiline` (a CRLF becomes a plain newline), else become `\\n`.
    """
    if multiline:
        return text.replace("\r\n", "\n").translate(_VISIBLE_BLOCK)
    return text.translate(_VISIBLE_LINE)


def rich_markup(text: str) -> str:
    """One line of untrusted text for rich console markup: visible, and no tag can be opened or closed."""
    from rich.markup import escape

    return escape(visible(text))


# -- CI logs (GitHub Actions workflow commands) -------------------------------------------------

# The runner reads `::command ...::data` when a line starts with `::` after leading white space, and
# the legacy `##[command]data` anywhere in a line.
_COMMAND_LINE = re.compile(r"^([^\S\n]*):(?=:)", re.MULTILINE)


def ci_safe(text: str, *, colon: str = "\\x3a", hash_sign: str = "\\x23") -> str:
    """Neutralise workflow commands in (multi-line) output: the first `:` of a line starting with `::`
    becomes `colon`, the second `#` of every `##[` becomes `hash_sign` (pass entity references for HTML)."""
    if "::" in text:
        text = _COMMAND_LINE.sub(lambda m: m.group(1) + colon, text)
    return text.replace("##[", f"#{hash_sign}[")


def github_data(text: str) -> str:
    """The message part of a workflow command (GitHub's escaping: `%`, CR, LF; GitHub shows the line
    breaks), other control characters made visible."""
    return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def github_property(text: str) -> str:
    """A property value (file, title): also `:` and `,`, which separate command parts and properties."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


# -- Markdown ---------------------------------------------------------------------------------

_BACKTICKS = re.compile(r"`+")
_MD_INLINE = str.maketrans({c: "\\" + c for c in "\\`*[]<>&|~"})
# At the start of a line (or of a list item) these open a block: heading, quote, list, rule, setext.
_MD_BLOCK_START = re.compile(r"^(\s*(?:\d{1,9})?)([#>+=.)-])")


def markdown_code(text: str) -> str:
    """A code span holding `text` exactly (one line): the delimiter is longer than any backtick run."""
    body = visible(text)
    ticks = "`" * (max((len(run) for run in _BACKTICKS.findall(body)), default=0) + 1)
    if body.startswith("`") or body.endswith("`") or (body.startswith(" ") and body.endswith(" ") and body.strip()):
        body = f" {body} "
    return f"{ticks}{body}{ticks}" if body else "` `"


def markdown_text(text: str, *, table: bool = False) -> str:
    """One line of inline Markdown: code spans in `text` (as `markdown_code` writes them) stay code; in
    the rest, characters that would start HTML, links, emphasis, entities or blocks are backslash-escaped.
    `table`: also escape `|` inside code spans (GitHub splits table cells before reading code spans)."""
    body = visible(text)
    out: list[str] = []
    pos = 0
    for start, stop in _code_spans(body):
        out.append(body[pos:start].translate(_MD_INLINE))
        span = body[start:stop]
        out.append(span.replace("|", "\\|") if table else span)
        pos = stop
    out.append(body[pos:].translate(_MD_INLINE))  # unmatched backtick runs are escaped here too
    escaped = "".join(out)
    return _MD_BLOCK_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", escaped, count=1)


def _code_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) of each CommonMark code span: a backtick run up to the next run of the same length.
    Linear: runs are queued by length, and a queue is trimmed lazily past the current position."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(body)]
    by_length: dict[int, deque[int]] = defaultdict(deque)
    for index, (start, stop) in enumerate(runs):
        by_length[stop - start].append(index)
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(runs):
        start, stop = runs[index]
        queue = by_length[stop - start]
        while queue and queue[0] <= index:
            queue.popleft()
        if not queue:  # no closing run: this one is literal text
            index += 1
            continue
        closer = queue.popleft()
        spans.append((start, runs[closer][1]))
        index = closer + 1
    return spans


def markdown_fence(content: str, info: str = "") -> list[str]:
    """A fenced code block (as lines) that `content` cannot close: the fence is longer than any backtick
    run in it. Control characters become visible; CI commands are neutralised by `ci_safe` later."""
    body = visible(content, multiline=True)
    ticks = "`" * max(3, max((len(run) for run in _BACKTICKS.findall(body)), default=0) + 1)
    return [f"{ticks}{visible(info).replace('`', '')}", *body.split("\n"), ticks]


# -- HTML, XML, JSON --------------------------------------------------------------------------


def _html_escape(text: str) -> str:
    """`html.escape(text, quote=True)`, without importing `html` (its entity table) in every run."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\'", "&#x27;"))


def html_text(text: str) -> str:
    """HTML text or a double-quoted attribute value: `& < > " '` as references, control characters
    visible (newlines kept)."""
    return _html_escape(visible(text, multiline=True))


def html_inline_markdown(text: str) -> str:
    """Inline text written for Markdown (code spans as `markdown_code` writes them) as HTML: each code
    span becomes `<code>`, everything is escaped as `html_text`."""
    body = visible(text, multiline=True)
    out: list[str] = []
    pos = 0
    for start, stop in _code_spans(body):
        out.append(_html_escape(body[pos:start]))
        span = body[start:stop]
        ticks = len(span) - len(span.lstrip("`"))
        inner = span[ticks:len(span) - ticks]
        if len(inner) > 2 and inner.startswith(" ") and inner.endswith(" ") and inner.strip():
            inner = inner[1:-1]  # CommonMark strips one space on each side
        out.append(f"<code>{_html_escape(inner)}</code>")
        pos = stop
    out.append(_html_escape(body[pos:]))
    return "".join(out)


def html_ci_safe(page: str) -> str:
    """`ci_safe` for an HTML document: the escaped characters are written as character references."""
    return ci_safe(page, colon="&#58;", hash_sign="&#35;")


# Characters output keeps as data but writes escaped (JSON \\u, XML &#x;): DEL, C1, bidi, separators.
_INERT = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text XML 1.0 accepts: forbidden characters (most C0 controls, lone surrogates, U+FFFE/U+FFFF)
    become visible escapes; everything else is kept for the XML writer to escape."""
    return _XML_FORBIDDEN.sub(lambda m: _escape_of(ord(m.group())), text)


def xml_inert(document: str) -> str:
    """A serialised XML document with DEL, C1 controls, bidi overrides and line separators written as
    character references: the same data, nothing a terminal acts on (they occur only in text/values)."""
    return _INERT.sub(lambda m: f"&#x{ord(m.group()):x};", document)


def json_clean(value: Any) -> Any:
    """A copy of a JSON-shaped value whose strings (keys included) hold no lone surrogates (`display`)."""
    if isinstance(value, str):
        return display(value)
    if isinstance(value, dict):
        return {display(k) if isinstance(k, str) else k: json_clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_clean(v) for v in value]
    return value




def json_dumps(value: Any, **kwargs: Any) -> str:
    """`json.dumps` (UTF-8 text kept) of `json_clean(value)`, where DEL, C1 controls, bidi overrides and
    line separators are written as `\\uXXXX` and `##[` as `#\\u0023[`: the same data, but nothing a
    terminal or a CI log would act on."""
    text = _fast_dumps(value, kwargs)
    if text is None:
        text = json.dumps(json_clean(value), ensure_ascii=False, **kwargs)
    text = _INERT.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text.replace("##[", "#\\u0023[")


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _fast_dumps(value: Any, kwargs: dict[str, Any]) -> str | None:
    """What `json.dumps(json_clean(value), ensure_ascii=False, **kwargs)` writes, from the C encoder: it
    writes compact text only, so an indented document is indented by `msgspec.json.format` (which moves
    white space alone). None when that is not sure to be the same text: other arguments than `indent`
    and `sort_keys`, a lone surrogate (`json_clean` would change it), NaN or infinities (not JSON)."""
    indent = kwargs.get("indent")
    if not set(kwargs) <= {"indent", "sort_keys"} or not (indent is None or (type(indent) is int and indent > 0)):
        return None
    try:
        text = json.dumps(value, ensure_ascii=False, sort_keys=bool(kwargs.get("sort_keys")))
    except (TypeError, ValueError):
        return None
    if _LONE_SURROGATE.search(text):
        return None
    if indent is None:
        return text
    import msgspec

    try:
        return msgspec.json.format(text, indent=indent)
    except msgspec.DecodeError:  # NaN or Infinity
        return None
