"""The ports (zstd, xz) on the wasmpack host against the same sources built natively.

Usage: python bench/ports.py [RUNS] [MIB]. Builds each pinned upstream release
(tests/ports/sources.yaml) twice, unpatched: for wasm through `wasmpack env`
and natively with the system C compiler. Then compresses a generated MIB MiB
file (default 8) with 1 and 2 threads and prints the best of RUNS (default 3)
wall times and the wasm/native ratio. The wasm time is the whole
`wasmpack run` process (the module's compiled code is cached by a first,
untimed run); the start-up (`PROGRAM --version`) is also shown, with the
ratio of the times without it. The commands take turns, so that load from
other processes spreads over all of them. Needs the C toolchain.
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


def wall(argv: list[str]) -> float:
    """The wall time of one run of `argv` (output discarded)."""
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def best_times(runs: int, commands: dict[str, list[str]]) -> dict[str, float]:
    """The fastest of `runs` wall times of each command, the commands taking turns."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(wall(argv))
    return {name: min(values) for name, values in times.items()}


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    mib = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        data = root / "data"
        data.mkdir()
        source = generated_input(data / "input.txt", mib << 20)
        print(f"input: {mib} MiB of generated text; best of {runs} wall times")
        for name, port in ports().items():
            wasm = BUILDERS[name](port_source(port, root / "wasm"), wasm=True)
            native = BUILDERS[name](port_source(port, root / "native"), wasm=False)
            run = [sys.executable, "-m", "wasmpack_mt", "run", str(wasm), "--dir", str(data), "--"]
            subprocess.run([*run, "--version"], check=True, capture_output=True)  # compile cache
            commands = {"wasm start-up": [*run, "--version"]}
            for threads in (1, 2):
                args = [f"-T{threads}", *COMPRESS[name], str(source)]
                commands[f"wasm {threads}"] = [*run, *args]
                commands[f"native {threads}"] = [str(native), *args]
            best = best_times(runs, commands)
            start_up = best["wasm start-up"]
            for threads in (1, 2):
                on_wasm, on_native = best[f"wasm {threads}"], best[f"native {threads}"]
                print(
                    f"{name} {port.version}  {threads} thread(s)  wasm {on_wasm:6.2f} s  "
                    f"native {on_native:6.2f} s  wasm/native {on_wasm / on_native:5.2f}  "
                    f"(wasm start-up {start_up:4.2f} s; without it "
                    f"{max(on_wasm - start_up, 0.0) / on_native:5.2f})"
                )


def port_source(port: Port, into: Path) -> Path:
    """A fresh unpacked copy of `port` under `into`."""
    into.mkdir(parents=True, exist_ok=True)
    return unpacked(port, into)


if __name__ == "__main__":
    main()
