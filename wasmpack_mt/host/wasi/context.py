"""The per-run WASI state shared by all threads: args, environment, fd table."""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from wasmpack_mt.errors import UsageError
from wasmpack_mt.host.wasi.fdtable import CHARACTER_DEVICE, DIRECTORY, Entry, FdTable, filetype_of
from wasmpack_mt.host.wasi.memory import GuestMemory
from wasmpack_mt.host.wasi.rights import DIRECTORY_RIGHTS, INHERITABLE


@dataclass(frozen=True)
class Preopen:
    """A host directory the guest may reach, under its guest name."""

    host: Path
    guest: str

    @classmethod
    def parse(cls, spec: str) -> Preopen:
        """`HOST` or `HOST::GUEST` (the guest name defaults to HOST as written)."""
        host, _, guest = spec.partition("::")
        if not host:
            raise UsageError(f"--dir {spec!r} names no host directory; use --dir HOST[::GUEST]")
        return cls(Path(host), guest or host)


@dataclass
class WasiContext:
    """Everything the WASI calls of one run share."""

    args: list[bytes]
    environ: list[bytes]
    fds: FdTable
    memory: GuestMemory
    stopping: threading.Event

    @staticmethod
    def open_fds(
        dirs: Sequence[Preopen],
        stdin: BinaryIO | None,
        stdout: BinaryIO | None,
        stderr: BinaryIO | None,
    ) -> FdTable:
        """The initial fd table: 0-2 then one fd per preopen (UsageError if one is missing)."""
        table = FdTable()
        for number, stream in enumerate((stdin, stdout, stderr)):
            host_fd = number if stream is None else _fileno(stream)
            if host_fd is None:
                table.add(Entry(-1, CHARACTER_DEVICE, stream=stream, owned=False))
            else:
                table.add(Entry(host_fd, _host_filetype(host_fd), owned=False))
        for preopen in dirs:
            try:
                fd = os.open(preopen.host, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            except OSError as exc:
                table.close_all()
                raise UsageError(
                    f"--dir {preopen.host}: cannot open the directory ({exc.strerror}); "
                    "pass an existing directory"
                ) from None
            table.add(
                Entry(
                    fd,
                    DIRECTORY,
                    preopen=preopen.guest,
                    rights_base=DIRECTORY_RIGHTS,
                    rights_inheriting=INHERITABLE,
                )
            )
        return table


def encode_environ(env: Mapping[str, str]) -> list[bytes]:
    """`KEY=VALUE` entries as the guest sees them."""
    return [f"{key}={value}".encode() for key, value in env.items()]


def _fileno(stream: BinaryIO) -> int | None:
    """The stream's host fd (after flushing it), so reads can be interrupted; None if none."""
    try:
        fd = stream.fileno()
    except (OSError, ValueError, AttributeError):
        return None
    stream.flush()
    return fd


def _host_filetype(fd: int) -> int:
    try:
        return filetype_of(os.fstat(fd).st_mode)
    except OSError:
        return CHARACTER_DEVICE
