"""No cyclic garbage collection during the CLI's start-up, nor while data without cycles is built.

Importing the families and loading their rules allocates tens of thousands of objects and frees few:
every collection in that phase scans them in vain (about 5-10% of a one-file pre-commit run). The
CLI pauses the collector before it loads anything; the analysis resumes it before reading files.
What start-up built lives to the end of the process: the first resume moves it to the permanent
generation (`gc.freeze`), else the first collection after it would scan all of it once more. The
analysis then collects its youngest generation every `_YOUNG` allocations instead of every 700: it
keeps most of what it builds (facts, indexes, findings), and each collection scans the young objects
that survive it again (a tenth of a one-file run's CPU went to collections, two thirds of it saved).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_paused = [False]
_YOUNG = 5000  # allocations between collections of the youngest generation, once the analysis runs
_startup_frozen = [0]  # objects the first resume froze (start-up's); more frozen means a run froze some


def pause() -> None:
    if gc.isenabled():
        gc.disable()
        _paused[0] = True


def resume() -> None:
    """Collect again, if `pause` stopped it (a caller that disabled the collector itself keeps it off)."""
    if _paused[0]:
        _paused[0] = False
        if gc.get_freeze_count() == 0:  # the process's first run: start-up's objects stay to the end
            gc.freeze()
            _startup_frozen[0] = gc.get_freeze_count()
        if gc.get_threshold()[0] < _YOUNG:
            gc.set_threshold(_YOUNG)
        gc.enable()


def frozen_by_runs() -> bool:
    """Whether an earlier run of this process froze objects (beyond what start-up froze)."""
    return gc.get_freeze_count() > _startup_frozen[0]


def unfreeze() -> None:
    """Scan everything frozen again (start-up's objects included) from the next collection on."""
    gc.unfreeze()
    _startup_frozen[0] = 0


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside: for work that builds many objects and no reference cycles (decoding,
    extraction). Reference counting frees what it drops; a collection would only scan what is in use."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
