"""The POSIX compatibility layer, the CMake toolchain under user flags, and autotools variables.

Real clang, real CMake, our host and Node: what wasi-libc leaves out builds and
answers as documented (docs/porting.md), and the core count is the host's.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from node_host import node_binary, run_on_node
from support import ProjectCopy, ToolchainFor, build, wasmpack

from wasmpack_mt.host.cpus import host_cpus

pytestmark = pytest.mark.toolchain("cxx")

EXPECTED = [
    "pagesize 65536",
    "phys pages -1",
    "pipe ok",
    "dup -1 ENOSYS",
    "dup2 same 1",
    "chown -1 ENOSYS",
    "fchown -1 ENOSYS",
    "ids 65534 65534 65534 65534",
    "alarm 0",
    "getpid positive",
    "clock ok",
    "blocked SIGINT 1 SIGTERM 1",
    "unblocked SIGINT 0",
    "sigaction ok",
    "handler kept 1",
    "raised, caught 10",
    "siginfo handler -1 Not supported",
    "mkstemp created",
    "pipe carried 'through the pipe', then end of file 0",
    "priority 0, raise it -1 ENOSYS",
]


def test_what_wasi_libc_lacks_builds_and_answers_as_documented(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy, tmp_path: Path
) -> None:
    toolchain_for("cxx")
    artifact = build(project_copy("posix-compat"))
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    lines = wasmpack("run", artifact, "--dir", scratch, "--", scratch).stdout.splitlines()
    for line in EXPECTED:
        assert line in lines
    assert list(scratch.iterdir()) == []  # mkstemp's file was created, then removed


def test_the_core_count_is_the_hosts(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy, tmp_path: Path
) -> None:
    toolchain_for("cxx")
    artifact = build(project_copy("posix-compat"))

    def counts(*options: str) -> list[str]:
        out = wasmpack("run", artifact, "--dir", tmp_path, *options, "--", tmp_path).stdout
        return out.splitlines()[:2]

    cores = min(host_cpus(), 64)  # the manifest's default max-threads is 64
    assert counts() == [f"hardware_concurrency {cores}", f"nprocs {cores} {cores} {cores}"]
    assert counts("--env", "WASMPACK_CPUS=3") == ["hardware_concurrency 3", "nprocs 3 3 3"]
    assert counts("--max-threads", "1") == ["hardware_concurrency 1", "nprocs 1 1 1"]


def test_the_node_runner_passes_the_core_count(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy, tmp_path: Path
) -> None:
    toolchain_for("cxx")
    node = node_binary()
    artifact = build(project_copy("posix-compat"))
    result = run_on_node(node, artifact, str(tmp_path), dirs=[tmp_path])
    assert result.returncode == 0, result.stderr.decode()
    cores = host_cpus()
    assert result.stdout.decode().splitlines()[:2] == [
        f"hardware_concurrency {cores}",
        f"nprocs {cores} {cores} {cores}",
    ]


def test_the_layer_can_be_turned_off(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("cxx")
    project = project_copy("posix-compat")
    config = project / "wasmpack.toml"
    config.write_text(config.read_text() + "posix-compat = false\n")
    result = wasmpack("build", project, expect=4)
    assert "call to undeclared function 'pipe'" in result.stdout + result.stderr
    hints = [line for line in result.stderr.splitlines() if line.startswith("hint: ")]
    assert any(h.startswith("hint: pipe, ") and "posix-compat = false" in h for h in hints), hints
    config.write_text(config.read_text().replace("posix-compat = false\n", ""))
    wasmpack("build", project, "--no-posix-compat", expect=4)
    env = wasmpack("env", "--no-posix-compat").stdout
    assert "_WASI_EMULATED_SIGNAL" not in env and "wasmpack-posix" not in env
    plain = Path(wasmpack("cmake-toolchain", "--no-posix-compat").stdout.strip())
    assert "wasmpack-posix" not in plain.read_text()


def test_cmake_toolchain_keeps_its_flags_whatever_the_user_passes(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy, tmp_path: Path
) -> None:
    toolchain_for("cxx")
    project = project_copy("posix-compat")
    (project / "CMakeLists.txt").write_text(
        "cmake_minimum_required(VERSION 3.16)\n"
        "project(compat C CXX)\n"
        "add_executable(compat main.cpp posix.c)\n"
    )
    toolchain_file = wasmpack("cmake-toolchain").stdout.strip()
    build_dir = tmp_path / "out"
    wasmpack(
        "env", "--", "cmake", "-S", project, "-B", build_dir,
        f"-DCMAKE_TOOLCHAIN_FILE={toolchain_file}", "-DCMAKE_BUILD_TYPE=Release",
        "-DCMAKE_C_FLAGS=-Wall", "-DCMAKE_CXX_FLAGS=-Wall", "-DCMAKE_EXE_LINKER_FLAGS=-Wl,-O1",
    )  # fmt: skip
    wasmpack("env", "--", "cmake", "--build", build_dir)
    out = wasmpack("run", build_dir / "compat.wasm", "--dir", tmp_path, "--", tmp_path).stdout
    assert "sigaction ok" in out.splitlines()  # -pthread, the compat layer and the link survived


def test_env_sets_what_autotools_needs(toolchain_for: ToolchainFor, tmp_path: Path) -> None:
    toolchain_for("c")
    exports = wasmpack("env", "--lang", "c").stdout
    assert "export WASMPACK_HOST_TRIPLE=wasm32-wasi\n" in exports
    probe = (
        'printf "int main(void) { return 0; }\\n" > probe.c && "$CC_FOR_BUILD" probe.c -o probe'
        ' && ./probe && echo native && grep -c ac_cv_func_malloc_0_nonnull=  "$CONFIG_SITE"'
    )
    out = wasmpack("env", "--lang", "c", "--", "sh", "-c", probe, cwd=tmp_path).stdout
    assert out.split() == ["native", "1"]
    user = {**os.environ, "CC_FOR_BUILD": "/opt/my-cc"}
    assert "CC_FOR_BUILD=/opt/my-cc" in wasmpack("env", "--lang", "c", env=user).stdout


def test_a_command_without_main_fails_the_check(
    toolchain_for: ToolchainFor, tmp_path: Path
) -> None:
    toolchain_for("c")
    (tmp_path / "helper.c").write_text("int helper(void) { return 1; }\n")
    (tmp_path / "wasmpack.toml").write_text('name = "nomain"\nkind = "c"\nsources = ["*.c"]\n')
    result = wasmpack("build", tmp_path, expect=6)
    assert "error[main-not-linked]: `main` was never linked" in result.stderr
