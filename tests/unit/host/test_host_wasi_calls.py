"""WASI preview1 calls driven directly on one page of memory (struct layouts, errnos).

WASI is driven through its seam alone: a `RunHandle` stand-in and a plain buffer as guest
memory; no engine, no wasmtime.
"""

from __future__ import annotations

import ctypes
import os
import struct
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from wasmpack_mt.host.wasi import errno
from wasmpack_mt.host.wasi.context import Preopen, WasiContext, encode_environ
from wasmpack_mt.host.wasi.fdtable import DIRECTORY, REGULAR_FILE, Entry
from wasmpack_mt.host.wasi.memory import GuestMemory
from wasmpack_mt.host.wasi.preview1 import Preview1

DIR_FD = 3
PATH, OUT, OUT2, IOV, BUF = 1000, 2000, 2100, 3000, 4000


class Run:
    """The run the calls serve, as WASI sees it (`seam.RunHandle`)."""

    def __init__(self) -> None:
        self.stopping = threading.Event()
        self.exit_code: int | None = None

    def exit(self, code: int) -> None:
        self.exit_code = code
        self.stopping.set()


class Guest:
    """Calls WASI functions by name with raw i32/i64 arguments, like a module would."""

    def __init__(self, root: Path) -> None:
        page = (ctypes.c_ubyte * 65536)()
        self.memory = GuestMemory(ctypes.addressof(page), lambda: len(page), owner=page)
        fds = WasiContext.open_fds([Preopen(root, "/sandbox")], None, None, None)
        self.run = Run()
        self.ctx = WasiContext([b"prog", b"arg"], encode_environ({"K": "V"}), fds, self.memory,
                               self.run.stopping)  # fmt: skip
        self.wasi = Preview1(self.ctx, self.run)

    def call(self, name: str, *args: int) -> int:
        function = self.wasi.function(name)
        assert function is not None
        return function(*args)

    def path(self, text: str) -> tuple[int, int]:
        self.memory.write(PATH, text.encode())
        return PATH, len(text.encode())

    def open(self, text: str, oflags: int = 0, rights: int = 0x7FFFFFFF, lookup: int = 1) -> int:
        assert self.call("path_open", DIR_FD, lookup, *self.path(text), oflags, rights, rights,
                         0, OUT) == 0  # fmt: skip
        return self.memory.u32(OUT)


@pytest.fixture
def guest(tmp_path: Path) -> Iterator[Guest]:
    instance = Guest(tmp_path)
    yield instance
    instance.ctx.fds.close_all()


def test_args_and_environ_sizes_and_strings(guest: Guest) -> None:
    assert guest.call("args_sizes_get", OUT, OUT2) == 0
    assert (guest.memory.u32(OUT), guest.memory.u32(OUT2)) == (2, 9)
    assert guest.call("args_get", IOV, BUF) == 0
    assert guest.memory.read(BUF, 9) == b"prog\0arg\0"
    assert guest.memory.u32(IOV + 4) == BUF + 5
    assert guest.call("environ_sizes_get", OUT, OUT2) == 0
    assert (guest.memory.u32(OUT), guest.memory.u32(OUT2)) == (1, 4)


def test_prestat_names_the_guest_directory(guest: Guest) -> None:
    assert guest.call("fd_prestat_get", DIR_FD, OUT) == 0
    assert struct.unpack_from("<BxxxI", guest.memory.read(OUT, 8)) == (0, len("/sandbox"))
    assert guest.call("fd_prestat_dir_name", DIR_FD, BUF, 8) == 0
    assert guest.memory.read(BUF, 8) == b"/sandbox"
    assert guest.call("fd_prestat_get", 1, OUT) == errno.BADF


def test_write_seek_tell_pread_filestat(guest: Guest, tmp_path: Path) -> None:
    fd = guest.open("f.txt", oflags=1 | 8)
    guest.memory.write(BUF, b"hello world")
    guest.memory.write(IOV, struct.pack("<II", BUF, 11))
    assert guest.call("fd_write", fd, IOV, 1, OUT) == 0
    assert guest.memory.u32(OUT) == 11
    assert guest.call("fd_seek", fd, (-5) & 0xFFFFFFFFFFFFFFFF, 2, OUT) == 0
    assert guest.memory.u64(OUT) == 6
    assert guest.call("fd_tell", fd, OUT) == 0
    assert guest.memory.u64(OUT) == 6
    guest.memory.write(IOV, struct.pack("<II", BUF + 100, 5))
    assert guest.call("fd_pread", fd, IOV, 1, 0, OUT) == 0
    assert guest.memory.read(BUF + 100, 5) == b"hello"
    assert guest.call("fd_filestat_get", fd, BUF) == 0
    filetype, size = struct.unpack_from("<16xB15xQ", guest.memory.read(BUF, 40))
    assert (filetype, size) == (REGULAR_FILE, 11)
    assert guest.call("fd_fdstat_get", DIR_FD, BUF) == 0
    assert guest.memory.read(BUF, 1)[0] == DIRECTORY
    assert guest.call("fd_close", fd) == 0
    assert guest.call("fd_close", fd) == errno.BADF
    assert (tmp_path / "f.txt").read_bytes() == b"hello world"


def test_directory_calls(guest: Guest, tmp_path: Path) -> None:
    assert guest.call("path_create_directory", DIR_FD, *guest.path("sub")) == 0
    (tmp_path / "sub" / "a").write_text("x")
    assert guest.call("path_create_directory", DIR_FD, *guest.path("sub")) == errno.EXIST
    fd = guest.open("sub", oflags=2)
    assert guest.call("fd_readdir", fd, BUF, 4096, 0, OUT) == 0
    used = guest.memory.u32(OUT)
    names = []
    offset = 0
    while offset < used:
        (length,) = struct.unpack_from("<16xI", guest.memory.read(BUF + offset, 20))
        names.append(guest.memory.read(BUF + offset + 24, length).decode())
        offset += 24 + length
    assert names == [".", "..", "a"]
    src, src_len = guest.path("sub/a")
    guest.memory.write(PATH + 100, b"sub/b")
    assert guest.call("path_rename", DIR_FD, src, src_len, DIR_FD, PATH + 100, 5) == 0
    assert (tmp_path / "sub" / "b").exists()
    assert guest.call("path_remove_directory", DIR_FD, *guest.path("sub")) == errno.NOTEMPTY
    assert guest.call("path_unlink_file", DIR_FD, *guest.path("sub/b")) == 0
    assert guest.call("path_remove_directory", DIR_FD, *guest.path("sub")) == 0


def test_symlink_readlink_and_refused_targets(guest: Guest, tmp_path: Path) -> None:
    guest.memory.write(BUF, b"target.txt")
    assert guest.call("path_symlink", BUF, 10, DIR_FD, *guest.path("link")) == 0
    assert guest.call("path_readlink", DIR_FD, *guest.path("link"), BUF + 100, 64, OUT) == 0
    assert guest.memory.read(BUF + 100, guest.memory.u32(OUT)) == b"target.txt"
    guest.memory.write(BUF, b"/etc/passwd")
    assert guest.call("path_symlink", BUF, 11, DIR_FD, *guest.path("abs")) == errno.NOTCAPABLE
    (tmp_path / "etc-link").symlink_to("/etc")
    assert guest.call("path_filestat_get", DIR_FD, 1, *guest.path("etc-link/passwd"), BUF) == (
        errno.NOTCAPABLE
    )


def test_fd_renumber_moves_an_fd(guest: Guest) -> None:
    fd = guest.open("r.txt", oflags=1)
    other = guest.open("s.txt", oflags=1)
    assert guest.call("fd_renumber", fd, other) == 0
    assert guest.call("fd_close", fd) == errno.BADF
    assert guest.call("fd_close", other) == 0


def test_poll_oneoff_clock_fires(guest: Guest) -> None:
    # userdata 7, clock subscription, monotonic clock, 1 ms relative timeout
    subscription = struct.pack("<QB7xI4xQQH6x", 7, 0, 1, 1_000_000, 0, 0)
    guest.memory.write(BUF, subscription)
    assert guest.call("poll_oneoff", BUF, BUF + 200, 1, OUT) == 0
    assert guest.memory.u32(OUT) == 1
    assert struct.unpack_from("<QHB", guest.memory.read(BUF + 200, 11)) == (7, 0, 0)


def test_errors_faults_and_unsupported(guest: Guest) -> None:
    assert guest.call("fd_write", 99, IOV, 1, OUT) == errno.BADF
    assert guest.call("args_get", 70000, BUF) == errno.FAULT
    assert guest.call("clock_time_get", 9, 0, OUT) == errno.INVAL
    assert guest.call("clock_time_get", 1, 0, OUT) == 0
    assert guest.call("sock_accept", 0, 0, OUT) == errno.NOTSUP
    assert guest.call("proc_raise", 6) == errno.NOSYS
    assert guest.call("path_open", DIR_FD, 0, *guest.path("missing"), 0, 0, 0, 0, OUT) == (
        errno.NOENT
    )
    assert guest.call("random_get", BUF, 32) == 0


def test_poll_oneoff_reports_a_readable_pipe(guest: Guest) -> None:
    read_fd, write_fd = os.pipe()
    os.write(write_fd, b"x")
    try:
        fd = guest.ctx.fds.add(Entry(read_fd, 0))
        # userdata 9, fd_read subscription on `fd`
        guest.memory.write(BUF, struct.pack("<QB7xI28x", 9, 1, fd))
        assert guest.call("poll_oneoff", BUF, BUF + 200, 1, OUT) == 0
        assert guest.memory.u32(OUT) == 1
        assert struct.unpack_from("<QHB", guest.memory.read(BUF + 200, 11)) == (9, 0, 1)
    finally:
        os.close(write_fd)
