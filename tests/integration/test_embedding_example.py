"""examples/embedding: a reactor's `fib` called from several Python threads at once.

The example is copied to a temp dir, so the build it does on first use never
writes into the repository.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from support import fib

from wasmpack_mt.toolchains.model import Language, Toolchain

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "embedding"
OVERLAP_LINE = "overlap: yes, all {} calls were inside the module at the same time"


@pytest.fixture
def example(tmp_path: Path, toolchain_for: Callable[[Language], Toolchain]) -> Path:
    """A copy of the example (without a prebuilt dist/), with the C toolchain present."""
    toolchain_for("c")
    copy = tmp_path / "embedding"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("dist", "build"))
    return copy


def run_example(example: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(example / "fib_threads.py"), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.toolchain("c")
def test_example_prints_both_results_and_the_overlap(example: Path) -> None:
    result = run_example(example)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"fib(4) = {fib(4)}",
        f"fib(5) = {fib(5)}",
        OVERLAP_LINE.format(2),
    ]
    assert (example / "dist" / "fib.wasm").is_file(), "built on first use"


@pytest.mark.toolchain("c")
def test_example_runs_more_threads_with_heavier_calls(example: Path) -> None:
    ns = [20, 22, 24]
    result = run_example(example, *map(str, ns))

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        *(f"fib({n}) = {fib(n)}" for n in ns),
        OVERLAP_LINE.format(len(ns)),
    ]


@pytest.mark.toolchain("c")
def test_a_lone_caller_does_not_pass_the_meeting(example: Path) -> None:
    """The overlap check can fail: one caller alone times out and reports only itself."""
    from wasmpack_mt.host import Program
    from wasmpack_mt.pipeline import build_project

    program = Program.load(build_project(example))
    with program.reactor() as reactor:
        assert reactor.call("meet", 2, 20) == 1
        assert reactor.call("fib", 10) == fib(10)


def test_example_refuses_a_single_number() -> None:
    result = run_example(EXAMPLE, "4")
    assert result.returncode == 2
    assert "give at least two numbers" in result.stderr
    assert "Traceback" not in result.stderr
