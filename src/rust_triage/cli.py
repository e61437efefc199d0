"""Command-line entry points: `rust-triage` and `cargo-triage` (as `cargo triage`)."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

from rust_triage import __version__
from rust_triage.errors import UsageError
from rust_triage.escape import ci_safe, visible

# Each module in rust_triage.commands has `add_parser(subparsers)` and `run(args) -> int`.
COMMANDS = ("check", "graph", "rules", "explain", "test_rules", "cargo", "plan", "history", "docs", "fleet", "new_rule")

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage errors exit 2 without a traceback
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {ci_safe(visible(message))}\n")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The CLI parser; with `command` (a known command's name) only that command's (start-up time: each
    command module imports what its options need)."""
    parser = _Parser(prog="rust-triage", description="Triage a Rust workspace: findings, SARIF, fix plan.")
    parser.add_argument("--version", action="version", version=f"rust-triage {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    module_name = (command or "").replace("-", "_")
    for name in (module_name,) if module_name in COMMANDS else COMMANDS:
        try:
            module = importlib.import_module(f"rust_triage.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"rust_triage.commands.{name}":
                continue
            raise
        module.add_parser(sub)
    return parser


def with_default_command(args_list: list[str]) -> list[str]:
    """`rust-triage [OPTIONS] [-- PATHS]` means `rust-triage check ...`.

    `check` is put in front of the arguments, never between them, so an argument after `--` stays a path
    (argparse ends options at `--` for every command: `check -- --output=x.rs` analyses that file).
    """
    if not args_list or args_list[0].startswith("-") and args_list[0] not in ("-h", "--help", "--version"):
        return ["check", *args_list]
    return args_list


def main(argv: Sequence[str] | None = None) -> int:
    """The CLI; Ctrl-C at any point (start-up and replay included) exits 130 with one line."""
    from rust_triage import collector

    collector.pause()  # resumed when the analysis starts reading files
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("rust-triage: interrupted", file=sys.stderr)
        return 130
    finally:
        collector.resume()


def _main(argv: Sequence[str] | None) -> int:
    args_list = with_default_command(list(sys.argv[1:] if argv is None else argv))
    try:
        from rust_triage.fast_replay import try_replay

        replayed = try_replay(args_list)  # an unchanged `check`: its saved report, before loading any rule
        if replayed is not None:
            return replayed
    except UsageError as exc:
        print(f"rust-triage: error: {ci_safe(visible(str(exc)))}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    parser = build_parser(args_list[0] if args_list else None)
    args = parser.parse_args(args_list)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except UsageError as exc:
        print(f"rust-triage: error: {ci_safe(visible(str(exc)))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("rust-triage: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


def cargo_main(argv: Sequence[str] | None = None) -> int:
    """`cargo triage check` runs `cargo-triage triage check`: drop cargo's subcommand name."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] == "triage":
        args_list = args_list[1:]
    return main(args_list)


if __name__ == "__main__":
    raise SystemExit(main())
