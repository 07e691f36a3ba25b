"""The ports (zstd, xz) on the wasmpack host against the same sources built natively.

Usage: python bench/ports.py [RUNS] [MIB]. Builds each pinned upstream release
(tests/ports/sources.yaml) twice, unpatched: for wasm through `wasmpack env`
and natively with the system C compiler. Then compresses a generated MIB MiB
file (default 8) with 1 and 2 threads and prints the best of RUNS (default 3)
wall times and the wasm/native ratio. The wasm time is the whole
`wasmpack run` process (the module's compiled code is cached by a first,
untimed run); the start-up (`PROGRAM --version`, best of RUNS) is also shown,
with the ratio of the times without it. Needs the C toolchain.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "ports"))

from ports import BUILDERS, Port, generated_input, ports, unpacked

COMPRESS = {
    "zstd": ["-q", "-f", "-B1048576", "-c"],
    "xz": ["-q", "-f", "--block-size=1MiB", "-c"],
}
"""Compress to stdout in independent 1 MiB blocks (jobs), so two threads have work."""


def best_of(runs: int, argv: list[str]) -> float:
    """The fastest of `runs` wall times of `argv` (output discarded)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    mib = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        data = work / "data"
        data.mkdir()
        source = generated_input(data / "input.txt", mib << 20)
        print(f"input: {mib} MiB of generated text; best of {runs} wall times")
        for name, port in ports().items():
            wasm = BUILDERS[name](port_source(port, work / "wasm"), wasm=True)
            native = BUILDERS[name](port_source(port, work / "native"), wasm=False)
            run = [sys.executable, "-m", "wasmpack_mt", "run", str(wasm), "--dir", str(data), "--"]
            subprocess.run([*run, "--version"], check=True, capture_output=True)  # compile cache
            wasm_start = best_of(runs, [*run, "--version"])
            native_start = best_of(runs, [str(native), "--version"])
            for threads in (1, 2):
                args = [f"-T{threads}", *COMPRESS[name], str(source)]
                on_wasm = best_of(runs, [*run, *args])
                on_native = best_of(runs, [str(native), *args])
                work = (on_wasm - wasm_start) / max(on_native - native_start, 1e-3)
                print(
                    f"{name} {port.version}  {threads} thread(s)  wasm {on_wasm:6.2f} s  "
                    f"native {on_native:6.2f} s  wasm/native {on_wasm / on_native:5.2f}  "
                    f"(start-up {wasm_start:4.2f} s; without it {work:5.2f})"
                )


def port_source(port: Port, into: Path) -> Path:
    """A fresh unpacked copy of `port` under `into`."""
    into.mkdir(parents=True, exist_ok=True)
    return unpacked(port, into)


if __name__ == "__main__":
    main()
