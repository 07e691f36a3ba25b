"""More runnable threads than cores: is 2 guest threads ever slower than 1? (not a test)

Runs `bench/c/oversub.c` (a zstd-like job pool: mutex + condition variable
hand-offs, a clock read per job) on `wasmpack run` with 1 and 2 workers,
interleaved, while HOGS busy-loop processes keep the cores busy, and natively
for reference. Prints the medians and the ratio 2 workers / 1 worker (below 1
is a speedup) with and without the per-job clock reads (host calls).
Needs the C toolchain (`wasmpack env`) and clang for the native build.
Usage: python bench/host_oversubscription.py [HOGS] [REPEATS]
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchreport.hogs import cpu_hogs

SOURCE = Path(__file__).resolve().parent / "c" / "oversub.c"
JOBS, WORK = "2000", "200000"


def build(out: Path) -> tuple[Path, Path | None]:
    """The wasm build (through `wasmpack env`) and a native build when clang is installed."""
    wasm = out / "oversub.wasm"
    script = f'$CC $CFLAGS -O2 "{SOURCE}" $LDFLAGS -o "{wasm}"'
    cmd = [sys.executable, "-m", "wasmpack_mt", "env", "--lang", "c", "--", "sh", "-c", script]
    subprocess.run(cmd, check=True)
    clang = shutil.which("clang") or shutil.which("clang-19")
    if clang is None:
        return wasm, None
    native = out / "oversub"
    subprocess.run([clang, "-O2", "-pthread", str(SOURCE), "-o", str(native)], check=True)
    return wasm, native


def seconds(cmd: list[str]) -> float:
    """The time the program reports for its job pool (first word of its output)."""
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return float(done.stdout.split()[0])


def measure(hogs: int = 2, repeats: int = 5) -> dict[str, float]:
    """Median seconds per (runtime, clock reads, workers) and the 2-worker/1-worker ratios."""
    with tempfile.TemporaryDirectory() as out:
        wasm, native = build(Path(out))
        runners = {"host": [sys.executable, "-m", "wasmpack_mt", "run", str(wasm), "--"]}
        if native is not None:
            runners["native"] = [str(native)]
        samples: dict[str, list[float]] = {}
        with cpu_hogs(hogs):
            time.sleep(0.2)
            for _ in range(repeats):
                for name, prefix in runners.items():
                    for clocks in ("1", "0"):
                        for workers in ("1", "2"):
                            key = f"{name}_clock{clocks}_t{workers}"
                            cmd = [*prefix, workers, JOBS, WORK, clocks]
                            samples.setdefault(key, []).append(seconds(cmd))
    result = {key: statistics.median(values) for key, values in samples.items()}
    for key in list(result):
        if key.endswith("_t2"):
            result[key.removesuffix("_t2") + "_ratio"] = result[key] / result[key[:-1] + "1"]
    result["load"] = os.getloadavg()[0]
    return result


def main() -> None:
    hogs = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    result = measure(hogs, repeats)
    print(f"{hogs} CPU hogs on {os.cpu_count()} cores, load {result['load']:.1f}, medians:")
    for key, value in result.items():
        if key.endswith("_ratio"):
            print(f"  {key.removesuffix('_ratio'):14} 1 worker {result[key[:-5] + 't1']:.3f} s, "
                  f"2 workers {result[key[:-5] + 't2']:.3f} s: ratio {value:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
