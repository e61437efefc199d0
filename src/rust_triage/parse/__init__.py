"""Parse layer: tree-sitter parsing, per-file extraction, the content-hash cache and the worker pool."""
