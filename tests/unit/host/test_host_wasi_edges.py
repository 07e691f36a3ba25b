"""WASI calls at the edges: closed fds in use, odd names and sizes, FIFOs, errno details."""

from __future__ import annotations

import os
import struct
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_host_wasi_calls import BUF, DIR_FD, IOV, OUT, Guest

from wasmpack_mt.host.native import ThreadExit
from wasmpack_mt.host.wasi import errno
from wasmpack_mt.host.wasi.fdtable import Entry

FDFLAG_NONBLOCK = 4
OFLAG_CREAT = 1
RIGHT_FD_WRITE = 1 << 6
JOIN_SAFETY = 30.0  # a hang fails the test instead of blocking the suite


@pytest.fixture
def guest(tmp_path: Path) -> Iterator[Guest]:
    instance = Guest(tmp_path)
    yield instance
    instance.ctx.fds.close_all()


class SignallingEntry(Entry):
    """An entry that tells the test when a read has started."""

    reading: threading.Event

    def readinto(self, buffer: memoryview, stopping: threading.Event) -> int:
        self.reading.set()
        return super().readinto(buffer, stopping)


def test_closing_an_fd_during_a_read_does_not_hand_its_number_to_another_file(
    guest: Guest, tmp_path: Path
) -> None:
    (tmp_path / "secret").write_bytes(b"SECRET")
    read_end, write_end = os.pipe()
    entry = SignallingEntry(read_end, 0)
    entry.reading = threading.Event()
    fd = guest.ctx.fds.add(entry)
    guest.memory.write(IOV, struct.pack("<II", BUF, 16))
    results: list[int] = []
    reader = threading.Thread(target=lambda: results.append(guest.call("fd_read", fd, IOV, 1, OUT)))
    reader.start()
    try:
        assert entry.reading.wait(JOIN_SAFETY)
        assert guest.call("fd_close", fd) == 0
        assert guest.call("fd_read", fd, IOV, 1, OUT) == errno.BADF
        guest.open("secret")  # a new host fd: the pipe's number is still taken
        os.write(write_end, b"pipe")
        reader.join(JOIN_SAFETY)
        assert results == [0]
        assert guest.memory.read(BUF, guest.memory.u32(OUT)) == b"pipe"
    finally:
        os.close(write_end)
        reader.join(JOIN_SAFETY)
    with pytest.raises(OSError, match="Bad file descriptor"):
        os.fstat(read_end)  # closed once the read left


def test_renumber_onto_itself_keeps_the_fd(guest: Guest) -> None:
    fd = guest.open("r.txt", oflags=OFLAG_CREAT)
    assert guest.call("fd_renumber", fd, fd) == 0
    assert guest.call("fd_close", fd) == 0


def test_symlink_target_with_nul_is_inval(guest: Guest) -> None:
    guest.memory.write(BUF, b"a\0b")
    assert guest.call("path_symlink", BUF, 3, DIR_FD, *guest.path("link")) == errno.INVAL


def test_file_dated_before_1970_has_time_zero(guest: Guest, tmp_path: Path) -> None:
    old = tmp_path / "old"
    old.write_text("x")
    os.utime(old, ns=(-(10**9), -(10**9)))
    assert guest.call("path_filestat_get", DIR_FD, 0, *guest.path("old"), BUF) == 0
    assert struct.unpack_from("<QQ", guest.memory.read(BUF + 40, 16)) == (0, 0)


def test_non_utf8_names_come_back_as_raw_bytes(guest: Guest, tmp_path: Path) -> None:
    os.close(os.open(bytes(tmp_path) + b"/\xff", os.O_CREAT | os.O_WRONLY, 0o644))
    (tmp_path / "link").symlink_to(os.fsdecode(b"\xfe"))
    assert guest.call("path_readlink", DIR_FD, *guest.path("link"), BUF, 64, OUT) == 0
    assert guest.memory.read(BUF, guest.memory.u32(OUT)) == b"\xfe"
    assert guest.call("fd_readdir", DIR_FD, BUF, 4096, 0, OUT) == 0
    listing = guest.memory.read(BUF, guest.memory.u32(OUT))
    assert struct.pack("<IB3x", 1, 4) + b"\xff" in listing  # name length 1, regular file


@pytest.mark.parametrize(
    ("call", "args"),
    [
        ("fd_pread", (IOV, 1, 1 << 63, OUT)),
        ("fd_pwrite", (IOV, 1, 1 << 63, OUT)),
        ("fd_allocate", (1 << 63, 1)),
        ("fd_filestat_set_size", (1 << 63,)),
    ],
)
def test_offsets_and_sizes_past_the_host_range_are_inval(
    guest: Guest, call: str, args: tuple[int, ...]
) -> None:
    fd = guest.open("big", oflags=OFLAG_CREAT)
    guest.memory.write(IOV, struct.pack("<II", BUF, 4))
    assert guest.call(call, fd, *args) == errno.INVAL


def test_host_fds_above_1023_can_be_read_and_polled(guest: Guest) -> None:
    read_end, write_end = os.pipe()
    high = os.dup2(read_end, 1500)
    os.close(read_end)
    try:
        os.write(write_end, b"x")
        fd = guest.ctx.fds.add(Entry(high, 0))
        guest.memory.write(BUF, struct.pack("<QB7xI28x", 9, 1, fd))  # fd_read subscription
        assert guest.call("poll_oneoff", BUF, BUF + 200, 1, OUT) == 0
        assert guest.memory.u32(OUT) == 1
        guest.memory.write(IOV, struct.pack("<II", BUF, 4))
        assert guest.call("fd_read", fd, IOV, 1, OUT) == 0
        assert guest.memory.u32(OUT) == 1
    finally:
        os.close(write_end)


def test_poll_reports_every_subscription_on_one_fd(guest: Guest) -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, b"x")
    try:
        fd = guest.ctx.fds.add(Entry(read_end, 0))
        subscriptions = struct.pack("<QB7xI28x", 1, 1, fd) + struct.pack("<QB7xI28x", 2, 1, fd)
        guest.memory.write(BUF, subscriptions)
        assert guest.call("poll_oneoff", BUF, BUF + 200, 2, OUT) == 0
        assert guest.memory.u32(OUT) == 2
        events = guest.memory.read(BUF + 200, 64)
        assert {struct.unpack_from("<Q", events, at)[0] for at in (0, 32)} == {1, 2}
    finally:
        os.close(write_end)


def test_trailing_slash_on_a_file_is_notdir(guest: Guest, tmp_path: Path) -> None:
    (tmp_path / "old").write_text("x")
    path, length = guest.path("old/")
    assert guest.call("path_open", DIR_FD, 1, path, length, 0, 2, 2, 0, OUT) == errno.NOTDIR
    assert guest.call("path_unlink_file", DIR_FD, path, length) == errno.NOTDIR
    assert (tmp_path / "old").exists()
    (tmp_path / "dir").mkdir()
    guest.open("dir/", oflags=2)


def test_opening_a_directory_for_writing_is_isdir(guest: Guest, tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    path, length = guest.path("dir")
    rights = RIGHT_FD_WRITE
    assert guest.call("path_open", DIR_FD, 1, path, length, 0, rights, rights, 0, OUT) == (
        errno.ISDIR
    )


def test_path_open_with_a_bad_result_pointer_leaks_no_fd(guest: Guest) -> None:
    path, length = guest.path("f")
    assert guest.call("path_open", DIR_FD, 1, path, length, OFLAG_CREAT, 2, 2, 0, 1 << 20) == (
        errno.FAULT
    )
    assert guest.open("f") == DIR_FD + 1  # the lowest free number again


def test_opening_a_fifo_does_not_wait_for_a_writer(guest: Guest, tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo")
    opened: list[int] = []
    opener = threading.Thread(target=lambda: opened.append(guest.open("fifo", rights=2)))
    opener.start()
    opener.join(JOIN_SAFETY)
    blocked = opener.is_alive()
    if blocked:  # still waiting in open(): release it before failing
        os.close(os.open(tmp_path / "fifo", os.O_WRONLY))
        opener.join()
    assert not blocked
    assert opened == [DIR_FD + 1]
    assert os.get_blocking(guest.ctx.fds._entries[DIR_FD + 1].host_fd)


def test_a_blocked_stdin_read_with_nonblock_set_still_ends_with_the_run(guest: Guest) -> None:
    read_end, write_end = os.pipe()
    try:
        fd = guest.ctx.fds.add(Entry(read_end, 0, owned=False))
        assert guest.call("fd_fdstat_set_flags", fd, FDFLAG_NONBLOCK) == 0
        guest.memory.write(IOV, struct.pack("<II", BUF, 4))
        outcome: list[str] = []

        def read() -> None:
            try:
                guest.call("fd_read", fd, IOV, 1, OUT)
                outcome.append("returned")
            except ThreadExit:
                outcome.append("stopped")

        reader = threading.Thread(target=read)
        reader.start()
        guest.ctx.stopping.set()
        reader.join(JOIN_SAFETY)
        if reader.is_alive():  # blocked in a real read: release it before failing
            os.write(write_end, b"x")
            reader.join()
        assert outcome == ["stopped"]
    finally:
        os.close(write_end)
        os.close(read_end)
