"""Rules of the debt family."""
