"""Extractor plugins, one module each; see rust_triage.parse.registry."""
