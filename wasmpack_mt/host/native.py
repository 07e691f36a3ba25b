"""The few places where the host talks to wasmtime's C API directly.

The `wasmtime` package (50.x) has three problems for a multithreaded host, all
worked around here and nowhere else:

* Its host-function trampoline stores a raised exception in ONE global shared
  by all threads, and `Func.__call__` re-raises whatever sits there, so one
  thread can receive another's exception. Our host functions use their own
  callback (`define_host_func`) that never raises into the engine, and exports
  are called with `call_func`, which never looks at that global.
* `Linker.define(..., SharedMemory)` raises TypeError (wasmtime-py issue #318:
  `SharedMemory._as_extern` passes a pointer to a pointer); `define_shared_memory`
  builds the extern correctly. (`SharedMemory.size()` has the same bug; callers
  use `data_len() // 65536`.)
* Stopping a thread that computes needs epoch interruption; instead of writing
  another thread's Store, every Store gets a deadline callback (`StopCheck`)
  that asks its run whether to stop.
"""

from __future__ import annotations

import ctypes
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import wasmtime
from wasmtime import _ffi as ffi

from wasmpack_mt.host.wasi.seam import ThreadExit

RawArgs = Any  # ctypes pointer to wasmtime_val_raw_t, indexable
HostImpl = Callable[[Any, RawArgs], None]

_CONTINUE = 0  # WASMTIME_UPDATE_DEADLINE_CONTINUE

_EpochCallback = ctypes.CFUNCTYPE(
    ctypes.c_size_t,
    ctypes.POINTER(ffi.wasmtime_context_t),
    ctypes.c_void_p,
    ctypes.POINTER(ctypes.c_uint64),
    ctypes.POINTER(ffi.wasmtime_update_deadline_kind_t),
)


_NO_FINALIZER = ctypes.CFUNCTYPE(None, ctypes.c_void_p)()  # a NULL function pointer


def _trap_address(message: str) -> int | None:
    data = message.encode()
    trap = ffi.wasmtime_trap_new(ctypes.create_string_buffer(data), len(data))
    return ctypes.cast(trap, ctypes.c_void_p).value


def define_host_func(
    linker: wasmtime.Linker,
    module: str,
    name: str,
    functype: wasmtime.FuncType,
    impl: HostImpl,
    *,
    on_error: Callable[[str, BaseException], None],
    keepalive: list[object],
) -> None:
    """Define `module.name` in `linker`, calling `impl(caller, raw_args_and_results)`.

    `impl` reads its arguments from `raw[i].i32` / `.i64` and writes its result
    to `raw[0]`. `ThreadExit` unwinds the calling wasm thread with a trap; any
    other exception goes to `on_error` and unwinds the same way. Nothing is ever
    raised into the engine. The callback object is appended to `keepalive`,
    which must live as long as any Store using the linker.
    """

    def callback(_env: Any, caller: Any, raw: RawArgs, _count: int) -> int | None:
        try:
            impl(caller, raw)
        except ThreadExit:
            return _trap_address(f"wasmpack: thread stopped in {module}.{name}")
        except BaseException as exc:
            on_error(f"{module}.{name}", exc)
            return _trap_address(f"wasmpack: host function {module}.{name} failed: {exc}")
        return 0

    c_callback = ffi.wasmtime_func_unchecked_callback_t(callback)
    keepalive.append(c_callback)
    module_bytes, name_bytes = module.encode(), name.encode()
    error = ffi.wasmtime_linker_define_func_unchecked(
        linker.ptr(),
        ctypes.create_string_buffer(module_bytes),
        len(module_bytes),
        ctypes.create_string_buffer(name_bytes),
        len(name_bytes),
        functype.ptr(),
        c_callback,
        None,
        _NO_FINALIZER,
    )
    if error:
        raise wasmtime.WasmtimeError._from_ptr(error)


def define_shared_memory(
    linker: wasmtime.Linker,
    store: wasmtime.Store,
    module: str,
    name: str,
    memory: wasmtime.SharedMemory,
) -> None:
    """`linker.define(store, module, name, memory)` without wasmtime-py bug #318."""
    union = ffi.wasmtime_extern_union(sharedmemory=memory.ptr())
    item = ffi.wasmtime_extern_t(ffi.WASMTIME_EXTERN_SHAREDMEMORY, union)
    module_bytes, name_bytes = module.encode(), name.encode()
    error = ffi.wasmtime_linker_define(
        linker.ptr(),
        store._context(),
        ctypes.create_string_buffer(module_bytes),
        len(module_bytes),
        ctypes.create_string_buffer(name_bytes),
        len(name_bytes),
        ctypes.byref(item),
    )
    if error:
        raise wasmtime.WasmtimeError._from_ptr(error)


def raw_args_reader(kinds: str) -> Callable[[RawArgs], tuple[int, ...]]:
    """Reads unsigned arguments from raw slots in one go (`kinds`: "i" is i32, "I" is i64)."""
    slot = ctypes.sizeof(ffi.wasmtime_val_raw_t)
    layout = struct.Struct(
        "<" + "".join(f"I{slot - 4}x" if k == "i" else f"Q{slot - 8}x" for k in kinds)
    )
    size = layout.size

    def read(raw: RawArgs) -> tuple[int, ...]:
        return layout.unpack(ctypes.string_at(raw, size)) if size else ()

    return read


def library_identity() -> str:
    """Which wasmtime library is loaded: its size and mtime (cheaper than package metadata)."""
    info = Path(ffi.filename).stat()
    return f"{info.st_size}-{info.st_mtime_ns}"


class StopCheck:
    """Makes stores trap at the next epoch tick once `should_stop()` is true.

    A store's deadline is one tick ahead; each `engine.increment_epoch()` runs
    the check in the wasm thread itself, which either extends the deadline by
    one tick or traps. One check serves every store of a run; keep it alive as
    long as they live.
    """

    def __init__(self, should_stop: Callable[[], bool]) -> None:
        def on_epoch(_ctx: Any, _env: Any, delta: Any, kind: Any) -> int | None:
            if should_stop():
                message = ctypes.create_string_buffer(b"wasmpack: thread stopped (run ended)")
                return ctypes.cast(ffi.wasmtime_error_new(message), ctypes.c_void_p).value
            delta[0] = 1
            kind[0] = _CONTINUE
            return 0

        self._callback = _EpochCallback(on_epoch)

    def install(self, store: wasmtime.Store) -> None:
        """Check `store` at every epoch tick from now on."""
        ffi.wasmtime_store_epoch_deadline_callback(store.ptr(), self._callback, None, _NO_FINALIZER)
        store.set_epoch_deadline(1)


@dataclass(frozen=True)
class CallFailure:
    """Why a call into wasm did not return normally: a trap or an engine error."""

    message: str
    backtrace: tuple[str, ...]
    trap_code: wasmtime.TrapCode | None


_RAW_FIELDS = (
    (wasmtime.ValType.i32(), "i32"),
    (wasmtime.ValType.i64(), "i64"),
    (wasmtime.ValType.f32(), "f32"),
    (wasmtime.ValType.f64(), "f64"),
)


def _raw_field(ty: wasmtime.ValType) -> str:
    for known, field in _RAW_FIELDS:
        if known == ty:
            return field
    raise TypeError(f"unsupported wasm value type {ty} (only i32, i64, f32, f64)")


def export_func(store: wasmtime.Store, instance: wasmtime.Instance, name: str) -> wasmtime.Func:
    """The exported function `name` of `instance`, looked up alone.

    `Instance.exports` lists every export first (tens of microseconds on a fresh
    instance), a cost each `thread-spawn` would pay on its critical path.
    """
    data = name.encode()
    item = ffi.wasmtime_extern_t()
    found = ffi.wasmtime_instance_export_get(
        store._context(), ctypes.byref(instance._instance),
        ctypes.create_string_buffer(data), len(data), ctypes.byref(item),
    )  # fmt: skip
    if not found or cast(int, item.kind) != ffi.WASMTIME_EXTERN_FUNC.value:
        raise LookupError(f"the instance exports no function {name!r}")
    return wasmtime.Func._from_raw(item.of.func)


Signature = tuple[tuple[str, ...], tuple[str, ...]]
"""A function's parameter and result types as raw-value fields: "i32", "i64", "f32", "f64"."""


def func_signature(store: wasmtime.Store, func: wasmtime.Func) -> Signature:
    """`func`'s signature, asked of the engine (a few microseconds: worth keeping)."""
    ty = func.type(store)
    return tuple(map(_raw_field, ty.params)), tuple(map(_raw_field, ty.results))


def call_func(
    store: wasmtime.Store,
    func: wasmtime.Func,
    args: Sequence[int | float],
    signature: Signature | None = None,
) -> list[int | float] | CallFailure:
    """Call `func` with numeric `args`; return its results or why it failed.

    `signature`, when the caller knows it (checked once, or kept from `func_signature`),
    spares asking the engine on every call.
    """
    params, results = signature if signature is not None else func_signature(store, func)
    if len(args) != len(params):
        raise TypeError(f"expected {len(params)} arguments, got {len(args)}")
    raw = (ffi.wasmtime_val_raw_t * max(len(params), len(results), 1))()
    for index, (value, field) in enumerate(zip(args, params, strict=True)):
        setattr(raw[index], field, value)
    trap = ctypes.POINTER(ffi.wasm_trap_t)()
    error = ffi.wasmtime_func_call_unchecked(
        store._context(), ctypes.byref(func._func), raw, len(raw), ctypes.byref(trap)
    )
    if error:
        failure = wasmtime.WasmtimeError._from_ptr(error)
        return CallFailure(_cause(str(failure)), (), None)
    if trap:
        trap_obj = wasmtime.Trap._from_ptr(trap)
        frames = tuple(_describe_frame(frame) for frame in trap_obj.frames)
        return CallFailure(_cause(trap_obj.message), frames, trap_obj.trap_code)
    return [getattr(raw[index], field) for index, field in enumerate(results)]


def _cause(message: str) -> str:
    """The reason in a wasmtime trap message, without its embedded backtrace."""
    _, found, cause = message.partition("Caused by:")
    text = (cause if found else message).strip().splitlines()
    reason = text[0].strip() if text else "unknown trap"
    return reason.removeprefix("wasm trap: ")


def _describe_frame(frame: wasmtime.Frame) -> str:
    name = frame.func_name or f"<func {frame.func_index}>"
    return f"{name} (module offset {frame.module_offset:#x})"


def caller_memory_span(caller: Any, export: str = "memory") -> tuple[int, int]:
    """(address, length) of the calling instance's exported memory, or (0, 0)."""
    name = export.encode()
    item = ffi.wasmtime_extern_t()
    if not ffi.wasmtime_caller_export_get(
        caller, ctypes.create_string_buffer(name), len(name), ctypes.byref(item)
    ):
        return 0, 0
    try:
        kind = cast(int, item.kind)  # a ctypes struct field reads as a plain int
        if kind == ffi.WASMTIME_EXTERN_SHAREDMEMORY.value:
            shared = item.of.sharedmemory
            address = ffi.wasmtime_sharedmemory_data(shared)
            size = ffi.wasmtime_sharedmemory_data_size(shared)
        elif kind == ffi.WASMTIME_EXTERN_MEMORY.value:
            context = ffi.wasmtime_caller_context(caller)
            address = ffi.wasmtime_memory_data(context, ctypes.byref(item.of.memory))
            size = ffi.wasmtime_memory_data_size(context, ctypes.byref(item.of.memory))
        else:
            return 0, 0
        return ctypes.cast(address, ctypes.c_void_p).value or 0, int(size)
    finally:
        ffi.wasmtime_extern_delete(ctypes.byref(item))
