"""Rules of the python family."""
