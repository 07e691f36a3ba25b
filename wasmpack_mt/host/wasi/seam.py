"""The seam between WASI and the engine: all that WASI calls may ask of the run they serve.

WASI (`host/wasi/`) never imports the engine's thread control; the engine
(`host/threads.py`, `host/session.py`) implements `RunHandle` and turns the two
exceptions below into what wasm sees.
"""

from __future__ import annotations

import threading
from typing import Protocol


class RunHandle(Protocol):
    """The run a WASI call belongs to."""

    @property
    def stopping(self) -> threading.Event:
        """Set once the run is ending: a blocking call gives up (`StoppedError`)."""

    def exit(self, code: int) -> None:
        """End the run with exit code `code` (`proc_exit`); the first end of a run wins."""


class GuestFault(Exception):
    """A guest pointer or length lies outside its memory (the call returns EFAULT)."""


class ThreadExit(Exception):
    """Raised by a host function to unwind its wasm thread (the run is ending)."""
