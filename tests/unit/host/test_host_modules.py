"""Which modules the host runs or refuses, and the compiled-module cache."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import wasmtime

from wasmpack_mt.errors import HostError, UsageError
from wasmpack_mt.host import Limits, Program, RunResult
from wasmpack_mt.host.engine import modules_dir

Runner = Callable[..., RunResult]


def wat(text: str) -> bytes:
    return bytes(wasmtime.wat2wasm(text))


PLAIN = wat("""
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") (call $exit (i32.const 5))))
""")


def test_plain_wasip1_module_runs(bounded: Runner) -> None:
    assert bounded(Program.load(PLAIN)).exit_code == 5


def test_own_shared_memory_without_thread_spawn_runs_single_threaded(bounded: Runner) -> None:
    wasm = wat("""
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1 1 shared)
  (func (export "_start")
    (i32.atomic.store (i32.const 0) (i32.const 6))
    (call $exit (i32.atomic.load (i32.const 0)))))
""")
    assert bounded(Program.load(wasm)).exit_code == 6


def test_own_memory_with_thread_spawn_is_refused() -> None:
    wasm = wat("""
(module
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (memory (export "memory") 1 1 shared)
  (func (export "wasi_thread_start") (param i32 i32))
  (func (export "_start")))
""")
    with pytest.raises(HostError, match="defines its own memory"):
        Program.load(wasm)


def test_unknown_import_is_refused() -> None:
    wasm = wat('(module (import "env" "mystery" (func)) (func (export "_start")))')
    with pytest.raises(HostError, match=r"env\.mystery"):
        Program.load(wasm)


def test_not_wasm_is_refused() -> None:
    with pytest.raises(HostError, match="not a WebAssembly binary"):
        Program.load(b"hello")


def test_memory_limit_below_the_module_minimum_is_refused() -> None:
    wasm = wat("""
(module
  (import "env" "memory" (memory 64 128 shared))
  (func (export "_start")))
""")
    with pytest.raises(HostError, match="--max-memory"):
        Program.load(wasm).run(limits=Limits(max_memory=2**20))


def test_second_load_hits_the_cache_and_corruption_recompiles(bounded: Runner) -> None:
    assert not Program.load(PLAIN).was_cached
    assert Program.load(PLAIN).was_cached
    (entry,) = modules_dir().glob("*.cwasm")
    blob = bytearray(entry.read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    entry.write_bytes(bytes(blob))
    program = Program.load(PLAIN)
    assert not program.was_cached
    assert bounded(program).exit_code == 5
    assert Program.load(PLAIN).was_cached


def test_wasi_import_with_a_wrong_signature_is_refused() -> None:
    wasm = wat("""
(module
  (import "wasi_snapshot_preview1" "fd_write" (func (param i64) (result i32)))
  (memory (export "memory") 1)
  (func (export "_start")))
""")
    with pytest.raises(HostError, match="fd_write"):
        Program.load(wasm).run()


def _hi_module(memory: str) -> bytes:
    """A module defining `memory` that writes "hi" to stdout and exits with fd_write's errno."""
    return wat(f"""
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  {memory}
  (data (i32.const 16) "hi")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 2))
    (call $exit (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
""")


@pytest.mark.parametrize(
    "memory", ['(memory (export "memory") 1)', '(memory (export "memory") 1 1 shared)']
)
def test_module_with_its_own_memory_writes_to_stdout(
    bounded: Runner, tmp_path: Path, memory: str
) -> None:
    out = tmp_path / "out"
    with out.open("wb") as stdout:
        result = bounded(Program.load(_hi_module(memory)), stdout=stdout)
    assert (result.exit_code, out.read_bytes()) == (0, b"hi")


def test_uninterruptible_programs_run_and_are_cached_apart(bounded: Runner) -> None:
    fast = Program.load(PLAIN, interruptible=False)
    assert not fast.was_cached
    assert not Program.load(PLAIN).was_cached  # compiled for the other engine
    assert Program.load(PLAIN, interruptible=False).was_cached
    result = bounded(fast)
    assert (result.exit_code, result.threads_left_running) == (5, False)


def test_a_reactor_needs_an_interruptible_program() -> None:
    with pytest.raises(UsageError, match="interruptible=True"):
        Program.load(PLAIN, interruptible=False).reactor()
