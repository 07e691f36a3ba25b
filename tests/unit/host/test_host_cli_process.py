"""`wasmpack run` as its own process: wasm runs without epoch checks, and the run still ends
when any thread traps or exits, or at --timeout, while other threads compute or wait."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from host_wat import EXIT_42, SPIN, TRAP, WAIT, behaviour_module

SAFETY_TIMEOUT = 60.0  # a run that does not end fails the test instead of hanging it


def wasmpack_run(tmp_path: Path, wasm: bytes, *options: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "prog.wasm"
    path.write_bytes(wasm)
    return subprocess.run(
        [sys.executable, "-m", "wasmpack_mt", "run", str(path), *options],
        capture_output=True,
        text=True,
        timeout=SAFETY_TIMEOUT,
        check=False,
    )


@pytest.mark.parametrize("other", [SPIN, WAIT])
def test_a_trap_in_a_thread_ends_the_process(tmp_path: Path, other: int) -> None:
    wasm = behaviour_module("unreachable", f"(call $behave (i32.const {other}))")
    done = wasmpack_run(tmp_path, wasm)
    assert done.returncode == 134
    assert "wasm trap in thread 1" in done.stderr


@pytest.mark.parametrize("who", ["worker", "main"])
def test_proc_exit_in_any_thread_ends_the_process(tmp_path: Path, who: str) -> None:
    exits, spins = f"(call $behave (i32.const {EXIT_42}))", f"(call $behave (i32.const {SPIN}))"
    wasm = behaviour_module(exits, spins) if who == "worker" else behaviour_module(spins, exits)
    assert wasmpack_run(tmp_path, wasm).returncode == 42


def test_timeout_ends_computing_threads(tmp_path: Path) -> None:
    wasm = behaviour_module(f"(call $behave (i32.const {SPIN}))", "(loop $l (br $l))")
    done = wasmpack_run(tmp_path, wasm, "--timeout", "0.3")
    assert done.returncode == 124
    assert "--timeout" in done.stderr


def test_main_returning_ends_the_run_while_a_worker_computes(tmp_path: Path) -> None:
    wasm = behaviour_module(f"(call $behave (i32.const {SPIN}))", "")
    assert wasmpack_run(tmp_path, wasm).returncode == 0


def test_a_trap_in_main_is_reported(tmp_path: Path) -> None:
    wasm = behaviour_module(
        f"(call $behave (i32.const {SPIN}))", f"(call $behave (i32.const {TRAP}))"
    )
    done = wasmpack_run(tmp_path, wasm)
    assert done.returncode == 134
    assert "wasm trap in the main thread" in done.stderr
