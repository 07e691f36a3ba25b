"""Progress output: stdlib logging to stderr and a step logger with durations."""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

logger = logging.getLogger("wasmpack")


def _use_color() -> bool:
    return sys.stderr.isatty() and "NO_COLOR" not in os.environ


class _Formatter(logging.Formatter):
    def __init__(self, color: bool) -> None:
        super().__init__()
        self._color = color

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            message = f"warning: {message}"
        if self._color and message.startswith("==>"):
            message = f"\033[1m{message}\033[0m"
        return message


def configure(verbosity: int = 0) -> None:
    """Send wasmpack's messages to stderr: -1 quiet, 0 steps, 1 also commands."""
    level = {-1: logging.WARNING, 0: logging.INFO}.get(verbosity, logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter(_use_color()))
    logger.handlers[:] = [handler]
    logger.setLevel(level)
    logger.propagate = False


@contextmanager
def step(title: str) -> Iterator[None]:
    """Announce a long piece of work and report how long it took."""
    logger.info("==> %s", title)
    started = time.monotonic()
    try:
        yield
    except BaseException:
        logger.info("    %s: failed after %.1f s", title, time.monotonic() - started)
        raise
    logger.info("    %s: done in %.1f s", title, time.monotonic() - started)
