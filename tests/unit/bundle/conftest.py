"""A small threaded module and a manifest for the bundle tests."""

from __future__ import annotations

import pytest
import wasmtime

from wasmpack_mt.bundle import Manifest

MODULE_WAT = """(module
  (import "env" "memory" (memory 2 1024 shared))
  (import "wasi" "thread-spawn" (func (param i32) (result i32)))
  (func (export "wasi_thread_start") (param i32 i32))
  (func (export "_start"))
  (export "memory" (memory 0)))"""


@pytest.fixture
def module_bytes() -> bytes:
    return bytes(wasmtime.wat2wasm(MODULE_WAT))


@pytest.fixture
def manifest() -> Manifest:
    return Manifest(
        name="fib",
        version="0.1.0",
        entry="command",
        memory_min_pages=2,
        memory_max_pages=1024,
        max_threads=8,
        languages=("c", "cxx"),
        toolchain="system-clang",
        toolchain_version="19.1.7",
        source_digest="sha256:" + "ab" * 32,
        build_flags=("-O2", "-pthread", "-Wl,--max-memory=67108864"),
    )
