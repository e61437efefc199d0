"""Blocking work reached from async code, with call chains (RT101–RT105)."""
