"""One run's threads: tids, the thread limit, and ending the run.

A run ends once: `_start` returns, a thread calls `proc_exit`, a thread traps,
the timeout expires, or the embedder stops it. `RunControl.finish` records the
first outcome and, when the run's engine can interrupt wasm, starts the
stopper, which makes every other thread leave wasm: computing threads trap at
their next epoch check (`native.StopCheck`), threads still in wasm after that
(in `memory.atomic.wait`) are woken by the `WakeSweeper`, and host calls that
block (sleep, stdin) wait on `stopping` in short slices. Without interruption
a thread that computes goes on until the process exits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from wasmpack_mt.abi import MAX_THREAD_ID
from wasmpack_mt.host.memory import WakeSweeper

MAIN_TID = 0
EXIT_TRAP = 134
EXIT_TIMEOUT = 124
EXIT_INTERRUPTED = 130
END_GRACE_SECONDS = 0.5
"""How long an ending run waits for its threads to leave wasm, once every thread
was interrupted (a large memory takes longer to sweep; see `RunControl.wait_threads`)."""
_STOP_SLICE = 0.005
STOP_PATIENCE = 10.0  # a thread stuck this long in a host call is left behind


@dataclass(frozen=True)
class Outcome:
    """How a run ended: the exit code and, for a trap or timeout, a report."""

    exit_code: int
    reason: str = "exit"  # "exit", "trap", "timeout", "interrupted", "host-error"
    message: str = ""
    tid: int = 0
    backtrace: tuple[str, ...] = ()

    def report(self) -> str:
        """The lines to show on stderr ('' for a normal exit)."""
        if self.reason == "trap":
            who = "the main thread" if self.tid == MAIN_TID else f"thread {self.tid}"
            lines = [f"error: wasm trap in {who}: {self.message}"]
            if self.backtrace:
                lines.append("wasm backtrace:")
            lines += [f"    {index}: {frame}" for index, frame in enumerate(self.backtrace)]
            return "\n".join(lines)
        return f"error: {self.message}" if self.message else ""


@dataclass
class RunControl:
    """Thread bookkeeping and the single end of one run (thread-safe)."""

    max_threads: int
    sweeper_factory: Callable[[], WakeSweeper | None] = lambda: None
    interrupt: Callable[[], None] | None = None
    """Ticks the epoch (computing threads check whether to stop); None if wasm cannot
    be interrupted."""
    stopping: threading.Event = field(default_factory=threading.Event)
    outcome: Outcome | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _next_tid: int = 1
    _live: set[int] = field(default_factory=set)
    _all_ended: threading.Condition = field(init=False)
    _first_round_done: threading.Event = field(default_factory=threading.Event)
    _current: threading.local = field(default_factory=threading.local)
    _finisher: int | None = None
    """The wasm thread that ended the run (it is leaving wasm), if one did."""

    def __post_init__(self) -> None:
        self._all_ended = threading.Condition(self._lock)

    def reserve_tid(self) -> int | None:
        """A fresh tid, or None when the run is ending, at its thread limit or out of tids."""
        with self._lock:
            spawned = len(self._live) - (MAIN_TID in self._live)
            if self.stopping.is_set() or spawned >= self.max_threads:
                return None
            if self._next_tid > MAX_THREAD_ID:
                return None
            tid = self._next_tid
            self._next_tid += 1
            self._live.add(tid)
            return tid

    def unused_tid(self) -> int | None:
        """A fresh tid that no spawned thread will get (not counted as a live thread).

        A reactor's calling thread runs wasm under it, so that libc locks keyed
        on the thread id (stdio, recursive mutexes) tell calling threads apart.
        None when the tids are used up.
        """
        with self._lock:
            if self._next_tid > MAX_THREAD_ID:
                return None
            tid = self._next_tid
            self._next_tid += 1
            return tid

    def entered(self, tid: int) -> None:
        """The calling OS thread runs wasm thread `tid` from now on (see `wait_threads`)."""
        self._current.tid = tid

    def started(self, tid: int) -> None:
        """Count `tid` as running (spawned tids count from `reserve_tid` on)."""
        with self._lock:
            self._live.add(tid)

    def ended(self, tid: int) -> None:
        """A thread (spawned, or MAIN_TID) left wasm for good (or never started)."""
        with self._lock:
            self._live.discard(tid)
            self._all_ended.notify_all()

    def finish(self, outcome: Outcome) -> None:
        """End the run with `outcome` unless it already ended."""
        with self._lock:
            if self.outcome is not None:
                return
            self.outcome = outcome
            self._finisher = getattr(self._current, "tid", None)
            self.stopping.set()
        if self.interrupt is None:
            self._first_round_done.set()
            return
        threading.Thread(target=self._stop_threads, name="wasmpack-stopper", daemon=True).start()

    def exit(self, code: int) -> None:
        """`proc_exit`: end the run with exit code `code` (see `RunHandle`)."""
        self.finish(Outcome(code))

    def _stop_threads(self) -> None:
        """Keep interrupting until every thread has left wasm (or STOP_PATIENCE passed).

        Each round ticks the epoch (computing threads trap) and, when a thread is
        still in wasm a moment later, sweeps the memory slice by slice (waiting
        threads wake), ticking again between slices. A thread still stuck in a
        host call afterwards leaves wasm when that call returns (see
        `preview1`), and traps at its next epoch check otherwise, since its
        deadline has long passed.
        """
        assert self.interrupt is not None
        interrupt = self.interrupt
        try:
            sweeper: WakeSweeper | None = None
            give_up = time.monotonic() + STOP_PATIENCE
            while time.monotonic() < give_up:
                interrupt()
                if self.wait_threads(_STOP_SLICE, after_first_round=False):
                    return
                if sweeper is None:
                    sweeper = self.sweeper_factory()
                for _ in sweeper.sweep_slices() if sweeper is not None else ():
                    interrupt()
                    if not self.has_live_threads():
                        return
                self._first_round_done.set()
        finally:
            self._first_round_done.set()

    def has_live_threads(self) -> bool:
        """Whether some thread is still in wasm."""
        with self._lock:
            return bool(self._live)

    def wait_threads(self, timeout: float, *, after_first_round: bool = True) -> bool:
        """Wait for every thread to end; True if all did.

        Once the run is ending, waits for the stopper's first round (every
        thread interrupted, however large the memory), then `timeout` s more.
        Without interruption, waits only for the thread that ended the run (it
        is leaving), then says whether any other is still in wasm.
        """
        if after_first_round and self.stopping.is_set():
            self._first_round_done.wait(STOP_PATIENCE)
        deadline = time.monotonic() + timeout
        with self._lock:
            if self.interrupt is None:
                while self._finisher in self._live and time.monotonic() < deadline:
                    self._all_ended.wait(deadline - time.monotonic())
                return not self._live
            while self._live:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._all_ended.wait(remaining)
            return True
