"""Rules of the types family."""
