"""Porting existing builds: CMake, make and configure under `wasmpack env`, real clang + host."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import ProjectCopy, ToolchainFor, build, run, wasmpack

from wasmpack_mt.bundle import read_manifest
from wasmpack_mt.wasm.check import check_module

pytestmark = pytest.mark.toolchain("c")


def assert_threaded(module: Path) -> None:
    report = check_module(module.read_bytes())
    assert not report.errors, report.errors
    assert report.summary.threaded


def test_cmake_project_with_find_package_threads(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("c")
    project = project_copy("cmake-threads")
    result = wasmpack("build", project)
    assert "Found Threads: TRUE" in result.stdout + result.stderr
    artifact = Path(result.stdout.strip().splitlines()[-1])
    assert artifact == project / "dist" / "cmakethreads.wasm"
    assert "cmake workers 3 counter 150000" in run(artifact)  # cache = { COUNTER_WORKERS = 3 }
    manifest = read_manifest(artifact.read_bytes())
    assert manifest is not None and manifest.languages == ("c",)


def test_cmake_with_two_executables_needs_a_target(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("c")
    project = project_copy("cmake-threads")
    (project / "wasmpack.toml").write_text('kind = "cmake"\n')
    result = wasmpack("build", project, expect=2)
    assert "2 executables (counter, helper)" in result.stderr.splitlines()[-1]


def test_cmake_toolchain_file_by_hand(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("c")
    project = project_copy("cmake-threads")
    toolchain_file = Path(wasmpack("cmake-toolchain").stdout.strip())
    assert "set(CMAKE_SYSTEM_NAME WASI)" in toolchain_file.read_text()
    build_dir = project / "out"
    wasmpack(
        "env", "--", "cmake", "-S", project, "-B", build_dir,
        f"-DCMAKE_TOOLCHAIN_FILE={toolchain_file}", "-DCMAKE_BUILD_TYPE=Release",
    )  # fmt: skip
    wasmpack("env", "--", "cmake", "--build", build_dir, "--target", "counter")
    assert_threaded(build_dir / "counter.wasm")
    assert "cmake workers 2 counter 100000" in run(build_dir / "counter.wasm")
    # ctest runs the module through the toolchain file's emulator (the wasmpack runner).
    tested = subprocess.run(
        ["ctest", "--test-dir", str(build_dir), "--output-on-failure"],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "100% tests passed" in tested.stdout


def test_makefile_through_wasmpack_env(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("c")
    project = project_copy("make-threads")
    wasmpack("env", "--", "make", "-C", project)
    assert_threaded(project / "sum.wasm")
    assert "make sum 499999500000" in run(project / "sum.wasm")


def test_makefile_as_command_kind(toolchain_for: ToolchainFor, project_copy: ProjectCopy) -> None:
    toolchain_for("c")
    artifact = build(project_copy("make-threads"))
    assert artifact.name == "makethreads.wasm"
    assert "make sum 499999500000" in run(artifact)


def test_configure_script_with_host_triple(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("c")
    project = project_copy("configure-threads")
    configure = wasmpack("env", "--", "./configure", "--host=wasm32-wasip1-threads", cwd=project)
    assert "checking for pthread_create... yes" in configure.stdout
    wasmpack("env", "--", "make", cwd=project)
    assert "configured for wasm32-wasip1-threads, thread says 42" in run(project / "worker.wasm")
    # The same project through `wasmpack build` (kind = "command").
    assert_threaded(build(project))


def test_env_prints_shell_exports(toolchain_for: ToolchainFor) -> None:
    toolchain_for("c")
    exports = wasmpack("env", "--lang", "c").stdout
    names = [line.split("=", 1)[0] for line in exports.splitlines()]
    for name in ("CC", "CXX", "AR", "RANLIB", "NM", "CFLAGS", "CXXFLAGS", "LDFLAGS"):
        assert f"export {name}" in names
    assert "--target=wasm32-wasip1-threads" in exports
    assert "-Wl,--max-memory=1073741824" in exports
    assert shutil.which("sh")
    shown = subprocess.run(
        ["sh", "-c", f'eval "$({sys.executable} -m wasmpack_mt env --lang c)"; echo "$CC"'],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--target=wasm32-wasip1-threads" in shown.stdout


def test_failing_command_under_env_exits_non_zero(toolchain_for: ToolchainFor) -> None:
    toolchain_for("c")
    result = wasmpack("env", "--", "sh", "-c", "exit 3", expect=4)
    assert result.stderr.strip().splitlines()[-1].startswith("error: sh failed (exit 3)")


def test_command_kind_gives_identical_bytes_in_another_directory(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy, tmp_path: Path
) -> None:
    toolchain_for("c")
    project = project_copy("configure-threads")
    elsewhere = tmp_path / "another" / "place"
    shutil.copytree(project, elsewhere)
    # ./configure writes config.mk with absolute paths: not a source, so not in the digest.
    first = build(project).read_bytes()
    assert "/" in (project / "config.mk").read_text()
    assert build(elsewhere).read_bytes() == first


def test_dangling_editor_lock_does_not_break_the_build(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("c")
    project = project_copy("make-threads")
    (project / ".#main.c").symlink_to("user@host.4242:1700000000")  # Emacs's lock file
    assert "make sum 499999500000" in run(build(project))


def test_cmake_project_links_the_listed_libraries(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("c")
    artifact = build(project_copy("cmake-libraries"))  # getpid() needs -lwasi-emulated-getpid
    assert "same in a thread: yes" in run(artifact)
