"""Ctrl-C: the first one stops the run with exit status 130; later ones are ignored.

A second KeyboardInterrupt raised while the first is being handled (killing parse workers, removing
a temporary file) could break that clean-up, and used to deadlock the worker pool's shutdown. The
handler therefore ignores SIGINT from the first one on. Python drops an exception raised where it
cannot propagate (a fork hook, a finalizer), so the interrupt is also remembered: the long loops
call `raise_if_interrupted()` between files, batches and rules.
"""

from __future__ import annotations

import signal
import threading

_requested = [False]


def install() -> None:
    """Take over SIGINT in the main thread (unless something else already handles it)."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return  # ignored, or an embedding program's own handler: leave it
    _requested[0] = False
    signal.signal(signal.SIGINT, _on_interrupt)


def _on_interrupt(_signum: int, _frame: object) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _requested[0] = True
    raise KeyboardInterrupt


def raise_if_interrupted() -> None:
    if _requested[0]:
        raise KeyboardInterrupt
