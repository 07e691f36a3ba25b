"""Exception handling in check, summary and run: standard (exnref) runs, legacy is named."""

from __future__ import annotations

from pathlib import Path

import pytest
import wasmtime

from wasmpack_mt.cli import main
from wasmpack_mt.wasm.check import check_module
from wasmpack_mt.wasm.features import legacy_exceptions_message

MEMORY = '(import "env" "memory" (memory 1 2 shared)) (export "memory" (memory 0))'
STANDARD = (
    f"(module {MEMORY} (tag $e (param i32))"
    ' (func (export "_start") (block $caught (result i32)'
    " (try_table (catch $e $caught) (throw $e (i32.const 7))) (i32.const 0)) drop))"
)
LEGACY = (
    f"(module {MEMORY} (tag $e (param i32))"
    ' (func (export "_start") try (throw $e (i32.const 7)) catch $e drop end))'
)
PLAIN = f'(module {MEMORY} (func (export "_start")))'


def wasm(text: str) -> bytes:
    return bytes(wasmtime.wat2wasm(text))


@pytest.mark.parametrize("validate", [True, False])
def test_summary_names_the_encoding(validate: bool) -> None:
    for text, expected in ((STANDARD, "standard"), (LEGACY, "legacy"), (PLAIN, "none")):
        report = check_module(wasm(text), validate=validate)
        assert report.summary.exceptions == expected
        assert report.to_dict()["summary"]["exceptions"] == expected


def test_legacy_module_is_one_error_naming_the_flag() -> None:
    report = check_module(wasm(LEGACY))
    rules = [f.rule_id for f in report.errors]
    assert rules == ["legacy-exceptions"]  # not also the generic invalid-module
    assert "-mllvm -wasm-use-legacy-eh=false" in report.errors[0].message
    assert "clang >= 20" in report.errors[0].message
    assert not [f for f in check_module(wasm(STANDARD)).errors if "exceptions" in f.rule_id]


def test_message_only_for_legacy_modules() -> None:
    assert legacy_exceptions_message(wasm(LEGACY)) is not None
    assert legacy_exceptions_message(wasm(STANDARD)) is None
    assert legacy_exceptions_message(b"not wasm") is None


def test_check_cli_prints_the_exceptions_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "standard.wasm"
    path.write_bytes(wasm(STANDARD))
    main(["check", str(path)])
    assert "exceptions: yes, standard encoding (exnref" in capsys.readouterr().out


def test_run_of_a_legacy_module_names_the_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "legacy.wasm"
    path.write_bytes(wasm(LEGACY))
    assert main(["run", str(path)]) == 7
    err = capsys.readouterr().err
    assert "legacy wasm exception-handling encoding" in err
    assert "-wasm-use-legacy-eh=false" in err
    assert "pass a .wasm file built for wasm32-wasip1-threads" not in err
