"""`wasmpack build` for C++ (std::thread, std::mutex) with the real clang++ and libc++."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import ProjectCopy, ToolchainFor, wasmpack

from wasmpack_mt.bundle import read_manifest

pytestmark = pytest.mark.toolchain("cxx")


def test_std_thread_program_builds_checks_and_runs(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("cxx")
    built = wasmpack("build", project_copy("cxx-threads"))
    artifact = Path(built.stdout.strip().splitlines()[-1])
    ran = wasmpack("run", artifact)
    # sum(1..1000k) for k = 1..4, every worker inside the gate at once.
    assert "threads 4 met 4 total 15005000" in ran.stdout
    manifest = read_manifest(artifact.read_bytes())
    assert manifest is not None and manifest.languages == ("cxx",)
    assert "-std=c++17" in manifest.build_flags
