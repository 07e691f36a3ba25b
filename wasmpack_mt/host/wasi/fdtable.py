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
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from wasmpack_mt.host.wasi import errno
from wasmpack_mt.host.wasi.errno import WasiError
from wasmpack_mt.host.wasi.rights import FILE_RIGHTS

# filetype
UNKNOWN, BLOCK_DEVICE, CHARACTER_DEVICE, DIRECTORY, REGULAR_FILE = 0, 1, 2, 3, 4
SOCKET_DGRAM, SOCKET_STREAM, SYMBOLIC_LINK = 5, 6, 7
SOCKET_TYPES = (SOCKET_DGRAM, SOCKET_STREAM)
_READ_SLICE_MS = 50


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
    rights_base: int = FILE_RIGHTS  # what the fd may do (see wasi.rights)
    rights_inheriting: int = FILE_RIGHTS  # what fds opened under it may do
    lock: threading.Lock = field(default_factory=threading.Lock)
    users: int = 0  # calls using the entry right now (guarded by the table's lock)
    closing: bool = False  # out of the table: close once `users` drops to 0

    def require(self, rights: int) -> None:
        """ENOTCAPABLE unless the fd holds every right in `rights`."""
        if rights & ~self.rights_base:
            raise WasiError(errno.NOTCAPABLE)

    def readinto(self, buffer: memoryview, stopping: threading.Event) -> int:
        """Read into `buffer` (no copy for host fds); a blocking read gives up on `stopping`."""
        if self.stream is not None:
            data = self.stream.read(len(buffer)) or b""
            buffer[: len(data)] = data
            return len(data)
        if self.filetype != REGULAR_FILE and os.get_blocking(self.host_fd):
            # a read that may block: wait for data in slices so the run's end interrupts it
            poller = select.poll()
            poller.register(self.host_fd, select.POLLIN)
            while not stopping.is_set():
                if poller.poll(_READ_SLICE_MS):
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

    @contextlib.contextmanager
    def acquire(self, fd: int) -> Iterator[Entry]:
        """The entry for `fd` (EBADF when not open), kept open until the block ends.

        Closing the guest fd meanwhile takes it out of the table at once, but
        its host fd is closed only when the last call using it leaves, so no
        call ever works on a reused host fd number.
        """
        with self._lock:
            entry = self._entries.get(fd)
            if entry is None:
                raise WasiError(errno.BADF)
            entry.users += 1
        try:
            yield entry
        finally:
            self._release(entry)

    def _release(self, entry: Entry) -> None:
        with self._lock:
            entry.users -= 1
            last = entry.closing and entry.users == 0
        if last:
            with contextlib.suppress(OSError):
                entry.close()

    def _retire(self, entry: Entry) -> None:
        """Close `entry` now, or when its last user leaves (caller holds `_lock`)."""
        entry.closing = True
        if entry.users == 0:
            with contextlib.suppress(OSError):
                entry.close()

    def add(self, entry: Entry) -> int:
        """Insert `entry` at the lowest free number and return it."""
        with self._lock:
            fd = 0
            while fd in self._entries:
                fd += 1
            self._entries[fd] = entry
            return fd

    def close(self, fd: int) -> None:
        """Take `fd` out of the table (EBADF when not open) and close it once unused."""
        with self._lock:
            entry = self._entries.pop(fd, None)
            if entry is None:
                raise WasiError(errno.BADF)
            self._retire(entry)

    def renumber(self, source: int, target: int) -> None:
        """Move `source` onto `target`, closing what `target` held."""
        with self._lock:
            if source not in self._entries or target not in self._entries:
                raise WasiError(errno.BADF)
            if source == target:
                return
            replaced = self._entries[target]
            self._entries[target] = self._entries.pop(source)
            self._retire(replaced)

    def close_all(self) -> None:
        """Close every owned host fd (at the end of a run; those in use once unused)."""
        with self._lock:
            entries, self._entries = list(self._entries.values()), {}
            for entry in entries:
                self._retire(entry)
