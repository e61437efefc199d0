"""The built-in rule families, one package each (rules, extractors, facts types, helpers).

Each family registers through the `rust_triage.rules` entry point (its `family.FAMILY`) exactly as a
third-party plugin does; its per-file extractors register in `rust_triage.extractors`.
"""
