"""After a failed run, `wasmpack run` names the --dir an argument needed; and passes the cores."""

from __future__ import annotations

from pathlib import Path

import pytest
from host_wat import module

from wasmpack_mt.cli import main
from wasmpack_mt.host.reach import unreachable_argument

THREAD_START = '(func (export "wasi_thread_start") (param i32 i32))'
FAILS = THREAD_START + '(func (export "_start") (call $exit (i32.const 1)))'
SUCCEEDS = THREAD_START + '(func (export "_start"))'


def test_an_existing_host_file_outside_every_dir_is_named(tmp_path: Path) -> None:
    data = tmp_path / "data.txt"
    data.write_text("x")
    warning = unreachable_argument(["-v", str(data)], [])
    assert warning is not None and warning.endswith(f"add --dir {tmp_path}")
    assert unreachable_argument([f"--input={data}"], []) is not None
    assert unreachable_argument([str(data)], [str(tmp_path)]) is None
    assert unreachable_argument([str(data)], [f"{tmp_path}::{tmp_path}"]) is None
    assert unreachable_argument([str(data)], ["/elsewhere::/"]) is None  # guest "/" covers all
    assert unreachable_argument([str(tmp_path / "missing.txt")], []) is None
    assert unreachable_argument(["7", "--level"], []) is None


def test_a_relative_path_needs_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("input.txt").write_text("x")
    warning = unreachable_argument(["input.txt"], [])
    assert warning is not None and warning.endswith("add --dir .")
    assert unreachable_argument(["input.txt"], ["."]) is None


def test_run_warns_once_only_when_the_program_failed(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data.txt"
    data.write_text("x")
    failing = tmp_path / "fails.wasm"
    failing.write_bytes(module(FAILS))
    assert main(["run", str(failing), "--", str(data)]) == 1
    warnings = [line for line in capfd.readouterr().err.splitlines() if "--dir" in line]
    assert warnings == [
        f"warning: {data} exists on this machine but is outside every --dir, so the program "
        f"cannot open it; add --dir {tmp_path}"
    ]
    assert main(["run", str(failing), "--dir", str(tmp_path), "--", str(data)]) == 1
    assert "--dir" not in capfd.readouterr().err
    succeeding = tmp_path / "ok.wasm"
    succeeding.write_bytes(module(SUCCEEDS))
    assert main(["run", str(succeeding), "--", str(data)]) == 0
    assert "--dir" not in capfd.readouterr().err
