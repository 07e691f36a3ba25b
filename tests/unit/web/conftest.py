"""Small modules and a stand-in node_modules for the web stage's tests."""

from __future__ import annotations

from pathlib import Path

import pytest
import wasmtime

from wasmpack_mt.web.libraries import PACKAGES

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


@pytest.fixture
def node_modules(tmp_path: Path) -> Path:
    """The folders `npm ci` would make, each with one file (the page's own tests use real ones)."""
    modules = tmp_path / "node_modules"
    for package, files in PACKAGES.values():
        (modules / package / files).mkdir(parents=True)
        (modules / package / files / "index.js").write_text("export {}\n")
        (modules / package / "LICENSE").write_text("license text\n")
    return modules
