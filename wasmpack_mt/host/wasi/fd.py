"""WASI preview1 `fd_*` calls on the run's shared fd table."""

from __future__ import annotations

import contextlib
import fcntl
import os
import struct
import time
from collections.abc import Iterator

from wasmpack_mt.host.wasi import errno, rights
from wasmpack_mt.host.wasi.context import WasiContext
from wasmpack_mt.host.wasi.errno import WasiError
from wasmpack_mt.host.wasi.fdtable import DIRECTORY, REGULAR_FILE, Entry, filetype_of

FDFLAG_APPEND, FDFLAG_DSYNC, FDFLAG_NONBLOCK, FDFLAG_RSYNC, FDFLAG_SYNC = 1, 2, 4, 8, 16
FST_ATIM, FST_ATIM_NOW, FST_MTIM, FST_MTIM_NOW = 1, 2, 4, 8


def pack_filestat(st: os.stat_result) -> bytes:
    """The 64-byte WASI filestat for a host stat result (times before 1970 read as 0)."""
    return struct.pack(
        "<QQB7xQQQQQ",
        st.st_dev,
        st.st_ino,
        filetype_of(st.st_mode),
        st.st_nlink,
        st.st_size,
        max(st.st_atime_ns, 0),
        max(st.st_mtime_ns, 0),
        max(st.st_ctime_ns, 0),
    )


def set_times(path_or_fd: int | str, atim: int, mtim: int, flags: int, **kwargs: object) -> None:
    """`os.utime` from WASI timestamps and fst_flags (unchanged times kept)."""
    if (flags & FST_ATIM and flags & FST_ATIM_NOW) or (flags & FST_MTIM and flags & FST_MTIM_NOW):
        raise WasiError(errno.INVAL)
    st = os.stat(path_or_fd, **kwargs)  # type: ignore[arg-type]  # noqa: PTH116 - fd or dir_fd
    current = time.time_ns()
    new_atime = atim if flags & FST_ATIM else current if flags & FST_ATIM_NOW else st.st_atime_ns
    new_mtime = mtim if flags & FST_MTIM else current if flags & FST_MTIM_NOW else st.st_mtime_ns
    os.utime(path_or_fd, ns=(new_atime, new_mtime), **kwargs)  # type: ignore[arg-type]


class FdCalls:
    """The `fd_*` functions; arguments are unsigned ints, results are WASI errnos."""

    def __init__(self, ctx: WasiContext) -> None:
        self.ctx = ctx
        self.mem = ctx.memory

    def fd_read(self, fd: int, iovs: int, count: int, nread_ptr: int) -> int:
        total = 0
        with self._entry(fd, rights.FD_READ) as entry:
            for buffer in self.mem.iovecs(iovs, count):
                if not len(buffer):
                    continue
                got = entry.readinto(buffer, self.ctx.stopping)
                total += got
                if got < len(buffer) or entry.filetype != REGULAR_FILE:
                    break
        self.mem.set_u32(nread_ptr, total)
        return errno.SUCCESS

    def fd_write(self, fd: int, iovs: int, count: int, nwritten_ptr: int) -> int:
        total = 0
        with self._entry(fd, rights.FD_WRITE) as entry, entry.lock:
            for buffer in self.mem.iovecs(iovs, count):
                if len(buffer):
                    total += entry.write(buffer)
        self.mem.set_u32(nwritten_ptr, total)
        return errno.SUCCESS

    def fd_pread(self, fd: int, iovs: int, count: int, offset: int, nread_ptr: int) -> int:
        total = 0
        with self._file(fd, rights.FD_READ) as entry:
            for buffer in self.mem.iovecs(iovs, count):
                read = os.preadv(entry.host_fd, [buffer], offset + total)
                total += read
                if read < len(buffer):
                    break
        self.mem.set_u32(nread_ptr, total)
        return errno.SUCCESS

    def fd_pwrite(self, fd: int, iovs: int, count: int, offset: int, nwritten_ptr: int) -> int:
        total = 0
        with self._file(fd, rights.FD_WRITE) as entry:
            for buffer in self.mem.iovecs(iovs, count):
                total += os.pwrite(entry.host_fd, buffer, offset + total)
        self.mem.set_u32(nwritten_ptr, total)
        return errno.SUCCESS

    def fd_seek(self, fd: int, offset: int, whence: int, newoffset_ptr: int) -> int:
        if whence > 2:
            return errno.INVAL
        signed = offset - (1 << 64) if offset >= 1 << 63 else offset
        # asking for the position only (lseek(fd, 0, SEEK_CUR)) is telling
        needed = rights.FD_TELL if signed == 0 and whence == 1 else rights.FD_SEEK
        with self._file(fd, needed) as entry:
            how = (os.SEEK_SET, os.SEEK_CUR, os.SEEK_END)[whence]
            position = os.lseek(entry.host_fd, signed, how)
        self.mem.set_u64(newoffset_ptr, position)
        return errno.SUCCESS

    def fd_tell(self, fd: int, offset_ptr: int) -> int:
        with self._file(fd, rights.FD_TELL) as entry:
            position = os.lseek(entry.host_fd, 0, os.SEEK_CUR)
        self.mem.set_u64(offset_ptr, position)
        return errno.SUCCESS

    def fd_close(self, fd: int) -> int:
        self.ctx.fds.close(fd)
        return errno.SUCCESS

    def fd_sync(self, fd: int) -> int:
        with self._host_fd(fd, rights.FD_SYNC) as host_fd:
            os.fsync(host_fd)
        return errno.SUCCESS

    def fd_datasync(self, fd: int) -> int:
        with self._host_fd(fd, rights.FD_DATASYNC) as host_fd:
            os.fdatasync(host_fd)
        return errno.SUCCESS

    def fd_advise(self, fd: int, offset: int, length: int, advice: int) -> int:
        if advice > 5:
            return errno.INVAL
        with self._file(fd, rights.FD_ADVISE):
            return errno.SUCCESS

    def fd_allocate(self, fd: int, offset: int, length: int) -> int:
        with self._file(fd, rights.FD_ALLOCATE) as entry:
            if os.fstat(entry.host_fd).st_size < offset + length:
                os.ftruncate(entry.host_fd, offset + length)
        return errno.SUCCESS

    def fd_fdstat_get(self, fd: int, buf: int) -> int:
        with self.ctx.fds.acquire(fd) as entry:
            stat = struct.pack(
                "<BxH4xQQ",
                entry.filetype,
                entry.fdflags,
                entry.rights_base,
                entry.rights_inheriting,
            )
        self.mem.write(buf, stat)
        return errno.SUCCESS

    def fd_fdstat_set_flags(self, fd: int, flags: int) -> int:
        with self._entry(fd, rights.FD_FDSTAT_SET_FLAGS) as entry:
            if entry.host_fd >= 0 and entry.owned:
                host_flags = os.O_APPEND if flags & FDFLAG_APPEND else 0
                host_flags |= os.O_NONBLOCK if flags & FDFLAG_NONBLOCK else 0
                fcntl.fcntl(entry.host_fd, fcntl.F_SETFL, host_flags)
            entry.fdflags = flags
        return errno.SUCCESS

    def fd_fdstat_set_rights(self, fd: int, base: int, inheriting: int) -> int:
        """Shrink the fd's rights; asking for a right it does not hold is ENOTCAPABLE."""
        with self.ctx.fds.acquire(fd) as entry:
            if base & ~entry.rights_base or inheriting & ~entry.rights_inheriting:
                return errno.NOTCAPABLE
            entry.rights_base, entry.rights_inheriting = base, inheriting
        return errno.SUCCESS

    def fd_filestat_get(self, fd: int, buf: int) -> int:
        with self._entry(fd, rights.FD_FILESTAT_GET) as entry:
            if entry.host_fd < 0:
                stat = bytes(16) + bytes([entry.filetype]) + bytes(47)
            else:
                stat = pack_filestat(os.fstat(entry.host_fd))
        self.mem.write(buf, stat)
        return errno.SUCCESS

    def fd_filestat_set_size(self, fd: int, size: int) -> int:
        with self._file(fd, rights.FD_FILESTAT_SET_SIZE) as entry:
            os.ftruncate(entry.host_fd, size)
        return errno.SUCCESS

    def fd_filestat_set_times(self, fd: int, atim: int, mtim: int, flags: int) -> int:
        with self._host_fd(fd, rights.FD_FILESTAT_SET_TIMES) as host_fd:
            set_times(host_fd, atim, mtim, flags)
        return errno.SUCCESS

    def fd_prestat_get(self, fd: int, buf: int) -> int:
        with self.ctx.fds.acquire(fd) as entry:
            preopen = entry.preopen
        if preopen is None:
            return errno.BADF
        self.mem.write(buf, struct.pack("<B3xI", 0, len(preopen.encode())))
        return errno.SUCCESS

    def fd_prestat_dir_name(self, fd: int, path: int, length: int) -> int:
        with self.ctx.fds.acquire(fd) as entry:
            preopen = entry.preopen
        if preopen is None:
            return errno.BADF
        name = preopen.encode()
        if length < len(name):
            return errno.NAMETOOLONG
        self.mem.write(path, name)
        return errno.SUCCESS

    def fd_renumber(self, fd: int, to: int) -> int:
        self.ctx.fds.renumber(fd, to)
        return errno.SUCCESS

    def fd_readdir(self, fd: int, buf: int, length: int, cookie: int, bufused_ptr: int) -> int:
        with self.ctx.fds.acquire(fd) as entry:
            if entry.filetype != DIRECTORY:
                return errno.NOTDIR
            entry.require(rights.FD_READDIR)
            names = [".", "..", *sorted(os.listdir(entry.host_fd))]  # noqa: PTH208 - an fd
            out = bytearray()
            for index in range(cookie, len(names)):
                if len(out) >= length:
                    break
                name = os.fsencode(names[index])
                try:
                    st = os.stat(names[index], dir_fd=entry.host_fd, follow_symlinks=False)
                    ino, filetype = st.st_ino, filetype_of(st.st_mode)
                except OSError:
                    ino, filetype = 0, 0
                out += struct.pack("<QQIB3x", index + 1, ino, len(name), filetype) + name
        data = bytes(out[:length])
        self.mem.write(buf, data)
        self.mem.set_u32(bufused_ptr, len(data))
        return errno.SUCCESS

    @contextlib.contextmanager
    def _entry(self, fd: int, right: int) -> Iterator[Entry]:
        """The entry of `fd`, which needs `right`: EISDIR when a directory cannot have it."""
        with self.ctx.fds.acquire(fd) as entry:
            if entry.filetype == DIRECTORY and right & ~rights.DIRECTORY_RIGHTS:
                raise WasiError(errno.ISDIR)
            entry.require(right)
            yield entry

    @contextlib.contextmanager
    def _host_fd(self, fd: int, right: int) -> Iterator[int]:
        with self._entry(fd, right) as entry:
            if entry.host_fd < 0:
                raise WasiError(errno.INVAL)
            yield entry.host_fd

    @contextlib.contextmanager
    def _file(self, fd: int, right: int) -> Iterator[Entry]:
        """A seekable regular file holding `right` (EISDIR, ESPIPE, ENOTCAPABLE otherwise)."""
        with self.ctx.fds.acquire(fd) as entry:
            if entry.filetype == DIRECTORY:
                raise WasiError(errno.ISDIR)
            if entry.host_fd < 0 or entry.filetype != REGULAR_FILE:
                raise WasiError(errno.SPIPE)
            entry.require(right)
            yield entry
