"""Module tree and build breakers: orphan files, missing module files, syntax errors, unused suppressions (RT010–RT012, RT090)."""
