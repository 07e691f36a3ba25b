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

from wasmpack_mt.host.wasi import errno, rights
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
from wasmpack_mt.host.wasi.rights import opened_rights
from wasmpack_mt.host.wasi.sandbox import resolve
from wasmpack_mt.host.wasi.seam import GuestFault

LOOKUP_SYMLINK_FOLLOW = 1
OFLAG_CREAT, OFLAG_DIRECTORY, OFLAG_EXCL, OFLAG_TRUNC = 1, 2, 4, 8
_FIFO_RETRY_SECONDS = 0.05


def _open_flags(oflags: int, requested: int, fdflags: int) -> int:
    """Host open flags; the access mode follows the FD_READ / FD_WRITE rights asked for.

    A directory asked for writing is EISDIR, as on POSIX, except under
    OFLAG_DIRECTORY with a broad rights mask that includes directory rights:
    that asks for a directory handle, on which FD_WRITE does not apply.
    """
    flags = os.O_CLOEXEC | os.O_NOFOLLOW
    if oflags & OFLAG_DIRECTORY and requested & rights.DIRECTORY_ONLY:
        requested &= ~rights.FD_WRITE
    if requested & rights.FD_WRITE:
        flags |= os.O_RDWR if requested & rights.FD_READ else os.O_WRONLY
    else:
        flags |= os.O_RDONLY
    for wasi_flag, host_flag in (
        (OFLAG_DIRECTORY, os.O_DIRECTORY),
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


def _exists(name: str, dir_fd: int) -> bool:
    try:
        os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return True


def _refuse_trailing_slash(guest_path: str, name: str, dir_fd: int) -> None:
    """A new link's name cannot end in a slash: EEXIST if taken, else ENOENT (as on Linux)."""
    if guest_path.endswith("/"):
        raise WasiError(errno.EXIST if _exists(name, dir_fd) else errno.NOENT)


def _is_directory(name: str, dir_fd: int) -> bool:
    """Whether `name` is a directory (ENOENT when it does not exist)."""
    return stat.S_ISDIR(os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode)


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
    def _dir(self, fd: int, right: int) -> Iterator[Entry]:
        """Directory `fd`, which needs `right`, kept open while the block runs."""
        with self.ctx.fds.acquire(fd) as entry:
            if entry.filetype != DIRECTORY:
                raise WasiError(errno.NOTDIR)
            entry.require(right)
            yield entry

    @contextlib.contextmanager
    def _at(
        self, fd: int, path: int, path_len: int, right: int, *, follow: bool = False
    ) -> Iterator[tuple[int, str]]:
        """(directory fd, final name) of the guest path at `path` under directory `fd`,
        which needs `right`."""
        guest_path = self._path(path, path_len)
        with (
            self._dir(fd, right) as base,
            resolve(base.host_fd, guest_path, follow_final=follow) as found,
        ):
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
        needed = rights.PATH_OPEN
        needed |= rights.PATH_CREATE_FILE if oflags & OFLAG_CREAT else 0
        needed |= rights.PATH_FILESTAT_SET_SIZE if oflags & OFLAG_TRUNC else 0
        guest_path = self._path(path, path_len)
        with self._dir(fd, needed) as parent:
            inheriting = parent.rights_inheriting
            if rights_base & (rights.FD_READ | rights.FD_WRITE) & ~inheriting:
                return errno.NOTCAPABLE  # the directory does not pass on reading / writing
            if oflags & OFLAG_CREAT and guest_path.endswith("/"):
                return errno.ISDIR  # as open("name/", O_CREAT) on Linux
            with resolve(parent.host_fd, guest_path, follow_final=follow) as (where, name):
                host_fd = _open_interruptibly(name, flags, where, self.ctx.stopping)
        try:
            filetype = filetype_of(os.fstat(host_fd).st_mode)
        except OSError:
            os.close(host_fd)
            raise
        base, passed_on = opened_rights(filetype == DIRECTORY, rights_base, inheriting)
        entry = Entry(
            host_fd, filetype, fdflags=fdflags, rights_base=base, rights_inheriting=passed_on
        )
        new_fd = self.ctx.fds.add(entry)
        try:
            self.mem.set_u32(opened_ptr, new_fd)
        except GuestFault:
            self.ctx.fds.close(new_fd)
            raise
        return errno.SUCCESS

    def path_create_directory(self, fd: int, path: int, path_len: int) -> int:
        with self._at(fd, path, path_len, rights.PATH_CREATE_DIRECTORY) as (d, name):
            os.mkdir(name, 0o777, dir_fd=d)
        return errno.SUCCESS

    def path_remove_directory(self, fd: int, path: int, path_len: int) -> int:
        with self._at(fd, path, path_len, rights.PATH_REMOVE_DIRECTORY) as (d, name):
            os.rmdir(name, dir_fd=d)
        return errno.SUCCESS

    def path_unlink_file(self, fd: int, path: int, path_len: int) -> int:
        with self._at(fd, path, path_len, rights.PATH_UNLINK_FILE) as (d, name):
            os.unlink(name, dir_fd=d)
        return errno.SUCCESS

    def path_filestat_get(self, fd: int, flags: int, path: int, path_len: int, buf: int) -> int:
        follow = bool(flags & LOOKUP_SYMLINK_FOLLOW)
        with self._at(fd, path, path_len, rights.PATH_FILESTAT_GET, follow=follow) as (d, name):
            st = os.stat(name, dir_fd=d, follow_symlinks=False)
        self.mem.write(buf, pack_filestat(st))
        return errno.SUCCESS

    def path_filestat_set_times(
        self, fd: int, flags: int, path: int, path_len: int, atim: int, mtim: int, fst: int
    ) -> int:
        follow = bool(flags & LOOKUP_SYMLINK_FOLLOW)
        with self._at(fd, path, path_len, rights.PATH_FILESTAT_SET_TIMES, follow=follow) as (
            d,
            name,
        ):
            set_times(name, atim, mtim, fst, dir_fd=d, follow_symlinks=False)
        return errno.SUCCESS

    def path_readlink(
        self, fd: int, path: int, path_len: int, buf: int, buf_len: int, used_ptr: int
    ) -> int:
        with self._at(fd, path, path_len, rights.PATH_READLINK) as (d, name):
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
        link = self._path(new_path, new_len)
        with (
            self._dir(fd, rights.PATH_SYMLINK) as base,
            resolve(base.host_fd, link, follow_final=False) as (d, name),
        ):
            _refuse_trailing_slash(link, name, d)
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
            self._dir(old_fd, rights.PATH_LINK_SOURCE) as old_base,
            self._dir(new_fd, rights.PATH_LINK_TARGET) as new_base,
            resolve(old_base.host_fd, old, follow_final=follow) as (src_dir, src),
            resolve(new_base.host_fd, new, follow_final=False) as (dst_dir, dst),
        ):
            _refuse_trailing_slash(new, dst, dst_dir)
            os.link(src, dst, src_dir_fd=src_dir, dst_dir_fd=dst_dir, follow_symlinks=False)
        return errno.SUCCESS

    def path_rename(
        self, fd: int, old_path: int, old_len: int, new_fd: int, new_path: int, new_len: int
    ) -> int:
        old = self._path(old_path, old_len)
        new = self._path(new_path, new_len)
        with (
            self._dir(fd, rights.PATH_RENAME_SOURCE) as old_base,
            self._dir(new_fd, rights.PATH_RENAME_TARGET) as new_base,
            resolve(old_base.host_fd, old, follow_final=False) as (src_dir, src),
            resolve(new_base.host_fd, new, follow_final=False) as (dst_dir, dst),
        ):
            if new.endswith("/") and not _is_directory(src, src_dir):
                return errno.NOTDIR  # only a directory can be renamed to "name/"
            os.rename(src, dst, src_dir_fd=src_dir, dst_dir_fd=dst_dir)
        return errno.SUCCESS
