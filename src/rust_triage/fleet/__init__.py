"""Fleet triage: many repositories in one run, one task each, on a local process pool or on Dask.

Data flows one way: entries (paths, `repo@ref`, a list file) -> RepoSpec -> task dicts -> an engine runs
`task.run_task` on each (in a worker process, possibly on another machine) -> plain-data results ->
the fleet report (JSON, text, HTML dashboard) and per-repository artifacts. Tasks and results are
JSON-able dicts only, so nothing that only one machine understands crosses the wire.
"""

from __future__ import annotations

FLEET_FORMAT_VERSION = "fleet-v1"
