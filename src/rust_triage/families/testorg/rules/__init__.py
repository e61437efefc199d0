"""Rules of the testorg family."""
