"""`rust-triage cargo`: ingest `cargo check --message-format=json`, group errors into root-cause patterns."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rust_triage.errors import UsageError
from rust_triage.escape import ci_safe, json_dumps, visible
from rust_triage.output import write_output


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "cargo",
        help="group cargo/rustc diagnostics into root-cause patterns with fixes",
        epilog="Extra arguments for cargo check go in --cargo-arg, one argument each: "
        "`rust-triage cargo --run --cargo-arg=--features=serde --cargo-arg=--quiet`. As for every "
        "command, `--` ends the options: what follows it is the workspace path.",
    )
    p.add_argument("path", nargs="?", type=Path, default=Path("."), help="workspace (default: .)")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--input", "-i", help="cargo JSON lines file, or - for standard input")
    source.add_argument("--run", action="store_true", dest="run_cargo", help="run `cargo check --workspace --all-targets` itself")
    p.add_argument("--offline", action="store_true", help="with --run: pass --offline to cargo")
    p.add_argument("--manifest-path", type=Path, help="with --run: the workspace's Cargo.toml")
    p.add_argument("--cargo-arg", action="append", default=[], metavar="ARG",
                   help="with --run: one more argument for cargo check (repeat it; write "
                        "`--cargo-arg=--features=x` for arguments that start with -)")
    p.add_argument("--format", "-f", choices=("markdown", "json", "sarif"), default="markdown")
    p.add_argument("--output", "-o", type=Path)
    p.add_argument("--fail-on", choices=("error", "warning", "never"), default="error",
                   help="exit 1 when diagnostics at this level exist (default: error)")
    p.add_argument("--no-graph", action="store_true", help="do not parse the workspace to locate definitions")
    p.add_argument("--quiet", "-q", action="store_true")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from rust_triage.families.compiler import CargoError, CargoNotFound, ingest, run_cargo

    if args.cargo_arg and not args.run_cargo:
        raise UsageError("--cargo-arg needs --run")
    root = (args.manifest_path.parent if args.manifest_path else args.path).resolve()
    if not root.exists():
        hint = " (extra cargo arguments go in --cargo-arg)" if str(args.path).startswith("-") else ""
        raise UsageError(f"path not found: {root}{hint}")
    ctx = None if args.no_graph else _context(root)
    definitions = None
    if ctx is not None:
        from rust_triage.families.compiler.workspace_ingest import definitions_for

        definitions = definitions_for(ctx)
        root = ctx.workspace.root
    if args.run_cargo:
        progress = _Progress(enabled=not args.quiet and sys.stderr.isatty())
        try:
            lines = run_cargo(args.manifest_path or root, list(args.cargo_arg), args.offline, progress.line)
            result, patterns = ingest(lines, root, definitions, source="cargo check")
        except CargoNotFound as exc:
            raise UsageError(str(exc)) from exc
        except CargoError as exc:
            raise UsageError(f"cargo failed: {exc}") from exc
        finally:
            progress.done()
    else:
        result, patterns = ingest(_input_lines(args.input), root, definitions, source=args.input)
    write_output(_render(args.format, result, patterns, root), args.output)
    for problem in result.errors:
        print(ci_safe(visible(f"rust-triage: {problem.path}:{problem.line or ''} {problem.message}")), file=sys.stderr)
    if args.fail_on == "never":
        return 0
    levels = {"error"} if args.fail_on == "error" else {"error", "warning"}
    return 1 if any(d.level in levels for d in result.diagnostics) else 0


def _context(root: Path):  # type: ignore[no-untyped-def]
    """The analysed workspace, used only to point patterns at definition sites."""
    from rust_triage.pipeline import Options, analyse

    analysis = analyse(Options(paths=[root], ignore=["ALL"]))
    return analysis.context


def _input_lines(name: str):  # type: ignore[no-untyped-def]
    if name == "-":
        return sys.stdin.buffer
    path = Path(name)
    try:
        return path.open("rb")
    except OSError as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror or exc}") from exc


def _render(fmt: str, result, patterns, root: Path) -> str:  # type: ignore[no-untyped-def]
    from rust_triage.families.compiler import patterns_to_findings, render_markdown, summarize, to_json

    if fmt == "markdown":
        return render_markdown(patterns, summarize(result, patterns), problems=result.errors)
    if fmt == "json":
        return json_dumps(to_json(patterns, result), indent=2) + "\n"
    from rust_triage.reporters.sarif_report import finding_from_dict, sarif_log

    findings = [finding_from_dict(d, column_unit="codepoints") for d in patterns_to_findings(patterns)]
    exit_code = 1 if any(f.severity == "error" for f in findings) else 0
    return json_dumps(sarif_log(findings, {}, list(result.errors), root, exit_code), indent=2) + "\n"


class _Progress:
    """A one-line counter on a terminal while cargo runs."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.count = 0

    def line(self, text: str) -> None:
        if not self.enabled or '"reason":"compiler-message"' not in text.replace(" ", ""):
            return
        self.count += 1
        sys.stderr.write(f"\rcargo check: {self.count} diagnostics")
        sys.stderr.flush()

    def done(self) -> None:
        if self.enabled and self.count:
            sys.stderr.write("\n")
