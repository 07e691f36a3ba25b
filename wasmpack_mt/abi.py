"""The wasi-threads ABI in one place: the names and signatures every stage agrees on.

Builders link modules that follow it, `wasm.check` states its rules (and the
host asks `wasm.host_rules` whether it can run a module), and the host provides it.
Signatures are written as `wasm.module.FuncType` spells value types.
"""

from __future__ import annotations

PAGE_SIZE = 65536
"""Bytes in one wasm memory page."""

MEMORY_IMPORT = ("env", "memory")
"""Where a threaded module imports its shared memory from."""
MEMORY_EXPORT = "memory"
"""The export WASI hosts read guest memory through."""

WASI_PREVIEW1_MODULE = "wasi_snapshot_preview1"
THREADS_MODULE = "wasi"
THREAD_SPAWN = "thread-spawn"
"""`wasi.thread-spawn(start_arg: i32) -> i32`: a new thread's tid (> 0), or a negative errno."""
THREAD_SPAWN_SIGNATURE = (("i32",), ("i32",))
THREAD_START = "wasi_thread_start"
"""Export `wasi_thread_start(tid: i32, start_arg: i32)`, which a spawned thread runs."""
THREAD_START_SIGNATURE = (("i32", "i32"), ())

IMPORT_MODULES = ("env", THREADS_MODULE, WASI_PREVIEW1_MODULE)
"""Import modules a wasi-threads host knows (`env` only for the memory)."""

HOST_ALLOCATOR_EXPORTS = ("malloc", "free")
"""Exports @emnapi/wasi-threads (Node, browsers) calls when a thread spawns."""

REACTOR_THREAD_EXPORTS = ("__stack_pointer", "__wasm_init_tls", "__tls_size", "__tls_align")
"""The per-thread instance ABI of a C/C++ reactor (`entry = "reactor"`): with these
exports a host gives each calling thread its own shadow stack and TLS block."""
REACTOR_PARALLEL_EXPORTS = (*REACTOR_THREAD_EXPORTS, "malloc")
"""What a reactor exports so that a host can run its calls from many threads at once
(the host allocates each calling thread's stack and TLS block with `malloc`)."""
REACTOR_THREAD_INIT = "wasmpack_thread_init"
"""Optional export `(tid: i32) -> i32` (wasmpack's reactor builds add it): sets up
`pthread_self()` with thread id `tid` for a new calling thread, once its TLS block is
initialised; a host calls it when present."""

WASI_MAIN_THREAD_ID = 0x3FFFFFFF
"""The thread id wasi-libc gives the thread that runs `_start` / `_initialize`."""
MAX_THREAD_ID = 0x1FFFFFFF
"""The largest tid `thread-spawn` may return (wasi-libc keeps the top bits for locks)."""


def signed_i32(value: int) -> int:
    """A u32 (an address, a size) as the signed i32 that wasm values carry."""
    return value - (1 << 32) if value >= 1 << 31 else value
