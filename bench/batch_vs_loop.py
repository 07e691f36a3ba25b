"""`wasmpack batch` vs a shell loop of `wasmpack run`, and local parallelism (not a test).

Builds tests/projects/c-upper (upper-cases stdin on two threads), makes ITEMS
small input files, then times
  1. a bash loop: `wasmpack run upper.wasm < FILE > OUT` per file (start-up paid per item);
  2. `wasmpack batch upper.wasm --inputs IN --output OUT` (start-up paid once);
checks both give the same bytes, and prints the ratio. Then it runs 8 heavier
items (the C template's fib, `1 K` each) through `run_local` with 1 and 2 jobs
and prints the wall-time ratio and the cores kept busy (CPU time / wall time):
the threads of one process run wasm in parallel because calls into wasm
release the GIL.
Usage: python bench/batch_vs_loop.py [ITEMS] [K]
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from wasmpack_mt.batch import Task, run_local
from wasmpack_mt.host import Program

ROOT = Path(__file__).resolve().parent.parent
WASMPACK = [sys.executable, "-m", "wasmpack_mt"]


def build(project: Path) -> Path:
    """`wasmpack build PROJECT`; the artifact path (last line of its output)."""
    done = subprocess.run([*WASMPACK, "build", project], capture_output=True, text=True, check=True)
    return Path(done.stdout.strip().splitlines()[-1])


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def loop_vs_batch(work: Path, items: int) -> None:
    shutil.copytree(ROOT / "tests" / "projects" / "c-upper", work / "upper")
    module = build(work / "upper")
    inputs = work / "in"
    inputs.mkdir()
    for index in range(items):
        (inputs / f"item-{index:04d}.txt").write_text(f"item {index}: a small input\n" * 20)
    (work / "loop").mkdir()
    run = " ".join(shlex.quote(str(part)) for part in [*WASMPACK, "run", module])
    script = f'for f in {inputs}/*; do {run} < "$f" > "{work}/loop/$(basename "$f")"; done'
    loop = timed(["bash", "-c", script])
    batch = timed(
        [*WASMPACK, "batch", str(module), "--inputs", str(inputs), "--output", str(work / "batch")]
    )
    same = all(
        (work / "loop" / f.name).read_bytes() == (work / "batch" / f.name).read_bytes()
        for f in inputs.iterdir()
    )
    print(f"{items} small items, upper filter (2 threads each):")
    print(f"  shell loop of wasmpack run: {loop:7.2f} s ({loop / items * 1000:.0f} ms/item)")
    print(f"  wasmpack batch:             {batch:7.2f} s ({batch / items * 1000:.0f} ms/item)")
    print(f"  ratio loop / batch:         x{loop / batch:.1f}   outputs identical: {same}")


def local_parallelism(work: Path, k: int) -> None:
    subprocess.run(
        [*WASMPACK, "new", "fib", "--template", "c"], cwd=work, check=True, capture_output=True
    )
    program = Program.load(build(work / "fib"))
    tasks = [Task(f"fib-{i}", ("fib", "1", str(k))) for i in range(8)]
    walls = {}
    for jobs in (1, 2):
        started, cpu = time.perf_counter(), time.process_time()
        results = list(run_local(program, tasks, jobs=jobs))
        walls[jobs] = time.perf_counter() - started
        busy = (time.process_time() - cpu) / walls[jobs]
        assert all(result.ok for result in results)
        print(f"  8 x fib({k}), {jobs} job(s): {walls[jobs]:6.2f} s, {busy:.2f} cores busy")
    print(f"  speedup 2 jobs vs 1:        x{walls[1] / walls[2]:.2f}")


def main() -> None:
    items = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    k = int(sys.argv[2]) if len(sys.argv) > 2 else 36
    with tempfile.TemporaryDirectory() as scratch:
        loop_vs_batch(Path(scratch), items)
        print("local parallelism (threads of one process):")
        local_parallelism(Path(scratch), k)


if __name__ == "__main__":
    main()
