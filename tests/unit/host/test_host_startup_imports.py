"""Running a module imports only the run path: no toolchain stack, no YAML, no package
metadata, and neither the checker nor the artifact writer (stage packages export lazily).

Start-up time is a product feature; this asserts the fact behind it (what is
in `sys.modules`), never a time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import wasmtime

FORBIDDEN = (
    "yaml",
    "importlib.metadata",
    "wasmpack_mt.toolchains",
    "wasmpack_mt.builders",
    "wasmpack_mt.wasm.check",
    "wasmpack_mt.bundle.checked",
    "wasmpack_mt.bundle.artifact",
)
REPORT = """
import atexit, json, os, sys
def report():
    names = [m for m in sys.modules if m.split(".")[0] == "yaml" or m.startswith(FORBIDDEN)]
    print("MODULES=" + json.dumps(sorted(names)), file=sys.stderr, flush=True)
atexit.register(report)
process_exit = os._exit
def report_and_exit(code):  # `wasmpack run` ends its process with os._exit, skipping atexit
    report()
    process_exit(code)
os._exit = report_and_exit
"""
HELLO = """
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "hi\\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 3))
    (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
"""


def imported_after(code: str, tmp_path: Path) -> tuple[list[str], str]:
    """The forbidden modules imported once `code` has run in a fresh interpreter, and its stdout."""
    script = f"FORBIDDEN = {FORBIDDEN!r}\n{REPORT}\n{code}"
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "WASMPACK_CACHE_DIR": str(tmp_path / "cache")},
        check=False,
    )
    lines = [line for line in done.stderr.splitlines() if line.startswith("MODULES=")]
    assert lines, done.stderr
    found: list[str] = json.loads(lines[-1].removeprefix("MODULES="))
    return found, done.stdout


def test_importing_the_host_imports_no_build_stack(tmp_path: Path) -> None:
    assert imported_after("import wasmpack_mt.host", tmp_path) == ([], "")


@pytest.mark.parametrize("cached", [False, True])
def test_wasmpack_run_imports_no_build_stack(tmp_path: Path, cached: bool) -> None:
    wasm = tmp_path / "hi.wasm"
    wasm.write_bytes(wasmtime.wat2wasm(HELLO))
    cli = f"import sys, runpy; sys.argv = ['wasmpack', 'run', {str(wasm)!r}]\n"
    cli += "runpy.run_module('wasmpack_mt', run_name='__main__')"
    if cached:
        imported_after(cli, tmp_path)
    assert imported_after(cli, tmp_path) == ([], "hi\n")
