"""Imports and entry points the host used to crash or hang on: repeated imports, `_start`
or `wasi_thread_start` of the wrong type, and a host-side error in any thread."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import support
import wasmtime
from host_wat import RETURN, behaviour_module

from wasmpack_mt.errors import HostError
from wasmpack_mt.host import Program, RunResult, native

Runner = Callable[..., RunResult]


def wat(text: str) -> bytes:
    return bytes(wasmtime.wat2wasm(text))


def _writes_hi_through(second_import: str) -> bytes:
    """A module importing fd_write twice (the second as `second_import`), printing "hi" once."""
    return wat(f"""
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" {second_import})
  (memory (export "memory") 1)
  (data (i32.const 16) "hi")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 2))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
""")


def test_one_function_imported_twice_runs(bounded: Runner) -> None:
    wasm = _writes_hi_through("(func $again (param i32 i32 i32 i32) (result i32))")
    stdout = io.BytesIO()
    result = bounded(Program.load(wasm), stdout=stdout)
    assert (result.exit_code, stdout.getvalue()) == (0, b"hi")


def test_one_function_imported_twice_with_different_types_is_refused() -> None:
    wasm = _writes_hi_through("(func $wrong (param i64) (result i32))")
    with pytest.raises(HostError, match=r"fd_write.*rebuild it for wasm32-wasip1-threads"):
        Program.load(wasm).run()


def test_start_with_a_parameter_is_refused_up_front(tmp_path: Path) -> None:
    wasm = wat('(module (memory (export "memory") 1) (func (export "_start") (param i32)))')
    with pytest.raises(HostError, match=r"exports _start as \(i32\) -> \(\)"):
        Program.load(wasm)
    path = tmp_path / "start.wasm"
    path.write_bytes(wasm)
    result = support.wasmpack("run", path, expect=HostError.exit_code, timeout=60)
    assert result.stderr.startswith("error: the module exports _start as (i32) -> ()")


def test_thread_start_of_the_wrong_type_is_refused_up_front() -> None:
    wasm = wat("""
(module
  (import "env" "memory" (memory 1 2 shared))
  (import "wasi" "thread-spawn" (func (param i32) (result i32)))
  (func (export "wasi_thread_start") (param i32))
  (func (export "_start")))
""")
    with pytest.raises(HostError, match=r"exports wasi_thread_start as \(i32\) -> \(\)"):
        Program.load(wasm)


@pytest.mark.parametrize("entry", ["_start", "wasi_thread_start"])
def test_an_entry_point_that_is_no_function_is_refused_up_front(entry: str) -> None:
    exports = {
        "_start": '(func (export "_start"))',
        "wasi_thread_start": '(func (export "wasi_thread_start") (param i32 i32))',
    }
    exports[entry] = f'(global (export "{entry}") i32 (i32.const 0))'
    wasm = wat(f"""
(module
  (import "env" "memory" (memory 1 2 shared))
  (import "wasi" "thread-spawn" (func (param i32) (result i32)))
  {exports["_start"]}
  {exports["wasi_thread_start"]})
""")
    with pytest.raises(HostError, match=f"exports {entry} as a global, but hosts call it"):
        Program.load(wasm)


def _failing_call_func(
    monkeypatch: pytest.MonkeyPatch, fails: Callable[[Sequence[int | float]], bool]
) -> None:
    """Make `native.call_func` raise (a host bug) once, for the first call `fails` picks."""
    real = native.call_func
    failed: list[bool] = []

    def call_func(
        store: wasmtime.Store,
        func: wasmtime.Func,
        args: Sequence[int | float],
        signature: native.Signature | None = None,
    ) -> list[int | float] | native.CallFailure:
        if not failed and fails(args):
            failed.append(True)
            raise RuntimeError("host bug")
        return real(store, func, args, signature)

    monkeypatch.setattr(native, "call_func", call_func)


def test_a_host_error_in_the_main_thread_ends_the_run(
    bounded: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = Program.load(behaviour_module("", f"(call $behave (i32.const {RETURN}))"))
    _failing_call_func(monkeypatch, lambda args: not args)  # `_start()` takes no arguments
    result = bounded(program)
    assert (result.exit_code, result.reason) == (HostError.exit_code, "host-error")
    assert "internal error in the main thread (_start): RuntimeError('host bug')" in result.report


def test_a_host_error_in_a_spawned_thread_ends_the_run(
    bounded: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the main thread waits for a worker that never starts: only ending the run frees it
    program = Program.load(behaviour_module("", f"(call $behave (i32.const {RETURN}))"))
    _failing_call_func(monkeypatch, lambda args: len(args) == 2)  # wasi_thread_start(tid, arg)
    result = bounded(program)
    assert (result.exit_code, result.reason) == (HostError.exit_code, "host-error")
    assert "internal error in thread 1: RuntimeError('host bug')" in result.report
