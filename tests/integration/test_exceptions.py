"""C++ exceptions and setjmp/longjmp in threads, with the real cxx-eh toolchain and host."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import ProjectCopy, ToolchainFor, build, wasmpack

from wasmpack_mt.bundle import read_manifest
from wasmpack_mt.process import run
from wasmpack_mt.toolchains.model import ClangToolchain

pytestmark = pytest.mark.toolchain("cxx-eh")


def test_threads_throw_and_catch_and_a_future_carries_the_exception(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("cxx-eh")
    artifact = build(project_copy("cxx-exceptions"))
    ran = wasmpack("run", artifact).stdout
    # 4 workers x 100 throws, each caught in its own thread, all 4 inside at once.
    assert "caught 400 met 4" in ran
    assert "future: worker 2" in ran  # thrown in the async thread, caught by get()
    assert "total 10" in ran  # std::thread + std::mutex as usual
    manifest = read_manifest(artifact.read_bytes())
    assert manifest is not None and manifest.features == ("simd", "exceptions")
    assert "-fwasm-exceptions" in manifest.build_flags
    checked = wasmpack("check", artifact).stdout
    assert "exceptions: yes, standard encoding (exnref" in checked


def test_an_uncaught_exception_in_a_thread_ends_the_run_like_a_trap(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("cxx-eh")
    artifact = build(project_copy("cxx-exceptions"))
    result = wasmpack("run", artifact, "--", "uncaught", expect=134)
    assert "in thread 1" in result.stderr


def test_setjmp_longjmp_across_functions_in_two_threads(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy
) -> None:
    toolchain_for("cxx-eh")
    ran = wasmpack("run", build(project_copy("c-setjmp"))).stdout
    # sum of round * (id + 1) for rounds 1..1000; 0 unless both threads met.
    assert "thread 0 jumped 500500" in ran and "thread 1 jumped 1001000" in ran


@pytest.mark.parametrize(
    ("project", "what"), [("cxx-exceptions", "C++ exceptions"), ("c-setjmp", "setjmp/longjmp")]
)
def test_without_the_option_the_build_fails_naming_it(
    toolchain_for: ToolchainFor, project_copy: ProjectCopy, project: str, what: str
) -> None:
    toolchain_for("cxx")
    copy = project_copy(project)
    config = copy / "wasmpack.toml"
    config.write_text(config.read_text().replace("exceptions = true\n", ""))
    result = wasmpack("build", copy, expect=4)
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: src/main.c") and f"uses {what}" in last
    assert "set exceptions = true in wasmpack.toml" in last


SETJMP_C = r"""
#include <setjmp.h>
#include <stdio.h>
static jmp_buf back;
static void jump(void) { longjmp(back, 42); }
int main(void) { int got = setjmp(back); if (!got) jump(); printf("%d\n", got); return 0; }
"""


def test_legacy_exception_module_is_named_by_check_and_run(
    toolchain_for: ToolchainFor, tmp_path: Path
) -> None:
    # The default toolchain's clang emits the legacy encoding when asked for sjlj alone,
    # as pigz's build did in the issue.
    toolchain = toolchain_for("c")
    assert isinstance(toolchain, ClangToolchain)
    source = tmp_path / "jump.c"
    source.write_text(SETJMP_C)
    module = tmp_path / "jump.wasm"
    run(
        [toolchain.cc, *toolchain.cflags(), "-O2", "-mllvm", "-wasm-enable-sjlj", source,
         *toolchain.ldflags(), "-lsetjmp", "-Wl,--max-memory=67108864", "-o", module],
        step="compile legacy sjlj",
    )  # fmt: skip
    checked = wasmpack("check", module, expect=6)
    assert "error[legacy-exceptions]" in checked.stdout
    assert "-mllvm -wasm-use-legacy-eh=false" in checked.stdout
    assert "[invalid-module]" not in checked.stdout
    ran = wasmpack("run", module, expect=7)
    assert "legacy wasm exception-handling encoding" in ran.stderr
    assert "not a valid WebAssembly module" not in ran.stderr


CMAKE_LISTS = """cmake_minimum_required(VERSION 3.20)
project(throwing CXX)
find_package(Threads REQUIRED)
add_executable(throwing main.cpp)
target_compile_options(throwing PRIVATE -fexceptions)
target_link_libraries(throwing Threads::Threads)
"""
CMAKE_MAIN = r"""
#include <cstdio>
#include <stdexcept>
#include <thread>
int main() {
    int caught = 0;
    std::thread worker([&] {
        try { throw std::out_of_range("cmake"); } catch (const std::exception &e) { caught = 1; }
    });
    worker.join();
    std::printf("cmake caught %d\n", caught);
}
"""


@pytest.mark.parametrize("exceptions", [True, False])
def test_cmake_project_with_fexceptions(
    toolchain_for: ToolchainFor, tmp_path: Path, exceptions: bool
) -> None:
    toolchain_for("cxx-eh" if exceptions else "cxx")
    (tmp_path / "CMakeLists.txt").write_text(CMAKE_LISTS)
    (tmp_path / "main.cpp").write_text(CMAKE_MAIN)
    setting = "exceptions = true\n" if exceptions else ""
    (tmp_path / "wasmpack.toml").write_text(f'name = "throwing"\nkind = "cmake"\n{setting}')
    if not exceptions:
        # -fexceptions overrides the default -fno-exceptions; libc++abi has no throw.
        last = wasmpack("build", tmp_path, expect=4).stderr.strip().splitlines()[-1]
        assert "main.cpp:" in last and "set exceptions = true in wasmpack.toml" in last
        return
    assert "cmake caught 1" in wasmpack("run", build(tmp_path)).stdout
