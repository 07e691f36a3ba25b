"""Which exception-handling encoding a module uses: standard (exnref), legacy, or none.

clang < 20, and clang >= 20 without `-mllvm -wasm-use-legacy-eh=false`, emit
the legacy encoding (`try`/`catch`/`delegate`/`rethrow`), which wasmtime and
this host refuse; the standard one (`try_table`/`throw`/`throw_ref`, exnref)
runs. Both declare tags (section 13 or tag imports) for what they throw.
"""

from __future__ import annotations

from wasmpack_mt.errors import WasmpackError
from wasmpack_mt.wasm.code_scan import scan_features
from wasmpack_mt.wasm.module import SECTION_NAMES, WasmModule, parse_module
from wasmpack_mt.wasm.report import ExceptionHandling

TAG_SECTION = SECTION_NAMES.index("tag")
LEGACY_FIX = (
    "the module uses the legacy wasm exception-handling encoding (try/catch/delegate/rethrow), "
    "which wasmtime and this host refuse; rebuild it in the standard (exnref) encoding with "
    "clang >= 20 and -mllvm -wasm-use-legacy-eh=false next to -fwasm-exceptions or "
    "-mllvm -wasm-enable-sjlj (wasmpack: exceptions = true, or `wasmpack env --exceptions`), "
    "or convert the binary with binaryen's `wasm-opt --translate-to-exnref`"
)


def _declares_tags(module: WasmModule) -> bool:
    return bool(module.imported("tag")) or any(s.id == TAG_SECTION for s in module.sections)


def exception_handling(
    module: WasmModule, data: bytes, *, rejection: str | None, validated: bool
) -> ExceptionHandling:
    """The encoding `module` (bytes `data`) uses.

    `rejection` is wasmtime's complaint when `validated` (None: it validated
    with exceptions enabled, which legacy code never does); the code is
    scanned only when validation could not tell.
    """
    if rejection is not None and "legacy_exceptions" in rejection:
        return "legacy"
    if validated and rejection is None:
        return "standard" if _declares_tags(module) else "none"
    used = scan_features(data, module.sections, wanted=frozenset(["legacy-exceptions"]))
    if used is None:
        return "unknown"
    if "legacy-exceptions" in used:
        return "legacy"
    return "standard" if "exceptions" in used or _declares_tags(module) else "none"


def legacy_exceptions_message(data: bytes) -> str | None:
    """`LEGACY_FIX` when `data` is a module in the legacy encoding, else None (no validation)."""
    try:
        module = parse_module(data)
    except WasmpackError:
        return None
    found = exception_handling(module, data, rejection=None, validated=False)
    return LEGACY_FIX if found == "legacy" else None
