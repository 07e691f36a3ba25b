"""`wasmpack build` of projects that live in a directory whose path holds a space."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import ProjectCopy, ToolchainFor, build, run


def spaced(project: Path) -> Path:
    """Move a copied project into `<tmp>/my proj/<name>`; its new path."""
    parent = project.parent / "my proj"
    parent.mkdir()
    return project.rename(parent / project.name)


@pytest.mark.toolchain("c")
def test_c_project_in_a_spaced_directory(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("c")
    project = spaced(project_copy("c-fib"))
    assert "fib(20) x 3 = 20295" in run(build(project), "3", "20")


@pytest.mark.toolchain("c")
def test_cmake_project_in_a_spaced_directory(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("c")
    project = spaced(project_copy("cmake-threads"))
    with (project / "wasmpack.toml").open("a", encoding="utf-8") as config:
        config.write('\n[memory]\nthread-stack-size = "128KiB"\n')  # links an object by path
    assert "cmake workers 3 counter 150000" in run(build(project))


@pytest.mark.toolchain("rust")
def test_cargo_project_in_a_spaced_directory(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("rust")
    project = spaced(project_copy("rust-fib"))
    assert "fib(10) x 2 = 110" in run(build(project), "2", "10")
