"""Rules of the panics family."""
