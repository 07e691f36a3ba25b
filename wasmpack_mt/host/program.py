"""The embedding API: load a module once, run it, or call its exports from many threads.

Thread safety: a `Program` is immutable after `load` and may be shared by any
number of Python threads; each `run` is independent (its own memory, fd table
and threads). A `Reactor` may be called from many Python threads at once: each
calling thread gets its own instance over the reactor's one shared memory and,
when the module exports the per-thread instance ABI, its own shadow stack and
TLS block, so calls run in parallel (see `wasmpack_mt.host.reactor`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import wasmtime

from wasmpack_mt.bundle.manifest import thread_hint
from wasmpack_mt.errors import HostError, UsageError
from wasmpack_mt.host.cpus import with_cpus
from wasmpack_mt.host.engine import compile_module
from wasmpack_mt.host.reactor import DEFAULT_STACK_SIZE, Reactor
from wasmpack_mt.host.session import ModuleShape, Session
from wasmpack_mt.host.threads import EXIT_INTERRUPTED, EXIT_TIMEOUT, MAIN_TID, Outcome
from wasmpack_mt.host.wasi.context import Preopen, WasiContext, encode_environ

DEFAULT_MAX_THREADS = 1024
MAX_TIMEOUT = 365 * 24 * 3600
"""The longest timeout accepted, in seconds (one year): beyond it a number is a mistake."""


@dataclass(frozen=True)
class Limits:
    """Resource limits of one run: live spawned threads, memory bytes, wall seconds.

    `max_threads` None means the module's own hint (the `threads.max` of its
    wasmpack manifest), else `DEFAULT_MAX_THREADS`. Bad values raise `UsageError`.
    """

    max_threads: int | None = None
    max_memory: int | None = None
    timeout: float | None = None

    def __post_init__(self) -> None:
        if self.max_threads is not None and self.max_threads < 0:
            raise UsageError(f"max_threads {self.max_threads} is below 0; pass 0 or more")
        if self.timeout is not None and not 0 < self.timeout <= MAX_TIMEOUT:
            raise UsageError(
                f"timeout {self.timeout!r} is not a number of seconds above 0 and at most "
                f"{MAX_TIMEOUT} (a year); pass e.g. 30"
            )


@dataclass(frozen=True)
class RunResult:
    """How a run ended.

    `reason` is "exit", "trap", "timeout", "interrupted" or "host-error";
    `report` is the text for stderr (trap message, thread id, backtrace).
    `threads_left_running` is true when some thread did not leave wasm in time
    (stuck in a host call that cannot be interrupted).
    """

    exit_code: int
    reason: str
    report: str
    trap_tid: int | None = None
    threads_left_running: bool = False


@dataclass(frozen=True)
class Program:
    """A compiled module, ready to run any number of times (thread-safe)."""

    module: wasmtime.Module
    shape: ModuleShape
    was_cached: bool = False
    suggested_max_threads: int | None = None
    """The manifest's thread limit, the default of `Limits.max_threads` (None: no hint)."""
    interruptible: bool = True
    """Whether a run can stop its computing threads (see `load`)."""

    @classmethod
    def load(
        cls,
        source: str | os.PathLike[str] | bytes | bytearray,
        *,
        use_cache: bool = True,
        interruptible: bool = True,
    ) -> Program:
        """Compile a module from a path or its bytes (compiled code is cached on disk).

        `interruptible=False` compiles without epoch checks, so wasm computes
        about 1.1-1.5x faster, but nothing can stop a thread that computes: when
        the run ends, `run()` returns at once and such threads go on
        (`threads_left_running`) until the process exits, so end the process
        then (`wasmpack run` does). Reactors need an interruptible program.
        """
        if isinstance(source, bytes | bytearray):
            wasm = bytes(source)
        else:
            try:
                wasm = Path(source).read_bytes()
            except OSError as exc:
                raise UsageError(f"cannot read {source}: {exc.strerror}; check the path") from None
        if not wasm.startswith(b"\0asm"):
            raise HostError(
                f"{'the input' if isinstance(source, bytes | bytearray) else source} is not a "
                "WebAssembly binary (no \\0asm header); pass a .wasm file"
            )
        module, cached = compile_module(wasm, use_cache=use_cache, interruptible=interruptible)
        return cls(module, ModuleShape.of(module), cached, thread_hint(wasm), interruptible)

    def thread_limit(self, limits: Limits) -> int:
        """The thread limit of a run: `limits`, else the module's hint, else the default."""
        if limits.max_threads is not None:
            return limits.max_threads
        return self.suggested_max_threads or DEFAULT_MAX_THREADS

    def _session(
        self,
        argv: Sequence[str],
        env: Mapping[str, str],
        dirs: Sequence[Preopen | str],
        stdio: tuple[BinaryIO | None, BinaryIO | None, BinaryIO | None],
        limits: Limits,
    ) -> Session:
        preopens = [d if isinstance(d, Preopen) else Preopen.parse(d) for d in dirs]
        max_threads = self.thread_limit(limits)
        if self.shape.memory_import is not None:  # threaded: tell it the cores it may use
            env = with_cpus(env, max_threads)
        fds = WasiContext.open_fds(preopens, *stdio)
        try:
            return Session(
                self.module,
                self.shape,
                args=[arg.encode() for arg in argv],
                environ=encode_environ(env),
                fds=fds,
                max_threads=max_threads,
                max_memory=limits.max_memory,
                interruptible=self.interruptible,
            )
        except BaseException:
            fds.close_all()
            raise

    def run(
        self,
        argv: Sequence[str] = ("main.wasm",),
        *,
        env: Mapping[str, str] | None = None,
        dirs: Sequence[Preopen | str] = (),
        stdin: BinaryIO | None = None,
        stdout: BinaryIO | None = None,
        stderr: BinaryIO | None = None,
        limits: Limits | None = None,
    ) -> RunResult:
        """Run `_start` and return once the run has ended (see the module docstring).

        `argv[0]` is the program name the guest sees. Streams default to the
        process's fds 0-2; pass binary file objects to capture output. A threaded
        guest's environment gets WASMPACK_CPUS (the cores, at most the thread
        limit) unless `env` sets it; other modules get `env` as given.
        """
        if "_start" not in self.shape.exports:
            raise HostError(
                "the module has no _start export (a reactor?); call its exports with "
                "Program.reactor() instead of running it"
            )
        limits = limits or Limits()
        session = self._session(argv, env or {}, dirs, (stdin, stdout, stderr), limits)
        control = session.control
        main = threading.Thread(target=session.run_main, name="wasm-main", daemon=True)
        control.started(MAIN_TID)
        main.start()
        ending = Outcome(0)  # only used when the run did not end by itself
        try:
            if not control.stopping.wait(limits.timeout):
                message = f"the run exceeded --timeout {limits.timeout} s"
                ending = Outcome(EXIT_TIMEOUT, "timeout", message)
        except KeyboardInterrupt:
            ending = Outcome(EXIT_INTERRUPTED, "interrupted", "interrupted")
        all_ended = session.end(ending)
        outcome = control.outcome or ending
        return RunResult(
            outcome.exit_code,
            outcome.reason,
            outcome.report(),
            outcome.tid if outcome.reason == "trap" else None,
            not all_ended,
        )

    def reactor(
        self,
        *,
        env: Mapping[str, str] | None = None,
        dirs: Sequence[Preopen | str] = (),
        stdout: BinaryIO | None = None,
        stderr: BinaryIO | None = None,
        limits: Limits | None = None,
        stack_size: int = DEFAULT_STACK_SIZE,
    ) -> Reactor:
        """An instance family for calling exports from many threads (use as a context manager).

        `stack_size`: bytes of shadow stack each calling thread gets (see `Reactor`).
        """
        if not self.interruptible:
            raise UsageError(
                "a reactor must be able to stop its threads; load the program with "
                "Program.load(..., interruptible=True)"
            )
        limits = limits or Limits()
        session = self._session(["reactor"], env or {}, dirs, (None, stdout, stderr), limits)
        return Reactor(session, stack_size)
