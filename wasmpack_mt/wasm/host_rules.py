"""What any wasi-threads host refuses to run: the part of the ABI rules the host asks.

Kept apart from `wasm.check` (which reuses `is_spawn`) so that loading a module
imports only these few rules, not the whole checker.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from wasmpack_mt.abi import THREAD_SPAWN, THREAD_START, THREADS_MODULE, WASI_PREVIEW1_MODULE
from wasmpack_mt.wasm.module import Import, Limits

SPAWN_NAME = f"{THREADS_MODULE}.{THREAD_SPAWN}"


def is_spawn(imp: Import) -> bool:
    """Whether `imp` is the `wasi.thread-spawn` import."""
    return (imp.module, imp.name) == (THREADS_MODULE, THREAD_SPAWN)


def is_preview1_func(imp: Import) -> bool:
    """Whether `imp` is a WASI preview1 function."""
    return imp.module == WASI_PREVIEW1_MODULE and imp.kind == "func"


def host_refusal(imports: Sequence[Import], exports: Collection[str]) -> str | None:
    """Why a wasi-threads host cannot run a module with these imports and exports, or None.

    Stricter than nothing, looser than `check_module`: a host also runs plain
    wasip1 modules (own memory, no threads), but not imports it cannot provide
    or threads that could not share their memory.
    """
    memories = [imp for imp in imports if imp.kind == "memory"]
    for memory in memories:
        if isinstance(memory.type, Limits) and not memory.type.shared:
            return (
                f"the module imports a non-shared memory {memory.module}.{memory.name}; "
                "link with --shared-memory (wasm32-wasip1-threads) or let it define its own"
            )
    unknown = [
        f"{imp.module}.{imp.name}"
        for imp in imports
        if imp.kind != "memory" and not is_spawn(imp) and not is_preview1_func(imp)
    ]
    if unknown:
        return (
            f"the module imports {', '.join(unknown[:5])}, which this host does not provide; "
            "build it for wasm32-wasip1-threads with only WASI preview1 imports"
        )
    spawns = any(is_spawn(imp) for imp in imports)
    if spawns and not memories:
        return (
            f"the module imports {SPAWN_NAME} but defines its own memory, so each thread "
            "would get a different memory; link with --import-memory --shared-memory"
        )
    if spawns and THREAD_START not in exports:
        return (
            f"the module imports {SPAWN_NAME} but does not export {THREAD_START}; "
            "build it with -pthread for wasm32-wasip1-threads"
        )
    return None
