"""Panicking calls in library code: unwrap, expect, unimplemented!, todo!, panic!, unreachable! (RT001–RT006)."""
