"""wasi.thread-spawn latency on the host, median of 200 (not a test).

Two numbers through a reactor export: `spawn` (until thread-spawn returns a
tid) and `spawn+start` (until the new thread has run `wasi_thread_start` and
signalled back through shared memory).
"""

from __future__ import annotations

import statistics
import time

import wasmtime

from wasmpack_mt.host import Program, Reactor

SAMPLES = 200
WAT = """
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
    (i32.atomic.store (i32.const 0) (local.get $tid))
    (drop (memory.atomic.notify (i32.const 0) (i32.const -1))))
  (func (export "spawn") (result i32) (call $spawn (i32.const 0)))
  (func (export "spawn_and_wait") (result i32)
    (local $tid i32)
    (i32.atomic.store (i32.const 0) (i32.const 0))
    (local.set $tid (call $spawn (i32.const 0)))
    (if (i32.lt_s (local.get $tid) (i32.const 0)) (then (return (local.get $tid))))
    (block $started (loop $wait
      (br_if $started (i32.eq (i32.atomic.load (i32.const 0)) (local.get $tid)))
      (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const 1000000)))
      (br $wait)))
    (local.get $tid)))
"""


def median_microseconds(reactor: Reactor, export: str) -> float:
    """Median wall time of one call to `export`, in microseconds."""
    samples = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        tid = reactor.call(export)
        samples.append(time.perf_counter() - started)
        if not isinstance(tid, int) or tid <= 0:
            raise SystemExit(f"{export} failed: {tid}")
        time.sleep(0.0005)  # let the finished thread leave the thread table
    return statistics.median(samples) * 1e6


def main() -> None:
    program = Program.load(wasmtime.wat2wasm(WAT), use_cache=False)
    with program.reactor() as reactor:
        reactor.call("spawn")  # warm up
        spawn = median_microseconds(reactor, "spawn")
        spawn_and_start = median_microseconds(reactor, "spawn_and_wait")
    print(f"thread-spawn: median {spawn:.0f} us (n={SAMPLES})")
    print(f"thread-spawn until the thread runs: median {spawn_and_start:.0f} us (n={SAMPLES})")


if __name__ == "__main__":
    main()
