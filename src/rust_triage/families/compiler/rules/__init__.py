"""Rules of the compiler family."""
