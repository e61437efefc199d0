"""rust-triage: static-analysis and build-health triage for Rust workspaces."""

__version__ = "0.1.0"
