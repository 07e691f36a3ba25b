"""The one fd table of a run, shared by all its threads (thread-safe).

An entry is either an open host file descriptor (file, directory, preopen) or
one of the standard streams, which may be a host fd or a Python binary file
object given by an embedder.
"""

from __future__ import annotations

import contextlib
import os
import select
import stat
import threading
from dataclasses import dataclass, field
from typing import BinaryIO

from wasmpack_mt.host.wasi import errno
from wasmpack_mt.host.wasi.errno import WasiError

# filetype
UNKNOWN, BLOCK_DEVICE, CHARACTER_DEVICE, DIRECTORY, REGULAR_FILE = 0, 1, 2, 3, 4
SOCKET_STREAM, SYMBOLIC_LINK = 6, 7
ALL_RIGHTS = (1 << 29) - 1
_READ_SLICE = 0.05


def filetype_of(mode: int) -> int:
    """The WASI filetype for a `st_mode`."""
    if stat.S_ISREG(mode):
        return REGULAR_FILE
    if stat.S_ISDIR(mode):
        return DIRECTORY
    if stat.S_ISCHR(mode):
        return CHARACTER_DEVICE
    if stat.S_ISBLK(mode):
        return BLOCK_DEVICE
    if stat.S_ISLNK(mode):
        return SYMBOLIC_LINK
    if stat.S_ISSOCK(mode):
        return SOCKET_STREAM
    return UNKNOWN


@dataclass
class Entry:
    """One open guest fd."""

    host_fd: int  # -1 for a Python stream
    filetype: int
    fdflags: int = 0
    preopen: str | None = None  # the guest name of a preopened directory
    stream: BinaryIO | None = None
    owned: bool = True  # close host_fd when the guest closes the fd
    lock: threading.Lock = field(default_factory=threading.Lock)

    def readinto(self, buffer: memoryview, stopping: threading.Event) -> int:
        """Read into `buffer` (no copy for host fds); a blocking read gives up on `stopping`."""
        if self.stream is not None:
            data = self.stream.read(len(buffer)) or b""
            buffer[: len(data)] = data
            return len(data)
        if self.filetype != REGULAR_FILE and not self.fdflags & 4:  # may block: poll in slices
            while not stopping.is_set():
                ready, _, _ = select.select([self.host_fd], [], [], _READ_SLICE)
                if ready:
                    break
            else:
                raise StoppedError
        return os.readv(self.host_fd, [buffer])

    def write(self, data: bytes | memoryview) -> int:
        """Write `data` (all of it for a Python stream); return the bytes written."""
        if self.stream is not None:
            written = self.stream.write(data)
            self.stream.flush()
            return len(data) if written is None else written
        return os.write(self.host_fd, data)

    def close(self) -> None:
        """Release the host fd if this entry owns it."""
        if self.owned and self.host_fd >= 0:
            os.close(self.host_fd)


class StoppedError(Exception):
    """A blocking host call gave up because the run is ending."""


class FdTable:
    """Guest fd numbers → entries; numbers are reused lowest-first like POSIX."""

    def __init__(self) -> None:
        self._entries: dict[int, Entry] = {}
        self._lock = threading.Lock()

    def get(self, fd: int) -> Entry:
        """The entry for `fd`, or EBADF."""
        with self._lock:
            entry = self._entries.get(fd)
        if entry is None:
            raise WasiError(errno.BADF)
        return entry

    def add(self, entry: Entry) -> int:
        """Insert `entry` at the lowest free number and return it."""
        with self._lock:
            fd = 0
            while fd in self._entries:
                fd += 1
            self._entries[fd] = entry
            return fd

    def remove(self, fd: int) -> Entry:
        """Take `fd` out of the table (EBADF when not open)."""
        with self._lock:
            entry = self._entries.pop(fd, None)
        if entry is None:
            raise WasiError(errno.BADF)
        return entry

    def renumber(self, source: int, target: int) -> None:
        """Move `source` onto `target`, closing what `target` held."""
        with self._lock:
            if source not in self._entries or target not in self._entries:
                raise WasiError(errno.BADF)
            replaced = self._entries[target]
            self._entries[target] = self._entries.pop(source)
        if replaced is not self._entries.get(target):
            replaced.close()

    def close_all(self) -> None:
        """Close every owned host fd (at the end of a run)."""
        with self._lock:
            entries, self._entries = list(self._entries.values()), {}
        for entry in entries:
            with contextlib.suppress(OSError):
                entry.close()
