"""One run of a module: its memory, linker, WASI state and threads.

A `Session` creates the shared memory once from the module's memory import,
defines WASI preview1 and `wasi.thread-spawn` (closures over this session) in
its own Linker, and pre-instantiates the module once; every thread, the main
one included, gets a new Store and instance over the same memory. It is also
where the engine meets WASI: it implements WASI's `RunHandle` (through
`RunControl`) and adapts each WASI function to the engine's raw calls.
"""

from __future__ import annotations

from dataclasses import dataclass

import wasmtime

from wasmpack_mt.abi import THREAD_SPAWN, THREAD_START, THREAD_START_SIGNATURE, THREADS_MODULE
from wasmpack_mt.errors import HostError
from wasmpack_mt.host import native
from wasmpack_mt.host.engine import engine
from wasmpack_mt.host.memory import WakeSweeper, create_shared_memory, guest_memory
from wasmpack_mt.host.native import CallFailure
from wasmpack_mt.host.pool import run_in_thread
from wasmpack_mt.host.threads import END_GRACE_SECONDS, EXIT_TRAP, MAIN_TID, Outcome, RunControl
from wasmpack_mt.host.wasi.context import WasiContext
from wasmpack_mt.host.wasi.errno import AGAIN
from wasmpack_mt.host.wasi.fdtable import FdTable
from wasmpack_mt.host.wasi.memory import GuestMemory
from wasmpack_mt.host.wasi.preview1 import Preview1, WasiFunction
from wasmpack_mt.wasm.host_rules import host_refusal
from wasmpack_mt.wasm.module import FuncType, Import, Limits
from wasmpack_mt.wasm.wasi_abi import SIGNATURES

_I32 = wasmtime.ValType.i32()
_I64 = wasmtime.ValType.i64()


@dataclass(frozen=True)
class ModuleShape:
    """What the host needs to know about a module's imports and exports."""

    memory_import: tuple[str, str, wasmtime.MemoryType] | None
    exports: frozenset[str]

    @classmethod
    def of(cls, module: wasmtime.Module) -> ModuleShape:
        """Inspect `module`; raise HostError when `wasm.host_rules` says no host can run it."""
        imports = [_describe_import(item) for item in module.imports]
        exports = frozenset(export.name for export in module.exports)
        refusal = host_refusal(imports, exports)
        if refusal is not None:
            raise HostError(refusal)
        _require_signature(module, "_start", [])
        if any((item.module, item.name) == (THREADS_MODULE, THREAD_SPAWN) for item in imports):
            _require_signature(module, "wasi_thread_start", [_I32, _I32])
        memory_import = next(
            (
                (item.module, item.name or "", item.type)
                for item in module.imports
                if isinstance(item.type, wasmtime.MemoryType)
            ),
            None,
        )
        return cls(memory_import, exports)


def _require_signature(module: wasmtime.Module, name: str, params: list[wasmtime.ValType]) -> None:
    """HostError when export `name` is not a function of type `params` -> ()."""
    for export in module.exports:
        kind = export.type
        if export.name != name:
            continue
        if not isinstance(kind, wasmtime.FuncType):
            what = type(kind).__name__.removesuffix("Type").lower()
            raise HostError(
                f"the module exports {name} as a {what}, but hosts call it as a function; "
                "let the wasm32-wasip1-threads libc define it"
            )
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


def _describe_import(item: wasmtime.ImportType) -> Import:
    """A wasmtime import as `wasm.check` sees imports."""
    kind = item.type
    name = item.name or ""
    if isinstance(kind, wasmtime.FuncType):
        signature = FuncType(tuple(map(str, kind.params)), tuple(map(str, kind.results)))
        return Import(item.module, name, "func", signature)
    if isinstance(kind, wasmtime.MemoryType):
        limits = Limits(kind.limits.min, kind.limits.max, kind.is_shared, kind.is_64)
        return Import(item.module, name, "memory", limits)
    if isinstance(kind, wasmtime.TableType):
        return Import(item.module, name, "table", str(kind))
    return Import(item.module, name, "global", str(kind))


def _preview1_type(name: str) -> wasmtime.FuncType:
    """The FuncType WASI preview1 defines for `name` (all i32 results are errnos)."""
    kinds = SIGNATURES.get(name, "")
    params = [_I32 if kind == "i" else _I64 for kind in kinds]
    return wasmtime.FuncType(params, [] if name == "proc_exit" else [_I32])


def _raw_call(
    function: WasiFunction, kinds: str, memory: GuestMemory, returns: bool
) -> native.HostImpl:
    """`function` as a raw host function: arguments from the raw slots, errno into slot 0."""
    read_args = native.raw_args_reader(kinds)
    movable = memory.movable

    def impl(caller: object, raw: native.RawArgs) -> None:
        if movable:
            memory.bind(*native.caller_memory_span(caller))
        result = function(*read_args(raw))
        if returns:
            raw[0].i32 = result

    return impl


class Session:
    """The state of one run, shared by its threads (thread-safe).

    With `interruptible`, the run's engine can stop computing threads (see
    `host.engine`); without, a thread computing when the run ends goes on until
    the process exits.
    """

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
        interruptible: bool = True,
    ) -> None:
        self.shape = shape
        self.engine = engine(interruptible)
        self._keepalive: list[object] = []
        shared = None
        if shape.memory_import is not None:
            try:
                shared = create_shared_memory(self.engine, shape.memory_import[2], max_memory)
            except ValueError as exc:
                raise HostError(f"{exc}; raise --max-memory") from None
        self.shared_memory = shared
        self.control = RunControl(
            max_threads,
            sweeper_factory=(lambda: WakeSweeper(self.engine, shared)) if shared else lambda: None,
            interrupt=self.engine.increment_epoch if interruptible else None,
        )
        self._stop_check = native.StopCheck(self.control.stopping.is_set) if interruptible else None
        self._spares: list[tuple[wasmtime.Store, wasmtime.Func]] = []
        """Thread instances (a Store and its `wasi_thread_start`) made ahead of
        `thread-spawn` by a thread that just ended, so that a spawn only hands one
        over; `list.pop`/`append` are atomic."""
        self.wasi = WasiContext(args, environ, fds, guest_memory(shared), self.control.stopping)
        linker = wasmtime.Linker(self.engine)
        if shared is not None and shape.memory_import is not None:
            module_name, name, _ = shape.memory_import
            store = wasmtime.Store(self.engine)
            native.define_shared_memory(linker, store, module_name, name, shared)
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
            name = item.name or ""
            if (item.module, name) == (THREADS_MODULE, THREAD_SPAWN):
                impl = self._thread_spawn_impl
                functype = wasmtime.FuncType([_I32], [_I32])
            else:
                functype = _preview1_type(name)
                found = preview1.function(name)
                if found is None:
                    raise HostError(
                        f"the module imports {item.module}.{item.name}, which is not part of "
                        "WASI preview1; rebuild it for wasm32-wasip1-threads"
                    )
                impl = _raw_call(found, SIGNATURES[name], self.wasi.memory, name != "proc_exit")
            native.define_host_func(
                linker, item.module, name, functype, impl,
                on_error=lambda where, exc: self._host_failed(f"host function {where}", exc),
                keepalive=self._keepalive,
            )  # fmt: skip

    def _host_failed(self, where: str, exc: BaseException) -> None:
        """A bug in the host (in `where`): end the run with a host error instead of a crash."""
        self.control.finish(
            Outcome(HostError.exit_code, "host-error", f"internal error in {where}: {exc!r}")
        )

    def new_instance(self) -> tuple[wasmtime.Store, wasmtime.Instance]:
        """A fresh Store and instance for one thread (raises wasmtime errors)."""
        store = wasmtime.Store(self.engine)
        if self._stop_check is not None:
            self._stop_check.install(store)
        return store, self.pre.instantiate(store)

    def _new_thread_instance(self) -> tuple[wasmtime.Store, wasmtime.Func]:
        """A fresh instance for one spawned thread: its Store and `wasi_thread_start`."""
        store, instance = self.new_instance()
        return store, native.export_func(store, instance, THREAD_START)

    def end(self, outcome: Outcome) -> bool:
        """End the run (with `outcome` unless it already ended), then close its files.

        Waits for the threads to leave wasm (see `RunControl.wait_threads`); the
        files stay open if one did not, and the result says whether all did.
        Without interruption nothing stops a computing thread, so it waits only
        for the thread that ended the run.
        """
        self.control.finish(outcome)
        all_ended = self.control.wait_threads(END_GRACE_SECONDS)
        if all_ended:
            self.wasi.fds.close_all()
        return all_ended

    # -- threads --
    def _thread_spawn_impl(self, _caller: object, raw: native.RawArgs) -> None:
        raw[0].i32 = self.spawn(raw[0].i32)

    def spawn(self, start_arg: int) -> int:
        """wasi.thread-spawn: start `wasi_thread_start(tid, start_arg)` on a new OS thread."""
        tid = self.control.reserve_tid()
        if tid is None:
            return -AGAIN
        try:
            try:
                store, entry = self._spares.pop()
            except IndexError:  # no spare (or another spawn took it): instantiate now
                store, entry = self._new_thread_instance()
            run_in_thread(lambda: self._thread_body(tid, start_arg, store, entry), "wasm-thread")
        except (wasmtime.WasmtimeError, wasmtime.Trap, RuntimeError):  # RuntimeError: no thread
            self.control.ended(tid)
            return -AGAIN
        except BaseException:  # a host bug: the caller ends the run, the tid is not left live
            self.control.ended(tid)
            raise
        return tid

    def _thread_body(
        self, tid: int, start_arg: int, store: wasmtime.Store, entry: wasmtime.Func
    ) -> None:
        self.control.entered(tid)
        try:
            result = native.call_func(store, entry, [tid, start_arg], THREAD_START_SIGNATURE)
            if isinstance(result, CallFailure):
                self.report_failure(tid, result)
        except Exception as exc:  # a host bug must end the run, never leave it hanging
            self._host_failed(f"thread {tid}", exc)
        finally:
            self.control.ended(tid)
        self._make_spare()

    def _make_spare(self) -> None:
        """Instantiate ahead for the next `thread-spawn` (one spare at a time)."""
        if self._spares or self.control.stopping.is_set():
            return
        try:
            self._spares.append(self._new_thread_instance())
        except (wasmtime.WasmtimeError, wasmtime.Trap):
            return  # the next spawn instantiates itself, and reports what fails

    def report_failure(self, tid: int, failure: CallFailure) -> None:
        """A thread left wasm abnormally: a trap ends the run, unless it was already ending."""
        if self.control.stopping.is_set():
            return
        self.control.finish(
            Outcome(EXIT_TRAP, "trap", failure.message.strip(), tid, failure.backtrace)
        )

    def run_main(self, entry: str = "_start") -> None:
        """The main thread: instantiate and call `entry`; its return ends the run with 0."""
        self.control.entered(MAIN_TID)
        try:
            store, instance = self.new_instance()
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
