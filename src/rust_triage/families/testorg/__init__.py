"""Test organisation: untested modules and crates, empty test files, tests without assertions, missing categories (RT230–RT234)."""
