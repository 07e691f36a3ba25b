"""Reading the module a batch runs, checked before any task starts (without compiling it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wasmpack_mt.bundle.manifest import thread_hint
from wasmpack_mt.errors import UsageError
from wasmpack_mt.wasm.module import parse_module


@dataclass(frozen=True)
class CommandModule:
    """A module with `_start`, and the thread limit its manifest suggests (None: no hint)."""

    wasm: bytes
    max_threads: int | None

    @classmethod
    def read(cls, path: Path) -> CommandModule:
        """Read and check `path` (UsageError for a missing file or a reactor)."""
        try:
            wasm = path.read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read {path}: {exc.strerror}; check the path") from None
        if parse_module(wasm).export("_start") is None:
            raise UsageError(
                f"{path} has no _start export (a reactor?); wasmpack batch runs command modules"
            )
        return cls(wasm, thread_hint(wasm))
