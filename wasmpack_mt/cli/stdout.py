"""Standard output whose reader may go away (`wasmpack inspect x.wasm | head -1`).

A closed pipe is not the command's failure: the rest of the output is dropped
and the command ends as it would have, with its own exit code (a failing
`check` still exits 6), and without a word on stderr.
"""

from __future__ import annotations

import os
from typing import Any, TextIO


class DropWhenClosed:
    """Wraps a text stream; after the first `BrokenPipeError`, writes go nowhere."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.reader_gone = False

    def write(self, text: str) -> int:
        """Write `text`, or drop it once the reader is gone."""
        if not self.reader_gone:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._drop_from_now_on()
        return len(text)

    def flush(self) -> None:
        """Flush, unless the reader is gone."""
        if not self.reader_gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._drop_from_now_on()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def _drop_from_now_on(self) -> None:
        """Point the file descriptor at /dev/null, so the flush at exit cannot fail again."""
        self.reader_gone = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError):  # no file descriptor (a test capturing output)
            pass
