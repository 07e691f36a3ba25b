"""WASI preview1 `path_*` calls, every path resolved inside its preopen (see sandbox)."""

# The methods mirror the WASI ABI signatures, positional arguments and all.
# ruff: noqa: PLR0917

from __future__ import annotations

import contextlib
import errno as host_errno
import os
import stat
import threading
from collections.abc import Iterator

from wasmpack_mt.host.wasi import errno
from wasmpack_mt.host.wasi.context import WasiContext
from wasmpack_mt.host.wasi.errno import WasiError
from wasmpack_mt.host.wasi.fd import (
    FDFLAG_APPEND,
    FDFLAG_DSYNC,
    FDFLAG_NONBLOCK,
    FDFLAG_RSYNC,
    FDFLAG_SYNC,
    pack_filestat,
    set_times,
)
from wasmpack_mt.host.wasi.fdtable import DIRECTORY, Entry, StoppedError, filetype_of
from wasmpack_mt.host.wasi.sandbox import resolve
from wasmpack_mt.host.wasi.seam import GuestFault

LOOKUP_SYMLINK_FOLLOW = 1
OFLAG_CREAT, OFLAG_DIRECTORY, OFLAG_EXCL, OFLAG_TRUNC = 1, 2, 4, 8
RIGHT_FD_READ, RIGHT_FD_WRITE = 1 << 1, 1 << 6
_FIFO_RETRY_SECONDS = 0.05


def _open_flags(oflags: int, rights: int, fdflags: int) -> int:
    flags = os.O_CLOEXEC | os.O_NOFOLLOW
    if oflags & OFLAG_DIRECTORY:
        flags |= os.O_DIRECTORY | os.O_RDONLY
    elif rights & RIGHT_FD_WRITE:
        flags |= os.O_RDWR if rights & RIGHT_FD_READ else os.O_WRONLY
    else:
        flags |= os.O_RDONLY
    for wasi_flag, host_flag in (
        (OFLAG_CREAT, os.O_CREAT),
        (OFLAG_EXCL, os.O_EXCL),
        (OFLAG_TRUNC, os.O_TRUNC),
    ):
        if oflags & wasi_flag:
            flags |= host_flag
    for wasi_flag, host_flag in (
        (FDFLAG_APPEND, os.O_APPEND),
        (FDFLAG_DSYNC, os.O_DSYNC),
        (FDFLAG_NONBLOCK, os.O_NONBLOCK),
        (FDFLAG_RSYNC, os.O_RSYNC),
        (FDFLAG_SYNC, os.O_SYNC),
    ):
        if fdflags & wasi_flag:
            flags |= host_flag
    return flags


def _open_interruptibly(name: str, flags: int, dir_fd: int, stopping: threading.Event) -> int:
    """`os.open` that never blocks: a FIFO is opened with O_NONBLOCK (cleared afterwards
    unless `flags` asks for it); opening one for writing retries until a reader comes or
    the run ends."""
    while True:
        try:
            host_fd = os.open(name, flags | os.O_NONBLOCK, 0o666, dir_fd=dir_fd)
            break
        except OSError as exc:
            if exc.errno != host_errno.ENXIO or not _is_fifo(name, dir_fd):
                raise
        if stopping.wait(_FIFO_RETRY_SECONDS):
            raise StoppedError
    if not flags & os.O_NONBLOCK:
        os.set_blocking(host_fd, True)
    return host_fd


def _is_fifo(name: str, dir_fd: int) -> bool:
    try:
        return stat.S_ISFIFO(os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode)
    except OSError:
        return False


class PathCalls:
    """The `path_*` functions; arguments are unsigned ints, results are WASI errnos."""

    def __init__(self, ctx: WasiContext) -> None:
        self.ctx = ctx
        self.mem = ctx.memory

    @contextlib.contextmanager
    def _dir(self, fd: int) -> Iterator[int]:
        """The host fd of directory `fd`, kept open while the block runs."""
        with self.ctx.fds.acquire(fd) as entry:
            if entry.filetype != DIRECTORY:
                raise WasiError(errno.NOTDIR)
            yield entry.host_fd

    @contextlib.contextmanager
    def _at(self, fd: int, path: int, path_len: int, *, follow: bool) -> Iterator[tuple[int, str]]:
        """(directory fd, final name) of the guest path at `path` under directory `fd`."""
        guest_path = self._path(path, path_len)
        with self._dir(fd) as base, resolve(base, guest_path, follow_final=follow) as found:
            yield found

    def _path(self, address: int, length: int) -> str:
        try:
            return self.mem.read(address, length).decode()
        except UnicodeDecodeError:
            raise WasiError(errno.WASI_ERRNO["ILSEQ"]) from None

    def path_open(
        self,
        fd: int,
        lookupflags: int,
        path: int,
        path_len: int,
        oflags: int,
        rights_base: int,
        rights_inheriting: int,
        fdflags: int,
        opened_ptr: int,
    ) -> int:
        follow = bool(lookupflags & LOOKUP_SYMLINK_FOLLOW)
        flags = _open_flags(oflags, rights_base, fdflags)
        with self._at(fd, path, path_len, follow=follow) as (parent, name):
            host_fd = _open_interruptibly(name, flags, parent, self.ctx.stopping)
        try:
            filetype = filetype_of(os.fstat(host_fd).st_mode)
        except OSError:
            os.close(host_fd)
            raise
        new_fd = self.ctx.fds.add(Entry(host_fd, filetype, fdflags=fdflags))
        try:
            self.mem.set_u32(opened_ptr, new_fd)
        except GuestFault:
            self.ctx.fds.close(new_fd)
            raise
        return errno.SUCCESS

    def path_create_directory(self, fd: int, path: int, path_len: int) -> int:
        with self._at(fd, path, path_len, follow=False) as (d, name):
            os.mkdir(name, 0o777, dir_fd=d)
        return errno.SUCCESS

    def path_remove_directory(self, fd: int, path: int, path_len: int) -> int:
        with self._at(fd, path, path_len, follow=False) as (d, name):
            os.rmdir(name, dir_fd=d)
        return errno.SUCCESS

    def path_unlink_file(self, fd: int, path: int, path_len: int) -> int:
        with self._at(fd, path, path_len, follow=False) as (d, name):
            os.unlink(name, dir_fd=d)
        return errno.SUCCESS

    def path_filestat_get(self, fd: int, flags: int, path: int, path_len: int, buf: int) -> int:
        follow = bool(flags & LOOKUP_SYMLINK_FOLLOW)
        with self._at(fd, path, path_len, follow=follow) as (d, name):
            st = os.stat(name, dir_fd=d, follow_symlinks=False)
        self.mem.write(buf, pack_filestat(st))
        return errno.SUCCESS

    def path_filestat_set_times(
        self, fd: int, flags: int, path: int, path_len: int, atim: int, mtim: int, fst: int
    ) -> int:
        follow = bool(flags & LOOKUP_SYMLINK_FOLLOW)
        with self._at(fd, path, path_len, follow=follow) as (d, name):
            set_times(name, atim, mtim, fst, dir_fd=d, follow_symlinks=False)
        return errno.SUCCESS

    def path_readlink(
        self, fd: int, path: int, path_len: int, buf: int, buf_len: int, used_ptr: int
    ) -> int:
        with self._at(fd, path, path_len, follow=False) as (d, name):
            target = os.fsencode(os.readlink(name, dir_fd=d))
        data = target[:buf_len]
        self.mem.write(buf, data)
        self.mem.set_u32(used_ptr, len(data))
        return errno.SUCCESS

    def path_symlink(
        self, old_path: int, old_len: int, fd: int, new_path: int, new_len: int
    ) -> int:
        target = self._path(old_path, old_len)
        if target.startswith("/"):
            return errno.NOTCAPABLE
        if "\0" in target:
            return errno.INVAL
        with self._at(fd, new_path, new_len, follow=False) as (d, name):
            os.symlink(target, name, dir_fd=d)
        return errno.SUCCESS

    def path_link(
        self,
        old_fd: int,
        old_flags: int,
        old_path: int,
        old_len: int,
        new_fd: int,
        new_path: int,
        new_len: int,
    ) -> int:
        follow = bool(old_flags & LOOKUP_SYMLINK_FOLLOW)
        old = self._path(old_path, old_len)
        new = self._path(new_path, new_len)
        with (
            self._dir(old_fd) as old_base,
            self._dir(new_fd) as new_base,
            resolve(old_base, old, follow_final=follow) as (src_dir, src),
            resolve(new_base, new, follow_final=False) as (dst_dir, dst),
        ):
            os.link(src, dst, src_dir_fd=src_dir, dst_dir_fd=dst_dir, follow_symlinks=False)
        return errno.SUCCESS

    def path_rename(
        self, fd: int, old_path: int, old_len: int, new_fd: int, new_path: int, new_len: int
    ) -> int:
        old = self._path(old_path, old_len)
        new = self._path(new_path, new_len)
        with (
            self._dir(fd) as old_base,
            self._dir(new_fd) as new_base,
            resolve(old_base, old, follow_final=False) as (src_dir, src),
            resolve(new_base, new, follow_final=False) as (dst_dir, dst),
        ):
            os.rename(src, dst, src_dir_fd=src_dir, dst_dir_fd=dst_dir)
        return errno.SUCCESS
