"""wasi-threads semantics: spawn, ending a run from any thread in any state, limits, traps."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator

import pytest
from host_wat import (
    EXIT_42,
    IMPORTS,
    READ_STDIN,
    SLEEP,
    SPIN,
    TRAP,
    WAIT,
    behaviour_module,
    module,
)

from wasmpack_mt.host import Limits, Program, RunResult

Runner = Callable[..., RunResult]
BLOCKING = {"busy": SPIN, "atomic-wait": WAIT, "poll-sleep": SLEEP, "stdin-read": READ_STDIN}


@pytest.fixture
def silent_stdin() -> Iterator[io.BufferedReader]:
    """A pipe that never delivers data (its write end stays open)."""
    read_fd, write_fd = os.pipe()
    with os.fdopen(read_fd, "rb") as reader:
        yield reader
    os.close(write_fd)


def test_spawn_passes_tid_and_start_arg(bounded: Runner) -> None:
    wasm = module("""
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (i32.store (i32.const 200) (local.get $tid))
    (i32.store (i32.const 204) (local.get $arg))
    (call $set_flag (i32.const 300)))
  (func (export "_start")
    (i32.store (i32.const 400) (call $spawn (i32.const 77)))
    (call $await_flag (i32.const 300))
    ;; exit code: 1 if spawn returned the tid the thread saw and it is positive, then arg
    (call $exit (i32.add
      (i32.mul (i32.const 1000) (i32.and
        (i32.eq (i32.load (i32.const 400)) (i32.load (i32.const 200)))
        (i32.gt_s (i32.load (i32.const 200)) (i32.const 0))))
      (i32.load (i32.const 204)))))
""")
    result = bounded(Program.load(wasm))
    assert result.exit_code == 1077


@pytest.mark.parametrize("state", BLOCKING)
def test_main_exit_ends_a_blocked_worker(
    state: str, bounded: Runner, silent_stdin: io.BufferedReader
) -> None:
    wasm = behaviour_module(
        f"(call $behave (i32.const {BLOCKING[state]}))", "(call $exit (i32.const 3))"
    )
    result = bounded(Program.load(wasm), stdin=silent_stdin)
    assert (result.exit_code, result.reason) == (3, "exit")
    assert not result.threads_left_running


@pytest.mark.parametrize("state", BLOCKING)
def test_worker_exit_ends_a_blocked_main(
    state: str, bounded: Runner, silent_stdin: io.BufferedReader
) -> None:
    wasm = behaviour_module(
        f"(call $await_flag (i32.const 304)) (call $behave (i32.const {EXIT_42}))",
        f"(call $set_flag (i32.const 304)) (call $behave (i32.const {BLOCKING[state]}))",
    )
    result = bounded(Program.load(wasm), stdin=silent_stdin)
    assert (result.exit_code, result.reason) == (42, "exit")
    assert not result.threads_left_running


def test_start_returning_ends_the_run_while_a_worker_spins(bounded: Runner) -> None:
    wasm = behaviour_module(f"(call $behave (i32.const {SPIN}))", "")
    result = bounded(Program.load(wasm))
    assert (result.exit_code, result.reason) == (0, "exit")
    assert not result.threads_left_running


def test_trap_in_worker_reports_134_with_its_tid(bounded: Runner) -> None:
    wasm = behaviour_module(
        f"(call $behave (i32.const {TRAP}))", f"(call $behave (i32.const {WAIT}))"
    )
    result = bounded(Program.load(wasm))
    assert (result.exit_code, result.reason, result.trap_tid) == (134, "trap", 1)
    assert "thread 1" in result.report
    assert "unreachable" in result.report


def test_thread_limit_gives_a_negative_tid(bounded: Runner) -> None:
    wasm = module(f"""
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (call $behave (i32.const {WAIT})))
  (func (export "_start")
    (drop (call $spawn (i32.const 0)))
    (drop (call $spawn (i32.const 0)))
    ;; exit 9 when the third spawn is refused with a negative tid
    (call $exit (select (i32.const 9) (i32.const 1)
      (i32.lt_s (call $spawn (i32.const 0)) (i32.const 0)))))
""")
    result = bounded(Program.load(wasm), limits=Limits(max_threads=2))
    assert result.exit_code == 9


def test_timeout_ends_a_spinning_run(bounded: Runner) -> None:
    wasm = behaviour_module(f"(call $behave (i32.const {SPIN}))", "(loop $l (br $l))")
    result = bounded(Program.load(wasm), limits=Limits(timeout=0.3))
    assert (result.exit_code, result.reason) == (124, "timeout")
    assert not result.threads_left_running


def test_sixty_four_threads_compute_the_right_sum(bounded: Runner) -> None:
    wasm = module("""
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (drop (i32.atomic.rmw.add (i32.const 500) (local.get $arg)))
    (drop (i64.atomic.rmw.or (i32.const 512)
      (i64.shl (i64.const 1) (i64.extend_i32_u (i32.sub (local.get $tid) (i32.const 1))))))
    (drop (i32.atomic.rmw.add (i32.const 504) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 504) (i32.const -1))))
  (func (export "_start")
    (local $i i32) (local $seen i32)
    (loop $spawn_all
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (if (i32.le_s (call $spawn (local.get $i)) (i32.const 0)) (then (call $exit (i32.const 99))))
      (br_if $spawn_all (i32.lt_u (local.get $i) (i32.const 64))))
    (block $done (loop $wait
      (local.set $seen (i32.atomic.load (i32.const 504)))
      (br_if $done (i32.eq (local.get $seen) (i32.const 64)))
      (drop (memory.atomic.wait32 (i32.const 504) (local.get $seen) (i64.const 100000000)))
      (br $wait)))
    ;; the sum 1..64 = 2080 when all 64 tids were distinct (1..64), else 1
    (call $exit (select (i32.load (i32.const 500)) (i32.const 1)
      (i64.eq (i64.atomic.load (i32.const 512)) (i64.const -1)))))
""")
    result = bounded(Program.load(wasm))
    assert result.exit_code == 2080


def test_a_waiter_at_the_top_of_a_large_memory_is_woken_before_the_run_returns(
    bounded: Runner,
) -> None:
    top = 512 * 2**20 - 1024  # the sweep of a 512 MiB memory takes longer than the grace
    imports = IMPORTS.replace("(memory 1 100 shared)", "(memory 8192 8192 shared)")
    wasm = module(
        f"""
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (call $set_flag (i32.const 300))
    (loop $l
      (drop (memory.atomic.wait32 (i32.const {top}) (i32.const 0) (i64.const -1)))
      (br $l)))
  (func (export "_start")
    (drop (call $spawn (i32.const 0)))
    (call $await_flag (i32.const 300))
    (call $exit (i32.const 42)))
""",
        imports,
    )
    result = bounded(Program.load(wasm))
    assert (result.exit_code, result.threads_left_running) == (42, False)
