"""Every template, end to end: `wasmpack new` → `wasmpack build` → `wasmpack run`.

The real toolchain compiles each project and the real host runs it; the
output is checked against Fibonacci numbers computed here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from support import fib, wasmpack

from wasmpack_mt.toolchains.model import Language, Toolchain

TEMPLATE_LANGUAGE: dict[str, Language] = {"c": "c", "cmake": "c", "cpp": "cxx", "rust": "rust"}
HEAVY_THREADS = 4
HEAVY_K = 20


@pytest.fixture
def new_project(
    tmp_path: Path, toolchain_for: Callable[[Language], Toolchain]
) -> Callable[[str], Path]:
    """Create a project from a template (after making sure its toolchain exists)."""

    def create(template: str) -> Path:
        toolchain_for(TEMPLATE_LANGUAGE[template])
        wasmpack("new", "fib-demo", "--template", template, cwd=tmp_path)
        return tmp_path / "fib-demo"

    return create


@pytest.mark.slow
@pytest.mark.parametrize(
    "template",
    [
        pytest.param("c", marks=pytest.mark.toolchain("c")),
        pytest.param("cmake", marks=pytest.mark.toolchain("c")),
        pytest.param("cpp", marks=pytest.mark.toolchain("cxx")),
        pytest.param("rust", marks=pytest.mark.toolchain("rust")),
    ],
)
def test_new_build_run(new_project: Callable[[str], Path], template: str) -> None:
    project = new_project(template)

    wasmpack("build", cwd=project)
    artifact = project / "dist" / "fib-demo.wasm"
    assert artifact.read_bytes()[:4] == b"\0asm"

    seed = wasmpack("run", "dist/fib-demo.wasm", cwd=project)
    assert seed.stdout == f"fib(4) = {fib(4)}\nfib(5) = {fib(5)}\n"

    heavy = wasmpack(
        "run", "dist/fib-demo.wasm", "--", str(HEAVY_THREADS), str(HEAVY_K), cwd=project
    )
    expected = [f"thread {i}: fib({HEAVY_K}) = {fib(HEAVY_K)}" for i in range(HEAVY_THREADS)]
    expected.append(f"total = {HEAVY_THREADS * fib(HEAVY_K)}")
    assert heavy.stdout.splitlines() == expected

    refused = wasmpack("run", "dist/fib-demo.wasm", "--", "0", "5", cwd=project, expect=2)
    assert "usage:" in refused.stderr
    assert refused.stdout == ""


@pytest.mark.toolchain("c")
def test_run_without_file_runs_the_project_artifact(new_project: Callable[[str], Path]) -> None:
    """The issue's promise: `cd NAME && wasmpack build && wasmpack run`, no edits."""
    project = new_project("c")
    wasmpack("build", cwd=project)
    assert wasmpack("run", cwd=project).stdout == "fib(4) = 3\nfib(5) = 5\n"
