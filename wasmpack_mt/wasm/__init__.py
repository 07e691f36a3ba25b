"""Stage 3: read and write WebAssembly binaries, and check their thread ABI."""

from wasmpack_mt.wasm.check import check_module, raise_on_errors
from wasmpack_mt.wasm.module import WasmModule, parse_module
from wasmpack_mt.wasm.report import RULES, CheckReport, Finding
from wasmpack_mt.wasm.writer import set_custom_section

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
