"""`wasmpack check` and `wasmpack inspect`: output, JSON and exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from support import wasmpack

from wasmpack_mt.bundle import Manifest, embed_manifest
from wasmpack_mt.cli import main
from wasmpack_mt.errors import CheckFailed, UsageError, WasmFormatError

Wat = Callable[..., bytes]
MANIFEST = Manifest(
    name="demo",
    version="1.2.3",
    entry="command",
    memory_min_pages=2,
    memory_max_pages=1024,
    max_threads=6,
    languages=("c",),
    toolchain="system-clang",
    toolchain_version="19.1.7",
    source_digest="sha256:" + "0" * 64,
    build_flags=("-O2",),
)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[bytes], Path]:
    def write_file(data: bytes, name: str = "module.wasm") -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write_file


def test_check_good_module(
    good_wasm: bytes, write: Callable[[bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(good_wasm)
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "threaded: yes" in out
    assert out.rstrip().splitlines()[-1].startswith(f"ok: {path}")


def test_check_reports_errors_and_exits_6(
    wat: Wat, write: Callable[[bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(wat(memory_import='(import "env" "memory" (memory 2 1024))'))
    assert main(["check", str(path)]) == CheckFailed.exit_code == 6
    captured = capsys.readouterr()
    assert "error[memory-not-shared]: env.memory is not shared" in captured.out
    assert (
        captured.err.strip()
        == f"error: {path}: wasmpack check found 1 error; fix it as each says, then rebuild"
    )


def test_check_warnings_do_not_fail(
    wat: Wat, write: Callable[[bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(wat(memory_import='(import "env" "memory" (memory 4 4 shared))'))
    assert main(["check", str(path)]) == 0
    assert "warning[memory-cannot-grow]:" in capsys.readouterr().out


@pytest.mark.parametrize(("broken", "code"), [(False, 0), (True, 6)])
def test_check_json(
    wat: Wat,
    write: Callable[[bytes], Path],
    capsys: pytest.CaptureFixture[str],
    broken: bool,
    code: int,
) -> None:
    path = write(wat(thread_start="") if broken else wat())
    assert main(["check", "--json", str(path)]) == code
    document = json.loads(capsys.readouterr().out)
    assert document["file"] == str(path)
    assert document["ok"] is not broken
    assert [f["rule_id"] for f in document["findings"]] == (
        ["thread-start-missing"] if broken else []
    )


@pytest.mark.parametrize("command", ["check", "inspect"])
@pytest.mark.parametrize("data", [b"", b"not wasm at all", b"\0asm\x01\0\0\0\x01\x7f"])
def test_malformed_input_gives_one_line_and_exit_5(
    write: Callable[[bytes], Path], capsys: pytest.CaptureFixture[str], command: str, data: bytes
) -> None:
    path = write(data)
    assert main([command, str(path)]) == WasmFormatError.exit_code == 5
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {path}: not a valid WebAssembly module")
    assert "Traceback" not in captured.err


def test_missing_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path / "nope.wasm")]) == UsageError.exit_code
    assert main(["inspect", str(tmp_path)]) == UsageError.exit_code
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"error: cannot read {tmp_path / 'nope.wasm'}: No such file or directory; check the path",
        f"error: {tmp_path} is a directory; pass a .wasm file",
    ]


def test_malformed_input_through_a_real_process(write: Callable[[bytes], Path]) -> None:
    path = write(b"\0asm\x01\0\0\0\x01\xff\xff\xff\xff\xff\x01")
    result = wasmpack("check", path, expect=5)
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "LEB128 section size longer than 5 bytes at offset 0x9" in result.stderr


def test_inspect_shows_manifest_imports_and_exports(
    good_wasm: bytes, write: Callable[[bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(embed_manifest(good_wasm, MANIFEST))
    assert main(["inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert "name:        demo 1.2.3" in out
    assert "max threads: 6" in out
    assert "wasi.thread-spawn" in out and "(i32) -> (i32)" in out
    assert "wasi_thread_start" in out and "(i32, i32) -> ()" in out
    assert "check: 0 errors, 0 warnings" in out


def test_inspect_without_manifest_and_with_check_errors(
    wat: Wat, write: Callable[[bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(wat(memory_export=""))
    assert main(["inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert "manifest: none" in out
    assert "check: 1 error, 0 warnings" in out


def test_inspect_json(
    good_wasm: bytes, write: Callable[[bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(embed_manifest(good_wasm, MANIFEST))
    assert main(["inspect", "--json", str(path)]) == 0
    document = json.loads(capsys.readouterr().out)
    assert list(document) == [
        "schema", "file", "size", "manifest", "imports", "exports", "sections", "producers",
        "check",
    ]  # fmt: skip
    assert document["manifest"] == MANIFEST.to_dict()
    assert document["imports"][0] == {
        "module": "env",
        "name": "memory",
        "kind": "memory",
        "type": "shared 2..1024",
    }
    assert document["sections"][-1]["name"] == "wasmpack.manifest"
    assert document["check"]["ok"] is True


def test_inspect_invalid_manifest_is_a_format_error(
    good_wasm: bytes, write: Callable[[bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from wasmpack_mt.wasm.writer import set_custom_section

    path = write(set_custom_section(good_wasm, "wasmpack.manifest", b"{broken"))
    assert main(["inspect", str(path)]) == 5
    assert "wasmpack.manifest section is invalid: not valid JSON" in capsys.readouterr().err


DUPLICATE_TYPE = b"\x01\x04\x01\x60\x00\x00"
"""A type section holding one `() -> ()` type."""
EMPTY_TABLE = b"\x04\x01\x00"
"""A table section declaring no table."""


@pytest.mark.parametrize(
    ("layout", "problem"),
    [
        ("duplicate", "duplicate type section at offset 0xe"),
        ("out-of-order", "table section out of order (after the export section)"),
    ],
)
def test_duplicated_or_misplaced_sections_are_malformed(
    good_wasm: bytes,
    write: Callable[[bytes], Path],
    capsys: pytest.CaptureFixture[str],
    layout: str,
    problem: str,
) -> None:
    from wasmpack_mt.wasm.module import EXPORT, iter_sections

    if layout == "duplicate":
        data = good_wasm[:8] + DUPLICATE_TYPE + good_wasm[8:]
    else:  # a table section belongs before the export section
        after = next(s for s in iter_sections(good_wasm) if s.id == EXPORT).end
        data = good_wasm[:after] + EMPTY_TABLE + good_wasm[after:]
    path = write(data)
    for command in ("check", "inspect"):
        assert main([command, str(path)]) == WasmFormatError.exit_code == 5
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and problem in err


def test_check_json_on_a_malformed_file_prints_the_error_as_json(
    write: Callable[[bytes], Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(b"not wasm at all")
    assert main(["check", "--json", str(path)]) == 5
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert document == {
        "file": str(path),
        "schema": 1,
        "ok": False,
        "error": f"{path}: not a valid WebAssembly module: no \\0asm magic (found b'not ') at "
        "offset 0x0; pass the .wasm file the linker wrote, or rebuild it",
    }
    assert captured.err == f"error: {document['error']}\n"
    assert main(["check", "--json", str(tmp_path / "nope.wasm")]) == 2
    assert json.loads(capsys.readouterr().out)["error"].startswith("cannot read")


def test_inspect_escapes_control_characters_from_the_file(
    wat: Wat, write: Callable[[bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    import dataclasses

    hostile = "\x1b]0;owned\x07\x1b[2J\u202e"
    in_wat = "\\1b]0;owned\\07\\1b[2J\\u{202e}"  # the same characters, as WAT escapes
    module = wat(thread_start=f'(func (export "wasi_thread_start{in_wat}") (param i32 i32))')
    manifest = dataclasses.replace(MANIFEST, name=f"demo{hostile}", build_flags=(hostile,))
    path = write(embed_manifest(module, manifest))
    assert main(["inspect", str(path)]) == 0
    assert main(["check", str(path)]) == 6  # thread-start-missing names the export it saw
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    escaped = "\\x1b]0;owned\\x07\\x1b[2J\\u202e"
    assert f"name:        demo{escaped} 1.2.3" in out
    assert f"build flags: {escaped}" in out
    assert f"wasi_thread_start{escaped}" in out
    assert main(["inspect", "--json", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["manifest"]["name"] == f"demo{hostile}"


def test_inspect_json_on_a_malformed_file_prints_the_error_as_json(
    write: Callable[[bytes], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(b"")
    assert main(["inspect", "--json", str(path)]) == 5
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert list(document) == ["schema", "file", "error"]
    assert captured.err == f"error: {document['error']}\n"
    assert document["error"].startswith(f"{path}: not a valid WebAssembly module: empty input")
