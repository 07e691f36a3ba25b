"""Speedup of a fib workload on the host at 1, 2 and 4 wasm threads (not a test).

The same total work (4 x fib(N), default N=36) is split over T spawned
threads; the script prints the wall time per T, the ratio to T=1, and how many
cores the process kept busy (CPU time / wall time), which shows parallelism
even when other work on the machine limits the speedup.
Usage: python bench/host_fib_speedup.py [N]
"""

from __future__ import annotations

import os
import sys
import time

import wasmtime

from wasmpack_mt.host import Program

TASKS = 4
WAT = """
(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func $fib (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
  ;; each thread runs `tasks_per_thread` fibs, adds the results, counts itself done
  (func (export "wasi_thread_start") (param $tid i32) (param $tasks i32)
    (local $i i32)
    (loop $next
      (drop (i32.atomic.rmw.add (i32.const 8) (call $fib (i32.const FIB_N))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (local.get $tasks))))
    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
    (drop (memory.atomic.notify (i32.const 0) (i32.const -1))))
  (func (export "_start")
    (local $t i32) (local $done i32)
    (loop $spawn_all
      (if (i32.lt_s (call $spawn (i32.const TASKS_PER_THREAD)) (i32.const 0))
        (then (call $exit (i32.const 99))))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br_if $spawn_all (i32.lt_u (local.get $t) (i32.const THREADS))))
    (block $all (loop $wait
      (local.set $done (i32.atomic.load (i32.const 0)))
      (br_if $all (i32.eq (local.get $done) (i32.const THREADS)))
      (drop (memory.atomic.wait32 (i32.const 0) (local.get $done) (i64.const -1)))
      (br $wait)))))
"""


def timed_run(threads: int, fib_n: int) -> tuple[float, float]:
    """Wall and CPU seconds of one run with `threads` workers sharing TASKS fibs."""
    text = (
        WAT.replace("FIB_N", str(fib_n))
        .replace("TASKS_PER_THREAD", str(TASKS // threads))
        .replace("THREADS", str(threads))
    )
    program = Program.load(wasmtime.wat2wasm(text), use_cache=False)
    started, cpu_started = time.perf_counter(), time.process_time()
    result = program.run()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    if result.exit_code != 0:
        raise SystemExit(f"run with {threads} threads failed: {result}")
    return elapsed, cpu


def main() -> None:
    fib_n = int(sys.argv[1]) if len(sys.argv) > 1 else 36
    timings = {threads: timed_run(threads, fib_n) for threads in (1, 2, 4)}
    for threads, (wall, cpu) in timings.items():
        print(
            f"threads={threads}  {wall:.3f} s  speedup x{timings[1][0] / wall:.2f}"
            f"  (cores busy: {cpu / wall:.2f}, machine load {os.getloadavg()[0]:.1f})"
        )


if __name__ == "__main__":
    main()
