"""Reactor calls from several threads: own stack and TLS per thread, or take turns without them."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
import wasmtime
from host_wat import REACTOR_THREAD_ABI

from wasmpack_mt.errors import HostError, UsageError
from wasmpack_mt.host import Program, Reactor
from wasmpack_mt.log import logger

STACK = 4096
JOIN_SECONDS = 60

# `meet` returns 1 only if the other caller arrives while this one is inside (it
# waits up to 10 s), so two 1s prove overlap. `_initialize` counts its runs at 16.
MEET = """
  (func (export "meet") (result i32)
    (if (i32.ge_u (i32.atomic.rmw.add (i32.const 0) (i32.const 1)) (i32.const 1))
      (then (drop (memory.atomic.notify (i32.const 0) (i32.const -1))))
      (else (drop (memory.atomic.wait32 (i32.const 0) (i32.const 1) (i64.const 10000000000)))))
    (i32.ge_u (i32.atomic.load (i32.const 0)) (i32.const 2)))
  (func (export "_initialize") (drop (i32.atomic.rmw.add (i32.const 16) (i32.const 1))))
"""
WITH_ABI = bytes(
    wasmtime.wat2wasm(
        f'(module (import "env" "memory" (memory 2 2 shared)) {REACTOR_THREAD_ABI} {MEET})'
    )
)
# A shadow stack the host cannot see: a mutable global that every instance starts
# at 1024. `wait_for_flag` marks itself inside (at 4), then waits up to 2 s for
# the flag at 32: it returns 1 if another call set the flag meanwhile.
WITHOUT_ABI = bytes(
    wasmtime.wat2wasm("""
(module
  (import "env" "memory" (memory 1 1 shared))
  (global $sp (mut i32) (i32.const 1024))
  (func (export "wait_for_flag") (result i32)
    (i32.atomic.store (i32.const 4) (i32.const 1))
    (drop (memory.atomic.wait32 (i32.const 32) (i32.const 0) (i64.const 2000000000)))
    (i32.atomic.load (i32.const 32)))
  (func (export "set_flag")
    (i32.atomic.store (i32.const 32) (i32.const 1))
    (drop (memory.atomic.notify (i32.const 32) (i32.const -1))))
  (func (export "keep") (param $value i32) (result i32)
    (global.set $sp (i32.sub (global.get $sp) (i32.const 16)))
    (i32.store (global.get $sp) (local.get $value))
    (i32.load (global.get $sp))
    (global.set $sp (i32.add (global.get $sp) (i32.const 16)))))
""")
)


def in_thread(work: Callable[[], object]) -> object:
    """Run `work` in a new thread (which then ends) and return its result."""
    results: list[object] = []
    thread = threading.Thread(target=lambda: results.append(work()))
    thread.start()
    thread.join(JOIN_SECONDS)
    assert results, "the call did not return"
    return results[0]


def where(reactor: Reactor) -> tuple[int, int, int]:
    """Meet the other caller, then report this thread's stack pointer and TLS base."""
    found = reactor.call("meet"), reactor.call("stack_pointer"), reactor.call("tls_base")
    met, top, block = (value if isinstance(value, int) else -1 for value in found)
    return met, top, block


def test_callers_inside_at_once_run_on_their_own_stack_and_tls_block() -> None:
    with Program.load(WITH_ABI).reactor(stack_size=STACK) as reactor:
        assert reactor.parallel
        results: list[tuple[int, int, int]] = []
        threads = [threading.Thread(target=lambda: results.append(where(reactor))) for _ in "ab"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(JOIN_SECONDS)
        initialized = reactor.memory.u32(16)
    assert [met for met, _, _ in results] == [1, 1]
    tops = sorted(top for _, top, _ in results)
    blocks = [block for _, _, block in results]
    assert all(top % 16 == 0 for top in tops)
    assert tops[1] - tops[0] >= STACK, "the two stacks overlap"
    assert 4096 not in tops, "a call ran on the module's initial stack"
    assert all(block % 32 == 0 for block in blocks)
    assert len(set(blocks)) == 2
    assert initialized == 1


def test_a_thread_that_ended_leaves_its_blocks_to_the_next_thread() -> None:
    with Program.load(WITH_ABI).reactor(stack_size=STACK) as reactor:
        first = in_thread(lambda: reactor.call("stack_pointer"))
        heap_used = reactor.memory.u32(8)
        second = in_thread(lambda: reactor.call("stack_pointer"))
        assert reactor.memory.u32(8) == heap_used, "the second thread allocated new blocks"
    assert first == second


def test_without_the_abi_calls_take_turns_and_say_how_to_fix_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    logger.addHandler(caplog.handler)  # the CLI's log setup stops propagation to the root
    try:
        reactor = Program.load(WITHOUT_ABI).reactor()
    finally:
        logger.removeHandler(caplog.handler)
    assert 'entry = "reactor"' in caplog.text
    assert "__stack_pointer" in caplog.text
    with reactor:
        assert not reactor.parallel
        waiting: list[object] = []
        waiter = threading.Thread(target=lambda: waiting.append(reactor.call("wait_for_flag")))
        waiter.start()
        while not reactor.memory.u32(4) and waiter.is_alive():
            waiter.join(0.001)
        setter = threading.Thread(target=lambda: reactor.call("set_flag"))
        setter.start()  # blocks until wait_for_flag has returned
        waiter.join(JOIN_SECONDS)
        setter.join(JOIN_SECONDS)
        kept = [in_thread(lambda: reactor.call("keep", 5))]
        kept.append(in_thread(lambda: reactor.call("keep", 6)))
    assert waiting == [0], "set_flag ran while wait_for_flag was still inside"
    assert reactor.memory.u32(32) == 1
    assert kept == [5, 6]


def test_a_stack_size_below_the_minimum_is_refused() -> None:
    with pytest.raises(UsageError, match="stack_size 100 is too small"):
        Program.load(WITH_ABI).reactor(stack_size=100)


def test_a_stack_that_does_not_fit_in_memory_is_a_clear_error() -> None:
    no_room = REACTOR_THREAD_ABI.replace(
        "(i32.add (i32.const 4096) (i32.atomic.rmw.add (i32.const 8) (local.get $size)))",
        "(i32.const 0)",
    )
    wasm = bytes(
        wasmtime.wat2wasm(f'(module (import "env" "memory" (memory 1 1 shared)) {no_room})')
    )
    with (
        Program.load(wasm).reactor() as reactor,
        pytest.raises(HostError, match=r"cannot allocate .* smaller stack_size"),
    ):
        reactor.call("stack_pointer")
