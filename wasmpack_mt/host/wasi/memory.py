"""Bounds-checked, zero-copy access to guest memory, as WASI calls see it.

`GuestMemory` works on the memory's base address (ctypes) and checks every
access against the current length. The engine says where the memory is: a
shared memory never moves, so its base is fixed; a module's own memory may
move when it grows, so the engine binds it before each host call.
"""

from __future__ import annotations

import ctypes
import struct
from collections.abc import Callable

from wasmpack_mt.host.wasi.seam import GuestFault

_EMPTY = memoryview(bytearray())


class GuestMemory:
    """Bounds-checked, zero-copy access to one guest memory.

    It keeps one view of the whole memory and hands out slices of it; the view
    is rebuilt only when an access reaches past it (the memory grew) or, for a
    module's own memory, when a host call finds it moved.
    """

    def __init__(
        self, base: int = 0, length: Callable[[], int] | None = None, owner: object = None
    ) -> None:
        """A memory at address `base` that is `length()` bytes long now (it only grows).

        Without `length`, the memory is bound before each host call (`bind`).
        `owner` is kept alive as long as any view of the memory lives.
        """
        self._base = base
        self._bound_length = 0
        self._length = length or (lambda: self._bound_length)
        self._owner = owner
        self._whole = _EMPTY

    @property
    def movable(self) -> bool:
        """Whether the memory may move between host calls (a module's own memory)."""
        return self._owner is None

    def bind(self, base: int, length: int) -> None:
        """Where a module's own memory lies for the coming host call."""
        if (base, length) != (self._base, self._bound_length):
            self._base, self._bound_length = base, length
            self._whole = self._view_all()

    def length(self) -> int:
        """The memory's current length in bytes."""
        return self._length()

    def view(self, address: int, size: int) -> memoryview:
        """A writable view of `size` bytes at `address` (no copy).

        A view of a shared memory keeps that memory alive as long as the view
        lives. A view of a module's own memory is valid during the host call only.
        """
        end = address + size
        whole = self._whole
        if end > len(whole) or address < 0 or size < 0 or whole is _EMPTY:
            whole = self._whole = self._view_all()
            if end > len(whole) or address < 0 or size < 0 or whole is _EMPTY:
                raise GuestFault(f"access of {size} bytes at {address:#x} is out of bounds")
        return whole[address:end]

    def _view_all(self) -> memoryview:
        """A view of the memory's current length (`_EMPTY` when there is no memory)."""
        length = self.length()
        if not self._base:
            return _EMPTY
        if not length:
            return memoryview(bytearray())
        array = (ctypes.c_ubyte * length).from_address(self._base)
        array._owner = self._owner  # type: ignore[attr-defined]  # the view keeps the memory
        return memoryview(array).cast("B")

    def read(self, address: int, size: int) -> bytes:
        """A copy of `size` bytes at `address`."""
        return bytes(self.view(address, size))

    def write(self, address: int, data: bytes | bytearray | memoryview) -> None:
        """Copy `data` to `address`."""
        self.view(address, len(data))[:] = data

    def u32(self, address: int) -> int:
        """The little-endian u32 at `address`."""
        value: int = struct.unpack_from("<I", self.view(address, 4))[0]
        return value

    def set_u32(self, address: int, value: int) -> None:
        """Store a little-endian u32."""
        struct.pack_into("<I", self.view(address, 4), 0, value & 0xFFFFFFFF)

    def set_u64(self, address: int, value: int) -> None:
        """Store a little-endian u64."""
        struct.pack_into("<Q", self.view(address, 8), 0, value & 0xFFFFFFFFFFFFFFFF)

    def u64(self, address: int) -> int:
        """The little-endian u64 at `address`."""
        value: int = struct.unpack_from("<Q", self.view(address, 8))[0]
        return value

    def iovecs(self, address: int, count: int) -> list[memoryview]:
        """The buffers described by `count` (pointer, length) pairs at `address`."""
        table = self.read(address, 8 * count)
        pairs = struct.iter_unpack("<II", table)
        return [self.view(pointer, size) for pointer, size in pairs]
