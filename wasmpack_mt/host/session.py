"""One run of a module: its memory, linker, WASI state and threads.

A `Session` creates the shared memory once from the module's memory import,
defines WASI preview1 and `wasi.thread-spawn` (closures over this session) in
its own Linker, and pre-instantiates the module once; every thread, the main
one included, gets a new Store and instance over the same memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import wasmtime

from wasmpack_mt.errors import HostError
from wasmpack_mt.host import native
from wasmpack_mt.host.engine import engine
from wasmpack_mt.host.memory import GuestMemory, WakeSweeper, create_shared_memory
from wasmpack_mt.host.native import CallFailure
from wasmpack_mt.host.pool import run_in_thread
from wasmpack_mt.host.threads import EXIT_TRAP, MAIN_TID, Outcome, RunControl
from wasmpack_mt.host.wasi.context import WasiContext
from wasmpack_mt.host.wasi.errno import AGAIN
from wasmpack_mt.host.wasi.fdtable import FdTable
from wasmpack_mt.host.wasi.preview1 import MODULE as WASI_MODULE
from wasmpack_mt.host.wasi.preview1 import SIGNATURES, Preview1

_I32 = wasmtime.ValType.i32()
_I64 = wasmtime.ValType.i64()


@dataclass(frozen=True)
class ModuleShape:
    """What the host needs to know about a module's imports and exports."""

    memory_import: tuple[str, str, wasmtime.MemoryType] | None
    exports: frozenset[str]

    @classmethod
    def of(cls, module: wasmtime.Module) -> ModuleShape:
        """Inspect `module`; raise HostError for imports this host cannot provide."""
        memory_import = None
        spawns = False
        unknown: list[str] = []
        for item in module.imports:
            kind = item.type
            if isinstance(kind, wasmtime.MemoryType):
                if not kind.is_shared:
                    raise HostError(
                        f"the module imports a non-shared memory {item.module}.{item.name}; "
                        "link with --shared-memory (wasm32-wasip1-threads) or let it define its own"
                    )
                memory_import = (item.module, item.name or "", kind)
            elif item.module == "wasi" and item.name == "thread-spawn":
                spawns = True
            elif item.module != WASI_MODULE or not isinstance(kind, wasmtime.FuncType):
                unknown.append(f"{item.module}.{item.name}")
        exports = frozenset(export.name for export in module.exports)
        _require_signature(module, "_start", [])
        if spawns:
            _require_signature(module, "wasi_thread_start", [_I32, _I32])
        if unknown:
            raise HostError(
                f"the module imports {', '.join(unknown[:5])}, which this host does not provide; "
                "build it for wasm32-wasip1-threads with only WASI preview1 imports"
            )
        if spawns and memory_import is None:
            raise HostError(
                "the module imports wasi.thread-spawn but defines its own memory, so each thread "
                "would get a different memory; link with --import-memory --shared-memory"
            )
        if spawns and "wasi_thread_start" not in exports:
            raise HostError(
                "the module imports wasi.thread-spawn but does not export wasi_thread_start; "
                "build it with -pthread for wasm32-wasip1-threads"
            )
        return cls(memory_import, exports)


def _require_signature(module: wasmtime.Module, name: str, params: list[wasmtime.ValType]) -> None:
    """HostError when export `name` is a function whose type is not `params` -> ()."""
    for export in module.exports:
        kind = export.type
        if export.name != name or not isinstance(kind, wasmtime.FuncType):
            continue
        if list(kind.params) != params or list(kind.results):
            wanted = ", ".join(str(param) for param in params)
            raise HostError(
                f"the module exports {name} as {_describe(kind)}, but hosts call it as "
                f"({wanted}) -> (); let the wasm32-wasip1-threads libc define it"
            )


def _describe(kind: wasmtime.FuncType) -> str:
    params = ", ".join(str(param) for param in kind.params)
    results = ", ".join(str(result) for result in kind.results)
    return f"({params}) -> ({results})"


def _preview1_type(name: str) -> wasmtime.FuncType:
    """The FuncType WASI preview1 defines for `name` (all i32 results are errnos)."""
    kinds = SIGNATURES.get(name, "")
    params = [_I32 if kind == "i" else _I64 for kind in kinds]
    return wasmtime.FuncType(params, [] if name == "proc_exit" else [_I32])


class Session:
    """The state of one run, shared by its threads (thread-safe)."""

    def __init__(
        self,
        module: wasmtime.Module,
        shape: ModuleShape,
        *,
        args: list[bytes],
        environ: list[bytes],
        fds: FdTable,
        max_threads: int,
        max_memory: int | None,
    ) -> None:
        self.shape = shape
        self._keepalive: list[object] = []
        shared = None
        if shape.memory_import is not None:
            try:
                shared = create_shared_memory(shape.memory_import[2], max_memory)
            except ValueError as exc:
                raise HostError(f"{exc}; raise --max-memory") from None
        self.shared_memory = shared
        self.control = RunControl(
            max_threads, sweeper_factory=(lambda: WakeSweeper(shared)) if shared else lambda: None
        )
        self.wasi = WasiContext(args, environ, fds, GuestMemory(shared), self.control.stopping)
        linker = wasmtime.Linker(engine())
        if shared is not None and shape.memory_import is not None:
            module_name, name, _ = shape.memory_import
            native.define_shared_memory(linker, wasmtime.Store(engine()), module_name, name, shared)
        self._define_imports(linker, module)
        try:
            self.pre = linker.instantiate_pre(module)
        except wasmtime.WasmtimeError as exc:
            reason = str(exc).strip().splitlines()[0]
            raise HostError(
                f"the module's imports do not match what WASI preview1 and wasi-threads define "
                f"({reason}); rebuild it for wasm32-wasip1-threads"
            ) from None

    def _define_imports(self, linker: wasmtime.Linker, module: wasmtime.Module) -> None:
        preview1 = Preview1(self.wasi, self.control)
        defined: set[tuple[str, str]] = set()
        for item in module.imports:
            key = (item.module, item.name or "")
            if not isinstance(item.type, wasmtime.FuncType) or key in defined:
                continue  # a module may import one function several times: define it once
            defined.add(key)
            impl: native.HostImpl
            if item.module == "wasi" and item.name == "thread-spawn":
                impl = self._thread_spawn_impl
                functype = wasmtime.FuncType([_I32], [_I32])
            else:
                functype = _preview1_type(item.name or "")
                found = preview1.implementation(item.name or "")
                if found is None:
                    raise HostError(
                        f"the module imports {item.module}.{item.name}, which is not part of "
                        "WASI preview1; rebuild it for wasm32-wasip1-threads"
                    )
                impl = found
            native.define_host_func(
                linker, item.module, item.name or "", functype, impl,
                on_error=lambda where, exc: self._host_failed(f"host function {where}", exc),
                keepalive=self._keepalive,
            )  # fmt: skip

    def _host_failed(self, where: str, exc: BaseException) -> None:
        """A bug in the host (in `where`): end the run with a host error instead of a crash."""
        self.control.finish(
            Outcome(HostError.exit_code, "host-error", f"internal error in {where}: {exc!r}")
        )

    def new_instance(self) -> tuple[wasmtime.Store, wasmtime.Instance, object]:
        """A fresh Store and instance for one thread (raises wasmtime errors)."""
        store = wasmtime.Store(engine())
        stop_check = native.install_stop_check(store, self.control.stopping.is_set)
        return store, self.pre.instantiate(store), stop_check

    # -- threads --
    def _thread_spawn_impl(self, _caller: object, raw: native.RawArgs) -> None:
        raw[0].i32 = self.spawn(raw[0].i32)

    def spawn(self, start_arg: int) -> int:
        """wasi.thread-spawn: start `wasi_thread_start(tid, start_arg)` on a new OS thread."""
        tid = self.control.reserve_tid()
        if tid < 0:
            return tid
        try:
            store, instance, stop_check = self.new_instance()
            run_in_thread(
                lambda: self._thread_body(tid, start_arg, store, instance, stop_check),
                "wasm-thread",
            )
        except (wasmtime.WasmtimeError, wasmtime.Trap, RuntimeError):  # RuntimeError: no thread
            self.control.ended(tid)
            return -AGAIN
        return tid

    def _thread_body(
        self,
        tid: int,
        start_arg: int,
        store: wasmtime.Store,
        instance: wasmtime.Instance,
        _stop_check: object,
    ) -> None:
        try:
            entry = instance.exports(store)["wasi_thread_start"]
            assert isinstance(entry, wasmtime.Func)
            result = native.call_func(store, entry, [tid, start_arg])
            if isinstance(result, CallFailure):
                self.report_failure(tid, result)
        except Exception as exc:  # a host bug must end the run, never leave it hanging
            self._host_failed(f"thread {tid}", exc)
        finally:
            self.control.ended(tid)

    def report_failure(self, tid: int, failure: CallFailure) -> None:
        """A thread left wasm abnormally: a trap ends the run, unless it was already ending."""
        if self.control.stopping.is_set():
            return
        self.control.finish(
            Outcome(EXIT_TRAP, "trap", failure.message.strip(), tid, failure.backtrace)
        )

    def run_main(self, entry: str = "_start") -> None:
        """The main thread: instantiate and call `entry`; its return ends the run with 0."""
        try:
            store, instance, _stop_check = self.new_instance()
            start = instance.exports(store)[entry]
            assert isinstance(start, wasmtime.Func)
            result = native.call_func(store, start, [])
            if isinstance(result, CallFailure):
                self.report_failure(MAIN_TID, result)
            else:
                self.control.finish(Outcome(0))
        except (wasmtime.WasmtimeError, wasmtime.Trap) as exc:
            message = getattr(exc, "message", None) or str(exc)
            self.report_failure(MAIN_TID, CallFailure(str(message), (), None))
        except Exception as exc:  # a host bug must end the run, never leave it hanging
            self._host_failed(f"the main thread ({entry})", exc)
        finally:
            self.control.ended(MAIN_TID)
