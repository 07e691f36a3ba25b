"""A reactor: call a module's exports from many Python threads at once.

Each calling thread gets its own instance over the reactor's one shared memory.
Instances of one module start with the same `__stack_pointer` (and TLS base),
so two calls running at once would share one shadow stack and TLS block. A
module that exports the per-thread instance ABI (`abi.REACTOR_PARALLEL_EXPORTS`;
wasmpack's `entry = "reactor"` builds do) gets, for each calling
thread, a stack and a TLS block allocated with the module's own `malloc`, set up
before the thread's first call; its calls run in parallel. Any other module's
calls take turns on one instance (`Reactor.parallel` is False).

Blocks are never freed while the reactor lives: when a calling thread (or a
trapped instance) goes away, its blocks go back to a pool the next calling
thread reuses, so a thread pool that churns does not grow the heap.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import wasmtime

from wasmpack_mt.abi import (
    REACTOR_PARALLEL_EXPORTS,
    REACTOR_THREAD_INIT,
    WASI_MAIN_THREAD_ID,
    signed_i32,
)
from wasmpack_mt.errors import HostError, UsageError
from wasmpack_mt.host import native
from wasmpack_mt.host.native import CallFailure
from wasmpack_mt.host.session import Session
from wasmpack_mt.host.threads import Outcome
from wasmpack_mt.host.wasi.memory import GuestMemory
from wasmpack_mt.log import logger

DEFAULT_STACK_SIZE = 1 << 20
MIN_STACK_SIZE = 4096
STACK_ALIGN = 16

Value = int | float | list[int | float] | None


class GuestTrap(HostError):
    """A call into a reactor's export trapped."""


@dataclass(frozen=True)
class ThreadBlocks:
    """One calling thread's shadow stack (its top), TLS block and libc thread id."""

    stack_top: int
    tls: int
    tid: int


class CallInstance:
    """A store and instance over the shared memory, plus the blocks it runs on (if any)."""

    def __init__(self, session: Session) -> None:
        try:
            self.store, self.instance = session.new_instance()
        except (wasmtime.WasmtimeError, wasmtime.Trap) as exc:
            raise GuestTrap(f"cannot instantiate the module: {exc}") from None
        self.exports = self.instance.exports(self.store)
        self._signatures: dict[str, native.Signature] = {}

    def call(self, name: str, args: Sequence[int | float]) -> Value:
        """Call export `name`; GuestTrap when it traps."""
        func = self.exports.get(name)
        if not isinstance(func, wasmtime.Func):
            raise HostError(f"the module exports no function {name!r}; check the export name")
        signature = self._signatures.get(name)
        if signature is None:
            signature = self._signatures[name] = native.func_signature(self.store, func)
        result = native.call_func(self.store, func, args, signature)
        if isinstance(result, CallFailure):
            raise GuestTrap(
                f"{name} trapped: {result.message}", details="\n".join(result.backtrace)
            )
        if not result:
            return None
        return result[0] if len(result) == 1 else result

    def global_value(self, name: str) -> int:
        """The i32 value of exported global `name`."""
        found = self.exports.get(name)
        assert isinstance(found, wasmtime.Global)
        value = found.value(self.store)
        assert isinstance(value, int)
        return value & 0xFFFFFFFF

    def use_blocks(self, blocks: ThreadBlocks) -> None:
        """Point this instance at its own stack and TLS block (before its first call)."""
        stack_pointer = self.exports.get("__stack_pointer")
        assert isinstance(stack_pointer, wasmtime.Global)
        stack_pointer.set_value(self.store, wasmtime.Val.i32(signed_i32(blocks.stack_top)))
        self.call("__wasm_init_tls", [signed_i32(blocks.tls)])
        if REACTOR_THREAD_INIT in self.exports:
            self.call(REACTOR_THREAD_INIT, [blocks.tid])


def align_up(value: int, align: int) -> int:
    """`value` rounded up to a multiple of `align` (a power of two)."""
    return (value + align - 1) & -align


class Reactor:
    """Calls a module's exports; each calling thread has its own instance (thread-safe).

    All instances share one memory, one fd table and one thread table. If the
    module exports `_initialize`, it runs once, in an instance of its own. With
    the per-thread instance ABI (see the module docstring) every calling thread
    has its own stack of `stack_size` bytes and TLS, and calls run in parallel;
    otherwise (or without an imported shared memory) calls take turns on one
    instance and `parallel` is False.
    """

    def __init__(self, session: Session, stack_size: int = DEFAULT_STACK_SIZE) -> None:
        if stack_size < MIN_STACK_SIZE:
            raise UsageError(f"stack_size {stack_size} is too small; pass {MIN_STACK_SIZE} or more")
        self.session = session
        self.stack_size = stack_size
        exports = session.shape.exports
        shared = session.shared_memory is not None
        self.parallel = shared and all(name in exports for name in REACTOR_PARALLEL_EXPORTS)
        """Whether calls from different threads run at once (each on its own stack and TLS)."""
        self._local = threading.local()
        self._setup_lock = threading.Lock()  # the first instance, and allocating blocks
        self._turns = threading.Lock()  # calls when not parallel
        self._first: CallInstance | None = None
        self._free_blocks: list[ThreadBlocks] = []
        if shared and not self.parallel:
            missing = [name for name in REACTOR_PARALLEL_EXPORTS if name not in exports]
            logger.warning(
                "this reactor shares one stack between its instances (it does not export %s): "
                'its calls take turns; build it with entry = "reactor" in wasmpack.toml, or '
                "link with -Wl,--export=%s",
                ", ".join(missing),
                ",--export=".join(missing),
            )

    def __enter__(self) -> Reactor:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """End the reactor: stop its threads and close its files."""
        self.session.end(Outcome(0))

    def call(self, name: str, *args: int | float) -> Value:
        """Call export `name` with numeric args in this thread's instance; GuestTrap on a trap."""
        if self.session.control.stopping.is_set():
            raise HostError("the reactor has ended (closed, proc_exit or a trap); create a new one")
        if not self.parallel:
            with self._turns:
                return self._call_in_first(name, args)
        instance: CallInstance | None = getattr(self._local, "instance", None)
        if instance is None:
            instance = self._new_call_instance()
            self._local.instance = instance
        try:
            return instance.call(name, args)
        except GuestTrap:
            self._local.instance = None  # a trapped instance may be inconsistent: start afresh
            raise

    @property
    def memory(self) -> GuestMemory:
        """Bounds-checked access to the shared memory (`read`, `write`, `u32`, ...)."""
        if self.session.shared_memory is None:
            raise HostError("the module has no imported shared memory to access from Python")
        return self.session.wasi.memory

    def _call_in_first(self, name: str, args: Sequence[int | float]) -> Value:
        """Without per-thread blocks: every call runs in the first instance (under `_turns`)."""
        with self._setup_lock:
            first = self._first_instance()
        try:
            return first.call(name, args)
        except GuestTrap:
            # Start afresh. Over the shared memory the new instance keeps what
            # `_initialize` set up; a module's own memory is new and empty, so the
            # next call runs `_initialize` again (state from earlier calls is lost).
            if self.session.shared_memory is None:
                self._first = None
            else:
                self._first = CallInstance(self.session)
            raise

    def _first_instance(self) -> CallInstance:
        """The instance that ran `_initialize` (caller holds `_setup_lock`)."""
        if self._first is None:
            first = CallInstance(self.session)
            if "_initialize" in self.session.shape.exports:
                first.call("_initialize", ())
            self._first = first
        return self._first

    def _new_call_instance(self) -> CallInstance:
        """A new instance running on its own stack and TLS block, which return to the pool."""
        instance = CallInstance(self.session)
        with self._setup_lock:
            first = self._first_instance()
            try:
                blocks = self._free_blocks.pop()
            except IndexError:
                blocks = self._allocate_blocks(first, instance)
        weakref.finalize(instance, self._free_blocks.append, blocks)
        instance.use_blocks(blocks)
        return instance

    def _allocate_blocks(self, first: CallInstance, instance: CallInstance) -> ThreadBlocks:
        """Allocate a stack and TLS block with `malloc`, run in the first instance.

        The first instance runs on the module's initial stack, which no call uses
        once every calling thread has its own; `_setup_lock` keeps it to one user.
        """
        stack_size = align_up(self.stack_size, STACK_ALIGN)
        tls_align = max(instance.global_value("__tls_align"), 1)
        tls_size = align_up(instance.global_value("__tls_size"), tls_align)
        stack = self._malloc(first, stack_size + STACK_ALIGN, "stack")
        try:
            tls = self._malloc(first, tls_size + tls_align, "TLS block")
        except HostError:
            if "free" in first.exports:
                first.call("free", [signed_i32(stack)])
            raise
        top = (stack + STACK_ALIGN + stack_size) & -STACK_ALIGN
        tid = self.session.control.unused_tid() or WASI_MAIN_THREAD_ID
        return ThreadBlocks(stack_top=top, tls=align_up(tls, tls_align), tid=tid)

    def _malloc(self, first: CallInstance, size: int, what: str) -> int:
        address = first.call("malloc", [size])
        if not isinstance(address, int) or address == 0:
            raise HostError(
                f"the module's malloc cannot allocate a {size}-byte {what} for this calling "
                "thread; pass a smaller stack_size to reactor() or raise --max-memory"
            )
        return address & 0xFFFFFFFF
