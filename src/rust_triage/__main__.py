import sys

try:
    from rust_triage.cli import main
except KeyboardInterrupt:  # Ctrl-C while the interpreter imports the CLI
    print("rust-triage: interrupted", file=sys.stderr)
    raise SystemExit(130) from None

raise SystemExit(main())
