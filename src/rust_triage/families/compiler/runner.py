"""Run `cargo check --message-format=json` and stream its stdout lines (no shell)."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from pathlib import Path
from typing import IO

from rust_triage.errors import UsageError

_STDERR_TAIL = 40
_TERMINATE_TIMEOUT = 5.0


class CargoNotFound(RuntimeError):
    """No cargo executable could be found or started."""


class CargoError(RuntimeError):
    """cargo failed before producing any compiler output (broken manifest, unknown flag...)."""


def find_cargo() -> str:
    """Path of the cargo executable: $CARGO, then PATH, then ~/.cargo/bin/cargo."""
    from_env = os.environ.get("CARGO")
    if from_env and Path(from_env).is_file() and os.access(from_env, os.X_OK):
        return from_env
    found = shutil.which("cargo")
    if found:
        return found
    home = Path(os.environ.get("CARGO_HOME") or Path.home() / ".cargo") / "bin" / "cargo"
    if home.is_file() and os.access(home, os.X_OK):
        return str(home)
    raise CargoNotFound("cargo was not found: install Rust (https://rustup.rs) or put cargo on PATH")


def cargo_check_command(
    root_or_manifest: Path,
    extra_args: Sequence[str] = (),
    offline: bool = False,
    cargo: str | None = None,
    keep_going: bool = True,
) -> tuple[list[str], Path]:
    """The argv and working directory of the check run for a workspace directory or a Cargo.toml.

    `--keep-going` (cargo >= 1.74) makes cargo check every crate even after one failed, so the report
    covers the whole workspace instead of whichever crates happened to finish first.
    """
    path = Path(root_or_manifest)
    if not path.exists():
        raise UsageError(f"no such file or directory: {path}")
    manifest = path if path.is_file() else path / "Cargo.toml"
    cwd = path.parent if path.is_file() else path
    argv = [cargo or find_cargo(), "check", "--workspace", "--all-targets", "--message-format=json"]
    if keep_going:
        argv.append("--keep-going")
    if offline:
        argv.append("--offline")
    if manifest.is_file():
        argv += ["--manifest-path", str(manifest.resolve())]
    argv += list(extra_args)
    return argv, cwd.resolve()


class CargoRun:
    """Iterator over cargo's stdout lines; `returncode` and `stderr_tail` are set once it is exhausted.

    Leaving the iteration early (break, exception, Ctrl-C) terminates cargo.
    """

    def __init__(
        self,
        argv: list[str],
        cwd: Path,
        on_line: Callable[[str], None] | None = None,
        on_stderr: Callable[[str], None] | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.argv = argv
        self.cwd = cwd
        self.on_line = on_line
        self.on_stderr = on_stderr
        self.env = env
        self.returncode: int | None = None
        self.stderr_tail: deque[str] = deque(maxlen=_STDERR_TAIL)
        self._lines = self._run()

    @property
    def command(self) -> str:
        return " ".join(self.argv)

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        return next(self._lines)

    def close(self) -> None:
        self._lines.close()

    def _drain_stderr(self, stream: IO[str]) -> None:
        for line in stream:
            text = line.rstrip("\r\n")
            self.stderr_tail.append(text)
            if self.on_stderr is not None:
                self.on_stderr(text)

    def _run(self) -> Generator[str, None, None]:
        try:
            process = subprocess.Popen(
                self.argv, cwd=self.cwd, env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace", bufsize=1,
            )
        except OSError as exc:
            raise CargoNotFound(f"cannot run {self.argv[0]}: {exc.strerror or exc}") from exc
        drain = threading.Thread(target=self._drain_stderr, args=(process.stderr,), daemon=True)
        drain.start()
        produced_json = False
        try:
            assert process.stdout is not None
            for line in process.stdout:
                line = line.rstrip("\r\n")
                produced_json = produced_json or line.startswith("{")
                if self.on_line is not None:
                    self.on_line(line)
                yield line
            self.returncode = process.wait()
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=_TERMINATE_TIMEOUT)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            drain.join(timeout=_TERMINATE_TIMEOUT)
            if process.stdout is not None:
                process.stdout.close()
            if process.stderr is not None:
                process.stderr.close()
        if self.returncode and not produced_json:
            detail = "\n".join(line for line in self.stderr_tail if line.strip()) or "(no output)"
            raise CargoError(f"cargo exited with status {self.returncode}:\n{detail}")


def run_cargo(
    root_or_manifest: Path,
    extra_args: Sequence[str] = (),
    offline: bool = False,
    on_line: Callable[[str], None] | None = None,
    *,
    on_stderr: Callable[[str], None] | None = None,
    target_dir: Path | None = None,
    cargo: str | None = None,
    keep_going: bool = True,
) -> CargoRun:
    """Start `cargo check --workspace --all-targets --message-format=json --keep-going [--offline]
    [--manifest-path M] <extra_args>` and return an iterator over its stdout lines.

    `on_line` sees every stdout line, `on_stderr` every stderr line (cargo's "Checking ..." progress).
    Raises CargoNotFound without cargo, UsageError for a missing path, and CargoError (while iterating)
    when cargo fails without producing any JSON.
    """
    argv, cwd = cargo_check_command(root_or_manifest, extra_args, offline, cargo, keep_going)
    env = dict(os.environ)
    env["CARGO_TERM_COLOR"] = "never"
    if target_dir is not None:
        env["CARGO_TARGET_DIR"] = str(target_dir)
    return CargoRun(argv, cwd, on_line, on_stderr, env)
