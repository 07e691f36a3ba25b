"""The engine's side of guest memory: the run's shared memory, and the wake sweeper.

WASI reads and writes guest memory through `host.wasi.memory.GuestMemory`;
`guest_memory` points one at a shared memory, whose base never moves.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator

import wasmtime

from wasmpack_mt.abi import PAGE_SIZE, signed_i32
from wasmpack_mt.host import native
from wasmpack_mt.host.wasi.memory import GuestMemory


def guest_memory(shared: wasmtime.SharedMemory | None) -> GuestMemory:
    """WASI's access to `shared`; without one, a memory each host call binds to its caller's."""
    if shared is None:
        return GuestMemory()
    base = ctypes.cast(shared.data_ptr(), ctypes.c_void_p).value or 0
    return GuestMemory(base, shared.data_len, owner=shared)


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
