"""No cyclic garbage collection during the CLI's start-up.

Importing the families and loading their rules allocates tens of thousands of objects and frees few:
every collection in that phase scans them in vain (about 5-10% of a one-file pre-commit run). The
CLI pauses the collector before it loads anything; the analysis resumes it before reading files.
"""

from __future__ import annotations

import gc

_paused = [False]


def pause() -> None:
    if gc.isenabled():
        gc.disable()
        _paused[0] = True


def resume() -> None:
    """Collect again, if `pause` stopped it (a caller that disabled the collector itself keeps it off)."""
    if _paused[0]:
        _paused[0] = False
        gc.enable()
