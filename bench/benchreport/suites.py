"""What the report measures: the rows, the jobs that measure them, and the build timings."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchreport.builds import NO_WASI_THREADS, PROGRAMS, Programs, project_dir
from benchreport.measure import can_measure_rss, run
from benchreport.runs import Cell, Job, kernel_sample, process_sample, rss_sample, spawn_sample
from benchreport.tools import Missing, WasmpackC

RUN_HOSTS = ("wasmpack", "node", "wasmtime", "native")
KERNELS = ("fib", "mix", "sort")
EXTRAS = ("spawn", "startup", "rss", "build")
# Arguments of a warm-up run: fills our host's compiled-module cache, and finds a host
# that cannot run a program before any timed run.
WARM_UP_ARGS = {"fib": ["1", "5"], "mix": ["1", "10"], "sort": ["1", "10"], "spawn": ["2"],
                "threads": ["2"], "hello": []}  # fmt: skip


@dataclass(frozen=True)
class Settings:
    """What the kernels compute, and how many runs and samples to take."""

    sizes: dict[str, int]
    threads: list[int]
    repeats: int
    spawn_samples: int
    rss_threads: int
    timeout_s: float


@dataclass(frozen=True)
class Line:
    """One table line: a row's metric, and how to say it."""

    row: str
    metric: str
    label: str


def kernel_label(kernel: str, size: int, threads: int) -> str:
    what = {
        "fib": f"recursive fib({size}), 4 times",
        "mix": f"integer mix/hash of {size:,} values",
        "sort": f"radix sort of {size:,} u32",
    }[kernel]
    return f"{what}, {threads} thread{'s' if threads > 1 else ''}"


def kernel_jobs(programs: Programs, settings: Settings, kernels: list[str]) -> list[Job]:
    jobs = []
    for kernel in kernels:
        for threads in settings.threads:
            args = [str(threads), str(settings.sizes[kernel])]
            for host in RUN_HOSTS:
                command = programs.command(host, kernel)
                if host == "wasmtime" and threads > 1 and not isinstance(command, Missing):
                    command = Missing(NO_WASI_THREADS)
                argv = _with_args(command, *args)
                jobs.append(Job(f"{kernel}-{threads}t", host, argv, kernel_sample))
    return jobs


def kernel_lines(settings: Settings, kernels: list[str], metric: str) -> list[Line]:
    return [
        Line(f"{k}-{t}t", metric, kernel_label(k, settings.sizes[k], t))
        for k in kernels
        for t in settings.threads
    ]


def process_jobs(programs: Programs, settings: Settings, extras: list[str]) -> list[Job]:
    """Spawn latency, start-up of a cached hello, and the RSS of many live threads."""
    jobs = []
    for host in RUN_HOSTS:
        if "spawn" in extras:
            command = programs.command(host, "spawn")
            argv = _with_args(command, str(settings.spawn_samples))
            jobs.append(Job("spawn", host, argv, spawn_sample))
        if "startup" in extras:
            jobs.append(Job("startup", host, programs.command(host, "hello"), process_sample))
        if "rss" in extras:
            hello = _needs_time(programs.command(host, "hello"))
            jobs.append(Job("rss-hello", host, hello, rss_sample, peak_rss=True))
            command = _needs_time(programs.command(host, "threads"))
            argv = _with_args(command, str(settings.rss_threads))
            jobs.append(Job("rss", host, argv, rss_sample, peak_rss=True))
    return jobs


def process_lines(settings: Settings, extras: list[str]) -> list[Line]:
    lines = []
    if "spawn" in extras:
        label = f"pthread_create + join of an empty thread, µs (median of {settings.spawn_samples})"
        lines.append(Line("spawn", "spawn_us", label))
    if "startup" in extras:
        label = "hello (printf from one thread), module cached: wall"
        lines.append(Line("startup", "wall_s", label))
        lines.append(Line("startup", "cpu_s", "hello: CPU time of the whole process"))
    if "rss" in extras:
        lines.append(Line("rss-hello", "rss_mib", "hello: peak RSS of the whole process"))
        alive = f"{settings.rss_threads} threads alive at once"
        lines.append(Line("rss", "rss_mib", f"{alive}: peak RSS"))
        lines.append(Line("rss", "wall_s", f"{alive}: wall"))
    return lines


def _with_args(command: list[str] | Missing, *args: str) -> list[str] | Missing:
    return command if isinstance(command, Missing) else [*command, *args]


def _needs_time(command: list[str] | Missing) -> list[str] | Missing:
    if isinstance(command, list) and not can_measure_rss():
        return Missing("peak RSS needs GNU time at /usr/bin/time (apt-get install time)")
    return command


def programs_needed(kernels: list[str], extras: list[str]) -> list[str]:
    extra_programs = {"spawn": ["spawn"], "startup": ["hello"], "rss": ["hello", "threads"]}
    needed = [*kernels, *(p for e in extras for p in extra_programs.get(e, []))]
    return list(dict.fromkeys(needed))


def warm_up(programs: Programs, names: list[str], timeout_s: float) -> None:
    """Run every built program once; one that fails is replaced by its failure."""
    for (host, program), command in list(programs.commands.items()):
        if program not in names or isinstance(command, Missing):
            continue
        result = run([*command, *WARM_UP_ARGS[program]], timeout_s)
        if not result.ok:
            programs.commands[host, program] = Missing(f"failed: {result.failure()}")
            print(f"  warm-up {program} on {host}: {result.failure()}", file=sys.stderr)


BUILD_HOSTS = ("wasmpack-build", "bare")
BUILD_LINES = [
    Line("build-full", "wall_s", "full build (clean project) vs the bare clang commands"),
    Line("build-noop", "wall_s", "second build, nothing changed vs a full bare build"),
    Line("build-one", "wall_s", "one source changed vs bare: compile it + link"),
]


def build_cells(
    threads_c: WasmpackC | Missing, repeats: int, timeout_s: float
) -> dict[tuple[str, str], Cell]:
    """`wasmpack build` of the sort program (2 sources) against the bare clang commands,
    both from the same `wasmpack env` compiler and flags."""
    cells = {(line.row, host): Cell() for line in BUILD_LINES for host in BUILD_HOSTS}
    if isinstance(threads_c, Missing):
        for cell in cells.values():
            cell.note = f"n/a: {threads_c.reason}"
        return cells
    with tempfile.TemporaryDirectory(prefix="wasmpack-bench-build-") as temp:
        project = project_dir(Path(temp), "sort")
        for repeat in range(repeats):
            _build_round(threads_c, project, repeat, cells, timeout_s)
    return cells


def _build_round(
    c: WasmpackC, project: Path, repeat: int, cells: dict[tuple[str, str], Cell], timeout_s: float
) -> None:
    work = project.parent
    sources = [project / name for name in PROGRAMS["sort"]]
    objects = [work / f"{source.stem}.o" for source in sources]

    def compile_one(index: int) -> list[str | Path]:
        return [*c.cc, *c.cflags, "-c", sources[index], "-o", objects[index]]

    link: list[str | Path] = [*c.cc, *c.cflags, *c.ldflags, *objects, "-o", work / "bare.wasm"]
    wasmpack: list[str | Path] = [sys.executable, "-m", "wasmpack_mt", "-q", "build", project]
    for scratch in ("build", "dist"):
        shutil.rmtree(project / scratch, ignore_errors=True)
    steps = [
        ("build-full", "wasmpack-build", [wasmpack]),
        ("build-full", "bare", [compile_one(i) for i in range(len(sources))] + [link]),
        ("build-noop", "wasmpack-build", [wasmpack]),
        ("build-noop", "bare", [compile_one(i) for i in range(len(sources))] + [link]),
    ]
    for row, host, commands in steps:
        _timed(cells[row, host], commands, timeout_s, f"{row} {host}")
    edited = project / "sort.c"
    edited.write_text(edited.read_text() + f"/* edit {repeat} */\n")
    _timed(cells["build-one", "wasmpack-build"], [wasmpack], timeout_s, "build-one wasmpack")
    _timed(cells["build-one", "bare"], [compile_one(1), link], timeout_s, "build-one bare")


def _timed(cell: Cell, commands: list[list[str | Path]], timeout_s: float, name: str) -> None:
    if cell.note is not None:
        return
    started = time.perf_counter()
    for command in commands:
        result = run(command, timeout_s)
        if not result.ok:
            cell.note = f"failed: {result.failure()}"
            print(f"  {name}: {cell.note}", file=sys.stderr)
            return
    cell.samples.append({"wall_s": time.perf_counter() - started})
    print(f"  {name}: {cell.samples[-1]['wall_s']:.3f} s", file=sys.stderr)
