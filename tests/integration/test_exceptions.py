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
    assert manifest is not None and manifest.features == ("exceptions",)
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
