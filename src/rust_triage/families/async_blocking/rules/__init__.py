"""Rules of the async_blocking family."""
