"""Guest memory: the run's shared memory, bounds-checked access, and the wake sweeper.

Host functions read and write guest memory through `GuestMemory`, which works
on the memory's base address (ctypes) and checks every access against the
current length. A shared memory never moves, so its base is fixed; a plain
module's own memory may move when it grows, so it is re-read at each host call.
"""

from __future__ import annotations

import ctypes
import struct
import threading
from collections.abc import Iterator
from typing import Any

import wasmtime

from wasmpack_mt.abi import PAGE_SIZE, signed_i32
from wasmpack_mt.host import native
from wasmpack_mt.host.wasi.seam import GuestFault

_EMPTY = memoryview(bytearray())


class GuestMemory:
    """Bounds-checked, zero-copy access to one guest memory.

    It keeps one view of the whole memory and hands out slices of it; the view
    is rebuilt only when an access reaches past it (the memory grew) or, for a
    module's own memory, when a host call finds it moved.
    """

    def __init__(self, shared: wasmtime.SharedMemory | None) -> None:
        self.shared = shared
        self._base = 0
        self._length = 0
        self._whole = _EMPTY
        if shared is not None:
            self._base = ctypes.cast(shared.data_ptr(), ctypes.c_void_p).value or 0

    def bind_caller(self, caller: Any) -> None:
        """For a module's own memory: refresh base and length from the calling instance."""
        if self.shared is None:
            span = native.caller_memory_span(caller)
            if span != (self._base, self._length):
                self._base, self._length = span
                self._whole = self._view_all()

    def length(self) -> int:
        """The memory's current length in bytes."""
        return self.shared.data_len() if self.shared is not None else self._length

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
        array._owner = self.shared  # type: ignore[attr-defined]  # the view keeps the memory
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


def create_shared_memory(
    engine: wasmtime.Engine, import_type: wasmtime.MemoryType, max_bytes: int | None
) -> wasmtime.SharedMemory:
    """A shared memory matching `import_type`, its maximum capped at `max_bytes`.

    Raises ValueError when the module's minimum already exceeds the cap.
    """
    limits = import_type.limits
    maximum = limits.max if limits.max is not None else limits.min
    if max_bytes is not None:
        cap = max_bytes // PAGE_SIZE
        if limits.min > cap:
            raise ValueError(
                f"the module needs at least {limits.min * PAGE_SIZE // 2**20} MiB of memory, "
                f"more than the limit of {max_bytes // 2**20} MiB"
            )
        maximum = min(maximum, cap)
    memory_type = wasmtime.MemoryType(wasmtime.Limits(limits.min, maximum), shared=True)
    return wasmtime.SharedMemory(engine, memory_type)


_WAKE_WAT = """
(module
  (import "host" "memory" (memory 0 65536 shared))
  (func (export "wake_range") (param $address i32) (param $end i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $address) (local.get $end)))
        (drop (memory.atomic.notify (local.get $address) (i32.const -1)))
        (local.set $address (i32.add (local.get $address) (i32.const 4)))
        (br $next)))))
"""

_wake_modules: dict[wasmtime.Engine, wasmtime.Module] = {}
_wake_lock = threading.Lock()


SWEEP_SLICE_BYTES = 32 * 2**20
"""How much memory one `WakeSweeper.sweep_slices` step covers (about 60 ms)."""


class WakeSweeper:
    """Wakes every thread blocked in `memory.atomic.wait32/64` on one shared memory.

    A helper instance on the same memory runs `memory.atomic.notify` on every
    aligned address of the memory's current size (about 2 ms per MiB); waiting
    threads then return into wasm and trap at their next epoch check.
    """

    def __init__(self, engine: wasmtime.Engine, memory: wasmtime.SharedMemory) -> None:
        with _wake_lock:
            module = _wake_modules.get(engine)
            if module is None:
                module = _wake_modules[engine] = wasmtime.Module(engine, _WAKE_WAT)
        self._memory = memory
        self._store = wasmtime.Store(engine)
        self._store.set_epoch_deadline(2**62)
        linker = wasmtime.Linker(engine)
        native.define_shared_memory(linker, self._store, "host", "memory", memory)
        instance = linker.instantiate(self._store, module)
        wake_range = instance.exports(self._store)["wake_range"]
        assert isinstance(wake_range, wasmtime.Func)
        self._wake_range = wake_range

    def sweep_slices(self) -> Iterator[None]:
        """Notify every waiter once, yielding after each slice (use from one thread at a time)."""
        end = min(self._memory.data_len(), 2**32 - 4) & ~3
        for start in range(0, end, SWEEP_SLICE_BYTES):
            stop = min(start + SWEEP_SLICE_BYTES, end)
            native.call_func(self._store, self._wake_range, [signed_i32(start), signed_i32(stop)])
            yield
