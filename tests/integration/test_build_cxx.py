"""`wasmpack build` for C++ (std::thread, std::mutex) with the real clang++ and libc++."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from wasmpack_mt.bundle import read_manifest
from wasmpack_mt.toolchains.model import Language, Toolchain

pytestmark = pytest.mark.toolchain("cxx")

ToolchainFor = Callable[[Language], Toolchain]
ProjectCopy = Callable[[str], Path]


def wasmpack(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the real CLI in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "wasmpack_mt", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_std_thread_program_builds_checks_and_runs(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("cxx")
    built = wasmpack("build", project_copy("cxx-threads"))
    assert built.returncode == 0, built.stdout + built.stderr
    artifact = Path(built.stdout.strip().splitlines()[-1])
    ran = wasmpack("run", artifact)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    # sum(1..1000k) for k = 1..4, every worker inside the gate at once.
    assert "threads 4 met 4 total 15005000" in ran.stdout
    manifest = read_manifest(artifact.read_bytes())
    assert manifest is not None and manifest.languages == ("cxx",)
    assert "-std=c++17" in manifest.build_flags
