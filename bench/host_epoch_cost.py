"""What epoch interruption costs guest compute, and what `wasmpack run` pays (not a test).

The same recursive fib module runs three ways, interleaved, medians of REPEATS:
`plain` on a bare wasmtime Engine without interruption (the reference),
`uninterruptible` through `Program.load(..., interruptible=False)` (what
`wasmpack run` uses) and `interruptible` through `Program.load(...)` (the
Python API, which can stop computing threads). Prints each time and its ratio
to `plain`. Usage: python bench/host_epoch_cost.py [N]
"""

from __future__ import annotations

import io
import statistics
import sys
import time

import wasmtime

from wasmpack_mt.host import Program

REPEATS = 5
DEFAULT_N = 32
FIB = """
  (func $fib (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
"""
HOSTED = f"""
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (import "env" "memory" (memory 1 1 shared))
  {FIB}
  (func (export "_start") (call $exit (i32.and (call $fib (i32.const FIB_N)) (i32.const 1)))))
"""
PLAIN = f'(module {FIB} (func (export "run") (result i32) (call $fib (i32.const FIB_N))))'


def plain_seconds(fib_n: int) -> float:
    """One call of fib(N) on an Engine without epoch interruption."""
    engine = wasmtime.Engine(wasmtime.Config())
    store = wasmtime.Store(engine)
    module = wasmtime.Module(engine, PLAIN.replace("FIB_N", str(fib_n)))
    run = wasmtime.Instance(store, module, []).exports(store)["run"]
    assert isinstance(run, wasmtime.Func)
    started = time.perf_counter()
    run(store)
    return time.perf_counter() - started


def hosted_seconds(fib_n: int, *, interruptible: bool) -> float:
    """One `Program.run` of fib(N) (the module is compiled beforehand)."""
    wasm = wasmtime.wat2wasm(HOSTED.replace("FIB_N", str(fib_n)))
    program = Program.load(wasm, use_cache=False, interruptible=interruptible)
    started = time.perf_counter()
    program.run(["fib"], stdout=io.BytesIO(), stderr=io.BytesIO())
    return time.perf_counter() - started


def measure(fib_n: int = DEFAULT_N, repeats: int = REPEATS) -> dict[str, float]:
    """Median seconds of each way, and the ratios to `plain`."""
    times: dict[str, list[float]] = {"plain": [], "uninterruptible": [], "interruptible": []}
    for _ in range(repeats):
        times["plain"].append(plain_seconds(fib_n))
        times["uninterruptible"].append(hosted_seconds(fib_n, interruptible=False))
        times["interruptible"].append(hosted_seconds(fib_n, interruptible=True))
    medians = {name: statistics.median(values) for name, values in times.items()}
    ratios = {f"{name}_ratio": value / medians["plain"] for name, value in medians.items()}
    return {**medians, **ratios}


def main() -> None:
    fib_n = int(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_N
    result = measure(fib_n)
    print(f"fib({fib_n}), median of {REPEATS}:")
    for name in ("plain", "uninterruptible", "interruptible"):
        print(f"  {name:16} {result[name]:.3f} s  {result[f'{name}_ratio']:.2f}x plain")


if __name__ == "__main__":
    main()
