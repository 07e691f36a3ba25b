"""WAT fixtures for the wasm stage: a good wasi-threads module and variations of it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import wasmtime

GOOD_PARTS: dict[str, str] = {
    "memory_import": '(import "env" "memory" (memory 2 1024 shared))',
    "spawn": '(import "wasi" "thread-spawn" (func (param i32) (result i32)))',
    "imports": '(import "wasi_snapshot_preview1" "fd_write"'
    " (func (param i32 i32 i32 i32) (result i32)))",
    "memory_def": "",
    "thread_start": '(func (export "wasi_thread_start") (param i32 i32))',
    "start": '(func (export "_start"))',
    "memory_export": '(export "memory" (memory 0))',
    "allocator": '(func (export "malloc") (param i32) (result i32) i32.const 0)'
    ' (func (export "free") (param i32))',
}

WatBuilder = Callable[..., bytes]


def build_wat(**overrides: str) -> bytes:
    """The good threaded module with some of its parts replaced (an empty string drops one)."""
    unknown = set(overrides) - set(GOOD_PARTS)
    assert not unknown, f"unknown parts {unknown}"
    parts = {**GOOD_PARTS, **overrides}
    return bytes(wasmtime.wat2wasm(f"(module {' '.join(parts.values())})"))


@pytest.fixture
def wat() -> WatBuilder:
    """`wat(**parts)`: compile the good module with parts replaced."""
    return build_wat


@pytest.fixture
def good_wasm() -> bytes:
    """A module following the wasi-threads ABI exactly as clang + wasi-libc produce it."""
    return build_wat()
