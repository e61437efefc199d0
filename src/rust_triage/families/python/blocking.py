"""Calls that block the thread they run on: a catalogue keyed by fully qualified name.

Names are qualified by rust_triage.families.python.resolve (import aliases resolved, `()` marks a call
result): `subprocess.run`, `time.sleep`, `builtins.open`, `subprocess.Popen().wait`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BlockingSpec:
    kind: str  # what blocks: "runs a process", "sleeps"...
    codes: tuple[str, ...]  # equivalent ruff rules; `# noqa: <code>` on the line suppresses
    fix: str
    severity: str = "high"


_PROCESS = BlockingSpec(
    "runs a process and waits for it", ("ASYNC221",),
    "use `await asyncio.create_subprocess_exec(...)` (or `await asyncio.to_thread(subprocess.run, ...)`)",
)
_SPAWN = BlockingSpec(
    "starts a process with a blocking call", ("ASYNC220",),
    "use `await asyncio.create_subprocess_exec(...)`",
)
_PROCESS_WAIT = BlockingSpec(
    "waits for a child process", ("ASYNC220", "ASYNC222"),
    "use `asyncio.create_subprocess_exec` and `await proc.wait()` / `await proc.communicate()`",
)
_WAIT = BlockingSpec("waits for a child process", ("ASYNC222",), "use `await asyncio.to_thread(os.waitpid, ...)`")
_SLEEP = BlockingSpec("sleeps the whole event loop", ("ASYNC251",), "use `await asyncio.sleep(...)`")
_HTTP = BlockingSpec(
    "makes a blocking HTTP request", ("ASYNC210", "ASYNC212"),
    "use an async client (`httpx.AsyncClient`, `aiohttp`) or `await asyncio.to_thread(...)`",
)
_FILE = BlockingSpec(
    "does synchronous file I/O", ("ASYNC230",),
    "use `aiofiles`/`anyio.open_file`, or move the I/O into `await asyncio.to_thread(...)`", "medium",
)
_PATH_IO = BlockingSpec(
    "does synchronous file I/O", ("ASYNC240",),
    "use `anyio.Path`, or move the I/O into `await asyncio.to_thread(...)`", "medium",
)
_INPUT = BlockingSpec("waits for terminal input", ("ASYNC250",), "read input with `await asyncio.to_thread(input)`")
_SOCKET = BlockingSpec(
    "does blocking socket I/O", (),
    "use `asyncio.open_connection` / loop socket methods (`await loop.sock_connect(...)`)",
)

_EXACT: dict[str, BlockingSpec] = {
    **dict.fromkeys(
        ("subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
         "subprocess.getoutput", "subprocess.getstatusoutput", "os.system"), _PROCESS),
    **dict.fromkeys(("os.popen", "os.posix_spawn", "os.posix_spawnp"), _SPAWN),
    **dict.fromkeys(("subprocess.Popen().wait", "subprocess.Popen().communicate"), _PROCESS_WAIT),
    **dict.fromkeys(("os.wait", "os.waitpid", "os.wait3", "os.wait4", "os.waitid"), _WAIT),
    "time.sleep": _SLEEP,
    **dict.fromkeys(
        ("urllib.request.urlopen", "urllib.request.urlretrieve", "urllib3.request",
         "urllib3.PoolManager().request", "urllib3.PoolManager().urlopen"), _HTTP),
    **dict.fromkeys(("builtins.open", "io.open", "codecs.open", "pathlib.Path().open"), _FILE),
    **dict.fromkeys(
        ("pathlib.Path().read_text", "pathlib.Path().read_bytes", "pathlib.Path().write_text",
         "pathlib.Path().write_bytes"), _PATH_IO),
    "builtins.input": _INPUT,
    **dict.fromkeys(("socket.create_connection", "socket.getaddrinfo", "socket.gethostbyname"), _SOCKET),
}
_HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "stream"})
_SOCKET_METHODS = frozenset({"connect", "accept", "recv", "recv_into", "recvfrom", "send", "sendall", "sendto"})
_HTTP_CLIENTS = {"requests": ("Session()", "session()"), "httpx": ("Client()",)}


def blocking_spec(qualified: str) -> BlockingSpec | None:
    """The catalogue entry for a qualified callee, or None when the call is not known to block."""
    spec = _EXACT.get(qualified)
    if spec is not None:
        return spec
    parts = qualified.split(".")
    if parts[0] in _HTTP_CLIENTS and parts[-1] in _HTTP_VERBS:
        if len(parts) == 2 or (len(parts) == 3 and parts[1] in _HTTP_CLIENTS[parts[0]]):
            return _HTTP
    if parts[0] == "os" and len(parts) == 2 and parts[1].startswith("spawn"):
        return _SPAWN
    if len(parts) == 3 and parts[:2] == ["socket", "socket()"] and parts[2] in _SOCKET_METHODS:
        return _SOCKET
    return None


def display_call(qualified: str) -> str:
    """`subprocess.Popen().wait` -> `subprocess.Popen(...).wait(...)`; builtins lose their prefix."""
    text = qualified.removeprefix("builtins.").replace("()", "(...)")
    return f"{text}(...)"
