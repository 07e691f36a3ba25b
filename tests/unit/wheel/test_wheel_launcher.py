"""The launcher a wheel's console script runs: `run_packaged` → `run_resource` → the host."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import wasmtime

from wasmpack_mt.wheel.project import LAUNCHER

REPO = Path(__file__).resolve().parents[3]
# Writes "hi\n" from its main thread, then exits with code 3.
GREETER_WAT = """(module
  (import "env" "memory" (memory 1 10 shared))
  (import "wasi" "thread-spawn" (func (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func (export "wasi_thread_start") (param i32 i32))
  (func (export "_start")
    (i32.store8 (i32.const 100) (i32.const 104))
    (i32.store8 (i32.const 101) (i32.const 105))
    (i32.store8 (i32.const 102) (i32.const 10))
    (i32.store (i32.const 200) (i32.const 100))
    (i32.store (i32.const 204) (i32.const 3))
    (drop (call $fd_write (i32.const 1) (i32.const 200) (i32.const 1) (i32.const 300)))
    (call $exit (i32.const 3))))"""


def install_package(root: Path, wasm_name: str) -> None:
    """A package `greeter` as `wasmpack wheel` lays it out (the module may be missing)."""
    package = root / "greeter"
    package.mkdir(parents=True)
    text = LAUNCHER.format(name="greeter", version="1.0", package="greeter", wasm=wasm_name)
    (package / "__init__.py").write_text(text, encoding="utf-8")
    (package / "greeter.wasm").write_bytes(bytes(wasmtime.wat2wasm(GREETER_WAT)))


def run_main(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(REPO)])}
    return subprocess.run(
        [sys.executable, "-c", "import greeter; greeter.main()"],
        cwd=root,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_the_console_script_runs_the_packaged_module_and_passes_its_exit_code(
    tmp_path: Path,
) -> None:
    install_package(tmp_path, "greeter.wasm")
    result = run_main(tmp_path)
    assert (result.stdout, result.returncode) == ("hi\n", 3), result.stderr


def test_a_missing_module_is_one_error_line(tmp_path: Path) -> None:
    install_package(tmp_path, "absent.wasm")
    result = run_main(tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot read absent.wasm from package greeter")
    assert result.stderr.count("\n") == 1
