"""`run_task` and `run_local` on hand-written WAT modules (no toolchain needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
import wasmtime

from wasmpack_mt.batch import Task, run_local, run_task
from wasmpack_mt.errors import UsageError
from wasmpack_mt.host import Limits, Program

WASI = "wasi_snapshot_preview1"

COMMANDS = {
    "exit-3": '(func (export "_start") (call $exit (i32.const 3)))',
    "trap": '(func (export "_start") unreachable)',
    "spin": '(func (export "_start") (loop $l (br $l)))',
    "hello": """
      (data (i32.const 16) "hello")
      (func (export "_start")
        (i32.store (i32.const 0) (i32.const 16))
        (i32.store (i32.const 4) (i32.const 5))
        (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))""",
    # Create `here` in the directory at fd 4, then wait (yielding) until `here` exists in
    # the one at fd 5, for at most DEADLINE_NS: it exits 0 only if another run made it
    # while this one waits, 1 if none did in time.
    "meet": """
      (data (i32.const 16) "here")
      (func $open (param $fd i32) (param $oflags i32) (result i32)
        (call $path_open (local.get $fd) (i32.const 0) (i32.const 16) (i32.const 4)
          (local.get $oflags) (i64.const 0x1fffffff) (i64.const 0x1fffffff) (i32.const 0)
          (i32.const 32)))
      (func $now (result i64)
        (drop (call $clock (i32.const 1) (i64.const 1) (i32.const 40)))
        (i64.load (i32.const 40)))
      (func (export "_start") (local $deadline i64)
        (local.set $deadline (i64.add (call $now) (i64.const DEADLINE_NS)))
        (if (call $open (i32.const 4) (i32.const 1)) (then (call $exit (i32.const 3))))
        (block $met (loop $poll
          (br_if $met (i32.eqz (call $open (i32.const 5) (i32.const 0))))
          (drop (call $yield))
          (br_if $poll (i64.lt_u (call $now) (local.get $deadline)))
          (call $exit (i32.const 1))))
        (call $exit (i32.const 0)))""",
}


def command(body: str) -> Program:
    """A plain wasip1 command module around `body`."""
    return Program.load(
        bytes(
            wasmtime.wat2wasm(f"""(module
              (import "{WASI}" "proc_exit" (func $exit (param i32)))
              (import "{WASI}" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
              (import "{WASI}" "sched_yield" (func $yield (result i32)))
              (import "{WASI}" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
              (import "{WASI}" "path_open"
                (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
              (memory (export "memory") 1)
              {body})""")
        )
    )


@pytest.mark.parametrize(
    ("module", "limits", "expected"),
    [
        ("exit-3", None, (3, "exit", b"")),
        ("trap", None, (134, "trap", b"")),
        ("spin", Limits(timeout=0.5), (124, "timeout", b"")),
        ("hello", None, (0, "exit", b"hello")),
    ],
)
def test_every_ending_is_the_task_result(
    module: str, limits: Limits | None, expected: tuple[int, str, bytes]
) -> None:
    result = run_task(command(COMMANDS[module]), Task(module), limits)
    assert (result.exit_code, result.reason, result.stdout) == expected
    assert result.ok == (expected[0] == 0)
    assert not result.threads_left_running


def test_a_host_refusal_is_a_result_not_an_exception() -> None:
    reactor = Program.load(bytes(wasmtime.wat2wasm('(module (func (export "f")))')))
    result = run_task(reactor, Task("reactor"))
    assert (result.exit_code, result.reason) == (7, "host-error")
    assert "_start" in result.report


@pytest.mark.parametrize("name", ["../escape", "/absolute", ""])
def test_task_files_stay_inside_the_task_directory(name: str) -> None:
    with pytest.raises(UsageError, match="relative path"):
        Task("t", files={name: b""})


def test_local_runs_overlap(tmp_path: Path) -> None:
    """Two runs meet only if both are running at once (each waits for the other's file)."""
    left, right = tmp_path / "left", tmp_path / "right"
    left.mkdir()
    right.mkdir()
    tasks = [
        Task("a", dirs=(f"{left}::/mine", f"{right}::/other")),
        Task("b", dirs=(f"{right}::/mine", f"{left}::/other")),
    ]
    meet = command(COMMANDS["meet"].replace("DEADLINE_NS", str(60 * 10**9)))
    results = sorted(run_local(meet, tasks, jobs=2), key=lambda r: r.name)
    assert [(r.name, r.exit_code) for r in results] == [("a", 0), ("b", 0)]


def test_one_job_runs_one_task_at_a_time(tmp_path: Path) -> None:
    """The meeting point can fail: with one job the first run waits in vain."""
    left, right = tmp_path / "left", tmp_path / "right"
    left.mkdir()
    right.mkdir()
    tasks = [
        Task("a", dirs=(f"{left}::/mine", f"{right}::/other")),
        Task("b", dirs=(f"{right}::/mine", f"{left}::/other")),
    ]
    meet = command(COMMANDS["meet"].replace("DEADLINE_NS", str(10**9)))
    results = list(run_local(meet, tasks, jobs=1))
    assert [(r.name, r.exit_code) for r in results] == [("a", 1), ("b", 0)]
