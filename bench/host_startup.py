"""Startup of `Program.load` + a trivial run: cold (compile) vs cached (not a test).

Uses a generated module with many functions (or a .wasm given as argument),
an empty cache for the cold numbers and the warmed cache for the cached ones.
Usage: python bench/host_startup.py [module.wasm]
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import wasmtime

from wasmpack_mt.host import Program
from wasmpack_mt.host.engine import engine

REPEATS = 5
FUNCTIONS = 3000


def synthetic_module() -> bytes:
    """A plain module with FUNCTIONS small arithmetic functions and a `_start`."""
    body = "".join(
        f"(func $f{i} (param i32) (result i32) (i32.add (i32.mul (local.get 0) (i32.const {i}))"
        f" (i32.rotl (local.get 0) (i32.const {i % 31}))))"
        for i in range(FUNCTIONS)
    )
    return bytes(wasmtime.wat2wasm(f'(module {body} (func (export "_start")))'))


def load_and_run(wasm: bytes) -> float:
    """Seconds for Program.load + run (run only with a `_start`; output dropped)."""
    started = time.perf_counter()
    program = Program.load(wasm)
    if "_start" in program.shape.exports:
        program.run(["bench"], stdout=io.BytesIO(), stderr=io.BytesIO())
    return time.perf_counter() - started


def main() -> None:
    wasm = Path(sys.argv[1]).read_bytes() if len(sys.argv) > 1 else synthetic_module()
    engine()  # the one-time engine set-up is not part of either number
    cold, cached = [], []
    with tempfile.TemporaryDirectory() as cache:
        for index in range(REPEATS):
            os.environ["WASMPACK_CACHE_DIR"] = f"{cache}/cold-{index}"
            cold.append(load_and_run(wasm))
            cached.append(load_and_run(wasm))
    print(f"module: {len(wasm)} bytes")
    print(f"cold (compile + run):   median {statistics.median(cold) * 1000:.1f} ms")
    print(f"cached (load + run):    median {statistics.median(cached) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
