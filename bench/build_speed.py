"""`wasmpack build` against the bare clang command for the same program (c-fib).

Usage: python bench/build_speed.py [RUNS]. Prints the best of RUNS wall times
for each and their ratio. Needs the C toolchain (`wasmpack toolchain bootstrap --lang c`).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from wasmpack_mt.builders.config import MemoryConfig
from wasmpack_mt.builders.memory_layout import clang_memory_flags
from wasmpack_mt.builders.toolchain_lookup import resolve_clang

PROJECT = Path(__file__).resolve().parent.parent / "tests" / "projects" / "c-fib"


def best_of(runs: int, cmd: list[str], cwd: Path) -> float:
    """The fastest of `runs` wall times of `cmd`."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    toolchain = resolve_clang("c")
    with tempfile.TemporaryDirectory() as temp:
        project = Path(temp) / "c-fib"
        shutil.copytree(PROJECT, project)
        clang = [
            str(toolchain.cc), *toolchain.cflags(), *toolchain.ldflags(),
            *clang_memory_flags(MemoryConfig()), "-O2", "src/fib.c", "-o", "bare.wasm",
        ]  # fmt: skip
        bare = best_of(runs, clang, project)
        wasmpack = best_of(runs, [sys.executable, "-m", "wasmpack_mt", "build", "."], project)
    print(f"bare clang compile+link : {bare * 1000:8.1f} ms (best of {runs})")
    print(f"wasmpack build          : {wasmpack * 1000:8.1f} ms (best of {runs})")
    print(f"ratio wasmpack / clang  : {wasmpack / bare:8.2f}x")


if __name__ == "__main__":
    main()
