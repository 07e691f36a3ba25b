"""`wasmpack build` against the bare clang commands it runs: full, one-file and no-op builds.

Usage: python bench/build_speed.py [RUNS] [PROJECT]. PROJECT is a directory
under tests/projects (default c-pthreads). The bare commands are the very
compile and link commands `wasmpack -v build` echoes, run directly. Prints the
best of RUNS wall times (and the CPU seconds of the process tree) for:

- full: `wasmpack build` after removing build/ and dist/, against every
  compile + the link run bare;
- one file: after touching one source, against one compile + the link;
- no-op: a second build with nothing changed (no bare counterpart).

Needs the C toolchain (`wasmpack doctor`).
"""

from __future__ import annotations

import os
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PROJECTS = Path(__file__).resolve().parent.parent / "tests" / "projects"
WASMPACK = [sys.executable, "-m", "wasmpack_mt"]


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def best_of(
    runs: int, prepare: Callable[[], None], commands: list[list[str]], cwd: Path
) -> tuple[float, float]:
    """The fastest wall time of running `commands` in turn, and the CPU seconds of that run."""
    best = (float("inf"), 0.0)
    for _ in range(runs):
        prepare()
        cpu = cpu_of_children()
        started = time.perf_counter()
        for cmd in commands:
            subprocess.run(cmd, cwd=cwd, check=True, capture_output=True)
        wall = time.perf_counter() - started
        best = min(best, (wall, cpu_of_children() - cpu))
    return best


def echoed_commands(project: Path) -> tuple[list[list[str]], list[str]]:
    """The compile commands and the link command a verbose full build echoes."""
    stderr = subprocess.run(
        [*WASMPACK, "-v", "build", "."], cwd=project, check=True, capture_output=True, text=True
    ).stderr
    ran = [shlex.split(line[2:]) for line in stderr.splitlines() if line.startswith("+ ")]
    compiles = [cmd for cmd in ran if "-c" in cmd]
    links = [cmd for cmd in ran if "-c" not in cmd and cmd[-1].endswith(".wasm")]
    return compiles, links[-1]


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    name = sys.argv[2] if len(sys.argv) > 2 else "c-pthreads"
    with tempfile.TemporaryDirectory() as temp:
        project = Path(temp) / name
        shutil.copytree(PROJECTS / name, project)
        compiles, link = echoed_commands(project)
        source = project / compiles[0][compiles[0].index("-c") + 1]  # a project source

        def clean() -> None:
            for output in ("build", "dist"):
                shutil.rmtree(project / output, ignore_errors=True)
            for cmd in compiles:
                Path(cmd[cmd.index("-o") + 1]).parent.mkdir(parents=True, exist_ok=True)

        def touch() -> None:
            later = time.time_ns() + 1_000_000
            os.utime(source, ns=(later, later))

        def nothing() -> None:
            pass

        build = [[*WASMPACK, "-q", "build", "."]]
        bare_full = best_of(runs, clean, [*compiles, link], project)
        full = best_of(runs, clean, build, project)
        bare_one = best_of(runs, nothing, [compiles[0], link], project)
        one = best_of(runs, touch, build, project)
        build_once = subprocess.run(build[0], cwd=project, check=True, capture_output=True)
        assert build_once.returncode == 0
        noop = best_of(runs, nothing, build, project)
    rows = [
        ("full build", full, bare_full),
        ("one file changed", one, bare_one),
        ("no-op rebuild", noop, None),
    ]
    print(f"{name}: best of {runs}; wall s (cpu s of the process tree)")
    print("| build | wasmpack | bare clang | ratio |")
    print("|---|---|---|---|")
    for label, ours, bare in rows:
        bare_text = f"{bare[0]:.3f} ({bare[1]:.3f})" if bare else "—"
        ratio = f"{ours[0] / bare[0]:.2f}x" if bare else "—"
        print(f"| {label} | {ours[0]:.3f} ({ours[1]:.3f}) | {bare_text} | {ratio} |")


if __name__ == "__main__":
    main()
