"""Wall time of `wasmpack run` of a cached hello (one thread) against its floor (not a test).

Interleaved medians of REPEATS whole processes: `python -c pass`, `python -c
"import wasmtime"` (the floor the issue names) and `python -m wasmpack_mt run
hello.wasm` with the compiled module already cached. Prints each and what
`wasmpack run` adds to `import wasmtime`. Usage: python bench/host_cli_startup.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import wasmtime

REPEATS = 11
HELLO = """
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "env" "memory" (memory 2 16 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (export "memory" (memory 0))
  (data (i32.const 16) "hello\\n")
  (func (export "wasi_thread_start") (param i32 i32)
    (i32.atomic.store (i32.const 100) (i32.const 1))
    (drop (memory.atomic.notify (i32.const 100) (i32.const -1))))
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 6))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $spawn (i32.const 0)))
    (block $done (loop $wait
      (br_if $done (i32.atomic.load (i32.const 100)))
      (drop (memory.atomic.wait32 (i32.const 100) (i32.const 0) (i64.const -1)))
      (br $wait)))))
"""


def wall(cmd: list[str], env: dict[str, str]) -> float:
    """Seconds one whole process takes."""
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - started


def measure(repeats: int = REPEATS) -> dict[str, float]:
    """Median seconds of `python_pass`, `import_wasmtime` and `wasmpack_run` (cached module)."""
    with tempfile.TemporaryDirectory() as scratch:
        hello = Path(scratch) / "hello.wasm"
        hello.write_bytes(wasmtime.wat2wasm(HELLO))
        env = {**os.environ, "WASMPACK_CACHE_DIR": str(Path(scratch) / "cache")}
        commands = {
            "python_pass": [sys.executable, "-c", "pass"],
            "import_wasmtime": [sys.executable, "-c", "import wasmtime"],
            "wasmpack_run": [sys.executable, "-m", "wasmpack_mt", "run", str(hello)],
        }
        wall(commands["wasmpack_run"], env)  # fills the module cache
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(repeats):
            for name, cmd in commands.items():
                samples[name].append(wall(cmd, env))
    result = {name: statistics.median(values) for name, values in samples.items()}
    result["added_to_wasmtime"] = result["wasmpack_run"] - result["import_wasmtime"]
    return result


def main() -> None:
    result = measure()
    print(f"medians of {REPEATS} (machine load {os.getloadavg()[0]:.1f}):")
    for name, value in result.items():
        print(f"  {name:18} {value * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
