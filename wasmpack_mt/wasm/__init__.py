"""Stage 3: read and write WebAssembly binaries, and check their thread ABI.

The names below load their module on first use: a rebuild that keeps the
check's verdict never imports the check.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wasmpack_mt.wasm.check import check_module, raise_on_errors
    from wasmpack_mt.wasm.module import WasmModule, parse_module
    from wasmpack_mt.wasm.report import RULES, CheckReport, Finding
    from wasmpack_mt.wasm.writer import set_custom_section

_HOMES = {
    "RULES": "report",
    "CheckReport": "report",
    "Finding": "report",
    "WasmModule": "module",
    "check_module": "check",
    "parse_module": "module",
    "raise_on_errors": "check",
    "set_custom_section": "writer",
}
"""Each exported name and the module (in this package) that defines it."""

__all__ = [
    "RULES",
    "CheckReport",
    "Finding",
    "WasmModule",
    "check_module",
    "parse_module",
    "raise_on_errors",
    "set_custom_section",
]


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
