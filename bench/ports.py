"""The ports (zstd, xz) on the wasmpack host against the same sources built natively.

Builds each pinned upstream release (tests/ports/sources.yaml) twice,
unpatched: for wasm through `wasmpack env` and natively with the system C
compiler. Then compresses a generated MIB MiB file (default 8) with each
thread count and prints the best and the median of RUNS (default 3) wall
times, the wasm/native ratio, per runtime the ratio of each thread count's
median to the 1-thread median (below 1 is a speed-up), and the median CPU
time of the process (all its threads). The wasm time is the whole `wasmpack
run` process (the module's compiled code is cached by a first, untimed run);
the start-up (`PROGRAM --version`) is also shown, with the ratio of the
times without it. The commands take turns, so that load from
other processes spreads over all of them. `--hogs` repeats the whole
measurement with that many busy-loop processes beside it (more runnable
threads than cores). Needs the C toolchain.

    python bench/ports.py [RUNS] [MIB]                      # zstd and xz, 1 and 2 threads
    python bench/ports.py 5 64 --only zstd --level 10 --threads 1,2,4 --hogs 0,2,4
    python bench/ports.py 3 64 --only zstd --work /tmp/ports   # keep the builds for next time
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "ports"))

from benchreport.hogs import cpu_hogs
from ports import BUILDERS, Port, generated_input, ports, unpacked

COMPRESS = {
    "zstd": ["-q", "-f", "-c"],
    "xz": ["-q", "-f", "-c"],
}
"""Compress to stdout (quietly, overwriting nothing)."""
BLOCK_SIZE = {"zstd": "-B{bytes}", "xz": "--block-size={bytes}"}
"""The option that cuts the input into independent blocks (jobs), so that threads have work."""


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add = parser.add_argument
    add("runs", nargs="?", type=int, default=3, help="runs of each command (default 3)")
    add("mib", nargs="?", type=int, default=8, help="MiB of generated input (default 8)")
    add("--only", choices=sorted(BUILDERS), help="measure one port only")
    add("--level", type=int, help="compression level, e.g. 10 for -10 (default: the program's)")
    add("--threads", default="1,2", help="comma-separated -TN counts, 1 always (default 1,2)")
    add("--hogs", default="0", help="comma-separated busy-loop process counts (default 0)")
    add("--block-mib", type=int, default=1, help="MiB per job; 0: the program's (default 1)")
    add("--work", type=Path, help="build and keep the programs and the input here (reused)")
    args = parser.parse_args(argv)
    try:
        args.thread_counts = sorted({int(t) for t in args.threads.split(",")} | {1})
        args.hog_counts = [int(h) for h in args.hogs.split(",")]
    except ValueError:
        parser.error("--threads and --hogs: comma-separated numbers, e.g. 1,2,4")
    if args.runs < 1 or args.mib < 1 or min(args.thread_counts) < 1 or min(args.hog_counts) < 0:
        parser.error("RUNS, MIB and thread counts must be positive, hog counts not negative")
    return args


def timed(argv: list[str]) -> tuple[float, float]:
    """The wall time and the CPU time (all threads) of one run of `argv` (output discarded)."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait again
    if status:
        raise subprocess.CalledProcessError(os.waitstatus_to_exitcode(status), argv)
    return wall, usage.ru_utime + usage.ru_stime


def all_times(runs: int, commands: dict[str, list[str]]) -> dict[str, list[tuple[float, float]]]:
    """`runs` (wall, CPU) times of each command, the commands taking turns."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(timed(argv))
    return times


def port_commands(
    name: str, wasm: Path, native: Path, source: Path, args: argparse.Namespace
) -> dict[str, list[str]]:
    """The start-up command, then per thread count the wasm and the native compression."""
    run = [sys.executable, "-m", "wasmpack_mt", "run", str(wasm), "--dir", str(source.parent), "--"]
    subprocess.run([*run, "--version"], check=True, capture_output=True)  # compile cache
    options = [*COMPRESS[name]]
    if args.level is not None:
        options.append(f"-{args.level}")
    if args.block_mib:
        options.append(BLOCK_SIZE[name].format(bytes=args.block_mib << 20))
    commands = {"wasm start-up": [*run, "--version"]}
    for threads in args.thread_counts:
        compress = [f"-T{threads}", *options, str(source)]
        commands[f"wasm {threads}"] = [*run, *compress]
        commands[f"native {threads}"] = [str(native), *compress]
    return commands


def report(
    port: Port, hogs: int, samples: dict[str, list[tuple[float, float]]], threads: list[int]
) -> None:
    """Print best and median per thread count, wasm/native, Tn/T1 per runtime, CPU medians."""
    times = {key: [wall for wall, _ in values] for key, values in samples.items()}
    best = {key: min(values) for key, values in times.items()}
    median = {key: statistics.median(values) for key, values in times.items()}
    cpu = {key: statistics.median(cpu for _, cpu in values) for key, values in samples.items()}
    start_up = median["wasm start-up"]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"{port.name} {port.version}, {hogs} hog(s), load {load}, {len(times['wasm 1'])} runs")
    for count in threads:
        wasm, native = f"wasm {count}", f"native {count}"
        print(
            f"  -T{count}  wasm best {best[wasm]:6.2f} median {median[wasm]:6.2f} s  "
            f"native best {best[native]:6.2f} median {median[native]:6.2f} s  "
            f"wasm/native {median[wasm] / median[native]:5.2f}  "
            f"(without start-up {start_up:4.2f} s: "
            f"{max(median[wasm] - start_up, 0.0) / median[native]:5.2f})  "
            f"T{count}/T1 wasm {median[wasm] / median['wasm 1']:4.2f} "
            f"native {median[native] / median['native 1']:4.2f}  "
            f"CPU s wasm {cpu[wasm]:5.2f} native {cpu[native]:5.2f}"
        )


def built(name: str, port: Port, work: Path) -> tuple[Path, Path]:
    """The wasm and the native program of `port`, built under `work` unless already there."""
    programs = []
    for kind in ("wasm", "native"):
        marker = work / f"{name}-{port.version}-{kind}.path"
        if marker.is_file() and Path(marker.read_text()).is_file():
            programs.append(Path(marker.read_text()))
            continue
        program = BUILDERS[name](port_source(port, work / kind), wasm=kind == "wasm")
        marker.write_text(str(program))
        programs.append(program)
    return programs[0], programs[1]


def measure(args: argparse.Namespace, work: Path) -> None:
    data = work / "data"
    data.mkdir(exist_ok=True)
    source = data / f"input-{args.mib}.txt"
    if not source.is_file():
        generated_input(source, args.mib << 20)
    print(f"input: {args.mib} MiB of generated text; {args.runs} runs per command")
    selected = {key: port for key, port in ports().items() if args.only in (None, key)}
    for name, port in selected.items():
        wasm, native = built(name, port, work)
        commands = port_commands(name, wasm, native, source, args)
        for hogs in args.hog_counts:
            with cpu_hogs(hogs):
                time.sleep(0.2 if hogs else 0.0)
                times = all_times(args.runs, commands)
            report(port, hogs, times, args.thread_counts)


def main() -> None:
    args = parse_args(sys.argv[1:])
    if args.work is not None:
        args.work.mkdir(parents=True, exist_ok=True)
        measure(args, args.work)
        return
    with tempfile.TemporaryDirectory() as temp:
        measure(args, Path(temp))


def port_source(port: Port, into: Path) -> Path:
    """A fresh unpacked copy of `port` under `into`."""
    into.mkdir(parents=True, exist_ok=True)
    return unpacked(port, into)


if __name__ == "__main__":
    main()
