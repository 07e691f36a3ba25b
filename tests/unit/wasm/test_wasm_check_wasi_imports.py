"""`check` on WASI preview1 imports: repeated imports are fine, wrong types and names are not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import support

from wasmpack_mt.errors import CheckFailed
from wasmpack_mt.wasm.check import check_module

Wat = Callable[..., bytes]
FD_WRITE = (
    '(import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))'
)


def test_one_function_imported_twice_with_its_type_is_fine(wat: Wat) -> None:
    report = check_module(wat(imports=FD_WRITE + FD_WRITE))
    assert report.findings == ()


def test_one_function_imported_twice_with_different_types_is_an_error(wat: Wat) -> None:
    wrong = '(import "wasi_snapshot_preview1" "fd_write" (func (param i64) (result i32)))'
    report = check_module(wat(imports=FD_WRITE + wrong))
    assert [f.rule_id for f in report.errors] == ["wasi-import-signature"]
    message = report.errors[0].message
    assert "wasi_snapshot_preview1.fd_write is imported as (i64) -> (i32)" in message
    assert "(i32, i32, i32, i32) -> (i32)" in message


def test_a_name_preview1_does_not_define_is_an_error(wat: Wat) -> None:
    unknown = '(import "wasi_snapshot_preview1" "fd_teleport" (func (param i32) (result i32)))'
    report = check_module(wat(imports=FD_WRITE + unknown))
    assert [f.rule_id for f in report.errors] == ["wasi-import-signature"]
    assert "fd_teleport (func) is not a WASI preview1 function" in report.errors[0].message


def test_check_cli_fails_a_mismatched_duplicate_and_passes_a_plain_one(
    wat: Wat, tmp_path: Path
) -> None:
    wrong = '(import "wasi_snapshot_preview1" "fd_write" (func (param i64) (result i32)))'
    mismatched, repeated = tmp_path / "mismatched.wasm", tmp_path / "repeated.wasm"
    mismatched.write_bytes(wat(imports=FD_WRITE + wrong))
    repeated.write_bytes(wat(imports=FD_WRITE + FD_WRITE))
    failed = support.wasmpack("check", mismatched, expect=CheckFailed.exit_code)
    assert "error[wasi-import-signature]" in failed.stderr + failed.stdout
    support.wasmpack("check", repeated)
