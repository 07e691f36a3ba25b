"""WASI preview1 rights: what each kind of fd may do, as reported by `fd_fdstat_get`.

A preopened directory gets every directory right and passes on every right
(its inheriting set). A directory opened from it gets the directory rights its
parent passes on; a file gets the file rights its parent passes on, with
`FD_READ` / `FD_WRITE` only when `path_open` asked for them. The standard
streams get every file right. `fd_fdstat_set_rights` may only shrink a set, and
every call checks the right it needs (ENOTCAPABLE without it), so a guest that
drops a right cannot use it again. Wasmtime's WASI is the reference for which
rights each kind reports.
"""

from __future__ import annotations

FD_DATASYNC = 1 << 0
FD_READ = 1 << 1
FD_SEEK = 1 << 2
FD_FDSTAT_SET_FLAGS = 1 << 3
FD_SYNC = 1 << 4
FD_TELL = 1 << 5
FD_WRITE = 1 << 6
FD_ADVISE = 1 << 7
FD_ALLOCATE = 1 << 8
PATH_CREATE_DIRECTORY = 1 << 9
PATH_CREATE_FILE = 1 << 10
PATH_LINK_SOURCE = 1 << 11
PATH_LINK_TARGET = 1 << 12
PATH_OPEN = 1 << 13
FD_READDIR = 1 << 14
PATH_READLINK = 1 << 15
PATH_RENAME_SOURCE = 1 << 16
PATH_RENAME_TARGET = 1 << 17
PATH_FILESTAT_GET = 1 << 18
PATH_FILESTAT_SET_SIZE = 1 << 19
PATH_FILESTAT_SET_TIMES = 1 << 20
FD_FILESTAT_GET = 1 << 21
FD_FILESTAT_SET_SIZE = 1 << 22
FD_FILESTAT_SET_TIMES = 1 << 23
PATH_SYMLINK = 1 << 24
PATH_REMOVE_DIRECTORY = 1 << 25
PATH_UNLINK_FILE = 1 << 26
POLL_FD_READWRITE = 1 << 27

FILE_RIGHTS = (
    FD_DATASYNC | FD_READ | FD_SEEK | FD_FDSTAT_SET_FLAGS | FD_SYNC | FD_TELL | FD_WRITE
    | FD_ADVISE | FD_ALLOCATE | FD_FILESTAT_GET | FD_FILESTAT_SET_SIZE | FD_FILESTAT_SET_TIMES
    | POLL_FD_READWRITE
)  # fmt: skip
"""Everything an open file may do (no seek on a directory, no size change)."""

DIRECTORY_RIGHTS = (
    FD_DATASYNC | FD_FDSTAT_SET_FLAGS | FD_SYNC | PATH_CREATE_DIRECTORY | PATH_CREATE_FILE
    | PATH_LINK_SOURCE | PATH_LINK_TARGET | PATH_OPEN | FD_READDIR | PATH_READLINK
    | PATH_RENAME_SOURCE | PATH_RENAME_TARGET | PATH_FILESTAT_GET | PATH_FILESTAT_SET_SIZE
    | PATH_FILESTAT_SET_TIMES | FD_FILESTAT_GET | FD_FILESTAT_SET_TIMES | PATH_SYMLINK
    | PATH_REMOVE_DIRECTORY | PATH_UNLINK_FILE | POLL_FD_READWRITE
)  # fmt: skip
"""Everything an open directory may do: no read, write, seek or truncate of the fd itself."""

DIRECTORY_ONLY = DIRECTORY_RIGHTS & ~FILE_RIGHTS
"""The rights only a directory can use (paths, readdir)."""

INHERITABLE = FILE_RIGHTS | DIRECTORY_RIGHTS
"""What a preopened directory passes on to what is opened under it."""


def opened_rights(is_directory: bool, requested: int, parent_inheriting: int) -> tuple[int, int]:
    """(base, inheriting) rights of an fd `path_open` opened under a directory.

    `requested` is the base rights the guest asked for: a file may read or
    write only when it asked for FD_READ or FD_WRITE.
    """
    if is_directory:
        return DIRECTORY_RIGHTS & parent_inheriting, parent_inheriting
    access = FD_READ | FD_WRITE
    base = (FILE_RIGHTS & ~access | requested & access) & parent_inheriting
    return base, base
