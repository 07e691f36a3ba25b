"""The embedding API's reactor: exports called from several Python threads run in parallel."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import wasmtime
from host_wat import REACTOR_THREAD_ABI

from wasmpack_mt.host import GuestTrap, Program

# `rendezvous` returns 1 only if another call arrives while this one is still
# inside wasm (it waits up to 10 s for the second arrival), so two 1s prove overlap.
REACTOR = bytes(
    wasmtime.wat2wasm(f"""
(module
  (import "env" "memory" (memory 2 2 shared))
  {REACTOR_THREAD_ABI}
  (func (export "rendezvous") (result i32)
    (if (i32.ge_u (i32.atomic.rmw.add (i32.const 0) (i32.const 1)) (i32.const 1))
      (then (drop (memory.atomic.notify (i32.const 0) (i32.const -1))))
      (else (drop (memory.atomic.wait32 (i32.const 0) (i32.const 1) (i64.const 10000000000)))))
    (i32.ge_u (i32.atomic.load (i32.const 0)) (i32.const 2)))
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  (func (export "crash") unreachable))
""")
)


def test_two_threads_are_inside_wasm_at_once_and_compute_fib() -> None:
    program = Program.load(REACTOR)

    def work(n: int) -> tuple[object, object]:
        return reactor.call("rendezvous"), reactor.call("fib", n)

    with program.reactor(stack_size=4096) as reactor, ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(work, [4, 5])
    assert first == (1, 3)
    assert second == (1, 5)


def test_a_trap_in_an_export_raises_guest_trap_in_the_caller_only() -> None:
    with Program.load(REACTOR).reactor(stack_size=4096) as reactor:
        with pytest.raises(GuestTrap, match="crash trapped"):
            reactor.call("crash")
        results: list[object] = []
        thread = threading.Thread(target=lambda: results.append(reactor.call("fib", 10)))
        thread.start()
        thread.join(30)
        assert results == [55]


SPINNER = bytes(
    wasmtime.wat2wasm("""
(module
  (import "env" "memory" (memory 1 1 shared))
  ;; flag "inside" at 4, then spin until the host stores a non-zero flag at 0
  (func (export "spin_until_flag") (result i32)
    (local $rounds i32)
    (i32.atomic.store (i32.const 4) (i32.const 1))
    (block $done (loop $spin
      (local.set $rounds (i32.add (local.get $rounds) (i32.const 1)))
      (br_if $done (i32.atomic.load (i32.const 0)))
      (br $spin)))
    (local.get $rounds)))
""")
)
EXITS_AT_ONCE = bytes(
    wasmtime.wat2wasm("""
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (call $exit (i32.const 4))))
""")
)


def test_runs_ending_elsewhere_do_not_stop_a_running_call() -> None:
    other = Program.load(EXITS_AT_ONCE)
    with Program.load(SPINNER).reactor() as reactor, ThreadPoolExecutor(max_workers=1) as pool:
        spinning = pool.submit(reactor.call, "spin_until_flag")
        deadline = time.monotonic() + 60
        while not reactor.memory.u32(4) and time.monotonic() < deadline:
            time.sleep(0.001)
        assert reactor.memory.u32(4) == 1, "the spinning call never started"
        ended = [other.run().exit_code for _ in range(5)]  # each end interrupts the engine
        reactor.memory.set_u32(0, 1)
        rounds = spinning.result(timeout=60)
    assert ended == [4] * 5
    assert isinstance(rounds, int)
    assert rounds > 0


_DANGLING_VIEW = """
import gc, threading, wasmtime
from wasmpack_mt.host import Program
wat = '(module (import "env" "memory" (memory 1600 1600 shared)) (func (export "f")))'
reactor = Program.load(bytes(wasmtime.wat2wasm(wat)), use_cache=False).reactor()
reactor.call("f")
view = reactor.memory.view(0, 100 * 2**20)
reactor.close()
del reactor
for thread in threading.enumerate():
    if thread.name == "wasmpack-stopper":
        thread.join()
gc.collect()
view[:] = b"\\1" * len(view)
print(view[12345])
"""


def test_a_memory_view_keeps_the_memory_alive_after_the_reactor_is_gone() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _DANGLING_VIEW], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout.strip()) == (0, "1"), done.stderr[-500:]


OWN_MEMORY_REACTOR = bytes(
    wasmtime.wat2wasm("""
(module
  (memory (export "memory") 1)
  (func (export "_initialize") (i32.store (i32.const 0) (i32.const 42)))
  (func (export "get") (result i32) (i32.load (i32.const 0)))
  (func (export "crash") unreachable))
""")
)


def test_after_a_trap_a_reactor_with_its_own_memory_is_initialised_again() -> None:
    with Program.load(OWN_MEMORY_REACTOR).reactor() as reactor:
        assert reactor.call("get") == 42
        with pytest.raises(GuestTrap):
            reactor.call("crash")
        assert reactor.call("get") == 42
