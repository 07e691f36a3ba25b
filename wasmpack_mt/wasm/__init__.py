"""Stage 3: read and write WebAssembly binaries, and check their thread ABI.

The names below are imported on first use (`wasmpack_mt.lazy`).
"""

from typing import TYPE_CHECKING

from wasmpack_mt.lazy import lazy_exports

if TYPE_CHECKING:
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

if not TYPE_CHECKING:  # type checkers see the imports above, typos included
    __getattr__ = lazy_exports(
        __name__,
        {
            "check_module": "check",
            "raise_on_errors": "check",
            "WasmModule": "module",
            "parse_module": "module",
            "RULES": "report",
            "CheckReport": "report",
            "Finding": "report",
            "set_custom_section": "writer",
        },
    )
