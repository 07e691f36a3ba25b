"""Reading a `.wasm` file named by the user, and checking it (`wasmpack check FILE`)."""

from __future__ import annotations

from pathlib import Path

from wasmpack_mt.errors import UsageError, WasmFormatError
from wasmpack_mt.wasm.check import check_module
from wasmpack_mt.wasm.report import CheckReport


def read_wasm_file(path: Path) -> bytes:
    """The bytes of `path`, or a one-line `UsageError`."""
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise UsageError(f"{path} is a directory; pass a .wasm file") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}; check the path") from None


def named(path: Path, exc: WasmFormatError) -> WasmFormatError:
    """`exc` with the file's name in front of its message."""
    return WasmFormatError(f"{path}: {exc}", details=exc.details)


def check_file(path: Path) -> CheckReport:
    """Check the module at `path`; a malformed one raises `WasmFormatError` naming the file."""
    data = read_wasm_file(path)
    try:
        return check_module(data)
    except WasmFormatError as exc:
        raise named(path, exc) from None
