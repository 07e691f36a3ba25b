"""The resolved toolchains really build threaded C, C++ and Rust for wasm32-wasip1-threads."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
import wasmtime

from wasmpack_mt.process import run
from wasmpack_mt.toolchains.model import ClangToolchain, Language, RustToolchain, Toolchain

MAX_MEMORY = 64 * 1024 * 1024
pytestmark = pytest.mark.slow


def thread_abi(module_path: Path) -> tuple[dict[tuple[str, str | None], object], set[str]]:
    """The module's imports (by module and name) and export names."""
    config = wasmtime.Config()
    config.wasm_threads = True
    config.shared_memory = True
    module = wasmtime.Module(wasmtime.Engine(config), module_path.read_bytes())
    imports: dict[tuple[str, str | None], object] = {
        (item.module, item.name): item.type for item in module.imports
    }
    return imports, {item.name for item in module.exports}


def assert_wasi_threads_module(module_path: Path) -> None:
    """Shared imported env.memory that can grow, wasi.thread-spawn, and the thread entry."""
    imports, exports = thread_abi(module_path)
    memory = imports[("env", "memory")]
    assert isinstance(memory, wasmtime.MemoryType)
    assert memory.is_shared
    assert memory.limits.max is not None and memory.limits.max > memory.limits.min
    spawn = imports[("wasi", "thread-spawn")]
    assert isinstance(spawn, wasmtime.FuncType)
    assert [str(t) for t in spawn.params] == ["i32"] and [str(t) for t in spawn.results] == ["i32"]
    assert {"wasi_thread_start", "memory", "_start"} <= exports


def run_on_our_host(module_path: Path, capfd: pytest.CaptureFixture[str]) -> str:
    """Run the module with `wasmpack run` (real threads); return its stdout."""
    from wasmpack_mt.cli import main

    code = main(["run", os.fspath(module_path), "--timeout", "120"])
    out = capfd.readouterr().out
    assert code == 0, out
    return out


def clang(toolchain_for: Callable[[Language], Toolchain], lang: Language) -> ClangToolchain:
    """The resolved clang toolchain for C or C++."""
    toolchain = toolchain_for(lang)
    assert isinstance(toolchain, ClangToolchain)
    return toolchain


def test_pthread_c_program(
    toolchain_for: Callable[[Language], Toolchain],
    project_copy: Callable[[str], Path],
    capfd: pytest.CaptureFixture[str],
) -> None:
    toolchain = clang(toolchain_for, "c")
    project = project_copy("toolchain-threads")
    output = project / "main.wasm"
    run(
        [
            toolchain.cc,
            *toolchain.cflags(),
            "-O2",
            project / "main.c",
            *toolchain.ldflags(),
            f"-Wl,--max-memory={MAX_MEMORY}",
            "-o",
            output,
        ],
        step="compile main.c",
    )
    assert_wasi_threads_module(output)
    _, exports = thread_abi(output)
    assert {"malloc", "free"} <= exports
    assert "both threads passed the barrier: 1" in run_on_our_host(output, capfd)


def test_std_thread_cxx_program(
    toolchain_for: Callable[[Language], Toolchain],
    project_copy: Callable[[str], Path],
    capfd: pytest.CaptureFixture[str],
) -> None:
    toolchain = clang(toolchain_for, "cxx")
    assert toolchain.cxx_threads
    project = project_copy("toolchain-threads")
    output = project / "main-cxx.wasm"
    run(
        [
            toolchain.cxx,
            *toolchain.cxxflags(),
            "-O2",
            project / "main.cpp",
            *toolchain.ldflags(),
            f"-Wl,--max-memory={MAX_MEMORY}",
            "-o",
            output,
        ],
        step="compile main.cpp",
    )
    assert_wasi_threads_module(output)
    assert "total 10" in run_on_our_host(output, capfd)


def test_std_thread_rust_crate(
    toolchain_for: Callable[[Language], Toolchain],
    project_copy: Callable[[str], Path],
    capfd: pytest.CaptureFixture[str],
) -> None:
    toolchain = toolchain_for("rust")
    assert isinstance(toolchain, RustToolchain)
    project = project_copy("toolchain-rust-threads")
    env = toolchain.env(dict(os.environ))
    env["CARGO_TARGET_DIR"] = os.fspath(project / "target")
    run(
        [
            toolchain.cargo,
            "build",
            "--release",
            "--offline",
            "-j",
            "2",
            "--target",
            toolchain.triple,
        ],
        step="cargo build",
        cwd=project,
        env=env,
    )
    output = project / "target" / toolchain.triple / "release" / "toolchain-rust-threads.wasm"
    assert_wasi_threads_module(output)
    assert "both threads passed the barrier: true" in run_on_our_host(output, capfd)
