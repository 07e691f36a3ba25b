"""wasi.thread-spawn latency on the host, medians of SAMPLES (not a test).

Three numbers through reactor exports: `spawn` (until thread-spawn returns a
tid), `create+join` (until the new thread has run `wasi_thread_start` and
signalled back through shared memory, as pthread_create + pthread_join of an
empty thread do), each minus the cost of calling an empty export, which is
the third number (`call`). Usage: python bench/host_spawn_latency.py
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
  (func (export "nothing") (result i32) (i32.const 1))
  (func (export "spawn") (result i32) (call $spawn (i32.const 0)))
  (func (export "create_join") (result i32)
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


def median_microseconds(reactor: Reactor, export: str, samples: int = SAMPLES) -> float:
    """Median wall time of one call to `export`, in microseconds."""
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        tid = reactor.call(export)
        times.append(time.perf_counter() - started)
        if not isinstance(tid, int) or tid <= 0:
            raise RuntimeError(f"{export} failed: {tid}")
        time.sleep(0.0005)  # let the finished thread leave the thread table
    return statistics.median(times) * 1e6


def measure(samples: int = SAMPLES) -> dict[str, float]:
    """Median us: `call` (an empty export), `spawn` and `create_join` (both net of `call`)."""
    program = Program.load(wasmtime.wat2wasm(WAT), use_cache=False)
    with program.reactor() as reactor:
        reactor.call("create_join")  # warm up
        call = median_microseconds(reactor, "nothing", samples)
        spawn = median_microseconds(reactor, "spawn", samples)
        create_join = median_microseconds(reactor, "create_join", samples)
    return {"call": call, "spawn": spawn - call, "create_join": create_join - call}


def main() -> None:
    result = measure()
    print(f"empty export call:             median {result['call']:.0f} us (n={SAMPLES})")
    print(f"thread-spawn:                  median {result['spawn']:.0f} us (net of the call)")
    print(f"create+join of an empty thread: median {result['create_join']:.0f} us (net)")


if __name__ == "__main__":
    main()
