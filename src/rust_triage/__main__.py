from rust_triage.cli import main

raise SystemExit(main())
