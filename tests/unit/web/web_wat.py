"""Small hand-written modules for the web stage's tests."""

from __future__ import annotations

import wasmtime

THREADED_WAT = """(module
  (import "env" "memory" (memory 2 1024 shared))
  (import "wasi" "thread-spawn" (func (param i32) (result i32)))
  (func (export "wasi_thread_start") (param i32 i32))
  (func (export "_start"))
  (export "memory" (memory 0)))"""
PLAIN_WAT = '(module (memory (export "memory") 1) (func (export "_start")))'
REACTOR_WAT = '(module (memory (export "memory") 1) (func (export "work")))'


def wasm(wat: str) -> bytes:
    return bytes(wasmtime.wat2wasm(wat))
