"""The embedding API's reactor: exports called from several Python threads run in parallel."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import wasmtime

from wasmpack_mt.host import GuestTrap, Program

# `rendezvous` returns 1 only if another call arrives while this one is still
# inside wasm (it waits up to 10 s for the second arrival), so two 1s prove overlap.
REACTOR = bytes(
    wasmtime.wat2wasm("""
(module
  (import "env" "memory" (memory 1 1 shared))
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

    with program.reactor() as reactor, ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(work, [4, 5])
    assert first == (1, 3)
    assert second == (1, 5)


def test_a_trap_in_an_export_raises_guest_trap_in_the_caller_only() -> None:
    with Program.load(REACTOR).reactor() as reactor:
        with pytest.raises(GuestTrap, match="crash trapped"):
            reactor.call("crash")
        results: list[object] = []
        thread = threading.Thread(target=lambda: results.append(reactor.call("fib", 10)))
        thread.start()
        thread.join(30)
        assert results == [55]
