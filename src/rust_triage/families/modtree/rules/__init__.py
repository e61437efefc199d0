"""Rules of the modtree family."""
