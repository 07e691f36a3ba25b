"""The CMake module scikit-build-core finds: `find_package(Wasmpack)` with real CMake.

No compiler is needed: the projects use `LANGUAGES NONE` and a preset toolchain
file, so these check the module's own logic (the full build is in
tests/integration/test_wheels.py).
"""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from wasmpack_mt import __version__
from wasmpack_mt.cmake import MODULE_DIR

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(shutil.which("cmake") is None, reason="needs cmake")


def configure(tmp_path: Path, body: str) -> subprocess.CompletedProcess[str]:
    """Configure a project whose CMakeLists.txt is `body`, with the module on the prefix path."""
    source = tmp_path / "src"
    source.mkdir()
    (source / "CMakeLists.txt").write_text(
        f"cmake_minimum_required(VERSION 3.20)\n{body}\n", encoding="utf-8"
    )
    preset = tmp_path / "preset.cmake"
    preset.write_text("# a toolchain file chosen by the user\n", encoding="utf-8")
    return subprocess.run(
        [
            "cmake", "-S", source, "-B", tmp_path / "build",
            f"-DCMAKE_PREFIX_PATH={MODULE_DIR}", f"-DCMAKE_TOOLCHAIN_FILE={preset}",
        ],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip


def test_scikit_build_core_entry_points_name_the_module_directory() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    entry_points = pyproject["project"]["entry-points"]
    assert entry_points["cmake.module"] == {"wasmpack": "wasmpack_mt.cmake"}
    assert entry_points["cmake.prefix"] == {"wasmpack": "wasmpack_mt.cmake"}
    names = {p.name for p in MODULE_DIR.iterdir()}
    assert {"Wasmpack.cmake", "WasmpackConfig.cmake", "WasmpackConfigVersion.cmake"} <= names


def test_find_package_checks_the_version_and_defines_the_function(tmp_path: Path) -> None:
    result = configure(
        tmp_path,
        f"find_package(Wasmpack {__version__} REQUIRED)\nproject(demo LANGUAGES NONE)\n"
        'if(COMMAND wasmpack_add_artifact)\n  message(STATUS "has wasmpack_add_artifact")\n'
        "endif()\n",
    )
    assert result.returncode == 0, result.stderr
    assert "has wasmpack_add_artifact" in result.stdout


def test_a_newer_version_than_installed_is_refused(tmp_path: Path) -> None:
    result = configure(tmp_path, "find_package(Wasmpack 99 REQUIRED)\nproject(demo LANGUAGES NONE)")
    assert result.returncode != 0
    assert f"version: {__version__}" in result.stderr or __version__ in result.stderr


def test_including_after_project_names_the_fix(tmp_path: Path) -> None:
    result = configure(tmp_path, "project(demo LANGUAGES NONE)\nfind_package(Wasmpack REQUIRED)")
    assert result.returncode != 0
    assert "move it above project()" in " ".join(result.stderr.split())


def test_add_artifact_needs_a_target(tmp_path: Path) -> None:
    result = configure(
        tmp_path,
        "find_package(Wasmpack REQUIRED)\nproject(demo LANGUAGES NONE)\n"
        "wasmpack_add_artifact(nope)",
    )
    assert result.returncode != 0
    assert "nope is not a target" in " ".join(result.stderr.split())
